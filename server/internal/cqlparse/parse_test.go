package cqlparse

import (
	"reflect"
	"testing"
)

// corpus pairs statements with their canonical text ("" when the input is
// already canonical). Every entry must parse; the round-trip test reparses
// every canonical text too.
var corpus = []struct{ in, want string }{
	// USE, TRUNCATE
	{"USE ks", ""},
	{"use \"MyKs\";", `USE "MyKs"`},
	{"TRUNCATE t", "TRUNCATE TABLE t"},
	{"TRUNCATE TABLE ks.t;;", "TRUNCATE TABLE ks.t"},
	{"truncate columnfamily ks.t", "TRUNCATE TABLE ks.t"},

	// Keyspaces
	{"CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}", ""},
	{"CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': '3', 'dc2': 2} AND durable_writes = false",
		"CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 2} AND durable_writes = false"},
	{"CREATE SCHEMA ks WITH replication = {'class' : 'SimpleStrategy', 'replication_factor' : '1'}",
		"CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"},
	{"ALTER KEYSPACE ks WITH durable_writes = true", ""},
	{"ALTER KEYSPACE \"Ks\" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2} AND durable_writes = 'false'",
		"ALTER KEYSPACE \"Ks\" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2} AND durable_writes = false"},
	{"DROP KEYSPACE ks", ""},
	{"DROP KEYSPACE IF EXISTS ks", ""},
	{"DROP SCHEMA IF EXISTS ks", "DROP KEYSPACE IF EXISTS ks"},

	// Tables
	{"CREATE TABLE t (k int PRIMARY KEY, v text)", "CREATE TABLE t (k int, v text, PRIMARY KEY (k))"},
	{"CREATE TABLE ks.t (k int, c1 int, c2 text, v int, s text STATIC, PRIMARY KEY (k, c1, c2))", ""},
	{"CREATE TABLE IF NOT EXISTS t (a int, b int, c int, PRIMARY KEY ((a, b), c)) WITH CLUSTERING ORDER BY (c DESC)", ""},
	{"CREATE TABLE t (k int, PRIMARY KEY ((k)))", "CREATE TABLE t (k int, PRIMARY KEY (k))"},
	{"CREATE COLUMNFAMILY t (k int, v int, PRIMARY KEY (k),)", "CREATE TABLE t (k int, v int, PRIMARY KEY (k))"},
	{"CREATE TABLE t (k blob PRIMARY KEY, v blob) WITH COMPACT STORAGE", "CREATE TABLE t (k blob, v blob, PRIMARY KEY (k)) WITH COMPACT STORAGE"},
	{"CREATE TABLE t (k int, c int, v int, PRIMARY KEY (k, c)) WITH COMPACT STORAGE AND CLUSTERING ORDER BY (c ASC) AND comment = 'it''s' AND gc_grace_seconds = 10 AND compaction = {'class': 'LeveledCompactionStrategy'} AND caching = {'keys': 'ALL', 'rows_per_partition': 'NONE'} AND bloom_filter_fp_chance = 0.01",
		"CREATE TABLE t (k int, c int, v int, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c ASC) AND COMPACT STORAGE AND comment = 'it''s' AND gc_grace_seconds = 10 AND compaction = {'class': 'LeveledCompactionStrategy'} AND caching = {'keys': 'ALL', 'rows_per_partition': 'NONE'} AND bloom_filter_fp_chance = 0.01"},
	{"CREATE TABLE t (k uuid, l list<text>, s set<frozen<tuple<int, text>>>, m map<timeuuid, frozen<map<int, boolean>>>, u frozen<address>, u2 ks.address, f frozen<list<frozen<set<bigint>>>>, d duration, c 'org.apache.cassandra.db.marshal.DynamicCompositeType(s=>UTF8Type)', PRIMARY KEY (k))", ""},
	{"CREATE TABLE t (a ascii, b bigint, c blob, d boolean, e counter, f date, g decimal, h double, i float, j inet, k int, l smallint, m text, n time, o timestamp, p timeuuid, q tinyint, r uuid, s varchar, t varint, PRIMARY KEY (k))", ""},
	{"CREATE TABLE t (k int, PRIMARY KEY (k), PRIMARY KEY (k, c))", ""},
	{"CREATE TABLE t (k int PRIMARY KEY, v int, PRIMARY KEY (v))", "CREATE TABLE t (k int, v int, PRIMARY KEY (k), PRIMARY KEY (v))"},
	{"ALTER TABLE t ADD v text", ""},
	{"ALTER TABLE t ADD s int static", "ALTER TABLE t ADD s int STATIC"},
	{"ALTER TABLE ks.t ADD (a int, b set<text> STATIC)", ""},
	{"ALTER TABLE t ADD (a int)", "ALTER TABLE t ADD a int"},
	{"ALTER TABLE t DROP v", ""},
	{"ALTER TABLE t DROP (a, b) USING TIMESTAMP 1234", ""},
	{"ALTER TABLE t DROP compact USING TIMESTAMP -5", ""},
	{"ALTER TABLE t DROP COMPACT STORAGE", ""},
	{"ALTER TABLE t ALTER v TYPE blob", ""},
	{"ALTER TABLE t RENAME k TO key2 AND c TO \"C2\"", ""},
	{"ALTER TABLE t WITH comment = 'x' AND default_time_to_live = 3600", ""},
	{"ALTER COLUMNFAMILY t WITH compression = {'sstable_compression': ''}", "ALTER TABLE t WITH compression = {'sstable_compression': ''}"},
	{"DROP TABLE t", ""},
	{"DROP TABLE IF EXISTS ks.t", ""},

	// Indexes
	{"CREATE INDEX ON t (v)", ""},
	{"CREATE INDEX idx ON ks.t (v)", ""},
	{"CREATE INDEX IF NOT EXISTS idx ON t (keys(m))", ""},
	{"create index on t (VALUES(l))", "CREATE INDEX ON t (values(l))"},
	{"CREATE INDEX ON t (entries(m))", ""},
	{"CREATE INDEX ON t (full(fl))", ""},
	{"CREATE INDEX ON t (keys)", ""},
	{"CREATE INDEX ON t (values, keys)", ""},
	{"CREATE CUSTOM INDEX ON t ()", ""},
	{"CREATE CUSTOM INDEX idx ON t (v) USING 'org.apache.cassandra.index.sasi.SASIIndex' WITH OPTIONS = {'mode': 'CONTAINS'}",
		"CREATE CUSTOM INDEX idx ON t (v) USING 'org.apache.cassandra.index.sasi.SASIIndex' WITH options = {'mode': 'CONTAINS'}"},
	{"DROP INDEX idx", ""},
	{"DROP INDEX IF EXISTS ks.idx", ""},

	// Types
	{"CREATE TYPE address (street text, zip int)", ""},
	{"CREATE TYPE IF NOT EXISTS ks.\"Address\" (street text, tags frozen<set<text>>,)", "CREATE TYPE IF NOT EXISTS ks.\"Address\" (street text, tags frozen<set<text>>)"},
	{"ALTER TYPE address ADD country text", ""},
	{"ALTER TYPE ks.address RENAME zip TO postcode AND street TO line1", ""},
	{"ALTER TYPE address ALTER zip TYPE bigint", ""},
	{"DROP TYPE address", ""},
	{"DROP TYPE IF EXISTS ks.address", ""},

	// Materialized views
	{"CREATE MATERIALIZED VIEW mv AS SELECT * FROM t WHERE v IS NOT NULL AND k IS NOT NULL PRIMARY KEY (v, k)", ""},
	{"CREATE MATERIALIZED VIEW IF NOT EXISTS ks.mv AS SELECT a, b FROM ks.t WHERE a IS NOT NULL PRIMARY KEY ((a, b), c) WITH CLUSTERING ORDER BY (c DESC) AND comment = 'v'", ""},
	{"ALTER MATERIALIZED VIEW mv WITH comment = 'x'", ""},
	{"DROP MATERIALIZED VIEW IF EXISTS ks.mv", ""},

	// Functions, aggregates, triggers
	{"CREATE FUNCTION f(a int, b text) RETURNS NULL ON NULL INPUT RETURNS text LANGUAGE java AS 'return b;'", ""},
	{"CREATE OR REPLACE FUNCTION IF NOT EXISTS ks.f(x double) CALLED ON NULL INPUT RETURNS double LANGUAGE JavaScript AS $$ x * 2 $$",
		"CREATE OR REPLACE FUNCTION IF NOT EXISTS ks.f(x double) CALLED ON NULL INPUT RETURNS double LANGUAGE javascript AS ' x * 2 '"},
	{"CREATE FUNCTION f() CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return 1;'", ""},
	{"DROP FUNCTION f", ""},
	{"DROP FUNCTION IF EXISTS ks.f(int, text)", ""},
	{"DROP FUNCTION f()", ""},
	{"CREATE AGGREGATE avg2(int) SFUNC state STYPE tuple<int, bigint> FINALFUNC fin INITCOND (0, 0)", ""},
	{"CREATE OR REPLACE AGGREGATE IF NOT EXISTS ks.agg(int, text) SFUNC s STYPE int", ""},
	{"DROP AGGREGATE IF EXISTS ks.agg(int)", ""},
	{"DROP AGGREGATE agg", ""},
	{"CREATE TRIGGER trig ON t USING 'org.example.Trigger'", ""},
	{"CREATE TRIGGER IF NOT EXISTS \"Trig\" ON ks.t USING 'x'", ""},
	{"DROP TRIGGER IF EXISTS trig ON ks.t", ""},

	// Roles, users, permissions
	{"CREATE ROLE r", ""},
	{"CREATE ROLE IF NOT EXISTS 'Role' WITH PASSWORD = 'p' AND LOGIN = true AND SUPERUSER = FALSE AND OPTIONS = {'a': 'b'}", ""},
	{"ALTER ROLE \"R\" WITH PASSWORD = 'q'", ""},
	{"DROP ROLE IF EXISTS r", ""},
	{"LIST ROLES", ""},
	{"LIST ROLES OF r NORECURSIVE", ""},
	{"GRANT r1 TO r2", ""},
	{"REVOKE r1 FROM r2", ""},
	{"CREATE USER IF NOT EXISTS Bob WITH PASSWORD 'secret' SUPERUSER", ""},
	{"CREATE USER 'alice' NOSUPERUSER", ""},
	{"ALTER USER bob WITH PASSWORD 'x'", ""},
	{"DROP USER IF EXISTS bob", ""},
	{"LIST USERS", ""},
	{"GRANT SELECT ON KEYSPACE ks TO r", ""},
	{"GRANT ALL ON ALL KEYSPACES TO r", "GRANT ALL PERMISSIONS ON ALL KEYSPACES TO r"},
	{"GRANT MODIFY PERMISSION ON ks.t TO r", "GRANT MODIFY ON TABLE ks.t TO r"},
	{"REVOKE ALTER ON TABLE t FROM r", ""},
	{"GRANT EXECUTE ON FUNCTION ks.f(int, text) TO r", ""},
	{"GRANT EXECUTE ON ALL FUNCTIONS IN KEYSPACE ks TO r", ""},
	{"GRANT CREATE ON ALL FUNCTIONS TO r", ""},
	{"GRANT DESCRIBE ON ALL ROLES TO r", ""},
	{"GRANT ALTER ON ROLE r1 TO r2", ""},
	{"GRANT SELECT ON ALL MBEANS TO r", ""},
	{"GRANT SELECT ON MBEAN 'org.apache.cassandra.db:type=Tables' TO r", ""},
	{"GRANT SELECT ON MBEANS 'org.apache.cassandra.db:type=*' TO r", ""},
	{"LIST ALL PERMISSIONS", ""},
	{"LIST SELECT ON ks.t OF r NORECURSIVE", "LIST SELECT ON TABLE ks.t OF r NORECURSIVE"},
	{"LIST ALL OF r", "LIST ALL PERMISSIONS OF r"},

	// SELECT
	{"SELECT * FROM t", ""},
	{"select * from KS.Tbl where K = 1;", "SELECT * FROM ks.tbl WHERE k = 1"},
	{"SELECT JSON * FROM t", ""},
	{"SELECT DISTINCT k FROM t", ""},
	{"SELECT JSON DISTINCT k, s FROM t", ""},
	{"SELECT json FROM t", ""},
	{"SELECT distinct FROM t", ""},
	{"SELECT json AS j FROM t", ""},
	{"SELECT JSON as FROM t", ""},
	{"SELECT JSON as AS a FROM t", ""},
	{"SELECT a AS b, \"C\" AS \"D\", writetime(v), ttl(v), count(*), COUNT(1), count(v), token(k), CAST(v AS text), toJson(m), ks.myfn(a, 'x', 3), u.street, f(u).city FROM t",
		"SELECT a AS b, \"C\" AS \"D\", writetime(v), ttl(v), count(*), count(1), count(v), token(k), CAST(v AS text), tojson(m), ks.myfn(a, 'x', 3), u.street, f(u).city FROM t"},
	{"SELECT 1, 'a', (int) 3, (text) ?, [1, 2], {'a': 1}, now(), CAST(CAST(v AS int) AS text) FROM t", ""},
	{"SELECT key, ttl, writetime, count, cast, json, distinct, type, values, keys, map, list, frozen, \"\" FROM t", ""},
	{"SELECT * FROM t WHERE a = 1 AND b > 2 AND c >= 3 AND d < 4 AND e <= 5 AND f != 6", ""},
	{"SELECT * FROM t WHERE k IN (1, 2, 3) AND c IN ? AND d IN :ds AND e IN ()", ""},
	{"SELECT * FROM t WHERE token(k) > token(?) AND token(a, b) <= 100", ""},
	{"SELECT * FROM t WHERE k = 0 AND (c1, c2) > (1, 2) AND (c1, c2) < ? AND (c1) IN ((1), (2)) AND (a, b) IN ? AND (a, b) IN (?, :x) AND (a, b) IN ()", ""},
	{"SELECT * FROM t WHERE s CONTAINS 1 AND m CONTAINS KEY 'k' AND m['a'] = 'b' AND m[?] = ?", ""},
	{"SELECT * FROM t WHERE v LIKE 'abc%' AND x IS NOT NULL", ""},
	{"SELECT * FROM t WHERE (k = 1) AND ((c = 2))", "SELECT * FROM t WHERE k = 1 AND c = 2"},
	{"SELECT * FROM t WHERE expr(idx, 'query') AND k = 1", ""},
	{"SELECT * FROM t WHERE k = 1 GROUP BY k, c ORDER BY c DESC, d ASC PER PARTITION LIMIT 2 LIMIT 10 ALLOW FILTERING", ""},
	{"SELECT * FROM t WHERE k = 1 ORDER BY c LIMIT ?", "SELECT * FROM t WHERE k = 1 ORDER BY c ASC LIMIT ?"},
	{"SELECT * FROM t ORDER BY c ASC, c DESC", "SELECT * FROM t ORDER BY c DESC"},
	{"SELECT * FROM t PER PARTITION LIMIT :ppl LIMIT :lim", ""},
	{"SELECT sum(v), avg(v), min(v), max(v) FROM t WHERE k = ? GROUP BY k", ""},

	// INSERT
	{"INSERT INTO t (k, v) VALUES (1, 'a')", ""},
	{"INSERT INTO ks.t (k, l, s, m, u, tu) VALUES (?, [1, 2], {'a', 'b'}, {1: 'x', 2: 'y'}, {street: 'main', \"Zip\": 1}, (1, 'a', true))", ""},
	{"INSERT INTO t (k) VALUES (:k) IF NOT EXISTS USING TTL :ttl AND TIMESTAMP :ts", ""},
	{"INSERT INTO t (k, v) VALUES (1, 2) USING TIMESTAMP 1 AND TTL 2 AND TTL 3", ""},
	{"INSERT INTO t JSON '{\"k\": 1}'", ""},
	{"INSERT INTO t JSON ? DEFAULT UNSET IF NOT EXISTS USING TTL 1", ""},
	{"INSERT INTO t JSON :j DEFAULT NULL", "INSERT INTO t JSON :j"},
	{"INSERT INTO t (a, b, c) VALUES (now(), uuid(), toTimestamp(now()))", "INSERT INTO t (a, b, c) VALUES (now(), uuid(), totimestamp(now()))"},
	{"INSERT INTO t (a, b, c, d) VALUES (minTimeuuid('2013-01-01 00:05+0000'), blobAsText(0x61), (int) ?, (text) 'x')",
		"INSERT INTO t (a, b, c, d) VALUES (mintimeuuid('2013-01-01 00:05+0000'), blobastext(0x61), (int) ?, (text) 'x')"},
	{"INSERT INTO t (k, m) VALUES (1, {})", ""},
	{"INSERT INTO t (k, l) VALUES (1, [])", ""},

	// UPDATE
	{"UPDATE t SET v = 1 WHERE k = 0", ""},
	{"UPDATE ks.t USING TTL 10 AND TIMESTAMP ? SET a = 'x', b = null WHERE k = ? AND c IN (1, 2)",
		"UPDATE ks.t USING TTL 10 AND TIMESTAMP ? SET a = 'x', b = NULL WHERE k = ? AND c IN (1, 2)"},
	{"UPDATE t SET c = c + 1, d = d - ?, e = e -3, f += 2, g -= 1 WHERE k = 1", "UPDATE t SET c = c + 1, d = d - ?, e = e + -3, f = f + 2, g = g - 1 WHERE k = 1"},
	{"UPDATE t SET l = l + [1, 2], l2 = [0] + l2, s = s + {'a'}, m = m + {'k': 1}, m2 = m2 - {'k'} WHERE k = 1", ""},
	{"UPDATE t SET l[0] = 'a', m['k'] = ?, u.street = 'x', u.zip = 1 WHERE k = 1", ""},
	{"UPDATE t SET m[1] = 1, m[2] = 2 WHERE k = 1", ""},
	{"UPDATE t SET v = 1 WHERE k = 1 IF EXISTS", ""},
	{"UPDATE t SET v = 1 WHERE k = 1 IF v = 0 AND w != null AND x IN (1, 2) AND y IN ? AND l[0] = 'a' AND m['k'] > 1 AND u.street = 'x' AND u.zip IN (1)",
		"UPDATE t SET v = 1 WHERE k = 1 IF v = 0 AND w != NULL AND x IN (1, 2) AND y IN ? AND l[0] = 'a' AND m['k'] > 1 AND u.street = 'x' AND u.zip IN (1)"},
	{"UPDATE t SET exists = 1 WHERE k = 1 IF exists = 2", ""},
	{"UPDATE t SET v = f(?), w = ks.g(1) WHERE k = 1", ""},

	// DELETE
	{"DELETE FROM t WHERE k = 1", ""},
	{"DELETE v, l[0], m['k'], u.street FROM ks.t USING TIMESTAMP 123 WHERE k = 1 AND c > 2", ""},
	{"DELETE FROM t WHERE k = 1 IF EXISTS", ""},
	{"DELETE v FROM t WHERE k = ? IF v = ? AND w IN (?, ?)", ""},

	// BATCH
	{"BEGIN BATCH APPLY BATCH", ""},
	{"BEGIN BATCH INSERT INTO t (k) VALUES (1) UPDATE t SET v = 1 WHERE k = 1 DELETE FROM t WHERE k = 2 APPLY BATCH",
		"BEGIN BATCH INSERT INTO t (k) VALUES (1); UPDATE t SET v = 1 WHERE k = 1; DELETE FROM t WHERE k = 2; APPLY BATCH"},
	{"BEGIN UNLOGGED BATCH USING TIMESTAMP 5 INSERT INTO t (k) VALUES (?); INSERT INTO t (k) VALUES (?); APPLY BATCH;", "BEGIN UNLOGGED BATCH USING TIMESTAMP 5 INSERT INTO t (k) VALUES (?); INSERT INTO t (k) VALUES (?); APPLY BATCH"},
	{"BEGIN COUNTER BATCH UPDATE t SET c = c + 1 WHERE k = 1; APPLY BATCH", ""},

	// Literals
	{"INSERT INTO t (a, b, c, d, e, f, g, h) VALUES (-12, 3.5, -1.5e-3, 1E10, 2., NaN, -NaN, Infinity)", ""},
	{"INSERT INTO t (a, b, c, d) VALUES (- Infinity, TRUE, false, null)", "INSERT INTO t (a, b, c, d) VALUES (-Infinity, TRUE, false, NULL)"},
	{"INSERT INTO t (a, b, c) VALUES (0x, 0xCAFEbabe, 550e8400-e29b-41d4-a716-446655440000)", ""},
	{"INSERT INTO t (a, b, c, d, e, f, g) VALUES (1h30m, -2d, 1y2mo3w4d5h6m7s8ms9us10ns, P1D, PT2H30M, P2W, P0001-02-03T04:05:06)", ""},
	{"INSERT INTO t (a, b) VALUES (1µs, -P1Y2M3DT4H5M6S)", ""},
	{"INSERT INTO t (a, b, c) VALUES ('', $$it's$$, 'multi\nline')", "INSERT INTO t (a, b, c) VALUES ('', 'it''s', 'multi\nline')"},

	// Comments and whitespace
	{"-- leading comment\nSELECT /* inline */ * FROM t // trailing\n", "SELECT * FROM t"},
	{"\n\tSELECT\r\n*\nFROM\tt\n;\n", "SELECT * FROM t"},
}

