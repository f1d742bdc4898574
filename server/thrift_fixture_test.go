package server_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// The data the Thrift tests share: the schema of Cassandra's Thrift tests
// (dtest's thrift_test.py), builders for Thrift structs, and assertions on
// what a row holds.

// dtestSchema is the schema of Cassandra's Thrift system tests (dtest's
// thrift_test.py, define_schema), which most Thrift tests run against.
func dtestSchema() []*tg.KsDef {
	cd := func(name []byte, typ string, idx *tg.IndexType, idxName *string) *tg.ColumnDef {
		return &tg.ColumnDef{Name: name, ValidationClass: typ, IndexType: idx, IndexName: idxName}
	}
	keys := tg.IndexTypePtr(tg.IndexType_KEYS)
	u0 := uuidBytes("00000000-0000-1000-0000-000000000000")
	cf := func(ks, name string, f func(*tg.CfDef)) *tg.CfDef {
		d := tg.NewCfDef()
		d.Keyspace, d.Name = ks, name
		if f != nil {
			f(d)
		}
		return d
	}
	ks1 := "Keyspace1"
	k1 := &tg.KsDef{Name: ks1, StrategyClass: "org.apache.cassandra.locator.SimpleStrategy",
		StrategyOptions: map[string]string{"replication_factor": "1"}, CfDefs: []*tg.CfDef{
			cf(ks1, "Standard1", nil),
			cf(ks1, "Standard2", nil),
			cf(ks1, "Standard3", func(d *tg.CfDef) {
				d.ColumnMetadata = []*tg.ColumnDef{cd([]byte("c1"), "AsciiType", nil, nil), cd([]byte("c2"), "AsciiType", nil, nil)}
			}),
			cf(ks1, "Standard4", func(d *tg.CfDef) {
				d.ColumnMetadata = []*tg.ColumnDef{cd([]byte("c1"), "AsciiType", nil, nil)}
			}),
			cf(ks1, "StandardLong1", func(d *tg.CfDef) { d.ComparatorType = "LongType" }),
			cf(ks1, "StandardInteger1", func(d *tg.CfDef) { d.ComparatorType = "IntegerType" }),
			cf(ks1, "StandardComposite", func(d *tg.CfDef) { d.ComparatorType = "CompositeType(AsciiType, AsciiType)" }),
			cf(ks1, "Super1", func(d *tg.CfDef) { d.ColumnType = "Super"; d.SubcomparatorType = strp("LongType") }),
			cf(ks1, "Super2", func(d *tg.CfDef) { d.ColumnType = "Super"; d.SubcomparatorType = strp("LongType") }),
			cf(ks1, "Super3", func(d *tg.CfDef) {
				d.ColumnType = "Super"
				d.ComparatorType = "LongType"
				d.SubcomparatorType = strp("UTF8Type")
			}),
			cf(ks1, "Counter1", func(d *tg.CfDef) { d.DefaultValidationClass = strp("CounterColumnType") }),
			cf(ks1, "SuperCounter1", func(d *tg.CfDef) {
				d.ColumnType = "Super"
				d.DefaultValidationClass = strp("CounterColumnType")
			}),
			cf(ks1, "Indexed1", func(d *tg.CfDef) {
				d.ColumnMetadata = []*tg.ColumnDef{cd([]byte("birthdate"), "LongType", keys, strp("birthdate_index"))}
			}),
			cf(ks1, "Indexed2", func(d *tg.CfDef) {
				d.ComparatorType = "TimeUUIDType"
				d.ColumnMetadata = []*tg.ColumnDef{cd(u0, "LongType", keys, nil)}
			}),
			cf(ks1, "Indexed3", func(d *tg.CfDef) {
				d.ComparatorType = "TimeUUIDType"
				d.ColumnMetadata = []*tg.ColumnDef{cd(u0, "UTF8Type", keys, nil)}
			}),
			cf(ks1, "Indexed4", func(d *tg.CfDef) {
				d.ColumnMetadata = []*tg.ColumnDef{cd([]byte("a"), "LongType", keys, strp("a_index")), cd([]byte("z"), "UTF8Type", nil, nil)}
			}),
			cf(ks1, "Expiring", func(d *tg.CfDef) { d.DefaultTimeToLive = i32p(2) }),
		}, DurableWrites: true}
	ks2 := "Keyspace2"
	k2 := &tg.KsDef{Name: ks2, StrategyClass: "org.apache.cassandra.locator.SimpleStrategy",
		StrategyOptions: map[string]string{"replication_factor": "1"}, CfDefs: []*tg.CfDef{
			cf(ks2, "Standard1", nil),
			cf(ks2, "Standard3", nil),
			cf(ks2, "Super3", func(d *tg.CfDef) { d.ColumnType = "Super"; d.SubcomparatorType = strp("BytesType") }),
			cf(ks2, "Super4", func(d *tg.CfDef) { d.ColumnType = "Super"; d.SubcomparatorType = strp("TimeUUIDType") }),
		}, DurableWrites: true}
	return []*tg.KsDef{k1, k2}
}

