package cqlexec

import (
	"context"
	"testing"

	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/cqlquery"
)

// FuzzStatement runs any text as a statement (what QUERY does, less the
// connection): whatever parses must prepare and run to a result or an
// error that maps to a protocol message, never a panic. Schema changes
// accumulate on one node.
func FuzzStatement(f *testing.F) {
	for _, s := range []string{
		"CREATE KEYSPACE ks2 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
		"CREATE TABLE t2 (k int, c text, v list<int>, PRIMARY KEY ((k), c)) WITH CLUSTERING ORDER BY (c DESC) AND comment = 'x'",
		"ALTER TABLE t ADD w map<text, frozen<list<int>>>",
		"ALTER TABLE t RENAME k TO kk",
		"ALTER TABLE t DROP v USING TIMESTAMP 5",
		"ALTER TABLE t WITH compaction = {'class': 'LeveledCompactionStrategy'}",
		"CREATE INDEX ON t (keys(m))",
		"DROP INDEX t_v_idx",
		"CREATE TYPE u (a int, b frozen<tuple<int, text>>)",
		"ALTER TYPE u RENAME a TO z AND b TO y",
		"DROP TYPE IF EXISTS u",
		"DROP KEYSPACE ks",
		"USE system_schema",
		"TRUNCATE system.local",
		"SELECT keyspace_name, table_name AS t FROM system_schema.tables WHERE keyspace_name IN ('ks', ?) LIMIT ?",
		"SELECT * FROM system_schema.functions WHERE keyspace_name = 'ks' AND function_name = 'f' AND argument_types = ['int', 'text']",
		"SELECT * FROM system.local WHERE key = 'local'",
		"INSERT INTO t (k, v) VALUES (?, ?)",
		"CREATE FUNCTION f (a frozen<list<int>>) RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS 'return 1;'",
		"CREATE AGGREGATE a (int, frozen<set<int>>) SFUNC s STYPE int FINALFUNC f INITCOND 0",
		"DROP AGGREGATE a (int)",
		"CREATE MATERIALIZED VIEW v AS SELECT * FROM t WHERE k IS NOT NULL PRIMARY KEY (k)",
		"CREATE TRIGGER tr ON t USING 'C'",
		"GRANT ALL ON KEYSPACE ks TO r",
		"CREATE USER u WITH PASSWORD 'p' SUPERUSER",
	} {
		f.Add(s)
	}
	n := newTestNode()
	e, err := New(Config{Node: n})
	if err != nil {
		f.Fatal(err)
	}
	op, _, _ := schemaOp(mustParse(f, "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"), "")
	if _, _, err := e.changeSchema(op); err != nil {
		f.Fatal(err)
	}
	op, _, _ = schemaOp(mustParse(f, "CREATE TABLE ks.t (k int PRIMARY KEY, v text, m map<text, int>)"), "")
	if _, _, err := e.changeSchema(op); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		p, err := e.build(q, "ks")
		if err != nil {
			if errorMessage(err) == nil {
				t.Fatal("no message for", err)
			}
			return
		}
		switch p.kind {
		case kindData:
			unlock := n.ReadLock()
			_, err = p.data.Execute(context.Background(), e.env, cqlquery.Options{Values: make([]cqlquery.Value, p.markerCount()), PageSize: 3})
			unlock()
		case kindUse:
			_, err = e.use(p.parsed.Statement.(*cqlparse.UseStmt))
		case kindTruncate:
			_, err = e.truncate(p.parsed.Statement.(*cqlparse.TruncateStmt), "ks")
		case kindRefused:
			_, err = e.refuse(p.parsed.Statement, "ks", AnonymousUser)
		default:
			op, _, err2 := schemaOp(p.parsed.Statement, "ks")
			if err = err2; err == nil {
				_, _, err = e.changeSchema(op)
			}
		}
		if err != nil && errorMessage(err) == nil {
			t.Fatal("no message for", err)
		}
	})
}

func mustParse(tb testing.TB, q string) cqlparse.Statement {
	tb.Helper()
	p, err := cqlparse.Parse(q)
	if err != nil {
		tb.Fatal(err)
	}
	return p.Statement
}
