package store

import (
	"slices"
	"sort"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/btree"
)

// The read methods take inputs the server has validated already. The byte
// slices of their results alias stored data and must not be modified; the
// store never modifies them either, so they may be serialised after the call.

// Get returns the live column at (super, column) of row key, or the whole
// super column when super is set and column is nil (super CFs). It returns
// ErrNotFound when nothing live matches: a missing row or column, a deleted,
// expired or shadowed one, or a super column without live sub-columns.
func (s *Store) Get(t *schema.Table, key, super, column []byte) (*thriftgen.ColumnOrSuperColumn, error) {
	tb, err := s.table(t)
	if err != nil {
		return nil, err
	}
	now := s.nowSec()
	tb.mu.RLock()
	defer tb.mu.RUnlock()
	r := tb.lookup(key)
	if r == nil {
		return nil, ErrNotFound
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if !tb.def.Super {
		if c := r.cs.get(column); c != nil && c.live(now) {
			return cellResult(c), nil
		}
		return nil, ErrNotFound
	}
	sc := tb.superColumn(r, super, false)
	if sc == nil {
		return nil, ErrNotFound
	}
	if column != nil {
		if c := sc.cs.get(column); c != nil && c.live(now) {
			return cellResult(c), nil
		}
		return nil, ErrNotFound
	}
	if res := tb.superResult(sc, now); res != nil {
		return res, nil
	}
	return nil, ErrNotFound
}

// GetSlice returns the live items of row key that pred selects, in
// comparator order (reversed when the SliceRange asks): columns of a
// standard CF, whole super columns of a super CF when super is nil, or the
// sub-columns of super. Names listed in pred.ColumnNames come back in
// comparator order with duplicates collapsed; SliceRange.Count counts live
// items. A nil or empty predicate selects the whole row. No data gives an
// empty, non-nil list.
func (s *Store) GetSlice(t *schema.Table, key, super []byte, pred *thriftgen.SlicePredicate) ([]*thriftgen.ColumnOrSuperColumn, error) {
	tb, err := s.table(t)
	if err != nil {
		return nil, err
	}
	now := s.nowSec()
	tb.mu.RLock()
	defer tb.mu.RUnlock()
	return tb.sliceKey(key, super, pred, now), nil
}

// MultigetSlice is GetSlice for each distinct key: the map has an entry,
// possibly empty, for every key.
func (s *Store) MultigetSlice(t *schema.Table, keys [][]byte, super []byte, pred *thriftgen.SlicePredicate) (map[string][]*thriftgen.ColumnOrSuperColumn, error) {
	tb, err := s.table(t)
	if err != nil {
		return nil, err
	}
	now := s.nowSec()
	out := make(map[string][]*thriftgen.ColumnOrSuperColumn, len(keys))
	tb.mu.RLock()
	defer tb.mu.RUnlock()
	for _, k := range keys {
		if _, dup := out[string(k)]; dup {
			continue
		}
		out[string(k)] = tb.sliceKey(k, super, pred, now)
	}
	return out, nil
}

// GetCount returns how many items GetSlice would return.
func (s *Store) GetCount(t *schema.Table, key, super []byte, pred *thriftgen.SlicePredicate) (int32, error) {
	tb, err := s.table(t)
	if err != nil {
		return 0, err
	}
	now := s.nowSec()
	tb.mu.RLock()
	defer tb.mu.RUnlock()
	return tb.countKey(key, super, pred, now), nil
}

// MultigetCount is GetCount for each distinct key.
func (s *Store) MultigetCount(t *schema.Table, keys [][]byte, super []byte, pred *thriftgen.SlicePredicate) (map[string]int32, error) {
	tb, err := s.table(t)
	if err != nil {
		return nil, err
	}
	now := s.nowSec()
	out := make(map[string]int32, len(keys))
	tb.mu.RLock()
	defer tb.mu.RUnlock()
	for _, k := range keys {
		out[string(k)] = tb.countKey(k, super, pred, now)
	}
	return out, nil
}

// GetMultiSlice returns the live columns of row key that fall in any of the
// slices (absent bounds are open; for a reversed request each slice's start
// is its high end), merged so overlaps appear once, in comparator order or
// reversed, at most count in total. Standard CFs only.
func (s *Store) GetMultiSlice(t *schema.Table, key []byte, slices []*thriftgen.ColumnSlice, reversed bool, count int32) ([]*thriftgen.ColumnOrSuperColumn, error) {
	tb, err := s.table(t)
	if err != nil {
		return nil, err
	}
	now := s.nowSec()
	out := []*thriftgen.ColumnOrSuperColumn{}
	if count <= 0 {
		return out, nil
	}
	tb.mu.RLock()
	defer tb.mu.RUnlock()
	r := tb.lookup(key)
	if r == nil || tb.def.Super {
		return out, nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.cs.cells == nil {
		return out, nil
	}
	for _, iv := range mergeSlices(tb.cmp, slices, reversed) {
		sr := &thriftgen.SliceRange{Start: iv.lo, Finish: iv.hi, Reversed: reversed, Count: count - int32(len(out))}
		if reversed {
			sr.Start, sr.Finish = iv.hi, iv.lo
		}
		sliceTree(r.cs.cells, cellPivot, cellName, tb.cmp, &thriftgen.SlicePredicate{SliceRange: sr}, liveCell(now), func(c *cell) bool {
			out = append(out, cellResult(c))
			return true
		})
		if int32(len(out)) >= count {
			break
		}
	}
	return out, nil
}

// interval is a slice in ascending comparator terms; empty bounds are open.
type interval struct{ lo, hi []byte }

// mergeSlices turns the slices into disjoint intervals in traversal order.
func mergeSlices(cmp codec.Type, slices []*thriftgen.ColumnSlice, reversed bool) []interval {
	ivs := make([]interval, 0, len(slices))
	for _, sl := range slices {
		if sl == nil {
			continue
		}
		iv := interval{lo: sl.Start, hi: sl.Finish}
		if reversed {
			iv.lo, iv.hi = sl.Finish, sl.Start
		}
		if len(iv.lo) > 0 && len(iv.hi) > 0 && cmp.Compare(iv.lo, iv.hi) > 0 {
			continue // empty; validation normally rejects it
		}
		ivs = append(ivs, iv)
	}
	sort.SliceStable(ivs, func(i, j int) bool { return loLess(cmp, ivs[i].lo, ivs[j].lo) })
	var out []interval
	for _, iv := range ivs {
		if n := len(out); n > 0 {
			last := &out[n-1]
			if len(last.hi) == 0 || len(iv.lo) == 0 || cmp.Compare(iv.lo, last.hi) <= 0 {
				if len(last.hi) > 0 && (len(iv.hi) == 0 || cmp.Compare(iv.hi, last.hi) > 0) {
					last.hi = iv.hi
				}
				continue
			}
		}
		out = append(out, iv)
	}
	if reversed {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out
}

// loLess orders lower bounds; an open (empty) bound comes first.
func loLess(cmp codec.Type, a, b []byte) bool {
	if len(a) == 0 {
		return len(b) != 0
	}
	if len(b) == 0 {
		return false
	}
	return cmp.Compare(a, b) < 0
}

// sliceKey runs a slice over one row. The caller holds tb.mu.
func (tb *table) sliceKey(key, super []byte, pred *thriftgen.SlicePredicate, now int64) []*thriftgen.ColumnOrSuperColumn {
	out := []*thriftgen.ColumnOrSuperColumn{}
	r := tb.lookup(key)
	if r == nil {
		return out
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return tb.sliceRow(r, super, pred, now, out)
}

// countKey counts a slice over one row. The caller holds tb.mu.
func (tb *table) countKey(key, super []byte, pred *thriftgen.SlicePredicate, now int64) int32 {
	r := tb.lookup(key)
	if r == nil {
		return 0
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	var n int32
	tb.visitRow(r, super, pred, now, func(*cell, *superCol) bool { n++; return true })
	return n
}

// sliceRow appends the items pred selects from r to out. The caller holds r.
func (tb *table) sliceRow(r *row, super []byte, pred *thriftgen.SlicePredicate, now int64, out []*thriftgen.ColumnOrSuperColumn) []*thriftgen.ColumnOrSuperColumn {
	hint := tb.sizeHint(r, super, pred)
	if cap(out)-len(out) < hint {
		out = append(make([]*thriftgen.ColumnOrSuperColumn, 0, len(out)+hint), out...)
	}
	first := len(out)
	var b boxes
	tb.visitRow(r, super, pred, now, func(c *cell, sc *superCol) bool {
		if c != nil {
			out = append(out, b.cell(c, hint))
		} else if res := tb.superResult(sc, now); res != nil {
			out = append(out, res)
		}
		return true
	})
	if tb.def.Super && super == nil && pred != nil && pred.ColumnNames == nil && pred.SliceRange != nil && pred.SliceRange.Reversed {
		reverseSubColumns(out[first:])
	}
	return out
}

// reverseSubColumns gives the whole super columns of a reversed slice
// their sub-columns in descending order, as Cassandra 3.11's
// CassandraServer.thriftifySuperColumns does (2.x kept them ascending).
// Its counter twin, thriftifyCounterSuperColumns, reverses a super
// column's sub-columns only when the next super column starts, so the
// last one of each row keeps them ascending; that is reproduced too.
func reverseSubColumns(items []*thriftgen.ColumnOrSuperColumn) {
	for i, it := range items {
		switch {
		case it.SuperColumn != nil:
			slices.Reverse(it.SuperColumn.Columns)
		case it.CounterSuperColumn != nil && i < len(items)-1:
			slices.Reverse(it.CounterSuperColumn.Columns)
		}
	}
}

// maxHint caps preallocation, so a huge count on a huge row cannot reserve
// more than the row can fill in one go.
const maxHint = 256

// sizeHint guesses how many items a slice of r returns: the predicate's limit
// or the number of stored items, whichever is smaller.
func (tb *table) sizeHint(r *row, super []byte, pred *thriftgen.SlicePredicate) int {
	n := 0
	switch {
	case !tb.def.Super:
		if r.cs.cells != nil {
			n = r.cs.cells.Len()
		}
	case super != nil:
		if sc := tb.superColumn(r, super, false); sc != nil && sc.cs.cells != nil {
			n = sc.cs.cells.Len()
		}
	case r.supers != nil:
		n = r.supers.Len()
	}
	if pred != nil {
		switch {
		case pred.ColumnNames != nil:
			n = min(n, len(pred.ColumnNames))
		case pred.SliceRange != nil:
			n = min(n, int(max(pred.SliceRange.Count, 0)))
		}
	}
	return min(n, maxHint)
}

// boxes hands out result structs from chunks, so a slice of n columns costs
// a couple of allocations instead of n.
type boxes struct {
	cols []columnBox
	ctrs []counterBox
}

func (b *boxes) cell(c *cell, hint int) *thriftgen.ColumnOrSuperColumn {
	hint = max(hint, 4)
	if c.kind == kindCounter {
		if len(b.ctrs) == 0 {
			b.ctrs = make([]counterBox, hint)
		}
		x := &b.ctrs[0]
		b.ctrs = b.ctrs[1:]
		return x.fill(c)
	}
	if len(b.cols) == 0 {
		b.cols = make([]columnBox, hint)
	}
	x := &b.cols[0]
	b.cols = b.cols[1:]
	return x.fill(c)
}

// visitRow calls emit with each live item pred selects from r, in result
// order: a cell, or (super CF without super) a super column with live
// sub-columns. The caller holds r.
func (tb *table) visitRow(r *row, super []byte, pred *thriftgen.SlicePredicate, now int64, emit func(*cell, *superCol) bool) {
	switch {
	case !tb.def.Super:
		if r.cs.cells != nil {
			sliceTree(r.cs.cells, cellPivot, cellName, tb.cmp, pred, liveCell(now), func(c *cell) bool { return emit(c, nil) })
		}
	case super != nil:
		sc := tb.superColumn(r, super, false)
		if sc != nil && sc.cs.cells != nil {
			sliceTree(sc.cs.cells, cellPivot, cellName, tb.subCmp, pred, liveCell(now), func(c *cell) bool { return emit(c, nil) })
		}
	default:
		if r.supers != nil {
			live := func(sc *superCol) bool { return sc.hasLive(now) }
			sliceTree(r.supers, superPivot, superName, tb.cmp, pred, live, func(sc *superCol) bool { return emit(nil, sc) })
		}
	}
}

func cellPivot(name []byte) *cell         { return &cell{name: name} }
func cellName(c *cell) []byte             { return c.name }
func superPivot(name []byte) *superCol    { return &superCol{name: name} }
func superName(sc *superCol) []byte       { return sc.name }
func liveCell(now int64) func(*cell) bool { return func(c *cell) bool { return c.live(now) } }

// sliceTree visits the live items of an ordered tree that pred selects.
func sliceTree[T any](tr *btree.BTreeG[T], pivot func([]byte) T, name func(T) []byte, cmp codec.Type,
	pred *thriftgen.SlicePredicate, live func(T) bool, emit func(T) bool) {
	switch {
	case pred != nil && pred.ColumnNames != nil:
		for _, n := range sortedNames(cmp, pred.ColumnNames) {
			if it, ok := tr.Get(pivot(n)); ok && live(it) {
				if !emit(it) {
					return
				}
			}
		}
	case pred != nil && pred.SliceRange != nil:
		sr := pred.SliceRange
		left := sr.Count
		if left <= 0 {
			return
		}
		finish := sr.Finish
		visit := func(it T) bool {
			if len(finish) > 0 {
				c := cmp.Compare(name(it), finish)
				if (!sr.Reversed && c > 0) || (sr.Reversed && c < 0) {
					return false
				}
			}
			if !live(it) {
				return true
			}
			left--
			return emit(it) && left > 0
		}
		switch {
		case !sr.Reversed && len(sr.Start) > 0:
			tr.AscendGreaterOrEqual(pivot(sr.Start), visit)
		case !sr.Reversed:
			tr.Ascend(visit)
		case len(sr.Start) > 0:
			tr.DescendLessOrEqual(pivot(sr.Start), visit)
		default:
			tr.Descend(visit)
		}
	default:
		tr.Ascend(func(it T) bool {
			if !live(it) {
				return true
			}
			return emit(it)
		})
	}
}

// sortedNames returns names in comparator order without duplicates (names
// the comparator finds equal are one column).
func sortedNames(cmp codec.Type, names [][]byte) [][]byte {
	if len(names) <= 1 {
		return names
	}
	s := make([][]byte, len(names))
	copy(s, names)
	sort.SliceStable(s, func(i, j int) bool { return cmp.Compare(s[i], s[j]) < 0 })
	out := s[:1]
	for _, n := range s[1:] {
		if cmp.Compare(out[len(out)-1], n) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// columnBox and counterBox allocate a result and its parts in one go.
type columnBox struct {
	cosc thriftgen.ColumnOrSuperColumn
	col  thriftgen.Column
	ts   int64
	ttl  int32
}

type counterBox struct {
	cosc thriftgen.ColumnOrSuperColumn
	col  thriftgen.CounterColumn
}

// cellResult renders a live cell: a Column with its timestamp and original
// TTL, or a CounterColumn (no timestamp) for a counter.
func cellResult(c *cell) *thriftgen.ColumnOrSuperColumn {
	if c.kind == kindCounter {
		return new(counterBox).fill(c)
	}
	return new(columnBox).fill(c)
}

func (b *counterBox) fill(c *cell) *thriftgen.ColumnOrSuperColumn {
	b.col = thriftgen.CounterColumn{Name: c.name, Value: c.count}
	b.cosc.CounterColumn = &b.col
	return &b.cosc
}

func (b *columnBox) fill(c *cell) *thriftgen.ColumnOrSuperColumn {
	b.ts, b.ttl = c.ts, c.ttl
	b.col = thriftgen.Column{Name: c.name, Value: c.value, Timestamp: &b.ts}
	if c.ttl > 0 {
		b.col.TTL = &b.ttl
	}
	b.cosc.Column = &b.col
	return &b.cosc
}

func columnOf(c *cell) *thriftgen.Column { return cellResult(c).Column }

// superResult renders a super column with every live sub-column in
// ascending order, or nil when none is live.
func (tb *table) superResult(sc *superCol, now int64) *thriftgen.ColumnOrSuperColumn {
	if sc.cs.cells == nil {
		return nil
	}
	if tb.def.Counter {
		var cols []*thriftgen.CounterColumn
		sc.cs.cells.Ascend(func(c *cell) bool {
			if c.live(now) && c.kind == kindCounter {
				cols = append(cols, &thriftgen.CounterColumn{Name: c.name, Value: c.count})
			}
			return true
		})
		if len(cols) == 0 {
			return nil
		}
		return &thriftgen.ColumnOrSuperColumn{CounterSuperColumn: &thriftgen.CounterSuperColumn{Name: sc.name, Columns: cols}}
	}
	var cols []*thriftgen.Column
	sc.cs.cells.Ascend(func(c *cell) bool {
		if c.live(now) && c.kind == kindValue {
			cols = append(cols, columnOf(c))
		}
		return true
	})
	if len(cols) == 0 {
		return nil
	}
	return &thriftgen.ColumnOrSuperColumn{SuperColumn: &thriftgen.SuperColumn{Name: sc.name, Columns: cols}}
}
