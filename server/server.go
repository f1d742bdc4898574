package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cassa-go/cassa/server/internal/expiry"
	"github.com/cassa-go/cassa/server/internal/vfs"
)

// Defaults applied to a zero Config.
const (
	// DefaultAddr is where a zero Config listens: loopback, on a port the
	// kernel picks, so that tests can start as many servers as they like.
	DefaultAddr = "127.0.0.1:0"
	// DefaultPartitioner is Cassandra's default partitioner since 1.2.
	DefaultPartitioner = "Murmur3Partitioner"
	// DefaultClusterName is cluster_name in Cassandra's stock cassandra.yaml.
	DefaultClusterName = "Test Cluster"
	// DefaultMaxFrameSize is thrift_framed_transport_size_in_mb (15) in bytes.
	DefaultMaxFrameSize = 15 * 1024 * 1024
)

// Config configures a Server. The zero value is a working single-node
// server on 127.0.0.1 with ephemeral ports for Thrift and CQL and
// Cassandra's defaults.
type Config struct {
	// Addr is the TCP address to listen on; empty means DefaultAddr.
	Addr string
	// Partitioner names the partitioner, either by its simple class name
	// ("Murmur3Partitioner", "RandomPartitioner", "ByteOrderedPartitioner",
	// "OrderPreservingPartitioner") or fully qualified. Empty means
	// DefaultPartitioner.
	Partitioner string
	// ClusterName is what describe_cluster_name returns; empty means
	// DefaultClusterName.
	ClusterName string
	// Tokens are this node's ring tokens as the partitioner prints them
	// (initial_token). Empty means one token: a random 16-byte one under
	// ByteOrderedPartitioner, as Cassandra's bootstrap picks (kept in
	// DataDir when there is one), and a fixed one under the other
	// partitioners.
	Tokens []string
	// MaxFrameSize is the largest request frame accepted, in bytes: the
	// whole Thrift message after the frame's 4-byte length, as
	// libthrift's TFramedTransport counts it. A larger (or negative) frame
	// closes that connection without a reply, as Cassandra does. Zero
	// means DefaultMaxFrameSize.
	MaxFrameSize int
	// Logger receives connection-level events (at Debug) and handler
	// failures (at Error). Nil means silent.
	Logger *slog.Logger
	// Clock returns the current time; it drives TTL expiry and server-side
	// timestamps. Nil means time.Now. Tests use it to expire cells.
	Clock func() time.Time
	// Authenticator checks login credentials. Nil means Cassandra's
	// AllowAllAuthenticator: every connection is the anonymous user.
	Authenticator Authenticator
	// ExpirationDateOverflowPolicy is Cassandra's
	// cassandra.expiration_date_overflow_policy: what a write does whose
	// TTL takes its expiration past 2038-01-19T03:14:06Z, over Thrift and
	// CQL alike. The zero value is ExpirationReject, Cassandra's default.
	ExpirationDateOverflowPolicy ExpirationOverflowPolicy

	// DataDir, when set, makes the server durable: every write and schema
	// change goes to a commit log in this directory before it is applied,
	// and Start recovers what the directory holds (see durable.go). Empty
	// means in memory only.
	DataDir string
	// CommitLogSync is "batch" (fsync before acknowledging, concurrent
	// writers share one fsync) or "periodic" (the default, Cassandra's:
	// fsync every CommitLogSyncPeriod).
	CommitLogSync string
	// CommitLogSyncPeriod is the periodic fsync interval; zero means 10 s.
	CommitLogSyncPeriod time.Duration
	// CommitLogSegmentSize bounds one segment file; zero means 32 MiB.
	CommitLogSegmentSize int64
	// SnapshotThreshold is how many bytes of log may follow the last
	// snapshot before a new one is taken; zero means
	// DefaultSnapshotThreshold, negative means only at Close.
	SnapshotThreshold int64

	// TLS, when set, makes the server speak Thrift and CQL over TLS with this
	// configuration (see LoadTLSConfig for cert and key files).
	TLS *tls.Config
	// MaxConnections caps the open client connections of each protocol
	// (Thrift and CQL are counted apart); one more is closed as soon as it
	// is accepted. Zero means no limit.
	MaxConnections int
	// IdleTimeout closes a connection that sends no request for this long
	// (for CQL: that has no request running and is sent nothing). Zero
	// means never.
	IdleTimeout time.Duration

	// CQLAddr is the TCP address CQL (the native protocol, v4 and v3) is
	// served on; empty means DefaultCQLAddr. TLS, MaxConnections (counted
	// apart from the Thrift connections), IdleTimeout and the
	// Authenticator apply to it as to Thrift.
	CQLAddr string
	// DisableCQL serves Thrift alone: no native-protocol listener.
	DisableCQL bool
	// CQLMaxFrameSize is native_transport_max_frame_size_in_mb in bytes:
	// a larger request frame is answered "Request is too big" and skipped.
	// Zero means 256 MiB, Cassandra's default.
	CQLMaxFrameSize int

	// fs holds DataDir; nil means the real file system. Only tests set it
	// (export_test.go), to crash the server's disk at any instant.
	fs vfs.FS
}

