package schema

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cassa-go/cassa/codec"
	"github.com/google/uuid"
)

// The CQL statements, as plain data the executor fills from the parsed
// statement (names already case-folded or quoted as CQL does, the
// keyspace already resolved against the session). Each has a method on
// Schema that validates it with Cassandra 3.11's checks, order and
// messages (errors are *Error) and applies it. A nil *Change with a nil
// error means an IF [NOT] EXISTS clause made the statement a no-op
// (the result is VOID, no event).

// CreateKeyspace is CREATE KEYSPACE.
type CreateKeyspace struct {
	Name        string
	IfNotExists bool
	// Properties are "replication" (a map) and "durable_writes".
	Properties Properties
}

// AlterKeyspace is ALTER KEYSPACE.
type AlterKeyspace struct {
	Name       string
	Properties Properties
}

// DropKeyspace is DROP KEYSPACE.
type DropKeyspace struct {
	Name     string
	IfExists bool
}

// ColumnSpec is one column of CREATE TABLE or ALTER TABLE ADD.
type ColumnSpec struct {
	Name   string
	Type   RawType
	Static bool
}

// PrimaryKey is one PRIMARY KEY declaration: inline (`k int PRIMARY KEY`
// is Partition [k]) or a clause.
type PrimaryKey struct {
	Partition  []string
	Clustering []string
}

// ClusteringOrderSpec is one entry of WITH CLUSTERING ORDER BY.
type ClusteringOrderSpec struct {
	Column string
	Desc   bool
}

// CreateTable is CREATE TABLE.
type CreateTable struct {
	Keyspace, Name  string
	IfNotExists     bool
	Columns         []ColumnSpec
	PrimaryKeys     []PrimaryKey // exactly one is valid
	ClusteringOrder []ClusteringOrderSpec
	CompactStorage  bool
	// Properties are the table options of the WITH clause ("id" included).
	Properties Properties
	// ID, when set, is the new table's ID (replay and WITH id); otherwise
	// the Schema's NewID picks one.
	ID *uuid.UUID
}

// AlterTableKind says which ALTER TABLE form a statement is.
type AlterTableKind int

// The ALTER TABLE forms.
const (
	AlterAdd AlterTableKind = iota + 1
	AlterDrop
	AlterType
	AlterRename
	AlterOptions
	AlterDropCompactStorage
)

// RenameSpec is one "a TO b" of ALTER TABLE RENAME.
type RenameSpec struct{ From, To string }

// AlterTable is ALTER TABLE.
type AlterTable struct {
	Keyspace, Name string
	Kind           AlterTableKind
	// Add holds the columns of ADD.
	Add []ColumnSpec
	// Drop holds the columns of DROP; Timestamp (microseconds) is USING
	// TIMESTAMP or the statement's timestamp, recorded as the drop time
	// (0 means now).
	Drop      []string
	Timestamp int64
	// Column and Type are ALTER column TYPE type.
	Column string
	Type   RawType
	// Renames are RENAME a TO b [AND ...].
	Renames []RenameSpec
	// Properties are WITH options.
	Properties Properties
}

// DropTable is DROP TABLE.
type DropTable struct {
	Keyspace, Name string
	IfExists       bool
}

// IndexTargetSpec is one target of CREATE INDEX: a column and its
// target type: "" (simple), "values", "keys", "entries" or "full".
type IndexTargetSpec struct {
	Column string
	Type   string
}

// CreateIndex is CREATE [CUSTOM] INDEX.
type CreateIndex struct {
	Keyspace, Table, Name string
	IfNotExists           bool
	Targets               []IndexTargetSpec
	Custom                bool
	Class                 string // USING 'class'
	// Properties may hold "options" (a map), the custom index options.
	Properties Properties
}

// DropIndex is DROP INDEX.
type DropIndex struct {
	Keyspace, Name string
	IfExists       bool
}

// CreateType is CREATE TYPE.
type CreateType struct {
	Keyspace, Name string
	IfNotExists    bool
	FieldNames     []string
	FieldTypes     []RawType
}

// AlterTypeKind says which ALTER TYPE form a statement is.
type AlterTypeKind int

// The ALTER TYPE forms.
const (
	AlterTypeAdd AlterTypeKind = iota + 1
	AlterTypeRename
	AlterTypeAlter
)

// AlterUserType is ALTER TYPE.
type AlterUserType struct {
	Keyspace, Name string
	Kind           AlterTypeKind
	Field          string  // ADD / ALTER
	Type           RawType // ADD / ALTER
	Renames        []RenameSpec
}

// DropType is DROP TYPE.
type DropType struct {
	Keyspace, Name string
	IfExists       bool
}

// ---- access checks (ClientState.hasAccess / preventSystemKSSchemaModification)

var localSystemKeyspaces = map[string]bool{"system": true, "system_schema": true}

var replicatedSystemKeyspaces = map[string]bool{"system_auth": true, "system_distributed": true, "system_traces": true}

// droppableAuthTables are the legacy auth tables 3.11 lets an operator drop.
var droppableAuthTables = map[string]bool{"users": true, "credentials": true, "permissions": true}

// checkSchemaAccess refuses CREATE, ALTER and DROP on the system
// keyspaces: table is "" for a keyspace-level resource.
func checkSchemaAccess(ks, table, perm string) error {
	if localSystemKeyspaces[strings.ToLower(ks)] {
		return unauthorizedf("%s keyspace is not user-modifiable.", ks)
	}
	if replicatedSystemKeyspaces[strings.ToLower(ks)] {
		if perm == "ALTER" && table == "" {
			return nil
		}
		if perm == "DROP" && ks == "system_auth" && droppableAuthTables[table] {
			return nil
		}
		resource := "<keyspace " + ks + ">"
		if table != "" {
			resource = "<table " + ks + "." + table + ">"
		}
		return unauthorizedf("Cannot %s %s", perm, resource)
	}
	return nil
}

// lookupCQL is ThriftValidation.validateColumnFamily as CQL reaches it.
func lookupCQL(c *Catalog, ks, table string) (*Keyspace, *Table, error) {
	k := c.FindKeyspace(ks)
	if k == nil {
		return nil, nil, invalidf("Keyspace %s does not exist", ks)
	}
	if table == "" {
		return nil, nil, invalidf("non-empty table is required")
	}
	t := k.FindTable(table)
	if t == nil {
		return nil, nil, invalidf("unconfigured table %s", table)
	}
	return k, t, nil
}

