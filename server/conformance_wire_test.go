package server_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// encodeCall encodes one strict binary CALL message (without the frame
// length).
func encodeCall(t testing.TB, name string, seq int32, args thrift.TStruct) []byte {
	t.Helper()
	buf := thrift.NewTMemoryBuffer()
	p := thrift.NewTBinaryProtocolConf(buf, &thrift.TConfiguration{})
	must(t, p.WriteMessageBegin(ctx, name, thrift.CALL, seq))
	must(t, args.Write(ctx, p))
	must(t, p.WriteMessageEnd(ctx))
	return buf.Bytes()
}

func frame(payload []byte) []byte {
	out := make([]byte, 4, 4+len(payload))
	binary.BigEndian.PutUint32(out, uint32(len(payload)))
	return append(out, payload...)
}

// reply is one decoded response frame.
type reply struct {
	name string
	typ  thrift.TMessageType
	seq  int32
	body []byte // the payload after the message header
	exc  thrift.TApplicationException
}

func readReply(t testing.TB, r io.Reader) reply {
	t.Helper()
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		t.Fatalf("read reply frame: %v", err)
	}
	payload := make([]byte, binary.BigEndian.Uint32(hdr[:]))
	if _, err := io.ReadFull(r, payload); err != nil {
		t.Fatalf("read reply payload: %v", err)
	}
	buf := thrift.NewTMemoryBuffer()
	buf.Write(payload)
	p := thrift.NewTBinaryProtocolConf(buf, &thrift.TConfiguration{})
	name, typ, seq, err := p.ReadMessageBegin(ctx)
	must(t, err)
	rep := reply{name: name, typ: typ, seq: seq, body: buf.Bytes()}
	if typ == thrift.EXCEPTION {
		exc := thrift.NewTApplicationException(0, "")
		if err := exc.Read(ctx, p); err != nil {
			t.Fatal(err)
		}
		rep.exc = exc
	}
	return rep
}

// expectClosed asserts the server closes nc without sending anything.
func expectClosed(t testing.TB, nc net.Conn) {
	t.Helper()
	nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	var b [1]byte
	n, err := nc.Read(b[:])
	if n != 0 || err == nil {
		t.Fatalf("want the connection closed without a reply, read %d bytes, err %v", n, err)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("connection still open (timed out waiting for close)")
	}
}

// pingRaw checks a raw connection still answers describe_version.
func pingRaw(t testing.TB, nc net.Conn, seq int32) {
	t.Helper()
	_, err := nc.Write(frame(encodeCall(t, "describe_version", seq, tg.NewCassandraDescribeVersionArgs())))
	must(t, err)
	rep := readReply(t, nc)
	if rep.typ != thrift.REPLY || rep.seq != seq || rep.name != "describe_version" {
		t.Fatalf("ping: got %+v", rep)
	}
}

func TestWireUnknownMethodKeepsConnection(t *testing.T) {
	c, _ := startAndDial(t, server.Config{})
	tc := c.Client_()
	_, err := tc.Call(ctx, "no_such_method", tg.NewCassandraDescribeVersionArgs(), tg.NewCassandraDescribeVersionResult())
	e := mustAppErr(t, err, thrift.UNKNOWN_METHOD)
	if e.Error() != "Invalid method name: 'no_such_method'" {
		t.Fatalf("message %q", e.Error())
	}
	v, err := c.DescribeVersion(ctx)
	must(t, err)
	if v != server.Version {
		t.Fatalf("describe_version = %q", v)
	}
}

func TestWireUnknownMethodWithArgumentsIsSkipped(t *testing.T) {
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{})).Embedded()
	nc := rawConn(t, srv.Addr())
	args := tg.NewCassandraGetSliceArgs()
	args.Key = []byte("k")
	args.ColumnParent = &tg.ColumnParent{ColumnFamily: "Standard1"}
	args.Predicate = &tg.SlicePredicate{ColumnNames: [][]byte{[]byte("a")}}
	_, err := nc.Write(frame(encodeCall(t, "get_slize", 7, args)))
	must(t, err)
	rep := readReply(t, nc)
	if rep.typ != thrift.EXCEPTION || rep.exc.TypeId() != thrift.UNKNOWN_METHOD || rep.seq != 7 || rep.name != "get_slize" {
		t.Fatalf("got %+v", rep)
	}
	pingRaw(t, nc, 8)
}

