package server_test

import (
	"encoding/hex"
	"sort"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// The describe_* calls on a single node: cluster, version, partitioner and
// snitch, keyspaces and their definitions, the ring and token map, splits.

func TestThriftDescribeBasics(t *testing.T) {
	c, _ := startAndDial(t, server.Config{})
	for _, tc := range []struct {
		name string
		call func() (string, error)
		want string
	}{
		{"version", func() (string, error) { return c.DescribeVersion(ctx) }, "20.1.0"},
		{"cluster name", func() (string, error) { return c.DescribeClusterName(ctx) }, "Test Cluster"},
		{"partitioner", func() (string, error) { return c.DescribePartitioner(ctx) }, "org.apache.cassandra.dht.Murmur3Partitioner"},
		{"snitch", func() (string, error) { return c.DescribeSnitch(ctx) }, "org.apache.cassandra.locator.SimpleSnitch"},
	} {
		got, err := tc.call()
		must(t, err)
		if got != tc.want {
			t.Errorf("describe_%s = %q, want %q", tc.name, got, tc.want)
		}
	}
	c2, _ := startAndDial(t, server.Config{ClusterName: "test", Partitioner: "org.apache.cassandra.dht.RandomPartitioner"})
	if got, _ := c2.DescribeClusterName(ctx); got != "test" {
		t.Errorf("cluster name %q", got)
	}
	if got, _ := c2.DescribePartitioner(ctx); got != "org.apache.cassandra.dht.RandomPartitioner" {
		t.Errorf("partitioner %q", got)
	}
}

func TestThriftDescribeKeyspaces(t *testing.T) {
	c := dtestClient(t, server.Config{})
	kss, err := c.DescribeKeyspaces(ctx)
	must(t, err)
	var got []string
	for _, k := range kss {
		got = append(got, k.Name)
	}
	sort.Strings(got)
	// Cassandra 3.11 has five system keyspaces, system_schema included
	// (dtest thrift_test.TestMutations.test_describe_keyspace: 7 in all).
	if strings.Join(got, ",") != "Keyspace1,Keyspace2,system,system_auth,system_distributed,system_schema,system_traces" {
		t.Fatalf("keyspaces %v", got)
	}
	sys, err := c.DescribeKeyspace(ctx, "system")
	must(t, err)
	if sys.StrategyClass != "org.apache.cassandra.locator.LocalStrategy" {
		t.Errorf("system strategy %q", sys.StrategyClass)
	}
	_, err = c.DescribeKeyspace(ctx, "NoSuchKeyspace")
	mustNFE(t, err)
	_, err = c.DescribeKeyspace(ctx, "keyspace1") // names are case-sensitive
	mustNFE(t, err)

	ks, err := c.DescribeKeyspace(ctx, "Keyspace1")
	must(t, err)
	if ks.StrategyClass != "org.apache.cassandra.locator.SimpleStrategy" || ks.StrategyOptions["replication_factor"] != "1" || !ks.DurableWrites {
		t.Fatalf("Keyspace1: %v", ks)
	}
	cf := findCf(t, ks, "Standard1")
	const m = "org.apache.cassandra.db.marshal."
	checks := []struct {
		field string
		got   any
		want  any
	}{
		{"column_type", cf.ColumnType, "Standard"},
		{"comparator_type", cf.ComparatorType, m + "BytesType"},
		{"default_validation_class", cf.GetDefaultValidationClass(), m + "BytesType"},
		{"key_validation_class", cf.GetKeyValidationClass(), m + "BytesType"},
		{"column_metadata is an empty list", cf.ColumnMetadata != nil && len(cf.ColumnMetadata) == 0, true},
		{"comment", cf.GetComment(), ""},
		{"read_repair_chance", cf.GetReadRepairChance(), 0.0},
		{"dclocal_read_repair_chance", cf.DclocalReadRepairChance, 0.1},
		{"gc_grace_seconds", cf.GetGcGraceSeconds(), int32(864000)},
		{"min_compaction_threshold", cf.GetMinCompactionThreshold(), int32(4)},
		{"max_compaction_threshold", cf.GetMaxCompactionThreshold(), int32(32)},
		{"compaction_strategy", cf.GetCompactionStrategy(), "org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy"},
		// 3.11's ThriftConversion.toThrift: CompactionParams.options carry the
		// thresholds, compression the chunk length.
		{"compaction options min", cf.CompactionStrategyOptions["min_threshold"], "4"},
		{"compaction options max", cf.CompactionStrategyOptions["max_threshold"], "32"},
		{"compression", cf.CompressionOptions["sstable_compression"], "org.apache.cassandra.io.compress.LZ4Compressor"},
		{"chunk length", cf.CompressionOptions["chunk_length_kb"], "64"},
		{"bloom_filter_fp_chance", cf.GetBloomFilterFpChance(), 0.01},
		{"caching", cf.Caching, "KEYS_ONLY"},
		{"cells_per_row_to_cache", cf.CellsPerRowToCache, "0"},
		{"speculative_retry", cf.SpeculativeRetry, "NONE"},
		{"default_time_to_live", cf.GetDefaultTimeToLive(), int32(0)},
		{"min_index_interval", cf.GetMinIndexInterval(), int32(128)},
		{"max_index_interval", cf.GetMaxIndexInterval(), int32(2048)},
		{"key_alias", string(cf.KeyAlias), "key"},
		{"id unset", cf.IsSetID(), false},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %#v, want %#v", ch.field, ch.got, ch.want)
		}
	}
	sup := findCf(t, ks, "Super1")
	if sup.ColumnType != "Super" || sup.GetSubcomparatorType() != m+"LongType" {
		t.Errorf("Super1: %v", sup)
	}
	if got := findCf(t, ks, "StandardComposite").ComparatorType; got != m+"CompositeType("+m+"AsciiType,"+m+"AsciiType)" {
		t.Errorf("composite comparator %q", got)
	}
	if got := findCf(t, ks, "Counter1").GetDefaultValidationClass(); got != m+"CounterColumnType" {
		t.Errorf("counter validator %q", got)
	}
	ix := findCf(t, ks, "Indexed1").ColumnMetadata
	if len(ix) != 1 || ix[0].ValidationClass != m+"LongType" || ix[0].GetIndexType() != tg.IndexType_KEYS || ix[0].GetIndexName() != "birthdate_index" {
		t.Errorf("Indexed1 column_metadata %v", ix)
	}
	if got := findCf(t, ks, "Expiring").GetDefaultTimeToLive(); got != 2 {
		t.Errorf("default_time_to_live %d", got)
	}
}

