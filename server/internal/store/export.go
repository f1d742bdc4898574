package store

import (
	"github.com/cassa-go/cassa/server/internal/schema"
)

// Export calls fn with one RowMutation per stored row of table t that,
// applied with Apply to an empty table of the same definition, rebuilds
// the row exactly: its row, super-column and range tombstones, its cells
// (live, expiring, expired and deleted, with their timestamps, TTLs and
// local times) and its counters as one delta each. A snapshot is the
// exports of every table; restoring it is Apply of each mutation.
//
// Each row is read under its own lock, so every row comes out whole; rows
// written while the export runs may or may not be included, so a caller
// that needs one consistent point holds writes off meanwhile. The Ops of a
// mutation are fresh; fn may keep them. An error from fn stops the export.
func (s *Store) Export(t *schema.Table, fn func(RowMutation) error) error {
	tb, err := s.table(t)
	if err != nil {
		return err
	}
	tb.mu.RLock()
	rows := make([]*row, 0, tb.rows.Len())
	tb.rows.Ascend(func(r *row) bool {
		rows = append(rows, r)
		return true
	})
	super := tb.def.Super
	tb.mu.RUnlock()
	for _, r := range rows {
		r.mu.RLock()
		ops := exportRow(r, super)
		r.mu.RUnlock()
		if len(ops) == 0 {
			continue
		}
		m := NewRowMutation(t, r.key, ops...)
		if err := fn(m); err != nil {
			return err
		}
	}
	return nil
}

// exportRow lists ops that rebuild r: deletions first (so that applying
// them cannot shadow the cells that follow, which the row invariant says
// are not shadowed), then cells. The caller holds r.
func exportRow(r *row, super bool) []Op {
	n := 1 + r.cs.rts.len() + r.srts.len()
	if r.cs.cells != nil {
		n += r.cs.cells.Len()
	}
	ops := make([]Op, 0, n) // one allocation for a standard row
	if r.del.set {
		ops = append(ops, Op{Kind: OpDeleteRow, Timestamp: r.del.at, LocalTime: r.del.ldt})
	}
	if !super {
		return exportCells(ops, nil, &r.cs)
	}
	r.srts.each(func(rt *rangeTombstone) { ops = append(ops, rangeOp(nil, rt)) })
	if r.supers != nil {
		r.supers.Ascend(func(sc *superCol) bool {
			if sc.del.set {
				ops = append(ops, Op{Kind: OpDeleteSuper, Super: sc.name, Timestamp: sc.del.at, LocalTime: sc.del.ldt})
			}
			ops = exportCells(ops, sc.name, &sc.cs)
			return true
		})
	}
	return ops
}

func rangeOp(super []byte, rt *rangeTombstone) Op {
	return Op{Kind: OpDeleteRange, Super: super, Start: rt.start, Finish: rt.finish,
		StartExclusive: rt.startExcl, FinishExclusive: rt.finishExcl, Timestamp: rt.del.at, LocalTime: rt.del.ldt}
}

// exportCells appends the range tombstones and cells of one cell set.
func exportCells(ops []Op, super []byte, cs *cellSet) []Op {
	cs.rts.each(func(rt *rangeTombstone) { ops = append(ops, rangeOp(super, rt)) })
	if cs.cells == nil {
		return ops
	}
	cs.cells.Ascend(func(c *cell) bool {
		switch c.kind {
		case kindValue:
			op := Op{Kind: OpPut, Super: super, Name: c.name, Value: c.value, Timestamp: c.ts, TTL: c.ttl}
			if c.ttl > 0 {
				op.LocalTime = c.ldt - int64(c.ttl) // newValueCell adds it back
			}
			ops = append(ops, op)
		case kindTombstone:
			ops = append(ops, Op{Kind: OpDeleteColumn, Super: super, Name: c.name, Timestamp: c.ts, LocalTime: c.ldt})
		case kindCounter:
			ops = append(ops, Op{Kind: OpAddCounter, Super: super, Name: c.name, Timestamp: c.ts, Delta: c.count})
		}
		return true
	})
	return ops
}
