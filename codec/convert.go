package codec

import (
	"math"
	"math/big"
	"reflect"

	"github.com/shopspring/decimal"
)

// The converters below take the common Go types through a type switch (no
// reflection, no allocation) and fall back to reflection only for named
// types such as `type UserID int64`.

// toInt64 converts any integer kind, an integral float (truncated toward
// zero as pycassa's struct.pack does), *big.Int and decimal.Decimal.
func toInt64(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case int:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case uint64:
		if x > math.MaxInt64 {
			return 0, reason(ErrRange, "%d does not fit a signed 64-bit integer", x)
		}
		return int64(x), nil
	case uint:
		if uint64(x) > math.MaxInt64 {
			return 0, reason(ErrRange, "%d does not fit a signed 64-bit integer", x)
		}
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint8:
		return int64(x), nil
	case float64:
		return floatToInt64(x)
	case float32:
		return floatToInt64(float64(x))
	case *big.Int:
		if x == nil {
			return 0, ErrUnsupported
		}
		if !x.IsInt64() {
			return 0, reason(ErrRange, "%s does not fit a signed 64-bit integer", x)
		}
		return x.Int64(), nil
	case big.Int:
		return toInt64(&x)
	case decimal.Decimal:
		if !x.IsInteger() {
			return 0, reason(ErrRange, "%s is not an integer", x)
		}
		return toInt64(x.BigInt())
	case bool, string, []byte, nil:
		return 0, ErrUnsupported
	}
	rv := indirect(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return toInt64(rv.Uint())
	case reflect.Float32, reflect.Float64:
		return floatToInt64(rv.Float())
	}
	return 0, ErrUnsupported
}

func floatToInt64(f float64) (int64, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, reason(ErrRange, "%v is not a finite number", f)
	}
	t := math.Trunc(f)
	// 2^63 is exactly representable; every float below it fits.
	if t < -9223372036854775808.0 || t >= 9223372036854775808.0 {
		return 0, reason(ErrRange, "%v does not fit a signed 64-bit integer", f)
	}
	return int64(t), nil
}

// toBigInt converts integers of any size; ok is false for int64-sized
// values, which are returned in small to spare the allocation.
func toBigInt(v any) (small int64, big_ *big.Int, err error) {
	switch x := v.(type) {
	case *big.Int:
		if x == nil {
			return 0, nil, ErrUnsupported
		}
		if x.IsInt64() {
			return x.Int64(), nil, nil
		}
		return 0, x, nil
	case big.Int:
		return toBigInt(&x)
	case uint64:
		if x > math.MaxInt64 {
			return 0, new(big.Int).SetUint64(x), nil
		}
		return int64(x), nil, nil
	case uint:
		return toBigInt(uint64(x))
	case decimal.Decimal:
		if !x.IsInteger() {
			return 0, nil, reason(ErrRange, "%s is not an integer", x)
		}
		return toBigInt(x.BigInt())
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, nil, reason(ErrRange, "%v is not a finite number", x)
		}
		t := math.Trunc(x)
		if t >= -9223372036854775808.0 && t < 9223372036854775808.0 {
			return int64(t), nil, nil
		}
		b, _ := new(big.Float).SetFloat64(t).Int(nil)
		return 0, b, nil
	case float32:
		return toBigInt(float64(x))
	}
	rv := indirect(v)
	if k := rv.Kind(); k == reflect.Uint || k == reflect.Uint64 || k == reflect.Uintptr {
		return toBigInt(rv.Uint())
	}
	i, err := toInt64(v)
	return i, nil, err
}

// toFloat64 converts floats and integers.
func toFloat64(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case float32:
		return float64(x), nil
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case int32:
		return float64(x), nil
	case int16:
		return float64(x), nil
	case int8:
		return float64(x), nil
	case uint:
		return float64(x), nil
	case uint64:
		return float64(x), nil
	case uint32:
		return float64(x), nil
	case uint16:
		return float64(x), nil
	case uint8:
		return float64(x), nil
	case decimal.Decimal:
		f, _ := x.Float64()
		return f, nil
	case *big.Int:
		if x == nil {
			return 0, ErrUnsupported
		}
		f, _ := new(big.Float).SetInt(x).Float64()
		return f, nil
	case big.Int:
		return toFloat64(&x)
	case bool, string, []byte, nil:
		return 0, ErrUnsupported
	}
	rv := indirect(v)
	switch rv.Kind() {
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(rv.Uint()), nil
	}
	return 0, ErrUnsupported
}

// toBytes accepts []byte and string (and named kinds of them); it never
// copies a []byte, so callers copy or append.
func toBytes(v any) ([]byte, string, bool) {
	switch x := v.(type) {
	case []byte:
		return x, "", true
	case string:
		return nil, x, true
	case nil, bool:
		return nil, "", false
	}
	rv := indirect(v)
	switch rv.Kind() {
	case reflect.String:
		return nil, rv.String(), true
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return rv.Bytes(), "", true
		}
	}
	return nil, "", false
}

// toBool follows Python truthiness, as pycassa's bool(v) does.
func toBool(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		return x != "", nil
	case []byte:
		return len(x) != 0, nil
	case nil:
		return false, ErrUnsupported
	}
	rv := indirect(v)
	if rv.Kind() == reflect.Bool {
		return rv.Bool(), nil
	}
	if f, err := toFloat64(v); err == nil {
		return f != 0, nil
	}
	if b, s, ok := toBytes(v); ok {
		return len(b) != 0 || s != "", nil
	}
	return false, ErrUnsupported
}

// indirect follows non-nil pointers, so *int64 and **string pack like
// their targets (mappers hold optional fields as pointers).
func indirect(v any) reflect.Value {
	rv := reflect.ValueOf(v)
	for i := 0; i < 8 && rv.Kind() == reflect.Pointer && !rv.IsNil(); i++ {
		rv = rv.Elem()
	}
	return rv
}
