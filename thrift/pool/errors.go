package pool

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/internal/errinfo"
	"github.com/cassa-go/cassa/thriftgen"
)

// Sentinel errors of the pool. Cassandra's own answers (not found,
// invalid request, unavailable, timed out, authentication and
// authorization) are the cassa package's errors; typed errors below match
// these sentinels with errors.Is where noted.
var (
	// ErrAllServersUnavailable matches every *AllServersUnavailableError.
	ErrAllServersUnavailable = errors.New("pool: all servers unavailable")
	// ErrPoolTimeout matches every *PoolTimeoutError.
	ErrPoolTimeout = errors.New("pool: no free connection in time")
	// ErrPoolClosed is returned by operations on a closed Pool.
	ErrPoolClosed = errors.New("pool: closed")
	// ErrRequestTooLarge matches every *RequestTooLargeError.
	ErrRequestTooLarge = errors.New("pool: request larger than the frame limit")
)

// RequestTooLargeError reports a request whose Thrift frame would be
// larger than Config.MaxFrameSize, which a server with the same limit
// (Cassandra's thrift_framed_transport_size_in_mb) would answer by closing
// the connection. It is refused before anything is sent: the connection
// stays usable and the request is not retried, since it would fail the
// same way everywhere. It matches ErrRequestTooLarge.
type RequestTooLargeError struct {
	Host  string
	Op    string // the Thrift method
	Size  int    // bytes of the frame: the whole Thrift message, method name and arguments
	Limit int    // Config.MaxFrameSize
}

// Error says the size, the limit and the operation.
func (e *RequestTooLargeError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("pool: request too large%s: its frame of %d bytes is over the limit of %d bytes "+
		"(Config.MaxFrameSize; Cassandra's thrift_framed_transport_size_in_mb); nothing was sent",
		errinfo.Where(e.Op, e.Host), e.Size, e.Limit)
}

// Is reports whether target is ErrRequestTooLarge.
func (e *RequestTooLargeError) Is(target error) bool { return target == ErrRequestTooLarge }

// TransportError is a network or framing failure talking to a server: a
// refused or reset connection, EOF, an RPC that ran past Config.Timeout, a
// bad frame. The connection is closed, the server marked down, and the
// operation retried elsewhere. Err is the underlying error.
type TransportError struct {
	Host string
	Op   string // empty while connecting
	Err  error
}

// Error describes the failure, naming op and host where known.
func (e *TransportError) Error() string {
	if e == nil {
		return "<nil>"
	}
	if e.Op == "" {
		return fmt.Sprintf("pool: connect %s: %v%s", e.Host, e.Err, nativeProtocolHint(e.Err))
	}
	return fmt.Sprintf("pool: transport error%s: %v%s", errinfo.Where(e.Op, e.Host), e.Err, nativeProtocolHint(e.Err))
}

// nativeProtocolHint explains the framing error of a Thrift client that
// reached CQL's native-protocol port: the server answers the first bytes
// with an error frame, whose header (0x81 to 0x85, a response of protocol
// v1 to v5) the framed transport reads as a frame size over 2 GiB.
func nativeProtocolHint(err error) string {
	var size uint64
	if err == nil {
		return ""
	}
	if _, scanErr := fmt.Sscanf(err.Error(), "Incorrect frame size (%d)", &size); scanErr != nil {
		return ""
	}
	if v := size >> 24; size <= 0xFFFFFFFF && v >= 0x81 && v <= 0x85 {
		return " (the server answered in CQL's native protocol: this is a CQL port, such as 9042, not Thrift's 9160)"
	}
	return ""
}

