package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one subcommand: its one-line summary and its entry point,
// which parses its own flags from args and runs until ctx is done or the
// work is finished.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands is the subcommand table, by name.
var commands = map[string]command{
	"server": {summary: "run the embedded Cassandra-compatible Thrift server", run: runServer},
}

// errUsage marks a usage error that has already been reported; main exits
// 2. flag.ErrHelp marks usage that was asked for (-h); main exits 0.
var errUsage = errors.New("usage")

// exitError asks main for a specific exit status, e.g. `cassa migrate plan`
// exits 1 when changes are pending. A nil err means nothing more is printed.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

func main() {
	// SIGINT and SIGTERM cancel the context; subcommands stop cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	var exit *exitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		if exit.err != nil {
			fmt.Fprintln(os.Stderr, "cassa:", exit.err)
		}
		os.Exit(exit.code)
	case errors.Is(err, flag.ErrHelp):
		// -h, --help, help: the usage was asked for, as with Go's flag
		// package (ExitOnError), so the status is 0.
		os.Exit(0)
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "cassa:", err)
		os.Exit(1)
	}
}

// run dispatches to a subcommand; main is a thin wrapper so tests can call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return errUsage
	}
	if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		return flag.ErrHelp
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "cassa: unknown command %q\n", args[0])
		usage(stderr)
		return errUsage
	}
	return cmd.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: cassa <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'cassa <command> -h' for the flags of a command.")
}
