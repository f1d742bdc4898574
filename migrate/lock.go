package migrate

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// The migration lock is one cell holding the runner's name: over Thrift
// LockColumnFamily["lock"]["owner"], over CQL the owner column of the row
// "lock" of CQLLockTable. It is taken with a compare-and-set that succeeds
// only when there is no live lock (Thrift cas with an empty expected list,
// INSERT ... IF NOT EXISTS), so exactly one runner wins. The cell expires
// with its TTL (and the table's default TTL, as Cassandra 2.x ignores the
// TTL of Thrift cas updates), so a runner that died frees the lock after
// LockTTL. A live runner renews it by a compare-and-set that expects its
// own name (UPDATE ... USING TTL ... IF owner = ?), which rewrites the cell
// and restarts the TTL. Over Thrift it releases the lock by a cas that
// writes the empty name, which the next runner takes over with one that
// expects the empty name; over CQL by DELETE ... IF owner = ?, after which
// the next INSERT ... IF NOT EXISTS wins.
const (
	lockKey    = "lock"
	lockColumn = "owner"
)

// heldLock is the lock while this runner holds it. ctx is cancelled with
// the cause ErrLockLost when the lock could not be renewed in time.
type heldLock struct {
	ctx     context.Context
	release func()
}

// lock waits until this runner holds the migration lock, or ctx ends.
func (m *runner) lock(ctx context.Context) (*heldLock, error) {
	ttl, err := m.store.lockTTL(ctx, m.cfg.LockTTL)
	if err != nil {
		return nil, err
	}
	holder := ""
	for {
		ok, cur, err := m.casLock(ctx, nil, m.cfg.Runner, ttl)
		if err == nil && !ok && cur != nil && *cur == "" {
			// Released by its last holder: take it over.
			ok, cur, err = m.casLock(ctx, Ptr(""), m.cfg.Runner, ttl)
		}
		if err != nil && holder != "" && ctxEnded(ctx) {
			// A socket deadline taken from ctx can fire just before ctx
			// itself reports the end; the wait is what failed.
			cause := ctx.Err()
			if cause == nil {
				cause = context.DeadlineExceeded
			}
			return nil, fmt.Errorf("migrate: waiting for the migration lock held by %q: %w", holder, cause)
		}
		if err != nil {
			return nil, fmt.Errorf("migrate: taking the migration lock: %w", err)
		}
		if ok || (cur != nil && *cur == m.cfg.Runner) { // the latter: a retried cas that had succeeded
			break
		}
		if cur != nil {
			holder = *cur
		}
		t := time.NewTimer(m.cfg.LockPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("migrate: waiting for the migration lock held by %q: %w", holder, ctx.Err())
		case <-t.C:
		}
	}
	lctx, cancel := context.WithCancelCause(ctx)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		m.renew(lctx, stop, ttl, cancel)
	}()
	var once sync.Once
	release := func() {
		once.Do(func() {
			close(stop)
			wg.Wait()
			if context.Cause(lctx) != ErrLockLost {
				// Free the lock even when ctx is already cancelled.
				rctx, c := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
				_, _, _ = m.casLock(rctx, Ptr(m.cfg.Runner), "", ttl)
				c()
			}
			cancel(nil)
		})
	}
	return &heldLock{ctx: lctx, release: release}, nil
}

// renew rewrites the lock every (ttl-1s)/3 until stop is closed: a cell
// written at second T with TTL n dies at T+n on a clock truncated to
// seconds, so it may live only ttl-1s. When a renewal finds another owner,
// or none succeeded for that long, the lock is lost.
func (m *runner) renew(ctx context.Context, stop <-chan struct{}, ttl time.Duration, lost context.CancelCauseFunc) {
	life := max(ttl-time.Second, 300*time.Millisecond)
	tick := time.NewTicker(life / 3)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		ok, _, err := m.casLock(ctx, Ptr(m.cfg.Runner), m.cfg.Runner, ttl)
		switch {
		case err == nil && ok:
			last = time.Now()
		case err == nil && !ok, time.Since(last) >= life:
			lost(ErrLockLost)
			return
		}
	}
}

// ctxEnded reports whether ctx is done or its deadline has passed.
func ctxEnded(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	d, ok := ctx.Deadline()
	return ok && !time.Now().Before(d)
}
