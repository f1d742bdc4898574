package server

import (
	"net"
	"time"
)

// admit enforces MaxConnections at accept: a connection over the limit is
// closed at once, before anything is read, and the ones already open are
// not touched. It reports whether nc may be served.
func (s *Server) admit(nc net.Conn) bool {
	if s.cfg.MaxConnections <= 0 {
		return true
	}
	s.mu.Lock()
	open := len(s.conns)
	s.mu.Unlock()
	if open < s.cfg.MaxConnections {
		return true
	}
	s.log.Warn("connection refused: too many connections", "remote", nc.RemoteAddr().String(), "max", s.cfg.MaxConnections)
	nc.Close()
	return false
}

// awaitRequest arms the idle timeout before the connection waits for its
// next request; a peer silent for IdleTimeout then fails the read and only
// its own connection is closed.
func (c *conn) awaitRequest() error {
	if d := c.srv.cfg.IdleTimeout; d > 0 {
		return c.nc.SetReadDeadline(time.Now().Add(d))
	}
	return nil
}
