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
// returns the operations per second, or the first error.
func parallel(n, total int, op func(i int64) error) (float64, error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := time.Now()
	for g := 0; g < n; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(total) {
					return
				}
				if err := op(i); err != nil {
					errs <- err
					return
				}
			}
		}()
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

// BenchmarkCQLvsThriftInsert: prepared single-row INSERTs over CQL against
// Thrift inserts on the same server, 64 requests at a time each.
func BenchmarkCQLvsThriftInsert(b *testing.B) {
	clients, s := cqlVsThrift(b)
	p := parent("cf")
	b.ReportAllocs()
	b.ResetTimer()
	thrift, err := parallel(64, b.N, func(i int64) error {
		c := clients[i%64]
		return c.Insert(ctx, []byte(fmt.Sprint("row", i%4096)), p, &tg.Column{Name: []byte("v"), Value: []byte("value"), Timestamp: &i}, ONE)
	})
	must(b, err)
	cql, err := parallel(64, b.N, func(i int64) error {
		return s.Query("INSERT INTO bench.kv (k, v) VALUES (?, ?)", fmt.Sprint("row", i%4096), "value").Exec()
	})
	must(b, err)
	b.ReportMetric(thrift, "thrift-ops/s")
	b.ReportMetric(cql, "cql-ops/s")
	b.ReportMetric(cql/thrift, "cql/thrift")
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
	b.ReportAllocs()
	b.ResetTimer()
	thrift, err := parallel(64, b.N, func(i int64) error {
		res, err := clients[i%64].GetSlice(ctx, []byte(fmt.Sprint("row", i%4096)), p, pred, ONE)
		if err == nil && len(res) != 1 {
			err = fmt.Errorf("row%d: %d columns", i%4096, len(res))
		}
		return err
	})
	must(b, err)
	cql, err := parallel(64, b.N, func(i int64) error {
		var v string
		return s.Query("SELECT v FROM bench.kv WHERE k = ?", fmt.Sprint("row", i%4096)).Scan(&v)
	})
	must(b, err)
	b.ReportMetric(thrift, "thrift-ops/s")
	b.ReportMetric(cql, "cql-ops/s")
	b.ReportMetric(cql/thrift, "cql/thrift")
}

// BenchmarkCQLPageWalk walks a table of 10^6 rows (10^5 with -short) in
// pages of 5000 and reports the largest heap growth seen while walking,
// which must stay about one page's worth.
func BenchmarkCQLPageWalk(b *testing.B) {
	rows := 1_000_000
	if testing.Short() {
		rows = 100_000
	}
	_, s := cqlVsThrift(b)
	mustExec(b, s, "CREATE TABLE bench.walk (p int, c int, v text, PRIMARY KEY (p, c))")
	const perPartition = 1000
	_, err := parallel(64, rows, func(i int64) error {
		i--
		return s.Query("INSERT INTO bench.walk (p, c, v) VALUES (?, ?, ?)", int(i/perPartition), int(i%perPartition), "value-value").Exec()
	})
	must(b, err)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base, peak := ms.HeapAlloc, ms.HeapAlloc
		iter := s.Query("SELECT p, c, v FROM bench.walk").PageSize(5000).Iter()
		var p, c int
		var v string
		seen := 0
		for iter.Scan(&p, &c, &v) {
			seen++
			if seen%50000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
		}
		if err := iter.Close(); err != nil || seen != rows {
			b.Fatalf("walked %d rows: %v", seen, err)
		}
		b.ReportMetric(float64(peak-base)/(1<<20), "peak-heap-MiB")
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
	plain, err := parallel(64, b.N, func(i int64) error {
		return s.Query("INSERT INTO bench.kv (k, v) VALUES (?, ?)", fmt.Sprint("row", i), "value").Exec()
	})
	must(b, err)
	var notApplied atomic.Int64
	lwt, err := parallel(64, b.N, func(i int64) error {
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
