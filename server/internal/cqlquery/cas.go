package cqlquery

import (
	"bytes"
	"errors"
	"sort"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
)

// Lightweight transactions (ModificationStatement.executeWithCondition,
// BatchStatement.executeWithConditions, CQL3CasRequest, StorageProxy.cas)
// on a single node. Paxos on one replica comes down to this: under the
// partition's lock (Env.CAS), read what the conditions need, check them,
// and either answer the current values or write the updates through the
// node's logged write path, before any other write of the partition —
// CQL's or Thrift's cas — can come between. That is linearizable per
// partition, which is what Paxos gives a cluster.
//
// Timestamps: 3.11 writes a transaction's updates with its Paxos ballot's
// timestamp (Commit.newProposal, PartitionUpdate.updateAllTimestamp):
// every cell and row marker gets the ballot's microseconds, every
// deletion (row, range, partition, collection tombstone, cell tombstone)
// the ballot minus one, so that a transaction that deletes and rewrites a
// row keeps the new data. The ballot here is the store's server timestamp
// (store.Store.NowMicros), strictly increasing across every write the node
// stamps itself (CQL statements without a client timestamp, Thrift cas,
// counters), as ClientState.getTimestampForPaxos draws ballots from the
// same clock as ordinary writes: so a ballot is above the timestamp of
// every earlier server-stamped write, and above every earlier ballot of
// the partition, which is what Paxos' ordering of ballots guarantees.

// casAppliedColumn is the first column of every conditional statement's
// answer.
const casAppliedColumn = "[applied]"

type rowCondKind uint8

const (
	condColumns rowCondKind = iota + 1
	condExists
	condNotExists
)

// rowCondition is CQL3CasRequest.RowCondition: the conditions on one row
// (ck nil: the static row; a ck shorter than the clustering names no row).
type rowCondition struct {
	ck    [][]byte
	kind  rowCondKind
	conds []*boundCondition
}

// casUpdate is a RowUpdate or RangeDeletion: one statement's writes, with
// its values, prepared when the conditions hold.
type casUpdate struct {
	m *modifyStmt
	c *bindCtx
}

// casRequest is CQL3CasRequest: the conditions and updates of one
// partition.
type casRequest struct {
	tb      *table
	key     []byte
	static  *rowCondition
	rows    []*rowCondition // in clustering order
	updates []casUpdate

	updatesRegular, updatesStatic bool
	condCols                      map[*column]bool // ModificationStatement.conditionColumns
}

func newCASRequest(tb *table, key []byte) *casRequest {
	return &casRequest{tb: tb, key: key, condCols: map[*column]bool{}}
}

