package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/btree"
)

// Secondary indexes. One mechanism serves both kinds Cassandra 3.11 keeps
// as hidden local tables (CassandraIndex):
//
//   - KEYS indexes of non-compound tables (Thrift column families and
//     COMPACT STORAGE tables without clustering columns): one entry per
//     partition whose cell of the indexed name is live, keyed by its value
//     (KeysIndex);
//   - COMPOSITES indexes of CQL tables, per 3.11 target: a regular column
//     or the full() value of a frozen collection (RegularColumnIndex, one
//     entry per CQL row), a static column (one per partition), a
//     clustering column (ClusteringColumnIndex, one per live row), a
//     partition key component of a composite key (PartitionKeyIndex, one
//     per partition with live data), and the elements of a non-frozen
//     collection: values() of a list or map (CollectionValueIndex, keyed by
//     the element value, with the cell path), keys() of a map or the
//     elements of a set (CollectionKeyIndex) and entries() of a map
//     (CollectionEntryIndex, keyed by (key, value)).
//
// An index is an ordered set of entries (value, partition, clustering,
// cell path): by the indexed value in its type's order, then the
// partition in ring order, then the clustering in the table's order, then
// the cell path, as 3.11 orders an index partition's rows. Every write
// (Apply, ReadModifyWrite, Cas) recomputes the entries of the CQL rows it
// touched while it holds the partition; deletions of whole partitions or
// clustering ranges recompute every row the partition has entries for.
// Expiry is not an event: an entry whose cell expired stays until the next
// write of its row or a purge, and readers check every hit against the live
// data, as 3.11's searchers discard stale entries.

// ixKind is what an index indexes.
type ixKind uint8

const (
	ixKeys        ixKind = iota + 1 // KEYS: the cell named column, per partition
	ixRegular                       // regular column or full(frozen), per row
	ixStatic                        // static column, per partition
	ixClustering                    // clustering column pos, per live row
	ixPartition                     // partition key component pos, per partition
	ixCollValues                    // values(list|map): element value, path
	ixCollKeys                      // keys(map), set elements
	ixCollEntries                   // entries(map): (key, value)
)

// perPartition reports an index whose entries name partitions, not rows.
func (k ixKind) perPartition() bool { return k == ixKeys || k == ixStatic || k == ixPartition }

// index is one secondary index of a table.
type index struct {
	name   string
	kind   ixKind
	column []byte // the indexed cell's column name (KEYS: the cell name)
	pos    int    // ixClustering, ixPartition: the component
	static bool   // the indexed column is static: entries name partitions
	sig    string // what the index is, to notice redefinitions
	slot   int    // position in table.indexes

	valueType codec.Type   // orders values
	pathType  codec.Type   // orders cell paths (ixCollValues)
	ckTypes   []codec.Type // orders clusterings (the table's, reversed where DESC)
	keyParts  int          // partition key components (ixPartition)

	mu      sync.RWMutex
	entries *btree.BTreeG[indexEntry]
}

// indexEntry is one entry: value, row (partition), clustering and path.
// Pivots for searches set vbound (before/after every entry of value) or
// bound (before/after every entry of row r).
type indexEntry struct {
	value  []byte
	r      *row
	ck     [][]byte
	path   []byte
	vbound int8
	bound  int8
}

// ixVal is one entry of a row as the row remembers it.
type ixVal struct{ value, path []byte }

// ixUnit is what the indexes hold for one CQL row of a partition (or, for
// the unit "", the partition itself): per index slot, its entries.
type ixUnit struct {
	ck   [][]byte
	vals [][]ixVal
}

func (ix *index) less(a, b indexEntry) bool {
	if a.vbound != 0 || b.vbound != 0 {
		if c := ix.valueType.Compare(a.value, b.value); c != 0 {
			return c < 0
		}
		return a.vbound < b.vbound
	}
	if c := ix.valueType.Compare(a.value, b.value); c != 0 {
		return c < 0
	}
	if rowLess(a.r, b.r) {
		return true
	}
	if rowLess(b.r, a.r) {
		return false
	}
	if a.bound != 0 || b.bound != 0 {
		return a.bound < b.bound
	}
	if c := ix.compareCK(a.ck, b.ck); c != 0 {
		return c < 0
	}
	if ix.pathType == nil {
		return bytes.Compare(a.path, b.path) < 0
	}
	return ix.pathType.Compare(a.path, b.path) < 0
}

