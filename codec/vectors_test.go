package codec

import (
	"encoding/hex"
	"errors"
	"math"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	s = strings.NewReplacer(" ", "", "-", "").Replace(s)
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func bigInt(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return v
}

// TestPackVectors holds the byte layouts pycassa's marshal module
// (pycassa/marshal.py) produces for every type, composites included.
func TestPackVectors(t *testing.T) {
	ca := Composite(Long, Ascii)
	dyn := DynamicComposite(DynamicAlias{'l', Long}, DynamicAlias{'a', Ascii})
	when := time.Date(2010, 12, 11, 8, 2, 15, 0, time.UTC)
	tests := []struct {
		name  string
		typ   Type
		v     any
		bound Bound
		hex   string
	}{
		{"utf8", UTF8, "ba\u0254r", NoBound, "6261c99472"},
		{"long 1", Long, 1, NoBound, "0000000000000001"},
		{"long -1", Long, int64(-1), NoBound, "ffffffffffffffff"},
		{"long float truncates", Long, 1.7, NoBound, "0000000000000001"},
		{"int32 1", Int32, 1, NoBound, "00000001"},
		{"int32 -2", Int32, int8(-2), NoBound, "fffffffe"},
		{"double 1.5", Double, 1.5, NoBound, "3ff8000000000000"},
		{"float 1.5", Float, 1.5, NoBound, "3fc00000"},
		{"float32 1.5", Float, float32(1.5), NoBound, "3fc00000"},
		{"decimal 1.5", Decimal, decimal.RequireFromString("1.5"), NoBound, "00000001 0f"},
		{"decimal -1.5", Decimal, decimal.RequireFromString("-1.5"), NoBound, "00000001 f1"},
		{"decimal 123", Decimal, decimal.RequireFromString("123"), NoBound, "00000000 7b"},
		{"decimal 1E+3", Decimal, decimal.New(1, 3), NoBound, "fffffffd 01"},
		{"bool true", Boolean, true, NoBound, "01"},
		{"bool 0", Boolean, 0, NoBound, "00"},
		{"bool 'x'", Boolean, "x", NoBound, "01"},
		{"date aware", Date, time.Date(2012, 1, 1, 2, 0, 0, 0, time.FixedZone("", 7200)), NoBound, "000001349690d000"},
		{"date naive utc", Date, time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC), NoBound, "000001349690d000"},
		{"date 1.5 s", Date, 1.5, NoBound, "00000000000005dc"},
		{"date 1 s", Date, 1, NoBound, "00000000000003e8"},
		{"date µs truncated", Date, time.Date(2012, 3, 5, 1, 2, 3, 456789000, time.UTC), NoBound, "00000135e060a0c0"},
		{"timestamp", Timestamp, time.Date(2012, 3, 5, 1, 2, 3, 456789000, time.UTC), NoBound, "00000135e060a0c0"},
		{"timeuuid lowest", TimeUUID, when, SliceStart, "f7655d80-04fc-11e0-8080-808080808080"},
		{"timeuuid highest", TimeUUID, when, SliceFinish, "f7655d80-04fc-11e0-bf7f-7f7f7f7f7f7f"},
		{"timeuuid t=0 lowest", TimeUUID, 0, SliceStart, "13814000-1dd2-11b2-8080-808080808080"},
		{"timeuuid t=0 highest", TimeUUID, 0, SliceFinish, "13814000-1dd2-11b2-bf7f-7f7f7f7f7f7f"},
		{"timeuuid t=1.5 lowest", TimeUUID, 1.5, SliceStart, "146621c0-1dd2-11b2-8080-808080808080"},
		{"timeuuid µs lowest", TimeUUID, when.Add(123456 * time.Microsecond), SliceStart, "f7783400-04fc-11e0-8080-808080808080"},
		{"lexical uuid packs times too", LexicalUUID, when, SliceStart, "f7655d80-04fc-11e0-8080-808080808080"},
		{"uuid passes through", UUID, uuid.MustParse("f7655d80-04fc-11e0-8080-808080808080"), SliceFinish, "f7655d80-04fc-11e0-8080-808080808080"},
		{"reversed packs like base", Reversed(Long), 1, NoBound, "0000000000000001"},
		{"inet v4", InetAddress, net.ParseIP("127.0.0.1"), NoBound, "7f000001"},
		{"inet v6", InetAddress, "::1", NoBound, "00000000000000000000000000000001"},

		// CompositeType(LongType, AsciiType).
		{"comp plain", ca, Tuple{1, "ab"}, NoBound, "0008 0000000000000001 00 0002 6162 00"},
		{"comp start", ca, Tuple{1, "ab"}, SliceStart, "0008 0000000000000001 00 0002 6162 ff"},
		{"comp finish", ca, Tuple{1, "ab"}, SliceFinish, "0008 0000000000000001 00 0002 6162 01"},
		{"comp (1,) plain", ca, Tuple{1}, NoBound, "0008 0000000000000001 00"},
		{"comp (1,) start", ca, Tuple{1}, SliceStart, "0008 0000000000000001 ff"},
		{"comp (1,) finish", ca, Tuple{1}, SliceFinish, "0008 0000000000000001 01"},
		{"comp excl start", ca, Tuple{Exclusive(1)}, SliceStart, "0008 0000000000000001 01"},
		{"comp excl finish", ca, Tuple{Exclusive(1)}, SliceFinish, "0008 0000000000000001 ff"},
		{"comp incl start", ca, Tuple{Inclusive(1)}, SliceStart, "0008 0000000000000001 ff"},
		{"comp incl finish", ca, Tuple{Inclusive(1)}, SliceFinish, "0008 0000000000000001 01"},
		{"comp excl not last", ca, Tuple{Exclusive(1), "a"}, SliceStart, "0008 0000000000000001 01 0001 61 ff"},
		{"cf start (1,)", ca, Tuple{1}, SliceStart, "00080000000000000001ff"},
		{"cf finish (2,('b',False))", ca, Tuple{2, Exclusive("b")}, SliceFinish, "0008000000000000000200000162ff"},
		{"cf reversed start (2,)", ca, Tuple{2}, SliceFinish, "0008000000000000000201"},
		{"cf reversed finish (1,)", ca, Tuple{1}, SliceStart, "00080000000000000001ff"},
		{"cf columns=[(1,'a')]", ca, Tuple{1, "a"}, NoBound, "000800000000000000010000016100"},
		{"comp []any", ca, []any{int64(1), "ab"}, NoBound, "0008 0000000000000001 00 0002 6162 00"},

		// DynamicCompositeType.
		{"dyn aliases", dyn, Tuple{ByAlias('l', 1), ByAlias('a', "x")}, NoBound, "806c 0008 0000000000000001 00 8061 0001 78 00"},
		{"dyn pycassa pairs", dyn, Tuple{Tuple{"l", 1}, Tuple{"a", "x"}}, NoBound, "806c 0008 0000000000000001 00 8061 0001 78 00"},
		{"dyn names", dyn, Tuple{ByName("LongType", 1), ByName("AsciiType", "x")}, NoBound,
			"0008 4c6f6e6754797065 0008 0000000000000001 00 0009 417363696954797065 0001 78 00"},
		{"dyn types", dyn, Tuple{ByType(Long, 1), ByType(Ascii, "x")}, NoBound,
			"0008 4c6f6e6754797065 0008 0000000000000001 00 0009 417363696954797065 0001 78 00"},
		{"dyn excl start", dyn, Tuple{Exclusive(ByAlias('l', 1))}, SliceStart, "806c00080000000000000001 01"},
		{"dyn finish", dyn, Tuple{ByAlias('l', 1)}, SliceFinish, "806c00080000000000000001 01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.typ.PackBound(tt.v, tt.bound)
			if err != nil {
				t.Fatal(err)
			}
			if want := unhex(t, tt.hex); hex.EncodeToString(got) != hex.EncodeToString(want) {
				t.Fatalf("got %x, want %x", got, want)
			}
			if err := tt.typ.Validate(got); err != nil && !strings.HasPrefix(tt.name, "comp excl not last") {
				t.Fatalf("packed value does not validate: %v", err)
			}
		})
	}
}

