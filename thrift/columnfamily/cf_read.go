package columnfamily

import (
	"bytes"
	"context"
	"fmt"
	"iter"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/thrift/pool"
	"github.com/cassa-go/cassa/thriftgen"
)

func (cf *ColumnFamily) readOptions(opts []ReadOption) readOpts {
	var o readOpts
	for _, f := range opts {
		if f != nil {
			f.applyRead(&o)
		}
	}
	return o
}

func (cf *ColumnFamily) readCL(o *readOpts) thriftgen.ConsistencyLevel {
	return thriftLevel(o.cl, cf.cfg.readCL)
}

// parent is the ColumnParent of a read or write: the column family, and
// the packed super column when one is given.
func (cf *ColumnFamily) parent(s *cfSchema, super any) (*thriftgen.ColumnParent, error) {
	p := thriftgen.NewColumnParent()
	p.ColumnFamily = cf.name
	if super != nil {
		if !s.super {
			return nil, fmt.Errorf("%w: %s is not a super column family", ErrInvalidOption, cf.name)
		}
		b, err := s.packName(cf.name, super, true, codec.NoBound)
		if err != nil {
			return nil, err
		}
		p.SuperColumn = b
	}
	return p, nil
}

// sliceEnds packs the start and finish of a slice. pycassa's rule: the
// start is packed as a slice start unless the slice is reversed, the
// finish the other way round, so that a reversed slice's start is its high
// end. Open ends are empty.
func (cf *ColumnFamily) sliceEnds(s *cfSchema, o *readOpts, super bool) (start, finish []byte, err error) {
	sb, fb := codec.SliceStart, codec.SliceFinish
	if o.reversed {
		sb, fb = fb, sb
	}
	start, finish = []byte{}, []byte{}
	if !isOpen(o.start) {
		if start, err = s.packName(cf.name, o.start, super, sb); err != nil {
			return nil, nil, err
		}
	}
	if !isOpen(o.finish) {
		if finish, err = s.packName(cf.name, o.finish, super, fb); err != nil {
			return nil, nil, err
		}
	}
	return start, finish, nil
}

// predicate builds the SlicePredicate of a read: the named columns, or a
// slice range of count columns (defCount when Count is not given).
func (cf *ColumnFamily) predicate(s *cfSchema, o *readOpts, defCount int) (*thriftgen.SlicePredicate, error) {
	superNames := s.super && o.super == nil
	p := thriftgen.NewSlicePredicate()
	if o.named {
		p.ColumnNames = make([][]byte, 0, len(o.names))
		for _, n := range o.names {
			b, err := s.packName(cf.name, n, superNames, codec.NoBound)
			if err != nil {
				return nil, err
			}
			p.ColumnNames = append(p.ColumnNames, b)
		}
		return p, nil
	}
	start, finish, err := cf.sliceEnds(s, o, superNames)
	if err != nil {
		return nil, err
	}
	count := defCount
	if o.countSet {
		count = o.count
	}
	if count < 0 || count > maxCount {
		count = maxCount
	}
	r := thriftgen.NewSliceRange()
	r.Start, r.Finish, r.Reversed, r.Count = start, finish, o.reversed, int32(count)
	p.SliceRange = r
	return p, nil
}

