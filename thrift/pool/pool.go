package pool

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cassa-go/cassa/internal/check"
)

// Pool is a pool of connections to a set of Cassandra servers, with
// failover, retries, host health checks and optional token-aware routing.
// It is safe for use by many goroutines. Open one per cluster and keyspace
// and share it.
type Pool struct {
	s     *settings
	ev    events
	count counters
	ring  atomic.Pointer[ring]

	mu       sync.Mutex
	hosts    []*host
	byAddr   map[string]*host
	rr       int           // round-robin position in hosts
	idle     []*Conn       // open and free, oldest first
	all      []*Conn       // every open connection, for Close to interrupt
	maxOpen  int           // most of openLocked() ever
	inUse    int           // checked out connections plus dials under way
	maxInUse int           //
	waiters  []*waiter     // checkouts waiting, oldest first
	closed   bool          //
	drained  chan struct{} // closed by the last checkin after Close

	// waiterCache reuses waiters, their channels and timers: without it
	// BenchmarkDoOverhead/contended allocates 5 times per operation and
	// runs about a fifth slower.
	waiterCache sync.Pool // of *waiter

	wake   chan struct{} // nudges the health loop
	bgCtx  context.Context
	bgStop context.CancelFunc
	wg     sync.WaitGroup
}

// waiter is a checkout waiting for a connection; grants are handed to it
// under the pool lock, in arrival order, on its channel (buffered, so the
// hand-over never blocks). A waiter goes back to the cache out of the
// queue and with its channel empty.
type waiter struct {
	ch    chan grant
	timer *time.Timer
}

// grant is what a waiter is handed: a free connection, or a reserved slot
// to open one, or neither (look again: the pool may have closed).
type grant struct {
	c     *Conn
	slot  bool
	fresh bool // c comes straight from a checkin, not from the idle list
}

var (
	poolSeq atomic.Uint64 // names pools "pool-N"
	connSeq atomic.Uint64 // numbers connections across pools
)

func (p *Pool) nextConnID() uint64 { return connSeq.Add(1) }

// Keyspace returns Config.Keyspace, set on every connection before use.
func (p *Pool) Keyspace() string {
	if p.usable("") != nil {
		return ""
	}
	return p.s.keyspace
}

// Name returns the pool's name in events and logs (Config.Name or "pool-N").
func (p *Pool) Name() string {
	if p.usable("") != nil {
		return ""
	}
	return p.s.name
}

// usable returns a *cassa.ArgumentError for a nil Pool or one Open did
// not make; fn names the method.
func (p *Pool) usable(fn string) error {
	if p == nil || p.s == nil {
		return check.Unmade(fn, "*pool.Pool", "pool.Open")
	}
	return nil
}

// Open creates a pool and opens its first connection (all PoolSize of them
// with Config.Prefill), so that unreachable servers, bad credentials or an
// unknown keyspace fail here. With Discover or TokenAware it also reads the
// ring. ctx bounds Open only.
func Open(ctx context.Context, cfg Config) (*Pool, error) {
	if err := check.Context(ctx, "pool.Open"); err != nil {
		return nil, err
	}
	s, err := cfg.settings()
	if err != nil {
		return nil, err
	}
	if s.name == "" {
		s.name = fmt.Sprintf("pool-%d", poolSeq.Add(1))
	}
	p := &Pool{
		s:      s,
		ev:     events{id: s.name, listeners: s.listeners, logger: s.logger},
		byAddr: make(map[string]*host),
		wake:   make(chan struct{}, 1),
	}
	p.bgCtx, p.bgStop = context.WithCancel(context.Background())

	servers := s.servers
	if len(servers) == 0 && s.serverList != nil {
		servers = p.listFromFunc()
	}
	if len(servers) == 0 && s.serverList == nil {
		servers = []string{fmt.Sprintf("localhost:%d", DefaultPort)}
	}
	p.addServers(servers, true)

	p.wg.Add(1)
	go p.healthLoop()

	n := 1
	if s.prefill {
		n = s.poolSize
	}
	if err := p.fill(ctx, n); err != nil {
		p.Close(context.Background())
		return nil, err
	}
	if s.discover || s.tokenAware {
		if err := p.refreshRing(ctx); err != nil {
			p.Close(context.Background())
			return nil, err
		}
	}
	return p, nil
}

// fill opens connections until n are idle or open.
func (p *Pool) fill(ctx context.Context, n int) error {
	for {
		p.mu.Lock()
		if p.openLocked() >= n || p.closed {
			p.mu.Unlock()
			return nil
		}
		p.reserveLocked()
		order := p.dialOrderLocked(nil, nil)
		p.mu.Unlock()
		c, err := p.openSlot(ctx, order)
		if err != nil {
			return err
		}
		p.putBack(c)
	}
}

