package cql_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/cassa-go/cassa/cql"
)

// lockedBuffer is a bytes.Buffer safe for the session's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Config.Logger receives the session's events through log/slog, naming
// the session; without a logger the session is silent.
func TestLogger(t *testing.T) {
	var out lockedBuffer
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
