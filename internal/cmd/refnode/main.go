package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "refnode:", err)
		os.Exit(1)
	}
}

const usage = "usage: refnode ports N | ping|smoke|exec -hosts HOST:PORT[,...] [-timeout D] [STMT...]"

// run dispatches one subcommand; it is main without the exit, for tests.
func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	cmd, args := args[0], args[1:]
	if cmd == "ports" {
		if len(args) != 1 {
			return errors.New(usage)
		}
		n, err := strconv.Atoi(args[0])
		if err != nil || n < 1 || n > 16 {
			return fmt.Errorf("ports: want a count from 1 to 16, got %q", args[0])
		}
		ports, err := freePorts(n)
		if err != nil {
			return err
		}
		for _, p := range ports {
			fmt.Fprintln(out, p)
		}
		return nil
	}

	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	hosts := fs.String("hosts", os.Getenv("CASSA_TEST_CQL_HOSTS"), "comma-separated host:port list (default $CASSA_TEST_CQL_HOSTS)")
	timeout := fs.Duration("timeout", 10*time.Second, "bound on the whole command")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%s: %w (%s)", cmd, err, usage)
	}
	if *hosts == "" {
		return fmt.Errorf("%s: no hosts: pass -hosts or set CASSA_TEST_CQL_HOSTS", cmd)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	switch cmd {
	case "ping":
		s, err := connect(ctx, *hosts, *timeout)
		if err != nil {
			return err
		}
		defer s.Close()
		var version string
		if err := s.Query("SELECT release_version FROM system.local").ScanContext(ctx, &version); err != nil {
			return fmt.Errorf("ping %s: %w", *hosts, err)
		}
		fmt.Fprintln(out, version)
		return nil
	case "smoke":
		s, err := connect(ctx, *hosts, *timeout)
		if err != nil {
			return err
		}
		defer s.Close()
		return smoke(ctx, s, out)
	case "exec":
		if fs.NArg() == 0 {
			return errors.New("exec: no statements")
		}
		s, err := connect(ctx, *hosts, *timeout)
		if err != nil {
			return err
		}
		defer s.Close()
		failed := 0
		for _, stmt := range fs.Args() {
			if err := execPrint(ctx, s, stmt, out); err != nil {
				fmt.Fprintf(out, "error: %v\n", err)
				failed++
			}
		}
		if failed > 0 {
			return fmt.Errorf("exec: %d of %d statements failed", failed, fs.NArg())
		}
		return nil
	}
	return fmt.Errorf("unknown command %q (%s)", cmd, usage)
}

// freePorts returns n distinct ports that were free on 127.0.0.1 a moment
// ago. All n listeners are open at once so the kernel cannot hand out the
// same port twice; another process may still take one before the caller
// binds it, which the caller sees as a bind failure.
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("ports: %w", err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// connect opens a gocql session on hosts. A single node on loopback needs
// no discovery of peers, so the driver is kept to the hosts it was given
// and tries each connection once: the caller polls. (MaxRetries counts
// attempts, not retries: gocql v2.1.2's hostConnPool.connect makes none at
// 0 and then puts a nil *Conn in the pool, which panics on the first query.)
func connect(ctx context.Context, hosts string, timeout time.Duration) (*gocql.Session, error) {
	cluster := gocql.NewCluster(strings.Split(hosts, ",")...)
	cluster.Timeout = timeout
	cluster.ConnectTimeout = min(timeout, 5*time.Second)
	cluster.Consistency = gocql.One
	cluster.ReconnectionPolicy = &gocql.ConstantReconnectionPolicy{MaxRetries: 1, Interval: time.Second}
	cluster.Events.DisableTopologyEvents = true
	cluster.Events.DisableNodeStatusEvents = true
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < cluster.Timeout {
		cluster.Timeout = time.Until(deadline)
	}
	s, err := cluster.CreateSession()
	if err != nil {
		return nil, fmt.Errorf("connect %s: %w", hosts, err)
	}
	return s, nil
}

// execPrint runs one statement and prints its rows (columns in result
// order), "applied=..." for a conditional statement, or "ok".
func execPrint(ctx context.Context, s *gocql.Session, stmt string, out io.Writer) error {
	fmt.Fprintf(out, "> %s\n", stmt)
	iter := s.Query(stmt).IterContext(ctx)
	cols := iter.Columns()
	rows := 0
	for {
		row := map[string]any{}
		if !iter.MapScan(row) {
			break
		}
		rows++
		parts := make([]string, 0, len(cols))
		for _, c := range cols {
			parts = append(parts, fmt.Sprintf("%s=%s", c.Name, format(row[c.Name])))
		}
		fmt.Fprintln(out, "  "+strings.Join(parts, " "))
	}
	if err := iter.Close(); err != nil {
		return err
	}
	if len(cols) == 0 {
		fmt.Fprintln(out, "  ok")
	} else {
		fmt.Fprintf(out, "  (%d rows)\n", rows)
	}
	return nil
}

// format prints a value the way a reader compares them: maps sorted by key.
func format(v any) string {
	if m, ok := v.(map[string]any); ok {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s:%s", k, format(m[k])))
		}
		return "{" + strings.Join(parts, " ") + "}"
	}
	if b, ok := v.([]byte); ok {
		return fmt.Sprintf("0x%x", b)
	}
	return fmt.Sprint(v)
}
