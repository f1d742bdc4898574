package main

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
)

// benchStores runs bench on a seeded store of each transport, on an
// embedded server.
func benchStores(b *testing.B, bench func(ctx context.Context, b *testing.B, app Store)) {
	for _, tr := range []string{Thrift, CQL} {
		b.Run(tr, func(b *testing.B) {
			ctx := context.Background()
			srv := cassatest.Start(b)
			var app Store
			var closeApp func()
			var err error
			if tr == Thrift {
				app, closeApp, err = setupThrift(ctx, io.Discard, srv.Addrs())
			} else {
				app, closeApp, err = setupCQL(ctx, io.Discard, []string{srv.CQLAddr()})
			}
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(closeApp)
			if err := seed(ctx, app); err != nil {
				b.Fatal(err)
			}
			bench(ctx, b, app)
		})
	}
}

// BenchmarkPost measures one tweet: the fan-out batch to three timelines
// and the counter add, over TCP to the embedded server.
func BenchmarkPost(b *testing.B) {
	benchStores(b, func(ctx context.Context, b *testing.B, app Store) {
		at := day1.AddDate(0, 0, 3)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := app.Post(ctx, "alice", "benchmark", at.Add(time.Duration(i)*time.Microsecond)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkTimeline measures reading the newest 5 tweets of a timeline:
// over Thrift one reversed slice of a wide row and one MultiGet of the
// tweets, over CQL one SELECT of a partition's first rows.
func BenchmarkTimeline(b *testing.B) {
	benchStores(b, func(ctx context.Context, b *testing.B, app Store) {
		b.ReportAllocs()
		for b.Loop() {
			ts, err := app.Timeline(ctx, "alice", 5)
			if err != nil || len(ts) != 5 {
				b.Fatal(len(ts), err)
			}
		}
	})
}
