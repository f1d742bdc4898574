package native

import (
	"context"
	"fmt"
	"net"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/datastax/go-cassandra-native-protocol/datatype"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

// answers is every answer a backend may give, keyed by the query text that
// asks for it.
func answers() map[string]message.Message {
	cl := primitive.ConsistencyLevelQuorum
	cols := []*message.ColumnMetadata{
		{Keyspace: "ks", Table: "t", Name: "k", Type: datatype.Int},
		{Keyspace: "ks", Table: "t", Name: "v", Type: datatype.Varchar},
	}
	return map[string]message.Message{
		"void":          &message.VoidResult{},
		"rows":          &message.RowsResult{Metadata: &message.RowsMetadata{ColumnCount: 2, Columns: cols, PagingState: []byte{1, 2}}, Data: message.RowSet{{{0, 0, 0, 1}, []byte("a")}, {{0, 0, 0, 2}, nil}}},
		"set_keyspace":  &message.SetKeyspaceResult{Keyspace: "Ks"},
		"prepared":      &message.PreparedResult{PreparedQueryId: []byte{9, 9}, VariablesMetadata: &message.VariablesMetadata{PkIndices: []uint16{0}, Columns: cols[:1]}, ResultMetadata: &message.RowsMetadata{ColumnCount: 2, Columns: cols}},
		"schema_change": &message.SchemaChangeResult{ChangeType: primitive.SchemaChangeTypeCreated, Target: primitive.SchemaChangeTargetTable, Keyspace: "ks", Object: "t"},
		"function":      &message.SchemaChangeResult{ChangeType: primitive.SchemaChangeTypeCreated, Target: primitive.SchemaChangeTargetFunction, Keyspace: "ks", Object: "f", Arguments: []string{"int", "frozen<list<text>>"}},
		"server":        &message.ServerError{ErrorMessage: "java.lang.RuntimeException: boom"},
		"protocol":      &message.ProtocolError{ErrorMessage: "Invalid value for the paging state"},
		"bad_creds":     &message.AuthenticationError{ErrorMessage: "x"},
		"unavailable":   &message.Unavailable{ErrorMessage: "Cannot achieve consistency level QUORUM", Consistency: cl, Required: 2, Alive: 1},
		"overloaded":    &message.Overloaded{ErrorMessage: "overloaded"},
		"bootstrapping": &message.IsBootstrapping{ErrorMessage: "bootstrapping"},
		"truncate":      &message.TruncateError{ErrorMessage: "truncate"},
		"write_timeout": &message.WriteTimeout{ErrorMessage: "Operation timed out - received only 0 responses.", Consistency: cl, Received: 0, BlockFor: 2, WriteType: primitive.WriteTypeSimple},
		"read_timeout":  &message.ReadTimeout{ErrorMessage: "Operation timed out - received only 1 responses.", Consistency: cl, Received: 1, BlockFor: 2, DataPresent: true},
		"read_failure":  &message.ReadFailure{ErrorMessage: "rf", Consistency: cl, Received: 1, BlockFor: 2, NumFailures: 1, DataPresent: false},
		"function_fail": &message.FunctionFailure{ErrorMessage: "ff", Keyspace: "ks", Function: "f", Arguments: []string{"int"}},
		"write_failure": &message.WriteFailure{ErrorMessage: "wf", Consistency: cl, Received: 0, BlockFor: 1, NumFailures: 1, WriteType: primitive.WriteTypeBatch},
		"syntax":        &message.SyntaxError{ErrorMessage: "line 1:0 no viable alternative at input 'x'"},
		"unauthorized":  &message.Unauthorized{ErrorMessage: "system keyspace is not user-modifiable."},
		"invalid":       &message.Invalid{ErrorMessage: "unconfigured table t"},
		"config":        &message.ConfigError{ErrorMessage: "Cannot drop non existing keyspace 'x'."},
		"exists":        &message.AlreadyExists{ErrorMessage: "Cannot add existing keyspace \"ks\"", Keyspace: "ks"},
		"unprepared":    &message.Unprepared{ErrorMessage: "Prepared query with ID 0909 not found", Id: []byte{9, 9}},
	}
}

func answerBackend() *funcBackend {
	all := answers()
	return &funcBackend{query: func(_ context.Context, _ *Session, q *message.Query) Response {
		return Reply(all[q.Query])
	}}
}

// Every RESULT kind and ERROR code goes through as v4 writes it; v3 gets
// 3.11's rewrites (ErrorMessage.getBackwardsCompatibleException,
// Event.SchemaChange.serializeEvent).
func TestEveryAnswer(t *testing.T) {
	_, addr := startServer(t, Config{Backend: answerBackend()})
	c4 := dial(t, addr)
	c4.startup(4, nil)
	c3 := dial(t, addr)
	c3.startup(3, nil)
	all := answers()
	v3 := map[string]message.Message{
		"function":      &message.SchemaChangeResult{ChangeType: primitive.SchemaChangeTypeUpdated, Target: primitive.SchemaChangeTargetKeyspace, Keyspace: "ks"},
		"read_failure":  &message.ReadTimeout{ErrorMessage: "Operation timed out - received only 1 responses.", Consistency: primitive.ConsistencyLevelQuorum, Received: 1, BlockFor: 2},
		"write_failure": &message.WriteTimeout{ErrorMessage: "Operation timed out - received only 0 responses.", Consistency: primitive.ConsistencyLevelQuorum, BlockFor: 1, WriteType: primitive.WriteTypeBatch},
		"function_fail": &message.Invalid{ErrorMessage: "ERROR FUNCTION_FAILURE: ff"},
	}
	i := int16(1)
	for name, want := range all {
		i++
		got := c4.roundTrip(4, i, query(name))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("v4 %s: got %v, want %v", name, got, want)
		}
		if w, ok := v3[name]; ok {
			want = w
		}
		if name == "prepared" {
			continue // the v3 Prepared layout has no pk indices
		}
		got = c3.roundTrip(3, i, query(name))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("v3 %s: got %v, want %v", name, got, want)
		}
	}
	got := c3.roundTrip(3, 1, query("prepared")).(*message.PreparedResult)
	if got.VariablesMetadata.PkIndices != nil || len(got.VariablesMetadata.Columns) != 1 {
		t.Errorf("v3 prepared: %v", got)
	}
}

