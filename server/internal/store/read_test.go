package store

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/internal/testclock"
	"github.com/cassa-go/cassa/thriftgen"
)

func TestSliceStandard(t *testing.T) {
	e := newEnv(t, nil)
	e.apply("k", put("a", "1", 1), put("b", "2", 1), put("c", "3", 1), put("d", "4", 1), put("e", "5", 1))
	e.apply("k", delCol("b", 2), delCol("d", 2))
	cases := []struct {
		name string
		pred *thriftgen.SlicePredicate
		want string
	}{
		{"all", all(), "a=1@1 c=3@1 e=5@1"},
		{"names in comparator order, dupes collapse, missing absent", names("e", "a", "zz", "a", "b"), "a=1@1 e=5@1"},
		{"empty names", names(), ""},
		{"range", rng("b", "d", false, 100), "c=3@1"},
		{"count counts live cells", rng("", "", false, 2), "a=1@1 c=3@1"},
		{"reversed: start is the high end", rng("d", "a", true, 100), "c=3@1 a=1@1"},
		{"reversed open", rng("", "", true, 2), "e=5@1 c=3@1"},
		{"count 0", rng("", "", false, 0), ""},
		{"start past the end", rng("f", "", false, 10), ""},
		{"nil predicate is the whole row", nil, "a=1@1 c=3@1 e=5@1"},
		{"empty predicate is the whole row", &thriftgen.SlicePredicate{}, "a=1@1 c=3@1 e=5@1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := e.slice("k", c.pred); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			n, err := e.st.GetCount(e.tbl, []byte("k"), nil, c.pred)
			if err != nil {
				t.Fatal(err)
			}
			if want := countItems(c.want); int(n) != want {
				t.Errorf("count = %d, want %d", n, want)
			}
		})
	}
	if got := e.slice("missing", all()); got != "" {
		t.Errorf("missing row: %q", got)
	}
	res, _ := e.st.GetSlice(e.tbl, []byte("missing"), nil, all())
	if res == nil {
		t.Error("missing row: nil list, want empty")
	}
}

func countItems(s string) int {
	if s == "" {
		return 0
	}
	n := 1
	depth := 0
	for _, r := range s {
		switch r {
		case '{':
			depth++
		case '}':
			depth--
		case ' ':
			if depth == 0 {
				n++
			}
		}
	}
	return n
}

