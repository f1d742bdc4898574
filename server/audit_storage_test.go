package server_test

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Audit: storage semantics of reference §3 (reconciliation, deletions,
// TTL, counters) and the result rules of get_slice (§2.6).

type mutationMap = map[string]map[string][]*tg.Mutation

func getColumn(t *testing.T, c *client, key string, p *tg.ColumnPath) *tg.Column {
	t.Helper()
	got, err := c.Get(ctx, []byte(key), p, ONE)
	must(t, err)
	if got.Column == nil {
		t.Fatalf("get %v: not a column: %v", p, got)
	}
	return got.Column
}

func TestAuditDeletionTiesHideEqualTimestamps(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Standard1")
	// Row tombstone at T hides a later write at T, not one at T+1.
	must(t, c.Remove(ctx, []byte("r"), path("Standard1", nil, nil), 5, ONE))
	c.insert(t, "r", p, col("a", "v", 5))
	assertNoPath(t, c, "r", colPath("Standard1", "a"))
	c.insert(t, "r", p, col("b", "v", 6))
	assertColumn(t, c, "Standard1", "r", "b", "v", 6)
	assertNoPath(t, c, "r", colPath("Standard1", "a"))

	// Range tombstone [b, d] at T: inclusive bounds, ties go to it.
	c.insert(t, "g", p, col("a", "v", 1), col("b", "v", 1), col("c", "v", 1), col("d", "v", 1), col("e", "v", 1))
	must(t, c.BatchMutate(ctx, mutationMap{"g": {"Standard1": {mutDel(i64p(3), nil, columnRange("b", "d", false, 1))}}}, ONE))
	if got := strings.Join(colNames(t, c.bigSlice(t, "g", p)), ","); got != "a,e" {
		t.Fatalf("after range delete: %s", got)
	}
	c.insert(t, "g", p, col("c", "tie", 3))
	assertNoPath(t, c, "g", colPath("Standard1", "c"))
	c.insert(t, "g", p, col("c", "new", 4))
	assertColumn(t, c, "Standard1", "g", "c", "new", 4)
	// Open bounds: an empty finish runs to the end of the row.
	must(t, c.BatchMutate(ctx, mutationMap{"g": {"Standard1": {mutDel(i64p(10), nil, columnRange("d", "", false, 1))}}}, ONE))
	if got := strings.Join(colNames(t, c.bigSlice(t, "g", p)), ","); got != "a,c" {
		t.Fatalf("after open range delete: %s", got)
	}
	// count and reversed are ignored when a range deletion is applied:
	// [start, finish] is taken as given, so a reversed (c, a) passes
	// validation and then covers nothing (C21 deleteColumnOrSuperColumn).
	c.insert(t, "h", p, col("a", "v", 1), col("b", "v", 1), col("c", "v", 1))
	must(t, c.BatchMutate(ctx, mutationMap{"h": {"Standard1": {mutDel(i64p(3), nil, columnRange("c", "a", true, 1))}}}, ONE))
	if got := strings.Join(colNames(t, c.bigSlice(t, "h", p)), ","); got != "a,b,c" {
		t.Fatalf("reversed range delete left %s", got)
	}
	must(t, c.BatchMutate(ctx, mutationMap{"h": {"Standard1": {mutDel(i64p(3), nil, columnRange("a", "c", false, 1))}}}, ONE))
	if got := c.bigSlice(t, "h", p); len(got) != 0 {
		t.Fatalf("range delete with count 1 left %v", colNames(t, got))
	}

	// Super column tombstone at T hides a sub-column written at T.
	sp := superParent("Super1", []byte("sc"))
	c.insert(t, "s", sp, bcol(longBytes(1), "v", 1))
	must(t, c.Remove(ctx, []byte("s"), path("Super1", []byte("sc"), nil), 7, ONE))
	c.insert(t, "s", sp, bcol(longBytes(2), "v", 7))
	assertNoPath(t, c, "s", path("Super1", []byte("sc"), longBytes(2)))
	c.insert(t, "s", sp, bcol(longBytes(3), "v", 8))
	got, err := c.Get(ctx, []byte("s"), path("Super1", []byte("sc"), nil), ONE)
	must(t, err)
	if got.SuperColumn == nil || len(got.SuperColumn.Columns) != 1 || !bytes.Equal(got.SuperColumn.Columns[0].Name, longBytes(3)) {
		t.Fatalf("super column after tombstone: %v", got)
	}

	// Within one batch a deletion and an insert at the same timestamp:
	// the deletion wins, whatever their order in the list.
	for _, order := range [][]*tg.Mutation{
		{mutCol(col("x", "v", 9)), mutDel(i64p(9), nil, names("x"))},
		{mutDel(i64p(9), nil, names("x")), mutCol(col("x", "v", 9))},
		{mutCol(col("x", "v", 9)), mutDel(i64p(9), nil, nil)},
	} {
		must(t, c.BatchMutate(ctx, mutationMap{"b": {"Standard1": order}}, ONE))
		assertNoPath(t, c, "b", colPath("Standard1", "x"))
	}
	must(t, c.BatchMutate(ctx, mutationMap{"b": {"Standard1": {mutDel(i64p(9), nil, nil), mutCol(col("y", "v", 10))}}}, ONE))
	assertColumn(t, c, "Standard1", "b", "y", "v", 10)
	// Two live cells tying: the signed-greater value wins, also inside a batch.
	must(t, c.BatchMutate(ctx, mutationMap{"b": {"Standard1": {mutCol(bcol([]byte("z"), "\x80\x00", 11)), mutCol(bcol([]byte("z"), "\x01", 11))}}}, ONE))
	assertColumn(t, c, "Standard1", "b", "z", "\x01", 11)
	// Timestamps at the extremes of int64.
	c.insert(t, "m", p, col("a", "min", math.MinInt64), col("b", "max", math.MaxInt64))
	assertColumn(t, c, "Standard1", "m", "a", "min", math.MinInt64)
	must(t, c.Remove(ctx, []byte("m"), colPath("Standard1", "b"), math.MaxInt64, ONE))
	assertNoPath(t, c, "m", colPath("Standard1", "b"))
}

func TestAuditTTLReconciliation(t *testing.T) {
	clk := cassatest.NewClock(clockStart)
	c := dtestClient(t, server.Config{Clock: clk.Now})
	p := parent("Standard1")
	// Same value and timestamp, both expiring: the later expiry wins,
	// whichever arrives first.
	c.insert(t, "e1", p, ttlCol("c", "v", 5, 10), ttlCol("c", "v", 5, 100))
	c.insert(t, "e2", p, ttlCol("c", "v", 5, 100), ttlCol("c", "v", 5, 10))
	for _, k := range []string{"e1", "e2"} {
		if got := getColumn(t, c, k, colPath("Standard1", "c")); got.GetTTL() != 100 {
			t.Fatalf("%s: ttl %d, want 100", k, got.GetTTL())
		}
	}
	// Regular against expiring, same value and timestamp: keep the regular
	// cell (reference §3.1 item 4 Rec).
	c.insert(t, "r1", p, col("c", "v", 5), ttlCol("c", "v", 5, 1))
	c.insert(t, "r2", p, ttlCol("c", "v", 5, 1), col("c", "v", 5))
	clk.Advance(50 * time.Second)
	for _, k := range []string{"e1", "e2"} {
		getColumn(t, c, k, colPath("Standard1", "c"))
	}
	for _, k := range []string{"r1", "r2"} {
		if got := getColumn(t, c, k, colPath("Standard1", "c")); got.IsSetTTL() {
			t.Fatalf("%s: kept the expiring cell: %v", k, got)
		}
	}
	// An expired cell at T beats a live cell at T with a greater value.
	c.insert(t, "x", p, ttlCol("c", "\x01", 5, 1))
	clk.Advance(2 * time.Second)
	c.insert(t, "x", p, col("c", "\x7f", 5))
	assertNoPath(t, c, "x", colPath("Standard1", "c"))
	// A live TTL cell at T against a live regular cell at T with a greater
	// value: the value decides, not the TTL.
	c.insert(t, "y", p, ttlCol("c", "\x02", 5, 1000), col("c", "\x01", 5))
	if got := getColumn(t, c, "y", colPath("Standard1", "c")); string(got.Value) != "\x02" || got.GetTTL() != 1000 {
		t.Fatalf("y: %v", got)
	}
}

func TestAuditTTLReportedEverywhere(t *testing.T) {
	clk := cassatest.NewClock(clockStart)
	c := dtestClient(t, server.Config{Clock: clk.Now})
	p := parent("Standard1")
	c.insert(t, "k", p, ttlCol("a", "v", 1, 60))
	clk.Advance(30 * time.Second)
	check := func(where string, cols []*tg.ColumnOrSuperColumn) {
		t.Helper()
		if len(cols) != 1 || cols[0].Column == nil || cols[0].Column.GetTTL() != 60 {
			t.Fatalf("%s: want original ttl 60, got %v", where, cols)
		}
	}
	check("get_slice", c.bigSlice(t, "k", p))
	mg, err := c.MultigetSlice(ctx, [][]byte{[]byte("k")}, p, names("a"), ONE)
	must(t, err)
	check("multiget_slice", mg["k"])
	rows, err := c.GetRangeSlices(ctx, p, names("a"), keyRange("k", "k", 10), ONE)
	must(t, err)
	check("get_range_slices", rows[0].Columns)
	rows, err = c.GetPagedSlice(ctx, "Standard1", keyRange("k", "k", 10), nil, ONE)
	must(t, err)
	check("get_paged_slice", rows[0].Columns)
	ms := tg.NewMultiSliceRequest()
	ms.Key, ms.ColumnParent, ms.ColumnSlices = []byte("k"), p, []*tg.ColumnSlice{{}}
	res, err := c.GetMultiSlice(ctx, ms)
	must(t, err)
	check("get_multi_slice", res)

	// Default TTL of the CF applies on insert, batch_mutate and cas (2.x),
	// and reads report it.
	e := parent("Expiring")
	c.insert(t, "d", e, col("ins", "v", 1))
	must(t, c.BatchMutate(ctx, mutationMap{"d": {"Expiring": {mutCol(col("bat", "v", 1))}}}, ONE))
	r, err := c.Cas(ctx, []byte("d2"), "Expiring", nil, []*tg.Column{col("cas", "v", 1)}, tg.ConsistencyLevel_SERIAL, ONE)
	must(t, err)
	if !r.Success {
		t.Fatalf("cas on empty row failed: %v", r)
	}
	for _, tc := range []struct{ key, name string }{{"d", "ins"}, {"d", "bat"}, {"d2", "cas"}} {
		if got := getColumn(t, c, tc.key, colPath("Expiring", tc.name)); got.GetTTL() != 2 {
			t.Errorf("%s/%s: ttl %d, want the CF default 2", tc.key, tc.name, got.GetTTL())
		}
	}
	// An explicit TTL overrides the default.
	c.insert(t, "d", e, ttlCol("own", "v", 1, 50))
	if got := getColumn(t, c, "d", colPath("Expiring", "own")); got.GetTTL() != 50 {
		t.Fatalf("explicit ttl: %v", got)
	}
	clk.Advance(3 * time.Second)
	if got := colNames(t, c.bigSlice(t, "d", e)); strings.Join(got, ",") != "own" {
		t.Fatalf("after default expiry: %v", got)
	}
}

func TestAuditCasTimestampsAndTTL(t *testing.T) {
	c := dtestClient(t, server.Config{})
	const SERIAL = tg.ConsistencyLevel_SERIAL
	// 2.x ignores updates[].ttl.
	r, err := c.Cas(ctx, []byte("k"), "Standard1", nil, []*tg.Column{ttlCol("a", "v", 1, 100)}, SERIAL, ONE)
	must(t, err)
	if !r.Success || r.IsSetCurrentValues() {
		t.Fatalf("cas result %v", r)
	}
	got := getColumn(t, c, "k", colPath("Standard1", "a"))
	if got.IsSetTTL() {
		t.Errorf("cas honoured updates[].ttl: %v", got)
	}
	// The client timestamp is replaced by the ballot's (current time in
	// µs), so an insert at a small timestamp cannot override it.
	if got.GetTimestamp() == 1 {
		t.Errorf("cas kept the client timestamp 1")
	}
	c.insert(t, "k", parent("Standard1"), col("a", "old", 2))
	if got := getColumn(t, c, "k", colPath("Standard1", "a")); string(got.Value) != "v" {
		t.Errorf("insert at ts 2 overrode a cas write: %v", got)
	}
	// Empty expected fails on a row whose only content is a tombstone? No:
	// a row with no live cell counts as absent.
	must(t, c.Remove(ctx, []byte("t"), path("Standard1", nil, nil), 5, ONE))
	r, err = c.Cas(ctx, []byte("t"), "Standard1", []*tg.Column{}, []*tg.Column{col("a", "v", 1)}, SERIAL, ONE)
	must(t, err)
	if !r.Success {
		t.Fatalf("cas on a deleted row: %v", r)
	}
	// Empty expected on a live row: current_values is the first live column.
	c.insert(t, "f", parent("Standard1"), col("b", "1", 1), col("c", "2", 1))
	r, err = c.Cas(ctx, []byte("f"), "Standard1", nil, []*tg.Column{col("a", "v", 1)}, SERIAL, ONE)
	must(t, err)
	if r.Success || len(r.CurrentValues) != 1 || string(r.CurrentValues[0].Name) != "b" {
		t.Fatalf("cas on live row: %v", r)
	}
	// Expected names that are missing yield [] current values; others are
	// ignored; a mismatch lists only the expected names that are live.
	r, err = c.Cas(ctx, []byte("f"), "Standard1", []*tg.Column{col("b", "1", 0), col("zz", "x", 0)}, []*tg.Column{col("a", "v", 1)}, SERIAL, ONE)
	must(t, err)
	if r.Success || len(r.CurrentValues) != 1 || string(r.CurrentValues[0].Name) != "b" {
		t.Fatalf("cas with a missing expected column: %v", r)
	}
	r, err = c.Cas(ctx, []byte("f"), "Standard1", []*tg.Column{col("b", "1", 0)}, []*tg.Column{col("a", "v", 1)}, tg.ConsistencyLevel_LOCAL_SERIAL, ONE)
	must(t, err)
	if !r.Success {
		t.Fatalf("cas with matching expected: %v", r)
	}
	// An expected value compared byte for byte: a different length fails.
	r, err = c.Cas(ctx, []byte("f"), "Standard1", []*tg.Column{col("b", "1\x00", 0)}, []*tg.Column{col("a", "w", 1)}, SERIAL, ONE)
	must(t, err)
	if r.Success {
		t.Fatalf("cas matched a longer value")
	}
}

func TestAuditCounterDeleteRules(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Counter1")
	// A range deletion kills the covered counters for good (2.x).
	for _, n := range []string{"a", "b", "c"} {
		must(t, c.Add(ctx, []byte("r"), p, counterColumn(n, 1), ONE))
	}
	must(t, c.BatchMutate(ctx, mutationMap{"r": {"Counter1": {mutDel(nil, nil, columnRange("a", "b", false, 100))}}}, ONE))
	must(t, c.Add(ctx, []byte("r"), p, counterColumn("a", 5), ONE))
	must(t, c.Add(ctx, []byte("r"), p, counterColumn("c", 5), ONE))
	res, err := c.GetSlice(ctx, []byte("r"), p, columnRange("", "", false, 100), ONE)
	must(t, err)
	if len(res) != 1 || res[0].CounterColumn == nil || string(res[0].CounterColumn.Name) != "c" || res[0].CounterColumn.Value != 6 {
		t.Fatalf("after range delete: %v", res)
	}
	// A deletion and an increment in the same batch: the tombstone wins.
	must(t, c.BatchMutate(ctx, mutationMap{"s": {"Counter1": {mutCounter("a", 3), mutDel(nil, nil, names("a"))}}}, ONE))
	assertNoPath(t, c, "s", colPath("Counter1", "a"))
	// Other rows are untouched by a row deletion.
	must(t, c.Add(ctx, []byte("u"), p, counterColumn("a", 1), ONE))
	must(t, c.RemoveCounter(ctx, []byte("v"), path("Counter1", nil, nil), ONE))
	if v := counterValue(t, c, "u", colPath("Counter1", "a")); v != 1 {
		t.Fatalf("other row: %d", v)
	}
	// Super counter row delete kills every sub-counter.
	sp := superParent("SuperCounter1", []byte("sc"))
	must(t, c.Add(ctx, []byte("w"), sp, counterColumn("a", 1), ONE))
	must(t, c.BatchMutate(ctx, mutationMap{"w": {"SuperCounter1": {mutDel(nil, nil, nil)}}}, ONE))
	must(t, c.Add(ctx, []byte("w"), superParent("SuperCounter1", []byte("other")), counterColumn("b", 1), ONE))
	res, err = c.GetSlice(ctx, []byte("w"), parent("SuperCounter1"), columnRange("", "", false, 100), ONE)
	must(t, err)
	if len(res) != 0 {
		t.Fatalf("super counter row after delete: %v", res)
	}
	// Counters wrap as signed 64-bit values.
	must(t, c.Add(ctx, []byte("x"), p, counterColumn("a", math.MaxInt64), ONE))
	must(t, c.Add(ctx, []byte("x"), p, counterColumn("a", 2), ONE))
	if v := counterValue(t, c, "x", colPath("Counter1", "a")); v != math.MinInt64+1 {
		t.Fatalf("wrap: %d", v)
	}
	// get returns counter_column only.
	got, err := c.Get(ctx, []byte("x"), colPath("Counter1", "a"), ONE)
	must(t, err)
	if got.Column != nil || got.CounterColumn == nil || got.SuperColumn != nil {
		t.Fatalf("counter get: %v", got)
	}
	// A zero delta still creates a counter.
	must(t, c.Add(ctx, []byte("z"), p, counterColumn("a", 0), ONE))
	if v := counterValue(t, c, "z", colPath("Counter1", "a")); v != 0 {
		t.Fatalf("zero delta: %d", v)
	}
	// get_count and multiget_count on counters.
	n, err := c.GetCount(ctx, []byte("x"), p, columnRange("", "", false, 100), ONE)
	must(t, err)
	if n != 1 {
		t.Fatalf("get_count counters %d", n)
	}
}

func TestAuditSuperCounting(t *testing.T) {
	c := dtestClient(t, server.Config{})
	for _, sc := range []int64{1, 2, 3} {
		for _, sub := range []int64{10, 20} {
			c.insert(t, "k", superParent("Super3", longBytes(sc)), bcol([]byte{byte('a' + sub)}, "v", 1))
		}
	}
	p := parent("Super3")
	for _, tc := range []struct {
		pred *tg.SlicePredicate
		sc   []byte
		want int32
	}{
		{columnRange("", "", false, 100), nil, 3},
		{columnRange("", "", false, 2), nil, 2},
		{columnRange("", "", false, 100), longBytes(2), 2},
		{columnRange("", "", false, 1), longBytes(2), 1},
		{byteNames(longBytes(3), longBytes(1), longBytes(1), longBytes(9)), nil, 2},
		{names(string([]byte{'a' + 20}), string([]byte{'a' + 20})), longBytes(1), 1},
	} {
		pp := p
		if tc.sc != nil {
			pp = superParent("Super3", tc.sc)
		}
		n, err := c.GetCount(ctx, []byte("k"), pp, tc.pred, ONE)
		must(t, err)
		if n != tc.want {
			t.Errorf("get_count(%v, sc=%x) = %d, want %d", tc.pred, tc.sc, n, tc.want)
		}
		mc, err := c.MultigetCount(ctx, [][]byte{[]byte("k"), []byte("none")}, pp, tc.pred, ONE)
		must(t, err)
		if mc["k"] != tc.want || len(mc) != 2 || mc["none"] != 0 {
			t.Errorf("multiget_count(%v, sc=%x) = %v, want %d", tc.pred, tc.sc, mc, tc.want)
		}
		res, err := c.GetSlice(ctx, []byte("k"), pp, tc.pred, ONE)
		must(t, err)
		if int32(len(res)) != tc.want {
			t.Errorf("get_slice(%v, sc=%x) has %d items, want %d", tc.pred, tc.sc, len(res), tc.want)
		}
	}
	// column_names on whole super columns: comparator order, duplicates
	// collapsed, each with all its sub-columns.
	res, err := c.GetSlice(ctx, []byte("k"), p, byteNames(longBytes(3), longBytes(1), longBytes(3)), ONE)
	must(t, err)
	if len(res) != 2 || !bytes.Equal(res[0].SuperColumn.Name, longBytes(1)) || !bytes.Equal(res[1].SuperColumn.Name, longBytes(3)) || len(res[0].SuperColumn.Columns) != 2 {
		t.Fatalf("super column_names: %v", res)
	}
	// Range slices count super columns per row too.
	rows, err := c.GetRangeSlices(ctx, p, columnRange("", "", true, 2), keyRange("", "", 10), ONE)
	must(t, err)
	if len(rows) != 1 || len(rows[0].Columns) != 2 || !bytes.Equal(rows[0].Columns[0].SuperColumn.Name, longBytes(3)) {
		t.Fatalf("range over supers: %v", rows)
	}
	// An empty predicate for get_count counts the whole row (lenient case).
	n, err := c.GetCount(ctx, []byte("k"), p, &tg.SlicePredicate{}, ONE)
	must(t, err)
	if n != 3 {
		t.Errorf("get_count with empty predicate = %d, want 3", n)
	}
}

func TestAuditColumnNamesOrder(t *testing.T) {
	c := dtestClient(t, server.Config{})
	lp := parent("StandardLong1")
	for _, n := range []int64{-5, 0, 7, 1 << 40} {
		c.insert(t, "k", lp, bcol(longBytes(n), "v", 1))
	}
	res, err := c.GetSlice(ctx, []byte("k"), lp, byteNames(longBytes(1<<40), longBytes(7), longBytes(-5), longBytes(7), longBytes(99), longBytes(-5)), ONE)
	must(t, err)
	var got []int64
	for _, r := range res {
		got = append(got, int64FromBytes(r.Column.Name))
	}
	if len(got) != 3 || got[0] != -5 || got[1] != 7 || got[2] != 1<<40 {
		t.Fatalf("column_names order %v, want [-5 7 1099511627776]", got)
	}
	// Reversed ranges: start is the high end, signed comparison.
	_, err = c.GetSlice(ctx, []byte("k"), lp, columnRangeBytes(longBytes(-5), longBytes(7), true, 10), ONE)
	mustIRE(t, err, "range finish must come after start in the order of traversal")
	res, err = c.GetSlice(ctx, []byte("k"), lp, columnRangeBytes(longBytes(7), longBytes(-5), true, 10), ONE)
	must(t, err)
	if len(res) != 3 || int64FromBytes(res[0].Column.Name) != 7 || int64FromBytes(res[2].Column.Name) != -5 {
		t.Fatalf("reversed signed slice %v", res)
	}
	_, err = c.GetSlice(ctx, []byte("k"), lp, columnRangeBytes(longBytes(7), longBytes(-5), false, 10), ONE)
	mustIRE(t, err, "range finish must come after start in the order of traversal")
	// Equal bounds are fine in both directions.
	res, err = c.GetSlice(ctx, []byte("k"), lp, columnRangeBytes(longBytes(7), longBytes(7), true, 10), ONE)
	must(t, err)
	if len(res) != 1 {
		t.Fatalf("start == finish reversed: %v", res)
	}
	// A reversed slice with only a finish bound.
	res, err = c.GetSlice(ctx, []byte("k"), lp, columnRangeBytes(nil, longBytes(0), true, 10), ONE)
	must(t, err)
	if len(res) != 3 || int64FromBytes(res[2].Column.Name) != 0 {
		t.Fatalf("reversed open start: %v", res)
	}
	// count 0 returns nothing, even with data.
	res, err = c.GetSlice(ctx, []byte("k"), lp, columnRangeBytes(nil, nil, false, 0), ONE)
	must(t, err)
	if len(res) != 0 {
		t.Fatalf("count 0: %v", res)
	}

	// IntegerType: 0x0001 and 0x01 are the same column; a later timestamp
	// replaces the earlier cell; 0xff and 0xffff are both -1.
	ip := parent("StandardInteger1")
	c.insert(t, "i", ip, bcol([]byte{0x00, 0x01}, "first", 1), bcol([]byte{0x01}, "second", 2))
	c.insert(t, "i", ip, bcol([]byte{0xff}, "m1", 1), bcol([]byte{0xff, 0xff}, "m1b", 2))
	res, err = c.GetSlice(ctx, []byte("i"), ip, columnRangeBytes(nil, nil, false, 100), ONE)
	must(t, err)
	if len(res) != 2 || string(res[0].Column.Value) != "m1b" || string(res[1].Column.Value) != "second" {
		t.Fatalf("IntegerType equal names: %v", res)
	}
	res, err = c.GetSlice(ctx, []byte("i"), ip, byteNames([]byte{0x01}, []byte{0x00, 0x00, 0x01}, []byte{0x00, 0x01}), ONE)
	must(t, err)
	if len(res) != 1 || string(res[0].Column.Value) != "second" {
		t.Fatalf("IntegerType column_names duplicates: %v", res)
	}
	got1, err := c.Get(ctx, []byte("i"), path("StandardInteger1", nil, []byte{0, 0, 0, 1}), ONE)
	must(t, err)
	if string(got1.Column.Value) != "second" {
		t.Fatalf("IntegerType get: %v", got1)
	}
	n, err := c.GetCount(ctx, []byte("i"), ip, columnRangeBytes(nil, nil, false, 100), ONE)
	must(t, err)
	if n != 2 {
		t.Fatalf("IntegerType count %d", n)
	}
	// Removing 0x00000001 removes the column named 0x01.
	must(t, c.Remove(ctx, []byte("i"), path("StandardInteger1", nil, []byte{0, 0, 0, 1}), 3, ONE))
	assertNoPath(t, c, "i", path("StandardInteger1", nil, []byte{1}))
}

func int64FromBytes(b []byte) int64 {
	var v int64
	for _, x := range b {
		v = v<<8 | int64(x)
	}
	return v
}

func TestAuditMultigetEveryDistinctKey(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Standard1")
	c.insert(t, "a", p, col("c", "v", 1))
	must(t, c.Remove(ctx, []byte("del"), path("Standard1", nil, nil), 1, ONE))
	keys := [][]byte{[]byte("a"), []byte("never"), []byte("a"), []byte("del")}
	res, err := c.MultigetSlice(ctx, keys, p, names("c"), ONE)
	must(t, err)
	if len(res) != 3 || len(res["a"]) != 1 {
		t.Fatalf("multiget_slice %v", res)
	}
	for _, k := range []string{"never", "del"} {
		v, ok := res[k]
		if !ok || v == nil || len(v) != 0 {
			t.Fatalf("multiget_slice[%s] = %v (present %v), want []", k, v, ok)
		}
	}
	cnt, err := c.MultigetCount(ctx, keys, p, names("c"), ONE)
	must(t, err)
	if len(cnt) != 3 || cnt["a"] != 1 || cnt["never"] != 0 {
		t.Fatalf("multiget_count %v", cnt)
	}
	// An empty key list is an empty map.
	res, err = c.MultigetSlice(ctx, [][]byte{}, p, names("c"), ONE)
	must(t, err)
	if len(res) != 0 {
		t.Fatalf("no keys: %v", res)
	}
}

func TestAuditTruncate(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Standard1")
	c.insert(t, "a", p, col("c", "v", 100))
	must(t, c.Remove(ctx, []byte("b"), path("Standard1", nil, nil), 100, ONE))
	c.insert(t, "x", parent("Standard2"), col("c", "v", 1))
	must(t, c.Truncate(ctx, "Standard1"))
	// Truncate is not a tombstone: older writes show afterwards, and the
	// range has no ghosts.
	rows, err := c.GetRangeSlices(ctx, p, names("c"), keyRange("", "", 100), ONE)
	must(t, err)
	if len(rows) != 0 {
		t.Fatalf("ghosts after truncate: %v", rowKeys(rows))
	}
	c.insert(t, "a", p, col("c", "old", 1))
	c.insert(t, "b", p, col("c", "old", 1))
	assertColumn(t, c, "Standard1", "a", "c", "old", 1)
	assertColumn(t, c, "Standard1", "b", "c", "old", 1)
	// Other CFs are untouched.
	assertColumn(t, c, "Standard2", "x", "c", "v", 1)
	// Truncate clears indexes too.
	c.insert(t, "i", parent("Indexed1"), bcol([]byte("birthdate"), string(longBytes(1)), 1))
	must(t, c.Truncate(ctx, "Indexed1"))
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 10, eqExpr("birthdate", longBytes(1)))); len(got) != 0 {
		t.Fatalf("index after truncate: %v", got)
	}
	// Counters can be incremented again after truncate (unlike a delete).
	must(t, c.Add(ctx, []byte("k"), parent("Counter1"), counterColumn("a", 1), ONE))
	must(t, c.Truncate(ctx, "Counter1"))
	must(t, c.Add(ctx, []byte("k"), parent("Counter1"), counterColumn("a", 2), ONE))
	if v := counterValue(t, c, "k", colPath("Counter1", "a")); v != 2 {
		t.Fatalf("counter after truncate %d", v)
	}
}

