package server_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// The client every Thrift test talks through: the generated Thrift client on
// its own framed connection, and assertions on what it gets back. Servers
// start through cassatest.Start (see startAndDial).

// client is a generated Thrift client over its own framed connection.
type client struct {
	*tg.CassandraClient
	trans thrift.TTransport
	addr  string
}

// dial connects a generated client (framed transport, strict binary
// protocol, as every Cassandra client library) and closes it at cleanup.
func dial(t testing.TB, addr string) *client {
	t.Helper()
	cfg := &thrift.TConfiguration{ConnectTimeout: 5 * time.Second, SocketTimeout: 30 * time.Second}
	sock := thrift.NewTSocketConf(addr, cfg)
	// The buffered layer makes each frame one write (header and payload
	// together), as Cassandra's Java and Python clients send them; the
	// framed transport alone writes the 4-byte header separately.
	trans := thrift.NewTFramedTransportConf(thrift.NewTBufferedTransport(sock, 16<<10), cfg)
	if err := trans.Open(); err != nil {
		t.Fatalf("open %s: %v", addr, err)
	}
	proto := thrift.NewTBinaryProtocolConf(trans, cfg)
	c := &client{CassandraClient: tg.NewCassandraClient(thrift.NewTStandardClient(proto, proto)), trans: trans, addr: addr}
	t.Cleanup(func() { trans.Close() })
	return c
}

// startAndDial starts a server with cfg and returns a connected client.
func startAndDial(t testing.TB, cfg server.Config) (*client, *server.Server) {
	t.Helper()
	srv := cassatest.Start(t, cassatest.WithConfig(cfg)).Embedded()
	return dial(t, srv.Addr()), srv
}

var ctx = context.Background()

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// mustIRE asserts that err is an InvalidRequestException with exactly why.
func mustIRE(t testing.TB, err error, why string) {
	t.Helper()
	var e *tg.InvalidRequestException
	if !errors.As(err, &e) {
		t.Fatalf("want InvalidRequestException %q, got %v (%T)", why, err, err)
	}
	if e.Why != why {
		t.Fatalf("want IRE %q\n got IRE %q", why, e.Why)
	}
}

func mustNFE(t testing.TB, err error) {
	t.Helper()
	var e *tg.NotFoundException
	if !errors.As(err, &e) {
		t.Fatalf("want NotFoundException, got %v (%T)", err, err)
	}
}

func mustUE(t testing.TB, err error) {
	t.Helper()
	var e *tg.UnavailableException
	if !errors.As(err, &e) {
		t.Fatalf("want UnavailableException, got %v (%T)", err, err)
	}
}

// mustAppErr asserts that err is a TApplicationException of the given type.
func mustAppErr(t testing.TB, err error, typ int32) thrift.TApplicationException {
	t.Helper()
	var e thrift.TApplicationException
	if !errors.As(err, &e) {
		t.Fatalf("want TApplicationException type %d, got %v (%T)", typ, err, err)
	}
	if e.TypeId() != typ {
		t.Fatalf("want TApplicationException type %d, got %d (%v)", typ, e.TypeId(), e)
	}
	return e
}

// rawConn is a plain TCP connection for tests that break the protocol.
func rawConn(t testing.TB, addr string) net.Conn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	return nc
}
