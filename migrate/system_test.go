package migrate

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	tg "github.com/cassa-go/cassa/thriftgen"
)

func TestKeyspaceLifecycle(t *testing.T) {
	ctx, sys := setup(t, "")
	must(t, sys.CreateKeyspace(ctx, "KS1", KeyspaceDef{}))
	props, err := sys.GetKeyspaceProperties(ctx, "KS1")
	must(t, err)
	if props.Strategy != locatorPkg+SimpleStrategy || props.StrategyOptions["replication_factor"] != "1" || !props.DurableWrites {
		t.Fatalf("defaults: %+v", props)
	}

	must(t, sys.CreateKeyspace(ctx, "KS2", KeyspaceDef{
		Strategy:        "NetworkTopologyStrategy",
		StrategyOptions: map[string]string{"datacenter1": "2"},
		DurableWrites:   Ptr(false),
	}))
	props, err = sys.GetKeyspaceProperties(ctx, "KS2")
	must(t, err)
	if props.Strategy != locatorPkg+NetworkTopologyStrategy || props.StrategyOptions["datacenter1"] != "2" || props.DurableWrites {
		t.Fatalf("NTS: %+v", props)
	}

	// Alter changes only what it is given.
	must(t, sys.AlterKeyspace(ctx, "KS2", KeyspaceDef{DurableWrites: Ptr(true)}))
	props, err = sys.GetKeyspaceProperties(ctx, "KS2")
	must(t, err)
	if props.Strategy != locatorPkg+NetworkTopologyStrategy || props.StrategyOptions["datacenter1"] != "2" || !props.DurableWrites {
		t.Fatalf("after durable alter: %+v", props)
	}
	must(t, sys.AlterKeyspace(ctx, "KS2", Simple(3)))
	props, err = sys.GetKeyspaceProperties(ctx, "KS2")
	must(t, err)
	if props.Strategy != locatorPkg+SimpleStrategy || !maps.Equal(props.StrategyOptions, map[string]string{"replication_factor": "3"}) || !props.DurableWrites {
		t.Fatalf("after strategy alter: %+v", props)
	}

	names, err := sys.ListKeyspaces(ctx)
	must(t, err)
	if !slices.Contains(names, "KS1") || !slices.Contains(names, "KS2") || !slices.Contains(names, "system") {
		t.Fatalf("ListKeyspaces = %v", names)
	}
	must(t, sys.DropKeyspace(ctx, "KS1"))
	if _, err := sys.GetKeyspaceProperties(ctx, "KS1"); !errors.Is(err, ErrKeyspaceNotFound) {
		t.Fatalf("after drop: %v", err)
	}

	// Server refusals pass through as *cassa.InvalidRequestError.
	var ire *cassa.InvalidRequestError
	err = sys.CreateKeyspace(ctx, "KS2", Simple(1))
	if !errors.As(err, &ire) || !strings.Contains(ire.Why, "case-insensitively unique") {
		t.Fatalf("duplicate keyspace: %v", err)
	}
	err = sys.CreateKeyspace(ctx, "bad", KeyspaceDef{Strategy: "NoSuchStrategy"})
	if !errors.As(err, &ire) || ire.Why != "Unable to find replication strategy class 'org.apache.cassandra.locator.NoSuchStrategy'" {
		t.Fatalf("bad strategy: %v", err)
	}
	if err := sys.DropKeyspace(ctx, "nope"); !errors.As(err, &ire) {
		t.Fatalf("drop unknown: %v", err)
	}
}

