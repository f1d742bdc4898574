package server_test

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Benchmarks over loopback with the generated client, as an application
// would talk to the server. Run with:
//
//	go test -run '^$' -bench . -benchmem ./server/

func benchClient(b *testing.B) *client {
	b.Helper()
	c, _ := startAndDial(b, server.Config{})
	_, err := c.SystemAddKeyspace(ctx, ksDef("Bench", simple, rf1, cfDef("Bench", "cf")))
	must(b, err)
	must(b, c.SetKeyspace(ctx, "Bench"))
	return c
}

func BenchmarkInsert(b *testing.B) {
	c := benchClient(b)
	p := parent("cf")
	key := []byte("row")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ts := int64(i)
		if err := c.Insert(ctx, key, p, &tg.Column{Name: []byte(fmt.Sprint("c", i%1000)), Value: []byte("value"), Timestamp: &ts}, ONE); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetSlice(b *testing.B) {
	c := benchClient(b)
	for i := 0; i < 10; i++ {
		c.insert(b, "row", parent("cf"), col(fmt.Sprint("c", i), "value", 1))
	}
	pred := columnRange("", "", false, 100)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := c.GetSlice(ctx, []byte("row"), parent("cf"), pred, ONE)
		if err != nil || len(res) != 10 {
			b.Fatal(err, len(res))
		}
	}
}

func BenchmarkBatchMutate100Columns(b *testing.B) {
	c := benchClient(b)
	ms := make([]*tg.Mutation, 100)
	for i := range ms {
		ms[i] = mutCol(col(fmt.Sprintf("c%03d", i), "value-value-value", 1))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := c.BatchMutate(ctx, mutationMap{fmt.Sprint("row", i%1000): {"cf": ms}}, ONE); err != nil {
			b.Fatal(err)
		}
	}
}

func fillRows(tb testing.TB, c *client, n int) {
	tb.Helper()
	const perBatch = 500
	for start := 0; start < n; start += perBatch {
		m := mutationMap{}
		for i := start; i < start+perBatch && i < n; i++ {
			m[fmt.Sprintf("key%07d", i)] = map[string][]*tg.Mutation{"cf": {mutCol(col("a", "1", 1)), mutCol(col("b", "2", 1))}}
		}
		must(tb, c.BatchMutate(ctx, m, ONE))
	}
}

func BenchmarkGetRangeSlices1000Rows(b *testing.B) {
	c := benchClient(b)
	fillRows(b, c, 1000)
	pred := columnRange("", "", false, 10)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows, err := c.GetRangeSlices(ctx, parent("cf"), pred, keyRange("", "", 1000), ONE)
		if err != nil || len(rows) != 1000 {
			b.Fatal(err, len(rows))
		}
	}
}

// BenchmarkRangePage reads one 100-row page from tables of different
// sizes: allocations per page must not grow with the table.
func BenchmarkRangePage(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprint("rows=", n), func(b *testing.B) {
			c := benchClient(b)
			fillRows(b, c, n)
			pred := columnRange("", "", false, 10)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rows, err := c.GetRangeSlices(ctx, parent("cf"), pred, keyRange("", "", 100), ONE)
				if err != nil || len(rows) != 100 {
					b.Fatal(err, len(rows))
				}
			}
		})
	}
}

// throughput runs op from conns connections until b.N operations are done
// in total and reports operations per second.
func throughput(b *testing.B, conns int, setup func(c *client), op func(c *client, i int64) error) {
	base := benchClient(b)
	setup(base)
	clients := make([]*client, conns)
	for i := range clients {
		clients[i] = dial(b, base.addr)
		must(b, clients[i].SetKeyspace(ctx, "Bench"))
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for _, c := range clients {
		wg.Add(1)
		go func(c *client) {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				if err := op(c, i); err != nil {
					errs <- err
					return
				}
			}
		}(c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "ops/s")
}

func BenchmarkThroughputInsert16Conns(b *testing.B) {
	p := parent("cf")
	throughput(b, 16, func(*client) {}, func(c *client, i int64) error {
		return c.Insert(ctx, []byte(fmt.Sprint("row", i%4096)), p, &tg.Column{Name: []byte("c"), Value: []byte("value"), Timestamp: &i}, ONE)
	})
}

func BenchmarkThroughputGetSlice16Conns(b *testing.B) {
	p := parent("cf")
	pred := columnRange("", "", false, 100)
	throughput(b, 16, func(c *client) {
		for i := 0; i < 4096; i++ {
			c.insert(b, fmt.Sprint("row", i), p, col("c", "value", 1))
		}
	}, func(c *client, i int64) error {
		res, err := c.GetSlice(ctx, []byte(fmt.Sprint("row", i%4096)), p, pred, ONE)
		if err == nil && len(res) != 1 {
			err = fmt.Errorf("row%d: %d columns", i%4096, len(res))
		}
		return err
	})
}

// TestRangePageMemoryIsPerPage checks that reading a 100-row page costs
// about the same number of allocations whatever the table size (counted
// over the whole process, server included).
func TestRangePageMemoryIsPerPage(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a 50k-row table")
	}
	allocs := func(n int) float64 {
		c, _ := startAndDial(t, server.Config{})
		_, err := c.SystemAddKeyspace(ctx, ksDef("Bench", simple, rf1, cfDef("Bench", "cf")))
		must(t, err)
		must(t, c.SetKeyspace(ctx, "Bench"))
		fillRows(t, c, n)
		pred := columnRange("", "", false, 10)
		read := func() {
			rows, err := c.GetRangeSlices(ctx, parent("cf"), pred, keyRange("key0000500", "", 100), ONE)
			if err != nil || len(rows) != 100 {
				t.Fatal(err, len(rows))
			}
		}
		read()
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		const rounds = 20
		for i := 0; i < rounds; i++ {
			read()
		}
		runtime.ReadMemStats(&after)
		return float64(after.Mallocs-before.Mallocs) / rounds
	}
	small, large := allocs(1000), allocs(50000)
	t.Logf("allocations per 100-row page: %.0f with 1k rows, %.0f with 50k rows", small, large)
	if large > 2*small {
		t.Fatalf("a page allocates %.0f objects on a 50k-row table but %.0f on a 1k-row table", large, small)
	}
}
