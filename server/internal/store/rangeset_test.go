package store

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cassa-go/cassa/codec"
)

// TestRangeSetAgainstList adds random range tombstones (open, inclusive and
// exclusive ends, colliding timestamps) and checks after each add that the
// disjoint intervals of rangeSet shadow exactly what the plain list of
// tombstones shadows, for every name and timestamp, and stay disjoint.
func TestRangeSetAgainstList(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cmp := codec.Long
	name := func(i int64) []byte { return long(i) }
	for round := 0; round < 300; round++ {
		var set rangeSet
		var list []rangeTombstone
		for step := 0; step < 12; step++ {
			var b bounds
			a, z := r.Int64N(12), r.Int64N(12)
			if a > z {
				a, z = z, a
			}
			if r.IntN(5) > 0 {
				b.start, b.startExcl = name(a), r.IntN(3) == 0
			}
			if r.IntN(5) > 0 {
				b.finish, b.finishExcl = name(z), r.IntN(3) == 0
			}
			rt := rangeTombstone{bounds: b, del: deletion{at: r.Int64N(5), ldt: r.Int64N(3), set: true}}
			if r.IntN(8) == 0 {
				at := r.Int64N(5)
				set.dropAtMost(at)
				kept := list[:0]
				for _, x := range list {
					if x.del.at > at {
						kept = append(kept, x)
					}
				}
				list = kept
			} else {
				set.add(cmp, rt)
				list = append(list, rt)
			}
			for n := int64(-1); n <= 12; n++ {
				for ts := int64(-1); ts <= 5; ts++ {
					want := rangeList(list).covers(cmp, name(n), ts)
					if got := set.covers(cmp, name(n), ts); got != want {
						t.Fatalf("round %d step %d: name %d ts %d: got %v, want %v\nset %s\nlist %s",
							round, step, n, ts, got, want, showSet(&set), showList(list))
					}
				}
			}
			var prev *rangeTombstone
			set.each(func(rt *rangeTombstone) {
				if rt.empty(cmp) {
					t.Fatalf("empty interval in %s", showSet(&set))
				}
				if prev != nil && cmpPos(cmp, finishPos(&prev.bounds), startPos(&rt.bounds)) >= 0 {
					t.Fatalf("overlapping intervals in %s", showSet(&set))
				}
				prev = rt
			})
		}
	}
}

func showBounds(b bounds) string {
	lo, hi := "[", "]"
	if b.startExcl {
		lo = "("
	}
	if b.finishExcl {
		hi = ")"
	}
	f := func(x []byte) string {
		if len(x) == 0 {
			return ""
		}
		return fmt.Sprint(int64(x[7]))
	}
	return lo + f(b.start) + "," + f(b.finish) + hi
}

func showSet(s *rangeSet) string {
	out := ""
	s.each(func(rt *rangeTombstone) { out += fmt.Sprintf("%s@%d ", showBounds(rt.bounds), rt.del.at) })
	return out
}

func showList(l []rangeTombstone) string {
	out := ""
	for _, rt := range l {
		out += fmt.Sprintf("%s@%d ", showBounds(rt.bounds), rt.del.at)
	}
	return out
}

func TestRangeSetPieces(t *testing.T) {
	cmp := codec.Long
	rt := func(a, z int64, at int64) rangeTombstone {
		return rangeTombstone{bounds: bounds{start: long(a), finish: long(z)}, del: deletion{at: at, set: true}}
	}
	var s rangeSet
	s.add(cmp, rt(0, 10, 1))
	s.add(cmp, rt(3, 5, 2)) // a newer tombstone inside splits the older
	if got := showSet(&s); got != "[0,3)@1 [3,5]@2 (5,10]@1 " {
		t.Errorf("split: %s", got)
	}
	s.add(cmp, rt(0, 10, 3)) // a newer one over everything merges it back
	if got := showSet(&s); got != "[0,10]@3 " {
		t.Errorf("merge: %s", got)
	}
	s.add(cmp, rt(4, 4, 1)) // an older one inside changes nothing
	if got := showSet(&s); got != "[0,10]@3 " {
		t.Errorf("older inside: %s", got)
	}
}
