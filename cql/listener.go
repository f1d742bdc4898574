package cql

import (
	"context"
	"log/slog"
	"time"
)

// Listener receives a session's events, the same idea as thrift/pool's
// Listener: connections opened and failed, hosts going down and up, the
// cluster's hosts added and removed, requests that failed, retries, and
// the session closing.
//
// Methods are called synchronously by the goroutine that caused the event
// (often one of gocql's), possibly from many goroutines at once: they must
// be quick and safe for concurrent use. Embed NopListener to implement only
// some of them.
type Listener interface {
	// ConnectionCreated: a connection to Host was opened (STARTUP and
	// authentication done).
	ConnectionCreated(ConnEvent)
	// ConnectionFailed: an attempt failed, opening a connection (Op is
	// empty) or running a request (Op is its statement, shortened). Err is
	// mapped onto the errors of package cassa and of this package.
	ConnectionFailed(FailEvent)
	// HostDown: a host was marked down (by the server's status event or
	// because its connections failed).
	HostDown(HostEvent)
	// HostUp: a host marked down is up again.
	HostUp(HostEvent)
	// HostAdded: a node joined the cluster after Open.
	HostAdded(HostEvent)
	// HostRemoved: a node left the cluster after Open.
	HostRemoved(HostEvent)
	// Retrying: a failed request is about to be tried again (after Pause).
	Retrying(RetryEvent)
	// SessionClosed: the session was closed.
	SessionClosed(SessionEvent)
}

// NopListener implements Listener with methods that do nothing; embed it
// to implement a few events.
type NopListener struct{}

// ConnectionCreated does nothing.
func (NopListener) ConnectionCreated(ConnEvent) {}

// ConnectionFailed does nothing.
func (NopListener) ConnectionFailed(FailEvent) {}

// HostDown does nothing.
func (NopListener) HostDown(HostEvent) {}

// HostUp does nothing.
func (NopListener) HostUp(HostEvent) {}

// HostAdded does nothing.
func (NopListener) HostAdded(HostEvent) {}

// HostRemoved does nothing.
func (NopListener) HostRemoved(HostEvent) {}

// Retrying does nothing.
func (NopListener) Retrying(RetryEvent) {}

// SessionClosed does nothing.
func (NopListener) SessionClosed(SessionEvent) {}

// SessionEvent carries what every event has: the session's name and the
// event's level (debug for routine events, info for failures).
type SessionEvent struct {
	Session string
	Level   slog.Level
}

// ConnEvent is ConnectionCreated.
type ConnEvent struct {
	SessionEvent
	Host string        // "host:port"
	Took time.Duration // dial, TLS, STARTUP and authentication
}

// FailEvent is ConnectionFailed.
type FailEvent struct {
	SessionEvent
	Host    string // "host:port"
	Op      string // the statement, shortened; empty while connecting
	Attempt int    // 1 for a first attempt, 2 for the first retry, ...
	Err     error
	Took    time.Duration
}

// HostEvent is HostDown, HostUp, HostAdded and HostRemoved.
type HostEvent struct {
	SessionEvent
	Host       string // "host:port"
	DataCenter string
	Rack       string
}

// RetryEvent is Retrying.
type RetryEvent struct {
	SessionEvent
	Op      string        // the statement, shortened
	Attempt int           // the attempt that failed, 1 for the first
	Err     error         // its error, mapped
	Pause   time.Duration // the pause before the next attempt
}

// events fans events out to the listeners and the logger. Building an
// event costs nothing when there is neither.
type events struct {
	name      string
	listeners []Listener
	logger    *slog.Logger
}

func (e *events) on() bool { return len(e.listeners) > 0 || e.logger != nil }

func (e *events) base(l slog.Level) SessionEvent { return SessionEvent{Session: e.name, Level: l} }

func (e *events) log(l slog.Level, msg string, attrs ...slog.Attr) {
	if e.logger == nil || !e.logger.Enabled(context.Background(), l) {
		return
	}
	e.logger.LogAttrs(context.Background(), l, msg, append(attrs, slog.String("session", e.name))...)
}

func (e *events) connected(host string, took time.Duration) {
	if !e.on() {
		return
	}
	ev := ConnEvent{e.base(slog.LevelDebug), host, took}
	for _, l := range e.listeners {
		l.ConnectionCreated(ev)
	}
	e.log(ev.Level, "connection opened", slog.String("host", host), slog.Duration("took", took))
}

func (e *events) failed(host, op string, attempt int, err error, took time.Duration) {
	if !e.on() {
		return
	}
	ev := FailEvent{e.base(slog.LevelInfo), host, op, attempt, err, took}
	for _, l := range e.listeners {
		l.ConnectionFailed(ev)
	}
	if op == "" {
		e.log(ev.Level, "connection failed", slog.String("host", host), slog.Any("error", err))
		return
	}
	e.log(ev.Level, "request failed", slog.String("host", host), slog.String("op", op),
		slog.Int("attempt", attempt), slog.Any("error", err))
}

func (e *events) host(kind string, host, dc, rack string) {
	if !e.on() {
		return
	}
	ev := HostEvent{e.base(slog.LevelInfo), host, dc, rack}
	for _, l := range e.listeners {
		switch kind {
		case "down":
			l.HostDown(ev)
		case "up":
			l.HostUp(ev)
		case "added":
			l.HostAdded(ev)
		case "removed":
			l.HostRemoved(ev)
		}
	}
	e.log(ev.Level, "host "+kind, slog.String("host", host), slog.String("dc", dc), slog.String("rack", rack))
}

func (e *events) retrying(op string, attempt int, err error, pause time.Duration) {
	if !e.on() {
		return
	}
	ev := RetryEvent{e.base(slog.LevelInfo), op, attempt, err, pause}
	for _, l := range e.listeners {
		l.Retrying(ev)
	}
	e.log(ev.Level, "retrying", slog.String("op", op), slog.Int("attempt", attempt),
		slog.Any("error", err), slog.Duration("pause", pause))
}

func (e *events) closed() {
	if !e.on() {
		return
	}
	ev := e.base(slog.LevelInfo)
	for _, l := range e.listeners {
		l.SessionClosed(ev)
	}
	e.log(ev.Level, "session closed")
}