// dtestClient starts a server (ByteOrderedPartitioner unless cfg says
// otherwise, as Cassandra's Thrift tests run), defines dtestSchema and
// returns a client using Keyspace1.
func dtestClient(t testing.TB, cfg server.Config) *client {
	t.Helper()
	if cfg.Partitioner == "" {
		cfg.Partitioner = "ByteOrderedPartitioner"
	}
	c, _ := startAndDial(t, cfg)
	for _, ks := range dtestSchema() {
		if _, err := c.SystemAddKeyspace(ctx, ks); err != nil {
			t.Fatalf("define schema %s: %v", ks.Name, err)
		}
	}
	must(t, c.SetKeyspace(ctx, "Keyspace1"))
	return c
}

// clockStart is where every test clock starts: a fixed instant, so that
// times compare equal across a server and its restart.
var clockStart = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

const ONE = tg.ConsistencyLevel_ONE

func strp(s string) *string { return &s }

func i32p(n int32) *int32 { return &n }

func i64p(n int64) *int64 { return &n }

func longBytes(n int64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n))
	return b[:]
}

func uuidBytes(s string) []byte {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			continue
		}
		var v byte
		for _, ch := range s[i : i+2] {
			v <<= 4
			switch {
			case ch >= '0' && ch <= '9':
				v |= byte(ch - '0')
			case ch >= 'a' && ch <= 'f':
				v |= byte(ch - 'a' + 10)
			}
		}
		out = append(out, v)
		i++
	}
	return out
}

// compositeName encodes a CompositeType name whose last component carries eoc
// (the others carry 0).
func compositeName(eoc byte, parts ...string) []byte {
	var out []byte
	for i, p := range parts {
		out = append(out, byte(len(p)>>8), byte(len(p)))
		out = append(out, p...)
		if i == len(parts)-1 {
			out = append(out, eoc)
		} else {
			out = append(out, 0)
		}
	}
	return out
}

func col(name, value string, ts int64) *tg.Column {
	return &tg.Column{Name: []byte(name), Value: []byte(value), Timestamp: &ts}
}

func bcol(name []byte, value string, ts int64) *tg.Column {
	return &tg.Column{Name: name, Value: []byte(value), Timestamp: &ts}
}

func ttlCol(name, value string, ts int64, ttl int32) *tg.Column {
	c := col(name, value, ts)
	c.TTL = &ttl
	return c
}

func parent(cf string) *tg.ColumnParent { return &tg.ColumnParent{ColumnFamily: cf} }

func superParent(cf string, sc []byte) *tg.ColumnParent {
	return &tg.ColumnParent{ColumnFamily: cf, SuperColumn: sc}
}

func path(cf string, sc, column []byte) *tg.ColumnPath {
	return &tg.ColumnPath{ColumnFamily: cf, SuperColumn: sc, Column: column}
}

func colPath(cf, column string) *tg.ColumnPath {
	return &tg.ColumnPath{ColumnFamily: cf, Column: []byte(column)}
}

func columnRangeBytes(start, finish []byte, reversed bool, count int32) *tg.SlicePredicate {
	if start == nil {
		start = []byte{}
	}
	if finish == nil {
		finish = []byte{}
	}
	return &tg.SlicePredicate{SliceRange: &tg.SliceRange{Start: start, Finish: finish, Reversed: reversed, Count: count}}
}

func columnRange(start, finish string, reversed bool, count int32) *tg.SlicePredicate {
	return columnRangeBytes([]byte(start), []byte(finish), reversed, count)
}

func names(ns ...string) *tg.SlicePredicate {
	p := &tg.SlicePredicate{ColumnNames: [][]byte{}}
	for _, n := range ns {
		p.ColumnNames = append(p.ColumnNames, []byte(n))
	}
	return p
}

