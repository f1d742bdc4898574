package partitioner

import (
	"errors"
	"math"
	"math/big"
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
		g := murmurInts(t, got)
		if len(g) != len(tt.want) {
			t.Errorf("%s: Split = %v, want %v", tt.name, g, tt.want)
			continue
		}
		for i := range g {
			if g[i] != tt.want[i] {
				t.Errorf("%s: Split = %v, want %v", tt.name, g, tt.want)
				break
			}
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
		{"wraps", "170141183460469231731687303715884105718", "10", 2, []string{"170141183460469231731687303715884105718", "0", "10"}},
		{"max is position 0", two127, "4", 2, []string{two127, "2", "4"}},
	}
	for _, tt := range tests {
		got, err := p.Split(tok(tt.start), tok(tt.end), tt.parts)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		g := str(got)
		if len(g) != len(tt.want) {
			t.Errorf("%s: Split = %v, want %v", tt.name, g, tt.want)
			continue
		}
		for i := range g {
			if g[i] != tt.want[i] {
				t.Errorf("%s: Split = %v, want %v", tt.name, g, tt.want)
				break
			}
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
