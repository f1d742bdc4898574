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

	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thrift/pool"
)

// Keyspace holds the Books column family.
const Keyspace = "Library"

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "HTTP `address` to serve on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(ctx, *addr, serversFromEnv(), os.Stdout, log); err != nil {
		fmt.Fprintln(os.Stderr, "crud:", err)
		os.Exit(1)
	}
}

// serversFromEnv reads CASSA_SERVERS, a comma-separated host:port list.
func serversFromEnv() []string {
	var out []string
	for _, s := range strings.Split(os.Getenv("CASSA_SERVERS"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// run serves the books on addr until ctx ends. With no servers it starts
// an embedded Cassandra-compatible server in-process.
func run(ctx context.Context, addr string, servers []string, stdout io.Writer, log *slog.Logger) error {
	if len(servers) == 0 {
		srv, err := server.Start(ctx, server.Config{})
		if err != nil {
			return err
		}
		defer srv.Close()
		servers = []string{srv.Addr()}
	}
	db, err := setup(ctx, servers, Keyspace)
	if err != nil {
		return err
	}
	defer db.Close(context.WithoutCancel(ctx))

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: NewService(db, log).Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "books on http://%s/books (Cassandra at %s)\n", ln.Addr(), strings.Join(servers, ","))
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

// setup brings keyspace to the Book model (creating it the first time)
// and opens a pool on it.
func setup(ctx context.Context, servers []string, keyspace string) (*pool.Pool, error) {
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
