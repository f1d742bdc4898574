package store

import (
	"bytes"
	"errors"
	"sync"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/expiry"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/google/btree"
)

// table is the storage of one column family.
//
// Locking: mu is held shared by every read and every write of a row that
// exists, and exclusively to insert a new row, truncate, purge or change the
// definition; each row's own lock then serialises its mutations. Order is
// always table, then row, then index.
type table struct {
	keyspace string
	part     partitioner.Partitioner
	stamp    func() int64 // server timestamps for counter updates

	mu     sync.RWMutex
	def    *schema.Table
	cmp    codec.Type // column names, or super column names
	subCmp codec.Type // sub-column names (super CFs)
	trees  trees
	rows   *btree.BTreeG[*row]
	// indexes are the table's secondary indexes (see index.go); sparse
	// marks a CQL table, whose cell names are CompositeType(clustering...,
	// column[, element]) with nClustering clustering components ordered by
	// ckTypes.
	indexes           []*index
	sparse            bool
	nClustering       int
	ckTypes           []codec.Type
	hasStaticIndex    bool
	hasPartitionIndex bool
}

// newTable makes the empty storage of t. Its trees keep t's comparators for
// good: Cassandra only lets a comparator change to one of the same order.
func newTable(t *schema.Table, p partitioner.Partitioner, stamp func() int64) *table {
	tb := &table{keyspace: t.Keyspace, part: p, stamp: stamp, def: t}
	// The row tree is a google/btree BTreeG too: ring-order iteration from
	// any pivot is what key and token range scans need.
	tb.rows = btree.NewG(rowDegree, rowLess)
	tb.cmp, tb.subCmp = t.Comparator, t.SubComparator
	if tb.cmp == nil {
		tb.cmp = bytesOrder{}
	}
	if tb.subCmp == nil {
		tb.subCmp = bytesOrder{}
	}
	tb.trees = newTrees(&tb.cmp, tb.subCmp)
	tb.setIndexes(t, buildIndexDefs(t))
	return tb
}

// setIndexes installs the index definitions of t. The caller holds tb.mu
// exclusively (or owns tb).
func (tb *table) setIndexes(t *schema.Table, ixs []*index) {
	tb.indexes = ixs
	tb.sparse = t.IsCQLTable() && !t.Super
	tb.nClustering = len(t.Clustering)
	tb.ckTypes = tb.ckTypes[:0]
	for _, c := range t.Clustering {
		tb.ckTypes = append(tb.ckTypes, c.ComparatorType())
	}
	tb.hasStaticIndex, tb.hasPartitionIndex = false, false
	for _, ix := range ixs {
		if ix.kind == ixPartition {
			tb.hasPartitionIndex = true
		}
		if ix.static {
			tb.hasStaticIndex = true
		}
	}
}

// update installs a new definition and rebuilds the indexes when their
// definitions changed.
func (tb *table) update(t *schema.Table, now int64) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.def = t
	if sameOrderFor(tb.cmp, t.Comparator) {
		// A CQL table that gained (or lost) a non-frozen collection: the
		// new comparator orders the stored names as the old one did.
		tb.cmp = t.Comparator
	}
	fresh := buildIndexDefs(t)
	if sameIndexDefs(tb.indexes, fresh) {
		tb.setIndexes(t, tb.indexes)
		return
	}
	tb.setIndexes(t, fresh)
	tb.rows.Ascend(func(r *row) bool {
		r.ix = nil
		tb.reindexAll(r, now)
		return true
	})
}

func (tb *table) truncate() {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.rows = btree.NewG(rowDegree, rowLess)
	for _, ix := range tb.indexes {
		ix.clear()
	}
}

// purge stands for a compaction after gc_grace_seconds.
func (tb *table) purge(now int64) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	grace := int64(tb.def.GCGraceSeconds)
	var gone []*row
	tb.rows.Ascend(func(r *row) bool {
		r.purge(now, grace, tb)
		if len(tb.indexes) > 0 {
			tb.reindexKnown(r, now)
		}
		if r.empty() {
			gone = append(gone, r)
		}
		return true
	})
	for _, r := range gone {
		tb.rows.Delete(r)
	}
}

func (r *row) purge(now, grace int64, tb *table) {
	if r.del.set && r.del.ldt < now-grace {
		r.del = deletion{}
	}
	r.cs.purge(now, grace)
	r.srts.purge(now, grace)
	if r.supers == nil {
		return
	}
	var gone []*superCol
	r.supers.Ascend(func(sc *superCol) bool {
		if sc.del.set && sc.del.ldt < now-grace {
			sc.del = deletion{}
		}
		sc.cs.purge(now, grace)
		if sc.empty() {
			gone = append(gone, sc)
		}
		return true
	})
	for _, sc := range gone {
		r.supers.Delete(sc)
	}
}

// pivot returns a search key for row key.
func (tb *table) pivot(key []byte) *row {
	return &row{key: key, token: tb.part.Token(key)}
}

