package server

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	tg "github.com/cassa-go/cassa/thriftgen"
	nframe "github.com/datastax/go-cassandra-native-protocol/frame"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

// FuzzConnection feeds arbitrary bytes to a live connection handler, as a
// peer on the socket would send them: whatever arrives, the handler must
// not panic (a panic fails the fuzz run) and must return once the peer
// hangs up (no goroutine left behind).
func FuzzConnection(f *testing.F) {
	frame := func(name string, args thrift.TStruct) []byte {
		buf := thrift.NewTMemoryBuffer()
		p := thrift.NewTBinaryProtocolConf(buf, &thrift.TConfiguration{})
		p.WriteMessageBegin(context.Background(), name, thrift.CALL, 7)
		args.Write(context.Background(), p)
		p.WriteMessageEnd(context.Background())
		return binary.BigEndian.AppendUint32(nil, uint32(buf.Len())) // framed
	}
	with := func(name string, args thrift.TStruct) []byte {
		buf := thrift.NewTMemoryBuffer()
		p := thrift.NewTBinaryProtocolConf(buf, &thrift.TConfiguration{})
		p.WriteMessageBegin(context.Background(), name, thrift.CALL, 7)
		args.Write(context.Background(), p)
		p.WriteMessageEnd(context.Background())
		return append(frame(name, args), buf.Bytes()...)
	}
	ks := &tg.CassandraSystemAddKeyspaceArgs{KsDef: &tg.KsDef{Name: "fz", StrategyClass: "SimpleStrategy",
		StrategyOptions: map[string]string{"replication_factor": "1"},
		CfDefs:          []*tg.CfDef{{Keyspace: "fz", Name: "cf", ColumnType: "Standard", ComparatorType: "BytesType"}}}}
	use := &tg.CassandraSetKeyspaceArgs{Keyspace: "fz"}
	ins := tg.NewCassandraInsertArgs()
	ins.Key, ins.ColumnParent = []byte("k"), &tg.ColumnParent{ColumnFamily: "cf"}
	ts := int64(1)
	ins.Column = &tg.Column{Name: []byte("c"), Value: []byte("v"), Timestamp: &ts}
	get := tg.NewCassandraGetSliceArgs()
	get.Key, get.ColumnParent = []byte("k"), &tg.ColumnParent{ColumnFamily: "cf"}
	get.Predicate = &tg.SlicePredicate{SliceRange: &tg.SliceRange{Start: []byte{}, Finish: []byte{}, Count: 10}}
	session := append(append(append(with("system_add_keyspace", ks), with("set_keyspace", use)...), with("insert", ins)...), with("get_slice", get)...)
	f.Add(session)
	f.Add(with("describe_version", tg.NewCassandraDescribeVersionArgs()))
	f.Add(with("login", &tg.CassandraLoginArgs{AuthRequest: &tg.AuthenticationRequest{Credentials: map[string]string{"a": "b"}}}))
	f.Add([]byte{0, 0, 0, 4, 0x80, 0x01, 0x00, 0x01})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Add([]byte("GET / HTTP/1.1\r\n\r\n"))

	srv := startTestServer(f, Config{MaxFrameSize: 1 << 20})
	f.Fuzz(func(t *testing.T, data []byte) {
		peer, end := net.Pipe()
		done := make(chan struct{})
		go func() {
			defer close(done)
			srv.serveConn(end)
			end.Close()
		}()
		go io.Copy(io.Discard, peer) // replies
		peer.SetWriteDeadline(time.Now().Add(5 * time.Second))
		peer.Write(data) // may stop early: the server hangs up on bad frames
		peer.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("connection handler still running after the peer hung up")
		}
	})
}

// panicWatch is a log handler that remembers whether the native layer
// reported a panic: it answers a panicking request with a ServerError
// instead of crashing, so the fuzz target looks for the report.
type panicWatch struct{ seen atomic.Pointer[string] }

func (p *panicWatch) Enabled(context.Context, slog.Level) bool { return true }
func (p *panicWatch) WithAttrs([]slog.Attr) slog.Handler       { return p }
func (p *panicWatch) WithGroup(string) slog.Handler            { return p }
func (p *panicWatch) Handle(_ context.Context, r slog.Record) error {
	if strings.Contains(r.Message, "panicked") {
		var b strings.Builder
		b.WriteString(r.Message)
		r.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&b, " %s=%v", a.Key, a.Value); return true })
		s := b.String()
		p.seen.CompareAndSwap(nil, &s)
	}
	return nil
}

