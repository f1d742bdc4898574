package pool

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thriftgen"
)

// End-to-end tests of the retry and failover policy against the embedded
// server's fault injection (server.Faults): every failure here is a real
// Thrift reply (or a real closed socket) from a real server, not a fake.
//
// The servers share no data: each is a separate node with its own copy of
// the schema, so a value written through the pool is on exactly the one
// server whose attempt succeeded. The injected faults answer before the
// method runs, so a faulted call applied nothing.

// faultCluster starts n embedded servers with the PoolTest schema (rows
// k0..k9 of "cf" hold c = "v") plus a UTF-8 column family "u" and a
// counter column family "ctr", and clears every fault rule at cleanup.
func faultCluster(t *testing.T, n int) []*server.Server {
	t.Helper()
	var srvs []*server.Server
	for i := 0; i < n; i++ {
		s := cassatest.Start(t).Embedded()
		createTestKeyspace(t, s.Addr(), false)
		addFaultSchema(t, s.Addr())
		srvs = append(srvs, s)
		t.Cleanup(s.Faults().Clear)
	}
	return srvs
}

func addFaultSchema(t *testing.T, addr string) {
	t.Helper()
	p, err := Open(context.Background(), Config{Servers: []string{addr}, Keyspace: testKeyspace, PoolSize: 1})
	if err != nil {
		t.Fatalf("schema pool: %v", err)
	}
	defer p.Close(context.Background())
	utf8 := "UTF8Type"
	counter := "CounterColumnType"
	for _, d := range []struct{ name, validation string }{{"u", utf8}, {"ctr", counter}} {
		def := thriftgen.NewCfDef()
		def.Keyspace, def.Name, def.ComparatorType = testKeyspace, d.name, utf8
		def.KeyValidationClass, def.DefaultValidationClass = &utf8, &d.validation
		err := p.Do(context.Background(), func(ctx context.Context, c *Conn) error {
			_, err := c.Client().SystemAddColumnFamily(ctx, def)
			return err
		})
		if err != nil {
			t.Fatalf("system_add_column_family %s: %v", d.name, err)
		}
	}
}

// faultPool opens a pool over srvs with fast backoff and probes, a
// recorder, and one connection per server opened up front.
func faultPool(t *testing.T, srvs []*server.Server, edit func(*Config)) (*Pool, *recorder) {
	t.Helper()
	rec := &recorder{}
	cfg := testConfig(addrsOf(srvs)...)
	cfg.Keyspace = testKeyspace
	cfg.PoolSize = len(srvs)
	cfg.Prefill = true
	cfg.Timeout = 2 * time.Second
	cfg.Listeners = []Listener{rec}
	if edit != nil {
		edit(&cfg)
	}
	return openPool(t, cfg), rec
}

func addrsOf(srvs []*server.Server) []string {
	var out []string
	for _, s := range srvs {
		out = append(out, s.Addr())
	}
	return out
}

// addFault adds r to srv's injector, failing the test if it is refused.
func addFault(t *testing.T, srv *server.Server, r server.FaultRule) server.FaultID {
	t.Helper()
	id, err := srv.Faults().Add(r)
	if err != nil {
		t.Fatalf("Faults().Add(%+v): %v", r, err)
	}
	return id
}

// failsOn returns the connection_failed events about addr.
func failsOn(rec *recorder, addr string) []FailEvent {
	var out []FailEvent
	for _, e := range eventsOf[FailEvent](rec) {
		if e.Server == addr {
			out = append(out, e)
		}
	}
	return out
}

// untilFailedOn runs op until one of its attempts failed on addr (the
// pool spreads operations over the servers, so that takes a few), and
// fails the test if any operation fails or none reaches addr.
func untilFailedOn(t *testing.T, rec *recorder, addr string, op func() error) FailEvent {
	t.Helper()
	for i := 0; i < 30; i++ {
		if err := op(); err != nil {
			t.Fatalf("operation %d failed although other servers are healthy: %v", i, err)
		}
		if fs := failsOn(rec, addr); len(fs) > 0 {
			return fs[0]
		}
	}
	t.Fatalf("30 operations and none was tried on %s", addr)
	return FailEvent{}
}

// checkouts is a Listener that keeps the connections lent, in order.
type checkouts struct {
	NopListener
	mu  sync.Mutex
	ids []ConnInfo
}

func (c *checkouts) ConnectionCheckedOut(e ConnEvent) {
	c.mu.Lock()
	c.ids = append(c.ids, e.Conn)
	c.mu.Unlock()
}

func (c *checkouts) all() []ConnInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]ConnInfo(nil), c.ids...)
}

