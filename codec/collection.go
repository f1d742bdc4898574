package codec

import (
	"encoding/binary"
	"encoding/hex"
	"reflect"
	"sort"
	"strings"
)

// MultiCell is implemented by the types whose non-frozen form stores one
// cell per element (collections and user types): AbstractType.isMultiCell.
type MultiCell interface {
	Type
	// MultiCell reports whether the type is the non-frozen form.
	MultiCell() bool
	// Frozen returns the frozen form of the type.
	Frozen() Type
}

// IsMultiCell reports whether t is a non-frozen collection or user type.
func IsMultiCell(t Type) bool {
	m, ok := t.(MultiCell)
	return ok && m.MultiCell()
}

// Freeze returns the frozen form of t (AbstractType.freeze): a collection
// or user type loses its multi-cell form; every other type is returned
// unchanged.
func Freeze(t Type) Type {
	if m, ok := t.(MultiCell); ok {
		return m.Frozen()
	}
	return t
}

// CollectionKind names the three collection kinds.
type CollectionKind int

// The collection kinds, as CollectionType.Kind.
const (
	ListKind CollectionKind = iota + 1
	SetKind
	MapKind
)

// CollectionType is ListType, SetType or MapType, frozen or not.
type CollectionType struct {
	kind       CollectionKind
	key, value Type // key is nil for lists and sets; value is the element type
	multiCell  bool
	class      string
}

// List returns ListType(elem); multiCell false is frozen<list<elem>>.
// Element types are always frozen, as in Cassandra.
func List(elem Type, multiCell bool) *CollectionType {
	return newCollection(ListKind, nil, elem, multiCell)
}

// Set returns SetType(elem); multiCell false is frozen<set<elem>>.
func Set(elem Type, multiCell bool) *CollectionType {
	return newCollection(SetKind, nil, elem, multiCell)
}

// Map returns MapType(key, value); multiCell false is frozen<map<key, value>>.
func Map(key, value Type, multiCell bool) *CollectionType {
	return newCollection(MapKind, key, value, multiCell)
}

func newCollection(kind CollectionKind, key, value Type, multiCell bool) *CollectionType {
	if value == nil {
		value = Bytes
	}
	if kind == MapKind && key == nil {
		key = Bytes
	}
	value = Freeze(value)
	if key != nil {
		key = Freeze(key)
	}
	c := &CollectionType{kind: kind, key: key, value: value, multiCell: multiCell}
	c.class = c.classString(false)
	return c
}

// Kind is the collection kind.
func (c *CollectionType) Kind() CollectionKind { return c.kind }

// Elements is the element type of a list or set, the value type of a map.
func (c *CollectionType) Elements() Type { return c.value }

// Keys is the key type of a map, nil for lists and sets.
func (c *CollectionType) Keys() Type { return c.key }

// MultiCell reports whether the collection is not frozen.
func (c *CollectionType) MultiCell() bool { return c.multiCell }

// Frozen returns the frozen form.
func (c *CollectionType) Frozen() Type {
	if !c.multiCell {
		return c
	}
	return newCollection(c.kind, c.key, c.value, false)
}

// NameComparator is the type that orders the cells of a non-frozen
// collection (CollectionType.nameComparator): TimeUUIDType for lists, the
// element type for sets, the key type for maps.
func (c *CollectionType) NameComparator() Type {
	switch c.kind {
	case ListKind:
		return TimeUUID
	case SetKind:
		return c.value
	}
	return c.key
}

// ValueComparator is the type of a non-frozen collection cell's value:
// the element type of a list, EmptyType for a set, the value type of a map.
func (c *CollectionType) ValueComparator() Type {
	if c.kind == SetKind {
		return Empty
	}
	return c.value
}

// Class is the class name Cassandra prints: "ListType(T)" when not frozen,
// "FrozenType(ListType(T))" when frozen; parameters inside a frozen type
// are printed without their own FrozenType.
func (c *CollectionType) Class() string { return c.class }

func (c *CollectionType) classString(ignoreFreezing bool) string {
	var sb strings.Builder
	frozenWrap := !ignoreFreezing && !c.multiCell
	if frozenWrap {
		sb.WriteString(marshalPkg + "FrozenType(")
	}
	switch c.kind {
	case ListKind:
		sb.WriteString(marshalPkg + "ListType(")
	case SetKind:
		sb.WriteString(marshalPkg + "SetType(")
	default:
		sb.WriteString(marshalPkg + "MapType(")
		sb.WriteString(classOf(c.key, ignoreFreezing || !c.multiCell))
		sb.WriteByte(',')
	}
	sb.WriteString(classOf(c.value, ignoreFreezing || !c.multiCell))
	sb.WriteByte(')')
	if frozenWrap {
		sb.WriteByte(')')
	}
	return sb.String()
}