func byteNames(ns ...[]byte) *tg.SlicePredicate { return &tg.SlicePredicate{ColumnNames: ns} }

func keyRange(start, end string, count int32) *tg.KeyRange {
	return &tg.KeyRange{StartKey: []byte(start), EndKey: []byte(end), Count: count}
}

func tokenRange(start, end string, count int32) *tg.KeyRange {
	return &tg.KeyRange{StartToken: &start, EndToken: &end, Count: count}
}

func indexClause(start string, count int32, exprs ...*tg.IndexExpression) *tg.IndexClause {
	return &tg.IndexClause{Expressions: exprs, StartKey: []byte(start), Count: count}
}

func eqExpr(name string, v []byte) *tg.IndexExpression {
	return &tg.IndexExpression{ColumnName: []byte(name), Op: tg.IndexOperator_EQ, Value: v}
}

type mutationMap = map[string]map[string][]*tg.Mutation

func mutCol(c *tg.Column) *tg.Mutation {
	return &tg.Mutation{ColumnOrSupercolumn: &tg.ColumnOrSuperColumn{Column: c}}
}

func mutSuper(name []byte, cols ...*tg.Column) *tg.Mutation {
	return &tg.Mutation{ColumnOrSupercolumn: &tg.ColumnOrSuperColumn{SuperColumn: &tg.SuperColumn{Name: name, Columns: cols}}}
}

func mutDel(ts *int64, sc []byte, pred *tg.SlicePredicate) *tg.Mutation {
	return &tg.Mutation{Deletion: &tg.Deletion{Timestamp: ts, SuperColumn: sc, Predicate: pred}}
}

func mutCounter(name string, v int64) *tg.Mutation {
	return &tg.Mutation{ColumnOrSupercolumn: &tg.ColumnOrSuperColumn{CounterColumn: &tg.CounterColumn{Name: []byte(name), Value: v}}}
}

func counterColumn(name string, v int64) *tg.CounterColumn {
	return &tg.CounterColumn{Name: []byte(name), Value: v}
}

func ksDef(name, strategy string, opts map[string]string, cfs ...*tg.CfDef) *tg.KsDef {
	if cfs == nil {
		cfs = []*tg.CfDef{}
	}
	return &tg.KsDef{Name: name, StrategyClass: strategy, StrategyOptions: opts, CfDefs: cfs, DurableWrites: true}
}

func cfDef(ks, name string) *tg.CfDef {
	d := tg.NewCfDef()
	d.Keyspace, d.Name = ks, name
	return d
}

var rf1 = map[string]string{"replication_factor": "1"}

const simple = "org.apache.cassandra.locator.SimpleStrategy"

var simpleColumns = []*tg.Column{col("c1", "value1", 0), col("c2", "value2", 0)}

func superColumns() []*tg.SuperColumn {
	return []*tg.SuperColumn{
		{Name: []byte("sc1"), Columns: []*tg.Column{bcol(longBytes(4), "value4", 0)}},
		{Name: []byte("sc2"), Columns: []*tg.Column{bcol(longBytes(5), "value5", 0), bcol(longBytes(6), "value6", 0)}},
	}
}

func insertSimple(t testing.TB, c *client, keys ...string) {
	t.Helper()
	if len(keys) == 0 {
		keys = []string{"key1"}
	}
	for _, k := range keys {
		c.insert(t, k, parent("Standard1"), col("c1", "value1", 0), col("c2", "value2", 0))
	}
}

func insertSuper(t testing.TB, c *client, key string) {
	t.Helper()
	c.insert(t, key, superParent("Super1", []byte("sc1")), bcol(longBytes(4), "value4", 0))
	c.insert(t, key, superParent("Super1", []byte("sc2")), bcol(longBytes(5), "value5", 0), bcol(longBytes(6), "value6", 0))
}

func (c *client) insert(t testing.TB, key string, p *tg.ColumnParent, cols ...*tg.Column) {
	t.Helper()
	for _, cl := range cols {
		must(t, c.Insert(ctx, []byte(key), p, cl, ONE))
	}
}

// bigSlice is dtest's _big_slice: the first 1000 items of a row.
func (c *client) bigSlice(t testing.TB, key string, p *tg.ColumnParent) []*tg.ColumnOrSuperColumn {
	t.Helper()
	res, err := c.GetSlice(ctx, []byte(key), p, columnRange("", "", false, 1000), ONE)
	must(t, err)
	return res
}