// compareCK orders clusterings in the table's order; nil (a
// partition-level entry) first.
func (ix *index) compareCK(a, b [][]byte) int {
	if a == nil || b == nil {
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return -1
		}
		return 1
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		t := codec.Type(bytesOrder{})
		if i < len(ix.ckTypes) {
			t = ix.ckTypes[i]
		}
		if c := t.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}

func newIndex(name string, kind ixKind, column []byte, valueType codec.Type) *index {
	if valueType == nil {
		valueType = bytesOrder{}
	}
	ix := &index{name: name, kind: kind, column: column, valueType: valueType}
	ix.entries = btree.NewG(rowDegree, ix.less)
	return ix
}

// buildIndexDefs returns empty indexes for t: KEYS indexes on the indexed
// column_metadata of a standard column family that is not a CQL table,
// COMPOSITES indexes from the CQL index definitions of a CQL table. Super
// column families cannot have secondary indexes; CUSTOM indexes are not
// kept.
func buildIndexDefs(t *schema.Table) []*index {
	if t.Super {
		return nil
	}
	var out []*index
	if !t.IsCQLTable() {
		for _, col := range t.Columns {
			if col == nil || col.Index == nil {
				continue
			}
			v := col.Validator
			if v == nil {
				v = t.DefaultValidator
			}
			ix := newIndex(col.Index.Name, ixKeys, col.Name, v)
			ix.sig = "keys|" + string(col.Name) + "|" + ix.valueType.Class()
			out = append(out, ix)
		}
	} else {
		var ckTypes []codec.Type
		for _, c := range t.Clustering {
			ckTypes = append(ckTypes, c.ComparatorType())
		}
		for _, md := range t.Indexes {
			if md == nil || md.Kind == schema.IndexCustom {
				continue
			}
			if ix := compositesIndex(t, md); ix != nil {
				ix.ckTypes = ckTypes
				ix.keyParts = len(t.PartitionKey)
				out = append(out, ix)
			}
		}
	}
	for i, ix := range out {
		ix.slot = i
	}
	return out
}

// compositesIndex is CassandraIndexFunctions.getFunctions for one index of
// a CQL table; nil for a target the store cannot serve.
func compositesIndex(t *schema.Table, md *schema.IndexMetadata) *index {
	name, target := md.Target()
	c := t.ColumnDef(name)
	if c == nil {
		return nil
	}
	var ix *index
	if ct, ok := c.Type.(*codec.CollectionType); ok && ct.MultiCell() && (c.Kind == schema.Regular || c.Kind == schema.Static) {
		switch {
		case ct.Kind() == codec.ListKind:
			ix = newIndex(md.Name, ixCollValues, c.NameBytes, ct.Elements())
			ix.pathType = codec.TimeUUID
		case ct.Kind() == codec.SetKind:
			ix = newIndex(md.Name, ixCollKeys, c.NameBytes, ct.Elements())
		case target == "keys":
			ix = newIndex(md.Name, ixCollKeys, c.NameBytes, ct.Keys())
		case target == "entries":
			ix = newIndex(md.Name, ixCollEntries, c.NameBytes, codec.Composite(ct.Keys(), ct.Elements()))
		default:
			ix = newIndex(md.Name, ixCollValues, c.NameBytes, ct.Elements())
			ix.pathType = ct.Keys()
		}
		ix.static = c.Kind == schema.Static
	} else {
		switch c.Kind {
		case schema.PartitionKey:
			ix = newIndex(md.Name, ixPartition, nil, c.Type)
			ix.pos = c.Position
		case schema.Clustering:
			ix = newIndex(md.Name, ixClustering, nil, c.Type)
			ix.pos = c.Position
		case schema.Static:
			ix = newIndex(md.Name, ixStatic, c.NameBytes, c.Type)
			ix.static = true
		default:
			ix = newIndex(md.Name, ixRegular, c.NameBytes, c.Type)
		}
	}
	ix.sig = fmt.Sprintf("composites|%d|%x|%d|%s", ix.kind, ix.column, ix.pos, ix.valueType.Class())
	return ix
}

