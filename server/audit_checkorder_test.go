package server_test

import (
	"strings"
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Audit: check orders of reference §2.6 and §8. Each case makes two (or
// more) things wrong at once and asserts which error Cassandra reports.

// errCase is one request and the error it must produce: an IRE message,
// "UE" for UnavailableException, or "" for success.
type errCase struct {
	name string
	call func() error
	want string
}

func runErrCases(t *testing.T, cases []errCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			switch tc.want {
			case "":
				must(t, err)
			case "UE":
				mustUE(t, err)
			default:
				mustIRE(t, err, tc.want)
			}
		})
	}
}

func TestAuditCheckOrderReads(t *testing.T) {
	c := dtestClient(t, server.Config{})
	const ANY = tg.ConsistencyLevel_ANY
	anyRd := "ANY ConsistencyLevel is only supported for writes"
	eqRd := "EACH_QUORUM ConsistencyLevel is only supported for writes"
	empty := []byte{}
	k := []byte("k")
	badRange := columnRange("b", "a", false, 10)
	runErrCases(t, []errCase{
		// get: path before CL, CL before key.
		{"get/path+ANY", func() error {
			_, err := c.Get(ctx, k, &tg.ColumnPath{ColumnFamily: "Standard1"}, ANY)
			return err
		}, "column parameter is not optional for standard CF Standard1"},
		{"get/super path on standard+ANY", func() error {
			_, err := c.Get(ctx, k, path("Standard1", []byte("sc"), []byte("c")), ANY)
			return err
		}, "supercolumn parameter is invalid for standard CF Standard1"},
		{"get/super CF without sc", func() error {
			_, err := c.Get(ctx, k, colPath("Super1", "c"), ONE)
			return err
		}, "supercolumn parameter is not optional for super CF Super1"},
		{"get/ANY+empty key", func() error {
			_, err := c.Get(ctx, empty, colPath("Standard1", "c"), ANY)
			return err
		}, anyRd},
		{"get/EACH_QUORUM+empty key", func() error {
			_, err := c.Get(ctx, empty, colPath("Standard1", "c"), tg.ConsistencyLevel_EACH_QUORUM)
			return err
		}, eqRd},
		{"get/bad name+ANY", func() error {
			_, err := c.Get(ctx, k, colPath("StandardLong1", "abc"), ANY)
			return err
		}, "Expected 8 or 0 byte long (3)"},
		{"get/unknown CF+bad path", func() error {
			_, err := c.Get(ctx, empty, &tg.ColumnPath{ColumnFamily: "Nope"}, ANY)
			return err
		}, "unconfigured table Nope"},
		{"get/TWO+empty key", func() error {
			_, err := c.Get(ctx, empty, colPath("Standard1", "c"), tg.ConsistencyLevel_TWO)
			return err
		}, "Key may not be empty"},
		// get_slice: parent, predicate, CL, key.
		{"get_slice/parent+predicate", func() error {
			_, err := c.GetSlice(ctx, k, superParent("Standard1", []byte("sc")), &tg.SlicePredicate{}, ANY)
			return err
		}, "table alone is required for standard CF Standard1"},
		{"get_slice/predicate+ANY", func() error {
			_, err := c.GetSlice(ctx, empty, parent("Standard1"), &tg.SlicePredicate{}, ANY)
			return err
		}, "predicate column_names and slice_range may not both be null"},
		{"get_slice/both predicate fields", func() error {
			p := names("a")
			p.SliceRange = &tg.SliceRange{Start: empty, Finish: empty, Count: 1}
			_, err := c.GetSlice(ctx, k, parent("Standard1"), p, ONE)
			return err
		}, "predicate column_names and slice_range may not both be present"},
		{"get_slice/range order+ANY", func() error {
			_, err := c.GetSlice(ctx, empty, parent("Standard1"), badRange, ANY)
			return err
		}, "range finish must come after start in the order of traversal"},
		{"get_slice/negative count+bad order", func() error {
			_, err := c.GetSlice(ctx, k, parent("Standard1"), columnRange("b", "a", false, -1), ONE)
			return err
		}, "get_slice requires non-negative count"},
		{"get_slice/ANY+empty key", func() error {
			_, err := c.GetSlice(ctx, empty, parent("Standard1"), names("a"), ANY)
			return err
		}, anyRd},
		{"get_slice/TWO+empty key", func() error {
			_, err := c.GetSlice(ctx, empty, parent("Standard1"), names("a"), tg.ConsistencyLevel_TWO)
			return err
		}, "Key may not be empty"},
		{"get_slice/empty name in column_names", func() error {
			_, err := c.GetSlice(ctx, k, parent("Standard1"), names("a", ""), ONE)
			return err
		}, "column name must not be empty"},
		// multiget: every key checked after CL.
		{"multiget_slice/ANY+empty key", func() error {
			_, err := c.MultigetSlice(ctx, [][]byte{k, empty}, parent("Standard1"), names("a"), ANY)
			return err
		}, anyRd},
		{"multiget_slice/empty key", func() error {
			_, err := c.MultigetSlice(ctx, [][]byte{k, empty}, parent("Standard1"), names("a"), ONE)
			return err
		}, "Key may not be empty"},
		{"multiget_slice/SERIAL two keys", func() error {
			_, err := c.MultigetSlice(ctx, [][]byte{k, []byte("k2")}, parent("Standard1"), names("a"), tg.ConsistencyLevel_SERIAL)
			return err
		}, "SERIAL/LOCAL_SERIAL consistency may only be requested for one row at a time"},
		{"multiget_slice/SERIAL one key", func() error {
			_, err := c.MultigetSlice(ctx, [][]byte{k}, parent("Standard1"), names("a"), tg.ConsistencyLevel_SERIAL)
			return err
		}, ""},
		{"multiget_count/predicate+ANY", func() error {
			_, err := c.MultigetCount(ctx, [][]byte{empty}, parent("Standard1"), &tg.SlicePredicate{}, ANY)
			return err
		}, "predicate column_names and slice_range may not both be null"},
		// get_range_slices: parent, predicate, KeyRange, CL.
		{"range/predicate+keyrange", func() error {
			_, err := c.GetRangeSlices(ctx, parent("Standard1"), &tg.SlicePredicate{}, &tg.KeyRange{Count: 1}, ANY)
			return err
		}, "predicate column_names and slice_range may not both be null"},
		{"range/keyrange+ANY", func() error {
			_, err := c.GetRangeSlices(ctx, parent("Standard1"), names("a"), keyRange("", "", 0), ANY)
			return err
		}, "maxRows must be positive"},
		{"range/ANY", func() error {
			_, err := c.GetRangeSlices(ctx, parent("Standard1"), names("a"), keyRange("", "", 1), ANY)
			return err
		}, anyRd},
		{"range/row_filter on super parent", func() error {
			kr := keyRange("", "", 1)
			kr.RowFilter = []*tg.IndexExpression{{ColumnName: longBytes(1), Op: tg.IndexOperator_EQ, Value: []byte("x")}}
			_, err := c.GetRangeSlices(ctx, superParent("Super1", []byte("sc")), names("\x00\x00\x00\x00\x00\x00\x00\x01"), kr, ONE)
			return err
		}, "super columns are not supported for indexing"},
		{"range/row_filter bad name before count", func() error {
			kr := keyRange("", "", 0)
			kr.RowFilter = []*tg.IndexExpression{{ColumnName: []byte("abc"), Op: tg.IndexOperator_EQ, Value: longBytes(1)}}
			_, err := c.GetRangeSlices(ctx, parent("StandardLong1"), columnRange("", "", false, 1), kr, ONE)
			return err
		}, "[616263]=[0000000000000001] failed name validation (Expected 8 or 0 byte long (3))"},
		// get_paged_slice: KeyRange, CL, then row_filter.
		{"paged/keyrange+ANY", func() error {
			_, err := c.GetPagedSlice(ctx, "Standard1", keyRange("", "", 0), empty, ANY)
			return err
		}, "maxRows must be positive"},
		{"paged/ANY+row_filter", func() error {
			kr := keyRange("", "", 5)
			kr.RowFilter = []*tg.IndexExpression{{ColumnName: []byte("a"), Op: tg.IndexOperator_EQ, Value: []byte("x")}}
			_, err := c.GetPagedSlice(ctx, "Standard1", kr, empty, ANY)
			return err
		}, anyRd},
		{"paged/row_filter", func() error {
			kr := keyRange("", "", 5)
			kr.RowFilter = []*tg.IndexExpression{{ColumnName: []byte("a"), Op: tg.IndexOperator_EQ, Value: []byte("x")}}
			_, err := c.GetPagedSlice(ctx, "Standard1", kr, empty, ONE)
			return err
		}, "Cross-row paging is not supported along with index clauses"},
		{"paged/unknown CF", func() error {
			_, err := c.GetPagedSlice(ctx, "Nope", keyRange("", "", 0), empty, ANY)
			return err
		}, "unconfigured table Nope"},
		// get_indexed_slices on a counter CF.
		{"indexed/counter CF", func() error {
			_, err := c.GetIndexedSlices(ctx, parent("Counter1"), indexClause("", 10, eqExpr("a", longBytes(1))), names("a"), ONE)
			return err
		}, "invalid operation for commutative table Counter1"},
		{"indexed/empty clause", func() error {
			_, err := c.GetIndexedSlices(ctx, parent("Indexed1"), indexClause("", 10), names("a"), ONE)
			return err
		}, "index clause list may not be empty"},
		{"indexed/ANY", func() error {
			_, err := c.GetIndexedSlices(ctx, parent("Indexed1"), indexClause("", 10, eqExpr("birthdate", longBytes(1))), names("a"), ANY)
			return err
		}, anyRd},
		// get_multi_slice: super, parent, CL, slices, key.
		{"multi_slice/super", func() error {
			r := &tg.MultiSliceRequest{Key: empty, ColumnParent: parent("Super1"), ColumnSlices: []*tg.ColumnSlice{{}}}
			_, err := c.GetMultiSlice(ctx, r)
			return err
		}, "get_multi_slice does not support super columns"},
		{"multi_slice/ANY+bad slice", func() error {
			r := &tg.MultiSliceRequest{Key: empty, ColumnParent: parent("Standard1"), ConsistencyLevel: ANY,
				ColumnSlices: []*tg.ColumnSlice{{Start: []byte("b"), Finish: []byte("a")}}}
			_, err := c.GetMultiSlice(ctx, r)
			return err
		}, anyRd},
		{"multi_slice/bad slice+empty key", func() error {
			r := tg.NewMultiSliceRequest()
			r.Key, r.ColumnParent = empty, parent("Standard1")
			r.ColumnSlices = []*tg.ColumnSlice{{Start: []byte("a"), Finish: []byte("b")}, {Start: []byte("b"), Finish: []byte("a")}}
			_, err := c.GetMultiSlice(ctx, r)
			return err
		}, "Column slice at index 1 had start greater than finish"},
	})
}