func TestAuditTTLExpiryUsesWholeSeconds(t *testing.T) {
	// localExpirationTime = now_seconds + ttl, live while now_seconds <
	// localExpirationTime (C21 BufferExpiringCell): a cell written at
	// x.9 s with ttl 2 is gone at (x+2).0 s, 1.1 s later.
	clk := cassatest.NewClock(clockStart)
	clk.Advance(900 * time.Millisecond)
	c := dtestClient(t, server.Config{Clock: clk.Now})
	p := parent("Standard1")
	c.insert(t, "k", p, ttlCol("a", "v", 1, 2))
	clk.Advance(1099 * time.Millisecond) // x+1.999
	getColumn(t, c, "k", colPath("Standard1", "a"))
	clk.Advance(time.Millisecond) // x+2.000
	assertNoPath(t, c, "k", colPath("Standard1", "a"))
}

func TestAuditSuperCounterDeleteScopes(t *testing.T) {
	c := dtestClient(t, server.Config{})
	sp := func(sc string) *tg.ColumnParent { return superParent("SuperCounter1", []byte(sc)) }
	value := func(key, sc, name string) (int64, bool) {
		t.Helper()
		got, err := c.Get(ctx, []byte(key), path("SuperCounter1", []byte(sc), []byte(name)), ONE)
		if err != nil {
			mustNFE(t, err)
			return 0, false
		}
		return got.CounterColumn.Value, true
	}
	// A sub-counter tombstone kills only that counter.
	must(t, c.Add(ctx, []byte("k"), sp("s1"), counterColumn("a", 1), ONE))
	must(t, c.RemoveCounter(ctx, []byte("k"), path("SuperCounter1", []byte("s1"), []byte("a")), ONE))
	must(t, c.Add(ctx, []byte("k"), sp("s1"), counterColumn("a", 5), ONE))
	must(t, c.Add(ctx, []byte("k"), sp("s1"), counterColumn("b", 5), ONE))
	if _, ok := value("k", "s1", "a"); ok {
		t.Fatal("deleted sub-counter came back")
	}
	if v, ok := value("k", "s1", "b"); !ok || v != 5 {
		t.Fatalf("sibling sub-counter: %d %v", v, ok)
	}
	// A super column tombstone kills every counter of that super column,
	// later ones included, and nothing in other super columns.
	must(t, c.RemoveCounter(ctx, []byte("k"), path("SuperCounter1", []byte("s1"), nil), ONE))
	must(t, c.Add(ctx, []byte("k"), sp("s1"), counterColumn("c", 1), ONE))
	must(t, c.Add(ctx, []byte("k"), sp("s2"), counterColumn("c", 1), ONE))
	if _, ok := value("k", "s1", "c"); ok {
		t.Fatal("counter added under a deleted super column is visible")
	}
	if v, ok := value("k", "s2", "c"); !ok || v != 1 {
		t.Fatalf("other super column: %d %v", v, ok)
	}
	// The whole super column read returns counter_super_column, ascending.
	must(t, c.Add(ctx, []byte("k"), sp("s2"), counterColumn("a", 3), ONE))
	got, err := c.Get(ctx, []byte("k"), path("SuperCounter1", []byte("s2"), nil), ONE)
	must(t, err)
	if got.CounterSuperColumn == nil || len(got.CounterSuperColumn.Columns) != 2 || string(got.CounterSuperColumn.Columns[0].Name) != "a" {
		t.Fatalf("counter super column %v", got)
	}
	// get_count on the super counter CF counts live super columns.
	n, err := c.GetCount(ctx, []byte("k"), parent("SuperCounter1"), columnRange("", "", false, 100), ONE)
	must(t, err)
	if n != 1 {
		t.Fatalf("live super counter columns %d", n)
	}
	// A batch deletion of a sub-counter range inside a super column.
	must(t, c.BatchMutate(ctx, mutationMap{"k": {"SuperCounter1": {mutDel(nil, []byte("s2"), columnRange("a", "b", false, 10))}}}, ONE))
	if _, ok := value("k", "s2", "a"); ok {
		t.Fatal("range-deleted sub-counter visible")
	}
	if v, ok := value("k", "s2", "c"); !ok || v != 1 {
		t.Fatalf("sub-counter outside the deleted range: %d %v", v, ok)
	}
}

