package schema

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

// ire builds the InvalidRequestException every schema error is.
func ire(msg string) *thriftgen.InvalidRequestException {
	return &thriftgen.InvalidRequestException{Why: msg}
}

// notModifiable is Cassandra 3.11's ThriftValidation.validateKeyspaceNotSystem
// for system and system_schema (any case), naming the keyspace as given.
func notModifiable(ks string) error {
	return ire(ks + " keyspace is not user-modifiable")
}

// notModifiableAuth is ClientState.preventSystemKSSchemaModification's
// refusal for system and system_schema (an UnauthorizedException, whose
// text ends with a full stop).
func notModifiableAuth(ks string) error {
	return ire(ks + " keyspace is not user-modifiable.")
}

// protectedKeyspace reports the replicated system keyspaces whose tables
// (and, for drop, the keyspace itself) 3.11 refuses to change
// (ClientState's ALTERABLE_SYSTEM_KEYSPACES: system_auth, system_traces
// and, since 3.11.3, system_distributed).
func protectedKeyspace(ks string) bool { return replicatedSystemKeyspaces[strings.ToLower(ks)] }

func addKeyspace(old *Catalog, def *thriftgen.KsDef, newID func() uuid.UUID) (*Change, error) {
	if def == nil {
		return nil, ire("KsDef is required")
	}
	if isLocalSystemKeyspace(def.Name) {
		return nil, notModifiable(def.Name)
	}
	for _, k := range old.Keyspaces() {
		if strings.EqualFold(k.Name, def.Name) {
			return nil, ire(fmt.Sprintf("Keyspace names must be case-insensitively unique (\"%s\" conflicts with \"%s\")", def.Name, k.Name))
		}
	}
	for _, cf := range def.CfDefs {
		if cf != nil && cf.Keyspace != def.Name {
			return nil, ire(fmt.Sprintf("CfDef (%s) had a keyspace definition that did not match KsDef", cf.Name))
		}
	}
	drafts, err := draftsOf(def.CfDefs)
	if err != nil {
		return nil, err
	}
	strategy, err := strategyClass(def.StrategyClass)
	if err != nil {
		return nil, err
	}
	opts := copyMap(def.StrategyOptions)
	if opts == nil {
		opts = map[string]string{}
	}
	if err := validateKeyspace(def.Name, strategy, opts); err != nil {
		return nil, err
	}
	if err := validateDrafts(drafts); err != nil {
		return nil, err
	}
	if old.Keyspace(def.Name) != nil { // unreachable behind the case-insensitive check
		return nil, ire(fmt.Sprintf("Cannot add existing keyspace \"%s\"", def.Name))
	}
	ks := &Keyspace{Name: def.Name, StrategyClass: strategy, StrategyOptions: opts,
		DurableWrites: def.DurableWrites, Tables: make(map[string]*Table, len(drafts))}
	ch := &Change{Kind: KeyspaceAdded, Keyspace: def.Name}
	for _, d := range drafts {
		t := d.finishThrift(newID())
		ks.Tables[t.Name] = t
		ch.Created = append(ch.Created, t)
	}
	ch.New = old.with(ks)
	return ch, nil
}

// draftsOf converts the CfDefs of a KsDef (fromThrift and default index
// names, as system_add_keyspace does before validating the keyspace). A
// repeated CF name replaces the earlier one, as KSMetaData's map does.
func draftsOf(defs []*thriftgen.CfDef) ([]*draft, error) {
	var out []*draft
	seen := map[string]int{}
	used := map[string]bool{}
	for _, cf := range defs {
		if cf == nil {
			continue
		}
		d, err := fromThrift(cf)
		if err != nil {
			return nil, err
		}
		if err := d.addDefaultIndexNames(nil, used); err != nil {
			return nil, err
		}
		for _, c := range d.cols {
			if c.idxName != nil {
				used[*c.idxName] = true
			}
		}
		if i, ok := seen[d.name]; ok {
			out[i] = d
			continue
		}
		seen[d.name] = len(out)
		out = append(out, d)
	}
	return out, nil
}

