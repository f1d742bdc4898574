package migrate

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/internal/check"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// StepKind names what a plan step does.
type StepKind string

// The kinds of plan steps, in the order a plan lists them. Thrift plans
// use the column-family kinds, CQL plans the table and type kinds; both
// use the keyspace, column and index kinds.
const (
	StepRefused           StepKind = "refused" // a change Cassandra would refuse; Apply fails before sending anything
	StepCreateKeyspace    StepKind = "create-keyspace"
	StepAlterKeyspace     StepKind = "alter-keyspace"
	StepDropIndex         StepKind = "drop-index"  // destructive
	StepCreateType        StepKind = "create-type" // CQL user-defined type
	StepAlterType         StepKind = "alter-type"  // CQL: a field added to a user type
	StepAddColumnFamily   StepKind = "add-column-family"
	StepCreateTable       StepKind = "create-table"        // CQL
	StepAlterColumnFamily StepKind = "alter-column-family" // types and attributes
	StepAlterTable        StepKind = "alter-table"         // CQL: table options
	StepAddColumn         StepKind = "add-column"          // new column metadata (Thrift), a new column (CQL)
	StepChangeValidator   StepKind = "change-validator"
	StepCreateIndex       StepKind = "create-index"
	StepDropColumn        StepKind = "drop-column"        // destructive
	StepDropColumnFamily  StepKind = "drop-column-family" // destructive
	StepDropTable         StepKind = "drop-table"         // CQL; destructive
	StepDropType          StepKind = "drop-type"          // CQL; destructive
	// StepDropCompactStorage switches a COMPACT STORAGE table (a Thrift
	// column family) over to a regular CQL table in place (Cassandra 3.0.16
	// and 3.11.2 to 3.11.x); see PlanDropCompactStorage.
	StepDropCompactStorage StepKind = "drop-compact-storage"
)

// Protocols a plan is made over (Plan.Protocol).
const (
	ProtocolThrift = "thrift"
	ProtocolCQL    = "cql"
)

// Change is one attribute a step changes. From is empty when there was no
// previous value.
type Change struct {
	Attribute string `json:"attribute"`
	From      string `json:"from,omitempty"`
	To        string `json:"to"`
}

// String is "attribute from -> to", or "attribute=to" without a from.
func (c Change) String() string {
	if c.From == "" {
		return c.Attribute + "=" + c.To
	}
	return c.Attribute + " " + c.From + " -> " + c.To
}

// WarningClass names a kind of plan warning, so that tools can tell them
// apart (print them, refuse a plan holding some). The classes are the
// constants below; a plan's JSON carries them as these strings.
type WarningClass string

// The warning classes.
const (
	// WarnUnreadableData marks a step that changes the type of values
	// already stored (a column's validator, a column family's default
	// validator, column metadata added or dropped) to one that some of
	// them may not be valid under: Cassandra neither checks nor rewrites
	// stored values (AbstractType.isValueCompatibleWith decides what is
	// safe), so typed models and every read that unpacks by type fail on
	// the rows that are not.
	WarnUnreadableData WarningClass = "unreadable-data"
	// WarnSortOrder marks a comparator change that Cassandra accepts but
	// under which stored names sort differently (DateType and
	// TimestampType order dates before 1970 differently), so slices
	// and paging over existing rows change.
	WarnSortOrder WarningClass = "sort-order"
	// WarnDataLoss marks a destructive step whose target holds data: a
	// column with values, a table with rows. The plan reads a bounded
	// sample when it is made; the message says what it saw.
	WarnDataLoss WarningClass = "data-loss"
	// WarnRewritesData marks an option change that makes Cassandra
	// rewrite the data already stored: another compaction strategy
	// recompacts every SSTable, other compression applies as SSTables are
	// rewritten (nodetool upgradesstables -a rewrites them all now).
	WarnRewritesData WarningClass = "rewrites-data"
	// WarnRepairNeeded marks a replication change: Cassandra does not
	// move existing data to new replicas, so reads at a consistency level
	// that counts them may miss data until a full repair has run on
	// every node.
	WarnRepairNeeded WarningClass = "repair-needed"
	// WarnChangesTable marks DROP COMPACT STORAGE: it needs Cassandra 3.0.16
	// or 3.11.2 and later, before 4.0 (which has no COMPACT STORAGE tables
	// and refuses to start with them), and it changes the table as CQL
	// sees it: the hidden columns of a Thrift column family (column1,
	// value, ...) become regular columns and its dynamic columns rows, so
	// the CQL statements and models that read the compact view must
	// change with it.
	WarnChangesTable WarningClass = "changes-table"
)

// Warning is something a step does that Cassandra allows and Apply runs,
// but that may hurt: data left in a shape readers may not read. Warnings
// never stop Apply; they are for people and tools to review.
type Warning struct {
	Class   WarningClass `json:"class"`
	Message string       `json:"message"`
}

