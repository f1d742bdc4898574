package schema

import (
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

// Helpers building statements the way the executor will.

func cols(t *testing.T, spec string) []ColumnSpec {
	t.Helper()
	var out []ColumnSpec
	for _, c := range splitTop(spec) {
		f := strings.Fields(c)
		st := false
		if f[len(f)-1] == "static" {
			st, f = true, f[:len(f)-1]
		}
		raw, err := ParseRawType(strings.Join(f[1:], " "))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ColumnSpec{Name: f[0], Type: raw, Static: st})
	}
	return out
}

func pk(part []string, clus ...string) []PrimaryKey {
	return []PrimaryKey{{Partition: part, Clustering: clus}}
}

func simpleRF(rf string) Properties {
	return Properties{"replication": {Map: map[string]string{"class": "SimpleStrategy", "replication_factor": rf}}}
}

func okc(t *testing.T) func(*Change, error) *Change {
	return func(ch *Change, err error) *Change {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return ch
	}
}

func wantErr(t *testing.T, err error, code ErrorCode, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want %s %q", err, err, code, msg)
	}
	if e.Code != code || e.Msg != msg {
		t.Errorf("err = %s %q, want %s %q", e.Code, e.Msg, code, msg)
	}
}

func newCQL(t *testing.T) *Schema {
	t.Helper()
	s := New(Options{})
	okc(t)(s.CreateKeyspace(CreateKeyspace{Name: "ks", Properties: simpleRF("1")}))
	return s
}

func rowsOf(rows []Row, ks, table string) []Row {
	var out []Row
	for _, r := range rows {
		if r["keyspace_name"] == ks && (table == "" || r["table_name"] == table) {
			out = append(out, r)
		}
	}
	return out
}

// The sample keyspace of the native protocol's schema example.
func TestSampleKeyspaceRows(t *testing.T) {
	s := New(Options{})
	okc(t)(s.CreateKeyspace(CreateKeyspace{Name: "shop", Properties: simpleRF("1")}))
	okc(t)(s.CreateType(CreateType{Keyspace: "shop", Name: "address", FieldNames: []string{"street", "city", "zip"},
		FieldTypes: []RawType{Native("text"), Native("text"), Native("int")}}))
	ch := okc(t)(s.CreateTable(CreateTable{Keyspace: "shop", Name: "orders",
		Columns:         cols(t, "customer_id uuid, order_year int, order_id timeuuid, customer_name text static, items list<text>, quantities map<text, int>, tags set<text>, ship_to frozen<address>, status text"),
		PrimaryKeys:     pk([]string{"customer_id"}, "order_year", "order_id"),
		ClusteringOrder: []ClusteringOrderSpec{{"order_year", true}, {"order_id", false}}}))
	if c, tg, ks, n, _ := ch.Event(); c != "CREATED" || tg != "TABLE" || ks != "shop" || n != "orders" {
		t.Errorf("event %s %s %s %s", c, tg, ks, n)
	}
	ch = okc(t)(s.CreateIndex(CreateIndex{Keyspace: "shop", Table: "orders", Targets: []IndexTargetSpec{{Column: "status"}}}))
	if c, tg, _, n, _ := ch.Event(); c != "UPDATED" || tg != "TABLE" || n != "orders" {
		t.Errorf("index event %s %s %s", c, tg, n)
	}
	cat := s.Current()

	ks := rowsOf(cat.KeyspaceRows(), "shop", "")
	want := Row{"keyspace_name": "shop", "durable_writes": true,
		"replication": map[string]string{"class": "org.apache.cassandra.locator.SimpleStrategy", "replication_factor": "1"}}
	if len(ks) != 1 || !reflect.DeepEqual(ks[0], want) {
		t.Errorf("keyspaces = %v", ks)
	}

	tr := rowsOf(cat.TableRows(), "shop", "orders")
	if len(tr) != 1 {
		t.Fatalf("tables = %v", tr)
	}
	id := tr[0]["id"]
	delete(tr[0], "id")
	wantT := Row{"keyspace_name": "shop", "table_name": "orders", "bloom_filter_fp_chance": 0.01,
		"caching": map[string]string{"keys": "ALL", "rows_per_partition": "NONE"},
		"cdc":     nil, "comment": "",
		"compaction":       map[string]string{"class": "org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy", "max_threshold": "32", "min_threshold": "4"},
		"compression":      map[string]string{"chunk_length_in_kb": "64", "class": "org.apache.cassandra.io.compress.LZ4Compressor"},
		"crc_check_chance": 1.0, "dclocal_read_repair_chance": 0.1, "default_time_to_live": int32(0),
		"extensions": map[string][]byte{}, "flags": []string{"compound"}, "gc_grace_seconds": int32(864000),
		"max_index_interval": int32(2048), "memtable_flush_period_in_ms": int32(0), "min_index_interval": int32(128),
		"read_repair_chance": 0.0, "speculative_retry": "99PERCENTILE"}
	if !reflect.DeepEqual(tr[0], wantT) {
		t.Errorf("tables row\n got %v\nwant %v", tr[0], wantT)
	}
	if u, ok := id.(uuid.UUID); !ok || u.Version() != 1 {
		t.Errorf("id %v", id)
	}

	type colRow struct {
		name, order, kind string
		pos               int32
		typ               string
	}
	wantC := []colRow{
		{"customer_id", "none", "partition_key", 0, "uuid"},
		{"customer_name", "none", "static", -1, "text"},
		{"items", "none", "regular", -1, "list<text>"},
		{"order_id", "asc", "clustering", 1, "timeuuid"},
		{"order_year", "desc", "clustering", 0, "int"},
		{"quantities", "none", "regular", -1, "map<text, int>"},
		{"ship_to", "none", "regular", -1, "frozen<address>"},
		{"status", "none", "regular", -1, "text"},
		{"tags", "none", "regular", -1, "set<text>"},
	}
	cr := rowsOf(cat.ColumnRows(), "shop", "orders")
	if len(cr) != len(wantC) {
		t.Fatalf("columns = %v", cr)
	}
	for i, w := range wantC {
		r := cr[i]
		got := colRow{r["column_name"].(string), r["clustering_order"].(string), r["kind"].(string), r["position"].(int32), r["type"].(string)}
		if got != w || string(r["column_name_bytes"].([]byte)) != w.name {
			t.Errorf("column %d = %+v, want %+v", i, got, w)
		}
	}
	ir := rowsOf(cat.IndexRows(), "shop", "orders")
	if len(ir) != 1 || !reflect.DeepEqual(ir[0], Row{"keyspace_name": "shop", "table_name": "orders", "index_name": "orders_status_idx",
		"kind": "COMPOSITES", "options": map[string]string{"target": "status"}}) {
		t.Errorf("indexes = %v", ir)
	}
	ty := rowsOf(cat.TypeRows(), "shop", "")
	if len(ty) != 1 || !reflect.DeepEqual(ty[0]["field_names"], []string{"street", "city", "zip"}) ||
		!reflect.DeepEqual(ty[0]["field_types"], []string{"text", "text", "int"}) {
		t.Errorf("types = %v", ty)
	}
	for _, tb := range []string{"dropped_columns", "triggers", "views", "functions", "aggregates"} {
		rows, err := cat.SystemSchemaRows(tb)
		if err != nil || len(rowsOf(rows, "shop", "")) != 0 {
			t.Errorf("%s = %v, %v", tb, rows, err)
		}
	}
	// The 2.x view: comparator, validators; Thrift does not list it.
	tb := cat.Table("shop", "orders")
	const m = "org.apache.cassandra.db.marshal."
	wantCmp := m + "CompositeType(" + m + "ReversedType(" + m + "Int32Type)," + m + "TimeUUIDType," + m + "UTF8Type," + m +
		"ColumnToCollectionType(6974656d73:" + m + "ListType(" + m + "UTF8Type),7175616e746974696573:" + m + "MapType(" + m + "UTF8Type," + m + "Int32Type)," +
		"74616773:" + m + "SetType(" + m + "UTF8Type)))"
	if tb.Comparator.Class() != wantCmp {
		t.Errorf("comparator\n got %s\nwant %s", tb.Comparator.Class(), wantCmp)
	}
	if tb.KeyValidator.Class() != m+"UUIDType" || tb.DefaultValidator.Class() != m+"BytesType" || tb.Def != nil {
		t.Errorf("validators %s %s def %v", tb.KeyValidator.Class(), tb.DefaultValidator.Class(), tb.Def)
	}
	if d := cat.Keyspace("shop").Def(); len(d.CfDefs) != 0 {
		t.Errorf("describe lists %v", d.CfDefs)
	}
}

