package orm

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"net"
	"net/netip"
	"reflect"
	"time"
	"unsafe"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/orm/tags"
)

// Field values are read and written through their addresses, switching on
// the field's op (its Go class and marshal type), so that common types
// never pass through an interface: boxing a value per field would cost an
// allocation each time. Only types without an op of their own (composites,
// inet addresses, custom types, interface fields) take the generic route
// through codec.Type.Pack and Unpack. encode and decode are the one way
// each field is written and read.

var errNotTimeUUID = errors.New("not a version 1 (time-based) UUID, which TimeUUIDType requires")

func loadInt(p unsafe.Pointer, k reflect.Kind) int64 {
	switch k {
	case reflect.Int:
		return int64(*(*int)(p))
	case reflect.Int8:
		return int64(*(*int8)(p))
	case reflect.Int16:
		return int64(*(*int16)(p))
	case reflect.Int32:
		return int64(*(*int32)(p))
	}
	return *(*int64)(p)
}

func loadUint(p unsafe.Pointer, k reflect.Kind) uint64 {
	switch k {
	case reflect.Uint:
		return uint64(*(*uint)(p))
	case reflect.Uint8:
		return uint64(*(*uint8)(p))
	case reflect.Uint16:
		return uint64(*(*uint16)(p))
	case reflect.Uint32:
		return uint64(*(*uint32)(p))
	case reflect.Uintptr:
		return uint64(*(*uintptr)(p))
	}
	return *(*uint64)(p)
}

func loadFloat(p unsafe.Pointer, k reflect.Kind) float64 {
	if k == reflect.Float32 {
		return float64(*(*float32)(p))
	}
	return *(*float64)(p)
}

// storeInt stores v into an int field of kind k, refusing values that do
// not fit rather than truncating them.
func storeInt(p unsafe.Pointer, k reflect.Kind, v int64) error {
	switch k {
	case reflect.Int:
		if v < math.MinInt || v > math.MaxInt {
			return rangeErr(v, k)
		}
		*(*int)(p) = int(v)
	case reflect.Int8:
		if v < math.MinInt8 || v > math.MaxInt8 {
			return rangeErr(v, k)
		}
		*(*int8)(p) = int8(v)
	case reflect.Int16:
		if v < math.MinInt16 || v > math.MaxInt16 {
			return rangeErr(v, k)
		}
		*(*int16)(p) = int16(v)
	case reflect.Int32:
		if v < math.MinInt32 || v > math.MaxInt32 {
			return rangeErr(v, k)
		}
		*(*int32)(p) = int32(v)
	case reflect.Int64:
		*(*int64)(p) = v
	default:
		return fmt.Errorf("a Go %s cannot hold the integer %d: %w", k, v, codec.ErrUnsupported)
	}
	return nil
}

func storeUint(p unsafe.Pointer, k reflect.Kind, v uint64) error {
	var max uint64
	switch k {
	case reflect.Uint8:
		max = math.MaxUint8
	case reflect.Uint16:
		max = math.MaxUint16
	case reflect.Uint32:
		max = math.MaxUint32
	default:
		max = math.MaxUint64
	}
	if v > max {
		return rangeErr(v, k)
	}
	switch k {
	case reflect.Uint:
		*(*uint)(p) = uint(v)
	case reflect.Uint8:
		*(*uint8)(p) = uint8(v)
	case reflect.Uint16:
		*(*uint16)(p) = uint16(v)
	case reflect.Uint32:
		*(*uint32)(p) = uint32(v)
	case reflect.Uintptr:
		*(*uintptr)(p) = uintptr(v)
	case reflect.Uint64:
		*(*uint64)(p) = v
	default:
		return fmt.Errorf("a Go %s cannot hold the integer %d: %w", k, v, codec.ErrUnsupported)
	}
	return nil
}

func storeSigned(p unsafe.Pointer, k reflect.Kind, v int64) error {
	switch k {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if v < 0 {
			return rangeErr(v, k)
		}
		return storeUint(p, k, uint64(v))
	}
	return storeInt(p, k, v)
}

func rangeErr(v any, k reflect.Kind) error {
	return fmt.Errorf("%v does not fit a Go %s: %w", v, k, codec.ErrRange)
}

// absent reports whether the field at p has no value to write: a nil
// pointer or interface, or a nil address, composite or zero netip.Addr,
// which no marshal type can encode.
func (fp *fieldPlan) absent(p unsafe.Pointer) bool { return fp.absentAt(fp.addr(p)) }

// absentAt is absent for the field's value at a.
func (fp *fieldPlan) absentAt(a unsafe.Pointer) bool {
	if fp.ptr {
		return *(*unsafe.Pointer)(a) == nil
	}
	switch fp.f.Class {
	case tags.ClassAny:
		return reflectAt(fp.f.GoType, a).IsNil()
	case tags.ClassIP, tags.ClassTuple:
		return reflectAt(fp.f.GoType, a).Len() == 0
	case tags.ClassAddr:
		return !(*netip.Addr)(a).IsValid()
	case tags.ClassList, tags.ClassMap:
		return reflectAt(fp.f.GoType, a).IsNil()
	}
	return false
}