// validateDrafts validates the column families of a new keyspace; index
// names must be unique across them.
func validateDrafts(drafts []*draft) error {
	for i, d := range drafts {
		others := map[string]bool{}
		for j, o := range drafts {
			if j == i {
				continue
			}
			for _, c := range o.cols {
				if c.idxType != nil && c.idxName != nil {
					others[*c.idxName] = true
				}
			}
		}
		if err := d.validate(others); err != nil {
			return err
		}
	}
	return nil
}

func updateKeyspace(old *Catalog, def *thriftgen.KsDef) (*Change, error) {
	if def == nil {
		return nil, ire("KsDef is required")
	}
	if isLocalSystemKeyspace(def.Name) {
		return nil, notModifiable(def.Name)
	}
	prev := old.Keyspace(def.Name)
	if prev == nil {
		return nil, ire(fmt.Sprintf("Keyspace %s does not exist", def.Name))
	}
	if len(def.CfDefs) > 0 {
		return nil, ire("Keyspace update must not contain any table definitions.")
	}
	strategy, err := strategyClass(def.StrategyClass)
	if err != nil {
		return nil, err
	}
	opts := copyMap(def.StrategyOptions)
	if opts == nil {
		opts = map[string]string{}
	}
	if err := validateKeyspace(def.Name, strategy, opts); err != nil {
		return nil, err
	}
	ks := *prev
	ks.StrategyClass, ks.StrategyOptions, ks.DurableWrites = strategy, opts, def.DurableWrites
	return &Change{Kind: KeyspaceUpdated, Keyspace: def.Name, New: old.with(&ks)}, nil
}

func dropKeyspace(old *Catalog, name string) (*Change, error) {
	if isLocalSystemKeyspace(name) {
		return nil, notModifiable(name)
	}
	if protectedKeyspace(name) {
		return nil, ire(fmt.Sprintf("Cannot DROP <keyspace %s>", name))
	}
	ks := old.Keyspace(name)
	if ks == nil {
		return nil, ire(fmt.Sprintf("Cannot drop non existing keyspace '%s'.", name))
	}
	return &Change{Kind: KeyspaceDropped, Keyspace: name, Dropped: ks.sortedTables(),
		New: old.without(name)}, nil
}

func addTable(old *Catalog, def *thriftgen.CfDef, newID func() uuid.UUID) (*Change, error) {
	if def == nil {
		return nil, ire("CfDef is required")
	}
	if isLocalSystemKeyspace(def.Keyspace) {
		return nil, notModifiableAuth(def.Keyspace)
	}
	d, err := fromThrift(def)
	if err != nil {
		return nil, err
	}
	if err := d.validateCompactionOptions(); err != nil {
		return nil, err
	}
	ks := old.Keyspace(def.Keyspace)
	var tables map[string]*Table
	if ks != nil {
		tables = ks.Tables
	}
	prev := ks.Table(def.Name)
	if err := d.addDefaultIndexNames(prev, keyspaceIndexNames(tables, "")); err != nil {
		return nil, err
	}
	if err := d.validate(keyspaceIndexNames(tables, def.Name)); err != nil {
		return nil, err
	}
	if ks == nil {
		return nil, ire(fmt.Sprintf("Cannot add table '%s' to non existing keyspace '%s'.", def.Name, def.Keyspace))
	}
	if prev != nil {
		return nil, ire(fmt.Sprintf("Cannot add already existing table \"%s\" to keyspace \"%s\"", def.Name, def.Keyspace))
	}
	t := d.finishThrift(newID())
	return &Change{Kind: TableAdded, Keyspace: ks.Name, Table: t.Name, Created: []*Table{t},
		New: old.with(ks.withTable(t))}, nil
}

