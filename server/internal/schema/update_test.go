package schema

import (
	"testing"

	"github.com/cassa-go/cassa/thriftgen"
)

func TestUpdateTableErrors(t *testing.T) {
	keys := thriftgen.IndexType_KEYS
	tests := []struct {
		name string
		def  *thriftgen.CfDef
		want string
	}{
		{"nil", nil, "Keyspace and CF name must be set."},
		{"keyspace", &thriftgen.CfDef{Keyspace: "Nope", Name: "x", ColumnType: "Bad"}, "Keyspace Nope does not exist"},
		{"empty name", &thriftgen.CfDef{Keyspace: "K", Name: ""}, "non-empty table is required"},
		{"missing", &thriftgen.CfDef{Keyspace: "K", Name: "nope", ColumnType: "Bad"}, "unconfigured table nope"},
		{"column type", &thriftgen.CfDef{Keyspace: "K", Name: "L", ColumnType: "Bad"}, "Invalid column type Bad"},
		{"compaction options", &thriftgen.CfDef{Keyspace: "K", Name: "L", ComparatorType: "LongType", CompactionStrategyOptions: map[string]string{"x": "1"}},
			"Properties specified [x] are not understood by SizeTieredCompactionStrategy"},
		// 3.11's system_update_column_family validates the compaction
		// options right after converting the CfDef, before anything else.
		{"compaction before index names", &thriftgen.CfDef{Keyspace: "K", Name: "L", ComparatorType: "LongType", MinCompactionThreshold: ip(1),
			ColumnMetadata: []*thriftgen.ColumnDef{idx(long(1), "BytesType", keys, sp("other"))}},
			"Min compaction threshold cannot be less than 2 (got 1)"},
		{"rename index", &thriftgen.CfDef{Keyspace: "K", Name: "L", ComparatorType: "LongType",
			ColumnMetadata: []*thriftgen.ColumnDef{idx(long(1), "BytesType", keys, sp("other"))}},
			"Can't modify index name: was 'L_1_idx' changed to 'other'."},
		{"validate before compatibility", &thriftgen.CfDef{Keyspace: "K", Name: "L", MinCompactionThreshold: ip(1)},
			"Min compaction threshold cannot be less than 2 (got 1)"},
		{"duplicate index name with other cf", &thriftgen.CfDef{Keyspace: "K", Name: "L", ComparatorType: "LongType",
			ColumnMetadata: []*thriftgen.ColumnDef{idx(long(2), "BytesType", keys, sp("S_idx"))}},
			"Duplicate index name S_idx"},
		{"types", &thriftgen.CfDef{Keyspace: "K", Name: "L", ColumnType: "Super", ComparatorType: "LongType"}, "types do not match."},
		{"comparator left out", &thriftgen.CfDef{Keyspace: "K", Name: "L"}, "comparators do not match or are not compatible."},
		{"long to int32", &thriftgen.CfDef{Keyspace: "K", Name: "L", ComparatorType: "Int32Type"}, "comparators do not match or are not compatible."},
		{"utf8 to ascii", &thriftgen.CfDef{Keyspace: "K", Name: "S", ComparatorType: "AsciiType"}, "comparators do not match or are not compatible."},
		{"subcomparator", &thriftgen.CfDef{Keyspace: "K", Name: "Super1", ColumnType: "Super", ComparatorType: "LongType", SubcomparatorType: sp("LongType")},
			"comparators do not match or are not compatible."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSchema()
			mustKs(t, s, "K",
				&thriftgen.CfDef{Keyspace: "K", Name: "L", ComparatorType: "LongType",
					ColumnMetadata: []*thriftgen.ColumnDef{idx(long(1), "BytesType", keys, nil)}},
				&thriftgen.CfDef{Keyspace: "K", Name: "S", ComparatorType: "UTF8Type",
					ColumnMetadata: []*thriftgen.ColumnDef{idx([]byte("a"), "BytesType", keys, sp("S_idx"))}},
				&thriftgen.CfDef{Keyspace: "K", Name: "Super1", ColumnType: "Super", ComparatorType: "LongType", SubcomparatorType: sp("UTF8Type")})
			v := s.Current().Version()
			_, err := s.UpdateTable(tt.def)
			if got := why(t, err); got != tt.want {
				t.Fatalf("got  %q\nwant %q", got, tt.want)
			}
			if s.Current().Version() != v {
				t.Error("refused change altered the version")
			}
		})
	}
}

