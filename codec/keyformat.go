package codec

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// KeyExcerpt is how many bytes of a long key FormatKey and FormatKeyValue
// show before they cut it and give its length instead of the rest.
const KeyExcerpt = 64

// FormatKey renders a packed row key for an error message or a log line,
// through its type t: UTF8Type and AsciiType as a quoted string, BytesType
// (and a nil t) as 0x-prefixed hex, any other type as Format renders it
// (a number, a UUID, "a:b" for a composite). A key longer than KeyExcerpt
// bytes shows its first KeyExcerpt bytes, then "... (N bytes)" with its
// full length, so a 70,000-byte key makes a short message:
//
//	"thobbs"
//	0x6e6f7065
//	42
//	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"... (70000 bytes)
//
// It is the one rendering of keys in cassa's errors; use it for column
// names and values in messages too.
func FormatKey(t Type, b []byte) string {
	switch keyKind(t) {
	case keyText:
		s, cut := quoted(b)
		return withLength(s, cut, len(b))
	case keyBytes:
		s, cut := hexed(b)
		return withLength(s, cut, len(b))
	}
	if len(b) == 0 {
		return `""`
	}
	s := Format(t, b)
	if len(b) <= KeyExcerpt && len(s) <= KeyExcerpt {
		return s
	}
	return withLength(s[:runeCut(s, KeyExcerpt)], true, len(b))
}

// FormatKeyValue renders a key given as a Go value, as a caller passed it
// to a read or a write: packed with t and rendered by FormatKey when t can
// pack it, otherwise (and when t is nil) by its Go type: a string quoted,
// a []byte as hex, anything else as fmt prints it, each cut as FormatKey
// cuts.
func FormatKeyValue(t Type, v any) string {
	if t != nil && v != nil {
		if b, err := t.Pack(v); err == nil {
			return FormatKey(t, b)
		}
	}
	switch x := v.(type) {
	case nil:
		return "nil"
	case string:
		s, cut := quoted([]byte(x))
		return withLength(s, cut, len(x))
	case []byte:
		s, cut := hexed(x)
		return withLength(s, cut, len(x))
	}
	s := fmt.Sprint(v)
	if len(s) > KeyExcerpt {
		s = s[:runeCut(s, KeyExcerpt)] + "..."
	}
	return s
}

type kindOfKey int

const (
	keyOther kindOfKey = iota
	keyText
	keyBytes
)

// keyKind says how FormatKey shows keys of t, looking through reversed and
// custom types to the type that holds the bytes.
func keyKind(t Type) kindOfKey {
	for {
		if _, ok := t.(Formatter); ok {
			return keyOther
		}
		switch x := t.(type) {
		case nil, bytesType, counterType:
			return keyBytes
		case utf8Type, asciiType:
			return keyText
		case *ReversedType:
			t = x.base
		case *CustomType:
			t = x.base()
		default:
			return keyOther
		}
	}
}

// quoted is b, or its first KeyExcerpt bytes, as a Go-quoted string; cut
// reports whether it was cut.
func quoted(b []byte) (string, bool) {
	if len(b) <= KeyExcerpt {
		return strconv.Quote(string(b)), false
	}
	return strconv.Quote(string(b[:byteCut(b, KeyExcerpt)])), true
}

// hexed is b, or its first KeyExcerpt bytes, as 0x-prefixed hex.
func hexed(b []byte) (string, bool) {
	if len(b) <= KeyExcerpt {
		return "0x" + hex.EncodeToString(b), false
	}
	return "0x" + hex.EncodeToString(b[:KeyExcerpt]), true
}

// withLength appends the full length to an excerpt that was cut.
func withLength(s string, cut bool, n int) string {
	if !cut {
		return s
	}
	return s + "... (" + strconv.Itoa(n) + " bytes)"
}

// byteCut is the largest cut of b at most n bytes long that does not split
// a UTF-8 sequence (when b is UTF-8 at all).
func byteCut(b []byte, n int) int {
	for i := n; i > n-utf8.UTFMax && i > 0; i-- {
		if utf8.RuneStart(b[i]) {
			return i
		}
	}
	return n
}

// runeCut is byteCut for a string.
func runeCut(s string, n int) int {
	for i := n; i > n-utf8.UTFMax && i > 0; i-- {
		if utf8.RuneStart(s[i]) {
			return i
		}
	}
	return n
}
