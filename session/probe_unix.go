//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package session

import (
	"errors"
	"io"
	"net"
	"syscall"
)

// probe peeks at an idle socket without blocking. Between RPCs the server
// has nothing to say, so EOF means it closed its end (a restart leaves
// such half-closed sockets behind), and unread bytes mean the stream is out
// of step. used is false before the first RPC, when TLS may still have
// post-handshake messages (session tickets) waiting.
func probe(c net.Conn, used bool) error {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return err
	}
	var (
		buf  [1]byte
		n    int
		perr error
	)
	err = rc.Read(func(fd uintptr) bool {
		n, _, perr = syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return true // never wait for readiness
	})
	switch {
	case err != nil:
		return err
	case errors.Is(perr, syscall.EAGAIN), errors.Is(perr, syscall.EWOULDBLOCK), errors.Is(perr, syscall.EINTR):
		return nil
	case perr != nil:
		return perr
	case n == 0:
		return io.EOF
	case used:
		return errUnexpectedData
	}
	return nil
}
