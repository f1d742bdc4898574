package store

import (
	"sort"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/google/btree"
)

// The CQL read path: partitions and their live cells as plain values, not
// thriftgen structures, read through callbacks so that a caller filling a
// page stops as soon as the page is full.

// Slice is an interval of cell names in comparator order: from Start to
// Finish, both inclusive unless marked exclusive. An empty bound is open.
// Composite comparators express exclusion with end-of-component bytes;
// the flags serve simple comparators (a COMPACT STORAGE table with one
// clustering column, or a Thrift column family seen from CQL).
type Slice struct {
	Start, Finish                   []byte
	StartExclusive, FinishExclusive bool
}

func (sl Slice) bounds() bounds {
	return bounds{start: sl.Start, finish: sl.Finish,
		startExcl: sl.StartExclusive && len(sl.Start) > 0, finishExcl: sl.FinishExclusive && len(sl.Finish) > 0}
}

// Cell is one live cell as Partition.Cells reports it. Every tombstone
// (partition, range, super column, cell) has been applied and expired cells
// are left out.
type Cell struct {
	// Super is the super column name (super column families), else nil.
	Super []byte
	// Name is the cell name (a sub-column name in a super column family).
	Name []byte
	// Value is the cell value; nil for counters (see Count).
	Value []byte
	// Timestamp is the write timestamp; for a counter, the highest
	// timestamp of its updates.
	Timestamp int64
	// TTL is the original time to live in seconds, 0 when the cell never
	// expires; Expiry is then the local time (Unix seconds) at which it
	// expires.
	TTL    int32
	Expiry int64
	// Counter marks a counter cell, whose value is Count.
	Counter bool
	Count   int64
}

// Partition is one partition under a read: ReadPartition and ScanPartitions
// hand it to their callback with the partition's lock held, so every read
// of its cells during the callback sees each RowMutation entirely or not at
// all. It is valid only during the callback.
type Partition struct {
	// Key is the partition key; Token its token.
	Key   []byte
	Token partitioner.Token

	tb   *table
	r    *row
	now  int64
	cell Cell
	// restrict, when set, limits Cells to these disjoint ascending
	// intervals (a partition an index scan hands out).
	restrict []bounds
}

// Restrict limits what Cells reports to the given slices, intersected
// with the slices each call asks for: an index scan narrows a partition to
// the rows its entries name (and the caller adds the slices it always
// needs, such as the static cells). Nil lifts the restriction.
func (p *Partition) Restrict(slices []Slice) {
	if slices == nil {
		p.restrict = nil
		return
	}
	p.restrict = normalizeSlices(p.tb.cmp, slices)
	if p.restrict == nil {
		p.restrict = []bounds{}
	}
}

// Now is the time, in Unix seconds, at which the read judges expiry: a cell
// with Expiry > Now is live. Remaining TTLs count from it.
func (p *Partition) Now() int64 { return p.now }

// Cells calls fn with each live cell whose name lies in one of the slices,
// in comparator order, or in reverse order when reversed is set, until fn
// returns false. Nil slices select the whole partition; an empty non-nil
// list selects nothing. The slices may come in any order and may overlap:
// each cell is reported once. On a super column family the slices select
// super columns by name, and each selected super column reports its live
// sub-columns in order (reversed too when reversed is set).
//
// The *Cell is reused between calls; its byte slices alias stored data,
// which nobody modifies, so they may be kept. Cells reports whether it
// went through every slice (false: fn stopped it).
func (p *Partition) Cells(slices []Slice, reversed bool, fn func(*Cell) bool) bool {
	ivs := normalizeSlices(p.tb.cmp, slices)
	if p.restrict != nil {
		ivs = intersectBounds(p.tb.cmp, ivs, p.restrict)
	}
	if p.tb.def.Super {
		return p.superCells(ivs, reversed, fn)
	}
	if p.r.cs.cells == nil {
		return true
	}
	return eachInRanges(p.r.cs.cells, cellPivot, cellName, p.tb.cmp, ivs, reversed, func(c *cell) bool {
		if !c.live(p.now) {
			return true
		}
		p.fill(nil, c)
		return fn(&p.cell)
	})
}

func (p *Partition) superCells(ivs []bounds, reversed bool, fn func(*Cell) bool) bool {
	if p.r.supers == nil {
		return true
	}
	return eachInRanges(p.r.supers, superPivot, superName, p.tb.cmp, ivs, reversed, func(sc *superCol) bool {
		if sc.cs.cells == nil {
			return true
		}
		more := true
		visit := func(c *cell) bool {
			if !c.live(p.now) {
				return true
			}
			p.fill(sc.name, c)
			more = fn(&p.cell)
			return more
		}
		if reversed {
			sc.cs.cells.Descend(visit)
		} else {
			sc.cs.cells.Ascend(visit)
		}
		return more
	})
}

func (p *Partition) fill(super []byte, c *cell) {
	p.cell = Cell{Super: super, Name: c.name, Timestamp: c.ts}
	switch c.kind {
	case kindCounter:
		p.cell.Counter, p.cell.Count = true, c.count
	default:
		p.cell.Value = c.value
		if c.ttl > 0 {
			p.cell.TTL, p.cell.Expiry = c.ttl, c.ldt
		}
	}
}

