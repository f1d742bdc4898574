package layout

import (
	"bytes"
	"sort"

	"github.com/cassa-go/cassa/codec"
)

// Kind is what a column is to its table (ColumnDefinition.Kind).
type Kind uint8

// The kinds of columns.
const (
	PartitionKey Kind = iota + 1
	Clustering
	Regular
	Static
)

// String names the kind as system_schema.columns.kind does.
func (k Kind) String() string {
	switch k {
	case PartitionKey:
		return "partition_key"
	case Clustering:
		return "clustering"
	case Regular:
		return "regular"
	case Static:
		return "static"
	}
	return "unknown"
}

// Collection says whether a column is a non-frozen collection or user
// type, stored as one cell per element or field. Frozen collections,
// tuples and frozen user types are single cells and have NotCollection.
type Collection uint8

// The multi-cell kinds.
const (
	NotCollection Collection = iota
	List
	Set
	Map
	// UDT is a non-frozen user type (3.6+): one cell per non-null field,
	// the field's position as a 2-byte short in the element component
	// (UserType.cellPathForField), the field's value as the cell's value.
	UDT
)

// String names the collection kind.
func (c Collection) String() string {
	switch c {
	case List:
		return "list"
	case Set:
		return "set"
	case Map:
		return "map"
	case UDT:
		return "udt"
	}
	return "none"
}

// Shape is how a table's cells are named, one of Cassandra 2.x's cell-name
// types (CellNameType).
type Shape uint8

// The shapes of §9.1 of the storage mapping.
const (
	// Sparse is a CQL table without COMPACT STORAGE
	// (CompoundSparseCellNameType): names are (clustering..., column[,
	// element]) composites, with row markers and static cells.
	Sparse Shape = iota + 1
	// StaticCompact is COMPACT STORAGE without clustering columns, or a
	// Thrift column family with column_metadata (SimpleSparseCellNameType):
	// a cell's name is its column's name.
	StaticCompact
	// DenseSimple is COMPACT STORAGE with one clustering column, or a
	// Thrift column family without column_metadata and a simple comparator
	// (SimpleDenseCellNameType): a cell's name is the clustering value.
	DenseSimple
	// DenseCompound is COMPACT STORAGE with several clustering columns, or
	// a Thrift column family with a CompositeType comparator and no
	// column_metadata (CompoundDenseCellNameType): names are composites of
	// the clustering values.
	DenseCompound
	// Super is a Thrift super column family without column_metadata (a
	// dense one): the first clustering column is the super column name,
	// the second the sub-column name, and the value column the sub-column's
	// value (3.11's SuperColumnCompatibility: column1, column2, value).
	Super
	// SuperSparse is a super column family with column_metadata (not
	// dense): one clustering column, the super column name, and the
	// declared sub-columns as regular columns; a row is a super column,
	// and its other sub-columns (3.11's hidden "" map) only make it exist.
	SuperSparse
)

// String names the shape as Cassandra's cell-name type.
func (s Shape) String() string {
	switch s {
	case Sparse:
		return "CompoundSparseCellNameType"
	case StaticCompact:
		return "SimpleSparseCellNameType"
	case DenseSimple:
		return "SimpleDenseCellNameType"
	case DenseCompound:
		return "CompoundDenseCellNameType"
	case Super:
		return "SuperColumnFamily"
	case SuperSparse:
		return "SuperColumnFamily (with column_metadata)"
	}
	return "unknown"
}

// ColumnSpec describes one column to New.
type ColumnSpec struct {
	// Name is the CQL column name.
	Name string
	// NameBytes are the bytes that name the column in cell names, when they
	// are not the UTF-8 of Name: the raw column_metadata name of a Thrift
	// column family whose comparator is not UTF8Type.
	NameBytes []byte
	Kind      Kind
	// Type is the value's marshal type (for a clustering column the type
	// without ReversedType; a ReversedType here makes the column DESC).
	// For a non-frozen collection it may be nil; its Class, when given,
	// names the collection in the table's comparator.
	Type codec.Type
	// Collection marks a non-frozen collection; Elements is then the
	// element type (list, set) or the key type (map), Values the value type
	// of a map. For a non-frozen user type (UDT), Fields holds the field
	// types in field order.
	Collection Collection
	Elements   codec.Type
	Values     codec.Type
	Fields     []codec.Type
	// Desc marks a clustering column in descending CLUSTERING ORDER.
	Desc bool
}

