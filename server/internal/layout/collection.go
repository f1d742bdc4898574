package layout

import (
	"encoding/binary"
	"math"
)

// Collection values as the native protocol v3+ carries them and as frozen
// collections are stored (CollectionSerializer): an int32 count, then each
// element (list, set) or key and value (map) as an int32 length and its
// bytes; a negative length is null.

// AppendCollection appends the serialized list or set of elems to dst.
func AppendCollection(dst []byte, elems [][]byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(elems)))
	for _, e := range elems {
		dst = appendValue(dst, e)
	}
	return dst
}

// AppendMap appends the serialized map whose keys and values alternate in
// kv (k1, v1, k2, v2, ...) to dst.
func AppendMap(dst []byte, kv [][]byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(kv)/2))
	for _, e := range kv[:len(kv)/2*2] {
		dst = appendValue(dst, e)
	}
	return dst
}

func appendValue(dst, v []byte) []byte {
	if v == nil {
		return binary.BigEndian.AppendUint32(dst, math.MaxUint32) // -1: null
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(v)))
	return append(dst, v...)
}

// DecodeCollection splits a serialized collection of the given kind into
// its elements; for a map, keys and values alternate. The values alias b;
// a null element is nil, an empty one non-nil. Malformed input gives an
// *InvalidError with Cassandra's message (ListSerializer, SetSerializer,
// MapSerializer).
func DecodeCollection(kind Collection, b []byte) ([][]byte, error) {
	what := kind.String()
	if kind == NotCollection {
		return nil, invalidf("not a collection")
	}
	if len(b) < 4 {
		return nil, invalidf("Not enough bytes to read a %s", what)
	}
	n := int32(binary.BigEndian.Uint32(b))
	if n < 0 {
		return nil, invalidf("The data cannot be deserialized as a %s", what)
	}
	per := 1
	if kind == Map {
		per = 2
	}
	rest := b[4:]
	// Every value takes at least 4 bytes: never allocate beyond what b holds.
	total := int64(n) * int64(per)
	if total > int64(len(rest)/4) {
		return nil, invalidf("Not enough bytes to read a %s", what)
	}
	out := make([][]byte, 0, total)
	for i := int64(0); i < total; i++ {
		if len(rest) < 4 {
			return nil, invalidf("Not enough bytes to read a %s", what)
		}
		size := int32(binary.BigEndian.Uint32(rest))
		rest = rest[4:]
		if size < 0 {
			out = append(out, nil)
			continue
		}
		if int(size) > len(rest) {
			return nil, invalidf("Not enough bytes to read a %s", what)
		}
		out = append(out, rest[:size:size])
		rest = rest[size:]
	}
	if len(rest) > 0 {
		return nil, invalidf("Unexpected extraneous bytes after %s value", what)
	}
	return out, nil
}