// ---- keyspaces

// keyspaceReplication validates the properties of CREATE/ALTER KEYSPACE
// (KeyspaceAttributes.validate) and returns the replication map (nil when
// absent) and durable_writes (nil when absent).
func keyspaceProperties(props Properties) (map[string]string, *bool, error) {
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	var repl map[string]string
	var durable *bool
	for _, n := range names {
		v := props[n]
		switch n {
		case "replication":
			if v.Map == nil {
				return nil, nil, syntaxf("Invalid value for property 'replication'. It should be a map.")
			}
			repl = copyMap(v.Map)
		case "durable_writes":
			if v.Map != nil {
				return nil, nil, syntaxf("Invalid value for property 'durable_writes'. It should be a string")
			}
			b := parseBool(v.Text)
			durable = &b
		default:
			return nil, nil, syntaxf("Unknown property '%s'", n)
		}
	}
	return repl, durable, nil
}

// validateReplication is ReplicationParams.validate (the strategy's
// constructor, validateExpectedOptions, validateOptions) for keyspace ks,
// then the LocalStrategy refusal. It returns the strategy class and options.
func validateReplication(ks string, repl map[string]string) (string, map[string]string, error) {
	class := repl["class"]
	opts := copyMap(repl)
	delete(opts, "class")
	if opts == nil {
		opts = map[string]string{}
	}
	fq := class
	if !strings.Contains(class, ".") {
		fq = locatorPkg + class
	}
	switch fq {
	case SimpleStrategy, NetworkTopologyStrategy, OldNetworkTopologyStrategy, LocalStrategy:
	default:
		if short, ok := strings.CutPrefix(fq, locatorPkg); ok && locatorClasses[short] {
			return "", nil, configf("Specified replication strategy class (%s) is not derived from AbstractReplicationStrategy", fq)
		}
		return "", nil, configf("Unable to find replication strategy class '%s'", fq)
	}
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	switch fq {
	case NetworkTopologyStrategy:
		for _, dc := range keys {
			if strings.EqualFold(dc, "replication_factor") {
				return "", nil, configf("replication_factor is an option for SimpleStrategy, not NetworkTopologyStrategy")
			}
			if _, err := strconv.ParseInt(opts[dc], 10, 32); err != nil {
				return "", nil, configf("For input string: \"%s\"", opts[dc])
			}
		}
		for _, dc := range keys {
			if err := validateRF(opts[dc]); err != nil {
				return "", nil, fromIRE(err, CodeConfig)
			}
		}
	case LocalStrategy:
		for _, k := range keys {
			return "", nil, configf("Unrecognized strategy option {%s} passed to LocalStrategy for keyspace %s", k, ks)
		}
	default:
		short := strings.TrimPrefix(fq, locatorPkg)
		for _, k := range keys {
			if k != "replication_factor" {
				return "", nil, configf("Unrecognized strategy option {%s} passed to %s for keyspace %s", k, short, ks)
			}
		}
		rf, ok := opts["replication_factor"]
		if !ok {
			return "", nil, configf("%s requires a replication_factor strategy option.", short)
		}
		if err := validateRF(rf); err != nil {
			return "", nil, fromIRE(err, CodeConfig)
		}
	}
	if fq == LocalStrategy {
		return "", nil, configf("Unable to use given strategy class: LocalStrategy is reserved for internal use.")
	}
	return fq, opts, nil
}

// CreateKeyspace is CREATE KEYSPACE (CreateKeyspaceStatement).
func (s *Schema) CreateKeyspace(st CreateKeyspace) (*Change, error) {
	return s.change(func(old *Catalog) (*Change, error) {
		if localSystemKeyspaces[strings.ToLower(st.Name)] {
			return nil, invalidf("%s keyspace is not user-modifiable", st.Name)
		}
		if !wordRE.MatchString(st.Name) {
			return nil, invalidf("\"%s\" is not a valid keyspace name", st.Name)
		}
		if len(st.Name) > maxNameLength {
			return nil, invalidf("Keyspace names shouldn't be more than %d characters long (got \"%s\")", maxNameLength, st.Name)
		}
		repl, durable, err := keyspaceProperties(st.Properties)
		if err != nil {
			return nil, err
		}
		if repl["class"] == "" {
			return nil, configf("Missing mandatory replication strategy class")
		}
		class, opts, err := validateReplication(st.Name, repl)
		if err != nil {
			return nil, err
		}
		if old.FindKeyspace(st.Name) != nil {
			if st.IfNotExists {
				return nil, nil
			}
			return nil, &Error{Code: CodeAlreadyExists, Msg: fmt.Sprintf("Cannot add existing keyspace \"%s\"", st.Name), Keyspace: st.Name}
		}
		ks := &Keyspace{Name: st.Name, StrategyClass: class, StrategyOptions: opts, DurableWrites: true,
			Tables: map[string]*Table{}, Types: map[string]*codec.UserType{}}
		if durable != nil {
			ks.DurableWrites = *durable
		}
		return &Change{Kind: KeyspaceAdded, Keyspace: st.Name, New: old.with(ks)}, nil
	})
}

// AlterKeyspace is ALTER KEYSPACE (AlterKeyspaceStatement).
func (s *Schema) AlterKeyspace(st AlterKeyspace) (*Change, error) {
	return s.change(func(old *Catalog) (*Change, error) {
		if err := checkSchemaAccess(st.Name, "", "ALTER"); err != nil {
			return nil, err
		}
		prev := old.Keyspace(st.Name)
		if prev == nil {
			return nil, invalidf("Unknown keyspace %s", st.Name)
		}
		repl, durable, err := keyspaceProperties(st.Properties)
		if err != nil {
			return nil, err
		}
		ks := *prev
		if repl != nil {
			if repl["class"] == "" {
				if len(repl) > 0 {
					return nil, configf("Missing replication strategy class")
				}
			} else {
				class, opts, err := validateReplication(st.Name, repl)
				if err != nil {
					return nil, err
				}
				ks.StrategyClass, ks.StrategyOptions = class, opts
			}
		}
		if durable != nil {
			ks.DurableWrites = *durable
		}
		return &Change{Kind: KeyspaceUpdated, Keyspace: st.Name, New: old.with(&ks)}, nil
	})
}

