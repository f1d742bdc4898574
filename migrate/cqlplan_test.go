package migrate

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/internal/cqltype"
)

// cqlSchemaYAML is a CQL schema file: user types (one using another),
// tables with clustering, statics, collections, indexes of every target,
// options in their legacy and short spellings, and a counter table.
const cqlSchemaYAML = `
keyspace: KS
strategy: SimpleStrategy
strategy_options: {replication_factor: 1}
durable_writes: true
owns_keyspace: true
types:
  - name: address
    fields:
      - {name: street, type: text}
      - {name: phones, type: "frozen<list<frozen<phone>>>"}
  - name: phone
    fields:
      - {name: kind, type: varchar}
      - {name: number, type: text}
  - name: unused
    fields:
      - {name: x, type: int}
tables:
  - name: timeline
    partition_key: [user]
    clustering:
      - {name: posted, order: DESC}
      - seq
    columns:
      - {name: user, type: text}
      - {name: posted, type: timeuuid}
      - {name: seq, type: int}
      - {name: body, type: text}
      - {name: owner, type: text, static: true}
      - {name: tags, type: "set<text>", index: true}
      - {name: home, type: "frozen<address>"}
      - {name: attrs, type: "Map<text, frozen<list<int>>>"}
      - {name: pair, type: "tuple<int, varchar>"}
      - {name: "Quoted", type: text}
      - {name: scores, type: "frozen<list<int>>", index: true}
    indexes:
      - {name: timeline_attr_keys, column: attrs, target: keys}
      - {column: home}
      - {name: timeline_body, column: body, class: org.apache.cassandra.index.sasi.SASIIndex, options: {mode: CONTAINS}}
    options:
      comment: posts by user
      gc_grace_seconds: 86400
      compaction: {class: LeveledCompactionStrategy, sstable_size_in_mb: 160}
      compression: {sstable_compression: LZ4Compressor, chunk_length_kb: 64}
      caching: {keys: none}
      speculative_retry: 10ms
      default_time_to_live: 0
      bloom_filter_fp_chance: 0.01
  - name: users
    partition_key: [id]
    columns:
      - {name: id, type: uuid}
      - {name: name, type: text, index_name: users_by_name}
      - {name: emails, type: "list<text>"}
      - {name: born, type: date}
  - name: likes
    partition_key: [post, day]
    columns:
      - {name: post, type: timeuuid}
      - {name: day, type: date}
      - {name: n, type: counter}
`

func loadCQLSpec(t testing.TB, ks string) *KeyspaceSpec {
	t.Helper()
	spec, err := LoadSchema(strings.NewReader(cqlSchemaYAML), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	spec.Name = ks
	return spec
}

func TestCQLPlanCreateThenNothing(t *testing.T) {
	ctx, db, ks := cqlSetup(t)
	spec := loadCQLSpec(t, ks)
	p := planCQL(t, db, spec)
	want := []StepKind{StepCreateKeyspace, StepCreateType, StepCreateType, StepCreateType,
		StepCreateTable, StepCreateTable, StepCreateTable, StepCreateIndex, StepCreateIndex, StepCreateIndex, StepCreateIndex, StepCreateIndex, StepCreateIndex}
	if got := kinds(p); !reflect.DeepEqual(got, want) {
		t.Fatalf("kinds %v, want %v\n%s", got, want, p)
	}
	if p.Protocol != ProtocolCQL || len(p.Destructive()) != 0 || len(p.Refused()) != 0 || len(p.Warnings()) != 0 {
		t.Fatalf("plan:\n%s", p)
	}
	// phone is created before address, which uses it.
	if p.Steps[1].Type != "phone" || p.Steps[2].Type != "address" {
		t.Fatalf("type order: %s, %s", p.Steps[1].Type, p.Steps[2].Type)
	}
	text := p.String()
	for _, s := range []string{
		"1. create keyspace " + ks + ": strategy=SimpleStrategy",
		"CREATE KEYSPACE " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'} AND durable_writes = true",
		"CREATE TYPE " + ks + ".phone (kind text, number text)",
		"CREATE TABLE " + ks + ".timeline (user text, posted timeuuid, seq int, body text, owner text STATIC, tags set<text>, home frozen<address>, " +
			"attrs map<text, frozen<list<int>>>, pair frozen<tuple<int, text>>, \"Quoted\" text, scores frozen<list<int>>, PRIMARY KEY ((user), posted, seq)) " +
			"WITH CLUSTERING ORDER BY (posted DESC, seq ASC) AND bloom_filter_fp_chance = 0.01",
		"CREATE INDEX timeline_attr_keys ON " + ks + ".timeline (keys(attrs))",
		"CREATE INDEX ON " + ks + ".timeline (home)",
		"CREATE INDEX ON " + ks + ".timeline (full(scores))",
		"CREATE INDEX users_by_name ON " + ks + ".users (name)",
		"CREATE CUSTOM INDEX timeline_body ON " + ks + ".timeline (body) USING 'org.apache.cassandra.index.sasi.SASIIndex' WITH OPTIONS = {'mode': 'CONTAINS'}",
		"CREATE TABLE " + ks + ".likes (post timeuuid, day date, n counter, PRIMARY KEY ((post, day)))",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("plan lacks %q:\n%s", s, text)
		}
	}
	raw, err := json.Marshal(p)
	must(t, err)
	var decoded Plan
	must(t, json.Unmarshal(raw, &decoded))
	if decoded.Protocol != "cql" || len(decoded.Steps) != len(p.Steps) || !slices.Equal(decoded.Steps[0].CQL, p.Steps[0].CQL) {
		t.Fatalf("JSON: %s", raw)
	}
	if err := decoded.Apply(ctx); err == nil || !strings.Contains(err.Error(), "decoded plans cannot be applied") {
		t.Fatalf("Apply of a decoded plan: %v", err)
	}

	var applied []int
	must(t, p.Apply(ctx, OnStep(func(i int, _ Step) { applied = append(applied, i) })))
	if len(applied) != len(p.Steps) {
		t.Fatalf("OnStep saw %v", applied)
	}
	mustBeEmpty(t, db, spec)
	must(t, p.Apply(ctx)) // applying it again sends nothing

	// The same schema in JSON, with the short clustering spelling, is the
	// same schema.
	js, err := json.Marshal(spec)
	must(t, err)
	back, err := LoadSchema(strings.NewReader(string(js)), "json")
	must(t, err)
	mustBeEmpty(t, db, back)
}

