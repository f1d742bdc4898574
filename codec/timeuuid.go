package codec

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"time"

	"github.com/google/uuid"
)

// The built-in time and UUID types.
var (
	// Date is DateType (deprecated in Cassandra): milliseconds since the
	// epoch, ordered as unsigned bytes, so pre-1970 dates sort last.
	Date Type = dateType{signed: false}
	// Timestamp is TimestampType: the same bytes as Date, ordered signed.
	Timestamp Type = dateType{signed: true}
	// UUID is UUIDType: any UUID, ordered by version, then time for v1.
	UUID Type = uuidType{kind: uuidAny}
	// TimeUUID is TimeUUIDType: version 1 UUIDs ordered by time.
	TimeUUID Type = uuidType{kind: uuidTime}
	// LexicalUUID is LexicalUUIDType: UUIDs ordered as two signed longs.
	LexicalUUID Type = uuidType{kind: uuidLexical}
)

// ---- DateType / TimestampType

type dateType struct{ signed bool }

func (t dateType) Class() string {
	if t.signed {
		return marshalPkg + "TimestampType"
	}
	return marshalPkg + "DateType"
}

func (t dateType) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }

// Pack writes a time.Time as milliseconds; plain numbers are seconds (as in
// pycassa: 1.5 packs to 1500 ms).
func (t dateType) Pack(v any) ([]byte, error) { return t.appendPack(make([]byte, 0, 8), v, NoBound) }

func (t dateType) appendPack(dst []byte, v any, b Bound) ([]byte, error) {
	var ms int64
	switch x := v.(type) {
	case time.Time:
		var err error
		if ms, err = unixMilli(x); err != nil {
			return nil, packErr(t, v, err)
		}
	case *time.Time:
		if x == nil {
			return nil, packErr(t, v, ErrUnsupported)
		}
		return t.appendPack(dst, *x, b)
	default:
		if i, err := toInt64(v); err == nil && !isFloat(v) {
			if i > math.MaxInt64/1000 || i < math.MinInt64/1000 {
				return nil, packErr(t, v, reason(ErrRange, "%d seconds do not fit 64-bit milliseconds", i))
			}
			ms = i * 1000
			break
		}
		f, err := toFloat64(v)
		if err != nil {
			return nil, packErr(t, v, err)
		}
		if ms, err = floatToInt64(f * 1000); err != nil {
			return nil, packErr(t, v, err)
		}
	}
	return AppendLong(dst, ms), nil
}

func isFloat(v any) bool {
	switch v.(type) {
	case float32, float64:
		return true
	case int, int64, int32, time.Time:
		return false
	}
	k := indirect(v).Kind()
	return k == reflect.Float32 || k == reflect.Float64
}

// Unpack gives a UTC time.Time with millisecond precision (nil for empty input).
func (t dateType) Unpack(b []byte) (any, error) {
	return unpackNonEmpty(t, b, DecodeTimestamp)
}

func (t dateType) Validate(b []byte) error {
	return checkWidth(t, b, 8, "Expected 8 or 0 byte long for date (%d)")
}

func (t dateType) Compare(a, b []byte) int {
	if t.signed {
		return compareSignedFirst(a, b)
	}
	return bytes.Compare(a, b)
}

// ---- UUIDType / TimeUUIDType / LexicalUUIDType

type uuidKind uint8

const (
	uuidAny uuidKind = iota
	uuidTime
	uuidLexical
)

type uuidType struct{ kind uuidKind }

func (t uuidType) Class() string {
	switch t.kind {
	case uuidTime:
		return marshalPkg + "TimeUUIDType"
	case uuidLexical:
		return marshalPkg + "LexicalUUIDType"
	}
	return marshalPkg + "UUIDType"
}

// Pack takes uuid.UUID, [16]byte, 16 bytes, a UUID string, or a time: a
// time.Time (or a number of seconds) becomes a version 1 UUID of that
// instant with random clock and node bits. All three UUID types pack alike,
// as in pycassa.
func (t uuidType) Pack(v any) ([]byte, error) { return t.PackBound(v, NoBound) }

