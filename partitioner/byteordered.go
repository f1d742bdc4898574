package partitioner

import (
	"bytes"
	"encoding/hex"
)

// ByteOrderedPartitioner orders rows by their raw key bytes: the token of a
// key is the key itself. Token strings are lowercase hex. The zero value is
// ready to use.
type ByteOrderedPartitioner struct{}

// BytesToken is a ByteOrderedPartitioner token: a byte string compared
// unsigned, printed in lowercase hex. The empty token is the minimum.
type BytesToken []byte

var (
	_ Partitioner = ByteOrderedPartitioner{}
	_ Splitter    = ByteOrderedPartitioner{}
)

// Class implements Partitioner.
func (ByteOrderedPartitioner) Class() string { return ByteOrderedClass }

// Token implements Partitioner. The token holds a copy of key, so the caller
// may reuse key afterwards.
func (ByteOrderedPartitioner) Token(key []byte) Token {
	return BytesToken(append([]byte{}, key...))
}

// MinToken implements Partitioner: the empty byte string.
func (ByteOrderedPartitioner) MinToken() Token { return BytesToken{} }

// ParseToken implements Partitioner: hex digits in either case, as
// Cassandra's Hex.hexToBytes reads them; an odd-length string gets a leading
// "0". The empty string is the minimum token.
func (ByteOrderedPartitioner) ParseToken(s string) (Token, error) {
	h := s
	if len(h)%2 == 1 {
		h = "0" + h
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return nil, &TokenError{Partitioner: "ByteOrderedPartitioner", Token: s,
			Reason: "expected hexadecimal digits"}
	}
	return BytesToken(b), nil
}

// CompareKeys implements Partitioner. The token is the key, so this is plain
// unsigned byte order.
func (ByteOrderedPartitioner) CompareKeys(a, b []byte) int { return bytes.Compare(a, b) }

// Split implements Splitter. Byte strings have no fixed width to divide, so
// the range is left whole: it returns [start, end].
func (ByteOrderedPartitioner) Split(start, end Token, parts int) ([]Token, error) {
	_, ok1 := start.(BytesToken)
	_, ok2 := end.(BytesToken)
	if !ok1 || !ok2 {
		return nil, ErrTokenKind
	}
	if parts < 1 {
		return nil, ErrSplitParts
	}
	return []Token{start, end}, nil
}

// String implements Token: lowercase hex.
func (t BytesToken) String() string { return hex.EncodeToString(t) }

// Compare implements Token: unsigned byte order, a prefix first.
// Tokens of other kinds order as the package doc says.
func (t BytesToken) Compare(other Token) int {
	o, ok := other.(BytesToken)
	if !ok {
		return compareKinds(kindBytes, other)
	}
	return bytes.Compare(t, o)
}