// Get reads one row: by default its first DefaultColumnCount columns (super
// columns in a super column family), or what Columns, Slice, Count,
// Reversed and Super select. Row.Key is key as given.
//
// As in pycassa, an empty result is cassa.ErrNotFound: a missing row, an empty
// slice, Count(0), Columns() with no names, or named columns none of which
// exist. A single named column (in a standard column family, or in a super
// column family with Super) is read with Thrift get, which fails with
// cassa.ErrNotFound when that column is missing even if the row exists.
func (cf *ColumnFamily) Get(ctx context.Context, key any, opts ...ReadOption) (Row, error) {
	o := cf.readOptions(opts)
	s := cf.schema.Load()
	k, err := s.packRowKey(cf.name, key)
	if err != nil {
		return Row{}, err
	}
	parent, err := cf.parent(s, o.super)
	if err != nil {
		return Row{}, err
	}
	cl := cf.readCL(&o)
	row := Row{Key: key}
	var res []*thriftgen.ColumnOrSuperColumn
	if o.named && len(o.names) == 1 && (!s.super || o.super != nil) {
		name, err := s.packName(cf.name, o.names[0], false, codec.NoBound)
		if err != nil {
			return Row{}, err
		}
		path := thriftgen.NewColumnPath()
		path.ColumnFamily, path.SuperColumn, path.Column = cf.name, parent.SuperColumn, name
		err = cf.pool.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
			r, err := c.Client().Get(ctx, k, path, cl)
			res = []*thriftgen.ColumnOrSuperColumn{r}
			return err
		}, pool.RoutingKey(k))
		if err != nil {
			return Row{}, cf.notFound(key, err)
		}
	} else {
		pred, err := cf.predicate(s, &o, DefaultColumnCount)
		if err != nil {
			return Row{}, err
		}
		err = cf.pool.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
			var err error
			res, err = c.Client().GetSlice(ctx, k, parent, pred, cl)
			return err
		}, pool.RoutingKey(k))
		if err != nil {
			return Row{}, err
		}
		if len(res) == 0 {
			return Row{}, cf.notFound(key, cassa.ErrNotFound)
		}
	}
	if err := s.unpackInto(cf.name, res, &row); err != nil {
		return Row{}, err
	}
	return row, nil
}

// notFound names the column family and key in a not-found error, keeping
// errors.Is(err, cassa.ErrNotFound).
func (cf *ColumnFamily) notFound(key any, err error) error {
	if err == cassa.ErrNotFound {
		return fmt.Errorf("columnfamily: %s: row %v: %w", cf.name, key, cassa.ErrNotFound)
	}
	return err
}

// uniqueKeys packs keys and drops repeats, keeping the first occurrence.
func (cf *ColumnFamily) uniqueKeys(s *cfSchema, keys []any) ([][]byte, []any, error) {
	packed := make([][]byte, 0, len(keys))
	orig := make([]any, 0, len(keys))
	seen := make(map[string]struct{}, len(keys))
	for _, key := range keys {
		k, err := s.packRowKey(cf.name, key)
		if err != nil {
			return nil, nil, err
		}
		if _, dup := seen[string(k)]; dup {
			continue
		}
		seen[string(k)] = struct{}{}
		packed = append(packed, k)
		orig = append(orig, key)
	}
	return packed, orig, nil
}

func (cf *ColumnFamily) bufferSize(o *readOpts) int {
	if o.buffer > 0 {
		return o.buffer
	}
	return cf.cfg.buffer
}

