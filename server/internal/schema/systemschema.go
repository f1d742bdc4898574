package schema

import (
	"fmt"
	"time"

	"github.com/cassa-go/cassa/codec"
)

// Row is one row of a system_schema table, by column name, as 3.11's
// SchemaKeyspace writes it. Values are typed Go values that the column's
// codec type packs: string (text), bool (boolean), int32 (int), float64
// (double), uuid.UUID (uuid), []byte (blob), time.Time (timestamp),
// map[string]string and map[string][]byte (frozen maps), []string (frozen
// sets and lists). nil is null. The table's column order for SELECT * is
// SystemSchemaTable(name).AllColumns().
type Row map[string]any

// SystemSchemaTables lists the system_schema tables in 3.11's order.
var SystemSchemaTables = []string{"keyspaces", "tables", "columns", "dropped_columns", "triggers",
	"views", "types", "functions", "aggregates", "indexes"}

// SystemSchemaRows returns the rows of system_schema.<table> for every
// keyspace (built-in ones included), in partition (keyspace name) then
// clustering order. The executor filters and pages them.
func (c *Catalog) SystemSchemaRows(table string) ([]Row, error) {
	switch table {
	case "keyspaces":
		return c.KeyspaceRows(), nil
	case "tables":
		return c.TableRows(), nil
	case "columns":
		return c.ColumnRows(), nil
	case "dropped_columns":
		return c.DroppedColumnRows(), nil
	case "triggers":
		return c.TriggerRows(), nil
	case "views", "functions", "aggregates":
		return []Row{}, nil
	case "types":
		return c.TypeRows(), nil
	case "indexes":
		return c.IndexRows(), nil
	}
	return nil, invalidf("unconfigured table %s", table)
}

// KeyspaceRows is system_schema.keyspaces.
func (c *Catalog) KeyspaceRows() []Row {
	var out []Row
	for _, k := range c.AllKeyspaces() {
		repl := copyMap(k.StrategyOptions)
		if repl == nil {
			repl = map[string]string{}
		}
		repl["class"] = k.StrategyClass
		out = append(out, Row{"keyspace_name": k.Name, "durable_writes": k.DurableWrites, "replication": repl})
	}
	return out
}

// tableRow is addTableToSchemaMutation's row (addTableParamsToRowBuilder);
// cdc is null, as 3.11 writes it only with cdc_enabled.
func tableRow(k *Keyspace, t *Table) Row {
	p := t.Params
	ext := map[string][]byte{}
	for n, v := range p.Extensions {
		ext[n] = append([]byte(nil), v...)
	}
	return Row{
		"keyspace_name": k.Name, "table_name": t.Name,
		"bloom_filter_fp_chance": p.BloomFilterFpChance, "caching": p.Caching.AsMap(), "cdc": nil,
		"comment": p.Comment, "compaction": p.Compaction.AsMap(), "compression": p.Compression.AsMap(),
		"crc_check_chance": p.CRCCheckChance, "dclocal_read_repair_chance": p.DCLocalReadRepairChance,
		"default_time_to_live": p.DefaultTimeToLive, "extensions": ext, "flags": t.Flags(),
		"gc_grace_seconds": p.GCGraceSeconds, "id": t.ID, "max_index_interval": p.MaxIndexInterval,
		"memtable_flush_period_in_ms": p.MemtableFlushPeriodInMs, "min_index_interval": p.MinIndexInterval,
		"read_repair_chance": p.ReadRepairChance, "speculative_retry": p.SpeculativeRetry.String(),
	}
}

// TableRows is system_schema.tables.
func (c *Catalog) TableRows() []Row {
	var out []Row
	for _, k := range c.AllKeyspaces() {
		for _, t := range k.AllTables() {
			out = append(out, tableRow(k, t))
		}
	}
	return out
}

// ColumnRows is system_schema.columns (addColumnToSchemaMutation), sorted
// by (table_name, column_name) within a keyspace.
func (c *Catalog) ColumnRows() []Row {
	var out []Row
	for _, k := range c.AllKeyspaces() {
		for _, t := range k.AllTables() {
			cols := t.AllColumns()
			sortColumnsByName(cols)
			for _, col := range cols {
				out = append(out, Row{
					"keyspace_name": k.Name, "table_name": t.Name, "column_name": col.Name,
					"clustering_order": col.Order.String(), "column_name_bytes": append([]byte(nil), col.NameBytes...),
					"kind": col.Kind.String(), "position": int32(col.Position), "type": col.CQLType(),
				})
			}
		}
	}
	return out
}

func sortColumnsByName(cs []*ColumnDefinition) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].Name < cs[j-1].Name; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// DroppedColumnRows is system_schema.dropped_columns
// (addDroppedColumnToSchemaMutation): user types become frozen tuples.
func (c *Catalog) DroppedColumnRows() []Row {
	var out []Row
	for _, k := range c.AllKeyspaces() {
		for _, t := range k.AllTables() {
			for _, d := range t.Dropped {
				var kind any
				if d.Kind != 0 {
					kind = d.Kind.String()
				}
				out = append(out, Row{
					"keyspace_name": k.Name, "table_name": t.Name, "column_name": d.Name,
					"dropped_time": time.UnixMilli(d.DroppedTime / 1000).UTC(), "kind": kind,
					"type": codec.CQLName(expandUserTypes(d.Type)),
				})
			}
		}
	}
	return out
}

// TriggerRows is system_schema.triggers.
func (c *Catalog) TriggerRows() []Row {
	var out []Row
	for _, k := range c.AllKeyspaces() {
		for _, t := range k.AllTables() {
			for _, tr := range t.Triggers {
				out = append(out, Row{"keyspace_name": k.Name, "table_name": t.Name, "trigger_name": tr.Name,
					"options": map[string]string{"class": tr.Class}})
			}
		}
	}
	return out
}

// TypeRows is system_schema.types (addTypeToSchemaMutation).
func (c *Catalog) TypeRows() []Row {
	var out []Row
	for _, k := range c.AllKeyspaces() {
		for _, n := range sortedKeys(k.Types) {
			u := k.Types[n]
			ft := make([]string, 0, len(u.FieldTypes()))
			for _, t := range u.FieldTypes() {
				ft = append(ft, codec.CQLName(t))
			}
			out = append(out, Row{"keyspace_name": k.Name, "type_name": u.Name,
				"field_names": u.FieldNames(), "field_types": ft})
		}
	}
	return out
}

// IndexRows is system_schema.indexes (addIndexToSchemaMutation).
func (c *Catalog) IndexRows() []Row {
	var out []Row
	for _, k := range c.AllKeyspaces() {
		for _, t := range k.AllTables() {
			for _, ix := range t.Indexes {
				out = append(out, Row{"keyspace_name": k.Name, "table_name": t.Name, "index_name": ix.Name,
					"kind": string(ix.Kind), "options": copyMap(ix.Options)})
			}
		}
	}
	return out
}

// String renders a row for debugging.
func (r Row) String() string { return fmt.Sprint(map[string]any(r)) }
