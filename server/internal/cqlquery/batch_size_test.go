package cqlquery

import (
	"strings"
	"testing"
)

// BatchStatement.verifyBatchSize measures PartitionUpdate.dataSize: row
// clustering bytes, 16 bytes plus value and path per cell, 12 per complex
// column, 36-byte counter contexts; no partition key, row marker, static
// row or deletion of its own.
func TestBatchDataSize(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int, c int, s text static, v text, l list<int>, st set<text>, PRIMARY KEY (k, c))")
	f.ddl("CREATE TABLE cnt (k int PRIMARY KEY, n counter, m counter)")
	size := func(cql string, args ...any) int {
		t.Helper()
		s, err := f.prepare(cql)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := s.current(f.env)
		bc := &bindCtx{env: f.env, values: values(t, s, args), cl: clOne}
		ms := newMutations(f.env)
		var stmts []*modifyStmt
		if c.batch != nil {
			stmts = c.batch.stmts
		} else {
			stmts = []*modifyStmt{c.mod}
		}
		for _, m := range stmts {
			wp, err := m.bindParams(bc, 1000)
			if err != nil {
				t.Fatal(err)
			}
			if err := m.addUpdates(bc, ms, wp); err != nil {
				t.Fatal(err)
			}
		}
		n := 0
		for _, m := range ms.rowMutations() {
			n += dataSize(f.env, m)
		}
		return n
	}
	for _, c := range []struct {
		cql  string
		want int
	}{
		{"INSERT INTO t (k, c) VALUES (0, 1)", 4},                    // the row's clustering only
		{"INSERT INTO t (k, c, v) VALUES (0, 1, 'abc')", 4 + 16 + 3}, // + one cell
		{"INSERT INTO t (k, c, v) VALUES (0, 1, null)", 4 + 16},      // a tombstone cell
		{"UPDATE t SET s = 'xyz' WHERE k = 0", 0},                    // the static row is not counted
		{"UPDATE t SET l = [1, 2] WHERE k = 0 AND c = 1", 4 + 12 + 2*(16+4+16)},
		{"UPDATE t SET l = l + [7] WHERE k = 0 AND c = 1", 4 + 12 + 16 + 4 + 16},
		{"UPDATE t SET st = {'a', 'bc'} WHERE k = 0 AND c = 1", 4 + 12 + 16 + 1 + 16 + 2},
		{"DELETE st['a'] FROM t WHERE k = 0 AND c = 1", 4 + 12 + 16 + 1},
		{"DELETE FROM t WHERE k = 0 AND c = 1", 4}, // a row deletion: its row
		{"DELETE FROM t WHERE k = 0", 0},           // a partition deletion
		{"DELETE FROM t WHERE k = 0 AND c > 1", 0}, // a range tombstone
		{"UPDATE cnt SET n = n + 1, m = m - 2 WHERE k = 0", 2 * (16 + 36)},
		{"BEGIN BATCH INSERT INTO t (k, c, v) VALUES (0, 1, 'a') INSERT INTO t (k, c, v) VALUES (0, 1, 'b') APPLY BATCH", 4 + 16 + 1},
	} {
		if got := size(c.cql); got != c.want {
			t.Errorf("%s: size %d, want %d", c.cql, got, c.want)
		}
	}
	// The warning: raw byte counts.
	big := strings.Repeat("x", 3000)
	r := f.exec("BEGIN BATCH INSERT INTO t (k, c, v) VALUES (1, 0, ?) INSERT INTO t (k, c, v) VALUES (2, 0, ?) APPLY BATCH", big, big)
	if want := "Batch for [ks.t] is of size 6040, exceeding specified threshold of 5120 by 920."; len(r.Warnings) != 1 || r.Warnings[0] != want {
		t.Errorf("warnings %q, want %q", r.Warnings, want)
	}
	// One partition: no size check at all (CASSANDRA-10876).
	huge := strings.Repeat("x", 60*1024)
	r = f.exec("BEGIN BATCH INSERT INTO t (k, c, v) VALUES (1, 0, ?) INSERT INTO t (k, c, v) VALUES (1, 1, ?) APPLY BATCH", huge, huge)
	if len(r.Warnings) != 0 {
		t.Errorf("single partition warnings %q", r.Warnings)
	}
}

// The table sets of the warnings print as Java's HashSet does.
func TestBatchWarningTableOrder(t *testing.T) {
	if got, want := javaSet([]string{"ks.zebra", "ks.apple", "ks.t", "ks.mango", "ks1.t"}), "[ks.apple, ks1.t, ks.mango, ks.t, ks.zebra]"; got != want {
		t.Errorf("javaSet %s, want %s", got, want)
	}
	f := newFixture(t)
	f.ddl("CREATE KEYSPACE ks1 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	for _, tbl := range []string{"zebra", "apple", "t", "mango", "ks1.t"} {
		f.ddl("CREATE TABLE " + tbl + " (k int PRIMARY KEY, v int)")
	}
	var b strings.Builder
	b.WriteString("BEGIN UNLOGGED BATCH ")
	for i := 0; i < 11; i++ {
		for _, tbl := range []string{"zebra", "apple", "t", "mango", "ks1.t"} {
			b.WriteString("INSERT INTO " + tbl + " (k, v) VALUES (" + itoa(i) + ", 1) ")
		}
	}
	b.WriteString("APPLY BATCH")
	r := f.exec(b.String())
	want := "Unlogged batch covering 11 partitions detected against tables [ks.apple, ks1.t, ks.mango, ks.t, ks.zebra]. You should use a logged batch for atomicity, or asynchronous writes for performance."
	if len(r.Warnings) != 1 || r.Warnings[0] != want {
		t.Errorf("warnings %q\nwant %q", r.Warnings, want)
	}
}