func TestParseCanonical(t *testing.T) {
	for _, c := range corpus {
		p, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		want := c.want
		if want == "" {
			want = c.in
		}
		if got := p.Statement.String(); got != want {
			t.Errorf("Parse(%q).String()\n got %s\nwant %s", c.in, got, want)
		}
	}
}

func mustParse(t testing.TB, q string) *Parsed {
	t.Helper()
	p, err := Parse(q)
	if err != nil {
		t.Fatalf("Parse(%q): %v", q, err)
	}
	return p
}

func id(n string) Ident  { return Ident{Name: n} }
func qid(n string) Ident { return Ident{Name: n, Quoted: true} }
func lit(k LiteralKind, s string) *Literal {
	return &Literal{Kind: k, Text: s}
}

func TestParseSelectAST(t *testing.T) {
	p := mustParse(t, `SELECT JSON a, "B" AS b2, count(*), f(x).y FROM Ks.T WHERE k = ? AND c IN :cs AND token(k) > 5 AND (c1, c2) >= (1, 'x') LIMIT ? ALLOW FILTERING`)
	m0, m1, m2 := &BindMarker{Index: 0}, &BindMarker{Index: 1, Name: id("cs")}, &BindMarker{Index: 2}
	want := &SelectStmt{
		JSON: true,
		Selectors: []SelectItem{
			{Selector: &ColumnSelector{Column: id("a")}},
			{Selector: &ColumnSelector{Column: qid("B")}, Alias: id("b2")},
			{Selector: &CountRowsSelector{}},
			{Selector: &FieldSelector{Target: &FunctionSelector{Name: QualifiedName{Name: id("f")}, Args: []Selector{&ColumnSelector{Column: id("x")}}}, Field: id("y")}},
		},
		Table: QualifiedName{Keyspace: id("ks"), Name: id("t")},
		Where: []Relation{
			&ColumnRelation{Column: id("k"), Op: OpEQ, Value: m0},
			&ColumnRelation{Column: id("c"), Op: OpIN, Value: m1},
			&TokenRelation{Columns: []Ident{id("k")}, Op: OpGT, Value: lit(LitInteger, "5")},
			&TupleRelation{Columns: []Ident{id("c1"), id("c2")}, Op: OpGTE, Value: &TupleLiteral{Elems: []Term{lit(LitInteger, "1"), lit(LitString, "x")}}},
		},
		Limit:          m2,
		AllowFiltering: true,
	}
	if !reflect.DeepEqual(p.Statement, want) {
		t.Errorf("got  %#v\nwant %#v", p.Statement, want)
	}
	if !reflect.DeepEqual(p.Markers, []*BindMarker{m0, m1, m2}) {
		t.Errorf("markers %v", p.Markers)
	}
	if p.Markers[1] != p.Statement.(*SelectStmt).Where[1].(*ColumnRelation).Value {
		t.Error("Markers must be the nodes of the statement")
	}
}