// Step is one schema change of a plan.
type Step struct {
	Kind     StepKind `json:"kind"`
	Keyspace string   `json:"keyspace"`
	// ColumnFamily is the Thrift column family the step acts on.
	ColumnFamily string `json:"column_family,omitempty"`
	// Table is the CQL table the step acts on.
	Table string `json:"table,omitempty"`
	// Type is the CQL user-defined type the step acts on.
	Type string `json:"type,omitempty"`
	// Column is the column's name (on Thrift, as its comparator prints it).
	Column string `json:"column,omitempty"`
	// Index is the secondary index's name, when the step names one.
	Index   string   `json:"index,omitempty"`
	Changes []Change `json:"changes,omitempty"`
	// Reason says why Cassandra would refuse a refused step.
	Reason string `json:"reason,omitempty"`
	// Destructive steps lose data or metadata and need AllowDestructive.
	Destructive bool `json:"destructive,omitempty"`
	// Warnings say what the step may do to existing data.
	Warnings []Warning `json:"warnings,omitempty"`
	// CQL lists the statements a step of a CQL plan runs, in order.
	CQL []string `json:"cql,omitempty"`

	// run applies the step; thrift is a Thrift step's change before
	// PlanSchema binds it to its SystemManager as run.
	run    func(ctx context.Context) error
	thrift func(ctx context.Context, s *SystemManager) error
}

// target is what the step acts on, for people.
func (s Step) target() string {
	t := s.Keyspace
	switch {
	case s.ColumnFamily != "":
		t += "." + s.ColumnFamily
	case s.Table != "":
		t += "." + s.Table
	case s.Type != "":
		t += "." + s.Type
	}
	if s.Column != "" {
		t += " column " + strconv.Quote(s.Column)
	}
	if s.Index != "" {
		t += " index " + s.Index
	}
	return t
}

// String is one line: "add column Twissandra.Users column "age": validator=LongType".
func (s Step) String() string {
	var b strings.Builder
	switch s.Kind {
	case StepRefused:
		b.WriteString("REFUSED: ")
		b.WriteString(s.target())
	default:
		b.WriteString(strings.ReplaceAll(string(s.Kind), "-", " "))
		b.WriteString(" ")
		b.WriteString(s.target())
	}
	if len(s.Changes) > 0 {
		parts := make([]string, len(s.Changes))
		for i, c := range s.Changes {
			parts[i] = c.String()
		}
		b.WriteString(": ")
		b.WriteString(strings.Join(parts, ", "))
	}
	if s.Reason != "" {
		b.WriteString(" (" + s.Reason + ")")
	}
	if s.Destructive {
		b.WriteString(" [destructive]")
	}
	for _, w := range s.Warnings {
		b.WriteString(" [warning: " + string(w.Class) + "]")
	}
	return b.String()
}

// Plan is the ordered list of changes that bring a keyspace to a desired
// schema. Print it with fmt.Print, encode it with encoding/json, run it
// with Apply.
type Plan struct {
	Keyspace string `json:"keyspace"`
	// Protocol is what the plan was made over and applies with:
	// ProtocolThrift or ProtocolCQL.
	Protocol string `json:"protocol"`
	Steps    []Step `json:"steps"`

	done int // steps applied so far: Apply resumes after them
}

// Empty reports whether the live schema already matches (a nil Plan is
// empty).
func (p *Plan) Empty() bool { return p == nil || len(p.Steps) == 0 }

// Destructive returns the steps that need AllowDestructive.
func (p *Plan) Destructive() []Step { return p.filter(func(s Step) bool { return s.Destructive }) }

// Warnings returns the steps that carry warnings.
func (p *Plan) Warnings() []Step { return p.filter(func(s Step) bool { return len(s.Warnings) > 0 }) }

// Refused returns the changes Cassandra would refuse.
func (p *Plan) Refused() []Step {
	return p.filter(func(s Step) bool { return s.Kind == StepRefused })
}

