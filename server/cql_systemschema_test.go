package server_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cassa-go/cassa/server"
)

// system_schema changes with every schema change and with nothing else:
// 3.11's SchemaKeyspace rows are written by the schema mutation itself, so
// a read after a change has returned sees it (on the node that made it),
// and concurrent readers see the tables of one schema version or a later
// one, never fewer than a change they saw complete. The server keeps the
// rows of the current catalog for reads between changes; this test reads
// them from many clients while tables are created, altered and dropped.
func TestCQLSystemSchemaFollowsChanges(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := connect(t, srv, "")
	mustExec(t, s, "CREATE KEYSPACE app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	countTables := func() (int, error) {
		iter := s.Query("SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'app'").Iter()
		n := iter.NumRows()
		return n, iter.Close()
	}
	const tables = 12
	var created atomic.Int64 // tables whose CREATE has returned
	var done atomic.Bool
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !done.Load() {
				before := created.Load()
				n, err := countTables()
				if err != nil {
					t.Error(err)
					return
				}
				if int64(n) < before || n > tables {
					t.Errorf("read %d tables after %d were created", n, before)
					return
				}
			}
		}()
	}
	for i := 0; i < tables; i++ {
		mustExec(t, s, fmt.Sprintf("CREATE TABLE app.t%d (k int PRIMARY KEY, v int)", i))
		created.Add(1)
		if n, err := countTables(); err != nil || n != i+1 {
			t.Fatalf("after CREATE TABLE t%d: %d tables, %v", i, n, err)
		}
		// An ALTER changes system_schema.columns, not the table count.
		mustExec(t, s, fmt.Sprintf("ALTER TABLE app.t%d ADD w text", i))
		var kind string
		if err := s.Query("SELECT kind FROM system_schema.columns WHERE keyspace_name = 'app' AND table_name = ? AND column_name = 'w'",
			fmt.Sprintf("t%d", i)).Scan(&kind); err != nil || kind != "regular" {
			t.Fatalf("after ALTER TABLE t%d ADD w: kind %q, %v", i, kind, err)
		}
	}
	done.Store(true)
	wg.Wait()
	mustExec(t, s, "DROP TABLE app.t0")
	if n, err := countTables(); err != nil || n != tables-1 {
		t.Fatalf("after DROP TABLE: %d tables, %v", n, err)
	}
	mustExec(t, s, "DROP KEYSPACE app")
	var n int
	if err := s.Query("SELECT count(*) FROM system_schema.keyspaces WHERE keyspace_name = 'app'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("after DROP KEYSPACE: %d, %v", n, err)
	}
}
