package cqlquery

import (
	"context"
	"testing"
	"time"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/layout"
)

// BenchmarkCollectionUpdates executes prepared collection updates (append
// to a list, add to a set, put into a map) and a plain single-column
// INSERT in the same run, interleaved, and reports each one's time and
// its ratio to the plain insert. Keys cycle over 1024 rows, so lists grow
// by b.N/1024 elements.
func BenchmarkCollectionUpdates(b *testing.B) {
	f := newFixture(b)
	f.ddl("CREATE TABLE t (k int PRIMARY KEY, v int, l list<int>, s set<int>, m map<int, int>)")
	ctx := context.Background()
	type op struct {
		name string
		st   *Statement
		val  func(i int) []byte
		dur  time.Duration
	}
	one := func(i int) []byte { return codec.AppendInt32(nil, int32(i)) }
	elems := func(i int) []byte { return layout.AppendCollection(nil, [][]byte{one(i)}) }
	ops := []*op{
		{name: "insert", val: one},
		{name: "list_append", val: elems},
		{name: "set_add", val: elems},
		{name: "map_put", val: func(i int) []byte { return layout.AppendMap(nil, [][]byte{one(i), one(i)}) }},
	}
	for i, q := range []string{"INSERT INTO t (k, v) VALUES (?, ?)", "UPDATE t SET l = l + ? WHERE k = ?",
		"UPDATE t SET s = s + ? WHERE k = ?", "UPDATE t SET m = m + ? WHERE k = ?"} {
		st, err := f.prepare(q)
		if err != nil {
			b.Fatal(err)
		}
		ops[i].st = st
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		key := one(i & 1023)
		for n := range ops {
			// Rotate the order, so that no kind always comes first.
			j := (n + i) % len(ops)
			o := ops[j]
			vals := []Value{{Bytes: o.val(i)}, {Bytes: key}}
			if j == 0 {
				vals[0], vals[1] = vals[1], vals[0]
			}
			start := time.Now()
			if _, err := o.st.Execute(ctx, f.env, Options{Values: vals, Consistency: clOne}); err != nil {
				b.Fatal(err)
			}
			o.dur += time.Since(start)
		}
	}
	b.StopTimer()
	for _, o := range ops {
		b.ReportMetric(float64(o.dur.Nanoseconds())/float64(b.N), o.name+"-ns/op")
		if o.name != "insert" {
			b.ReportMetric(float64(o.dur)/float64(ops[0].dur), o.name+"/insert")
		}
	}
}