// attemptCounter measures the attempts of one operation by the pool's
// counters: each attempt is one checkout.
type attemptCounter struct {
	p      *Pool
	before Stats
}

func countAttempts(p *Pool) attemptCounter { return attemptCounter{p: p, before: p.Stats()} }

func (a attemptCounter) attempts() int64 { return a.p.Stats().CheckedOut - a.before.CheckedOut }
func (a attemptCounter) retries() int64  { return a.p.Stats().Retries - a.before.Retries }

// hostErr returns the Host of a typed per-attempt error, "" if untyped.
func hostErr(err error) string {
	var (
		to *cassa.TimedOutError
		ue *cassa.UnavailableError
		tr *TransportError
	)
	switch {
	case errors.As(err, &to):
		return to.Host
	case errors.As(err, &ue):
		return ue.Host
	case errors.As(err, &tr):
		return tr.Host
	}
	return ""
}

// TestFaultsFailover: a server answering TimedOutException or
// UnavailableException for get or insert (once, or until cleared) costs
// one attempt; the operation succeeds on another server, the server is not
// marked down (it answered), and connection_failed names it and the error.
func TestFaultsFailover(t *testing.T) {
	checkNoLeaks(t)
	srvs := faultCluster(t, 3)
	victim := srvs[0]
	ctx := context.Background()
	tests := []struct {
		name   string
		method string
		fail   server.FaultFailure
		times  int
		is     error
	}{
		{"get timed out once", "get", server.FaultTimedOut, 1, cassa.ErrTimedOut},
		{"get timed out always", "get", server.FaultTimedOut, 0, cassa.ErrTimedOut},
		{"insert timed out once", "insert", server.FaultTimedOut, 1, cassa.ErrTimedOut},
		{"insert timed out always", "insert", server.FaultTimedOut, 0, cassa.ErrTimedOut},
		{"get unavailable always", "get", server.FaultUnavailable, 0, cassa.ErrUnavailable},
		{"insert unavailable once", "insert", server.FaultUnavailable, 1, cassa.ErrUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer victim.Faults().Clear()
			p, rec := faultPool(t, srvs, nil)
			addFault(t, victim, server.FaultRule{Method: tc.method, Times: tc.times, Fail: tc.fail})
			n := 0
			op := func() error {
				n++
				if tc.method == "get" {
					v, err := getColumn(ctx, p, "k1", "c")
					if err == nil && string(v) != "v" {
						return fmt.Errorf("get = %q, want v", v)
					}
					return err
				}
				return insertColumn(ctx, p, fmt.Sprintf("ins%d", n), "c", "x")
			}
			ev := untilFailedOn(t, rec, victim.Addr(), op)
			if !errors.Is(ev.Err, tc.is) || hostErr(ev.Err) != victim.Addr() {
				t.Errorf("connection_failed Err = %v, want %v from %s", ev.Err, tc.is, victim.Addr())
			}
			if ev.Op != tc.method || ev.Conn == nil || ev.Conn.Server != victim.Addr() {
				t.Errorf("connection_failed Op %q Conn %+v, want %q on %s", ev.Op, ev.Conn, tc.method, victim.Addr())
			}
			if s := serverStats(p.Stats(), victim.Addr()); !s.Up {
				t.Errorf("a server that answered %v was marked down: %+v", tc.is, s)
			}
			if len(eventsOf[ServerEvent](rec)) != 0 {
				t.Errorf("server events after an answered failure: %+v", eventsOf[ServerEvent](rec))
			}
			if got := p.Stats().Retries; got != 1 {
				t.Errorf("Stats.Retries = %d, want 1 (one failed attempt)", got)
			}
			if tc.times == 1 && victim.Faults().Len() != 0 {
				t.Errorf("the Times: 1 rule was not used up")
			}
		})
	}
}