// MultiGet reads several rows with the same selection as Get, sending
// multiget_slice for BufferSize keys at a time. The rows come back in the
// order of keys, each key once; rows without columns (missing rows, empty
// slices) are left out, and Row.Key is the key as given.
func (cf *ColumnFamily) MultiGet(ctx context.Context, keys []any, opts ...ReadOption) ([]Row, error) {
	rows := make([]Row, 0, len(keys))
	err := multiRead(ctx, cf, keys, opts, DefaultColumnCount, (*thriftgen.CassandraClient).MultigetSlice,
		func(s *cfSchema, res map[string][]*thriftgen.ColumnOrSuperColumn, packed [][]byte, orig []any) error {
			for j, k := range packed {
				cols := res[string(k)]
				if len(cols) == 0 {
					continue
				}
				row := Row{Key: orig[j]}
				if err := s.unpackInto(cf.name, cols, &row); err != nil {
					return err
				}
				rows = append(rows, row)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// GetCount counts the columns of a row (the sub-columns of Super, the
// super columns of a super column family) that Columns, Slice and Reversed
// select, at most Count if given. A missing row counts 0.
func (cf *ColumnFamily) GetCount(ctx context.Context, key any, opts ...ReadOption) (int, error) {
	o := cf.readOptions(opts)
	s := cf.schema.Load()
	k, err := s.packRowKey(cf.name, key)
	if err != nil {
		return 0, err
	}
	parent, err := cf.parent(s, o.super)
	if err != nil {
		return 0, err
	}
	pred, err := cf.predicate(s, &o, maxCount)
	if err != nil {
		return 0, err
	}
	cl := cf.readCL(&o)
	var n int32
	err = cf.pool.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
		var err error
		n, err = c.Client().GetCount(ctx, k, parent, pred, cl)
		return err
	}, pool.RoutingKey(k))
	return int(n), err
}

// MultiGetCount counts as GetCount for several rows, BufferSize keys per
// request. Every key is reported once, in the order given, zero counts
// included.
func (cf *ColumnFamily) MultiGetCount(ctx context.Context, keys []any, opts ...ReadOption) ([]KeyCount, error) {
	out := make([]KeyCount, 0, len(keys))
	err := multiRead(ctx, cf, keys, opts, maxCount, (*thriftgen.CassandraClient).MultigetCount,
		func(_ *cfSchema, res map[string]int32, packed [][]byte, orig []any) error {
			for j, k := range packed {
				out = append(out, KeyCount{Key: orig[j], Count: int(res[string(k)])})
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// multiRead is the shared half of MultiGet and MultiGetCount: it packs the
// keys (dropping repeats), builds one parent and predicate (defCount
// columns unless Count says otherwise), and sends BufferSize keys per
// request with call, handing each result to take with that request's
// packed keys and the same keys as given.
func multiRead[R any](ctx context.Context, cf *ColumnFamily, keys []any, opts []ReadOption, defCount int,
	call func(*thriftgen.CassandraClient, context.Context, [][]byte, *thriftgen.ColumnParent, *thriftgen.SlicePredicate, thriftgen.ConsistencyLevel) (R, error),
	take func(s *cfSchema, res R, packed [][]byte, orig []any) error) error {
	o := cf.readOptions(opts)
	s := cf.schema.Load()
	packed, orig, err := cf.uniqueKeys(s, keys)
	if err != nil {
		return err
	}
	parent, err := cf.parent(s, o.super)
	if err != nil {
		return err
	}
	pred, err := cf.predicate(s, &o, defCount)
	if err != nil {
		return err
	}
	cl, buf := cf.readCL(&o), cf.bufferSize(&o)
	for i := 0; i < len(packed); i += buf {
		end := min(i+buf, len(packed))
		var res R
		err := cf.pool.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
			var err error
			res, err = call(c.Client(), ctx, packed[i:end], parent, pred, cl)
			return err
		})
		if err != nil {
			return err
		}
		if err := take(s, res, packed[i:end], orig[i:end]); err != nil {
			return err
		}
	}
	return nil
}

// pageSize is the number of items to ask for: the first page holds at most
// limit items, later pages one more than what is left, for the item that
// repeats the previous page's last. Later pages ask for at least two, so
// a page always brings something new (pycassa loops forever with a buffer
// of 1). limit < 0 is unlimited.
func pageSize(first bool, limit, done, buf int) int {
	if first {
		if limit >= 0 {
			return min(limit, buf)
		}
		return buf
	}
	n := max(buf, 2)
	if limit >= 0 {
		n = min(limit-done+1, n)
	}
	return n
}

// XGet iterates over the columns of one row (the sub-columns of
// SuperColumn in a super column family), in pages of BufferSize columns
// (the column family's ColumnBufferSize by default), holding one page at a
// time. Slice and Reversed select the columns; Count limits them (no limit
// by default). Each page after the first starts at the last column seen,
// which is skipped, so no column is repeated or dropped at a page boundary.
// Columns is ignored. Use XGetSuper for the super columns of a super column
// family.
func (cf *ColumnFamily) XGet(ctx context.Context, key any, opts ...ReadOption) iter.Seq2[Column, error] {
	return func(yield func(Column, error) bool) {
		o := cf.readOptions(opts)
		s := cf.schema.Load()
		if s.super && o.super == nil {
			yield(Column{}, fmt.Errorf("%w: XGet on super column family %s needs Super; use XGetSuper", ErrInvalidOption, cf.name))
			return
		}
		err := cf.xget(ctx, s, key, &o, func(c *thriftgen.ColumnOrSuperColumn) (bool, error) {
			col, ok, err := s.unpackColumnOf(cf.name, c)
			if err != nil || !ok {
				return err == nil, err
			}
			return yield(col, nil), nil
		})
		if err != nil {
			yield(Column{}, err)
		}
	}
}

// XGetSuper iterates over the super columns of one row of a super column
// family, paging as XGet does.
func (cf *ColumnFamily) XGetSuper(ctx context.Context, key any, opts ...ReadOption) iter.Seq2[SuperColumn, error] {
	return func(yield func(SuperColumn, error) bool) {
		o := cf.readOptions(opts)
		o.super = nil
		s := cf.schema.Load()
		if !s.super {
			yield(SuperColumn{}, fmt.Errorf("%w: %s is not a super column family", ErrInvalidOption, cf.name))
			return
		}
		err := cf.xget(ctx, s, key, &o, func(c *thriftgen.ColumnOrSuperColumn) (bool, error) {
			if c == nil || (c.SuperColumn == nil && c.CounterSuperColumn == nil) {
				return true, nil
			}
			sc, err := s.unpackSuperOf(cf.name, c)
			if err != nil {
				return false, err
			}
			return yield(sc, nil), nil
		})
		if err != nil {
			yield(SuperColumn{}, err)
		}
	}
}

// xget pages over a row with get_slice and hands each element to emit,
// which reports whether to go on.
func (cf *ColumnFamily) xget(ctx context.Context, s *cfSchema, key any, o *readOpts,
	emit func(*thriftgen.ColumnOrSuperColumn) (bool, error)) error {
	k, err := s.packRowKey(cf.name, key)
	if err != nil {
		return err
	}
	parent, err := cf.parent(s, o.super)
	if err != nil {
		return err
	}
	start, finish, err := cf.sliceEnds(s, o, s.super && o.super == nil)
	if err != nil {
		return err
	}
	limit := -1
	if o.countSet && o.count >= 0 {
		limit = o.count
	}
	buf := o.buffer
	if buf <= 0 {
		buf = cf.cfg.colBuffer
	}
	cl := cf.readCL(o)
	var last []byte
	for done, first := 0, true; limit < 0 || done < limit; first = false {
		n := min(pageSize(first, limit, done, buf), maxCount)
		r := thriftgen.NewSliceRange()
		r.Start, r.Finish, r.Reversed, r.Count = start, finish, o.reversed, int32(n)
		if !first {
			r.Start = last
		}
		pred := thriftgen.NewSlicePredicate()
		pred.SliceRange = r
		var page []*thriftgen.ColumnOrSuperColumn
		err := cf.pool.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
			var err error
			page, err = c.Client().GetSlice(ctx, k, parent, pred, cl)
			return err
		}, pool.RoutingKey(k))
		if err != nil {
			return err
		}
		items := page
		if !first && len(items) > 0 && bytes.Equal(cosName(items[0]), last) {
			items = items[1:]
		}
		for _, it := range items {
			more, err := emit(it)
			if err != nil || !more {
				return err
			}
			done++
			if limit >= 0 && done >= limit {
				return nil
			}
		}
		if len(page) < n || len(items) == 0 {
			return nil
		}
		last = cosName(page[len(page)-1])
	}
	return nil
}

// GetRange iterates over rows in the partitioner's order, in pages of
// BufferSize rows, holding one page at a time. KeyRange bounds it by keys
// (both inclusive), StartToken and FinishToken by tokens (start exclusive,
// finish inclusive); RowCount limits the rows yielded. Each row holds what
// the column options select (the first DefaultColumnCount columns by
// default).
//
// Rows without columns (deleted rows, rows the selection matches nothing
// of) are skipped and do not count towards RowCount, unless KeepEmpty is
// given. Each page after the first starts at the last key seen, which is
// skipped, so no row is repeated or dropped at a page boundary.
func (cf *ColumnFamily) GetRange(ctx context.Context, opts ...ReadOption) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		o := cf.readOptions(opts)
		s := cf.schema.Load()
		kr, err := cf.keyRange(s, &o)
		if err != nil {
			yield(Row{}, err)
			return
		}
		parent, err := cf.parent(s, o.super)
		if err != nil {
			yield(Row{}, err)
			return
		}
		pred, err := cf.predicate(s, &o, DefaultColumnCount)
		if err != nil {
			yield(Row{}, err)
			return
		}
		cl := cf.readCL(&o)
		limit := o.rowCount
		if limit <= 0 {
			limit = -1
		}
		fetch := func(ctx context.Context, after []byte, n int) ([]*thriftgen.KeySlice, error) {
			r := *kr
			r.Count = int32(n)
			if after != nil {
				r.StartKey, r.StartToken = after, nil
			}
			var page []*thriftgen.KeySlice
			err := cf.pool.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
				var err error
				page, err = c.Client().GetRangeSlices(ctx, parent, pred, &r, cl)
				return err
			})
			return page, err
		}
		cf.pageRows(ctx, s, limit, cf.bufferSize(&o), !o.keepEmpty, fetch, yield)
	}
}

