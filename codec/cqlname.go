package codec

import "strings"

// cqlNatives maps the CQL native type names to their marshal types
// (CQL3Type.Native); varchar is text.
var cqlNatives = map[string]Type{
	"ascii": Ascii, "bigint": Long, "blob": Bytes, "boolean": Boolean, "counter": CounterColumn,
	"date": SimpleDate, "decimal": Decimal, "double": Double, "duration": Duration, "float": Float,
	"inet": InetAddress, "int": Int32, "smallint": Short, "text": UTF8, "time": Time,
	"timestamp": Timestamp, "timeuuid": TimeUUID, "tinyint": Byte, "uuid": UUID, "varchar": UTF8,
	"varint": Integer,
}

// cqlNames maps marshal classes to the CQL name AbstractType.asCQL3Type
// prints; DateType, the legacy timestamp, prints as timestamp.
var cqlNames = map[string]string{
	marshalPkg + "AsciiType": "ascii", marshalPkg + "LongType": "bigint", marshalPkg + "BytesType": "blob",
	marshalPkg + "BooleanType": "boolean", marshalPkg + "CounterColumnType": "counter",
	marshalPkg + "SimpleDateType": "date", marshalPkg + "DecimalType": "decimal",
	marshalPkg + "DoubleType": "double", marshalPkg + "DurationType": "duration",
	marshalPkg + "EmptyType": "empty", marshalPkg + "FloatType": "float",
	marshalPkg + "InetAddressType": "inet", marshalPkg + "Int32Type": "int",
	marshalPkg + "ShortType": "smallint", marshalPkg + "UTF8Type": "text", marshalPkg + "TimeType": "time",
	marshalPkg + "TimestampType": "timestamp", marshalPkg + "DateType": "timestamp",
	marshalPkg + "TimeUUIDType": "timeuuid", marshalPkg + "ByteType": "tinyint",
	marshalPkg + "UUIDType": "uuid", marshalPkg + "IntegerType": "varint",
}

// NativeCQLType returns the marshal type of a CQL native type name
// ("int", "text", "varchar", …; lower case), or false.
func NativeCQLType(name string) (Type, bool) {
	t, ok := cqlNatives[name]
	return t, ok
}

// CQLName renders t as Cassandra 3.11's AbstractType.asCQL3Type().toString():
// native names ("text" for UTF8Type, "timestamp" for DateType), "list<int>"
// and "frozen<map<text, frozen<list<int>>>>" for collections,
// "frozen<tuple<int, text>>" for tuples, the (maybe quoted) name of a user
// type or "frozen<name>", the base type of a ReversedType, and any other
// class as a quoted custom type: "'org.apache.cassandra.db.marshal.LexicalUUIDType'".
func CQLName(t Type) string {
	var sb strings.Builder
	writeCQLName(&sb, t)
	return sb.String()
}

func writeCQLName(sb *strings.Builder, t Type) {
	switch x := t.(type) {
	case nil:
		sb.WriteString("blob")
	case *ReversedType:
		writeCQLName(sb, x.base)
	case *CollectionType:
		if !x.multiCell {
			sb.WriteString("frozen<")
		}
		switch x.kind {
		case ListKind:
			sb.WriteString("list<")
		case SetKind:
			sb.WriteString("set<")
		default:
			sb.WriteString("map<")
			writeCQLName(sb, x.key)
			sb.WriteString(", ")
		}
		writeCQLName(sb, x.value)
		sb.WriteByte('>')
		if !x.multiCell {
			sb.WriteByte('>')
		}
	case *TupleType:
		sb.WriteString("frozen<tuple<")
		for i, c := range x.types {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeCQLName(sb, c)
		}
		sb.WriteString(">>")
	case *UserType:
		if x.multiCell {
			sb.WriteString(MaybeQuote(x.Name))
			return
		}
		sb.WriteString("frozen<")
		sb.WriteString(MaybeQuote(x.Name))
		sb.WriteByte('>')
	default:
		if n, ok := cqlNames[t.Class()]; ok {
			sb.WriteString(n)
			return
		}
		sb.WriteByte('\'')
		sb.WriteString(t.Class())
		sb.WriteByte('\'')
	}
}

// reservedKeywords are CQL's reserved words (cql3.ReservedKeywords), which
// an identifier must be quoted to use.
var reservedKeywords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`SELECT FROM WHERE AND ENTRIES FULL INSERT UPDATE WITH LIMIT USING
		USE SET BEGIN UNLOGGED BATCH APPLY TRUNCATE DELETE IN CREATE KEYSPACE SCHEMA COLUMNFAMILY TABLE
		MATERIALIZED VIEW INDEX ON TO DROP PRIMARY INTO ALTER RENAME ADD ORDER BY ASC DESC ALLOW IF IS
		GRANT OF REVOKE MODIFY AUTHORIZE DESCRIBE EXECUTE NORECURSIVE TOKEN NULL NOT NAN INFINITY OR
		REPLACE DEFAULT UNSET MBEAN MBEANS`) {
		m[strings.ToLower(w)] = true
	}
	return m
}()

// IsReservedKeyword reports whether s (any case) is a reserved CQL keyword.
func IsReservedKeyword(s string) bool { return reservedKeywords[strings.ToLower(s)] }

// MaybeQuote is ColumnIdentifier.maybeQuote: an identifier is printed bare
// when it matches [a-z][a-z0-9_]* and is not a reserved keyword, otherwise
// in double quotes with inner quotes doubled.
func MaybeQuote(s string) string {
	bare := s != "" && s[0] >= 'a' && s[0] <= 'z' && !reservedKeywords[s]
	for i := 1; bare && i < len(s); i++ {
		c := s[i]
		bare = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
	}
	if bare {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
