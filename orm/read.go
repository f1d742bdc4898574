package orm

import (
	"context"
	"fmt"
	"iter"
	"unsafe"

	"github.com/cassa-go/cassa/thrift/columnfamily"

	"github.com/cassa-go/cassa/query"
)

// packKey packs a key given by the caller with the key field's type.
func (m *Mapper[T]) packKey(key any) ([]byte, error) {
	kp := m.plan.key
	b, err := kp.typ.Pack(key)
	if err != nil {
		return nil, kp.err("pack", err)
	}
	if len(b) == 0 {
		return nil, kp.err("pack", fmt.Errorf("the row key is empty"))
	}
	return b, nil
}

// packSuper packs a super column name given by the caller.
func (m *Mapper[T]) packSuper(name any) ([]byte, error) {
	sp := m.plan.super
	if sp == nil {
		return nil, fmt.Errorf("%w: %s is not a super column model; SuperColumn does not apply", ErrSuper, m.plan.st.Name)
	}
	b, err := sp.typ.Pack(name)
	if err != nil {
		return nil, sp.err("pack", err)
	}
	return b, nil
}

// readOpts builds the session options of a read: the model's columns
// (pycassa's columns=self.fields) unless it has a raw field, which wants
// them all; the super column; consistency and page size.
func (m *Mapper[T]) readOpts(o *callOpts, superName []byte) ([]columnfamily.ReadOption, error) {
	p := m.plan
	if !o.hasField && superName == nil && o.cl == 0 && o.buffer == 0 && p.super == nil {
		return p.defaultRead, nil // shared and never appended to
	}
	var r []columnfamily.ReadOption
	sel, err := p.selected(o)
	if err != nil {
		return nil, err
	}
	wholeSuper := p.super != nil && superName == nil
	switch {
	case wholeSuper || (p.raw != nil && sel == nil) || len(p.cols) == 0:
		r = append(r, columnfamily.Count(columnfamily.Unlimited))
	case sel == nil:
		r = append(r, columnfamily.Columns(p.names...))
	default:
		var names []any
		for _, fp := range p.cols {
			if sel[fp.pos] {
				names = append(names, fp.nameAny)
			}
		}
		r = append(r, columnfamily.Columns(names...))
	}
	if superName != nil {
		r = append(r, columnfamily.Super(superName))
	}
	if o.cl != 0 {
		r = append(r, columnfamily.CL(o.cl))
	}
	if o.buffer > 0 {
		r = append(r, columnfamily.BufferSize(o.buffer))
	}
	return r, nil
}

// superOf packs the SuperColumn option, requiring it on super models.
func (m *Mapper[T]) superOf(o *callOpts, what string) ([]byte, error) {
	if !o.hasSuper {
		if m.plan.super != nil {
			return nil, fmt.Errorf("%w: %s on super column family %s needs orm.SuperColumn(name) (or use GetSuper)", ErrSuper, what, m.name)
		}
		return nil, nil
	}
	return m.packSuper(o.super)
}

// instance builds one T from a key, an optional super column name and
// columns.
func (m *Mapper[T]) instance(l *liveCF, key any, superName any, cols []columnfamily.Column) (T, error) {
	var v T
	p := noescape(unsafe.Pointer(&v)) // v stays on the stack; see noescape
	if err := m.plan.key.decodeRaw(key, p); err != nil {
		return v, err
	}
	if superName != nil {
		if err := m.plan.super.decodeRaw(superName, p); err != nil {
			return v, err
		}
	}
	err := m.plan.unpack(p, cols, l)
	return v, err
}

// Get reads the row key into a new T. A row holding none of the model's
// columns is ErrNotFound, as in pycassa; columns it lacks get their
// defaults. On a super column family give SuperColumn(name) to read one
// super column as one instance (GetSuper reads them all).
func (m *Mapper[T]) Get(ctx context.Context, key any, opts ...Option) (T, error) {
	var zero T
	l, err := m.open(ctx)
	if err != nil {
		return zero, err
	}
	o := collect(opts)
	kb, err := m.packKey(key)
	if err != nil {
		return zero, err
	}
	sb, err := m.superOf(&o, "Get")
	if err != nil {
		return zero, err
	}
	ro, err := m.readOpts(&o, sb)
	if err != nil {
		return zero, err
	}
	row, err := l.cf.Get(ctx, kb, ro...)
	if err != nil {
		return zero, err
	}
	var sn any
	if sb != nil {
		sn = sb
	}
	return m.instance(l, kb, sn, row.Columns)
}

