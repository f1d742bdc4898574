package server_test

import (
	"crypto/tls"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/server"
)

// With a password authenticator, CQL clients log in over SASL PLAIN
// (PasswordAuthenticator) with the same users as Thrift clients.
func TestCQLPasswordAuth(t *testing.T) {
	h, err := server.HashPassword("secret")
	must(t, err)
	a, err := server.PasswordUsers(map[string]string{"alice": h})
	must(t, err)
	srv := startCQL(t, server.Config{Authenticator: a})

	c := clusterFor(t, srv)
	c.Authenticator = gocql.PasswordAuthenticator{Username: "alice", Password: "secret"}
	s, err := c.CreateSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var dc string
	if err := s.Query("SELECT data_center FROM system.local").Scan(&dc); err != nil || dc != "datacenter1" {
		t.Fatalf("logged in: %q %v", dc, err)
	}
	// A logged-in user is told roles live in the server's configuration.
	expectError(t, s, 0x2200, "CREATE ROLE is not supported: this server's users come from its configured authenticator", "CREATE ROLE r")

	c.Authenticator = gocql.PasswordAuthenticator{Username: "alice", Password: "wrong"}
	if _, err := c.CreateSession(); err == nil || !strings.Contains(err.Error(), "Provided username alice and/or password are incorrect") {
		t.Errorf("wrong password: %v", err)
	}
	c.Authenticator = nil
	if _, err := c.CreateSession(); err == nil {
		t.Error("connected without credentials")
	}
}

// Config.TLS serves CQL over TLS too.
func TestCQLTLS(t *testing.T) {
	pki := newTestPKI(t)
	cfg, err := server.LoadTLSConfig(pki.srvCert, pki.srvKey, "")
	must(t, err)
	srv := startCQL(t, server.Config{TLS: cfg})
	c := clusterFor(t, srv)
	c.SslOpts = &gocql.SslOptions{Config: &tls.Config{RootCAs: pki.caPool}}
	s, err := c.CreateSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var release string
	if err := s.Query("SELECT release_version FROM system.local").Scan(&release); err != nil || release != "3.11.17" {
		t.Fatalf("over TLS: %q %v", release, err)
	}
	// A plaintext client gets nothing it can read.
	if optionsAnswered(t, srv.CQLAddr()) {
		t.Error("a plaintext client was answered")
	}
}

// optionsAnswered sends a v4 OPTIONS frame on a new connection and reports
// whether a well-formed v4 response frame came back.
func optionsAnswered(t *testing.T, addr string) bool {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := nc.Write([]byte{0x04, 0, 0, 1, 0x05, 0, 0, 0, 0}); err != nil {
		return false
	}
	hdr := make([]byte, 9)
	if _, err := io.ReadFull(nc, hdr); err != nil {
		return false
	}
	return hdr[0] == 0x84 && hdr[4] == 0x06 && binary.BigEndian.Uint32(hdr[5:]) < 1<<16
}

// IdleTimeout closes an idle CQL connection, and only it.
func TestCQLIdleTimeout(t *testing.T) {
	srv := startCQL(t, server.Config{IdleTimeout: 100 * time.Millisecond})
	c := dialNative(t, srv.CQLAddr(), nil)
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		t.Fatal("idle connection still open")
	}
	// A new connection is served.
	if !optionsAnswered(t, srv.CQLAddr()) {
		t.Error("new connection not served")
	}
}

// MaxConnections caps CQL connections, counted apart from Thrift ones: one
// more is closed at once.
func TestCQLMaxConnections(t *testing.T) {
	srv := startCQL(t, server.Config{MaxConnections: 1})
	thriftConn := dial(t, srv.Addr())
	if _, err := thriftConn.DescribeVersion(ctx); err != nil {
		t.Fatal(err)
	}
	c := dialNative(t, srv.CQLAddr(), nil)
	if optionsAnswered(t, srv.CQLAddr()) {
		t.Error("a second CQL connection was served")
	}
	if m := c.query("SELECT key FROM system.local"); m.GetOpCode() != 0x08 {
		t.Errorf("first connection: %v", m)
	}
}

// Config.DisableCQL serves Thrift alone.
func TestCQLDisabled(t *testing.T) {
	srv := startCQL(t, server.Config{DisableCQL: true})
	if srv.CQLAddr() != "" {
		t.Errorf("CQLAddr = %q", srv.CQLAddr())
	}
	if _, err := dial(t, srv.Addr()).DescribeVersion(ctx); err != nil {
		t.Fatal(err)
	}
}

// A schema change made by one session reaches another through the
// SCHEMA_CHANGE event on its control connection, and its metadata.
func TestCQLSchemaEventReachesOtherSession(t *testing.T) {
	srv := startCQL(t, server.Config{})
	created := make(chan string, 16)
	c := clusterFor(t, srv)
	c.Metadata.SchemaListener = gocql.SchemaListenersConfig{TableChangeListener: tableListener(created)}
	watcher, err := c.CreateSession()
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close()

	s := connect(t, srv, "")
	mustExec(t, s, "CREATE KEYSPACE ev WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	// gocql reports created tables of keyspaces it already knew.
	waitUntil(t, "the keyspace in the other session", func() bool {
		_, err := watcher.KeyspaceMetadata("ev")
		return err == nil
	})
	mustExec(t, s, "CREATE TABLE ev.t (k int PRIMARY KEY, v text)")
	select {
	case name := <-created:
		if name != "ev.t" {
			t.Errorf("created %s", name)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the other session never saw the table")
	}
	ks, err := watcher.KeyspaceMetadata("ev")
	if err != nil || ks.Tables["t"] == nil || ks.Tables["t"].Columns["v"] == nil {
		t.Fatalf("metadata after the event: %v %v", err, ks)
	}
}

type tableListener chan string

func (l tableListener) OnTableCreated(e gocql.OnTableCreatedEvent) {
	l <- e.Table.Keyspace + "." + e.Table.Name
}
func (l tableListener) OnTableUpdated(gocql.OnTableUpdatedEvent) {}
func (l tableListener) OnTableDropped(gocql.OnTableDroppedEvent) {}