func TestWireMissingRequiredFieldIsProtocolError(t *testing.T) {
	c, _ := startAndDial(t, server.Config{})
	tc := c.Client_()
	// get with no arguments at all: key and column_path are required.
	_, err := tc.Call(ctx, "get", tg.NewCassandraDescribeVersionArgs(), tg.NewCassandraGetResult())
	e := mustAppErr(t, err, thrift.PROTOCOL_ERROR)
	// libthrift's wording, without Java's dump of the field values.
	if e.Error() != "Required field 'key' was not present! Struct: get_args" {
		t.Fatalf("message %q", e.Error())
	}
	// A required field inside a nested struct: SliceRange.count.
	_, err = tc.Call(ctx, "get_slice", &partialArgs{write: func(p thrift.TProtocol) {
		writeBinaryField(p, 1, []byte("k"))
		writeStructField(p, 2, &tg.ColumnParent{ColumnFamily: "Standard1"})
		p.WriteFieldBegin(ctx, "predicate", thrift.STRUCT, 3)
		p.WriteStructBegin(ctx, "SlicePredicate")
		p.WriteFieldBegin(ctx, "slice_range", thrift.STRUCT, 2)
		p.WriteStructBegin(ctx, "SliceRange")
		writeBinaryField(p, 1, nil)
		writeBinaryField(p, 2, nil)
		p.WriteFieldBegin(ctx, "reversed", thrift.BOOL, 3)
		p.WriteBool(ctx, false)
		p.WriteFieldEnd(ctx)
		p.WriteFieldStop(ctx)
		p.WriteStructEnd(ctx)
		p.WriteFieldEnd(ctx)
		p.WriteFieldStop(ctx)
		p.WriteStructEnd(ctx)
		p.WriteFieldEnd(ctx)
	}}, tg.NewCassandraGetSliceResult())
	e = mustAppErr(t, err, thrift.PROTOCOL_ERROR)
	if e.Error() != "Required field 'count' was not found in serialized data! Struct: SliceRange" {
		t.Fatalf("message %q", e.Error())
	}
	// The connection is still usable.
	_, err = c.DescribeClusterName(ctx)
	must(t, err)
}

func TestWireAbsentConsistencyLevelMeansOne(t *testing.T) {
	c, _ := startAndDial(t, server.Config{})
	tc := c.Client_()
	// get without its consistency_level: Cassandra's generated args
	// default it to ONE, so the call proceeds to the keyspace check.
	res := tg.NewCassandraGetResult()
	_, err := tc.Call(ctx, "get", &partialArgs{write: func(p thrift.TProtocol) {
		writeBinaryField(p, 1, []byte("k"))
		writeStructField(p, 2, &tg.ColumnPath{ColumnFamily: "Standard1", Column: []byte("c")})
	}}, res)
	must(t, err)
	if res.Ire == nil || res.Ire.Why != "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename" {
		t.Fatalf("got %+v", res)
	}
}

func TestWireOversizedFrameClosesOnlyThatConnection(t *testing.T) {
	const maxFrame = 4096
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{MaxFrameSize: maxFrame})).Embedded()
	other := rawConn(t, srv.Addr())
	pingRaw(t, other, 1)

	bad := rawConn(t, srv.Addr())
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], maxFrame+1)
	_, err := bad.Write(hdr[:])
	must(t, err)
	expectClosed(t, bad)

	// A frame of exactly the maximum is accepted: set_keyspace with a
	// name padded so the whole message is maxFrame bytes.
	exact := rawConn(t, srv.Addr())
	base := len(encodeCall(t, "set_keyspace", 3, &tg.CassandraSetKeyspaceArgs{Keyspace: ""}))
	name := strings.Repeat("k", maxFrame-base)
	msg := encodeCall(t, "set_keyspace", 3, &tg.CassandraSetKeyspaceArgs{Keyspace: name})
	if len(msg) != maxFrame {
		t.Fatalf("test bug: message is %d bytes", len(msg))
	}
	_, err = exact.Write(frame(msg))
	must(t, err)
	rep := readReply(t, exact)
	if rep.typ != thrift.REPLY || rep.seq != 3 {
		t.Fatalf("exact-size frame: got %+v", rep)
	}
	pingRaw(t, other, 2)
}

