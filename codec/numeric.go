package codec

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"math"
	"math/big"
	"math/bits"
	"strings"

	"github.com/shopspring/decimal"
)

// The built-in numeric types.
var (
	// Long is LongType: signed 64-bit, big-endian.
	Long Type = longType{}
	// Int32 is Int32Type: signed 32-bit, big-endian.
	Int32 Type = int32Type{}
	// Integer is IntegerType: an arbitrary-precision varint.
	Integer Type = integerType{}
	// Double is DoubleType: IEEE 754 binary64.
	Double Type = doubleType{}
	// Float is FloatType: IEEE 754 binary32.
	Float Type = floatType{}
	// Decimal is DecimalType: a 32-bit scale and a varint unscaled value.
	Decimal Type = decimalType{}
	// Boolean is BooleanType: one byte.
	Boolean Type = booleanType{}
	// CounterColumn is CounterColumnType: a signed 64-bit counter value.
	CounterColumn Type = counterType{}
)

// compareSignedFirst is Cassandra's LongType.compareLongs (also Int32Type):
// the first byte signed, then all bytes unsigned. It orders well-formed
// values numerically and is total on any input.
func compareSignedFirst(a, b []byte) int {
	if len(a) == 0 || len(b) == 0 {
		return len(a) - len(b)
	}
	if d := int(int8(a[0])) - int(int8(b[0])); d != 0 {
		return d
	}
	return bytes.Compare(a, b)
}

// ---- LongType

type longType struct{}

func (longType) Class() string                              { return marshalPkg + "LongType" }
func (t longType) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }
func (longType) Compare(a, b []byte) int                    { return compareSignedFirst(a, b) }

func (t longType) Pack(v any) ([]byte, error) { return t.appendPack(make([]byte, 0, 8), v, NoBound) }

func (t longType) appendPack(dst []byte, v any, _ Bound) ([]byte, error) {
	if x, ok := v.(int64); ok {
		return AppendLong(dst, x), nil
	}
	x, err := toInt64(v)
	if err != nil {
		return nil, packErr(t, v, err)
	}
	return AppendLong(dst, x), nil
}

// Unpack gives an int64 (nil for empty input).
func (t longType) Unpack(b []byte) (any, error) {
	return unpackNonEmpty(t, b, DecodeLong)
}

func (t longType) Validate(b []byte) error {
	return checkWidth(t, b, 8, "Expected 8 or 0 byte long (%d)")
}

// ---- CounterColumnType

type counterType struct{}

func (counterType) Class() string                              { return marshalPkg + "CounterColumnType" }
func (t counterType) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }
func (counterType) Compare(a, b []byte) int                    { return compareSignedFirst(a, b) }

func (t counterType) Pack(v any) ([]byte, error) {
	x, err := toInt64(v)
	if err != nil {
		return nil, packErr(t, v, err)
	}
	return AppendLong(make([]byte, 0, 8), x), nil
}

// Unpack gives an int64 (nil for empty input).
func (t counterType) Unpack(b []byte) (any, error) {
	return unpackNonEmpty(t, b, DecodeLong)
}

func (t counterType) Validate(b []byte) error {
	return checkWidth(t, b, 8, "Expected 8 or 0 byte long (%d)")
}

// ---- Int32Type

type int32Type struct{}

func (int32Type) Class() string                              { return marshalPkg + "Int32Type" }
func (t int32Type) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }
func (int32Type) Compare(a, b []byte) int                    { return compareSignedFirst(a, b) }

func (t int32Type) Pack(v any) ([]byte, error) { return t.appendPack(make([]byte, 0, 4), v, NoBound) }

func (t int32Type) appendPack(dst []byte, v any, _ Bound) ([]byte, error) {
	if x, ok := v.(int32); ok {
		return AppendInt32(dst, x), nil
	}
	x, err := toInt64(v)
	if err != nil {
		return nil, packErr(t, v, err)
	}
	if x < math.MinInt32 || x > math.MaxInt32 {
		return nil, packErr(t, v, reason(ErrRange, "%d does not fit a signed 32-bit integer", x))
	}
	return AppendInt32(dst, int32(x)), nil
}

// Unpack gives an int32 (nil for empty input).
func (t int32Type) Unpack(b []byte) (any, error) {
	return unpackNonEmpty(t, b, DecodeInt32)
}

