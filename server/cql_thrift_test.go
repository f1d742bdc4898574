package server_test

import (
	"encoding/binary"
	"fmt"
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

// Super column families from CQL, as 3.11 shows them
// (SuperColumnCompatibility): a dense one is (key, column1, column2,
// value), one row per sub-column; one with column_metadata is (key,
// column1, <declared sub-columns>), one row per super column, whose other
// sub-columns stay in the hidden "" map. Both are written from CQL too.
func TestCQLSuperColumnFamilies(t *testing.T) {
	srv := startCQL(t, server.Config{})
	th := dial(t, srv.Addr())
	dense := cfDef("Sup", "Dense")
	dense.ColumnType = "Super"
	dense.ComparatorType, dense.SubcomparatorType, dense.KeyValidationClass, dense.DefaultValidationClass =
		"UTF8Type", strp("LongType"), strp("UTF8Type"), strp("UTF8Type")
	meta := cfDef("Sup", "Meta")
	meta.ColumnType = "Super"
	meta.ComparatorType, meta.SubcomparatorType, meta.KeyValidationClass, meta.DefaultValidationClass =
		"UTF8Type", strp("UTF8Type"), strp("UTF8Type"), strp("UTF8Type")
	meta.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("age"), ValidationClass: "Int32Type"}, {Name: []byte("city"), ValidationClass: "UTF8Type"}}
	ctr := cfDef("Sup", "Ctr")
	ctr.ColumnType = "Super"
	ctr.ComparatorType, ctr.SubcomparatorType, ctr.KeyValidationClass, ctr.DefaultValidationClass =
		"UTF8Type", strp("UTF8Type"), strp("UTF8Type"), strp("CounterColumnType")
	_, err := th.SystemAddKeyspace(ctx, ksDef("Sup", simple, rf1, dense, meta, ctr))
	must(t, err)
	must(t, th.SetKeyspace(ctx, "Sup"))
	be32 := func(n int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(n)) }
	s := connect(t, srv, "Sup")

	// Dense: one CQL row per sub-column.
	th.insert(t, "k", superParent("Dense", []byte("a")), bcol(longBytes(1), "a1", 10), bcol(longBytes(2), "a2", 10))
	th.insert(t, "k", superParent("Dense", []byte("b")), bcol(longBytes(1), "b1", 10))
	cols, _ := selectRows(t, s, `SELECT * FROM "Dense"`)
	if fmt.Sprint(cols) != "[key column1 column2 value]" {
		t.Errorf("dense columns %v", cols)
	}
	mustRows(t, s, [][]any{{"k", "a", int64(1), "a1"}, {"k", "a", int64(2), "a2"}, {"k", "b", int64(1), "b1"}}, `SELECT * FROM "Dense"`)
	mustRows(t, s, [][]any{{"a2"}}, `SELECT value FROM "Dense" WHERE key = 'k' AND column1 = 'a' AND column2 = 2`)
	mustExec(t, s, `INSERT INTO "Dense" (key, column1, column2, value) VALUES ('k', 'c', 3, 'c3') USING TIMESTAMP 20`)
	mustExec(t, s, `DELETE FROM "Dense" WHERE key = 'k' AND column1 = 'a' AND column2 = 1`)
	mustExec(t, s, `DELETE FROM "Dense" WHERE key = 'k' AND column1 = 'b'`)
	got := th.bigSlice(t, "k", parent("Dense"))
	if len(got) != 2 || string(got[0].SuperColumn.Name) != "a" || len(got[0].SuperColumn.Columns) != 1 ||
		string(got[1].SuperColumn.Name) != "c" || string(got[1].SuperColumn.Columns[0].Value) != "c3" ||
		*got[1].SuperColumn.Columns[0].Timestamp != 20 {
		t.Errorf("Thrift after CQL writes: %v", got)
	}

	// With column_metadata: one CQL row per super column.
	th.insert(t, "k", superParent("Meta", []byte("x")), bcol([]byte("age"), string(be32(30)), 10), col("other", "hidden", 10))
	th.insert(t, "k", superParent("Meta", []byte("y")), col("only", "dynamic", 10))
	cols, _ = selectRows(t, s, `SELECT * FROM "Meta"`)
	if fmt.Sprint(cols) != "[key column1 age city]" {
		t.Errorf("columns %v", cols)
	}
	mustRows(t, s, [][]any{{"k", "x", 30, ""}, {"k", "y", 0, ""}}, `SELECT * FROM "Meta"`)
	mustExec(t, s, `UPDATE "Meta" SET city = 'Oslo' WHERE key = 'k' AND column1 = 'x'`)
	mustExec(t, s, `INSERT INTO "Meta" (key, column1, age) VALUES ('k', 'z', 5)`)
	expectError(t, s, 0x2200, "Column  is mandatory for this COMPACT STORAGE table", `INSERT INTO "Meta" (key, column1) VALUES ('k', 'w')`)
	mustRows(t, s, [][]any{{"x", "Oslo"}, {"z", ""}}, `SELECT column1, city FROM "Meta" WHERE key = 'k' AND column1 IN ('x', 'z')`)
	sc, err := th.Get(ctx, []byte("k"), &tg.ColumnPath{ColumnFamily: "Meta", SuperColumn: []byte("x")}, ONE)
	must(t, err)
	var names []string
	for _, c := range sc.SuperColumn.Columns {
		names = append(names, string(c.Name))
	}
	if fmt.Sprint(names) != "[age city other]" {
		t.Errorf("Thrift super column x: %v", names)
	}
	mustExec(t, s, `DELETE FROM "Meta" WHERE key = 'k' AND column1 = 'x'`) // the whole super column
	if _, err := th.Get(ctx, []byte("k"), &tg.ColumnPath{ColumnFamily: "Meta", SuperColumn: []byte("x")}, ONE); err == nil {
		t.Error("super column x survived a CQL row deletion")
	}

	// Counters.
	mustExec(t, s, `UPDATE "Ctr" SET value = value + 5 WHERE key = 'k' AND column1 = 'a' AND column2 = 'n'`)
	must(t, th.Add(ctx, []byte("k"), superParent("Ctr", []byte("a")), counterColumn("n", 2), ONE))
	if v := counterValue(t, th, "k", &tg.ColumnPath{ColumnFamily: "Ctr", SuperColumn: []byte("a"), Column: []byte("n")}); v != 7 {
		t.Errorf("counter %d", v)
	}
	mustRows(t, s, [][]any{{int64(7)}}, `SELECT value FROM "Ctr" WHERE key = 'k' AND column1 = 'a' AND column2 = 'n'`)
}

