package migrate

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
)

// cellValue binds the bytes a Thrift cell held as they are (the native
// protocol carries Cassandra's marshal formats, so nothing is converted):
// empty, never null, for an empty value.
func cellValue(b []byte) *cql.RawValue {
	if b == nil {
		b = []byte{}
	}
	return &cql.RawValue{Bytes: b}
}

// minMicros is 2001-09-09 in microseconds since the epoch: a timestamp
// below it is taken for another clock than the conventional one.
const minMicros = 1_000_000_000_000_000

// remainingTTL is what is left of a cell's TTL (Thrift reports the TTL as
// written, not what remains) when its timestamp is a microsecond clock:
// ttl less the time since the timestamp, rounded up. ok is false when the
// cell has expired by now. Any other timestamp keeps the TTL as written.
func remainingTTL(ts int64, ttl int32, now time.Time) (left int32, ok bool) {
	if ttl <= 0 {
		return 0, true
	}
	if ts < minMicros || ts > now.Add(time.Hour).UnixMicro() {
		return ttl, true
	}
	rest := time.Duration(ttl)*time.Second - now.Sub(time.UnixMicro(ts))
	switch {
	case rest <= 0:
		return 0, false
	case rest >= time.Duration(ttl)*time.Second:
		return ttl, true
	}
	return int32((rest + time.Second - 1) / time.Second), true
}

// moveCell is one value going to a column of a CQL row.
type moveCell struct {
	col   string // quoted
	value []byte
	ts    int64
	ttl   int32
}

// partitionCopy turns the cells of one Thrift row, in comparator order,
// into CQL rows and writes them: the cells of one CQL row are adjacent
// (their names share the clustering prefix), so a row is queued when the
// prefix changes, and one Thrift row is never held whole. The INSERTs of
// the partition go out in unlogged batches (one partition each, so one
// mutation to Cassandra), a batch sent when the next statement would take
// it past Cassandra's batch size warning threshold and at the end of the
// partition.
type partitionCopy struct {
	mv     *mover
	w      *rangeWriter
	pk     [][]byte
	now    time.Time
	ck     [][]byte // the current row's clustering values
	open   bool     // a row is being collected
	marker *moveCell
	cells  []moveCell
	static []moveCell
	rows   int64 // CQL rows queued
	cellsN int64 // cells queued
	skip   int64 // cells no column takes, or expired

	first     *cql.Statement // the one statement not yet handed to w, or
	batch     *cql.Batch     // the statements not yet handed to w
	size      int            // their estimated size, as cql.Batch measures it
	sentRows  int64          // rows and cells handed to w
	sentCells int64
}

func (p *partitionCopy) cell(ctx context.Context, super []byte, c columnfamily.Column) error {
	name, _ := c.Name.([]byte)
	value, _ := c.Value.([]byte)
	ttl, live := remainingTTL(c.Timestamp, c.TTL, p.now)
	if !live {
		p.skip++
		return nil
	}
	m := p.mv.m
	path, static, err := m.path(super, name)
	if err != nil {
		p.skip++
		return nil
	}
	x := moveCell{value: value, ts: c.Timestamp, ttl: ttl}
	n := len(m.ck)
	if m.dense {
		if len(path) != n {
			p.skip++
			return nil
		}
		x.col = m.value
		p.cellsN++
		p.rows++
		return p.write(ctx, path, []moveCell{x})
	}
	if len(path) != n+1 {
		p.skip++
		return nil
	}
	col := string(path[n])
	if static {
		if q, ok := m.cols[col]; ok && m.statics[col] {
			x.col = q
			p.static = append(p.static, x)
		} else {
			p.skip++
		}
		return nil
	}
	if !p.open || !sameValues(p.ck, path[:n]) {
		if err := p.flush(ctx); err != nil {
			return err
		}
		p.ck, p.open = cloneValues(path[:n]), true
	}
	if col == "" {
		p.marker = &x
		return nil
	}
	q, ok := m.cols[col]
	if !ok || m.statics[col] {
		p.skip++
		return nil
	}
	x.col = q
	p.cells = append(p.cells, x)
	return nil
}

