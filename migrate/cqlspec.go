package migrate

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cassa-go/cassa/internal/cqltype"
)

// TypeSpec is the desired definition of a CQL user-defined type: its
// fields in order. Cassandra can add fields to a type (ALTER TYPE ... ADD)
// but neither remove, reorder nor retype them, so a spec may only append
// fields to a live type.
type TypeSpec struct {
	Name   string      `json:"name" yaml:"name"`
	Fields []FieldSpec `json:"fields" yaml:"fields"`
}

// FieldSpec is one field of a user-defined type.
type FieldSpec struct {
	Name string `json:"name" yaml:"name"`
	// Type is a CQL type ("text", "frozen<address>").
	Type string `json:"type" yaml:"type"`
}

// ClusteringSpec is a clustering column of a CQL table and its order. In a
// schema file it is {name: posted, order: desc}, or just the name for
// ascending order.
type ClusteringSpec struct {
	Name string `json:"name" yaml:"name"`
	// Order is "asc" (the default) or "desc", in any case.
	Order string `json:"order,omitempty" yaml:"order,omitempty"`
}

// UnmarshalJSON takes a name or an object.
func (c *ClusteringSpec) UnmarshalJSON(b []byte) error {
	if c == nil {
		return errors.New("migrate: ClusteringSpec.UnmarshalJSON into nil")
	}
	var name string
	if err := json.Unmarshal(b, &name); err == nil {
		*c = ClusteringSpec{Name: name}
		return nil
	}
	type plain ClusteringSpec
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	var p plain
	if err := dec.Decode(&p); err != nil {
		return err
	}
	*c = ClusteringSpec(p)
	return nil
}

// UnmarshalYAML takes a name or a mapping.
func (c *ClusteringSpec) UnmarshalYAML(n *yaml.Node) error {
	if c == nil || n == nil {
		return errors.New("migrate: ClusteringSpec.UnmarshalYAML with nil")
	}
	if n.Kind == yaml.ScalarNode {
		*c = ClusteringSpec{Name: n.Value}
		return nil
	}
	type plain ClusteringSpec
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*c = ClusteringSpec(p)
	return nil
}

// TableIndexSpec is a secondary index of a CQL table.
type TableIndexSpec struct {
	// Name names the index; empty lets Cassandra name it
	// <table>_<column>_idx (and, declaratively, accepts any existing index
	// on the same target).
	Name   string `json:"name,omitempty" yaml:"name,omitempty"`
	Column string `json:"column" yaml:"column"`
	// Target is what the index indexes: "values" (the default: the
	// column's value, or a collection's values), "keys" or "entries" of a
	// map, "full" of a frozen collection.
	Target string `json:"target,omitempty" yaml:"target,omitempty"`
	// Class makes a CUSTOM index of that implementation (CREATE CUSTOM
	// INDEX ... USING), e.g. "org.apache.cassandra.index.sasi.SASIIndex".
	Class string `json:"class,omitempty" yaml:"class,omitempty"`
	// Options are a custom index's options (WITH OPTIONS).
	Options map[string]string `json:"options,omitempty" yaml:"options,omitempty"`
}

// cqlSchema is the CQL part of a KeyspaceSpec, checked and parsed.
type cqlSchema struct {
	types  []*udtDef
	tables []*cqlTableDef
}

type udtDef struct {
	name   string
	fields []udtField
}

type udtField struct {
	name string
	typ  *cqltype.Type
}

// fieldTypes are the types of the fields, for cqlValueCompatible.
func (u *udtDef) fieldTypes() []*cqltype.Type {
	out := make([]*cqltype.Type, len(u.fields))
	for i, f := range u.fields {
		out[i] = f.typ
	}
	return out
}

type cqlTableDef struct {
	spec       *TableSpec
	name       string
	pk         []string
	clustering []clusteringDef
	cols       []*cqlColumnDef // in spec order
	byName     map[string]*cqlColumnDef
	indexes    []*indexDef
	options    map[string]any
	counter    bool
}

type clusteringDef struct {
	name string
	desc bool
}

type cqlColumnDef struct {
	name   string
	typ    *cqltype.Type
	static bool
}

// indexDef is a wanted secondary index. target is "values", "keys",
// "entries" or "full"; class is set for a custom index.
type indexDef struct {
	name    string
	column  string
	target  string
	class   string
	options map[string]string
}

