package server_test

import (
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/datastax/go-cassandra-native-protocol/message"

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

// ALTER TABLE ... DROP COMPACT STORAGE, the way out of Thrift before 4.0,
// as 3.11 has it (CFMetaData.asNonCompact): the same columns become a
// compound, sparse CQL table, and the data reads as that table. A static
// column family's declared columns become static columns and its dynamic
// columns rows of (column1, value); a dense table keeps its rows, and the
// hidden empty value column of one declared with key columns only shows
// (Cassandra's AlterTest.testDropCompactStorage). The table is then a CQL
// table for Thrift too.
func TestCQLDropCompactStorage(t *testing.T) {
	srv := startCQL(t, server.Config{})
	th := dial(t, srv.Addr())
	users := cfDef("Legacy", "Users")
	users.ComparatorType, users.KeyValidationClass, users.DefaultValidationClass = "UTF8Type", strp("UTF8Type"), strp("UTF8Type")
	users.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("age"), ValidationClass: "Int32Type"}, {Name: []byte("name"), ValidationClass: "UTF8Type"}}
	events := cfDef("Legacy", "Events")
	events.ComparatorType, events.KeyValidationClass, events.DefaultValidationClass = "LongType", strp("UTF8Type"), strp("UTF8Type")
	_, err := th.SystemAddKeyspace(ctx, ksDef("Legacy", simple, rf1, users, events))
	must(t, err)
	must(t, th.SetKeyspace(ctx, "Legacy"))
	be32 := func(n int) string { return string(binary.BigEndian.AppendUint32(nil, uint32(n))) }
	th.insert(t, "alice", parent("Users"), col("name", "Alice", 10), bcol([]byte("age"), be32(30), 10),
		col("nick", "al", 10), col("pet", "cat", 10))
	th.insert(t, "bob", parent("Users"), col("name", "Bob", 10))
	must(t, th.Insert(ctx, []byte("bob"), parent("Users"), ttlCol("tmp", "soon", 11, 500), ONE))
	must(t, th.Remove(ctx, []byte("alice"), colPath("Users", "pet"), 12, ONE))
	th.insert(t, "log", parent("Events"), bcol(longBytes(1), "one", 10), bcol(longBytes(2), "two", 10), bcol(longBytes(3), "three", 10))
	must(t, th.BatchMutate(ctx, mutationMap{"log": {"Events": {mutDel(i64p(12), nil, columnRangeBytes(longBytes(2), longBytes(2), false, 10))}}}, ONE))

	s := connect(t, srv, "Legacy")
	cols, _ := selectRows(t, s, `SELECT * FROM "Users"`)
	if fmt.Sprint(cols) != "[key age name]" {
		t.Fatalf("before: %v", cols)
	}
	mustExec(t, s, `ALTER TABLE "Users" DROP COMPACT STORAGE`)
	mustExec(t, s, `ALTER TABLE "Events" DROP COMPACT STORAGE`)
	cols, _ = selectRows(t, s, `SELECT * FROM "Users"`)
	if fmt.Sprint(cols) != "[key column1 age name value]" {
		t.Fatalf("after: %v", cols)
	}
	mustRows(t, s, [][]any{ // in token order
		{"bob", "tmp", 0, "Bob", "soon", int64(11)},
		{"alice", "nick", 30, "Alice", "al", int64(10)},
	}, `SELECT key, column1, age, name, value, writetime(value) FROM "Users"`)
	var ttl int // counts down on the wall clock: 499 after a second boundary
	if err := s.Query(`SELECT ttl(value) FROM "Users" WHERE key = 'bob' AND column1 = 'tmp'`).Scan(&ttl); err != nil || ttl < 499 || ttl > 500 {
		t.Errorf("ttl of the dynamic column: %d, %v", ttl, err)
	}
	mustRows(t, s, [][]any{{int64(1), "one"}, {int64(3), "three"}}, `SELECT column1, value FROM "Events" WHERE key = 'log'`)

	// Written from CQL as a CQL table: statics, rows, new columns.
	mustExec(t, s, `UPDATE "Users" SET age = 41 WHERE key = 'bob'`)
	mustExec(t, s, `INSERT INTO "Users" (key, column1, value) VALUES ('bob', 'hat', 'red')`)
	mustExec(t, s, `ALTER TABLE "Users" ADD tags set<text>`)
	mustExec(t, s, `UPDATE "Users" SET tags = {'x'} WHERE key = 'bob' AND column1 = 'hat'`)
	mustExec(t, s, `DELETE FROM "Users" WHERE key = 'alice' AND column1 = 'nick'`)
	mustRows(t, s, [][]any{
		{"bob", "hat", 41, "Bob", "red"},
		{"bob", "tmp", 41, "Bob", "soon"},
		{"alice", "", 30, "Alice", ""},
	}, `SELECT key, column1, age, name, value FROM "Users"`)
	mustExec(t, s, `INSERT INTO "Events" (key, column1, value) VALUES ('log', 2, 'two again')`)
	mustRows(t, s, [][]any{{int64(1), "one"}, {int64(2), "two again"}, {int64(3), "three"}}, `SELECT column1, value FROM "Events" WHERE key = 'log'`)

	// Thrift no longer lists them, and names their cells as a CQL table's.
	ks, err := th.DescribeKeyspace(ctx, "Legacy")
	must(t, err)
	if len(ks.CfDefs) != 0 {
		t.Errorf("describe_keyspace after DROP COMPACT STORAGE: %d tables", len(ks.CfDefs))
	}
	got := columns(t, th.bigSlice(t, "bob", parent("Users")))
	var names []string
	for _, c := range got {
		names = append(names, fmt.Sprintf("%x", c.Name))
	}
	if want := fmt.Sprintf("[%x %x %x %x %x %x]", // statics, then hat's row marker (INSERT), tags, value; tmp's value
		append([]byte{0xff, 0xff}, compositeName(0, "", "age")...), append([]byte{0xff, 0xff}, compositeName(0, "", "name")...),
		compositeName(0, "hat", ""), compositeName(0, "hat", "tags", "x"), compositeName(0, "hat", "value"),
		compositeName(0, "tmp", "value")); fmt.Sprint(names) != want {
		t.Errorf("Thrift names %v, want %s", names, want)
	}
	mustIRE(t, th.Insert(ctx, []byte("bob"), parent("Users"), col("plain", "x", 20), ONE), "Not enough bytes to read value of component 0")

	// Refusals.
	expectError(t, s, 0x2200, "Cannot DROP COMPACT STORAGE on table without COMPACT STORAGE", `ALTER TABLE "Users" DROP COMPACT STORAGE`)
}

