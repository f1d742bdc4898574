package cql

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa"
)

// Stats is a snapshot of a session's counters since Open. Requests are
// what gocql sends to a node: every attempt of every statement, batch and
// page.
type Stats struct {
	Requests int64         // attempts sent, retries and pages included
	Retries  int64         // attempts after the first of a request
	Rows     int64         // rows received
	Failed   int64         // attempts that failed, all kinds
	Failures FailureCounts // Failed by kind
	Latency  time.Duration // sum of the attempts' latencies
	// MaxLatency is the slowest attempt.
	MaxLatency time.Duration

	Batches int64 // batch attempts sent (counted in Requests too)

	Connects       int64 // connections opened
	ConnectFailed  int64 // connection attempts that failed
	HostDownEvents int64 // hosts marked down
	HostUpEvents   int64 // hosts back up
	NoHost         int64 // calls that found no host to send to

	Hosts      []HostStats // one per host that served a request
	SnapshotAt time.Time
}

// FailureCounts counts failed attempts by the family of their error.
type FailureCounts struct {
	Timeout      int64 // server timeouts (read, write) and client-side timeouts
	Unavailable  int64 // not enough replicas alive
	Overloaded   int64 // coordinator overloaded or bootstrapping
	Invalid      int64 // syntax, invalid request, configuration, already exists
	Unauthorized int64 // authentication and authorization
	Transport    int64 // connection and protocol errors
	Other        int64 // server errors, read/write failures, anything else
}

// HostStats is one host's share of the requests.
type HostStats struct {
	Addr       string
	DataCenter string
	Rack       string
	Up         bool
	Requests   int64
	Failed     int64
	Latency    time.Duration
}

type counters struct {
	requests, retries, rows, failed, latency, maxLatency, batches atomic.Int64
	byKind                                                        [kindCount]atomic.Int64
	connects, connectFailed, down, up, noHost                     atomic.Int64
}

type hostCounters struct {
	host                      *gocql.HostInfo
	requests, failed, latency atomic.Int64
}

// observer is the session's gocql QueryObserver, BatchObserver,
// ConnectObserver and host listener: it counts, and turns what it sees
// into events.
type observer struct {
	ev    *events
	count counters
	hosts sync.Map // host ID → *hostCounters
	// opening collects connection errors while Open runs, to explain a
	// failure to connect; nil afterwards.
	mu      sync.Mutex
	opening map[string]error
}

func (o *observer) hostCounters(h *gocql.HostInfo) *hostCounters {
	id := h.HostID()
	if c, ok := o.hosts.Load(id); ok {
		return c.(*hostCounters)
	}
	c, _ := o.hosts.LoadOrStore(id, &hostCounters{host: h})
	return c.(*hostCounters)
}

func (o *observer) attempt(h *gocql.HostInfo, attempt, rows int, took time.Duration, err error, stmt string) {
	c := &o.count
	c.requests.Add(1)
	if attempt > 0 {
		c.retries.Add(1)
	}
	c.rows.Add(int64(rows))
	c.latency.Add(int64(took))
	for {
		m := c.maxLatency.Load()
		if int64(took) <= m || c.maxLatency.CompareAndSwap(m, int64(took)) {
			break
		}
	}
	var hc *hostCounters
	if h != nil {
		hc = o.hostCounters(h)
		hc.requests.Add(1)
		hc.latency.Add(int64(took))
	}
	if err == nil {
		return
	}
	c.failed.Add(1)
	c.byKind[kindOf(err)].Add(1)
	if hc != nil {
		hc.failed.Add(1)
	}
	if o.ev.on() {
		host := hostAddr(h)
		o.ev.failed(host, shorten(stmt), attempt+1, mapError(err, host, stmt), took)
	}
}

// ObserveQuery counts one attempt of a statement or page.
func (o *observer) ObserveQuery(_ context.Context, q gocql.ObservedQuery) {
	o.attempt(q.Host, q.Attempt, q.Rows, q.End.Sub(q.Start), q.Err, q.Statement)
}

// ObserveBatch counts one attempt of a batch.
func (o *observer) ObserveBatch(_ context.Context, b gocql.ObservedBatch) {
	o.count.batches.Add(1)
	stmt := "BATCH"
	if len(b.Statements) > 0 {
		stmt = "BATCH: " + b.Statements[0]
	}
	o.attempt(b.Host, b.Attempt, 0, b.End.Sub(b.Start), b.Err, stmt)
}

