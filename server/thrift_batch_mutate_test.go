package server_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// batch_mutate and atomic_batch_mutate: ports of dtest's batch tests, the
// all-or-nothing rule, a row's mutation applied atomically and in isolation,
// empty parts, and every refusal with the order of Cassandra's checks.

func TestThriftBatchInsert(t *testing.T) {
	c := dtestClient(t, server.Config{})
	ms := []*tg.Mutation{mutCol(simpleColumns[0]), mutCol(simpleColumns[1])}
	must(t, c.BatchMutate(ctx, mutationMap{"key1": {"Standard1": ms, "Standard2": ms}}, ONE))
	verifySimple(t, c)
	mustEqualColumns(t, columns(t, c.bigSlice(t, "key1", parent("Standard2"))), simpleColumns)
}

func TestThriftBatchMutateStandardColumnsManyKeys(t *testing.T) {
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

func TestThriftBatchMutateRemoveColumnsAndRows(t *testing.T) {
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

func TestThriftBatchMutateSuperDeletions(t *testing.T) {
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

func TestThriftBatchMutateRemoveSlice(t *testing.T) {
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

	// Part of a super column's sub-columns: refused by Cassandra 3.11's
	// CassandraServer.deleteColumnOrSuperColumn (sub-columns live in a map,
	// which has no range tombstones), and nothing in the batch is written.
	for i := int64(1); i <= 5; i++ {
		c.insert(t, "key2", superParent("Super1", []byte("sc1")), bcol(longBytes(i), "v", 0))
	}
	mustIRE(t, c.BatchMutate(ctx, mutationMap{"key2": {"Super1": {
		mutDel(i64p(1), []byte("sc1"), byteNames(longBytes(1))),
		mutDel(i64p(1), []byte("sc1"), columnRangeBytes(longBytes(2), longBytes(4), false, 100)),
	}}}, ONE), "Cannot delete a range of subcolumns in a super column")
	for i := int64(1); i <= 5; i++ {
		assertPath(t, c, "key2", path("Super1", []byte("sc1"), longBytes(i)))
	}
	// With column_names too, the names win and the deletion is accepted.
	both := mutDel(i64p(1), []byte("sc1"), byteNames(longBytes(3)))
	both.Deletion.Predicate.SliceRange = &tg.SliceRange{Start: longBytes(2), Finish: longBytes(4), Count: 100}
	must(t, c.BatchMutate(ctx, mutationMap{"key2": {"Super1": {both}}}, ONE))
	assertPath(t, c, "key2", path("Super1", []byte("sc1"), longBytes(2)))
	assertNoPath(t, c, "key2", path("Super1", []byte("sc1"), longBytes(3)))
	assertPath(t, c, "key2", path("Super1", []byte("sc1"), longBytes(4)))
}

func TestThriftBatchMutateInsertionsAndDeletions(t *testing.T) {
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

func TestThriftBatchMutateOneBadMutationWritesNothing(t *testing.T) {
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

func TestThriftBatchMutateEmptyIsNoop(t *testing.T) {
	c := dtestClient(t, server.Config{})
	must(t, c.BatchMutate(ctx, mutationMap{}, ONE))
	// The CL is still checked.
	mustIRE(t, c.BatchMutate(ctx, mutationMap{}, tg.ConsistencyLevel_SERIAL), "You must use conditional updates for serializable writes")
}

func TestThriftAtomicBatchMutate(t *testing.T) {
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

func TestThriftBatchSameCellReconciles(t *testing.T) {
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

func TestThriftRangeDeletionCompositeEOC(t *testing.T) {
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

func TestThriftBatchMutateEmptyParts(t *testing.T) {
	// createMutationList validates per (key, CF) pair: the table, the key,
	// the counter CL,
	// then each mutation. A key without CFs is never checked; a CF with no
	// mutations still is.
	c := dtestClient(t, server.Config{})
	runErrCases(t, []errCase{
		{"empty key without CFs", func() error {
			return c.BatchMutate(ctx, mutationMap{"": {}}, ONE)
		}, ""},
		{"empty key with an empty mutation list", func() error {
			return c.BatchMutate(ctx, mutationMap{"": {"Standard1": {}}}, ONE)
		}, "Key may not be empty"},
		{"unknown CF with an empty mutation list", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Nope": {}}}, ONE)
		}, "unconfigured table Nope"},
		{"counter CL with an empty mutation list", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Counter1": {}}}, tg.ConsistencyLevel_ANY)
		}, "Consistency level ANY is not yet supported for counter table Counter1"},
		// Cassandra 3.11's createMutationList adds a PartitionUpdate for the
		// counter CF even with no mutations, and Mutation.isEmpty only asks
		// whether updates were added: the atomic batch is refused.
		{"atomic: counter CF with an empty mutation list", func() error {
			return c.AtomicBatchMutate(ctx, mutationMap{"k": {"Counter1": {}}}, ONE)
		}, "Counter mutations are not allowed in atomic batches"},
		{"SERIAL with only empty lists", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {}}}, tg.ConsistencyLevel_SERIAL)
		}, "You must use conditional updates for serializable writes"},
	})
	fresh := dial(t, c.addr)
	err := fresh.BatchMutate(ctx, mutationMap{}, ONE)
	mustIRE(t, err, "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename")
}

func TestThriftBatchMutateEmptyMutations(t *testing.T) {
	// Cassandra 3.11's createMutationList adds a (possibly empty)
	// PartitionUpdate for every column family named, and Mutation.isEmpty
	// only asks whether updates were added: a batch naming a column family
	// reaches StorageProxy (and its replica check) even if it writes
	// nothing, and an atomic one naming a counter CF is refused. (2.2
	// dropped such mutations.)
	c := dtestClient(t, server.Config{})
	_, err := c.SystemAddKeyspace(ctx, ksDef("Rf3", simple, map[string]string{"replication_factor": "3"}, cfDef("Rf3", "cf")))
	must(t, err)
	emptySuper := &tg.Mutation{ColumnOrSupercolumn: &tg.ColumnOrSuperColumn{SuperColumn: &tg.SuperColumn{Name: []byte("sc"), Columns: []*tg.Column{}}}}
	noNames := func(ts *int64) *tg.Mutation {
		return &tg.Mutation{Deletion: &tg.Deletion{Timestamp: ts, Predicate: &tg.SlicePredicate{ColumnNames: [][]byte{}}}}
	}
	runErrCases(t, []errCase{
		{"atomic with an empty counter list", func() error {
			return c.AtomicBatchMutate(ctx, mutationMap{"k": {"Counter1": {}}}, ONE)
		}, "Counter mutations are not allowed in atomic batches"},
		{"atomic with a counter deletion of no names", func() error {
			return c.AtomicBatchMutate(ctx, mutationMap{"k": {"Counter1": {noNames(nil)}, "Standard1": {mutCol(col("a", "v", 1))}}}, ONE)
		}, "Counter mutations are not allowed in atomic batches"},
		{"atomic without the counter CF", func() error {
			return c.AtomicBatchMutate(ctx, mutationMap{"k": {"Standard1": {mutCol(col("a", "v", 1))}}}, ONE)
		}, ""},
		{"atomic with a counter row deletion", func() error {
			return c.AtomicBatchMutate(ctx, mutationMap{"k": {"Counter1": {mutDel(nil, nil, nil)}}}, ONE)
		}, "Counter mutations are not allowed in atomic batches"},
		// An empty SuperColumn is not validated at all, even on a standard CF.
		{"empty super column on a standard CF", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {emptySuper}}}, ONE)
		}, ""},
	})
	assertColumn(t, c, "Standard1", "k", "a", "v", 1)
	// Even a batch that writes nothing needs its replicas; only an empty
	// map (or rows naming no column family) skips StorageProxy.
	must(t, c.SetKeyspace(ctx, "Rf3"))
	mustUE(t, c.BatchMutate(ctx, mutationMap{"e": {"cf": {}}}, tg.ConsistencyLevel_QUORUM))
	mustUE(t, c.BatchMutate(ctx, mutationMap{"e": {"cf": {noNames(i64p(1))}}}, tg.ConsistencyLevel_ALL))
	mustUE(t, c.BatchMutate(ctx, mutationMap{"e": {"cf": {mutDel(i64p(1), nil, nil)}}}, tg.ConsistencyLevel_ALL))
	must(t, c.BatchMutate(ctx, mutationMap{"e": {}}, tg.ConsistencyLevel_ALL))
	must(t, c.BatchMutate(ctx, mutationMap{}, tg.ConsistencyLevel_ALL))
	// ...and nothing is written: no ghost row appears.
	must(t, c.SetKeyspace(ctx, "Keyspace1"))
	must(t, c.BatchMutate(ctx, mutationMap{"ghost": {"Standard2": {}, "Super1": {emptySuper}}}, ONE))
	must(t, c.BatchMutate(ctx, mutationMap{"ghost": {"Standard2": {noNames(i64p(1))}}}, ONE))
	rows, err := c.GetRangeSlices(ctx, parent("Standard2"), names("a"), keyRange("", "", 10), ONE)
	must(t, err)
	if len(rows) != 0 {
		t.Fatalf("empty mutations made rows: %v", rowKeys(rows))
	}
	rows, err = c.GetRangeSlices(ctx, parent("Super1"), names("sc"), keyRange("", "", 10), ONE)
	must(t, err)
	if len(rows) != 0 {
		t.Fatalf("empty super column made rows: %v", rowKeys(rows))
	}
	// column_names wins over slice_range: an empty list deletes nothing.
	c.insert(t, "d", parent("Standard2"), col("a", "v", 1), col("b", "v", 1))
	both := noNames(i64p(5))
	both.Deletion.Predicate.SliceRange = &tg.SliceRange{Start: []byte{}, Finish: []byte{}, Count: 100}
	must(t, c.BatchMutate(ctx, mutationMap{"d": {"Standard2": {both}}}, ONE))
	if got := strings.Join(colNames(t, c.bigSlice(t, "d", parent("Standard2"))), ","); got != "a,b" {
		t.Fatalf("empty column_names with a slice_range deleted %s", got)
	}
}

