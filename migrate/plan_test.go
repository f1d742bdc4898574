package migrate

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
)

func baseSpec() *KeyspaceSpec {
	return &KeyspaceSpec{
		Name:            "App",
		Strategy:        "SimpleStrategy",
		StrategyOptions: StringOptions{"replication_factor": "1"},
		Tables: []TableSpec{
			{
				Name: "Users", Comparator: "UTF8Type", KeyValidation: "UTF8Type",
				Columns: []ColumnSpec{
					{Name: "name", Validator: "UTF8Type"},
					{Name: "state", Validator: "UTF8Type", Index: true},
					{Name: "age", Validator: "LongType"},
				},
				Attributes: Attributes{Comment: Ptr("users")},
			},
			{Name: "Tweets", Super: true, Comparator: "TimeUUIDType", Subcomparator: "UTF8Type"},
			{Name: "Counters", DefaultValidation: "CounterColumnType"},
		},
	}
}

func kinds(p *Plan) []StepKind {
	out := []StepKind{}
	for _, s := range p.Steps {
		out = append(out, s.Kind)
	}
	return out
}

// schemaVersion is the single schema version of the server.
func schemaVersion(t *testing.T, ctx context.Context, sys *SystemManager) string {
	t.Helper()
	v, err := sys.DescribeSchemaVersions(ctx)
	must(t, err)
	return firstKey(v)
}

// applyAndRecheck applies p and checks that planning spec again is empty.
func applyAndRecheck(t *testing.T, ctx context.Context, sys *SystemManager, spec *KeyspaceSpec, p *Plan, opts ...ApplyOption) {
	t.Helper()
	must(t, p.Apply(ctx, opts...))
	again, err := PlanSchema(ctx, sys, spec)
	must(t, err)
	if !again.Empty() {
		t.Fatalf("plan not empty after apply:\n%s", again)
	}
	// Applying an empty plan does nothing.
	v := schemaVersion(t, ctx, sys)
	must(t, again.Apply(ctx))
	if schemaVersion(t, ctx, sys) != v {
		t.Fatal("empty plan changed the schema")
	}
}

func TestPlanCreateAndIdempotent(t *testing.T) {
	ctx, sys := setup(t, "")
	spec := baseSpec()
	p, err := PlanSchema(ctx, sys, spec)
	must(t, err)
	want := []StepKind{StepCreateKeyspace, StepAddColumnFamily, StepAddColumnFamily, StepAddColumnFamily}
	if !reflect.DeepEqual(kinds(p), want) {
		t.Fatalf("kinds %v, want %v\n%s", kinds(p), want, p)
	}
	out := p.String()
	for _, s := range []string{"plan for keyspace App: 4 step(s)", "1. create keyspace App: strategy=SimpleStrategy", `column "state"=UTF8Type, indexed`, `comment="users"`} {
		if !strings.Contains(out, s) {
			t.Errorf("plan text lacks %q:\n%s", s, out)
		}
	}
	var seen []Step
	applyAndRecheck(t, ctx, sys, spec, p, OnStep(func(i int, s Step) { seen = append(seen, s) }))
	if len(seen) != 4 {
		t.Fatalf("OnStep saw %d steps", len(seen))
	}
	// Applying the applied plan again does nothing.
	v := schemaVersion(t, ctx, sys)
	must(t, p.Apply(ctx))
	if schemaVersion(t, ctx, sys) != v || len(seen) != 4 {
		t.Fatal("re-applying an applied plan changed the schema")
	}
	cf, err := sys.DescribeColumnFamily(ctx, "App", "Users")
	must(t, err)
	if cf.GetComment() != "users" || len(cf.ColumnMetadata) != 3 {
		t.Fatalf("Users: %+v", cf)
	}
	if got := (&Plan{Keyspace: "App"}).String(); got != "keyspace App is up to date: no changes\n" {
		t.Errorf("empty plan text %q", got)
	}
}

