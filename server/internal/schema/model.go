package schema

import (
	"bytes"
	"sort"

	"github.com/cassa-go/cassa/codec"
)

// ColumnKind is ColumnDefinition.Kind.
type ColumnKind int

// The column kinds, in the order CFMetaData lists columns.
const (
	PartitionKey ColumnKind = iota + 1
	Clustering
	Regular
	Static
)

// String is the kind as system_schema.columns.kind shows it.
func (k ColumnKind) String() string {
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

// ClusteringOrder is ColumnDefinition.ClusteringOrder.
type ClusteringOrder int

// Orders; only clustering columns have ASC or DESC.
const (
	OrderNone ClusteringOrder = iota
	OrderAsc
	OrderDesc
)

// String is the order as system_schema.columns.clustering_order shows it.
func (o ClusteringOrder) String() string {
	switch o {
	case OrderAsc:
		return "asc"
	case OrderDesc:
		return "desc"
	}
	return "none"
}

// ColumnDefinition is one CQL column of a table (3.11's ColumnDefinition).
type ColumnDefinition struct {
	// Name is the CQL name (ColumnIdentifier text): case as declared; for
	// the declared columns of a Thrift column family, the comparator's
	// string form of the name bytes.
	Name string
	// NameBytes is the name as stored (system_schema.columns.column_name_bytes).
	NameBytes []byte
	Kind      ColumnKind
	// Position is the index among partition key or clustering columns; -1
	// for regular and static columns.
	Position int
	// Type is the column's type; never a ReversedType (a DESC clustering
	// column's order is in Order and in the table's comparator).
	Type  codec.Type
	Order ClusteringOrder
}

// IsPrimaryKey reports a partition key or clustering column.
func (c *ColumnDefinition) IsPrimaryKey() bool {
	return c.Kind == PartitionKey || c.Kind == Clustering
}

// ComparatorType is the type as it orders cells: ReversedType for a DESC
// clustering column.
func (c *ColumnDefinition) ComparatorType() codec.Type {
	if c.Order == OrderDesc {
		return codec.Reversed(c.Type)
	}
	return c.Type
}

// IsCounter reports a counter column.
func (c *ColumnDefinition) IsCounter() bool { return isCounter(c.Type) }

// IsMultiCell reports a non-frozen collection or user type column.
func (c *ColumnDefinition) IsMultiCell() bool { return codec.IsMultiCell(c.Type) }

// CQLType is the type as system_schema.columns.type shows it.
func (c *ColumnDefinition) CQLType() string { return codec.CQLName(c.Type) }

func newColumn(name string, kind ColumnKind, pos int, t codec.Type) *ColumnDefinition {
	c := &ColumnDefinition{Name: name, NameBytes: []byte(name), Kind: kind, Position: pos, Type: t}
	if kind != PartitionKey && kind != Clustering {
		c.Position = -1
	}
	if kind == Clustering {
		c.Order = OrderAsc
		if r, ok := t.(*codec.ReversedType); ok {
			c.Type, c.Order = r.Base(), OrderDesc
		}
	}
	return c
}

// IndexKind is IndexMetadata.Kind.
type IndexKind string

// Index kinds as system_schema.indexes.kind shows them.
const (
	IndexKeys       IndexKind = "KEYS"
	IndexComposites IndexKind = "COMPOSITES"
	IndexCustom     IndexKind = "CUSTOM"
)

// IndexMetadata is one secondary index (3.11's IndexMetadata). Options
// holds "target" (the column's CQL name, maybe quoted, or keys(c),
// values(c), entries(c), full(c)) and, for CUSTOM, "class_name" and the
// custom options.
type IndexMetadata struct {
	Name    string
	Kind    IndexKind
	Options map[string]string
}

// Target returns the indexed column name and the target kind ("values",
// "keys", "entries", "full", or "" for a simple column), parsing the
// target option as TargetParser does.
func (ix *IndexMetadata) Target() (column, kind string) {
	t := ix.Options["target"]
	for _, k := range []string{"keys", "values", "entries", "full"} {
		if len(t) > len(k)+2 && t[:len(k)+1] == k+"(" && t[len(t)-1] == ')' {
			return unquoteIdent(t[len(k)+1 : len(t)-1]), k
		}
	}
	return unquoteIdent(t), ""
}

func unquoteIdent(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return string(bytes.ReplaceAll([]byte(s[1:len(s)-1]), []byte(`""`), []byte(`"`)))
	}
	return s
}

// DroppedColumn is a column removed by ALTER TABLE DROP (CFMetaData.DroppedColumn):
// cells of that name written at or before DroppedTime stay invisible.
type DroppedColumn struct {
	Name string
	Type codec.Type
	// Kind is the kind the column had (regular or static).
	Kind ColumnKind
	// DroppedTime is the drop's timestamp in microseconds.
	DroppedTime int64
}

// Trigger is a trigger definition (name and class).
type Trigger struct {
	Name  string
	Class string
}

// sortColumns orders columns by name bytes, as 3.11's Columns do.
func sortColumns(cs []*ColumnDefinition) {
	sort.SliceStable(cs, func(i, j int) bool { return bytes.Compare(cs[i].NameBytes, cs[j].NameBytes) < 0 })
}