func TestParseInsertUpdateDeleteAST(t *testing.T) {
	ins := mustParse(t, `INSERT INTO t (k, "V") VALUES (?, {a: 1}) IF NOT EXISTS USING TTL ? AND TIMESTAMP 5`).Statement.(*InsertStmt)
	if !reflect.DeepEqual(ins.Columns, []Ident{id("k"), qid("V")}) || !ins.IfNotExists {
		t.Errorf("insert %#v", ins)
	}
	if _, ok := ins.Values[1].(*UDTLiteral); !ok {
		t.Errorf("{a: 1} should be a user type literal, got %T", ins.Values[1])
	}
	if ins.Using.TTL().(*BindMarker).Index != 1 || ins.Using.Timestamp().(*Literal).Text != "5" {
		t.Errorf("using %#v", ins.Using)
	}

	up := mustParse(t, `UPDATE t SET a = a + 1, b = [1] + b, c = c - {2}, d[0] = 'x', e.f = 3, g -= 4, h = h -5 WHERE k = 1 IF EXISTS`).Statement.(*UpdateStmt)
	kinds := []AssignKind{AssignAdd, AssignPrepend, AssignSubtract, AssignElement, AssignField, AssignSubtract, AssignAdd}
	for i, a := range up.Set {
		if a.Kind != kinds[i] {
			t.Errorf("assignment %d kind %d, want %d", i, a.Kind, kinds[i])
		}
	}
	if up.Set[6].Value.(*Literal).Text != "-5" || !up.IfExists || up.Set[4].Field != id("f") {
		t.Errorf("update %#v", up)
	}

	del := mustParse(t, `DELETE l[1], u.f, v FROM t USING TIMESTAMP 9 WHERE k = 1 IF v > 0`).Statement.(*DeleteStmt)
	want := []Deletion{{Column: id("l"), Elem: lit(LitInteger, "1")}, {Column: id("u"), Field: id("f")}, {Column: id("v")}}
	if !reflect.DeepEqual(del.Columns, want) || len(del.Conditions) != 1 || del.Conditions[0].Op != OpGT {
		t.Errorf("delete %#v", del)
	}
}

