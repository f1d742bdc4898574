package cql

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
	"github.com/cassa-go/cassa"
)

// Table describes a CQL table for the query compiler (Compile): its key,
// its columns with their CQL types, and its secondary indexes. Session.Table
// reads it from the live schema; a mapper can build it from its model.
type Table struct {
	// Keyspace, when set, qualifies the table in compiled statements
	// ("ks"."table"), so that one session can address several keyspaces
	// (tenants) on any protocol version. Empty leaves the table
	// unqualified: the session's keyspace, or a Keyspace option.
	Keyspace string
	Name     string
	// PartitionKey lists the partition key columns in key order.
	PartitionKey []string
	// Clustering lists the clustering columns in order, with their
	// declared CLUSTERING ORDER.
	Clustering []ClusteringColumn
	// Columns lists every column, key columns included, with its CQL type
	// ("int", "set<text>", "frozen<address>"). Without it the compiler
	// knows only the key, selects "*" when no columns are named, and cannot
	// check collection and type rules.
	Columns []TableColumn
	// Indexes lists the secondary indexes.
	Indexes []Index
	// Partitioner is the cluster's partitioner, which decides the type of
	// a token: "Murmur3Partitioner" (the default when empty),
	// "RandomPartitioner", "ByteOrderedPartitioner" or
	// "OrderPreservingPartitioner" (with or without the
	// org.apache.cassandra.dht. prefix).
	Partitioner string
}

// ClusteringColumn is a clustering column and its declared order.
type ClusteringColumn struct {
	Name       string
	Descending bool // CLUSTERING ORDER BY (name DESC)
}

// TableColumn is a column of a table.
type TableColumn struct {
	Name   string
	Type   string // CQL type
	Static bool
}

// IndexKind is what a secondary index indexes.
type IndexKind uint8

// The index kinds, as system_schema.indexes' targets name them.
const (
	// IndexValues indexes a column's value, or a collection's values
	// (target "c" or "values(c)").
	IndexValues IndexKind = iota
	// IndexKeys indexes a map's keys ("keys(m)").
	IndexKeys
	// IndexEntries indexes a map's entries ("entries(m)").
	IndexEntries
	// IndexFull indexes a frozen collection whole ("full(c)").
	IndexFull
	// IndexCustom is a CUSTOM index (SASI, SAI, ...); Class names it.
	IndexCustom
)

// Index is a secondary index on one column.
type Index struct {
	Name   string
	Column string
	Kind   IndexKind
	Class  string // the implementation of a custom index
}

