package pool

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/thriftgen"
)

// recorder is a Listener that keeps every event.
type recorder struct {
	NopListener
	mu     sync.Mutex
	events []any
}

func (r *recorder) add(e any) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *recorder) ConnectionCreated(e ConnEvent)        { r.add(e) }
func (r *recorder) ConnectionCheckedOut(e ConnEvent)     { r.add(e) }
func (r *recorder) ConnectionCheckedIn(e ConnEvent)      { r.add(e) }
func (r *recorder) ConnectionDisposed(e DisposeEvent)    { r.add(e) }
func (r *recorder) ConnectionRecycled(e RecycleEvent)    { r.add(e) }
func (r *recorder) ConnectionFailed(e FailEvent)         { r.add(e) }
func (r *recorder) ServerListObtained(e ServerListEvent) { r.add(e) }
func (r *recorder) PoolAtMax(e PoolAtMaxEvent)           { r.add(e) }
func (r *recorder) PoolDisposed(e PoolEvent)             { r.add(e) }
func (r *recorder) ServerDown(e ServerEvent)             { r.add(e) }
func (r *recorder) ServerUp(e ServerEvent)               { r.add(e) }

func (r *recorder) all() []any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]any(nil), r.events...)
}

func eventsOf[T any](r *recorder) []T {
	var out []T
	for _, e := range r.all() {
		if v, ok := e.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

// disposedFor counts the dispose events whose reason match accepts.
func disposedFor(r *recorder, match func(reason string) bool) int {
	n := 0
	for _, d := range eventsOf[DisposeEvent](r) {
		if match(d.Reason) {
			n++
		}
	}
	return n
}

// testConfig is a config for fast tests against the given servers.
func testConfig(addrs ...string) Config {
	return Config{
		Keyspace:      "ks",
		Servers:       addrs,
		BackoffBase:   time.Millisecond,
		BackoffMax:    5 * time.Millisecond,
		ProbeInterval: 10 * time.Millisecond,
		ProbeMax:      50 * time.Millisecond,
		Timeout:       5 * time.Second,
		DialTimeout:   2 * time.Second,
	}
}

// holdConn checks a connection out of p and keeps it until release is
// called, so that p is at its limit when PoolSize is 1.
func holdConn(ctx context.Context, p *Pool) (release func()) {
	hold, held := make(chan struct{}), make(chan struct{})
	go p.Do(ctx, func(ctx context.Context, c *Conn) error {
		close(held)
		<-hold
		return nil
	})
	<-held
	return func() { close(hold) }
}

func openPool(t *testing.T, cfg Config) *Pool {
	t.Helper()
	p, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { p.Close(context.Background()) })
	return p
}

func TestOpenDoClose(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	rec := &recorder{}
	cfg := testConfig(f.addr)
	cfg.Name = "main"
	cfg.Listeners = []Listener{rec}
	p := openPool(t, cfg)
	ctx := context.Background()

	if err := insertColumn(ctx, p, "k", "c", "v"); err != nil {
		t.Fatal(err)
	}
	v, err := getColumn(ctx, p, "k", "c")
	if err != nil || string(v) != "v" {
		t.Fatalf("get = %q, %v", v, err)
	}
	if _, err := getColumn(ctx, p, "k", "missing"); err != cassa.ErrNotFound {
		t.Fatalf("get missing = %v, want cassa.ErrNotFound", err)
	}
	var server, keyspace string
	p.Do(ctx, func(ctx context.Context, c *Conn) error {
		server, keyspace = c.Server(), c.Keyspace()
		return nil
	})
	if server != f.addr || keyspace != "ks" {
		t.Errorf("conn server %q keyspace %q", server, keyspace)
	}
	if f.opCount("set_keyspace") != 1 {
		t.Errorf("set_keyspace sent %d times, want once per connection", f.opCount("set_keyspace"))
	}
	st := p.Stats()
	if st.Created != 1 || st.CheckedOut != 4 || st.CheckedIn != 4 || st.Open != 1 || st.Idle != 1 || st.InUse != 0 || st.MaxInUse != 1 {
		t.Errorf("stats %+v", st)
	}
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.Do(ctx, versionOp); err != ErrPoolClosed {
		t.Errorf("Do after Close = %v, want ErrPoolClosed", err)
	}
	waitFor(t, "server to see the connection close", func() bool { return f.openConns() == 0 })

	// Events, in order, with pycassa's fields.
	evs := rec.all()
	if sl, ok := evs[0].(ServerListEvent); !ok || sl.PoolID != "main" || len(sl.Servers) != 1 || sl.Servers[0] != f.addr {
		t.Errorf("first event %#v, want the server list", evs[0])
	}
	if c, ok := evs[1].(ConnEvent); !ok || c.Conn.Server != f.addr || c.Conn.ID == 0 {
		t.Errorf("second event %#v, want connection_created", evs[1])
	}
	if d := eventsOf[DisposeEvent](rec); len(d) != 1 || d[0].Reason != "pool is being closed" {
		t.Errorf("disposed events %+v", d)
	}
	if pd := eventsOf[PoolEvent](rec); len(pd) != 1 || pd[0].PoolID != "main" {
		t.Errorf("pool_disposed events %+v", pd)
	}
	if n := len(eventsOf[ConnEvent](rec)); n != 1+4+4 {
		t.Errorf("%d connection events, want created + 4 out + 4 in", n)
	}
}

func TestOpenFailures(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	dead := newFake(t)
	deadAddr := dead.addr
	dead.stop()

	t.Run("unknown keyspace", func(t *testing.T) {
		cfg := testConfig(f.addr)
		cfg.Keyspace = "Missing"
		_, err := Open(context.Background(), cfg)
		var ire *cassa.InvalidRequestError
		if !errors.As(err, &ire) || ire.Op != "set_keyspace" || ire.Host != f.addr {
			t.Fatalf("Open = %v, want cassa.InvalidRequestError from set_keyspace", err)
		}
	})
	t.Run("all servers down", func(t *testing.T) {
		dead2 := newFake(t)
		dead2.stop()
		_, err := Open(context.Background(), testConfig(deadAddr, dead2.addr))
		var all *AllServersUnavailableError
		if !errors.Is(err, ErrAllServersUnavailable) || !errors.As(err, &all) || len(all.Servers) != 2 {
			t.Fatalf("Open = %v, want AllServersUnavailableError naming 2 servers", err)
		}
		if !strings.Contains(err.Error(), deadAddr) || !strings.Contains(err.Error(), dead2.addr) {
			t.Errorf("error %q does not name each server", err)
		}
	})
	t.Run("one of two down", func(t *testing.T) {
		p := openPool(t, testConfig(deadAddr, f.addr))
		if err := p.Do(context.Background(), versionOp); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("bad config", func(t *testing.T) {
		if _, err := Open(context.Background(), Config{PoolSize: -1}); err == nil {
			t.Fatal("Open accepted PoolSize -1")
		}
	})
}

// TestRetryPolicy checks, for each kind of failure, whether Do retries it
// and what the caller gets.
func TestRetryPolicy(t *testing.T) {
	checkNoLeaks(t)
	ack := int32(0)
	tests := []struct {
		name    string
		fault   error // returned by the first `get` only
		opts    []DoOption
		retried bool
		check   func(error) bool // on the error when not retried
	}{
		{name: "timed out", fault: &thriftgen.TimedOutException{AcknowledgedBy: &ack}, retried: true},
		{name: "unavailable", fault: &thriftgen.UnavailableException{}, retried: true},
		{name: "dropped connection", fault: errDrop, retried: true},
		{name: "invalid request", fault: &thriftgen.InvalidRequestException{Why: "no"}, check: func(err error) bool {
			var e *cassa.InvalidRequestError
			return errors.As(err, &e) && e.Why == "no" && e.Op == "get"
		}},
		{name: "not found", fault: &thriftgen.NotFoundException{}, check: func(err error) bool { return err == cassa.ErrNotFound }},
		{name: "server error", fault: errors.New("handler blew up"), check: func(err error) bool {
			var e *ApplicationError
			return errors.As(err, &e)
		}},
		{name: "non-idempotent timed out", fault: &thriftgen.TimedOutException{}, opts: []DoOption{NonIdempotent()},
			check: func(err error) bool { return errors.Is(err, cassa.ErrTimedOut) }},
		{name: "non-idempotent dropped", fault: errDrop, opts: []DoOption{NonIdempotent()},
			check: func(err error) bool { var e *TransportError; return errors.As(err, &e) }},
		{name: "non-idempotent unavailable", fault: &thriftgen.UnavailableException{}, opts: []DoOption{NonIdempotent()}, retried: true},
		{name: "no retries", fault: &thriftgen.TimedOutException{}, opts: []DoOption{Retries(NoRetries)},
			check: func(err error) bool { var e *cassa.TimedOutError; return errors.As(err, &e) }},
	}
	f := newFake(t)
	p := openPool(t, testConfig(f.addr))
	ctx := context.Background()
	if err := insertColumn(ctx, p, "k", "c", "v"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		var n atomic.Int64
		f.setFault(func(method string) error {
			if method == "get" && n.Add(1) == 1 {
				return tt.fault
			}
			return nil
		})
		before := f.opCount("get")
		v, err := getColumn(ctx, p, "k", "c", tt.opts...)
		calls := f.opCount("get") - before
		switch {
		case tt.retried:
			if err != nil || string(v) != "v" || calls != 2 {
				t.Errorf("%s: get = %q, %v after %d calls; want success on the retry", tt.name, v, err, calls)
			}
		default:
			if err == nil || calls != 1 || !tt.check(err) {
				t.Errorf("%s: get = %q, %v (%T) after %d calls; want that error, not retried", tt.name, v, err, err, calls)
			}
		}
	}
	f.setFault(nil)
}

func TestMaxRetriesExhausted(t *testing.T) {
	checkNoLeaks(t)
	a, b := newFake(t), newFake(t)
	for _, f := range []*fakeServer{a, b} {
		f.failGet(&thriftgen.TimedOutException{})
	}
	rec := &recorder{}
	cfg := testConfig(a.addr, b.addr)
	cfg.MaxRetries = 3
	cfg.Listeners = []Listener{rec}
	p := openPool(t, cfg)
	_, err := getColumn(context.Background(), p, "k", "c")
	var mr *MaxRetriesError
	if !errors.As(err, &mr) || mr.Attempts != 4 || len(mr.PerHost) != 2 {
		t.Fatalf("err = %v, want MaxRetriesError after 4 attempts on 2 servers", err)
	}
	var to *cassa.TimedOutError
	if !errors.As(err, &to) || !errors.Is(err, cassa.ErrTimedOut) {
		t.Errorf("MaxRetriesError does not expose the cassa.TimedOutError: %v", err)
	}
	// Retries alternate servers: each saw two of the four attempts.
	if a.opCount("get") != 2 || b.opCount("get") != 2 {
		t.Errorf("gets per server %d/%d, want 2/2", a.opCount("get"), b.opCount("get"))
	}
	// The listener saw the same errors the caller got (pycassa #241).
	fails := eventsOf[FailEvent](rec)
	if len(fails) != 4 || fails[3].Err != mr.Last || fails[0].Op != "get" || fails[0].Conn == nil {
		t.Errorf("connection_failed events %+v", fails)
	}
	if st := p.Stats(); st.Failed != 4 || st.Retries != 3 {
		t.Errorf("stats failed=%d retries=%d, want 4 and 3", st.Failed, st.Retries)
	}
}

func TestDeadlineBoundsRetries(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	f.failGet(&thriftgen.UnavailableException{})
	cfg := testConfig(f.addr)
	cfg.MaxRetries = UnlimitedRetries
	p := openPool(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := getColumn(ctx, p, "k", "c")
	var mr *MaxRetriesError
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, cassa.ErrUnavailable) || !errors.As(err, &mr) || mr.Attempts < 2 {
		t.Fatalf("err = %v, want the deadline and the last cassa.UnavailableError", err)
	}
}

// stalledGet opens a pool with no RPC timeout on a server that holds
// every get until the test ends, starts a get with ctx, and returns once
// the server has it; done receives the get's error.
func stalledGet(ctx context.Context, t *testing.T) (f *fakeServer, p *Pool, done <-chan error) {
	t.Helper()
	f = newFake(t)
	f.failGet(errStall)
	cfg := testConfig(f.addr)
	cfg.Timeout = NoTimeout
	p = openPool(t, cfg)
	t.Cleanup(f.release) // registered after openPool: runs before the pool closes
	errc := make(chan error, 1)
	go func() { _, err := getColumn(ctx, p, "k", "c"); errc <- err }()
	waitFor(t, "the get to reach the server", func() bool { return f.opCount("get") == 1 })
	return f, p, errc
}

func TestCancelInterruptsRPC(t *testing.T) {
	checkNoLeaks(t)
	ctx, cancel := context.WithCancel(context.Background())
	f, p, done := stalledGet(ctx, t)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// The interrupted connection is out of step: it must have been closed.
	if st := p.Stats(); st.Open != 0 || st.Disposed != 1 {
		t.Errorf("stats open=%d disposed=%d, want the connection closed", st.Open, st.Disposed)
	}
	f.setFault(nil)
	if err := p.Do(context.Background(), versionOp); err != nil {
		t.Fatal(err)
	}
}

func TestRPCTimeoutFailsOver(t *testing.T) {
	checkNoLeaks(t)
	slow, fast := newFake(t), newFake(t)
	slow.failGet(errStall)
	defer slow.release()
	rec := &recorder{}
	cfg := testConfig(slow.addr, fast.addr)
	cfg.Listeners = []Listener{rec}
	cfg.Timeout = 50 * time.Millisecond
	cfg.Prefill = true
	cfg.PoolSize = 2
	p := openPool(t, cfg)
	ctx := context.Background()
	slow.put("k", "c", "v")
	fast.put("k", "c", "v")
	for i := 0; i < 4; i++ {
		if _, err := getColumn(ctx, p, "k", "c"); err != nil {
			t.Fatalf("get %d: %v", i, err)
		}
	}
	// The stalled server was marked down (its probe, describe_version,
	// answers, so it may be back up by now).
	var down bool
	for _, e := range eventsOf[ServerEvent](rec) {
		down = down || (e.Server == slow.addr && e.Err != nil)
	}
	var te *TransportError
	if !down || len(eventsOf[FailEvent](rec)) == 0 || !errors.As(eventsOf[FailEvent](rec)[0].Err, &te) || !te.Timeout() {
		t.Errorf("no timeout failure and server down event: %+v", rec.all())
	}
}

func TestPoolTimeout(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	rec := &recorder{}
	cfg := testConfig(f.addr)
	cfg.PoolSize = 1
	cfg.PoolTimeout = 30 * time.Millisecond
	cfg.Listeners = []Listener{rec}
	p := openPool(t, cfg)
	ctx := context.Background()

	release := holdConn(ctx, p)
	err := p.Do(ctx, versionOp)
	var pt *PoolTimeoutError
	if !errors.Is(err, ErrPoolTimeout) || !errors.As(err, &pt) {
		t.Fatalf("err = %v, want PoolTimeoutError", err)
	}
	if pt.PoolSize != 1 || pt.MaxOverflow != 0 || pt.InUse != 1 || pt.Open != 1 || pt.Waited < 30*time.Millisecond {
		t.Errorf("pool timeout %+v", pt)
	}
	if m := eventsOf[PoolAtMaxEvent](rec); len(m) != 1 || m[0].PoolMax != 1 {
		t.Errorf("pool_at_max events %+v", m)
	}

	// A context deadline ends the wait too, with the context's error.
	cctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	if err := p.Do(cctx, versionOp); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
	release()
	if err := p.Do(ctx, versionOp); err != nil {
		t.Fatal(err)
	}
	if st := p.Stats(); st.AtMax != 1 || st.Waiting != 0 || st.InUse != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestPoolTimeoutModes(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	for _, tt := range []struct {
		name    string
		timeout time.Duration
		want    error
	}{
		{"NoWait", NoWait, ErrPoolTimeout},
		{"WaitForever", WaitForever, context.DeadlineExceeded},
	} {
		cfg := testConfig(f.addr)
		cfg.PoolSize = 1
		cfg.PoolTimeout = tt.timeout
		p := openPool(t, cfg)
		release := holdConn(context.Background(), p)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		err := p.Do(ctx, versionOp)
		cancel()
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
		release()
		p.Close(context.Background())
	}
}

func TestWaitersServedInOrder(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	cfg := testConfig(f.addr)
	cfg.PoolSize = 2
	p := openPool(t, cfg)
	var wg sync.WaitGroup
	var maxSeen, cur atomic.Int64
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := p.Do(context.Background(), func(ctx context.Context, c *Conn) error {
				n := cur.Add(1)
				for {
					m := maxSeen.Load()
					if n <= m || maxSeen.CompareAndSwap(m, n) {
						break
					}
				}
				defer cur.Add(-1)
				return versionOp(ctx, c)
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	st := p.Stats()
	if maxSeen.Load() > 2 || st.MaxOpen > 2 || st.Open != 2 || st.InUse != 0 || st.Waiting != 0 {
		t.Errorf("max concurrent %d, stats %+v", maxSeen.Load(), st)
	}
}

func TestOverflow(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	rec := &recorder{}
	cfg := testConfig(f.addr)
	cfg.PoolSize = 1
	cfg.MaxOverflow = 2
	cfg.PoolTimeout = NoWait
	cfg.Listeners = []Listener{rec}
	p := openPool(t, cfg)
	ctx := context.Background()

	var held sync.WaitGroup
	hold := make(chan struct{})
	held.Add(3)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.Do(ctx, func(ctx context.Context, c *Conn) error {
				held.Done()
				<-hold
				return versionOp(ctx, c)
			}); err != nil {
				t.Error(err)
			}
		}()
	}
	held.Wait()
	if st := p.Stats(); st.Open != 3 || st.InUse != 3 {
		t.Errorf("with 3 in use: %+v", st)
	}
	if err := p.Do(ctx, versionOp); !errors.Is(err, ErrPoolTimeout) {
		t.Errorf("beyond PoolSize+MaxOverflow: %v, want ErrPoolTimeout", err)
	}
	close(hold)
	wg.Wait()
	st := p.Stats()
	if st.Open != 1 || st.Idle != 1 || st.MaxOpen != 3 || st.Created != 3 {
		t.Errorf("after return: %+v", st)
	}
	if full := disposedFor(rec, func(r string) bool { return r == "pool is already full" }); full != 2 {
		t.Errorf("%d overflow connections closed on return, want 2", full)
	}
}

func TestPrefersIdleConnection(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	cfg := testConfig(f.addr)
	cfg.PoolSize = 5
	p := openPool(t, cfg)
	for i := 0; i < 20; i++ {
		if err := p.Do(context.Background(), versionOp); err != nil {
			t.Fatal(err)
		}
	}
	// Sequential use needs one connection; pycassa would have opened five.
	if st := p.Stats(); st.Created != 1 || f.accepted.Load() != 1 {
		t.Errorf("created %d connections (server accepted %d), want 1", st.Created, f.accepted.Load())
	}
}

func TestPrefill(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	cfg := testConfig(f.addr)
	cfg.PoolSize = 4
	cfg.Prefill = true
	p := openPool(t, cfg)
	if st := p.Stats(); st.Open != 4 || st.Idle != 4 || f.accepted.Load() != 4 {
		t.Errorf("after prefill: %+v, server accepted %d", st, f.accepted.Load())
	}
}

func TestRecycle(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	rec := &recorder{}
	cfg := testConfig(f.addr)
	cfg.PoolSize = 1
	cfg.Recycle = 3
	cfg.Keyspace = ""
	cfg.Listeners = []Listener{rec}
	p := openPool(t, cfg)
	for i := 0; i < 8; i++ {
		if err := p.Do(context.Background(), versionOp); err != nil {
			t.Fatal(err)
		}
	}
	// Recycled when a connection has run more than 3 RPCs: after the 4th
	// and the 8th.
	r := eventsOf[RecycleEvent](rec)
	if len(r) != 2 || r[0].Old.Ops != 4 || r[0].New.ID == r[0].Old.ID || r[1].Old.ID != r[0].New.ID {
		t.Fatalf("recycled events %+v", r)
	}
	st := p.Stats()
	if st.Recycled != 2 || st.Created != 3 || st.Open != 1 {
		t.Errorf("stats %+v", st)
	}
	var reasons []string
	for _, d := range eventsOf[DisposeEvent](rec) {
		reasons = append(reasons, d.Reason)
	}
	if len(reasons) != 2 || reasons[0] != "recycling connection" {
		t.Errorf("dispose reasons %q", reasons)
	}
}

// TestHalfClosedSocket is pycassa #222: after a server restart the pool
// holds sockets the peer closed. They must be found before use, so no
// operation fails or even retries.
func TestHalfClosedSocket(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	rec := &recorder{}
	cfg := testConfig(f.addr)
	cfg.PoolSize = 3
	cfg.Prefill = true
	cfg.Listeners = []Listener{rec}
	p := openPool(t, cfg)
	f.dropConns()
	waitFor(t, "server to close its sockets", func() bool { return f.openConns() == 0 })
	for i := 0; i < 5; i++ {
		if err := p.Do(context.Background(), versionOp); err != nil {
			t.Fatal(err)
		}
	}
	st := p.Stats()
	if st.Failed != 0 || st.Retries != 0 {
		t.Errorf("stats failed=%d retries=%d: a dead socket was handed out", st.Failed, st.Retries)
	}
	if dead := disposedFor(rec, func(r string) bool { return strings.HasPrefix(r, "closed by server") }); dead != 3 {
		t.Errorf("%d dead sockets disposed, want 3", dead)
	}
}

// TestHalfClosedThroughProxy half-closes (FIN towards the client, socket
// otherwise open) rather than closing.
func TestHalfClosedThroughProxy(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	px := newProxy(t, f.addr, nil)
	cfg := testConfig(px.addr())
	cfg.PoolSize = 2
	cfg.Prefill = true
	p := openPool(t, cfg)
	px.halfClose()
	for i := 0; i < 4; i++ {
		if err := p.Do(context.Background(), versionOp); err != nil {
			t.Fatal(err)
		}
	}
	if st := p.Stats(); st.Failed != 0 {
		t.Errorf("failed = %d, want the half-closed sockets skipped", st.Failed)
	}
}

func TestCloseWaitsForCheckedOut(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	p := openPool(t, testConfig(f.addr))
	hold, held := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- p.Do(context.Background(), func(ctx context.Context, c *Conn) error {
			close(held)
			<-hold
			return versionOp(ctx, c)
		})
	}()
	<-held
	closed := make(chan error, 1)
	go func() { closed <- p.Close(context.Background()) }()
	select {
	case err := <-closed:
		t.Fatalf("Close returned %v with a connection checked out", err)
	case <-time.After(20 * time.Millisecond):
	}
	close(hold)
	if err := <-done; err != nil {
		t.Errorf("operation during Close: %v", err)
	}
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
	if st := p.Stats(); st.Open != 0 {
		t.Errorf("open after Close: %d", st.Open)
	}
}

func TestCloseContextInterrupts(t *testing.T) {
	checkNoLeaks(t)
	_, p, done := stalledGet(context.Background(), t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := p.Close(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Close = %v, want the context's error", err)
	}
	if err := <-done; err == nil {
		t.Error("the interrupted get succeeded")
	}
}

func TestWaitersWokenByClose(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	cfg := testConfig(f.addr)
	cfg.PoolSize = 1
	cfg.PoolTimeout = WaitForever
	p := openPool(t, cfg)
	release := holdConn(context.Background(), p)
	waited := make(chan error, 1)
	go func() { waited <- p.Do(context.Background(), versionOp) }()
	waitFor(t, "a waiter", func() bool { return p.Stats().Waiting == 1 })
	closed := make(chan error, 1)
	go func() { closed <- p.Close(context.Background()) }()
	if err := <-waited; err != ErrPoolClosed {
		t.Errorf("waiter got %v, want ErrPoolClosed", err)
	}
	release()
	if err := <-closed; err != nil {
		t.Error(err)
	}
}

// TestRetryReusesConnection: on a one-server pool a retry after a
// Cassandra timeout reuses the connection (it is sound) rather than
// opening new ones.
func TestRetryReusesConnection(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	f.failGet(&thriftgen.TimedOutException{})
	cfg := testConfig(f.addr)
	cfg.MaxRetries = 4
	p := openPool(t, cfg)
	if _, err := getColumn(context.Background(), p, "k", "c"); !errors.Is(err, cassa.ErrTimedOut) {
		t.Fatalf("err = %v", err)
	}
	if st := p.Stats(); st.Created != 1 || f.opCount("get") != 5 {
		t.Errorf("%d connections for 5 attempts (want 1); gets %d", st.Created, f.opCount("get"))
	}
}
