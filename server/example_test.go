package server_test

import (
	"context"
	"fmt"
	"log"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Start a server on an ephemeral loopback port and talk to it with the
// generated Thrift client.
func Example() {
	ctx := context.Background()
	srv, err := server.Start(ctx, server.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	cfg := &thrift.TConfiguration{}
	trans := thrift.NewTFramedTransportConf(thrift.NewTSocketConf(srv.Addr(), cfg), cfg)
	if err := trans.Open(); err != nil {
		log.Fatal(err)
	}
	defer trans.Close()
	proto := thrift.NewTBinaryProtocolConf(trans, cfg)
	client := tg.NewCassandraClient(thrift.NewTStandardClient(proto, proto))

	version, err := client.DescribeVersion(ctx)
	if err != nil {
		log.Fatal(err)
	}
	cf := tg.NewCfDef()
	cf.Keyspace, cf.Name, cf.ComparatorType = "Demo", "Users", "UTF8Type"
	if _, err := client.SystemAddKeyspace(ctx, &tg.KsDef{
		Name:            "Demo",
		StrategyClass:   "SimpleStrategy",
		StrategyOptions: map[string]string{"replication_factor": "1"},
		CfDefs:          []*tg.CfDef{cf},
	}); err != nil {
		log.Fatal(err)
	}
	if err := client.SetKeyspace(ctx, "Demo"); err != nil {
		log.Fatal(err)
	}
	ts := int64(1)
	err = client.Insert(ctx, []byte("thobbs"), &tg.ColumnParent{ColumnFamily: "Users"},
		&tg.Column{Name: []byte("name"), Value: []byte("Tyler"), Timestamp: &ts}, tg.ConsistencyLevel_ONE)
	if err != nil {
		log.Fatal(err)
	}
	got, err := client.Get(ctx, []byte("thobbs"), &tg.ColumnPath{ColumnFamily: "Users", Column: []byte("name")}, tg.ConsistencyLevel_ONE)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(version, string(got.Column.Value))
	// Output: 20.1.0 Tyler
}