func (t int32Type) Validate(b []byte) error {
	return checkWidth(t, b, 4, "Expected 4 or 0 byte int (%d)")
}

// ---- IntegerType

type integerType struct{}

func (integerType) Class() string                              { return marshalPkg + "IntegerType" }
func (t integerType) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }
func (integerType) Validate([]byte) error                      { return nil }
func (integerType) Compare(a, b []byte) int                    { return compareVarint(a, b) }

func (t integerType) Pack(v any) ([]byte, error) { return t.appendPack(make([]byte, 0, 8), v, NoBound) }

func (t integerType) appendPack(dst []byte, v any, _ Bound) ([]byte, error) {
	small, bigv, err := toBigInt(v)
	if err != nil {
		return nil, packErr(t, v, err)
	}
	if bigv != nil {
		return AppendBigVarint(dst, bigv), nil
	}
	return AppendVarint(dst, small), nil
}

// Unpack gives a *big.Int (nil for empty input, as pycassa gives None).
func (integerType) Unpack(b []byte) (any, error) {
	if v := DecodeBigVarint(b); v != nil {
		return v, nil
	}
	return nil, nil
}

// compareVarint orders two's-complement integers of any length by value, so
// 0001 and 01 are equal, as Cassandra's IntegerType does.
func compareVarint(a, b []byte) int {
	if len(a) == 0 || len(b) == 0 {
		return len(a) - len(b)
	}
	a, b = trimVarint(a), trimVarint(b)
	na, nb := a[0]&0x80 != 0, b[0]&0x80 != 0
	if na != nb {
		if na {
			return -1
		}
		return 1
	}
	if len(a) != len(b) {
		// Minimal encodings: more bytes means larger magnitude.
		if na {
			return len(b) - len(a)
		}
		return len(a) - len(b)
	}
	return bytes.Compare(a, b)
}

// ---- DoubleType / FloatType

type doubleType struct{}

func (doubleType) Class() string                              { return marshalPkg + "DoubleType" }
func (t doubleType) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }

func (t doubleType) Pack(v any) ([]byte, error) { return t.appendPack(make([]byte, 0, 8), v, NoBound) }

func (t doubleType) appendPack(dst []byte, v any, _ Bound) ([]byte, error) {
	f, err := toFloat64(v)
	if err != nil {
		return nil, packErr(t, v, err)
	}
	return AppendDouble(dst, f), nil
}

// Unpack gives a float64 (nil for empty input).
func (t doubleType) Unpack(b []byte) (any, error) {
	return unpackNonEmpty(t, b, DecodeDouble)
}

func (t doubleType) Validate(b []byte) error {
	return checkWidth(t, b, 8, "Expected 8 or 0 byte value for a double (%d)")
}

// Compare is Java's Double.compareTo: -0.0 < +0.0, NaN above +Inf, every NaN
// equal. Malformed lengths fall back to byte order so the result is total.
func (doubleType) Compare(a, b []byte) int {
	if len(a) == 0 || len(b) == 0 {
		return len(a) - len(b)
	}
	if len(a) != 8 || len(b) != 8 {
		return bytes.Compare(a, b)
	}
	return javaCompareDouble(math.Float64frombits(binary.BigEndian.Uint64(a)), math.Float64frombits(binary.BigEndian.Uint64(b)))
}

func javaCompareDouble(x, y float64) int {
	if x < y {
		return -1
	}
	if x > y {
		return 1
	}
	// Equal or NaN: doubleToLongBits (NaN canonicalised) as signed longs.
	bx, by := javaDoubleBits(x), javaDoubleBits(y)
	switch {
	case bx < by:
		return -1
	case bx > by:
		return 1
	}
	return 0
}

func javaDoubleBits(f float64) int64 {
	if math.IsNaN(f) {
		return 0x7ff8000000000000
	}
	return int64(math.Float64bits(f))
}

type floatType struct{}

func (floatType) Class() string                              { return marshalPkg + "FloatType" }
func (t floatType) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }

