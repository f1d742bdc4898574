// Package store is the embedded server's storage engine: an ordered
// in-memory store with Cassandra's cell semantics, as a 3.11 node shows
// them through Thrift and CQL.
//
// Rows are ordered as a range scan visits them, by (token, unsigned key
// bytes) under the node's partitioner; cells by the table comparator (super
// CFs: super columns by the comparator, sub-columns by the subcomparator).
// Cells carry timestamps and TTLs and reconcile with Cassandra's tie rules;
// row, cell, super-column and range tombstones shadow writes at or below
// their timestamp; counters add up, a cell tombstone beats a counter
// whatever the timestamps (until it is purged) while row, range and
// super-column deletions compare timestamps with counters as with any cell
// (3.11's Conflicts.resolveCounter and DeletionTime.deletes); an expiry
// past 2038-01-19T03:14:06Z is capped there
// (ExpirationDateOverflowHandling.computeLocalExpirationTime; Store.Expiry
// is the node's overflow policy); secondary indexes follow every write:
// KEYS indexes of non-compound tables and 3.11's COMPOSITES indexes of CQL
// tables, one mechanism (index.go), read with ScanIndex. Truncate forgets
// everything regardless of timestamps.
//
// The server validates a Thrift request, converts writes into RowMutations
// of plain Ops (which a commit log can record), and hands reads their
// already-validated arguments; read results are thriftgen values ready to
// return. The CQL path (package layout) writes the same Ops and reads plain
// values instead: ReadPartition and ScanPartitions hand a callback each
// Partition under its lock, and Partition.Cells reports its live cells
// within comparator Slices, forward or reversed, stopping when asked.
// Range tombstones are kept as disjoint intervals (2.x's
// RangeTombstoneList), so partitions with many of them stay cheap to write. Tables are keyed by schema.Table.ID, so a re-created column family
// starts empty. Engine lists the methods, so a commit log can wrap a Store.
//
// Locking: a table's row tree is guarded by a read-write lock that every
// operation holds shared (exclusively only to insert a row, truncate, purge
// or rebuild indexes), and each row by its own lock, which makes every
// RowMutation atomic and isolated. Scans take the table lock for a bounded
// batch of rows at a time.
//
// Example:
//
//	st := store.New(partitioner.Murmur3Partitioner{}, store.Options{})
//	st.CreateTable(tbl)
//	err := st.Apply(store.NewRowMutation(tbl, []byte("k"), store.Op{
//		Kind: store.OpPut, Name: []byte("c"), Value: []byte("v"), Timestamp: 1,
//	}))
//	cols, err := st.GetSlice(tbl, []byte("k"), nil, &thriftgen.SlicePredicate{
//		SliceRange: &thriftgen.SliceRange{Count: 100},
//	})
package store