func TestThriftSystemKeyspaceDefinitions(t *testing.T) {
	// Cassandra 3.11's built-in keyspaces: system and system_schema are
	// LocalStrategy, the replicated ones SimpleStrategy with RF 1 (auth), 2
	// (traces) and 3 (distributed), all durable.
	c, _ := startAndDial(t, server.Config{})
	for _, tc := range []struct {
		name, strategy, rf string
	}{
		{"system", "org.apache.cassandra.locator.LocalStrategy", ""},
		{"system_schema", "org.apache.cassandra.locator.LocalStrategy", ""},
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

func TestThriftDescribeTypesAndDefaults(t *testing.T) {
	c := dtestClient(t, server.Config{})
	fq := func(s string) string { return "org.apache.cassandra.db.marshal." + s }
	d := cfDef("Keyspace1", "Types")
	d.ComparatorType = "CompositeType(AsciiType, ReversedType(LongType))"
	d.KeyValidationClass = strp("UTF8Type")
	d.DefaultValidationClass = strp("org.apache.cassandra.db.marshal.LongType")
	_, err := c.SystemAddColumnFamily(ctx, d)
	must(t, err)
	dc := cfDef("Keyspace1", "TypedColumns")
	dc.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("a"), ValidationClass: "DynamicCompositeType(a=>AsciiType,b=>BytesType)"}}
	_, err = c.SystemAddColumnFamily(ctx, dc)
	must(t, err)
	got := describeCf(t, c, "Keyspace1", "Types")
	want := map[string]string{
		"comparator":     fq("CompositeType(") + fq("AsciiType") + "," + fq("ReversedType(") + fq("LongType") + "))",
		"key_validation": fq("UTF8Type"),
		"default_valid":  fq("LongType"),
		"column_valid":   fq("DynamicCompositeType(a=>") + fq("AsciiType") + ",b=>" + fq("BytesType") + ")",
	}
	have := map[string]string{
		"comparator":     got.ComparatorType,
		"key_validation": got.GetKeyValidationClass(),
		"default_valid":  got.GetDefaultValidationClass(),
		"column_valid":   describeCf(t, c, "Keyspace1", "TypedColumns").ColumnMetadata[0].ValidationClass,
	}
	for k, w := range want {
		if have[k] != w {
			t.Errorf("%s = %q, want %q", k, have[k], w)
		}
	}
	// Super CF: subcomparator defaults to BytesType; column_type "Super".
	s := describeCf(t, c, "Keyspace1", "Super1")
	if s.ColumnType != "Super" || s.GetSubcomparatorType() != fq("LongType") || s.ComparatorType != fq("BytesType") {
		t.Errorf("Super1: %s %s %s", s.ColumnType, s.GetSubcomparatorType(), s.ComparatorType)
	}
	sd := cfDef("Keyspace1", "SuperDefault")
	sd.ColumnType = "Super"
	_, err = c.SystemAddColumnFamily(ctx, sd)
	must(t, err)
	if got := describeCf(t, c, "Keyspace1", "SuperDefault").GetSubcomparatorType(); got != fq("BytesType") {
		t.Errorf("default subcomparator %q", got)
	}
	// A standard CF reports no subcomparator.
	if st := describeCf(t, c, "Keyspace1", "Standard1"); st.IsSetSubcomparatorType() && st.GetSubcomparatorType() != "" {
		t.Errorf("standard CF subcomparator %q", st.GetSubcomparatorType())
	}
	// Default TTL and index type round trip.
	if e := describeCf(t, c, "Keyspace1", "Expiring"); e.GetDefaultTimeToLive() != 2 {
		t.Errorf("default ttl %d", e.GetDefaultTimeToLive())
	}
	ix := describeCf(t, c, "Keyspace1", "Indexed2")
	if len(ix.ColumnMetadata) != 1 || ix.ColumnMetadata[0].GetIndexType() != tg.IndexType_KEYS || ix.ColumnMetadata[0].GetIndexName() != "Indexed2_00000000000010000000000000000000_idx" {
		t.Errorf("Indexed2 metadata %v", ix.ColumnMetadata)
	}
	// describe_* constants.
	for _, tc := range []struct {
		name string
		call func() (string, error)
		want string
	}{
		{"cluster", func() (string, error) { return c.DescribeClusterName(ctx) }, "Test Cluster"},
		{"version", func() (string, error) { return c.DescribeVersion(ctx) }, "20.1.0"},
		{"partitioner", func() (string, error) { return c.DescribePartitioner(ctx) }, "org.apache.cassandra.dht.ByteOrderedPartitioner"},
		{"snitch", func() (string, error) { return c.DescribeSnitch(ctx) }, "org.apache.cassandra.locator.SimpleSnitch"},
	} {
		v, err := tc.call()
		must(t, err)
		if v != tc.want {
			t.Errorf("describe %s = %q, want %q", tc.name, v, tc.want)
		}
	}
	// describe_ring endpoint details.
	ring, err := c.DescribeRing(ctx, "Keyspace1")
	must(t, err)
	if len(ring) != 1 || ring[0].StartToken != ring[0].EndToken || len(ring[0].Endpoints) != 1 || ring[0].Endpoints[0] != "127.0.0.1" ||
		len(ring[0].EndpointDetails) != 1 || ring[0].EndpointDetails[0].Datacenter != "datacenter1" || ring[0].EndpointDetails[0].GetRack() != "rack1" ||
		ring[0].EndpointDetails[0].Host != "127.0.0.1" || len(ring[0].RPCEndpoints) != 1 {
		t.Errorf("ring %v", ring)
	}
	tm, err := c.DescribeTokenMap(ctx)
	must(t, err)
	if len(tm) != 1 || tm[ring[0].StartToken] != "127.0.0.1" {
		t.Errorf("token map %v", tm)
	}
	lr, err := c.DescribeLocalRing(ctx, "Keyspace1")
	must(t, err)
	if len(lr) != 1 || lr[0].StartToken != ring[0].StartToken {
		t.Errorf("local ring %v", lr)
	}
	_, err = c.DescribeLocalRing(ctx, "system")
	mustIRE(t, err, "There is no ring for the keyspace: system")
}

