package thriftgen

// Hand-written tests (not generated). They pin down the wire facts of
// cassandra.thrift and how the generated Go code treats defaults, absent
// fields and errors, because the server and the client rely on both.

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/apache/thrift/lib/go/thrift"
)

// encode serialises s with TBinaryProtocol (what Cassandra speaks).
func encode(t testing.TB, s thrift.TStruct) []byte {
	t.Helper()
	b, err := thrift.NewTSerializer().Write(context.Background(), s)
	if err != nil {
		t.Fatalf("encode %T: %v", s, err)
	}
	return b
}

// decode deserialises b into s with TBinaryProtocol.
func decode(b []byte, s thrift.TStruct) error {
	return thrift.NewTDeserializer().Read(context.Background(), s, b)
}

// wireField is one top-level field of an encoded struct.
type wireField struct {
	id  int16
	typ thrift.TType
}

// topFields lists the top-level field ids and types in an encoded struct, in
// wire order, skipping the values.
func topFields(t *testing.T, b []byte) []wireField {
	t.Helper()
	ctx := context.Background()
	buf := thrift.NewTMemoryBuffer()
	buf.Write(b)
	p := thrift.NewTBinaryProtocolConf(buf, nil)
	if _, err := p.ReadStructBegin(ctx); err != nil {
		t.Fatal(err)
	}
	var out []wireField
	for {
		_, typ, id, err := p.ReadFieldBegin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if typ == thrift.STOP {
			return out
		}
		out = append(out, wireField{id, typ})
		if err := p.Skip(ctx, typ); err != nil {
			t.Fatal(err)
		}
	}
}

// fieldWriter builds argument structs by hand, so tests can leave out fields
// the generated Write would always emit.
type fieldWriter struct {
	buf *thrift.TMemoryBuffer
	p   *thrift.TBinaryProtocol
}

func newFieldWriter() *fieldWriter {
	buf := thrift.NewTMemoryBuffer()
	return &fieldWriter{buf: buf, p: thrift.NewTBinaryProtocolConf(buf, nil)}
}

// field writes field id of type typ, its value written by value. Write
// errors are ignored: the memory buffer does not fail.
func (w *fieldWriter) field(id int16, typ thrift.TType, value func(context.Context)) *fieldWriter {
	ctx := context.Background()
	w.p.WriteFieldBegin(ctx, "", typ, id)
	value(ctx)
	w.p.WriteFieldEnd(ctx)
	return w
}

func (w *fieldWriter) binary(id int16, v []byte) *fieldWriter {
	return w.field(id, thrift.STRING, func(ctx context.Context) { w.p.WriteBinary(ctx, v) })
}

func (w *fieldWriter) i32(id int16, v int32) *fieldWriter {
	return w.field(id, thrift.I32, func(ctx context.Context) { w.p.WriteI32(ctx, v) })
}

func (w *fieldWriter) bool(id int16, v bool) *fieldWriter {
	return w.field(id, thrift.BOOL, func(ctx context.Context) { w.p.WriteBool(ctx, v) })
}

func (w *fieldWriter) i64(id int16, v int64) *fieldWriter {
	return w.field(id, thrift.I64, func(ctx context.Context) { w.p.WriteI64(ctx, v) })
}

func (w *fieldWriter) structField(id int16, s thrift.TStruct) *fieldWriter {
	return w.field(id, thrift.STRUCT, func(ctx context.Context) { s.Write(ctx, w.p) })
}

// nested writes inner, an encoded struct (see bytes), as field id.
func (w *fieldWriter) nested(id int16, inner []byte) *fieldWriter {
	return w.field(id, thrift.STRUCT, func(context.Context) { w.buf.Write(inner) })
}

// bytes ends the struct and returns its encoding.
func (w *fieldWriter) bytes() []byte {
	w.p.WriteFieldStop(context.Background())
	return append([]byte(nil), w.buf.Bytes()...)
}

func TestVersion(t *testing.T) {
	if VERSION != "20.1.0" {
		t.Fatalf("VERSION = %q, want 20.1.0", VERSION)
	}
}