// flush writes the row being collected: one INSERT per timestamp and TTL
// among its cells (one, usually), the row marker's with them.
func (p *partitionCopy) flush(ctx context.Context) error {
	if !p.open {
		return nil
	}
	p.open = false
	cells, marker := p.cells, p.marker
	p.cells, p.marker = p.cells[:0], nil
	if len(cells) == 0 && marker == nil {
		return nil
	}
	p.rows++
	p.cellsN += int64(len(cells))
	if marker != nil {
		p.cellsN++
	}
	return p.writeGroups(ctx, p.ck, cells, marker)
}

// finish queues the last row and the static columns (a partition with
// static columns and no rows is one row to CQL), and sends what is queued.
func (p *partitionCopy) finish(ctx context.Context) error {
	if err := p.flush(ctx); err != nil {
		return err
	}
	if len(p.static) > 0 {
		if p.rows == 0 {
			p.rows++
		}
		p.cellsN += int64(len(p.static))
		if err := p.writeGroups(ctx, nil, p.static, nil); err != nil {
			return err
		}
	}
	return p.send(ctx)
}

// send hands the queued statements to the range's writer: a batch, or
// the statement alone when there is one (a narrow row), which spares it
// the batch's preparation and measuring.
func (p *partitionCopy) send(ctx context.Context) error {
	var write func(context.Context) error
	switch b, st, db := p.batch, p.first, p.mv.db; {
	case b != nil:
		write = b.Send
	case st != nil:
		write = func(ctx context.Context) error { return db.Exec(ctx, st.CQL, st.Args...) }
	default:
		return nil
	}
	rows, cells := p.rows-p.sentRows, p.cellsN-p.sentCells
	p.first, p.batch, p.size, p.sentRows, p.sentCells = nil, nil, 0, p.rows, p.cellsN
	return p.w.send(ctx, write, rows, cells)
}

// writeGroups queues cells (and the row marker) grouped by timestamp and
// TTL, each group with USING TIMESTAMP and TTL of its cells.
func (p *partitionCopy) writeGroups(ctx context.Context, ck [][]byte, cells []moveCell, marker *moveCell) error {
	type group struct {
		ts  int64
		ttl int32
	}
	var order []group
	by := map[group][]moveCell{}
	for _, c := range cells {
		g := group{c.ts, c.ttl}
		if _, ok := by[g]; !ok {
			order = append(order, g)
		}
		by[g] = append(by[g], c)
	}
	if marker != nil {
		g := group{marker.ts, marker.ttl}
		if _, ok := by[g]; !ok {
			order = append(order, g)
			by[g] = []moveCell{{ts: marker.ts, ttl: marker.ttl}} // no column: the row only
		}
	}
	for _, g := range order {
		if err := p.write(ctx, ck, by[g]); err != nil {
			return err
		}
	}
	return nil
}

// Every value a statement binds adds this much to the estimated size of a
// batch, besides its bytes: the cell overhead cql.Batch counts, after
// Cassandra's PartitionUpdate.dataSize.
const cellOverhead = 16

