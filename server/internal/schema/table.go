package schema

import (
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

// Keyspace is an immutable snapshot of one keyspace's definition.
type Keyspace struct {
	Name            string
	StrategyClass   string            // fully qualified, e.g. org.apache.cassandra.locator.SimpleStrategy
	StrategyOptions map[string]string // as sent by the client
	DurableWrites   bool
	System          bool              // system keyspaces are not user-modifiable
	Tables          map[string]*Table // by column family name (case-sensitive)

	// Types are the user-defined types by name.
	Types map[string]*codec.UserType
	// Virtual are the built-in tables of a system keyspace that have no
	// storage (Table.Virtual); Thrift sees none of them.
	Virtual map[string]*Table
}

// Table is an immutable snapshot of one column family's definition, with its
// types parsed. The data path reads it without locks; a schema change builds
// a new Table instead of mutating this one.
type Table struct {
	Keyspace string
	Name     string
	// ID is new on every system_add_column_family, so storage can tell a
	// re-created column family from the dropped one.
	ID uuid.UUID

	Super   bool // column_type Super
	Counter bool // default_validation_class is CounterColumnType

	// Comparator orders column names of a standard CF, or super column names
	// of a super CF. SubComparator orders sub-column names (super CFs only).
	Comparator       codec.Type
	SubComparator    codec.Type
	KeyValidator     codec.Type
	DefaultValidator codec.Type

	// Columns is column_metadata, in comparator (or subcomparator) order.
	Columns []*Column

	DefaultTTL     int32 // default_time_to_live, seconds; 0 means none
	GCGraceSeconds int32

	// MinIndexInterval is min_index_interval (describe_splits uses it).
	MinIndexInterval int32

	// Def is the CfDef exactly as describe_keyspace reports it (fully
	// qualified type names, defaults applied); nil for a CQL table, which
	// Thrift does not list. Treat it as read-only.
	Def *thriftgen.CfDef

	// The CQL model: 3.11's CFMetaData. Every table has it, Thrift column
	// families included (as ThriftConversion.internalFromThrift and
	// addDefaultCQLMetadata build it). Comparator, KeyValidator and
	// DefaultValidator are derived from it (LegacyLayout).

	// Dense and Compound are the layout flags (see Flags).
	Dense, Compound bool
	// PartitionKey and Clustering are the key columns by position;
	// Statics and Regulars the other columns by name.
	PartitionKey, Clustering, Statics, Regulars []*ColumnDefinition
	// Params are the table options with 3.11's defaults.
	Params TableParams
	// Indexes are the secondary indexes, by name.
	Indexes []*IndexMetadata
	// Dropped are the columns dropped by ALTER TABLE, by name.
	Dropped []*DroppedColumn
	// Triggers are the trigger definitions, by name.
	Triggers []Trigger
	// Virtual marks a built-in system table (system.local,
	// system_schema.tables, ...): it has no storage, the executor answers
	// it from the catalog and the node, and Thrift never sees it.
	Virtual bool

	byName  map[string]*Column // Columns by exact name; nil if built elsewhere
	indexed []*Column          // the indexed subset of Columns
}

// Column is one entry of a column family's column_metadata.
type Column struct {
	Name      []byte
	Validator codec.Type
	Index     *Index // nil when the column is not indexed
}

// Index describes a secondary index on one column.
type Index struct {
	Name    string
	Type    thriftgen.IndexType
	Options map[string]string
}

// Column returns the column_metadata entry whose name is exactly name (byte
// for byte, as Cassandra's ColumnDefinition lookup is), or nil.
func (t *Table) Column(name []byte) *Column {
	if t.byName != nil {
		return t.byName[string(name)]
	}
	for _, c := range t.Columns { // tables built outside this package
		if string(c.Name) == string(name) {
			return c
		}
	}
	return nil
}

// ValueValidator returns the type that validates values of the column with
// exactly this name: its ColumnDef validation_class if it has one, otherwise
// the table's default_validation_class.
func (t *Table) ValueValidator(name []byte) codec.Type {
	if c := t.Column(name); c != nil && c.Validator != nil {
		return c.Validator
	}
	return t.DefaultValidator
}

// IndexedColumns returns the columns that carry a secondary index, in
// comparator order. The slice is shared: do not modify it.
func (t *Table) IndexedColumns() []*Column {
	if t.byName != nil {
		return t.indexed
	}
	var out []*Column
	for _, c := range t.Columns {
		if c.Index != nil {
			out = append(out, c)
		}
	}
	return out
}

// IndexedColumn returns the column whose index is named indexName, or nil.
func (t *Table) IndexedColumn(indexName string) *Column {
	for _, c := range t.IndexedColumns() {
		if c.Index.Name == indexName {
			return c
		}
	}
	return nil
}

// CellComparator returns the type of leaf column names: the subcomparator
// of a super column family, the comparator of a standard one. ColumnDef
// names and index expressions use it.
func (t *Table) CellComparator() codec.Type {
	if t.Super {
		return t.SubComparator
	}
	return t.Comparator
}

// Indexed reports whether the column carries a secondary index.
func (c *Column) Indexed() bool { return c.Index != nil }