func TestBuiltinKeyspaces(t *testing.T) {
	cat := New(Options{}).Current()
	var names []string
	for _, r := range cat.KeyspaceRows() {
		names = append(names, r["keyspace_name"].(string)+"="+r["replication"].(map[string]string)["class"][len(locatorPkg):]+r["replication"].(map[string]string)["replication_factor"])
	}
	want := []string{"system=LocalStrategy", "system_auth=SimpleStrategy1", "system_distributed=SimpleStrategy3",
		"system_schema=LocalStrategy", "system_traces=SimpleStrategy2"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("keyspaces %v", names)
	}
	local := cat.FindTable("system", "local")
	if local == nil || local.ID.String() != "7ad54392-bcdd-35a6-8417-4e047860b377" || local.Params.Comment != "information about the local node" {
		t.Fatalf("system.local = %+v", local)
	}
	var got []string
	for _, c := range local.AllColumns() {
		got = append(got, c.Name+" "+c.CQLType())
	}
	if strings.Join(got, ",") != "key text,bootstrapped text,broadcast_address inet,cluster_name text,cql_version text,data_center text,gossip_generation int,host_id uuid,listen_address inet,native_protocol_version text,partitioner text,rack text,release_version text,rpc_address inet,schema_version uuid,thrift_version text,tokens set<text>,truncated_at map<uuid, blob>" {
		t.Errorf("system.local columns %s", got)
	}
	for _, tt := range []struct {
		ks, table string
		flags     []string
	}{
		{"system", "IndexInfo", []string{"dense"}},
		{"system", "hints", []string{"compound", "dense"}},
		{"system", "schema_keyspaces", []string{}},
		{"system_schema", "columns", []string{"compound"}},
		{"system_auth", "roles", []string{"compound"}},
		{"system_traces", "events", []string{"compound"}},
	} {
		tb := cat.FindTable(tt.ks, tt.table)
		if tb == nil || !reflect.DeepEqual(tb.Flags(), tt.flags) {
			t.Errorf("%s.%s flags = %v", tt.ks, tt.table, tb)
		}
	}
	tr := rowsOf(cat.TableRows(), "system_schema", "tables")
	if len(tr) != 1 || tr[0]["gc_grace_seconds"] != int32(604800) || tr[0]["memtable_flush_period_in_ms"] != int32(3600000) ||
		tr[0]["dclocal_read_repair_chance"] != 0.0 || tr[0]["comment"] != "table definitions" {
		t.Errorf("system_schema.tables row %v", tr)
	}
	if n := len(rowsOf(cat.TableRows(), "system_schema", "")); n != 10 {
		t.Errorf("system_schema has %d tables", n)
	}
	if n := len(rowsOf(cat.TableRows(), "system", "")); n != 24 {
		t.Errorf("system has %d tables", n)
	}
	// SELECT * order of system_schema.columns.
	var order []string
	for _, c := range SystemSchemaTable("columns").AllColumns() {
		order = append(order, c.Name)
	}
	if strings.Join(order, ",") != "keyspace_name,table_name,column_name,clustering_order,column_name_bytes,kind,position,type" {
		t.Errorf("columns order %v", order)
	}
	order = order[:0]
	for _, c := range SystemSchemaTable("tables").AllColumns() {
		order = append(order, c.Name)
	}
	if strings.Join(order, ",") != "keyspace_name,table_name,bloom_filter_fp_chance,caching,cdc,comment,compaction,compression,crc_check_chance,dclocal_read_repair_chance,default_time_to_live,extensions,flags,gc_grace_seconds,id,max_index_interval,memtable_flush_period_in_ms,min_index_interval,read_repair_chance,speculative_retry" {
		t.Errorf("tables order %v", order)
	}
	// Thrift sees 3.11's keyspaces, system_schema included, and of their
	// tables the compact ones (ThriftConversion.toThrift keeps
	// isThriftCompatible tables).
	var listed []string
	for _, d := range cat.Keyspace("system").Def().CfDefs {
		listed = append(listed, d.Name)
	}
	if strings.Join(listed, ",") != "IndexInfo,hints,schema_keyspaces" {
		t.Errorf("system cf_defs %v", listed)
	}
	if k := cat.Keyspace("system_schema"); k == nil || len(k.Def().CfDefs) != 0 || k.Def().StrategyClass != LocalStrategy {
		t.Error("system_schema: no Thrift-compatible tables, LocalStrategy")
	}
}

// columnsOf renders a table's columns as "name kind pos type order".
func columnsOf(tb *Table) []string {
	var out []string
	for _, c := range tb.AllColumns() {
		out = append(out, strings.Join([]string{c.Name, c.Kind.String(), itoa(c.Position), c.CQLType(), c.Order.String()}, " "))
	}
	sort.Strings(out)
	return out
}

func itoa(i int) string {
	if i < 0 {
		return "-1"
	}
	return string(rune('0' + i))
}

func TestThriftColumnFamiliesInCQL(t *testing.T) {
	str := func(s string) *string { return &s }
	keys := thriftgen.IndexType_KEYS
	base := func() *thriftgen.CfDef {
		return &thriftgen.CfDef{Keyspace: "ks", Name: "users", ComparatorType: "UTF8Type",
			KeyValidationClass: str("UTF8Type"), DefaultValidationClass: str("BytesType")}
	}
	withMeta := base()
	withMeta.ColumnMetadata = []*thriftgen.ColumnDef{
		{Name: []byte("state"), ValidationClass: "UTF8Type", IndexType: &keys, IndexName: str("state_idx")},
		{Name: []byte("birthdate"), ValidationClass: "LongType"}}
	composite := base()
	composite.ComparatorType = "CompositeType(UTF8Type,LongType)"
	counter := base()
	counter.DefaultValidationClass = str("CounterColumnType")
	super := base()
	super.ColumnType = "Super"
	super.SubcomparatorType = str("LongType")
	for _, tt := range []struct {
		name    string
		def     *thriftgen.CfDef
		flags   []string
		columns []string
		indexes []Row
	}{
		{"static", withMeta, []string{}, []string{"birthdate static -1 bigint none", "column1 clustering 0 text asc",
			"key partition_key 0 text none", "state static -1 text none", "value regular -1 blob none"},
			[]Row{{"keyspace_name": "ks", "table_name": "users", "index_name": "state_idx", "kind": "KEYS", "options": map[string]string{"target": "state"}}}},
		{"dense", base(), []string{"dense"}, []string{"column1 clustering 0 text asc", "key partition_key 0 text none", "value regular -1 blob none"}, nil},
		{"compound", composite, []string{"compound", "dense"}, []string{"column1 clustering 0 text asc", "column2 clustering 1 bigint asc",
			"key partition_key 0 text none", "value regular -1 blob none"}, nil},
		{"counter", counter, []string{"counter", "dense"}, []string{"column1 clustering 0 text asc", "key partition_key 0 text none", "value regular -1 counter none"}, nil},
		{"super", super, []string{"dense", "super"}, []string{" regular -1 map<bigint, blob> none", "column1 clustering 0 text asc",
			"column2 clustering 1 bigint asc", "key partition_key 0 text none", "value regular -1 blob none"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newCQL(t)
			okc(t)(s.AddTable(tt.def))
			cat := s.Current()
			tb := cat.Table("ks", "users")
			if !reflect.DeepEqual(tb.Flags(), tt.flags) {
				t.Errorf("flags %v, want %v", tb.Flags(), tt.flags)
			}
			if got := columnsOf(tb); !reflect.DeepEqual(got, tt.columns) {
				t.Errorf("columns\n got %q\nwant %q", got, tt.columns)
			}
			if got := rowsOf(cat.IndexRows(), "ks", "users"); !reflect.DeepEqual(got, tt.indexes) {
				t.Errorf("indexes %v", got)
			}
			tr := rowsOf(cat.TableRows(), "ks", "users")[0]
			if tr["comment"] != "" || tr["default_time_to_live"] != int32(0) || tr["gc_grace_seconds"] != int32(864000) {
				t.Errorf("tables row %v", tr)
			}
			if len(cat.Keyspace("ks").Def().CfDefs) != 1 {
				t.Error("Thrift CF not listed")
			}
		})
	}
}

