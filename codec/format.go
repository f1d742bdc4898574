package codec

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Formatter is implemented by user types that render their own values for
// Format.
type Formatter interface {
	Format(b []byte) string
}

// Format renders an encoded value as Cassandra's AbstractType.getString
// does (with the JVM in UTC); servers put it in messages such as
// "[ks][cf][<name>] failed validation" and in default index names:
//
//	BytesType, CounterColumnType  lowercase hex
//	AsciiType, UTF8Type           the text
//	LongType, Int32Type,          decimal digits
//	IntegerType
//	DecimalType                   BigDecimal.toPlainString ("1.50", "1000"); hex for |scale| > 4096
//	DoubleType, FloatType         Double/Float.toString ("1.0", "1.0E10", "NaN")
//	BooleanType                   "true" / "false"
//	DateType, TimestampType       "2012-03-05 01:02Z"
//	UUID types                    "f7655d80-04fc-11e0-8080-808080808080"
//	InetAddressType               "10.0.0.1", "0:0:0:0:0:0:0:1"
//	CompositeType                 components joined by ':' (':' escaped as
//	                              "\:"), then ":_" or ":!" for a -1 or 1
//	                              end-of-component byte
//	DynamicCompositeType          the same, each component as "alias@value"
//	                              or "TypeName@value"
//
// Empty input gives "". Where Cassandra would throw on malformed bytes,
// Format gives their hex.
func Format(t Type, b []byte) string {
	if len(b) == 0 {
		return ""
	}
	switch x := t.(type) {
	case Formatter:
		return x.Format(b)
	case *ReversedType:
		return Format(x.base, b)
	case *CustomType:
		return Format(x.base(), b)
	case *CompositeType:
		if s, ok := formatComposite(b, func(i int, r []byte) (Type, []byte, string, bool) {
			if i >= len(x.types) {
				return nil, nil, "", false
			}
			return x.types[i], r, "", true
		}); ok {
			return s
		}
	case *DynamicCompositeType:
		if s, ok := formatComposite(b, func(_ int, r []byte) (Type, []byte, string, bool) {
			alias, name, ct, rest, ok := x.readHeader(r)
			if !ok || ct == nil {
				return nil, nil, "", false
			}
			if name == "" {
				name = string(rune(alias))
			}
			return ct, rest, name + "@", true
		}); ok {
			return s
		}
	case asciiType, utf8Type:
		if utf8.Valid(b) {
			return string(b)
		}
		return strings.ToValidUTF8(string(b), "\uFFFD")
	case longType:
		if v, err := DecodeLong(b); err == nil {
			return strconv.FormatInt(v, 10)
		}
	case int32Type:
		if v, err := DecodeInt32(b); err == nil {
			return strconv.FormatInt(int64(v), 10)
		}
	case integerType:
		return DecodeBigVarint(b).String()
	case decimalType:
		if len(b) >= 4 {
			if scale := int64(int32(binary.BigEndian.Uint32(b))); scale >= -maxPlainScale && scale <= maxPlainScale {
				return javaPlainDecimal(varintOrZero(b[4:]), scale)
			}
		}
	case doubleType:
		if v, err := DecodeDouble(b); err == nil {
			return javaFloat(v, 64)
		}
	case floatType:
		if v, err := DecodeFloat(b); err == nil {
			return javaFloat(float64(v), 32)
		}
	case booleanType:
		if len(b) == 1 {
			return strconv.FormatBool(b[0] != 0)
		}
	case dateType:
		if v, err := DecodeTimestamp(b); err == nil {
			return v.Format("2006-01-02 15:04Z07:00")
		}
	case uuidType:
		if u, err := uuid.FromBytes(b); err == nil {
			return u.String()
		}
	case inetType:
		return javaHostAddress(b)
	}
	return hex.EncodeToString(b)
}

// formatComposite is AbstractCompositeType.getString; next gives the type
// of component i, the bytes after its header and the header's text.
func formatComposite(b []byte, next func(i int, rest []byte) (Type, []byte, string, bool)) (string, bool) {
	var sb strings.Builder
	_, rest := readStatic(b)
	for i := 0; len(rest) > 0; i++ {
		if i > 0 {
			sb.WriteByte(':')
		}
		t, r, head, ok := next(i, rest)
		if !ok {
			return "", false
		}
		val, eoc, r2, ok := readComponent(r)
		if !ok {
			return "", false
		}
		sb.WriteString(head)
		sb.WriteString(escapeComponent(Format(t, val)))
		if eoc != 0 {
			if int8(eoc) < 0 {
				sb.WriteString(":_")
			} else {
				sb.WriteString(":!")
			}
			break
		}
		rest = r2
	}
	return sb.String(), true
}

// escapeComponent escapes ':' as "\:" and protects a trailing '\' or '!'
// with a '!', as AbstractCompositeType.escape.
func escapeComponent(s string) string {
	if s == "" {
		return s
	}
	s = strings.ReplaceAll(s, ":", `\:`)
	if last := s[len(s)-1]; last == '\\' || last == '!' {
		s += "!"
	}
	return s
}

// javaFloat is Java's Double.toString (bits 64) or Float.toString (bits
// 32): plain decimals with at least one fractional digit in [1e-3, 1e7),
// otherwise "d.dddE±n", from the shortest digits that round-trip.
func javaFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	a := math.Abs(f)
	if a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, bits)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, bits)
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// maxPlainScale bounds the decimal scales Format writes out in plain
// notation. A hostile value can carry a scale of 2^31-1, whose plain form
// would be gigabytes of zeros; beyond the bound Format gives the hex bytes.
const maxPlainScale = 4096

// javaPlainDecimal is BigDecimal.toPlainString, which Cassandra's
// DecimalSerializer.toString uses: no exponent, the scale as digits after
// the point, trailing zeros for a negative scale (but "0" for zero).
func javaPlainDecimal(unscaled *big.Int, scale int64) string {
	digits := new(big.Int).Abs(unscaled).Text(10)
	var sb strings.Builder
	if unscaled.Sign() < 0 {
		sb.WriteByte('-')
	}
	switch n := int64(len(digits)); {
	case scale == 0:
		sb.WriteString(digits)
	case scale < 0:
		if unscaled.Sign() == 0 {
			return "0"
		}
		sb.WriteString(digits)
		sb.WriteString(strings.Repeat("0", int(-scale)))
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

// javaHostAddress is InetAddress.getHostAddress: dotted IPv4 (also for an
// IPv4-mapped IPv6 address, which Java turns into an Inet4Address) and
// uncompressed IPv6 groups without leading zeros.
func javaHostAddress(b []byte) string {
	switch len(b) {
	case 4:
		return strconv.Itoa(int(b[0])) + "." + strconv.Itoa(int(b[1])) + "." + strconv.Itoa(int(b[2])) + "." + strconv.Itoa(int(b[3]))
	case 16:
		mapped := b[10] == 0xff && b[11] == 0xff
		for _, c := range b[:10] {
			mapped = mapped && c == 0
		}
		if mapped {
			return javaHostAddress(b[12:])
		}
		parts := make([]string, 8)
		for i := range parts {
			parts[i] = strconv.FormatUint(uint64(binary.BigEndian.Uint16(b[2*i:])), 16)
		}
		return strings.Join(parts, ":")
	}
	return hex.EncodeToString(b)
}
