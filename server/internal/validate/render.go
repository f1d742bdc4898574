package validate

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/cassa-go/cassa/codec"
	"github.com/google/uuid"
)

const marshalPkg = "org.apache.cassandra.db.marshal."

// maxPlainScale bounds the DecimalType scales rendered in plain notation;
// beyond it (a hostile name) the bytes are rendered as hex.
const maxPlainScale = 4096

// RenderName renders b as Cassandra's AbstractType.getString does for the
// type: hex for BytesType, the text for AsciiType and UTF8Type, decimal
// numbers for LongType, Int32Type, IntegerType, DecimalType and
// CounterColumnType, Java's Double/Float.toString for the floating types,
// the canonical string for the UUID types, "yyyy-MM-dd HH:mmZ" (UTC, as
// Cassandra 2.2 prints dates) for DateType and TimestampType, the host address for InetAddressType, and
// "c1:c2" with Cassandra's escaping for CompositeType. Anything it cannot
// decode (unknown or custom types, malformed bytes) is rendered as hex. A
// nil type is BytesType.
func RenderName(t codec.Type, b []byte) string {
	if t == nil {
		return hex.EncodeToString(b)
	}
	return renderClass(t.Class(), b)
}

// splitClass splits "pkg.Name(params)" into the short name and the raw
// parameter string (without the outer parentheses).
func splitClass(class string) (name, params string) {
	class = strings.TrimSpace(class)
	if i := strings.IndexByte(class, '('); i >= 0 && strings.HasSuffix(class, ")") {
		name, params = class[:i], class[i+1:len(class)-1]
	} else {
		name = class
	}
	name = strings.TrimPrefix(strings.TrimSpace(name), marshalPkg)
	return name, params
}

// splitParams splits a parameter list at top-level commas.
func splitParams(params string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(params); i++ {
		switch params[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(params[start:i]))
				start = i + 1
			}
		}
	}
	if s := strings.TrimSpace(params[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

func renderClass(class string, b []byte) string {
	name, params := splitClass(class)
	if s, ok := renderSimple(name, params, b); ok {
		return s
	}
	return hex.EncodeToString(b)
}

// renderSimple renders b for the short type name; ok is false when it
// cannot, and the caller falls back to hex.
func renderSimple(name, params string, b []byte) (string, bool) {
	if len(b) == 0 {
		switch name {
		case "BytesType", "AsciiType", "UTF8Type", "CompositeType", "DynamicCompositeType", "ReversedType":
		default:
			return "", true // the serializers print an empty value as ""
		}
	}
	switch name {
	case "BytesType":
		return hex.EncodeToString(b), true
	case "AsciiType", "UTF8Type":
		return string(b), true
	case "LongType", "CounterColumnType":
		if len(b) != 8 {
			return "", false
		}
		return strconv.FormatInt(int64(binary.BigEndian.Uint64(b)), 10), true
	case "Int32Type":
		if len(b) != 4 {
			return "", false
		}
		return strconv.FormatInt(int64(int32(binary.BigEndian.Uint32(b))), 10), true
	case "IntegerType":
		return twosComplement(b).String(), true
	case "DecimalType":
		if len(b) < 4 {
			return "", false
		}
		scale := int32(binary.BigEndian.Uint32(b))
		if scale > maxPlainScale || scale < -maxPlainScale {
			return "", false // toPlainString would print up to 2^31 zeros
		}
		return plainDecimal(twosComplement(b[4:]), scale), true
	case "DoubleType":
		if len(b) != 8 {
			return "", false
		}
		return javaFloat(math.Float64frombits(binary.BigEndian.Uint64(b)), 64), true
	case "FloatType":
		if len(b) != 4 {
			return "", false
		}
		return javaFloat(float64(math.Float32frombits(binary.BigEndian.Uint32(b))), 32), true
	case "BooleanType":
		if len(b) != 1 {
			return "", false
		}
		return strconv.FormatBool(b[0] != 0), true
	case "DateType", "TimestampType":
		if len(b) != 8 {
			return "", false
		}
		ms := int64(binary.BigEndian.Uint64(b))
		// TimestampSerializer's DEFAULT_FORMAT in 2.2, "yyyy-MM-dd HH:mmXX",
		// in a JVM running in UTC (XX prints a zero offset as "Z").
		return time.UnixMilli(ms).UTC().Format("2006-01-02 15:04") + "Z", true
	case "UUIDType", "TimeUUIDType", "LexicalUUIDType":
		u, err := uuid.FromBytes(b)
		if err != nil {
			return "", false
		}
		return u.String(), true
	case "InetAddressType":
		return javaHostAddress(b)
	case "ReversedType":
		return renderClass(params, b), true
	case "CompositeType":
		return renderComposite(splitParams(params), nil, b)
	case "DynamicCompositeType":
		return renderComposite(nil, dynamicAliases(params), b)
	}
	return "", false
}

// twosComplement decodes a big-endian two's-complement integer of any
// length (Java's new BigInteger(byte[])).
func twosComplement(b []byte) *big.Int {
	n := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(len(b))*8))
	}
	return n
}

