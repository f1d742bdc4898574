package server_test

import (
	"testing"
	"time"
)

// BenchmarkCQLCollectionUpdates sends collection updates (append to a
// list, add to a set, put into a map) and a plain single-column INSERT
// through gocql over TCP, interleaved in the same run, and reports each
// one's time and its ratio to the plain insert.
func BenchmarkCQLCollectionUpdates(b *testing.B) {
	_, s := typesSession(b)
	mustExec(b, s, "CREATE TABLE cb (k int PRIMARY KEY, v int, l list<int>, st set<int>, m map<int, int>)")
	type op struct {
		name string
		q    string
		args func(i int) []any
		dur  time.Duration
	}
	ops := []*op{
		{name: "insert", q: "INSERT INTO cb (k, v) VALUES (?, ?)", args: func(i int) []any { return []any{i & 1023, i} }},
		{name: "list_append", q: "UPDATE cb SET l = l + ? WHERE k = ?", args: func(i int) []any { return []any{[]int{i}, i & 1023} }},
		{name: "set_add", q: "UPDATE cb SET st = st + ? WHERE k = ?", args: func(i int) []any { return []any{[]int{i}, i & 1023} }},
		{name: "map_put", q: "UPDATE cb SET m = m + ? WHERE k = ?", args: func(i int) []any { return []any{map[int]int{i: i}, i & 1023} }},
	}
	for _, o := range ops { // prepare once before timing
		mustExec(b, s, o.q, o.args(0)...)
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
}
