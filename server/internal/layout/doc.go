// Package layout maps CQL tables onto the store's Cassandra 2.x cell model,
// as Cassandra 2.2 stored them and as 3.11's LegacyLayout shows them to
// Thrift: composite cell names of clustering values and column name, row
// markers, static cells behind the 0xFFFF marker, one cell per element of a
// non-frozen collection and per field of a non-frozen user type (the
// field's 2-byte position as the element component), COMPACT STORAGE and
// Thrift column families seen as CQL tables, super column families with and
// without column_metadata (shapes SuperSparse and Super), and the renaming
// of a compact table's cells when DROP COMPACT STORAGE makes it a sparse
// one (Uncompact).
//
// A Layout is built from a table description (New with a Spec) and gives:
//
//   - partition keys: PartitionKey, DecodePartitionKey, Token;
//   - cell names: CellName, RowMarker, DecodeName, Comparator;
//   - clustering restrictions as store slices: Slices, StaticSlices, Matches;
//   - the write side: NewUpdate and the Update methods, one per CQL
//     operation (INSERT's marker, assignments, collection operations,
//     counters, row, range and partition deletions), collecting store.Ops;
//   - the read side: an Assembler that turns a partition's live cells into
//     CQL rows with statics, collections, write times and TTLs, and Read,
//     which runs a query with LIMIT, PER PARTITION LIMIT and paging;
//   - paging: PagingState with 3.11's encoding, EncodeRowMark, DecodeRowMark;
//   - collection values in the native protocol's v3+ format:
//     AppendCollection, AppendMap, DecodeCollection; tuple and user type
//     values: AppendFields, DecodeFields; ListIDs names list elements.
//
// Values are serialized bytes throughout; validating CQL values against
// their types is the executor's job, except for collection elements, which
// the Update methods check as they split a collection into cells.
//
// Example:
//
//	l, _ := layout.New(layout.Spec{Compound: true, Columns: []layout.ColumnSpec{
//		{Name: "k", Kind: layout.PartitionKey, Type: codec.Int32},
//		{Name: "c", Kind: layout.Clustering, Type: codec.UTF8},
//		{Name: "v", Kind: layout.Regular, Type: codec.Int32},
//	}})
//	tbl.Comparator = l.Comparator()
//	u := l.NewUpdate(ts, 0, nil)
//	ck := [][]byte{[]byte("a")}
//	_ = u.Insert(ck)
//	_ = u.Set(ck, l.Column("v"), codec.AppendInt32(nil, 7))
//	key, _ := l.PartitionKey([][]byte{codec.AppendInt32(nil, 1)})
//	_ = st.Apply(u.Mutation(tbl, key))
//	res, _ := l.Read(st, tbl, layout.Query{Keys: [][]byte{key}}, func(r *layout.Row) (bool, error) {
//		fmt.Printf("%s %x\n", r.Clustering[0], r.Values[l.Column("v").Index].Bytes)
//		return true, nil
//	})
package layout
