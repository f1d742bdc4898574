package codec

import (
	"bytes"
	"encoding/hex"
	"sort"
	"strings"
)

// CollectionColumn is one non-frozen collection column that a
// ColumnToCollectionType knows.
type CollectionColumn struct {
	// Name is the column's name bytes (the UTF-8 of its CQL name).
	Name []byte
	// Class is the collection's marshal class, e.g.
	// "org.apache.cassandra.db.marshal.ListType(org.apache.cassandra.db.marshal.Int32Type)";
	// it only appears in the class name of the ColumnToCollectionType.
	Class string
	// Names orders the collection's element names (cell paths): TimeUUIDType
	// for a list, the element type for a set, the key type for a map (the
	// collection type's nameComparator in Cassandra). Nil is BytesType.
	Names Type
}

// ColumnToCollectionType is Cassandra 2.x's ColumnToCollectionType: the last
// component of the comparator of a CQL table with non-frozen collections. It
// never orders anything alone; inside a CompositeType it orders the element
// component of a collection cell with the name comparator of the collection
// named by the component before it (AbstractType.compareCollectionMembers).
type ColumnToCollectionType struct {
	cols  []CollectionColumn // sorted by name
	class string
}

// ColumnToCollection returns ColumnToCollectionType for the given columns.
// The class name lists them sorted by name bytes; Cassandra lists them in its
// map's order, which is unspecified.
func ColumnToCollection(cols ...CollectionColumn) *ColumnToCollectionType {
	c := &ColumnToCollectionType{cols: make([]CollectionColumn, len(cols))}
	copy(c.cols, cols)
	sort.SliceStable(c.cols, func(i, j int) bool { return bytes.Compare(c.cols[i].Name, c.cols[j].Name) < 0 })
	var sb strings.Builder
	sb.WriteString(marshalPkg + "ColumnToCollectionType(")
	for i := range c.cols {
		if c.cols[i].Names == nil {
			c.cols[i].Names = Bytes
		}
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(hex.EncodeToString(c.cols[i].Name))
		sb.WriteByte(':')
		sb.WriteString(c.cols[i].Class)
	}
	sb.WriteByte(')')
	c.class = sb.String()
	return c
}

// Columns returns the collection columns, sorted by name.
func (c *ColumnToCollectionType) Columns() []CollectionColumn {
	return append([]CollectionColumn(nil), c.cols...)
}

// Collection returns the column named name, if it is a collection.
func (c *ColumnToCollectionType) Collection(name []byte) (CollectionColumn, bool) {
	i := sort.Search(len(c.cols), func(i int) bool { return bytes.Compare(c.cols[i].Name, name) >= 0 })
	if i < len(c.cols) && bytes.Equal(c.cols[i].Name, name) {
		return c.cols[i], true
	}
	return CollectionColumn{}, false
}

// Class is "org.apache.cassandra.db.marshal.ColumnToCollectionType(<hex name>:<class>,…)".
func (c *ColumnToCollectionType) Class() string { return c.class }

// Pack packs bytes, as BytesType (Cassandra's serializer for this type).
func (c *ColumnToCollectionType) Pack(v any) ([]byte, error) { return Bytes.Pack(v) }

// PackBound is Pack.
func (c *ColumnToCollectionType) PackBound(v any, _ Bound) ([]byte, error) { return Bytes.Pack(v) }

// Unpack gives the bytes.
func (c *ColumnToCollectionType) Unpack(b []byte) (any, error) { return Bytes.Unpack(b) }

// Compare orders raw bytes. Cassandra refuses to compare with this type
// outside a composite; a total order keeps the method safe.
func (c *ColumnToCollectionType) Compare(a, b []byte) int { return bytes.Compare(a, b) }

// Validate accepts anything: outside a composite the element's collection
// is unknown (Cassandra refuses the call).
func (c *ColumnToCollectionType) Validate([]byte) error { return nil }

// compareMembers is ColumnToCollectionType.compareCollectionMembers. An
// unknown collection (Cassandra throws) falls back to raw bytes.
func (c *ColumnToCollectionType) compareMembers(a, b, collection []byte) int {
	if col, ok := c.Collection(collection); ok {
		return col.Names.Compare(a, b)
	}
	return bytes.Compare(a, b)
}

// validateMember is ColumnToCollectionType.validateCollectionMember.
func (c *ColumnToCollectionType) validateMember(b, collection []byte) error {
	col, ok := c.Collection(collection)
	if !ok {
		return invalid(c, "%s is not defined as a collection", hex.EncodeToString(collection))
	}
	return col.Names.Validate(b)
}

// memberType is implemented by component types whose order depends on the
// component before them (AbstractType.compareCollectionMembers).
type memberType interface {
	compareMembers(a, b, collection []byte) int
	validateMember(b, collection []byte) error
}
