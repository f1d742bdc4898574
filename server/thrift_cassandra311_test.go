package server_test

import (
	"encoding/hex"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/internal/syncbuf"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Behaviour of Cassandra 3.11 that 2.2 did not have, across the Thrift
// methods: the expiration-date overflow policy, system_schema and the
// compact built-in tables in describe_keyspaces, Thrift definitions that
// 3.11 turns into CQL tables, the counter super column quirk of reversed
// slices, and ByteOrderedPartitioner's random token.

// overflowMessage is ExpirationDateOverflowHandling's
// MAXIMUM_EXPIRATION_DATE_EXCEEDED_REJECT_MESSAGE.
func overflowMessage(cf string, ttl int32, isDefault bool) string {
	d := ""
	if isDefault {
		d = "default "
	}
	return "Request on table Keyspace1." + cf + " with " + d + "ttl of " + strconv.Itoa(int(ttl)) + " seconds exceeds maximum supported " +
		"expiration date of 2038-01-19T03:14:06+00:00. In order to avoid this use a lower TTL, change the expiration date " +
		"overflow policy or upgrade to a version where this limitation is fixed. See CASSANDRA-14092 for more details."
}

// maxDeletionTime is Cell.MAX_DELETION_TIME: 2038-01-19T03:14:06Z.
var maxDeletionTime = time.Unix(1<<31-2, 0)

func TestThriftExpirationDateOverflowReject(t *testing.T) {
	// The default policy (REJECT): ThriftValidation.validateTtl hands the
	// TTL, or the table's default_time_to_live when none is set, to
	// ExpirationDateOverflowHandling, which refuses a write whose
	// expiration would pass 2038-01-19T03:14:06Z (clockStart is 2026, so
	// 20 years overflow).
	clk := cassatest.NewClock(clockStart)
	c := dtestClient(t, server.Config{Clock: clk.Now})
	d := cfDef("Keyspace1", "LongDefault")
	d.DefaultTimeToLive = i32p(400000000) // 12.7 years
	_, err := c.SystemAddColumnFamily(ctx, d)
	must(t, err)
	const twenty = 630720000
	p := parent("Standard1")
	mustIRE(t, c.Insert(ctx, []byte("k"), p, ttlCol("c", "v", 1, twenty), ONE), overflowMessage("Standard1", twenty, false))
	mustIRE(t, c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {mutCol(ttlCol("c", "v", 1, twenty))}}}, ONE),
		overflowMessage("Standard1", twenty, false))
	_, err = c.Cas(ctx, []byte("k"), "Standard1", nil, []*tg.Column{ttlCol("c", "v", 1, twenty)}, tg.ConsistencyLevel_SERIAL, ONE)
	mustIRE(t, err, overflowMessage("Standard1", twenty, false))
	// The table default is checked when no TTL is set, on every write path
	// (even batch_mutate, which does not apply it).
	ld := parent("LongDefault")
	mustIRE(t, c.Insert(ctx, []byte("k"), ld, col("c", "v", 1), ONE), overflowMessage("LongDefault", 400000000, true))
	mustIRE(t, c.BatchMutate(ctx, mutationMap{"k": {"LongDefault": {mutCol(col("c", "v", 1))}}}, ONE),
		overflowMessage("LongDefault", 400000000, true))
	// An explicit TTL of 0 (3.6+: no TTL) or a short one passes.
	c.insert(t, "k", ld, ttlCol("zero", "v", 1, 0), ttlCol("short", "v", 1, 60))
	if got := getColumn(t, c, "k", colPath("LongDefault", "zero")); got.IsSetTTL() {
		t.Fatalf("ttl 0: %v", got)
	}
	if got := getColumn(t, c, "k", colPath("LongDefault", "short")); got.GetTTL() != 60 {
		t.Fatalf("ttl 60: %v", got)
	}
	// The last second that fits: now + ttl = 2^31-1.
	last := int32(1<<31 - 1 - clockStart.Unix())
	c.insert(t, "edge", p, ttlCol("c", "v", 1, last))
	mustIRE(t, c.Insert(ctx, []byte("edge"), p, ttlCol("c", "v", 1, last+1), ONE), overflowMessage("Standard1", last+1, false))
}

