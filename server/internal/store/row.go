package store

import (
	"bytes"
	"sync"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/partitioner"
	"github.com/google/btree"
)

// Tree degrees. Rows hold few cells on average, so their trees stay small;
// the row tree of a table is large and benefits from wide nodes.
const (
	cellDegree = 8
	rowDegree  = 32
)

// row is one partition. Its lock makes every RowMutation atomic and isolated
// for this row. Invariant kept by every write: no stored cell is shadowed by a
// stored row, super-column or range tombstone (shadowed cells are dropped on
// arrival), so a read only asks each cell whether it is live.
type row struct {
	key   []byte
	token partitioner.Token
	// bound places a search pivot before (-1) or after (+1) every key of
	// token; stored rows have 0.
	bound int8

	mu  sync.RWMutex
	del deletion
	// Standard CF: cells and their range tombstones.
	cs cellSet
	// Super CF: the super columns, and range tombstones over their names.
	supers *btree.BTreeG[*superCol]
	srts   rangeSet
	// ix holds the secondary index entries of the partition, per CQL row
	// (by encoded clustering; "" for the partition), so that a write can
	// take back the entries it invalidates.
	ix map[string]*ixUnit
}

// rowLess orders rows as a range scan visits them: by token, then by the raw
// key bytes compared unsigned (Cassandra's DecoratedKey order).
func rowLess(a, b *row) bool {
	if c := a.token.Compare(b.token); c != 0 {
		return c < 0
	}
	if a.bound != 0 || b.bound != 0 {
		return a.bound < b.bound
	}
	return bytes.Compare(a.key, b.key) < 0
}

// cellSet is an ordered set of cells with the range tombstones over them:
// the body of a standard row, or of one super column.
type cellSet struct {
	cells *btree.BTreeG[*cell] // nil until the first cell
	rts   rangeSet
}

func (cs *cellSet) empty() bool {
	return (cs.cells == nil || cs.cells.Len() == 0) && cs.rts.len() == 0
}

func (cs *cellSet) get(name []byte) *cell {
	if cs.cells == nil {
		return nil
	}
	c, _ := cs.cells.Get(&cell{name: name})
	return c
}

// superCol is one super column of a super CF row.
type superCol struct {
	name []byte
	del  deletion
	cs   cellSet
}

func (sc *superCol) empty() bool { return !sc.del.set && sc.cs.empty() }

// trees builds the ordered structures of one table with its comparators.
// google/btree's generic BTreeG gives ordered iteration from any pivot in
// both directions, cheap inserts and deletes, and no interface boxing; that
// is exactly what slices, reversed slices and paged range scans need, and
// it is a well-kept library instead of a hand-written balanced tree.
type trees struct {
	cellLess  btree.LessFunc[*cell]
	subLess   btree.LessFunc[*cell]
	superLess btree.LessFunc[*superCol]
	cellFree  *btree.FreeListG[*cell]
	superFree *btree.FreeListG[*superCol]
}

// newTrees makes the tree functions of a table. The cell order is read
// through *cmp, so that a comparator that orders existing names the same
// way (one that gained a collection column) can replace it; the table's
// exclusive lock guards the swap.
func newTrees(cmp *codec.Type, subCmp codec.Type) trees {
	t := trees{
		cellFree:  btree.NewFreeListG[*cell](btree.DefaultFreeListSize),
		superFree: btree.NewFreeListG[*superCol](btree.DefaultFreeListSize),
	}
	t.cellLess = func(a, b *cell) bool { return (*cmp).Compare(a.name, b.name) < 0 }
	t.superLess = func(a, b *superCol) bool { return (*cmp).Compare(a.name, b.name) < 0 }
	t.subLess = func(a, b *cell) bool { return subCmp.Compare(a.name, b.name) < 0 }
	return t
}

// upsert reconciles c into the set. The caller has checked that no
// enclosing deletion shadows c.
func (cs *cellSet) upsert(less btree.LessFunc[*cell], free *btree.FreeListG[*cell], c *cell, now int64) {
	if cs.cells == nil {
		cs.cells = btree.NewWithFreeListG(cellDegree, less, free)
	}
	old, found := cs.cells.Get(c)
	if !found {
		cs.cells.ReplaceOrInsert(c)
		return
	}
	switch {
	case c.kind == kindCounter && old.kind == kindCounter:
		old.count += c.count // wraps, as Java's long does
		old.ts = max(old.ts, c.ts)
	case c.kind == kindCounter && old.kind == kindTombstone:
		// A tombstone beats a counter whatever the timestamps.
	case c.kind == kindTombstone && old.kind == kindCounter:
		cs.cells.ReplaceOrInsert(c)
	case supersedes(c, old, now):
		cs.cells.ReplaceOrInsert(c)
	}
}

// dropCovered removes the cells of the interval b that d shadows. Shadowed
// tombstones go too: d hides everything they hide.
func (cs *cellSet) dropCovered(cmp codec.Type, b bounds, d deletion) {
	if cs.cells == nil {
		return
	}
	var victims []*cell
	visit := func(c *cell) bool {
		if b.afterFinish(cmp, c.name) {
			return false
		}
		if d.covers(c.ts) && !b.beforeStart(cmp, c.name) {
			victims = append(victims, c)
		}
		return true
	}
	if len(b.start) > 0 {
		cs.cells.AscendGreaterOrEqual(&cell{name: b.start}, visit)
	} else {
		cs.cells.Ascend(visit)
	}
	for _, c := range victims {
		cs.cells.Delete(c)
	}
}

// applyDeletion applies a deletion covering the whole set (a row tombstone
// on a standard row, or a super-column or row tombstone on a super column).
func (cs *cellSet) applyDeletion(cmp codec.Type, d deletion) {
	cs.dropCovered(cmp, bounds{}, d)
	cs.rts.dropAtMost(d.at)
}

// addRange records a range tombstone and drops what it shadows.
func (cs *cellSet) addRange(cmp codec.Type, rt rangeTombstone) {
	cs.rts.add(cmp, rt)
	cs.dropCovered(cmp, rt.bounds, rt.del)
}

// purge forgets dead cells and range tombstones older than gc grace.
func (cs *cellSet) purge(now, gcGrace int64) {
	cs.rts.purge(now, gcGrace)
	if cs.cells == nil {
		return
	}
	var victims []*cell
	cs.cells.Ascend(func(c *cell) bool {
		if c.purgeable(now, gcGrace) {
			victims = append(victims, c)
		}
		return true
	})
	for _, c := range victims {
		cs.cells.Delete(c)
	}
}

// firstLive returns the first live cell of the set, or nil.
func (cs *cellSet) firstLive(now int64) *cell {
	if cs.cells == nil {
		return nil
	}
	var out *cell
	cs.cells.Ascend(func(c *cell) bool {
		if c.live(now) {
			out = c
			return false
		}
		return true
	})
	return out
}

// hasLive reports whether the super column has a live sub-column.
func (sc *superCol) hasLive(now int64) bool { return sc.cs.firstLive(now) != nil }

// empty reports whether the row stores nothing at all (not even a tombstone),
// so that a purge may drop it.
func (r *row) empty() bool {
	if r.del.set || !r.cs.empty() || r.srts.len() > 0 {
		return false
	}
	return r.supers == nil || r.supers.Len() == 0
}
