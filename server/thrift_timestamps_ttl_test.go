package server_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Which version of a cell wins, whichever method wrote it: timestamps and
// their ties (Cell.reconcile), tombstones (DeletionTime: a deletion at T hides
// writes at T), and TTL (ExpiringCell: expiry, reporting, default TTL, the
// 2038 guard).

func TestThriftReconcileTies(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Standard1")
	get := func(name string) *tg.Column {
		t.Helper()
		got, err := c.Get(ctx, []byte("k"), colPath("Standard1", name), ONE)
		must(t, err)
		return got.Column
	}
	// Higher timestamp wins, whatever the order of arrival.
	c.insert(t, "k", p, col("a", "new", 10), col("a", "old", 9))
	mustEqualColumn(t, get("a"), col("a", "new", 10))
	// Equal timestamps: the greater value as SIGNED bytes wins (0x7f > 0x80).
	c.insert(t, "k", p, bcol([]byte("b"), "\x7f", 5), bcol([]byte("b"), "\x80", 5))
	mustEqualColumn(t, get("b"), bcol([]byte("b"), "\x7f", 5))
	c.insert(t, "k", p, bcol([]byte("b2"), "\x80", 5), bcol([]byte("b2"), "\x7f", 5))
	mustEqualColumn(t, get("b2"), bcol([]byte("b2"), "\x7f", 5))
	// A longer value with the same prefix wins.
	c.insert(t, "k", p, col("b3", "ab", 5), col("b3", "a", 5))
	mustEqualColumn(t, get("b3"), col("b3", "ab", 5))
	// Equal timestamps: a tombstone beats a live cell, in either order.
	c.insert(t, "k", p, col("d", "v", 7))
	must(t, c.Remove(ctx, []byte("k"), colPath("Standard1", "d"), 7, ONE))
	_, err := c.Get(ctx, []byte("k"), colPath("Standard1", "d"), ONE)
	mustNFE(t, err)
	must(t, c.Remove(ctx, []byte("k"), colPath("Standard1", "e"), 7, ONE))
	c.insert(t, "k", p, col("e", "v", 7))
	_, err = c.Get(ctx, []byte("k"), colPath("Standard1", "e"), ONE)
	mustNFE(t, err)
	// Negative timestamps are legal.
	c.insert(t, "k", p, col("n", "neg", -5))
	mustEqualColumn(t, get("n"), col("n", "neg", -5))
	must(t, c.Remove(ctx, []byte("k"), colPath("Standard1", "n"), -6, ONE))
	mustEqualColumn(t, get("n"), col("n", "neg", -5))
}

