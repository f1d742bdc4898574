package migrate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/internal/check"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Column families the versioned migrations keep in the target keyspace. A
// declarative plan never drops them, even when it owns the keyspace.
const (
	LedgerColumnFamily = "cassa_migrations"
	LockColumnFamily   = "cassa_migrations_lock"
)

// Tables the versioned migrations over CQL keep in the target keyspace.
// Their names differ from the Thrift ledger's, so that a keyspace that
// used Thrift migrations (whose column families CQL sees as COMPACT
// STORAGE tables of another shape) can go on with CQL ones. A declarative
// plan never drops them.
const (
	CQLLedgerTable = "cassa_cql_migrations"
	CQLLockTable   = "cassa_cql_migrations_lock"
	// CQLMoveTable is the checkpoint of MoveThriftToCQL: the token ranges
	// of each move already copied, with their row counts.
	CQLMoveTable = "cassa_cql_moves"
)

// KeyspaceSpec is the desired schema of one keyspace: its replication and
// its column families (Thrift) or its tables and user-defined types (CQL).
// Load one from a file with LoadSchemaFile, or build it in Go; PlanSchema
// diffs it against the live schema over Thrift, PlanCQL over CQL. A spec
// holds Thrift column families or CQL tables, not both: a table is a CQL
// table when it names a partition key.
//
// Unset replication fields are not managed: Strategy "" keeps the live
// keyspace's strategy and options (a new keyspace gets SimpleStrategy with
// replication factor 1), StrategyOptions nil keeps the live options, and
// DurableWrites nil keeps the live setting (true for a new keyspace).
type KeyspaceSpec struct {
	Name            string        `json:"keyspace" yaml:"keyspace"`
	Strategy        string        `json:"strategy,omitempty" yaml:"strategy,omitempty"`
	StrategyOptions StringOptions `json:"strategy_options,omitempty" yaml:"strategy_options,omitempty"`
	DurableWrites   *bool         `json:"durable_writes,omitempty" yaml:"durable_writes,omitempty"`
	// OwnsKeyspace says the spec lists every column family (table, user
	// type) of the keyspace: live ones it does not list are dropped
	// (destructive steps). Without it, unlisted ones are left alone. The
	// migration ledgers are never dropped.
	OwnsKeyspace bool `json:"owns_keyspace,omitempty" yaml:"owns_keyspace,omitempty"`
	// Types are the CQL user-defined types of the keyspace.
	Types  []TypeSpec  `json:"types,omitempty" yaml:"types,omitempty"`
	Tables []TableSpec `json:"tables" yaml:"tables"`
}

// TableSpec is the desired definition of one Thrift column family or one
// CQL table.
//
// A Thrift column family has the shape of a mapped model: name, super or
// not, comparator, subcomparator, key and default validators, columns with
// validators and index flags, plus optional tuning Attributes. The types
// are a codec.Type or a class name; empty means BytesType, which is
// Cassandra's default, so they are always managed. The Columns list is the
// whole column metadata: live column metadata it does not name is dropped
// (a destructive step). Attributes left nil are not managed.
//
// A CQL table names its PartitionKey: its Columns are all its columns,
// with CQL types (key columns included), Clustering its clustering
// columns in order with their order, Indexes its secondary indexes (with
// the columns' Index shorthand) and Options its table options (WITH ...),
// managed when named. Live columns and indexes it does not list are
// dropped (destructive steps). The Thrift fields and Attributes do not
// apply to a CQL table, and a Thrift column family takes no Clustering,
// Indexes or Options.
type TableSpec struct {
	Name              string       `json:"name" yaml:"name"`
	Super             bool         `json:"super,omitempty" yaml:"super,omitempty"`
	Comparator        any          `json:"comparator,omitempty" yaml:"comparator,omitempty"`
	Subcomparator     any          `json:"subcomparator,omitempty" yaml:"subcomparator,omitempty"`
	KeyValidation     any          `json:"key_validation,omitempty" yaml:"key_validation,omitempty"`
	DefaultValidation any          `json:"default_validation,omitempty" yaml:"default_validation,omitempty"`
	Columns           []ColumnSpec `json:"columns,omitempty" yaml:"columns,omitempty"`
	// PartitionKey lists a CQL table's partition key columns in order;
	// naming one makes the table a CQL table.
	PartitionKey []string `json:"partition_key,omitempty" yaml:"partition_key,omitempty"`
	// Clustering lists a CQL table's clustering columns in order.
	Clustering []ClusteringSpec `json:"clustering,omitempty" yaml:"clustering,omitempty"`
	// Indexes are a CQL table's secondary indexes, besides those its
	// columns ask for with Index.
	Indexes []TableIndexSpec `json:"indexes,omitempty" yaml:"indexes,omitempty"`
	// Options are a CQL table's options as CREATE TABLE ... WITH takes
	// them (comment, gc_grace_seconds, compaction, compression, caching,
	// ...): strings, numbers, booleans, or maps for the map options.
	Options    map[string]any `json:"options,omitempty" yaml:"options,omitempty"`
	Attributes `yaml:",inline"`
}

