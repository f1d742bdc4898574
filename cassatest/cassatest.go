package cassatest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/server"
)

// EnvServers names the environment variable that FromEnv reads: a
// comma-separated list of host:port Thrift addresses of a real cluster.
const EnvServers = "CASSA_TEST_SERVERS"

// startTimeout bounds starting the embedded server and each schema call.
const startTimeout = 30 * time.Second

// Server is a Cassandra node for one test: an embedded server started by
// Start, or (with FromEnv) a real cluster named by CASSA_TEST_SERVERS.
type Server struct {
	srv      *server.Server // nil when external
	addrs    []string
	cqlAddr  string
	keyspace string
	user     string
	password string
}

// Option configures Start. Options are values of this interface, made by
// the functions below.
type Option interface{ applyStart(*options) }

type optionFunc func(*options)

func (f optionFunc) applyStart(o *options) { f(o) }

// startOptions applies opts, skipping nil ones, to the defaults.
func startOptions(opts []Option) options {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt.applyStart(&o)
		}
	}
	return o
}

type options struct {
	cfg         server.Config
	partitioner string
	keyspace    bool
	fromEnv     bool
	user        string
	password    string
}

// WithConfig starts the embedded server with cfg instead of the zero
// Config. An empty cfg.Addr or cfg.CQLAddr still means a free port on
// 127.0.0.1.
func WithConfig(cfg server.Config) Option {
	return optionFunc(func(o *options) { o.cfg = cfg })
}

// WithPartitioner sets the embedded server's partitioner ("Murmur3Partitioner",
// "RandomPartitioner", "ByteOrderedPartitioner", "OrderPreservingPartitioner"),
// over any set by WithConfig. With FromEnv and a real cluster running
// another partitioner, the test is skipped, since it depends on key order.
func WithPartitioner(name string) Option {
	return optionFunc(func(o *options) { o.partitioner = name })
}

// WithKeyspace makes Start create a fresh keyspace too, as NewKeyspace
// does; Server.Keyspace returns its name.
func WithKeyspace() Option {
	return optionFunc(func(o *options) { o.keyspace = true })
}

// WithCredentials is the login cassatest itself uses to create and drop
// keyspaces, for servers that require authentication (a Config with a
// password Authenticator, or a secured cluster).
func WithCredentials(user, password string) Option {
	return optionFunc(func(o *options) { o.user, o.password = user, password })
}

// FromEnv lets the test run against a real cluster: when CASSA_TEST_SERVERS
// is set, Start starts nothing and uses those servers, and keyspaces it
// creates are dropped at cleanup. When it is unset, Start starts the
// embedded server as usual. WithConfig does not apply to a real cluster;
// tests that need the embedded server's own controls use RequireEmbedded.
func FromEnv() Option {
	return optionFunc(func(o *options) { o.fromEnv = true })
}

// Start returns a running server for the test: by default a fresh
// in-memory embedded server on a free 127.0.0.1 port, closed by
// tb.Cleanup when the test and its subtests end. It fails the test (with
// tb.Fatal) if the server cannot start, so call it from the test's own
// goroutine.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	o := startOptions(opts)
	s := &Server{user: o.user, password: o.password}
	if env := os.Getenv(EnvServers); o.fromEnv && env != "" {
		s.addrs = splitAddrs(env)
		if len(s.addrs) == 0 {
			tb.Fatalf("cassatest: %s=%q names no server", EnvServers, env)
		}
		if o.partitioner != "" {
			s.skipOtherPartitioner(tb, o.partitioner)
		}
	} else {
		cfg := o.cfg
		if cfg.Addr == "" {
			cfg.Addr = "127.0.0.1:0"
		}
		if cfg.CQLAddr == "" {
			cfg.CQLAddr = "127.0.0.1:0"
		}
		if o.partitioner != "" {
			cfg.Partitioner = o.partitioner
		}
		ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
		defer cancel()
		srv, err := server.Start(ctx, cfg)
		if err != nil {
			tb.Fatalf("cassatest: start embedded server: %v", err)
		}
		tb.Cleanup(func() {
			if err := srv.Close(); err != nil {
				tb.Errorf("cassatest: close embedded server: %v", err)
			}
		})
		s.srv = srv
		s.addrs = []string{srv.Addr()}
		s.cqlAddr = srv.CQLAddr()
	}
	if o.keyspace {
		s.keyspace = s.NewKeyspace(tb)
	}
	return s
}

