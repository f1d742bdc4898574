package cql

import (
	"context"
	"crypto/tls"
	"errors"
	"reflect"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
	"github.com/apache/cassandra-gocql-driver/v2/lz4"
	"github.com/apache/cassandra-gocql-driver/v2/snappy"

	"github.com/cassa-go/cassa"
)

// TestConfigDefaults is what the zero Config means, down to gocql's
// configuration.
func TestConfigDefaults(t *testing.T) {
	st, err := (&Config{}).settings()
	if err != nil {
		t.Fatal(err)
	}
	want := &settings{
		hosts: []string{"127.0.0.1:9042"}, consistency: cassa.LocalQuorum, timeout: 11 * time.Second,
		connectTimeout: 5 * time.Second, numConns: 2, maxRetries: 3, backoffBase: 10 * time.Millisecond,
		backoffMax: time.Second, reconnectAttempts: 3, reconnectPause: time.Second,
		reconnectInterval: 60 * time.Second, pageSize: 5000,
	}
	st.authenticators, st.tokenKey, st.listeners = nil, nil, nil
	if !reflect.DeepEqual(st, want) {
		t.Errorf("zero Config:\n  %+v\nwant\n  %+v", st, want)
	}

	s := &Session{cfg: st, obs: &observer{ev: &events{}}}
	cc := s.clusterConfig(context.Background())
	switch {
	case !reflect.DeepEqual(cc.Hosts, []string{"127.0.0.1:9042"}):
		t.Errorf("hosts %v", cc.Hosts)
	case cc.Consistency != gocql.LocalQuorum, cc.SerialConsistency != 0:
		t.Errorf("consistency %v / %v", cc.Consistency, cc.SerialConsistency)
	case cc.Timeout != 11*time.Second || cc.ConnectTimeout != 5*time.Second || cc.NumConns != 2 || cc.PageSize != 5000:
		t.Errorf("timeouts, conns, page size: %v %v %v %v", cc.Timeout, cc.ConnectTimeout, cc.NumConns, cc.PageSize)
	case cc.NextPagePrefetch != 0:
		t.Errorf("prefetch %v: an iterator would hold two pages", cc.NextPagePrefetch)
	case cc.WriteCoalesceWaitTime != 0:
		t.Errorf("write coalescing %v", cc.WriteCoalesceWaitTime)
	case cc.RetryPolicy != nil || cc.DefaultIdempotence:
		t.Errorf("session-wide retry policy %v / idempotence %v", cc.RetryPolicy, cc.DefaultIdempotence)
	case cc.PoolConfig.HostSelectionPolicy == nil:
		t.Error("no host selection policy")
	case cc.Compressor != nil || cc.Authenticator != nil || cc.SslOpts != nil:
		t.Errorf("compressor %v, authenticator %v, TLS %v", cc.Compressor, cc.Authenticator, cc.SslOpts)
	case cc.QueryObserver == nil || cc.BatchObserver == nil || cc.ConnectObserver == nil ||
		cc.Metadata.HostListener.HostStateChangeListener == nil || cc.Logger == nil:
		t.Error("observers not set")
	}
	rp, ok := cc.ReconnectionPolicy.(*gocql.ConstantReconnectionPolicy)
	if !ok || rp.MaxRetries < 1 {
		t.Errorf("reconnection policy %#v: gocql 2.1.2 needs MaxRetries >= 1", cc.ReconnectionPolicy)
	}

	// Every field set.
	tc := &tls.Config{ServerName: "cass"}
	st, err = (&Config{
		Hosts: []string{"Cass1", "10.0.0.2:9142", "[::1]:9043", "::2"}, Keyspace: "ks",
		Consistency: cassa.One, SerialConsistency: cassa.LocalSerial, Timeout: NoTimeout, ConnectTimeout: time.Second,
		NumConns: 4, LocalDC: "dc1", MaxRetries: NoRetries, ReconnectAttempts: 5, ReconnectInterval: NoReconnectInterval,
		TLS: tc, Username: "u", Password: "p", Authenticators: []string{"x"}, Compression: "LZ4", ProtoVersion: 4,
		PageSize: 100, WriteCoalesce: 200 * time.Microsecond,
	}).settings()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(st.hosts, []string{"cass1:9042", "10.0.0.2:9142", "[::1]:9043", "[::2]:9042"}) {
		t.Errorf("hosts %v", st.hosts)
	}
	if st.timeout != 0 || st.maxRetries != 0 || st.reconnectInterval != 0 || st.compression != "lz4" {
		t.Errorf("special values: %+v", st)
	}
	s = &Session{cfg: st, obs: &observer{ev: &events{}}}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	cc = s.clusterConfig(ctx)
	if cc.ConnectTimeout > 300*time.Millisecond {
		t.Errorf("ConnectTimeout %v not bounded by the context", cc.ConnectTimeout)
	}
	if _, ok := cc.Compressor.(lz4.LZ4Compressor); !ok {
		t.Errorf("compressor %T", cc.Compressor)
	}
	if a, ok := cc.Authenticator.(gocql.PasswordAuthenticator); !ok || a.Username != "u" || a.Password != "p" || len(a.AllowedAuthenticators) != 1 {
		t.Errorf("authenticator %#v", cc.Authenticator)
	}
	if cc.SslOpts == nil || cc.SslOpts.Config == tc || cc.SslOpts.ServerName != "cass" {
		t.Errorf("TLS %#v (want a clone of the config)", cc.SslOpts)
	}
	if cc.SerialConsistency != gocql.LocalSerial || cc.Consistency != gocql.One || cc.ProtoVersion != 4 || cc.WriteCoalesceWaitTime != 200*time.Microsecond {
		t.Errorf("levels, protocol, coalescing: %v %v %v %v", cc.Consistency, cc.SerialConsistency, cc.ProtoVersion, cc.WriteCoalesceWaitTime)
	}
	st, _ = (&Config{Compression: "snappy"}).settings()
	s = &Session{cfg: st, obs: &observer{ev: &events{}}}
	if _, ok := s.clusterConfig(context.Background()).Compressor.(snappy.SnappyCompressor); !ok {
		t.Error("snappy compressor not set")
	}

	for name, c := range map[string]Config{
		"host":         {Hosts: []string{"a b"}},
		"empty host":   {Hosts: []string{" "}},
		"port":         {Hosts: []string{"a:0"}},
		"consistency":  {Consistency: cassa.Serial},
		"unknown cl":   {Consistency: 99},
		"serial":       {SerialConsistency: cassa.Quorum},
		"timeout":      {Timeout: -5},
		"connect":      {ConnectTimeout: -1},
		"conns":        {NumConns: -1},
		"retries":      {MaxRetries: -3},
		"reconnect":    {ReconnectAttempts: -1},
		"interval":     {ReconnectInterval: -3},
		"compression":  {Compression: "zstd"},
		"protocol":     {ProtoVersion: 2},
		"page size":    {PageSize: -1},
		"coalesce":     {WriteCoalesce: -1},
		"password":     {Password: "p"},
		"bad protocol": {ProtoVersion: 6},
	} {
		if _, err := c.settings(); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: %v, want ErrConfig", name, err)
		}
	}
}

