package server_test

import (
	"fmt"
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Ports of dtest's batch_mutate tests, plus the all-or-nothing rule.

func assertColumn(t testing.TB, c *client, cf, key, name, value string, ts int64) {
	t.Helper()
	got, err := c.Get(ctx, []byte(key), colPath(cf, name), ONE)
	if err != nil {
		t.Fatalf("%s/%s/%s: %v", cf, key, name, err)
	}
	mustEqualColumn(t, got.Column, col(name, value, ts))
}

func assertNoPath(t testing.TB, c *client, key string, p *tg.ColumnPath) {
	t.Helper()
	_, err := c.Get(ctx, []byte(key), p, ONE)
	mustNFE(t, err)
}

func assertPath(t testing.TB, c *client, key string, p *tg.ColumnPath) {
	t.Helper()
	if _, err := c.Get(ctx, []byte(key), p, ONE); err != nil {
		t.Fatalf("%s %v: %v", key, p, err)
	}
}

func TestBatchInsert(t *testing.T) {
	c := dtestClient(t, server.Config{})
	ms := []*tg.Mutation{mutCol(simpleColumns[0]), mutCol(simpleColumns[1])}
	must(t, c.BatchMutate(ctx, mutationMap{"key1": {"Standard1": ms, "Standard2": ms}}, ONE))
	verifySimple(t, c)
	mustEqualColumns(t, columns(t, c.bigSlice(t, "key1", parent("Standard2"))), simpleColumns)
}

func TestBatchMutateStandardColumnsManyKeys(t *testing.T) {
	c := dtestClient(t, server.Config{})
	ms := []*tg.Mutation{mutCol(simpleColumns[0]), mutCol(simpleColumns[1])}
	m := mutationMap{}
	for i := 27; i < 32; i++ {
		m[fmt.Sprint("key_", i)] = map[string][]*tg.Mutation{"Standard1": ms, "Standard2": ms}
	}
	must(t, c.BatchMutate(ctx, m, ONE))
	for k := range m {
		for _, cf := range []string{"Standard1", "Standard2"} {
			assertColumn(t, c, cf, k, "c1", "value1", 0)
		}
	}
}

func TestBatchMutateRemoveColumnsAndRows(t *testing.T) {
	c := dtestClient(t, server.Config{})
	var keys []string
	for i := 11; i < 21; i++ {
		keys = append(keys, fmt.Sprint("key_", i))
	}
	for _, cf := range []string{"Standard1", "Standard2"} {
		for _, k := range keys {
			c.insert(t, k, parent(cf), simpleColumns...)
		}
	}
	// Delete by names in half the keys, whole rows in the other half.
	m := mutationMap{}
	for i, k := range keys {
		var ms []*tg.Mutation
		if i%2 == 0 {
			ms = []*tg.Mutation{mutDel(i64p(20), nil, names("c1")), mutDel(i64p(20), nil, names("c2"))}
		} else {
			ms = []*tg.Mutation{mutDel(i64p(20), nil, nil)}
		}
		m[k] = map[string][]*tg.Mutation{"Standard1": ms, "Standard2": ms}
	}
	must(t, c.BatchMutate(ctx, m, ONE))
	for _, cf := range []string{"Standard1", "Standard2"} {
		for _, k := range keys {
			for _, cl := range simpleColumns {
				assertNoPath(t, c, k, colPath(cf, string(cl.Name)))
			}
		}
	}
}

func TestBatchMutateSuperDeletions(t *testing.T) {
	c := dtestClient(t, server.Config{})
	keys := []string{"key_17", "key_18", "key_19", "key_20"}
	for _, k := range keys {
		c.insert(t, k, superParent("Super1", []byte("sc1")), bcol(longBytes(4), "value4", 0))
		c.insert(t, k, superParent("Super1", []byte("sc2")), bcol(longBytes(5), "value5", 0), bcol(longBytes(6), "value6", 0))
	}
	// Sub-columns by name under a super column.
	must(t, c.BatchMutate(ctx, mutationMap{"key_17": {"Super1": {
		mutDel(i64p(20), []byte("sc1"), byteNames(longBytes(4))),
		mutDel(i64p(20), []byte("sc2"), byteNames(longBytes(5), longBytes(6))),
	}}}, ONE))
	for _, sc := range superColumns() {
		for _, cl := range sc.Columns {
			assertNoPath(t, c, "key_17", path("Super1", sc.Name, cl.Name))
		}
	}
	// Whole super columns, no predicate.
	must(t, c.BatchMutate(ctx, mutationMap{"key_18": {"Super1": {mutDel(i64p(20), []byte("sc1"), nil), mutDel(i64p(20), []byte("sc2"), nil)}}}, ONE))
	assertNoPath(t, c, "key_18", path("Super1", []byte("sc1"), nil))
	assertNoPath(t, c, "key_18", path("Super1", []byte("sc2"), nil))
	// The entire row.
	must(t, c.BatchMutate(ctx, mutationMap{"key_19": {"Super1": {mutDel(i64p(20), nil, nil)}}}, ONE))
	assertNoPath(t, c, "key_19", path("Super1", []byte("sc1"), nil))
	// Super column names as column_names without super_column.
	must(t, c.BatchMutate(ctx, mutationMap{"key_20": {"Super1": {mutDel(i64p(1), nil, names("sc1"))}}}, ONE))
	assertNoPath(t, c, "key_20", path("Super1", []byte("sc1"), nil))
	assertPath(t, c, "key_20", path("Super1", []byte("sc2"), nil))
}

func TestBatchMutateRemoveSlice(t *testing.T) {
	c := dtestClient(t, server.Config{})
	for i := 1; i <= 5; i++ {
		c.insert(t, "key", parent("Standard1"), col(fmt.Sprint("c", i), fmt.Sprint("value", i), 0))
	}
	must(t, c.BatchMutate(ctx, mutationMap{"key": {"Standard1": {mutDel(i64p(1), nil, columnRange("c2", "c4", false, 100))}}}, ONE))
	assertPath(t, c, "key", colPath("Standard1", "c1"))
	for _, n := range []string{"c2", "c3", "c4"} {
		assertNoPath(t, c, "key", colPath("Standard1", n))
	}
	assertPath(t, c, "key", colPath("Standard1", "c5"))

	// Whole super columns by range.
	for i := int64(1); i <= 5; i++ {
		c.insert(t, "key", superParent("Super1", []byte(fmt.Sprint("sc", i))), bcol(longBytes(i), "v", 0))
	}
	must(t, c.BatchMutate(ctx, mutationMap{"key": {"Super1": {mutDel(i64p(1), nil, columnRange("sc2", "sc4", false, 100))}}}, ONE))
	assertPath(t, c, "key", path("Super1", []byte("sc1"), longBytes(1)))
	for i := int64(2); i <= 4; i++ {
		assertNoPath(t, c, "key", path("Super1", []byte(fmt.Sprint("sc", i)), longBytes(i)))
	}
	assertPath(t, c, "key", path("Super1", []byte("sc5"), longBytes(5)))

	// Part of a super column's sub-columns (allowed up to 2.2).
	for i := int64(1); i <= 5; i++ {
		c.insert(t, "key2", superParent("Super1", []byte("sc1")), bcol(longBytes(i), "v", 0))
	}
	must(t, c.BatchMutate(ctx, mutationMap{"key2": {"Super1": {mutDel(i64p(1), []byte("sc1"), columnRangeBytes(longBytes(2), longBytes(4), false, 100))}}}, ONE))
	assertPath(t, c, "key2", path("Super1", []byte("sc1"), longBytes(1)))
	assertNoPath(t, c, "key2", path("Super1", []byte("sc1"), longBytes(3)))
	assertPath(t, c, "key2", path("Super1", []byte("sc1"), longBytes(5)))
}

func TestBatchMutateInsertionsAndDeletions(t *testing.T) {
	c := dtestClient(t, server.Config{})
	keys := []string{"key_30", "key_31"}
	for _, k := range keys {
		must(t, c.BatchMutate(ctx, mutationMap{k: {"Super1": {mutSuper([]byte("sc1"), bcol(longBytes(22), "value22", 0), bcol(longBytes(23), "value23", 0))}}}, ONE))
		must(t, c.BatchMutate(ctx, mutationMap{k: {"Super2": {mutSuper([]byte("sc2"), bcol(longBytes(22), "value22", 0), bcol(longBytes(23), "value23", 0))}}}, ONE))
	}
	ins := func() *tg.Mutation {
		return mutSuper([]byte("sc1"), bcol(longBytes(20), "value20", 3), bcol(longBytes(21), "value21", 3))
	}
	m := mutationMap{}
	for _, k := range keys {
		m[k] = map[string][]*tg.Mutation{
			"Super1": {ins(), mutDel(i64p(3), []byte("sc1"), byteNames(longBytes(22), longBytes(23)))},
			"Super2": {mutDel(i64p(2), []byte("sc2"), byteNames(longBytes(22), longBytes(23))), ins()},
		}
	}
	must(t, c.BatchMutate(ctx, m, ONE))
	for _, k := range keys {
		for _, n := range []int64{22, 23} {
			assertNoPath(t, c, k, path("Super1", []byte("sc1"), longBytes(n)))
			assertNoPath(t, c, k, path("Super2", []byte("sc2"), longBytes(n)))
		}
		for _, n := range []int64{20, 21} {
			assertPath(t, c, k, path("Super1", []byte("sc1"), longBytes(n)))
			assertPath(t, c, k, path("Super2", []byte("sc1"), longBytes(n)))
		}
	}
}

func TestBatchMutateOneBadMutationWritesNothing(t *testing.T) {
	c := dtestClient(t, server.Config{})
	good := mutCol(col("ok", "v", 1))
	cases := []struct {
		name string
		m    mutationMap
		why  string
	}{
		{"cosc and deletion together", mutationMap{"k1": {"Standard1": {good, {
			ColumnOrSupercolumn: &tg.ColumnOrSuperColumn{Column: col("foo", "bar", 0)},
			Deletion:            &tg.Deletion{Timestamp: i64p(2), Predicate: names("baz")},
		}}}}, "mutation must have one and only one of column_or_supercolumn or deletion"},
		{"empty mutation", mutationMap{"k1": {"Standard1": {good, {}}}}, "mutation must have one and only one of column_or_supercolumn or deletion"},
		{"empty cosc", mutationMap{"k1": {"Standard1": {good, {ColumnOrSupercolumn: &tg.ColumnOrSuperColumn{}}}}},
			"ColumnOrSuperColumn must have one (and only one) of column, super_column, counter and counter_super_column"},
		{"undefined CF", mutationMap{"k1": {"Standard1": {good}, "Undefined": {mutCol(col("foo", "bar", 0))}}}, "unconfigured table Undefined"},
		{"deletion on undefined CF", mutationMap{"k1": {"Undefined": {mutDel(i64p(2), nil, names("baz"))}, "Standard1": {good}}}, "unconfigured table Undefined"},
		{"counter in a normal CF", mutationMap{"k1": {"Standard1": {good, mutCounter("c", 1)}}}, "invalid operation for non commutative table Standard1"},
		{"column in a counter CF", mutationMap{"k1": {"Counter1": {mutCol(col("c", "v", 1))}, "Standard1": {good}}}, "invalid operation for commutative table Counter1"},
		{"deletion without timestamp", mutationMap{"k1": {"Standard1": {good, mutDel(nil, nil, names("c"))}}}, "Deletion timestamp is not optional for non commutative table Standard1"},
		{"deletion with an empty predicate", mutationMap{"k1": {"Standard1": {good, mutDel(i64p(1), nil, &tg.SlicePredicate{})}}},
			"A SlicePredicate must be given a list of Columns, a SliceRange, or both"},
		{"second key bad", mutationMap{"k1": {"Standard1": {good}}, "k2": {"Standard1": {mutCol(&tg.Column{Name: []byte("x"), Value: []byte("v")})}}},
			"Column timestamp is required"},
		{"serial CL", mutationMap{"k1": {"Standard1": {good}}}, "You must use conditional updates for serializable writes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cl := ONE
			if tc.name == "serial CL" {
				cl = tg.ConsistencyLevel_SERIAL
			}
			mustIRE(t, c.BatchMutate(ctx, tc.m, cl), tc.why)
			mustIRE(t, c.AtomicBatchMutate(ctx, tc.m, cl), tc.why)
			for _, k := range []string{"k1", "k2"} {
				if res := c.bigSlice(t, k, parent("Standard1")); len(res) != 0 {
					t.Fatalf("a rejected batch wrote %s: %v", k, res)
				}
			}
		})
	}
}

