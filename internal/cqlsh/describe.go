package cqlsh

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/big"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// The schema as cqlsh's DESCRIBE shows it: what the Python driver reads
// from system_schema (SchemaParserV3) and prints with export_as_string.

type ksMeta struct {
	name        string
	durable     bool
	replication map[string]string
	tables      []*tableMeta
	types       []*typeMeta
}

type tableMeta struct {
	keyspace, name string
	partition      []*colMeta
	clustering     []*colMeta
	columns        []*colMeta // every shown column, in CREATE TABLE order
	options        map[string]any
	compact        bool
	indexes        []*indexMeta
}

type colMeta struct {
	name, typ string
	static    bool
	reversed  bool
}

type indexMeta struct {
	keyspace, table, name, kind string
	options                     map[string]string
}

type typeMeta struct {
	keyspace, name string
	fields, types  []string
}

// systemKeyspaces are those DESCRIBE SCHEMA leaves out (cqlsh's
// cql3handling.SYSTEM_KEYSPACES).
var systemKeyspaces = map[string]bool{
	"system": true, "system_schema": true, "system_traces": true, "system_auth": true, "system_distributed": true,
}

// tableOptions are the options the driver reads from system_schema.tables
// (SchemaParserV3.recognized_table_options).
var tableOptions = []string{
	"bloom_filter_fp_chance", "caching", "cdc", "comment", "compaction", "compression", "crc_check_chance",
	"dclocal_read_repair_chance", "default_time_to_live", "gc_grace_seconds", "max_index_interval",
	"memtable_flush_period_in_ms", "min_index_interval", "read_repair_chance", "speculative_retry",
}

// query runs a schema query and returns its rows as maps from column
// name to the value gocql decodes; null columns are left out (gocql's own
// maps would hold zero values, and DESCRIBE must skip null options).
func (s *Shell) query(ctx context.Context, stmt string, args ...any) ([]map[string]any, error) {
	it := s.gs.Query(stmt, args...).WithContext(ctx).Consistency(gocql.One).Iter()
	cols := it.Columns()
	rows, _ := readRows(it, cols, false)
	if err := it.Close(); err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(rows))
	for _, r := range rows {
		m := make(map[string]any, len(cols))
		for i, c := range r {
			if c.data == nil || c.info == nil {
				continue
			}
			v := reflect.New(reflect.TypeOf(c.info.Zero()))
			if err := gocql.Unmarshal(c.info, c.data, v.Interface()); err != nil {
				return nil, fmt.Errorf("%s: %w", cols[i].Name, err)
			}
			m[cols[i].Name] = v.Elem().Interface()
		}
		out = append(out, m)
	}
	return out, nil
}

// keyspaceNames lists the keyspaces in the order the node returns them.
func (s *Shell) keyspaceNames(ctx context.Context) ([]string, error) {
	rows, err := s.query(ctx, "SELECT keyspace_name FROM system_schema.keyspaces")
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(rows))
	for _, r := range rows {
		names = append(names, str(r["keyspace_name"]))
	}
	return names, nil
}

// loadKeyspace reads a keyspace with its tables, indexes and types; nil
// when it does not exist.
func (s *Shell) loadKeyspace(ctx context.Context, name string) (*ksMeta, error) {
	rows, err := s.query(ctx, "SELECT * FROM system_schema.keyspaces WHERE keyspace_name = ?", name)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	ks := &ksMeta{name: name, durable: rows[0]["durable_writes"] == true, replication: strMap(rows[0]["replication"])}
	trows, err := s.query(ctx, "SELECT * FROM system_schema.tables WHERE keyspace_name = ?", name)
	if err != nil {
		return nil, err
	}
	crows, err := s.query(ctx, "SELECT * FROM system_schema.columns WHERE keyspace_name = ?", name)
	if err != nil {
		return nil, err
	}
	irows, err := s.query(ctx, "SELECT * FROM system_schema.indexes WHERE keyspace_name = ?", name)
	if err != nil {
		return nil, err
	}
	for _, tr := range trows {
		ks.tables = append(ks.tables, buildTable(name, tr, crows, irows))
	}
	yrows, err := s.query(ctx, "SELECT * FROM system_schema.types WHERE keyspace_name = ?", name)
	if err != nil {
		return nil, err
	}
	for _, yr := range yrows {
		ks.types = append(ks.types, &typeMeta{keyspace: name, name: str(yr["type_name"]),
			fields: strList(yr["field_names"]), types: strList(yr["field_types"])})
	}
	return ks, nil
}

