package partitioner

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// FuzzParseToken: no input panics any partitioner's ParseToken, and a parsed
// token prints to a string that parses back to an equal token.
func FuzzParseToken(f *testing.F) {
	for _, s := range []string{"", "0", "-1", "abc", "+42", "-9223372036854775808",
		"170141183460469231731687303715884105728", "0abc", "ABC", "\xff", "\U0001F600"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range all {
			tok, err := p.ParseToken(s)
			if err != nil {
				if tok != nil {
					t.Fatalf("%s: token and error", ShortName(p))
				}
				_ = err.Error()
				continue
			}
			back, err := p.ParseToken(tok.String())
			if err != nil {
				t.Fatalf("%s: %q parsed, but its String %q does not: %v", ShortName(p), s, tok, err)
			}
			if tok.Compare(back) != 0 || back.Compare(tok) != 0 {
				t.Fatalf("%s: %q round trips to a different token", ShortName(p), s)
			}
			_ = tok.Compare(p.MinToken())
			_, _ = Split(p, tok, p.MinToken(), 3)
			_, _ = Split(p, p.MinToken(), tok, 3)
			_, _ = Split(p, tok, tok, 3)
		}
	})
}

// FuzzToken: no key panics Token or CompareKeys; the token of a key round
// trips through its string; CompareKeys is antisymmetric and agrees with
// DecoratedKey.Compare.
func FuzzToken(f *testing.F) {
	f.Add([]byte(""), []byte("a"))
	f.Add([]byte("hello"), []byte("prefix\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\xc8"))
	f.Add([]byte("\xc3\x28"), []byte("c328"))
	f.Add([]byte("\uFFFF"), []byte("\U00010000"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		for _, p := range all {
			ta, tb := p.Token(a), p.Token(b)
			if ta.Compare(p.MinToken()) < 0 {
				t.Fatalf("%s: token %v below the minimum", ShortName(p), ta)
			}
			back, err := p.ParseToken(ta.String())
			if err != nil || back.Compare(ta) != 0 {
				t.Fatalf("%s: token %q of %x does not round trip: %v", ShortName(p), ta, a, err)
			}
			c := p.CompareKeys(a, b)
			if c != -p.CompareKeys(b, a) {
				t.Fatalf("%s: CompareKeys not antisymmetric", ShortName(p))
			}
			if (c == 0) != bytes.Equal(a, b) {
				t.Fatalf("%s: CompareKeys(%x, %x) = 0 for different keys", ShortName(p), a, b)
			}
			if tc := ta.Compare(tb); tc != 0 && tc != c {
				t.Fatalf("%s: CompareKeys disagrees with token order", ShortName(p))
			}
			if d := Decorate(p, a).Compare(Decorate(p, b)); d != c {
				t.Fatalf("%s: DecoratedKey.Compare = %d, CompareKeys = %d", ShortName(p), d, c)
			}
		}
	})
}

// FuzzCompareUTF16 checks the fast OrderPreserving comparison against a
// plain UTF-16 encoding of both strings.
func FuzzCompareUTF16(f *testing.F) {
	f.Add("\uFFFF", "\U00010000")
	f.Add("\xe2\x82", "\xe2\x82\xac")
	f.Add("abc", "abd")
	f.Fuzz(checkCompareUTF16)
}

// checkCompareUTF16 checks both UTF-16 comparisons against Java's
// String.compareTo (javaCompare); the valid-UTF-8 fast path only for valid
// input.
func checkCompareUTF16(t *testing.T, a, b string) {
	t.Helper()
	want := javaCompare(a, b)
	if got := compareUTF16(a, b); got != want {
		t.Fatalf("compareUTF16(%q, %q) = %d, want %d", a, b, got, want)
	}
	if utf8.ValidString(a) && utf8.ValidString(b) {
		if got := compareValidUTF16([]byte(a), []byte(b)); got != want {
			t.Fatalf("compareValidUTF16(%q, %q) = %d, want %d", a, b, got, want)
		}
	}
}
