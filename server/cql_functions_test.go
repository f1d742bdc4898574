package server_test

import (
	"math/big"
	"strings"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// The native functions (TimeFcts, UuidFcts, BytesConversionFcts,
// TokenFct, AggregateFcts, CastFcts), selection aliases, and the refusal
// of user-defined functions (disabled by default in 3.11).
func TestCQLFunctions(t *testing.T) {
	_, s := typesSession(t)
	mustExec(t, s, "CREATE TABLE f (k int, c timeuuid, v int, d decimal, x varint, PRIMARY KEY (k, c))")
	before := time.Now().Add(-time.Second)
	ins := "INSERT INTO f (k, c, v, x) VALUES (0, now(), ?, ?)"
	for i := 1; i <= 3; i++ {
		mustExec(t, s, ins, i, new(big.Int).SetInt64(int64(i*10)))
	}
	// now() is evaluated at each execution, even prepared; its time is
	// the server's.
	it := s.Query("SELECT c, toTimestamp(c), toUnixTimestamp(c), toDate(c), dateOf(c), uuid() FROM f WHERE k = 0").Iter()
	var c, u gocql.UUID
	var ts, dof time.Time
	var unix int64
	var date time.Time
	seen := map[gocql.UUID]bool{}
	for it.Scan(&c, &ts, &unix, &date, &dof, &u) {
		if c.Version() != 1 || u.Version() != 4 || seen[c] {
			t.Errorf("now() = %v, uuid() = %v", c, u)
		}
		seen[c] = true
		if ts.Before(before) || ts.After(time.Now().Add(time.Second)) || unix != ts.UnixMilli() || !dof.Equal(ts) ||
			date.Format("2006-01-02") != ts.UTC().Format("2006-01-02") {
			t.Errorf("times %v %d %v %v", ts, unix, date, dof)
		}
	}
	if err := it.Close(); err != nil || len(seen) != 3 {
		t.Fatalf("%d rows: %v", len(seen), err)
	}
	cols := s.Query("SELECT toTimestamp(c), token(k), blobAsInt(intAsBlob(v)), v AS value, count(*), max(v) FROM f WHERE k = 0").Iter()
	var names []string
	for _, col := range cols.Columns() {
		names = append(names, col.Name)
	}
	_ = cols.Close()
	if got := strings.Join(names, ","); got != "system.totimestamp(c),system.token(k),system.blobasint(system.intasblob(v)),value,count,system.max(v)" {
		t.Errorf("names %s", got)
	}
	var n int
	if err := s.Query("SELECT count(*) FROM f WHERE k = 0 AND c > maxTimeuuid('2000-01-01') AND c < minTimeuuid(?)", time.Now().Add(time.Hour)).Scan(&n); err != nil || n != 3 {
		t.Errorf("count between min/maxTimeuuid = %d, %v", n, err)
	}
	var tok int64
	if err := s.Query("SELECT token(k) FROM f WHERE k = 0 LIMIT 1").Scan(&tok); err != nil || tok != -3485513579396041028 {
		t.Errorf("token(0) = %d, %v", tok, err)
	}
	// Aggregates with 3.11's result types, and the warning without a
	// partition key.
	var sum, avg int
	var dsum *big.Int
	var xavg *big.Int
	q := s.Query("SELECT sum(v), avg(v), sum(x), avg(x) FROM f")
	if err := q.Scan(&sum, &avg, &dsum, &xavg); err != nil || sum != 6 || avg != 2 || dsum.Int64() != 60 || xavg.Int64() != 20 {
		t.Errorf("sum %d avg %d sum(x) %v avg(x) %v: %v", sum, avg, dsum, xavg, err)
	}
	warn := s.Query("SELECT count(*) FROM f").Iter()
	if w := warn.Warnings(); len(w) != 1 || w[0] != "Aggregation query used without partition key" {
		t.Errorf("warnings %q", w)
	}
	_ = warn.Close()
	expectText(t, s, "6", "SELECT CAST(sum(v) AS text) FROM f")
	expectText(t, s, `{"cast(v as double)": 1.0}`, "SELECT JSON CAST(v AS double) FROM f LIMIT 1")

	for _, tt := range []struct{ q, msg string }{
		{"SELECT foo(v) FROM f", "Unknown function 'foo'"},
		{"INSERT INTO f (k, c, v) VALUES (0, now(), foo(1))", "Unknown function foo called"},
		{"SELECT sum(v, v) FROM f", "Invalid call to function sum, none of its type signatures match (known type signatures: system.sum : (tinyint) -> tinyint, system.sum : (smallint) -> smallint, system.sum : (int) -> int, system.sum : (bigint) -> bigint, system.sum : (float) -> float, system.sum : (double) -> double, system.sum : (decimal) -> decimal, system.sum : (varint) -> varint, system.sum : (counter) -> counter)"},
		{"SELECT max(sum(v)) FROM f", "aggregate functions cannot be used as arguments of aggregate functions"},
		{"SELECT CAST(c AS blob) FROM f", "c cannot be cast to blob"},
		{"SELECT CAST(c AS int) FROM f", "Invalid call to function system.castAsInt, none of its type signatures match (known type signatures: " +
			"system.castAsInt : (tinyint) -> int, system.castAsInt : (smallint) -> int, system.castAsInt : (bigint) -> int, " +
			"system.castAsInt : (float) -> int, system.castAsInt : (double) -> int, system.castAsInt : (decimal) -> int, " +
			"system.castAsInt : (counter) -> int, system.castAsInt : (varint) -> int)"},
		{"SELECT v AS value FROM f WHERE value = 1 ALLOW FILTERING", "Undefined column name value"},
		{"INSERT INTO f (k, c, v) VALUES (0, now(), blobAsInt(0x01))", "In call to function system.blobasint, value 0x01 is not a valid binary representation for type int"},
		{"CREATE FUNCTION ks.fn (a int) RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS 'return a;'", "User-defined functions are disabled in cassandra.yaml - set enable_user_defined_functions=true to enable"},
	} {
		err := s.Query(tt.q).Exec()
		if err == nil {
			t.Errorf("%s: succeeded", tt.q)
			continue
		}
		if re := requestError(t, err); re.Message() != tt.msg {
			t.Errorf("%s:\n got %q\nwant %q", tt.q, re.Message(), tt.msg)
		}
	}
}

// GROUP BY (SelectStatement.getAggregationSpecification, GroupMaker): one
// row per group of a primary key prefix; pages hold whole groups.
func TestCQLGroupBy(t *testing.T) {
	_, s := typesSession(t)
	mustExec(t, s, "CREATE TABLE g (a int, b int, c int, e int, PRIMARY KEY (a, b, c))")
	for a := 0; a < 3; a++ {
		for b := 0; b < 3; b++ {
			for c := 0; c <= b; c++ {
				mustExec(t, s, "INSERT INTO g (a, b, c, e) VALUES (?, ?, ?, ?)", a, b, c, a*100+b*10+c)
			}
		}
	}
	want := `{"a": 1, "b": 0, "count": 1, "system.max(e)": 100} | {"a": 1, "b": 1, "count": 2, "system.max(e)": 111} | ` +
		`{"a": 1, "b": 2, "count": 3, "system.max(e)": 122} | {"a": 0, "b": 0, "count": 1, "system.max(e)": 0} | ` +
		`{"a": 0, "b": 1, "count": 2, "system.max(e)": 11} | {"a": 0, "b": 2, "count": 3, "system.max(e)": 22} | ` +
		`{"a": 2, "b": 0, "count": 1, "system.max(e)": 200} | {"a": 2, "b": 1, "count": 2, "system.max(e)": 211} | ` +
		`{"a": 2, "b": 2, "count": 3, "system.max(e)": 222}`
	q := "SELECT JSON a, b, count(*), max(e) FROM g GROUP BY a, b"
	expectText(t, s, want, q)
	// Paging: a page of n groups, whatever the rows per group.
	for size := 1; size <= 4; size++ {
		it := s.Query(q).PageSize(size).Iter()
		var got []string
		var doc string
		for it.Scan(&doc) {
			got = append(got, doc)
		}
		if err := it.Close(); err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, " | ") != want {
			t.Errorf("page size %d:\n got %s", size, strings.Join(got, " | "))
		}
	}
	expectText(t, s, `{"a": 1, "count": 6} | {"a": 0, "count": 6} | {"a": 2, "count": 6}`, "SELECT JSON a, count(*) FROM g GROUP BY a")
	expectText(t, s, `{"a": 1, "b": 0} | {"a": 1, "b": 1} | {"a": 0, "b": 0}`, "SELECT JSON a, b FROM g GROUP BY a, b PER PARTITION LIMIT 2 LIMIT 3")
	expectText(t, s, `{"c": 0, "e": 20} | {"c": 1, "e": 21}`, "SELECT JSON c, e FROM g WHERE a = 0 AND b = 2 GROUP BY c LIMIT 2")
	for _, tt := range []struct{ q, msg string }{
		{"SELECT a FROM g GROUP BY e", "Group by is currently only supported on the columns of the PRIMARY KEY, got e"},
		{"SELECT a FROM g GROUP BY b", "Group by currently only support groups of columns following their declared order in the PRIMARY KEY"},
		{"SELECT DISTINCT a FROM g GROUP BY a, b", "Grouping on clustering columns is not allowed for SELECT DISTINCT queries"},
	} {
		expectInvalid(t, s, tt.msg, tt.q)
	}
	mustExec(t, s, "CREATE TABLE gp (a int, b int, c int, PRIMARY KEY ((a, b), c))")
	expectInvalid(t, s, "Group by is not supported on only a part of the partition key", "SELECT a FROM gp GROUP BY a")
}
