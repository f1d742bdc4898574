package orm

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"sync/atomic"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
	"github.com/cassa-go/cassa/thriftgen"
)

// thriftTable is the transport over Thrift: a column family of the pool's
// keyspace, reached through a thrift/columnfamily handle opened with raw
// keys, names and values (the mapper packs them itself), and, for cas,
// which the handle does not offer, through the pool directly.
type thriftTable struct {
	pool   *pool.Pool
	name   string
	cfOpts []columnfamily.Option
	// names are the model's column names by ModelDef.Columns index, boxed
	// once for the column family handle, and as bytes for cas.
	names     []any
	nameBytes [][]byte
	// wide is set for a model with clustering columns, whose rows are
	// stored as Cassandra stored CQL rows on Thrift: within the
	// partition's Thrift row, each column is named by a CompositeType of
	// the clustering values and the column name (see thrift_wide.go).
	wide             bool
	nck              int    // clustering columns
	static           []bool // by column index: a static column
	counter          bool
	pkNames, ckNames []string
	ckDesc           []bool
	ckCmp            codec.Type // orders clustering prefixes

	live atomic.Pointer[thriftLive]
}

// thriftLive is the column family as opened.
type thriftLive struct {
	cf         *columnfamily.ColumnFamily
	comparator codec.Type // orders (super) column names
}

func newThriftTable(p *pool.Pool, name string, cfOpts []columnfamily.Option, pl *plan) *thriftTable {
	t := &thriftTable{pool: p, name: name, cfOpts: cfOpts}
	if pl == nil {
		return t
	}
	for _, fp := range pl.cols {
		t.names = append(t.names, fp.name)
		t.nameBytes = append(t.nameBytes, []byte(fp.name))
		t.static = append(t.static, fp.f.Static)
	}
	t.wide, t.nck, t.counter = len(pl.ck) > 0, len(pl.ck), pl.counter
	for _, fp := range pl.pk {
		t.pkNames = append(t.pkNames, fp.name)
	}
	for _, fp := range pl.ck {
		t.ckNames = append(t.ckNames, fp.name)
		t.ckDesc = append(t.ckDesc, fp.f.Descending)
	}
	t.ckCmp = pl.ckType
	return t
}

// handle is the column family handle; open has set it before any call
// that uses it.
func (t *thriftTable) handle() *columnfamily.ColumnFamily { return t.live.Load().cf }

func (t *thriftTable) open(ctx context.Context, d *ModelDef, _ string, reload bool) (*tableInfo, error) {
	if t.pool == nil {
		return nil, fmt.Errorf("orm: mapper of %s has no pool", t.name)
	}
	old := t.live.Load()
	if old != nil && reload {
		if err := old.cf.Reload(ctx); err != nil {
			return nil, err
		}
	}
	def, err := columnfamily.Describe(ctx, t.pool, t.name)
	if err != nil {
		return nil, err
	}
	var cf *columnfamily.ColumnFamily
	if old != nil {
		cf = old.cf
	} else {
		opts := append(append([]columnfamily.Option(nil), t.cfOpts...),
			columnfamily.RawKeys(), columnfamily.RawNames(), columnfamily.RawValues())
		if cf, err = columnfamily.Open(ctx, t.pool, t.name, opts...); err != nil {
			return nil, err
		}
	}
	info := &tableInfo{super: def.ColumnType == "Super", counter: cf.IsCounter(), indexed: map[string]bool{},
		colTypes: map[string]codec.Type{}, valueType: parseLive(def.GetDefaultValidationClass())}
	for _, cd := range def.ColumnMetadata {
		if cd == nil {
			continue
		}
		info.colTypes[string(cd.Name)] = parseLive(cd.ValidationClass)
		if cd.IndexType != nil {
			info.indexed[string(cd.Name)] = true
		}
	}
	info.diffs = diffModel(*d, def)
	t.live.Store(&thriftLive{cf: cf, comparator: parseLive(def.ComparatorType)})
	return info, nil
}

