package cassatest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
)

// TestOrdersWithGocql is a test exactly as a user of plain gocql writes
// it: cassatest gives the endpoint, the keyspace and the cleanup; the
// code under test only ever sees a *gocql.Session.
func TestOrdersWithGocql(t *testing.T) {
	t.Parallel()
	db := cassatest.CQL(t)
	db.Exec(t, `
		CREATE TABLE orders (customer text, id timeuuid, item text, qty int, PRIMARY KEY (customer, id))
			WITH CLUSTERING ORDER BY (id DESC);
		CREATE INDEX ON orders (item);`)

	session, err := gocql.NewSession(*db.ClusterConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close()

	ctx := context.Background()
	for i, item := range []string{"book", "pen", "book"} {
		err := session.Query(`INSERT INTO orders (customer, id, item, qty) VALUES (?, now(), ?, ?)`, "ann", item, i+1).
			WithContext(ctx).Exec()
		if err != nil {
			t.Fatal(err)
		}
	}
	var qtys []int
	it := session.Query(`SELECT qty FROM orders WHERE customer = ?`, "ann").WithContext(ctx).Iter()
	var q int
	for it.Scan(&q) {
		qtys = append(qtys, q)
	}
	if err := it.Close(); err != nil {
		t.Fatal(err)
	}
	if len(qtys) != 3 || qtys[0] != 3 || qtys[2] != 1 {
		t.Errorf("newest first: got %v, want [3 2 1]", qtys)
	}
	var n int
	if err := session.Query(`SELECT count(*) FROM orders WHERE item = 'book'`).WithContext(ctx).Scan(&n); err != nil || n != 2 {
		t.Errorf("index query: %d, %v", n, err)
	}
}

// Each test has its own keyspace: tables of the same name do not meet.
func TestCQLKeyspacesAreFresh(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"a", "b"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db := cassatest.CQL(t)
			if !strings.HasPrefix(db.Keyspace(), "cassatest_") || db.Keyspace() != strings.ToLower(db.Keyspace()) {
				t.Errorf("keyspace %q", db.Keyspace())
			}
			db.Exec(t, "CREATE TABLE kv (k text PRIMARY KEY, v text); INSERT INTO kv (k, v) VALUES ('who', '"+name+"')")
			var v string
			if err := db.Session(t).Query("SELECT v FROM kv WHERE k = 'who'").Scan(&v); err != nil || v != name {
				t.Errorf("got %q, %v", v, err)
			}
		})
	}
}

func TestCQLExecFileAndEmbedded(t *testing.T) {
	t.Parallel()
	db := cassatest.CQL(t)
	path := filepath.Join(t.TempDir(), "schema.cql")
	script := "-- schema; with a comment\nCREATE TYPE addr (street text);\nCREATE TABLE p (id int PRIMARY KEY, a frozen<addr>, note text);\n" +
		"INSERT INTO p (id, note) VALUES (1, 'semi;colon');\n"
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	db.ExecFile(t, path)
	var note string
	if err := db.Session(t).Query("SELECT note FROM p WHERE id = 1").Scan(&note); err != nil || note != "semi;colon" {
		t.Errorf("got %q, %v", note, err)
	}
	if os.Getenv(cassatest.EnvCQLHosts) == "" {
		if db.Embedded() == nil || len(db.Hosts()) != 1 || db.Hosts()[0] != db.Embedded().CQLAddr() {
			t.Errorf("embedded server %v, hosts %v", db.Embedded(), db.Hosts())
		}
		db.RequireEmbedded(t)
	}
}

// BenchmarkCQLStartup measures what a test pays for its own Cassandra:
// from server.Start to the first answered gocql query (a new in-memory
// server, a gocql session on it, one SELECT), then closing both.
//
//	go test -run '^$' -bench CQLStartup -benchtime 50x ./cassatest/
func BenchmarkCQLStartup(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		srv, err := server.Start(ctx, server.Config{Addr: "127.0.0.1:0", CQLAddr: "127.0.0.1:0"})
		if err != nil {
			b.Fatal(err)
		}
		cc := gocql.NewCluster(srv.CQLAddr())
		cc.DisableInitialHostLookup = true
		cc.NumConns = 1
		s, err := gocql.NewSession(*cc)
		if err != nil {
			b.Fatal(err)
		}
		var v string
		if err := s.Query("SELECT release_version FROM system.local").Scan(&v); err != nil {
			b.Fatal(err)
		}
		s.Close()
		if err := srv.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
