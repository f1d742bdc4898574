// Package syncbuf is a bytes.Buffer that goroutines may write to at once:
// what tests hand to a logger, a child process or a driver, and read back.
//
//	var log syncbuf.Buffer
//	logger := slog.New(slog.NewTextHandler(&log, nil))
//	… log.String() …
package syncbuf

import (
	"bytes"
	"sync"
)

// Buffer collects writes under a lock. Its zero value is ready to use.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (l *Buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything written so far.
func (l *Buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
