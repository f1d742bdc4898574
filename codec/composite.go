package codec

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"strings"
)

// Tuple is the Go value of a composite name: one element per component,
// possibly fewer than the type declares (a partial composite, used for
// slice bounds). Unpack of a CompositeType gives a Tuple; Pack accepts a
// Tuple or a []any.
type Tuple []any

// SliceEnd marks a composite component as an inclusive or exclusive slice
// end; it is pycassa's (value, inclusive) pair. It matters only to
// PackBound. Build it with Inclusive or Exclusive.
type SliceEnd struct {
	Value     any
	Inclusive bool
}

// Inclusive marks v as an inclusive slice end (pycassa's (v, True)).
func Inclusive(v any) SliceEnd { return SliceEnd{Value: v, Inclusive: true} }

// Exclusive marks v as an exclusive slice end (pycassa's (v, False)).
func Exclusive(v any) SliceEnd { return SliceEnd{Value: v, Inclusive: false} }

// End-of-component bytes. They compare as signed bytes: eocStart (-1)
// sorts before every name with the same prefix, eocEnd (1) after.
const (
	eocNone  = 0x00
	eocStart = 0xff
	eocEnd   = 0x01
)

// staticMarker is the 2-byte header of a CQL static column name, which
// sorts before every other name. Thrift clients never write it.
const staticMarker = 0xffff

// maxComponent is the largest value a 2-byte component length can carry.
const maxComponent = 0xffff

// CompositeType is CompositeType(T1, …, Tn). Each component is written as a
// 2-byte big-endian length, the value, and an end-of-component byte.
type CompositeType struct {
	types []Type
	class string
	// members[i] is set when component i orders by the component before it
	// (a ColumnToCollectionType, the element of a collection cell).
	members []memberType
}

// Composite returns CompositeType(types...). A nil component is BytesType.
// Cassandra refuses a composite without components; Parse does too.
func Composite(types ...Type) *CompositeType {
	c := &CompositeType{types: append([]Type(nil), types...)}
	var sb strings.Builder
	sb.WriteString(marshalPkg + "CompositeType(")
	for i, t := range c.types {
		if t == nil {
			t = Bytes
			c.types[i] = t
		}
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(t.Class())
		if m, ok := t.(memberType); ok && i > 0 {
			if c.members == nil {
				c.members = make([]memberType, len(c.types))
			}
			c.members[i] = m
		}
	}
	sb.WriteByte(')')
	c.class = sb.String()
	return c
}

// member returns the collection-member order of component i, or nil.
func (c *CompositeType) member(i int) memberType {
	if i < len(c.members) {
		return c.members[i]
	}
	return nil
}

// Components returns the component types.
func (c *CompositeType) Components() []Type { return append([]Type(nil), c.types...) }

// Class is "org.apache.cassandra.db.marshal.CompositeType(<T1 class>,<T2 class>…)".
func (c *CompositeType) Class() string { return c.class }

// Pack packs a Tuple (or []any) of component values; a single non-tuple
// value is a one-component tuple. Every end-of-component byte is 00.
func (c *CompositeType) Pack(v any) ([]byte, error) { return c.PackBound(v, NoBound) }

// PackBound packs a slice end with pycassa's end-of-component rules:
//
//	component            SliceStart  SliceFinish  NoBound
//	Inclusive(v)         ff          01           00
//	Exclusive(v)         01          ff           00
//	bare, last           ff          01           00
//	bare, not last       00          00           00
//
// so slice ends are inclusive by default. The last (or marked) component's
// value is itself packed as a bound (a time in a TimeUUID component becomes
// the lowest or highest UUID that keeps the end inclusive or exclusive);
// pycassa packs it as a plain value instead.
func (c *CompositeType) PackBound(v any, b Bound) ([]byte, error) {
	items := tupleOf(v)
	if len(items) > len(c.types) {
		return nil, packErr(c, v, reason(ErrRange, "%d components for %d types", len(items), len(c.types)))
	}
	out := make([]byte, 0, 12*len(items))
	for i, item := range items {
		val, eoc, vb := componentBound(item, b, i == len(items)-1)
		var err error
		if out, err = appendComponent(out, i, c.types[i], val, vb, eoc); err != nil {
			return nil, packErr(c, v, err)
		}
	}
	return out, nil
}