func TestBatchMutateEmptyIsNoop(t *testing.T) {
	c := dtestClient(t, server.Config{})
	must(t, c.BatchMutate(ctx, mutationMap{}, ONE))
	// The CL is still checked.
	mustIRE(t, c.BatchMutate(ctx, mutationMap{}, tg.ConsistencyLevel_SERIAL), "You must use conditional updates for serializable writes")
}

func TestAtomicBatchMutate(t *testing.T) {
	c := dtestClient(t, server.Config{})
	must(t, c.AtomicBatchMutate(ctx, mutationMap{
		"a": {"Standard1": {mutCol(col("x", "1", 1))}},
		"b": {"Standard1": {mutCol(col("y", "2", 1))}, "Super1": {mutSuper([]byte("sc"), bcol(longBytes(1), "v", 1))}},
	}, ONE))
	assertColumn(t, c, "Standard1", "a", "x", "1", 1)
	assertColumn(t, c, "Standard1", "b", "y", "2", 1)
	mustIRE(t, c.AtomicBatchMutate(ctx, mutationMap{"a": {"Counter1": {mutCounter("c", 1)}}}, ONE),
		"Counter mutations are not allowed in atomic batches")
}

func TestBatchSameCellReconciles(t *testing.T) {
	c := dtestClient(t, server.Config{})
	must(t, c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {
		mutCol(col("a", "late", 5)), mutCol(col("a", "early", 4)),
		mutCol(col("b", "v", 5)), mutDel(i64p(5), nil, names("b")),
		mutDel(i64p(6), nil, nil), mutCol(col("c", "after-row-delete", 7)),
	}}}, ONE))
	assertNoPath(t, c, "k", colPath("Standard1", "a")) // row deletion at 6 covers ts 5
	assertNoPath(t, c, "k", colPath("Standard1", "b"))
	assertColumn(t, c, "Standard1", "k", "c", "after-row-delete", 7)
}

