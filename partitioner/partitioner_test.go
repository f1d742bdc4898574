package partitioner

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

var all = []Partitioner{
	Murmur3Partitioner{},
	RandomPartitioner{},
	ByteOrderedPartitioner{},
	OrderPreservingPartitioner{},
}

func TestByName(t *testing.T) {
	tests := []struct {
		name  string
		class string
	}{
		{"Murmur3Partitioner", Murmur3Class},
		{"org.apache.cassandra.dht.Murmur3Partitioner", Murmur3Class},
		{"RandomPartitioner", RandomClass},
		{"org.apache.cassandra.dht.RandomPartitioner", RandomClass},
		{"ByteOrderedPartitioner", ByteOrderedClass},
		{"org.apache.cassandra.dht.ByteOrderedPartitioner", ByteOrderedClass},
		{"OrderPreservingPartitioner", OrderPreservingClass},
		{"org.apache.cassandra.dht.OrderPreservingPartitioner", OrderPreservingClass},
	}
	for _, tt := range tests {
		p, err := ByName(tt.name)
		if err != nil {
			t.Errorf("ByName(%q): %v", tt.name, err)
			continue
		}
		if p.Class() != tt.class {
			t.Errorf("ByName(%q).Class() = %q", tt.name, p.Class())
		}
		if !strings.HasSuffix(tt.class, "."+ShortName(p)) {
			t.Errorf("ShortName = %q", ShortName(p))
		}
	}
	for _, bad := range []string{"", "Murmur3", "murmur3partitioner", "com.example.Murmur3Partitioner", "LocalPartitioner"} {
		_, err := ByName(bad)
		var ue *UnknownPartitionerError
		if !errors.As(err, &ue) || ue.Name != bad || !errors.Is(err, ErrUnknownPartitioner) {
			t.Errorf("ByName(%q) err = %v", bad, err)
		}
	}
}

func TestMinTokens(t *testing.T) {
	tests := []struct {
		p    Partitioner
		want string
	}{
		{Murmur3Partitioner{}, "-9223372036854775808"},
		{RandomPartitioner{}, "-1"},
		{ByteOrderedPartitioner{}, ""},
		{OrderPreservingPartitioner{}, ""},
	}
	for _, tt := range tests {
		min := tt.p.MinToken()
		if min.String() != tt.want {
			t.Errorf("%s min = %q, want %q", ShortName(tt.p), min, tt.want)
		}
		if !IsMin(tt.p, min) {
			t.Errorf("%s: IsMin(min) false", ShortName(tt.p))
		}
		// The minimum sorts before the token of every key.
		for _, k := range []string{"", "a", "\x00", "\xff\xff", "key1", "\U0001F600"} {
			if c := min.Compare(tt.p.Token([]byte(k))); c > 0 {
				t.Errorf("%s: min > Token(%q)", ShortName(tt.p), k)
			}
		}
	}
}