func sameIndexDefs(a, b []*index) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].name != b[i].name || a[i].sig != b[i].sig {
			return false
		}
	}
	return true
}

func (ix *index) clear() {
	ix.mu.Lock()
	ix.entries.Clear(false)
	ix.mu.Unlock()
}

// ---------------------------------------------------------------------------
// Keeping indexes up to date

// reindexOps brings the indexes in line with r after ops were applied to
// it. The caller holds r exclusively (or the table exclusively).
func (tb *table) reindexOps(r *row, ops []Op, now int64) {
	if len(tb.indexes) == 0 {
		return
	}
	if !tb.sparse {
		tb.reindexUnit(r, "", nil, now)
		return
	}
	type unit struct {
		key string
		ck  [][]byte
	}
	var small [4]unit
	touched := small[:0]
	add := func(k string, ck [][]byte) {
		for _, t := range touched {
			if t.key == k {
				return
			}
		}
		touched = append(touched, unit{k, ck})
	}
	if tb.hasPartitionIndex {
		add("", nil)
	}
	for i := range ops {
		op := &ops[i]
		switch op.Kind {
		case OpPut, OpDeleteColumn, OpAddCounter:
			if k, ck, ok := tb.unitOf(op.Name); ok {
				add(k, ck)
			}
		case OpDeleteRange:
			ks, ck, ok1 := tb.unitOf(op.Start)
			kf, _, ok2 := tb.unitOf(op.Finish)
			if !ok1 || !ok2 || ks != kf {
				tb.reindexKnown(r, now)
				return
			}
			add(ks, ck)
		default:
			tb.reindexKnown(r, now)
			return
		}
	}
	for _, u := range touched {
		tb.reindexUnit(r, u.key, u.ck, now)
	}
}

// reindexKnown recomputes every unit r has entries for, and the partition
// unit: a deletion can only take entries away.
func (tb *table) reindexKnown(r *row, now int64) {
	keys := make([]string, 0, len(r.ix)+1)
	cks := make([][][]byte, 0, len(r.ix)+1)
	keys, cks = append(keys, ""), append(cks, nil)
	for k, u := range r.ix {
		if k != "" {
			keys, cks = append(keys, k), append(cks, u.ck)
		}
	}
	for i, k := range keys {
		tb.reindexUnit(r, k, cks[i], now)
	}
}

// reindexAll recomputes every unit of r from its cells (an index created
// on existing data).
func (tb *table) reindexAll(r *row, now int64) {
	for k, u := range r.ix {
		for slot := range u.vals {
			tb.setEntries(r, k, u.ck, slot, nil)
		}
	}
	r.ix = nil
	if !tb.sparse {
		tb.reindexUnit(r, "", nil, now)
		return
	}
	tb.reindexUnit(r, "", nil, now)
	if r.cs.cells == nil {
		return
	}
	var last string
	var units []string
	var cks [][][]byte
	r.cs.cells.Ascend(func(c *cell) bool {
		k, ck, ok := tb.unitOf(c.name)
		if ok && k != "" && k != last {
			last = k
			units, cks = append(units, k), append(cks, append([][]byte(nil), ck...))
		}
		return true
	})
	for i, k := range units {
		tb.reindexUnit(r, k, cks[i], now)
	}
}

// reindexUnit recomputes the entries of one unit of r: the partition ("")
// or the CQL row ck.
func (tb *table) reindexUnit(r *row, key string, ck [][]byte, now int64) {
	fresh := make([][]ixVal, len(tb.indexes))
	if !tb.sparse {
		for _, ix := range tb.indexes {
			if c := r.cs.get(ix.column); c != nil && c.kind == kindValue && c.live(now) {
				fresh[ix.slot] = []ixVal{{value: c.value}}
			}
		}
	} else if key == "" {
		tb.partitionEntries(r, fresh, now)
	} else {
		tb.rowEntries(r, ck, fresh, now)
	}
	for _, ix := range tb.indexes {
		tb.setEntries(r, key, ck, ix.slot, fresh[ix.slot])
	}
}

