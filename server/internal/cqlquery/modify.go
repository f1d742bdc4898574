package cqlquery

import (
	"math"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
)

// INSERT, UPDATE and DELETE (ModificationStatement, UpdateStatement,
// DeleteStatement) and their operations (Operation, Constants, Lists,
// Sets, Maps).

type opKind uint8

const (
	opSet           opKind = iota + 1 // c = v (INSERT values too)
	opDelete                          // DELETE c
	opCounterAdd                      // c = c + v on a counter
	opCounterSub                      // c = c - v on a counter
	opAppend                          // l = l + [..], s = s + {..}, m = m + {..}
	opPrepend                         // l = [..] + l
	opDiscard                         // l = l - [..], s = s - {..}, m = m - {..}
	opSetElement                      // l[i] = v, m[k] = v
	opDeleteElement                   // DELETE l[i], s[e], m[k]
	opSetField                        // u.f = v on a non-frozen user type
	opDeleteField                     // DELETE u.f
)

// operation is one prepared SET item or DELETE selection item.
type operation struct {
	kind  opKind
	col   *column
	value term
	key   term // element operations
	field int  // field operations: the field's position
}

// readsList reports an operation that reads the list before it writes.
func (o *operation) readsList() bool {
	ct, ok := base(o.col.typ).(*codec.CollectionType)
	if !ok || ct.Kind() != codec.ListKind {
		return false
	}
	return o.kind == opSetElement || o.kind == opDeleteElement || o.kind == opDiscard
}

// modifyStmt is a prepared INSERT, UPDATE or DELETE.
type modifyStmt struct {
	kind    Kind
	tb      *table
	w       *where
	regular []*operation
	static  []*operation
	ts, ttl term // USING TIMESTAMP / TTL
	// cond is the IF clause; nil for an unconditional statement.
	cond *conditions
}

func (m *modifyStmt) counter() bool { return m.tb.t.Counter }

// usingTerms prepares USING TIMESTAMP and TTL (Attributes.prepare).
func usingTerms(p *prep, tb *table, u cqlparse.Using, ks, cf string) (ts, ttl term, err error) {
	if raw := u.Timestamp(); raw != nil {
		ts, err = p.prepareTerm(raw, &receiver{ks: ks, table: cf, name: "[timestamp]", typ: codec.Long})
		if err != nil {
			return nil, nil, err
		}
	}
	if raw := u.TTL(); raw != nil {
		ttl, err = p.prepareTerm(raw, &receiver{ks: ks, table: cf, name: "[ttl]", typ: codec.Int32})
		if err != nil {
			return nil, nil, err
		}
	}
	return ts, ttl, nil
}

func (m *modifyStmt) addOp(o *operation) {
	if o.col.isStatic() {
		m.static = append(m.static, o)
	} else {
		m.regular = append(m.regular, o)
	}
}

// onlyStatic is appliesOnlyToStaticColumns, of the operations and the
// conditions.
func (m *modifyStmt) onlyStatic() bool {
	return !m.opsApplyToRegular() && !m.cond.appliesToRegular() && (len(m.static) > 0 || m.cond.appliesToStatic())
}

// opsApplyToRegular is Operations.appliesToRegularColumns: a DELETE
// without columns deletes rows, so it applies to regular columns.
func (m *modifyStmt) opsApplyToRegular() bool {
	return len(m.regular) > 0 || (m.kind == KindDelete && len(m.static) == 0)
}

// hasConditions reports a conditional statement (a lightweight
// transaction).
func (m *modifyStmt) hasConditions() bool { return !m.cond.empty() }

// checkConditional is the ModificationStatement constructor's check of a
// conditional statement.
func (m *modifyStmt) checkConditional() error {
	if !m.hasConditions() {
		return nil
	}
	if m.counter() {
		return invalid("Conditional updates are not supported on counter tables")
	}
	if m.ts != nil {
		return invalid("Cannot provide custom timestamp for conditional updates")
	}
	return nil
}