// columns strips COSCs to their columns.
func columns(t testing.TB, res []*tg.ColumnOrSuperColumn) []*tg.Column {
	t.Helper()
	out := make([]*tg.Column, len(res))
	for i, r := range res {
		if r.Column == nil {
			t.Fatalf("item %d is not a column: %v", i, r)
		}
		out[i] = r.Column
	}
	return out
}

func colNames(t testing.TB, res []*tg.ColumnOrSuperColumn) []string {
	t.Helper()
	out := make([]string, len(res))
	for i, r := range res {
		switch {
		case r.Column != nil:
			out[i] = string(r.Column.Name)
		case r.SuperColumn != nil:
			out[i] = string(r.SuperColumn.Name)
		case r.CounterColumn != nil:
			out[i] = string(r.CounterColumn.Name)
		case r.CounterSuperColumn != nil:
			out[i] = string(r.CounterSuperColumn.Name)
		}
	}
	return out
}

func rowKeys(rows []*tg.KeySlice) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = string(r.Key)
	}
	return out
}

func indexedKeys(t testing.TB, c *client, cf string, clause *tg.IndexClause) []string {
	t.Helper()
	rows, err := c.GetIndexedSlices(ctx, parent(cf), clause, columnRange("", "", false, 100), ONE)
	must(t, err)
	return rowKeys(rows)
}

func rangeKeys(t testing.TB, c *client, cf string, kr *tg.KeyRange) []string {
	t.Helper()
	rows, err := c.GetRangeSlices(ctx, parent(cf), names("-a"), kr, ONE)
	must(t, err)
	return rowKeys(rows)
}

func counterValue(t testing.TB, c *client, key string, p *tg.ColumnPath) int64 {
	t.Helper()
	got, err := c.Get(ctx, []byte(key), p, ONE)
	must(t, err)
	if got.CounterColumn == nil {
		t.Fatalf("not a counter: %v", got)
	}
	if got.Column != nil {
		t.Fatalf("counter read also set column: %v", got)
	}
	return got.CounterColumn.Value
}

func getColumn(t *testing.T, c *client, key string, p *tg.ColumnPath) *tg.Column {
	t.Helper()
	got, err := c.Get(ctx, []byte(key), p, ONE)
	must(t, err)
	if got.Column == nil {
		t.Fatalf("get %v: not a column: %v", p, got)
	}
	return got.Column
}

func findCf(t testing.TB, ks *tg.KsDef, name string) *tg.CfDef {
	t.Helper()
	for _, cf := range ks.CfDefs {
		if cf.Name == name {
			return cf
		}
	}
	return nil
}

func describeCf(t *testing.T, c *client, ks, cf string) *tg.CfDef {
	t.Helper()
	k, err := c.DescribeKeyspace(ctx, ks)
	must(t, err)
	d := findCf(t, k, cf)
	if d == nil {
		t.Fatalf("%s.%s not described", ks, cf)
	}
	return d
}

func verifySimple(t testing.TB, c *client) {
	t.Helper()
	got, err := c.Get(ctx, []byte("key1"), colPath("Standard1", "c1"), ONE)
	must(t, err)
	mustEqualColumn(t, got.Column, col("c1", "value1", 0))
	mustEqualColumns(t, columns(t, c.bigSlice(t, "key1", parent("Standard1"))), simpleColumns)
}

func verifySuper(t testing.TB, c *client, cf string) {
	t.Helper()
	got, err := c.Get(ctx, []byte("key1"), path(cf, []byte("sc1"), longBytes(4)), ONE)
	must(t, err)
	mustEqualColumn(t, got.Column, bcol(longBytes(4), "value4", 0))
	res := c.bigSlice(t, "key1", parent(cf))
	want := superColumns()
	if len(res) != len(want) {
		t.Fatalf("super slice: %v", res)
	}
	for i := range want {
		if res[i].SuperColumn == nil || !bytes.Equal(res[i].SuperColumn.Name, want[i].Name) {
			t.Fatalf("super slice item %d: %v", i, res[i])
		}
		mustEqualColumns(t, res[i].SuperColumn.Columns, want[i].Columns)
	}
}

