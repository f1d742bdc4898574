package server

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	tg "github.com/cassa-go/cassa/thriftgen"
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
