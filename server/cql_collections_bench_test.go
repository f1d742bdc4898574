package server_test

import (
	"testing"
	"time"
)

// BenchmarkCQLCollectionUpdates sends collection updates (append to a
// list, add to a set, put into a map) and a plain single-column INSERT
// through gocql over TCP, in the same run, and reports each one's cost
// and its ratio to the plain insert. serial sends one statement at a
// time, interleaved, with gocql's write coalescing off (its wait would
// hide the server's time); parallel64 sends each kind 64 at a time, in
// rotating rounds, as BenchmarkCQLLWTInsert does, and reports rates.
func BenchmarkCQLCollectionUpdates(b *testing.B) {
	srv, base := typesSession(b)
	mustExec(b, base, "CREATE TABLE cb (k int PRIMARY KEY, v int, l list<int>, st set<int>, m map<int, int>)")
	cluster := clusterFor(b, srv)
	cluster.Keyspace = "ks"
	cluster.NumConns = 4
	cluster.WriteCoalesceWaitTime = 0
	s, err := cluster.CreateSession()
	must(b, err)
	b.Cleanup(s.Close)
	type op struct {
		name string
		q    string
		args func(i int) []any
		dur  time.Duration
		rate float64
	}
	ops := []*op{
		{name: "insert", q: "INSERT INTO cb (k, v) VALUES (?, ?)", args: func(i int) []any { return []any{i & 1023, i} }},
		{name: "list_append", q: "UPDATE cb SET l = l + ? WHERE k = ?", args: func(i int) []any { return []any{[]int{i}, i & 1023} }},
		{name: "set_add", q: "UPDATE cb SET st = st + ? WHERE k = ?", args: func(i int) []any { return []any{[]int{i}, i & 1023} }},
		{name: "map_put", q: "UPDATE cb SET m = m + ? WHERE k = ?", args: func(i int) []any { return []any{map[int]int{i: i}, i & 1023} }},
	}
	b.Run("serial", func(b *testing.B) {
		for _, o := range ops { // prepare once before timing
			mustExec(b, s, o.q, o.args(0)...)
			o.dur = 0
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			for n := range ops {
				o := ops[(n+i)%len(ops)] // rotated, so that no kind always comes first
				start := time.Now()
				if err := s.Query(o.q, o.args(i)...).Exec(); err != nil {
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
	})
	b.Run("parallel64", func(b *testing.B) {
		const rounds = 4
		for _, o := range ops {
			o.rate = 0
		}
		b.ResetTimer()
		for r := 0; r < rounds; r++ {
			for n := range ops {
				o := ops[(n+r)%len(ops)]
				rate, err := parallel(64, b.N/rounds+1, func(_ int, i int64) error {
					return s.Query(o.q, o.args(int(i))...).Exec()
				})
				must(b, err)
				o.rate += rate / rounds
			}
		}
		b.StopTimer()
		for _, o := range ops {
			b.ReportMetric(o.rate, o.name+"-ops/s")
			if o.name != "insert" {
				b.ReportMetric(o.rate/ops[0].rate, o.name+"/insert")
			}
		}
	})
}
