// Package validate holds the embedded server's request validation: pure,
// network-free checks that answer exactly what Cassandra 3.11's
// ThriftValidation, CassandraServer and ConsistencyLevel answer, with the
// same messages and in the same order. Write checks take the server clock
// and the expiration-date overflow policy (an *expiry.Guard, nil for
// REJECT) for the 2038 TTL guard.
//
// There are two layers. The building blocks (CheckKey, CheckColumnPath,
// CheckPredicate, CheckSliceRange, CheckColumnData, CheckMutation,
// CheckKeyRange, CheckIndexClause, CheckReadCL, ...) each mirror one Java
// method and return a *thriftgen.InvalidRequestException or nil. The
// per-method entry points (ValidateGet, ValidateInsert, ValidateBatchMutate,
// ...) run the blocks in the order the Thrift method does, finish with the
// availability check, and return an error that is either nil, a
// *thriftgen.InvalidRequestException, or an *UnavailableError (which
// unwraps to a *thriftgen.UnavailableException).
//
// The caller resolves the session keyspace and the column family first
// with ResolveTable (ClientState.getKeyspace, then
// ThriftValidation.validateColumnFamily), then calls the entry point with
// the same schema snapshot it later applies the request against.
//
//	ks, t, ire := validate.ResolveTable(catalog, session.Keyspace, parent.ColumnFamily)
//	if ire != nil {
//		return ire
//	}
//	if err := validate.ValidateInsert(ks, t, key, parent, col, cl, time.Now(), nil); err != nil {
//		return err // *thriftgen.InvalidRequestException or *validate.UnavailableError
//	}
//
// Tables and keyspaces handed in must be non-nil (ResolveTable's results);
// everything that comes from the request may be nil or malformed and is
// answered, never panicked on. Nothing here modifies its arguments; where Cassandra rewrites a request
// during validation (counter deletions get the server's time in
// microseconds as timestamp) the caller does it.
//
// # Deliberate deviations from Cassandra 3.11
//
//   - Inputs on which Cassandra throws a Java NPE or IllegalArgumentException
//     (dropping the connection) get an InvalidRequestException: absent
//     required structs in in-process calls ("Required field 'x' was not
//     present"), consistency levels outside the enum ("Invalid consistency
//     level <n>"), unparseable KeyRange tokens (the partitioner's message),
//     a MultiSliceRequest without column_parent, a nil cas expected/updates.
//   - get_count validates its predicate, key and CL like get_slice, keeping
//     the empty predicate that counts the whole row (CassandraServer.get_count
//     validates only a column_names predicate).
//   - get_paged_slice checks start_column against the comparator.
//   - cas refuses a commit level it cannot meet with Unavailable up front;
//     Cassandra would time out after a successful Paxos round.
//   - batch_mutate visits rows and column families in ascending byte order
//     (Java: hash order), so which of several errors is reported is stable.
//   - DeletionString prints column_names elements as stand-alone
//     HeapByteBuffers (pos=0); Java shows their offsets in the request frame.
//   - RenderName prints dates in UTC and hostile DecimalType scales as hex.
package validate
