package orm

import (
	"context"
	"fmt"
	"unsafe"

	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
)

// row is one instance ready to write.
type row struct {
	key  []byte
	vals columnfamily.Values
	n    int // columns
}

// encodeRow packs the instance v: its key, and its columns (under its
// super column in a super column family). Only fields are written: the
// raw field's entries too, unless Fields is given; nothing else of the
// struct ever reaches the server.
func (m *Mapper[T]) encodeRow(l *liveCF, v *T, o *callOpts) (row, error) {
	if v == nil {
		return row{}, ErrNilInstance
	}
	pl := m.plan
	if pl.counter {
		return row{}, fmt.Errorf("%w: %s is a counter model; use Add", ErrCounter, pl.st.Name)
	}
	p := unsafe.Pointer(v)
	key, err := pl.key.packOne(p, "row key")
	if err != nil {
		return row{}, err
	}
	sel, err := pl.selected(o)
	if err != nil {
		return row{}, err
	}
	ttl, err := pl.ttlOf(p)
	if err != nil {
		return row{}, err
	}
	buf, cols, err := pl.pack(p, sel, make([]byte, 0, pl.sizeHint), make([]packedCol, 0, len(pl.cols)))
	if err != nil {
		return row{}, err
	}
	list := pl.columnList(buf, cols, ttl)
	if sel == nil {
		raw, err := pl.rawColumns(p, l, ttl)
		if err != nil {
			return row{}, err
		}
		list = append(list, raw...)
	}
	r := row{key: key, vals: list, n: len(list)}
	if pl.super != nil {
		sn, err := pl.super.packOne(p, "super column name")
		if err != nil {
			return row{}, err
		}
		r.vals = columnfamily.SuperColumnList{{Name: sn, Columns: list}}
	}
	return r, nil
}

// Insert writes the instance v: every field, zero values included (unless
// tagged omitempty); nil pointers are skipped. Fields limits it to some
// fields; TTL, Timestamp and Consistency adjust the write, and an instance's ttl
// field (when not zero) sets the TTL of its columns. On a super column
// family the columns go under the super column v's super field names.
// Counter models are changed with Add, never Insert. An instance with
// nothing to write (every field nil or omitted) sends nothing.
func (m *Mapper[T]) Insert(ctx context.Context, v *T, opts ...CallOption) error {
	l, err := m.open(ctx)
	if err != nil {
		return err
	}
	o := collect(opts)
	r, err := m.encodeRow(l, v, &o)
	if err != nil {
		return err
	}
	if r.n == 0 {
		return nil
	}
	_, err = l.cf.Insert(ctx, r.key, r.vals, o.writeOpts()...)
	return err
}

// BatchInsert writes several instances with one batch_mutate, through a
// columnfamily batch mutator: each instance as Insert would write it (Fields
// applies to all), all sent together. Nothing is sent when any instance
// cannot be packed.
func (m *Mapper[T]) BatchInsert(ctx context.Context, vs []*T, opts ...CallOption) error {
	l, err := m.open(ctx)
	if err != nil {
		return err
	}
	o := collect(opts)
	rows := make([]row, 0, len(vs))
	for _, v := range vs {
		r, err := m.encodeRow(l, v, &o)
		if err != nil {
			return err
		}
		if r.n > 0 {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	var bo []columnfamily.BatchOption
	bo = append(bo, columnfamily.QueueSize(columnfamily.NoAutoSend))
	if o.cl != 0 {
		bo = append(bo, columnfamily.Consistency(o.cl))
	}
	b := l.cf.Batch(bo...)
	wo := o.writeOpts()
	for _, r := range rows {
		if _, err := b.Insert(ctx, r.key, r.vals, wo...); err != nil {
			return err
		}
	}
	return b.Send(ctx)
}

// Queue adds the insert of v to a caller's batch, which may span column
// families; the caller sends it. Options as for Insert (Consistency is
// the batch's).
func (m *Mapper[T]) Queue(ctx context.Context, b *columnfamily.Mutator, v *T, opts ...CallOption) error {
	l, err := m.open(ctx)
	if err != nil {
		return err
	}
	o := collect(opts)
	r, err := m.encodeRow(l, v, &o)
	if err != nil || r.n == 0 {
		return err
	}
	_, err = b.Insert(ctx, l.cf, r.key, r.vals, o.writeOpts()...)
	return err
}

// Remove deletes the instance v: its whole row, or with Fields only those
// columns. On a super column family it deletes v's super column, or with
// Fields only those sub-columns of it (pycassa's remove).
func (m *Mapper[T]) Remove(ctx context.Context, v *T, opts ...CallOption) error {
	if v == nil {
		return ErrNilInstance
	}
	l, err := m.open(ctx)
	if err != nil {
		return err
	}
	o := collect(opts)
	p := unsafe.Pointer(v)
	key, err := m.plan.key.packOne(p, "row key")
	if err != nil {
		return err
	}
	var sn []byte
	if m.plan.super != nil {
		if sn, err = m.plan.super.packOne(p, "super column name"); err != nil {
			return err
		}
	}
	return m.remove(ctx, l, key, sn, &o)
}

// RemoveKey deletes the row key (with Super, only that super column;
// with Fields, only those columns).
func (m *Mapper[T]) RemoveKey(ctx context.Context, key any, opts ...CallOption) error {
	l, err := m.open(ctx)
	if err != nil {
		return err
	}
	o := collect(opts)
	kb, err := m.packKey(key)
	if err != nil {
		return err
	}
	var sn []byte
	if o.hasSuper {
		if sn, err = m.packSuper(o.super); err != nil {
			return err
		}
	}
	return m.remove(ctx, l, kb, sn, &o)
}

func (m *Mapper[T]) remove(ctx context.Context, l *liveCF, key, sn []byte, o *callOpts) error {
	wo := o.writeOpts()
	if sn != nil {
		wo = append(wo, columnfamily.Super(sn))
	}
	sel, err := m.plan.selected(o)
	if err != nil {
		return err
	}
	var q query.Select // the whole row (or super column)
	if sel != nil {
		q = query.Columns(m.plan.selectedNames(sel)...)
	}
	_, err = l.cf.Remove(ctx, key, q, wo...)
	return err
}

// Add changes the counter field (named by Go field name or column name) of
// the row key by delta, which may be negative. On a super column family
// give Super(name). Counter adds are not retried after a failure
// that may have been applied, unless the mapper was opened with
// ColumnFamilyOptions(columnfamily.RetryCounterMutations()).
func (m *Mapper[T]) Add(ctx context.Context, key any, field string, delta int64, opts ...CallOption) error {
	l, err := m.open(ctx)
	if err != nil {
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
	kb, err := m.packKey(key)
	if err != nil {
		return err
	}
	sb, err := m.superOf(&o, "Add")
	if err != nil {
		return err
	}
	wo := o.writeOpts()
	if sb != nil {
		wo = append(wo, columnfamily.Super(sb))
	}
	return l.cf.Add(ctx, kb, fp.name, delta, wo...)
}
