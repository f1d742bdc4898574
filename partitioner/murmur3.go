package partitioner

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
)

// Murmur3Partitioner is Cassandra's default partitioner. The token of a key
// is h1 of MurmurHash3 x64 128 (seed 0) as Cassandra computes it, which
// differs from Austin Appleby's original MurmurHash3 for keys whose tail
// holds a byte >= 0x80 (see murmur3x64). The zero value is ready to use.
type Murmur3Partitioner struct{}

// Murmur3Token is a Murmur3Partitioner token: a signed 64-bit integer,
// printed in decimal. Its minimum is math.MinInt64, which no key hashes to.
type Murmur3Token int64

// Murmur3MinToken is the minimum Murmur3Partitioner token.
const Murmur3MinToken = Murmur3Token(math.MinInt64)

var (
	_ Partitioner = Murmur3Partitioner{}
	_ Splitter    = Murmur3Partitioner{}
)

// Class implements Partitioner.
func (Murmur3Partitioner) Class() string { return Murmur3Class }

// Hash returns the token of key without boxing it in an interface, for hot
// paths such as token-aware routing.
func (Murmur3Partitioner) Hash(key []byte) Murmur3Token {
	if len(key) == 0 {
		return Murmur3MinToken
	}
	h1, _ := murmur3x64(key, 0)
	return murmur3Normalize(h1)
}

// murmur3Normalize turns h1 into a token. Cassandra reserves Long.MIN_VALUE
// for the minimum token, so a key hashing there gets Long.MAX_VALUE.
func murmur3Normalize(h1 uint64) Murmur3Token {
	v := int64(h1)
	if v == math.MinInt64 {
		v = math.MaxInt64
	}
	return Murmur3Token(v)
}

// Token implements Partitioner. The empty key has the minimum token.
func (p Murmur3Partitioner) Token(key []byte) Token { return p.Hash(key) }

// MinToken implements Partitioner.
func (Murmur3Partitioner) MinToken() Token { return Murmur3MinToken }

// ParseToken implements Partitioner: a decimal signed 64-bit integer, as
// Java's Long.parseLong reads it (an optional sign, then ASCII digits).
func (Murmur3Partitioner) ParseToken(s string) (Token, error) {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, &TokenError{Partitioner: "Murmur3Partitioner", Token: s,
			Reason: "expected a signed 64-bit decimal integer"}
	}
	return Murmur3Token(v), nil
}

// CompareKeys implements Partitioner.
func (p Murmur3Partitioner) CompareKeys(a, b []byte) int {
	if c := p.Hash(a).cmp(p.Hash(b)); c != 0 {
		return c
	}
	return bytes.Compare(a, b)
}

// Split implements Splitter. Distances are taken modulo 2^64 on the signed
// token space, so a wrapping range runs from start up to the largest token,
// then on from the minimum token to end.
func (Murmur3Partitioner) Split(start, end Token, parts int) ([]Token, error) {
	s, ok1 := start.(Murmur3Token)
	e, ok2 := end.(Murmur3Token)
	if !ok1 || !ok2 {
		return nil, ErrTokenKind
	}
	if parts < 1 {
		return nil, ErrSplitParts
	}
	// width is the number of tokens in (s, e]; hi is set when it is 2^64
	// (start == end, the whole ring), which does not fit a uint64.
	width := uint64(e) - uint64(s)
	var hi uint64
	if width == 0 {
		hi = 1
	}
	n := uint64(min(parts, MaxSplitParts))
	if hi == 0 && n > width {
		n = width
	}
	out := make([]Token, 0, n+1)
	out = append(out, s)
	for i := uint64(1); i < n; i++ {
		// off = width*i/n in 128-bit arithmetic; the high word stays below n.
		ph, pl := bits.Mul64(width, i)
		ph += hi * i
		off, _ := bits.Div64(ph, pl, n)
		out = append(out, Murmur3Token(uint64(s)+off))
	}
	return append(out, e), nil
}