func (t *thriftTable) verify(ctx context.Context, d *ModelDef) ([]Diff, error) {
	if t.pool == nil {
		return nil, fmt.Errorf("orm: mapper of %s has no pool", t.name)
	}
	def, err := columnfamily.Describe(ctx, t.pool, t.name)
	if err != nil {
		return nil, err
	}
	return diffModel(*d, def), nil
}

// checkFind: a select with relations and without AllowFiltering is an
// index query, which Cassandra answers only with an EQ on an indexed
// column, and not on a super column family. A wide model's selects are
// checked by checkWide.
func (t *thriftTable) checkFind(_ context.Context, q, resolved query.Select, info *tableInfo, r readSpec, name func(any) (string, bool)) error {
	if r.keyspace != "" {
		return errKeyspaceThrift
	}
	if t.wide {
		p, err := resolved.Parts()
		if err != nil {
			return err
		}
		_, err = t.wideSelect(&p, name)
		return err
	}
	p, err := q.Parts()
	if err != nil {
		return err
	}
	if len(p.Relations) == 0 || p.AllowFiltering {
		return nil
	}
	if info.super {
		return fmt.Errorf("%w: Cassandra has no secondary indexes on super column families", ErrSuper)
	}
	return q.Validate(func(c any) bool {
		n, ok := name(c)
		return ok && info.indexed[n]
	})
}

func readOptions(r readSpec) []columnfamily.ReadOption {
	if r.super == nil && r.cl == 0 && r.buffer == 0 {
		return nil
	}
	var ro []columnfamily.ReadOption
	if r.super != nil {
		ro = append(ro, columnfamily.Super(r.super))
	}
	if r.cl != 0 {
		ro = append(ro, columnfamily.Consistency(r.cl))
	}
	if r.buffer > 0 {
		ro = append(ro, columnfamily.BufferSize(r.buffer))
	}
	return ro
}

// appendCells converts columns as the raw handle returns them (names and
// values []byte, counters int64) into cells.
func appendCells(buf []cell, cols []columnfamily.Column) []cell {
	for i := range cols {
		c := &cols[i]
		x := cell{name: rawBytes(c.Name), ttl: c.TTL}
		switch v := c.Value.(type) {
		case int64:
			x.counter, x.isCounter = v, true
		default:
			x.value = rawBytes(v)
		}
		buf = append(buf, x)
	}
	return buf
}

// rawBytes is a raw-mode key, name or value as bytes.
func rawBytes(v any) []byte {
	switch x := v.(type) {
	case []byte:
		return x
	case string:
		return []byte(x)
	}
	return nil
}

// errKeyspaceThrift: a Thrift connection is bound to its keyspace.
var errKeyspaceThrift = fmt.Errorf("%w: orm.Keyspace: a Thrift pool reaches its own keyspace only; open a pool per keyspace, or use CQL", ErrUnsupported)

func (t *thriftTable) get(ctx context.Context, key rowKey, q query.Select, r readSpec, buf []cell) ([]cell, error) {
	if r.keyspace != "" {
		return buf, errKeyspaceThrift
	}
	if t.wide {
		return t.getWide(ctx, key, q, r, buf)
	}
	row, err := t.handle().Get(ctx, key.key, q, readOptions(r)...)
	if err != nil {
		return buf, err
	}
	return appendCells(buf, row.Columns), nil
}

func (t *thriftTable) multiGet(ctx context.Context, keys []rowKey, q query.Select, r readSpec, each func(*record) error) error {
	if r.keyspace != "" {
		return errKeyspaceThrift
	}
	if t.wide {
		return t.multiGetWide(ctx, keys, q, r, each)
	}
	ks := make([]any, len(keys))
	for i, k := range keys {
		ks[i] = k.key
	}
	rows, err := t.handle().MultiGet(ctx, ks, q, readOptions(r)...)
	if err != nil {
		return err
	}
	var rec record
	for _, row := range rows {
		rec.key, rec.super, rec.cells = rawBytes(row.Key), r.super, appendCells(rec.cells[:0], row.Columns)
		if err := each(&rec); err != nil {
			return err
		}
	}
	return nil
}

