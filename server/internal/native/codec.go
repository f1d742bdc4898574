package native

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/datastax/go-cassandra-native-protocol/compression"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

// codecs are the library's message codecs by opcode.
var codecs = func() map[primitive.OpCode]message.Codec {
	m := make(map[primitive.OpCode]message.Codec, len(message.DefaultMessageCodecs))
	for _, c := range message.DefaultMessageCodecs {
		m[c.GetOpCode()] = c
	}
	return m
}()

// request is a decoded request frame.
type request struct {
	stream  int16
	opcode  byte
	tracing bool
	msg     message.Message
	// register holds REGISTER's event types, decoded by hand.
	register []primitive.EventType
}

// decodeBody decodes the body of a request of a known request opcode, the
// custom payload already stripped. The body is checked first (bodyReader),
// so the library only ever sees bodies whose lengths hold.
func decodeBody(op byte, version byte, b []byte) (message.Message, []primitive.EventType, *wireError) {
	r := &bodyReader{b: b, v: version}
	v := primitive.ProtocolVersion(version)
	switch primitive.OpCode(op) {
	case primitive.OpCodeOptions:
		return &message.Options{}, nil, nil
	case primitive.OpCodeQuery:
		text, werr := r.longString()
		if werr != nil {
			return nil, nil, werr
		}
		start := r.off
		flags, werr := r.queryOptions()
		if werr != nil {
			return nil, nil, werr
		}
		opts, err := message.DecodeQueryOptions(bytes.NewReader(b[start:]), v)
		if err != nil {
			return nil, nil, libraryErr(op, err)
		}
		normalizeOptions(opts, flags)
		return &message.Query{Query: string(text), Options: opts}, nil, nil
	case primitive.OpCodePrepare:
		text, werr := r.longString()
		if werr != nil {
			return nil, nil, werr
		}
		return &message.Prepare{Query: string(text)}, nil, nil
	case primitive.OpCodeExecute:
		// By hand up to the options: the library refuses an empty id,
		// which 3.11 reads and answers Unprepared.
		if werr := r.shortBytes(); werr != nil {
			return nil, nil, werr
		}
		id := bytes.Clone(b[2:r.off])
		start := r.off
		flags, werr := r.queryOptions()
		if werr != nil {
			return nil, nil, werr
		}
		opts, err := message.DecodeQueryOptions(bytes.NewReader(b[start:]), v)
		if err != nil {
			return nil, nil, libraryErr(op, err)
		}
		normalizeOptions(opts, flags)
		return &message.Execute{QueryId: id, Options: opts}, nil, nil
	case primitive.OpCodeBatch:
		if werr := checkBatch(r); werr != nil {
			return nil, nil, werr
		}
	case primitive.OpCodeStartup:
		if werr := checkStartup(r); werr != nil {
			return nil, nil, werr
		}
	case primitive.OpCodeAuthResponse:
		if werr := checkAuthResponse(r); werr != nil {
			return nil, nil, werr
		}
	case primitive.OpCodeRegister:
		types, werr := readRegister(r)
		if werr != nil {
			return nil, nil, werr
		}
		return &message.Register{EventTypes: types}, types, nil
	default:
		return nil, nil, serverErr("unexpected opcode %d", op)
	}
	m, err := codecs[primitive.OpCode(op)].Decode(bytes.NewReader(b), v)
	if err != nil {
		return nil, nil, libraryErr(op, err)
	}
	return m, nil, nil
}

// libraryErr reports a body that 3.11 would read but the library cannot
// (e.g. a BATCH with named values): Cassandra has no such case, so it is
// a ServerError naming the cause.
func libraryErr(op byte, err error) *wireError {
	return serverErr("cannot decode %s message: %v", opcodeName(op), err)
}

// normalizeOptions gives the options 3.11's meaning: without the page-size
// flag the page size is -1 (QueryOptions.SpecificOptions.DEFAULT), so that
// 0 means a client that asked for pages of 0 rows.
func normalizeOptions(o *message.QueryOptions, flags byte) {
	if flags&qfPageSize == 0 {
		o.PageSize = -1
	}
}

// reply is one response frame to encode.
type reply struct {
	stream        int16
	msg           message.Message
	tracingID     *primitive.UUID
	warnings      []string
	customPayload map[string][]byte
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuf is the largest buffer returned to bufPool, so that one huge
// result does not stay pinned in the pool.
const maxPooledBuf = 64 << 10

func putBuf(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuf {
		b.Reset()
		bufPool.Put(b)
	}
}

// encodeFrame encodes r as a complete v3/v4 response frame (and a v5 header
// for the version errors that 3.11 sends as v5-beta) into a pooled buffer.
// The body prefix is written in Message.ProtocolEncoder's order (tracing
// id, warnings, custom payload), which the library's frame codec does not
// follow; the message itself goes through the library's codec. With comp
// set the body is compressed, as Frame.Compressor does for every frame once
// STARTUP chose an algorithm.
func encodeFrame(version byte, r *reply, comp compression.Compressor) (*bytes.Buffer, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Write(make([]byte, headerLen))
	v := primitive.ProtocolVersion(version)
	var flags byte
	if version == 5 {
		flags |= flagUseBeta
	}
	if r.tracingID != nil {
		flags |= flagTracing
		buf.Write(r.tracingID[:])
	}
	if len(r.warnings) > 0 && version >= 4 {
		flags |= flagWarning
		if err := primitive.WriteStringList(r.warnings, buf); err != nil {
			putBuf(buf)
			return nil, err
		}
	}
	if len(r.customPayload) > 0 && version >= 4 {
		flags |= flagCustomPayload
		if err := primitive.WriteBytesMap(r.customPayload, buf); err != nil {
			putBuf(buf)
			return nil, err
		}
	}
	op := r.msg.GetOpCode()
	c, ok := codecs[op]
	if !ok {
		putBuf(buf)
		return nil, fmt.Errorf("no codec for opcode %v", op)
	}
	if err := c.Encode(r.msg, buf, v); err != nil {
		putBuf(buf)
		return nil, err
	}
	if comp != nil {
		z, err := comp.CompressFrame(buf.Bytes()[headerLen:])
		if err != nil {
			putBuf(buf)
			return nil, err
		}
		buf.Truncate(headerLen)
		buf.Write(z)
		flags |= flagCompressed
	}
	h := buf.Bytes()[:headerLen]
	h[0] = version | responseBit
	h[1] = flags
	binary.BigEndian.PutUint16(h[2:], uint16(r.stream))
	h[4] = byte(op)
	binary.BigEndian.PutUint32(h[5:], uint32(buf.Len()-headerLen))
	return buf, nil
}

// encodeLegacyError encodes the answer 3.11 gives a v1 or v2 client: the
// protocol error in that client's own 8-byte header (1-byte stream),
// which Frame.Encoder still writes for this case (CASSANDRA-11464).
func encodeLegacyError(version byte, msg string) []byte {
	var body bytes.Buffer
	_ = codecs[primitive.OpCodeError].Encode(&message.ProtocolError{ErrorMessage: msg}, &body, primitive.ProtocolVersion4)
	out := make([]byte, 8, 8+body.Len())
	out[0] = version | responseBit
	// flags 0, stream 0, opcode ERROR (0)
	binary.BigEndian.PutUint32(out[4:], uint32(body.Len()))
	return append(out, body.Bytes()...)
}