// empty reports whether the value at v (the field's value, never nil) is
// its type's zero value, for omitempty.
func (fp *valueCodec) empty(v unsafe.Pointer) bool {
	switch fp.op {
	case opString:
		return *(*string)(v) == ""
	case opBytes:
		return len(*(*[]byte)(v)) == 0
	case opLong, opInt32, opVarint, opCounter:
		return loadInt(v, fp.kind) == 0
	case opLongU, opInt32U, opVarintU:
		return loadUint(v, fp.kind) == 0
	case opDouble, opFloat:
		return loadFloat(v, fp.kind) == 0
	case opBool:
		return !*(*bool)(v)
	case opTime:
		return (*time.Time)(v).IsZero()
	case opUUID, opTimeUUID:
		return *(*[16]byte)(v) == [16]byte{}
	case opDecimal:
		return (*decimal.Decimal)(v).IsZero()
	case opBigInt:
		return (*big.Int)(v).Sign() == 0
	case opShort, opByte:
		if fp.class == tags.ClassUint {
			return loadUint(v, fp.kind) == 0
		}
		return loadInt(v, fp.kind) == 0
	case opList, opSet, opMap:
		return reflectAt(fp.gt, v).Len() == 0
	}
	return reflectAt(fp.gt, v).IsZero()
}

// encode appends the value at v (the field's value, never nil) packed
// with the field's type.
func (fp *valueCodec) encode(dst []byte, v unsafe.Pointer) ([]byte, error) {
	switch fp.op {
	case opString:
		return append(dst, *(*string)(v)...), nil
	case opBytes:
		return append(dst, *(*[]byte)(v)...), nil
	case opLong:
		return codec.AppendLong(dst, loadInt(v, fp.kind)), nil
	case opLongU:
		u := loadUint(v, fp.kind)
		if u > math.MaxInt64 {
			return dst, rangeErr(u, reflect.Int64)
		}
		return codec.AppendLong(dst, int64(u)), nil
	case opInt32:
		n := loadInt(v, fp.kind)
		if n < math.MinInt32 || n > math.MaxInt32 {
			return dst, rangeErr(n, reflect.Int32)
		}
		return codec.AppendInt32(dst, int32(n)), nil
	case opInt32U:
		u := loadUint(v, fp.kind)
		if u > math.MaxInt32 {
			return dst, rangeErr(u, reflect.Int32)
		}
		return codec.AppendInt32(dst, int32(u)), nil
	case opVarint:
		return codec.AppendVarint(dst, loadInt(v, fp.kind)), nil
	case opVarintU:
		u := loadUint(v, fp.kind)
		if u > math.MaxInt64 {
			return codec.AppendBigVarint(dst, new(big.Int).SetUint64(u)), nil
		}
		return codec.AppendVarint(dst, int64(u)), nil
	case opDouble:
		return codec.AppendDouble(dst, loadFloat(v, fp.kind)), nil
	case opFloat:
		f := loadFloat(v, fp.kind)
		if !math.IsInf(f, 0) && !math.IsNaN(f) && math.Abs(f) > math.MaxFloat32 {
			return dst, rangeErr(f, reflect.Float32)
		}
		return codec.AppendFloat(dst, float32(f)), nil
	case opBool:
		return codec.AppendBool(dst, *(*bool)(v)), nil
	case opTime:
		return codec.AppendTimestamp(dst, *(*time.Time)(v))
	case opUUID:
		return codec.AppendUUID(dst, *(*uuid.UUID)(v)), nil
	case opTimeUUID:
		u := *(*uuid.UUID)(v)
		if u.Version() != 1 {
			return dst, fmt.Errorf("%s is %w", u, errNotTimeUUID)
		}
		return codec.AppendUUID(dst, u), nil
	case opDecimal:
		return codec.AppendDecimal(dst, *(*decimal.Decimal)(v))
	case opBigInt:
		return codec.AppendBigVarint(dst, (*big.Int)(v)), nil
	case opCounter:
		return dst, ErrCounter
	}
	if fp.op >= opShort {
		return fp.encodeCQL(dst, v)
	}
	x := reflectAt(fp.gt, v).Interface()
	if fp.class == tags.ClassBigInt {
		x = (*big.Int)(v) // big.Int is packed through its pointer
	}
	b, err := fp.typ.Pack(x)
	if err != nil {
		return dst, err
	}
	return append(dst, b...), nil
}

// decode unpacks b into the field of the struct at p, allocating the
// pointee of a pointer field. b is owned by the mapper: []byte fields keep
// it without copying. Empty bytes of a non-text type mean no value
// (pycassa's None): the field keeps its zero value.
func (fp *fieldPlan) decode(b []byte, p unsafe.Pointer) error {
	if len(b) == 0 && fp.emptyIsNil {
		return nil
	}
	return fp.decodeValue(b, fp.target(p))
}

