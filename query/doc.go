// Package query describes reads as values, with no I/O: one Select says
// which partitions (Thrift rows) to read, which of their columns, in what
// order and how many, and whatever reads Cassandra takes it as it is: the
// Thrift column-family API (thrift/columnfamily), the mapper (orm), and
// the CQL side when it comes.
//
//	q := query.Where("state").Eq("UT").And("birthdate").Gt(1970).Limit(20)
//	rows := users.GetIndexedSlices(ctx, q)      // columnfamily: a Thrift index clause
//	people := mapper.Find(ctx, q)               // orm: instances
//	cols := query.Slice("a", "m").PerPartitionLimit(10)
//	row, err := users.Get(ctx, "jsmith", cols)  // a Thrift slice predicate
//	scan := query.Keys("key100", "key200").Limit(1000)
//
// Names, values and keys stay Go values; the reader packs them with the
// column family's codecs (or the mapper with its model's types), so a
// relation on a LongType column packs 1970 as 8 bytes, as pycassa does.
//
// Every Select is an immutable value: each method returns a new one, so a
// base select can be kept and extended. Misuse is recorded and reported by
// Err, Parts and the readers, never by a panic. Parts takes a select apart
// for the code that compiles it to a request; Resolve lets a mapper
// replace field names and values before handing it on.
//
// Cassandra answers a select with relations only when one of them is an
// EQ on an indexed column, unless filtering is allowed (AllowFiltering).
// Validate checks that against the schema before anything is sent and
// returns a *ClauseError listing the relations (errors.Is ErrNoIndexedEQ
// or ErrEmpty).
package query
