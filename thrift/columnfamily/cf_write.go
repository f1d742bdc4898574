package columnfamily

import (
	"bytes"
	"context"
	"fmt"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/pool"
	"github.com/cassa-go/cassa/thriftgen"
)

// MutationError reports a write that could not be built: a key, name or
// value that does not pack, or options that do not fit the column family.
// Nothing was sent. It names the column family, the key and the operation
// ("insert", "remove", "add", "remove_counter").
type MutationError struct {
	CF  string
	Key any // as given
	Op  string
	Err error

	key string // Key rendered through the key type
}

// Error describes the failure; the key is rendered through its type and
// cut when long (codec.FormatKey).
func (e *MutationError) Error() string {
	if e == nil {
		return "<nil>"
	}
	k := e.key
	if k == "" {
		k = codec.FormatKeyValue(nil, e.Key)
	}
	return fmt.Sprintf("columnfamily: %s %s row %s: %v", e.Op, e.CF, k, e.Err)
}

// mutationError is the *MutationError of op on key.
func (cf *ColumnFamily) mutationError(s *cfSchema, key any, op string, err error) *MutationError {
	return &MutationError{CF: cf.name, Key: key, Op: op, Err: err, key: s.showKey(key)}
}

// Unwrap returns Err.
func (e *MutationError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// RowValues is one row for BatchInsert.
type RowValues struct {
	Key    any
	Values Values
}

func (cf *ColumnFamily) writeOptions(opts []WriteOption) (writeOpts, error) {
	var o writeOpts
	for _, f := range opts {
		if f != nil {
			f.applyWrite(&o)
		}
	}
	return o, o.ttlErr
}

// stamp is the timestamp of a write: the one given, or a new one from the
// column family's source. It is taken once, before the first attempt.
func (cf *ColumnFamily) stamp(o *writeOpts) int64 {
	if o.tsSet {
		return o.ts
	}
	return cf.cfg.clock()
}

// doOpts are the Pool.Do options of a write to key: counter writes are not
// retried after a failure that may have been applied, unless the column
// family allows it.
func (cf *ColumnFamily) doOpts(s *cfSchema, key []byte) []pool.DoOption {
	if s.counter && !cf.cfg.retryCounters {
		return []pool.DoOption{pool.RoutingKey(key), pool.NonIdempotent()}
	}
	return []pool.DoOption{pool.RoutingKey(key)}
}

// insertMutations turns the columns of one row into batch_mutate
// mutations: one per column in a standard column family, one per super
// column in a super column family, counter columns when the column family
// holds counters.
func (s *cfSchema) insertMutations(cf string, vals Values, ts int64, ttl int32) ([]*thriftgen.Mutation, error) {
	if vals == nil {
		return []*thriftgen.Mutation{}, nil
	}
	n := vals.size()
	muts := make([]*thriftgen.Mutation, 0, n)
	// One allocation per kind of struct rather than per column: these
	// structs have no IDL defaults, so zero values equal New*'s.
	var (
		colArena  []thriftgen.Column
		ccArena   []thriftgen.CounterColumn
		csArena   = make([]thriftgen.ColumnOrSuperColumn, 0, n)
		mutArena  = make([]thriftgen.Mutation, 0, n)
		curSuper  []byte
		cur       *thriftgen.ColumnOrSuperColumn
		stamp     = &ts
		sharedTTL *int32
	)
	if s.counter {
		ccArena = make([]thriftgen.CounterColumn, 0, n)
	} else {
		colArena = make([]thriftgen.Column, 0, n)
	}
	if ttl > 0 {
		sharedTTL = &ttl
	}
	newMutation := func() (*thriftgen.Mutation, *thriftgen.ColumnOrSuperColumn) {
		if len(mutArena) == cap(mutArena) {
			// Never grow an arena in place: pointers into it are out.
			csArena = make([]thriftgen.ColumnOrSuperColumn, 0, n+1)
			mutArena = make([]thriftgen.Mutation, 0, n+1)
		}
		csArena = append(csArena, thriftgen.ColumnOrSuperColumn{})
		mutArena = append(mutArena, thriftgen.Mutation{})
		m, cs := &mutArena[len(mutArena)-1], &csArena[len(csArena)-1]
		m.ColumnOrSupercolumn = cs
		muts = append(muts, m)
		return m, cs
	}
	err := vals.each(func(super any, c Column) error {
		if (super != nil) != s.super {
			if s.super {
				return errNilSuper
			}
			return fmt.Errorf("%w: %s is not a super column family", ErrInvalidOption, cf)
		}
		name, err := s.packName(cf, c.Name, false, codec.NoBound)
		if err != nil {
			return err
		}
		if len(name) == 0 || len(name) > 0xffff {
			return &PackError{CF: cf, What: "column name", Err: fmt.Errorf("packed name is %d bytes; it must be 1 to 65535", len(name))}
		}
		var col *thriftgen.Column
		var cc *thriftgen.CounterColumn
		if s.counter {
			v, err := s.counterValue(cf, name, c.Value)
			if err != nil {
				return err
			}
			if len(ccArena) == cap(ccArena) {
				ccArena = make([]thriftgen.CounterColumn, 0, n)
			}
			ccArena = append(ccArena, thriftgen.CounterColumn{Name: name, Value: v})
			cc = &ccArena[len(ccArena)-1]
		} else {
			v, err := s.packValue(cf, name, c.Value)
			if err != nil {
				return err
			}
			if len(colArena) == cap(colArena) {
				colArena = make([]thriftgen.Column, 0, n)
			}
			colArena = append(colArena, thriftgen.Column{Name: name, Value: v, Timestamp: stamp, TTL: sharedTTL})
			col = &colArena[len(colArena)-1]
			if c.TTL > 0 {
				own := c.TTL
				col.TTL = &own
			}
		}
		if !s.super {
			_, cs := newMutation()
			cs.Column, cs.CounterColumn = col, cc
			return nil
		}
		sc, err := s.packName(cf, super, true, codec.NoBound)
		if err != nil {
			return err
		}
		if cur == nil || !bytes.Equal(sc, curSuper) {
			_, cur = newMutation()
			curSuper = sc
			if s.counter {
				cur.CounterSuperColumn = thriftgen.NewCounterSuperColumn()
				cur.CounterSuperColumn.Name = sc
				cur.CounterSuperColumn.Columns = []*thriftgen.CounterColumn{}
			} else {
				cur.SuperColumn = thriftgen.NewSuperColumn()
				cur.SuperColumn.Name = sc
				cur.SuperColumn.Columns = []*thriftgen.Column{}
			}
		}
		if s.counter {
			cur.CounterSuperColumn.Columns = append(cur.CounterSuperColumn.Columns, cc)
		} else {
			cur.SuperColumn.Columns = append(cur.SuperColumn.Columns, col)
		}
		return nil
	})
	return muts, err
}

// deletion builds the Deletion of Remove (pycassa's table): the whole row,
// a super column, some of its sub-columns, or some (super) columns.
func (s *cfSchema) deletion(cf string, q query.Select, o *writeOpts, ts int64) (*thriftgen.Mutation, error) {
	p, err := parts(q, "Remove", false)
	if err != nil {
		return nil, err
	}
	if !p.Named && (p.Start != nil || p.Finish != nil || p.Reversed || p.PerPartitionLimit != 0) {
		return nil, fmt.Errorf("%w: Remove deletes named columns (query.Columns) or, with the zero Select, the whole row; not a slice (%v)", ErrInvalidOption, q)
	}
	d := thriftgen.NewDeletion()
	t := ts
	d.Timestamp = &t
	if o.super != nil {
		if !s.super {
			return nil, fmt.Errorf("%w: %s is not a super column family", ErrInvalidOption, cf)
		}
		sc, err := s.packName(cf, o.super, true, codec.NoBound)
		if err != nil {
			return nil, err
		}
		d.SuperColumn = sc
	}
	if p.Named {
		pred := thriftgen.NewSlicePredicate()
		pred.ColumnNames = make([][]byte, 0, len(p.Columns))
		superNames := s.super && o.super == nil
		for _, n := range p.Columns {
			b, err := s.packName(cf, n, superNames, codec.NoBound)
			if err != nil {
				return nil, err
			}
			pred.ColumnNames = append(pred.ColumnNames, b)
		}
		d.Predicate = pred
	}
	m := thriftgen.NewMutation()
	m.Deletion = d
	return m, nil
}

// Insert writes columns to the row key with one batch_mutate and returns
// the timestamp it used (Timestamp, or one from the column family's
// source). vals is Cols, a ColumnList, or for a super column family
// SuperCols or a SuperColumnList. On a counter column family the values
// are increments and TTL and timestamp do not apply. A retried Insert
// sends the same timestamp again.
func (cf *ColumnFamily) Insert(ctx context.Context, key any, vals Values, opts ...WriteOption) (int64, error) {
	return cf.BatchInsert(ctx, []RowValues{{Key: key, Values: vals}}, opts...)
}

// BatchInsert writes several rows with one batch_mutate, all with the same
// timestamp, which it returns. An empty rows sends nothing.
func (cf *ColumnFamily) BatchInsert(ctx context.Context, rows []RowValues, opts ...WriteOption) (int64, error) {
	s, err := cf.begin(ctx, "columnfamily.ColumnFamily.BatchInsert")
	if err != nil {
		return 0, err
	}
	o, err := cf.writeOptions(opts)
	if err != nil {
		return 0, err
	}
	ts := cf.stamp(&o)
	if len(rows) == 0 {
		return ts, nil
	}
	byKey := make(map[string][]*thriftgen.Mutation, len(rows))
	var first []byte
	for _, r := range rows {
		k, muts, err := cf.insertRow(s, r.Key, r.Values, ts, o.ttl)
		if err != nil {
			return 0, err
		}
		if first == nil {
			first = k
		}
		byKey[string(k)] = append(byKey[string(k)], muts...)
	}
	mm := make(map[string]map[string][]*thriftgen.Mutation, len(byKey))
	for k, muts := range byKey {
		mm[k] = map[string][]*thriftgen.Mutation{cf.name: muts}
	}
	cl := thriftLevel(o.cl, cf.cfg.writeCL)
	err = cf.pool.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
		return c.Client().BatchMutate(ctx, mm, cl)
	}, cf.doOpts(s, first)...)
	if err != nil {
		return 0, err
	}
	return ts, nil
}

