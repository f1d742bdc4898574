package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// get_indexed_slices and KEYS index maintenance.

func indexClause(start string, count int32, exprs ...*tg.IndexExpression) *tg.IndexClause {
	return &tg.IndexClause{Expressions: exprs, StartKey: []byte(start), Count: count}
}

func eqExpr(name string, v []byte) *tg.IndexExpression {
	return &tg.IndexExpression{ColumnName: []byte(name), Op: tg.IndexOperator_EQ, Value: v}
}

func indexedKeys(t testing.TB, c *client, cf string, clause *tg.IndexClause) []string {
	t.Helper()
	rows, err := c.GetIndexedSlices(ctx, parent(cf), clause, columnRange("", "", false, 100), ONE)
	must(t, err)
	return rowKeys(rows)
}

func TestIndexedSlices(t *testing.T) {
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

func TestIndexedSlicesExpiry(t *testing.T) {
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

func TestIndexedColumnOutsidePredicate(t *testing.T) {
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

func TestIndexedSlicesValidation(t *testing.T) {
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

func TestIndexBuiltOnUpdate(t *testing.T) {
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