// IsCQL reports whether the spec is a CQL table: it names a partition key.
func (t *TableSpec) IsCQL() bool { return t != nil && len(t.PartitionKey) > 0 }

// StringOptions is a map of string options that also accepts numbers and
// booleans when decoded from JSON or YAML (replication_factor: 3).
type StringOptions map[string]string

// UnmarshalJSON reads an object whose values are strings, numbers or
// booleans.
func (o *StringOptions) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if raw == nil {
		*o = nil
		return nil
	}
	out := make(StringOptions, len(raw))
	for k, v := range raw {
		var s string
		if err := json.Unmarshal(v, &s); err == nil {
			out[k] = s
			continue
		}
		var x any
		if err := json.Unmarshal(v, &x); err != nil {
			return err
		}
		switch x := x.(type) {
		case float64:
			out[k] = strconv.FormatFloat(x, 'f', -1, 64)
		case bool:
			out[k] = strconv.FormatBool(x)
		default:
			return fmt.Errorf("option %q: want a string, number or boolean, got %s", k, v)
		}
	}
	*o = out
	return nil
}

// table is a TableSpec checked and parsed: its types and packed columns.
type table struct {
	spec                        *TableSpec
	comparator, sub, key, deflt codec.Type
	cols                        []column
}

// column is a ColumnSpec with its packed name and ColumnDef.
type column struct {
	spec  *ColumnSpec
	name  []byte
	label string // the name as the comparator prints it
	def   *tg.ColumnDef
}

func (t *table) cellType() codec.Type {
	if t.spec.Super {
		return t.sub
	}
	return t.comparator
}

// cfDef is the CfDef that creates the table.
func (t *table) cfDef(keyspace string) *tg.CfDef {
	cf := tg.NewCfDef()
	cf.Keyspace = keyspace
	cf.Name = t.spec.Name
	if t.spec.Super {
		cf.ColumnType = "Super"
		cf.SubcomparatorType = Ptr(t.sub.Class())
	}
	cf.ComparatorType = t.comparator.Class()
	cf.KeyValidationClass = Ptr(t.key.Class())
	cf.DefaultValidationClass = Ptr(t.deflt.Class())
	for _, c := range t.cols {
		cf.ColumnMetadata = append(cf.ColumnMetadata, c.def)
	}
	t.spec.Attributes.apply(cf)
	return cf
}

// Validate checks the spec without contacting a server: names present and
// unique, types that parse, column names that pack under the comparator
// (Thrift), keys, clustering, indexes and types that CREATE TABLE and
// CREATE TYPE would take (CQL). Errors are *SpecError.
func (k *KeyspaceSpec) Validate() error {
	if _, err := k.parse(); err != nil {
		return err
	}
	_, err := k.parseCQL()
	return err
}

// thriftOnly refuses a spec with CQL tables or types, which Thrift cannot
// plan.
func (k *KeyspaceSpec) thriftOnly() error {
	if k == nil {
		return nil
	}
	if len(k.Types) > 0 {
		return &SpecError{Path: "types", Msg: "user-defined types are CQL: plan this schema over CQL (PlanCQL, --protocol cql)"}
	}
	for i := range k.Tables {
		if k.Tables[i].IsCQL() {
			return &SpecError{Path: fmt.Sprintf("tables[%d]", i),
				Msg: fmt.Sprintf("%s is a CQL table (it names a partition key): plan this schema over CQL (PlanCQL, --protocol cql)", k.Tables[i].Name)}
		}
	}
	return nil
}

// reservedTable reports whether name is one of the migration ledgers'
// tables, which specs may not declare and plans never drop.
func reservedTable(name string) bool {
	switch name {
	case LedgerColumnFamily, LockColumnFamily, CQLLedgerTable, CQLLockTable, CQLMoveTable:
		return true
	}
	return false
}