// lookup returns the row of key, or nil. The caller holds tb.mu.
func (tb *table) lookup(key []byte) *row {
	r, _ := tb.rows.Get(tb.pivot(key))
	return r
}

// applyRow applies the ops of one RowMutation atomically.
func (tb *table) applyRow(key []byte, ops []Op, now int64) {
	if len(ops) == 0 {
		return
	}
	p := tb.pivot(key)
	tb.mu.RLock()
	if r, ok := tb.rows.Get(p); ok {
		r.mu.Lock()
		tb.applyOps(r, ops, now)
		r.mu.Unlock()
		tb.mu.RUnlock()
		return
	}
	tb.mu.RUnlock()
	// A new row: insert it and fill it under the exclusive lock, so no
	// reader sees it half written.
	tb.mu.Lock()
	r, found := tb.rows.Get(p)
	if !found {
		r = p
		tb.rows.ReplaceOrInsert(r)
	}
	tb.applyOps(r, ops, now)
	tb.mu.Unlock()
}

// applyOps applies ops to r and keeps the indexes right. The caller holds
// r exclusively.
func (tb *table) applyOps(r *row, ops []Op, now int64) {
	for i := range ops {
		op := ops[i]
		if op.LocalTime == 0 {
			op.LocalTime = now
		}
		if op.Kind == OpAddCounter && op.Timestamp == 0 {
			op.Timestamp = tb.stamp()
		}
		if tb.def.Super {
			tb.applySuper(r, &op, now)
		} else {
			tb.applyStandard(r, &op, now)
		}
	}
	if len(tb.indexes) > 0 {
		tb.reindexOps(r, ops, now)
	}
}

func (tb *table) applyStandard(r *row, op *Op, now int64) {
	cmp := tb.cmp
	switch op.Kind {
	case OpPut:
		c := newValueCell(op)
		if r.del.covers(c.ts) || r.cs.rts.covers(cmp, c.name, c.ts) {
			return
		}
		r.cs.upsert(tb.trees.cellLess, tb.trees.cellFree, c, now)
	case OpAddCounter:
		if r.del.covers(op.Timestamp) || r.cs.rts.covers(cmp, op.Name, op.Timestamp) {
			return
		}
		r.cs.upsert(tb.trees.cellLess, tb.trees.cellFree, newCounterCell(op), now)
	case OpDeleteColumn:
		c := newTombstone(op)
		if r.del.covers(c.ts) || r.cs.rts.covers(cmp, c.name, c.ts) {
			return
		}
		r.cs.upsert(tb.trees.cellLess, tb.trees.cellFree, c, now)
	case OpDeleteRow:
		d := deletion{at: op.Timestamp, ldt: op.LocalTime, set: true}
		r.del = r.del.merge(d)
		r.cs.applyDeletion(cmp, r.del)
	case OpDeleteRange:
		d := deletion{at: op.Timestamp, ldt: op.LocalTime, set: true}
		if r.del.set && d.at <= r.del.at {
			return // the row tombstone already hides all of it
		}
		r.cs.addRange(cmp, rangeTombstone{bounds: op.bounds(), del: d})
	case OpDeleteSuper:
		// Not meaningful on a standard CF; validation rejects it.
	}
}

func (tb *table) applySuper(r *row, op *Op, now int64) {
	d := deletion{at: op.Timestamp, ldt: op.LocalTime, set: true}
	switch op.Kind {
	case OpDeleteRow:
		r.del = r.del.merge(d)
		r.srts.dropAtMost(r.del.at)
		tb.eachSuper(r, bounds{}, func(sc *superCol) { sc.applyDeletion(tb.subCmp, r.del) })
		return
	case OpDeleteRange:
		if len(op.Super) == 0 {
			if r.del.set && d.at <= r.del.at {
				return
			}
			rt := rangeTombstone{bounds: op.bounds(), del: d}
			r.srts.add(tb.cmp, rt)
			tb.eachSuper(r, rt.bounds, func(sc *superCol) { sc.applyDeletion(tb.subCmp, d) })
			return
		}
	case OpDeleteColumn:
		if len(op.Super) == 0 { // a whole super column
			tb.deleteSuper(r, op.Name, d)
			return
		}
	case OpDeleteSuper:
		tb.deleteSuper(r, op.Super, d)
		return
	}
	if len(op.Super) == 0 {
		return // validation requires a super column name here
	}
	// Operations inside one super column.
	ts := op.Timestamp
	if r.del.covers(ts) || r.srts.covers(tb.cmp, op.Super, ts) {
		return
	}
	sc := tb.superColumn(r, op.Super, true)
	if sc.del.covers(ts) {
		return
	}
	switch op.Kind {
	case OpPut, OpAddCounter, OpDeleteColumn:
		if sc.cs.rts.covers(tb.subCmp, op.Name, ts) {
			return
		}
		var c *cell
		switch op.Kind {
		case OpPut:
			c = newValueCell(op)
		case OpAddCounter:
			c = newCounterCell(op)
		default:
			c = newTombstone(op)
		}
		sc.cs.upsert(tb.trees.subLess, tb.trees.cellFree, c, now)
	case OpDeleteRange:
		sc.cs.addRange(tb.subCmp, rangeTombstone{bounds: op.bounds(), del: d})
	}
}