// A backend that panics, answers nothing or answers a request message
// fails only its own request.
func TestBackendFailures(t *testing.T) {
	_, addr := startServer(t, Config{Backend: &funcBackend{query: func(_ context.Context, _ *Session, q *message.Query) Response {
		switch q.Query {
		case "panic":
			panic("backend bug")
		case "nil":
			return Response{}
		case "request":
			return Reply(&message.Options{})
		case "unencodable":
			return Reply(&message.RowsResult{Metadata: &message.RowsMetadata{ColumnCount: 1, Columns: []*message.ColumnMetadata{{Name: "x"}}}, Data: message.RowSet{{nil}}})
		}
		return Reply(&message.VoidResult{})
	}}})
	c := dial(t, addr)
	c.startup(4, nil)
	expectError(t, c.roundTrip(4, 2, query("panic")), serverErrCode, "backend bug")
	if e, ok := c.roundTrip(4, 3, query("nil")).(*message.ServerError); !ok {
		t.Fatalf("nil answer: %v", e)
	}
	if e, ok := c.roundTrip(4, 4, query("request")).(*message.ServerError); !ok {
		t.Fatalf("OPTIONS as an answer: %v", e)
	}
	if e, ok := c.roundTrip(4, 5, query("unencodable")).(*message.ServerError); !ok {
		t.Fatalf("unencodable answer: %v", e)
	}
	c.roundTrip(4, 6, query("fine"))
}

// A Drop answer closes the connection unanswered; other connections are
// served.
func TestBackendDrop(t *testing.T) {
	_, addr := startServer(t, Config{Backend: &funcBackend{query: func(_ context.Context, _ *Session, q *message.Query) Response {
		if q.Query == "drop" {
			return Response{Drop: true, Message: &message.VoidResult{}}
		}
		return Reply(&message.VoidResult{})
	}}})
	c := dial(t, addr)
	c.startup(4, nil)
	c.sendMsg(4, 2, query("drop"))
	if f, err := c.readFrame(); err == nil {
		t.Fatalf("dropped request answered: %+v", f.h)
	}
	other := dial(t, addr)
	other.startup(4, nil)
	if _, ok := other.roundTrip(4, 2, query("fine")).(*message.VoidResult); !ok {
		t.Error("another connection not served")
	}
}

