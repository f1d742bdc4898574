package shell

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/codec"
	tg "github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

func TestPack(t *testing.T) {
	now := time.Date(2012, 3, 5, 1, 2, 3, 0, time.UTC)
	long24 := codec.AppendLong(nil, 24)
	tests := []struct {
		lit  Literal
		typ  codec.Type
		want []byte
	}{
		{num("24", 0), codec.Long, long24},
		{str("24", 0), codec.Long, long24},
		{num("24", 0), codec.Reversed(codec.Long), long24},
		{Literal{Kind: LitFunc, Func: "long", Arg: &Literal{Kind: LitNumber, Text: "24"}}, codec.Bytes, long24},
		{Literal{Kind: LitFunc, Func: "utf8", Arg: &Literal{Kind: LitString, Text: "é"}}, codec.Long, []byte("é")},
		{Literal{Kind: LitFunc, Func: "bytes", Arg: &Literal{Kind: LitString, Text: "0aff"}}, codec.UTF8, []byte{0x0a, 0xff}},
		{Literal{Kind: LitFunc, Func: "int", Arg: &Literal{Kind: LitNumber, Text: "7"}}, codec.Bytes, []byte{0, 0, 0, 7}},
		{Literal{Kind: LitFunc, Func: "long", Arg: &Literal{Kind: LitHex, Text: "01"}}, codec.Bytes, []byte{1}},
		{Literal{Kind: LitHex, Text: "abc"}, codec.UTF8, []byte{0x0a, 0xbc}},
		{str("John", 0), codec.Bytes, []byte("John")},
		{word("John", 0), codec.Reversed(codec.Bytes), []byte("John")},
		{str("John", 0), nil, []byte("John")},
		{str("hé", 0), codec.UTF8, []byte("hé")},
		{str("true", 0), codec.Boolean, []byte{1}},
		{num("1.5", 0), codec.Double, codec.AppendDouble(nil, 1.5)},
		{str("a:1", 0), codec.Composite(codec.UTF8, codec.Long), mustPack(t, codec.Composite(codec.UTF8, codec.Long), codec.Tuple{"a", int64(1)})},
		{str("f7655d80-04fc-11e0-8080-808080808080", 0), codec.TimeUUID, mustBytes(uuid.MustParse("f7655d80-04fc-11e0-8080-808080808080"))},
	}
	for _, tt := range tests {
		got, err := Pack(tt.lit, tt.typ, now)
		if err != nil {
			t.Errorf("Pack(%s, %v): %v", tt.lit, tt.typ, err)
			continue
		}
		if !bytes.Equal(got, tt.want) {
			t.Errorf("Pack(%s, %v) = %x, want %x", tt.lit, tt.typ, got, tt.want)
		}
	}
}

