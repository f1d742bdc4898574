package server_test

import (
	"testing"
	"time"

	"github.com/cassa-go/cassa/server"
)

// MaxConnections on the native port: connections past the limit are
// closed at accept, the ones served go on, and a slot freed by a closed
// connection serves the next one (3.11's native_transport_max_concurrent_
// connections, which refuses a connection over the limit by closing it).
func TestCQLMaxConnectionsSlotReused(t *testing.T) {
	srv := startCQL(t, server.Config{MaxConnections: 2})
	a := dialNative(t, srv.CQLAddr(), nil)
	b := dialNative(t, srv.CQLAddr(), nil)
	if optionsAnswered(t, srv.CQLAddr()) {
		t.Fatal("a third connection was served")
	}
	for _, c := range []*nativeConn{a, b} {
		if m := c.query("SELECT key FROM system.local"); m.GetOpCode() != 0x08 {
			t.Fatalf("served connection: %v", m)
		}
	}
	a.nc.Close()
	<-a.done
	waitUntil(t, "the freed slot to serve a new connection", func() bool { return optionsAnswered(t, srv.CQLAddr()) })
	if m := b.query("SELECT key FROM system.local"); m.GetOpCode() != 0x08 {
		t.Fatalf("remaining connection: %v", m)
	}
}

// IdleTimeout on the native port closes a connection that sends nothing
// for that long (Cassandra 4.0's native_transport_idle_timeout), and keeps
// one that sends requests more often, for as long as it does.
func TestCQLIdleTimeoutKeepsBusyConnections(t *testing.T) {
	const idle = 300 * time.Millisecond
	srv := startCQL(t, server.Config{IdleTimeout: idle})
	busy := dialNative(t, srv.CQLAddr(), nil)
	quiet := dialNative(t, srv.CQLAddr(), nil)
	deadline := time.Now().Add(4 * idle)
	for time.Now().Before(deadline) {
		if m := busy.query("SELECT key FROM system.local"); m.GetOpCode() != 0x08 {
			t.Fatalf("busy connection: %v", m)
		}
		time.Sleep(idle / 10)
	}
	select {
	case <-busy.done:
		t.Fatal("the busy connection was closed")
	default:
	}
	select {
	case <-quiet.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the idle connection is still open")
	}
}
