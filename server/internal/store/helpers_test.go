package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/internal/testclock"
	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

// Small comparators standing in for codec's, so these tests pin the store's
// behaviour independently of codec.

// bytesType orders unsigned bytewise (BytesType/UTF8Type/AsciiType).
type bytesType struct{}

func (bytesType) Class() string                                  { return "org.apache.cassandra.db.marshal.BytesType" }
func (bytesType) Pack(v any) ([]byte, error)                     { return toBytes(v), nil }
func (bytesType) PackBound(v any, _ codec.Bound) ([]byte, error) { return toBytes(v), nil }
func (bytesType) Unpack(b []byte) (any, error)                   { return b, nil }
func (bytesType) Compare(a, b []byte) int                        { return bytes.Compare(a, b) }
func (bytesType) Validate([]byte) error                          { return nil }

func toBytes(v any) []byte {
	switch x := v.(type) {
	case string:
		return []byte(x)
	case []byte:
		return x
	}
	return []byte(fmt.Sprint(v))
}

// longType orders 8-byte big-endian signed integers (LongType).
type longType struct{}

func (longType) Class() string { return "org.apache.cassandra.db.marshal.LongType" }
func (longType) Pack(v any) ([]byte, error) {
	return binary.BigEndian.AppendUint64(nil, uint64(v.(int64))), nil
}
func (t longType) PackBound(v any, _ codec.Bound) ([]byte, error) { return t.Pack(v) }
func (longType) Unpack(b []byte) (any, error)                     { return int64(binary.BigEndian.Uint64(b)), nil }
func (longType) Compare(a, b []byte) int {
	if len(a) == 0 || len(b) == 0 {
		return len(a) - len(b)
	}
	x, y := int64(binary.BigEndian.Uint64(a)), int64(binary.BigEndian.Uint64(b))
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}
func (longType) Validate([]byte) error { return nil }

func long(v int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(v)) }

// compType is CompositeType(BytesType, BytesType...): components are a
// 2-byte length, the bytes, and an end-of-component byte compared signed.
type compType struct{}

func (compType) Class() string                                  { return "CompositeType(BytesType,BytesType)" }
func (compType) Pack(v any) ([]byte, error)                     { return nil, nil }
func (compType) PackBound(v any, _ codec.Bound) ([]byte, error) { return nil, nil }
func (compType) Unpack(b []byte) (any, error)                   { return b, nil }
func (compType) Validate([]byte) error                          { return nil }
func (compType) Compare(a, b []byte) int {
	for len(a) > 0 && len(b) > 0 {
		if len(a) < 3 || len(b) < 3 {
			return bytes.Compare(a, b)
		}
		la, lb := int(binary.BigEndian.Uint16(a)), int(binary.BigEndian.Uint16(b))
		if len(a) < 3+la || len(b) < 3+lb {
			return bytes.Compare(a, b)
		}
		if c := bytes.Compare(a[2:2+la], b[2:2+lb]); c != 0 {
			return c
		}
		ea, eb := int8(a[2+la]), int8(b[2+lb])
		if ea != eb {
			if ea < eb {
				return -1
			}
			return 1
		}
		a, b = a[3+la:], b[3+lb:]
	}
	return len(a) - len(b)
}

// comp encodes components; the EOC of the last one is eoc.
func comp(eoc int8, parts ...string) []byte {
	var out []byte
	for i, p := range parts {
		out = binary.BigEndian.AppendUint16(out, uint16(len(p)))
		out = append(out, p...)
		if i == len(parts)-1 {
			out = append(out, byte(eoc))
		} else {
			out = append(out, 0)
		}
	}
	return out
}

// tableOpt tweaks a test table definition.
type tableOpt func(*schema.Table)

func superCF(t *schema.Table)   { t.Super = true; t.SubComparator = bytesType{} }
func counterCF(t *schema.Table) { t.Counter = true }
func withComparator(c codec.Type) tableOpt {
	return func(t *schema.Table) { t.Comparator = c }
}
func withIndex(name string, v codec.Type) tableOpt {
	return func(t *schema.Table) {
		t.Columns = append(t.Columns, &schema.Column{Name: []byte(name), Validator: v,
			Index: &schema.Index{Name: "idx_" + name, Type: thriftgen.IndexType_KEYS}})
	}
}
func withColumn(name string, v codec.Type) tableOpt {
	return func(t *schema.Table) {
		t.Columns = append(t.Columns, &schema.Column{Name: []byte(name), Validator: v})
	}
}
func withGrace(s int32) tableOpt { return func(t *schema.Table) { t.GCGraceSeconds = s } }

func newTestTable(opts ...tableOpt) *schema.Table {
	t := &schema.Table{
		Keyspace: "ks", Name: "cf", ID: uuid.New(),
		Comparator: bytesType{}, KeyValidator: bytesType{}, DefaultValidator: bytesType{},
		GCGraceSeconds: 864000,
	}
	for _, o := range opts {
		o(t)
	}
	return t
}