func TestCQLPlanEveryChange(t *testing.T) {
	ctx, db, ks := cqlSetup(t)
	spec := loadCQLSpec(t, ks)
	must(t, planCQL(t, db, spec).Apply(ctx))
	execAll(t, db,
		"INSERT INTO "+ks+".timeline (user, posted, seq, body, owner) VALUES ('ann', now(), 1, 'hello', 'Ann')",
		"UPDATE "+ks+".likes SET n = n + 1 WHERE post = now() AND day = '2024-01-02'",
	)

	spec.DurableWrites = Ptr(false)
	spec.Types[0].Fields = append(spec.Types[0].Fields, FieldSpec{Name: "city", Type: "text"})
	spec.Types = spec.Types[:2] // unused goes
	tl := &spec.Tables[0]
	tl.Options["comment"] = "timelines"
	tl.Options["compaction"] = map[string]any{"class": "SizeTieredCompactionStrategy"}
	tl.Options["compression"] = map[string]any{"class": "DeflateCompressor"}
	tl.Columns = slices.DeleteFunc(tl.Columns, func(c ColumnSpec) bool { return c.Name == "body" })
	tl.Indexes = slices.DeleteFunc(tl.Indexes, func(ix TableIndexSpec) bool { return ix.Column == "body" })
	for i := range tl.Columns {
		if tl.Columns[i].Name == "tags" {
			tl.Columns[i].Index = false // drop the tags index
		}
	}
	tl.Columns = append(tl.Columns,
		ColumnSpec{Name: "likes", Type: "int", Index: true},
		ColumnSpec{Name: "banner", Type: "text", Static: true})
	spec.Tables = spec.Tables[:2] // likes goes

	p := planCQL(t, db, spec)
	want := []StepKind{StepAlterKeyspace, StepDropIndex, StepDropIndex, StepAlterType, StepAlterTable, StepAddColumn, StepAddColumn,
		StepCreateIndex, StepDropColumn, StepDropTable, StepDropType}
	if got := kinds(p); !reflect.DeepEqual(got, want) {
		t.Fatalf("kinds %v, want %v\n%s", got, want, p)
	}
	if n := len(p.Destructive()); n != 5 {
		t.Errorf("%d destructive steps, want 5:\n%s", n, p)
	}
	warned := map[StepKind][]WarningClass{}
	for _, s := range p.Steps {
		for _, w := range s.Warnings {
			warned[s.Kind] = append(warned[s.Kind], w.Class)
		}
	}
	wantWarned := map[StepKind][]WarningClass{
		StepAlterTable: {WarnRewritesData, WarnRewritesData},
		StepDropColumn: {WarnDataLoss},
		StepDropTable:  {WarnDataLoss},
	}
	if !reflect.DeepEqual(warned, wantWarned) {
		t.Errorf("warnings %v, want %v\n%s", warned, wantWarned, p)
	}
	for _, s := range []string{
		"ALTER KEYSPACE " + ks + " WITH durable_writes = false",
		"DROP INDEX " + ks + ".timeline_tags_idx",
		"DROP INDEX " + ks + ".timeline_body",
		"ALTER TYPE " + ks + ".address ADD city text",
		"ALTER TABLE " + ks + ".timeline WITH comment = 'timelines' AND compaction = {'class': 'SizeTieredCompactionStrategy'} AND compression = {'class': 'DeflateCompressor'}",
		"ALTER TABLE " + ks + ".timeline ADD likes int",
		"ALTER TABLE " + ks + ".timeline ADD banner text STATIC",
		"CREATE INDEX ON " + ks + ".timeline (likes)",
		"ALTER TABLE " + ks + ".timeline DROP body",
		"DROP TABLE " + ks + ".likes",
		"DROP TYPE " + ks + ".unused",
		"column body of " + ks + ".timeline holds values (1 in the first 1 rows read)",
		"compaction {class:LeveledCompactionStrategy} -> {class:SizeTieredCompactionStrategy}",
		`comment "posts by user" -> "timelines"`,
	} {
		if !strings.Contains(p.String(), s) {
			t.Errorf("plan lacks %q:\n%s", s, p)
		}
	}
	err := p.Apply(ctx)
	var de *DestructiveError
	if !errors.As(err, &de) || !errors.Is(err, ErrDestructive) || len(de.Steps) != 5 {
		t.Fatalf("Apply without the allow: %v", err)
	}
	if lt, err := readLiveKeyspace(ctx, db, ks); err != nil || !lt.durable {
		t.Fatalf("a refused Apply changed the keyspace: %v", err)
	}
	must(t, p.Apply(ctx, AllowDestructive()))
	mustBeEmpty(t, db, spec)

	// Without owning the keyspace, unlisted tables and types stay.
	spec.OwnsKeyspace = false
	spec.Types, spec.Tables = nil, spec.Tables[:1]
	mustBeEmpty(t, db, spec)
}