// kind is the column kind system_schema.columns names.
func (t *cqlTableDef) kind(col string) string {
	if slices.Contains(t.pk, col) {
		return "partition_key"
	}
	for _, c := range t.clustering {
		if c.name == col {
			return "clustering"
		}
	}
	if c := t.byName[col]; c != nil && c.static {
		return "static"
	}
	return "regular"
}

// validName is what Cassandra takes as a table or keyspace name.
var validName = regexp.MustCompile(`^\w+$`)

// maxNameLength is Cassandra's limit on table and keyspace names
// (SchemaConstants.NAME_LENGTH).
const maxNameLength = 48

// noCQLFields refuses the CQL-only fields on a Thrift column family.
func (t *TableSpec) noCQLFields(path string) error {
	switch {
	case len(t.Clustering) > 0:
		return &SpecError{Path: path + ".clustering", Msg: "clustering columns need a partition_key (a CQL table)"}
	case len(t.Indexes) > 0:
		return &SpecError{Path: path + ".indexes", Msg: "indexes are for CQL tables (name a partition_key); a column family's columns take index: true"}
	case len(t.Options) > 0:
		return &SpecError{Path: path + ".options", Msg: "options are for CQL tables (name a partition_key); a column family takes the attributes (comment, gc_grace_seconds, ...) directly"}
	}
	for j, c := range t.Columns {
		if c.Type != "" || c.Static {
			return &SpecError{Path: fmt.Sprintf("%s.columns[%d]", path, j), Msg: "type and static are for CQL tables (name a partition_key); a column family's columns take a validator"}
		}
	}
	return nil
}

// noThriftFields refuses the Thrift-only fields on a CQL table.
func (t *TableSpec) noThriftFields(path string) error {
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"super", t.Super}, {"comparator", t.Comparator != nil}, {"subcomparator", t.Subcomparator != nil},
		{"key_validation", t.KeyValidation != nil}, {"default_validation", t.DefaultValidation != nil},
		{"attributes (comment, gc_grace_seconds, ...)", !reflect.ValueOf(t.Attributes).IsZero()},
	} {
		if f.set {
			return &SpecError{Path: path, Msg: fmt.Sprintf("%s is a Thrift column family field; a CQL table (it names a partition_key) takes columns with types and options", f.name)}
		}
	}
	return nil
}

// parseCQL checks and parses the CQL tables and user types of the spec.
func (k *KeyspaceSpec) parseCQL() (*cqlSchema, error) {
	if k == nil || k.Name == "" {
		return nil, &SpecError{Path: "keyspace", Msg: "keyspace name is required"}
	}
	out := &cqlSchema{}
	seenType := map[string]bool{}
	for i := range k.Types {
		ts := &k.Types[i]
		path := fmt.Sprintf("types[%d]", i)
		u, err := parseTypeSpec(ts, path)
		if err != nil {
			return nil, err
		}
		if seenType[u.name] {
			return nil, &SpecError{Path: path + ".name", Msg: fmt.Sprintf("duplicate type %q", u.name)}
		}
		seenType[u.name] = true
		out.types = append(out.types, u)
	}
	if _, err := orderTypes(out.types); err != nil {
		return nil, &SpecError{Path: "types", Msg: err.Error()}
	}
	for i := range k.Tables {
		ts := &k.Tables[i]
		if !ts.IsCQL() {
			continue
		}
		t, err := parseCQLTable(ts, fmt.Sprintf("tables[%d]", i))
		if err != nil {
			return nil, err
		}
		out.tables = append(out.tables, t)
	}
	return out, nil
}

func parseTypeSpec(ts *TypeSpec, path string) (*udtDef, error) {
	if ts.Name == "" {
		return nil, &SpecError{Path: path + ".name", Msg: "type name is required"}
	}
	if len(ts.Fields) == 0 {
		return nil, &SpecError{Path: path + ".fields", Msg: "a user type needs at least one field"}
	}
	u := &udtDef{name: ts.Name}
	seen := map[string]bool{}
	for j, f := range ts.Fields {
		fpath := fmt.Sprintf("%s.fields[%d]", path, j)
		if f.Name == "" {
			return nil, &SpecError{Path: fpath + ".name", Msg: "field name is required"}
		}
		if seen[f.Name] {
			return nil, &SpecError{Path: fpath + ".name", Msg: fmt.Sprintf("Duplicate field name %s in type %s", f.Name, ts.Name)}
		}
		seen[f.Name] = true
		typ, err := cqltype.Parse(f.Type)
		if err != nil {
			return nil, &SpecError{Path: fpath + ".type", Msg: "bad type", Err: err}
		}
		switch {
		case typ.Kind == "counter":
			return nil, &SpecError{Path: fpath + ".type", Msg: "A user type cannot contain counters"}
		case typ.Kind == "udt" && !typ.Frozen:
			return nil, &SpecError{Path: fpath + ".type", Msg: "A user type cannot contain non-frozen UDTs"}
		case typ.RefersTo(ts.Name):
			return nil, &SpecError{Path: fpath + ".type", Msg: fmt.Sprintf("type %s cannot refer to itself", ts.Name)}
		}
		u.fields = append(u.fields, udtField{name: f.Name, typ: typ})
	}
	return u, nil
}

