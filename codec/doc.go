// Package codec implements Cassandra's marshal types (the AbstractType
// classes of org.apache.cassandra.db.marshal) for the Thrift interface: it
// packs Go values to bytes with pycassa's byte layouts, unpacks bytes to
// natural Go values, orders encoded values exactly as Cassandra 2.2 does,
// and validates them with Cassandra's own messages. Client and server
// share it.
//
// A short tour:
//
//	t, err := codec.Parse("CompositeType(LongType,ReversedType(UTF8Type))")
//	name, err := t.Pack(codec.Tuple{int64(1), "ab"})         // 0008…01 00 0002 6162 00
//	start, err := t.PackBound(codec.Tuple{1}, codec.SliceStart) // inclusive start
//	v, err := t.Unpack(name)                                  // codec.Tuple{int64(1), "ab"}
//	t.Compare(name, start)                                    // > 0, as Cassandra orders them
//	err = codec.Long.Validate([]byte{1, 2, 3})                // "Expected 8 or 0 byte long (3)"
//	lo, err := codec.LowestTimeUUID(when)                     // f7655d80-04fc-11e0-8080-808080808080
//
// # Types
//
// The simple types are package values: Bytes, Ascii, UTF8, Long, Int32,
// Integer, Double, Float, Decimal, Boolean, Date, Timestamp, UUID,
// TimeUUID, LexicalUUID, InetAddress and CounterColumn. Composite,
// DynamicComposite and Reversed build the parameterised ones; CustomType
// and Register add user types; OldPycassaDate and IntermediateDate read
// pycassa's legacy microsecond dates. Parse reads any class name Cassandra
// accepts and Class prints the fully qualified form Cassandra reports;
// ShortName is the readable form.
//
// # CQL types
//
// The types CQL added are here too: SimpleDate (date), Time, Short
// (smallint), Byte (tinyint), Duration and Empty; List, Set and Map
// (CollectionType, frozen or multi-cell), NewTuple (TupleType),
// NewUserType (UserType) and ColumnToCollection, the comparator component
// that orders the cells of non-frozen collections inside a CompositeType.
// Parse reads their class names (FrozenType(...) included), Freeze and
// IsMultiCell give 3.x's freezing rules, CQLName renders a type as 3.11's
// asCQL3Type prints it ("frozen<map<text, int>>") and NativeCQLType maps a
// CQL native name to its type. Collection, tuple and user-type values use
// the native protocol v3 serialization.
//
// # Go values
//
// Pack accepts these values; Unpack returns the first one listed (Unpack
// of empty bytes returns nil for every type marked *):
//
//	BytesType          []byte, string                         -> []byte (a copy)
//	AsciiType          string, []byte (not checked: Validate)  -> string
//	UTF8Type           string, []byte (passed through)         -> string
//	LongType *         int64, every int/uint width, integral  -> int64
//	                   floats (truncated, as pycassa), *big.Int,
//	                   big.Int, integral decimal.Decimal
//	Int32Type *        as LongType, range-checked              -> int32
//	IntegerType *      *big.Int, big.Int, as LongType,         -> *big.Int
//	                   uint64 beyond int64
//	DoubleType *       float64, float32, integers              -> float64
//	FloatType *        float32, float64 (range-checked),       -> float32
//	                   integers
//	DecimalType *      decimal.Decimal, integers, *big.Int,    -> decimal.Decimal
//	                   floats, decimal strings
//	BooleanType *      bool; numbers and strings by Python     -> bool
//	                   truthiness, as pycassa
//	DateType *         time.Time (milliseconds), numbers of    -> time.Time (UTC, ms)
//	TimestampType *    seconds (1.5 -> 1500 ms), as pycassa
//	UUIDType *         uuid.UUID, [16]byte, 16 bytes, a UUID   -> uuid.UUID
//	TimeUUIDType *     string; time.Time or seconds become a
//	LexicalUUIDType *  v1 UUID (random clock and node; lowest/
//	                   highest of the instant with PackBound)
//	InetAddressType *  net.IP, netip.Addr, string, 4/16 bytes  -> net.IP (4 or 16 bytes)
//	CounterColumnType *as LongType                             -> int64
//	CompositeType      Tuple or []any of component values,     -> Tuple
//	                   each optionally Inclusive/Exclusive
//	DynamicComposite   Tuple of DynamicComponent (ByAlias,     -> Tuple of DynamicComponent
//	                   ByType, ByName) or pycassa pairs
//	ReversedType(T)    as T                                    -> as T
//
// Named types (type UserID int64) and non-nil pointers (*int64) are
// accepted through reflection, off the fast path. Values that do not fit (1<<40 into Int32Type, a uint64 above
// MaxInt64 into LongType) are errors, never truncated.
//
// # Errors
//
// Pack and Unpack fail with *Error, which names the type, the value and the
// reason (ErrUnsupported, ErrRange, ErrLength, ErrMalformed). Validate fails
// with *ValidationError, whose Msg is Cassandra's exact text. Parse fails
// with *ParseError. No input makes any function panic.
//
// # Text
//
// Format renders encoded bytes as Cassandra's getString does (what a server
// puts in error messages and index names); FromString reads that text form
// back, as Cassandra's fromString, for shells and schema files.
//
// # Fast paths
//
// AppendLong, DecodeLong and their siblings for Int32, Double, Float, Bool,
// Timestamp, UUID, Varint and Decimal encode and decode without
// allocating, for mappers that know a field's Go type.
package codec