func TestThriftDescribeRing(t *testing.T) {
	c := dtestClient(t, server.Config{})
	ring, err := c.DescribeRing(ctx, "Keyspace1")
	must(t, err)
	if len(ring) != 1 || ring[0].StartToken != ring[0].EndToken {
		t.Fatalf("ring %v", ring)
	}
	r := ring[0]
	if strings.Join(r.Endpoints, ",") != "127.0.0.1" || strings.Join(r.RPCEndpoints, ",") != "127.0.0.1" ||
		len(r.EndpointDetails) != 1 || r.EndpointDetails[0].Host != "127.0.0.1" ||
		r.EndpointDetails[0].Datacenter != "datacenter1" || r.EndpointDetails[0].GetRack() != "rack1" {
		t.Fatalf("range %v", r)
	}
	local, err := c.DescribeLocalRing(ctx, "Keyspace1")
	must(t, err)
	if len(local) != 1 || local[0].StartToken != r.StartToken {
		t.Fatalf("local ring %v", local)
	}
	_, err = c.DescribeRing(ctx, "system")
	mustIRE(t, err, "There is no ring for the keyspace: system")
	_, err = c.DescribeLocalRing(ctx, "Nope")
	mustIRE(t, err, "No such keyspace: Nope")
	tm, err := c.DescribeTokenMap(ctx)
	must(t, err)
	if len(tm) != 1 || tm[r.EndToken] != "127.0.0.1" {
		t.Fatalf("token map %v (ring token %s)", tm, r.EndToken)
	}
}

