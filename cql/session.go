package cql

import (
	"context"
	"crypto/cipher"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"sync/atomic"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
	"github.com/apache/cassandra-gocql-driver/v2/lz4"
	"github.com/apache/cassandra-gocql-driver/v2/snappy"

	"github.com/cassa-go/cassa"
)

// Session is a connection to a Cassandra cluster over the native protocol:
// gocql's session (its connection pools, routing, prepared statements and
// paging), configured from a Config and wrapped so that every call takes
// a context first, returns the errors of package cassa, and is counted in
// Stats and reported to Listeners. It is safe for use by many goroutines.
// Open one per cluster and share it.
type Session struct {
	gs    *gocql.Session
	cfg   *settings
	obs   *observer
	proto atomic.Int32 // negotiated native protocol version; 0 while unknown
	stmts stmtCache
	aead  cipher.AEAD
	batch batchMetaCache
	// schema counts the schema changes seen (SchemaChanges).
	schema schemaWatch

	closed atomic.Bool
}

var sessionSeq atomic.Uint64

// Open connects to the cluster: it opens a control connection to one of
// the contact points, learns the other nodes (unless
// DisableInitialHostLookup), and connects to each of them, so that
// unreachable hosts, refused credentials or a missing keyspace fail here.
// ctx bounds the whole of it. The error is a *NoHostError (matching
// cassa.ErrNoHostAvailable) naming each host's error when no host could
// be connected to, a *cassa.AuthenticationError when the login was
// refused, a *cassa.InvalidRequestError when Keyspace does not exist, or
// ctx's error.
func Open(ctx context.Context, cfg Config) (*Session, error) {
	if ctx == nil {
		return nil, &cassa.ArgumentError{Func: "cql.Open", Arg: "ctx", Why: "is nil"}
	}
	st, err := cfg.settings()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if st.name == "" {
		st.name = fmt.Sprintf("cql-%d", sessionSeq.Add(1))
	}
	s := &Session{cfg: st}
	s.obs = &observer{ev: &events{name: st.name, listeners: st.listeners, logger: st.logger}}
	s.proto.Store(int32(st.protoVersion))
	if s.aead, err = newAEAD(st.tokenKey); err != nil {
		return nil, err
	}
	cc := s.clusterConfig(ctx)

	type result struct {
		gs  *gocql.Session
		err error
	}
	done := make(chan result, 1)
	s.obs.startOpening()
	go func() {
		gs, err := gocql.NewSession(*cc)
		done <- result{gs, err}
	}()
	select {
	case r := <-done:
		perHost := s.obs.stopOpening()
		if r.err != nil {
			return nil, openError(r.err, perHost)
		}
		s.gs = r.gs
	case <-ctx.Done():
		s.obs.stopOpening()
		go func() {
			// gocql's NewSession takes no context: let it finish in the
			// background (bounded by ConnectTimeout) and close what it made.
			if r := <-done; r.gs != nil {
				r.gs.Close()
			}
		}()
		return nil, ctx.Err()
	}
	return s, nil
}

