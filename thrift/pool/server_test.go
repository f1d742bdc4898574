package pool

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thriftgen"
)

// Integration tests against the embedded server (server.Start), over TCP.

// testKeyspace is the keyspace createTestKeyspace creates.
const testKeyspace = "PoolTest"

// createTestKeyspace creates testKeyspace on the server at addr, with a
// column family "cf" whose rows k0..k9 hold column "c" = "v"; auth logs in
// with testCreds first.
func createTestKeyspace(t testing.TB, addr string, auth bool) {
	t.Helper()
	cfg := Config{Servers: []string{addr}}
	if auth {
		cfg.Credentials = testCreds
	}
	p, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("schema pool: %v", err)
	}
	defer p.Close(context.Background())
	ctx := context.Background()
	err = p.Do(ctx, func(ctx context.Context, c *Conn) error {
		cf := thriftgen.NewCfDef()
		cf.Keyspace, cf.Name = testKeyspace, "cf"
		ks := &thriftgen.KsDef{Name: testKeyspace, StrategyClass: "org.apache.cassandra.locator.SimpleStrategy",
			StrategyOptions: map[string]string{"replication_factor": "1"}, CfDefs: []*thriftgen.CfDef{cf}, DurableWrites: true}
		_, err := c.Client().SystemAddKeyspace(ctx, ks)
		return err
	})
	if err != nil {
		t.Fatalf("system_add_keyspace: %v", err)
	}
	cfg.Keyspace = testKeyspace
	p2, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("data pool: %v", err)
	}
	defer p2.Close(ctx)
	for i := 0; i < 10; i++ {
		if err := insertColumn(ctx, p2, fmt.Sprintf("k%d", i), "c", "v"); err != nil {
			t.Fatalf("insert: %v", err)
		}
	}
}

// serversWithTestKeyspace returns the servers of CASSA_TEST_SERVERS (a real
// cluster with the test keyspace loaded), or starts n embedded ones and
// creates the test keyspace on each.
func serversWithTestKeyspace(t *testing.T, n int) []string {
	if env := os.Getenv(cassatest.EnvServers); env != "" {
		return strings.Split(env, ",")
	}
	var addrs []string
	for i := 0; i < n; i++ {
		srv := cassatest.Start(t)
		createTestKeyspace(t, srv.Addr(), false)
		addrs = append(addrs, srv.Addr())
	}
	return addrs
}

func TestServerBasics(t *testing.T) {
	checkNoLeaks(t)
	addrs := serversWithTestKeyspace(t, 2)
	cfg := testConfig(addrs...)
	cfg.Keyspace = testKeyspace
	p := openPool(t, cfg)
	ctx := context.Background()
	if v, err := getColumn(ctx, p, "k1", "c"); err != nil || string(v) != "v" {
		t.Fatalf("get = %q, %v", v, err)
	}
	if _, err := getColumn(ctx, p, "k1", "nope"); err != cassa.ErrNotFound {
		t.Errorf("get missing column = %v, want cassa.ErrNotFound", err)
	}
	err := p.Do(ctx, func(ctx context.Context, c *Conn) error {
		_, err := c.Client().Get(ctx, []byte("k"), &thriftgen.ColumnPath{ColumnFamily: "NoSuchCF", Column: []byte("c")}, thriftgen.ConsistencyLevel_ONE)
		return err
	})
	var ire *cassa.InvalidRequestError
	if !errors.As(err, &ire) || ire.Op != "get" || ire.Why == "" || ire.Host == "" {
		t.Errorf("get on an unknown CF = %v, want cassa.InvalidRequestError naming op and host", err)
	}
	// Keyspace is set lazily: a caller may switch, the pool switches back.
	p.Do(ctx, func(ctx context.Context, c *Conn) error { return c.SetKeyspace(ctx, "system") })
	if v, err := getColumn(ctx, p, "k1", "c"); err != nil || string(v) != "v" {
		t.Fatalf("get after a keyspace switch = %q, %v", v, err)
	}
}