// applyDeletion applies a deletion that covers the whole super column.
func (sc *superCol) applyDeletion(subCmp codec.Type, d deletion) {
	if sc.del.set && sc.del.at <= d.at {
		sc.del = deletion{}
	}
	sc.cs.applyDeletion(subCmp, d)
}

func (tb *table) deleteSuper(r *row, name []byte, d deletion) {
	if r.del.covers(d.at) || r.srts.covers(tb.cmp, name, d.at) {
		return
	}
	sc := tb.superColumn(r, name, true)
	sc.del = sc.del.merge(d)
	sc.cs.applyDeletion(tb.subCmp, sc.del)
}

// eachSuper calls f on the super columns of the interval b, then drops the
// ones left empty.
func (tb *table) eachSuper(r *row, b bounds, f func(*superCol)) {
	if r.supers == nil {
		return
	}
	var all []*superCol
	visit := func(sc *superCol) bool {
		if b.afterFinish(tb.cmp, sc.name) {
			return false
		}
		if !b.beforeStart(tb.cmp, sc.name) {
			all = append(all, sc)
		}
		return true
	}
	if len(b.start) > 0 {
		r.supers.AscendGreaterOrEqual(&superCol{name: b.start}, visit)
	} else {
		r.supers.Ascend(visit)
	}
	for _, sc := range all {
		f(sc)
		if sc.empty() {
			r.supers.Delete(sc)
		}
	}
}

// superColumn returns the super column name of r, creating it if asked.
func (tb *table) superColumn(r *row, name []byte, create bool) *superCol {
	if r.supers == nil {
		if !create {
			return nil
		}
		r.supers = btree.NewWithFreeListG(cellDegree, tb.trees.superLess, tb.trees.superFree)
	}
	sc, ok := r.supers.Get(&superCol{name: name})
	if !ok {
		if !create {
			return nil
		}
		sc = &superCol{name: name}
		r.supers.ReplaceOrInsert(sc)
	}
	return sc
}

func newValueCell(op *Op) *cell {
	c := &cell{name: op.Name, value: op.Value, ts: op.Timestamp, kind: kindValue}
	if op.TTL > 0 {
		c.ttl = op.TTL
		// computeLocalExpirationTime: an expiry past 2038 is capped (the
		// CAP policies let such writes through; REJECT refuses them).
		c.ldt = expiry.LocalExpirationTime(op.LocalTime, op.TTL)
	}
	return c
}

func newCounterCell(op *Op) *cell {
	return &cell{name: op.Name, ts: op.Timestamp, kind: kindCounter, count: op.Delta}
}

func newTombstone(op *Op) *cell {
	return &cell{name: op.Name, ts: op.Timestamp, ldt: op.LocalTime, kind: kindTombstone}
}

// bytesOrder orders names as unsigned bytes; it stands in when a table
// definition carries no comparator or validator.
type bytesOrder struct{}

func (bytesOrder) Class() string                                  { return "org.apache.cassandra.db.marshal.BytesType" }
func (bytesOrder) Pack(v any) ([]byte, error)                     { return nil, errNoPack }
func (bytesOrder) PackBound(v any, _ codec.Bound) ([]byte, error) { return nil, errNoPack }
func (bytesOrder) Unpack(b []byte) (any, error)                   { return b, nil }
func (bytesOrder) Compare(a, b []byte) int                        { return bytes.Compare(a, b) }
func (bytesOrder) Validate([]byte) error                          { return nil }

var errNoPack = errors.New("store: the fallback byte order does not pack values")

// sameOrderFor reports whether next may replace cur as the cell order of
// existing data: both are CompositeTypes whose components agree except for
// a trailing ColumnToCollectionType, which only orders collection
// elements (whose column the old comparator also held, or none existed).
func sameOrderFor(cur, next codec.Type) bool {
	a, ok1 := cur.(*codec.CompositeType)
	b, ok2 := next.(*codec.CompositeType)
	if !ok1 || !ok2 || a.Class() == b.Class() {
		return false
	}
	strip := func(ts []codec.Type) []codec.Type {
		if n := len(ts); n > 0 {
			if _, ok := ts[n-1].(*codec.ColumnToCollectionType); ok {
				return ts[:n-1]
			}
		}
		return ts
	}
	ca, cb := strip(a.Components()), strip(b.Components())
	if len(ca) != len(cb) {
		return false
	}
	for i := range ca {
		if ca[i].Class() != cb[i].Class() {
			return false
		}
	}
	return true
}