// Skip_metadata drops the column specs of Rows answers (QueryMessage and
// ExecuteMessage.execute); a SetKeyspace answer changes the session's
// keyspace.
func TestSkipMetadataAndKeyspace(t *testing.T) {
	keyspaces := make(chan string, 4)
	b := answerBackend()
	b.execute = func(_ context.Context, s *Session, _ *message.Execute) Response {
		keyspaces <- s.Keyspace()
		return Reply(answers()["rows"])
	}
	_, addr := startServer(t, Config{Backend: b})
	c := dial(t, addr)
	c.startup(4, nil)
	q := query("rows")
	q.Options.SkipMetadata = true
	got := c.roundTrip(4, 2, q).(*message.RowsResult)
	if got.Metadata.Columns != nil || got.Metadata.ColumnCount != 2 || string(got.Metadata.PagingState) != "\x01\x02" || len(got.Data) != 2 {
		t.Fatalf("skip metadata: %+v", got.Metadata)
	}
	if r := answers()["rows"].(*message.RowsResult); r.Metadata.Columns == nil {
		t.Fatal("backend's message modified")
	}
	c.roundTrip(4, 3, query("set_keyspace"))
	e := &message.Execute{QueryId: []byte{1}, Options: &message.QueryOptions{SkipMetadata: true}}
	got = c.roundTrip(4, 4, e).(*message.RowsResult)
	if got.Metadata.Columns != nil {
		t.Fatal("EXECUTE with skip metadata got column specs")
	}
	if ks := <-keyspaces; ks != "Ks" {
		t.Fatalf("session keyspace %q after USE", ks)
	}
}

// The options a backend sees mean what 3.11's QueryOptions mean.
func TestOptionsGivenToBackend(t *testing.T) {
	seen := make(chan *message.QueryOptions, 8)
	_, addr := startServer(t, Config{Backend: &funcBackend{
		query: func(_ context.Context, _ *Session, q *message.Query) Response {
			seen <- q.Options
			return Reply(&message.VoidResult{})
		},
		execute: func(_ context.Context, _ *Session, e *message.Execute) Response {
			seen <- e.Options
			return Reply(&message.VoidResult{})
		},
	}})
	c := dial(t, addr)
	c.startup(4, nil)
	c.roundTrip(4, 1, query("SELECT 1"))
	if o := <-seen; o.PageSize != -1 {
		t.Fatalf("no page size: %d", o.PageSize)
	}
	q := query("SELECT 1")
	q.Options.PageSize = 5000
	q.Options.PositionalValues = []*primitive.Value{primitive.NewValue([]byte{1}), primitive.NewNullValue(), primitive.NewUnsetValue()}
	c.roundTrip(4, 2, q)
	if o := <-seen; o.PageSize != 5000 || len(o.PositionalValues) != 3 || o.PositionalValues[2].Type != primitive.ValueTypeUnset {
		t.Fatalf("options %v", o)
	}
	// Bit 0x80 means nothing to a v4 decoder (the library would read a v5
	// keyspace).
	body := append(encodeBody(t, 4, query("SELECT 1"))[:14], 0x80|qfPageSize, 0, 0, 0, 9)
	c.send(4, 0, 7, 0x07, body)
	if m, _ := decodeResponse(t, c.mustFrame()); m.GetOpCode() != primitive.OpCodeResult {
		t.Fatalf("flag 0x80: %v", m)
	}
	if o := <-seen; o.PageSize != 9 || o.Keyspace != "" {
		t.Fatalf("flag 0x80: options %v", o)
	}
	// EXECUTE with page size 0 reaches the backend, which answers
	// Unprepared first (ExecuteMessage.execute).
	body = append([]byte{0, 1, 7, 0, 1, qfPageSize}, 0, 0, 0, 0)
	c.send(4, 0, 3, 0x0A, body)
	c.mustFrame()
	if o := <-seen; o.PageSize != 0 {
		t.Fatalf("EXECUTE page size %d", o.PageSize)
	}
	// v3: any negative value length is null.
	c3 := dial(t, addr)
	c3.startup(3, nil)
	body = append(encodeBody(t, 3, &message.Query{Query: "x", Options: &message.QueryOptions{}})[:7], qfValues, 0, 2, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0x80)
	c3.send(3, 0, 4, 0x07, body)
	if m, _ := decodeResponse(t, c3.mustFrame()); m.GetOpCode() != primitive.OpCodeResult {
		t.Fatalf("v3 negative lengths: %v", m)
	}
	if o := <-seen; len(o.PositionalValues) != 2 || o.PositionalValues[0].Type != primitive.ValueTypeNull || o.PositionalValues[1].Type != primitive.ValueTypeNull {
		t.Fatalf("v3 values %v", o.PositionalValues)
	}
}

