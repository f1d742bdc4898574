package store

import (
	"github.com/cassa-go/cassa/codec"
	"github.com/google/btree"
)

// rangeSet holds the range tombstones of one cell set (or of a super
// column family's super column names) as disjoint intervals ordered by
// start, each carrying the strongest deletion over it, as Cassandra 2.x's
// RangeTombstoneList does. Finding whether a name is covered is one tree
// search however many tombstones a partition holds, which CQL needs: every
// collection overwrite and every row deletion is a range tombstone.
// The zero value is empty.
type rangeSet struct {
	t *btree.BTreeG[*rangeTombstone]
}

// pos is a point of the name line: just before a name (e -1), the name
// itself (0) or just after it (+1), or an end of the line (inf -1, +1).
// Interval bounds map onto it: an inclusive start at x is (x, 0), an
// exclusive one (x, +1); an inclusive finish (x, 0), an exclusive one (x, -1).
type pos struct {
	name []byte
	e    int8
	inf  int8
}

func startPos(b *bounds) pos {
	if len(b.start) == 0 {
		return pos{inf: -1}
	}
	if b.startExcl {
		return pos{name: b.start, e: 1}
	}
	return pos{name: b.start}
}

func finishPos(b *bounds) pos {
	if len(b.finish) == 0 {
		return pos{inf: 1}
	}
	if b.finishExcl {
		return pos{name: b.finish, e: -1}
	}
	return pos{name: b.finish}
}

func cmpPos(cmp codec.Type, a, b pos) int {
	if a.inf != b.inf {
		return int(a.inf) - int(b.inf)
	}
	if a.inf != 0 {
		return 0
	}
	if c := cmp.Compare(a.name, b.name); c != 0 {
		return c
	}
	return int(a.e) - int(b.e)
}

// after is the first start position following finish position p (p is
// not the end of the line).
func after(p pos) pos { return pos{name: p.name, e: p.e + 1} }

// before is the last finish position preceding start position p (p is not
// the start of the line).
func before(p pos) pos { return pos{name: p.name, e: p.e - 1} }

// boundsOf turns two positions back into bounds. A start just before a
// name is the name itself, a finish just after a name too: nothing lies
// between them.
func boundsOf(lo, hi pos) bounds {
	var b bounds
	if lo.inf == 0 {
		b.start, b.startExcl = lo.name, lo.e > 0
	}
	if hi.inf == 0 {
		b.finish, b.finishExcl = hi.name, hi.e < 0
	}
	return b
}

func (s *rangeSet) len() int {
	if s.t == nil {
		return 0
	}
	return s.t.Len()
}

// each calls f with every interval in order.
func (s *rangeSet) each(f func(*rangeTombstone)) {
	if s.t == nil {
		return
	}
	s.t.Ascend(func(rt *rangeTombstone) bool { f(rt); return true })
}

// covers reports whether a range tombstone shadows a cell named name with
// timestamp ts.
func (s *rangeSet) covers(cmp codec.Type, name []byte, ts int64) bool {
	if s.t == nil {
		return false
	}
	hit := false
	s.t.DescendLessOrEqual(&rangeTombstone{bounds: bounds{start: name}}, func(rt *rangeTombstone) bool {
		hit = rt.contains(cmp, name) && rt.del.covers(ts)
		return false
	})
	return hit
}

// add records rt: where it overlaps older intervals, the stronger deletion
// wins (deletion.merge), so the intervals stay disjoint.
func (s *rangeSet) add(cmp codec.Type, rt rangeTombstone) {
	lo, hi := startPos(&rt.bounds), finishPos(&rt.bounds)
	if cmpPos(cmp, lo, hi) > 0 {
		return
	}
	if s.t == nil {
		s.t = btree.NewG(cellDegree, func(a, b *rangeTombstone) bool {
			return cmpPos(cmp, startPos(&a.bounds), startPos(&b.bounds)) < 0
		})
	}
	pivot := &rangeTombstone{bounds: boundsOf(lo, pos{inf: 1})}
	var olds []*rangeTombstone
	s.t.DescendLessOrEqual(pivot, func(o *rangeTombstone) bool {
		if cmpPos(cmp, finishPos(&o.bounds), lo) >= 0 {
			olds = append(olds, o)
		}
		return false
	})
	s.t.AscendGreaterOrEqual(pivot, func(o *rangeTombstone) bool {
		if cmpPos(cmp, startPos(&o.bounds), hi) > 0 {
			return false
		}
		if len(olds) == 0 || olds[len(olds)-1] != o {
			olds = append(olds, o)
		}
		return true
	})
	if len(olds) == 0 {
		s.t.ReplaceOrInsert(&rt)
		return
	}
	// Cut the union of rt and the old intervals into pieces, each with
	// the strongest deletion over it; neighbours with the same deletion
	// become one.
	var pieces []rangeTombstone
	var pieceLo []pos
	var pieceHi []pos
	emit := func(a, b pos, d deletion) {
		if cmpPos(cmp, a, b) > 0 {
			return
		}
		if n := len(pieces); n > 0 && pieces[n-1].del == d {
			pieceHi[n-1] = b
			return
		}
		pieces = append(pieces, rangeTombstone{del: d})
		pieceLo, pieceHi = append(pieceLo, a), append(pieceHi, b)
	}
	cur, done := lo, false
	for _, o := range olds {
		olo, ohi := startPos(&o.bounds), finishPos(&o.bounds)
		if cmpPos(cmp, olo, lo) < 0 {
			emit(olo, before(lo), o.del)
		}
		if !done && cmpPos(cmp, cur, olo) < 0 {
			emit(cur, before(olo), rt.del)
		}
		ovLo, ovHi := olo, ohi
		if cmpPos(cmp, lo, ovLo) > 0 {
			ovLo = lo
		}
		if cmpPos(cmp, hi, ovHi) < 0 {
			ovHi = hi
		}
		emit(ovLo, ovHi, o.del.merge(rt.del))
		if cmpPos(cmp, ohi, hi) > 0 {
			emit(after(hi), ohi, o.del)
		}
		if ohi.inf > 0 {
			done = true
		} else if !done {
			cur = after(ohi)
		}
	}
	if !done && cmpPos(cmp, cur, hi) <= 0 {
		emit(cur, hi, rt.del)
	}
	for _, o := range olds {
		s.t.Delete(o)
	}
	for i := range pieces {
		p := &pieces[i]
		p.bounds = boundsOf(pieceLo[i], pieceHi[i])
		s.t.ReplaceOrInsert(p)
	}
}

// dropAtMost forgets the intervals whose deletion is no newer than at
// (a row deletion at that timestamp makes them redundant).
func (s *rangeSet) dropAtMost(at int64) {
	s.dropIf(func(rt *rangeTombstone) bool { return rt.del.at <= at })
}

// purge forgets the intervals deleted before now-gcGrace.
func (s *rangeSet) purge(now, gcGrace int64) {
	s.dropIf(func(rt *rangeTombstone) bool { return rt.del.ldt < now-gcGrace })
}

func (s *rangeSet) dropIf(f func(*rangeTombstone) bool) {
	if s.t == nil {
		return
	}
	var gone []*rangeTombstone
	s.t.Ascend(func(rt *rangeTombstone) bool {
		if f(rt) {
			gone = append(gone, rt)
		}
		return true
	})
	for _, rt := range gone {
		s.t.Delete(rt)
	}
	if s.t.Len() == 0 {
		s.t = nil
	}
}
