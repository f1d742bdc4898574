package cassa

import "errors"

// ErrNoHostAvailable matches the errors of every transport that could
// reach no node at all: every contact point refused, timed out or failed
// the handshake, or every known host is marked down. Nothing was sent. The
// transports' own typed errors (thrift/pool's *AllServersUnavailableError,
// cql's *NoHostError) match it and name each host's error.
var ErrNoHostAvailable = errors.New("cassa: no host available")