func TestEnumValues(t *testing.T) {
	tests := []struct {
		name string
		got  int64
		want int64
	}{
		{"ConsistencyLevel.ONE", int64(ConsistencyLevel_ONE), 1},
		{"ConsistencyLevel.QUORUM", int64(ConsistencyLevel_QUORUM), 2},
		{"ConsistencyLevel.LOCAL_QUORUM", int64(ConsistencyLevel_LOCAL_QUORUM), 3},
		{"ConsistencyLevel.EACH_QUORUM", int64(ConsistencyLevel_EACH_QUORUM), 4},
		{"ConsistencyLevel.ALL", int64(ConsistencyLevel_ALL), 5},
		{"ConsistencyLevel.ANY", int64(ConsistencyLevel_ANY), 6},
		{"ConsistencyLevel.TWO", int64(ConsistencyLevel_TWO), 7},
		{"ConsistencyLevel.THREE", int64(ConsistencyLevel_THREE), 8},
		{"ConsistencyLevel.SERIAL", int64(ConsistencyLevel_SERIAL), 9},
		{"ConsistencyLevel.LOCAL_SERIAL", int64(ConsistencyLevel_LOCAL_SERIAL), 10},
		{"ConsistencyLevel.LOCAL_ONE", int64(ConsistencyLevel_LOCAL_ONE), 11},
		{"IndexOperator.EQ", int64(IndexOperator_EQ), 0},
		{"IndexOperator.GTE", int64(IndexOperator_GTE), 1},
		{"IndexOperator.GT", int64(IndexOperator_GT), 2},
		{"IndexOperator.LTE", int64(IndexOperator_LTE), 3},
		{"IndexOperator.LT", int64(IndexOperator_LT), 4},
		{"IndexType.KEYS", int64(IndexType_KEYS), 0},
		{"IndexType.CUSTOM", int64(IndexType_CUSTOM), 1},
		{"IndexType.COMPOSITES", int64(IndexType_COMPOSITES), 2},
		{"Compression.GZIP", int64(Compression_GZIP), 1},
		{"Compression.NONE", int64(Compression_NONE), 2},
		{"CqlResultType.ROWS", int64(CqlResultType_ROWS), 1},
		{"CqlResultType.VOID", int64(CqlResultType_VOID), 2},
		{"CqlResultType.INT", int64(CqlResultType_INT), 3},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %d, want %d", tt.name, tt.got, tt.want)
		}
	}
}

// TestExactBytes compares whole encodings, byte for byte.
func TestExactBytes(t *testing.T) {
	tests := []struct {
		name string
		in   thrift.TStruct
		want []byte
	}{
		{
			// column_family is field 3 (ids start at 3), a STRING (11).
			name: "ColumnParent",
			in:   &ColumnParent{ColumnFamily: "cf"},
			want: []byte{11, 0, 3, 0, 0, 0, 2, 'c', 'f', 0},
		},
		{
			name: "ColumnPath with column",
			in:   &ColumnPath{ColumnFamily: "c", Column: []byte{0xAB}},
			want: []byte{11, 0, 3, 0, 0, 0, 1, 'c', 11, 0, 5, 0, 0, 0, 1, 0xAB, 0},
		},
		{
			// Required fields are always written, even at their defaults.
			name: "SliceRange defaults",
			in:   NewSliceRange(),
			want: []byte{
				11, 0, 1, 0, 0, 0, 0, // start ""
				11, 0, 2, 0, 0, 0, 0, // finish ""
				2, 0, 3, 0, // reversed false
				8, 0, 4, 0, 0, 0, 100, // count 100
				0,
			},
		},
		{
			name: "Column",
			in:   &Column{Name: []byte("n"), Value: []byte("v"), Timestamp: thrift.Int64Ptr(1), TTL: thrift.Int32Ptr(2)},
			want: []byte{
				11, 0, 1, 0, 0, 0, 1, 'n',
				11, 0, 2, 0, 0, 0, 1, 'v',
				10, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1,
				8, 0, 4, 0, 0, 0, 2,
				0,
			},
		},
		{
			name: "InvalidRequestException",
			in:   &InvalidRequestException{Why: "x"},
			want: []byte{11, 0, 1, 0, 0, 0, 1, 'x', 0},
		},
		{
			name: "NotFoundException",
			in:   NewNotFoundException(),
			want: []byte{0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := encode(t, tt.in); !bytes.Equal(got, tt.want) {
				t.Fatalf("encoding\n got % x\nwant % x", got, tt.want)
			}
		})
	}
}