// ExpirationOverflowPolicy is a value of Cassandra 3.11's
// cassandra.expiration_date_overflow_policy (ExpirationDateOverflowHandling,
// CASSANDRA-14092). A cell's expiration is a 32-bit count of seconds, so a
// TTL reaching past 2038-01-19T03:14:06Z cannot be stored as asked.
type ExpirationOverflowPolicy uint8

// The expiration-date overflow policies.
const (
	// ExpirationReject refuses the write with an InvalidRequestException
	// ("Request on table ks.t with ttl of N seconds exceeds maximum
	// supported expiration date of 2038-01-19T03:14:06+00:00. ...").
	ExpirationReject ExpirationOverflowPolicy = iota
	// ExpirationCap accepts it with the expiration capped at
	// 2038-01-19T03:14:06Z, sends CQL clients a warning and logs one
	// (at most every five minutes) to Config.Logger.
	ExpirationCap
	// ExpirationCapNoWarn caps like ExpirationCap and only logs.
	ExpirationCapNoWarn
)

// String returns Cassandra's name of the policy: REJECT, CAP or CAP_NOWARN.
func (p ExpirationOverflowPolicy) String() string { return p.policy().String() }

func (p ExpirationOverflowPolicy) policy() expiry.Policy {
	switch p {
	case ExpirationCap:
		return expiry.Cap
	case ExpirationCapNoWarn:
		return expiry.CapNoWarn
	}
	return expiry.Reject
}

// ParseExpirationOverflowPolicy reads a policy name as Cassandra reads the
// system property: REJECT, CAP or CAP_NOWARN, in any case; empty means
// ExpirationReject. An unknown name is an error (Cassandra logs it and
// uses REJECT).
func ParseExpirationOverflowPolicy(s string) (ExpirationOverflowPolicy, error) {
	p, err := expiry.ParsePolicy(s)
	if err != nil {
		return ExpirationReject, &ConfigError{Field: "ExpirationDateOverflowPolicy", Msg: err.Error()}
	}
	switch p {
	case expiry.Cap:
		return ExpirationCap, nil
	case expiry.CapNoWarn:
		return ExpirationCapNoWarn, nil
	}
	return ExpirationReject, nil
}

// Server is a running single-node Cassandra-compatible server, answering
// Thrift at Addr and CQL (the native protocol) at CQLAddr.
// Its methods are safe for concurrent use.
type Server struct {
	cfg  Config
	ln   net.Listener
	log  *slog.Logger
	node *node
	dur  *durable    // nil without DataDir
	inj  *faultHook  // per-request fault injection
	cql  *cqlService // nil with DisableCQL

	cqlOpen atomic.Int64 // open CQL connections

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup

	closeOnce sync.Once
	closeErr  error
}

// Start validates cfg, builds an empty node (with only the system
// keyspaces) and starts serving on cfg.Addr. The context bounds only the
// start-up; stop the server with Close.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if cfg.MaxFrameSize < 0 {
		return nil, &ConfigError{Field: "MaxFrameSize", Msg: "thrift_framed_transport_size_in_mb must be positive"}
	}
	if cfg.CQLMaxFrameSize < 0 {
		return nil, &ConfigError{Field: "CQLMaxFrameSize", Msg: "native_transport_max_frame_size_in_mb must be positive"}
	}
	if cfg.ExpirationDateOverflowPolicy > ExpirationCapNoWarn {
		return nil, &ConfigError{Field: "ExpirationDateOverflowPolicy", Msg: fmt.Sprintf("unknown policy %d", cfg.ExpirationDateOverflowPolicy)}
	}
	n, err := newNode(cfg)
	if err != nil {
		return nil, err
	}
	var dur *durable
	if cfg.DataDir != "" {
		if dur, err = openDurable(n, cfg); err != nil {
			return nil, err
		}
		n.w = dur
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		if dur != nil {
			dur.log.Close()
		}
		return nil, fmt.Errorf("server: listen on %s: %w", cfg.Addr, err)
	}
	inj := newFaultHook()
	var cql *cqlService
	if !cfg.DisableCQL {
		if cql, err = startCQL(ctx, cfg, n, inj.in); err != nil {
			ln.Close()
			if dur != nil {
				dur.log.Close()
			}
			return nil, err
		}
	}
	if cfg.TLS != nil {
		ln = tls.NewListener(ln, cfg.TLS)
	}
	s := &Server{
		cfg:   cfg,
		ln:    ln,
		log:   cfg.Logger,
		node:  n,
		dur:   dur,
		inj:   inj,
		cql:   cql,
		conns: make(map[net.Conn]struct{}),
	}
	s.wg.Add(1)
	go s.acceptLoop()
	if cql != nil {
		s.wg.Add(1)
		go s.cqlAcceptLoop()
	}
	return s, nil
}