func TestCQLPlanReplicationWarns(t *testing.T) {
	ctx, db, ks := cqlSetup(t)
	spec := &KeyspaceSpec{Name: ks}
	must(t, planCQL(t, db, spec).Apply(ctx))
	mustBeEmpty(t, db, spec)
	spec.StrategyOptions = StringOptions{"replication_factor": "2"}
	p := planCQL(t, db, spec)
	if len(p.Steps) != 1 || p.Steps[0].Kind != StepAlterKeyspace || len(p.Steps[0].Warnings) != 1 ||
		p.Steps[0].Warnings[0].Class != WarnRepairNeeded ||
		p.Steps[0].CQL[0] != "ALTER KEYSPACE "+ks+" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '2'}" {
		t.Fatalf("plan:\n%s", p)
	}
	must(t, p.Apply(ctx))
	mustBeEmpty(t, db, spec)
}

func TestCQLPlanRefusals(t *testing.T) {
	ctx, db, ks := cqlSetup(t)
	base := func() *KeyspaceSpec {
		return &KeyspaceSpec{Name: ks, OwnsKeyspace: true,
			Types: []TypeSpec{{Name: "point", Fields: []FieldSpec{{Name: "x", Type: "int"}, {Name: "y", Type: "int"}}}},
			Tables: []TableSpec{{Name: "t", PartitionKey: []string{"k"}, Clustering: []ClusteringSpec{{Name: "c"}},
				Columns: []ColumnSpec{{Name: "k", Type: "text"}, {Name: "c", Type: "int"}, {Name: "v", Type: "text"},
					{Name: "s", Type: "text", Static: true}, {Name: "gone", Type: "text"}, {Name: "p", Type: "frozen<point>"}},
			}},
		}
	}
	spec := base()
	must(t, planCQL(t, db, spec).Apply(ctx))
	spec.Tables[0].Columns = spec.Tables[0].Columns[:4] // drop gone and p
	must(t, planCQL(t, db, spec).Apply(ctx, AllowDestructive()))
	execAll(t, db, "CREATE TABLE "+ks+".compact (k text PRIMARY KEY, v text) WITH COMPACT STORAGE",
		"CREATE TABLE "+ks+".keys_only (k text PRIMARY KEY)",
		"CREATE TABLE "+ks+".by_point (p frozen<point> PRIMARY KEY, v text)")

	tests := []struct {
		name   string
		edit   func(s *KeyspaceSpec)
		reason string
	}{
		{"partition key", func(s *KeyspaceSpec) {
			s.Tables[0].PartitionKey, s.Tables[0].Clustering, s.Tables[0].Columns[3].Static = []string{"k", "c"}, nil, false
		}, "cannot change a table's primary key"},
		{"clustering order", func(s *KeyspaceSpec) { s.Tables[0].Clustering[0].Order = "desc" }, "cannot change a table's primary key"},
		{"key type", func(s *KeyspaceSpec) { s.Tables[0].Columns[1].Type = "bigint" }, "cannot change a table's primary key"},
		{"column type", func(s *KeyspaceSpec) { s.Tables[0].Columns[2].Type = "int" }, "Altering of types is not allowed"},
		{"static to regular", func(s *KeyspaceSpec) { s.Tables[0].Columns[3].Static = false }, "between static and regular"},
		{"re-add as another type", func(s *KeyspaceSpec) {
			s.Tables[0].Columns = append(s.Tables[0].Columns, ColumnSpec{Name: "gone", Type: "int"})
		}, "gone' of type int, incompatible with previous"},
		{"re-add as static", func(s *KeyspaceSpec) {
			s.Tables[0].Columns = append(s.Tables[0].Columns, ColumnSpec{Name: "gone", Type: "text", Static: true})
		}, "Cannot re-add previously dropped column 'gone' of kind STATIC, incompatible with previous kind REGULAR"},
		{"re-add a user type as another", func(s *KeyspaceSpec) {
			s.Tables[0].Columns = append(s.Tables[0].Columns, ColumnSpec{Name: "p", Type: "frozen<tuple<text, int>>"})
		}, "column 'p' of type frozen<tuple<text, int>>, incompatible with previous"},
		{"counter in a regular table", func(s *KeyspaceSpec) {
			s.Tables = append(s.Tables, TableSpec{Name: "keys_only", PartitionKey: []string{"k"},
				Columns: []ColumnSpec{{Name: "k", Type: "text"}, {Name: "n", Type: "counter"}}})
		}, "Cannot add a counter column (n) in a non counter column family"},
		{"unknown option", func(s *KeyspaceSpec) { s.Tables[0].Options = map[string]any{"colour": "blue"} }, `no table option "colour"`},
		{"field type", func(s *KeyspaceSpec) { s.Types[0].Fields[1].Type = "bigint" }, "Altering of types is not allowed"},
		{"field removed", func(s *KeyspaceSpec) { s.Types[0].Fields = s.Types[0].Fields[:1] }, "cannot remove a field"},
		{"field renamed", func(s *KeyspaceSpec) { s.Types[0].Fields[1].Name = "z" }, "cannot remove or reorder"},
		{"field of a type in a partition key", func(s *KeyspaceSpec) {
			s.Types[0].Fields = append(s.Types[0].Fields, FieldSpec{Name: "z", Type: "int"})
			s.Tables = append(s.Tables, TableSpec{Name: "by_point", PartitionKey: []string{"p"},
				Columns: []ColumnSpec{{Name: "p", Type: "frozen<point>"}, {Name: "v", Type: "text"}}})
		}, "Cannot add new field z of type int to user type " + ks + ".point as the type is being used in partition key by the following tables: " + ks + ".by_point"},
		{"compact storage", func(s *KeyspaceSpec) {
			s.Tables = append(s.Tables, TableSpec{Name: "compact", PartitionKey: []string{"k"},
				Columns: []ColumnSpec{{Name: "k", Type: "text"}, {Name: "v", Type: "text"}}})
		}, "is a COMPACT STORAGE table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base()
			s.Tables[0].Columns = s.Tables[0].Columns[:4]
			s.OwnsKeyspace = false
			tt.edit(s)
			p := planCQL(t, db, s)
			r := p.Refused()
			if len(r) != 1 || !strings.Contains(r[0].Reason, tt.reason) {
				t.Fatalf("refused %v, want one with %q:\n%s", r, tt.reason, p)
			}
			if !strings.Contains(p.String(), "REFUSED: ") {
				t.Errorf("printed plan:\n%s", p)
			}
			err := p.Apply(ctx, AllowDestructive())
			var re *RefusedError
			if !errors.As(err, &re) || !errors.Is(err, ErrRefused) {
				t.Fatalf("Apply: %v", err)
			}
		})
	}
	// Cassandra refuses what the plan refuses (3.11's words, or 4.0's).
	for stmt, want := range map[string][]string{
		"ALTER TABLE " + ks + ".t ADD gone int":         {"gone' of type int, incompatible with previous"},
		"ALTER TABLE " + ks + ".t ADD gone text STATIC": {"of kind STATIC, incompatible with previous kind REGULAR"},
		"ALTER TYPE " + ks + ".point ADD z int":         {"as the type is being used in partition key"},
		"ALTER TABLE " + ks + ".keys_only ADD n counter": {"Cannot add a counter column (n) in a non counter column family",
			"Cannot have a counter column (\"n\") in a non counter table"},
		"ALTER TABLE " + ks + ".t ALTER v TYPE int": {"Altering of types is not allowed", "Altering column types is no longer supported"},
	} {
		err := db.Exec(ctx, stmt)
		if err == nil || !slices.ContainsFunc(want, func(w string) bool { return strings.Contains(err.Error(), w) }) {
			t.Errorf("%s: %v, want one of %q", stmt, err, want)
		}
	}

	// A dropped column may come back with a type its old values read as.
	spec.Tables[0].Columns = append(spec.Tables[0].Columns, ColumnSpec{Name: "gone", Type: "blob"})
	p := planCQL(t, db, spec)
	if got := kinds(p); !reflect.DeepEqual(got, []StepKind{StepAddColumn, StepDropTable, StepDropTable, StepDropTable}) {
		t.Fatalf("plan:\n%s", p)
	}
	must(t, p.Apply(ctx, AllowDestructive()))
	mustBeEmpty(t, db, spec)
}

