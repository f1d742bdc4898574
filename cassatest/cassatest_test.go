package cassatest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// fakeTB records what Start does with its testing.TB: cleanups run when
// the test says so, and Fatal/Skip end only the goroutine running run.
type fakeTB struct {
	testing.TB // the real test, for Name, Helper and Logf
	mu         sync.Mutex
	cleanups   []func()
	fatal      string
	skipped    string
	errs       []string
}

func (f *fakeTB) Cleanup(fn func()) { f.mu.Lock(); f.cleanups = append(f.cleanups, fn); f.mu.Unlock() }
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.fatal = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}
func (f *fakeTB) Skipf(format string, args ...any) {
	f.mu.Lock()
	f.skipped = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.mu.Lock()
	f.errs = append(f.errs, fmt.Sprintf(format, args...))
	f.mu.Unlock()
}

// run calls body in its own goroutine, as the testing package runs a test,
// so that Fatalf and Skipf can end it.
func (f *fakeTB) run(body func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		body()
	}()
	<-done
}

// cleanup runs the recorded cleanups, last first, as testing does.
func (f *fakeTB) cleanup() {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
	f.cleanups = nil
}

// do runs f on a new connection to srv, failing the test on error.
func withClient(t *testing.T, srv *Server, f func(context.Context, *client) error) {
	t.Helper()
	if err := srv.call(f); err != nil {
		t.Fatal(err)
	}
}

func TestStart(t *testing.T) {
	srv := Start(t)
	host, _, err := net.SplitHostPort(srv.Addr())
	if err != nil || host != "127.0.0.1" {
		t.Fatalf("Addr = %q, want 127.0.0.1:port", srv.Addr())
	}
	if srv.Embedded() == nil || srv.Embedded().Addr() != srv.Addr() {
		t.Error("Embedded does not return the running server")
	}
	if h, _, err := net.SplitHostPort(srv.CQLAddr()); err != nil || h != "127.0.0.1" || srv.CQLAddr() != srv.Embedded().CQLAddr() {
		t.Errorf("CQLAddr = %q", srv.CQLAddr())
	}
	if c, err := net.DialTimeout("tcp", srv.CQLAddr(), 5*time.Second); err != nil {
		t.Errorf("CQL address: %v", err)
	} else {
		c.Close()
	}
	if a := srv.Addrs(); len(a) != 1 || a[0] != srv.Addr() {
		t.Errorf("Addrs = %v", a)
	}
	if srv.Keyspace() != "" {
		t.Errorf("Keyspace = %q without WithKeyspace", srv.Keyspace())
	}
	if !strings.Contains(srv.String(), srv.Addr()) {
		t.Errorf("String = %q", srv.String())
	}
	withClient(t, srv, func(ctx context.Context, c *client) error {
		v, err := c.DescribeVersion(ctx)
		if err == nil && v != server.Version {
			err = fmt.Errorf("describe_version = %q", v)
		}
		return err
	})
	if srv.RequireEmbedded(t) != srv.Embedded() {
		t.Error("RequireEmbedded differs from Embedded")
	}
}

// Each Start is its own server.
func TestStartTwice(t *testing.T) {
	a, b := Start(t), Start(t)
	if a.Addr() == b.Addr() {
		t.Fatalf("two servers on %s", a.Addr())
	}
	ks := a.NewKeyspace(t)
	withClient(t, b, func(ctx context.Context, c *client) error {
		_, err := c.DescribeKeyspace(ctx, ks)
		var nf *tg.NotFoundException
		if !errors.As(err, &nf) {
			return fmt.Errorf("keyspace of server a visible on b: %v", err)
		}
		return nil
	})
}

