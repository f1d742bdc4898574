package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cassa-go/cassa/internal/testbin"
	"github.com/cassa-go/cassa/thrift/pool"
)

// cassaBin is the cassa binary, built once for the tests that need a real
// process (exit statuses, signals).
var cassaBin = testbin.Binary{Package: "github.com/cassa-go/cassa/cmd/cassa"}

// cassaBinary builds the cassa binary once per test run and returns its
// path; -short skips the tests that need it.
func cassaBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	return cassaBin.Path(t)
}

func TestMain(m *testing.M) {
	code := m.Run()
	cassaBin.Remove()
	os.Exit(code)
}

// runBinary runs the cassa binary with args and stdin and returns its
// exit status and combined output.
func runBinary(t *testing.T, stdin string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(cassaBinary(t), args...)
	var out bytes.Buffer
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String()
	case err != nil:
		t.Fatal(err)
	}
	return 0, out.String()
}

// -h and --help exit 0, as Go's flag package does, for cassa and every
// command; usage errors exit 2.
func TestHelpExitsZero(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-h"}, 0, "usage: cassa <command>"},
		{[]string{"--help"}, 0, "usage: cassa <command>"},
		{[]string{"help"}, 0, "usage: cassa <command>"},
		{[]string{"server", "-h"}, 0, "usage: cassa server"},
		{[]string{"server", "--help"}, 0, "usage: cassa server"},
		{[]string{"migrate", "-h"}, 0, "usage: cassa migrate"},
		{[]string{"migrate", "plan", "-h"}, 0, "usage: cassa migrate"},
		{[]string{"migrate", "move", "-h"}, 0, "usage: cassa migrate move"},
		{[]string{"shell", "-h"}, 0, "usage: cassa shell"},
		{[]string{"cqlsh", "--help"}, 0, "usage: cassa cqlsh"},
		{[]string{"hashpw", "-h"}, 0, "usage: cassa hashpw"},
		{nil, 2, "usage: cassa <command>"},
		{[]string{"nope"}, 2, "unknown command"},
		{[]string{"server", "--bogus"}, 2, "flag provided but not defined"},
		{[]string{"migrate", "plan", "--bogus"}, 2, "flag provided but not defined"},
	} {
		code, out := runBinary(t, "", tc.args...)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("cassa %q: exit %d, want %d; output lacks %q:\n%s", tc.args, code, tc.code, tc.want, out)
		}
	}
}

// An idle in-memory `cassa server` (a pool connected to it, nothing
// running) exits within 200 ms of SIGINT. The best of three tries counts,
// so a loaded machine does not fail it; a server that waits on something
// fails all three.
func TestServerStopsPromptlyOnSIGINT(t *testing.T) {
	bin := cassaBinary(t)
	best := time.Hour
	for range 3 {
		cmd := exec.Command(bin, "server", "--listen", "127.0.0.1:0")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(stdout)
		if !lines.Scan() {
			cmd.Process.Kill()
			t.Fatalf("no output: %s", stderr.String())
		}
		addr := strings.TrimPrefix(lines.Text(), "cassa server listening on ")
		go func() {
			for lines.Scan() {
			}
		}()
		ctx := context.Background()
		p, err := pool.Open(ctx, pool.Config{Servers: []string{addr}, PoolSize: 2, Prefill: true})
		if err != nil {
			cmd.Process.Kill()
			t.Fatal(err)
		}
		err = p.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
			_, err := c.Client().DescribeVersion(ctx)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond) // idle
		start := time.Now()
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		err = cmd.Wait()
		took := time.Since(start)
		p.Close(ctx)
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, stderr.String())
		}
		best = min(best, took)
	}
	if best > 200*time.Millisecond {
		t.Errorf("cassa server took %v (best of 3) to exit after SIGINT, want at most 200ms", best)
	}
	t.Logf("exited %v after SIGINT (best of 3)", best)
}
