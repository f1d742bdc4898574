package migrate

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/internal/cqltype"
)

// liveKeyspace is a keyspace as system_schema shows it (Cassandra 3.0 and
// newer).
type liveKeyspace struct {
	name     string
	strategy string            // fully qualified class
	options  map[string]string // replication without class
	durable  bool
	tables   map[string]*liveTable
	types    map[string]*udtDef
}

type liveTable struct {
	name    string
	flags   []string
	options map[string]any // every option column of system_schema.tables
	columns map[string]*liveColumn
	pk      []string
	cluster []clusteringDef
	dropped map[string]*liveColumn // kind may be "" (unknown)
	indexes []*liveIndex
}

type liveColumn struct {
	name     string
	kind     string // partition_key, clustering, static, regular
	typ      string // as system_schema prints it
	position int
	desc     bool
}

type liveIndex struct {
	name    string
	kind    string // KEYS, COMPOSITES, CUSTOM
	options map[string]string
	column  string // from the target
	target  string // values, keys, entries, full
}

// compact reports whether the table is a COMPACT STORAGE table (what
// Thrift column families are in Cassandra 3.x): its flags lack compound,
// or name dense or super.
func (t *liveTable) compact() bool {
	return !slices.Contains(t.flags, "compound") || slices.Contains(t.flags, "dense") || slices.Contains(t.flags, "super")
}

// counter reports whether the table holds counters.
func (t *liveTable) counter() bool { return slices.Contains(t.flags, "counter") }