// buildTable is SchemaParserV3._build_table_metadata: partition key
// columns by position, then clustering columns, then the others in name
// order; compact storage tables hide the columns CQL does not show.
func buildTable(ks string, tr map[string]any, crows, irows []map[string]any) *tableMeta {
	t := &tableMeta{keyspace: ks, name: str(tr["table_name"]), options: map[string]any{}}
	for _, o := range tableOptions {
		if v, ok := tr[o]; ok {
			t.options[o] = v
		}
	}
	flags := map[string]bool{}
	for _, f := range strList(tr["flags"]) {
		flags[f] = true
	}
	dense := flags["dense"]
	compactStatic := !dense && !flags["compound"] && len(flags) > 0 || flags["super"]
	t.compact = dense || compactStatic
	var cols []map[string]any
	for _, c := range crows {
		if str(c["table_name"]) == t.name {
			cols = append(cols, c)
		}
	}
	byKind := func(kind string) []*colMeta {
		var sel []map[string]any
		for _, c := range cols {
			if str(c["kind"]) == kind {
				sel = append(sel, c)
			}
		}
		sort.SliceStable(sel, func(i, j int) bool { return toInt(sel[i]["position"]) < toInt(sel[j]["position"]) })
		out := make([]*colMeta, len(sel))
		for i, c := range sel {
			out[i] = &colMeta{name: str(c["column_name"]), typ: str(c["type"]), reversed: str(c["clustering_order"]) == "desc"}
		}
		return out
	}
	t.partition = byKind("partition_key")
	t.clustering = byKind("clustering")
	if compactStatic {
		t.clustering = nil
	}
	t.columns = append(append(t.columns, t.partition...), t.clustering...)
	for _, c := range cols {
		kind := str(c["kind"])
		if kind == "partition_key" || kind == "clustering" {
			continue
		}
		col := &colMeta{name: str(c["column_name"]), typ: str(c["type"]), static: kind == "static"}
		switch {
		case compactStatic && kind == "regular":
			continue // the value column of a static compact table
		case compactStatic:
			col.static = false
		case dense && (col.typ == "empty" || col.name == ""):
			continue
		}
		t.columns = append(t.columns, col)
	}
	for _, ir := range irows {
		if str(ir["table_name"]) != t.name {
			continue
		}
		t.indexes = append(t.indexes, &indexMeta{keyspace: ks, table: t.name, name: str(ir["index_name"]),
			kind: str(ir["kind"]), options: strMap(ir["options"])})
	}
	return t
}

// createKeyspace is KeyspaceMetadata.as_cql_query (the two spaces before
// AND are the driver's).
func (k *ksMeta) createKeyspace() string {
	return fmt.Sprintf("CREATE KEYSPACE %s WITH replication = %s  AND durable_writes = %t",
		protectName(k.name), replicationString(k.replication), k.durable)
}

// replicationString is the strategy's export_for_schema.
func replicationString(r map[string]string) string {
	class := strings.TrimPrefix(r["class"], "org.apache.cassandra.locator.")
	switch class {
	case "SimpleStrategy":
		return fmt.Sprintf("{'class': 'SimpleStrategy', 'replication_factor': '%s'}", r["replication_factor"])
	case "LocalStrategy":
		return "{'class': 'LocalStrategy'}"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "{'class': '%s'", class)
	var dcs []string
	for k := range r {
		if k != "class" {
			dcs = append(dcs, k)
		}
	}
	sort.Strings(dcs)
	for _, dc := range dcs {
		fmt.Fprintf(&b, ", '%s': '%s'", dc, r[dc])
	}
	return b.String() + "}"
}

// export is KeyspaceMetadata.export_as_string: the keyspace, its types
// (each after the types it uses), and its tables.
func (k *ksMeta) export() string {
	parts := []string{k.createKeyspace() + ";"}
	parts = append(parts, k.typeStrings()...)
	for _, t := range k.tables {
		parts = append(parts, t.export())
	}
	return strings.Join(parts, "\n\n")
}

