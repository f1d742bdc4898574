package pool

import (
	"context"
	"log/slog"
	"time"
)

// Listener receives a pool's events. The method names follow pycassa's
// PoolListener, with one fix: pycassa documents server_list_obtained but
// calls obtained_server_list; here there is only ServerListObtained.
//
// Methods are called synchronously by the goroutine that caused the event,
// never with a pool lock held, possibly from many goroutines at once: they
// must be quick and safe for concurrent use. Embed NopListener to implement
// only some of them.
type Listener interface {
	// ConnectionCreated: a connection was opened (after login and
	// set_keyspace).
	ConnectionCreated(ConnEvent)
	// ConnectionCheckedOut: a connection was lent to an operation.
	ConnectionCheckedOut(ConnEvent)
	// ConnectionCheckedIn: an operation gave its connection back (fired
	// before the connection is disposed, when it is).
	ConnectionCheckedIn(ConnEvent)
	// ConnectionDisposed: a connection was closed, for Reason.
	ConnectionDisposed(DisposeEvent)
	// ConnectionRecycled: a connection that ran more than Config.Recycle
	// RPCs was replaced.
	ConnectionRecycled(RecycleEvent)
	// ConnectionFailed: an attempt failed, opening a connection (Conn is
	// nil) or running an operation. Err is the error the caller would see
	// for that attempt.
	ConnectionFailed(FailEvent)
	// ServerListObtained: the pool took a (shuffled) server list: in Open,
	// from Config.ServerList, or from discovery.
	ServerListObtained(ServerListEvent)
	// PoolAtMax: a checkout gave up waiting because every connection the
	// pool may open was in use.
	PoolAtMax(PoolAtMaxEvent)
	// PoolDisposed: the pool was closed.
	PoolDisposed(PoolEvent)
	// ServerDown: a server was marked down; it is probed in the background
	// until it answers. (Not in pycassa.)
	ServerDown(ServerEvent)
	// ServerUp: a server marked down answered again. (Not in pycassa.)
	ServerUp(ServerEvent)
}

// NopListener implements Listener with methods that do nothing; embed it to
// implement a few events.
type NopListener struct{}

// ConnectionCreated does nothing.
func (NopListener) ConnectionCreated(ConnEvent) {}

// ConnectionCheckedOut does nothing.
func (NopListener) ConnectionCheckedOut(ConnEvent) {}

// ConnectionCheckedIn does nothing.
func (NopListener) ConnectionCheckedIn(ConnEvent) {}

// ConnectionDisposed does nothing.
func (NopListener) ConnectionDisposed(DisposeEvent) {}

// ConnectionRecycled does nothing.
func (NopListener) ConnectionRecycled(RecycleEvent) {}

// ConnectionFailed does nothing.
func (NopListener) ConnectionFailed(FailEvent) {}

// ServerListObtained does nothing.
func (NopListener) ServerListObtained(ServerListEvent) {}

// PoolAtMax does nothing.
func (NopListener) PoolAtMax(PoolAtMaxEvent) {}

// PoolDisposed does nothing.
func (NopListener) PoolDisposed(PoolEvent) {}

// ServerDown does nothing.
func (NopListener) ServerDown(ServerEvent) {}

// ServerUp does nothing.
func (NopListener) ServerUp(ServerEvent) {}

// PoolEvent carries what every event has: the pool's name and the event's
// level (debug for routine events, info for failures, as in pycassa).
type PoolEvent struct {
	PoolID string
	Level  slog.Level
}

// ConnEvent is connection_created, connection_checked_out and
// connection_checked_in.
type ConnEvent struct {
	PoolEvent
	Conn ConnInfo
}

// DisposeEvent is connection_disposed.
type DisposeEvent struct {
	PoolEvent
	Conn   ConnInfo
	Reason string // why it was closed, e.g. "pool is already full"
	Err    error  // the failure that ended it, if one did
}

// RecycleEvent is connection_recycled.
type RecycleEvent struct {
	PoolEvent
	Old ConnInfo
	New ConnInfo
}

// FailEvent is connection_failed.
type FailEvent struct {
	PoolEvent
	Server string
	Err    error
	Op     string    // the Thrift method that failed; empty while connecting
	Conn   *ConnInfo // nil when the connection could not be opened
}

// ServerListEvent is server_list_obtained.
type ServerListEvent struct {
	PoolEvent
	Servers []string // canonical addresses, in the pool's (shuffled) order
}

// PoolAtMaxEvent is pool_at_max.
type PoolAtMaxEvent struct {
	PoolEvent
	PoolMax int           // PoolSize + MaxOverflow; -1 when overflow is unlimited
	Waited  time.Duration // how long the checkout waited
}

// ServerEvent is ServerDown and ServerUp.
type ServerEvent struct {
	PoolEvent
	Server string
	Err    error         // why it was marked down (ServerDown)
	Down   time.Duration // how long it was down (ServerUp)
}

// events fans events out to the listeners and the logger. Building an event
// costs nothing when there is neither.
type events struct {
	id        string
	listeners []Listener
	logger    *slog.Logger
}

func (e *events) on() bool { return len(e.listeners) > 0 || e.logger != nil }