func TestPlanEveryChange(t *testing.T) {
	ctx, sys := setup(t, "")
	spec := baseSpec()
	p, err := PlanSchema(ctx, sys, spec)
	must(t, err)
	must(t, p.Apply(ctx))
	// Something outside the spec: a CF the spec does not list.
	must(t, sys.CreateColumnFamily(ctx, "App", "Stray", ColumnFamilyDef{}))

	spec.StrategyOptions = StringOptions{"replication_factor": "2"}
	spec.OwnsKeyspace = true
	users := &spec.Tables[0]
	users.Comparator = "BytesType"                   // UTF8 -> Bytes: compatible
	users.Attributes.GCGraceSeconds = Ptr[int32](60) // attribute
	users.Columns = []ColumnSpec{
		{Name: "name", Validator: "AsciiType", Index: true}, // validator change + new index
		{Name: "state", Validator: "UTF8Type"},              // index dropped
		// "age" dropped
		{Name: "email", Validator: "UTF8Type", Index: true, IndexName: "by_email"}, // new column + index
	}
	spec.Tables = append(spec.Tables, TableSpec{Name: "Extra", Comparator: "LongType"})
	// A renamed index: drop and create.
	spec.Tables = append(spec.Tables[:1], spec.Tables[1:]...)

	p, err = PlanSchema(ctx, sys, spec)
	must(t, err)
	want := []StepKind{
		StepAlterKeyspace, StepDropIndex, StepAddColumnFamily, StepAlterColumnFamily,
		StepAddColumn, StepChangeValidator, StepCreateIndex, StepCreateIndex,
		StepDropColumn, StepDropColumnFamily,
	}
	if !reflect.DeepEqual(kinds(p), want) {
		t.Fatalf("kinds %v\nwant %v\n%s", kinds(p), want, p)
	}
	t.Log("\n" + p.String())
	if len(p.Destructive()) != 3 || len(p.Refused()) != 0 {
		t.Fatalf("destructive %v", p.Destructive())
	}

	// Without the allow nothing is sent.
	v := schemaVersion(t, ctx, sys)
	err = p.Apply(ctx)
	var de *DestructiveError
	if !errors.As(err, &de) || !errors.Is(err, ErrDestructive) || len(de.Steps) != 3 {
		t.Fatalf("Apply without allow: %v", err)
	}
	for _, s := range []string{"drop index App.Users column \"state\"", "drop column App.Users column \"age\"", "drop column family App.Stray"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q lacks %q", err, s)
		}
	}
	if schemaVersion(t, ctx, sys) != v {
		t.Fatal("refused Apply changed the schema")
	}
	applyAndRecheck(t, ctx, sys, spec, p, AllowDestructive())

	// Renaming an index is a drop and a create.
	spec.Tables[0].Columns[2].IndexName = "emails"
	p, err = PlanSchema(ctx, sys, spec)
	must(t, err)
	if !reflect.DeepEqual(kinds(p), []StepKind{StepDropIndex, StepCreateIndex}) {
		t.Fatalf("rename: %v\n%s", kinds(p), p)
	}
	applyAndRecheck(t, ctx, sys, spec, p, AllowDestructive())
	cf, err := sys.DescribeColumnFamily(ctx, "App", "Users")
	must(t, err)
	for _, cd := range cf.ColumnMetadata {
		if string(cd.Name) == "email" && cd.GetIndexName() != "emails" {
			t.Fatalf("index name %q", cd.GetIndexName())
		}
	}

	// The ledger column families survive an owning plan.
	must(t, sys.CreateColumnFamily(ctx, "App", LedgerColumnFamily, ColumnFamilyDef{}))
	p, err = PlanSchema(ctx, sys, spec)
	must(t, err)
	if !p.Empty() {
		t.Fatalf("ledger would be dropped:\n%s", p)
	}
}

