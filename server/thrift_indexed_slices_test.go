package server_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// get_indexed_slices and get_range_slices' row_filter: KEYS secondary
// indexes, expression matching and validation, index maintenance, and the
// refusals of get_indexed_slices.

func TestThriftIndexedSlices(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Indexed1")
	bd := func(key string, year int64, ts int64) {
		c.insert(t, key, p, bcol([]byte("birthdate"), string(longBytes(year)), ts))
	}
	bd("k1", 1970, 0)
	bd("k2", 1980, 0)
	bd("k3", 1970, 0)
	c.insert(t, "k3", p, col("state", "UT", 0))
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(1970)))); strings.Join(got, ",") != "k1,k3" {
		t.Fatalf("EQ: %v", got)
	}
	// start_key is inclusive, count limits rows.
	if got := indexedKeys(t, c, "Indexed1", indexClause("k3", 100, eqExpr("birthdate", longBytes(1970)))); strings.Join(got, ",") != "k3" {
		t.Fatalf("start key: %v", got)
	}
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 1, eqExpr("birthdate", longBytes(1970)))); strings.Join(got, ",") != "k1" {
		t.Fatalf("count: %v", got)
	}
	// Other expressions filter; a missing column never matches.
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(1970)), eqExpr("state", []byte("UT")))); strings.Join(got, ",") != "k3" {
		t.Fatalf("filter: %v", got)
	}
	gte := &tg.IndexExpression{ColumnName: []byte("birthdate"), Op: tg.IndexOperator_GTE, Value: longBytes(1975)}
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(1980)), gte)); strings.Join(got, ",") != "k2" {
		t.Fatalf("GTE filter: %v", got)
	}
	// The index follows overwrites and deletes.
	bd("k1", 1980, 1)
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(1970)))); strings.Join(got, ",") != "k3" {
		t.Fatalf("after overwrite: %v", got)
	}
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(1980)))); strings.Join(got, ",") != "k1,k2" {
		t.Fatalf("after overwrite (new value): %v", got)
	}
	bd("k1", 1990, 0) // older write loses: index unchanged
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(1990)))); len(got) != 0 {
		t.Fatalf("stale write indexed: %v", got)
	}
	must(t, c.Remove(ctx, []byte("k2"), colPath("Indexed1", "birthdate"), 5, ONE))
	must(t, c.Remove(ctx, []byte("k3"), path("Indexed1", nil, nil), 5, ONE))
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(1980)))); strings.Join(got, ",") != "k1" {
		t.Fatalf("after delete: %v", got)
	}
	must(t, c.BatchMutate(ctx, mutationMap{"k1": {"Indexed1": {mutDel(i64p(9), nil, columnRange("a", "c", false, 1))}}}, ONE))
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(1980)))); len(got) != 0 {
		t.Fatalf("after range delete: %v", got)
	}
	must(t, c.Truncate(ctx, "Indexed1"))
	bd("k9", 1970, 0)
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(1970)))); strings.Join(got, ",") != "k9" {
		t.Fatalf("after truncate: %v", got)
	}
}

func TestThriftIndexedSlicesExpiry(t *testing.T) {
	clk := cassatest.NewClock(clockStart)
	c := dtestClient(t, server.Config{Clock: clk.Now})
	v := string(longBytes(1))
	c.insert(t, "key1", parent("Indexed1"), &tg.Column{Name: []byte("birthdate"), Value: []byte(v), Timestamp: i64p(0), TTL: i32p(2)})
	kr := keyRange("", "", 100)
	kr.RowFilter = []*tg.IndexExpression{eqExpr("birthdate", longBytes(1))}
	rows, err := c.GetRangeSlices(ctx, parent("Indexed1"), columnRange("", "", false, 100), kr, ONE)
	must(t, err)
	if len(rows) != 1 {
		t.Fatalf("before expiry: %v", rows)
	}
	clk.Advance(3 * time.Second)
	rows, err = c.GetRangeSlices(ctx, parent("Indexed1"), columnRange("", "", false, 100), kr, ONE)
	must(t, err)
	if len(rows) != 0 {
		t.Fatalf("after expiry (range): %v", rows)
	}
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(1)))); len(got) != 0 {
		t.Fatalf("after expiry (indexed): %v", got)
	}
}

