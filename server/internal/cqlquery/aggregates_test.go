package cqlquery

import (
	"strings"
	"testing"
)

// sum, avg, min, max and count over the numeric types, with 3.11's result
// types and overflow behaviour (AggregateFcts; AggregationTest
// .testFunctions and its overflow cases).
func TestAggregates(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (a int, b int, c double, d decimal, e smallint, f tinyint, g bigint, h varint, i float, PRIMARY KEY (a, b))")
	all := "SELECT max(b), min(b), sum(b), avg(b), max(c), sum(c), avg(c), sum(d), avg(d), max(e), min(e), sum(e), avg(e), max(f), min(f), sum(f), avg(f) FROM t"
	f.expect("null null 0 0 null 0.0 0.0 0 0 null null 0 0 null null 0 0", all)
	r := f.exec(all)
	want := []string{"system.max(b)", "system.min(b)", "system.sum(b)", "system.avg(b)", "system.max(c)", "system.sum(c)", "system.avg(c)",
		"system.sum(d)", "system.avg(d)", "system.max(e)", "system.min(e)", "system.sum(e)", "system.avg(e)",
		"system.max(f)", "system.min(f)", "system.sum(f)", "system.avg(f)"}
	for i, c := range r.Columns {
		if c.Name != want[i] {
			t.Errorf("column %d named %q, want %q", i, c.Name, want[i])
		}
	}
	f.exec("INSERT INTO t (a, b, c, d, e, f) VALUES (1, 1, 11.5, 11.5, 1, 1)")
	f.exec("INSERT INTO t (a, b, c, d, e, f) VALUES (1, 2, 9.5, 1.5, 2, 2)")
	f.exec("INSERT INTO t (a, b, c, d, e, f) VALUES (1, 3, 9.0, 2.0, 3, 3)")
	f.expect("3 1 6 2 11.5 30.0 10.0 15.0 5.0 3 1 6 2 3 1 6 2", all)
	f.exec("INSERT INTO t (a, b, d) VALUES (1, 5, 1.0)")
	f.expect("4 4 4 3 3", "SELECT COUNT(*), COUNT(1), COUNT(b), count(c), count(e) FROM t")
	// Mixed with plain columns: the first row's values.
	f.expect("1 1 4", "SELECT a, b, count(*) FROM t")

	// Integer sums wrap in the argument's type; averages do not overflow.
	f.ddl("CREATE TABLE o (k int, c int, i int, t tinyint, s smallint, b bigint, v varint, d decimal, PRIMARY KEY (k, c))")
	f.exec("INSERT INTO o (k, c, i, t, s, b, v, d) VALUES (0, 0, 2147483647, 127, 32767, 9223372036854775807, -3, 1)")
	f.exec("INSERT INTO o (k, c, i, t, s, b, v, d) VALUES (0, 1, 2147483647, 127, 32767, 9223372036854775807, 0, 2)")
	f.expect("-2 -2 -2 -2 -3 3", "SELECT sum(i), sum(t), sum(s), sum(b), sum(v), sum(d) FROM o")
	f.expect("2147483647 127 32767 9223372036854775807 -1 1", "SELECT avg(i), avg(t), avg(s), avg(b), avg(v), avg(d) FROM o")
	// avg(decimal) keeps a running mean rounded half-even at the inputs'
	// scale: (1, 2) gives 1, (1.0, 2.0) gives 1.5.
	f.exec("UPDATE o SET d = 1.0 WHERE k = 0 AND c = 0")
	f.exec("UPDATE o SET d = 2.0 WHERE k = 0 AND c = 1")
	f.expect("1.5", "SELECT avg(d) FROM o")

	// Floating point: Kahan sums.
	f.ddl("CREATE TABLE fl (k int, c int, x double, y float, PRIMARY KEY (k, c))")
	for i := 0; i < 10; i++ {
		f.exec("INSERT INTO fl (k, c, x, y) VALUES (0, ?, 0.1, 0.1)", i)
	}
	f.expect("1.0 0.1 1.0 0.1", "SELECT sum(x), avg(x), sum(y), avg(y) FROM fl")

	// Counters: sum and avg are counters, min and max compare as longs.
	f.ddl("CREATE TABLE cn (k int PRIMARY KEY, n counter)")
	f.exec("UPDATE cn SET n = n - 5 WHERE k = 0")
	f.exec("UPDATE cn SET n = n + 3 WHERE k = 1")
	f.expect("-2 -1 -5 3", "SELECT sum(n), avg(n), min(n), max(n) FROM cn")
	if typ := f.exec("SELECT sum(n) FROM cn").Columns[0].Type; !isCounterType(typ) {
		t.Errorf("sum(counter) is %s", typ.Class())
	}

	for _, tt := range []struct{ q, msg string }{
		{"SELECT max(sum(c)) FROM t", "aggregate functions cannot be used as arguments of aggregate functions"},
		{"SELECT blobAsInt(intAsBlob(max(b))), sum(c) FROM t", ""},
		{"SELECT sum(a) FROM t WHERE a = 1 PER PARTITION LIMIT 1", "PER PARTITION LIMIT is not allowed with aggregate queries."},
	} {
		if tt.msg == "" {
			f.exec(tt.q)
			continue
		}
		f.fail(tt.msg, tt.q)
	}
	f.ddl("CREATE TABLE tx (k int PRIMARY KEY, s text)")
	f.fail("Invalid call to function sum, none of its type signatures match (known type signatures: system.sum : (tinyint) -> tinyint, "+
		"system.sum : (smallint) -> smallint, system.sum : (int) -> int, system.sum : (bigint) -> bigint, system.sum : (float) -> float, "+
		"system.sum : (double) -> double, system.sum : (decimal) -> decimal, system.sum : (varint) -> varint, system.sum : (counter) -> counter)",
		"SELECT sum(s) FROM tx")
	// Scalar functions of aggregates (AggregationTest.testNestedFunctions).
	f.ddl("CREATE TABLE ts (a int PRIMARY KEY, b timeuuid)")
	f.expect("null null", "SELECT max(a), toUnixTimestamp(max(b)) FROM ts")
	f.exec("INSERT INTO ts (a, b) VALUES (1, maxTimeuuid('2011-02-03 04:05:00+0000'))")
	f.exec("INSERT INTO ts (a, b) VALUES (3, maxTimeuuid('2011-02-03 04:10:00+0000'))")
	f.expect("3 1296706200000 1296706200000", "SELECT max(a), max(toUnixTimestamp(b)), toUnixTimestamp(max(b)) FROM ts")
	f.ddl("CREATE TABLE cp2 (a int, b int, c int, PRIMARY KEY ((a, b), c))")
	f.fail("arguments of function system.token must be either all aggregates or no aggregates", "SELECT token(a, max(b)) FROM cp2")
	r = f.exec("SELECT toUnixTimestamp(max(b)) FROM ts")
	if got := r.Columns[0].Name; got != "system.tounixtimestamp(system.max(b))" {
		t.Errorf("nested name %q", got)
	}
}

