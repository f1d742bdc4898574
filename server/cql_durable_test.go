package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/server/internal/vfs"
)

// cqlEveryWrite is one statement of every kind of change CQL makes: schema
// statements (keyspace, user types, tables, indexes, ALTER TABLE
// ADD/DROP/RENAME, ALTER TYPE, DROP), row markers, TTLs and timestamps,
// statics, every collection and user-type update form, counters,
// lightweight transactions, the three batch kinds, INSERT JSON, row, range
// and partition deletions, and TRUNCATE.
var cqlEveryWrite = []string{
	"CREATE KEYSPACE d WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
	"CREATE TYPE d.addr (street text, zip int)",
	`CREATE TABLE d.t (k int, c int, s int static, v text, l list<int>, st set<text>, m map<text, int>,
		a addr, fa frozen<addr>, tu tuple<int, text>, PRIMARY KEY (k, c))`,
	"CREATE TABLE d.cnt (k int PRIMARY KEY, n counter, o counter)",
	"CREATE TABLE d.one (id int PRIMARY KEY, name text, tags set<text>)",
	"CREATE TABLE d.trunc (k int PRIMARY KEY, v text)",
	"CREATE TABLE d.gone (k int PRIMARY KEY)",
	"CREATE TABLE d.cs (k text, c int, v text, PRIMARY KEY (k, c)) WITH COMPACT STORAGE",
	"CREATE INDEX ON d.t (v)",
	"CREATE INDEX ON d.t (keys(m))",
	"CREATE INDEX ON d.one (name)",
	"CREATE INDEX ON d.one (tags)",
	"INSERT INTO d.t (k, c, s, v, l, st, m, a, fa, tu) VALUES (1, 1, 10, 'x', [1, 2], {'a', 'b'}, {'p': 1}, {street: 'main', zip: 1}, {street: 'f', zip: 2}, (3, 'three'))",
	"INSERT INTO d.t (k, c, v) VALUES (1, 2, 'y') USING TTL 1000",
	"INSERT INTO d.t (k, c, v) VALUES (1, 3, 'z') USING TIMESTAMP 42",
	"INSERT INTO d.t (k, c) VALUES (2, 1)",
	"UPDATE d.t SET l = l + [3], l = [0] + l WHERE k = 1 AND c = 1",
	"UPDATE d.t SET l[1] = 9 WHERE k = 1 AND c = 1",
	"DELETE l[0] FROM d.t WHERE k = 1 AND c = 1",
	"UPDATE d.t SET st = st + {'c'}, st = st - {'a'} WHERE k = 1 AND c = 1",
	"UPDATE d.t SET m['q'] = 2, m = m + {'r': 3} WHERE k = 1 AND c = 1",
	"DELETE m['p'] FROM d.t WHERE k = 1 AND c = 1",
	"UPDATE d.t SET a.zip = 5 WHERE k = 1 AND c = 1",
	"UPDATE d.t USING TTL 500 SET v = 'ttl' WHERE k = 2 AND c = 1",
	"UPDATE d.t SET s = 20 WHERE k = 2",
	"UPDATE d.t SET st = {'whole'} WHERE k = 2 AND c = 1",
	"INSERT INTO d.t JSON '{\"k\": 3, \"c\": 1, \"v\": \"json\", \"m\": {\"j\": 7}}'",
	"INSERT INTO d.t (k, c, v) VALUES (4, 1, 'a')",
	"INSERT INTO d.t (k, c, v) VALUES (4, 2, 'b')",
	"INSERT INTO d.t (k, c, v) VALUES (4, 3, 'c')",
	"DELETE FROM d.t WHERE k = 4 AND c > 1",
	"INSERT INTO d.t (k, c, v) VALUES (5, 1, 'gone')",
	"DELETE FROM d.t WHERE k = 5",
	"DELETE v FROM d.t WHERE k = 1 AND c = 3",
	"UPDATE d.cnt SET n = n + 5, o = o - 2 WHERE k = 1",
	"UPDATE d.cnt SET n = n + 1 WHERE k = 1",
	"BEGIN COUNTER BATCH UPDATE d.cnt SET n = n + 10 WHERE k = 2; UPDATE d.cnt SET o = o + 1 WHERE k = 1; APPLY BATCH",
	"BEGIN BATCH INSERT INTO d.t (k, c, v) VALUES (6, 1, 'b1'); INSERT INTO d.one (id, name) VALUES (6, 'batch'); APPLY BATCH",
	"BEGIN UNLOGGED BATCH INSERT INTO d.t (k, c, v) VALUES (7, 1, 'u1'); INSERT INTO d.t (k, c, v) VALUES (7, 2, 'u2'); APPLY BATCH",
	"INSERT INTO d.one (id, name, tags) VALUES (1, 'ann', {'a'}) IF NOT EXISTS",
	"INSERT INTO d.one (id, name, tags) VALUES (2, 'bob', {'a', 'b'})",
	"UPDATE d.one SET name = 'bea' WHERE id = 2 IF name = 'bob'",
	"UPDATE d.one SET tags = tags - {'a'} WHERE id = 2",
	"DELETE FROM d.one WHERE id = 1 IF EXISTS",
	"BEGIN BATCH INSERT INTO d.t (k, c, v) VALUES (8, 1, 'c1') IF NOT EXISTS; INSERT INTO d.t (k, c, v) VALUES (8, 2, 'c2'); APPLY BATCH",
	"INSERT INTO d.trunc (k, v) VALUES (1, 'before')",
	"TRUNCATE d.trunc",
	"INSERT INTO d.trunc (k, v) VALUES (2, 'after')",
	"INSERT INTO d.gone (k) VALUES (1)",
	"DROP TABLE d.gone",
	"CREATE TABLE d.gone (k int PRIMARY KEY, w text)",
	"INSERT INTO d.gone (k, w) VALUES (2, 'new')",
	"ALTER TABLE d.t ADD extra text",
	"UPDATE d.t SET extra = 'e' WHERE k = 1 AND c = 1",
	"ALTER TABLE d.t DROP tu",
	"ALTER TABLE d.t RENAME c TO cc",
	"ALTER TYPE d.addr ADD city text",
	"UPDATE d.t SET a.city = 'x' WHERE k = 1 AND cc = 1",
	"INSERT INTO d.cs (k, c, v) VALUES ('a', 1, 'one')",
	"INSERT INTO d.cs (k, c, v) VALUES ('a', 2, 'two')",
	"DELETE FROM d.cs WHERE k = 'a' AND c = 1",
	"INSERT INTO d.cs (k, c, v) VALUES ('b', 1, 'b1')",
	"ALTER TABLE d.cs DROP COMPACT STORAGE",
	"INSERT INTO d.cs (k, c, v) VALUES ('b', 2, 'b2')",
	"ALTER TABLE d.cs ADD extra int",
	"UPDATE d.cs SET extra = 7 WHERE k = 'a' AND c = 2",
}

