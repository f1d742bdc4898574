package migrate

import (
	"context"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thrift/pool"
)

// newSys returns a SystemManager on its own pool to srv.
func newSys(t testing.TB, srv *server.Server) *SystemManager {
	t.Helper()
	ctx := context.Background()
	sys, err := Connect(ctx, pool.Config{Servers: []string{srv.Addr()}, PoolSize: 2}, AgreementPoll(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sys.Close(context.Background()) })
	return sys
}

// testCtx is a context bounded well below the test timeout.
func testCtx(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// setup starts a server, connects, and creates keyspace ks.
func setup(t testing.TB, ks string) (context.Context, *SystemManager) {
	t.Helper()
	ctx := testCtx(t)
	sys := newSys(t, cassatest.Start(t).Embedded())
	if ks != "" {
		if err := sys.CreateKeyspace(ctx, ks, Simple(1)); err != nil {
			t.Fatal(err)
		}
	}
	return ctx, sys
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
