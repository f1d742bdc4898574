package server_test

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

// Comparators and validators as a client sees them: names ordered by the
// column family's comparator (often not byte order), composite slice bounds,
// and the validation messages of names, keys and values.

// Column order follows the comparator, which is often not byte order:
// LongType, Int32Type and TimestampType are signed, DateType unsigned,
// IntegerType and DecimalType numeric, and so on (each AbstractType.compare).
func TestThriftComparatorsThatAreNotBytewise(t *testing.T) {
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

func TestThriftComparatorOrders(t *testing.T) {
	c := dtestClient(t, server.Config{})
	// LongType is signed.
	var want [][]byte
	for _, v := range []int64{-5, -1, 0, 1, 429496729, 104294967296} {
		want = append(want, longBytes(v))
	}
	for i := len(want) - 1; i >= 0; i-- {
		c.insert(t, "key1", parent("StandardLong1"), bcol(want[i], "v", 0))
	}
	checkNames(t, c.bigSlice(t, "key1", parent("StandardLong1")), want)

	// IntegerType compares numerically: 0x0001 and 0x01 name the same column.
	p := parent("StandardInteger1")
	c.insert(t, "key1", p, bcol([]byte{0x00, 0x01}, "first", 1), bcol([]byte{0x01}, "second", 2),
		bcol([]byte{0xff}, "minus one", 1), bcol([]byte{0x01, 0x00}, "256", 1))
	res := c.bigSlice(t, "key1", p)
	if len(res) != 3 || string(res[0].Column.Value) != "minus one" || string(res[1].Column.Value) != "second" || string(res[2].Column.Value) != "256" {
		t.Fatalf("IntegerType order: %v", res)
	}
	for i := int64(104294967296); i >= 0; i -= 429496729 {
		c.insert(t, "key2", p, bcol(longBytes(i), "v", 0))
	}
	res = c.bigSlice(t, "key2", p)
	for i := 1; i < len(res); i++ {
		if bytes.Compare(res[i-1].Column.Name, res[i].Column.Name) >= 0 {
			t.Fatalf("IntegerType order of 8-byte positives broken at %d", i)
		}
	}
}

func TestThriftTimeUUIDOrder(t *testing.T) {
	c := dtestClient(t, server.Config{})
	must(t, c.SetKeyspace(ctx, "Keyspace2"))
	p := superParent("Super4", []byte("sc1"))
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	var us [][]byte
	for i := 0; i < 500; i++ {
		us = append(us, timeUUID(base.Add(time.Duration(i)*time.Millisecond)))
		c.insert(t, "key1", p, bcol(us[i], fmt.Sprint("value", i), int64(i)))
	}
	res, err := c.GetSlice(ctx, []byte("key1"), p, columnRange("", "", false, 1000), ONE)
	must(t, err)
	if len(res) != 500 {
		t.Fatalf("got %d", len(res))
	}
	for i := range us {
		if !bytes.Equal(res[i].Column.Name, us[i]) {
			t.Fatalf("position %d out of time order", i)
		}
	}
	res, err = c.GetSlice(ctx, []byte("key1"), p, columnRange("", "", true, 1), ONE)
	must(t, err)
	mustEqualColumns(t, columns(t, res), []*tg.Column{bcol(us[499], "value499", 499)})
	res, err = c.GetSlice(ctx, []byte("key1"), p, columnRangeBytes(nil, us[2], false, 1000), ONE)
	must(t, err)
	checkNames(t, res, us[:3])
	res, err = c.GetSlice(ctx, []byte("key1"), p, columnRangeBytes(us[2], nil, true, 1000), ONE)
	must(t, err)
	checkNames(t, res, [][]byte{us[2], us[1], us[0]})
	_, err = c.GetSlice(ctx, []byte("key1"), p, columnRangeBytes(uuidBytes("00000000-0000-4000-8000-000000000000"), nil, false, 1), ONE)
	mustIRE(t, err, "Invalid version for TimeUUID type.")
}

// timeUUID builds a version-1 UUID at instant at with a random node.
func timeUUID(at time.Time) []byte {
	ts := uint64(at.UnixNano()/100) + 0x01B21DD213814000
	var u uuid.UUID
	u[0], u[1], u[2], u[3] = byte(ts>>24), byte(ts>>16), byte(ts>>8), byte(ts)
	u[4], u[5] = byte(ts>>40), byte(ts>>32)
	u[6], u[7] = byte(ts>>56)&0x0f|0x10, byte(ts>>48)
	rand.Read(u[8:])
	u[8] = u[8]&0x3f | 0x80
	return u[:]
}

func TestThriftMarshalMessagesAndOrders(t *testing.T) {
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

func TestThriftCompositeSliceBounds(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("StandardComposite")
	label := map[string]string{}
	for _, n := range [][]string{{"a"}, {"a", "x"}, {"a", "y"}, {"b"}, {"b", "x"}, {"c", "x"}} {
		name := compositeName(0, n...)
		label[string(name)] = strings.Join(n, ".")
		c.insert(t, "k", p, bcol(name, "v", 1))
	}
	slice := func(start, finish []byte, reversed bool) (string, error) {
		res, err := c.GetSlice(ctx, []byte("k"), p, columnRangeBytes(start, finish, reversed, 100), ONE)
		if err != nil {
			return "", err
		}
		var out []string
		for _, r := range res {
			out = append(out, label[string(r.Column.Name)])
		}
		return strings.Join(out, " "), nil
	}
	const ff = 0xff
	for _, tc := range []struct {
		name          string
		start, finish []byte
		reversed      bool
		want          string
	}{
		{"all", nil, nil, false, "a a.x a.y b b.x c.x"},
		{"start a/0", compositeName(0, "a"), nil, false, "a a.x a.y b b.x c.x"},
		{"start a/-1", compositeName(ff, "a"), nil, false, "a a.x a.y b b.x c.x"},
		{"start a/1 skips the prefix", compositeName(1, "a"), nil, false, "b b.x c.x"},
		{"finish a/0 exact prefix only", nil, compositeName(0, "a"), false, "a"},
		{"finish a/1 whole prefix", nil, compositeName(1, "a"), false, "a a.x a.y"},
		{"finish a/-1 excludes", nil, compositeName(ff, "a"), false, ""},
		{"finish b/0", nil, compositeName(0, "b"), false, "a a.x a.y b"},
		{"a.x only", compositeName(0, "a", "x"), compositeName(1, "a", "x"), false, "a.x"},
		{"after a.x", compositeName(1, "a", "x"), compositeName(1, "b"), false, "a.y b b.x"},
		{"prefix b", compositeName(0, "b"), compositeName(1, "b"), false, "b b.x"},
		{"reversed b/1 to a/0", compositeName(1, "b"), compositeName(0, "a"), true, "b.x b a.y a.x a"},
		{"reversed to a/1", nil, compositeName(1, "a"), true, "c.x b.x b"},
		{"reversed from a/0", compositeName(0, "a"), nil, true, "a"},
		{"reversed from a/1", compositeName(1, "a"), nil, true, "a.y a.x a"},
	} {
		got, err := slice(tc.start, tc.finish, tc.reversed)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s: got %q want %q", tc.name, got, tc.want)
		}
	}
	// Traversal order includes the EOC: a/1 comes after a/0.
	for _, tc := range []struct {
		start, finish []byte
		reversed      bool
	}{
		{compositeName(1, "a"), compositeName(0, "a"), false},
		{compositeName(0, "a"), compositeName(ff, "a"), false},
		{compositeName(ff, "a"), compositeName(1, "a"), true},
		{compositeName(0, "a"), compositeName(0, "a", "x"), true},
	} {
		_, err := slice(tc.start, tc.finish, tc.reversed)
		mustIRE(t, err, "range finish must come after start in the order of traversal")
	}
	// column_names with composites: comparator order, duplicates collapse.
	res, err := c.GetSlice(ctx, []byte("k"), p, byteNames(compositeName(0, "b"), compositeName(0, "a", "x"), compositeName(0, "b")), ONE)
	must(t, err)
	if len(res) != 2 || label[string(res[0].Column.Name)] != "a.x" {
		t.Fatalf("composite column_names: %v", res)
	}
	// get_multi_slice applies the same bounds.
	ms := tg.NewMultiSliceRequest()
	ms.Key, ms.ColumnParent = []byte("k"), p
	ms.ColumnSlices = []*tg.ColumnSlice{{Finish: compositeName(0, "a")}, {Start: compositeName(1, "a"), Finish: compositeName(0, "b")}}
	got, err := c.GetMultiSlice(ctx, ms)
	must(t, err)
	if len(got) != 2 || label[string(got[0].Column.Name)] != "a" || label[string(got[1].Column.Name)] != "b" {
		var ls []string
		for _, r := range got {
			ls = append(ls, label[string(r.Column.Name)])
		}
		t.Fatalf("multi slice with EOC bounds: %v", ls)
	}
	// Validation of composite names.
	for _, tc := range []struct {
		name []byte
		why  string
	}{
		{compositeName(0, "a", "b", "c"), "Too many bytes for comparator"},
		{[]byte{0}, "Not enough bytes to read value size of component 0"},
		{[]byte{0, 5, 'a'}, "Not enough bytes to read value of component 0"},
		{[]byte{0, 1, 'a'}, "Not enough bytes to read the end-of-component byte of component0"},
		{append(compositeName(1, "a"), compositeName(0, "b")...), "Invalid bytes remaining after an end-of-component at component0"},
	} {
		err := c.Insert(ctx, []byte("k"), p, bcol(tc.name, "v", 1), ONE)
		mustIRE(t, err, tc.why)
	}
}

// dynamicComponent is one DynamicCompositeType component: alias (a byte) or a type
// name, a value and an end-of-component byte.
type dynamicComponent struct {
	alias byte
	typ   string
	value []byte
}

func dynamicCompositeName(comps ...dynamicComponent) []byte {
	var out []byte
	for _, c := range comps {
		if c.typ == "" {
			out = append(out, 0x80, c.alias)
		} else {
			out = append(out, byte(len(c.typ)>>8), byte(len(c.typ)))
			out = append(out, c.typ...)
		}
		out = append(out, byte(len(c.value)>>8), byte(len(c.value)))
		out = append(out, c.value...)
		out = append(out, 0)
	}
	return out
}

func TestThriftDynamicCompositeOrder(t *testing.T) {
	c := dtestClient(t, server.Config{})
	d := cfDef("Keyspace1", "Dyn")
	d.ComparatorType = "DynamicCompositeType(a=>AsciiType,b=>BytesType,l=>LongType)"
	_, err := c.SystemAddColumnFamily(ctx, d)
	must(t, err)
	p := parent("Dyn")
	names := map[string][]byte{
		"a:z":     dynamicCompositeName(dynamicComponent{alias: 'a', value: []byte("z")}),
		"l:-1":    dynamicCompositeName(dynamicComponent{alias: 'l', value: longBytes(-1)}),
		"b:00":    dynamicCompositeName(dynamicComponent{alias: 'b', value: []byte{0}}),
		"a:b":     dynamicCompositeName(dynamicComponent{alias: 'a', value: []byte("b")}),
		"Ascii:c": dynamicCompositeName(dynamicComponent{typ: "AsciiType", value: []byte("c")}),
		"l:5":     dynamicCompositeName(dynamicComponent{alias: 'l', value: longBytes(5)}),
		"a:b,l:1": dynamicCompositeName(dynamicComponent{alias: 'a', value: []byte("b")}, dynamicComponent{alias: 'l', value: longBytes(1)}),
	}
	label := map[string]string{}
	for l, n := range names {
		label[string(n)] = l
		c.insert(t, "k", p, bcol(n, "v", 1))
	}
	res := c.bigSlice(t, "k", p)
	var got []string
	for _, r := range res {
		l, ok := label[string(r.Column.Name)]
		if !ok {
			l = hex.EncodeToString(r.Column.Name)
		}
		got = append(got, l)
	}
	// Different types order by class simple name: AsciiType < BytesType <
	// LongType; an alias and the type's name are the same type.
	want := "a:b a:b,l:1 Ascii:c a:z b:00 l:-1 l:5"
	if strings.Join(got, " ") != want {
		t.Fatalf("dynamic composite order: %s, want %s", strings.Join(got, " "), want)
	}
	// The alias and the full type name for the same value are one column.
	c.insert(t, "k", p, bcol(dynamicCompositeName(dynamicComponent{typ: "AsciiType", value: []byte("z")}), "w", 2))
	if n := len(c.bigSlice(t, "k", p)); n != 7 {
		t.Fatalf("alias vs type name made a new column: %d columns", n)
	}
	err = c.Insert(ctx, []byte("k"), p, bcol(dynamicCompositeName(dynamicComponent{alias: 'q', value: []byte("x")}), "v", 1), ONE)
	var ire *tg.InvalidRequestException
	if !errors.As(err, &ire) || !strings.Contains(ire.Why, "component 0") {
		t.Fatalf("unknown alias: %v", err)
	}
}

func TestThriftKeyAndIndexedValueValidation(t *testing.T) {
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
	// Cassandra 3.11's CassandraIndex.validateIndexedValue, naming the
	// column as its ColumnIdentifier prints it (the TimeUUIDType text).
	var e *tg.InvalidRequestException
	if !errors.As(err, &e) || !strings.HasPrefix(e.Why, "Cannot index value of size 70000 for index ") ||
		!strings.HasSuffix(e.Why, " on Keyspace1.Indexed3(00000000-0000-1000-0000-000000000000) (maximum allowed size=65535)") {
		t.Fatalf("oversized indexed value: %v", err)
	}
	// The same value in a column without an index is fine.
	must(t, c.Insert(ctx, []byte("k"), parent("Indexed3"), &tg.Column{Name: uuidBytes("00000000-0000-1000-0000-000000000001"), Value: big, Timestamp: i64p(1)}, ONE))
}

func TestThriftSuperColumnNameChecks(t *testing.T) {
	c := dtestClient(t, server.Config{})
	empty := []byte{}
	long := make([]byte, 65536)
	k := []byte("k")
	runErrCases(t, []errCase{
		// ColumnParent.super_column.
		{"insert parent sc empty", func() error {
			return c.Insert(ctx, k, superParent("Super1", empty), bcol(longBytes(1), "v", 1), ONE)
		}, "column name must not be empty"},
		{"insert parent sc too long", func() error {
			return c.Insert(ctx, k, superParent("Super1", long), bcol(longBytes(1), "v", 1), ONE)
		}, "column name length must not be greater than 65535"},
		{"insert parent sc fails the super comparator", func() error {
			return c.Insert(ctx, k, superParent("Super3", []byte("abc")), col("x", "v", 1), ONE)
		}, "Expected 8 or 0 byte long (3)"},
		{"insert sub name fails the subcomparator", func() error {
			return c.Insert(ctx, k, superParent("Super1", []byte("sc")), col("abc", "v", 1), ONE)
		}, "Expected 8 or 0 byte long (3)"},
		{"get_slice parent sc empty", func() error {
			_, err := c.GetSlice(ctx, k, superParent("Super1", empty), columnRange("", "", false, 1), ONE)
			return err
		}, "column name must not be empty"},
		{"get_slice names under sc use the subcomparator", func() error {
			_, err := c.GetSlice(ctx, k, superParent("Super1", []byte("sc")), names("abc"), ONE)
			return err
		}, "Expected 8 or 0 byte long (3)"},
		{"get_slice names without sc use the comparator", func() error {
			_, err := c.GetSlice(ctx, k, parent("Super3"), names("abc"), ONE)
			return err
		}, "Expected 8 or 0 byte long (3)"},
		{"get_slice range without sc uses the comparator", func() error {
			_, err := c.GetSlice(ctx, k, parent("Super3"), columnRange("abc", "", false, 1), ONE)
			return err
		}, "Expected 8 or 0 byte long (3)"},
		// ColumnPath: with a column, the sc is the superColumnName argument.
		{"get path sc empty with column", func() error {
			_, err := c.Get(ctx, k, path("Super1", empty, longBytes(1)), ONE)
			return err
		}, "supercolumn name must not be empty"},
		{"get path sc too long with column", func() error {
			_, err := c.Get(ctx, k, path("Super1", long, longBytes(1)), ONE)
			return err
		}, "supercolumn name length must not be greater than 65535"},
		{"get path sc empty alone", func() error {
			_, err := c.Get(ctx, k, path("Super1", empty, nil), ONE)
			return err
		}, "column name must not be empty"},
		{"get path sc fails the comparator", func() error {
			_, err := c.Get(ctx, k, path("Super3", []byte("abc"), nil), ONE)
			return err
		}, "Expected 8 or 0 byte long (3)"},
		{"remove path sc empty with column", func() error {
			return c.Remove(ctx, k, path("Super1", empty, longBytes(1)), 1, ONE)
		}, "supercolumn name must not be empty"},
		{"remove path sc empty alone", func() error {
			return c.Remove(ctx, k, path("Super1", empty, nil), 1, ONE)
		}, "column name must not be empty"},
		// Deletion.super_column.
		{"deletion sc empty", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Super1": {mutDel(i64p(1), empty, nil)}}}, ONE)
		}, "column name must not be empty"},
		{"deletion sc not a long on Super3", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Super3": {mutDel(i64p(1), []byte("x"), nil)}}}, ONE)
		}, "Expected 8 or 0 byte long (1)"},
		{"deletion sc on StandardLong1 checks the name first", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"StandardLong1": {mutDel(i64p(1), []byte("x"), nil)}}}, ONE)
		}, "Expected 8 or 0 byte long (1)"},
		{"deletion names under sc use the subcomparator", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Super1": {mutDel(i64p(1), []byte("sc"), names("abc"))}}}, ONE)
		}, "Expected 8 or 0 byte long (3)"},
		{"deletion names without sc use the comparator", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Super3": {mutDel(i64p(1), nil, names("abc"))}}}, ONE)
		}, "Expected 8 or 0 byte long (3)"},
		// SuperColumn.name in a mutation.
		// A SuperColumn is validated column by column as the path
		// (sc, column), so its name is the superColumnName argument...
		{"mutation super name empty", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Super1": {mutSuper(empty, bcol(longBytes(1), "v", 1))}}}, ONE)
		}, "supercolumn name must not be empty"},
		// ...and a SuperColumn without columns is not validated at all.
		{"mutation super name empty without columns", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Super1": {mutSuper(empty)}}}, ONE)
		}, ""},
		{"mutation sub name fails subcomparator", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Super1": {mutSuper([]byte("sc"), col("abc", "v", 1))}}}, ONE)
		}, "Expected 8 or 0 byte long (3)"},
		{"mutation super without columns is fine", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Super1": {mutSuper([]byte("sc"))}}}, ONE)
		}, ""},
		// Counter super column names.
		{"add parent sc empty", func() error {
			return c.Add(ctx, k, superParent("SuperCounter1", empty), counterColumn("c", 1), ONE)
		}, "column name must not be empty"},
		{"remove_counter path sc empty with column", func() error {
			return c.RemoveCounter(ctx, k, path("SuperCounter1", empty, []byte("c")), ONE)
		}, "supercolumn name must not be empty"},
		{"counter super mutation with empty sub name", func() error {
			m := &tg.Mutation{ColumnOrSupercolumn: &tg.ColumnOrSuperColumn{CounterSuperColumn: &tg.CounterSuperColumn{
				Name: []byte("sc"), Columns: []*tg.CounterColumn{{Name: empty, Value: 1}}}}}
			return c.BatchMutate(ctx, mutationMap{"k": {"SuperCounter1": {m}}}, ONE)
		}, "column name must not be empty"},
		{"counter_super_column on standard counter CF", func() error {
			m := &tg.Mutation{ColumnOrSupercolumn: &tg.ColumnOrSuperColumn{CounterSuperColumn: &tg.CounterSuperColumn{
				Name: []byte("sc"), Columns: []*tg.CounterColumn{{Name: []byte("c"), Value: 1}}}}}
			return c.BatchMutate(ctx, mutationMap{"k": {"Counter1": {m}}}, ONE)
		}, "supercolumn parameter is invalid for standard CF Counter1"},
		{"counter_column on super counter CF", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"SuperCounter1": {mutCounter("c", 1)}}}, ONE)
		}, "supercolumn parameter is not optional for super CF SuperCounter1"},
	})
}
