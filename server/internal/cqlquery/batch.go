package cqlquery

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/store"
)

// BATCH (BatchStatement): validation, one timestamp for the statements
// that set none, the writes applied per partition in one call, and the
// client warnings of 3.11.

// The thresholds of cassandra.yaml's defaults.
const (
	batchSizeWarnThreshold     = 5 * 1024  // batch_size_warn_threshold_in_kb
	batchSizeFailThreshold     = 50 * 1024 // batch_size_fail_threshold_in_kb
	unloggedPartitionsWarnings = 10        // unlogged_batch_across_partitions_warn_threshold
)

type batchStmt struct {
	kind           BatchKind
	stmts          []*modifyStmt
	ts, ttl        term // BATCH USING TIMESTAMP / TTL
	multipleTables bool
	hasConditions  bool // some statement is conditional
}

type batchEntry struct {
	m      *modifyStmt
	values []Value
}

// prepareBatch is BatchStatement.Parsed.prepare.
func prepareBatch(p *prep, st *cqlparse.BatchStmt, session string) (*batchStmt, error) {
	b := &batchStmt{kind: BatchKind(st.Type)}
	var firstKS, firstCF string
	for i, raw := range st.Statements {
		m, tb, err := prepareModification(p, raw, session)
		if err != nil {
			return nil, err
		}
		if m == nil {
			return nil, invalid("Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.")
		}
		if i == 0 {
			firstKS, firstCF = tb.t.Keyspace, tb.t.Name
		} else if tb.t.Keyspace != firstKS || tb.t.Name != firstCF {
			b.multipleTables = true
		}
		b.stmts = append(b.stmts, m)
	}
	var err error
	b.ts, b.ttl, err = usingTerms(p, nil, st.Using, "[batch]", "[batch]")
	if err != nil {
		return nil, err
	}
	return b, b.validate()
}

func (b *batchStmt) isCounter() bool { return b.kind == BatchCounter }
func (b *batchStmt) isLogged() bool  { return b.kind == BatchLogged }

// validate is BatchStatement.validate.
func (b *batchStmt) validate() error {
	b.hasConditions = false
	for _, m := range b.stmts {
		if m.hasConditions() {
			b.hasConditions = true
		}
	}
	if b.ttl != nil {
		return invalid("Global TTL on the BATCH statement is not supported.")
	}
	tsSet := b.ts != nil
	if tsSet && b.hasConditions {
		return invalid("Cannot provide custom timestamp for conditional BATCH")
	}
	if tsSet && b.isCounter() {
		return invalid("Cannot provide custom timestamp for counter BATCH")
	}
	hasCounters, hasNonCounters := false, false
	for _, m := range b.stmts {
		if tsSet && m.counter() {
			return invalid("Cannot provide custom timestamp for a BATCH containing counters")
		}
		if tsSet && m.ts != nil {
			return invalid("Timestamp must be set either on BATCH or individual statements")
		}
		if b.isCounter() && !m.counter() {
			return invalid("Cannot include non-counter statement in a counter batch")
		}
		if b.isLogged() && m.counter() {
			return invalid("Cannot include a counter statement in a logged batch")
		}
		if m.counter() {
			hasCounters = true
		} else {
			hasNonCounters = true
		}
	}
	if hasCounters && hasNonCounters {
		return invalid("Counter and non-counter mutations cannot exist in the same batch")
	}
	if b.hasConditions {
		first := b.stmts[0].tb.t
		for _, m := range b.stmts[1:] {
			if m.tb.t.Keyspace != first.Keyspace || m.tb.t.Name != first.Name {
				return invalid("Batch with conditions cannot span multiple tables")
			}
		}
	}
	return nil
}

// execute is BatchStatement.execute: executeWithConditions or
// executeWithoutConditions.
func (b *batchStmt) execute(ctx context.Context, env *Env, entries []batchEntry, o *Options) (*Result, error) {
	if b.hasConditions {
		return b.executeWithConditions(ctx, env, entries, o)
	}
	counter := b.isCounter() || (len(b.stmts) > 0 && b.stmts[0].counter())
	for _, e := range entries {
		if err := checkWrite(e.m.tb, o, counter); err != nil {
			return nil, err
		}
		if e.m.tb.t.Virtual {
			return nil, invalidf("Modification is not supported by table %s.%s", e.m.tb.t.Keyspace, e.m.tb.t.Name)
		}
	}
	now := writeTimestamp(env, o)
	res := &Result{}
	ms := newMutations(env)
	var zeroGC []string
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c := &bindCtx{env: env, values: e.values, proto: o.ProtocolVersion, cl: o.Consistency}
		if b.isLogged() && e.m.tb.t.Params.GCGraceSeconds == 0 {
			zeroGC = addName(zeroGC, e.m.tb.t.Keyspace+"."+e.m.tb.t.Name)
		}
		ts, err := bindTimestamp(c, b.ts, now)
		if err != nil {
			return nil, err
		}
		wp, err := e.m.bindParams(c, ts)
		if err != nil {
			return nil, err
		}
		if err := e.m.addUpdates(c, ms, wp); err != nil {
			return nil, err
		}
		res.Warnings = append(res.Warnings, c.warnings...)
	}
	if zeroGC != nil {
		res.Warnings = append(res.Warnings, fmt.Sprintf("Executing a LOGGED BATCH on table%s %s, configured with a gc_grace_seconds of 0. The gc_grace_seconds is used to TTL batchlog entries, so setting gc_grace_seconds too low on tables involved in an atomic batch might cause batchlog entries to expire before being replayed.",
			plural(zeroGC), javaSet(zeroGC)))
	}
	muts := ms.rowMutations()
	if w, err := b.verify(env, muts); err != nil {
		return nil, err
	} else {
		res.Warnings = append(res.Warnings, w...)
	}
	for _, e := range entries {
		if err := available(env, e.m.tb, o.Consistency); err != nil {
			return nil, err
		}
	}
	if len(muts) > 0 {
		if err := env.Write(muts); err != nil {
			return nil, toError(err)
		}
	}
	return res, nil
}