// TestVarintVectors follows pycassa's marshal.encode_int and decode_int:
// every value packs to its bytes and round-trips.
func TestVarintVectors(t *testing.T) {
	vectors := []struct{ v, hex string }{
		{"0", "00"}, {"1", "01"}, {"127", "7f"}, {"128", "0080"}, {"255", "00ff"}, {"256", "0100"},
		{"32767", "7fff"}, {"32768", "008000"}, {"65535", "00ffff"}, {"65536", "010000"},
		{"1000000", "0f4240"}, {"2147483647", "7fffffff"}, {"2147483648", "0080000000"},
		{"9223372036854775807", "7fffffffffffffff"}, {"9223372036854775808", "008000000000000000"},
		{"-1", "ff"}, {"-128", "80"}, {"-129", "ff7f"}, {"-255", "ff01"}, {"-256", "ff00"},
		{"-257", "feff"}, {"-32768", "8000"}, {"-32769", "ff7fff"}, {"-65536", "ff0000"},
		{"-65537", "feffff"}, {"-8388608", "800000"}, {"-8388609", "ff7fffff"},
		{"-2147483648", "80000000"}, {"-2147483649", "ff7fffffff"},
		{"-9223372036854775808", "8000000000000000"}, {"-12342390", "ff43ab8a"},
		{"-9223372036854775809", "ff7fffffffffffffff"}, {"18446744073709551616", "010000000000000000"},
	}
	for _, vec := range vectors {
		want := unhex(t, vec.hex)
		b := bigInt(vec.v)
		got, err := Integer.Pack(b)
		if err != nil || hex.EncodeToString(got) != vec.hex {
			t.Errorf("Pack(%s) = %x, %v; want %s", vec.v, got, err, vec.hex)
		}
		if b.IsInt64() {
			if got := AppendVarint(nil, b.Int64()); hex.EncodeToString(got) != vec.hex {
				t.Errorf("AppendVarint(%s) = %x", vec.v, got)
			}
			got, _ := Integer.Pack(b.Int64())
			if hex.EncodeToString(got) != vec.hex {
				t.Errorf("Pack(int64 %s) = %x", vec.v, got)
			}
			if d, err := DecodeVarint(want); err != nil || d != b.Int64() {
				t.Errorf("DecodeVarint(%s) = %d, %v", vec.hex, d, err)
			}
		}
		u, err := Integer.Unpack(want)
		if err != nil || u.(*big.Int).Cmp(b) != 0 {
			t.Errorf("Unpack(%s) = %v, %v; want %s", vec.hex, u, err, vec.v)
		}
	}
	if v, err := Integer.Unpack(nil); v != nil || err != nil {
		t.Errorf("Unpack(empty) = %v, %v; want nil (pycassa None)", v, err)
	}
	if got, _ := Integer.Pack(uint64(math.MaxUint64)); hex.EncodeToString(got) != "00ffffffffffffffff" {
		t.Errorf("Pack(MaxUint64) = %x", got)
	}
}

