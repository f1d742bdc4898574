package native

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datastax/go-cassandra-native-protocol/compression"
	"github.com/datastax/go-cassandra-native-protocol/compression/lz4"
	"github.com/datastax/go-cassandra-native-protocol/compression/snappy"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

// ioBufSize is the size of each connection's read and write buffers.
const ioBufSize = 32 << 10

// keepBodyBuf is the largest request body buffer a connection keeps
// between frames.
const keepBodyBuf = 64 << 10

// lingerTime bounds how long a connection closed for a protocol violation
// keeps reading, so that the client reads the error before it sees a reset.
const lingerTime = 2 * time.Second

// Connection states (ServerConnection.State).
const (
	stateUninitialized = iota
	stateAuthentication
	stateReady
)

// errFatal ends a connection after its error frame: 3.11 leaves the bytes
// it could not frame in its buffer and fails on them again at every read,
// so such a connection can never serve another request.
var errFatal = errors.New("native: unrecoverable protocol error")

// conn serves one client connection. One goroutine (run) reads frames,
// keeps the state machine and answers the control messages; QUERY,
// PREPARE, EXECUTE and BATCH each run on a worker goroutine of the
// connection and write their answer when it is ready. Workers are kept
// between requests (up to maxIdleWorkers idle ones), so that a request
// runs on a stack already grown to what the backend needs instead of
// growing a new goroutine's stack every time.
type conn struct {
	srv    *Server
	nc     net.Conn
	br     *bufio.Reader
	ctx    context.Context
	cancel context.CancelFunc
	sess   *Session

	// Owned by the reading goroutine. version and comp are set before any
	// other goroutine of this connection exists (STARTUP is only valid
	// first and runs inline), so the others read them without a lock.
	version         byte // 0 until the first frame
	state           int
	comp            compression.Compressor
	throwOnOverload bool
	body            []byte

	sem      chan struct{}
	inflight sync.WaitGroup
	running  atomic.Int32
	// work hands a request to an idle worker: unbuffered, so a send
	// succeeds only when one is waiting.
	work    chan *request
	idle    atomic.Int32
	workers sync.WaitGroup

	wmu          sync.Mutex
	bw           *bufio.Writer
	werr         error
	flushPending bool
	flushReq     chan struct{}

	events     chan message.Event
	eventsOnce sync.Once
	eventsDone sync.WaitGroup
	killOnce   sync.Once
}

func newConn(s *Server, nc net.Conn) *conn {
	ctx, cancel := context.WithCancel(s.ctx)
	c := &conn{
		srv:      s,
		nc:       nc,
		ctx:      ctx,
		cancel:   cancel,
		sem:      make(chan struct{}, s.cfg.MaxConcurrentRequests),
		work:     make(chan *request),
		bw:       bufio.NewWriterSize(nc, ioBufSize),
		flushReq: make(chan struct{}, 1),
	}
	var r io.Reader = nc
	if s.cfg.IdleTimeout > 0 {
		r = &idleReader{nc: nc, idle: s.cfg.IdleTimeout}
	}
	c.br = bufio.NewReaderSize(r, ioBufSize)
	c.sess = &Session{id: sessionIDs.Add(1), remote: nc.RemoteAddr(), local: nc.LocalAddr()}
	if s.cfg.Authenticator == nil {
		c.sess.user = AnonymousUser
	}
	return c
}

// kill closes the socket, which ends the reader and unblocks writers.
func (c *conn) kill() {
	c.killOnce.Do(func() {
		c.cancel()
		c.nc.Close()
	})
}

