package store

import (
	"bytes"
	"encoding/binary"
	"sync"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/btree"
)

// index is a KEYS secondary index on one column: entries (value, row) ordered
// by the column's validator, then in ring order of the row, as Cassandra
// stores a KEYS index row per value with the base keys in partitioner order.
//
// Writes keep it exact (overwrite, delete, range and row deletions); only
// expiry leaves an entry behind, which the read path tolerates because it
// checks every candidate row against the expressions, and which purge and
// the next write of the row remove.
type index struct {
	column    []byte
	name      string
	class     string // validator class, to notice redefinitions
	validator codec.Type

	mu      sync.RWMutex
	entries *btree.BTreeG[indexEntry]
}

type indexEntry struct {
	value []byte
	r     *row
	// bound places a pivot before (-1) every row of value.
	bound int8
}

func newIndex(col *schema.Column, def *schema.Table) *index {
	v := col.Validator
	if v == nil {
		v = def.DefaultValidator
	}
	if v == nil {
		v = bytesOrder{}
	}
	ix := &index{column: col.Name, validator: v}
	if col.Index != nil {
		ix.name = col.Index.Name
	}
	ix.class = classOf(v)
	ix.entries = btree.NewG(rowDegree, func(a, b indexEntry) bool {
		if c := v.Compare(a.value, b.value); c != 0 {
			return c < 0
		}
		if a.bound != 0 || b.bound != 0 {
			return a.bound < b.bound
		}
		return rowLess(a.r, b.r)
	})
	return ix
}

func classOf(t codec.Type) string { return t.Class() }

// buildIndexDefs returns empty indexes for the indexed columns of t. Super
// CFs cannot have secondary indexes.
func buildIndexDefs(t *schema.Table) []*index {
	if t.Super {
		return nil
	}
	var out []*index
	for _, col := range t.Columns {
		if col != nil && col.Index != nil {
			out = append(out, newIndex(col, t))
		}
	}
	return out
}

func sameIndexDefs(a, b []*index) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i].column, b[i].column) || a[i].name != b[i].name || a[i].class != b[i].class {
			return false
		}
	}
	return true
}

func (ix *index) clear() {
	ix.mu.Lock()
	ix.entries.Clear(false)
	ix.mu.Unlock()
}

func (ix *index) add(value []byte, r *row) {
	ix.mu.Lock()
	ix.entries.ReplaceOrInsert(indexEntry{value: value, r: r})
	ix.mu.Unlock()
}

func (ix *index) remove(value []byte, r *row) {
	ix.mu.Lock()
	ix.entries.Delete(indexEntry{value: value, r: r})
	ix.mu.Unlock()
}

// candidates returns up to n rows indexed under value, in ring order,
// starting at from (nil: the start of the ring; inclusive unless skipFrom).
func (ix *index) candidates(value []byte, from *row, skipFrom bool, n int, out []*row) []*row {
	pivot := indexEntry{value: value, bound: -1}
	if from != nil {
		pivot = indexEntry{value: value, r: from}
	}
	ix.mu.RLock()
	ix.entries.AscendGreaterOrEqual(pivot, func(e indexEntry) bool {
		if ix.validator.Compare(e.value, value) != 0 {
			return false
		}
		if skipFrom && from != nil && !rowLess(from, e.r) {
			return true
		}
		out = append(out, e.r)
		return len(out) < n
	})
	ix.mu.RUnlock()
	return out
}

// reindex brings every index in line with r's live values. The caller holds
// r exclusively (or the table exclusively).
func (tb *table) reindex(r *row, now int64) {
	for _, ix := range tb.indexes {
		var live []byte
		ok := false
		if c := r.cs.get(ix.column); c != nil && c.kind == kindValue && c.live(now) {
			live, ok = c.value, true
		}
		old, had := r.indexed[string(ix.column)]
		if had && ok && bytes.Equal(old, live) {
			continue
		}
		if had {
			ix.remove(old, r)
			delete(r.indexed, string(ix.column))
		}
		if ok {
			ix.add(live, r)
			if r.indexed == nil {
				r.indexed = make(map[string][]byte, len(tb.indexes))
			}
			r.indexed[string(ix.column)] = live
		}
	}
}

// indexFor returns the index on column name, or nil.
func (tb *table) indexFor(name []byte) *index {
	for _, ix := range tb.indexes {
		if tb.cmp.Compare(ix.column, name) == 0 {
			return ix
		}
	}
	return nil
}

// validatorFor returns the type that compares values of column name in index
// expressions: its ColumnDef validator, else the default validator.
func (tb *table) validatorFor(name []byte) codec.Type {
	for _, col := range tb.def.Columns {
		if col != nil && col.Validator != nil && tb.cmp.Compare(col.Name, name) == 0 {
			return col.Validator
		}
	}
	if tb.def.DefaultValidator != nil {
		return tb.def.DefaultValidator
	}
	return bytesOrder{}
}

// matches reports whether r satisfies every expression: each names a live
// cell whose value compares to the expression value as the operator asks.
// A missing or dead column never matches. The caller holds r.
func (tb *table) matches(r *row, exprs []*thriftgen.IndexExpression, now int64) bool {
	if tb.def.Super {
		return false // Thrift cannot index or filter super CFs
	}
	for _, e := range exprs {
		if e == nil {
			continue
		}
		c := r.cs.get(e.ColumnName)
		if c == nil || !c.live(now) {
			return false
		}
		value := c.value
		if c.kind == kindCounter { // CounterColumnType values are 8-byte longs
			value = binary.BigEndian.AppendUint64(nil, uint64(c.count))
		}
		cmp := tb.validatorFor(e.ColumnName).Compare(value, e.Value)
		var ok bool
		switch e.Op {
		case thriftgen.IndexOperator_EQ:
			ok = cmp == 0
		case thriftgen.IndexOperator_GTE:
			ok = cmp >= 0
		case thriftgen.IndexOperator_GT:
			ok = cmp > 0
		case thriftgen.IndexOperator_LTE:
			ok = cmp <= 0
		case thriftgen.IndexOperator_LT:
			ok = cmp < 0
		}
		if !ok {
			return false
		}
	}
	return true
}
