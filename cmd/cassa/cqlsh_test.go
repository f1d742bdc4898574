package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/creack/pty"
)

// cqlshRun runs `cassa cqlsh` with args and stdin and returns its output,
// its errors and its exit status.
func cqlshRun(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runCqlsh(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), shellExitCode(err)
}

func cqlshServer(t *testing.T) (host, port string) {
	t.Helper()
	srv := cassatest.Start(t)
	addr := srv.CQLAddr()
	i := strings.LastIndexByte(addr, ':')
	return addr[:i], addr[i+1:]
}

const cqlshSchema = "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}; " +
	"CREATE TABLE ks.t (k int PRIMARY KEY, v text); INSERT INTO ks.t (k, v) VALUES (1, 'one'); INSERT INTO ks.t (k, v) VALUES (22, 'two')"

// -e, -f and piped stdin print the same results; errors read
// SOURCE:LINE:message with cqlsh's line count, every statement runs, and
// the status is 2 when one failed.
func TestCqlshExecFileStdin(t *testing.T) {
	host, port := cqlshServer(t)
	if out, errOut, code := cqlshRun(t, "", host, port, "-e", cqlshSchema); code != 0 || out != "" {
		t.Fatalf("schema: %d %q %q", code, out, errOut)
	}
	want := "\n k  | v\n----+-----\n  1 | one\n 22 | two\n\n(2 rows)\n"
	out, errOut, code := cqlshRun(t, "", "-e", "SELECT * FROM t", "-k", "ks", host, port)
	if code != 0 || out != want || errOut != "" {
		t.Errorf("-e: status %d\n%q\n%q", code, out, errOut)
	}

	script := filepath.Join(t.TempDir(), "s.cql")
	body := "USE ks;\nSELECT * FROM nosuch;\nSELECT * FROM t;\nSELECT *\n  FROM t WHERE k = 1;\nCONSISTENCY\n"
	if err := os.WriteFile(script, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	one := "\n k | v\n---+-----\n 1 | one\n\n(1 rows)\n"
	out, errOut, code = cqlshRun(t, "", "-f", script, host, port)
	wantErr := script + ":3:InvalidRequest: Error from server: code=2200 [Invalid query] message=\"unconfigured table nosuch\"\n"
	if code != 2 || out != want+one+"Current consistency level is ONE.\n" || errOut != wantErr {
		t.Errorf("-f: status %d\n%q\n%q", code, out, errOut)
	}
	out, errOut, code = cqlshRun(t, body, host, port)
	if code != 2 || out != want+one+"Current consistency level is ONE.\n" || errOut != strings.Replace(wantErr, script, "<stdin>", 1) {
		t.Errorf("stdin: status %d\n%q\n%q", code, out, errOut)
	}
	// --stop-on-error stops at the first failing statement.
	out, _, code = cqlshRun(t, body, "--stop-on-error", host, port)
	if code != 2 || out != "" {
		t.Errorf("--stop-on-error: status %d\n%q", code, out)
	}
	// -e: errors say <stdin>:1; a missing ';' is added.
	_, errOut, code = cqlshRun(t, "", host, port, "-e", "SELEC 1")
	if code != 2 || errOut != "<stdin>:1:SyntaxException: line 1:0 no viable alternative at input 'SELEC' ([SELEC]...)\n" {
		t.Errorf("-e syntax error: status %d %q", code, errOut)
	}
	// A statement left open at the end.
	_, errOut, code = cqlshRun(t, "SELECT * FROM ks.t\n", host, port)
	if code != 2 || errOut != "<stdin>:2:Incomplete statement at end of file\n" {
		t.Errorf("incomplete: status %d %q", code, errOut)
	}
	// EXIT ends the script.
	out, _, code = cqlshRun(t, "EXIT\nSELECT * FROM ks.t;\n", host, port)
	if code != 0 || out != "" {
		t.Errorf("EXIT: status %d %q", code, out)
	}
}

func TestCqlshUsageAndConnectErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"h", "notaport"}, 2, "'notaport' is not a valid port number."},
		{[]string{"h", "1", "extra"}, 2, "unexpected argument"},
		{[]string{"-e", "x", "-f", "y"}, 2, "not both"},
		{[]string{"--encoding", "latin1"}, 2, "only utf8"},
		{[]string{"--bogus"}, 2, "flag provided but not defined"},
		{[]string{"127.0.0.1", "1", "-e", "SELECT 1"}, 1, "Connection error: ('Unable to connect to any servers', {'127.0.0.1:1': "},
		{[]string{"-f", "/nonexistent/x.cql"}, 1, "Can't open '/nonexistent/x.cql'"},
		{[]string{"--ssl", "--ssl-certfile", "/nonexistent/ca.pem", "-e", "x"}, 1, "ssl certfile"},
	} {
		_, errOut, code := cqlshRun(t, "", tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%q: status %d, stderr %q; want %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
	// -C colours values and column names as cqlsh does.
	host, port := cqlshServer(t)
	out, _, code := cqlshRun(t, "", "-C", host, port, "-e", "SELECT release_version FROM system.local")
	if code != 0 || !strings.Contains(out, "\033[0;1;35mrelease_version\033[0m") || !strings.Contains(out, "\033[0;1;33m3.11") {
		t.Errorf("-C: %d %q", code, out)
	}
	if code, out := runBinary(t, "", "cqlsh", "-h"); code != 0 || !strings.Contains(out, "usage: cassa cqlsh [flags] [host [port]]") {
		t.Errorf("cqlsh -h: %d %s", code, out)
	}
}

// TestCqlshPseudoTerminal runs the binary on a pseudo-terminal as a
// person would: banner and prompt, Tab completion of a keyspace and a
// table, a statement over two lines with the continuation prompt, paging
// with ---MORE---, Ctrl-C dropping a line, history kept across sessions,
// EXIT and Ctrl-D.
func TestCqlshPseudoTerminal(t *testing.T) {
	if _, err := os.Stat("/dev/ptmx"); err != nil {
		t.Skipf("no pseudo-terminals here (/dev/ptmx: %v)", err)
	}
	bin := cassaBinary(t)
	host, port := cqlshServer(t)
	if _, errOut, code := cqlshRun(t, "", host, port, "-e", cqlshSchema+"; INSERT INTO ks.t (k, v) VALUES (3, 'three')"); code != 0 {
		t.Fatalf("schema: %s", errOut)
	}
	home := t.TempDir()
	start := func() (*os.File, *ptyScreen, chan error) {
		cmd := exec.Command(bin, "cqlsh", "--no-color", host, port)
		cmd.Env = append(os.Environ(), "HOME="+home, "TERM=xterm")
		tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 132})
		if err != nil {
			t.Skipf("cannot start on a pseudo-terminal: %v", err)
		}
		t.Cleanup(func() { tty.Close() })
		scr := &ptyScreen{}
		go func() { _, _ = io.Copy(scr, tty) }()
		waited := make(chan error, 1)
		go func() { waited <- cmd.Wait() }()
		t.Cleanup(func() {
			if cmd.ProcessState == nil {
				_ = cmd.Process.Kill()
			}
		})
		return tty, scr, waited
	}
	send := func(tty *os.File, s string) {
		t.Helper()
		if _, err := io.WriteString(tty, s); err != nil {
			t.Fatal(err)
		}
	}
	wait := func(waited chan error, scr *ptyScreen) {
		t.Helper()
		select {
		case err := <-waited:
			if err != nil {
				t.Errorf("cqlsh exited with %v; screen:\n%s", err, scr.String())
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("cqlsh did not exit; screen:\n%s", scr.String())
		}
	}

	tty, scr, waited := start()
	pos := scr.waitFor(t, 0, "Connected to Test Cluster at "+host+":"+port+".")
	pos = scr.waitFor(t, pos, "[cqlsh 5.0.1 | Cassandra 3.11")
	pos = scr.waitFor(t, pos, "Use HELP for help.")
	pos = scr.waitFor(t, pos, "cqlsh> ")

	// "USE k" + Tab completes the keyspace.
	send(tty, "USE k\t")
	pos = scr.waitFor(t, pos, "USE ks ")
	send(tty, ";\r")
	pos = scr.waitFor(t, pos, "cqlsh:ks> ")

	// A statement over two lines; Tab completes the table.
	send(tty, "SELECT v FROM t\t")
	pos = scr.waitFor(t, pos, "SELECT v FROM t ")
	send(tty, "\r")
	pos = scr.waitFor(t, pos, "      ... ")
	send(tty, "WHERE k = 22;\r")
	pos = scr.waitFor(t, pos, " v\r\n-----\r\n two\r\n\r\n(1 rows)")
	pos = scr.waitFor(t, pos, "cqlsh:ks> ")

	// Paging: two rows a page, ---MORE--- between pages.
	send(tty, "PAGING 2\r")
	pos = scr.waitFor(t, pos, "Page size: 2")
	send(tty, "SELECT k FROM t;\r")
	pos = scr.waitFor(t, pos, "---MORE---")
	send(tty, "\r")
	pos = scr.waitFor(t, pos, "(3 rows)")
	pos = scr.waitFor(t, pos, "cqlsh:ks> ")

	// Ctrl-C drops the line being typed; the next statement runs alone.
	send(tty, "DROP KEYSPACE ks\x03")
	send(tty, "CONSISTENCY\r")
	pos = scr.waitFor(t, pos, "Current consistency level is ONE.")
	send(tty, "EXIT\r")
	wait(waited, scr)
	hist, err := os.ReadFile(filepath.Join(home, ".cassa_cqlsh_history"))
	if err != nil {
		t.Fatalf("history: %v", err)
	}
	for _, w := range []string{"USE ks ;\n", "SELECT v FROM t  WHERE k = 22;\n", "CONSISTENCY\n", "EXIT\n"} {
		if !strings.Contains(string(hist), w) {
			t.Errorf("history lacks %q:\n%s", w, hist)
		}
	}

	// A second session recalls the history (Up twice: past EXIT) and
	// leaves on Ctrl-D.
	tty, scr, waited = start()
	pos = scr.waitFor(t, 0, "cqlsh> ")
	send(tty, "\x1b[A\x1b[A\r")
	scr.waitFor(t, pos, "Current consistency level is ONE.")
	send(tty, "\x04")
	wait(waited, scr)
}