func TestThriftIndexedColumnOutsidePredicate(t *testing.T) {
	c := dtestClient(t, server.Config{})
	c.insert(t, "key1", parent("Indexed4"), bcol([]byte("a"), string(longBytes(1)), 0), col("z", "zzz", 0))
	for _, pred := range []*tg.SlicePredicate{columnRange("z", "z", false, 100), names("z")} {
		rows, err := c.GetIndexedSlices(ctx, parent("Indexed4"), indexClause("", 100, eqExpr("a", longBytes(1))), pred, ONE)
		must(t, err)
		if len(rows) != 1 || strings.Join(colNames(t, rows[0].Columns), ",") != "z" {
			t.Fatalf("%v: %v", pred, rows)
		}
	}
}

func TestThriftIndexedSlicesValidation(t *testing.T) {
	c := dtestClient(t, server.Config{})
	all := columnRange("", "", false, 100)
	_, err := c.GetIndexedSlices(ctx, parent("Indexed1"), indexClause("", 100), all, ONE)
	mustIRE(t, err, "index clause list may not be empty")
	_, err = c.GetIndexedSlices(ctx, parent("Indexed1"), indexClause("", 100, eqExpr("other", []byte("x"))), all, ONE)
	mustIRE(t, err, "No indexed columns present in index clause with operator EQ")
	gt := &tg.IndexExpression{ColumnName: []byte("birthdate"), Op: tg.IndexOperator_GT, Value: longBytes(1)}
	_, err = c.GetIndexedSlices(ctx, parent("Indexed1"), indexClause("", 100, gt), all, ONE)
	mustIRE(t, err, "No indexed columns present in index clause with operator EQ")
	_, err = c.GetIndexedSlices(ctx, parent("Indexed1"), indexClause("", 100, eqExpr("birthdate", []byte("x"))), all, ONE)
	mustIRE(t, err, "[626972746864617465]=[78] failed value validation (Expected 8 or 0 byte long (1))")
	_, err = c.GetIndexedSlices(ctx, parent("Indexed1"), indexClause("", 100, eqExpr("birthdate", longBytes(1))), all, tg.ConsistencyLevel_ANY)
	mustIRE(t, err, "ANY ConsistencyLevel is only supported for writes")
}