func TestMultiget(t *testing.T) {
	e := newEnv(t, nil)
	e.apply("k1", put("a", "1", 1), put("b", "1", 1))
	e.apply("k2", put("a", "1", 1))
	keys := [][]byte{[]byte("k1"), []byte("k2"), []byte("k3"), []byte("k1")}
	m, err := e.st.MultigetSlice(e.tbl, keys, nil, all())
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 3 || render(m["k1"]) != "a=1@1 b=1@1" || render(m["k2"]) != "a=1@1" || m["k3"] == nil || len(m["k3"]) != 0 {
		t.Errorf("multiget = %v", m)
	}
	c, err := e.st.MultigetCount(e.tbl, keys, nil, rng("", "", false, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(c) != 3 || c["k1"] != 1 || c["k2"] != 1 || c["k3"] != 0 {
		t.Errorf("multiget_count = %v", c)
	}
}

// TestCompositeBounds checks the end-of-component rules of CompositeType
// (Composite.EOC: a start bound with EOC 1 starts after the prefix, a
// finish bound with EOC 1 includes its extensions) on slices and range
// tombstones with a CompositeType(BytesType, BytesType) comparator.
func TestCompositeBounds(t *testing.T) {
	cols := map[string][]byte{
		"a": comp(0, "a"), "a:x": comp(0, "a", "x"), "a:y": comp(0, "a", "y"),
		"b": comp(0, "b"), "b:x": comp(0, "b", "x"),
	}
	order := []string{"a", "a:x", "a:y", "b", "b:x"}
	setup := func(t *testing.T) *env {
		e := newEnv(t, nil, withComparator(compType{}))
		var ops []Op
		for _, n := range order {
			ops = append(ops, Op{Kind: OpPut, Name: cols[n], Value: []byte(n), Timestamp: 1})
		}
		e.apply("k", ops...)
		return e
	}
	values := func(items []*thriftgen.ColumnOrSuperColumn) string {
		s := ""
		for i, it := range items {
			if i > 0 {
				s += " "
			}
			s += string(it.Column.Value)
		}
		return s
	}
	cases := []struct {
		name          string
		start, finish []byte
		slice, remain string // what a slice returns; what a range delete leaves
	}{
		{"start eoc 0 includes extensions", comp(0, "a"), comp(1, "a"), "a a:x a:y", "b b:x"},
		{"start eoc -1 includes extensions", comp(-1, "a"), comp(1, "a"), "a a:x a:y", "b b:x"},
		{"start eoc 1 starts after the prefix", comp(1, "a"), comp(1, "b"), "b b:x", "a a:x a:y"},
		{"finish eoc 0 covers only the exact prefix", comp(0, "a"), comp(0, "a"), "a", "a:x a:y b b:x"},
		{"finish eoc -1 excludes the prefix", comp(0, "a"), comp(-1, "b"), "a a:x a:y", "b b:x"},
		{"finish eoc 1 includes the prefix's extensions", comp(0, "a", "y"), comp(1, "b"), "a:y b b:x", "a a:x"},
		{"open start", nil, comp(0, "a", "x"), "a a:x", "a:y b b:x"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := setup(t)
			pred := &thriftgen.SlicePredicate{SliceRange: &thriftgen.SliceRange{Start: c.start, Finish: c.finish, Count: 100}}
			got, _ := e.st.GetSlice(e.tbl, []byte("k"), nil, pred)
			if v := values(got); v != c.slice {
				t.Errorf("slice = %q, want %q", v, c.slice)
			}
			e.apply("k", Op{Kind: OpDeleteRange, Start: c.start, Finish: c.finish, Timestamp: 1})
			got, _ = e.st.GetSlice(e.tbl, []byte("k"), nil, all())
			if v := values(got); v != c.remain {
				t.Errorf("after range delete = %q, want %q", v, c.remain)
			}
			// A write inside the range at the tombstone's timestamp stays hidden.
			e.apply("k", Op{Kind: OpPut, Name: cols["a:x"], Value: []byte("again"), Timestamp: 1})
			got, _ = e.st.GetSlice(e.tbl, []byte("k"), nil, all())
			want := c.remain
			if containsWord(" "+want+" ", " a:x ") {
				// Not covered: the tie goes to the greater value.
				want = strings.Replace(want, "a:x", "again", 1)
			}
			if v := values(got); v != want {
				t.Errorf("rewrite at tombstone ts = %q, want %q", v, want)
			}
		})
	}
	// Reversed composite slice: start is the high end.
	e := setup(t)
	pred := &thriftgen.SlicePredicate{SliceRange: &thriftgen.SliceRange{Start: comp(1, "a"), Finish: comp(0, "a"), Reversed: true, Count: 100}}
	got, _ := e.st.GetSlice(e.tbl, []byte("k"), nil, pred)
	if v := values(got); v != "a:y a:x a" {
		t.Errorf("reversed = %q", v)
	}
}

func containsWord(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i:i+len(w)] == w {
			return true
		}
	}
	return false
}

