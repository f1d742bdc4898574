package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/cassa-go/cassa/server"
)

// runServer is `cassa server`: it starts the embedded server, prints the
// address it listens on, and serves until ctx is cancelled (SIGINT/SIGTERM).
func runServer(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cassa server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:9160", "TCP `address` to serve Thrift on (port 0 picks a free port)")
	cqlListen := fs.String("cql-listen", "127.0.0.1:9042", "TCP `address` to serve CQL (the native protocol) on; empty turns CQL off (port 0 picks a free port)")
	part := fs.String("partitioner", server.DefaultPartitioner,
		"partitioner `class`: Murmur3Partitioner, RandomPartitioner, ByteOrderedPartitioner or OrderPreservingPartitioner")
	cluster := fs.String("cluster-name", server.DefaultClusterName, "`name` describe_cluster_name reports")
	verbose := fs.Bool("v", false, "log connection events to stderr (same as --log-level debug)")
	logLevel := fs.String("log-level", "info", "`level` of messages logged to stderr: debug, info, warn or error")
	data := fs.String("data", "", "`dir`ectory for the commit log and snapshots; empty keeps everything in memory")
	sync := fs.String("commitlog-sync", "periodic", "`mode`: batch (fsync before acknowledging) or periodic")
	syncPeriod := fs.Int("commitlog-sync-period", 10000, "periodic fsync interval in `ms`")
	users := fs.String("users", "", "users `file` (name:bcrypt-hash lines, see `cassa hashpw`); requires login")
	tlsCert := fs.String("tls-cert", "", "PEM certificate `file`: serve TLS (needs --tls-key)")
	tlsKey := fs.String("tls-key", "", "PEM private key `file` for --tls-cert")
	tlsCA := fs.String("tls-client-ca", "", "PEM CA `file`: require client certificates signed by it")
	maxConns := fs.Int("max-connections", 0, "refuse connections beyond this `count` (0: no limit)")
	idle := fs.Duration("idle-timeout", 0, "close connections idle this `duration` (0: never)")
	snapAt := fs.Int64("snapshot-threshold", 0, "take a snapshot after this many `bytes` of commit log (0: 64 MiB, -1: only at shutdown)")
	overflow := fs.String("expiration-date-overflow-policy", "REJECT",
		"what a write does whose TTL reaches past 2038-01-19T03:14:06Z (Cassandra's cassandra.expiration_date_overflow_policy): "+
			"REJECT it, CAP its expiration (and warn), or CAP_NOWARN")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: cassa server [flags]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Runs a single-node Cassandra-compatible server answering Thrift (--listen) and CQL")
		fmt.Fprintln(stderr, "over the native protocol (--cql-listen), in memory or, with --data, durably")
		fmt.Fprintln(stderr, "(commit log and snapshots). SIGINT/SIGTERM stop it cleanly.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "cassa server: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(stderr, "cassa server: --log-level: %v\n", err)
		return errUsage
	}
	if *verbose {
		level = slog.LevelDebug
	}
	if *sync != "batch" && *sync != "periodic" {
		fmt.Fprintf(stderr, "cassa server: --commitlog-sync must be batch or periodic, not %q\n", *sync)
		return errUsage
	}
	if *syncPeriod <= 0 {
		fmt.Fprintln(stderr, "cassa server: --commitlog-sync-period must be positive")
		return errUsage
	}
	if *idle < 0 {
		fmt.Fprintf(stderr, "cassa server: --idle-timeout %v is negative (0: never)\n", *idle)
		return errUsage
	}
	if *maxConns < 0 {
		fmt.Fprintf(stderr, "cassa server: --max-connections %d is negative (0: no limit)\n", *maxConns)
		return errUsage
	}
	policy, err := server.ParseExpirationOverflowPolicy(*overflow)
	if err != nil {
		fmt.Fprintf(stderr, "cassa server: --expiration-date-overflow-policy must be REJECT, CAP or CAP_NOWARN, not %q\n", *overflow)
		return errUsage
	}
	if (*tlsCert == "") != (*tlsKey == "") || (*tlsCA != "" && *tlsCert == "") {
		fmt.Fprintln(stderr, "cassa server: --tls-cert and --tls-key go together; --tls-client-ca needs them")
		return errUsage
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	cfg := server.Config{
		Addr:                *listen,
		CQLAddr:             *cqlListen,
		DisableCQL:          *cqlListen == "",
		Partitioner:         *part,
		ClusterName:         *cluster,
		Logger:              logger,
		DataDir:             *data,
		CommitLogSync:       *sync,
		CommitLogSyncPeriod: time.Duration(*syncPeriod) * time.Millisecond,
		MaxConnections:      *maxConns,
		IdleTimeout:         *idle,
		SnapshotThreshold:   *snapAt,

		ExpirationDateOverflowPolicy: policy,
	}
	if *users != "" {
		a, err := server.LoadUsersFile(*users)
		if err != nil {
			return err
		}
		cfg.Authenticator = a
	}
	if *tlsCert != "" {
		t, err := server.LoadTLSConfig(*tlsCert, *tlsKey, *tlsCA)
		if err != nil {
			return err
		}
		cfg.TLS = t
	}
	srv, err := server.Start(ctx, cfg)
	if err != nil {
		return err
	}
	// Scripts read these lines to learn the ports when an address ends in :0.
	fmt.Fprintf(stdout, "cassa server listening on %s\n", srv.Addr())
	if a := srv.CQLAddr(); a != "" {
		fmt.Fprintf(stdout, "cassa server CQL listening on %s\n", a)
	}
	<-ctx.Done()
	fmt.Fprintln(stdout, "cassa server: shutting down")
	return srv.Close()
}
