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
//	key          a partition key field, the row key (a name, if given, is
//	             the key alias; without one its CQL column is key, then
//	             key2, key3… as Cassandra names Thrift row keys); several
//	             make a composite partition key, in declaration order
//	partition    the same as key
//	clustering   a clustering column, in declaration order;
//	             clustering=desc sorts it in descending order
//	static       a CQL static column (needs clustering columns)
//	frozen       the frozen form of a collection or user type
//	set          a Go slice holds a CQL set rather than a list
//	super        the super column name field (super column families)
//	raw          a map[string][]byte or map[string]any collecting the
//	             columns no other field maps
//	ttl          an integer (seconds) or time.Duration field giving the
//	             TTL of the columns written on insert; 0 means none
//	index        the column has a secondary index
//	omitempty    a zero value is empty, like a nil pointer (see NullMode)
//	null=M       what a write does with an empty value: skip (leave the
//	             column as it was), delete (delete the column) or write
//	             (nothing is empty: write zero values, nil as a deletion);
//	             without it, the call's or mapper's choice, else skip
//	type=T       the type: a Cassandra class (see ParseType) or a CQL
//	             type (text, bigint, timeuuid, date, list<int>,
//	             map<text, frozen<list<int>>>, frozen<address>,
//	             tuple<int, text>)
//	default=V    the value used when the column is missing on read
//
// Values run to the next comma outside parentheses (and, for type=, angle
// brackets), so nested types need no quoting:
// type=Composite(Long,Reversed(UTF8)), type=map<text, frozen<list<int>>>. Single quotes protect
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
// Reversed(UTF8)), or CQL types, checked against the Go type: type=Long on
// a string field is an error. A CQL native name in lower case is CQL's
// type (date is SimpleDateType, CQL's day), a capitalised one Cassandra's
// class (Date is DateType, the legacy timestamp). Without type= the type
// is inferred (see Infer): slices are lists, maps are maps, a
// map[K]struct{} a set, a named struct a frozen user type named after it
// in snake case (see SnakeCase, UserTypeOf). A user type's fields are the
// struct's exported fields, named by a tag's name or the Go name, typed by
// a tag's type= or inferred. A tuple is a struct with one field per
// component (type=tuple<int, text>), or a []any. Primary key columns are
// frozen. A pointer field is nullable: nil is an absent column.
// type=Counter (CounterColumnType) needs an int64 field.
//
// # Defaults
//
// A default= literal is parsed for the field's Go type (for a pointer
// field, the type it points to) when the model is parsed, so a bad
// default fails at start-up:
//
//	string        the text as written (quote it to keep commas or blanks)
//	[]byte        0x and hex digits (0xcafe), otherwise standard base64 (AQID)
//	int kinds     strconv.ParseInt with base prefixes (42, -1, 0x1f, 0b101)
//	uint kinds    strconv.ParseUint, the same
//	float kinds   strconv.ParseFloat (1.5, -2e3)
//	bool          true, false, 1, 0, t, f
//	time.Time     RFC 3339 (2006-01-02T15:04:05Z, fractions and offsets
//	              allowed) or a date 2006-01-02 (midnight UTC)
//	time.Duration time.ParseDuration (90s, 1h30m)
//	uuid.UUID     8-4-4-4-12 hex
//	decimal       decimal.NewFromString (12.50)
//	big.Int       an integer of any size, with optional base prefix
//	net.IP        an IPv4 or IPv6 address; netip.Addr the same
//
// Composite (tuple) and interface fields cannot have defaults. The mapper
// fills a column missing on read with its default, as pycassa's
// ColumnFamilyMap does.
//
// Errors are *TagError values naming the struct, the field, the tag and
// the problem, wrapping ErrSyntax, ErrType, ErrDefault, ErrConflict or
// ErrNoKey. No input panics.
package tags
