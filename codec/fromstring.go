package codec

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// StringParser is implemented by user types that read their own text form
// for FromString.
type StringParser interface {
	FromString(s string) ([]byte, error)
}

// FromString encodes the text form of a value, as Cassandra's
// AbstractType.fromString does; it is the inverse of Format and what a
// shell or a schema file needs to turn "42" into a LongType column name.
// An empty string is the empty value for every type.
//
//	BytesType, CounterColumnType  hex digits (an odd count gets a leading 0)
//	AsciiType                     text of bytes 0..127
//	UTF8Type                      text
//	LongType, Int32Type,          decimal integers
//	IntegerType
//	DecimalType                   "1.50", "1E+3"
//	DoubleType, FloatType         Go float syntax, "NaN", "Infinity"
//	BooleanType                   "true" / "false", any case
//	DateType, TimestampType       "now", milliseconds, RFC 3339,
//	                              "2006-01-02 15:04[:05][.000][Z07:00]",
//	                              "2006-01-02" (UTC unless a zone is given)
//	UUID types                    a UUID; TimeUUIDType and UUIDType also
//	                              take "now" (a random v1 UUID) and the
//	                              date forms above (the lowest UUID of
//	                              that millisecond)
//	InetAddressType               a numeric IPv4 or IPv6 address
//	CompositeType                 components joined by ':', a ':' inside a
//	                              component escaped as "\:", optionally
//	                              ending ":!" or ":_" for a 1 or -1
//	                              end-of-component byte
//	DynamicCompositeType          the same with "alias@value" or
//	                              "TypeName@value" components
func FromString(t Type, s string) ([]byte, error) {
	if s == "" {
		return []byte{}, nil
	}
	out, err := fromString(t, s)
	if err != nil {
		if _, ok := err.(*Error); ok {
			return nil, err
		}
		return nil, &Error{Type: ShortName(t), Op: "parse", Value: s, Err: err}
	}
	return out, nil
}

func fromString(t Type, s string) ([]byte, error) {
	switch x := t.(type) {
	case StringParser:
		return x.FromString(s)
	case *ReversedType:
		return FromString(x.base, s)
	case *CustomType:
		if x.PackFunc != nil {
			return x.Pack(s)
		}
		return FromString(x.base(), s)
	case *CompositeType:
		return compositeFromString(s, func(i int, part string) ([]byte, Type, error) {
			if i >= len(x.types) {
				return nil, nil, reason(ErrMalformed, "more than %d components", len(x.types))
			}
			return nil, x.types[i], nil
		})
	case *DynamicCompositeType:
		return compositeFromString(s, func(_ int, part string) ([]byte, Type, error) {
			name, _, ok := strings.Cut(part, "@")
			if !ok {
				return nil, nil, reason(ErrMalformed, "component %q is not alias@value or TypeName@value", part)
			}
			if len(name) == 1 {
				if at, ok := x.byAlias[name[0]]; ok {
					return []byte{0x80, name[0]}, at, nil
				}
			}
			ct, err := Parse(name)
			if err != nil {
				return nil, nil, err
			}
			if len(name) > 0x7fff {
				return nil, nil, reason(ErrRange, "type name of %d bytes", len(name))
			}
			return append(binary.BigEndian.AppendUint16(nil, uint16(len(name))), name...), ct, nil
		})
	case bytesType, counterType:
		if len(s)%2 == 1 {
			s = "0" + s
		}
		b, err := hex.DecodeString(s)
		if err != nil {
			return nil, reason(ErrMalformed, "not hex")
		}
		return b, nil
	case asciiType:
		for i := 0; i < len(s); i++ {
			if s[i] > 127 {
				return nil, reason(ErrMalformed, "byte %d is not ASCII", i)
			}
		}
		return []byte(s), nil
	case utf8Type:
		return []byte(s), nil
	case longType:
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, numErr(t, s, err, math.MinInt64, math.MaxInt64)
		}
		return AppendLong(nil, v), nil
	case int32Type:
		v, err := strconv.ParseInt(s, 10, 32)
		if err != nil {
			return nil, numErr(t, s, err, math.MinInt32, math.MaxInt32)
		}
		return AppendInt32(nil, int32(v)), nil
	case integerType:
		v, ok := new(big.Int).SetString(s, 10)
		if !ok {
			return nil, reason(ErrMalformed, "not an integer")
		}
		return AppendBigVarint(nil, v), nil
	case decimalType:
		d, err := decimal.NewFromString(s)
		if err != nil {
			return nil, reason(ErrMalformed, "%v", err)
		}
		return AppendDecimal(nil, d)
	case doubleType, floatType:
		bits := 64
		if _, ok := t.(floatType); ok {
			bits = 32
		}
		f, err := parseJavaFloat(t, s, bits)
		if err != nil {
			return nil, err
		}
		if bits == 32 {
			return AppendFloat(nil, float32(f)), nil
		}
		return AppendDouble(nil, f), nil
	case booleanType:
		switch strings.ToLower(s) {
		case "true":
			return []byte{1}, nil
		case "false":
			return []byte{0}, nil
		}
		return nil, reason(ErrMalformed, "not true or false")
	case dateType, legacyDateType:
		tm, err := parseDate(s)
		if err != nil {
			return nil, err
		}
		return t.Pack(tm)
	case uuidType:
		if u, err := uuid.Parse(s); err == nil {
			return u[:], nil
		}
		if x.kind == uuidLexical {
			return nil, reason(ErrMalformed, "not a UUID")
		}
		if strings.EqualFold(s, "now") {
			return t.Pack(time.Now())
		}
		tm, err := parseDate(s)
		if err != nil {
			return nil, reason(ErrMalformed, "neither a UUID nor a date")
		}
		return t.PackBound(tm, SliceStart)
	case inetType:
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, reason(ErrMalformed, "%v", err)
		}
		return a.Unmap().AsSlice(), nil
	}
	return t.Pack(s)
}