// insertRow packs key and the mutations inserting vals into it, for
// BatchInsert and Mutator.Insert alike; a failure is a *MutationError.
func (cf *ColumnFamily) insertRow(s *cfSchema, key any, vals Values, ts int64, ttl int32) ([]byte, []*thriftgen.Mutation, error) {
	k, err := s.packRowKey(cf.name, key)
	if err == nil {
		var muts []*thriftgen.Mutation
		if muts, err = s.insertMutations(cf.name, vals, ts, ttl); err == nil {
			return k, muts, nil
		}
	}
	return nil, nil, cf.mutationError(s, key, "insert", err)
}

// removeRow packs key and the deletion q and o select, for Remove and
// Mutator.Remove alike; a failure is a *MutationError.
func (cf *ColumnFamily) removeRow(s *cfSchema, key any, q query.Select, o *writeOpts, ts int64) ([]byte, *thriftgen.Mutation, error) {
	k, err := s.packRowKey(cf.name, key)
	if err == nil {
		var m *thriftgen.Mutation
		if m, err = s.deletion(cf.name, q, o, ts); err == nil {
			return k, m, nil
		}
	}
	return nil, nil, cf.mutationError(s, key, "remove", err)
}

// Add increments the counter column by delta (which may be negative) in a
// counter column family; Super addresses a counter in a super column.
// It is not retried after a failure that may have been applied unless the
// column family was opened with RetryCounterMutations.
func (cf *ColumnFamily) Add(ctx context.Context, key, column any, delta int64, opts ...WriteOption) error {
	s, err := cf.begin(ctx, "columnfamily.ColumnFamily.Add")
	if err != nil {
		return err
	}
	o, err := cf.writeOptions(opts)
	if err != nil {
		return err
	}
	k, parent, name, err := cf.counterTarget(s, key, column, &o, "add")
	if err != nil {
		return err
	}
	cc := thriftgen.NewCounterColumn()
	cc.Name, cc.Value = name, delta
	cl := thriftLevel(o.cl, cf.cfg.writeCL)
	return cf.pool.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
		return c.Client().Add(ctx, k, parent, cc, cl)
	}, cf.doOpts(s, k)...)
}

