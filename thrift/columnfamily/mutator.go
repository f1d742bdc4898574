package columnfamily

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/internal/check"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/pool"
	"github.com/cassa-go/cassa/thriftgen"
)

// Mutator queues inserts and removes, possibly across column families, and
// sends them together with one batch_mutate (or atomic_batch_mutate with
// Atomic): by Send, or by itself once QueueSize mutations are queued.
// Each Insert or Remove call is one queued mutation, with its own
// timestamp taken when it is queued. It is safe for concurrent use.
//
// Mutations that cannot be built (a key or value that does not pack, a
// counter in an atomic batch) are refused by Insert and Remove with a
// *MutationError and never queued.
// When a batch fails (the server refuses it, or it could not be sent after
// the pool's retries), Send returns a *BatchError listing what the batch
// held, keys and values (Cassandra does not say which mutation it objected
// to), and the mutations stay queued, in order, ahead of any queued since:
// Send sends them again, Discard drops them. Until then the Mutator does
// not send by itself, so a batch that may have been applied is not resent
// behind the caller's back. A batch that was sent leaves the queue.
//
// A Mutator is not atomic across rows unless Atomic is set; Cassandra
// applies each row of each column family atomically.
type Mutator struct {
	pool  *pool.Pool
	limit int
	opts  batchOpts
	defCL cassa.Consistency

	mu     sync.Mutex
	queue  []batchEntry
	paused bool // a failed batch waits in the queue: no automatic send
}

// batchEntry is one queued Insert or Remove.
type batchEntry struct {
	cf      string
	counter bool // a counter write that must not be retried
	key     []byte
	keyV    any
	vals    Values // an insert's values, as given
	ts      int64
	s       *cfSchema // renders the mutation in a BatchError
	op      string
	muts    []*thriftgen.Mutation
}

var errCounterAtomic = fmt.Errorf("%w: counter mutations are not allowed in atomic batches", ErrInvalidOption)

// NewMutator returns a Mutator that sends through p; the zero options
// mean: automatic send every DefaultQueueSize mutations, consistency ONE,
// not atomic.
//
// A nil p makes a Mutator whose Insert, Remove and Send return a
// *cassa.ArgumentError.
func NewMutator(p *pool.Pool, opts ...BatchOption) *Mutator {
	m := &Mutator{pool: p}
	for _, o := range opts {
		if o != nil {
			o.applyBatch(&m.opts)
		}
	}
	m.limit = m.opts.queueSize
	if m.limit == 0 {
		m.limit = DefaultQueueSize
	}
	return m
}

// Len is the number of queued mutations.
func (m *Mutator) Len() int {
	if m == nil {
		return 0
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.queue)
}

// Insert queues an insert of vals into the row key of cf, as
// ColumnFamily.Insert would write it, and returns its timestamp. Empty
// vals queue nothing. A consistency level among opts is ignored: the batch
// has one. If the queue reaches QueueSize the batch is sent, and the error
// is that of the send.
func (m *Mutator) Insert(ctx context.Context, cf *ColumnFamily, key any, vals Values, opts ...WriteOption) (int64, error) {
	s, err := m.begin(ctx, cf, "columnfamily.Mutator.Insert")
	if err != nil {
		return 0, err
	}
	o, err := cf.writeOptions(opts)
	if err != nil {
		return 0, err
	}
	ts := cf.stamp(&o)
	if vals == nil || vals.size() == 0 {
		return ts, nil
	}
	if s.counter && m.opts.atomic {
		// Cassandra refuses the whole batch; refuse the one mutation here.
		return 0, cf.mutationError(s, key, "insert", errCounterAtomic)
	}
	k, muts, err := cf.insertRow(s, key, vals, ts, o.ttl)
	if err != nil {
		return 0, err
	}
	return ts, m.enqueue(ctx, batchEntry{cf: cf.name, counter: s.counter && !cf.cfg.retryCounters,
		key: k, keyV: key, vals: vals, ts: ts, s: s, op: "insert", muts: muts})
}

// Remove queues a deletion of what q names from the row key of cf, as
// ColumnFamily.Remove would send it, and returns its timestamp.
func (m *Mutator) Remove(ctx context.Context, cf *ColumnFamily, key any, q query.Select, opts ...WriteOption) (int64, error) {
	s, err := m.begin(ctx, cf, "columnfamily.Mutator.Remove")
	if err != nil {
		return 0, err
	}
	o, err := cf.writeOptions(opts)
	if err != nil {
		return 0, err
	}
	ts := cf.stamp(&o)
	k, mut, err := cf.removeRow(s, key, q, &o, ts)
	if err != nil {
		return 0, err
	}
	return ts, m.enqueue(ctx, batchEntry{cf: cf.name, key: k, keyV: key, ts: ts, s: s, op: "remove",
		muts: []*thriftgen.Mutation{mut}})
}

