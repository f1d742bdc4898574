package server_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
	"github.com/datastax/go-cassandra-native-protocol/message"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// The benchmarks of the CQL side, with gocql v2 as the client where one
// is needed. Run with:
//
//	go test -run '^$' -bench CQL -benchmem ./server/

// BenchmarkCQLStartToFirstQuery is the time from server.Start to the
// first answered query: raw, a minimal native-protocol client (STARTUP,
// then SELECT from system.local); gocql, a default gocql session (version
// negotiation, system tables, schema metadata) and its first query.
func BenchmarkCQLStartToFirstQuery(b *testing.B) {
	b.Run("raw", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			srv, err := server.Start(context.Background(), server.Config{})
			if err != nil {
				b.Fatal(err)
			}
			c := dialNative(b, srv.CQLAddr(), nil)
			rows, ok := c.query("SELECT release_version FROM system.local WHERE key = 'local'").(*message.RowsResult)
			if !ok || len(rows.Data) != 1 {
				b.Fatal("no answer")
			}
			b.StopTimer()
			c.nc.Close()
			srv.Close()
			b.StartTimer()
		}
	})
	b.Run("gocql", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			srv, err := server.Start(context.Background(), server.Config{})
			if err != nil {
				b.Fatal(err)
			}
			s, err := clusterFor(b, srv).CreateSession()
			if err != nil {
				b.Fatal(err)
			}
			var v string
			if err := s.Query("SELECT release_version FROM system.local").Scan(&v); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			s.Close()
			srv.Close()
			b.StartTimer()
		}
	})
}

