package cassatest_test

import (
	"context"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/thrift/pool"
)

// TestUsers in your own package: a server and a keyspace in one line, a
// pool on top, and nothing to stop by hand.
func testUsers(t *testing.T) {
	srv := cassatest.Start(t, cassatest.WithKeyspace())

	ctx := context.Background()
	db, err := pool.Open(ctx, pool.Config{
		Servers:  []string{srv.Addr()},
		Keyspace: srv.Keyspace(),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)

	// Create column families (migrate) and exercise the code under test.
}

// testOrders in your own package, on plain gocql: an endpoint and a
// fresh keyspace in one line (the embedded server, or the cluster that
// CASSA_TEST_CQL_HOSTS names), the schema from a string or a .cql file,
// and a gocql session configured for it.
func testOrders(t *testing.T) {
	db := cassatest.CQL(t)
	db.Exec(t, `CREATE TABLE orders (id int PRIMARY KEY, item text, qty int);`)

	session, err := gocql.NewSession(*db.ClusterConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close()

	// Exercise the code under test with session.
	if err := session.Query(`INSERT INTO orders (id, item, qty) VALUES (?, ?, ?)`, 1, "book", 2).Exec(); err != nil {
		t.Fatal(err)
	}
}

// testOrdersGocqlV1 is the same for programs on github.com/gocql/gocql
// (v1): cassatest hands over hosts and keyspace, which v1's NewCluster
// takes as they are (v1 itself is not a dependency of cassa, so this
// example writes v1's calls as comments).
func testOrdersGocqlV1(t *testing.T) {
	db := cassatest.CQL(t)
	db.Exec(t, `CREATE TABLE orders (id int PRIMARY KEY, item text, qty int);`)
	hosts, keyspace := db.Hosts(), db.Keyspace()
	// cluster := gocql.NewCluster(hosts...)       // import "github.com/gocql/gocql"
	// cluster.Keyspace = keyspace
	// session, err := cluster.CreateSession()
	_, _ = hosts, keyspace
}

// Start takes the test's *testing.T (or *testing.B), so an example cannot
// run it; this file shows a test as it would sit in your package.
func Example() {
	_, _, _ = testUsers, testOrders, testOrdersGocqlV1
}