// TestFaultsAllServersFail: when every server fails every call, Do gives
// up after MaxRetries+1 attempts with a *MaxRetriesError that names each
// server's last error, and one connection_failed per attempt.
func TestFaultsAllServersFail(t *testing.T) {
	checkNoLeaks(t)
	srvs := faultCluster(t, 3)
	ctx := context.Background()
	tests := []struct {
		name   string
		method string
		fail   server.FaultFailure
		is     error
	}{
		{"get timed out", "get", server.FaultTimedOut, cassa.ErrTimedOut},
		{"insert timed out", "insert", server.FaultTimedOut, cassa.ErrTimedOut},
		{"get unavailable", "get", server.FaultUnavailable, cassa.ErrUnavailable},
		{"insert unavailable", "insert", server.FaultUnavailable, cassa.ErrUnavailable},
	}
	const maxRetries = 3
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, rec := faultPool(t, srvs, func(c *Config) { c.MaxRetries = maxRetries })
			for _, s := range srvs {
				addFault(t, s, server.FaultRule{Method: tc.method, Fail: tc.fail})
				defer s.Faults().Clear()
			}
			var err error
			if tc.method == "get" {
				_, err = getColumn(ctx, p, "k1", "c")
			} else {
				err = insertColumn(ctx, p, "k1", "c", "x")
			}
			var mr *MaxRetriesError
			if !errors.As(err, &mr) {
				t.Fatalf("err = %v, want *MaxRetriesError", err)
			}
			if mr.Attempts != maxRetries+1 || mr.Ctx != nil || !errors.Is(err, tc.is) || !errors.Is(mr.Last, tc.is) {
				t.Errorf("MaxRetriesError{Attempts %d, Last %v, Ctx %v}, want %d attempts ending in %v",
					mr.Attempts, mr.Last, mr.Ctx, maxRetries+1, tc.is)
			}
			var hosts []string
			for _, he := range mr.PerHost {
				hosts = append(hosts, he.Host)
				if !errors.Is(he.Err, tc.is) || hostErr(he.Err) != he.Host {
					t.Errorf("PerHost[%s] = %v, want %v from that host", he.Host, he.Err, tc.is)
				}
			}
			want := addrsOf(srvs)
			sort.Strings(hosts)
			sort.Strings(want)
			if fmt.Sprint(hosts) != fmt.Sprint(want) {
				t.Errorf("PerHost hosts = %v, want each server once: %v", hosts, want)
			}
			fails := eventsOf[FailEvent](rec)
			var firstFailed []string
			for _, e := range fails {
				if !slices.Contains(firstFailed, e.Server) {
					firstFailed = append(firstFailed, e.Server)
				}
			}
			var perHostOrder []string
			for _, he := range mr.PerHost {
				perHostOrder = append(perHostOrder, he.Host)
			}
			if fmt.Sprint(perHostOrder) != fmt.Sprint(firstFailed) {
				t.Errorf("PerHost order %v, want the order of first failure %v", perHostOrder, firstFailed)
			}
			if len(fails) != maxRetries+1 {
				t.Errorf("%d connection_failed events, want %d", len(fails), maxRetries+1)
			}
			for _, e := range fails {
				if e.Server == "" || hostErr(e.Err) != e.Server || e.Op != tc.method {
					t.Errorf("connection_failed %+v: want the server, its %v and op %q", e, tc.is, tc.method)
				}
			}
			if st := p.Stats(); st.Retries != maxRetries {
				t.Errorf("Stats.Retries = %d, want %d", st.Retries, maxRetries)
			}
		})
	}
}

// TestFaultsRetriesOption: Retries overrides Config.MaxRetries for one
// operation against servers that all time out; a single attempt's error
// comes back as is, more attempts as a *MaxRetriesError.
func TestFaultsRetriesOption(t *testing.T) {
	checkNoLeaks(t)
	srvs := faultCluster(t, 2)
	ctx := context.Background()
	p, _ := faultPool(t, srvs, nil)
	for _, s := range srvs {
		addFault(t, s, server.FaultRule{Method: "get", Fail: server.FaultTimedOut})
	}
	tests := []struct {
		name     string
		opt      DoOption
		attempts int64
	}{
		{"NoRetries", Retries(NoRetries), 1},
		{"one retry", Retries(1), 2},
		{"four retries", Retries(4), 5},
		{"zero keeps the pool's five", Retries(0), 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := countAttempts(p)
			_, err := getColumn(ctx, p, "k1", "c", tc.opt)
			if got := n.attempts(); got != tc.attempts {
				t.Errorf("%d attempts, want %d", got, tc.attempts)
			}
			var (
				to *cassa.TimedOutError
				mr *MaxRetriesError
			)
			switch {
			case tc.attempts == 1 && !(errors.As(err, &to) && !errors.As(err, &mr)):
				t.Errorf("err = %v (%T), want the *cassa.TimedOutError as is", err, err)
			case tc.attempts > 1 && !(errors.As(err, &mr) && int64(mr.Attempts) == tc.attempts && errors.Is(err, cassa.ErrTimedOut)):
				t.Errorf("err = %v (%T), want a *MaxRetriesError of %d timeouts", err, err, tc.attempts)
			}
		})
	}
}

