package layout

import (
	"encoding/binary"
	"math"
)

// Non-frozen user types (Cassandra 3.6+) keep one cell per non-null field:
// the cell path is the field's position as a 2-byte short
// (UserType.cellPathForField), which in the 2.x cell model is the element
// component of the column's cell names, as a collection element's is. The
// comparator names no type for it: positions order by their bytes, as a
// short of 0..32767 does. A whole-value write deletes the old fields at
// timestamp-1 and writes the non-null ones (UserTypes.Setter); a field
// write or deletion touches one cell (SetterByField, DeleterByField); a
// read puts the live fields back into the serialized value, every field
// present, null for the missing ones (UserType.serializeForNativeProtocol).

// maxFields is the most fields a 2-byte position can name.
const maxFields = math.MaxInt16

// FieldPath is the element component of field pos of a non-frozen user
// type.
func FieldPath(pos int) []byte {
	return binary.BigEndian.AppendUint16(make([]byte, 0, 2), uint16(pos))
}

// fieldPosition reads a field cell's element component; ok is false for
// bytes that name no field of col.
func fieldPosition(col *Column, element []byte) (int, bool) {
	if len(element) != 2 {
		return 0, false
	}
	pos := int(binary.BigEndian.Uint16(element))
	return pos, pos < len(col.Fields)
}

// splitFields decodes a serialized user type value for writing: the
// non-null fields as (path, value) pairs in field order, each validated by
// its field type. A value may hold fewer fields than the type (the missing
// ones are null), never more.
func (l *Layout) splitFields(col *Column, value []byte) ([][]byte, error) {
	fields, err := DecodeFields(value, len(col.Fields))
	if err != nil {
		return nil, err
	}
	out := make([][]byte, 0, 2*len(fields))
	for i, f := range fields {
		if f == nil {
			continue
		}
		if err := validate(col.Fields[i], f); err != nil {
			return nil, err
		}
		out = append(out, FieldPath(i), f)
	}
	return out, nil
}

// DecodeFields splits a serialized tuple or user type value into its
// components ([int32 length][bytes] each, a negative length for null),
// with at most n of them; a shorter value leaves the rest out. Components
// alias b. Malformed input gives an *InvalidError with UserType's
// messages.
func DecodeFields(b []byte, n int) ([][]byte, error) {
	var out [][]byte
	for len(b) > 0 {
		if len(out) >= n {
			return nil, invalidf("Invalid remaining data after end of UDT value")
		}
		if len(b) < 4 {
			return nil, invalidf("Not enough bytes to read size of %dth field", len(out))
		}
		size := int32(binary.BigEndian.Uint32(b))
		b = b[4:]
		if size < 0 {
			out = append(out, nil)
			continue
		}
		if int(size) > len(b) {
			return nil, invalidf("Not enough bytes to read %dth field", len(out))
		}
		out = append(out, b[:size:size])
		b = b[size:]
	}
	return out, nil
}

// AppendFields appends a serialized tuple or user type value made of
// fields (nil for null) to dst.
func AppendFields(dst []byte, fields [][]byte) []byte {
	for _, f := range fields {
		dst = appendValue(dst, f)
	}
	return dst
}

// SetField is u.f = value on a non-frozen user type (nil value: a
// tombstone of the field, as u.f = null and DELETE u.f write).
func (u *Update) SetField(ck [][]byte, col *Column, pos int, value []byte) error {
	if err := needCollection(col, UDT); err != nil {
		return err
	}
	if pos < 0 || pos >= len(col.Fields) {
		return invalidf("Unknown field position %d", pos)
	}
	name, err := u.name(ck, col, FieldPath(pos))
	if err != nil {
		return err
	}
	if value == nil {
		u.tombstone(name)
		return nil
	}
	if err := validate(col.Fields[pos], value); err != nil {
		return err
	}
	u.put(name, value)
	return nil
}

// appendUDT serializes the gathered (path, value) pairs of a user type
// column, in field order, with every field: null for those without a live
// cell.
func appendUDT(dst []byte, col *Column, pairs [][]byte) []byte {
	next := 0
	for i := 0; i+1 < len(pairs); i += 2 {
		pos, ok := fieldPosition(col, pairs[i])
		if !ok || pos < next {
			continue // not a field of this type (or out of order)
		}
		for ; next < pos; next++ {
			dst = appendValue(dst, nil)
		}
		dst = appendValue(dst, pairs[i+1])
		next++
	}
	for ; next < len(col.Fields); next++ {
		dst = appendValue(dst, nil)
	}
	return dst
}