// fakeRetryable is the query gocql hands a retry policy.
type fakeRetryable struct {
	attempts int
	ctx      context.Context
}

func (q *fakeRetryable) Attempts() int                     { return q.attempts }
func (q *fakeRetryable) SetConsistency(gocql.Consistency)  {}
func (q *fakeRetryable) GetConsistency() gocql.Consistency { return gocql.One }
func (q *fakeRetryable) Context() context.Context          { return q.ctx }
func (q *fakeRetryable) String() string                    { return "fake" }
func (q *fakeRetryable) attempt(c *callRetry, err error) any {
	c.Attempt(q)
	return c.GetRetryType(err)
}

// TestCallRetry is the retry policy's decisions: what it retries, for
// which statements, how many times, and that the context ends its pauses.
func TestCallRetry(t *testing.T) {
	st, _ := (&Config{BackoffBase: time.Millisecond, BackoffMax: 2 * time.Millisecond}).settings()
	var retries []RetryEvent
	s := &Session{cfg: st, obs: &observer{ev: &events{listeners: []Listener{retryRecorder{&retries}}}}}
	ctx := context.Background()
	timeout := &gocql.RequestErrWriteTimeout{WriteType: "SIMPLE"}
	for _, tc := range []struct {
		name       string
		idempotent bool
		attempts   int
		err        error
		want       gocql.RetryType
	}{
		{"idempotent timeout", true, 1, timeout, gocql.RetryNextHost},
		{"non-idempotent timeout", false, 1, timeout, gocql.Rethrow},
		{"non-idempotent unavailable", false, 1, &gocql.RequestErrUnavailable{}, gocql.RetryNextHost},
		{"non-idempotent overloaded", false, 1, &gocql.RequestErrOverloaded{}, gocql.RetryNextHost},
		{"invalid", true, 1, &gocql.RequestErrInvalid{}, gocql.Rethrow},
		{"syntax", true, 1, &gocql.RequestErrSyntax{}, gocql.Rethrow},
		{"unauthorized", true, 1, &gocql.RequestErrUnauthorized{}, gocql.Rethrow},
		{"CAS timeout", true, 1, &gocql.RequestErrWriteTimeout{WriteType: "CAS"}, gocql.Rethrow},
		{"idempotent I/O", true, 2, gocql.ErrConnectionClosed, gocql.RetryNextHost},
		{"last retry", true, 3, timeout, gocql.RetryNextHost},
		{"retries used up", true, 4, &gocql.RequestErrUnavailable{}, gocql.Rethrow},
	} {
		c := &callRetry{s: s, ctx: ctx, op: "UPDATE t SET v = ?", idempotent: tc.idempotent, max: 3}
		q := &fakeRetryable{attempts: tc.attempts, ctx: ctx}
		if got := q.attempt(c, tc.err); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if len(retries) != 5 {
		t.Errorf("%d Retrying events, want 5", len(retries))
	}
	for _, ev := range retries {
		if ev.Op != "UPDATE t SET v = ?" || ev.Err == nil || ev.Pause <= 0 || ev.Pause > 2*time.Millisecond {
			t.Errorf("retry event %+v", ev)
		}
	}

	// The context ends a pause, and a deadline too close to allow one
	// stops retrying at once.
	st.backoffBase, st.backoffMax = time.Hour, time.Hour
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	c := &callRetry{s: s, ctx: cctx, idempotent: true, max: 3}
	if got := (&fakeRetryable{attempts: 1, ctx: cctx}).attempt(c, timeout); got != gocql.Rethrow {
		t.Errorf("canceled context: %v", got)
	}
	dctx, cancel2 := context.WithTimeout(ctx, time.Minute)
	defer cancel2()
	c = &callRetry{s: s, ctx: dctx, idempotent: true, max: 3}
	if got := (&fakeRetryable{attempts: 1, ctx: dctx}).attempt(c, timeout); got != gocql.Rethrow {
		t.Errorf("deadline before the pause ends: %v", got)
	}
}

type retryRecorder struct{ evs *[]RetryEvent }

func (retryRecorder) ConnectionCreated(ConnEvent) {}
func (retryRecorder) ConnectionFailed(FailEvent)  {}
func (retryRecorder) HostDown(HostEvent)          {}
func (retryRecorder) HostUp(HostEvent)            {}
func (retryRecorder) HostAdded(HostEvent)         {}
func (retryRecorder) HostRemoved(HostEvent)       {}
func (r retryRecorder) Retrying(e RetryEvent)     { *r.evs = append(*r.evs, e) }
func (retryRecorder) SessionClosed(SessionEvent)  {}

func TestBackoff(t *testing.T) {
	st, _ := (&Config{BackoffBase: 10 * time.Millisecond, BackoffMax: 50 * time.Millisecond}).settings()
	s := &Session{cfg: st}
	for n, max := range map[int]time.Duration{1: 10 * time.Millisecond, 2: 20 * time.Millisecond, 3: 40 * time.Millisecond, 4: 50 * time.Millisecond, 9: 50 * time.Millisecond} {
		for range 20 {
			if d := s.backoff(n); d < max/2 || d > max {
				t.Errorf("backoff(%d) = %v, want in [%v, %v]", n, d, max/2, max)
			}
		}
	}
}

// TestBatchMeasure is the partition identity and size estimate of queued
// statements.
func TestBatchMeasure(t *testing.T) {
	text := gocql.NewNativeType(4, gocql.TypeVarchar, "")
	integer := gocql.NewNativeType(4, gocql.TypeInt, "")
	m := &batchMeta{table: "ks.t", pk: []int{1, 0},
		bind: []gocql.ColumnInfo{{Name: "a", TypeInfo: text}, {Name: "b", TypeInfo: integer}, {Name: "v", TypeInfo: text}}}
	item := func(a string, b int, v string) *batchItem {
		it := &batchItem{stmt: "INSERT INTO t (a, b, v) VALUES (?, ?, ?)", values: []any{a, b, v}}
		if err := m.measure(it); err != nil {
			t.Fatal(err)
		}
		return it
	}
	x, y, z := item("k", 1, "hello"), item("k", 1, "other value"), item("k", 2, "")
	if x.part != y.part || x.part == z.part {
		t.Errorf("partitions: %q %q %q", x.part, y.part, z.part)
	}
	if x.size != 16+5 || y.size != 16+11 || z.size != 16 {
		t.Errorf("sizes %d %d %d (the key is not counted)", x.size, y.size, z.size)
	}
	if err := m.measure(&batchItem{stmt: "x", values: []any{"k", 1}}); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("wrong number of values: %v", err)
	}
	if err := m.measure(&batchItem{stmt: "x", values: []any{"k", "not an int", "v"}}); err == nil {
		t.Error("a key that does not marshal was accepted")
	}
	unknown := &batchMeta{table: "ks.t", bind: m.bind}
	a, b := &batchItem{values: []any{"k", 1, "v"}}, &batchItem{values: []any{"k", 1, "v"}}
	_ = unknown.measure(a)
	_ = unknown.measure(b)
	if a.part == b.part {
		t.Error("statements whose key is not all bound share a partition")
	}
}

