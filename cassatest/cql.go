package cassatest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/cqlscript"
	"github.com/cassa-go/cassa/server"
)

// EnvCQLHosts names the environment variable that points CQL tests at a
// real node or cluster: comma-separated host:port native-protocol
// addresses (port 9042 when missing), as `scripts/refnode.sh env` prints
// them for the reference Cassandra node. When it is set, CQL starts
// nothing and makes its fresh keyspace on that cluster, dropping it at
// cleanup, and CQLHosts returns those addresses.
const EnvCQLHosts = "CASSA_TEST_CQL_HOSTS"

// CQLEndpoint is a CQL endpoint for one test: the embedded server's
// native-protocol listener (in-process, started in milliseconds), or the
// real cluster CASSA_TEST_CQL_HOSTS names; with a fresh keyspace either
// way.
type CQLEndpoint struct {
	hosts    []string
	keyspace string
	srv      *Server // nil on a real cluster
	user     string
	password string
}

// CQL gives the test a CQL endpoint and a fresh keyspace, for any program
// that speaks CQL through gocql (or another driver): by default a new
// in-memory embedded server on a free 127.0.0.1 port, closed when the
// test ends; when CASSA_TEST_CQL_HOSTS is set, that cluster, with the
// keyspace dropped at cleanup. Hosts and ClusterConfig say where to
// connect. Options: WithConfig and WithPartitioner (embedded server
// only), WithCredentials (the login for creating and dropping the
// keyspace, and the one ClusterConfig uses). It fails the test (Fatal)
// when the endpoint or the keyspace cannot be had, so call it from the
// test's own goroutine.
func CQL(tb testing.TB, opts ...Option) *CQLEndpoint {
	tb.Helper()
	o := startOptions(opts)
	e := &CQLEndpoint{user: o.user, password: o.password}
	if env := os.Getenv(EnvCQLHosts); env != "" {
		e.hosts = CQLHostsFromEnv()
		if len(e.hosts) == 0 {
			tb.Fatalf("cassatest: %s=%q names no host", EnvCQLHosts, env)
			return e
		}
	} else {
		if o.cfg.DisableCQL {
			tb.Fatalf("cassatest: CQL with a Config that disables CQL")
			return e
		}
		e.srv = Start(tb, opts...)
		if e.srv.CQLAddr() == "" {
			return e // Start failed the test
		}
		e.hosts = []string{e.srv.CQLAddr()}
	}
	e.keyspace = strings.ToLower(keyspaceName(tb.Name()))
	admin := e.session(tb, "")
	if admin == nil {
		return e
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	create := fmt.Sprintf("CREATE KEYSPACE %s WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}", e.keyspace)
	if err := admin.Query(create).WithContext(ctx).Exec(); err != nil {
		tb.Fatalf("cassatest: create keyspace %s on %s: %v", e.keyspace, strings.Join(e.hosts, ","), err)
		return e
	}
	if e.srv == nil {
		tb.Cleanup(func() {
			s, err := e.newSession("")
			if err != nil {
				tb.Errorf("cassatest: drop keyspace %s: %v", e.keyspace, err)
				return
			}
			defer s.Close()
			ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
			defer cancel()
			if err := s.Query("DROP KEYSPACE IF EXISTS " + e.keyspace).WithContext(ctx).Exec(); err != nil {
				tb.Errorf("cassatest: drop keyspace %s: %v", e.keyspace, err)
			}
		})
	}
	return e
}

// Hosts returns the host:port addresses to connect to: the embedded
// server's CQL listener, or every host of CASSA_TEST_CQL_HOSTS. They suit
// gocql.NewCluster of either gocql major version. The slice is a copy.
func (e *CQLEndpoint) Hosts() []string {
	if e == nil {
		return nil
	}
	return append([]string(nil), e.hosts...)
}

// Keyspace returns the test's fresh keyspace (lower case, so that it needs
// no quotes in CQL).
func (e *CQLEndpoint) Keyspace() string {
	if e == nil {
		return ""
	}
	return e.keyspace
}

// made fails the test when e was not made by CQL.
func (e *CQLEndpoint) made(tb testing.TB, fn string) bool {
	tb.Helper()
	if e == nil || len(e.hosts) == 0 {
		tb.Fatalf("cassatest: %s on a CQLEndpoint that CQL did not return", fn)
		return false
	}
	return true
}

// ClusterConfig returns a new gocql configuration for the endpoint, using
// the test's keyspace, with the login given to WithCredentials, and
// settings suited to tests: one connection per host, consistency ONE
// (a single node satisfies it; tests that need more set it), and, for the
// embedded server, no lookup of other hosts. Change it as the code under
// test needs before gocql.NewSession.
func (e *CQLEndpoint) ClusterConfig() *gocql.ClusterConfig {
	if e == nil {
		return gocql.NewCluster()
	}
	return e.clusterConfig(e.keyspace)
}

func (e *CQLEndpoint) clusterConfig(keyspace string) *gocql.ClusterConfig {
	cc := gocql.NewCluster(e.hosts...)
	cc.Keyspace = keyspace
	cc.Consistency = gocql.One
	cc.NumConns = 1
	cc.ConnectTimeout = 10 * time.Second
	cc.Timeout = 30 * time.Second
	if e.srv != nil {
		cc.DisableInitialHostLookup = true
	}
	if e.user != "" {
		cc.Authenticator = gocql.PasswordAuthenticator{Username: e.user, Password: e.password}
	}
	return cc
}

func (e *CQLEndpoint) newSession(keyspace string) (*gocql.Session, error) {
	return gocql.NewSession(*e.clusterConfig(keyspace))
}

func (e *CQLEndpoint) session(tb testing.TB, keyspace string) *gocql.Session {
	tb.Helper()
	s, err := e.newSession(keyspace)
	if err != nil {
		tb.Fatalf("cassatest: connect to %s: %v", strings.Join(e.hosts, ","), err)
		return nil
	}
	return s
}

// Session returns a gocql session on the test's keyspace, closed when the
// test ends.
func (e *CQLEndpoint) Session(tb testing.TB) *gocql.Session {
	tb.Helper()
	if !e.made(tb, "Session") {
		return nil
	}
	s := e.session(tb, e.keyspace)
	if s != nil {
		tb.Cleanup(s.Close)
	}
	return s
}

// Exec runs CQL statements in the test's keyspace, each argument a
// script of one or more statements separated by ';' (as in a .cql file:
// comments, strings and BEGIN BATCH ... APPLY BATCH are read as cqlsh
// reads them). It fails the test on the first error.
func (e *CQLEndpoint) Exec(tb testing.TB, scripts ...string) {
	tb.Helper()
	if !e.made(tb, "Exec") {
		return
	}
	s := e.session(tb, e.keyspace)
	if s == nil {
		return
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	for _, script := range scripts {
		for _, st := range cqlscript.Split(script) {
			if err := s.Query(st.Text).WithContext(ctx).Exec(); err != nil {
				tb.Fatalf("cassatest: line %d: %s: %v", st.Line, st.Text, err)
			}
		}
	}
}

// ExecFile runs the statements of a .cql file, as Exec.
func (e *CQLEndpoint) ExecFile(tb testing.TB, path string) {
	tb.Helper()
	if !e.made(tb, "ExecFile") {
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("cassatest: %v", err)
	}
	e.Exec(tb, string(data))
}

// Embedded returns the embedded server (for its own controls: clock,
// faults), or nil when the test runs against CASSA_TEST_CQL_HOSTS.
func (e *CQLEndpoint) Embedded() *server.Server {
	if e == nil || e.srv == nil {
		return nil
	}
	return e.srv.Embedded()
}

// RequireEmbedded returns the embedded server, skipping the test when it
// runs against a real cluster.
func (e *CQLEndpoint) RequireEmbedded(tb testing.TB) *server.Server {
	tb.Helper()
	if !e.made(tb, "RequireEmbedded") {
		return nil
	}
	if e.srv == nil {
		tb.Skipf("cassatest: needs the embedded server; %s points at a real cluster", EnvCQLHosts)
	}
	return e.srv.Embedded()
}
