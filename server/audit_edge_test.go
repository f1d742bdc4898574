package server_test

import (
	"strings"
	"testing"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Audit: empty names and missing required struct fields in the schema and
// session methods.

func TestAuditEmptyNames(t *testing.T) {
	c := dtestClient(t, server.Config{})
	_, err := c.DescribeKeyspace(ctx, "")
	mustNFE(t, err)
	_, err = c.DescribeRing(ctx, "")
	mustIRE(t, err, "No such keyspace: ")
	_, err = c.SystemDropColumnFamily(ctx, "")
	mustIRE(t, err, "non-empty table is required")
	_, err = c.GetPagedSlice(ctx, "", keyRange("", "", 1), nil, ONE)
	mustIRE(t, err, "non-empty table is required")
	_, err = c.GetRangeSlices(ctx, parent(""), names("a"), keyRange("", "", 1), ONE)
	mustIRE(t, err, "non-empty table is required")
	_, err = c.Cas(ctx, []byte("k"), "", nil, []*tg.Column{col("a", "v", 1)}, tg.ConsistencyLevel_SERIAL, ONE)
	mustIRE(t, err, "non-empty table is required")
	_, err = c.SystemDropKeyspace(ctx, "")
	mustIRE(t, err, "Cannot drop non existing keyspace ''.")
	mustIRE(t, c.SetKeyspace(ctx, ""), "Keyspace '' does not exist")
	// The failed set_keyspace left the session keyspace alone.
	_, err = c.GetSlice(ctx, []byte("k"), parent("Standard1"), names("a"), ONE)
	must(t, err)
	// AllowAll: login with no credentials at all succeeds.
	must(t, c.Login(ctx, &tg.AuthenticationRequest{Credentials: map[string]string{}}))
}

func TestAuditMissingRequiredStructFields(t *testing.T) {
	c := dtestClient(t, server.Config{})
	tc := c.Client_()
	for _, tc2 := range []struct {
		method string
		write  func(p thrift.TProtocol)
		field  string
		result thrift.TStruct
	}{
		{"system_add_keyspace", func(p thrift.TProtocol) {
			p.WriteFieldBegin(ctx, "ks_def", thrift.STRUCT, 1)
			p.WriteStructBegin(ctx, "KsDef")
			p.WriteFieldBegin(ctx, "name", thrift.STRING, 1)
			p.WriteString(ctx, "NoCfDefs")
			p.WriteFieldEnd(ctx)
			p.WriteFieldBegin(ctx, "strategy_class", thrift.STRING, 2)
			p.WriteString(ctx, simple)
			p.WriteFieldEnd(ctx)
			p.WriteFieldStop(ctx)
			p.WriteStructEnd(ctx)
			p.WriteFieldEnd(ctx)
		}, "cf_defs", tg.NewCassandraSystemAddKeyspaceResult()},
		{"system_add_column_family", func(p thrift.TProtocol) {
			p.WriteFieldBegin(ctx, "cf_def", thrift.STRUCT, 1)
			p.WriteStructBegin(ctx, "CfDef")
			p.WriteFieldBegin(ctx, "keyspace", thrift.STRING, 1)
			p.WriteString(ctx, "Keyspace1")
			p.WriteFieldEnd(ctx)
			p.WriteFieldStop(ctx)
			p.WriteStructEnd(ctx)
			p.WriteFieldEnd(ctx)
		}, "name", tg.NewCassandraSystemAddColumnFamilyResult()},
		{"get_range_slices", func(p thrift.TProtocol) {
			writeStructField(p, 1, parent("Standard1"))
			writeStructField(p, 2, names("a"))
			p.WriteFieldBegin(ctx, "range", thrift.STRUCT, 3)
			p.WriteStructBegin(ctx, "KeyRange")
			writeBinaryField(p, 1, nil)
			writeBinaryField(p, 2, nil)
			p.WriteFieldStop(ctx)
			p.WriteStructEnd(ctx)
			p.WriteFieldEnd(ctx)
		}, "count", tg.NewCassandraGetRangeSlicesResult()},
		{"insert", func(p thrift.TProtocol) {
			writeBinaryField(p, 1, []byte("k"))
			writeStructField(p, 2, parent("Standard1"))
			p.WriteFieldBegin(ctx, "column", thrift.STRUCT, 3)
			p.WriteStructBegin(ctx, "Column")
			writeBinaryField(p, 2, []byte("v"))
			p.WriteFieldStop(ctx)
			p.WriteStructEnd(ctx)
			p.WriteFieldEnd(ctx)
		}, "name", tg.NewCassandraInsertResult()},
	} {
		_, err := tc.Call(ctx, tc2.method, &partialArgs{write: tc2.write}, tc2.result)
		e := mustAppErr(t, err, thrift.PROTOCOL_ERROR)
		if !strings.HasPrefix(e.Error(), "Required field '"+tc2.field+"' was not") {
			t.Errorf("%s: %q", tc2.method, e.Error())
		}
	}
	// Nothing was created, and the connection still works.
	_, err := c.DescribeKeyspace(ctx, "NoCfDefs")
	mustNFE(t, err)
	assertNoPath(t, c, "k", colPath("Standard1", "a"))
}

func TestAuditLoginCheckComesAfterTableLookup(t *testing.T) {
	// ClientState.hasColumnFamilyAccess validates the table (P2) before
	// hasAccess checks the login (P3).
	c, srv := startAndDial(t, server.Config{Authenticator: passwordAuth{}})
	must(t, c.Login(ctx, &tg.AuthenticationRequest{Credentials: map[string]string{"username": "cassandra", "password": "cassandra"}}))
	_, err := c.SystemAddKeyspace(ctx, ksDef("K", simple, rf1, cfDef("K", "cf")))
	must(t, err)
	anon := dial(t, srv.Addr())
	must(t, anon.SetKeyspace(ctx, "Missing")) // not checked before login
	runErrCases(t, []errCase{
		{"missing keyspace before login", func() error {
			_, err := anon.GetSlice(ctx, []byte("k"), parent("cf"), names("a"), ONE)
			return err
		}, "Keyspace Missing does not exist"},
	})
	must(t, anon.SetKeyspace(ctx, "K"))
	runErrCases(t, []errCase{
		{"unknown table before login", func() error {
			_, err := anon.GetSlice(ctx, []byte("k"), parent("nope"), names("a"), ONE)
			return err
		}, "unconfigured table nope"},
		{"batch: unknown table before login", func() error {
			return anon.BatchMutate(ctx, mutationMap{"k": {"nope": {}}}, ONE)
		}, "unconfigured table nope"},
		{"known table needs login", func() error {
			_, err := anon.GetSlice(ctx, []byte("k"), parent("cf"), names("a"), ONE)
			return err
		}, "You have not logged in"},
		{"insert needs login before validation", func() error {
			return anon.Insert(ctx, []byte{}, parent("cf"), col("", "v", 1), ONE)
		}, "You have not logged in"},
		{"truncate needs login", func() error { return anon.Truncate(ctx, "cf") }, "You have not logged in"},
		{"describe_keyspace needs login", func() error {
			_, err := anon.DescribeKeyspace(ctx, "K")
			return err
		}, "You have not logged in"},
	})
	// describe_ring, describe_version and friends need no login.
	_, err = anon.DescribeRing(ctx, "K")
	must(t, err)
	_, err = anon.DescribeVersion(ctx)
	must(t, err)
}

func TestAuditDescribeSplitsEdges(t *testing.T) {
	c := dtestClient(t, server.Config{Partitioner: "Murmur3Partitioner"})
	for i := 0; i < 50; i++ {
		c.insert(t, string(rune('a'+i%26))+string(rune('a'+i/26)), parent("Standard1"), col("c", "v", 1))
	}
	min := "-9223372036854775808"
	// keys_per_split 0 divides by zero in Java (a dropped connection); any
	// answer but a crash will do, and the connection must survive.
	_, _ = c.DescribeSplitsEx(ctx, "Standard1", min, min, 0)
	_, _ = c.DescribeSplitsEx(ctx, "Standard1", min, min, -5)
	_, err := c.DescribeVersion(ctx)
	must(t, err)
	// A sub-range: the splits cover exactly (start, end].
	splits, err := c.DescribeSplitsEx(ctx, "Standard1", "-100", "100", 10)
	must(t, err)
	if len(splits) == 0 || splits[0].StartToken != "-100" || splits[len(splits)-1].EndToken != "100" {
		t.Fatalf("sub-range splits %v", splits)
	}
	toks, err := c.DescribeSplits(ctx, "Standard1", "-100", "100", 10)
	must(t, err)
	if len(toks) != len(splits)+1 || toks[0] != "-100" || toks[len(toks)-1] != "100" {
		t.Fatalf("describe_splits %v vs %v", toks, splits)
	}
	// An empty table still has one split.
	splits, err = c.DescribeSplitsEx(ctx, "Standard2", min, min, 10)
	must(t, err)
	if len(splits) != 1 {
		t.Fatalf("empty table splits %v", splits)
	}
}

func TestAuditDescribeRingWithoutLocalReplicas(t *testing.T) {
	// describe_ring lists each range's replicas as the strategy computes
	// them (StorageService.describeRing over getRangeToAddressMap): a
	// keyspace with no replica on this node has ranges with no endpoints.
	c, _ := startAndDial(t, server.Config{})
	for _, ks := range []*tg.KsDef{
		ksDef("Far", "NetworkTopologyStrategy", map[string]string{"dc2": "1"}),
		ksDef("Zero", simple, map[string]string{"replication_factor": "0"}),
		ksDef("Big", simple, map[string]string{"replication_factor": "3"}),
	} {
		_, err := c.SystemAddKeyspace(ctx, ks)
		must(t, err)
	}
	for name, want := range map[string]int{"Far": 0, "Zero": 0, "Big": 1} {
		ring, err := c.DescribeRing(ctx, name)
		must(t, err)
		if len(ring) != 1 || len(ring[0].Endpoints) != want || len(ring[0].EndpointDetails) != want || len(ring[0].RPCEndpoints) != want {
			t.Errorf("%s: ring %v, want %d endpoints", name, ring, want)
		}
	}
}

func TestAuditSystemKeyspaceDefinitions(t *testing.T) {
	// Cassandra 2.2's built-in keyspaces: system is LocalStrategy, the
	// replicated ones SimpleStrategy with RF 1 (auth), 2 (traces) and 3
	// (distributed), all durable.
	c, _ := startAndDial(t, server.Config{})
	for _, tc := range []struct {
		name, strategy, rf string
	}{
		{"system", "org.apache.cassandra.locator.LocalStrategy", ""},
		{"system_auth", "org.apache.cassandra.locator.SimpleStrategy", "1"},
		{"system_traces", "org.apache.cassandra.locator.SimpleStrategy", "2"},
		{"system_distributed", "org.apache.cassandra.locator.SimpleStrategy", "3"},
	} {
		ks, err := c.DescribeKeyspace(ctx, tc.name)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if ks.StrategyClass != tc.strategy || ks.StrategyOptions["replication_factor"] != tc.rf || !ks.DurableWrites || ks.CfDefs == nil {
			t.Errorf("%s: %s %v durable=%v", tc.name, ks.StrategyClass, ks.StrategyOptions, ks.DurableWrites)
		}
	}
	// The replicated system keyspaces have a ring; system does not.
	_, err := c.DescribeRing(ctx, "system_traces")
	must(t, err)
	_, err = c.DescribeRing(ctx, "system")
	mustIRE(t, err, "There is no ring for the keyspace: system")
}