// reserveLocked counts a connection about to be opened as open and in use,
// so the limits hold while the dial runs without the lock.
func (p *Pool) reserveLocked() {
	p.inUse++
	p.maxOpen = max(p.maxOpen, p.openLocked())
	p.maxInUse = max(p.maxInUse, p.inUse)
}

// openLocked counts open connections plus dials under way: the ones in
// use (dials count as in use) and the idle ones.
func (p *Pool) openLocked() int { return p.inUse + len(p.idle) }

// releaseSlotLocked undoes a reservation or forgets a closed in-use
// connection, and passes the freed slot to the first waiter.
func (p *Pool) releaseSlotLocked() {
	p.inUse--
	p.drainCheckLocked()
	if p.closed {
		return
	}
	if w := p.popWaiterLocked(); w != nil {
		p.reserveLocked()
		w.ch <- grant{slot: true}
	}
}

func (p *Pool) drainCheckLocked() {
	if p.closed && p.inUse == 0 && p.drained != nil {
		close(p.drained)
		p.drained = nil
	}
}

// popWaiterLocked takes the oldest waiter out of the queue, or returns nil.
func (p *Pool) popWaiterLocked() *waiter {
	if len(p.waiters) == 0 {
		return nil
	}
	w := p.waiters[0]
	n := copy(p.waiters, p.waiters[1:])
	p.waiters[n] = nil
	p.waiters = p.waiters[:n]
	return w
}

// addConnLocked records a newly opened connection.
func (p *Pool) addConnLocked(c *Conn) {
	c.lent()
	c.host.open++
	p.all = append(p.all, c)
}

// forgetConnLocked removes a closed connection from the bookkeeping
// (not from open/inUse, which the caller adjusts).
func (p *Pool) forgetConnLocked(c *Conn) {
	c.host.open--
	for i, o := range p.all {
		if o == c {
			last := len(p.all) - 1
			p.all[i] = p.all[last]
			p.all[last] = nil
			p.all = p.all[:last]
			break
		}
	}
}

// openSlot opens a connection for a slot the caller reserved, trying the
// hosts in order; when none answers it gives the slot back.
func (p *Pool) openSlot(ctx context.Context, order []*host) (*Conn, error) {
	c, err := p.openConn(ctx, order)
	if err != nil {
		p.mu.Lock()
		p.releaseSlotLocked()
		p.mu.Unlock()
	}
	return c, err
}

// openConn dials the hosts in order until one answers. Hosts that are
// unreachable, or fail the setup themselves (a TApplicationException from
// login or set_keyspace), are marked down and the next one is tried; an
// answer refusing credentials or keyspace ends the search at once, since
// other servers would refuse too.
func (p *Pool) openConn(ctx context.Context, order []*host) (*Conn, error) {
	if len(order) == 0 {
		return nil, &AllServersUnavailableError{}
	}
	var errs []HostError
	for _, h := range order {
		c, err := p.dial(ctx, h)
		if err == nil {
			p.count.created.Add(1)
			p.mu.Lock()
			closed := p.closed
			if !closed {
				p.addConnLocked(c)
			}
			p.mu.Unlock()
			if closed {
				c.close()
				return nil, ErrPoolClosed
			}
			p.markUp(h)
			p.ev.created(c)
			return c, nil
		}
		if ctx.Err() != nil {
			return nil, err // the caller gave up; the server did nothing wrong
		}
		p.count.createFailed.Add(1)
		p.count.failed.Add(1)
		p.ev.failed(h.addr, "", nil, err)
		if !setupFault(err) {
			return nil, err
		}
		p.markDown(h, err)
		errs = append(errs, HostError{Host: h.addr, Err: err})
	}
	// Every server failed: an *AllServersUnavailableError however many
	// there are, naming each one's error (which it unwraps to).
	return nil, &AllServersUnavailableError{Servers: errs}
}

// setupFault reports whether a failure to open a connection is the
// server's own (unreachable, or failing login or set_keyspace with a
// TApplicationException) rather than an answer refusing the request, which
// every server would give (bad credentials, unknown keyspace).
func setupFault(err error) bool {
	var (
		te *TransportError
		ae *ApplicationError
	)
	return errors.As(err, &te) || errors.As(err, &ae)
}

