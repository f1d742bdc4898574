// Package thriftgen is the Go binding of Cassandra's Thrift RPC interface
// (interface version 20.1.0, Cassandra 2.2 to 3.11; wire-identical to 2.1's
// 19.39.0): the structs, exceptions and enums of the data model, the
// Cassandra service interface, its client (NewCassandraClientFactory) and its
// server-side processor (NewCassandraProcessor).
//
// Everything except this file and the tests is generated from
// cassandra.thrift by the Thrift compiler 0.17.0: run `make thriftgen` after
// editing the IDL and never edit the generated files by hand. The code needs
// github.com/apache/thrift v0.22.0 at run time.
//
// Defaults differ from Cassandra's Java code in places a server must know:
// New* constructors and nested structs decoded by Read get the IDL defaults
// (NewCfDef sets ColumnType "Standard", a KeyRange read inside an argument
// list starts with Count 100), but the generated processor decodes each
// argument list into a zero value, so an absent consistency_level is an error
// (required) or 0 (remove), never ONE. Java treats both as ONE. wire_test.go
// pins down these rules.
//
// Untrusted input: Read pre-allocates every list and map by the element count
// on the wire, which thrift checks only against TConfiguration.MaxMessageSize
// (100 MiB by default). A 9-byte message claiming a list of 100 million
// CfDefs allocates about 768 MB. A server should set a small MaxMessageSize
// (no larger than its frame limit) or check counts against the bytes left in
// the frame.
//
// Example, a client call over a framed socket:
//
//	sock := thrift.NewTSocketConf("127.0.0.1:9160", nil)
//	trans := thrift.NewTFramedTransportConf(sock, nil)
//	client := thriftgen.NewCassandraClientFactory(trans, thrift.NewTBinaryProtocolFactoryConf(nil))
//	if err := trans.Open(); err != nil {
//		return err
//	}
//	defer trans.Close()
//	version, err := client.DescribeVersion(ctx)
package thriftgen