func TestCreateColumnFamilyAllAttributes(t *testing.T) {
	ctx, sys := setup(t, "KS")
	must(t, sys.CreateColumnFamily(ctx, "KS", "Users", ColumnFamilyDef{
		Comparator:        codec.UTF8,
		KeyValidation:     "LexicalUUIDType",
		DefaultValidation: "org.apache.cassandra.db.marshal.AsciiType",
		Columns: []ColumnSpec{
			{Name: "name", Validator: codec.UTF8},
			{Name: "age", Validator: "LongType", Index: true},
			{Name: "state", Validator: "UTF8", Index: true, IndexName: "users_state"},
		},
		Attributes: Attributes{
			Comment:                   Ptr("people"),
			ReadRepairChance:          Ptr(0.5),
			DCLocalReadRepairChance:   Ptr(0.2),
			GCGraceSeconds:            Ptr[int32](3600),
			MinCompactionThreshold:    Ptr[int32](3),
			MaxCompactionThreshold:    Ptr[int32](20),
			CompactionStrategy:        Ptr("LeveledCompactionStrategy"),
			CompactionStrategyOptions: map[string]string{"sstable_size_in_mb": "80"},
			CompressionOptions:        map[string]string{"sstable_compression": "SnappyCompressor"},
			BloomFilterFPChance:       Ptr(0.05),
			Caching:                   Ptr("all"),
			CellsPerRowToCache:        Ptr("50"),
			DefaultTimeToLive:         Ptr[int32](600),
			MemtableFlushPeriodInMs:   Ptr[int32](1000),
			SpeculativeRetry:          Ptr("ALWAYS"),
			MinIndexInterval:          Ptr[int32](64),
			MaxIndexInterval:          Ptr[int32](1024),
		},
	}))
	cf, err := sys.DescribeColumnFamily(ctx, "KS", "Users")
	must(t, err)
	checks := []struct{ name, got, want string }{
		{"comparator", cf.ComparatorType, marshalPkg + "UTF8Type"},
		{"key", cf.GetKeyValidationClass(), marshalPkg + "LexicalUUIDType"},
		{"default", cf.GetDefaultValidationClass(), marshalPkg + "AsciiType"},
		{"comment", cf.GetComment(), "people"},
		{"compaction", cf.GetCompactionStrategy(), compactionPkg + "LeveledCompactionStrategy"},
		{"compression", cf.CompressionOptions["sstable_compression"], compressionPkg + "SnappyCompressor"},
		{"caching", cf.Caching, "ALL"},
		{"cells", cf.CellsPerRowToCache, "50"},
		{"speculative", cf.SpeculativeRetry, "ALWAYS"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if cf.GetReadRepairChance() != 0.5 || cf.DclocalReadRepairChance != 0.2 || cf.GetGcGraceSeconds() != 3600 ||
		cf.GetMinCompactionThreshold() != 3 || cf.GetMaxCompactionThreshold() != 20 || cf.GetBloomFilterFpChance() != 0.05 ||
		cf.GetDefaultTimeToLive() != 600 || cf.GetMemtableFlushPeriodInMs() != 1000 || cf.GetMinIndexInterval() != 64 ||
		cf.GetMaxIndexInterval() != 1024 || cf.CompactionStrategyOptions["sstable_size_in_mb"] != "80" {
		t.Errorf("numeric attributes: %+v", cf)
	}
	byName := map[string]*tg.ColumnDef{}
	for _, cd := range cf.ColumnMetadata {
		byName[string(cd.Name)] = cd
	}
	if len(byName) != 3 || byName["age"].GetIndexName() != "Users_age_idx" || byName["state"].GetIndexName() != "users_state" ||
		byName["name"].IndexType != nil || byName["age"].ValidationClass != marshalPkg+"LongType" {
		t.Errorf("columns: %v", cf.ColumnMetadata)
	}

	// Defaults: a bare CF gets Cassandra's.
	must(t, sys.CreateColumnFamily(ctx, "KS", "Bare", ColumnFamilyDef{}))
	bare, err := sys.DescribeColumnFamily(ctx, "KS", "Bare")
	must(t, err)
	if bare.ComparatorType != codec.Bytes.Class() || bare.GetGcGraceSeconds() != 864000 || bare.Caching != "KEYS_ONLY" || bare.ColumnType != "Standard" {
		t.Errorf("defaults: %+v", bare)
	}

	// Modify reaches fields ColumnFamilyDef does not cover.
	must(t, sys.CreateColumnFamily(ctx, "KS", "Mod", ColumnFamilyDef{Modify: func(cf *tg.CfDef) { cf.Comment = Ptr("via modify") }}))
	mod, err := sys.DescribeColumnFamily(ctx, "KS", "Mod")
	must(t, err)
	if mod.GetComment() != "via modify" {
		t.Errorf("Modify: comment %q", mod.GetComment())
	}
}

func TestBadTypes(t *testing.T) {
	// pycassa's test_bad_comparator: a class or a number is not a type.
	ctx, sys := setup(t, "KS")
	for _, v := range []any{123, codec.Composite, "NoSuchType"} {
		err := sys.CreateColumnFamily(ctx, "KS", "cf", ColumnFamilyDef{Comparator: v})
		var te *TypeError
		if !errors.As(err, &te) || !errors.Is(err, ErrBadType) || te.Field != "comparator" {
			t.Errorf("comparator %#v: %v", v, err)
		}
	}
}

func TestAlterAndDropColumnFamily(t *testing.T) {
	ctx, sys := setup(t, "KS")
	must(t, sys.CreateColumnFamily(ctx, "KS", "cf", ColumnFamilyDef{
		Comparator: "AsciiType",
		Columns:    []ColumnSpec{{Name: "a", Validator: "LongType"}},
		Attributes: Attributes{Comment: Ptr("keep me")},
	}))
	// Alter keeps what it is not given (comment, column a).
	must(t, sys.AlterColumnFamily(ctx, "KS", "cf", ColumnFamilyDef{
		Comparator: "UTF8Type", // Ascii -> UTF8 is compatible
		Columns:    []ColumnSpec{{Name: "b", Validator: "UTF8Type"}},
		Attributes: Attributes{GCGraceSeconds: Ptr[int32](10)},
	}))
	cf, err := sys.DescribeColumnFamily(ctx, "KS", "cf")
	must(t, err)
	if cf.GetComment() != "keep me" || cf.GetGcGraceSeconds() != 10 || len(cf.ColumnMetadata) != 2 || cf.ComparatorType != codec.UTF8.Class() {
		t.Fatalf("after alter: %+v", cf)
	}
	// Incompatible comparator: the server's refusal passes through.
	var ire *cassa.InvalidRequestError
	must(t, sys.CreateColumnFamily(ctx, "KS", "plain", ColumnFamilyDef{Comparator: "UTF8Type"}))
	err = sys.AlterColumnFamily(ctx, "KS", "plain", ColumnFamilyDef{Comparator: "LongType"})
	if !errors.As(err, &ire) || ire.Why != "comparators do not match or are not compatible." {
		t.Fatalf("incompatible comparator: %v", err)
	}
	if err := sys.AlterColumnFamily(ctx, "KS", "nope", ColumnFamilyDef{}); !errors.Is(err, ErrColumnFamilyNotFound) {
		t.Fatalf("unknown cf: %v", err)
	}
	must(t, sys.DropColumnFamily(ctx, "KS", "cf"))
	if _, err := sys.DescribeColumnFamily(ctx, "KS", "cf"); !errors.Is(err, ErrColumnFamilyNotFound) {
		t.Fatalf("after drop: %v", err)
	}
	if err := sys.DropColumnFamily(ctx, "KS", "cf"); !errors.As(err, &ire) || ire.Why != "unconfigured table cf" {
		t.Fatalf("drop twice: %v", err)
	}
	// A missing column family is the one error every layer gives for it,
	// naming keyspace and column family, and never a missing row.
	for what, err := range map[string]error{
		"describe":   func() error { _, err := sys.DescribeColumnFamily(ctx, "KS", "cf"); return err }(),
		"alter":      sys.AlterColumnFamily(ctx, "KS", "cf", ColumnFamilyDef{}),
		"drop":       sys.DropColumnFamily(ctx, "KS", "cf"),
		"alter col":  sys.AlterColumn(ctx, "KS", "cf", "c", "UTF8Type"),
		"drop index": sys.DropIndex(ctx, "KS", "cf", "c"),
	} {
		var ut *cassa.UnknownTableError
		if !errors.As(err, &ut) || ut.Keyspace != "KS" || ut.Table != "cf" {
			t.Errorf("%s of a missing column family: %v (%T), want a *cassa.UnknownTableError naming KS.cf", what, err, err)
		}
		if errors.Is(err, cassa.ErrNotFound) || !errors.Is(err, ErrColumnFamilyNotFound) {
			t.Errorf("%s of a missing column family: %v matches ErrNotFound or not ErrColumnFamilyNotFound", what, err)
		}
	}
}

func TestAlterColumnSuper(t *testing.T) {
	// pycassa #45: alter_column on a super CF packs with the subcomparator.
	ctx, sys := setup(t, "KS")
	must(t, sys.CreateColumnFamily(ctx, "KS", "Super1", ColumnFamilyDef{Super: true, Comparator: codec.TimeUUID, Subcomparator: codec.UTF8}))
	must(t, sys.AlterColumn(ctx, "KS", "Super1", "foobar_col", codec.UTF8))
	cf, err := sys.DescribeColumnFamily(ctx, "KS", "Super1")
	must(t, err)
	if len(cf.ColumnMetadata) != 1 || string(cf.ColumnMetadata[0].Name) != "foobar_col" || cf.ColumnMetadata[0].ValidationClass != codec.UTF8.Class() {
		t.Fatalf("metadata: %v", cf.ColumnMetadata)
	}
	// And a second alter replaces the validator rather than appending.
	must(t, sys.AlterColumn(ctx, "KS", "Super1", "foobar_col", "AsciiType"))
	cf, err = sys.DescribeColumnFamily(ctx, "KS", "Super1")
	must(t, err)
	if len(cf.ColumnMetadata) != 1 || cf.ColumnMetadata[0].ValidationClass != codec.Ascii.Class() {
		t.Fatalf("metadata after second alter: %v", cf.ColumnMetadata)
	}
}

func TestIndexesPackedNames(t *testing.T) {
	ctx, sys := setup(t, "KS")
	must(t, sys.CreateColumnFamily(ctx, "KS", "Nums", ColumnFamilyDef{Comparator: codec.Long}))
	must(t, sys.AlterColumn(ctx, "KS", "Nums", int64(7), codec.Long))
	must(t, sys.CreateIndex(ctx, "KS", "Nums", int64(7), nil, IndexSpec{}))
	must(t, sys.CreateIndex(ctx, "KS", "Nums", "42", codec.UTF8, IndexSpec{Name: "answer"})) // "42" read as the LongType 42
	cf, err := sys.DescribeColumnFamily(ctx, "KS", "Nums")
	must(t, err)
	got := map[int64]*tg.ColumnDef{}
	for _, cd := range cf.ColumnMetadata {
		n, err := codec.DecodeLong(cd.Name)
		must(t, err)
		got[n] = cd
	}
	if got[7].GetIndexName() != "Nums_7_idx" || got[7].ValidationClass != codec.Long.Class() ||
		got[42].GetIndexName() != "answer" || got[42].ValidationClass != codec.UTF8.Class() {
		t.Fatalf("indexes: %v", cf.ColumnMetadata)
	}
	// DropIndex packs the name too (pycassa compared it raw).
	must(t, sys.DropIndex(ctx, "KS", "Nums", int64(7)))
	cf, err = sys.DescribeColumnFamily(ctx, "KS", "Nums")
	must(t, err)
	for _, cd := range cf.ColumnMetadata {
		if n, _ := codec.DecodeLong(cd.Name); n == 7 && (cd.IndexType != nil || cd.ValidationClass != codec.Long.Class()) {
			t.Fatalf("after DropIndex: %v", cd)
		}
	}
	if err := sys.DropIndex(ctx, "KS", "Nums", int64(8)); !errors.Is(err, ErrColumnNotFound) {
		t.Fatalf("DropIndex unknown column: %v", err)
	}
	must(t, sys.DropColumn(ctx, "KS", "Nums", 42))
	cf, err = sys.DescribeColumnFamily(ctx, "KS", "Nums")
	must(t, err)
	if len(cf.ColumnMetadata) != 1 {
		t.Fatalf("after DropColumn: %v", cf.ColumnMetadata)
	}
	if err := sys.CreateIndex(ctx, "KS", "Nums", "not a number", nil, IndexSpec{}); err == nil {
		t.Fatal("unpackable name accepted")
	}
}

func TestDescribe(t *testing.T) {
	ctx, sys := setup(t, "KS")
	tests := []struct {
		name string
		call func() (string, error)
		want string
	}{
		{"cluster", func() (string, error) { return sys.DescribeClusterName(ctx) }, "Test Cluster"},
		{"version", func() (string, error) { return sys.DescribeVersion(ctx) }, "20.1.0"},
		{"partitioner", func() (string, error) { return sys.DescribePartitioner(ctx) }, "Murmur3Partitioner"},
		{"snitch", func() (string, error) { return sys.DescribeSnitch(ctx) }, "SimpleSnitch"},
	}
	for _, tt := range tests {
		got, err := tt.call()
		if err != nil || got != tt.want {
			t.Errorf("%s = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	ring, err := sys.DescribeRing(ctx, "KS")
	must(t, err)
	if len(ring) == 0 || len(ring[0].Endpoints) != 1 {
		t.Errorf("ring: %v", ring)
	}
	tm, err := sys.DescribeTokenMap(ctx)
	must(t, err)
	if len(tm) == 0 {
		t.Errorf("token map empty")
	}
	versions, err := sys.DescribeSchemaVersions(ctx)
	must(t, err)
	if len(versions) != 1 {
		t.Errorf("versions: %v", versions)
	}
	must(t, sys.CreateColumnFamily(ctx, "KS", "a", ColumnFamilyDef{}))
	cfs, err := sys.GetKeyspaceColumnFamilies(ctx, "KS")
	must(t, err)
	if len(cfs) != 1 || cfs["a"] == nil {
		t.Errorf("column families: %v", cfs)
	}
	versions2, err := sys.DescribeSchemaVersions(ctx)
	must(t, err)
	if maps.Equal(map[string]int{firstKey(versions): 1}, map[string]int{firstKey(versions2): 1}) {
		t.Errorf("schema version did not change: %v", versions2)
	}
}

func firstKey(m map[string][]string) string {
	for k := range m {
		return k
	}
	return ""
}

func TestWaitAgreement(t *testing.T) {
	ctx := testCtx(t)
	// Agreement after a few polls; UNREACHABLE is ignored.
	calls := 0
	err := waitAgreement(ctx, time.Millisecond, time.Minute, func(context.Context) (map[string][]string, error) {
		calls++
		if calls < 3 {
			return map[string][]string{"v1": {"10.0.0.1"}, "v2": {"10.0.0.2"}}, nil
		}
		return map[string][]string{"v2": {"10.0.0.1", "10.0.0.2"}, unreachableKey: {"10.0.0.3"}}, nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("err %v after %d calls", err, calls)
	}
	// Disagreement until the deadline: the error names versions and nodes.
	err = waitAgreement(ctx, time.Millisecond, 20*time.Millisecond, func(context.Context) (map[string][]string, error) {
		return map[string][]string{"v1": {"10.0.0.2", "10.0.0.1"}, "v2": {"10.0.0.3"}, unreachableKey: {"10.0.0.4"}}, nil
	})
	var ae *AgreementError
	if !errors.As(err, &ae) || !errors.Is(err, ErrNoAgreement) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want AgreementError, got %v", err)
	}
	msg := ae.Error()
	for _, want := range []string{"v1 on [10.0.0.1 10.0.0.2]", "v2 on [10.0.0.3]", "unreachable: 10.0.0.4"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	// A non-retryable describe error is returned as is.
	boom := &cassa.InvalidRequestError{Why: "boom"}
	err = waitAgreement(ctx, time.Millisecond, time.Minute, func(context.Context) (map[string][]string, error) { return nil, boom })
	if !errors.Is(err, boom) {
		t.Fatalf("describe error: %v", err)
	}
}

func TestCachingRoundTrip(t *testing.T) {
	// pycassa's caching tests: the server reports caching upper-case.
	ctx, sys := setup(t, "KS")
	must(t, sys.CreateColumnFamily(ctx, "KS", "cf", ColumnFamilyDef{}))
	cf, err := sys.DescribeColumnFamily(ctx, "KS", "cf")
	must(t, err)
	if cf.Caching != "KEYS_ONLY" {
		t.Fatalf("new CF caching %q", cf.Caching)
	}
	for _, tt := range []struct{ set, want string }{{"all", "ALL"}, {"rows_only", "ROWS_ONLY"}, {"none", "NONE"}, {"keys_only", "KEYS_ONLY"}} {
		must(t, sys.AlterColumnFamily(ctx, "KS", "cf", ColumnFamilyDef{Attributes: Attributes{Caching: Ptr(tt.set)}}))
		cf, err := sys.DescribeColumnFamily(ctx, "KS", "cf")
		must(t, err)
		if cf.Caching != tt.want {
			t.Errorf("caching %q reported as %q", tt.set, cf.Caching)
		}
		// And a spec spelling it the user's way sees no difference.
		p, err := PlanTables(ctx, sys, "KS", TableSpec{Name: "cf", Attributes: Attributes{Caching: Ptr(tt.set)}})
		must(t, err)
		if !p.Empty() {
			t.Errorf("caching %q: plan\n%s", tt.set, p)
		}
	}
}

func TestAlterCompactionThresholds311(t *testing.T) {
	// Cassandra 3.x reports the thresholds inside
	// compaction_strategy_options as well, and on update those options win
	// over min/max_compaction_threshold; an alter must change both.
	ctx, sys := setup(t, "KS")
	must(t, sys.CreateColumnFamily(ctx, "KS", "cf", ColumnFamilyDef{}))
	must(t, sys.AlterColumnFamily(ctx, "KS", "cf", ColumnFamilyDef{Attributes: Attributes{
		MinCompactionThreshold: Ptr[int32](8), MaxCompactionThreshold: Ptr[int32](64)}}))
	cf, err := sys.DescribeColumnFamily(ctx, "KS", "cf")
	must(t, err)
	if cf.GetMinCompactionThreshold() != 8 || cf.GetMaxCompactionThreshold() != 64 {
		t.Fatalf("thresholds %d/%d", cf.GetMinCompactionThreshold(), cf.GetMaxCompactionThreshold())
	}
	// And a spec naming them, or naming other options, sees no difference.
	p, err := PlanTables(ctx, sys, "KS", TableSpec{Name: "cf", Attributes: Attributes{MinCompactionThreshold: Ptr[int32](8),
		CompactionStrategyOptions: map[string]string{}, CompressionOptions: map[string]string{"sstable_compression": "LZ4Compressor"},
		SpeculativeRetry: Ptr("none")}})
	must(t, err)
	if !p.Empty() {
		t.Errorf("plan\n%s", p)
	}
}