// run serves the connection and returns why it ended.
func (c *conn) run() (err error) {
	log := c.srv.log.With("remote", c.nc.RemoteAddr().String(), "session", c.sess.id)
	log.Debug("native connection opened")
	c.eventsDone.Add(1)
	go c.flushLoop()
	defer func() {
		if r := recover(); r != nil {
			log.Error("native connection panicked", "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("native: panic: %v", r)
		}
		// Ended on this side: Close, the caller's context, a failed write.
		killed := c.ctx.Err() != nil
		switch {
		case killed:
		case errors.Is(err, errFatal):
			c.linger()
		default:
			// The client stopped sending: what it asked still gets
			// answered, if it still reads.
			c.inflight.Wait()
			_ = c.flush()
		}
		c.kill()
		c.inflight.Wait()
		c.workers.Wait()
		c.eventsDone.Wait()
		// A client that left, or a connection ended on this side, is no
		// failure.
		if errors.Is(err, io.EOF) || killed && !errors.Is(err, errFatal) {
			err = nil
		}
		log.Debug("native connection closed", "reason", err)
	}()
	for {
		if err := c.next(); err != nil {
			return err
		}
	}
}

// linger ends a connection after a fatal error: the requests still running
// answer, the error frame is flushed, the write side is shut and what the
// client still sends is read and dropped for a moment, so that it reads the
// error instead of a connection reset.
func (c *conn) linger() {
	c.inflight.Wait()
	_ = c.flush()
	if cw, ok := c.nc.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
	_ = c.nc.SetReadDeadline(time.Now().Add(lingerTime))
	_, _ = io.Copy(io.Discard, io.LimitReader(c.nc, 1<<20))
}

// idleReader re-arms the read deadline before every read from the socket.
type idleReader struct {
	nc   net.Conn
	idle time.Duration
}

func (r *idleReader) Read(p []byte) (int, error) {
	if err := r.nc.SetReadDeadline(time.Now().Add(r.idle)); err != nil {
		return 0, err
	}
	return r.nc.Read(p)
}

// firstByte reads the first byte of the next frame. A connection that is
// idle past IdleTimeout is closed, unless requests of it are still running.
func (c *conn) firstByte() (byte, error) {
	for {
		b, err := c.br.ReadByte()
		if err != nil && errors.Is(err, os.ErrDeadlineExceeded) && c.running.Load() > 0 {
			continue
		}
		return b, err
	}
}

// next reads one frame and handles it. It returns an error only when the
// connection must end.
func (c *conn) next() error {
	b0, err := c.firstByte()
	if err != nil {
		return err
	}
	// ProtocolVersion.decode looks at the first byte before the header is
	// complete: a v1/v2 client is answered in its own, shorter header, any
	// other unknown version in 3.11's maximum (5, a beta).
	switch v := b0 &^ responseBit; v {
	case 3, 4, 5:
	case 1, 2:
		c.writeRaw(encodeLegacyError(v, invalidVersionMessage(v)))
		return errFatal
	default:
		c.writeError(5, 0, protocolErr("%s", invalidVersionMessage(v)))
		return errFatal
	}
	var hb [headerLen]byte
	hb[0] = b0
	if _, err := io.ReadFull(c.br, hb[1:]); err != nil {
		return err
	}
	h := parseHeader(hb[:])
	if h.version == 5 {
		if h.flags&flagUseBeta == 0 {
			c.writeError(5, 0, protocolErr("Beta version of the protocol used (5/v5-beta), but USE_BETA flag is unset"))
		} else {
			// 3.11 would speak its v5 beta here; this server does not,
			// and says so the way drivers recognize.
			c.writeError(4, 0, protocolErr("Invalid or unsupported protocol version (5); supported versions are (3/v3, 4/v4)"))
		}
		return errFatal
	}
	// Before the first complete frame the connection has no version yet;
	// 3.11 then answers in ProtocolVersion.CURRENT (4).
	answerVersion := c.version
	if answerVersion == 0 {
		answerVersion = 4
	}
	if werr := checkOpcode(h); werr != nil {
		c.writeError(answerVersion, h.stream, werr)
		return errFatal
	}
	if frameLen := uint64(h.length) + headerLen; frameLen > uint64(c.srv.cfg.MaxFrameSize) {
		// Frame.Decoder discards the body, then fails that stream with an
		// InvalidRequestException; the connection goes on.
		if err := c.discard(h.length); err != nil {
			return err
		}
		c.writeError(answerVersion, h.stream, &wireError{code: primitive.ErrorCodeInvalid,
			msg: fmt.Sprintf("Request is too big: length %d exceeds maximum allowed length %d.", frameLen, c.srv.cfg.MaxFrameSize)})
		return nil
	}
	if c.version == 0 {
		c.version = h.version
		c.sess.version = primitive.ProtocolVersion(h.version)
	} else if h.version != c.version {
		if err := c.discard(h.length); err != nil {
			return err
		}
		c.writeError(c.version, h.stream, protocolErr("Invalid message version. Got %s but previous messages on this connection had version %s",
			versionName(h.version), versionName(c.version)))
		return nil
	}
	body, err := c.readBody(h.length)
	if err != nil {
		return err
	}
	if h.response {
		// A response sent by the client decodes as one and reaches no
		// handler in 3.11 (Message.Dispatcher takes requests only).
		return nil
	}
	req, werr := c.decode(h, body)
	if werr != nil {
		stream := h.stream
		if werr.stream0 {
			stream = 0
		}
		c.writeError(c.version, stream, werr)
		return nil
	}
	return c.dispatch(req)
}

// readBody reads a body into the connection's buffer, or a fresh one when
// it is large, so that an idle connection does not pin a large buffer. A
// large one grows as the bytes arrive, like Netty's cumulation buffer: a
// header alone cannot make the server allocate the length it claims.
func (c *conn) readBody(n uint32) ([]byte, error) {
	if n > keepBodyBuf {
		var buf bytes.Buffer
		_, err := io.CopyN(&buf, c.br, int64(n))
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return buf.Bytes(), err
	}
	if cap(c.body) < int(n) {
		c.body = make([]byte, keepBodyBuf)
	}
	b := c.body[:n]
	_, err := io.ReadFull(c.br, b)
	return b, err
}

// discard skips n body bytes.
func (c *conn) discard(n uint32) error {
	_, err := c.br.Discard(int(n))
	return err
}

// decode turns a frame body into a request: decompression
// (Frame.Decompressor), the custom payload prefix and the message
// (Message.ProtocolDecoder).
func (c *conn) decode(h header, body []byte) (*request, *wireError) {
	if h.opcode == opcodeCREDENTIALS {
		return nil, protocolErr("Legacy credentials authentication is not supported in protocol versions > 1. Please use SASL authentication via a SaslResponse message")
	}
	// A compressed flag on a connection without compression is ignored,
	// as Frame.Decompressor does.
	if h.flags&flagCompressed != 0 && c.comp != nil {
		var werr *wireError
		if body, werr = c.decompress(body); werr != nil {
			return nil, werr
		}
	}
	if h.flags&flagCustomPayload != 0 {
		r := &bodyReader{b: body, v: c.version}
		if werr := skipBytesMap(r); werr != nil {
			return nil, werr
		}
		if c.version < 4 {
			return nil, protocolErr("Received frame with CUSTOM_PAYLOAD flag for native protocol version < 4")
		}
		body = body[r.off:] // custom payloads are accepted and ignored
	}
	m, types, werr := decodeBody(h.opcode, c.version, body)
	if werr != nil {
		return nil, werr
	}
	return &request{stream: h.stream, opcode: h.opcode, tracing: h.flags&flagTracing != 0, msg: m, register: types}, nil
}

// decompress uncompresses a body with the connection's algorithm. The
// stated length is checked first so that a forged one cannot make the
// server allocate gigabytes. Errors go out on stream 0: 3.11 raises them
// outside the per-frame wrapper (Frame.Decompressor).
func (c *conn) decompress(body []byte) ([]byte, *wireError) {
	limit := uint64(c.srv.cfg.MaxFrameSize)
	var werr *wireError
	switch c.comp.(type) {
	case lz4.Compressor:
		if len(body) < 4 || uint64(binary.BigEndian.Uint32(body)) > limit {
			werr = serverErr("io.netty.handler.codec.DecoderException: java.io.IOException: Compressed lengths mismatch")
		}
	case snappy.Compressor:
		if n, k := binary.Uvarint(body); k <= 0 || n > limit {
			werr = protocolErr("Provided frame does not appear to be Snappy compressed")
		}
	}
	if werr == nil {
		out, err := c.comp.DecompressFrame(body)
		if err == nil {
			return out, nil
		}
		if _, ok := c.comp.(snappy.Compressor); ok {
			werr = protocolErr("Provided frame does not appear to be Snappy compressed")
		} else {
			werr = serverErr("io.netty.handler.codec.DecoderException: java.io.IOException: %v", err)
		}
	}
	werr.stream0 = true
	return nil, werr
}

// dispatch applies ServerConnection.validateNewMessage and runs the
// request: control messages inline, statements on their own goroutine.
func (c *conn) dispatch(req *request) error {
	name := opcodeName(req.opcode)
	switch c.state {
	case stateUninitialized:
		if req.opcode != byte(primitive.OpCodeStartup) && req.opcode != byte(primitive.OpCodeOptions) {
			c.writeError(c.version, req.stream, protocolErr("Unexpected message %s, expecting STARTUP or OPTIONS", name))
			return nil
		}
	case stateAuthentication:
		if req.opcode != byte(primitive.OpCodeAuthResponse) {
			c.writeError(c.version, req.stream, protocolErr("Unexpected message %s, expecting SASL_RESPONSE", name))
			return nil
		}
	case stateReady:
		if req.opcode == byte(primitive.OpCodeStartup) {
			c.writeError(c.version, req.stream, protocolErr("Unexpected message STARTUP, the connection is already initialized"))
			return nil
		}
	}
	switch m := req.msg.(type) {
	case *message.Options:
		c.send(&reply{stream: req.stream, msg: supported()})
	case *message.Startup:
		c.startup(req.stream, m)
	case *message.AuthResponse:
		c.authResponse(req.stream, m)
	case *message.Register:
		c.register(req.stream, req.register)
	default:
		return c.execute(req)
	}
	return nil
}

// pushEvent queues an event for this connection without waiting.
func (c *conn) pushEvent(ev message.Event) {
	select {
	case c.events <- ev:
	default:
		c.srv.log.Warn("native connection closed: too many events waiting", "remote", c.nc.RemoteAddr().String(), "session", c.sess.id)
		c.kill()
	}
}

func (c *conn) eventLoop() {
	defer c.eventsDone.Done()
	for {
		select {
		case ev := <-c.events:
			c.send(&reply{stream: -1, msg: forVersion(ev, c.version)})
		case <-c.ctx.Done():
			return
		}
	}
}

// execute runs a QUERY, PREPARE, EXECUTE or BATCH on its own goroutine,
// at most MaxConcurrentRequests at once.
func (c *conn) execute(req *request) error {
	if q, ok := req.msg.(*message.Query); ok && q.Options.PageSize == 0 {
		c.writeError(c.version, req.stream, protocolErr(MsgPageSizeZero))
		return nil
	}
	select {
	case c.sem <- struct{}{}:
	default:
		if c.throwOnOverload {
			c.send(&reply{stream: req.stream, msg: &message.Overloaded{
				ErrorMessage: "Server is in overloaded state. Cannot accept more requests at this point"}})
			return nil
		}
		select {
		case c.sem <- struct{}{}:
		case <-c.ctx.Done():
			return c.ctx.Err()
		}
	}
	c.inflight.Add(1)
	c.running.Add(1)
	select {
	case c.work <- req:
	default:
		c.workers.Add(1)
		go c.worker(req)
	}
	return nil
}

// maxIdleWorkers is how many idle workers a connection keeps.
const maxIdleWorkers = 32

// worker serves req, then the requests handed to it while it waits idle,
// until the connection ends or enough other workers are idle.
func (c *conn) worker(req *request) {
	defer c.workers.Done()
	for {
		c.serve(req)
		if c.idle.Add(1) > maxIdleWorkers {
			c.idle.Add(-1)
			return
		}
		select {
		case req = <-c.work:
			c.idle.Add(-1)
		case <-c.ctx.Done():
			c.idle.Add(-1)
			return
		}
	}
}

// serve runs one request and writes its answer.
func (c *conn) serve(req *request) {
	defer func() {
		c.running.Add(-1)
		<-c.sem
		c.inflight.Done()
	}()
	c.respond(req, c.call(req))
}

// call runs the backend, turning a panic into a ServerError for this
// request alone.
func (c *conn) call(req *request) (resp Response) {
	defer func() {
		if r := recover(); r != nil {
			c.srv.log.Error("native backend panicked", "opcode", opcodeName(req.opcode), "panic", r, "stack", string(debug.Stack()))
			resp = Reply(&message.ServerError{ErrorMessage: fmt.Sprint(r)})
		}
	}()
	ctx := c.ctx
	if req.tracing {
		ctx = context.WithValue(ctx, tracingKey{}, true)
	}
	b := c.srv.cfg.Backend
	switch m := req.msg.(type) {
	case *message.Query:
		return b.Query(ctx, c.sess, m)
	case *message.Prepare:
		return b.Prepare(ctx, c.sess, m)
	case *message.Execute:
		return b.Execute(ctx, c.sess, m)
	case *message.Batch:
		return b.Batch(ctx, c.sess, m)
	}
	return Reply(&message.ServerError{ErrorMessage: "unexpected request " + opcodeName(req.opcode)})
}

// respond checks and adapts a backend's answer and writes it.
func (c *conn) respond(req *request, resp Response) {
	if resp.Drop {
		c.srv.log.Debug("native connection dropped by the backend", "remote", c.nc.RemoteAddr().String(), "session", c.sess.id)
		c.kill()
		return
	}
	m := resp.Message
	switch m.(type) {
	case message.Result, message.Error:
	default:
		c.srv.log.Error("native backend answered no result", "opcode", opcodeName(req.opcode), "message", fmt.Sprintf("%T", m))
		m = &message.ServerError{ErrorMessage: fmt.Sprintf("no valid answer to %s (%T)", opcodeName(req.opcode), m)}
	}
	if sk, ok := m.(*message.SetKeyspaceResult); ok {
		c.sess.setKeyspace(sk.Keyspace)
	}
	if rows, ok := m.(*message.RowsResult); ok && skipMetadata(req.msg) && rows.Metadata != nil && rows.Metadata.Columns != nil {
		// QueryMessage/ExecuteMessage.execute: setSkipMetadata.
		md := *rows.Metadata
		md.ColumnCount = int32(len(md.Columns))
		md.Columns = nil
		m = &message.RowsResult{Metadata: &md, Data: rows.Data}
	}
	c.send(&reply{stream: req.stream, msg: forVersion(m, c.version), tracingID: resp.TracingID,
		warnings: resp.Warnings, customPayload: resp.CustomPayload})
}

func skipMetadata(m message.Message) bool {
	switch m := m.(type) {
	case *message.Query:
		return m.Options.SkipMetadata
	case *message.Execute:
		return m.Options.SkipMetadata
	}
	return false
}

// writeError answers a request with an error decided by the connection.
func (c *conn) writeError(version byte, stream int16, e *wireError) {
	c.sendVersion(version, &reply{stream: stream, msg: e.message()})
}

func (c *conn) send(r *reply) { c.sendVersion(c.version, r) }

// sendVersion encodes and writes one frame. An answer that cannot be
// encoded is replaced by a ServerError, so the client always hears back.
func (c *conn) sendVersion(version byte, r *reply) {
	buf, err := encodeFrame(version, r, c.comp)
	if err != nil {
		c.srv.log.Error("native response not encodable", "message", fmt.Sprintf("%T", r.msg), "err", err)
		r = &reply{stream: r.stream, msg: &message.ServerError{ErrorMessage: "cannot encode response: " + err.Error()}}
		if buf, err = encodeFrame(version, r, c.comp); err != nil {
			return
		}
	}
	c.writeRaw(buf.Bytes())
	putBuf(buf)
}

// writeRaw writes one whole frame into the connection's buffer; the
// flusher sends it. Answers that finish while the flusher is writing go
// out together in its next write.
func (c *conn) writeRaw(frame []byte) {
	c.wmu.Lock()
	if c.werr != nil {
		c.wmu.Unlock()
		return
	}
	if d := c.srv.cfg.IdleTimeout; d > 0 {
		_ = c.nc.SetWriteDeadline(time.Now().Add(d))
	}
	if _, err := c.bw.Write(frame); err != nil {
		c.werr = err
		c.wmu.Unlock()
		c.kill()
		return
	}
	signal := !c.flushPending
	c.flushPending = true
	c.wmu.Unlock()
	if signal {
		select {
		case c.flushReq <- struct{}{}:
		default:
		}
	}
}

// flushLoop flushes the write buffer whenever frames are waiting in it.
func (c *conn) flushLoop() {
	defer c.eventsDone.Done()
	for {
		select {
		case <-c.flushReq:
			// Let the answers that are about to be ready join this write.
			runtime.Gosched()
			if err := c.flush(); err != nil {
				c.kill()
				return
			}
		case <-c.ctx.Done():
			return
		}
	}
}

// flush writes out what the buffer holds.
func (c *conn) flush() error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.flushPending = false
	if c.werr == nil {
		c.werr = c.bw.Flush()
	}
	return c.werr
}