// lookupTable is the column family check of system_update_column_family
// and system_drop_column_family (ThriftValidation.validateColumnFamily),
// with its messages. Like 3.11's Schema.getCFMetaData it finds the
// built-in system tables too, so the access check that follows refuses
// them with 3.11's message.
func lookupTable(c *Catalog, ks, cf string) (*Keyspace, *Table, error) {
	k := c.Keyspace(ks)
	if k == nil {
		return nil, nil, ire(fmt.Sprintf("Keyspace %s does not exist", ks))
	}
	if cf == "" {
		return nil, nil, ire("non-empty table is required")
	}
	t := k.FindTable(cf)
	if t == nil {
		return nil, nil, ire("unconfigured table " + cf)
	}
	return k, t, nil
}

// checkTableAccess is the schema part of the ALTER/DROP access check on a
// column family of a system keyspace.
func checkTableAccess(ks, cf, perm string) error {
	if isLocalSystemKeyspace(ks) {
		return notModifiableAuth(ks)
	}
	if protectedKeyspace(ks) {
		return ire(fmt.Sprintf("Cannot %s <table %s.%s>", perm, ks, cf))
	}
	return nil
}

func updateTable(old *Catalog, def *thriftgen.CfDef) (*Change, error) {
	if def == nil {
		return nil, ire("Keyspace and CF name must be set.")
	}
	ks, prev, err := lookupTable(old, def.Keyspace, def.Name)
	if err != nil {
		return nil, err
	}
	if err := checkTableAccess(ks.Name, prev.Name, "ALTER"); err != nil {
		return nil, err
	}
	if prev.IsCQLTable() || prev.Virtual {
		return nil, ire("Cannot modify CQL3 table " + prev.Name + " as it may break the schema. You should use cqlsh to modify CQL3 tables instead.")
	}
	d, err := fromThrift(def)
	if err != nil {
		return nil, err
	}
	if err := d.validateCompactionOptions(); err != nil {
		return nil, err
	}
	if err := d.addDefaultIndexNames(prev, keyspaceIndexNames(ks.Tables, "")); err != nil {
		return nil, err
	}
	if err := d.validate(keyspaceIndexNames(ks.Tables, def.Name)); err != nil {
		return nil, err
	}
	if d.super != prev.Super {
		return nil, ire("types do not match.")
	}
	ok := compatible(nodeOf(d.comparator), nodeOf(prev.Comparator))
	if ok && d.super {
		ok = compatible(nodeOf(d.sub), nodeOf(prev.SubComparator))
	}
	if !ok {
		return nil, ire("comparators do not match or are not compatible.")
	}
	t := d.finishThrift(prev.ID)
	keepCQLNames(prev, t, def.KeyAlias != nil)
	return &Change{Kind: TableUpdated, Keyspace: ks.Name, Table: t.Name,
		Updated: []TableUpdate{{Old: prev, New: t, IndexesChanged: indexesDiffer(prev, t)}},
		New:     old.with(ks.withTable(t))}, nil
}

func dropTable(old *Catalog, ksName, cf string) (*Change, error) {
	ks, t, err := lookupTable(old, ksName, cf)
	if err != nil {
		return nil, err
	}
	if err := checkTableAccess(ks.Name, t.Name, "DROP"); err != nil {
		return nil, err
	}
	return &Change{Kind: TableDropped, Keyspace: ks.Name, Table: t.Name, Dropped: []*Table{t},
		New: old.with(ks.withoutTable(t.Name))}, nil
}

// indexesDiffer reports whether the indexed columns or their definitions
// changed between two versions of a table.
func indexesDiffer(a, b *Table) bool {
	ai, bi := a.IndexedColumns(), b.IndexedColumns()
	if len(ai) != len(bi) {
		return true
	}
	for i := range ai {
		x, y := ai[i], bi[i]
		if string(x.Name) != string(y.Name) || x.Index.Name != y.Index.Name || x.Index.Type != y.Index.Type ||
			len(x.Index.Options) != len(y.Index.Options) {
			return true
		}
		for k, v := range x.Index.Options {
			if w, ok := y.Index.Options[k]; !ok || w != v {
				return true
			}
		}
	}
	return false
}

// with returns a catalog in which ks replaces the keyspace of its name.
func (c *Catalog) with(ks *Keyspace) *Catalog {
	m := make(map[string]*Keyspace, len(c.keyspaces)+1)
	for n, k := range c.keyspaces {
		m[n] = k
	}
	m[ks.Name] = ks
	return newCatalog(m)
}