// DropKeyspaceCQL is DROP KEYSPACE (DropKeyspaceStatement); its tables, types
// and indexes go with it.
func (s *Schema) DropKeyspaceCQL(st DropKeyspace) (*Change, error) {
	return s.change(func(old *Catalog) (*Change, error) {
		if err := checkSchemaAccess(st.Name, "", "DROP"); err != nil {
			return nil, err
		}
		ks := old.Keyspace(st.Name)
		if ks == nil {
			if st.IfExists {
				return nil, nil
			}
			return nil, configf("Cannot drop non existing keyspace '%s'.", st.Name)
		}
		return &Change{Kind: KeyspaceDropped, Keyspace: st.Name, Dropped: ks.sortedTables(), New: old.without(st.Name)}, nil
	})
}

// ---- tables

// CreateTable is CREATE TABLE (CreateTableStatement.RawStatement.prepare,
// then the access check and MigrationManager.announceNewColumnFamily).
func (s *Schema) CreateTable(st CreateTable) (*Change, error) {
	return s.change(func(old *Catalog) (*Change, error) {
		ks := old.FindKeyspace(st.Keyspace)
		if ks == nil {
			return nil, configf("Keyspace %s doesn't exist", st.Keyspace)
		}
		t, warnings, err := prepareCreateTable(st, ks)
		if err != nil {
			return nil, err
		}
		if err := checkSchemaAccess(st.Keyspace, "", "CREATE"); err != nil {
			return nil, err
		}
		if ks.FindTable(st.Name) != nil {
			if st.IfNotExists {
				return nil, nil
			}
			return nil, &Error{Code: CodeAlreadyExists, Keyspace: st.Keyspace, Table: st.Name,
				Msg: fmt.Sprintf("Cannot add already existing table \"%s\" to keyspace \"%s\"", st.Name, st.Keyspace)}
		}
		if st.ID != nil {
			t.ID = *st.ID
		} else if t.ID == uuid.Nil {
			t.ID = s.newID()
		}
		if err := t.derive(); err != nil {
			return nil, fromIRE(err, CodeConfig)
		}
		return &Change{Kind: TableAdded, Keyspace: ks.Name, Table: t.Name, Created: []*Table{t},
			New: old.with(ks.withTable(t)), Warnings: warnings}, nil
	})
}

func prepareCreateTable(st CreateTable, ks *Keyspace) (*Table, []string, error) {
	if !wordRE.MatchString(st.Name) {
		return nil, nil, invalidf("\"%s\" is not a valid table name (must be alphanumeric character or underscore only: [a-zA-Z_0-9]+)", st.Name)
	}
	if len(st.Name) > maxNameLength {
		return nil, nil, invalidf("Table names shouldn't be more than %d characters long (got \"%s\")", maxNameLength, st.Name)
	}
	seen := map[string]bool{}
	for _, c := range st.Columns {
		if seen[c.Name] {
			return nil, nil, invalidf("Multiple definition of identifier %s", c.Name)
		}
		seen[c.Name] = true
	}
	params, id, warnings, err := applyTableProperties(DefaultTableParams(), st.Properties, false)
	if err != nil {
		return nil, nil, err
	}
	types := map[string]codec.Type{}
	var multiCell []string
	hasCounters := false
	statics := map[string]bool{}
	for _, c := range st.Columns {
		pt, err := prepareType(c.Type, st.Keyspace, ks.Types)
		if err != nil {
			return nil, nil, err
		}
		if codec.IsMultiCell(pt) {
			multiCell = append(multiCell, c.Name)
		}
		if c.Type.isCounter() {
			hasCounters = true
		}
		if u, ok := pt.(*codec.UserType); ok && u.MultiCell() {
			for _, f := range u.FieldTypes() {
				if codec.IsMultiCell(f) {
					return nil, nil, invalidf("Non-frozen UDTs with nested non-frozen collections are not supported")
				}
			}
		}
		types[c.Name] = pt
		if c.Static {
			statics[c.Name] = true
		}
	}
	if len(st.PrimaryKeys) == 0 {
		return nil, nil, invalidf("No PRIMARY KEY specifed (exactly one required)")
	}
	if len(st.PrimaryKeys) > 1 {
		return nil, nil, invalidf("Multiple PRIMARY KEYs specifed (exactly one required)")
	}
	if hasCounters && params.DefaultTimeToLive > 0 {
		return nil, nil, invalidf("Cannot set default_time_to_live on a table with counters")
	}
	order := map[string]bool{}
	for _, o := range st.ClusteringOrder {
		order[o.Column] = o.Desc
	}
	keyType := func(name string) (codec.Type, error) {
		t, ok := types[name]
		if !ok {
			return nil, invalidf("Unknown definition %s referenced in PRIMARY KEY", name)
		}
		if codec.IsMultiCell(t) {
			if _, isColl := t.(*codec.CollectionType); isColl {
				return nil, invalidf("Invalid non-frozen collection type for PRIMARY KEY component %s", name)
			}
			return nil, invalidf("Invalid non-frozen user-defined type for PRIMARY KEY component %s", name)
		}
		delete(types, name)
		if isCounter(t) {
			return nil, invalidf("counter type is not supported for PRIMARY KEY part %s", name)
		}
		if ReferencesDuration(t) {
			return nil, invalidf("duration type is not supported for PRIMARY KEY part %s", name)
		}
		if statics[name] {
			return nil, invalidf("Static column %s cannot be part of the PRIMARY KEY", name)
		}
		return t, nil
	}
	t := &Table{Keyspace: st.Keyspace, Name: st.Name, Params: params, Counter: hasCounters}
	if id != nil {
		t.ID = *id
	}
	pk := st.PrimaryKeys[0]
	for i, n := range pk.Partition {
		kt, err := keyType(n)
		if err != nil {
			return nil, nil, err
		}
		t.PartitionKey = append(t.PartitionKey, newColumn(n, PartitionKey, i, kt))
	}
	for i, n := range pk.Clustering {
		kt, err := keyType(n)
		if err != nil {
			return nil, nil, err
		}
		c := newColumn(n, Clustering, i, kt)
		if order[n] {
			c.Order = OrderDesc
		}
		t.Clustering = append(t.Clustering, c)
	}
	if hasCounters {
		for _, typ := range types {
			if !isCounter(typ) {
				return nil, nil, invalidf("Cannot mix counter and non counter columns in the same table")
			}
		}
	}
	compact := st.CompactStorage
	t.Dense = compact && len(t.Clustering) > 0
	t.Compound = !(compact && len(t.Clustering) <= 1)
	// columns sorted by name bytes, as the statement's TreeMap does
	rest := make([]string, 0, len(types))
	for n := range types {
		rest = append(rest, n)
	}
	sort.Strings(rest)
	if compact {
		remainingMultiCell := false
		for _, n := range multiCell {
			if _, ok := types[n]; ok {
				remainingMultiCell = true
			}
		}
		if remainingMultiCell {
			return nil, nil, invalidf("Non-frozen collections and UDTs are not supported with COMPACT STORAGE")
		}
		if len(statics) > 0 {
			return nil, nil, invalidf("Static columns are not supported in COMPACT STORAGE tables")
		}
		if len(t.Clustering) == 0 && len(rest) == 0 {
			return nil, nil, invalidf("No definition found that is not part of the PRIMARY KEY")
		}
		if t.Dense && len(rest) > 1 {
			return nil, nil, invalidf("COMPACT STORAGE with composite PRIMARY KEY allows no more than one column not part of the PRIMARY KEY (got: %s)", strings.Join(rest, ", "))
		}
	} else if len(t.Clustering) == 0 && len(statics) > 0 {
		return nil, nil, invalidf("Static columns are only useful (and thus allowed) if the table has at least one clustering column")
	}
	if len(st.ClusteringOrder) > 0 {
		if len(st.ClusteringOrder) > len(pk.Clustering) {
			return nil, nil, invalidf("Only clustering key columns can be defined in CLUSTERING ORDER directive")
		}
		for i, o := range st.ClusteringOrder {
			c := pk.Clustering[i]
			if o.Column != c {
				if _, ok := order[c]; ok {
					return nil, nil, invalidf("The order of columns in the CLUSTERING ORDER directive must be the one of the clustering key (%s must appear before %s)", c, o.Column)
				}
				return nil, nil, invalidf("Missing CLUSTERING ORDER for column %s", c)
			}
		}
	}
	staticCompact := !t.Dense && !t.Compound
	for _, n := range rest {
		if statics[n] || staticCompact {
			t.Statics = append(t.Statics, newColumn(n, Static, -1, types[n]))
		} else {
			t.Regulars = append(t.Regulars, newColumn(n, Regular, -1, types[n]))
		}
	}
	if t.Dense || !t.Compound {
		var used []string
		for _, c := range t.AllColumns() {
			used = append(used, c.Name)
		}
		g := newNameGenerator(used)
		if staticCompact {
			t.Clustering = append(t.Clustering, newColumn(g.clusteringName(), Clustering, 0, codec.UTF8))
			v := codec.Type(codec.Bytes)
			if hasCounters {
				v = codec.CounterColumn
			}
			t.Regulars = append(t.Regulars, newColumn(g.compactValue(), Regular, -1, v))
		} else if t.Dense && len(t.Regulars) == 0 {
			t.Regulars = append(t.Regulars, newColumn(g.compactValue(), Regular, -1, codec.Empty))
		}
	}
	sortColumns(t.Statics)
	sortColumns(t.Regulars)
	return t, warnings, nil
}

