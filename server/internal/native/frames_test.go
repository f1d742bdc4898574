package native

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/datastax/go-cassandra-native-protocol/compression/lz4"
	"github.com/datastax/go-cassandra-native-protocol/compression/snappy"
	"github.com/datastax/go-cassandra-native-protocol/datatype"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

const (
	serverErrCode = primitive.ErrorCodeServerError
	invalidCode   = primitive.ErrorCodeInvalid
)

// Message.Type.fromOpcode: the error goes out on the frame's stream, in
// the connection's version (4 before the first frame), and the connection
// ends because 3.11 cannot get past that frame.
func TestBadOpcodes(t *testing.T) {
	_, addr := startServer(t, Config{})
	tests := []struct {
		name                string
		versionByte, opcode byte
		want                string
	}{
		{"unknown", 0x04, 0x11, "Unknown opcode 17"},
		{"unknown high", 0x04, 0xFF, "Unknown opcode 255"},
		{"response opcode sent as request", 0x04, 0x08, "Wrong protocol direction (expected RESPONSE, got REQUEST) for opcode 8 (RESULT)"},
		{"error opcode sent as request", 0x04, 0x00, "Wrong protocol direction (expected RESPONSE, got REQUEST) for opcode 0 (ERROR)"},
		{"request opcode marked response", 0x84, 0x07, "Wrong protocol direction (expected REQUEST, got RESPONSE) for opcode 7 (QUERY)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, addr)
			c.send(tt.versionByte, 0, 42, tt.opcode, []byte("garbage"))
			f := c.mustFrame()
			if f.h.stream != 42 || f.h.version != 4 {
				t.Fatalf("error on stream %d version %d", f.h.stream, f.h.version)
			}
			m, _ := decodeResponse(t, f)
			expectError(t, m, protoErr, tt.want)
			c.expectClosed()
		})
	}
	t.Run("in a v3 connection", func(t *testing.T) {
		c := dial(t, addr)
		c.startup(3, nil)
		c.send(3, 0, 9, 0x2A, nil)
		f := c.mustFrame()
		if f.h.stream != 9 || f.h.version != 3 {
			t.Fatalf("error on stream %d version %d", f.h.stream, f.h.version)
		}
		m, _ := decodeResponse(t, f)
		expectError(t, m, protoErr, "Unknown opcode 42")
		c.expectClosed()
	})
}

// A response sent by a client decodes and reaches no handler in 3.11; the
// connection goes on.
func TestClientResponsesIgnored(t *testing.T) {
	_, addr := startServer(t, Config{})
	c := dial(t, addr)
	c.send(0x84, 0, 3, 0x08, []byte{0, 0, 0, 1})
	c.send(0x84, 0, 4, 0x0C, []byte("anything at all"))
	c.send(0x84, 0, 5, 0x00, nil)
	if _, ok := c.roundTrip(4, 6, &message.Options{}).(*message.Supported); !ok {
		t.Fatal("OPTIONS after ignored responses")
	}
}

func TestCredentialsRefused(t *testing.T) {
	_, addr := startServer(t, Config{})
	c := dial(t, addr)
	c.send(4, 0, 2, 0x04, []byte{0, 0})
	m, _ := decodeResponse(t, c.mustFrame())
	expectError(t, m, protoErr, "Legacy credentials authentication is not supported in protocol versions > 1. Please use SASL authentication via a SaslResponse message")
	c.startup(4, nil)
}

// Frame.Decoder: an oversized frame is skipped and its stream answered
// Invalid; the connection goes on.
func TestFrameTooBig(t *testing.T) {
	_, addr := startServer(t, Config{MaxFrameSize: 1000})
	c := dial(t, addr)
	c.send(4, 0, 11, 0x07, make([]byte, 992)) // 992 + 9 > 1000
	m, _ := decodeResponse(t, c.mustFrame())
	expectError(t, m, invalidCode, "Request is too big: length 1001 exceeds maximum allowed length 1000.")
	// Exactly the limit is fine, and the oversized frame did not fix the
	// connection's version.
	c.startup(3, nil)
	body := encodeBody(t, 3, query(strings.Repeat(" ", 984)))
	if len(body) != 991 {
		t.Fatalf("body of %d bytes", len(body))
	}
	c.send(3, 0, 12, 0x07, body)
	if m, _ := decodeResponse(t, c.mustFrame()); m.GetOpCode() != primitive.OpCodeResult {
		t.Fatalf("frame of the maximum size answered %v", m)
	}
}