// numErr is the reason an integer did not parse: out of t's range lo..hi,
// which it names, or not an integer.
func numErr(t Type, s string, err error, lo, hi int64) error {
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return reason(ErrRange, "%s is out of the range of %s (%d to %d)", s, ShortName(t), lo, hi)
	}
	return reason(ErrMalformed, "not an integer")
}

// parseJavaFloat accepts Go float syntax plus Java's "Infinity" spellings;
// a number out of range names t's largest magnitude.
func parseJavaFloat(t Type, s string, bits int) (float64, error) {
	switch s {
	case "Infinity", "+Infinity":
		return math.Inf(1), nil
	case "-Infinity":
		return math.Inf(-1), nil
	}
	f, err := strconv.ParseFloat(s, bits)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			largest := strconv.FormatFloat(math.MaxFloat64, 'g', -1, 64)
			if bits == 32 {
				largest = strconv.FormatFloat(math.MaxFloat32, 'g', -1, 32)
			}
			return 0, reason(ErrRange, "%s is out of the range of %s (±%s)", s, ShortName(t), largest)
		}
		return 0, reason(ErrMalformed, "not a number")
	}
	return f, nil
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.000Z07:00", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04Z07:00",
	"2006-01-02 15:04:05.000Z0700", "2006-01-02 15:04:05Z0700", "2006-01-02 15:04Z0700",
	"2006-01-02 15:04:05.000", "2006-01-02 15:04:05", "2006-01-02 15:04",
	"2006-01-02T15:04:05.000", "2006-01-02T15:04:05", "2006-01-02T15:04",
	"2006-01-02",
}

// parseDate reads "now", epoch milliseconds or a date in one of dateLayouts
// (UTC when no zone is given).
func parseDate(s string) (time.Time, error) {
	if strings.EqualFold(s, "now") {
		return time.Now(), nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms), nil
	}
	for _, l := range dateLayouts {
		if tm, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return tm, nil
		}
	}
	return time.Time{}, reason(ErrMalformed, "not a date")
}

// compositeFromString reads AbstractCompositeType's text form. next gives
// the header bytes and type of component i.
func compositeFromString(s string, next func(i int, part string) ([]byte, Type, error)) ([]byte, error) {
	parts := splitComposite(s)
	var out []byte
	for i, part := range parts {
		if part == "!" || part == "_" {
			if len(out) == 0 || i != len(parts)-1 {
				return nil, reason(ErrMalformed, "end marker %q must follow the last component", part)
			}
			if part == "!" {
				out[len(out)-1] = eocEnd
			} else {
				out[len(out)-1] = eocStart
			}
			break
		}
		header, t, err := next(i, part)
		if err != nil {
			return nil, err
		}
		if header != nil {
			_, part, _ = strings.Cut(part, "@")
		}
		v, err := FromString(t, unescapeComponent(part))
		if err != nil {
			return nil, componentErr(i, err)
		}
		if len(v) > maxComponent {
			return nil, reason(ErrRange, "component %d is %d bytes, more than %d", i, len(v), maxComponent)
		}
		out = append(out, header...)
		out = binary.BigEndian.AppendUint16(out, uint16(len(v)))
		out = append(out, v...)
		out = append(out, eocNone)
	}
	return out, nil
}

// splitComposite splits on ':' not preceded by '\'.
func splitComposite(s string) []string {
	var parts []string
	prev := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ':' && (i == 0 || s[i-1] != '\\') {
			parts = append(parts, s[prev:i])
			prev = i + 1
		}
	}
	return append(parts, s[prev:])
}

// unescapeComponent undoes escapeComponent.
func unescapeComponent(s string) string {
	if s == "" {
		return s
	}
	s = strings.ReplaceAll(s, `\:`, ":")
	if s[len(s)-1] == '!' {
		s = s[:len(s)-1]
	}
	return s
}