// Which tables Thrift's describe_keyspace lists (CFMetaData.isThriftCompatible).
func TestThriftDescribeHidesCQLTables(t *testing.T) {
	for _, tt := range []struct {
		name    string
		st      CreateTable
		visible bool
	}{
		{"compact static", CreateTable{Name: "t", Columns: cols(t, "k int, v text"), PrimaryKeys: pk([]string{"k"}), CompactStorage: true}, true},
		{"compact dense", CreateTable{Name: "t", Columns: cols(t, "k int, c int, v text"), PrimaryKeys: pk([]string{"k"}, "c"), CompactStorage: true}, true},
		{"compact no value", CreateTable{Name: "t", Columns: cols(t, "k int, c int, d int"), PrimaryKeys: pk([]string{"k"}, "c", "d"), CompactStorage: true}, true},
		{"cql with regular", CreateTable{Name: "t", Columns: cols(t, "k int, v text"), PrimaryKeys: pk([]string{"k"})}, false},
		{"cql key only", CreateTable{Name: "t", Columns: cols(t, "k int"), PrimaryKeys: pk([]string{"k"})}, false},
		{"cql clustering only", CreateTable{Name: "t", Columns: cols(t, "k int, c int, s int static"), PrimaryKeys: pk([]string{"k"}, "c")}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newCQL(t)
			tt.st.Keyspace = "ks"
			okc(t)(s.CreateTable(tt.st))
			d := s.Current().Keyspace("ks").Def()
			if (len(d.CfDefs) == 1) != tt.visible {
				t.Fatalf("listed = %d, want %v", len(d.CfDefs), tt.visible)
			}
			_, err := s.UpdateTable(&thriftgen.CfDef{Keyspace: "ks", Name: "t", ComparatorType: s.Current().Table("ks", "t").Comparator.Class()})
			if !tt.visible {
				var ire *thriftgen.InvalidRequestException
				if !errors.As(err, &ire) || ire.Why != "Cannot modify CQL3 table t as it may break the schema. You should use cqlsh to modify CQL3 tables instead." {
					t.Errorf("update = %v", err)
				}
			}
		})
	}
}

func TestCompactTableLayouts(t *testing.T) {
	const m = "org.apache.cassandra.db.marshal."
	for _, tt := range []struct {
		name       string
		st         CreateTable
		flags      []string
		comparator string
		columns    []string
		def        string // default validator
	}{
		{"static compact", CreateTable{Columns: cols(t, "k int, v text, w int"), PrimaryKeys: pk([]string{"k"}), CompactStorage: true},
			[]string{}, m + "UTF8Type",
			[]string{"column1 clustering 0 text asc", "k partition_key 0 int none", "v static -1 text none", "value regular -1 blob none", "w static -1 int none"}, m + "BytesType"},
		{"dense", CreateTable{Columns: cols(t, "k int, c timeuuid, v text"), PrimaryKeys: pk([]string{"k"}, "c"), CompactStorage: true,
			ClusteringOrder: []ClusteringOrderSpec{{"c", true}}},
			[]string{"dense"}, m + "ReversedType(" + m + "TimeUUIDType)",
			[]string{"c clustering 0 timeuuid desc", "k partition_key 0 int none", "v regular -1 text none"}, m + "UTF8Type"},
		{"dense compound, no value", CreateTable{Columns: cols(t, "k int, a int, b text"), PrimaryKeys: pk([]string{"k"}, "a", "b"), CompactStorage: true},
			[]string{"compound", "dense"}, m + "CompositeType(" + m + "Int32Type," + m + "UTF8Type)",
			[]string{"a clustering 0 int asc", "b clustering 1 text asc", "k partition_key 0 int none", "value regular -1 empty none"}, m + "EmptyType"},
		{"counter", CreateTable{Columns: cols(t, "k int, c counter"), PrimaryKeys: pk([]string{"k"})},
			[]string{"compound", "counter"}, m + "CompositeType(" + m + "UTF8Type)",
			[]string{"c regular -1 counter none", "k partition_key 0 int none"}, m + "CounterColumnType"},
		{"composite key", CreateTable{Columns: cols(t, "a int, b text, v blob"), PrimaryKeys: pk([]string{"a", "b"})},
			[]string{"compound"}, m + "CompositeType(" + m + "UTF8Type)",
			[]string{"a partition_key 0 int none", "b partition_key 1 text none", "v regular -1 blob none"}, m + "BytesType"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newCQL(t)
			tt.st.Keyspace, tt.st.Name = "ks", "t"
			okc(t)(s.CreateTable(tt.st))
			tb := s.Current().Table("ks", "t")
			if !reflect.DeepEqual(tb.Flags(), tt.flags) || tb.Comparator.Class() != tt.comparator || tb.DefaultValidator.Class() != tt.def {
				t.Errorf("flags %v comparator %s default %s", tb.Flags(), tb.Comparator.Class(), tb.DefaultValidator.Class())
			}
			if got := columnsOf(tb); !reflect.DeepEqual(got, tt.columns) {
				t.Errorf("columns\n got %q\nwant %q", got, tt.columns)
			}
		})
	}
}