// keyRange builds the first page's KeyRange from the key and token
// options, refusing the combinations pycassa refuses.
func (cf *ColumnFamily) keyRange(s *cfSchema, o *readOpts) (*thriftgen.KeyRange, error) {
	if o.startToken != nil && (!isOpen(o.startKey) || !isOpen(o.finishKey)) {
		return nil, fmt.Errorf("%w: StartToken may not be used with KeyRange", ErrInvalidOption)
	}
	if o.finishToken != nil && !isOpen(o.finishKey) {
		return nil, fmt.Errorf("%w: FinishToken may not be used with a finish key", ErrInvalidOption)
	}
	r := thriftgen.NewKeyRange()
	if len(o.rowFilter) > 0 {
		f, err := cf.indexExpressions(s, o.rowFilter)
		if err != nil {
			return nil, err
		}
		r.RowFilter = f
	}
	if o.startToken != nil {
		r.StartToken = o.startToken
	} else {
		r.StartKey = []byte{}
		if !isOpen(o.startKey) {
			b, err := s.packKey(cf.name, o.startKey)
			if err != nil {
				return nil, err
			}
			r.StartKey = b
		}
	}
	switch {
	case o.finishToken != nil:
		r.EndToken = o.finishToken
	case o.startToken != nil:
		e := ""
		r.EndToken = &e
	default:
		r.EndKey = []byte{}
		if !isOpen(o.finishKey) {
			b, err := s.packKey(cf.name, o.finishKey)
			if err != nil {
				return nil, err
			}
			r.EndKey = b
		}
	}
	return r, nil
}