func TestParseDDLAST(t *testing.T) {
	ct := mustParse(t, `CREATE TABLE ks.t (k int, c text, m map<text, frozen<list<int>>>, s int STATIC, PRIMARY KEY ((k, c), m)) WITH CLUSTERING ORDER BY (m DESC) AND comment = 'x' AND compaction = {'class': 'LCS', 'min': 2}`).Statement.(*CreateTableStmt)
	if !reflect.DeepEqual(ct.PartitionKeys, [][]Ident{{id("k"), id("c")}}) || !reflect.DeepEqual(ct.ClusteringColumns, []Ident{id("m")}) {
		t.Errorf("keys %v %v", ct.PartitionKeys, ct.ClusteringColumns)
	}
	mt := ct.Columns[2].Type
	if mt.Kind != TypeMap || mt.Params[1].Kind != TypeFrozen || mt.Params[1].Params[0].Params[0].Name != "int" {
		t.Errorf("type %s", FormatType(mt))
	}
	if !ct.Columns[3].Static || !ct.Options.ClusteringOrder[0].Desc {
		t.Errorf("columns %#v", ct)
	}
	wantProps := []Property{{Name: id("comment"), Value: "x"}, {Name: id("compaction"), IsMap: true, Map: []MapProperty{{"class", "LCS"}, {"min", "2"}}}}
	if !reflect.DeepEqual(ct.Options.Properties, wantProps) {
		t.Errorf("properties %#v", ct.Options.Properties)
	}

	ci := mustParse(t, `CREATE CUSTOM INDEX IF NOT EXISTS i ON t (keys(m), full(f)) USING 'cls' WITH OPTIONS = {'a': 'b'}`).Statement.(*CreateIndexStmt)
	if !ci.Custom || !ci.IfNotExists || ci.Name != id("i") || *ci.Class != "cls" ||
		!reflect.DeepEqual(ci.Targets, []IndexTarget{{IndexKeys, id("m")}, {IndexFull, id("f")}}) {
		t.Errorf("index %#v", ci)
	}

	at := mustParse(t, `ALTER TABLE t DROP (a, b) USING TIMESTAMP 42`).Statement.(*AlterTableStmt)
	if at.Kind != AlterTableDrop || len(at.Columns) != 2 || *at.DropTimestamp != 42 {
		t.Errorf("alter %#v", at)
	}
	ty := mustParse(t, `ALTER TYPE ks.addr ALTER zip TYPE text`).Statement.(*AlterTypeStmt)
	if ty.Kind != AlterTypeAlter || ty.Type.Keyspace != id("ks") || ty.FieldType.Name != "text" {
		t.Errorf("alter type %#v", ty)
	}
}