// validate is the ModificationStatement constructor's checks, then
// ModificationStatement.validate.
func (m *modifyStmt) validate() error {
	if err := m.checkConditional(); err != nil {
		return err
	}
	if m.counter() && m.ts != nil {
		return invalid("Cannot provide custom timestamp for counter updates")
	}
	if m.counter() && m.ttl != nil {
		return invalid("Cannot provide custom TTL for counter updates")
	}
	return nil
}

func prepareInsert(p *prep, tb *table, st *cqlparse.InsertStmt) (*modifyStmt, error) {
	m := &modifyStmt{kind: KindInsert, tb: tb}
	var err error
	if m.ts, m.ttl, err = usingTerms(p, tb, st.Using, tb.t.Keyspace, tb.t.Name); err != nil {
		return nil, err
	}
	if st.IfNotExists {
		m.cond = &conditions{ifNotExists: true}
	}
	if tb.t.Counter {
		return nil, invalid("INSERT statements are not allowed on counter tables, use UPDATE instead")
	}
	if st.JSON != nil {
		return prepareInsertJSON(p, tb, st, m)
	}
	if len(st.Columns) == 0 {
		return nil, invalid("No columns provided to INSERT")
	}
	if len(st.Columns) != len(st.Values) {
		return nil, invalid("Unmatched column names/values")
	}
	seen := map[string]bool{}
	for _, c := range st.Columns {
		if seen[c.Name] {
			return nil, invalid("The column names contains duplicates")
		}
		seen[c.Name] = true
	}
	var rels []cqlparse.Relation
	ckSet := false
	for i, id := range st.Columns {
		c, err := lookupColumn(tb, id)
		if err != nil {
			return nil, err
		}
		if c.kind == schema.Clustering {
			ckSet = true
		}
		if c.isPK() {
			rels = append(rels, &cqlparse.ColumnRelation{Column: id, Op: cqlparse.OpEQ, Value: st.Values[i]})
			continue
		}
		o, err := prepareSetValue(p, tb, c, st.Values[i])
		if err != nil {
			return nil, err
		}
		m.addOp(o)
	}
	m.w, err = buildWhere(p, tb, KindInsert, rels, !ckSet && m.onlyStatic(), false, false)
	if err != nil {
		return nil, err
	}
	return m, m.validate()
}

// prepareSetValue is Operation.SetValue.prepare.
func prepareSetValue(p *prep, tb *table, c *column, raw cqlparse.Term) (*operation, error) {
	t, err := p.prepareTerm(raw, tb.receiver(c))
	if err != nil {
		return nil, err
	}
	if c.isCounter() {
		return nil, invalidf("Cannot set the value of counter column %s (counters can only be incremented/decremented, not set)", c.name)
	}
	return &operation{kind: opSet, col: c, value: t}, nil
}

func prepareUpdate(p *prep, tb *table, st *cqlparse.UpdateStmt) (*modifyStmt, error) {
	m, err := startModify(p, tb, KindUpdate, st.Using, st.IfExists, st.Conditions)
	if err != nil {
		return nil, err
	}
	for _, a := range st.Set {
		c, err := modifiedColumn(tb, a.Column, "PRIMARY KEY part %s found in SET part")
		if err != nil {
			return nil, err
		}
		o, err := prepareAssignment(p, tb, c, a)
		if err != nil {
			return nil, err
		}
		m.addOp(o)
	}
	if err := m.finishModify(p, st.Where); err != nil {
		return nil, err
	}
	return m, nil
}

// startModify prepares what UPDATE and DELETE begin with: the USING
// terms and the IF conditions.
func startModify(p *prep, tb *table, kind Kind, using cqlparse.Using, ifExists bool, conds []cqlparse.Condition) (*modifyStmt, error) {
	m := &modifyStmt{kind: kind, tb: tb}
	var err error
	if m.ts, m.ttl, err = usingTerms(p, tb, using, tb.t.Keyspace, tb.t.Name); err != nil {
		return nil, err
	}
	if m.cond, err = prepareConditions(p, tb, ifExists, false, conds, m.ts); err != nil {
		return nil, err
	}
	return m, nil
}

