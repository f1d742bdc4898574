package thriftgen_test

import (
	"context"
	"fmt"
	"log"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thriftgen"
)

// Talk to a Cassandra Thrift endpoint (here the embedded server) with the
// generated client: framed transport, strict binary protocol.
func Example() {
	ctx := context.Background()
	srv, err := server.Start(ctx, server.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	cfg := &thrift.TConfiguration{}
	sock := thrift.NewTSocketConf(srv.Addr(), cfg)
	trans := thrift.NewTFramedTransportConf(sock, cfg)
	if err := trans.Open(); err != nil {
		log.Fatal(err)
	}
	defer trans.Close()
	client := thriftgen.NewCassandraClientFactory(trans, thrift.NewTBinaryProtocolFactoryConf(cfg))

	version, err := client.DescribeVersion(ctx)
	if err != nil {
		log.Fatal(err)
	}
	// Build structs with the New* constructors: they carry the IDL defaults.
	ks := thriftgen.NewKsDef()
	ks.Name = "Example"
	ks.StrategyClass = "SimpleStrategy"
	ks.StrategyOptions = map[string]string{"replication_factor": "1"}
	ks.CfDefs = []*thriftgen.CfDef{}
	if _, err := client.SystemAddKeyspace(ctx, ks); err != nil {
		log.Fatal(err)
	}
	fmt.Println("API version", version, "- keyspace", ks.Name, "created")
	// Output: API version 20.1.0 - keyspace Example created
}