// setEntries replaces the entries of index slot for unit key of r.
func (tb *table) setEntries(r *row, key string, ck [][]byte, slot int, vals []ixVal) {
	u := r.ix[key]
	var old []ixVal
	if u != nil && slot < len(u.vals) {
		old = u.vals[slot]
	}
	if sameVals(old, vals) {
		return
	}
	ix := tb.indexes[slot]
	entryCK := ck
	if ix.kind.perPartition() || ix.static || key == "" {
		entryCK = nil
	}
	ix.mu.Lock()
	for _, v := range old {
		ix.entries.Delete(indexEntry{value: v.value, r: r, ck: entryCK, path: v.path})
	}
	for _, v := range vals {
		ix.entries.ReplaceOrInsert(indexEntry{value: v.value, r: r, ck: entryCK, path: v.path})
	}
	ix.mu.Unlock()
	if u == nil {
		if len(vals) == 0 {
			return
		}
		if r.ix == nil {
			r.ix = make(map[string]*ixUnit)
		}
		u = &ixUnit{ck: append([][]byte(nil), ck...), vals: make([][]ixVal, len(tb.indexes))}
		r.ix[key] = u
	}
	u.vals[slot] = vals
	for _, vs := range u.vals {
		if len(vs) > 0 {
			return
		}
	}
	delete(r.ix, key)
}

func sameVals(a, b []ixVal) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i].value, b[i].value) || !bytes.Equal(a[i].path, b[i].path) {
			return false
		}
	}
	return true
}

// partitionEntries computes the partition-level entries of a CQL table:
// static columns (and static collections) and partition key components.
func (tb *table) partitionEntries(r *row, out [][]ixVal, now int64) {
	var live bool
	if tb.hasPartitionIndex {
		live = r.cs.firstLive(now) != nil
	}
	for _, ix := range tb.indexes {
		if ix.kind == ixPartition && live {
			if v, ok := keyComponent(r.key, ix.pos, ix.keyParts); ok {
				out[ix.slot] = []ixVal{{value: v}}
			}
		}
	}
	if !tb.hasStaticIndex || r.cs.cells == nil {
		return
	}
	r.cs.cells.Ascend(func(c *cell) bool {
		if !isStaticName(c.name) {
			return false
		}
		if !c.live(now) {
			return true
		}
		col, elem, hasElem, ok := tb.columnOf(c.name, true)
		if ok {
			tb.cellEntries(c, col, elem, hasElem, true, out)
		}
		return true
	})
}

// rowEntries computes the entries of CQL row ck of r.
func (tb *table) rowEntries(r *row, ck [][]byte, out [][]ixVal, now int64) {
	if r.cs.cells == nil {
		return
	}
	live := false
	pivot := &cell{name: compositeName(ck, 0xff)}
	r.cs.cells.AscendGreaterOrEqual(pivot, func(c *cell) bool {
		_, cck, ok := tb.unitOf(c.name)
		if !ok || cck == nil {
			return true // not a CQL cell name: no entry of its own
		}
		if cmp := tb.compareCK(cck, ck); cmp != 0 {
			return cmp < 0
		}
		if !c.live(now) {
			return true
		}
		col, elem, hasElem, ok := tb.columnOf(c.name, false)
		if !ok {
			return true
		}
		live = true // the row marker (empty column name) or any regular cell
		if len(col) > 0 {
			tb.cellEntries(c, col, elem, hasElem, false, out)
		}
		return true
	})
	if !live {
		for i := range out {
			out[i] = nil
		}
		return
	}
	for _, ix := range tb.indexes {
		if ix.kind == ixClustering && ix.pos < len(ck) {
			out[ix.slot] = []ixVal{{value: ck[ix.pos]}}
		}
	}
}