// parse checks the keyspace name and the names of all tables, and parses
// the Thrift column families.
func (k *KeyspaceSpec) parse() ([]*table, error) {
	if k == nil || k.Name == "" {
		return nil, &SpecError{Path: "keyspace", Msg: "keyspace name is required"}
	}
	seen := make(map[string]bool)
	out := make([]*table, 0, len(k.Tables))
	for i := range k.Tables {
		ts := &k.Tables[i]
		path := fmt.Sprintf("tables[%d]", i)
		if ts.Name == "" {
			return nil, &SpecError{Path: path + ".name", Msg: "column family name is required"}
		}
		if reservedTable(ts.Name) {
			return nil, &SpecError{Path: path + ".name", Msg: fmt.Sprintf("%q is reserved for the migration ledger", ts.Name)}
		}
		if seen[ts.Name] {
			return nil, &SpecError{Path: path + ".name", Msg: fmt.Sprintf("duplicate column family %q", ts.Name)}
		}
		seen[ts.Name] = true
		if ts.IsCQL() {
			continue // parseCQL checks it
		}
		if err := ts.noCQLFields(path); err != nil {
			return nil, err
		}
		t := &table{spec: ts}
		for _, f := range []struct {
			name string
			v    any
			dst  *codec.Type
		}{
			{"comparator", ts.Comparator, &t.comparator},
			{"subcomparator", ts.Subcomparator, &t.sub},
			{"key_validation", ts.KeyValidation, &t.key},
			{"default_validation", ts.DefaultValidation, &t.deflt},
		} {
			ct, err := parseType(f.name, f.v)
			if err != nil {
				return nil, &SpecError{Path: path + "." + f.name, Msg: "bad type", Err: err}
			}
			if ct == nil {
				ct = codec.Bytes
			}
			*f.dst = ct
		}
		if ts.Subcomparator != nil && ts.Subcomparator != "" && !ts.Super {
			return nil, &SpecError{Path: path + ".subcomparator", Msg: "a subcomparator needs super: true"}
		}
		names := make(map[string]bool)
		for j := range ts.Columns {
			cs := &ts.Columns[j]
			cpath := fmt.Sprintf("%s.columns[%d]", path, j)
			if cs.Name == nil {
				return nil, &SpecError{Path: cpath + ".name", Msg: "column name is required"}
			}
			def, err := cs.columnDef(t.cellType())
			if err != nil {
				return nil, &SpecError{Path: cpath, Msg: "bad column", Err: err}
			}
			if names[string(def.Name)] {
				return nil, &SpecError{Path: cpath + ".name", Msg: fmt.Sprintf("duplicate column %v", cs.Name)}
			}
			names[string(def.Name)] = true
			label, ok := cs.Name.(string)
			if !ok {
				label = formatName(t.cellType(), def.Name)
			}
			t.cols = append(t.cols, column{spec: cs, name: def.Name, label: label, def: def})
		}
		out = append(out, t)
	}
	return out, nil
}

// findLive returns the live column whose packed name is name.
func findLive(cf *tg.CfDef, name []byte) *tg.ColumnDef {
	for _, cd := range cf.ColumnMetadata {
		if bytes.Equal(cd.Name, name) {
			return cd
		}
	}
	return nil
}

// LoadSchema reads a KeyspaceSpec with DecodeSchema and validates it.
func LoadSchema(r io.Reader, format string) (*KeyspaceSpec, error) {
	spec, err := DecodeSchema(r, format)
	if err != nil {
		return nil, err
	}
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	return spec, nil
}

// FormatOf is the schema format a file name implies: "json" for .json,
// "yaml" for .yaml and .yml, else "" (guess from the content).
func FormatOf(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return "json"
	case ".yaml", ".yml":
		return "yaml"
	}
	return ""
}

// DecodeSchema reads a KeyspaceSpec in format "json" or "yaml"; "" guesses
// from the first character ('{' is JSON). Unknown fields are errors. It does
// not validate the spec, so a caller may fill in the keyspace name first.
func DecodeSchema(r io.Reader, format string) (*KeyspaceSpec, error) {
	if r == nil {
		return nil, check.Nil("migrate.DecodeSchema", "r")
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if format == "" {
		format = "yaml"
		if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
			format = "json"
		}
	}
	var spec KeyspaceSpec
	switch strings.ToLower(format) {
	case "json":
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&spec); err != nil {
			return nil, &SpecError{Msg: "reading JSON", Err: err}
		}
	case "yaml", "yml":
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&spec); err != nil {
			if err == io.EOF {
				return nil, &SpecError{Msg: "empty schema"}
			}
			return nil, &SpecError{Msg: "reading YAML", Err: err}
		}
	default:
		return nil, fmt.Errorf("migrate: unknown schema format %q (want json or yaml)", format)
	}
	return &spec, nil
}

// LoadSchemaFile reads a KeyspaceSpec from a file; .json files are JSON,
// .yaml and .yml files YAML, others are guessed from their content.
func LoadSchemaFile(path string) (*KeyspaceSpec, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	spec, err := LoadSchema(f, FormatOf(path))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return spec, nil
}