func TestCaseFoldingAndQuoting(t *testing.T) {
	s := mustParse(t, `SELECT MyCol, "MyCol", "my""col", "" FROM MyKs."MyTable" WHERE KEY = 1`).Statement.(*SelectStmt)
	want := []Ident{id("mycol"), qid("MyCol"), qid(`my"col`), qid("")}
	for i, it := range s.Selectors {
		if got := it.Selector.(*ColumnSelector).Column; got != want[i] {
			t.Errorf("selector %d: %#v, want %#v", i, got, want[i])
		}
	}
	if s.Table != (QualifiedName{Keyspace: id("myks"), Name: qid("MyTable")}) {
		t.Errorf("table %#v", s.Table)
	}
	if c := s.Where[0].(*ColumnRelation).Column; c != id("key") {
		t.Errorf("KEY should fold to key: %#v", c)
	}
	if got := s.String(); got != `SELECT mycol, "MyCol", "my""col", "" FROM myks."MyTable" WHERE key = 1` {
		t.Errorf("String %s", got)
	}

	// Function names: plain names fold, quoted keep their case.
	f := mustParse(t, `SELECT BlobAsText(b), "MyFn"(b), ks.Now() FROM t`).Statement.(*SelectStmt)
	names := []QualifiedName{{Name: id("blobastext")}, {Name: qid("MyFn")}, {Keyspace: id("ks"), Name: id("now")}}
	for i, it := range f.Selectors {
		if got := it.Selector.(*FunctionSelector).Name; got != names[i] {
			t.Errorf("function %d: %#v", i, got)
		}
	}

	// Role names fold unless quoted or a string; user names never fold.
	g := mustParse(t, `GRANT Admin TO "Bob"`).Statement.(*GrantRoleStmt)
	if g.Role.Name != "admin" || g.Grantee.Name != "Bob" || !g.Grantee.Quoted {
		t.Errorf("grant %#v", g)
	}
	u := mustParse(t, `CREATE USER Alice`).Statement.(*CreateUserStmt)
	if u.User.Name != "Alice" {
		t.Errorf("user %#v", u)
	}
	// Named bind markers fold too.
	b := mustParse(t, `SELECT * FROM t WHERE k = :Key AND c = :"Col"`)
	if b.Markers[0].Name != id("key") || b.Markers[1].Name != qid("Col") {
		t.Errorf("markers %v %v", b.Markers[0], b.Markers[1])
	}
}