func TestGet(t *testing.T) {
	e := newEnv(t, nil)
	e.apply("k", put("a", "1", 1), putTTL("t", "v", 1, 60))
	got, err := e.st.Get(e.tbl, []byte("k"), nil, []byte("a"))
	if err != nil || renderOne(got) != "a=1@1" {
		t.Fatalf("get = %v, %v", got, err)
	}
	got, err = e.st.Get(e.tbl, []byte("k"), nil, []byte("t"))
	if err != nil || renderOne(got) != "t=v@1/60" {
		t.Fatalf("get ttl = %v, %v", got, err)
	}
	for _, c := range []struct{ key, col string }{{"k", "zz"}, {"nokey", "a"}} {
		if _, err := e.st.Get(e.tbl, []byte(c.key), nil, []byte(c.col)); !errors.Is(err, ErrNotFound) {
			t.Errorf("get %s/%s: %v", c.key, c.col, err)
		}
	}
}

func TestCounters(t *testing.T) {
	afterStart := testclock.Start().UnixMicro() + 500_000
	type step struct {
		ops     []Op
		advance time.Duration
		purge   bool
		want    string
	}
	delC := func(name string) Op { return Op{Kind: OpDeleteColumn, Name: []byte(name), Timestamp: 1} }
	cases := []struct {
		name  string
		steps []step
	}{
		{"sum", []step{{ops: []Op{add("c", 5)}, want: "c:5"}, {ops: []Op{add("c", -3)}, want: "c:2"}}},
		{"deltas in one batch add up", []step{{ops: []Op{add("c", 1), add("c", 2), add("d", 7)}, want: "c:3 d:7"}}},
		{"wraps", []step{{ops: []Op{add("c", math.MaxInt64)}, want: "c:9223372036854775807"}, {ops: []Op{add("c", 1)}, want: "c:-9223372036854775808"}}},
		{"delete kills later adds until purge", []step{
			{ops: []Op{add("c", 5), add("d", 1)}, want: "c:5 d:1"},
			{ops: []Op{delC("c")}, want: "d:1"},
			{ops: []Op{add("c", 10)}, want: "d:1"},
			{advance: 11 * time.Second, purge: true, want: "d:1"},
			{ops: []Op{add("c", 4)}, want: "c:4 d:1"},
		}},
		{"tombstone wins whatever the timestamps", []step{
			{ops: []Op{{Kind: OpAddCounter, Name: []byte("c"), Delta: 1, Timestamp: 1 << 60}}, want: "c:1"},
			{ops: []Op{delC("c")}, want: ""},
		}},
		// Cassandra 3.11: row, range and partition deletions compare
		// timestamps with counters (DeletionTime.deletes); only a cell
		// tombstone beats a counter whatever the timestamps
		// (Conflicts.resolveCounter). Counter updates are stamped with
		// server microseconds (the fake clock starts at 1.7e9 s), so a
		// deletion at an older timestamp hides nothing, one at a later
		// timestamp hides the counters written before it, and an update
		// after it starts again from its own delta.
		{"row delete compares timestamps", []step{
			{ops: []Op{add("c", 5)}, want: "c:5"},
			{ops: []Op{{Kind: OpDeleteRow, Timestamp: 1}}, want: "c:5"},
			{ops: []Op{{Kind: OpDeleteRow, Timestamp: afterStart}}, want: ""},
			{ops: []Op{add("c", 1), add("other", 1)}, want: ""}, // still stamped before the deletion
			{advance: time.Second, ops: []Op{add("c", 1), add("other", 1)}, want: "c:1 other:1"},
		}},
		{"range delete compares timestamps", []step{
			{ops: []Op{add("a", 1), add("b", 1), add("c", 1)}, want: "a:1 b:1 c:1"},
			{ops: []Op{{Kind: OpDeleteRange, Start: []byte("b"), Finish: []byte("c"), Timestamp: 1}}, want: "a:1 b:1 c:1"},
			{ops: []Op{{Kind: OpDeleteRange, Start: []byte("b"), Finish: []byte("c"), Timestamp: afterStart}}, want: "a:1"},
			{advance: time.Second, ops: []Op{add("b", 1), add("d", 1)}, want: "a:1 b:1 d:1"},
		}},
		{"delete and add in one batch", []step{{ops: []Op{add("c", 1), delC("c"), add("c", 1)}, want: ""}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, nil, counterCF, withGrace(10))
			for i, s := range c.steps {
				e.clock.Advance(s.advance)
				if s.purge {
					e.st.PurgeTombstones()
				}
				if len(s.ops) > 0 {
					e.apply("k", s.ops...)
				}
				if got := e.slice("k", all()); s.want != "-" && got != s.want {
					t.Errorf("step %d: got %q, want %q", i, got, s.want)
				}
			}
		})
	}
}

