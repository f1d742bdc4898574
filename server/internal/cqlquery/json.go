package cqlquery

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/layout"
)

// Each type's JSON form, as 3.11's AbstractType.toJSONString writes it
// (SELECT JSON, toJson()) and fromJSONObject reads it (INSERT JSON,
// fromJson()), with the MarshalException texts the readers raise.

// toJSON renders a non-null serialized value of type t.
func toJSON(t codec.Type, b []byte) string {
	var sb strings.Builder
	writeJSON(&sb, t, b)
	return sb.String()
}

func writeJSON(sb *strings.Builder, t codec.Type, b []byte) {
	t = base(t)
	switch x := t.(type) {
	case *codec.CollectionType:
		writeCollectionJSON(sb, x, b)
		return
	case *codec.TupleType:
		writeFieldsJSON(sb, x.Components(), nil, b)
		return
	case *codec.UserType:
		writeFieldsJSON(sb, x.FieldTypes(), x.FieldNames(), b)
		return
	}
	name := nativeName(t)
	switch name {
	case "ascii", "text":
		sb.WriteByte('"')
		quoteJSON(sb, string(b))
		sb.WriteByte('"')
		return
	case "blob":
		sb.WriteString(`"0x`)
		sb.WriteString(hex.EncodeToString(b))
		sb.WriteByte('"')
		return
	}
	if len(b) == 0 {
		// The empty value of a type that has a meaningless empty value
		// (only a Thrift client or blobAsX(0x) can store one).
		sb.WriteString(`""`)
		return
	}
	switch name {
	case "int", "bigint", "smallint", "tinyint", "varint", "boolean":
		sb.WriteString(codec.Format(t, b))
	case "counter":
		sb.WriteString(codec.Format(codec.Long, b))
	case "float", "double":
		f := 0.0
		if name == "float" {
			v, _ := codec.DecodeFloat(b)
			f = float64(v)
		} else {
			f, _ = codec.DecodeDouble(b)
		}
		// JSON has no NaN or infinities: FloatType and DoubleType write null.
		if math.IsNaN(f) || math.IsInf(f, 0) {
			sb.WriteString("null")
			return
		}
		sb.WriteString(codec.Format(t, b))
	case "decimal":
		sb.WriteString(javaBigDecimal(b))
	case "timestamp":
		ms, _ := codec.DecodeLong(b)
		sb.WriteByte('"')
		sb.WriteString(time.UnixMilli(ms).UTC().Format("2006-01-02 15:04:05.000Z"))
		sb.WriteByte('"')
	default: // uuid, timeuuid, inet, date, time, duration: their string in quotes
		sb.WriteByte('"')
		quoteJSON(sb, codec.Format(t, b))
		sb.WriteByte('"')
	}
}

func writeCollectionJSON(sb *strings.Builder, ct *codec.CollectionType, b []byte) {
	kind := layout.List
	switch ct.Kind() {
	case codec.SetKind:
		kind = layout.Set
	case codec.MapKind:
		kind = layout.Map
	}
	elems, err := layout.DecodeCollection(kind, b)
	if err != nil {
		sb.WriteString("null")
		return
	}
	if kind != layout.Map {
		sb.WriteByte('[')
		for i, e := range elems {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeJSONOrNull(sb, ct.Elements(), e)
		}
		sb.WriteByte(']')
		return
	}
	// Map keys must be JSON strings: a key whose form is not one is
	// quoted (MapType.toJSONString).
	sb.WriteByte('{')
	for i := 0; i+1 < len(elems); i += 2 {
		if i > 0 {
			sb.WriteString(", ")
		}
		key := toJSON(ct.Keys(), elems[i])
		if strings.HasPrefix(key, `"`) {
			sb.WriteString(key)
		} else {
			sb.WriteByte('"')
			quoteJSON(sb, key)
			sb.WriteByte('"')
		}
		sb.WriteString(": ")
		writeJSONOrNull(sb, ct.Elements(), elems[i+1])
	}
	sb.WriteByte('}')
}

// writeFieldsJSON renders a tuple ([a, b]) or, with names, a user type
// ({"a": 1}); names that are not all lower case are quoted again, as
// column names are (UserType.toJSONString).
func writeFieldsJSON(sb *strings.Builder, types []codec.Type, names []string, b []byte) {
	fields, err := layout.DecodeFields(b, len(types))
	if err != nil {
		sb.WriteString("null")
		return
	}
	open, close := "[", "]"
	if names != nil {
		open, close = "{", "}"
	}
	sb.WriteString(open)
	for i, t := range types {
		if i > 0 {
			sb.WriteString(", ")
		}
		if names != nil {
			sb.WriteByte('"')
			quoteJSON(sb, jsonName(names[i]))
			sb.WriteString(`": `)
		}
		var f []byte
		if i < len(fields) {
			f = fields[i]
		}
		writeJSONOrNull(sb, t, f)
	}
	sb.WriteString(close)
}

