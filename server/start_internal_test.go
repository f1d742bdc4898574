package server

import (
	"context"
	"testing"
)

// startTestServer starts a server with cfg for the tests of package server
// itself, which cannot use cassatest (cassatest imports this package), and
// closes it when the test ends.
func startTestServer(tb testing.TB, cfg Config) *Server {
	tb.Helper()
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	srv, err := Start(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("Start: %v", err)
	}
	tb.Cleanup(func() {
		if err := srv.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return srv
}