func TestWireBrokenFramesClose(t *testing.T) {
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{})).Embedded()
	cases := map[string][]byte{
		"negative frame size": {0xff, 0xff, 0xff, 0xfe},
		// An unframed strict client: 0x80010001 reads as a negative length.
		"unframed client": encodeCall(t, "describe_version", 1, tg.NewCassandraDescribeVersionArgs()),
		// A framed message without the version header (TBinaryProtocol
		// with strictWrite=false): "Missing version in readMessageBegin".
		"non-strict message": frame(nonStrictCall("describe_version", 1)),
		"bad version":        frame(append([]byte{0x80, 0x02, 0x00, 0x01}, encodeCall(t, "describe_version", 1, tg.NewCassandraDescribeVersionArgs())[4:]...)),
		"truncated header":   frame([]byte{0x80, 0x01}),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			nc := rawConn(t, srv.Addr())
			_, err := nc.Write(data)
			must(t, err)
			expectClosed(t, nc)
		})
	}
	// The server is unaffected.
	pingRaw(t, rawConn(t, srv.Addr()), 9)
}

// nonStrictCall encodes a CALL the way TBinaryProtocol(strictWrite=false)
// does: name length, name, type byte, seqid.
func nonStrictCall(name string, seq int32) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, int32(len(name)))
	b.WriteString(name)
	b.WriteByte(byte(thrift.CALL))
	binary.Write(&b, binary.BigEndian, seq)
	b.WriteByte(byte(thrift.STOP))
	return b.Bytes()
}

func TestWireHostileContainerSizeIsRejected(t *testing.T) {
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{})).Embedded()
	nc := rawConn(t, srv.Addr())
	// multiget_slice whose keys list claims 2^31-1 elements in a 40-byte
	// frame: the server must not try to allocate them.
	b := thrift.NewTMemoryBuffer()
	p := thrift.NewTBinaryProtocolConf(b, &thrift.TConfiguration{})
	p.WriteMessageBegin(ctx, "multiget_slice", thrift.CALL, 5)
	p.WriteStructBegin(ctx, "args")
	p.WriteFieldBegin(ctx, "keys", thrift.LIST, 1)
	p.WriteListBegin(ctx, thrift.STRING, 0x7fffffff)
	p.Flush(ctx)
	_, err := nc.Write(frame(b.Bytes()))
	must(t, err)
	rep := readReply(t, nc)
	if rep.typ != thrift.EXCEPTION || rep.exc.TypeId() != thrift.PROTOCOL_ERROR {
		t.Fatalf("got %+v", rep)
	}
	pingRaw(t, nc, 6)
}

func TestWirePipelinedRequestsAnsweredInOrder(t *testing.T) {
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{})).Embedded()
	nc := rawConn(t, srv.Addr())
	const n = 200
	var all []byte
	for i := int32(0); i < n; i++ {
		switch i % 3 {
		case 0:
			all = append(all, frame(encodeCall(t, "describe_version", i, tg.NewCassandraDescribeVersionArgs()))...)
		case 1:
			all = append(all, frame(encodeCall(t, "set_keyspace", i, &tg.CassandraSetKeyspaceArgs{Keyspace: fmt.Sprint("nope", i)}))...)
		case 2:
			all = append(all, frame(encodeCall(t, "bogus", i, tg.NewCassandraDescribeVersionArgs()))...)
		}
	}
	errc := make(chan error, 1)
	go func() { _, err := nc.Write(all); errc <- err }()
	for i := int32(0); i < n; i++ {
		rep := readReply(t, nc)
		if rep.seq != i {
			t.Fatalf("reply %d has seqid %d", i, rep.seq)
		}
		wantTyp := thrift.REPLY
		if i%3 == 2 {
			wantTyp = thrift.EXCEPTION
		}
		if rep.typ != wantTyp {
			t.Fatalf("reply %d: type %v", i, rep.typ)
		}
	}
	must(t, <-errc)
}