// The default limit, native_transport_max_frame_size_in_mb = 256.
func TestFrameTooBigDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 256 MiB")
	}
	_, addr := startServer(t, Config{})
	c := dial(t, addr)
	const n = DefaultMaxFrameSize - headerLen + 1
	hdr := frameBytes(4, 0, 1, 0x07, nil)
	binary.BigEndian.PutUint32(hdr[5:], n)
	c.write(hdr)
	chunk := make([]byte, 1<<20)
	for left := n; left > 0; left -= len(chunk) {
		c.write(chunk[:min(left, len(chunk))])
	}
	m, _ := decodeResponse(t, c.mustFrame())
	expectError(t, m, invalidCode, "Request is too big: length 268435457 exceeds maximum allowed length 268435456.")
	c.startup(4, nil)
}

func TestVersionChangeRefused(t *testing.T) {
	_, addr := startServer(t, Config{})
	c := dial(t, addr)
	c.startup(4, nil)
	c.sendMsg(3, 5, &message.Options{})
	f := c.mustFrame()
	m, _ := decodeResponse(t, f)
	if f.h.stream != 5 || f.h.version != 4 {
		t.Fatalf("error on stream %d version %d", f.h.stream, f.h.version)
	}
	expectError(t, m, protoErr, "Invalid message version. Got 3/v3 but previous messages on this connection had version 4/v4")
	c.roundTrip(4, 6, query("SELECT 1"))
}