// appendComponent appends component i of a composite or dynamic composite:
// a 2-byte length, val packed by t for bound vb, and the end-of-component
// byte eoc.
func appendComponent(out []byte, i int, t Type, val any, vb Bound, eoc byte) ([]byte, error) {
	start := len(out)
	out = append(out, 0, 0) // length, filled in below
	out, err := appendPackBound(t, out, val, vb)
	if err != nil {
		return nil, componentErr(i, err)
	}
	n := len(out) - start - 2
	if n > maxComponent {
		return nil, reason(ErrRange, "component %d is %d bytes, more than %d", i, n, maxComponent)
	}
	binary.BigEndian.PutUint16(out[start:], uint16(n))
	return append(out, eoc), nil
}

// appender is implemented by the built-in types that can pack straight
// into a caller's buffer, which saves composites an allocation per component.
type appender interface {
	appendPack(dst []byte, v any, b Bound) ([]byte, error)
}

// appendPackBound appends t.PackBound(v, b) to dst.
func appendPackBound(t Type, dst []byte, v any, b Bound) ([]byte, error) {
	if a, ok := t.(appender); ok {
		return a.appendPack(dst, v, b)
	}
	p, err := t.PackBound(v, b)
	if err != nil {
		return nil, err
	}
	return append(dst, p...), nil
}

// componentErr keeps the inner error reachable by errors.Is/As.
type componentError struct {
	i   int
	err error
}

func (e *componentError) Error() string {
	return "component " + strconv.Itoa(e.i) + ": " + e.err.Error()
}
func (e *componentError) Unwrap() error { return e.err }

func componentErr(i int, err error) error { return &componentError{i, err} }

func tupleOf(v any) []any {
	switch x := v.(type) {
	case Tuple:
		return x
	case []any:
		return x
	}
	return []any{v}
}

// componentBound applies the end-of-component table and picks the bound the
// component value itself is packed with.
func componentBound(item any, b Bound, last bool) (val any, eoc byte, vb Bound) {
	se, marked := item.(SliceEnd)
	if marked {
		item = se.Value
	}
	if b == NoBound || (!marked && !last) {
		return item, eocNone, NoBound
	}
	inclusive := !marked || se.Inclusive
	switch {
	case b == SliceStart && inclusive:
		return item, eocStart, SliceStart
	case b == SliceStart:
		return item, eocEnd, SliceFinish
	case inclusive:
		return item, eocEnd, SliceFinish
	default:
		return item, eocStart, SliceStart
	}
}

// Unpack gives a Tuple of the components' natural values; it may be shorter
// than the type. End-of-component bytes are skipped.
func (c *CompositeType) Unpack(b []byte) (any, error) {
	out := make(Tuple, 0, len(c.types))
	rest := b
	for i := 0; len(rest) > 0; i++ {
		val, _, r, ok := readComponent(rest)
		if !ok {
			return nil, unpackErr(c, b, reason(ErrMalformed, "component %d is truncated", i))
		}
		if i >= len(c.types) {
			return nil, unpackErr(c, b, reason(ErrMalformed, "more than %d components", len(c.types)))
		}
		x, err := c.types[i].Unpack(val)
		if err != nil {
			return nil, unpackErr(c, b, componentErr(i, err))
		}
		out = append(out, x)
		rest = r
	}
	return out, nil
}

// readComponent reads length, value and end-of-component byte.
func readComponent(b []byte) (val []byte, eoc byte, rest []byte, ok bool) {
	if len(b) < 2 {
		return nil, 0, nil, false
	}
	n := int(binary.BigEndian.Uint16(b))
	if len(b) < 3+n {
		return nil, 0, nil, false
	}
	return b[2 : 2+n], b[2+n], b[3+n:], true
}

