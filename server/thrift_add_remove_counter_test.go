package server_test

import (
	"math"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// add and remove_counter, and counter column families under the other
// methods: sums, deletions that win over later increments, counters in
// batches and slices, and the refusals of counter writes.

func TestThriftCounterAddStandard(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p, cp := parent("Counter1"), colPath("Counter1", "c1")
	sum := int64(0)
	for _, d := range []int64{12, -21, 35} {
		must(t, c.Add(ctx, []byte("k"), p, counterColumn("c1", d), ONE))
		sum += d
		if v := counterValue(t, c, "k", cp); v != sum {
			t.Fatalf("counter = %d, want %d", v, sum)
		}
	}
	// Signed 64-bit wrap-around.
	must(t, c.Add(ctx, []byte("w"), p, counterColumn("c", math.MaxInt64), ONE))
	must(t, c.Add(ctx, []byte("w"), p, counterColumn("c", 1), ONE))
	if v := counterValue(t, c, "w", colPath("Counter1", "c")); v != math.MinInt64 {
		t.Fatalf("wrapped counter = %d", v)
	}
}

func TestThriftCounterAddSuper(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := superParent("SuperCounter1", []byte("sc1"))
	must(t, c.Add(ctx, []byte("k"), p, counterColumn("c1", -234), ONE))
	must(t, c.Add(ctx, []byte("k"), p, counterColumn("c2", 52345), ONE))
	got, err := c.Get(ctx, []byte("k"), path("SuperCounter1", []byte("sc1"), nil), ONE)
	must(t, err)
	cs := got.CounterSuperColumn
	if cs == nil || len(cs.Columns) != 2 || cs.Columns[0].Value != -234 || cs.Columns[1].Value != 52345 {
		t.Fatalf("counter super column: %v", got)
	}
	must(t, c.Add(ctx, []byte("k"), p, counterColumn("c1", 52345), ONE))
	if v := counterValue(t, c, "k", path("SuperCounter1", []byte("sc1"), []byte("c1"))); v != -234+52345 {
		t.Fatalf("got %d", v)
	}
}

func TestThriftCounterRemoveAndDeleteWins(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Counter1")
	must(t, c.Add(ctx, []byte("k1"), p, counterColumn("c1", 124), ONE))
	must(t, c.RemoveCounter(ctx, []byte("k1"), colPath("Counter1", "c1"), ONE))
	assertNoPath(t, c, "k1", colPath("Counter1", "c1"))
	// A cell tombstone wins over later increments until purged
	// (Cassandra 3.11's Conflicts.resolveCounter).
	must(t, c.Add(ctx, []byte("k1"), p, counterColumn("c1", 5), ONE))
	assertNoPath(t, c, "k1", colPath("Counter1", "c1"))

	// A row deletion is a partition deletion at the server's microseconds
	// (CassandraServer.remove_counter, FBUtilities.timestampMicros) and
	// compares timestamps like any deletion (DeletionTime.deletes): later
	// increments come back, counting from their own delta.
	must(t, c.Add(ctx, []byte("k2"), p, counterColumn("c1", 124), ONE))
	must(t, c.RemoveCounter(ctx, []byte("k2"), path("Counter1", nil, nil), ONE))
	assertNoPath(t, c, "k2", colPath("Counter1", "c1"))
	must(t, c.Add(ctx, []byte("k2"), p, counterColumn("c2", 1), ONE))
	must(t, c.Add(ctx, []byte("k2"), p, counterColumn("c1", 5), ONE))
	if v := counterValue(t, c, "k2", colPath("Counter1", "c2")); v != 1 {
		t.Fatalf("c2 after a row deletion = %d, want 1", v)
	}
	if v := counterValue(t, c, "k2", colPath("Counter1", "c1")); v != 5 {
		t.Fatalf("c1 after a row deletion = %d, want 5 (not 124+5)", v)
	}

	sp := superParent("SuperCounter1", []byte("sc1"))
	must(t, c.Add(ctx, []byte("k3"), sp, counterColumn("c1", 52345), ONE))
	must(t, c.RemoveCounter(ctx, []byte("k3"), path("SuperCounter1", []byte("sc1"), []byte("c1")), ONE))
	assertNoPath(t, c, "k3", path("SuperCounter1", []byte("sc1"), []byte("c1")))
	must(t, c.Add(ctx, []byte("k4"), sp, counterColumn("c1", 52345), ONE))
	must(t, c.RemoveCounter(ctx, []byte("k4"), path("SuperCounter1", []byte("sc1"), nil), ONE))
	assertNoPath(t, c, "k4", path("SuperCounter1", []byte("sc1"), []byte("c1")))
}

func TestThriftCounterBatch(t *testing.T) {
	c := dtestClient(t, server.Config{})
	// Deltas for the same counter in one batch are summed.
	must(t, c.BatchMutate(ctx, mutationMap{"k1": {"Counter1": {mutCounter("c1", 12), mutCounter("c1", -21)}}}, ONE))
	if v := counterValue(t, c, "k1", colPath("Counter1", "c1")); v != -9 {
		t.Fatalf("got %d", v)
	}
	// Deletions without a timestamp are fine on counter CFs.
	must(t, c.BatchMutate(ctx, mutationMap{"k1": {"Counter1": {mutDel(nil, nil, names("c1"))}}}, ONE))
	assertNoPath(t, c, "k1", colPath("Counter1", "c1"))
	must(t, c.BatchMutate(ctx, mutationMap{"k2": {"Counter1": {mutCounter("c1", 12), mutCounter("c1", -21)}}}, ONE))
	must(t, c.BatchMutate(ctx, mutationMap{"k2": {"Counter1": {mutDel(nil, nil, nil)}}}, ONE))
	assertNoPath(t, c, "k2", colPath("Counter1", "c1"))
	// A client timestamp far in the future does not help: it is replaced
	// by server time and the tombstone wins anyway.
	must(t, c.Add(ctx, []byte("k3"), parent("Counter1"), counterColumn("x", 1), ONE))
	must(t, c.BatchMutate(ctx, mutationMap{"k3": {"Counter1": {mutDel(i64p(math.MinInt64), nil, names("x"))}}}, ONE))
	assertNoPath(t, c, "k3", colPath("Counter1", "x"))
}

func TestThriftCounterSlices(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Counter1")
	for _, a := range []struct {
		n string
		v int64
	}{{"c1", 12}, {"c2", 12}, {"c3", 12}, {"c3", -21}, {"c4", 12}, {"c5", 12}} {
		must(t, c.Add(ctx, []byte("k1"), p, counterColumn(a.n, a.v), ONE))
		must(t, c.Add(ctx, []byte("k2"), p, counterColumn(a.n, a.v), ONE))
	}
	res, err := c.GetSlice(ctx, []byte("k1"), p, names("c3", "c4"), ONE)
	must(t, err)
	if len(res) != 2 || res[0].CounterColumn.Value != -9 || res[1].CounterColumn.Value != 12 {
		t.Fatalf("counter slice: %v", res)
	}
	mres, err := c.MultigetSlice(ctx, [][]byte{[]byte("k1"), []byte("k2")}, p, names("c3", "c4"), ONE)
	must(t, err)
	for _, k := range []string{"k1", "k2"} {
		if r := mres[k]; len(r) != 2 || r[0].CounterColumn.Value != -9 {
			t.Fatalf("multiget %s: %v", k, r)
		}
	}
	for _, tc := range []struct {
		pred *tg.SlicePredicate
		want string
	}{
		{columnRange("c1", "c2", false, 1000), "c1,c2"},
		{columnRange("c3", "c2", true, 1000), "c3,c2"},
		{columnRange("a", "z", false, 1000), "c1,c2,c3,c4,c5"},
		{columnRange("a", "z", false, 2), "c1,c2"},
	} {
		res, err := c.GetSlice(ctx, []byte("k1"), p, tc.pred, ONE)
		must(t, err)
		if got := strings.Join(colNames(t, res), ","); got != tc.want {
			t.Fatalf("%v: got %s want %s", tc.pred, got, tc.want)
		}
	}
	// Super counter slices count whole super columns.
	sp := func(sc string) *tg.ColumnParent { return superParent("SuperCounter1", []byte(sc)) }
	must(t, c.Add(ctx, []byte("s"), sp("sc1"), &tg.CounterColumn{Name: longBytes(4), Value: 4}, ONE))
	must(t, c.Add(ctx, []byte("s"), sp("sc2"), &tg.CounterColumn{Name: longBytes(5), Value: 5}, ONE))
	must(t, c.Add(ctx, []byte("s"), sp("sc2"), &tg.CounterColumn{Name: longBytes(6), Value: 6}, ONE))
	must(t, c.Add(ctx, []byte("s"), sp("sc3"), &tg.CounterColumn{Name: longBytes(7), Value: 7}, ONE))
	res, err = c.GetSlice(ctx, []byte("s"), parent("SuperCounter1"), columnRange("sc2", "sc3", false, 2), ONE)
	must(t, err)
	if got := strings.Join(colNames(t, res), ","); got != "sc2,sc3" || res[0].CounterSuperColumn == nil {
		t.Fatalf("super counter slice %v", res)
	}
	res, err = c.GetSlice(ctx, []byte("s"), parent("SuperCounter1"), columnRange("sc3", "sc2", true, 2), ONE)
	must(t, err)
	if got := strings.Join(colNames(t, res), ","); got != "sc3,sc2" {
		t.Fatalf("reversed super counter slice %v", got)
	}
}

func TestThriftCounterRules(t *testing.T) {
	c := dtestClient(t, server.Config{})
	k := []byte("k")
	mustIRE(t, c.Add(ctx, k, parent("Counter1"), counterColumn("c", 1), tg.ConsistencyLevel_ANY),
		"Consistency level ANY is not yet supported for counter table Counter1")
	mustIRE(t, c.Add(ctx, k, parent("Counter1"), counterColumn("c", 1), tg.ConsistencyLevel_SERIAL),
		"Counter operations are inherently non-serializable")
	mustIRE(t, c.RemoveCounter(ctx, k, colPath("Counter1", "c"), tg.ConsistencyLevel_LOCAL_SERIAL),
		"Counter operations are inherently non-serializable")
	mustIRE(t, c.BatchMutate(ctx, mutationMap{"k": {"Counter1": {mutCounter("c", 1)}}}, tg.ConsistencyLevel_SERIAL),
		"Counter operations are inherently non-serializable")
	mustIRE(t, c.RemoveCounter(ctx, k, colPath("Standard1", "c"), ONE), "invalid operation for non commutative table Standard1")
	mustIRE(t, c.Remove(ctx, k, colPath("Counter1", "c"), 1, ONE), "invalid operation for commutative table Counter1")
	_, err := c.Cas(ctx, k, "Counter1", []*tg.Column{}, []*tg.Column{col("c", "v", 1)}, tg.ConsistencyLevel_SERIAL, tg.ConsistencyLevel_QUORUM)
	mustIRE(t, err, "invalid operation for commutative table Counter1")
	_, err = c.GetIndexedSlices(ctx, parent("Counter1"), &tg.IndexClause{Expressions: []*tg.IndexExpression{}, StartKey: []byte{}, Count: 10}, columnRange("", "", false, 10), ONE)
	mustIRE(t, err, "invalid operation for commutative table Counter1")
	// Cassandra 3.11's truncate validates the table as a non-counter
	// operation (CassandraServer.truncate: validateColumnFamily(ks, cf, false)).
	mustIRE(t, c.Truncate(ctx, "Counter1"), "invalid operation for commutative table Counter1")
}

func TestThriftCounterDeleteRules(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Counter1")
	// A range deletion (stamped with the server's microseconds,
	// ThriftValidation.validateDeletion) hides the counters updated before
	// it; a later increment comes back from its own delta, as 3.11 compares
	// range tombstones and counters by timestamp (DeletionTime.deletes).
	for _, n := range []string{"a", "b", "c"} {
		must(t, c.Add(ctx, []byte("r"), p, counterColumn(n, 1), ONE))
	}
	must(t, c.BatchMutate(ctx, mutationMap{"r": {"Counter1": {mutDel(nil, nil, columnRange("a", "b", false, 100))}}}, ONE))
	res, err := c.GetSlice(ctx, []byte("r"), p, columnRange("", "", false, 100), ONE)
	must(t, err)
	if len(res) != 1 || string(res[0].CounterColumn.Name) != "c" {
		t.Fatalf("right after the range delete: %v", res)
	}
	must(t, c.Add(ctx, []byte("r"), p, counterColumn("a", 5), ONE))
	must(t, c.Add(ctx, []byte("r"), p, counterColumn("c", 5), ONE))
	res, err = c.GetSlice(ctx, []byte("r"), p, columnRange("", "", false, 100), ONE)
	must(t, err)
	if len(res) != 2 || string(res[0].CounterColumn.Name) != "a" || res[0].CounterColumn.Value != 5 ||
		string(res[1].CounterColumn.Name) != "c" || res[1].CounterColumn.Value != 6 {
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
	// A super counter row delete hides every sub-counter written before
	// it, not those written after.
	sp := superParent("SuperCounter1", []byte("sc"))
	must(t, c.Add(ctx, []byte("w"), sp, counterColumn("a", 1), ONE))
	must(t, c.BatchMutate(ctx, mutationMap{"w": {"SuperCounter1": {mutDel(nil, nil, nil)}}}, ONE))
	must(t, c.Add(ctx, []byte("w"), superParent("SuperCounter1", []byte("other")), counterColumn("b", 1), ONE))
	res, err = c.GetSlice(ctx, []byte("w"), parent("SuperCounter1"), columnRange("", "", false, 100), ONE)
	must(t, err)
	if len(res) != 1 || string(res[0].CounterSuperColumn.Name) != "other" || res[0].CounterSuperColumn.Columns[0].Value != 1 {
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

func TestThriftSuperCounterDeleteScopes(t *testing.T) {
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
	// A super column tombstone is a row deletion in 3.11's layout
	// (CassandraServer.internal_remove: emptyDeletedRow): it hides the
	// counters of that super column written before it, not later ones,
	// and nothing in other super columns.
	must(t, c.RemoveCounter(ctx, []byte("k"), path("SuperCounter1", []byte("s1"), nil), ONE))
	if _, ok := value("k", "s1", "b"); ok {
		t.Fatal("counter of a deleted super column is visible")
	}
	must(t, c.Add(ctx, []byte("k"), sp("s1"), counterColumn("c", 1), ONE))
	must(t, c.Add(ctx, []byte("k"), sp("s2"), counterColumn("c", 1), ONE))
	if v, ok := value("k", "s1", "c"); !ok || v != 1 {
		t.Fatalf("counter added after the super column deletion: %d %v", v, ok)
	}
	if v, ok := value("k", "s2", "c"); !ok || v != 1 {
		t.Fatalf("other super column: %d %v", v, ok)
	}
	must(t, c.RemoveCounter(ctx, []byte("k"), path("SuperCounter1", []byte("s1"), nil), ONE))
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
	// 3.11 refuses a range deletion of sub-counters inside a super column
	// (CassandraServer.deleteColumnOrSuperColumn), and writes nothing.
	mustIRE(t, c.BatchMutate(ctx, mutationMap{"k": {"SuperCounter1": {mutDel(nil, []byte("s2"), columnRange("a", "b", false, 10))}}}, ONE),
		"Cannot delete a range of subcolumns in a super column")
	if v, ok := value("k", "s2", "a"); !ok || v != 3 {
		t.Fatalf("sub-counter after a refused range deletion: %d %v", v, ok)
	}
}

// TestThriftCounterBadCalls sends add and remove_counter requests that
// Cassandra refuses and checks each error: single faults (from dtest's
// test_bad_calls) and several faults at once, where the error shows which
// check Cassandra runs first.
func TestThriftCounterBadCalls(t *testing.T) {
	c := dtestClient(t, server.Config{})
	const ANY = tg.ConsistencyLevel_ANY
	const SERIAL = tg.ConsistencyLevel_SERIAL
	empty := []byte{}
	k := []byte("k")
	key1 := []byte("key1")
	runErrCases(t, []errCase{
		// One fault at a time (dtest's test_bad_calls).
		{"counters do not support ANY", func() error {
			return c.Add(ctx, key1, superParent("Counter1", []byte("x")), &tg.CounterColumn{Name: []byte("y"), Value: 1}, tg.ConsistencyLevel_ANY)
		}, "Consistency level ANY is not yet supported for counter table Counter1"},
		{"add to a normal CF", func() error {
			return c.Add(ctx, key1, parent("Standard1"), &tg.CounterColumn{Name: []byte("c"), Value: 1}, ONE)
		}, "invalid operation for non commutative table Standard1"},
		// Two or more faults at once: the error shows which check
		// Cassandra runs first.
		// add: non-counter CF, key, counter CL, parent, super name, name.
		{"add/normal CF+empty key", func() error {
			return c.Add(ctx, empty, parent("Standard1"), counterColumn("c", 1), ANY)
		}, "invalid operation for non commutative table Standard1"},
		{"add/empty key+ANY", func() error {
			return c.Add(ctx, empty, parent("Counter1"), counterColumn("c", 1), ANY)
		}, "Key may not be empty"},
		{"add/ANY+bad parent", func() error {
			return c.Add(ctx, k, superParent("Counter1", []byte("sc")), counterColumn("", 1), ANY)
		}, "Consistency level ANY is not yet supported for counter table Counter1"},
		{"add/SERIAL+bad parent", func() error {
			return c.Add(ctx, k, superParent("Counter1", []byte("sc")), counterColumn("", 1), SERIAL)
		}, "Counter operations are inherently non-serializable"},
		{"add/bad parent+empty name", func() error {
			return c.Add(ctx, k, superParent("Counter1", []byte("sc")), counterColumn("", 1), ONE)
		}, "table alone is required for standard CF Counter1"},
		{"add/super without sc", func() error {
			return c.Add(ctx, k, parent("SuperCounter1"), counterColumn("", 1), ONE)
		}, "missing mandatory super column name for super CF SuperCounter1"},
		{"add/empty name", func() error {
			return c.Add(ctx, k, parent("Counter1"), counterColumn("", 1), ONE)
		}, "column name must not be empty"},
		{"add/TWO", func() error {
			return c.Add(ctx, k, parent("Counter1"), counterColumn("c", 1), tg.ConsistencyLevel_TWO)
		}, "UE"},
		// remove_counter: normal CF, key, path, counter CL.
		{"remove_counter/normal CF", func() error {
			return c.RemoveCounter(ctx, empty, colPath("Standard1", "c"), ANY)
		}, "invalid operation for non commutative table Standard1"},
		{"remove_counter/empty key+ANY", func() error {
			return c.RemoveCounter(ctx, empty, colPath("Counter1", "c"), ANY)
		}, "Key may not be empty"},
		{"remove_counter/SERIAL", func() error {
			return c.RemoveCounter(ctx, k, colPath("Counter1", "c"), SERIAL)
		}, "Counter operations are inherently non-serializable"},
		{"remove_counter/ANY", func() error {
			return c.RemoveCounter(ctx, k, colPath("Counter1", "c"), ANY)
		}, "Consistency level ANY is not yet supported for counter table Counter1"},
	})
}
