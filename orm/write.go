package orm

import (
	"context"
	"fmt"
	"unsafe"

	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/orm/tags"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
)

// encodeRow packs the instance v: its key, and its columns (under its
// super column in a super column family), appending their spans to
// spans. Only fields are written: the raw field's entries too, unless
// Fields is given; nothing else of the struct ever reaches the server.
func (m *Mapper[T, K]) encodeRow(info *tableInfo, v *T, o *callOpts, spans []span) (rowWrite, error) {
	if v == nil {
		return rowWrite{}, ErrNilInstance
	}
	pl := m.plan
	if pl.counter {
		return rowWrite{}, fmt.Errorf("%w: %s is a counter model; use Add", ErrCounter, pl.st.Name)
	}
	p := unsafe.Pointer(v)
	key, err := pl.keyOf(p)
	if err != nil {
		return rowWrite{}, err
	}
	sel, err := pl.selected(o)
	if err != nil {
		return rowWrite{}, err
	}
	ttl, err := pl.ttlOf(p)
	if err != nil {
		return rowWrite{}, err
	}
	nulls := o.nulls
	if nulls == tags.NullDefault {
		nulls = m.cfg.nulls
	}
	r := rowWrite{key: key, insert: len(pl.ck) > 0}
	r.buf, r.set, r.del, err = pl.pack(p, sel, nulls, ttl, make([]byte, 0, pl.sizeHint), spans)
	if err != nil {
		return rowWrite{}, err
	}
	if sel == nil {
		if r.raw, err = pl.rawCells(p, info, ttl); err != nil {
			return rowWrite{}, err
		}
	}
	if pl.super != nil {
		if r.super, err = pl.super.packOne(p, "super column name"); err != nil {
			return rowWrite{}, err
		}
	}
	return r, nil
}

// Insert writes the instance v: every field, zero values included. Empty
// values (nil pointers; zero values of fields tagged omitempty, null=skip
// or null=delete) are skipped by default, which leaves what the columns
// held, or deleted when the field's null= or Nulls says so (see
// tags.NullMode). Fields limits it to some fields; TTL, Timestamp and
// Consistency adjust the write, and an instance's ttl field (when not
// zero) sets the TTL of its columns. On a super column family the columns
// go under the super column v's super field names. Counter models are
// changed with Add, never Insert. An instance with nothing to write sends
// nothing.
func (m *Mapper[T, K]) Insert(ctx context.Context, v *T, opts ...CallOption) error {
	info, err := m.open(ctx, opts)
	if err != nil {
		return err
	}
	o := collect(opts)
	spans := spanBufs.Get().(*[]span)
	r, err := m.encodeRow(info, v, &o, (*spans)[:0])
	if err == nil && !r.empty() {
		err = m.tx.write(ctx, r, o.writeSpec())
	}
	if cap(r.set) > 0 {
		*spans = r.set[:0]
	}
	spanBufs.Put(spans)
	return err
}

