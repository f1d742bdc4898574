package server_test

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Secondary indexes over the native protocol (3.11's CassandraIndex and
// its searchers): every target kind, kept right under overwrite,
// deletion, expiry and truncate, rebuilt on existing data, answering in
// token then clustering order and paging as 3.11 does; the same KEYS
// index serves Thrift's get_indexed_slices and CQL.

// render reads every row of a query (paged by the driver's page size) as
// "v v v" strings in the result's column order.
func render(t *testing.T, q *gocql.Query) []string {
	t.Helper()
	iter := q.Iter()
	cols := iter.Columns()
	var out []string
	for {
		m := map[string]any{}
		if !iter.MapScan(m) {
			break
		}
		parts := make([]string, len(cols))
		for i, c := range cols {
			parts[i] = fmt.Sprint(m[c.Name])
		}
		out = append(out, strings.Join(parts, " "))
	}
	if err := iter.Close(); err != nil {
		t.Fatalf("%s: %v", q.Statement(), err)
	}
	return out
}

const indexedCols = `(k1 int, k2 int, c1 int, c2 text, s int static, v int, l list<int>, st set<int>,
	m map<int, int>, fl frozen<list<int>>, PRIMARY KEY ((k1, k2), c1, c2))`

var cqlIndexQueries = []string{
	"k1 = %d", "c2 = '%c'", "s = %d", "v = %d", "l CONTAINS %d", "st CONTAINS %d",
	"m CONTAINS KEY %d", "m CONTAINS %d", "m[%d] = %d", "fl = [%d, %d]",
	"v = %d AND c1 > %d ALLOW FILTERING", "k1 = %d AND k2 = %d AND v = %d",
	"v = %d AND s = %d ALLOW FILTERING", "token(k1, k2) > %d AND v = %d",
}

func fillQuery(q string, rng *rand.Rand) string {
	var args []any
	for i := 0; i+1 < len(q); i++ {
		if q[i] == '%' {
			switch q[i+1] {
			case 'd':
				args = append(args, rng.Intn(4))
			case 'c':
				args = append(args, 'a'+rune(rng.Intn(3)))
			}
		}
	}
	return fmt.Sprintf(q, args...)
}

// indexOracle compares an index query on table t with the same query
// scanning the index-less twin o, unpaged and in pages of 2.
func indexOracle(t *testing.T, s *gocql.Session, where string) {
	t.Helper()
	sel := "SELECT k1, k2, c1, c2, s, v, l, st, m, fl FROM %s WHERE " + where
	scan := fmt.Sprintf(sel, "o")
	if !strings.Contains(scan, "ALLOW FILTERING") {
		scan += " ALLOW FILTERING"
	}
	want := render(t, s.Query(scan))
	got := render(t, s.Query(fmt.Sprintf(sel, "t")))
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s\n got %q\nwant %q", where, got, want)
	}
	if paged := render(t, s.Query(fmt.Sprintf(sel, "t")).PageSize(2)); fmt.Sprint(paged) != fmt.Sprint(want) {
		t.Errorf("%s paged\n got %q\nwant %q", where, paged, want)
	}
}