// modifiedColumn is the column an UPDATE sets or a DELETE removes, which
// may not be part of the primary key (pkMsg formats that error with its
// name).
func modifiedColumn(tb *table, id cqlparse.Ident, pkMsg string) (*column, error) {
	c, err := lookupColumn(tb, id)
	if err != nil {
		return nil, err
	}
	if c.isPK() {
		return nil, invalidf(pkMsg, c.name)
	}
	return c, nil
}

// finishModify prepares the WHERE clause of an UPDATE or DELETE, once its
// operations are known, and validates the statement.
func (m *modifyStmt) finishModify(p *prep, where []cqlparse.Relation) error {
	if err := checkNoCustom(where); err != nil {
		return err
	}
	var err error
	m.w, err = buildWhere(p, m.tb, m.kind, where, m.onlyStatic(), false, false)
	if err != nil {
		return err
	}
	return m.validate()
}

func checkNoCustom(rels []cqlparse.Relation) error {
	for _, r := range rels {
		if _, ok := r.(*cqlparse.CustomIndexExpr); ok {
			return invalid("Custom index expressions cannot be used in WHERE clauses for UPDATE or DELETE statements")
		}
	}
	return nil
}

// assignmentText renders an assignment as Operation.toString does in
// "Invalid operation (%s) ..." messages.
func assignmentText(c *column, a cqlparse.Assignment) string {
	switch a.Kind {
	case cqlparse.AssignAdd:
		return c.name + " = " + c.name + " + " + termText(a.Value)
	case cqlparse.AssignSubtract:
		return c.name + " = " + c.name + " - " + termText(a.Value)
	case cqlparse.AssignPrepend:
		return c.name + " = " + termText(a.Value) + " - " + c.name
	case cqlparse.AssignElement:
		return c.name + "[" + termText(a.Key) + "] = " + termText(a.Value)
	case cqlparse.AssignField:
		return c.name + "." + a.Field.Name + " = " + termText(a.Value)
	}
	return c.name + " = " + termText(a.Value)
}

// prepareAssignment is Operation.RawUpdate.prepare for each form.
func prepareAssignment(p *prep, tb *table, c *column, a cqlparse.Assignment) (*operation, error) {
	ct, isColl := base(c.typ).(*codec.CollectionType)
	recv := tb.receiver(c)
	text := assignmentText(c, a)
	switch a.Kind {
	case cqlparse.AssignSet:
		return prepareSetValue(p, tb, c, a.Value)
	case cqlparse.AssignAdd, cqlparse.AssignSubtract:
		if !isColl {
			if !c.isCounter() {
				return nil, invalidf("Invalid operation (%s) for non counter column %s", text, c.name)
			}
			t, err := p.prepareTerm(a.Value, recv)
			if err != nil {
				return nil, err
			}
			kind := opCounterAdd
			if a.Kind == cqlparse.AssignSubtract {
				kind = opCounterSub
			}
			return &operation{kind: kind, col: c, value: t}, nil
		}
		if !ct.MultiCell() {
			return nil, invalidf("Invalid operation (%s) for frozen collection column %s", text, c.name)
		}
		if a.Kind == cqlparse.AssignAdd {
			t, err := p.prepareTerm(a.Value, recv)
			if err != nil {
				return nil, err
			}
			return &operation{kind: opAppend, col: c, value: t}, nil
		}
		r := recv
		if ct.Kind() == codec.MapKind {
			r = recv.derived(c.name, codec.Set(ct.Keys(), false))
		}
		t, err := p.prepareTerm(a.Value, r)
		if err != nil {
			return nil, err
		}
		return &operation{kind: opDiscard, col: c, value: t}, nil
	case cqlparse.AssignPrepend:
		if !isColl || ct.Kind() != codec.ListKind {
			return nil, invalidf("Invalid operation (%s) for non list column %s", text, c.name)
		}
		if !ct.MultiCell() {
			return nil, invalidf("Invalid operation (%s) for frozen list column %s", text, c.name)
		}
		t, err := p.prepareTerm(a.Value, recv)
		if err != nil {
			return nil, err
		}
		return &operation{kind: opPrepend, col: c, value: t}, nil
	case cqlparse.AssignElement:
		if !isColl {
			return nil, invalidf("Invalid operation (%s) for non collection column %s", text, c.name)
		}
		if !ct.MultiCell() {
			return nil, invalidf("Invalid operation (%s) for frozen collection column %s", text, c.name)
		}
		var kr *receiver
		switch ct.Kind() {
		case codec.ListKind:
			kr = recv.derived("idx("+c.name+")", codec.Int32)
		case codec.MapKind:
			kr = recv.derived("key("+c.name+")", ct.Keys())
		default:
			return nil, invalidf("Invalid operation (%s) for set column %s", text, c.name)
		}
		k, err := p.prepareTerm(a.Key, kr)
		if err != nil {
			return nil, err
		}
		v, err := p.prepareTerm(a.Value, recv.derived("value("+c.name+")", ct.Elements()))
		if err != nil {
			return nil, err
		}
		return &operation{kind: opSetElement, col: c, key: k, value: v}, nil
	case cqlparse.AssignField:
		ut, ok := base(c.typ).(*codec.UserType)
		if !ok {
			return nil, invalidf("Invalid operation (%s) for non-UDT column %s", text, c.name)
		}
		if !ut.MultiCell() {
			return nil, invalidf("Invalid operation (%s) for frozen UDT column %s", text, c.name)
		}
		return prepareSetField(p, tb, c, ut, a)
	}
	return nil, invalid("Unsupported assignment")
}

