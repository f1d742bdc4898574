package native

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/datastax/go-cassandra-native-protocol/compression"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

// funcBackend is a Backend made of functions; a nil function answers Void.
type funcBackend struct {
	query   func(context.Context, *Session, *message.Query) Response
	prepare func(context.Context, *Session, *message.Prepare) Response
	execute func(context.Context, *Session, *message.Execute) Response
	batch   func(context.Context, *Session, *message.Batch) Response
}

func (b *funcBackend) Query(ctx context.Context, s *Session, q *message.Query) Response {
	if b.query == nil {
		return Reply(&message.VoidResult{})
	}
	return b.query(ctx, s, q)
}

func (b *funcBackend) Prepare(ctx context.Context, s *Session, p *message.Prepare) Response {
	if b.prepare == nil {
		return Reply(&message.VoidResult{})
	}
	return b.prepare(ctx, s, p)
}

func (b *funcBackend) Execute(ctx context.Context, s *Session, e *message.Execute) Response {
	if b.execute == nil {
		return Reply(&message.VoidResult{})
	}
	return b.execute(ctx, s, e)
}

func (b *funcBackend) Batch(ctx context.Context, s *Session, m *message.Batch) Response {
	if b.batch == nil {
		return Reply(&message.VoidResult{})
	}
	return b.batch(ctx, s, m)
}

// startServer serves cfg on a loopback port and returns its address. The
// server and its listener are closed when the test ends.
func startServer(t testing.TB, cfg Config) (*Server, string) {
	t.Helper()
	if cfg.Backend == nil {
		cfg.Backend = &funcBackend{}
	}
	srv, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln := listenLoopback(t)
	serveOn(t, srv, ln)
	return srv, ln.Addr().String()
}

// listenLoopback listens on a free loopback port.
func listenLoopback(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// serveOn serves every connection ln accepts on srv until the test ends,
// then closes ln and srv and waits for the connections to finish.
func serveOn(t testing.TB, srv *Server, ln net.Listener) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = srv.Serve(context.Background(), nc)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		srv.Close()
		wg.Wait()
	})
}

// rawClient speaks frames by hand.
type rawClient struct {
	t    testing.TB
	nc   net.Conn
	br   *bufio.Reader
	comp compression.Compressor // set after a STARTUP with COMPRESSION
}

func dial(t testing.TB, addr string) *rawClient {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	_ = nc.SetDeadline(time.Now().Add(20 * time.Second))
	return &rawClient{t: t, nc: nc, br: bufio.NewReader(nc)}
}

// frameBytes builds a request frame.
func frameBytes(version, flags byte, stream int16, opcode byte, body []byte) []byte {
	b := make([]byte, headerLen, headerLen+len(body))
	b[0] = version
	b[1] = flags
	binary.BigEndian.PutUint16(b[2:], uint16(stream))
	b[4] = opcode
	binary.BigEndian.PutUint32(b[5:], uint32(len(body)))
	return append(b, body...)
}

func (c *rawClient) write(b []byte) {
	c.t.Helper()
	if _, err := c.nc.Write(b); err != nil {
		c.t.Fatal(err)
	}
}

func (c *rawClient) send(version, flags byte, stream int16, opcode byte, body []byte) {
	c.t.Helper()
	c.write(frameBytes(version, flags, stream, opcode, body))
}