// compareCK orders two full clusterings of tb (DESC columns reversed).
func (tb *table) compareCK(a, b [][]byte) int {
	for i := 0; i < len(a) && i < len(b) && i < len(tb.ck); i++ {
		t := tb.ck[i].typ
		if tb.ck[i].desc {
			t = codec.Reversed(t)
		}
		if c := t.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}

// rowFor returns the conditions of row ck (nil: static), or nil.
func (r *casRequest) rowFor(ck [][]byte) *rowCondition {
	if ck == nil {
		return r.static
	}
	for _, rc := range r.rows {
		if len(rc.ck) == len(ck) && r.tb.compareCK(rc.ck, ck) == 0 {
			return rc
		}
	}
	return nil
}

func (r *casRequest) setRow(rc *rowCondition) {
	if rc.ck == nil {
		r.static = rc
		return
	}
	i := sort.Search(len(r.rows), func(i int) bool {
		if len(r.rows[i].ck) != len(rc.ck) {
			return len(r.rows[i].ck) > len(rc.ck)
		}
		return r.tb.compareCK(r.rows[i].ck, rc.ck) > 0
	})
	r.rows = append(r.rows, nil)
	copy(r.rows[i+1:], r.rows[i:])
	r.rows[i] = rc
}

// addExists is addExist / addNotExist (addExistsCondition).
func (r *casRequest) addExists(ck [][]byte, notExists bool) error {
	kind := condExists
	if notExists {
		kind = condNotExists
	}
	if prev := r.rowFor(ck); prev != nil {
		switch {
		case prev.kind == kind:
			return nil // two statements of a batch, same row, same condition
		case prev.kind != condColumns:
			return invalid("Cannot mix IF EXISTS and IF NOT EXISTS conditions for the same row")
		case notExists:
			return invalid("Cannot mix IF conditions and IF NOT EXISTS for the same row")
		}
		return invalid("Cannot mix IF conditions and IF EXISTS for the same row")
	}
	r.setRow(&rowCondition{ck: ck, kind: kind})
	return nil
}

// addColumnConditions is CQL3CasRequest.addConditions: binds them.
func (r *casRequest) addColumnConditions(ck [][]byte, conds []*condition, c *bindCtx) error {
	rc := r.rowFor(ck)
	if rc == nil {
		rc = &rowCondition{ck: ck, kind: condColumns}
		r.setRow(rc)
	} else if rc.kind != condColumns {
		return invalid("Cannot mix IF conditions and IF NOT EXISTS for the same row")
	}
	for _, cond := range conds {
		b, err := cond.bind(c)
		if err != nil {
			return err
		}
		rc.conds = append(rc.conds, b)
	}
	return nil
}

// addConditions is Conditions.addConditionsTo for statement m on row ck.
func (r *casRequest) addConditions(m *modifyStmt, ck [][]byte, c *bindCtx) error {
	cs := m.cond
	switch {
	case cs.ifExists:
		return r.addExists(ck, false)
	case cs.ifNotExists:
		return r.addExists(ck, true)
	}
	if len(cs.regular) > 0 {
		if err := r.addColumnConditions(ck, cs.regular, c); err != nil {
			return err
		}
	}
	if len(cs.static) > 0 {
		return r.addColumnConditions(nil, cs.static, c)
	}
	return nil
}

// noteConditionColumns adds m's conditionColumns: the condition columns
// and those of operations that read before they write.
func (r *casRequest) noteConditionColumns(m *modifyStmt) {
	if m.cond != nil {
		for _, c := range m.cond.columns() {
			r.condCols[c] = true
		}
	}
	for _, ops := range [][]*operation{m.regular, m.static} {
		for _, o := range ops {
			if o.readsList() {
				r.condCols[o.col] = true
			}
		}
	}
}

// casVerb is how 3.11 names the statement in its IN refusals
// (StatementType.isUpdate, false for INSERT).
func (m *modifyStmt) casVerb() string {
	if m.kind == KindUpdate {
		return "updates"
	}
	return "deletions"
}

// hasSlices is ModificationStatement.hasSlices: a DELETE of a clustering
// range.
func (m *modifyStmt) hasSlices() bool {
	return m.kind == KindDelete && !m.w.ck.set.empty() && m.isColumnRange()
}

// casClustering is createClustering for a conditional statement: the
// static row (nil) for a statement that touches only static columns, the
// empty clustering when no clustering column is restricted, else the one
// clustering the WHERE clause names.
func (m *modifyStmt) casClustering(c *bindCtx) ([][]byte, error) {
	if m.onlyStatic() && m.w.ck.set.empty() {
		return nil, nil
	}
	if m.w.ck.set.empty() {
		return [][]byte{}, nil
	}
	cks, err := m.w.clusterings(c)
	if err != nil {
		return nil, err
	}
	if len(cks) == 0 {
		return [][]byte{}, nil
	}
	return cks[0], nil
}

// executeWithCondition is ModificationStatement.executeWithCondition.
func (m *modifyStmt) executeWithCondition(c *bindCtx, o *Options) (*Result, error) {
	if m.tb.t.Virtual {
		return nil, invalidf("Modification is not supported by table %s.%s", m.tb.t.Keyspace, m.tb.t.Name)
	}
	keys, err := m.w.partitionKeys(c)
	if err != nil {
		return nil, err
	}
	if m.w.pk.hasIN() || len(keys) != 1 {
		return nil, invalidf("IN on the partition key is not supported with conditional %s", m.casVerb())
	}
	if m.w.ck.set.hasIN() {
		return nil, invalidf("IN on the clustering key columns is not supported with conditional %s", m.casVerb())
	}
	if m.hasSlices() {
		// ClusteringColumnRestrictions.valuesAsClustering on a slice.
		return nil, &Error{Code: CodeServer, Message: "java.lang.UnsupportedOperationException"}
	}
	ck, err := m.casClustering(c)
	if err != nil {
		return nil, err
	}
	req := newCASRequest(m.tb, keys[0])
	req.noteConditionColumns(m)
	req.updatesRegular, req.updatesStatic = m.updatesRegularRows(), len(m.static) > 0
	if err := req.addConditions(m, ck, c); err != nil {
		return nil, err
	}
	req.updates = append(req.updates, casUpdate{m: m, c: c})
	return req.run(c.env, o, m.cond.columns(), false)
}

// checkCAS is the consistency checks of StorageProxy.cas: the serial
// consistency (validateForCas), the commit consistency
// (validateForCasCommit), then enough Paxos participants and commit
// replicas on this node.
func checkCAS(env *Env, tb *table, o *Options) error {
	sc, cl := o.SerialConsistency, o.Consistency
	if sc > clLocalOne {
		return &Error{Code: CodeProtocol, Message: "Unknown code " + itoa(int(sc)) + " for a consistency level"}
	}
	if sc != clSerial && sc != clLocalSerial {
		return invalid("Invalid consistency for conditional update. Must be one of SERIAL or LOCAL_SERIAL")
	}
	switch cl {
	case clSerial, clLocalSerial:
		return invalidf("%s is not supported as conditional update commit consistency. Use ANY if you mean \"make sure it is accepted but I don't care how many replicas commit it for non-SERIAL reads\"", clName(cl))
	case clEachQuorum:
		if ks := env.Catalog().FindKeyspace(tb.t.Keyspace); ks != nil && ks.StrategyClass != schema.NetworkTopologyStrategy {
			return invalidf("consistency level %s not compatible with replication strategy (%s)", clName(cl), ks.StrategyClass)
		}
	}
	if err := paxosAvailable(env, tb, sc); err != nil {
		return err
	}
	return available(env, tb, cl)
}

// run is StorageProxy.cas on this node, then buildCasResultSet: cols are
// the columns a failure shows (nil: all), with the primary key first for
// a batch.
func (r *casRequest) run(env *Env, o *Options, cols []*column, isBatch bool) (*Result, error) {
	if err := checkCAS(env, r.tb, o); err != nil {
		return nil, err
	}
	var res *Result
	err := env.cas(r.tb.t, r.key, func(p *store.Partition) ([]store.Op, error) {
		view, err := r.read(p)
		if err != nil {
			return nil, err
		}
		ok, err := r.appliesTo(view)
		if err != nil {
			return nil, err
		}
		if !ok {
			res = r.failure(view, cols, isBatch)
			return nil, nil
		}
		ops, err := r.makeUpdates(env, p)
		if err != nil {
			return nil, err
		}
		res = r.applied()
		return ops, nil
	})
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, e
		}
		return nil, toError(err)
	}
	return res, nil
}

