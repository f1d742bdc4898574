package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// TestHandlerFailuresKeepServing registers methods that panic or fail with
// an undeclared error and checks that each is answered with
// TApplicationException INTERNAL_ERROR on a connection that stays usable.
func TestHandlerFailuresKeepServing(t *testing.T) {
	methods["test_panic"] = def(tg.NewCassandraDescribeVersionArgs, func(*conn, context.Context, *tg.CassandraDescribeVersionArgs) (thrift.TStruct, error) {
		var m map[string]int
		m["boom"]++ // nil map write: a runtime panic
		return nil, nil
	})
	methods["test_fail"] = def(tg.NewCassandraDescribeVersionArgs, func(*conn, context.Context, *tg.CassandraDescribeVersionArgs) (thrift.TStruct, error) {
		return nil, errors.New("disk on fire")
	})
	methods["test_nil"] = def(tg.NewCassandraDescribeVersionArgs, func(*conn, context.Context, *tg.CassandraDescribeVersionArgs) (thrift.TStruct, error) {
		return nil, nil
	})
	t.Cleanup(func() {
		delete(methods, "test_panic")
		delete(methods, "test_fail")
		delete(methods, "test_nil")
	})
	srv := startTestServer(t, Config{})
	cfg := &thrift.TConfiguration{ConnectTimeout: 5 * time.Second, SocketTimeout: 10 * time.Second}
	trans := thrift.NewTFramedTransportConf(thrift.NewTSocketConf(srv.Addr(), cfg), cfg)
	if err := trans.Open(); err != nil {
		t.Fatal(err)
	}
	defer trans.Close()
	p := thrift.NewTBinaryProtocolConf(trans, cfg)
	tc := thrift.NewTStandardClient(p, p)
	client := tg.NewCassandraClient(tc)
	for _, name := range []string{"test_panic", "test_fail", "test_nil"} {
		_, err := tc.Call(context.Background(), name, tg.NewCassandraDescribeVersionArgs(), tg.NewCassandraDescribeVersionResult())
		var ae thrift.TApplicationException
		if !errors.As(err, &ae) || ae.TypeId() != thrift.INTERNAL_ERROR || ae.Error() != "Internal error processing "+name {
			t.Fatalf("%s: got %v", name, err)
		}
		if v, err := client.DescribeVersion(context.Background()); err != nil || v != Version {
			t.Fatalf("after %s: %q %v", name, v, err)
		}
	}
}

// TestCloseWithIdleAndBusyConnections checks that Close returns while
// clients sit idle or half-way through a frame.
func TestCloseWithIdleAndBusyConnections(t *testing.T) {
	srv := startTestServer(t, Config{})
	idle, err := net.Dial("tcp", srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	half, err := net.Dial("tcp", srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer half.Close()
	half.Write([]byte{0, 0, 1, 0, 0x80}) // a frame header and one byte of 256
	time.Sleep(10 * time.Millisecond)    // let the server start reading (not a timing assertion)
	done := make(chan error, 1)
	go func() { done <- srv.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Close hung")
	}
}

func FuzzHandleFrame(f *testing.F) {
	enc := func(name string, args thrift.TStruct) []byte {
		buf := thrift.NewTMemoryBuffer()
		p := thrift.NewTBinaryProtocolConf(buf, &thrift.TConfiguration{})
		p.WriteMessageBegin(context.Background(), name, thrift.CALL, 1)
		args.Write(context.Background(), p)
		p.WriteMessageEnd(context.Background())
		return buf.Bytes()
	}
	get := tg.NewCassandraGetSliceArgs()
	get.Key = []byte("k")
	get.ColumnParent = &tg.ColumnParent{ColumnFamily: "cf"}
	get.Predicate = &tg.SlicePredicate{SliceRange: &tg.SliceRange{Start: []byte{}, Finish: []byte{}, Count: 10}}
	f.Add(enc("get_slice", get))
	f.Add(enc("describe_version", tg.NewCassandraDescribeVersionArgs()))
	f.Add(enc("batch_mutate", &tg.CassandraBatchMutateArgs{MutationMap: map[string]map[string][]*tg.Mutation{"k": {"cf": {{}}}}}))
	f.Add(enc("system_add_keyspace", &tg.CassandraSystemAddKeyspaceArgs{KsDef: &tg.KsDef{Name: "k", StrategyClass: "SimpleStrategy", CfDefs: []*tg.CfDef{}}}))
	f.Add([]byte{0x80, 0x01, 0x00, 0x01})
	// Handler panics are recovered (and answered INTERNAL_ERROR), so the
	// fuzzer would not see them; the logger reports them instead.
	panics := &panicRecorder{}
	srv := startTestServer(f, Config{Logger: slog.New(panics)})
	f.Fuzz(func(t *testing.T, frame []byte) {
		// A fresh node per input (nothing else uses this server): state
		// left by earlier inputs, such as thousands of keyspaces, would
		// make the run slower and slower.
		n, err := newNode(srv.cfg)
		if err != nil {
			t.Fatal(err)
		}
		srv.node = n
		defer func() {
			if msg := panics.take(); msg != "" {
				t.Fatalf("handler panicked on %q: %s", frame, msg)
			}
		}()
		c := &conn{srv: srv}
		strict := true
		c.proto = &boundedProtocol{
			TBinaryProtocol: thrift.NewTBinaryProtocolConf(&c.t, &thrift.TConfiguration{TBinaryStrictRead: &strict, TBinaryStrictWrite: &strict}),
			t:               &c.t,
		}
		c.sess.user = AnonymousUser
		// Must not panic; any reply or a close decision is fine.
		_ = c.handle(frame)
	})
}

// TestNoGoroutineLeak checks that Close leaves no server goroutine behind,
// whatever state its connections were in.
func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	srv := startTestServer(t, Config{})
	var conns []net.Conn
	for i := 0; i < 10; i++ {
		nc, err := net.Dial("tcp", srv.Addr())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, nc)
		switch i % 3 {
		case 0: // idle
		case 1:
			nc.Write([]byte{0, 0, 0, 9, 1}) // half a frame
		case 2:
			nc.Write([]byte{0x7f, 0xff, 0xff, 0xff}) // oversized: closed by the server
		}
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	for _, nc := range conns {
		nc.Close()
	}
	// Close has waited for the server's goroutines; allow the runtime a
	// moment to retire the exited ones before counting.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines before, %d after Close:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}

// panicRecorder is a slog.Handler that keeps the last "handler panicked"
// record.
type panicRecorder struct {
	mu  sync.Mutex
	msg string
}

func (p *panicRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (p *panicRecorder) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "handler panicked" {
		return nil
	}
	var b strings.Builder
	r.Attrs(func(a slog.Attr) bool {
		b.WriteString(a.Key + "=" + a.Value.String() + " ")
		return true
	})
	p.mu.Lock()
	p.msg = b.String()
	p.mu.Unlock()
	return nil
}

func (p *panicRecorder) WithAttrs([]slog.Attr) slog.Handler { return p }

func (p *panicRecorder) WithGroup(string) slog.Handler { return p }

func (p *panicRecorder) take() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := p.msg
	p.msg = ""
	return m
}