// TestFaultsDrop: a connection closed without a reply is a transport
// error: the operation is retried elsewhere, the connection is disposed and
// never lent again, and the server is marked down until a probe
// (describe_version, not faulted) brings it back.
func TestFaultsDrop(t *testing.T) {
	checkNoLeaks(t)
	srvs := faultCluster(t, 3)
	victim := srvs[0]
	ctx := context.Background()
	tests := []struct {
		name   string
		method string
		times  int
	}{
		{"get once", "get", 1},
		{"get always", "get", 0},
		{"insert always", "insert", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer victim.Faults().Clear()
			lent := &checkouts{}
			p, rec := faultPool(t, srvs, func(c *Config) { c.Listeners = append(c.Listeners, lent) })
			addFault(t, victim, server.FaultRule{Method: tc.method, Times: tc.times, Drop: true})
			n := 0
			ev := untilFailedOn(t, rec, victim.Addr(), func() error {
				n++
				if tc.method == "get" {
					_, err := getColumn(ctx, p, "k1", "c")
					return err
				}
				return insertColumn(ctx, p, fmt.Sprintf("drop%d", n), "c", "x")
			})
			var tr *TransportError
			if !errors.As(ev.Err, &tr) || tr.Host != victim.Addr() || ev.Op != tc.method || ev.Conn == nil {
				t.Fatalf("connection_failed %+v, want a *TransportError from %s on %q with its connection", ev, victim.Addr(), tc.method)
			}
			dropped := ev.Conn.ID
			var disposed bool
			for _, d := range eventsOf[DisposeEvent](rec) {
				disposed = disposed || d.Conn.ID == dropped
			}
			if !disposed {
				t.Errorf("dropped connection %d was not disposed", dropped)
			}
			if st := p.Stats(); st.Disposed+st.DisposeFailed < 1 || st.Failed < 1 {
				t.Errorf("Stats after a drop: %+v", st)
			}
			downs := eventsOf[ServerEvent](rec)
			if len(downs) == 0 || downs[0].Server != victim.Addr() || downs[0].Err == nil {
				t.Errorf("server events %+v, want %s marked down with the error", downs, victim.Addr())
			}
			// The probe answers (describe_version is not faulted), so the
			// server comes back; operations go on and never get the
			// dropped connection.
			lentBefore := len(lent.all())
			waitFor(t, "the dropped server back up", func() bool { return serverStats(p.Stats(), victim.Addr()).Up })
			for i := 0; i < 6; i++ {
				if tc.method == "get" {
					_, _ = getColumn(ctx, p, "k2", "c")
				} else {
					_ = insertColumn(ctx, p, "again", "c", "x")
				}
			}
			all := lent.all()
			if len(all) < lentBefore+6 {
				t.Errorf("%d checkouts after recovery, want at least 6", len(all)-lentBefore)
			}
			for _, c := range all[lentBefore:] {
				if c.ID == dropped {
					t.Errorf("dropped connection %d lent again", dropped)
				}
			}
		})
	}
}

// TestFaultsDelayPastTimeout: a call held longer than Config.Timeout
// fails that attempt with a transport timeout and the operation moves on
// to another server; and the context's deadline bounds all attempts
// together, so a short deadline returns the context's error well before
// the retries could have run.
func TestFaultsDelayPastTimeout(t *testing.T) {
	checkNoLeaks(t)
	srvs := faultCluster(t, 3)
	victim := srvs[0]
	ctx := context.Background()

	t.Run("one slow server", func(t *testing.T) {
		defer victim.Faults().Clear()
		p, rec := faultPool(t, srvs, func(c *Config) { c.Timeout = 200 * time.Millisecond })
		addFault(t, victim, server.FaultRule{Method: "get", Delay: 5 * time.Second})
		ev := untilFailedOn(t, rec, victim.Addr(), func() error {
			_, err := getColumn(ctx, p, "k1", "c")
			return err
		})
		var tr *TransportError
		if !errors.As(ev.Err, &tr) || !tr.Timeout() || tr.Host != victim.Addr() {
			t.Errorf("connection_failed Err = %v, want a transport timeout from %s", ev.Err, victim.Addr())
		}
	})

	t.Run("deadline bounds retries", func(t *testing.T) {
		const rpcTimeout = 2 * time.Second
		p, _ := faultPool(t, srvs, func(c *Config) {
			c.Timeout = rpcTimeout
			c.MaxRetries = 5
		})
		for _, s := range srvs {
			addFault(t, s, server.FaultRule{Method: "get", Delay: 10 * time.Second})
			defer s.Faults().Clear()
		}
		dctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := getColumn(dctx, p, "k1", "c")
		took := time.Since(start)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v (%T), want one matching context.DeadlineExceeded", err, err)
		}
		// Not a timing measurement: six attempts would take 12 s; the
		// deadline must stop the first one, long before its own timeout.
		if took >= rpcTimeout {
			t.Errorf("returned after %v, not bounded by the 100ms deadline", took)
		}
	})
}