func prepareDelete(p *prep, tb *table, st *cqlparse.DeleteStmt) (*modifyStmt, error) {
	m, err := startModify(p, tb, KindDelete, st.Using, st.IfExists, st.Conditions)
	if err != nil {
		return nil, err
	}
	for _, d := range st.Columns {
		c, err := modifiedColumn(tb, d.Column, "Invalid identifier %s for deletion (should not be a PRIMARY KEY part)")
		if err != nil {
			return nil, err
		}
		o, err := prepareDeletion(p, tb, c, d)
		if err != nil {
			return nil, err
		}
		m.addOp(o)
	}
	if err := m.finishModify(p, st.Where); err != nil {
		return nil, err
	}
	if m.hasConditions() && !m.w.allPrimaryKeyByEquality() {
		if m.opsApplyToRegular() {
			return nil, invalid("DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to delete non static columns")
		}
		if m.cond.appliesToRegular() {
			return nil, invalid("DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to use IF condition on non static columns")
		}
	}
	return m, nil
}

// prepareDeletion is Operation.RawDeletion.prepare.
func prepareDeletion(p *prep, tb *table, c *column, d cqlparse.Deletion) (*operation, error) {
	if d.Field.Name != "" {
		ut, ok := base(c.typ).(*codec.UserType)
		if !ok {
			return nil, invalidf("Invalid field deletion operation for non-UDT column %s", c.name)
		}
		if !ut.MultiCell() {
			return nil, invalidf("Frozen UDT column %s does not support field deletions", c.name)
		}
		return prepareDeleteField(c, ut, d)
	}
	if d.Elem == nil {
		return &operation{kind: opDelete, col: c}, nil
	}
	ct, ok := base(c.typ).(*codec.CollectionType)
	if !ok {
		return nil, invalidf("Invalid deletion operation for non collection column %s", c.name)
	}
	if !ct.MultiCell() {
		return nil, invalidf("Invalid deletion operation for frozen collection column %s", c.name)
	}
	recv := tb.receiver(c)
	var kr *receiver
	switch ct.Kind() {
	case codec.ListKind:
		kr = recv.derived("idx("+c.name+")", codec.Int32)
	case codec.SetKind:
		kr = recv.derived("value("+c.name+")", ct.Elements())
	default:
		kr = recv.derived("key("+c.name+")", ct.Keys())
	}
	k, err := p.prepareTerm(d.Elem, kr)
	if err != nil {
		return nil, err
	}
	return &operation{kind: opDeleteElement, col: c, key: k}, nil
}