// Spec describes a table's storage to New: its columns and the flags of
// system_schema.tables. Partition key and clustering columns are listed in
// key order; the others in any order.
type Spec struct {
	Columns []ColumnSpec
	// Compound, Dense, Counter and Super are the table's flags.
	Compound, Dense, Counter, Super bool
	// ColumnNameType is the comparator of a StaticCompact table (the Thrift
	// comparator; nil means UTF8Type, as for CQL COMPACT STORAGE tables),
	// or the sub-comparator of a SuperSparse one.
	ColumnNameType codec.Type
}

// Column is one column of a Layout.
type Column struct {
	// Name is the CQL name; Bytes names the column inside cell names.
	Name  string
	Bytes []byte
	Kind  Kind
	// Type is the value type (without ReversedType for DESC clustering).
	Type       codec.Type
	Collection Collection
	Elements   codec.Type
	Values     codec.Type
	Fields     []codec.Type // a non-frozen user type's field types
	Desc       bool
	// Counter marks a counter column (every non-key column of a counter
	// table).
	Counter bool
	// Position is the column's place in the partition key or clustering,
	// -1 for the others.
	Position int
	// Index is the column's place in Layout.Columns.
	Index int
	named int // place in Layout.named
}

// Layout is a table's storage mapping: how CQL rows, columns and
// restrictions become 2.x cell names, slices and Ops, and how live cells
// become CQL rows again. It is the analog of Cassandra's LegacyLayout and
// 2.x CellNameType. A Layout is immutable and safe for concurrent use.
type Layout struct {
	shape   Shape
	counter bool
	cols    []*Column
	byName  map[string]*Column
	byBytes map[string]*Column // regular and static columns by name bytes
	pk      []*Column
	ck      []*Column
	value   *Column // the compact value column of a dense table, if any
	hasColl bool
	// named holds the regular and static columns by name bytes; regulars
	// and statics the columns of each kind.
	named    []*Column
	regulars []*Column
	statics  []*Column

	ckTypes []codec.Type // clustering types as the comparator orders them
	keyType codec.Type
	cmp     codec.Type
	subCmp  codec.Type
	// afterStatics is the slice start that leaves out a Sparse table's
	// static cells (nil when the table has no clustering column).
	afterStatics []byte
}

