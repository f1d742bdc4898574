package cqlquery

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/internal/testclock"
	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
)

// fixture is a catalog, a store and an Env over them, with keyspace ks.
type fixture struct {
	t      testing.TB
	schema *schema.Schema
	store  *store.Store
	env    *Env
	clock  *testclock.Clock
	writes atomic.Int64
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureWith(t, partitioner.Murmur3Partitioner{})
}

func newFixtureWith(t testing.TB, p partitioner.Partitioner) *fixture {
	t.Helper()
	clock := testclock.New()
	st := store.New(p, store.Options{Clock: clock})
	f := &fixture{t: t, store: st, clock: clock}
	f.schema = schema.New(schema.Options{Apply: func(ch *schema.Change) error {
		for _, t := range ch.Dropped {
			st.DropTable(t)
		}
		for _, t := range ch.Created {
			st.CreateTable(t)
		}
		for _, u := range ch.Updated {
			st.UpdateTable(u.Old, u.New)
		}
		return nil
	}})
	f.env = &Env{
		Catalog:     f.schema.Current,
		Store:       st,
		Write:       func(m []store.RowMutation) error { f.writes.Add(1); return st.Apply(m...) },
		Partitioner: p,
		Now:         clock.Now,
	}
	f.ddl("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	return f
}

// ddl runs the schema statements the tests need.
func (f *fixture) ddl(cql string) {
	f.t.Helper()
	p, err := cqlparse.Parse(cql)
	if err != nil {
		f.t.Fatalf("%s: %v", cql, err)
	}
	props := func(ps []cqlparse.Property) schema.Properties {
		out := schema.Properties{}
		for _, p := range ps {
			if p.IsMap {
				m := map[string]string{}
				for _, e := range p.Map {
					m[e.Key] = e.Value
				}
				out[p.Name.Name] = schema.Property{Map: m}
			} else {
				out[p.Name.Name] = schema.Property{Text: p.Value}
			}
		}
		return out
	}
	ks := func(q cqlparse.QualifiedName) string {
		if q.Keyspace.Name != "" {
			return q.Keyspace.Name
		}
		return "ks"
	}
	switch st := p.Statement.(type) {
	case *cqlparse.CreateKeyspaceStmt:
		_, err = f.schema.CreateKeyspace(schema.CreateKeyspace{Name: st.Keyspace.Name, Properties: props(st.Properties)})
	case *cqlparse.CreateTableStmt:
		ct := schema.CreateTable{Keyspace: ks(st.Table), Name: st.Table.Name.Name, CompactStorage: st.Options.CompactStorage,
			Properties: props(st.Options.Properties)}
		for _, c := range st.Columns {
			raw, err := schema.ParseRawType(cqlparse.FormatType(c.Type))
			if err != nil {
				f.t.Fatal(err)
			}
			ct.Columns = append(ct.Columns, schema.ColumnSpec{Name: c.Name.Name, Type: raw, Static: c.Static})
		}
		for i, pk := range st.PartitionKeys {
			k := schema.PrimaryKey{}
			for _, id := range pk {
				k.Partition = append(k.Partition, id.Name)
			}
			if i == 0 {
				for _, id := range st.ClusteringColumns {
					k.Clustering = append(k.Clustering, id.Name)
				}
			}
			ct.PrimaryKeys = append(ct.PrimaryKeys, k)
		}
		for _, o := range st.Options.ClusteringOrder {
			ct.ClusteringOrder = append(ct.ClusteringOrder, schema.ClusteringOrderSpec{Column: o.Column.Name, Desc: o.Desc})
		}
		_, err = f.schema.CreateTable(ct)
	case *cqlparse.CreateIndexStmt:
		ci := schema.CreateIndex{Keyspace: ks(st.Table), Table: st.Table.Name.Name, Name: st.Name.Name}
		for _, tg := range st.Targets {
			kind := map[cqlparse.IndexTargetKind]string{cqlparse.IndexSimple: "", cqlparse.IndexKeys: "keys",
				cqlparse.IndexValues: "values", cqlparse.IndexEntries: "entries", cqlparse.IndexFull: "full"}[tg.Kind]
			ci.Targets = append(ci.Targets, schema.IndexTargetSpec{Column: tg.Column.Name, Type: kind})
		}
		_, err = f.schema.CreateIndex(ci)
	case *cqlparse.DropTableStmt:
		_, err = f.schema.DropTableCQL(schema.DropTable{Keyspace: ks(st.Table), Name: st.Table.Name.Name})
	case *cqlparse.AlterTableStmt:
		at := schema.AlterTable{Keyspace: ks(st.Table), Name: st.Table.Name.Name}
		switch st.Kind {
		case cqlparse.AlterTableAdd:
			at.Kind = schema.AlterAdd
			for _, c := range st.Columns {
				raw, _ := schema.ParseRawType(cqlparse.FormatType(c.Type))
				at.Add = append(at.Add, schema.ColumnSpec{Name: c.Name.Name, Type: raw, Static: c.Static})
			}
		case cqlparse.AlterTableDrop:
			at.Kind = schema.AlterDrop
			for _, c := range st.Columns {
				at.Drop = append(at.Drop, c.Name.Name)
			}
			at.Timestamp = f.clock.Now().UnixMicro()
		case cqlparse.AlterTableWith:
			at.Kind = schema.AlterOptions
			at.Properties = props(st.Properties)
		}
		_, err = f.schema.AlterTable(at)
	default:
		f.t.Fatalf("ddl: unsupported %T", st)
	}
	if err != nil {
		f.t.Fatalf("%s: %v", cql, err)
	}
}

// unset is an unset bound value.
var unset = Value{Unset: true}

// values converts test arguments: []byte, nil (null), Value, or Go values
// packed with the marker's type.
func values(t testing.TB, s *Statement, args []any) []Value {
	t.Helper()
	out := make([]Value, len(args))
	for i, a := range args {
		switch x := a.(type) {
		case nil:
			out[i] = Value{}
		case Value:
			out[i] = x
		case []byte:
			out[i] = Value{Bytes: x}
		default:
			if i >= len(s.BindColumns) {
				t.Fatalf("value %d: no marker", i)
			}
			b, err := pack(s.BindColumns[i].Type, a)
			if err != nil {
				t.Fatalf("value %d (%v) for %s: %v", i, a, codec.CQLName(s.BindColumns[i].Type), err)
			}
			out[i] = Value{Bytes: b}
		}
	}
	return out
}

// pack encodes a Go value for a CQL type (ints for the integer types,
// strings for text).
func pack(t codec.Type, v any) ([]byte, error) {
	switch base(t) {
	case codec.Int32:
		return codec.AppendInt32(nil, int32(v.(int))), nil
	case codec.Long, codec.CounterColumn:
		return codec.AppendLong(nil, int64(v.(int))), nil
	case codec.UTF8, codec.Ascii:
		return []byte(v.(string)), nil
	}
	return t.Pack(v)
}

func (f *fixture) prepare(cql string) (*Statement, error) {
	p, err := cqlparse.Parse(cql)
	if err != nil {
		return nil, err
	}
	return Prepare(f.env, "ks", p)
}

// run prepares and executes cql at consistency ONE unless o names
// another level (ANY is anyCL).
func (f *fixture) run(o Options, cql string, args ...any) (*Result, error) {
	f.t.Helper()
	s, err := f.prepare(cql)
	if err != nil {
		return nil, err
	}
	o.Values = values(f.t, s, args)
	if o.SerialConsistency == 0 {
		o.SerialConsistency = clSerial
	}
	switch o.Consistency {
	case 0:
		o.Consistency = clOne
	case anyCL:
		o.Consistency = clAny
	}
	return s.Execute(context.Background(), f.env, o)
}

// anyCL asks run for consistency ANY (whose code is 0).
const anyCL = 0xFFFF

// exec runs a statement that must succeed.
func (f *fixture) exec(cql string, args ...any) *Result {
	f.t.Helper()
	r, err := f.run(Options{}, cql, args...)
	if err != nil {
		f.t.Fatalf("%s: %v", cql, err)
	}
	return r
}

// fail runs a statement that must fail with msg (InvalidRequest unless the
// message starts with "code:").
func (f *fixture) fail(msg, cql string, args ...any) {
	f.t.Helper()
	_, err := f.run(Options{}, cql, args...)
	checkErr(f.t, cql, err, CodeInvalid, msg)
}

func checkErr(t testing.TB, cql string, err error, code int, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Errorf("%s: err = %v (%T), want %q", cql, err, err, msg)
		return
	}
	if e.Message != msg || e.Code != code {
		t.Errorf("%s:\n got %#x %q\nwant %#x %q", cql, e.Code, e.Message, code, msg)
	}
}

