package cql_test

import (
	"testing"
	"time"

	"github.com/cassa-go/cassa/cql"
)

// SchemaChanges counts the session's own schema statements at once, and
// another client's from the cluster's schema events (gocql refreshes its
// metadata a second after the event).
func TestSchemaChanges(t *testing.T) {
	db, ks := openTest(t, cql.Config{}, "CREATE TABLE {ks}.t (k int PRIMARY KEY, v int)")
	ctx := testCtx(t)
	n := db.SchemaChanges()
	if err := db.Exec(ctx, "INSERT INTO t (k, v) VALUES (1, 1)"); err != nil {
		t.Fatal(err)
	}
	if got := db.SchemaChanges(); got != n {
		t.Fatalf("an INSERT counted as a schema change: %d, then %d", n, got)
	}
	if err := db.Exec(ctx, "ALTER TABLE t ADD w int"); err != nil {
		t.Fatal(err)
	}
	if got := db.SchemaChanges(); got <= n {
		t.Fatalf("the session's own ALTER TABLE was not counted: %d, then %d", n, got)
	}

	n = db.SchemaChanges()
	other := openAdmin(t, cql.Config{})
	if err := other.Exec(ctx, "ALTER TABLE "+ks+".t ADD x int"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for db.SchemaChanges() == n {
		if time.Now().After(deadline) {
			t.Fatal("another client's ALTER TABLE was never counted")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if (*cql.Session)(nil).SchemaChanges() != 0 {
		t.Fatal("a nil session counts changes")
	}
}