// plainDecimal is BigDecimal.toPlainString for unscaled × 10^-scale.
func plainDecimal(unscaled *big.Int, scale int32) string {
	neg := unscaled.Sign() < 0
	digits := new(big.Int).Abs(unscaled).String()
	var s string
	switch {
	case scale <= 0:
		s = digits
		if unscaled.Sign() != 0 {
			s += strings.Repeat("0", int(-int64(scale)))
		}
	case int(scale) >= len(digits):
		s = "0." + strings.Repeat("0", int(scale)-len(digits)) + digits
	default:
		s = digits[:len(digits)-int(scale)] + "." + digits[len(digits)-int(scale):]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// javaFloat is Double.toString (bits 64) or Float.toString (bits 32):
// the shortest digits that read back to the same value, in plain notation
// for magnitudes in [1e-3, 1e7) and as d.dddE<n> otherwise, always with a
// digit after the point.
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
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	e := strconv.FormatFloat(f, 'e', -1, bits) // d.ddde±XX
	mant, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	digits := strings.Replace(mant, ".", "", 1)
	if f >= 1e-3 && f < 1e7 {
		var s string
		if exp >= 0 {
			if len(digits) <= exp+1 {
				s = digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
			} else {
				s = digits[:exp+1] + "." + digits[exp+1:]
			}
		} else {
			s = "0." + strings.Repeat("0", -exp-1) + digits
		}
		return sign + s
	}
	frac := digits[1:]
	if frac == "" {
		frac = "0"
	}
	return sign + digits[:1] + "." + frac + "E" + strconv.Itoa(exp)
}

// javaHostAddress is InetAddress.getHostAddress: dotted IPv4, or eight
// uncompressed lower-case hex groups for IPv6.
func javaHostAddress(b []byte) (string, bool) {
	switch len(b) {
	case 4:
		return strconv.Itoa(int(b[0])) + "." + strconv.Itoa(int(b[1])) + "." + strconv.Itoa(int(b[2])) + "." + strconv.Itoa(int(b[3])), true
	case 16:
		groups := make([]string, 8)
		for i := range groups {
			groups[i] = strconv.FormatUint(uint64(binary.BigEndian.Uint16(b[2*i:])), 16)
		}
		return strings.Join(groups, ":"), true
	}
	return "", false
}

// dynamicAliases parses DynamicCompositeType's "a=>AsciiType,b=>..." list.
func dynamicAliases(params string) map[byte]string {
	out := map[byte]string{}
	for _, p := range splitParams(params) {
		alias, class, ok := strings.Cut(p, "=>")
		alias = strings.TrimSpace(alias)
		if ok && len(alias) == 1 {
			out[alias[0]] = strings.TrimSpace(class)
		}
	}
	return out
}

// renderComposite is AbstractCompositeType.getString. types lists the
// component classes of a CompositeType; aliases is non-nil for a
// DynamicCompositeType, whose components name their own types and are
// printed as "<alias or type>@<value>".
func renderComposite(types []string, aliases map[byte]string, b []byte) (string, bool) {
	var sb strings.Builder
	rest := b
	if aliases == nil && len(rest) >= 2 && rest[0] == 0xFF && rest[1] == 0xFF {
		rest = rest[2:] // CQL static marker
	}
	for i := 0; len(rest) > 0; i++ {
		if len(rest) != len(b) {
			sb.WriteByte(':')
		}
		var class string
		if aliases != nil {
			if len(rest) < 2 {
				return "", false
			}
			h := binary.BigEndian.Uint16(rest)
			rest = rest[2:]
			if h&0x8000 != 0 {
				a := byte(h & 0xFF)
				sb.WriteByte(a)
				class = aliases[a]
				if class == "" {
					class = marshalPkg + "BytesType"
				}
			} else {
				n := int(h)
				if len(rest) < n {
					return "", false
				}
				class = string(rest[:n])
				sb.WriteString(class)
				rest = rest[n:]
			}
			sb.WriteByte('@')
		} else {
			if i >= len(types) {
				return "", false
			}
			class = types[i]
		}
		if len(rest) < 2 {
			return "", false
		}
		n := int(binary.BigEndian.Uint16(rest))
		rest = rest[2:]
		if len(rest) < n+1 {
			return "", false
		}
		sb.WriteString(escapeComponent(renderClass(class, rest[:n])))
		eoc := int8(rest[n])
		rest = rest[n+1:]
		if eoc != 0 {
			if eoc < 0 {
				sb.WriteString(":_")
			} else {
				sb.WriteString(":!")
			}
			break
		}
	}
	return sb.String(), true
}

// escapeComponent is AbstractCompositeType.escape: colons are escaped, and
// a trailing backslash or '!' gets a '!' appended.
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
