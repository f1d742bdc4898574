package tags

import (
	"math/big"
	"net"
	"net/netip"
	"reflect"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cassa-go/cassa/codec"
)

// GoClass groups the Go types a field may have by how their values are
// stored. The mapper uses it to choose how to encode a field; Parse uses it to check
// that a declared type fits the field.
type GoClass int

// The Go classes. A pointer field has the class of what it points to.
const (
	ClassOther    GoClass = iota // anything else: only a custom type= can hold it
	ClassString                  // string kinds
	ClassBytes                   // []byte kinds (not net.IP)
	ClassInt                     // int, int8 … int64 kinds (not time.Duration)
	ClassUint                    // uint, uint8 … uint64 kinds
	ClassFloat                   // float32, float64 kinds
	ClassBool                    // bool kinds
	ClassTime                    // time.Time
	ClassDuration                // time.Duration
	ClassUUID                    // uuid.UUID and other [16]byte kinds
	ClassDecimal                 // decimal.Decimal
	ClassBigInt                  // big.Int (a *big.Int field is a nullable big.Int)
	ClassIP                      // net.IP
	ClassAddr                    // netip.Addr
	ClassTuple                   // codec.Tuple and []any: composite names, CQL tuples
	ClassAny                     // interface types: whatever the type unpacks to
	ClassList                    // other slices: CQL lists and sets
	ClassMap                     // maps: CQL maps, and sets as map[K]struct{}
	ClassStruct                  // structs that are not values: CQL user types and tuples
)

var classNames = [...]string{"other", "string", "bytes", "int", "uint", "float", "bool",
	"time", "duration", "uuid", "decimal", "big.Int", "net.IP", "netip.Addr", "tuple", "any",
	"list", "map", "struct"}

// String names the class.
func (c GoClass) String() string {
	if c < 0 || int(c) >= len(classNames) {
		return "class?"
	}
	return classNames[c]
}

var (
	timeType     = reflect.TypeFor[time.Time]()
	durationType = reflect.TypeFor[time.Duration]()
	decimalType  = reflect.TypeFor[decimal.Decimal]()
	bigIntType   = reflect.TypeFor[big.Int]()
	ipType       = reflect.TypeFor[net.IP]()
	addrType     = reflect.TypeFor[netip.Addr]()
	tupleType    = reflect.TypeFor[codec.Tuple]()
	// durationValueType is CQL's duration as months, days and nanoseconds.
	durationValueType = reflect.TypeFor[codec.DurationValue]()
)

// Classify returns the class of a non-pointer Go type.
func Classify(t reflect.Type) GoClass {
	switch t {
	case timeType:
		return ClassTime
	case durationType:
		return ClassDuration
	case decimalType:
		return ClassDecimal
	case bigIntType:
		return ClassBigInt
	case ipType:
		return ClassIP
	case addrType:
		return ClassAddr
	case tupleType:
		return ClassTuple
	}
	switch t.Kind() {
	case reflect.String:
		return ClassString
	case reflect.Bool:
		return ClassBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return ClassInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return ClassUint
	case reflect.Float32, reflect.Float64:
		return ClassFloat
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return ClassBytes
		}
		if t.Elem().Kind() == reflect.Interface && t.Elem().NumMethod() == 0 {
			return ClassTuple
		}
		return ClassList
	case reflect.Map:
		return ClassMap
	case reflect.Struct:
		return ClassStruct
	case reflect.Array:
		if t.Len() == 16 && t.Elem().Kind() == reflect.Uint8 {
			return ClassUUID
		}
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return ClassAny
		}
	}
	return ClassOther
}