// ---------------------------------------------------------------------------
// Execution

// maxTTL is Attributes.MAX_TTL: 20 years.
const maxTTL = 20 * 365 * 24 * 60 * 60

// writeParams are a statement's timestamp and TTL for one execution.
type writeParams struct {
	ts  int64
	ttl int32
}

// bindParams is Attributes.getTimestamp and getTimeToLive, with the
// expiration date overflow check (REJECT policy).
func (m *modifyStmt) bindParams(c *bindCtx, now int64) (writeParams, error) {
	wp := writeParams{}
	var err error
	if wp.ts, err = bindTimestamp(c, m.ts, now); err != nil {
		return wp, err
	}
	def := m.tb.t.Params.DefaultTimeToLive
	if m.ttl == nil {
		wp.ttl = def
		return wp, m.checkExpiry(c, def, true)
	}
	v, err := m.ttl.bind(c)
	if err != nil {
		return wp, err
	}
	switch {
	case v.Unset:
		wp.ttl = def
		return wp, m.checkExpiry(c, def, true)
	case v.Bytes == nil:
		return wp, nil
	}
	n, err := codec.DecodeInt32(v.Bytes)
	if err != nil || len(v.Bytes) != 4 {
		return wp, invalidf("Invalid timestamp value: %x", v.Bytes)
	}
	if n < 0 {
		return wp, invalidf("A TTL must be greater or equal to 0, but was %d", n)
	}
	if n > maxTTL {
		return wp, invalidf("ttl is too large. requested (%d) maximum (%d)", n, maxTTL)
	}
	wp.ttl = n
	return wp, m.checkExpiry(c, n, false)
}

// bindTimestamp is Attributes.getTimestamp: USING TIMESTAMP's value, or
// now when there is none or it is unset.
func bindTimestamp(c *bindCtx, t term, now int64) (int64, error) {
	if t == nil {
		return now, nil
	}
	v, err := t.bind(c)
	if err != nil {
		return 0, err
	}
	switch {
	case v.Unset:
		return now, nil
	case v.Bytes == nil:
		return 0, invalid("Invalid null value of timestamp")
	}
	n, err := codec.DecodeLong(v.Bytes)
	if err != nil || len(v.Bytes) != 8 {
		return 0, invalidf("Invalid timestamp value: %x", v.Bytes)
	}
	if n == math.MinInt64 {
		return 0, invalidf("Out of bound timestamp, must be in [%d, %d]", int64(math.MinInt64+1), int64(math.MaxInt64))
	}
	return n, nil
}

// checkExpiry is ExpirationDateOverflowHandling.maybeApplyExpirationDateOverflowPolicy
// under the node's policy (Store.Expiry; REJECT unless configured): a TTL
// reaching past 2038-01-19T03:14:06Z is refused, or capped (the store caps
// the expiry itself) with a client warning under CAP.
func (m *modifyStmt) checkExpiry(c *bindCtx, ttl int32, isDefault bool) error {
	warning, err := c.env.Store.Expiry().Check(m.tb.t.Keyspace, m.tb.t.Name, ttl, isDefault, c.clock())
	if err != nil {
		return invalid(err.Error())
	}
	if warning != "" {
		c.warnings = append(c.warnings, warning)
	}
	return nil
}

// writeTimestamp is QueryOptions.getTimestamp: the client's default
// timestamp, else a server timestamp.
func writeTimestamp(env *Env, o *Options) int64 {
	if o.HasTimestamp {
		return o.Timestamp
	}
	return env.timestamp()
}

// mutations collects a statement's (or a batch's) writes per partition
// (UpdatesCollector): each becomes one RowMutation.
type mutations struct {
	env   *Env
	parts []*pending
	byKey map[string]*pending // once there are many partitions
}

type pending struct {
	t       *schema.Table
	key     []byte
	updates []*layout.Update
}

