package codec

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The marshal types CQL added after the Thrift era (Cassandra 2.2 to 3.10).
var (
	// SimpleDate is SimpleDateType, CQL date: 4 bytes, unsigned days with
	// 1970-01-01 at 2^31.
	SimpleDate Type = simpleDateType{}
	// Time is TimeType, CQL time: 8 bytes, nanoseconds since midnight.
	Time Type = timeType{}
	// Short is ShortType, CQL smallint: 2 bytes.
	Short Type = shortType{}
	// Byte is ByteType, CQL tinyint: 1 byte.
	Byte Type = byteType{}
	// Duration is DurationType, CQL duration: three signed vints (months,
	// days, nanoseconds).
	Duration Type = durationType{}
	// Empty is EmptyType: only the empty value. A dense COMPACT STORAGE table
	// declared without a value column has a hidden value of this type.
	Empty Type = emptyType{}
)

// dateEpoch is the SimpleDateType encoding of 1970-01-01.
const dateEpoch = 1 << 31

// ---- SimpleDateType

type simpleDateType struct{}

func (simpleDateType) Class() string                              { return marshalPkg + "SimpleDateType" }
func (t simpleDateType) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }
func (simpleDateType) Compare(a, b []byte) int                    { return bytes.Compare(a, b) }

// Pack takes a time.Time (its UTC day) or a raw uint32 day number.
func (t simpleDateType) Pack(v any) ([]byte, error) {
	switch x := v.(type) {
	case time.Time:
		days := x.UTC().Unix() / 86400
		if x.UTC().Unix() < 0 && x.UTC().Unix()%86400 != 0 {
			days--
		}
		d := days + dateEpoch
		if d < 0 || d > math.MaxUint32 {
			return nil, packErr(t, v, ErrRange)
		}
		return binary.BigEndian.AppendUint32(nil, uint32(d)), nil
	case uint32:
		return binary.BigEndian.AppendUint32(nil, x), nil
	}
	n, err := toInt64(v)
	if err != nil {
		return nil, packErr(t, v, err)
	}
	if n < 0 || n > math.MaxUint32 {
		return nil, packErr(t, v, ErrRange)
	}
	return binary.BigEndian.AppendUint32(nil, uint32(n)), nil
}

// Unpack gives the day as a time.Time at UTC midnight (nil for empty input).
func (t simpleDateType) Unpack(b []byte) (any, error) {
	return unpackNonEmpty(t, b, func(b []byte) (time.Time, error) {
		if len(b) != 4 {
			return time.Time{}, ErrLength
		}
		return dateOf(binary.BigEndian.Uint32(b)), nil
	})
}

func dateOf(d uint32) time.Time {
	return time.Unix((int64(d)-dateEpoch)*86400, 0).UTC()
}

// Validate is SimpleDateSerializer.validate.
func (t simpleDateType) Validate(b []byte) error {
	if len(b) != 4 {
		return invalid(t, "Expected 4 byte long for date (%d)", len(b))
	}
	return nil
}

// Format renders yyyy-MM-dd, as SimpleDateSerializer.toString.
func (simpleDateType) Format(b []byte) string {
	if len(b) != 4 {
		return fmt.Sprintf("%x", b)
	}
	return dateOf(binary.BigEndian.Uint32(b)).Format("2006-01-02")
}

// FromString reads yyyy-MM-dd or a raw day number.
func (t simpleDateType) FromString(s string) ([]byte, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 || n > math.MaxUint32 {
			return nil, fmt.Errorf("Unable to make unsigned int (for date) from: '%s'", s)
		}
		return binary.BigEndian.AppendUint32(nil, uint32(n)), nil
	}
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return nil, fmt.Errorf("Unable to coerce '%s' to a formatted date (long)", s)
	}
	return t.Pack(d)
}

// ---- TimeType

type timeType struct{}

func (timeType) Class() string                              { return marshalPkg + "TimeType" }
func (t timeType) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }
func (timeType) Compare(a, b []byte) int                    { return bytes.Compare(a, b) }