func mustEqualColumn(t testing.TB, got, want *tg.Column) {
	t.Helper()
	if got == nil || !bytes.Equal(got.Name, want.Name) || !bytes.Equal(got.Value, want.Value) ||
		got.GetTimestamp() != want.GetTimestamp() || got.IsSetTTL() != want.IsSetTTL() || got.GetTTL() != want.GetTTL() {
		t.Fatalf("column: got %v, want %v", got, want)
	}
}

func mustEqualColumns(t testing.TB, got, want []*tg.Column) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("columns: got %v, want %v", got, want)
	}
	for i := range want {
		mustEqualColumn(t, got[i], want[i])
	}
}

func assertColumn(t testing.TB, c *client, cf, key, name, value string, ts int64) {
	t.Helper()
	got, err := c.Get(ctx, []byte(key), colPath(cf, name), ONE)
	if err != nil {
		t.Fatalf("%s/%s/%s: %v", cf, key, name, err)
	}
	mustEqualColumn(t, got.Column, col(name, value, ts))
}

func assertNoPath(t testing.TB, c *client, key string, p *tg.ColumnPath) {
	t.Helper()
	_, err := c.Get(ctx, []byte(key), p, ONE)
	mustNFE(t, err)
}

func assertPath(t testing.TB, c *client, key string, p *tg.ColumnPath) {
	t.Helper()
	if _, err := c.Get(ctx, []byte(key), p, ONE); err != nil {
		t.Fatalf("%s %v: %v", key, p, err)
	}
}

func checkNames(t testing.TB, got []*tg.ColumnOrSuperColumn, want [][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d columns %q, want %q", len(got), colNames(t, got), want)
	}
	for i := range want {
		if string(got[i].Column.Name) != string(want[i]) {
			t.Fatalf("column %d: got %q, want %q", i, got[i].Column.Name, want[i])
		}
	}
}

// errCase is one request and the error it must produce: an IRE message,
// "UE" for UnavailableException, or "" for success.
type errCase struct {
	name string
	call func() error
	want string
}

func runErrCases(t *testing.T, cases []errCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			switch tc.want {
			case "":
				must(t, err)
			case "UE":
				mustUE(t, err)
			default:
				mustIRE(t, err, tc.want)
			}
		})
	}
}

// passwordAuth is a test Authenticator that requires a login.
type passwordAuth struct{}

func (passwordAuth) RequireAuthentication() bool { return true }

func (passwordAuth) Authenticate(creds map[string]string) (string, error) {
	u, ok := creds["username"]
	if !ok {
		return "", authErr("Required key 'username' is missing")
	}
	if u != "cassandra" || creds["password"] != "cassandra" {
		return "", authErr("Provided username " + u + " and/or password are incorrect")
	}
	return u, nil
}

type authErr string

func (e authErr) Error() string { return string(e) }

// partialArgs writes an argument struct field by field, so a test can
// leave out what the generated client would always send.
type partialArgs struct {
	write func(p thrift.TProtocol)
}

func (a *partialArgs) Write(ctx context.Context, p thrift.TProtocol) error {
	p.WriteStructBegin(ctx, "args")
	if a.write != nil {
		a.write(p)
	}
	p.WriteFieldStop(ctx)
	return p.WriteStructEnd(ctx)
}

func (a *partialArgs) Read(context.Context, thrift.TProtocol) error { return nil }

func writeBinaryField(p thrift.TProtocol, id int16, v []byte) {
	p.WriteFieldBegin(ctx, "f", thrift.STRING, id)
	p.WriteBinary(ctx, v)
	p.WriteFieldEnd(ctx)
}

func writeI32Field(p thrift.TProtocol, id int16, v int32) {
	p.WriteFieldBegin(ctx, "f", thrift.I32, id)
	p.WriteI32(ctx, v)
	p.WriteFieldEnd(ctx)
}

func writeStructField(p thrift.TProtocol, id int16, s thrift.TStruct) {
	p.WriteFieldBegin(ctx, "f", thrift.STRUCT, id)
	s.Write(ctx, p)
	p.WriteFieldEnd(ctx)
}

func writeColumnList(p thrift.TProtocol, id int16, cols []*tg.Column) {
	p.WriteFieldBegin(ctx, "f", thrift.LIST, id)
	p.WriteListBegin(ctx, thrift.STRUCT, len(cols))
	for _, c := range cols {
		c.Write(ctx, p)
	}
	p.WriteListEnd(ctx)
	p.WriteFieldEnd(ctx)
}
