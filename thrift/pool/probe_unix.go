//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package pool

import (
	"errors"
	"io"
	"net"
	"syscall"
)

// prober peeks at an idle socket without blocking. Between RPCs the server
// has nothing to say, so EOF means it closed its end (a restart leaves
// such half-closed sockets behind), and unread bytes mean the stream is out
// of step. Its state is kept so a probe allocates nothing.
type prober struct {
	rc   syscall.RawConn // nil when the socket does not expose one
	fn   func(fd uintptr) bool
	buf  [1]byte
	n    int
	perr error
}

func (p *prober) init(c net.Conn) {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return
	}
	p.rc = rc
	p.fn = func(fd uintptr) bool {
		p.n, _, p.perr = syscall.Recvfrom(int(fd), p.buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return true // never wait for readiness
	}
}

// probe reports why the socket cannot be used, or nil. used is false before
// the first RPC, when TLS may still have post-handshake messages (session
// tickets) waiting.
func (p *prober) probe(used bool) error {
	if p.rc == nil {
		return nil
	}
	if err := p.rc.Read(p.fn); err != nil {
		return err
	}
	switch {
	case errors.Is(p.perr, syscall.EAGAIN), errors.Is(p.perr, syscall.EWOULDBLOCK), errors.Is(p.perr, syscall.EINTR):
		return nil
	case p.perr != nil:
		return p.perr
	case p.n == 0:
		return io.EOF
	case used:
		return errUnexpectedData
	}
	return nil
}