func writeJSONOrNull(sb *strings.Builder, t codec.Type, b []byte) {
	if b == nil {
		sb.WriteString("null")
		return
	}
	writeJSON(sb, t, b)
}

// jsonName is a column or field name as a JSON key: wrapped in double
// quotes when not entirely lower case, so that INSERT JSON reads it back
// with its case (Selection.rowToJson, Json.handleCaseSensitivity).
func jsonName(name string) string {
	if name != strings.ToLower(name) {
		return `"` + name + `"`
	}
	return name
}

// javaBigDecimal is BigDecimal.toString: plain digits when the scale is
// not negative and the adjusted exponent is at least -6, else scientific
// notation with one digit before the point ("-1.23E-12", "1E+3").
func javaBigDecimal(b []byte) string {
	if len(b) < 4 {
		return `""`
	}
	scale := int64(int32(binary.BigEndian.Uint32(b)))
	unscaled := bigVarint(b[4:])
	digits := new(big.Int).Abs(unscaled).Text(10)
	neg := unscaled.Sign() < 0
	adjusted := -scale + int64(len(digits)-1)
	var sb strings.Builder
	if neg {
		sb.WriteByte('-')
	}
	if scale >= 0 && adjusted >= -6 {
		switch n := int64(len(digits)); {
		case scale == 0:
			sb.WriteString(digits)
		case n > scale:
			sb.WriteString(digits[:n-scale])
			sb.WriteByte('.')
			sb.WriteString(digits[n-scale:])
		default:
			sb.WriteString("0.")
			sb.WriteString(strings.Repeat("0", int(scale-n)))
			sb.WriteString(digits)
		}
		return sb.String()
	}
	sb.WriteString(digits[:1])
	if len(digits) > 1 {
		sb.WriteByte('.')
		sb.WriteString(digits[1:])
	}
	sb.WriteByte('E')
	if adjusted >= 0 {
		sb.WriteByte('+')
	}
	sb.WriteString(strconv.FormatInt(adjusted, 10))
	return sb.String()
}

// ---------------------------------------------------------------------------
// fromJSONObject

// jsonError is a MarshalException raised while reading a JSON value.
func jsonError(format string, args ...any) *Error { return invalidf(format, args...) }

// expected is the "Expected a ..., but got a %s: %s" failure.
func expected(what string, v *jsonValue) *Error {
	return jsonError("Expected %s, but got a %s: %s", what, v.className(), v.String())
}