func TestParseToken(t *testing.T) {
	tests := []struct {
		p       Partitioner
		in      string
		want    string // canonical String of the parsed token
		wantErr bool
	}{
		{Murmur3Partitioner{}, "-1053604476080545076", "-1053604476080545076", false},
		{Murmur3Partitioner{}, "+42", "42", false},
		{Murmur3Partitioner{}, "9223372036854775807", "9223372036854775807", false},
		{Murmur3Partitioner{}, "-9223372036854775808", "-9223372036854775808", false},
		{Murmur3Partitioner{}, "9223372036854775808", "", true},
		{Murmur3Partitioner{}, "abc", "", true},
		{Murmur3Partitioner{}, "", "", true},
		{Murmur3Partitioner{}, " 1", "", true},
		{Murmur3Partitioner{}, "1_000", "", true},
		{Murmur3Partitioner{}, "0x10", "", true},
		{RandomPartitioner{}, "-1", "-1", false},
		{RandomPartitioner{}, "0", "0", false},
		{RandomPartitioner{}, "-0", "0", false},
		{RandomPartitioner{}, "+7", "7", false},
		{RandomPartitioner{}, "170141183460469231731687303715884105728", "170141183460469231731687303715884105728", false},
		{RandomPartitioner{}, "170141183460469231731687303715884105729", "", true},
		{RandomPartitioner{}, "-2", "", true},
		{RandomPartitioner{}, "abc", "", true},
		{RandomPartitioner{}, "", "", true},
		{RandomPartitioner{}, "0x10", "", true},
		{RandomPartitioner{}, "1_0", "", true},
		{RandomPartitioner{}, strings.Repeat("1", 200), "", true},
		{ByteOrderedPartitioner{}, "", "", false},
		{ByteOrderedPartitioner{}, "00ff", "00ff", false},
		{ByteOrderedPartitioner{}, "ABcd", "abcd", false},
		{ByteOrderedPartitioner{}, "abc", "0abc", false},
		{ByteOrderedPartitioner{}, "1", "01", false},
		{ByteOrderedPartitioner{}, "xy", "", true},
		{ByteOrderedPartitioner{}, "0g", "", true},
		{OrderPreservingPartitioner{}, "", "", false},
		{OrderPreservingPartitioner{}, "abc", "abc", false},
		{OrderPreservingPartitioner{}, "ünï", "ünï", false},
	}
	for _, tt := range tests {
		name := ShortName(tt.p)
		tok, err := tt.p.ParseToken(tt.in)
		if tt.wantErr {
			var te *TokenError
			if !errors.As(err, &te) || !errors.Is(err, ErrInvalidToken) || te.Token != tt.in || te.Partitioner != name {
				t.Errorf("%s.ParseToken(%q) err = %v, want *TokenError", name, tt.in, err)
			}
			if tok != nil {
				t.Errorf("%s.ParseToken(%q) token = %v on error", name, tt.in, tok)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s.ParseToken(%q): %v", name, tt.in, err)
			continue
		}
		if tok.String() != tt.want {
			t.Errorf("%s.ParseToken(%q) = %q, want %q", name, tt.in, tok, tt.want)
		}
	}
}

func TestTokenErrorMessage(t *testing.T) {
	_, err := Murmur3Partitioner{}.ParseToken("abc")
	want := `invalid Murmur3Partitioner token "abc": expected a signed 64-bit decimal integer`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
	_, err = Murmur3Partitioner{}.ParseToken(strings.Repeat("x", 1000))
	if err == nil || len(err.Error()) > 200 {
		t.Errorf("long token message not bounded: %d bytes", len(err.Error()))
	}
}

// Every token of a key prints to a string that parses back to an equal token.
func TestStringRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	keys := [][]byte{nil, {0}, {0xff}, []byte("hello"), []byte("ünïcode \U0001F600"), {0xc3, 0x28}}
	for range 500 {
		k := make([]byte, r.IntN(40))
		for i := range k {
			k[i] = byte(r.UintN(256))
		}
		keys = append(keys, k)
	}
	for _, p := range all {
		for _, k := range keys {
			tok := p.Token(k)
			back, err := p.ParseToken(tok.String())
			if err != nil {
				t.Fatalf("%s: ParseToken(%q) of key %x: %v", ShortName(p), tok, k, err)
			}
			if tok.Compare(back) != 0 || back.String() != tok.String() {
				t.Errorf("%s: key %x: %q round trips to %q", ShortName(p), k, tok, back)
			}
		}
		min := p.MinToken()
		back, err := p.ParseToken(min.String())
		if err != nil || back.Compare(min) != 0 {
			t.Errorf("%s: min token round trip: %v %v", ShortName(p), back, err)
		}
	}
}

func TestByteOrderedRowOrder(t *testing.T) {
	// Unsigned byte order, as test_thrift_server.py (Cassandra 2.0's
	// Thrift system test) checks: "-a" < "0" < "10" < "2" < "a".
	want := []string{"-a", "0", "10", "2", "a"}
	got := slices.Clone(want)
	r := rand.New(rand.NewPCG(3, 4))
	r.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
	p := ByteOrderedPartitioner{}
	slices.SortFunc(got, func(a, b string) int { return p.CompareKeys([]byte(a), []byte(b)) })
	if !slices.Equal(got, want) {
		t.Errorf("order = %q, want %q", got, want)
	}
	if got := p.Token([]byte("\x00\xab")).String(); got != "00ab" {
		t.Errorf("Token = %q", got)
	}
}

