package codec

// ReversedType is ReversedType(T): T's bytes in the opposite order.
type ReversedType struct {
	base  Type
	class string
}

// Reversed returns ReversedType(t); a nil t is BytesType.
func Reversed(t Type) *ReversedType {
	if t == nil {
		t = Bytes
	}
	return &ReversedType{base: t, class: marshalPkg + "ReversedType(" + t.Class() + ")"}
}

// Base returns the reversed type T.
func (r *ReversedType) Base() Type { return r.base }

// Class is "org.apache.cassandra.db.marshal.ReversedType(<T class>)".
func (r *ReversedType) Class() string { return r.class }

// Pack packs exactly as T.
func (r *ReversedType) Pack(v any) ([]byte, error) { return r.base.Pack(v) }

// PackBound packs as T with the bound swapped: the start of a slice in
// reversed order is T's high end, so a time in a ReversedType(TimeUUIDType)
// start becomes the highest UUID of its instant and the slice keeps that
// instant. pycassa packs it unswapped, which drops the instant's columns.
func (r *ReversedType) PackBound(v any, b Bound) ([]byte, error) {
	switch b {
	case SliceStart:
		b = SliceFinish
	case SliceFinish:
		b = SliceStart
	}
	return r.base.PackBound(v, b)
}

func (r *ReversedType) appendPack(dst []byte, v any, b Bound) ([]byte, error) {
	switch b {
	case SliceStart:
		b = SliceFinish
	case SliceFinish:
		b = SliceStart
	}
	return appendPackBound(r.base, dst, v, b)
}

// Unpack unpacks exactly as T.
func (r *ReversedType) Unpack(b []byte) (any, error) { return r.base.Unpack(b) }

// Compare is T.Compare(b, a), except that an empty value still sorts
// first, as in Cassandra's ReversedType.
func (r *ReversedType) Compare(a, b []byte) int {
	if len(a) == 0 || len(b) == 0 {
		return len(a) - len(b)
	}
	return r.base.Compare(b, a)
}

// Validate validates as T, with T's message.
func (r *ReversedType) Validate(b []byte) error {
	err := r.base.Validate(b)
	if ve, ok := err.(*ValidationError); ok {
		return &ValidationError{Type: ShortName(r), Msg: ve.Msg}
	}
	return err
}
