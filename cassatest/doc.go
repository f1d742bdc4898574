// Package cassatest gives a test its own Cassandra: one call starts the
// embedded Cassandra-compatible server in-process on free 127.0.0.1 ports
// (Thrift at Addr, CQL at CQLAddr), optionally with a fresh keyspace, and
// t.Cleanup stops it.
//
//	func TestUsers(t *testing.T) {
//		srv := cassatest.Start(t, cassatest.WithKeyspace())
//		db, err := pool.Open(ctx, pool.Config{
//			Servers:  []string{srv.Addr()},
//			Keyspace: srv.Keyspace(),
//		})
//		...
//	}
//
// Each Start is a separate, empty, in-memory server, so tests may run in
// parallel. NewKeyspace makes more keyspaces on the same server. Options
// choose the partitioner (WithPartitioner), pass any server.Config
// (WithConfig), and give the login cassatest uses for its own schema calls
// when the server requires authentication (WithCredentials).
// Clock is a server clock the test moves by hand (server.Config.Clock), to
// expire TTLs without sleeping.
//
// With FromEnv, the same test runs against a real cluster whenever the
// CASSA_TEST_SERVERS environment variable lists its nodes (host:port,
// comma-separated); keyspaces are then dropped at cleanup, and
// RequireEmbedded skips what only the embedded server can do.
//
// # CQL for any gocql program
//
// CQL gives a test a CQL endpoint and a fresh keyspace, for code that
// uses gocql (github.com/apache/cassandra-gocql-driver/v2) directly and
// knows nothing of cassa:
//
//	func TestOrders(t *testing.T) {
//		db := cassatest.CQL(t)
//		db.Exec(t, "CREATE TABLE orders (id int PRIMARY KEY, item text)")
//		session, err := gocql.NewSession(*db.ClusterConfig())
//		if err != nil {
//			t.Fatal(err)
//		}
//		defer session.Close()
//		// ... the code under test, on session
//	}
//
// The embedded server starts in-process in milliseconds; when
// CASSA_TEST_CQL_HOSTS names real nodes (host:port, comma-separated), the
// same test runs there instead, in a keyspace dropped at cleanup. Programs
// on the older github.com/gocql/gocql (v1) use Hosts and Keyspace with
// their own gocql.NewCluster: cassa does not depend on v1.
//
// CQL suites take their hosts from CQLHosts: the native-protocol addresses
// CASSA_TEST_CQL_HOSTS lists (a real node or cluster, such as the
// Cassandra 5.0 node of `scripts/refnode.sh start`, whose `env` command
// prints the variable), or else an embedded server started for the test.
// The same suite so runs in `go test ./...` with no setup and, unchanged,
// against the real thing in `make test-refnode`:
//
//	db, err := cql.Open(ctx, cql.Config{Hosts: cassatest.CQLHosts(t)})
//
// # Options
//
// As everywhere in cassa, options are values of named interface types
// (Option) made by this package's functions; an option is passed as an
// argument, and leaving it out means the documented default.
package cassatest
