package layout

import (
	"bytes"
	"fmt"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/store"
)

// Uncompact renames the cells of a COMPACT STORAGE table (or Thrift column
// family) for the table ALTER TABLE ... DROP COMPACT STORAGE makes of it:
// the same columns (CFMetaData.asNonCompact), now compound and sparse. In
// 3.11 the storage engine's rows do not depend on the flags, so the data
// simply reads as the new table; the 2.x cells here are named after the
// layout, so the change renames them:
//
//   - StaticCompact: a cell named after a declared column becomes that
//     (now static) column's static cell; any other cell, a Thrift
//     "dynamic" column, becomes the row whose clustering value is its name,
//     with the value in the value column (column1 and value, which were
//     hidden, now show);
//   - DenseSimple and DenseCompound: the cell named after the clustering
//     becomes the value column's cell of that row (the value column of a
//     table declared with key columns only, of type empty, now shows).
//
// Deletions follow: range tombstones over names become range tombstones
// over the rows (and tombstones of the declared columns they covered).
type Uncompact struct {
	// Shape is the layout before: StaticCompact, DenseSimple or
	// DenseCompound.
	Shape Shape
	// Clustering is the number of clustering columns (1 for StaticCompact:
	// column1).
	Clustering int
	// Declared are the name bytes of a StaticCompact table's declared
	// columns; Comparator orders its names.
	Declared   [][]byte
	Comparator codec.Type
	// Value is the name bytes of the value column.
	Value []byte
}

// Ops returns ops renamed for the sparse table. A cell of a DenseCompound
// table whose name holds fewer components than clustering columns (a row
// with trailing clustering values left null, which only COMPACT STORAGE
// allows) has no name in the sparse table and is dropped.
func (u *Uncompact) Ops(ops []store.Op) ([]store.Op, error) {
	switch u.Shape {
	case StaticCompact, DenseSimple, DenseCompound:
	default:
		return nil, fmt.Errorf("layout: cannot uncompact a %s table", u.Shape)
	}
	out := make([]store.Op, 0, len(ops))
	for _, op := range ops {
		if len(op.Super) > 0 {
			return nil, fmt.Errorf("layout: a super column in a %s table", u.Shape)
		}
		switch op.Kind {
		case store.OpPut, store.OpDeleteColumn, store.OpAddCounter:
			name, ok := u.cellName(op.Name)
			if !ok {
				continue
			}
			op.Name = name
			out = append(out, op)
		case store.OpDeleteRange:
			out = u.rangeOps(out, op)
		default:
			out = append(out, op)
		}
	}
	return out, nil
}

func (u *Uncompact) declared(name []byte) bool {
	for _, d := range u.Declared {
		if bytes.Equal(d, name) {
			return true
		}
	}
	return false
}

// staticName is the sparse static cell of column col.
func (u *Uncompact) staticName(col []byte) []byte {
	b := []byte{0xff, 0xff}
	for i := 0; i < u.Clustering; i++ {
		b = append(b, 0, 0, 0)
	}
	return appendComponent(b, col, eocNone)
}

func (u *Uncompact) cellName(name []byte) ([]byte, bool) {
	switch u.Shape {
	case StaticCompact:
		if u.declared(name) {
			return u.staticName(name), true
		}
		return appendComponent(appendComponent(nil, name, eocNone), u.Value, eocNone), true
	case DenseSimple:
		return appendComponent(appendComponent(nil, name, eocNone), u.Value, eocNone), true
	}
	// DenseCompound: the clustering components, EOC 0, then the column.
	var out []byte
	rest, n := name, 0
	for len(rest) > 0 {
		v, _, r, ok := readComponent(rest)
		if !ok {
			return nil, false
		}
		out, rest, n = appendComponent(out, v, eocNone), r, n+1
	}
	if n != u.Clustering {
		return nil, false
	}
	return appendComponent(out, u.Value, eocNone), true
}

// rangeOps renames a range tombstone over names.
func (u *Uncompact) rangeOps(out []store.Op, op store.Op) []store.Op {
	if u.Shape == DenseCompound {
		// Bounds are clustering prefixes already; a finish ending on EOC
		// 0 named the row itself, which now sorts after it.
		if n := len(op.Finish); n > 0 && op.Finish[n-1] == 0 && !op.FinishExclusive {
			op.Finish = append(bytes.Clone(op.Finish[:n-1]), byte(eocEnd))
		}
		return append(out, op)
	}
	rows := op
	if len(op.Start) > 0 {
		e := eocStart
		if op.StartExclusive {
			e = eocEnd
		}
		rows.Start, rows.StartExclusive = appendComponent(nil, op.Start, e), false
	} else if u.Shape == StaticCompact {
		// After the static cells (Layout.afterStatics).
		b := []byte{0xff, 0xff}
		for i := 0; i < u.Clustering; i++ {
			b = append(b, 0, 0, 0)
		}
		b[len(b)-1] = byte(eocEnd)
		rows.Start = b
	}
	if len(op.Finish) > 0 {
		e := eocEnd
		if op.FinishExclusive {
			e = eocStart
		}
		rows.Finish, rows.FinishExclusive = appendComponent(nil, op.Finish, e), false
	}
	out = append(out, rows)
	if u.Shape != StaticCompact {
		return out
	}
	// The declared columns the range covered: tombstones of their static
	// cells at the range's time.
	for _, d := range u.Declared {
		if len(op.Start) > 0 {
			c := u.Comparator.Compare(d, op.Start)
			if c < 0 || c == 0 && op.StartExclusive {
				continue
			}
		}
		if len(op.Finish) > 0 {
			c := u.Comparator.Compare(d, op.Finish)
			if c > 0 || c == 0 && op.FinishExclusive {
				continue
			}
		}
		out = append(out, store.Op{Kind: store.OpDeleteColumn, Name: u.staticName(d), Timestamp: op.Timestamp, LocalTime: op.LocalTime})
	}
	return out
}
