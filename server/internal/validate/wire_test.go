package validate

import (
	"context"
	"testing"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/thriftgen"
)

// TestOmittedCLMeansONE decodes a get request whose consistency_level field
// is absent on the wire. The generated Java constructor of every *_args
// struct presets consistency_level = ONE, so Cassandra reads an omitted CL
// as ONE; the Go constructor does the same, and validation accepts it. An
// empty binary value decodes as set-but-empty, not as absent.
func TestOmittedCLMeansONE(t *testing.T) {
	ctx := context.Background()
	buf := thrift.NewTMemoryBuffer()
	p := thrift.NewTBinaryProtocolConf(buf, nil)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(p.WriteStructBegin(ctx, "get_args"))
	must(p.WriteFieldBegin(ctx, "key", thrift.STRING, 1))
	must(p.WriteBinary(ctx, []byte("k")))
	must(p.WriteFieldEnd(ctx))
	must(p.WriteFieldBegin(ctx, "column_path", thrift.STRUCT, 2))
	must((&thriftgen.ColumnPath{ColumnFamily: "Standard1", Column: []byte("c")}).Write(ctx, p))
	must(p.WriteFieldEnd(ctx))
	must(p.WriteFieldStop(ctx))
	must(p.WriteStructEnd(ctx))

	// The Go generator reports the absent required CL (Java's pre-sets it and
	// does not); the server's dispatcher forgives exactly that error, and the
	// constructor's default is what is left in the struct.
	args := thriftgen.NewCassandraGetArgs()
	if err := args.Read(ctx, p); err == nil || err.Error() != "Required field ConsistencyLevel is not set" {
		t.Fatalf("Read = %v", err)
	}
	if args.ConsistencyLevel != ONE {
		t.Fatalf("omitted CL decoded as %v", args.ConsistencyLevel)
	}
	wantErr(t, ValidateGet(rf1, standard1, args.Key, args.ColumnPath, args.ConsistencyLevel), "")

	must((&thriftgen.Column{Name: []byte("a"), Value: []byte{}}).Write(ctx, p))
	var c thriftgen.Column
	must(c.Read(ctx, p))
	if c.Value == nil {
		t.Fatal("an empty value decoded as absent")
	}
	wantIRE(t, CheckColumnData(standard1, nil, &c, now, nil), "Column timestamp is required")
}
