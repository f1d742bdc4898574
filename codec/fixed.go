package codec

import (
	"encoding/binary"
	"math"
	"math/big"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Allocation-free encoders and decoders for mappers and other hot paths. The
// Append functions append the encoding of v to dst and return the extended
// slice; the Decode functions reject inputs of the wrong length with an
// error matching ErrLength (they do not accept empty input: callers decide
// what an empty value means).

// AppendLong appends v as LongType: 8 bytes, big-endian two's complement.
func AppendLong(dst []byte, v int64) []byte { return binary.BigEndian.AppendUint64(dst, uint64(v)) }

// DecodeLong decodes an 8-byte LongType (or CounterColumnType) value.
func DecodeLong(b []byte) (int64, error) {
	if len(b) != 8 {
		return 0, reason(ErrLength, "need 8 bytes, have %d", len(b))
	}
	return int64(binary.BigEndian.Uint64(b)), nil
}

// AppendInt32 appends v as Int32Type: 4 bytes, big-endian.
func AppendInt32(dst []byte, v int32) []byte { return binary.BigEndian.AppendUint32(dst, uint32(v)) }

// DecodeInt32 decodes a 4-byte Int32Type value.
func DecodeInt32(b []byte) (int32, error) {
	if len(b) != 4 {
		return 0, reason(ErrLength, "need 4 bytes, have %d", len(b))
	}
	return int32(binary.BigEndian.Uint32(b)), nil
}

// AppendDouble appends v as DoubleType: IEEE 754 binary64, big-endian.
func AppendDouble(dst []byte, v float64) []byte {
	return binary.BigEndian.AppendUint64(dst, math.Float64bits(v))
}

// DecodeDouble decodes an 8-byte DoubleType value.
func DecodeDouble(b []byte) (float64, error) {
	if len(b) != 8 {
		return 0, reason(ErrLength, "need 8 bytes, have %d", len(b))
	}
	return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
}

// AppendFloat appends v as FloatType: IEEE 754 binary32, big-endian.
func AppendFloat(dst []byte, v float32) []byte {
	return binary.BigEndian.AppendUint32(dst, math.Float32bits(v))
}

// DecodeFloat decodes a 4-byte FloatType value.
func DecodeFloat(b []byte) (float32, error) {
	if len(b) != 4 {
		return 0, reason(ErrLength, "need 4 bytes, have %d", len(b))
	}
	return math.Float32frombits(binary.BigEndian.Uint32(b)), nil
}

// AppendBool appends v as BooleanType: 01 or 00.
func AppendBool(dst []byte, v bool) []byte {
	if v {
		return append(dst, 1)
	}
	return append(dst, 0)
}

// DecodeBool decodes a 1-byte BooleanType value; any non-zero byte is true.
func DecodeBool(b []byte) (bool, error) {
	if len(b) != 1 {
		return false, reason(ErrLength, "need 1 byte, have %d", len(b))
	}
	return b[0] != 0, nil
}

// AppendTimestamp appends t as DateType/TimestampType: signed milliseconds
// since the Unix epoch, 8 bytes big-endian. Sub-millisecond parts are
// dropped (rounded toward the past).
func AppendTimestamp(dst []byte, t time.Time) ([]byte, error) {
	ms, err := unixMilli(t)
	if err != nil {
		return dst, err
	}
	return AppendLong(dst, ms), nil
}

func unixMilli(t time.Time) (int64, error) {
	s, frac := t.Unix(), int64(t.Nanosecond()/1e6)
	if s < 0 && frac > 0 {
		// Keep both parts on the same side of zero so the sum cannot
		// overflow silently.
		s++
		frac -= 1000
	}
	if s <= math.MaxInt64/1000 && s >= math.MinInt64/1000 {
		base := s * 1000
		ms := base + frac
		if (frac >= 0) == (ms >= base) {
			return ms, nil
		}
	}
	return 0, reason(ErrRange, "%v is too far from 1970 for 64-bit milliseconds", t)
}

// DecodeTimestamp decodes an 8-byte DateType/TimestampType value to a UTC time.
func DecodeTimestamp(b []byte) (time.Time, error) {
	ms, err := DecodeLong(b)
	if err != nil {
		return time.Time{}, err
	}
	return time.UnixMilli(ms).UTC(), nil
}

// AppendUUID appends the 16 bytes of u.
func AppendUUID(dst []byte, u uuid.UUID) []byte { return append(dst, u[:]...) }

// DecodeUUID decodes a 16-byte UUID of any version.
func DecodeUUID(b []byte) (uuid.UUID, error) {
	var u uuid.UUID
	if len(b) != 16 {
		return u, reason(ErrLength, "need 16 bytes, have %d", len(b))
	}
	copy(u[:], b)
	return u, nil
}

// AppendVarint appends v as IntegerType: minimal big-endian two's
// complement (0 is 00, 128 is 0080, -129 is ff7f).
func AppendVarint(dst []byte, v int64) []byte {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(v))
	i := 0
	for i < 7 && ((buf[i] == 0 && buf[i+1]&0x80 == 0) || (buf[i] == 0xff && buf[i+1]&0x80 != 0)) {
		i++
	}
	return append(dst, buf[i:]...)
}