// Pack takes a time.Duration or integer nanoseconds since midnight.
func (t timeType) Pack(v any) ([]byte, error) {
	var n int64
	if d, ok := v.(time.Duration); ok {
		n = int64(d)
	} else {
		var err error
		if n, err = toInt64(v); err != nil {
			return nil, packErr(t, v, err)
		}
	}
	if n < 0 || n >= 86400*int64(time.Second) {
		return nil, packErr(t, v, ErrRange)
	}
	return AppendLong(nil, n), nil
}

// Unpack gives a time.Duration since midnight (nil for empty input).
func (t timeType) Unpack(b []byte) (any, error) {
	return unpackNonEmpty(t, b, func(b []byte) (time.Duration, error) {
		n, err := DecodeLong(b)
		return time.Duration(n), err
	})
}

// Validate is TimeSerializer.validate.
func (t timeType) Validate(b []byte) error {
	if len(b) != 8 {
		return invalid(t, "Expected 8 byte long for time (%d)", len(b))
	}
	return nil
}

// Format renders HH:mm:ss.nnnnnnnnn, as TimeSerializer.toString.
func (timeType) Format(b []byte) string {
	n, err := DecodeLong(b)
	if err != nil || len(b) != 8 {
		return fmt.Sprintf("%x", b)
	}
	s := n / int64(time.Second)
	return fmt.Sprintf("%02d:%02d:%02d.%09d", s/3600, s/60%60, s%60, n%int64(time.Second))
}

// ---- ShortType and ByteType

type shortType struct{}

func (shortType) Class() string                              { return marshalPkg + "ShortType" }
func (t shortType) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }
func (shortType) Compare(a, b []byte) int                    { return compareSignedFirst(a, b) }

// Pack takes any integer that fits 16 bits.
func (t shortType) Pack(v any) ([]byte, error) {
	n, err := toInt64(v)
	if err != nil {
		return nil, packErr(t, v, err)
	}
	if n < math.MinInt16 || n > math.MaxInt16 {
		return nil, packErr(t, v, ErrRange)
	}
	return binary.BigEndian.AppendUint16(nil, uint16(n)), nil
}

// Unpack gives an int16 (nil for empty input).
func (t shortType) Unpack(b []byte) (any, error) {
	return unpackNonEmpty(t, b, func(b []byte) (int16, error) {
		if len(b) != 2 {
			return 0, ErrLength
		}
		return int16(binary.BigEndian.Uint16(b)), nil
	})
}

// Validate is ShortSerializer.validate.
func (t shortType) Validate(b []byte) error {
	if len(b) != 2 {
		return invalid(t, "Expected 2 bytes for a smallint (%d)", len(b))
	}
	return nil
}

// Format renders the number.
func (shortType) Format(b []byte) string {
	if len(b) != 2 {
		return fmt.Sprintf("%x", b)
	}
	return strconv.Itoa(int(int16(binary.BigEndian.Uint16(b))))
}

type byteType struct{}

func (byteType) Class() string                              { return marshalPkg + "ByteType" }
func (t byteType) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }
func (byteType) Compare(a, b []byte) int                    { return compareSignedFirst(a, b) }

// Pack takes any integer that fits 8 bits.
func (t byteType) Pack(v any) ([]byte, error) {
	n, err := toInt64(v)
	if err != nil {
		return nil, packErr(t, v, err)
	}
	if n < math.MinInt8 || n > math.MaxInt8 {
		return nil, packErr(t, v, ErrRange)
	}
	return []byte{byte(int8(n))}, nil
}

// Unpack gives an int8 (nil for empty input).
func (t byteType) Unpack(b []byte) (any, error) {
	return unpackNonEmpty(t, b, func(b []byte) (int8, error) {
		if len(b) != 1 {
			return 0, ErrLength
		}
		return int8(b[0]), nil
	})
}