func TestCQLIndexOracle(t *testing.T) {
	clk := cassatest.NewClock(time.Now())
	_, s := lwtSession(t, server.Config{Clock: clk.Now})
	mustExec(t, s, "CREATE TABLE t "+indexedCols)
	mustExec(t, s, "CREATE TABLE o "+indexedCols)
	for _, ix := range []string{"k1", "c2", "s", "v", "l", "st", "keys(m)", "values(m)", "entries(m)", "full(fl)"} {
		mustExec(t, s, "CREATE INDEX ON t ("+ix+")")
	}
	both := func(cql string, args ...any) {
		t.Helper()
		mustExec(t, s, strings.ReplaceAll(cql, "$t", "t"), args...)
		mustExec(t, s, strings.ReplaceAll(cql, "$t", "o"), args...)
	}
	rng := rand.New(rand.NewSource(1))
	write := func() {
		k1, k2, c1 := rng.Intn(3), rng.Intn(3), rng.Intn(4)
		c2 := string(rune('a' + rng.Intn(3)))
		row := fmt.Sprintf("k1 = %d AND k2 = %d AND c1 = %d AND c2 = '%s'", k1, k2, c1, c2)
		part := fmt.Sprintf("k1 = %d AND k2 = %d", k1, k2)
		v := func() int { return rng.Intn(4) }
		ttl := ""
		if rng.Intn(5) == 0 {
			ttl = fmt.Sprintf(" USING TTL %d", 1+rng.Intn(10))
		}
		switch rng.Intn(12) {
		case 0, 1, 2:
			both(fmt.Sprintf("INSERT INTO $t (k1, k2, c1, c2, v, l, st, m, fl) VALUES (%d, %d, %d, '%s', %d, [%d], {%d}, {%d: %d}, [%d, %d])%s",
				k1, k2, c1, c2, v(), v(), v(), v(), v(), v(), v(), ttl))
		case 3:
			both(fmt.Sprintf("UPDATE $t%s SET v = %d WHERE %s", ttl, v(), row))
		case 4:
			both(fmt.Sprintf("UPDATE $t%s SET s = %d WHERE %s", ttl, v(), part))
		case 5:
			both(fmt.Sprintf("UPDATE $t SET l = l + [%d], st = st + {%d}, m = m + {%d: %d} WHERE %s", v(), v(), v(), v(), row))
		case 6:
			both(fmt.Sprintf("UPDATE $t SET m = {%d: %d}, fl = [%d, %d] WHERE %s", v(), v(), v(), v(), row))
		case 7:
			both(fmt.Sprintf("DELETE v, m[%d] FROM $t WHERE %s", v(), row))
		case 8:
			both(fmt.Sprintf("DELETE FROM $t WHERE %s", row))
		case 9:
			both(fmt.Sprintf("DELETE FROM $t WHERE %s AND c1 > %d", part, rng.Intn(4)))
		case 10:
			both(fmt.Sprintf("DELETE FROM $t WHERE %s", part))
		case 11:
			clk.Advance(time.Duration(1+rng.Intn(5)) * time.Second)
		}
	}
	for round := 0; round < 4; round++ {
		for i := 0; i < 30; i++ {
			write()
		}
		for _, q := range cqlIndexQueries {
			indexOracle(t, s, fillQuery(q, rng))
		}
	}
	mustExec(t, s, "TRUNCATE t")
	if got := render(t, s.Query("SELECT k1 FROM t WHERE v = 1")); len(got) != 0 {
		t.Errorf("after truncate: %q", got)
	}
}