func (t *thriftTable) find(ctx context.Context, q query.Select, r readSpec) iter.Seq2[*record, error] {
	if t.wide {
		return t.findWide(ctx, q, r, nil, nil)
	}
	return func(yield func(*record, error) bool) {
		if r.keyspace != "" {
			yield(nil, errKeyspaceThrift)
			return
		}
		p, err := q.Parts()
		if err != nil {
			yield(nil, err)
			return
		}
		cf := t.handle()
		var rows iter.Seq2[columnfamily.Row, error]
		if len(p.Relations) > 0 && !p.AllowFiltering {
			rows = cf.GetIndexedSlices(ctx, q, readOptions(r)...)
		} else {
			rows = cf.GetRange(ctx, q, readOptions(r)...)
		}
		whole := cf.IsSuper() && r.super == nil
		var rec record
		for row, err := range rows {
			if err != nil {
				yield(nil, err)
				return
			}
			rec.key = rawBytes(row.Key)
			if !whole {
				rec.super, rec.cells = r.super, appendCells(rec.cells[:0], row.Columns)
				if !yield(&rec, nil) {
					return
				}
				continue
			}
			for _, sc := range row.SuperColumns {
				rec.super, rec.cells = rawBytes(sc.Name), appendCells(rec.cells[:0], sc.Columns)
				if !yield(&rec, nil) {
					return
				}
			}
		}
	}
}

// page resumes find after a position: the key of the last record (and
// its super column name, for a super model read whole), from which the
// next page's scan starts, skipping what the last page already gave.
func (t *thriftTable) page(ctx context.Context, q query.Select, r readSpec, n int, from []byte, each func(*record) error) ([]byte, error) {
	if t.wide {
		return t.pageWide(ctx, q, r, n, from, each)
	}
	var lastKey, lastSuper []byte
	if from != nil {
		var err error
		if lastKey, lastSuper, err = decodePosition(from); err != nil {
			return nil, err
		}
		q = q.StartKey(lastKey)
	}
	if r.buffer <= 0 {
		r.buffer = max(n+1, 2) // the page and one more, to know there is one
	}
	cmp := t.live.Load().comparator
	var posKey, posSuper []byte
	got := 0
	for rec, err := range t.find(ctx, q, r) {
		if err != nil {
			return nil, err
		}
		if from != nil && bytes.Equal(rec.key, lastKey) &&
			(lastSuper == nil || rec.super == nil || cmp.Compare(rec.super, lastSuper) <= 0) {
			continue // given by the last page
		}
		if got == n {
			return encodePosition(posKey, posSuper), nil
		}
		if err := each(rec); err != nil {
			return nil, err
		}
		got++
		posKey, posSuper = rec.key, rec.super
	}
	return nil, nil
}

// encodePosition writes a page position: the key, then the super column
// name when there is one.
func encodePosition(key, super []byte) []byte {
	b := binary.AppendUvarint(nil, uint64(len(key)))
	b = append(b, key...)
	if super != nil {
		b = append(b, 1)
		b = append(b, super...)
	}
	return b
}

var errPosition = errors.New("not a position in a Thrift column family")

func decodePosition(b []byte) (key, super []byte, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return nil, nil, errPosition
	}
	key, b = b[k:k+int(n)], b[k+int(n):]
	if len(b) > 0 {
		if b[0] != 1 {
			return nil, nil, errPosition
		}
		super = b[1:]
	}
	return key, super, nil
}

func (t *thriftTable) supers(ctx context.Context, key []byte, r readSpec) iter.Seq2[*record, error] {
	return func(yield func(*record, error) bool) {
		r.super = nil
		rec := record{key: key}
		for sc, err := range t.handle().XGetSuper(ctx, key, query.Select{}, readOptions(r)...) {
			if err != nil {
				yield(nil, err)
				return
			}
			rec.super, rec.cells = rawBytes(sc.Name), appendCells(rec.cells[:0], sc.Columns)
			if !yield(&rec, nil) {
				return
			}
		}
	}
}