func TestCounterTimestampsAreServerTime(t *testing.T) {
	e := newEnv(t, nil, counterCF)
	m := []RowMutation{NewRowMutation(e.tbl, []byte("k"), add("c", 1))}
	e.st.Prepare(m)
	want := e.clock.Now().UnixMicro()
	if ts := m[0].Ops[0].Timestamp; ts < want || ts > want+10 {
		t.Errorf("counter timestamp %d, want about %d", ts, want)
	}
	if m[0].Ops[0].LocalTime != e.clock.Now().Unix() {
		t.Errorf("local time %d", m[0].Ops[0].LocalTime)
	}
	a, b := e.st.NowMicros(), e.st.NowMicros()
	if b <= a {
		t.Errorf("NowMicros not increasing: %d then %d", a, b)
	}
}

func TestSuperCF(t *testing.T) {
	e := newEnv(t, nil, superCF)
	e.apply("k",
		putSub("sc1", "b", "1", 1), putSub("sc1", "a", "1", 1),
		putSub("sc2", "a", "2", 1),
		putSub("sc3", "a", "3", 1), putSub("sc3", "b", "3", 1),
		putSub("sc4", "x", "4", 1),
	)
	e.apply("k", Op{Kind: OpDeleteColumn, Super: []byte("sc4"), Name: []byte("x"), Timestamp: 2})
	cases := []struct {
		name  string
		super string
		pred  *thriftgen.SlicePredicate
		want  string
	}{
		{"whole super columns, sub-columns ascending", "", all(), "sc1{a=1@1 b=1@1} sc2{a=2@1} sc3{a=3@1 b=3@1}"},
		{"count counts super columns", "", rng("", "", false, 2), "sc1{a=1@1 b=1@1} sc2{a=2@1}"},
		// 3.11's thriftifySuperColumns reverses the sub-columns of every
		// super column of a reversed slice (2.x kept them ascending).
		{"reversed super columns reverse their sub-columns", "", rng("", "", true, 2), "sc3{b=3@1 a=3@1} sc2{a=2@1}"},
		{"names are super column names", "", names("sc3", "sc1", "sc4"), "sc1{a=1@1 b=1@1} sc3{a=3@1 b=3@1}"},
		{"with super: sub-columns", "sc3", all(), "a=3@1 b=3@1"},
		{"with super: reversed, count", "sc3", rng("", "", true, 1), "b=3@1"},
		{"with super: names", "sc1", names("b"), "b=1@1"},
		{"dead super column", "sc4", all(), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var super []byte
			if c.super != "" {
				super = []byte(c.super)
			}
			got, err := e.st.GetSlice(e.tbl, []byte("k"), super, c.pred)
			if err != nil {
				t.Fatal(err)
			}
			if s := render(got); s != c.want {
				t.Errorf("got %q, want %q", s, c.want)
			}
			if n, _ := e.st.GetCount(e.tbl, []byte("k"), super, c.pred); int(n) != countItems(c.want) {
				t.Errorf("count = %d, want %d", n, countItems(c.want))
			}
		})
	}
	got, err := e.st.Get(e.tbl, []byte("k"), []byte("sc1"), nil)
	if err != nil || renderOne(got) != "sc1{a=1@1 b=1@1}" {
		t.Errorf("get super = %v, %v", got, err)
	}
	got, err = e.st.Get(e.tbl, []byte("k"), []byte("sc1"), []byte("b"))
	if err != nil || renderOne(got) != "b=1@1" {
		t.Errorf("get sub = %v, %v", got, err)
	}
	if _, err := e.st.Get(e.tbl, []byte("k"), []byte("sc4"), nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("get dead super: %v", err)
	}
}