func TestRangeDeletionCompositeEOC(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("StandardComposite")
	for i := 0; i < 10; i++ {
		s := fmt.Sprint(i)
		c.insert(t, "key1", p, bcol(compositeName(0, s, s), "value", 1))
	}
	// CASSANDRA-7990 as dtest writes it: start ('3' with EOC -1), finish
	// ('6', '\x01') with EOC 0, so ('6', '6') sorts after the finish.
	del := columnRangeBytes(compositeName(0xff, "3"), compositeName(0, "6", "\x01"), false, 100)
	must(t, c.BatchMutate(ctx, mutationMap{"key1": {"StandardComposite": {mutDel(i64p(2), nil, del)}}}, ONE))
	var want [][]byte
	for _, i := range []string{"0", "1", "2", "6", "7", "8", "9"} {
		want = append(want, compositeName(0, i, i))
	}
	checkNames(t, c.bigSlice(t, "key1", p), want)
	// A one-component finish with EOC 1 covers every name with that prefix.
	for i := 0; i < 10; i++ {
		s := fmt.Sprint(i)
		c.insert(t, "key2", p, bcol(compositeName(0, s, s), "value", 1))
	}
	must(t, c.BatchMutate(ctx, mutationMap{"key2": {"StandardComposite": {mutDel(i64p(2), nil, columnRangeBytes(compositeName(0xff, "3"), compositeName(1, "6"), false, 100))}}}, ONE))
	checkNames(t, c.bigSlice(t, "key2", p), append(want[:3:3], want[4:]...))

	// CASSANDRA-12423: a finish bound with EOC 0 deletes only the exact
	// prefix, not its longer extensions.
	c2 := dtestClient(t, server.Config{})
	for i := 0; i < 10; i++ {
		s := fmt.Sprint(i)
		c2.insert(t, "key1", p, bcol(compositeName(0, s, s), "value", 1))
	}
	c2.insert(t, "key1", p, bcol(compositeName(0, "6"), "value", 1))
	must(t, c2.BatchMutate(ctx, mutationMap{"key1": {"StandardComposite": {mutDel(i64p(2), nil, columnRangeBytes(compositeName(0xff, "3"), compositeName(0, "6"), false, 100))}}}, ONE))
	want = nil
	for _, i := range []string{"0", "1", "2", "6", "7", "8", "9"} {
		want = append(want, compositeName(0, i, i))
	}
	checkNames(t, c2.bigSlice(t, "key1", p), want)
	must(t, c2.BatchMutate(ctx, mutationMap{"key1": {"StandardComposite": {mutDel(i64p(3), nil, columnRangeBytes(compositeName(0xff, "3"), compositeName(0, "6", "6"), false, 100))}}}, ONE))
	checkNames(t, c2.bigSlice(t, "key1", p), append(want[:3:3], want[4:]...))
}