func TestPlanRefused(t *testing.T) {
	ctx, sys := setup(t, "")
	spec := baseSpec()
	p, err := PlanSchema(ctx, sys, spec)
	must(t, err)
	must(t, p.Apply(ctx))

	tests := []struct {
		name   string
		edit   func(s *KeyspaceSpec)
		reason string
	}{
		{"comparator", func(s *KeyspaceSpec) { s.Tables[2].Comparator = "LongType" }, "comparators do not match"},
		{"standard to super", func(s *KeyspaceSpec) { s.Tables[0].Super = true }, "Standard and Super"},
		{"super to standard", func(s *KeyspaceSpec) { s.Tables[1].Super, s.Tables[1].Subcomparator = false, nil }, "Standard and Super"},
		{"subcomparator", func(s *KeyspaceSpec) { s.Tables[1].Subcomparator = "LongType" }, "subcomparators"},
		{"key validation", func(s *KeyspaceSpec) { s.Tables[0].KeyValidation = "LongType" }, "key validator"},
		{"counter", func(s *KeyspaceSpec) { s.Tables[2].DefaultValidation = "LongType" }, "counter"},
		{"index on super", func(s *KeyspaceSpec) {
			s.Tables[1].Columns = []ColumnSpec{{Name: "body", Index: true}}
		}, "not supported on super"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := baseSpec()
			tt.edit(spec)
			p, err := PlanSchema(ctx, sys, spec)
			must(t, err)
			r := p.Refused()
			if len(r) != 1 || !strings.Contains(r[0].Reason, tt.reason) {
				t.Fatalf("refused %v\n%s", r, p)
			}
			v := schemaVersion(t, ctx, sys)
			err = p.Apply(ctx, AllowDestructive())
			var re *RefusedError
			if !errors.As(err, &re) || !errors.Is(err, ErrRefused) {
				t.Fatalf("Apply: %v", err)
			}
			if schemaVersion(t, ctx, sys) != v {
				t.Fatal("refused plan changed the schema")
			}
			if !strings.HasPrefix(p.String(), "plan for keyspace App") || !strings.Contains(p.String(), "REFUSED") {
				t.Errorf("text:\n%s", p)
			}
		})
	}
}

func TestPlanCanonicalComparison(t *testing.T) {
	ctx, sys := setup(t, "App")
	// No column metadata: with a CompositeType comparator and
	// column_metadata, Cassandra 3.x makes a CQL table, which Thrift does
	// not describe.
	must(t, sys.CreateColumnFamily(ctx, "App", "T", ColumnFamilyDef{
		Comparator: "org.apache.cassandra.db.marshal.CompositeType(org.apache.cassandra.db.marshal.LongType,org.apache.cassandra.db.marshal.UTF8Type)",
		Attributes: Attributes{GCGraceSeconds: Ptr[int32](100)},
	}))
	// Different spellings of the same schema; attributes left out are not
	// compared (gc_grace was changed live and is not in the spec), and
	// explicit defaults in other spellings are equal.
	spec := &KeyspaceSpec{Name: "App", Tables: []TableSpec{{
		Name:       "T",
		Comparator: "CompositeType( LongType , UTF8Type )",
		Attributes: Attributes{
			Caching:            Ptr("keys_only"),
			CellsPerRowToCache: Ptr("100"),
			CompactionStrategy: Ptr("SizeTieredCompactionStrategy"),
			CompressionOptions: map[string]string{"sstable_compression": "LZ4Compressor"},
			SpeculativeRetry:   Ptr("none"),
			Comment:            Ptr(""),
		},
	}}}
	p, err := PlanSchema(ctx, sys, spec)
	must(t, err)
	if !p.Empty() {
		t.Fatalf("canonical spellings differ:\n%s", p)
	}
	// A set attribute that differs does show.
	spec.Tables[0].GCGraceSeconds = Ptr[int32](5)
	p, err = PlanSchema(ctx, sys, spec)
	must(t, err)
	if len(p.Steps) != 1 || p.Steps[0].Changes[0] != (Change{Attribute: "gc_grace_seconds", From: "100", To: "5"}) {
		t.Fatalf("gc_grace diff:\n%s", p)
	}
}