// classOf renders a type parameter, leaving out FrozenType wrappers when
// ignoreFreezing is set (AbstractType.toString(boolean)).
func classOf(t Type, ignoreFreezing bool) string {
	switch x := t.(type) {
	case *CollectionType:
		return x.classString(ignoreFreezing)
	case *UserType:
		return x.classString(ignoreFreezing)
	case *TupleType:
		return x.classString(ignoreFreezing)
	}
	return t.Class()
}

// Pack packs a Go slice (list, set) or a Go map or []MapEntry (map) in the
// native protocol v3 collection format: an int32 count, then each element
// (each key and value of a map) as an int32 length and its bytes. Set
// elements and map keys are sorted by their type and de-duplicated.
func (c *CollectionType) Pack(v any) ([]byte, error) { return c.PackBound(v, NoBound) }

// PackBound packs as Pack.
func (c *CollectionType) PackBound(v any, _ Bound) ([]byte, error) {
	var elems [][2][]byte
	if c.kind == MapKind {
		entries, err := mapEntries(v)
		if err != nil {
			return nil, packErr(c, v, err)
		}
		for _, e := range entries {
			k, err := c.key.Pack(e.Key)
			if err != nil {
				return nil, packErr(c, v, err)
			}
			val, err := c.value.Pack(e.Value)
			if err != nil {
				return nil, packErr(c, v, err)
			}
			elems = append(elems, [2][]byte{k, val})
		}
	} else {
		items, ok := sliceItems(v)
		if !ok {
			return nil, packErr(c, v, ErrUnsupported)
		}
		for _, it := range items {
			b, err := c.value.Pack(it)
			if err != nil {
				return nil, packErr(c, v, err)
			}
			elems = append(elems, [2][]byte{b})
		}
	}
	if c.kind != ListKind {
		cmp := c.value
		if c.kind == MapKind {
			cmp = c.key
		}
		sort.SliceStable(elems, func(i, j int) bool { return cmp.Compare(elems[i][0], elems[j][0]) < 0 })
		out := elems[:0]
		for i, e := range elems {
			if i > 0 && cmp.Compare(out[len(out)-1][0], e[0]) == 0 {
				out[len(out)-1] = e
				continue
			}
			out = append(out, e)
		}
		elems = out
	}
	dst := binary.BigEndian.AppendUint32(nil, uint32(len(elems)))
	for _, e := range elems {
		dst = appendValue(dst, e[0])
		if c.kind == MapKind {
			dst = appendValue(dst, e[1])
		}
	}
	return dst, nil
}

func appendValue(dst, v []byte) []byte {
	if v == nil {
		return binary.BigEndian.AppendUint32(dst, 0xffffffff)
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(v)))
	return append(dst, v...)
}

// MapEntry is one key and value of a map value, in order.
type MapEntry struct {
	Key, Value any
}

func mapEntries(v any) ([]MapEntry, error) {
	if es, ok := v.([]MapEntry); ok {
		return es, nil
	}
	rv := indirect(v)
	if !rv.IsValid() || rv.Kind() != reflect.Map {
		return nil, ErrUnsupported
	}
	out := make([]MapEntry, 0, rv.Len())
	it := rv.MapRange()
	for it.Next() {
		out = append(out, MapEntry{Key: it.Key().Interface(), Value: it.Value().Interface()})
	}
	return out, nil
}

