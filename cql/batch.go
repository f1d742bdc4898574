package cql

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa"
)

// Batch defaults.
const (
	// DefaultQueueSize is how many queued statements make a Batch send
	// itself.
	DefaultQueueSize = 100
	// DefaultWarnThreshold and DefaultFailThreshold are Cassandra's
	// batch_size_warn_threshold_in_kb (5) and batch_size_fail_threshold_in_kb
	// (50), in bytes.
	DefaultWarnThreshold = 5 * 1024
	DefaultFailThreshold = 50 * 1024
	// maxBatchStatements is the most statements the native protocol lets a
	// batch carry (gocql.BatchSizeMaximum).
	maxBatchStatements = gocql.BatchSizeMaximum
)

// NoAutoSend as QueueSize keeps every statement queued until Send.
const NoAutoSend = -1

// Statement is a CQL statement with its bound values: what the query
// compiler produces, and what a BatchError lists.
type Statement struct {
	CQL  string
	Args []any
}

// String shows the statement, shortened, and its number of values.
func (s Statement) String() string {
	return fmt.Sprintf("%s [%d values]", shorten(s.CQL), len(s.Args))
}

// Batch queues INSERT, UPDATE and DELETE statements and sends them as
// CQL batches: by Send, or by itself once QueueSize statements are queued.
// It is the CQL side's counterpart of thrift/columnfamily's Mutator, and
// it sends what Cassandra accepts without warnings:
//
//   - Statements are grouped by partition (keyspace, table and partition
//     key, read from the prepared statement's metadata). A group is never
//     split (it is one mutation, which Cassandra applies atomically and in
//     isolation, and exempt from the batch size checks) unless it exceeds
//     the native protocol's 65535 statements.
//   - A logged batch packs whole groups into batches of at most the warn
//     threshold (Cassandra's batch_size_warn_threshold, 5 KiB unless
//     SizeThresholds says otherwise), so that no batch is refused as "Batch
//     too large" (the fail threshold, 50 KiB) nor logged as oversized;
//     each batch is atomic through the batch log. A queue that fits sends
//     as one batch, atomic as a whole.
//   - Unlogged and counter batches send one batch per partition: a batch
//     over several partitions gains nothing without the batch log and
//     burdens its coordinator (Cassandra warns about it).
//
// The size of a statement is estimated as Cassandra measures a batch
// (PartitionUpdate.dataSize): 16 bytes of cell overhead plus the
// serialized length of each bound value, partition key values excluded.
//
// Every statement takes a client timestamp when it is queued; a batch is
// written with the latest of its statements' timestamps (or Timestamp's),
// so sending it again after a failure writes the same cells.
//
// When a batch fails, Send stops: the failed batch's statements and every
// statement not yet sent stay queued (in their order, before any queued
// since) for the next Send, and the *BatchError lists them. Reset drops
// them. A Batch is safe for concurrent use.
type Batch struct {
	s     *Session
	opts  batchOpts
	limit int
	warn  int

	mu    sync.Mutex
	queue []*batchItem
}

// batchItem is one queued statement.
type batchItem struct {
	stmt   string
	values []any
	info   stmtInfo
	part   string // keyspace, table and partition key; unique when unknown
	size   int
	ts     int64
}

// Batch returns an empty batch. The zero options mean: logged, sent
// every DefaultQueueSize statements, Cassandra's default size thresholds,
// the session's consistency.
func (s *Session) Batch(opts ...BatchOption) *Batch {
	b := &Batch{s: s}
	for _, o := range opts {
		if o != nil {
			o.applyBatch(&b.opts)
		}
	}
	b.limit = b.opts.queueSize
	if b.limit == 0 {
		b.limit = DefaultQueueSize
	}
	b.warn = DefaultWarnThreshold
	if b.opts.thresholds {
		b.warn = b.opts.warnBytes
	}
	return b
}

// check refuses a call on a Batch that Session.Batch did not make, with a
// nil context, or on a closed session (ErrClosed).
func (b *Batch) check(ctx context.Context, fn string) error {
	if b == nil || b.s == nil {
		return &cassa.ArgumentError{Func: "cql.Batch." + fn, Arg: "*cql.Batch", Why: "was not made by Session.Batch"}
	}
	return b.s.check(ctx, "Batch."+fn)
}

// Len is the number of queued statements.
func (b *Batch) Len() int {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.queue)
}

// Reset empties the queue and returns what it held.
func (b *Batch) Reset() []Statement {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	q := b.queue
	b.queue = nil
	b.mu.Unlock()
	return statements(q)
}

var uniquePart atomic.Uint64

