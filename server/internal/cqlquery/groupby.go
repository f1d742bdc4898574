package cqlquery

import (
	"bytes"
	"context"
	"errors"
	"math"

	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// GROUP BY (SelectStatement.getAggregationSpecification, GroupMaker,
// GroupByAwareCounter): groups are the rows sharing the partition key and
// a clustering prefix; LIMIT, PER PARTITION LIMIT and the page size count
// groups; a page ends after its last complete group, and the paging state
// points at that group's last row, so the next page starts with the next
// group.

// prepareGroupBy validates the GROUP BY columns and returns the size of
// the clustering prefix they group on, or -1 without GROUP BY.
func (s *selectStmt) prepareGroupBy(ids []cqlparse.Ident, distinct bool) (int, error) {
	if len(ids) == 0 {
		return -1, nil
	}
	pk := append(append([]*column(nil), s.tb.pk...), s.tb.ck...)
	next, prefix := 0, 0
	for _, id := range ids {
		c, err := lookupColumn(s.tb, id)
		if err != nil {
			return 0, err
		}
		if !c.isPK() {
			return 0, invalidf("Group by is currently only supported on the columns of the PRIMARY KEY, got %s", c.name)
		}
		for {
			if next >= len(pk) {
				return 0, invalid("Group by currently only support groups of columns following their declared order in the PRIMARY KEY")
			}
			p := pk[next]
			next++
			if p.kind == schema.Clustering {
				prefix++
			}
			if p == c {
				break
			}
			if !s.restrictedByEQ(p) {
				return 0, invalid("Group by currently only support groups of columns following their declared order in the PRIMARY KEY")
			}
		}
	}
	if next < len(pk) && pk[next].kind == schema.PartitionKey {
		return 0, invalid("Group by is not supported on only a part of the partition key")
	}
	if prefix > 0 && distinct {
		return 0, invalid("Grouping on clustering columns is not allowed for SELECT DISTINCT queries")
	}
	return prefix, nil
}

// restrictedByEQ is StatementRestrictions.isColumnRestrictedByEq.
func (s *selectStmt) restrictedByEQ(c *column) bool {
	var r *restriction
	if c.kind == schema.PartitionKey {
		r = s.w.pk.set.byCol[c]
	} else {
		r = s.w.ck.set.byCol[c]
	}
	return r != nil && r.isEQ()
}

// errGroupsDone stops a grouped read once its page or LIMIT is full.
var errGroupsDone = errors.New("cqlquery: groups done")

// executeGrouped reads a GROUP BY query: rows are grouped while they are
// read; the read stops when LIMIT groups are done or a page is full.
func (s *selectStmt) executeGrouped(ctx context.Context, c *bindCtx, o *Options, q layout.Query,
	filters []filterExpr, limit, ppl int, res *Result, src layout.Source, t *schema.Table) (*Result, error) {
	pageSize := 0
	if o.PageSize > 0 && s.postOrder == nil {
		pageSize = o.PageSize
	}
	remaining := math.MaxInt32 // groups LIMIT still allows
	if limit > 0 {
		remaining = limit
	}
	var resumeKey []byte
	resumeGroups := 0 // groups the resumed partition already gave
	if pageSize > 0 && len(o.PagingState) > 0 {
		st, err := layout.DecodePagingState(o.PagingState)
		if err != nil {
			return nil, toError(err)
		}
		if st.Remaining <= 0 {
			return s.emptyPage(c, res)
		}
		remaining = int(st.Remaining)
		resumeKey = st.PartitionKey
		if len(q.Keys) == 1 {
			resumeKey = q.Keys[0] // layout.Query.State: one partition resumes in its own
		}
		if ppl > 0 {
			resumeGroups = ppl - int(st.RemainingInPartition)
		}
		if st.RemainingInPartition <= 0 {
			st.RemainingInPartition = 0
		} else {
			st.RemainingInPartition = math.MaxInt32
		}
		q.State, q.PageSize = st, math.MaxInt32
	}
	b := newRowBuilder(c, s.sel, s.groupBy, s.tb)
	var (
		part       []byte // the partition of the current group
		partGroups int
		pageDone   int
		lastKey    []byte
		lastCk     [][]byte
		lastStatic bool
		state      *layout.PagingState
		sortKeys   [][][]byte
		n          int
	)
	// pageState is where the next page starts after the group that ended
	// with the last row read (nil when nothing can follow).
	pageState := func() *layout.PagingState {
		partLeft := math.MaxInt32
		if ppl > 0 {
			partLeft = max(0, ppl-partGroups)
		}
		var mark [][]byte
		if !lastStatic {
			mark = lastCk
		}
		return s.tb.lay.NextPage(&q, lastKey, mark, remaining, partLeft)
	}
	emit := func(r *layout.Row) (bool, error) {
		if n++; n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return false, err
			}
		}
		if len(filters) > 0 && !matches(filters, r) {
			return false, nil
		}
		if b.newGroup(r) {
			if b.open {
				if err := b.closeGroup(); err != nil {
					return false, err
				}
				remaining--
				pageDone++
				if remaining <= 0 {
					return false, errGroupsDone
				}
				if pageSize > 0 && pageDone >= pageSize {
					state = pageState()
					return false, errGroupsDone
				}
			}
			if !bytes.Equal(part, r.Key) {
				part = append(part[:0], r.Key...)
				partGroups = 0
				if resumeKey != nil && bytes.Equal(resumeKey, r.Key) {
					partGroups = resumeGroups
				}
			}
			if ppl > 0 && partGroups >= ppl {
				return false, nil
			}
			partGroups++
			if s.postOrder != nil {
				key := make([][]byte, len(s.postOrder))
				for i, col := range s.postOrder {
					if v := r.Values[col.lc.Index]; v.Set {
						key[i] = append([]byte{}, v.Bytes...)
					}
				}
				sortKeys = append(sortKeys, key)
			}
		}
		if err := b.add(r); err != nil {
			return false, err
		}
		lastKey = append(lastKey[:0], r.Key...)
		lastStatic = r.Static
		lastCk = lastCk[:0]
		for _, v := range r.Clustering {
			lastCk = append(lastCk, append([]byte(nil), v...))
		}
		return false, nil
	}
	_, err := s.tb.lay.Read(src, t, q, emit)
	if err != nil && !errors.Is(err, errGroupsDone) {
		return nil, toError(err)
	}
	if state == nil && b.open {
		if err := b.closeGroup(); err != nil {
			return nil, err
		}
		// A page the last group fills announces more pages, which come
		// empty (the group counter of 3.11's pager reached the page's
		// limit, so the pager is not exhausted).
		remaining--
		if pageDone++; pageSize > 0 && pageDone >= pageSize {
			state = pageState()
		}
	}
	rows := b.rows
	if s.postOrder != nil {
		rows = s.sortRows(rows, sortKeys)
	}
	res.Rows = s.output(rows)
	if state != nil {
		res.PagingState = state.Encode()
	}
	return res, nil
}

// emptyPage answers a page after the last.
func (s *selectStmt) emptyPage(c *bindCtx, res *Result) (*Result, error) {
	res.Rows = [][][]byte{}
	return res, nil
}
