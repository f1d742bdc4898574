// Package columnfamily is pycassa's dynamic column-family API over
// Cassandra's Thrift interface: reads and writes of one column family,
// with keys, column names, super column names and values packed from and
// unpacked to Go values with the codecs of the live schema, and a batch
// Mutator. It works through a thrift/pool Pool.
//
//	users, err := columnfamily.Open(ctx, p, "Users")
//	ts, err := users.Insert(ctx, "thobbs", columnfamily.Cols{"name": "Tyler", "age": int64(24)})
//	row, err := users.Get(ctx, "thobbs")
//
// Writes take one client timestamp, computed before the first attempt, so
// a retried write is idempotent; counter writes are not retried after a
// failure that may have been applied unless RetryCounterMutations is set.
// Reads that page (XGet, GetRange, GetIndexedSlices) are iterators holding
// one page in memory.
//
// # Options
//
// As everywhere in cassa, options are values of named interface types
// (Option, ReadOption, WriteOption, BatchOption, and ReadWriteOption and
// CallOption for the options that serve several kinds of call) made by this
// package's functions; an option is passed as an argument, and leaving it
// out means the documented default.
package columnfamily