func newMutations(env *Env) *mutations { return &mutations{env: env} }

func (ms *mutations) add(t *schema.Table, key []byte, u *layout.Update) {
	var pd *pending
	if ms.byKey != nil {
		pd = ms.byKey[string(t.ID[:])+string(key)]
	} else {
		for _, p := range ms.parts {
			if p.t.ID == t.ID && string(p.key) == string(key) {
				pd = p
				break
			}
		}
	}
	if pd == nil {
		pd = &pending{t: t, key: key}
		ms.parts = append(ms.parts, pd)
		if ms.byKey == nil && len(ms.parts) > 16 {
			ms.byKey = make(map[string]*pending, 2*len(ms.parts))
			for _, p := range ms.parts {
				ms.byKey[string(p.t.ID[:])+string(p.key)] = p
			}
		} else if ms.byKey != nil {
			ms.byKey[string(t.ID[:])+string(key)] = pd
		}
	}
	pd.updates = append(pd.updates, u)
}

func (ms *mutations) rowMutations() []store.RowMutation {
	out := make([]store.RowMutation, 0, len(ms.parts))
	for _, pd := range ms.parts {
		var rm store.RowMutation
		if len(pd.updates) == 1 {
			rm = pd.updates[0].Mutation(pd.t, pd.key)
		} else {
			var ops []store.Op
			for _, u := range pd.updates {
				ops = append(ops, u.Ops()...)
			}
			rm = store.NewRowMutation(pd.t, pd.key, ops...)
		}
		if len(rm.Ops) > 0 {
			out = append(out, rm)
		}
	}
	return out
}

// requiresRead reports operations that read the list they change.
func (m *modifyStmt) requiresRead() bool {
	for _, ops := range [][]*operation{m.regular, m.static} {
		for _, o := range ops {
			if o.readsList() {
				return true
			}
		}
	}
	return false
}

// isColumnRange is StatementRestrictions.isColumnRange.
func (m *modifyStmt) isColumnRange() bool {
	n := len(m.tb.ck)
	return m.w.ck.set.size() < n || !m.w.ck.set.onlyEquality()
}

// updatesRegularRows: every clustering column is given, or the table has
// none (a static compact table's hidden column1 counts).
func (m *modifyStmt) updatesRegularRows() bool {
	return len(m.tb.t.Clustering) == 0 || !m.w.ck.set.empty()
}

// addUpdates is ModificationStatement.addUpdates.
func (m *modifyStmt) addUpdates(c *bindCtx, ms *mutations, wp writeParams) error {
	keys, err := m.w.partitionKeys(c)
	if err != nil {
		return err
	}
	if c.cl == clAny && m.requiresRead() {
		return invalidf("Write operation require a read but consistency %s is not supported on reads", clName(c.cl))
	}
	ids := c.env.listIDs()
	if m.kind == KindDelete && !m.w.ck.set.empty() && m.isColumnRange() {
		sel, err := m.w.clusteringSelection(c)
		if err != nil {
			return err
		}
		slices, err := m.tb.lay.Slices(sel)
		if err != nil {
			return toError(err)
		}
		if len(slices) == 0 {
			return nil
		}
		if len(m.regular) > 0 || len(m.static) > 0 {
			return invalid("Range deletions are not supported for specific columns")
		}
		for _, k := range keys {
			u := m.tb.lay.NewUpdate(wp.ts, 0, ids)
			if err := u.DeleteSelection(sel); err != nil {
				return toError(err)
			}
			ms.add(m.tb.t, k, u)
		}
		return nil
	}
	var cks [][][]byte
	if !m.w.ck.set.empty() {
		if cks, err = m.w.clusterings(c); err != nil {
			return err
		}
		if len(cks) == 0 {
			return nil
		}
	} else {
		cks = [][][]byte{nil}
	}
	for _, k := range keys {
		u := m.tb.lay.NewUpdate(wp.ts, wp.ttl, ids)
		for _, ck := range cks {
			var err error
			if m.kind == KindDelete {
				err = m.deleteForKey(c, u, k, ck)
			} else {
				err = m.updateForKey(c, u, k, ck)
			}
			if err != nil {
				return err
			}
		}
		ms.add(m.tb.t, k, u)
	}
	return nil
}