// normalizeSlices turns slices into disjoint, non-empty intervals in
// ascending comparator order. Nil is the whole partition.
func normalizeSlices(cmp codec.Type, slices []Slice) []bounds {
	if slices == nil {
		return []bounds{{}}
	}
	ivs := make([]bounds, 0, len(slices))
	for _, sl := range slices {
		b := sl.bounds()
		if !b.empty(cmp) {
			ivs = append(ivs, b)
		}
	}
	if len(ivs) <= 1 {
		return ivs
	}
	sort.SliceStable(ivs, func(i, j int) bool { return startLess(cmp, &ivs[i], &ivs[j]) })
	out := ivs[:1]
	for _, iv := range ivs[1:] {
		last := &out[len(out)-1]
		if touches(cmp, last, &iv) {
			if finishLess(cmp, last, &iv) {
				last.finish, last.finishExcl = iv.finish, iv.finishExcl
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

// intersectBounds intersects two lists of disjoint ascending intervals.
func intersectBounds(cmp codec.Type, a, b []bounds) []bounds {
	var out []bounds
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		x, y := &a[i], &b[j]
		iv := *x
		if startLess(cmp, x, y) {
			iv.start, iv.startExcl = y.start, y.startExcl
		}
		if finishLess(cmp, y, x) {
			iv.finish, iv.finishExcl = y.finish, y.finishExcl
		}
		if !iv.empty(cmp) {
			out = append(out, iv)
		}
		if finishLess(cmp, x, y) {
			i++
		} else {
			j++
		}
	}
	if out == nil {
		out = []bounds{}
	}
	return out
}

// startLess orders intervals by their start: open first, then by name, an
// inclusive start before an exclusive one at the same name.
func startLess(cmp codec.Type, a, b *bounds) bool {
	if len(a.start) == 0 || len(b.start) == 0 {
		return len(a.start) == 0 && len(b.start) != 0
	}
	c := cmp.Compare(a.start, b.start)
	if c != 0 {
		return c < 0
	}
	return !a.startExcl && b.startExcl
}

// finishLess reports whether a ends before b: an open finish is last, an
// exclusive finish before an inclusive one at the same name.
func finishLess(cmp codec.Type, a, b *bounds) bool {
	if len(a.finish) == 0 || len(b.finish) == 0 {
		return len(a.finish) != 0 && len(b.finish) == 0
	}
	c := cmp.Compare(a.finish, b.finish)
	if c != 0 {
		return c < 0
	}
	return a.finishExcl && !b.finishExcl
}

// touches reports whether b, which starts no earlier than a, overlaps a or
// continues it without a gap, so that the two can be one interval.
func touches(cmp codec.Type, a, b *bounds) bool {
	if len(a.finish) == 0 || len(b.start) == 0 {
		return true
	}
	c := cmp.Compare(b.start, a.finish)
	return c < 0 || (c == 0 && !(a.finishExcl && b.startExcl))
}

// eachInRanges visits the items of tr in the disjoint ascending intervals,
// forward or backward, until visit returns false; it reports whether it
// visited everything.
func eachInRanges[T any](tr *btree.BTreeG[T], pivot func([]byte) T, name func(T) []byte, cmp codec.Type,
	ivs []bounds, reversed bool, visit func(T) bool) bool {
	for i := range ivs {
		iv := &ivs[i]
		if reversed {
			iv = &ivs[len(ivs)-1-i]
		}
		stopped := false
		if !reversed {
			f := func(it T) bool {
				n := name(it)
				if iv.afterFinish(cmp, n) {
					return false
				}
				if iv.beforeStart(cmp, n) {
					return true
				}
				if !visit(it) {
					stopped = true
					return false
				}
				return true
			}
			if len(iv.start) > 0 {
				tr.AscendGreaterOrEqual(pivot(iv.start), f)
			} else {
				tr.Ascend(f)
			}
		} else {
			f := func(it T) bool {
				n := name(it)
				if iv.beforeStart(cmp, n) {
					return false
				}
				if iv.afterFinish(cmp, n) {
					return true
				}
				if !visit(it) {
					stopped = true
					return false
				}
				return true
			}
			if len(iv.finish) > 0 {
				tr.DescendLessOrEqual(pivot(iv.finish), f)
			} else {
				tr.Descend(f)
			}
		}
		if stopped {
			return false
		}
	}
	return true
}

// ReadPartition calls fn with the partition of key, if the store holds one
// (possibly only tombstones, then without live cells). fn runs with the
// partition locked for reading: it must not call the Store, and should do
// no more than read cells and assemble results.
func (s *Store) ReadPartition(t *schema.Table, key []byte, fn func(*Partition)) error {
	tb, err := s.table(t)
	if err != nil {
		return err
	}
	now := s.nowSec()
	tb.mu.RLock()
	defer tb.mu.RUnlock()
	r := tb.lookup(key)
	if r == nil {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	fn(&Partition{Key: r.key, Token: r.token, tb: tb, r: r, now: now})
	return nil
}

// Position is a point of the ring in scan order: the place of a partition
// key, or (Key empty) a token, which as a range start means its first key
// and as a range end its last.
type Position struct {
	// Token is the position's token; ignored when Key is set (the key's
	// token is computed).
	Token partitioner.Token
	// Key, when non-empty, is a partition key.
	Key []byte
}

// PartitionRange is a contiguous, non-wrapping run of the ring in scan
// order (token, then unsigned key bytes). Nil ends are open. A range whose
// start lies after its end is empty; a caller that needs Cassandra's
// wrapping token ranges splits them in two.
type PartitionRange struct {
	Start, End                   *Position
	StartExclusive, EndExclusive bool
}

// segment turns the range into the pivots of a scan.
func (s *Store) segment(pr PartitionRange) segment {
	var sg segment
	if p := pr.Start; p != nil {
		switch {
		case len(p.Key) > 0:
			sg.from = &row{key: p.Key, token: s.part.Token(p.Key)}
			sg.fromExcl = pr.StartExclusive
		case pr.StartExclusive:
			sg.from = &row{token: p.Token, bound: +1}
		default:
			sg.from = &row{token: p.Token, bound: -1}
		}
	}
	if p := pr.End; p != nil {
		switch {
		case len(p.Key) > 0:
			sg.to = &row{key: p.Key, token: s.part.Token(p.Key)}
			sg.toExcl = pr.EndExclusive
		case pr.EndExclusive:
			sg.to = &row{token: p.Token, bound: -1}
		default:
			sg.to = &row{token: p.Token, bound: +1}
		}
	}
	return sg
}

// ScanPartitions calls fn with each partition of the range in ring order
// until fn returns false. Partitions that hold only tombstones are reported
// too (with no live cells). Each call runs with that partition locked for
// reading, so a partition is read in isolation, but the scan as a whole is
// not a snapshot: partitions written after the scan passed them are not
// seen, those ahead may be. fn must not call the Store.
//
// A token (or Position.Token) must come from the store's partitioner.
func (s *Store) ScanPartitions(t *schema.Table, pr PartitionRange, fn func(*Partition) bool) error {
	tb, err := s.table(t)
	if err != nil {
		return err
	}
	if (pr.Start != nil && len(pr.Start.Key) == 0 && pr.Start.Token == nil) ||
		(pr.End != nil && len(pr.End.Key) == 0 && pr.End.Token == nil) {
		return &InvalidError{Why: "a range bound needs a key or a token"}
	}
	now := s.nowSec()
	tb.scan([]segment{s.segment(pr)}, func(r *row) bool {
		return fn(&Partition{Key: r.key, Token: r.token, tb: tb, r: r, now: now})
	})
	return nil
}

// ReadModifyWrite runs fn on the partition of key with the partition locked
// for writing, and applies the Ops fn returns in the same hold, so that no
// other write comes between what fn read and what it writes: CQL's
// lightweight transactions check their condition this way. A partition the
// store does not hold is shown empty. Ops without LocalTime get the current
// time and counter updates without a timestamp get server time (as Prepare
// does) before log, when non-nil, is called with the mutation; an error
// from log or fn aborts the write and is returned. fn must not call the
// Store, except NowMicros.
func (s *Store) ReadModifyWrite(t *schema.Table, key []byte, fn func(*Partition) ([]Op, error), log func(RowMutation) error) error {
	tb, err := s.table(t)
	if err != nil {
		return err
	}
	now := s.nowSec()
	tb.mu.RLock()
	if r := tb.lookup(key); r != nil {
		r.mu.Lock()
		err := s.readModifyWrite(tb, r, fn, log, now)
		r.mu.Unlock()
		tb.mu.RUnlock()
		return err
	}
	tb.mu.RUnlock()
	tb.mu.Lock()
	defer tb.mu.Unlock()
	r := tb.lookup(key)
	if r != nil {
		return s.readModifyWrite(tb, r, fn, log, now)
	}
	r = tb.pivot(key)
	err = s.readModifyWrite(tb, r, fn, log, now)
	if !r.empty() {
		tb.rows.ReplaceOrInsert(r)
	}
	return err
}

// readModifyWrite is ReadModifyWrite on r, which the caller holds
// exclusively.
func (s *Store) readModifyWrite(tb *table, r *row, fn func(*Partition) ([]Op, error), log func(RowMutation) error, now int64) error {
	ops, err := fn(&Partition{Key: r.key, Token: r.token, tb: tb, r: r, now: now})
	if err != nil || len(ops) == 0 {
		return err
	}
	for i := range ops {
		if ops[i].LocalTime == 0 {
			ops[i].LocalTime = now
		}
		if ops[i].Kind == OpAddCounter && ops[i].Timestamp == 0 {
			ops[i].Timestamp = s.NowMicros()
		}
	}
	if log != nil {
		if err := log(RowMutation{Keyspace: tb.def.Keyspace, Table: tb.def.Name, TableID: tb.def.ID, Key: r.key, Ops: ops}); err != nil {
			return err
		}
	}
	tb.applyOps(r, ops, now)
	return nil
}