// TestFaultsNotRetried: invalid requests and not-found answers are final:
// one attempt, no retry, no connection_failed, even with servers to spare.
func TestFaultsNotRetried(t *testing.T) {
	checkNoLeaks(t)
	srvs := faultCluster(t, 3)
	ctx := context.Background()
	p, rec := faultPool(t, srvs, nil)
	tests := []struct {
		name  string
		op    func() error
		check func(error) bool
	}{
		{"get on an unknown column family", func() error {
			return p.Do(ctx, func(ctx context.Context, c *Conn) error {
				_, err := c.Client().Get(ctx, []byte("k1"), &thriftgen.ColumnPath{ColumnFamily: "NoSuchCF", Column: []byte("c")}, thriftgen.ConsistencyLevel_ONE)
				return err
			})
		}, func(err error) bool {
			var ire *cassa.InvalidRequestError
			return errors.As(err, &ire) && ire.Op == "get" && ire.Why != ""
		}},
		{"insert with an empty column name", func() error {
			return insertColumn(ctx, p, "k1", "", "x")
		}, func(err error) bool {
			var ire *cassa.InvalidRequestError
			return errors.As(err, &ire) && ire.Op == "insert"
		}},
		{"thrift get of a missing column", func() error {
			_, err := getColumn(ctx, p, "k1", "nope")
			return err
		}, func(err error) bool { return err == cassa.ErrNotFound }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fails := len(eventsOf[FailEvent](rec))
			n := countAttempts(p)
			err := tc.op()
			if !tc.check(err) {
				t.Fatalf("err = %v (%T)", err, err)
			}
			if n.attempts() != 1 || n.retries() != 0 {
				t.Errorf("%d attempts, %d retries; want exactly one attempt", n.attempts(), n.retries())
			}
			if got := len(eventsOf[FailEvent](rec)) - fails; got != 0 {
				t.Errorf("%d connection_failed events for a final answer", got)
			}
		})
	}
}

// TestFaultsSwitchedWhileRunning changes rules under a running load: a
// data-method timeout on every server makes operations fail until
// Clear; a server dropping every call (describe_version included, so its
// probes fail) stays down, and returns to rotation once cleared and
// probed.
func TestFaultsSwitchedWhileRunning(t *testing.T) {
	checkNoLeaks(t)
	srvs := faultCluster(t, 2)
	ctx := context.Background()
	// A recovered server gets traffic when the pool opens a connection to
	// it: with a serial load that is when one is recycled (markUp does not
	// open one), so Recycle is small here to keep the test short.
	p, rec := faultPool(t, srvs, func(c *Config) {
		c.MaxRetries = 2
		c.Recycle = 50
	})

	var (
		mu        sync.Mutex
		ok, fails int
		lastErr   error
	)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			_, err := getColumn(ctx, p, "k3", "c")
			mu.Lock()
			if err != nil {
				fails++
				lastErr = err
			} else {
				ok++
			}
			mu.Unlock()
		}
	}()
	defer func() { close(stop); <-done }()
	counts := func() (int, int, error) {
		mu.Lock()
		defer mu.Unlock()
		return ok, fails, lastErr
	}
	waitFor(t, "the load to run", func() bool { o, _, _ := counts(); return o > 10 })

	// Every server times out every get: operations fail.
	for _, s := range srvs {
		addFault(t, s, server.FaultRule{Method: "get", Fail: server.FaultTimedOut})
	}
	_, f0, _ := counts()
	waitFor(t, "operations to fail", func() bool { _, f, _ := counts(); return f > f0+3 })
	if _, _, err := counts(); !errors.Is(err, cassa.ErrTimedOut) {
		var mr *MaxRetriesError
		if !errors.As(err, &mr) {
			t.Errorf("failed operation: %v, want a *MaxRetriesError of timeouts", err)
		}
	}
	for _, s := range srvs {
		s.Faults().Clear()
	}
	o1, _, _ := counts()
	waitFor(t, "operations to succeed again", func() bool { o, _, _ := counts(); return o > o1+10 })

	// One server drops every call, probes included: it goes down and
	// stays down while operations go on through the other.
	victim := srvs[0].Addr()
	addFault(t, srvs[0], server.FaultRule{Method: server.FaultAllMethods, Drop: true})
	waitFor(t, "the victim marked down", func() bool { return !serverStats(p.Stats(), victim).Up })
	_, f2, _ := counts()
	o2, _, _ := counts()
	waitFor(t, "operations to go on", func() bool { o, _, _ := counts(); return o > o2+20 })
	if _, f, err := counts(); f != f2 {
		t.Errorf("%d operations failed with one server of two dropping; last: %v", f-f2, err)
	}
	if serverStats(p.Stats(), victim).Up {
		t.Errorf("%s up although its probes are dropped", victim)
	}

	// Cleared: the next probe succeeds, a ServerUp follows, and the
	// server serves operations again.
	srvs[0].Faults().Clear()
	waitFor(t, "ServerUp for the victim", func() bool {
		for _, e := range eventsOf[ServerEvent](rec) {
			if e.Server == victim && e.Err == nil && e.Down > 0 {
				return true
			}
		}
		return false
	})
	mark := len(rec.all())
	waitFor(t, "an operation on the victim", func() bool {
		for _, e := range rec.all()[mark:] {
			if c, ok := e.(ConnEvent); ok && c.Conn.Server == victim {
				return true
			}
		}
		return false
	})
	if _, f, err := counts(); f != f2 {
		t.Errorf("%d operations failed around recovery; last: %v", f-f2, err)
	}
}