func TestCreateTableErrors(t *testing.T) {
	long := strings.Repeat("x", 49)
	for _, tt := range []struct {
		name string
		st   CreateTable
		code ErrorCode
		msg  string
	}{
		{"no keyspace", CreateTable{Keyspace: "nope", Name: "t", Columns: cols(t, "k int"), PrimaryKeys: pk([]string{"k"})}, CodeConfig, "Keyspace nope doesn't exist"},
		{"bad name", CreateTable{Name: "t-1", Columns: cols(t, "k int"), PrimaryKeys: pk([]string{"k"})}, CodeInvalid, `"t-1" is not a valid table name (must be alphanumeric character or underscore only: [a-zA-Z_0-9]+)`},
		{"long name", CreateTable{Name: long, Columns: cols(t, "k int"), PrimaryKeys: pk([]string{"k"})}, CodeInvalid, `Table names shouldn't be more than 48 characters long (got "` + long + `")`},
		{"duplicate", CreateTable{Name: "t", Columns: cols(t, "k int, k text"), PrimaryKeys: pk([]string{"k"})}, CodeInvalid, "Multiple definition of identifier k"},
		{"unknown property", CreateTable{Name: "t", Columns: cols(t, "k int"), PrimaryKeys: pk([]string{"k"}), Properties: Properties{"foo": {Text: "1"}}}, CodeSyntax, "Unknown property 'foo'"},
		{"unknown type", CreateTable{Name: "t", Columns: cols(t, "k int, a address"), PrimaryKeys: pk([]string{"k"})}, CodeInvalid, "Unknown type ks.address"},
		{"nested", CreateTable{Name: "t", Columns: cols(t, "k int, l list<list<int>>"), PrimaryKeys: pk([]string{"k"})}, CodeInvalid, "Non-frozen collections are not allowed inside collections: list<list<int>>"},
		{"counter in set", CreateTable{Name: "t", Columns: cols(t, "k int, l set<counter>"), PrimaryKeys: pk([]string{"k"})}, CodeInvalid, "Counters are not allowed inside collections: set<counter>"},
		{"no pk", CreateTable{Name: "t", Columns: cols(t, "k int")}, CodeInvalid, "No PRIMARY KEY specifed (exactly one required)"},
		{"two pks", CreateTable{Name: "t", Columns: cols(t, "k int"), PrimaryKeys: append(pk([]string{"k"}), pk([]string{"k"})...)}, CodeInvalid, "Multiple PRIMARY KEYs specifed (exactly one required)"},
		{"counter ttl", CreateTable{Name: "t", Columns: cols(t, "k int, c counter"), PrimaryKeys: pk([]string{"k"}), Properties: Properties{"default_time_to_live": {Text: "5"}}}, CodeInvalid, "Cannot set default_time_to_live on a table with counters"},
		{"unknown pk", CreateTable{Name: "t", Columns: cols(t, "k int"), PrimaryKeys: pk([]string{"x"})}, CodeInvalid, "Unknown definition x referenced in PRIMARY KEY"},
		{"collection pk", CreateTable{Name: "t", Columns: cols(t, "k int, l list<int>"), PrimaryKeys: pk([]string{"k"}, "l")}, CodeInvalid, "Invalid non-frozen collection type for PRIMARY KEY component l"},
		{"counter pk", CreateTable{Name: "t", Columns: cols(t, "k int, c counter"), PrimaryKeys: pk([]string{"k"}, "c")}, CodeInvalid, "counter type is not supported for PRIMARY KEY part c"},
		{"duration pk", CreateTable{Name: "t", Columns: cols(t, "k duration"), PrimaryKeys: pk([]string{"k"})}, CodeInvalid, "duration type is not supported for PRIMARY KEY part k"},
		{"static pk", CreateTable{Name: "t", Columns: cols(t, "k int, c int static"), PrimaryKeys: pk([]string{"k"}, "c")}, CodeInvalid, "Static column c cannot be part of the PRIMARY KEY"},
		{"mix counters", CreateTable{Name: "t", Columns: cols(t, "k int, c counter, v int"), PrimaryKeys: pk([]string{"k"})}, CodeInvalid, "Cannot mix counter and non counter columns in the same table"},
		{"compact collection", CreateTable{Name: "t", Columns: cols(t, "k int, l list<int>"), PrimaryKeys: pk([]string{"k"}), CompactStorage: true}, CodeInvalid, "Non-frozen collections and UDTs are not supported with COMPACT STORAGE"},
		{"compact static", CreateTable{Name: "t", Columns: cols(t, "k int, c int, s int static"), PrimaryKeys: pk([]string{"k"}, "c"), CompactStorage: true}, CodeInvalid, "Static columns are not supported in COMPACT STORAGE tables"},
		{"compact nothing", CreateTable{Name: "t", Columns: cols(t, "k int"), PrimaryKeys: pk([]string{"k"}), CompactStorage: true}, CodeInvalid, "No definition found that is not part of the PRIMARY KEY"},
		{"compact two values", CreateTable{Name: "t", Columns: cols(t, "k int, c int, v int, w int"), PrimaryKeys: pk([]string{"k"}, "c"), CompactStorage: true}, CodeInvalid, "COMPACT STORAGE with composite PRIMARY KEY allows no more than one column not part of the PRIMARY KEY (got: v, w)"},
		{"static no clustering", CreateTable{Name: "t", Columns: cols(t, "k int, s int static"), PrimaryKeys: pk([]string{"k"})}, CodeInvalid, "Static columns are only useful (and thus allowed) if the table has at least one clustering column"},
		{"order not clustering", CreateTable{Name: "t", Columns: cols(t, "k int, c int, v int"), PrimaryKeys: pk([]string{"k"}, "c"), ClusteringOrder: []ClusteringOrderSpec{{"c", false}, {"v", false}}}, CodeInvalid, "Only clustering key columns can be defined in CLUSTERING ORDER directive"},
		{"order wrong", CreateTable{Name: "t", Columns: cols(t, "k int, a int, b int"), PrimaryKeys: pk([]string{"k"}, "a", "b"), ClusteringOrder: []ClusteringOrderSpec{{"b", false}, {"a", false}}}, CodeInvalid, "The order of columns in the CLUSTERING ORDER directive must be the one of the clustering key (a must appear before b)"},
		{"order missing", CreateTable{Name: "t", Columns: cols(t, "k int, a int, b int"), PrimaryKeys: pk([]string{"k"}, "a", "b"), ClusteringOrder: []ClusteringOrderSpec{{"b", false}}}, CodeInvalid, "Missing CLUSTERING ORDER for column a"},
		{"bloom", CreateTable{Name: "t", Columns: cols(t, "k int"), PrimaryKeys: pk([]string{"k"}), Properties: Properties{"bloom_filter_fp_chance": {Text: "1.1"}}}, CodeConfig, "bloom_filter_fp_chance must be larger than 6.71E-5 and less than or equal to 1.0 (got 1.1)"},
		{"bad double", CreateTable{Name: "t", Columns: cols(t, "k int"), PrimaryKeys: pk([]string{"k"}), Properties: Properties{"read_repair_chance": {Text: "x"}}}, CodeSyntax, "Invalid double value x for 'read_repair_chance'"},
		{"gc", CreateTable{Name: "t", Columns: cols(t, "k int"), PrimaryKeys: pk([]string{"k"}), Properties: Properties{"gc_grace_seconds": {Text: "-1"}}}, CodeConfig, "gc_grace_seconds must be greater than or equal to 0 (got -1)"},
		{"caching", CreateTable{Name: "t", Columns: cols(t, "k int"), PrimaryKeys: pk([]string{"k"}), Properties: Properties{"caching": {Map: map[string]string{"keys": "SOME"}}}}, CodeConfig, "Invalid value 'SOME' for caching sub-option 'keys': only 'ALL' and 'NONE' are allowed"},
		{"system", CreateTable{Keyspace: "system", Name: "t", Columns: cols(t, "k int"), PrimaryKeys: pk([]string{"k"})}, CodeUnauthorized, "system keyspace is not user-modifiable."},
		{"system_auth", CreateTable{Keyspace: "system_auth", Name: "t", Columns: cols(t, "k int"), PrimaryKeys: pk([]string{"k"})}, CodeUnauthorized, "Cannot CREATE <keyspace system_auth>"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newCQL(t)
			if tt.st.Keyspace == "" {
				tt.st.Keyspace = "ks"
			}
			_, err := s.CreateTable(tt.st)
			wantErr(t, err, tt.code, tt.msg)
		})
	}
	s := newCQL(t)
	st := CreateTable{Keyspace: "ks", Name: "t", Columns: cols(t, "k int"), PrimaryKeys: pk([]string{"k"})}
	okc(t)(s.CreateTable(st))
	_, err := s.CreateTable(st)
	wantErr(t, err, CodeAlreadyExists, `Cannot add already existing table "t" to keyspace "ks"`)
	var e *Error
	if errors.As(err, &e); e.Keyspace != "ks" || e.Table != "t" || !errors.Is(err, ErrAlreadyExists) {
		t.Errorf("already exists body %+v", e)
	}
	st.IfNotExists = true
	if ch, err := s.CreateTable(st); ch != nil || err != nil {
		t.Errorf("IF NOT EXISTS = %v, %v", ch, err)
	}
}

func TestTableOptions(t *testing.T) {
	s := newCQL(t)
	ch := okc(t)(s.CreateTable(CreateTable{Keyspace: "ks", Name: "t", Columns: cols(t, "k int, v int"), PrimaryKeys: pk([]string{"k"}),
		Properties: Properties{
			"compaction":                 {Map: map[string]string{"class": "LeveledCompactionStrategy"}},
			"compression":                {Map: map[string]string{"sstable_compression": ""}},
			"caching":                    {Map: map[string]string{"rows_per_partition": "10"}},
			"speculative_retry":          {Text: "10ms"},
			"dclocal_read_repair_chance": {Text: "0.5"},
			"comment":                    {Text: "hi"},
		}}))
	if len(ch.Warnings) != 1 || !strings.HasPrefix(ch.Warnings[0], "dclocal_read_repair_chance table option has been deprecated") {
		t.Errorf("warnings %v", ch.Warnings)
	}
	r := rowsOf(s.Current().TableRows(), "ks", "t")[0]
	if r["bloom_filter_fp_chance"] != 0.1 || r["speculative_retry"] != "10.0ms" || r["comment"] != "hi" ||
		!reflect.DeepEqual(r["compression"], map[string]string{"enabled": "false"}) ||
		!reflect.DeepEqual(r["caching"], map[string]string{"keys": "NONE", "rows_per_partition": "10"}) ||
		!reflect.DeepEqual(r["compaction"], map[string]string{"class": leveledCompact, "max_threshold": "32", "min_threshold": "4"}) {
		t.Errorf("row %v", r)
	}
	okc(t)(s.AlterTable(AlterTable{Keyspace: "ks", Name: "t", Kind: AlterOptions,
		Properties: Properties{"speculative_retry": {Text: "95.5PERCENTILE"}, "default_time_to_live": {Text: "60"}}}))
	tb := s.Current().Table("ks", "t")
	if tb.Params.SpeculativeRetry.String() != "95.5PERCENTILE" || tb.DefaultTTL != 60 || tb.Params.Comment != "hi" {
		t.Errorf("altered %+v", tb.Params)
	}
	_, err := s.AlterTable(AlterTable{Keyspace: "ks", Name: "t", Kind: AlterOptions, Properties: Properties{"id": {Text: uuid.NewString()}}})
	wantErr(t, err, CodeConfig, "Cannot alter table id.")
	_, err = s.AlterTable(AlterTable{Keyspace: "ks", Name: "t", Kind: AlterOptions, Properties: Properties{"speculative_retry": {Text: "none"}}})
	wantErr(t, err, CodeConfig, "Invalid value none for option 'speculative_retry'")
}