func TestSuperDeletions(t *testing.T) {
	base := []Op{
		putSub("a", "x", "1", 1), putSub("a", "y", "1", 1),
		putSub("b", "x", "1", 1), putSub("b", "y", "1", 1), putSub("b", "z", "1", 1),
		putSub("c", "x", "1", 1),
	}
	cases := []struct {
		name string
		ops  []Op
		want string
	}{
		{"super column tombstone", []Op{{Kind: OpDeleteSuper, Super: []byte("b"), Timestamp: 1}}, "a{x=1@1 y=1@1} c{x=1@1}"},
		{"delete-column without super deletes a super column", []Op{{Kind: OpDeleteColumn, Name: []byte("a"), Timestamp: 1}}, "b{x=1@1 y=1@1 z=1@1} c{x=1@1}"},
		{"super tombstone then newer write", []Op{{Kind: OpDeleteSuper, Super: []byte("b"), Timestamp: 1}, putSub("b", "y", "2", 2), putSub("b", "x", "2", 1)}, "a{x=1@1 y=1@1} b{y=2@2} c{x=1@1}"},
		{"range of super columns", []Op{{Kind: OpDeleteRange, Start: []byte("a"), Finish: []byte("b"), Timestamp: 1}, putSub("b", "q", "2", 1)}, "c{x=1@1}"},
		{"range of sub-columns", []Op{{Kind: OpDeleteRange, Super: []byte("b"), Start: []byte("y"), Finish: []byte(""), Timestamp: 1}, putSub("b", "zz", "2", 1)}, "a{x=1@1 y=1@1} b{x=1@1} c{x=1@1}"},
		{"sub-column tombstone", []Op{{Kind: OpDeleteColumn, Super: []byte("c"), Name: []byte("x"), Timestamp: 1}}, "a{x=1@1 y=1@1} b{x=1@1 y=1@1 z=1@1}"},
		{"row tombstone", []Op{delRow(1), putSub("a", "n", "2", 2)}, "a{n=2@2}"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, nil, superCF)
			e.apply("k", base...)
			for _, op := range c.ops {
				e.apply("k", op)
			}
			if got := e.slice("k", all()); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestSuperCounters(t *testing.T) {
	e := newEnv(t, nil, superCF, counterCF)
	op := func(sc, n string, d int64) Op { o := add(n, d); o.Super = []byte(sc); return o }
	e.apply("k", op("s1", "b", 2), op("s1", "a", 1), op("s1", "a", 1), op("s2", "c", -1))
	if got := e.slice("k", all()); got != "s1{a:2 b:2} s2{c:-1}" {
		t.Errorf("got %q", got)
	}
	got, err := e.st.Get(e.tbl, []byte("k"), []byte("s1"), []byte("a"))
	if err != nil || renderOne(got) != "a:2" {
		t.Errorf("get = %v %v", got, err)
	}
	// A super column deletion is a row deletion in 3.11's layout: it
	// compares timestamps with the counters (an older one hides nothing).
	e.apply("k", Op{Kind: OpDeleteSuper, Super: []byte("s1"), Timestamp: 1})
	if got := e.slice("k", all()); got != "s1{a:2 b:2} s2{c:-1}" {
		t.Errorf("after an older super delete: %q", got)
	}
	e.apply("k", Op{Kind: OpDeleteSuper, Super: []byte("s1"), Timestamp: e.st.NowMicros()})
	if got := e.slice("k", all()); got != "s2{c:-1}" {
		t.Errorf("after super delete: %q", got)
	}
	e.clock.Advance(time.Second)
	e.apply("k", op("s1", "a", 5))
	if got := e.slice("k", all()); got != "s1{a:5} s2{c:-1}" {
		t.Errorf("after a later add: %q", got)
	}
}

func TestMultiSlice(t *testing.T) {
	e := newEnv(t, nil)
	var ops []Op
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		ops = append(ops, put(n, "1", 1))
	}
	e.apply("k", ops...)
	e.apply("k", delCol("b", 2))
	sl := func(s, f string) *thriftgen.ColumnSlice {
		c := &thriftgen.ColumnSlice{}
		if s != "" {
			c.Start = []byte(s)
		}
		if f != "" {
			c.Finish = []byte(f)
		}
		return c
	}
	cases := []struct {
		name     string
		slices   []*thriftgen.ColumnSlice
		reversed bool
		count    int32
		want     string
	}{
		{"disjoint (as dtest's test_multi_slice)", []*thriftgen.ColumnSlice{sl("a", "c"), sl("e", "f")}, false, 1000, "a c e f"},
		{"overlapping merge", []*thriftgen.ColumnSlice{sl("c", "e"), sl("a", "d")}, false, 1000, "a c d e"},
		{"open ends", []*thriftgen.ColumnSlice{sl("", "a"), sl("f", "")}, false, 1000, "a f g"},
		{"total count", []*thriftgen.ColumnSlice{sl("a", "c"), sl("e", "g")}, false, 3, "a c e"},
		{"reversed", []*thriftgen.ColumnSlice{sl("c", "a"), sl("g", "e")}, true, 1000, "g f e c a"},
		{"reversed overlapping", []*thriftgen.ColumnSlice{sl("d", "a"), sl("e", "c")}, true, 3, "e d c"},
		{"contained", []*thriftgen.ColumnSlice{sl("a", "g"), sl("c", "d")}, false, 1000, "a c d e f g"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := e.st.GetMultiSlice(e.tbl, []byte("k"), c.slices, c.reversed, c.count)
			if err != nil {
				t.Fatal(err)
			}
			s := ""
			for i, it := range got {
				if i > 0 {
					s += " "
				}
				s += string(it.Column.Name)
			}
			if s != c.want {
				t.Errorf("got %q, want %q", s, c.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	e := newEnv(t, nil, withIndex("st", bytesType{}))
	e.apply("k", put("a", "1", 100), put("st", "UT", 100))
	e.apply("j", delRow(100))
	if err := e.st.Truncate(e.tbl); err != nil {
		t.Fatal(err)
	}
	if got := e.rangeSlices(nil, all(), keyRange("", "", 10)); got != "" {
		t.Fatalf("after truncate: %q", got)
	}
	// Truncate is not a tombstone: older writes are visible afterwards.
	e.apply("k", put("a", "old", 1))
	e.apply("j", put("a", "old", 1))
	if got := e.rangeSlices(nil, all(), keyRange("", "", 10)); got != "j[a=old@1] | k[a=old@1]" {
		t.Fatalf("after rewrite: %q", got)
	}
	if got := e.indexed("st", "UT", "", 10); got != "" {
		t.Fatalf("index after truncate: %q", got)
	}
}

func TestTableLifecycle(t *testing.T) {
	e := newEnv(t, nil)
	e.apply("k", put("a", "1", 1))
	e.st.DropTable(e.tbl)
	if _, err := e.st.GetSlice(e.tbl, []byte("k"), nil, all()); !errors.Is(err, ErrUnknownTable) {
		t.Fatalf("read dropped: %v", err)
	}
	if err := e.st.Apply(NewRowMutation(e.tbl, []byte("k"), put("a", "1", 1))); !errors.Is(err, ErrUnknownTable) {
		t.Fatalf("write dropped: %v", err)
	}
	// Re-created under the same name: a new ID, empty.
	t2 := newTestTable()
	e.st.CreateTable(t2)
	if got, _ := e.st.GetSlice(t2, []byte("k"), nil, all()); len(got) != 0 {
		t.Fatalf("re-created table not empty: %v", got)
	}
	e.st.DropKeyspace("ks")
	if _, err := e.st.GetSlice(t2, []byte("k"), nil, all()); !errors.Is(err, ErrUnknownTable) {
		t.Fatalf("after drop keyspace: %v", err)
	}
	// One unknown table rejects the whole Apply.
	t3 := newTestTable()
	e.st.CreateTable(t3)
	err := e.st.Apply(NewRowMutation(t3, []byte("k"), put("a", "1", 1)), NewRowMutation(e.tbl, []byte("k"), put("a", "1", 1)))
	if !errors.Is(err, ErrUnknownTable) {
		t.Fatalf("mixed apply: %v", err)
	}
	if got, _ := e.st.GetSlice(t3, []byte("k"), nil, all()); len(got) != 0 {
		t.Fatalf("partial apply: %v", got)
	}
}

func TestSuperPurgeAndRanges(t *testing.T) {
	e := newEnv(t, nil, superCF, withGrace(10))
	e.apply("k", putSub("a", "x", "1", 1), putSub("b", "x", "1", 1), putSub("c", "x", "1", 1), putSub("d", "x", "1", 1))
	if got := e.slice("k", rng("b", "c", false, 10)); got != "b{x=1@1} c{x=1@1}" {
		t.Fatalf("super range: %q", got)
	}
	if got := e.slice("k", rng("c", "b", true, 10)); got != "c{x=1@1} b{x=1@1}" {
		t.Fatalf("reversed super range: %q", got)
	}
	e.apply("k", Op{Kind: OpDeleteSuper, Super: []byte("a"), Timestamp: 5})
	e.apply("k", delRange("b", "c", 5))
	e.apply("k", Op{Kind: OpDeleteRange, Super: []byte("d"), Start: []byte("a"), Finish: []byte("z"), Timestamp: 5})
	e.apply("k", putSub("a", "x", "old", 2), putSub("b", "x", "old", 2), putSub("d", "x", "old", 2))
	if got := e.slice("k", all()); got != "" {
		t.Fatalf("before purge: %q", got)
	}
	e.apply("g", delRow(1))
	e.clock.Advance(11 * time.Second)
	e.st.PurgeTombstones()
	// The tombstones are gone: old writes come back (as in Cassandra after
	// gc_grace), and the ghost row g is forgotten.
	e.apply("k", putSub("a", "x", "old", 2), putSub("b", "x", "old", 2), putSub("d", "x", "old", 2))
	if got := e.slice("k", all()); got != "a{x=old@2} b{x=old@2} d{x=old@2}" {
		t.Fatalf("after purge: %q", got)
	}
	ks, _ := e.st.GetRangeSlices(e.tbl, nil, all(), keyRange("", "", 10))
	if keysOf(ks) != "k" {
		t.Fatalf("rows after purge: %s", keysOf(ks))
	}
}

func TestReversedSuperCounters(t *testing.T) {
	// 3.11's thriftifyCounterSuperColumns reverses a super column's
	// sub-columns when the next one starts, and never the last one's.
	e := newEnv(t, nil, superCF, counterCF)
	op := func(sc, n string) Op { o := add(n, 1); o.Super = []byte(sc); return o }
	e.apply("k", op("s1", "a"), op("s1", "b"), op("s2", "a"), op("s2", "b"), op("s3", "a"), op("s3", "b"))
	if got := e.slice("k", rng("", "", true, 10)); got != "s3{b:1 a:1} s2{b:1 a:1} s1{a:1 b:1}" {
		t.Errorf("reversed: %q", got)
	}
	if got := e.slice("k", rng("", "", true, 2)); got != "s3{b:1 a:1} s2{a:1 b:1}" {
		t.Errorf("reversed, count 2: %q", got)
	}
	if got := e.slice("k", rng("", "", false, 10)); got != "s1{a:1 b:1} s2{a:1 b:1} s3{a:1 b:1}" {
		t.Errorf("forward: %q", got)
	}
}
