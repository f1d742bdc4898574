package cqlquery

import (
	"bytes"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/layout"
)

// Building result rows (Selection.ResultSetBuilder with its
// AggregationSpecification and GroupMaker): one row per read row, or, for
// an aggregate selection or a GROUP BY, one row per group. Without GROUP
// BY the group is the whole result, and there is always one row; with it,
// a group is the rows sharing the partition key and the first n
// clustering values. Selectors that aggregate keep a state per group;
// the others take the group's first row's values.

// aggregate reports a selector whose value is computed over a group: an
// aggregate function, or a function of aggregates.
func (s *selector) aggregate() bool {
	if s.kind == sAgg {
		return true
	}
	for _, a := range s.args {
		if a != nil && a.aggregate() {
			return true
		}
	}
	return false
}

// aggState is a selector's state over one group.
type aggState struct {
	sel  *selector
	agg  aggregator  // sAgg
	args []*aggState // a function of aggregates: its arguments' states
}

func newAggState(s *selector) *aggState {
	if s.kind == sAgg {
		return &aggState{sel: s, agg: s.fn.newAgg()}
	}
	st := &aggState{sel: s, args: make([]*aggState, len(s.args))}
	for i, a := range s.args {
		if a.aggregate() {
			st.args[i] = newAggState(a)
		}
	}
	return st
}

func (st *aggState) add(c *bindCtx, row *layout.Row) error {
	if st.agg != nil {
		args := make([][]byte, len(st.sel.args))
		for i, a := range st.sel.args {
			v, err := a.eval(c, row)
			if err != nil {
				return err
			}
			args[i] = v
		}
		return st.agg.add(args)
	}
	for _, a := range st.args {
		if a != nil {
			if err := a.add(c, row); err != nil {
				return err
			}
		}
	}
	return nil
}

func (st *aggState) result(c *bindCtx) ([]byte, error) {
	if st.agg != nil {
		return st.agg.result(), nil
	}
	args := make([][]byte, len(st.args))
	for i, a := range st.args {
		if a == nil {
			// A constant next to aggregates (3.11 refuses other
			// mixtures when preparing).
			if st.sel.args[i].kind == sTerm {
				args[i] = st.sel.args[i].val
			}
			continue
		}
		v, err := a.result(c)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	switch st.sel.kind {
	case sField:
		return fieldOf(args[0], st.sel.field, st.sel.nfields), nil
	case sCall:
		return st.sel.fn.exec(c, args)
	}
	return nil, nil
}

// rowBuilder turns read rows into result rows.
type rowBuilder struct {
	c    *bindCtx
	sel  *selection
	rows [][][]byte
	// grouped: an aggregate selection or a GROUP BY; groupBy is the
	// clustering prefix of a GROUP BY, -1 without one.
	grouped bool
	groupBy int
	ckTypes []codec.Type

	open     bool     // a group is being built
	key      []byte   // its partition key
	prefix   [][]byte // its clustering prefix
	first    [][]byte // its first row's values of the plain selectors
	states   []*aggState
	groups   int // groups completed
	inserted bool
}

// newRowBuilder builds rows for sel; groupBy is the GROUP BY clustering
// prefix size, -1 without GROUP BY.
func newRowBuilder(c *bindCtx, sel *selection, groupBy int, tb *table) *rowBuilder {
	b := &rowBuilder{c: c, sel: sel, groupBy: groupBy, grouped: sel.aggregate || groupBy >= 0}
	if groupBy > 0 {
		for _, col := range tb.ck[:groupBy] {
			b.ckTypes = append(b.ckTypes, col.typ)
		}
	}
	return b
}

// newGroup reports whether row starts another group than the open one.
func (b *rowBuilder) newGroup(row *layout.Row) bool {
	if !b.open || b.groupBy < 0 {
		return !b.open
	}
	if !bytes.Equal(b.key, row.Key) {
		return true
	}
	for i, t := range b.ckTypes {
		var v []byte
		if i < len(row.Clustering) {
			v = row.Clustering[i]
		}
		w := b.prefix[i]
		if (v == nil) != (w == nil) || (v != nil && t.Compare(v, w) != 0) {
			return true
		}
	}
	return false
}

// add feeds one accepted row; with groups, the caller closes the open
// group first when newGroup says so.
func (b *rowBuilder) add(row *layout.Row) error {
	if !b.grouped {
		out := make([][]byte, len(b.sel.sels))
		for i, s := range b.sel.sels {
			v, err := s.eval(b.c, row)
			if err != nil {
				return err
			}
			if v != nil {
				v = append(make([]byte, 0, len(v)), v...)
			}
			out[i] = v
		}
		b.rows = append(b.rows, out)
		return nil
	}
	if !b.open {
		b.open = true
		b.key = append(b.key[:0], row.Key...)
		b.prefix = b.prefix[:0]
		for i := range b.ckTypes {
			var v []byte
			if i < len(row.Clustering) && row.Clustering[i] != nil {
				v = append([]byte{}, row.Clustering[i]...)
			}
			b.prefix = append(b.prefix, v)
		}
		b.first = make([][]byte, len(b.sel.sels))
		b.states = make([]*aggState, len(b.sel.sels))
		for i, s := range b.sel.sels {
			if s.aggregate() {
				b.states[i] = newAggState(s)
				continue
			}
			v, err := s.eval(b.c, row)
			if err != nil {
				return err
			}
			if v != nil {
				v = append([]byte{}, v...)
			}
			b.first[i] = v
		}
	}
	for _, st := range b.states {
		if st != nil {
			if err := st.add(b.c, row); err != nil {
				return err
			}
		}
	}
	return nil
}

// closeGroup emits the open group's row.
func (b *rowBuilder) closeGroup() error {
	if !b.open {
		return nil
	}
	b.open = false
	out := make([][]byte, len(b.sel.sels))
	for i := range b.sel.sels {
		if st := b.states[i]; st != nil {
			v, err := st.result(b.c)
			if err != nil {
				return err
			}
			out[i] = v
			continue
		}
		out[i] = b.first[i]
	}
	b.rows = append(b.rows, out)
	b.groups++
	return nil
}

// finish returns the result rows: an aggregate selection without GROUP
// BY always gives one row, even over no rows at all.
func (b *rowBuilder) finish() ([][][]byte, error) {
	if !b.grouped {
		return b.rows, nil
	}
	if b.open {
		if err := b.closeGroup(); err != nil {
			return nil, err
		}
	} else if b.groupBy < 0 && b.groups == 0 {
		out := make([][]byte, len(b.sel.sels))
		for i, s := range b.sel.sels {
			if s.aggregate() {
				v, err := newAggState(s).result(b.c)
				if err != nil {
					return nil, err
				}
				out[i] = v
			}
		}
		b.rows = append(b.rows, out)
	}
	return b.rows, nil
}