func TestAlterTable(t *testing.T) {
	setup := func(t *testing.T) *Schema {
		s := newCQL(t)
		okc(t)(s.CreateTable(CreateTable{Keyspace: "ks", Name: "t", Columns: cols(t, "k int, c int, v text, s int static"), PrimaryKeys: pk([]string{"k"}, "c")}))
		okc(t)(s.CreateTable(CreateTable{Keyspace: "ks", Name: "cnt", Columns: cols(t, "k int, n counter"), PrimaryKeys: pk([]string{"k"})}))
		okc(t)(s.CreateTable(CreateTable{Keyspace: "ks", Name: "dense", Columns: cols(t, "k int, c int, v int"), PrimaryKeys: pk([]string{"k"}, "c"), CompactStorage: true}))
		okc(t)(s.CreateTable(CreateTable{Keyspace: "ks", Name: "sc", Columns: cols(t, "k int, v int"), PrimaryKeys: pk([]string{"k"}), CompactStorage: true}))
		return s
	}
	add := func(table, spec string) AlterTable {
		return AlterTable{Keyspace: "ks", Name: table, Kind: AlterAdd, Add: cols(t, spec)}
	}
	for _, tt := range []struct {
		name string
		st   AlterTable
		code ErrorCode
		msg  string
	}{
		{"no table", AlterTable{Keyspace: "ks", Name: "nope", Kind: AlterAdd}, CodeInvalid, "unconfigured table nope"},
		{"no keyspace", AlterTable{Keyspace: "nope", Name: "t", Kind: AlterAdd}, CodeInvalid, "Keyspace nope does not exist"},
		{"type", AlterTable{Keyspace: "ks", Name: "t", Kind: AlterType, Column: "v", Type: Native("blob")}, CodeInvalid, "Altering of types is not allowed"},
		{"add dense", add("dense", "x int"), CodeInvalid, "Cannot add new column to a COMPACT STORAGE table"},
		{"add static compact", add("sc", "x int static"), CodeInvalid, "Static columns are not allowed in COMPACT STORAGE tables"},
		{"add pk clash", add("t", "c int"), CodeInvalid, "Invalid column name c because it conflicts with a PRIMARY KEY part"},
		{"add clash", add("t", "v int"), CodeInvalid, "Invalid column name v because it conflicts with an existing column"},
		{"add collection compact", add("sc", "l list<int>"), CodeInvalid, "Cannot use non-frozen collections in COMPACT STORAGE tables"},
		{"add non counter", add("cnt", "x int"), CodeConfig, "Cannot add a non counter column (x) in a counter column family"},
		{"add counter", add("t", "x counter"), CodeConfig, "Cannot add a counter column (x) in a non counter column family"},
		{"drop compact", AlterTable{Keyspace: "ks", Name: "sc", Kind: AlterDrop, Drop: []string{"v"}}, CodeInvalid, "Cannot drop columns from a non-CQL3 table"},
		{"drop unknown", AlterTable{Keyspace: "ks", Name: "t", Kind: AlterDrop, Drop: []string{"x"}}, CodeInvalid, "Column x was not found in table t"},
		{"drop pk", AlterTable{Keyspace: "ks", Name: "t", Kind: AlterDrop, Drop: []string{"k"}}, CodeInvalid, "Cannot drop PRIMARY KEY part k"},
		{"drop compact storage", AlterTable{Keyspace: "ks", Name: "t", Kind: AlterDropCompactStorage}, CodeInvalid, "Cannot DROP COMPACT STORAGE on table without COMPACT STORAGE"},
		{"rename unknown", AlterTable{Keyspace: "ks", Name: "t", Kind: AlterRename, Renames: []RenameSpec{{"x", "y"}}}, CodeInvalid, "Cannot rename unknown column x in keyspace t"},
		{"rename clash", AlterTable{Keyspace: "ks", Name: "t", Kind: AlterRename, Renames: []RenameSpec{{"k", "c"}}}, CodeInvalid, "Cannot rename column k to c in keyspace t; another column of that name already exist"},
		{"rename regular", AlterTable{Keyspace: "ks", Name: "t", Kind: AlterRename, Renames: []RenameSpec{{"v", "w"}}}, CodeInvalid, "Cannot rename non PRIMARY KEY part v"},
		{"rename static compact", AlterTable{Keyspace: "ks", Name: "sc", Kind: AlterRename, Renames: []RenameSpec{{"v", "w"}}}, CodeInvalid, "Cannot rename non PRIMARY KEY part v"},
		{"no options", AlterTable{Keyspace: "ks", Name: "t", Kind: AlterOptions}, CodeInvalid, "ALTER TABLE WITH invoked, but no parameters found"},
		{"counter ttl", AlterTable{Keyspace: "ks", Name: "cnt", Kind: AlterOptions, Properties: Properties{"default_time_to_live": {Text: "1"}}}, CodeInvalid, "Cannot set default_time_to_live on a table with counters"},
		{"system", AlterTable{Keyspace: "system", Name: "local", Kind: AlterOptions}, CodeUnauthorized, "system keyspace is not user-modifiable."},
		{"system_auth", AlterTable{Keyspace: "system_auth", Name: "roles", Kind: AlterOptions}, CodeUnauthorized, "Cannot ALTER <table system_auth.roles>"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := setup(t).AlterTable(tt.st)
			wantErr(t, err, tt.code, tt.msg)
		})
	}

	s := setup(t)
	// ADD a collection: the comparator gains ColumnToCollectionType, the ID stays.
	before := s.Current().Table("ks", "t")
	ch := okc(t)(s.AlterTable(add("t", "tags set<text>")))
	after := s.Current().Table("ks", "t")
	if after.ID != before.ID || !strings.Contains(after.Comparator.Class(), "ColumnToCollectionType(74616773:") ||
		len(ch.Updated) != 1 || !ch.Updated[0].IndexesChanged {
		t.Errorf("add collection: %s %+v", after.Comparator.Class(), ch.Updated)
	}
	// DROP records the drop; re-adding with another kind is refused.
	okc(t)(s.AlterTable(AlterTable{Keyspace: "ks", Name: "t", Kind: AlterDrop, Drop: []string{"v"}, Timestamp: 1500000000123456}))
	dr := rowsOf(s.Current().DroppedColumnRows(), "ks", "t")
	if len(dr) != 1 || dr[0]["column_name"] != "v" || dr[0]["kind"] != "regular" || dr[0]["type"] != "text" ||
		dr[0]["dropped_time"].(interface{ UnixMilli() int64 }).UnixMilli() != 1500000000123 {
		t.Errorf("dropped %v", dr)
	}
	_, err := s.AlterTable(add("t", "v text static"))
	wantErr(t, err, CodeInvalid, "Cannot re-add previously dropped column 'v' of kind STATIC, incompatible with previous kind REGULAR")
	_, err = s.AlterTable(add("t", "v int"))
	wantErr(t, err, CodeInvalid, "Cannot re-add previously dropped column 'v' of type int, incompatible with previous type text")
	okc(t)(s.AlterTable(add("t", "v text")))
	// RENAME of key columns and of a compact value.
	okc(t)(s.AlterTable(AlterTable{Keyspace: "ks", Name: "t", Kind: AlterRename, Renames: []RenameSpec{{"k", "key"}, {"c", "col"}}}))
	if tb := s.Current().Table("ks", "t"); tb.PartitionKey[0].Name != "key" || tb.Clustering[0].Name != "col" {
		t.Error("rename")
	}
	okc(t)(s.AlterTable(AlterTable{Keyspace: "ks", Name: "sc", Kind: AlterRename, Renames: []RenameSpec{{"k", "id"}, {"value", "val"}}}))
	if d := s.Current().Table("ks", "sc").Def; d == nil || string(d.KeyAlias) != "id" {
		t.Errorf("Thrift view after rename %v", d)
	}
	// A static compact table takes new (static) columns.
	okc(t)(s.AlterTable(add("sc", "w text")))
	if tb := s.Current().Table("ks", "sc"); tb.ColumnDef("w").Kind != Static || tb.Column([]byte("w")) == nil {
		t.Error("static compact add")
	}
	// DROP COMPACT STORAGE.
	ch = okc(t)(s.AlterTable(AlterTable{Keyspace: "ks", Name: "sc", Kind: AlterDropCompactStorage}))
	if tb := s.Current().Table("ks", "sc"); tb.IsCompact() || tb.Def != nil || !ch.Updated[0].LayoutChanged {
		t.Errorf("drop compact storage: %v", tb.Flags())
	}
	// Dropping an indexed column is refused.
	okc(t)(s.CreateIndex(CreateIndex{Keyspace: "ks", Table: "t", Targets: []IndexTargetSpec{{Column: "v"}}}))
	_, err = s.AlterTable(AlterTable{Keyspace: "ks", Name: "t", Kind: AlterDrop, Drop: []string{"v"}})
	wantErr(t, err, CodeInvalid, "Cannot drop column v because it has dependent secondary indexes (t_v_idx)")
}