// PackBound turns a time into the lowest UUID of its instant for a slice
// start and the highest for a finish (pycassa's rule, without the 900 ns
// pycassa means to add but never does).
func (t uuidType) PackBound(v any, b Bound) ([]byte, error) {
	return t.appendPack(make([]byte, 0, 16), v, b)
}

func (t uuidType) appendPack(dst []byte, v any, b Bound) ([]byte, error) {
	switch x := v.(type) {
	case uuid.UUID:
		return append(dst, x[:]...), nil
	case [16]byte:
		return append(dst, x[:]...), nil
	case []byte:
		if len(x) != 16 {
			return nil, packErr(t, v, reason(ErrLength, "a UUID has 16 bytes, not %d", len(x)))
		}
		return append(dst, x...), nil
	case string:
		u, err := uuid.Parse(x)
		if err != nil {
			return nil, packErr(t, v, reason(ErrMalformed, "%v", err))
		}
		return append(dst, u[:]...), nil
	case *uuid.UUID:
		if x == nil {
			return nil, packErr(t, v, ErrUnsupported)
		}
		return t.appendPack(dst, *x, b)
	}
	micros, err := toMicros(v)
	if err != nil {
		return nil, packErr(t, v, err)
	}
	var u uuid.UUID
	switch b {
	case SliceStart:
		u, err = timeUUID(micros, lowestClock)
	case SliceFinish:
		u, err = timeUUID(micros, highestClock)
	default:
		u, err = timeUUID(micros, randomClock())
	}
	if err != nil {
		return nil, packErr(t, v, err)
	}
	return append(dst, u[:]...), nil
}

// Unpack gives a uuid.UUID (nil for empty input).
func (t uuidType) Unpack(b []byte) (any, error) {
	return unpackNonEmpty(t, b, DecodeUUID)
}

func (t uuidType) Validate(b []byte) error {
	if len(b) != 16 && len(b) != 0 {
		return invalid(t, "UUID should be 16 or 0 bytes (%d)", len(b))
	}
	if t.kind == uuidTime && len(b) == 16 && b[6]&0xf0 != 0x10 {
		return invalid(t, "Invalid version for TimeUUID type.")
	}
	return nil
}

func (t uuidType) Compare(a, b []byte) int {
	if len(a) == 0 || len(b) == 0 {
		return len(a) - len(b)
	}
	if len(a) != 16 || len(b) != 16 {
		// Cassandra asserts 16 bytes; stay total on malformed input.
		return bytes.Compare(a, b)
	}
	switch t.kind {
	case uuidTime:
		return compareTimeUUID(a, b)
	case uuidLexical:
		return compareLexicalUUID(a, b)
	}
	va, vb := a[6]>>4, b[6]>>4
	if va != vb {
		return int(va) - int(vb)
	}
	if va == 1 {
		if c := cmp.Compare(uuidTimestamp(a), uuidTimestamp(b)); c != 0 {
			return c
		}
	}
	return bytes.Compare(a, b)
}

// uuidTimestamp is the 60-bit timestamp of a v1 UUID: time_hi without the
// version, then time_mid, then time_low.
func uuidTimestamp(b []byte) uint64 {
	return uint64(b[6]&0x0f)<<56 | uint64(b[7])<<48 | uint64(b[4])<<40 | uint64(b[5])<<32 |
		uint64(binary.BigEndian.Uint32(b[0:4]))
}

// compareTimeUUID orders by timestamp, then the low 8 bytes as signed bytes.
func compareTimeUUID(a, b []byte) int {
	if c := cmp.Compare(uuidTimestamp(a), uuidTimestamp(b)); c != 0 {
		return c
	}
	for i := 8; i < 16; i++ {
		if a[i] != b[i] {
			return int(int8(a[i])) - int(int8(b[i]))
		}
	}
	return 0
}

