package layout

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/internal/testclock"
	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
	"github.com/google/uuid"
)

func i32(v int32) []byte  { return codec.AppendInt32(nil, v) }
func i64(v int64) []byte  { return codec.AppendLong(nil, v) }
func txt(s string) []byte { return []byte(s) }

// unhex decodes hex with blanks and '|' for readability.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	s = strings.NewReplacer(" ", "", "|", "").Replace(s)
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func mustLayout(t testing.TB, spec Spec) *Layout {
	t.Helper()
	l, err := New(spec)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return l
}

// env is a store with one table laid out by l.
type env struct {
	t     testing.TB
	l     *Layout
	st    *store.Store
	tbl   *schema.Table
	clock *testclock.Clock
	ids   *ListIDs
	ts    int64
}

func newEnv(t testing.TB, l *Layout) *env {
	t.Helper()
	clock := testclock.New()
	st := store.New(partitioner.Murmur3Partitioner{}, store.Options{Clock: clock})
	tbl := &schema.Table{Keyspace: "ks", Name: "t", ID: uuid.New(), Comparator: l.Comparator(),
		SubComparator: l.SubComparator(), KeyValidator: l.KeyType(), DefaultValidator: codec.Bytes,
		GCGraceSeconds: 864000, Super: l.Shape() == Super || l.Shape() == SuperSparse, Counter: l.Counter()}
	st.CreateTable(tbl)
	return &env{t: t, l: l, st: st, tbl: tbl, clock: clock, ids: NewListIDs(clock.Now), ts: 1000}
}

// update runs f on a fresh Update at the next timestamp (or ts when > 0)
// and applies it to partition key.
func (e *env) update(key []byte, ts int64, ttl int32, f func(u *Update) error) {
	e.t.Helper()
	if ts == 0 {
		e.ts++
		ts = e.ts
	}
	u := e.l.NewUpdate(ts, ttl, e.ids)
	if err := f(u); err != nil {
		e.t.Fatalf("update: %v", err)
	}
	if err := e.st.Apply(u.Mutation(e.tbl, key)); err != nil {
		e.t.Fatalf("apply: %v", err)
	}
}

// render formats a row: clustering values then column=value pairs of the
// non-key columns that are set, values rendered by fmtValue.
func (e *env) render(r *Row) string {
	var sb strings.Builder
	if r.Static {
		sb.WriteString("static")
	} else {
		for i, c := range e.l.ck {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(fmtValue(c, r.Values[c.Index]))
		}
	}
	sb.WriteString(":")
	for _, c := range e.l.cols {
		if c.Kind != Regular && c.Kind != Static {
			continue
		}
		if v := r.Values[c.Index]; v.Set {
			fmt.Fprintf(&sb, " %s=%s", c.Name, fmtValue(c, v))
		}
	}
	return sb.String()
}

// fmtValue renders a value with its column's types: ints, text, and
// collections as [..], {..}, {k:v}.
func fmtValue(c *Column, v Value) string {
	if !v.Set {
		return "null"
	}
	if c.Counter {
		x, _ := codec.DecodeLong(v.Bytes)
		return fmt.Sprint(x)
	}
	if c.Collection == UDT {
		fs, err := DecodeFields(v.Bytes, len(c.Fields))
		if err != nil {
			return "!" + err.Error()
		}
		parts := make([]string, len(fs))
		for i, f := range fs {
			parts[i] = "null"
			if f != nil {
				parts[i] = scalar(c.Fields[i], f)
			}
		}
		return "(" + strings.Join(parts, ",") + ")"
	}
	if c.Collection != NotCollection {
		el, err := DecodeCollection(c.Collection, v.Bytes)
		if err != nil {
			return "!" + err.Error()
		}
		var parts []string
		if c.Collection == Map {
			for i := 0; i+1 < len(el); i += 2 {
				parts = append(parts, scalar(c.Elements, el[i])+":"+scalar(c.Values, el[i+1]))
			}
			return "{" + strings.Join(parts, ",") + "}"
		}
		for _, x := range el {
			parts = append(parts, scalar(c.Elements, x))
		}
		if c.Collection == List {
			return "[" + strings.Join(parts, ",") + "]"
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	return scalar(c.Type, v.Bytes)
}

func scalar(t codec.Type, b []byte) string {
	if t == codec.Int32 || t == codec.Long {
		return codec.Format(t, b)
	}
	if bytes.IndexFunc(b, func(r rune) bool { return r < ' ' || r > '~' }) >= 0 {
		return hex.EncodeToString(b)
	}
	return string(b)
}

// read runs q and renders every row (one page when q pages).
func (e *env) read(q Query) ([]string, Result) {
	e.t.Helper()
	var rows []string
	res, err := e.l.Read(e.st, e.tbl, q, func(r *Row) (bool, error) {
		rows = append(rows, e.render(r))
		return true, nil
	})
	if err != nil {
		e.t.Fatalf("Read: %v", err)
	}
	return rows, res
}

// partition renders every row of one partition.
func (e *env) partition(key []byte, sel Selection, reversed bool) string {
	e.t.Helper()
	rows, _ := e.read(Query{Keys: [][]byte{key}, Selection: sel, Reversed: reversed, StaticRows: true})
	return strings.Join(rows, " | ")
}

// cql3Table is the reference example table:
// (k int, c text, v int, s int static, l list<int>, PRIMARY KEY (k, c)).
func cql3Table(t testing.TB) *Layout {
	return mustLayout(t, Spec{Compound: true, Columns: []ColumnSpec{
		{Name: "k", Kind: PartitionKey, Type: codec.Int32},
		{Name: "c", Kind: Clustering, Type: codec.UTF8},
		{Name: "v", Kind: Regular, Type: codec.Int32},
		{Name: "s", Kind: Static, Type: codec.Int32},
		{Name: "l", Kind: Regular, Collection: List, Elements: codec.Int32},
	}})
}

// collTable has a set, a map, a list and a static map.
func collTable(t testing.TB) *Layout {
	return mustLayout(t, Spec{Compound: true, Columns: []ColumnSpec{
		{Name: "k", Kind: PartitionKey, Type: codec.Int32},
		{Name: "c", Kind: Clustering, Type: codec.Int32},
		{Name: "v", Kind: Regular, Type: codec.UTF8},
		{Name: "st", Kind: Regular, Collection: Set, Elements: codec.UTF8},
		{Name: "m", Kind: Regular, Collection: Map, Elements: codec.UTF8, Values: codec.Int32},
		{Name: "l", Kind: Regular, Collection: List, Elements: codec.UTF8},
		{Name: "sm", Kind: Static, Collection: Map, Elements: codec.Int32, Values: codec.UTF8},
		{Name: "ss", Kind: Static, Type: codec.UTF8},
	}})
}

func list(elems ...[]byte) []byte { return AppendCollection(nil, elems) }
func kv(elems ...[]byte) []byte   { return AppendMap(nil, elems) }
func texts(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}
