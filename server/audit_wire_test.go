package server_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Audit: argument decoding rules of §2.3 and wire behaviour of §7 that
// the conformance tests leave out.

func TestAuditUnknownEnumValues(t *testing.T) {
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
	// emulator answers an IRE (Rec) and keeps the connection.
	err = c.Remove(ctx, []byte("k"), colPath("Standard1", "a"), 1, bad)
	var ire *tg.InvalidRequestException
	if !errors.As(err, &ire) {
		t.Fatalf("remove with CL 42: %v", err)
	}
	_, err = c.DescribeVersion(ctx)
	must(t, err)
}

func TestAuditSkippedFieldsAndDeprecatedCfDefFields(t *testing.T) {
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

func TestAuditSeqIDsAndInterleavedErrors(t *testing.T) {
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

func TestAuditAbsentConsistencyDefaults(t *testing.T) {
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
	// drops the connection; the emulator answers an IRE (Rec, §2.3-6).
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
