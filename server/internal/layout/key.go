package layout

import (
	"fmt"

	"github.com/cassa-go/cassa/partitioner"
)

// PartitionKey serializes a partition key from the values of the key
// columns, in key order (CFMetaData.serializePartitionKey): a single
// column's value as it is, several as a CompositeType value (each
// component a 2-byte length, the bytes and a 0 end-of-component byte).
// Cassandra's limit on a key, 65535 bytes, applies to the whole key and to
// each component; an empty key is the executor's to refuse.
func (l *Layout) PartitionKey(values [][]byte) ([]byte, error) {
	if len(values) != len(l.pk) {
		return nil, fmt.Errorf("layout: %d partition key values for %d columns", len(values), len(l.pk))
	}
	if len(values) == 1 {
		if len(values[0]) > maxComponent {
			return nil, invalidf("Key length of %d is longer than maximum of %d", len(values[0]), maxComponent)
		}
		return values[0], nil
	}
	size := 0
	for _, v := range values {
		if len(v) > maxComponent {
			return nil, invalidf("Key length of %d is longer than maximum of %d", len(v), maxComponent)
		}
		size += 3 + len(v)
	}
	if size > maxComponent {
		return nil, invalidf("Key length of %d is longer than maximum of %d", size, maxComponent)
	}
	out := make([]byte, 0, size)
	for _, v := range values {
		out = appendComponent(out, v, eocNone)
	}
	return out, nil
}

// DecodePartitionKey splits a stored partition key into the values of the
// key columns. The values alias key.
func (l *Layout) DecodePartitionKey(key []byte) ([][]byte, error) {
	return l.decodeKey(make([][]byte, 0, len(l.pk)), key)
}

func (l *Layout) decodeKey(dst [][]byte, key []byte) ([][]byte, error) {
	if len(l.pk) == 1 {
		return append(dst, key), nil
	}
	rest := key
	for i := range l.pk {
		v, _, r, ok := readComponent(rest)
		if !ok {
			return nil, malformed("partition key component %d is truncated", i)
		}
		dst, rest = append(dst, v), r
	}
	if len(rest) > 0 {
		return nil, malformed("partition key has more than %d components", len(l.pk))
	}
	return dst, nil
}

// Token is the partitioner's token of the partition key made of values:
// CQL's token(k1, k2, ...).
func (l *Layout) Token(p partitioner.Partitioner, values [][]byte) (partitioner.Token, error) {
	key, err := l.PartitionKey(values)
	if err != nil {
		return nil, err
	}
	return p.Token(key), nil
}
