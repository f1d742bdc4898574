package cqlquery

import (
	"encoding/binary"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/cassa-go/cassa/codec"
)

// CAST(x AS type) in the selection (Selectable.WithCast, CastFcts): a cast
// to the argument's own type is the argument itself; numbers convert to
// every other numeric type as Java's Number.xxxValue() does (narrowing
// keeps the low bits, floating point saturates), to decimal through their
// double value and to varint through their long value; the types with a
// text form convert to ascii and text; timeuuid converts to date and
// timestamp, timestamp and date to each other. Anything else is refused.

// castNumerics are CastFcts' numeric input types.
var castNumerics = map[string]bool{"tinyint": true, "smallint": true, "int": true, "bigint": true,
	"float": true, "double": true, "decimal": true, "counter": true, "varint": true}

// castTexts are the other input types CastFcts converts to ascii and text.
var castTexts = map[string]bool{"inet": true, "boolean": true, "timeuuid": true, "timestamp": true,
	"date": true, "time": true, "uuid": true}

// castFunction returns the function converting from to the native type
// named to, or nil when CastFcts has none.
func castFunction(from codec.Type, to string) *function {
	in := nativeName(from)
	out, ok := codec.NativeCQLType(to)
	if !ok || in == "" {
		return nil
	}
	from = base(from)
	fn := &function{name: "castas" + to, args: one(from), ret: out}
	switch {
	case castNumerics[in] && to != "counter" && (castNumerics[to]):
		fn.exec = func(_ *bindCtx, a [][]byte) ([]byte, error) { return castNumber(in, to, a[0]) }
	case (castNumerics[in] || castTexts[in]) && (to == "text" || to == "ascii"):
		fn.exec = func(_ *bindCtx, a [][]byte) ([]byte, error) { return castText(from, in, a[0]), nil }
	case in == "ascii" && to == "text":
		fn.exec = func(_ *bindCtx, a [][]byte) ([]byte, error) { return a[0], nil }
	case (in == "timeuuid" && (to == "date" || to == "timestamp")) || (in == "timestamp" && to == "date") || (in == "date" && to == "timestamp"):
		name := "todate"
		if to == "timestamp" {
			name = "totimestamp"
		}
		for _, f := range nativeFunctions[name] {
			if sameType(f.args[0], from) {
				fn.exec = f.exec
			}
		}
		if fn.exec == nil {
			return nil
		}
	default:
		return nil
	}
	exec := fn.exec
	fn.exec = func(c *bindCtx, a [][]byte) ([]byte, error) {
		if a[0] == nil {
			return nil, nil
		}
		if err := from.Validate(a[0]); err != nil {
			return nil, invalid(marshalMessage(err))
		}
		return exec(c, a)
	}
	return fn
}

// castInputs are CastFcts.all()'s input types in the order it registers
// them: the numbers, then the types with a text form.
var castInputs = []string{"tinyint", "smallint", "int", "bigint", "float", "double", "decimal", "counter", "varint",
	"ascii", "inet", "boolean", "timeuuid", "timestamp", "date", "time", "uuid"}

// castCandidates lists the cast functions CastFcts registers under the
// name of the cast to type to (castAsInt, castAsText, ...), in the order
// FunctionResolver reports them when none takes the argument; nil when
// there is no function of that name (a cast to blob, uuid, ...).
func castCandidates(to string) []*function {
	out, ok := codec.NativeCQLType(to)
	if !ok {
		return nil
	}
	name := "castAs" + strings.ToUpper(to[:1]) + to[1:]
	var fs []*function
	for _, in := range castInputs {
		typ, _ := codec.NativeCQLType(in)
		has := false
		switch {
		case castNumerics[in]:
			has = castNumerics[to] && to != "counter" && in != to || to == "ascii" || to == "text"
		case in == "ascii":
			has = to == "text"
		case castTexts[in]:
			has = to == "ascii" || to == "text" ||
				(in == "timeuuid" && (to == "date" || to == "timestamp")) ||
				(in == "timestamp" && to == "date") || (in == "date" && to == "timestamp")
		}
		if has {
			fs = append(fs, &function{name: name, args: one(typ), ret: out})
		}
	}
	return fs
}

// number is a numeric value as Java holds it: a long (tinyint, smallint,
// int, bigint, counter), a double (float, double), a BigInteger or a
// BigDecimal.
type number struct {
	kind byte // 'l', 'd', 'i' (BigInteger), 'm' (BigDecimal)
	l    int64
	d    float64
	i    *big.Int
	m    *decimal
}

func readNumber(kind string, b []byte) (number, bool) {
	switch kind {
	case "float", "double":
		f, ok := floatValue(b)
		return number{kind: 'd', d: f}, ok
	case "varint":
		if len(b) == 0 {
			return number{}, false
		}
		return number{kind: 'i', i: bigVarint(b)}, true
	case "decimal":
		m, ok := decodeDecimal(b)
		return number{kind: 'm', m: m}, ok
	}
	v, ok := intValue(b)
	return number{kind: 'l', l: v}, ok
}

