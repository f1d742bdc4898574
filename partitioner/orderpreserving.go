package partitioner

import (
	"bytes"
	"encoding/hex"
	"unicode/utf8"
)

// OrderPreservingPartitioner orders rows by their keys read as text: the
// token of a key is the key decoded as UTF-8, compared the way Java's
// String.compareTo compares (by UTF-16 code units, so a character above
// U+FFFF sorts before U+E000..U+FFFF). A key that is not valid UTF-8 gets
// its lowercase hex string as token, as in Cassandra. The zero value is
// ready to use.
type OrderPreservingPartitioner struct{}

// StringToken is an OrderPreservingPartitioner token. It prints as itself;
// the empty string is the minimum.
type StringToken string

var (
	_ Partitioner = OrderPreservingPartitioner{}
	_ Splitter    = OrderPreservingPartitioner{}
)

// Class implements Partitioner.
func (OrderPreservingPartitioner) Class() string { return OrderPreservingClass }

// Hash returns the token of key without boxing it in an interface.
func (OrderPreservingPartitioner) Hash(key []byte) StringToken {
	// Go's UTF-8 validity (no surrogates, no overlong forms, nothing past
	// U+10FFFF) is the same as that of Java's strict UTF-8 decoder.
	if utf8.Valid(key) {
		return StringToken(key)
	}
	return StringToken(hex.EncodeToString(key))
}

// Token implements Partitioner.
func (p OrderPreservingPartitioner) Token(key []byte) Token { return p.Hash(key) }

// MinToken implements Partitioner: the empty string.
func (OrderPreservingPartitioner) MinToken() Token { return StringToken("") }

// ParseToken implements Partitioner: every string is a token, itself. It
// never fails.
func (OrderPreservingPartitioner) ParseToken(s string) (Token, error) {
	return StringToken(s), nil
}

// CompareKeys implements Partitioner.
func (p OrderPreservingPartitioner) CompareKeys(a, b []byte) int {
	var c int
	if utf8.Valid(a) && utf8.Valid(b) {
		c = compareValidUTF16(a, b) // the common case, without copies
	} else {
		c = compareUTF16(string(p.Hash(a)), string(p.Hash(b)))
	}
	if c != 0 {
		return c
	}
	return bytes.Compare(a, b)
}

// compareValidUTF16 is compareUTF16 for valid UTF-8. There, equal characters
// have equal bytes, so the first character after the common byte prefix
// decides.
func compareValidUTF16(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	for n > 0 && n < len(a) && !utf8.RuneStart(a[n]) {
		n--
	}
	switch {
	case n == len(a) && n == len(b):
		return 0
	case n == len(a):
		return -1
	case n == len(b):
		return 1
	}
	ra, _ := utf8.DecodeRune(a[n:])
	rb, _ := utf8.DecodeRune(b[n:])
	return compareRunesUTF16(ra, rb)
}

// Split implements Splitter. Strings have no fixed width to divide, so the
// range is left whole: it returns [start, end].
func (OrderPreservingPartitioner) Split(start, end Token, parts int) ([]Token, error) {
	_, ok1 := start.(StringToken)
	_, ok2 := end.(StringToken)
	if !ok1 || !ok2 {
		return nil, ErrTokenKind
	}
	if parts < 1 {
		return nil, ErrSplitParts
	}
	return []Token{start, end}, nil
}

// String implements Token.
func (t StringToken) String() string { return string(t) }

// Compare implements Token: Java String.compareTo order.
// Tokens of other kinds order as the package doc says.
func (t StringToken) Compare(other Token) int {
	o, ok := other.(StringToken)
	if !ok {
		return compareKinds(kindString, other)
	}
	return compareUTF16(string(t), string(o))
}

// compareUTF16 orders a and b as Java orders the strings they decode to:
// UTF-16 code unit by code unit, a prefix first. Invalid bytes decode to
// U+FFFD, one per byte.
func compareUTF16(a, b string) int {
	// Skip the common byte prefix, then back up to a character start before
	// its end (the last character in it may be cut short or continue
	// differently). Decoding from the beginning passes through every byte
	// that can start a character, so resuming there decodes exactly as from
	// the beginning.
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	i := 0
	for j := n - 1; j > 0; j-- {
		if utf8.RuneStart(a[j]) {
			i = j
			break
		}
	}
	a, b = a[i:], b[i:]
	for len(a) > 0 && len(b) > 0 {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return compareRunesUTF16(ra, rb)
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case len(a) == len(b):
		return 0
	case len(a) == 0:
		return -1
	}
	return 1
}

// compareRunesUTF16 orders two different characters by their UTF-16 form.
// Code point order holds except between a supplementary character, whose
// first unit is a surrogate (0xD800..0xDBFF), and a BMP character in
// U+E000..U+FFFF.
func compareRunesUTF16(a, b rune) int {
	ua, ub := firstUnit(a), firstUnit(b)
	if ua == ub { // both supplementary with the same high surrogate
		ua, ub = a, b
	}
	if ua < ub {
		return -1
	}
	return 1
}

// firstUnit is the first UTF-16 code unit of r (r is never a surrogate: the
// decoder turns those into U+FFFD).
func firstUnit(r rune) rune {
	if r < 0x10000 {
		return r
	}
	return 0xD800 + (r-0x10000)>>10
}