func TestThriftBatchLoginCheckedAtFirstTable(t *testing.T) {
	c, _ := startAndDial(t, server.Config{Authenticator: passwordAuth{}})
	must(t, c.Login(ctx, &tg.AuthenticationRequest{Credentials: map[string]string{"username": "cassandra", "password": "cassandra"}}))
	_, err := c.SystemAddKeyspace(ctx, ksDef("K", simple, rf1, cfDef("K", "cf")))
	must(t, err)
	other := dial(t, c.addr)
	must(t, other.SetKeyspace(ctx, "K"))
	bad := mutationMap{"": {"cf": {mutCol(col("c", "v", 1))}}}
	// Not logged in: reported before the (invalid) key is looked at...
	mustIRE(t, other.BatchMutate(ctx, bad, ONE), "You have not logged in")
	// ...but after the column family check.
	mustIRE(t, other.BatchMutate(ctx, mutationMap{"k": {"nope": {mutCol(col("c", "v", 1))}}}, ONE), "unconfigured table nope")
	must(t, c.SetKeyspace(ctx, "K"))
	mustIRE(t, c.BatchMutate(ctx, bad, ONE), "Key may not be empty")
}

// TestThriftRowMutationsAtomicAndIsolated has writers replace two columns of one
// row in single batch_mutate calls while readers check that they never see
// the columns from different writes: a row's mutation is applied atomically
// and in isolation, as in Cassandra.
func TestThriftRowMutationsAtomicAndIsolated(t *testing.T) {
	c := dtestClient(t, server.Config{})
	var ts atomic.Int64
	const writers, readers, rounds = 4, 4, 200
	var wg sync.WaitGroup
	errs := make(chan error, writers+readers)
	stop := make(chan struct{})
	for w := 0; w < writers; w++ {
		wc := dial(t, c.addr)
		must(t, wc.SetKeyspace(ctx, "Keyspace1"))
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				n := ts.Add(1)
				v := fmt.Sprintf("w%d-%d", w, i)
				err := wc.BatchMutate(ctx, mutationMap{"row": {
					"Standard1": {mutCol(col("a", v, n)), mutCol(col("b", v, n))},
					"Counter1":  {mutCounter("x", 1), mutCounter("y", 1)},
				}}, ONE)
				if err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	var readWG sync.WaitGroup
	for r := 0; r < readers; r++ {
		rc := dial(t, c.addr)
		must(t, rc.SetKeyspace(ctx, "Keyspace1"))
		readWG.Add(1)
		go func() {
			defer readWG.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := rc.GetSlice(ctx, []byte("row"), parent("Standard1"), names("a", "b"), ONE)
				if err != nil {
					errs <- err
					return
				}
				if len(res) == 2 && string(res[0].Column.Value) != string(res[1].Column.Value) {
					errs <- fmt.Errorf("torn row: a=%s b=%s", res[0].Column.Value, res[1].Column.Value)
					return
				}
				cs, err := rc.GetSlice(ctx, []byte("row"), parent("Counter1"), names("x", "y"), ONE)
				if err != nil {
					errs <- err
					return
				}
				if len(cs) == 2 && cs[0].CounterColumn.Value != cs[1].CounterColumn.Value {
					errs <- fmt.Errorf("torn counters: x=%d y=%d", cs[0].CounterColumn.Value, cs[1].CounterColumn.Value)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	readWG.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got, err := c.GetSlice(ctx, []byte("row"), parent("Counter1"), names("x"), ONE)
	must(t, err)
	if len(got) != 1 || got[0].CounterColumn.Value != writers*rounds {
		t.Fatalf("counter x = %v, want %d (no increment lost)", got, writers*rounds)
	}
}

func TestThriftRowIsolationUnderConcurrency(t *testing.T) {
	c, srv := startAndDial(t, server.Config{})
	_, err := c.SystemAddKeyspace(ctx, ksDef("Iso", simple, rf1, cfDef("Iso", "cf")))
	must(t, err)
	const cols, rounds, readers = 40, 60, 3
	writer := dial(t, srv.Addr())
	must(t, writer.SetKeyspace(ctx, "Iso"))
	var wg sync.WaitGroup
	errs := make(chan error, readers+1)
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(stop)
		for r := 1; r <= rounds; r++ {
			var ms []*tg.Mutation
			if r%5 == 0 {
				// A row deletion and a full rewrite in one batch.
				ms = append(ms, mutDel(i64p(int64(r)*10-1), nil, nil))
			}
			for i := 0; i < cols; i++ {
				ms = append(ms, mutCol(col(fmt.Sprintf("c%02d", i), fmt.Sprint(r), int64(r)*10)))
			}
			if err := writer.BatchMutate(ctx, mutationMap{"row": {"cf": ms}}, ONE); err != nil {
				errs <- err
				return
			}
		}
	}()
	for i := 0; i < readers; i++ {
		rd := dial(t, srv.Addr())
		must(t, rd.SetKeyspace(ctx, "Iso"))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := rd.GetSlice(ctx, []byte("row"), parent("cf"), columnRange("", "", false, 1000), ONE)
				if err != nil {
					errs <- err
					return
				}
				if len(res) != 0 && len(res) != cols {
					errs <- fmt.Errorf("saw %d of %d columns", len(res), cols)
					return
				}
				for _, r := range res {
					if string(r.Column.Value) != string(res[0].Column.Value) {
						errs <- fmt.Errorf("mixed versions in one read: %s and %s", res[0].Column.Value, r.Column.Value)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// TestThriftBatchMutateBadCalls sends batch_mutate and atomic_batch_mutate
// requests that Cassandra refuses and checks each error: single faults (from
// dtest's test_bad_calls) and several faults at once, where the error shows
// which check Cassandra runs first.
func TestThriftBatchMutateBadCalls(t *testing.T) {
	c := dtestClient(t, server.Config{})
	const ANY = tg.ConsistencyLevel_ANY
	const SERIAL = tg.ConsistencyLevel_SERIAL
	serialW := "You must use conditional updates for serializable writes"
	runErrCases(t, []errCase{
		// One fault at a time (dtest's test_bad_calls).
		{"empty key in batch", func() error {
			m := mutationMap{"": {"Super1": {mutSuper([]byte("sc1"), bcol(longBytes(4), "v", 0))}}}
			return c.BatchMutate(ctx, m, ONE)
		}, "Key may not be empty"},
		{"x is not a valid long super column in a deletion", func() error {
			m := mutationMap{"key": {"Super3": {mutDel(i64p(1), []byte("x"), nil)}}}
			return c.BatchMutate(ctx, m, tg.ConsistencyLevel_QUORUM)
		}, "Expected 8 or 0 byte long (1)"},
		// Two or more faults at once: the error shows which check
		// Cassandra runs first.
		// batch_mutate: counter CL before mutations, write CL after them.
		{"batch/counter ANY+bad mutation", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Counter1": {{}}}}, ANY)
		}, "Consistency level ANY is not yet supported for counter table Counter1"},
		{"batch/counter SERIAL+bad mutation", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Counter1": {{}}}}, SERIAL)
		}, "Counter operations are inherently non-serializable"},
		{"batch/SERIAL+bad mutation", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {{}}}}, SERIAL)
		}, "mutation must have one and only one of column_or_supercolumn or deletion"},
		{"batch/SERIAL", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {mutCol(col("c", "v", 1))}}}, SERIAL)
		}, serialW},
		{"batch/empty map+SERIAL", func() error {
			return c.BatchMutate(ctx, mutationMap{}, SERIAL)
		}, serialW},
		{"batch/empty map+TWO is a no-op", func() error {
			return c.BatchMutate(ctx, mutationMap{}, tg.ConsistencyLevel_TWO)
		}, ""}, // doInsert validates the CL, then returns before StorageProxy
		{"batch/empty key+unknown CF", func() error {
			return c.BatchMutate(ctx, mutationMap{"": {"Nope": {{}}}}, ONE)
		}, "unconfigured table Nope"},
		{"batch/empty key+bad mutation", func() error {
			return c.BatchMutate(ctx, mutationMap{"": {"Standard1": {{}}}}, ONE)
		}, "Key may not be empty"},
		{"batch/both fields", func() error {
			m := mutCol(col("c", "v", 1))
			m.Deletion = &tg.Deletion{Timestamp: i64p(1)}
			return c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {m}}}, ONE)
		}, "mutation must have one and only one of column_or_supercolumn or deletion"},
		{"batch/empty COSC", func() error {
			m := &tg.Mutation{ColumnOrSupercolumn: &tg.ColumnOrSuperColumn{}}
			return c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {m}}}, ONE)
		}, "ColumnOrSuperColumn must have one (and only one) of column, super_column, counter and counter_super_column"},
		{"batch/column on counter CF", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Counter1": {mutCol(col("c", "v", 1))}}}, ONE)
		}, "invalid operation for commutative table Counter1"},
		{"batch/counter on normal CF", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {mutCounter("c", 1)}}}, ONE)
		}, "invalid operation for non commutative table Standard1"},
		{"batch/column on super CF", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Super1": {mutCol(col("c", "v", 1))}}}, ONE)
		}, "supercolumn parameter is not optional for super CF Super1"},
		{"batch/super_column on standard CF", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {mutSuper([]byte("sc"), col("c", "v", 1))}}}, ONE)
		}, "supercolumn parameter is invalid for standard CF Standard1"},
		{"batch/deletion without timestamp", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {mutDel(nil, nil, nil)}}}, ONE)
		}, "Deletion timestamp is not optional for non commutative table Standard1"},
		{"batch/deletion empty predicate", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {mutDel(i64p(1), nil, &tg.SlicePredicate{})}}}, ONE)
		}, "A SlicePredicate must be given a list of Columns, a SliceRange, or both"},
		{"batch/deletion sc on standard", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {mutDel(i64p(1), []byte("sc"), nil)}}}, ONE)
		}, "Deletion of super columns is not possible on a standard table (KeySpace=Keyspace1 Table=Standard1 Deletion=Deletion(timestamp:1, super_column:73 63))"},
		{"batch/counter deletion without timestamp ok", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Counter1": {mutDel(nil, nil, names("c"))}}}, ONE)
		}, ""},
		{"atomic/counter", func() error {
			return c.AtomicBatchMutate(ctx, mutationMap{"k": {"Counter1": {mutCounter("c", 1)}}}, ONE)
		}, "Counter mutations are not allowed in atomic batches"},
		{"atomic/SERIAL", func() error {
			return c.AtomicBatchMutate(ctx, mutationMap{"k": {"Standard1": {mutCol(col("c", "v", 1))}}}, SERIAL)
		}, serialW},
	})
	// A deletion naming a super column on a standard CF (the message ends
	// with the Thrift rendering of the Deletion).
	m := mutationMap{"key": {"Standard1": {mutDel(i64p(1), []byte("supercolumn"), nil)}}}
	err := c.BatchMutate(ctx, m, tg.ConsistencyLevel_QUORUM)
	var e *tg.InvalidRequestException
	if !errors.As(err, &e) || !strings.HasPrefix(e.Why, "Deletion of super columns is not possible on a standard table (KeySpace=Keyspace1 Table=Standard1 Deletion=") {
		t.Fatalf("super deletion on a standard CF: %v", err)
	}
}