// write queues the INSERT of one CQL row (or of a partition's static
// columns, ck nil) with the cells' timestamp and TTL, first sending the
// statements queued if this one would take their batch past the warning
// threshold. Cells with an empty col write no column.
func (p *partitionCopy) write(ctx context.Context, ck [][]byte, cells []moveCell) error {
	mv, m, pk := p.mv, p.mv.m, p.pk
	var key strings.Builder
	fmt.Fprintf(&key, "%d", len(ck))
	for _, c := range cells {
		key.WriteString("," + c.col)
	}
	stmt := mv.statement(key.String(), len(ck) > 0, cells)
	args := make([]any, 0, len(pk)+len(ck)+len(cells)+2)
	for _, v := range pk {
		args = append(args, cellValue(v))
	}
	for _, v := range ck {
		args = append(args, cellValue(v))
	}
	for _, c := range cells {
		if c.col == "" {
			continue
		}
		if n := m.tuples[c.col]; n > 0 {
			parts, err := splitTuple(c.value, n)
			if err != nil {
				return fmt.Errorf("column %s: %w", c.col, err)
			}
			args = append(args, parts...)
			continue
		}
		args = append(args, cellValue(c.value))
	}
	args = append(args, cells[0].ts, cells[0].ttl)
	size := 2*cellOverhead + 8 + 4 // the timestamp and the TTL
	for _, a := range args[len(pk) : len(args)-2] {
		size += cellOverhead + len(a.(*cql.RawValue).Bytes)
	}
	if (p.first != nil || p.batch != nil) && p.size+size > cql.DefaultWarnThreshold {
		if err := p.send(ctx); err != nil {
			return err
		}
	}
	p.size += size
	switch {
	case p.batch != nil:
	case p.first == nil:
		p.first = &cql.Statement{CQL: stmt, Args: args}
		return nil
	default:
		p.batch = mv.db.Batch(cql.Unlogged(), cql.QueueSize(cql.NoAutoSend))
		first := p.first
		p.first = nil
		if err := p.batch.Queue(ctx, first.CQL, first.Args...); err != nil {
			return err
		}
	}
	return p.batch.Queue(ctx, stmt, args...)
}

// statement is the INSERT for a shape of row, made once.
func (mv *mover) statement(key string, withCK bool, cells []moveCell) string {
	if s, ok := mv.stmts.Load(key); ok {
		return s.(string)
	}
	m := mv.m
	cols := append([]string(nil), m.pk...)
	if withCK {
		cols = append(cols, m.ck...)
	}
	marks := strings.Repeat("?, ", len(cols))
	for _, c := range cells {
		if c.col == "" {
			continue
		}
		cols = append(cols, c.col)
		if n := m.tuples[c.col]; n > 0 {
			marks += "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + "), "
		} else {
			marks += "?, "
		}
	}
	s := "INSERT INTO " + m.table + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.TrimSuffix(marks, ", ") + ") USING TIMESTAMP ? AND TTL ?"
	mv.stmts.Store(key, s)
	return s
}

// splitTuple splits a tuple's bytes into its n components, as bound
// values (a missing trailing component is null).
func splitTuple(b []byte, n int) ([]any, error) {
	out := make([]any, 0, n)
	for i := 0; i < n; i++ {
		if len(b) == 0 {
			out = append(out, &cql.RawValue{})
			continue
		}
		if len(b) < 4 {
			return nil, fmt.Errorf("tuple component %d: truncated", i)
		}
		l := int32(binary.BigEndian.Uint32(b))
		b = b[4:]
		if l < 0 {
			out = append(out, &cql.RawValue{})
			continue
		}
		if int(l) > len(b) {
			return nil, fmt.Errorf("tuple component %d: truncated", i)
		}
		out = append(out, cellValue(b[:l]))
		b = b[l:]
	}
	return out, nil
}

