// Package query builds the requests of Cassandra's read methods as values,
// with no I/O: index clauses for get_indexed_slices, column slices for
// get/multiget/get_range, and key or token ranges for get_range_slices.
//
//	q := query.Where("state").Eq("UT").And("birthdate").Gt(1970).Limit(20)
//	cols := query.Slice("a", "m").Count(10)
//	rows := query.Keys("key100", "key200").RowCount(1000)
//
// Names, values and keys stay Go values; the session (or the mapper) packs
// them later with the column family's codecs through a Packer, so an
// expression on a LongType column packs 1970 as 8 bytes, as pycassa does.
//
// Every builder is an immutable value: each method returns a new one, so
// a base query can be kept and extended. Misuse is recorded and reported
// by Spec, Validate and the Thrift builders (Build, Predicate, KeyRange),
// never by a panic. Spec returns plain data (IndexSpec, SliceSpec,
// RangeSpec) for callers that assemble requests themselves.
//
// Cassandra answers an index clause only when one of its expressions is an
// EQ on an indexed column. IndexQuery.Validate checks that against the
// schema before anything is sent and returns a *ClauseError listing the
// expressions (errors.Is ErrNoIndexedEQ or ErrEmpty).
//
// # With session
//
// session/ sits below query and does not know these types; the mapper (or
// the caller) copies the specs into session's options. The numbers agree:
// Op values are session.IndexOp values, IndexSpec.Count is a limit or
// NoLimit (session.Unlimited), and RangeSpec.RowCount 0 means every row.
//
//	spec, err := q.Spec()
//	clause := session.IndexClause{StartKey: spec.StartKey, Count: spec.Count}
//	for _, x := range spec.Expressions {
//		clause.Expressions = append(clause.Expressions,
//			session.IndexExpression{Column: x.Column, Op: session.IndexOp(x.Op), Value: x.Value})
//	}
//	rows := cf.GetIndexedSlices(ctx, clause, session.Columns(names...))
package query