func sliceItems(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case Tuple:
		return x, true
	case []byte, string:
		return nil, false
	}
	rv := indirect(v)
	if !rv.IsValid() || (rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array) {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

// readValues splits a collection value into its elements (maps: keys and
// values alternately); ok is false when the framing is broken.
func readValues(b []byte, perElem int) (vals [][]byte, n int, ok bool) {
	if len(b) < 4 {
		return nil, 0, false
	}
	n = int(int32(binary.BigEndian.Uint32(b)))
	if n < 0 {
		return nil, 0, false
	}
	b = b[4:]
	for i := 0; i < n*perElem; i++ {
		if len(b) < 4 {
			return nil, 0, false
		}
		l := int(int32(binary.BigEndian.Uint32(b)))
		b = b[4:]
		if l < 0 {
			vals = append(vals, nil)
			continue
		}
		if len(b) < l {
			return nil, 0, false
		}
		vals = append(vals, b[:l:l])
		b = b[l:]
	}
	if len(b) != 0 {
		return vals, n, false
	}
	return vals, n, true
}

// Unpack gives []any for lists and sets and []MapEntry for maps (nil for
// empty input).
func (c *CollectionType) Unpack(b []byte) (any, error) {
	if len(b) == 0 {
		return nil, nil
	}
	per := 1
	if c.kind == MapKind {
		per = 2
	}
	vals, n, ok := readValues(b, per)
	if !ok {
		return nil, unpackErr(c, b, ErrMalformed)
	}
	if c.kind == MapKind {
		out := make([]MapEntry, n)
		for i := range out {
			k, err := c.key.Unpack(vals[2*i])
			if err != nil {
				return nil, unpackErr(c, b, err)
			}
			v, err := c.value.Unpack(vals[2*i+1])
			if err != nil {
				return nil, unpackErr(c, b, err)
			}
			out[i] = MapEntry{k, v}
		}
		return out, nil
	}
	out := make([]any, n)
	for i := range out {
		v, err := c.value.Unpack(vals[i])
		if err != nil {
			return nil, unpackErr(c, b, err)
		}
		out[i] = v
	}
	return out, nil
}

// Compare orders serialized (frozen) values as CollectionType.compareCustom:
// lists and sets element by element then by size; maps key, value
// alternately then by size. An empty value sorts first.
func (c *CollectionType) Compare(a, b []byte) int {
	if len(a) == 0 || len(b) == 0 {
		return len(a) - len(b)
	}
	per := 1
	if c.kind == MapKind {
		per = 2
	}
	va, na, oka := readValues(a, per)
	vb, nb, okb := readValues(b, per)
	if !oka || !okb {
		return compareBytes(a, b)
	}
	for i := 0; i < min(na, nb); i++ {
		if c.kind == MapKind {
			if r := c.key.Compare(va[2*i], vb[2*i]); r != 0 {
				return r
			}
			if r := c.value.Compare(va[2*i+1], vb[2*i+1]); r != 0 {
				return r
			}
			continue
		}
		if r := c.value.Compare(va[i], vb[i]); r != 0 {
			return r
		}
	}
	return na - nb
}

// Validate is the collection serializer's validateForNativeProtocol.
func (c *CollectionType) Validate(b []byte) error {
	name := [...]string{ListKind: "list", SetKind: "set", MapKind: "map"}[c.kind]
	if len(b) < 4 {
		return invalid(c, "Not enough bytes to read a %s", name)
	}
	n := int(int32(binary.BigEndian.Uint32(b)))
	rest := b[4:]
	next := func() ([]byte, bool, bool) {
		if len(rest) < 4 {
			return nil, false, false
		}
		l := int(int32(binary.BigEndian.Uint32(rest)))
		rest = rest[4:]
		if l < 0 {
			return nil, true, true
		}
		if len(rest) < l {
			return nil, false, false
		}
		v := rest[:l]
		rest = rest[l:]
		return v, false, true
	}
	for i := 0; i < n; i++ {
		if c.kind == MapKind {
			k, null, ok := next()
			if !ok {
				return invalid(c, "Not enough bytes to read a map")
			}
			if null {
				return invalid(c, "Invalid null key in map")
			}
			if err := relay(c, c.key.Validate(k)); err != nil {
				return err
			}
		}
		v, null, ok := next()
		if !ok {
			return invalid(c, "Not enough bytes to read a %s", name)
		}
		if null {
			if c.kind == MapKind {
				return invalid(c, "Invalid null value in map")
			}
			return invalid(c, "Invalid null element in %s", name)
		}
		if err := relay(c, c.value.Validate(v)); err != nil {
			return err
		}
	}
	if len(rest) != 0 {
		return invalid(c, "Unexpected extraneous bytes after %s value", name)
	}
	return nil
}

// relay re-labels an element's validation error with the owning type,
// keeping Cassandra's message.
func relay(owner Type, err error) error {
	if ve, ok := err.(*ValidationError); ok {
		return &ValidationError{Type: ShortName(owner), Msg: ve.Msg}
	}
	return err
}

func compareBytes(a, b []byte) int { return strings.Compare(string(a), string(b)) }

// TupleType is TupleType(T1, …, Tn), always frozen.
type TupleType struct {
	types []Type
	class string
}

// NewTuple returns TupleType(types...); components are frozen, as in Cassandra.
func NewTuple(types ...Type) *TupleType {
	t := &TupleType{types: make([]Type, len(types))}
	for i, c := range types {
		if c == nil {
			c = Bytes
		}
		t.types[i] = Freeze(c)
	}
	t.class = t.classString(false)
	return t
}

// Components returns the component types.
func (t *TupleType) Components() []Type { return append([]Type(nil), t.types...) }

// Class is "FrozenType(TupleType(T1,…))", as 3.x prints a tuple.
func (t *TupleType) Class() string { return t.class }

func (t *TupleType) classString(ignoreFreezing bool) string {
	var sb strings.Builder
	if !ignoreFreezing {
		sb.WriteString(marshalPkg + "FrozenType(")
	}
	sb.WriteString(marshalPkg + "TupleType(")
	for i, c := range t.types {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(classOf(c, true))
	}
	sb.WriteByte(')')
	if !ignoreFreezing {
		sb.WriteByte(')')
	}
	return sb.String()
}

// Pack packs a Tuple or []any of component values; nil components are null.
func (t *TupleType) Pack(v any) ([]byte, error) { return t.PackBound(v, NoBound) }

// PackBound packs as Pack.
func (t *TupleType) PackBound(v any, _ Bound) ([]byte, error) {
	items, ok := sliceItems(v)
	if !ok || len(items) > len(t.types) {
		return nil, packErr(t, v, ErrUnsupported)
	}
	return packFields(t, t.types, items)
}

func packFields(owner Type, types []Type, items []any) ([]byte, error) {
	var dst []byte
	for i, it := range items {
		if it == nil {
			dst = binary.BigEndian.AppendUint32(dst, 0xffffffff)
			continue
		}
		b, err := types[i].Pack(it)
		if err != nil {
			return nil, packErr(owner, items, err)
		}
		dst = appendValue(dst, b)
	}
	if dst == nil {
		dst = []byte{}
	}
	return dst, nil
}

// readFields splits a tuple or user-type value into components (nil for a
// null component).
func readFields(b []byte) ([][]byte, bool) {
	var out [][]byte
	for len(b) > 0 {
		if len(b) < 4 {
			return out, false
		}
		l := int(int32(binary.BigEndian.Uint32(b)))
		b = b[4:]
		if l < 0 {
			out = append(out, nil)
			continue
		}
		if len(b) < l {
			return out, false
		}
		out = append(out, b[:l:l])
		b = b[l:]
	}
	return out, true
}

// Unpack gives a Tuple of component values (nil for a null component).
func (t *TupleType) Unpack(b []byte) (any, error) { return unpackFields(t, t.types, b) }

func unpackFields(owner Type, types []Type, b []byte) (any, error) {
	if len(b) == 0 {
		return nil, nil
	}
	fs, ok := readFields(b)
	if !ok || len(fs) > len(types) {
		return nil, unpackErr(owner, b, ErrMalformed)
	}
	out := make(Tuple, len(fs))
	for i, f := range fs {
		if f == nil {
			continue
		}
		v, err := types[i].Unpack(f)
		if err != nil {
			return nil, unpackErr(owner, b, componentErr(i, err))
		}
		out[i] = v
	}
	return out, nil
}

// Compare is TupleType.compareCustom: component by component, a null
// component before any value, and trailing nulls equal to absent ones.
func (t *TupleType) Compare(a, b []byte) int { return compareFields(t.types, a, b) }

func compareFields(types []Type, a, b []byte) int {
	if len(a) == 0 || len(b) == 0 {
		return len(a) - len(b)
	}
	fa, oka := readFields(a)
	fb, okb := readFields(b)
	if !oka || !okb {
		return compareBytes(a, b)
	}
	for i := 0; i < min(len(fa), len(fb)); i++ {
		x, y := fa[i], fb[i]
		switch {
		case x == nil && y == nil:
			continue
		case x == nil:
			return -1
		case y == nil:
			return 1
		}
		t := Bytes
		if i < len(types) {
			t = types[i]
		}
		if r := t.Compare(x, y); r != 0 {
			return r
		}
	}
	for _, x := range fa[min(len(fa), len(fb)):] {
		if x != nil {
			return 1
		}
	}
	for _, y := range fb[min(len(fa), len(fb)):] {
		if y != nil {
			return -1
		}
	}
	return 0
}

// Validate is TupleType.validate with its messages.
func (t *TupleType) Validate(b []byte) error {
	rest := b
	for i := 0; len(rest) > 0; i++ {
		if i >= len(t.types) {
			return invalid(t, "Invalid remaining data after end of tuple value")
		}
		if len(rest) < 4 {
			return invalid(t, "Not enough bytes to read size of %dth component", i)
		}
		l := int(int32(binary.BigEndian.Uint32(rest)))
		rest = rest[4:]
		if l < 0 {
			continue
		}
		if len(rest) < l {
			return invalid(t, "Not enough bytes to read %dth component", i)
		}
		if err := relay(t, t.types[i].Validate(rest[:l])); err != nil {
			return err
		}
		rest = rest[l:]
	}
	return nil
}

// UserType is a user-defined type: UserType(keyspace, hex name, hex
// field:type, …), frozen or not (non-frozen UDTs exist since 3.6).
type UserType struct {
	Keyspace   string
	Name       string
	fieldNames []string
	fieldTypes []Type
	multiCell  bool
	class      string
}

// NewUserType returns the user type keyspace.name with the given fields
// (a field may hold a non-frozen collection; such a type is only usable
// frozen). multiCell false is frozen<name>.
func NewUserType(keyspace, name string, fieldNames []string, fieldTypes []Type, multiCell bool) *UserType {
	u := &UserType{Keyspace: keyspace, Name: name, multiCell: multiCell,
		fieldNames: append([]string(nil), fieldNames...), fieldTypes: make([]Type, len(fieldTypes))}
	for i, t := range fieldTypes {
		if t == nil {
			t = Bytes
		}
		u.fieldTypes[i] = t
	}
	u.class = u.classString(false)
	return u
}

// FieldNames returns the field names in order.
func (u *UserType) FieldNames() []string { return append([]string(nil), u.fieldNames...) }

// FieldTypes returns the field types in order.
func (u *UserType) FieldTypes() []Type { return append([]Type(nil), u.fieldTypes...) }

// MultiCell reports whether the user type is not frozen.
func (u *UserType) MultiCell() bool { return u.multiCell }

// Frozen returns the frozen form.
func (u *UserType) Frozen() Type {
	if !u.multiCell {
		return u
	}
	return NewUserType(u.Keyspace, u.Name, u.fieldNames, u.fieldTypes, false)
}

// Class is "UserType(ks,<hex name>,<hex field>:<type>,…)", wrapped in
// FrozenType when frozen.
func (u *UserType) Class() string { return u.class }

func (u *UserType) classString(ignoreFreezing bool) string {
	var sb strings.Builder
	wrap := !ignoreFreezing && !u.multiCell
	if wrap {
		sb.WriteString(marshalPkg + "FrozenType(")
	}
	sb.WriteString(marshalPkg + "UserType(")
	sb.WriteString(u.Keyspace)
	sb.WriteByte(',')
	sb.WriteString(hex.EncodeToString([]byte(u.Name)))
	for i, f := range u.fieldNames {
		sb.WriteByte(',')
		sb.WriteString(hex.EncodeToString([]byte(f)))
		sb.WriteByte(':')
		sb.WriteString(classOf(u.fieldTypes[i], ignoreFreezing || !u.multiCell))
	}
	sb.WriteByte(')')
	if wrap {
		sb.WriteByte(')')
	}
	return sb.String()
}

// Pack packs a map[string]any by field name, or a Tuple or []any in field
// order; missing fields are null.
func (u *UserType) Pack(v any) ([]byte, error) { return u.PackBound(v, NoBound) }

// PackBound packs as Pack.
func (u *UserType) PackBound(v any, _ Bound) ([]byte, error) {
	if m, ok := v.(map[string]any); ok {
		items := make([]any, len(u.fieldNames))
		for k, x := range m {
			i := u.FieldIndex(k)
			if i < 0 {
				return nil, packErr(u, v, reason(ErrUnsupported, "unknown field %q", k))
			}
			items[i] = x
		}
		return packFields(u, u.fieldTypes, items)
	}
	items, ok := sliceItems(v)
	if !ok || len(items) > len(u.fieldTypes) {
		return nil, packErr(u, v, ErrUnsupported)
	}
	return packFields(u, u.fieldTypes, items)
}

// FieldIndex returns the position of the named field, or -1.
func (u *UserType) FieldIndex(name string) int {
	for i, f := range u.fieldNames {
		if f == name {
			return i
		}
	}
	return -1
}

// Unpack gives a Tuple of field values in field order.
func (u *UserType) Unpack(b []byte) (any, error) { return unpackFields(u, u.fieldTypes, b) }

// Compare orders as a tuple of the fields.
func (u *UserType) Compare(a, b []byte) int { return compareFields(u.fieldTypes, a, b) }

// Validate is UserType.validate with its messages.
func (u *UserType) Validate(b []byte) error {
	rest := b
	for i := 0; len(rest) > 0; i++ {
		if i >= len(u.fieldTypes) {
			return invalid(u, "Invalid remaining data after end of UDT value")
		}
		if len(rest) < 4 {
			return invalid(u, "Not enough bytes to read size of %dth field %s", i, u.fieldNames[i])
		}
		l := int(int32(binary.BigEndian.Uint32(rest)))
		rest = rest[4:]
		if l < 0 {
			continue
		}
		if len(rest) < l {
			return invalid(u, "Not enough bytes to read %dth field %s", i, u.fieldNames[i])
		}
		if err := relay(u, u.fieldTypes[i].Validate(rest[:l])); err != nil {
			return err
		}
		rest = rest[l:]
	}
	return nil
}

// ColumnToCollectionType is the last component of the comparator of a CQL
// table with non-frozen collections: it maps each such column's name to its
// collection type, and orders a collection cell's element component with
// that collection's NameComparator (CompositeType consults it with the
// preceding column-name component).
type ColumnToCollectionType struct {
	names []string // column names as raw bytes, sorted
	types map[string]*CollectionType
	class string
}

// ColumnToCollection returns ColumnToCollectionType over the given column
// names (raw bytes) and their non-frozen collection types.
func ColumnToCollection(cols map[string]*CollectionType) *ColumnToCollectionType {
	c := &ColumnToCollectionType{types: make(map[string]*CollectionType, len(cols))}
	for n, t := range cols {
		c.names = append(c.names, n)
		c.types[n] = t
	}
	sort.Strings(c.names)
	var sb strings.Builder
	sb.WriteString(marshalPkg + "ColumnToCollectionType(")
	for i, n := range c.names {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(hex.EncodeToString([]byte(n)))
		sb.WriteByte(':')
		sb.WriteString(c.types[n].Class())
	}
	sb.WriteByte(')')
	c.class = sb.String()
	return c
}

// Collections returns the column names (raw bytes) and their collection types.
func (c *ColumnToCollectionType) Collections() map[string]*CollectionType {
	out := make(map[string]*CollectionType, len(c.types))
	for n, t := range c.types {
		out[n] = t
	}
	return out
}

// Collection returns the collection type of the named column, or nil.
func (c *ColumnToCollectionType) Collection(name []byte) *CollectionType {
	return c.types[string(name)]
}

// Class is "ColumnToCollectionType(<hex name>:<collection class>,…)".
func (c *ColumnToCollectionType) Class() string { return c.class }

// Pack is not meaningful for this type; it packs bytes.
func (c *ColumnToCollectionType) Pack(v any) ([]byte, error) { return Bytes.Pack(v) }

// PackBound packs bytes.
func (c *ColumnToCollectionType) PackBound(v any, b Bound) ([]byte, error) {
	return Bytes.PackBound(v, b)
}

// Unpack gives the bytes.
func (c *ColumnToCollectionType) Unpack(b []byte) (any, error) { return Bytes.Unpack(b) }

// Compare orders raw bytes; inside a CompositeType the element is compared
// with the collection's NameComparator instead (see CompareElement).
func (c *ColumnToCollectionType) Compare(a, b []byte) int { return compareBytes(a, b) }

// CompareElement orders two element components of the collection column
// named column.
func (c *ColumnToCollectionType) CompareElement(column, a, b []byte) int {
	if t := c.types[string(column)]; t != nil {
		return t.NameComparator().Compare(a, b)
	}
	return compareBytes(a, b)
}

// Validate accepts anything: the element is validated against its column's
// collection by the layer that knows the column.
func (c *ColumnToCollectionType) Validate([]byte) error { return nil }
