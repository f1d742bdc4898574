package columnfamily_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
)

// What the column family asks of the pool's retry policy, against the
// embedded server's fault injection (server.Faults): counter writes are
// not retried once they may have been applied, writes keep their one
// timestamp across attempts, and not-found answers are final.
//
// The servers share no data: each is a separate node with its own copy of
// the schema, so a value written through the pool is on exactly the one
// server whose attempt succeeded. Injected failures answer before the
// method runs, so a faulted call applied nothing; an injected delay holds
// the call and then applies it.

// faultCluster starts n embedded servers with the column-family test
// schema and clears their fault rules at cleanup.
func faultCluster(t *testing.T, n int) []*server.Server {
	t.Helper()
	var srvs []*server.Server
	for i := 0; i < n; i++ {
		s := cassatest.Start(t).Embedded()
		createTestKeyspace(t, s.Addr())
		t.Cleanup(s.Faults().Clear)
		srvs = append(srvs, s)
	}
	return srvs
}

// clusterPool opens a pool over srvs with one connection to each opened up
// front, short backoff, and timeout as the RPC timeout.
func clusterPool(t *testing.T, srvs []*server.Server, timeout time.Duration) *pool.Pool {
	t.Helper()
	cfg := pool.Config{Keyspace: testKeyspace, PoolSize: len(srvs), Prefill: true, Timeout: timeout,
		BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond, ProbeInterval: 10 * time.Millisecond}
	for _, s := range srvs {
		cfg.Servers = append(cfg.Servers, s.Addr())
	}
	p, err := pool.Open(bg, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close(bg) })
	return p
}

// faultEach adds r to every server's fault rules.
func faultEach(t *testing.T, srvs []*server.Server, r server.FaultRule) {
	t.Helper()
	for _, s := range srvs {
		if _, err := s.Faults().Add(r); err != nil {
			t.Fatalf("Faults().Add(%+v): %v", r, err)
		}
	}
}

// attemptsOf runs op and returns its error and how many attempts the pool
// made for it (each attempt checks a connection out).
func attemptsOf(p *pool.Pool, op func() error) (int64, error) {
	before := p.Stats().CheckedOut
	err := op()
	return p.Stats().CheckedOut - before, err
}

// eventually polls cond for up to ten seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// counterTotal sums the counter key/col over every server (they share no
// data, so the sum is every increment applied anywhere).
func counterTotal(t *testing.T, srvs []*server.Server, key, col string) int64 {
	t.Helper()
	var sum int64
	for _, s := range srvs {
		p, err := pool.Open(bg, pool.Config{Servers: []string{s.Addr()}, Keyspace: testKeyspace, PoolSize: 1})
		if err != nil {
			t.Fatal(err)
		}
		cf, err := columnfamily.Open(bg, p, "Counter")
		if err == nil {
			var row columnfamily.Row
			row, err = cf.Get(bg, key, query.Columns(col))
			if err == nil {
				sum += row.Value(col).(int64)
			} else if errors.Is(err, cassa.ErrNotFound) {
				err = nil
			}
		}
		p.Close(bg)
		if err != nil {
			t.Fatalf("reading the counter on %s: %v", s.Addr(), err)
		}
	}
	return sum
}

// TestFaultsCounterAdd: a counter add is not idempotent, so after a
// failure that may have been applied (a timeout, a dropped connection) it
// is not retried and the error is returned, unless the column family
// opted in with RetryCounterMutations. Unavailable is retried either way:
// it means nothing was applied. Every server faults its next add once, so
// the first attempt fails wherever it lands.
func TestFaultsCounterAdd(t *testing.T) {
	srvs := faultCluster(t, 3)
	p := clusterPool(t, srvs, 2*time.Second)
	tests := []struct {
		name     string
		rule     server.FaultRule
		retry    bool // RetryCounterMutations
		wantErr  func(error) bool
		attempts int64
		total    int64
	}{
		{"timed out, not retried", server.FaultRule{Method: "add", Times: 1, Fail: server.FaultTimedOut}, false,
			func(err error) bool { var e *cassa.TimedOutError; return errors.As(err, &e) }, 1, 0},
		{"dropped, not retried", server.FaultRule{Method: "add", Times: 1, Drop: true}, false,
			func(err error) bool { var e *pool.TransportError; return errors.As(err, &e) }, 1, 0},
		{"unavailable, retried anyway", server.FaultRule{Method: "add", Times: 1, Fail: server.FaultUnavailable}, false,
			func(err error) bool { return err == nil }, 4, 1},
		{"timed out, RetryCounterMutations", server.FaultRule{Method: "add", Times: 1, Fail: server.FaultTimedOut}, true,
			func(err error) bool { return err == nil }, 4, 1},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var opts []columnfamily.Option
			if tc.retry {
				opts = append(opts, columnfamily.RetryCounterMutations())
			}
			cf, err := columnfamily.Open(bg, p, "Counter", opts...)
			if err != nil {
				t.Fatal(err)
			}
			// A drop in an earlier case marked its server down for a while.
			eventually(t, "every server up", func() bool {
				for _, s := range p.Stats().Servers {
					if !s.Up {
						return false
					}
				}
				return true
			})
			faultEach(t, srvs, tc.rule)
			defer func() {
				for _, s := range srvs {
					s.Faults().Clear()
				}
			}()
			key := fmt.Sprintf("c%d", i)
			n, err := attemptsOf(p, func() error { return cf.Add(bg, key, "hits", 1) })
			if !tc.wantErr(err) {
				t.Fatalf("Add = %v (%T)", err, err)
			}
			var mr *pool.MaxRetriesError
			if errors.As(err, &mr) {
				t.Errorf("a single attempt's error came wrapped: %v", err)
			}
			if n != tc.attempts {
				t.Errorf("%d attempts, want %d", n, tc.attempts)
			}
			if got := counterTotal(t, srvs, key, "hits"); got != tc.total {
				t.Errorf("counter total %d, want %d", got, tc.total)
			}
		})
	}
}