// unreservedKeywords lists the keywords Cassandra 3.11 lets a statement use
// as plain identifiers.
var unreservedKeywords = []string{"KEYS", "AS", "CLUSTERING", "COMPACT", "STORAGE", "TYPE", "VALUES",
	"MAP", "LIST", "FILTERING", "PERMISSION", "PERMISSIONS", "KEYSPACES", "ALL", "USER", "USERS", "ROLE",
	"ROLES", "SUPERUSER", "NOSUPERUSER", "LOGIN", "NOLOGIN", "OPTIONS", "PASSWORD", "EXISTS", "CUSTOM",
	"TRIGGER", "CONTAINS", "STATIC", "FROZEN", "TUPLE", "FUNCTION", "FUNCTIONS", "AGGREGATE", "SFUNC",
	"STYPE", "FINALFUNC", "INITCOND", "RETURNS", "LANGUAGE", "CALLED", "INPUT", "LIKE", "PER", "PARTITION",
	"GROUP", "ASCII", "BIGINT", "BLOB", "BOOLEAN", "COUNTER", "DECIMAL", "DOUBLE", "DURATION", "FLOAT",
	"INET", "INT", "SMALLINT", "TEXT", "TIMESTAMP", "TINYINT", "UUID", "VARCHAR", "VARINT", "TIMEUUID",
	"DATE", "TIME", "TTL", "COUNT", "WRITETIME", "KEY", "CAST", "JSON", "DISTINCT"}

