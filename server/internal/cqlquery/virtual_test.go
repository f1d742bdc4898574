package cqlquery

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cassa-go/cassa/server/internal/schema"
)

type fakeVirtual struct{}

func (fakeVirtual) Rows(t *schema.Table) ([]map[string][]byte, error) {
	switch t.Keyspace + "." + t.Name {
	case "system.local":
		return []map[string][]byte{{"key": []byte("local"), "cluster_name": []byte("Test Cluster"), "release_version": []byte("3.11.11")}}, nil
	case "system_schema.keyspaces":
		var out []map[string][]byte
		for _, ks := range []string{"system", "ks", "system_schema", "other"} {
			out = append(out, map[string][]byte{"keyspace_name": []byte(ks), "durable_writes": {1}})
		}
		return out, nil
	case "system_schema.tables":
		return []map[string][]byte{
			{"keyspace_name": []byte("ks"), "table_name": []byte("b")},
			{"keyspace_name": []byte("ks"), "table_name": []byte("a")},
			{"keyspace_name": []byte("other"), "table_name": []byte("x")},
		}, nil
	}
	return nil, nil
}

func TestVirtualTables(t *testing.T) {
	f := newFixture(t)
	f.env.Virtual = fakeVirtual{}
	f.expect("Test Cluster 3.11.11", "SELECT cluster_name, release_version FROM system.local WHERE key = 'local'")
	f.expect("local", "SELECT key FROM system.local")
	r := f.exec("SELECT * FROM system.local")
	if len(r.Columns) < 10 || r.Columns[0].Name != "key" || r.Columns[0].Keyspace != "system" || r.Columns[0].Table != "local" {
		t.Errorf("system.local columns %+v", r.Columns)
	}
	f.expect("a | b", "SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'ks'")
	f.expect("b", "SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'ks' AND table_name > 'a'")
	if got := f.all("SELECT keyspace_name FROM system_schema.keyspaces"); len(got) != 4 {
		t.Errorf("keyspaces %q", got)
	}
	got, _ := f.pages("SELECT keyspace_name FROM system_schema.keyspaces", 3)
	if want := f.all("SELECT keyspace_name FROM system_schema.keyspaces"); !sameRows(got, want) {
		t.Errorf("paged %q, want %q", got, want)
	}
	f.fail("Modification is not supported by table system.local", "INSERT INTO system.local (key) VALUES ('x')")
}

func TestReprepareAfterSchemaChange(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int PRIMARY KEY, v int)")
	f.exec("INSERT INTO t (k, v) VALUES (1, 1)")
	sel, err := f.prepare("SELECT * FROM t WHERE k = ?")
	if err != nil {
		t.Fatal(err)
	}
	f.ddl("ALTER TABLE t ADD w int")
	f.exec("INSERT INTO t (k, v, w) VALUES (1, 1, 2)")
	r, err := sel.Execute(ctxb(), f.env, Options{Consistency: clOne, Values: values(t, sel, []any{1})})
	if err != nil || rows(r) != "1 1 2" {
		t.Errorf("after ALTER: %q %v", rows(r), err)
	}
	f.ddl("DROP TABLE t")
	_, err = sel.Execute(ctxb(), f.env, Options{Consistency: clOne, Values: values(t, sel, []any{1})})
	checkErr(t, "dropped", err, CodeInvalid, "unconfigured table t")
	f.ddl("CREATE TABLE t (k int PRIMARY KEY, v int)")
	r, err = sel.Execute(ctxb(), f.env, Options{Consistency: clOne, Values: values(t, sel, []any{1})})
	if err != nil || rows(r) != "" {
		t.Errorf("re-created: %q %v", rows(r), err)
	}
}

func TestCompactTables(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE s (k int PRIMARY KEY, v text, w int) WITH COMPACT STORAGE")
	f.ddl("CREATE TABLE d (k int, c int, v text, PRIMARY KEY (k, c)) WITH COMPACT STORAGE")
	f.ddl("CREATE TABLE e (k int, a int, b text, PRIMARY KEY (k, a, b)) WITH COMPACT STORAGE")
	f.exec("INSERT INTO s (k, v, w) VALUES (1, 'a', 2)")
	f.exec("UPDATE s SET w = 3 WHERE k = 2")
	f.expect("1 a 2 | 2 null 3", "SELECT * FROM s")
	f.fail("Undefined column name column1", "SELECT column1 FROM s")
	f.exec("DELETE w FROM s WHERE k = 2")
	f.expect("1 a 2", "SELECT * FROM s")
	f.exec("INSERT INTO d (k, c, v) VALUES (1, 1, 'x')")
	f.exec("INSERT INTO d (k, c, v) VALUES (1, 2, 'y')")
	f.expect("1 1 x | 1 2 y", "SELECT * FROM d WHERE k = 1")
	f.exec("DELETE FROM d WHERE k = 1 AND c = 1")
	f.expect("1 2 y", "SELECT * FROM d WHERE k = 1")
	f.exec("INSERT INTO e (k, a, b) VALUES (1, 1, 'p')")
	f.exec("INSERT INTO e (k, a, b) VALUES (1, 1, 'q')")
	f.exec("INSERT INTO e (k, a, b) VALUES (1, 2, 'p')")
	f.expect("1 1 q | 1 2 p", "SELECT * FROM e WHERE k = 1 AND (a, b) > (1, 'p')")
	f.fail("Undefined column name value", "SELECT value FROM e")
}

// snapshotVirtual is fakeVirtual with snapshots: the rows of a key are
// built once, and a new key replaces them.
type snapshotVirtual struct {
	fakeVirtual
	key   *atomic.Int64
	built *atomic.Int64
	extra *atomic.Int64 // tables of ks beyond a and b, one more per key
}

func (v snapshotVirtual) Snapshot(t *schema.Table) (any, func() ([]map[string][]byte, error), bool) {
	if t.Keyspace != "system_schema" {
		return nil, nil, false
	}
	key, extra := v.key.Load(), v.extra.Load()
	return key, func() ([]map[string][]byte, error) {
		v.built.Add(1)
		rows, err := v.Rows(t)
		if t.Name == "tables" {
			for i := int64(0); i < extra; i++ {
				rows = append(rows, map[string][]byte{"keyspace_name": []byte("ks"), "table_name": []byte("z" + itoa(int(i)))})
			}
		}
		return rows, err
	}, true
}

func TestVirtualSnapshots(t *testing.T) {
	f := newFixture(t)
	v := snapshotVirtual{key: new(atomic.Int64), built: new(atomic.Int64), extra: new(atomic.Int64)}
	f.env.Virtual = v
	const q = "SELECT count(*) FROM system_schema.tables WHERE keyspace_name = 'ks'"
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if _, err := f.run(Options{}, q); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	f.expect("2", q)
	if n := v.built.Load(); n != 1 {
		t.Errorf("rows built %d times for one snapshot, want 1", n)
	}
	// A new key (a schema change) is seen by the next read.
	v.extra.Store(3)
	v.key.Store(1)
	f.expect("5", q)
	f.expect("5", q)
	if n := v.built.Load(); n != 2 {
		t.Errorf("rows built %d times for two snapshots, want 2", n)
	}
	// Tables without a snapshot (system.local) are read every time.
	f.expect("local", "SELECT key FROM system.local")
}
