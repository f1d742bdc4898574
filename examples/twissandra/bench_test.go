package main

import (
	"context"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/thrift/pool"
)

// benchApp is a seeded ThriftApp on an embedded server.
func benchApp(b *testing.B) (context.Context, *ThriftApp) {
	b.Helper()
	ctx := context.Background()
	srv := cassatest.Start(b)
	sys, err := migrate.Connect(ctx, pool.Config{Servers: srv.Addrs(), PoolSize: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer sys.Close(ctx)
	plan, err := migrate.PlanModels(ctx, sys, Keyspace, schema()...)
	if err != nil {
		b.Fatal(err)
	}
	if err := plan.Apply(ctx); err != nil {
		b.Fatal(err)
	}
	db, err := pool.Open(ctx, pool.Config{Servers: srv.Addrs(), Keyspace: Keyspace})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close(ctx) })
	app, err := OpenThrift(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	if err := seed(ctx, app); err != nil {
		b.Fatal(err)
	}
	return ctx, app
}

// BenchmarkPost measures one tweet: the fan-out batch to three timelines
// and the counter add, over TCP to the embedded server.
func BenchmarkPost(b *testing.B) {
	ctx, app := benchApp(b)
	at := day1.AddDate(0, 0, 3)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := app.Post(ctx, "alice", "benchmark", at.Add(time.Duration(i)*time.Microsecond)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTimeline measures reading the newest 5 tweets of a timeline:
// one reversed slice and one MultiGet through the mapper.
func BenchmarkTimeline(b *testing.B) {
	ctx, app := benchApp(b)
	b.ReportAllocs()
	for b.Loop() {
		ts, err := app.Timeline(ctx, "alice", 5)
		if err != nil || len(ts) != 5 {
			b.Fatal(len(ts), err)
		}
	}
}
