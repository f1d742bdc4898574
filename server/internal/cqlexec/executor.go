package cqlexec

import (
	"context"
	"errors"
	"log/slog"

	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"

	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/cqlquery"
	"github.com/cassa-go/cassa/server/internal/faults"
	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/native"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// maxMarkers is the most bind markers a statement may have
// (FBUtilities.MAX_UNSIGNED_SHORT).
const maxMarkers = 65535

// Config configures an Executor. Node is required; every other field's
// zero value is its documented default.
type Config struct {
	// Node is the node the statements run on.
	Node Node
	// Publish sends an event to the connections registered for it
	// (native.Server.Publish). Nil drops events.
	Publish func(message.Event)
	// Logger receives failures the executor did not expect (answered as
	// server errors) at Warn. Nil is silent.
	Logger *slog.Logger
	// PreparedCacheSize is the prepared statement cache's budget in
	// bytes (estimated); zero means DefaultPreparedCacheSize.
	PreparedCacheSize int
	// Faults, when set, is consulted before every statement runs (see
	// faults.go): it can delay a statement, fail it with a timeout or
	// unavailable error, or drop its connection. Nil injects nothing.
	Faults *faults.Injector
}

// ErrNoNode is returned by New for a Config without a Node.
var ErrNoNode = errors.New("cqlexec: Config.Node is nil")

// Executor runs the statements of native-protocol connections: it is the
// native.Backend. Its methods are safe for concurrent use.
type Executor struct {
	node    Node
	publish func(message.Event)
	log     *slog.Logger
	cache   *preparedCache
	virtual *virtualTables
	faults  *faults.Injector
	// env is what the data statements (package cqlquery) run on: built
	// once, shared by every request, never copied.
	env *cqlquery.Env
}

var _ native.Backend = (*Executor)(nil)

// New returns an Executor for cfg.
func New(cfg Config) (*Executor, error) {
	if cfg.Node == nil {
		return nil, ErrNoNode
	}
	e := &Executor{
		node:    cfg.Node,
		publish: cfg.Publish,
		log:     cfg.Logger,
		cache:   newPreparedCache(cfg.PreparedCacheSize),
		virtual: &virtualTables{node: cfg.Node, truncated: &truncations{}},
		faults:  cfg.Faults,
	}
	if e.publish == nil {
		e.publish = func(message.Event) {}
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	n := cfg.Node
	e.env = &cqlquery.Env{
		Catalog:     n.Catalog,
		Store:       n.Store(),
		Write:       n.Write,
		CAS:         n.CAS,
		Partitioner: n.Partitioner(),
		Now:         n.Now,
		ListIDs:     layout.NewListIDs(n.Now),
		Virtual:     e.virtual,
	}
	return e, nil
}

// statementKind classifies a parsed statement.
func statementKind(st cqlparse.Statement) kind {
	switch st.(type) {
	case *cqlparse.SelectStmt, *cqlparse.InsertStmt, *cqlparse.UpdateStmt, *cqlparse.DeleteStmt, *cqlparse.BatchStmt:
		return kindData
	case *cqlparse.UseStmt:
		return kindUse
	case *cqlparse.TruncateStmt:
		return kindTruncate
	}
	if isRefused(st) {
		return kindRefused
	}
	return kindSchema
}

// build parses and prepares query for a session whose keyspace is
// keyspace (QueryProcessor.getStatement). Data statements read the
// catalog: the caller holds the node's read lock when it runs the
// statement right away.
func (e *Executor) build(query, keyspace string) (*prepared, error) {
	parsed, err := cqlparse.Parse(query)
	if err != nil {
		return nil, err
	}
	return e.prepareParsed(query, keyspace, parsed)
}

func (e *Executor) prepareParsed(query, keyspace string, parsed *cqlparse.Parsed) (*prepared, error) {
	p := &prepared{query: query, keyspace: keyspace, parsed: parsed, kind: statementKind(parsed.Statement)}
	switch p.kind {
	case kindData:
		st, err := cqlquery.Prepare(e.env, keyspace, parsed)
		if err != nil {
			return nil, err
		}
		p.data = st
		p.setTables(st.Tables())
		p.qualified = namesKeyspace(parsed.Statement)
	case kindSchema:
		// prepareKeyspace: an unqualified name needs a session keyspace.
		if _, ok, err := schemaOp(parsed.Statement, keyspace); err != nil {
			return nil, err
		} else if !ok {
			return nil, invalidf("Unsupported statement %s", parsed.Statement)
		}
	case kindTruncate:
		if _, err := qualify(parsed.Statement.(*cqlparse.TruncateStmt).Table, keyspace); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// namesKeyspace reports whether a data statement names the keyspace of
// every table it touches (QueryProcessor.computeId then leaves the session
// keyspace out of its ID).
func namesKeyspace(st cqlparse.Statement) bool {
	switch s := st.(type) {
	case *cqlparse.SelectStmt:
		return s.Table.Keyspace.Name != ""
	case *cqlparse.InsertStmt:
		return s.Table.Keyspace.Name != ""
	case *cqlparse.UpdateStmt:
		return s.Table.Keyspace.Name != ""
	case *cqlparse.DeleteStmt:
		return s.Table.Keyspace.Name != ""
	case *cqlparse.BatchStmt:
		for _, c := range s.Statements {
			if !namesKeyspace(c) {
				return false
			}
		}
		return true
	}
	return false
}

// markerCount is the number of values the statement takes.
func (p *prepared) markerCount() int {
	return len(p.parsed.Markers)
}

// Query runs a QUERY (QueryMessage.execute, QueryProcessor.process).
func (e *Executor) Query(ctx context.Context, s *native.Session, q *message.Query) native.Response {
	parsed, err := cqlparse.Parse(q.Query)
	if err != nil {
		return e.fail(err)
	}
	if r, ok := e.injectStatement(ctx, parsed.Statement, s.Keyspace(), q.Options); ok {
		return r
	}
	if statementKind(parsed.Statement) == kindData {
		// The statement, the table definitions it is checked against and
		// the data it reads come from one catalog.
		unlock := e.node.ReadLock()
		defer unlock()
	}
	p, err := e.prepareParsed(q.Query, s.Keyspace(), parsed)
	if err != nil {
		return e.fail(err)
	}
	vals := boundValues(p, q.Options)
	if len(vals) != p.markerCount() {
		return e.fail(invalidf("Invalid amount of bind variables"))
	}
	return e.run(ctx, s, p, optionsOf(q.Options, vals, s.Version()))
}

// Prepare runs a PREPARE (QueryProcessor.prepare as of 3.11.12): a
// statement naming the keyspace of its tables gets the ID of its text
// alone, any other the ID of the session keyspace and its text; both IDs
// find it.
func (e *Executor) Prepare(_ context.Context, s *native.Session, m *message.Prepare) native.Response {
	ks := s.Keyspace()
	plain, withKS := statementID(m.Query, ""), statementID(m.Query, ks)
	cat := e.node.Catalog()
	a, b := e.cache.get(plain[:]), e.cache.get(withKS[:])
	if a != nil && b != nil && !a.stale(cat) && !b.stale(cat) {
		if a.qualified {
			return native.Reply(preparedResult(plain[:], a))
		}
		if ks != "" && !b.qualified {
			return native.Reply(preparedResult(withKS[:], b))
		}
	}
	if a != nil {
		e.cache.evict(plain[:], a)
	}
	if b != nil {
		e.cache.evict(withKS[:], b)
	}
	parsed, err := cqlparse.Parse(m.Query)
	if err != nil {
		return e.fail(err)
	}
	if statementKind(parsed.Statement) == kindData {
		unlock := e.node.ReadLock()
		defer unlock()
	}
	p, err := e.prepareParsed(m.Query, ks, parsed)
	if err != nil {
		return e.fail(err)
	}
	if n := p.markerCount(); n > maxMarkers {
		return e.fail(invalidf("Too many markers(?). %d markers exceed the allowed maximum of %d", n, maxMarkers))
	}
	e.cache.put(plain, p)
	if ks == "" || p.qualified {
		if ks != "" {
			e.cache.put(withKS, p)
		}
		return native.Reply(preparedResult(plain[:], p))
	}
	e.cache.put(withKS, p)
	return native.Reply(preparedResult(withKS[:], p))
}

// preparedResult is ResultMessage.Prepared for p: the bind variables'
// specifications with the partition key's marker indexes, and a SELECT's
// result columns.
func preparedResult(id []byte, p *prepared) *message.PreparedResult {
	r := &message.PreparedResult{
		PreparedQueryId:   append([]byte(nil), id...),
		VariablesMetadata: &message.VariablesMetadata{},
	}
	if p.data == nil {
		return r
	}
	r.VariablesMetadata.Columns = columnMetadata(p.data.BindColumns)
	if len(p.data.BindColumns) > 0 && len(p.data.PKIndexes) > 0 {
		pk := make([]uint16, len(p.data.PKIndexes))
		for i, x := range p.data.PKIndexes {
			pk[i] = uint16(x)
		}
		r.VariablesMetadata.PkIndices = pk
	}
	if len(p.data.ResultColumns) > 0 {
		cols := columnMetadata(p.data.ResultColumns)
		r.ResultMetadata = &message.RowsMetadata{ColumnCount: int32(len(cols)), Columns: cols}
	}
	return r
}

// Execute runs an EXECUTE (ExecuteMessage.execute). A statement whose
// columns or indexes changed since it was prepared is evicted and answered
// Unprepared, as 3.11 evicts it on such a schema change.
func (e *Executor) Execute(ctx context.Context, s *native.Session, m *message.Execute) native.Response {
	p := e.cache.get(m.QueryId)
	if p == nil {
		return e.fail(unprepared(m.QueryId))
	}
	if r, ok := e.injectStatement(ctx, p.parsed.Statement, p.keyspace, m.Options); ok {
		return r
	}
	if p.kind == kindData {
		unlock := e.node.ReadLock()
		defer unlock()
		if p.stale(e.node.Catalog()) {
			e.cache.evict(m.QueryId, p)
			return e.fail(unprepared(m.QueryId))
		}
	}
	if m.Options.PageSize == 0 {
		return native.Reply(&message.ProtocolError{ErrorMessage: native.MsgPageSizeZero})
	}
	vals := boundValues(p, m.Options)
	// QueryProcessor.processPrepared's count check: cqlquery makes it for
	// the data statements.
	if n := p.markerCount(); p.kind != kindData && len(vals) != n && !(len(vals) == 0 && n == 0) {
		return e.fail(invalidf("there were %d markers(?) in CQL but %d bound variables", n, len(vals)))
	}
	return e.run(ctx, s, p, optionsOf(m.Options, vals, s.Version()))
}

// Batch runs a BATCH message (BatchMessage.execute): each statement is
// prepared (text) or looked up (ID) and its values counted, then every
// one must be an INSERT, UPDATE or DELETE, and cqlquery runs them as one
// batch.
func (e *Executor) Batch(ctx context.Context, s *native.Session, b *message.Batch) native.Response {
	if r, ok := e.injectBatch(ctx, s, b); ok {
		return r
	}
	unlock := e.node.ReadLock()
	defer unlock()
	cat := e.node.Catalog()
	preps := make([]*prepared, 0, len(b.Children))
	for _, c := range b.Children {
		var p *prepared
		if c.Id != nil {
			if p = e.cache.get(c.Id); p == nil || p.kind == kindData && p.stale(cat) {
				if p != nil {
					e.cache.evict(c.Id, p)
				}
				return e.fail(unprepared(c.Id))
			}
		} else {
			var err error
			if p, err = e.build(c.Query, s.Keyspace()); err != nil {
				return e.fail(err)
			}
		}
		// Counted here for every statement, in order, as 3.11 does before
		// it looks at the next one (cqlquery.ExecuteBatch checks again).
		if n := p.markerCount(); len(c.Values) != n {
			return e.fail(invalidf("There were %d markers(?) in CQL but %d bound variables", n, len(c.Values)))
		}
		preps = append(preps, p)
	}
	items := make([]cqlquery.BatchItem, len(preps))
	for i, p := range preps {
		switch p.parsed.Statement.(type) {
		case *cqlparse.InsertStmt, *cqlparse.UpdateStmt, *cqlparse.DeleteStmt:
		default:
			return e.fail(invalidf("Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed."))
		}
		items[i] = cqlquery.BatchItem{Statement: p.data, Values: convertValues(b.Children[i].Values)}
	}
	o := cqlquery.Options{Consistency: uint16(b.Consistency), SerialConsistency: serialOf(b.SerialConsistency),
		PageSize: -1, ProtocolVersion: int(s.Version())}
	if b.DefaultTimestamp != nil {
		o.Timestamp, o.HasTimestamp = *b.DefaultTimestamp, true
	}
	res, err := cqlquery.ExecuteBatch(ctx, e.env, cqlquery.BatchKind(b.Type), items, o)
	if err != nil {
		return e.fail(err)
	}
	return resultResponse(res)
}

// run executes a prepared statement with its options. Data statements
// run under the caller's read lock.
func (e *Executor) run(ctx context.Context, s *native.Session, p *prepared, o cqlquery.Options) native.Response {
	var (
		m        message.Message
		warnings []string
		err      error
	)
	switch p.kind {
	case kindData:
		res, err := p.data.Execute(ctx, e.env, o)
		if err != nil {
			return e.fail(err)
		}
		return resultResponse(res)
	case kindUse:
		m, err = e.use(p.parsed.Statement.(*cqlparse.UseStmt))
	case kindTruncate:
		m, err = e.truncate(p.parsed.Statement.(*cqlparse.TruncateStmt), p.keyspace)
	case kindRefused:
		m, err = e.refuse(p.parsed.Statement, p.keyspace, s.User())
	default:
		var op *schema.Op
		if op, _, err = schemaOp(p.parsed.Statement, p.keyspace); err == nil {
			m, warnings, err = e.changeSchema(op)
		}
	}
	if err != nil {
		return e.fail(err)
	}
	return native.Response{Message: m, Warnings: warnings}
}

// use is USE (UseStatement, ClientState.setKeyspace).
func (e *Executor) use(st *cqlparse.UseStmt) (message.Message, error) {
	k := e.node.Catalog().FindKeyspace(st.Keyspace.Name)
	if k == nil {
		return nil, invalidf("Keyspace '%s' does not exist", st.Keyspace.Name)
	}
	return &message.SetKeyspaceResult{Keyspace: k.Name}, nil
}

// truncate is TRUNCATE (TruncateStatement): the table must exist; its
// data goes, whatever the timestamps. The built-in system tables hold no
// data here, so truncating one does nothing.
func (e *Executor) truncate(st *cqlparse.TruncateStmt, keyspace string) (message.Message, error) {
	ks, err := qualify(st.Table, keyspace)
	if err != nil {
		return nil, err
	}
	unlock := e.node.ReadLock()
	defer unlock()
	t, err := e.node.Catalog().Lookup(ks, st.Table.Name.Name)
	if err != nil {
		return nil, err
	}
	if !t.Virtual {
		if err := e.node.Truncate(t); err != nil {
			return nil, err
		}
		e.virtual.truncated.record(t, e.node.Now())
	}
	return &message.VoidResult{}, nil
}

// fail answers an error.
func (e *Executor) fail(err error) native.Response {
	m := errorMessage(err)
	if se, ok := m.(*message.ServerError); ok {
		e.log.Warn("CQL statement failed", "err", se.ErrorMessage)
	}
	return native.Reply(m)
}

// boundValues returns a request's values in marker order: positional
// values as sent, named values matched to the bind variables' names
// (QueryOptions.OptionsWithNames.prepare; unmatched names are dropped, so
// that the count check fails).
func boundValues(p *prepared, o *message.QueryOptions) []cqlquery.Value {
	if o == nil {
		return nil
	}
	if len(o.NamedValues) == 0 {
		return convertValues(o.PositionalValues)
	}
	if p.data == nil {
		return nil
	}
	specs := p.data.BindColumns
	out := make([]cqlquery.Value, 0, len(specs))
	for _, c := range specs {
		if v, ok := o.NamedValues[c.Name]; ok {
			out = append(out, convertValue(v))
		}
	}
	return out
}

func convertValues(vs []*primitive.Value) []cqlquery.Value {
	out := make([]cqlquery.Value, len(vs))
	for i, v := range vs {
		out[i] = convertValue(v)
	}
	return out
}

// convertValue keeps the protocol's three kinds of value apart: null (nil
// Bytes), unset, and a value (an empty one is not null).
func convertValue(v *primitive.Value) cqlquery.Value {
	switch {
	case v == nil || v.Type == primitive.ValueTypeNull:
		return cqlquery.Value{}
	case v.Type == primitive.ValueTypeUnset:
		return cqlquery.Value{Unset: true}
	case v.Contents == nil:
		return cqlquery.Value{Bytes: []byte{}}
	}
	return cqlquery.Value{Bytes: v.Contents}
}

// serialOf is the serial consistency, SERIAL when absent.
func serialOf(c *primitive.ConsistencyLevel) uint16 {
	if c == nil {
		return uint16(primitive.ConsistencyLevelSerial)
	}
	return uint16(*c)
}

// optionsOf is a request's QueryOptions as cqlquery takes them: no paging
// (-1) and SERIAL unless the request says otherwise.
func optionsOf(o *message.QueryOptions, vals []cqlquery.Value, v primitive.ProtocolVersion) cqlquery.Options {
	d := cqlquery.Options{Values: vals, PageSize: -1, SerialConsistency: serialOf(nil), ProtocolVersion: int(v)}
	if o == nil {
		return d
	}
	d.Consistency = uint16(o.Consistency)
	d.SerialConsistency = serialOf(o.SerialConsistency)
	d.PageSize = int(o.PageSize)
	d.PagingState = o.PagingState
	if o.DefaultTimestamp != nil {
		d.Timestamp, d.HasTimestamp = *o.DefaultTimestamp, true
	}
	return d
}

// columnMetadata is the metadata of columns.
func columnMetadata(cols []cqlquery.Column) []*message.ColumnMetadata {
	if len(cols) == 0 {
		return nil
	}
	out := make([]*message.ColumnMetadata, len(cols))
	for i, c := range cols {
		out[i] = &message.ColumnMetadata{Keyspace: c.Keyspace, Table: c.Table, Name: c.Name, Index: int32(i), Type: dataType(c.Type)}
	}
	return out
}

// resultResponse is a data statement's RESULT: Void for a write, Rows
// otherwise.
func resultResponse(r *cqlquery.Result) native.Response {
	if r == nil || r.Columns == nil {
		var w []string
		if r != nil {
			w = r.Warnings
		}
		return native.Response{Message: &message.VoidResult{}, Warnings: w}
	}
	cols := columnMetadata(r.Columns)
	rows := make(message.RowSet, len(r.Rows))
	for i, row := range r.Rows {
		rows[i] = row
	}
	return native.Response{
		Message: &message.RowsResult{
			Metadata: &message.RowsMetadata{ColumnCount: int32(len(cols)), Columns: cols, PagingState: r.PagingState},
			Data:     rows,
		},
		Warnings: r.Warnings,
	}
}