// cellEntries adds what live cell c of column col contributes.
func (tb *table) cellEntries(c *cell, col, elem []byte, hasElem, static bool, out [][]ixVal) {
	for _, ix := range tb.indexes {
		if !bytes.Equal(ix.column, col) {
			continue
		}
		switch ix.kind {
		case ixRegular, ixStatic:
			if !hasElem && ix.static == static {
				out[ix.slot] = append(out[ix.slot], ixVal{value: c.value})
			}
		case ixCollValues:
			if hasElem && ix.static == static {
				out[ix.slot] = append(out[ix.slot], ixVal{value: c.value, path: elem})
			}
		case ixCollKeys:
			if hasElem && ix.static == static {
				out[ix.slot] = append(out[ix.slot], ixVal{value: elem})
			}
		case ixCollEntries:
			if hasElem && ix.static == static {
				out[ix.slot] = append(out[ix.slot], ixVal{value: compositeName([][]byte{elem, c.value}, 0)})
			}
		}
	}
}

// compareCK orders two clusterings of the table.
func (tb *table) compareCK(a, b [][]byte) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		t := codec.Type(bytesOrder{})
		if i < len(tb.ckTypes) {
			t = tb.ckTypes[i]
		}
		if c := t.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}

// ---------------------------------------------------------------------------
// Cell names of CQL tables (CompositeType(clustering..., column name
// [, collection element]), static cells prefixed by 0xFFFF)

const staticMarker = 0xffff

func isStaticName(name []byte) bool {
	return len(name) >= 2 && binary.BigEndian.Uint16(name) == staticMarker
}

// component splits the first composite component off b.
func component(b []byte) (v, rest []byte, ok bool) {
	if len(b) < 3 {
		return nil, nil, false
	}
	n := int(binary.BigEndian.Uint16(b))
	if len(b) < 3+n {
		return nil, nil, false
	}
	return b[2 : 2+n], b[3+n:], true
}

// compositeName encodes values as composite components, the last with
// end-of-component byte eoc and the others with 0.
func compositeName(vals [][]byte, eoc byte) []byte {
	n := 0
	for _, v := range vals {
		n += 3 + len(v)
	}
	out := make([]byte, 0, n)
	for i, v := range vals {
		out = binary.BigEndian.AppendUint16(out, uint16(len(v)))
		out = append(out, v...)
		if i == len(vals)-1 {
			out = append(out, eoc)
		} else {
			out = append(out, 0)
		}
	}
	return out
}

// unitOf returns the unit a cell name (or range bound) of a CQL table
// belongs to: "" for static names, else the encoded clustering and its
// values. ok is false for a name that does not hold a whole clustering.
func (tb *table) unitOf(name []byte) (key string, ck [][]byte, ok bool) {
	if isStaticName(name) {
		return "", nil, true
	}
	rest := name
	ck = make([][]byte, 0, tb.nClustering)
	for i := 0; i < tb.nClustering; i++ {
		v, r, ok := component(rest)
		if !ok {
			return "", nil, false
		}
		ck, rest = append(ck, v), r
	}
	if tb.nClustering == 0 {
		// The one row of a table without clustering columns is a unit of
		// its own, not the partition unit "".
		return soleRowUnit, ck, true
	}
	return string(compositeName(ck, 0)), ck, true
}

// soleRowUnit is the unit key of the row of a CQL table without clustering
// columns; compositeName never makes a name this short.
const soleRowUnit = "\x00"

// columnOf decodes the column name and collection element of a live cell
// name of a CQL table; a row marker has an empty column name.
func (tb *table) columnOf(name []byte, static bool) (col, elem []byte, hasElem, ok bool) {
	rest := name
	if static {
		if !isStaticName(rest) {
			return nil, nil, false, false
		}
		rest = rest[2:]
	}
	for i := 0; i < tb.nClustering; i++ {
		var ok bool
		if _, rest, ok = component(rest); !ok {
			return nil, nil, false, false
		}
	}
	col, rest, ok = component(rest)
	if !ok {
		return nil, nil, false, false
	}
	if len(rest) > 0 {
		elem, rest, ok = component(rest)
		if !ok || len(rest) > 0 {
			return nil, nil, false, false
		}
		hasElem = true
	}
	return col, elem, hasElem, true
}