// clusterConfig builds gocql's configuration.
func (s *Session) clusterConfig(ctx context.Context) *gocql.ClusterConfig {
	st := s.cfg
	cc := gocql.NewCluster(st.hosts...)
	cc.Keyspace = st.keyspace
	cc.Consistency, _ = gocqlConsistency(st.consistency)
	if st.serial != 0 {
		cc.SerialConsistency, _ = gocqlConsistency(st.serial)
	}
	cc.Timeout = st.timeout
	cc.WriteTimeout = st.timeout
	cc.ConnectTimeout = st.connectTimeout
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl); left > 0 && left < cc.ConnectTimeout {
			cc.ConnectTimeout = left
		}
	}
	cc.NumConns = st.numConns
	cc.PageSize = st.pageSize
	// No prefetch: an iterator holds one page at a time.
	cc.NextPagePrefetch = 0
	cc.RetryPolicy = nil // set per statement (callRetry)
	cc.DefaultIdempotence = false
	cc.ReconnectionPolicy = &gocql.ConstantReconnectionPolicy{MaxRetries: st.reconnectAttempts, Interval: st.reconnectPause}
	cc.ReconnectInterval = st.reconnectInterval
	if st.localDC != "" {
		cc.PoolConfig.HostSelectionPolicy = gocql.TokenAwareHostPolicy(gocql.DCAwareRoundRobinPolicy(st.localDC), gocql.ShuffleReplicas())
	} else {
		cc.PoolConfig.HostSelectionPolicy = gocql.TokenAwareHostPolicy(gocql.RoundRobinHostPolicy(), gocql.ShuffleReplicas())
	}
	if st.tls != nil {
		cc.SslOpts = &gocql.SslOptions{Config: st.tls.Clone()}
	}
	if st.username != "" {
		cc.Authenticator = gocql.PasswordAuthenticator{
			Username: st.username, Password: st.password, AllowedAuthenticators: st.authenticators,
		}
	}
	switch st.compression {
	case CompressionSnappy:
		cc.Compressor = snappy.SnappyCompressor{}
	case CompressionLZ4:
		cc.Compressor = lz4.LZ4Compressor{}
	}
	cc.ProtoVersion = st.protoVersion
	cc.WriteCoalesceWaitTime = st.writeCoalesce
	cc.DisableInitialHostLookup = st.disableLookup
	cc.HostFilter = st.hostFilter
	cc.AddressTranslator = st.translator
	cc.QueryObserver = s.obs
	cc.BatchObserver = s.obs
	cc.ConnectObserver = s.obs
	cc.Metadata.HostListener.HostStateChangeListener = s.obs
	cc.Metadata.HostListener.TopologyChangeListener = s.obs
	cc.Logger = driverLogger{logger: st.logger, proto: &s.proto, obs: s.obs}
	if st.driver != nil {
		st.driver(cc)
	}
	s.schema.listen(cc)
	return cc
}