// TestFaultsDeadlineCutsRetries: with unlimited retries against servers
// that all time out, the context's deadline ends the operation with a
// *MaxRetriesError that carries both the context's error and the last
// timeout.
func TestFaultsDeadlineCutsRetries(t *testing.T) {
	checkNoLeaks(t)
	srvs := faultCluster(t, 3)
	p, _ := faultPool(t, srvs, func(c *Config) {
		c.MaxRetries = UnlimitedRetries
		c.BackoffBase = 10 * time.Millisecond
		c.BackoffMax = 10 * time.Millisecond
	})
	for _, s := range srvs {
		addFault(t, s, server.FaultRule{Method: "get", Fail: server.FaultTimedOut})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	_, err := getColumn(ctx, p, "k1", "c")
	var mr *MaxRetriesError
	if !errors.As(err, &mr) {
		t.Fatalf("err = %v (%T), want *MaxRetriesError", err, err)
	}
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(mr.Ctx, context.DeadlineExceeded) {
		t.Errorf("err = %v (Ctx %v, Last %v), want the deadline", err, mr.Ctx, mr.Last)
	}
	// The attempt the deadline cut is the caller's, not a server's: Last
	// and every PerHost entry are the servers' own timeouts.
	var tr *TransportError
	if !errors.Is(mr.Last, cassa.ErrTimedOut) || errors.As(err, &tr) {
		t.Errorf("Last = %v (%T), want a server's timeout", mr.Last, mr.Last)
	}
	if mr.Attempts < 3 || len(mr.PerHost) != len(srvs) {
		t.Errorf("Attempts %d, PerHost %v: want at least one timed-out attempt on each server", mr.Attempts, mr.PerHost)
	}
	for _, he := range mr.PerHost {
		if !errors.Is(he.Err, cassa.ErrTimedOut) || hostErr(he.Err) != he.Host {
			t.Errorf("PerHost[%s] = %v, want that server's timeout", he.Host, he.Err)
		}
	}
}

// TestFaultsDeadlineNotBlamedOnServer: a call still running when the
// caller's context deadline passes is the caller giving up, not the
// server failing: Do returns the context's error, and the server gets no
// connection_failed and is not marked down.
func TestFaultsDeadlineNotBlamedOnServer(t *testing.T) {
	checkNoLeaks(t)
	srvs := faultCluster(t, 2)
	p, rec := faultPool(t, srvs, func(c *Config) { c.Timeout = 5 * time.Second })
	for _, s := range srvs {
		addFault(t, s, server.FaultRule{Method: "get", Delay: 10 * time.Second})
	}
	for i := 0; i < 20; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		_, err := getColumn(ctx, p, "k1", "c")
		cancel()
		var tr *TransportError
		if !errors.Is(err, context.DeadlineExceeded) || errors.As(err, &tr) {
			t.Errorf("call %d: err = %v (%T), want the context's error alone", i, err, err)
		}
	}
	if fs := eventsOf[FailEvent](rec); len(fs) != 0 {
		t.Errorf("%d connection_failed events for the caller's deadline; first: %+v", len(fs), fs[0])
	}
	if ev := eventsOf[ServerEvent](rec); len(ev) != 0 {
		t.Errorf("%d server down/up events for the caller's deadline; first: %+v", len(ev), ev[0])
	}
	if st := p.Stats(); st.Failed != 0 {
		t.Errorf("Stats.Failed = %d for the caller's deadline, want 0", st.Failed)
	}
}

