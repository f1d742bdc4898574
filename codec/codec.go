package codec

// Type is one of Cassandra's marshal types (an AbstractType subclass): it packs
// natural Go values to bytes, unpacks bytes to the natural Go value, orders
// encoded values exactly as Cassandra does, and validates encoded values with
// Cassandra's own messages. Implementations are immutable and safe for
// concurrent use.
type Type interface {
	// Class returns the canonical, fully qualified class name Cassandra
	// reports in describe_keyspace, e.g.
	// "org.apache.cassandra.db.marshal.UTF8Type" or
	// "org.apache.cassandra.db.marshal.ReversedType(org.apache.cassandra.db.marshal.LongType)".
	Class() string

	// Pack encodes a natural Go value (a plain column name, value or key).
	Pack(v any) ([]byte, error)

	// PackBound encodes v as one end of a column slice. SliceStart and
	// SliceFinish mean what pycassa's slice_start=True/False mean: the
	// caller swaps them for reversed slices. Composite types use the bound
	// to choose end-of-component bytes; TimeUUID turns a time.Time into the
	// lowest (start) or highest (finish) UUID of that instant. For other
	// types it is Pack.
	PackBound(v any, b Bound) ([]byte, error)

	// Unpack decodes bytes to the natural Go value of the type.
	Unpack(b []byte) (any, error)

	// Compare orders two encoded values as Cassandra does: negative, zero
	// or positive.
	Compare(a, b []byte) int

	// Validate checks an encoded value; a failure is a *ValidationError
	// whose Msg is Cassandra's exact text.
	Validate(b []byte) error
}

// Bound says which end of a slice a value is packed for.
type Bound int

const (
	// NoBound packs a plain value (insert names and values, named columns, keys).
	NoBound Bound = iota
	// SliceStart packs the start of a slice (pycassa slice_start=True).
	SliceStart
	// SliceFinish packs the finish of a slice (pycassa slice_start=False).
	SliceFinish
)

// unpackNonEmpty decodes b with dec, naming t in a failure. Empty input
// unpacks to nil: an empty value is how Cassandra stores "no value" for the
// fixed-width types.
func unpackNonEmpty[T any](t Type, b []byte, dec func([]byte) (T, error)) (any, error) {
	if len(b) == 0 {
		return nil, nil
	}
	x, err := dec(b)
	if err != nil {
		return nil, unpackErr(t, b, err)
	}
	return x, nil
}

// checkWidth accepts b when it is empty or exactly n bytes long; otherwise it
// fails with msg, Cassandra's message with a %d for the length found.
func checkWidth(t Type, b []byte, n int, msg string) error {
	if len(b) != n && len(b) != 0 {
		return invalid(t, msg, len(b))
	}
	return nil
}