func TestDecimalRoundTrip(t *testing.T) {
	for _, s := range []string{"1.5", "-1.5", "123", "1.123456789123456789", "0", "-0.001", "123456789012345678901234567890.5"} {
		d := decimal.RequireFromString(s)
		b, err := Decimal.Pack(d)
		if err != nil {
			t.Fatal(err)
		}
		v, err := Decimal.Unpack(b)
		if err != nil || !v.(decimal.Decimal).Equal(d) || v.(decimal.Decimal).Exponent() != d.Exponent() {
			t.Errorf("%s: round trip gave %v, %v", s, v, err)
		}
	}
	v, _ := Decimal.Unpack(unhex(t, "fffffffd01"))
	if d := v.(decimal.Decimal); d.Exponent() != 3 || d.Coefficient().Int64() != 1 {
		t.Errorf("1E+3 unpacked to %v (coef %v exp %d)", d, d.Coefficient(), d.Exponent())
	}
}

func TestUnpackVectors(t *testing.T) {
	when := time.Date(2012, 3, 5, 1, 2, 3, 456000000, time.UTC)
	tests := []struct {
		typ  Type
		hex  string
		want any
	}{
		{UTF8, "6261c99472", "ba\u0254r"},
		{Long, "ffffffffffffffff", int64(-1)},
		{Int32, "fffffffe", int32(-2)},
		{Double, "3ff8000000000000", 1.5},
		{Float, "3fc00000", float32(1.5)},
		{Boolean, "02", true},
		{Boolean, "00", false},
		{Date, "00000135e060a0c0", when},
		{Timestamp, "fffffffffffffa24", time.Date(1969, 12, 31, 23, 59, 58, 500000000, time.UTC)},
		{Ascii, "6162", "ab"},
		{CounterColumn, "0000000000000005", int64(5)},
	}
	for _, tt := range tests {
		got, err := tt.typ.Unpack(unhex(t, tt.hex))
		if err != nil {
			t.Errorf("%s.Unpack(%s): %v", ShortName(tt.typ), tt.hex, err)
			continue
		}
		if wt, ok := tt.want.(time.Time); ok {
			if !got.(time.Time).Equal(wt) || got.(time.Time).Location() != time.UTC {
				t.Errorf("%s.Unpack(%s) = %v, want %v", ShortName(tt.typ), tt.hex, got, wt)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("%s.Unpack(%s) = %#v, want %#v", ShortName(tt.typ), tt.hex, got, tt.want)
		}
	}
	// Empty input gives nil for numeric, time, uuid and inet types.
	for _, typ := range []Type{Long, Int32, Integer, Double, Float, Decimal, Boolean, Date, Timestamp, UUID, TimeUUID, LexicalUUID, InetAddress, CounterColumn} {
		if v, err := typ.Unpack([]byte{}); v != nil || err != nil {
			t.Errorf("%s.Unpack(empty) = %v, %v", ShortName(typ), v, err)
		}
	}
	// Composite and dynamic composite unpack.
	v, err := Composite(Long, Ascii).Unpack(unhex(t, "0008 0000000000000001 00 0002 6162 00"))
	if err != nil || len(v.(Tuple)) != 2 || v.(Tuple)[0] != int64(1) || v.(Tuple)[1] != "ab" {
		t.Errorf("composite unpack = %v, %v", v, err)
	}
	v, err = Composite(Long, Ascii).Unpack(unhex(t, "0008 0000000000000001 ff"))
	if err != nil || len(v.(Tuple)) != 1 {
		t.Errorf("partial composite unpack = %v, %v", v, err)
	}
	if _, err := Composite(Long).Unpack(unhex(t, "0008 0000000000000001 00 0001 61 00")); !errors.Is(err, ErrMalformed) {
		t.Errorf("extra component: %v", err)
	}
	dyn := DynamicComposite(DynamicAlias{'l', Long})
	v, err = dyn.Unpack(unhex(t, "806c 0008 0000000000000001 00 0008 4c6f6e6754797065 0008 0000000000000002 00"))
	if err != nil {
		t.Fatal(err)
	}
	tu := v.(Tuple)
	if c := tu[0].(DynamicComponent); c.Alias != 'l' || c.Value != int64(1) || c.Type != Long {
		t.Errorf("dyn component 0 = %+v", c)
	}
	if c := tu[1].(DynamicComponent); c.Alias != 0 || c.Name != "LongType" || c.Value != int64(2) {
		t.Errorf("dyn component 1 = %+v", c)
	}
}

func TestTimeUUIDHelpers(t *testing.T) {
	when := time.Date(2010, 12, 11, 8, 2, 15, 0, time.UTC)
	lo, _ := LowestTimeUUID(when)
	hi, _ := HighestTimeUUID(when)
	if lo.String() != "f7655d80-04fc-11e0-8080-808080808080" || hi.String() != "f7655d80-04fc-11e0-bf7f-7f7f7f7f7f7f" {
		t.Fatalf("lowest %s highest %s", lo, hi)
	}
	if lo.Time() != hi.Time() || lo.Time() != 135113473350000000 {
		t.Errorf("times %d %d, want equal 135113473350000000", lo.Time(), hi.Time())
	}
	if got, err := TimeFromUUID(lo); err != nil || !got.Equal(when) {
		t.Errorf("TimeFromUUID = %v, %v", got, err)
	}
	if got, _ := TimeFromUUID(lo); got.Unix() != 1292054535 {
		t.Errorf("unix %d", got.Unix())
	}
	if MinTimeUUID.String() != "00000000-0000-1000-8080-808080808080" || MaxTimeUUID.String() != "ffffffff-ffff-1fff-bf7f-7f7f7f7f7f7f" {
		t.Errorf("constants %s %s", MinTimeUUID, MaxTimeUUID)
	}
	r1, _ := RandomTimeUUID(when)
	r2, _ := RandomTimeUUID(when)
	if r1 == r2 || r1.Version() != 1 || r1.Variant() != uuid.RFC4122 || r1.Time() != lo.Time() {
		t.Errorf("random %s %s", r1, r2)
	}
	if TimeUUID.Compare(lo[:], r1[:]) >= 0 || TimeUUID.Compare(r1[:], hi[:]) >= 0 {
		t.Errorf("random %s not between lowest and highest", r1)
	}
	if _, err := TimeFromUUID(uuid.New()); err == nil {
		t.Error("TimeFromUUID(v4) should fail")
	}
	// Packing a time outside a slice gives a random v1 UUID of that instant.
	b, err := TimeUUID.Pack(when)
	if err != nil || b[6]>>4 != 1 {
		t.Fatalf("%x %v", b, err)
	}
	u, _ := DecodeUUID(b)
	if got, _ := TimeFromUUID(u); !got.Equal(when) {
		t.Errorf("packed time %v", got)
	}
	// Sub-microsecond parts are dropped; 100 ns precision comes back.
	tm := time.Date(2020, 1, 2, 3, 4, 5, 123456789, time.UTC)
	u, _ = LowestTimeUUID(tm)
	if got, _ := TimeFromUUID(u); !got.Equal(tm.Truncate(time.Microsecond)) {
		t.Errorf("TimeFromUUID = %v", got)
	}
	// The lowest and highest constants bound every v1 UUID.
	if TimeUUID.Compare(MinTimeUUID[:], lo[:]) >= 0 || TimeUUID.Compare(hi[:], MaxTimeUUID[:]) >= 0 {
		t.Error("constants do not bound")
	}
	pre := time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := LowestTimeUUID(pre); !errors.Is(err, ErrRange) {
		t.Errorf("1500: %v", err)
	}
}

// TestLegacyDates is pycassa's types.OldPycassaDateType and
// IntermediateDateType (TestDateTypes.test_compatibility).
func TestLegacyDates(t *testing.T) {
	when := time.Date(2012, 3, 5, 1, 2, 3, 456789000, time.UTC)
	old, err := OldPycassaDate.Pack(when)
	if err != nil || hex.EncodeToString(old) != "0004ba747973f115" {
		t.Fatalf("old pack = %x, %v", old, err)
	}
	if v, _ := OldPycassaDate.Unpack(old); !v.(time.Time).Equal(when) {
		t.Errorf("old round trip %v", v)
	}
	// Intermediate reads old data...
	if v, _ := IntermediateDate.Unpack(old); !v.(time.Time).Equal(when) {
		t.Errorf("intermediate read of old data %v", v)
	}
	// ...writes milliseconds, which Date reads.
	mid, _ := IntermediateDate.Pack(when)
	if hex.EncodeToString(mid) != "00000135e060a0c0" {
		t.Errorf("intermediate pack %x", mid)
	}
	if v, _ := Date.Unpack(mid); !v.(time.Time).Equal(when.Truncate(time.Millisecond)) {
		t.Errorf("date read %v", v)
	}
	if v, _ := IntermediateDate.Unpack(mid); !v.(time.Time).Equal(when.Truncate(time.Millisecond)) {
		t.Errorf("intermediate read %v", v)
	}
}