// FuzzCQLConnection feeds arbitrary bytes to a native-protocol connection
// of a real server (the CQL executor, cqlquery, the schema and the store
// behind it), as a peer on the socket would send them: nothing may panic,
// and the connection must end once the peer hangs up. Schema and data
// accumulate across inputs, as on a live node.
func FuzzCQLConnection(f *testing.F) {
	codec := nframe.NewCodec()
	frames := func(msgs ...message.Message) []byte {
		var buf bytes.Buffer
		for i, m := range msgs {
			if err := codec.EncodeFrame(nframe.NewFrame(primitive.ProtocolVersion4, int16(i), m), &buf); err != nil {
				f.Fatal(err)
			}
		}
		return buf.Bytes()
	}
	one := primitive.ConsistencyLevelOne
	q := func(s string, vals ...[]byte) *message.Query {
		o := &message.QueryOptions{Consistency: one}
		for _, v := range vals {
			o.PositionalValues = append(o.PositionalValues, primitive.NewValue(v))
		}
		return &message.Query{Query: s, Options: o}
	}
	startup := &message.Startup{Options: map[string]string{"CQL_VERSION": "3.0.0"}}
	insert := "INSERT INTO fz.t (k, c, v) VALUES (?, ?, ?)"
	id := md5.Sum([]byte(insert))
	ts := int64(5)
	f.Add(frames(startup,
		q("CREATE KEYSPACE IF NOT EXISTS fz WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"),
		q("CREATE TABLE IF NOT EXISTS fz.t (k int, c text, v blob, s int static, PRIMARY KEY (k, c))"),
		q(insert, []byte{0, 0, 0, 1}, []byte("a"), []byte{1}),
		&message.Prepare{Query: insert},
		&message.Execute{QueryId: id[:], Options: &message.QueryOptions{Consistency: one, DefaultTimestamp: &ts,
			PositionalValues: []*primitive.Value{primitive.NewValue([]byte{0, 0, 0, 2}), primitive.NewUnsetValue(), primitive.NewNullValue()}}},
		&message.Batch{Type: primitive.BatchTypeLogged, Consistency: one, Children: []*message.BatchChild{
			{Id: id[:], Values: []*primitive.Value{primitive.NewValue([]byte{0, 0, 0, 3}), primitive.NewValue([]byte("b")), primitive.NewValue(nil)}},
			{Query: "UPDATE fz.t SET s = 1 WHERE k = 3"}}},
		&message.Query{Query: "SELECT * FROM fz.t WHERE k IN (1, 2, 3) AND c > ?", Options: &message.QueryOptions{Consistency: one,
			PageSize: 1, PositionalValues: []*primitive.Value{primitive.NewValue([]byte(""))}}},
		q("SELECT k, count(*), writetime(v), token(k) FROM fz.t PER PARTITION LIMIT 2 LIMIT 3"),
		q("DELETE FROM fz.t WHERE k = 1 AND c >= 'a'"),
		&message.Query{Query: "SELECT * FROM fz.t", Options: &message.QueryOptions{Consistency: one, PageSize: 2, PagingState: []byte{0, 4, 0, 0, 0, 1, 0, 0}}},
		q("SELECT * FROM system_schema.columns WHERE keyspace_name = 'fz'"),
	))
	f.Add(frames(startup, &message.Register{EventTypes: []primitive.EventType{primitive.EventTypeSchemaChange}},
		q("ALTER TABLE fz.t ADD w int"), &message.Execute{QueryId: id[:], Options: &message.QueryOptions{Consistency: one}}))
	f.Add(frames(&message.Options{}, startup, q("USE fz"), q("SELECT * FROM t WHERE v = 0x01 ALLOW FILTERING")))
	f.Add([]byte{4, 0, 0, 1, 7, 0, 0, 0, 4, 0, 0, 0, 0})

	watch := &panicWatch{}
	srv := startTestServer(f, Config{Logger: slog.New(watch)})
	f.Fuzz(func(t *testing.T, data []byte) {
		peer, end := net.Pipe()
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = srv.cql.srv.Serve(context.Background(), end)
		}()
		go io.Copy(io.Discard, peer)
		peer.SetWriteDeadline(time.Now().Add(5 * time.Second))
		peer.Write(data)
		peer.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("connection still served after the peer hung up")
		}
		if p := watch.seen.Load(); p != nil {
			t.Fatalf("panic: %s", *p)
		}
	})
}
