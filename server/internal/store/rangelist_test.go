package store

import "github.com/cassa-go/cassa/codec"

// rangeList is the naive reference for rangeSet: every range tombstone as
// written, searched linearly. The model tests judge the store with it.

// within reports whether the interval lies inside o.
func (b *bounds) within(cmp codec.Type, o bounds) bool {
	if len(o.start) > 0 {
		if len(b.start) == 0 {
			return false
		}
		c := cmp.Compare(b.start, o.start)
		if c < 0 || (c == 0 && o.startExcl && !b.startExcl) {
			return false
		}
	}
	if len(o.finish) > 0 {
		if len(b.finish) == 0 {
			return false
		}
		c := cmp.Compare(b.finish, o.finish)
		if c > 0 || (c == 0 && o.finishExcl && !b.finishExcl) {
			return false
		}
	}
	return true
}

// rangeList is a small list of range tombstones. Thrift clients write few of
// them per row, so a linear scan is cheaper than an interval tree.
type rangeList []rangeTombstone

// add records rt. A tombstone that another one contains and outlives
// (timestamp at least as high) adds nothing, so it is dropped: a client that
// keeps deleting growing prefixes of a row leaves one tombstone, not many.
func (l rangeList) add(cmp codec.Type, rt rangeTombstone) rangeList {
	out := l[:0]
	for _, old := range l {
		if old.within(cmp, rt.bounds) && old.del.at <= rt.del.at {
			continue // rt supersedes it
		}
		out = append(out, old)
	}
	for i := range out {
		if rt.within(cmp, out[i].bounds) && rt.del.at <= out[i].del.at {
			if rt.del.at == out[i].del.at {
				out[i].del.ldt = max(out[i].del.ldt, rt.del.ldt)
			}
			return out
		}
	}
	return append(out, rt)
}

// covers reports whether some range tombstone of the list shadows a cell
// named name with timestamp ts.
func (l rangeList) covers(cmp codec.Type, name []byte, ts int64) bool {
	for i := range l {
		if l[i].del.covers(ts) && l[i].contains(cmp, name) {
			return true
		}
	}
	return false
}

// purge drops the range tombstones deleted before now-gcGrace.
func (l rangeList) purge(now, gcGrace int64) rangeList {
	out := l[:0]
	for _, rt := range l {
		if rt.del.ldt >= now-gcGrace {
			out = append(out, rt)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
