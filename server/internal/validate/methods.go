package validate

import (
	"sort"
	"time"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/expiry"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

// The entry points below run every check of one Thrift method in the order
// Cassandra 3.11's CassandraServer runs them, after the caller has checked the
// session keyspace and the table (ResolveTable) unless stated otherwise. Each
// returns nil, a *thriftgen.InvalidRequestException, or an *UnavailableError;
// the availability check always comes last.

// ValidateGet checks get: column path → read CL → key → availability.
func ValidateGet(ks *schema.Keyspace, t *schema.Table, key []byte, path *thriftgen.ColumnPath, cl thriftgen.ConsistencyLevel) error {
	if ire := CheckColumnPath(t, path); ire != nil {
		return ire
	}
	if ire := CheckReadCL(cl); ire != nil {
		return ire
	}
	if ire := CheckKey(t, key); ire != nil {
		return ire
	}
	return Available(ks, cl)
}

// ValidateGetSlice checks get_slice: column parent → predicate → read CL →
// key → availability.
func ValidateGetSlice(ks *schema.Keyspace, t *schema.Table, key []byte, parent *thriftgen.ColumnParent, pred *thriftgen.SlicePredicate, cl thriftgen.ConsistencyLevel) error {
	return ValidateMultiget(ks, t, [][]byte{key}, parent, pred, cl)
}

// ValidateMultiget checks multiget_slice and multiget_count: column parent
// → predicate → read CL → each key in turn → a serial level with more than
// one key (`SERIAL/LOCAL_SERIAL consistency may only be requested for one
// partition at a time`, 3.11's StorageProxy.readWithPaxos) → availability. No keys means nothing is read, so no
// availability check.
func ValidateMultiget(ks *schema.Keyspace, t *schema.Table, keys [][]byte, parent *thriftgen.ColumnParent, pred *thriftgen.SlicePredicate, cl thriftgen.ConsistencyLevel) error {
	if ire := CheckColumnParent(t, parent); ire != nil {
		return ire
	}
	if ire := CheckPredicate(t, parent.SuperColumn, pred); ire != nil {
		return ire
	}
	return checkReadKeys(ks, t, keys, cl)
}

// checkReadKeys is the tail shared by the single-partition reads.
func checkReadKeys(ks *schema.Keyspace, t *schema.Table, keys [][]byte, cl thriftgen.ConsistencyLevel) error {
	if ire := CheckReadCL(cl); ire != nil {
		return ire
	}
	for _, k := range keys {
		if ire := CheckKey(t, k); ire != nil {
			return ire
		}
	}
	if len(keys) == 0 {
		return nil
	}
	if IsSerial(cl) && len(keys) > 1 {
		return Invalid("SERIAL/LOCAL_SERIAL consistency may only be requested for one partition at a time")
	}
	return Available(ks, cl)
}

// ValidateGetCount checks get_count. Cassandra validates a column_names
// predicate as get_slice does and nothing else; the emulator validates
// every predicate (a deliberate deviation from CassandraServer.get_count) but keeps
// the empty SlicePredicate{}, which counts the whole row.
func ValidateGetCount(ks *schema.Keyspace, t *schema.Table, key []byte, parent *thriftgen.ColumnParent, pred *thriftgen.SlicePredicate, cl thriftgen.ConsistencyLevel) error {
	if ire := CheckColumnParent(t, parent); ire != nil {
		return ire
	}
	if pred == nil {
		return missing("predicate")
	}
	if pred.ColumnNames != nil || pred.SliceRange != nil {
		if ire := CheckPredicate(t, parent.SuperColumn, pred); ire != nil {
			return ire
		}
	}
	return checkReadKeys(ks, t, [][]byte{key}, cl)
}

// ValidateRangeSlices checks get_range_slices: column parent → predicate →
// key range (with row_filter) → read CL → availability.
func ValidateRangeSlices(ks *schema.Keyspace, t *schema.Table, p partitioner.Partitioner, parent *thriftgen.ColumnParent, pred *thriftgen.SlicePredicate, kr *thriftgen.KeyRange, cl thriftgen.ConsistencyLevel) error {
	if ire := CheckColumnParent(t, parent); ire != nil {
		return ire
	}
	if ire := CheckPredicate(t, parent.SuperColumn, pred); ire != nil {
		return ire
	}
	if ire := CheckKeyRange(t, p, parent.SuperColumn, kr); ire != nil {
		return ire
	}
	if ire := CheckReadCL(cl); ire != nil {
		return ire
	}
	return Available(ks, cl)
}

// ValidatePagedSlice checks get_paged_slice: key range → read CL → a
// non-empty row_filter (`Cross-row paging is not supported along with
// index clauses`) → start_column → availability. Cassandra does not check
// start_column; the emulator requires it to be empty or a valid name of at
// most 65535 bytes (a deliberate deviation).
func ValidatePagedSlice(ks *schema.Keyspace, t *schema.Table, p partitioner.Partitioner, kr *thriftgen.KeyRange, startColumn []byte, cl thriftgen.ConsistencyLevel) error {
	if ire := CheckKeyRange(t, p, nil, kr); ire != nil {
		return ire
	}
	if ire := CheckReadCL(cl); ire != nil {
		return ire
	}
	if len(kr.RowFilter) > 0 {
		return Invalid("Cross-row paging is not supported along with index clauses")
	}
	if ire := CheckSliceRange(t, nil, &thriftgen.SliceRange{Start: startColumn, Finish: []byte{}}); ire != nil {
		return ire
	}
	return Available(ks, cl)
}

// ValidateIndexedSlices checks get_indexed_slices: not a counter table →
// column parent → predicate → index clause → read CL → availability.
func ValidateIndexedSlices(ks *schema.Keyspace, t *schema.Table, parent *thriftgen.ColumnParent, clause *thriftgen.IndexClause, pred *thriftgen.SlicePredicate, cl thriftgen.ConsistencyLevel) error {
	if ire := CheckCounterness(t, false); ire != nil {
		return ire
	}
	if ire := CheckColumnParent(t, parent); ire != nil {
		return ire
	}
	if ire := CheckPredicate(t, parent.SuperColumn, pred); ire != nil {
		return ire
	}
	if ire := CheckIndexClause(t, clause); ire != nil {
		return ire
	}
	if ire := CheckReadCL(cl); ire != nil {
		return ire
	}
	return Available(ks, cl)
}

// ValidateMultiSliceTable returns the column family get_multi_slice names,
// for ResolveTable. Cassandra fails a request without column_parent with a
// Java NPE (dropped connection); the emulator answers an
// InvalidRequestException.
func ValidateMultiSliceTable(req *thriftgen.MultiSliceRequest) (string, *thriftgen.InvalidRequestException) {
	if req == nil {
		return "", missing("request")
	}
	if req.ColumnParent == nil {
		return "", missing("column_parent")
	}
	return req.ColumnParent.ColumnFamily, nil
}

// ValidateMultiSlice checks get_multi_slice: not a super table → column
// parent → read CL → each slice (bounds compared with the comparator, in
// the request's direction) → key → availability. Slice bounds are not
// validated against the comparator, as in Cassandra.
func ValidateMultiSlice(ks *schema.Keyspace, t *schema.Table, req *thriftgen.MultiSliceRequest) error {
	if _, ire := ValidateMultiSliceTable(req); ire != nil {
		return ire
	}
	if t.Super {
		return Invalid("get_multi_slice does not support super columns")
	}
	if ire := CheckColumnParent(t, req.ColumnParent); ire != nil {
		return ire
	}
	if ire := CheckReadCL(req.ConsistencyLevel); ire != nil {
		return ire
	}
	for i, s := range req.ColumnSlices {
		if s == nil {
			return missing("column_slice") // a Java NPE
		}
		if len(s.Start) == 0 || len(s.Finish) == 0 || t.Comparator == nil {
			continue
		}
		c := t.Comparator.Compare(s.Start, s.Finish)
		if !req.Reversed && c > 0 {
			return invalidf("Column slice at index %d had start greater than finish", i)
		}
		if req.Reversed && c < 0 {
			return invalidf("Reversed column slice at index %d had start less than finish", i)
		}
	}
	if ire := CheckKey(t, req.Key); ire != nil {
		return ire
	}
	return Available(ks, req.ConsistencyLevel)
}

// ValidateInsert checks insert: not a counter table → key → column parent
// → super column required on a super table → column name → column data
// (TTL, value, timestamp, validator, index size) → write CL →
// availability. now is the server clock and g the expiration-date
// overflow policy (nil: REJECT), for the 2038 TTL guard.
func ValidateInsert(ks *schema.Keyspace, t *schema.Table, key []byte, parent *thriftgen.ColumnParent, col *thriftgen.Column, cl thriftgen.ConsistencyLevel, now time.Time, g *expiry.Guard) error {
	if ire := CheckCounterness(t, false); ire != nil {
		return ire
	}
	if ire := CheckKey(t, key); ire != nil {
		return ire
	}
	if ire := CheckColumnParent(t, parent); ire != nil {
		return ire
	}
	if t.Super && parent.SuperColumn == nil {
		return invalidf("missing mandatory super column name for super CF %s", parent.ColumnFamily)
	}
	if col == nil {
		return missing("column")
	}
	if ire := CheckColumnNames(t, parent.SuperColumn, [][]byte{col.Name}); ire != nil {
		return ire
	}
	if ire := CheckColumnData(t, parent.SuperColumn, col, now, g); ire != nil {
		return ire
	}
	if ire := CheckWriteCL(cl); ire != nil {
		return ire
	}
	return Available(ks, cl)
}

// ValidateAdd checks add: a counter table → key → counter CL rules →
// column parent → super column required on a super table → column name →
// availability.
func ValidateAdd(ks *schema.Keyspace, t *schema.Table, key []byte, parent *thriftgen.ColumnParent, col *thriftgen.CounterColumn, cl thriftgen.ConsistencyLevel) error {
	if ire := CheckCounterness(t, true); ire != nil {
		return ire
	}
	if ire := CheckKey(t, key); ire != nil {
		return ire
	}
	if ire := CheckCounterWriteCL(t, cl); ire != nil {
		return ire
	}
	if ire := CheckColumnParent(t, parent); ire != nil {
		return ire
	}
	if t.Super && parent.SuperColumn == nil {
		return invalidf("missing mandatory super column name for super CF %s", parent.ColumnFamily)
	}
	if col == nil {
		return missing("column")
	}
	if ire := CheckColumnNames(t, parent.SuperColumn, [][]byte{col.Name}); ire != nil {
		return ire
	}
	return Available(ks, cl)
}

// ValidateRemove checks remove: not a counter table → key → column path
// (remove rules) → write CL → availability.
func ValidateRemove(ks *schema.Keyspace, t *schema.Table, key []byte, path *thriftgen.ColumnPath, cl thriftgen.ConsistencyLevel) error {
	return validateRemove(ks, t, key, path, cl, false)
}

// ValidateRemoveCounter checks remove_counter: a counter table → key →
// column path (remove rules) → counter CL rules → availability. The caller
// uses the server's time in microseconds as the tombstone timestamp
// (FBUtilities.timestampMicros, Cassandra 3.x).
func ValidateRemoveCounter(ks *schema.Keyspace, t *schema.Table, key []byte, path *thriftgen.ColumnPath, cl thriftgen.ConsistencyLevel) error {
	return validateRemove(ks, t, key, path, cl, true)
}

func validateRemove(ks *schema.Keyspace, t *schema.Table, key []byte, path *thriftgen.ColumnPath, cl thriftgen.ConsistencyLevel, counter bool) error {
	if ire := CheckCounterness(t, counter); ire != nil {
		return ire
	}
	if ire := CheckKey(t, key); ire != nil {
		return ire
	}
	if ire := CheckRemovePath(t, path); ire != nil {
		return ire
	}
	if counter {
		if ire := CheckCounterWriteCL(t, cl); ire != nil {
			return ire
		}
	}
	if ire := CheckWriteCL(cl); ire != nil {
		return ire
	}
	return Available(ks, cl)
}

// ValidateBatchMutate checks batch_mutate (atomic false) and
// atomic_batch_mutate (atomic true), including the keyspace and table checks,
// before anything is applied, so one bad mutation rejects the whole call:
// RequireKeyspace → for each row key, for each column family: CheckTable → key
// → counter CL rules (counter tables) → every Mutation; then, for an atomic
// batch, `Counter mutations are not allowed in atomic batches` if the row
// names a counter table → write CL → availability (skipped when the map
// names no column family at all). Keys and column families are visited in
// ascending byte order, so the reported error is deterministic (Java
// visits them in hash order). now and g are as for ValidateInsert.
//
// In Cassandra 3.11's createMutationList every (key, column family) entry
// adds a PartitionUpdate to the row's Mutation, even when its mutations
// write nothing (an empty super column, an empty column_names deletion, an
// empty list), and Mutation.isEmpty only looks at whether updates were
// added; so such a batch still checks availability, and still counts as a
// counter mutation in an atomic batch (2.2 skipped both).
func ValidateBatchMutate(src KeyspaceSource, session string, mutations map[string]map[string][]*thriftgen.Mutation, cl thriftgen.ConsistencyLevel, atomic bool, now time.Time, g *expiry.Guard) error {
	if ire := RequireKeyspace(session); ire != nil {
		return ire
	}
	var ks *schema.Keyspace
	if src != nil {
		ks = src.Keyspace(session)
	}
	writes := false
	for _, key := range sortedKeys(mutations) {
		byTable := mutations[key]
		counter := false
		for _, cf := range sortedKeys(byTable) {
			t, ire := CheckTable(ks, session, cf)
			if ire != nil {
				return ire
			}
			if ire := CheckKey(t, []byte(key)); ire != nil {
				return ire
			}
			if t.Counter {
				if ire := CheckCounterWriteCL(t, cl); ire != nil {
					return ire
				}
			}
			for _, m := range byTable[cf] {
				if ire := CheckMutation(t, m, now, g); ire != nil {
					return ire
				}
			}
			// Every column family named adds a (possibly empty)
			// PartitionUpdate to the row's Mutation in 3.11, so it
			// counts as a write.
			writes = true
			counter = counter || t.Counter
		}
		if atomic && counter {
			return Invalid("Counter mutations are not allowed in atomic batches")
		}
	}
	if ire := CheckWriteCL(cl); ire != nil {
		return ire
	}
	if !writes {
		return nil
	}
	return Available(ks, cl)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ValidateCAS checks cas: not a counter table → key → not a super table
// (`CAS does not support supercolumns`) → the names of updates → the data
// of each update → serial CL → commit CL → availability of the serial
// level (a Paxos round and a quorum read) and then of the commit level.
// expected is not validated, as in Cassandra. Cassandra would time out,
// not refuse, a commit level it cannot meet after a successful round; the
// emulator refuses it up front with Unavailable. now and g are as for
// ValidateInsert.
func ValidateCAS(ks *schema.Keyspace, t *schema.Table, key []byte, expected, updates []*thriftgen.Column, serialCL, commitCL thriftgen.ConsistencyLevel, now time.Time, g *expiry.Guard) error {
	if ire := CheckCounterness(t, false); ire != nil {
		return ire
	}
	if ire := CheckKey(t, key); ire != nil {
		return ire
	}
	if t.Super {
		return Invalid("CAS does not support supercolumns")
	}
	if expected == nil {
		return missing("expected")
	}
	if updates == nil {
		return missing("updates")
	}
	names := make([][]byte, len(updates))
	for i, c := range updates {
		if c == nil {
			return missing("column")
		}
		names[i] = c.Name
	}
	if ire := CheckColumnNames(t, nil, names); ire != nil {
		return ire
	}
	for _, c := range updates {
		if ire := CheckColumnData(t, nil, c, now, g); ire != nil {
			return ire
		}
	}
	for _, c := range expected {
		if c == nil {
			return missing("column")
		}
	}
	if ire := CheckSerialCL(serialCL); ire != nil {
		return ire
	}
	if ire := CheckCommitCL(ks, commitCL); ire != nil {
		return ire
	}
	if err := Available(ks, serialCL); err != nil {
		return err
	}
	return Available(ks, commitCL)
}
