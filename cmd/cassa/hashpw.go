package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"github.com/cassa-go/cassa/internal/repl"
)

func init() {
	commands["hashpw"] = command{
		summary: "print a users-file line (name:bcrypt hash) for `cassa server --users`",
		run: func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			return runHashpw(ctx, args, os.Stdin, stdout, stderr)
		},
	}
}

// maxPasswordLine bounds what is read from stdin; bcrypt uses 72 bytes.
const maxPasswordLine = 4096

// runHashpw is `cassa hashpw [--cost N] NAME`: it reads the password as one
// line from stdin, never from the arguments, so that it stays out of shell
// history and ps, and prints "NAME:HASH" for the users file. Lines of that
// file must satisfy the server's users-file parser (server/internal/auth),
// which cmd/cassa cannot import; the checks below mirror its rules.
func runHashpw(_ context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cassa hashpw", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cost := fs.Int("cost", bcrypt.DefaultCost, fmt.Sprintf("bcrypt `cost`, %d to %d; Cassandra uses %d",
		bcrypt.MinCost, bcrypt.MaxCost, bcrypt.DefaultCost))
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: cassa hashpw [flags] USERNAME < password")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Reads a password (one line) from stdin and prints a line for the")
		fmt.Fprintln(stderr, "file of `cassa server --users FILE`:  USERNAME:$2a$10$...")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "  echo \"$PASSWORD\" | cassa hashpw alice >> users.txt")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "cassa hashpw: want exactly one USERNAME (the password is read from stdin)")
		fs.Usage()
		return errUsage
	}
	if *cost < bcrypt.MinCost || *cost > bcrypt.MaxCost {
		fmt.Fprintf(stderr, "cassa hashpw: --cost %d is outside %d..%d\n", *cost, bcrypt.MinCost, bcrypt.MaxCost)
		return errUsage
	}
	name := fs.Arg(0)
	if err := checkUsername(name); err != nil {
		return &exitError{code: 1, err: fmt.Errorf("hashpw: user name %q: %w", name, err)}
	}
	if f, ok := stdin.(*os.File); ok {
		if repl.IsTTY(f) {
			// A terminal: say what is awaited. Input is echoed, since
			// the standard library cannot turn echo off; pipe it in to
			// keep it off the screen.
			fmt.Fprint(stderr, "Password (echoed; end with Enter): ")
		}
	}
	password, err := readPasswordLine(stdin)
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("hashpw: %w", err)}
	}
	hash, err := bcrypt.GenerateFromPassword(password, *cost)
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("hashpw: %w", err)}
	}
	_, err = fmt.Fprintf(stdout, "%s:%s\n", name, hash)
	return err
}

// readPasswordLine returns the first line of r without its line ending.
func readPasswordLine(r io.Reader) ([]byte, error) {
	br := bufio.NewReaderSize(io.LimitReader(r, maxPasswordLine+1), maxPasswordLine+1)
	line, err := br.ReadSlice('\n')
	switch {
	case errors.Is(err, io.EOF) && len(line) == 0:
		return nil, errors.New("no password on stdin")
	case errors.Is(err, bufio.ErrBufferFull) || len(line) > maxPasswordLine:
		return nil, errors.New("password line too long")
	case err != nil && !errors.Is(err, io.EOF):
		return nil, fmt.Errorf("read stdin: %w", err)
	}
	line = []byte(strings.TrimSuffix(strings.TrimSuffix(string(line), "\n"), "\r"))
	if len(line) == 0 {
		return nil, errors.New("empty password")
	}
	if len(line) > 72 {
		// bcrypt would ignore everything past byte 72 (Cassandra's jBCrypt
		// silently does); refuse rather than store a weaker secret.
		return nil, fmt.Errorf("password is %d bytes; bcrypt uses at most 72", len(line))
	}
	return line, nil
}

// checkUsername applies the users file's rules: non-empty, no ':' (the
// separator), no control characters, no surrounding spaces.
func checkUsername(name string) error {
	switch {
	case name == "":
		return errors.New("empty")
	case strings.TrimSpace(name) != name:
		return errors.New("has leading or trailing spaces")
	}
	for _, r := range name {
		if r == ':' || r < 0x20 || r == 0x7f {
			return errors.New("must not contain ':' or control characters")
		}
	}
	return nil
}