// BatchInsert writes several instances with one batch_mutate: each
// instance as Insert would write it (Fields applies to all), all sent
// together. Nothing is sent when any instance cannot be packed.
func (m *Mapper[T, K]) BatchInsert(ctx context.Context, vs []*T, opts ...CallOption) error {
	info, err := m.open(ctx, opts)
	if err != nil {
		return err
	}
	o := collect(opts)
	rows := make([]rowWrite, 0, len(vs))
	for _, v := range vs {
		r, err := m.encodeRow(info, v, &o, nil)
		if err != nil {
			return err
		}
		if !r.empty() {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return m.tx.writeBatch(ctx, rows, o.writeSpec())
}

// Batch is a caller's batch that mappers queue writes into and the
// caller sends: a Thrift *columnfamily.Mutator or a CQL *cql.Batch, which
// may span tables and models. NewBatch makes the one that fits a
// connection; a batch of the other transport is refused (ErrArgument).
type Batch interface {
	// Send sends what is queued; a failed send keeps what was not sent.
	Send(ctx context.Context) error
	// Len is the number of statements (mutations) queued.
	Len() int
}

// BatchOption configures NewBatch.
type BatchOption interface{ applyBatch(*batchConfig) }

type batchConfig struct {
	queueSize int
	unlogged  bool
}

type batchFunc func(*batchConfig)

func (f batchFunc) applyBatch(c *batchConfig) { f(c) }

// QueueSize makes a batch send itself once n statements are queued: 0
// means the transport's default (100), NoAutoSend keeps everything until
// Send.
func QueueSize(n int) BatchOption { return batchFunc(func(c *batchConfig) { c.queueSize = n }) }

// NoAutoSend as QueueSize keeps every statement queued until Send.
const NoAutoSend = -1

// Unlogged sends the batch without Cassandra's batch log: Thrift's
// batch_mutate, CQL's UNLOGGED batches (one per partition). Without it a
// batch is logged, so all of it is eventually applied or none:
// atomic_batch_mutate, CQL's LOGGED batches.
func Unlogged() BatchOption { return batchFunc(func(c *batchConfig) { c.unlogged = true }) }

// NewBatch returns an empty batch on the connection: a
// *columnfamily.Mutator for a Thrift pool, a *cql.Batch for a CQL session
// (which groups statements by partition and splits them below Cassandra's
// batch size thresholds). Mappers queue into it with Queue and
// QueueRemove; the caller sends it.
func NewBatch[C Conn](conn C, opts ...BatchOption) Batch {
	var c batchConfig
	for _, o := range opts {
		if o != nil {
			o.applyBatch(&c)
		}
	}
	switch x := any(conn).(type) {
	case *pool.Pool:
		bo := []columnfamily.BatchOption{columnfamily.QueueSize(c.queueSize)}
		if !c.unlogged {
			bo = append(bo, columnfamily.Atomic())
		}
		return columnfamily.NewMutator(x, bo...)
	case *cql.Session:
		bo := []cql.BatchOption{cql.QueueSize(c.queueSize)}
		if c.unlogged {
			bo = append(bo, cql.Unlogged())
		}
		if x == nil {
			return noBatch{}
		}
		return x.Batch(bo...)
	}
	return noBatch{}
}

// noBatch is the batch of a nil session: nothing can be queued into it or
// sent.
type noBatch struct{}

func (noBatch) Send(context.Context) error {
	return fmt.Errorf("%w: a batch of a nil connection", ErrArgument)
}

func (noBatch) Len() int { return 0 }

// Queue adds the insert of v to a caller's batch (see Batch), which may
// span tables; the caller sends it. Options as for Insert (Consistency is
// the batch's).
func (m *Mapper[T, K]) Queue(ctx context.Context, b Batch, v *T, opts ...CallOption) error {
	info, err := m.open(ctx, opts)
	if err != nil {
		return err
	}
	o := collect(opts)
	r, err := m.encodeRow(info, v, &o, nil)
	if err != nil || r.empty() {
		return err
	}
	return m.tx.queue(ctx, b, []rowWrite{r}, o.writeSpec())
}

// Remove deletes the instance v: its whole row, or with Fields only those
// columns. On a super column family it deletes v's super column, or with
// Fields only those sub-columns of it (pycassa's remove).
func (m *Mapper[T, K]) Remove(ctx context.Context, v *T, opts ...CallOption) error {
	r, o, err := m.removeInstance(ctx, v, opts)
	if err != nil {
		return err
	}
	return m.tx.write(ctx, r, o.writeSpec())
}

// QueueRemove adds the deletion Remove would send to a caller's batch (see
// Batch), which may span tables; the caller sends it.
func (m *Mapper[T, K]) QueueRemove(ctx context.Context, b Batch, v *T, opts ...CallOption) error {
	r, o, err := m.removeInstance(ctx, v, opts)
	if err != nil {
		return err
	}
	return m.tx.queue(ctx, b, []rowWrite{r}, o.writeSpec())
}

// removeInstance is the deletion of the instance v.
func (m *Mapper[T, K]) removeInstance(ctx context.Context, v *T, opts []CallOption) (rowWrite, callOpts, error) {
	if _, err := m.open(ctx, opts); err != nil {
		return rowWrite{}, callOpts{}, err
	}
	if v == nil {
		return rowWrite{}, callOpts{}, ErrNilInstance
	}
	o := collect(opts)
	p := unsafe.Pointer(v)
	key, err := m.plan.keyOf(p)
	if err != nil {
		return rowWrite{}, o, err
	}
	var sn []byte
	if m.plan.super != nil {
		if sn, err = m.plan.super.packOne(p, "super column name"); err != nil {
			return rowWrite{}, o, err
		}
	}
	r, err := m.removal(key, sn, &o)
	return r, o, err
}

// RemoveKey deletes the row key (with Super, only that super column;
// with Fields, only those columns).
func (m *Mapper[T, K]) RemoveKey(ctx context.Context, key K, opts ...CallOption) error {
	if _, err := m.open(ctx, opts); err != nil {
		return err
	}
	o := collect(opts)
	kb, err := m.packKey(&key)
	if err != nil {
		return err
	}
	var sn []byte
	if o.hasSuper {
		if sn, err = m.packSuper(o.super); err != nil {
			return err
		}
	}
	return m.remove(ctx, kb, sn, &o)
}

// removal is the deletion of the row at key (under super): the columns
// Fields selects, or all of it.
func (m *Mapper[T, K]) removal(key rowKey, super []byte, o *callOpts) (rowWrite, error) {
	sel, err := m.plan.selected(o)
	if err != nil {
		return rowWrite{}, err
	}
	r := rowWrite{key: key, super: super, all: sel == nil}
	for _, fp := range m.plan.cols {
		if sel != nil && sel[fp.pos] {
			r.del = append(r.del, int32(fp.pos))
		}
	}
	return r, nil
}

func (m *Mapper[T, K]) remove(ctx context.Context, key rowKey, super []byte, o *callOpts) error {
	r, err := m.removal(key, super, o)
	if err != nil {
		return err
	}
	return m.tx.write(ctx, r, o.writeSpec())
}

// Add changes the counter field (named by Go field name or column name) of
// the row key by delta, which may be negative. On a super column family
// give Super(name). Counter adds are not retried after a failure
// that may have been applied, unless the mapper was opened with
// ColumnFamilyOptions(columnfamily.RetryCounterMutations()).
func (m *Mapper[T, K]) Add(ctx context.Context, key K, field string, delta int64, opts ...CallOption) error {
	if _, err := m.open(ctx, opts); err != nil {
		return err
	}
	fp, ok := m.plan.field(field)
	if !ok {
		return fmt.Errorf("%w: %s has no field or column %q", ErrUnknownField, m.plan.st.Name, field)
	}
	if !fp.f.Counter {
		return fmt.Errorf("%w: %s.%s is not a counter (type=Counter)", ErrCounter, fp.f.Struct, fp.f.GoName)
	}
	o := collect(opts)
	kb, err := m.packKey(&key)
	if err != nil {
		return err
	}
	sb, err := m.superOf(&o, "Add")
	if err != nil {
		return err
	}
	return m.tx.add(ctx, kb, sb, fp.pos, delta, o.writeSpec())
}