// keyComponent returns component pos of a composite partition key of n
// components (the whole key when n is 1).
func keyComponent(key []byte, pos, n int) ([]byte, bool) {
	if n <= 1 {
		return key, pos == 0
	}
	rest := key
	for i := 0; ; i++ {
		v, r, ok := component(rest)
		if !ok {
			return nil, false
		}
		if i == pos {
			return v, true
		}
		rest = r
	}
}

// ---------------------------------------------------------------------------
// Reading

// indexNamed returns the index called name, or nil. The caller holds tb.mu.
func (tb *table) indexNamed(name string) *index {
	for _, ix := range tb.indexes {
		if ix.name == name {
			return ix
		}
	}
	return nil
}

// indexFor returns the KEYS index on column name, or nil.
func (tb *table) indexFor(name []byte) *index {
	for _, ix := range tb.indexes {
		if ix.kind == ixKeys && tb.cmp.Compare(ix.column, name) == 0 {
			return ix
		}
	}
	return nil
}

// lookupValue turns the searched value into the index's value: one
// component, or (key, value) for an entries() index.
func (ix *index) lookupValue(value [][]byte) ([]byte, bool) {
	if ix.kind == ixCollEntries {
		if len(value) != 2 {
			return nil, false
		}
		return compositeName(value, 0), true
	}
	if len(value) != 1 {
		return nil, false
	}
	return value[0], true
}

// candidates returns up to n rows indexed under value, in ring order,
// starting at from (nil: the start of the ring; inclusive unless skipFrom).
// It serves KEYS indexes, whose entries name partitions.
func (ix *index) candidates(value []byte, from *row, skipFrom bool, n int, out []*row) []*row {
	pivot := indexEntry{value: value, vbound: -1}
	if from != nil {
		pivot = indexEntry{value: value, r: from, bound: -1}
		if skipFrom {
			pivot.bound = +1
		}
	}
	ix.mu.RLock()
	ix.entries.AscendGreaterOrEqual(pivot, func(e indexEntry) bool {
		if ix.valueType.Compare(e.value, value) != 0 {
			return false
		}
		if len(out) > 0 && out[len(out)-1] == e.r {
			return true
		}
		out = append(out, e.r)
		return len(out) < n
	})
	ix.mu.RUnlock()
	return out
}

// validatorFor returns the type that compares values of column name in index
// expressions: its ColumnDef validator, else the default validator.
func (tb *table) validatorFor(name []byte) codec.Type {
	for _, col := range tb.def.Columns {
		if col != nil && col.Validator != nil && tb.cmp.Compare(col.Name, name) == 0 {
			return col.Validator
		}
	}
	if tb.def.DefaultValidator != nil {
		return tb.def.DefaultValidator
	}
	return bytesOrder{}
}

// matches reports whether r satisfies every expression: each names a live
// cell whose value compares to the expression value as the operator asks.
// A missing or dead column never matches. The caller holds r.
func (tb *table) matches(r *row, exprs []*thriftgen.IndexExpression, now int64) bool {
	if tb.def.Super {
		return false // Thrift cannot index or filter super CFs
	}
	for _, e := range exprs {
		if e == nil {
			continue
		}
		c := r.cs.get(e.ColumnName)
		if c == nil || !c.live(now) {
			return false
		}
		value := c.value
		if c.kind == kindCounter { // CounterColumnType values are 8-byte longs
			value = binary.BigEndian.AppendUint64(nil, uint64(c.count))
		}
		cmp := tb.validatorFor(e.ColumnName).Compare(value, e.Value)
		var ok bool
		switch e.Op {
		case thriftgen.IndexOperator_EQ:
			ok = cmp == 0
		case thriftgen.IndexOperator_GTE:
			ok = cmp >= 0
		case thriftgen.IndexOperator_GT:
			ok = cmp > 0
		case thriftgen.IndexOperator_LTE:
			ok = cmp <= 0
		case thriftgen.IndexOperator_LT:
			ok = cmp < 0
		}
		if !ok {
			return false
		}
	}
	return true
}
