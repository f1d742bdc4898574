// Package cqlexec is the embedded server's CQL executor: the
// native.Backend that runs each QUERY, PREPARE, EXECUTE and BATCH of a
// native-protocol connection as a single Cassandra 3.11 node does
// (QueryProcessor, the cql3.statements classes, the transport messages'
// execute methods), on the node it is given (Node).
//
// # Use
//
//	exec, err := cqlexec.New(cqlexec.Config{Node: node, Publish: nativeServer.Publish})
//	nativeServer, err := native.NewServer(native.Config{Backend: exec})
//
// Package server builds both over its node; nothing else does.
//
// # What it runs
//
//   - Data statements (SELECT, INSERT, UPDATE, DELETE, BATCH) are
//     prepared and run by package cqlquery (cqlquery.Prepare,
//     Statement.Execute, ExecuteBatch) on one cqlquery.Env the executor
//     builds over its node, under the node's read lock, so that a
//     statement never sees a catalog and a store that disagree. Their
//     bind and result metadata, options, values and results are
//     cqlquery's types, turned into native messages here. The built-in
//     system tables (system.local, system.peers, system_schema.*, ...) are
//     cqlquery's Env.Virtual: system.local from the node's facts
//     (ReleaseVersion, CQLVersion, the cluster name, tokens, host ID,
//     address, partitioner) and the catalog's schema version,
//     system_schema from the catalog's projections, every other built-in
//     table with no rows, as a single node has; every SELECT feature
//     works on them.
//   - USE answers Set_keyspace, or "Keyspace 'x' does not exist".
//   - CREATE, ALTER and DROP of keyspaces, tables, indexes and types run
//     through the node's logged schema path (the schema package decides
//     with 3.11's checks and messages); the SCHEMA_CHANGE events are
//     published to registered connections before the Schema_change result
//     is returned, as 3.11's schema merge does: DROP KEYSPACE first drops
//     each table and type, ALTER TYPE also updates the tables using the
//     type, ALTER KEYSPACE that changes nothing raises no event, and an IF
//     [NOT] EXISTS that changes nothing answers Void.
//   - TRUNCATE empties a table through the node's write path and records
//     system.local.truncated_at.
//   - Writes go through Node.Write; lightweight transactions through
//     Node.CAS (the read, check and write of one partition under its
//     lock, logged before applied).
//   - With Config.Faults, each statement is first described to the fault
//     injector (its kind, keyspace and table, whether it is a lightweight
//     transaction) before it takes the read lock, and a matching rule
//     delays it, drops its connection (native.Response.Drop) or answers
//     the error a 3.11 coordinator sends: ReadTimeout, WriteTimeout with
//     the statement's write type (SIMPLE, COUNTER, BATCH,
//     UNLOGGED_BATCH, CAS at the serial consistency), Unavailable with the
//     replicas the consistency level needs in the keyspace, TruncateError
//     for TRUNCATE (faults.go).
//   - Functions, aggregates, materialized views, triggers, roles and
//     permissions get the errors 3.11 gives with its defaults
//     (user-defined functions and materialized views disabled, no
//     trigger classes, AllowAllAuthenticator's anonymous user).
//
// # Prepared statements
//
// PREPARE caches a statement under QueryProcessor.computeId's IDs as
// 3.11.12 and later do: a statement that names the keyspace of its tables
// gets the MD5 of its text, any other the MD5 of the session keyspace and
// its text; the statement is stored under both, keeps the session keyspace
// it was prepared in, and is found by EXECUTE and BATCH from any
// connection. The cache is bounded (Config.PreparedCacheSize, least
// recently used out). An unknown ID answers Unprepared. Named values are
// matched to the bind variables' names (QueryOptions.OptionsWithNames).
//
// When a table changes, 3.11 evicts the statements prepared on it if the
// change affects them (QueryProcessor's MigrationSubscriber on
// CFMetaData.apply's answer: the table dropped, its columns or its indexes
// changed), and keeps the others, which see the new definition because
// CFMetaData is updated in place. So does the executor: EXECUTE (and a
// BATCH naming the statement by ID) checks the statement's tables, answers
// Unprepared for an affected one, so that the driver prepares it again and
// learns the new metadata, and otherwise lets cqlquery run it on the new
// definition. The count of bind values is checked as 3.11 does: for QUERY
// here ("Invalid amount of bind variables"), for EXECUTE by cqlquery (by
// the executor for statements cqlquery does not run), for a BATCH message
// here, statement by statement in order.
//
// # Errors
//
// Every error is answered with its native-protocol code, Cassandra's
// message and the body its code needs: *Error (the executor's; Unprepared
// with the ID), *cqlquery.Error (the data statements'; Unavailable with
// consistency, required and alive), *cqlparse.SyntaxError (0x2000),
// *schema.Error (its code; AlreadyExists with keyspace and table). Any
// other error is a server error (0x0000).
//
// # Deviations from 3.11
//
// The warning 3.11.12 adds for unqualified prepared statements used with
// USE is not sent. A RENAME of a primary key column evicts the statements
// on the table too (3.11 compares only regular and static columns and
// indexes; the bind and result metadata name the key columns). TRUNCATE
// of a built-in system table does nothing (they hold no data here). Role
// and permission statements from a logged-in user are refused: the
// server's users come from its configuration, not system_auth.
package cqlexec
