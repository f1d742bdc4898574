package migrate

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const yamlSchema = `
keyspace: Twissandra
strategy: SimpleStrategy
strategy_options:
  replication_factor: 1
durable_writes: true
owns_keyspace: true
tables:
  - name: Users
    comparator: UTF8Type
    key_validation: UTF8Type
    comment: registered users
    gc_grace_seconds: 86400
    caching: keys_only
    columns:
      - name: state
        validator: UTF8Type
        index: true
      - name: birthdate
        validator: LongType
        index: true
        index_name: users_birthdate
  - name: Timeline
    super: true
    comparator: TimeUUIDType
    subcomparator: UTF8Type
  - name: Scores
    comparator: LongType
    columns:
      - name: 42
        validator: Int32Type
      - name: "7"
`

const jsonSchema = `{
  "keyspace": "Twissandra",
  "strategy": "SimpleStrategy",
  "strategy_options": {"replication_factor": 1},
  "durable_writes": true,
  "owns_keyspace": true,
  "tables": [
    {"name": "Users", "comparator": "UTF8Type", "key_validation": "UTF8Type",
     "comment": "registered users", "gc_grace_seconds": 86400, "caching": "keys_only",
     "columns": [
       {"name": "state", "validator": "UTF8Type", "index": true},
       {"name": "birthdate", "validator": "LongType", "index": true, "index_name": "users_birthdate"}
     ]},
    {"name": "Timeline", "super": true, "comparator": "TimeUUIDType", "subcomparator": "UTF8Type"},
    {"name": "Scores", "comparator": "LongType",
     "columns": [{"name": 42, "validator": "Int32Type"}, {"name": "7"}]}
  ]
}`

func TestLoadSchemaFormats(t *testing.T) {
	for _, tt := range []struct{ format, text string }{
		{"yaml", yamlSchema}, {"json", jsonSchema}, {"", yamlSchema}, {"", jsonSchema},
	} {
		spec, err := LoadSchema(strings.NewReader(tt.text), tt.format)
		if err != nil {
			t.Fatalf("%s: %v", tt.format, err)
		}
		if spec.Name != "Twissandra" || spec.StrategyOptions["replication_factor"] != "1" || !*spec.DurableWrites || !spec.OwnsKeyspace {
			t.Fatalf("keyspace: %+v", spec)
		}
		u := spec.Tables[0]
		if u.Name != "Users" || *u.Comment != "registered users" || *u.GCGraceSeconds != 86400 || *u.Caching != "keys_only" ||
			len(u.Columns) != 2 || !u.Columns[1].Index || u.Columns[1].IndexName != "users_birthdate" {
			t.Fatalf("Users: %+v", u)
		}
		if !spec.Tables[1].Super || spec.Tables[1].Subcomparator != "UTF8Type" {
			t.Fatalf("Timeline: %+v", spec.Tables[1])
		}
	}
}

func TestLoadSchemaAppliesAndPlansEmpty(t *testing.T) {
	ctx, sys := setup(t, "")
	spec, err := LoadSchema(strings.NewReader(yamlSchema), "yaml")
	must(t, err)
	p, err := PlanSchema(ctx, sys, spec)
	must(t, err)
	applyAndRecheck(t, ctx, sys, spec, p)
	// The same schema in JSON is the same schema.
	js, err := LoadSchema(strings.NewReader(jsonSchema), "json")
	must(t, err)
	p, err = PlanSchema(ctx, sys, js)
	must(t, err)
	if !p.Empty() {
		t.Fatalf("JSON schema differs from YAML:\n%s", p)
	}
}

func TestLoadSchemaErrors(t *testing.T) {
	tests := []struct{ name, format, text, want string }{
		{"unknown field yaml", "yaml", "keyspace: K\ncomparator: UTF8Type\n", "field comparator not found"},
		{"unknown field json", "json", `{"keyspace":"K","bogus":1}`, "unknown field"},
		{"bad json", "json", `{"keyspace":`, "reading JSON"},
		{"empty", "yaml", "", "empty schema"},
		{"no keyspace", "yaml", "tables: []\n", "keyspace name is required"},
		{"bad option", "json", `{"keyspace":"K","strategy_options":{"a":[1]}}`, "want a string"},
		{"format", "toml", "", "unknown schema format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadSchema(strings.NewReader(tt.text), tt.format)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestLoadSchemaFile(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"s.yaml": yamlSchema, "s.json": jsonSchema, "s.schema": jsonSchema} {
		p := filepath.Join(dir, name)
		must(t, os.WriteFile(p, []byte(text), 0o600))
		spec, err := LoadSchemaFile(p)
		if err != nil || spec.Name != "Twissandra" {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if _, err := LoadSchemaFile(filepath.Join(dir, "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	must(t, os.WriteFile(bad, []byte("keyspace: K\ntables: [{name: a, comparator: Nope}]\n"), 0o600))
	if _, err := LoadSchemaFile(bad); !errors.Is(err, ErrInvalidSpec) || !strings.Contains(err.Error(), bad) {
		t.Fatalf("bad file: %v", err)
	}
}

func FuzzLoadSchema(f *testing.F) {
	f.Add([]byte(yamlSchema))
	f.Add([]byte(jsonSchema))
	f.Add([]byte("keyspace: K\ntables: [{name: a, columns: [{name: [1,2]}]}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, err := LoadSchema(strings.NewReader(string(data)), "")
		if err == nil && spec.Name == "" {
			t.Fatal("accepted a spec without a keyspace")
		}
	})
}

// TestDocSchemaParses keeps the schema file example in doc.go valid.
func TestDocSchemaParses(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	must(t, err)
	var lines []string
	in := false
	for _, l := range strings.Split(string(src), "\n") {
		l = strings.TrimPrefix(l, "//\t")
		if strings.HasPrefix(l, "keyspace: Twissandra") {
			in = true
		}
		if in {
			lines = append(lines, l)
		}
		if in && strings.Contains(l, "subcomparator: UTF8Type") {
			break
		}
	}
	spec, err := LoadSchema(strings.NewReader(strings.Join(lines, "\n")), "yaml")
	if err != nil {
		t.Fatalf("doc.go schema: %v\n%s", err, strings.Join(lines, "\n"))
	}
	if len(spec.Tables) != 2 || len(spec.Tables[0].Columns) != 2 || spec.Tables[0].MaxIndexInterval == nil {
		t.Fatalf("doc.go schema read as %+v", spec)
	}
	ctx, sys := setup(t, "")
	p, err := PlanSchema(ctx, sys, spec)
	must(t, err)
	applyAndRecheck(t, ctx, sys, spec, p)
}
