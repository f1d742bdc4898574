package server_test

import (
	"math"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

func counterColumn(name string, v int64) *tg.CounterColumn {
	return &tg.CounterColumn{Name: []byte(name), Value: v}
}

func counterValue(t testing.TB, c *client, key string, p *tg.ColumnPath) int64 {
	t.Helper()
	got, err := c.Get(ctx, []byte(key), p, ONE)
	must(t, err)
	if got.CounterColumn == nil {
		t.Fatalf("not a counter: %v", got)
	}
	if got.Column != nil {
		t.Fatalf("counter read also set column: %v", got)
	}
	return got.CounterColumn.Value
}

func TestCounterAddStandard(t *testing.T) {
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

func TestCounterAddSuper(t *testing.T) {
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

func TestCounterRemoveAndDeleteWins(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Counter1")
	must(t, c.Add(ctx, []byte("k1"), p, counterColumn("c1", 124), ONE))
	must(t, c.RemoveCounter(ctx, []byte("k1"), colPath("Counter1", "c1"), ONE))
	assertNoPath(t, c, "k1", colPath("Counter1", "c1"))
	// Cassandra 2.x: the tombstone wins over later increments until purged.
	must(t, c.Add(ctx, []byte("k1"), p, counterColumn("c1", 5), ONE))
	assertNoPath(t, c, "k1", colPath("Counter1", "c1"))

	must(t, c.Add(ctx, []byte("k2"), p, counterColumn("c1", 124), ONE))
	must(t, c.RemoveCounter(ctx, []byte("k2"), path("Counter1", nil, nil), ONE))
	assertNoPath(t, c, "k2", colPath("Counter1", "c1"))
	must(t, c.Add(ctx, []byte("k2"), p, counterColumn("c2", 1), ONE)) // any counter of the row
	assertNoPath(t, c, "k2", colPath("Counter1", "c2"))

	sp := superParent("SuperCounter1", []byte("sc1"))
	must(t, c.Add(ctx, []byte("k3"), sp, counterColumn("c1", 52345), ONE))
	must(t, c.RemoveCounter(ctx, []byte("k3"), path("SuperCounter1", []byte("sc1"), []byte("c1")), ONE))
	assertNoPath(t, c, "k3", path("SuperCounter1", []byte("sc1"), []byte("c1")))
	must(t, c.Add(ctx, []byte("k4"), sp, counterColumn("c1", 52345), ONE))
	must(t, c.RemoveCounter(ctx, []byte("k4"), path("SuperCounter1", []byte("sc1"), nil), ONE))
	assertNoPath(t, c, "k4", path("SuperCounter1", []byte("sc1"), []byte("c1")))
}

func TestCounterBatch(t *testing.T) {
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

func TestCounterSlices(t *testing.T) {
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

func TestCounterRules(t *testing.T) {
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
	// Truncate is allowed on counter tables in 2.2.
	must(t, c.Truncate(ctx, "Counter1"))
}