// Types a version does not know go out as Custom (DataType.fromType).
func TestTypesForVersion(t *testing.T) {
	udt := &datatype.UserDefined{Keyspace: "ks", Name: "u", FieldNames: []string{"a", "b"}, FieldTypes: []datatype.DataType{datatype.Int, datatype.Date}}
	in := &message.RowsResult{Metadata: &message.RowsMetadata{ColumnCount: 4, Columns: []*message.ColumnMetadata{
		{Name: "a", Type: datatype.Duration},
		{Name: "b", Type: datatype.NewList(datatype.Smallint)},
		{Name: "c", Type: datatype.NewMap(datatype.Varchar, datatype.NewTuple(datatype.Time, datatype.Tinyint))},
		{Name: "d", Type: udt},
	}}}
	custom := func(c string) datatype.DataType { return datatype.NewCustom("org.apache.cassandra.db.marshal." + c) }
	v4 := forVersion(in, 4).(*message.RowsResult).Metadata.Columns
	if !reflect.DeepEqual(v4[0].Type, custom("DurationType")) || v4[1] != in.Metadata.Columns[1] || v4[3] != in.Metadata.Columns[3] {
		t.Fatalf("v4: %v", v4)
	}
	v3 := forVersion(in, 3).(*message.RowsResult).Metadata.Columns
	want := []datatype.DataType{
		custom("DurationType"),
		datatype.NewList(custom("ShortType")),
		datatype.NewMap(datatype.Varchar, datatype.NewTuple(custom("TimeType"), custom("ByteType"))),
		&datatype.UserDefined{Keyspace: "ks", Name: "u", FieldNames: []string{"a", "b"}, FieldTypes: []datatype.DataType{datatype.Int, custom("SimpleDateType")}},
	}
	for i, w := range want {
		if !reflect.DeepEqual(v3[i].Type, w) {
			t.Errorf("v3 column %d: %v, want %v", i, v3[i].Type, w)
		}
	}
	if in.Metadata.Columns[0].Type != datatype.Duration || udt.FieldTypes[1] != datatype.Date {
		t.Fatal("input modified")
	}
	same := &message.RowsResult{Metadata: &message.RowsMetadata{ColumnCount: 1, Columns: []*message.ColumnMetadata{{Name: "a", Type: datatype.Int}}}}
	if forVersion(same, 3) != same {
		t.Fatal("copied a message that needed no change")
	}
	p := forVersion(&message.PreparedResult{PreparedQueryId: []byte{1}}, 4).(*message.PreparedResult)
	if p.ResultMetadata == nil || p.ResultMetadata.Columns != nil {
		t.Fatal("prepared result without result metadata")
	}
}

// Requests of one connection run concurrently and are answered as they
// finish, each on its own stream.
func TestOutOfOrder(t *testing.T) {
	release := make(chan struct{})
	_, addr := startServer(t, Config{Backend: &funcBackend{query: func(_ context.Context, _ *Session, q *message.Query) Response {
		if q.Query == "slow" {
			<-release
		}
		return Reply(&message.SetKeyspaceResult{Keyspace: q.Query})
	}}})
	c := dial(t, addr)
	c.startup(4, nil)
	c.sendMsg(4, 1, query("slow"))
	for i := int16(2); i <= 20; i++ {
		c.sendMsg(4, i, query(fmt.Sprint("fast", i)))
	}
	seen := map[int16]bool{}
	for range 19 {
		f := c.mustFrame()
		m, _ := decodeResponse(t, f)
		if f.h.stream == 1 || m.(*message.SetKeyspaceResult).Keyspace != fmt.Sprint("fast", f.h.stream) {
			t.Fatalf("stream %d answered %v", f.h.stream, m)
		}
		seen[f.h.stream] = true
	}
	close(release)
	f := c.mustFrame()
	if m, _ := decodeResponse(t, f); f.h.stream != 1 || m.(*message.SetKeyspaceResult).Keyspace != "slow" {
		t.Fatalf("last answer on stream %d", f.h.stream)
	}
	if len(seen) != 19 {
		t.Fatalf("%d distinct streams", len(seen))
	}
}

