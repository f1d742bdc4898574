// Package cqlquery prepares and executes the CQL statements that read and
// write table data — SELECT, INSERT, UPDATE, DELETE and BATCH — as a
// single Cassandra 3.11 node does, on the server's schema catalog
// (package schema), the CQL storage mapping (package layout) and the store.
//
// # Use
//
// The native-protocol backend builds one Env per node and calls Prepare
// with a parsed statement (cqlparse.Parse) and the session keyspace. The
// Statement it returns carries the prepared metadata (BindColumns with
// 3.11's receiver names, PKIndexes, ResultColumns) and runs with Execute;
// a native-protocol BATCH message runs with ExecuteBatch. Errors are
// *Error, with the native protocol's error code and Cassandra's message.
//
//	p, _ := cqlparse.Parse("SELECT v FROM t WHERE k = ?")
//	st, err := cqlquery.Prepare(env, "ks", p)
//	res, err := st.Execute(ctx, env, cqlquery.Options{
//		Values:      []cqlquery.Value{{Bytes: codec.AppendInt32(nil, 1)}},
//		Consistency: 0x0001, // ONE
//		PageSize:    5000,
//	})
//	// res.Columns, res.Rows, res.PagingState (nil: no more pages)
//
// # What 3.11 does, and so does this package
//
// Preparation follows SelectStatement.RawStatement.prepare,
// ModificationStatement.Parsed.prepare and BatchStatement.Parsed.prepare
// step by step, so that the first error 3.11 would raise is the one
// returned: table lookup, selection, relations converted and merged one by
// one (SingleColumnRelation, MultiColumnRelation, TokenRelation and the
// Restriction merge rules), partition key, clustering and non-key
// processing (StatementRestrictions), DISTINCT, aggregation, ORDER BY,
// the ALLOW FILTERING decision, LIMIT. Literals are converted by the
// receiver's type as Constants.Literal and each type's fromString do, with
// their MarshalException texts; bound values are validated by the
// receiver's type with the serializers' messages.
//
// Execution binds the values, builds the partition keys (sorted by the key
// types, as an IN query reads them) or the token range, the clustering
// slices and the row filter, and reads through layout.Read, which applies
// LIMIT, PER PARTITION LIMIT and paging with 3.11's paging state. Rows
// are filtered for ALLOW FILTERING and index queries while they are read,
// so a page never holds more than its rows. Writes are collected per
// partition as layout updates and applied through Env.Write in one call,
// so a BATCH is atomic per partition and logged as one unit.
//
// Supported: every type's literals and bound values, collections, tuples
// and user types included; SELECT with *, columns, aliases, DISTINCT,
// JSON, user type fields (a.city), count(*), count(1), count(x), min(x),
// max(x), sum(x), avg(x) (AggregateFcts' result types and overflow),
// writetime(), ttl(), token(), toJson(), CAST (CastFcts' conversions),
// scalar functions of aggregates, GROUP BY on a primary key prefix (LIMIT,
// PER PARTITION LIMIT and pages count groups) and the native scalar
// functions (now, uuid, minTimeuuid, maxTimeuuid, dateOf, unixTimestampOf,
// toDate, toTimestamp, toUnixTimestamp, blobAsX, XAsBlob), typed terms,
// fromJson() in terms; WHERE with
// =, IN, <, <=, >, >=, CONTAINS, CONTAINS KEY, map entries, token ranges
// and multi-column relations; ORDER BY (IN queries sorted after the read,
// unpaged); LIMIT; PER PARTITION LIMIT; ALLOW FILTERING on partition key,
// clustering, static and regular columns; secondary index queries, read
// from the store's index tables (store.ScanIndex) for every target kind;
// INSERT, UPDATE and DELETE with USING TTL and TIMESTAMP, the table's
// default_time_to_live, row markers, null and unset values, row, range
// and partition deletions, static columns, counters, collection literals
// and the list, set and map operations, user type field updates and
// deletions, INSERT JSON with DEFAULT NULL and DEFAULT UNSET; logged,
// unlogged and counter batches with 3.11's validation and client warnings
// (sizes as PartitionUpdate.dataSize, table sets in Java's HashSet order);
// lightweight transactions (IF NOT EXISTS, IF EXISTS, IF conditions on
// columns, list and map elements and user type fields, conditional
// batches) with 3.11's result sets and serial consistency, run through
// Env.CAS (see cas.go); virtual system tables through VirtualTables.
//
// # Deviations
//
//   - When several indexes could serve a query, 3.11 picks the one its
//     SSTable statistics estimate to return the fewest rows; here the one
//     with the fewest entries under the searched value (ties: restriction
//     order). Answers and their order do not depend on the choice. A
//     CUSTOM index (SASI) is not kept: its queries scan.
//   - Lightweight transactions: the Paxos ballot is the store's server
//     timestamp in microseconds (3.11: milliseconds times 1000, then +1
//     under contention); there is no contention to time out on; the commit
//     consistency's replicas are checked before the write, with the Paxos
//     participants. A condition on an element of a frozen collection that
//     is null, or on a field of a column that is not a user type, answers
//     (not applied, or an InvalidRequest) where 3.11 fails with a Java
//     exception.
//   - Timestamp strings without a zone are read in UTC (3.11 reads them in
//     the JVM's zone); zone names other than UTC and GMT are not known; an
//     inet literal must be an address (or localhost), not a host to resolve.
//   - Virtual tables are filled from VirtualTables on every read, so that
//     every SELECT feature works on them.
//   - A prepared statement whose table changed is prepared again from its
//     text before it runs. The native-protocol backend evicts (and answers
//     Unprepared for) statements whose columns or indexes changed, as 3.11
//     does, so through the server this only happens after changes of the
//     table's options, where the result is what 3.11 gives (its statements
//     see the options updated in place).
//   - A non-frozen user type keeps one cell per non-null field, named
//     by the field's position as a 2-byte short in the element component
//     of the 2.x cell name (the cell path 3.11 gives a field), so a field
//     is written or deleted without reading the others. A value stored
//     whole before fields had cells of their own is ignored.
//   - JSON documents are read by a reader that types values as Jackson's
//     ObjectMapper does (Integer, Long, BigInteger, Double, String,
//     Boolean, ArrayList, LinkedHashMap), so the same documents are
//     accepted and refused with the same fromJSONObject messages; the texts
//     of JSON syntax errors follow Jackson's wording but not its
//     positions. Double.toString is the shortest form (as in JDK 19+),
//     which for a few values differs from the Java 8 text 3.11 printed.
//   - count(), min() and max() accept arguments of any type (3.11
//     declares them for the native types only); toJson() of a number's
//     empty value gives "" (3.11 fails); sums and averages of decimals
//     refuse scales more than 65536 apart.
package cqlquery
