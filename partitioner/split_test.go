package partitioner

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

func murmurInts(t *testing.T, toks []Token) []int64 {
	t.Helper()
	out := make([]int64, len(toks))
	for i, tok := range toks {
		out[i] = int64(tok.(Murmur3Token))
	}
	return out
}

func TestMurmur3Split(t *testing.T) {
	var p Murmur3Partitioner
	tests := []struct {
		name       string
		start, end int64
		parts      int
		want       []int64
	}{
		{"simple", 0, 100, 4, []int64{0, 25, 50, 75, 100}},
		{"one part", 0, 100, 1, []int64{0, 100}},
		{"uneven", 0, 10, 3, []int64{0, 3, 6, 10}},
		{"parts capped by width", 0, 3, 10, []int64{0, 1, 2, 3}},
		{"wraps", math.MaxInt64 - 9, math.MinInt64 + 10, 2, []int64{math.MaxInt64 - 9, math.MinInt64, math.MinInt64 + 10}},
		{"to end of ring", 0, math.MinInt64, 2, []int64{0, 1 << 62, math.MinInt64}},
		{"whole ring", math.MinInt64, math.MinInt64, 4, []int64{math.MinInt64, -1 << 62, 0, 1 << 62, math.MinInt64}},
		{"whole ring from 0", 0, 0, 2, []int64{0, math.MinInt64, 0}},
		{"full ring, many parts", 5, 5, 1, []int64{5, 5}},
	}
	for _, tt := range tests {
		got, err := p.Split(Murmur3Token(tt.start), Murmur3Token(tt.end), tt.parts)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if g := murmurInts(t, got); !slices.Equal(g, tt.want) {
			t.Errorf("%s: Split = %v, want %v", tt.name, g, tt.want)
		}
		// Each cut lies in the range and after the previous one, in ring order.
		for i := 1; i+1 < len(got); i++ {
			if !RangeContains(got[i-1], got[len(got)-1], got[i]) {
				t.Errorf("%s: %v is not inside (%v, end]", tt.name, got[i], got[i-1])
			}
		}
	}
}

func TestRandomSplit(t *testing.T) {
	var p RandomPartitioner
	tok := func(s string) Token { tt, err := p.ParseToken(s); must(t, err); return tt }
	str := func(ts []Token) []string {
		var out []string
		for _, x := range ts {
			out = append(out, x.String())
		}
		return out
	}
	two127 := new(big.Int).Lsh(big.NewInt(1), 127).String()
	two126 := new(big.Int).Lsh(big.NewInt(1), 126).String()
	two126m1 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 126), big.NewInt(1)).String()
	tests := []struct {
		name       string
		start, end string
		parts      int
		want       []string
	}{
		{"simple", "0", "100", 4, []string{"0", "25", "50", "75", "100"}},
		{"capped", "0", "2", 5, []string{"0", "1", "2"}},
		{"whole ring from min", "-1", "-1", 2, []string{"-1", two126, "-1"}},
		{"to end of ring", "0", "-1", 2, []string{"0", two126, "-1"}},
		{"wraps", "170141183460469231731687303715884105718", "10", 2, []string{"170141183460469231731687303715884105718", "-1", "10"}},
		{"wraps from max", two127, "4", 2, []string{two127, "1", "4"}},
		{"min to 0 is one token", "-1", "0", 4, []string{"-1", "0"}},
		{"max to 0", two127, "0", 4, []string{two127, "-1", "0"}},
		{"whole ring from max", two127, two127, 2, []string{two127, two126m1, two127}},
	}
	for _, tt := range tests {
		got, err := p.Split(tok(tt.start), tok(tt.end), tt.parts)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if g := str(got); !slices.Equal(g, tt.want) {
			t.Errorf("%s: Split = %v, want %v", tt.name, g, tt.want)
		}
	}
}

func TestSplitErrors(t *testing.T) {
	for _, p := range all {
		min := p.MinToken()
		if _, err := Split(p, min, min, 0); !errors.Is(err, ErrSplitParts) {
			t.Errorf("%s: parts 0: %v", ShortName(p), err)
		}
		var other Token = StringToken("")
		if _, ok := min.(StringToken); ok {
			other = Murmur3MinToken
		}
		if _, err := Split(p, min, other, 2); !errors.Is(err, ErrTokenKind) {
			t.Errorf("%s: mixed kinds: %v", ShortName(p), err)
		}
		if _, err := Split(p, nil, min, 2); !errors.Is(err, ErrTokenKind) {
			t.Errorf("%s: nil token: %v", ShortName(p), err)
		}
	}
	// Ordered partitioners keep the range whole.
	got, err := Split(ByteOrderedPartitioner{}, BytesToken{1}, BytesToken{9}, 8)
	if err != nil || len(got) != 2 || got[0].String() != "01" || got[1].String() != "09" {
		t.Errorf("ByteOrdered Split = %v, %v", got, err)
	}
	got, err = Split(OrderPreservingPartitioner{}, StringToken("a"), StringToken("z"), 8)
	if err != nil || len(got) != 2 || got[0].String() != "a" || got[1].String() != "z" {
		t.Errorf("OrderPreserving Split = %v, %v", got, err)
	}
	// A huge part count is capped, not allocated.
	got, err = Murmur3Partitioner{}.Split(Murmur3MinToken, Murmur3MinToken, math.MaxInt)
	if err != nil || len(got) != MaxSplitParts+1 {
		t.Errorf("capped Split: %d tokens, %v", len(got), err)
	}
}

// Cuts come in ring order, strictly inside (start, end], and evenly spaced
// widths add up, for random ranges of both hashing partitioners.
func TestSplitProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, p := range []Partitioner{Murmur3Partitioner{}, RandomPartitioner{}} {
		for range 2000 {
			a, b := p.Token([]byte{byte(r.UintN(4))}), p.Token([]byte{byte(r.UintN(4)), 1})
			if r.IntN(8) == 0 {
				a = p.MinToken()
			}
			if r.IntN(8) == 0 {
				b = a
			}
			parts := 1 + r.IntN(50)
			got, err := Split(p, a, b, parts)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != parts+1 || got[0] != a || got[len(got)-1] != b {
				t.Fatalf("%s: Split(%v, %v, %d) = %v", ShortName(p), a, b, parts, got)
			}
			for i := 1; i+1 < len(got); i++ {
				if got[i].Compare(got[i-1]) == 0 || got[i].Compare(b) == 0 {
					t.Fatalf("%s: repeated cut %v in %v", ShortName(p), got[i], got)
				}
				if !RangeContains(got[i-1], b, got[i]) || !RangeContains(a, b, got[i]) {
					t.Fatalf("%s: cut %v out of ring order in %v", ShortName(p), got[i], got)
				}
			}
		}
	}
}
