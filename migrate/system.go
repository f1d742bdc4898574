package migrate

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/cassa-go/cassa/internal/check"
	"github.com/cassa-go/cassa/thrift/pool"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Defaults of the SystemManager options.
const (
	// DefaultAgreementPoll is the pause between two
	// describe_schema_versions calls while waiting for schema agreement
	// (pycassa's 0.25 s).
	DefaultAgreementPoll = 250 * time.Millisecond
	// DefaultAgreementTimeout bounds each wait for schema agreement when
	// the context has no earlier deadline.
	DefaultAgreementTimeout = 2 * time.Minute
)

// unreachableKey is the pseudo-version describe_schema_versions lists
// unreachable nodes under.
const unreachableKey = "UNREACHABLE"

// SystemManager changes and describes the schema of a cluster: pycassa's
// SystemManager over a pool.Pool. Every change waits until the reachable
// nodes agree on one schema version. It is safe for concurrent use.
type SystemManager struct {
	pool      *pool.Pool
	ownPool   bool
	poll      time.Duration
	agreement time.Duration
}

// Option adjusts a SystemManager. Options are values of this interface,
// made by the functions below.
type Option interface{ applySystem(*SystemManager) }

type systemFunc func(*SystemManager)

func (f systemFunc) applySystem(s *SystemManager) { f(s) }

// AgreementPoll sets the pause between two checks for schema agreement.
// Zero or less means DefaultAgreementPoll.
func AgreementPoll(d time.Duration) Option {
	return systemFunc(func(s *SystemManager) {
		if d > 0 {
			s.poll = d
		}
	})
}

// AgreementTimeout bounds each wait for schema agreement. Zero means
// DefaultAgreementTimeout; a negative value leaves only the context's
// deadline.
func AgreementTimeout(d time.Duration) Option {
	return systemFunc(func(s *SystemManager) {
		if d != 0 {
			s.agreement = d
		}
	})
}

// NewSystemManager returns a SystemManager that works through p. The pool
// may have any keyspace; calls that need one set it on the connection they
// use. Closing the SystemManager does not close the pool. With a nil p its
// methods return a *cassa.ArgumentError.
func NewSystemManager(p *pool.Pool, opts ...Option) *SystemManager {
	s := &SystemManager{pool: p, poll: DefaultAgreementPoll, agreement: DefaultAgreementTimeout}
	for _, o := range opts {
		if o != nil {
			o.applySystem(s)
		}
	}
	return s
}

// Connect opens a pool with cfg and returns a SystemManager that owns it:
// Close closes the pool. cfg.Keyspace may be empty.
func Connect(ctx context.Context, cfg pool.Config, opts ...Option) (*SystemManager, error) {
	p, err := pool.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	s := NewSystemManager(p, opts...)
	s.ownPool = true
	return s, nil
}

// Pool returns the pool the SystemManager works through (nil for a nil
// SystemManager).
func (s *SystemManager) Pool() *pool.Pool {
	if s == nil {
		return nil
	}
	return s.pool
}

// usable checks what every method checks first: a SystemManager made by
// Connect or NewSystemManager (with a pool), and a context.
func (s *SystemManager) usable(ctx context.Context, fn string) error {
	if s == nil || s.pool == nil {
		return check.Unmade(fn, "*migrate.SystemManager", "migrate.Connect or migrate.NewSystemManager (with a pool)")
	}
	return check.Context(ctx, fn)
}

// Close closes the pool if Connect opened it.
func (s *SystemManager) Close(ctx context.Context) error {
	if err := s.usable(ctx, "migrate.SystemManager.Close"); err != nil {
		return err
	}
	if s.ownPool {
		return s.pool.Close(ctx)
	}
	return nil
}

// do runs fn on a pooled connection, with keyspace set when not empty.
func (s *SystemManager) do(ctx context.Context, keyspace string, fn func(ctx context.Context, c *tg.CassandraClient) error, opts ...pool.DoOption) error {
	if err := s.usable(ctx, "migrate.SystemManager"); err != nil {
		return err
	}
	return s.pool.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
		if keyspace != "" {
			if err := c.SetKeyspace(ctx, keyspace); err != nil {
				return err
			}
		}
		return fn(ctx, c.Client())
	}, opts...)
}

// change sends one schema change and waits for agreement. A change may not
// be safe to send twice (a second add fails with "already existing"), so
// it is not retried once it may have reached the server. When the server
// answers SchemaDisagreementException (before Cassandra 1.2), it waits for
// agreement and sends the change again, as pycassa does.
func (s *SystemManager) change(ctx context.Context, keyspace string, fn func(ctx context.Context, c *tg.CassandraClient) (string, error)) error {
	for {
		err := s.do(ctx, keyspace, func(ctx context.Context, c *tg.CassandraClient) error {
			_, err := fn(ctx, c)
			return err
		}, pool.NonIdempotent())
		var sde *tg.SchemaDisagreementException
		if errors.As(err, &sde) {
			if werr := s.WaitForAgreement(ctx); werr != nil {
				return werr
			}
			continue
		}
		if err != nil {
			return err
		}
		return s.WaitForAgreement(ctx)
	}
}

// WaitForAgreement polls describe_schema_versions until every reachable node
// reports the same schema version. Nodes listed as UNREACHABLE are ignored
// (a down node must not block schema changes forever). It gives up when ctx
// ends or after the agreement timeout, with an *AgreementError naming the
// versions and the nodes holding each.
func (s *SystemManager) WaitForAgreement(ctx context.Context) error {
	if err := s.usable(ctx, "migrate.SystemManager.WaitForAgreement"); err != nil {
		return err
	}
	return waitAgreement(ctx, s.poll, s.agreement, s.DescribeSchemaVersions)
}

func waitAgreement(ctx context.Context, poll, limit time.Duration, describe func(context.Context) (map[string][]string, error)) error {
	if limit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	var last map[string][]string
	for {
		versions, err := describe(ctx)
		if err == nil {
			last = versions
			if agreed(versions) {
				return nil
			}
		} else if !ctxEnded(ctx) && !pool.Retryable(err) {
			return err
		}
		t := time.NewTimer(poll)
		select {
		case <-ctx.Done():
			t.Stop()
			e := &AgreementError{Versions: map[string][]string{}, Err: ctx.Err()}
			if err != nil && last == nil {
				e.Err = errors.Join(ctx.Err(), err)
			}
			for v, hosts := range last {
				h := append([]string(nil), hosts...)
				sort.Strings(h)
				if v == unreachableKey {
					e.Unreachable = h
				} else {
					e.Versions[v] = h
				}
			}
			return e
		case <-t.C:
		}
	}
}

// agreed reports whether at most one schema version remains once the
// unreachable nodes are set aside.
func agreed(versions map[string][]string) bool {
	n := 0
	for v := range versions {
		if v != unreachableKey {
			n++
		}
	}
	return n <= 1
}
