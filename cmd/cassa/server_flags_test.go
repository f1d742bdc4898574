package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Duration flags show `duration` as their placeholder in the usage text.
func TestServerUsagePlaceholders(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"server", "-h"}, &out, &errOut); !errors.Is(err, flag.ErrHelp) {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "-idle-timeout duration") {
		t.Errorf("usage:\n%s", errOut.String())
	}
}

func TestServerFlagErrors(t *testing.T) {
	dir := t.TempDir()
	noUsers := filepath.Join(dir, "missing-users")
	plain := filepath.Join(dir, "plain-users")
	if err := os.WriteFile(plain, []byte("bob:secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args  []string
		usage bool // a usage error (exit 2) rather than a start failure
	}{
		{[]string{"--commitlog-sync", "sometimes"}, true},
		{[]string{"--commitlog-sync-period", "0"}, true},
		{[]string{"--log-level", "loud"}, true},
		{[]string{"--expiration-date-overflow-policy", "capped"}, true},
		{[]string{"--tls-cert", "c.pem"}, true},
		{[]string{"--tls-client-ca", "ca.pem"}, true},
		{[]string{"--idle-timeout", "-1s"}, true},
		{[]string{"--max-connections", "-1"}, true},
		{[]string{"--users", noUsers}, false},
		{[]string{"--users", plain}, false},
		{[]string{"--tls-cert", filepath.Join(dir, "c.pem"), "--tls-key", filepath.Join(dir, "k.pem")}, false},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"server", "--listen", "127.0.0.1:0", "--cql-listen", "127.0.0.1:0"}, tc.args...)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // a server that starts stops
			defer cancel()
			err := run(ctx, args, &out, &errOut)
			if err == nil {
				t.Fatal("accepted")
			}
			if got := errors.Is(err, errUsage); got != tc.usage {
				t.Fatalf("usage error %v, want %v: %v (%s)", got, tc.usage, err, errOut.String())
			}
		})
	}
}

func TestServerDataDirSnapshotAtShutdown(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errOut bytes.Buffer
	// Stop as soon as it listens, as SIGTERM would: a clean shutdown.
	out := cancelOnWrite{cancel}
	if err := run(ctx, []string{"server", "--listen", "127.0.0.1:0", "--cql-listen", "", "--data", dir, "--commitlog-sync", "batch"}, out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	snaps, _ := filepath.Glob(filepath.Join(dir, "snapshot-*"))
	if len(snaps) != 1 {
		t.Fatalf("snapshots after a clean shutdown: %v\n%s", snaps, errOut.String())
	}
}

// cancelOnWrite cancels a context at the first output.
type cancelOnWrite struct{ cancel context.CancelFunc }

func (c cancelOnWrite) Write(p []byte) (int, error) {
	c.cancel()
	return len(p), nil
}

func TestServerExpirationPolicyFlag(t *testing.T) {
	// Cassandra reads cassandra.expiration_date_overflow_policy in any case.
	for _, p := range []string{"REJECT", "cap", "CAP_NOWARN"} {
		ctx, cancel := context.WithCancel(context.Background())
		var errOut bytes.Buffer
		err := run(ctx, []string{"server", "--listen", "127.0.0.1:0", "--cql-listen", "", "--expiration-date-overflow-policy", p}, cancelOnWrite{cancel}, &errOut)
		cancel()
		if err != nil {
			t.Errorf("%s: %v\n%s", p, err, errOut.String())
		}
	}
}