// typeStrings orders the user types by name, each after the types it
// refers to (KeyspaceMetadata.resolve_user_types).
func (k *ksMeta) typeStrings() []string {
	left := map[string]*typeMeta{}
	var names []string
	for _, t := range k.types {
		left[t.name] = t
		names = append(names, t.name)
	}
	sort.Strings(names)
	var out []string
	var resolve func(name string)
	resolve = func(name string) {
		t := left[name]
		delete(left, name)
		for _, ft := range t.types {
			for _, sub := range typeNames(ft) {
				if _, ok := left[sub]; ok {
					resolve(sub)
				}
			}
		}
		out = append(out, t.export())
	}
	for _, n := range names {
		if _, ok := left[n]; ok {
			resolve(n)
		}
	}
	return out
}

var typeWord = regexp.MustCompile(`"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_]*`)

// typeNames lists the names in a CQL type string (frozen<list<addr>> gives
// frozen, list, addr).
func typeNames(t string) []string {
	var out []string
	for _, m := range typeWord.FindAllString(t, -1) {
		if strings.HasPrefix(m, `"`) {
			m = strings.ReplaceAll(m[1:len(m)-1], `""`, `"`)
		}
		out = append(out, m)
	}
	return out
}

// export is UserType.export_as_string.
func (t *typeMeta) export() string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TYPE %s.%s (\n", protectName(t.keyspace), protectName(t.name))
	fields := make([]string, len(t.fields))
	for i, f := range t.fields {
		ft := ""
		if i < len(t.types) {
			ft = t.types[i]
		}
		fields[i] = "    " + protectName(f) + " " + ft
	}
	b.WriteString(strings.Join(fields, ",\n"))
	b.WriteString("\n);")
	return b.String()
}

// export is TableMetadata.export_as_string: the table, then its indexes.
func (t *tableMeta) export() string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE %s.%s (\n", protectName(t.keyspace), protectName(t.name))
	cols := make([]string, len(t.columns))
	for i, c := range t.columns {
		cols[i] = "    " + protectName(c.name) + " " + c.typ
		if c.static {
			cols[i] += " static"
		}
	}
	if len(t.partition) == 1 && len(t.clustering) == 0 && len(cols) > 0 {
		cols[0] += " PRIMARY KEY"
	}
	b.WriteString(strings.Join(cols, ",\n"))
	if len(t.partition) > 1 || len(t.clustering) > 0 {
		b.WriteString(",\n    PRIMARY KEY (")
		if len(t.partition) > 1 {
			b.WriteString("(" + joinNames(t.partition) + ")")
		} else if len(t.partition) == 1 {
			b.WriteString(protectName(t.partition[0].name))
		}
		if len(t.clustering) > 0 {
			b.WriteString(", " + joinNames(t.clustering))
		}
		b.WriteString(")")
	}
	b.WriteString("\n) WITH ")
	var props []string
	if t.compact {
		props = append(props, "COMPACT STORAGE")
	}
	if len(t.clustering) > 0 {
		order := make([]string, len(t.clustering))
		for i, c := range t.clustering {
			dir := "ASC"
			if c.reversed {
				dir = "DESC"
			}
			order[i] = protectName(c.name) + " " + dir
		}
		props = append(props, "CLUSTERING ORDER BY ("+strings.Join(order, ", ")+")")
	}
	props = append(props, optionStrings(t.options)...)
	b.WriteString(strings.Join(props, "\n    AND "))
	b.WriteString(";")
	for _, ix := range t.indexes {
		b.WriteString("\n" + ix.create() + ";")
	}
	return b.String()
}

