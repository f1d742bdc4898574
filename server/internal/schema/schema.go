package schema

import (
	"sync"
	"sync/atomic"

	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

// Options configures a Schema. The zero value is ready to use.
type Options struct {
	// Apply, when set, is called for every change while the schema's write
	// lock is held and before the new Catalog becomes current. Storage uses
	// it to create, drop or re-index tables in step with the schema. If it
	// returns an error the change is abandoned: the old Catalog stays
	// current and the error is returned to the caller unchanged.
	Apply func(*Change) error

	// NewID returns the ID of a newly created table. Nil means a fresh
	// version-1 (time) UUID, as Cassandra uses for cfId.
	NewID func() uuid.UUID
}

// Schema owns the current Catalog and serialises schema changes. Current
// never blocks; the mutating methods run one at a time.
type Schema struct {
	opts Options
	mu   sync.Mutex // serialises changes; readers never take it
	cur  atomic.Pointer[Catalog]
}

// ChangeKind says which system_* operation produced a Change.
type ChangeKind int

const (
	// KeyspaceAdded is system_add_keyspace; Created lists its tables.
	KeyspaceAdded ChangeKind = iota + 1
	// KeyspaceUpdated is system_update_keyspace (strategy, options, durable_writes).
	KeyspaceUpdated
	// KeyspaceDropped is system_drop_keyspace; Dropped lists its tables.
	KeyspaceDropped
	// TableAdded is system_add_column_family; Created holds the table.
	TableAdded
	// TableUpdated is system_update_column_family; Updated holds old and new.
	TableUpdated
	// TableDropped is system_drop_column_family; Dropped holds the table.
	TableDropped
	// Loaded is a whole catalog restored by Load; Created lists every table.
	Loaded
	// TypeAdded is CREATE TYPE; Type names it.
	TypeAdded
	// TypeUpdated is ALTER TYPE; Updated lists the tables using the type.
	TypeUpdated
	// TypeDropped is DROP TYPE.
	TypeDropped
)

// String names the kind for logs.
func (k ChangeKind) String() string {
	switch k {
	case KeyspaceAdded:
		return "KeyspaceAdded"
	case KeyspaceUpdated:
		return "KeyspaceUpdated"
	case KeyspaceDropped:
		return "KeyspaceDropped"
	case TableAdded:
		return "TableAdded"
	case TableUpdated:
		return "TableUpdated"
	case TableDropped:
		return "TableDropped"
	case Loaded:
		return "Loaded"
	case TypeAdded:
		return "TypeAdded"
	case TypeUpdated:
		return "TypeUpdated"
	case TypeDropped:
		return "TypeDropped"
	}
	return "ChangeKind(?)"
}

// Change describes one applied (or, inside Options.Apply, about to be
// applied) schema change, so storage can follow it.
type Change struct {
	Kind     ChangeKind
	Keyspace string // the keyspace changed, or holding the changed table
	Table    string // the table changed; empty for keyspace changes

	Old, New *Catalog // the catalogs before and after

	Created []*Table      // tables that exist in New and not in Old
	Dropped []*Table      // tables of Old that are gone in New; their data must go
	Updated []TableUpdate // tables whose definition changed

	// Type is the user type of a Type* change.
	Type string
	// Warnings are the client warnings Cassandra adds to the response
	// (deprecated table options).
	Warnings []string
}

// Event is the SCHEMA_CHANGE event (and result) this change makes, as
// 3.11's statements announce it: change is CREATED, UPDATED or DROPPED,
// target KEYSPACE, TABLE or TYPE, and name the table or type ("" for a
// keyspace). CREATE and DROP INDEX are UPDATED TABLE of the base table.
// ok is false for Loaded.
func (c *Change) Event() (change, target, keyspace, name string, ok bool) {
	switch c.Kind {
	case KeyspaceAdded:
		return "CREATED", "KEYSPACE", c.Keyspace, "", true
	case KeyspaceUpdated:
		return "UPDATED", "KEYSPACE", c.Keyspace, "", true
	case KeyspaceDropped:
		return "DROPPED", "KEYSPACE", c.Keyspace, "", true
	case TableAdded:
		return "CREATED", "TABLE", c.Keyspace, c.Table, true
	case TableUpdated:
		return "UPDATED", "TABLE", c.Keyspace, c.Table, true
	case TableDropped:
		return "DROPPED", "TABLE", c.Keyspace, c.Table, true
	case TypeAdded:
		return "CREATED", "TYPE", c.Keyspace, c.Type, true
	case TypeUpdated:
		return "UPDATED", "TYPE", c.Keyspace, c.Type, true
	case TypeDropped:
		return "DROPPED", "TYPE", c.Keyspace, c.Type, true
	}
	return "", "", "", "", false
}

// Version is the schema version after the change, as system_* returns it.
func (c *Change) Version() string { return c.New.Version() }

// TableUpdate pairs the old and new definition of an updated table.
type TableUpdate struct {
	Old, New *Table
	// IndexesChanged is true when the set of indexed columns, or an index's
	// name, type or options, differs: storage must rebuild or drop indexes.
	// It is also set when the comparator gained a collection component.
	IndexesChanged bool
	// LayoutChanged is true when the table's cell layout changed (DROP
	// COMPACT STORAGE): existing cells are in the old layout.
	LayoutChanged bool
}

// New returns a Schema holding only Cassandra 3.11's system keyspaces
// (system, system_auth, system_distributed, system_schema, system_traces).
func New(opts Options) *Schema {
	s := &Schema{opts: opts}
	s.cur.Store(newCatalog(systemKeyspaces()))
	return s
}

// Current returns the current snapshot. It never blocks and the result
// never changes; take it once per request.
func (s *Schema) Current() *Catalog { return s.cur.Load() }

// AddKeyspace is system_add_keyspace: it validates def with Cassandra's
// checks in Cassandra's order and creates the keyspace with its cf_defs.
// Errors are *thriftgen.InvalidRequestException.
func (s *Schema) AddKeyspace(def *thriftgen.KsDef) (*Change, error) {
	return s.change(func(old *Catalog) (*Change, error) { return addKeyspace(old, def, s.newID) })
}

// UpdateKeyspace is system_update_keyspace: it replaces the strategy, its
// options and durable_writes. cf_defs must be empty.
func (s *Schema) UpdateKeyspace(def *thriftgen.KsDef) (*Change, error) {
	return s.change(func(old *Catalog) (*Change, error) { return updateKeyspace(old, def) })
}

// DropKeyspace is system_drop_keyspace.
func (s *Schema) DropKeyspace(name string) (*Change, error) {
	return s.change(func(old *Catalog) (*Change, error) { return dropKeyspace(old, name) })
}

// AddTable is system_add_column_family: the table goes into def.Keyspace.
// The caller has already checked the session keyspace.
func (s *Schema) AddTable(def *thriftgen.CfDef) (*Change, error) {
	return s.change(func(old *Catalog) (*Change, error) { return addTable(old, def, s.newID) })
}

// UpdateTable is system_update_column_family: def replaces the whole
// definition (absent fields take their defaults, absent column_metadata
// removes columns and indexes); the table ID is kept.
func (s *Schema) UpdateTable(def *thriftgen.CfDef) (*Change, error) {
	return s.change(func(old *Catalog) (*Change, error) { return updateTable(old, def) })
}

// DropTable is system_drop_column_family on keyspace ks.
func (s *Schema) DropTable(ks, cf string) (*Change, error) {
	return s.change(func(old *Catalog) (*Change, error) { return dropTable(old, ks, cf) })
}

func (s *Schema) newID() uuid.UUID {
	if s.opts.NewID != nil {
		return s.opts.NewID()
	}
	id, err := uuid.NewUUID()
	if err != nil { // no clock sequence available: fall back to random
		return uuid.New()
	}
	return id
}

// change runs one mutation under the write lock, lets the Apply hook follow
// it, and only then publishes the new catalog.
func (s *Schema) change(f func(old *Catalog) (*Change, error)) (*Change, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.cur.Load()
	ch, err := f(old)
	if err != nil || ch == nil { // nil, nil: a no-op (IF [NOT] EXISTS)
		return nil, err
	}
	ch.Old = old
	if s.opts.Apply != nil {
		if err := s.opts.Apply(ch); err != nil {
			return nil, err
		}
	}
	s.cur.Store(ch.New)
	return ch, nil
}
