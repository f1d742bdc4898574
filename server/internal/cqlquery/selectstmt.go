package cqlquery

import (
	"context"
	"sort"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// selectStmt is a prepared SELECT (SelectStatement).
type selectStmt struct {
	tb       *table
	w        *where
	sel      *selection
	distinct bool
	allowF   bool
	limit    term // nil: no LIMIT
	ppl      term // PER PARTITION LIMIT
	reversed bool
	// postOrder holds the ORDER BY columns of an IN query, whose rows
	// are sorted after the read.
	postOrder []*column
	columns   []Column // result metadata
	// json is SELECT JSON: each row becomes one JSON object in a single
	// "[json]" text column.
	json bool
	// groupBy is the clustering prefix of GROUP BY, -1 without one.
	groupBy int
}

// prepareSelect is SelectStatement.RawStatement.prepare, in its order.
func prepareSelect(p *prep, tb *table, st *cqlparse.SelectStmt) (*selectStmt, error) {
	sel, err := prepareSelection(p, tb, st.Selectors)
	if err != nil {
		return nil, err
	}
	w, err := buildWhere(p, tb, KindSelect, st.Where, sel.onlyStatic(), sel.complex(), st.AllowFiltering)
	if err != nil {
		return nil, err
	}
	s := &selectStmt{tb: tb, w: w, sel: sel, distinct: st.Distinct, allowF: st.AllowFiltering, columns: sel.resultColumns(), json: st.JSON}
	if st.JSON {
		s.columns = []Column{{Keyspace: tb.t.Keyspace, Table: tb.t.Name, Name: "[json]", Type: codec.UTF8}}
	}
	if st.Distinct {
		if st.PerPartitionLimit != nil {
			return nil, invalid("PER PARTITION LIMIT is not allowed with SELECT DISTINCT queries")
		}
		if err := s.validateDistinct(); err != nil {
			return nil, err
		}
	}
	if s.groupBy, err = s.prepareGroupBy(st.GroupBy, st.Distinct); err != nil {
		return nil, err
	}
	if sel.aggregate && len(st.GroupBy) == 0 && st.PerPartitionLimit != nil {
		return nil, invalid("PER PARTITION LIMIT is not allowed with aggregate queries.")
	}
	if len(st.OrderBy) > 0 {
		if err := s.prepareOrdering(st.OrderBy); err != nil {
			return nil, err
		}
	}
	if !st.AllowFiltering && (w.isKeyRange || w.usesIndex) && w.needFiltering() {
		return nil, invalid(requiresAllowFiltering)
	}
	if st.Limit != nil {
		s.limit, err = p.prepareTerm(st.Limit, &receiver{ks: tb.t.Keyspace, table: tb.t.Name, name: "[limit]", typ: codec.Int32})
		if err != nil {
			return nil, err
		}
	}
	if st.PerPartitionLimit != nil {
		s.ppl, err = p.prepareTerm(st.PerPartitionLimit, &receiver{ks: tb.t.Keyspace, table: tb.t.Name, name: "[per_partition_limit]", typ: codec.Int32})
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

// validateDistinct is SelectStatement.validateDistinctSelection.
func (s *selectStmt) validateDistinct() error {
	w := s.w
	if !w.ck.set.empty() || w.nonPK.has(func(r *restriction) bool { return !r.first().isStatic() }) {
		return invalid("SELECT DISTINCT with WHERE clause only supports restriction by partition key and/or static columns.")
	}
	for _, c := range s.sel.columns {
		if c.kind != schema.PartitionKey && !c.isStatic() {
			return invalidf("SELECT DISTINCT queries must only request partition key columns and/or static columns (not %s)", c.name)
		}
	}
	if !w.isKeyRange {
		return nil
	}
	for _, c := range s.tb.pk {
		found := false
		for _, d := range s.sel.columns {
			if d == c {
				found = true
			}
		}
		if !found {
			return invalidf("SELECT DISTINCT queries must request all the partition key columns (missing %s)", c.name)
		}
	}
	return nil
}

// prepareOrdering is verifyOrderingIsAllowed, getOrderingComparator and
// isReversed.
func (s *selectStmt) prepareOrdering(orderings []cqlparse.Ordering) error {
	if s.w.usesIndex {
		return invalid("ORDER BY with 2ndary indexes is not supported.")
	}
	if s.w.isKeyRange {
		return invalid("ORDER BY is only supported when the partition key is restricted by an EQ or an IN.")
	}
	cols := make([]*column, len(orderings))
	for i, o := range orderings {
		c, err := lookupColumn(s.tb, o.Column)
		if err != nil {
			return err
		}
		cols[i] = c
	}
	reversedMap := make([]*bool, len(s.tb.ck))
	for i, o := range orderings {
		c := cols[i]
		if c.kind != schema.Clustering {
			return invalidf("Order by is currently only supported on the clustered columns of the PRIMARY KEY, got %s", c.name)
		}
		if i != c.pos {
			return invalid("Order by currently only support the ordering of columns following their declared order in the PRIMARY KEY")
		}
		r := o.Desc != c.desc
		reversedMap[c.pos] = &r
	}
	var reversed *bool
	for _, b := range reversedMap {
		if b == nil {
			continue
		}
		if reversed == nil {
			reversed = b
			continue
		}
		if *reversed != *b {
			return invalid("Unsupported order by relation")
		}
	}
	s.reversed = reversed != nil && *reversed
	if s.w.pk.hasIN() {
		s.postOrder = cols
	}
	return nil
}

// bindLimit is SelectStatement.getLimit.
func bindLimit(c *bindCtx, t term) (int, error) {
	if t == nil {
		return 0, nil
	}
	v, err := t.bind(c)
	if err != nil {
		return 0, err
	}
	if v.Unset {
		return 0, nil
	}
	if v.Bytes == nil {
		return 0, invalid("Invalid null value of limit")
	}
	n, err := codec.DecodeInt32(v.Bytes)
	if err != nil || len(v.Bytes) != 4 {
		return 0, invalid("Invalid limit value")
	}
	if n <= 0 {
		return 0, invalid("LIMIT must be strictly positive")
	}
	return int(n), nil
}

// execute runs the SELECT.
func (s *selectStmt) execute(ctx context.Context, c *bindCtx, o *Options) (*Result, error) {
	if err := checkRead(o); err != nil {
		return nil, err
	}
	limit, err := bindLimit(c, s.limit)
	if err != nil {
		return nil, err
	}
	ppl, err := bindLimit(c, s.ppl)
	if err != nil {
		return nil, err
	}
	res := &Result{Columns: s.columns}
	if s.sel.aggregate || s.groupBy >= 0 {
		switch {
		case s.w.pk.empty():
			res.Warnings = append(res.Warnings, "Aggregation query used without partition key")
		case s.w.pk.hasIN():
			res.Warnings = append(res.Warnings, "Aggregation query used on multiple partition keys (IN restriction)")
		}
	}
	paged := o.PageSize > 0 && !s.sel.aggregate && s.groupBy < 0
	if s.postOrder != nil && o.PageSize > 0 {
		return nil, invalid("Cannot page queries with both ORDER BY and a IN restriction on the partition key; you must either remove the ORDER BY or the IN and sort client side, or disable paging for this query")
	}
	q := layout.Query{Reversed: s.reversed, PerPartitionLimit: ppl}
	if s.groupBy >= 0 {
		q.PerPartitionLimit = 0 // counts groups, not rows
	}
	if !s.sel.aggregate && s.groupBy < 0 && s.postOrder == nil {
		q.Limit = limit
	}
	if paged {
		q.PageSize = o.PageSize
	}
	if s.distinct {
		q.PerPartitionLimit, q.StaticRows = 1, true
	} else {
		q.StaticRows = s.w.ck.set.empty() && !s.w.hasRegular
	}
	if !s.w.isKeyRange {
		keys, err := s.w.partitionKeys(c)
		if err != nil {
			return nil, err
		}
		if len(keys) == 0 {
			return s.empty(c, res)
		}
		if len(keys) > 1 && !paged && (o.Consistency == clSerial || o.Consistency == clLocalSerial) {
			// StorageProxy.readWithPaxos; a paged IN query reads its
			// partitions one by one and passes.
			return nil, invalid("SERIAL/LOCAL_SERIAL consistency may only be requested for one partition at a time")
		}
		q.Keys = keys
	} else {
		rg, empty, err := s.w.partitionRange(c)
		if err != nil {
			return nil, err
		}
		if empty {
			return s.empty(c, res)
		}
		q.Range = rg
	}
	if !s.distinct {
		q.Selection, err = s.w.clusteringSelection(c)
		if err != nil {
			return nil, err
		}
	}
	filters, err := s.w.rowFilter(c)
	if err != nil {
		return nil, err
	}
	if paged && len(o.PagingState) > 0 && (limit <= 0 || limit > o.PageSize) {
		st, err := layout.DecodePagingState(o.PagingState)
		if err != nil {
			return nil, toError(err)
		}
		q.State = st
	}
	check := available
	if !s.w.isKeyRange && (o.Consistency == clSerial || o.Consistency == clLocalSerial) {
		check = paxosAvailable // partitions read through Paxos (readWithPaxos)
	}
	if err := check(c.env, s.tb, o.Consistency); err != nil {
		return nil, err
	}
	src, t, err := s.readSource(c, filters)
	if err != nil {
		return nil, err
	}
	if s.groupBy >= 0 {
		return s.executeGrouped(ctx, c, o, q, filters, limit, ppl, res, src, t)
	}
	b := newRowBuilder(c, s.sel, -1, s.tb)
	var sortKeys [][][]byte
	n := 0
	emit := func(r *layout.Row) (bool, error) {
		if n++; n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return false, err
			}
		}
		if len(filters) > 0 && !matches(filters, r) {
			return false, nil
		}
		if s.postOrder != nil && !s.sel.aggregate {
			key := make([][]byte, len(s.postOrder))
			for i, col := range s.postOrder {
				if v := r.Values[col.lc.Index]; v.Set {
					key[i] = append([]byte{}, v.Bytes...)
				}
			}
			sortKeys = append(sortKeys, key)
		}
		return true, b.add(r)
	}
	rr, err := s.tb.lay.Read(src, t, q, emit)
	if err != nil {
		return nil, toError(err)
	}
	rows, err := b.finish()
	if err != nil {
		return nil, err
	}
	if s.postOrder != nil && !s.sel.aggregate {
		rows = s.sortRows(rows, sortKeys)
		if limit > 0 && len(rows) > limit {
			rows = rows[:limit]
		}
	}
	res.Rows = s.output(rows)
	if rr.State != nil && paged {
		res.PagingState = rr.State.Encode()
	}
	return res, nil
}

// sortRows orders the rows of an IN query by the ORDER BY columns.
func (s *selectStmt) sortRows(rows [][][]byte, keys [][][]byte) [][][]byte {
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ka, kb := keys[idx[a]], keys[idx[b]]
		for i, col := range s.postOrder {
			t := col.typ
			if col.desc {
				t = codec.Reversed(t)
			}
			cmp := t.Compare(ka[i], kb[i])
			if s.reversed {
				cmp = -cmp
			}
			if cmp != 0 {
				return cmp < 0
			}
		}
		return false
	})
	out := make([][][]byte, len(rows))
	for i, j := range idx {
		out[i] = rows[j]
	}
	return out
}

// output turns the selected rows into the result's rows: as they are, or
// one JSON object each for SELECT JSON.
func (s *selectStmt) output(rows [][][]byte) [][][]byte {
	if !s.json {
		return rows
	}
	types := make([]codec.Type, len(s.sel.sels))
	for i, sel := range s.sel.sels {
		types[i] = sel.typ
	}
	for i, r := range rows {
		rows[i] = [][]byte{rowToJSON(s.sel.names, types, r)}
	}
	return rows
}

// empty answers a query that reads no partition: no rows, or the one row
// of an aggregate selection without GROUP BY.
func (s *selectStmt) empty(c *bindCtx, res *Result) (*Result, error) {
	rows, err := newRowBuilder(c, s.sel, s.groupBy, s.tb).finish()
	if err != nil {
		return nil, err
	}
	res.Rows = s.output(rows)
	return res, nil
}