func TestAuditSuperColumnTTL(t *testing.T) {
	clk := cassatest.NewClock(clockStart)
	c := dtestClient(t, server.Config{Clock: clk.Now})
	sp := superParent("Super1", []byte("sc"))
	c.insert(t, "k", sp, &tg.Column{Name: longBytes(1), Value: []byte("v"), Timestamp: i64p(1), TTL: i32p(10)}, bcol(longBytes(2), "w", 1))
	got, err := c.Get(ctx, []byte("k"), path("Super1", []byte("sc"), nil), ONE)
	must(t, err)
	if len(got.SuperColumn.Columns) != 2 || got.SuperColumn.Columns[0].GetTTL() != 10 || got.SuperColumn.Columns[1].IsSetTTL() {
		t.Fatalf("super column with a TTL sub-column: %v", got)
	}
	clk.Advance(11 * time.Second)
	got, err = c.Get(ctx, []byte("k"), path("Super1", []byte("sc"), nil), ONE)
	must(t, err)
	if len(got.SuperColumn.Columns) != 1 {
		t.Fatalf("expired sub-column still there: %v", got)
	}
	// A super column whose sub-columns all expired is gone: NFE, and not
	// listed or counted, though the row stays a range ghost.
	c.insert(t, "e", sp, &tg.Column{Name: longBytes(1), Value: []byte("v"), Timestamp: i64p(1), TTL: i32p(1)})
	clk.Advance(2 * time.Second)
	_, err = c.Get(ctx, []byte("e"), path("Super1", []byte("sc"), nil), ONE)
	mustNFE(t, err)
	if res := c.bigSlice(t, "e", parent("Super1")); len(res) != 0 {
		t.Fatalf("expired super column listed: %v", res)
	}
	n, err := c.GetCount(ctx, []byte("e"), parent("Super1"), columnRange("", "", false, 100), ONE)
	must(t, err)
	if n != 0 {
		t.Fatalf("expired super column counted: %d", n)
	}
	rows, err := c.GetRangeSlices(ctx, parent("Super1"), columnRange("", "", false, 100), keyRange("e", "e", 10), ONE)
	must(t, err)
	if len(rows) != 1 || len(rows[0].Columns) != 0 {
		t.Fatalf("expired super row in a range: %v", rows)
	}
}