// What the compiler reads of a column's type (the parsing itself is
// internal/cqltype's).
func TestColumnType(t *testing.T) {
	for _, tc := range []struct {
		in                               string
		out                              string
		collection, complex, udt, frozen bool
		duration                         string
	}{
		{in: "int", out: "int"},
		{in: "set<text>", out: "set<text>", collection: true, complex: true},
		{in: "frozen<list<int>>", out: "frozen<list<int>>", collection: true, frozen: true},
		{in: "map<text, frozen<list<int>>>", out: "map<text, frozen<list<int>>>", collection: true, complex: true},
		{in: "address", out: "address", complex: true, udt: true},
		{in: "frozen<address>", out: "frozen<address>", udt: true, frozen: true},
		{in: `frozen<"Address">`, out: `frozen<"Address">`, udt: true, frozen: true},
		{in: "tuple<int, text>", out: "frozen<tuple<int, text>>", frozen: true},
		{in: "duration", out: "duration", duration: "duration columns"},
		{in: "list<duration>", out: "list<duration>", collection: true, complex: true, duration: "collections containing durations"},
		{in: "frozen<tuple<int, duration>>", out: "frozen<tuple<int, duration>>", frozen: true, duration: "tuples containing durations"},
		{in: "vector<float, 3>", out: "vector<float, 3>", frozen: true},
		{in: "empty", out: "empty"},
		{in: "'org.apache.cassandra.db.marshal.LexicalUUIDType'", out: "'org.apache.cassandra.db.marshal.LexicalUUIDType'"},
	} {
		ty := columnType(tc.in)
		if ty.String() != tc.out || ty.IsCollection() != tc.collection || ty.MultiCell() != tc.complex ||
			ty.IsUDT() != tc.udt || ty.Frozen != tc.frozen || durationIn(ty) != tc.duration {
			t.Errorf("%s: %s collection %v complex %v udt %v frozen %v duration %q", tc.in, ty,
				ty.IsCollection(), ty.MultiCell(), ty.IsUDT(), ty.Frozen, durationIn(ty))
		}
	}
	// No type, or one that does not read (a Java class name, as Cassandra
	// 2.x's schema gives it): unknown, no rules applied.
	for _, in := range []string{"", "org.apache.cassandra.db.marshal.Int32Type", "frozen<"} {
		if ty := columnType(in); ty != nil {
			t.Errorf("%q parsed as %s", in, ty)
		}
	}
}

func TestParseIndexTarget(t *testing.T) {
	for in, want := range map[string]Index{
		"body":         {Column: "body", Kind: IndexValues},
		"values(tags)": {Column: "tags", Kind: IndexValues},
		"keys(attrs)":  {Column: "attrs", Kind: IndexKeys},
		"entries(m)":   {Column: "m", Kind: IndexEntries},
		"full(fl)":     {Column: "fl", Kind: IndexFull},
		`"Mixed"`:      {Column: "Mixed", Kind: IndexValues},
		`keys("Q""x")`: {Column: `Q"x`, Kind: IndexKeys},
	} {
		if got := parseIndexTarget(in); got != want {
			t.Errorf("%s: %+v, want %+v", in, got, want)
		}
	}
}

func FuzzParseIndexTarget(f *testing.F) {
	for _, s := range []string{"values(tags)", `keys("Q""x")`, "full(", `"`, "entries()", "a b c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = parseIndexTarget(s)
		_ = quoteIdent(s)
		_ = durationIn(columnType(s))
	})
}
