package codec

import (
	"math"
	"testing"
)

func TestFormat(t *testing.T) {
	dyn := DynamicComposite(DynamicAlias{'l', Long})
	tests := []struct {
		typ  Type
		hex  string
		want string
	}{
		{Bytes, "00ff", "00ff"},
		{Bytes, "", ""},
		{CounterColumn, "0000000000000005", "0000000000000005"},
		{UTF8, "6261c99472", "ba\u0254r"},
		{Long, "ffffffffffffffff", "-1"},
		{Long, "0102", "0102"},
		{Int32, "fffffffe", "-2"},
		{Integer, "ff7f", "-129"},
		{Decimal, "00000002 0096", "1.50"},
		{Decimal, "fffffffd 01", "1000"}, // toPlainString, as DecimalSerializer.toString
		{Decimal, "fffffffe 00", "0"},
		{Decimal, "00000001 f1", "-1.5"},
		{Decimal, "00000009 01", "0.000000001"},
		{Decimal, "7fffffff 01", "7fffffff01"}, // a hostile scale: hex, not 2^31 zeros
		{Decimal, "00000003 01", "0.001"},
		{Decimal, "00000000 7b", "123"},
		{Double, hexOf(AppendDouble(nil, 1)), "1.0"},
		{Double, hexOf(AppendDouble(nil, 1e10)), "1.0E10"},
		{Double, hexOf(AppendDouble(nil, 1.5e-5)), "1.5E-5"},
		{Double, hexOf(AppendDouble(nil, math.NaN())), "NaN"},
		{Double, hexOf(AppendDouble(nil, math.Inf(-1))), "-Infinity"},
		{Double, hexOf(AppendDouble(nil, math.Copysign(0, -1))), "-0.0"},
		{Float, hexOf(AppendFloat(nil, 0.1)), "0.1"},
		{Boolean, "00", "false"},
		{Boolean, "05", "true"},
		{Date, "00000135e060a0c0", "2012-03-05 01:02Z"},
		{TimeUUID, "f7655d8004fc11e08080808080808080", "f7655d80-04fc-11e0-8080-808080808080"},
		{InetAddress, "0a000001", "10.0.0.1"},
		{InetAddress, "00000000000000000000000000000001", "0:0:0:0:0:0:0:1"},
		{InetAddress, "00000000000000000000ffff0a000001", "10.0.0.1"},
		{Reversed(Long), "0000000000000007", "7"},
		{Composite(Long, UTF8), "0008 0000000000000001 00 0003 613a62 00", `1:a\:b`},
		{Composite(Long, UTF8), "0008 0000000000000001 ff", "1:_"},
		{Composite(Long, UTF8), "0008 0000000000000001 01", "1:!"},
		{Composite(Long, UTF8), "0008 0000000000000001 00 0002 6121 00", "1:a!!"},
		{Composite(Long), "0008 00", "000800"},
		{dyn, "806c 0008 0000000000000001 00 0008 4c6f6e6754797065 0008 0000000000000002 00", "l@1:LongType@2"},
	}
	for _, tt := range tests {
		if got := Format(tt.typ, unhex(t, tt.hex)); got != tt.want {
			t.Errorf("Format(%s, %s) = %q, want %q", ShortName(tt.typ), tt.hex, got, tt.want)
		}
	}
}