// fromJSON converts a decoded, non-null JSON value to a serialized value
// of type t (AbstractType.fromJSONObject then bind). now is the clock for
// the timestamp string "now". Failures carry the MarshalException text.
func fromJSON(t codec.Type, v *jsonValue, now func() time.Time) ([]byte, error) {
	t = base(t)
	switch x := t.(type) {
	case *codec.CollectionType:
		return collectionFromJSON(x, v, now)
	case *codec.TupleType:
		return tupleFromJSON(x, v, now)
	case *codec.UserType:
		return userTypeFromJSON(x, v, now)
	}
	str := v.kind == jsonString
	fromString := func() ([]byte, error) {
		b, err := parseLiteral(cqlparse.LitString, v.str, t, now)
		if err != nil {
			return nil, err
		}
		return b, nil
	}
	switch nativeName(t) {
	case "ascii":
		if !str {
			return nil, expected("an ascii string", v)
		}
		return fromString()
	case "text":
		if !str {
			return nil, expected("a UTF-8 string", v)
		}
		return []byte(v.str), nil
	case "bigint":
		switch v.kind {
		case jsonString:
			return fromString()
		case jsonInteger, jsonLong:
			return codec.AppendLong(nil, v.num), nil
		}
		return nil, expected("a bigint value", v)
	case "int":
		switch v.kind {
		case jsonString:
			return fromString()
		case jsonInteger:
			return codec.AppendInt32(nil, int32(v.num)), nil
		}
		return nil, expected("an int value", v)
	case "smallint", "tinyint":
		// ShortType and ByteType read any string or number through
		// fromString(String.valueOf(parsed)).
		switch v.kind {
		case jsonString, jsonInteger, jsonLong, jsonBigInt, jsonDouble:
			return parseLiteral(cqlparse.LitString, v.String(), t, now)
		}
		if nativeName(t) == "smallint" {
			return nil, expected("a short value", v)
		}
		return nil, expected("a byte value", v)
	case "varint":
		n, ok := javaBigInteger(v.String())
		if !ok {
			return nil, jsonError("Value '%s' is not a valid representation of a varint value", v.String())
		}
		return codec.AppendBigVarint(nil, n), nil
	case "decimal":
		b, ok := parseBigDecimal(v.String())
		if !ok {
			return nil, jsonError("Value '%s' is not a valid representation of a decimal value", v.String())
		}
		return b, nil
	case "float", "double":
		var f float64
		switch v.kind {
		case jsonString:
			return fromString()
		case jsonInteger, jsonLong:
			f = float64(v.num)
		case jsonBigInt:
			f, _ = new(big.Float).SetInt(v.big).Float64()
		case jsonDouble:
			f = v.f
		default:
			if nativeName(t) == "float" {
				return nil, expected("a float value", v)
			}
			return nil, expected("a double value", v)
		}
		if nativeName(t) == "float" {
			return codec.AppendFloat(nil, float32(f)), nil
		}
		return codec.AppendDouble(nil, f), nil
	case "boolean":
		switch v.kind {
		case jsonString:
			return fromString()
		case jsonBoolean:
			if v.b {
				return []byte{1}, nil
			}
			return []byte{0}, nil
		}
		return nil, expected("a boolean value", v)
	case "blob":
		if !str {
			return nil, jsonError("Value '%s' is not a valid blob representation: java.%s cannot be cast to java.lang.String", v.String(), javaClass(v))
		}
		if !strings.HasPrefix(v.str, "0x") {
			return nil, jsonError("Value '%s' is not a valid blob representation: String representation of blob is missing 0x prefix: %s", v.str, v.str)
		}
		h := v.str[2:]
		b, err := hex.DecodeString(h)
		if err != nil {
			return nil, jsonError("Value '%s' is not a valid blob representation: cannot parse '%s' as hex bytes", v.str, h)
		}
		if b == nil {
			b = []byte{}
		}
		return b, nil
	case "uuid":
		if !str {
			return nil, expected("a string representation of a uuid", v)
		}
		return fromString()
	case "timeuuid":
		if !str {
			return nil, expected("a string representation of a timeuuid", v)
		}
		return fromString()
	case "inet":
		if !str {
			return nil, expected("a string representation of an inet value", v)
		}
		return fromString()
	case "timestamp":
		switch v.kind {
		case jsonLong:
			return codec.AppendLong(nil, v.num), nil
		case jsonString:
			return fromString()
		}
		return nil, expected("a long or a datestring representation of a timestamp value", v)
	case "date":
		if !str {
			return nil, expected("a string representation of a date value", v)
		}
		return fromString()
	case "time":
		if !str {
			return nil, expected("a string representation of a time value", v)
		}
		return fromString()
	case "duration":
		if !str {
			return nil, expected("a string representation of a duration", v)
		}
		return fromString()
	case "counter":
		// CounterColumnType.fromJSONObject is not implemented in 3.11.
		return nil, &Error{Code: CodeServer, Message: "java.lang.UnsupportedOperationException"}
	}
	if !str {
		return nil, expected("a string", v)
	}
	return fromString()
}

// javaClass is the fully qualified class of a decoded value, for
// ClassCastException texts.
func javaClass(v *jsonValue) string {
	switch v.kind {
	case jsonBigInt:
		return "math.BigInteger"
	case jsonList:
		return "util.ArrayList"
	case jsonMap:
		return "util.LinkedHashMap"
	}
	return "lang." + v.className()
}

// javaBigInteger is new BigInteger(String): an optional sign, then digits.
func javaBigInteger(s string) (*big.Int, bool) {
	t := s
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
		t = t[1:]
	}
	if t == "" {
		return nil, false
	}
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return nil, false
		}
	}
	return new(big.Int).SetString(s, 10)
}

// nestedJSON reads a JSON string standing for a collection, tuple or user
// type value (a map key, or a value given as a string), as
// Json.decodeJson does.
func nestedJSON(v *jsonValue) (*jsonValue, error) {
	if v.kind != jsonString {
		return v, nil
	}
	x, err := decodeJSON(v.str)
	if err != nil {
		return nil, jsonError("Error decoding JSON string: %s", err.Error())
	}
	return x, nil
}

