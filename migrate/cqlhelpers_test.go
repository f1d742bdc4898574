package migrate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/server"
)

// cqlHosts is the one place that decides where the CQL suites run: the
// hosts of CASSA_TEST_CQL_HOSTS when it is set (the server is then nil),
// else a fresh embedded server's CQL endpoint.
func cqlHosts(t testing.TB, opts ...cassatest.Option) ([]string, *server.Server) {
	t.Helper()
	if hosts := cassatest.CQLHostsFromEnv(); hosts != nil {
		return hosts, nil
	}
	srv := cassatest.Start(t, opts...)
	return []string{srv.CQLAddr()}, srv.Embedded()
}

// openCQL opens a session without a keyspace on hosts.
func openCQL(t testing.TB, hosts []string) *cql.Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := cql.Open(ctx, cql.Config{Hosts: hosts})
	if err != nil {
		t.Fatalf("open %v: %v", hosts, err)
	}
	t.Cleanup(func() { _ = db.Close(context.Background()) })
	return db
}

// cqlSetup starts (or names) a CQL server, opens a session and returns a
// fresh keyspace name, dropped at cleanup; the keyspace is not created.
func cqlSetup(t testing.TB) (context.Context, *cql.Session, string) {
	t.Helper()
	hosts, _ := cqlHosts(t)
	db := openCQL(t, hosts)
	return testCtx(t), db, freshKeyspace(t, db)
}

// freshKeyspace returns an unused keyspace name for the test, dropped at
// cleanup when it exists.
func freshKeyspace(t testing.TB, db *cql.Session) string {
	t.Helper()
	var r [4]byte
	_, _ = rand.Read(r[:])
	ks := "mig_" + hex.EncodeToString(r[:])
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := db.Exec(ctx, "DROP KEYSPACE IF EXISTS "+ks); err != nil {
			t.Logf("drop keyspace %s: %v", ks, err)
		}
	})
	return ks
}

// execAll runs statements, failing the test on an error.
func execAll(t testing.TB, db *cql.Session, stmts ...string) {
	t.Helper()
	ctx := testCtx(t)
	for _, s := range stmts {
		if err := db.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// planCQL plans spec and fails the test on an error.
func planCQL(t testing.TB, db *cql.Session, spec *KeyspaceSpec) *Plan {
	t.Helper()
	p, err := PlanCQL(testCtx(t), db, spec)
	if err != nil {
		t.Fatalf("PlanCQL: %v", err)
	}
	return p
}

// mustBeEmpty plans spec again and fails unless nothing is planned.
func mustBeEmpty(t testing.TB, db *cql.Session, spec *KeyspaceSpec) {
	t.Helper()
	if p := planCQL(t, db, spec); !p.Empty() {
		t.Fatalf("planning again is not empty:\n%s", p)
	}
}