// Unwrap returns the underlying network or framing error.
func (e *TransportError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Timeout reports whether the transport error was a socket timeout.
func (e *TransportError) Timeout() bool {
	if e == nil {
		return false
	}
	var ne net.Error
	return errors.As(e.Err, &ne) && ne.Timeout()
}

// ApplicationError is a Thrift TApplicationException: the server failed to
// process the call (unknown method, internal error) or the reply did not
// match the call. The connection is closed; the call is not retried,
// because it may have been applied. During connection setup (login,
// set_keyspace) nothing of the caller's has been sent, so there it counts
// as that server failing: it is marked down and the next server is tried.
type ApplicationError struct {
	Host string
	Op   string
	Err  error
}

// Error describes the failure, naming op and host where known.
func (e *ApplicationError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("pool: server error%s: %v", errinfo.Where(e.Op, e.Host), e.Err)
}

// Unwrap returns the Thrift TApplicationException.
func (e *ApplicationError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// HostError is the last error seen from one server.
type HostError struct {
	Host string
	Err  error
}

// MaxRetriesError reports an operation that failed on every attempt it was
// allowed, or whose retries the context's deadline cut short (then Ctx is
// the context's error). It unwraps to Last and Ctx, so errors.As finds the
// last typed error and errors.Is finds context.DeadlineExceeded.
type MaxRetriesError struct {
	Attempts int         // attempts made, the first included
	Last     error       // the last attempt's error
	PerHost  []HostError // the last error from each server tried, in order of first failure
	Ctx      error       // the context error that stopped retrying early, if any
}

// Error describes the failure, naming op and host where known.
func (e *MaxRetriesError) Error() string {
	if e == nil {
		return "<nil>"
	}
	var b strings.Builder
	if e.Ctx != nil {
		fmt.Fprintf(&b, "pool: %v after %d attempts; last error: %v", e.Ctx, e.Attempts, e.Last)
	} else {
		fmt.Fprintf(&b, "pool: gave up after %d attempts; last error: %v", e.Attempts, e.Last)
	}
	if len(e.PerHost) > 1 {
		b.WriteString("; per server:")
		for _, h := range e.PerHost {
			fmt.Fprintf(&b, " [%s: %v]", h.Host, h.Err)
		}
	}
	return b.String()
}

// Unwrap returns Last and, when set, Ctx.
func (e *MaxRetriesError) Unwrap() []error {
	if e == nil {
		return nil
	}
	if e.Ctx != nil {
		return []error{e.Last, e.Ctx}
	}
	return []error{e.Last}
}

// AllServersUnavailableError reports that no server could be connected to,
// whether the pool knows one server or many. It names each server's error,
// unwraps to them, and matches ErrAllServersUnavailable and
// cassa.ErrNoHostAvailable (the sentinel every transport's no-host error
// matches); after retries it is the Last of a *MaxRetriesError, which
// matches it too.
type AllServersUnavailableError struct {
	Servers []HostError
}

// Error describes the failure, naming op and host where known.
func (e *AllServersUnavailableError) Error() string {
	if e == nil {
		return "<nil>"
	}
	if len(e.Servers) == 0 {
		return "pool: all servers unavailable: the server list is empty"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "pool: all servers unavailable (%d tried):", len(e.Servers))
	for _, h := range e.Servers {
		fmt.Fprintf(&b, " [%s: %v]", h.Host, h.Err)
	}
	return b.String()
}

// Is reports whether target is ErrAllServersUnavailable or
// cassa.ErrNoHostAvailable.
func (e *AllServersUnavailableError) Is(target error) bool {
	return target == ErrAllServersUnavailable || target == cassa.ErrNoHostAvailable
}

// Unwrap returns each server's error, so errors.As can find, say, the
// *cassa.AuthenticationError one server gave.
func (e *AllServersUnavailableError) Unwrap() []error {
	if e == nil {
		return nil
	}
	errs := make([]error, len(e.Servers))
	for i, h := range e.Servers {
		errs[i] = h.Err
	}
	return errs
}

// PoolTimeoutError reports a checkout that found no free connection in
// time. It says why: the limits and what the connections were doing.
type PoolTimeoutError struct {
	PoolSize    int
	MaxOverflow int           // as configured; -1 is unlimited
	Waited      time.Duration // how long the checkout waited
	InUse       int           // connections checked out at the time
	Open        int           // connections open (in use + idle + opening)
	Waiting     int           // other checkouts waiting at the time
}

// Error describes the failure, naming op and host where known.
func (e *PoolTimeoutError) Error() string {
	if e == nil {
		return "<nil>"
	}
	overflow := fmt.Sprint(e.MaxOverflow)
	if e.MaxOverflow == UnlimitedOverflow {
		overflow = "unlimited"
	}
	return fmt.Sprintf("pool: pool timeout: no free connection after %v "+
		"(pool size %d, max overflow %s, %d open, %d in use, %d other waiters); "+
		"raise PoolSize or MaxOverflow, or look for operations holding connections",
		e.Waited.Round(time.Millisecond), e.PoolSize, overflow, e.Open, e.InUse, e.Waiting)
}

// Is reports whether target is ErrPoolTimeout.
func (e *PoolTimeoutError) Is(target error) bool { return target == ErrPoolTimeout }

// mapError turns a Thrift exception or transport error into the typed
// errors of package cassa and of this package, naming host and op (the
// Thrift method). Errors that are already typed pass through unchanged, as
// do context errors and nil.
func mapError(err error, host, op string) error {
	if err == nil {
		return nil
	}
	switch err.(type) {
	case *cassa.InvalidRequestError, *cassa.UnknownTableError, *cassa.UnavailableError, *cassa.TimedOutError, *cassa.AuthenticationError,
		*cassa.AuthorizationError, *TransportError, *ApplicationError, *MaxRetriesError,
		*AllServersUnavailableError, *PoolTimeoutError, *RequestTooLargeError:
		return err
	}
	var (
		nfe *thriftgen.NotFoundException
		ire *thriftgen.InvalidRequestException
		ue  *thriftgen.UnavailableException
		te  *thriftgen.TimedOutException
		aue *thriftgen.AuthenticationException
		aze *thriftgen.AuthorizationException
	)
	switch {
	case errors.As(err, &nfe):
		return cassa.ErrNotFound
	case errors.As(err, &ire):
		return &cassa.InvalidRequestError{Why: ire.Why, Host: host, Op: op}
	case errors.As(err, &ue):
		return &cassa.UnavailableError{Host: host, Op: op}
	case errors.As(err, &te):
		ack := int32(-1)
		if te.AcknowledgedBy != nil {
			ack = *te.AcknowledgedBy
		}
		return &cassa.TimedOutError{Host: host, Op: op, AcknowledgedBy: ack}
	case errors.As(err, &aue):
		return &cassa.AuthenticationError{Why: aue.Why, Host: host}
	case errors.As(err, &aze):
		return &cassa.AuthorizationError{Why: aze.Why, Host: host, Op: op}
	}
	if errors.Is(err, cassa.ErrNotFound) || errors.Is(err, ErrPoolClosed) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ae thrift.TApplicationException
	if errors.As(err, &ae) {
		return &ApplicationError{Host: host, Op: op, Err: err}
	}
	if isTransport(err) {
		return &TransportError{Host: host, Op: op, Err: err}
	}
	return err
}

// isTransport reports whether err came from the network or the framing
// layer rather than from the server's answer.
func isTransport(err error) bool {
	var (
		te thrift.TTransportException
		pe thrift.TProtocolException
	)
	switch {
	case errors.As(err, &te), errinfo.IsConnection(err):
		return true
	case errors.As(err, &pe):
		// Framing and decoding errors leave the stream out of step.
		return true
	}
	return false
}

// Retryable reports whether an operation that failed with err may be tried
// again on another server: Cassandra timeouts, unavailable, and transport
// errors. Invalid requests, not found, authentication and authorization
// errors, server (application) errors and context errors are final.
func Retryable(err error) bool {
	switch classify(err) {
	case kindRetry, kindBroken:
		return true
	}
	return false
}

// errKind says what an attempt's error means for the connection and the
// operation.
type errKind int

const (
	kindOK     errKind = iota
	kindFinal          // answer from the server: keep the connection, don't retry
	kindRetry          // server said timed out / unavailable: keep the connection, retry
	kindBroken         // transport failed: close the connection, mark the host down, retry
	kindFatal          // stream state unknown, not safe to retry: close, don't retry
	kindCtx            // context done: close (the RPC was interrupted), don't retry
)

func classify(err error) errKind {
	if err == nil {
		return kindOK
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return kindCtx
	}
	var (
		to *cassa.TimedOutError
		ue *cassa.UnavailableError
		tr *TransportError
		ap *ApplicationError
		as *AllServersUnavailableError
	)
	switch {
	case errors.As(err, &to), errors.As(err, &ue):
		return kindRetry
	case errors.As(err, &as):
		return kindRetry
	case errors.As(err, &tr):
		return kindBroken
	case errors.As(err, &ap):
		return kindFatal
	}
	return kindFinal
}