// Pack rejects finite values beyond float32's range, as Python's
// struct.pack('>f') raises OverflowError; it rounds others to float32.
func (t floatType) Pack(v any) ([]byte, error) {
	if f, ok := v.(float32); ok {
		return AppendFloat(make([]byte, 0, 4), f), nil
	}
	f, err := toFloat64(v)
	if err != nil {
		return nil, packErr(t, v, err)
	}
	f32 := float32(f)
	if math.IsInf(float64(f32), 0) && !math.IsInf(f, 0) {
		return nil, packErr(t, v, reason(ErrRange, "%v is too large for a float", f))
	}
	return AppendFloat(make([]byte, 0, 4), f32), nil
}

// Unpack gives a float32 (nil for empty input).
func (t floatType) Unpack(b []byte) (any, error) {
	return unpackNonEmpty(t, b, DecodeFloat)
}

func (t floatType) Validate(b []byte) error {
	return checkWidth(t, b, 4, "Expected 4 or 0 byte value for a float (%d)")
}

// Compare is Java's Float.compareTo.
func (floatType) Compare(a, b []byte) int {
	if len(a) == 0 || len(b) == 0 {
		return len(a) - len(b)
	}
	if len(a) != 4 || len(b) != 4 {
		return bytes.Compare(a, b)
	}
	x := math.Float32frombits(binary.BigEndian.Uint32(a))
	y := math.Float32frombits(binary.BigEndian.Uint32(b))
	if x < y {
		return -1
	}
	if x > y {
		return 1
	}
	bx, by := javaFloatBits(x), javaFloatBits(y)
	switch {
	case bx < by:
		return -1
	case bx > by:
		return 1
	}
	return 0
}

func javaFloatBits(f float32) int32 {
	if f != f {
		return 0x7fc00000
	}
	return int32(math.Float32bits(f))
}

// ---- DecimalType

type decimalType struct{}

func (decimalType) Class() string                              { return marshalPkg + "DecimalType" }
func (t decimalType) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }

// Pack accepts decimal.Decimal (and a pointer to one), integers, *big.Int,
// floats (their shortest decimal form) and decimal strings.
func (t decimalType) Pack(v any) ([]byte, error) {
	var d decimal.Decimal
	switch x := v.(type) {
	case decimal.Decimal:
		d = x
	case *decimal.Decimal:
		if x == nil {
			return nil, packErr(t, v, ErrUnsupported)
		}
		d = *x
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, packErr(t, v, reason(ErrRange, "%v is not a finite number", x))
		}
		d = decimal.NewFromFloat(x)
	case float32:
		if x != x || math.IsInf(float64(x), 0) {
			return nil, packErr(t, v, reason(ErrRange, "%v is not a finite number", x))
		}
		d = decimal.NewFromFloat32(x)
	case string:
		var err error
		if d, err = decimal.NewFromString(strings.TrimSpace(x)); err != nil {
			return nil, packErr(t, v, reason(ErrMalformed, "%v", err))
		}
	default:
		small, bigv, err := toBigInt(v)
		if err != nil {
			return nil, packErr(t, v, err)
		}
		if bigv != nil {
			d = decimal.NewFromBigInt(bigv, 0)
		} else {
			d = decimal.NewFromInt(small)
		}
	}
	out, err := AppendDecimal(make([]byte, 0, 12), d)
	if err != nil {
		return nil, packErr(t, v, err)
	}
	return out, nil
}

// Unpack gives a decimal.Decimal (nil for empty input).
func (t decimalType) Unpack(b []byte) (any, error) {
	return unpackNonEmpty(t, b, DecodeDecimal)
}

func (t decimalType) Validate(b []byte) error {
	if len(b) != 0 && len(b) < 4 {
		return invalid(t, "Expected 0 or at least 4 bytes (%d)", len(b))
	}
	return nil
}

// Compare orders by numeric value (1.0 equals 1.00), as BigDecimal.compareTo.
func (decimalType) Compare(a, b []byte) int {
	if len(a) == 0 || len(b) == 0 {
		return len(a) - len(b)
	}
	if len(a) < 4 || len(b) < 4 {
		return bytes.Compare(a, b)
	}
	return compareDecimal(a, b)
}