func collectionFromJSON(ct *codec.CollectionType, v *jsonValue, now func() time.Time) ([]byte, error) {
	v, err := nestedJSON(v)
	if err != nil {
		return nil, err
	}
	switch ct.Kind() {
	case codec.ListKind, codec.SetKind:
		if v.kind != jsonList {
			if ct.Kind() == codec.ListKind {
				return nil, expected("a list", v)
			}
			return nil, expected("a list (representing a set)", v)
		}
		elems := make([][]byte, 0, len(v.list))
		for _, e := range v.list {
			if e.kind == jsonNull {
				if ct.Kind() == codec.ListKind {
					return nil, jsonError("Invalid null element in list")
				}
				return nil, jsonError("Invalid null element in set")
			}
			b, err := fromJSON(ct.Elements(), e, now)
			if err != nil {
				return nil, err
			}
			elems = append(elems, b)
		}
		if ct.Kind() == codec.SetKind {
			elems = sortUnique(ct.Elements(), elems)
		}
		return layout.AppendCollection(nil, elems), nil
	}
	if v.kind != jsonMap {
		return nil, expected("a map", v)
	}
	kv := make([][]byte, 0, 2*len(v.keys))
	for _, k := range v.keys {
		x := v.vals[k]
		if x.kind == jsonNull {
			return nil, jsonError("Invalid null value in map")
		}
		kb, err := fromJSON(ct.Keys(), &jsonValue{kind: jsonString, str: k}, now)
		if err != nil {
			return nil, err
		}
		vb, err := fromJSON(ct.Elements(), x, now)
		if err != nil {
			return nil, err
		}
		kv = append(kv, kb, vb)
	}
	return layout.AppendMap(nil, sortEntries(ct.Keys(), kv)), nil
}

func tupleFromJSON(tt *codec.TupleType, v *jsonValue, now func() time.Time) ([]byte, error) {
	v, err := nestedJSON(v)
	if err != nil {
		return nil, err
	}
	if v.kind != jsonList {
		return nil, expected("a list representation of a tuple", v)
	}
	types := tt.Components()
	switch {
	case len(v.list) > len(types):
		return nil, jsonError("Tuple contains extra items (expected %d): %s", len(types), v.String())
	case len(v.list) < len(types):
		return nil, jsonError("Tuple is missing items (expected %d): %s", len(types), v.String())
	}
	fields := make([][]byte, len(types))
	for i, e := range v.list {
		if e.kind == jsonNull {
			continue
		}
		b, err := fromJSON(types[i], e, now)
		if err != nil {
			return nil, err
		}
		fields[i] = b
	}
	return layout.AppendFields(nil, fields), nil
}

func userTypeFromJSON(ut *codec.UserType, v *jsonValue, now func() time.Time) ([]byte, error) {
	v, err := nestedJSON(v)
	if err != nil {
		return nil, err
	}
	if v.kind != jsonMap {
		return nil, expected("a map", v)
	}
	m := handleCaseSensitivity(v)
	names, types := ut.FieldNames(), ut.FieldTypes()
	fields := make([][]byte, len(types))
	found := 0
	for i, n := range names {
		x, ok := m.mapGet(n)
		if !ok || x.kind == jsonNull {
			continue
		}
		b, err := fromJSON(types[i], x, now)
		if err != nil {
			return nil, err
		}
		fields[i] = b
		found++
	}
	if found != len(m.keys) {
		for _, k := range m.keys {
			if ut.FieldIndex(k) < 0 {
				return nil, jsonError("Unknown field '%s' in value of user defined type %s", k, ut.Name)
			}
		}
	}
	return layout.AppendFields(nil, fields), nil
}

// handleCaseSensitivity is Json.handleCaseSensitivity on a copy of the
// map: a key in double quotes loses them and keeps its case, any other
// key is lower-cased.
func handleCaseSensitivity(v *jsonValue) *jsonValue {
	out := &jsonValue{kind: jsonMap, vals: map[string]*jsonValue{}}
	for _, k := range v.keys {
		x := v.vals[k]
		switch {
		case len(k) >= 2 && strings.HasPrefix(k, `"`) && strings.HasSuffix(k, `"`):
			k = k[1 : len(k)-1]
		default:
			k = strings.ToLower(k)
		}
		out.mapPut(k, x)
	}
	return out
}