// Addr returns the host:port to connect to: the embedded server's, or the
// first of CASSA_TEST_SERVERS ("" for a Server Start did not make).
func (s *Server) Addr() string {
	if s == nil || len(s.addrs) == 0 {
		return ""
	}
	return s.addrs[0]
}

// CQLAddr returns the host:port of the embedded server's CQL (native
// protocol) listener, for gocql and the other CQL drivers; "" against a
// real cluster (CASSA_TEST_SERVERS lists Thrift addresses) or when
// WithConfig turned CQL off (and for a Server Start did not make).
func (s *Server) CQLAddr() string {
	if s == nil {
		return ""
	}
	return s.cqlAddr
}

// Addrs returns every server address: one for the embedded server, all of
// CASSA_TEST_SERVERS for a real cluster. The slice is a copy.
func (s *Server) Addrs() []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s.addrs...)
}

// Keyspace returns the keyspace WithKeyspace created, or "" without it.
func (s *Server) Keyspace() string {
	if s == nil {
		return ""
	}
	return s.keyspace
}

// Embedded returns the embedded server (for its own controls, such as
// fault injection), or nil when the test runs against a real cluster.
func (s *Server) Embedded() *server.Server {
	if s == nil {
		return nil
	}
	return s.srv
}

// started fails the test when s was not made by Start.
func (s *Server) started(tb testing.TB, fn string) {
	tb.Helper()
	if s == nil || len(s.addrs) == 0 {
		tb.Fatalf("cassatest: %s on a Server that Start did not return", fn)
	}
}

// RequireEmbedded returns the embedded server, skipping the test when it
// runs against a real cluster (FromEnv with CASSA_TEST_SERVERS set).
func (s *Server) RequireEmbedded(tb testing.TB) *server.Server {
	tb.Helper()
	s.started(tb, "RequireEmbedded")
	if s.srv == nil {
		tb.Skipf("cassatest: needs the embedded server; %s points at a real cluster", EnvServers)
	}
	return s.srv
}

// splitAddrs parses CASSA_TEST_SERVERS: comma-separated, spaces ignored.
func splitAddrs(env string) []string {
	var addrs []string
	for _, a := range strings.Split(env, ",") {
		if a = strings.TrimSpace(a); a != "" {
			addrs = append(addrs, a)
		}
	}
	return addrs
}

// skipOtherPartitioner skips the test when the real cluster's partitioner
// is not the one the test asked for.
func (s *Server) skipOtherPartitioner(tb testing.TB, want string) {
	tb.Helper()
	var got string
	err := s.call(func(ctx context.Context, c *client) (err error) {
		got, err = c.DescribePartitioner(ctx)
		return err
	})
	if err != nil {
		tb.Fatalf("cassatest: describe_partitioner on %s: %v", s.Addr(), err)
	}
	if simpleName(got) != simpleName(want) {
		tb.Skipf("cassatest: test needs %s, the cluster at %s runs %s", want, s.Addr(), got)
	}
}

// simpleName drops the Java package of a class name.
func simpleName(class string) string {
	return class[strings.LastIndexByte(class, '.')+1:]
}

// String says what the server is, for test logs.
func (s *Server) String() string {
	if s == nil || len(s.addrs) == 0 {
		return "no server"
	}
	if s.srv != nil {
		return fmt.Sprintf("embedded server at %s", s.Addr())
	}
	return fmt.Sprintf("cluster at %s", strings.Join(s.addrs, ","))
}