// updateForKey is UpdateStatement.addUpdateForKey.
func (m *modifyStmt) updateForKey(c *bindCtx, u *layout.Update, key []byte, ck [][]byte) error {
	if m.updatesRegularRows() {
		if ck == nil {
			ck = [][]byte{}
		}
		if m.kind == KindInsert && !m.tb.t.IsCompact() {
			if err := u.Insert(ck); err != nil {
				return toError(err)
			}
		}
		if m.tb.t.Super && !m.tb.t.Dense && len(m.regular) == 0 {
			// UpdateStatement.addUpdateForKey: the compact value column of
			// a super column family with column_metadata is the "" map.
			return invalidf("Column  is mandatory for this COMPACT STORAGE table")
		}
		if m.tb.t.IsCompact() && !m.tb.t.Super && len(m.regular) == 0 && len(m.tb.t.Clustering) > 0 && !m.tb.t.IsStaticCompact() {
			if v := m.tb.lay.ValueColumn(); v != nil {
				return invalidf("Column %s is mandatory for this COMPACT STORAGE table", v.Name)
			}
			if err := u.Insert(ck); err != nil {
				return toError(err)
			}
		}
		for _, o := range m.regular {
			if err := m.apply(c, u, key, ck, o); err != nil {
				return err
			}
		}
	}
	for _, o := range m.static {
		if err := m.apply(c, u, key, nil, o); err != nil {
			return err
		}
	}
	return nil
}

// deleteForKey is DeleteStatement.addUpdateForKey for one clustering.
func (m *modifyStmt) deleteForKey(c *bindCtx, u *layout.Update, key []byte, ck [][]byte) error {
	if len(m.regular) == 0 && len(m.static) == 0 {
		if ck == nil {
			u.DeletePartition()
			return nil
		}
		return toError(u.DeleteRow(ck))
	}
	if len(m.regular) > 0 {
		if ck == nil && len(m.tb.t.Clustering) > 0 {
			return invalid("Range deletions are not supported for specific columns")
		}
		if ck == nil {
			ck = [][]byte{}
		}
		for _, o := range m.regular {
			if err := m.apply(c, u, key, ck, o); err != nil {
				return err
			}
		}
	}
	for _, o := range m.static {
		if err := m.apply(c, u, key, nil, o); err != nil {
			return err
		}
	}
	return nil
}