// DecodeVarint decodes a non-empty IntegerType value that fits an int64
// (sign-extension bytes are allowed); larger values give an ErrRange error.
func DecodeVarint(b []byte) (int64, error) {
	if len(b) == 0 {
		return 0, reason(ErrLength, "need at least 1 byte")
	}
	b = trimVarint(b)
	if len(b) > 8 {
		return 0, reason(ErrRange, "varint of %d significant bytes does not fit 64 bits", len(b))
	}
	v := int64(int8(b[0]))
	for _, c := range b[1:] {
		v = v<<8 | int64(c)
	}
	return v, nil
}

// AppendBigVarint appends v as IntegerType; nil is treated as 0.
func AppendBigVarint(dst []byte, v *big.Int) []byte {
	if v == nil {
		return append(dst, 0)
	}
	if v.IsInt64() {
		return AppendVarint(dst, v.Int64())
	}
	if v.Sign() > 0 {
		mag := v.Bytes()
		if mag[0]&0x80 != 0 {
			dst = append(dst, 0)
		}
		return append(dst, mag...)
	}
	// Negative: the complement of the magnitude of (-1 - v), pycassa's rule.
	y := new(big.Int).Neg(v)
	y.Sub(y, big.NewInt(1))
	mag := y.Bytes()
	if len(mag) == 0 || mag[0]&0x80 != 0 {
		dst = append(dst, 0xff)
	}
	for _, c := range mag {
		dst = append(dst, ^c)
	}
	return dst
}

// DecodeBigVarint decodes an IntegerType value of any length; empty input
// gives nil, as pycassa gives None.
func DecodeBigVarint(b []byte) *big.Int {
	if len(b) == 0 {
		return nil
	}
	if len(b) <= 8 {
		v, _ := DecodeVarint(b)
		return big.NewInt(v)
	}
	v := new(big.Int).SetBytes(b)
	if b[0]&0x80 != 0 {
		// Two's complement: subtract 2^(8·len).
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return v
}

// trimVarint drops sign-extension bytes that do not change the value.
func trimVarint(b []byte) []byte {
	for len(b) > 1 && ((b[0] == 0 && b[1]&0x80 == 0) || (b[0] == 0xff && b[1]&0x80 != 0)) {
		b = b[1:]
	}
	return b
}

// AppendDecimal appends d as DecimalType: a 4-byte signed scale (the
// negated exponent) then the unscaled value as a varint.
func AppendDecimal(dst []byte, d decimal.Decimal) ([]byte, error) {
	exp := d.Exponent()
	if exp == math.MinInt32 {
		return dst, reason(ErrRange, "exponent %d has no 32-bit scale", exp)
	}
	dst = AppendInt32(dst, -exp)
	return AppendBigVarint(dst, d.Coefficient()), nil
}

// DecodeDecimal decodes a DecimalType value of at least 4 bytes.
func DecodeDecimal(b []byte) (decimal.Decimal, error) {
	if len(b) < 4 {
		return decimal.Decimal{}, reason(ErrLength, "need at least 4 bytes, have %d", len(b))
	}
	scale := int32(binary.BigEndian.Uint32(b))
	if scale == math.MinInt32 {
		return decimal.Decimal{}, reason(ErrRange, "scale %d has no 32-bit exponent", scale)
	}
	if len(b) <= 12 {
		v, err := DecodeVarint(b[4:])
		if err == nil || len(b) == 4 {
			return decimal.New(v, -scale), nil
		}
	}
	unscaled := DecodeBigVarint(b[4:])
	if unscaled == nil {
		unscaled = new(big.Int)
	}
	return decimal.NewFromBigInt(unscaled, -scale), nil
}