func (cf *ColumnFamily) counterTarget(s *cfSchema, key, column any, o *writeOpts, op string) ([]byte, *thriftgen.ColumnParent, []byte, error) {
	wrap := func(err error) error { return cf.mutationError(s, key, op, err) }
	k, err := s.packRowKey(cf.name, key)
	if err != nil {
		return nil, nil, nil, wrap(err)
	}
	parent, err := cf.parent(s, o.super)
	if err != nil {
		return nil, nil, nil, wrap(err)
	}
	name, err := s.packName(cf.name, column, false, codec.NoBound)
	if err != nil {
		return nil, nil, nil, wrap(err)
	}
	return k, parent, name, nil
}

// RemoveCounter deletes a counter column (in Super, when given).
// Like pycassa, it is retried as any idempotent operation.
func (cf *ColumnFamily) RemoveCounter(ctx context.Context, key, column any, opts ...WriteOption) error {
	s, err := cf.begin(ctx, "columnfamily.ColumnFamily.RemoveCounter")
	if err != nil {
		return err
	}
	o, err := cf.writeOptions(opts)
	if err != nil {
		return err
	}
	k, parent, name, err := cf.counterTarget(s, key, column, &o, "remove_counter")
	if err != nil {
		return err
	}
	path := thriftgen.NewColumnPath()
	path.ColumnFamily, path.SuperColumn, path.Column = cf.name, parent.SuperColumn, name
	cl := thriftLevel(o.cl, cf.cfg.writeCL)
	return cf.pool.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
		return c.Client().RemoveCounter(ctx, k, path, cl)
	}, pool.RoutingKey(k))
}