// ObserveConnect counts a connection attempt.
func (o *observer) ObserveConnect(c gocql.ObservedConnect) {
	host := hostAddr(c.Host)
	if c.Err == nil {
		o.count.connects.Add(1)
		o.ev.connected(host, c.End.Sub(c.Start))
		return
	}
	o.count.connectFailed.Add(1)
	o.mu.Lock()
	if o.opening != nil {
		o.opening[host] = c.Err
	}
	o.mu.Unlock()
	o.ev.failed(host, "", 1, mapError(c.Err, host, ""), c.End.Sub(c.Start))
}

// OnHostUp reports a host back up.
func (o *observer) OnHostUp(e gocql.HostUpEvent) {
	o.count.up.Add(1)
	o.ev.host("up", hostAddr(e.Host), e.Host.DataCenter(), e.Host.Rack())
}

// OnHostDown reports a host marked down.
func (o *observer) OnHostDown(e gocql.HostDownEvent) {
	o.count.down.Add(1)
	o.ev.host("down", hostAddr(e.Host), e.Host.DataCenter(), e.Host.Rack())
}

// OnNewHost reports a host added to the cluster.
func (o *observer) OnNewHost(e gocql.NewHostEvent) {
	o.ev.host("added", hostAddr(e.Host), e.Host.DataCenter(), e.Host.Rack())
}

// OnRemovedHost reports a host removed from the cluster.
func (o *observer) OnRemovedHost(e gocql.RemovedHostEvent) {
	o.ev.host("removed", hostAddr(e.Host), e.Host.DataCenter(), e.Host.Rack())
}

// poolFailed notes a connection pool that could not be filled while Open
// runs.
func (o *observer) poolFailed(host, err string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.opening != nil && err != "" {
		o.opening[host] = errors.New(err)
	}
}

// startOpening begins collecting connection errors for Open.
func (o *observer) startOpening() {
	o.mu.Lock()
	o.opening = map[string]error{}
	o.mu.Unlock()
}

// stopOpening ends the collection and returns what it gathered.
func (o *observer) stopOpening() map[string]error {
	o.mu.Lock()
	defer o.mu.Unlock()
	m := o.opening
	o.opening = nil
	return m
}

// Stats returns a snapshot of the session's counters.
func (s *Session) Stats() Stats {
	if !s.opened() {
		return Stats{SnapshotAt: time.Now()}
	}
	c := &s.obs.count
	st := Stats{
		Requests:       c.requests.Load(),
		Retries:        c.retries.Load(),
		Rows:           c.rows.Load(),
		Failed:         c.failed.Load(),
		Latency:        time.Duration(c.latency.Load()),
		MaxLatency:     time.Duration(c.maxLatency.Load()),
		Batches:        c.batches.Load(),
		Connects:       c.connects.Load(),
		ConnectFailed:  c.connectFailed.Load(),
		HostDownEvents: c.down.Load(),
		HostUpEvents:   c.up.Load(),
		NoHost:         c.noHost.Load(),
		SnapshotAt:     time.Now(),
	}
	st.Failures = FailureCounts{
		Timeout:      c.byKind[kindTimeout].Load(),
		Unavailable:  c.byKind[kindUnavailable].Load(),
		Overloaded:   c.byKind[kindOverloaded].Load(),
		Invalid:      c.byKind[kindInvalid].Load(),
		Unauthorized: c.byKind[kindUnauthorized].Load(),
		Transport:    c.byKind[kindTransport].Load(),
		Other:        c.byKind[kindOther].Load(),
	}
	s.obs.hosts.Range(func(_, v any) bool {
		hc := v.(*hostCounters)
		st.Hosts = append(st.Hosts, HostStats{
			Addr: hostAddr(hc.host), DataCenter: hc.host.DataCenter(), Rack: hc.host.Rack(),
			Up: hc.host.IsUp(), Requests: hc.requests.Load(), Failed: hc.failed.Load(),
			Latency: time.Duration(hc.latency.Load()),
		})
		return true
	})
	return st
}