func TestThriftIndexBuiltOnUpdate(t *testing.T) {
	c := dtestClient(t, server.Config{})
	def := tg.NewCfDef()
	def.Keyspace, def.Name = "Keyspace1", "ToBeIndexed"
	def.DefaultValidationClass = strp("LongType")
	def.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("birthdate"), ValidationClass: "BytesType"}}
	_, err := c.SystemAddColumnFamily(ctx, def)
	must(t, err)
	p := parent("ToBeIndexed")
	c.insert(t, "key1", p, bcol([]byte("birthdate"), string(longBytes(1)), 0))
	c.insert(t, "key2", p, bcol([]byte("birthdate"), string(longBytes(2)), 0), bcol([]byte("b"), string(longBytes(2)), 0))
	c.insert(t, "key3", p, bcol([]byte("birthdate"), string(longBytes(3)), 0), bcol([]byte("b"), string(longBytes(3)), 0))
	kr := keyRange("", "", 100)
	kr.RowFilter = []*tg.IndexExpression{eqExpr("birthdate", longBytes(1))}
	check := func() {
		t.Helper()
		rows, err := c.GetRangeSlices(ctx, p, columnRange("", "", false, 100), kr, ONE)
		must(t, err)
		if len(rows) != 1 || string(rows[0].Key) != "key1" || len(rows[0].Columns) != 1 {
			t.Fatalf("filter: %v", rows)
		}
	}
	check()
	// get_indexed_slices needs an index...
	_, err = c.GetIndexedSlices(ctx, p, indexClause("", 100, eqExpr("birthdate", longBytes(1))), columnRange("", "", false, 100), ONE)
	mustIRE(t, err, "No indexed columns present in index clause with operator EQ")
	// ...which system_update_column_family builds from the existing data.
	upd := tg.NewCfDef()
	upd.Keyspace, upd.Name = "Keyspace1", "ToBeIndexed"
	upd.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("birthdate"), ValidationClass: "BytesType", IndexType: tg.IndexTypePtr(tg.IndexType_KEYS), IndexName: strp("bd_index")}}
	_, err = c.SystemUpdateColumnFamily(ctx, upd)
	must(t, err)
	ks, err := c.DescribeKeyspace(ctx, "Keyspace1")
	must(t, err)
	for _, cf := range ks.CfDefs {
		if cf.Name == "ToBeIndexed" {
			cd := cf.ColumnMetadata[0]
			if cd.GetIndexType() != tg.IndexType_KEYS || cd.GetIndexName() != "bd_index" {
				t.Fatalf("column def %v", cd)
			}
		}
	}
	check()
	if got := indexedKeys(t, c, "ToBeIndexed", indexClause("", 100, eqExpr("birthdate", longBytes(2)))); strings.Join(got, ",") != "key2" {
		t.Fatalf("rebuilt index: %v", got)
	}
	// Dropping the index (column_metadata without index_type).
	upd.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("birthdate"), ValidationClass: "BytesType"}}
	_, err = c.SystemUpdateColumnFamily(ctx, upd)
	must(t, err)
	_, err = c.GetIndexedSlices(ctx, p, indexClause("", 100, eqExpr("birthdate", longBytes(2))), columnRange("", "", false, 100), ONE)
	mustIRE(t, err, "No indexed columns present in index clause with operator EQ")
}

func TestThriftIndexedSlicesRingOrderAndTies(t *testing.T) {
	m3 := partitioner.Murmur3Partitioner{}
	c := dtestClient(t, server.Config{Partitioner: "Murmur3Partitioner"})
	p := parent("Indexed1")
	var keys []string
	for i := 0; i < 10; i++ {
		k := fmt.Sprintf("row%d", i)
		keys = append(keys, k)
		c.insert(t, k, p, bcol([]byte("birthdate"), string(longBytes(1)), 5))
	}
	ring, _ := ringKeys(t, m3, keys)
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(1)))); strings.Join(got, " ") != strings.Join(ring, " ") {
		t.Fatalf("ring order: %v, want %v", got, ring)
	}
	// start_key is inclusive, in ring order, and the scan runs to the end
	// of the ring (no wrap).
	if got := indexedKeys(t, c, "Indexed1", indexClause(ring[6], 100, eqExpr("birthdate", longBytes(1)))); strings.Join(got, " ") != strings.Join(ring[6:], " ") {
		t.Fatalf("start_key: %v, want %v", got, ring[6:])
	}
	if got := indexedKeys(t, c, "Indexed1", indexClause(ring[2], 3, eqExpr("birthdate", longBytes(1)))); strings.Join(got, " ") != strings.Join(ring[2:5], " ") {
		t.Fatalf("count: %v", got)
	}
	// Index updates follow reconciliation: at equal timestamps the
	// signed-greater value wins (0x7f.. beats 0x80..).
	k := ring[0]
	c.insert(t, k, p, bcol([]byte("birthdate"), string(longBytes(-1)), 5)) // 0xff.. < 0x00..01 signed
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(-1)))); len(got) != 0 {
		t.Fatalf("losing tie value indexed: %v", got)
	}
	c.insert(t, k, p, bcol([]byte("birthdate"), string(longBytes(2)), 5))
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(2)))); strings.Join(got, ",") != k {
		t.Fatalf("winning tie value not indexed: %v", got)
	}
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(1)))); len(got) != 9 {
		t.Fatalf("old value still indexed: %v", got)
	}
	// A tombstone older than the value leaves it indexed; a tie removes it.
	must(t, c.Remove(ctx, []byte(k), colPath("Indexed1", "birthdate"), 4, ONE))
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(2)))); len(got) != 1 {
		t.Fatalf("older tombstone unindexed: %v", got)
	}
	must(t, c.Remove(ctx, []byte(k), colPath("Indexed1", "birthdate"), 5, ONE))
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(2)))); len(got) != 0 {
		t.Fatalf("tie tombstone left it indexed: %v", got)
	}
	// A batch with several writes to the indexed column: only the winner.
	must(t, c.BatchMutate(ctx, mutationMap{"b": {"Indexed1": {
		mutCol(bcol([]byte("birthdate"), string(longBytes(7)), 9)),
		mutCol(bcol([]byte("birthdate"), string(longBytes(8)), 8)),
	}}}, ONE))
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(8)))); len(got) != 0 {
		t.Fatalf("batch loser indexed: %v", got)
	}
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(7)))); strings.Join(got, ",") != "b" {
		t.Fatalf("batch winner: %v", got)
	}
}

