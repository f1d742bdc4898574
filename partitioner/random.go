package partitioner

import (
	"bytes"
	"cmp"
	"crypto/md5"
	"encoding/binary"
	"math/big"
	"math/bits"
	"strconv"
)

// RandomPartitioner is Cassandra's MD5 partitioner. The token of a key is
// abs(BigInteger(MD5(key))): the digest read as a signed big-endian integer,
// then made non-negative, so tokens lie in 0..2^127. The zero value is ready
// to use.
type RandomPartitioner struct{}

// RandomToken is a RandomPartitioner token: an integer in -1..2^127, where -1
// is the minimum token that no key has. It is printed in decimal. The zero
// value is the token 0. RandomToken is comparable with ==.
type RandomToken struct {
	hi, lo uint64 // the value as an unsigned 128-bit integer
	neg    bool   // the value is -1 (hi and lo are then zero)
}

// RandomMinToken is the minimum RandomPartitioner token, -1.
var RandomMinToken = RandomToken{neg: true}

var (
	_ Partitioner = RandomPartitioner{}
	_ Splitter    = RandomPartitioner{}

	// randomMax is 2^127, the largest token; randomRing is the number of
	// tokens on the ring, -1 to 2^127.
	randomMax  = new(big.Int).Lsh(big.NewInt(1), 127)
	randomRing = new(big.Int).Add(randomMax, big.NewInt(2))
)

// maxRandomTokenLen bounds the token strings ParseToken reads: 2^127 has 39
// digits, and a bound keeps a peer from making us parse megabytes.
const maxRandomTokenLen = 128

// Class implements Partitioner.
func (RandomPartitioner) Class() string { return RandomClass }

// Hash returns the token of key without boxing it in an interface. The
// empty key has the minimum token, as in Cassandra.
func (RandomPartitioner) Hash(key []byte) RandomToken {
	if len(key) == 0 {
		return RandomMinToken
	}
	d := md5.Sum(key)
	hi := binary.BigEndian.Uint64(d[:8])
	lo := binary.BigEndian.Uint64(d[8:])
	if hi>>63 == 1 {
		// Negative as a signed 128-bit value: its absolute value is the
		// two's complement, which for -2^127 is 2^127 and still fits.
		hi, lo = ^hi, ^lo
		var c uint64
		lo, c = bits.Add64(lo, 1, 0)
		hi += c
	}
	return RandomToken{hi: hi, lo: lo}
}

// Token implements Partitioner. The empty key has the minimum token.
func (p RandomPartitioner) Token(key []byte) Token { return p.Hash(key) }

// MinToken implements Partitioner.
func (RandomPartitioner) MinToken() Token { return RandomMinToken }

// ParseToken implements Partitioner: a decimal integer from -1 to 2^127.
// Cassandra's BigInteger parser takes any integer; values outside the token
// range cannot name a position on the ring, so they are refused here.
func (RandomPartitioner) ParseToken(s string) (Token, error) {
	t, ok := parseRandom(s)
	if !ok {
		return nil, &TokenError{Partitioner: "RandomPartitioner", Token: s,
			Reason: "expected a decimal integer from -1 to 2^127"}
	}
	return t, nil
}

func parseRandom(s string) (RandomToken, bool) {
	if len(s) == 0 || len(s) > maxRandomTokenLen {
		return RandomToken{}, false
	}
	// big.Int.SetString would also take "0x..", "_" and the like with base
	// 0; with base 10 it takes an optional sign and digits, like BigInteger.
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return RandomToken{}, false
	}
	return RandomTokenFromBig(v)
}

// RandomTokenFromBig converts v to a RandomToken; ok is false when v is
// nil or outside -1..2^127.
func RandomTokenFromBig(v *big.Int) (t RandomToken, ok bool) {
	switch {
	case v == nil:
		return RandomToken{}, false
	case v.Sign() < 0:
		if v.IsInt64() && v.Int64() == -1 {
			return RandomMinToken, true
		}
		return RandomToken{}, false
	case v.Cmp(randomMax) > 0:
		return RandomToken{}, false
	}
	var buf [16]byte
	v.FillBytes(buf[:])
	return RandomToken{hi: binary.BigEndian.Uint64(buf[:8]), lo: binary.BigEndian.Uint64(buf[8:])}, true
}

// CompareKeys implements Partitioner.
func (p RandomPartitioner) CompareKeys(a, b []byte) int {
	if c := p.Hash(a).cmp(p.Hash(b)); c != 0 {
		return c
	}
	return bytes.Compare(a, b)
}

// Split implements Splitter. The ring holds every token from -1 to 2^127
// once, so a wrapping range runs from start up to 2^127, then on from -1 to
// end, and start == end spans all 2^127+2 tokens. (Cassandra's own split
// counts modulo 2^127 with -1 as 0; the cuts differ by at most a token or
// two.) The first and last tokens returned are start and end themselves.
func (RandomPartitioner) Split(start, end Token, parts int) ([]Token, error) {
	s, ok1 := start.(RandomToken)
	e, ok2 := end.(RandomToken)
	if !ok1 || !ok2 {
		return nil, ErrTokenKind
	}
	if parts < 1 {
		return nil, ErrSplitParts
	}
	vs := s.BigInt()
	width := new(big.Int).Sub(e.BigInt(), vs)
	width.Mod(width, randomRing)
	if width.Sign() == 0 {
		width.Set(randomRing) // start == end: the whole ring
	}
	n := int64(min(parts, MaxSplitParts))
	if width.IsInt64() && width.Int64() < n {
		n = width.Int64()
	}
	out := make([]Token, 0, n+1)
	out = append(out, s)
	bn := big.NewInt(n)
	var x, bi big.Int
	for i := int64(1); i < n; i++ {
		x.Mul(width, bi.SetInt64(i))
		x.Quo(&x, bn)
		x.Add(&x, vs)
		if x.Cmp(randomMax) > 0 {
			x.Sub(&x, randomRing)
		}
		t, _ := RandomTokenFromBig(&x) // always in -1..2^127
		out = append(out, t)
	}
	return append(out, e), nil
}

// BigInt returns the token's value.
func (t RandomToken) BigInt() *big.Int {
	if t.neg {
		return big.NewInt(-1)
	}
	var buf [16]byte
	binary.BigEndian.PutUint64(buf[:8], t.hi)
	binary.BigEndian.PutUint64(buf[8:], t.lo)
	return new(big.Int).SetBytes(buf[:])
}

// String implements Token: the decimal value.
func (t RandomToken) String() string {
	if t.neg {
		return "-1"
	}
	if t.hi == 0 {
		return strconv.FormatUint(t.lo, 10)
	}
	return t.BigInt().String()
}

// Compare implements Token: integer order.
// Tokens of other kinds order as the package doc says.
func (t RandomToken) Compare(other Token) int {
	o, ok := other.(RandomToken)
	if !ok {
		return compareKinds(kindRandom, other)
	}
	return t.cmp(o)
}

func (t RandomToken) cmp(o RandomToken) int {
	switch {
	case t.neg || o.neg:
		return boolCmp(o.neg, t.neg)
	case t.hi != o.hi:
		return cmp.Compare(t.hi, o.hi)
	}
	return cmp.Compare(t.lo, o.lo)
}

// boolCmp orders false before true.
func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case b:
		return -1
	}
	return 1
}
