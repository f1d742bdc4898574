package pool

import (
	"context"
	"errors"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/internal/check"
)

// DoOption adjusts one Pool.Do call. Options are values of this
// interface, made by the functions below; Do reads them without calling
// into them, so passing options allocates nothing.
type DoOption interface{ doOption() }

type nonIdempotent struct{}
type retriesOpt int
type routingKey []byte

func (nonIdempotent) doOption() {}
func (retriesOpt) doOption()    {}
func (routingKey) doOption()    {}

type doOptions struct {
	retries       int // decoded as in settings: -1 unlimited
	nonIdempotent bool
	key           []byte
}

func (o *doOptions) apply(opt DoOption) {
	switch x := opt.(type) {
	case nonIdempotent:
		o.nonIdempotent = true
	case retriesOpt:
		if r, err := retries(int(x)); err == nil && x != 0 {
			o.retries = r
		}
	case routingKey:
		o.key = x
	}
}

// NonIdempotent marks an operation that must not run twice, such as a
// counter increment (add) or a write without a fixed client timestamp.
// After a failure that may have been applied (a Cassandra timeout, a
// transport error once the request was sent) it is not retried and the
// error is returned as is. Failures that applied nothing (no connection
// could be opened, UnavailableException) are still retried. Not passing it
// is the opt-in to retrying such operations.
func NonIdempotent() DoOption { return nonIdempotent{} }

// Retries overrides Config.MaxRetries for one operation: n retries, or
// NoRetries, or UnlimitedRetries (bounded by the context). 0 keeps the
// pool's setting.
func Retries(n int) DoOption { return retriesOpt(n) }

// RoutingKey names the row key the operation reads or writes. With
// Config.TokenAware the pool prefers a connection to a replica of that key.
func RoutingKey(key []byte) DoOption { return routingKey(key) }

// Do runs fn with a connection from the pool and returns the connection
// afterwards. fn's error is mapped onto typed errors (*cassa.TimedOutError,
// *TransportError, ...); when it is a Cassandra timeout, unavailable, or a
// transport error, fn runs again on a connection to another server (when
// one is up) after a jittered,
// exponentially growing pause (BackoffBase doubling up to BackoffMax), at
// most MaxRetries more times. ctx bounds every attempt, pause and wait for
// a connection together. Invalid requests, not found, authentication and
// authorization errors are returned at once.
//
// When every allowed attempt failed, Do returns a *MaxRetriesError with the
// last error and the last error from each server tried; when the context
// ended between attempts, that error carries the context's error too. A
// single attempt's failure is returned as is.
//
// fn may be run more than once and must not keep c after it returns. A
// retried write is idempotent when it keeps the one client timestamp it
// was given; otherwise pass NonIdempotent.
func (p *Pool) Do(ctx context.Context, fn func(ctx context.Context, c *Conn) error, opts ...DoOption) error {
	if err := p.usable("pool.Pool.Do"); err != nil {
		return err
	}
	if err := check.Context(ctx, "pool.Pool.Do"); err != nil {
		return err
	}
	if fn == nil {
		return check.Nil("pool.Pool.Do", "fn")
	}
	o := doOptions{retries: p.s.maxRetries}
	for _, opt := range opts {
		o.apply(opt)
	}
	var a attempts
	for {
		a.n++
		err, sent := p.attempt(ctx, fn, &a, o.key)
		switch classify(err) {
		case kindOK:
			return nil
		case kindFinal, kindFatal:
			return err
		case kindCtx:
			return a.giveUp(err, err)
		}
		if o.nonIdempotent && sent && !errors.Is(err, cassa.ErrUnavailable) {
			return a.giveUp(err, nil)
		}
		if o.retries >= 0 && a.n > o.retries {
			return a.giveUp(err, nil)
		}
		d := p.backoff(a.n)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= d {
			return a.giveUp(err, context.DeadlineExceeded)
		}
		if err := sleep(ctx, d); err != nil {
			return a.giveUp(a.last, err)
		}
		p.count.retries.Add(1)
	}
}

// attempt runs fn once. sent reports whether fn started an RPC (so a
// failure may have been applied).
func (p *Pool) attempt(ctx context.Context, fn func(context.Context, *Conn) error, a *attempts, key []byte) (err error, sent bool) {
	c, err := p.checkout(ctx, a, key)
	if err != nil {
		if kind := classify(err); kind == kindRetry || kind == kindBroken {
			a.fail("", err)
		}
		return err, false
	}
	h := c.host
	if p.s.keyspace != "" && c.keyspace != p.s.keyspace {
		err = c.SetKeyspace(ctx, p.s.keyspace)
	}
	if err == nil {
		ops := c.ops
		c.lastOp = ""
		err = mapError(fn(ctx, c), h.addr, c.lastOp)
		if ire, ok := err.(*cassa.InvalidRequestError); ok {
			// Requests run in the connection's keyspace: name it.
			if ut := cassa.UnknownTableFrom(ire, c.keyspace); ut != nil {
				err = ut
			}
		}
		sent = c.ops > ops
	}
	kind := classify(err)
	if kind == kindRetry || kind == kindBroken || kind == kindFatal {
		p.count.failed.Add(1)
		p.ev.failed(h.addr, c.lastOp, c, err)
	}
	if kind == kindRetry || kind == kindBroken {
		a.fail(h.addr, err)
	}
	p.checkin(c)
	if kind == kindBroken {
		p.markDown(h, err)
	}
	return err, sent
}

func (p *Pool) backoff(attempt int) time.Duration {
	d := p.s.backoffBase
	for i := 1; i < attempt && d < p.s.backoffMax; i++ {
		d *= 2
	}
	return jitter(min(d, p.s.backoffMax))
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// attempts is what one Do call has tried so far.
type attempts struct {
	n       int
	last    error
	perHost []HostError
}

// fail records a retryable failure on server addr ("" when no connection
// was had; an *AllServersUnavailableError then names each server).
func (a *attempts) fail(addr string, err error) {
	a.last = err
	var as *AllServersUnavailableError
	if addr == "" && errors.As(err, &as) {
		for _, h := range as.Servers {
			a.record(h.Host, h.Err)
		}
		return
	}
	if addr == "" {
		var te *TransportError
		if errors.As(err, &te) {
			addr = te.Host
		}
	}
	a.record(addr, err)
}

func (a *attempts) record(addr string, err error) {
	for i := range a.perHost {
		if a.perHost[i].Host == addr {
			a.perHost[i].Err = err
			return
		}
	}
	a.perHost = append(a.perHost, HostError{Host: addr, Err: err})
}

// has reports whether this operation already failed on h.
func (a *attempts) has(h *host) bool {
	if a == nil {
		return false
	}
	for _, e := range a.perHost {
		if e.Host == h.addr {
			return true
		}
	}
	return false
}

// giveUp builds the error Do returns when it stops after err; ctxErr is the
// context error that stopped it, if any. A single attempt's error is
// returned as is, unless the context cut its retry short.
func (a *attempts) giveUp(err, ctxErr error) error {
	if a.last == nil || (a.n <= 1 && ctxErr == nil) {
		return err
	}
	last := err
	if ctxErr != nil && errors.Is(err, ctxErr) {
		last = a.last
	}
	return &MaxRetriesError{Attempts: a.n, Last: last, PerHost: append([]HostError(nil), a.perHost...), Ctx: ctxErr}
}
