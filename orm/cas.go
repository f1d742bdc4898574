package orm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"unsafe"

	"github.com/cassa-go/cassa"
)

// InsertIfNotExists writes v as Insert would, only if its row does not
// exist yet, atomically (a compare-and-set: CQL's INSERT ... IF NOT
// EXISTS; Thrift's cas expecting no column). It reports whether it wrote;
// when it did not, current holds the row as it is (read at SERIAL
// consistency, or as Cassandra returned it), the zero T if the row has
// none of the model's columns by then.
//
// Consistency sets the commit's level (QUORUM by default on Thrift, the
// session's on CQL), or with cassa.LocalSerial the serial phase's (SERIAL
// by default). Cassandra writes with the time of its Paxos ballot, so
// Timestamp does not apply. A compare-and-set cannot delete columns
// (ErrUnsupported when Nulls or a null= tag would), nor write counters
// (ErrCounter) or super columns (ErrSuper).
func (m *Mapper[T, K]) InsertIfNotExists(ctx context.Context, v *T, opts ...CallOption) (applied bool, current T, err error) {
	return m.cas(ctx, casInsert, nil, v, opts)
}

// CompareAndSwap writes v as Insert would, only if the columns old would
// write still hold old's values, atomically (CQL's UPDATE ... IF a = ?
// AND b = ?; Thrift's cas): an update that fails if the row changed since
// old was read. Only the columns old has a value for are compared (Fields
// narrows them and what v writes); if old has none, it is
// InsertIfNotExists. It reports whether it wrote; when it did not, current
// holds the row as read at SERIAL consistency right after. old and v must
// have the same key. Options and limits as for InsertIfNotExists.
func (m *Mapper[T, K]) CompareAndSwap(ctx context.Context, old, v *T, opts ...CallOption) (swapped bool, current T, err error) {
	if old == nil {
		var zero T
		if err := m.ready(ctx); err != nil {
			return false, zero, err
		}
		return false, zero, ErrNilInstance
	}
	return m.cas(ctx, casSwap, old, v, opts)
}

// UpdateIfExists writes v as Insert would (without making the row exist),
// only if its row exists, atomically: CQL's UPDATE ... IF EXISTS. It
// reports whether it wrote; current is the zero T when it did not (the
// row is not there). Thrift's cas cannot express it: ErrUnsupported.
func (m *Mapper[T, K]) UpdateIfExists(ctx context.Context, v *T, opts ...CallOption) (applied bool, current T, err error) {
	return m.cas(ctx, casUpdate, nil, v, opts)
}

// RemoveIfExists deletes v's row only if it exists, atomically (CQL's
// DELETE ... IF EXISTS; Thrift's cas of an empty update), and reports
// whether it did.
func (m *Mapper[T, K]) RemoveIfExists(ctx context.Context, v *T, opts ...CallOption) (applied bool, err error) {
	ok, _, err := m.cas(ctx, casRemove, nil, v, opts)
	return ok, err
}

// CompareAndRemove deletes old's row only if the columns old would write
// still hold old's values, atomically (CQL's DELETE ... IF a = ?;
// Thrift's cas of an empty update). It reports whether it deleted; when
// it did not, current holds the row as it is.
func (m *Mapper[T, K]) CompareAndRemove(ctx context.Context, old *T, opts ...CallOption) (removed bool, current T, err error) {
	return m.cas(ctx, casRemove, old, nil, opts)
}

func (m *Mapper[T, K]) cas(ctx context.Context, kind casKind, old, v *T, opts []CallOption) (bool, T, error) {
	var zero T
	info, err := m.open(ctx, opts)
	if err != nil {
		return false, zero, err
	}
	if m.plan.super != nil {
		return false, zero, fmt.Errorf("%w: Cassandra's compare-and-set does not support super columns", ErrSuper)
	}
	if m.plan.counter {
		return false, zero, fmt.Errorf("%w: Cassandra's compare-and-set does not support counters", ErrCounter)
	}
	o := collect(opts)
	var up, expected rowWrite
	if kind != casRemove {
		if up, err = m.encodeRow(info, v, &o, nil); err != nil {
			return false, zero, err
		}
		if len(up.del) > 0 {
			return false, zero, fmt.Errorf("%w: a compare-and-set writes columns and cannot delete %q", ErrUnsupported, m.plan.cols[up.del[0]].name)
		}
		expected.key = up.key
	}
	switch {
	case old != nil:
		if expected, err = m.encodeRow(info, old, &o, nil); err != nil {
			return false, zero, err
		}
		if kind != casRemove && (!bytes.Equal(expected.key.key, up.key.key) || !bytes.Equal(expected.key.ck, up.key.ck)) {
			return false, zero, fmt.Errorf("%w: CompareAndSwap of two rows (the keys differ)", ErrArgument)
		}
		up.key = expected.key
	case kind == casRemove:
		if v == nil {
			return false, zero, ErrNilInstance
		}
		key, err := m.plan.keyOf(unsafe.Pointer(v))
		if err != nil {
			return false, zero, err
		}
		expected.key, up.key = key, key
	}
	expected.del, expected.all, expected.insert = nil, false, false
	if kind == casSwap && len(expected.set) == 0 && len(expected.raw) == 0 {
		kind = casInsert
	}
	ok, cur, err := m.tx.cas(ctx, casSpec{kind: kind, expected: expected, updates: up}, o.writeSpec())
	if err != nil || ok {
		return ok, zero, err
	}
	if cur != nil {
		if cur.key == nil || len(cur.cells) == 0 && len(m.plan.cols) > 0 && len(m.plan.ck) == 0 {
			return false, zero, nil
		}
		v, err := m.instance(info, cur)
		return false, v, err
	}
	// Not applied: what is there now, read through Paxos.
	serial := cassa.Serial
	if o.cl == cassa.LocalSerial {
		serial = cassa.LocalSerial
	}
	ro := o
	ro.cl = serial
	q, r, err := m.readArgs(nil, &ro, nil)
	if err != nil {
		return false, zero, err
	}
	cells, err := m.tx.get(ctx, up.key, q, r, nil)
	switch {
	case errors.Is(err, cassa.ErrNotFound):
		return false, zero, nil
	case err != nil:
		return false, zero, err
	}
	v2, err := m.instance(info, &record{key: up.key.key, ck: up.key.ck, cells: cells})
	return false, v2, err
}