// cqlDump is what the tests compare across restarts: every row of every
// table (with write times and TTLs), index lookups, and the schema.
var cqlDump = []string{
	"SELECT JSON * FROM d.t",
	"SELECT k, cc, writetime(v), ttl(v), writetime(s) FROM d.t",
	"SELECT * FROM d.cnt",
	"SELECT JSON * FROM d.one",
	"SELECT * FROM d.trunc",
	"SELECT * FROM d.gone",
	"SELECT * FROM d.cs",
	"SELECT k, cc FROM d.t WHERE v = 'x'",
	"SELECT k, cc FROM d.t WHERE m CONTAINS KEY 'q'",
	"SELECT id FROM d.one WHERE name = 'bea'",
	"SELECT id FROM d.one WHERE tags CONTAINS 'b'",
	"SELECT id FROM d.one WHERE name = 'batch'",
	"SELECT table_name, column_name, kind, position, type FROM system_schema.columns WHERE keyspace_name = 'd'",
	"SELECT * FROM system_schema.dropped_columns WHERE keyspace_name = 'd'",
	"SELECT * FROM system_schema.types WHERE keyspace_name = 'd'",
	"SELECT * FROM system_schema.indexes WHERE keyspace_name = 'd'",
	"SELECT table_name, id, flags FROM system_schema.tables WHERE keyspace_name = 'd'",
}

// runCQLEveryWrite runs cqlEveryWrite, advancing the clock a millisecond
// before each statement so that server timestamps differ.
func runCQLEveryWrite(t *testing.T, s *gocql.Session, clock *cassatest.Clock, stmts []string) {
	t.Helper()
	for _, q := range stmts {
		clock.Advance(time.Millisecond)
		if err := s.Query(q).Exec(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func dumpCQL(t *testing.T, s *gocql.Session) string {
	t.Helper()
	var b strings.Builder
	for _, q := range cqlDump {
		_, rows := selectRows(t, s, q)
		fmt.Fprintf(&b, "%s\n", q)
		for _, r := range rows {
			fmt.Fprintf(&b, "  %v\n", r)
		}
	}
	return b.String()
}

// TestCQLDurableEveryWriteKind: every kind of CQL change goes through the
// commit log. A power cut (a crash clone of the disk) with batch sync
// replays to exactly the state acknowledged, index entries included,
// whether the changes are all in the log or partly in a snapshot; a clean
// restart (final snapshot) too.
func TestCQLDurableEveryWriteKind(t *testing.T) {
	half := len(cqlEveryWrite) / 2
	for _, tc := range []struct {
		name       string
		snapshotAt int // statements before Server.Snapshot; -1 for none
	}{{"log only", -1}, {"snapshot and log", half}} {
		t.Run(tc.name, func(t *testing.T) {
			clock := cassatest.NewClock(clockStart)
			fsys := vfs.NewMemFS()
			cfg := server.ConfigWithFS(server.Config{DataDir: powerCutDir, CommitLogSync: "batch",
				SnapshotThreshold: -1, Clock: clock.Now}, fsys)
			srv := startCQL(t, cfg)
			s := connect(t, srv, "")
			if tc.snapshotAt < 0 {
				runCQLEveryWrite(t, s, clock, cqlEveryWrite)
			} else {
				runCQLEveryWrite(t, s, clock, cqlEveryWrite[:tc.snapshotAt])
				must(t, srv.Snapshot())
				runCQLEveryWrite(t, s, clock, cqlEveryWrite[tc.snapshotAt:])
			}
			want := dumpCQL(t, s)

			crashed := startCQL(t, server.ConfigWithFS(cfg, fsys.CrashClone()))
			if got := dumpCQL(t, connect(t, crashed, "")); got != want {
				t.Fatalf("after a power cut:\n--- want\n%s--- got\n%s", want, got)
			}
			must(t, crashed.Close())
			s.Close()
			must(t, srv.Close())
			again := startCQL(t, cfg)
			if got := dumpCQL(t, connect(t, again, "")); got != want {
				t.Fatalf("after a clean restart:\n--- want\n%s--- got\n%s", want, got)
			}
		})
	}
}
