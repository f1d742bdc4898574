package migrate

import (
	"context"
	"fmt"
	"sync"
	"time"

	tg "github.com/cassa-go/cassa/thriftgen"
)

// The migration lock is one cell, LockColumnFamily["lock"]["owner"],
// holding the runner's name. It is taken with cas: an empty expected list
// succeeds only when the row has no live cell, so exactly one runner wins.
// The cell expires with the column family's default TTL (Cassandra 2.x
// ignores the TTL of cas updates), so a runner that died frees the lock
// after LockTTL. A live runner renews it by a cas that expects its own name
// (which rewrites the cell and restarts the TTL), and releases it by a cas
// that writes the empty name, which the next runner takes over with a cas
// that expects the empty name.
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
func (m *Migrator) lock(ctx context.Context) (*heldLock, error) {
	ttl, err := m.lockTTL(ctx)
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
func (m *Migrator) renew(ctx context.Context, stop <-chan struct{}, ttl time.Duration, lost context.CancelCauseFunc) {
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

// lockTTL is the lock column family's TTL, which the lock cell gets.
func (m *Migrator) lockTTL(ctx context.Context) (time.Duration, error) {
	cf, err := m.sys.DescribeColumnFamily(ctx, m.cfg.Keyspace, LockColumnFamily)
	if err != nil {
		return 0, err
	}
	if s := cf.GetDefaultTimeToLive(); s > 0 {
		return time.Duration(s) * time.Second, nil
	}
	return m.cfg.LockTTL, nil
}

// casLock writes value into the lock cell if it holds expected (nil: if the
// row has no live cell). It returns whether it did, and the cell's current
// value when it did not (nil when the row has none).
func (m *Migrator) casLock(ctx context.Context, expected *string, value string, ttl time.Duration) (bool, *string, error) {
	col := func(v string) *tg.Column {
		c := tg.NewColumn()
		ts := time.Now().UnixMicro()
		secs := int32(ttl / time.Second)
		c.Name, c.Value, c.Timestamp, c.TTL = []byte(lockColumn), []byte(v), &ts, &secs
		return c
	}
	var exp []*tg.Column
	if expected != nil {
		e := tg.NewColumn()
		e.Name, e.Value = []byte(lockColumn), []byte(*expected)
		exp = []*tg.Column{e}
	}
	var res *tg.CASResult_
	err := m.sys.do(ctx, m.cfg.Keyspace, func(ctx context.Context, c *tg.CassandraClient) error {
		var err error
		res, err = c.Cas(ctx, []byte(lockKey), LockColumnFamily, exp, []*tg.Column{col(value)},
			tg.ConsistencyLevel_SERIAL, tg.ConsistencyLevel_QUORUM)
		return err
	})
	if err != nil {
		return false, nil, err
	}
	if res == nil {
		return false, nil, fmt.Errorf("migrate: cas on the migration lock returned no result")
	}
	if res.Success {
		return true, nil, nil
	}
	for _, c := range res.CurrentValues {
		if string(c.Name) == lockColumn {
			v := string(c.Value)
			return false, &v, nil
		}
	}
	return false, nil, nil
}

// ctxEnded reports whether ctx is done or its deadline has passed.
func ctxEnded(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	d, ok := ctx.Deadline()
	return ok && !time.Now().Before(d)
}
