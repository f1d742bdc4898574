package orm

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
)

// A model with clustering columns is stored on Thrift the way Cassandra
// 1.2 to 2.2 stored a CQL table (CompoundSparseCellNameType): a partition
// is a Thrift row, and each CQL row a run of its columns, named by a
// CompositeType of the clustering values then the column name. The row
// marker, which makes a row exist without other columns, is the column
// with an empty name component; a static column's name starts with the
// 0xFFFF static marker and empty clustering components, so it sorts
// before every row. The comparator is CompositeType(clustering types,
// ReversedType for clustering=desc, UTF8Type).

// staticHeader is CompositeType's static-column marker.
var staticHeader = []byte{0xff, 0xff}

// wideName is the Thrift column name of column col (a model column index;
// -1 for the row marker) in the row at ck.
func (t *thriftTable) wideName(ck []byte, col int) []byte {
	var name []byte
	if col >= 0 {
		name = t.nameBytes[col]
	}
	var b []byte
	if col >= 0 && t.static[col] {
		b = make([]byte, 0, 2+3*t.nck+3+len(name))
		b = append(b, staticHeader...)
		for i := 0; i < t.nck; i++ {
			b = append(b, 0, 0, 0)
		}
	} else {
		b = make([]byte, 0, len(ck)+3+len(name))
		b = append(b, ck...)
	}
	b = binary.BigEndian.AppendUint16(b, uint16(len(name)))
	b = append(b, name...)
	return append(b, 0)
}

// parseWideName splits a Thrift column name into the clustering prefix
// and the column name; static says it is a static column's.
func (t *thriftTable) parseWideName(b []byte) (ck, name []byte, static bool, err error) {
	rest := b
	if bytes.HasPrefix(rest, staticHeader) {
		static, rest = true, rest[2:]
	}
	start := len(b) - len(rest)
	for i := 0; i < t.nck; i++ {
		if len(rest) < 3 {
			return nil, nil, false, fmt.Errorf("orm: column name %x of a wide row: %w", b, codec.ErrMalformed)
		}
		n := int(binary.BigEndian.Uint16(rest))
		if len(rest) < 3+n {
			return nil, nil, false, fmt.Errorf("orm: column name %x of a wide row: %w", b, codec.ErrMalformed)
		}
		rest = rest[3+n:]
	}
	ck = b[start : len(b)-len(rest)]
	if len(rest) < 3 {
		return nil, nil, false, fmt.Errorf("orm: column name %x of a wide row has no column component: %w", b, codec.ErrMalformed)
	}
	n := int(binary.BigEndian.Uint16(rest))
	if len(rest) != 3+n {
		return nil, nil, false, fmt.Errorf("orm: column name %x of a wide row: %w", b, codec.ErrMalformed)
	}
	return ck, rest[2 : 2+n], static, nil
}

// wideRemoval names the columns a deletion of a wide row removes: with
// all, the row marker and every non-static column of the row (a CQL
// row deletion leaves the partition's static columns); otherwise the
// columns to delete.
func (t *thriftTable) wideRemoval(r *rowWrite) query.Select {
	var names []any
	if r.all {
		names = append(names, t.wideName(r.key.ck, -1))
		for c := range t.names {
			if !t.static[c] {
				names = append(names, t.wideName(r.key.ck, c))
			}
		}
	}
	for _, c := range r.del {
		names = append(names, t.wideName(r.key.ck, int(c)))
	}
	return query.Columns(names...)
}

// wideCells turns the columns of one row into cells named by column,
// dropping the marker; found reports whether the row exists (its marker
// or a non-static column).
func (t *thriftTable) wideCells(buf []cell, cols []columnfamily.Column) ([]cell, bool, error) {
	found := false
	for i := range cols {
		c := &cols[i]
		_, name, static, err := t.parseWideName(rawBytes(c.Name))
		if err != nil {
			return buf, false, err
		}
		if !static {
			found = true
		}
		if len(name) == 0 {
			continue // the row marker
		}
		x := cell{name: name, ttl: c.TTL}
		if v, ok := c.Value.(int64); ok {
			x.counter, x.isCounter = v, true
		} else {
			x.value = rawBytes(c.Value)
		}
		buf = append(buf, x)
	}
	return buf, found, nil
}