// orderTypes sorts user types so that each comes after the types its
// fields use (among those given), failing on a cycle.
func orderTypes(types []*udtDef) ([]*udtDef, error) {
	byName := map[string]*udtDef{}
	for _, u := range types {
		byName[u.name] = u
	}
	var out []*udtDef
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(u *udtDef, chain []string) error
	visit = func(u *udtDef, chain []string) error {
		switch state[u.name] {
		case 1:
			return fmt.Errorf("user types refer to each other in a cycle: %s", strings.Join(append(chain, u.name), " -> "))
		case 2:
			return nil
		}
		state[u.name] = 1
		for _, f := range u.fields {
			for _, n := range f.typ.UserTypes(nil) {
				if dep := byName[n]; dep != nil {
					if err := visit(dep, append(chain, u.name)); err != nil {
						return err
					}
				}
			}
		}
		state[u.name] = 2
		out = append(out, u)
		return nil
	}
	for _, u := range types {
		if err := visit(u, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func parseCQLTable(ts *TableSpec, path string) (*cqlTableDef, error) {
	bad := func(sub, format string, args ...any) error {
		return &SpecError{Path: path + sub, Msg: fmt.Sprintf(format, args...)}
	}
	if !validName.MatchString(ts.Name) {
		return nil, bad(".name", "%q is not a valid table name (must be alphanumeric character or underscore only: [a-zA-Z_0-9]+)", ts.Name)
	}
	if len(ts.Name) > maxNameLength {
		return nil, bad(".name", "Table names shouldn't be more than %d characters long (got %q)", maxNameLength, ts.Name)
	}
	if err := ts.noThriftFields(path); err != nil {
		return nil, err
	}
	t := &cqlTableDef{spec: ts, name: ts.Name, byName: map[string]*cqlColumnDef{}, options: ts.Options}
	for j := range ts.Columns {
		cs := &ts.Columns[j]
		cpath := fmt.Sprintf(".columns[%d]", j)
		name, ok := cs.Name.(string)
		if !ok || name == "" {
			return nil, bad(cpath+".name", "a CQL column needs a name (a string)")
		}
		if cs.Validator != nil || cs.IndexType != "" || cs.IndexOptions != nil {
			return nil, bad(cpath, "validator, index_type and index_options are for Thrift column families; a CQL column takes a type, and custom indexes go in the table's indexes")
		}
		if cs.Type == "" {
			return nil, bad(cpath+".type", "column %s needs a CQL type", name)
		}
		if t.byName[name] != nil {
			return nil, bad(cpath+".name", "Multiple definition of identifier %s", name)
		}
		typ, err := cqltype.Parse(cs.Type)
		if err != nil {
			return nil, &SpecError{Path: path + cpath + ".type", Msg: "bad type", Err: err}
		}
		c := &cqlColumnDef{name: name, typ: typ, static: cs.Static}
		t.cols = append(t.cols, c)
		t.byName[name] = c
		if cs.Index || cs.IndexName != "" {
			target := "values"
			if typ.IsCollection() && typ.Frozen {
				target = "full"
			}
			t.indexes = append(t.indexes, &indexDef{name: cs.IndexName, column: name, target: target})
		}
	}
	keys := map[string]bool{}
	for j, n := range ts.PartitionKey {
		c := t.byName[n]
		kpath := fmt.Sprintf(".partition_key[%d]", j)
		if c == nil {
			return nil, bad(kpath, "Unknown definition %s referenced in PRIMARY KEY", n)
		}
		if keys[n] {
			return nil, bad(kpath, "Multiple definition of identifier %s", n)
		}
		keys[n] = true
		t.pk = append(t.pk, n)
	}
	for j, cl := range ts.Clustering {
		kpath := fmt.Sprintf(".clustering[%d]", j)
		c := t.byName[cl.Name]
		if c == nil {
			return nil, bad(kpath, "Unknown definition %s referenced in PRIMARY KEY", cl.Name)
		}
		if keys[cl.Name] {
			return nil, bad(kpath, "Multiple definition of identifier %s", cl.Name)
		}
		keys[cl.Name] = true
		var desc bool
		switch strings.ToLower(cl.Order) {
		case "", "asc":
		case "desc":
			desc = true
		default:
			return nil, bad(kpath+".order", "order %q: want asc or desc", cl.Order)
		}
		t.clustering = append(t.clustering, clusteringDef{name: cl.Name, desc: desc})
	}
	counters, others := 0, 0
	for _, c := range t.cols {
		if keys[c.name] {
			switch {
			case c.static:
				return nil, bad(".columns", "Static column %s cannot be part of the PRIMARY KEY", c.name)
			case c.typ.MultiCell() && c.typ.Kind == "udt":
				return nil, bad(".columns", "Invalid non-frozen user-defined type for PRIMARY KEY component %s", c.name)
			case c.typ.MultiCell():
				return nil, bad(".columns", "Invalid non-frozen collection type for PRIMARY KEY component %s", c.name)
			case c.typ.Kind == "counter":
				return nil, bad(".columns", "counter type is not supported for PRIMARY KEY part %s", c.name)
			case c.typ.Kind == "duration":
				return nil, bad(".columns", "duration type is not supported for PRIMARY KEY part %s", c.name)
			}
			continue
		}
		if c.static && len(t.clustering) == 0 {
			return nil, bad(".columns", "Static columns are only useful (and thus allowed) if the table has at least one clustering column")
		}
		if c.typ.Kind == "counter" {
			counters++
		} else {
			others++
		}
	}
	if counters > 0 && others > 0 {
		return nil, bad(".columns", "Cannot mix counter and non counter columns in the same table")
	}
	t.counter = counters > 0
	for j, ix := range ts.Indexes {
		ipath := fmt.Sprintf(".indexes[%d]", j)
		target := strings.ToLower(ix.Target)
		if target == "" {
			target = "values"
		}
		if ix.Options != nil && ix.Class == "" {
			return nil, bad(ipath+".options", "index options need a custom index class")
		}
		t.indexes = append(t.indexes, &indexDef{name: ix.Name, column: ix.Column, target: target, class: ix.Class, options: ix.Options})
	}
	names := map[string]bool{}
	targets := map[string]bool{}
	for _, ix := range t.indexes {
		c := t.byName[ix.column]
		if c == nil {
			return nil, bad(".indexes", "index on unknown column %q", ix.column)
		}
		if ix.name != "" {
			if !validName.MatchString(ix.name) {
				return nil, bad(".indexes", "Illegal index name %s", ix.name)
			}
			if names[ix.name] {
				return nil, bad(".indexes", "duplicate index %s", ix.name)
			}
			names[ix.name] = true
		}
		key := ix.column + "/" + ix.target + "/" + ix.class
		if targets[key] {
			return nil, bad(".indexes", "two indexes on %s(%s)", ix.target, ix.column)
		}
		targets[key] = true
		if t.counter {
			return nil, bad(".indexes", "Secondary indexes are not supported on counter tables")
		}
		if ix.class != "" {
			continue
		}
		switch ix.target {
		case "values":
			if c.typ.IsCollection() && c.typ.Frozen {
				return nil, bad(".indexes", "Frozen collections currently only support full-collection indexes. For example, 'CREATE INDEX ON <table>(full(<columnName>))'")
			}
		case "keys", "entries":
			if c.typ.Kind != "map" || c.typ.Frozen {
				return nil, bad(".indexes", "Cannot create index on %s of column %s with non-map type", ix.target, ix.column)
			}
		case "full":
			if !c.typ.IsCollection() || !c.typ.Frozen {
				return nil, bad(".indexes", "full() indexes can only be created on frozen collections")
			}
		default:
			return nil, bad(".indexes", "index target %q: want values, keys, entries or full", ix.target)
		}
		if len(t.pk) == 1 && t.pk[0] == ix.column {
			return nil, bad(".indexes", "Cannot create secondary index on partition key column %s", ix.column)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(t.options)) {
		if name == "" || name == "id" || name == "clustering_order" {
			return nil, bad(".options", "option %q cannot be set", name)
		}
		if _, err := optionLiteral(t.options[name]); err != nil {
			return nil, bad(".options."+name, "%v", err)
		}
	}
	if t.counter {
		if v, ok := t.options["default_time_to_live"]; ok && optionText(v) != "0" {
			return nil, bad(".options.default_time_to_live", "Cannot set default_time_to_live on a table with counters")
		}
	}
	return t, nil
}
