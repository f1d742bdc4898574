// Package pool is cassa's connection pool for Cassandra's Thrift
// interface: framed connections to a set of servers with failover,
// retries, host health checks, token-aware routing, listeners and stats.
// The column-family API (package thrift/columnfamily) and the schema tools
// (package migrate) work through it; Pool.Do lends its connections to any
// other Thrift call.
//
// # The pool
//
// Open a Pool once per cluster and keyspace and share it between
// goroutines. Config's zero value works: five framed connections to
// localhost:9160, a 30 s wait for a free connection, a 10 s limit per RPC,
// five retries, connections recycled after 10000 RPCs.
//
//	p, err := pool.Open(ctx, pool.Config{
//		Keyspace: "Twissandra",
//		Servers:  []string{"10.0.0.4:9160", "10.0.0.5"},
//		PoolSize: 8,
//	})
//	defer p.Close(ctx)
//
// Pool.Do lends a connection to a function and takes it back:
//
//	err = p.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
//		col, err := c.Client().Get(ctx, key, path, thriftgen.ConsistencyLevel_ONE)
//		...
//	})
//
// # What is retried
//
// Do maps the function's error onto the errors of package cassa and of
// this package, naming the host and the Thrift method, and retries it, on a
// connection to another server when one is up, if it is a Cassandra
// timeout (*cassa.TimedOutError), an UnavailableException
// (*cassa.UnavailableError) or a transport failure (*TransportError:
// refused, reset, EOF, an RPC past Config.Timeout). It never retries
// invalid requests (*cassa.InvalidRequestError), cassa.ErrNotFound,
// *cassa.AuthenticationError or *cassa.AuthorizationError, and does not
// retry an operation marked NonIdempotent (a counter add) once it may have
// been applied. Pauses between attempts grow exponentially with jitter;
// the context's deadline bounds all attempts together. Exhausted retries
// give a *MaxRetriesError naming the last error from each server tried.
// Cassandra's "unconfigured table X" becomes a *cassa.UnknownTableError
// naming the connection's keyspace and X (wrapping the
// *cassa.InvalidRequestError), so a missing column family never passes for
// a missing row.
//
// # Connections and servers
//
// A checkout takes an idle connection before opening a new one, and checks
// first, with a non-blocking peek at the socket, that the server has not
// closed it while it sat idle (a restarted node leaves such sockets
// behind). A connection whose RPC failed at the transport level is
// closed, never reused. A server that cannot be reached is marked down,
// skipped, and probed in the background (describe_version, with backoff)
// until it answers; it is never forgotten, and is still tried as a last
// resort when no other server is up. With Config.Discover the pool learns
// the cluster's other nodes from describe_ring; with Config.TokenAware,
// operations given a RoutingKey go to a replica of the key.
//
// # Observing
//
// Listeners receive pycassa's pool events (connection created, checked
// out and in, disposed, recycled, failed; server list obtained; pool at
// max; pool disposed) plus server down and up. Pool.Stats returns
// pycassa's StatsLogger counters and the pool's state now. Config.Logger
// logs the same events through log/slog; nil is silent.
//
// # Options
//
// As everywhere in cassa, options are values of named interface types
// (DoOption) made by this package's functions; an option is passed as an
// argument, and leaving it out means the documented default.
package pool