func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.CQLAddr == "" {
		c.CQLAddr = DefaultCQLAddr
	}
	if c.Partitioner == "" {
		c.Partitioner = DefaultPartitioner
	}
	if c.ClusterName == "" {
		c.ClusterName = DefaultClusterName
	}
	if c.MaxFrameSize == 0 {
		c.MaxFrameSize = DefaultMaxFrameSize
	}
	if c.MaxFrameSize > math.MaxInt32 {
		c.MaxFrameSize = math.MaxInt32 // a frame length is an int32
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.Authenticator == nil {
		c.Authenticator = AllowAll{}
	}
	return c
}

// Addr returns the address the server listens on, with the real port when
// Config.Addr asked for port 0.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops accepting, closes every open connection and waits until all
// of the server's goroutines have returned. Calling it again returns the
// first result.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.inj.stop() // cut injected delays short
		s.mu.Lock()
		s.closed = true
		err := s.ln.Close()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		if s.cql != nil {
			if cerr := s.cql.ln.Close(); err == nil {
				err = cerr
			}
			s.cql.srv.Close() // ends every CQL connection and waits for its requests
		}
		s.wg.Wait()
		if err != nil && !errors.Is(err, net.ErrClosed) {
			s.closeErr = err
		}
		if s.dur != nil {
			// No request is running any more: snapshot, sync, close.
			s.closeErr = errors.Join(s.closeErr, s.dur.Close())
		}
	})
	return s.closeErr
}

// accept waits for ln's next connection; ok is false once ln is closed.
// Temporary failures (EMFILE and the like) are logged as logMsg and
// retried after a growing pause, as net/http does, instead of spinning or
// giving up.
func (s *Server) accept(ln net.Listener, logMsg string) (nc net.Conn, ok bool) {
	var delay time.Duration
	for {
		nc, err := ln.Accept()
		if err == nil {
			return nc, true
		}
		if errors.Is(err, net.ErrClosed) {
			return nil, false
		}
		if delay == 0 {
			delay = 5 * time.Millisecond
		} else if delay *= 2; delay > time.Second {
			delay = time.Second
		}
		s.log.Warn(logMsg, "err", err, "retry_in", delay)
		time.Sleep(delay)
	}
}

func (s *Server) acceptLoop() {
	defer s.wg.Done()
	for {
		nc, ok := s.accept(s.ln, "accept failed")
		if !ok {
			return
		}
		if !s.admit(nc) {
			continue
		}
		if !s.track(nc) {
			nc.Close()
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer s.untrack(nc)
			s.serveConn(nc)
		}()
	}
}

// track registers a connection so Close can reach it; false after Close.
func (s *Server) track(nc net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[nc] = struct{}{}
	return true
}

func (s *Server) untrack(nc net.Conn) {
	nc.Close()
	s.mu.Lock()
	delete(s.conns, nc)
	s.mu.Unlock()
}

// ConfigError reports an invalid Config field.
type ConfigError struct {
	Field string
	Msg   string
}

// Error names the field and what is wrong with it.
func (e *ConfigError) Error() string { return "server: config " + e.Field + ": " + e.Msg }

var _ io.Closer = (*Server)(nil)

// PurgeTombstones stands in for compaction after gc_grace_seconds: it
// forgets every tombstone and expired cell that died more than its column
// family's gc_grace_seconds ago (by Config.Clock), and with them the range
// ghosts of rows left empty. Cassandra does this in the background; here a
// test calls it when it wants the effect.
func (s *Server) PurgeTombstones() {
	n := s.node
	n.ddl.RLock()
	defer n.ddl.RUnlock()
	n.store.PurgeTombstones()
}