func sameValues(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

func cloneValues(v [][]byte) [][]byte {
	out := make([][]byte, len(v))
	for i := range v {
		out[i] = bytes.Clone(v[i])
	}
	return out
}

// rangeWriter sends the batches of one token range, up to inFlight of
// them at once, while the range is read on; wait returns once all are
// written, with the first failure.
type rangeWriter struct {
	mv  *mover
	sem chan struct{}
	wg  sync.WaitGroup
	mu  sync.Mutex
	err error
}

func newRangeWriter(mv *mover) *rangeWriter {
	return &rangeWriter{mv: mv, sem: make(chan struct{}, mv.o.inFlight)}
}

// send runs write (a batch's Send, or one statement's Exec) in the
// background, counting its rows and cells as copied once it is done; it
// waits while inFlight writes run, and fails once one has.
func (w *rangeWriter) send(ctx context.Context, write func(context.Context) error, rows, cells int64) error {
	if err := w.failed(); err != nil {
		return err
	}
	select {
	case w.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		err := write(ctx)
		<-w.sem
		if err != nil {
			w.mu.Lock()
			if w.err == nil {
				w.err = err
			}
			w.mu.Unlock()
			return
		}
		w.mv.rows.Add(rows)
		w.mv.cells.Add(cells)
	}()
	return nil
}

func (w *rangeWriter) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// wait waits for every batch sent and returns the first failure.
func (w *rangeWriter) wait() error {
	w.wg.Wait()
	return w.failed()
}

// copyRange copies the rows of one token range: it returns once they are
// all written (or one write failed), so that a range is recorded only
// when its rows are in the table.
func (mv *mover) copyRange(ctx context.Context, r tokenRange) (rangeDone, int64, error) {
	w := newRangeWriter(mv)
	d, skipped, err := mv.readRange(ctx, r, w)
	if werr := w.wait(); err == nil && werr != nil {
		err = fmt.Errorf("write %s: %w", r, werr)
	}
	return d, skipped, err
}

// readRange reads the rows of one token range and hands their batches to w.
func (mv *mover) readRange(ctx context.Context, r tokenRange, w *rangeWriter) (rangeDone, int64, error) {
	var d rangeDone
	var skipped int64
	limit := mv.o.columnPage
	sel := r.thriftSelect().PerPartitionLimit(limit)
	for row, err := range mv.cf.GetRange(ctx, sel, columnfamily.BufferSize(mv.o.rowPage)) {
		if err != nil {
			return d, skipped, fmt.Errorf("read %s: %w", r, err)
		}
		key, _ := row.Key.([]byte)
		pk, err := mv.m.splitKey(key)
		if err != nil {
			skipped += int64(row.Len())
			continue
		}
		p := &partitionCopy{mv: mv, w: w, pk: pk, now: mv.now()}
		if err := mv.copyPartition(ctx, p, key, row, limit); err != nil {
			return d, skipped, err
		}
		if err := p.finish(ctx); err != nil {
			return d, skipped, err
		}
		d.rows += p.rows
		d.cells += p.cellsN
		skipped += p.skip
	}
	return d, skipped, nil
}

// copyPartition feeds the cells of one Thrift row to p, reading past the
// first page of a wide row.
func (mv *mover) copyPartition(ctx context.Context, p *partitionCopy, key []byte, row columnfamily.Row, limit int) error {
	if mv.m.superParts > 0 {
		var last []byte
		for _, sc := range row.SuperColumns {
			if err := p.superColumn(ctx, sc); err != nil {
				return err
			}
			last, _ = sc.Name.([]byte)
		}
		if len(row.SuperColumns) < limit {
			return nil
		}
		first := true
		for sc, err := range mv.cf.XGetSuper(ctx, key, query.Slice(last, []byte{}), columnfamily.BufferSize(limit)) {
			if err != nil {
				return fmt.Errorf("read row %x: %w", key, err)
			}
			if name, _ := sc.Name.([]byte); first && bytes.Equal(name, last) {
				first = false
				continue
			}
			first = false
			if err := p.superColumn(ctx, sc); err != nil {
				return err
			}
		}
		return nil
	}
	var last []byte
	for _, c := range row.Columns {
		if err := p.cell(ctx, nil, c); err != nil {
			return err
		}
		last, _ = c.Name.([]byte)
	}
	if len(row.Columns) < limit {
		return nil
	}
	first := true
	for c, err := range mv.cf.XGet(ctx, key, query.Slice(last, []byte{}), columnfamily.BufferSize(limit)) {
		if err != nil {
			return fmt.Errorf("read row %x: %w", key, err)
		}
		if name, _ := c.Name.([]byte); first && bytes.Equal(name, last) {
			first = false
			continue
		}
		first = false
		if err := p.cell(ctx, nil, c); err != nil {
			return err
		}
	}
	return nil
}

func (p *partitionCopy) superColumn(ctx context.Context, sc columnfamily.SuperColumn) error {
	name, _ := sc.Name.([]byte)
	for _, c := range sc.Columns {
		if err := p.cell(ctx, name, c); err != nil {
			return err
		}
	}
	return nil
}
