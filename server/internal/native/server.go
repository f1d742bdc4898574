package native

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

// Config configures a Server. The zero value of every field but Backend is
// its documented default.
type Config struct {
	// Backend executes QUERY, PREPARE, EXECUTE and BATCH. Required.
	Backend Backend
	// Authenticator, when set, makes every connection log in with SASL
	// PLAIN (PasswordAuthenticator) before anything but OPTIONS and
	// AUTH_RESPONSE. Nil is AllowAllAuthenticator: STARTUP is answered
	// READY and the session's user is AnonymousUser.
	Authenticator Authenticator
	// Logger receives connection events at Debug, refused connections and
	// dropped event subscribers at Warn, backend panics and encoding
	// failures at Error. Nil is silent.
	Logger *slog.Logger
	// MaxFrameSize is native_transport_max_frame_size_in_mb in bytes: a
	// frame whose header and body are longer is skipped and answered
	// Invalid "Request is too big: ...". Zero means DefaultMaxFrameSize.
	MaxFrameSize int
	// MaxConcurrentRequests bounds the QUERY, PREPARE, EXECUTE and BATCH
	// requests one connection runs at once; past it the connection stops
	// reading (back-pressure), or answers Overloaded when the client asked
	// for THROW_ON_OVERLOAD at STARTUP. Zero means
	// DefaultMaxConcurrentRequests.
	MaxConcurrentRequests int
	// IdleTimeout closes a connection that has no request running and
	// sends nothing for this long, or that does not read what it is sent
	// for this long. Zero means never.
	IdleTimeout time.Duration
}

// eventQueueLen is how many events may wait for one connection; a
// connection that falls this far behind is closed, so that its driver
// reconnects and reloads the metadata it would otherwise miss.
const eventQueueLen = 1024

// ErrServerClosed is returned by Serve after Close.
var ErrServerClosed = errors.New("native: server closed")

// Server serves the native protocol on connections its caller accepts
// (TLS and connection limits are the caller's): one Serve call per
// connection. Its methods are safe for concurrent use.
type Server struct {
	cfg    Config
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.Mutex
	conns  map[*conn]struct{}
	subs   map[primitive.EventType]map[*conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

// NewServer returns a Server for cfg.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Backend == nil {
		return nil, ErrNoBackend
	}
	if cfg.MaxFrameSize <= 0 {
		cfg.MaxFrameSize = DefaultMaxFrameSize
	}
	if cfg.MaxConcurrentRequests <= 0 {
		cfg.MaxConcurrentRequests = DefaultMaxConcurrentRequests
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Server{
		cfg:    cfg,
		log:    log,
		ctx:    ctx,
		cancel: cancel,
		conns:  make(map[*conn]struct{}),
		subs:   make(map[primitive.EventType]map[*conn]struct{}),
	}, nil
}

// Serve speaks the native protocol on nc until the client leaves, the
// connection breaks the protocol beyond repair, ctx is done or the server
// is closed. It closes nc and waits for the connection's requests before
// it returns. A client that disconnects gives a nil error.
func (s *Server) Serve(ctx context.Context, nc net.Conn) error {
	c := newConn(s, nc)
	if !s.track(c) {
		nc.Close()
		return ErrServerClosed
	}
	defer s.untrack(c)
	stop := context.AfterFunc(ctx, c.kill)
	defer stop()
	return c.run()
}

// Close closes every connection and waits for their requests to finish.
// Serve calls made afterwards return ErrServerClosed at once.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.kill()
	}
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	return nil
}

// Connections returns how many connections are being served.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Publish sends an event to every connection that REGISTERed for its type,
// on stream -1, in each connection's protocol version (Server.EventNotifier
// and ConnectionTracker.send). The executor publishes a
// *message.SchemaChangeEvent for each schema change, before it answers the
// statement, so that a connection that registered and ran the DDL sees the
// event first. Publish does not wait for the events to be written; a
// connection that has too many events waiting is closed.
func (s *Server) Publish(ev message.Event) {
	s.mu.Lock()
	subs := make([]*conn, 0, len(s.subs[ev.GetEventType()]))
	for c := range s.subs[ev.GetEventType()] {
		subs = append(subs, c)
	}
	s.mu.Unlock()
	for _, c := range subs {
		c.pushEvent(ev)
	}
}

func (s *Server) track(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) untrack(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	for _, m := range s.subs {
		delete(m, c)
	}
	s.mu.Unlock()
	s.wg.Done()
}

// subscribe registers c for events of type t (RegisterMessage.execute).
func (s *Server) subscribe(c *conn, t primitive.EventType) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, live := s.conns[c]; !live {
		return
	}
	m := s.subs[t]
	if m == nil {
		m = make(map[*conn]struct{})
		s.subs[t] = m
	}
	m[c] = struct{}{}
}