// pageRows is the row pager of GetRange and GetIndexedSlices: fetch
// returns up to n rows starting at after (inclusive; nil for the first
// page).
func (cf *ColumnFamily) pageRows(ctx context.Context, s *cfSchema, limit, buf int, filter bool,
	fetch func(ctx context.Context, after []byte, n int) ([]*thriftgen.KeySlice, error),
	yield func(Row, error) bool) {
	var last []byte
	for done, first := 0, true; limit < 0 || done < limit; first = false {
		n := min(pageSize(first, limit, done, buf), maxCount)
		page, err := fetch(ctx, last, n)
		if err != nil {
			yield(Row{}, err)
			return
		}
		items := page
		if !first && len(items) > 0 && items[0] != nil && bytes.Equal(items[0].Key, last) {
			items = items[1:]
		}
		for _, ks := range items {
			if ks == nil || (filter && len(ks.Columns) == 0) {
				continue
			}
			key, err := s.unpackKey(cf.name, ks.Key)
			if err != nil {
				yield(Row{}, err)
				return
			}
			row := Row{Key: key}
			if err := s.unpackInto(cf.name, ks.Columns, &row); err != nil {
				yield(Row{}, err)
				return
			}
			if !yield(row, nil) {
				return
			}
			done++
			if limit >= 0 && done >= limit {
				return
			}
		}
		if len(page) < n || len(items) == 0 || page[len(page)-1] == nil {
			return
		}
		last = page[len(page)-1].Key
	}
}

