package cql_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/internal/syncbuf"
)

// Config.Logger receives the session's events through log/slog, naming
// the session; without a logger the session is silent.
func TestLogger(t *testing.T) {
	var out syncbuf.Buffer
	logger := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	db, err := cql.Open(testCtx(t), cql.Config{Hosts: testHosts(t), Logger: logger, Name: "logged"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(testCtx(t), "SELECT nope FROM system.local"); err == nil {
		t.Fatal("a bad statement ran")
	}
	if err := db.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	log := out.String()
	for _, want := range []string{"connection opened", "session closed", "session=logged"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
}
