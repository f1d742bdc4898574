package server

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"strconv"

	"github.com/apache/thrift/lib/go/thrift"
)

// ioBufSize is the size of each connection's read and write buffers.
const ioBufSize = 32 << 10

// keepFrameBuf is the largest request buffer a connection keeps between
// requests; bigger frames get a one-off buffer so an idle connection never
// pins megabytes.
const keepFrameBuf = 64 << 10

// session is the per-connection state Cassandra keeps in ThriftSessionManager:
// the keyspace chosen with set_keyspace and the logged-in user. It dies
// with the socket.
type session struct {
	keyspace string
	user     string // "" until login when authentication is required
}

// conn serves one client socket: one goroutine reads a frame, runs the
// method and writes the reply, so pipelined requests are answered in order.
type conn struct {
	srv   *Server
	nc    net.Conn
	br    *bufio.Reader
	bw    *bufio.Writer
	t     frameTransport
	proto *boundedProtocol
	frame []byte
	sess  session
}

func (s *Server) serveConn(nc net.Conn) {
	c := &conn{
		srv: s,
		nc:  nc,
		br:  bufio.NewReaderSize(nc, ioBufSize),
		bw:  bufio.NewWriterSize(nc, ioBufSize),
	}
	strict := true
	c.proto = &boundedProtocol{
		TBinaryProtocol: thrift.NewTBinaryProtocolConf(&c.t, &thrift.TConfiguration{
			MaxMessageSize:     int32(s.cfg.MaxFrameSize),
			TBinaryStrictRead:  &strict,
			TBinaryStrictWrite: &strict,
		}),
		t: &c.t,
	}
	if !s.cfg.Authenticator.RequireAuthentication() {
		c.sess.user = AnonymousUser
	}
	s.log.Debug("connection opened", "remote", nc.RemoteAddr().String())
	err := c.loop()
	s.log.Debug("connection closed", "remote", nc.RemoteAddr().String(), "reason", err)
}

// loop serves requests until the peer goes away or breaks the protocol.
// The returned error says why the connection ended.
func (c *conn) loop() error {
	var hdr [4]byte
	for {
		if err := c.awaitRequest(); err != nil {
			return err
		}
		if _, err := io.ReadFull(c.br, hdr[:]); err != nil {
			return err
		}
		size := int32(binary.BigEndian.Uint32(hdr[:]))
		// libthrift's TFramedTransport: a negative or oversized frame is
		// a transport error and the socket is closed without a reply.
		if size < 0 {
			return fmt.Errorf("read a negative frame size (%d)", size)
		}
		if int64(size) > int64(c.srv.cfg.MaxFrameSize) {
			return fmt.Errorf("frame size (%d) larger than max length (%d)", size, c.srv.cfg.MaxFrameSize)
		}
		frame := c.frameBuf(int(size))
		if _, err := io.ReadFull(c.br, frame); err != nil {
			return err
		}
		if err := c.handle(frame); err != nil {
			return err
		}
		if err := c.writeFrame(); err != nil {
			return err
		}
		// Flush only when no further request is already waiting: a
		// pipelining client gets its replies in one write.
		if c.br.Buffered() == 0 {
			if err := c.bw.Flush(); err != nil {
				return err
			}
		}
	}
}

func (c *conn) frameBuf(n int) []byte {
	if n > keepFrameBuf {
		return make([]byte, n)
	}
	if cap(c.frame) < n {
		c.frame = make([]byte, n, max(n, 4096))
	}
	return c.frame[:n]
}

func (c *conn) writeFrame() error {
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(c.t.out)))
	if _, err := c.bw.Write(hdr[:]); err != nil {
		return err
	}
	_, err := c.bw.Write(c.t.out)
	if cap(c.t.out) > keepFrameBuf {
		c.t.out = nil // do not pin a large reply buffer
	}
	return err
}

// handle decodes one request frame, runs it and encodes the reply into
// c.t.out. A non-nil error means the connection must be closed without a
// reply (a broken message header, as libthrift does).
func (c *conn) handle(frame []byte) error {
	ctx := context.Background()
	c.t.reset(frame)
	name, _, seq, err := c.proto.ReadMessageBegin(ctx)
	if err != nil {
		return err
	}
	m, ok := methods[name]
	if !ok {
		// TBaseProcessor: skip the arguments, answer UNKNOWN_METHOD, keep going.
		_ = c.proto.Skip(ctx, thrift.STRUCT)
		return c.writeException(name, seq, thrift.UNKNOWN_METHOD, "Invalid method name: '"+name+"'")
	}
	args := m.newArgs()
	if err := args.Read(ctx, c.proto); err != nil && !m.absentDefault(err) {
		if isTruncation(err) {
			// The frame ended inside the arguments: the Java server would
			// read on into the next frame and fail there; the stream is
			// no longer trustworthy either way.
			return err
		}
		return c.writeException(name, seq, thrift.PROTOCOL_ERROR, javaRequiredFieldMessage(name, err.Error()))
	}
	if err := m.checkEnums(name, args); err != nil {
		return c.writeException(name, seq, thrift.PROTOCOL_ERROR, err.Error())
	}
	result, err := c.callWithFaults(ctx, name, m, args)
	if err != nil {
		if errors.Is(err, errDropConnection) {
			return err
		}
		var pe *protocolError
		if errors.As(err, &pe) {
			return c.writeException(name, seq, thrift.PROTOCOL_ERROR, pe.msg)
		}
		c.srv.log.Error("handler failed", "method", name, "err", err)
		return c.writeException(name, seq, thrift.INTERNAL_ERROR, "Internal error processing "+name)
	}
	if err := c.proto.WriteMessageBegin(ctx, name, thrift.REPLY, seq); err != nil {
		return err
	}
	if err := result.Write(ctx, c.proto); err != nil {
		// Encoding failed half-way (a result with a nil required field):
		// drop the partial reply and report it as an internal error.
		c.srv.log.Error("encoding reply failed", "method", name, "err", err)
		c.t.out = c.t.out[:0]
		return c.writeException(name, seq, thrift.INTERNAL_ERROR, "Internal error processing "+name)
	}
	return c.proto.WriteMessageEnd(ctx)
}

// call runs a method, turning a panic into an error so that one bad
// request never takes the server (or even the connection) down.
func (c *conn) call(ctx context.Context, name string, m method, args thrift.TStruct) (res thrift.TStruct, err error) {
	defer func() {
		if r := recover(); r != nil {
			c.srv.log.Error("handler panicked", "method", name, "panic", r, "stack", string(debug.Stack()))
			res, err = nil, fmt.Errorf("panic: %v", r)
		}
	}()
	res, err = m.call(ctx, c, args)
	if err == nil && res == nil {
		err = errors.New("handler returned no result")
	}
	return res, err
}

func (c *conn) writeException(name string, seq int32, typ int32, msg string) error {
	ctx := context.Background()
	c.t.out = c.t.out[:0]
	if err := c.proto.WriteMessageBegin(ctx, name, thrift.EXCEPTION, seq); err != nil {
		return err
	}
	if err := thrift.NewTApplicationException(typ, msg).Write(ctx, c.proto); err != nil {
		return err
	}
	return c.proto.WriteMessageEnd(ctx)
}

// isTruncation reports whether a decode error means the frame ran out.
func isTruncation(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// protocolError makes the dispatcher answer TApplicationException
// PROTOCOL_ERROR, as libthrift does for a struct that fails its own checks
// (e.g. an unknown value in a required enum field, which Java decodes as
// null).
type protocolError struct{ msg string }

func (e *protocolError) Error() string { return e.msg }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