func TestCQLIndexTargets(t *testing.T) {
	clk := cassatest.NewClock(time.Now())
	_, s := lwtSession(t, server.Config{Clock: clk.Now})
	mustExec(t, s, "CREATE TABLE t "+indexedCols)
	for _, ix := range []string{"k1", "c2", "s", "v", "l", "st", "keys(m)", "values(m)", "entries(m)", "full(fl)"} {
		mustExec(t, s, "CREATE INDEX ON t ("+ix+")")
	}
	mustExec(t, s, "INSERT INTO t (k1, k2, c1, c2, s, v, l, st, m, fl) VALUES (1, 1, 1, 'a', 7, 2, [1, 2, 2], {3}, {1: 2, 3: 4}, [1, 2])")
	mustExec(t, s, "INSERT INTO t (k1, k2, c1, c2, v, l, st, m) VALUES (1, 1, 2, 'b', 2, [2], {1, 3}, {3: 2})")
	mustExec(t, s, "INSERT INTO t (k1, k2, c1, c2, v) VALUES (1, 2, 1, 'a', 3)")
	q := func(where string) string {
		return fmt.Sprint(render(t, s.Query("SELECT k1, k2, c1 FROM t WHERE "+where)))
	}
	for where, want := range map[string]string{
		"v = 2":            "[1 1 1 1 1 2]",
		"k1 = 1":           "[1 2 1 1 1 1 1 1 2]", // token order: (1, 2) before (1, 1)
		"s = 7":            "[1 1 1 1 1 2]",
		"c2 = 'a'":         "[1 2 1 1 1 1]",
		"l CONTAINS 2":     "[1 1 1 1 1 2]",
		"st CONTAINS 1":    "[1 1 2]",
		"m CONTAINS KEY 3": "[1 1 1 1 1 2]",
		"m CONTAINS 2":     "[1 1 1 1 1 2]",
		"m[3] = 2":         "[1 1 2]",
		"fl = [1, 2]":      "[1 1 1]",
	} {
		if got := q(where); got != want {
			t.Errorf("%s: %s, want %s", where, got, want)
		}
	}
	// Overwrite, column and element deletion, row deletion, expiry.
	mustExec(t, s, "UPDATE t SET v = 5 WHERE k1 = 1 AND k2 = 1 AND c1 = 1 AND c2 = 'a'")
	mustExec(t, s, "DELETE m[3] FROM t WHERE k1 = 1 AND k2 = 1 AND c1 = 2 AND c2 = 'b'")
	mustExec(t, s, "DELETE l FROM t WHERE k1 = 1 AND k2 = 1 AND c1 = 1 AND c2 = 'a'")
	mustExec(t, s, "UPDATE t USING TTL 5 SET fl = [9] WHERE k1 = 1 AND k2 = 2 AND c1 = 1 AND c2 = 'a'")
	for where, want := range map[string]string{
		"v = 2":            "[1 1 2]",
		"v = 5":            "[1 1 1]",
		"m CONTAINS KEY 3": "[1 1 1]",
		"l CONTAINS 2":     "[1 1 2]",
		"fl = [9]":         "[1 2 1]",
	} {
		if got := q(where); got != want {
			t.Errorf("after writes, %s: %s, want %s", where, got, want)
		}
	}
	clk.Advance(6 * time.Second)
	if got := q("fl = [9]"); got != "[]" {
		t.Errorf("expired: %s", got)
	}
	mustExec(t, s, "DELETE FROM t WHERE k1 = 1 AND k2 = 1")
	if got := q("s = 7"); got != "[]" {
		t.Errorf("after partition delete: %s", got)
	}
	// Rebuild: an index created on existing data, dropped and created again.
	mustExec(t, s, "CREATE TABLE r (k int, c int, v int, PRIMARY KEY (k, c))")
	for k := 0; k < 20; k++ {
		mustExec(t, s, "INSERT INTO r (k, c, v) VALUES (?, ?, ?)", k, k%3, k%4)
	}
	want := render(t, s.Query("SELECT k, c FROM r WHERE v = 1 ALLOW FILTERING"))
	mustExec(t, s, "CREATE INDEX r_v ON r (v)")
	if got := render(t, s.Query("SELECT k, c FROM r WHERE v = 1")); fmt.Sprint(got) != fmt.Sprint(want) || len(got) != 5 {
		t.Errorf("rebuilt index %q, want %q", got, want)
	}
	mustExec(t, s, "DROP INDEX r_v")
	expectError(t, s, gocql.ErrCodeInvalid, "Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING",
		"SELECT k, c FROM r WHERE v = 1")
	mustExec(t, s, "CREATE INDEX r_v ON r (v)")
	if got := render(t, s.Query("SELECT k, c FROM r WHERE v = 1")); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("re-created index %q, want %q", got, want)
	}
}