// logs reports whether the logger takes records of level l, so hot paths
// skip building attributes nobody reads.
func (e *events) logs(l slog.Level) bool {
	return e.logger != nil && e.logger.Enabled(context.Background(), l)
}

func (e *events) base(l slog.Level) PoolEvent { return PoolEvent{PoolID: e.id, Level: l} }

func (e *events) log(l slog.Level, msg string, attrs ...slog.Attr) {
	if e.logger == nil {
		return
	}
	e.logger.LogAttrs(context.Background(), l, msg, append(attrs, slog.String("pool", e.id))...)
}

func connAttrs(c ConnInfo) slog.Attr {
	return slog.Group("conn", slog.Uint64("id", c.ID), slog.String("server", c.Server), slog.Int("ops", c.Ops))
}

func (e *events) created(c *Conn) {
	if !e.on() {
		return
	}
	ev := ConnEvent{e.base(slog.LevelDebug), c.Info()}
	for _, l := range e.listeners {
		l.ConnectionCreated(ev)
	}
	e.log(ev.Level, "connection opened", connAttrs(ev.Conn))
}

func (e *events) checkedOut(c *Conn) {
	if !e.on() {
		return
	}
	ev := ConnEvent{e.base(slog.LevelDebug), c.Info()}
	for _, l := range e.listeners {
		l.ConnectionCheckedOut(ev)
	}
	if e.logs(ev.Level) {
		e.log(ev.Level, "connection checked out", connAttrs(ev.Conn))
	}
}

func (e *events) checkedIn(c *Conn) {
	if !e.on() {
		return
	}
	ev := ConnEvent{e.base(slog.LevelDebug), c.Info()}
	for _, l := range e.listeners {
		l.ConnectionCheckedIn(ev)
	}
	if e.logs(ev.Level) {
		e.log(ev.Level, "connection checked in", connAttrs(ev.Conn))
	}
}

func (e *events) disposed(c *Conn, reason string, err error) {
	if !e.on() {
		return
	}
	ev := DisposeEvent{e.base(slog.LevelDebug), c.Info(), reason, err}
	for _, l := range e.listeners {
		l.ConnectionDisposed(ev)
	}
	attrs := []slog.Attr{connAttrs(ev.Conn), slog.String("reason", reason)}
	if err != nil {
		attrs = append(attrs, slog.Any("error", err))
	}
	e.log(ev.Level, "connection closed", attrs...)
}

func (e *events) recycled(old, new *Conn) {
	if !e.on() {
		return
	}
	ev := RecycleEvent{e.base(slog.LevelDebug), old.Info(), new.Info()}
	for _, l := range e.listeners {
		l.ConnectionRecycled(ev)
	}
	e.log(ev.Level, "connection recycled", slog.Int("after_ops", ev.Old.Ops),
		slog.Uint64("old", ev.Old.ID), slog.Uint64("new", ev.New.ID))
}

func (e *events) failed(server, op string, c *Conn, err error) {
	if !e.on() {
		return
	}
	ev := FailEvent{PoolEvent: e.base(slog.LevelInfo), Server: server, Err: err, Op: op}
	if c != nil {
		info := c.Info()
		ev.Conn = &info
	}
	for _, l := range e.listeners {
		l.ConnectionFailed(ev)
	}
	e.log(ev.Level, "connection failed", slog.String("server", server), slog.String("op", op), slog.Any("error", err))
}

func (e *events) serverList(servers []string) {
	if !e.on() {
		return
	}
	ev := ServerListEvent{e.base(slog.LevelDebug), append([]string(nil), servers...)}
	for _, l := range e.listeners {
		l.ServerListObtained(ev)
	}
	e.log(ev.Level, "server list obtained", slog.Any("servers", ev.Servers))
}

func (e *events) atMax(max int, waited time.Duration) {
	if !e.on() {
		return
	}
	ev := PoolAtMaxEvent{e.base(slog.LevelInfo), max, waited}
	for _, l := range e.listeners {
		l.PoolAtMax(ev)
	}
	e.log(ev.Level, "pool at max", slog.Int("pool_max", max), slog.Duration("waited", waited))
}

func (e *events) poolDisposed() {
	if !e.on() {
		return
	}
	ev := e.base(slog.LevelInfo)
	for _, l := range e.listeners {
		l.PoolDisposed(ev)
	}
	e.log(ev.Level, "pool disposed")
}

func (e *events) serverDown(server string, err error) {
	if !e.on() {
		return
	}
	ev := ServerEvent{PoolEvent: e.base(slog.LevelInfo), Server: server, Err: err}
	for _, l := range e.listeners {
		l.ServerDown(ev)
	}
	e.log(ev.Level, "server marked down", slog.String("server", server), slog.Any("error", err))
}

func (e *events) serverUp(server string, down time.Duration) {
	if !e.on() {
		return
	}
	ev := ServerEvent{PoolEvent: e.base(slog.LevelInfo), Server: server, Down: down}
	for _, l := range e.listeners {
		l.ServerUp(ev)
	}
	e.log(ev.Level, "server back up", slog.String("server", server), slog.Duration("down_for", down))
}
