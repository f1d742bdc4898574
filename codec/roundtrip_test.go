package codec

import (
	"bytes"
	"errors"
	"math"
	"math/big"
	"net"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

type (
	myInt    int64
	myUint8  uint8
	myFloat  float64
	myString string
	myBytes  []byte
	myBool   bool
)

// TestRoundTrip packs every accepted Go value kind and checks the natural
// value Unpack gives back.
func TestRoundTrip(t *testing.T) {
	when := time.Date(2012, 3, 5, 1, 2, 3, 456000000, time.UTC)
	u := uuid.MustParse("f7655d80-04fc-11e0-8080-808080808080")
	v4 := uuid.MustParse("6ba7b810-9dad-41d1-80b4-00c04fd430c8")
	big1 := bigInt("123456789012345678901234567890")
	pi, ps, pf := ptr(int64(6)), ptr("p"), ptr(1.5)
	tests := []struct {
		typ  Type
		in   any
		want any
	}{
		{Long, pi, int64(6)}, {Long, &pi, int64(6)}, {UTF8, ps, "p"}, {Date, pf, time.UnixMilli(1500).UTC()},
		{Double, pf, 1.5}, {Boolean, ptr(true), true}, {Integer, pi, big.NewInt(6)},
		{Long, int(-5), int64(-5)}, {Long, int8(-5), int64(-5)}, {Long, int16(-5), int64(-5)},
		{Long, int32(-5), int64(-5)}, {Long, int64(math.MinInt64), int64(math.MinInt64)},
		{Long, uint(5), int64(5)}, {Long, uint8(5), int64(5)}, {Long, uint16(5), int64(5)},
		{Long, uint32(math.MaxUint32), int64(math.MaxUint32)}, {Long, uint64(math.MaxInt64), int64(math.MaxInt64)},
		{Long, float32(-2.5), int64(-2)}, {Long, 3.0, int64(3)}, {Long, big.NewInt(-7), int64(-7)},
		{Long, *big.NewInt(7), int64(7)}, {Long, decimal.NewFromInt(9), int64(9)},
		{Long, myInt(11), int64(11)}, {Long, myUint8(12), int64(12)}, {Long, myFloat(13.9), int64(13)},
		{CounterColumn, 42, int64(42)},
		{Int32, math.MinInt32, int32(math.MinInt32)}, {Int32, uint16(65535), int32(65535)}, {Int32, myInt(-3), int32(-3)},
		{Integer, 0, big.NewInt(0)}, {Integer, uint64(math.MaxUint64), new(big.Int).SetUint64(math.MaxUint64)},
		{Integer, big1, big1}, {Integer, *big1, big1}, {Integer, new(big.Int).Neg(big1), new(big.Int).Neg(big1)},
		{Integer, int8(-128), big.NewInt(-128)}, {Integer, 1e20, bigInt("100000000000000000000")},
		{Integer, decimal.RequireFromString("123456789012345678901234567890"), big1},
		{Double, 1.5, 1.5}, {Double, float32(1.5), 1.5}, {Double, 3, 3.0}, {Double, myFloat(2.25), 2.25},
		{Double, math.Inf(-1), math.Inf(-1)}, {Double, decimal.RequireFromString("0.5"), 0.5},
		{Float, float32(1.5), float32(1.5)}, {Float, 0.1, float32(0.1)}, {Float, -7, float32(-7)},
		{Decimal, decimal.RequireFromString("-0.001"), decimal.RequireFromString("-0.001")},
		{Decimal, 42, decimal.NewFromInt(42)}, {Decimal, big1, decimal.NewFromBigInt(big1, 0)},
		{Decimal, "1.25", decimal.RequireFromString("1.25")}, {Decimal, 0.5, decimal.RequireFromString("0.5")},
		{Boolean, true, true}, {Boolean, false, false}, {Boolean, 2, true}, {Boolean, 0.0, false},
		{Boolean, "", false}, {Boolean, myBool(true), true},
		{Date, when, when}, {Date, &when, when}, {Date, 1, time.Unix(1, 0).UTC()},
		{Date, -1.5, time.Date(1969, 12, 31, 23, 59, 58, 500000000, time.UTC)},
		{Date, myFloat(1.5), time.UnixMilli(1500).UTC()}, {Date, myInt(2), time.Unix(2, 0).UTC()},
		{Timestamp, when.In(time.FixedZone("", -3600)), when},
		{Timestamp, time.UnixMilli(math.MaxInt64), time.UnixMilli(math.MaxInt64).UTC()},
		{Timestamp, time.UnixMilli(math.MinInt64), time.UnixMilli(math.MinInt64).UTC()},
		{UUID, v4, v4}, {UUID, [16]byte(v4), v4}, {UUID, v4[:], v4}, {UUID, v4.String(), v4}, {UUID, &v4, v4},
		{TimeUUID, u, u}, {LexicalUUID, u.String(), u},
		{InetAddress, net.ParseIP("10.1.2.3"), net.IP{10, 1, 2, 3}},
		{InetAddress, net.ParseIP("2001:db8::1"), net.ParseIP("2001:db8::1")},
		{InetAddress, netip.MustParseAddr("::ffff:10.1.2.3"), net.IP{10, 1, 2, 3}},
		{InetAddress, []byte{1, 2, 3, 4}, net.IP{1, 2, 3, 4}},
		{Bytes, []byte{0, 0xff}, []byte{0, 0xff}}, {Bytes, "ab", []byte("ab")}, {Bytes, myBytes{1}, []byte{1}},
		{Bytes, []byte{}, []byte{}},
		{UTF8, "ba\u0254r", "ba\u0254r"}, {UTF8, []byte("x"), "x"}, {UTF8, myString("y"), "y"}, {UTF8, "", ""},
		{Ascii, "abc", "abc"}, {Ascii, myString("q"), "q"},
		{Reversed(UTF8), "z", "z"},
		{Composite(Long, UTF8), Tuple{1, "a"}, Tuple{int64(1), "a"}},
		{Composite(Long, UTF8), []any{int32(1)}, Tuple{int64(1)}},
		{Composite(Long), int64(3), Tuple{int64(3)}},
		{Composite(Long, UTF8), Tuple{}, Tuple{}},
		{Composite(Composite(Long, Ascii), Reversed(TimeUUID)), Tuple{Tuple{1, "x"}, u}, Tuple{Tuple{int64(1), "x"}, u}},
	}
	for _, tt := range tests {
		b, err := tt.typ.Pack(tt.in)
		if err != nil {
			t.Errorf("%s.Pack(%T %v): %v", ShortName(tt.typ), tt.in, tt.in, err)
			continue
		}
		if err := tt.typ.Validate(b); err != nil {
			t.Errorf("%s.Pack(%v) gave invalid bytes %x: %v", ShortName(tt.typ), tt.in, b, err)
		}
		got, err := tt.typ.Unpack(b)
		if err != nil {
			t.Errorf("%s.Unpack(%x): %v", ShortName(tt.typ), b, err)
			continue
		}
		if !sameValue(got, tt.want) {
			t.Errorf("%s: %T %v -> %x -> %T %v, want %T %v", ShortName(tt.typ), tt.in, tt.in, b, got, got, tt.want, tt.want)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func sameValue(a, b any) bool {
	switch x := a.(type) {
	case *big.Int:
		y, ok := b.(*big.Int)
		return ok && x.Cmp(y) == 0
	case decimal.Decimal:
		y, ok := b.(decimal.Decimal)
		return ok && x.Equal(y)
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y) && x.Location() == time.UTC
	case net.IP:
		y, ok := b.(net.IP)
		return ok && bytes.Equal(x, y)
	case Tuple:
		y, ok := b.(Tuple)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

func TestDynamicRoundTrip(t *testing.T) {
	d := DynamicComposite(DynamicAlias{'l', Long}, DynamicAlias{'s', UTF8})
	in := Tuple{ByAlias('l', 1), ByType(Reversed(UTF8), "x"), ByName("org.apache.cassandra.db.marshal.Int32Type", 3), Tuple{"s", "y"}}
	b, err := d.Pack(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Validate(b); err != nil {
		t.Fatal(err)
	}
	v, err := d.Unpack(b)
	if err != nil {
		t.Fatal(err)
	}
	got := v.(Tuple)
	want := []DynamicComponent{
		{Alias: 'l', Type: Long, Value: int64(1)},
		{Name: "ReversedType(UTF8Type)", Value: "x"},
		{Name: "org.apache.cassandra.db.marshal.Int32Type", Type: Int32, Value: int32(3)},
		{Alias: 's', Type: UTF8, Value: "y"},
	}
	for i, w := range want {
		c := got[i].(DynamicComponent)
		if c.Alias != w.Alias || c.Name != w.Name || c.Value != w.Value || (w.Type != nil && c.Type != w.Type) {
			t.Errorf("component %d = %+v, want %+v", i, c, w)
		}
	}
	// The written names parse back to the same types.
	if got[1].(DynamicComponent).Type.Class() != Reversed(UTF8).Class() {
		t.Errorf("type of component 1 = %s", got[1].(DynamicComponent).Type.Class())
	}
}

// TestBoundPacking: TimeUUID components of a composite slice end keep the
// end inclusive or exclusive; a Reversed type swaps the bound.
func TestBoundPacking(t *testing.T) {
	when := time.Date(2010, 12, 11, 8, 2, 15, 0, time.UTC)
	lo, _ := LowestTimeUUID(when)
	hi, _ := HighestTimeUUID(when)
	c := Composite(TimeUUID)
	tests := []struct {
		typ   Type
		v     any
		bound Bound
		want  []byte
	}{
		{c, Tuple{when}, SliceStart, append(append([]byte{0, 16}, lo[:]...), 0xff)},
		{c, Tuple{when}, SliceFinish, append(append([]byte{0, 16}, hi[:]...), 0x01)},
		{c, Tuple{Exclusive(when)}, SliceStart, append(append([]byte{0, 16}, hi[:]...), 0x01)},
		{c, Tuple{Exclusive(when)}, SliceFinish, append(append([]byte{0, 16}, lo[:]...), 0xff)},
		{Reversed(TimeUUID), when, SliceStart, hi[:]},
		{Reversed(TimeUUID), when, SliceFinish, lo[:]},
	}
	for i, tt := range tests {
		got, err := tt.typ.PackBound(tt.v, tt.bound)
		if err != nil || !bytes.Equal(got, tt.want) {
			t.Errorf("%d: %x, %v; want %x", i, got, err, tt.want)
		}
	}
}

func TestFixedHelpers(t *testing.T) {
	if _, err := DecodeLong([]byte{1}); !errors.Is(err, ErrLength) {
		t.Error(err)
	}
	if _, err := DecodeVarint(unhex(t, "0100000000000000000000")); !errors.Is(err, ErrRange) {
		t.Error(err)
	}
	if v, err := DecodeVarint(unhex(t, "ffffffffffffffffff80")); err != nil || v != -128 {
		t.Error(v, err)
	}
	b, err := AppendTimestamp(nil, time.Unix(1, 0))
	if err != nil || !bytes.Equal(b, unhex(t, "00000000000003e8")) {
		t.Error(b, err)
	}
	if _, err := AppendTimestamp(nil, time.Unix(math.MaxInt64/1000+1, 0)); !errors.Is(err, ErrRange) {
		t.Error(err)
	}
	if _, err := AppendTimestamp(nil, time.UnixMilli(math.MinInt64).Add(-time.Millisecond)); !errors.Is(err, ErrRange) {
		t.Error(err)
	}
	if d, err := DecodeTimestamp(AppendLong(nil, -1500)); err != nil || !d.Equal(time.UnixMilli(-1500)) {
		t.Error(d, err)
	}
	if v, err := DecodeDecimal(unhex(t, "00000002")); err != nil || !v.IsZero() {
		t.Error(v, err)
	}
	for _, f := range []func() error{
		func() error { _, err := DecodeInt32(nil); return err },
		func() error { _, err := DecodeDouble(nil); return err },
		func() error { _, err := DecodeFloat(nil); return err },
		func() error { _, err := DecodeBool(nil); return err },
		func() error { _, err := DecodeUUID(nil); return err },
		func() error { _, err := DecodeVarint(nil); return err },
		func() error { _, err := DecodeDecimal(nil); return err },
	} {
		if err := f(); !errors.Is(err, ErrLength) {
			t.Errorf("empty input: %v", err)
		}
	}
}
