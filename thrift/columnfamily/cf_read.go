package columnfamily

import (
	"bytes"
	"context"
	"fmt"
	"iter"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/query"
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

// Get reads one row: the columns q selects (super columns in a super
// column family read without Super), by default its first
// DefaultColumnCount. q may name columns (query.Columns) or a slice
// (query.Slice, Reversed, PerPartitionLimit); it selects no rows, since
// key does. Row.Key is key as given.
//
// As in pycassa, an empty result is cassa.ErrNotFound: a missing row, an
// empty slice, query.Columns() with no names, or named columns none of
// which exist. A single named column (in a standard column family, or in a
// super column family with Super) is read with Thrift get, which fails
// with cassa.ErrNotFound when that column is missing even if the row
// exists.
func (cf *ColumnFamily) Get(ctx context.Context, key any, q query.Select, opts ...ReadOption) (Row, error) {
	s, err := cf.begin(ctx, "columnfamily.ColumnFamily.Get")
	if err != nil {
		return Row{}, err
	}
	p, err := parts(q, "Get", false)
	if err != nil {
		return Row{}, err
	}
	o := cf.readOptions(opts)
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
	if p.Named && len(p.Columns) == 1 && (!s.super || o.super != nil) {
		name, err := s.packName(cf.name, p.Columns[0], false, codec.NoBound)
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
			return Row{}, cf.notFound(s, k, err)
		}
	} else {
		pred, err := cf.predicate(s, p, s.super && o.super == nil, DefaultColumnCount)
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
			return Row{}, cf.notFound(s, k, cassa.ErrNotFound)
		}
	}
	if err := s.unpackInto(cf.name, res, &row); err != nil {
		return Row{}, err
	}
	return row, nil
}