func TestPlanJSON(t *testing.T) {
	ctx, sys := setup(t, "")
	p, err := PlanSchema(ctx, sys, baseSpec())
	must(t, err)
	b, err := json.Marshal(p)
	must(t, err)
	var back struct {
		Keyspace string `json:"keyspace"`
		Steps    []struct {
			Kind         string   `json:"kind"`
			ColumnFamily string   `json:"column_family"`
			Changes      []Change `json:"changes"`
		} `json:"steps"`
	}
	must(t, json.Unmarshal(b, &back))
	if back.Keyspace != "App" || len(back.Steps) != 4 || back.Steps[0].Kind != "create-keyspace" || back.Steps[1].ColumnFamily != "Users" {
		t.Fatalf("JSON: %s", b)
	}
	// A decoded plan cannot be applied.
	var decoded Plan
	must(t, json.Unmarshal(b, &decoded))
	if err := decoded.Apply(ctx); err == nil {
		t.Fatal("decoded plan applied")
	}
}

func TestPlanStepError(t *testing.T) {
	ctx, sys := setup(t, "")
	spec := &KeyspaceSpec{Name: "App", Tables: []TableSpec{{
		Name: "T", Attributes: Attributes{MinCompactionThreshold: Ptr[int32](1)},
	}}}
	p, err := PlanSchema(ctx, sys, spec)
	must(t, err)
	err = p.Apply(ctx)
	var se *StepError
	var ire *cassa.InvalidRequestError
	if !errors.As(err, &se) || se.Index != 1 || !errors.As(err, &ire) || !strings.Contains(ire.Why, "Min compaction threshold cannot be less than 2") {
		t.Fatalf("Apply: %v", err)
	}
	// Apply again resumes at the failed step: the keyspace is not re-created.
	err = p.Apply(ctx)
	if !errors.As(err, &se) || se.Index != 1 {
		t.Fatalf("second Apply: %v", err)
	}
}

func TestPlanTablesAndStrategy(t *testing.T) {
	ctx, sys := setup(t, "")
	must(t, sys.CreateKeyspace(ctx, "App", NetworkTopology(map[string]int{"datacenter1": 1})))
	must(t, sys.CreateColumnFamily(ctx, "App", "Other", ColumnFamilyDef{}))
	// PlanTables neither manages replication nor drops unlisted CFs.
	p, err := PlanTables(ctx, sys, "App", TableSpec{Name: "Users", Comparator: codec.UTF8})
	must(t, err)
	if !reflect.DeepEqual(kinds(p), []StepKind{StepAddColumnFamily}) {
		t.Fatalf("PlanTables:\n%s", p)
	}
	must(t, p.Apply(ctx))
	// A new strategy without options gets a new keyspace's defaults.
	p, err = PlanSchema(ctx, sys, &KeyspaceSpec{Name: "App", Strategy: SimpleStrategy})
	must(t, err)
	if len(p.Steps) != 1 || p.Steps[0].Kind != StepAlterKeyspace {
		t.Fatalf("strategy change:\n%s", p)
	}
	must(t, p.Apply(ctx))
	props, err := sys.GetKeyspaceProperties(ctx, "App")
	must(t, err)
	if props.Strategy != locatorPkg+SimpleStrategy || props.StrategyOptions["replication_factor"] != "1" {
		t.Fatalf("after strategy change: %+v", props)
	}
	p, err = PlanSchema(ctx, sys, &KeyspaceSpec{Name: "App", Strategy: SimpleStrategy, DurableWrites: Ptr(false)})
	must(t, err)
	if len(p.Steps) != 1 || p.Steps[0].Changes[0] != (Change{Attribute: "durable_writes", From: "true", To: "false"}) {
		t.Fatalf("durable writes:\n%s", p)
	}
}