// verify is verifyBatchSize and verifyBatchType: the size warning (and
// failure) for batches over several partitions, the unlogged batch
// warning.
func (b *batchStmt) verify(env *Env, muts []store.RowMutation) ([]string, error) {
	// A Mutation is every update of one partition key in one keyspace.
	type mk struct{ ks, key string }
	mutations := map[mk]bool{}
	keys := map[string]bool{}
	var tables []string
	for _, m := range muts {
		mutations[mk{m.Keyspace, string(m.Key)}] = true
		keys[string(m.Key)] = true
		tables = addName(tables, m.Keyspace+"."+m.Table)
	}
	var warnings []string
	if len(mutations) > 1 {
		size := 0
		for _, m := range muts {
			size += dataSize(env, m)
		}
		if size > batchSizeWarnThreshold {
			if size > batchSizeFailThreshold {
				return nil, invalid("Batch too large")
			}
			warnings = append(warnings, fmt.Sprintf("Batch for %s is of size %d, exceeding specified threshold of %d by %d.",
				javaSet(tables), size, batchSizeWarnThreshold, size-batchSizeWarnThreshold))
		}
	}
	if !b.isLogged() && len(mutations) > 1 && len(keys) > unloggedPartitionsWarnings {
		warnings = append(warnings, fmt.Sprintf("Unlogged batch covering %d partitions detected against table%s %s. You should use a logged batch for atomicity, or asynchronous writes for performance.",
			len(keys), plural(tables), javaSet(tables)))
	}
	return warnings, nil
}

// dataSize is PartitionUpdate.dataSize of a row mutation: for every row
// of the update (not the static row), the bytes of its clustering values,
// and for every cell 8 + 4 + 4 bytes (timestamp, TTL, local deletion time)
// plus its value and cell path, with 12 more for every complex
// (non-frozen collection) column of the row, for its complex deletion time.
// A counter update's value is its temporary counter context: a header and
// one local shard, 36 bytes. Row markers, row, range and partition
// deletions have no size of their own, but a row deletion makes its row
// part of the update.
func dataSize(env *Env, m store.RowMutation) int {
	t := env.Catalog().Table(m.Keyspace, m.Table)
	if t == nil {
		return 0
	}
	tb, err := env.tableOf(t)
	if err != nil {
		return 0
	}
	size := 0
	rows := map[string]bool{}
	complexCols := map[string]bool{}
	cells := map[string]bool{}
	row := func(ck [][]byte) string {
		id := ""
		n := 0
		for _, v := range ck {
			id += string(rune(len(v))) + string(v)
			n += len(v)
		}
		if !rows[id] {
			rows[id] = true
			size += n
		}
		return id
	}
	complexCol := func(rowID string, col *layout.Column) {
		if k := rowID + "\x00" + col.Name; !complexCols[k] {
			complexCols[k] = true
			size += 12
		}
	}
	for _, op := range m.Ops {
		switch op.Kind {
		case store.OpPut, store.OpDeleteColumn, store.OpAddCounter:
		case store.OpDeleteRange:
			if k, ck, col, ok := rangeShape(tb, op); ok && k != rangeStatic {
				id := row(ck)
				if k == rangeComplex {
					complexCol(id, col)
				}
			}
			continue
		default:
			continue
		}
		n, err := tb.lay.DecodeName(op.Super, op.Name)
		if err != nil || n.Static {
			continue
		}
		id := row(n.Clustering)
		if n.Marker {
			continue
		}
		if n.Column != nil && n.Column.Collection != layout.NotCollection {
			complexCol(id, n.Column)
		}
		key := string(op.Super) + "\x00" + string(op.Name)
		if cells[key] {
			continue // merged into one cell of the update
		}
		cells[key] = true
		size += 16 + len(op.Value) + len(n.Element)
		if op.Kind == store.OpAddCounter {
			size += 36
		}
	}
	return size
}

type rangeKind uint8

const (
	rangeStatic  rangeKind = iota + 1 // a static collection's deletion
	rangeRow                          // a row deletion
	rangeComplex                      // a collection's deletion in a row
)

