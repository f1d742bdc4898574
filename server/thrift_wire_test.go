package server_test

import (
	"bytes"
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

// The Thrift wire as libthrift 0.9.2 and Cassandra's generated code handle
// it: framing and its limits, strict binary messages, unknown methods,
// missing required fields, unknown enum values, skipped fields, defaults of
// absent arguments, sequence ids and pipelining.

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

func TestThriftWireUnknownMethodKeepsConnection(t *testing.T) {
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

func TestThriftWireUnknownMethodWithArgumentsIsSkipped(t *testing.T) {
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

func TestThriftWireMissingRequiredFieldIsProtocolError(t *testing.T) {
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

func TestThriftMissingRequiredStructFields(t *testing.T) {
	c := dtestClient(t, server.Config{})
	tc := c.Client_()
	for _, tc2 := range []struct {
		method string
		write  func(p thrift.TProtocol)
		field  string
		result thrift.TStruct
	}{
		{"system_add_keyspace", func(p thrift.TProtocol) {
			p.WriteFieldBegin(ctx, "ks_def", thrift.STRUCT, 1)
			p.WriteStructBegin(ctx, "KsDef")
			p.WriteFieldBegin(ctx, "name", thrift.STRING, 1)
			p.WriteString(ctx, "NoCfDefs")
			p.WriteFieldEnd(ctx)
			p.WriteFieldBegin(ctx, "strategy_class", thrift.STRING, 2)
			p.WriteString(ctx, simple)
			p.WriteFieldEnd(ctx)
			p.WriteFieldStop(ctx)
			p.WriteStructEnd(ctx)
			p.WriteFieldEnd(ctx)
		}, "cf_defs", tg.NewCassandraSystemAddKeyspaceResult()},
		{"system_add_column_family", func(p thrift.TProtocol) {
			p.WriteFieldBegin(ctx, "cf_def", thrift.STRUCT, 1)
			p.WriteStructBegin(ctx, "CfDef")
			p.WriteFieldBegin(ctx, "keyspace", thrift.STRING, 1)
			p.WriteString(ctx, "Keyspace1")
			p.WriteFieldEnd(ctx)
			p.WriteFieldStop(ctx)
			p.WriteStructEnd(ctx)
			p.WriteFieldEnd(ctx)
		}, "name", tg.NewCassandraSystemAddColumnFamilyResult()},
		{"get_range_slices", func(p thrift.TProtocol) {
			writeStructField(p, 1, parent("Standard1"))
			writeStructField(p, 2, names("a"))
			p.WriteFieldBegin(ctx, "range", thrift.STRUCT, 3)
			p.WriteStructBegin(ctx, "KeyRange")
			writeBinaryField(p, 1, nil)
			writeBinaryField(p, 2, nil)
			p.WriteFieldStop(ctx)
			p.WriteStructEnd(ctx)
			p.WriteFieldEnd(ctx)
		}, "count", tg.NewCassandraGetRangeSlicesResult()},
		{"insert", func(p thrift.TProtocol) {
			writeBinaryField(p, 1, []byte("k"))
			writeStructField(p, 2, parent("Standard1"))
			p.WriteFieldBegin(ctx, "column", thrift.STRUCT, 3)
			p.WriteStructBegin(ctx, "Column")
			writeBinaryField(p, 2, []byte("v"))
			p.WriteFieldStop(ctx)
			p.WriteStructEnd(ctx)
			p.WriteFieldEnd(ctx)
		}, "name", tg.NewCassandraInsertResult()},
	} {
		_, err := tc.Call(ctx, tc2.method, &partialArgs{write: tc2.write}, tc2.result)
		e := mustAppErr(t, err, thrift.PROTOCOL_ERROR)
		if !strings.HasPrefix(e.Error(), "Required field '"+tc2.field+"' was not") {
			t.Errorf("%s: %q", tc2.method, e.Error())
		}
	}
	// Nothing was created, and the connection still works.
	_, err := c.DescribeKeyspace(ctx, "NoCfDefs")
	mustNFE(t, err)
	assertNoPath(t, c, "k", colPath("Standard1", "a"))
}

func TestThriftUnknownEnumValues(t *testing.T) {
	c := dtestClient(t, server.Config{})
	const bad = tg.ConsistencyLevel(42)
	protocolErr := func(name string, err error, field string) {
		t.Helper()
		e := mustAppErr(t, err, thrift.PROTOCOL_ERROR)
		if !strings.HasPrefix(e.Error(), "Required field '"+field+"' was not present! Struct: ") {
			t.Errorf("%s: message %q", name, e.Error())
		}
		// The connection stays usable.
		_, err = c.DescribeVersion(ctx)
		must(t, err)
	}
	_, err := c.GetSlice(ctx, []byte("k"), parent("Standard1"), names("a"), bad)
	protocolErr("get_slice", err, "consistency_level")
	protocolErr("insert", c.Insert(ctx, []byte("k"), parent("Standard1"), col("a", "v", 1), 0), "consistency_level")
	protocolErr("batch_mutate", c.BatchMutate(ctx, mutationMap{}, 12), "consistency_level")
	protocolErr("add", c.Add(ctx, []byte("k"), parent("Counter1"), counterColumn("a", 1), -1), "consistency_level")
	_, err = c.Cas(ctx, []byte("k"), "Standard1", nil, []*tg.Column{col("a", "v", 1)}, 0, ONE)
	protocolErr("cas serial", err, "serial_consistency_level")
	_, err = c.Cas(ctx, []byte("k"), "Standard1", nil, []*tg.Column{col("a", "v", 1)}, tg.ConsistencyLevel_SERIAL, 99)
	protocolErr("cas commit", err, "commit_consistency_level")
	// An unknown IndexOperator in a required enum field.
	op := &tg.IndexExpression{ColumnName: []byte("birthdate"), Op: 9, Value: longBytes(1)}
	_, err = c.GetIndexedSlices(ctx, parent("Indexed1"), indexClause("", 10, op), names("a"), ONE)
	protocolErr("get_indexed_slices op", err, "op")
	kr := keyRange("", "", 10)
	kr.RowFilter = []*tg.IndexExpression{op}
	_, err = c.GetRangeSlices(ctx, parent("Indexed1"), names("a"), kr, ONE)
	protocolErr("row_filter op", err, "op")
	// Nothing was written by the refused calls.
	if res := c.bigSlice(t, "k", parent("Standard1")); len(res) != 0 {
		t.Fatalf("refused calls wrote %v", res)
	}
	// remove's CL has default requiredness: Java would hit a null; the
	// emulator answers an IRE (a deliberate deviation) and keeps the
	// connection.
	err = c.Remove(ctx, []byte("k"), colPath("Standard1", "a"), 1, bad)
	var ire *tg.InvalidRequestException
	if !errors.As(err, &ire) {
		t.Fatalf("remove with CL 42: %v", err)
	}
	_, err = c.DescribeVersion(ctx)
	must(t, err)
}

func TestThriftSkippedFieldsAndDeprecatedCfDefFields(t *testing.T) {
	c := dtestClient(t, server.Config{})
	tc := c.Client_()
	// Unknown field ids and fields of an unexpected wire type are skipped:
	// a key sent as i32 is ignored, the later binary key is used.
	res := tg.NewCassandraGetResult()
	_, err := tc.Call(ctx, "get", &partialArgs{write: func(p thrift.TProtocol) {
		writeI32Field(p, 1, 7)
		writeI32Field(p, 99, 7)
		writeBinaryField(p, 1, []byte("k"))
		writeStructField(p, 2, colPath("Standard1", "a"))
		p.WriteFieldBegin(ctx, "x", thrift.LIST, 42)
		p.WriteListBegin(ctx, thrift.STRING, 1)
		p.WriteBinary(ctx, []byte("junk"))
		p.WriteListEnd(ctx)
		p.WriteFieldEnd(ctx)
	}}, res)
	must(t, err)
	if res.Nfe == nil {
		t.Fatalf("get with skipped fields: %+v", res)
	}
	// Deprecated CfDef fields (replicate_on_write, row_cache_size,
	// memtable_throughput_in_mb, populate_io_cache_on_flush) are accepted
	// and ignored; a comment with the wrong wire type is skipped.
	ver := tg.NewCassandraSystemAddColumnFamilyResult()
	_, err = tc.Call(ctx, "system_add_column_family", &partialArgs{write: func(p thrift.TProtocol) {
		p.WriteFieldBegin(ctx, "cf_def", thrift.STRUCT, 1)
		p.WriteStructBegin(ctx, "CfDef")
		p.WriteFieldBegin(ctx, "keyspace", thrift.STRING, 1)
		p.WriteString(ctx, "Keyspace1")
		p.WriteFieldEnd(ctx)
		p.WriteFieldBegin(ctx, "name", thrift.STRING, 2)
		p.WriteString(ctx, "Old")
		p.WriteFieldEnd(ctx)
		p.WriteFieldBegin(ctx, "comment", thrift.I32, 8)
		p.WriteI32(ctx, 5)
		p.WriteFieldEnd(ctx)
		p.WriteFieldBegin(ctx, "row_cache_size", thrift.DOUBLE, 9)
		p.WriteDouble(ctx, 1000)
		p.WriteFieldEnd(ctx)
		p.WriteFieldBegin(ctx, "memtable_throughput_in_mb", thrift.I32, 22)
		p.WriteI32(ctx, 64)
		p.WriteFieldEnd(ctx)
		p.WriteFieldBegin(ctx, "replicate_on_write", thrift.BOOL, 24)
		p.WriteBool(ctx, true)
		p.WriteFieldEnd(ctx)
		p.WriteFieldBegin(ctx, "populate_io_cache_on_flush", thrift.BOOL, 38)
		p.WriteBool(ctx, true)
		p.WriteFieldEnd(ctx)
		p.WriteFieldStop(ctx)
		p.WriteStructEnd(ctx)
		p.WriteFieldEnd(ctx)
	}}, ver)
	must(t, err)
	if ver.Ire != nil || ver.GetSuccess() == "" {
		t.Fatalf("deprecated fields: %+v", ver)
	}
	d := describeCf(t, c, "Keyspace1", "Old")
	// Absent IDL defaults: Standard, BytesType, caching keys_only, NONE.
	if d.ColumnType != "Standard" || d.ComparatorType != "org.apache.cassandra.db.marshal.BytesType" || d.GetComment() != "" ||
		d.Caching != "KEYS_ONLY" || d.SpeculativeRetry != "NONE" || d.DclocalReadRepairChance != 0.1 {
		t.Fatalf("defaults from a minimal CfDef: %+v", d)
	}
	// index_interval (deprecated) seeds min_index_interval.
	ii := cfDef("Keyspace1", "Interval")
	ii.IndexInterval = i32p(256)
	_, err = c.SystemAddColumnFamily(ctx, ii)
	must(t, err)
	if got := describeCf(t, c, "Keyspace1", "Interval").GetMinIndexInterval(); got != 256 {
		t.Errorf("index_interval did not seed min_index_interval: %d", got)
	}
}

func TestThriftWireAbsentConsistencyLevelMeansOne(t *testing.T) {
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

func TestThriftAbsentConsistencyDefaults(t *testing.T) {
	// Every *_args constructor presets its CLs (ONE; cas: SERIAL and
	// QUORUM), so leaving them off the wire means those values.
	c := dtestClient(t, server.Config{})
	tc := c.Client_()
	// insert without CL: ONE, so it succeeds.
	ins := tg.NewCassandraInsertResult()
	_, err := tc.Call(ctx, "insert", &partialArgs{write: func(p thrift.TProtocol) {
		writeBinaryField(p, 1, []byte("k"))
		writeStructField(p, 2, parent("Standard1"))
		writeStructField(p, 3, col("a", "v", 1))
	}}, ins)
	must(t, err)
	if ins.Ire != nil || ins.Ue != nil {
		t.Fatalf("insert without CL: %+v", ins)
	}
	assertColumn(t, c, "Standard1", "k", "a", "v", 1)
	// remove (default requiredness) without CL.
	rm := tg.NewCassandraRemoveResult()
	_, err = tc.Call(ctx, "remove", &partialArgs{write: func(p thrift.TProtocol) {
		writeBinaryField(p, 1, []byte("k"))
		writeStructField(p, 2, colPath("Standard1", "a"))
		p.WriteFieldBegin(ctx, "timestamp", thrift.I64, 3)
		p.WriteI64(ctx, 2)
		p.WriteFieldEnd(ctx)
	}}, rm)
	must(t, err)
	if rm.Ire != nil || rm.Ue != nil {
		t.Fatalf("remove without CL: %+v", rm)
	}
	assertNoPath(t, c, "k", colPath("Standard1", "a"))
	// remove without its required longBytes timestamp is a protocol error.
	_, err = tc.Call(ctx, "remove", &partialArgs{write: func(p thrift.TProtocol) {
		writeBinaryField(p, 1, []byte("k"))
		writeStructField(p, 2, colPath("Standard1", "a"))
	}}, tg.NewCassandraRemoveResult())
	e := mustAppErr(t, err, thrift.PROTOCOL_ERROR)
	if !strings.HasPrefix(e.Error(), "Required field 'timestamp' was not found in serialized data!") {
		t.Fatalf("remove without timestamp: %q", e.Error())
	}
	// cas without either CL: SERIAL and QUORUM, both fine on RF 1.
	cr := tg.NewCassandraCasResult()
	_, err = tc.Call(ctx, "cas", &partialArgs{write: func(p thrift.TProtocol) {
		writeBinaryField(p, 1, []byte("c"))
		p.WriteFieldBegin(ctx, "column_family", thrift.STRING, 2)
		p.WriteString(ctx, "Standard1")
		p.WriteFieldEnd(ctx)
		writeColumnList(p, 3, []*tg.Column{})
		writeColumnList(p, 4, []*tg.Column{col("a", "v", 1)})
	}}, cr)
	must(t, err)
	if cr.Ire != nil || cr.Ue != nil || cr.Success == nil || !cr.Success.Success {
		t.Fatalf("cas without CLs: %+v", cr)
	}
	// A null expected (default requiredness) is an NPE in Java, which
	// drops the connection (CustomTThreadPoolServer closes it on a
	// RuntimeException); the emulator answers an IRE instead.
	cr = tg.NewCassandraCasResult()
	_, err = tc.Call(ctx, "cas", &partialArgs{write: func(p thrift.TProtocol) {
		writeBinaryField(p, 1, []byte("c"))
		p.WriteFieldBegin(ctx, "column_family", thrift.STRING, 2)
		p.WriteString(ctx, "Standard1")
		p.WriteFieldEnd(ctx)
		writeColumnList(p, 4, []*tg.Column{col("a", "v", 1)})
	}}, cr)
	must(t, err)
	if cr.Ire == nil {
		t.Fatalf("cas without expected: %+v", cr)
	}
	// batch_mutate without CL.
	bm := tg.NewCassandraBatchMutateResult()
	_, err = tc.Call(ctx, "batch_mutate", &partialArgs{write: func(p thrift.TProtocol) {
		args := tg.NewCassandraBatchMutateArgs()
		args.MutationMap = mutationMap{"b": {"Standard1": {mutCol(col("a", "v", 1))}}}
		// Write only field 1 of the generated args.
		p.WriteFieldBegin(ctx, "mutation_map", thrift.MAP, 1)
		p.WriteMapBegin(ctx, thrift.STRING, thrift.MAP, 1)
		p.WriteBinary(ctx, []byte("b"))
		p.WriteMapBegin(ctx, thrift.STRING, thrift.LIST, 1)
		p.WriteString(ctx, "Standard1")
		p.WriteListBegin(ctx, thrift.STRUCT, 1)
		args.MutationMap["b"]["Standard1"][0].Write(ctx, p)
		p.WriteListEnd(ctx)
		p.WriteMapEnd(ctx)
		p.WriteMapEnd(ctx)
		p.WriteFieldEnd(ctx)
	}}, bm)
	must(t, err)
	if bm.Ire != nil || bm.Ue != nil {
		t.Fatalf("batch_mutate without CL: %+v", bm)
	}
	assertColumn(t, c, "Standard1", "b", "a", "v", 1)
}

func TestThriftWireOversizedFrameClosesOnlyThatConnection(t *testing.T) {
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

func TestThriftWireBrokenFramesClose(t *testing.T) {
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

func TestThriftWireHostileContainerSizeIsRejected(t *testing.T) {
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

func TestThriftWirePipelinedRequestsAnsweredInOrder(t *testing.T) {
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

func TestThriftSeqIDsAndInterleavedErrors(t *testing.T) {
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{})).Embedded()
	nc := rawConn(t, srv.Addr())
	// Pipelined: a good call, an unknown method, a protocol error, a
	// declared exception, and a good call, with odd seqids. Every reply
	// comes back in order with its seqid.
	var out []byte
	out = append(out, frame(encodeCall(t, "describe_version", -5, tg.NewCassandraDescribeVersionArgs()))...)
	out = append(out, frame(encodeCall(t, "nope", 0, tg.NewCassandraDescribeVersionArgs()))...)
	out = append(out, frame(encodeCall(t, "get", 1<<30, tg.NewCassandraDescribeVersionArgs()))...)
	out = append(out, frame(encodeCall(t, "set_keyspace", 7, &tg.CassandraSetKeyspaceArgs{Keyspace: "Nope"}))...)
	out = append(out, frame(encodeCall(t, "describe_cluster_name", -1<<31, tg.NewCassandraDescribeClusterNameArgs()))...)
	_, err := nc.Write(out)
	must(t, err)
	want := []struct {
		name string
		seq  int32
		typ  thrift.TMessageType
		exc  int32
	}{
		{"describe_version", -5, thrift.REPLY, 0},
		{"nope", 0, thrift.EXCEPTION, thrift.UNKNOWN_METHOD},
		{"get", 1 << 30, thrift.EXCEPTION, thrift.PROTOCOL_ERROR},
		{"set_keyspace", 7, thrift.REPLY, 0},
		{"describe_cluster_name", -1 << 31, thrift.REPLY, 0},
	}
	for _, w := range want {
		rep := readReply(t, nc)
		if rep.name != w.name || rep.seq != w.seq || rep.typ != w.typ {
			t.Fatalf("want %+v, got %s seq %d type %d", w, rep.name, rep.seq, rep.typ)
		}
		if w.typ == thrift.EXCEPTION && rep.exc.TypeId() != w.exc {
			t.Fatalf("%s: exception type %d", w.name, rep.exc.TypeId())
		}
	}
}

func TestThriftWireManyConnections(t *testing.T) {
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
