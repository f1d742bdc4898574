package cql_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/cql"
)

// testHosts returns the CQL hosts the integration tests talk to: those of
// CASSA_TEST_CQL_HOSTS when it is set (a real node, as `make test-refnode`
// runs them), otherwise the embedded server's CQL endpoint, one server per
// test shared by every session the test opens (cassatest.CQLHosts).
func testHosts(tb testing.TB) []string {
	tb.Helper()
	return cassatest.CQLHosts(tb)
}

// testCtx bounds one test's calls.
func testCtx(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	tb.Cleanup(cancel)
	return ctx
}

// openAdmin opens a session without a keyspace on the test hosts.
func openAdmin(tb testing.TB, cfg cql.Config) *cql.Session {
	tb.Helper()
	cfg.Hosts = testHosts(tb)
	db, err := cql.Open(testCtx(tb), cfg)
	if err != nil {
		tb.Fatalf("open %v: %v", cfg.Hosts, err)
	}
	tb.Cleanup(func() { _ = db.Close(context.Background()) })
	return db
}

var nonWord = regexp.MustCompile(`[^a-z0-9_]+`)

// newKeyspace creates a fresh keyspace for the test (dropped at cleanup)
// and returns its name.
func newKeyspace(tb testing.TB, admin *cql.Session) string {
	tb.Helper()
	var r [4]byte
	_, _ = rand.Read(r[:])
	name := nonWord.ReplaceAllString(strings.ToLower(tb.Name()), "_")
	if len(name) > 30 {
		name = name[:30]
	}
	ks := "t_" + name + "_" + hex.EncodeToString(r[:])
	ctx := testCtx(tb)
	if err := admin.Exec(ctx, "CREATE KEYSPACE "+ks+" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"); err != nil {
		tb.Fatalf("create keyspace %s: %v", ks, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := admin.Exec(ctx, "DROP KEYSPACE IF EXISTS "+ks); err != nil {
			tb.Logf("drop keyspace %s: %v", ks, err)
		}
	})
	return ks
}

// openTest opens a session on a fresh keyspace, with cfg's other
// settings, and runs the schema statements in it.
func openTest(tb testing.TB, cfg cql.Config, schema ...string) (*cql.Session, string) {
	tb.Helper()
	admin := openAdmin(tb, cql.Config{})
	ks := newKeyspace(tb, admin)
	ctx := testCtx(tb)
	for _, s := range schema {
		if err := admin.Exec(ctx, strings.ReplaceAll(s, "{ks}", ks)); err != nil {
			tb.Fatalf("%s: %v", s, err)
		}
	}
	cfg.Hosts = testHosts(tb)
	cfg.Keyspace = ks
	db, err := cql.Open(ctx, cfg)
	if err != nil {
		tb.Fatalf("open %v keyspace %s: %v", cfg.Hosts, ks, err)
	}
	tb.Cleanup(func() { _ = db.Close(context.Background()) })
	return db, ks
}
