package schema

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"testing"

	"github.com/cassa-go/cassa/thriftgen"
)

const m = "org.apache.cassandra.db.marshal."

func long(v int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(v)) }

func col(name []byte, class string) *thriftgen.ColumnDef {
	return &thriftgen.ColumnDef{Name: name, ValidationClass: class}
}

func idx(name []byte, class string, typ thriftgen.IndexType, idxName *string) *thriftgen.ColumnDef {
	return &thriftgen.ColumnDef{Name: name, ValidationClass: class, IndexType: itp(typ), IndexName: idxName}
}

func TestAddTableDefaults(t *testing.T) {
	s := newSchema()
	mustKs(t, s, "K")
	ch, err := s.AddTable(cf("K", "Standard1"))
	if err != nil {
		t.Fatal(err)
	}
	if ch.Kind != TableAdded || len(ch.Created) != 1 || ch.Table != "Standard1" {
		t.Fatalf("change = %+v", ch)
	}
	tb := s.Current().Table("K", "Standard1")
	if tb != ch.Created[0] || tb.Super || tb.Counter || tb.SubComparator != nil ||
		tb.Comparator.Class() != m+"BytesType" || tb.KeyValidator.Class() != m+"BytesType" ||
		tb.DefaultValidator.Class() != m+"BytesType" || tb.GCGraceSeconds != 864000 || tb.DefaultTTL != 0 ||
		tb.MinIndexInterval != 128 || tb.Keyspace != "K" {
		t.Errorf("table = %+v", tb)
	}
	want := &thriftgen.CfDef{
		Keyspace: "K", Name: "Standard1", ColumnType: "Standard", ComparatorType: m + "BytesType",
		Comment: sp(""), ReadRepairChance: fp(0), DclocalReadRepairChance: 0.1, GcGraceSeconds: ip(864000),
		DefaultValidationClass: sp(m + "BytesType"), KeyValidationClass: sp(m + "BytesType"),
		MinCompactionThreshold: ip(4), MaxCompactionThreshold: ip(32), KeyAlias: []byte("key"),
		ColumnMetadata:     []*thriftgen.ColumnDef{},
		CompactionStrategy: sp("org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy"),
		// 3.11's ThriftConversion.toThrift: CompactionParams.options carry
		// the thresholds, and compression the 64 KiB chunk length.
		CompactionStrategyOptions: map[string]string{"min_threshold": "4", "max_threshold": "32"},
		CompressionOptions:        map[string]string{"sstable_compression": "org.apache.cassandra.io.compress.LZ4Compressor", "chunk_length_kb": "64"},
		BloomFilterFpChance:       fp(0.01), MinIndexInterval: ip(128), MaxIndexInterval: ip(2048),
		MemtableFlushPeriodInMs: ip(0), Caching: "KEYS_ONLY", CellsPerRowToCache: "0", DefaultTimeToLive: ip(0),
		SpeculativeRetry: "NONE", Triggers: []*thriftgen.TriggerDef{},
	}
	if !reflect.DeepEqual(tb.Def, want) {
		t.Errorf("Def =\n%+v\nwant\n%+v", tb.Def, want)
	}
	// The IDL-default CfDef (as the Thrift decoder builds it) gives the same definition.
	s2 := newSchema()
	mustKs(t, s2, "K")
	d := thriftgen.NewCfDef()
	d.Keyspace, d.Name = "K", "Standard1"
	if _, err := s2.AddTable(d); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s2.Current().Table("K", "Standard1").Def, want) {
		t.Errorf("NewCfDef defaults differ: %+v", s2.Current().Table("K", "Standard1").Def)
	}
	if s.Current().Version() != s2.Current().Version() {
		t.Error("identical schemas have different versions")
	}
}

