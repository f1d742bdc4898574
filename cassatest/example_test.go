package cassatest_test

import (
	"context"
	"testing"

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

// Start takes the test's *testing.T (or *testing.B), so an example cannot
// run it; this file shows a test as it would sit in your package.
func Example() {}