func TestThriftDescribeRingWithTokens(t *testing.T) {
	c, _ := startAndDial(t, server.Config{Tokens: []string{"100", "-5", "7"}})
	_, err := c.SystemAddKeyspace(ctx, ksDef("K", simple, rf1))
	must(t, err)
	ring, err := c.DescribeRing(ctx, "K")
	must(t, err)
	var got []string
	for _, r := range ring {
		got = append(got, r.StartToken+".."+r.EndToken)
	}
	if strings.Join(got, " ") != "100..-5 -5..7 7..100" {
		t.Fatalf("ranges %v", got)
	}
	tm, err := c.DescribeTokenMap(ctx)
	must(t, err)
	if len(tm) != 3 || tm["-5"] != "127.0.0.1" {
		t.Fatalf("token map %v", tm)
	}
	// A keyspace with no replica on this node: empty endpoints, and UE.
	_, err = c.SystemAddKeyspace(ctx, ksDef("Rf0", simple, map[string]string{"replication_factor": "0"}, cfDef("Rf0", "cf")))
	must(t, err)
	ring, err = c.DescribeRing(ctx, "Rf0")
	must(t, err)
	if len(ring[0].Endpoints) != 0 {
		t.Fatalf("rf0 endpoints %v", ring[0].Endpoints)
	}
}