// casView is what CQL3CasRequest.readCommand reads: the static row and
// the asked rows, holding only the columns the request fetches.
type casView struct {
	statics []layout.Value // nil when no fetched static column is live
	rows    []casViewRow   // in clustering order
}

type casViewRow struct {
	ck   [][]byte
	vals []layout.Value
}

// find returns the values of row ck, nil when it does not exist.
func (v *casView) find(tb *table, ck [][]byte) []layout.Value {
	if len(ck) != len(tb.ck) {
		return nil // the empty clustering of a table that has some
	}
	for _, row := range v.rows {
		if tb.compareCK(row.ck, ck) == 0 {
			return row.vals
		}
	}
	return nil
}

// fetches is columnsToRead: all statics when the request updates the
// static row, else the static condition columns; likewise for regulars.
func (r *casRequest) fetches(c *column) bool {
	if c.isStatic() {
		return r.updatesStatic || r.condCols[c]
	}
	return r.updatesRegular || r.condCols[c]
}

// read is readCommand on the locked partition: the rows the conditions
// name (or, with static conditions only, the first live row), and the
// static row.
func (r *casRequest) read(p *store.Partition) (*casView, error) {
	tb := r.tb
	v := &casView{}
	firstOnly := len(r.rows) == 0
	var slices []store.Slice
	if !firstOnly {
		var cks [][][]byte
		for _, rc := range r.rows {
			if len(rc.ck) == len(tb.ck) {
				cks = append(cks, rc.ck)
			}
		}
		if cks == nil {
			slices = []store.Slice{}
		} else {
			var err error
			if slices, err = tb.lay.Slices(layout.Selection{Prefixes: cks}); err != nil {
				return nil, toError(err)
			}
		}
	}
	var statics []layout.Value
	copyVals := func(in []layout.Value) []layout.Value {
		out := make([]layout.Value, len(in))
		for i, x := range in {
			out[i] = x
			out[i].Bytes = nil
			if x.Set {
				// An empty value ('' or an empty blob) is not null: keep it
				// non-nil, as the conditions and the failure rows tell the two
				// apart by nil.
				out[i].Bytes = append([]byte{}, x.Bytes...)
			}
		}
		return out
	}
	asm := tb.lay.NewAssembler(false, func(row *layout.Row) bool {
		vals := copyVals(row.Values)
		if statics == nil {
			statics = vals
		}
		if row.Static {
			return true
		}
		ck := make([][]byte, len(row.Clustering))
		for i, x := range row.Clustering {
			ck[i] = append([]byte{}, x...) // '' is a clustering value, not null
		}
		v.rows = append(v.rows, casViewRow{ck: ck, vals: vals})
		return !firstOnly
	})
	if _, err := asm.Partition(p, slices, true); err != nil {
		return nil, toError(err)
	}
	for _, row := range v.rows {
		for _, c := range tb.regulars {
			if !r.fetches(c) {
				row.vals[c.lc.Index] = layout.Value{}
			}
		}
	}
	if statics != nil {
		live := false
		for _, c := range tb.statics {
			if !r.fetches(c) {
				statics[c.lc.Index] = layout.Value{}
			} else if statics[c.lc.Index].Set {
				live = true
			}
		}
		if live {
			v.statics = statics
		}
	}
	for _, row := range v.rows {
		for _, c := range tb.statics {
			if v.statics == nil {
				row.vals[c.lc.Index] = layout.Value{}
			} else {
				row.vals[c.lc.Index] = v.statics[c.lc.Index]
			}
		}
	}
	return v, nil
}

