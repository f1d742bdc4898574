package store

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestCompareSigned(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"\x7f", "\x80", 1}, // signed: 0x80 is -128
		{"\x00", "\xff", 1},
		{"a", "ab", -1},
		{"", "", 0},
		{"ab", "ab", 0},
		{"b", "ab", 1},
	}
	for _, c := range cases {
		if got := compareSigned([]byte(c.a), []byte(c.b)); got != c.want {
			t.Errorf("compareSigned(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestSupersedes(t *testing.T) {
	const now = 1000
	live := func(v string, ts int64) *cell { return &cell{value: []byte(v), ts: ts} }
	exp := func(v string, ts int64, ttl int32, ldt int64) *cell {
		return &cell{value: []byte(v), ts: ts, ttl: ttl, ldt: ldt}
	}
	tomb := func(ts, ldt int64) *cell { return &cell{ts: ts, ldt: ldt, kind: kindTombstone} }
	cases := []struct {
		name string
		a, b *cell
		want bool // a wins over b
	}{
		{"higher timestamp", live("a", 2), live("z", 1), true},
		{"lower timestamp", live("z", 1), live("a", 2), false},
		{"negative timestamps", live("a", -1), live("z", -2), true},
		{"tie: tombstone beats live", tomb(5, now), live("z", 5), true},
		{"tie: live loses to tombstone", live("z", 5), tomb(5, now), false},
		{"tie: expired beats live", exp("a", 5, 10, now-1), live("z", 5), true},
		{"tie: live loses to expired", live("z", 5), exp("a", 5, 10, now-1), false},
		{"tie: unexpired is live, greater value wins", exp("b", 5, 10, now+1), live("a", 5), true},
		{"tie: signed 0x7f beats 0x80", live("\x7f", 5), live("\x80", 5), true},
		{"tie: 0x80 loses to 0x7f", live("\x80", 5), live("\x7f", 5), false},
		{"tie: longer beats its prefix", live("ab", 5), live("a", 5), true},
		{"tie: same value, regular beats expiring", live("v", 5), exp("v", 5, 10, now+5), true},
		{"tie: same value, expiring loses to regular", exp("v", 5, 10, now+5), live("v", 5), false},
		{"tie: same value, later expiry wins", exp("v", 5, 10, now+9), exp("v", 5, 10, now+5), true},
		{"tie: two tombstones, later deletion time", tomb(5, now+1), tomb(5, now), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := supersedes(c.a, c.b, now); got != c.want {
				t.Errorf("supersedes = %v, want %v", got, c.want)
			}
		})
	}
}

// TestReconcile runs each case twice: every op as its own mutation, and all
// ops in one mutation in reverse order. Reconciliation must not depend on
// arrival order or batching.
func TestReconcile(t *testing.T) {
	cases := []struct {
		name string
		ops  []Op
		want string
	}{
		{"higher timestamp wins", []Op{put("c", "a", 1), put("c", "b", 2)}, "c=b@2"},
		{"older write loses", []Op{put("c", "b", 2), put("c", "a", 1)}, "c=b@2"},
		{"tie: greater signed value", []Op{put("c", "\x80", 1), put("c", "\x7f", 1)}, "c=\x7f@1"},
		{"tie: longer value beats prefix", []Op{put("c", "ab", 1), put("c", "a", 1)}, "c=ab@1"},
		{"tie: tombstone wins", []Op{put("c", "v", 5), delCol("c", 5)}, ""},
		{"older tombstone loses", []Op{put("c", "v", 5), delCol("c", 4)}, "c=v@5"},
		{"negative timestamps", []Op{put("c", "v", -5), delCol("c", -6)}, "c=v@-5"},
		{"row delete hides equal timestamp", []Op{delRow(3), put("a", "v", 3), put("b", "v", 0)}, ""},
		{"row delete spares newer", []Op{delRow(3), put("a", "v", 4), put("b", "v", 3)}, "a=v@4"},
		{"several row deletes keep highest", []Op{delRow(3), delRow(7), delRow(5), put("a", "v", 6), put("b", "v", 8)}, "b=v@8"},
		{"range delete", []Op{put("a", "1", 1), put("b", "1", 1), put("c", "1", 1), put("d", "1", 1), delRange("b", "c", 1)}, "a=1@1 d=1@1"},
		{"range delete spares newer", []Op{put("b", "1", 2), put("c", "1", 1), delRange("b", "c", 1)}, "b=1@2"},
		{"range open start", []Op{put("a", "1", 1), put("b", "1", 1), put("c", "1", 1), delRange("", "b", 1)}, "c=1@1"},
		{"range open finish", []Op{put("a", "1", 1), put("b", "1", 1), put("c", "1", 1), delRange("b", "", 1)}, "a=1@1"},
		{"range fully open", []Op{put("a", "1", 1), put("z", "1", 1), delRange("", "", 1)}, ""},
		{"regular beats expiring same value", []Op{putTTL("c", "v", 1, 100), put("c", "v", 1)}, "c=v@1"},
		{"newer expiring beats regular", []Op{put("c", "v", 1), putTTL("c", "w", 2, 100)}, "c=w@2/100"},
	}
	for _, c := range cases {
		t.Run(c.name+"/separate", func(t *testing.T) {
			e := newEnv(t, nil)
			for _, op := range c.ops {
				e.apply("k", op)
			}
			if got := e.slice("k", all()); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
		t.Run(c.name+"/one batch reversed", func(t *testing.T) {
			e := newEnv(t, nil)
			ops := make([]Op, len(c.ops))
			for i, op := range c.ops {
				ops[len(ops)-1-i] = op
			}
			e.apply("k", ops...)
			if got := e.slice("k", all()); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestResurrection follows test_cf_remove of Cassandra 2.0's
// test/system/test_thrift_server.py: remove at 3, an insert at 0
// stays hidden, an insert at 4 shows.
func TestResurrection(t *testing.T) {
	e := newEnv(t, nil)
	e.apply("k", put("c1", "v", 0), put("c2", "v", 0))
	e.apply("k", delRow(3))
	e.apply("k", put("c1", "v", 0))
	if got := e.slice("k", all()); got != "" {
		t.Fatalf("after remove at 3 and insert at 0: %q", got)
	}
	e.apply("k", put("c1", "v", 4))
	if got := e.slice("k", all()); got != "c1=v@4" {
		t.Fatalf("after insert at 4: %q", got)
	}
	// Column-level: remove c at 5, insert at 5 stays hidden, at 6 shows.
	e.apply("k", delCol("c1", 5))
	e.apply("k", put("c1", "w", 5))
	if _, err := e.st.Get(e.tbl, []byte("k"), nil, []byte("c1")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get after tie: err = %v, want ErrNotFound", err)
	}
	e.apply("k", put("c1", "w", 6))
	got, err := e.st.Get(e.tbl, []byte("k"), nil, []byte("c1"))
	if err != nil || renderOne(got) != "c1=w@6" {
		t.Fatalf("get = %v, %v", got, err)
	}
}

func TestTTL(t *testing.T) {
	e := newEnv(t, nil)
	e.apply("k", putTTL("c", "v", 10, 10), put("d", "x", 1))
	if got := e.slice("k", all()); got != "c=v@10/10 d=x@1" {
		t.Fatalf("fresh: %q", got)
	}
	e.clock.Advance(9 * time.Second)
	// The original TTL is reported, not the remaining time.
	if got := e.slice("k", all()); got != "c=v@10/10 d=x@1" {
		t.Fatalf("after 9s: %q", got)
	}
	e.clock.Advance(1 * time.Second)
	if got := e.slice("k", all()); got != "d=x@1" {
		t.Fatalf("after 10s: %q", got)
	}
	if _, err := e.st.Get(e.tbl, []byte("k"), nil, []byte("c")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get expired: %v", err)
	}
	// Expired acts as a tombstone with its own timestamp.
	e.apply("k", put("c", "older", 9))
	e.apply("k", put("c", "zzzz", 10)) // tie: dead beats live
	if got := e.slice("k", all()); got != "d=x@1" {
		t.Fatalf("writes at or below the expired cell's timestamp: %q", got)
	}
	e.apply("k", put("c", "new", 11))
	if got := e.slice("k", all()); got != "c=new@11 d=x@1" {
		t.Fatalf("newer write: %q", got)
	}
	if n, _ := e.st.GetCount(e.tbl, []byte("k"), nil, nil); n != 2 {
		t.Fatalf("count = %d", n)
	}
}

func TestTTLReplacedByRegular(t *testing.T) {
	e := newEnv(t, nil)
	e.apply("k", putTTL("c", "v", 1, 5))
	e.apply("k", put("c", "w", 2))
	e.clock.Advance(time.Hour)
	if got := e.slice("k", all()); got != "c=w@2" {
		t.Fatalf("got %q", got)
	}
}

func TestExpiredRowIsGhostUntilPurge(t *testing.T) {
	e := newEnv(t, nil, withGrace(100))
	e.apply("k", putTTL("c", "v", 1, 5))
	e.clock.Advance(6 * time.Second)
	kr := keyRange("", "", 100)
	if got := e.rangeSlices(nil, all(), kr); got != "k[]" {
		t.Fatalf("ghost: %q", got)
	}
	e.st.PurgeTombstones() // expired 1s ago, grace 100s: kept
	if got := e.rangeSlices(nil, all(), kr); got != "k[]" {
		t.Fatalf("ghost before grace: %q", got)
	}
	e.clock.Advance(200 * time.Second)
	e.st.PurgeTombstones()
	if got := e.rangeSlices(nil, all(), kr); got != "" {
		t.Fatalf("after purge: %q", got)
	}
}

func TestRangeListAdd(t *testing.T) {
	rt := func(s, f string, at int64) rangeTombstone {
		return rangeTombstone{bounds: bounds{start: []byte(s), finish: []byte(f)}, del: deletion{at: at, set: true}}
	}
	show := func(l rangeList) string {
		out := ""
		for _, r := range l {
			out += fmt.Sprintf("[%s,%s]@%d ", r.start, r.finish, r.del.at)
		}
		return out
	}
	cases := []struct {
		name string
		add  []rangeTombstone
		want string
	}{
		{"disjoint kept", []rangeTombstone{rt("a", "b", 1), rt("c", "d", 1)}, "[a,b]@1 [c,d]@1 "},
		{"growing prefixes collapse", []rangeTombstone{rt("", "b", 1), rt("", "c", 2), rt("", "d", 3)}, "[,d]@3 "},
		{"contained newer kept", []rangeTombstone{rt("a", "z", 1), rt("c", "d", 2)}, "[a,z]@1 [c,d]@2 "},
		{"contained older dropped", []rangeTombstone{rt("a", "z", 2), rt("c", "d", 1)}, "[a,z]@2 "},
		{"same bounds keep the newer", []rangeTombstone{rt("a", "b", 1), rt("a", "b", 3), rt("a", "b", 2)}, "[a,b]@3 "},
		{"overlap kept", []rangeTombstone{rt("a", "c", 1), rt("b", "d", 1)}, "[a,c]@1 [b,d]@1 "},
	}
	for _, c := range cases {
		var l rangeList
		for _, r := range c.add {
			l = l.add(bytesType{}, r)
		}
		if got := show(l); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
