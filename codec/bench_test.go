package codec

import (
	"math/big"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

var (
	benchSink      any
	benchSinkBytes []byte
	benchSinkInt   int
)

// benchValue is a value BenchmarkPack packs and BenchmarkUnpack unpacks
// (packed first); packOnly marks inputs that only differ on the way in (an
// int for a Long, a time for a TimeUUID).
type benchValue struct {
	name     string
	typ      Type
	v        any
	packOnly bool
}

func benchValues() []benchValue {
	when := time.Date(2012, 3, 5, 1, 2, 3, 456000000, time.UTC)
	return []benchValue{
		{"Long", Long, int64(1234567), false},
		{"LongFromInt", Long, 1234567, true},
		{"Int32", Int32, int32(42), false},
		{"Integer", Integer, int64(1234567), false},
		{"IntegerBig", Integer, bigInt("123456789012345678901234567890"), true},
		{"Double", Double, 1.5, false},
		{"Float", Float, float32(1.5), false},
		{"Decimal", Decimal, decimal.RequireFromString("1234.5678"), false},
		{"Boolean", Boolean, true, false},
		{"UTF8", UTF8, "hello, world", false},
		{"Bytes", Bytes, []byte("hello, world"), false},
		{"Date", Date, when, false},
		{"UUID", UUID, uuid.MustParse("f7655d80-04fc-11e0-8080-808080808080"), false},
		{"TimeUUIDFromTime", TimeUUID, when, true},
		{"Composite", Composite(Long, UTF8), Tuple{int64(1), "ab"}, false},
	}
}

func BenchmarkPack(b *testing.B) {
	for _, c := range benchValues() {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				out, err := c.typ.Pack(c.v)
				if err != nil {
					b.Fatal(err)
				}
				benchSinkBytes = out
			}
		})
	}
}

func BenchmarkUnpack(b *testing.B) {
	for _, c := range benchValues() {
		if c.packOnly {
			continue
		}
		enc, err := c.typ.Pack(c.v)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				v, err := c.typ.Unpack(enc)
				if err != nil {
					b.Fatal(err)
				}
				benchSink = v
			}
		})
	}
}

func BenchmarkCompare(b *testing.B) {
	cases := []struct {
		name string
		typ  Type
		a, c any
	}{
		{"Long", Long, int64(-5), int64(7)},
		{"Integer", Integer, big.NewInt(-5), big.NewInt(7)},
		{"Decimal", Decimal, decimal.RequireFromString("1.50"), decimal.RequireFromString("1.5")},
		{"UTF8", UTF8, "hello", "help"},
		{"TimeUUID", TimeUUID, uuid.MustParse("f7655d80-04fc-11e0-8080-808080808080"), uuid.MustParse("f7655d80-04fc-11e0-bf7f-7f7f7f7f7f7f")},
		{"Composite", Composite(Long, UTF8), Tuple{int64(1), "ab"}, Tuple{int64(1), "ac"}},
		{"Dynamic", DynamicComposite(DynamicAlias{'l', Long}), Tuple{ByAlias('l', 1)}, Tuple{ByType(Long, 2)}},
	}
	for _, c := range cases {
		x, _ := c.typ.Pack(c.a)
		y, _ := c.typ.Pack(c.c)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchSinkInt = c.typ.Compare(x, y)
			}
		})
	}
}

// BenchmarkAppendDecode measures the allocation-free helpers.
func BenchmarkAppendDecode(b *testing.B) {
	buf := make([]byte, 0, 16)
	b.Run("AppendLong", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf = AppendLong(buf[:0], 1234567)
		}
	})
	enc := AppendLong(nil, 1234567)
	b.Run("DecodeLong", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v, _ := DecodeLong(enc)
			benchSinkInt = int(v)
		}
	})
	b.Run("AppendVarint", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf = AppendVarint(buf[:0], -129)
		}
	})
}