func TestCQLIndexes(t *testing.T) {
	setup := func(t *testing.T) *Schema {
		s := newCQL(t)
		okc(t)(s.CreateTable(CreateTable{Keyspace: "ks", Name: "t",
			Columns:     cols(t, "k int, k2 int, c int, v text, m map<text, int>, f frozen<list<int>>, d duration, l list<int>"),
			PrimaryKeys: pk([]string{"k", "k2"}, "c")}))
		okc(t)(s.CreateTable(CreateTable{Keyspace: "ks", Name: "one", Columns: cols(t, "k int, v int"), PrimaryKeys: pk([]string{"k"})}))
		okc(t)(s.CreateTable(CreateTable{Keyspace: "ks", Name: "cnt", Columns: cols(t, "k int, n counter"), PrimaryKeys: pk([]string{"k"})}))
		okc(t)(s.CreateTable(CreateTable{Keyspace: "ks", Name: "dense", Columns: cols(t, "k int, c int, v int"), PrimaryKeys: pk([]string{"k"}, "c"), CompactStorage: true}))
		okc(t)(s.CreateTable(CreateTable{Keyspace: "ks", Name: "sc", Columns: cols(t, "k int, v int"), PrimaryKeys: pk([]string{"k"}), CompactStorage: true}))
		return s
	}
	idx := func(table, col, kind string) CreateIndex {
		return CreateIndex{Keyspace: "ks", Table: table, Targets: []IndexTargetSpec{{Column: col, Type: kind}}}
	}
	for _, tt := range []struct {
		name string
		st   CreateIndex
		msg  string
	}{
		{"counter", idx("cnt", "n", ""), "Secondary indexes are not supported on counter tables"},
		{"dense", idx("dense", "v", ""), "Secondary indexes are not supported on COMPACT STORAGE tables that have clustering columns"},
		{"undefined", idx("t", "Nope", ""), `Undefined column name "Nope"`},
		{"no target", CreateIndex{Keyspace: "ks", Table: "t"}, "Only CUSTOM indexes can be created without specifying a target column"},
		{"multi", CreateIndex{Keyspace: "ks", Table: "t", Targets: []IndexTargetSpec{{Column: "v"}, {Column: "c"}}}, "Only CUSTOM indexes support multiple columns"},
		{"duration", idx("t", "d", ""), "Secondary indexes are not supported on duration columns"},
		{"compact pk", idx("sc", "k", ""), "Secondary indexes are not supported on PRIMARY KEY columns in COMPACT STORAGE tables"},
		{"partition key", idx("one", "k", ""), "Cannot create secondary index on partition key column k"},
		{"frozen values", idx("t", "f", "values"), "Cannot create values() index on frozen column f. Frozen collections only support full() indexes"},
		{"full non frozen", idx("t", "m", "full"), "full() indexes can only be created on frozen collections"},
		{"keys non collection", idx("t", "v", "keys"), "Cannot create keys() index on v. Non-collection columns support only simple indexes"},
		{"keys on list", idx("t", "l", "keys"), "Cannot create index on keys of column l with non-map type"},
		{"custom no class", CreateIndex{Keyspace: "ks", Table: "t", Targets: []IndexTargetSpec{{Column: "v"}}, Custom: true}, "CUSTOM index requires specifiying the index class"},
		{"options", CreateIndex{Keyspace: "ks", Table: "t", Targets: []IndexTargetSpec{{Column: "v"}}, Properties: Properties{"options": {Map: map[string]string{"a": "b"}}}}, "Cannot specify options for a non-CUSTOM index"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := setup(t).CreateIndex(tt.st)
			wantErr(t, err, CodeInvalid, tt.msg)
		})
	}
	_, err := setup(t).CreateIndex(CreateIndex{Keyspace: "ks", Table: "t", Targets: []IndexTargetSpec{{Column: "v"}}, Custom: true, Class: "com.example.Idx"})
	wantErr(t, err, CodeConfig, "Unable to find custom indexer class 'com.example.Idx'")
	s := setup(t)
	for _, tt := range []struct {
		st   CreateIndex
		name string
		kind IndexKind
		tgt  string
	}{
		{idx("t", "v", ""), "t_v_idx", IndexComposites, "v"},
		{idx("t", "m", ""), "t_m_idx", IndexComposites, "values(m)"},
		{idx("t", "m", "keys"), "t_m_idx_1", IndexComposites, "keys(m)"},
		{idx("t", "f", "full"), "t_f_idx", IndexComposites, "full(f)"},
		{idx("t", "k2", ""), "t_k2_idx", IndexComposites, "k2"},
		{idx("sc", "v", ""), "sc_v_idx", IndexKeys, "v"},
		{CreateIndex{Keyspace: "ks", Table: "t", Name: "custom", Targets: []IndexTargetSpec{{Column: "c"}}, Custom: true, Class: "org.apache.cassandra.index.sasi.SASIIndex",
			Properties: Properties{"options": {Map: map[string]string{"x": "1"}}}}, "custom", IndexCustom, "c"},
	} {
		okc(t)(s.CreateIndex(tt.st))
		var got *IndexMetadata
		for _, tb := range s.Current().Keyspace("ks").Tables {
			if ix := tb.Index(tt.name); ix != nil {
				got = ix
			}
		}
		if got == nil || got.Kind != tt.kind || got.Options["target"] != tt.tgt {
			t.Errorf("%s = %+v", tt.name, got)
		}
	}
	if ix := s.Current().Table("ks", "t").Index("custom"); ix.Options["class_name"] != "org.apache.cassandra.index.sasi.SASIIndex" || ix.Options["x"] != "1" {
		t.Errorf("custom %v", ix.Options)
	}
	// The KEYS index of a static compact table is a Thrift index too.
	if c := s.Current().Table("ks", "sc").Column([]byte("v")); c == nil || c.Index == nil || c.Index.Name != "sc_v_idx" {
		t.Errorf("Thrift index %+v", c)
	}
	_, err = s.CreateIndex(CreateIndex{Keyspace: "ks", Table: "one", Name: "t_v_idx", Targets: []IndexTargetSpec{{Column: "v"}}})
	wantErr(t, err, CodeInvalid, "Index t_v_idx already exists")
	_, err = s.CreateIndex(CreateIndex{Keyspace: "ks", Table: "t", Name: "again", Targets: []IndexTargetSpec{{Column: "v"}}})
	wantErr(t, err, CodeInvalid, "Index again is a duplicate of existing index t_v_idx")
	if ch, err := s.CreateIndex(CreateIndex{Keyspace: "ks", Table: "t", Name: "t_v_idx", IfNotExists: true, Targets: []IndexTargetSpec{{Column: "v"}}}); ch != nil || err != nil {
		t.Errorf("IF NOT EXISTS %v %v", ch, err)
	}
	// DROP INDEX.
	_, err = s.DropIndex(DropIndex{Keyspace: "ks", Name: "nope"})
	wantErr(t, err, CodeInvalid, "Index 'nope' could not be found in any of the tables of keyspace 'ks'")
	_, err = s.DropIndex(DropIndex{Keyspace: "nope", Name: "x"})
	wantErr(t, err, CodeInvalid, "Keyspace nope does not exist")
	ch := okc(t)(s.DropIndex(DropIndex{Keyspace: "ks", Name: "t_v_idx"}))
	if c, tg, _, n, _ := ch.Event(); c != "UPDATED" || tg != "TABLE" || n != "t" || s.Current().Table("ks", "t").Index("t_v_idx") != nil {
		t.Error("drop index")
	}
}

