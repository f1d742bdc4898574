package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"strings"
	"testing"
)

func TestPortsAreDistinctAndFree(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"ports", "16"}, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(out.String())
	if len(lines) != 16 {
		t.Fatalf("got %d ports, want 16: %q", len(lines), out.String())
	}
	seen := map[string]bool{}
	for _, p := range lines {
		if seen[p] {
			t.Fatalf("port %s twice in %v", p, lines)
		}
		seen[p] = true
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", p))
		if err != nil {
			t.Fatalf("port %s is not free: %v", p, err)
		}
		l.Close()
	}
}

func TestBadArgumentsAreErrors(t *testing.T) {
	t.Setenv("CASSA_TEST_CQL_HOSTS", "")
	for _, args := range [][]string{
		nil,
		{"ports"},
		{"ports", "x"},
		{"ports", "0"},
		{"ports", "17"},
		{"ping"},
		{"ping", "-nosuchflag"},
		{"exec", "-hosts", "127.0.0.1:1"},
		{"frobnicate", "-hosts", "127.0.0.1:1"},
	} {
		if err := run(context.Background(), args, &bytes.Buffer{}); err == nil {
			t.Errorf("run(%q) succeeded, want an error", args)
		}
	}
}

// A port nobody listens on must give an error, not a hang or a panic: the
// start script polls with ping until the node answers.
func TestPingWithNoNodeFails(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	err = run(context.Background(), []string{"ping", "-hosts", addr, "-timeout", "2s"}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), addr) {
		t.Fatalf("ping %s = %v, want an error naming the address", addr, err)
	}
}

// TestSmokeAgainstRealNode runs the smoke round trip against the node that
// CASSA_TEST_CQL_HOSTS names (scripts/refnode.sh env prints it).
func TestSmokeAgainstRealNode(t *testing.T) {
	hosts := os.Getenv("CASSA_TEST_CQL_HOSTS")
	if hosts == "" {
		t.Skip("CASSA_TEST_CQL_HOSTS is not set (scripts/refnode.sh start; scripts/refnode.sh env)")
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"smoke", "-hosts", hosts, "-timeout", "60s"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.HasSuffix(out.String(), "smoke: ok\n") {
		t.Fatalf("smoke output does not end in ok:\n%s", out.String())
	}
	var ping bytes.Buffer
	if err := run(context.Background(), []string{"ping", "-hosts", hosts}, &ping); err != nil {
		t.Fatal(err)
	}
	if v := strings.TrimSpace(ping.String()); v == "" || !strings.Contains(v, ".") {
		t.Fatalf("release_version %q does not look like Cassandra's", v)
	}
}