// CreateIndexStatement's refusals, as 3.11 words them.
func TestCQLIndexCreation(t *testing.T) {
	_, s := lwtSession(t, server.Config{})
	mustExec(t, s, "CREATE TABLE t (k int PRIMARY KEY, v int, l list<int>, fl frozen<list<int>>, m map<int, int>)")
	mustExec(t, s, "CREATE TABLE cnt (k int PRIMARY KEY, n counter)")
	mustExec(t, s, "CREATE TABLE cs (k int, c int, v int, PRIMARY KEY (k, c)) WITH COMPACT STORAGE")
	mustExec(t, s, "CREATE INDEX v_idx ON t (v)")
	for stmt, msg := range map[string]string{
		"CREATE INDEX ON t (k)":          "Cannot create secondary index on partition key column k",
		"CREATE INDEX ON cnt (n)":        "Secondary indexes are not supported on counter tables",
		"CREATE INDEX ON cs (v)":         "Secondary indexes are not supported on COMPACT STORAGE tables that have clustering columns",
		"CREATE INDEX ON t (x)":          "Undefined column name x",
		"CREATE INDEX ON t (keys(fl))":   "Cannot create keys() index on frozen column fl. Frozen collections only support full() indexes",
		"CREATE INDEX ON t (full(l))":    "full() indexes can only be created on frozen collections",
		"CREATE INDEX ON t (keys(v))":    "Cannot create keys() index on v. Non-collection columns support only simple indexes",
		"CREATE INDEX ON t (keys(l))":    "Cannot create index on keys of column l with non-map type",
		"CREATE INDEX v_idx ON t (l)":    "Index v_idx already exists",
		"CREATE INDEX other ON t (v)":    "Index other is a duplicate of existing index v_idx",
		"CREATE INDEX ON t (entries(l))": "Cannot create index on entries of column l with non-map type",
		"CREATE INDEX ON t (values(v))":  "Cannot create values() index on v. Non-collection columns support only simple indexes",
	} {
		expectError(t, s, gocql.ErrCodeInvalid, msg, stmt)
	}
	mustExec(t, s, "CREATE INDEX IF NOT EXISTS v_idx ON t (l)")
	mustExec(t, s, "CREATE INDEX ON t (keys(m))")
	mustExec(t, s, "CREATE INDEX ON t (values(m))")
	mustExec(t, s, "CREATE INDEX ON t (full(fl))")
}

// One KEYS index for both protocols: a Thrift column family with an
// indexed column, written from CQL and from Thrift, read through
// get_indexed_slices and a CQL index query.
func TestCQLIndexKeysWithThrift(t *testing.T) {
	srv, _ := lwtSession(t, server.Config{})
	c := dial(t, srv.Addr())
	must(t, c.SetKeyspace(ctx, "ks"))
	cf := tg.NewCfDef()
	cf.Keyspace, cf.Name = "ks", "Users"
	cf.KeyValidationClass = strp("UTF8Type")
	cf.ComparatorType = "UTF8Type"
	cf.DefaultValidationClass = strp("UTF8Type")
	keys := tg.IndexTypePtr(tg.IndexType_KEYS)
	cf.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("state"), ValidationClass: "UTF8Type", IndexType: keys, IndexName: strp("state_idx")}}
	if _, err := c.SystemAddColumnFamily(ctx, cf); err != nil {
		t.Fatal(err)
	}
	s2 := connect(t, srv, "ks")
	mustExec(t, s2, `INSERT INTO "Users" (key, state) VALUES ('alice', 'UT')`)
	mustExec(t, s2, `INSERT INTO "Users" (key, state) VALUES ('bob', 'CA')`)
	c.insert(t, "carol", parent("Users"), col("state", "UT", time.Now().UnixMicro()))
	mustExec(t, s2, `UPDATE "Users" SET state = 'NV' WHERE key = 'alice'`)
	mustExec(t, s2, `INSERT INTO "Users" (key, state) VALUES ('dave', 'UT')`)
	cql := render(t, s2.Query(`SELECT key FROM "Users" WHERE state = 'UT'`))
	rows, err := c.GetIndexedSlices(ctx, parent("Users"), indexClause("", 100, eqExpr("state", []byte("UT"))), names("state"), ONE)
	must(t, err)
	var thrift []string
	for _, r := range rows {
		thrift = append(thrift, string(r.Key))
	}
	if fmt.Sprint(cql) != fmt.Sprint(thrift) || len(cql) != 2 {
		t.Errorf("CQL %q, Thrift %q: want the same two keys (carol, dave) in token order", cql, thrift)
	}
}

