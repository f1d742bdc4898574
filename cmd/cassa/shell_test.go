package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	"github.com/creack/pty"
	"golang.org/x/crypto/bcrypt"
)

// shellRun runs `cassa shell` with args and stdin and returns its output
// and error.
func shellRun(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runShell(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func shellExitCode(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, errUsage):
		return 2
	}
	return 1
}

var shellTSRE = regexp.MustCompile(`timestamp=\d+`)

func TestShellExecFlag(t *testing.T) {
	srv := cassatest.Start(t)
	out, errOut, err := shellRun(t, "", "--servers", srv.Addr(), "-e",
		"create keyspace K; use K; create column family C with comparator = UTF8Type and key_validation_class = UTF8Type and column_metadata = [{column_name: n, validation_class: LongType}]; "+
			"set C['k']['n'] = 42; set C[k][s] = 'hi'; get C['k']; count C[k]")
	if err != nil {
		t.Fatalf("err %v, stderr %s", err, errOut)
	}
	want := "Keyspace K created.\nAuthenticated to keyspace: K\nColumn family C created.\nValue inserted.\nValue inserted.\n" +
		"=> (name=n, value=42, timestamp=T)\n=> (name=s, value=hi, timestamp=T)\nReturned 2 results.\n2 columns\n"
	if got := shellTSRE.ReplaceAllString(out, "timestamp=T"); got != want {
		t.Errorf("stdout\n%s\nwant\n%s", got, want)
	}

	// Errors stop -e and give status 2, naming the statement's position.
	out, errOut, err = shellRun(t, "", "--host", "127.0.0.1", "--port", shellPortOf(t, srv.Addr()), "-k", "K", "-e", "get C[k][n]; set C[k][n] = x; get C[k][s]")
	if shellExitCode(err) != 2 || !strings.Contains(errOut, "-e:1: error: cannot read x as LongType") || strings.Contains(out, "value=hi") {
		t.Errorf("status %d, stdout %q, stderr %q", shellExitCode(err), out, errOut)
	}
	out, errOut, err = shellRun(t, "", "--servers", srv.Addr(), "--keyspace", "K", "-e", "create column family C")
	if shellExitCode(err) != 2 || !strings.Contains(errOut, "InvalidRequestException: Cannot add already existing table") {
		t.Errorf("status %d, stdout %q, stderr %q", shellExitCode(err), out, errOut)
	}
}

func shellPortOf(t *testing.T, addr string) string {
	t.Helper()
	i := strings.LastIndexByte(addr, ':')
	return addr[i+1:]
}