// compareLexicalUUID is java.util.UUID.compareTo: two signed longs.
func compareLexicalUUID(a, b []byte) int {
	for _, off := range [2]int{0, 8} {
		x, y := int64(binary.BigEndian.Uint64(a[off:])), int64(binary.BigEndian.Uint64(b[off:]))
		if x < y {
			return -1
		}
		if x > y {
			return 1
		}
	}
	return 0
}

// ---- TimeUUID helpers

// uuidEpochOffset is the 100 ns count from 1582-10-15 to 1970-01-01.
const uuidEpochOffset = 0x01b21dd213814000

// MinTimeUUID is pycassa's LOWEST_TIME_UUID, 00000000-0000-1000-8080-808080808080:
// the lowest version 1 UUID in TimeUUIDType order.
var MinTimeUUID = uuid.UUID{0, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80}

// MaxTimeUUID is pycassa's HIGHEST_TIME_UUID, ffffffff-ffff-1fff-bf7f-7f7f7f7f7f7f:
// the highest version 1 UUID in TimeUUIDType order.
var MaxTimeUUID = uuid.UUID{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xbf, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f}

// clockNode is bytes 8..15 of a v1 UUID: clock sequence and node.
type clockNode [8]byte

var (
	// Lowest and highest in TimeUUIDType's signed byte order.
	lowestClock  = clockNode{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80}
	highestClock = clockNode{0xbf, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f}
)

// randomClock draws 64 random bits as pycassa does: clock_seq_low is the low
// byte, clock_seq_hi the next 6 bits with the RFC 4122 variant, the node the
// top 48 bits.
func randomClock() clockNode {
	r := rand.Uint64()
	var c clockNode
	c[0] = 0x80 | byte(r>>8)&0x3f
	c[1] = byte(r)
	node := r >> 16
	for i := 0; i < 6; i++ {
		c[7-i] = byte(node >> (8 * i))
	}
	return c
}

var errUUIDTime = errors.New("time outside the range of version 1 UUIDs (1582 to 5236)")

// timeUUID builds a v1 UUID from microseconds since the Unix epoch.
func timeUUID(micros int64, c clockNode) (uuid.UUID, error) {
	var u uuid.UUID
	const maxMicros = (1<<60 - 1 - uuidEpochOffset) / 10
	const minMicros = -uuidEpochOffset / 10
	if micros > maxMicros || micros < minMicros {
		return u, reason(ErrRange, "%v", errUUIDTime)
	}
	ts := uint64(micros*10 + uuidEpochOffset)
	binary.BigEndian.PutUint32(u[0:4], uint32(ts))
	binary.BigEndian.PutUint16(u[4:6], uint16(ts>>32))
	binary.BigEndian.PutUint16(u[6:8], uint16(ts>>48)&0x0fff|0x1000)
	copy(u[8:], c[:])
	return u, nil
}

// toMicros converts a time.Time, or a number of seconds since the epoch as
// pycassa accepts, to microseconds (sub-microsecond parts are dropped).
func toMicros(v any) (int64, error) {
	switch x := v.(type) {
	case time.Time:
		s := x.Unix()
		if s > math.MaxInt64/1_000_000-1 || s < math.MinInt64/1_000_000+1 {
			return 0, reason(ErrRange, "%v", errUUIDTime)
		}
		return s*1_000_000 + int64(x.Nanosecond()/1000), nil
	case *time.Time:
		if x == nil {
			return 0, ErrUnsupported
		}
		return toMicros(*x)
	case float64:
		return floatToInt64(x * 1e6)
	case float32:
		return floatToInt64(float64(x) * 1e6)
	}
	s, err := toInt64(v)
	if err != nil {
		return 0, err
	}
	if s > math.MaxInt64/1_000_000 || s < math.MinInt64/1_000_000 {
		return 0, reason(ErrRange, "%v", errUUIDTime)
	}
	return s * 1_000_000, nil
}