// rangeShape tells what a range tombstone of a CQL table stands for: a
// row deletion, a collection's complex deletion, or (ok false) a range
// of rows.
func rangeShape(tb *table, op store.Op) (rangeKind, [][]byte, *layout.Column, bool) {
	if tb.lay.Shape() != layout.Sparse || len(op.Super) > 0 {
		return 0, nil, nil, false
	}
	split := func(b []byte) (static bool, comps [][]byte) {
		if len(b) >= 2 && b[0] == 0xff && b[1] == 0xff {
			static, b = true, b[2:]
		}
		for len(b) >= 3 {
			n := int(b[0])<<8 | int(b[1])
			if len(b) < 3+n {
				return static, nil
			}
			comps, b = append(comps, b[2:2+n]), b[3+n:]
		}
		return static, comps
	}
	ss, start := split(op.Start)
	_, finish := split(op.Finish)
	nck := len(tb.ck)
	switch {
	case ss:
		return rangeStatic, nil, nil, true
	case len(start) == nck+1 && len(finish) == nck+1:
		col := tb.lay.Column(string(start[nck]))
		for _, c := range tb.cols {
			if string(c.def.NameBytes) == string(start[nck]) {
				col = c.lc
			}
		}
		if col == nil {
			return 0, nil, nil, false
		}
		return rangeComplex, start[:nck], col, true
	case len(start) == nck && len(finish) == nck && nck > 0:
		for i := range start {
			if string(start[i]) != string(finish[i]) {
				return 0, nil, nil, false
			}
		}
		return rangeRow, start, nil, true
	}
	return 0, nil, nil, false
}

// javaSet renders a set of names as Java prints the HashSet<String> 3.11
// collects them in (AbstractCollection.toString): in HashMap bucket order
// (String.hashCode spread by HashMap.hash, a table of 16 buckets doubled
// past three quarters full), names of one bucket in insertion order.
func javaSet(names []string) string {
	n := 16
	for 4*len(names) > 3*n {
		n *= 2
	}
	buckets := make([][]string, n)
	for _, s := range names {
		var h uint32
		for _, u := range utf16.Encode([]rune(s)) {
			h = 31*h + uint32(u)
		}
		h ^= h >> 16
		b := h & uint32(n-1)
		buckets[b] = append(buckets[b], s)
	}
	var out []string
	for _, b := range buckets {
		out = append(out, b...)
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// addName adds n to a set of names kept in insertion order.
func addName(names []string, n string) []string {
	for _, x := range names {
		if x == n {
			return names
		}
	}
	return append(names, n)
}

func plural(names []string) string {
	if len(names) == 1 {
		return ""
	}
	return "s"
}

// executeWithConditions is BatchStatement.executeWithConditions and its
// makeCasRequest: every statement on one partition of one table, each
// conditional one adding its conditions on its row, all applied together
// when every condition holds.
func (b *batchStmt) executeWithConditions(ctx context.Context, env *Env, entries []batchEntry, o *Options) (*Result, error) {
	for _, e := range entries {
		if e.m.tb.t.Virtual {
			return nil, invalidf("Modification is not supported by table %s.%s", e.m.tb.t.Keyspace, e.m.tb.t.Name)
		}
	}
	var req *casRequest
	cols := []*column{} // the LinkedHashSet; nil once a statement is IF [NOT] EXISTS
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m := e.m
		c := &bindCtx{env: env, values: e.values, proto: o.ProtocolVersion, cl: o.Consistency}
		keys, err := m.w.partitionKeys(c)
		if err != nil {
			return nil, err
		}
		if m.w.pk.hasIN() || len(keys) != 1 {
			return nil, &Error{Code: CodeServer, Message: "java.lang.IllegalArgumentException: Batch with conditions cannot span multiple partitions (you cannot use IN on the partition key)"}
		}
		if req == nil {
			req = newCASRequest(m.tb, keys[0])
			for _, x := range entries {
				req.updatesRegular = req.updatesRegular || x.m.updatesRegularRows()
				if x.m.hasConditions() {
					req.updatesStatic = req.updatesStatic || len(x.m.static) > 0
					req.noteConditionColumns(x.m)
				}
			}
		} else if !bytes.Equal(req.key, keys[0]) {
			return nil, invalid("Batch with conditions cannot span multiple partitions")
		}
		if m.w.ck.set.hasIN() {
			return nil, invalidf("IN on the clustering key columns is not supported with conditional %s", m.casVerb())
		}
		if !m.hasSlices() {
			ck, err := m.casClustering(c)
			if err != nil {
				return nil, err
			}
			if m.hasConditions() {
				if err := req.addConditions(m, ck, c); err != nil {
					return nil, err
				}
				if m.cond.isExists() {
					cols = nil
				} else if cols != nil {
					cols = append(cols, m.cond.columns()...)
				}
			}
		}
		req.updates = append(req.updates, casUpdate{m: m, c: c})
	}
	if req == nil {
		return &Result{}, nil
	}
	return req.run(env, o, cols, true)
}