// hostAddr is "host:port" of h, or "" for nil.
func hostAddr(h *gocql.HostInfo) string {
	if h == nil {
		return ""
	}
	return h.ConnectAddressAndPort()
}

// driverLogger adapts log/slog to gocql's StructuredLogger. It also
// notes the protocol version gocql negotiates, which gocql does not
// expose otherwise and which decides whether a keyspace can be set per
// statement.
type driverLogger struct {
	logger *slog.Logger // nil: silent
	proto  *atomic.Int32
	obs    *observer
}

func (l driverLogger) Error(msg string, fields ...gocql.LogField) {
	l.log(slog.LevelError, msg, fields)
}

func (l driverLogger) Warning(msg string, fields ...gocql.LogField) {
	if msg == "Connection pool filling failed." {
		// A connection that opened but could not be set up (USE of a
		// missing keyspace): the observer keeps it to explain Open.
		var host, err string
		for _, f := range fields {
			switch f.Name {
			case "host_addr":
				host = f.Value.String()
			case "err":
				err = f.Value.String()
			}
		}
		l.obs.poolFailed(host, err)
	}
	l.log(slog.LevelWarn, msg, fields)
}

func (l driverLogger) Info(msg string, fields ...gocql.LogField) {
	if msg == "Discovered protocol version." {
		for _, f := range fields {
			if f.Name == "protocol_version" && f.Value.LogFieldValueType() == gocql.LogFieldTypeInt64 {
				l.proto.Store(int32(f.Value.Int64()))
			}
		}
	}
	l.log(slog.LevelInfo, msg, fields)
}

func (l driverLogger) Debug(msg string, fields ...gocql.LogField) {
	l.log(slog.LevelDebug, msg, fields)
}

func (l driverLogger) log(level slog.Level, msg string, fields []gocql.LogField) {
	if l.logger == nil || !l.logger.Enabled(context.Background(), level) {
		return
	}
	attrs := make([]slog.Attr, 0, len(fields)+1)
	attrs = append(attrs, slog.String("driver", "gocql"))
	for _, f := range fields {
		attrs = append(attrs, slog.Any(f.Name, f.Value.Any()))
	}
	l.logger.LogAttrs(context.Background(), level, msg, attrs...)
}

// failure kinds, for Stats.Failures.
type failKind int

const (
	kindOther failKind = iota
	kindTimeout
	kindUnavailable
	kindOverloaded
	kindInvalid
	kindUnauthorized
	kindTransport
	kindCount
)

// kindOf sorts a raw gocql error (or an already mapped one) into a family.
func kindOf(err error) failKind {
	var (
		wt  *gocql.RequestErrWriteTimeout
		rt  *gocql.RequestErrReadTimeout
		cw  *gocql.RequestErrCASWriteUnknown
		ua  *gocql.RequestErrUnavailable
		ov  *gocql.RequestErrOverloaded
		bs  *gocql.RequestErrBootstrapping
		sy  *gocql.RequestErrSyntax
		in  *gocql.RequestErrInvalid
		cf  *gocql.RequestErrConfig
		ae  *gocql.RequestErrAlreadyExists
		cr  *gocql.RequestErrCredentials
		un  *gocql.RequestErrUnauthorized
		ire *cassa.InvalidRequestError
		aue *cassa.AuthenticationError
		aze *cassa.AuthorizationError
		te  *TransportError
	)
	switch {
	case errors.As(err, &wt), errors.As(err, &rt), errors.As(err, &cw),
		errors.Is(err, gocql.ErrTimeoutNoResponse), errors.Is(err, cassa.ErrTimedOut):
		return kindTimeout
	case errors.As(err, &ua), errors.Is(err, cassa.ErrUnavailable):
		return kindUnavailable
	case errors.As(err, &ov), errors.As(err, &bs), errors.Is(err, ErrOverloaded):
		return kindOverloaded
	case errors.As(err, &sy), errors.As(err, &in), errors.As(err, &cf), errors.As(err, &ae), errors.As(err, &ire):
		return kindInvalid
	case errors.As(err, &cr), errors.As(err, &un), errors.As(err, &aue), errors.As(err, &aze):
		return kindUnauthorized
	case errors.As(err, &te), isTransport(err):
		return kindTransport
	}
	return kindOther
}