func TestThriftRowFilter(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Indexed1")
	c.insert(t, "key1", p, bcol([]byte("birthdate"), string(longBytes(1)), 0))
	c.insert(t, "key2", p, bcol([]byte("birthdate"), string(longBytes(2)), 0), bcol([]byte("b"), string(longBytes(2)), 0))
	c.insert(t, "key3", p, bcol([]byte("birthdate"), string(longBytes(3)), 0), bcol([]byte("b"), string(longBytes(3)), 0))
	filter := func(exprs ...*tg.IndexExpression) *tg.KeyRange {
		kr := keyRange("", "", 100)
		kr.RowFilter = exprs
		return kr
	}
	eq := func(name string, v []byte) *tg.IndexExpression {
		return &tg.IndexExpression{ColumnName: []byte(name), Op: tg.IndexOperator_EQ, Value: v}
	}
	all := columnRange("", "", false, 100)
	rows, err := c.GetRangeSlices(ctx, p, all, filter(eq("birthdate", longBytes(1))), ONE)
	must(t, err)
	if len(rows) != 1 || string(rows[0].Key) != "key1" || len(rows[0].Columns) != 1 {
		t.Fatalf("indexed EQ: %v", rows)
	}
	rows, err = c.GetRangeSlices(ctx, p, all, filter(eq("b", longBytes(1))), ONE)
	must(t, err)
	if len(rows) != 0 {
		t.Fatalf("unindexed EQ: %v", rows)
	}
	rows, err = c.GetRangeSlices(ctx, p, all, filter(eq("b", longBytes(3)), eq("birthdate", longBytes(3))), ONE)
	must(t, err)
	if len(rows) != 1 || string(rows[0].Key) != "key3" || len(rows[0].Columns) != 2 {
		t.Fatalf("mixed: %v", rows)
	}
	gt := &tg.IndexExpression{ColumnName: []byte("birthdate"), Op: tg.IndexOperator_GT, Value: longBytes(1)}
	rows, err = c.GetRangeSlices(ctx, p, all, filter(gt), ONE)
	must(t, err)
	if strings.Join(rowKeys(rows), ",") != "key2,key3" {
		t.Fatalf("GT filter: %v", rowKeys(rows))
	}
	// Expression checks (dtest test_index_scan_uuid_names).
	c.insert(t, "key1", parent("Indexed3"), bcol(uuidBytes("00000000-0000-1000-0000-000000000000"), "a", 0),
		bcol(uuidBytes("00000000-0000-1000-0000-000000000001"), "b", 0))
	kr := filter(&tg.IndexExpression{ColumnName: uuidBytes("00000000-0000-1000-0000-000000000000"), Op: tg.IndexOperator_EQ, Value: []byte("a")},
		&tg.IndexExpression{ColumnName: uuidBytes("00000000-0000-1000-0000-000000000001"), Op: tg.IndexOperator_EQ, Value: []byte("b")})
	rows, err = c.GetRangeSlices(ctx, parent("Indexed3"), all, kr, ONE)
	must(t, err)
	if len(rows) != 1 {
		t.Fatalf("uuid names: %v", rows)
	}
	_, err = c.GetRangeSlices(ctx, parent("Indexed2"), all, filter(eq("foo", uuidBytes("00000000-0000-1000-0000-000000000000"))), ONE)
	mustIRE(t, err, "[666f6f]=[00000000000010000000000000000000] failed name validation (UUID should be 16 or 0 bytes (3))")
	_, err = c.GetRangeSlices(ctx, parent("Indexed2"), all, filter(&tg.IndexExpression{ColumnName: uuidBytes("00000000-0000-1000-0000-000000000000"), Op: tg.IndexOperator_EQ, Value: []byte("foo")}), ONE)
	mustIRE(t, err, "[00000000000010000000000000000000]=[666f6f] failed value validation (Expected 8 or 0 byte long (3))")
	_, err = c.GetRangeSlices(ctx, p, all, filter(eq("birthdate", bytes.Repeat([]byte{1}, 65536))), ONE)
	mustIRE(t, err, "Index expression values may not be larger than 64K")
	// An unknown IndexOperator is a protocol error, as in Java.
	_, err = c.GetRangeSlices(ctx, p, all, filter(&tg.IndexExpression{ColumnName: []byte("b"), Op: 99, Value: longBytes(1)}), ONE)
	if err == nil {
		t.Fatal("unknown operator accepted")
	}
	_, err = c.DescribeVersion(ctx)
	must(t, err)
}

