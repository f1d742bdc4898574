package store

import "github.com/cassa-go/cassa/codec"

// cellKind tells live data, tombstones and counters apart.
type cellKind uint8

const (
	kindValue     cellKind = iota // regular or expiring cell
	kindTombstone                 // cell deletion
	kindCounter                   // counter: value is the running sum
)

// cell is one version of a column or sub-column.
type cell struct {
	name  []byte
	value []byte // kindValue only
	ts    int64
	// ttl is the original TTL (0: the cell never expires).
	ttl int32
	// ldt is the local time in Unix seconds at which the cell stops being
	// live: the expiry of an expiring cell, the deletion time of a tombstone.
	ldt   int64
	kind  cellKind
	count int64 // kindCounter: wrapping signed sum of deltas
}

// live reports whether the cell is visible at now (Unix seconds). An expired
// cell stays stored as a tombstone carrying its own timestamp.
func (c *cell) live(now int64) bool {
	switch c.kind {
	case kindTombstone:
		return false
	case kindValue:
		return c.ttl == 0 || now < c.ldt
	}
	return true
}

// purgeable reports whether a dead cell may be forgotten: it died more than
// gcGrace seconds before now.
func (c *cell) purgeable(now, gcGrace int64) bool {
	if c.live(now) {
		return false
	}
	return c.ldt < now-gcGrace
}

// supersedes reports whether a wins over b under Cassandra 3.11's rules
// (Conflicts.resolveRegular):
//  1. the higher timestamp wins;
//  2. equal timestamps: a dead version (tombstone or expired) beats a live one;
//  3. both live or both dead: the greater value, compared as signed bytes;
//  4. same value: the later local deletion time wins, so a regular cell
//     (no deletion time) beats an expiring one.
//
// Counters never reach here: they add up instead.
func supersedes(a, b *cell, now int64) bool {
	if a.ts != b.ts {
		return a.ts > b.ts
	}
	al, bl := a.live(now), b.live(now)
	if al != bl {
		return !al
	}
	if c := compareSigned(a.value, b.value); c != 0 {
		return c > 0
	}
	// Equal values (two tombstones have none): keep the one that lasts
	// longer; a regular cell lasts forever.
	return lastsLonger(a, b)
}

func lastsLonger(a, b *cell) bool {
	if a.kind == kindValue && b.kind == kindValue {
		if (a.ttl == 0) != (b.ttl == 0) {
			return a.ttl == 0
		}
	}
	return a.ldt > b.ldt
}

// compareSigned orders byte strings as Java's ByteBuffer.compareTo does:
// byte by byte as signed values, a shorter prefix first. Go's bytes.Compare
// is unsigned and would let 0x80 beat 0x7f.
func compareSigned(a, b []byte) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		x, y := int8(a[i]), int8(b[i])
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

// deletion is a row or super-column tombstone (Cassandra's DeletionTime).
type deletion struct {
	at  int64 // markedForDeleteAt: shadows writes with timestamp <= at
	ldt int64 // local deletion time, Unix seconds
	set bool
}

// covers reports whether the deletion shadows a cell of timestamp ts: a
// row, range, super-column or partition deletion at T shadows everything
// written at or before T, counters included (Cassandra 3.11's
// DeletionTime.deletes; only a cell tombstone beats a counter whatever the
// timestamps, see cellSet.upsert).
func (d deletion) covers(ts int64) bool {
	return d.set && ts <= d.at
}

// merge keeps the stronger of two deletions: the higher timestamp, then the
// later local deletion time.
func (d deletion) merge(o deletion) deletion {
	if !o.set {
		return d
	}
	if !d.set || o.at > d.at || (o.at == d.at && o.ldt > d.ldt) {
		return o
	}
	return d
}

// rangeTombstone deletes [start, finish] in comparator order; an empty
// bound is open, and a bound marked exclusive leaves out the names equal to
// it. Composite end-of-component rules follow from the comparator's
// Compare: a finish with EOC 0 sorts before the longer names of its prefix
// and so covers only the exact prefix, EOC 1 sorts after them. Exclusive
// bounds serve comparators without end-of-component bytes (a CQL table
// with COMPACT STORAGE and one clustering column).
type rangeTombstone struct {
	bounds
	del deletion
}

// bounds is an interval of names: [start, finish] with optional exclusive
// ends; an empty bound is open (and its exclusivity meaningless).
type bounds struct {
	start, finish         []byte
	startExcl, finishExcl bool
}

// contains reports whether name lies in the interval.
func (b *bounds) contains(cmp codec.Type, name []byte) bool {
	return !b.beforeStart(cmp, name) && !b.afterFinish(cmp, name)
}

// beforeStart reports whether name sorts before the interval.
func (b *bounds) beforeStart(cmp codec.Type, name []byte) bool {
	if len(b.start) == 0 {
		return false
	}
	c := cmp.Compare(name, b.start)
	return c < 0 || (c == 0 && b.startExcl)
}

// afterFinish reports whether name sorts after the interval.
func (b *bounds) afterFinish(cmp codec.Type, name []byte) bool {
	if len(b.finish) == 0 {
		return false
	}
	c := cmp.Compare(name, b.finish)
	return c > 0 || (c == 0 && b.finishExcl)
}

// empty reports whether no name can lie in the interval.
func (b *bounds) empty(cmp codec.Type) bool {
	if len(b.start) == 0 || len(b.finish) == 0 {
		return false
	}
	c := cmp.Compare(b.start, b.finish)
	return c > 0 || (c == 0 && (b.startExcl || b.finishExcl))
}
