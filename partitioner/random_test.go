package partitioner

import (
	"math/big"
	"testing"
)

// Expected values: Python's abs(int.from_bytes(md5(key), "big", signed=True));
// "test" is also the DataStax Python driver's vector quoted in gocql.
func TestRandomVectors(t *testing.T) {
	tests := []struct {
		key, want string
	}{
		{"", "-1"}, // the empty key has the minimum token, not MD5("")
		{"a", "16955237001963240173058271559858726497"},
		{"test", "12707736894140473154801792860916528374"},
		{"hello", "123957004363873451094272536567338222994"},
		{"key1", "81509516161424251288255223397843705139"}, // negative digest
		{"\xff\x00", "41326795130892891511390506479077837876"},
	}
	var p RandomPartitioner
	for _, tt := range tests {
		if got := p.Token([]byte(tt.key)).String(); got != tt.want {
			t.Errorf("Token(%q) = %s, want %s", tt.key, got, tt.want)
		}
	}
}

func TestRandomTokenFromBig(t *testing.T) {
	max := new(big.Int).Lsh(big.NewInt(1), 127)
	tests := []struct {
		v  *big.Int
		ok bool
	}{
		{big.NewInt(-2), false},
		{big.NewInt(-1), true},
		{big.NewInt(0), true},
		{big.NewInt(42), true},
		{new(big.Int).Sub(max, big.NewInt(1)), true},
		{max, true},
		{new(big.Int).Add(max, big.NewInt(1)), false},
	}
	for _, tt := range tests {
		tok, ok := RandomTokenFromBig(tt.v)
		if ok != tt.ok {
			t.Errorf("RandomTokenFromBig(%v) ok = %v", tt.v, ok)
			continue
		}
		if ok && tok.BigInt().Cmp(tt.v) != 0 {
			t.Errorf("RandomTokenFromBig(%v).BigInt() = %v", tt.v, tok.BigInt())
		}
	}
	if _, ok := RandomTokenFromBig(nil); ok {
		t.Error("RandomTokenFromBig(nil) ok")
	}
	// abs(-2^127) = 2^127 is a real token: the digest 0x80 00..00.
	if got := RandomMinToken.Compare(RandomToken{}); got != -1 {
		t.Errorf("-1 vs 0 = %d", got)
	}
}
