package validate

import (
	"math"
	"testing"

	"github.com/cassa-go/cassa/codec"
	"github.com/google/uuid"
)

// customType is a type RenderName does not know.
type customType struct{ codec.Type }

func (customType) Class() string { return "com.example.FooType" }

func mustPack(t *testing.T, typ codec.Type, v any) []byte {
	t.Helper()
	out, err := typ.Pack(v)
	if err != nil {
		t.Fatalf("pack %v: %v", v, err)
	}
	return out
}

func TestRenderName(t *testing.T) {
	u := uuid.MustParse("a4a70900-24e1-11df-8924-001ff3591711")
	dyn := codec.MustParse("DynamicCompositeType(a=>AsciiType,b=>BytesType)")
	f64 := func(v float64) []byte { return codec.AppendDouble(nil, v) }
	f32 := func(v float32) []byte { return codec.AppendFloat(nil, v) }
	cases := []struct {
		name string
		typ  codec.Type
		in   []byte
		want string
	}{
		{"nil type is bytes", nil, []byte{0xca, 0xfe}, "cafe"},
		{"bytes", codec.Bytes, []byte{0x00, 0xab}, "00ab"},
		{"bytes empty", codec.Bytes, []byte{}, ""},
		{"ascii", codec.Ascii, b("abc"), "abc"},
		{"utf8", codec.UTF8, b("héllo"), "héllo"},
		{"long", codec.Long, long(-42), "-42"},
		{"long empty", codec.Long, []byte{}, ""},
		{"long malformed", codec.Long, b("abc"), "616263"},
		{"counter", codec.CounterColumn, long(7), "0000000000000007"}, // CounterColumnType.getString is bytesToHex
		{"int32", codec.Int32, codec.AppendInt32(nil, -7), "-7"},
		{"varint", codec.Integer, []byte{0xff, 0x00}, "-256"},
		{"varint big", codec.Integer, []byte{0x01, 0, 0, 0, 0, 0, 0, 0, 0}, "18446744073709551616"},
		{"decimal", codec.Decimal, []byte{0, 0, 0, 2, 0x04, 0xd2}, "12.34"},
		{"decimal small", codec.Decimal, []byte{0, 0, 0, 5, 0x7b}, "0.00123"},
		{"decimal negative scale", codec.Decimal, []byte{0xff, 0xff, 0xff, 0xfe, 0x05}, "500"},
		{"decimal negative", codec.Decimal, []byte{0, 0, 0, 1, 0xff}, "-0.1"},
		{"decimal zero", codec.Decimal, []byte{0, 0, 0, 3, 0x00}, "0.000"},
		{"decimal absurd scale", codec.Decimal, []byte{0x7f, 0xff, 0xff, 0xff, 0x01}, "7fffffff01"},
		{"double", codec.Double, f64(1), "1.0"},
		{"double fraction", codec.Double, f64(0.1), "0.1"},
		{"double big", codec.Double, f64(1e7), "1.0E7"},
		{"double just under", codec.Double, f64(9999999), "9999999.0"},
		{"double small", codec.Double, f64(0.001), "0.001"},
		{"double smaller", codec.Double, f64(0.0001), "1.0E-4"},
		{"double digits", codec.Double, f64(-123456789.125), "-1.23456789125E8"},
		{"double nan", codec.Double, f64(math.NaN()), "NaN"},
		{"double inf", codec.Double, f64(math.Inf(-1)), "-Infinity"},
		{"double negative zero", codec.Double, f64(math.Copysign(0, -1)), "-0.0"},
		{"float", codec.Float, f32(1.1), "1.1"},
		{"float big", codec.Float, f32(3e10), "3.0E10"},
		{"boolean", codec.Boolean, []byte{2}, "true"},
		{"boolean false", codec.Boolean, []byte{0}, "false"},
		{"timestamp", codec.Timestamp, long(1296705900000), "2011-02-03 04:05Z"},
		{"date before 1970", codec.Date, long(-1000), "1969-12-31 23:59Z"},
		{"uuid", codec.UUID, u[:], "a4a70900-24e1-11df-8924-001ff3591711"},
		{"timeuuid", codec.TimeUUID, u[:], "a4a70900-24e1-11df-8924-001ff3591711"},
		{"lexical uuid", codec.LexicalUUID, u[:], "a4a70900-24e1-11df-8924-001ff3591711"},
		{"inet4", codec.InetAddress, []byte{127, 0, 0, 1}, "127.0.0.1"},
		{"inet6", codec.InetAddress, []byte{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, "2001:db8:0:0:0:0:0:1"},
		{"reversed", codec.Reversed(codec.Long), long(5), "5"},
		{"composite", codec.Composite(codec.Long, codec.UTF8), mustPack(t, codec.Composite(codec.Long, codec.UTF8), []any{int64(1), "a:b"}), `1:a\:b`},
		{"composite prefix", codec.Composite(codec.Long, codec.UTF8), []byte{0, 8, 0, 0, 0, 0, 0, 0, 0, 9, 1}, "9:!"},
		{"composite start", codec.Composite(codec.Long, codec.UTF8), []byte{0, 8, 0, 0, 0, 0, 0, 0, 0, 9, 0xff}, "9:_"},
		{"composite trailing bang", codec.Composite(codec.UTF8), []byte{0, 2, 'a', '!', 0}, "a!!"},
		{"composite truncated", codec.Composite(codec.UTF8), []byte{0, 5, 'a'}, "000561"},
		{"dynamic composite", dyn, mustPack(t, dyn, []any{codec.ByAlias('a', "hi"), codec.ByAlias('b', []byte{1})}), "a@hi:b@01"},
		{"dynamic by name", dyn, []byte{0, 8, 'U', 'T', 'F', '8', 'T', 'y', 'p', 'e', 0, 1, 'x', 0}, "UTF8Type@x"},
		{"custom", customType{}, []byte{1, 2}, "0102"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := RenderName(c.typ, c.in); got != c.want {
				t.Fatalf("got %q want %q", got, c.want)
			}
		})
	}
}
