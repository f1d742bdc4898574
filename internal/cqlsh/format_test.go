package cqlsh

import (
	"bufio"
	"bytes"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// The value formats of cqlsh's formatting.py, case by case.
func TestFloatFormat(t *testing.T) {
	f := newFormatter(false)
	for _, c := range []struct {
		v    float64
		prec int
		want string
	}{
		{1.5, 5, "1.5"}, {100000, 5, "1e+05"}, {123456789.123456789, 5, "1.2346e+08"}, {0, 5, "0"},
		{float64(float32(12345.678)), 5, "12345.67773"}, {-0.0001, 5, "-0.0001"}, {0.000012345, 5, "1.2e-05"},
		{1e20, 5, "1e+20"}, {3.14159265358979, 12, "3.14159265359"}, {0.1, 5, "0.1"},
	} {
		if got := f.float(c.v, c.prec).text; got != c.want {
			t.Errorf("float(%v, %d) = %q, want %q", c.v, c.prec, got, c.want)
		}
	}
}

func TestPythonDecimal(t *testing.T) {
	for _, c := range []struct {
		unscaled string
		scale    int32
		want     string
	}{
		{"1250", 2, "12.50"}, {"123", -1, "1.23E+3"}, {"1", -3, "1E+3"}, {"1", 7, "1E-7"}, {"-123", 2, "-1.23"},
		{"100", 0, "100"}, {"1", 6, "0.000001"}, {"0", 2, "0.00"},
	} {
		u, _ := new(big.Int).SetString(c.unscaled, 10)
		if got := pythonDecimal(u, c.scale); got != c.want {
			t.Errorf("pythonDecimal(%s, %d) = %q, want %q", c.unscaled, c.scale, got, c.want)
		}
	}
}

func TestTimestampFormat(t *testing.T) {
	f := newFormatter(false)
	for _, c := range []struct {
		ms   int64
		want string
	}{
		{1330909323456, "2012-03-05 01:02:03.456000+0000"},
		{253402300799999, "9999-12-31 23:59:59.998993+0000"}, // Python's float seconds
		{-62135596800001, "-62135596800001"},                 // before year 1
		{-5364662398995, "1800-01-01 00:00:01.005000+0000"},
	} {
		if got := f.timestamp(c.ms); got != c.want {
			t.Errorf("timestamp(%d) = %q, want %q", c.ms, got, c.want)
		}
	}
	if got := roundMicroseconds("2012-03-05 01:02:03.456789+0000"); got != "2012-03-05 01:02:03.456+0000" {
		t.Errorf("roundMicroseconds: %q", got)
	}
	tm, ok := strptime("2012-03-05 01:02:03.456+0000", defaultTimeFormat)
	if !ok || !tm.Equal(time.Date(2012, 3, 5, 1, 2, 3, 456e6, time.UTC)) {
		t.Errorf("strptime: %v %v", tm, ok)
	}
}

func TestTextEscapes(t *testing.T) {
	f := newFormatter(false)
	if got := f.text("a\\b\tc\x01\x7f\u0085'd", false).text; got != `a\\b\tc\x01\x7f\x85'd` {
		t.Errorf("text: %q", got)
	}
	if got := f.text("it's", true).text; got != `'it''s'` {
		t.Errorf("quoted: %q", got)
	}
	if w := f.text("日本語", false).width; w != 6 {
		t.Errorf("width of wide characters: %d", w)
	}
}

func TestDurationAndTimeAndDate(t *testing.T) {
	// 1y2mo3d4h5m6s7ms8us9ns: months 14, days 3, nanoseconds as vints.
	enc := func(v int64) []byte {
		u := uint64(v<<1) ^ uint64(v>>63) // zig-zag
		var bs []byte
		for x := u; ; x >>= 8 {
			bs = append([]byte{byte(x)}, bs...)
			if x>>8 == 0 {
				break
			}
		}
		extra := len(bs) - 1
		if bs[0]&(0xff<<(7-extra)) != 0 {
			bs = append([]byte{0}, bs...)
			extra++
		}
		bs[0] |= byte(0xff << (8 - extra))
		return bs
	}
	nanos := int64(4*time.Hour + 5*time.Minute + 6*time.Second + 7*time.Millisecond + 8*time.Microsecond + 9)
	data := append(append(enc(14), enc(3)...), enc(nanos)...)
	if got, err := formatDuration(data); err != nil || got != "1y2mo3d4h5m6s7ms8us9ns" {
		t.Errorf("duration: %q %v", got, err)
	}
	if got := formatTime(int64(13*time.Hour + 14*time.Minute + 15*time.Second + 123456789)); got != "13:14:15.123456789" {
		t.Errorf("time: %q", got)
	}
	if got := formatDate(1<<31 + 17261); got != "2017-04-05" {
		t.Errorf("date: %q", got)
	}
	if got := formatDate(0); got != "-2147483648" {
		t.Errorf("date out of range: %q", got)
	}
}

func TestColumnize(t *testing.T) {
	var b bytes.Buffer
	columnize(&b, []string{"system_auth", "system_schema", "ks", "system"}, 30)
	want := "system_auth    ks    \nsystem_schema  system\n" // Python pads the last column too
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}

func TestCSVDialect(t *testing.T) {
	d := dialect{delimiter: ',', quote: '"', escape: '\\'}
	var b bytes.Buffer
	if err := d.writeRow(&b, []string{"1", `a\\b"c,d`, "", "x\ny"}); err != nil {
		t.Fatal(err)
	}
	if want := "1,\"a\\\\\\\\b\\\"c,d\",,\"x\ny\"\r\n"; b.String() != want {
		t.Errorf("write: %q, want %q", b.String(), want)
	}
	cr := &csvReader{r: bufio.NewReader(strings.NewReader(b.String() + "2,plain\n")), d: d}
	rec, err := cr.read()
	if err != nil || !reflect.DeepEqual(rec, []string{"1", `a\\b"c,d`, "", "x\ny"}) {
		t.Errorf("read back %q %v", rec, err)
	}
	if rec, err := cr.read(); err != nil || !reflect.DeepEqual(rec, []string{"2", "plain"}) {
		t.Errorf("second record %q %v", rec, err)
	}
	if got := splitLiteral("{'a': [1, 2], 'b,c': []}", ','); !reflect.DeepEqual(got, []string{"'a': [1, 2]", " 'b,c': []"}) {
		t.Errorf("splitLiteral: %q", got)
	}
}

func TestDescribeHelpers(t *testing.T) {
	for name, want := range map[string]string{"users": "users", "Users": `"Users"`, "select": `"select"`, `a"b`: `"a""b"`, "key": "key"} {
		if got := protectName(name); got != want {
			t.Errorf("protectName(%q) = %s, want %s", name, got, want)
		}
	}
	for v, want := range map[float64]string{0.01: "0.01", 1: "1.0", 0.1: "0.1", 1e-5: "1e-05", 1e16: "1e+16", 864000: "864000.0"} {
		if got := pyFloat(v); got != want {
			t.Errorf("pyFloat(%v) = %s, want %s", v, got, want)
		}
	}
	if got := describeInterval(3723500 * time.Millisecond); got != "1 hour, 2 minutes, and 3.500 seconds" {
		t.Errorf("describeInterval: %q", got)
	}
}

func FuzzFormat(f *testing.F) {
	f.Add([]byte{0, 0, 0, 2, 0, 0, 0, 1, 'a', 0, 0, 0, 1, 'b'})
	f.Add([]byte{0xff, 0xff})
	fm := newFormatter(true)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, info := range fuzzTypes {
			_ = fm.value(cell{info: info, data: data})
		}
	})
}

var fuzzTypes = func() []gocql.TypeInfo {
	var out []gocql.TypeInfo
	for _, typ := range []gocql.Type{gocql.TypeAscii, gocql.TypeBigInt, gocql.TypeBlob, gocql.TypeBoolean, gocql.TypeDecimal,
		gocql.TypeDouble, gocql.TypeFloat, gocql.TypeInt, gocql.TypeTimestamp, gocql.TypeUUID, gocql.TypeVarint,
		gocql.TypeInet, gocql.TypeDate, gocql.TypeTime, gocql.TypeSmallInt, gocql.TypeTinyInt, gocql.TypeDuration} {
		out = append(out, gocql.NewNativeType(4, typ, ""))
	}
	text := gocql.NewNativeType(4, gocql.TypeText, "")
	out = append(out,
		gocql.CollectionType{}, // a collection of unknown kind
		gocql.TupleTypeInfo{Elems: []gocql.TypeInfo{text, out[7]}},
		gocql.UDTTypeInfo{Name: "u", Elements: []gocql.UDTField{{Name: "a", Type: text}}},
	)
	return out
}()