// Validate is ByteSerializer.validate.
func (t byteType) Validate(b []byte) error {
	if len(b) != 1 {
		return invalid(t, "Expected 1 byte for a tinyint (%d)", len(b))
	}
	return nil
}

// Format renders the number.
func (byteType) Format(b []byte) string {
	if len(b) != 1 {
		return fmt.Sprintf("%x", b)
	}
	return strconv.Itoa(int(int8(b[0])))
}

// ---- DurationType

// DurationValue is a CQL duration: months, days and nanoseconds, all of
// the same sign.
type DurationValue struct {
	Months, Days int32
	Nanos        int64
}

type durationType struct{}

func (durationType) Class() string                              { return marshalPkg + "DurationType" }
func (t durationType) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }
func (durationType) Compare(a, b []byte) int                    { return bytes.Compare(a, b) }

// Pack takes a DurationValue or a time.Duration (nanoseconds only).
func (t durationType) Pack(v any) ([]byte, error) {
	var d DurationValue
	switch x := v.(type) {
	case DurationValue:
		d = x
	case time.Duration:
		d.Nanos = int64(x)
	default:
		return nil, packErr(t, v, ErrUnsupported)
	}
	if !(d.Months >= 0 && d.Days >= 0 && d.Nanos >= 0) && !(d.Months <= 0 && d.Days <= 0 && d.Nanos <= 0) {
		return nil, packErr(t, v, reason(ErrRange, "months, days and nanoseconds must be all of the same sign"))
	}
	out := AppendVInt(nil, int64(d.Months))
	out = AppendVInt(out, int64(d.Days))
	return AppendVInt(out, d.Nanos), nil
}

// Unpack gives a DurationValue (nil for empty input).
func (t durationType) Unpack(b []byte) (any, error) {
	return unpackNonEmpty(t, b, func(b []byte) (DurationValue, error) {
		m, n1, ok1 := DecodeVInt(b)
		d, n2, ok2 := DecodeVInt(b[n1:])
		ns, _, ok3 := DecodeVInt(b[n1+n2:])
		if !ok1 || !ok2 || !ok3 || m != int64(int32(m)) || d != int64(int32(d)) {
			return DurationValue{}, ErrMalformed
		}
		return DurationValue{Months: int32(m), Days: int32(d), Nanos: ns}, nil
	})
}

// Validate is DurationSerializer.validate.
func (t durationType) Validate(b []byte) error {
	if len(b) < 3 {
		return invalid(t, "Expected at least 3 bytes for a duration (%d)", len(b))
	}
	m, n1, ok1 := DecodeVInt(b)
	if !ok1 {
		return invalid(t, "Expected at least 3 bytes for a duration (%d)", len(b))
	}
	if m != int64(int32(m)) {
		return invalid(t, "The duration months must be a 32 bits integer but was: %d", m)
	}
	d, n2, ok2 := DecodeVInt(b[n1:])
	if !ok2 {
		return invalid(t, "Expected at least 3 bytes for a duration (%d)", len(b))
	}
	if d != int64(int32(d)) {
		return invalid(t, "The duration days must be a 32 bits integer but was: %d", d)
	}
	ns, _, ok3 := DecodeVInt(b[n1+n2:])
	if !ok3 {
		return invalid(t, "Expected at least 3 bytes for a duration (%d)", len(b))
	}
	if !(m >= 0 && d >= 0 && ns >= 0) && !(m <= 0 && d <= 0 && ns <= 0) {
		return invalid(t, "The duration months, days and nanoseconds must be all of the same sign (%d, %d, %d)", m, d, ns)
	}
	return nil
}