func TestAuditCheckOrderWrites(t *testing.T) {
	c := dtestClient(t, server.Config{})
	const (
		ANY    = tg.ConsistencyLevel_ANY
		SERIAL = tg.ConsistencyLevel_SERIAL
	)
	serialW := "You must use conditional updates for serializable writes"
	empty := []byte{}
	k := []byte("k")
	noValue := &tg.Column{Name: []byte("c"), Timestamp: i64p(1)}
	runErrCases(t, []errCase{
		// insert: counter CF, key, parent, super name, column name, data, CL.
		{"insert/counter CF+empty key", func() error {
			return c.Insert(ctx, empty, parent("Counter1"), col("c", "v", 1), ONE)
		}, "invalid operation for commutative table Counter1"},
		{"insert/empty key+bad parent", func() error {
			return c.Insert(ctx, empty, superParent("Standard1", []byte("sc")), col("c", "v", 1), ONE)
		}, "Key may not be empty"},
		{"insert/bad parent+empty name", func() error {
			return c.Insert(ctx, k, superParent("Standard1", []byte("sc")), col("", "v", 1), ONE)
		}, "table alone is required for standard CF Standard1"},
		{"insert/super without sc+empty name", func() error {
			return c.Insert(ctx, k, parent("Super1"), col("", "v", 1), ONE)
		}, "missing mandatory super column name for super CF Super1"},
		{"insert/empty name+no value", func() error {
			return c.Insert(ctx, k, parent("Standard1"), &tg.Column{Name: []byte{}, Timestamp: i64p(1)}, ONE)
		}, "column name must not be empty"},
		{"insert/ttl 0+no value", func() error {
			return c.Insert(ctx, k, parent("Standard1"), &tg.Column{Name: []byte("c"), Timestamp: i64p(1), TTL: i32p(0)}, ONE)
		}, "ttl must be positive"},
		{"insert/ttl negative", func() error {
			return c.Insert(ctx, k, parent("Standard1"), ttlCol("c", "v", 1, -1), ONE)
		}, "ttl must be positive"},
		{"insert/ttl too large", func() error {
			return c.Insert(ctx, k, parent("Standard1"), ttlCol("c", "v", 1, 630720001), ONE)
		}, "ttl is too large. requested (630720001) maximum (630720000)"},
		{"insert/no value+no timestamp", func() error {
			return c.Insert(ctx, k, parent("Standard1"), &tg.Column{Name: []byte("c")}, ONE)
		}, "Column value is required"},
		{"insert/no timestamp", func() error {
			return c.Insert(ctx, k, parent("Standard1"), &tg.Column{Name: []byte("c"), Value: []byte("v")}, ONE)
		}, "Column timestamp is required"},
		{"insert/no value+SERIAL", func() error {
			return c.Insert(ctx, k, parent("Standard1"), noValue, SERIAL)
		}, "Column value is required"},
		{"insert/validator+SERIAL", func() error {
			return c.Insert(ctx, k, parent("Standard3"), col("c1", "\xff", 1), SERIAL)
		}, "(Invalid byte for ascii: -1) [Keyspace1][Standard3][6331] failed validation"},
		{"insert/SERIAL", func() error {
			return c.Insert(ctx, k, parent("Standard1"), col("c", "v", 1), SERIAL)
		}, serialW},
		{"insert/LOCAL_SERIAL", func() error {
			return c.Insert(ctx, k, parent("Standard1"), col("c", "v", 1), tg.ConsistencyLevel_LOCAL_SERIAL)
		}, serialW},
		{"insert/empty key+TWO", func() error {
			return c.Insert(ctx, empty, parent("Standard1"), col("c", "v", 1), tg.ConsistencyLevel_TWO)
		}, "Key may not be empty"},
		{"insert/long key", func() error {
			return c.Insert(ctx, make([]byte, 65536), parent("Standard1"), col("c", "v", 1), ONE)
		}, "Key length of 65536 is longer than maximum of 65535"},
		{"insert/ANY ok", func() error {
			return c.Insert(ctx, k, parent("Standard1"), col("c", "v", 1), ANY)
		}, ""},
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
		// remove: counter CF, key, path, CL.
		{"remove/counter CF+empty key", func() error {
			return c.Remove(ctx, empty, colPath("Counter1", "c"), 1, ONE)
		}, "invalid operation for commutative table Counter1"},
		{"remove/empty key+bad path", func() error {
			return c.Remove(ctx, empty, path("Standard1", []byte("sc"), nil), 1, SERIAL)
		}, "Key may not be empty"},
		{"remove/sc on standard+SERIAL", func() error {
			return c.Remove(ctx, k, path("Standard1", []byte("sc"), nil), 1, SERIAL)
		}, "supercolumn may not be specified for standard CF Standard1"},
		{"remove/column without sc on super", func() error {
			return c.Remove(ctx, k, colPath("Super1", "c"), 1, ONE)
		}, "A column cannot be specified without specifying a super column for removal on super CF Super1"},
		{"remove/SERIAL", func() error {
			return c.Remove(ctx, k, colPath("Standard1", "c"), 1, SERIAL)
		}, serialW},
		{"remove/whole super row ok", func() error {
			return c.Remove(ctx, k, path("Super1", nil, nil), 1, ONE)
		}, ""},
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
		// batch_mutate: counter CL before mutations, write CL after them.
		{"batch/counter ANY+bad mutation", func() error {
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{"k": {"Counter1": {{}}}}, ANY)
		}, "Consistency level ANY is not yet supported for counter table Counter1"},
		{"batch/counter SERIAL+bad mutation", func() error {
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{"k": {"Counter1": {{}}}}, SERIAL)
		}, "Counter operations are inherently non-serializable"},
		{"batch/SERIAL+bad mutation", func() error {
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{"k": {"Standard1": {{}}}}, SERIAL)
		}, "mutation must have one and only one of column_or_supercolumn or deletion"},
		{"batch/SERIAL", func() error {
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{"k": {"Standard1": {mutCol(col("c", "v", 1))}}}, SERIAL)
		}, serialW},
		{"batch/empty map+SERIAL", func() error {
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{}, SERIAL)
		}, serialW},
		{"batch/empty map+TWO is a no-op", func() error {
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{}, tg.ConsistencyLevel_TWO)
		}, ""}, // doInsert validates the CL, then returns before StorageProxy
		{"batch/empty key+unknown CF", func() error {
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{"": {"Nope": {{}}}}, ONE)
		}, "unconfigured table Nope"},
		{"batch/empty key+bad mutation", func() error {
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{"": {"Standard1": {{}}}}, ONE)
		}, "Key may not be empty"},
		{"batch/both fields", func() error {
			m := mutCol(col("c", "v", 1))
			m.Deletion = &tg.Deletion{Timestamp: i64p(1)}
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{"k": {"Standard1": {m}}}, ONE)
		}, "mutation must have one and only one of column_or_supercolumn or deletion"},
		{"batch/empty COSC", func() error {
			m := &tg.Mutation{ColumnOrSupercolumn: &tg.ColumnOrSuperColumn{}}
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{"k": {"Standard1": {m}}}, ONE)
		}, "ColumnOrSuperColumn must have one (and only one) of column, super_column, counter and counter_super_column"},
		{"batch/column on counter CF", func() error {
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{"k": {"Counter1": {mutCol(col("c", "v", 1))}}}, ONE)
		}, "invalid operation for commutative table Counter1"},
		{"batch/counter on normal CF", func() error {
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{"k": {"Standard1": {mutCounter("c", 1)}}}, ONE)
		}, "invalid operation for non commutative table Standard1"},
		{"batch/column on super CF", func() error {
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{"k": {"Super1": {mutCol(col("c", "v", 1))}}}, ONE)
		}, "supercolumn parameter is not optional for super CF Super1"},
		{"batch/super_column on standard CF", func() error {
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{"k": {"Standard1": {mutSuper([]byte("sc"), col("c", "v", 1))}}}, ONE)
		}, "supercolumn parameter is invalid for standard CF Standard1"},
		{"batch/deletion without timestamp", func() error {
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{"k": {"Standard1": {mutDel(nil, nil, nil)}}}, ONE)
		}, "Deletion timestamp is not optional for non commutative table Standard1"},
		{"batch/deletion empty predicate", func() error {
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{"k": {"Standard1": {mutDel(i64p(1), nil, &tg.SlicePredicate{})}}}, ONE)
		}, "A SlicePredicate must be given a list of Columns, a SliceRange, or both"},
		{"batch/deletion sc on standard", func() error {
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{"k": {"Standard1": {mutDel(i64p(1), []byte("sc"), nil)}}}, ONE)
		}, "Deletion of super columns is not possible on a standard table (KeySpace=Keyspace1 Table=Standard1 Deletion=Deletion(timestamp:1, super_column:73 63))"},
		{"batch/counter deletion without timestamp ok", func() error {
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{"k": {"Counter1": {mutDel(nil, nil, names("c"))}}}, ONE)
		}, ""},
		{"atomic/counter", func() error {
			return c.AtomicBatchMutate(ctx, map[string]map[string][]*tg.Mutation{"k": {"Counter1": {mutCounter("c", 1)}}}, ONE)
		}, "Counter mutations are not allowed in atomic batches"},
		{"atomic/SERIAL", func() error {
			return c.AtomicBatchMutate(ctx, map[string]map[string][]*tg.Mutation{"k": {"Standard1": {mutCol(col("c", "v", 1))}}}, SERIAL)
		}, serialW},
		// cas: counter CF, key, super, updates, serial CL, commit CL.
		{"cas/counter CF+empty key", func() error {
			_, err := c.Cas(ctx, empty, "Counter1", nil, []*tg.Column{col("c", "v", 1)}, SERIAL, ONE)
			return err
		}, "invalid operation for commutative table Counter1"},
		{"cas/empty key+super", func() error {
			_, err := c.Cas(ctx, empty, "Super1", nil, []*tg.Column{col("c", "v", 1)}, SERIAL, ONE)
			return err
		}, "Key may not be empty"},
		{"cas/super+bad update", func() error {
			_, err := c.Cas(ctx, k, "Super1", nil, []*tg.Column{noValue}, ONE, SERIAL)
			return err
		}, "CAS does not support supercolumns"},
		{"cas/bad update+bad serial CL", func() error {
			_, err := c.Cas(ctx, k, "Standard1", nil, []*tg.Column{noValue}, ONE, SERIAL)
			return err
		}, "Column value is required"},
		{"cas/bad update name", func() error {
			_, err := c.Cas(ctx, k, "StandardLong1", nil, []*tg.Column{col("abc", "v", 1)}, SERIAL, ONE)
			return err
		}, "Expected 8 or 0 byte long (3)"},
		{"cas/expected is not validated", func() error {
			_, err := c.Cas(ctx, k, "StandardLong1", []*tg.Column{{Name: []byte("abc")}}, []*tg.Column{bcol(longBytes(1), "v", 1)}, SERIAL, ONE)
			return err
		}, ""},
		{"cas/bad serial+bad commit", func() error {
			_, err := c.Cas(ctx, k, "Standard1", nil, []*tg.Column{col("c", "v", 1)}, tg.ConsistencyLevel_QUORUM, SERIAL)
			return err
		}, "Invalid consistency for conditional update. Must be one of SERIAL or LOCAL_SERIAL"},
		{"cas/commit SERIAL", func() error {
			_, err := c.Cas(ctx, k, "Standard1", nil, []*tg.Column{col("c", "v", 1)}, SERIAL, SERIAL)
			return err
		}, `SERIAL is not supported as conditional update commit consistency. Use ANY if you mean "make sure it is accepted but I don't care how many replicas commit it for non-SERIAL reads"`},
		{"cas/commit LOCAL_SERIAL", func() error {
			_, err := c.Cas(ctx, k, "Standard1", nil, []*tg.Column{col("c", "v", 1)}, tg.ConsistencyLevel_LOCAL_SERIAL, tg.ConsistencyLevel_LOCAL_SERIAL)
			return err
		}, `LOCAL_SERIAL is not supported as conditional update commit consistency. Use ANY if you mean "make sure it is accepted but I don't care how many replicas commit it for non-SERIAL reads"`},
		{"cas/commit EACH_QUORUM on SimpleStrategy", func() error {
			_, err := c.Cas(ctx, k, "Standard1", nil, []*tg.Column{col("c", "v", 1)}, SERIAL, tg.ConsistencyLevel_EACH_QUORUM)
			return err
		}, "consistency level EACH_QUORUM not compatible with replication strategy (org.apache.cassandra.locator.SimpleStrategy)"},
		{"cas/commit ANY ok", func() error {
			_, err := c.Cas(ctx, []byte("casany"), "Standard1", nil, []*tg.Column{col("c", "v", 1)}, SERIAL, ANY)
			return err
		}, ""},
		// truncate: P1, P2 only.
		{"truncate/unknown", func() error { return c.Truncate(ctx, "Nope") }, "unconfigured table Nope"},
		{"truncate/empty name", func() error { return c.Truncate(ctx, "") }, "non-empty table is required"},
		{"truncate/counter CF allowed in 2.2", func() error { return c.Truncate(ctx, "Counter1") }, ""},
	})
}