func TestThriftDeletionTiesHideEqualTimestamps(t *testing.T) {
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
	// validation and then covers nothing (Cassandra 2.1's CassandraServer.deleteColumnOrSuperColumn).
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

func TestThriftTTLExpiryWithClock(t *testing.T) {
	clk := cassatest.NewClock(clockStart)
	c := dtestClient(t, server.Config{Clock: clk.Now})
	p := parent("Standard1")
	c.insert(t, "key1", p, ttlCol("cttl3", "value1", 0, 2))
	got, err := c.Get(ctx, []byte("key1"), colPath("Standard1", "cttl3"), ONE)
	must(t, err)
	mustEqualColumn(t, got.Column, ttlCol("cttl3", "value1", 0, 2)) // original TTL reported
	clk.Advance(time.Second)
	got, err = c.Get(ctx, []byte("key1"), colPath("Standard1", "cttl3"), ONE)
	must(t, err)
	if got.Column.GetTTL() != 2 {
		t.Fatalf("ttl after 1s = %d, want the original 2", got.Column.GetTTL())
	}
	clk.Advance(2 * time.Second)
	_, err = c.Get(ctx, []byte("key1"), colPath("Standard1", "cttl3"), ONE)
	mustNFE(t, err)
	if res := c.bigSlice(t, "key1", p); len(res) != 0 {
		t.Fatalf("expired cell in slice: %v", res)
	}
	// The expired cell acts as a tombstone at its own timestamp: an older
	// write stays hidden, a tie loses, a newer write shows.
	c.insert(t, "key1", p, col("cttl3", "older", -1))
	_, err = c.Get(ctx, []byte("key1"), colPath("Standard1", "cttl3"), ONE)
	mustNFE(t, err)
	c.insert(t, "key1", p, col("cttl3", "zzzz", 0))
	_, err = c.Get(ctx, []byte("key1"), colPath("Standard1", "cttl3"), ONE)
	mustNFE(t, err)
	c.insert(t, "key1", p, col("cttl3", "newer", 1))
	got, err = c.Get(ctx, []byte("key1"), colPath("Standard1", "cttl3"), ONE)
	must(t, err)
	mustEqualColumn(t, got.Column, col("cttl3", "newer", 1))
}

func TestThriftTTLDefaultAndBatch(t *testing.T) {
	clk := cassatest.NewClock(clockStart)
	c := dtestClient(t, server.Config{Clock: clk.Now})
	// Expiring has default_time_to_live=2: it applies to insert...
	c.insert(t, "key1", parent("Expiring"), col("cttl3", "value1", 0))
	got, err := c.Get(ctx, []byte("key1"), colPath("Expiring", "cttl3"), ONE)
	must(t, err)
	mustEqualColumn(t, got.Column, ttlCol("cttl3", "value1", 0, 2))
	// ...but not to batch_mutate (Cassandra 3.11's
	// CassandraServer.toLegacyCell writes a regular cell unless ttl > 0;
	// 2.x applied the default there too).
	must(t, c.BatchMutate(ctx, mutationMap{
		"key2": {"Expiring": {mutCol(col("b", "v", 0))}, "Standard1": {mutCol(ttlCol("cttl4", "value1", 0, 2))}},
	}, ONE))
	got, err = c.Get(ctx, []byte("key2"), colPath("Expiring", "b"), ONE)
	must(t, err)
	if got.Column.IsSetTTL() {
		t.Fatalf("batch default ttl = %d, want none", got.Column.GetTTL())
	}
	clk.Advance(3 * time.Second)
	_, err = c.Get(ctx, []byte("key1"), colPath("Expiring", "cttl3"), ONE)
	mustNFE(t, err)
	assertColumn(t, c, "Expiring", "key2", "b", "v", 0)
	_, err = c.Get(ctx, []byte("key2"), colPath("Standard1", "cttl4"), ONE)
	mustNFE(t, err)
}

func TestThriftTTLUpdateAndRemoveExpiring(t *testing.T) {
	clk := cassatest.NewClock(clockStart)
	c := dtestClient(t, server.Config{Clock: clk.Now})
	p := parent("Standard1")
	c.insert(t, "key1", p, ttlCol("cttl4", "value1", 0, 1))
	c.insert(t, "key1", p, col("cttl4", "value1", 1))
	clk.Advance(1500 * time.Millisecond)
	got, err := c.Get(ctx, []byte("key1"), colPath("Standard1", "cttl4"), ONE)
	must(t, err)
	mustEqualColumn(t, got.Column, col("cttl4", "value1", 1))

	c.insert(t, "key1", p, ttlCol("cttl5", "value1", 0, 10))
	must(t, c.Remove(ctx, []byte("key1"), colPath("Standard1", "cttl5"), 1, ONE))
	_, err = c.Get(ctx, []byte("key1"), colPath("Standard1", "cttl5"), ONE)
	mustNFE(t, err)
}

func TestThriftTTL2038Guard(t *testing.T) {
	c := dtestClient(t, server.Config{})
	// 20 years from now passes 2038-01-19: rejected under the default
	// REJECT policy (CASSANDRA-14092).
	err := c.Insert(ctx, []byte("k"), parent("Standard1"), ttlCol("c", "v", 0, 630720000), ONE)
	var e *tg.InvalidRequestException
	if !errors.As(err, &e) || !strings.HasPrefix(e.Why, "Request on table Keyspace1.Standard1 with ttl of 630720000 seconds exceeds maximum supported expiration date of 2038-01-19T03:14:06+00:00.") {
		t.Fatalf("got %v", err)
	}
}

func TestThriftTTLReconciliation(t *testing.T) {
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
	// cell. In 2.x the winner depends on argument order; 3.x keeps the
	// regular cell (Conflicts.resolveRegular treats no TTL as the longest).
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

func TestThriftTTLReportedEverywhere(t *testing.T) {
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

	// Default TTL of the CF applies on insert only (3.11's getTtl);
	// batch_mutate and cas write regular cells (toLegacyCell). Reads report
	// the TTL a cell has.
	e := parent("Expiring")
	c.insert(t, "d", e, col("ins", "v", 1))
	must(t, c.BatchMutate(ctx, mutationMap{"d": {"Expiring": {mutCol(col("bat", "v", 1))}}}, ONE))
	r, err := c.Cas(ctx, []byte("d2"), "Expiring", nil, []*tg.Column{col("cas", "v", 1)}, tg.ConsistencyLevel_SERIAL, ONE)
	must(t, err)
	if !r.Success {
		t.Fatalf("cas on empty row failed: %v", r)
	}
	if got := getColumn(t, c, "d", colPath("Expiring", "ins")); got.GetTTL() != 2 {
		t.Errorf("insert: ttl %d, want the CF default 2", got.GetTTL())
	}
	for _, tc := range []struct{ key, name string }{{"d", "bat"}, {"d2", "cas"}} {
		if got := getColumn(t, c, tc.key, colPath("Expiring", tc.name)); got.IsSetTTL() {
			t.Errorf("%s/%s: ttl %d, want none", tc.key, tc.name, got.GetTTL())
		}
	}
	// An explicit TTL overrides the default, and an explicit 0 means no
	// TTL at all (3.6+).
	c.insert(t, "d", e, ttlCol("own", "v", 1, 50))
	if got := getColumn(t, c, "d", colPath("Expiring", "own")); got.GetTTL() != 50 {
		t.Fatalf("explicit ttl: %v", got)
	}
	c.insert(t, "d", e, ttlCol("zero", "v", 1, 0))
	if got := getColumn(t, c, "d", colPath("Expiring", "zero")); got.IsSetTTL() {
		t.Fatalf("explicit ttl 0: %v", got)
	}
	clk.Advance(3 * time.Second)
	if got := colNames(t, c.bigSlice(t, "d", e)); strings.Join(got, ",") != "bat,own,zero" {
		t.Fatalf("after default expiry: %v", got)
	}
}

func TestThriftTTLExpiryUsesWholeSeconds(t *testing.T) {
	// localExpirationTime = now_seconds + ttl, live while now_seconds <
	// localExpirationTime (Cassandra 2.1's BufferExpiringCell): a cell written at
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

func TestThriftSuperColumnTTL(t *testing.T) {
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