// TestServerFailover stops one of three embedded servers while eight
// goroutines read; no read may fail. A new server on the same address then
// comes back into rotation.
func TestServerFailover(t *testing.T) {
	checkNoLeaks(t)
	var srvs []*server.Server
	for i := 0; i < 3; i++ {
		srv := cassatest.Start(t).Embedded()
		createTestKeyspace(t, srv.Addr(), false)
		srvs = append(srvs, srv)
	}
	rec := &recorder{}
	cfg := testConfig(srvs[0].Addr(), srvs[1].Addr(), srvs[2].Addr())
	cfg.Keyspace = testKeyspace
	cfg.PoolSize = 6
	cfg.Prefill = true
	cfg.Recycle = 50
	cfg.Listeners = []Listener{rec}
	p := openPool(t, cfg)

	var progress atomic.Int64
	done := make(chan struct{})
	var errs []error
	go func() {
		_, errs = loadUntil(p, 8, 300, nil, &progress)
		close(done)
	}()
	waitFor(t, "load to start", func() bool { return progress.Load() > 100 })
	victim := srvs[1].Addr()
	srvs[1].Close()
	at := progress.Load()
	waitFor(t, "load to go on", func() bool { return progress.Load() > at+300 })
	<-done
	if len(errs) > 0 {
		t.Fatalf("%d operations failed; first: %v", len(errs), errs[0])
	}
	if s := serverStats(p.Stats(), victim); s.Up {
		t.Errorf("stopped server still up: %+v", s)
	}

	back, err := server.Start(context.Background(), server.Config{Addr: victim})
	if err != nil {
		t.Skipf("could not restart on %s: %v", victim, err)
	}
	t.Cleanup(func() { back.Close() })
	createTestKeyspace(t, victim, false)
	waitFor(t, "the server back up", func() bool { return serverStats(p.Stats(), victim).Up })
	if _, errs := loadUntil(p, 4, 100, nil, nil); len(errs) > 0 {
		t.Fatalf("after recovery: %v", errs[0])
	}
	var up bool
	for _, e := range eventsOf[ServerEvent](rec) {
		up = up || (e.Server == victim && e.Err == nil)
	}
	if !up {
		t.Error("no ServerUp event for the returning server")
	}
}

// passwords is a test Authenticator.
type passwords map[string]string

func (passwords) RequireAuthentication() bool { return true }

func (pw passwords) Authenticate(c map[string]string) (string, error) {
	if u := c["username"]; u != "" && pw[u] == c["password"] {
		return u, nil
	}
	return "", errors.New("Username and/or password are incorrect")
}

var testCreds = Credentials{"username": "cassa", "password": "secret"}

func TestServerCredentials(t *testing.T) {
	checkNoLeaks(t)
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{Authenticator: passwords{"cassa": "secret"}})).Embedded()
	createTestKeyspace(t, srv.Addr(), true)
	cfg := testConfig(srv.Addr())
	cfg.Keyspace = testKeyspace
	cfg.Credentials = testCreds
	p := openPool(t, cfg)
	if v, err := getColumn(context.Background(), p, "k1", "c"); err != nil || string(v) != "v" {
		t.Fatalf("get = %q, %v", v, err)
	}
	cfg.Credentials = Credentials{"username": "cassa", "password": "nope"}
	_, err := Open(context.Background(), cfg)
	var ae *cassa.AuthenticationError
	if !errors.As(err, &ae) || !strings.Contains(ae.Why, "incorrect") {
		t.Fatalf("Open with a bad password = %v, want cassa.AuthenticationError", err)
	}
}

func TestServerTLS(t *testing.T) {
	checkNoLeaks(t)
	srv := cassatest.Start(t).Embedded()
	createTestKeyspace(t, srv.Addr(), false)
	cert, roots := testCert(t)
	px := newProxy(t, srv.Addr(), &tls.Config{Certificates: []tls.Certificate{cert}})
	cfg := testConfig(px.addr())
	cfg.Keyspace = testKeyspace
	cfg.TLS = &tls.Config{RootCAs: roots}
	p := openPool(t, cfg)
	if v, err := getColumn(context.Background(), p, "k1", "c"); err != nil || string(v) != "v" {
		t.Fatalf("get over TLS = %q, %v", v, err)
	}
}

func TestServerTokenAware(t *testing.T) {
	checkNoLeaks(t)
	srv := cassatest.Start(t, cassatest.WithPartitioner("RandomPartitioner")).Embedded()
	createTestKeyspace(t, srv.Addr(), false)
	cfg := testConfig(srv.Addr())
	cfg.Keyspace = testKeyspace
	cfg.TokenAware = true
	cfg.Discover = true
	p := openPool(t, cfg)
	r := p.ring.Load()
	if r == nil || len(r.ends) == 0 || r.part.Class() != "org.apache.cassandra.dht.RandomPartitioner" {
		t.Fatalf("ring from the server: %+v", r)
	}
	if reps := r.replicas([]byte("k1")); len(reps) != 1 || reps[0].addr != srv.Addr() {
		t.Errorf("replicas of k1: %v", hostAddrs(reps))
	}
	if v, err := getColumn(context.Background(), p, "k1", "c", RoutingKey([]byte("k1"))); err != nil || string(v) != "v" {
		t.Fatalf("routed get = %q, %v", v, err)
	}
	if n := len(p.Stats().Servers); n != 1 {
		t.Errorf("discovery on a one-node ring found %d servers", n)
	}
}