// Past MaxConcurrentRequests the connection waits, or answers Overloaded
// when the client asked for THROW_ON_OVERLOAD.
func TestConcurrencyLimit(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	running, peak := 0, 0
	_, addr := startServer(t, Config{MaxConcurrentRequests: 2, Backend: &funcBackend{query: func(_ context.Context, _ *Session, q *message.Query) Response {
		mu.Lock()
		running++
		peak = max(peak, running)
		mu.Unlock()
		if q.Query == "block" {
			<-release
		}
		mu.Lock()
		running--
		mu.Unlock()
		return Reply(&message.VoidResult{})
	}}})
	c := dial(t, addr)
	c.startup(4, map[string]string{"CQL_VERSION": "3.0.0", "THROW_ON_OVERLOAD": "1"})
	c.sendMsg(4, 1, query("block"))
	c.sendMsg(4, 2, query("block"))
	got := c.roundTrip(4, 3, query("more"))
	expectError(t, got, primitive.ErrorCodeOverloaded, "Server is in overloaded state. Cannot accept more requests at this point")

	w := dial(t, addr)
	w.startup(4, nil)
	for i := int16(1); i <= 5; i++ {
		w.sendMsg(4, i, query("block"))
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	for range 7 {
		f, err := w.readFrame()
		if err != nil {
			break
		}
		if m, _ := decodeResponse(t, f); m.GetOpCode() != primitive.OpCodeResult {
			t.Fatalf("stream %d answered %v", f.h.stream, m)
		}
		if f.h.stream == 5 {
			break
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if peak > 4 {
		t.Fatalf("%d requests ran at once over two connections of limit 2", peak)
	}
}

// Events go to the connections that registered for their type, on stream
// -1, in each connection's version.
func TestEvents(t *testing.T) {
	srv, addr := startServer(t, Config{})
	c4 := dial(t, addr)
	c4.startup(4, nil)
	if _, ok := c4.roundTrip(4, 2, &message.Register{EventTypes: []primitive.EventType{EventSchemaChange, EventStatusChange}}).(*message.Ready); !ok {
		t.Fatal("REGISTER")
	}
	c3 := dial(t, addr)
	c3.startup(3, nil)
	c3.roundTrip(3, 2, &message.Register{EventTypes: []primitive.EventType{EventSchemaChange}})
	quiet := dial(t, addr)
	quiet.startup(4, nil)
	quiet.roundTrip(4, 2, &message.Register{EventTypes: []primitive.EventType{EventTopologyChange}})

	fn := &message.SchemaChangeEvent{ChangeType: primitive.SchemaChangeTypeCreated, Target: primitive.SchemaChangeTargetFunction, Keyspace: "ks", Object: "f", Arguments: []string{"int", "text"}}
	table := &message.SchemaChangeEvent{ChangeType: primitive.SchemaChangeTypeDropped, Target: primitive.SchemaChangeTargetTable, Keyspace: "ks", Object: "t"}
	srv.Publish(fn)
	srv.Publish(table)
	srv.Publish(&message.StatusChangeEvent{ChangeType: primitive.StatusChangeTypeUp, Address: &primitive.Inet{Addr: net.IPv4(127, 0, 0, 2), Port: 9042}})

	expect := func(c *rawClient, want message.Message) {
		t.Helper()
		f := c.mustFrame()
		if f.h.stream != -1 || f.h.opcode != 0x0C {
			t.Fatalf("event frame stream %d opcode %#x", f.h.stream, f.h.opcode)
		}
		got, _ := decodeResponse(t, f)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("event %v, want %v", got, want)
		}
	}
	expect(c4, fn)
	expect(c4, table)
	if m, _ := decodeResponse(t, c4.mustFrame()); m.(*message.StatusChangeEvent).ChangeType != primitive.StatusChangeTypeUp {
		t.Fatalf("status event %v", m)
	}
	expect(c3, &message.SchemaChangeEvent{ChangeType: primitive.SchemaChangeTypeUpdated, Target: primitive.SchemaChangeTargetKeyspace, Keyspace: "ks"})
	expect(c3, table)
	// The exact v4 bytes of the TABLE event.
	quiet.roundTrip(4, 3, &message.Options{})
	_ = quiet.nc.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if f, err := quiet.readFrame(); err == nil {
		t.Fatalf("unregistered connection got %v", f.h)
	}
}

func TestSchemaChangeEventBytes(t *testing.T) {
	buf, err := encodeFrame(4, &reply{stream: -1, msg: &message.SchemaChangeEvent{ChangeType: primitive.SchemaChangeTypeCreated, Target: primitive.SchemaChangeTargetTable, Keyspace: "shop", Object: "orders"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "8400ffff0c0000002d" + "000d" + fmt.Sprintf("%x", "SCHEMA_CHANGE") + "0007" + fmt.Sprintf("%x", "CREATED") +
		"0005" + fmt.Sprintf("%x", "TABLE") + "0004" + fmt.Sprintf("%x", "shop") + "0006" + fmt.Sprintf("%x", "orders")
	if got := fmt.Sprintf("%x", buf.Bytes()); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestIdleTimeout(t *testing.T) {
	release := make(chan struct{})
	_, addr := startServer(t, Config{IdleTimeout: 100 * time.Millisecond, Backend: &funcBackend{query: func(context.Context, *Session, *message.Query) Response {
		<-release
		return Reply(&message.VoidResult{})
	}}})
	c := dial(t, addr)
	c.startup(4, nil)
	// A request running past the timeout keeps the connection.
	c.sendMsg(4, 2, query("slow"))
	time.Sleep(300 * time.Millisecond)
	close(release)
	if f := c.mustFrame(); f.h.stream != 2 {
		t.Fatalf("stream %d", f.h.stream)
	}
	// Then silence closes it.
	start := time.Now()
	c.expectClosed()
	if time.Since(start) > 5*time.Second {
		t.Fatal("idle connection kept")
	}
}

func TestServerClose(t *testing.T) {
	srv, addr := startServer(t, Config{})
	c := dial(t, addr)
	c.startup(4, nil)
	for srv.Connections() != 1 {
		time.Sleep(time.Millisecond)
	}
	srv.Close()
	c.expectClosed()
	a, b := net.Pipe()
	defer b.Close()
	if err := srv.Serve(context.Background(), a); err != ErrServerClosed {
		t.Fatalf("Serve after Close: %v", err)
	}
	if _, err := NewServer(Config{}); err != ErrNoBackend {
		t.Fatalf("NewServer without backend: %v", err)
	}
}

// Serve returns when its context ends.
func TestServeContext(t *testing.T) {
	srv, err := NewServer(Config{Backend: &funcBackend{}})
	if err != nil {
		t.Fatal(err)
	}
	a, b := net.Pipe()
	defer b.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- srv.Serve(ctx, a) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
}

// A client that stops sending still gets the answers to what it asked.
func TestAnswersAfterHalfClose(t *testing.T) {
	release := make(chan struct{})
	_, addr := startServer(t, Config{Backend: &funcBackend{query: func(context.Context, *Session, *message.Query) Response {
		<-release
		return Reply(&message.VoidResult{})
	}}})
	c := dial(t, addr)
	c.startup(4, nil)
	c.sendMsg(4, 2, query("slow"))
	if err := c.nc.(*net.TCPConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	if f := c.mustFrame(); f.h.stream != 2 {
		t.Fatalf("stream %d", f.h.stream)
	}
	c.expectClosed()
}

// A connection whose events pile up is closed rather than holding up the
// publisher.
func TestEventBacklogClosesConnection(t *testing.T) {
	srv, err := NewServer(Config{Backend: &funcBackend{}})
	if err != nil {
		t.Fatal(err)
	}
	c := newConn(srv, nopConn{})
	c.events = make(chan message.Event, 1)
	ev := &message.SchemaChangeEvent{ChangeType: primitive.SchemaChangeTypeCreated, Target: primitive.SchemaChangeTargetKeyspace, Keyspace: "ks"}
	c.pushEvent(ev)
	if c.ctx.Err() != nil {
		t.Fatal("closed with room left")
	}
	c.pushEvent(ev)
	if c.ctx.Err() == nil {
		t.Fatal("not closed with a full event queue")
	}
}