// TestConstructorDefaults checks that New* constructors set the IDL
// defaults, as the Java constructors do.
func TestConstructorDefaults(t *testing.T) {
	cf := NewCfDef()
	ks := NewKsDef()
	msr := NewMultiSliceRequest()
	cas := NewCassandraCasArgs()
	tests := []struct {
		name      string
		got, want any
	}{
		{"CfDef.column_type", cf.ColumnType, "Standard"},
		{"CfDef.comparator_type", cf.ComparatorType, "BytesType"},
		{"CfDef.caching", cf.Caching, "keys_only"},
		{"CfDef.dclocal_read_repair_chance", cf.DclocalReadRepairChance, 0.0},
		{"CfDef.speculative_retry", cf.SpeculativeRetry, "NONE"},
		{"CfDef.cells_per_row_to_cache", cf.CellsPerRowToCache, "100"},
		{"CfDef.subcomparator_type unset", cf.IsSetSubcomparatorType(), false},
		{"KsDef.durable_writes", ks.DurableWrites, true},
		{"SliceRange.reversed", NewSliceRange().Reversed, false},
		{"SliceRange.count", NewSliceRange().Count, int32(100)},
		{"KeyRange.count", NewKeyRange().Count, int32(100)},
		{"IndexClause.count", NewIndexClause().Count, int32(100)},
		{"MultiSliceRequest.reversed", msr.Reversed, false},
		{"MultiSliceRequest.count", msr.Count, int32(1000)},
		{"MultiSliceRequest.consistency_level", msr.ConsistencyLevel, ConsistencyLevel_ONE},
		{"get_args.consistency_level", NewCassandraGetArgs().ConsistencyLevel, ConsistencyLevel_ONE},
		{"remove_args.consistency_level", NewCassandraRemoveArgs().ConsistencyLevel, ConsistencyLevel_ONE},
		{"batch_mutate_args.consistency_level", NewCassandraBatchMutateArgs().ConsistencyLevel, ConsistencyLevel_ONE},
		{"cas_args.serial_consistency_level", cas.SerialConsistencyLevel, ConsistencyLevel_SERIAL},
		{"cas_args.commit_consistency_level", cas.CommitConsistencyLevel, ConsistencyLevel_QUORUM},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

// TestDefaultsNotWritten documents a difference from Java: an optional field
// with an IDL default is not a pointer in Go, and Write skips it while it
// equals the default. Java writes it. Both mean the same to a reader that
// applies the defaults, but a Go client cannot send, for example, an explicit
// dclocal_read_repair_chance of 0.0.
func TestDefaultsNotWritten(t *testing.T) {
	tests := []struct {
		name string
		in   thrift.TStruct
		want []wireField
	}{
		{
			name: "CfDef at defaults",
			in:   &CfDef{Keyspace: "ks", Name: "cf", ColumnType: "Standard", ComparatorType: "BytesType", Caching: "keys_only", SpeculativeRetry: "NONE", CellsPerRowToCache: "100"},
			want: []wireField{{1, thrift.STRING}, {2, thrift.STRING}},
		},
		{
			name: "CfDef with a non-default comparator",
			in:   &CfDef{Keyspace: "ks", Name: "cf", ColumnType: "Standard", ComparatorType: "UTF8Type", Caching: "keys_only", SpeculativeRetry: "NONE", CellsPerRowToCache: "100"},
			want: []wireField{{1, thrift.STRING}, {2, thrift.STRING}, {5, thrift.STRING}},
		},
		{
			// cf_defs is required, so an empty list is still written.
			name: "KsDef at defaults",
			in:   &KsDef{Name: "ks", StrategyClass: "SimpleStrategy", DurableWrites: true, CfDefs: []*CfDef{}},
			want: []wireField{{1, thrift.STRING}, {2, thrift.STRING}, {5, thrift.LIST}},
		},
		{
			name: "KsDef durable_writes false",
			in:   &KsDef{Name: "ks", StrategyClass: "SimpleStrategy", CfDefs: []*CfDef{}},
			want: []wireField{{1, thrift.STRING}, {2, thrift.STRING}, {5, thrift.LIST}, {6, thrift.BOOL}},
		},
		{
			name: "MultiSliceRequest at defaults",
			in:   NewMultiSliceRequest(),
			want: nil,
		},
		// The trap: a struct literal holds Go zero values, which differ from
		// the IDL defaults, so Write sends them. Build these with New*.
		{
			name: "MultiSliceRequest literal sends count 0 and CL 0",
			in:   &MultiSliceRequest{},
			want: []wireField{{5, thrift.I32}, {6, thrift.I32}},
		},
		{
			name: "CfDef literal sends empty strings for defaulted fields",
			in:   &CfDef{Keyspace: "ks", Name: "cf"},
			want: []wireField{{1, thrift.STRING}, {2, thrift.STRING}, {3, thrift.STRING}, {5, thrift.STRING}, {34, thrift.STRING}, {42, thrift.STRING}, {44, thrift.STRING}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := topFields(t, encode(t, tt.in))
			if len(got) != len(tt.want) {
				t.Fatalf("fields %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("fields %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// TestAbsentFieldsOnRead documents how Read treats fields missing from the
// wire. Read never resets a struct: an absent field keeps whatever the value
// held before, so New* gives the IDL default and a literal gives Go's zero.
func TestAbsentFieldsOnRead(t *testing.T) {
	t.Run("CfDef defaults survive", func(t *testing.T) {
		b := newFieldWriter().binary(1, []byte("ks")).binary(2, []byte("cf")).bytes()
		cf := NewCfDef()
		if err := decode(b, cf); err != nil {
			t.Fatal(err)
		}
		if cf.ComparatorType != "BytesType" || cf.ColumnType != "Standard" || cf.Caching != "keys_only" {
			t.Fatalf("defaults lost: %+v", cf)
		}
		var zero CfDef
		if err := decode(b, &zero); err != nil {
			t.Fatal(err)
		}
		if zero.ComparatorType != "" {
			t.Fatalf("literal CfDef got comparator %q", zero.ComparatorType)
		}
	})

	t.Run("KsDef cf_defs is required", func(t *testing.T) {
		b := newFieldWriter().binary(1, []byte("ks")).binary(2, []byte("S")).bytes()
		err := decode(b, NewKsDef())
		var pe thrift.TProtocolException
		if !errors.As(err, &pe) || pe.TypeId() != thrift.INVALID_DATA {
			t.Fatalf("err = %v, want TProtocolException INVALID_DATA", err)
		}
		if !strings.Contains(err.Error(), "Required field CfDefs is not set") {
			t.Fatalf("err = %q", err)
		}
	})

	// Java accepts a get without consistency_level as ONE (the constructor
	// sets it and validate() only checks for null). Go's Read tracks required
	// fields itself, so the same bytes are an error even after New*.
	t.Run("get args without CL", func(t *testing.T) {
		b := newFieldWriter().binary(1, []byte("k")).structField(2, &ColumnPath{ColumnFamily: "cf"}).bytes()
		for _, args := range []*CassandraGetArgs{{}, NewCassandraGetArgs()} {
			err := decode(b, args)
			var pe thrift.TProtocolException
			if !errors.As(err, &pe) || pe.TypeId() != thrift.INVALID_DATA {
				t.Fatalf("err = %v, want TProtocolException INVALID_DATA", err)
			}
			if !strings.Contains(err.Error(), "Required field ConsistencyLevel is not set") {
				t.Fatalf("err = %q", err)
			}
		}
	})

	// Required primitives with defaults behave the same as in Java here:
	// SliceRange.count absent is an error.
	t.Run("SliceRange without count", func(t *testing.T) {
		b := newFieldWriter().binary(1, nil).binary(2, nil).bytes()
		err := decode(b, NewSliceRange())
		if err == nil || !strings.Contains(err.Error(), "Required field Reversed is not set") {
			t.Fatalf("err = %v", err)
		}
		b = newFieldWriter().binary(1, nil).binary(2, nil).bool(3, false).bytes()
		err = decode(b, NewSliceRange())
		if err == nil || !strings.Contains(err.Error(), "Required field Count is not set") {
			t.Fatalf("err = %v", err)
		}
	})

	// remove's CL has default requiredness: absent is no error, and the value
	// depends on how the args were made. The generated processor uses a
	// literal, so the handler sees 0 and must map it to ONE itself.
	t.Run("remove args without CL", func(t *testing.T) {
		b := newFieldWriter().binary(1, []byte("k")).structField(2, &ColumnPath{ColumnFamily: "cf"}).i64(3, 7).bytes()
		var lit CassandraRemoveArgs
		if err := decode(b, &lit); err != nil {
			t.Fatal(err)
		}
		if lit.ConsistencyLevel != 0 {
			t.Fatalf("literal: CL = %v, want 0", lit.ConsistencyLevel)
		}
		made := NewCassandraRemoveArgs()
		if err := decode(b, made); err != nil {
			t.Fatal(err)
		}
		if made.ConsistencyLevel != ConsistencyLevel_ONE {
			t.Fatalf("New: CL = %v, want ONE", made.ConsistencyLevel)
		}
	})

	// A nested struct is created with its defaults before Read, so a
	// MultiSliceRequest without consistency_level arrives as ONE.
	t.Run("nested MultiSliceRequest defaults", func(t *testing.T) {
		b := newFieldWriter().nested(1, newFieldWriter().binary(1, []byte("k")).bytes()).bytes()
		var args CassandraGetMultiSliceArgs
		if err := decode(b, &args); err != nil {
			t.Fatal(err)
		}
		r := args.Request
		if r.ConsistencyLevel != ConsistencyLevel_ONE || r.Count != 1000 || r.Reversed {
			t.Fatalf("request = %+v", r)
		}
	})

	// Java maps an unknown enum value to null (then "Required field ... was
	// not present"); Go keeps the raw number, so the server must check it.
	t.Run("unknown CL value is kept", func(t *testing.T) {
		b := newFieldWriter().binary(1, []byte("k")).structField(2, &ColumnPath{ColumnFamily: "cf"}).i32(3, 99).bytes()
		var args CassandraGetArgs
		if err := decode(b, &args); err != nil {
			t.Fatal(err)
		}
		if args.ConsistencyLevel != 99 || args.ConsistencyLevel.String() != "<UNSET>" {
			t.Fatalf("CL = %d (%s)", args.ConsistencyLevel, args.ConsistencyLevel)
		}
	})

	t.Run("unknown and mistyped fields are skipped", func(t *testing.T) {
		b := newFieldWriter().binary(3, []byte("cf")).i64(99, 1).i32(4, 5).bytes()
		var cp ColumnParent
		if err := decode(b, &cp); err != nil {
			t.Fatal(err)
		}
		if cp.ColumnFamily != "cf" || cp.SuperColumn != nil {
			t.Fatalf("ColumnParent = %+v", cp)
		}
	})
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   thrift.TStruct
		out  thrift.TStruct
	}{
		{"KsDef", &KsDef{Name: "ks", StrategyClass: "SimpleStrategy", StrategyOptions: map[string]string{"replication_factor": "1"}, DurableWrites: false, CfDefs: []*CfDef{{Keyspace: "ks", Name: "cf", ComparatorType: "UTF8Type", ColumnMetadata: []*ColumnDef{{Name: []byte("c"), ValidationClass: "LongType", IndexType: IndexTypePtr(IndexType_COMPOSITES)}}}}}, NewKsDef()},
		{"Mutation", &Mutation{Deletion: &Deletion{Timestamp: thrift.Int64Ptr(5), Predicate: &SlicePredicate{ColumnNames: [][]byte{[]byte("a")}}}}, NewMutation()},
		{"KeyRange", &KeyRange{StartToken: thrift.StringPtr("0"), EndToken: thrift.StringPtr("0"), RowFilter: []*IndexExpression{{ColumnName: []byte("c"), Op: IndexOperator_GTE, Value: []byte{1}}}, Count: 7}, NewKeyRange()},
		{"TimedOutException", &TimedOutException{AcknowledgedBy: thrift.Int32Ptr(-1), AcknowledgedByBatchlog: thrift.BoolPtr(true)}, NewTimedOutException()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := encode(t, tt.in)
			if err := decode(b, tt.out); err != nil {
				t.Fatal(err)
			}
			if again := encode(t, tt.out); !bytes.Equal(again, b) {
				t.Fatalf("round trip changed the encoding\n got % x\nwant % x", again, b)
			}
		})
	}
}

// stubHandler answers the few methods the processor tests call; the others
// are never reached (calling one would panic on the nil interface).
type stubHandler struct {
	Cassandra
	versionErr error
	gotCL      ConsistencyLevel
}

func (h *stubHandler) DescribeVersion(context.Context) (string, error) {
	if h.versionErr != nil {
		return "", h.versionErr
	}
	return VERSION, nil
}

func (h *stubHandler) Remove(_ context.Context, _ []byte, _ *ColumnPath, _ int64, cl ConsistencyLevel) error {
	h.gotCL = cl
	return &InvalidRequestException{Why: "no"}
}

// call runs one request through the generated processor and returns the
// reply's message type and, for EXCEPTION replies, the application error.
func call(t *testing.T, h Cassandra, method string, args []byte) (ok bool, perr error, typ thrift.TMessageType, appErr thrift.TApplicationException, rest *thrift.TBinaryProtocol) {
	t.Helper()
	ctx := context.Background()
	in := thrift.NewTMemoryBuffer()
	ip := thrift.NewTBinaryProtocolConf(in, nil)
	ip.WriteMessageBegin(ctx, method, thrift.CALL, 42)
	in.Write(args)
	ip.WriteMessageEnd(ctx)
	out := thrift.NewTMemoryBuffer()
	op := thrift.NewTBinaryProtocolConf(out, nil)

	ok, perr = NewCassandraProcessor(h).Process(ctx, ip, op)

	name, typ, seq, err := op.ReadMessageBegin(ctx)
	if err != nil {
		t.Fatalf("reading reply: %v", err)
	}
	if name != method || seq != 42 {
		t.Fatalf("reply header %q/%d, want %q/42", name, seq, method)
	}
	if typ == thrift.EXCEPTION {
		appErr = thrift.NewTApplicationException(0, "")
		if err := appErr.Read(ctx, op); err != nil {
			t.Fatal(err)
		}
	}
	return ok, perr, typ, appErr, op
}

// TestProcessor pins down the generated processor's replies, which the server
// has to adapt where they differ from Cassandra (see the comments).
func TestProcessor(t *testing.T) {
	empty := newFieldWriter().bytes()

	t.Run("success", func(t *testing.T) {
		ok, perr, typ, _, op := call(t, &stubHandler{}, "describe_version", empty)
		if !ok || perr != nil || typ != thrift.REPLY {
			t.Fatalf("ok=%v err=%v type=%v", ok, perr, typ)
		}
		var res CassandraDescribeVersionResult
		if err := res.Read(context.Background(), op); err != nil {
			t.Fatal(err)
		}
		if res.GetSuccess() != VERSION {
			t.Fatalf("success = %q", res.GetSuccess())
		}
	})

	// Cassandra says "Invalid method name: 'nope'"; the Go processor differs.
	t.Run("unknown method", func(t *testing.T) {
		ok, perr, typ, ae, _ := call(t, &stubHandler{}, "nope", newFieldWriter().i32(1, 1).bytes())
		if ok || typ != thrift.EXCEPTION || ae.TypeId() != thrift.UNKNOWN_METHOD || ae.Error() != "Unknown function nope" {
			t.Fatalf("ok=%v type=%v app=%v", ok, typ, ae)
		}
		var pae thrift.TApplicationException
		if !errors.As(perr, &pae) || pae.TypeId() != thrift.UNKNOWN_METHOD {
			t.Fatalf("returned err = %v", perr)
		}
	})

	// A missing required argument: PROTOCOL_ERROR reply, and ok=false, which
	// makes thrift's TSimpleServer close the connection (Cassandra keeps it).
	t.Run("missing required argument", func(t *testing.T) {
		ok, perr, typ, ae, _ := call(t, &stubHandler{}, "get", newFieldWriter().binary(1, []byte("k")).bytes())
		if ok || perr == nil || typ != thrift.EXCEPTION || ae.TypeId() != thrift.PROTOCOL_ERROR {
			t.Fatalf("ok=%v err=%v type=%v app=%v", ok, perr, typ, ae)
		}
		if !strings.Contains(ae.Error(), "Required field ColumnPath is not set") {
			t.Fatalf("message %q", ae.Error())
		}
	})

	// Declared exceptions go back as a REPLY with the result field set.
	t.Run("declared exception", func(t *testing.T) {
		h := &stubHandler{}
		args := newFieldWriter().binary(1, []byte("k")).structField(2, &ColumnPath{ColumnFamily: "cf"}).i64(3, 1).bytes()
		ok, _, typ, _, op := call(t, h, "remove", args)
		if !ok || typ != thrift.REPLY {
			t.Fatalf("ok=%v type=%v", ok, typ)
		}
		var res CassandraRemoveResult
		if err := res.Read(context.Background(), op); err != nil {
			t.Fatal(err)
		}
		if res.Ire == nil || res.Ire.Why != "no" {
			t.Fatalf("result = %+v", res)
		}
		// The processor decodes into a zero value: absent CL reaches the
		// handler as 0, not ONE.
		if h.gotCL != 0 {
			t.Fatalf("handler got CL %v, want 0", h.gotCL)
		}
	})

	// Any other error: INTERNAL_ERROR with the error text appended (Cassandra
	// sends only "Internal error processing <method>"); ok=true keeps the
	// connection open.
	t.Run("undeclared error", func(t *testing.T) {
		ok, _, typ, ae, _ := call(t, &stubHandler{versionErr: errors.New("boom")}, "describe_version", empty)
		if !ok || typ != thrift.EXCEPTION || ae.TypeId() != thrift.INTERNAL_ERROR || ae.Error() != "Internal error processing describe_version: boom" {
			t.Fatalf("ok=%v type=%v app=%v", ok, typ, ae)
		}
	})
}

// FuzzReadCfDef feeds arbitrary bytes to generated decoders: they must
// return an error or a value, never panic.
func FuzzReadCfDef(f *testing.F) {
	f.Add(encode(f, &CfDef{Keyspace: "ks", Name: "cf", ColumnMetadata: []*ColumnDef{{Name: []byte("c"), ValidationClass: "UTF8Type"}}}))
	f.Add(encode(f, &KsDef{Name: "ks", StrategyClass: "S", CfDefs: []*CfDef{{Keyspace: "ks", Name: "cf"}}}))
	f.Add([]byte{0})
	// The generated code pre-allocates lists and maps by the size on the wire,
	// limited only by MaxMessageSize (100 MiB by default), so a 9-byte input
	// can cost hundreds of MB. A small limit keeps the fuzzer fast; servers
	// need one too (see doc.go).
	cfg := &thrift.TConfiguration{MaxMessageSize: 1 << 12}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, s := range []thrift.TStruct{NewCfDef(), NewKsDef(), NewCassandraBatchMutateArgs(), NewCassandraGetRangeSlicesArgs()} {
			buf := thrift.NewTMemoryBuffer()
			buf.Write(b)
			_ = s.Read(ctx, thrift.NewTBinaryProtocolConf(buf, cfg))
		}
	})
}

func BenchmarkColumnOrSuperColumnRoundTrip(b *testing.B) {
	in := &KeySlice{Key: []byte("row"), Columns: make([]*ColumnOrSuperColumn, 100)}
	for i := range in.Columns {
		in.Columns[i] = &ColumnOrSuperColumn{Column: &Column{Name: []byte{byte(i)}, Value: bytes.Repeat([]byte{'v'}, 32), Timestamp: thrift.Int64Ptr(int64(i))}}
	}
	ser := thrift.NewTSerializer()
	de := thrift.NewTDeserializer()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		enc, err := ser.Write(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		var out KeySlice
		if err := de.Read(ctx, &out, enc); err != nil {
			b.Fatal(err)
		}
	}
}
