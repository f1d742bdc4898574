package orm

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/cassa-go/cassa"
)

// InsertIfNotExists writes v as Insert would, only if its row holds no
// live column yet, atomically (a compare-and-set: Thrift's cas, CQL's
// INSERT ... IF NOT EXISTS). It reports whether it wrote; when it did
// not, current holds the row as read at SERIAL consistency right after
// (the zero T if it has none of the model's columns by then).
//
// Consistency sets the commit's level (QUORUM by default), or with
// cassa.LocalSerial the serial phase's (SERIAL by default). Cassandra
// writes with the time of its Paxos ballot, so Timestamp does not apply.
// A compare-and-set cannot delete columns (ErrUnsupported when Nulls or a
// null= tag would), nor write counters (ErrCounter) or super columns
// (ErrSuper).
func (m *Mapper[T, K]) InsertIfNotExists(ctx context.Context, v *T, opts ...CallOption) (applied bool, current T, err error) {
	return m.cas(ctx, nil, v, opts)
}

// CompareAndSwap writes v as Insert would, only if the columns old would
// write still hold old's values, atomically (Thrift's cas, CQL's UPDATE
// ... IF): an update that fails if the row changed since old was read.
// Only the columns old has a value for are compared (Fields narrows them
// and what v writes); if old has none, it is InsertIfNotExists. It reports
// whether it wrote; when it did not, current holds the row as read at
// SERIAL consistency right after. old and v must have the same key.
// Options and limits as for InsertIfNotExists.
func (m *Mapper[T, K]) CompareAndSwap(ctx context.Context, old, v *T, opts ...CallOption) (swapped bool, current T, err error) {
	if old == nil {
		var zero T
		if err := m.ready(ctx); err != nil {
			return false, zero, err
		}
		return false, zero, ErrNilInstance
	}
	return m.cas(ctx, old, v, opts)
}

func (m *Mapper[T, K]) cas(ctx context.Context, old, v *T, opts []CallOption) (bool, T, error) {
	var zero T
	info, err := m.open(ctx)
	if err != nil {
		return false, zero, err
	}
	if m.plan.super != nil {
		return false, zero, fmt.Errorf("%w: Cassandra's compare-and-set does not support super columns", ErrSuper)
	}
	o := collect(opts)
	up, err := m.encodeRow(info, v, &o, nil)
	if err != nil {
		return false, zero, err
	}
	if len(up.del) > 0 {
		return false, zero, fmt.Errorf("%w: a compare-and-set writes columns and cannot delete %q", ErrUnsupported, m.plan.cols[up.del[0]].name)
	}
	expected := rowWrite{key: up.key}
	if old != nil {
		if expected, err = m.encodeRow(info, old, &o, nil); err != nil {
			return false, zero, err
		}
		if !bytes.Equal(expected.key, up.key) {
			return false, zero, fmt.Errorf("%w: CompareAndSwap of two rows (the keys differ)", ErrArgument)
		}
	}
	ok, err := m.tx.cas(ctx, expected, up, o.writeSpec())
	if err != nil || ok {
		return ok, zero, err
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
	cur, err := m.instance(info, &record{key: up.key, cells: cells})
	return false, cur, err
}
