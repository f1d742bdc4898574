package pool

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/thriftgen"
)

// loadUntil runs workers goroutines doing gets until stop is closed or each
// has done max operations, and returns how many ran and the failures.
func loadUntil(p *Pool, workers, max int, stop <-chan struct{}, progress *atomic.Int64) (int64, []error) {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		ran  atomic.Int64
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < max; i++ {
				select {
				case <-stop:
					return
				default:
				}
				key := fmt.Sprintf("k%d", (w*max+i)%10)
				if _, err := getColumn(context.Background(), p, key, "c"); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
				ran.Add(1)
				if progress != nil {
					progress.Add(1)
				}
			}
		}(w)
	}
	wg.Wait()
	return ran.Load(), errs
}

func putAll(fs []*fakeServer) {
	for _, f := range fs {
		for i := 0; i < 10; i++ {
			f.put(fmt.Sprintf("k%d", i), "c", "v")
		}
	}
}

// TestFailoverMidLoad stops one of three servers while eight goroutines
// run gets: no operation may fail. Then the server comes back and the
// pool, having probed it, uses it again.
func TestFailoverMidLoad(t *testing.T) {
	checkNoLeaks(t)
	fs := []*fakeServer{newFake(t), newFake(t), newFake(t)}
	putAll(fs)
	rec := &recorder{}
	cfg := testConfig(fs[0].addr, fs[1].addr, fs[2].addr)
	cfg.PoolSize = 6
	cfg.Prefill = true
	cfg.Recycle = 50
	cfg.Listeners = []Listener{rec}
	p := openPool(t, cfg)
	victim := fs[1]

	var progress atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	var ran int64
	var errs []error
	go func() {
		ran, errs = loadUntil(p, 8, 400, stop, &progress)
		close(done)
	}()
	waitFor(t, "load to start", func() bool { return progress.Load() > 200 })
	victim.stop()
	at := progress.Load()
	waitFor(t, "load to go on without the victim", func() bool { return progress.Load() > at+500 })
	victim.restart()
	waitFor(t, "the victim back in rotation", func() bool { return len(eventsOf[ServerEvent](rec)) >= 2 })
	<-done
	close(stop)
	if len(errs) > 0 {
		t.Fatalf("%d of %d operations failed during failover; first: %v", len(errs), ran, errs[0])
	}
	var down, up []ServerEvent
	for _, e := range eventsOf[ServerEvent](rec) {
		if e.Err != nil {
			down = append(down, e)
		} else {
			up = append(up, e)
		}
	}
	if len(down) != 1 || down[0].Server != victim.addr || len(up) != 1 || up[0].Server != victim.addr {
		t.Errorf("server events down=%+v up=%+v", down, up)
	}
	// Back in rotation: recycled connections spread to it again.
	if s := serverStats(p.Stats(), victim.addr); !s.Up {
		t.Errorf("victim not up: %+v", s)
	}
	before := victim.opCount("get")
	if _, errs := loadUntil(p, 4, 100, nil, nil); len(errs) > 0 {
		t.Fatalf("after recovery: %v", errs[0])
	}
	if victim.opCount("get") == before {
		t.Errorf("no operation reached the recovered server")
	}
}

func serverStats(st Stats, addr string) ServerStats {
	for _, s := range st.Servers {
		if s.Addr == addr {
			return s
		}
	}
	return ServerStats{}
}

// TestRecoveryAfterAllDown: with every server gone, operations fail with
// ErrAllServersUnavailable naming each; when one returns, operations work
// again without reopening the pool.
func TestRecoveryAfterAllDown(t *testing.T) {
	checkNoLeaks(t)
	a, b := newFake(t), newFake(t)
	cfg := testConfig(a.addr, b.addr)
	cfg.MaxRetries = 2
	p := openPool(t, cfg)
	a.stop()
	b.stop()
	err := p.Do(context.Background(), versionOp)
	var mr *MaxRetriesError
	if !errors.Is(err, ErrAllServersUnavailable) || !errors.As(err, &mr) {
		t.Fatalf("err = %v, want all servers unavailable", err)
	}
	var all *AllServersUnavailableError
	if !errors.As(err, &all) || len(all.Servers) != 2 {
		t.Errorf("err does not name both servers: %v", err)
	}
	st := p.Stats()
	if serverStats(st, a.addr).Up || serverStats(st, b.addr).Up {
		t.Errorf("servers not marked down: %+v", st.Servers)
	}
	b.restart()
	waitFor(t, "b back up", func() bool { return serverStats(p.Stats(), b.addr).Up })
	if err := p.Do(context.Background(), versionOp); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
	// a is still known and still probed: never forgotten.
	if s := serverStats(p.Stats(), a.addr); s.Addr == "" || s.Up || s.LastErr == nil {
		t.Errorf("a: %+v", s)
	}
	a.restart()
	waitFor(t, "a back up", func() bool { return serverStats(p.Stats(), a.addr).Up })
}