// String implements Token: the decimal value.
func (t Murmur3Token) String() string { return strconv.FormatInt(int64(t), 10) }

// Compare implements Token: signed integer order.
// Tokens of other kinds order as the package doc says.
func (t Murmur3Token) Compare(other Token) int {
	o, ok := other.(Murmur3Token)
	if !ok {
		return compareKinds(kindMurmur3, other)
	}
	return t.cmp(o)
}

func (t Murmur3Token) cmp(o Murmur3Token) int { return cmp.Compare(t, o) }

const (
	murmurC1 = 0x87c37b91114253d5
	murmurC2 = 0x4cf5ad432745937f
)

// murmur3x64 is MurmurHash3 x64 128 as Cassandra's MurmurHash.hash3_x64_128
// computes it. The one difference from the original algorithm is in the
// tail: Java reads each remaining byte as a signed byte and widens it to a
// long, so a byte >= 0x80 sets every bit above it instead of being masked to
// 0xff. Cassandra's tokens depend on that, so we reproduce it.
func murmur3x64(data []byte, seed uint64) (h1, h2 uint64) {
	h1, h2 = seed, seed
	p := data
	for len(p) >= 16 {
		k1 := binary.LittleEndian.Uint64(p)
		k2 := binary.LittleEndian.Uint64(p[8:])
		p = p[16:]

		k1 *= murmurC1
		k1 = bits.RotateLeft64(k1, 31)
		k1 *= murmurC2
		h1 ^= k1
		h1 = bits.RotateLeft64(h1, 27)
		h1 += h2
		h1 = h1*5 + 0x52dce729

		k2 *= murmurC2
		k2 = bits.RotateLeft64(k2, 33)
		k2 *= murmurC1
		h2 ^= k2
		h2 = bits.RotateLeft64(h2, 31)
		h2 += h1
		h2 = h2*5 + 0x38495ab5
	}

	var k1, k2 uint64
	switch len(p) {
	case 15:
		k2 ^= signExtend(p[14]) << 48
		fallthrough
	case 14:
		k2 ^= signExtend(p[13]) << 40
		fallthrough
	case 13:
		k2 ^= signExtend(p[12]) << 32
		fallthrough
	case 12:
		k2 ^= signExtend(p[11]) << 24
		fallthrough
	case 11:
		k2 ^= signExtend(p[10]) << 16
		fallthrough
	case 10:
		k2 ^= signExtend(p[9]) << 8
		fallthrough
	case 9:
		k2 ^= signExtend(p[8])
		k2 *= murmurC2
		k2 = bits.RotateLeft64(k2, 33)
		k2 *= murmurC1
		h2 ^= k2
		fallthrough
	case 8:
		k1 ^= signExtend(p[7]) << 56
		fallthrough
	case 7:
		k1 ^= signExtend(p[6]) << 48
		fallthrough
	case 6:
		k1 ^= signExtend(p[5]) << 40
		fallthrough
	case 5:
		k1 ^= signExtend(p[4]) << 32
		fallthrough
	case 4:
		k1 ^= signExtend(p[3]) << 24
		fallthrough
	case 3:
		k1 ^= signExtend(p[2]) << 16
		fallthrough
	case 2:
		k1 ^= signExtend(p[1]) << 8
		fallthrough
	case 1:
		k1 ^= signExtend(p[0])
		k1 *= murmurC1
		k1 = bits.RotateLeft64(k1, 31)
		k1 *= murmurC2
		h1 ^= k1
	}

	n := uint64(len(data))
	h1 ^= n
	h2 ^= n
	h1 += h2
	h2 += h1
	h1 = fmix64(h1)
	h2 = fmix64(h2)
	h1 += h2
	h2 += h1
	return h1, h2
}

// signExtend widens b the way Java widens a byte to a long.
func signExtend(b byte) uint64 { return uint64(int64(int8(b))) }

func fmix64(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}