// TestFaultsCounterMaybeApplied: an add held past pool.Config.Timeout is
// applied by the server after the client gave up, the case
// pool.NonIdempotent exists for. By default the timeout is returned after
// one attempt and the counter ends at 1; with RetryCounterMutations the
// add is retried, and every held attempt is applied too (each server holds
// its next add once, so three attempts time out and the fourth succeeds:
// 4).
func TestFaultsCounterMaybeApplied(t *testing.T) {
	srvs := faultCluster(t, 3)
	tests := []struct {
		name     string
		retry    bool
		wantErr  bool
		attempts int64
		total    int64
	}{
		{"not retried", false, true, 1, 1},
		{"RetryCounterMutations", true, false, 4, 4},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := clusterPool(t, srvs, 100*time.Millisecond)
			var opts []columnfamily.Option
			if tc.retry {
				opts = append(opts, columnfamily.RetryCounterMutations())
			}
			cf, err := columnfamily.Open(bg, p, "Counter", opts...)
			if err != nil {
				t.Fatal(err)
			}
			faultEach(t, srvs, server.FaultRule{Method: "add", Times: 1, Delay: 300 * time.Millisecond})
			defer func() {
				for _, s := range srvs {
					s.Faults().Clear()
				}
			}()
			key := fmt.Sprintf("held%d", i)
			n, err := attemptsOf(p, func() error { return cf.Add(bg, key, "hits", 1) })
			var tr *pool.TransportError
			if tc.wantErr != (err != nil) || (err != nil && (!errors.As(err, &tr) || !tr.Timeout())) {
				t.Fatalf("Add = %v (%T), want error: %v (a transport timeout)", err, err, tc.wantErr)
			}
			if n != tc.attempts {
				t.Errorf("%d attempts, want %d", n, tc.attempts)
			}
			eventually(t, fmt.Sprintf("the counter at %d", tc.total), func() bool { return counterTotal(t, srvs, key, "hits") == tc.total })
		})
	}
}

// TestFaultsInsertKeepsTimestamp: an Insert that times out on every
// server once is sent again with the same client timestamp, taken once
// from the source, and that is the timestamp stored.
func TestFaultsInsertKeepsTimestamp(t *testing.T) {
	srvs := faultCluster(t, 3)
	p := clusterPool(t, srvs, 2*time.Second)
	var calls atomic.Int64
	cf, err := columnfamily.Open(bg, p, "Std", columnfamily.TimestampSource(func() int64 { return 1_000_000 + calls.Add(1) }))
	if err != nil {
		t.Fatal(err)
	}
	faultEach(t, srvs, server.FaultRule{Method: "batch_mutate", Times: 1, Fail: server.FaultTimedOut})
	var ts int64
	n, err := attemptsOf(p, func() (err error) {
		ts, err = cf.Insert(bg, "row", columnfamily.Cols{"a": "x"})
		return err
	})
	if err != nil {
		t.Fatalf("Insert: %v", err)
	}
	if n != 4 || calls.Load() != 1 || ts != 1_000_001 {
		t.Errorf("%d attempts, %d timestamp source calls, ts %d; want 4, 1, 1000001", n, calls.Load(), ts)
	}
	// The column is on the one server whose attempt succeeded.
	var found []int64
	for _, s := range srvs {
		one, err := pool.Open(bg, pool.Config{Servers: []string{s.Addr()}, Keyspace: testKeyspace, PoolSize: 1})
		if err != nil {
			t.Fatal(err)
		}
		ucf, err := columnfamily.Open(bg, one, "Std")
		if err != nil {
			t.Fatal(err)
		}
		if row, err := ucf.Get(bg, "row", query.Select{}); err == nil {
			col, _ := row.Column("a")
			found = append(found, col.Timestamp)
		} else if !errors.Is(err, cassa.ErrNotFound) {
			t.Errorf("reading %s: %v", s.Addr(), err)
		}
		one.Close(bg)
	}
	if len(found) != 1 || found[0] != ts {
		t.Errorf("stored timestamps %v, want exactly [%d]", found, ts)
	}
}

// TestFaultsGetNotFoundIsFinal: a Get of a missing column is answered
// NotFoundException, which is final: one attempt, even with servers to
// spare.
func TestFaultsGetNotFoundIsFinal(t *testing.T) {
	srvs := faultCluster(t, 3)
	p := clusterPool(t, srvs, 2*time.Second)
	cf, err := columnfamily.Open(bg, p, "Std")
	if err != nil {
		t.Fatal(err)
	}
	n, err := attemptsOf(p, func() error {
		_, err := cf.Get(context.Background(), "nobody", query.Columns("nope"))
		return err
	})
	if !errors.Is(err, cassa.ErrNotFound) || n != 1 {
		t.Errorf("Get of a missing column = %v after %d attempts; want ErrNotFound after 1", err, n)
	}
}
