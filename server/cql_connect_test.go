package server_test

import (
	"net"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
	"github.com/apache/cassandra-gocql-driver/v2/lz4"
	"github.com/apache/cassandra-gocql-driver/v2/snappy"

	"github.com/cassa-go/cassa/server"
)

// gocql with its default ClusterConfig reads system.local, system.peers
// and the whole of system_schema (prepared) while it connects.
func TestCQLConnectDefaults(t *testing.T) {
	srv := startCQL(t, server.Config{ClusterName: "CQL Cluster", Partitioner: "RandomPartitioner"})
	s := connect(t, srv, "")

	var (
		cluster, dc, rack, release, cqlVersion, proto, part, thrift, boot, key string
		hostID, schemaVersion                                                  gocql.UUID
		rpc, listen, broadcast                                                 net.IP
		tokens                                                                 []string
	)
	err := s.Query(`SELECT key, bootstrapped, broadcast_address, cluster_name, cql_version, data_center,
		host_id, listen_address, native_protocol_version, partitioner, rack, release_version, rpc_address,
		schema_version, thrift_version, tokens FROM system.local WHERE key = 'local'`).Scan(
		&key, &boot, &broadcast, &cluster, &cqlVersion, &dc, &hostID, &listen, &proto, &part, &rack, &release,
		&rpc, &schemaVersion, &thrift, &tokens)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"key": "local", "bootstrapped": "COMPLETED", "cluster_name": "CQL Cluster",
		"cql_version": "3.4.4", "data_center": "datacenter1", "rack": "rack1", "release_version": "3.11.17",
		"native_protocol_version": "4", "partitioner": "org.apache.cassandra.dht.RandomPartitioner", "thrift_version": "20.1.0"}
	got := map[string]string{"key": key, "bootstrapped": boot, "cluster_name": cluster, "cql_version": cqlVersion,
		"data_center": dc, "rack": rack, "release_version": release, "native_protocol_version": proto,
		"partitioner": part, "thrift_version": thrift}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	for name, ip := range map[string]net.IP{"rpc_address": rpc, "listen_address": listen, "broadcast_address": broadcast} {
		if !ip.Equal(net.IPv4(127, 0, 0, 1)) {
			t.Errorf("%s = %v", name, ip)
		}
	}
	if len(tokens) != 1 || hostID == (gocql.UUID{}) || schemaVersion == (gocql.UUID{}) {
		t.Errorf("tokens %v host_id %v schema_version %v", tokens, hostID, schemaVersion)
	}
}

// Drivers that compress (lz4, snappy) are served compressed frames.
func TestCQLCompression(t *testing.T) {
	srv := startCQL(t, server.Config{})
	for name, comp := range map[string]gocql.Compressor{"lz4": &lz4.LZ4Compressor{}, "snappy": &snappy.SnappyCompressor{}} {
		t.Run(name, func(t *testing.T) {
			c := clusterFor(t, srv)
			c.Compressor = comp
			s, err := c.CreateSession()
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ks := "comp_" + name
			mustExec(t, s, "CREATE KEYSPACE "+ks+" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
			var n int
			iter := s.Query("SELECT column_name FROM system_schema.columns").Iter()
			var col string
			for iter.Scan(&col) {
				n++
			}
			if err := iter.Close(); err != nil || n < 100 {
				t.Fatalf("%d columns: %v", n, err)
			}
		})
	}
}

// TRUNCATE records the table in system.local.truncated_at
// (SystemKeyspace.saveTruncationRecord); dropping the table removes it.
func TestCQLTruncatedAt(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := connect(t, srv, "")
	mustExec(t, s, "CREATE KEYSPACE tr WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	mustExec(t, s, "CREATE TABLE tr.t (k int PRIMARY KEY)")
	var at map[gocql.UUID][]byte
	if err := s.Query("SELECT truncated_at FROM system.local").Scan(&at); err != nil || len(at) != 0 {
		t.Fatalf("before: %v %v", at, err)
	}
	mustExec(t, s, "TRUNCATE tr.t")
	var id gocql.UUID
	if err := s.Query("SELECT id FROM system_schema.tables WHERE keyspace_name = 'tr' AND table_name = 't'").Scan(&id); err != nil {
		t.Fatal(err)
	}
	if err := s.Query("SELECT truncated_at FROM system.local").Scan(&at); err != nil || len(at[id]) != 20 {
		t.Fatalf("after TRUNCATE: %v %v", at, err)
	}
	mustExec(t, s, "DROP TABLE tr.t")
	at = nil
	if err := s.Query("SELECT truncated_at FROM system.local").Scan(&at); err != nil || len(at) != 0 {
		t.Fatalf("after DROP: %v %v", at, err)
	}
}
