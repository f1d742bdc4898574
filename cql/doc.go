// Package cql is cassa's transport for CQL over Cassandra's native
// protocol (port 9042; Cassandra 2.1 to 5.x, ScyllaDB), beside the Thrift
// transport (thrift/pool, thrift/columnfamily). It wraps the field's
// driver, gocql v2 (github.com/apache/cassandra-gocql-driver/v2), whose
// connection pools, token-aware routing, prepared-statement cache, paging
// and wire it configures rather than re-implements, and gives it cassa's
// shape: a Config whose zero value works, a context first in every call,
// the errors of package cassa, iterators holding one page, resumable page
// tokens, batches that respect partitions and size limits, listeners and
// stats, and a compiler from query.Select to CQL.
//
//	db, err := cql.Open(ctx, cql.Config{Hosts: []string{"10.0.0.4", "10.0.0.5"}, Keyspace: "twissandra"})
//	defer db.Close(ctx)
//
//	err = db.Exec(ctx, "INSERT INTO users (id, name) VALUES (?, ?)", id, "Ann")
//	row, err := db.Get(ctx, "SELECT name FROM users WHERE id = ?", id) // cassa.ErrNotFound when none
//	name, err := cql.Col[string](row, "name")
//	for row, err := range db.Query(ctx, "SELECT id, name FROM users") { ... }
//
// # The session
//
// Open connects to the contact points, learns the cluster and connects to
// every node. The zero Config is 127.0.0.1:9042, LOCAL_QUORUM, an 11 s
// request timeout, two connections per host, token-aware routing with
// shuffled replicas (DC-aware when Config.LocalDC is set), up to three
// retries, no compression, pages of 5000 rows, and a silent log. A DML
// statement is prepared the first time it runs and reused from gocql's
// cache.
//
// Statement options travel among a statement's values (the session tells
// them apart by type): Consistency, SerialConsistency, Timestamp,
// PageSize, PageToken, Idempotent, Retries and Keyspace.
//
// # Rows
//
// Query yields rows as an iter.Seq2, reading page after page and holding
// one at a time; Rows is the same as a database/sql-style cursor; Get
// returns the first row. A Row is scanned by position (Row.Scan, with
// gocql's conversions) or read by name (Row.ScanColumn, Row.Value, Col).
//
// # Page tokens
//
// With PageToken, Rows reads one page and Rows.PageToken hands out an
// opaque, URL-safe token for the next, which resumes the statement on any
// session sharing Config.PageTokenKey — another connection, another
// process:
//
//	rows := db.Rows(ctx, "SELECT id, body FROM timeline WHERE user = ?", user,
//		cql.PageSize(20), cql.PageToken(r.FormValue("page")))
//	for rows.Next() { ... }
//	err := rows.Close()
//	next := rows.PageToken() // "" on the last page
//
// The token is Cassandra's paging state sealed with AES-GCM under that
// key, bound to the statement's text, keyspace and the types of its
// values: a client can neither read the key values inside it nor edit it
// into another query; a token that does not fit is refused with a
// *PageTokenError before anything is sent.
//
// PagingState and Rows.PagingState do the same with Cassandra's own
// paging state, unsealed, for callers that keep positions under their
// own key (the mapper's page tokens do).
//
// # What is retried
//
// Every write takes one client timestamp when it is called (or Timestamp's)
// and keeps it for all its attempts, so that writing it twice writes the
// same cells. A statement is retried, on the next host of its routing
// plan, after a failure that applied nothing (UNAVAILABLE, an overloaded
// or bootstrapping coordinator) whatever it is; and after a failure that
// may have applied it (a read or write timeout, a lost connection, a
// client-side timeout, a server error) only when it is idempotent. The
// session reads that from the statement: reads, and writes without an IF
// condition, a self-referencing assignment (counter updates, list appends:
// c = c + ?), a collection element deletion or now()/uuid() are
// idempotent; lightweight transactions, counter batches and schema
// statements are not. Idempotent(true) opts a statement in (a counter
// update the caller accepts to count twice), Idempotent(false) out.
// Invalid requests, authentication and authorization errors, replica
// failures and unknown LWT outcomes are never retried. Pauses between
// attempts double from Config.BackoffBase with jitter; the context bounds
// them. A statement that failed after retries gives a *MaxRetriesError
// wrapping the last error.
//
// # Errors
//
// Cassandra's answers map onto package cassa's families, naming the host
// and the statement: cassa.ErrNotFound, *cassa.InvalidRequestError (syntax,
// invalid, unknown table or keyspace, configuration; *AlreadyExistsError
// wraps one), *cassa.UnavailableError, *cassa.TimedOutError (read and
// write timeouts, unknown LWT outcome), *cassa.AuthenticationError,
// *cassa.AuthorizationError. This package adds *NoHostError (matching
// cassa.ErrNoHostAvailable, as the Thrift pool's does), *TransportError,
// *OverloadedError, *ServerError, *ClientError and ErrClosed.
//
// # Batches
//
// Session.Batch queues INSERT, UPDATE and DELETE statements and sends them
// as logged, unlogged or counter batches, grouped by partition and split
// below Cassandra's batch size warning threshold; a failed send keeps what
// was not sent for the next Send. See Batch.
//
// # Lightweight transactions
//
// ExecCAS runs INSERT ... IF NOT EXISTS, UPDATE or DELETE ... IF ... and
// returns whether it applied and, when not, the current values.
//
// # Compiling queries
//
// Compile turns a query.Select on a Table (read by Session.Table from the
// live schema, or built by a mapper) into a SELECT and its values, and
// refuses, before sending, what Cassandra 3.11 would refuse, with
// Cassandra's message: the ALLOW FILTERING rule, clustering prefixes,
// collection and IN restrictions, ORDER BY rules.
//
// # Keyspace per call
//
// Keyspace runs a statement in another keyspace (tenants) on native
// protocol v5 (Cassandra 4.0 and newer). On older protocols, give the
// Table a Keyspace instead: Compile qualifies the table, which works on
// every version.
//
// # Schema changes
//
// SchemaChanges counts the schema changes the session has seen: its own
// schema statements at once, and the cluster's keyspace, table and type
// changes as gocql reports them from schema events. Mappers read it to
// know when a table's definition they hold is stale.
//
// # Observing
//
// Listeners receive connection, host, failure and retry events; Stats
// counts requests, retries, rows, failures by kind and latency, per host
// too; Config.Logger receives the session's events and gocql's own log
// records through log/slog. All of it comes from gocql's observers and
// host listeners.
//
// # Options
//
// As everywhere in cassa, options are values of named interface types
// (StatementOption, BatchOption, and CallOption for those that serve
// both) made by this package's functions; leaving one out means the
// documented default.
package cql
