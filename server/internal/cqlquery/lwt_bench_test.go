package cqlquery

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cassa-go/cassa/codec"
)

// BenchmarkLWTInsert executes, per iteration, one prepared plain INSERT
// and one prepared INSERT ... IF NOT EXISTS on a fresh key (which
// applies), and reports each one's time and their ratio: the cost of a
// lightweight transaction's read, check and restamp under the partition
// lock, without the network.
func BenchmarkLWTInsert(b *testing.B) {
	f := benchFixture(b)
	f.ddl("CREATE TABLE l (k int PRIMARY KEY, v text, w bigint)")
	ctx := context.Background()
	plain, _ := f.prepare("INSERT INTO t (k, v, w) VALUES (?, ?, ?)")
	lwt, _ := f.prepare("INSERT INTO l (k, v, w) VALUES (?, ?, ?) IF NOT EXISTS")
	vals := []Value{{}, {Bytes: []byte("hello")}, {Bytes: codec.AppendLong(nil, 7)}}
	o := Options{Values: vals, Consistency: clOne, SerialConsistency: clSerial}
	var tPlain, tLWT time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		vals[0].Bytes = codec.AppendInt32(vals[0].Bytes[:0], int32(i))
		start := time.Now()
		if _, err := plain.Execute(ctx, f.env, o); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		r, err := lwt.Execute(ctx, f.env, o)
		if err != nil || len(r.Rows) != 1 || r.Rows[0][0][0] != 1 {
			b.Fatalf("%v %v", r, err)
		}
		tPlain, tLWT = tPlain+mid.Sub(start), tLWT+time.Since(mid)
	}
	b.ReportMetric(float64(tPlain.Nanoseconds())/float64(b.N), "insert-ns/op")
	b.ReportMetric(float64(tLWT.Nanoseconds())/float64(b.N), "lwt-ns/op")
	b.ReportMetric(float64(tPlain)/float64(tLWT), "lwt-rate/insert-rate")
}

// BenchmarkIndexQuery reads the 10 rows of one value from a table of
// 10^5 rows (1000 partitions of 100), through the secondary index and by
// an ALLOW FILTERING scan of the same data without index.
func BenchmarkIndexQuery(b *testing.B) {
	f := newFixture(b)
	f.ddl("CREATE TABLE t (k int, c int, v int, PRIMARY KEY (k, c))")
	f.ddl("CREATE TABLE o (k int, c int, v int, PRIMARY KEY (k, c))")
	f.ddl("CREATE INDEX ON t (v)")
	ctx := context.Background()
	for _, tbl := range []string{"t", "o"} {
		ins, _ := f.prepare("INSERT INTO " + tbl + " (k, c, v) VALUES (?, ?, ?)")
		vals := make([]Value, 3)
		for k := 0; k < 1000; k++ {
			for c := 0; c < 100; c++ {
				vals[0].Bytes = codec.AppendInt32(nil, int32(k))
				vals[1].Bytes = codec.AppendInt32(nil, int32(c))
				vals[2].Bytes = codec.AppendInt32(nil, int32((k*100+c)%10000))
				if _, err := ins.Execute(ctx, f.env, Options{Values: vals, Consistency: clOne}); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	for _, c := range []struct{ name, cql string }{
		{"index", "SELECT k, c FROM t WHERE v = ?"},
		{"scan", "SELECT k, c FROM o WHERE v = ? ALLOW FILTERING"},
	} {
		b.Run(c.name, func(b *testing.B) {
			s, err := f.prepare(c.cql)
			if err != nil {
				b.Fatal(err)
			}
			vals := []Value{{}}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				vals[0].Bytes = codec.AppendInt32(vals[0].Bytes[:0], int32(i%10000))
				r, err := s.Execute(ctx, f.env, Options{Values: vals, Consistency: clOne, PageSize: 5000})
				if err != nil || len(r.Rows) != 10 {
					b.Fatal(fmt.Sprint(len(r.Rows)), err)
				}
			}
		})
	}
}