// bigInteger is the value truncated to an integer (BigDecimal
// .toBigInteger), nil for longs and doubles.
func (n number) bigInteger() *big.Int {
	switch n.kind {
	case 'i':
		return n.i
	case 'm':
		m := n.m
		digits := len(new(big.Int).Abs(m.unscaled).Text(10))
		switch {
		case m.scale == 0:
			return m.unscaled
		case m.scale > 0 && int(m.scale) >= digits:
			return new(big.Int)
		case m.scale > 0:
			p := new(big.Int).Exp(bigTen, big.NewInt(int64(m.scale)), nil)
			return new(big.Int).Quo(m.unscaled, p)
		case -int64(m.scale) >= 64:
			// Only the low 64 bits are ever read, and 10^64 is a
			// multiple of 2^64.
			return new(big.Int)
		default:
			p := new(big.Int).Exp(bigTen, big.NewInt(-int64(m.scale)), nil)
			return p.Mul(p, m.unscaled)
		}
	}
	return nil
}

// longValue is Number.longValue.
func (n number) longValue() int64 {
	switch n.kind {
	case 'l':
		return n.l
	case 'd':
		return javaD2L(n.d)
	}
	return lowBits(n.bigInteger())
}

// intValue is Number.intValue.
func (n number) intValue() int32 {
	if n.kind == 'd' {
		return javaD2I(n.d)
	}
	return int32(n.longValue())
}

// doubleValue is Number.doubleValue.
func (n number) doubleValue() float64 {
	switch n.kind {
	case 'l':
		return float64(n.l)
	case 'd':
		return n.d
	case 'i':
		f, _ := new(big.Float).SetInt(n.i).Float64()
		return f
	}
	return n.m.float64()
}

// floatValue is Number.floatValue.
func (n number) floatValue() float32 {
	switch n.kind {
	case 'l':
		return float32(n.l)
	case 'd':
		return float32(n.d)
	case 'i':
		f, _ := new(big.Float).SetInt(n.i).Float32()
		return f
	}
	f, _ := strconv.ParseFloat(n.m.unscaled.String()+"e"+strconv.Itoa(-int(n.m.scale)), 32)
	return float32(f)
}

// lowBits is BigInteger.longValue: the low 64 bits, two's complement.
func lowBits(i *big.Int) int64 {
	u := new(big.Int).And(i, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
	return int64(u)
}

// javaD2I and javaD2L are Java's saturating double to int and long casts.
func javaD2I(d float64) int32 {
	switch {
	case math.IsNaN(d):
		return 0
	case d >= math.MaxInt32:
		return math.MaxInt32
	case d <= math.MinInt32:
		return math.MinInt32
	}
	return int32(d)
}

func javaD2L(d float64) int64 {
	switch {
	case math.IsNaN(d):
		return 0
	case d >= math.MaxInt64:
		return math.MaxInt64
	case d <= math.MinInt64:
		return math.MinInt64
	}
	return int64(d)
}

func castNumber(in, out string, b []byte) ([]byte, error) {
	n, ok := readNumber(in, b)
	if !ok {
		return nil, nil
	}
	switch out {
	case "tinyint":
		if n.kind == 'd' {
			return []byte{byte(javaD2I(n.d))}, nil
		}
		return []byte{byte(n.longValue())}, nil
	case "smallint":
		v := n.longValue()
		if n.kind == 'd' {
			v = int64(javaD2I(n.d))
		}
		return binary.BigEndian.AppendUint16(nil, uint16(v)), nil
	case "int":
		return codec.AppendInt32(nil, n.intValue()), nil
	case "bigint":
		return codec.AppendLong(nil, n.longValue()), nil
	case "float":
		return codec.AppendFloat(nil, n.floatValue()), nil
	case "double":
		return codec.AppendDouble(nil, n.doubleValue()), nil
	case "varint":
		return codec.AppendBigVarint(nil, big.NewInt(n.longValue())), nil
	case "decimal":
		d := n.doubleValue()
		if math.IsNaN(d) || math.IsInf(d, 0) {
			return nil, &Error{Code: CodeServer, Message: "java.lang.NumberFormatException: Infinite or NaN"}
		}
		return decimalOfDouble(d).bytes(), nil
	}
	return nil, nil
}

// castText is TypeSerializer.toCQLLiteral: the value's string, with
// timestamps in UTC ISO 8601 form.
func castText(t codec.Type, kind string, b []byte) []byte {
	if len(b) == 0 {
		return []byte("null")
	}
	switch kind {
	case "timestamp":
		ms, _ := codec.DecodeLong(b)
		return []byte(time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z"))
	case "counter":
		return []byte(codec.Format(codec.Long, b))
	case "tinyint", "smallint":
		v, _ := intValue(b)
		return []byte(strconv.FormatInt(v, 10))
	}
	return []byte(codec.Format(t, b))
}

// castName is the selector's column name: "cast(x as int)".
func castName(arg, to string) string { return "cast(" + arg + " as " + strings.ToLower(to) + ")" }
