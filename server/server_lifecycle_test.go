package server_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/cassa-go/cassa/server"
)

// Starting and closing servers: Close ends every connection and can be
// called again, servers in one process are independent, and Start refuses
// a bad Config.

func TestCloseClosesClientsAndIsIdempotent(t *testing.T) {
	srv, err := server.Start(ctx, server.Config{})
	must(t, err)
	c := dial(t, srv.Addr())
	_, err = c.DescribeVersion(ctx)
	must(t, err)
	must(t, srv.Close())
	must(t, srv.Close())
	if _, err := c.DescribeVersion(ctx); err == nil {
		t.Fatal("call on a closed server succeeded")
	}
	if _, err := net.DialTimeout("tcp", srv.Addr(), time.Second); err == nil {
		t.Fatal("listener still accepting after Close")
	}
}

func TestSeveralServersInOneProcess(t *testing.T) {
	a, _ := startAndDial(t, server.Config{ClusterName: "A"})
	b, _ := startAndDial(t, server.Config{ClusterName: "B"})
	na, err := a.DescribeClusterName(ctx)
	must(t, err)
	nb, err := b.DescribeClusterName(ctx)
	must(t, err)
	if na != "A" || nb != "B" {
		t.Fatalf("cluster names %q %q", na, nb)
	}
}

func TestStartRejectsBadConfig(t *testing.T) {
	for name, cfg := range map[string]server.Config{
		"partitioner": {Partitioner: "NoSuchPartitioner"},
		"token":       {Tokens: []string{"not-a-number"}},
		"frame size":  {MaxFrameSize: -1},
	} {
		t.Run(name, func(t *testing.T) {
			srv, err := server.Start(context.Background(), cfg)
			if err == nil {
				srv.Close()
				t.Fatal("Start accepted a bad config")
			}
			var ce *server.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("want *ConfigError, got %T %v", err, err)
			}
		})
	}
}