// A table without clustering columns has one row a partition, and its
// index entries are that row's: every target kind finds it, whether the
// index came before or after the data, and loses it when the value goes.
func TestCQLIndexWithoutClustering(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "ixnc")
	mustExec(t, s, "CREATE TABLE t (k int PRIMARY KEY, v int, st set<text>, m map<text, int>, fl frozen<list<text>>)")
	mustExec(t, s, "CREATE INDEX ON t (v)")
	mustExec(t, s, "CREATE INDEX ON t (st)")
	mustExec(t, s, "INSERT INTO t (k, v, st, m, fl) VALUES (1, 5, {'a', 'b'}, {'x': 1}, ['p'])")
	mustExec(t, s, "INSERT INTO t (k, v, st, m, fl) VALUES (2, 6, {'b'}, {'y': 1}, ['q'])")
	mustExec(t, s, "CREATE INDEX ON t (keys(m))")
	mustExec(t, s, "CREATE INDEX ON t (values(m))")
	mustExec(t, s, "CREATE INDEX ON t (full(fl))")
	for q, want := range map[string]string{
		"v = 5":              "[1]",
		"st CONTAINS 'b'":    "[1 2]",
		"m CONTAINS KEY 'y'": "[2]",
		"m CONTAINS 1":       "[1 2]",
		"fl = ['p']":         "[1]",
	} {
		if got := fmt.Sprint(render(t, s.Query("SELECT k FROM t WHERE "+q))); got != want {
			t.Errorf("%s: %s, want %s", q, got, want)
		}
	}
	mustExec(t, s, "UPDATE t SET v = 7, st = st - {'b'}, m = m - {'x'} WHERE k = 1")
	mustExec(t, s, "DELETE FROM t WHERE k = 2")
	for _, q := range []string{"v = 5", "st CONTAINS 'b'", "m CONTAINS 1", "fl = ['q']"} {
		if got := render(t, s.Query("SELECT k FROM t WHERE "+q)); len(got) != 0 {
			t.Errorf("%s after the change: %v", q, got)
		}
	}
	if got := fmt.Sprint(render(t, s.Query("SELECT k FROM t WHERE v = 7"))); got != "[1]" {
		t.Errorf("v = 7: %s", got)
	}
}

// A table without clustering columns: its one row per partition is
// indexed like any CQL row (RegularColumnIndex, CollectionValueIndex), kept
// right under overwrite, column and row deletion, and found by queries.
func TestCQLIndexTableWithoutClustering(t *testing.T) {
	_, s := lwtSession(t, server.Config{})
	mustExec(t, s, "CREATE TABLE u (id int PRIMARY KEY, name text, tags set<text>)")
	mustExec(t, s, "CREATE INDEX ON u (name)")
	mustExec(t, s, "CREATE INDEX ON u (tags)")
	mustExec(t, s, "INSERT INTO u (id, name, tags) VALUES (1, 'ann', {'a'})")
	mustExec(t, s, "INSERT INTO u (id, name, tags) VALUES (2, 'bob', {'a', 'b'})")
	mustRows(t, s, [][]any{{2}}, "SELECT id FROM u WHERE name = 'bob'")
	mustRows(t, s, [][]any{{1}, {2}}, "SELECT id FROM u WHERE tags CONTAINS 'a'")
	mustExec(t, s, "UPDATE u SET name = 'bea' WHERE id = 2")
	mustRows(t, s, [][]any{}, "SELECT id FROM u WHERE name = 'bob'")
	mustRows(t, s, [][]any{{2}}, "SELECT id FROM u WHERE name = 'bea'")
	mustExec(t, s, "DELETE name FROM u WHERE id = 2")
	mustRows(t, s, [][]any{}, "SELECT id FROM u WHERE name = 'bea'")
	mustExec(t, s, "UPDATE u SET tags = tags - {'a'} WHERE id = 2")
	mustRows(t, s, [][]any{{1}}, "SELECT id FROM u WHERE tags CONTAINS 'a'")
	mustExec(t, s, "DELETE FROM u WHERE id = 1")
	mustRows(t, s, [][]any{}, "SELECT id FROM u WHERE tags CONTAINS 'a'")
	mustRows(t, s, [][]any{}, "SELECT id FROM u WHERE name = 'ann'")
	mustRows(t, s, [][]any{{2}}, "SELECT id FROM u WHERE tags CONTAINS 'b'")
}
