package pool

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/cassa-go/cassa/internal/check"
	"github.com/cassa-go/cassa/thriftgen"
)

// Conn is one framed Thrift connection to one server, lent to the function
// passed to Pool.Do. It is used by one goroutine at a time and must not be
// kept after that function returns.
type Conn struct {
	id      uint64
	host    *host
	nc      net.Conn // the stream RPCs use (TLS when configured)
	raw     net.Conn // the TCP socket under it, for the liveness probe
	peek    prober   // probes raw without allocating
	std     *thrift.TStandardClient
	client  *thriftgen.CassandraClient
	timeout time.Duration
	created time.Time

	keyspace    string // what set_keyspace last made current
	ops         int    // RPCs started, for Recycle
	used        bool   // an RPC has completed (see alive)
	lastOp      string // Thrift method of the last RPC, for errors and events
	broken      error  // the transport failure that ended this connection
	deadlineSet bool   // a deadline is on nc and must be cleared or replaced
	answered    bool   // an RPC succeeded since the connection was lent
	epoch       uint64 // host.epoch when lent, under Pool.mu
}

// Client returns the Thrift client bound to this connection. Its calls are
// bounded by Config.Timeout and by their context; their Thrift exceptions
// come back as thriftgen types, which Pool.Do maps onto typed errors.
// A nil Conn, or one the pool did not make, has no client (nil).
func (c *Conn) Client() *thriftgen.CassandraClient {
	if c.usable("") != nil {
		return nil
	}
	return c.client
}

// usable returns a *cassa.ArgumentError for a nil Conn or one the pool
// did not make; fn names the method.
func (c *Conn) usable(fn string) error {
	if c == nil || c.host == nil || c.client == nil {
		return check.Unmade(fn, "*pool.Conn", "a Pool (Pool.Do lends connections)")
	}
	return nil
}

// Server returns the canonical "host:port" of the server this connection
// talks to.
func (c *Conn) Server() string {
	if c.usable("") != nil {
		return ""
	}
	return c.host.addr
}

// Keyspace returns the keyspace currently set on the connection.
func (c *Conn) Keyspace() string {
	if c == nil {
		return ""
	}
	return c.keyspace
}

// SetKeyspace makes keyspace current on the connection, sending
// set_keyspace only when it differs from the current one. The pool sets
// Config.Keyspace again before the connection's next use.
func (c *Conn) SetKeyspace(ctx context.Context, keyspace string) error {
	if err := c.usable("pool.Conn.SetKeyspace"); err != nil {
		return err
	}
	if err := check.Context(ctx, "pool.Conn.SetKeyspace"); err != nil {
		return err
	}
	if keyspace == c.keyspace {
		return nil
	}
	if err := c.client.SetKeyspace(ctx, keyspace); err != nil {
		return mapError(err, c.host.addr, "set_keyspace")
	}
	c.keyspace = keyspace
	return nil
}

// Info describes the connection for events.
func (c *Conn) Info() ConnInfo {
	if c.usable("") != nil {
		return ConnInfo{}
	}
	return ConnInfo{ID: c.id, Server: c.host.addr, Ops: c.ops, Created: c.created}
}

// ConnInfo identifies a connection in events and stats.
type ConnInfo struct {
	ID      uint64    // unique within the process
	Server  string    // canonical "host:port"
	Ops     int       // RPCs run on it so far
	Created time.Time // when it was opened
}

// errUnexpectedData reports bytes waiting on a connection between RPCs:
// the stream is out of step.
var errUnexpectedData = errors.New("unexpected data on an idle connection")

// longAgo is a deadline in the past, used to interrupt a blocked RPC.
var longAgo = time.Unix(1, 0)