// Bodies 3.11 cannot decode: its errors, on the request's stream, and the
// connection goes on.
func TestMalformedBodies(t *testing.T) {
	_, addr := startServer(t, Config{})
	c := dial(t, addr)
	c.startup(4, nil)
	longStr := func(s string) []byte {
		return append(binary.BigEndian.AppendUint32(nil, uint32(len(s))), s...)
	}
	opts := func(consistency uint16, flags byte, rest ...byte) []byte {
		b := binary.BigEndian.AppendUint16(nil, consistency)
		return append(append(b, flags), rest...)
	}
	q := func(options []byte) []byte { return append(longStr("SELECT 1"), options...) }
	ts := binary.BigEndian.AppendUint64(nil, 1<<63)
	tests := []struct {
		name   string
		opcode byte
		body   []byte
		code   primitive.ErrorCode
		want   string
	}{
		{"empty QUERY", 0x07, nil, protoErr, "Not enough bytes to read an UTF8 serialized string preceded by its 4 bytes length"},
		{"QUERY text too long", 0x07, []byte{0, 0, 1, 0, 'a'}, protoErr, "Not enough bytes to read an UTF8 serialized string preceded by its 4 bytes length"},
		{"QUERY negative length", 0x07, []byte{0xff, 0xff, 0xff, 0xff}, protoErr, "Not enough bytes to read an UTF8 serialized string preceded by its 4 bytes length"},
		{"QUERY 2 GiB length", 0x07, []byte{0x7f, 0xff, 0xff, 0xff, 'a'}, protoErr, "Not enough bytes to read an UTF8 serialized string preceded by its 4 bytes length"},
		{"QUERY not UTF-8", 0x07, append(longStr("\xff\xfe"), opts(1, 0)...), protoErr, "Cannot decode string as UTF8: 'fffe'; java.nio.charset.MalformedInputException: Input length = 1"},
		{"QUERY without options", 0x07, longStr("SELECT 1"), serverErrCode, "java.lang.IndexOutOfBoundsException: readerIndex(12) + length(2) exceeds writerIndex(12)"},
		{"QUERY without flags", 0x07, q([]byte{0, 1}), serverErrCode, "java.lang.IndexOutOfBoundsException: readerIndex(14) + length(1) exceeds writerIndex(14)"},
		{"unknown consistency", 0x07, q(opts(11, 0)), protoErr, "Unknown code 11 for a consistency level"},
		{"unknown serial consistency", 0x07, q(opts(1, 0x10, 0xff, 0xff)), protoErr, "Unknown code 65535 for a consistency level"},
		{"page size 0", 0x07, q(opts(1, 0x04, 0, 0, 0, 0)), protoErr, "The page size cannot be 0"},
		{"page size missing", 0x07, q(opts(1, 0x04, 0, 0)), serverErrCode, "java.lang.IndexOutOfBoundsException: readerIndex(15) + length(4) exceeds writerIndex(17)"},
		{"timestamp MIN_VALUE", 0x07, q(opts(1, 0x20, ts...)), protoErr, "Out of bound timestamp, must be in [-9223372036854775807, 9223372036854775807] (got -9223372036854775808)"},
		{"value length -3", 0x07, q(opts(1, 0x01, 0, 1, 0xff, 0xff, 0xff, 0xfd)), protoErr, "Invalid ByteBuf length -3"},
		{"value longer than body", 0x07, q(opts(1, 0x01, 0, 1, 0x7f, 0xff, 0xff, 0xff)), serverErrCode, "java.lang.IndexOutOfBoundsException: readerIndex(21) + length(2147483647) exceeds writerIndex(21)"},
		{"named value name cut", 0x07, q(opts(1, 0x41, 0, 1, 0, 9, 'a')), protoErr, "Not enough bytes to read an UTF8 serialized string preceded by its 2 bytes length"},
		{"paging state cut", 0x07, q(opts(1, 0x08, 0, 0, 0, 9)), serverErrCode, "java.lang.IndexOutOfBoundsException: readerIndex(19) + length(9) exceeds writerIndex(19)"},
		{"EXECUTE id cut", 0x0A, []byte{0, 16, 1}, protoErr, "Not enough bytes to read a byte array preceded by its 2 bytes length"},
		{"PREPARE empty", 0x09, []byte{0}, protoErr, "Not enough bytes to read an UTF8 serialized string preceded by its 4 bytes length"},
		{"BATCH type 3", 0x0D, append([]byte{3, 0, 0}, opts(1, 0)...), protoErr, "Invalid BATCH message type 3"},
		{"BATCH type -1", 0x0D, append([]byte{0xff, 0, 0}, opts(1, 0)...), protoErr, "Invalid BATCH message type -1"},
		{"BATCH query kind 2", 0x0D, []byte{0, 0, 1, 2}, protoErr, "Invalid query kind in BATCH messages. Must be 0 or 1 but got 2"},
		{"BATCH cut", 0x0D, []byte{0, 0, 1}, serverErrCode, "java.lang.IndexOutOfBoundsException: readerIndex(3) + length(1) exceeds writerIndex(3)"},
		{"BATCH type checked last", 0x0D, []byte{7, 0, 0}, serverErrCode, "java.lang.IndexOutOfBoundsException: readerIndex(3) + length(2) exceeds writerIndex(3)"},
		{"REGISTER cut", 0x0B, []byte{0, 1}, protoErr, "Not enough bytes to read an UTF8 serialized string preceded by its 2 bytes length"},
		{"AUTH_RESPONSE cut", 0x0F, []byte{0, 0, 0, 5, 1}, serverErrCode, "java.lang.IndexOutOfBoundsException: readerIndex(4) + length(5) exceeds writerIndex(5)"},
		{"STARTUP cut", 0x01, []byte{0}, serverErrCode, "java.lang.IndexOutOfBoundsException: readerIndex(0) + length(2) exceeds writerIndex(1)"},
	}
	for i, tt := range tests {
		stream := int16(100 + i)
		c.send(4, 0, stream, tt.opcode, tt.body)
		f := c.mustFrame()
		if f.h.stream != stream {
			t.Fatalf("%s: answered on stream %d", tt.name, f.h.stream)
		}
		m, _ := decodeResponse(t, f)
		e, ok := m.(message.Error)
		if !ok || e.GetErrorCode() != tt.code || e.GetErrorMessage() != tt.want {
			t.Errorf("%s: got %v, want %v %q", tt.name, m, tt.code, tt.want)
		}
	}
	c.roundTrip(4, 1, query("SELECT 1"))
}

