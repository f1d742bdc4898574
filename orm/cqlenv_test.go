package orm_test

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
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/server"
)

// cqlTarget is where the CQL tests go: the hosts of CASSA_TEST_CQL_HOSTS,
// or an embedded server (srv), started for the test, with its clock (which
// cassatest.CQLHosts does not give).
type cqlTarget struct {
	hosts []string
	srv   *cassatest.Server
	clock *testClock
}

// cqlHosts is the one place that decides where CQL tests go, as
// cql/helper_test.go does for the cql package.
func cqlHosts(tb testing.TB) cqlTarget {
	tb.Helper()
	if hosts := cassatest.CQLHostsFromEnv(); hosts != nil {
		return cqlTarget{hosts: hosts}
	}
	clock := &testClock{}
	srv := cassatest.Start(tb, cassatest.WithConfig(server.Config{Clock: clock.Now}))
	return cqlTarget{hosts: []string{srv.CQLAddr()}, srv: srv, clock: clock}
}

// cqlEnv is a session on a fresh keyspace of the CQL target.
type cqlEnv struct {
	cqlTarget
	admin *cql.Session // without a keyspace, for schema statements
	db    *cql.Session
	ks    string
}

var nonWord = regexp.MustCompile(`[^a-z0-9_]+`)

// newCQLEnv opens a session on a new keyspace (dropped at cleanup) and
// creates the models' tables in it.
func newCQLEnv(tb testing.TB, models ...orm.ModelDef) *cqlEnv {
	tb.Helper()
	e := &cqlEnv{cqlTarget: cqlHosts(tb)}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	admin, err := cql.Open(ctx, cql.Config{Hosts: e.hosts})
	if err != nil {
		tb.Fatalf("open %v: %v", e.hosts, err)
	}
	tb.Cleanup(func() { _ = admin.Close(context.Background()) })
	e.admin = admin
	e.ks = e.newKeyspace(tb)
	e.create(tb, e.ks, models...)
	db, err := cql.Open(ctx, cql.Config{Hosts: e.hosts, Keyspace: e.ks})
	if err != nil {
		tb.Fatalf("open %v keyspace %s: %v", e.hosts, e.ks, err)
	}
	tb.Cleanup(func() { _ = db.Close(context.Background()) })
	e.db = db
	return e
}

// newKeyspace creates a keyspace named after the test, dropped at cleanup.
func (e *cqlEnv) newKeyspace(tb testing.TB) string {
	tb.Helper()
	var r [4]byte
	_, _ = rand.Read(r[:])
	name := nonWord.ReplaceAllString(strings.ToLower(tb.Name()), "_")
	if len(name) > 30 {
		name = name[:30]
	}
	ks := "o_" + name + "_" + hex.EncodeToString(r[:])
	e.exec(tb, "CREATE KEYSPACE "+ks+" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := e.admin.Exec(ctx, "DROP KEYSPACE IF EXISTS "+ks); err != nil {
			tb.Logf("drop keyspace %s: %v", ks, err)
		}
	})
	return ks
}

// create makes the models' types, tables and indexes in keyspace ks.
func (e *cqlEnv) create(tb testing.TB, ks string, models ...orm.ModelDef) {
	tb.Helper()
	for _, m := range models {
		if m.Err != nil {
			tb.Fatalf("model %s: %v", m.GoType, m.Err)
		}
		for _, s := range m.CQLSchema(ks) {
			e.exec(tb, s)
		}
	}
}

func (e *cqlEnv) exec(tb testing.TB, stmt string, args ...any) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := e.admin.Exec(ctx, stmt, args...); err != nil {
		tb.Fatalf("%s: %v", stmt, err)
	}
	if err := e.admin.AwaitSchemaAgreement(ctx); err != nil {
		tb.Fatalf("schema agreement: %v", err)
	}
}

// advance moves the embedded server's clock; tests that need it skip on
// a real cluster.
func (e *cqlEnv) advance(tb testing.TB, d time.Duration) {
	tb.Helper()
	if e.srv == nil {
		tb.Skipf("needs the embedded server's clock; %s points at a real cluster", cassatest.EnvCQLHosts)
	}
	e.clock.Advance(d)
}
