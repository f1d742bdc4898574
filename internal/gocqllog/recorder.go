package gocqllog

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// waitTimeout bounds WaitFor.
const waitTimeout = 10 * time.Second

// Recorder is a gocql.StructuredLogger that keeps every line, as
// "LEVEL message name=value ...". Its zero value is ready to use, and it
// is safe for concurrent use.
type Recorder struct {
	mu    sync.Mutex
	lines []string
}

var _ gocql.StructuredLogger = (*Recorder)(nil)

func (r *Recorder) add(level, msg string, fields []gocql.LogField) {
	var b strings.Builder
	b.WriteString(level + " " + msg)
	for _, f := range fields {
		fmt.Fprintf(&b, " %s=%s", f.Name, f.Value.String())
	}
	r.mu.Lock()
	r.lines = append(r.lines, b.String())
	r.mu.Unlock()
}

// Error records an error line.
func (r *Recorder) Error(msg string, f ...gocql.LogField) { r.add("ERROR", msg, f) }

// Warning records a warning line.
func (r *Recorder) Warning(msg string, f ...gocql.LogField) { r.add("WARN", msg, f) }

// Info records an info line.
func (r *Recorder) Info(msg string, f ...gocql.LogField) { r.add("INFO", msg, f) }

// Debug records a debug line.
func (r *Recorder) Debug(msg string, f ...gocql.LogField) { r.add("DEBUG", msg, f) }

// String returns the lines recorded so far, one a line.
func (r *Recorder) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.lines, "\n")
}

// WaitFor waits up to ten seconds for a line that contains every one of
// substrings and returns it; it fails t, showing the log, when none comes.
func (r *Recorder) WaitFor(t testing.TB, substrings ...string) string {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		if line, ok := r.find(substrings); ok {
			return line
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("gocql never logged %q; it logged:\n%s", substrings, r)
	return ""
}

func (r *Recorder) find(substrings []string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, line := range r.lines {
		all := true
		for _, s := range substrings {
			all = all && strings.Contains(line, s)
		}
		if all {
			return line, true
		}
	}
	return "", false
}