// optionStrings is TableMetadataV3._make_option_strings: the map options
// as {'key': 'value'}, the others as protect_value would write them, all
// sorted.
func optionStrings(opts map[string]any) []string {
	var out []string
	for name, v := range opts {
		switch name {
		case "compaction", "compression", "caching":
			if m, ok := v.(map[string]string); ok {
				keys := make([]string, 0, len(m))
				for k := range m {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				params := make([]string, len(keys))
				for i, k := range keys {
					params[i] = fmt.Sprintf("'%s': '%s'", k, m[k])
				}
				out = append(out, fmt.Sprintf("%s = {%s}", name, strings.Join(params, ", ")))
				continue
			}
		}
		if v == nil {
			continue
		}
		out = append(out, name+" = "+protectValue(v))
	}
	sort.Strings(out)
	return out
}

// protectValue writes an option value as the driver's protect_value.
func protectValue(v any) string {
	switch x := v.(type) {
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int32:
		return strconv.Itoa(int(x))
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strings.ToLower(pyFloat(x))
	case float32:
		return strings.ToLower(pyFloat(float64(x)))
	case string:
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	}
	return "'" + strings.ReplaceAll(fmt.Sprint(v), "'", "''") + "'"
}

// pyFloat is Python's str() of a float: the shortest digits that read
// back, in exponent form below 1e-4 and from 1e16 on, and always with a
// point or an exponent.
func pyFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	e := strconv.FormatFloat(v, 'e', -1, 64)
	mant, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	if exp < -4 || exp >= 16 {
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		return fmt.Sprintf("%se%s%02d", mant, sign, exp)
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}

// create is IndexMetadata.as_cql_query.
func (ix *indexMeta) create() string {
	target := ix.options["target"]
	if ix.kind != "CUSTOM" {
		return fmt.Sprintf("CREATE INDEX %s ON %s.%s (%s)", protectName(ix.name), protectName(ix.keyspace), protectName(ix.table), target)
	}
	s := fmt.Sprintf("CREATE CUSTOM INDEX %s ON %s.%s (%s) USING '%s'", protectName(ix.name), protectName(ix.keyspace),
		protectName(ix.table), target, ix.options["class_name"])
	var keys []string
	for k := range ix.options {
		if k != "target" && k != "class_name" {
			keys = append(keys, k)
		}
	}
	if len(keys) > 0 {
		sort.Strings(keys)
		opts := make([]string, len(keys))
		for i, k := range keys {
			opts[i] = fmt.Sprintf("'%s': '%s'", k, strings.ReplaceAll(ix.options[k], "'", "''"))
		}
		s += " WITH OPTIONS = {" + strings.Join(opts, ", ") + "}"
	}
	return s
}

func joinNames(cols []*colMeta) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = protectName(c.name)
	}
	return strings.Join(names, ", ")
}

var validName = regexp.MustCompile(`^[a-z][0-9a-z_]*$`)

// reservedWords are CQL's reserved keywords, which must be quoted as
// names (the driver's cql_keywords_reserved).
var reservedWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`add allow alter and apply asc authorize batch begin by columnfamily create delete desc
		describe drop entries execute from full grant if in index infinity insert into is keyspace limit mbean mbeans
		modify nan norecursive not null of on or order primary rename replace revoke schema select set table to
		token truncate unlogged unset update use using view where with`) {
		reservedWords[w] = true
	}
}

