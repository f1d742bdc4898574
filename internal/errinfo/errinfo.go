package errinfo

import (
	"errors"
	"io"
	"net"
	"syscall"
)

// Where is the " (op on host)" part of an error message: " (op)" or
// " (host)" when only one is known, nothing when neither is.
func Where(op, host string) string {
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

// IsConnection reports whether err is a failure of the network
// connection: a net.Error, a refused, reset or closed connection, a broken
// pipe, or an EOF in the middle of a reply. Each transport adds its own
// protocol's errors to this.
func IsConnection(err error) bool {
	var (
		ne net.Error
		oe *net.OpError
	)
	switch {
	case errors.As(err, &ne), errors.As(err, &oe):
		return true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNREFUSED):
		return true
	}
	return false
}