// appliesTo is CQL3CasRequest.appliesTo: the static conditions, then each
// row's, in clustering order.
func (r *casRequest) appliesTo(v *casView) (bool, error) {
	if r.static != nil {
		ok, err := r.static.appliesTo(v.statics)
		if err != nil || !ok {
			return false, err
		}
	}
	for _, rc := range r.rows {
		ok, err := rc.appliesTo(v.find(r.tb, rc.ck))
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func (rc *rowCondition) appliesTo(vals []layout.Value) (bool, error) {
	switch rc.kind {
	case condExists:
		return vals != nil, nil
	case condNotExists:
		return vals == nil, nil
	}
	for _, b := range rc.conds {
		ok, err := b.appliesTo(vals)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// makeUpdates is CQL3CasRequest.makeUpdates followed by
// Commit.newProposal's updateAllTimestamp: the statements' writes, read
// from the locked partition where they read before they write, stamped
// with the ballot (deletions with the ballot minus one).
func (r *casRequest) makeUpdates(env *Env, p *store.Partition) ([]store.Op, error) {
	ballot := env.timestamp()
	ms := newMutations(env)
	src := partitionSource{p}
	for _, u := range r.updates {
		c := *u.c
		c.src = src
		c.cl = clSerial // the read is the transaction's own, not at the commit level
		wp, err := u.m.bindParams(&c, ballot)
		if err != nil {
			return nil, err
		}
		if err := u.m.addUpdates(&c, ms, wp); err != nil {
			return nil, err
		}
	}
	var ops []store.Op
	for _, rm := range ms.rowMutations() {
		ops = append(ops, rm.Ops...)
	}
	ops = mergeUpdate(r.tb.lay.Comparator(), ops)
	for i := range ops {
		switch ops[i].Kind {
		case store.OpPut:
			ops[i].Timestamp = ballot
		case store.OpDeleteColumn, store.OpDeleteRow, store.OpDeleteRange, store.OpDeleteSuper:
			ops[i].Timestamp = ballot - 1
		}
	}
	return ops, nil
}

// mergeUpdate drops the writes of one partition update that its own
// deletions shadow (a deletion wins a timestamp tie), as building the
// PartitionUpdate does before Paxos restamps it: a batch that writes a
// cell and deletes it at the same timestamp deletes it.
func mergeUpdate(cmp codec.Type, ops []store.Op) []store.Op {
	covers := func(d, p *store.Op) bool {
		if d.Timestamp < p.Timestamp {
			return false
		}
		switch d.Kind {
		case store.OpDeleteRow:
			return true
		case store.OpDeleteColumn:
			return p.Kind == store.OpPut && bytes.Equal(d.Super, p.Super) && cmp.Compare(d.Name, p.Name) == 0
		case store.OpDeleteRange:
			if len(p.Super) > 0 || len(d.Super) > 0 {
				return false
			}
			if len(d.Start) > 0 {
				c := cmp.Compare(p.Name, d.Start)
				if c < 0 || (c == 0 && d.StartExclusive) {
					return false
				}
			}
			if len(d.Finish) > 0 {
				c := cmp.Compare(p.Name, d.Finish)
				if c > 0 || (c == 0 && d.FinishExclusive) {
					return false
				}
			}
			return true
		}
		return false
	}
	out := make([]store.Op, 0, len(ops))
	for i := range ops {
		p := &ops[i]
		shadowed := false
		if p.Kind == store.OpPut {
			for j := range ops {
				if j != i && covers(&ops[j], p) {
					shadowed = true
					break
				}
			}
		}
		if !shadowed {
			out = append(out, *p)
		}
	}
	return out
}

// applied is the answer of a transaction that applied.
func (r *casRequest) applied() *Result {
	return &Result{Columns: []Column{r.appliedColumn()}, Rows: [][][]byte{{{1}}}}
}

func (r *casRequest) appliedColumn() Column {
	return Column{Keyspace: r.tb.t.Keyspace, Table: r.tb.t.Name, Name: casAppliedColumn, Type: codec.Boolean}
}

// failure is buildCasResultSet for a transaction that did not apply:
// [applied] = false, then (buildCasFailureResultSet) the current values
// as SelectStatement.processPartition shows the read partition: every
// column for IF [NOT] EXISTS, else the condition columns (the primary key
// first in a batch), one row per row read, or one row of the partition
// key and statics when only the static row was read.
func (r *casRequest) failure(v *casView, condCols []*column, isBatch bool) *Result {
	tb := r.tb
	var cols []*column
	if condCols == nil {
		cols = tb.cols
	} else {
		seen := map[*column]bool{}
		add := func(c *column) {
			if !seen[c] {
				seen[c] = true
				cols = append(cols, c)
			}
		}
		if isBatch {
			for _, c := range tb.pk {
				add(c)
			}
			for _, c := range tb.ck {
				add(c)
			}
		}
		for _, c := range condCols {
			add(c)
		}
	}
	res := &Result{Columns: []Column{r.appliedColumn()}}
	for _, c := range cols {
		res.Columns = append(res.Columns, Column{Keyspace: tb.t.Keyspace, Table: tb.t.Name, Name: c.name, Type: c.typ})
	}
	keyVals, _ := tb.lay.DecodePartitionKey(r.key)
	emit := func(ck [][]byte, vals []layout.Value) {
		row := make([][]byte, 0, len(cols)+1)
		row = append(row, []byte{0})
		for _, c := range cols {
			var b []byte
			switch c.kind {
			case schema.PartitionKey:
				if c.pos < len(keyVals) {
					b = keyVals[c.pos]
				}
			case schema.Clustering:
				if c.pos < len(ck) {
					b = ck[c.pos]
				}
			default:
				if vals != nil && vals[c.lc.Index].Set {
					b = vals[c.lc.Index].Bytes
					if b == nil {
						b = []byte{}
					}
				}
			}
			row = append(row, b)
		}
		res.Rows = append(res.Rows, row)
	}
	if len(v.rows) == 0 {
		if v.statics != nil {
			emit(nil, v.statics)
		}
	} else {
		for _, row := range v.rows {
			emit(row.ck, row.vals)
		}
	}
	if len(res.Rows) == 0 {
		// merge: nothing to show beside [applied].
		res.Columns = res.Columns[:1]
		res.Rows = [][][]byte{{{0}}}
	}
	return res
}

// source is where read-before-write operations read: the transaction's
// locked partition, or the store.
func (c *bindCtx) source() layout.Source {
	if c.src != nil {
		return c.src
	}
	return c.env.Store
}

// partitionSource serves reads of the one partition a transaction holds
// locked (layout.ReadList for the list operations that read first).
type partitionSource struct{ p *store.Partition }

func (s partitionSource) ReadPartition(_ *schema.Table, key []byte, fn func(*store.Partition)) error {
	if bytes.Equal(key, s.p.Key) {
		fn(s.p)
	}
	return nil
}

func (s partitionSource) ScanPartitions(*schema.Table, store.PartitionRange, func(*store.Partition) bool) error {
	return &Error{Code: CodeServer, Message: "a lightweight transaction reads one partition"}
}
