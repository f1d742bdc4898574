package orm

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"unsafe"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/query"
)

// packKey packs a K. The key is read through its address, which stays
// the caller's (see noescape).
func (m *Mapper[T, K]) packKey(key *K) (rowKey, error) {
	return m.keys.pack(noescape(unsafe.Pointer(key)))
}

// packKeyValue packs a partition key of a query's range, a Go value of
// any type the key field's marshal type takes (a codec.Tuple or []any of
// the components of a composite partition key).
func (m *Mapper[T, K]) packKeyValue(key any) ([]byte, error) {
	kp := m.plan.key
	b, err := m.plan.keyType.Pack(key)
	if err != nil {
		return nil, kp.err("pack", err)
	}
	if len(b) == 0 {
		return nil, kp.err("pack", fmt.Errorf("the row key is empty"))
	}
	return b, nil
}

// packSuper packs a super column name given by the caller.
func (m *Mapper[T, K]) packSuper(name any) ([]byte, error) {
	sp := m.plan.super
	if sp == nil {
		return nil, fmt.Errorf("%w: %s is not a super column model; Super does not apply", ErrSuper, m.plan.st.Name)
	}
	b, err := sp.typ.Pack(name)
	if err != nil {
		return nil, sp.err("pack", err)
	}
	return b, nil
}

// readArgs builds the select and spec of a read: the model's columns
// (pycassa's columns=self.fields) unless it has a raw field, which wants
// them all; the super column; consistency and page size. rows is the
// caller's select of rows, nil for a read by key.
func (m *Mapper[T, K]) readArgs(rows *query.Select, o *callOpts, superName []byte) (query.Select, readSpec, error) {
	p := m.plan
	r := readSpec{super: superName, cl: o.cl, buffer: o.buffer, keyspace: o.keyspace}
	if rows == nil && !o.hasField && superName == nil && p.super == nil {
		r.plain = true
		return p.defaultRead, r, nil // a plain read by key: built once, in the plan
	}
	var q query.Select
	if rows != nil {
		q = *rows
	}
	sel, err := p.selected(o)
	if err != nil {
		return query.Select{}, r, err
	}
	wholeSuper := p.super != nil && superName == nil
	switch {
	case wholeSuper || (p.raw != nil && sel == nil) || len(p.cols) == 0:
		q = q.PerPartitionLimit(query.Unlimited)
	case sel == nil:
		q = q.Columns(p.readNames...)
	default:
		q = q.Columns(p.selectedNames(sel)...)
	}
	return q, r, nil
}

// superOf packs the Super option, requiring it on super models.
func (m *Mapper[T, K]) superOf(o *callOpts, what string) ([]byte, error) {
	if !o.hasSuper {
		if m.plan.super != nil {
			return nil, fmt.Errorf("%w: %s on super column family %s needs orm.Super(name) (or use GetSuper)", ErrSuper, what, m.name)
		}
		return nil, nil
	}
	return m.packSuper(o.super)
}

// instance builds one T from a record.
func (m *Mapper[T, K]) instance(info *tableInfo, rec *record) (T, error) {
	return m.instanceOf(info, rec, nil)
}

// instanceOf builds one T from a record read by key, the key given: the
// key field is set to it when keyPlan.copied says it may be.
func (m *Mapper[T, K]) instanceOf(info *tableInfo, rec *record, key *K) (T, error) {
	var v T
	p := noescape(unsafe.Pointer(&v)) // v stays on the stack; see noescape
	if key != nil && m.keys.copied {
		*(*K)(m.plan.key.addr(p)) = *key // K is the key field's type
	} else if err := m.plan.decodeRowKey(rowKey{rec.key, rec.ck}, p); err != nil {
		return v, err
	}
	if rec.super != nil && m.plan.super != nil {
		if err := m.plan.super.decodeKey(rec.super, p); err != nil {
			return v, err
		}
	}
	err := m.plan.unpack(p, rec.cells, info)
	return v, err
}