// A CQL table (not COMPACT STORAGE) is hidden from Thrift's describe
// calls (CFMetaData.isThriftCompatible), but Thrift may still read and
// write it by name; its cell names must then decode as the table's cells
// (ThriftValidation.validateColumnNames through LegacyLayout
// .decodeCellName), with 3.11's messages, and what Thrift writes is what
// CQL reads.
func TestThriftOnCQLTable(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "mix")
	mustExec(t, s, "CREATE TABLE t (k text, c int, v text, l list<int>, m map<text, int>, PRIMARY KEY (k, c))")
	mustExec(t, s, "CREATE TABLE keys_only (k text, c int, PRIMARY KEY (k, c))")
	th := dial(t, srv.Addr())
	must(t, th.SetKeyspace(ctx, "mix"))
	ks, err := th.DescribeKeyspace(ctx, "mix")
	must(t, err)
	if len(ks.CfDefs) != 0 {
		t.Errorf("describe_keyspace lists CQL tables: %v", ks.CfDefs)
	}
	one := "\x00\x00\x00\x01"
	insert := func(cf string, name []byte, value string) error {
		return th.Insert(ctx, []byte("a"), parent(cf), &tg.Column{Name: name, Value: []byte(value), Timestamp: i64p(5)}, ONE)
	}
	for _, tc := range []struct {
		name []byte
		why  string
	}{
		{[]byte("v"), "Not enough bytes to read value size of component 0"},
		{compositeName(0, one), "Error validating cell name for CQL3 table t: No column name component found in cell name"},
		{compositeName(0, one, "zz"), "Error validating cell name for CQL3 table t: Unknown column zz in table mix.t"},
		{compositeName(0, one, "k"), "Error validating cell name for CQL3 table t: Cannot add primary key column to partition update"},
		{compositeName(0, one, "c"), "Error validating cell name for CQL3 table t: Cannot add primary key column to partition update"},
		{compositeName(0, one, "v", "x"), "Invalid collection component, v is not a collection"},
	} {
		mustIRE(t, insert("t", tc.name, "x"), tc.why)
	}
	// The same rules for names read by name.
	_, err = th.GetSlice(ctx, []byte("a"), parent("t"), byteNames(compositeName(0, one, "zz")), ONE)
	mustIRE(t, err, "Error validating cell name for CQL3 table t: Unknown column zz in table mix.t")

	// Good names are CQL's cells: a row marker, a column, a map entry.
	must(t, insert("t", compositeName(0, one, ""), ""))
	must(t, insert("t", compositeName(0, one, "v"), "from thrift"))
	must(t, insert("t", compositeName(0, one, "m", "q"), "\x00\x00\x00\x07"))
	must(t, insert("keys_only", compositeName(0, one), ""))
	mustRows(t, s, [][]any{{"a", 1, map[string]int{"q": 7}, "from thrift", int64(5)}}, "SELECT k, c, m, v, writetime(v) FROM t")
	mustRows(t, s, [][]any{{"a", 1}}, "SELECT * FROM keys_only")
	// Thrift reads back the row marker 3.11 encodes (encodeCellName).
	if got := columns(t, th.bigSlice(t, "a", parent("keys_only"))); len(got) != 1 || string(got[0].Name) != string(compositeName(0, one, "")) {
		t.Errorf("Thrift reads keys_only as %v", got)
	}
}