// typeAliases maps lower-case short spellings to Cassandra class names:
// every built-in short name with and without the Type suffix, plus the
// CQL names people type from habit.
var typeAliases = func() map[string]string {
	m := map[string]string{}
	add := func(short string) {
		m[strings.ToLower(short)] = short
		m[strings.ToLower(strings.TrimSuffix(short, "Type"))] = short
	}
	for _, t := range []codec.Type{codec.Bytes, codec.Ascii, codec.UTF8, codec.Long, codec.Int32,
		codec.Integer, codec.Double, codec.Float, codec.Decimal, codec.Boolean, codec.Date,
		codec.Timestamp, codec.UUID, codec.TimeUUID, codec.LexicalUUID, codec.InetAddress,
		codec.CounterColumn} {
		add(codec.ShortName(t))
	}
	for _, s := range []string{"CompositeType", "DynamicCompositeType", "ReversedType"} {
		add(s)
	}
	for k, v := range map[string]string{
		"counter": "CounterColumnType", "inet": "InetAddressType", "text": "UTF8Type",
		"varchar": "UTF8Type", "varint": "IntegerType", "int": "Int32Type",
		"bigint": "LongType", "blob": "BytesType", "bool": "BooleanType",
	} {
		m[k] = v
	}
	return m
}()

// ParseType parses a type= value: a Cassandra marshal class name, short
// or fully qualified, with or without the Type suffix and in any letter
// case for the built-in types ("UTF8", "long", "TimeUUIDType",
// "org.apache.cassandra.db.marshal.LongType"), parameterised and nested
// ("Composite(Long,Reversed(UTF8))"), or a class registered with
// codec.Register. A few CQL names are accepted too: Counter, Inet, Text,
// Varchar, Varint, Int (Int32Type), Bigint, Blob, Bool.
func ParseType(s string) (codec.Type, error) {
	norm := normalizeType(s)
	t, err := codec.Parse(norm)
	if err == nil {
		return t, nil
	}
	if norm != s {
		// A registered custom class may be spelled without a Type suffix.
		if t2, err2 := codec.Parse(s); err2 == nil {
			return t2, nil
		}
	}
	return nil, err
}

// normalizeType rewrites every short type name in s to its class name,
// leaving fully qualified names, DynamicComposite aliases (a=>…) and
// parameter keys and values (reversed=true) alone.
func normalizeType(s string) string {
	var b strings.Builder
	i := 0
	for i < len(s) {
		if !isIdentChar(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && isIdentChar(s[j]) {
			j++
		}
		word := s[i:j]
		prev := prevNonBlank(s, i)
		next := nextNonBlank(s, j)
		switch {
		case strings.Contains(word, "."), next == '=', prev == '=':
			b.WriteString(word)
		default:
			if full, ok := typeAliases[strings.ToLower(word)]; ok {
				b.WriteString(full)
			} else if !strings.HasSuffix(word, "Type") {
				b.WriteString(word + "Type")
			} else {
				b.WriteString(word)
			}
		}
		i = j
	}
	return b.String()
}

func prevNonBlank(s string, i int) byte {
	for i--; i >= 0; i-- {
		if s[i] != ' ' && s[i] != '\t' && s[i] != '\n' {
			return s[i]
		}
	}
	return 0
}

func nextNonBlank(s string, i int) byte {
	for ; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' && s[i] != '\n' {
			return s[i]
		}
	}
	return 0
}

// isIdentChar is Cassandra TypeParser's identifier alphabet.
func isIdentChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
		c == '-' || c == '+' || c == '.' || c == '_' || c == '&'
}

