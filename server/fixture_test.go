package server_test

import (
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// The schema of Cassandra's Thrift system tests (dtest thrift_test.py
// define_schema), which most conformance tests run against.
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

// dtestClient starts a server (ByteOrderedPartitioner unless cfg says otherwise, as
// Cassandra's Thrift tests run), defines the dtest schema and returns a
// client using Keyspace1.
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

func strp(s string) *string { return &s }
func i32p(n int32) *int32   { return &n }
func i64p(n int64) *int64   { return &n }

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

const ONE = tg.ConsistencyLevel_ONE

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

func mustNFE(t testing.TB, err error) {
	t.Helper()
	var e *tg.NotFoundException
	if !errors.As(err, &e) {
		t.Fatalf("want NotFoundException, got %v (%T)", err, err)
	}
}

func mustUE(t testing.TB, err error) {
	t.Helper()
	var e *tg.UnavailableException
	if !errors.As(err, &e) {
		t.Fatalf("want UnavailableException, got %v (%T)", err, err)
	}
}

// clockStart is where every test clock starts: a fixed instant, so that
// times compare equal across a server and its restart.
var clockStart = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

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
