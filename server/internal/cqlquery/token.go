package cqlquery

import (
	"math/big"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/partitioner"
)

// Tokens as CQL sees them (IPartitioner.getTokenValidator and
// Token.TokenFactory.toByteArray/fromByteArray): a bigint for Murmur3, a
// varint for RandomPartitioner, a blob for ByteOrdered, text for
// OrderPreserving.

// tokenType is the type of token(...) and of the "partition key token"
// receiver.
func tokenType(p partitioner.Partitioner) codec.Type {
	switch p.(type) {
	case partitioner.RandomPartitioner, *partitioner.RandomPartitioner:
		return codec.Integer
	case partitioner.ByteOrderedPartitioner, *partitioner.ByteOrderedPartitioner:
		return codec.Bytes
	case partitioner.OrderPreservingPartitioner, *partitioner.OrderPreservingPartitioner:
		return codec.UTF8
	}
	return codec.Long
}

// tokenBytes serializes a token as its type's value.
func tokenBytes(t partitioner.Token) []byte {
	switch x := t.(type) {
	case partitioner.Murmur3Token:
		return codec.AppendLong(nil, int64(x))
	case partitioner.RandomToken:
		return codec.AppendBigVarint(nil, x.BigInt())
	case partitioner.BytesToken:
		return append([]byte{}, x...)
	case partitioner.StringToken:
		return []byte(x)
	}
	return []byte(t.String())
}

// tokenFromBytes reads a token value of the partitioner's token type.
func tokenFromBytes(p partitioner.Partitioner, b []byte) (partitioner.Token, error) {
	switch tokenType(p) {
	case codec.Integer:
		v := codec.DecodeBigVarint(b)
		t, ok := partitioner.RandomTokenFromBig(v)
		if !ok {
			return nil, invalidf("Invalid token value %s", v)
		}
		return t, nil
	case codec.Bytes:
		return partitioner.BytesToken(append([]byte{}, b...)), nil
	case codec.UTF8:
		return partitioner.StringToken(string(b)), nil
	}
	if len(b) != 8 {
		return nil, invalidf("Invalid token value of %d bytes", len(b))
	}
	v, _ := codec.DecodeLong(b)
	return partitioner.Murmur3Token(v), nil
}

var _ = big.NewInt