// readStatic skips a static-column marker.
func readStatic(b []byte) (bool, []byte) {
	if len(b) >= 2 && binary.BigEndian.Uint16(b) == staticMarker {
		return true, b[2:]
	}
	return false, b
}

// Compare is AbstractCompositeType.compare: components in turn with their
// types, then the end-of-component bytes as signed bytes, then the shorter
// name first. A ColumnToCollectionType component orders with the name
// comparator of the collection named by the component before it
// (compareCollectionMembers). Malformed tails are compared as raw bytes so
// the order stays total without panicking.
func (c *CompositeType) Compare(a, b []byte) int {
	if len(a) == 0 || len(b) == 0 {
		return len(a) - len(b)
	}
	sa, ra := readStatic(a)
	sb, rb := readStatic(b)
	if sa != sb {
		if sa {
			return -1
		}
		return 1
	}
	var prev []byte
	for i := 0; len(ra) > 0 && len(rb) > 0; i++ {
		va, ea, na, oka := readComponent(ra)
		vb, eb, nb, okb := readComponent(rb)
		if !oka || !okb {
			return bytes.Compare(ra, rb)
		}
		var r int
		if m := c.member(i); m != nil {
			r = m.compareMembers(va, vb, prev)
		} else if i < len(c.types) {
			r = c.types[i].Compare(va, vb)
		} else {
			r = Bytes.Compare(va, vb)
		}
		if r != 0 {
			return r
		}
		if ea != eb {
			return int(int8(ea)) - int(int8(eb))
		}
		prev = va
		ra, rb = na, nb
	}
	return len(ra) - len(rb)
}

// Validate is AbstractCompositeType.validate with Cassandra's messages.
func (c *CompositeType) Validate(b []byte) error {
	_, rest := readStatic(b)
	var prev []byte
	for i := 0; len(rest) > 0; i++ {
		if i >= len(c.types) {
			return invalid(c, "Too many bytes for comparator")
		}
		t := c.types[i]
		if m := c.member(i); m != nil {
			t = memberValidator{m, prev}
		}
		var cur []byte
		if len(rest) >= 2 {
			if n := int(binary.BigEndian.Uint16(rest)); len(rest) >= 2+n {
				cur = rest[2 : 2+n]
			}
		}
		if err := validateComponent(c, t, i, &rest); err != nil {
			return err
		}
		prev = cur
	}
	return nil
}

// memberValidator validates a collection element component against the
// collection named by the previous component.
type memberValidator struct {
	m          memberType
	collection []byte
}

func (v memberValidator) Class() string                        { return "" }
func (v memberValidator) Pack(any) ([]byte, error)             { return nil, ErrUnsupported }
func (v memberValidator) PackBound(any, Bound) ([]byte, error) { return nil, ErrUnsupported }
func (v memberValidator) Unpack(b []byte) (any, error)         { return b, nil }
func (v memberValidator) Compare(a, b []byte) int              { return bytes.Compare(a, b) }
func (v memberValidator) Validate(b []byte) error              { return v.m.validateMember(b, v.collection) }

// validateComponent checks length, value and end-of-component byte of one
// component and advances *rest past it.
func validateComponent(owner, t Type, i int, rest *[]byte) error {
	b := *rest
	if len(b) < 2 {
		return invalid(owner, "Not enough bytes to read value size of component %d", i)
	}
	n := int(binary.BigEndian.Uint16(b))
	b = b[2:]
	if len(b) < n {
		return invalid(owner, "Not enough bytes to read value of component %d", i)
	}
	if err := t.Validate(b[:n]); err != nil {
		if ve, ok := err.(*ValidationError); ok {
			// Cassandra relays the component's own message.
			return &ValidationError{Type: ShortName(owner), Msg: ve.Msg}
		}
		return err
	}
	b = b[n:]
	if len(b) == 0 {
		return invalid(owner, "Not enough bytes to read the end-of-component byte of component%d", i)
	}
	eoc := b[0]
	b = b[1:]
	if eoc != 0 && len(b) != 0 {
		return invalid(owner, "Invalid bytes remaining after an end-of-component at component%d", i)
	}
	*rest = b
	return nil
}
