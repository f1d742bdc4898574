package server_test

import (
	"crypto/tls"
	"encoding/binary"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"

	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/server/internal/auth"
)

// With a password authenticator, CQL clients log in over SASL PLAIN
// (PasswordAuthenticator) with the same users as Thrift clients.
func TestCQLPasswordAuth(t *testing.T) {
	h, err := auth.HashPassword([]byte("secret"), 4) // low cost: fast tests
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

// With `cassa server --users FILE` (LoadUsersFile) the native port wants
// PasswordAuthenticator's SASL PLAIN exchange, and refuses everything
// else as 3.11's ServerConnection.validateNewMessage does: before STARTUP
// only STARTUP and OPTIONS, while authenticating only AUTH_RESPONSE (a
// ProtocolError, code 0x000A); a wrong password is an AuthenticationError
// (0x0100) with PasswordAuthenticator's text. The same users log in over
// Thrift.
func TestCQLUsersFileRefusesUnauthenticated(t *testing.T) {
	h, err := auth.HashPassword([]byte("pw"), 4)
	must(t, err)
	file := filepath.Join(t.TempDir(), "users")
	must(t, os.WriteFile(file, []byte("bob:"+h+"\n"), 0o600))
	a, err := server.LoadUsersFile(file)
	must(t, err)
	srv := startCQL(t, server.Config{Authenticator: a})

	c := openNative(t, srv.CQLAddr(), nil)
	wantError := func(m message.Message, code primitive.ErrorCode, msg string) {
		t.Helper()
		e, ok := m.(message.Error)
		if !ok || e.GetErrorCode() != code || e.GetErrorMessage() != msg {
			t.Errorf("got %v, want error %v %q", m, code, msg)
		}
	}
	wantError(c.query("SELECT * FROM system.local"), primitive.ErrorCodeProtocolError, "Unexpected message QUERY, expecting STARTUP or OPTIONS")
	if m := c.send(&message.Startup{Options: map[string]string{"CQL_VERSION": "3.0.0"}}).Body.Message; m.GetOpCode() != primitive.OpCodeAuthenticate ||
		m.(*message.Authenticate).Authenticator != "org.apache.cassandra.auth.PasswordAuthenticator" {
		t.Fatalf("STARTUP answered %v", m)
	}
	wantError(c.query("SELECT * FROM system.local"), primitive.ErrorCodeProtocolError, "Unexpected message QUERY, expecting SASL_RESPONSE")
	wantError(c.send(&message.Prepare{Query: "SELECT * FROM system.local"}).Body.Message, primitive.ErrorCodeProtocolError, "Unexpected message PREPARE, expecting SASL_RESPONSE")
	wantError(c.send(&message.AuthResponse{Token: []byte("\x00bob\x00nope")}).Body.Message, primitive.ErrorCodeAuthenticationError, "Provided username bob and/or password are incorrect")
	wantError(c.send(&message.AuthResponse{Token: []byte("\x00eve\x00pw")}).Body.Message, primitive.ErrorCodeAuthenticationError, "Provided username eve and/or password are incorrect")
	if m := c.send(&message.AuthResponse{Token: []byte("\x00bob\x00pw")}).Body.Message; m.GetOpCode() != primitive.OpCodeAuthSuccess {
		t.Fatalf("login: %v", m)
	}
	if m := c.query("SELECT release_version FROM system.local"); m.GetOpCode() != primitive.OpCodeResult {
		t.Fatalf("after login: %v", m)
	}

	// gocql's PasswordAuthenticator, and the same user over Thrift.
	cl := clusterFor(t, srv)
	cl.Authenticator = gocql.PasswordAuthenticator{Username: "bob", Password: "pw"}
	s, err := cl.CreateSession()
	must(t, err)
	defer s.Close()
	mustExec(t, s, "CREATE KEYSPACE auth1 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	mustExec(t, s, "CREATE TABLE auth1.t (k text PRIMARY KEY, v text) WITH COMPACT STORAGE")
	mustExec(t, s, "INSERT INTO auth1.t (k, v) VALUES ('a', 'from CQL')")
	th := dial(t, srv.Addr())
	must(t, th.SetKeyspace(ctx, "auth1")) // 3.11 does not check it before login
	_, err = th.GetSlice(ctx, []byte("a"), parent("t"), columnRange("", "", false, 10), ONE)
	mustIRE(t, err, "You have not logged in")
	must(t, th.Login(ctx, creds("bob", "pw")))
	if got := columns(t, th.bigSlice(t, "a", parent("t"))); len(got) != 1 || string(got[0].Value) != "from CQL" {
		t.Errorf("Thrift reads %v", got)
	}
}

// TLS with client certificates required (LoadTLSConfig with a CA file)
// holds on the native port too: gocql with a certificate signed by the CA
// connects, without one it cannot.
func TestCQLTLSClientCertificateRequired(t *testing.T) {
	pki := newTestPKI(t)
	cfg, err := server.LoadTLSConfig(pki.srvCert, pki.srvKey, pki.caFile)
	must(t, err)
	srv := startCQL(t, server.Config{TLS: cfg})
	cert, err := tls.LoadX509KeyPair(pki.cliCert, pki.cliKey)
	must(t, err)

	c := clusterFor(t, srv)
	c.SslOpts = &gocql.SslOptions{Config: &tls.Config{RootCAs: pki.caPool, Certificates: []tls.Certificate{cert}}}
	s, err := c.CreateSession()
	must(t, err)
	defer s.Close()
	var release string
	if err := s.Query("SELECT release_version FROM system.local").Scan(&release); err != nil || release != "3.11.17" {
		t.Fatalf("with a client certificate: %q %v", release, err)
	}

	c = clusterFor(t, srv)
	c.ConnectTimeout, c.Timeout = 2*time.Second, 2*time.Second
	c.SslOpts = &gocql.SslOptions{Config: &tls.Config{RootCAs: pki.caPool}}
	if s, err := c.CreateSession(); err == nil {
		s.Close()
		t.Fatal("a client without a certificate connected")
	}
	// The session with a certificate is unaffected.
	if err := s.Query("SELECT release_version FROM system.local").Exec(); err != nil {
		t.Fatal(err)
	}
}

// IdleTimeout closes a driver's idle connections too (Cassandra 4.0's
// native_transport_idle_timeout; 3.11 has none), and the driver, told by
// the closed socket, reconnects: its next statements run.
func TestCQLIdleTimeoutWithADriver(t *testing.T) {
	srv := startCQL(t, server.Config{IdleTimeout: 200 * time.Millisecond})
	c := clusterFor(t, srv)
	c.ReconnectInterval = 50 * time.Millisecond
	s, err := c.CreateSession()
	must(t, err)
	defer s.Close()
	mustExec(t, s, "SELECT release_version FROM system.local")
	time.Sleep(600 * time.Millisecond) // every connection of the session idles out
	waitUntil(t, "a statement after the idle timeout", func() bool {
		return s.Query("SELECT release_version FROM system.local").Exec() == nil
	})
}

// `cassa server --tls-cert --tls-key --tls-client-ca --users` secures both
// ports: Thrift and CQL clients need a certificate signed by the CA and a
// login from the users file.
func TestCassaServerSecuresBothPorts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs cmd/cassa")
	}
	pki := newTestPKI(t)
	h, err := auth.HashPassword([]byte("pw"), 4)
	must(t, err)
	users := filepath.Join(t.TempDir(), "users")
	must(t, os.WriteFile(users, []byte("bob:"+h+"\n"), 0o600))
	child := startChild(t, t.TempDir(), "--tls-cert", pki.srvCert, "--tls-key", pki.srvKey, "--tls-client-ca", pki.caFile, "--users", users)
	cert, err := tls.LoadX509KeyPair(pki.cliCert, pki.cliKey)
	must(t, err)
	tlsCfg := &tls.Config{RootCAs: pki.caPool, Certificates: []tls.Certificate{cert}}

	th := dialTLS(t, child.addr, tlsCfg)
	_, err = th.DescribeKeyspaces(ctx)
	mustIRE(t, err, "You have not logged in")
	must(t, th.Login(ctx, creds("bob", "pw")))
	_, err = th.DescribeKeyspaces(ctx)
	must(t, err)

	host, port, err := net.SplitHostPort(child.cqlAddr)
	must(t, err)
	c := gocql.NewCluster(host)
	c.Port, _ = strconv.Atoi(port)
	c.Timeout, c.ConnectTimeout = 10*time.Second, 10*time.Second
	c.SslOpts = &gocql.SslOptions{Config: tlsCfg}
	c.Authenticator = gocql.PasswordAuthenticator{Username: "bob", Password: "pw"}
	s, err := c.CreateSession()
	must(t, err)
	defer s.Close()
	var release string
	if err := s.Query("SELECT release_version FROM system.local").Scan(&release); err != nil || release != "3.11.17" {
		t.Fatalf("CQL over TLS with a login: %q %v", release, err)
	}
	c.SslOpts = &gocql.SslOptions{Config: &tls.Config{RootCAs: pki.caPool}}
	c.ConnectTimeout, c.Timeout = 2*time.Second, 2*time.Second
	if s2, err := c.CreateSession(); err == nil {
		s2.Close()
		t.Error("CQL without a client certificate connected")
	}
}