// compareDecimal compares unscaled·10^-scale without ever building a power
// of ten larger than the inputs: values whose leading digits sit at
// different decimal positions are ordered by position alone.
func compareDecimal(a, b []byte) int {
	sa := int64(int32(binary.BigEndian.Uint32(a)))
	sb := int64(int32(binary.BigEndian.Uint32(b)))
	if sa == sb && len(a) > 4 && len(b) > 4 {
		// Same scale: the unscaled values decide; no big.Int needed.
		return compareVarint(a[4:], b[4:])
	}
	if r, ok := compareSmallDecimal(a[4:], sa, b[4:], sb); ok {
		return r
	}
	ua, ub := varintOrZero(a[4:]), varintOrZero(b[4:])
	sgnA, sgnB := ua.Sign(), ub.Sign()
	if sgnA != sgnB {
		if sgnA < sgnB {
			return -1
		}
		return 1
	}
	if sgnA == 0 {
		return 0
	}
	// Position of the leading digit: digits - scale.
	pa := int64(decimalDigits(ua)) - sa
	pb := int64(decimalDigits(ub)) - sb
	if pa != pb {
		if (pa < pb) == (sgnA > 0) {
			return -1
		}
		return 1
	}
	// Same leading position: the scale gap equals the digit-count gap,
	// which is bounded by the input sizes.
	if sa < sb {
		ua = new(big.Int).Mul(ua, new(big.Int).Exp(big.NewInt(10), big.NewInt(sb-sa), nil))
	} else if sb < sa {
		ub = new(big.Int).Mul(ub, new(big.Int).Exp(big.NewInt(10), big.NewInt(sa-sb), nil))
	}
	return ua.Cmp(ub)
}

// compareSmallDecimal handles 64-bit unscaled values whose scales differ
// by at most 19 with one 128-bit multiplication; ok is false otherwise.
func compareSmallDecimal(a []byte, sa int64, b []byte, sb int64) (int, bool) {
	x, errA := DecodeVarint(a)
	y, errB := DecodeVarint(b)
	d := sa - sb
	if len(a) == 0 || len(b) == 0 || errA != nil || errB != nil || d > 19 || d < -19 {
		return 0, false
	}
	if (x < 0) != (y < 0) {
		return cmp.Compare(x, y), true
	}
	// Bring both to the larger scale: the one with the smaller scale is
	// multiplied by 10^|d|.
	mx, my := absU64(x), absU64(y)
	var xh, xl, yh, yl uint64 = 0, mx, 0, my
	if d > 0 {
		yh, yl = bits.Mul64(my, pow10[d])
	} else if d < 0 {
		xh, xl = bits.Mul64(mx, pow10[-d])
	}
	r := 0
	switch {
	case xh != yh:
		r = cmp.Compare(xh, yh)
	default:
		r = cmp.Compare(xl, yl)
	}
	if x < 0 {
		r = -r
	}
	return r, true
}

var pow10 = func() (p [20]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

func absU64(x int64) uint64 {
	if x < 0 {
		return uint64(-(x + 1)) + 1
	}
	return uint64(x)
}

func varintOrZero(b []byte) *big.Int {
	if v := DecodeBigVarint(b); v != nil {
		return v
	}
	return new(big.Int)
}

func decimalDigits(v *big.Int) int {
	s := new(big.Int).Abs(v).Text(10)
	return len(s)
}

// ---- BooleanType

type booleanType struct{}

func (booleanType) Class() string                              { return marshalPkg + "BooleanType" }
func (t booleanType) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }

// Pack uses Python truthiness, as pycassa's bool(v): non-zero numbers and
// non-empty strings are true.
func (t booleanType) Pack(v any) ([]byte, error) { return t.appendPack(make([]byte, 0, 1), v, NoBound) }

func (t booleanType) appendPack(dst []byte, v any, _ Bound) ([]byte, error) {
	x, err := toBool(v)
	if err != nil {
		return nil, packErr(t, v, err)
	}
	return AppendBool(dst, x), nil
}

// Unpack gives a bool (nil for empty input); any non-zero byte is true.
func (t booleanType) Unpack(b []byte) (any, error) {
	return unpackNonEmpty(t, b, DecodeBool)
}

func (t booleanType) Validate(b []byte) error {
	return checkWidth(t, b, 1, "Expected 1 or 0 byte value (%d)")
}

// Compare: false < true, and every non-zero byte is the same true.
func (booleanType) Compare(a, b []byte) int {
	if len(a) == 0 || len(b) == 0 {
		return len(a) - len(b)
	}
	if a[0] == 0 {
		if b[0] == 0 {
			return 0
		}
		return -1
	}
	if b[0] == 0 {
		return 1
	}
	return 0
}