func TestAuditCheckOrderSession(t *testing.T) {
	c, _ := startAndDial(t, server.Config{})
	noKs := "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename"
	runErrCases(t, []errCase{
		{"get/no ks+bad path", func() error {
			_, err := c.Get(ctx, nil, &tg.ColumnPath{}, tg.ConsistencyLevel_ANY)
			return err
		}, noKs},
		{"insert/no ks", func() error { return c.Insert(ctx, nil, parent(""), &tg.Column{}, ONE) }, noKs},
		{"batch/no ks", func() error {
			return c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{"k": {"Standard1": {{}}}}, ONE)
		}, noKs},
		{"truncate/no ks", func() error { return c.Truncate(ctx, "x") }, noKs},
		{"add_cf/no ks", func() error {
			_, err := c.SystemAddColumnFamily(ctx, cfDef("Nope", "cf"))
			return err
		}, noKs},
		{"drop_cf/no ks", func() error {
			_, err := c.SystemDropColumnFamily(ctx, "cf")
			return err
		}, noKs},
		{"splits/no ks", func() error {
			_, err := c.DescribeSplitsEx(ctx, "cf", "0", "0", 10)
			return err
		}, noKs},
		{"set_keyspace/unknown", func() error { return c.SetKeyspace(ctx, "Nope") }, "Keyspace 'Nope' does not exist"},
	})
	// A keyspace that does not exist after set_keyspace cannot happen under
	// AllowAll, but one dropped later gives P2's wording.
	_, err := c.SystemAddKeyspace(ctx, ksDef("Gone", simple, rf1, cfDef("Gone", "cf")))
	must(t, err)
	must(t, c.SetKeyspace(ctx, "Gone"))
	_, err = c.SystemDropKeyspace(ctx, "Gone")
	must(t, err)
	_, err = c.Get(ctx, []byte("k"), colPath("cf", "c"), ONE)
	mustIRE(t, err, "Keyspace Gone does not exist")
	_, err = c.GetSlice(ctx, []byte("k"), parent(""), names("c"), ONE)
	mustIRE(t, err, "Keyspace Gone does not exist")
}

