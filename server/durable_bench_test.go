package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// benchKeyspace creates keyspace bench with standard CF cf.
func benchKeyspace(b *testing.B, c *client) {
	b.Helper()
	d := tg.NewCfDef()
	d.Keyspace, d.Name = "bench", "cf"
	_, err := c.SystemAddKeyspace(ctx, &tg.KsDef{Name: "bench", StrategyClass: "SimpleStrategy",
		StrategyOptions: map[string]string{"replication_factor": "1"}, CfDefs: []*tg.CfDef{d}})
	must(b, err)
	must(b, c.SetKeyspace(ctx, "bench"))
}

// BenchmarkCommitLogInsert measures acknowledged single-column inserts per
// second through the server over loopback, with the commit log in batch
// mode (fsync before each acknowledgement, shared by concurrent writers)
// and in periodic mode, for 1 and 16 writers (one connection each).
func BenchmarkCommitLogInsert(b *testing.B) {
	for _, mode := range []string{"batch", "periodic"} {
		for _, writers := range []int{1, 16} {
			b.Run(fmt.Sprintf("%s/writers=%d", mode, writers), func(b *testing.B) {
				srv := cassatest.Start(b, cassatest.WithConfig(server.Config{DataDir: b.TempDir(), CommitLogSync: mode, SnapshotThreshold: -1})).Embedded()
				admin := dial(b, srv.Addr())
				benchKeyspace(b, admin)
				clients := make([]*client, writers)
				for i := range clients {
					clients[i] = dial(b, srv.Addr())
					must(b, clients[i].SetKeyspace(ctx, "bench"))
				}
				var next atomic.Int64
				var wg sync.WaitGroup
				b.ResetTimer()
				start := time.Now()
				for _, c := range clients {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							i := next.Add(1)
							if i > int64(b.N) {
								return
							}
							key := []byte(fmt.Sprintf("k%d", i))
							if err := c.Insert(ctx, key, parent("cf"), col("c", "v", i), ONE); err != nil {
								b.Error(err)
								return
							}
						}
					}()
				}
				wg.Wait()
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "inserts/s")
			})
		}
	}
}

// BenchmarkRestart1e6 measures how long Start takes to recover 10^6
// columns (10,000 rows × 100 columns) from the commit log alone (the
// state a crash leaves) and from a snapshot. Run it alone:
//
//	go test -run '^$' -bench BenchmarkRestart1e6 -benchtime 1x ./server/
func BenchmarkRestart1e6(b *testing.B) {
	const rows, cols = 10000, 100
	dir := b.TempDir()
	// Info logs show the snapshot's size and how long writes were held.
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	cfg := server.Config{DataDir: dir, CommitLogSync: "periodic", SnapshotThreshold: -1, Logger: logger}
	srv, err := server.Start(context.Background(), cfg)
	must(b, err)
	c := dial(b, srv.Addr())
	benchKeyspace(b, c)
	for r := 0; r < rows; r++ {
		ms := make([]*tg.Mutation, cols)
		for j := range ms {
			ms[j] = mutCol(col(fmt.Sprintf("c%03d", j), "value-of-some-length", 1))
		}
		must(b, c.BatchMutate(ctx, mutationMap{fmt.Sprintf("row%05d", r): {"cf": ms}}, ONE))
	}
	// The state a crash would leave now: everything is in the log only.
	crashed := copyDir(b, dir)
	must(b, srv.Close()) // writes the snapshot

	measure := func(b *testing.B, dataDir func(*testing.B) string) {
		var total time.Duration
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			d := dataDir(b)
			b.StartTimer()
			start := time.Now()
			s, err := server.Start(context.Background(), server.Config{DataDir: d, SnapshotThreshold: -1, Logger: logger})
			total += time.Since(start)
			must(b, err)
			b.StopTimer()
			cc := dial(b, s.Addr())
			must(b, cc.SetKeyspace(ctx, "bench"))
			n, err := cc.GetCount(ctx, []byte(fmt.Sprintf("row%05d", rows-1)), parent("cf"), columnRange("", "", false, 1000), ONE)
			must(b, err)
			if n != cols {
				b.Fatalf("last row has %d columns after restart, want %d", n, cols)
			}
			s.Close()
			b.StartTimer()
		}
		b.ReportMetric(total.Seconds()/float64(b.N), "restart-s")
	}
	b.Run("log", func(b *testing.B) { measure(b, func(b *testing.B) string { return copyDir(b, crashed) }) })
	b.Run("snapshot", func(b *testing.B) { measure(b, func(b *testing.B) string { return copyDir(b, dir) }) })
}