// Message.ProtocolDecoder reads the custom payload outside its per-frame
// wrapper: a broken one is answered on stream 0. v3 has no custom payload.
func TestCustomPayload(t *testing.T) {
	got := make(chan string, 1)
	_, addr := startServer(t, Config{Backend: &funcBackend{query: func(_ ctxT, _ *Session, q *message.Query) Response {
		got <- q.Query
		return Reply(&message.VoidResult{})
	}}})
	payload := []byte{0, 1, 0, 1, 'k', 0, 0, 0, 2, 'v', 'v'}
	c := dial(t, addr)
	c.startup(4, nil)
	c.send(4, flagCustomPayload, 7, 0x07, append(payload, encodeBody(t, 4, query("SELECT payload"))...))
	if m, _ := decodeResponse(t, c.mustFrame()); m.GetOpCode() != primitive.OpCodeResult || <-got != "SELECT payload" {
		t.Fatalf("QUERY with a custom payload: %v", m)
	}
	c.send(4, flagCustomPayload, 8, 0x07, []byte{0, 1, 0, 5, 'k'})
	f := c.mustFrame()
	m, _ := decodeResponse(t, f)
	if f.h.stream != 0 {
		t.Fatalf("broken custom payload answered on stream %d", f.h.stream)
	}
	expectError(t, m, protoErr, "Not enough bytes to read an UTF8 serialized string preceded by its 2 bytes length")

	c3 := dial(t, addr)
	c3.startup(3, nil)
	c3.send(3, flagCustomPayload, 9, 0x07, append(payload, encodeBody(t, 3, query("SELECT 1"))...))
	f = c3.mustFrame()
	m, _ = decodeResponse(t, f)
	if f.h.stream != 9 {
		t.Fatalf("v3 custom payload answered on stream %d", f.h.stream)
	}
	expectError(t, m, protoErr, "Received frame with CUSTOM_PAYLOAD flag for native protocol version < 4")
}

// Compression both ways: the client's compressed bodies are uncompressed,
// and every frame from the READY on is compressed (Frame.Compressor).
func TestCompression(t *testing.T) {
	rows := &message.RowsResult{
		Metadata: &message.RowsMetadata{ColumnCount: 1, Columns: []*message.ColumnMetadata{{Keyspace: "ks", Table: "t", Name: "v", Type: varcharType()}}},
		Data:     message.RowSet{{[]byte(strings.Repeat("compressible ", 100))}},
	}
	_, addr := startServer(t, Config{Backend: &funcBackend{query: func(_ ctxT, _ *Session, q *message.Query) Response {
		if q.Query != "SELECT "+strings.Repeat("x", 500) {
			return Reply(&message.Invalid{ErrorMessage: "wrong text"})
		}
		return Reply(rows)
	}}})
	for _, tt := range []struct {
		name string
		comp interface {
			CompressFrame([]byte) ([]byte, error)
			DecompressFrame([]byte) ([]byte, error)
		}
	}{{"lz4", lz4.Compressor{}}, {"snappy", snappy.Compressor{}}, {"LZ4", lz4.Compressor{}}} {
		t.Run(tt.name, func(t *testing.T) {
			c2 := dial(t, addr)
			c2.comp = tt.comp.(compressorT)
			c2.sendMsg(4, 1, &message.Startup{Options: map[string]string{"CQL_VERSION": "3.0.0", "COMPRESSION": tt.name}})
			f := c2.mustFrame()
			if f.h.flags&flagCompressed == 0 || f.h.opcode != 0x02 || len(f.body) != 0 {
				t.Fatalf("READY: flags %#x opcode %#x body %x", f.h.flags, f.h.opcode, f.body)
			}
			c2.sendMsg(4, 2, query("SELECT "+strings.Repeat("x", 500)))
			f = c2.mustFrame()
			if f.h.flags&flagCompressed == 0 || f.h.length >= uint32(len(f.body)) {
				t.Fatalf("rows not compressed: flags %#x, %d bytes for %d", f.h.flags, f.h.length, len(f.body))
			}
			m, _ := decodeResponse(t, f)
			if r, ok := m.(*message.RowsResult); !ok || !bytes.Equal(r.Data[0][0], rows.Data[0][0]) {
				t.Fatalf("QUERY answered %v", m)
			}
			// An uncompressed request on a compressed connection is fine.
			c2.send(4, 0, 3, 0x05, nil)
			if m, _ := decodeResponse(t, c2.mustFrame()); m.GetOpCode() != primitive.OpCodeSupported {
				t.Fatalf("OPTIONS answered %v", m)
			}
			// Garbage in a compressed body: an error on stream 0, and the
			// connection goes on.
			c2.send(4, flagCompressed, 4, 0x07, []byte{0, 0, 0, 50, 1, 2, 3})
			f = c2.mustFrame()
			m, _ = decodeResponse(t, f)
			if f.h.stream != 0 {
				t.Fatalf("bad compressed body answered on stream %d", f.h.stream)
			}
			if tt.name == "snappy" {
				expectError(t, m, protoErr, "Provided frame does not appear to be Snappy compressed")
			} else if e := m.(message.Error); e.GetErrorCode() != serverErrCode {
				t.Fatalf("bad lz4 body answered %v", m)
			}
			// A forged uncompressed length is refused without allocating it.
			c2.send(4, flagCompressed, 5, 0x07, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 0})
			if f = c2.mustFrame(); f.h.stream != 0 || f.h.opcode != 0 {
				t.Fatalf("forged length answered %v", f.h)
			}
			c2.roundTrip(4, 6, query("SELECT "+strings.Repeat("x", 500)))
		})
	}
	// Without compression negotiated, the flag is ignored.
	c := dial(t, addr)
	c.startup(4, nil)
	c.send(4, flagCompressed, 7, 0x07, encodeBody(t, 4, query("SELECT "+strings.Repeat("x", 500))))
	if m, _ := decodeResponse(t, c.mustFrame()); m.GetOpCode() != primitive.OpCodeResult {
		t.Fatalf("compressed flag without compression: %v", m)
	}
}