// Column lookups and views on the CQL model.

// PartitionKeyColumns returns the partition key columns by position.
func (t *Table) PartitionKeyColumns() []*ColumnDefinition { return t.PartitionKey }

// ClusteringColumns returns the clustering columns by position.
func (t *Table) ClusteringColumns() []*ColumnDefinition { return t.Clustering }

// StaticColumns returns the static columns by name.
func (t *Table) StaticColumns() []*ColumnDefinition { return t.Statics }

// RegularColumns returns the regular columns by name.
func (t *Table) RegularColumns() []*ColumnDefinition { return t.Regulars }

// AllColumns returns every column in SELECT * order: partition key,
// clustering, static, regular.
func (t *Table) AllColumns() []*ColumnDefinition {
	out := make([]*ColumnDefinition, 0, len(t.PartitionKey)+len(t.Clustering)+len(t.Statics)+len(t.Regulars))
	out = append(out, t.PartitionKey...)
	out = append(out, t.Clustering...)
	out = append(out, t.Statics...)
	return append(out, t.Regulars...)
}

// ColumnDef returns the CQL column with exactly this name, or nil.
func (t *Table) ColumnDef(name string) *ColumnDefinition {
	for _, c := range t.AllColumns() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// IsCompact reports a COMPACT STORAGE table or Thrift column family
// (CFMetaData.isCompactTable): dense, super or not compound.
func (t *Table) IsCompact() bool { return t.Dense || t.Super || !t.Compound }

// IsCQLTable is !IsCompact: what Thrift may not see nor alter.
func (t *Table) IsCQLTable() bool { return !t.IsCompact() }

// IsStaticCompact reports a COMPACT STORAGE table without clustering
// columns in CQL (a Thrift "static" column family).
func (t *Table) IsStaticCompact() bool { return !t.Dense && !t.Compound && !t.Super }

// CompactValueColumn returns the single regular column of a compact table
// (the "" map of a super column family), or nil.
func (t *Table) CompactValueColumn() *ColumnDefinition {
	if !t.IsCompact() {
		return nil
	}
	for _, c := range t.Regulars {
		if t.Super && c.Name != "" {
			continue
		}
		return c
	}
	return nil
}

// Index returns the index of this table named name, or nil.
func (t *Table) Index(name string) *IndexMetadata {
	for _, ix := range t.Indexes {
		if ix.Name == name {
			return ix
		}
	}
	return nil
}

// Flags returns system_schema.tables.flags (CFMetaData.flagsToStrings).
func (t *Table) Flags() []string {
	var out []string
	if t.Super {
		out = append(out, "super")
	}
	if t.Counter {
		out = append(out, "counter")
	}
	if t.Dense {
		out = append(out, "dense")
	}
	if t.Compound {
		out = append(out, "compound")
	}
	sort.Strings(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// hasCollectionColumns counts non-frozen collections, dropped ones
// included, as LegacyLayout.makeLegacyComparator does.
func (t *Table) collectionColumns() map[string]*codec.CollectionType {
	out := map[string]*codec.CollectionType{}
	for _, d := range t.Dropped {
		if ct, ok := d.Type.(*codec.CollectionType); ok && ct.MultiCell() {
			out[d.Name] = ct
		}
	}
	for _, c := range append(append([]*ColumnDefinition(nil), t.Statics...), t.Regulars...) {
		if ct, ok := c.Type.(*codec.CollectionType); ok && ct.MultiCell() {
			out[string(c.NameBytes)] = ct
		}
	}
	return out
}

// legacyComparator is LegacyLayout.makeLegacyComparator.
func (t *Table) legacyComparator() codec.Type {
	if !t.Compound {
		if len(t.Clustering) == 0 {
			return codec.UTF8
		}
		return t.Clustering[0].ComparatorType()
	}
	var types []codec.Type
	for _, c := range t.Clustering {
		types = append(types, c.ComparatorType())
	}
	if !t.Dense {
		types = append(types, codec.UTF8)
		if cols := t.collectionColumns(); len(cols) > 0 {
			types = append(types, codec.ColumnToCollection(cols))
		}
	}
	return codec.Composite(types...)
}

// legacyKeyValidator is CFMetaData.getKeyValidator.
func (t *Table) legacyKeyValidator() codec.Type {
	if len(t.PartitionKey) == 1 {
		return t.PartitionKey[0].Type
	}
	types := make([]codec.Type, len(t.PartitionKey))
	for i, c := range t.PartitionKey {
		types[i] = c.Type
	}
	return codec.Composite(types...)
}

// legacyDefaultValidator is CFMetaData.makeLegacyDefaultValidator.
func (t *Table) legacyDefaultValidator() codec.Type {
	if t.Counter {
		return codec.CounterColumn
	}
	if v := t.CompactValueColumn(); v != nil {
		if ct, ok := v.Type.(*codec.CollectionType); ok && t.Super {
			return ct.Elements()
		}
		return v.Type
	}
	return codec.Bytes
}