// Infer returns the marshal type a field of class c and non-pointer Go type
// t gets when its tag has no type=:
//
//	string                  UTF8Type
//	[]byte                  BytesType
//	int, int64              LongType
//	int8, int16, int32      Int32Type
//	uint8, uint16           Int32Type (every value fits)
//	uint32                  LongType  (every value fits)
//	uint, uint64            IntegerType (every value fits, numeric order)
//	float64 / float32       DoubleType / FloatType
//	bool                    BooleanType
//	time.Time               DateType
//	time.Duration           LongType (nanoseconds)
//	uuid.UUID, [16]byte     UUIDType
//	decimal.Decimal         DecimalType
//	big.Int, *big.Int       IntegerType
//	net.IP, netip.Addr      InetAddressType
//	codec.DurationValue     DurationType (CQL duration)
//
// time.Time infers DateType rather than TimestampType because DateType is
// what Thrift-era schemas and pycassa use and what every Cassandra from
// 1.2 knows; the two share their bytes and differ only in how pre-1970
// names sort, so declare type=Timestamp for a comparator that needs that.
// uuid.UUID infers UUIDType, which accepts every version; TimeUUIDType and
// LexicalUUIDType refuse or reorder some UUIDs, so they must be declared.
// Tuples and interfaces have no inferable type (ok is false).
func Infer(c GoClass, t reflect.Type) (codec.Type, bool) {
	if t == durationValueType {
		return codec.Duration, true
	}
	switch c {
	case ClassString:
		return codec.UTF8, true
	case ClassBytes:
		return codec.Bytes, true
	case ClassInt:
		if t.Kind() == reflect.Int || t.Kind() == reflect.Int64 {
			return codec.Long, true
		}
		return codec.Int32, true
	case ClassUint:
		switch t.Kind() {
		case reflect.Uint8, reflect.Uint16:
			return codec.Int32, true
		case reflect.Uint32:
			return codec.Long, true
		}
		return codec.Integer, true
	case ClassFloat:
		if t.Kind() == reflect.Float32 {
			return codec.Float, true
		}
		return codec.Double, true
	case ClassBool:
		return codec.Boolean, true
	case ClassTime:
		return codec.Date, true
	case ClassDuration:
		return codec.Long, true
	case ClassUUID:
		return codec.UUID, true
	case ClassDecimal:
		return codec.Decimal, true
	case ClassBigInt:
		return codec.Integer, true
	case ClassIP, ClassAddr:
		return codec.InetAddress, true
	}
	return nil, false
}

// fits reports whether a Go field of type gt and class c can hold values
// of the single-valued type t (ReversedType is looked through). The table
// is deliberately strict about lossy pairs (a float field for a
// DecimalType, an int field for a DateType) so that a mistake shows up
// when the model is declared.
func fits(gt reflect.Type, c GoClass, t codec.Type) bool {
	for {
		r, ok := t.(*codec.ReversedType)
		if !ok {
			break
		}
		t = r.Base()
	}
	if c == ClassAny {
		return true
	}
	switch t.(type) {
	case *codec.CompositeType, *codec.DynamicCompositeType:
		return c == ClassTuple
	case *codec.CustomType:
		return true
	case *codec.CollectionType, *codec.TupleType, *codec.UserType:
		return false // checked by resolver.check
	}
	switch t {
	case codec.Bytes:
		return c == ClassBytes || c == ClassString
	case codec.Ascii, codec.UTF8:
		return c == ClassString || c == ClassBytes
	case codec.Long:
		return c == ClassInt || c == ClassUint || c == ClassDuration || c == ClassBigInt
	case codec.Int32, codec.Short, codec.Byte:
		return c == ClassInt || c == ClassUint
	case codec.Integer:
		return c == ClassInt || c == ClassUint || c == ClassDuration || c == ClassBigInt
	case codec.CounterColumn:
		return c == ClassInt
	case codec.Double, codec.Float:
		return c == ClassFloat
	case codec.Decimal:
		return c == ClassDecimal
	case codec.Boolean:
		return c == ClassBool
	case codec.Date, codec.Timestamp, codec.SimpleDate:
		return c == ClassTime
	case codec.Time:
		return c == ClassDuration || c == ClassInt
	case codec.Duration:
		return c == ClassDuration || gt == durationValueType
	case codec.UUID, codec.TimeUUID, codec.LexicalUUID:
		return c == ClassUUID
	case codec.InetAddress:
		return c == ClassIP || c == ClassAddr
	case codec.Empty:
		return false
	}
	// A type registered by the user: its own Pack decides.
	return true
}
