package cql

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// retryClass says what an attempt's error allows.
type retryClass uint8

const (
	// retryNever: Cassandra's answer to the request itself (invalid,
	// unauthorized, a replica failure), or an outcome that is not known
	// (an LWT whose write is unknown). Trying again cannot help.
	retryNever retryClass = iota
	// retryNotApplied: nothing was applied (not enough replicas alive, an
	// overloaded or bootstrapping coordinator): safe to retry anything.
	retryNotApplied
	// retryIfIdempotent: the request may have been applied (a timeout, a
	// lost connection, a server error): retry only what may run twice.
	retryIfIdempotent
)

// classifyRetry sorts a raw gocql error.
func classifyRetry(err error) retryClass {
	var (
		ua  *gocql.RequestErrUnavailable
		ov  *gocql.RequestErrOverloaded
		bs  *gocql.RequestErrBootstrapping
		wt  *gocql.RequestErrWriteTimeout
		rt  *gocql.RequestErrReadTimeout
		req gocql.RequestError
	)
	switch {
	case err == nil, errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, gocql.ErrNotFound), errors.Is(err, gocql.ErrFrameTooBig):
		return retryNever
	case errors.As(err, &ua), errors.As(err, &ov), errors.As(err, &bs):
		return retryNotApplied
	case errors.As(err, &wt):
		if wt.WriteType == "CAS" {
			return retryNever
		}
		return retryIfIdempotent
	case errors.As(err, &rt):
		return retryIfIdempotent
	case errors.As(err, new(*gocql.RequestErrSyntax)), errors.As(err, new(*gocql.RequestErrInvalid)),
		errors.As(err, new(*gocql.RequestErrConfig)), errors.As(err, new(*gocql.RequestErrAlreadyExists)),
		errors.As(err, new(*gocql.RequestErrCredentials)), errors.As(err, new(*gocql.RequestErrUnauthorized)),
		errors.As(err, new(*gocql.RequestErrUnprepared)), errors.As(err, new(*gocql.RequestErrCASWriteUnknown)),
		errors.As(err, new(*gocql.RequestErrReadFailure)), errors.As(err, new(*gocql.RequestErrWriteFailure)),
		errors.As(err, new(*gocql.RequestErrFunctionFailure)), errors.As(err, new(*gocql.RequestErrCDCWriteFailure)):
		return retryNever
	case errors.As(err, &req):
		switch req.Code() {
		case gocql.ErrCodeServer, gocql.ErrCodeTruncate:
			return retryIfIdempotent
		case gocql.ErrCodeUnavailable, gocql.ErrCodeOverloaded, gocql.ErrCodeBootstrapping:
			return retryNotApplied
		case gocql.ErrCodeReadTimeout, gocql.ErrCodeWriteTimeout:
			return retryIfIdempotent
		}
		return retryNever
	case errors.Is(err, gocql.ErrTimeoutNoResponse), isTransport(err):
		return retryIfIdempotent
	}
	return retryNever
}

// callRetry is gocql's RetryPolicy for one call: it knows the call's
// context (to stop pausing when it ends), whether the statement is
// idempotent, and how many retries it may make. gocql consults a policy
// only for statements marked idempotent, so every statement is marked
// idempotent for gocql and this policy decides.
type callRetry struct {
	s          *Session
	ctx        context.Context
	op         string // the statement
	idempotent bool
	max        int  // retries allowed
	more       bool // set by Attempt: the last attempt was not the final one
	attempts   int
}

// Attempt records whether another attempt is allowed. gocql calls it
// before GetRetryType, so it only notes the answer; the pause is taken in
// GetRetryType, once the error is known to be worth a retry.
func (c *callRetry) Attempt(q gocql.RetryableQuery) bool {
	c.attempts = q.Attempts()
	c.more = c.attempts <= c.max
	return c.more
}

// GetRetryType decides whether the error allows a retry and, if one
// follows, waits the backoff pause (bounded by the call's context).
func (c *callRetry) GetRetryType(err error) gocql.RetryType {
	switch classifyRetry(err) {
	case retryNever:
		return gocql.Rethrow
	case retryIfIdempotent:
		if !c.idempotent {
			return gocql.Rethrow
		}
	}
	if !c.more {
		return gocql.Rethrow
	}
	pause := c.s.backoff(c.attempts)
	if dl, ok := c.ctx.Deadline(); ok && time.Until(dl) <= pause {
		return gocql.Rethrow
	}
	if c.s.obs.ev.on() {
		c.s.obs.ev.retrying(shorten(c.op), c.attempts, mapError(err, "", c.op), pause)
	}
	t := time.NewTimer(pause)
	defer t.Stop()
	select {
	case <-t.C:
	case <-c.ctx.Done():
		return gocql.Rethrow
	}
	// The next host of the routing plan while there is one; gocql ends
	// the plan after the last host, so then the same host again (the only
	// one, on a single node).
	if c.s.gs != nil && c.attempts >= c.s.upHosts() {
		return gocql.Retry
	}
	return gocql.RetryNextHost
}

// upHosts is the number of hosts up.
func (s *Session) upHosts() int {
	n := 0
	for _, h := range s.gs.GetHosts() {
		if h.IsUp() {
			n++
		}
	}
	return n
}

// backoff is the pause after the n-th failed attempt: BackoffBase doubled
// n-1 times, capped at BackoffMax, with jitter in [d/2, d].
func (s *Session) backoff(n int) time.Duration {
	d := s.cfg.backoffBase
	for i := 1; i < n && d < s.cfg.backoffMax; i++ {
		d *= 2
	}
	d = min(d, s.cfg.backoffMax)
	return d/2 + rand.N(d/2+1)
}