func TestAddTableDescribe(t *testing.T) {
	s := newSchema()
	mustKs(t, s, "K")
	def := &thriftgen.CfDef{
		Keyspace: "K", Name: "Super1", ColumnType: "Super", ComparatorType: "LongType",
		SubcomparatorType: sp("UTF8Type"), KeyValidationClass: sp("AsciiType"), DefaultValidationClass: sp("CounterColumnType"),
		Comment: sp("hi"), ReadRepairChance: fp(0.5), DclocalReadRepairChance: 0.25, GcGraceSeconds: ip(10),
		MinCompactionThreshold: ip(2), MaxCompactionThreshold: ip(8), CompactionStrategy: sp("LeveledCompactionStrategy"),
		CompactionStrategyOptions: map[string]string{"sstable_size_in_mb": "10"},
		CompressionOptions:        map[string]string{"sstable_compression": "SnappyCompressor", "chunk_length_kb": "064"},
		Caching:                   "all", CellsPerRowToCache: "ALL", DefaultTimeToLive: ip(60), SpeculativeRetry: "99percentile",
		MinIndexInterval: ip(64), MemtableFlushPeriodInMs: ip(5),
		ColumnMetadata: []*thriftgen.ColumnDef{col([]byte("b"), "CounterColumnType"), col([]byte("a"), "CounterColumnType")},
		Triggers:       []*thriftgen.TriggerDef{{Name: "tr", Options: map[string]string{"class": "com.x.T", "other": "y"}}},
		RowCacheSize:   fp(3), ReplicateOnWrite: new(bool), ID: ip(77),
	}
	if _, err := s.AddTable(def); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTable(&thriftgen.CfDef{Keyspace: "K", Name: "Aliased", KeyAlias: []byte("id")}); err != nil {
		t.Fatal(err)
	}
	tb := s.Current().Table("K", "Super1")
	if !tb.Super || !tb.Counter || tb.SubComparator.Class() != m+"UTF8Type" || tb.CellComparator() != tb.SubComparator {
		t.Errorf("table = %+v", tb)
	}
	d := s.Current().Keyspace("K").Def().CfDefs[1]
	checks := []struct {
		name      string
		got, want any
	}{
		{"column_type", d.ColumnType, "Super"},
		{"comparator", d.ComparatorType, m + "LongType"},
		{"subcomparator", *d.SubcomparatorType, m + "UTF8Type"},
		{"key validation", *d.KeyValidationClass, m + "AsciiType"},
		{"default validation", *d.DefaultValidationClass, m + "CounterColumnType"},
		{"comment", *d.Comment, "hi"},
		{"rrc", *d.ReadRepairChance, 0.5},
		{"dclocal", d.DclocalReadRepairChance, 0.25},
		{"gc", *d.GcGraceSeconds, int32(10)},
		{"min/max compaction", [2]int32{*d.MinCompactionThreshold, *d.MaxCompactionThreshold}, [2]int32{2, 8}},
		{"compaction", *d.CompactionStrategy, "org.apache.cassandra.db.compaction.LeveledCompactionStrategy"},
		{"compaction options", d.CompactionStrategyOptions, map[string]string{"sstable_size_in_mb": "10", "min_threshold": "2", "max_threshold": "8"}},
		{"compression", d.CompressionOptions, map[string]string{"sstable_compression": "org.apache.cassandra.io.compress.SnappyCompressor", "chunk_length_kb": "64"}},
		// internalFromThrift fixes the default (0.01, size-tiered's) before
		// it sets the strategy.
		{"bloom under LCS", *d.BloomFilterFpChance, 0.01},
		{"caching", d.Caching, "ALL"},
		{"cells", d.CellsPerRowToCache, "ALL"},
		{"ttl", *d.DefaultTimeToLive, int32(60)},
		{"speculative", d.SpeculativeRetry, "99PERCENTILE"}, // SpeculativeRetryParam.toString
		{"index intervals", [2]int32{*d.MinIndexInterval, *d.MaxIndexInterval}, [2]int32{64, 2048}},
		{"memtable flush", *d.MemtableFlushPeriodInMs, int32(5)},
		{"columns in subcomparator order", [2]string{string(d.ColumnMetadata[0].Name), string(d.ColumnMetadata[1].Name)}, [2]string{"a", "b"}},
		{"column class", d.ColumnMetadata[0].ValidationClass, m + "CounterColumnType"},
		{"triggers keep only class", d.Triggers, []*thriftgen.TriggerDef{{Name: "tr", Options: map[string]string{"class": "com.x.T"}}}},
		{"id unset", d.ID, (*int32)(nil)},
		{"deprecated fields dropped", [2]bool{d.RowCacheSize == nil, d.ReplicateOnWrite == nil}, [2]bool{true, true}},
		{"key alias", string(d.KeyAlias), "key"},
		{"key alias given", string(s.Current().Table("K", "Aliased").Def.KeyAlias), "id"},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	// Describe output is a copy.
	*d.Comment = "changed"
	d.ColumnMetadata[0].Name[0] = 'z'
	if *tb.Def.Comment != "hi" || tb.Def.ColumnMetadata[0].Name[0] != 'a' {
		t.Error("modifying describe output changed the catalog")
	}
}

func TestCachingAndSpeculativeRetry(t *testing.T) {
	// Cassandra 3.11's ThriftConversion.cachingFromThrift (legacy keywords
	// only; cells_per_row_to_cache counts only when rows are cached) and
	// SpeculativeRetryParam.fromString / toString.
	tests := []struct {
		caching, cells, retry             string
		wantCaching, wantCells, wantRetry string
		err                               string
	}{
		{"keys_only", "100", "NONE", "KEYS_ONLY", "0", "NONE", ""},
		{"ALL", "100", "ALWAYS", "ALL", "100", "ALWAYS", ""},
		{"all", "0", "10ms", "KEYS_ONLY", "0", "10.0ms", ""}, // 0 rows: no row cache
		{"rows_only", "25", "95PERCENTILE", "ROWS_ONLY", "25", "95PERCENTILE", ""},
		{"rows_only", "25", "99.5percentile", "ROWS_ONLY", "25", "99.5PERCENTILE", ""},
		{"ALL", "ALL", "10MS", "ALL", "ALL", "10.0ms", ""},
		{"NONE", "ALL", "NONE", "NONE", "0", "NONE", ""},
		{"NONE", "many", "NONE", "NONE", "0", "NONE", ""},
		{"ALL", "many", "NONE", "", "", "", `For input string: "many"`},
		{"ALL", "all", "NONE", "", "", "", `For input string: "all"`},
		{"sometimes", "100", "NONE", "", "", "", "Invalid value sometimes for caching parameter"},
		{`{"keys":"ALL"}`, "5", "NONE", "", "", "", `Invalid value {"keys":"ALL"} for caching parameter`},
		{"keys_only", "100", "none", "", "", "", "Invalid value none for option 'speculative_retry'"},
		{"keys_only", "100", "custom", "", "", "", "Invalid value custom for option 'speculative_retry'"},
		{"keys_only", "100", "often", "", "", "", "Invalid value often for option 'speculative_retry'"},
		{"keys_only", "100", "101PERCENTILE", "", "", "", "Invalid value 101PERCENTILE for PERCENTILE option 'speculative_retry': must be between 0.0 and 100.0"},
		{"keys_only", "100", "PERCENTILE", "", "", "", "Invalid value PERCENTILE for option 'speculative_retry'"},
	}
	for _, tt := range tests {
		s := newSchema()
		mustKs(t, s, "K")
		_, err := s.AddTable(&thriftgen.CfDef{Keyspace: "K", Name: "c", Caching: tt.caching, CellsPerRowToCache: tt.cells, SpeculativeRetry: tt.retry})
		if got := why(t, err); got != tt.err {
			t.Errorf("%v: error %q, want %q", tt, got, tt.err)
			continue
		}
		if err != nil {
			continue
		}
		d := s.Current().Table("K", "c").Def
		if d.Caching != tt.wantCaching || d.CellsPerRowToCache != tt.wantCells || d.SpeculativeRetry != tt.wantRetry {
			t.Errorf("%v: got %s %s %s", tt, d.Caching, d.CellsPerRowToCache, d.SpeculativeRetry)
		}
	}
}

func TestCompression(t *testing.T) {
	tests := []struct {
		in   map[string]string
		want map[string]string
		err  string
	}{
		{nil, map[string]string{"sstable_compression": "org.apache.cassandra.io.compress.LZ4Compressor"}, ""},
		{map[string]string{}, map[string]string{}, ""},
		{map[string]string{"sstable_compression": "", "chunk_length_kb": "64"}, map[string]string{}, ""},
		{map[string]string{"sstable_compression": "com.x.C", "crc_check_chance": "0.5"}, map[string]string{"sstable_compression": "com.x.C", "crc_check_chance": "0.5"}, ""},
		{map[string]string{"sstable_compression": "LZ4Compressor", "chunk_length_kb": "3"}, nil, "chunk_length_kb must be a power of 2"},
		{map[string]string{"sstable_compression": "LZ4Compressor", "chunk_length_kb": "0"}, nil, "Invalid negative or null chunk_length_kb"},
		{map[string]string{"sstable_compression": "LZ4Compressor", "chunk_length_kb": "x"}, nil, "Invalid value x for chunk_length_kb"},
	}
	for _, tt := range tests {
		got, err := compressionOptions(tt.in)
		if w := why(t, err); w != tt.err {
			t.Errorf("%v: error %q want %q", tt.in, w, tt.err)
		}
		if err == nil && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%v: got %v want %v", tt.in, got, tt.want)
		}
	}
}

