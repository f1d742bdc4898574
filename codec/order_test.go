package codec

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"math"
	"math/big"
	mrand "math/rand"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

func sign(i int) int {
	switch {
	case i < 0:
		return -1
	case i > 0:
		return 1
	}
	return 0
}

// TestCompareTable holds the orderings of Cassandra's marshal types
// (each AbstractType.compare), above all those that are not bytewise:
// signed LongType, Int32Type and TimestampType, unsigned DateType, numeric
// IntegerType and DecimalType, BooleanType, and the UUID types.
func TestCompareTable(t *testing.T) {
	f64 := func(f float64) string { return hexOf(AppendDouble(nil, f)) }
	f32 := func(f float32) string { return hexOf(AppendFloat(nil, f)) }
	i64 := func(v int64) string { return hexOf(AppendLong(nil, v)) }
	comp := Composite(Long, UTF8)
	dyn := DynamicComposite(DynamicAlias{'l', Long}, DynamicAlias{'a', Ascii}, DynamicAlias{'r', Reversed(Long)})
	tests := []struct {
		name string
		typ  Type
		a, b string
		want int
	}{
		{"bytes unsigned", Bytes, "7f", "80", -1},
		{"bytes prefix first", Bytes, "01", "0100", -1},
		{"utf8 code points", UTF8, "7a", "c3a9", -1},
		{"ascii", Ascii, "41", "61", -1},
		{"long signed", Long, i64(-1), i64(1), -1},
		{"long min", Long, i64(math.MinInt64), i64(math.MaxInt64), -1},
		{"long empty first", Long, "", i64(math.MinInt64), -1},
		{"int32 signed", Int32, "ffffffff", "00000001", -1},
		{"counter", CounterColumn, i64(-5), i64(3), -1},
		{"timestamp signed", Timestamp, i64(-1000), i64(1000), -1},
		{"date unsigned: pre-1970 after", Date, i64(-1000), i64(1000), 1},
		{"varint 0001 == 01", Integer, "0001", "01", 0},
		{"varint ff80 == 80", Integer, "ff80", "80", 0},
		{"varint -129 < -128", Integer, "ff7f", "80", -1},
		{"varint -1 < 0", Integer, "ff", "00", -1},
		{"varint 127 < 128", Integer, "7f", "0080", -1},
		{"varint long negative", Integer, "80000000000000000000", "80", -1},
		{"varint empty first", Integer, "", "80", -1},
		{"decimal 1.0 == 1.00", Decimal, "00000001 0a", "00000002 64", 0},
		{"decimal 1.5 > 1.49", Decimal, "00000001 0f", "00000002 0095", 1},
		{"decimal -1 < 0", Decimal, "00000000 ff", "00000000 00", -1},
		{"decimal 1E+3 == 1000", Decimal, "fffffffd 01", "00000000 03e8", 0},
		{"decimal tiny < 1", Decimal, "7fffffff 01", "00000000 01", -1},
		{"decimal -tiny > -1", Decimal, "7fffffff ff", "00000000 ff", 1},
		{"decimal huge > 1", Decimal, "80000001 01", "00000000 7f", 1},
		{"decimal 0 scales equal", Decimal, "7fffffff 00", "80000001 00", 0},
		{"double -0 < +0", Double, f64(math.Copysign(0, -1)), f64(0), -1},
		{"double NaN > +Inf", Double, f64(math.NaN()), f64(math.Inf(1)), 1},
		{"double NaNs equal", Double, "7ff8000000000001", "fff8000000000000", 0},
		{"double -Inf < -1", Double, f64(math.Inf(-1)), f64(-1), -1},
		{"double -2 < -1", Double, f64(-2), f64(-1), -1},
		{"float -0 < +0", Float, f32(float32(math.Copysign(0, -1))), f32(0), -1},
		{"float NaN > +Inf", Float, f32(float32(math.NaN())), f32(float32(math.Inf(1))), 1},
		{"bool false < true", Boolean, "00", "01", -1},
		{"bool trues equal", Boolean, "01", "ff", 0},
		{"bool empty first", Boolean, "", "00", -1},
		{"uuid version first", UUID, "ffffffffffff1fff8000000000000000", "00000000000040000000000000000000", -1},
		{"uuid v1 by time, not bytes", UUID, "ffffffff000010000000000000000000", "00000000000010010000000000000000", -1},
		{"uuid v1 ties unsigned", UUID, "00000001000010007f00000000000000", "00000001000010008000000000000000", -1},
		{"uuid v4 unsigned", UUID, "7fffffffffff4fff8000000000000000", "80000000000040008000000000000000", -1},
		{"timeuuid by time_hi first", TimeUUID, "ffffffffffff10008080808080808080", "00000000000010018080808080808080", -1},
		{"timeuuid by time_mid", TimeUUID, "ffffffff000110008080808080808080", "00000000000210008080808080808080", -1},
		{"timeuuid ties signed", TimeUUID, "00000001000010008080808080808080", "0000000100001000bf7f7f7f7f7f7f7f", -1},
		{"timeuuid ties signed 2", TimeUUID, "00000001000010000000000000000000", "00000001000010007f00000000000000", -1},
		{"timeuuid ties negative first", TimeUUID, "0000000100001000ff00000000000000", "00000001000010000000000000000000", -1},
		{"lexical signed msb", LexicalUUID, "80000000000000000000000000000000", "00000000000000000000000000000000", -1},
		{"lexical signed lsb", LexicalUUID, "00000000000000008000000000000000", "00000000000000000000000000000000", -1},
		{"inet unsigned", InetAddress, "7f000001", "c0a80001", -1},
		{"reversed", Reversed(Long), i64(1), i64(2), 1},
		{"reversed empty first", Reversed(Long), "", i64(2), -1},
		{"reversed empty first 2", Reversed(Long), i64(2), "", 1},

		{"composite long signed", comp, "0008" + i64(-1) + "00", "0008" + i64(1) + "00", -1},
		{"composite start eoc first", comp, "0008" + i64(1) + "ff", "0008" + i64(1) + "00 0001 61 00", -1},
		{"composite shorter first", comp, "0008" + i64(1) + "00", "0008" + i64(1) + "00 0001 61 00", -1},
		{"composite end eoc last", comp, "0008" + i64(1) + "01", "0008" + i64(1) + "00 0001 61 00", 1},
		{"composite eoc signed", comp, "0008" + i64(1) + "ff", "0008" + i64(1) + "01", -1},
		{"composite equal", comp, "0008" + i64(1) + "00 0001 61 00", "0008" + i64(1) + "00 0001 61 00", 0},
		{"composite static first", comp, "ffff 0008" + i64(9) + "00", "0008" + i64(1) + "00", -1},
		{"composite empty first", comp, "", "0008" + i64(1) + "00", -1},
		{"composite reversed component", Composite(Reversed(Long)), "0008" + i64(1) + "00", "0008" + i64(2) + "00", 1},

		{"dyn same alias by value", dyn, "806c 0008" + i64(-1) + "00", "806c 0008" + i64(1) + "00", -1},
		{"dyn alias equals name", dyn, "806c 0008" + i64(1) + "00", "0008 4c6f6e6754797065 0008" + i64(1) + "00", 0},
		{"dyn by simple class name", dyn, "806c 0008" + i64(-1) + "00", "8061 0001 41 00", 1},
		{"dyn ascii before long", dyn, "8061 0001 7a 00", "806c 0008" + i64(-1) + "00", -1},
		{"dyn ReversedType after LongType", dyn, "8072 0008" + i64(1) + "00", "806c 0008" + i64(9) + "00", 1},
		{"dyn reversed values", dyn, "8072 0008" + i64(1) + "00", "8072 0008" + i64(2) + "00", 1},
		{"dyn eoc", dyn, "806c 0008" + i64(1) + "ff", "806c 0008" + i64(1) + "00", -1},
	}
	for _, tt := range tests {
		a, b := unhex(t, tt.a), unhex(t, tt.b)
		if got := sign(tt.typ.Compare(a, b)); got != tt.want {
			t.Errorf("%s: %s.Compare(%s, %s) = %d, want %d", tt.name, ShortName(tt.typ), tt.a, tt.b, got, tt.want)
		}
		if got := sign(tt.typ.Compare(b, a)); got != -tt.want {
			t.Errorf("%s: reversed arguments give %d, want %d", tt.name, got, -tt.want)
		}
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// checkOrder packs values, sorts them with typ.Compare and checks that the
// order, and the sign of every pairwise comparison, matches semantic.
func checkOrder(t *testing.T, typ Type, values []any, semantic func(a, b any) int) {
	t.Helper()
	type item struct {
		v any
		b []byte
	}
	items := make([]item, len(values))
	for i, v := range values {
		b, err := typ.Pack(v)
		if err != nil {
			t.Fatalf("%s.Pack(%v): %v", ShortName(typ), v, err)
		}
		items[i] = item{v, b}
	}
	slices.SortStableFunc(items, func(x, y item) int { return typ.Compare(x.b, y.b) })
	for i := 1; i < len(items); i++ {
		if semantic(items[i-1].v, items[i].v) > 0 {
			t.Fatalf("%s: sorted %v (%x) before %v (%x)", ShortName(typ), items[i-1].v, items[i-1].b, items[i].v, items[i].b)
		}
	}
	for i := 0; i < len(items); i += 7 {
		for j := 0; j < len(items); j += 3 {
			if got, want := sign(typ.Compare(items[i].b, items[j].b)), sign(semantic(items[i].v, items[j].v)); got != want {
				t.Fatalf("%s: Compare(%v, %v) = %d, want %d", ShortName(typ), items[i].v, items[j].v, got, want)
			}
		}
	}
}

func randInt64(r *rand.Rand) int64 {
	switch r.IntN(4) {
	case 0:
		return int64(r.Uint64())
	case 1:
		return r.Int64N(2000) - 1000
	case 2:
		return int64(r.Uint64()) >> r.UintN(64)
	}
	return []int64{0, -1, 1, math.MinInt64, math.MaxInt64, 127, 128, -128, -129}[r.IntN(9)]
}

func TestOrderRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 300
	gen := func(f func() any) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = f()
		}
		return out
	}
	cmpInt := func(a, b any) int { return cmp.Compare(a.(int64), b.(int64)) }

	checkOrder(t, Long, gen(func() any { return randInt64(r) }), cmpInt)
	checkOrder(t, CounterColumn, gen(func() any { return randInt64(r) }), cmpInt)
	checkOrder(t, Int32, gen(func() any { return int64(int32(randInt64(r))) }), cmpInt)
	checkOrder(t, Reversed(Long), gen(func() any { return randInt64(r) }), func(a, b any) int { return -cmpInt(a, b) })

	bigGen := func() any {
		v := new(big.Int).Rand(r2std(r), new(big.Int).Lsh(big.NewInt(1), uint(r.IntN(200))))
		if r.IntN(2) == 0 {
			v.Neg(v)
		}
		return v
	}
	checkOrder(t, Integer, gen(bigGen), func(a, b any) int { return a.(*big.Int).Cmp(b.(*big.Int)) })

	floats := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1, -1, math.SmallestNonzeroFloat64, math.MaxFloat64}
	fGen := func() any {
		if r.IntN(4) == 0 {
			return floats[r.IntN(len(floats))]
		}
		return math.Float64frombits(r.Uint64())
	}
	javaCmp := func(a, b any) int { return javaCompareDouble(a.(float64), b.(float64)) }
	checkOrder(t, Double, gen(fGen), javaCmp)
	checkOrder(t, Float, gen(func() any { return float32(float64(float32(fGen().(float64)))) }), func(a, b any) int {
		return javaCompareDouble(float64(a.(float32)), float64(b.(float32)))
	})

	decGen := func() any {
		return decimal.NewFromBigInt(bigGen().(*big.Int), int32(r.IntN(80)-40))
	}
	checkOrder(t, Decimal, gen(decGen), func(a, b any) int { return a.(decimal.Decimal).Cmp(b.(decimal.Decimal)) })

	checkOrder(t, Boolean, gen(func() any { return r.IntN(2) == 0 }), func(a, b any) int {
		x, y := a.(bool), b.(bool)
		if x == y {
			return 0
		}
		if !x {
			return -1
		}
		return 1
	})

	timeGen := func() any { return time.UnixMilli(randInt64(r) >> r.UintN(20)) }
	ms := func(v any) int64 { return v.(time.Time).UnixMilli() }
	checkOrder(t, Timestamp, gen(timeGen), func(a, b any) int { return cmp.Compare(ms(a), ms(b)) })
	checkOrder(t, Date, gen(timeGen), func(a, b any) int { return cmp.Compare(uint64(ms(a)), uint64(ms(b))) })

	// TimeUUID: by timestamp, then the clock and node as signed bytes.
	tuGen := func() any {
		tm := time.Unix(r.Int64N(1<<34)-(1<<33), r.Int64N(1e9))
		u, _ := RandomTimeUUID(tm)
		if r.IntN(3) == 0 {
			u, _ = LowestTimeUUID(tm)
		}
		return u
	}
	semTU := func(a, b any) int {
		x, y := a.(uuid.UUID), b.(uuid.UUID)
		if c := cmp.Compare(x.Time(), y.Time()); c != 0 {
			return c
		}
		for i := 8; i < 16; i++ {
			if c := cmp.Compare(int8(x[i]), int8(y[i])); c != 0 {
				return c
			}
		}
		return 0
	}
	checkOrder(t, TimeUUID, gen(tuGen), semTU)

	anyUUID := func() any {
		if r.IntN(2) == 0 {
			return tuGen()
		}
		var u uuid.UUID
		binary.BigEndian.PutUint64(u[:8], r.Uint64())
		binary.BigEndian.PutUint64(u[8:], r.Uint64())
		return u
	}
	checkOrder(t, LexicalUUID, gen(anyUUID), func(a, b any) int {
		x, y := a.(uuid.UUID), b.(uuid.UUID)
		if c := cmp.Compare(int64(binary.BigEndian.Uint64(x[:8])), int64(binary.BigEndian.Uint64(y[:8]))); c != 0 {
			return c
		}
		return cmp.Compare(int64(binary.BigEndian.Uint64(x[8:])), int64(binary.BigEndian.Uint64(y[8:])))
	})
	checkOrder(t, UUID, gen(anyUUID), func(a, b any) int {
		x, y := a.(uuid.UUID), b.(uuid.UUID)
		if c := cmp.Compare(x.Version(), y.Version()); c != 0 {
			return c
		}
		if x.Version() == 1 {
			if c := cmp.Compare(x.Time(), y.Time()); c != 0 {
				return c
			}
		}
		return bytes.Compare(x[:], y[:])
	})

	strGen := func() any {
		rs := make([]rune, r.IntN(5))
		for i := range rs {
			rs[i] = []rune{'a', 'z', 'é', '€', '😀', 0x7f, 0x80, 0xffff, 0x10000}[r.IntN(9)]
		}
		return string(rs)
	}
	checkOrder(t, UTF8, gen(strGen), func(a, b any) int { return slices.Compare([]rune(a.(string)), []rune(b.(string))) })

	// Composite(Long, Reversed(UTF8)): lexicographic on the tuple.
	comp := Composite(Long, Reversed(UTF8))
	checkOrder(t, comp, gen(func() any {
		tu := Tuple{int64(r.IntN(5) - 2)}
		if r.IntN(3) > 0 {
			tu = append(tu, strGen())
		}
		return tu
	}), func(a, b any) int {
		x, y := a.(Tuple), b.(Tuple)
		if c := cmp.Compare(x[0].(int64), y[0].(int64)); c != 0 {
			return c
		}
		switch {
		case len(x) == 1 && len(y) == 1:
			return 0
		case len(x) == 1:
			return -1
		case len(y) == 1:
			return 1
		}
		xs, ys := x[1].(string), y[1].(string)
		// An empty component value sorts first even reversed.
		if xs == "" || ys == "" {
			return cmp.Compare(len(xs), len(ys))
		}
		return -slices.Compare([]rune(xs), []rune(ys))
	})
}

// r2std adapts math/rand/v2 to the io-free source big.Int.Rand wants.
func r2std(r *rand.Rand) *mrand.Rand { return mrand.New(&randV1{r}) }

type randV1 struct{ r *rand.Rand }

func (s *randV1) Int63() int64 { return s.r.Int64() }
func (s *randV1) Seed(int64)   {}