func TestThriftDescribeRingWithoutLocalReplicas(t *testing.T) {
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

func TestThriftTokenStringsPerPartitioner(t *testing.T) {
	for _, tc := range []struct{ partitioner, token string }{
		{"Murmur3Partitioner", "-4611686018427387904"},
		{"RandomPartitioner", "85070591730234615865843651857942052864"},
		{"ByteOrderedPartitioner", "abcd"},
		{"OrderPreservingPartitioner", "m"},
	} {
		t.Run(tc.partitioner, func(t *testing.T) {
			c, _ := startAndDial(t, server.Config{Partitioner: tc.partitioner, Tokens: []string{tc.token}})
			tm, err := c.DescribeTokenMap(ctx)
			must(t, err)
			if len(tm) != 1 || tm[tc.token] != "127.0.0.1" {
				t.Fatalf("token map %v", tm)
			}
			_, err = c.SystemAddKeyspace(ctx, ksDef("K", simple, rf1))
			must(t, err)
			ring, err := c.DescribeRing(ctx, "K")
			must(t, err)
			if len(ring) != 1 || ring[0].StartToken != tc.token || ring[0].EndToken != tc.token {
				t.Fatalf("ring %v", ring)
			}
		})
	}
	// Default tokens print in the partitioner's own format too. Without
	// Config.Tokens a ByteOrderedPartitioner node draws 16 random bytes, as
	// Cassandra 3.11's bootstrap does (BootStrapper.getRandomTokens,
	// ByteOrderedPartitioner.getRandomToken): 32 hex digits, new per node.
	bop := func() string {
		c, _ := startAndDial(t, server.Config{Partitioner: "ByteOrderedPartitioner"})
		tm, err := c.DescribeTokenMap(ctx)
		must(t, err)
		if len(tm) != 1 {
			t.Fatalf("token map %v", tm)
		}
		for tok := range tm {
			if b, err := hex.DecodeString(tok); err != nil || len(b) != 16 {
				t.Fatalf("default BOP token %q: not 16 bytes in hex", tok)
			}
			return tok
		}
		return ""
	}
	if a, b := bop(), bop(); a == b {
		t.Fatalf("two nodes drew the same random token %s", a)
	}
	// The other partitioners keep a fixed default token.
	for _, p := range []string{"Murmur3Partitioner", "RandomPartitioner", "OrderPreservingPartitioner"} {
		var toks []string
		for i := 0; i < 2; i++ {
			c, _ := startAndDial(t, server.Config{Partitioner: p})
			tm, err := c.DescribeTokenMap(ctx)
			must(t, err)
			for tok := range tm {
				toks = append(toks, tok)
			}
		}
		if len(toks) != 2 || toks[0] != toks[1] {
			t.Fatalf("%s default tokens %v", p, toks)
		}
	}
}

func TestThriftDescribeSplits(t *testing.T) {
	c := dtestClient(t, server.Config{Partitioner: "Murmur3Partitioner"})
	for i := 0; i < 300; i++ {
		c.insert(t, "k"+string(rune('a'+i%26))+string(rune('a'+i/26)), parent("Standard1"), col("c", "v", 0))
	}
	min := "-9223372036854775808"
	splits, err := c.DescribeSplitsEx(ctx, "Standard1", min, min, 1000)
	must(t, err)
	if len(splits) != 1 || splits[0].StartToken != min || splits[0].EndToken != min || splits[0].RowCount < 128 {
		t.Fatalf("one split: %v", splits)
	}
	splits, err = c.DescribeSplitsEx(ctx, "Standard1", min, min, 100)
	must(t, err)
	if len(splits) != 3 {
		t.Fatalf("three splits: %v", splits)
	}
	for i := 1; i < len(splits); i++ {
		if splits[i].StartToken != splits[i-1].EndToken {
			t.Fatalf("splits not contiguous: %v", splits)
		}
	}
	toks, err := c.DescribeSplits(ctx, "Standard1", "0", "1000000", 100)
	must(t, err)
	if len(toks) < 2 || toks[0] != "0" || toks[len(toks)-1] != "1000000" {
		t.Fatalf("describe_splits %v", toks)
	}
	_, err = c.DescribeSplits(ctx, "Nope", "0", "1", 10)
	mustIRE(t, err, "unconfigured table Nope")
	_, err = c.DescribeSplitsEx(ctx, "Standard1", "x", "1", 10)
	if _, ok := err.(*tg.InvalidRequestException); !ok {
		t.Fatalf("bad token: %v", err)
	}
	c2, _ := startAndDial(t, server.Config{})
	_, err = c2.DescribeSplits(ctx, "Standard1", "0", "1", 10)
	mustIRE(t, err, "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename")
}

func TestThriftDescribeSplitsEdges(t *testing.T) {
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

func TestThriftEmptyNames(t *testing.T) {
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