// Call implements thrift.TClient: it runs one RPC with a socket deadline
// of Config.Timeout, interrupts it when the context ends, and records the
// method for errors and events. A call that fails once the context has
// ended is the caller giving up, whatever the socket reported: it returns
// an error wrapping the context's error (so errors.Is finds it) and
// retires the connection, whose stream is out of step. The inner client
// gets a context without deadline: thrift's binary protocol would
// otherwise spin re-reading a timed-out socket until the context's deadline.
func (c *Conn) Call(ctx context.Context, method string, args, result thrift.TStruct) (thrift.ResponseMeta, error) {
	if err := c.usable("pool.Conn.Call"); err != nil {
		return thrift.ResponseMeta{}, err
	}
	if err := check.Context(ctx, "pool.Conn.Call"); err != nil {
		return thrift.ResponseMeta{}, err
	}
	if args == nil || result == nil {
		return thrift.ResponseMeta{}, check.Nil("pool.Conn.Call", "args or result")
	}
	c.lastOp = method
	c.ops++
	if err := ctx.Err(); err != nil {
		return thrift.ResponseMeta{}, err
	}
	if c.broken != nil {
		// The stream is out of step; nothing more may be sent on it.
		return thrift.ResponseMeta{}, &TransportError{Host: c.host.addr, Op: method, Err: c.broken}
	}
	c.setDeadline()
	var stop func() bool
	if ctx.Done() != nil {
		stop = context.AfterFunc(ctx, func() { _ = c.nc.SetDeadline(longAgo) })
	}
	meta, err := c.std.Call(context.Background(), method, args, result)
	var tooLarge *errFrameTooLarge
	if errors.As(err, &tooLarge) {
		// Nothing was sent: the stream is in step and the request would
		// fail the same way anywhere.
		if stop != nil {
			stop()
		}
		return meta, &RequestTooLargeError{Host: c.host.addr, Op: method, Size: tooLarge.size, Limit: tooLarge.limit}
	}
	if stop != nil && !stop() {
		// The context ended during the call and its func is moving the
		// deadline, maybe still: the socket can't be trusted with the next
		// call's deadline, so the connection goes even if this call made it.
		c.broken = c.interrupted(ctx, method)
	}
	if err != nil {
		if ctx.Err() != nil {
			// The context ended as the call failed (its func interrupted
			// it, or lost the race to a socket error): the caller gave up,
			// so this says nothing about the server.
			c.broken = c.interrupted(ctx, method)
			return meta, c.broken
		}
		c.broken = err
		mapped := mapError(err, c.host.addr, method)
		if _, ok := mapped.(*ApplicationError); !ok {
			if _, ok := mapped.(*TransportError); !ok {
				mapped = &TransportError{Host: c.host.addr, Op: method, Err: err}
			}
		}
		return meta, mapped
	}
	c.used = true
	c.answered = true
	return meta, nil
}

// lent resets the per-checkout state; the pool calls it under its lock.
func (c *Conn) lent() {
	c.answered = false
	c.epoch = c.host.epoch
}

// interrupted is the error of an RPC its context ended: it names the call
// and wraps the context's error.
func (c *Conn) interrupted(ctx context.Context, method string) error {
	return fmt.Errorf("pool: %s on %s interrupted: %w", method, c.host.addr, ctx.Err())
}

// setDeadline puts now+Timeout on the socket, or clears a previous one.
// The context's deadline is left to the context's func in Call: on the
// socket too, its i/o timeout could beat the context's own timer (ctx.Err
// still nil), and a caller's deadline would pass for the server failing.
func (c *Conn) setDeadline() {
	switch {
	case c.timeout > 0:
		_ = c.nc.SetDeadline(time.Now().Add(c.timeout))
		c.deadlineSet = true
	case c.deadlineSet:
		_ = c.nc.SetDeadline(time.Time{})
		c.deadlineSet = false
	}
}

// alive reports whether an idle connection can still be used: nothing
// broke on it and the peer has not closed it (a server restart leaves such
// half-closed sockets in the pool).
func (c *Conn) alive() error {
	if c.broken != nil {
		return c.broken
	}
	return c.peek.probe(c.used)
}

func (c *Conn) close() error {
	return c.nc.Close()
}

// sockReader is the byte stream under the framed transport that reads
// replies: reads go straight to the socket (the framed transport buffers
// them). Requests go out through a frameWriter.
type sockReader struct{ c net.Conn }

func (t *sockReader) Read(p []byte) (int, error)               { return t.c.Read(p) }
func (t *sockReader) Write([]byte) (int, error)                { return 0, errReadOnly }
func (t *sockReader) Flush(context.Context) error              { return nil }
func (t *sockReader) Close() error                             { return t.c.Close() }
func (t *sockReader) Open() error                              { return nil }
func (t *sockReader) IsOpen() bool                             { return true }
func (t *sockReader) RemainingBytes() (numBytes uint64)        { return ^uint64(0) }
func (t *sockReader) SetTConfiguration(*thrift.TConfiguration) {}

var errReadOnly = errors.New("pool: the reply stream is read-only")

// frameWriter is the transport requests are written to: it builds one
// frame in memory and sends its 4-byte length and body in one write on
// Flush, as libthrift's TFramedTransport does, but first checks the frame
// against the limit. A frame over the limit (the whole Thrift message:
// method name, sequence id and arguments, as Cassandra's
// TFramedTransport counts it) is dropped unsent, so the connection stays in
// step, and Flush returns an *errFrameTooLarge. Bytes past the limit are
// counted, not kept.
type frameWriter struct {
	c     net.Conn
	buf   []byte // the length's 4 bytes, then the frame up to the limit
	size  int    // bytes of the frame written so far
	limit int
}