// The CQL-created COMPACT STORAGE tables of Cassandra's
// AlterTest.testDropCompactStorage read as it asserts.
func TestCQLDropCompactStorageCQLTables(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "dcs")
	for _, tc := range []struct {
		ddl, insert string
		cols        string
		want        [][]any
	}{
		{"CREATE TABLE a (pk int, ck int, PRIMARY KEY (pk)) WITH COMPACT STORAGE", "INSERT INTO a (pk, ck) VALUES (1, 1)",
			"[pk column1 ck value]", [][]any{{1, "", 1, []byte(nil)}}},
		{"CREATE TABLE c (pk int, ck int, v int, PRIMARY KEY (pk, ck)) WITH COMPACT STORAGE", "INSERT INTO c (pk, ck, v) VALUES (1, 1, 1)",
			"[pk ck v]", [][]any{{1, 1, 1}}},
		{"CREATE TABLE d (pk int, c1 int, c2 text, v int, PRIMARY KEY (pk, c1, c2)) WITH COMPACT STORAGE AND CLUSTERING ORDER BY (c1 DESC, c2 ASC)",
			"INSERT INTO d (pk, c1, c2, v) VALUES (1, 2, 'x', 3)", "[pk c1 c2 v]", [][]any{{1, 2, "x", 3}}},
	} {
		table := tc.ddl[len("CREATE TABLE ") : len("CREATE TABLE ")+1]
		mustExec(t, s, tc.ddl)
		mustExec(t, s, tc.insert)
		mustExec(t, s, "ALTER TABLE "+table+" DROP COMPACT STORAGE")
		cols, rows := selectRows(t, s, "SELECT * FROM "+table)
		if fmt.Sprint(cols) != tc.cols || len(rows) != 1 {
			t.Errorf("%s: %v %v", table, cols, rows)
			continue
		}
		if tc.want != nil {
			mustRows(t, s, tc.want, "SELECT * FROM "+table)
		}
	}
	// A dense table declared with key columns only: its empty value
	// column shows, of type empty (a custom type drivers may not decode,
	// as with 3.11), its value empty.
	mustExec(t, s, "CREATE TABLE b (pk int, ck int, PRIMARY KEY (pk, ck)) WITH COMPACT STORAGE")
	mustExec(t, s, "INSERT INTO b (pk, ck) VALUES (1, 1)")
	mustExec(t, s, "ALTER TABLE b DROP COMPACT STORAGE")
	nc := dialNative(t, srv.CQLAddr(), nil)
	rows, ok := nc.query("SELECT * FROM dcs.b").(*message.RowsResult)
	if !ok || len(rows.Metadata.Columns) != 3 || rows.Metadata.Columns[2].Name != "value" || len(rows.Data) != 1 ||
		rows.Data[0][2] == nil || len(rows.Data[0][2]) != 0 {
		t.Errorf("b after DROP COMPACT STORAGE: %v", rows)
	}
	// A super column family is refused here.
	th := dial(t, srv.Addr())
	must(t, th.SetKeyspace(ctx, "dcs"))
	sup := cfDef("dcs", "Sup")
	sup.ColumnType = "Super"
	_, err := th.SystemAddColumnFamily(ctx, sup)
	must(t, err)
	expectError(t, s, 0x2200, "Cannot DROP COMPACT STORAGE on super column family Sup: not supported by this server", `ALTER TABLE "Sup" DROP COMPACT STORAGE`)
}