// Remove deletes what q names from the row key, with one batch_mutate, and
// returns the timestamp of the deletion:
//
//	query.Select{}                     the whole row
//	query.Select{}, Super(sc)          that super column
//	query.Columns(…), Super(sc)        those sub-columns of sc
//	query.Columns(…)                   those columns (super columns in a super CF)
//	query.Columns()                    nothing
func (cf *ColumnFamily) Remove(ctx context.Context, key any, q query.Select, opts ...WriteOption) (int64, error) {
	s, err := cf.begin(ctx, "columnfamily.ColumnFamily.Remove")
	if err != nil {
		return 0, err
	}
	o, err := cf.writeOptions(opts)
	if err != nil {
		return 0, err
	}
	ts := cf.stamp(&o)
	k, m, err := cf.removeRow(s, key, q, &o, ts)
	if err != nil {
		return 0, err
	}
	mm := map[string]map[string][]*thriftgen.Mutation{string(k): {cf.name: {m}}}
	cl := thriftLevel(o.cl, cf.cfg.writeCL)
	err = cf.pool.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
		return c.Client().BatchMutate(ctx, mm, cl)
	}, pool.RoutingKey(k))
	if err != nil {
		return 0, err
	}
	return ts, nil
}

// Truncate deletes every row of the column family. The server needs every
// node up; it fails with ErrUnavailable otherwise.
func (cf *ColumnFamily) Truncate(ctx context.Context) error {
	if _, err := cf.begin(ctx, "columnfamily.ColumnFamily.Truncate"); err != nil {
		return err
	}
	return cf.pool.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
		return c.Client().Truncate(ctx, cf.name)
	})
}
