// Package server is an embedded, single-node, Cassandra-compatible Thrift
// server: it speaks Cassandra's Thrift RPC (framed transport, strict binary
// protocol, IDL version 20.1.0) with Cassandra 2.2 semantics, so that
// programs and tests run against it exactly as against a real node on
// port 9160.
//
// Start one with a zero Config (loopback, an ephemeral port, Murmur3
// partitioner, cluster "Test Cluster") and point any Thrift client at
// Addr. Several servers can run in one process; each has its own schema
// and data, held in memory.
//
//	srv, err := server.Start(ctx, server.Config{})
//	if err != nil { ... }
//	defer srv.Close()
//	fmt.Println("Cassandra Thrift on", srv.Addr())
//
// # What it implements
//
// Every method of the Cassandra service: login and set_keyspace; get,
// get_slice, get_count, multiget_slice, multiget_count, get_range_slices,
// get_paged_slice, get_indexed_slices and get_multi_slice; insert, add,
// remove, remove_counter, batch_mutate, atomic_batch_mutate, truncate and
// cas; describe_*; system_* schema changes; trace_next_query. The CQL
// methods answer InvalidRequestException, as Cassandra 2.2 does for CQL2.
// Standard, super and counter column families, TTLs, tombstones, KEYS
// secondary indexes and the four partitioners behave as in Cassandra 2.2
// (CassandraServer, ThriftValidation and the storage engine), with
// Cassandra's validation messages and check order.
//
// The wire rules are libthrift's: a frame larger than Config.MaxFrameSize
// (or negative), or a message without the strict version header, closes
// that connection without a reply; an unknown method is answered with
// TApplicationException UNKNOWN_METHOD and a missing required argument
// with PROTOCOL_ERROR, and the connection stays open; declared exceptions
// travel in normal replies; any other failure, even a panic, becomes
// INTERNAL_ERROR for that call only. Each connection is served by one
// goroutine, so pipelined requests are answered in order, and carries its
// own session (keyspace, login).
//
// # Structure
//
// Requests are decoded with the generated thriftgen argument structs
// (with Java's defaults for absent consistency levels), validated by
// internal/validate, and served from internal/schema (the catalog) and
// internal/store (ordered in-memory rows). Every write, truncate and schema
// change goes through one small internal interface (writer), which a
// commit log can wrap. Schema changes hold off requests while the catalog
// and the storage change together.
//
// Authentication is pluggable through Config.Authenticator; the default
// is Cassandra's AllowAllAuthenticator. LoadUsersFile and PasswordUsers give
// Cassandra's PasswordAuthenticator over bcrypt hashes: every data and
// schema call is then refused with "You have not logged in" until login.
//
// # Durability, TLS, limits and faults
//
// With Config.DataDir the server keeps a commit log there: every write and
// schema change is recorded (checksummed, in size-bounded segments) before
// it is applied, and fsynced before it is acknowledged with
// CommitLogSync "batch" (concurrent writers share one fsync) or every
// CommitLogSyncPeriod with "periodic". Start replays the newest snapshot
// and the log after it; a torn record at the end is logged and skipped,
// damage anywhere else fails Start with a *CorruptionError naming the file
// and offset. A snapshot is taken when SnapshotThreshold bytes of log have
// accumulated, on Server.Snapshot and at Close; segments are removed only
// once a snapshot covering them is durable.
//
// Config.TLS (see LoadTLSConfig) serves over TLS, optionally requiring
// client certificates. MaxConnections, IdleTimeout and MaxFrameSize each
// close only the offending connection. Server.Faults injects delays,
// TimedOutException, UnavailableException or dropped connections per
// method while the server runs, for failover tests.
package server