func TestThriftExpirationDateOverflowCap(t *testing.T) {
	for _, policy := range []server.ExpirationOverflowPolicy{server.ExpirationCap, server.ExpirationCapNoWarn} {
		t.Run(policy.String(), func(t *testing.T) {
			// CAP and CAP_NOWARN accept the write; the cell's local
			// expiration time is capped at Cell.MAX_DELETION_TIME
			// (computeLocalExpirationTime) while reads report the TTL as
			// written, and both log a (rate-limited) warning.
			var logs syncbuf.Buffer
			clk := cassatest.NewClock(clockStart)
			c := dtestClient(t, server.Config{Clock: clk.Now, ExpirationDateOverflowPolicy: policy,
				Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))})
			const twenty = 630720000
			p := parent("Standard1")
			c.insert(t, "k", p, ttlCol("ins", "v", 1, twenty))
			must(t, c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {mutCol(ttlCol("bat", "v", 1, twenty))}}}, ONE))
			r, err := c.Cas(ctx, []byte("k2"), "Standard1", nil, []*tg.Column{ttlCol("cas", "v", 1, twenty)}, tg.ConsistencyLevel_SERIAL, ONE)
			must(t, err)
			if !r.Success {
				t.Fatalf("cas %v", r)
			}
			for _, kc := range [][2]string{{"k", "ins"}, {"k", "bat"}, {"k2", "cas"}} {
				if got := getColumn(t, c, kc[0], colPath("Standard1", kc[1])); got.GetTTL() != twenty {
					t.Fatalf("%s: ttl %v", kc[1], got)
				}
			}
			if n := strings.Count(logs.String(), "will have its expiration capped to that date"); n != 1 {
				t.Fatalf("%d warnings logged (want one, rate-limited):\n%s", n, logs.String())
			}
			// Live until 2038-01-19T03:14:06Z, gone from that second.
			clk.Advance(maxDeletionTime.Add(-time.Second).Sub(clk.Now()))
			assertPath(t, c, "k", colPath("Standard1", "ins"))
			assertPath(t, c, "k2", colPath("Standard1", "cas"))
			clk.Advance(time.Second)
			assertNoPath(t, c, "k", colPath("Standard1", "ins"))
			assertNoPath(t, c, "k", colPath("Standard1", "bat"))
			assertNoPath(t, c, "k2", colPath("Standard1", "cas"))
		})
	}
	// A bad value in Config is refused at Start.
	if _, err := server.Start(ctx, server.Config{ExpirationDateOverflowPolicy: 9}); err == nil {
		t.Fatal("unknown policy accepted")
	}
	for in, want := range map[string]server.ExpirationOverflowPolicy{"": server.ExpirationReject, "reject": server.ExpirationReject,
		"CAP": server.ExpirationCap, "cap_nowarn": server.ExpirationCapNoWarn} {
		if got, err := server.ParseExpirationOverflowPolicy(in); err != nil || got != want {
			t.Errorf("ParseExpirationOverflowPolicy(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := server.ParseExpirationOverflowPolicy("sometimes"); err == nil {
		t.Error("unknown policy name accepted")
	}
}

func TestThriftDescribeSystemKeyspaces311(t *testing.T) {
	// ThriftConversion.toThrift(KeyspaceMetadata) lists the tables that are
	// isThriftCompatible (compact): of 3.11's built-in tables, system's
	// IndexInfo, hints and schema_keyspaces; system_schema and the
	// replicated system keyspaces have none.
	c, _ := startAndDial(t, server.Config{})
	kss, err := c.DescribeKeyspaces(ctx)
	must(t, err)
	cfs := map[string]string{}
	for _, k := range kss {
		var names []string
		for _, d := range k.CfDefs {
			names = append(names, d.Name)
		}
		cfs[k.Name] = strings.Join(names, ",")
	}
	want := map[string]string{"system": "IndexInfo,hints,schema_keyspaces", "system_schema": "", "system_auth": "",
		"system_distributed": "", "system_traces": ""}
	if len(cfs) != len(want) {
		t.Fatalf("keyspaces %v", cfs)
	}
	for k, w := range want {
		if got, ok := cfs[k]; !ok || got != w {
			t.Errorf("%s cf_defs %q, want %q", k, got, w)
		}
	}
	ks, err := c.DescribeKeyspace(ctx, "system_schema")
	must(t, err)
	if ks.StrategyClass != "org.apache.cassandra.locator.LocalStrategy" || len(ks.StrategyOptions) != 0 || !ks.DurableWrites {
		t.Errorf("system_schema %v", ks)
	}
	_, err = c.DescribeRing(ctx, "system_schema")
	mustIRE(t, err, "There is no ring for the keyspace: system_schema")
	// IndexInfo as 3.11 describes it: a compact table with a UTF8 key and
	// UTF8 names, its key alias the partition key column.
	ks, err = c.DescribeKeyspace(ctx, "system")
	must(t, err)
	ii := findCf(t, ks, "IndexInfo")
	const m = "org.apache.cassandra.db.marshal."
	if ii.ComparatorType != m+"UTF8Type" || ii.GetKeyValidationClass() != m+"UTF8Type" || string(ii.KeyAlias) != "table_name" ||
		ii.GetGcGraceSeconds() != 0 || ii.GetComment() != "built column indexes" || ii.DclocalReadRepairChance != 0 ||
		ii.GetMemtableFlushPeriodInMs() != 3600000 || ii.SpeculativeRetry != "99PERCENTILE" {
		t.Errorf("IndexInfo %v", ii)
	}
	// A session can use system_schema, which still has no Thrift tables.
	must(t, c.SetKeyspace(ctx, "system_schema"))
	_, err = c.GetSlice(ctx, []byte("k"), parent("tables"), names("a"), ONE)
	mustIRE(t, err, "unconfigured table tables")
}

func TestThriftCompositeWithColumnMetadataIsCQLTable(t *testing.T) {
	// ThriftConversion.internalFromThrift (3.11) makes a definition with a
	// CompositeType comparator and column_metadata compound and not dense:
	// a CQL table, which describe_keyspace leaves out
	// (CFMetaData.isThriftCompatible) and system_update_column_family
	// refuses.
	c := dtestClient(t, server.Config{})
	d := cfDef("Keyspace1", "Mixed")
	d.ComparatorType = "CompositeType(UTF8Type, UTF8Type)"
	d.ColumnMetadata = []*tg.ColumnDef{{Name: compositeName(0, "a", "b"), ValidationClass: "UTF8Type"}}
	_, err := c.SystemAddColumnFamily(ctx, d)
	must(t, err)
	ks, err := c.DescribeKeyspace(ctx, "Keyspace1")
	must(t, err)
	for _, cf := range ks.CfDefs {
		if cf.Name == "Mixed" {
			t.Fatalf("CQL table listed by describe_keyspace: %v", cf)
		}
	}
	_, err = c.SystemUpdateColumnFamily(ctx, d)
	mustIRE(t, err, "Cannot modify CQL3 table Mixed as it may break the schema. You should use cqlsh to modify CQL3 tables instead.")
	_, err = c.SystemAddColumnFamily(ctx, d)
	mustIRE(t, err, `Cannot add already existing table "Mixed" to keyspace "Keyspace1"`)
	// Without column_metadata it is dense, compact, and listed.
	d2 := cfDef("Keyspace1", "Dense")
	d2.ComparatorType = "CompositeType(UTF8Type, UTF8Type)"
	_, err = c.SystemAddColumnFamily(ctx, d2)
	must(t, err)
	describeCf(t, c, "Keyspace1", "Dense")
}

func TestThriftDescribeCfDef311(t *testing.T) {
	// ThriftConversion.toThrift renders the options as 3.11 stores them.
	c := dtestClient(t, server.Config{})
	d := cfDef("Keyspace1", "Lcs")
	d.CompactionStrategy = strp("LeveledCompactionStrategy")
	d.SpeculativeRetry = "99.5percentile"
	d.Caching = "rows_only"
	d.CellsPerRowToCache = "25"
	_, err := c.SystemAddColumnFamily(ctx, d)
	must(t, err)
	// 3.11 ships TimeWindowCompactionStrategy.
	tw := cfDef("Keyspace1", "Twcs")
	tw.CompactionStrategy = strp("TimeWindowCompactionStrategy")
	tw.CompactionStrategyOptions = map[string]string{"compaction_window_unit": "DAYS"}
	_, err = c.SystemAddColumnFamily(ctx, tw)
	must(t, err)
	if got := describeCf(t, c, "Keyspace1", "Twcs").GetCompactionStrategy(); got != "org.apache.cassandra.db.compaction.TimeWindowCompactionStrategy" {
		t.Errorf("TWCS class %s", got)
	}
	got := describeCf(t, c, "Keyspace1", "Lcs")
	if got.SpeculativeRetry != "99.5PERCENTILE" || got.Caching != "ROWS_ONLY" || got.CellsPerRowToCache != "25" ||
		got.GetBloomFilterFpChance() != 0.01 || got.CompactionStrategyOptions["min_threshold"] != "4" {
		t.Errorf("Lcs: speculative %s caching %s/%s bloom %v compaction %v", got.SpeculativeRetry, got.Caching,
			got.CellsPerRowToCache, got.GetBloomFilterFpChance(), got.CompactionStrategyOptions)
	}
	for _, tc := range []struct {
		mod  func(*tg.CfDef)
		want string
	}{
		{func(d *tg.CfDef) { d.SpeculativeRetry = "none" }, "Invalid value none for option 'speculative_retry'"},
		{func(d *tg.CfDef) { d.Caching = `{"keys":"ALL"}` }, `Invalid value {"keys":"ALL"} for caching parameter`},
		{func(d *tg.CfDef) { d.MinIndexInterval = i32p(0) }, "min_index_interval must be greater than or equal to 1 (got 0)"},
		{func(d *tg.CfDef) {
			d.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("a"), ValidationClass: "BytesType", IndexType: tg.IndexTypePtr(tg.IndexType_KEYS),
				IndexOptions: map[string]string{"target": "a"}}}
		}, "Reserved index option 'target' cannot be used"},
		// 3.0 dropped size-tiered's cold_reads_to_omit (CompactionParams.validate).
		{func(d *tg.CfDef) { d.CompactionStrategyOptions = map[string]string{"cold_reads_to_omit": "0.5"} },
			"Properties specified [cold_reads_to_omit] are not understood by SizeTieredCompactionStrategy"},
	} {
		d := cfDef("Keyspace1", "Bad")
		tc.mod(d)
		_, err := c.SystemAddColumnFamily(ctx, d)
		mustIRE(t, err, tc.want)
	}
}