// checkout lends a connection: an idle healthy one if there is one (on a
// server this operation has not failed on, and a replica of key when
// routing), otherwise a new one while under the limits, otherwise the
// first one freed, waiting up to PoolTimeout.
func (p *Pool) checkout(ctx context.Context, tried *attempts, key []byte) (*Conn, error) {
	var (
		prefer []*host
		start  time.Time
	)
	if key != nil {
		if r := p.ring.Load(); r != nil {
			prefer = r.replicas(key)
		}
	}
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return nil, ErrPoolClosed
		}
		if c := p.takeIdleLocked(tried, prefer); c != nil {
			p.inUse++
			p.maxInUse = max(p.maxInUse, p.inUse)
			p.mu.Unlock()
			if c, err := p.lend(ctx, grant{c: c}, tried, prefer); c != nil || err != nil {
				return c, err
			}
			continue
		}
		if p.openLocked() < p.s.maxConns {
			p.reserveLocked()
			p.mu.Unlock()
			if c, err := p.lend(ctx, grant{slot: true}, tried, prefer); c != nil || err != nil {
				return c, err
			}
			continue
		}
		// Every connection is busy: wait for one.
		if start.IsZero() {
			start = time.Now()
		}
		if !p.s.waitForever && p.s.poolTimeout == 0 {
			err := p.timeoutErrLocked(0)
			p.mu.Unlock()
			p.count.atMax.Add(1)
			p.ev.atMax(p.poolMax(), 0)
			return nil, err
		}
		w, _ := p.waiterCache.Get().(*waiter)
		if w == nil {
			w = &waiter{ch: make(chan grant, 1)}
		}
		p.waiters = append(p.waiters, w)
		p.mu.Unlock()
		g, err := p.wait(ctx, w, start)
		p.waiterCache.Put(w)
		if err != nil {
			return nil, err
		}
		if c, err := p.lend(ctx, g, tried, prefer); c != nil || err != nil {
			return c, err
		}
	}
}

// wait blocks until w, queued, is handed a grant, PoolTimeout has passed
// since start (a *PoolTimeoutError), or ctx ends.
func (p *Pool) wait(ctx context.Context, w *waiter, start time.Time) (grant, error) {
	var expire <-chan time.Time
	if !p.s.waitForever {
		left := p.s.poolTimeout - time.Since(start)
		if w.timer == nil {
			w.timer = time.NewTimer(left)
		} else {
			w.timer.Reset(left)
		}
		defer w.timer.Stop()
		expire = w.timer.C
	}
	select {
	case g := <-w.ch:
		return g, nil
	case <-expire:
		if g, ok := p.abandon(w); ok {
			return g, nil // a grant raced the timer: use it
		}
		if err := ctx.Err(); err != nil {
			return grant{}, err // both ran out: the caller's deadline speaks
		}
		waited := time.Since(start)
		p.mu.Lock()
		err := p.timeoutErrLocked(waited)
		p.mu.Unlock()
		p.count.atMax.Add(1)
		p.ev.atMax(p.poolMax(), waited)
		return grant{}, err
	case <-ctx.Done():
		if g, ok := p.abandon(w); ok {
			p.giveBack(g) // a grant raced the cancellation: give it back
		}
		return grant{}, ctx.Err()
	}
}

// abandon takes a waiter out of the queue; when a grant was already handed
// to it, it returns that grant.
func (p *Pool) abandon(w *waiter) (grant, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if i := slices.Index(p.waiters, w); i >= 0 {
		p.waiters = slices.Delete(p.waiters, i, i+1)
		return grant{}, false
	}
	return <-w.ch, true
}

// giveBack returns an unused grant.
func (p *Pool) giveBack(g grant) {
	switch {
	case g.c != nil:
		p.putBack(g.c) // never checked out: no checkin event
	case g.slot:
		p.mu.Lock()
		p.releaseSlotLocked()
		p.mu.Unlock()
	}
}

func (p *Pool) poolMax() int {
	if p.s.maxOverflow == UnlimitedOverflow {
		return -1
	}
	return p.s.poolSize + p.s.maxOverflow
}

func (p *Pool) timeoutErrLocked(waited time.Duration) *PoolTimeoutError {
	return &PoolTimeoutError{
		PoolSize:    p.s.poolSize,
		MaxOverflow: p.s.maxOverflow,
		Waited:      waited,
		InUse:       p.inUse,
		Open:        p.openLocked(),
		Waiting:     len(p.waiters),
	}
}

