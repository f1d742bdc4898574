package pool

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"time"
)

// host is one server the pool knows. A host is never forgotten: once
// marked down it is probed in the background until it answers.
type host struct {
	addr string // canonical "host:port"

	// Guarded by Pool.mu.
	up         bool
	open       int // connections open to it
	downSince  time.Time
	lastErr    error
	nextProbe  time.Time
	probeDelay time.Duration
	epoch      uint64 // counts markDowns, to tell fresh successes from stale ones
}

// addServers adds the addresses not yet known, in random order after the
// known ones, and reports the list obtained.
func (p *Pool) addServers(addrs []string, force bool) {
	p.mu.Lock()
	var added []string
	for _, a := range addrs {
		if _, ok := p.byAddr[a]; ok {
			continue
		}
		h := &host{addr: a, up: true}
		p.byAddr[a] = h
		added = append(added, a)
	}
	rand.Shuffle(len(added), func(i, j int) { added[i], added[j] = added[j], added[i] })
	for _, a := range added {
		p.hosts = append(p.hosts, p.byAddr[a])
	}
	all := make([]string, len(p.hosts))
	for i, h := range p.hosts {
		all[i] = h.addr
	}
	p.mu.Unlock()
	if len(added) > 0 || force {
		p.count.lists.Add(1)
		p.ev.serverList(all)
	}
}

// listFromFunc calls Config.ServerList and keeps the addresses it can parse.
func (p *Pool) listFromFunc() []string {
	var out []string
	for _, a := range p.s.serverList() {
		n, err := NormalizeAddr(a)
		if err != nil {
			p.ev.log(slog.LevelWarn, "ignoring bad server address from ServerList", slog.Any("error", err))
			continue
		}
		out = append(out, n)
	}
	return out
}

// markDown takes a host out of rotation after a transport failure, closes
// its idle connections (they most likely died with it), and schedules a
// probe.
func (p *Pool) markDown(h *host, err error) {
	now := time.Now()
	p.mu.Lock()
	h.lastErr = err
	if !h.up {
		p.mu.Unlock()
		return
	}
	h.up = false
	h.epoch++
	h.downSince = now
	h.probeDelay = p.s.probeBase
	h.nextProbe = now.Add(jitter(h.probeDelay))
	var doomed []*Conn
	kept := p.idle[:0]
	for _, c := range p.idle {
		if c.host == h {
			doomed = append(doomed, c)
		} else {
			kept = append(kept, c)
		}
	}
	for i := len(kept); i < len(p.idle); i++ {
		p.idle[i] = nil
	}
	p.idle = kept
	for _, c := range doomed {
		p.forgetConnLocked(c)
		p.freeSlotLocked()
	}
	allDown := true
	for _, o := range p.hosts {
		allDown = allDown && !o.up
	}
	p.mu.Unlock()

	for _, c := range doomed {
		p.dispose(c, "server marked down", err)
	}
	p.ev.serverDown(h.addr, err)
	p.nudge()
	if allDown && p.s.serverList != nil {
		p.addServers(p.listFromFunc(), true)
	}
}

// freeSlotLocked passes a slot freed by closing an idle connection to the
// first waiter, as a reservation to open a new one.
func (p *Pool) freeSlotLocked() {
	if p.closed {
		return
	}
	if w := p.popWaiterLocked(); w != nil {
		p.reserveLocked()
		w.ch <- grant{slot: true}
	}
}

// markUp returns a host to rotation.
func (p *Pool) markUp(h *host) {
	p.mu.Lock()
	if h.up {
		p.mu.Unlock()
		return
	}
	down := p.markUpLocked(h)
	p.mu.Unlock()
	p.ev.serverUp(h.addr, down)
}

// markUpLocked marks a down host up and returns how long it was down.
func (p *Pool) markUpLocked(h *host) time.Duration {
	h.up = true
	down := time.Since(h.downSince)
	h.downSince = time.Time{}
	return down
}

func (p *Pool) nudge() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// healthLoop probes down hosts when their backoff expires and refreshes
// the ring every RingRefresh. It is the pool's only background goroutine
// and stops when Close cancels bgCtx.
func (p *Pool) healthLoop() {
	defer p.wg.Done()
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	var nextRing time.Time
	if p.s.ringRefresh > 0 {
		nextRing = time.Now().Add(p.s.ringRefresh)
	}
	for {
		next := p.probeDue()
		if !nextRing.IsZero() {
			if !time.Now().Before(nextRing) {
				ctx, cancel := context.WithTimeout(p.bgCtx, 2*max(p.s.dialTimeout, time.Second))
				if err := p.refreshRing(ctx); err != nil {
					p.ev.log(slog.LevelWarn, "ring refresh failed", slog.Any("error", err))
				}
				cancel()
				nextRing = time.Now().Add(p.s.ringRefresh)
			}
			if next.IsZero() || nextRing.Before(next) {
				next = nextRing
			}
		}
		wait := time.Hour
		if !next.IsZero() {
			wait = max(time.Until(next), time.Millisecond)
		}
		t.Reset(wait)
		select {
		case <-p.bgCtx.Done():
			return
		case <-p.wake:
		case <-t.C:
		}
	}
}

// probeDue probes every down host whose time has come and returns when the
// next probe is due (zero when no host is down).
func (p *Pool) probeDue() time.Time {
	now := time.Now()
	var due []*host
	p.mu.Lock()
	for _, h := range p.hosts {
		if !h.up && !h.nextProbe.After(now) {
			due = append(due, h)
		}
	}
	p.mu.Unlock()

	for _, h := range due {
		if p.bgCtx.Err() != nil {
			return time.Time{}
		}
		if err := p.probe(h); err != nil {
			p.mu.Lock()
			h.lastErr = err
			h.probeDelay = min(2*h.probeDelay, p.s.probeMax)
			h.nextProbe = time.Now().Add(jitter(h.probeDelay))
			p.mu.Unlock()
			continue
		}
		p.markUp(h)
	}

	var next time.Time
	p.mu.Lock()
	for _, h := range p.hosts {
		if !h.up && (next.IsZero() || h.nextProbe.Before(next)) {
			next = h.nextProbe
		}
	}
	p.mu.Unlock()
	return next
}

// probe opens a throwaway connection to h and asks describe_version, a
// call every server answers cheaply.
func (p *Pool) probe(h *host) error {
	ctx := p.bgCtx
	if p.s.dialTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 2*p.s.dialTimeout)
		defer cancel()
	}
	c, err := p.dial(ctx, h)
	if err != nil {
		return err
	}
	defer c.close()
	if _, err := c.client.DescribeVersion(ctx); err != nil {
		return mapError(err, h.addr, "describe_version")
	}
	return nil
}