func TestOrderPreservingTokens(t *testing.T) {
	p := OrderPreservingPartitioner{}
	tests := []struct{ key, want string }{
		{"", ""},
		{"abc", "abc"},
		{"ünï", "ünï"},
		{"\x00", "\x00"},
		{"\xc3\x28", "c328"},             // invalid UTF-8: hex
		{"\xed\xa0\x80", "eda080"},       // an encoded surrogate is invalid in Java too
		{"\xc0\x80", "c080"},             // overlong NUL (Java's modified UTF-8) is invalid
		{"\xf4\x90\x80\x80", "f4908080"}, // beyond U+10FFFF
	}
	for _, tt := range tests {
		if got := p.Token([]byte(tt.key)).String(); got != tt.want {
			t.Errorf("Token(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

// javaCompare is String.compareTo on the UTF-16 form Go produces for s
// (invalid bytes become U+FFFD one per byte).
func javaCompare(a, b string) int {
	return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
}

func TestCompareUTF16(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "a", -1},
		{"a", "b", -1},
		{"ab", "a", 1},
		{"\uFFFF", "\U00010000", 1}, // the surrogate pair sorts first in UTF-16
		{"\uE000", "\U0010FFFF", 1},
		{"\uD7FF", "\U00010000", -1},
		{"\U00010000", "\U00010001", -1},
		{"\U0001F600", "\U0001F601", -1},
		{"x\uFFFD", "x\U00010000", 1},
		{"\xe2\x82", "\xe2\x82\xac", 1}, // U+FFFD U+FFFD vs U+20AC
		{"\xff", "\xfe", 0},             // both U+FFFD
		{"\xff", "\xfe\x00", -1},
	}
	for _, tt := range tests {
		if got := compareUTF16(tt.a, tt.b); got != tt.want {
			t.Errorf("compareUTF16(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := javaCompare(tt.a, tt.b); got != tt.want {
			t.Errorf("javaCompare(%q, %q) = %d, want %d (test is wrong)", tt.a, tt.b, got, tt.want)
		}
	}
	// Random strings over an alphabet that crosses the surrogate boundary.
	alphabet := []string{"a", "z", "é", "\u07ff", "\u0800", "\uD7FF", "\uE000", "\uFFFD", "\uFFFF", "\U00010000", "\U0010FFFF", "\xff", "\xe2", "\x82"}
	r := rand.New(rand.NewPCG(5, 6))
	gen := func() string {
		var sb strings.Builder
		for range r.IntN(6) {
			sb.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		return sb.String()
	}
	for range 20000 {
		checkCompareUTF16(t, gen(), gen())
	}
}

// Sorting random keys with CompareKeys must give (token, key bytes) order,
// and for hashed partitioners that is not key order.
func TestRowOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var keys [][]byte
	for i := range 300 {
		keys = append(keys, []byte(fmt.Sprintf("key%d", i)))
	}
	keys = append(keys, nil, []byte{0xff}, []byte("\U0001F600"), []byte("\uFFFF"), []byte{0xc3, 0x28})
	for _, p := range all {
		ks := slices.Clone(keys)
		r.Shuffle(len(ks), func(i, j int) { ks[i], ks[j] = ks[j], ks[i] })
		slices.SortFunc(ks, p.CompareKeys)
		for i := 1; i < len(ks); i++ {
			ta, tb := p.Token(ks[i-1]), p.Token(ks[i])
			c := ta.Compare(tb)
			if c > 0 || (c == 0 && bytes.Compare(ks[i-1], ks[i]) >= 0) {
				t.Fatalf("%s: %q (%v) sorted before %q (%v)", ShortName(p), ks[i-1], ta, ks[i], tb)
			}
			// DecoratedKey agrees with CompareKeys.
			if Decorate(p, ks[i-1]).Compare(Decorate(p, ks[i])) >= 0 || !Decorate(p, ks[i-1]).Less(Decorate(p, ks[i])) {
				t.Fatalf("%s: DecoratedKey order disagrees at %q, %q", ShortName(p), ks[i-1], ks[i])
			}
		}
		hashed := ShortName(p) == "Murmur3Partitioner" || ShortName(p) == "RandomPartitioner"
		if hashed && slices.IsSortedFunc(ks, bytes.Compare) {
			t.Errorf("%s: rows came out in key order", ShortName(p))
		}
	}
}

// Keys with equal tokens are ordered by unsigned key bytes.
func TestEqualTokenTieBreak(t *testing.T) {
	p := OrderPreservingPartitioner{}
	// "c328" as text and the invalid key c3 28 have the same token "c328".
	a, b := []byte("c328"), []byte{0xc3, 0x28}
	if p.Token(a).Compare(p.Token(b)) != 0 {
		t.Fatal("tokens differ")
	}
	if p.CompareKeys(a, b) != -1 || p.CompareKeys(b, a) != 1 || p.CompareKeys(a, a) != 0 {
		t.Errorf("tie-break by unsigned bytes failed")
	}
	da, db := DecoratedKey{Token: p.Token(a), Key: a}, DecoratedKey{Token: p.Token(b), Key: b}
	if da.Compare(db) != -1 {
		t.Errorf("DecoratedKey tie-break failed")
	}
	if (DecoratedKey{}).Compare(da) != -1 || da.Compare(DecoratedKey{}) != 1 || (DecoratedKey{}).Compare(DecoratedKey{}) != 0 {
		t.Errorf("nil token does not sort first")
	}
}

func TestTokenOrder(t *testing.T) {
	m := func(v int64) Token { return Murmur3Token(v) }
	rp := RandomPartitioner{}
	rt := func(s string) Token { tok, err := rp.ParseToken(s); must(t, err); return tok }
	tests := []struct {
		a, b Token
		want int
	}{
		{m(-5), m(3), -1},
		{m(3), m(3), 0},
		{Murmur3MinToken, m(-9223372036854775807), -1},
		{rt("-1"), rt("0"), -1},
		{rt("18446744073709551616"), rt("18446744073709551615"), 1}, // 2^64 > 2^64-1
		{rt("170141183460469231731687303715884105728"), rt("170141183460469231731687303715884105727"), 1},
		{BytesToken{}, BytesToken{0}, -1},
		{BytesToken{0x80}, BytesToken{0x7f, 0xff}, 1}, // unsigned
		{StringToken(""), StringToken("a"), -1},
		{StringToken("\uFFFF"), StringToken("\U00010000"), 1},
		// Different kinds: a fixed order, never a panic.
		{m(0), rt("0"), -1},
		{rt("0"), m(0), 1},
		{BytesToken{}, StringToken(""), -1},
		{StringToken(""), nil, 1},
	}
	for _, tt := range tests {
		if got := tt.a.Compare(tt.b); got != tt.want {
			t.Errorf("%v.Compare(%v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if tt.b != nil {
			if got := tt.b.Compare(tt.a); got != -tt.want {
				t.Errorf("%v.Compare(%v) = %d, want %d", tt.b, tt.a, got, -tt.want)
			}
		}
	}
	// Sorting random parsed Random tokens matches big.Int order.
	r := rand.New(rand.NewPCG(9, 10))
	var toks []RandomToken
	for range 500 {
		toks = append(toks, rp.Hash([]byte{byte(r.UintN(256)), byte(r.UintN(256)), byte(r.UintN(256))}))
	}
	slices.SortFunc(toks, func(a, b RandomToken) int { return a.Compare(b) })
	for i := 1; i < len(toks); i++ {
		if toks[i-1].BigInt().Cmp(toks[i].BigInt()) > 0 {
			t.Fatalf("random tokens out of order: %v > %v", toks[i-1], toks[i])
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestRangeContains(t *testing.T) {
	m := func(v int64) Token { return Murmur3Token(v) }
	tests := []struct {
		start, end, tok int64
		want            bool
	}{
		{0, 10, 0, false}, // start exclusive
		{0, 10, 1, true},
		{0, 10, 10, true}, // end inclusive
		{0, 10, 11, false},
		{10, 0, 11, true}, // wraps
		{10, 0, -100, true},
		{10, 0, 0, true},
		{10, 0, 5, false},
		{10, 0, 10, false},
		{5, 5, 5, true}, // whole ring
		{5, 5, -9, true},
		{7, -9223372036854775808, 8, true}, // end = min: to the end of the ring
		{7, -9223372036854775808, 6, false},
	}
	if RangeContains(nil, nil, nil) != true || RangeContains(m(1), m(2), nil) != false {
		t.Error("nil tokens")
	}
	for _, tt := range tests {
		if got := RangeContains(m(tt.start), m(tt.end), m(tt.tok)); got != tt.want {
			t.Errorf("RangeContains(%d, %d, %d) = %v", tt.start, tt.end, tt.tok, got)
		}
	}
}