// The tracing id, warnings and custom payload of an answer, in
// Message.ProtocolEncoder's order; v3 carries none but the tracing id.
func TestResponsePrefix(t *testing.T) {
	id := primitive.UUID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	traced := make(chan bool, 4)
	_, addr := startServer(t, Config{Backend: &funcBackend{batch: func(ctx ctxT, _ *Session, _ *message.Batch) Response {
		traced <- TracingRequested(ctx)
		return Response{
			Message:       &message.VoidResult{},
			Warnings:      []string{"Batch for [ks.t] is of size 6.0KiB, exceeding specified threshold of 5.0KiB by 1.0KiB."},
			CustomPayload: map[string][]byte{"k": []byte("v")},
			TracingID:     &id,
		}
	}}})
	batch := &message.Batch{Type: primitive.BatchTypeLogged, Children: []*message.BatchChild{{Query: "INSERT INTO t (a) VALUES (1)"}}, Consistency: primitive.ConsistencyLevelOne}
	for _, v := range []byte{4, 3} {
		c := dial(t, addr)
		c.startup(v, nil)
		c.send(v, flagTracing, 3, 0x0D, encodeBody(t, v, batch))
		f := c.mustFrame()
		want := flagTracing | flagWarning | flagCustomPayload
		if v == 3 {
			want = flagTracing
		}
		if f.h.flags != want {
			t.Fatalf("v%d flags %#x, want %#x", v, f.h.flags, want)
		}
		// By hand: uuid, [string list], [bytes map], then the RESULT.
		b := f.body
		if !bytes.Equal(b[:16], id[:]) {
			t.Fatalf("tracing id %x", b[:16])
		}
		b = b[16:]
		if v == 4 {
			if n := binary.BigEndian.Uint16(b); n != 1 {
				t.Fatalf("%d warnings", n)
			}
			wl := int(binary.BigEndian.Uint16(b[2:]))
			if !strings.HasPrefix(string(b[4:4+wl]), "Batch for [ks.t]") {
				t.Fatalf("warning %q", b[4:4+wl])
			}
			b = b[4+wl:]
			if !bytes.Equal(b[:11], []byte{0, 1, 0, 1, 'k', 0, 0, 0, 1, 'v', 0}[:11]) {
				t.Fatalf("custom payload %x", b[:11])
			}
			b = b[10:]
		}
		if !bytes.Equal(b, []byte{0, 0, 0, 1}) {
			t.Fatalf("v%d RESULT body %x", v, b)
		}
		if !<-traced {
			t.Fatal("TracingRequested false for a traced request")
		}
	}
}

func varcharType() datatype.DataType { return datatype.Varchar }

// Decompression of what the library's compressors make, independent of a
// connection: the guards let every real frame through.
func TestDecompressGuards(t *testing.T) {
	srv, _ := startServer(t, Config{MaxFrameSize: 100})
	c := newConn(srv, nopConn{})
	for _, comp := range []compressorT{lz4.Compressor{}, snappy.Compressor{}} {
		c.comp = comp
		for _, n := range []int{0, 1, 91} {
			in := bytes.Repeat([]byte{'a'}, n)
			z, _ := comp.CompressFrame(in)
			out, werr := c.decompress(z)
			if werr != nil || !bytes.Equal(out, in) {
				t.Fatalf("%T %d bytes: %v", comp, n, werr)
			}
		}
		z, _ := comp.CompressFrame(make([]byte, 101))
		if _, werr := c.decompress(z); werr == nil || !werr.stream0 {
			t.Fatalf("%T: body over the limit accepted", comp)
		}
	}
}