// TestAllServersUnavailableWhateverTheCount: ErrAllServersUnavailable
// means no server could be reached, with one server as with several, in
// Open and in Do, and the error still names each server's failure.
func TestAllServersUnavailableWhateverTheCount(t *testing.T) {
	checkNoLeaks(t)
	for _, n := range []int{1, 2, 3} {
		var fakes []*fakeServer
		var addrs []string
		for range n {
			f := newFake(t)
			fakes = append(fakes, f)
			addrs = append(addrs, f.addr)
		}
		cfg := testConfig(addrs...)
		cfg.MaxRetries = 2
		p := openPool(t, cfg)
		for _, f := range fakes {
			f.stop()
		}
		err := p.Do(context.Background(), versionOp)
		var all *AllServersUnavailableError
		if !errors.Is(err, ErrAllServersUnavailable) || !errors.As(err, &all) || len(all.Servers) != n {
			t.Errorf("%d servers down, Do: %v, want ErrAllServersUnavailable naming each", n, err)
		}
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("%d servers down, Do: %v does not keep the dial error", n, err)
		}
		_, err = Open(context.Background(), testConfig(addrs...))
		if !errors.Is(err, ErrAllServersUnavailable) || !errors.As(err, &all) || len(all.Servers) != n {
			t.Errorf("%d servers down, Open: %v, want ErrAllServersUnavailable naming each", n, err)
		}
	}
}

// TestDownServerUsedAsLastResort: a server marked down but answering again
// is dialled when nothing else is up, before its probe is due.
func TestDownServerUsedAsLastResort(t *testing.T) {
	checkNoLeaks(t)
	a := newFake(t)
	cfg := testConfig(a.addr)
	cfg.ProbeInterval = 1 << 40 // never within the test
	cfg.ProbeMax = 1 << 40
	p := openPool(t, cfg)
	a.stop()
	if err := p.Do(context.Background(), versionOp); err == nil {
		t.Fatal("Do succeeded with the only server stopped")
	}
	a.restart()
	if err := p.Do(context.Background(), versionOp); err != nil {
		t.Fatalf("Do with the server back but marked down: %v", err)
	}
	if !serverStats(p.Stats(), a.addr).Up {
		t.Error("a successful connection did not mark the server up")
	}
}

// TestProxyFaults drives failures a stopped server cannot: connections
// refused after accept, cut mid-stream, stalled.
func TestProxyFaults(t *testing.T) {
	checkNoLeaks(t)
	good := newFake(t)
	behind := newFake(t)
	putAll([]*fakeServer{good, behind})
	px := newProxy(t, behind.addr, nil)
	cfg := testConfig(px.addr(), good.addr)
	cfg.PoolSize = 2
	cfg.Prefill = true
	cfg.Recycle = 2 // new connections all the time, round robin
	cfg.Timeout = 100 * time.Millisecond
	p := openPool(t, cfg)

	run := func(name string, seen func(Stats) bool) {
		t.Helper()
		for i := 0; i < 200 && !seen(p.Stats()); i++ {
			if _, err := getColumn(context.Background(), p, fmt.Sprintf("k%d", i%10), "c"); err != nil {
				t.Fatalf("%s: op %d: %v", name, i, err)
			}
		}
		if !seen(p.Stats()) {
			t.Fatalf("%s: the fault was never hit: %+v", name, p.Stats())
		}
	}
	st := p.Stats()
	px.cut()
	run("cut", func(s Stats) bool { return s.Disposed > st.Disposed+1 })
	st = p.Stats()
	px.setRefuse(true)
	run("refused", func(s Stats) bool { return s.CreateFailed > st.CreateFailed })
	px.setRefuse(false)
	waitFor(t, "proxied server back up", func() bool { return serverStats(p.Stats(), px.addr()).Up })
	st = p.Stats()
	px.setStall(true)
	run("stalled", func(s Stats) bool { return s.Failed > st.Failed })
	px.setStall(false)
	if st := p.Stats(); st.InUse != 0 {
		t.Errorf("in use after the faults: %+v", st)
	}
}

// TestServerListFunc: the list comes from Config.ServerList at Open, and
// again when every known server is down; servers it once gave are kept.
func TestServerListFunc(t *testing.T) {
	checkNoLeaks(t)
	a, b := newFake(t), newFake(t)
	var mu sync.Mutex
	list := []string{a.addr}
	calls := 0
	cfg := testConfig()
	cfg.ServerList = func() []string {
		mu.Lock()
		defer mu.Unlock()
		calls++
		return append([]string{"not an address:x"}, list...)
	}
	cfg.MaxRetries = 3
	p := openPool(t, cfg)
	if err := p.Do(context.Background(), versionOp); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	list = []string{b.addr}
	mu.Unlock()
	a.stop()
	// a fails, is marked down, the list is asked again and b is used.
	if err := p.Do(context.Background(), versionOp); err != nil {
		t.Fatalf("after a went down: %v", err)
	}
	mu.Lock()
	n := calls
	mu.Unlock()
	st := p.Stats()
	if n != 2 || len(st.Servers) != 2 || st.ServerLists != 2 {
		t.Errorf("ServerList called %d times, servers %+v, lists %d", n, st.Servers, st.ServerLists)
	}
}

// TestRetriesOption: the per-call option overrides Config.MaxRetries.
func TestRetriesOption(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	f.failGet(&thriftgen.UnavailableException{})
	cfg := testConfig(f.addr)
	cfg.MaxRetries = NoRetries
	p := openPool(t, cfg)
	for _, tt := range []struct {
		opts  []DoOption
		calls int64
	}{
		{nil, 1},
		{[]DoOption{Retries(2)}, 3},
		{[]DoOption{Retries(0)}, 1}, // 0 keeps the pool's setting
		{[]DoOption{RoutingKey([]byte("k")), Retries(1)}, 2},
	} {
		before := f.opCount("get")
		_, err := getColumn(context.Background(), p, "k", "c", tt.opts...)
		if n := f.opCount("get") - before; n != tt.calls || !errors.Is(err, cassa.ErrUnavailable) {
			t.Errorf("opts %+v: %d calls, err %v; want %d calls", tt.opts, n, err, tt.calls)
		}
	}
}