// TestFaultsEveryServerDrops: when every server drops the call, each is
// marked down, the operation fails with the transport errors, and once
// the rule is cleared the servers are probed back and serve again.
func TestFaultsEveryServerDrops(t *testing.T) {
	checkNoLeaks(t)
	srvs := faultCluster(t, 3)
	ctx := context.Background()
	p, rec := faultPool(t, srvs, func(c *Config) { c.MaxRetries = 3 })
	for _, s := range srvs {
		addFault(t, s, server.FaultRule{Method: "get", Drop: true})
	}
	_, err := getColumn(ctx, p, "k1", "c")
	var (
		mr *MaxRetriesError
		tr *TransportError
	)
	if !errors.As(err, &mr) || !errors.As(mr.Last, &tr) || mr.Attempts != 4 || len(mr.PerHost) != len(srvs) {
		t.Fatalf("err = %v, want a *MaxRetriesError of 4 transport errors over the 3 servers", err)
	}
	downs := map[string]bool{}
	for _, e := range eventsOf[ServerEvent](rec) {
		if e.Err != nil {
			downs[e.Server] = true
		}
	}
	if len(downs) != len(srvs) {
		t.Errorf("servers marked down: %v, want all %d", downs, len(srvs))
	}
	for _, s := range srvs {
		s.Faults().Clear()
	}
	waitFor(t, "every server up", func() bool {
		for _, s := range p.Stats().Servers {
			if !s.Up {
				return false
			}
		}
		return true
	})
	if v, err := getColumn(ctx, p, "k1", "c"); err != nil || string(v) != "v" {
		t.Fatalf("get after recovery = %q, %v", v, err)
	}
}

// TestFaultsConnectionSetup: faults while a connection is being opened
// (set_keyspace, which the pool sends itself) fail over like faults on
// operations: Open and the operations are served by the other servers.
// Each round opens a pool and runs three operations that hold their
// connections at once, so that connections are dialled in Open and in
// checkouts, until one dial has reached the victim.
func TestFaultsConnectionSetup(t *testing.T) {
	checkNoLeaks(t)
	srvs := faultCluster(t, 3)
	victim := srvs[0]
	ctx := context.Background()
	tests := []struct {
		name string
		rule server.FaultRule
	}{
		{"set_keyspace dropped", server.FaultRule{Method: "set_keyspace", Drop: true}},
		{"set_keyspace past DialTimeout", server.FaultRule{Method: "set_keyspace", Delay: 5 * time.Second}},
		// set_keyspace declares neither exception, so the server answers
		// TApplicationException INTERNAL_ERROR.
		{"set_keyspace internal error", server.FaultRule{Method: "set_keyspace", Fail: server.FaultTimedOut}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer victim.Faults().Clear()
			addFault(t, victim, tc.rule)
			rec := &recorder{}
			cfg := testConfig(addrsOf(srvs)...)
			cfg.Keyspace = testKeyspace
			cfg.PoolSize = len(srvs)
			cfg.DialTimeout = 200 * time.Millisecond
			cfg.Listeners = []Listener{rec}
			for round := 0; len(failsOn(rec, victim.Addr())) == 0; round++ {
				if round == 40 {
					t.Fatalf("40 rounds and no connection was dialled to %s", victim.Addr())
				}
				p, err := Open(ctx, cfg)
				if err != nil {
					t.Fatalf("round %d: Open failed although two servers are healthy: %v", round, err)
				}
				var (
					wg    sync.WaitGroup
					held  sync.WaitGroup
					errMu sync.Mutex
					errs  []error
				)
				held.Add(len(srvs))
				for i := 0; i < len(srvs); i++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						once := sync.OnceFunc(held.Done)
						defer once()
						err := p.Do(ctx, func(ctx context.Context, c *Conn) error {
							once()
							held.Wait()
							_, err := c.Client().DescribeVersion(ctx)
							return err
						})
						if err != nil {
							errMu.Lock()
							errs = append(errs, err)
							errMu.Unlock()
						}
					}()
				}
				wg.Wait()
				p.Close(ctx)
				if len(errs) > 0 {
					t.Fatalf("round %d: operation failed although two servers are healthy: %v", round, errs[0])
				}
			}
			ev := failsOn(rec, victim.Addr())[0]
			if ev.Conn != nil || ev.Err == nil || hostErr(ev.Err) != victim.Addr() && !errors.As(ev.Err, new(*ApplicationError)) {
				t.Errorf("connection_failed %+v, want a failed open (no connection) with its error", ev)
			}
			if !downWith(rec, victim.Addr(), ev.Err) {
				t.Errorf("%s not marked down with %v; server events %+v", victim.Addr(), ev.Err, eventsOf[ServerEvent](rec))
			}
		})
	}
}