// CAST (CastFcts; CastFctsTest).
func TestCast(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE n (a tinyint PRIMARY KEY, b smallint, c int, d bigint, e float, f double, g decimal, h varint, i int)")
	f.exec("INSERT INTO n (a, b, c, d, e, f, g, h) VALUES (1, 2, 3, 4, 5.2, 6.3, 6.3, 4)")
	cols := func(to string) string {
		q := "SELECT "
		for i, c := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"} {
			if i > 0 {
				q += ", "
			}
			q += "CAST(" + c + " AS " + to + ")"
		}
		return q + " FROM n"
	}
	for _, tt := range []struct{ to, want string }{
		{"tinyint", "1 2 3 4 5 6 6 4 null"},
		{"smallint", "1 2 3 4 5 6 6 4 null"},
		{"int", "1 2 3 4 5 6 6 4 null"},
		{"bigint", "1 2 3 4 5 6 6 4 null"},
		{"float", "1.0 2.0 3.0 4.0 5.2 6.3 6.3 4.0 null"},
		{"double", "1.0 2.0 3.0 4.0 5.199999809265137 6.3 6.3 4.0 null"},
		{"decimal", "1.0 2.0 3.0 4.0 5.199999809265137 6.3 6.3 4.0 null"},
		{"ascii", "1 2 3 4 5.2 6.3 6.3 4 null"},
		{"text", "1 2 3 4 5.2 6.3 6.3 4 null"},
	} {
		f.expect(tt.want, cols(tt.to))
	}
	r := f.exec("SELECT CAST(b AS int), CAST(c AS int), CAST(d AS double) FROM n")
	if got := r.Columns[0].Name + "," + r.Columns[1].Name + "," + r.Columns[2].Name; got != "cast(b as int),c,cast(d as double)" {
		t.Errorf("names %s", got)
	}
	// Java's narrowing: low bits for integers, saturation for floats.
	f.exec("INSERT INTO n (a, c, f, g) VALUES (2, 300, 1e300, 3e2)")
	f.expect("44 -1 2147483647 9223372036854775807", "SELECT CAST(c AS tinyint), CAST(f AS tinyint), CAST(f AS int), CAST(f AS bigint) FROM n WHERE a = 2")
	f.expect("300 300", "SELECT CAST(g AS int), CAST(g AS text) FROM n WHERE a = 2")

	f.ddl("CREATE TABLE tm (a timeuuid PRIMARY KEY, b timestamp, c date, d time, e inet, f boolean, g uuid, h ascii)")
	f.exec("INSERT INTO tm (a, b, c, d, e, f, g, h) VALUES (maxTimeuuid('2015-05-21 11:03:02+0000'), '2015-05-21 11:03:02+0000', '2015-05-21', '11:03:02', '127.0.0.1', true, 6bddc89a-5644-11e4-97fc-56847afe9799, 'test')")
	f.expect("2015-05-21 11:03Z 2015-05-21 11:03Z 2015-05-21 00:00Z", "SELECT CAST(a AS timestamp), CAST(b AS timestamp), CAST(c AS timestamp) FROM tm")
	f.expect("2015-05-21 2015-05-21 2015-05-21", "SELECT CAST(a AS date), CAST(b AS date), CAST(c AS date) FROM tm")
	f.expect("2015-05-21T11:03:02.000Z 2015-05-21 11:03:02.000000000 127.0.0.1 true 6bddc89a-5644-11e4-97fc-56847afe9799 test",
		"SELECT CAST(b AS text), CAST(c AS text), CAST(d AS text), CAST(e AS text), CAST(f AS text), CAST(g AS text), CAST(h AS text) FROM tm")
	for _, tt := range []struct{ q, msg string }{
		{"SELECT CAST(a AS boolean) FROM tm", "a cannot be cast to boolean"},
		{"SELECT b, CAST(a AS uuid) FROM tm", "b cannot be cast to uuid"},
		// Functions of the cast's name exist, none takes the argument
		// (FunctionResolver.get lists them in CastFcts.all()'s order).
		{"SELECT b, CAST(h AS int) FROM tm", "Invalid call to function system.castAsInt, none of its type signatures match (known type signatures: " +
			"system.castAsInt : (tinyint) -> int, system.castAsInt : (smallint) -> int, system.castAsInt : (bigint) -> int, " +
			"system.castAsInt : (float) -> int, system.castAsInt : (double) -> int, system.castAsInt : (decimal) -> int, " +
			"system.castAsInt : (counter) -> int, system.castAsInt : (varint) -> int)"},
		{"SELECT CAST(d AS timestamp) FROM tm", "Invalid call to function system.castAsTimestamp, none of its type signatures match " +
			"(known type signatures: system.castAsTimestamp : (timeuuid) -> timestamp, system.castAsTimestamp : (date) -> timestamp)"},
		{"SELECT CAST(h AS date) FROM tm", "Invalid call to function system.castAsDate, none of its type signatures match " +
			"(known type signatures: system.castAsDate : (timeuuid) -> date, system.castAsDate : (timestamp) -> date)"},
	} {
		f.fail(tt.msg, tt.q)
	}
	// Counters cast like bigints.
	f.ddl("CREATE TABLE cn (k int PRIMARY KEY, n counter)")
	f.exec("UPDATE cn SET n = n + 2 WHERE k = 1")
	f.expect("2 2 2 2 2.0 2.0 2.0 2 2", "SELECT CAST(n AS tinyint), CAST(n AS smallint), CAST(n AS int), CAST(n AS bigint), CAST(n AS float), CAST(n AS double), CAST(n AS decimal), CAST(n AS ascii), CAST(n AS text) FROM cn")
}

