package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thrift/pool"
)

// Keyspace holds the Books column family over Thrift.
const Keyspace = "Library"

// CQLKeyspace holds the Books table over CQL. It is not Keyspace: on a
// node that answers both interfaces, a Thrift column family and a CQL
// table of the same name would be one and the same.
const CQLKeyspace = "library"

// The transports the service runs over, as -transport names them.
const (
	Thrift = "thrift"
	CQL    = "cql"
)

// Config says what the service keeps its books in. The zero value is
// Thrift on an embedded server.
type Config struct {
	// Transport is Thrift or CQL; empty means Thrift.
	Transport string
	// Servers are the Thrift nodes (host:port, port 9160); none starts the
	// embedded server.
	Servers []string
	// CQLHosts are the CQL nodes (host or host:port, port 9042); none
	// starts the embedded server.
	CQLHosts []string
}

func main() {
	addr, cfg, err := parseFlags(flag.CommandLine, os.Args[1:], os.Getenv)
	if err != nil {
		os.Exit(2) // the flag package has said why
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(ctx, addr, cfg, os.Stdout, log); err != nil {
		fmt.Fprintln(os.Stderr, "crud:", err)
		os.Exit(1)
	}
}

// parseFlags reads the command line, whose defaults come from the
// environment: CASSA_TRANSPORT, CASSA_SERVERS and CASSA_CQL_HOSTS.
func parseFlags(fs *flag.FlagSet, args []string, getenv func(string) string) (string, Config, error) {
	addr := fs.String("addr", "127.0.0.1:8080", "HTTP `address` to serve on")
	transport := fs.String("transport", getenv("CASSA_TRANSPORT"), "keep the books over `thrift` (the default) or cql (env CASSA_TRANSPORT)")
	servers := fs.String("servers", getenv("CASSA_SERVERS"), "Thrift `nodes` (host:port,...); empty starts the embedded server (env CASSA_SERVERS)")
	cqlHosts := fs.String("cql-hosts", getenv("CASSA_CQL_HOSTS"), "CQL `nodes` (host[:port],...); empty starts the embedded server (env CASSA_CQL_HOSTS)")
	if err := fs.Parse(args); err != nil {
		return "", Config{}, err
	}
	cfg := Config{Transport: *transport, Servers: splitList(*servers), CQLHosts: splitList(*cqlHosts)}
	if cfg.Transport == "" {
		cfg.Transport = Thrift
	}
	if cfg.Transport != Thrift && cfg.Transport != CQL {
		err := fmt.Errorf("-transport %q: want thrift or cql", cfg.Transport)
		fmt.Fprintln(fs.Output(), err)
		fs.Usage()
		return "", Config{}, err
	}
	return *addr, cfg, nil
}

// splitList reads a comma-separated list, ignoring blanks.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// run serves the books on addr until ctx ends. With no nodes for the
// configured transport it starts an embedded Cassandra-compatible server
// in-process.
func run(ctx context.Context, addr string, cfg Config, stdout io.Writer, log *slog.Logger) error {
	var svc *Service
	var where string
	switch cfg.Transport {
	case Thrift, "":
		servers := cfg.Servers
		if len(servers) == 0 {
			srv, err := server.Start(ctx, server.Config{})
			if err != nil {
				return err
			}
			defer srv.Close()
			servers = []string{srv.Addr()}
		}
		db, err := setupThrift(ctx, servers, Keyspace)
		if err != nil {
			return err
		}
		defer db.Close(context.WithoutCancel(ctx))
		svc, where = NewService(db, log), "Thrift at "+strings.Join(servers, ",")
	case CQL:
		hosts := cfg.CQLHosts
		if len(hosts) == 0 {
			srv, err := server.Start(ctx, server.Config{})
			if err != nil {
				return err
			}
			defer srv.Close()
			hosts = []string{srv.CQLAddr()}
		}
		db, err := setupCQL(ctx, hosts, CQLKeyspace)
		if err != nil {
			return err
		}
		defer db.Close(context.WithoutCancel(ctx))
		svc, where = NewService(db, log), "CQL at "+strings.Join(hosts, ",")
	default:
		return fmt.Errorf("unknown transport %q: want thrift or cql", cfg.Transport)
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: svc.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "books on http://%s/books (Cassandra over %s)\n", ln.Addr(), where)
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		hs.Shutdown(shut)
	}()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// setupThrift brings keyspace to the Book model (creating it the first
// time) and opens a pool on it.
func setupThrift(ctx context.Context, servers []string, keyspace string) (*pool.Pool, error) {
	sys, err := migrate.Connect(ctx, pool.Config{Servers: servers, PoolSize: 1})
	if err != nil {
		return nil, err
	}
	defer sys.Close(ctx)
	plan, err := migrate.PlanModels(ctx, sys, keyspace, orm.Model[Book]())
	if err != nil {
		return nil, err
	}
	if err := plan.Apply(ctx); err != nil {
		return nil, err
	}
	return pool.Open(ctx, pool.Config{Servers: servers, Keyspace: keyspace})
}

// setupCQL does the same over CQL: it plans the Books table from the model
// (creating the keyspace the first time), applies the plan, and opens a
// session in the keyspace.
func setupCQL(ctx context.Context, hosts []string, keyspace string) (*cql.Session, error) {
	admin, err := cql.Open(ctx, cql.Config{Hosts: hosts})
	if err != nil {
		return nil, err
	}
	defer admin.Close(ctx)
	plan, err := migrate.PlanCQLModels(ctx, admin, keyspace, orm.Model[Book]())
	if err != nil {
		return nil, err
	}
	if err := plan.Apply(ctx); err != nil {
		return nil, err
	}
	return cql.Open(ctx, cql.Config{Hosts: hosts, Keyspace: keyspace})
}