// env is one store with one table and a fake clock.
type env struct {
	t     testing.TB
	st    *Store
	tbl   *schema.Table
	clock *testclock.Clock
}

func newEnv(t testing.TB, p partitioner.Partitioner, opts ...tableOpt) *env {
	t.Helper()
	if p == nil {
		p = partitioner.ByteOrderedPartitioner{}
	}
	c := testclock.New()
	st := New(p, Options{Clock: c})
	tbl := newTestTable(opts...)
	st.CreateTable(tbl)
	return &env{t: t, st: st, tbl: tbl, clock: c}
}

func (e *env) apply(key string, ops ...Op) {
	e.t.Helper()
	if err := e.st.Apply(NewRowMutation(e.tbl, []byte(key), ops...)); err != nil {
		e.t.Fatalf("apply: %v", err)
	}
}

func put(name, value string, ts int64) Op {
	return Op{Kind: OpPut, Name: []byte(name), Value: []byte(value), Timestamp: ts}
}
func putTTL(name, value string, ts int64, ttl int32) Op {
	o := put(name, value, ts)
	o.TTL = ttl
	return o
}
func putSub(sc, name, value string, ts int64) Op {
	o := put(name, value, ts)
	o.Super = []byte(sc)
	return o
}
func delCol(name string, ts int64) Op {
	return Op{Kind: OpDeleteColumn, Name: []byte(name), Timestamp: ts}
}
func delRow(ts int64) Op { return Op{Kind: OpDeleteRow, Timestamp: ts} }
func delRange(start, finish string, ts int64) Op {
	return Op{Kind: OpDeleteRange, Start: []byte(start), Finish: []byte(finish), Timestamp: ts}
}
func add(name string, d int64) Op { return Op{Kind: OpAddCounter, Name: []byte(name), Delta: d} }

// all is a predicate over the whole row.
func all() *thriftgen.SlicePredicate {
	return &thriftgen.SlicePredicate{SliceRange: &thriftgen.SliceRange{Count: 1000}}
}
func rng(start, finish string, reversed bool, count int32) *thriftgen.SlicePredicate {
	return &thriftgen.SlicePredicate{SliceRange: &thriftgen.SliceRange{Start: []byte(start), Finish: []byte(finish), Reversed: reversed, Count: count}}
}
func names(ns ...string) *thriftgen.SlicePredicate {
	p := &thriftgen.SlicePredicate{ColumnNames: [][]byte{}}
	for _, n := range ns {
		p.ColumnNames = append(p.ColumnNames, []byte(n))
	}
	return p
}

// render prints results compactly: name=value@ts, name=value@ts/ttl,
// name:counter, sc{...}.
func render(items []*thriftgen.ColumnOrSuperColumn) string {
	var b bytes.Buffer
	for i, it := range items {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(renderOne(it))
	}
	return b.String()
}

func renderOne(it *thriftgen.ColumnOrSuperColumn) string {
	switch {
	case it.Column != nil:
		return renderCol(it.Column)
	case it.CounterColumn != nil:
		return fmt.Sprintf("%s:%d", it.CounterColumn.Name, it.CounterColumn.Value)
	case it.SuperColumn != nil:
		var b bytes.Buffer
		fmt.Fprintf(&b, "%s{", it.SuperColumn.Name)
		for i, c := range it.SuperColumn.Columns {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(renderCol(c))
		}
		b.WriteByte('}')
		return b.String()
	case it.CounterSuperColumn != nil:
		var b bytes.Buffer
		fmt.Fprintf(&b, "%s{", it.CounterSuperColumn.Name)
		for i, c := range it.CounterSuperColumn.Columns {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%s:%d", c.Name, c.Value)
		}
		b.WriteByte('}')
		return b.String()
	}
	return "?"
}

func renderCol(c *thriftgen.Column) string {
	s := fmt.Sprintf("%s=%s@%d", c.Name, c.Value, *c.Timestamp)
	if c.TTL != nil {
		s += fmt.Sprintf("/%d", *c.TTL)
	}
	return s
}

func renderSlices(ks []*thriftgen.KeySlice) string {
	var b bytes.Buffer
	for i, k := range ks {
		if i > 0 {
			b.WriteString(" | ")
		}
		fmt.Fprintf(&b, "%s[%s]", k.Key, render(k.Columns))
	}
	return b.String()
}

func (e *env) slice(key string, pred *thriftgen.SlicePredicate) string {
	e.t.Helper()
	got, err := e.st.GetSlice(e.tbl, []byte(key), nil, pred)
	if err != nil {
		e.t.Fatalf("GetSlice: %v", err)
	}
	return render(got)
}

func (e *env) subSlice(key, sc string, pred *thriftgen.SlicePredicate) string {
	e.t.Helper()
	got, err := e.st.GetSlice(e.tbl, []byte(key), []byte(sc), pred)
	if err != nil {
		e.t.Fatalf("GetSlice: %v", err)
	}
	return render(got)
}
