package schema

import (
	"sort"

	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

// Catalog is an immutable snapshot of every keyspace, system ones included.
// Every change builds a new Catalog; one snapshot can be read by any number
// of goroutines without locks. Nothing reachable from it may be modified.
type Catalog struct {
	keyspaces map[string]*Keyspace // by exact (case-sensitive) name
	version   uuid.UUID
}

// newCatalog builds a catalog over ks and computes its version.
func newCatalog(ks map[string]*Keyspace) *Catalog {
	c := &Catalog{keyspaces: ks}
	c.version = computeVersion(c)
	return c
}

// Keyspace returns the keyspace with exactly this name, or nil.
func (c *Catalog) Keyspace(name string) *Keyspace {
	if c == nil {
		return nil
	}
	return c.keyspaces[name]
}

// Table returns column family cf of keyspace ks, or nil when either is missing.
func (c *Catalog) Table(ks, cf string) *Table {
	return c.Keyspace(ks).Table(cf)
}

// Keyspaces returns every keyspace sorted by name.
func (c *Catalog) Keyspaces() []*Keyspace {
	out := make([]*Keyspace, 0, len(c.keyspaces))
	for _, k := range c.keyspaces {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Version is the schema version as system_* and describe_schema_versions
// report it: a lower-case name-based (v3) UUID string over the canonical
// schema, equal for equal schemas.
func (c *Catalog) Version() string { return c.version.String() }

// VersionUUID is Version as a UUID.
func (c *Catalog) VersionUUID() uuid.UUID { return c.version }

// Describe is describe_keyspaces: a fresh KsDef for every keyspace, the
// five system keyspaces of 3.11 included, sorted by name. The caller may
// modify the result.
func (c *Catalog) Describe() []*thriftgen.KsDef {
	ks := c.Keyspaces()
	out := make([]*thriftgen.KsDef, len(ks))
	for i, k := range ks {
		out[i] = k.Def()
	}
	return out
}

// Index finds the index named name in keyspace ks (index names are unique
// per keyspace). It returns nil, nil when there is none.
func (c *Catalog) Index(ks, name string) (*Table, *Column) {
	k := c.Keyspace(ks)
	if k == nil {
		return nil, nil
	}
	for _, t := range k.sortedTables() {
		for _, col := range t.Columns {
			if col.Index != nil && col.Index.Name == name {
				return t, col
			}
		}
	}
	return nil, nil
}

// FindKeyspace returns the keyspace with exactly this name as CQL sees it,
// or nil. Every keyspace, system_schema included, is in the catalog, so
// it is Keyspace; it stays for the CQL side's readability.
func (c *Catalog) FindKeyspace(name string) *Keyspace { return c.Keyspace(name) }

// FindTable returns table of keyspace ks as CQL sees it (stored or
// virtual), or nil.
func (c *Catalog) FindTable(ks, table string) *Table {
	return c.FindKeyspace(ks).FindTable(table)
}

// Lookup is FindTable with CQL's errors: "Keyspace %s does not exist",
// "non-empty table is required", "unconfigured table %s" (Invalid).
func (c *Catalog) Lookup(ks, table string) (*Table, error) {
	_, t, err := lookupCQL(c, ks, table)
	return t, err
}

// AllKeyspaces returns every keyspace CQL sees, sorted by name: the same
// as Keyspaces, since Thrift (3.11's describe_keyspaces) sees system_schema
// too.
func (c *Catalog) AllKeyspaces() []*Keyspace { return c.Keyspaces() }
