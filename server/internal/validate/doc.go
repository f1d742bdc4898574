// Package validate holds the embedded server's request validation: pure,
// network-free checks that answer exactly what Cassandra 2.2's
// ThriftValidation, CassandraServer and ConsistencyLevel answer, with the
// same messages and in the same order.
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
// (preconditions P1 and P2 of the reference) with ResolveTable, then calls
// the entry point with the same schema snapshot it later applies the
// request against.
//
//	ks, t, ire := validate.ResolveTable(catalog, session.Keyspace, parent.ColumnFamily)
//	if ire != nil {
//		return ire
//	}
//	if err := validate.ValidateInsert(ks, t, key, parent, col, cl, time.Now()); err != nil {
//		return err // *thriftgen.InvalidRequestException or *validate.UnavailableError
//	}
//
// Tables and keyspaces handed in must be non-nil (ResolveTable's results);
// everything that comes from the request may be nil or malformed and is
// answered, never panicked on. Nothing here modifies its arguments; where Cassandra rewrites a request
// during validation (counter deletions get the server's time as timestamp)
// the caller does it.
package validate
