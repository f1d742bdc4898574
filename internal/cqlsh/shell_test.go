package cqlsh

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata")

// fakeClock advances 100 ms each time it is read, so that COPY's rates
// and times are the same on every run.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(100 * time.Millisecond)
	return c.t
}

// newShell starts an embedded server and a shell on it, writing to the
// returned buffers.
func newShell(t *testing.T) (*Shell, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	srv := cassatest.Start(t)
	host, port := splitHostPort(t, srv.CQLAddr())
	var out, errOut bytes.Buffer
	clock := &fakeClock{t: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
	sh, err := New(context.Background(), Config{Host: host, Port: port, Out: &out, Err: &errOut, Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sh.Close() })
	return sh, &out, &errOut
}

func splitHostPort(t *testing.T, addr string) (string, int) {
	t.Helper()
	i := strings.LastIndexByte(addr, ':')
	var port int
	for _, c := range addr[i+1:] {
		port = port*10 + int(c-'0')
	}
	return addr[:i], port
}

// loadFixture runs testdata/fixture.cql, failing on any error.
func loadFixture(t *testing.T, sh *Shell, errOut *bytes.Buffer) {
	t.Helper()
	f, err := os.Open("testdata/fixture.cql")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := sh.RunScript(context.Background(), f, "fixture.cql"); err != nil || sh.Failed() {
		t.Fatalf("fixture: %v\n%s", err, errOut)
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update to see the new output in git diff):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// TestSession runs testdata/session.cql as `cqlsh -f` would and compares
// what it prints, byte for byte, with testdata/session.out and
// session.err: cqlsh 3.11's tables, EXPAND, lightweight transaction
// results, error lines with the file and cqlsh's line count, the shell
// commands' messages and DESCRIBE.
func TestSession(t *testing.T) {
	sh, out, errOut := newShell(t)
	loadFixture(t, sh, errOut)
	out.Reset()
	errOut.Reset()
	f, err := os.Open("testdata/session.cql")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := sh.RunScript(context.Background(), f, "session.cql"); err != nil {
		t.Fatal(err)
	}
	golden(t, "session.out", strings.ReplaceAll(out.String(), fmt.Sprintf(":%d.", sh.port), ":PORT."))
	golden(t, "session.err", errOut.String())
	if !sh.Failed() {
		t.Error("Failed() is false after errors")
	}
}

var rateRE = regexp.MustCompile(`Rate: +\d+ rows/s; Avg. rate: +\d+ rows/s`)

// TestCopy exports the fixture's tables as CSV and imports them back,
// with cqlsh's messages (the clock is fake: rates and times are fixed).
func TestCopy(t *testing.T) {
	sh, out, errOut := newShell(t)
	loadFixture(t, sh, errOut)
	dir := t.TempDir()
	file := filepath.Join(dir, "users.csv")
	ctx := context.Background()
	out.Reset()
	run := func(stmt string) {
		t.Helper()
		if err := sh.Exec(ctx, strings.ReplaceAll(stmt, "@F@", file)); err != nil {
			t.Fatal(err)
		}
	}
	run("COPY users TO '@F@' WITH HEADER = true AND NUMPROCESSES = 1")
	run("COPY events (user, seq, kind) TO STDOUT")
	run("CREATE TABLE users2 (id int PRIMARY KEY, name text, born date, balance decimal, tags set<text>, prefs map<text, int>, " +
		"addr frozen<address>, login timestamp, ratio double, score float, avatar blob, ip inet, active boolean, uid uuid, " +
		"pair frozen<tuple<int, text>>, big varint, dur duration, at time)")
	run("COPY users2 FROM '@F@' WITH HEADER = true AND NUMPROCESSES = 1")
	run("SELECT * FROM users2")
	csv, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.ReplaceAll(out.String(), file, "FILE")
	golden(t, "copy.out", got+"--- FILE\n"+string(csv))
	if errOut.Len() > 0 {
		t.Errorf("errors: %s", errOut)
	}

	// Bad rows: a parse error and a short row go to the error file;
	// the good rows are imported.
	bad := filepath.Join(dir, "bad.csv")
	errFile := filepath.Join(dir, "bad.err")
	if err := os.WriteFile(bad, []byte("1,one\nx,two\n3\n4,four\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errOut.Reset()
	run("CREATE TABLE kv (k int PRIMARY KEY, v text)")
	run("COPY kv FROM '" + bad + "' WITH NUMPROCESSES = 1 AND ERRFILE = '" + errFile + "'")
	if !strings.Contains(out.String(), "\n2 rows imported from 1 files in ") {
		t.Errorf("stdout: %q", out)
	}
	for _, w := range []string{
		"Failed to import 1 rows: ParseError - invalid literal for int() with base 10: 'x' -  given up without retries",
		"Failed to import 1 rows: ParseError - Invalid row length 1 should be 2 -  given up without retries",
		"Failed to process 2 rows; failed rows written to " + errFile,
	} {
		if !strings.Contains(errOut.String(), w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
	if b, _ := os.ReadFile(errFile); string(b) != "x,two\r\n3\r\n" {
		t.Errorf("error file %q", b)
	}
}

// At a terminal a syntax error shows where it is; scripts print only the
// message, as cqlsh does.
func TestSyntaxCaretInteractive(t *testing.T) {
	sh, _, errOut := newShell(t)
	sh.cfg.Interactive = true
	if err := sh.Run(context.Background(), "SELECT * FORM t;"); err != nil {
		t.Fatal(err)
	}
	want := "SyntaxException: line 1:9 mismatched input 'FORM' expecting K_FROM (SELECT * [FORM]...)\n  SELECT * FORM t\n           ^\n"
	if errOut.String() != want {
		t.Errorf("got\n%q\nwant\n%q", errOut.String(), want)
	}
}
