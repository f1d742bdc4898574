package native

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The DataStax Python driver and the Node.js driver negotiate the protocol
// differently from gocql (Python: cassandra/cluster.py _try_connect and
// ProtocolVersion.get_lower_supported; Node: lib/connection.js startup,
// which takes the version of the error frame). These tests
// run them against the server when the environment provides them:
//
//	CASSA_TEST_PYTHON=/path/to/python   a Python with cassandra-driver (3.25)
//	CASSA_TEST_NODE_MODULES=/path/dir   a directory with node_modules/cassandra-driver (4.10)
//
// Both check what each driver sent first on every connection and that a
// prepared SELECT then works.

func runDriver(t *testing.T, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
	return string(out)
}

func TestPythonDriver(t *testing.T) {
	python := os.Getenv("CASSA_TEST_PYTHON")
	if python == "" {
		t.Skip("CASSA_TEST_PYTHON not set")
	}
	_, _, sniff, port := serveNode(t, Config{})
	script := fmt.Sprintf(`
from cassandra.cluster import Cluster
c = Cluster(["127.0.0.1"], port=%d)
s = c.connect()
print("PROTOCOL", c.protocol_version)
p = s.prepare("SELECT v FROM ks.t WHERE k = ?")
print("ROW", s.execute(p, [7]).one().v)
c.shutdown()
`, port)
	out := runDriver(t, python, "-c", script)
	if !strings.Contains(out, "PROTOCOL 4") || !strings.Contains(out, "ROW v7") {
		t.Fatalf("python driver:\n%s", out)
	}
	// DSE_V2, DSE_V1, v5, then v4 for good.
	first := sniff.firstBytes()
	t.Logf("protocol versions of the connections, in order: %v", first)
	want := []byte{0x42, 0x41, 5, 4}
	if len(first) < len(want) || string(first[:4]) != string(want) {
		t.Fatalf("first bytes of the connections: %v", first)
	}
	for _, b := range first[4:] {
		if b != 4 {
			t.Fatalf("first bytes of the connections: %v", first)
		}
	}
}

func TestNodeDriver(t *testing.T) {
	dir := os.Getenv("CASSA_TEST_NODE_MODULES")
	if dir == "" {
		t.Skip("CASSA_TEST_NODE_MODULES not set")
	}
	_, _, sniff, port := serveNode(t, Config{})
	script := fmt.Sprintf(`
const cassandra = require(%q);
(async () => {
  const client = new cassandra.Client({contactPoints: ["127.0.0.1"], localDataCenter: "datacenter1", protocolOptions: {port: %d}});
  await client.connect();
  console.log("PROTOCOL", client.controlConnection.protocolVersion);
  const r = await client.execute("SELECT v FROM ks.t WHERE k = ?", [7], {prepare: true});
  console.log("ROW", r.rows[0].v);
  await client.shutdown();
})().catch(e => { console.error(e); process.exit(1); });
`, filepath.Join(dir, "node_modules", "cassandra-driver"), port)
	out := runDriver(t, "node", "-e", script)
	if !strings.Contains(out, "PROTOCOL 4") || !strings.Contains(out, "ROW v7") {
		t.Fatalf("node driver:\n%s", out)
	}
	// DSE_V2 (STARTUP), then v4 on every connection.
	first := sniff.firstBytes()
	t.Logf("protocol versions of the connections, in order: %v", first)
	if len(first) < 2 || first[0] != 0x42 {
		t.Fatalf("first bytes of the connections: %v", first)
	}
	for _, b := range first[1:] {
		if b != 4 {
			t.Fatalf("first bytes of the connections: %v", first)
		}
	}
}