func TestWireManyConnections(t *testing.T) {
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{})).Embedded()
	const conns, calls = 32, 50
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for i := 0; i < conns; i++ {
		c := dial(t, srv.Addr())
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ks := fmt.Sprint("ks", i)
			for j := 0; j < calls; j++ {
				err := c.SetKeyspace(ctx, ks)
				var e *tg.InvalidRequestException
				if !errors.As(err, &e) || e.Why != "Keyspace '"+ks+"' does not exist" {
					errs <- fmt.Errorf("conn %d: %v", i, err)
					return
				}
				if _, err := c.DescribeClusterName(ctx); err != nil {
					errs <- err
					return
				}
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestCloseClosesClientsAndIsIdempotent(t *testing.T) {
	srv, err := server.Start(ctx, server.Config{})
	must(t, err)
	c := dial(t, srv.Addr())
	_, err = c.DescribeVersion(ctx)
	must(t, err)
	must(t, srv.Close())
	must(t, srv.Close())
	if _, err := c.DescribeVersion(ctx); err == nil {
		t.Fatal("call on a closed server succeeded")
	}
	if _, err := net.DialTimeout("tcp", srv.Addr(), time.Second); err == nil {
		t.Fatal("listener still accepting after Close")
	}
}

func TestSeveralServersInOneProcess(t *testing.T) {
	a, _ := startAndDial(t, server.Config{ClusterName: "A"})
	b, _ := startAndDial(t, server.Config{ClusterName: "B"})
	na, err := a.DescribeClusterName(ctx)
	must(t, err)
	nb, err := b.DescribeClusterName(ctx)
	must(t, err)
	if na != "A" || nb != "B" {
		t.Fatalf("cluster names %q %q", na, nb)
	}
}

func TestStartRejectsBadConfig(t *testing.T) {
	for name, cfg := range map[string]server.Config{
		"partitioner": {Partitioner: "NoSuchPartitioner"},
		"token":       {Tokens: []string{"not-a-number"}},
		"frame size":  {MaxFrameSize: -1},
	} {
		t.Run(name, func(t *testing.T) {
			srv, err := server.Start(context.Background(), cfg)
			if err == nil {
				srv.Close()
				t.Fatal("Start accepted a bad config")
			}
			var ce *server.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("want *ConfigError, got %T %v", err, err)
			}
		})
	}
}

// partialArgs writes an argument struct field by field, so a test can
// leave out what the generated client would always send.
type partialArgs struct {
	write func(p thrift.TProtocol)
}

func (a *partialArgs) Write(ctx context.Context, p thrift.TProtocol) error {
	p.WriteStructBegin(ctx, "args")
	if a.write != nil {
		a.write(p)
	}
	p.WriteFieldStop(ctx)
	return p.WriteStructEnd(ctx)
}

func (a *partialArgs) Read(context.Context, thrift.TProtocol) error { return nil }

func writeBinaryField(p thrift.TProtocol, id int16, v []byte) {
	p.WriteFieldBegin(ctx, "f", thrift.STRING, id)
	p.WriteBinary(ctx, v)
	p.WriteFieldEnd(ctx)
}

func writeI32Field(p thrift.TProtocol, id int16, v int32) {
	p.WriteFieldBegin(ctx, "f", thrift.I32, id)
	p.WriteI32(ctx, v)
	p.WriteFieldEnd(ctx)
}

func writeStructField(p thrift.TProtocol, id int16, s thrift.TStruct) {
	p.WriteFieldBegin(ctx, "f", thrift.STRUCT, id)
	s.Write(ctx, p)
	p.WriteFieldEnd(ctx)
}

// thriftProtocol and thriftString shorten partialArgs writers.
type thriftProtocol = thrift.TProtocol

const thriftString = thrift.STRING

func writeColumnList(p thrift.TProtocol, id int16, cols []*tg.Column) {
	p.WriteFieldBegin(ctx, "f", thrift.LIST, id)
	p.WriteListBegin(ctx, thrift.STRUCT, len(cols))
	for _, c := range cols {
		c.Write(ctx, p)
	}
	p.WriteListEnd(ctx)
	p.WriteFieldEnd(ctx)
}