// tableForAlter runs the access check of ALTER/DROP/CREATE INDEX on a
// table (ClientState.hasColumnFamilyAccess): the lookup, then the system
// keyspace guard.
func tableForAlter(old *Catalog, ksName, name, perm string) (*Keyspace, *Table, error) {
	ks, t, err := lookupCQL(old, ksName, name)
	if err != nil {
		return nil, nil, err
	}
	if err := checkSchemaAccess(ks.Name, t.Name, perm); err != nil {
		return nil, nil, err
	}
	return ks, t, nil
}

// isPartOfCellName is ColumnDefinition.isPartOfCellName.
func (t *Table) isPartOfCellName(c *ColumnDefinition) bool {
	switch {
	case t.IsCQLTable():
		return c.Kind == Regular || c.Kind == Static
	case t.Super:
		return c.Kind == Regular
	}
	return c.Kind == Static
}

// dependentIndexes names the indexes whose target is column, joined by ",".
func (t *Table) dependentIndexes(column string) string {
	var names []string
	for _, ix := range t.Indexes {
		if c, _ := ix.Target(); c == column {
			names = append(names, ix.Name)
		}
	}
	return strings.Join(names, ",")
}

// AlterTable is ALTER TABLE (AlterTableStatement.announceMigration).
func (s *Schema) AlterTable(st AlterTable) (*Change, error) {
	return s.change(func(old *Catalog) (*Change, error) {
		ks, prev, err := tableForAlter(old, st.Keyspace, st.Name, "ALTER")
		if err != nil {
			return nil, err
		}
		t := prev.copyModel()
		var warnings []string
		layout := false
		switch st.Kind {
		case AlterType:
			c := t.ColumnDef(st.Column)
			if c == nil {
				return nil, invalidf("Column %s was not found in table %s", st.Column, st.Name)
			}
			if t.Dense && c == t.CompactValueColumn() && c.Type == codec.Empty {
				nt, err := prepareType(st.Type, st.Keyspace, ks.Types)
				if err != nil {
					return nil, err
				}
				if nt != codec.Bytes {
					return nil, invalidf("Compact value type can only be changed to BytesType, but %s was given.", codec.CQLName(nt))
				}
				c.Type = codec.Bytes
				break
			}
			return nil, invalidf("Altering of types is not allowed")
		case AlterAdd:
			if t.Dense {
				return nil, invalidf("Cannot add new column to a COMPACT STORAGE table")
			}
			for _, spec := range st.Add {
				typ, err := prepareType(spec.Type, st.Keyspace, ks.Types)
				if err != nil {
					return nil, err
				}
				if spec.Static {
					if !t.Compound {
						return nil, invalidf("Static columns are not allowed in COMPACT STORAGE tables")
					}
					if len(t.Clustering) == 0 {
						return nil, invalidf("Static columns are only useful (and thus allowed) if the table has at least one clustering column")
					}
				}
				if c := t.ColumnDef(spec.Name); c != nil {
					if c.IsPrimaryKey() {
						return nil, invalidf("Invalid column name %s because it conflicts with a PRIMARY KEY part", spec.Name)
					}
					return nil, invalidf("Invalid column name %s because it conflicts with an existing column", spec.Name)
				}
				if ct, ok := typ.(*codec.CollectionType); ok && ct.MultiCell() {
					if !t.Compound {
						return nil, invalidf("Cannot use non-frozen collections in COMPACT STORAGE tables")
					}
					if t.Super {
						return nil, invalidf("Cannot use non-frozen collections with super column families")
					}
					layout = true
				}
				kind := Regular
				// A static compact table's declared columns are static.
				if spec.Static || t.IsStaticCompact() {
					kind = Static
				}
				if d := t.droppedColumn(spec.Name); d != nil {
					if d.Kind != kind {
						prevKind := "UNKNOWN"
						if d.Kind != 0 {
							prevKind = strings.ToUpper(d.Kind.String())
						}
						return nil, invalidf("Cannot re-add previously dropped column '%s' of kind %s, incompatible with previous kind %s", spec.Name, strings.ToUpper(kind.String()), prevKind)
					}
					if !valueCompatible(typ, d.Type) {
						return nil, invalidf("Cannot re-add previously dropped column '%s' of type %s, incompatible with previous type %s", spec.Name, codec.CQLName(typ), codec.CQLName(d.Type))
					}
					if t.Counter {
						return nil, invalidf("Cannot re-add previously dropped counter column %s", spec.Name)
					}
				}
				if t.Counter && !isCounter(typ) {
					return nil, configf("Cannot add a non counter column (%s) in a counter column family", spec.Name)
				}
				if !t.Counter && isCounter(typ) {
					return nil, configf("Cannot add a counter column (%s) in a non counter column family", spec.Name)
				}
				c := newColumn(spec.Name, kind, -1, typ)
				if kind == Static {
					t.Statics = append(t.Statics, c)
					sortColumns(t.Statics)
				} else {
					t.Regulars = append(t.Regulars, c)
					sortColumns(t.Regulars)
				}
			}
		case AlterDrop:
			if !t.IsCQLTable() {
				return nil, invalidf("Cannot drop columns from a non-CQL3 table")
			}
			ts := st.Timestamp
			if ts == 0 {
				ts = time.Now().UnixMicro()
			}
			for _, name := range st.Drop {
				c := t.ColumnDef(name)
				if c == nil {
					return nil, invalidf("Column %s was not found in table %s", name, st.Name)
				}
				if c.IsPrimaryKey() {
					return nil, invalidf("Cannot drop PRIMARY KEY part %s", name)
				}
				if deps := t.dependentIndexes(name); deps != "" {
					return nil, invalidf("Cannot drop column %s because it has dependent secondary indexes (%s)", name, deps)
				}
				t.Statics = removeColumn(t.Statics, c)
				t.Regulars = removeColumn(t.Regulars, c)
				t.recordDrop(c, ts)
			}
		case AlterDropCompactStorage:
			if !t.IsCompact() {
				return nil, invalidf("Cannot DROP COMPACT STORAGE on table without COMPACT STORAGE")
			}
			if t.Super {
				// 3.11 makes (key, column1, "" map<sub-column, value>) of
				// it, a column no CQL statement can name; not served here.
				return nil, invalidf("Cannot DROP COMPACT STORAGE on super column family %s: not supported by this server", st.Name)
			}
			// CFMetaData.asNonCompact: the same columns, compound and not
			// dense.
			t.Dense, t.Compound, t.Super = false, true, false
			layout = true
		case AlterOptions:
			if len(st.Properties) == 0 {
				return nil, invalidf("ALTER TABLE WITH invoked, but no parameters found")
			}
			p, _, w, err := applyTableProperties(t.Params, st.Properties, true)
			if err != nil {
				return nil, err
			}
			if t.Counter && p.DefaultTimeToLive > 0 {
				return nil, invalidf("Cannot set default_time_to_live on a table with counters")
			}
			t.Params, warnings = p, w
		case AlterRename:
			for _, r := range st.Renames {
				c := t.ColumnDef(r.From)
				if c == nil {
					return nil, invalidf("Cannot rename unknown column %s in keyspace %s", r.From, st.Name)
				}
				if t.ColumnDef(r.To) != nil {
					return nil, invalidf("Cannot rename column %s to %s in keyspace %s; another column of that name already exist", r.From, r.To, st.Name)
				}
				if t.isPartOfCellName(c) {
					return nil, invalidf("Cannot rename non PRIMARY KEY part %s", r.From)
				}
				if deps := t.dependentIndexes(r.From); deps != "" {
					return nil, invalidf("Cannot rename column %s because it has dependent secondary indexes (%s)", r.From, deps)
				}
				c.Name, c.NameBytes = r.To, []byte(r.To)
			}
			sortColumns(t.Regulars)
		default:
			return nil, invalidf("Can not alter table: unknown option type %d", st.Kind)
		}
		if err := t.derive(); err != nil {
			return nil, fromIRE(err, CodeConfig)
		}
		ch := &Change{Kind: TableUpdated, Keyspace: ks.Name, Table: t.Name, Warnings: warnings,
			Updated: []TableUpdate{{Old: prev, New: t, IndexesChanged: indexesDiffer(prev, t) || layout,
				LayoutChanged: st.Kind == AlterDropCompactStorage}},
			New: old.with(ks.withTable(t))}
		return ch, nil
	})
}