// notFound names the column family and the packed key k in a not-found
// error, keeping errors.Is(err, cassa.ErrNotFound).
func (cf *ColumnFamily) notFound(s *cfSchema, k []byte, err error) error {
	if err == cassa.ErrNotFound {
		return fmt.Errorf("columnfamily: %s: row %s: %w", cf.name, codec.FormatKey(s.keyShow, k), cassa.ErrNotFound)
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

// MultiGet reads several rows with the same select as Get, sending
// multiget_slice for BufferSize keys at a time. The rows come back in the
// order of keys, each key once; rows without columns (missing rows, empty
// slices) are left out, and Row.Key is the key as given.
func (cf *ColumnFamily) MultiGet(ctx context.Context, keys []any, q query.Select, opts ...ReadOption) ([]Row, error) {
	rows := make([]Row, 0, len(keys))
	err := multiRead(ctx, cf, "MultiGet", keys, q, opts, DefaultColumnCount, (*thriftgen.CassandraClient).MultigetSlice,
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
// super columns of a super column family) that q selects, at most its
// PerPartitionLimit if it sets one. A missing row counts 0.
func (cf *ColumnFamily) GetCount(ctx context.Context, key any, q query.Select, opts ...ReadOption) (int, error) {
	s, err := cf.begin(ctx, "columnfamily.ColumnFamily.GetCount")
	if err != nil {
		return 0, err
	}
	p, err := parts(q, "GetCount", false)
	if err != nil {
		return 0, err
	}
	o := cf.readOptions(opts)
	k, err := s.packRowKey(cf.name, key)
	if err != nil {
		return 0, err
	}
	parent, err := cf.parent(s, o.super)
	if err != nil {
		return 0, err
	}
	pred, err := cf.predicate(s, p, s.super && o.super == nil, maxCount)
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
func (cf *ColumnFamily) MultiGetCount(ctx context.Context, keys []any, q query.Select, opts ...ReadOption) ([]KeyCount, error) {
	out := make([]KeyCount, 0, len(keys))
	err := multiRead(ctx, cf, "MultiGetCount", keys, q, opts, maxCount, (*thriftgen.CassandraClient).MultigetCount,
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
// columns unless q says otherwise), and sends BufferSize keys per
// request with call, handing each result to take with that request's
// packed keys and the same keys as given.
func multiRead[R any](ctx context.Context, cf *ColumnFamily, op string, keys []any, q query.Select, opts []ReadOption, defCount int,
	call func(*thriftgen.CassandraClient, context.Context, [][]byte, *thriftgen.ColumnParent, *thriftgen.SlicePredicate, thriftgen.ConsistencyLevel) (R, error),
	take func(s *cfSchema, res R, packed [][]byte, orig []any) error) error {
	s, err := cf.begin(ctx, "columnfamily.ColumnFamily."+op)
	if err != nil {
		return err
	}
	p, err := parts(q, op, false)
	if err != nil {
		return err
	}
	o := cf.readOptions(opts)
	packed, orig, err := cf.uniqueKeys(s, keys)
	if err != nil {
		return err
	}
	parent, err := cf.parent(s, o.super)
	if err != nil {
		return err
	}
	pred, err := cf.predicate(s, p, s.super && o.super == nil, defCount)
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

// XGet iterates over the columns of one row (the sub-columns of Super in a
// super column family), in pages of BufferSize columns (the column
// family's ColumnBufferSize by default), holding one page at a time. q's
// Slice and Reversed select the columns and its PerPartitionLimit caps
// them (no cap by default); it may not name columns. Each page after the
// first starts at the last column seen, which is skipped, so no column is
// repeated or dropped at a page boundary. Use XGetSuper for the super
// columns of a super column family.
func (cf *ColumnFamily) XGet(ctx context.Context, key any, q query.Select, opts ...ReadOption) iter.Seq2[Column, error] {
	return func(yield func(Column, error) bool) {
		s, err := cf.begin(ctx, "columnfamily.ColumnFamily.XGet")
		if err != nil {
			yield(Column{}, err)
			return
		}
		o := cf.readOptions(opts)
		if s.super && o.super == nil {
			yield(Column{}, fmt.Errorf("%w: XGet on super column family %s needs Super; use XGetSuper", ErrInvalidOption, cf.name))
			return
		}
		err = cf.xget(ctx, s, key, q, "XGet", &o, func(c *thriftgen.ColumnOrSuperColumn) (bool, error) {
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
// family, paging as XGet does; q's Slice bounds super column names.
func (cf *ColumnFamily) XGetSuper(ctx context.Context, key any, q query.Select, opts ...ReadOption) iter.Seq2[SuperColumn, error] {
	return func(yield func(SuperColumn, error) bool) {
		s, err := cf.begin(ctx, "columnfamily.ColumnFamily.XGetSuper")
		if err != nil {
			yield(SuperColumn{}, err)
			return
		}
		o := cf.readOptions(opts)
		o.super = nil
		if !s.super {
			yield(SuperColumn{}, fmt.Errorf("%w: %s is not a super column family", ErrInvalidOption, cf.name))
			return
		}
		err = cf.xget(ctx, s, key, q, "XGetSuper", &o, func(c *thriftgen.ColumnOrSuperColumn) (bool, error) {
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
func (cf *ColumnFamily) xget(ctx context.Context, s *cfSchema, key any, q query.Select, op string, o *readOpts,
	emit func(*thriftgen.ColumnOrSuperColumn) (bool, error)) error {
	p, err := parts(q, op, false)
	if err != nil {
		return err
	}
	if p.Named {
		return fmt.Errorf("%w: %s pages through a slice; read named columns with Get", ErrInvalidOption, op)
	}
	k, err := s.packRowKey(cf.name, key)
	if err != nil {
		return err
	}
	parent, err := cf.parent(s, o.super)
	if err != nil {
		return err
	}
	start, finish, err := cf.sliceEnds(s, p, s.super && o.super == nil)
	if err != nil {
		return err
	}
	limit := -1
	if c := columnCount(p, maxCount); c < maxCount {
		limit = c
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
		r.Start, r.Finish, r.Reversed, r.Count = start, finish, p.Reversed, int32(n)
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

// GetRange iterates over the rows q selects, in the partitioner's order,
// in pages of BufferSize rows, holding one page at a time. q's Keys bound
// the rows by key (both inclusive), Tokens by token (start exclusive,
// finish inclusive), StartKey and UntilToken one end each; its Limit caps
// the rows yielded (no cap by default). Its relations are sent as a row
// filter (KeyRange.row_filter): the server checks them row by row, so they
// need no index, as with AllowFiltering. Each row holds the columns q
// selects (its first DefaultColumnCount by default).
//
// Rows without columns (deleted rows, rows the select matches nothing of)
// are skipped and do not count towards the Limit, unless KeepEmpty is
// given. Each page after the first starts at the last key seen, which is
// skipped, so no row is repeated or dropped at a page boundary.
func (cf *ColumnFamily) GetRange(ctx context.Context, q query.Select, opts ...ReadOption) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		s, err := cf.begin(ctx, "columnfamily.ColumnFamily.GetRange")
		if err != nil {
			yield(Row{}, err)
			return
		}
		p, err := parts(q, "GetRange", true)
		if err != nil {
			yield(Row{}, err)
			return
		}
		o := cf.readOptions(opts)
		kr, err := cf.keyRange(s, p)
		if err != nil {
			yield(Row{}, err)
			return
		}
		parent, err := cf.parent(s, o.super)
		if err != nil {
			yield(Row{}, err)
			return
		}
		pred, err := cf.predicate(s, p, s.super && o.super == nil, DefaultColumnCount)
		if err != nil {
			yield(Row{}, err)
			return
		}
		cl := cf.readCL(&o)
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
		cf.pageRows(ctx, s, rowLimit(p, -1), cf.bufferSize(&o), !o.keepEmpty, fetch, yield)
	}
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

// GetIndexedSlices iterates over the rows that match q's relations through
// a secondary index (get_indexed_slices), paging as GetRange does
// (BufferSize rows per request, one page in memory). Cassandra needs one
// relation to be an EQ on an indexed column; q is checked against the
// schema before anything is sent (a *query.ClauseError otherwise). q's
// StartKey starts at a key, its Limit caps the rows (DefaultIndexCount by
// default), and its columns select each row's columns. Super column
// families cannot be queried by index.
func (cf *ColumnFamily) GetIndexedSlices(ctx context.Context, q query.Select, opts ...ReadOption) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		s, err := cf.begin(ctx, "columnfamily.ColumnFamily.GetIndexedSlices")
		if err != nil {
			yield(Row{}, err)
			return
		}
		o := cf.readOptions(opts)
		if s.super {
			yield(Row{}, fmt.Errorf("%w: GetIndexedSlices is not supported by super column families (%s)", ErrInvalidOption, cf.name))
			return
		}
		p, err := parts(q, "GetIndexedSlices", true)
		if err == nil {
			err = q.Validate(func(column any) bool {
				name, err := s.packName(cf.name, column, false, codec.NoBound)
				return err == nil && s.indexed[string(name)]
			})
		}
		if err != nil {
			yield(Row{}, err)
			return
		}
		ic, err := cf.indexClause(s, p)
		if err != nil {
			yield(Row{}, err)
			return
		}
		parent, err := cf.parent(s, nil)
		if err != nil {
			yield(Row{}, err)
			return
		}
		pred, err := cf.predicate(s, p, false, DefaultColumnCount)
		if err != nil {
			yield(Row{}, err)
			return
		}
		cl := cf.readCL(&o)
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
		cf.pageRows(ctx, s, rowLimit(p, DefaultIndexCount), cf.bufferSize(&o), false, fetch, yield)
	}
}