// reservedKeywords is Cassandra 3.11's ReservedKeywords list.
var reservedKeywords = []string{"SELECT", "FROM", "WHERE", "AND", "ENTRIES", "FULL", "INSERT", "UPDATE",
	"WITH", "LIMIT", "USING", "USE", "SET", "BEGIN", "UNLOGGED", "BATCH", "APPLY", "TRUNCATE", "DELETE", "IN",
	"CREATE", "KEYSPACE", "SCHEMA", "COLUMNFAMILY", "TABLE", "MATERIALIZED", "VIEW", "INDEX", "ON", "TO",
	"DROP", "PRIMARY", "INTO", "ALTER", "RENAME", "ADD", "ORDER", "BY", "ASC", "DESC", "ALLOW", "IF", "IS",
	"GRANT", "OF", "REVOKE", "MODIFY", "AUTHORIZE", "DESCRIBE", "EXECUTE", "NORECURSIVE", "TOKEN", "NULL",
	"NOT", "NAN", "INFINITY", "OR", "REPLACE", "DEFAULT", "UNSET", "MBEAN", "MBEANS"}

// keywordStatements uses an unreserved keyword as every kind of name.
func keywordStatements(kw string) []string {
	return []string{
		"ALTER TABLE ks.t ADD " + kw + " text",
		"CREATE TABLE " + kw + " (" + kw + " int PRIMARY KEY)",
		"SELECT " + kw + " FROM " + kw + "." + kw + " WHERE " + kw + " = 1",
		"UPDATE t SET " + kw + " = 1 WHERE k = 1",
		"INSERT INTO t (" + kw + ") VALUES (:" + kw + ")",
		"CREATE KEYSPACE " + kw + " WITH replication = {'class': 'SimpleStrategy'}",
	}
}

func TestKeywordsAsIdentifiers(t *testing.T) {
	for _, kw := range unreservedKeywords {
		for _, q := range keywordStatements(kw) {
			p, err := Parse(q)
			if err != nil {
				t.Errorf("%s: %v", q, err)
				continue
			}
			if _, err := Parse(p.Statement.String()); err != nil {
				t.Errorf("reparse of %s: %v", p.Statement, err)
			}
		}
		if IsReserved(kw) {
			t.Errorf("IsReserved(%s)", kw)
		}
	}
}

