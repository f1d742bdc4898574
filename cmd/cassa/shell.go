package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cassa-go/cassa/internal/repl"
	"github.com/cassa-go/cassa/internal/shell"
)

func init() {
	commands["shell"] = command{
		summary: "interactive shell (cassandra-cli style): get, set, list, describe, create, ...",
		run: func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			return runShell(ctx, args, os.Stdin, stdout, stderr)
		},
	}
}

// maxPasswordFile bounds what is read from --password-file.
const maxPasswordFile = 4096

// runShell is `cassa shell`. With -e or -f it runs those commands, and
// with stdin that is not a terminal the lines of stdin, all three the same
// way: they stop at the first failing statement (a syntax error or any
// other) unless --continue-on-error is given, and any failure makes the
// exit status 2. With a terminal on stdin it is interactive (line editing,
// history, completion).
func runShell(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cassa shell", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "localhost", "server `host`")
	port := fs.Int("port", 9160, "server Thrift `port`")
	servers := fs.String("servers", "", "server `addresses` host:port[,host:port...] (instead of --host and --port)")
	keyspace := fs.String("keyspace", "", "`keyspace` to use at start")
	fs.StringVar(keyspace, "k", "", "short for --keyspace")
	user := fs.String("user", "", "user `name` to log in as (needs --password-file)")
	passFile := fs.String("password-file", "", "`file` whose first line is the password")
	exec := fs.String("e", "", "run these `commands` (separated by ';') and exit")
	script := fs.String("f", "", "run the commands of this `file` and exit")
	keepGoing := fs.Bool("continue-on-error", false,
		"with -e, -f or piped stdin: report a failing statement and run the rest (the status is still 2)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: cassa shell [flags]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "An interactive shell in the spirit of cassandra-cli and pycassaShell.")
		fmt.Fprintln(stderr, "Type 'help;' inside it for the commands. With -e or -f, or with commands")
		fmt.Fprintln(stderr, "piped on stdin, it runs them and exits: status 0 if all succeeded, 2 if not.")
		fmt.Fprintln(stderr, "All three stop at the first failing statement, a syntax error or any other,")
		fmt.Fprintln(stderr, "and print it as SOURCE:LINE: error; --continue-on-error runs the rest.")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "  cassa shell --keyspace Twissandra")
		fmt.Fprintln(stderr, "  cassa shell --servers 127.0.0.1:9160 -k Demo -e \"get Users['u1']; count Users['u1']\"")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "cassa shell: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *exec != "" && *script != "" {
		fmt.Fprintln(stderr, "cassa shell: give -e or -f, not both")
		return errUsage
	}
	if set["servers"] && (set["host"] || set["port"]) {
		fmt.Fprintln(stderr, "cassa shell: give --servers or --host/--port, not both")
		return errUsage
	}
	if (*user == "") != (*passFile == "") {
		fmt.Fprintln(stderr, "cassa shell: --user and --password-file go together")
		return errUsage
	}
	cfg := shell.Config{Keyspace: *keyspace, Username: *user}
	if *servers != "" {
		for _, s := range strings.Split(*servers, ",") {
			if s = strings.TrimSpace(s); s != "" {
				cfg.Servers = append(cfg.Servers, s)
			}
		}
	} else {
		if *port <= 0 || *port > 65535 {
			fmt.Fprintf(stderr, "cassa shell: --port %d is not a TCP port\n", *port)
			return errUsage
		}
		cfg.Servers = []string{net.JoinHostPort(*host, strconv.Itoa(*port))}
	}
	if *passFile != "" {
		pw, err := readPasswordFile(*passFile)
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("shell: %w", err)}
		}
		cfg.Password = pw
	}

	interactive := *exec == "" && *script == "" && repl.IsTerminal(stdin)
	sh, err := shell.New(ctx, cfg, stdout)
	defer func() {
		// ctx may be cancelled by now (SIGINT); closing still gets a moment.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = sh.Close(cctx)
	}()
	if err != nil {
		if !interactive {
			return &exitError{code: 2, err: fmt.Errorf("shell: %s", strings.TrimPrefix(shell.FormatError(err), "error: "))}
		}
		// Interactive: say so and let the user `connect` elsewhere.
		fmt.Fprintln(stderr, shell.FormatError(err))
	}

	stop := !*keepGoing
	switch {
	case *exec != "":
		return scriptResult(stderr, sh.RunScript(ctx, strings.NewReader(*exec), "-e", stop, stderr), stop)
	case *script != "":
		f, err := os.Open(*script)
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("shell: %w", err)}
		}
		defer f.Close()
		err = sh.RunScript(ctx, f, *script, stop, stderr)
		if err == nil {
			fmt.Fprintf(stdout, "Executing script %s ... done.\n", *script)
		}
		return scriptResult(stderr, err, stop)
	case interactive:
		sh.Banner(stdout)
		if err := sh.RunInteractive(ctx, shell.HistoryPath(), stderr); err != nil {
			return &exitError{code: 2, err: fmt.Errorf("shell: %w", err)}
		}
		return nil
	}
	return scriptResult(stderr, sh.RunScript(ctx, stdin, "stdin", stop, stderr), stop)
}

// scriptResult turns a script's error into exit status 2, printing it
// unless RunScript already did: it prints each failing statement when it
// does not stop at the first (but not an error reading the input).
func scriptResult(stderr io.Writer, err error, stopped bool) error {
	if err == nil {
		return nil
	}
	var se *shell.ScriptError
	if stopped || !errors.As(err, &se) {
		fmt.Fprintln(stderr, shell.FormatError(err))
	}
	return &exitError{code: 2}
}

// readPasswordFile returns the first line of path, without its line end.
func readPasswordFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxPasswordFile+1))
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	if len(b) > maxPasswordFile {
		return "", fmt.Errorf("%s: password file too long", path)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	line = strings.TrimSuffix(line, "\r")
	if line == "" {
		return "", fmt.Errorf("%s: empty password", path)
	}
	return line, nil
}