// downWith reports whether addr was marked down with err.
func downWith(rec *recorder, addr string, err error) bool {
	for _, e := range eventsOf[ServerEvent](rec) {
		if e.Server == addr && e.Err == err {
			return true
		}
	}
	return false
}

// TestFaultsSetupErrorPolicy: which failures while opening a connection
// move on to another server. A server failing set_keyspace itself
// (TApplicationException INTERNAL_ERROR) is that server failing: it is
// marked down and the next server tried, and an operation's checkout is
// retried even when there is no other server. An unknown keyspace, which
// every server would refuse, fails at once.
func TestFaultsSetupErrorPolicy(t *testing.T) {
	checkNoLeaks(t)
	srvs := faultCluster(t, 2)
	ctx := context.Background()
	internal := server.FaultRule{Method: "set_keyspace", Fail: server.FaultTimedOut}

	t.Run("Open, every server internal error", func(t *testing.T) {
		for _, s := range srvs {
			addFault(t, s, internal)
			defer s.Faults().Clear()
		}
		rec := &recorder{}
		cfg := testConfig(addrsOf(srvs)...)
		cfg.Keyspace = testKeyspace
		cfg.Listeners = []Listener{rec}
		_, err := Open(ctx, cfg)
		var (
			all *AllServersUnavailableError
			ae  *ApplicationError
		)
		if !errors.As(err, &all) || len(all.Servers) != len(srvs) || !errors.As(err, &ae) || ae.Op != "set_keyspace" {
			t.Fatalf("Open = %v, want an *AllServersUnavailableError of each server's set_keyspace *ApplicationError", err)
		}
		for _, s := range srvs {
			fs := failsOn(rec, s.Addr())
			if len(fs) != 1 || !errors.As(fs[0].Err, &ae) || ae.Host != s.Addr() {
				t.Errorf("connection_failed on %s: %+v, want its one *ApplicationError", s.Addr(), fs)
				continue
			}
			if !downWith(rec, s.Addr(), fs[0].Err) {
				t.Errorf("%s not marked down with its error", s.Addr())
			}
		}
	})

	t.Run("checkout on one server retried", func(t *testing.T) {
		one := srvs[:1]
		const retries = 2
		p, rec := faultPool(t, one, func(c *Config) {
			c.MaxRetries = retries
			c.MaxOverflow = 1
		})
		addFault(t, one[0], internal)
		defer one[0].Faults().Clear()
		// The outer operation holds the only connection, so the inner one
		// must open another; its dials all fail.
		var inner error
		err := p.Do(ctx, func(ctx context.Context, c *Conn) error {
			inner = p.Do(ctx, versionOp)
			return nil
		})
		if err != nil {
			t.Fatalf("outer Do: %v", err)
		}
		var (
			mr *MaxRetriesError
			ae *ApplicationError
		)
		if !errors.As(inner, &mr) || mr.Attempts != retries+1 || !errors.As(inner, &ae) {
			t.Fatalf("Do = %v, want a *MaxRetriesError of %d attempts ending in an *ApplicationError", inner, retries+1)
		}
		if fs := failsOn(rec, one[0].Addr()); len(fs) != retries+1 {
			t.Errorf("%d connection_failed events, want one per dial: %d", len(fs), retries+1)
		}
		if serverStats(p.Stats(), one[0].Addr()).Up {
			t.Errorf("%s up although its set_keyspace fails", one[0].Addr())
		}
	})

	t.Run("unknown keyspace fails at once", func(t *testing.T) {
		rec := &recorder{}
		cfg := testConfig(addrsOf(srvs)...)
		cfg.Keyspace = "NoSuchKeyspace"
		cfg.Listeners = []Listener{rec}
		_, err := Open(ctx, cfg)
		var ire *cassa.InvalidRequestError
		if !errors.As(err, &ire) || ire.Op != "set_keyspace" {
			t.Fatalf("Open = %v, want *cassa.InvalidRequestError from set_keyspace", err)
		}
		if fs := eventsOf[FailEvent](rec); len(fs) != 1 {
			t.Errorf("%d connection_failed events, want 1 (no other server tried): %+v", len(fs), fs)
		}
		if ev := eventsOf[ServerEvent](rec); len(ev) != 0 {
			t.Errorf("server events for an unknown keyspace: %+v", ev)
		}
	})
}
