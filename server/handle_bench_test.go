package server

import (
	"context"
	"testing"

	"github.com/apache/thrift/lib/go/thrift"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// BenchmarkHandle measures the server's own cost per request (decode,
// validate, store, encode) without the network.
func BenchmarkHandle(b *testing.B) {
	srv := startTestServer(b, Config{})
	c := &conn{srv: srv}
	strict := true
	c.proto = &boundedProtocol{
		TBinaryProtocol: thrift.NewTBinaryProtocolConf(&c.t, &thrift.TConfiguration{TBinaryStrictRead: &strict, TBinaryStrictWrite: &strict}),
		t:               &c.t,
	}
	c.sess.user = AnonymousUser
	enc := func(name string, args thrift.TStruct) []byte {
		buf := thrift.NewTMemoryBuffer()
		p := thrift.NewTBinaryProtocolConf(buf, &thrift.TConfiguration{})
		p.WriteMessageBegin(context.Background(), name, thrift.CALL, 1)
		args.Write(context.Background(), p)
		p.WriteMessageEnd(context.Background())
		return buf.Bytes()
	}
	run := func(frame []byte) {
		if err := c.handle(frame); err != nil {
			b.Fatal(err)
		}
	}
	cf := tg.NewCfDef()
	cf.Keyspace, cf.Name = "B", "cf"
	run(enc("system_add_keyspace", &tg.CassandraSystemAddKeyspaceArgs{KsDef: &tg.KsDef{Name: "B", StrategyClass: "SimpleStrategy",
		StrategyOptions: map[string]string{"replication_factor": "1"}, CfDefs: []*tg.CfDef{cf}}}))
	run(enc("set_keyspace", &tg.CassandraSetKeyspaceArgs{Keyspace: "B"}))
	ts := int64(1)
	ins := tg.NewCassandraInsertArgs()
	ins.Key, ins.ColumnParent = []byte("row"), &tg.ColumnParent{ColumnFamily: "cf"}
	ins.Column = &tg.Column{Name: []byte("c"), Value: []byte("value"), Timestamp: &ts}
	insert := enc("insert", ins)
	gs := tg.NewCassandraGetSliceArgs()
	gs.Key, gs.ColumnParent = []byte("row"), &tg.ColumnParent{ColumnFamily: "cf"}
	gs.Predicate = &tg.SlicePredicate{SliceRange: &tg.SliceRange{Start: []byte{}, Finish: []byte{}, Count: 100}}
	getSlice := enc("get_slice", gs)
	b.Run("insert", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			run(insert)
		}
	})
	b.Run("get_slice", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			run(getSlice)
		}
	})
}