// Get reads the row key into a new T. A row holding none of the model's
// columns is cassa.ErrNotFound, as in pycassa; columns it lacks get their
// defaults. On a super column family give Super(name) to read one super
// column as one instance (GetSuper reads them all).
func (m *Mapper[T, K]) Get(ctx context.Context, key K, opts ...CallOption) (T, error) {
	var zero T
	info, err := m.open(ctx, opts)
	if err != nil {
		return zero, err
	}
	o := collect(opts)
	kb, err := m.packKey(&key)
	if err != nil {
		return zero, err
	}
	sb, err := m.superOf(&o, "Get")
	if err != nil {
		return zero, err
	}
	q, r, err := m.readArgs(nil, &o, sb)
	if err != nil {
		return zero, err
	}
	buf := getCells()
	cells, err := m.tx.get(ctx, kb, q, r, *buf)
	if err != nil {
		putCells(buf, cells)
		if o.orZero && errors.Is(err, cassa.ErrNotFound) {
			return m.instanceOf(info, &record{key: kb.key, ck: kb.ck, super: sb}, &key)
		}
		return zero, err
	}
	v, err := m.instanceOf(info, &record{key: kb.key, ck: kb.ck, super: sb, cells: cells}, &key)
	putCells(buf, cells)
	return v, err
}