// encodeBody encodes a request message with the library.
func encodeBody(t testing.TB, version byte, m message.Message) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := codecs[m.GetOpCode()].Encode(m, &buf, primitive.ProtocolVersion(version)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sendMsg sends a request message, compressed when the client negotiated
// compression.
func (c *rawClient) sendMsg(version byte, stream int16, m message.Message) {
	c.t.Helper()
	body := encodeBody(c.t, version, m)
	var flags byte
	if c.comp != nil && m.GetOpCode() != primitive.OpCodeStartup {
		z, err := c.comp.CompressFrame(body)
		if err != nil {
			c.t.Fatal(err)
		}
		body, flags = z, flagCompressed
	}
	c.send(version, flags, stream, byte(m.GetOpCode()), body)
}

// rawFrame is a response frame as read.
type rawFrame struct {
	h    header
	body []byte // decompressed
}

func (c *rawClient) readFrame() (rawFrame, error) {
	var hb [headerLen]byte
	if _, err := io.ReadFull(c.br, hb[:]); err != nil {
		return rawFrame{}, err
	}
	h := parseHeader(hb[:])
	body := make([]byte, h.length)
	if _, err := io.ReadFull(c.br, body); err != nil {
		return rawFrame{}, err
	}
	if h.flags&flagCompressed != 0 {
		if c.comp == nil {
			return rawFrame{}, errors.New("compressed frame without compressor")
		}
		var err error
		if body, err = c.comp.DecompressFrame(body); err != nil {
			return rawFrame{}, err
		}
	}
	return rawFrame{h: h, body: body}, nil
}

func (c *rawClient) mustFrame() rawFrame {
	c.t.Helper()
	f, err := c.readFrame()
	if err != nil {
		c.t.Fatalf("reading a frame: %v", err)
	}
	return f
}

// decodeResponse decodes a response body: the prefix by the flags, then
// the message with the library.
func decodeResponse(t testing.TB, f rawFrame) (message.Message, *parsedPrefix) {
	t.Helper()
	r := bytes.NewReader(f.body)
	p := &parsedPrefix{}
	if f.h.flags&flagTracing != 0 {
		var id primitive.UUID
		if _, err := io.ReadFull(r, id[:]); err != nil {
			t.Fatal(err)
		}
		p.tracing = &id
	}
	if f.h.flags&flagWarning != 0 {
		w, err := primitive.ReadStringList(r)
		if err != nil {
			t.Fatal(err)
		}
		p.warnings = w
	}
	if f.h.flags&flagCustomPayload != 0 {
		m, err := primitive.ReadBytesMap(r)
		if err != nil {
			t.Fatal(err)
		}
		p.payload = m
	}
	m, err := codecs[primitive.OpCode(f.h.opcode)].Decode(r, primitive.ProtocolVersion(f.h.version))
	if err != nil {
		t.Fatalf("decoding %s: %v", opcodeName(f.h.opcode), err)
	}
	return m, p
}

type parsedPrefix struct {
	tracing  *primitive.UUID
	warnings []string
	payload  map[string][]byte
}

// roundTrip sends m on stream and returns the decoded answer, which must
// come back on the same stream.
func (c *rawClient) roundTrip(version byte, stream int16, m message.Message) message.Message {
	c.t.Helper()
	c.sendMsg(version, stream, m)
	f := c.mustFrame()
	if f.h.stream != stream {
		c.t.Fatalf("answer on stream %d, want %d", f.h.stream, stream)
	}
	if f.h.version != version || !f.h.response {
		c.t.Fatalf("answer version byte %#x, want %#x", f.h.version|responseBit, version|responseBit)
	}
	m2, _ := decodeResponse(c.t, f)
	return m2
}

// startup performs OPTIONS-less STARTUP and expects READY.
func (c *rawClient) startup(version byte, opts map[string]string) {
	c.t.Helper()
	if opts == nil {
		opts = map[string]string{"CQL_VERSION": "3.0.0"}
	}
	m := c.roundTrip(version, 1, &message.Startup{Options: opts})
	if _, ok := m.(*message.Ready); !ok {
		c.t.Fatalf("STARTUP answered %v", m)
	}
}

// expectError checks that m is an error with code and message.
func expectError(t testing.TB, m message.Message, code primitive.ErrorCode, msg string) {
	t.Helper()
	e, ok := m.(message.Error)
	if !ok {
		t.Fatalf("got %T %v, want error %v %q", m, m, code, msg)
	}
	if e.GetErrorCode() != code || e.GetErrorMessage() != msg {
		t.Fatalf("got error %v %q, want %v %q", e.GetErrorCode(), e.GetErrorMessage(), code, msg)
	}
}

// expectClosed checks that the server closes the connection.
func (c *rawClient) expectClosed() {
	c.t.Helper()
	_ = c.nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	if n, err := io.Copy(io.Discard, c.br); err != nil || n != 0 {
		c.t.Fatalf("connection not closed cleanly after the error: %d more bytes, %v", n, err)
	}
}

func query(text string) *message.Query {
	return &message.Query{Query: text, Options: &message.QueryOptions{Consistency: primitive.ConsistencyLevelOne}}
}

type (
	ctxT        = context.Context
	compressorT = compression.Compressor
)

// nopConn is a net.Conn that reads EOF and discards writes.
type nopConn struct{}

func (nopConn) Read([]byte) (int, error)         { return 0, io.EOF }
func (nopConn) Write(b []byte) (int, error)      { return len(b), nil }
func (nopConn) Close() error                     { return nil }
func (nopConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (nopConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (nopConn) SetDeadline(time.Time) error      { return nil }
func (nopConn) SetReadDeadline(time.Time) error  { return nil }
func (nopConn) SetWriteDeadline(time.Time) error { return nil }