func (t *thriftTable) count(ctx context.Context, key rowKey, q query.Select, r readSpec) (int, error) {
	if r.keyspace != "" {
		return 0, errKeyspaceThrift
	}
	if t.wide {
		cells, err := t.getWide(ctx, key, q, r, nil)
		if errors.Is(err, cassa.ErrNotFound) {
			return 0, nil
		}
		return len(cells), err
	}
	return t.handle().GetCount(ctx, key.key, q, readOptions(r)...)
}

func writeOptions(w writeSpec) []columnfamily.WriteOption {
	var wo []columnfamily.WriteOption
	if w.cl != 0 {
		wo = append(wo, columnfamily.Consistency(w.cl))
	}
	if w.hasTTL {
		wo = append(wo, columnfamily.TTL(w.ttl))
	}
	if w.hasTS {
		wo = append(wo, columnfamily.Timestamp(w.ts))
	}
	return wo
}

// values turns the columns a row sets into the handle's form: a
// ColumnList, under its super column in a super column family.
func (t *thriftTable) values(r *rowWrite) columnfamily.Values {
	list := make(columnfamily.ColumnList, 0, len(r.set)+len(r.raw)+1)
	if t.wide && r.insert {
		list = append(list, columnfamily.Column{Name: t.wideName(r.key.ck, -1), Value: []byte{}})
	}
	for _, s := range r.set {
		var name any = t.names[s.col]
		if t.wide {
			name = t.wideName(r.key.ck, int(s.col))
		}
		list = append(list, columnfamily.Column{Name: name, Value: r.value(s), TTL: s.ttl})
	}
	for _, c := range r.raw {
		list = append(list, columnfamily.Column{Name: c.name, Value: c.value, TTL: c.ttl})
	}
	if r.super != nil {
		return columnfamily.SuperColumnList{{Name: r.super, Columns: list}}
	}
	return list
}

// removal is the select and options of the deletions of a row.
func (t *thriftTable) removal(r *rowWrite, wo []columnfamily.WriteOption) (query.Select, []columnfamily.WriteOption) {
	var q query.Select // the whole row, or super column
	if t.wide {
		q = t.wideRemoval(r)
	} else if !r.all {
		names := make([]any, len(r.del))
		for i, c := range r.del {
			names[i] = t.names[c]
		}
		q = query.Columns(names...)
	}
	if r.super != nil {
		wo = append(wo[:len(wo):len(wo)], columnfamily.Super(r.super))
	}
	return q, wo
}

func (t *thriftTable) write(ctx context.Context, r rowWrite, w writeSpec) error {
	if w.keyspace != "" {
		return errKeyspaceThrift
	}
	cf := t.handle()
	switch wo := writeOptions(w); {
	case len(r.del) == 0 && !r.all:
		_, err := cf.Insert(ctx, r.key.key, t.values(&r), wo...)
		return err
	case len(r.set) == 0 && len(r.raw) == 0 && !r.insert:
		q, ro := t.removal(&r, wo)
		_, err := cf.Remove(ctx, r.key.key, q, ro...)
		return err
	}
	return t.writeBatch(ctx, []rowWrite{r}, w) // deletions and insertions together
}

func (t *thriftTable) writeBatch(ctx context.Context, rows []rowWrite, w writeSpec) error {
	if w.keyspace != "" {
		return errKeyspaceThrift
	}
	cf := t.handle()
	wo := writeOptions(w)
	bo := []columnfamily.BatchOption{columnfamily.QueueSize(columnfamily.NoAutoSend)}
	if w.cl != 0 {
		bo = append(bo, columnfamily.Consistency(w.cl))
	}
	b := cf.Batch(bo...)
	err := t.enqueue(rows, wo,
		func(key []byte, vals columnfamily.Values, wo []columnfamily.WriteOption) error {
			_, err := b.Insert(ctx, key, vals, wo...)
			return err
		},
		func(key []byte, q query.Select, wo []columnfamily.WriteOption) error {
			_, err := b.Remove(ctx, key, q, wo...)
			return err
		})
	if err != nil {
		return err
	}
	return b.Send(ctx)
}