func TestAuditBatchMutateEmptyParts(t *testing.T) {
	// createMutationList validates per (key, CF) pair: P2, key, counter CL,
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
		// The counter mutation stays empty, and only a non-empty one is
		// refused (createMutationList checks !counterMutation.isEmpty()).
		{"atomic: counter CF with an empty mutation list", func() error {
			return c.AtomicBatchMutate(ctx, mutationMap{"k": {"Counter1": {}}}, ONE)
		}, ""},
		{"SERIAL with only empty lists", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {}}}, tg.ConsistencyLevel_SERIAL)
		}, "You must use conditional updates for serializable writes"},
	})
	fresh := dial(t, c.addr)
	err := fresh.BatchMutate(ctx, mutationMap{}, ONE)
	mustIRE(t, err, "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename")
}

func TestAuditBatchMutateEmptyMutations(t *testing.T) {
	// createMutationList keeps only row mutations that add something;
	// doInsert returns after the CL check when none is left (C22).
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
		}, ""},
		{"atomic with a counter deletion of no names", func() error {
			return c.AtomicBatchMutate(ctx, mutationMap{"k": {"Counter1": {noNames(nil)}, "Standard1": {mutCol(col("a", "v", 1))}}}, ONE)
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
	// Nothing to write: no replica is needed.
	must(t, c.SetKeyspace(ctx, "Rf3"))
	must(t, c.BatchMutate(ctx, mutationMap{"e": {"cf": {}}}, tg.ConsistencyLevel_QUORUM))
	must(t, c.BatchMutate(ctx, mutationMap{"e": {"cf": {noNames(i64p(1))}}}, tg.ConsistencyLevel_ALL))
	mustUE(t, c.BatchMutate(ctx, mutationMap{"e": {"cf": {mutDel(i64p(1), nil, nil)}}}, tg.ConsistencyLevel_ALL))
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