// Format renders the duration as Duration.toString does, e.g. "1y2mo3d4h5m6s7ms8us9ns".
func (t durationType) Format(b []byte) string {
	v, err := t.Unpack(b)
	if err != nil || v == nil {
		return fmt.Sprintf("%x", b)
	}
	d := v.(DurationValue)
	var sb strings.Builder
	if d.Months < 0 || d.Days < 0 || d.Nanos < 0 {
		sb.WriteByte('-')
	}
	abs := func(x int64) int64 {
		if x < 0 {
			return -x
		}
		return x
	}
	unit := func(n int64, u string) {
		if n != 0 {
			sb.WriteString(strconv.FormatInt(n, 10))
			sb.WriteString(u)
		}
	}
	months, ns := abs(int64(d.Months)), abs(d.Nanos)
	unit(months/12, "y")
	unit(months%12, "mo")
	unit(abs(int64(d.Days)), "d")
	for _, u := range []struct {
		n    int64
		name string
	}{{int64(time.Hour), "h"}, {int64(time.Minute), "m"}, {int64(time.Second), "s"},
		{int64(time.Millisecond), "ms"}, {int64(time.Microsecond), "us"}, {1, "ns"}} {
		unit(ns/u.n, u.name)
		ns %= u.n
	}
	return sb.String()
}

// AppendVInt appends v as Cassandra's signed vint (VIntCoding.writeVInt):
// zig-zag encoded, then written with as many leading 1-bits in the first
// byte as extra bytes follow.
func AppendVInt(dst []byte, v int64) []byte {
	return AppendUnsignedVInt(dst, uint64(v<<1)^uint64(v>>63))
}

// AppendUnsignedVInt appends v as VIntCoding.writeUnsignedVInt.
func AppendUnsignedVInt(dst []byte, v uint64) []byte {
	extra := 0
	for extra < 8 && v>>(7*(extra+1)) != 0 {
		extra++
	}
	if extra == 8 {
		dst = append(dst, 0xff)
		return binary.BigEndian.AppendUint64(dst, v)
	}
	first := byte(0xff<<(8-extra)) | byte(v>>(8*extra))
	dst = append(dst, first)
	for i := extra - 1; i >= 0; i-- {
		dst = append(dst, byte(v>>(8*i)))
	}
	return dst
}

// DecodeVInt reads a signed vint; n is the number of bytes read.
func DecodeVInt(b []byte) (v int64, n int, ok bool) {
	u, n, ok := DecodeUnsignedVInt(b)
	return int64(u>>1) ^ -int64(u&1), n, ok
}

// DecodeUnsignedVInt reads an unsigned vint; n is the number of bytes read.
func DecodeUnsignedVInt(b []byte) (v uint64, n int, ok bool) {
	if len(b) == 0 {
		return 0, 0, false
	}
	first := b[0]
	extra := 0
	for extra < 8 && first&(0x80>>extra) != 0 {
		extra++
	}
	if len(b) < 1+extra {
		return 0, 0, false
	}
	if extra == 8 {
		return binary.BigEndian.Uint64(b[1:9]), 9, true
	}
	v = uint64(first & (0xff >> extra))
	for i := 1; i <= extra; i++ {
		v = v<<8 | uint64(b[i])
	}
	return v, 1 + extra, true
}

// ---- EmptyType

type emptyType struct{}

func (emptyType) Class() string                              { return marshalPkg + "EmptyType" }
func (t emptyType) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }
func (emptyType) Compare(a, b []byte) int                    { return 0 }

// Pack takes nil, an empty string or an empty []byte.
func (t emptyType) Pack(v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return []byte{}, nil
	case string:
		if x == "" {
			return []byte{}, nil
		}
	case []byte:
		if len(x) == 0 {
			return []byte{}, nil
		}
	}
	return nil, packErr(t, v, ErrUnsupported)
}

// Unpack gives nil.
func (t emptyType) Unpack(b []byte) (any, error) {
	if len(b) != 0 {
		return nil, unpackErr(t, b, ErrLength)
	}
	return nil, nil
}

// Validate is EmptySerializer.validate.
func (t emptyType) Validate(b []byte) error {
	if len(b) > 0 {
		return invalid(t, "EmptyType only accept empty values")
	}
	return nil
}