// MultiGet reads several rows, BufferSize keys per request, and returns
// one instance per row found, in the order of keys; missing rows are left
// out (pycassa's multiget), or with MissingAsZero read as zero instances,
// one per key given. On a super column family it needs Super(name) and
// returns that super column of each row.
func (m *Mapper[T, K]) MultiGet(ctx context.Context, keys []K, opts ...CallOption) ([]T, error) {
	info, err := m.open(ctx, opts)
	if err != nil {
		return nil, err
	}
	o := collect(opts)
	sb, err := m.superOf(&o, "MultiGet")
	if err != nil {
		return nil, err
	}
	q, r, err := m.readArgs(nil, &o, sb)
	if err != nil {
		return nil, err
	}
	packed := make([]rowKey, len(keys))
	for i := range keys {
		if packed[i], err = m.packKey(&keys[i]); err != nil {
			return nil, err
		}
	}
	out := make([]T, 0, len(keys))
	var found map[string]int // with MissingAsZero: key -> index in out
	if o.orZero {
		found = make(map[string]int, len(keys))
	}
	err = m.tx.multiGet(ctx, packed, q, r, func(rec *record) error {
		v, err := m.instance(info, rec)
		if err != nil {
			return err
		}
		if found != nil {
			found[string(rec.key)+"\x00"+string(rec.ck)] = len(out)
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return out, nil
	}
	all := make([]T, len(keys))
	for i, k := range packed {
		if j, ok := found[string(k.key)+"\x00"+string(k.ck)]; ok {
			all[i] = out[j]
		} else if all[i], err = m.instance(info, &record{key: k.key, ck: k.ck, super: sb}); err != nil {
			return nil, err
		}
	}
	return all, nil
}

// GetSuper reads every super column of the row key of a super column
// family, one instance each, in comparator order, paging through them.
// A row without super columns is cassa.ErrNotFound.
func (m *Mapper[T, K]) GetSuper(ctx context.Context, key K, opts ...CallOption) ([]T, error) {
	var out []T
	for v, err := range m.Supers(ctx, key, opts...) {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("orm: %s: row %s has no super columns: %w", m.name, codec.FormatKeyValue(nil, any(key)), cassa.ErrNotFound)
	}
	return out, nil
}

// Supers iterates over the super columns of the row key, one instance
// each, holding one page (BufferSize super columns) at a time.
func (m *Mapper[T, K]) Supers(ctx context.Context, key K, opts ...CallOption) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		info, err := m.open(ctx, opts)
		if err != nil {
			yield(zero, err)
			return
		}
		if m.plan.super == nil {
			yield(zero, fmt.Errorf("%w: %s is not a super column model", ErrSuper, m.plan.st.Name))
			return
		}
		o := collect(opts)
		kb, err := m.packKey(&key)
		if err != nil {
			yield(zero, err)
			return
		}
		for rec, err := range m.tx.supers(ctx, kb.key, readSpec{cl: o.cl, buffer: o.buffer, keyspace: o.keyspace}) {
			if err != nil {
				yield(zero, err)
				return
			}
			v, err := m.instance(info, rec)
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}

// Find iterates over the instances q selects, one per row, holding one
// page of rows at a time: every row q selects, however many, unless q sets
// a Limit. q selects rows; the mapper reads the model's
// columns (Fields narrows them), so q may not hold Columns, Slice,
// Reversed or PerPartitionLimit. Columns in relations may be named by
// column name or Go field name, and values are packed with the field's
// type (else the column's validator), so 1970 is 8 bytes for a LongType
// column.
//
//	users.Find(ctx, query.Where("state").Eq("UT").And("birthdate").Gt(1970).Limit(20)) // an index query
//	users.Find(ctx, query.Keys("a", "m").Limit(100))                                   // a range of keys
//	users.Find(ctx, query.Select{})                                                    // every row
//	users.Find(ctx, query.Where("height").Gt(2.5).AllowFiltering())                    // a filtered scan
//
// A select with relations and without AllowFiltering is an index query
// (get_indexed_slices): it is checked before anything is sent and needs an
// EQ on a column the live column family indexes (a *query.ClauseError
// otherwise), and cannot run on a super column family. Any other select scans rows in
// the partitioner's order (get_range_slices), by key or token range, the
// server checking the relations of an AllowFiltering select row by row.
// A scan skips rows with none of the model's columns, and on a super
// column family yields each super column as an instance, unless Super(name)
// picks one per row.
func (m *Mapper[T, K]) Find(ctx context.Context, q query.Select, opts ...CallOption) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		info, rq, r, err := m.findArgs(ctx, q, opts)
		if err != nil {
			yield(zero, err)
			return
		}
		for rec, err := range m.tx.find(ctx, rq, r) {
			if err != nil {
				yield(zero, err)
				return
			}
			v, err := m.instance(info, rec)
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}

// findArgs checks and resolves the select of a Find.
func (m *Mapper[T, K]) findArgs(ctx context.Context, q query.Select, opts []CallOption) (*tableInfo, query.Select, readSpec, error) {
	info, err := m.open(ctx, opts)
	if err != nil {
		return nil, q, readSpec{}, err
	}
	p, err := q.Parts()
	wide := len(m.plan.ck) > 0
	switch {
	case err != nil:
	case p.Named:
		err = fmt.Errorf("query: %w: the mapper reads the model's columns; select fields with orm.Fields, not with %v", query.ErrInvalid, q)
	case !wide && (p.Start != nil || p.Finish != nil || p.Reversed || p.PerPartitionLimit != 0):
		err = fmt.Errorf("query: %w: the mapper reads the model's columns; select fields with orm.Fields, not with %v (a Slice, Reversed or PerPartitionLimit needs clustering columns, which %s has none of)", query.ErrInvalid, q, m.plan.st.Name)
	}
	if err != nil {
		return nil, q, readSpec{}, err
	}
	o := collect(opts)
	resolved, err := m.resolve(info, q)
	if err != nil {
		return nil, q, readSpec{}, err
	}
	if err := m.tx.checkFind(ctx, q, resolved, info, readSpec{keyspace: o.keyspace}, m.columnName); err != nil {
		return nil, q, readSpec{}, err
	}
	var sb []byte
	if o.hasSuper {
		if sb, err = m.packSuper(o.super); err != nil {
			return nil, q, readSpec{}, err
		}
	}
	if p.Limit == 0 {
		resolved = resolved.Limit(query.Unlimited) // every row, as a range scan reads: never a silent default
	}
	rq, r, err := m.readArgs(&resolved, &o, sb)
	return info, rq, r, err
}

// columnName resolves a query column: a column name, or a Go field name.
func (m *Mapper[T, K]) columnName(c any) (string, bool) {
	var s string
	switch x := c.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return "", false
	}
	if fp, ok := m.plan.anyField(s); ok {
		return fp.name, true
	}
	return s, true
}

// resolve turns q's relations, keys and slice into what the transport
// sends: column names (Go field names resolved), values packed with the
// field's type, or the column's type for a column no field maps, keys
// packed with the partition key's type, and slice ends as codec.Tuples of
// clustering values packed with theirs.
func (m *Mapper[T, K]) resolve(info *tableInfo, q query.Select) (query.Select, error) {
	out, err := q.Resolve(func(r query.Relation) (query.Relation, error) {
		n, ok := m.columnName(r.Column)
		if !ok {
			return r, fmt.Errorf("%w: query column %v is not a column name", ErrUnknownField, r.Column)
		}
		t := info.typeOf(n)
		var fp *fieldPlan
		if f, ok := m.plan.anyByName[n]; ok {
			fp, t = f, f.typ
		}
		if _, live := info.colTypes[n]; fp == nil && !live && info.closed {
			// Cassandra's words (SelectStatement's relation check).
			return r, fmt.Errorf("%w: Undefined column name %s", ErrUnknownField, n)
		}
		if fp != nil && (r.Op == query.OpContains || r.Op == query.OpContainsKey) {
			// The value is an element of the collection, or a key of the map.
			if ct, ok := base(fp.typ).(*codec.CollectionType); ok {
				if r.Op == query.OpContainsKey && ct.Kind() == codec.MapKind {
					t = ct.Keys()
				} else {
					t = ct.Elements()
				}
			}
		}
		pack := func(v any) (any, error) {
			if b, ok := packWith(fp, t, v); ok {
				return b, nil
			}
			b, err := t.Pack(v)
			switch {
			case err == nil:
				return b, nil
			case fp != nil:
				return nil, fp.err("pack", err)
			}
			return nil, fmt.Errorf("orm: query value for column %q: %w", n, err)
		}
		out := query.Relation{Column: n, Op: r.Op}
		var err error
		if vs, ok := r.Value.([]any); ok && r.Op == query.OpIn {
			packed := make([]any, len(vs))
			for i, v := range vs {
				if packed[i], err = pack(v); err != nil {
					return r, err
				}
			}
			out.Value = packed
		} else if out.Value, err = pack(r.Value); err != nil {
			return r, err
		}
		return out, nil
	}, func(key any) (any, error) { return m.packKeyValue(key) })
	if err != nil {
		return out, err
	}
	p, _ := out.Parts()
	if p.Start == nil && p.Finish == nil {
		return out, nil
	}
	start, err := m.packSliceEnd(p.Start)
	if err != nil {
		return out, err
	}
	finish, err := m.packSliceEnd(p.Finish)
	if err != nil {
		return out, err
	}
	return out.Slice(start, finish), nil
}

// packSliceEnd packs a Slice end of a wide model: a clustering value, or
// a codec.Tuple of the first clustering values, the last maybe wrapped in
// codec.Inclusive or codec.Exclusive. The result is a codec.Tuple of
// packed values (nil for an open end).
func (m *Mapper[T, K]) packSliceEnd(end any) (any, error) {
	switch x := end.(type) {
	case nil:
		return nil, nil
	case string:
		if x == "" {
			return nil, nil
		}
	case []byte:
		if len(x) == 0 {
			return nil, nil
		}
	}
	comps, ok := end.(codec.Tuple)
	if !ok {
		if a, isAny := end.([]any); isAny {
			comps = a
		} else {
			comps = codec.Tuple{end}
		}
	}
	if len(comps) > len(m.plan.ck) {
		return nil, fmt.Errorf("query: %w: slice end %v has %d components; %s has %d clustering columns", query.ErrInvalid, end, len(comps), m.plan.st.Name, len(m.plan.ck))
	}
	out := make(codec.Tuple, len(comps))
	for i, c := range comps {
		fp := m.plan.ck[i]
		se, marked := c.(codec.SliceEnd)
		if marked {
			c = se.Value
		}
		b, ok := packWith(fp, fp.typ, c)
		if !ok {
			var err error
			if b, err = fp.typ.Pack(c); err != nil {
				return nil, fp.err("pack", err)
			}
		}
		if marked {
			out[i] = codec.SliceEnd{Value: b, Inclusive: se.Inclusive}
		} else {
			out[i] = b
		}
	}
	return out, nil
}

// packWith packs a query value with the field's own codec when the value
// has the field's Go type (a []string for a list<text> field), which the
// marshal type's Pack may not take.
func packWith(fp *fieldPlan, t codec.Type, v any) ([]byte, bool) {
	if fp == nil || t != fp.typ || v == nil {
		return nil, false
	}
	rv := reflect.ValueOf(v)
	if rv.Type() != fp.gt {
		return nil, false
	}
	p := reflect.New(fp.gt)
	p.Elem().Set(rv)
	b, err := fp.encode(nil, p.UnsafePointer())
	if err != nil {
		return nil, false
	}
	return b, true
}

// CountColumns counts the columns of the row key that the model reads:
// its fields' columns, or every column for a model with a raw field;
// with Fields, those fields' columns. On a super column family it counts
// the row's super columns, which are its instances, or with Super(name)
// the columns of that super column. A missing row counts 0.
func (m *Mapper[T, K]) CountColumns(ctx context.Context, key K, opts ...CallOption) (int, error) {
	if _, err := m.open(ctx, opts); err != nil {
		return 0, err
	}
	o := collect(opts)
	kb, err := m.packKey(&key)
	if err != nil {
		return 0, err
	}
	var sb []byte
	if o.hasSuper {
		if sb, err = m.packSuper(o.super); err != nil {
			return 0, err
		}
	}
	q, r, err := m.readArgs(nil, &o, sb)
	if err != nil {
		return 0, err
	}
	return m.tx.count(ctx, kb, q, r)
}

// Count counts the instances q selects: as many as Find(ctx, q, opts...)
// would yield, read a page at a time and not decoded.
func (m *Mapper[T, K]) Count(ctx context.Context, q query.Select, opts ...CallOption) (int, error) {
	_, rq, r, err := m.findArgs(ctx, q, opts)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, err := range m.tx.find(ctx, rq, r) {
		if err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}