// TestAddTableErrors checks every message of system_add_column_family and
// that, when a CfDef has several faults, the one Cassandra checks first wins.
func TestAddTableErrors(t *testing.T) {
	keys := thriftgen.IndexType_KEYS
	tests := []struct {
		name string
		def  *thriftgen.CfDef
		want string
	}{
		{"system", &thriftgen.CfDef{Keyspace: "system", Name: "x", ColumnType: "Bad"}, "system keyspace is not user-modifiable."},
		// 3.11's ThriftConversion.isSuper lower-cases the column type
		// ("standard" and "SUPER" are accepted) and quotes it as given.
		{"column type first", &thriftgen.CfDef{Keyspace: "Nope", Name: "bad-name", ColumnType: "Standerd", ComparatorType: "FooType"}, "Invalid column type Standerd"},
		{"column type in any case", &thriftgen.CfDef{Keyspace: "Nope", Name: "bad-name", ColumnType: "standard", ComparatorType: "FooType"},
			"Unable to find abstract-type class 'org.apache.cassandra.db.marshal.FooType'"},
		{"comparator", &thriftgen.CfDef{Keyspace: "Nope", Name: "bad-name", ComparatorType: "FooType"},
			"Unable to find abstract-type class 'org.apache.cassandra.db.marshal.FooType'"},
		{"comparator syntax", &thriftgen.CfDef{Keyspace: "K", Name: "c", ComparatorType: "BytesType("},
			"Syntax error parsing 'BytesType(' at char 10: unexpected end of string"},
		{"subcomparator", &thriftgen.CfDef{Keyspace: "K", Name: "c", ColumnType: "Super", SubcomparatorType: sp("Nope")},
			"Unable to find abstract-type class 'org.apache.cassandra.db.marshal.Nope'"},
		{"subcomparator ignored on standard", &thriftgen.CfDef{Keyspace: "K", Name: "c", SubcomparatorType: sp("Nope"), KeyValidationClass: sp("Nope2")},
			"Unable to find abstract-type class 'org.apache.cassandra.db.marshal.Nope2'"},
		{"column name vs comparator", &thriftgen.CfDef{Keyspace: "K", Name: "bad-name", ComparatorType: "LongType",
			ColumnMetadata: []*thriftgen.ColumnDef{col([]byte("abc"), "Nope")}}, "Column name 616263 is not valid for comparator " + m + "LongType"},
		{"column name vs subcomparator", &thriftgen.CfDef{Keyspace: "K", Name: "c", ColumnType: "Super", SubcomparatorType: sp("LongType"),
			ColumnMetadata: []*thriftgen.ColumnDef{col([]byte("abc"), "BytesType")}}, "Column name 616263 is not valid for comparator " + m + "LongType"},
		{"column validator", &thriftgen.CfDef{Keyspace: "K", Name: "bad-name", ColumnMetadata: []*thriftgen.ColumnDef{col([]byte("a"), "Nope")}},
			"Unable to find abstract-type class 'org.apache.cassandra.db.marshal.Nope'"},
		// 3.11's internalFromThrift parses every type (the default validator
		// included) before the options.
		{"default validator before compaction class", &thriftgen.CfDef{Keyspace: "K", Name: "bad-name", CompactionStrategy: sp("Nope"), DefaultValidationClass: sp("Nope2")},
			"Unable to find abstract-type class 'org.apache.cassandra.db.marshal.Nope2'"},
		{"compaction class", &thriftgen.CfDef{Keyspace: "K", Name: "bad-name", CompactionStrategy: sp("Nope")},
			"Unable to find compaction strategy class 'org.apache.cassandra.db.compaction.Nope'"},
		{"default validator before speculative", &thriftgen.CfDef{Keyspace: "K", Name: "c", SpeculativeRetry: "x", DefaultValidationClass: sp("Nope2")},
			"Unable to find abstract-type class 'org.apache.cassandra.db.marshal.Nope2'"},
		{"speculative", &thriftgen.CfDef{Keyspace: "K", Name: "c", SpeculativeRetry: "x"},
			"Invalid value x for option 'speculative_retry'"},
		{"default validator", &thriftgen.CfDef{Keyspace: "K", Name: "bad-name", DefaultValidationClass: sp("Nope2")},
			"Unable to find abstract-type class 'org.apache.cassandra.db.marshal.Nope2'"},
		{"compaction options before validate", &thriftgen.CfDef{Keyspace: "K", Name: "bad-name", CompactionStrategyOptions: map[string]string{"zz": "1", "aa": "2", "min_threshold": "2"}},
			"Properties specified [aa, zz] are not understood by SizeTieredCompactionStrategy"},
		{"ks name", &thriftgen.CfDef{Keyspace: "bad-ks", Name: "bad-name"},
			`Keyspace name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got "bad-ks")`},
		{"cf name before missing ks", &thriftgen.CfDef{Keyspace: "Nope", Name: "in-valid"},
			`ColumnFamily name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got "in-valid")`},
		{"cf name empty", &thriftgen.CfDef{Keyspace: "K", Name: ""},
			`ColumnFamily name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got "")`},
		{"counter comparator", &thriftgen.CfDef{Keyspace: "K", Name: "c", ComparatorType: "CounterColumnType", KeyValidationClass: sp("CounterColumnType")},
			"CounterColumnType is not a valid comparator"},
		{"counter composite comparator", &thriftgen.CfDef{Keyspace: "K", Name: "c", ComparatorType: "CompositeType(LongType,CounterColumnType)"},
			"CounterColumnType is not a valid comparator"},
		{"counter subcomparator", &thriftgen.CfDef{Keyspace: "K", Name: "c", ColumnType: "Super", SubcomparatorType: sp("CounterColumnType")},
			"CounterColumnType is not a valid comparator"},
		{"counter key validator", &thriftgen.CfDef{Keyspace: "K", Name: "c", KeyValidationClass: sp("CounterColumnType")},
			"CounterColumnType is not a valid key validator"},
		{"non counter column", &thriftgen.CfDef{Keyspace: "K", Name: "c", ComparatorType: "UTF8Type", DefaultValidationClass: sp("CounterColumnType"),
			ColumnMetadata: []*thriftgen.ColumnDef{col([]byte("b"), "CounterColumnType"), col([]byte("a"), "LongType")}},
			"Cannot add a non counter column (a) in a counter column family"},
		{"counter column", &thriftgen.CfDef{Keyspace: "K", Name: "c", ComparatorType: "LongType",
			ColumnMetadata: []*thriftgen.ColumnDef{col(long(7), "CounterColumnType")}},
			"Cannot add a counter column (7) in a non counter column family"},
		{"counter column bytes", &thriftgen.CfDef{Keyspace: "K", Name: "c",
			ColumnMetadata: []*thriftgen.ColumnDef{col([]byte{0xca, 0xfe}, "CounterColumnType")}},
			"Cannot add a counter column (cafe) in a non counter column family"},
		// 3.11's indexDefsFromThrift only looks at columns with an
		// index_type: an index_name alone is ignored.
		{"index name without type", &thriftgen.CfDef{Keyspace: "K", Name: "c",
			ColumnMetadata: []*thriftgen.ColumnDef{{Name: []byte("a"), ValidationClass: "BytesType", IndexName: sp("i")}}},
			""},
		{"unknown index type is no index", &thriftgen.CfDef{Keyspace: "K", Name: "c",
			ColumnMetadata: []*thriftgen.ColumnDef{{Name: []byte("a"), ValidationClass: "BytesType", IndexType: itp(9), IndexName: sp("i")}}},
			""},
		{"index on super", &thriftgen.CfDef{Keyspace: "K", Name: "c", ColumnType: "Super",
			ColumnMetadata: []*thriftgen.ColumnDef{idx([]byte("a"), "BytesType", keys, sp("in-valid"))}},
			"Secondary indexes are not supported on super column families"},
		{"illegal index name", &thriftgen.CfDef{Keyspace: "K", Name: "c",
			ColumnMetadata: []*thriftgen.ColumnDef{idx([]byte("a"), "BytesType", keys, sp("in-valid"))}},
			"Illegal index name in-valid"},
		// An empty index_name gets the default name (Strings.isNullOrEmpty).
		{"empty index name", &thriftgen.CfDef{Keyspace: "K", Name: "c",
			ColumnMetadata: []*thriftgen.ColumnDef{idx([]byte("a"), "BytesType", keys, sp(""))}},
			""},
		{"duplicate in cf", &thriftgen.CfDef{Keyspace: "K", Name: "c",
			ColumnMetadata: []*thriftgen.ColumnDef{idx([]byte("a"), "BytesType", keys, sp("dup")), idx([]byte("b"), "BytesType", keys, sp("dup"))}},
			"Duplicate index name dup"},
		{"duplicate in keyspace", &thriftgen.CfDef{Keyspace: "K", Name: "c",
			ColumnMetadata: []*thriftgen.ColumnDef{idx([]byte("a"), "BytesType", keys, sp("Indexed1_birthdate_idx"))}},
			"Duplicate index name Indexed1_birthdate_idx"},
		{"custom without class_name", &thriftgen.CfDef{Keyspace: "K", Name: "c",
			ColumnMetadata: []*thriftgen.ColumnDef{idx([]byte("a"), "BytesType", thriftgen.IndexType_CUSTOM, nil)}},
			"Required index option missing: class_name"},
		// TableParams.validate (3.11): compaction first, then the bloom
		// filter, then the index intervals, with 3.11's messages.
		{"min compaction", &thriftgen.CfDef{Keyspace: "K", Name: "c", MinCompactionThreshold: ip(1), BloomFilterFpChance: fp(0)},
			"Min compaction threshold cannot be less than 2 (got 1)"},
		{"zero thresholds no longer disable compaction", &thriftgen.CfDef{Keyspace: "K", Name: "c", MinCompactionThreshold: ip(0), MaxCompactionThreshold: ip(0)},
			"Disabling compaction by setting compaction thresholds to 0 has been removed, set the compaction option 'enabled' to false instead."},
		{"min > max compaction", &thriftgen.CfDef{Keyspace: "K", Name: "c", MinCompactionThreshold: ip(40)},
			"Min compaction threshold (got 40) cannot be greater than max compaction threshold (got 32)"},
		{"bloom", &thriftgen.CfDef{Keyspace: "K", Name: "c", BloomFilterFpChance: fp(0), MinIndexInterval: ip(0)},
			"bloom_filter_fp_chance must be larger than 6.71E-5 and less than or equal to 1.0 (got 0.0)"},
		{"min index interval", &thriftgen.CfDef{Keyspace: "K", Name: "c", MinIndexInterval: ip(0)},
			"min_index_interval must be greater than or equal to 1 (got 0)"},
		{"max index interval", &thriftgen.CfDef{Keyspace: "K", Name: "c", MaxIndexInterval: ip(64)},
			"max_index_interval must be greater than or equal to min_index_interval (128) (got 64)"},
		{"missing keyspace", &thriftgen.CfDef{Keyspace: "Nope", Name: "c"}, "Cannot add table 'c' to non existing keyspace 'Nope'."},
		{"existing", &thriftgen.CfDef{Keyspace: "K", Name: "Indexed1"}, `Cannot add already existing table "Indexed1" to keyspace "K"`},
		{"existing renamed index", &thriftgen.CfDef{Keyspace: "K", Name: "Indexed1",
			ColumnMetadata: []*thriftgen.ColumnDef{idx([]byte("birthdate"), "LongType", keys, sp("other"))}},
			"Can't modify index name: was 'Indexed1_birthdate_idx' changed to 'other'."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSchema()
			mustKs(t, s, "K", &thriftgen.CfDef{Keyspace: "K", Name: "Indexed1", ComparatorType: "UTF8Type",
				ColumnMetadata: []*thriftgen.ColumnDef{idx([]byte("birthdate"), "LongType", keys, nil)}})
			v := s.Current().Version()
			_, err := s.AddTable(tt.def)
			if got := why(t, err); got != tt.want {
				t.Fatalf("got  %q\nwant %q", got, tt.want)
			}
			if tt.want != "" && s.Current().Version() != v {
				t.Error("refused change altered the version")
			}
		})
	}
}