func TestKeyspaceStatements(t *testing.T) {
	s := New(Options{})
	repl := func(m map[string]string) Properties { return Properties{"replication": {Map: m}} }
	for _, tt := range []struct {
		st   CreateKeyspace
		code ErrorCode
		msg  string
	}{
		{CreateKeyspace{Name: "System", Properties: simpleRF("1")}, CodeInvalid, "System keyspace is not user-modifiable"},
		{CreateKeyspace{Name: "a-b", Properties: simpleRF("1")}, CodeInvalid, `"a-b" is not a valid keyspace name`},
		{CreateKeyspace{Name: "k", Properties: Properties{"foo": {Text: "x"}}}, CodeSyntax, "Unknown property 'foo'"},
		{CreateKeyspace{Name: "k", Properties: repl(map[string]string{"replication_factor": "1"})}, CodeConfig, "Missing mandatory replication strategy class"},
		{CreateKeyspace{Name: "k", Properties: repl(map[string]string{"class": "Foo"})}, CodeConfig, "Unable to find replication strategy class 'org.apache.cassandra.locator.Foo'"},
		{CreateKeyspace{Name: "k", Properties: repl(map[string]string{"class": "SimpleStrategy"})}, CodeConfig, "SimpleStrategy requires a replication_factor strategy option."},
		{CreateKeyspace{Name: "k", Properties: repl(map[string]string{"class": "SimpleStrategy", "replication_factor": "1", "foo": "x"})}, CodeConfig, "Unrecognized strategy option {foo} passed to SimpleStrategy for keyspace k"},
		{CreateKeyspace{Name: "k", Properties: simpleRF("abc")}, CodeConfig, "Replication factor must be numeric; found abc"},
		{CreateKeyspace{Name: "k", Properties: repl(map[string]string{"class": "NetworkTopologyStrategy", "replication_factor": "1"})}, CodeConfig, "replication_factor is an option for SimpleStrategy, not NetworkTopologyStrategy"},
		{CreateKeyspace{Name: "k", Properties: repl(map[string]string{"class": "LocalStrategy"})}, CodeConfig, "Unable to use given strategy class: LocalStrategy is reserved for internal use."},
		{CreateKeyspace{Name: "system_auth", Properties: simpleRF("1")}, CodeAlreadyExists, `Cannot add existing keyspace "system_auth"`},
	} {
		_, err := s.CreateKeyspace(tt.st)
		wantErr(t, err, tt.code, tt.msg)
	}
	ch := okc(t)(s.CreateKeyspace(CreateKeyspace{Name: "k", Properties: Properties{
		"replication":    {Map: map[string]string{"class": "NetworkTopologyStrategy", "datacenter1": "2"}},
		"durable_writes": {Text: "false"}}}))
	if c, tg, ks, _, _ := ch.Event(); c != "CREATED" || tg != "KEYSPACE" || ks != "k" {
		t.Error("event")
	}
	k := s.Current().Keyspace("k")
	if k.StrategyClass != NetworkTopologyStrategy || k.StrategyOptions["datacenter1"] != "2" || k.DurableWrites {
		t.Errorf("keyspace %+v", k)
	}
	okc(t)(s.AlterKeyspace(AlterKeyspace{Name: "k", Properties: Properties{"durable_writes": {Text: "true"}}}))
	if k := s.Current().Keyspace("k"); !k.DurableWrites || k.StrategyClass != NetworkTopologyStrategy {
		t.Error("alter durable_writes")
	}
	_, err := s.AlterKeyspace(AlterKeyspace{Name: "nope", Properties: simpleRF("1")})
	wantErr(t, err, CodeInvalid, "Unknown keyspace nope")
	_, err = s.AlterKeyspace(AlterKeyspace{Name: "system", Properties: simpleRF("1")})
	wantErr(t, err, CodeUnauthorized, "system keyspace is not user-modifiable.")
	okc(t)(s.AlterKeyspace(AlterKeyspace{Name: "system_auth", Properties: simpleRF("3")}))
	_, err = s.DropKeyspaceCQL(DropKeyspace{Name: "system_auth"})
	wantErr(t, err, CodeUnauthorized, "Cannot DROP <keyspace system_auth>")
	_, err = s.DropKeyspaceCQL(DropKeyspace{Name: "nope"})
	wantErr(t, err, CodeConfig, "Cannot drop non existing keyspace 'nope'.")
	if ch, err := s.DropKeyspaceCQL(DropKeyspace{Name: "nope", IfExists: true}); ch != nil || err != nil {
		t.Error("IF EXISTS")
	}
	v := s.Current().Version()
	okc(t)(s.DropKeyspaceCQL(DropKeyspace{Name: "k"}))
	if s.Current().Version() == v {
		t.Error("version unchanged")
	}
}

func TestUserTypes(t *testing.T) {
	s := newCQL(t)
	ct := func(name, spec string) CreateType {
		st := CreateType{Keyspace: "ks", Name: name}
		for _, c := range cols(t, spec) {
			st.FieldNames, st.FieldTypes = append(st.FieldNames, c.Name), append(st.FieldTypes, c.Type)
		}
		return st
	}
	okc(t)(s.CreateType(ct("address", "street text, zip int")))
	for _, tt := range []struct {
		st  CreateType
		msg string
	}{
		{CreateType{Keyspace: "nope", Name: "x"}, "Cannot add type in unknown keyspace nope"},
		{ct("address", "a int"), "A user type of name ks.address already exists"},
		{ct("x", "a counter"), "A user type cannot contain counters"},
		{ct("x", "a address"), "A user type cannot contain non-frozen UDTs"},
		{ct("x", "a int, a text"), "Duplicate field name a in type x"},
	} {
		_, err := s.CreateType(tt.st)
		wantErr(t, err, CodeInvalid, tt.msg)
	}
	okc(t)(s.CreateType(ct("person", "name text, home frozen<address>")))
	okc(t)(s.CreateTable(CreateTable{Keyspace: "ks", Name: "t", Columns: cols(t, "k int, a address, p frozen<person>"), PrimaryKeys: pk([]string{"k"})}))
	tb := s.Current().Table("ks", "t")
	if tb.ColumnDef("a").CQLType() != "address" || tb.ColumnDef("p").CQLType() != "frozen<person>" {
		t.Errorf("types %s %s", tb.ColumnDef("a").CQLType(), tb.ColumnDef("p").CQLType())
	}
	// ALTER TYPE ADD updates the tables and types using it.
	ch := okc(t)(s.AlterType(AlterUserType{Keyspace: "ks", Name: "address", Kind: AlterTypeAdd, Field: "city", Type: Native("text")}))
	if c, tg, _, n, _ := ch.Event(); c != "UPDATED" || tg != "TYPE" || n != "address" || len(ch.Updated) != 1 {
		t.Errorf("alter type event %s %s %s %v", c, tg, n, ch.Updated)
	}
	if got := s.Current().Table("ks", "t").ColumnDef("a").Type.Class(); !strings.Contains(got, "63697479") {
		t.Errorf("table not updated: %s", got)
	}
	_, err := s.AlterType(AlterUserType{Keyspace: "ks", Name: "address", Kind: AlterTypeAdd, Field: "city", Type: Native("text")})
	wantErr(t, err, CodeInvalid, "Cannot add new field city to type ks.address: a field of the same name already exists")
	_, err = s.AlterType(AlterUserType{Keyspace: "ks", Name: "address", Kind: AlterTypeAdd, Field: "self", Type: Frozen(Native("address"))})
	wantErr(t, err, CodeInvalid, "Cannot add new field self of type frozen<address> to type ks.address as this would create a circular reference")
	_, err = s.AlterType(AlterUserType{Keyspace: "ks", Name: "address", Kind: AlterTypeRename, Renames: []RenameSpec{{"nope", "x"}}})
	wantErr(t, err, CodeInvalid, "Unknown field nope in type ks.address")
	_, err = s.AlterType(AlterUserType{Keyspace: "ks", Name: "address", Kind: AlterTypeAlter, Field: "zip", Type: Native("text")})
	wantErr(t, err, CodeInvalid, "Altering of types is not allowed")
	_, err = s.AlterType(AlterUserType{Keyspace: "ks", Name: "nope", Kind: AlterTypeAdd, Field: "x", Type: Native("int")})
	wantErr(t, err, CodeInvalid, "No user type named ks.nope exists.")
	okc(t)(s.AlterType(AlterUserType{Keyspace: "ks", Name: "address", Kind: AlterTypeRename, Renames: []RenameSpec{{"zip", "postcode"}}}))
	tr := rowsOf(s.Current().TypeRows(), "ks", "")
	if len(tr) != 2 || !reflect.DeepEqual(tr[0]["field_names"], []string{"street", "postcode", "city"}) ||
		!reflect.DeepEqual(tr[1]["field_types"], []string{"text", "frozen<address>"}) {
		t.Errorf("type rows %v", tr)
	}
	_, err = s.DropType(DropType{Keyspace: "ks", Name: "address"})
	wantErr(t, err, CodeInvalid, "Cannot drop user type ks.address as it is still used by user type person")
	_, err = s.DropType(DropType{Keyspace: "ks", Name: "person"})
	wantErr(t, err, CodeInvalid, "Cannot drop user type ks.person as it is still used by table ks.t")
	_, err = s.DropType(DropType{Keyspace: "ks", Name: "nope"})
	wantErr(t, err, CodeInvalid, "No user type named ks.nope exists.")
	okc(t)(s.DropTableCQL(DropTable{Keyspace: "ks", Name: "t"}))
	okc(t)(s.DropType(DropType{Keyspace: "ks", Name: "person"}))
	ch = okc(t)(s.DropType(DropType{Keyspace: "ks", Name: "address"}))
	if c, tg, _, _, _ := ch.Event(); c != "DROPPED" || tg != "TYPE" {
		t.Error("drop type event")
	}
	// A non-frozen UDT holding a non-frozen collection cannot be a column.
	okc(t)(s.CreateType(ct("bag", "items list<int>")))
	_, err = s.CreateTable(CreateTable{Keyspace: "ks", Name: "b", Columns: cols(t, "k int, b bag"), PrimaryKeys: pk([]string{"k"})})
	wantErr(t, err, CodeInvalid, "Non-frozen UDTs with nested non-frozen collections are not supported")
}