// LowestTimeUUID is the lowest version 1 UUID of t's microsecond in
// TimeUUIDType order (clock and node bytes 80…80), pycassa's
// convert_time_to_uuid(t, lowest_val=True). Use it for an inclusive slice
// start. It fails only for times outside 1582–5236.
func LowestTimeUUID(t time.Time) (uuid.UUID, error) { return timeUUIDOf(t, lowestClock) }

// HighestTimeUUID is the highest version 1 UUID of t's microsecond (clock
// and node bf7f 7f…7f) with the same timestamp as LowestTimeUUID, byte for
// byte what pycassa's convert_time_to_uuid(t, lowest_val=False) gives.
func HighestTimeUUID(t time.Time) (uuid.UUID, error) { return timeUUIDOf(t, highestClock) }

// RandomTimeUUID is a version 1 UUID of t's microsecond with random clock
// and node bits (pycassa's randomize=True), what packing a time gives
// outside a slice.
func RandomTimeUUID(t time.Time) (uuid.UUID, error) { return timeUUIDOf(t, randomClock()) }

func timeUUIDOf(t time.Time, c clockNode) (uuid.UUID, error) {
	m, err := toMicros(t)
	if err != nil {
		return uuid.UUID{}, err
	}
	return timeUUID(m, c)
}

// TimeFromUUID is the instant of a version 1 UUID, to 100 ns, in UTC
// (pycassa's convert_uuid_to_time). Other versions give an error.
func TimeFromUUID(u uuid.UUID) (time.Time, error) {
	if u.Version() != 1 {
		return time.Time{}, reason(ErrMalformed, "UUID %s is version %d, not a time UUID", u, u.Version())
	}
	d := int64(uuidTimestamp(u[:])) - uuidEpochOffset
	sec, rem := d/10_000_000, d%10_000_000
	if rem < 0 {
		sec--
		rem += 10_000_000
	}
	return time.Unix(sec, rem*100).UTC(), nil
}

// ---- pycassa's legacy date encodings

// OldPycassaDate is pycassa's OldPycassaDateType (the pycassa 1.2–1.5
// format): a DateType column holding microseconds instead of milliseconds.
// It packs time.Time (or seconds) as microseconds and unpacks them with
// full microsecond precision. It orders and validates as DateType and
// reports DateType's class, since the server only sees a DateType.
var OldPycassaDate Type = legacyDateType{micros: true}

// IntermediateDate is pycassa's IntermediateDateType, for migrating from
// OldPycassaDate: it packs milliseconds like Date, and unpacks milliseconds
// unless that lands outside years 1–9999, in which case the value is read
// as old microsecond data.
var IntermediateDate Type = legacyDateType{micros: false}

type legacyDateType struct{ micros bool }

func (legacyDateType) Class() string                { return marshalPkg + "DateType" }
func (legacyDateType) Compare(a, b []byte) int      { return Date.Compare(a, b) }
func (legacyDateType) Validate(b []byte) error      { return Date.Validate(b) }
func (t legacyDateType) Pack(v any) ([]byte, error) { return t.PackBound(v, NoBound) }

func (t legacyDateType) PackBound(v any, b Bound) ([]byte, error) {
	if !t.micros {
		return Date.PackBound(v, b)
	}
	m, err := toMicros(v)
	if err != nil {
		return nil, packErr(t, v, err)
	}
	return AppendLong(make([]byte, 0, 8), m), nil
}

func (t legacyDateType) Unpack(b []byte) (any, error) {
	if len(b) == 0 {
		return nil, nil
	}
	v, err := DecodeLong(b)
	if err != nil {
		return nil, unpackErr(t, b, err)
	}
	if t.micros {
		return time.UnixMicro(v).UTC(), nil
	}
	tm := time.UnixMilli(v).UTC()
	if y := tm.Year(); y < 1 || y > 9999 {
		// Python's datetime cannot hold it: pycassa retries as microseconds.
		return time.UnixMicro(v).UTC(), nil
	}
	return tm, nil
}
