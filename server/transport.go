package server

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math"

	"github.com/apache/thrift/lib/go/thrift"
)

// frameTransport is a thrift.TRichTransport over the bytes of one request
// frame (for reading) and an output buffer (for writing). The connection
// reuses one per socket so that decoding a request allocates only what the
// request itself holds.
type frameTransport struct {
	in  []byte // unread part of the current request frame
	out []byte // encoded reply, without the frame length
}

var _ thrift.TRichTransport = (*frameTransport)(nil)

// reset points the transport at a new request frame and empties the output.
func (t *frameTransport) reset(frame []byte) {
	t.in = frame
	t.out = t.out[:0]
}

func (t *frameTransport) Read(p []byte) (int, error) {
	if len(t.in) == 0 {
		if len(p) == 0 {
			return 0, nil
		}
		return 0, io.EOF
	}
	n := copy(p, t.in)
	t.in = t.in[n:]
	return n, nil
}

func (t *frameTransport) ReadByte() (byte, error) {
	if len(t.in) == 0 {
		return 0, io.EOF
	}
	b := t.in[0]
	t.in = t.in[1:]
	return b, nil
}

func (t *frameTransport) Write(p []byte) (int, error) {
	t.out = append(t.out, p...)
	return len(p), nil
}

func (t *frameTransport) WriteByte(c byte) error {
	t.out = append(t.out, c)
	return nil
}

func (t *frameTransport) WriteString(s string) (int, error) {
	t.out = append(t.out, s...)
	return len(s), nil
}

func (t *frameTransport) Flush(context.Context) error { return nil }

func (t *frameTransport) RemainingBytes() uint64 { return uint64(len(t.in)) }

func (t *frameTransport) IsOpen() bool { return true }

func (t *frameTransport) Open() error { return nil }

func (t *frameTransport) Close() error { return nil }

// boundedProtocol is the strict binary protocol with one extra guard: a
// container may not claim more elements than bytes are left in the frame.
// Every element takes at least one byte on the wire, so a larger count is
// a lie, and believing it would let a 20-byte request make the generated
// decoder allocate gigabytes.
type boundedProtocol struct {
	*thrift.TBinaryProtocol
	t *frameTransport
}

func (p *boundedProtocol) check(size int) error {
	if uint64(size) > p.t.RemainingBytes() {
		return thrift.NewTProtocolExceptionWithType(thrift.SIZE_LIMIT,
			errContainerSize{size: size, left: p.t.RemainingBytes()})
	}
	return nil
}

func (p *boundedProtocol) ReadListBegin(ctx context.Context) (thrift.TType, int, error) {
	et, size, err := p.TBinaryProtocol.ReadListBegin(ctx)
	if err == nil {
		err = p.check(size)
	}
	return et, size, err
}

func (p *boundedProtocol) ReadSetBegin(ctx context.Context) (thrift.TType, int, error) {
	et, size, err := p.TBinaryProtocol.ReadSetBegin(ctx)
	if err == nil {
		err = p.check(size)
	}
	return et, size, err
}

func (p *boundedProtocol) ReadMapBegin(ctx context.Context) (thrift.TType, thrift.TType, int, error) {
	kt, vt, size, err := p.TBinaryProtocol.ReadMapBegin(ctx)
	if err == nil {
		err = p.check(size)
	}
	return kt, vt, size, err
}

// errContainerSize reports a container header that claims more elements
// than the frame can hold.
type errContainerSize struct {
	size int
	left uint64
}

func (e errContainerSize) Error() string {
	return "container size " + itoa(int64(e.size)) + " exceeds the " + itoa(int64(e.left)) + " bytes left in the frame"
}

// ReadBinary reads a length-prefixed byte string straight out of the frame.
// Unlike the stock protocol it returns a non-nil empty slice for a
// zero-length value: the generated structs tell "absent" from "empty" by
// nil, and an empty Column.value is a legal value, not a missing one.
func (p *boundedProtocol) ReadBinary(ctx context.Context) ([]byte, error) {
	size, err := p.ReadI32(ctx)
	if err != nil {
		return nil, err
	}
	if size < 0 {
		return nil, thrift.NewTProtocolExceptionWithType(thrift.NEGATIVE_SIZE, errNegativeSize)
	}
	src, err := p.take(int(size))
	if err != nil {
		return nil, err
	}
	return append(make([]byte, 0, size), src...), nil
}

var errNegativeSize = errors.New("negative binary length")

// The primitive readers below decode straight from the frame bytes. The
// stock ones go through io.ReadFull on an interface for every integer,
// which was half of a small request's decoding time.

var errShortFrame = thrift.NewTProtocolException(io.ErrUnexpectedEOF)

func (p *boundedProtocol) take(n int) ([]byte, error) {
	if len(p.t.in) < n {
		p.t.in = p.t.in[len(p.t.in):]
		return nil, errShortFrame
	}
	b := p.t.in[:n]
	p.t.in = p.t.in[n:]
	return b, nil
}

func (p *boundedProtocol) ReadBool(context.Context) (bool, error) {
	b, err := p.take(1)
	if err != nil {
		return false, err
	}
	return b[0] == 1, nil
}

func (p *boundedProtocol) ReadI16(context.Context) (int16, error) {
	b, err := p.take(2)
	if err != nil {
		return 0, err
	}
	return int16(binary.BigEndian.Uint16(b)), nil
}

func (p *boundedProtocol) ReadI32(context.Context) (int32, error) {
	b, err := p.take(4)
	if err != nil {
		return 0, err
	}
	return int32(binary.BigEndian.Uint32(b)), nil
}

func (p *boundedProtocol) ReadI64(context.Context) (int64, error) {
	b, err := p.take(8)
	if err != nil {
		return 0, err
	}
	return int64(binary.BigEndian.Uint64(b)), nil
}

func (p *boundedProtocol) ReadDouble(context.Context) (float64, error) {
	b, err := p.take(8)
	if err != nil {
		return 0, err
	}
	return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
}

func (p *boundedProtocol) ReadString(ctx context.Context) (string, error) {
	size, err := p.ReadI32(ctx)
	if err != nil {
		return "", err
	}
	if size < 0 {
		return "", thrift.NewTProtocolExceptionWithType(thrift.NEGATIVE_SIZE, errNegativeSize)
	}
	b, err := p.take(int(size))
	if err != nil {
		return "", err
	}
	return string(b), nil
}

func (p *boundedProtocol) ReadFieldBegin(ctx context.Context) (string, thrift.TType, int16, error) {
	b, err := p.take(1)
	if err != nil {
		return "", thrift.STOP, 0, err
	}
	if t := thrift.TType(b[0]); t == thrift.STOP {
		return "", t, 0, nil
	}
	id, err := p.ReadI16(ctx)
	return "", thrift.TType(b[0]), id, err
}
