package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/cassa-go/cassa/server"
)

// runServer is `cassa server`: it starts the embedded server, prints the
// address it listens on, and serves until ctx is cancelled (SIGINT/SIGTERM).
func runServer(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cassa server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:9160", "TCP `address` to serve Thrift on (port 0 picks a free port)")
	part := fs.String("partitioner", server.DefaultPartitioner,
		"partitioner `class`: Murmur3Partitioner, RandomPartitioner, ByteOrderedPartitioner or OrderPreservingPartitioner")
	cluster := fs.String("cluster-name", server.DefaultClusterName, "`name` describe_cluster_name reports")
	verbose := fs.Bool("v", false, "log connection events to stderr")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: cassa server [flags]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Runs a single-node Cassandra 2.2-compatible Thrift server in memory.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "cassa server: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	srv, err := server.Start(ctx, server.Config{
		Addr:        *listen,
		Partitioner: *part,
		ClusterName: *cluster,
		Logger:      logger,
	})
	if err != nil {
		return err
	}
	// Scripts read this line to learn the port when --listen ends in :0.
	fmt.Fprintf(stdout, "cassa server listening on %s\n", srv.Addr())
	<-ctx.Done()
	fmt.Fprintln(stdout, "cassa server: shutting down")
	return srv.Close()
}
