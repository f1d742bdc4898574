package partitioner

import (
	"bytes"
	"cmp"
	"strings"
)

// Token is a position on the ring. Tokens of different partitioners are
// never compared with each other.
type Token interface {
	// String renders the token as Cassandra prints it (describe_ring, KeyRange).
	String() string
	// Compare orders two tokens of the same partitioner.
	Compare(other Token) int
}

// Partitioner maps row keys to tokens, as Cassandra's IPartitioner does.
// Implementations are stateless and safe for concurrent use.
type Partitioner interface {
	// Class returns the fully qualified class name describe_partitioner reports,
	// e.g. "org.apache.cassandra.dht.Murmur3Partitioner".
	Class() string
	// Token returns the token of a row key.
	Token(key []byte) Token
	// MinToken returns the partitioner's minimum token.
	MinToken() Token
	// ParseToken parses a token string as Cassandra prints it.
	ParseToken(s string) (Token, error)
	// CompareKeys orders two row keys as a range scan does: by token, then by
	// the raw key bytes compared unsigned.
	CompareKeys(a, b []byte) int
}

// Splitter is implemented by partitioners that can cut a token range into
// evenly spaced pieces (describe_splits). All four partitioners of this
// package implement it.
type Splitter interface {
	// Split returns parts+1 tokens [start, t1, ..., end] that cut the ring
	// range (start, end] into parts pieces of (nearly) equal token width.
	//
	// The range follows Cassandra's Range semantics: when start >= end it
	// wraps past the largest token to the minimum token, so the returned
	// tokens are in ring order, not sorted order; start == end is the whole
	// ring; an end equal to the minimum token means "to the end of the ring".
	// parts is capped at MaxSplitParts and at the number of tokens in the
	// range, so no two returned tokens are equal (except start == end).
	// An error is returned when parts < 1 or a token belongs to another
	// partitioner.
	Split(start, end Token, parts int) ([]Token, error)
}

// MaxSplitParts caps the number of pieces Split produces, so a request
// computed from a peer's numbers cannot demand an unbounded allocation.
const MaxSplitParts = 1 << 20

// Fully qualified class names, as describe_partitioner reports them.
const (
	Murmur3Class         = "org.apache.cassandra.dht.Murmur3Partitioner"
	RandomClass          = "org.apache.cassandra.dht.RandomPartitioner"
	ByteOrderedClass     = "org.apache.cassandra.dht.ByteOrderedPartitioner"
	OrderPreservingClass = "org.apache.cassandra.dht.OrderPreservingPartitioner"
	classPackage         = "org.apache.cassandra.dht."
)

// ByName returns the partitioner with the given class name, short
// ("Murmur3Partitioner") or fully qualified
// ("org.apache.cassandra.dht.Murmur3Partitioner"). As in cassandra.yaml, a
// name without a dot is taken to live in org.apache.cassandra.dht. Unknown
// names give an *UnknownPartitionerError.
func ByName(name string) (Partitioner, error) {
	full := name
	if !strings.Contains(name, ".") {
		full = classPackage + name
	}
	switch full {
	case Murmur3Class:
		return Murmur3Partitioner{}, nil
	case RandomClass:
		return RandomPartitioner{}, nil
	case ByteOrderedClass:
		return ByteOrderedPartitioner{}, nil
	case OrderPreservingClass:
		return OrderPreservingPartitioner{}, nil
	}
	return nil, &UnknownPartitionerError{Name: name}
}

// ShortName returns the class name of p without its package, e.g.
// "Murmur3Partitioner".
func ShortName(p Partitioner) string {
	c := p.Class()
	return c[strings.LastIndexByte(c, '.')+1:]
}

// IsMin reports whether t is p's minimum token.
func IsMin(p Partitioner, t Token) bool {
	return t != nil && t.Compare(p.MinToken()) == 0
}

// Split cuts (start, end] into parts pieces with p's Splitter, see
// Splitter.Split. A partitioner without one yields just [start, end].
func Split(p Partitioner, start, end Token, parts int) ([]Token, error) {
	if s, ok := p.(Splitter); ok {
		return s.Split(start, end, parts)
	}
	if parts < 1 {
		return nil, ErrSplitParts
	}
	return []Token{start, end}, nil
}

// RangeContains reports whether t lies in the ring range (start, end], with
// Cassandra's Range.contains semantics: start exclusive, end inclusive; when
// start >= end the range wraps past the largest token to the smallest, and
// start == end covers the whole ring.
// A nil token sorts before every other token.
func RangeContains(start, end, t Token) bool {
	after, upTo := compareTokens(t, start) > 0, compareTokens(t, end) <= 0
	if compareTokens(start, end) >= 0 { // wraps
		return after || upTo
	}
	return after && upTo
}

// DecoratedKey is a row key with its token. Its order (Compare) is the order
// of rows in every range scan: by token, then by the key bytes unsigned.
type DecoratedKey struct {
	Token Token
	Key   []byte
}

// Decorate returns key with its token under p.
func Decorate(p Partitioner, key []byte) DecoratedKey {
	return DecoratedKey{Token: p.Token(key), Key: key}
}

// Compare returns -1, 0 or +1 as k sorts before, equal to or after o. A nil
// Token sorts before every token.
func (k DecoratedKey) Compare(o DecoratedKey) int {
	if c := compareTokens(k.Token, o.Token); c != 0 {
		return c
	}
	return bytes.Compare(k.Key, o.Key)
}

// Less reports whether k sorts before o; handy for btree.NewG.
func (k DecoratedKey) Less(o DecoratedKey) bool { return k.Compare(o) < 0 }

// compareTokens is Compare with nil handled on both sides.
func compareTokens(a, b Token) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(b)
}

// Token kinds give a fixed, documented order between tokens of different
// partitioners, so Compare never has to panic on a mismatch.
const (
	kindNil = iota
	kindMurmur3
	kindRandom
	kindBytes
	kindString
	kindOther
)

func kindOf(t Token) int {
	switch t.(type) {
	case nil:
		return kindNil
	case Murmur3Token:
		return kindMurmur3
	case RandomToken:
		return kindRandom
	case BytesToken:
		return kindBytes
	case StringToken:
		return kindString
	}
	return kindOther
}

// compareKinds orders tokens of different kinds: nil first, then Murmur3,
// Random, ByteOrdered, OrderPreserving, then foreign implementations.
func compareKinds(a int, other Token) int {
	return cmp.Compare(a, kindOf(other))
}
