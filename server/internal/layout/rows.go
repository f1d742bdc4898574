package layout

import (
	"bytes"
	"encoding/binary"

	"github.com/cassa-go/cassa/server/internal/store"
)

// Value is one column's value in a Row.
type Value struct {
	// Set is false for null.
	Set bool
	// Bytes is the serialized value; a non-frozen collection's value is
	// assembled from its element cells in the protocol's v3+ format, a
	// counter's is its 8-byte total.
	Bytes []byte
	// Timestamp, TTL and Expiry come from the cell (writetime(), ttl()):
	// TTL is the original time to live (0: none) and Expiry the local time
	// in Unix seconds at which it expires; the remaining TTL is Expiry minus
	// Row.Now. For a collection they are the latest element's.
	Timestamp int64
	TTL       int32
	Expiry    int64
}

// Row is one CQL row of a partition. Values holds every column of the
// layout at Column.Index: the partition key's, the clustering's, the
// statics' (repeated on every row of the partition) and the regular
// columns'. A Row and the bytes it holds are valid only during the
// callback that receives it.
type Row struct {
	// Key is the partition key.
	Key []byte
	// Static marks the row of a partition that has live static cells but
	// no live row: clustering and regular columns are null. Every row of a
	// StaticCompact table is such a row.
	Static bool
	// Clustering holds the clustering values (nil entries for missing ones).
	Clustering [][]byte
	Values     []Value
	// Now is the read's time in Unix seconds, for remaining TTLs.
	Now int64
}

// Assembler turns the live cells of one partition, in comparator order or
// reversed, into CQL rows (the job of 2.2's CQL3Row.Builder and 3.11's
// LegacyLayout on the read path). Static cells are fed first with
// StaticCell; then the row cells with Cell; Finish ends the partition. A
// row exists if its marker or any of its regular cells, collection
// elements included, is live (3.11 row liveness); cells of columns the
// layout does not know (dropped columns, Thrift "dynamic" columns of a
// static compact table) are ignored. An Assembler is reused across
// partitions and is not safe for concurrent use.
type Assembler struct {
	l        *Layout
	reversed bool
	emit     func(*Row) bool

	key      []byte
	keyVals  [][]byte
	now      int64
	row      Row
	name     Name
	statics  []Value
	hasStat  bool
	inRow    bool
	live     bool
	rows     int  // rows emitted in this partition
	stopped  bool // emit said stop
	ck       [][]byte
	elems    [][][]byte // per collection column (by index): element parts
	collCols []*Column
	buf      []byte
	hint     int // where the last column was found in l.named
}

// NewAssembler returns an assembler for rows read in comparator order, or
// reversed. emit receives each row and returns false to stop.
func (l *Layout) NewAssembler(reversed bool, emit func(*Row) bool) *Assembler {
	a := &Assembler{l: l, reversed: reversed, emit: emit}
	a.row.Values = make([]Value, len(l.cols))
	a.statics = make([]Value, len(l.cols))
	a.elems = make([][][]byte, len(l.cols))
	for _, c := range l.cols {
		if c.Collection != NotCollection {
			a.collCols = append(a.collCols, c)
		}
	}
	return a
}

// Start begins a partition: its key (decoded into the key columns' values)
// and the read's time.
func (a *Assembler) Start(key []byte, now int64) error {
	vals, err := a.l.decodeKey(a.keyVals[:0], key)
	if err != nil {
		return err
	}
	a.key, a.keyVals, a.now = key, vals, now
	for i := range a.statics {
		a.statics[i] = Value{}
	}
	a.hasStat, a.inRow, a.live, a.rows, a.stopped = false, false, false, 0, false
	a.resetCollections()
	return nil
}

// Rows returns how many rows the partition has produced so far.
func (a *Assembler) Rows() int { return a.rows }

// Stopped reports whether emit asked to stop.
func (a *Assembler) Stopped() bool { return a.stopped }

// HasStatics reports whether the partition has a live static cell.
func (a *Assembler) HasStatics() bool { return a.hasStat }

func (a *Assembler) resetCollections() {
	for _, c := range a.collCols {
		a.elems[c.Index] = a.elems[c.Index][:0]
	}
}

// StaticCell feeds one live static cell (in comparator order). It returns
// an error for a name the layout cannot decode.
func (a *Assembler) StaticCell(c *store.Cell) error {
	if err := a.l.decodeName(&a.name, c.Super, c.Name, &a.hint); err != nil {
		return err
	}
	n := &a.name
	if !n.Static || n.Column == nil || n.Column.Kind != Static && a.l.shape != StaticCompact {
		return nil
	}
	a.hasStat = true
	a.absorb(a.statics, n, c, false)
	return nil
}