// decodeValue unpacks b into the value at v.
func (fp *valueCodec) decodeValue(b []byte, v unsafe.Pointer) error {
	switch fp.op {
	case opString:
		*(*string)(v) = string(b)
		return nil
	case opBytes:
		if len(b) == 0 {
			b = nil // the zero value, so an empty field reads back equal
		}
		*(*[]byte)(v) = b
		return nil
	case opLong, opLongU, opCounter:
		n, err := codec.DecodeLong(b)
		if err != nil {
			return err
		}
		if fp.kind == reflect.Int64 {
			*(*int64)(v) = n
			return nil
		}
		return storeSigned(v, fp.kind, n)
	case opInt32, opInt32U:
		n, err := codec.DecodeInt32(b)
		if err != nil {
			return err
		}
		if fp.kind == reflect.Int32 {
			*(*int32)(v) = n
			return nil
		}
		return storeSigned(v, fp.kind, int64(n))
	case opVarint:
		n, err := codec.DecodeVarint(b)
		if err != nil {
			return err
		}
		return storeSigned(v, fp.kind, n)
	case opVarintU:
		if n, err := codec.DecodeVarint(b); err == nil {
			return storeSigned(v, fp.kind, n)
		}
		bi := codec.DecodeBigVarint(b)
		if bi.Sign() < 0 || !bi.IsUint64() {
			return rangeErr(bi, fp.kind)
		}
		return storeUint(v, fp.kind, bi.Uint64())
	case opDouble:
		f, err := codec.DecodeDouble(b)
		if err != nil {
			return err
		}
		if fp.kind == reflect.Float32 {
			*(*float32)(v) = float32(f)
		} else {
			*(*float64)(v) = f
		}
		return nil
	case opFloat:
		f, err := codec.DecodeFloat(b)
		if err != nil {
			return err
		}
		if fp.kind == reflect.Float32 {
			*(*float32)(v) = f
		} else {
			*(*float64)(v) = float64(f)
		}
		return nil
	case opBool:
		x, err := codec.DecodeBool(b)
		*(*bool)(v) = x
		return err
	case opTime:
		t, err := codec.DecodeTimestamp(b)
		*(*time.Time)(v) = t
		return err
	case opUUID, opTimeUUID:
		u, err := codec.DecodeUUID(b)
		*(*uuid.UUID)(v) = u
		return err
	case opDecimal:
		d, err := codec.DecodeDecimal(b)
		*(*decimal.Decimal)(v) = d
		return err
	case opBigInt:
		(*big.Int)(v).Set(codec.DecodeBigVarint(b))
		return nil
	}
	if fp.op >= opShort {
		return fp.decodeCQL(b, v)
	}
	x, err := fp.typ.Unpack(b)
	if err != nil {
		return err
	}
	return assign(reflectAt(fp.gt, v), x)
}

// assign stores an unpacked value into a field of another (compatible)
// Go type: the generic path's last step.
func assign(dst reflect.Value, x any) error {
	if x == nil {
		dst.SetZero()
		return nil
	}
	switch y := x.(type) {
	case net.IP:
		if dst.Type() == reflect.TypeFor[netip.Addr]() {
			a, ok := netip.AddrFromSlice(y)
			if !ok {
				return fmt.Errorf("%v is not an IP address", y)
			}
			if y4 := y.To4(); y4 != nil && len(y) == 4 {
				a = netip.AddrFrom4([4]byte(y4))
			}
			dst.Set(reflect.ValueOf(a))
			return nil
		}
	case *big.Int:
		if dst.Type() == reflect.TypeFor[big.Int]() {
			dst.Addr().Interface().(*big.Int).Set(y)
			return nil
		}
	case int64:
		if dst.Type() == reflect.TypeFor[big.Int]() { // a big.Int field of a LongType column
			dst.Addr().Interface().(*big.Int).SetInt64(y)
			return nil
		}
	}
	xv := reflect.ValueOf(x)
	switch {
	case xv.Type().AssignableTo(dst.Type()):
		dst.Set(xv)
	case xv.Type().ConvertibleTo(dst.Type()) && convertible(xv.Kind(), dst.Kind()):
		dst.Set(xv.Convert(dst.Type()))
	default:
		return fmt.Errorf("cannot store a %T in a Go %s: %w", x, dst.Type(), codec.ErrUnsupported)
	}
	return nil
}

// convertible allows conversions that keep the value: same kinds, or
// slices and strings between each other; never a lossy numeric one.
func convertible(from, to reflect.Kind) bool {
	return from == to || from == reflect.Slice && to == reflect.Slice
}

// decodeCounter stores a counter total into an integer field.
func (fp *fieldPlan) decodeCounter(n int64, p unsafe.Pointer) error {
	if fp.class != tags.ClassInt && fp.class != tags.ClassUint {
		return fmt.Errorf("a counter total cannot be stored in a Go %s: %w", fp.f.GoType, codec.ErrUnsupported)
	}
	return storeSigned(fp.target(p), fp.kind, n)
}