// GROUP BY (SelectStatement.getAggregationSpecification; AggregationTest
// .testGroupBy*): groups on a primary key prefix, their messages, and
// LIMIT, PER PARTITION LIMIT and paging counted in groups.
func TestGroupBy(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (a int, b int, c int, d int, e int, s int static, PRIMARY KEY (a, b, c, d))")
	for _, r := range [][5]int{{1, 2, 1, 3, 6}, {1, 2, 2, 6, 12}, {1, 3, 3, 3, 9}, {1, 4, 1, 3, 4}, {2, 2, 1, 3, 1}, {2, 4, 2, 6, 5}, {4, 8, 2, 12, 24}} {
		f.exec("INSERT INTO t (a, b, c, d, e) VALUES (?, ?, ?, ?, ?)", r[0], r[1], r[2], r[3], r[4])
	}
	// Token order of the partitions: 1, 2, 4.
	f.expect("1 2 1 12 2 | 1 3 3 9 1 | 1 4 1 4 1 | 2 2 1 1 1 | 2 4 2 5 1 | 4 8 2 24 1",
		"SELECT a, b, c, max(e), count(*) FROM t GROUP BY a, b")
	f.expect("1 2 12 4 | 2 2 5 2 | 4 8 24 1", "SELECT a, b, max(e), count(*) FROM t GROUP BY a")
	f.expect("1 2 1 | 1 3 3", "SELECT a, b, c FROM t WHERE a = 1 GROUP BY a, b LIMIT 2")
	f.expect("1 2 2 | 1 3 1 | 2 2 1 | 2 4 1 | 4 8 1", "SELECT a, b, count(*) FROM t GROUP BY a, b PER PARTITION LIMIT 2")
	f.expect("1 2 1", "SELECT a, b, count(*) FROM t WHERE a = 1 AND b = 2 GROUP BY a, b, c LIMIT 1")
	// A restricted column may be skipped.
	f.expect("1 1 1 | 1 2 1", "SELECT a, c, count(*) FROM t WHERE a = 1 AND b = 2 GROUP BY c")
	// Paging counts groups: every page ends after a whole group.
	q := "SELECT a, b, count(*) FROM t GROUP BY a, b"
	var pages []string
	var state []byte
	for i := 0; i < 10; i++ {
		r, err := f.run(Options{PageSize: 2, PagingState: state}, q)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, rows(r))
		if state = r.PagingState; state == nil {
			break
		}
	}
	if got := joinPages(pages); got != "1 2 2 | 1 3 1 // 1 4 1 | 2 2 1 // 2 4 1 | 4 8 1 // " && got != "1 2 2 | 1 3 1 // 1 4 1 | 2 2 1 // 2 4 1 | 4 8 1" {
		t.Errorf("pages: %s", got)
	}
	f.expect("1", "SELECT count(*) FROM t WHERE a = 4 GROUP BY a, b, c, d LIMIT 5")
	for _, tt := range []struct{ q, msg string }{
		{"SELECT a, max(e) FROM t GROUP BY e", "Group by is currently only supported on the columns of the PRIMARY KEY, got e"},
		{"SELECT a, max(e) FROM t GROUP BY b", "Group by currently only support groups of columns following their declared order in the PRIMARY KEY"},
		{"SELECT a, max(e) FROM t GROUP BY a, c", "Group by currently only support groups of columns following their declared order in the PRIMARY KEY"},
		{"SELECT a, max(e) FROM t GROUP BY a, b, b", "Group by currently only support groups of columns following their declared order in the PRIMARY KEY"},
		{"SELECT DISTINCT a, s FROM t GROUP BY a, b", "Grouping on clustering columns is not allowed for SELECT DISTINCT queries"},
		{"SELECT a, max(e) FROM t GROUP BY nope", "Undefined column name nope"},
	} {
		f.fail(tt.msg, tt.q)
	}
	f.expect("1 null | 2 null | 4 null", "SELECT DISTINCT a, s FROM t GROUP BY a")
	f.ddl("CREATE TABLE cp (a int, b int, c int, PRIMARY KEY ((a, b), c))")
	f.fail("Group by is not supported on only a part of the partition key", "SELECT a, count(*) FROM cp GROUP BY a")
	f.exec("SELECT a, count(*) FROM cp WHERE a = 1 AND b = 1 GROUP BY a, b")
	// An aggregate with GROUP BY over nothing gives no row.
	f.expect("", "SELECT a, count(*) FROM t WHERE a = 9 GROUP BY a")
	f.expect("0", "SELECT count(*) FROM t WHERE a = 9")
}