// MultiGet reads several rows, BufferSize keys per request, and returns
// one instance per row found, in the order of keys; missing rows are left
// out (pycassa's multiget). On a super column family it needs
// SuperColumn(name) and returns that super column of each row.
func (m *Mapper[T]) MultiGet(ctx context.Context, keys []any, opts ...Option) ([]T, error) {
	l, err := m.open(ctx)
	if err != nil {
		return nil, err
	}
	o := collect(opts)
	sb, err := m.superOf(&o, "MultiGet")
	if err != nil {
		return nil, err
	}
	ro, err := m.readOpts(&o, sb)
	if err != nil {
		return nil, err
	}
	packed := make([]any, len(keys))
	for i, k := range keys {
		if packed[i], err = m.packKey(k); err != nil {
			return nil, err
		}
	}
	rows, err := l.cf.MultiGet(ctx, packed, ro...)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(rows))
	var sn any
	if sb != nil {
		sn = sb
	}
	for _, r := range rows {
		v, err := m.instance(l, r.Key, sn, r.Columns)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// GetSuper reads every super column of the row key of a super column
// family, one instance each, in comparator order, paging through them.
// A row without super columns is ErrNotFound.
func (m *Mapper[T]) GetSuper(ctx context.Context, key any, opts ...Option) ([]T, error) {
	var out []T
	for v, err := range m.Supers(ctx, key, opts...) {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("orm: %s: row %v has no super columns: %w", m.name, key, ErrNotFound)
	}
	return out, nil
}

// Supers iterates over the super columns of the row key, one instance
// each, holding one page (BufferSize super columns) at a time.
func (m *Mapper[T]) Supers(ctx context.Context, key any, opts ...Option) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		l, err := m.open(ctx)
		if err != nil {
			yield(zero, err)
			return
		}
		if m.plan.super == nil {
			yield(zero, fmt.Errorf("%w: %s is not a super column model", ErrSuper, m.plan.st.Name))
			return
		}
		o := collect(opts)
		kb, err := m.packKey(key)
		if err != nil {
			yield(zero, err)
			return
		}
		var ro []columnfamily.ReadOption
		if o.cl != 0 {
			ro = append(ro, columnfamily.CL(o.cl))
		}
		if o.buffer > 0 {
			ro = append(ro, columnfamily.BufferSize(o.buffer))
		}
		for sc, err := range l.cf.XGetSuper(ctx, kb, ro...) {
			if err != nil {
				yield(zero, err)
				return
			}
			v, err := m.instance(l, kb, sc.Name, sc.Columns)
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}

// Scan iterates over the rows r selects (query.Keys, query.Tokens, or the
// zero RowRange for every row) in the partitioner's order, one instance
// per row, holding one page of rows at a time. Rows with none of the
// model's columns are skipped. On a super column family each super column
// is an instance, unless SuperColumn(name) picks one per row. A row
// filter (RowRange.Filter) keeps the rows whose columns match; the server
// applies it, so its columns need no index, and its values are packed as
// Find packs them (field types, else the columns' validators).
func (m *Mapper[T]) Scan(ctx context.Context, r query.RowRange, opts ...Option) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		l, err := m.open(ctx)
		if err != nil {
			yield(zero, err)
			return
		}
		o := collect(opts)
		var sb []byte
		if o.hasSuper {
			if sb, err = m.packSuper(o.super); err != nil {
				yield(zero, err)
				return
			}
		}
		ro, err := m.readOpts(&o, sb)
		if err != nil {
			yield(zero, err)
			return
		}
		spec, err := r.Spec()
		if err != nil {
			yield(zero, err)
			return
		}
		if len(spec.Filter) > 0 {
			// The server filters the rows itself (KeyRange.row_filter), so
			// unlike Find no indexed column is needed.
			exprs, err := m.expressions(l, spec.Filter)
			if err != nil {
				yield(zero, err)
				return
			}
			ro = append(ro, columnfamily.RowFilter(exprs...))
		}
		var start, finish any
		if spec.StartKey != nil {
			if start, err = m.packKey(spec.StartKey); err != nil {
				yield(zero, err)
				return
			}
		}
		if spec.FinishKey != nil {
			if finish, err = m.packKey(spec.FinishKey); err != nil {
				yield(zero, err)
				return
			}
		}
		if start != nil || finish != nil {
			ro = append(ro, columnfamily.KeyRange(start, finish))
		}
		if spec.HasStartToken {
			ro = append(ro, columnfamily.StartToken(spec.StartToken))
		}
		if spec.HasFinishToken {
			ro = append(ro, columnfamily.FinishToken(spec.FinishToken))
		}
		if spec.RowCount > 0 {
			ro = append(ro, columnfamily.RowCount(spec.RowCount))
		}
		var sn any
		if sb != nil {
			sn = sb
		}
		for row, err := range l.cf.GetRange(ctx, ro...) {
			if err != nil {
				yield(zero, err)
				return
			}
			if !m.yieldRow(l, row, sn, yield) {
				return
			}
		}
	}
}

