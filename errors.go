package cassa

import (
	"errors"
	"fmt"
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
)

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
	return fmt.Sprintf("cassa: invalid request%s: %s", where(e.Op, e.Host), e.Why)
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
	return "cassa: unavailable" + where(e.Op, e.Host) + ": not enough replicas alive for the consistency level"
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
	s := "cassa: timed out" + where(e.Op, e.Host)
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
	return fmt.Sprintf("cassa: authentication failed%s: %s", where("", e.Host), e.Why)
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
	return fmt.Sprintf("cassa: not authorized%s: %s", where(e.Op, e.Host), e.Why)
}

// where is the " (op on host)" part of a message.
func where(op, host string) string {
	switch {
	case op != "" && host != "":
		return " (" + op + " on " + host + ")"
	case op != "":
		return " (" + op + ")"
	case host != "":
		return " (" + host + ")"
	}
	return ""
}
