package cql_test

import (
	"context"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/cql"
)

const (
	benchInsert = "INSERT INTO users (id, name, age) VALUES (?, ?, ?)"
	benchSelect = "SELECT name, age FROM users WHERE id = ?"
)

// BenchmarkSingleRow compares one-row statements through the session with
// raw gocql on the same gocql session (so with the same observers), and
// with a plain gocql session without them. The ratio of cql to gocql is
// the cost of this package; gocql-plain against gocql is the cost of the
// observers behind Stats and Listeners.
func BenchmarkSingleRow(b *testing.B) {
	db, ks := openTest(b, cql.Config{}, usersSchema)
	ctx := context.Background()
	if err := db.Exec(ctx, benchInsert, 1, "ann", 30); err != nil {
		b.Fatal(err)
	}
	raw := db.Driver()
	cc := gocql.NewCluster(testHosts(b)...)
	cc.Keyspace = ks
	cc.WriteCoalesceWaitTime = 0
	cc.Consistency = gocql.LocalQuorum
	cc.PoolConfig.HostSelectionPolicy = gocql.TokenAwareHostPolicy(gocql.RoundRobinHostPolicy(), gocql.ShuffleReplicas())
	plain, err := cc.CreateSession()
	if err != nil {
		b.Fatal(err)
	}
	defer plain.Close()

	var name string
	var age int
	b.Run("Exec/cql", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := db.Exec(ctx, benchInsert, 1, "ann", 30); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Exec/gocql", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := raw.Query(benchInsert, 1, "ann", 30).ExecContext(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Exec/gocql-plain", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := plain.Query(benchInsert, 1, "ann", 30).ExecContext(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Get/cql", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			row, err := db.Get(ctx, benchSelect, 1)
			if err != nil {
				b.Fatal(err)
			}
			if err := row.Scan(&name, &age); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Get/cql-rows", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rows := db.Rows(ctx, benchSelect, 1)
			if !rows.Next() {
				b.Fatal(rows.Close())
			}
			if err := rows.Scan(&name, &age); err != nil {
				b.Fatal(err)
			}
			if err := rows.Close(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Get/gocql", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := raw.Query(benchSelect, 1).ScanContext(ctx, &name, &age); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Get/gocql-plain", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := plain.Query(benchSelect, 1).ScanContext(ctx, &name, &age); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCoalesce measures Config.WriteCoalesce: one request at a time
// (serial) and many at once (parallel, 16 goroutines per CPU), with
// writes sent at once (0, the default) or gathered for gocql's default of
// 200 µs.
func BenchmarkCoalesce(b *testing.B) {
	for _, wait := range []time.Duration{0, 200 * time.Microsecond} {
		db, _ := openTest(b, cql.Config{WriteCoalesce: wait}, usersSchema)
		ctx := context.Background()
		if err := db.Exec(ctx, benchInsert, 1, "ann", 30); err != nil {
			b.Fatal(err)
		}
		b.Run("serial/"+wait.String(), func(b *testing.B) {
			var name string
			var age int
			for b.Loop() {
				rows := db.Rows(ctx, benchSelect, 1)
				rows.Next()
				_ = rows.Scan(&name, &age)
				if err := rows.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("parallel/"+wait.String(), func(b *testing.B) {
			b.SetParallelism(16)
			b.RunParallel(func(pb *testing.PB) {
				var name string
				var age int
				for pb.Next() {
					rows := db.Rows(ctx, benchSelect, 1)
					rows.Next()
					_ = rows.Scan(&name, &age)
					if err := rows.Close(); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkSingleRowRatio runs the session's call and raw gocql's on the
// same gocql session alternately, one of each per iteration, so that the
// node's warm-up and the machine's noise weigh on both alike, and reports
// the mean of each and their ratio.
func BenchmarkSingleRowRatio(b *testing.B) {
	db, _ := openTest(b, cql.Config{}, usersSchema)
	ctx := context.Background()
	if err := db.Exec(ctx, benchInsert, 1, "ann", 30); err != nil {
		b.Fatal(err)
	}
	raw := db.Driver()
	var name string
	var age int
	for _, bc := range []struct {
		name       string
		cql, gocql func() error
	}{
		{"Exec", func() error { return db.Exec(ctx, benchInsert, 1, "ann", 30) },
			func() error { return raw.Query(benchInsert, 1, "ann", 30).ExecContext(ctx) }},
		{"Get", func() error {
			row, err := db.Get(ctx, benchSelect, 1)
			if err != nil {
				return err
			}
			return row.Scan(&name, &age)
		}, func() error { return raw.Query(benchSelect, 1).ScanContext(ctx, &name, &age) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var tc, tg time.Duration
			n := 0
			for b.Loop() {
				t0 := time.Now()
				if err := bc.cql(); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if err := bc.gocql(); err != nil {
					b.Fatal(err)
				}
				tg += time.Since(t1)
				tc += t1.Sub(t0)
				n++
			}
			b.ReportMetric(float64(tc.Nanoseconds())/float64(n), "cql-ns/op")
			b.ReportMetric(float64(tg.Nanoseconds())/float64(n), "gocql-ns/op")
			b.ReportMetric(float64(tc)/float64(tg), "ratio")
		})
	}
}