// yieldRow yields the instances of one row: one, or one per super column.
func (m *Mapper[T]) yieldRow(l *liveCF, row columnfamily.Row, sn any, yield func(T, error) bool) bool {
	if m.plan.super != nil && sn == nil {
		for _, sc := range row.SuperColumns {
			v, err := m.instance(l, row.Key, sc.Name, sc.Columns)
			if !yield(v, err) || err != nil {
				return false
			}
		}
		return true
	}
	v, err := m.instance(l, row.Key, sn, row.Columns)
	return yield(v, err) && err == nil
}

// Find iterates over the rows matching an index clause, one instance per
// row, through get_indexed_slices, holding one page at a time:
//
//	for u, err := range users.Find(ctx, query.Where("state").Eq("UT").And("birthdate").Gt(1970).Limit(20)) { … }
//
// Columns may be named by column name or Go field name. The clause is
// checked before anything is sent: it needs an EQ on a column the live
// column family indexes (a *query.ClauseError otherwise). Values are
// packed with the column's type, so 1970 is 8 bytes for a LongType column.
func (m *Mapper[T]) Find(ctx context.Context, q query.IndexQuery, opts ...Option) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		l, err := m.open(ctx)
		if err != nil {
			yield(zero, err)
			return
		}
		clause, err := m.clause(l, q)
		if err != nil {
			yield(zero, err)
			return
		}
		o := collect(opts)
		ro, err := m.readOpts(&o, nil)
		if err != nil {
			yield(zero, err)
			return
		}
		for row, err := range l.cf.GetIndexedSlices(ctx, clause, ro...) {
			if err != nil {
				yield(zero, err)
				return
			}
			v, err := m.instance(l, row.Key, nil, row.Columns)
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}

// columnName resolves a query column: a column name, or a Go field name.
func (m *Mapper[T]) columnName(c any) (string, bool) {
	var s string
	switch x := c.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return "", false
	}
	if fp, ok := m.plan.field(s); ok {
		return fp.name, true
	}
	return s, true
}

// clause validates q against the live indexes and packs it.
func (m *Mapper[T]) clause(l *liveCF, q query.IndexQuery) (columnfamily.IndexClause, error) {
	if m.plan.super != nil || l.super {
		return columnfamily.IndexClause{}, fmt.Errorf("%w: Cassandra has no secondary indexes on super column families", ErrSuper)
	}
	indexed := func(c any) bool {
		n, ok := m.columnName(c)
		return ok && l.indexed[n]
	}
	if err := q.Validate(indexed); err != nil {
		return columnfamily.IndexClause{}, err
	}
	spec, err := q.Spec()
	if err != nil {
		return columnfamily.IndexClause{}, err
	}
	clause := columnfamily.IndexClause{Count: spec.Count}
	if spec.StartKey != nil {
		if clause.StartKey, err = m.packKey(spec.StartKey); err != nil {
			return columnfamily.IndexClause{}, err
		}
	}
	if clause.Expressions, err = m.expressions(l, spec.Expressions); err != nil {
		return columnfamily.IndexClause{}, err
	}
	return clause, nil
}

// expressions resolves the columns of conditions (column or Go field
// names) and packs their values with the field's type, or the column's
// validator for a column no field maps.
func (m *Mapper[T]) expressions(l *liveCF, in []query.Expr) ([]columnfamily.IndexExpression, error) {
	out := make([]columnfamily.IndexExpression, 0, len(in))
	for _, x := range in {
		n, ok := m.columnName(x.Column)
		if !ok {
			return nil, fmt.Errorf("%w: index column %v is not a column name", ErrUnknownField, x.Column)
		}
		t := l.valueType
		if ct, ok := l.colTypes[n]; ok {
			t = ct
		}
		var fp *fieldPlan
		if f, ok := m.plan.byName[n]; ok {
			fp, t = f, f.typ
		}
		b, err := t.Pack(x.Value)
		if err != nil {
			if fp != nil {
				return nil, fp.err("pack", err)
			}
			return nil, fmt.Errorf("orm: index value for column %q: %w", n, err)
		}
		out = append(out, columnfamily.IndexExpression{Column: n, Op: columnfamily.IndexOp(x.Op), Value: b})
	}
	return out, nil
}