// IndexOp is the comparison of an IndexExpression.
type IndexOp int

// Index operators, numbered as in Cassandra's Thrift interface.
const (
	IndexEQ  IndexOp = 0
	IndexGTE IndexOp = 1
	IndexGT  IndexOp = 2
	IndexLTE IndexOp = 3
	IndexLT  IndexOp = 4
)

// IndexExpression is one condition of a secondary-index query: the column
// (unpacked name) compared with Op to Value (packed with the column's
// value codec).
type IndexExpression struct {
	Column any
	Op     IndexOp
	Value  any
}

// IndexClause is a secondary-index query: its expressions are combined
// with AND and at least one must be on an indexed column with IndexEQ.
type IndexClause struct {
	Expressions []IndexExpression
	// StartKey is the first key to consider (inclusive); nil or "" starts
	// at the beginning.
	StartKey any
	// Count limits the rows returned; zero means DefaultIndexCount (100),
	// Unlimited means no limit.
	Count int
}

// indexExpressions packs expressions: names with the name codec, values
// with the column's value codec.
func (cf *ColumnFamily) indexExpressions(s *cfSchema, in []IndexExpression) ([]*thriftgen.IndexExpression, error) {
	out := make([]*thriftgen.IndexExpression, 0, len(in))
	for _, e := range in {
		name, err := s.packName(cf.name, e.Column, false, codec.NoBound)
		if err != nil {
			return nil, err
		}
		val, err := s.packValue(cf.name, name, e.Value)
		if err != nil {
			return nil, err
		}
		x := thriftgen.NewIndexExpression()
		x.ColumnName, x.Op, x.Value = name, thriftgen.IndexOperator(e.Op), val
		out = append(out, x)
	}
	return out, nil
}

// GetIndexedSlices iterates over the rows that match clause, paging as
// GetRange does (BufferSize rows per request, one page in memory). The
// column options select each row's columns. The clause is not modified.
// Super column families cannot be queried by index.
func (cf *ColumnFamily) GetIndexedSlices(ctx context.Context, clause IndexClause, opts ...ReadOption) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		o := cf.readOptions(opts)
		s := cf.schema.Load()
		if s.super {
			yield(Row{}, fmt.Errorf("%w: GetIndexedSlices is not supported by super column families (%s)", ErrInvalidOption, cf.name))
			return
		}
		ic := thriftgen.NewIndexClause()
		ic.StartKey = []byte{}
		if !isOpen(clause.StartKey) {
			b, err := s.packKey(cf.name, clause.StartKey)
			if err != nil {
				yield(Row{}, err)
				return
			}
			ic.StartKey = b
		}
		exprs, err := cf.indexExpressions(s, clause.Expressions)
		if err != nil {
			yield(Row{}, err)
			return
		}
		ic.Expressions = exprs
		parent, err := cf.parent(s, nil)
		if err != nil {
			yield(Row{}, err)
			return
		}
		pred, err := cf.predicate(s, &o, DefaultColumnCount)
		if err != nil {
			yield(Row{}, err)
			return
		}
		cl := cf.readCL(&o)
		limit := clause.Count
		switch {
		case limit == 0:
			limit = DefaultIndexCount
		case limit < 0:
			limit = -1
		}
		fetch := func(ctx context.Context, after []byte, n int) ([]*thriftgen.KeySlice, error) {
			c := *ic
			c.Count = int32(n)
			if after != nil {
				c.StartKey = after
			}
			var page []*thriftgen.KeySlice
			err := cf.pool.Do(ctx, func(ctx context.Context, conn *pool.Conn) error {
				var err error
				page, err = conn.Client().GetIndexedSlices(ctx, parent, &c, pred, cl)
				return err
			})
			return page, err
		}
		cf.pageRows(ctx, s, limit, cf.bufferSize(&o), false, fetch, yield)
	}
}