// nonKeyColumns are the static and regular columns, by name.
func (t *liveTable) nonKeyColumns() []*liveColumn {
	var out []*liveColumn
	for _, c := range t.columns {
		if c.kind == "static" || c.kind == "regular" {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// tableOptionSkip are system_schema.tables columns that are not options.
var tableOptionSkip = map[string]bool{"keyspace_name": true, "table_name": true, "id": true, "flags": true}

// readLiveKeyspace reads a keyspace's schema; nil when it does not exist.
func readLiveKeyspace(ctx context.Context, db *cql.Session, ks string) (*liveKeyspace, error) {
	row, err := db.Get(ctx, "SELECT keyspace_name, durable_writes, replication FROM system_schema.keyspaces WHERE keyspace_name = ?", ks)
	if err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, err
	}
	var name string
	var durable bool
	var repl map[string]string
	if err := row.Scan(&name, &durable, &repl); err != nil {
		return nil, err
	}
	k := &liveKeyspace{name: name, durable: durable, options: map[string]string{},
		tables: map[string]*liveTable{}, types: map[string]*udtDef{}}
	for key, v := range repl {
		if key == "class" {
			k.strategy = v
		} else {
			k.options[key] = v
		}
	}
	for row, err := range db.Query(ctx, "SELECT * FROM system_schema.tables WHERE keyspace_name = ?", ks) {
		if err != nil {
			return nil, err
		}
		m, err := row.Map()
		if err != nil {
			return nil, err
		}
		t := &liveTable{options: map[string]any{}, columns: map[string]*liveColumn{}, dropped: map[string]*liveColumn{}}
		for col, v := range m {
			switch col {
			case "table_name":
				t.name, _ = v.(string)
			case "flags":
				t.flags, _ = v.([]string)
			default:
				if !tableOptionSkip[col] {
					t.options[col] = v
				}
			}
		}
		k.tables[t.name] = t
	}
	for row, err := range db.Query(ctx, "SELECT table_name, column_name, clustering_order, kind, position, type FROM system_schema.columns WHERE keyspace_name = ?", ks) {
		if err != nil {
			return nil, err
		}
		var table, col, order, kind, typ string
		var pos int
		if err := row.Scan(&table, &col, &order, &kind, &pos, &typ); err != nil {
			return nil, err
		}
		t := k.tables[table]
		if t == nil {
			continue // a materialized view's column
		}
		t.columns[col] = &liveColumn{name: col, kind: kind, typ: typ, position: pos, desc: order == "desc"}
	}
	for _, t := range k.tables {
		var pks, cks []*liveColumn
		for _, c := range t.columns {
			switch c.kind {
			case "partition_key":
				pks = append(pks, c)
			case "clustering":
				cks = append(cks, c)
			}
		}
		sort.Slice(pks, func(i, j int) bool { return pks[i].position < pks[j].position })
		sort.Slice(cks, func(i, j int) bool { return cks[i].position < cks[j].position })
		for _, c := range pks {
			t.pk = append(t.pk, c.name)
		}
		for _, c := range cks {
			t.cluster = append(t.cluster, clusteringDef{name: c.name, desc: c.desc})
		}
	}
	for row, err := range db.Query(ctx, "SELECT * FROM system_schema.dropped_columns WHERE keyspace_name = ?", ks) {
		if err != nil {
			return nil, err
		}
		m, err := row.Map()
		if err != nil {
			return nil, err
		}
		t := k.tables[str(m["table_name"])]
		if t == nil {
			continue
		}
		c := &liveColumn{name: str(m["column_name"]), kind: str(m["kind"]), typ: str(m["type"])}
		t.dropped[c.name] = c
	}
	for row, err := range db.Query(ctx, "SELECT table_name, index_name, kind, options FROM system_schema.indexes WHERE keyspace_name = ?", ks) {
		if err != nil {
			return nil, err
		}
		var table, name, kind string
		var opts map[string]string
		if err := row.Scan(&table, &name, &kind, &opts); err != nil {
			return nil, err
		}
		t := k.tables[table]
		if t == nil {
			continue
		}
		ix := &liveIndex{name: name, kind: kind, options: opts}
		ix.column, ix.target = parseTarget(opts["target"])
		t.indexes = append(t.indexes, ix)
	}
	for _, t := range k.tables {
		sort.Slice(t.indexes, func(i, j int) bool { return t.indexes[i].name < t.indexes[j].name })
	}
	for row, err := range db.Query(ctx, "SELECT type_name, field_names, field_types FROM system_schema.types WHERE keyspace_name = ?", ks) {
		if err != nil {
			return nil, err
		}
		var name string
		var names, types []string
		if err := row.Scan(&name, &names, &types); err != nil {
			return nil, err
		}
		u := &udtDef{name: name}
		for i, n := range names {
			f := udtField{name: n}
			if i < len(types) {
				if t, err := cqltype.Parse(types[i]); err == nil {
					f.typ = t
				} else {
					f.typ = &cqltype.Type{Kind: "custom", Name: types[i]}
				}
			}
			u.fields = append(u.fields, f)
		}
		k.types[name] = u
	}
	return k, nil
}

// readTableOptionNames lists the options this Cassandra knows: the option
// columns of system_schema.tables.
func readTableOptionNames(ctx context.Context, db *cql.Session) (map[string]bool, error) {
	rows := db.Rows(ctx, "SELECT * FROM system_schema.tables WHERE keyspace_name = 'system_schema' LIMIT 1")
	cols := rows.Columns()
	if err := rows.Close(); err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, c := range cols {
		if !tableOptionSkip[c.Name] {
			out[c.Name] = true
		}
	}
	return out, nil
}

// parseTarget reads system_schema.indexes' target option: "c",
// "values(c)", "keys(c)", "entries(c)" or "full(c)", the column quoted
// when it needs to be; a bare column is a values index.
func parseTarget(target string) (column, kind string) {
	kind, column = "values", target
	for _, k := range []string{"values", "keys", "entries", "full"} {
		if strings.HasPrefix(target, k+"(") && strings.HasSuffix(target, ")") {
			kind, column = k, target[len(k)+1:len(target)-1]
			break
		}
	}
	if len(column) >= 2 && column[0] == '"' && column[len(column)-1] == '"' {
		column = strings.ReplaceAll(column[1:len(column)-1], `""`, `"`)
	}
	return column, kind
}

func isNotFound(err error) bool { return errors.Is(err, cassa.ErrNotFound) }

func str(v any) string {
	s, _ := v.(string)
	return s
}
