package native

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
	"testing"
	"time"

	"github.com/datastax/go-cassandra-native-protocol/compression/lz4"
	"github.com/datastax/go-cassandra-native-protocol/datatype"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

// requestOpcodes are the opcodes whose bodies decodeBody reads.
var requestOpcodes = []byte{0x01, 0x05, 0x07, 0x09, 0x0A, 0x0B, 0x0D, 0x0F}

func seedBodies(f *testing.F) {
	for _, m := range []message.Message{
		&message.Startup{Options: map[string]string{"CQL_VERSION": "3.0.0", "COMPRESSION": "lz4"}},
		query("SELECT * FROM system.local WHERE key='local'"),
		&message.Query{Query: "INSERT INTO t (a, b) VALUES (?, ?)", Options: &message.QueryOptions{
			Consistency: primitive.ConsistencyLevelQuorum, PageSize: 5000, PagingState: []byte{1, 2, 3},
			PositionalValues:  []*primitive.Value{primitive.NewValue([]byte{0, 0, 0, 1}), primitive.NewUnsetValue()},
			SerialConsistency: ptr(primitive.ConsistencyLevelLocalSerial), DefaultTimestamp: ptr(int64(1700000000000000)), SkipMetadata: true}},
		&message.Query{Query: "SELECT :a", Options: &message.QueryOptions{NamedValues: map[string]*primitive.Value{"a": primitive.NewNullValue()}}},
		&message.Prepare{Query: "SELECT v FROM ks.t WHERE k = ?"},
		&message.Execute{QueryId: []byte{1, 2, 3, 4}, Options: &message.QueryOptions{PositionalValues: []*primitive.Value{primitive.NewValue([]byte("x"))}}},
		&message.Batch{Type: primitive.BatchTypeUnlogged, Children: []*message.BatchChild{{Query: "INSERT", Values: []*primitive.Value{primitive.NewValue(nil)}}, {Id: []byte{9}}},
			Consistency: primitive.ConsistencyLevelOne, DefaultTimestamp: ptr(int64(5))},
		&message.Register{EventTypes: []primitive.EventType{EventSchemaChange, EventStatusChange}},
		&message.AuthResponse{Token: []byte("\x00cassandra\x00cassandra")},
	} {
		for _, v := range []byte{3, 4} {
			var buf bytes.Buffer
			if codecs[m.GetOpCode()].Encode(m, &buf, primitive.ProtocolVersion(v)) == nil { // unset values are v4+
				f.Add(byte(m.GetOpCode()), v, buf.Bytes())
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

// FuzzFrame feeds arbitrary bodies and headers to the decoders: they may
// refuse them, never panic, and what they accept the library can encode
// again.
func FuzzFrame(f *testing.F) {
	seedBodies(f)
	f.Fuzz(func(t *testing.T, op, version byte, body []byte) {
		op = requestOpcodes[int(op)%len(requestOpcodes)]
		version = 3 + version%2
		if len(body) >= headerLen {
			h := parseHeader(body)
			_ = checkOpcode(h)
		}
		m, _, werr := decodeBody(op, version, bytes.Clone(body))
		if werr != nil {
			if werr.msg == "" && werr.code != primitive.ErrorCodeServerError {
				t.Fatalf("error without a message: %+v", werr)
			}
			return
		}
		if _, err := encodeFrame(version, &reply{msg: &message.VoidResult{}}, lz4.Compressor{}); err != nil {
			t.Fatal(err)
		}
		if m == nil {
			t.Fatal("no message and no error")
		}
		_, _, _ = decodePlain(body)
		_ = checkCQLVersion(string(body))
	})
}

// fuzzBackend answers every statement with a small Rows result.
type fuzzBackend struct{}

func (fuzzBackend) answer() Response {
	return Response{Message: &message.RowsResult{
		Metadata: &message.RowsMetadata{ColumnCount: 1, Columns: []*message.ColumnMetadata{{Keyspace: "ks", Table: "t", Name: "d", Type: datatype.Date}}},
		Data:     message.RowSet{{{0x80, 0, 0, 0}}},
	}, Warnings: []string{"w"}}
}
func (b fuzzBackend) Query(context.Context, *Session, *message.Query) Response     { return b.answer() }
func (b fuzzBackend) Prepare(context.Context, *Session, *message.Prepare) Response { return b.answer() }
func (b fuzzBackend) Execute(context.Context, *Session, *message.Execute) Response { return b.answer() }
func (b fuzzBackend) Batch(context.Context, *Session, *message.Batch) Response     { return b.answer() }

// FuzzConnection writes arbitrary bytes into a connection: the server
// answers what it can, never panics, and Serve returns once the client has
// gone.
func FuzzConnection(f *testing.F) {
	t := f
	startup := frameBytes(4, 0, 1, 0x01, encodeBody(t, 4, &message.Startup{Options: map[string]string{"CQL_VERSION": "3.0.0"}}))
	startupLZ4 := frameBytes(4, 0, 1, 0x01, encodeBody(t, 4, &message.Startup{Options: map[string]string{"CQL_VERSION": "3.0.0", "COMPRESSION": "lz4"}}))
	q := encodeBody(t, 4, query("SELECT 1"))
	z, _ := lz4.Compressor{}.CompressFrame(q)
	reg := frameBytes(4, 0, 3, 0x0B, encodeBody(t, 4, &message.Register{EventTypes: []primitive.EventType{EventSchemaChange}}))
	f.Add(frameBytes(4, 0, 1, 0x05, nil))
	f.Add(frameBytes(5, 0, 1, 0x05, nil))
	f.Add([]byte{2, 0, 1, 5, 0, 0, 0, 0})
	f.Add(append(startup, frameBytes(4, 0, 2, 0x07, q)...))
	f.Add(append(append(startup, reg...), frameBytes(4, flagTracing|flagCustomPayload, 2, 0x07, append([]byte{0, 0}, q...))...))
	f.Add(append(startupLZ4, frameBytes(4, flagCompressed, 2, 0x07, z)...))
	f.Add(append(startup, frameBytes(4, 0, 2, 0x0D, nil)...))
	f.Add(append(startup, frameBytes(3, 0, 2, 0x07, q)...))
	f.Add(append(startup, 4, 0, 0, 9, 7, 0x7f, 0xff, 0xff, 0xff))
	f.Fuzz(func(t *testing.T, data []byte) {
		srv, err := NewServer(Config{Backend: fuzzBackend{}, MaxFrameSize: 64 << 10, MaxConcurrentRequests: 4})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		server, client := net.Pipe()
		done := make(chan error, 1)
		go func() { done <- srv.Serve(context.Background(), server) }()
		go func() { _, _ = io.Copy(io.Discard, client) }()
		go func() {
			_, _ = client.Write(data)
			// Half the runs leave the connection open until the server
			// has answered, so that the event path runs too.
			if len(data)%2 == 0 {
				srv.Publish(&message.SchemaChangeEvent{ChangeType: primitive.SchemaChangeTypeCreated, Target: primitive.SchemaChangeTargetKeyspace, Keyspace: "ks"})
			}
			client.Close()
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Serve still running 10s after the client left (input %x)", data[:min(len(data), 64)])
		}
	})
}

// The walk and the library agree on every seed: bodies the walk accepts
// decode.
func TestSeedBodiesDecode(t *testing.T) {
	body := binary.BigEndian.AppendUint16(nil, 0)
	if _, _, werr := decodeBody(0x01, 4, body); werr != nil {
		t.Fatal(werr)
	}
}