// Queue adds a statement (an INSERT, UPDATE or DELETE, not conditional)
// with its bound values. The first time a statement text is queued it is
// prepared, to learn its table and partition key (ctx bounds that). If
// the queue reaches QueueSize the batch is sent, and the error is that of
// the send.
func (b *Batch) Queue(ctx context.Context, stmt string, args ...any) error {
	if err := b.check(ctx, "Queue"); err != nil {
		return err
	}
	if err := b.opts.err; err != nil {
		return err
	}
	for _, a := range args {
		if _, ok := a.(option); ok {
			return fmt.Errorf("%w: options of a batch go to Session.Batch, not to a queued statement (%T)", ErrInvalidOption, a)
		}
	}
	info := b.s.stmts.info(stmt)
	switch {
	case info.kind != kindInsert && info.kind != kindUpdate && info.kind != kindDelete:
		return fmt.Errorf("%w: a batch holds INSERT, UPDATE and DELETE statements, not %q", ErrInvalidOption, shorten(stmt))
	case info.conditional:
		return fmt.Errorf("%w: conditional statement in a batch (%s): run it with ExecCAS", ErrInvalidOption, shorten(stmt))
	}
	ks := b.opts.keyspace
	if ks == "" {
		ks = b.s.cfg.keyspace
	}
	meta, err := b.s.batchMeta(ctx, ks, stmt)
	if err != nil {
		return err
	}
	item := &batchItem{stmt: stmt, values: args, info: info, ts: time.Now().UnixMicro()}
	if err := meta.measure(item); err != nil {
		return err
	}
	b.mu.Lock()
	b.queue = append(b.queue, item)
	var full []*batchItem
	if b.limit > 0 && len(b.queue) >= b.limit {
		full, b.queue = b.queue, nil
	}
	b.mu.Unlock()
	if full == nil {
		return nil
	}
	return b.send(ctx, full)
}

// Send sends every queued statement and empties the queue; see Batch for
// how they are grouped and what a failure keeps. An empty queue sends
// nothing.
func (b *Batch) Send(ctx context.Context) error {
	if err := b.check(ctx, "Send"); err != nil {
		return err
	}
	b.mu.Lock()
	q := b.queue
	b.queue = nil
	b.mu.Unlock()
	return b.send(ctx, q)
}

func (b *Batch) send(ctx context.Context, q []*batchItem) error {
	if len(q) == 0 {
		return nil
	}
	if b.s.closed.Load() {
		b.requeue(q)
		return ErrClosed
	}
	plan := b.plan(q)
	for i, batch := range plan {
		if err := b.sendOne(ctx, batch); err != nil {
			var unsent []*batchItem
			for _, rest := range plan[i:] {
				unsent = append(unsent, rest...)
			}
			b.requeue(unsent)
			return &BatchError{Type: b.opts.typ, Failed: statements(batch), Unsent: statements(unsent), Err: err}
		}
	}
	return nil
}

// requeue puts unsent statements back at the front of the queue.
func (b *Batch) requeue(items []*batchItem) {
	b.mu.Lock()
	b.queue = append(items[:len(items):len(items)], b.queue...)
	b.mu.Unlock()
}

// plan groups statements by partition and packs the groups into batches.
// It is deterministic, so that a failed Send can tell what it did not
// send.
func (b *Batch) plan(q []*batchItem) [][]*batchItem {
	var order []string
	groups := map[string][]*batchItem{}
	sizes := map[string]int{}
	for _, it := range q {
		if _, ok := groups[it.part]; !ok {
			order = append(order, it.part)
		}
		groups[it.part] = append(groups[it.part], it)
		sizes[it.part] += it.size
	}
	var out [][]*batchItem
	var cur []*batchItem
	curSize := 0
	flush := func() {
		if len(cur) > 0 {
			out = append(out, cur)
		}
		cur, curSize = nil, 0
	}
	for _, p := range order {
		g := groups[p]
		if b.opts.typ != LoggedBatch || sizes[p] > b.warn || len(g) > maxBatchStatements {
			// One partition per batch: unlogged and counter batches
			// always, and a partition too big to share a logged batch.
			if b.opts.typ == LoggedBatch {
				flush()
			}
			for len(g) > maxBatchStatements {
				out = append(out, g[:maxBatchStatements])
				g = g[maxBatchStatements:]
			}
			out = append(out, g)
			continue
		}
		if len(cur) > 0 && (curSize+sizes[p] > b.warn || len(cur)+len(g) > maxBatchStatements) {
			flush()
		}
		cur = append(cur, g...)
		curSize += sizes[p]
	}
	flush()
	return out
}

