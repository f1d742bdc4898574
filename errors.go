package cassa

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cassa-go/cassa/internal/errinfo"
)

// Sentinel errors. The typed errors below match them with errors.Is where
// their doc says so.
var (
	// ErrNotFound is Cassandra's NotFoundException: the requested row,
	// column or schema element does not exist.
	ErrNotFound = errors.New("cassa: not found")
	// ErrUnavailable matches every *UnavailableError.
	ErrUnavailable = errors.New("cassa: unavailable")
	// ErrTimedOut matches every *TimedOutError.
	ErrTimedOut = errors.New("cassa: timed out")
	// ErrUnknownTable matches every *UnknownTableError. It is not
	// ErrNotFound.
	ErrUnknownTable = errors.New("cassa: unknown table")
	// ErrInvalidArgument matches every *ArgumentError.
	ErrInvalidArgument = errors.New("cassa: invalid argument")
)

// ArgumentError reports an argument a function cannot work with, found
// before anything is sent: a nil context, a nil pool, column family or
// function, or a value that was not made by its constructor (a zero
// pool.Pool, say). It matches ErrInvalidArgument. Every package of cassa
// returns it for such arguments rather than panicking.
type ArgumentError struct {
	Func string // the function or method, e.g. "columnfamily.Open", "pool.Pool.Do"
	Arg  string // the argument, e.g. "ctx"; the receiver's type for a method
	Why  string // e.g. "is nil"
}

// Error names the function, the argument and the problem.
func (e *ArgumentError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return "cassa: " + e.Func + ": " + e.Arg + " " + e.Why
}

// Is reports whether target is ErrInvalidArgument.
func (e *ArgumentError) Is(target error) bool { return target == ErrInvalidArgument }

// InvalidRequestError is Cassandra's InvalidRequestException: the request
// itself is wrong (an unknown column family, a bad value, a missing
// index). Sending it again cannot help.
type InvalidRequestError struct {
	Why  string // Cassandra's message
	Host string // the server that answered, "host:port"
	Op   string // the operation, e.g. the Thrift method "get"
}

// Error describes the failure, naming the operation and host where known.
func (e *InvalidRequestError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("cassa: invalid request%s: %s", errinfo.Where(e.Op, e.Host), e.Why)
}

// UnknownTableError reports a column family (a table, in CQL terms) that
// its keyspace does not have: misspelled, not created yet, or dropped. It
// matches ErrUnknownTable and never ErrNotFound, which means a missing row
// or column, so that a schema problem does not pass for missing data (a
// 404, counters read as zeros).
//
// When a server's answer revealed it (Cassandra's "unconfigured table X",
// "unconfigured columnfamily X" before 3.0), Err is that answer, an
// *InvalidRequestError, and errors.As finds it as well.
type UnknownTableError struct {
	Keyspace string // the keyspace looked in; "" when not known
	Table    string // the column family or table
	Host     string // the server that answered, when one did
	Op       string // the operation, e.g. the Thrift method "get_slice"
	Err      error  // the server's answer, if any
}

// Error names the keyspace and the table, and the operation and host
// where known.
func (e *UnknownTableError) Error() string {
	if e == nil {
		return "<nil>"
	}
	if e.Table == "" { // the keyspace itself is missing
		return "cassa: unknown keyspace " + e.Keyspace + errinfo.Where(e.Op, e.Host)
	}
	name := e.Table
	if e.Keyspace != "" {
		name = e.Keyspace + "." + e.Table
	}
	return "cassa: unknown column family (table) " + name + errinfo.Where(e.Op, e.Host)
}

// Is reports whether target is ErrUnknownTable.
func (e *UnknownTableError) Is(target error) bool { return target == ErrUnknownTable }

// Unwrap returns the server's answer, if any.
func (e *UnknownTableError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// UnknownTableFrom returns the *UnknownTableError an invalid request
// stands for, or nil: Cassandra answers a request naming a column family
// its keyspace lacks with "unconfigured table X" (3.x, Thrift and CQL) or
// "unconfigured columnfamily X" (1.2 to 2.2), from
// ThriftValidation.validateColumnFamily and its CQL counterparts. keyspace
// is the one the request ran in.
func UnknownTableFrom(e *InvalidRequestError, keyspace string) *UnknownTableError {
	if e == nil {
		return nil
	}
	for _, prefix := range []string{"unconfigured table ", "unconfigured columnfamily "} {
		if table, ok := strings.CutPrefix(e.Why, prefix); ok && table != "" && !strings.ContainsAny(table, " \t\n") {
			return &UnknownTableError{Keyspace: keyspace, Table: table, Host: e.Host, Op: e.Op, Err: e}
		}
	}
	return nil
}

// UnavailableError is Cassandra's UnavailableException: too few replicas
// were alive to meet the consistency level, so nothing was tried. It
// matches ErrUnavailable.
type UnavailableError struct {
	Host string
	Op   string
}

// Error describes the failure, naming the operation and host where known.
func (e *UnavailableError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return "cassa: unavailable" + errinfo.Where(e.Op, e.Host) + ": not enough replicas alive for the consistency level"
}

// Is reports whether target is ErrUnavailable.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// TimedOutError is Cassandra's TimedOutException: the coordinator gave up
// waiting for replicas. A write may have been applied by some of them. It
// matches ErrTimedOut.
type TimedOutError struct {
	Host string
	Op   string
	// AcknowledgedBy is how many replicas acknowledged a write; -1 when the
	// server did not say.
	AcknowledgedBy int32
}

// Error describes the failure, naming the operation and host where known.
func (e *TimedOutError) Error() string {
	if e == nil {
		return "<nil>"
	}
	s := "cassa: timed out" + errinfo.Where(e.Op, e.Host)
	if e.AcknowledgedBy >= 0 {
		s += fmt.Sprintf(" (acknowledged by %d)", e.AcknowledgedBy)
	}
	return s
}

// Is reports whether target is ErrTimedOut.
func (e *TimedOutError) Is(target error) bool { return target == ErrTimedOut }

// Timeout reports true, like net.Error.
func (e *TimedOutError) Timeout() bool { return true }

// AuthenticationError is Cassandra's AuthenticationException: the server
// refused the login.
type AuthenticationError struct {
	Why  string
	Host string
}

// Error describes the failure, naming the host where known.
func (e *AuthenticationError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("cassa: authentication failed%s: %s", errinfo.Where("", e.Host), e.Why)
}

// AuthorizationError is Cassandra's AuthorizationException: the logged-in
// user may not do this.
type AuthorizationError struct {
	Why  string
	Host string
	Op   string
}

// Error describes the failure, naming the operation and host where known.
func (e *AuthorizationError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("cassa: not authorized%s: %s", errinfo.Where(e.Op, e.Host), e.Why)
}