// lend turns a grant into a usable connection: it opens one for a slot, or
// checks a free one is still alive. A nil connection with a nil error means
// the grant came to nothing (a dead idle connection, or an empty grant):
// look again.
func (p *Pool) lend(ctx context.Context, g grant, tried *attempts, prefer []*host) (*Conn, error) {
	switch {
	case g.slot:
		p.mu.Lock()
		order := p.dialOrderLocked(tried, prefer)
		p.mu.Unlock()
		c, err := p.openSlot(ctx, order)
		if err != nil {
			return nil, err
		}
		p.count.checkedOut.Add(1)
		p.ev.checkedOut(c)
		return c, nil
	case g.c != nil:
		c := g.c
		// A connection that sat idle may have been closed by its server
		// (a restart leaves such sockets behind); one handed straight from
		// the previous operation just answered, so the probe's syscall is
		// spared on that hot path.
		if g.fresh && c.broken == nil {
			p.count.checkedOut.Add(1)
			p.ev.checkedOut(c)
			return c, nil
		}
		if err := c.alive(); err != nil {
			p.discard(c, "closed by server or broken while idle", err)
			return nil, nil
		}
		p.count.checkedOut.Add(1)
		p.ev.checkedOut(c)
		return c, nil
	}
	return nil, nil
}

// takeIdleLocked picks the idle connection to lend, or nil when opening a
// new one would serve better (see score).
func (p *Pool) takeIdleLocked(tried *attempts, prefer []*host) *Conn {
	if len(p.idle) == 0 {
		return nil
	}
	best, bestScore := -1, 4
	for i, c := range p.idle {
		s := p.score(c.host, tried, prefer)
		if s < bestScore {
			best, bestScore = i, s
			if s == 0 {
				break
			}
		}
	}
	room := p.openLocked() < p.s.maxConns
	roomBase := p.openLocked() < p.s.poolSize
	// Take the best idle connection when no server would serve better (a
	// retry on a one-server pool reuses its connection), a healthy
	// non-replica unless PoolSize has room for a replica's, and anything
	// when nothing more may be opened.
	if !(bestScore == 0 || !room || (bestScore == 1 && !roomBase) || bestScore <= p.bestHostScore(tried, prefer)) {
		return nil
	}
	c := p.idle[best]
	c.lent()
	copy(p.idle[best:], p.idle[best+1:])
	p.idle[len(p.idle)-1] = nil
	p.idle = p.idle[:len(p.idle)-1]
	return c
}

// bestHostScore is the best score any known host has for this attempt.
func (p *Pool) bestHostScore(tried *attempts, prefer []*host) int {
	best := 3
	for _, h := range p.hosts {
		if s := p.score(h, tried, prefer); s < best {
			best = s
			if s == 0 {
				break
			}
		}
	}
	return best
}

// score ranks a host for this attempt: 0 up, untried, a replica (or no
// routing); 1 up and untried; 2 down but untried; 3 already failed this
// operation.
func (p *Pool) score(h *host, tried *attempts, prefer []*host) int {
	if tried.has(h) {
		return 3
	}
	if !h.up {
		return 2
	}
	if prefer == nil {
		return 0
	}
	for _, r := range prefer {
		if r == h {
			return 0
		}
	}
	return 1
}

// dialOrderLocked lists every host in the order to try opening a
// connection: replicas, then up hosts round robin, then hosts marked down
// (they may be back), then those that already failed this operation.
func (p *Pool) dialOrderLocked(tried *attempts, prefer []*host) []*host {
	n := len(p.hosts)
	order := make([]*host, 0, n)
	start := p.rr
	p.rr++
	for s := 0; s < 4; s++ {
		if s == 0 {
			for _, h := range prefer {
				if p.score(h, tried, prefer) == 0 {
					order = append(order, h)
				}
			}
			continue
		}
		for i := 0; i < n; i++ {
			h := p.hosts[(start+i)%n]
			sc := p.score(h, tried, prefer)
			if sc == s || (s == 1 && sc == 0 && prefer == nil) {
				order = append(order, h)
			}
		}
	}
	return order
}

// checkin takes a connection back: a broken one is closed, a worn one
// recycled, and a sound one handed to the first waiter or kept idle, unless
// the pool already keeps PoolSize idle ones (overflow is closed).
func (p *Pool) checkin(c *Conn) {
	p.count.checkedIn.Add(1)
	p.ev.checkedIn(c)
	p.putBack(c)
}

