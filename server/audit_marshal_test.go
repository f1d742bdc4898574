package server_test

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Audit: comparator validation messages (§3.5) as a client sees them in
// the InvalidRequestException of an insert, and the orders the
// conformance tests leave out (FloatType, NaN, UUIDType, InetAddressType,
// IntegerType signs, AsciiType/UTF8Type leniency).

func TestAuditMarshalMessagesAndOrders(t *testing.T) {
	c, _ := startAndDial(t, server.Config{})
	comparators := []string{"AsciiType", "UTF8Type", "LongType", "Int32Type", "IntegerType", "DecimalType",
		"DoubleType", "FloatType", "BooleanType", "DateType", "TimestampType", "UUIDType", "TimeUUIDType",
		"LexicalUUIDType", "InetAddressType"}
	ks := ksDef("M", simple, rf1)
	for _, cmp := range comparators {
		d := cfDef("M", cmp)
		d.ComparatorType = cmp
		ks.CfDefs = append(ks.CfDefs, d)
	}
	_, err := c.SystemAddKeyspace(ctx, ks)
	must(t, err)
	must(t, c.SetKeyspace(ctx, "M"))
	three := []byte{1, 2, 3}
	for _, tc := range []struct {
		cf   string
		name []byte
		why  string
	}{
		{"AsciiType", []byte{'a', 0x80}, "Invalid byte for ascii: -128"},
		{"UTF8Type", []byte{0xff}, "String didn't validate."},
		{"UTF8Type", []byte{0xc3}, "String didn't validate."},
		{"LongType", three, "Expected 8 or 0 byte long (3)"},
		{"Int32Type", three, "Expected 4 or 0 byte int (3)"},
		{"DecimalType", three, "Expected 0 or at least 4 bytes (3)"},
		{"DoubleType", three, "Expected 8 or 0 byte value for a double (3)"},
		{"FloatType", three, "Expected 4 or 0 byte value for a float (3)"},
		{"BooleanType", []byte{1, 1}, "Expected 1 or 0 byte value (2)"},
		{"DateType", three, "Expected 8 or 0 byte long for date (3)"},
		{"UUIDType", three, "UUID should be 16 or 0 bytes (3)"},
		{"TimeUUIDType", make([]byte, 16), "Invalid version for TimeUUID type."},
		{"LexicalUUIDType", three, "UUID should be 16 or 0 bytes (3)"},
	} {
		err := c.Insert(ctx, []byte("bad"), parent(tc.cf), bcol(tc.name, "v", 1), ONE)
		var ire *tg.InvalidRequestException
		if !errors.As(err, &ire) || ire.Why != tc.why {
			t.Errorf("%s name %x: want IRE %q, got %v", tc.cf, tc.name, tc.why, err)
		}
	}
	// Inet addresses: 4 or 16 bytes only.
	if err := c.Insert(ctx, []byte("bad"), parent("InetAddressType"), bcol(three, "v", 1), ONE); err == nil {
		t.Errorf("3-byte inet name accepted")
	}
	// UTF8Type is more lenient than Go's utf8.Valid (Java's state machine):
	// surrogates and lead bytes F5-F7 pass.
	for _, name := range [][]byte{{0xed, 0xa0, 0x80}, {0xf5, 0x80, 0x80, 0x80}} {
		if err := c.Insert(ctx, []byte("ok"), parent("UTF8Type"), bcol(name, "v", 1), ONE); err != nil {
			t.Errorf("UTF8 name %x: %v", name, err)
		}
	}
	f32 := func(v float32) []byte {
		b := make([]byte, 4)
		binary.BigEndian.PutUint32(b, math.Float32bits(v))
		return b
	}
	dbl := func(v float64) []byte {
		b := make([]byte, 8)
		binary.BigEndian.PutUint64(b, math.Float64bits(v))
		return b
	}
	row := 0
	order := func(cf string, names ...[]byte) {
		t.Helper()
		row++
		key := []byte{'o', byte(row)}
		// Insert in reverse, expect the given order back.
		for i := len(names) - 1; i >= 0; i-- {
			must(t, c.Insert(ctx, key, parent(cf), &tg.Column{Name: names[i], Value: []byte{byte(i)}, Timestamp: i64p(1)}, ONE))
		}
		res := c.bigSlice(t, string(key), parent(cf))
		if len(res) != len(names) {
			t.Errorf("%s: %d columns, want %d", cf, len(res), len(names))
			return
		}
		for i, r := range res {
			if r.Column.Value[0] != byte(i) {
				t.Errorf("%s: position %d holds name %x", cf, i, r.Column.Name)
			}
		}
	}
	order("FloatType", f32(float32(math.Inf(-1))), f32(-1), f32(float32(math.Copysign(0, -1))), f32(0), f32(float32(math.Inf(1))), f32(float32(math.NaN())))
	order("DoubleType", dbl(-2), dbl(math.Inf(1)), dbl(math.NaN()))
	// UUIDType: version nibble first, then v1 by timestamp, others bytewise.
	order("UUIDType",
		uuidBytes("ffffffff-ffff-1fff-0000-000000000000"), // v1, big time_low but ...
		uuidBytes("00000000-0000-4000-0000-000000000000"), // v4 after any v1
		uuidBytes("00000000-0000-4000-8000-000000000000"))
	order("UUIDType",
		uuidBytes("00000002-0000-1000-0000-000000000000"),
		uuidBytes("00000001-0000-1001-0000-000000000000")) // later: time_hi 1 beats time_low
	v6 := make([]byte, 16)
	v6[0] = 0xfe
	order("InetAddressType", make([]byte, 16), []byte{10, 0, 0, 1}, []byte{192, 168, 0, 1}, v6)
	// IntegerType: negative numbers of any length before positive ones,
	// longer positives after shorter ones.
	order("IntegerType", []byte{0x80, 0x00}, []byte{0xff}, []byte{0x00}, []byte{0x7f}, []byte{0x00, 0x80}, []byte{0x01, 0x00})
	// DecimalType: -1 < 0.5 < 1 = 1.00 < 10.
	dec := func(scale int32, unscaled ...byte) []byte {
		b := make([]byte, 4)
		binary.BigEndian.PutUint32(b, uint32(scale))
		return append(b, unscaled...)
	}
	order("DecimalType", dec(0, 0xff), dec(1, 5), dec(0, 1), dec(-1, 1))
	order("AsciiType", []byte("A"), []byte("a"), []byte("aa"))
}