func joinPages(pages []string) string {
	out := ""
	for i, p := range pages {
		if i > 0 {
			out += " // "
		}
		out += p
	}
	return out
}

// Paging a GROUP BY query gives the unpaged result, page by page, for
// every grouping, LIMIT, PER PARTITION LIMIT and page size; a partition
// with statics only is a group of its own.
func TestGroupByPaging(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (a int, b int, c int, e int, s int static, PRIMARY KEY (a, b, c))")
	for a := 0; a < 4; a++ {
		for b := 0; b < a; b++ {
			for c := 0; c < 3; c++ {
				f.exec("INSERT INTO t (a, b, c, e) VALUES (?, ?, ?, ?)", a, b, c, a*100+b*10+c)
			}
		}
	}
	f.exec("INSERT INTO t (a, s) VALUES (9, 1)") // statics only
	for _, group := range []string{"a", "a, b", "a, b, c"} {
		for _, ppl := range []string{"", " PER PARTITION LIMIT 1", " PER PARTITION LIMIT 2"} {
			for _, limit := range []string{"", " LIMIT 1", " LIMIT 3", " LIMIT 5"} {
				q := "SELECT a, b, count(*), max(e) FROM t GROUP BY " + group + ppl + limit
				want := f.query(q)
				for size := 1; size <= 4; size++ {
					var pages []string
					var state []byte
					for i := 0; i < 50; i++ {
						r, err := f.run(Options{PageSize: size, PagingState: state}, q)
						if err != nil {
							t.Fatalf("%s (page size %d): %v", q, size, err)
						}
						if got := rows(r); got != "" {
							pages = append(pages, got)
						}
						if len(r.Rows) > size {
							t.Errorf("%s: page of %d groups for page size %d", q, len(r.Rows), size)
						}
						if state = r.PagingState; state == nil {
							break
						}
					}
					if got := strings.Join(pages, " | "); got != want {
						t.Errorf("%s, page size %d:\n got %s\nwant %s", q, size, got, want)
					}
				}
			}
		}
	}
}
