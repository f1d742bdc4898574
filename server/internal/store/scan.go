package store

import (
	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
	"math"
)

// scanBatch is how many rows a scan visits per hold of the table lock, so
// writers that create rows are never held up for a whole scan.
const scanBatch = 64

// segment is a contiguous run of the ring in scan order: rows r with
// from <= r (from nil: the start of the ring) and r <= to (to nil: the end).
// Pivots with bound -1/+1 stand before/after every key of a token.
type segment struct {
	from, to *row
	// fromExcl and toExcl leave out the rows equal to from and to.
	fromExcl, toExcl bool
}

// segments translates a KeyRange into ring segments, as CassandraServer's
// get_range_slices and StorageProxy.getRangeSlice read its bounds:
//   - keys: [start_key, end_key], both inclusive; an empty key is the
//     start (or the end) of the ring;
//   - start_key, end_token: [start_key, every key with token <= end_token];
//     the minimum end token runs to the end of the ring;
//   - tokens: (start, end]; start >= end wraps (rows after start first, then
//     from the start of the ring), start == end is the whole ring, and the
//     minimum end token means "to the end" without wrapping.
func (s *Store) segments(kr *thriftgen.KeyRange) ([]segment, bool, error) {
	p := s.part
	min := p.MinToken()
	parse := func(str string) (partitioner.Token, error) {
		tok, err := p.ParseToken(str)
		if err != nil {
			return nil, &InvalidError{Why: err.Error()}
		}
		return tok, nil
	}
	var from *row
	startKey := false
	switch {
	case kr.StartToken != nil:
		st, err := parse(*kr.StartToken)
		if err != nil {
			return nil, false, err
		}
		from = &row{token: st, bound: +1}
	case len(kr.StartKey) > 0:
		from = &row{key: kr.StartKey, token: p.Token(kr.StartKey)}
		startKey = true
	}
	var to *row
	switch {
	case kr.EndToken != nil:
		et, err := parse(*kr.EndToken)
		if err != nil {
			return nil, false, err
		}
		if et.Compare(min) != 0 {
			to = &row{token: et, bound: +1}
		}
	case len(kr.EndKey) > 0:
		to = &row{key: kr.EndKey, token: p.Token(kr.EndKey)}
	}
	if kr.StartToken != nil && to != nil && kr.EndToken != nil && from.token.Compare(to.token) >= 0 {
		// A wrapping token range: after start to the end, then the start of
		// the ring up to end.
		return []segment{{from: from, to: nil}, {from: nil, to: to}}, false, nil
	}
	if from != nil && to != nil && rowLess(to, from) {
		return nil, startKey, nil // empty: validation normally rejects it
	}
	return []segment{{from: from, to: to}}, startKey, nil
}

// scan calls f on every row of the segments in ring order, holding the table
// lock shared and the row's lock shared during each call, until f returns
// false. It takes the table lock for scanBatch rows at a time, so memory and
// lock hold times follow the page, not the table.
func (tb *table) scan(segs []segment, f func(r *row) bool) {
	for _, sg := range segs {
		cursor := sg.from
		skipCursor := sg.fromExcl && cursor != nil
		for {
			n := 0
			done := true
			stopAll := false
			var last *row
			visit := func(r *row) bool {
				if skipCursor && !rowLess(cursor, r) {
					return true
				}
				if sg.to != nil && (rowLess(sg.to, r) || (sg.toExcl && !rowLess(r, sg.to))) {
					return false
				}
				r.mu.RLock()
				ok := f(r)
				r.mu.RUnlock()
				last = r
				if !ok {
					stopAll = true
					return false
				}
				n++
				if n >= scanBatch {
					done = false
					return false
				}
				return true
			}
			tb.mu.RLock()
			if cursor == nil {
				tb.rows.Ascend(visit)
			} else {
				tb.rows.AscendGreaterOrEqual(cursor, visit)
			}
			tb.mu.RUnlock()
			if stopAll {
				return
			}
			if done {
				break
			}
			// Resume after the last row; it may be gone by then, so search
			// by its position rather than by identity.
			cursor = &row{key: last.key, token: last.token}
			skipCursor = true
		}
	}
}

// GetRangeSlices returns, in ring order, a KeySlice for each row of the
// KeyRange that satisfies kr.RowFilter, with the columns pred selects from
// it (as GetSlice does, per row). At most kr.Count rows. Rows that exist only
// as tombstones, or have nothing the predicate selects, come back with no
// columns and count (range ghosts); rows failing the filter are skipped.
func (s *Store) GetRangeSlices(t *schema.Table, super []byte, pred *thriftgen.SlicePredicate, kr *thriftgen.KeyRange) ([]*thriftgen.KeySlice, error) {
	tb, err := s.table(t)
	if err != nil {
		return nil, err
	}
	out := []*thriftgen.KeySlice{}
	if kr == nil || kr.Count <= 0 {
		return out, nil
	}
	segs, _, err := s.segments(kr)
	if err != nil {
		return nil, err
	}
	now := s.nowSec()
	tb.scan(segs, func(r *row) bool {
		if len(kr.RowFilter) > 0 && !tb.matches(r, kr.RowFilter, now) {
			return true
		}
		cols := tb.sliceRow(r, super, pred, now, []*thriftgen.ColumnOrSuperColumn{})
		out = append(out, &thriftgen.KeySlice{Key: r.key, Columns: cols})
		return int32(len(out)) < kr.Count
	})
	return out, nil
}