func TestDropTableCQL(t *testing.T) {
	s := newCQL(t)
	_, err := s.DropTableCQL(DropTable{Keyspace: "ks", Name: "nope"})
	wantErr(t, err, CodeInvalid, "unconfigured table nope")
	if ch, err := s.DropTableCQL(DropTable{Keyspace: "ks", Name: "nope", IfExists: true}); ch != nil || err != nil {
		t.Error("IF EXISTS")
	}
	_, err = s.DropTableCQL(DropTable{Keyspace: "system", Name: "local"})
	wantErr(t, err, CodeUnauthorized, "system keyspace is not user-modifiable.")
	_, err = s.DropTableCQL(DropTable{Keyspace: "system_traces", Name: "events"})
	wantErr(t, err, CodeUnauthorized, "Cannot DROP <table system_traces.events>")
}

func TestPersistRoundTrip(t *testing.T) {
	s := New(Options{})
	okc(t)(s.CreateKeyspace(CreateKeyspace{Name: "shop", Properties: simpleRF("1")}))
	okc(t)(s.CreateType(CreateType{Keyspace: "shop", Name: "address", FieldNames: []string{"street"}, FieldTypes: []RawType{Native("text")}}))
	okc(t)(s.CreateTable(CreateTable{Keyspace: "shop", Name: "orders",
		Columns:     cols(t, "id uuid, y int, n text static, items list<text>, a frozen<address>, v int"),
		PrimaryKeys: pk([]string{"id"}, "y"), ClusteringOrder: []ClusteringOrderSpec{{"y", true}},
		Properties: Properties{"comment": {Text: "c"}, "compaction": {Map: map[string]string{"class": "LeveledCompactionStrategy", "sstable_size_in_mb": "10"}}}}))
	okc(t)(s.CreateIndex(CreateIndex{Keyspace: "shop", Table: "orders", Targets: []IndexTargetSpec{{Column: "items"}}}))
	okc(t)(s.AlterTable(AlterTable{Keyspace: "shop", Name: "orders", Kind: AlterDrop, Drop: []string{"v"}, Timestamp: 42}))
	okc(t)(s.CreateTable(CreateTable{Keyspace: "shop", Name: "sc", Columns: cols(t, "k int, v int"), PrimaryKeys: pk([]string{"k"}), CompactStorage: true}))
	okc(t)(s.AddTable(&thriftgen.CfDef{Keyspace: "shop", Name: "Thrift", ComparatorType: "LongType"}))
	okc(t)(s.AlterKeyspace(AlterKeyspace{Name: "system_auth", Properties: simpleRF("2")}))
	cat := s.Current()
	data, err := cat.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	r := New(Options{})
	if _, err := r.Load(data); err != nil {
		t.Fatal(err)
	}
	got := r.Current()
	if got.Version() != cat.Version() {
		t.Errorf("version %s != %s", got.Version(), cat.Version())
	}
	for _, tb := range []string{"keyspaces", "tables", "columns", "dropped_columns", "indexes", "types"} {
		a, _ := cat.SystemSchemaRows(tb)
		b, _ := got.SystemSchemaRows(tb)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differ after load\n%v\n%v", tb, a, b)
		}
	}
	if !reflect.DeepEqual(cat.Describe(), got.Describe()) {
		t.Error("describe differs after load")
	}
	for _, n := range []string{"orders", "sc", "Thrift"} {
		a, b := cat.Table("shop", n), got.Table("shop", n)
		if a.ID != b.ID || a.Comparator.Class() != b.Comparator.Class() || a.KeyValidator.Class() != b.KeyValidator.Class() {
			t.Errorf("%s differs after load", n)
		}
	}
	again, _ := got.MarshalBinary()
	r2 := New(Options{})
	if _, err := r2.Load(again); err != nil || r2.Current().Version() != cat.Version() {
		t.Errorf("second round trip: %v", err)
	}
	if got.FindTable("system_auth", "roles") == nil {
		t.Error("virtual tables lost")
	}
}

func TestOpRoundTrip(t *testing.T) {
	op := Op{CreateTable: &CreateTable{Keyspace: "ks", Name: "t", Columns: cols(t, "k int, m map<text, frozen<list<int>>>"),
		PrimaryKeys: pk([]string{"k"}), Properties: Properties{"comment": {Text: "x"}}}}
	op.Fill(7, func() uuid.UUID { return uuid.MustParse("00000000-0000-1000-8000-000000000001") })
	b, err := op.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back Op
	if err := back.UnmarshalBinary(b); err != nil || !reflect.DeepEqual(op, back) {
		t.Fatalf("round trip %v %+v", err, back)
	}
	s := newCQL(t)
	ch := okc(t)(s.Apply(back))
	if ch.Created[0].ID.String() != "00000000-0000-1000-8000-000000000001" {
		t.Error("ID not kept")
	}
	if _, err := s.Apply(Op{}); !errors.Is(err, ErrEmptyOp) {
		t.Error("empty op")
	}
	drop := Op{AlterTable: &AlterTable{Kind: AlterDrop}}
	drop.Fill(99, nil)
	if drop.AlterTable.Timestamp != 99 {
		t.Error("drop time not filled")
	}
}

func TestParseRawType(t *testing.T) {
	for in, want := range map[string]string{
		"int": "int", "frozen<map<text, list<int>>>": "frozen<map<text, list<int>>>", "ks.Addr": "ks.addr",
		`"Addr"`: "Addr", "tuple<int,text>": "tuple<int, text>", "'org.apache.cassandra.db.marshal.LexicalUUIDType'": "'org.apache.cassandra.db.marshal.LexicalUUIDType'",
	} {
		r, err := ParseRawType(in)
		if err != nil || r.String() != want {
			t.Errorf("ParseRawType(%q) = %q, %v; want %q", in, r, err, want)
		}
	}
	for _, bad := range []string{"", "list<", "map<int,>", "'x"} {
		if _, err := ParseRawType(bad); err == nil {
			t.Errorf("ParseRawType(%q) accepted", bad)
		}
	}
	_, err := prepareType(Frozen(Native("int")), "ks", nil)
	wantErr(t, err, CodeSyntax, "frozen<> is only allowed on collections, tuples, and user-defined types (got int)")
	_, err = prepareType(SetOf(Native("duration")), "ks", nil)
	wantErr(t, err, CodeInvalid, "Durations are not allowed inside sets: set<duration>")
	_, err = prepareType(MapOf(Native("duration"), Native("int")), "ks", nil)
	wantErr(t, err, CodeInvalid, "Durations are not allowed as map keys: map<duration, int>")
	_, err = prepareType(RawType{Name: "a", Keyspace: "other"}, "ks", nil)
	wantErr(t, err, CodeInvalid, "Statement on keyspace ks cannot refer to a user type in keyspace other; user types can only be used in the keyspace they are defined in")
}