// format renders a value of type t as cqlsh would, roughly.
func format(t codec.Type, b []byte) string {
	if b == nil {
		return "null"
	}
	switch x := base(t).(type) {
	case *codec.CollectionType:
		kind := layout.List
		open, close := "[", "]"
		switch x.Kind() {
		case codec.SetKind:
			kind, open, close = layout.Set, "{", "}"
		case codec.MapKind:
			kind, open, close = layout.Map, "{", "}"
		}
		elems, err := layout.DecodeCollection(kind, b)
		if err != nil {
			return "<" + err.Error() + ">"
		}
		var parts []string
		for i := 0; i < len(elems); i++ {
			if kind == layout.Map {
				parts = append(parts, quoted(x.Keys(), elems[i])+": "+quoted(x.Elements(), elems[i+1]))
				i++
				continue
			}
			parts = append(parts, quoted(x.Elements(), elems[i]))
		}
		return open + strings.Join(parts, ", ") + close
	}
	if base(t) == codec.CounterColumn {
		return codec.Format(codec.Long, b)
	}
	return codec.Format(t, b)
}

func quoted(t codec.Type, b []byte) string {
	s := format(t, b)
	if base(t) == codec.UTF8 || base(t) == codec.Ascii {
		return "'" + s + "'"
	}
	return s
}

// rows renders a result as "a b c | a b c" lines.
func rows(r *Result) string {
	var lines []string
	for _, row := range r.Rows {
		parts := make([]string, len(row))
		for i, v := range row {
			parts[i] = format(r.Columns[i].Type, v)
		}
		lines = append(lines, strings.Join(parts, " "))
	}
	return strings.Join(lines, " | ")
}

// query runs a SELECT and renders its rows.
func (f *fixture) query(cql string, args ...any) string {
	f.t.Helper()
	return rows(f.exec(cql, args...))
}

func (f *fixture) expect(want, cql string, args ...any) {
	f.t.Helper()
	if got := f.query(cql, args...); got != want {
		f.t.Errorf("%s\n got %q\nwant %q", cql, got, want)
	}
}

var _ = fmt.Sprint

func asError(err error, e **Error) bool { return errors.As(err, e) }

func ctxb() context.Context { return context.Background() }
