package server_test

import (
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

func mustTE(t *testing.T, err error) {
	t.Helper()
	var e *tg.TimedOutException
	if !errors.As(err, &e) {
		t.Fatalf("want TimedOutException, got %v (%T)", err, err)
	}
}

func TestFaultsFailThroughDeclaredExceptions(t *testing.T) {
	c, srv := startAndDial(t, server.Config{})
	_, err := c.SystemAddKeyspace(ctx, dtestSchema()[0])
	must(t, err)
	must(t, c.SetKeyspace(ctx, "Keyspace1"))
	get := func() error {
		_, err := c.GetSlice(ctx, []byte("k"), parent("Standard1"), columnRange("", "", false, 10), ONE)
		return err
	}
	id, err := srv.Faults().Add(server.FaultRule{Method: "get_slice", Times: 2, Fail: server.FaultUnavailable})
	must(t, err)
	mustUE(t, get())
	mustUE(t, get())
	must(t, get()) // used up
	if srv.Faults().Active(id) {
		t.Fatal("rule still active after its two calls")
	}

	id, err = srv.Faults().Add(server.FaultRule{Method: "insert", Fail: server.FaultTimedOut})
	must(t, err)
	for i := 0; i < 3; i++ {
		mustTE(t, c.Insert(ctx, []byte("k"), parent("Standard1"), col("c", "v", 1), ONE))
	}
	must(t, get()) // other methods are untouched
	srv.Faults().Remove(id)
	must(t, c.Insert(ctx, []byte("k"), parent("Standard1"), col("c", "v", 1), ONE))

	// A method that declares neither exception answers INTERNAL_ERROR.
	_, err = srv.Faults().Add(server.FaultRule{Method: "describe_version", Times: 1, Fail: server.FaultTimedOut})
	must(t, err)
	_, err = c.DescribeVersion(ctx)
	mustAppErr(t, err, thrift.INTERNAL_ERROR)
	_, err = c.DescribeVersion(ctx)
	must(t, err)

	// Every method at once, then cleared.
	_, err = srv.Faults().Add(server.FaultRule{Method: server.FaultAllMethods, Fail: server.FaultUnavailable})
	must(t, err)
	mustUE(t, c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {mutCol(col("c", "v", 2))}}}, ONE))
	srv.Faults().Clear()
	must(t, get())

	if _, err := srv.Faults().Add(server.FaultRule{Method: "get_slcie", Fail: server.FaultTimedOut}); err == nil {
		t.Fatal("a rule for a misspelt method was accepted")
	}
}

func TestFaultsDropOnlyThatConnection(t *testing.T) {
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{})).Embedded()
	a, b := dial(t, srv.Addr()), dial(t, srv.Addr())
	_, err := srv.Faults().Add(server.FaultRule{Method: "describe_cluster_name", Times: 1, Drop: true})
	must(t, err)
	if _, err := a.DescribeClusterName(ctx); err == nil {
		t.Fatal("dropped call answered")
	}
	if _, err := a.DescribeVersion(ctx); err == nil {
		t.Fatal("connection still open after a drop")
	}
	_, err = b.DescribeClusterName(ctx)
	must(t, err)
	_, err = dial(t, srv.Addr()).DescribeVersion(ctx)
	must(t, err)
}

func TestFaultsDelayEndsAtClose(t *testing.T) {
	srv, err := server.Start(ctx, server.Config{})
	must(t, err)
	c := dial(t, srv.Addr())
	_, err = srv.Faults().Add(server.FaultRule{Method: "describe_version", Delay: time.Hour})
	must(t, err)
	done := make(chan error, 1)
	go func() { _, err := c.DescribeVersion(ctx); done <- err }()
	// Wait until the call is held, then close: Close must not wait the hour.
	for i := 0; ; i++ {
		if srv.Faults().Len() == 1 && i > 10 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	must(t, srv.Close())
	if err := <-done; err == nil {
		t.Fatal("delayed call answered after Close")
	}
}

func TestMaxConnections(t *testing.T) {
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{MaxConnections: 2})).Embedded()
	a, b := dial(t, srv.Addr()), dial(t, srv.Addr())
	for _, c := range []*client{a, b} {
		_, err := c.DescribeVersion(ctx)
		must(t, err)
	}
	extra := rawConn(t, srv.Addr())
	must(t, extra.SetReadDeadline(time.Now().Add(10*time.Second)))
	if _, err := extra.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("third connection: read %v, want EOF (closed at accept)", err)
	}
	for _, c := range []*client{a, b} {
		_, err := c.DescribeVersion(ctx)
		must(t, err)
	}
	// A freed slot is given to the next connection.
	a.trans.Close()
	var err error
	for i := 0; i < 200; i++ {
		c := dial(t, srv.Addr())
		if _, err = c.DescribeVersion(ctx); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	must(t, err)
}

func TestIdleTimeout(t *testing.T) {
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{IdleTimeout: 300 * time.Millisecond})).Embedded()
	busy := dial(t, srv.Addr())
	idle := rawConn(t, srv.Addr())
	closed := make(chan error, 1)
	go func() {
		idle.SetReadDeadline(time.Now().Add(20 * time.Second))
		_, err := idle.Read(make([]byte, 1))
		closed <- err
	}()
	for {
		select {
		case err := <-closed:
			if err != io.EOF {
				t.Fatalf("idle connection: read %v, want EOF", err)
			}
			_, err = busy.DescribeVersion(ctx)
			must(t, err)
			return
		case <-time.After(20 * time.Millisecond):
			_, err := busy.DescribeVersion(ctx)
			must(t, err)
		}
	}
}

func TestOversizedFrameClosesOnlyItsConnection(t *testing.T) {
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{MaxFrameSize: 1024})).Embedded()
	good := dial(t, srv.Addr())
	bad := rawConn(t, srv.Addr())
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], 1025)
	_, err := bad.Write(hdr[:])
	must(t, err)
	must(t, bad.SetReadDeadline(time.Now().Add(10*time.Second)))
	if _, err := bad.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("oversized frame: read %v, want EOF", err)
	}
	_, err = good.DescribeVersion(ctx)
	must(t, err)
}