// begin checks what Insert and Remove check first: a Mutator made by
// NewMutator, a context and a ColumnFamily made by Open; it returns the
// column family's schema.
func (m *Mutator) begin(ctx context.Context, cf *ColumnFamily, fn string) (*cfSchema, error) {
	if err := m.usable(fn); err != nil {
		return nil, err
	}
	if cf == nil {
		return nil, check.Nil(fn, "cf")
	}
	return cf.begin(ctx, fn)
}

// usable returns a *cassa.ArgumentError for a nil Mutator or one
// NewMutator did not make.
func (m *Mutator) usable(fn string) error {
	if m == nil || m.pool == nil {
		return check.Unmade(fn, "*columnfamily.Mutator", "columnfamily.NewMutator (with a pool)")
	}
	return nil
}

func (m *Mutator) enqueue(ctx context.Context, e batchEntry) error {
	m.mu.Lock()
	m.queue = append(m.queue, e)
	var full []batchEntry
	if m.limit > 0 && !m.paused && len(m.queue) >= m.limit {
		full, m.queue = m.queue, nil
	}
	m.mu.Unlock()
	if full == nil {
		return nil
	}
	return m.send(ctx, full)
}

// Send sends every queued mutation in one request and empties the queue.
// An empty queue sends nothing. When the batch fails it returns a
// *BatchError and the mutations stay queued (see Mutator).
func (m *Mutator) Send(ctx context.Context) error {
	if err := m.usable("columnfamily.Mutator.Send"); err != nil {
		return err
	}
	if err := check.Context(ctx, "columnfamily.Mutator.Send"); err != nil {
		return err
	}
	m.mu.Lock()
	q := m.queue
	m.queue = nil
	m.mu.Unlock()
	return m.send(ctx, q)
}

// Discard drops every queued mutation, sent or kept by a failed send, and
// returns how many there were. The Mutator then sends by itself again.
func (m *Mutator) Discard() int {
	if m == nil {
		return 0
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	n := len(m.queue)
	m.queue, m.paused = nil, false
	return n
}

func (m *Mutator) send(ctx context.Context, q []batchEntry) error {
	if len(q) == 0 {
		return nil
	}
	mm := make(map[string]map[string][]*thriftgen.Mutation)
	var opts []pool.DoOption
	counter := false
	for _, e := range q {
		byCF := mm[string(e.key)]
		if byCF == nil {
			byCF = make(map[string][]*thriftgen.Mutation)
			mm[string(e.key)] = byCF
		}
		byCF[e.cf] = append(byCF[e.cf], e.muts...)
		counter = counter || e.counter
	}
	if counter {
		opts = append(opts, pool.NonIdempotent())
	}
	if len(mm) == 1 {
		opts = append(opts, pool.RoutingKey(q[0].key))
	}
	cl := thriftLevel(m.opts.cl, m.defCL)
	atomic := m.opts.atomic
	err := m.pool.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
		if atomic {
			return c.Client().AtomicBatchMutate(ctx, mm, cl)
		}
		return c.Client().BatchMutate(ctx, mm, cl)
	}, opts...)
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		// Keep the batch, ahead of what was queued meanwhile.
		m.queue = append(q[:len(q):len(q)], m.queue...)
		m.paused = true
		return newBatchError(q, atomic, err)
	}
	if len(m.queue) == 0 {
		m.paused = false // no failed batch waits
	}
	return nil
}

// BatchError reports a batch the server refused or that could not be
// sent. Cassandra rejects a batch whole and does not say which mutation it
// objected to, so the error lists every mutation the batch held, with its
// key and values; Err (often an *InvalidRequestError whose Why names the
// problem) says why. The mutations are still queued in the Mutator.
type BatchError struct {
	Atomic    bool
	Mutations []BatchMutation
	Err       error
}

// BatchMutation describes one queued mutation of a failed batch.
type BatchMutation struct {
	CF  string
	Key any    // as given
	Op  string // "insert" or "remove"
	// Columns is the number of columns (or super columns) inserted, or
	// one for a deletion.
	Columns int
	// Values are an insert's values as given to Insert (nil for a
	// remove), for a caller that wants to write them elsewhere.
	Values Values
	// Timestamp is the mutation's write timestamp.
	Timestamp int64

	desc string // key and values rendered through their types, cut
}

// Most of a BatchError's message: mutations, and columns per mutation.
const (
	batchErrorMutations = 5
	batchErrorColumns   = 4
)

func newBatchError(q []batchEntry, atomic bool, err error) *BatchError {
	be := &BatchError{Atomic: atomic, Err: err, Mutations: make([]BatchMutation, len(q))}
	for i, e := range q {
		be.Mutations[i] = BatchMutation{CF: e.cf, Key: e.keyV, Op: e.op, Columns: len(e.muts),
			Values: e.vals, Timestamp: e.ts}
		if i < batchErrorMutations {
			be.Mutations[i].desc = e.describe()
		}
	}
	return be
}