func TestUpdateTableReplaces(t *testing.T) {
	keys := thriftgen.IndexType_KEYS
	s := newSchema()
	mustKs(t, s, "K", &thriftgen.CfDef{Keyspace: "K", Name: "U", ComparatorType: "AsciiType", Comment: sp("c"), GcGraceSeconds: ip(5),
		ColumnMetadata: []*thriftgen.ColumnDef{idx([]byte("a"), "LongType", keys, nil), col([]byte("b"), "UTF8Type")}})
	old := s.Current().Table("K", "U")
	v0 := s.Current().Version()

	// The usual pattern: describe, modify, update. Re-sending the described
	// definition is a no-op with an unchanged version.
	d := s.Current().Keyspace("K").Def().CfDefs[0]
	ch, err := s.UpdateTable(d)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Version() != v0 || ch.Updated[0].IndexesChanged || ch.Updated[0].New.ID != old.ID {
		t.Errorf("identical update: version %s→%s, %+v", v0, ch.Version(), ch.Updated[0])
	}
	if ch.Updated[0].Old != old {
		t.Error("TableUpdate.Old is not the previous table")
	}
	old = ch.Updated[0].New

	// Widening the comparator is allowed; left-out fields go back to their
	// defaults; left-out column_metadata removes columns and indexes.
	ch, err = s.UpdateTable(&thriftgen.CfDef{Keyspace: "K", Name: "U", ComparatorType: "UTF8Type"})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Kind != TableUpdated || len(ch.Updated) != 1 || ch.Version() == v0 {
		t.Fatalf("change = %+v", ch)
	}
	u := ch.Updated[0]
	if u.Old != old || u.New.ID != old.ID || !u.IndexesChanged {
		t.Errorf("update = %+v", u)
	}
	n := s.Current().Table("K", "U")
	if len(n.Columns) != 0 || len(n.IndexedColumns()) != 0 || *n.Def.Comment != "" || n.GCGraceSeconds != 864000 ||
		len(n.Def.ColumnMetadata) != 0 || n.Def.ColumnMetadata == nil {
		t.Errorf("after update: %+v / %+v", n, n.Def)
	}
	if n.Comparator.Class() != m+"UTF8Type" {
		t.Errorf("comparator %s", n.Comparator.Class())
	}
	// BytesType accepts UTF8Type data; an index comes back with its default name.
	ch, err = s.UpdateTable(&thriftgen.CfDef{Keyspace: "K", Name: "U", ComparatorType: "BytesType",
		ColumnMetadata: []*thriftgen.ColumnDef{idx([]byte("a"), "LongType", keys, nil)}})
	if err != nil {
		t.Fatal(err)
	}
	if !ch.Updated[0].IndexesChanged || s.Current().Table("K", "U").Column([]byte("a")).Index.Name != "U_61_idx" {
		t.Errorf("index after update: %+v", s.Current().Table("K", "U").Column([]byte("a")).Index)
	}
	// Leaving index_name out keeps the existing name; changing options is an index change.
	ch, err = s.UpdateTable(&thriftgen.CfDef{Keyspace: "K", Name: "U", ComparatorType: "BytesType",
		ColumnMetadata: []*thriftgen.ColumnDef{{Name: []byte("a"), ValidationClass: "LongType", IndexType: itp(keys), IndexOptions: map[string]string{"o": "1"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if !ch.Updated[0].IndexesChanged || s.Current().Table("K", "U").Column([]byte("a")).Index.Name != "U_61_idx" {
		t.Error("index name not kept or change not reported")
	}
	// A validator change alone is not an index change.
	ch, err = s.UpdateTable(&thriftgen.CfDef{Keyspace: "K", Name: "U", ComparatorType: "BytesType",
		ColumnMetadata: []*thriftgen.ColumnDef{{Name: []byte("a"), ValidationClass: "BytesType", IndexType: itp(keys), IndexOptions: map[string]string{"o": "1"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Updated[0].IndexesChanged {
		t.Error("validator change reported as an index change")
	}
}

func TestCompatible(t *testing.T) {
	tests := []struct {
		next, old string
		want      bool
	}{
		{"LongType", "LongType", true},
		{"BytesType", "UTF8Type", true},
		{"BytesType", "AsciiType", true},
		{"UTF8Type", "AsciiType", true},
		{"AsciiType", "UTF8Type", false},
		{"BytesType", "LongType", false},
		{"DateType", "TimestampType", true},
		{"TimestampType", "DateType", true},
		{"CompositeType(UTF8Type,LongType)", "CompositeType(AsciiType,LongType)", true},
		{"CompositeType(UTF8Type,LongType,BytesType)", "CompositeType(UTF8Type,LongType)", true},
		{"CompositeType(UTF8Type)", "CompositeType(UTF8Type,LongType)", false},
		{"CompositeType(LongType)", "LongType", false},
		{"ReversedType(BytesType)", "ReversedType(UTF8Type)", true},
		{"ReversedType(LongType)", "LongType", false},
		{"DynamicCompositeType(a=>AsciiType,b=>LongType)", "DynamicCompositeType(a=>AsciiType)", true},
		{"DynamicCompositeType(a=>UTF8Type)", "DynamicCompositeType(a=>AsciiType)", false},
		{"DynamicCompositeType(b=>LongType)", "DynamicCompositeType(a=>LongType)", false},
	}
	for _, tt := range tests {
		n, err := parseType(tt.next)
		if err != nil {
			t.Fatal(err)
		}
		o, err := parseType(tt.old)
		if err != nil {
			t.Fatal(err)
		}
		if got := compatible(nodeOf(n), nodeOf(o)); got != tt.want {
			t.Errorf("compatible(%s, %s) = %v, want %v", tt.next, tt.old, got, tt.want)
		}
	}
}

func TestRenderName(t *testing.T) {
	tests := []struct {
		class string
		name  []byte
		want  string
	}{
		{"BytesType", []byte{0x00, 0xff}, "00ff"},
		{"UTF8Type", []byte("héllo"), "héllo"},
		{"AsciiType", []byte("abc"), "abc"},
		{"LongType", long(-42), "-42"},
		{"LongType", []byte{1, 2}, "0102"},
		{"Int32Type", []byte{0xff, 0xff, 0xff, 0xfe}, "-2"},
		{"IntegerType", []byte{0xff, 0x00}, "-256"},
		{"IntegerType", []byte{0x01, 0x00}, "256"},
		{"UUIDType", make([]byte, 16), "00000000-0000-0000-0000-000000000000"},
		{"BooleanType", []byte{1}, "true"},
		{"DoubleType", []byte{0x3f, 0xf8, 0, 0, 0, 0, 0, 0}, "1.5"},
		{"DoubleType", []byte{0x41, 0x6e, 0x84, 0x80, 0, 0, 0, 0}, "1.6E7"},
		{"InetAddressType", []byte{127, 0, 0, 1}, "127.0.0.1"},
		{"ReversedType(LongType)", long(3), "3"},
		{"CompositeType(UTF8Type,LongType)", append(append([]byte{0, 3, 'a', ':', 'b', 0, 0, 8}, long(9)...), 0), `a\:b:9`},
		{"UTF8Type", nil, ""},
	}
	for _, tt := range tests {
		ty, err := parseType(tt.class)
		if err != nil {
			t.Fatal(err)
		}
		if got := renderName(ty, tt.name); got != tt.want {
			t.Errorf("renderName(%s, %x) = %q, want %q", tt.class, tt.name, got, tt.want)
		}
	}
}

// FuzzTypeHelpers runs the class-name tree, compatibility and name
// rendering over whatever codec.Parse accepts: they must never panic.
func FuzzTypeHelpers(f *testing.F) {
	f.Add("CompositeType(UTF8Type,LongType)", "CompositeType(AsciiType)", []byte{0, 1, 'a', 0})
	f.Add("DynamicCompositeType(a=>AsciiType,b=>LongType)", "ReversedType(IntegerType)", []byte{0xff})
	f.Add("LongType", "BytesType", []byte{1, 2, 3, 4, 5, 6, 7, 8})
	f.Fuzz(func(t *testing.T, a, b string, name []byte) {
		ta, err := parseType(a)
		if err != nil {
			return
		}
		tb, err := parseType(b)
		if err != nil {
			return
		}
		na := nodeOf(ta)
		if na.String() != ta.Class() {
			t.Fatalf("node %q does not render back to %q", na.String(), ta.Class())
		}
		if !compatible(na, na) {
			t.Fatalf("%s not compatible with itself", ta.Class())
		}
		_ = compatible(na, nodeOf(tb))
		_ = renderName(ta, name)
		_ = renderName(tb, name)
	})
}
