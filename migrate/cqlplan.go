package migrate

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/internal/check"
	"github.com/cassa-go/cassa/internal/cqltype"
)

// probeRows bounds the rows a plan reads to tell whether a column or table
// it drops holds data.
const probeRows = 1000

// PlanCQL diffs the desired schema of a keyspace against the live one,
// read from system_schema over db, and returns the CQL steps that would
// make them equal: create or alter the keyspace, create or extend user
// types, create tables, change their options, add and drop columns,
// create and drop indexes, drop tables and types (the last two when the
// spec owns the keyspace). Each step lists the statements it runs.
//
// Types are compared as system_schema prints them (varchar is text, tuples
// are frozen, case folded), options as described in the package doc, so
// applying a plan and planning again gives an empty plan. Changes Cassandra
// refuses (a primary key, a column's type, a column between static and
// regular, a field of a user type, re-adding a dropped column of another
// kind or an incompatible type, a COMPACT STORAGE table) are steps of kind
// StepRefused with the reason; Apply fails on them before sending
// anything. Drops are destructive and carry a WarnDataLoss warning when a
// bounded read finds data; option changes that rewrite SSTables carry
// WarnRewritesData, replication changes WarnRepairNeeded.
//
// The spec must hold CQL tables only (a Thrift column family gives a
// *SpecError: plan it with PlanSchema).
func PlanCQL(ctx context.Context, db *cql.Session, desired *KeyspaceSpec) (*Plan, error) {
	if db == nil {
		return nil, check.Nil("migrate.PlanCQL", "db")
	}
	if err := check.Context(ctx, "migrate.PlanCQL"); err != nil {
		return nil, err
	}
	if _, err := desired.parse(); err != nil {
		return nil, err
	}
	for i := range desired.Tables {
		if t := &desired.Tables[i]; !t.IsCQL() {
			return nil, &SpecError{Path: fmt.Sprintf("tables[%d]", i),
				Msg: fmt.Sprintf("%s is a Thrift column family (it names no partition_key): plan this schema over Thrift (PlanSchema, --protocol thrift)", t.Name)}
		}
	}
	want, err := desired.parseCQL()
	if err != nil {
		return nil, err
	}
	live, err := readLiveKeyspace(ctx, db, desired.Name)
	if err != nil {
		return nil, err
	}
	known, err := readTableOptionNames(ctx, db)
	if err != nil {
		return nil, err
	}
	major, err := readMajorVersion(ctx, db)
	if err != nil {
		return nil, err
	}
	pl := &cqlPlanner{db: db, spec: desired, ks: desired.Name, want: want, live: live, known: known, major: major}
	if err := pl.checkTypeRefs(); err != nil {
		return nil, err
	}
	p := &Plan{Keyspace: desired.Name, Protocol: ProtocolCQL, Steps: []Step{}}
	p.Steps = pl.plan(ctx)
	return p.sorted(), nil
}

// PlanCQLTables plans the given CQL tables (and user types) in an existing
// or new keyspace without owning it: tables and types they do not name are
// left alone, and the keyspace's replication is not managed. It is the
// adapter point for mapped models: describe each model as a TableSpec (and
// its user types as TypeSpecs) and call it.
func PlanCQLTables(ctx context.Context, db *cql.Session, keyspace string, types []TypeSpec, tables ...TableSpec) (*Plan, error) {
	return PlanCQL(ctx, db, &KeyspaceSpec{Name: keyspace, Types: types, Tables: tables})
}

type cqlPlanner struct {
	db    *cql.Session
	spec  *KeyspaceSpec
	ks    string
	want  *cqlSchema
	live  *liveKeyspace // nil: the keyspace does not exist
	known map[string]bool
	// major is the node's major release (3 for 3.11), whose rules the
	// refusals follow where they changed.
	major int
	steps []Step
}

// qname is a table or type qualified by the keyspace, quoted as needed.
func (pl *cqlPlanner) qname(name string) string {
	return codec.MaybeQuote(pl.ks) + "." + codec.MaybeQuote(name)
}