// GetPagedSlice implements get_paged_slice as Cassandra 3.11 does: at most
// kr.Count rows of the range in ring order (range ghosts count, as in
// GetRangeSlices), each with all its columns in comparator order; in the
// row whose key is kr.StartKey (only when the range starts with a key) the
// columns start at startColumn (inclusive, empty: the first). 3.11 passes
// getLimits(range.count, true, Integer.MAX_VALUE): a row limit with no
// column limit (2.x counted columns across rows). RowFilter is ignored
// (the server rejects it). On a super CF the items are whole super
// columns.
func (s *Store) GetPagedSlice(t *schema.Table, kr *thriftgen.KeyRange, startColumn []byte) ([]*thriftgen.KeySlice, error) {
	tb, err := s.table(t)
	if err != nil {
		return nil, err
	}
	out := []*thriftgen.KeySlice{}
	if kr == nil || kr.Count <= 0 {
		return out, nil
	}
	segs, startKey, err := s.segments(kr)
	if err != nil {
		return nil, err
	}
	now := s.nowSec()
	first := true
	tb.scan(segs, func(r *row) bool {
		sr := &thriftgen.SliceRange{Count: math.MaxInt32}
		if first && startKey && string(r.key) == string(kr.StartKey) {
			sr.Start = startColumn
		}
		first = false
		cols := tb.sliceRow(r, nil, &thriftgen.SlicePredicate{SliceRange: sr}, now, []*thriftgen.ColumnOrSuperColumn{})
		out = append(out, &thriftgen.KeySlice{Key: r.key, Columns: cols})
		return int32(len(out)) < kr.Count
	})
	return out, nil
}

// GetIndexedSlices implements get_indexed_slices: rows from clause.StartKey
// (inclusive; empty: the start of the ring) to the end of the ring, in ring
// order, that satisfy every expression, at most clause.Count of them, each
// with the columns pred selects. The first EQ expression on an indexed
// column drives the search through its KEYS index; the other expressions
// filter. Without such an expression (validation rejects that) the range is
// scanned and filtered.
func (s *Store) GetIndexedSlices(t *schema.Table, clause *thriftgen.IndexClause, pred *thriftgen.SlicePredicate) ([]*thriftgen.KeySlice, error) {
	tb, err := s.table(t)
	if err != nil {
		return nil, err
	}
	out := []*thriftgen.KeySlice{}
	if clause == nil || clause.Count <= 0 {
		return out, nil
	}
	now := s.nowSec()
	var from *row
	if len(clause.StartKey) > 0 {
		from = &row{key: clause.StartKey, token: s.part.Token(clause.StartKey)}
	}
	emit := func(r *row) bool {
		if !tb.matches(r, clause.Expressions, now) {
			return true
		}
		cols := tb.sliceRow(r, nil, pred, now, []*thriftgen.ColumnOrSuperColumn{})
		out = append(out, &thriftgen.KeySlice{Key: r.key, Columns: cols})
		return int32(len(out)) < clause.Count
	}

	tb.mu.RLock()
	var ix *index
	var value []byte
	for _, e := range clause.Expressions {
		if e != nil && e.Op == thriftgen.IndexOperator_EQ {
			if ix = tb.indexFor(e.ColumnName); ix != nil {
				value = e.Value
				break
			}
		}
	}
	tb.mu.RUnlock()
	if ix == nil {
		tb.scan([]segment{{from: from}}, emit)
		return out, nil
	}

	cursor, skip := from, false
	buf := make([]*row, 0, scanBatch)
	for {
		tb.mu.RLock()
		if ix != tb.indexFor(ix.column) { // redefined meanwhile: start over is not worth it
			tb.mu.RUnlock()
			return out, nil
		}
		buf = ix.candidates(value, cursor, skip, scanBatch, buf[:0])
		more := true
		for _, r := range buf {
			r.mu.RLock()
			more = emit(r)
			r.mu.RUnlock()
			if !more {
				break
			}
		}
		tb.mu.RUnlock()
		if !more || len(buf) < scanBatch {
			return out, nil
		}
		last := buf[len(buf)-1]
		cursor, skip = &row{key: last.key, token: last.token}, true
	}
}
