// Package tags parses cassa's `cass:"…"` struct tags into field specs for
// the object mapper (package orm), for schema generation and for Verify.
// It does no I/O.
//
// # Grammar
//
//	cass:"name,option,option…"
//
// The first element is the column name; empty means the Go field name as
// written (pycassa maps attribute names as they are; nothing is
// snake_cased). Options follow in any order:
//
//	key          the row key field (a name, if given, is the key alias)
//	super        the super column name field (super column families)
//	raw          a map[string][]byte or map[string]any collecting the
//	             columns no other field maps
//	ttl          an integer (seconds) or time.Duration field giving the
//	             TTL of the columns written on insert; 0 means none
//	index        the column has a secondary index
//	omitempty    zero values are not written on insert
//	type=T       the marshal type (validator); see ParseType
//	default=V    the value used when the column is missing on read
//
// Values run to the next comma outside parentheses, so type=
// Composite(Long,Reversed(UTF8)) needs no quoting. Single quotes protect
// commas and blanks, and a doubled quote is one quote:
//
//	Tags  string `cass:"tags,default='a,b'"`
//	Quote string `cass:"quote,default='it''s'"`
//
// The tag "-" skips
// the field; untagged exported fields are mapped with inferred types.
//
// Types are Cassandra's marshal classes, with or without the Type suffix,
// short or fully qualified (UTF8, LongType, Integer, TimeUUID,
// org.apache.cassandra.db.marshal.DateType, Composite(Long,UTF8),
// Reversed(UTF8)), checked against the Go type: type=Long on a string field
// is an error. Without type= the type is inferred (see Infer). A pointer
// field is nullable: nil is an absent column. type=Counter
// (CounterColumnType) needs an int64 field.
//
// Errors are *TagError values naming the struct, the field, the tag and
// the problem, wrapping ErrSyntax, ErrType, ErrDefault, ErrConflict or
// ErrNoKey. No input panics.
package tags