func checkNames(t testing.TB, got []*tg.ColumnOrSuperColumn, want [][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d columns %q, want %q", len(got), colNames(t, got), want)
	}
	for i := range want {
		if string(got[i].Column.Name) != string(want[i]) {
			t.Fatalf("column %d: got %q, want %q", i, got[i].Column.Name, want[i])
		}
	}
}

func TestTruncate(t *testing.T) {
	c := dtestClient(t, server.Config{})
	insertSimple(t, c)
	insertSuper(t, c, "key1")
	must(t, c.Truncate(ctx, "Standard1"))
	if res := c.bigSlice(t, "key1", parent("Standard1")); len(res) != 0 {
		t.Fatalf("Standard1 after truncate: %v", res)
	}
	verifySuper(t, c, "Super1") // other CFs untouched
	must(t, c.Truncate(ctx, "Super1"))
	if res := c.bigSlice(t, "key1", parent("Super1")); len(res) != 0 {
		t.Fatalf("Super1 after truncate: %v", res)
	}
	if res := c.bigSlice(t, "key1", superParent("Super1", []byte("sc1"))); len(res) != 0 {
		t.Fatalf("Super1/sc1 after truncate: %v", res)
	}
	// Truncate is not a tombstone: a later write with an old timestamp shows.
	c.insert(t, "key1", parent("Standard1"), col("c1", "old", -100))
	assertColumn(t, c, "Standard1", "key1", "c1", "old", -100)
	// No ghosts either.
	rows, err := c.GetRangeSlices(ctx, parent("Super1"), columnRange("", "", false, 10), keyRange("", "", 10), ONE)
	must(t, err)
	if len(rows) != 0 {
		t.Fatalf("rows after truncate: %v", rows)
	}
	mustIRE(t, c.Truncate(ctx, "Nope"), "unconfigured table Nope")
	fresh := dial(t, c.addr)
	mustIRE(t, fresh.Truncate(ctx, "Standard1"), "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename")
}