// putBack is checkin without its event: fill uses it for new connections.
func (p *Pool) putBack(c *Conn) {
	if c.broken != nil {
		reason := "transport failed"
		if errors.Is(c.broken, context.Canceled) || errors.Is(c.broken, context.DeadlineExceeded) {
			reason = "RPC interrupted by its context"
		}
		p.discard(c, reason, c.broken)
		return
	}
	if p.s.recycle > 0 && c.ops > p.s.recycle {
		c = p.recycle(c)
		if c == nil {
			return
		}
	}
	p.mu.Lock()
	// A connection whose every RPC succeeded proves its server answers,
	// even if another connection's failure had it marked down.
	// Only a success since the host was marked down counts, so a reply
	// that was in flight when it went down does not bring it back.
	var revived time.Duration = -1
	if c.answered && !c.host.up && c.epoch == c.host.epoch {
		revived = p.markUpLocked(c.host)
	}
	switch {
	case p.closed:
		p.forgetConnLocked(c)
		p.releaseSlotLocked()
		p.mu.Unlock()
		p.dispose(c, "pool closed", nil)
	case len(p.waiters) > 0:
		w := p.popWaiterLocked()
		c.lent()
		w.ch <- grant{c: c, fresh: true}
		p.mu.Unlock()
	case len(p.idle) >= p.s.poolSize:
		p.forgetConnLocked(c)
		p.releaseSlotLocked()
		p.mu.Unlock()
		p.dispose(c, "pool is already full", nil)
	default:
		p.inUse--
		p.idle = append(p.idle, c)
		p.mu.Unlock()
	}
	if revived >= 0 {
		p.ev.serverUp(c.host.addr, revived)
	}
}

// recycle replaces a connection that ran more than Recycle RPCs with a new
// one, to any server (so load spreads again). It returns the new one, or
// nil when none could be opened (the old one's slot is then freed).
func (p *Pool) recycle(old *Conn) *Conn {
	p.mu.Lock()
	order := p.dialOrderLocked(nil, nil)
	p.mu.Unlock()
	c, err := p.openConn(p.bgCtx, order)
	p.mu.Lock()
	p.forgetConnLocked(old)
	if err != nil {
		p.releaseSlotLocked()
		p.mu.Unlock()
		p.dispose(old, "recycling connection; no replacement could be opened", err)
		return nil
	}
	p.mu.Unlock()
	p.count.recycled.Add(1)
	p.ev.recycled(old, c)
	p.dispose(old, "recycling connection", nil)
	return c
}

// discard closes a checked-out connection that may not be reused.
func (p *Pool) discard(c *Conn, reason string, err error) {
	p.mu.Lock()
	p.forgetConnLocked(c)
	p.releaseSlotLocked()
	p.mu.Unlock()
	p.dispose(c, reason, err)
}

// dispose closes a connection already removed from the bookkeeping.
func (p *Pool) dispose(c *Conn, reason string, cause error) {
	if err := c.close(); err != nil && cause == nil {
		p.count.disposeFailed.Add(1)
	} else {
		p.count.disposed.Add(1)
	}
	p.ev.disposed(c, reason, cause)
}

// Close closes the pool: new operations fail with ErrPoolClosed, waiting
// checkouts are woken with it, idle connections are closed at once, and
// Close waits for checked-out connections to come back (they are closed as
// they do) or for ctx to end, when it closes their sockets under them and
// returns ctx's error. Background work has stopped when Close returns.
// Closing a closed pool does nothing. A nil ctx is an error and closes
// nothing.
func (p *Pool) Close(ctx context.Context) error {
	if err := p.usable("pool.Pool.Close"); err != nil {
		return err
	}
	if err := check.Context(ctx, "pool.Pool.Close"); err != nil {
		return err
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	idle := p.idle
	p.idle = nil
	for _, c := range idle {
		p.forgetConnLocked(c)
	}
	for w := p.popWaiterLocked(); w != nil; w = p.popWaiterLocked() {
		w.ch <- grant{}
	}
	var drained chan struct{}
	if p.inUse > 0 {
		drained = make(chan struct{})
		p.drained = drained
	}
	p.mu.Unlock()

	p.bgStop()
	for _, c := range idle {
		p.dispose(c, "pool is being closed", nil)
	}
	var err error
	if drained != nil {
		select {
		case <-drained:
		case <-ctx.Done():
			err = ctx.Err()
			p.mu.Lock()
			busy := append([]*Conn(nil), p.all...)
			p.mu.Unlock()
			for _, c := range busy {
				_ = c.raw.Close() // the TCP socket: interrupts their RPCs, even under TLS; checkin disposes them
			}
		}
	}
	p.wg.Wait()
	p.ev.poolDisposed()
	return err
}

// jitter returns a random duration in [d/2, d].
func jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2+1)
}