// New builds the layout of a table. Cassandra's rules on which columns a
// table may have are the executor's to report; New refuses only what no
// layout can store (statics in a table without clustering, collections in a
// compact table, a dense table with several value columns).
func New(spec Spec) (*Layout, error) {
	l := &Layout{counter: spec.Counter, byName: map[string]*Column{}, byBytes: map[string]*Column{}}
	switch {
	case spec.Super && spec.Dense:
		l.shape = Super
	case spec.Super:
		l.shape = SuperSparse
	case spec.Dense && spec.Compound:
		l.shape = DenseCompound
	case spec.Dense:
		l.shape = DenseSimple
	case spec.Compound:
		l.shape = Sparse
	default:
		l.shape = StaticCompact
	}
	var others []*Column
	for i := range spec.Columns {
		cs := &spec.Columns[i]
		c := &Column{Name: cs.Name, Bytes: cs.NameBytes, Kind: cs.Kind, Type: cs.Type, Collection: cs.Collection,
			Elements: cs.Elements, Values: cs.Values, Fields: cs.Fields, Desc: cs.Desc, Position: -1}
		if c.Bytes == nil {
			c.Bytes = []byte(cs.Name)
		}
		if r, ok := c.Type.(*codec.ReversedType); ok && c.Kind == Clustering {
			c.Type, c.Desc = r.Base(), true
		}
		if _, dup := l.byName[c.Name]; dup {
			return nil, specErr("column %q appears twice", c.Name)
		}
		l.byName[c.Name] = c
		switch c.Kind {
		case PartitionKey:
			c.Position = len(l.pk)
			l.pk = append(l.pk, c)
		case Clustering:
			c.Position = len(l.ck)
			l.ck = append(l.ck, c)
		case Regular, Static:
			switch c.Collection {
			case NotCollection:
			case UDT:
				if len(c.Fields) == 0 || len(c.Fields) > maxFields {
					return nil, specErr("user type %q needs 1 to %d field types", c.Name, maxFields)
				}
			default:
				if c.Elements == nil || (c.Collection == Map && c.Values == nil) {
					return nil, specErr("collection %q needs its element types", c.Name)
				}
				l.hasColl = true
			}
			c.Counter = spec.Counter
			others = append(others, c)
		default:
			return nil, specErr("column %q has no kind", c.Name)
		}
		if c.Kind != Regular && c.Kind != Static && c.Collection != NotCollection {
			return nil, specErr("key column %q cannot be a non-frozen collection", c.Name)
		}
		if c.Type == nil && c.Collection == NotCollection {
			c.Type = codec.Bytes
		}
	}
	if len(l.pk) == 0 {
		return nil, specErr("no partition key column")
	}
	if err := l.checkShape(others); err != nil {
		return nil, err
	}
	// 3.11's select order: key, clustering, then statics and regulars,
	// each by name (CFMetaData.allColumnsInSelectOrder).
	sort.SliceStable(others, func(i, j int) bool {
		a, b := others[i], others[j]
		if (a.Kind == Static) != (b.Kind == Static) {
			return a.Kind == Static
		}
		return bytes.Compare(a.Bytes, b.Bytes) < 0
	})
	l.cols = append(append(append(l.cols, l.pk...), l.ck...), others...)
	for i, c := range l.cols {
		c.Index = i
		if c.Kind == Regular || c.Kind == Static {
			if _, dup := l.byBytes[string(c.Bytes)]; dup {
				return nil, specErr("two columns named %x in cells", c.Bytes)
			}
			l.byBytes[string(c.Bytes)] = c
			l.named = append(l.named, c)
			if c.Kind == Regular {
				l.regulars = append(l.regulars, c)
			} else {
				l.statics = append(l.statics, c)
			}
		}
	}
	sort.SliceStable(l.named, func(i, j int) bool { return bytes.Compare(l.named[i].Bytes, l.named[j].Bytes) < 0 })
	for i, c := range l.named {
		c.named = i
	}
	l.buildTypes(spec)
	return l, nil
}

// checkShape refuses columns the shape cannot store.
func (l *Layout) checkShape(others []*Column) error {
	nStatic := 0
	for _, c := range others {
		if c.Kind == Static {
			nStatic++
		}
		if l.shape != Sparse && c.Collection != NotCollection {
			return specErr("%s cannot hold the non-frozen collection %q", l.shape, c.Name)
		}
	}
	switch l.shape {
	case Sparse:
		if nStatic > 0 && len(l.ck) == 0 {
			return specErr("static columns need a clustering column")
		}
	case StaticCompact:
		if len(l.ck) > 0 {
			return specErr("a static compact table has no clustering column (leave out the hidden column1/value)")
		}
	case SuperSparse:
		if len(l.ck) != 1 {
			return specErr("%s needs 1 clustering column (the super column name), has %d", l.shape, len(l.ck))
		}
		if nStatic > 0 {
			return specErr("%s has no statics", l.shape)
		}
	case DenseSimple, DenseCompound, Super:
		want := 1 // DenseSimple
		switch {
		case l.shape == Super:
			want = 2
		case l.shape == DenseCompound && len(l.ck) > 0:
			want = len(l.ck)
		}
		if len(l.ck) != want {
			return specErr("%s needs %d clustering column(s), has %d", l.shape, want, len(l.ck))
		}
		if nStatic > 0 || len(others) > 1 {
			return specErr("%s has at most one value column and no statics", l.shape)
		}
		if len(others) == 1 {
			l.value = others[0]
		}
	}
	return nil
}