// Close closes every connection. Calls made after Close fail with
// ErrClosed. ctx bounds the wait.
func (s *Session) Close(ctx context.Context) error {
	if err := s.check(ctx, "Close"); err != nil {
		if errors.Is(err, ErrClosed) {
			return nil
		}
		return err
	}
	if s.closed.Swap(true) {
		return nil
	}
	done := make(chan struct{})
	go func() {
		s.gs.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	s.obs.ev.closed()
	return nil
}

// check refuses a call on a Session that Open did not make (nil, or a
// zero value), with a nil context, or after Close (ErrClosed).
func (s *Session) check(ctx context.Context, fn string) error {
	if s == nil || s.gs == nil || s.cfg == nil {
		return &cassa.ArgumentError{Func: "cql.Session." + fn, Arg: "*cql.Session", Why: "was not made by Open"}
	}
	if ctx == nil {
		return &cassa.ArgumentError{Func: "cql.Session." + fn, Arg: "ctx", Why: "is nil"}
	}
	if s.closed.Load() {
		return ErrClosed
	}
	return nil
}

// opened reports whether Open made s.
func (s *Session) opened() bool { return s != nil && s.gs != nil && s.cfg != nil }

// Name returns the session's name in events and logs ("" for a Session
// Open did not make).
func (s *Session) Name() string {
	if !s.opened() {
		return ""
	}
	return s.cfg.name
}

// Keyspace returns Config.Keyspace.
func (s *Session) Keyspace() string {
	if !s.opened() {
		return ""
	}
	return s.cfg.keyspace
}

// ProtocolVersion returns the native protocol version in use (3, 4 or 5),
// or 0 if it could not be learned.
func (s *Session) ProtocolVersion() int {
	if s == nil {
		return 0
	}
	return int(s.proto.Load())
}

// Driver returns the gocql session underneath, for what this package does
// not wrap (nil for a Session Open did not make). Statements run through
// it bypass the retry policy, timestamps and error mapping of this package
// (its observers still count them).
func (s *Session) Driver() *gocql.Session {
	if s == nil {
		return nil
	}
	return s.gs
}

// AwaitSchemaAgreement waits until every node reports the same schema
// version, as after a schema change (ctx bounds the wait).
func (s *Session) AwaitSchemaAgreement(ctx context.Context) error {
	if err := s.check(ctx, "AwaitSchemaAgreement"); err != nil {
		return err
	}
	return mapError(s.gs.AwaitSchemaAgreement(ctx), "", "")
}

// call is one statement ready to run: its values (options taken out),
// options and what its text says.
type call struct {
	stmt   string
	values []any
	opts   stmtOpts
	info   stmtInfo
}

// prepareCall separates options from values and reads the statement.
func (s *Session) prepareCall(ctx context.Context, fn, stmt string, args []any) (call, error) {
	c := call{stmt: stmt, values: args}
	if err := s.check(ctx, fn); err != nil {
		return c, err
	}
	for i, a := range args {
		if _, ok := a.(option); !ok {
			continue
		}
		// Options present: copy the values out (once). The options are
		// applied to a copy of their own, so that a call without options
		// does not move c to the heap (an interface method's argument
		// escapes).
		c.values = make([]any, 0, len(args))
		c.values = append(c.values, args[:i]...)
		opts := new(stmtOpts)
		for _, a := range args[i:] {
			o, ok := a.(option)
			if !ok {
				c.values = append(c.values, a)
				continue
			}
			so, ok := o.(StatementOption)
			if !ok {
				return c, fmt.Errorf("%w: %T is a batch option, not a statement option", ErrInvalidOption, o)
			}
			so.applyStmt(opts)
		}
		c.opts = *opts
		break
	}
	if c.opts.err != nil {
		return c, c.opts.err
	}
	c.info = s.stmts.info(stmt)
	return c, nil
}

// query builds gocql's Query for a call.
func (s *Session) query(ctx context.Context, c *call) (*gocql.Query, error) {
	q := s.gs.Query(c.stmt, c.values...)
	if err := s.applyCall(ctx, &c.opts.callOpts, c.info, c.stmt, q); err != nil {
		return nil, err
	}
	if c.opts.pageSize > 0 {
		q.PageSize(c.opts.pageSize)
	}
	return q, nil
}

// applyCall sets the options shared by statements and batches: levels,
// keyspace, timestamp and the retry policy.
func (s *Session) applyCall(ctx context.Context, o *callOpts, info stmtInfo, stmt string, x any) error {
	q, _ := x.(*gocql.Query)
	b, _ := x.(*gocql.Batch)
	if o.cl != 0 {
		cl, _ := gocqlConsistency(o.cl)
		if q != nil {
			q.Consistency(cl)
		} else {
			b.Consistency(cl)
		}
	}
	if o.serial != 0 {
		cl, _ := gocqlConsistency(o.serial)
		if q != nil {
			q.SerialConsistency(cl)
		} else {
			b.SerialConsistency(cl)
		}
	}
	if o.keyspace != "" {
		if p := s.proto.Load(); p < 5 {
			return fmt.Errorf("%w: Keyspace(%q) needs native protocol v5 (Cassandra 4.0 or newer); this session speaks v%d: qualify the table instead", ErrInvalidOption, o.keyspace, p)
		}
		if q != nil {
			q.SetKeyspace(o.keyspace)
		} else {
			b.SetKeyspace(o.keyspace)
		}
	}
	var ts int64
	switch {
	case o.tsSet:
		ts = o.ts
	case info.write():
		ts = time.Now().UnixMicro()
	}
	if ts != 0 {
		if q != nil {
			q.WithTimestamp(ts)
		} else {
			b.WithTimestamp(ts)
		}
	}
	retries := s.cfg.maxRetries
	if o.retriesSet {
		retries = o.retries
	}
	if retries > 0 {
		idem := info.idempotent()
		if o.idempotent != 0 {
			idem = o.idempotent > 0
		}
		rp := &callRetry{s: s, ctx: ctx, op: stmt, idempotent: idem, max: retries}
		if q != nil {
			q.Idempotent(true).RetryPolicy(rp)
		} else {
			b.RetryPolicy(rp)
		}
	}
	return nil
}

// callError maps the error of an executed statement, naming the host it
// last went to; a statement that failed after retries gives a
// *MaxRetriesError.
func (s *Session) callError(err error, it *gocql.Iter, stmt string) error {
	var host string
	attempts := 0
	if it != nil {
		host = hostAddr(it.Host())
		attempts = it.Attempts()
	}
	m := mapError(err, host, stmt)
	var nh *NoHostError
	if errors.As(m, &nh) {
		s.obs.count.noHost.Add(1)
	}
	if attempts > 1 {
		return &MaxRetriesError{Attempts: attempts, Last: m}
	}
	return m
}

// Exec runs a statement that returns no rows (or whose rows are not
// wanted): INSERT, UPDATE, DELETE, a schema statement. args are the bound
// values, with StatementOptions anywhere among them. A write gets one
// client timestamp, taken now unless Timestamp gives one, for all its
// attempts. DML is prepared once and cached by gocql.
func (s *Session) Exec(ctx context.Context, stmt string, args ...any) error {
	c, err := s.prepareCall(ctx, "Exec", stmt, args)
	if err != nil {
		return err
	}
	q, err := s.query(ctx, &c)
	if err != nil {
		return err
	}
	it, err := iterate(ctx, q, stmt)
	if err != nil {
		return err
	}
	if err := it.Close(); err != nil {
		return s.callError(err, it, stmt)
	}
	if c.info.kind == kindUnknown {
		// A schema statement (or USE): counted at once, before gocql's
		// event-driven refresh, so that this session's own mappers see
		// the change on their next call.
		s.schema.changed()
	}
	return nil
}

// iterate runs a gocql statement. gocql 2.1.2 panics (an index out of
// range in Conn.executeQuery) when a statement with tuple columns is
// given more values than it has bind markers; the panic happens in the
// caller's goroutine before anything is sent, and becomes a *ClientError.
func iterate(ctx context.Context, x interface {
	IterContext(context.Context) *gocql.Iter
}, stmt string) (it *gocql.Iter, err error) {
	defer func() {
		if r := recover(); r != nil {
			it, err = nil, &ClientError{Op: shorten(stmt), Err: fmt.Errorf("gocql failed on the statement's values: %v", r)}
		}
	}()
	return x.IterContext(ctx), nil
}

// Rows runs a statement and returns a cursor over its rows. The
// statement runs now; its error, if any, is returned by Next (false),
// Err and Close. With PageToken the cursor reads one page and
// Rows.PageToken hands out the token of the next.
func (s *Session) Rows(ctx context.Context, stmt string, args ...any) *Rows {
	c, err := s.prepareCall(ctx, "Rows", stmt, args)
	if err != nil {
		return newRows(s, nil, stmt, err)
	}
	q, err := s.query(ctx, &c)
	if err != nil {
		return newRows(s, nil, stmt, err)
	}
	var shape [32]byte
	if c.opts.tokenSet {
		ks := c.opts.keyspace
		if ks == "" {
			ks = s.cfg.keyspace
		}
		shape = statementShape(ks, stmt, c.values)
		var state []byte
		if c.opts.token != "" {
			if state, err = openToken(s.aead, int(s.proto.Load()), shape, c.opts.token); err != nil {
				return newRows(s, nil, stmt, err)
			}
		}
		q.PageState(state)
	}
	if c.opts.stateSet {
		q.PageState(c.opts.state)
	}
	it, err := iterate(ctx, q, stmt)
	r := newRows(s, it, stmt, err)
	r.onePage, r.sealed, r.shape = c.opts.tokenSet || c.opts.stateSet, c.opts.tokenSet, shape
	return r
}

// Query runs a statement when iterated and yields its rows, reading
// pages as it goes and holding one at a time. Each row is valid until the
// loop moves on; scan what you keep. An error ends the iteration, yielded
// with a nil row.
//
//	for row, err := range db.Query(ctx, "SELECT id, name FROM users WHERE state = ?", "TX") {
//		if err != nil { ... }
//		var id gocql.UUID; var name string
//		if err := row.Scan(&id, &name); err != nil { ... }
//	}
func (s *Session) Query(ctx context.Context, stmt string, args ...any) iter.Seq2[*Row, error] {
	return func(yield func(*Row, error) bool) {
		rows := s.Rows(ctx, stmt, args...)
		defer rows.Close()
		for rows.Next() {
			if !yield(rows.Row(), nil) {
				return
			}
		}
		if err := rows.Close(); err != nil {
			yield(nil, err)
		}
	}
}

// Get runs a statement and returns its first row, which the caller may
// keep; cassa.ErrNotFound when there is none.
func (s *Session) Get(ctx context.Context, stmt string, args ...any) (*Row, error) {
	rows := s.Rows(ctx, stmt, args...)
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Close(); err != nil {
			return nil, err
		}
		return nil, cassa.ErrNotFound
	}
	row := rows.Row().detach()
	return row, nil
}