// keepFrameBuf is the largest frame buffer kept between requests.
const keepFrameBuf = 64 << 10

// errFrameTooLarge is a frame Flush refused to send.
type errFrameTooLarge struct{ size, limit int }

func (e *errFrameTooLarge) Error() string {
	return fmt.Sprintf("frame of %d bytes is over the limit of %d", e.size, e.limit)
}

func (w *frameWriter) Write(p []byte) (int, error) {
	if len(w.buf) == 0 {
		w.buf = append(w.buf, 0, 0, 0, 0)
	}
	w.size += len(p)
	if w.size <= w.limit {
		w.buf = append(w.buf, p...)
	}
	return len(p), nil
}

func (w *frameWriter) Flush(context.Context) error {
	size := w.size
	defer w.reset()
	if size > w.limit {
		return &errFrameTooLarge{size: size, limit: w.limit}
	}
	if len(w.buf) == 0 {
		return nil
	}
	binary.BigEndian.PutUint32(w.buf, uint32(size))
	_, err := w.c.Write(w.buf)
	return err
}

func (w *frameWriter) reset() {
	w.size = 0
	if cap(w.buf) > keepFrameBuf {
		w.buf = nil
		return
	}
	w.buf = w.buf[:0]
}

func (w *frameWriter) Read([]byte) (int, error)                 { return 0, io.EOF }
func (w *frameWriter) Close() error                             { return w.c.Close() }
func (w *frameWriter) Open() error                              { return nil }
func (w *frameWriter) IsOpen() bool                             { return true }
func (w *frameWriter) RemainingBytes() (numBytes uint64)        { return ^uint64(0) }
func (w *frameWriter) SetTConfiguration(*thrift.TConfiguration) {}

// dial opens a connection to h: TCP, TLS when configured, login when there
// are credentials, then set_keyspace. The whole is bounded by DialTimeout
// and ctx. Failures to reach the server are *TransportError; an answer
// refusing the credentials or keyspace is returned as its typed error.
func (p *Pool) dial(ctx context.Context, h *host) (*Conn, error) {
	s := p.s
	parent := ctx
	if s.dialTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.dialTimeout)
		defer cancel()
	}
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", h.addr)
	if err != nil {
		return nil, dialErr(parent, err, h.addr, "")
	}
	if tc, ok := raw.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
	}
	nc := raw
	if s.tls != nil {
		cfg := s.tls.Clone()
		if cfg.ServerName == "" {
			cfg.ServerName, _, _ = net.SplitHostPort(h.addr)
		}
		tc := tls.Client(raw, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, dialErr(parent, err, h.addr, "")
		}
		nc = tc
	}
	conf := &thrift.TConfiguration{MaxFrameSize: int32(s.maxFrameSize), MaxMessageSize: int32(s.maxFrameSize)}
	in := thrift.NewTBinaryProtocolConf(thrift.NewTFramedTransportConf(&sockReader{c: nc}, conf), conf)
	out := thrift.NewTBinaryProtocolConf(&frameWriter{c: nc, limit: s.maxFrameSize}, conf)
	c := &Conn{
		id:      p.nextConnID(),
		host:    h,
		nc:      nc,
		raw:     raw,
		std:     thrift.NewTStandardClient(in, out),
		timeout: s.timeout,
		created: time.Now(),
	}
	c.peek.init(raw)
	c.client = thriftgen.NewCassandraClient(c)

	if s.credentials != nil {
		req := &thriftgen.AuthenticationRequest{Credentials: map[string]string(s.credentials)}
		if err := c.client.Login(ctx, req); err != nil {
			c.close()
			return nil, dialErr(parent, err, h.addr, "login")
		}
	}
	if s.keyspace != "" {
		if err := c.SetKeyspace(ctx, s.keyspace); err != nil {
			c.close()
			return nil, dialErr(parent, err, h.addr, "set_keyspace")
		}
	}
	return c, nil
}

// dialErr maps a failure while opening a connection. When the caller's
// context ended, that is the error; otherwise a setup that ran out of time
// or hit the network is a *TransportError (the server is unreachable), and
// a server's answer (bad credentials, unknown keyspace) its typed error.
func dialErr(parent context.Context, err error, host, op string) error {
	if perr := parent.Err(); perr != nil {
		return perr
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return &TransportError{Host: host, Op: op, Err: err}
	}
	m := mapError(err, host, op)
	if te, ok := m.(*TransportError); ok && te.Op == "" {
		te.Op = op
	} else if !ok && op == "" {
		// TCP or TLS failures that mapError does not recognise (a bad
		// certificate) are still failures to reach the server.
		return &TransportError{Host: host, Err: err}
	}
	return m
}