// getWide reads one row of a partition by its column names.
func (t *thriftTable) getWide(ctx context.Context, key rowKey, q query.Select, r readSpec, buf []cell) ([]cell, error) {
	p, err := q.Parts()
	if err != nil {
		return buf, err
	}
	names := []any{t.wideName(key.ck, -1)}
	if p.Named {
		for _, n := range p.Columns {
			if c, ok := t.colIndex(n); ok {
				names = append(names, t.wideName(key.ck, c))
			}
		}
	} else {
		for c := range t.names {
			names = append(names, t.wideName(key.ck, c))
		}
	}
	row, err := t.handle().Get(ctx, key.key, query.Columns(names...), readOptions(r)...)
	if err != nil {
		return buf, err
	}
	cells, found, err := t.wideCells(buf, row.Columns)
	if err == nil && !found {
		err = fmt.Errorf("orm: %s: row not found: %w", t.name, cassa.ErrNotFound)
	}
	return cells, err
}

// colIndex finds a model column by name (a string or bytes).
func (t *thriftTable) colIndex(n any) (int, bool) {
	var s string
	switch x := n.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return 0, false
	}
	for i, name := range t.names {
		if name == s {
			return i, true
		}
	}
	return 0, false
}

func (t *thriftTable) multiGetWide(ctx context.Context, keys []rowKey, q query.Select, r readSpec, each func(*record) error) error {
	seen := map[string]bool{}
	var rec record
	for _, k := range keys {
		id := string(k.key) + "\x00" + string(k.ck)
		if seen[id] {
			continue
		}
		seen[id] = true
		cells, err := t.getWide(ctx, k, q, r, rec.cells[:0])
		if errors.Is(err, cassa.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		rec.key, rec.ck, rec.cells = k.key, k.ck, cells
		if err := each(&rec); err != nil {
			return err
		}
	}
	return nil
}

// wideQuery is a select on a wide model as Thrift can answer it: one
// partition (key) or a scan of partitions (keys), and a slice of
// clustering prefixes in each.
type wideQuery struct {
	key           []byte       // the partition; nil: a scan
	scan          query.Select // the key or token range of a scan
	start, finish []byte       // the slice, in storage order, before Reversed
	reversed      bool
	limit, perRow int // 0: no limit
}

// wideSelect turns a resolved select (values packed, names resolved) into
// a wideQuery, refusing what Thrift cannot do: a relation on a
// non-key column, a partial partition key, clustering relations other than
// equalities on a prefix and a range on the next column.
func (t *thriftTable) wideSelect(p *query.Parts, name func(any) (string, bool)) (*wideQuery, error) {
	w := &wideQuery{reversed: p.Reversed}
	if p.Limit > 0 {
		w.limit = p.Limit
	}
	if p.PerPartitionLimit > 0 {
		w.perRow = p.PerPartitionLimit
	}
	pkVals := make([][]byte, len(t.pkNames))
	type bound struct {
		v         []byte
		inclusive bool
	}
	ckEq := make([][]byte, len(t.ckNames))
	var lo, hi *bound
	rangeCol := -1
	for _, rel := range p.Relations {
		n, _ := name(rel.Column)
		v, _ := rel.Value.([]byte)
		if i := indexOf(t.pkNames, n); i >= 0 {
			if rel.Op != query.OpEq || pkVals[i] != nil {
				return nil, fmt.Errorf("%w: over Thrift a wide model's partition is read by its whole key: one Eq on each of %v", ErrUnsupported, t.pkNames)
			}
			pkVals[i] = v
			continue
		}
		i := indexOf(t.ckNames, n)
		if i < 0 {
			return nil, fmt.Errorf("%w: over Thrift a wide model's rows cannot be filtered by column %q; use CQL", ErrUnsupported, n)
		}
		switch rel.Op {
		case query.OpEq:
			if ckEq[i] != nil || rangeCol == i {
				return nil, fmt.Errorf("%w: %s is restricted twice", ErrUnsupported, n)
			}
			ckEq[i] = v
		case query.OpGt, query.OpGte, query.OpLt, query.OpLte:
			if rangeCol >= 0 && rangeCol != i {
				return nil, fmt.Errorf("%w: over Thrift only one clustering column may take a range (%s and %s)", ErrUnsupported, t.ckNames[rangeCol], n)
			}
			rangeCol = i
			b := &bound{v: v, inclusive: rel.Op == query.OpGte || rel.Op == query.OpLte}
			lower := rel.Op == query.OpGt || rel.Op == query.OpGte
			if t.ckDesc[i] {
				lower = !lower // stored in descending order
			}
			if lower {
				lo = b
			} else {
				hi = b
			}
		default:
			return nil, fmt.Errorf("%w: over Thrift a clustering column takes Eq and ranges, not %s", ErrUnsupported, rel.Op)
		}
	}
	restricted := 0
	for _, v := range pkVals {
		if v != nil {
			restricted++
		}
	}
	switch {
	case restricted == len(pkVals):
		if len(pkVals) == 1 {
			w.key = pkVals[0]
		} else {
			for _, v := range pkVals {
				w.key = binary.BigEndian.AppendUint16(w.key, uint16(len(v)))
				w.key = append(append(w.key, v...), 0)
			}
		}
		if p.StartKey != nil || p.FinishKey != nil || p.HasStartToken || p.HasFinishToken {
			return nil, fmt.Errorf("%w: a key range and an Eq on the partition key", query.ErrInvalid)
		}
	case restricted > 0:
		return nil, fmt.Errorf("%w: over Thrift a wide model's partition is read by its whole key: one Eq on each of %v", ErrUnsupported, t.pkNames)
	default:
		w.scan = query.Select{}
		switch {
		case p.HasStartToken || p.HasFinishToken:
			w.scan = query.Tokens(p.StartToken, p.FinishToken)
		case p.StartKey != nil || p.FinishKey != nil:
			w.scan = query.Keys(p.StartKey, p.FinishKey)
		}
		if p.Reversed {
			return nil, fmt.Errorf("%w: ORDER BY is only supported when the partition key is restricted by an EQ or an IN.", query.ErrInvalid)
		}
	}
	// The clustering prefix: equalities on the first columns, then the
	// range, if any, on the next one.
	var prefix []byte
	n := 0
	for n < len(ckEq) && ckEq[n] != nil {
		prefix = binary.BigEndian.AppendUint16(prefix, uint16(len(ckEq[n])))
		prefix = append(append(prefix, ckEq[n]...), 0)
		n++
	}
	for i := n; i < len(ckEq); i++ {
		if ckEq[i] != nil {
			return nil, fmt.Errorf("%w: PRIMARY KEY column %q cannot be restricted as preceding column %q is not restricted", ErrUnsupported, t.ckNames[i], t.ckNames[n])
		}
	}
	if rangeCol >= 0 && rangeCol != n {
		return nil, fmt.Errorf("%w: clustering column %q cannot take a range: preceding column %q is not restricted by Eq", ErrUnsupported, t.ckNames[rangeCol], t.ckNames[n])
	}
	// A bound component: its value and end-of-component byte. Names are
	// components with 0x00, so 0xff before them and 0x01 after.
	comp := func(v []byte, eoc byte) []byte {
		b := append([]byte(nil), prefix...)
		b = binary.BigEndian.AppendUint16(b, uint16(len(v)))
		return append(append(b, v...), eoc)
	}
	withEOC := func(eoc byte) []byte {
		if len(prefix) == 0 {
			return nil
		}
		b := append([]byte(nil), prefix...)
		b[len(b)-1] = eoc
		return b
	}
	w.start, w.finish = withEOC(0xff), withEOC(0x01)
	if lo != nil {
		if lo.inclusive {
			w.start = comp(lo.v, 0xff)
		} else {
			w.start = comp(lo.v, 0x01)
		}
	}
	if hi != nil {
		if hi.inclusive {
			w.finish = comp(hi.v, 0x01)
		} else {
			w.finish = comp(hi.v, 0xff)
		}
	}
	if p.Start != nil || p.Finish != nil {
		if lo != nil || hi != nil || n > 0 {
			return nil, fmt.Errorf("%w: Slice together with relations on clustering columns", ErrUnsupported)
		}
		lowEnd, highEnd := p.Start, p.Finish
		if p.Reversed {
			lowEnd, highEnd = highEnd, lowEnd
		}
		var err error
		if w.start, err = t.sliceBound(lowEnd, true); err != nil {
			return nil, err
		}
		if w.finish, err = t.sliceBound(highEnd, false); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// sliceBound packs a resolved Slice end (a codec.Tuple of packed
// components, the last maybe a codec.SliceEnd) as a composite bound.
func (t *thriftTable) sliceBound(end any, lower bool) ([]byte, error) {
	tu, ok := end.(codec.Tuple)
	if end == nil || ok && len(tu) == 0 {
		return nil, nil
	}
	if !ok {
		return nil, fmt.Errorf("%w: slice end %v", ErrArgument, end)
	}
	var b []byte
	for i, c := range tu {
		inclusive := true
		if se, ok := c.(codec.SliceEnd); ok {
			c, inclusive = se.Value, se.Inclusive
		}
		v, _ := c.([]byte)
		b = binary.BigEndian.AppendUint16(b, uint16(len(v)))
		b = append(b, v...)
		var eoc byte
		if i == len(tu)-1 {
			switch {
			case lower == inclusive:
				eoc = 0xff
			default:
				eoc = 0x01
			}
		}
		b = append(b, eoc)
	}
	return b, nil
}

func indexOf(names []string, n string) int {
	for i, x := range names {
		if x == n {
			return i
		}
	}
	return -1
}

// findWide iterates over the rows of a wide model a select reads, as
// records. With afterKey set it starts after the row (afterKey, afterCk),
// for Page.
func (t *thriftTable) findWide(ctx context.Context, q query.Select, r readSpec, afterKey, afterCk []byte) iter.Seq2[*record, error] {
	return func(yield func(*record, error) bool) {
		if r.keyspace != "" {
			yield(nil, errKeyspaceThrift)
			return
		}
		p, err := q.Parts()
		if err != nil {
			yield(nil, err)
			return
		}
		w, err := t.wideSelect(&p, func(c any) (string, bool) { s, ok := c.(string); return s, ok })
		if err != nil {
			yield(nil, err)
			return
		}
		emitted := 0
		out := func(rec *record) bool {
			if w.limit > 0 && emitted >= w.limit {
				return false
			}
			emitted++
			return yield(rec, nil)
		}
		if w.key != nil {
			start, finish := w.start, w.finish
			if afterCk != nil {
				if w.reversed {
					finish = append([]byte(nil), afterCk...)
					finish[len(finish)-1] = 0xff
				} else {
					start = append([]byte(nil), afterCk...)
					start[len(start)-1] = 0x01
				}
			}
			t.partition(ctx, w.key, start, finish, w, r, out, yield)
			return
		}
		scan := w.scan
		if afterKey != nil {
			scan = scan.StartKey(afterKey)
		}
		rows := t.handle().GetRange(ctx, scan.Slice(nilIfEmpty(w.start), nilIfEmpty(w.finish)).PerPartitionLimit(query.Unlimited), readOptions(r)...)
		for row, err := range rows {
			if err != nil {
				yield(nil, err)
				return
			}
			key := rawBytes(row.Key)
			skip := afterKey != nil && bytes.Equal(key, afterKey)
			more := t.group(key, row.Columns, w.perRow, func(rec *record) bool {
				if skip {
					if afterCk == nil || t.ckCmp.Compare(rec.ck, afterCk) <= 0 {
						return true
					}
				}
				return out(rec)
			})
			if !more {
				return
			}
		}
	}
}

func nilIfEmpty(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// partition reads the rows of one partition through a column slice,
// paging through its columns.
func (t *thriftTable) partition(ctx context.Context, key, start, finish []byte, w *wideQuery, r readSpec,
	out func(*record) bool, yield func(*record, error) bool) {
	var statics []cell
	if t.hasStatic() {
		names := []any{}
		for c := range t.names {
			if t.static[c] {
				names = append(names, t.wideName(nil, c))
			}
		}
		row, err := t.handle().Get(ctx, key, query.Columns(names...), readOptions(r)...)
		if err != nil && !errors.Is(err, cassa.ErrNotFound) {
			yield(nil, err)
			return
		}
		if statics, _, err = t.wideCells(nil, row.Columns); err != nil {
			yield(nil, err)
			return
		}
	}
	s := query.Slice(nilIfEmpty(start), nilIfEmpty(finish))
	if w.reversed {
		s = query.Slice(nilIfEmpty(finish), nilIfEmpty(start)).Reversed()
	}
	var rec record
	var cur []byte
	have, perRow := false, 0
	flush := func() bool {
		if !have {
			return true
		}
		have = false
		perRow++
		if w.perRow > 0 && perRow > w.perRow {
			return false
		}
		rec.cells = append(rec.cells, statics...)
		return out(&rec)
	}
	for col, err := range t.handle().XGet(ctx, key, s, readOptions(r)...) {
		if err != nil {
			yield(nil, err)
			return
		}
		ck, name, static, err := t.parseWideName(rawBytes(col.Name))
		if err != nil {
			yield(nil, err)
			return
		}
		if static {
			continue
		}
		if !have || !bytes.Equal(ck, cur) {
			if !flush() {
				return
			}
			cur = append(cur[:0], ck...)
			rec = record{key: key, ck: append([]byte(nil), ck...), cells: rec.cells[:0]}
			have = true
		}
		if len(name) > 0 {
			rec.cells = appendWideCell(rec.cells, name, &col)
		}
	}
	flush()
}

func appendWideCell(buf []cell, name []byte, c *columnfamily.Column) []cell {
	x := cell{name: name, ttl: c.TTL}
	if v, ok := c.Value.(int64); ok {
		x.counter, x.isCounter = v, true
	} else {
		x.value = rawBytes(c.Value)
	}
	return append(buf, x)
}

func (t *thriftTable) hasStatic() bool {
	for _, s := range t.static {
		if s {
			return true
		}
	}
	return false
}

// group splits one Thrift row (a partition, in storage order) into its
// CQL rows and calls each with them, the static columns added to each; it
// reports whether to go on.
func (t *thriftTable) group(key []byte, cols []columnfamily.Column, perRow int, each func(*record) bool) bool {
	var statics []cell
	var rec record
	have, n := false, 0
	flush := func() bool {
		if !have {
			return true
		}
		have = false
		n++
		if perRow > 0 && n > perRow {
			return true
		}
		rec.cells = append(rec.cells, statics...)
		return each(&rec)
	}
	for i := range cols {
		c := &cols[i]
		ck, name, static, err := t.parseWideName(rawBytes(c.Name))
		if err != nil {
			continue // not a column of this layout
		}
		if static {
			statics = appendWideCell(statics, name, c)
			continue
		}
		if !have || !bytes.Equal(ck, rec.ck) {
			if !flush() {
				return false
			}
			rec = record{key: key, ck: ck}
			have = true
		}
		if len(name) > 0 {
			rec.cells = appendWideCell(rec.cells, name, c)
		}
	}
	return flush()
}

// pageWide is page for a wide model: the position is the last row's
// partition key and clustering prefix.
func (t *thriftTable) pageWide(ctx context.Context, q query.Select, r readSpec, n int, from []byte, each func(*record) error) ([]byte, error) {
	var afterKey, afterCk []byte
	if from != nil {
		var err error
		if afterKey, afterCk, err = decodePosition(from); err != nil {
			return nil, err
		}
	}
	var posKey, posCk []byte
	got := 0
	for rec, err := range t.findWide(ctx, q, r, afterKey, afterCk) {
		if err != nil {
			return nil, err
		}
		if got == n {
			return encodePosition(posKey, posCk), nil
		}
		if err := each(rec); err != nil {
			return nil, err
		}
		got++
		posKey, posCk = append([]byte(nil), rec.key...), append([]byte(nil), rec.ck...)
	}
	return nil, nil
}