// Table reads a table's description from the live schema
// (system_schema, Cassandra 3.0 and newer): keyspace "" means the
// session's. A missing table gives the same error as a statement on it
// (a *cassa.InvalidRequestError, "unconfigured table ..."). The returned
// Table leaves Keyspace empty when keyspace was "", so that compiled
// statements stay unqualified.
func (s *Session) Table(ctx context.Context, keyspace, name string) (*Table, error) {
	if err := s.check(ctx, "Table"); err != nil {
		return nil, err
	}
	if name == "" {
		return nil, &cassa.ArgumentError{Func: "cql.Session.Table", Arg: "name", Why: "is empty"}
	}
	ks := keyspace
	if ks == "" {
		ks = s.cfg.keyspace
	}
	if ks == "" {
		return nil, fmt.Errorf("%w: Table(%q): no keyspace given and the session has none", ErrInvalidOption, name)
	}
	t := &Table{Keyspace: keyspace, Name: name, Partitioner: s.partitioner()}
	type keyCol struct {
		pos  int
		name string
		desc bool
	}
	var pks, cks []keyCol
	var regular []TableColumn
	rows := s.Rows(ctx, "SELECT column_name, clustering_order, kind, position, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?", ks, name)
	for rows.Next() {
		var col, order, kind, typ string
		var pos int
		if err := rows.Scan(&col, &order, &kind, &pos, &typ); err != nil {
			rows.Close()
			return nil, err
		}
		switch kind {
		case "partition_key":
			pks = append(pks, keyCol{pos, col, false})
		case "clustering":
			cks = append(cks, keyCol{pos, col, order == "desc"})
		}
		tc := TableColumn{Name: col, Type: typ, Static: kind == "static"}
		if kind == "partition_key" || kind == "clustering" {
			t.Columns = append(t.Columns, tc)
		} else {
			regular = append(regular, tc)
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if len(pks) == 0 {
		// Cassandra's own words, for the keyspace or the table that is missing.
		if _, err := s.Get(ctx, "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?", ks); errors.Is(err, cassa.ErrNotFound) {
			return nil, unknownTable(fmt.Sprintf("Keyspace %s does not exist", ks), "", "")
		}
		return nil, unknownTable(fmt.Sprintf("unconfigured table %s.%s", ks, name), "", "")
	}
	sort.Slice(pks, func(i, j int) bool { return pks[i].pos < pks[j].pos })
	sort.Slice(cks, func(i, j int) bool { return cks[i].pos < cks[j].pos })
	for _, k := range pks {
		t.PartitionKey = append(t.PartitionKey, k.name)
	}
	for _, k := range cks {
		t.Clustering = append(t.Clustering, ClusteringColumn{Name: k.name, Descending: k.desc})
	}
	// Select order: partition key, clustering, then static and regular
	// columns by name, as Cassandra lists SELECT *.
	keyOrder := map[string]int{}
	for i, k := range pks {
		keyOrder[k.name] = i
	}
	for i, k := range cks {
		keyOrder[k.name] = len(pks) + i
	}
	sort.SliceStable(t.Columns, func(i, j int) bool { return keyOrder[t.Columns[i].Name] < keyOrder[t.Columns[j].Name] })
	sort.SliceStable(regular, func(i, j int) bool {
		if regular[i].Static != regular[j].Static {
			return regular[i].Static
		}
		return regular[i].Name < regular[j].Name
	})
	t.Columns = append(t.Columns, regular...)

	idx := s.Rows(ctx, "SELECT index_name, kind, options FROM system_schema.indexes WHERE keyspace_name = ? AND table_name = ?", ks, name)
	for idx.Next() {
		var iname, kind string
		var opts map[string]string
		if err := idx.Scan(&iname, &kind, &opts); err != nil {
			idx.Close()
			return nil, err
		}
		ix := parseIndexTarget(opts["target"])
		ix.Name = iname
		if kind == "CUSTOM" {
			ix.Kind, ix.Class = IndexCustom, opts["class_name"]
		}
		t.Indexes = append(t.Indexes, ix)
	}
	if err := idx.Close(); err != nil {
		return nil, err
	}
	return t, nil
}

// partitioner is the cluster's partitioner as its hosts report it.
func (s *Session) partitioner() string {
	for _, h := range s.gs.GetHosts() {
		if p := h.Partitioner(); p != "" {
			return p
		}
	}
	return ""
}

// parseIndexTarget reads system_schema.indexes' target option: "c",
// "values(c)", "keys(c)", "entries(c)" or "full(c)", the column quoted
// when it needs to be.
func parseIndexTarget(target string) Index {
	ix := Index{Kind: IndexValues}
	col := target
	for prefix, kind := range map[string]IndexKind{"values(": IndexValues, "keys(": IndexKeys, "entries(": IndexEntries, "full(": IndexFull} {
		if strings.HasPrefix(target, prefix) && strings.HasSuffix(target, ")") {
			ix.Kind = kind
			col = target[len(prefix) : len(target)-1]
		}
	}
	if len(col) >= 2 && col[0] == '"' && col[len(col)-1] == '"' {
		col = strings.ReplaceAll(col[1:len(col)-1], `""`, `"`)
	}
	ix.Column = col
	return ix
}

// TableFromMetadata describes a table from gocql's schema metadata. gocql
// does not read secondary indexes from Cassandra 3.0's system_schema, so
// the result has none; Session.Table reads them. A nil md gives nil.
func TableFromMetadata(md *gocql.TableMetadata) *Table {
	if md == nil {
		return nil
	}
	t := &Table{Keyspace: md.Keyspace, Name: md.Name}
	for _, c := range md.PartitionKey {
		t.PartitionKey = append(t.PartitionKey, c.Name)
		t.Columns = append(t.Columns, TableColumn{Name: c.Name, Type: c.Validator})
	}
	for _, c := range md.ClusteringColumns {
		t.Clustering = append(t.Clustering, ClusteringColumn{Name: c.Name, Descending: c.ClusteringOrder == "desc" || c.Order == gocql.DESC})
		t.Columns = append(t.Columns, TableColumn{Name: c.Name, Type: c.Validator})
	}
	var rest []TableColumn
	for _, c := range md.Columns {
		if c.Kind == gocql.ColumnRegular || c.Kind == gocql.ColumnStatic {
			rest = append(rest, TableColumn{Name: c.Name, Type: c.Validator, Static: c.Kind == gocql.ColumnStatic})
		}
	}
	sort.Slice(rest, func(i, j int) bool {
		if rest[i].Static != rest[j].Static {
			return rest[i].Static
		}
		return rest[i].Name < rest[j].Name
	})
	t.Columns = append(t.Columns, rest...)
	return t
}

// column finds a column by name.
func (t *Table) column(name string) (TableColumn, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return TableColumn{}, false
}

// reservedWords are CQL 3.11's reserved keywords (ReservedKeywords):
// identifiers spelled like them must be quoted.
var reservedWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`select from where and entries full insert update with limit using use set
		begin unlogged batch apply truncate delete in create keyspace schema columnfamily table materialized
		view index on to drop primary into alter rename add order by asc desc allow if is grant of revoke
		modify authorize describe execute norecursive token null not nan infinity or replace default unset
		mbean mbeans true false`) {
		reservedWords[w] = true
	}
}

// quoteIdent writes a name as CQL needs it: as is when it is a lower-case
// identifier that is not a reserved word, double-quoted otherwise
// (ColumnIdentifier.maybeQuote).
func quoteIdent(name string) string {
	plain := name != "" && name[0] >= 'a' && name[0] <= 'z' && !reservedWords[name]
	for i := 0; plain && i < len(name); i++ {
		c := name[i]
		plain = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
	}
	if plain {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