// protectName quotes a name unless it is a plain lower-case identifier
// that is not a reserved word (the driver's maybe_escape_name).
func protectName(name string) string {
	if validName.MatchString(name) && !reservedWords[name] {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func toInt(v any) int {
	switch x := v.(type) {
	case int:
		return x
	case int32:
		return int(x)
	case int64:
		return int(x)
	}
	return 0
}

func strMap(v any) map[string]string {
	m, _ := v.(map[string]string)
	if m == nil {
		m = map[string]string{}
	}
	return m
}

func strList(v any) []string {
	l, _ := v.([]string)
	return l
}

// doDescribe is cqlsh's DESCRIBE (DESC).
func (s *Shell) doDescribe(ctx context.Context, text string) {
	t := tokens(text)
	if len(t) < 2 {
		s.improper(text)
		return
	}
	what := strings.ToLower(t[1].text)
	args := t[2:]
	if t[1].kind != 'w' {
		what, args = "", t[1:]
	}
	out := s.console
	switch what {
	case "keyspaces":
		names, err := s.keyspaceNames(ctx)
		if err != nil {
			s.printErr(errorText(err))
			return
		}
		fmt.Fprintln(out)
		columnize(out, protectNames(names), 80)
		fmt.Fprintln(out)
	case "keyspace":
		name := s.keyspace
		if len(args) > 0 {
			name = args[0].name()
		} else if name == "" {
			s.printErr("Not in any keyspace.")
			return
		}
		s.describeKeyspace(ctx, out, name)
	case "tables", "columnfamilies":
		s.describeList(ctx, out, func(k *ksMeta) []string {
			names := make([]string, len(k.tables))
			for i, t := range k.tables {
				names[i] = t.name
			}
			return names
		}, false)
	case "types":
		s.describeList(ctx, out, func(k *ksMeta) []string {
			names := make([]string, len(k.types))
			for i, t := range k.types {
				names[i] = t.name
			}
			return names
		}, true)
	case "table", "columnfamily":
		k, name := s.qualifiedIn(ctx, text, args, true)
		if k == nil {
			return
		}
		for _, tb := range k.tables {
			if tb.name == name {
				fmt.Fprintf(out, "\n%s\n\n", tb.export())
				return
			}
		}
		s.printErr(fmt.Sprintf("Column family '%s' not found", name))
	case "type":
		k, name := s.qualifiedIn(ctx, text, args, true)
		if k == nil {
			return
		}
		for _, ut := range k.types {
			if ut.name == name {
				fmt.Fprintf(out, "\n%s\n", ut.export())
				return
			}
		}
		s.printErr(fmt.Sprintf("User type '%s' not found", name))
	case "index":
		k, name := s.qualifiedIn(ctx, text, args, false)
		if k == nil {
			return
		}
		for _, tb := range k.tables {
			for _, ix := range tb.indexes {
				if ix.name == name {
					fmt.Fprintf(out, "\n%s;\n\n", ix.create())
					return
				}
			}
		}
		s.printErr(fmt.Sprintf("Index '%s' not found", name))
	case "cluster":
		fmt.Fprintf(out, "\nCluster: %s\n", s.versions.cluster)
		fmt.Fprintf(out, "Partitioner: %s\n\n", strings.TrimPrefix(s.versions.partitioner, "org.apache.cassandra.dht."))
		if s.keyspace != "" && s.keyspace != "system" {
			s.describeRing(ctx, out)
		}
	case "schema":
		s.describeSchema(ctx, out, false)
	case "full":
		if len(args) == 1 && strings.EqualFold(args[0].text, "schema") {
			s.describeSchema(ctx, out, true)
			return
		}
		s.improper(text)
	default:
		s.describeObject(ctx, out, t[1:])
	}
}

// qualified reads [ks.]name; ks defaults to the current keyspace.
func (s *Shell) qualified(args []token) (ks, name string, ok bool) {
	switch {
	case len(args) == 1 && args[0].kind != 'p' && args[0].kind != 's':
		return s.keyspace, args[0].name(), true
	case len(args) == 3 && args[1].text == "." && args[0].kind != 'p' && args[2].kind != 'p':
		return args[0].name(), args[2].name(), true
	}
	return "", "", false
}

// qualifiedIn reads DESCRIBE's [ks.]name argument and loads the keyspace
// it names; it prints what is wrong and returns nil when it cannot.
// needKeyspace refuses an unqualified name outside any keyspace (TABLE,
// TYPE) before the keyspace is looked up.
func (s *Shell) qualifiedIn(ctx context.Context, text string, args []token, needKeyspace bool) (*ksMeta, string) {
	ks, name, ok := s.qualified(args)
	if !ok {
		s.improper(text)
		return nil, ""
	}
	if needKeyspace && ks == "" {
		s.printErr("No keyspace specified and no current keyspace")
		return nil, ""
	}
	return s.keyspaceOrErr(ctx, ks), name
}

func (s *Shell) keyspaceOrErr(ctx context.Context, name string) *ksMeta {
	k, err := s.loadKeyspace(ctx, name)
	if err != nil {
		s.printErr(errorText(err))
		return nil
	}
	if k == nil {
		s.printErr(fmt.Sprintf("Keyspace '%s' not found.", name))
	}
	return k
}

func (s *Shell) describeKeyspace(ctx context.Context, out io.Writer, name string) {
	if k := s.keyspaceOrErr(ctx, name); k != nil {
		fmt.Fprintf(out, "\n%s\n\n", k.export())
	}
}

// describeList is DESCRIBE TABLES and TYPES: the names in the current
// keyspace, or in every keyspace under a heading each.
func (s *Shell) describeList(ctx context.Context, out io.Writer, names func(*ksMeta) []string, typesList bool) {
	fmt.Fprintln(out)
	if s.keyspace != "" {
		k := s.keyspaceOrErr(ctx, s.keyspace)
		if k == nil {
			return
		}
		columnize(out, protectNames(names(k)), 80)
		fmt.Fprintln(out)
		return
	}
	all, err := s.keyspaceNames(ctx)
	if err != nil {
		s.printErr(errorText(err))
		return
	}
	for _, n := range all {
		k, err := s.loadKeyspace(ctx, n)
		if err != nil || k == nil {
			continue
		}
		name := protectName(n)
		fmt.Fprintf(out, "Keyspace %s\n---------%s\n", name, strings.Repeat("-", len(name)))
		columnize(out, protectNames(names(k)), 80)
		fmt.Fprintln(out)
	}
}

func protectNames(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = protectName(n)
	}
	return out
}

func (s *Shell) describeSchema(ctx context.Context, out io.Writer, full bool) {
	names, err := s.keyspaceNames(ctx)
	if err != nil {
		s.printErr(errorText(err))
		return
	}
	fmt.Fprintln(out)
	for _, n := range names {
		if !full && systemKeyspaces[n] {
			continue
		}
		if k, err := s.loadKeyspace(ctx, n); err == nil && k != nil {
			fmt.Fprintf(out, "%s\n\n", k.export())
		}
	}
}

// describeObject is DESCRIBE <name>: a keyspace, or a table or index of
// the current (or named) keyspace.
func (s *Shell) describeObject(ctx context.Context, out io.Writer, args []token) {
	ks, name, ok := s.qualified(args)
	if !ok {
		s.printErr(fmt.Sprintf("Improper %s command.", "DESCRIBE"))
		return
	}
	if len(args) == 1 {
		if k, err := s.loadKeyspace(ctx, name); err == nil && k != nil {
			fmt.Fprintf(out, "\n%s\n\n", k.export())
			return
		}
		if s.keyspace == "" {
			s.printErr(fmt.Sprintf("'%s' not found in keyspaces", name))
			return
		}
	}
	k := s.keyspaceOrErr(ctx, ks)
	if k == nil {
		return
	}
	for _, tb := range k.tables {
		if tb.name == name {
			fmt.Fprintf(out, "\n%s\n\n", tb.export())
			return
		}
	}
	for _, tb := range k.tables {
		for _, ix := range tb.indexes {
			if ix.name == name {
				fmt.Fprintf(out, "\n%s;\n\n", ix.create())
				return
			}
		}
	}
	s.printErr(fmt.Sprintf("'%s' not found in keyspace '%s'", name, ks))
}

// describeRing prints the range ownership of DESCRIBE CLUSTER: every
// token of the ring, with the node that owns it.
func (s *Shell) describeRing(ctx context.Context, out io.Writer) {
	type entry struct {
		token *big.Int
		text  string
		host  string
	}
	var ring []entry
	add := func(host string, tokens []string) {
		for _, t := range tokens {
			v, ok := new(big.Int).SetString(t, 10)
			if !ok {
				v = big.NewInt(0)
			}
			ring = append(ring, entry{v, t, host})
		}
	}
	if rows, err := s.query(ctx, "SELECT tokens FROM system.local WHERE key = 'local'"); err == nil && len(rows) == 1 {
		add(s.host, strList(rows[0]["tokens"]))
	}
	if rows, err := s.query(ctx, "SELECT peer, tokens FROM system.peers"); err == nil {
		for _, r := range rows {
			add(fmt.Sprint(r["peer"]), strList(r["tokens"]))
		}
	}
	sort.Slice(ring, func(i, j int) bool { return ring[i].token.Cmp(ring[j].token) < 0 })
	fmt.Fprintln(out, "Range ownership:")
	for _, e := range ring {
		fmt.Fprintf(out, " %39s  [%s]\n", e.text, e.host)
	}
	fmt.Fprintln(out)
}