// describe renders the entry's key and its first columns (names and
// values, or the names a removal deletes) through the column family's
// types, each cut as codec.FormatKey cuts: `"k1": "name"="Tyler", "age"=24`.
func (e *batchEntry) describe() string {
	s := e.s
	var parts []string
	more := 0
	add := func(p string) {
		if len(parts) < batchErrorColumns {
			parts = append(parts, p)
		} else {
			more++
		}
	}
	column := func(c *thriftgen.Column) string { return s.showName(c.Name) + "=" + s.showValue(c.Name, c.Value) }
	counter := func(c *thriftgen.CounterColumn) string { return s.showName(c.Name) + "+=" + fmt.Sprint(c.Value) }
	superName := func(b []byte) string { return codec.FormatKey(s.valSuper, b) }
	for _, m := range e.muts {
		switch cs := m.ColumnOrSupercolumn; {
		case m.Deletion != nil:
			d := m.Deletion
			prefix := ""
			if d.SuperColumn != nil {
				prefix = "super " + superName(d.SuperColumn) + " "
			}
			switch {
			case d.Predicate == nil && d.SuperColumn == nil:
				add("the whole row")
			case d.Predicate == nil:
				add(strings.TrimSpace(prefix))
			default:
				for _, n := range d.Predicate.ColumnNames {
					if d.SuperColumn == nil && s.super {
						add("super " + superName(n))
					} else {
						add(prefix + s.showName(n))
					}
				}
			}
		case cs == nil:
		case cs.Column != nil:
			add(column(cs.Column))
		case cs.CounterColumn != nil:
			add(counter(cs.CounterColumn))
		case cs.SuperColumn != nil:
			for _, c := range cs.SuperColumn.Columns {
				add(superName(cs.SuperColumn.Name) + "/" + column(c))
			}
		case cs.CounterSuperColumn != nil:
			for _, c := range cs.CounterSuperColumn.Columns {
				add(superName(cs.CounterSuperColumn.Name) + "/" + counter(c))
			}
		}
	}
	out := codec.FormatKey(s.keyShow, e.key)
	if len(parts) > 0 {
		out += ": " + strings.Join(parts, ", ")
	}
	if more > 0 {
		out += fmt.Sprintf(" and %d more", more)
	}
	return out
}

// Error describes the failure and the first mutations of the batch.
func (e *BatchError) Error() string {
	if e == nil {
		return "<nil>"
	}
	var b strings.Builder
	op := "batch_mutate"
	if e.Atomic {
		op = "atomic_batch_mutate"
	}
	fmt.Fprintf(&b, "columnfamily: %s of %d mutations failed: %v; mutations:", op, len(e.Mutations), e.Err)
	for i, m := range e.Mutations {
		if i == batchErrorMutations {
			fmt.Fprintf(&b, " and %d more", len(e.Mutations)-i)
			break
		}
		d := m.desc
		if d == "" {
			d = codec.FormatKeyValue(nil, m.Key)
		}
		fmt.Fprintf(&b, " [%s %s row %s]", m.Op, m.CF, d)
	}
	return b.String()
}

// Unwrap returns Err.
func (e *BatchError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// CFMutator is a Mutator bound to one column family, from
// ColumnFamily.Batch: its consistency level defaults to the column
// family's write level, and counter batches are not retried unless the
// column family allows it.
type CFMutator struct {
	m  *Mutator
	cf *ColumnFamily
}

// Batch returns a mutator for this column family. On a nil ColumnFamily,
// or one Open did not make, its Insert, Remove and Send return a
// *cassa.ArgumentError.
func (cf *ColumnFamily) Batch(opts ...BatchOption) *CFMutator {
	if cf == nil {
		return &CFMutator{m: NewMutator(nil)}
	}
	m := NewMutator(cf.pool, opts...)
	m.defCL = cf.cfg.writeCL
	return &CFMutator{m: m, cf: cf}
}

// mutator is b's Mutator, or an unusable one for a nil or zero CFMutator.
func (b *CFMutator) mutator() *Mutator {
	if b == nil || b.m == nil {
		return &Mutator{}
	}
	return b.m
}

// column is b's column family (nil for a nil CFMutator).
func (b *CFMutator) column() *ColumnFamily {
	if b == nil {
		return nil
	}
	return b.cf
}

// Insert queues an insert, as Mutator.Insert.
func (b *CFMutator) Insert(ctx context.Context, key any, vals Values, opts ...WriteOption) (int64, error) {
	return b.mutator().Insert(ctx, b.column(), key, vals, opts...)
}

// Remove queues a deletion, as Mutator.Remove.
func (b *CFMutator) Remove(ctx context.Context, key any, q query.Select, opts ...WriteOption) (int64, error) {
	return b.mutator().Remove(ctx, b.column(), key, q, opts...)
}

// Send sends the queued mutations, as Mutator.Send.
func (b *CFMutator) Send(ctx context.Context) error { return b.mutator().Send(ctx) }

// Len is the number of queued mutations.
func (b *CFMutator) Len() int { return b.mutator().Len() }

// Discard drops the queued mutations, as Mutator.Discard.
func (b *CFMutator) Discard() int { return b.mutator().Discard() }
