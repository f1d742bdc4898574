// Package server is an embedded, single-node, Cassandra-compatible
// server. It answers as a Cassandra 3.11 node: Cassandra's Thrift RPC
// (framed transport, strict binary protocol, IDL version 20.1.0) and CQL
// over the native protocol (v4, and v3), on one schema and one store, so
// that programs and tests run against it exactly as against a real node
// on ports 9160 and 9042.
//
// Start one with a zero Config (loopback, ephemeral ports for both
// protocols, Murmur3 partitioner, cluster "Test Cluster", the REJECT
// expiration-date overflow policy) and point any
// Thrift client at Addr and any CQL driver (gocql, the DataStax drivers)
// at CQLAddr. Several servers can run in one process; each has its own
// schema and data, held in memory.
//
//	srv, err := server.Start(ctx, server.Config{})
//	if err != nil { ... }
//	defer srv.Close()
//	fmt.Println("Cassandra Thrift on", srv.Addr(), "and CQL on", srv.CQLAddr())
//
// # What it implements
//
// Every method of the Cassandra service: login and set_keyspace; get,
// get_slice, get_count, multiget_slice, multiget_count, get_range_slices,
// get_paged_slice, get_indexed_slices and get_multi_slice; insert, add,
// remove, remove_counter, batch_mutate, atomic_batch_mutate, truncate and
// cas; describe_*; system_* schema changes; trace_next_query. Standard,
// super and counter column families, TTLs, tombstones, KEYS secondary
// indexes and the four partitioners behave as in Cassandra 3.11
// (CassandraServer, ThriftValidation, ThriftConversion and the storage
// engine), with its validation messages and check order. Where 3.11
// differs from 2.2 it is 3.11 that is followed: describe_keyspaces lists
// system_schema and the compact built-in tables of system, and leaves out
// CQL tables (a Thrift definition with a CompositeType comparator and
// column_metadata is one); describe_keyspace's CfDef is ThriftConversion's
// (compaction options carry the thresholds, compression its chunk length);
// an explicit TTL of 0 means no TTL, a negative one is refused ("ttl must
// be greater or equal to 0"), and the column family's default TTL applies
// to insert only, not to batch_mutate or cas, whose update TTLs count;
// counter deletions are stamped in microseconds, and row, range and super
// column deletions compare timestamps with counters (only a cell tombstone
// always wins); a reversed slice of whole super columns reverses their
// sub-columns; get_paged_slice counts rows; EACH_QUORUM reads are allowed;
// truncate refuses counter tables and batch_mutate refuses range deletions
// inside a super column; system and system_schema refuse every schema
// change, and system_auth, system_distributed and system_traces refuse to
// lose or alter their tables. The CQL2 methods answer "CQL2 has been
// removed in Cassandra 3.0".
//
// A TTL that takes a cell's expiration past 2038-01-19T03:14:06Z (a 32-bit
// count of seconds) follows Config.ExpirationDateOverflowPolicy, Cassandra's
// cassandra.expiration_date_overflow_policy: REJECT (the default) refuses
// the write with 3.11's message, CAP and CAP_NOWARN store it with the
// expiration capped there and log a warning at most every five minutes.
// Without Config.Tokens a ByteOrderedPartitioner node draws a random
// 16-byte token, as 3.11's bootstrap does, and keeps it in DataDir; the
// other partitioners get a fixed token.
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
// # CQL
//
// Config.CQLAddr (default 127.0.0.1 with a free port; `cassa server`
// defaults to 127.0.0.1:9042) serves the native protocol; Config.DisableCQL
// turns it off. Drivers connect with their default settings: the version
// negotiation, STARTUP with lz4 or snappy, SASL PLAIN when an
// Authenticator requires a login, REGISTER and SCHEMA_CHANGE events, and
// requests multiplexed on a connection and answered out of order, are
// internal/native's; statements are run by internal/cqlexec. system.local
// reports cluster_name, data_center "datacenter1", rack "rack1",
// release_version "3.11.17", cql_version "3.4.4", native_protocol_version
// "4", thrift_version "20.1.0", the partitioner, this node's tokens, a
// host_id chosen at start, the address CQL listens on (127.0.0.1 when it
// listens on all addresses) and the catalog's schema_version, which every
// schema change changes; system.peers is empty; system_schema shows every
// keyspace, the system ones included; peers_v2 and system_virtual_schema
// do not exist, as in 3.11. Schema statements (keyspaces, tables,
// indexes, types) and TRUNCATE go through the same write path as Thrift's
// (the commit log when durable) and raise the SCHEMA_CHANGE events 3.11
// raises; Thrift column families appear in CQL as 3.11 shows them.
// TLS (with client certificates when required), MaxConnections (counted
// per protocol), IdleTimeout and the Authenticator apply to both
// protocols; with a password authenticator a native connection must log in
// over SASL PLAIN after STARTUP, and until it does every other message is
// refused as 3.11's ServerConnection refuses it ("Unexpected message
// QUERY, expecting SASL_RESPONSE", a protocol error), a wrong password
// being an authentication error ("Provided username ... and/or password
// are incorrect").
//
// Data statements run as 3.11 runs them: SELECT with *, columns, AS,
// DISTINCT, COUNT and the native aggregates and functions, writetime(),
// ttl(), token(), WHERE with =, IN, slices, multi-column relations, token
// ranges, CONTAINS, secondary indexes and ALLOW FILTERING under 3.11's
// restriction rules, ORDER BY, LIMIT and PER PARTITION LIMIT; INSERT,
// UPDATE and DELETE with USING TTL and TIMESTAMP, row markers, null and
// unset values, row, range and partition deletions, statics, counters and
// collections; logged, unlogged and counter batches with 3.11's checks and
// warnings. Results page as 3.11 pages them: the paging state (3.11's v4
// format) resumes on any connection, after deletes and with LIMIT, and a
// request holds at most one page; a query of one partition writes no
// partition key into its state and resumes by the row mark alone
// (SinglePartitionPager), so its state resumes the same statement for
// another partition. Prepared statements are cached under
// 3.11's IDs and evicted when a change of their table affects them (the
// driver then gets Unprepared and prepares again). CQL tables live in the
// same store as Thrift column families, laid out as Cassandra lays them
// out, so COMPACT STORAGE tables and Thrift column families are read and
// written from either side, as 3.11 shows them (CompactTables,
// SuperColumnCompatibility): a static column family as its key and
// declared columns, with names in its comparator's text (a LongType name
// 5 is the column "5"); a dynamic one as key, column1 (one per component
// of a CompositeType comparator) and value; a super column family without
// column_metadata as key, column1, column2, value, one row per
// sub-column, and one with column_metadata as key, column1 and the
// declared sub-columns, one row per super column. Thrift reads and writes
// non-COMPACT CQL tables by name though describe leaves them out, and its
// names are checked as 3.11 checks them (ThriftValidation through
// LegacyLayout.decodeCellName: "Error validating cell name for CQL3 table
// ...: Unknown column ...", "... Cannot add primary key column to
// partition update", "Invalid collection component, ...") and kept as
// 3.11's decoding and encoding leave them. ALTER TABLE ... DROP COMPACT
// STORAGE makes a COMPACT STORAGE table or Thrift column family the CQL
// table of the same columns (CFMetaData.asNonCompact) and its data reads as
// that table: the declared columns of a static column family become static
// columns and its other columns rows of column1 and value; a dense table
// keeps its rows, and the empty value column of one declared with key
// columns only shows; Thrift then sees a CQL table.
//
// Lightweight transactions (INSERT ... IF NOT EXISTS, UPDATE and DELETE
// with IF EXISTS or conditions, conditional batches on one partition)
// answer 3.11's [applied] result sets and honour SERIAL and LOCAL_SERIAL.
// On one node Paxos is a lock: each transaction reads, checks and writes
// its partition under the partition's lock, through the write path (so
// the commit log records it before it applies), and Thrift's cas takes
// the same lock, so CQL and Thrift transactions on a partition serialise
// and every history is linearizable. The write carries the ballot's
// timestamp, a server timestamp above every earlier one the node handed
// out; deletions get the ballot minus one, as 3.11's
// PartitionUpdate.updateAllTimestamp does. Secondary indexes are kept as
// 3.11 keeps its index tables, for every target kind (regular, static,
// clustering and partition key component columns, keys(), values(),
// entries() of collections, full() of frozen ones), updated by every
// write of either protocol, rebuilt when created on existing data; index
// queries read them. Batches follow 3.11's rules, size thresholds (5 KiB
// warning, 50 KiB refusal) and unlogged and gc_grace_seconds warnings.
//
// # Deviations from 3.11 on the CQL side
//
// Each on purpose, with its reason:
//
//   - Protocol v5: a client offering v5 (or v5-beta with USE_BETA) is told
//     v5 is unsupported, as drivers expect, and falls back to v4; 3.11
//     speaks its unstable v5 beta to USE_BETA clients. After a version
//     error the connection is closed; 3.11 leaves it open although it can
//     never read another frame from it (internal/native).
//   - Tracing: a request with the TRACING flag runs untraced and gets no
//     trace session ID, and TRACE_COMPLETE is never sent: there is no
//     system_traces to read them from (internal/native).
//   - A BATCH body that 3.11 would read but the frame library cannot (named
//     values in a BATCH) is a ServerError naming the cause; 3.11 has no
//     such case (internal/native).
//   - The parser stops at the first error (3.11 collects them and throws
//     the first: same answer); the end of an error's snippet can differ by
//     a token where 3.11's generated DFAs look further ahead; input nesting
//     deeper than 500 levels is a syntax error instead of a stack overflow,
//     and input over 2 GiB is refused, so that no peer can exhaust the
//     server (internal/cqlparse).
//   - Secondary indexes: among several usable indexes the one with the
//     fewest entries under the searched value serves a query (3.11
//     estimates from SSTable statistics; answers are the same); an index
//     entry whose cell expired stays until its row is written again
//     (queries never show it); CUSTOM (SASI) indexes are not kept, so
//     their queries scan (internal/store, internal/cqlquery).
//   - Lightweight transactions: the ballot is a microsecond server
//     timestamp (3.11: milliseconds times 1000); a transaction never
//     contends or times out, being a lock on one node; the commit
//     consistency is checked before the write, as Unavailable (3.11
//     commits on the replicas it has and then times out waiting for the
//     others, with a WriteTimeout after write_request_timeout, a wait no
//     test should pay); conditions on an element of
//     a null frozen collection or on a field of a non-UDT column answer
//     where 3.11 fails with a Java exception (internal/cqlquery).
//   - Tombstone thresholds: a read never warns "Read N live rows and M
//     tombstone cells ..." nor fails with TombstoneOverwhelmingException
//     (3.11's tombstone_warn_threshold 1000 and
//     tombstone_failure_threshold 100000): 3.11 counts the tombstones its
//     SSTable iterators pass and names the query in its internal CQL form,
//     neither of which this store has; the thresholds exist to prompt
//     compaction and data model changes on a long-lived cluster
//     (internal/cqlquery).
//   - cassandra.yaml's thresholds are its defaults and not configurable:
//     batch_size_warn_threshold_in_kb 5, batch_size_fail_threshold_in_kb
//     50, unlogged_batch_across_partitions_warn_threshold 10; there is no
//     per-address connection limit
//     (native_transport_max_concurrent_connections_per_ip)
//     (internal/cqlquery, server).
//   - Timestamp literals without a zone are read in UTC (3.11 uses the
//     JVM's zone, which a server embedded in tests should not depend on);
//     zone names other than UTC and GMT are unknown; an inet literal must
//     be an address, not a host name to resolve (internal/cqlquery).
//   - A non-frozen user type is kept as one cell per field, named by the
//     field's position (3.11's cell path), since 2.x cells have no form of
//     their own for it; set elements and map keys are limited to 65535
//     bytes, the most a 2.x cell name component holds (internal/layout).
//   - JSON syntax errors name what Jackson would, not its positions;
//     count(), min() and max() accept arguments of any type
//     (internal/cqlquery).
//   - ALTER TABLE ... DROP COMPACT STORAGE of a super column family is
//     refused: 3.11 makes it (key, column1, "" map<sub-column, value>),
//     whose map column no CQL statement can name and 2.x cell names cannot
//     hold apart from row markers. A cell of a compound dense table whose
//     name has fewer components than the table has clustering columns
//     (trailing clustering values left null, which only COMPACT STORAGE
//     allows) is dropped by DROP COMPACT STORAGE: the sparse table has no
//     name for it (server, internal/layout).
//   - A Thrift write of a static cell of a CQL table is stored; 3.11 fails
//     an assertion in ThriftValidation.validateColumnNames on it
//     (internal/validate).
//   - List prepends name their elements with distinct, decreasing time
//     UUIDs even past 10,000 elements in one millisecond, where 3.11 would
//     repeat one (internal/layout).
//   - Prepared statements: a RENAME of a primary key column, and DROP
//     COMPACT STORAGE, evict the statements on the table too (3.11
//     compares only regular and static columns and indexes; the metadata
//     names the key columns, and DROP COMPACT STORAGE shows hidden
//     columns, which a driver reading rows with old metadata would
//     misread); the
//     warning 3.11.12 sends for unqualified prepared statements used with
//     USE is not sent (internal/cqlexec).
//   - User-defined functions and aggregates, materialized views and
//     triggers are refused with the errors 3.11 gives with its defaults
//     (disabled, or no trigger class); role and permission statements are
//     refused: the anonymous user gets 3.11's "You have to be logged in
//     and not anonymous", a logged-in user is told that users come from
//     Config.Authenticator, not system_auth (internal/cqlexec).
//   - system.local.truncated_at records CQL TRUNCATE only; TRUNCATE of a
//     built-in system table does nothing (they hold no data here); host_id
//     changes on every start, also with a DataDir (internal/cqlexec).
//   - A LOGGED batch is atomic because all its partitions are applied in
//     one write (one commit log record when durable); there is no
//     batchlog, which a single node does not need. Consistency levels are
//     checked against the keyspace's replication factor as on a one-node
//     cluster: ONE passes, QUORUM of three replicas is Unavailable.
//
// # Deviations from 3.11 on the Thrift side
//
// Requests on which Cassandra
// throws a Java exception and drops the connection (a malformed token,
// a missing required struct in cas or get_multi_slice, keys_per_split 0)
// get an InvalidRequestException instead; get_count and get_paged_slice
// validate their predicate and start_column; the CQL3-over-Thrift methods
// (execute_cql3_query and its kin) answer InvalidRequestException, CQL
// being served on the native protocol; tracing is a no-op; there is one
// token unless Config.Tokens lists more; TimedOutException comes only
// from fault injection; the built-in system tables cannot be read through
// Thrift's data methods ("unconfigured table"), though the schema calls
// refuse them with 3.11's messages; a system_add_column_family into system
// or system_schema is refused whatever the session keyspace.
//
// # Cassandra 5.0 differences the differential test knows
//
// internal/difftest sends one corpus of CQL statements (and random ones)
// to this server and to a real Cassandra 5.0 node (make test-refnode) and
// holds each to its version's answer where the two differ on purpose:
//
//   - IN on regular columns and on a filtered partition key run (CASSANDRA-14344, 4.1).
//   - Clustering IN with a collection selected runs (CASSANDRA-12654, 4.0).
//   - Map values and set elements can be selected, m['k'] (CASSANDRA-7396, 4.0).
//   - CONTAINS and CONTAINS KEY in IF conditions (CASSANDRA-10537, 4.1).
//   - ttl() and writetime() of collections run; the message says writetime, not writeTime (CASSANDRA-8877, 5.0).
//   - dateOf and unixTimestampOf are gone (CASSANDRA-18328, 5.0).
//   - SimpleStrategy without replication_factor takes default_keyspace_rf (CASSANDRA-14557, 4.1).
//   - "ORDER BY with 2ndary indexes is not supported, except for ANN queries." (CASSANDRA-18715, 5.0).
//   - Function signatures listed in another order, cast functions named cast_as_int (CASSANDRA-18037, 5.0).
//   - The user-defined functions message names user_defined_functions_enabled (CASSANDRA-15234, 4.1).
//   - A dangling '-' is another syntax error: the grammar has arithmetic operators (CASSANDRA-11935, 4.0).
//   - DDL messages reworded, some with other codes (DROP KEYSPACE of a missing one: Invalid, not ConfigurationException; CASSANDRA-13426, 4.0).
//   - "table %s does not exist" and "keyspace %s does not exist" (4.0 Schema.validateTable; 3.11: "unconfigured table %s").
//   - "Undefined column name %s in table ks.t" (4.0 TableMetadata.getExistingColumn).
//   - "Order by currently only supports ..." (4.0 SelectStatement; 3.11: "support").
//   - "fromjson() cannot be used ..." in lower case (5.0 FunctionResolver).
//   - Unknown compaction class: "Unable to find compaction strategy class" (4.0 CompactionParams).
//   - Dates parse with java.time: a year of more than four digits needs a sign (4.0+, no Joda-Time).
//   - Timestamps that do not parse: "Unable to parse a date/time from '%s'" (5.0 TimestampSerializer).
//   - JSON parse errors worded by a newer Jackson (the "Could not decode JSON string as a map: " start is the same).
//   - system.local: cql_version 3.4.7, native_protocol_version 5.
//
// Materialized views are off here (a deviation above); 5.0.9 fails GROUP BY
// with LIMIT over a partition with range tombstones (a read failure, "open
// RT bound as its last item"), which the random test does not count.
//
// # Structure
//
// The CQL side is a stack of internal packages, each with one job:
// internal/native frames, decodes and answers native-protocol requests
// (go-cassandra-native-protocol for the messages) and runs a connection's
// requests concurrently; internal/cqlexec is its Backend: the prepared
// cache, USE, DDL and TRUNCATE through the node's write path and the
// SCHEMA_CHANGE events, the system tables, and the mapping of every error
// to its native message; internal/cqlparse parses CQL with 3.11's error
// texts; internal/cqlquery prepares and runs SELECT, INSERT, UPDATE,
// DELETE and BATCH with 3.11's rules; internal/layout maps CQL rows onto
// the 2.x cell model (composite names, row markers, statics, collections)
// and reads them with limits and paging; internal/schema is the one
// catalog both protocols share, with its CQL DDL and system_schema
// projections. This package wires them to the node (cql.go).
//
// On the Thrift side, requests are decoded with the generated thriftgen argument structs
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
// Every CQL change goes the same way as Thrift's: writes of every kind
// (collections, user type fields, counters, lightweight transactions,
// batches), TRUNCATE and schema statements (DROP COMPACT STORAGE included)
// are in the commit log before they apply, and index entries are rebuilt
// from the data on replay.
//
// Config.TLS (see LoadTLSConfig) serves over TLS, optionally requiring
// client certificates. MaxConnections, IdleTimeout and MaxFrameSize each
// close only the offending connection (an idle timeout on the native
// port is Cassandra 4.0's native_transport_idle_timeout; 3.11 has none).
// Server.Faults injects delays, timeouts, unavailable errors or dropped
// connections while the server runs, for failover tests, with one rule
// vocabulary for both protocols: by Thrift method, by CQL statement kind
// (SELECT, INSERT, UPDATE, DELETE, BATCH, TRUNCATE, schema, USE), by
// keyspace and table, or for lightweight transactions only. CQL clients
// get the error bodies a 3.11 coordinator sends (ReadTimeout, WriteTimeout
// with the statement's write type, Unavailable, TruncateError).
package server