func TestSpecErrors(t *testing.T) {
	tests := []struct {
		name string
		spec KeyspaceSpec
		path string
	}{
		{"no keyspace", KeyspaceSpec{}, "keyspace"},
		{"no table name", KeyspaceSpec{Name: "K", Tables: []TableSpec{{}}}, "tables[0].name"},
		{"duplicate table", KeyspaceSpec{Name: "K", Tables: []TableSpec{{Name: "a"}, {Name: "a"}}}, "tables[1].name"},
		{"reserved", KeyspaceSpec{Name: "K", Tables: []TableSpec{{Name: LedgerColumnFamily}}}, "tables[0].name"},
		{"bad type", KeyspaceSpec{Name: "K", Tables: []TableSpec{{Name: "a", Comparator: "Nope"}}}, "tables[0].comparator"},
		{"bad type value", KeyspaceSpec{Name: "K", Tables: []TableSpec{{Name: "a", KeyValidation: 3}}}, "tables[0].key_validation"},
		{"sub without super", KeyspaceSpec{Name: "K", Tables: []TableSpec{{Name: "a", Subcomparator: "LongType"}}}, "tables[0].subcomparator"},
		{"no column name", KeyspaceSpec{Name: "K", Tables: []TableSpec{{Name: "a", Columns: []ColumnSpec{{}}}}}, "tables[0].columns[0].name"},
		{"unpackable", KeyspaceSpec{Name: "K", Tables: []TableSpec{{Name: "a", Comparator: codec.Long, Columns: []ColumnSpec{{Name: "x"}}}}}, "tables[0].columns[0]"},
		{"duplicate column", KeyspaceSpec{Name: "K", Tables: []TableSpec{{Name: "a", Comparator: codec.Long, Columns: []ColumnSpec{{Name: 1}, {Name: "1"}}}}}, "tables[0].columns[1].name"},
		{"bad validator", KeyspaceSpec{Name: "K", Tables: []TableSpec{{Name: "a", Columns: []ColumnSpec{{Name: "x", Validator: "Nope"}}}}}, "tables[0].columns[0]"},
		{"bad index type", KeyspaceSpec{Name: "K", Tables: []TableSpec{{Name: "a", Columns: []ColumnSpec{{Name: "x", IndexType: "TREE"}}}}}, "tables[0].columns[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.spec.Validate()
			var se *SpecError
			if !errors.As(err, &se) || !errors.Is(err, ErrInvalidSpec) || se.Path != tt.path {
				t.Fatalf("got %v, want path %s", err, tt.path)
			}
		})
	}
}

func TestPlanMovesIndexName(t *testing.T) {
	// An index name moves from one CF to a new one in one plan: the drop
	// runs first, so the name is free when the new CF is created.
	ctx, sys := setup(t, "")
	spec := &KeyspaceSpec{Name: "App", Tables: []TableSpec{
		{Name: "A", Comparator: "UTF8Type", Columns: []ColumnSpec{{Name: "x", Index: true, IndexName: "shared"}}},
	}}
	p, err := PlanSchema(ctx, sys, spec)
	must(t, err)
	must(t, p.Apply(ctx))
	spec.Tables[0].Columns[0].Index, spec.Tables[0].Columns[0].IndexName = false, ""
	spec.Tables = append(spec.Tables, TableSpec{Name: "B", Comparator: "UTF8Type", Columns: []ColumnSpec{{Name: "y", Index: true, IndexName: "shared"}}})
	p, err = PlanSchema(ctx, sys, spec)
	must(t, err)
	if !reflect.DeepEqual(kinds(p), []StepKind{StepDropIndex, StepAddColumnFamily}) {
		t.Fatalf("plan:\n%s", p)
	}
	applyAndRecheck(t, ctx, sys, spec, p, AllowDestructive())
}