func TestThriftReversedCounterSuperSlice(t *testing.T) {
	// CassandraServer.thriftifyCounterSuperColumns (3.11) reverses a
	// counter super column's sub-columns when the next super column starts,
	// so in a reversed slice every one but the last has them descending;
	// thriftifySuperColumns reverses them all.
	c := dtestClient(t, server.Config{})
	for _, sc := range []string{"s1", "s2", "s3"} {
		for _, n := range []string{"a", "b"} {
			must(t, c.Add(ctx, []byte("k"), superParent("SuperCounter1", []byte(sc)), counterColumn(n, 1), ONE))
		}
	}
	res, err := c.GetSlice(ctx, []byte("k"), parent("SuperCounter1"), columnRange("", "", true, 10), ONE)
	must(t, err)
	var got []string
	for _, r := range res {
		var subs []string
		for _, col := range r.CounterSuperColumn.Columns {
			subs = append(subs, string(col.Name))
		}
		got = append(got, string(r.CounterSuperColumn.Name)+"{"+strings.Join(subs, ",")+"}")
	}
	if strings.Join(got, " ") != "s3{b,a} s2{b,a} s1{a,b}" {
		t.Fatalf("reversed counter super slice %v", got)
	}
}

func TestThriftRandomByteOrderedTokenKept(t *testing.T) {
	// Without initial_token, Cassandra 3.11's bootstrap draws random tokens
	// (ByteOrderedPartitioner.getRandomToken: 16 random bytes) and keeps
	// them in system.local for the next start.
	dir := t.TempDir()
	token := func(cfg server.Config) string {
		t.Helper()
		cfg.Partitioner, cfg.DisableCQL = "ByteOrderedPartitioner", true
		srv, err := server.Start(ctx, cfg)
		must(t, err)
		defer srv.Close()
		tm, err := dial(t, srv.Addr()).DescribeTokenMap(ctx)
		must(t, err)
		if len(tm) != 1 {
			t.Fatalf("token map %v", tm)
		}
		for tok := range tm {
			return tok
		}
		return ""
	}
	first := token(server.Config{DataDir: dir})
	if b, err := hex.DecodeString(first); err != nil || len(b) != 16 {
		t.Fatalf("token %q is not 16 bytes", first)
	}
	if again := token(server.Config{DataDir: dir}); again != first {
		t.Fatalf("restart drew a new token: %s, then %s", first, again)
	}
	if other := token(server.Config{DataDir: t.TempDir()}); other == first {
		t.Fatal("another data directory got the same token")
	}
	// Configured tokens win and are not saved.
	if got := token(server.Config{DataDir: t.TempDir(), Tokens: []string{"abcd"}}); got != "abcd" {
		t.Fatalf("configured token: %s", got)
	}
}
