package cqlquery

import (
	"sort"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// table is one schema.Table as statements see it: its layout and its CQL
// columns, with the columns 3.11 hides from CQL left out (the column1 and
// value of a static compact table, the EmptyType value of a dense table
// declared with key columns only, the "" map of a super column family).
type table struct {
	t   *schema.Table
	lay *layout.Layout

	cols     []*column // visible columns in SELECT * order
	byName   map[string]*column
	pk, ck   []*column
	statics  []*column
	regulars []*column

	// keyType orders partition keys of IN queries: the key columns'
	// types, compared component by component.
	keyTypes []codec.Type
}

// column is one visible CQL column.
type column struct {
	def  *schema.ColumnDefinition
	name string
	kind schema.ColumnKind
	pos  int        // position in the partition key or clustering, else -1
	typ  codec.Type // value type (never ReversedType)
	desc bool       // DESC clustering column
	lc   *layout.Column
	// indexes lists the secondary indexes on the column as (target kind)
	// strings: "" for a simple index, "keys", "values", "entries", "full";
	// indexNames are their names.
	indexes    []string
	indexNames []string
}

func (c *column) isPK() bool      { return c.kind == schema.PartitionKey || c.kind == schema.Clustering }
func (c *column) isStatic() bool  { return c.kind == schema.Static }
func (c *column) isRegular() bool { return c.kind == schema.Regular }

// multiCell reports a non-frozen collection or user type.
func (c *column) multiCell() bool { return codec.IsMultiCell(c.typ) }

// isCollection reports a collection column, frozen or not.
func (c *column) isCollection() bool {
	_, ok := c.typ.(*codec.CollectionType)
	return ok
}

func (c *column) isCounter() bool { return c.def.IsCounter() }

// receiver is the column as the receiver of a value (its ColumnDefinition
// as a ColumnSpecification).
func (tb *table) receiver(c *column) *receiver {
	return &receiver{ks: tb.t.Keyspace, table: tb.t.Name, name: c.name, typ: c.typ, col: c}
}

// tableOf returns the prepared view of t, cached per table ID until the
// definition changes.
func (env *Env) tableOf(t *schema.Table) (*table, error) {
	if v, ok := env.tables.Load(t.ID); ok {
		if tb := v.(*table); tb.t == t {
			return tb, nil
		}
	}
	tb, err := newTable(t)
	if err != nil {
		return nil, err
	}
	env.tables.Store(t.ID, tb)
	return tb, nil
}

// hidden reports whether 3.11 hides column c of t from CQL
// (CFMetaData.hiddenColumns, CompactTables).
func hidden(t *schema.Table, c *schema.ColumnDefinition) bool {
	switch {
	case t.IsStaticCompact():
		return c.Kind == schema.Clustering || c.Kind == schema.Regular
	case t.Super:
		return c.Kind == schema.Regular && c.Name == ""
	case t.Dense:
		return c.Kind == schema.Regular && c.Type == codec.Empty
	}
	return false
}

func newTable(t *schema.Table) (*table, error) {
	tb := &table{t: t, byName: map[string]*column{}}
	spec := layout.Spec{Compound: t.Compound, Dense: t.Dense, Counter: t.Counter, Super: t.Super}
	if t.IsStaticCompact() {
		spec.ColumnNameType = t.Comparator
	}
	if t.Super && !t.Dense {
		spec.ColumnNameType = t.SubComparator
	}
	all := t.AllColumns()
	for _, d := range all {
		if hidden(t, d) {
			continue // the layout names the cells of hidden columns itself
		}
		cs := layout.ColumnSpec{Name: d.Name, NameBytes: d.NameBytes, Type: d.Type, Desc: d.Order == schema.OrderDesc}
		switch d.Kind {
		case schema.PartitionKey:
			cs.Kind = layout.PartitionKey
		case schema.Clustering:
			cs.Kind = layout.Clustering
		case schema.Static:
			cs.Kind = layout.Static
		default:
			cs.Kind = layout.Regular
		}
		if ut, ok := d.Type.(*codec.UserType); ok && ut.MultiCell() {
			cs.Collection, cs.Fields = layout.UDT, ut.FieldTypes()
		}
		if ct, ok := d.Type.(*codec.CollectionType); ok && ct.MultiCell() {
			switch ct.Kind() {
			case codec.ListKind:
				cs.Collection, cs.Elements = layout.List, ct.Elements()
			case codec.SetKind:
				cs.Collection, cs.Elements = layout.Set, ct.Elements()
			case codec.MapKind:
				cs.Collection, cs.Elements, cs.Values = layout.Map, ct.Keys(), ct.Elements()
			}
		}
		spec.Columns = append(spec.Columns, cs)
	}
	lay, err := layout.New(spec)
	if err != nil {
		return nil, err
	}
	tb.lay = lay
	for _, d := range all {
		if hidden(t, d) {
			continue
		}
		c := &column{def: d, name: d.Name, kind: d.Kind, pos: -1, typ: d.Type,
			desc: d.Order == schema.OrderDesc, lc: lay.Column(d.Name)}
		if d.Kind == schema.PartitionKey || d.Kind == schema.Clustering {
			c.pos = d.Position
		}
		tb.byName[c.name] = c
		switch d.Kind {
		case schema.PartitionKey:
			tb.pk = append(tb.pk, c)
			tb.keyTypes = append(tb.keyTypes, c.typ)
		case schema.Clustering:
			tb.ck = append(tb.ck, c)
		case schema.Static:
			tb.statics = append(tb.statics, c)
		default:
			tb.regulars = append(tb.regulars, c)
		}
	}
	// SELECT * order: the layout's (key, clustering, statics and regulars
	// by name bytes).
	for _, lc := range lay.Columns() {
		if c := tb.byName[lc.Name]; c != nil {
			tb.cols = append(tb.cols, c)
		}
	}
	sort.SliceStable(tb.pk, func(i, j int) bool { return tb.pk[i].pos < tb.pk[j].pos })
	sort.SliceStable(tb.ck, func(i, j int) bool { return tb.ck[i].pos < tb.ck[j].pos })
	tb.keyTypes = tb.keyTypes[:0]
	for _, c := range tb.pk {
		tb.keyTypes = append(tb.keyTypes, c.typ)
	}
	for _, ix := range t.Indexes {
		name, kind := ix.Target()
		if c := tb.byName[name]; c != nil {
			c.indexes = append(c.indexes, kind)
			c.indexNames = append(c.indexNames, ix.Name)
		}
	}
	return tb, nil
}

// column returns the visible column named name, or nil.
func (tb *table) column(name string) *column { return tb.byName[name] }

// compareKeys orders two partition keys given as component values, as
// 3.11 orders the keys of an IN query (by the key columns' types).
func (tb *table) compareKeyValues(a, b [][]byte) int {
	for i, t := range tb.keyTypes {
		if c := t.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}