// step adds a step that runs stmts in order, each followed by a wait for
// schema agreement.
func (pl *cqlPlanner) step(s Step, stmts ...string) {
	s.Keyspace = pl.ks
	s.CQL = stmts
	db := pl.db
	s.run = func(ctx context.Context) error {
		for _, stmt := range stmts {
			if err := db.Exec(ctx, stmt); err != nil {
				return err
			}
			if err := db.AwaitSchemaAgreement(ctx); err != nil {
				return err
			}
		}
		return nil
	}
	pl.steps = append(pl.steps, s)
}

func (pl *cqlPlanner) refuse(s Step, reason string) {
	s.Kind, s.Keyspace, s.Reason = StepRefused, pl.ks, reason
	pl.steps = append(pl.steps, s)
}

// udt finds a user type the plan leaves in place: the spec's, else the
// live one.
func (pl *cqlPlanner) udt(name string) *udtDef {
	for _, u := range pl.want.types {
		if u.name == name {
			return u
		}
	}
	if pl.live != nil {
		return pl.live.types[name]
	}
	return nil
}

func (pl *cqlPlanner) udtFields(name string) []*cqltype.Type {
	if u := pl.udt(name); u != nil {
		return u.fieldTypes()
	}
	return nil
}

// checkTypeRefs makes sure every user type the spec uses exists in the
// spec or the live keyspace.
func (pl *cqlPlanner) checkTypeRefs() error {
	check := func(path string, t *cqltype.Type) error {
		for _, n := range t.UserTypes(nil) {
			if pl.udt(n) == nil {
				return &SpecError{Path: path, Msg: fmt.Sprintf("Unknown type %s.%s (neither in the schema's types nor in the keyspace; a quoted name keeps its case: \"Address\")", pl.ks, codec.MaybeQuote(n))}
			}
		}
		return nil
	}
	for i, u := range pl.want.types {
		for _, f := range u.fields {
			if err := check(fmt.Sprintf("types[%d] (%s).%s", i, u.name, f.name), f.typ); err != nil {
				return err
			}
		}
	}
	for _, t := range pl.want.tables {
		for _, c := range t.cols {
			if err := check(fmt.Sprintf("table %s column %s", t.name, c.name), c.typ); err != nil {
				return err
			}
		}
	}
	return nil
}

func (pl *cqlPlanner) plan(ctx context.Context) []Step {
	pl.keyspace()
	pl.types()
	wantTable := map[string]bool{}
	for _, t := range pl.want.tables {
		wantTable[t.name] = true
		var lt *liveTable
		if pl.live != nil {
			lt = pl.live.tables[t.name]
		}
		if lt == nil {
			pl.createTable(t)
		} else {
			pl.diffTable(ctx, t, lt)
		}
	}
	if pl.spec.OwnsKeyspace && pl.live != nil {
		pl.dropUnlisted(ctx, wantTable)
	}
	return pl.steps
}

// keyspace plans creating the keyspace, or altering its replication and
// durable writes.
func (pl *cqlPlanner) keyspace() {
	k := pl.spec
	if pl.live == nil {
		cls, opts := strategyOf(k)
		durable := k.DurableWrites == nil || *k.DurableWrites
		pl.step(Step{Kind: StepCreateKeyspace, Changes: []Change{
			{Attribute: "strategy", To: shortClass(cls)},
			{Attribute: "strategy_options", To: formatMap(opts)},
			{Attribute: "durable_writes", To: strconv.FormatBool(durable)},
		}}, fmt.Sprintf("CREATE KEYSPACE %s WITH replication = %s AND durable_writes = %t",
			codec.MaybeQuote(pl.ks), replicationLiteral(cls, opts), durable))
		return
	}
	d := diffKeyspace(k, pl.live.strategy, pl.live.options, pl.live.durable)
	if len(d.changes) == 0 {
		return
	}
	var with []string
	var warnings []Warning
	if d.replication() {
		cls, opts := d.strategy, d.options
		if cls == "" {
			cls = pl.live.strategy
		}
		if opts == nil {
			opts = pl.live.options
		}
		with = append(with, "replication = "+replicationLiteral(cls, opts))
		warnings = repairWarning(pl.ks)
	}
	if d.durable != nil {
		with = append(with, fmt.Sprintf("durable_writes = %t", *d.durable))
	}
	pl.step(Step{Kind: StepAlterKeyspace, Changes: d.changes, Warnings: warnings},
		fmt.Sprintf("ALTER KEYSPACE %s WITH %s", codec.MaybeQuote(pl.ks), strings.Join(with, " AND ")))
}