// sendOne sends one batch.
func (b *Batch) sendOne(ctx context.Context, items []*batchItem) error {
	typ := gocql.LoggedBatch
	switch b.opts.typ {
	case UnloggedBatch:
		typ = gocql.UnloggedBatch
	case CounterBatch:
		typ = gocql.CounterBatch
	}
	gb := b.s.gs.Batch(typ)
	info := stmtInfo{kind: kindBatch, counterBatch: b.opts.typ == CounterBatch}
	var ts int64
	for _, it := range items {
		gb.Entries = append(gb.Entries, gocql.BatchEntry{Stmt: it.stmt, Args: it.values, Idempotent: true})
		if !it.info.idempotent() {
			info.selfRef = true
		}
		ts = max(ts, it.ts)
	}
	opts := b.opts.callOpts
	if !opts.tsSet {
		opts.ts, opts.tsSet = ts, true
	}
	op := "BATCH " + b.opts.typ.String() + ": " + items[0].stmt
	if err := b.s.applyCall(ctx, &opts, info, op, gb); err != nil {
		return err
	}
	it, err := iterate(ctx, gb, op)
	if err != nil {
		return err
	}
	if err := it.Close(); err != nil {
		return b.s.callError(err, it, op)
	}
	b.s.warnings(it, op)
	return nil
}

// BatchError reports a batch Cassandra refused or that could not be sent.
// Failed is the refused batch (Cassandra does not say which statement it
// objected to); Unsent is every statement not applied — Failed and those
// planned after it — all of which stay queued for the next Send.
type BatchError struct {
	Type   BatchType
	Failed []Statement
	Unsent []Statement
	Err    error
}

// Error describes the failure.
func (e *BatchError) Error() string {
	if e == nil {
		return "<nil>"
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "cql: %s batch of %d statements failed (%d statements kept queued): %v; batch:",
		e.Type, len(e.Failed), len(e.Unsent), e.Err)
	for i, s := range e.Failed {
		if i == 3 {
			fmt.Fprintf(&sb, " and %d more", len(e.Failed)-i)
			break
		}
		fmt.Fprintf(&sb, " [%s]", s)
	}
	return sb.String()
}

// Unwrap returns Err.
func (e *BatchError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

func statements(items []*batchItem) []Statement {
	out := make([]Statement, len(items))
	for i, it := range items {
		out[i] = Statement{CQL: it.stmt, Args: it.values}
	}
	return out
}

// batchMeta is what grouping needs about a statement: its table, the
// types of its bound values and which of them form the partition key.
type batchMeta struct {
	table string // keyspace.table
	bind  []gocql.ColumnInfo
	pk    []int // indexes into bind; empty when the key is not all bound
}

type batchMetaCache struct {
	m sync.Map // keyspace + "\x00" + stmt → *batchMeta
	n atomic.Int32
}

// batchMeta returns (and caches) the metadata of a statement, preparing it.
func (s *Session) batchMeta(ctx context.Context, keyspace, stmt string) (*batchMeta, error) {
	key := keyspace + "\x00" + stmt
	if m, ok := s.batch.m.Load(key); ok {
		return m.(*batchMeta), nil
	}
	md, err := s.gs.StatementMetadata(ctx, stmt, keyspace)
	if err != nil {
		return nil, s.callError(err, nil, stmt)
	}
	m := &batchMeta{table: md.Keyspace + "." + md.Table, bind: md.BindColumns, pk: md.PKBindColumnIndexes}
	if s.batch.n.Load() < stmtCacheMax {
		if _, loaded := s.batch.m.LoadOrStore(key, m); !loaded {
			s.batch.n.Add(1)
		}
	}
	return m, nil
}

// measure sets an item's partition identity and estimated size.
func (m *batchMeta) measure(it *batchItem) error {
	if len(it.values) != len(m.bind) {
		return fmt.Errorf("%w: %s: %d values for %d bind markers", ErrInvalidOption, shorten(it.stmt), len(it.values), len(m.bind))
	}
	isPK := func(i int) bool {
		for _, p := range m.pk {
			if p == i {
				return true
			}
		}
		return false
	}
	var key []byte
	if len(m.pk) > 0 {
		key = append(key, m.table...)
		key = append(key, 0)
		for _, p := range m.pk {
			v, err := gocql.Marshal(m.bind[p].TypeInfo, it.values[p])
			if err != nil {
				return fmt.Errorf("cql: %s: partition key %s: %w", shorten(it.stmt), m.bind[p].Name, err)
			}
			key = binary.BigEndian.AppendUint32(key, uint32(len(v)))
			key = append(key, v...)
		}
		it.part = string(key)
	} else {
		it.part = fmt.Sprintf("\x00unknown %d", uniquePart.Add(1))
	}
	for i, v := range it.values {
		if isPK(i) {
			continue
		}
		data, err := gocql.Marshal(m.bind[i].TypeInfo, v)
		if err != nil {
			return fmt.Errorf("cql: %s: value of %s: %w", shorten(it.stmt), m.bind[i].Name, err)
		}
		it.size += 16 + len(data)
	}
	return nil
}