// FinishStatics assembles the static collections; call it after the last
// StaticCell and before the first Cell.
func (a *Assembler) FinishStatics() {
	a.buf = a.buf[:0]
	a.finishCollections(a.statics, Static)
	// The statics' bytes must outlive the row buffer.
	for _, c := range a.collCols {
		if c.Kind == Static && a.statics[c.Index].Set {
			a.statics[c.Index].Bytes = append([]byte(nil), a.statics[c.Index].Bytes...)
		}
	}
	a.buf = a.buf[:0]
}

// absorb records cell c of decoded name n into vals.
func (a *Assembler) absorb(vals []Value, n *Name, c *store.Cell, rowCell bool) {
	col := n.Column
	v := &vals[col.Index]
	if col.Collection != NotCollection {
		if !n.HasElement {
			return
		}
		switch col.Collection {
		case List:
			a.elems[col.Index] = append(a.elems[col.Index], c.Value)
		case Set:
			a.elems[col.Index] = append(a.elems[col.Index], n.Element)
		case Map, UDT:
			a.elems[col.Index] = append(a.elems[col.Index], n.Element, c.Value)
		}
		if !v.Set || c.Timestamp > v.Timestamp {
			v.Timestamp, v.TTL, v.Expiry = c.Timestamp, c.TTL, c.Expiry
		}
		v.Set = true
		return
	}
	*v = Value{Set: true, Bytes: c.Value, Timestamp: c.Timestamp, TTL: c.TTL, Expiry: c.Expiry}
	if c.Counter {
		v.Bytes = nil
		v.TTL, v.Expiry = 0, 0
		a.counterBytes(v, c.Count)
	}
}

// counterBytes gives a counter its 8-byte value, kept apart from buf so
// statics survive.
func (a *Assembler) counterBytes(v *Value, count int64) {
	v.Bytes = binary.BigEndian.AppendUint64(make([]byte, 0, 8), uint64(count))
}

// finishCollections serializes the collections of the given kind gathered
// into vals, restoring comparator order when reading reversed.
func (a *Assembler) finishCollections(vals []Value, kind Kind) {
	for _, c := range a.collCols {
		if c.Kind != kind {
			continue
		}
		el := a.elems[c.Index]
		if len(el) == 0 {
			continue
		}
		if a.reversed && kind == Regular {
			reverseElements(el, c.Collection == Map || c.Collection == UDT)
		}
		start := len(a.buf)
		switch c.Collection {
		case Map:
			a.buf = AppendMap(a.buf, el)
		case UDT:
			a.buf = appendUDT(a.buf, c, el)
		default:
			a.buf = AppendCollection(a.buf, el)
		}
		vals[c.Index].Bytes = a.buf[start:len(a.buf):len(a.buf)]
		a.elems[c.Index] = el[:0]
	}
}

// reverseElements reverses a collection's elements (pairs for a map).
func reverseElements(el [][]byte, pairs bool) {
	if !pairs {
		for i, j := 0, len(el)-1; i < j; i, j = i+1, j-1 {
			el[i], el[j] = el[j], el[i]
		}
		return
	}
	for i, j := 0, len(el)-2; i < j; i, j = i+2, j-2 {
		el[i], el[j] = el[j], el[i]
		el[i+1], el[j+1] = el[j+1], el[i+1]
	}
}

// Cell feeds one live row cell. Cells of one row must be consecutive, as
// comparator order (or its reverse) makes them. It returns false when emit
// stopped the partition, and an error for a name the layout cannot decode.
func (a *Assembler) Cell(c *store.Cell) (bool, error) {
	if a.stopped {
		return false, nil
	}
	if err := a.l.decodeName(&a.name, c.Super, c.Name, &a.hint); err != nil {
		return true, err
	}
	n := &a.name
	switch a.l.shape {
	case StaticCompact:
		if n.Column != nil {
			a.hasStat = true
			a.absorb(a.statics, n, c, false)
		}
		return true, nil
	case DenseSimple, DenseCompound, Super:
		a.flush()
		if a.stopped {
			return false, nil
		}
		a.beginRow(n.Clustering)
		a.live = true
		if n.Column != nil {
			a.absorb(a.row.Values, n, c, true)
		}
		a.flush()
		return !a.stopped, nil
	}
	if a.l.shape == SuperSparse {
		// A row is a super column: any live sub-column makes it exist, the
		// declared ones are its columns.
		if !a.inRow || !a.sameRow(n.Clustering) {
			a.flush()
			if a.stopped {
				return false, nil
			}
			a.beginRow(n.Clustering)
		}
		a.live = true
		if n.Column != nil {
			a.absorb(a.row.Values, n, c, true)
		}
		return true, nil
	}
	if n.Static {
		return true, nil // statics come through StaticCell
	}
	if !a.inRow || !a.sameRow(n.Clustering) {
		a.flush()
		if a.stopped {
			return false, nil
		}
		a.beginRow(n.Clustering)
	}
	switch {
	case n.Marker:
		a.live = true
	case n.Column != nil && n.Column.Kind == Regular:
		a.live = true
		a.absorb(a.row.Values, n, c, true)
	}
	return true, nil
}