func TestThriftRangeFiltersAndGhosts(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Indexed4") // a: LongType indexed, z: UTF8Type, others BytesType
	put := func(key string, a int64, z string) {
		c.insert(t, key, p, bcol([]byte("a"), string(longBytes(a)), 1), col("z", z, 1), col("other", "x", 1))
	}
	put("k1", -5, "b")
	put("k2", 3, "a")
	put("k3", 3, "c")
	put("k4", 10, "é")
	must(t, c.Remove(ctx, []byte("k0"), path("Indexed4", nil, nil), 1, ONE)) // a ghost
	expr := func(name string, op tg.IndexOperator, v []byte) *tg.IndexExpression {
		return &tg.IndexExpression{ColumnName: []byte(name), Op: op, Value: v}
	}
	filtered := func(count int32, pred *tg.SlicePredicate, exprs ...*tg.IndexExpression) string {
		t.Helper()
		kr := keyRange("", "", count)
		kr.RowFilter = exprs
		rows, err := c.GetRangeSlices(ctx, p, pred, kr, ONE)
		must(t, err)
		var out []string
		for _, r := range rows {
			out = append(out, string(r.Key)+":"+strings.Join(colNames(t, r.Columns), ","))
		}
		return strings.Join(out, " ")
	}
	all := columnRange("", "", false, 100)
	for _, tc := range []struct {
		name  string
		count int32
		pred  *tg.SlicePredicate
		exprs []*tg.IndexExpression
		want  string
	}{
		// Values compare with the column's validator: LongType is signed.
		{"GT -6 signed", 100, names("a"), []*tg.IndexExpression{expr("a", tg.IndexOperator_GT, longBytes(-6))}, "k1:a k2:a k3:a k4:a"},
		{"LT 0 signed", 100, names("a"), []*tg.IndexExpression{expr("a", tg.IndexOperator_LT, longBytes(0))}, "k1:a"},
		{"LTE 3", 100, names("a"), []*tg.IndexExpression{expr("a", tg.IndexOperator_LTE, longBytes(3))}, "k1:a k2:a k3:a"},
		// UTF8Type compares code points (unsigned bytes).
		{"z GTE b", 100, names("z"), []*tg.IndexExpression{expr("z", tg.IndexOperator_GTE, []byte("b"))}, "k1:z k3:z k4:z"},
		// AND of expressions, filtered column outside the predicate.
		{"AND", 100, names("other"), []*tg.IndexExpression{expr("a", tg.IndexOperator_EQ, longBytes(3)), expr("z", tg.IndexOperator_GT, []byte("a"))}, "k3:other"},
		// count counts matching rows; ghosts never match a filter.
		{"count 2", 2, all, []*tg.IndexExpression{expr("a", tg.IndexOperator_GTE, longBytes(3))}, "k2:a,other,z k3:a,other,z"},
		// A missing column never matches, even with LT.
		{"missing column", 100, all, []*tg.IndexExpression{expr("nope", tg.IndexOperator_LT, []byte("zzz"))}, ""},
		// The predicate may select nothing in a matching row: it is still returned.
		{"empty predicate result", 100, names("nothing"), []*tg.IndexExpression{expr("a", tg.IndexOperator_EQ, longBytes(10))}, "k4:"},
	} {
		if got := filtered(tc.count, tc.pred, tc.exprs...); got != tc.want {
			t.Errorf("%s: got %q want %q", tc.name, got, tc.want)
		}
	}
	// Without a filter the ghost shows and counts.
	kr := keyRange("", "", 2)
	rows, err := c.GetRangeSlices(ctx, p, names("a"), kr, ONE)
	must(t, err)
	if strings.Join(rowKeys(rows), ",") != "k0,k1" || len(rows[0].Columns) != 0 {
		t.Fatalf("ghost: %v", rows)
	}
	// get_indexed_slices: the same filters behind an indexed EQ.
	got := indexedKeys(t, c, "Indexed4", indexClause("", 100, eqExpr("a", longBytes(3)), expr("z", tg.IndexOperator_LT, []byte("b"))))
	if strings.Join(got, ",") != "k2" {
		t.Fatalf("indexed + filter: %v", got)
	}
	// Only non-EQ on the indexed column, or EQ only on unindexed ones: refused.
	for _, cl := range []*tg.IndexClause{
		indexClause("", 10, expr("a", tg.IndexOperator_GTE, longBytes(3))),
		indexClause("", 10, eqExpr("z", []byte("a"))),
		indexClause("", 10, eqExpr("other", []byte("x")), expr("a", tg.IndexOperator_LT, longBytes(3))),
	} {
		_, err := c.GetIndexedSlices(ctx, p, cl, names("a"), ONE)
		mustIRE(t, err, "No indexed columns present in index clause with operator EQ")
	}
	// Expression validation wording (ThriftValidation.validateFilterClauses).
	_, err = c.GetIndexedSlices(ctx, p, indexClause("", 10, eqExpr("a", []byte("abc"))), names("a"), ONE)
	mustIRE(t, err, "[61]=[616263] failed value validation (Expected 8 or 0 byte long (3))")
	_, err = c.GetIndexedSlices(ctx, p, indexClause("", 10, eqExpr("a", make([]byte, 65536))), names("a"), ONE)
	mustIRE(t, err, "Index expression values may not be larger than 64K")
	// The column predicate is validated before the index clause.
	_, err = c.GetIndexedSlices(ctx, parent("Indexed2"), indexClause("", 10, eqExpr("short", longBytes(1))), names("a"), ONE)
	mustIRE(t, err, "UUID should be 16 or 0 bytes (1)")
	_, err = c.GetIndexedSlices(ctx, parent("Indexed2"), indexClause("", 10, eqExpr("short", longBytes(1))), columnRange("", "", false, 10), ONE)
	mustIRE(t, err, "[73686f7274]=[0000000000000001] failed name validation (UUID should be 16 or 0 bytes (5))")
}

// TestThriftIndexedSlicesBadCalls sends get_indexed_slices requests that
// Cassandra refuses and checks each error: single faults and several faults
// at once, where the error shows which check Cassandra runs first.
func TestThriftIndexedSlicesBadCalls(t *testing.T) {
	c := dtestClient(t, server.Config{})
	const ANY = tg.ConsistencyLevel_ANY
	anyRd := "ANY ConsistencyLevel is only supported for writes"
	runErrCases(t, []errCase{
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
	})
}
