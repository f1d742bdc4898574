package native

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
	gocqllz4 "github.com/apache/cassandra-gocql-driver/v2/lz4"
	gocqlsnappy "github.com/apache/cassandra-gocql-driver/v2/snappy"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"

	"github.com/cassa-go/cassa/internal/gocqllog"
	"github.com/cassa-go/cassa/server/internal/auth"
)

func cluster(port int, log *gocqllog.Recorder) *gocql.ClusterConfig {
	c := gocql.NewCluster("127.0.0.1")
	c.Port = port
	c.Logger = log
	return c
}

// gocql with its default settings: it offers v5, gets 3.11's beta error,
// falls back to v4, reads system.local, system.peers and the whole
// system_schema, registers for events; then a QUERY, a prepared
// statement, a batch, and a schema event.
func TestGocqlDefaults(t *testing.T) {
	srv, node, sniff, port := serveNode(t, Config{})
	log := &gocqllog.Recorder{}
	s, err := cluster(port, log).CreateSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	// Protocol negotiation: a v5 probe first, every later connection v4.
	first := sniff.firstBytes()
	if len(first) < 2 || first[0] != 5 {
		t.Fatalf("first bytes of the connections: %v", first)
	}
	for _, b := range first[1:] {
		if b != 4 {
			t.Fatalf("first bytes of the connections: %v", first)
		}
	}
	for _, q := range []string{
		"QUERY SELECT * FROM system.local WHERE key='local'",
		"QUERY SELECT * FROM system.peers",
		"PREPARE SELECT keyspace_name, durable_writes, replication FROM system_schema.keyspaces",
		"EXECUTE SELECT keyspace_name, table_name, column_name, clustering_order, type, kind, position FROM system_schema.columns",
	} {
		if node.saw(q) == 0 {
			t.Errorf("gocql did not send %s", q)
		}
	}

	// A statement gocql sends as QUERY.
	if err := s.Query("TRUNCATE ks.t").Exec(); err != nil {
		t.Fatal(err)
	}
	// A prepared statement: PREPARE, then EXECUTE with Skip_metadata.
	var v string
	if err := s.Query("SELECT v FROM ks.t WHERE k = ?", 7).Scan(&v); err != nil || v != "v7" {
		t.Fatalf("SELECT: %q, %v", v, err)
	}
	if node.saw("PREPARE SELECT v FROM ks.t WHERE k = ?") != 1 || node.saw("EXECUTE SELECT v FROM ks.t WHERE k = ?") != 1 {
		t.Fatal("no PREPARE + EXECUTE")
	}
	// A batch: entries with values prepared (kind 1), without as text.
	b := s.Batch(gocql.LoggedBatch)
	b.Query("INSERT INTO ks.t (k, v) VALUES (?, ?)", 1, "one")
	b.Query("INSERT INTO ks.t (k, v) VALUES (2, 'two')")
	if err := s.ExecuteBatch(b); err != nil {
		t.Fatal(err)
	}
	if node.saw("BATCH 10") != 1 {
		t.Fatalf("batch: %v", node.seen)
	}
	if err := s.Query("SELECT v FROM ks.t WHERE k = ?", 1).Scan(&v); err != nil || v != "one" {
		t.Fatalf("SELECT after batch: %q, %v", v, err)
	}

	// A schema event reaches the control connection and gocql handles it.
	srv.Publish(&message.SchemaChangeEvent{ChangeType: primitive.SchemaChangeTypeCreated, Target: primitive.SchemaChangeTargetTable, Keyspace: "ks", Object: "t2"})
	log.WaitFor(t, "Handling event frame.", `change="CREATED"`, `keyspace="ks"`, `object="t2"`)
	srv.Publish(&message.SchemaChangeEvent{ChangeType: primitive.SchemaChangeTypeUpdated, Target: primitive.SchemaChangeTargetFunction, Keyspace: "ks", Object: "f", Arguments: []string{"int"}})
	// gocql prints no details of a function change; its v4 body is 48
	// bytes: the event type, UPDATED, FUNCTION, ks, f and ["int"].
	log.WaitFor(t, "Handling event frame.", "stream=-1 op=EVENT length=48")
}

// USE on every pool connection, as gocql does with ClusterConfig.Keyspace.
func TestGocqlKeyspace(t *testing.T) {
	_, node, _, port := serveNode(t, Config{})
	c := cluster(port, &gocqllog.Recorder{})
	c.Keyspace = "ks"
	c.Metadata.CacheMode = gocql.Disabled
	s, err := c.CreateSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Query("TRUNCATE t").Exec(); err != nil {
		t.Fatal(err)
	}
	node.mu.Lock()
	defer node.mu.Unlock()
	users := 0
	for _, sess := range node.sessions {
		if sess.Keyspace() == "ks" {
			users++
		}
	}
	if users == 0 {
		t.Fatal("no session has the keyspace after USE")
	}
}