func TestCleanupCloses(t *testing.T) {
	ftb := &fakeTB{TB: t}
	var srv *Server
	ftb.run(func() { srv = Start(ftb, WithKeyspace()) })
	if ftb.fatal != "" || srv == nil {
		t.Fatalf("Start failed: %s", ftb.fatal)
	}
	if len(ftb.cleanups) == 0 {
		t.Fatal("Start registered no cleanup")
	}
	// Open a connection that the close must end too.
	conn, err := net.Dial("tcp", srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ftb.cleanup()
	if len(ftb.errs) != 0 {
		t.Errorf("cleanup errors: %v", ftb.errs)
	}
	if c, err := net.DialTimeout("tcp", srv.Addr(), 5*time.Second); err == nil {
		c.Close()
		t.Fatalf("server at %s still accepts after cleanup", srv.Addr())
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = conn.Read(make([]byte, 1))
	var ne net.Error
	if err == nil || (errors.As(err, &ne) && ne.Timeout()) {
		t.Errorf("open connection survived cleanup: %v", err)
	}
}

// Subtests' servers are closed when the subtest ends, not the parent.
func TestCleanupSubtest(t *testing.T) {
	var addr string
	t.Run("sub", func(t *testing.T) { addr = Start(t).Addr() })
	if c, err := net.DialTimeout("tcp", addr, 5*time.Second); err == nil {
		c.Close()
		t.Fatalf("subtest's server at %s still accepts", addr)
	}
}

var ksName = regexp.MustCompile(`^cassatest_\w+_[0-9a-f]{8}$`)

func TestWithKeyspace(t *testing.T) {
	srv := Start(t, WithKeyspace())
	ks := srv.Keyspace()
	if !ksName.MatchString(ks) || len(ks) > 48 {
		t.Fatalf("keyspace name %q", ks)
	}
	other := srv.NewKeyspace(t)
	if other == ks || !ksName.MatchString(other) {
		t.Fatalf("NewKeyspace = %q after %q", other, ks)
	}
	withClient(t, srv, func(ctx context.Context, c *client) error {
		def, err := c.DescribeKeyspace(ctx, ks)
		if err != nil {
			return err
		}
		if def.StrategyClass != simpleStrategy || def.StrategyOptions["replication_factor"] != "1" || !def.DurableWrites || len(def.CfDefs) != 0 {
			return fmt.Errorf("keyspace %s: %v %v durable %v, %d CFs", ks, def.StrategyClass, def.StrategyOptions, def.DurableWrites, len(def.CfDefs))
		}
		return c.SetKeyspace(ctx, ks)
	})
}

func TestKeyspaceName(t *testing.T) {
	tests := []string{
		"TestX",
		"TestFoo/sub_case#01",
		"TestÜnicode/ü ä",
		strings.Repeat("TestVeryLong", 10),
		"",
	}
	for _, name := range tests {
		ks := keyspaceName(name)
		if len(ks) > maxKeyspaceName || !regexp.MustCompile(`^cassatest_\w*_[0-9a-f]{8}$`).MatchString(ks) {
			t.Errorf("keyspaceName(%q) = %q (%d bytes)", name, ks, len(ks))
		}
		if keyspaceName(name) == ks {
			t.Errorf("keyspaceName(%q) repeats %q", name, ks)
		}
	}
	if ks := keyspaceName("TestFoo/bar"); !strings.HasPrefix(ks, "cassatest_TestFoo_bar_") {
		t.Errorf("keyspaceName lost the test name: %q", ks)
	}
}

func TestOptions(t *testing.T) {
	srv := Start(t,
		WithConfig(server.Config{ClusterName: "cassatest cluster", Partitioner: "ByteOrderedPartitioner"}),
		WithPartitioner("RandomPartitioner"), // wins over WithConfig's
	)
	withClient(t, srv, func(ctx context.Context, c *client) error {
		name, err := c.DescribeClusterName(ctx)
		if err != nil || name != "cassatest cluster" {
			return fmt.Errorf("cluster name %q, %v", name, err)
		}
		p, err := c.DescribePartitioner(ctx)
		if err != nil || p != "org.apache.cassandra.dht.RandomPartitioner" {
			return fmt.Errorf("partitioner %q, %v", p, err)
		}
		return nil
	})
}

func TestStartFails(t *testing.T) {
	ftb := &fakeTB{TB: t}
	ftb.run(func() { Start(ftb, WithPartitioner("NoSuchPartitioner")) })
	if !strings.Contains(ftb.fatal, "cassatest: start embedded server") {
		t.Errorf("fatal = %q", ftb.fatal)
	}
	ftb.cleanup()
}

// passwordAuth is a stand-in for the server's password authenticator.
type passwordAuth struct{}

func (passwordAuth) RequireAuthentication() bool { return true }
func (passwordAuth) Authenticate(c map[string]string) (string, error) {
	if c["username"] == "admin" && c["password"] == "secret" {
		return "admin", nil
	}
	return "", errors.New("Username and/or password are incorrect")
}

func TestWithCredentials(t *testing.T) {
	cfg := server.Config{Authenticator: passwordAuth{}}
	srv := Start(t, WithConfig(cfg), WithCredentials("admin", "secret"), WithKeyspace())
	if srv.Keyspace() == "" {
		t.Fatal("no keyspace")
	}

	ftb := &fakeTB{TB: t}
	ftb.run(func() { Start(ftb, WithConfig(cfg), WithKeyspace()) })
	if !strings.Contains(ftb.fatal, "You have not logged in") {
		t.Errorf("keyspace without login: fatal = %q", ftb.fatal)
	}
	ftb.cleanup()

	ftb = &fakeTB{TB: t}
	ftb.run(func() { Start(ftb, WithConfig(cfg), WithCredentials("admin", "wrong"), WithKeyspace()) })
	if !strings.Contains(ftb.fatal, "login as admin") {
		t.Errorf("bad credentials: fatal = %q", ftb.fatal)
	}
	ftb.cleanup()
}

func TestFromEnvUnset(t *testing.T) {
	t.Setenv(EnvServers, "")
	srv := Start(t, FromEnv())
	if srv.Embedded() == nil {
		t.Fatal("FromEnv without CASSA_TEST_SERVERS did not start the embedded server")
	}
}

// A second embedded server plays the real cluster.
func TestFromEnvCluster(t *testing.T) {
	cluster := Start(t, WithPartitioner("RandomPartitioner"))
	t.Setenv(EnvServers, " "+cluster.Addr()+" , 127.0.0.1:1,")

	ftb := &fakeTB{TB: t}
	var srv *Server
	var ks string
	ftb.run(func() {
		srv = Start(ftb, FromEnv(), WithPartitioner("RandomPartitioner"), WithKeyspace())
		ks = srv.Keyspace()
		srv.RequireEmbedded(ftb)
		t.Error("RequireEmbedded did not skip")
	})
	if ftb.fatal != "" {
		t.Fatal(ftb.fatal)
	}
	if srv.Embedded() != nil || srv.Addr() != cluster.Addr() || len(srv.Addrs()) != 2 {
		t.Fatalf("external: Embedded %v, Addrs %v", srv.Embedded(), srv.Addrs())
	}
	if !strings.Contains(ftb.skipped, "real cluster") {
		t.Errorf("RequireEmbedded skip message %q", ftb.skipped)
	}
	withClient(t, cluster, func(ctx context.Context, c *client) error {
		_, err := c.DescribeKeyspace(ctx, ks)
		return err
	})
	ftb.cleanup()
	if len(ftb.errs) != 0 {
		t.Fatal(ftb.errs)
	}
	withClient(t, cluster, func(ctx context.Context, c *client) error {
		_, err := c.DescribeKeyspace(ctx, ks)
		var nf *tg.NotFoundException
		if !errors.As(err, &nf) {
			return fmt.Errorf("keyspace %s not dropped at cleanup: %v", ks, err)
		}
		return nil
	})

	// A test that needs another partitioner than the cluster's is skipped.
	ftb = &fakeTB{TB: t}
	ftb.run(func() { Start(ftb, FromEnv(), WithPartitioner("Murmur3Partitioner")) })
	if !strings.Contains(ftb.skipped, "needs Murmur3Partitioner") {
		t.Errorf("partitioner mismatch: skipped %q, fatal %q", ftb.skipped, ftb.fatal)
	}
}

func TestSplitAddrs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"a:1", []string{"a:1"}},
		{" a:1 ,b:2,, ", []string{"a:1", "b:2"}},
		{" , ", nil},
	}
	for _, tt := range tests {
		got := splitAddrs(tt.in)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("splitAddrs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSimpleName(t *testing.T) {
	for in, want := range map[string]string{
		"org.apache.cassandra.dht.Murmur3Partitioner": "Murmur3Partitioner",
		"Murmur3Partitioner":                          "Murmur3Partitioner",
		"":                                            "",
	} {
		if got := simpleName(in); got != want {
			t.Errorf("simpleName(%q) = %q", in, got)
		}
	}
}

func BenchmarkStart(b *testing.B) {
	for b.Loop() {
		ftb := &fakeTB{TB: b}
		ftb.run(func() { Start(ftb) })
		ftb.cleanup()
	}
}