func mustPack(t *testing.T, typ codec.Type, v any) []byte {
	t.Helper()
	b, err := typ.Pack(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustBytes(u uuid.UUID) []byte { return u[:] }

func TestPackFunctionsWithoutArgument(t *testing.T) {
	now := time.Date(2012, 3, 5, 1, 2, 3, 0, time.UTC)
	b, err := Pack(Literal{Kind: LitFunc, Func: "timeuuid"}, codec.Bytes, now)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := uuid.FromBytes(b)
	if tm, err := codec.TimeFromUUID(u); err != nil || !tm.Equal(now) {
		t.Errorf("timeuuid() = %v (%v), want a v1 UUID of %v", u, err, now)
	}
	if b, err := Pack(Literal{Kind: LitFunc, Func: "lexicaluuid"}, codec.Bytes, now); err != nil || len(b) != 16 {
		t.Errorf("lexicaluuid() = %x, %v", b, err)
	}
	if b, err := Pack(Literal{Kind: LitFunc, Func: "timestamp"}, codec.Bytes, now); err != nil || !bytes.Equal(b, codec.AppendLong(nil, now.UnixMilli())) {
		t.Errorf("timestamp() = %x, %v", b, err)
	}
	if _, err := Pack(Literal{Kind: LitFunc, Func: "long"}, codec.Bytes, now); err == nil {
		t.Error("long() without an argument packed")
	}
}

func TestPackErrors(t *testing.T) {
	tests := []struct {
		lit  Literal
		typ  codec.Type
		want string
	}{
		{str("abc", 3), codec.Long, "cannot read 'abc' as LongType"},
		{num("1.5", 0), codec.Int32, "as Int32Type"},
		{num("99999999999", 0), codec.Int32, "Int32Type"},
		{str("nope", 0), codec.UUID, "UUIDType"},
		{Literal{Kind: LitFunc, Func: "long", Arg: &Literal{Kind: LitString, Text: "x"}}, codec.Bytes, "as LongType"},
		{Literal{Kind: LitFunc, Func: "nosuch"}, codec.Bytes, "unknown function"},
		{Literal{Kind: LitHex, Text: "zz"}, codec.Bytes, "bytes"},
	}
	for _, tt := range tests {
		_, err := Pack(tt.lit, tt.typ, time.Now())
		var ve *ValueError
		if !errors.As(err, &ve) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Pack(%s, %v) = %v, want a *ValueError containing %q", tt.lit, tt.typ, err, tt.want)
		}
	}
}

func TestFormatValue(t *testing.T) {
	u := uuid.MustParse("f7655d80-04fc-11e0-8080-808080808080")
	tests := []struct {
		typ  codec.Type
		in   []byte
		want string
	}{
		{codec.Long, codec.AppendLong(nil, -24), "-24"},
		{codec.Reversed(codec.Long), codec.AppendLong(nil, 7), "7"},
		{codec.Long, []byte{1, 2, 3}, "0x010203 (undecodable)"},
		{codec.UTF8, []byte("héllo"), "héllo"},
		{codec.UTF8, []byte{0xff}, "0xff (undecodable)"},
		{codec.UTF8, []byte("a\nb\x1b[2J"), `"a\nb\x1b[2J"`},
		{codec.Ascii, []byte("abc"), "abc"},
		{codec.Bytes, []byte("John"), "John"},
		{codec.Bytes, []byte{0x0a, 0xff}, "0x0aff"},
		{codec.Bytes, nil, "0x"},
		{nil, []byte("x"), "x"},
		{codec.Int32, []byte{0, 0, 0, 7}, "7"},
		{codec.Integer, []byte{0xff}, "-1"},
		{codec.Double, codec.AppendDouble(nil, 1.5), "1.5"},
		{codec.Boolean, []byte{1}, "true"},
		{codec.Date, codec.AppendLong(nil, 1330909323004), "2012-03-05T01:02:03.004Z"},
		{codec.Timestamp, nil, ""},
		{codec.TimeUUID, u[:], "f7655d80-04fc-11e0-8080-808080808080"},
		{codec.CounterColumn, codec.AppendLong(nil, 3), "3"},
		{codec.Composite(codec.UTF8, codec.Long), mustPack(t, codec.Composite(codec.UTF8, codec.Long), codec.Tuple{"a", int64(1)}), "a:1"},
	}
	for _, tt := range tests {
		if got := FormatValue(tt.typ, tt.in); got != tt.want {
			t.Errorf("FormatValue(%v, %x) = %q, want %q", tt.typ, tt.in, got, tt.want)
		}
	}
}

func TestColumnLines(t *testing.T) {
	if got, want := ColumnLine("age", "24", 1700, 0), "=> (name=age, value=24, timestamp=1700)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := ColumnLine("a", "b", 1, 60), "=> (name=a, value=b, timestamp=1, ttl=60)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := CounterLine("hits", "3"), "=> (counter=hits, value=3)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func ptr[T any](v T) *T { return &v }

func TestPrintKeyspace(t *testing.T) {
	ks := &tg.KsDef{
		Name:            "Demo",
		StrategyClass:   "org.apache.cassandra.locator.SimpleStrategy",
		StrategyOptions: map[string]string{"replication_factor": "1"},
		DurableWrites:   true,
		CfDefs:          []*tg.CfDef{{Name: "Users"}, nil, {Name: "Counters"}},
	}
	var b strings.Builder
	PrintKeyspace(&b, ks)
	want := `
Name:                                Demo

Replication Strategy:                SimpleStrategy
Strategy Options:                    {'replication_factor': '1'}
Durable Writes:                      true

Column Families:
  Counters
  Users

`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestPrintColumnFamily(t *testing.T) {
	keys := tg.IndexType_KEYS
	cf := &tg.CfDef{
		Name:                   "Users",
		Comment:                ptr("people"),
		ColumnType:             "Super",
		ComparatorType:         "org.apache.cassandra.db.marshal.TimeUUIDType",
		SubcomparatorType:      ptr("org.apache.cassandra.db.marshal.UTF8Type"),
		DefaultValidationClass: ptr("org.apache.cassandra.db.marshal.BytesType"),
		KeyValidationClass:     ptr("org.apache.cassandra.db.marshal.CompositeType(org.apache.cassandra.db.marshal.LongType,org.apache.cassandra.db.marshal.UTF8Type)"),
		RowCacheSize:           ptr(0.0),
		KeyCacheSize:           ptr(200000.0),
		ReadRepairChance:       ptr(0.1),
		GcGraceSeconds:         ptr(int32(864000)),
		MinCompactionThreshold: ptr(int32(0)),
		MaxCompactionThreshold: ptr(int32(32)),
		MemtableThroughputInMb: ptr(int32(64)),
		Caching:                "KEYS_ONLY",
		ColumnMetadata: []*tg.ColumnDef{
			{Name: []byte("age"), ValidationClass: "org.apache.cassandra.db.marshal.LongType", IndexType: &keys, IndexName: ptr("Users_age_idx")},
			{Name: []byte("name"), ValidationClass: "org.apache.cassandra.db.marshal.UTF8Type"},
		},
	}
	var b strings.Builder
	PrintColumnFamily(&b, cf)
	want := `
Name:                                Users
Description:                         people
Column Type:                         Super

Comparator Type:                     TimeUUIDType
Subcomparator Type:                  UTF8Type
Default Validation Class:            BytesType
Key Validation Class:                CompositeType(LongType, UTF8Type)

Cache Sizes
  Row Cache:                         Disabled
  Key Cache:                         200000 keys

Caching:                             KEYS_ONLY

Read Repair Chance:                  10%

GC Grace Seconds:                    864000

Compaction Thresholds
  Min:                               Minor Compactions Disabled
  Max:                               Minor Compactions Disabled

Memtable Flush After Thresholds
  Throughput:                        64 MiB

Column Metadata
  - Name:                            age
    Value Type:                      LongType
    Index Type:                      KEYS
    Index Name:                      Users_age_idx

  - Name:                            name
    Value Type:                      UTF8Type

`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	// Labels end at column 35 and values start at column 37, as
	// pycassaShell's print puts them.
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.Contains(line, ":") && len(line) > 37 && line[35:37] != "  " {
			t.Errorf("misaligned line %q", line)
		}
	}
}

func TestCacheSize(t *testing.T) {
	if got := cacheSize(ptr(0.5), "rows"); got != "0.5%" {
		t.Errorf("fraction: %q", got)
	}
	if got := cacheSize(nil, "rows"); got != "Disabled" {
		t.Errorf("nil: %q", got)
	}
	if got := savePeriod(ptr(int32(30))); got != "30 seconds" {
		t.Errorf("save period: %q", got)
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse("set Users['u1']['age'] = long(24) with ttl = 60"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormatValue(b *testing.B) {
	v := codec.AppendLong(nil, 1234567)
	for b.Loop() {
		_ = FormatValue(codec.Long, v)
	}
}

// FuzzPack checks that no literal text, read as any type, panics Pack, and
// that whatever Pack produces formats back without panicking.
func FuzzPack(f *testing.F) {
	for _, s := range []string{"24", "-1.5", "abc", "2012-03-05", "now", "f7655d80-04fc-11e0-8080-808080808080", "a:1", "0aff", "true", "1e400", ""} {
		f.Add(s, uint8(0))
	}
	types := []codec.Type{codec.Bytes, codec.Ascii, codec.UTF8, codec.Long, codec.Int32, codec.Integer, codec.Double,
		codec.Float, codec.Decimal, codec.Boolean, codec.Date, codec.Timestamp, codec.UUID, codec.TimeUUID,
		codec.LexicalUUID, codec.InetAddress, codec.CounterColumn, codec.Reversed(codec.Long),
		codec.Composite(codec.UTF8, codec.Long), codec.DynamicComposite()}
	now := time.Date(2012, 3, 5, 1, 2, 3, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string, ti uint8) {
		typ := types[int(ti)%len(types)]
		for _, lit := range []Literal{
			{Kind: LitString, Text: s}, {Kind: LitNumber, Text: s}, {Kind: LitHex, Text: s},
			{Kind: LitFunc, Func: "long", Arg: &Literal{Kind: LitString, Text: s}},
			{Kind: LitFunc, Func: "timeuuid", Arg: &Literal{Kind: LitString, Text: s}},
		} {
			if b, err := Pack(lit, typ, now); err == nil {
				_ = FormatValue(typ, b)
			}
		}
		// Arbitrary stored bytes must display under every type.
		for _, typ := range types {
			_ = FormatValue(typ, []byte(s))
		}
	})
}

func TestWrap(t *testing.T) {
	got := wrap("aaa bbb ccc dddddddddddd e", "  ", 10)
	want := "  aaa bbb\n  ccc\n  dddddddddddd\n  e\n"
	if got != want {
		t.Errorf("wrap = %q, want %q", got, want)
	}
	if got := wrap("", "  ", 10); got != "  \n" {
		t.Errorf("wrap of nothing = %q", got)
	}
}