func removeColumn(cs []*ColumnDefinition, c *ColumnDefinition) []*ColumnDefinition {
	out := cs[:0:0]
	for _, x := range cs {
		if x != c {
			out = append(out, x)
		}
	}
	return out
}

func (t *Table) droppedColumn(name string) *DroppedColumn {
	for _, d := range t.Dropped {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// recordDrop is CFMetaData.recordColumnDrop: the latest drop of a name wins.
func (t *Table) recordDrop(c *ColumnDefinition, ts int64) {
	d := &DroppedColumn{Name: c.Name, Type: c.Type, Kind: c.Kind, DroppedTime: ts}
	for i, x := range t.Dropped {
		if x.Name == c.Name {
			t.Dropped[i] = d
			return
		}
	}
	t.Dropped = append(t.Dropped, d)
	sort.Slice(t.Dropped, func(i, j int) bool { return t.Dropped[i].Name < t.Dropped[j].Name })
}

// valueCompatible approximates AbstractType.isValueCompatibleWith: the
// same type, or a simple type compatible as a comparator; a multi-cell
// type only with the same type.
func valueCompatible(next, prev codec.Type) bool {
	if next.Class() == prev.Class() {
		return true
	}
	if codec.IsMultiCell(next) || codec.IsMultiCell(prev) {
		return false
	}
	if next == codec.Bytes {
		return true
	}
	return compatible(nodeOf(next), nodeOf(prev))
}

// DropTableCQL is DROP TABLE (DropTableStatement).
func (s *Schema) DropTableCQL(st DropTable) (*Change, error) {
	return s.change(func(old *Catalog) (*Change, error) {
		ks, t, err := lookupCQL(old, st.Keyspace, st.Name)
		if err != nil {
			if st.IfExists {
				return nil, nil
			}
			return nil, err
		}
		if err := checkSchemaAccess(ks.Name, t.Name, "DROP"); err != nil {
			return nil, err
		}
		if t.Virtual {
			return nil, unauthorizedf("%s keyspace is not user-modifiable.", ks.Name)
		}
		return &Change{Kind: TableDropped, Keyspace: ks.Name, Table: t.Name, Dropped: []*Table{t},
			New: old.with(ks.withoutTable(t.Name))}, nil
	})
}

// ---- indexes

// existingIndexNames returns every index name of the keyspace.
func (k *Keyspace) existingIndexNames() map[string]bool {
	out := map[string]bool{}
	for _, t := range k.Tables {
		for _, ix := range t.Indexes {
			out[ix.Name] = true
		}
	}
	return out
}

// availableIndexName is Indexes.getAvailableIndexName.
func (k *Keyspace) availableIndexName(table, root string) string {
	base := table + "_idx"
	if root != "" {
		base = table + "_" + root + "_idx"
	}
	base = nonWordRE.ReplaceAllString(base, "")
	used := k.existingIndexNames()
	name := base
	for i := 1; used[name]; i++ {
		name = base + "_" + strconv.Itoa(i)
	}
	return name
}

// customIndexClasses are the custom index implementations a 3.11 node
// can load: those of its own jar (SASI). Any other class name is refused
// as a node without that class on its classpath refuses it.
var customIndexClasses = map[string]bool{"org.apache.cassandra.index.sasi.SASIIndex": true}

// CreateIndex is CREATE INDEX (CreateIndexStatement); the change is a
// TableUpdated of the base table with IndexesChanged.
func (s *Schema) CreateIndex(st CreateIndex) (*Change, error) {
	return s.change(func(old *Catalog) (*Change, error) {
		ks, prev, err := tableForAlter(old, st.Keyspace, st.Table, "ALTER")
		if err != nil {
			return nil, err
		}
		if prev.Counter {
			return nil, invalidf("Secondary indexes are not supported on counter tables")
		}
		if prev.IsCompact() && !prev.IsStaticCompact() {
			return nil, invalidf("Secondary indexes are not supported on COMPACT STORAGE tables that have clustering columns")
		}
		type target struct {
			col  *ColumnDefinition
			kind string
		}
		var targets []target
		for _, ts := range st.Targets {
			c := prev.ColumnDef(ts.Column)
			if c == nil {
				return nil, invalidf("Undefined column name %s", codec.MaybeQuote(ts.Column))
			}
			kind := ts.Type
			if kind == "" && codec.IsMultiCell(c.Type) {
				if _, ok := c.Type.(*codec.CollectionType); ok {
					kind = "values"
				}
			}
			targets = append(targets, target{c, kind})
		}
		if len(targets) == 0 && !st.Custom {
			return nil, invalidf("Only CUSTOM indexes can be created without specifying a target column")
		}
		if len(targets) > 1 {
			if !st.Custom {
				return nil, invalidf("Only CUSTOM indexes support multiple columns")
			}
			seen := map[string]bool{}
			for _, tg := range targets {
				if seen[tg.col.Name] {
					return nil, invalidf("Duplicate column %s in index target list", tg.col.Name)
				}
				seen[tg.col.Name] = true
			}
		}
		for _, tg := range targets {
			c := tg.col
			if ReferencesDuration(c.Type) {
				switch c.Type.(type) {
				case *codec.CollectionType:
					return nil, invalidf("Secondary indexes are not supported on collections containing durations")
				case *codec.TupleType:
					return nil, invalidf("Secondary indexes are not supported on tuples containing durations")
				case *codec.UserType:
					return nil, invalidf("Secondary indexes are not supported on UDTs containing durations")
				}
				return nil, invalidf("Secondary indexes are not supported on duration columns")
			}
			if prev.IsCompact() && c.IsPrimaryKey() {
				return nil, invalidf("Secondary indexes are not supported on PRIMARY KEY columns in COMPACT STORAGE tables")
			}
			if c.Kind == PartitionKey && len(prev.PartitionKey) == 1 {
				return nil, invalidf("Cannot create secondary index on partition key column %s", c.Name)
			}
			ct, isColl := c.Type.(*codec.CollectionType)
			isMap := isColl && ct.Kind() == codec.MapKind
			if isColl && !ct.MultiCell() {
				if tg.kind != "full" {
					return nil, invalidf("Cannot create %s() index on frozen column %s. Frozen collections only support full() indexes", tg.kind, c.Name)
				}
			} else {
				if tg.kind == "full" {
					return nil, invalidf("full() indexes can only be created on frozen collections")
				}
				if !isColl && tg.kind != "" {
					return nil, invalidf("Cannot create %s() index on %s. Non-collection columns support only simple indexes", tg.kind, c.Name)
				}
				if (tg.kind == "keys" || tg.kind == "entries") && !isMap {
					return nil, invalidf("Cannot create index on %s of column %s with non-map type", tg.kind, c.Name)
				}
			}
			if u, ok := c.Type.(*codec.UserType); ok && u.MultiCell() {
				return nil, invalidf("Secondary indexes are not supported on non-frozen UDTs")
			}
		}
		if st.Name != "" && ks.existingIndexNames()[st.Name] {
			if st.IfNotExists {
				return nil, nil
			}
			return nil, invalidf("Index %s already exists", st.Name)
		}
		var custom map[string]string
		for n, v := range st.Properties {
			if n != "options" {
				return nil, syntaxf("Unknown property '%s'", n)
			}
			if v.Map == nil {
				return nil, syntaxf("Invalid value for property 'options'. It should be a map.")
			}
			custom = v.Map
		}
		switch {
		case st.Custom && st.Class == "":
			return nil, invalidf("CUSTOM index requires specifiying the index class")
		case !st.Custom && st.Class != "":
			return nil, invalidf("Cannot specify index class for a non-CUSTOM index")
		case !st.Custom && len(custom) > 0:
			return nil, invalidf("Cannot specify options for a non-CUSTOM index")
		}
		if _, ok := custom["class_name"]; ok {
			return nil, invalidf("Cannot specify class_name as a CUSTOM option")
		}
		if _, ok := custom["target"]; ok {
			return nil, invalidf("Cannot specify target as a CUSTOM option")
		}
		name := st.Name
		if name == "" {
			root := ""
			if len(targets) == 1 {
				root = targets[0].col.Name
			}
			name = ks.availableIndexName(st.Table, root)
		}
		ix := &IndexMetadata{Name: name, Options: map[string]string{}}
		switch {
		case st.Custom:
			ix.Kind = IndexCustom
			for k, v := range custom {
				ix.Options[k] = v
			}
			ix.Options["class_name"] = st.Class
		case prev.Compound:
			ix.Kind = IndexComposites
		default:
			ix.Kind = IndexKeys
		}
		var tstr []string
		for _, tg := range targets {
			s := codec.MaybeQuote(tg.col.Name)
			if _, isColl := tg.col.Type.(*codec.CollectionType); isColl {
				kind := tg.kind
				if kind == "entries" {
					kind = "entries"
				}
				s = kind + "(" + s + ")"
			}
			tstr = append(tstr, s)
		}
		ix.Options["target"] = strings.Join(tstr, ",")
		for _, e := range prev.Indexes {
			if e.Kind == ix.Kind && mapsEqual(withoutKey(e.Options, ""), ix.Options) {
				if st.IfNotExists {
					return nil, nil
				}
				return nil, invalidf("Index %s is a duplicate of existing index %s", ix.Name, e.Name)
			}
		}
		if !wordRE.MatchString(ix.Name) {
			return nil, configf("Illegal index name %s", ix.Name)
		}
		if ix.Kind == IndexCustom && !customIndexClasses[st.Class] {
			// IndexMetadata.validate loads the class (FBUtilities.classForName).
			return nil, configf("Unable to find custom indexer class '%s'", st.Class)
		}
		t := prev.copyModel()
		t.Indexes = append(t.Indexes, ix)
		sortIndexes(t.Indexes)
		if err := t.derive(); err != nil {
			return nil, fromIRE(err, CodeConfig)
		}
		return &Change{Kind: TableUpdated, Keyspace: ks.Name, Table: t.Name,
			Updated: []TableUpdate{{Old: prev, New: t, IndexesChanged: true}},
			New:     old.with(ks.withTable(t))}, nil
	})
}

func withoutKey(m map[string]string, k string) map[string]string {
	out := copyMap(m)
	delete(out, k)
	return out
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// DropIndex is DROP INDEX (DropIndexStatement): a TableUpdated of the
// indexed table.
func (s *Schema) DropIndex(st DropIndex) (*Change, error) {
	return s.change(func(old *Catalog) (*Change, error) {
		ks := old.FindKeyspace(st.Keyspace)
		if ks == nil {
			return nil, invalidf("Keyspace %s does not exist", st.Keyspace)
		}
		var prev *Table
		for _, t := range ks.sortedTables() {
			if t.Index(st.Name) != nil {
				prev = t
			}
		}
		if prev == nil {
			if st.IfExists {
				return nil, nil
			}
			return nil, invalidf("Index '%s' could not be found in any of the tables of keyspace '%s'", st.Name, st.Keyspace)
		}
		if err := checkSchemaAccess(ks.Name, prev.Name, "ALTER"); err != nil {
			return nil, err
		}
		t := prev.copyModel()
		var keep []*IndexMetadata
		for _, ix := range t.Indexes {
			if ix.Name != st.Name {
				keep = append(keep, ix)
			}
		}
		t.Indexes = keep
		if err := t.derive(); err != nil {
			return nil, fromIRE(err, CodeConfig)
		}
		return &Change{Kind: TableUpdated, Keyspace: ks.Name, Table: t.Name,
			Updated: []TableUpdate{{Old: prev, New: t, IndexesChanged: true}},
			New:     old.with(ks.withTable(t))}, nil
	})
}

// ---- user types

// CreateType is CREATE TYPE (CreateTypeStatement).
func (s *Schema) CreateType(st CreateType) (*Change, error) {
	return s.change(func(old *Catalog) (*Change, error) {
		if err := checkSchemaAccess(st.Keyspace, "", "CREATE"); err != nil {
			return nil, err
		}
		ks := old.Keyspace(st.Keyspace)
		if ks == nil {
			return nil, invalidf("Cannot add type in unknown keyspace %s", st.Keyspace)
		}
		exists := ks.Types[st.Name] != nil
		if exists && !st.IfNotExists {
			return nil, invalidf("A user type of name %s.%s already exists", st.Keyspace, st.Name)
		}
		for _, ft := range st.FieldTypes {
			if ft.isCounter() {
				return nil, invalidf("A user type cannot contain counters")
			}
			if ft.isUDT() {
				return nil, invalidf("A user type cannot contain non-frozen UDTs")
			}
		}
		if exists {
			return nil, nil
		}
		u, err := buildUserType(st.Keyspace, st.Name, st.FieldNames, st.FieldTypes, ks.Types)
		if err != nil {
			return nil, err
		}
		nk := ks.withType(u)
		return &Change{Kind: TypeAdded, Keyspace: ks.Name, Type: u.Name, New: old.with(nk)}, nil
	})
}

func buildUserType(ks, name string, fieldNames []string, fieldTypes []RawType, types map[string]*codec.UserType) (*codec.UserType, error) {
	if err := checkDuplicateFields(name, fieldNames); err != nil {
		return nil, err
	}
	ts := make([]codec.Type, len(fieldTypes))
	for i, ft := range fieldTypes {
		t, err := prepareType(ft, ks, types)
		if err != nil {
			return nil, err
		}
		ts[i] = t
	}
	return codec.NewUserType(ks, name, fieldNames, ts, true), nil
}

func checkDuplicateFields(name string, fields []string) error {
	seen := map[string]bool{}
	for _, f := range fields {
		if seen[f] {
			return invalidf("Duplicate field name %s in type %s", f, name)
		}
		seen[f] = true
	}
	return nil
}

// AlterType is ALTER TYPE (AlterTypeStatement): the type and every table
// and type using it are updated.
func (s *Schema) AlterType(st AlterUserType) (*Change, error) {
	return s.change(func(old *Catalog) (*Change, error) {
		if st.Kind == AlterTypeAlter {
			return nil, invalidf("Altering of types is not allowed")
		}
		if err := checkSchemaAccess(st.Keyspace, "", "ALTER"); err != nil {
			return nil, err
		}
		ks := old.Keyspace(st.Keyspace)
		if ks == nil {
			return nil, invalidf("Cannot alter type in unknown keyspace %s", st.Keyspace)
		}
		cur := ks.Types[st.Name]
		if cur == nil {
			return nil, invalidf("No user type named %s.%s exists.", st.Keyspace, st.Name)
		}
		names, types := cur.FieldNames(), cur.FieldTypes()
		switch st.Kind {
		case AlterTypeAdd:
			if cur.FieldIndex(st.Field) >= 0 {
				return nil, invalidf("Cannot add new field %s to type %s.%s: a field of the same name already exists", st.Field, st.Keyspace, st.Name)
			}
			t, err := prepareType(st.Type, st.Keyspace, ks.Types)
			if err != nil {
				return nil, err
			}
			if referencesUserType(t, st.Name) {
				return nil, invalidf("Cannot add new field %s of type %s to type %s.%s as this would create a circular reference", st.Field, st.Type, st.Keyspace, st.Name)
			}
			var inKey []string
			for _, tb := range ks.sortedTables() {
				for _, c := range tb.PartitionKey {
					if referencesUserType(c.Type, st.Name) {
						inKey = append(inKey, tb.Name)
						break
					}
				}
			}
			if len(inKey) > 0 {
				return nil, invalidf("Cannot add new field %s of type %s to user type %s.%s as the type is being used in partition key by the following tables: %s", st.Field, st.Type, st.Keyspace, st.Name, strings.Join(inKey, ", "))
			}
			names, types = append(names, st.Field), append(types, t)
		case AlterTypeRename:
			for _, r := range st.Renames {
				i := cur.FieldIndex(r.From)
				if i < 0 {
					return nil, invalidf("Unknown field %s in type %s.%s", r.From, st.Keyspace, st.Name)
				}
				names[i] = r.To
			}
			if err := checkDuplicateFields(st.Name, names); err != nil {
				return nil, err
			}
		default:
			return nil, invalidf("Unknown ALTER TYPE form %d", st.Kind)
		}
		u := codec.NewUserType(cur.Keyspace, cur.Name, names, types, true)
		nk := ks.withType(u)
		for n, other := range nk.Types {
			if n == u.Name || !referencesUserType(other, u.Name) {
				continue
			}
			nk.Types[n] = replaceUserType(other, u).(*codec.UserType)
		}
		ch := &Change{Kind: TypeUpdated, Keyspace: ks.Name, Type: u.Name}
		for _, tb := range ks.sortedTables() {
			modified := false
			nt := tb.copyModel()
			for _, c := range nt.AllColumns() {
				if referencesUserType(c.Type, u.Name) {
					c.Type = replaceUserType(c.Type, u)
					modified = true
				}
			}
			if !modified {
				continue
			}
			if err := nt.derive(); err != nil {
				return nil, fromIRE(err, CodeConfig)
			}
			nk.Tables[nt.Name] = nt
			ch.Updated = append(ch.Updated, TableUpdate{Old: tb, New: nt})
		}
		ch.New = old.with(nk)
		return ch, nil
	})
}

// DropType is DROP TYPE (DropTypeStatement).
func (s *Schema) DropType(st DropType) (*Change, error) {
	return s.change(func(old *Catalog) (*Change, error) {
		if err := checkSchemaAccess(st.Keyspace, "", "DROP"); err != nil {
			return nil, err
		}
		ks := old.Keyspace(st.Keyspace)
		if ks == nil {
			if st.IfExists {
				return nil, nil
			}
			return nil, invalidf("Cannot drop type in unknown keyspace %s", st.Keyspace)
		}
		if ks.Types[st.Name] == nil {
			if st.IfExists {
				return nil, nil
			}
			return nil, invalidf("No user type named %s.%s exists.", st.Keyspace, st.Name)
		}
		typeNames := make([]string, 0, len(ks.Types))
		for n := range ks.Types {
			typeNames = append(typeNames, n)
		}
		sort.Strings(typeNames)
		for _, n := range typeNames {
			if n != st.Name && referencesUserType(ks.Types[n], st.Name) {
				return nil, invalidf("Cannot drop user type %s.%s as it is still used by user type %s", st.Keyspace, st.Name, n)
			}
		}
		for _, tb := range ks.sortedTables() {
			for _, c := range tb.AllColumns() {
				if referencesUserType(c.Type, st.Name) {
					return nil, invalidf("Cannot drop user type %s.%s as it is still used by table %s.%s", st.Keyspace, st.Name, ks.Name, tb.Name)
				}
			}
		}
		nk := ks.withType(nil)
		delete(nk.Types, st.Name)
		return &Change{Kind: TypeDropped, Keyspace: ks.Name, Type: st.Name, New: old.with(nk)}, nil
	})
}

// withType returns a copy of k with its own Types and Tables maps, u
// (when not nil) added or replacing the type of its name.
func (k *Keyspace) withType(u *codec.UserType) *Keyspace {
	nk := *k
	nk.Types = make(map[string]*codec.UserType, len(k.Types)+1)
	for n, t := range k.Types {
		nk.Types[n] = t
	}
	if u != nil {
		nk.Types[u.Name] = u
	}
	nk.Tables = make(map[string]*Table, len(k.Tables))
	for n, t := range k.Tables {
		nk.Tables[n] = t
	}
	return &nk
}

// columnNameBytes is for tests and callers comparing raw names.
func columnNameBytes(c *ColumnDefinition) []byte { return bytes.Clone(c.NameBytes) }