// replicationLiteral is the replication map of CREATE and ALTER KEYSPACE.
func replicationLiteral(class string, opts map[string]string) string {
	if strings.HasPrefix(class, locatorPkg) {
		class = shortClass(class)
	}
	parts := []string{"'class': " + quoteString(class)}
	for _, k := range slices.Sorted(maps.Keys(opts)) {
		parts = append(parts, quoteString(k)+": "+quoteString(opts[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// types plans the user types: created (each after the types it uses),
// extended by fields at the end, or refused; and, when the spec owns the
// keyspace, dropped.
func (pl *cqlPlanner) types() {
	ordered, _ := orderTypes(pl.want.types) // parseCQL checked for cycles
	for _, u := range ordered {
		var live *udtDef
		if pl.live != nil {
			live = pl.live.types[u.name]
		}
		if live == nil {
			fields := make([]string, len(u.fields))
			changes := make([]Change, len(u.fields))
			for i, f := range u.fields {
				fields[i] = codec.MaybeQuote(f.name) + " " + f.typ.String()
				changes[i] = Change{Attribute: "field " + f.name, To: f.typ.String()}
			}
			pl.step(Step{Kind: StepCreateType, Type: u.name, Changes: changes},
				fmt.Sprintf("CREATE TYPE %s (%s)", pl.qname(u.name), strings.Join(fields, ", ")))
			continue
		}
		pl.diffType(u, live)
	}
	if !pl.spec.OwnsKeyspace || pl.live == nil {
		return
	}
	// Dropped types go after the ones that use them.
	var gone []*udtDef
	for _, n := range slices.Sorted(maps.Keys(pl.live.types)) {
		if !slices.ContainsFunc(pl.want.types, func(u *udtDef) bool { return u.name == n }) {
			gone = append(gone, pl.live.types[n])
		}
	}
	ordered, _ = orderTypes(gone)
	slices.Reverse(ordered)
	for _, u := range ordered {
		if user := pl.typeUser(u.name); user != "" {
			pl.refuse(Step{Type: u.name, Changes: []Change{{Attribute: "type", From: u.name, To: "none"}}},
				fmt.Sprintf("Cannot drop user type %s.%s as it is still used by %s", pl.ks, u.name, user))
			continue
		}
		pl.step(Step{Kind: StepDropType, Type: u.name, Destructive: true,
			Changes: []Change{{Attribute: "type", From: u.name, To: "none"}}, Reason: "not in the schema, which owns the keyspace"},
			"DROP TYPE "+pl.qname(u.name))
	}
}

// typeUser names a table or type the plan keeps that uses the user type
// name, or "".
func (pl *cqlPlanner) typeUser(name string) string {
	for _, t := range pl.want.tables {
		for _, c := range t.cols {
			if c.typ.RefersTo(name) {
				return fmt.Sprintf("table %s.%s", pl.ks, t.name)
			}
		}
	}
	for _, u := range pl.want.types {
		for _, f := range u.fields {
			if f.typ.RefersTo(name) {
				return fmt.Sprintf("user type %s", u.name)
			}
		}
	}
	return ""
}

// keyUsers lists the live tables whose partition key uses the user type
// name, directly or inside another type: adding a field would change how
// their keys serialize, which AlterTypeStatement refuses.
func (pl *cqlPlanner) keyUsers(name string) []string {
	var out []string
	for _, tn := range slices.Sorted(maps.Keys(pl.live.tables)) {
		t := pl.live.tables[tn]
		for _, k := range t.pk {
			c := t.columns[k]
			if c == nil {
				continue
			}
			if typ, err := cqltype.Parse(c.typ); err == nil && pl.usesType(typ, name, map[string]bool{}) {
				out = append(out, pl.ks+"."+tn)
				break
			}
		}
	}
	return out
}

// usesType reports whether t uses the user type name, through the fields
// of the user types it names.
func (pl *cqlPlanner) usesType(t *cqltype.Type, name string, seen map[string]bool) bool {
	for _, n := range t.UserTypes(nil) {
		if n == name {
			return true
		}
		if seen[n] {
			continue
		}
		seen[n] = true
		if u := pl.udt(n); u != nil {
			for _, f := range u.fields {
				if f.typ != nil && pl.usesType(f.typ, name, seen) {
					return true
				}
			}
		}
	}
	return false
}

// diffType compares a user type with the live one: Cassandra only adds
// fields (AlterTypeStatement: ALTER TYPE ... ALTER is "Altering of types
// is not allowed", and there is no way to drop a field).
func (pl *cqlPlanner) diffType(u, live *udtDef) {
	for i, lf := range live.fields {
		if i >= len(u.fields) {
			pl.refuse(Step{Type: u.name, Changes: []Change{{Attribute: "field " + lf.name, From: lf.typ.String(), To: "none"}}},
				"Cassandra cannot remove a field from a user type: fields can only be added, at the end")
			return
		}
		f := u.fields[i]
		if f.name != lf.name {
			pl.refuse(Step{Type: u.name, Changes: []Change{{Attribute: fmt.Sprintf("field %d", i+1), From: lf.name, To: f.name}}},
				"Cassandra cannot remove or reorder the fields of a user type: fields can only be added, at the end (renaming one is ALTER TYPE ... RENAME, which a plan does not guess)")
			return
		}
		if f.typ.String() != lf.typ.String() {
			pl.refuse(Step{Type: u.name, Changes: []Change{{Attribute: "field " + f.name, From: lf.typ.String(), To: f.typ.String()}}},
				"Altering of types is not allowed: Cassandra cannot change the type of a field of a user type")
			return
		}
	}
	if len(u.fields) == len(live.fields) {
		return
	}
	if users := pl.keyUsers(u.name); len(users) > 0 {
		f := u.fields[len(live.fields)]
		pl.refuse(Step{Type: u.name, Changes: []Change{{Attribute: "field " + f.name, To: f.typ.String()}}},
			fmt.Sprintf("Cannot add new field %s of type %s to user type %s.%s as the type is being used in partition key by the following tables: %s",
				f.name, f.typ, pl.ks, u.name, strings.Join(users, ", ")))
		return
	}
	var stmts []string
	var changes []Change
	for _, f := range u.fields[len(live.fields):] {
		stmts = append(stmts, fmt.Sprintf("ALTER TYPE %s ADD %s %s", pl.qname(u.name), codec.MaybeQuote(f.name), f.typ.String()))
		changes = append(changes, Change{Attribute: "field " + f.name, To: f.typ.String()})
	}
	pl.step(Step{Kind: StepAlterType, Type: u.name, Changes: changes}, stmts...)
}

// createTable plans CREATE TABLE and the table's indexes.
func (pl *cqlPlanner) createTable(t *cqlTableDef) {
	var defs []string
	var changes []Change
	for _, c := range t.cols {
		d := codec.MaybeQuote(c.name) + " " + c.typ.String()
		desc := c.typ.String()
		if c.static {
			d += " STATIC"
			desc += " static"
		}
		defs = append(defs, d)
		changes = append(changes, Change{Attribute: "column " + strconv.Quote(c.name), To: desc})
	}
	pk := quoteAll(t.pk)
	key := strings.Join(pk, ", ")
	if len(pk) > 1 || len(t.clustering) > 0 {
		key = "(" + key + ")"
	}
	var order []string
	var clustering []string
	for _, c := range t.clustering {
		clustering = append(clustering, codec.MaybeQuote(c.name))
		dir := "ASC"
		if c.desc {
			dir = "DESC"
		}
		order = append(order, codec.MaybeQuote(c.name)+" "+dir)
	}
	keyParts := append([]string{key}, clustering...)
	defs = append(defs, "PRIMARY KEY ("+strings.Join(keyParts, ", ")+")")
	changes = append([]Change{{Attribute: "primary_key", To: "(" + strings.Join(keyParts, ", ") + ")"}}, changes...)
	if len(order) > 0 {
		changes = append(changes, Change{Attribute: "clustering_order", To: strings.Join(order, ", ")})
	}
	var with []string
	if len(order) > 0 {
		with = append(with, "CLUSTERING ORDER BY ("+strings.Join(order, ", ")+")")
	}
	for _, name := range slices.Sorted(maps.Keys(t.options)) {
		if !pl.known[name] {
			pl.refuse(Step{Table: t.name, Changes: []Change{{Attribute: name, To: optionText(t.options[name])}}}, unknownOption(name))
			continue
		}
		lit, _ := optionLiteral(sendableOption(name, t.options[name])) // checked by parseCQLTable
		with = append(with, name+" = "+lit)
		c, _ := optionDiff(name, t.options[name], nil)
		changes = append(changes, c)
	}
	stmt := fmt.Sprintf("CREATE TABLE %s (%s)", pl.qname(t.name), strings.Join(defs, ", "))
	if len(with) > 0 {
		stmt += " WITH " + strings.Join(with, " AND ")
	}
	pl.step(Step{Kind: StepCreateTable, Table: t.name, Changes: changes}, stmt)
	for _, ix := range t.indexes {
		pl.createIndex(t.name, ix)
	}
}

func unknownOption(name string) string {
	return fmt.Sprintf("this Cassandra has no table option %q (system_schema.tables has no such column): Unknown property '%s'", name, name)
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = codec.MaybeQuote(n)
	}
	return out
}

// createIndex plans CREATE [CUSTOM] INDEX.
func (pl *cqlPlanner) createIndex(table string, ix *indexDef) {
	var b strings.Builder
	b.WriteString("CREATE ")
	if ix.class != "" {
		b.WriteString("CUSTOM ")
	}
	b.WriteString("INDEX ")
	if ix.name != "" {
		b.WriteString(codec.MaybeQuote(ix.name) + " ")
	}
	col := codec.MaybeQuote(ix.column)
	target := col
	if ix.class == "" && ix.target != "values" {
		target = ix.target + "(" + col + ")"
	}
	fmt.Fprintf(&b, "ON %s (%s)", pl.qname(table), target)
	changes := []Change{{Attribute: "target", To: ix.target + "(" + ix.column + ")"}}
	if ix.class != "" {
		b.WriteString(" USING " + quoteString(ix.class))
		changes = append(changes, Change{Attribute: "class", To: ix.class})
		if len(ix.options) > 0 {
			lit, _ := optionLiteral(ix.options)
			b.WriteString(" WITH OPTIONS = " + lit)
			changes = append(changes, Change{Attribute: "options", To: formatMap(ix.options)})
		}
	}
	pl.step(Step{Kind: StepCreateIndex, Table: table, Column: ix.column, Index: ix.name, Changes: changes}, b.String())
}

// diffTable compares a wanted table with the live one.
func (pl *cqlPlanner) diffTable(ctx context.Context, t *cqlTableDef, lt *liveTable) {
	if lt.compact() {
		pl.refuse(Step{Table: t.name, Changes: []Change{{Attribute: "flags", From: "{" + strings.Join(lt.flags, ", ") + "}", To: "{compound}"}}},
			fmt.Sprintf("%s.%s is a COMPACT STORAGE table (a Thrift column family): ALTER TABLE cannot make it this CQL table; "+
				"on Cassandra 3.11 ALTER TABLE ... DROP COMPACT STORAGE exposes its hidden columns, or move its data into a new table", pl.ks, t.name))
		return
	}
	if reason, from, to := pl.keyDiff(t, lt); reason != "" {
		pl.refuse(Step{Table: t.name, Changes: []Change{{Attribute: "primary_key", From: from, To: to}}}, reason)
		return
	}
	pl.diffColumns(ctx, t, lt)
	pl.diffOptions(t, lt)
	pl.diffIndexes(t, lt)
}

// keyDiff compares the primary keys; a difference is the refusal's reason
// and the keys as they are and as wanted.
func (pl *cqlPlanner) keyDiff(t *cqlTableDef, lt *liveTable) (reason, from, to string) {
	describe := func(pk []string, cl []clusteringDef, typeOf func(string) string) string {
		var parts []string
		for _, n := range pk {
			parts = append(parts, n+" "+typeOf(n))
		}
		s := "((" + strings.Join(parts, ", ") + ")"
		for _, c := range cl {
			dir := "asc"
			if c.desc {
				dir = "desc"
			}
			s += ", " + c.name + " " + typeOf(c.name) + " " + dir
		}
		return s + ")"
	}
	liveType := func(n string) string {
		if c := lt.columns[n]; c != nil {
			return cqltype.Canon(c.typ)
		}
		return "?"
	}
	wantType := func(n string) string { return t.byName[n].typ.String() }
	from = describe(lt.pk, lt.cluster, liveType)
	to = describe(t.pk, t.clustering, wantType)
	if from == to {
		return "", "", ""
	}
	return "Cassandra cannot change a table's primary key (its partition key and clustering columns, their types and clustering order): " +
		"create a table under another name and copy the data", from, to
}

// diffColumns plans added, dropped and refused changes of the non-key
// columns.
func (pl *cqlPlanner) diffColumns(ctx context.Context, t *cqlTableDef, lt *liveTable) {
	liveCounter := lt.counter()
	for _, c := range t.cols {
		if slices.Contains(t.pk, c.name) || slices.ContainsFunc(t.clustering, func(cl clusteringDef) bool { return cl.name == c.name }) {
			continue
		}
		kind := "regular"
		if c.static {
			kind = "static"
		}
		col := Step{Table: t.name, Column: c.name}
		if l := lt.columns[c.name]; l != nil {
			if l.kind != kind {
				col.Changes = []Change{{Attribute: "kind", From: l.kind, To: kind}}
				pl.refuse(col, "Cassandra cannot change a column between static and regular: add a column of another name")
				continue
			}
			if lt := cqltype.Canon(l.typ); lt != c.typ.String() {
				col.Changes = []Change{{Attribute: "type", From: lt, To: c.typ.String()}}
				pl.refuse(col, "Altering of types is not allowed: Cassandra (3.0.11 and later) cannot change a column's type; add a column of another name")
			}
			continue
		}
		col.Changes = []Change{{Attribute: "type", To: c.typ.String()}}
		if c.static {
			col.Changes = append(col.Changes, Change{Attribute: "static", To: "true"})
		}
		if d := lt.dropped[c.name]; d != nil {
			if reason := pl.readdRefusal(c, kind, d, liveCounter); reason != "" {
				pl.refuse(col, reason)
				continue
			}
		}
		isCounter := c.typ.Kind == "counter"
		switch {
		case liveCounter && !isCounter:
			pl.refuse(col, fmt.Sprintf("Cannot add a non counter column (%s) in a counter column family", c.name))
			continue
		case !liveCounter && isCounter:
			pl.refuse(col, fmt.Sprintf("Cannot add a counter column (%s) in a non counter column family", c.name))
			continue
		}
		stmt := fmt.Sprintf("ALTER TABLE %s ADD %s %s", pl.qname(t.name), codec.MaybeQuote(c.name), c.typ.String())
		if c.static {
			stmt += " STATIC"
		}
		col.Kind = StepAddColumn
		pl.step(col, stmt)
	}
	for _, l := range lt.nonKeyColumns() {
		if t.byName[l.name] != nil {
			continue
		}
		if typ, err := cqltype.Parse(l.typ); err == nil && pl.major >= 4 && typ.Kind == "udt" && typ.MultiCell() {
			// 4.0 records a dropped column's type as a frozen tuple, which a
			// non-frozen user type is not (AlterTableStatement.DropColumns).
			pl.refuse(Step{Table: t.name, Column: l.name, Changes: []Change{{Attribute: "type", From: l.typ, To: "none"}}},
				fmt.Sprintf("Cannot drop non-frozen column %s of user type %s", l.name, l.typ))
			continue
		}
		s := Step{Kind: StepDropColumn, Table: t.name, Column: l.name, Destructive: true,
			Changes:  []Change{{Attribute: "type", From: cqltype.Canon(l.typ), To: "none"}},
			Warnings: pl.probeColumn(ctx, t.name, l.name)}
		pl.step(s, fmt.Sprintf("ALTER TABLE %s DROP %s", pl.qname(t.name), codec.MaybeQuote(l.name)))
	}
}

// readdRefusal is why Cassandra refuses to add a column again that was
// dropped before, or "". 3.x (AlterTableStatement) wants the same kind and
// a type the old values are valid as (AbstractType.isValueCompatibleWith);
// 4.0 and later want the old values to deserialize as the new type
// (isSerializationCompatibleWith: value compatible, and of the same fixed
// length), and word it otherwise.
func (pl *cqlPlanner) readdRefusal(c *cqlColumnDef, kind string, d *liveColumn, counter bool) string {
	prev, err := cqltype.Parse(d.typ)
	typeOK := err == nil && cqlValueCompatible(c.typ, prev, pl.udtFields)
	if pl.major >= 4 {
		if !typeOK || err == nil && (fixedLength(c.typ) != fixedLength(prev) || c.typ.MultiCell() != prev.MultiCell()) {
			return fmt.Sprintf("Cannot add a column '%s' of type %s, incompatible with previously dropped column '%s' of type %s", c.name, c.typ, c.name, d.typ)
		}
	}
	if d.kind != kind {
		prevKind := strings.ToUpper(d.kind)
		if prevKind == "" {
			prevKind = "UNKNOWN"
		}
		return fmt.Sprintf("Cannot re-add previously dropped column '%s' of kind %s, incompatible with previous kind %s", c.name, strings.ToUpper(kind), prevKind)
	}
	if !typeOK {
		return fmt.Sprintf("Cannot re-add previously dropped column '%s' of type %s, incompatible with previous type %s", c.name, c.typ, d.typ)
	}
	if counter {
		return fmt.Sprintf("Cannot re-add previously dropped counter column %s", c.name)
	}
	return ""
}

// fixedLength is the length of a type's values when it is fixed
// (AbstractType.valueLengthIfFixed), else -1.
func fixedLength(t *cqltype.Type) int {
	switch t.Kind {
	case "boolean", "tinyint":
		return 1
	case "smallint":
		return 2
	case "int", "float", "date":
		return 4
	case "bigint", "double", "timestamp", "time", "counter":
		return 8
	case "uuid", "timeuuid":
		return 16
	}
	return -1
}

// readMajorVersion is the major release of the node the session talks to
// (system.local's release_version), 3 when it cannot tell.
func readMajorVersion(ctx context.Context, db *cql.Session) (int, error) {
	row, err := db.Get(ctx, "SELECT release_version FROM system.local WHERE key = 'local'")
	if err != nil {
		return 0, err
	}
	v, err := cql.Col[string](row, "release_version")
	if err != nil {
		return 0, err
	}
	major, _, _ := strings.Cut(v, ".")
	if n, err := strconv.Atoi(major); err == nil && n > 0 {
		return n, nil
	}
	return 3, nil
}

// diffOptions plans ALTER TABLE ... WITH for the options the spec names.
func (pl *cqlPlanner) diffOptions(t *cqlTableDef, lt *liveTable) {
	var with []string
	var changes []Change
	var warnings []Warning
	for _, name := range slices.Sorted(maps.Keys(t.options)) {
		want := t.options[name]
		if !pl.known[name] {
			pl.refuse(Step{Table: t.name, Changes: []Change{{Attribute: name, To: optionText(want)}}}, unknownOption(name))
			continue
		}
		c, differ := optionDiff(name, want, lt.options[name])
		if !differ {
			continue
		}
		lit, _ := optionLiteral(sendableOption(name, want))
		with = append(with, name+" = "+lit)
		changes = append(changes, c)
		warnings = append(warnings, optionWarnings(pl.ks, t.name, name, want, lt.options[name])...)
	}
	if len(with) == 0 {
		return
	}
	pl.step(Step{Kind: StepAlterTable, Table: t.name, Changes: changes, Warnings: warnings},
		fmt.Sprintf("ALTER TABLE %s WITH %s", pl.qname(t.name), strings.Join(with, " AND ")))
}

// diffIndexes matches the wanted indexes with the live ones: by name when
// the spec names one, else by target; a live index that differs from the
// one of its name is dropped and created again (Cassandra cannot alter an
// index), and live indexes nothing matches are dropped.
func (pl *cqlPlanner) diffIndexes(t *cqlTableDef, lt *liveTable) {
	used := map[string]bool{}
	var create []*indexDef
	var recreate []*liveIndex
	for _, ix := range t.indexes {
		if ix.name == "" {
			continue
		}
		i := slices.IndexFunc(lt.indexes, func(l *liveIndex) bool { return l.name == ix.name })
		if i < 0 {
			create = append(create, ix)
			continue
		}
		used[ix.name] = true
		if !indexMatches(ix, lt.indexes[i]) {
			recreate = append(recreate, lt.indexes[i])
			create = append(create, ix)
		}
	}
	for _, ix := range t.indexes {
		if ix.name != "" {
			continue
		}
		i := slices.IndexFunc(lt.indexes, func(l *liveIndex) bool { return !used[l.name] && indexMatches(ix, l) })
		if i < 0 {
			create = append(create, ix)
			continue
		}
		used[lt.indexes[i].name] = true
	}
	for _, l := range lt.indexes {
		if !used[l.name] || slices.Contains(recreate, l) {
			pl.step(Step{Kind: StepDropIndex, Table: t.name, Column: l.column, Index: l.name, Destructive: true,
				Changes: []Change{{Attribute: "target", From: l.target + "(" + l.column + ")", To: "none"}}},
				"DROP INDEX "+pl.qname(l.name))
		}
	}
	for _, ix := range create {
		pl.createIndex(t.name, ix)
	}
}

// indexMatches reports whether a live index is the wanted one (names
// aside): the same column and target, the same class for a custom index,
// and the options the spec names.
func indexMatches(want *indexDef, live *liveIndex) bool {
	if want.column != live.column {
		return false
	}
	if want.class == "" {
		return live.kind != "CUSTOM" && want.target == live.target
	}
	if live.kind != "CUSTOM" || live.options["class_name"] != want.class {
		return false
	}
	if want.options == nil {
		return true
	}
	have := maps.Clone(live.options)
	delete(have, "class_name")
	delete(have, "target")
	return maps.Equal(have, want.options)
}

// dropUnlisted plans dropping the tables a keyspace-owning spec does not
// list (never the migration ledgers).
func (pl *cqlPlanner) dropUnlisted(ctx context.Context, want map[string]bool) {
	for _, name := range slices.Sorted(maps.Keys(pl.live.tables)) {
		if want[name] || reservedTable(name) {
			continue
		}
		pl.step(Step{Kind: StepDropTable, Table: name, Destructive: true, Reason: "not in the schema, which owns the keyspace",
			Warnings: pl.probeTable(ctx, pl.live.tables[name])},
			"DROP TABLE "+pl.qname(name))
	}
}

// probeColumn reads up to probeRows rows of a column a plan drops and
// warns when it finds values (or could not tell).
func (pl *cqlPlanner) probeColumn(ctx context.Context, table, column string) []Warning {
	target := fmt.Sprintf("column %s of %s.%s", column, pl.ks, table)
	rows := pl.db.Rows(ctx, fmt.Sprintf("SELECT %s FROM %s LIMIT %d", codec.MaybeQuote(column), pl.qname(table), probeRows))
	n, values := 0, 0
	for rows.Next() {
		n++
		if !rows.Row().IsNull(column) {
			values++
		}
	}
	if err := rows.Close(); err != nil {
		return []Warning{{Class: WarnDataLoss, Message: fmt.Sprintf("could not read %s to tell whether it holds values (%v); its values are lost", target, err)}}
	}
	switch {
	case values > 0:
		return []Warning{{Class: WarnDataLoss, Message: fmt.Sprintf("%s holds values (%d in the first %d rows read); they are lost", target, values, n)}}
	case n >= probeRows:
		return []Warning{{Class: WarnDataLoss, Message: fmt.Sprintf("%s may hold values (none in the first %d rows read); they are lost", target, n)}}
	}
	return nil
}

// probeTable warns when a table a plan drops holds rows.
func (pl *cqlPlanner) probeTable(ctx context.Context, lt *liveTable) []Warning {
	target := pl.ks + "." + lt.name
	cols := "*"
	if len(lt.pk) > 0 {
		cols = strings.Join(quoteAll(lt.pk), ", ")
	}
	rows := pl.db.Rows(ctx, fmt.Sprintf("SELECT %s FROM %s LIMIT 1", cols, pl.qname(lt.name)))
	found := rows.Next()
	if err := rows.Close(); err != nil {
		return []Warning{{Class: WarnDataLoss, Message: fmt.Sprintf("could not read %s to tell whether it holds rows (%v); its rows are lost", target, err)}}
	}
	if found {
		return []Warning{{Class: WarnDataLoss, Message: fmt.Sprintf("%s holds rows; they are lost", target)}}
	}
	return nil
}