// sameRow reports whether ck is the current row's clustering; values the
// clustering types find equal are the same row even with other bytes.
func (a *Assembler) sameRow(ck [][]byte) bool {
	for i, v := range ck {
		w := a.ck[i]
		if bytes.Equal(v, w) {
			continue
		}
		if a.l.ckTypes[i].Compare(v, w) != 0 {
			return false
		}
	}
	return true
}

func (a *Assembler) beginRow(ck [][]byte) {
	a.ck = append(a.ck[:0], ck...)
	a.inRow, a.live = true, false
	for _, c := range a.l.regulars {
		a.row.Values[c.Index] = Value{}
	}
	a.buf = a.buf[:0]
}

// flush emits the current row if it is live.
func (a *Assembler) flush() {
	if !a.inRow {
		return
	}
	a.inRow = false
	if !a.live {
		a.resetCollections()
		return
	}
	a.finishCollections(a.row.Values, Regular)
	a.fill(false)
	a.rows++
	if !a.emit(&a.row) {
		a.stopped = true
	}
}

// fill completes the row to emit: key, clustering and statics.
func (a *Assembler) fill(static bool) {
	r := &a.row
	r.Key, r.Static, r.Now = a.key, static, a.now
	for i, c := range a.l.pk {
		r.Values[c.Index] = Value{Set: true, Bytes: a.keyVals[i]}
	}
	if static {
		r.Clustering = r.Clustering[:0]
	} else {
		r.Clustering = a.ck
	}
	for i, c := range a.l.ck {
		if static || i >= len(a.ck) || a.ck[i] == nil {
			r.Values[c.Index] = Value{}
		} else {
			r.Values[c.Index] = Value{Set: true, Bytes: a.ck[i]}
		}
	}
	for _, c := range a.l.statics {
		r.Values[c.Index] = a.statics[c.Index]
	}
	if static {
		for _, c := range a.l.regulars {
			r.Values[c.Index] = a.statics[c.Index] // StaticCompact columns live in statics
		}
	}
}

// Finish ends the partition: it emits the last row, then, when the
// partition produced no row but has live statics and staticRow is set (a
// query without clustering or regular-column restrictions, 3.11's
// queriesFullPartitions; always for a StaticCompact table), the static
// row. It reports whether emit let the read go on.
func (a *Assembler) Finish(staticRow bool) bool {
	if !a.stopped {
		a.flush()
	}
	if a.stopped {
		return false
	}
	if a.rows == 0 && a.hasStat && (staticRow || a.l.shape == StaticCompact) {
		if a.l.shape == StaticCompact {
			a.buf = a.buf[:0]
		}
		a.fill(true)
		a.rows++
		if !a.emit(&a.row) {
			a.stopped = true
			return false
		}
	}
	return true
}

// Partition assembles every row of one store partition: statics first,
// then the rows in the slices, forward or reversed. It reports whether
// emit let the read go on.
func (a *Assembler) Partition(p *store.Partition, slices []store.Slice, staticRow bool) (bool, error) {
	if err := a.Start(p.Key, p.Now()); err != nil {
		return false, err
	}
	var err error
	if a.l.shape == StaticCompact {
		p.Cells(nil, false, func(c *store.Cell) bool {
			err = a.StaticCell(c)
			return err == nil
		})
		if err != nil {
			return false, err
		}
		return a.Finish(true), nil
	}
	if st := a.l.StaticSlices(); st != nil {
		p.Cells(st, false, func(c *store.Cell) bool {
			err = a.StaticCell(c)
			return err == nil
		})
		if err != nil {
			return false, err
		}
		a.FinishStatics()
	}
	p.Cells(slices, a.reversed, func(c *store.Cell) bool {
		var more bool
		more, err = a.Cell(c)
		return more && err == nil
	})
	if err != nil {
		return false, err
	}
	return a.Finish(staticRow), nil
}