func (p *Plan) filter(keep func(Step) bool) []Step {
	if p == nil {
		return nil
	}
	var out []Step
	for _, s := range p.Steps {
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}

// String lists the steps, numbered, with a summary line.
func (p *Plan) String() string {
	if p == nil {
		return "<nil plan>\n"
	}
	if p.Empty() {
		return fmt.Sprintf("keyspace %s is up to date: no changes\n", p.Keyspace)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "plan for keyspace %s: %d step(s)", p.Keyspace, len(p.Steps))
	if n := len(p.Destructive()); n > 0 {
		fmt.Fprintf(&b, ", %d destructive", n)
	}
	if n := len(p.Refused()); n > 0 {
		fmt.Fprintf(&b, ", %d refused", n)
	}
	if n := len(p.Warnings()); n > 0 {
		fmt.Fprintf(&b, ", %d with warnings", n)
	}
	b.WriteString("\n")
	for i, s := range p.Steps {
		fmt.Fprintf(&b, "%3d. %s\n", i+1, s)
		for _, w := range s.Warnings {
			fmt.Fprintf(&b, "     warning (%s): %s\n", w.Class, w.Message)
		}
		for _, stmt := range s.CQL {
			fmt.Fprintf(&b, "     %s\n", stmt)
		}
	}
	return b.String()
}

// ApplyOption adjusts Plan.Apply. Options are values of this interface,
// made by the functions below.
type ApplyOption interface{ applyApply(*applyOptions) }

type applyOptions struct {
	destructive bool
	onStep      func(int, Step)
}

type applyFunc func(*applyOptions)

func (f applyFunc) applyApply(o *applyOptions) { f(o) }

// AllowDestructive lets Apply run destructive steps (drop column family,
// drop index, drop column metadata; over CQL drop table, drop column, drop
// index, drop type).
func AllowDestructive() ApplyOption {
	return applyFunc(func(o *applyOptions) { o.destructive = true })
}

// OnStep calls fn after each step is applied and the cluster agrees on the
// new schema, with the step's 0-based index.
func OnStep(fn func(index int, s Step)) ApplyOption {
	return applyFunc(func(o *applyOptions) { o.onStep = fn })
}

// Apply runs the steps in order, each followed by a wait for schema
// agreement. Before sending anything it fails with a *RefusedError when the
// plan holds refused steps, and with a *DestructiveError when it holds
// destructive steps and AllowDestructive was not given. A failing step stops
// Apply with a *StepError wrapping the server's answer (a
// *cassa.InvalidRequestError when Cassandra refused it). An empty plan does
// nothing, and so does applying a plan again once it was applied: Apply
// resumes after the steps it already applied (after a failure, it retries
// the failed step).
func (p *Plan) Apply(ctx context.Context, opts ...ApplyOption) error {
	if p == nil {
		return check.Nil("migrate.Plan.Apply", "the *migrate.Plan")
	}
	if err := check.Context(ctx, "migrate.Plan.Apply"); err != nil {
		return err
	}
	var o applyOptions
	for _, f := range opts {
		if f != nil {
			f.applyApply(&o)
		}
	}
	if r := p.Refused(); len(r) > 0 {
		return &RefusedError{Steps: r}
	}
	if d := p.Destructive(); len(d) > 0 && !o.destructive {
		return &DestructiveError{Steps: d}
	}
	for i := p.done; i < len(p.Steps); i++ {
		if p.Steps[i].run == nil {
			return errors.New("migrate: plan has no connection (decoded plans cannot be applied)")
		}
	}
	for ; p.done < len(p.Steps); p.done++ {
		i, s := p.done, p.Steps[p.done]
		if err := s.run(ctx); err != nil {
			return &StepError{Index: i, Step: s, Err: err}
		}
		if o.onStep != nil {
			o.onStep(i, s)
		}
	}
	return nil
}

// PlanTables plans the given column families in an existing or new
// keyspace without owning it: column families the tables do not name are
// left alone, and the keyspace's replication is not managed. It is the
// adapter point for mapped models: convert each model into a TableSpec and
// call it.
func PlanTables(ctx context.Context, sys *SystemManager, keyspace string, tables ...TableSpec) (*Plan, error) {
	return PlanSchema(ctx, sys, &KeyspaceSpec{Name: keyspace, Tables: tables})
}

// PlanSchema diffs the desired schema against the live one and returns the
// steps that would make them equal. Types are compared canonically (fully
// qualified class names), and attributes the spec leaves unset are not
// compared, so Cassandra's defaults never show up as differences. Changes
// Cassandra refuses are steps of kind StepRefused. A spec error is a
// *SpecError.
func PlanSchema(ctx context.Context, sys *SystemManager, desired *KeyspaceSpec) (*Plan, error) {
	tables, err := desired.parse()
	if err != nil {
		return nil, err
	}
	if err := desired.thriftOnly(); err != nil {
		return nil, err
	}
	p := &Plan{Keyspace: desired.Name, Protocol: ProtocolThrift, Steps: []Step{}}
	defer p.bindThrift(sys)
	live, err := sys.DescribeKeyspace(ctx, desired.Name)
	if errors.Is(err, ErrKeyspaceNotFound) {
		p.Steps = append(p.Steps, createKeyspaceStep(desired))
		for _, t := range tables {
			p.Steps = append(p.Steps, addTableSteps(desired.Name, t)...)
		}
		return p.sorted(), nil
	}
	if err != nil {
		return nil, err
	}
	if s, ok := alterKeyspaceStep(desired, live); ok {
		p.Steps = append(p.Steps, s)
	}
	liveCF := make(map[string]*tg.CfDef, len(live.CfDefs))
	for _, cf := range live.CfDefs {
		liveCF[cf.Name] = cf
	}
	want := make(map[string]bool, len(tables))
	for _, t := range tables {
		want[t.spec.Name] = true
		cf, ok := liveCF[t.spec.Name]
		if !ok {
			p.Steps = append(p.Steps, addTableSteps(desired.Name, t)...)
			continue
		}
		p.Steps = append(p.Steps, diffTable(desired.Name, t, cf)...)
	}
	if desired.OwnsKeyspace {
		names := slices.Sorted(maps.Keys(liveCF))
		for _, name := range names {
			if want[name] || reservedTable(name) {
				continue
			}
			ks, cf := desired.Name, name
			p.Steps = append(p.Steps, Step{Kind: StepDropColumnFamily, Keyspace: ks, ColumnFamily: cf, Destructive: true,
				Reason: "not in the schema, which owns the keyspace",
				thrift: func(ctx context.Context, s *SystemManager) error {
					return s.DropColumnFamily(ctx, ks, cf)
				}})
		}
	}
	return p.sorted(), nil
}

// stepOrder is the order kinds run in: refusals first (they stop Apply),
// then additions, changes, and removals last. Dropped indexes go before
// anything that may create an index (so a name they free can be reused in
// the same plan) and before dropped columns (Cassandra refuses to drop an
// indexed column); types are created before the tables that use them and
// dropped after.
var stepOrder = map[StepKind]int{
	StepRefused: 0, StepCreateKeyspace: 10, StepAlterKeyspace: 20, StepDropIndex: 30,
	StepCreateType: 40, StepAlterType: 45,
	StepAddColumnFamily: 50, StepCreateTable: 50, StepAlterColumnFamily: 60, StepAlterTable: 60,
	StepAddColumn: 70, StepChangeValidator: 80, StepCreateIndex: 90, StepDropColumn: 100,
	StepDropColumnFamily: 110, StepDropTable: 110, StepDropType: 120, StepDropCompactStorage: 130,
}

// bindThrift makes the Thrift changes of the steps run on sys.
func (p *Plan) bindThrift(sys *SystemManager) {
	for i := range p.Steps {
		if f := p.Steps[i].thrift; f != nil {
			p.Steps[i].run = func(ctx context.Context) error { return f(ctx, sys) }
		}
	}
}

// sorted orders the steps by kind, keeping the diff's order within a kind
// (tables in spec order, columns in spec order).
func (p *Plan) sorted() *Plan {
	sort.SliceStable(p.Steps, func(i, j int) bool { return stepOrder[p.Steps[i].Kind] < stepOrder[p.Steps[j].Kind] })
	return p
}

func strategyOf(k *KeyspaceSpec) (string, map[string]string) {
	cls := qualifyIn(locatorPkg, k.Strategy)
	if cls == "" {
		cls = locatorPkg + SimpleStrategy
	}
	opts := map[string]string(k.StrategyOptions)
	if opts == nil && cls == locatorPkg+SimpleStrategy {
		opts = map[string]string{"replication_factor": "1"}
	}
	return cls, opts
}

func createKeyspaceStep(k *KeyspaceSpec) Step {
	cls, opts := strategyOf(k)
	durable := k.DurableWrites == nil || *k.DurableWrites
	name := k.Name
	ko := KeyspaceDef{Strategy: cls, StrategyOptions: opts, DurableWrites: Ptr(durable)}
	return Step{Kind: StepCreateKeyspace, Keyspace: name,
		Changes: []Change{
			{Attribute: "strategy", To: shortClass(cls)},
			{Attribute: "strategy_options", To: formatMap(opts)},
			{Attribute: "durable_writes", To: strconv.FormatBool(durable)},
		},
		thrift: func(ctx context.Context, s *SystemManager) error { return s.CreateKeyspace(ctx, name, ko) }}
}

// keyspaceDiff is what a spec changes in a live keyspace, whichever the
// protocol: the changes to show, and the new strategy class (fully
// qualified), options and durable writes ("" and nil: unchanged).
type keyspaceDiff struct {
	changes  []Change
	strategy string
	options  map[string]string
	durable  *bool
}

// replication reports whether the diff changes the replication.
func (d *keyspaceDiff) replication() bool { return d.strategy != "" || d.options != nil }

// repairWarning is the warning of a replication change.
func repairWarning(ks string) []Warning {
	return []Warning{{Class: WarnRepairNeeded, Message: fmt.Sprintf(
		"Cassandra does not stream existing data when the replication of %s changes: run a full repair "+
			"(nodetool repair --full %s) on every node before relying on the new replicas", ks, ks)}}
}

// diffKeyspace compares the spec's replication and durable writes with a
// live keyspace's (class fully qualified).
func diffKeyspace(k *KeyspaceSpec, liveClass string, liveOpts map[string]string, liveDurable bool) keyspaceDiff {
	var d keyspaceDiff
	if k.Strategy != "" {
		cls := qualifyIn(locatorPkg, k.Strategy)
		if cls != liveClass {
			d.changes = append(d.changes, Change{Attribute: "strategy", From: shortClass(liveClass), To: shortClass(cls)})
			d.strategy = cls
		}
	}
	if d.strategy != "" && k.StrategyOptions == nil {
		// A new strategy with no options gets the defaults a new keyspace
		// would, not the old strategy's options.
		if _, opts := strategyOf(k); opts != nil {
			d.changes = append(d.changes, Change{Attribute: "strategy_options", From: formatMap(liveOpts), To: formatMap(opts)})
			d.options = opts
		}
	}
	if k.StrategyOptions != nil && !maps.Equal(map[string]string(k.StrategyOptions), liveOpts) {
		d.changes = append(d.changes, Change{Attribute: "strategy_options", From: formatMap(liveOpts), To: formatMap(k.StrategyOptions)})
		d.options = k.StrategyOptions
	}
	if k.DurableWrites != nil && *k.DurableWrites != liveDurable {
		d.changes = append(d.changes, Change{Attribute: "durable_writes", From: strconv.FormatBool(liveDurable), To: strconv.FormatBool(*k.DurableWrites)})
		d.durable = k.DurableWrites
	}
	return d
}

func alterKeyspaceStep(k *KeyspaceSpec, live *tg.KsDef) (Step, bool) {
	d := diffKeyspace(k, live.StrategyClass, live.StrategyOptions, live.DurableWrites)
	if len(d.changes) == 0 {
		return Step{}, false
	}
	ko := KeyspaceDef{Strategy: d.strategy, StrategyOptions: d.options, DurableWrites: d.durable}
	var warnings []Warning
	if d.replication() {
		warnings = repairWarning(k.Name)
	}
	name := k.Name
	return Step{Kind: StepAlterKeyspace, Keyspace: name, Changes: d.changes, Warnings: warnings,
		thrift: func(ctx context.Context, s *SystemManager) error { return s.AlterKeyspace(ctx, name, ko) }}, true
}

func formatMap(m map[string]string) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ":" + m[k]
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// refusedIndexes are refusals for indexes on a super column family, which
// Cassandra does not support.
func refusedIndexes(ks string, t *table) []Step {
	if !t.spec.Super {
		return nil
	}
	var out []Step
	for _, c := range t.cols {
		if c.def.IndexType != nil {
			out = append(out, Step{Kind: StepRefused, Keyspace: ks, ColumnFamily: t.spec.Name, Column: c.label,
				Changes: []Change{{Attribute: "index", To: "true"}},
				Reason:  "Secondary indexes are not supported on super column families"})
		}
	}
	return out
}

func addTableSteps(ks string, t *table) []Step {
	if r := refusedIndexes(ks, t); r != nil {
		return r
	}
	cf := t.cfDef(ks)
	changes := []Change{}
	if t.spec.Super {
		changes = append(changes, Change{Attribute: "column_type", To: "Super"})
	}
	changes = append(changes, Change{Attribute: "comparator", To: codec.ShortName(t.comparator)})
	if t.spec.Super {
		changes = append(changes, Change{Attribute: "subcomparator", To: codec.ShortName(t.sub)})
	}
	changes = append(changes,
		Change{Attribute: "key_validation", To: codec.ShortName(t.key)},
		Change{Attribute: "default_validation", To: codec.ShortName(t.deflt)})
	for _, c := range t.cols {
		desc := shortType(c.def.ValidationClass)
		if c.def.IndexType != nil {
			desc += ", indexed"
		}
		changes = append(changes, Change{Attribute: "column " + strconv.Quote(c.label), To: desc})
	}
	changes = append(changes, attrChanges(nil, &t.spec.Attributes)...)
	return []Step{{Kind: StepAddColumnFamily, Keyspace: ks, ColumnFamily: t.spec.Name, Changes: changes,
		thrift: func(ctx context.Context, s *SystemManager) error { return s.addColumnFamily(ctx, cf) }}}
}

// diffTable compares a desired table with its live definition.
func diffTable(ks string, t *table, live *tg.CfDef) []Step {
	name := t.spec.Name
	liveSuper := live.ColumnType == "Super"
	if liveSuper != t.spec.Super {
		return []Step{{Kind: StepRefused, Keyspace: ks, ColumnFamily: name,
			Changes: []Change{{Attribute: "column_type", From: live.ColumnType, To: map[bool]string{true: "Super", false: "Standard"}[t.spec.Super]}},
			Reason:  "Cassandra cannot change a column family between Standard and Super (types do not match)"}}
	}
	var steps []Step
	refuse := func(attr, from, to, why string) {
		steps = append(steps, Step{Kind: StepRefused, Keyspace: ks, ColumnFamily: name,
			Changes: []Change{{Attribute: attr, From: shortType(from), To: shortType(to)}}, Reason: why})
	}
	var changes []Change
	opts := ColumnFamilyDef{}
	typeDiff := func(attr, liveName string, want codec.Type, set func(), rule func(next, old string) bool, why string) {
		if canonType(liveName) == want.Class() {
			return
		}
		if rule != nil && !rule(want.Class(), liveName) {
			refuse(attr, liveName, want.Class(), why)
			return
		}
		changes = append(changes, Change{Attribute: attr, From: shortType(liveName), To: codec.ShortName(want)})
		set()
	}
	typeDiff("comparator", live.ComparatorType, t.comparator, func() { opts.Comparator = t.comparator }, compatibleNames,
		"comparators do not match or are not compatible")
	if t.spec.Super {
		typeDiff("subcomparator", live.GetSubcomparatorType(), t.sub, func() { opts.Subcomparator = t.sub }, compatibleNames,
			"subcomparators do not match or are not compatible")
	}
	typeDiff("key_validation", live.GetKeyValidationClass(), t.key, func() { opts.KeyValidation = t.key }, valueCompatibleNames,
		"existing row keys cannot be read with an incompatible key validator")
	isCounter := func(s string) bool { return canonType(s) == codec.CounterColumn.Class() }
	if isCounter(live.GetDefaultValidationClass()) != isCounter(t.deflt.Class()) {
		refuse("default_validation", live.GetDefaultValidationClass(), t.deflt.Class(),
			"a column family cannot change between counter and non-counter")
	} else {
		typeDiff("default_validation", live.GetDefaultValidationClass(), t.deflt, func() { opts.DefaultValidation = t.deflt }, nil, "")
	}
	var warnings []Warning
	if opts.Comparator != nil {
		warnings = append(warnings, reordered(fmt.Sprintf("column names of %s.%s", ks, name), live.ComparatorType, t.comparator)...)
	}
	if opts.Subcomparator != nil {
		warnings = append(warnings, reordered(fmt.Sprintf("subcolumn names of %s.%s", ks, name), live.GetSubcomparatorType(), t.sub)...)
	}
	if opts.DefaultValidation != nil {
		warnings = append(warnings, unreadable(fmt.Sprintf("values of the columns of %s.%s without metadata", ks, name),
			live.GetDefaultValidationClass(), t.deflt.Class())...)
	}
	if ac := attrChanges(live, &t.spec.Attributes); len(ac) > 0 {
		changes = append(changes, ac...)
		opts.Attributes = t.spec.Attributes
	}
	if len(changes) > 0 {
		steps = append(steps, Step{Kind: StepAlterColumnFamily, Keyspace: ks, ColumnFamily: name, Changes: changes,
			Warnings: warnings,
			thrift:   func(ctx context.Context, s *SystemManager) error { return s.AlterColumnFamily(ctx, ks, name, opts) }})
	}
	steps = append(steps, refusedIndexes(ks, t)...)
	steps = append(steps, diffColumns(ks, t, live)...)
	return steps
}

// diffColumns compares column metadata by packed name.
func diffColumns(ks string, t *table, live *tg.CfDef) []Step {
	name := t.spec.Name
	var steps []Step
	var warnings []Warning // of the next colStep
	colStep := func(kind StepKind, label string, changes []Change, fn func(cf *tg.CfDef) (bool, error)) {
		w := warnings
		warnings = nil
		steps = append(steps, Step{Kind: kind, Keyspace: ks, ColumnFamily: name, Column: label, Changes: changes,
			Destructive: kind == StepDropIndex || kind == StepDropColumn, Warnings: w,
			thrift: func(ctx context.Context, s *SystemManager) error {
				return s.modifyColumnFamily(ctx, ks, name, fn)
			}})
	}
	wanted := make(map[string]bool, len(t.cols))
	for _, c := range t.cols {
		wanted[string(c.name)] = true
		want := c.def
		lc := findLive(live, c.name)
		column := func() string { return fmt.Sprintf("values of column %s of %s.%s", strconv.Quote(c.label), ks, name) }
		if lc == nil {
			plain := *want
			plain.IndexType, plain.IndexName, plain.IndexOptions = nil, nil, nil
			// The column's values so far were validated by the default.
			warnings = unreadable(column(), live.GetDefaultValidationClass(), want.ValidationClass)
			colStep(StepAddColumn, c.label, []Change{{Attribute: "validator", To: shortType(want.ValidationClass)}},
				func(cf *tg.CfDef) (bool, error) {
					if cd := findLive(cf, plain.Name); cd != nil {
						cd.ValidationClass = plain.ValidationClass
					} else {
						cd := plain
						cf.ColumnMetadata = append(cf.ColumnMetadata, &cd)
					}
					return true, nil
				})
			if want.IndexType != nil && !t.spec.Super {
				colStep(StepCreateIndex, c.label, indexChanges(want), setIndex(want))
			}
			continue
		}
		if canonType(lc.ValidationClass) != canonType(want.ValidationClass) {
			v := want.ValidationClass
			warnings = unreadable(column(), lc.ValidationClass, v)
			colStep(StepChangeValidator, c.label,
				[]Change{{Attribute: "validator", From: shortType(lc.ValidationClass), To: shortType(v)}},
				func(cf *tg.CfDef) (bool, error) {
					cd := findLive(cf, want.Name)
					if cd == nil {
						return false, fmt.Errorf("column %q vanished from %s.%s", c.label, ks, name)
					}
					cd.ValidationClass = v
					return true, nil
				})
		}
		liveIdx, wantIdx := lc.IndexType != nil, want.IndexType != nil && !t.spec.Super
		switch {
		case liveIdx && !wantIdx:
			colStep(StepDropIndex, c.label, []Change{{Attribute: "index", From: lc.GetIndexName(), To: "none"}}, clearIndex(want.Name))
		case !liveIdx && wantIdx:
			colStep(StepCreateIndex, c.label, indexChanges(want), setIndex(want))
		case liveIdx && wantIdx && indexDiffers(lc, want):
			colStep(StepDropIndex, c.label, []Change{{Attribute: "index", From: lc.GetIndexName(), To: "none"}}, clearIndex(want.Name))
			colStep(StepCreateIndex, c.label, indexChanges(want), setIndex(want))
		}
	}
	cell, _ := cellComparator(live)
	for _, lc := range live.ColumnMetadata {
		if wanted[string(lc.Name)] {
			continue
		}
		n := lc.Name
		ch := []Change{{Attribute: "validator", From: shortType(lc.ValidationClass), To: "none"}}
		if lc.IndexType != nil {
			ch = append(ch, Change{Attribute: "index", From: lc.GetIndexName(), To: "none"})
		}
		label := formatName(cell, n)
		// Without metadata the column's values fall back to the default.
		warnings = unreadable(fmt.Sprintf("values of column %s of %s.%s", strconv.Quote(label), ks, name),
			lc.ValidationClass, live.GetDefaultValidationClass())
		colStep(StepDropColumn, label, ch, func(cf *tg.CfDef) (bool, error) {
			for i, cd := range cf.ColumnMetadata {
				if string(cd.Name) == string(n) {
					cf.ColumnMetadata = append(cf.ColumnMetadata[:i], cf.ColumnMetadata[i+1:]...)
					return true, nil
				}
			}
			return false, nil
		})
	}
	return steps
}

// unreadable warns when values stored as type from (a class name, ""
// being BytesType) may not all be valid as type to: when to is not value
// compatible with from (AbstractType.isValueCompatibleWith). what names
// the values.
func unreadable(what, from, to string) []Warning {
	ft, ferr := parseType("", from)
	tt, terr := parseType("", to)
	if ferr == nil && terr == nil {
		if ft == nil {
			ft = codec.Bytes
		}
		if tt == nil {
			tt = codec.Bytes
		}
		if valueCompatible(tt, ft) {
			return nil
		}
	} else if canonType(from) == canonType(to) {
		return nil
	}
	return []Warning{{Class: WarnUnreadableData, Message: fmt.Sprintf(
		"%s were stored as %s and may not be valid %s; Cassandra neither checks nor rewrites them, "+
			"and typed models and reads that unpack them fail on those that are not",
		what, shortType(from), shortType(to))}}
}

// reordered warns when names stored under the comparator from sort
// differently under to, which Cassandra accepts as compatible.
func reordered(what, from string, to codec.Type) []Warning {
	ft, err := parseType("", from)
	if err != nil || ft == nil || sameOrder(to, ft) {
		return nil
	}
	return []Warning{{Class: WarnSortOrder, Message: fmt.Sprintf(
		"%s were sorted as %s and sort differently as %s (dates before 1970 move): slices and pages over existing rows change",
		what, shortType(from), codec.ShortName(to))}}
}

func indexChanges(cd *tg.ColumnDef) []Change {
	ch := []Change{{Attribute: "index_type", To: cd.IndexType.String()}}
	if cd.IndexName != nil {
		ch = append(ch, Change{Attribute: "index_name", To: *cd.IndexName})
	}
	if len(cd.IndexOptions) > 0 {
		ch = append(ch, Change{Attribute: "index_options", To: formatMap(cd.IndexOptions)})
	}
	return ch
}

// indexDiffers reports whether a live index is not the one wanted: another
// type, another name (when the spec names it), other options (when the
// spec gives them). Cassandra cannot rename an index in place, so the plan
// drops and recreates it.
func indexDiffers(live, want *tg.ColumnDef) bool {
	if *live.IndexType != *want.IndexType {
		return true
	}
	if want.IndexName != nil && *want.IndexName != live.GetIndexName() {
		return true
	}
	return want.IndexOptions != nil && !maps.Equal(want.IndexOptions, live.IndexOptions)
}

func setIndex(want *tg.ColumnDef) func(cf *tg.CfDef) (bool, error) {
	return func(cf *tg.CfDef) (bool, error) {
		cd := findLive(cf, want.Name)
		if cd == nil {
			c := *want
			cf.ColumnMetadata = append(cf.ColumnMetadata, &c)
			return true, nil
		}
		it := *want.IndexType
		cd.IndexType = &it
		cd.IndexName = nil
		if want.IndexName != nil {
			cd.IndexName = Ptr(*want.IndexName)
		}
		cd.IndexOptions = maps.Clone(want.IndexOptions)
		return true, nil
	}
}

func clearIndex(name []byte) func(cf *tg.CfDef) (bool, error) {
	return func(cf *tg.CfDef) (bool, error) {
		cd := findLive(cf, name)
		if cd == nil || cd.IndexType == nil {
			return false, nil
		}
		cd.IndexType, cd.IndexName, cd.IndexOptions = nil, nil, nil
		return true, nil
	}
}

// attrChanges lists the attributes a sets that differ from live (every
// one a sets when live is nil), comparing canonically: class names
// qualified, caching and speculative_retry in any case, and
// cells_per_row_to_cache only when a row cache is on.
func attrChanges(live *tg.CfDef, a *Attributes) []Change {
	var out []Change
	creating := live == nil
	add := func(attr string, from, to string, differ bool) {
		if creating {
			out = append(out, Change{Attribute: attr, To: to})
		} else if differ {
			out = append(out, Change{Attribute: attr, From: from, To: to})
		}
	}
	if live == nil {
		live = &tg.CfDef{}
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	i := func(v int32) string { return strconv.Itoa(int(v)) }
	if a.Comment != nil {
		add("comment", strconv.Quote(live.GetComment()), strconv.Quote(*a.Comment), live.GetComment() != *a.Comment)
	}
	if a.ReadRepairChance != nil {
		add("read_repair_chance", f(live.GetReadRepairChance()), f(*a.ReadRepairChance), live.GetReadRepairChance() != *a.ReadRepairChance)
	}
	if a.DCLocalReadRepairChance != nil {
		add("dclocal_read_repair_chance", f(live.DclocalReadRepairChance), f(*a.DCLocalReadRepairChance), live.DclocalReadRepairChance != *a.DCLocalReadRepairChance)
	}
	for _, x := range []struct {
		name string
		want *int32
		live *int32
	}{
		{"gc_grace_seconds", a.GCGraceSeconds, live.GcGraceSeconds},
		{"min_compaction_threshold", a.MinCompactionThreshold, live.MinCompactionThreshold},
		{"max_compaction_threshold", a.MaxCompactionThreshold, live.MaxCompactionThreshold},
		{"default_time_to_live", a.DefaultTimeToLive, live.DefaultTimeToLive},
		{"memtable_flush_period_in_ms", a.MemtableFlushPeriodInMs, live.MemtableFlushPeriodInMs},
		{"min_index_interval", a.MinIndexInterval, live.MinIndexInterval},
		{"max_index_interval", a.MaxIndexInterval, live.MaxIndexInterval},
	} {
		if x.want == nil {
			continue
		}
		var lv int32
		if x.live != nil {
			lv = *x.live
		}
		add(x.name, i(lv), i(*x.want), x.live == nil || lv != *x.want)
	}
	if a.CompactionStrategy != nil {
		want := qualifyIn(compactionPkg, *a.CompactionStrategy)
		add("compaction_strategy", shortClass(live.GetCompactionStrategy()), shortClass(want), live.GetCompactionStrategy() != want)
	}
	if a.CompactionStrategyOptions != nil {
		have := liveCompactionOptions(live.CompactionStrategyOptions, a.CompactionStrategyOptions)
		add("compaction_strategy_options", formatMap(have), formatMap(a.CompactionStrategyOptions),
			!maps.Equal(have, a.CompactionStrategyOptions))
	}
	if a.CompressionOptions != nil {
		want := canonCompression(a.CompressionOptions)
		have := liveCompressionOptions(live.CompressionOptions, want)
		add("compression_options", formatMap(have), formatMap(want), !maps.Equal(have, want))
	}
	if a.BloomFilterFPChance != nil {
		add("bloom_filter_fp_chance", f(live.GetBloomFilterFpChance()), f(*a.BloomFilterFPChance),
			live.BloomFilterFpChance == nil || *live.BloomFilterFpChance != *a.BloomFilterFPChance)
	}
	caching := live.Caching
	if a.Caching != nil {
		add("caching", live.Caching, strings.ToUpper(*a.Caching), !strings.EqualFold(live.Caching, *a.Caching))
		caching = *a.Caching
	}
	if a.CellsPerRowToCache != nil {
		rowCache := !strings.EqualFold(caching, "KEYS_ONLY") && !strings.EqualFold(caching, "NONE")
		add("cells_per_row_to_cache", live.CellsPerRowToCache, *a.CellsPerRowToCache,
			rowCache && !strings.EqualFold(live.CellsPerRowToCache, *a.CellsPerRowToCache))
	}
	if a.SpeculativeRetry != nil {
		add("speculative_retry", live.SpeculativeRetry, *a.SpeculativeRetry, !strings.EqualFold(live.SpeculativeRetry, *a.SpeculativeRetry))
	}
	return out
}

// liveCompactionOptions is the live compaction_strategy_options as a spec
// declaring want sees them: Cassandra 3.x reports min_threshold and
// max_threshold among them (CompactionParams.options), mirroring the
// min/max_compaction_threshold attributes, so they count only when the
// spec names them.
func liveCompactionOptions(live, want map[string]string) map[string]string {
	out := maps.Clone(live)
	for _, k := range []string{"min_threshold", "max_threshold"} {
		if _, ok := want[k]; !ok {
			delete(out, k)
		}
	}
	return out
}

// liveCompressionOptions is the live compression_options as a spec
// declaring want sees them: Cassandra 3.x reports the default chunk length
// (chunk_length_kb 64), which counts only when the spec names a chunk
// length.
func liveCompressionOptions(live, want map[string]string) map[string]string {
	out := maps.Clone(live)
	if _, ok := want["chunk_length_kb"]; !ok && out["chunk_length_kb"] == "64" {
		delete(out, "chunk_length_kb")
	}
	return out
}