func TestGocqlCompression(t *testing.T) {
	for _, tt := range []struct {
		name string
		comp gocql.Compressor
	}{{"snappy", gocqlsnappy.SnappyCompressor{}}, {"lz4", gocqllz4.LZ4Compressor{}}} {
		t.Run(tt.name, func(t *testing.T) {
			_, node, _, port := serveNode(t, Config{})
			c := cluster(port, &gocqllog.Recorder{})
			c.Compressor = tt.comp
			s, err := c.CreateSession()
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			big := strings.Repeat("compress me ", 2000)
			if err := s.Query("INSERT INTO ks.t (k, v) VALUES (?, ?)", 5, big).Exec(); err != nil {
				t.Fatal(err)
			}
			var v string
			if err := s.Query("SELECT v FROM ks.t WHERE k = ?", 5).Scan(&v); err != nil || v != big {
				t.Fatalf("SELECT: %d bytes, %v", len(v), err)
			}
			node.mu.Lock()
			defer node.mu.Unlock()
			compressed := 0
			for _, sess := range node.sessions {
				if c, _ := sess.StartupOption("COMPRESSION"); c == tt.name {
					compressed++
				}
			}
			if compressed == 0 || compressed != len(node.sessions) {
				t.Fatalf("%d of %d sessions use %s", compressed, len(node.sessions), tt.name)
			}
		})
	}
}

// Many requests on one connection, the backend slower for some: all are
// answered right, some out of order.
func TestGocqlConcurrentOutOfOrder(t *testing.T) {
	_, node, _, port := serveNode(t, Config{})
	node.slow = true
	c := cluster(port, &gocqllog.Recorder{})
	c.NumConns = 1
	c.Metadata.CacheMode = gocql.Disabled
	s, err := c.CreateSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const n = 64
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := int32((n - i) % 40) // sleeps of 0-39 ms
			var v string
			if err := s.Query("SELECT v FROM ks.t WHERE k = ?", k).Scan(&v); err != nil {
				errs <- err
			} else if v != fmt.Sprint("v", k) {
				errs <- fmt.Errorf("k=%d: got %q", k, v)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	node.mu.Lock()
	defer node.mu.Unlock()
	if node.peak < 2 {
		t.Fatalf("at most %d requests ran at once", node.peak)
	}
	outOfOrder := false
	for i := range node.order {
		if i < len(node.started) && node.order[i] != node.started[i] {
			outOfOrder = true
		}
	}
	if !outOfOrder {
		t.Fatal("requests finished in the order they started")
	}
	users := map[uint64]bool{}
	for id, sess := range node.sessions {
		if sess.Keyspace() == "" {
			users[id] = true
		}
	}
	if len(users) > 2 { // the control connection and the one pool connection
		t.Fatalf("%d connections", len(users))
	}
}

// SASL PLAIN with gocql.PasswordAuthenticator against the server's
// PasswordAuthenticator.
func TestGocqlAuth(t *testing.T) {
	hash, err := auth.HashPassword([]byte("secret"), 4)
	if err != nil {
		t.Fatal(err)
	}
	pw, err := auth.NewPassword(auth.User{Name: "cassandra", Hash: hash})
	if err != nil {
		t.Fatal(err)
	}
	_, node, _, port := serveNode(t, Config{Authenticator: CredentialsFunc(pw.Authenticate)})

	c := cluster(port, &gocqllog.Recorder{})
	c.Authenticator = gocql.PasswordAuthenticator{Username: "cassandra", Password: "secret"}
	s, err := c.CreateSession()
	if err != nil {
		t.Fatal(err)
	}
	var v string
	if err := s.Query("SELECT v FROM ks.t WHERE k = ?", 3).Scan(&v); err != nil || v != "v3" {
		t.Fatalf("SELECT: %q, %v", v, err)
	}
	s.Close()
	node.mu.Lock()
	for _, sess := range node.sessions {
		if sess.User() != "cassandra" {
			t.Errorf("session user %q", sess.User())
		}
	}
	node.mu.Unlock()

	c = cluster(port, &gocqllog.Recorder{})
	c.Authenticator = gocql.PasswordAuthenticator{Username: "cassandra", Password: "wrong"}
	c.ConnectTimeout = 3 * time.Second
	if s, err := c.CreateSession(); err == nil {
		s.Close()
		t.Fatal("logged in with a wrong password")
	} else if !strings.Contains(err.Error(), "Provided username cassandra and/or password are incorrect") {
		t.Fatalf("error %v", err)
	}

	// No credentials at all: gocql refuses the AUTHENTICATE it cannot answer.
	c = cluster(port, &gocqllog.Recorder{})
	c.ConnectTimeout = 3 * time.Second
	if s, err := c.CreateSession(); err == nil {
		s.Close()
		t.Fatal("connected without credentials")
	} else if !strings.Contains(err.Error(), "org.apache.cassandra.auth.PasswordAuthenticator") {
		t.Fatalf("error %v", err)
	}
}

// A v3 session (gocql told to use v3) works end to end.
func TestGocqlProtocolV3(t *testing.T) {
	_, node, sniff, port := serveNode(t, Config{})
	c := cluster(port, &gocqllog.Recorder{})
	c.ProtoVersion = 3
	s, err := c.CreateSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v string
	if err := s.Query("SELECT v FROM ks.t WHERE k = ?", 9).Scan(&v); err != nil || v != "v9" {
		t.Fatalf("SELECT: %q, %v", v, err)
	}
	for _, b := range sniff.firstBytes() {
		if b != 3 {
			t.Fatalf("first bytes %v", sniff.firstBytes())
		}
	}
	if node.saw("EXECUTE SELECT v FROM ks.t WHERE k = ?") != 1 {
		t.Fatal("no EXECUTE over v3")
	}
}
