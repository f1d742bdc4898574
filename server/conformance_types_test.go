package server_test

import (
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Column order follows the comparator, which is often not byte order
// (reference §3.5, §11 item 11).
func TestComparatorsThatAreNotBytewise(t *testing.T) {
	c, _ := startAndDial(t, server.Config{})
	long := func(v int64) []byte { return longBytes(v) }
	i32 := func(v int32) []byte { b := make([]byte, 4); binary.BigEndian.PutUint32(b, uint32(v)); return b }
	dbl := func(v float64) []byte {
		b := make([]byte, 8)
		binary.BigEndian.PutUint64(b, math.Float64bits(v))
		return b
	}
	dec := func(scale int32, unscaled ...byte) []byte { return append(i32(scale), unscaled...) }
	cases := []struct {
		comparator string
		insert     [][]byte // in this order, one column each, values "0", "1", ...
		want       []string // values read back in comparator order
	}{
		{"LongType", [][]byte{long(1), long(-1), long(math.MinInt64)}, []string{"2", "1", "0"}},
		{"Int32Type", [][]byte{i32(5), i32(-7)}, []string{"1", "0"}},
		// DateType compares unsigned: pre-1970 dates sort after later ones.
		{"DateType", [][]byte{long(-1000), long(1000)}, []string{"1", "0"}},
		{"TimestampType", [][]byte{long(-1000), long(1000)}, []string{"0", "1"}},
		// Every non-zero byte is true, and all trues are the same column.
		{"BooleanType", [][]byte{{1}, {0}, {2}}, []string{"1", "2"}},
		// 1.0 and 1.00 are equal names.
		{"DecimalType", [][]byte{dec(1, 10), dec(2, 100), dec(0, 2)}, []string{"1", "2"}},
		{"DoubleType", [][]byte{dbl(0), dbl(math.Copysign(0, -1)), dbl(-1)}, []string{"2", "1", "0"}},
		{"ReversedType(LongType)", [][]byte{long(1), long(3), long(2)}, []string{"1", "2", "0"}},
		// LexicalUUID compares the halves as signed longs.
		{"LexicalUUIDType", [][]byte{uuidBytes("80000000-0000-0000-0000-000000000000"), uuidBytes("10000000-0000-0000-0000-000000000000")}, []string{"0", "1"}},
		// TimeUUID: equal timestamps compare the low 8 bytes as signed bytes.
		{"TimeUUIDType", [][]byte{uuidBytes("00000001-0000-1000-8000-000000000000"), uuidBytes("00000001-0000-1000-7f00-000000000000"), uuidBytes("00000000-0000-1000-8000-000000000001")},
			[]string{"2", "0", "1"}},
		{"UTF8Type", [][]byte{[]byte("é"), []byte("z")}, []string{"1", "0"}},
	}
	ks := ksDef("Types", simple, rf1)
	for i, tc := range cases {
		d := cfDef("Types", "cf"+string(rune('a'+i)))
		d.ComparatorType = tc.comparator
		ks.CfDefs = append(ks.CfDefs, d)
	}
	_, err := c.SystemAddKeyspace(ctx, ks)
	must(t, err)
	must(t, c.SetKeyspace(ctx, "Types"))
	for i, tc := range cases {
		t.Run(tc.comparator, func(t *testing.T) {
			cf := "cf" + string(rune('a'+i))
			for j, name := range tc.insert {
				must(t, c.Insert(ctx, []byte("k"), parent(cf), &tg.Column{Name: name, Value: []byte{byte('0' + j)}, Timestamp: i64p(int64(j))}, ONE))
			}
			res := c.bigSlice(t, "k", parent(cf))
			var got []string
			for _, r := range res {
				got = append(got, string(r.Column.Value))
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("values in comparator order %v, want %v", got, tc.want)
			}
		})
	}
}

func TestKeyAndIndexedValueValidation(t *testing.T) {
	c := dtestClient(t, server.Config{})
	d := cfDef("Keyspace1", "LongKeys")
	d.KeyValidationClass = strp("LongType")
	_, err := c.SystemAddColumnFamily(ctx, d)
	must(t, err)
	mustIRE(t, c.Insert(ctx, []byte("abc"), parent("LongKeys"), col("c", "v", 1), ONE), "Expected 8 or 0 byte long (3)")
	must(t, c.Insert(ctx, longBytes(7), parent("LongKeys"), col("c", "v", 1), ONE))
	_, err = c.Get(ctx, []byte("abc"), colPath("LongKeys", "c"), ONE)
	mustIRE(t, err, "Expected 8 or 0 byte long (3)")

	big := make([]byte, 70000)
	for i := range big {
		big[i] = 'a'
	}
	err = c.Insert(ctx, []byte("k"), parent("Indexed3"), &tg.Column{Name: uuidBytes("00000000-0000-1000-0000-000000000000"), Value: big, Timestamp: i64p(1)}, ONE)
	var e *tg.InvalidRequestException
	if !errors.As(err, &e) || !strings.HasPrefix(e.Why, "Can't index column value of size 70000 for index ") || !strings.HasSuffix(e.Why, " in CF Indexed3 of KS Keyspace1") {
		t.Fatalf("oversized indexed value: %v", err)
	}
	// The same value in a column without an index is fine.
	must(t, c.Insert(ctx, []byte("k"), parent("Indexed3"), &tg.Column{Name: uuidBytes("00000000-0000-1000-0000-000000000001"), Value: big, Timestamp: i64p(1)}, ONE))
}