// apply runs one operation on row ck of partition key.
func (m *modifyStmt) apply(c *bindCtx, u *layout.Update, key []byte, ck [][]byte, o *operation) error {
	col := o.col.lc
	var v Value
	if o.value != nil {
		var err error
		if v, err = o.value.bind(c); err != nil {
			return err
		}
	}
	switch o.kind {
	case opSet:
		if v.Unset {
			return nil
		}
		return toError(u.Set(ck, col, v.Bytes))
	case opDelete:
		return toError(u.Delete(ck, col))
	case opCounterAdd, opCounterSub:
		if v.Unset {
			return nil
		}
		if v.Bytes == nil {
			return invalid("Invalid null value for counter increment")
		}
		n, err := codec.DecodeLong(v.Bytes)
		if err != nil || len(v.Bytes) != 8 {
			return invalid("Invalid null value for counter increment")
		}
		if o.kind == opCounterSub {
			if n == math.MinInt64 {
				return invalidf("The negation of %d overflows supported counter precision (signed 8 bytes integer)", n)
			}
			n = -n
		}
		return toError(u.AddCounter(ck, col, n))
	case opAppend:
		if v.Unset || v.Bytes == nil {
			return nil
		}
		switch col.Collection {
		case layout.List:
			return toError(u.Append(ck, col, v.Bytes))
		case layout.Set:
			return toError(u.AddElements(ck, col, v.Bytes))
		}
		return toError(u.PutEntries(ck, col, v.Bytes))
	case opPrepend:
		if v.Unset || v.Bytes == nil {
			return nil
		}
		return toError(u.Prepend(ck, col, v.Bytes))
	case opDiscard:
		if v.Unset || v.Bytes == nil {
			return nil
		}
		if col.Collection == layout.List {
			cur, err := m.tb.lay.ReadList(c.source(), m.tb.t, key, ck, col)
			if err != nil {
				return toError(err)
			}
			return toError(u.DiscardFromList(ck, col, cur, v.Bytes))
		}
		return toError(u.RemoveElements(ck, col, v.Bytes))
	case opSetElement:
		k, err := o.key.bind(c)
		if err != nil {
			return err
		}
		if col.Collection == layout.List {
			if k.Unset {
				return invalid("Invalid unset value for list index")
			}
			if k.Bytes == nil {
				return invalid("Invalid null value for list index")
			}
			idx, _ := codec.DecodeInt32(k.Bytes)
			cur, err := m.tb.lay.ReadList(c.source(), m.tb.t, key, ck, col)
			if err != nil {
				return toError(err)
			}
			if len(cur) == 0 {
				return invalid("Attempted to set an element on a list which is null")
			}
			if v.Unset {
				// Lists.SetterByIndex checks the index before it skips an
				// unset value.
				if idx < 0 || int(idx) >= len(cur) {
					return invalidf("List index %d out of bound, list has size %d", idx, len(cur))
				}
				return nil
			}
			return toError(u.SetListIndex(ck, col, cur, idx, v.Bytes))
		}
		if k.Unset {
			return invalid("Invalid unset map key")
		}
		if k.Bytes == nil {
			return invalid("Invalid null map key")
		}
		if v.Unset {
			return nil
		}
		return toError(u.PutEntry(ck, col, k.Bytes, v.Bytes))
	case opSetField, opDeleteField:
		return applyField(u, ck, col, o, v)
	case opDeleteElement:
		k, err := o.key.bind(c)
		if err != nil {
			return err
		}
		switch col.Collection {
		case layout.List:
			if k.Unset {
				return nil
			}
			if k.Bytes == nil {
				return invalid("Invalid null value for list index")
			}
			idx, _ := codec.DecodeInt32(k.Bytes)
			cur, err := m.tb.lay.ReadList(c.source(), m.tb.t, key, ck, col)
			if err != nil {
				return toError(err)
			}
			if len(cur) == 0 {
				return invalid("Attempted to delete an element from a list which is null")
			}
			return toError(u.DeleteListIndex(ck, col, cur, idx))
		case layout.Set:
			if k.Unset {
				return nil
			}
			if k.Bytes == nil {
				return invalid("Invalid null set element")
			}
		default:
			if k.Unset {
				return invalid("Invalid unset map key")
			}
			if k.Bytes == nil {
				return invalid("Invalid null map key")
			}
		}
		return toError(u.DeleteElement(ck, col, k.Bytes))
	}
	return nil
}

// execute runs one INSERT, UPDATE or DELETE.
func (m *modifyStmt) execute(c *bindCtx, o *Options) (*Result, error) {
	if m.hasConditions() {
		return m.executeWithCondition(c, o)
	}
	if err := checkWrite(m.tb, o, m.counter()); err != nil {
		return nil, err
	}
	if m.tb.t.Virtual {
		return nil, invalidf("Modification is not supported by table %s.%s", m.tb.t.Keyspace, m.tb.t.Name)
	}
	wp, err := m.bindParams(c, writeTimestamp(c.env, o))
	if err != nil {
		return nil, err
	}
	ms := newMutations(c.env)
	if err := m.addUpdates(c, ms, wp); err != nil {
		return nil, err
	}
	if err := available(c.env, m.tb, o.Consistency); err != nil {
		return nil, err
	}
	if muts := ms.rowMutations(); len(muts) > 0 {
		if err := c.env.Write(muts); err != nil {
			return nil, toError(err)
		}
	}
	return &Result{}, nil
}