// without returns a catalog without the named keyspace.
func (c *Catalog) without(name string) *Catalog {
	m := make(map[string]*Keyspace, len(c.keyspaces))
	for n, k := range c.keyspaces {
		if n != name {
			m[n] = k
		}
	}
	return newCatalog(m)
}

// withTable returns a copy of k in which t replaces the table of its name.
func (k *Keyspace) withTable(t *Table) *Keyspace {
	nk := *k
	nk.Tables = make(map[string]*Table, len(k.Tables)+1)
	for n, x := range k.Tables {
		nk.Tables[n] = x
	}
	nk.Tables[t.Name] = t
	return &nk
}

// withoutTable returns a copy of k without the named table.
func (k *Keyspace) withoutTable(name string) *Keyspace {
	nk := *k
	nk.Tables = make(map[string]*Table, len(k.Tables))
	for n, x := range k.Tables {
		if n != name {
			nk.Tables[n] = x
		}
	}
	return &nk
}

// strategyClass is AbstractReplicationStrategy.getClass plus the
// LocalStrategy refusal of KSMetaData.fromThrift.
func strategyClass(name string) (string, error) {
	fq := name
	if !strings.Contains(name, ".") {
		fq = locatorPkg + name
	}
	switch fq {
	case SimpleStrategy, NetworkTopologyStrategy, OldNetworkTopologyStrategy:
		return fq, nil
	case LocalStrategy:
		return "", ire("Unable to use given strategy class: LocalStrategy is reserved for internal use.")
	}
	if short, ok := strings.CutPrefix(fq, locatorPkg); ok && locatorClasses[short] {
		return "", ire(fmt.Sprintf("Specified replication strategy class (%s) is not derived from AbstractReplicationStrategy", fq))
	}
	return "", ire(fmt.Sprintf("Unable to find replication strategy class '%s'", fq))
}

const locatorPkg = "org.apache.cassandra.locator."

// locatorClasses are classes of the locator package that exist but are
// not replication strategies.
var locatorClasses = map[string]bool{
	"SimpleSnitch": true, "PropertyFileSnitch": true, "GossipingPropertyFileSnitch": true,
	"RackInferringSnitch": true, "Ec2Snitch": true, "Ec2MultiRegionSnitch": true,
	"DynamicEndpointSnitch": true, "TokenMetadata": true,
}

// validateKeyspace is KSMetaData.validate without its column families: the
// name, then the strategy's options (constructor, validateExpectedOptions,
// validateOptions).
func validateKeyspace(name, strategy string, opts map[string]string) error {
	if !isNameValid(name) {
		return ire(fmt.Sprintf("Keyspace name must not be empty, more than %d characters long, or contain non-alphanumeric-underscore characters (got \"%s\")", maxNameLength, name))
	}
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	short := strings.TrimPrefix(strategy, locatorPkg)
	if strategy == NetworkTopologyStrategy {
		for _, dc := range keys {
			if strings.EqualFold(dc, "replication_factor") {
				return ire("replication_factor is an option for SimpleStrategy, not NetworkTopologyStrategy")
			}
		}
		for _, dc := range keys {
			if err := validateRF(opts[dc]); err != nil {
				return err
			}
		}
		return nil
	}
	for _, k := range keys {
		if k != "replication_factor" {
			return ire(fmt.Sprintf("Unrecognized strategy option {%s} passed to %s for keyspace %s", k, short, name))
		}
	}
	rf, ok := opts["replication_factor"]
	if !ok {
		return ire("SimpleStrategy requires a replication_factor strategy option.")
	}
	return validateRF(rf)
}

// validateRF is AbstractReplicationStrategy.validateReplicationFactor.
func validateRF(rf string) error {
	n, ok := parseRF(rf)
	if !ok {
		return ire("Replication factor must be numeric; found " + rf)
	}
	if n < 0 {
		return ire("Replication factor must be non-negative; found " + rf)
	}
	return nil
}
