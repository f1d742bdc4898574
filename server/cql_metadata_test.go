package server_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/server"
)

// gocql's metadata API reads system_schema (keyspaces, tables, columns,
// types, ...) with prepared statements and shows a table created over CQL
// with 3.11's column kinds, positions, clustering orders and types.
func TestCQLGocqlMetadata(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := connect(t, srv, "")
	mustExec(t, s, `CREATE KEYSPACE shop WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`)
	mustExec(t, s, `CREATE TYPE shop.address (street text, city text, zip int)`)
	mustExec(t, s, `CREATE TABLE shop.orders (
		customer_id uuid, order_year int, order_id timeuuid, customer_name text STATIC,
		items list<text>, quantities map<text, int>, tags set<text>, ship_to frozen<address>, status text,
		PRIMARY KEY ((customer_id), order_year, order_id)
	) WITH CLUSTERING ORDER BY (order_year DESC, order_id ASC)`)
	mustExec(t, s, `CREATE INDEX ON shop.orders (status)`)

	// With the default cache, the metadata arrives through the
	// SCHEMA_CHANGE events on the control connection.
	var ks *gocql.KeyspaceMetadata
	waitUntil(t, "the keyspace's metadata", func() bool {
		var err error
		ks, err = s.KeyspaceMetadata("shop")
		return err == nil && ks.Tables["orders"] != nil && len(ks.Tables["orders"].Columns) == 9 && ks.UserTypes["address"] != nil
	})
	if ks.StrategyClass != "org.apache.cassandra.locator.SimpleStrategy" || ks.StrategyOptions["replication_factor"] != "1" || !ks.DurableWrites {
		t.Errorf("keyspace: %+v", ks)
	}
	tm := ks.Tables["orders"]
	if tm == nil {
		t.Fatalf("no table orders in %v", ks.Tables)
	}
	type col struct {
		kind  gocql.ColumnKind
		typ   string
		order string
		pos   int
	}
	want := map[string]col{
		"customer_id":   {gocql.ColumnPartitionKey, "uuid", "none", 0},
		"order_year":    {gocql.ColumnClusteringKey, "int", "desc", 0},
		"order_id":      {gocql.ColumnClusteringKey, "timeuuid", "asc", 1},
		"customer_name": {gocql.ColumnStatic, "text", "none", -1},
		"items":         {gocql.ColumnRegular, "list<text>", "none", -1},
		"quantities":    {gocql.ColumnRegular, "map<text, int>", "none", -1},
		"tags":          {gocql.ColumnRegular, "set<text>", "none", -1},
		"ship_to":       {gocql.ColumnRegular, "frozen<address>", "none", -1},
		"status":        {gocql.ColumnRegular, "text", "none", -1},
	}
	if len(tm.Columns) != len(want) {
		t.Errorf("columns %v", tm.OrderedColumns)
	}
	for name, w := range want {
		c := tm.Columns[name]
		if c == nil {
			t.Errorf("no column %s", name)
			continue
		}
		got := col{c.Kind, c.Validator, c.ClusteringOrder, c.ComponentIndex}
		if w.pos < 0 {
			got.pos = -1
		}
		if got != w {
			t.Errorf("%s: got %+v, want %+v", name, got, w)
		}
	}
	if len(tm.PartitionKey) != 1 || tm.PartitionKey[0].Name != "customer_id" ||
		len(tm.ClusteringColumns) != 2 || tm.ClusteringColumns[0].Name != "order_year" {
		t.Errorf("keys: %v %v", tm.PartitionKey, tm.ClusteringColumns)
	}
	ut := ks.UserTypes["address"]
	if ut == nil || len(ut.FieldNames) != 3 || ut.FieldTypes[2].Type() != gocql.TypeInt {
		t.Errorf("user type: %+v", ut)
	}

	// A change made afterwards shows in the metadata (gocql refreshes it
	// on the SCHEMA_CHANGE event).
	mustExec(t, s, `ALTER TABLE shop.orders ADD note text`)
	waitUntil(t, "the new column in the metadata", func() bool {
		ks, err := s.KeyspaceMetadata("shop")
		return err == nil && ks.Tables["orders"] != nil && ks.Tables["orders"].Columns["note"] != nil
	})

	// Without the cache, gocql reads system_schema on each call.
	c := clusterFor(t, srv)
	c.Metadata.CacheMode = gocql.Disabled
	direct, err := c.CreateSession()
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	ks, err = direct.KeyspaceMetadata("shop")
	if err != nil || ks.Tables["orders"] == nil || ks.Tables["orders"].Columns["note"] == nil {
		t.Fatalf("uncached metadata: %v %+v", err, ks)
	}
	if _, err := direct.KeyspaceMetadata("nope"); err != gocql.ErrKeyspaceDoesNotExist {
		t.Errorf("unknown keyspace: %v", err)
	}
}

// waitUntil polls cond for up to 10 s.
func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// system_schema rows read directly, as the Python and Node.js drivers
// read them (SchemaKeyspace's row writers), for a table and its keyspace,
// and system.peers empty with its metadata.
func TestCQLSystemSchemaRows(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := connect(t, srv, "")
	mustExec(t, s, `CREATE KEYSPACE shop WITH replication = {'class': 'NetworkTopologyStrategy', 'datacenter1': 1} AND durable_writes = false`)
	mustExec(t, s, `CREATE TABLE shop.t (k int, c text, v text, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC)`)

	var durable bool
	var repl map[string]string
	if err := s.Query("SELECT durable_writes, replication FROM system_schema.keyspaces WHERE keyspace_name = ?", "shop").Scan(&durable, &repl); err != nil {
		t.Fatal(err)
	}
	if durable || repl["class"] != "org.apache.cassandra.locator.NetworkTopologyStrategy" || repl["datacenter1"] != "1" {
		t.Errorf("keyspaces row: %v %v", durable, repl)
	}
	var flags []string
	var caching, compaction map[string]string
	var gc int
	var spec string
	var id gocql.UUID
	if err := s.Query(`SELECT flags, caching, compaction, gc_grace_seconds, speculative_retry, id FROM system_schema.tables
		WHERE keyspace_name = 'shop' AND table_name = 't'`).Scan(&flags, &caching, &compaction, &gc, &spec, &id); err != nil {
		t.Fatal(err)
	}
	if len(flags) != 1 || flags[0] != "compound" || caching["keys"] != "ALL" || gc != 864000 || spec != "99PERCENTILE" ||
		compaction["class"] != "org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy" || id.Version() != 1 {
		t.Errorf("tables row: %v %v %v %d %q %v", flags, caching, compaction, gc, spec, id)
	}
	iter := s.Query("SELECT column_name, kind, position, clustering_order, type FROM system_schema.columns WHERE keyspace_name = 'shop' AND table_name = 't'").Iter()
	var got []string
	var name, kind, order, typ string
	var pos int
	for iter.Scan(&name, &kind, &pos, &order, &typ) {
		got = append(got, fmt.Sprintf("%s %s %d %s %s", name, kind, pos, order, typ))
	}
	if err := iter.Close(); err != nil {
		t.Fatal(err)
	}
	want := []string{"c clustering 0 desc text", "k partition_key 0 none int", "v regular -1 none text"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("columns rows:\n got %q\nwant %q", got, want)
	}
	iter = s.Query("SELECT * FROM system.peers").Iter()
	if cols := iter.Columns(); len(cols) != 9 || cols[0].Name != "peer" || iter.NumRows() != 0 {
		t.Errorf("system.peers: %v rows %d", cols, iter.NumRows())
	}
	if err := iter.Close(); err != nil {
		t.Fatal(err)
	}
}