func TestMaxCompactionZeroDisables(t *testing.T) {
	s := newSchema()
	mustKs(t, s, "K")
	// 3.11 disables compaction with the 'enabled' option; zero thresholds
	// are refused (see TestAddTableErrors).
	if _, err := s.AddTable(&thriftgen.CfDef{Keyspace: "K", Name: "c", CompactionStrategyOptions: map[string]string{"enabled": "false"}}); err != nil {
		t.Fatal(err)
	}
	// The deprecated index_interval seeds min_index_interval and raises max.
	if _, err := s.AddTable(&thriftgen.CfDef{Keyspace: "K", Name: "d", IndexInterval: ip(4096)}); err != nil {
		t.Fatal(err)
	}
	d := s.Current().Table("K", "d").Def
	if *d.MinIndexInterval != 4096 || *d.MaxIndexInterval != 4096 {
		t.Errorf("index intervals %d %d", *d.MinIndexInterval, *d.MaxIndexInterval)
	}
}

func TestIndexes(t *testing.T) {
	s := newSchema()
	mustKs(t, s, "K")
	keys := thriftgen.IndexType_KEYS
	_, err := s.AddTable(&thriftgen.CfDef{Keyspace: "K", Name: "Users", ComparatorType: "UTF8Type",
		ColumnMetadata: []*thriftgen.ColumnDef{
			idx([]byte("state"), "UTF8Type", keys, nil),
			idx([]byte("birth-date"), "LongType", keys, nil),
			col([]byte("name"), "UTF8Type"),
			{Name: []byte("x"), ValidationClass: "BytesType", IndexType: itp(thriftgen.IndexType_CUSTOM),
				IndexOptions: map[string]string{"class_name": "com.x.Idx"}},
			idx([]byte("c"), "BytesType", thriftgen.IndexType_COMPOSITES, sp("named")),
		}})
	if err != nil {
		t.Fatal(err)
	}
	tb := s.Current().Table("K", "Users")
	got := map[string]string{}
	for _, c := range tb.IndexedColumns() {
		got[string(c.Name)] = c.Index.Name
	}
	want := map[string]string{"state": "Users_state_idx", "birth-date": "Users_birthdate_idx", "x": "Users_x_idx", "c": "named"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("index names %v, want %v", got, want)
	}
	if c := tb.IndexedColumn("Users_state_idx"); c == nil || string(c.Name) != "state" {
		t.Errorf("IndexedColumn = %v", c)
	}
	if ct, cc := s.Current().Index("K", "named"); ct != tb || string(cc.Name) != "c" || cc.Index.Type != thriftgen.IndexType_COMPOSITES {
		t.Errorf("Catalog.Index = %v %v", ct, cc)
	}
	if ct, _ := s.Current().Index("K", "nope"); ct != nil {
		t.Error("found a missing index")
	}
	if c := tb.Column([]byte("x")); c.Index.Type != thriftgen.IndexType_CUSTOM || c.Index.Options["class_name"] != "com.x.Idx" {
		t.Errorf("custom index %+v", c.Index)
	}
	// Describe reports index type, name and options.
	for _, cd := range tb.Def.ColumnMetadata {
		// 3.11's toThrift sets index_options to null when the index has
		// no options but its target.
		if string(cd.Name) == "state" && (cd.IndexType == nil || *cd.IndexType != keys || *cd.IndexName != "Users_state_idx" || cd.IndexOptions != nil) {
			t.Errorf("described column %+v", cd)
		}
		if string(cd.Name) == "name" && (cd.IndexType != nil || cd.IndexName != nil) {
			t.Errorf("described column %+v", cd)
		}
	}
	// Default names: a clash appends _1, _2; BytesType names are hex; the
	// same explicit name may be used in another keyspace.
	if _, err := s.AddTable(&thriftgen.CfDef{Keyspace: "K", Name: "B", ColumnMetadata: []*thriftgen.ColumnDef{
		idx([]byte{0xab, 0x01}, "BytesType", keys, nil)}}); err != nil {
		t.Fatal(err)
	}
	if n := s.Current().Table("K", "B").Column([]byte{0xab, 0x01}).Index.Name; n != "B_ab01_idx" {
		t.Errorf("bytes index name %s", n)
	}
	// Names are made unique against existing tables only, as in Cassandra:
	// a clash inside the new CfDef is a duplicate.
	_, err = s.AddTable(&thriftgen.CfDef{Keyspace: "K", Name: "L", ComparatorType: "LongType", ColumnMetadata: []*thriftgen.ColumnDef{
		idx(long(-5), "BytesType", keys, nil), idx(long(5), "BytesType", keys, nil)}})
	if got := why(t, err); got != "Duplicate index name L_5_idx" {
		t.Errorf("got %q", got)
	}
	if _, err := s.AddTable(&thriftgen.CfDef{Keyspace: "K", Name: "X", ColumnMetadata: []*thriftgen.ColumnDef{
		idx([]byte("a"), "BytesType", keys, sp("L_5_idx"))}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTable(&thriftgen.CfDef{Keyspace: "K", Name: "L", ComparatorType: "LongType", ColumnMetadata: []*thriftgen.ColumnDef{
		idx(long(5), "BytesType", keys, nil)}}); err != nil {
		t.Fatal(err)
	}
	if n := s.Current().Table("K", "L").Column(long(5)).Index.Name; n != "L_5_idx_1" {
		t.Errorf("clashing default name %s, want L_5_idx_1", n)
	}
	mustKs(t, s, "K2", &thriftgen.CfDef{Keyspace: "K2", Name: "x", ColumnMetadata: []*thriftgen.ColumnDef{idx([]byte("a"), "BytesType", keys, sp("named"))}})
}

func TestTableHelpers(t *testing.T) {
	s := newSchema()
	mustKs(t, s, "K", &thriftgen.CfDef{Keyspace: "K", Name: "t", ComparatorType: "LongType", DefaultValidationClass: sp("UTF8Type"),
		ColumnMetadata: []*thriftgen.ColumnDef{col(long(2), "LongType"), col(long(-1), "AsciiType"), col(long(1), "BytesType")}})
	tb := s.Current().Table("K", "t")
	if len(tb.Columns) != 3 || !bytes.Equal(tb.Columns[0].Name, long(-1)) || !bytes.Equal(tb.Columns[2].Name, long(2)) {
		t.Errorf("columns not in comparator order: %v", tb.Columns)
	}
	for name, class := range map[int64]string{2: "LongType", -1: "AsciiType", 1: "BytesType", 3: "UTF8Type"} {
		if got := tb.ValueValidator(long(name)).Class(); got != m+class {
			t.Errorf("ValueValidator(%d) = %s, want %s", name, got, class)
		}
	}
	if tb.Column(long(3)) != nil || tb.Column(long(2)) == nil || tb.Column(long(2)).Indexed() || len(tb.IndexedColumns()) != 0 {
		t.Error("Column lookup")
	}
	if tb.CellComparator() != tb.Comparator {
		t.Error("CellComparator of a standard CF is the comparator")
	}
	// A Table built outside the package (no lookup maps) still answers.
	ext := &Table{Columns: tb.Columns, DefaultValidator: tb.DefaultValidator}
	if ext.ValueValidator(long(-1)).Class() != m+"AsciiType" || ext.Column(long(9)) != nil || len(ext.IndexedColumns()) != 0 {
		t.Error("helpers on an external Table")
	}
	if s.Current().Table("K", "nope") != nil || s.Current().Table("nope", "t") != nil {
		t.Error("missing table found")
	}
}

func TestDropTable(t *testing.T) {
	s := newSchema()
	mustKs(t, s, "K", cf("K", "a"))
	for _, tt := range []struct{ ks, cf, want string }{
		{"Nope", "a", "Keyspace Nope does not exist"},
		{"K", "", "non-empty table is required"},
		{"K", "b", "unconfigured table b"},
		// 3.11 finds the built-in table (Schema.getCFMetaData), then the
		// access check refuses it.
		{"system", "IndexInfo", "system keyspace is not user-modifiable."},
		{"system_schema", "tables", "system_schema keyspace is not user-modifiable."},
		{"system_distributed", "repair_history", "Cannot DROP <table system_distributed.repair_history>"},
		{"system", "nope", "unconfigured table nope"},
	} {
		if got := why(t, func() error { _, err := s.DropTable(tt.ks, tt.cf); return err }()); got != tt.want {
			t.Errorf("DropTable(%s,%s) = %q, want %q", tt.ks, tt.cf, got, tt.want)
		}
	}
	old := s.Current().Table("K", "a")
	ch, err := s.DropTable("K", "a")
	if err != nil {
		t.Fatal(err)
	}
	if ch.Kind != TableDropped || len(ch.Dropped) != 1 || ch.Dropped[0] != old {
		t.Errorf("change = %+v", ch)
	}
	if s.Current().Table("K", "a") != nil {
		t.Fatal("still there")
	}
	ch, err = s.AddTable(cf("K", "a"))
	if err != nil {
		t.Fatal(err)
	}
	if ch.Created[0].ID == old.ID {
		t.Error("a re-created table must get a new ID")
	}
	// Tables of system_traces and system_auth cannot be changed.
	mustOK := func(_ *Change, err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	mustOK(s.AddTable(cf("system_traces", "mine")))
	if got := why(t, func() error { _, err := s.DropTable("system_traces", "mine"); return err }()); got != "Cannot DROP <table system_traces.mine>" {
		t.Errorf("got %q", got)
	}
	if got := why(t, func() error { _, err := s.UpdateTable(cf("system_traces", "mine")); return err }()); got != "Cannot ALTER <table system_traces.mine>" {
		t.Errorf("got %q", got)
	}
}

func TestRepeatedColumnDefLastWins(t *testing.T) {
	s := newSchema()
	mustKs(t, s, "K", &thriftgen.CfDef{Keyspace: "K", Name: "t", ColumnMetadata: []*thriftgen.ColumnDef{
		col([]byte("a"), "LongType"), col([]byte("b"), "BytesType"), col([]byte("a"), "UTF8Type")}})
	tb := s.Current().Table("K", "t")
	if len(tb.Columns) != 2 || tb.ValueValidator([]byte("a")).Class() != m+"UTF8Type" {
		t.Errorf("columns %v, validator %s", tb.Columns, tb.ValueValidator([]byte("a")).Class())
	}
}

func TestChangeKindString(t *testing.T) {
	for k, want := range map[ChangeKind]string{KeyspaceAdded: "KeyspaceAdded", KeyspaceUpdated: "KeyspaceUpdated",
		KeyspaceDropped: "KeyspaceDropped", TableAdded: "TableAdded", TableUpdated: "TableUpdated",
		TableDropped: "TableDropped", Loaded: "Loaded", 0: "ChangeKind(?)"} {
		if k.String() != want {
			t.Errorf("%d.String() = %s", int(k), k.String())
		}
	}
}