func TestCQLSpecErrors(t *testing.T) {
	col := func(name, typ string) ColumnSpec { return ColumnSpec{Name: name, Type: typ} }
	tbl := func(mod func(t *TableSpec)) *KeyspaceSpec {
		t := TableSpec{Name: "t", PartitionKey: []string{"k"}, Clustering: []ClusteringSpec{{Name: "c"}},
			Columns: []ColumnSpec{col("k", "text"), col("c", "int"), col("v", "text")}}
		mod(&t)
		return &KeyspaceSpec{Name: "K", Tables: []TableSpec{t}}
	}
	tests := []struct {
		name string
		spec *KeyspaceSpec
		want string
	}{
		{"thrift field", tbl(func(t *TableSpec) { t.Comparator = "UTF8Type" }), "comparator is a Thrift column family field"},
		{"thrift attribute", tbl(func(t *TableSpec) { t.Comment = Ptr("x") }), "attributes"},
		{"validator", tbl(func(t *TableSpec) { t.Columns[2].Validator = "UTF8Type" }), "validator, index_type and index_options are for Thrift"},
		{"no type", tbl(func(t *TableSpec) { t.Columns[2].Type = "" }), "needs a CQL type"},
		{"bad type", tbl(func(t *TableSpec) { t.Columns[2].Type = "map<text>" }), "wrong number of type parameters"},
		{"nested collection", tbl(func(t *TableSpec) { t.Columns[2].Type = "list<set<int>>" }), "non-frozen collections are not allowed inside collections"},
		{"udt in collection", tbl(func(t *TableSpec) { t.Columns[2].Type = "set<address>" }), "non-frozen UDTs are not allowed inside collections"},
		{"unknown key", tbl(func(t *TableSpec) { t.PartitionKey = []string{"nope"} }), "Unknown definition nope referenced in PRIMARY KEY"},
		{"key twice", tbl(func(t *TableSpec) { t.Clustering = []ClusteringSpec{{Name: "k"}} }), "Multiple definition of identifier k"},
		{"duplicate column", tbl(func(t *TableSpec) { t.Columns = append(t.Columns, col("v", "int")) }), "Multiple definition of identifier v"},
		{"static key", tbl(func(t *TableSpec) { t.Columns[1].Static = true }), "Static column c cannot be part of the PRIMARY KEY"},
		{"static alone", tbl(func(t *TableSpec) { t.Clustering = nil; t.Columns[2].Static = true }), "Static columns are only useful"},
		{"collection key", tbl(func(t *TableSpec) { t.Columns[1].Type = "list<int>" }), "Invalid non-frozen collection type for PRIMARY KEY component c"},
		{"counter key", tbl(func(t *TableSpec) { t.Columns[1].Type = "counter" }), "counter type is not supported for PRIMARY KEY part c"},
		{"mixed counters", tbl(func(t *TableSpec) { t.Columns = append(t.Columns, col("n", "counter")) }), "Cannot mix counter and non counter columns"},
		{"counter ttl", tbl(func(t *TableSpec) {
			t.Columns[2].Type = "counter"
			t.Options = map[string]any{"default_time_to_live": 10}
		}), "Cannot set default_time_to_live on a table with counters"},
		{"bad order", tbl(func(t *TableSpec) { t.Clustering[0].Order = "up" }), `order "up"`},
		{"index on unknown", tbl(func(t *TableSpec) { t.Indexes = []TableIndexSpec{{Column: "x"}} }), `index on unknown column "x"`},
		{"keys of a list", tbl(func(t *TableSpec) { t.Indexes = []TableIndexSpec{{Column: "v", Target: "keys"}} }), "Cannot create index on keys of column v with non-map type"},
		{"frozen values", tbl(func(t *TableSpec) {
			t.Columns[2].Type = "frozen<list<int>>"
			t.Indexes = []TableIndexSpec{{Column: "v"}}
		}), "Frozen collections currently only support full-collection indexes"},
		{"index on the key", tbl(func(t *TableSpec) { t.Indexes = []TableIndexSpec{{Column: "k"}} }), "Cannot create secondary index on partition key column k"},
		{"index options without class", tbl(func(t *TableSpec) { t.Indexes = []TableIndexSpec{{Column: "v", Options: map[string]string{"a": "b"}}} }), "custom index class"},
		{"id option", tbl(func(t *TableSpec) { t.Options = map[string]any{"id": "x"} }), `option "id" cannot be set`},
		{"list option", tbl(func(t *TableSpec) { t.Options = map[string]any{"comment": []any{1}} }), "want a string, number, boolean or map"},
		{"bad table name", tbl(func(t *TableSpec) { t.Name = "a-b" }), "is not a valid table name"},
		{"reserved table", tbl(func(t *TableSpec) { t.Name = CQLLedgerTable }), "reserved for the migration ledger"},
		{"clustering on thrift", &KeyspaceSpec{Name: "K", Tables: []TableSpec{{Name: "cf", Clustering: []ClusteringSpec{{Name: "c"}}}}}, "clustering columns need a partition_key"},
		{"type on thrift", &KeyspaceSpec{Name: "K", Tables: []TableSpec{{Name: "cf", Columns: []ColumnSpec{col("a", "int")}}}}, "type and static are for CQL tables"},
		{"duplicate type", &KeyspaceSpec{Name: "K", Types: []TypeSpec{
			{Name: "a", Fields: []FieldSpec{{Name: "x", Type: "int"}}}, {Name: "a", Fields: []FieldSpec{{Name: "x", Type: "int"}}}}}, `duplicate type "a"`},
		{"type cycle", &KeyspaceSpec{Name: "K", Types: []TypeSpec{
			{Name: "a", Fields: []FieldSpec{{Name: "b", Type: "frozen<b>"}}}, {Name: "b", Fields: []FieldSpec{{Name: "a", Type: "frozen<a>"}}}}}, "cycle: a -> b -> a"},
		{"type counter", &KeyspaceSpec{Name: "K", Types: []TypeSpec{{Name: "a", Fields: []FieldSpec{{Name: "x", Type: "counter"}}}}}, "cannot contain counters"},
		{"non-frozen field udt", &KeyspaceSpec{Name: "K", Types: []TypeSpec{{Name: "a", Fields: []FieldSpec{{Name: "x", Type: "b"}}}}}, "cannot contain non-frozen UDTs"},
		{"no fields", &KeyspaceSpec{Name: "K", Types: []TypeSpec{{Name: "a"}}}, "at least one field"},
		{"duplicate field", &KeyspaceSpec{Name: "K", Types: []TypeSpec{{Name: "a", Fields: []FieldSpec{{Name: "x", Type: "int"}, {Name: "x", Type: "int"}}}}}, "Duplicate field name x in type a"},
	}
	for _, tt := range tests {
		err := tt.spec.Validate()
		if !errors.Is(err, ErrInvalidSpec) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

// A spec of one protocol is refused by the other's planner, and a CQL
// spec naming a type nobody defines is refused at plan time.
func TestCQLPlanWrongProtocol(t *testing.T) {
	ctx, db, ks := cqlSetup(t)
	_, err := PlanCQL(ctx, db, &KeyspaceSpec{Name: ks, Tables: []TableSpec{{Name: "Users", Comparator: "UTF8Type"}}})
	if !errors.Is(err, ErrInvalidSpec) || !strings.Contains(err.Error(), "Users is a Thrift column family") {
		t.Fatalf("PlanCQL of a column family: %v", err)
	}
	_, sys := setup(t, "")
	cqlSpec := &KeyspaceSpec{Name: ks, Tables: []TableSpec{{Name: "t", PartitionKey: []string{"k"}, Columns: []ColumnSpec{{Name: "k", Type: "text"}}}}}
	if _, err := PlanSchema(ctx, sys, cqlSpec); !errors.Is(err, ErrInvalidSpec) || !strings.Contains(err.Error(), "t is a CQL table") {
		t.Fatalf("PlanSchema of a CQL table: %v", err)
	}
	cqlSpec.Tables[0].Columns = append(cqlSpec.Tables[0].Columns, ColumnSpec{Name: "a", Type: "frozen<Address>"})
	if _, err := PlanCQL(ctx, db, cqlSpec); !errors.Is(err, ErrInvalidSpec) || !strings.Contains(err.Error(), "Unknown type "+ks+".address") {
		t.Fatalf("unknown type: %v", err)
	}
}

// cqlValueCompatible follows AbstractType.isValueCompatibleWith (the
// parsing and printing of types are internal/cqltype's tests).
func TestCQLValueCompatible(t *testing.T) {
	compat := func(next, prev string) bool {
		n, err1 := cqltype.Parse(next)
		p, err2 := cqltype.Parse(prev)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		return cqlValueCompatible(n, p, func(string) []*cqltype.Type {
			return []*cqltype.Type{{Kind: "text"}, {Kind: "int"}}
		})
	}
	for _, c := range []struct {
		next, prev string
		want       bool
	}{
		{"text", "ascii", true}, {"ascii", "text", false}, {"blob", "int", true}, {"bigint", "int", false},
		{"varint", "int", true}, {"bigint", "timestamp", true}, {"timestamp", "bigint", true},
		{"frozen<p>", "frozen<tuple<text, int>>", true}, {"frozen<tuple<text, int, int>>", "frozen<p>", true},
		{"frozen<tuple<int>>", "frozen<p>", false}, {"list<text>", "list<text>", true}, {"list<text>", "list<ascii>", false},
		{"frozen<list<text>>", "frozen<list<ascii>>", true}, {"blob", "list<int>", false},
	} {
		if got := compat(c.next, c.prev); got != c.want {
			t.Errorf("compatible(%s <- %s) = %v", c.next, c.prev, got)
		}
	}
}

func TestCQLOptionDiff(t *testing.T) {
	for _, c := range []struct {
		name       string
		want, live any
		differ     bool
	}{
		{"gc_grace_seconds", 864000, 864000, false},
		{"gc_grace_seconds", "864000", 864000, false},
		{"gc_grace_seconds", 10, 864000, true},
		{"bloom_filter_fp_chance", 0.01, 0.01, false},
		{"comment", "", "", false},
		{"comment", "a", "b", true},
		{"cdc", false, nil, true},
		{"cdc", false, false, false},
		{"speculative_retry", "99PERCENTILE", "99p", false},
		{"speculative_retry", "10ms", "10.0ms", false},
		{"speculative_retry", "always", "ALWAYS", false},
		{"speculative_retry", "95p", "99PERCENTILE", true},
		{"caching", map[string]any{"keys": "all"}, map[string]string{"keys": "ALL", "rows_per_partition": "NONE"}, false},
		{"caching", map[string]any{"rows_per_partition": 100}, map[string]string{"keys": "ALL", "rows_per_partition": "NONE"}, true},
		{"compaction", map[string]any{"class": "LeveledCompactionStrategy"},
			map[string]string{"class": compactionPkg + "LeveledCompactionStrategy", "max_threshold": "32", "min_threshold": "4"}, false},
		{"compaction", map[string]any{"class": "SizeTieredCompactionStrategy", "min_threshold": 4},
			map[string]string{"class": compactionPkg + "SizeTieredCompactionStrategy", "max_threshold": "32", "min_threshold": "4"}, false},
		{"compaction", map[string]any{"class": "SizeTieredCompactionStrategy", "min_threshold": 8},
			map[string]string{"class": compactionPkg + "SizeTieredCompactionStrategy", "max_threshold": "32", "min_threshold": "4"}, true},
		{"compression", map[string]any{"sstable_compression": "LZ4Compressor", "chunk_length_kb": 64},
			map[string]string{"class": compressionPkg + "LZ4Compressor", "chunk_length_in_kb": "64"}, false},
		{"compression", map[string]any{"enabled": false}, map[string]string{"enabled": "false"}, false},
		{"compression", map[string]any{"class": "SnappyCompressor"}, map[string]string{"enabled": "false"}, true},
	} {
		ch, differ := optionDiff(c.name, c.want, c.live)
		if differ != c.differ {
			t.Errorf("%s %v vs %v: differ %v (%v)", c.name, c.want, c.live, differ, ch)
		}
	}
	if ch, _ := optionDiff("compaction", map[string]any{"class": "LeveledCompactionStrategy"},
		map[string]string{"class": compactionPkg + "SizeTieredCompactionStrategy", "max_threshold": "32"}); ch.String() !=
		"compaction {class:SizeTieredCompactionStrategy} -> {class:LeveledCompactionStrategy}" {
		t.Errorf("change: %s", ch)
	}
	if lit, err := optionLiteral(map[string]any{"class": "X", "n": 1.5, "it's": true}); err != nil || lit != `{'class': 'X', 'it''s': 'true', 'n': '1.5'}` {
		t.Errorf("literal %s %v", lit, err)
	}
	_ = fmt.Sprint()
}

// An index whose target or options change is dropped and created again;
// one the spec names differently replaces the old one; Cassandra's own
// names are kept for unnamed indexes.
func TestCQLPlanIndexChanges(t *testing.T) {
	ctx, db, ks := cqlSetup(t)
	spec := &KeyspaceSpec{Name: ks, Tables: []TableSpec{{Name: "t", PartitionKey: []string{"k"},
		Columns: []ColumnSpec{{Name: "k", Type: "text"}, {Name: "v", Type: "int", Index: true}, {Name: "m", Type: "map<text, int>"}, {Name: "s", Type: "text"}},
		Indexes: []TableIndexSpec{{Name: "mi", Column: "m", Target: "keys"},
			{Name: "si", Column: "s", Class: "org.apache.cassandra.index.sasi.SASIIndex", Options: map[string]string{"mode": "PREFIX"}}},
	}}}
	must(t, planCQL(t, db, spec).Apply(ctx))
	mustBeEmpty(t, db, spec)
	tbl := &spec.Tables[0]
	tbl.Indexes[0].Target = "entries"
	tbl.Indexes[1].Options["mode"] = "CONTAINS"
	tbl.Columns[1].IndexName = "v_by_value"
	p := planCQL(t, db, spec)
	var got []string
	for _, s := range p.Steps {
		got = append(got, string(s.Kind)+" "+s.Index)
	}
	want := []string{"drop-index mi", "drop-index si", "drop-index t_v_idx", "create-index v_by_value", "create-index mi", "create-index si"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("steps %q, want %q\n%s", got, want, p)
	}
	must(t, p.Apply(ctx, AllowDestructive()))
	mustBeEmpty(t, db, spec)
}

// A table described as a cql.Table (what Session.Table reads, and what a
// mapper describes its model as) plans like its spec: read back from the
// live schema, it plans nothing; on an empty keyspace, it creates the same
// table.
func TestTableFromCQL(t *testing.T) {
	ctx, db, ks := cqlSetup(t)
	spec := loadCQLSpec(t, ks)
	must(t, planCQL(t, db, spec).Apply(ctx))
	var tables []TableSpec
	for _, name := range []string{"timeline", "users", "likes"} {
		live, err := db.Table(ctx, ks, name)
		must(t, err)
		tables = append(tables, TableFromCQL(live))
	}
	p, err := PlanCQLTables(ctx, db, ks, nil, tables...)
	must(t, err)
	if !p.Empty() {
		t.Fatalf("the live tables, described back, plan:\n%s", p)
	}
	other := freshKeyspace(t, db)
	p, err = PlanCQLTables(ctx, db, other, spec.Types, tables...)
	must(t, err)
	must(t, p.Apply(ctx))
	for i, name := range []string{"timeline", "users", "likes"} {
		live, err := db.Table(ctx, other, name)
		must(t, err)
		if got := TableFromCQL(live); !reflect.DeepEqual(got, tables[i]) {
			t.Errorf("%s: created as\n%+v\nwant\n%+v", name, got, tables[i])
		}
	}
	if got := TableFromCQL(nil); got.Name != "" {
		t.Errorf("nil table: %+v", got)
	}
}

// Dropping a non-frozen user-type column: 3.x drops it (recording its type
// as a tuple); 4.0 and later refuse, and so does the plan there.
func TestCQLPlanDropNonFrozenUDT(t *testing.T) {
	ctx, db, ks := cqlSetup(t)
	spec := &KeyspaceSpec{Name: ks,
		Types: []TypeSpec{{Name: "point", Fields: []FieldSpec{{Name: "x", Type: "int"}}}},
		Tables: []TableSpec{{Name: "t", PartitionKey: []string{"k"},
			Columns: []ColumnSpec{{Name: "k", Type: "text"}, {Name: "p", Type: "point"}}}}}
	must(t, planCQL(t, db, spec).Apply(ctx))
	spec.Tables[0].Columns = spec.Tables[0].Columns[:1]
	p := planCQL(t, db, spec)
	major, err := readMajorVersion(ctx, db)
	must(t, err)
	if major >= 4 {
		if r := p.Refused(); len(r) != 1 || !strings.Contains(r[0].Reason, "Cannot drop non-frozen column p of user type point") {
			t.Fatalf("plan on %d.x:\n%s", major, p)
		}
		if err := db.Exec(ctx, "ALTER TABLE "+ks+".t DROP p"); err == nil || !strings.Contains(err.Error(), "Cannot drop non-frozen column p") {
			t.Fatalf("Cassandra dropped it: %v", err)
		}
		return
	}
	if got := kinds(p); !reflect.DeepEqual(got, []StepKind{StepDropColumn}) {
		t.Fatalf("plan on %d.x:\n%s", major, p)
	}
	must(t, p.Apply(ctx, AllowDestructive()))
	mustBeEmpty(t, db, spec)
}