// buildTypes makes the key validator and the comparator.
func (l *Layout) buildTypes(spec Spec) {
	if len(l.pk) == 1 {
		l.keyType = l.pk[0].Type
	} else {
		ts := make([]codec.Type, len(l.pk))
		for i, c := range l.pk {
			ts[i] = c.Type
		}
		l.keyType = codec.Composite(ts...)
	}
	l.ckTypes = make([]codec.Type, len(l.ck))
	for i, c := range l.ck {
		l.ckTypes[i] = c.Type
		if c.Desc {
			l.ckTypes[i] = codec.Reversed(c.Type)
		}
	}
	switch l.shape {
	case Sparse:
		ts := append(append([]codec.Type(nil), l.ckTypes...), codec.UTF8)
		if l.hasColl {
			cc := map[string]*codec.CollectionType{}
			for _, c := range l.cols {
				if c.Collection != NotCollection && c.Collection != UDT {
					// LegacyLayout names only collections here: a user
					// type's field cells order by their 2-byte position,
					// which the byte order of unknown columns gives.
					cc[string(c.Bytes)] = c.collectionType()
				}
			}
			ts = append(ts, codec.ColumnToCollection(cc))
		}
		l.cmp = codec.Composite(ts...)
		if n := len(l.ck); n > 0 && l.hasStatics() {
			b := []byte{0xff, 0xff}
			for i := 0; i < n; i++ {
				b = append(b, 0, 0, 0)
			}
			b[len(b)-1] = byte(eocEnd)
			l.afterStatics = b
		}
	case StaticCompact:
		l.cmp = spec.ColumnNameType
		if l.cmp == nil {
			l.cmp = codec.UTF8
		}
	case DenseSimple:
		l.cmp = l.ckTypes[0]
	case DenseCompound:
		l.cmp = codec.Composite(l.ckTypes...)
	case Super:
		l.cmp, l.subCmp = l.ckTypes[0], l.ckTypes[1]
	case SuperSparse:
		l.cmp, l.subCmp = l.ckTypes[0], spec.ColumnNameType
		if l.subCmp == nil {
			l.subCmp = codec.UTF8
		}
	}
}

func (l *Layout) hasStatics() bool {
	for _, c := range l.cols {
		if c.Kind == Static {
			return true
		}
	}
	return false
}

// collectionClass is the marshal class of a non-frozen collection column.
// collectionType is the column's non-frozen collection type: its declared
// type when it is one, else built from its element (and value) types.
func (c *Column) collectionType() *codec.CollectionType {
	if ct, ok := c.Type.(*codec.CollectionType); ok {
		return ct
	}
	switch c.Collection {
	case List:
		return codec.List(c.Elements, true)
	case Set:
		return codec.Set(c.Elements, true)
	}
	return codec.Map(c.Elements, c.Values, true)
}

// Shape returns how the table's cells are named.
func (l *Layout) Shape() Shape { return l.shape }

// Counter reports whether the table is a counter table.
func (l *Layout) Counter() bool { return l.counter }

// Columns returns every column in 3.11's SELECT * order: partition key,
// clustering, statics by name, regulars by name. Column.Index is the place
// in this list. The slice is shared: do not modify it.
func (l *Layout) Columns() []*Column { return l.cols }

// Column returns the column with this CQL name, or nil.
func (l *Layout) Column(name string) *Column { return l.byName[name] }

// PartitionKeyColumns returns the partition key columns in key order.
func (l *Layout) PartitionKeyColumns() []*Column { return l.pk }

// ClusteringColumns returns the clustering columns in clustering order.
func (l *Layout) ClusteringColumns() []*Column { return l.ck }

// ValueColumn returns the compact value column of a dense table, or nil
// (not dense, or declared with key columns only).
func (l *Layout) ValueColumn() *Column { return l.value }

// Comparator returns the type that orders the table's cell names in the
// store (for a super column family: the super column names). A CQL table's
// schema.Table.Comparator is this.
func (l *Layout) Comparator() codec.Type { return l.cmp }

// SubComparator returns the sub-column comparator of a super column family,
// else nil.
func (l *Layout) SubComparator() codec.Type { return l.subCmp }

// KeyType returns the partition key validator: the key column's type, or a
// CompositeType of the key columns' types.
func (l *Layout) KeyType() codec.Type { return l.keyType }

// ClusteringType returns the comparator type of clustering column i
// (ReversedType for a DESC column), or nil when there is no such column.
func (l *Layout) ClusteringType(i int) codec.Type {
	if i < 0 || i >= len(l.ckTypes) {
		return nil
	}
	return l.ckTypes[i]
}
