package cql

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/internal/errinfo"
)

// Sentinel errors of the CQL transport. Cassandra's own answers (not
// found, invalid request, unavailable, timed out, authentication,
// authorization) are the errors of package cassa.
var (
	// ErrClosed is returned by a Session, Rows or Batch used after Close.
	ErrClosed = errors.New("cql: session closed")
	// ErrOverloaded matches every *OverloadedError.
	ErrOverloaded = errors.New("cql: coordinator overloaded")
	// ErrInvalidOption reports options or arguments a call cannot use: a
	// keyspace per statement on protocol v4, a page token for another
	// statement, a batch statement that is not a write. It is returned
	// before anything is sent, and matches cassa.ErrInvalidArgument.
	ErrInvalidOption = errinfo.Sentinel("cql: invalid option", cassa.ErrInvalidArgument)
	// ErrBadPageToken matches every *PageTokenError.
	ErrBadPageToken = errors.New("cql: bad page token")
)

// maxOp bounds the statement text carried in errors and events.
const maxOp = 160

// shorten bounds a statement for messages: whitespace runs collapsed,
// at most maxOp bytes, cut on a rune boundary with "…".
func shorten(stmt string) string {
	simple := len(stmt) <= maxOp
	for i := 0; simple && i < len(stmt); i++ {
		if c := stmt[i]; c == '\n' || c == '\t' || c == '\r' || (c == ' ' && i+1 < len(stmt) && stmt[i+1] == ' ') {
			simple = false
		}
	}
	if simple {
		return stmt
	}
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(stmt) {
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if b.Len() >= maxOp {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TransportError is a failure of the connection rather than an answer
// from Cassandra: a refused, reset or closed connection, a request that
// got no response within Config.Timeout, a protocol violation. The
// request may or may not have been applied.
type TransportError struct {
	Host string // "host:port", when known
	Op   string // the statement, shortened; empty while connecting
	Err  error
}

// Error describes the failure, naming the statement and host where known.
func (e *TransportError) Error() string {
	if e == nil {
		return "<nil>"
	}
	if e.Op == "" {
		return fmt.Sprintf("cql: connect%s: %v", errinfo.Where("", e.Host), e.Err)
	}
	return fmt.Sprintf("cql: transport error%s: %v", errinfo.Where(e.Op, e.Host), e.Err)
}

// Unwrap returns the underlying error.
func (e *TransportError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Timeout reports whether the request timed out on the client side.
func (e *TransportError) Timeout() bool {
	if e == nil {
		return false
	}
	if errors.Is(e.Err, gocql.ErrTimeoutNoResponse) {
		return true
	}
	var ne net.Error
	return errors.As(e.Err, &ne) && ne.Timeout()
}

// HostError is one host's error.
type HostError struct {
	Host string
	Err  error
}

// NoHostError reports that no host could take the request: none of the
// contact points could be connected to (in Open), or every known host is
// down. Nothing was sent. It matches cassa.ErrNoHostAvailable and names
// each host's last error where one is known; errors.As finds, say, a
// *cassa.AuthenticationError among them.
type NoHostError struct {
	Op    string // the statement, shortened; empty in Open
	Hosts []HostError
	Err   error // the driver's own summary, when it gave one
}

// Error describes the failure and each host's error.
func (e *NoHostError) Error() string {
	if e == nil {
		return "<nil>"
	}
	var b strings.Builder
	b.WriteString("cql: no host available")
	if e.Op != "" {
		b.WriteString(" (" + e.Op + ")")
	}
	if len(e.Hosts) == 0 {
		if e.Err != nil {
			fmt.Fprintf(&b, ": %v", e.Err)
		}
		return b.String()
	}
	b.WriteString(":")
	for _, h := range e.Hosts {
		fmt.Fprintf(&b, " [%s: %v]", h.Host, h.Err)
	}
	return b.String()
}

// Is reports whether target is cassa.ErrNoHostAvailable.
func (e *NoHostError) Is(target error) bool { return target == cassa.ErrNoHostAvailable }

// Unwrap returns each host's error and the driver's summary.
func (e *NoHostError) Unwrap() []error {
	if e == nil {
		return nil
	}
	errs := make([]error, 0, len(e.Hosts)+1)
	for _, h := range e.Hosts {
		errs = append(errs, h.Err)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// OverloadedError is Cassandra's OverloadedException (the coordinator
// refused the request) or IsBootstrapping (it is not ready). Nothing was
// applied. It matches ErrOverloaded.
type OverloadedError struct {
	Host          string
	Op            string
	Why           string
	Bootstrapping bool
}

// Error describes the failure, naming the statement and host.
func (e *OverloadedError) Error() string {
	if e == nil {
		return "<nil>"
	}
	what := "coordinator overloaded"
	if e.Bootstrapping {
		what = "coordinator bootstrapping"
	}
	return fmt.Sprintf("cql: %s%s: %s", what, errinfo.Where(e.Op, e.Host), e.Why)
}

// Is reports whether target is ErrOverloaded.
func (e *OverloadedError) Is(target error) bool { return target == ErrOverloaded }

// AlreadyExistsError is Cassandra's AlreadyExistsException: a CREATE of a
// keyspace or table that exists. It unwraps to the *cassa.InvalidRequestError
// the Thrift side returns for the same mistake.
type AlreadyExistsError struct {
	Keyspace, Table string
	Err             *cassa.InvalidRequestError
}

// Error is the invalid request's message.
func (e *AlreadyExistsError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return e.Err.Error()
}

// Unwrap returns the *cassa.InvalidRequestError.
func (e *AlreadyExistsError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// ServerError is any other error Cassandra answered with: a server error,
// a protocol error, a read or write failure on replicas, a failed
// function, a truncate error. Code is the native protocol's error code
// (0x0000 server error, 0x1300 read failure, ...); Err is gocql's error.
type ServerError struct {
	Host string
	Op   string
	Code int
	Why  string
	Err  error
}

// Error describes the failure, naming the statement and host.
func (e *ServerError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("cql: server error 0x%04x%s: %s", e.Code, errinfo.Where(e.Op, e.Host), e.Why)
}

// Unwrap returns gocql's error.
func (e *ServerError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// ClientError is a failure on the client's side that is neither an
// answer from Cassandra nor a broken connection: most often a value gocql
// cannot marshal to the column's type (a gocql.MarshalError) or a result
// it cannot unmarshal. Nothing was applied.
type ClientError struct {
	Host string // where the statement was headed, when known
	Op   string
	Err  error
}

// Error describes the failure, naming the statement and host where known.
func (e *ClientError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("cql%s: %v", errinfo.Where(e.Op, e.Host), e.Err)
}

// Unwrap returns the underlying error.
func (e *ClientError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// MaxRetriesError reports a statement that failed on every attempt it was
// allowed. It unwraps to Last, so errors.As finds the last typed error.
type MaxRetriesError struct {
	Attempts int
	Last     error
}

// Error describes the failure.
func (e *MaxRetriesError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("cql: gave up after %d attempts; last error: %v", e.Attempts, e.Last)
}

// Unwrap returns Last.
func (e *MaxRetriesError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Last
}

// mapError turns a gocql error into the errors of package cassa and of
// this package, naming the host ("host:port", may be empty) and the
// statement (shortened here). Already mapped errors, context errors and
// nil pass through.
//
//	gocql                                         cassa / cql
//	ErrNotFound                                   cassa.ErrNotFound
//	*RequestErrUnavailable (0x1000)                *cassa.UnavailableError
//	*RequestErrWriteTimeout (0x1100)               *cassa.TimedOutError{AcknowledgedBy: Received}
//	*RequestErrReadTimeout (0x1200)                *cassa.TimedOutError{AcknowledgedBy: -1}
//	*RequestErrCASWriteUnknown (0x1700)            *cassa.TimedOutError{AcknowledgedBy: Received}
//	*RequestErrSyntax (0x2000)                     *cassa.InvalidRequestError
//	*RequestErrInvalid (0x2200)                    *cassa.InvalidRequestError; *cassa.UnknownTableError
//	                                               for "unconfigured table", "Keyspace ... does not exist"
//	*RequestErrConfig (0x2300)                     *cassa.InvalidRequestError
//	*RequestErrAlreadyExists (0x2400)              *AlreadyExistsError → *cassa.InvalidRequestError
//	*RequestErrUnprepared (0x2500)                 *cassa.InvalidRequestError
//	*RequestErrCredentials (0x0100), auth failure  *cassa.AuthenticationError
//	*RequestErrUnauthorized (0x2100)               *cassa.AuthorizationError
//	*RequestErrOverloaded, *RequestErrBootstrapping *OverloadedError
//	other server errors (0x0000, 0x000A, 0x13xx…)  *ServerError
//	ErrNoConnections, ErrNoHosts, gocql's
//	ErrUnavailable, ErrNoConnectionsStarted        *NoHostError (cassa.ErrNoHostAvailable)
//	ErrTimeoutNoResponse, network errors, EOF,
//	closed connections, protocol errors            *TransportError
//	ErrFrameTooBig (a frame over 256 MiB)          *ClientError, never retried
//	ErrSessionClosed                               ErrClosed
//	context.Canceled, DeadlineExceeded             unchanged
//	anything else (MarshalError, ...)              *ClientError
func mapError(err error, host, stmt string) error {
	if err == nil {
		return nil
	}
	switch err.(type) {
	case *cassa.InvalidRequestError, *cassa.UnknownTableError, *cassa.UnavailableError, *cassa.TimedOutError, *cassa.AuthenticationError,
		*cassa.AuthorizationError, *TransportError, *NoHostError, *OverloadedError, *AlreadyExistsError,
		*ServerError, *MaxRetriesError, *PageTokenError, *ClientError:
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, cassa.ErrNotFound) || errors.Is(err, ErrClosed) {
		return err
	}
	op := shorten(stmt)
	var (
		ua  *gocql.RequestErrUnavailable
		wt  *gocql.RequestErrWriteTimeout
		rt  *gocql.RequestErrReadTimeout
		cw  *gocql.RequestErrCASWriteUnknown
		ae  *gocql.RequestErrAlreadyExists
		ov  *gocql.RequestErrOverloaded
		bs  *gocql.RequestErrBootstrapping
		req gocql.RequestError
	)
	switch {
	case errors.Is(err, gocql.ErrNotFound):
		return cassa.ErrNotFound
	case errors.As(err, &ua):
		return &cassa.UnavailableError{Host: host, Op: op}
	case errors.As(err, &wt):
		return &cassa.TimedOutError{Host: host, Op: op, AcknowledgedBy: int32(wt.Received)}
	case errors.As(err, &rt):
		return &cassa.TimedOutError{Host: host, Op: op, AcknowledgedBy: -1}
	case errors.As(err, &cw):
		return &cassa.TimedOutError{Host: host, Op: op, AcknowledgedBy: int32(cw.Received)}
	case errors.As(err, &ae):
		return &AlreadyExistsError{Keyspace: ae.Keyspace, Table: ae.Table,
			Err: &cassa.InvalidRequestError{Why: ae.Message(), Host: host, Op: op}}
	case errors.As(err, &ov):
		return &OverloadedError{Host: host, Op: op, Why: ov.Message()}
	case errors.As(err, &bs):
		return &OverloadedError{Host: host, Op: op, Why: bs.Message(), Bootstrapping: true}
	case errors.As(err, &req):
		return mapRequestError(req, err, host, op)
	case errors.Is(err, gocql.ErrSessionClosed):
		return ErrClosed
	case errors.Is(err, gocql.ErrNoConnections), errors.Is(err, gocql.ErrNoHosts),
		errors.Is(err, gocql.ErrUnavailable), errors.Is(err, gocql.ErrNoConnectionsStarted):
		return &NoHostError{Op: op, Err: err}
	case isAuthFailure(err):
		return &cassa.AuthenticationError{Why: err.Error(), Host: host}
	case errors.Is(err, gocql.ErrFrameTooBig):
		// gocql refused to build a request frame over the protocol's
		// 256 MiB, or discarded such a response: the same statement
		// fails the same way everywhere, and the connection is intact.
		return &ClientError{Host: host, Op: op, Err: fmt.Errorf("request or response over the native protocol's 256 MiB frame limit: %w", err)}
	case errors.Is(err, gocql.ErrTimeoutNoResponse), isTransport(err):
		return &TransportError{Host: host, Op: op, Err: err}
	}
	return &ClientError{Host: host, Op: op, Err: err}
}

// mapRequestError maps a server error by its code: gocql's dedicated
// types for the codes that carry no extra fields, or any other
// implementation of gocql.RequestError.
func mapRequestError(req gocql.RequestError, err error, host, op string) error {
	why := req.Message()
	switch req.(type) {
	case *gocql.RequestErrSyntax, *gocql.RequestErrConfig, *gocql.RequestErrUnprepared:
		return &cassa.InvalidRequestError{Why: why, Host: host, Op: op}
	case *gocql.RequestErrInvalid:
		if isUnknownTable(why) {
			return unknownTable(why, host, op)
		}
		return &cassa.InvalidRequestError{Why: why, Host: host, Op: op}
	case *gocql.RequestErrCredentials:
		return &cassa.AuthenticationError{Why: why, Host: host}
	case *gocql.RequestErrUnauthorized:
		return &cassa.AuthorizationError{Why: why, Host: host, Op: op}
	}
	switch req.Code() {
	case gocql.ErrCodeSyntax, gocql.ErrCodeConfig, gocql.ErrCodeUnprepared:
		return &cassa.InvalidRequestError{Why: why, Host: host, Op: op}
	case gocql.ErrCodeInvalid:
		if isUnknownTable(why) {
			return unknownTable(why, host, op)
		}
		return &cassa.InvalidRequestError{Why: why, Host: host, Op: op}
	case gocql.ErrCodeAlreadyExists:
		return &AlreadyExistsError{Err: &cassa.InvalidRequestError{Why: why, Host: host, Op: op}}
	case gocql.ErrCodeCredentials:
		return &cassa.AuthenticationError{Why: why, Host: host}
	case gocql.ErrCodeUnauthorized:
		return &cassa.AuthorizationError{Why: why, Host: host, Op: op}
	case gocql.ErrCodeUnavailable:
		return &cassa.UnavailableError{Host: host, Op: op}
	case gocql.ErrCodeWriteTimeout, gocql.ErrCodeCASWriteUnknown:
		return &cassa.TimedOutError{Host: host, Op: op, AcknowledgedBy: -1}
	case gocql.ErrCodeReadTimeout:
		return &cassa.TimedOutError{Host: host, Op: op, AcknowledgedBy: -1}
	case gocql.ErrCodeOverloaded:
		return &OverloadedError{Host: host, Op: op, Why: why}
	case gocql.ErrCodeBootstrapping:
		return &OverloadedError{Host: host, Op: op, Why: why, Bootstrapping: true}
	}
	return &ServerError{Host: host, Op: op, Code: req.Code(), Why: why, Err: err}
}

// isUnknownTable recognises Cassandra's invalid-request messages for a
// table or keyspace that does not exist: "unconfigured table %s"
// (3.0-3.11 and 4.x), "Keyspace %s does not exist", and 5.0's
// "table %s does not exist".
func isUnknownTable(why string) bool {
	return strings.HasPrefix(why, "unconfigured table ") ||
		(strings.HasPrefix(why, "Keyspace ") && strings.HasSuffix(why, " does not exist")) ||
		(strings.HasPrefix(why, "table ") && strings.HasSuffix(why, " does not exist"))
}

// unknownTable is the error for a statement on a table or keyspace that
// does not exist: a *cassa.UnknownTableError (matching
// cassa.ErrUnknownTable, never cassa.ErrNotFound) wrapping the server's
// invalid request, the same family the Thrift side returns.
func unknownTable(why, host, op string) error {
	ire := &cassa.InvalidRequestError{Why: why, Host: host, Op: op}
	e := &cassa.UnknownTableError{Host: host, Op: op, Err: ire}
	switch {
	case strings.HasPrefix(why, "unconfigured table "):
		e.Keyspace, e.Table = splitQualified(strings.TrimPrefix(why, "unconfigured table "))
	case strings.HasPrefix(why, "Keyspace "):
		e.Keyspace = strings.TrimSuffix(strings.TrimPrefix(why, "Keyspace "), " does not exist")
	default: // 5.0: "table %s does not exist"
		e.Keyspace, e.Table = splitQualified(strings.TrimSuffix(strings.TrimPrefix(why, "table "), " does not exist"))
	}
	return e
}

// splitQualified splits "ks.table" (or a bare "table") as Cassandra's
// messages name a table.
func splitQualified(name string) (keyspace, table string) {
	if ks, t, ok := strings.Cut(name, "."); ok {
		return ks, t
	}
	return "", name
}

// isAuthFailure recognises the authentication failures gocql reports as
// plain errors while connecting.
func isAuthFailure(err error) bool {
	s := err.Error()
	return strings.Contains(s, "authentication required") ||
		strings.Contains(s, "unexpected authenticator") ||
		strings.Contains(s, "Provided username") ||
		strings.Contains(s, "Username and/or password are incorrect")
}

// isTransport reports whether err came from the connection rather than
// from Cassandra's answer.
func isTransport(err error) bool {
	var pe gocql.ErrProtocol
	switch {
	case errinfo.IsConnection(err), errors.As(err, &pe),
		errors.Is(err, gocql.ErrConnectionClosed),
		errors.Is(err, gocql.ErrTimeoutNoResponse):
		return true
	}
	s := err.Error()
	return strings.Contains(s, "connection closed") || strings.Contains(s, "use of closed network connection") ||
		strings.Contains(s, "broken pipe") || strings.Contains(s, "connection reset")
}

// openError explains a failed Open: the driver's error, with each
// contact point's connection error when the observer saw one.
func openError(err error, perHost map[string]error) error {
	// A server answer (a missing keyspace, refused credentials) is the
	// error; so is one host's authentication failure.
	for _, e := range perHost {
		var (
			auth *cassa.AuthenticationError
			cred *gocql.RequestErrCredentials
		)
		if errors.As(e, &cred) || isAuthFailure(e) || errors.As(e, &auth) {
			host := ""
			for h, he := range perHost {
				if he == e {
					host = h
				}
			}
			return mapError(e, host, "")
		}
	}
	for h, e := range perHost {
		if why := e.Error(); isUnknownTable(why) {
			return &cassa.InvalidRequestError{Why: why, Host: h, Op: "USE"}
		}
	}
	var req gocql.RequestError
	if errors.As(err, &req) {
		return mapError(err, "", "")
	}
	if isAuthFailure(err) {
		return &cassa.AuthenticationError{Why: err.Error()}
	}
	ne := &NoHostError{Err: err}
	hosts := make([]string, 0, len(perHost))
	for h := range perHost {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	for _, h := range hosts {
		ne.Hosts = append(ne.Hosts, HostError{Host: h, Err: mapError(perHost[h], h, "")})
	}
	return ne
}