func TestShellScriptFile(t *testing.T) {
	srv := cassatest.Start(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.cli")
	if err := os.WriteFile(good, []byte("create keyspace K;\nuse K;\n# comment\ncreate column family C with\n  comparator = UTF8Type and\n  column_metadata = [\n    {column_name: n, validation_class: LongType},\n  ];\nset C[k][a] = 'x';\nset C[k][n] = 7\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := shellRun(t, "", "--servers", srv.Addr(), "-f", good)
	if err != nil || !strings.Contains(out, "Column family C created.\nValue inserted.\nValue inserted.\nExecuting script "+good+" ... done.\n") {
		t.Errorf("err %v, stdout %q, stderr %q", err, out, errOut)
	}
	bad := filepath.Join(dir, "bad.cli")
	if err := os.WriteFile(bad, []byte("use K\nget C[k]\nget C[k\nset C[k][b] = 'y'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, err = shellRun(t, "", "--servers", srv.Addr(), "-f", bad)
	if shellExitCode(err) != 2 || !strings.Contains(errOut, bad+":3: syntax error at column 9: expected \"]\", found \"set\"") || strings.Contains(out, "Value inserted.") {
		t.Errorf("status %d, stdout %q, stderr %q", shellExitCode(err), out, errOut)
	}
	_, errOut, err = shellRun(t, "", "--servers", srv.Addr(), "-f", filepath.Join(dir, "missing.cli"))
	if shellExitCode(err) != 2 {
		t.Errorf("missing script: status %d, %v %q", shellExitCode(err), err, errOut)
	}
}

func TestShellPipedStdin(t *testing.T) {
	srv := cassatest.Start(t)
	out, errOut, err := shellRun(t, "create keyspace K\nuse K\ncreate column family C\nset C[k][a] = 'x'\nget C[k]\n", "--servers", srv.Addr())
	if err != nil || !strings.Contains(out, "=> (name=a, value=x") || strings.Contains(out, "Cassandra Interactive Shell") {
		t.Errorf("err %v, stdout %q, stderr %q", err, out, errOut)
	}
}

// A syntax error is treated the same in -e, -f and piped stdin: the shell
// stops there with status 2, naming where; --continue-on-error reports
// each failure, runs the rest and still exits 2.
func TestShellSyntaxErrorSameEverywhere(t *testing.T) {
	srv := cassatest.Start(t)
	if _, errOut, err := shellRun(t, "", "--servers", srv.Addr(), "-e",
		"create keyspace K; use K; create column family C; set C[k][a] = 'x'"); err != nil {
		t.Fatalf("setup: %v %s", err, errOut)
	}
	script := filepath.Join(t.TempDir(), "bad.cli")
	lines := "get C[k]\nnonsense\nset C[k][b] = 'y'\nget C[k\nget C[k][a]\n"
	if err := os.WriteFile(script, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	modes := []struct {
		name, stdin, where string
		args               []string
	}{
		{"-e", "", "-e:1:", []string{"-e", strings.ReplaceAll(strings.TrimSuffix(lines, "\n"), "\n", "; ")}},
		{"-f", "", script + ":2:", []string{"-f", script}},
		{"stdin", lines, "stdin:2:", nil},
	}
	for _, m := range modes {
		for _, cont := range []bool{false, true} {
			args := append([]string{"--servers", srv.Addr(), "-k", "K"}, m.args...)
			if cont {
				args = append(args, "--continue-on-error")
			}
			out, errOut, err := shellRun(t, m.stdin, args...)
			name := fmt.Sprintf("%s continue=%v", m.name, cont)
			if code := shellExitCode(err); code != 2 {
				t.Errorf("%s: status %d, want 2; stderr %q", name, code, errOut)
			}
			if !strings.Contains(errOut, m.where+" syntax error") || !strings.Contains(errOut, "unknown command") {
				t.Errorf("%s: stderr %q does not name the syntax error at %s", name, errOut, m.where)
			}
			ranAfter := strings.Contains(out, "Value inserted.")
			if ranAfter != cont {
				t.Errorf("%s: the statement after the error ran: %v; stdout %q", name, ranAfter, out)
			}
			if cont && strings.Count(errOut, "syntax error") != 2 {
				t.Errorf("%s: want both syntax errors reported, stderr %q", name, errOut)
			}
			if _, errOut, err := shellRun(t, "", "--servers", srv.Addr(), "-k", "K", "-e", "del C[k][b]"); err != nil {
				t.Fatalf("cleanup: %v %s", err, errOut)
			}
		}
	}
}

func TestShellUsageAndConnectErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--user", "bob"}, 2, "go together"},
		{[]string{"-e", "help", "-f", "x"}, 2, "not both"},
		{[]string{"--servers", "a:1", "--port", "2"}, 2, "not both"},
		{[]string{"--port", "70000"}, 2, "not a TCP port"},
		{[]string{"extra"}, 2, "unexpected argument"},
		{[]string{"--bogus"}, 2, "flag provided but not defined"},
		{[]string{"--servers", "127.0.0.1:1", "-e", "show keyspaces"}, 2, ""},
		{[]string{"--user", "bob", "--password-file", "/nonexistent/pw"}, 2, ""},
	}
	for _, tt := range tests {
		_, errOut, err := shellRun(t, "", tt.args...)
		if code := shellExitCode(err); code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: status %d (%v), stderr %q; want %d and %q", tt.args, code, err, errOut, tt.code, tt.want)
		}
	}
}

func TestReadPasswordFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if pw, err := readPasswordFile(write("a", "s3cret\r\nignored\n")); err != nil || pw != "s3cret" {
		t.Errorf("got %q, %v", pw, err)
	}
	if _, err := readPasswordFile(write("b", "\n")); err == nil {
		t.Error("empty password accepted")
	}
	if _, err := readPasswordFile(write("c", strings.Repeat("x", maxPasswordFile+1))); err == nil {
		t.Error("huge file accepted")
	}
}

// ptyScreen collects what a pseudo-terminal shows.
type ptyScreen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *ptyScreen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *ptyScreen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor waits until the ptyScreen shows want after offset from, and
// returns the offset just past it. The limit is a safety net for a hung
// shell, not a timing assertion.
func (s *ptyScreen) waitFor(t *testing.T, from int, want string) int {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		text := s.String()
		if from <= len(text) {
			if i := strings.Index(text[from:], want); i >= 0 {
				return from + i + len(want)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("ptyScreen never showed %q; it shows:\n%s", want, s.String())
	return 0
}

// TestShellPseudoTerminal runs the built binary on a pseudo-terminal, as a
// person would: banner, prompt, a tab completion of a column family name,
// output, history, quit.
func TestShellPseudoTerminal(t *testing.T) {
	if _, err := os.Stat("/dev/ptmx"); err != nil {
		t.Skipf("no pseudo-terminals here (/dev/ptmx: %v)", err)
	}
	bin := cassaBinary(t) // skips with -short
	srv := cassatest.Start(t)
	out, errOut, err := shellRun(t, "", "--servers", srv.Addr(), "-e",
		"create keyspace Demo; use Demo; create column family Users with comparator = UTF8Type and key_validation_class = UTF8Type and default_validation_class = UTF8Type; set Users['u1']['name'] = 'Tyler'")
	if err != nil {
		t.Fatalf("setup: %v %s %s", err, out, errOut)
	}

	home := filepath.Join(t.TempDir(), "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(bin, "shell", "--servers", srv.Addr(), "--keyspace", "Demo")
	cmd.Env = append(os.Environ(), "HOME="+home, "TERM=xterm")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 132})
	if err != nil {
		t.Skipf("cannot start on a pseudo-terminal: %v", err)
	}
	defer tty.Close()
	var scr ptyScreen
	copied := make(chan struct{})
	go func() {
		_, _ = io.Copy(&scr, tty)
		close(copied)
	}()
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	}()

	pos := scr.waitFor(t, 0, "Cassandra Interactive Shell (cassa)")
	pos = scr.waitFor(t, pos, " * Users")
	pos = scr.waitFor(t, pos, "[default@Demo] ")

	// "Us" + Tab completes to "Users ".
	if _, err := io.WriteString(tty, "get Us\t"); err != nil {
		t.Fatal(err)
	}
	pos = scr.waitFor(t, pos, "get Users ")
	if _, err := io.WriteString(tty, "['u1']\r"); err != nil {
		t.Fatal(err)
	}
	pos = scr.waitFor(t, pos, "=> (name=name, value=Tyler, timestamp=")
	pos = scr.waitFor(t, pos, "Returned 1 results.")
	pos = scr.waitFor(t, pos, "[default@Demo] ")

	// Ctrl-C at the prompt drops the line and the shell carries on.
	// (liner redraws the prompt on every key, so the proof is that the
	// next command runs alone).
	if _, err := io.WriteString(tty, "drop keyspace Demo\x03"); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(tty, "count Users['u1']\r"); err != nil {
		t.Fatal(err)
	}
	pos = scr.waitFor(t, pos, "\n1 column")

	// A syntax error shows the caret and the shell carries on.
	if _, err := io.WriteString(tty, "get Users['u1'] junk\r"); err != nil {
		t.Fatal(err)
	}
	pos = scr.waitFor(t, pos, "syntax error at column 17: unexpected \"junk\"")
	pos = scr.waitFor(t, pos, "[default@Demo] ")

	// An open bracket continues the statement on the next line.
	if _, err := io.WriteString(tty, "count Users[\r"); err != nil {
		t.Fatal(err)
	}
	pos = scr.waitFor(t, pos, "...> ")
	if _, err := io.WriteString(tty, "'u1']\r"); err != nil {
		t.Fatal(err)
	}
	pos = scr.waitFor(t, pos, "1 column")
	pos = scr.waitFor(t, pos, "[default@Demo] ")

	if _, err := io.WriteString(tty, "quit\r"); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-waited:
		if err != nil {
			t.Errorf("shell exited with %v; ptyScreen:\n%s", err, scr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("shell did not exit; ptyScreen:\n%s", scr.String())
	}
	_ = pos
	hist, err := os.ReadFile(filepath.Join(home, ".cassa_history"))
	if err != nil {
		t.Fatalf("history: %v", err)
	}
	if !strings.Contains(string(hist), "get Users ['u1']\n") || !strings.Contains(string(hist), "count Users[ 'u1']\n") || !strings.Contains(string(hist), "quit\n") {
		t.Errorf("history file:\n%s", hist)
	}
	<-copied

	// A second session recalls the first one's history with the Up key
	// (Up twice: past "quit" to the count), and Ctrl-D leaves.
	cmd2 := exec.Command(bin, "shell", "--servers", srv.Addr(), "--keyspace", "Demo")
	cmd2.Env = append(os.Environ(), "HOME="+home, "TERM=xterm")
	tty2, err := pty.StartWithSize(cmd2, &pty.Winsize{Rows: 40, Cols: 132})
	if err != nil {
		t.Fatal(err)
	}
	defer tty2.Close()
	var scr2 ptyScreen
	go func() { _, _ = io.Copy(&scr2, tty2) }()
	waited2 := make(chan error, 1)
	go func() { waited2 <- cmd2.Wait() }()
	pos = scr2.waitFor(t, 0, "Type 'help;'")
	if _, err := io.WriteString(tty2, "\x1b[A\x1b[A\r"); err != nil {
		t.Fatal(err)
	}
	pos = scr2.waitFor(t, pos, "count Users[ 'u1']")
	scr2.waitFor(t, pos, "1 column")
	if _, err := io.WriteString(tty2, "\x04"); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-waited2:
		if err != nil {
			t.Errorf("second shell exited with %v; screen:\n%s", err, scr2.String())
		}
	case <-time.After(60 * time.Second):
		_ = cmd2.Process.Kill()
		t.Fatalf("second shell did not exit on Ctrl-D; screen:\n%s", scr2.String())
	}
}

func TestShellLogin(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	auth, err := server.PasswordUsers(map[string]string{"alice": string(hash)})
	if err != nil {
		t.Fatal(err)
	}
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{Authenticator: auth}), cassatest.WithCredentials("alice", "s3cret"))
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(good, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("wrong\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := shellRun(t, "", "--servers", srv.Addr(), "--user", "alice", "--password-file", good, "-e", "create keyspace A; use A; show cluster name")
	if err != nil || !strings.Contains(out, "Authenticated to keyspace: A") {
		t.Errorf("login: %v, stdout %q, stderr %q", err, out, errOut)
	}
	_, errOut, err = shellRun(t, "", "--servers", srv.Addr(), "--user", "alice", "--password-file", bad, "-e", "show keyspaces")
	if shellExitCode(err) != 2 || !strings.Contains(err.Error(), "Provided username alice and/or password are incorrect") {
		t.Errorf("bad password: status %d, %v, stderr %q", shellExitCode(err), err, errOut)
	}
	_, errOut, err = shellRun(t, "", "--servers", srv.Addr(), "-e", "show keyspaces")
	if shellExitCode(err) != 2 {
		t.Errorf("no login: status %d, %v, stderr %q", shellExitCode(err), err, errOut)
	}
}
