package server_test

import (
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

func TestDescribeBasics(t *testing.T) {
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

func TestDescribeKeyspaces(t *testing.T) {
	c := dtestClient(t, server.Config{})
	kss, err := c.DescribeKeyspaces(ctx)
	must(t, err)
	var got []string
	for _, k := range kss {
		got = append(got, k.Name)
	}
	sort.Strings(got)
	// Cassandra 2.2 has four system keyspaces.
	if strings.Join(got, ",") != "Keyspace1,Keyspace2,system,system_auth,system_distributed,system_traces" {
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
		{"compression", cf.CompressionOptions["sstable_compression"], "org.apache.cassandra.io.compress.LZ4Compressor"},
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

func TestDescribeRing(t *testing.T) {
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

func TestDescribeRingWithTokens(t *testing.T) {
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

func TestDescribeSplits(t *testing.T) {
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

func TestSessionMethods(t *testing.T) {
	c := dtestClient(t, server.Config{})
	// AllowAll: any credentials log in.
	must(t, c.Login(ctx, &tg.AuthenticationRequest{Credentials: map[string]string{"username": "x", "password": "y"}}))
	mustIRE(t, c.SetKeyspace(ctx, "keyspace1"), "Keyspace 'keyspace1' does not exist")
	// The failed set_keyspace kept the previous keyspace.
	_, err := c.GetSlice(ctx, []byte("k"), parent("Standard1"), columnRange("", "", false, 1), ONE)
	must(t, err)
	fresh := dial(t, c.addr)
	_, err = fresh.GetSlice(ctx, []byte("k"), parent("Standard1"), columnRange("", "", false, 1), ONE)
	mustIRE(t, err, "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename")
	must(t, fresh.SetKeyspace(ctx, "Keyspace2"))
	_, err = fresh.GetSlice(ctx, []byte("k"), parent("Standard2"), columnRange("", "", false, 1), ONE)
	mustIRE(t, err, "unconfigured table Standard2")
	_, err = fresh.GetSlice(ctx, []byte("k"), parent(""), columnRange("", "", false, 1), ONE)
	mustIRE(t, err, "non-empty table is required")
	// Session state is per connection.
	_, err = c.GetSlice(ctx, []byte("k"), parent("Standard2"), columnRange("", "", false, 1), ONE)
	must(t, err)

	id, err := c.TraceNextQuery(ctx)
	must(t, err)
	u, err := uuid.FromBytes(id)
	must(t, err)
	if u.Version() != 1 {
		t.Fatalf("trace id %v is not a time UUID", u)
	}
	id2, _ := c.TraceNextQuery(ctx)
	if string(id) == string(id2) {
		t.Fatal("trace ids repeat")
	}
}

func TestCQLMethods(t *testing.T) {
	c, _ := startAndDial(t, server.Config{})
	const cql2 = "CQL2 has been removed in Cassandra 2.2. Please use CQL3 instead"
	_, err := c.ExecuteCqlQuery(ctx, []byte("SELECT * FROM x"), tg.Compression_NONE)
	mustIRE(t, err, cql2)
	_, err = c.PrepareCqlQuery(ctx, []byte("SELECT * FROM x"), tg.Compression_NONE)
	mustIRE(t, err, cql2)
	_, err = c.ExecutePreparedCqlQuery(ctx, 1, nil)
	mustIRE(t, err, cql2)
	for _, call := range []func() error{
		func() error {
			_, err := c.ExecuteCql3Query(ctx, []byte("SELECT * FROM x"), tg.Compression_NONE, ONE)
			return err
		},
		func() error { _, err := c.PrepareCql3Query(ctx, []byte("SELECT 1"), tg.Compression_NONE); return err },
		func() error { _, err := c.ExecutePreparedCql3Query(ctx, 1, nil, ONE); return err },
	} {
		var e *tg.InvalidRequestException
		if err := call(); !errors.As(err, &e) || !strings.Contains(e.Why, "CQL is not supported") {
			t.Fatalf("CQL3: %v", err)
		}
	}
	must(t, c.SetCqlVersion(ctx, "3.0.0"))
}

// passwordAuth is a test Authenticator that requires a login.
type passwordAuth struct{}

func (passwordAuth) RequireAuthentication() bool { return true }

func (passwordAuth) Authenticate(creds map[string]string) (string, error) {
	u, ok := creds["username"]
	if !ok {
		return "", authErr("Required key 'username' is missing")
	}
	if u != "cassandra" || creds["password"] != "cassandra" {
		return "", authErr("Username and/or password are incorrect")
	}
	return u, nil
}

type authErr string

func (e authErr) Error() string { return string(e) }

func TestAuthenticatorHook(t *testing.T) {
	c, _ := startAndDial(t, server.Config{Authenticator: passwordAuth{}})
	// Before login set_keyspace does not check existence...
	must(t, c.SetKeyspace(ctx, "NoSuchKeyspace"))
	_, err := c.DescribeKeyspaces(ctx)
	mustIRE(t, err, "You have not logged in")
	_, err = c.SystemAddKeyspace(ctx, ksDef("K", simple, rf1, cfDef("K", "cf")))
	mustIRE(t, err, "You have not logged in")
	err = c.Login(ctx, &tg.AuthenticationRequest{Credentials: map[string]string{"password": "x"}})
	var ae *tg.AuthenticationException
	if !errors.As(err, &ae) || ae.Why != "Required key 'username' is missing" {
		t.Fatalf("login without username: %v", err)
	}
	err = c.Login(ctx, &tg.AuthenticationRequest{Credentials: map[string]string{"username": "cassandra", "password": "nope"}})
	if !errors.As(err, &ae) || ae.Why != "Username and/or password are incorrect" {
		t.Fatalf("bad password: %v", err)
	}
	must(t, c.Login(ctx, &tg.AuthenticationRequest{Credentials: map[string]string{"username": "cassandra", "password": "cassandra"}}))
	_, err = c.SystemAddKeyspace(ctx, ksDef("K", simple, rf1, cfDef("K", "cf")))
	must(t, err)
	mustIRE(t, c.SetKeyspace(ctx, "Nope"), "Keyspace 'Nope' does not exist")
	must(t, c.SetKeyspace(ctx, "K"))
	c.insert(t, "k", parent("cf"), col("c", "v", 1))
	// Data calls on an unauthenticated connection.
	other := dial(t, c.addr)
	must(t, other.SetKeyspace(ctx, "K"))
	_, err = other.GetSlice(ctx, []byte("k"), parent("cf"), columnRange("", "", false, 1), ONE)
	mustIRE(t, err, "You have not logged in")
}

func TestTokenStringsPerPartitioner(t *testing.T) {
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
	// Default tokens print in the partitioner's own format too.
	c, _ := startAndDial(t, server.Config{Partitioner: "ByteOrderedPartitioner"})
	tm, err := c.DescribeTokenMap(ctx)
	must(t, err)
	for tok := range tm {
		if tok != "6361737361" { // hex of the default token key "cassa"
			t.Fatalf("default BOP token %q", tok)
		}
	}
}

func TestBatchLoginCheckedAtFirstTable(t *testing.T) {
	c, _ := startAndDial(t, server.Config{Authenticator: passwordAuth{}})
	must(t, c.Login(ctx, &tg.AuthenticationRequest{Credentials: map[string]string{"username": "cassandra", "password": "cassandra"}}))
	_, err := c.SystemAddKeyspace(ctx, ksDef("K", simple, rf1, cfDef("K", "cf")))
	must(t, err)
	other := dial(t, c.addr)
	must(t, other.SetKeyspace(ctx, "K"))
	bad := mutationMap{"": {"cf": {mutCol(col("c", "v", 1))}}}
	// Not logged in: reported before the (invalid) key is looked at...
	mustIRE(t, other.BatchMutate(ctx, bad, ONE), "You have not logged in")
	// ...but after the column family check.
	mustIRE(t, other.BatchMutate(ctx, mutationMap{"k": {"nope": {mutCol(col("c", "v", 1))}}}, ONE), "unconfigured table nope")
	must(t, c.SetKeyspace(ctx, "K"))
	mustIRE(t, c.BatchMutate(ctx, bad, ONE), "Key may not be empty")
}