// enqueue hands each row's deletions, then its insertions, to a batch.
func (t *thriftTable) enqueue(rows []rowWrite, wo []columnfamily.WriteOption,
	insert func([]byte, columnfamily.Values, []columnfamily.WriteOption) error,
	remove func([]byte, query.Select, []columnfamily.WriteOption) error) error {
	for i := range rows {
		r := &rows[i]
		if len(r.del) > 0 || r.all {
			q, ro := t.removal(r, wo)
			if err := remove(r.key.key, q, ro); err != nil {
				return err
			}
		}
		if len(r.set) > 0 || len(r.raw) > 0 || (r.insert && t.wide) {
			if err := insert(r.key.key, t.values(r), wo); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *thriftTable) queue(ctx context.Context, batch any, rows []rowWrite, w writeSpec) error {
	b, ok := batch.(*columnfamily.Mutator)
	if !ok || b == nil {
		return fmt.Errorf("%w: a Thrift mapper queues into a *columnfamily.Mutator, not %T", ErrArgument, batch)
	}
	if w.keyspace != "" {
		return errKeyspaceThrift
	}
	cf := t.handle()
	return t.enqueue(rows, writeOptions(w),
		func(key []byte, vals columnfamily.Values, wo []columnfamily.WriteOption) error {
			_, err := b.Insert(ctx, cf, key, vals, wo...)
			return err
		},
		func(key []byte, q query.Select, wo []columnfamily.WriteOption) error {
			_, err := b.Remove(ctx, cf, key, q, wo...)
			return err
		})
}

func (t *thriftTable) add(ctx context.Context, key rowKey, super []byte, col int, delta int64, w writeSpec) error {
	if w.keyspace != "" {
		return errKeyspaceThrift
	}
	wo := writeOptions(w)
	if super != nil {
		wo = append(wo, columnfamily.Super(super))
	}
	var name any = t.nameBytes[col]
	if t.wide {
		name = t.wideName(key.ck, col)
	}
	return t.handle().Add(ctx, key.key, name, delta, wo...)
}

// cas is Thrift's cas (columnfamily.CompareAndSet: serial phase at SERIAL
// or the call's LOCAL_SERIAL, commit at the call's other level or QUORUM,
// never retried). Thrift's cas writes columns only: it has no "if exists"
// and no deletion, and its "no live column" condition is about the whole
// Thrift row, which is a partition of a wide model.
func (t *thriftTable) cas(ctx context.Context, c casSpec, w writeSpec) (bool, *record, error) {
	if w.keyspace != "" {
		return false, nil, errKeyspaceThrift
	}
	switch {
	case c.kind == casUpdate || c.kind == casRemove:
		return false, nil, fmt.Errorf("%w: Thrift's cas cannot express an update if exists or a deletion; use CQL", ErrUnsupported)
	case c.kind == casInsert && t.wide:
		return false, nil, fmt.Errorf("%w: Thrift's cas cannot insert one row of a partition if it does not exist; use CQL", ErrUnsupported)
	}
	columns := func(r *rowWrite) columnfamily.ColumnList {
		out := make(columnfamily.ColumnList, 0, len(r.set)+len(r.raw)+1)
		for _, s := range r.set {
			name := t.nameBytes[s.col]
			if t.wide {
				name = t.wideName(r.key.ck, int(s.col))
			}
			out = append(out, columnfamily.Column{Name: name, Value: r.value(s), TTL: s.ttl})
		}
		for _, c := range r.raw {
			out = append(out, columnfamily.Column{Name: c.name, Value: c.value, TTL: c.ttl})
		}
		return out
	}
	exp, upd := columns(&c.expected), columns(&c.updates)
	if t.wide {
		upd = append(upd, columnfamily.Column{Name: t.wideName(c.updates.key.ck, -1), Value: []byte{}})
	}
	applied, err := t.handle().CompareAndSet(ctx, c.updates.key.key, exp, upd, writeOptions(w)...)
	return applied, nil, err
}

// parseLive parses a class from the live schema; unknown classes are
// bytes, as in columnfamily and pycassa.
func parseLive(class string) codec.Type {
	if class == "" {
		return codec.Bytes
	}
	t, err := codec.Parse(class)
	if err != nil {
		return codec.Bytes
	}
	return t
}

func className(t codec.Type) string {
	if t == nil {
		return "(none)"
	}
	return codec.ShortName(t)
}

func sameType(a, b codec.Type) bool { return a.Class() == b.Class() }

// textual reports whether t orders text names: what a standard model's
// string column names need.
func textual(t codec.Type) bool {
	return t == codec.UTF8 || t == codec.Ascii || t == codec.Bytes
}

// diffModel compares a model with a live column family definition.
func diffModel(d ModelDef, def *thriftgen.CfDef) []Diff {
	var out []Diff
	add := func(what, model, live string) { out = append(out, Diff{What: what, Model: model, Live: live}) }
	liveSuper := def.ColumnType == "Super"
	kind := func(s bool) string {
		if s {
			return "super"
		}
		return "standard"
	}
	if d.Super != liveSuper {
		add("column type", kind(d.Super), kind(liveSuper))
	}
	cmp := parseLive(def.ComparatorType)
	sub := parseLive(def.GetSubcomparatorType())
	names := cmp // what orders the model's column names
	if liveSuper {
		names = sub
	}
	wide := len(d.Table.Clustering) > 0
	switch {
	case d.Super:
		if !sameType(d.Comparator, cmp) {
			add("comparator (super column names)", className(d.Comparator), className(cmp))
		}
		if liveSuper && !textual(sub) {
			add("subcomparator (column names)", "text (UTF8Type)", className(sub))
		}
	case wide:
		if !sameType(d.Comparator, cmp) {
			add("comparator (clustering values, column name)", className(d.Comparator), className(cmp))
		}
	case !textual(names):
		add("comparator (column names)", "text (UTF8Type)", className(names))
	}
	key := parseLive(def.GetKeyValidationClass())
	if !sameType(d.KeyValidation, key) {
		add("key validation class", className(d.KeyValidation), className(key))
	}
	dv := parseLive(def.GetDefaultValidationClass())
	liveCounter := dv == codec.CounterColumn
	if d.Counter != liveCounter {
		add("counter column family", boolText(d.Counter), boolText(liveCounter))
	}
	meta := map[string]*thriftgen.ColumnDef{}
	for _, cd := range def.ColumnMetadata {
		if cd != nil {
			meta[string(cd.Name)] = cd
		}
	}
	for _, c := range d.Columns {
		cd := meta[c.Name]
		live := dv
		if cd != nil {
			live = parseLive(cd.ValidationClass)
		}
		if wide && !c.Counter {
			continue // a wide row's values have no metadata: composite names cannot name them
		}
		if structured(c.Validator) && live == codec.Bytes {
			continue // collections, tuples and user types are stored as their frozen bytes
		}
		if !sameType(c.Validator, live) && !(c.Counter && liveCounter) {
			src := "default validation class"
			if cd != nil {
				src = "column metadata"
			}
			add("column "+quote(c.Name)+" validator", className(c.Validator), className(live)+" ("+src+")")
		}
		liveIdx := cd != nil && cd.IndexType != nil
		if c.Index != liveIdx {
			add("index on column "+quote(c.Name), indexText(c.Index), indexText(liveIdx))
		}
	}
	return out
}

func quote(s string) string { return "\"" + s + "\"" }

// structured reports the CQL types a Thrift column family stores as bytes.
func structured(t codec.Type) bool {
	switch base(t).(type) {
	case *codec.CollectionType, *codec.TupleType, *codec.UserType:
		return true
	}
	return false
}

func boolText(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func indexText(b bool) string {
	if b {
		return "indexed"
	}
	return "not indexed"
}