// parallel runs op from n goroutines until total operations are done and
// returns the operations per second, or the first error. op gets its
// goroutine's number g (0 to n-1: a Thrift connection is not safe for
// concurrent use, so each goroutine has its own) and the operation's
// number i (1 to total).
func parallel(n, total int, op func(g int, i int64) error) (float64, error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := time.Now()
	for g := 0; g < n; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(total) {
					return
				}
				if err := op(g, i); err != nil {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	for err := range errs {
		return 0, err
	}
	return float64(total) / elapsed.Seconds(), nil
}

// cqlVsThrift sets up one server with a Thrift column family Bench.cf and
// a CQL table bench.kv (k text PRIMARY KEY, v text), 64 Thrift
// connections and a gocql session.
func cqlVsThrift(b *testing.B) ([]*client, *gocql.Session) {
	b.Helper()
	srv := startCQL(b, server.Config{})
	base := dial(b, srv.Addr())
	_, err := base.SystemAddKeyspace(ctx, ksDef("Bench", simple, rf1, cfDef("Bench", "cf")))
	must(b, err)
	clients := make([]*client, 64)
	for i := range clients {
		clients[i] = dial(b, srv.Addr())
		must(b, clients[i].SetKeyspace(ctx, "Bench"))
	}
	c := clusterFor(b, srv)
	c.NumConns = 4
	s, err := c.CreateSession()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	mustExec(b, s, "CREATE KEYSPACE bench WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	mustExec(b, s, "CREATE TABLE bench.kv (k text PRIMARY KEY, v text)")
	return clients, s
}

// compare runs a Thrift and a CQL operation b.N times each, 64 at a time,
// in alternating rounds, so that a change in the machine's load touches
// both alike, and reports each side's rate, the ratio of the rates, and
// each side's CPU time per operation in this process (client and server
// together; on a shared machine the steadier figure).
func compare(b *testing.B, thriftOp, cqlOp func(g int, i int64) error) {
	b.Helper()
	const rounds = 4
	var thriftTime, cqlTime, thriftCPU, cqlCPU time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	done := 0
	for r := 0; r < rounds; r++ {
		n := (b.N - done) / (rounds - r)
		if n == 0 {
			continue
		}
		for _, side := range []struct {
			op        func(g int, i int64) error
			wall, cpu *time.Duration
		}{{thriftOp, &thriftTime, &thriftCPU}, {cqlOp, &cqlTime, &cqlCPU}} {
			cpu0, start := processCPU(), time.Now()
			_, err := parallel(64, n, func(g int, i int64) error { return side.op(g, int64(done)+i) })
			must(b, err)
			*side.wall += time.Since(start)
			*side.cpu += processCPU() - cpu0
		}
		done += n
	}
	thrift, cql := float64(b.N)/thriftTime.Seconds(), float64(b.N)/cqlTime.Seconds()
	b.ReportMetric(thrift, "thrift-ops/s")
	b.ReportMetric(cql, "cql-ops/s")
	b.ReportMetric(cql/thrift, "cql/thrift")
	if thriftCPU > 0 {
		b.ReportMetric(float64(thriftCPU.Microseconds())/float64(b.N), "thrift-cpu-us/op")
		b.ReportMetric(float64(cqlCPU.Microseconds())/float64(b.N), "cql-cpu-us/op")
	}
}

// BenchmarkCQLvsThriftInsert: prepared single-row INSERTs over CQL (gocql
// prepares a statement with values and executes it) against Thrift
// inserts on the same server, 64 requests at a time each.
func BenchmarkCQLvsThriftInsert(b *testing.B) {
	clients, s := cqlVsThrift(b)
	p := parent("cf")
	compare(b, func(g int, i int64) error {
		return clients[g].Insert(ctx, []byte(fmt.Sprint("row", i%4096)), p, &tg.Column{Name: []byte("v"), Value: []byte("value"), Timestamp: &i}, ONE)
	}, func(_ int, i int64) error {
		return s.Query("INSERT INTO bench.kv (k, v) VALUES (?, ?)", fmt.Sprint("row", i%4096), "value").Exec()
	})
}

// BenchmarkCQLvsThriftRead: prepared SELECT by key over CQL against
// Thrift get_slice on the same server, 64 requests at a time each.
func BenchmarkCQLvsThriftRead(b *testing.B) {
	clients, s := cqlVsThrift(b)
	p := parent("cf")
	for i := 0; i < 4096; i++ {
		clients[0].insert(b, fmt.Sprint("row", i), p, col("v", "value", 1))
		mustExec(b, s, "INSERT INTO bench.kv (k, v) VALUES (?, ?)", fmt.Sprint("row", i), "value")
	}
	pred := columnRange("", "", false, 100)
	compare(b, func(g int, i int64) error {
		res, err := clients[g].GetSlice(ctx, []byte(fmt.Sprint("row", i%4096)), p, pred, ONE)
		if err == nil && len(res) != 1 {
			err = fmt.Errorf("row%d: %d columns", i%4096, len(res))
		}
		return err
	}, func(_ int, i int64) error {
		var v string
		return s.Query("SELECT v FROM bench.kv WHERE k = ?", fmt.Sprint("row", i%4096)).Scan(&v)
	})
}

// BenchmarkCQLPageWalk walks a table of 10^6 rows (10^5 with -short; 1000
// partitions of 1000 rows, or 100 of them) in pages of 5000 with gocql and
// reports what the walk holds: after a collection at every 20th page, the
// live heap above what it was before the walk (the store's rows are in
// that base), at its largest; and the bytes allocated per page (server,
// client and this loop together). Both stay those of a page or two,
// whatever the table's size: no request reads or keeps more than its page.
func BenchmarkCQLPageWalk(b *testing.B) {
	rows := 1_000_000
	if testing.Short() {
		rows = 100_000
	}
	const perPartition, perBatch, pageSize = 1000, 100, 5000
	_, s := cqlVsThrift(b)
	mustExec(b, s, "CREATE TABLE bench.walk (p int, c int, v text, PRIMARY KEY (p, c))")
	_, err := parallel(64, rows/perBatch, func(_ int, i int64) error {
		first := int(i-1) * perBatch
		batch := s.Batch(gocql.UnloggedBatch)
		for r := first; r < first+perBatch; r++ {
			batch.Query("INSERT INTO bench.walk (p, c, v) VALUES (?, ?, ?)", r/perPartition, r%perPartition, "value-value")
		}
		return batch.Exec()
	})
	must(b, err)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base, allocated, growth := ms.HeapAlloc, ms.TotalAlloc, uint64(0)
		iter := s.Query("SELECT p, c, v FROM bench.walk").PageSize(pageSize).Iter()
		var p, c int
		var v string
		seen := 0
		for iter.Scan(&p, &c, &v) {
			seen++
			if seen%(20*pageSize) == 0 {
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&ms)
				if ms.HeapAlloc > base {
					growth = max(growth, ms.HeapAlloc-base)
				}
				b.StartTimer()
			}
		}
		if err := iter.Close(); err != nil || seen != rows {
			b.Fatalf("walked %d rows: %v", seen, err)
		}
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(growth)/(1<<20), "live-heap-growth-MiB")
		b.ReportMetric(float64(ms.TotalAlloc-allocated)/float64(rows/pageSize)/(1<<20), "alloc-MiB/page")
		b.ReportMetric(float64(rows), "rows")
	}
}

// BenchmarkCQLLWTInsert: INSERT ... IF NOT EXISTS (each applying, on a
// fresh key) against plain INSERTs on the same server in the same run,
// 64 requests at a time each, with the ratio of their rates.
func BenchmarkCQLLWTInsert(b *testing.B) {
	_, s := cqlVsThrift(b)
	mustExec(b, s, "CREATE TABLE bench.lwt (k text PRIMARY KEY, v text)")
	b.ReportAllocs()
	b.ResetTimer()
	plain, err := parallel(64, b.N, func(_ int, i int64) error {
		return s.Query("INSERT INTO bench.kv (k, v) VALUES (?, ?)", fmt.Sprint("row", i), "value").Exec()
	})
	must(b, err)
	var notApplied atomic.Int64
	lwt, err := parallel(64, b.N, func(_ int, i int64) error {
		applied, err := s.Query("INSERT INTO bench.lwt (k, v) VALUES (?, ?) IF NOT EXISTS", fmt.Sprint("row", i), "value").ScanCAS()
		if err == nil && !applied {
			notApplied.Add(1)
		}
		return err
	})
	must(b, err)
	if n := notApplied.Load(); n != 0 {
		b.Fatalf("%d LWT inserts did not apply", n)
	}
	b.ReportMetric(plain, "insert-ops/s")
	b.ReportMetric(lwt, "lwt-ops/s")
	b.ReportMetric(lwt/plain, "lwt/insert")
}
