package server_test

import (
	"encoding/binary"
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// One store under both interfaces: COMPACT STORAGE tables are laid out as
// Thrift column families (CompactTables, LegacyLayout), so what CQL writes
// Thrift reads and the other way round. A static compact table's columns
// are the cells of a row; a dense one's clustering value is the cell name
// and its value column the cell value.
func TestCQLThriftCompactTables(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "mixed")
	mustExec(t, s, "CREATE TABLE users (k text PRIMARY KEY, name text, age int) WITH COMPACT STORAGE")
	mustExec(t, s, "CREATE TABLE events (k text, at int, what text, PRIMARY KEY (k, at)) WITH COMPACT STORAGE")
	th := dial(t, srv.Addr())
	must(t, th.SetKeyspace(ctx, "mixed"))
	be32 := func(n int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(n)) }

	// Static compact table: CQL writes, Thrift reads the named columns.
	if err := s.Query("INSERT INTO users (k, name, age) VALUES (?, ?, ?)", "alice", "Alice", 30).WithTimestamp(1000).Exec(); err != nil {
		t.Fatal(err)
	}
	got := columns(t, th.bigSlice(t, "alice", parent("users")))
	mustEqualColumns(t, got, []*tg.Column{
		{Name: []byte("age"), Value: be32(30), Timestamp: i64p(1000)},
		{Name: []byte("name"), Value: []byte("Alice"), Timestamp: i64p(1000)},
	})
	// Thrift writes, CQL reads.
	th.insert(t, "bob", parent("users"), col("name", "Bob", 2000), bcol([]byte("age"), string(be32(41)), 2000))
	mustRows(t, s, [][]any{{"bob", "Bob", 41, int64(2000)}}, "SELECT k, name, age, writetime(name) FROM users WHERE k = 'bob'")
	// A Thrift deletion is a CQL deletion.
	must(t, th.Remove(ctx, []byte("alice"), colPath("users", "age"), 3000, ONE))
	mustRows(t, s, [][]any{{"Alice", 0}}, "SELECT name, age FROM users WHERE k = 'alice'")
	mustExec(t, s, "DELETE FROM users WHERE k = 'bob'")
	if res := th.bigSlice(t, "bob", parent("users")); len(res) != 0 {
		t.Errorf("Thrift still sees a row CQL deleted: %v", res)
	}

	// Dense compact table: the clustering value names the cell.
	if err := s.Query("INSERT INTO events (k, at, what) VALUES (?, ?, ?)", "log", 2, "second").WithTimestamp(10).Exec(); err != nil {
		t.Fatal(err)
	}
	th.insert(t, "log", parent("events"), bcol(be32(1), "first", 10), bcol(be32(3), "third", 10))
	mustEqualColumns(t, columns(t, th.bigSlice(t, "log", parent("events"))), []*tg.Column{
		{Name: be32(1), Value: []byte("first"), Timestamp: i64p(10)},
		{Name: be32(2), Value: []byte("second"), Timestamp: i64p(10)},
		{Name: be32(3), Value: []byte("third"), Timestamp: i64p(10)},
	})
	mustRows(t, s, [][]any{{2, "second"}, {3, "third"}}, "SELECT at, what FROM events WHERE k = 'log' AND at >= 2")
	mustRows(t, s, [][]any{{3, "third"}, {2, "second"}, {1, "first"}}, "SELECT at, what FROM events WHERE k = 'log' ORDER BY at DESC")
}

// A column family made over Thrift is a COMPACT STORAGE table to CQL, with
// the columns 3.11 names for it (key, column1, value; CompactTables).
func TestCQLReadsThriftColumnFamily(t *testing.T) {
	srv := startCQL(t, server.Config{})
	th := dial(t, srv.Addr())
	cf := cfDef("Legacy", "Words")
	cf.ComparatorType, cf.KeyValidationClass, cf.DefaultValidationClass = "UTF8Type", strp("UTF8Type"), strp("UTF8Type")
	_, err := th.SystemAddKeyspace(ctx, ksDef("Legacy", simple, rf1, cf))
	must(t, err)
	must(t, th.SetKeyspace(ctx, "Legacy"))
	th.insert(t, "fr", parent("Words"), col("chat", "cat", 5), col("chien", "dog", 5))
	s := connect(t, srv, "Legacy") // gocql quotes it in its USE
	cols, rows := selectRows(t, s, `SELECT * FROM "Words"`)
	if len(cols) != 3 || cols[0] != "key" || cols[1] != "column1" || cols[2] != "value" {
		t.Errorf("columns %v", cols)
	}
	want := [][]any{{"fr", "chat", "cat"}, {"fr", "chien", "dog"}}
	if len(rows) != 2 || rows[0][0] != want[0][0] || rows[0][1] != want[0][1] || rows[1][2] != want[1][2] {
		t.Errorf("rows %v", rows)
	}
	mustExec(t, s, `INSERT INTO "Words" (key, column1, value) VALUES ('fr', 'oiseau', 'bird')`)
	res := th.bigSlice(t, "fr", parent("Words"))
	if names := colNames(t, res); len(names) != 3 || names[2] != "oiseau" {
		t.Errorf("Thrift after a CQL insert: %v", names)
	}
}