// Scan runs a statement and copies the columns of its first row into
// dest, as gocql's Query.Scan does: one destination per column (a tuple
// column takes one per element), nil to skip one, with Row.Scan's
// conversions; the rest of the result is not read. cassa.ErrNotFound
// when there is no row. args are the bound values, with StatementOptions
// among them (not PageToken or PagingState: page with Rows).
//
// It is Get for a caller who knows the row's columns: each value goes
// once from the response into its destination, with no Row in between.
func (s *Session) Scan(ctx context.Context, stmt string, args []any, dest ...any) error {
	c, err := s.prepareCall(ctx, "Scan", stmt, args)
	if err != nil {
		return err
	}
	if c.opts.tokenSet || c.opts.stateSet {
		return fmt.Errorf("%w: Scan reads one row; page with Rows", ErrInvalidOption)
	}
	q, err := s.query(ctx, &c)
	if err != nil {
		return err
	}
	it, err := iterate(ctx, q, stmt)
	if err != nil {
		return err
	}
	found := it.Scan(dest...)
	if err := it.Close(); err != nil {
		return s.callError(err, it, stmt)
	}
	if !found {
		return cassa.ErrNotFound
	}
	return nil
}

// ExecCAS runs a lightweight transaction (INSERT ... IF NOT EXISTS,
// UPDATE or DELETE ... IF ...) and reports whether it was applied. When it
// was not, current holds what Cassandra read instead: for IF [NOT] EXISTS
// the whole current row, for column conditions the columns of the
// conditions (and the primary key); current is nil when the transaction
// applied, or when the row does not exist. A lightweight transaction is
// not idempotent: it is retried only after failures that applied nothing,
// unless Idempotent(true) is given.
func (s *Session) ExecCAS(ctx context.Context, stmt string, args ...any) (applied bool, current *Row, err error) {
	c, err := s.prepareCall(ctx, "ExecCAS", stmt, args)
	if err != nil {
		return false, nil, err
	}
	if !c.info.conditional {
		// Refused before sending: run as a plain write, it would apply
		// without a condition and leave nothing to report.
		return false, nil, fmt.Errorf("%w: ExecCAS needs a lightweight transaction (an IF clause): %s", ErrInvalidOption, shorten(stmt))
	}
	q, err := s.query(ctx, &c)
	if err != nil {
		return false, nil, err
	}
	// The result of a conditional statement is not the prepared one's
	// (CASSANDRA-11099): gocql must read the metadata of each response.
	q.NoSkipMetadata()
	it, err := iterate(ctx, q, stmt)
	if err != nil {
		return false, nil, err
	}
	rows := newRows(s, it, stmt, nil)
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Close(); err != nil {
			return false, nil, err
		}
		return false, nil, fmt.Errorf("cql: %s: no result row: not a lightweight transaction", shorten(stmt))
	}
	row := rows.Row()
	cols := row.columns()
	if len(cols) == 0 || cols[0].Name != "[applied]" {
		return false, nil, fmt.Errorf("cql: %s: no [applied] column: not a lightweight transaction", shorten(stmt))
	}
	if err := gocql.Unmarshal(row.vals[0].info, row.vals[0].data, &applied); err != nil {
		return false, nil, fmt.Errorf("cql: %s: [applied]: %w", shorten(stmt), err)
	}
	if len(cols) > 1 {
		rest := &Row{cols: cols[1:], vals: row.vals[1:]}
		current = rest.detach()
	}
	return applied, current, rows.Close()
}

// warnings logs the warnings Cassandra attached to a response (an
// oversized batch, an aggregation over many partitions, ...).
func (s *Session) warnings(it *gocql.Iter, op string) {
	if s.cfg.logger == nil {
		return
	}
	for _, w := range it.Warnings() {
		s.obs.ev.log(slog.LevelWarn, "server warning", slog.String("op", shorten(op)), slog.String("warning", w))
	}
}
