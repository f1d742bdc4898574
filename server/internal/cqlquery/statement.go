package cqlquery

import (
	"context"
	"sync/atomic"

	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// Statement is a prepared SELECT, INSERT, UPDATE, DELETE or BATCH. It is
// immutable and safe for concurrent use; executing it after a change of
// its table's definition prepares it again from its source.
type Statement struct {
	// Kind is what the statement does.
	Kind Kind
	// Keyspace and Table name the statement's table (for a BATCH, those of
	// its first statement).
	Keyspace, Table string
	// BindColumns describe the bind markers in order (the prepared
	// metadata): receiver keyspace, table, name and type, with 3.11's
	// names ("[limit]", "in(c)", "partition key token", ...); a named
	// marker carries its own name.
	BindColumns []Column
	// PKIndexes lists, for each partition key column, the marker that
	// binds it; nil unless every key column is bound by a marker whose
	// receiver is the column itself (VariableSpecifications
	// .getPartitionKeyBindIndexes).
	PKIndexes []int
	// ResultColumns is a SELECT's result metadata; nil for writes.
	ResultColumns []Column

	source    *cqlparse.Parsed
	keyspace  string // the session keyspace at preparation
	cur       atomic.Pointer[compiled]
	batchKind BatchKind
}

// compiled is a statement prepared against one version of its tables.
type compiled struct {
	tables []*schema.Table // the definitions it was prepared with
	sel    *selectStmt
	mod    *modifyStmt
	batch  *batchStmt
	vars   *vars
}

// Tables returns the table definitions the statement is currently
// prepared against (for a BATCH, each statement's, in order). The caller
// must not modify them.
func (s *Statement) Tables() []*schema.Table { return s.cur.Load().tables }

// IsCounter reports a statement that updates counters (counter batches
// take only these).
func (s *Statement) IsCounter() bool {
	c := s.cur.Load()
	if c.mod != nil {
		return c.mod.counter()
	}
	return false
}

// Prepare prepares a parsed SELECT, INSERT, UPDATE, DELETE or BATCH, as
// 3.11 does at PREPARE time: keyspace resolution (keyspace is the
// session's, "" for none), table lookup, and every check Cassandra makes
// before execution, with its messages. Other statements give
// ErrNotDataStatement; failures are *Error.
func Prepare(env *Env, keyspace string, p *cqlparse.Parsed) (*Statement, error) {
	s := &Statement{source: p, keyspace: keyspace}
	switch st := p.Statement.(type) {
	case *cqlparse.SelectStmt:
		s.Kind = KindSelect
	case *cqlparse.InsertStmt:
		s.Kind = KindInsert
	case *cqlparse.UpdateStmt:
		s.Kind = KindUpdate
	case *cqlparse.DeleteStmt:
		s.Kind = KindDelete
	case *cqlparse.BatchStmt:
		s.Kind = KindBatch
		s.batchKind = BatchKind(st.Type)
	default:
		return nil, ErrNotDataStatement
	}
	c, err := s.compile(env)
	if err != nil {
		return nil, err
	}
	s.cur.Store(c)
	s.BindColumns = c.vars.columns()
	switch {
	case c.sel != nil:
		s.Keyspace, s.Table = c.sel.tb.t.Keyspace, c.sel.tb.t.Name
		s.PKIndexes = c.vars.pkIndexes(c.sel.tb)
		s.ResultColumns = c.sel.columns
	case c.mod != nil:
		s.Keyspace, s.Table = c.mod.tb.t.Keyspace, c.mod.tb.t.Name
		s.PKIndexes = c.vars.pkIndexes(c.mod.tb)
	case c.batch != nil && len(c.batch.stmts) > 0:
		first := c.batch.stmts[0].tb
		s.Keyspace, s.Table = first.t.Keyspace, first.t.Name
		if !c.batch.multipleTables {
			s.PKIndexes = c.vars.pkIndexes(first)
		}
	}
	return s, nil
}

// qualify resolves a statement's keyspace (CFStatement.prepareKeyspace).
func qualify(q cqlparse.QualifiedName, session string) (string, error) {
	if q.Keyspace.Name != "" {
		return q.Keyspace.Name, nil
	}
	if session == "" {
		return "", invalid("No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename")
	}
	return session, nil
}

// lookupTable finds a statement's table with 3.11's messages.
func lookupTable(env *Env, q cqlparse.QualifiedName, session string) (*table, error) {
	ks, err := qualify(q, session)
	if err != nil {
		return nil, err
	}
	t, err := env.Catalog().Lookup(ks, q.Name.Name)
	if err != nil {
		return nil, toError(err)
	}
	return env.tableOf(t)
}

// compile prepares the source against the current catalog.
func (s *Statement) compile(env *Env) (*compiled, error) {
	p := &prep{env: env, vars: newVars(len(s.source.Markers))}
	c := &compiled{vars: p.vars}
	switch st := s.source.Statement.(type) {
	case *cqlparse.BatchStmt:
		b, err := prepareBatch(p, st, s.keyspace)
		if err != nil {
			return nil, err
		}
		c.batch = b
		for _, m := range b.stmts {
			c.tables = append(c.tables, m.tb.t)
		}
		return c, nil
	}
	m, tb, err := prepareModification(p, s.source.Statement, s.keyspace)
	if err != nil {
		return nil, err
	}
	if m != nil {
		c.mod = m
		c.tables = []*schema.Table{tb.t}
		return c, nil
	}
	st := s.source.Statement.(*cqlparse.SelectStmt)
	tb, err = lookupTable(env, st.Table, s.keyspace)
	if err != nil {
		return nil, err
	}
	p.keyspace, p.tb = tb.t.Keyspace, tb
	sel, err := prepareSelect(p, tb, st)
	if err != nil {
		return nil, err
	}
	c.sel = sel
	c.tables = []*schema.Table{tb.t}
	return c, nil
}

// prepareModification prepares an INSERT, UPDATE or DELETE (nil for
// other statements).
func prepareModification(p *prep, stmt cqlparse.Statement, session string) (*modifyStmt, *table, error) {
	var q cqlparse.QualifiedName
	switch st := stmt.(type) {
	case *cqlparse.InsertStmt:
		q = st.Table
	case *cqlparse.UpdateStmt:
		q = st.Table
	case *cqlparse.DeleteStmt:
		q = st.Table
	default:
		return nil, nil, nil
	}
	tb, err := lookupTable(p.env, q, session)
	if err != nil {
		return nil, nil, err
	}
	p.keyspace, p.tb = tb.t.Keyspace, tb
	var m *modifyStmt
	switch st := stmt.(type) {
	case *cqlparse.InsertStmt:
		m, err = prepareInsert(p, tb, st)
	case *cqlparse.UpdateStmt:
		m, err = prepareUpdate(p, tb, st)
	case *cqlparse.DeleteStmt:
		m, err = prepareDelete(p, tb, st)
	}
	if err != nil {
		return nil, nil, err
	}
	return m, tb, nil
}

// current returns the statement prepared against the current catalog,
// preparing it again when one of its tables changed.
func (s *Statement) current(env *Env) (*compiled, error) {
	c := s.cur.Load()
	cat := env.Catalog()
	fresh := true
	for _, t := range c.tables {
		if cat.FindTable(t.Keyspace, t.Name) != t {
			fresh = false
			break
		}
	}
	if fresh {
		return c, nil
	}
	n, err := s.compile(env)
	if err != nil {
		return nil, err
	}
	s.cur.Store(n)
	return n, nil
}

// Execute runs the statement with o's values and options. A SELECT
// answers rows (one page when o.PageSize > 0); a write answers a Result
// with nil Columns (Void). Failures are *Error (or ctx's error).
func (s *Statement) Execute(ctx context.Context, env *Env, o Options) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(o.Values) != len(s.BindColumns) {
		return nil, invalidf("there were %d markers(?) in CQL but %d bound variables", len(s.BindColumns), len(o.Values))
	}
	c, err := s.current(env)
	if err != nil {
		return nil, err
	}
	bc := &bindCtx{env: env, values: o.Values, proto: o.ProtocolVersion, cl: o.Consistency}
	switch {
	case c.sel != nil:
		return c.sel.execute(ctx, bc, &o)
	case c.mod != nil:
		res, err := c.mod.execute(bc, &o)
		if res != nil && len(bc.warnings) > 0 {
			res.Warnings = append(bc.warnings, res.Warnings...)
		}
		return res, err
	}
	items := make([]batchEntry, len(c.batch.stmts))
	for i, m := range c.batch.stmts {
		items[i] = batchEntry{m: m, values: o.Values}
	}
	return c.batch.execute(ctx, env, items, &o)
}

// ExecuteBatch runs a native-protocol BATCH message: the statements
// (each an INSERT, UPDATE or DELETE prepared alone) with their own
// values, under kind's rules, one timestamp for all unless a statement
// sets its own.
func ExecuteBatch(ctx context.Context, env *Env, kind BatchKind, items []BatchItem, o Options) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b := &batchStmt{kind: kind}
	entries := make([]batchEntry, len(items))
	for i, it := range items {
		if it.Statement == nil || it.Statement.Kind == KindSelect || it.Statement.Kind == KindBatch {
			return nil, invalid("Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.")
		}
		if len(it.Values) != len(it.Statement.BindColumns) {
			return nil, invalidf("There were %d markers(?) in CQL but %d bound variables", len(it.Statement.BindColumns), len(it.Values))
		}
		c, err := it.Statement.current(env)
		if err != nil {
			return nil, err
		}
		b.stmts = append(b.stmts, c.mod)
		entries[i] = batchEntry{m: c.mod, values: it.Values}
	}
	if err := b.validate(); err != nil {
		return nil, err
	}
	return b.execute(ctx, env, entries, &o)
}