func TestReservedKeywords(t *testing.T) {
	// As Cassandra's ReservedKeywordsTest: every reserved word is refused as
	// a column name, and accepted quoted.
	for _, kw := range reservedKeywords {
		if _, err := Parse("ALTER TABLE ks.t ADD " + kw + " TEXT"); err == nil {
			t.Errorf("ALTER TABLE ks.t ADD %s TEXT: no error", kw)
		}
		if _, err := Parse(`ALTER TABLE ks.t ADD "` + kw + `" TEXT`); err != nil {
			t.Errorf("quoted %s: %v", kw, err)
		}
		if !IsReserved(kw) || !IsReserved(lowerASCII(kw)) {
			t.Errorf("IsReserved(%s) = false", kw)
		}
	}
	if len(reservedWords) != len(reservedKeywords) {
		t.Errorf("%d reserved words, want %d", len(reservedWords), len(reservedKeywords))
	}
	for _, c := range []struct{ in, want string }{
		{"abc", "abc"}, {"Abc", `"Abc"`}, {"select", `"select"`}, {"key", "key"}, {"a b", `"a b"`},
		{`x"y`, `"x""y"`}, {"", `""`}, {"1a", `"1a"`}, {"a_1", "a_1"},
	} {
		if got := MaybeQuote(c.in); got != c.want {
			t.Errorf("MaybeQuote(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

// literalCases are every constant form with the Literal it parses to.
var literalCases = []struct {
	in   string
	kind LiteralKind
	text string
}{
	{"'abc'", LitString, "abc"},
	{"'it''s'", LitString, "it's"},
	{"''", LitString, ""},
	{"$$a'b$c$$", LitString, "a'b$c"},
	{"$$$$", LitString, ""},
	{"'héllo ☃ 😀'", LitString, "héllo ☃ 😀"},
	{"42", LitInteger, "42"},
	{"-42", LitInteger, "-42"},
	{"007", LitInteger, "007"},
	{"1.5", LitFloat, "1.5"},
	{"-0.5", LitFloat, "-0.5"},
	{"1.", LitFloat, "1."},
	{"1e10", LitFloat, "1e10"},
	{"1.5E-3", LitFloat, "1.5E-3"},
	{"NaN", LitFloat, "NaN"},
	{"nan", LitFloat, "nan"},
	{"-NaN", LitFloat, "-NaN"},
	{"Infinity", LitFloat, "Infinity"},
	{"-Infinity", LitFloat, "-Infinity"},
	{"true", LitBoolean, "true"},
	{"FALSE", LitBoolean, "FALSE"},
	{"0x", LitHex, "0x"},
	{"0XcaFE", LitHex, "0XcaFE"},
	{"550e8400-e29b-41d4-a716-446655440000", LitUUID, "550e8400-e29b-41d4-a716-446655440000"},
	{"ABCDEF00-0000-1000-8000-000000000000", LitUUID, "ABCDEF00-0000-1000-8000-000000000000"},
	{"1h", LitDuration, "1h"},
	{"12h30m", LitDuration, "12h30m"},
	{"-3d", LitDuration, "-3d"},
	{"1y2mo", LitDuration, "1y2mo"},
	{"1MO2W", LitDuration, "1MO2W"},
	{"5ms", LitDuration, "5ms"},
	{"5us", LitDuration, "5us"},
	{"5µs", LitDuration, "5µs"},
	{"5ns", LitDuration, "5ns"},
	{"P1Y2M3D", LitDuration, "P1Y2M3D"},
	{"PT1H", LitDuration, "PT1H"},
	{"P1DT2H3M4S", LitDuration, "P1DT2H3M4S"},
	{"P3W", LitDuration, "P3W"},
	{"P0001-02-03T04:05:06", LitDuration, "P0001-02-03T04:05:06"},
	{"-PT5M", LitDuration, "-PT5M"},
}

func TestLiterals(t *testing.T) {
	for _, c := range literalCases {
		p, err := Parse("INSERT INTO t (v) VALUES (" + c.in + ")")
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		got := p.Statement.(*InsertStmt).Values[0]
		if want := lit(c.kind, c.text); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v, want %#v", c.in, got, want)
		}
	}
}

func TestCollectionAndOtherTerms(t *testing.T) {
	vals := mustParse(t, `INSERT INTO t (a, b, c, d, e, f, g, h, i) VALUES ([1, 2], {1, 2}, {1: 'a'}, {}, {x: 1, "Y": 2}, (1, 'a'), (int) ?, now(), ks.f(1, [2]))`).
		Statement.(*InsertStmt).Values
	want := []Term{
		&ListLiteral{Elems: []Term{lit(LitInteger, "1"), lit(LitInteger, "2")}},
		&SetLiteral{Elems: []Term{lit(LitInteger, "1"), lit(LitInteger, "2")}},
		&MapLiteral{Entries: []MapEntry{{Key: lit(LitInteger, "1"), Value: lit(LitString, "a")}}},
		&SetLiteral{},
		&UDTLiteral{Fields: []UDTField{{Name: id("x"), Value: lit(LitInteger, "1")}, {Name: qid("Y"), Value: lit(LitInteger, "2")}}},
		&TupleLiteral{Elems: []Term{lit(LitInteger, "1"), lit(LitString, "a")}},
		&TypeHint{Type: &CQLType{Kind: TypeNative, Name: "int"}, Value: &BindMarker{Index: 0}},
		&FunctionCall{Name: QualifiedName{Name: id("now")}},
		&FunctionCall{Name: QualifiedName{Keyspace: id("ks"), Name: id("f")}, Args: []Term{lit(LitInteger, "1"), &ListLiteral{Elems: []Term{lit(LitInteger, "2")}}}},
	}
	for i := range want {
		if !reflect.DeepEqual(vals[i], want[i]) {
			t.Errorf("value %d: got %#v, want %#v", i, vals[i], want[i])
		}
	}
	if got := TermText(&MapLiteral{Entries: []MapEntry{{Key: lit(LitString, "a"), Value: &BindMarker{Name: id("x")}}}}); got != "{'a': ?}" {
		t.Errorf("TermText %s", got)
	}
	if got := TermText(vals[8]); got != "ks.f(1, [2])" {
		t.Errorf("TermText %s", got)
	}
	if got := TermText(vals[6]); got != "(int)?" {
		t.Errorf("TermText %s", got)
	}
}

// markerCases are statements with the names of their bind markers in order.
var markerCases = []struct {
	q     string
	names []string
}{
	{"SELECT * FROM t WHERE a = ? AND b IN ? AND (c, d) > ? AND (c, d) IN (?, ?) AND token(k) > ? PER PARTITION LIMIT ? LIMIT ?", []string{"", "", "", "", "", "", "", ""}},
	{"INSERT INTO t (a, b) VALUES (:a, ?) USING TTL :ttl AND TIMESTAMP ?", []string{"a", "", "ttl", ""}},
	{"UPDATE t USING TIMESTAMP ? SET a = ?, m[?] = ?, l = l + ? WHERE k = ? IF a IN ? AND b = ?", []string{"", "", "", "", "", "", "", ""}},
	{"BEGIN BATCH USING TIMESTAMP ? INSERT INTO t (a) VALUES (?); DELETE FROM t WHERE k = :k; APPLY BATCH", []string{"", "", "k"}},
	{"INSERT INTO t JSON :json", []string{"json"}},
	{"SELECT f(?), (int) ? FROM t", []string{"", ""}},
}

func TestBindMarkersOrder(t *testing.T) {
	for _, c := range markerCases {
		p := mustParse(t, c.q)
		if len(p.Markers) != len(c.names) {
			t.Errorf("%s: %d markers, want %d", c.q, len(p.Markers), len(c.names))
			continue
		}
		for i, m := range p.Markers {
			if m.Index != i || m.Name.Name != c.names[i] {
				t.Errorf("%s: marker %d = %#v", c.q, i, m)
			}
		}
	}
}

func TestUsingLastWins(t *testing.T) {
	u := mustParse(t, "INSERT INTO t (k) VALUES (1) USING TTL 1 AND TIMESTAMP 2 AND TTL 3").Statement.(*InsertStmt).Using
	if u.TTL().(*Literal).Text != "3" || u.Timestamp().(*Literal).Text != "2" || Using(nil).TTL() != nil {
		t.Errorf("using %#v", u)
	}
}

// commentCases are statements with comments in every form.
var commentCases = []string{
	"SELECT * FROM t -- comment\n",
	"SELECT * FROM t // comment\r",
	"SELECT /* a\nmulti-line ; comment */ * FROM t",
	"/**/SELECT * FROM t/* x */",
	"-- only comments before\n// and more\nSELECT * FROM t;",
	"SELECT * FROM t WHERE a = '--not a comment' AND b = '/* nor this */'",
}

func TestComments(t *testing.T) {
	for _, q := range commentCases {
		p := mustParse(t, q)
		if _, ok := p.Statement.(*SelectStmt); !ok {
			t.Errorf("%q: %T", q, p.Statement)
		}
	}
}
