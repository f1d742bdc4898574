package orm

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/query"
)

// cqlTable is the transport over CQL: a table reached through a
// cql.Session, in the session's keyspace or, per call, another one
// (orm.Keyspace). It writes its own statements from the model, naming
// every column (never SELECT *), and keeps their texts per keyspace and
// shape, so that gocql prepares each once; Find compiles query.Select
// with cql.Compile against the live table. Values travel as the bytes the
// mapper packed (cql.RawValue, cql.RawDest): the native protocol carries Cassandra's
// marshal formats, so no value is converted twice.
type cqlTable struct {
	s    *cql.Session
	name string
	pl   *plan

	mu    sync.Mutex // serialises loading views
	views sync.Map   // keyspace -> *cqlView
}

func newCQLTable(s *cql.Session, name string, pl *plan) *cqlTable {
	return &cqlTable{s: s, name: name, pl: pl}
}

// cqlView is the table in one keyspace as last read from the live schema,
// with the statements made for it. A new view replaces it after a schema
// change.
type cqlView struct {
	ks    string
	gen   uint64     // the session's SchemaChanges when the table was read
	live  *cql.Table // Keyspace set to ks, so compiled statements qualify it
	table string     // the table as statements name it
	info  *tableInfo
	pkQ   []string // quoted partition key columns
	ckQ   []string // quoted clustering columns
	colQ  []string // quoted model columns, by index
	// present: the live table has the model column; tuple: its number of
	// components when it is a tuple (bound element by element, as gocql
	// 2.1.2 cannot bind a whole tuple), else 0.
	present []bool
	tuple   []int
	// raw lists the live columns no field maps (for a raw field), with
	// their types.
	raw      []string
	rawTypes map[string]codec.Type
	proto    int

	mu    sync.RWMutex
	stmts map[string]string // shape -> statement
	plain atomic.Pointer[getPlan]
}

// getPlan is the plain read of one row (every column), made once per
// view, with readers to reuse.
type getPlan struct {
	stmt    string
	cols    []readCol
	hasCol  bool
	readers sync.Pool // *rowReader
}

var errNoSession = errors.New("orm: mapper has no CQL session")

// view returns the view of keyspace ks, reading it on first use, again
// with reload, and again after the session has seen a schema change
// (cql.Session.SchemaChanges): a column added since, that a field maps,
// is then read and written, by statements prepared anew.
func (t *cqlTable) view(ctx context.Context, ks string, reload bool) (*cqlView, error) {
	if !reload {
		if v, ok := t.views.Load(ks); ok && v.(*cqlView).gen == t.s.SchemaChanges() {
			return v.(*cqlView), nil
		}
	}
	if t.s == nil {
		return nil, errNoSession
	}
	if t.pl == nil {
		return nil, errZeroMapper
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	gen := t.s.SchemaChanges()
	if !reload {
		if v, ok := t.views.Load(ks); ok && v.(*cqlView).gen == gen {
			return v.(*cqlView), nil
		}
	}
	live, err := t.s.Table(ctx, ks, t.name)
	if err != nil {
		return nil, err
	}
	v, err := t.newView(ks, live)
	if err != nil {
		return nil, err
	}
	v.gen = gen
	t.views.Store(ks, v)
	return v, nil
}

func (t *cqlTable) newView(ks string, live *cql.Table) (*cqlView, error) {
	pl := t.pl
	live.Keyspace = ks
	v := &cqlView{ks: ks, live: live, table: quoteName(t.name), proto: t.s.ProtocolVersion(),
		rawTypes: map[string]codec.Type{}, stmts: map[string]string{}}
	if ks != "" {
		v.table = quoteName(ks) + "." + quoteName(t.name)
	}
	if pl.super != nil {
		return nil, fmt.Errorf("%w: %s has a super field (%s): super column families exist on Thrift only; over CQL make it a clustering column", ErrSchema, pl.st.Name, pl.super.f.GoName)
	}
	var pk, ck []string
	for _, fp := range pl.pk {
		pk = append(pk, fp.name)
		v.pkQ = append(v.pkQ, quoteName(fp.name))
	}
	for _, fp := range pl.ck {
		ck = append(ck, fp.name)
		v.ckQ = append(v.ckQ, quoteName(fp.name))
	}
	var liveCK []string
	for _, c := range live.Clustering {
		liveCK = append(liveCK, c.Name)
	}
	if strings.Join(pk, "\x00") != strings.Join(live.PartitionKey, "\x00") || strings.Join(ck, "\x00") != strings.Join(liveCK, "\x00") {
		return nil, fmt.Errorf("%w: %s's primary key ((%s)%s) is not table %s's ((%s)%s)", ErrSchema, pl.st.Name,
			strings.Join(pk, ", "), prefixed(ck), t.name, strings.Join(live.PartitionKey, ", "), prefixed(liveCK))
	}
	liveCols := map[string]cql.TableColumn{}
	for _, c := range live.Columns {
		liveCols[c.Name] = c
	}
	info := &tableInfo{indexed: map[string]bool{}, colTypes: map[string]codec.Type{}, valueType: codec.Bytes, missing: map[int32]bool{}, closed: true}
	for _, ix := range live.Indexes {
		info.indexed[ix.Column] = true
	}
	mapped := map[string]bool{}
	for _, fp := range pl.pk {
		mapped[fp.name] = true
	}
	for _, fp := range pl.ck {
		mapped[fp.name] = true
	}
	for _, fp := range pl.cols {
		mapped[fp.name] = true
		v.colQ = append(v.colQ, quoteName(fp.name))
		_, ok := liveCols[fp.name]
		v.present = append(v.present, ok)
		if !ok {
			info.missing[int32(fp.pos)] = true
		}
		n := 0
		if tt, ok := base(fp.typ).(*codec.TupleType); ok {
			n = len(tt.Components())
		}
		v.tuple = append(v.tuple, n)
	}
	for _, c := range live.Columns {
		ct := typeFromCQL(c.Type)
		info.colTypes[c.Name] = ct
		if strings.TrimSpace(c.Type) == "counter" {
			info.counter = true
		}
		if !mapped[c.Name] {
			v.raw = append(v.raw, c.Name)
			v.rawTypes[c.Name] = ct
		}
	}
	v.info = info
	return v, nil
}

func prefixed(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return ", " + strings.Join(names, ", ")
}

// quoteName writes a table or column name as CQL needs it: bare when it is
// a lower-case identifier, else double-quoted (so "Users" keeps its case).
func quoteName(n string) string { return codec.MaybeQuote(n) }

// typeFromCQL is the marshal type of a live column's CQL type, for values
// of columns no field maps (raw fields, query values); types it does not
// know are bytes.
func typeFromCQL(s string) codec.Type {
	s = strings.TrimSpace(s)
	if t, ok := codec.NativeCQLType(s); ok {
		return t
	}
	return codec.Bytes
}

func (t *cqlTable) open(ctx context.Context, d *ModelDef, keyspace string, reload bool) (*tableInfo, error) {
	if t.s != nil && t.s.Keyspace() != "" {
		keyspace = "" // the session's: per-call keyspaces get views of their own
	}
	v, err := t.view(ctx, keyspace, reload)
	if err != nil {
		return nil, err
	}
	info := *v.info
	info.diffs = diffCQL(d, v.live)
	return &info, nil
}

func (t *cqlTable) verify(ctx context.Context, d *ModelDef) ([]Diff, error) {
	if t.s == nil {
		return nil, errNoSession
	}
	live, err := t.s.Table(ctx, "", t.name)
	if err != nil {
		return nil, err
	}
	return diffCQL(d, live), nil
}

// checkFind compiles the select as Find would send it: cql.Compile refuses
// what Cassandra would refuse (ALLOW FILTERING, clustering prefixes, IN
// and collection rules), with Cassandra's message.
func (t *cqlTable) checkFind(ctx context.Context, _, resolved query.Select, _ *tableInfo, r readSpec, _ func(any) (string, bool)) error {
	v, err := t.view(ctx, r.keyspace, false)
	if err != nil {
		return err
	}
	_, _, err = t.compile(v, resolved, nil)
	return err
}

// rawArg is a bound value the mapper packed (its bytes go on the wire as
// they are), or a value left unset.
type rawArg struct {
	cql.RawValue
	unset bool
}

// binder collects a statement's bound values (packed bytes, nil for
// null, or unset), its consistency and other options.
type binder struct {
	raws   []rawArg
	cl     cassa.Consistency
	extra  []any // options, appended after the values
	argBuf []any // room for args
}

// smallCall is a binder with room for a few values in the same block of
// memory: the key of a read by key, bound in the rowReader of the read.
type smallCall struct {
	b    binder
	raws [4]rawArg
	args [6]any
}

// binder empties the call's binder and returns it.
func (c *smallCall) binder() *binder {
	clear(c.raws[:])
	clear(c.args[:])
	c.b = binder{raws: c.raws[:0], argBuf: c.args[:0]}
	return &c.b
}

// binders keeps binders of single writes for reuse, so that binding a
// write's values allocates nothing once their slices have grown.
var binders = sync.Pool{New: func() any { return new(binder) }}

func getBinder() *binder { return binders.Get().(*binder) }

// putBinder empties b, dropping what it pointed to, and pools it.
func putBinder(b *binder) {
	clear(b.raws)
	clear(b.argBuf[:cap(b.argBuf)])
	*b = binder{raws: b.raws[:0], argBuf: b.argBuf[:0]}
	binders.Put(b)
}

// grow makes room for n values.
func (b *binder) grow(n int) {
	if cap(b.raws)-len(b.raws) < n {
		b.raws = append(make([]rawArg, 0, len(b.raws)+n), b.raws...)
	}
}

func (b *binder) add(v []byte) { b.raws = append(b.raws, rawArg{RawValue: cql.RawValue{Bytes: v}}) }

func (b *binder) addUnset() { b.raws = append(b.raws, rawArg{unset: true}) }

// args is the values and options as Session calls take them. The values
// point into b.raws, which must not grow after.
func (b *binder) args() []any {
	n := len(b.raws) + len(b.extra) + 1
	out := b.argBuf[:0]
	if cap(out) < n {
		out = make([]any, 0, n)
		b.argBuf = out
	}
	for i := range b.raws {
		if b.raws[i].unset {
			out = append(out, cql.Unset)
		} else {
			out = append(out, &b.raws[i].RawValue)
		}
	}
	if b.cl != 0 {
		out = append(out, cql.Consistency(b.cl))
	}
	return append(out, b.extra...)
}

// values is args without the options, for a batch.
func (b *binder) values() []any {
	cl, extra := b.cl, b.extra
	b.cl, b.extra = 0, nil
	out := b.args()
	b.cl, b.extra = cl, extra
	return out
}

// appendCL appends the consistency option of a call, if it sets one.
func appendCL(opts []any, cl cassa.Consistency) []any {
	if cl == 0 {
		return opts
	}
	return append(opts, cql.Consistency(cl))
}

// bindKey binds the partition key components and, with ck, the
// clustering values.
func (t *cqlTable) bindKey(b *binder, key rowKey, withCK bool) error {
	if len(t.pl.pk) == 1 {
		b.add(key.key)
	} else {
		var buf [8][]byte
		parts, err := splitComposite(key.key, len(t.pl.pk), buf[:0])
		if err != nil {
			return err
		}
		for _, p := range parts {
			b.add(p)
		}
	}
	if withCK && len(t.pl.ck) > 0 {
		var buf [8][]byte
		parts, err := splitComposite(key.ck, len(t.pl.ck), buf[:0])
		if err != nil {
			return err
		}
		for _, p := range parts {
			b.add(p)
		}
	}
	return nil
}

// where writes the WHERE clause of a statement on one row (or, without
// ck, on a partition).
func (v *cqlView) where(sb *strings.Builder, withCK bool) {
	sb.WriteString(" WHERE ")
	for i, c := range v.pkQ {
		if i > 0 {
			sb.WriteString(" AND ")
		}
		sb.WriteString(c)
		sb.WriteString(" = ?")
	}
	if withCK {
		for _, c := range v.ckQ {
			sb.WriteString(" AND ")
			sb.WriteString(c)
			sb.WriteString(" = ?")
		}
	}
}

// stmt returns the statement of a shape, building it on first use.
func (v *cqlView) stmt(shape string, build func(*strings.Builder)) string {
	v.mu.RLock()
	s, ok := v.stmts[shape]
	v.mu.RUnlock()
	if ok {
		return s
	}
	var sb strings.Builder
	build(&sb)
	s = sb.String()
	v.mu.Lock()
	v.stmts[shape] = s
	v.mu.Unlock()
	return s
}

// stmtBytes is stmt for a shape held in bytes: a hit costs no allocation.
func (v *cqlView) stmtBytes(shape []byte, build func(*strings.Builder)) string {
	v.mu.RLock()
	s, ok := v.stmts[string(shape)]
	v.mu.RUnlock()
	if ok {
		return s
	}
	return v.stmt(string(shape), build)
}

// plainGet returns the view's plain read of one row.
func (t *cqlTable) plainGet(v *cqlView) (*getPlan, error) {
	if g := v.plain.Load(); g != nil {
		return g, nil
	}
	stmt, cols, err := t.rowSelect(v, t.pl.defaultRead)
	if err != nil {
		return nil, err
	}
	g := &getPlan{stmt: stmt, cols: cols, hasCol: hasCol(cols)}
	g.readers.New = func() any { return t.newReader(cols) }
	v.plain.Store(g)
	return g, nil
}

// callOptions are the statement options of a read or write (a read at
// SERIAL goes through Paxos: the session takes it as the consistency).
func callOptions(cl cassa.Consistency) []any { return appendCL(nil, cl) }

// readCols says what a SELECT reads, column by column of its result.
type readCol struct {
	kind  uint8 // rcPK, rcCK, rcCol, rcTTL, rcRaw
	idx   int   // partition key or clustering index, model column index
	width int   // result columns it takes: a tuple's components, else 1
	name  []byte
}

const (
	rcPK uint8 = iota
	rcCK
	rcCol
	rcTTL
	rcRaw
)

// selection is the columns of a read: the model columns q names (all
// without names), present in the live table, the TTL of the regular
// columns when the model has a ttl field, the raw columns when it has a
// raw field; keys adds the partition key and clustering columns.
func (t *cqlTable) selection(v *cqlView, q query.Select, keys bool) (cols []readCol, text []string, shape string, err error) {
	p, err := q.Parts()
	if err != nil {
		return nil, nil, "", err
	}
	want := func(int) bool { return true }
	if p.Named {
		set := map[string]bool{}
		for _, n := range p.Columns {
			if s, ok := n.(string); ok {
				set[s] = true
			}
		}
		want = func(i int) bool { return set[t.pl.cols[i].name] }
	}
	var sh strings.Builder
	add := func(c readCol, expr string) {
		cols = append(cols, c)
		text = append(text, expr)
		sh.WriteString(expr)
		sh.WriteByte(',')
	}
	if keys {
		for i, q := range v.pkQ {
			add(readCol{kind: rcPK, idx: i, width: 1}, q)
		}
		for i, q := range v.ckQ {
			add(readCol{kind: rcCK, idx: i, width: 1}, q)
		}
	}
	// The columns go in the order of the plan's sorted list, in which
	// plan.unpack expects them (as Thrift returns them), so that it finds
	// each one's field without a lookup by name.
	for _, fp := range t.pl.sorted {
		i := fp.pos
		if !v.present[i] || !want(i) {
			continue
		}
		add(readCol{kind: rcCol, idx: i, width: max(1, v.tuple[i]), name: fp.nameBytes}, v.colQ[i])
		if t.pl.ttl != nil && !fp.f.Static && !codec.IsMultiCell(fp.typ) && !t.pl.counter {
			add(readCol{kind: rcTTL, idx: i, width: 1}, "TTL("+v.colQ[i]+")")
		}
	}
	if t.pl.raw != nil && !p.Named {
		for _, n := range v.raw {
			add(readCol{kind: rcRaw, width: 1, name: []byte(n)}, quoteName(n))
		}
	}
	if len(cols) == 0 {
		// Nothing to read but whether the row is there.
		for i, q := range v.pkQ {
			add(readCol{kind: rcPK, idx: i, width: 1}, q)
		}
	}
	return cols, text, sh.String(), nil
}

// rowReader decodes result rows into records: gocql scans a row's
// values into dests (through ptrs), and decode turns them into rec.
type rowReader struct {
	t     *cqlTable
	cols  []readCol
	dests []cql.RawDest
	ptrs  []any
	parts [][]byte
	ckp   [][]byte
	rec   record
	key   smallCall // the bound key of a read by key
}

func (t *cqlTable) newReader(cols []readCol) *rowReader {
	n := 0
	for _, c := range cols {
		n += c.width
	}
	r := &rowReader{t: t, cols: cols, dests: make([]cql.RawDest, n), ptrs: make([]any, n)}
	for i := range r.dests {
		r.ptrs[i] = &r.dests[i]
	}
	return r
}

// read decodes a row into r.rec (valid until the next read), reporting
// whether it holds any of the model's columns.
func (r *rowReader) read(row *cql.Row, key *rowKey) (bool, error) {
	if err := row.Scan(r.ptrs...); err != nil {
		return false, err
	}
	return r.decode(key)
}

// decode turns the values scanned into r.dests into r.rec, as read.
// With key (a read by key) the record takes it; otherwise it is packed
// from the key columns read.
func (r *rowReader) decode(key *rowKey) (bool, error) {
	t := r.t
	rec := &r.rec
	rec.cells = rec.cells[:0]
	r.parts, r.ckp = r.parts[:0], r.ckp[:0]
	any := false
	at := 0
	var ttl int32
	for _, c := range r.cols {
		d := r.dests[at : at+c.width]
		at += c.width
		switch c.kind {
		case rcPK:
			r.parts = append(r.parts, d[0].Bytes)
		case rcCK:
			r.ckp = append(r.ckp, d[0].Bytes)
		case rcTTL:
			if d[0].Bytes != nil {
				n, err := codec.DecodeInt32(d[0].Bytes)
				if err == nil {
					ttl = max(ttl, n)
				}
			}
		case rcCol:
			var b []byte
			if c.width > 1 {
				b = joinTuple(d)
			} else {
				b = d[0].Bytes
			}
			if b == nil {
				continue
			}
			fp := t.pl.cols[c.idx]
			if fp.keeps() {
				b = append([]byte(nil), b...)
			}
			any = true
			rec.cells = append(rec.cells, cell{name: c.name, value: b})
		case rcRaw:
			if d[0].Bytes == nil {
				continue
			}
			rec.cells = append(rec.cells, cell{name: c.name, value: append([]byte(nil), d[0].Bytes...)})
		}
	}
	if ttl > 0 {
		for i := range rec.cells {
			rec.cells[i].ttl = ttl
		}
	}
	if key != nil {
		rec.key, rec.ck = key.key, key.ck
		return any, nil
	}
	if len(r.parts) == 1 {
		rec.key = append([]byte(nil), r.parts[0]...)
	} else {
		rec.key = composite(r.parts)
	}
	rec.ck = nil
	if len(r.ckp) > 0 {
		rec.ck = composite(r.ckp)
	}
	return any, nil
}

// keeps reports a field whose decoding may keep the bytes it is given
// (byte slices, values decoded by the codecs): those get copies of the
// bytes gocql read, which belong to a whole page.
func (fp *fieldPlan) keeps() bool {
	return fp.op == opBytes || fp.op == opGeneric || fp.op >= opList
}

// composite packs components as a CompositeType with 0x00 end bytes.
func composite(parts [][]byte) []byte {
	n := 0
	for _, p := range parts {
		n += 3 + len(p)
	}
	b := make([]byte, 0, n)
	for _, p := range parts {
		b = binary.BigEndian.AppendUint16(b, uint16(len(p)))
		b = append(append(b, p...), 0)
	}
	return b
}

// joinTuple rebuilds a tuple value from its components, as gocql returns
// a tuple column: one value per component. All null is a null tuple.
func joinTuple(d []cql.RawDest) []byte {
	null := true
	n := 0
	for _, x := range d {
		if x.Bytes != nil {
			null = false
		}
		n += 4 + len(x.Bytes)
	}
	if null {
		return nil
	}
	b := make([]byte, 0, n)
	for _, x := range d {
		if x.Bytes == nil {
			b = binary.BigEndian.AppendUint32(b, 0xffffffff)
			continue
		}
		b = binary.BigEndian.AppendUint32(b, uint32(len(x.Bytes)))
		b = append(b, x.Bytes...)
	}
	return b
}

// splitTuple splits a packed tuple into its n components (nil for null
// ones); missing trailing components are null.
func splitTuple(b []byte, n int) ([][]byte, error) {
	out := make([][]byte, n)
	for i := 0; i < n && len(b) > 0; i++ {
		elem, rest, null, err := readElem(b)
		if err != nil {
			return nil, err
		}
		if !null {
			out[i] = elem
		}
		b = rest
	}
	return out, nil
}

// rowSelect is the SELECT of one row by its primary key.
func (t *cqlTable) rowSelect(v *cqlView, q query.Select) (string, []readCol, error) {
	cols, text, shape, err := t.selection(v, q, false)
	if err != nil {
		return "", nil, err
	}
	stmt := v.stmt("get:"+shape, func(sb *strings.Builder) {
		sb.WriteString("SELECT ")
		sb.WriteString(strings.Join(text, ", "))
		sb.WriteString(" FROM ")
		sb.WriteString(v.table)
		v.where(sb, true)
	})
	return stmt, cols, nil
}

func (t *cqlTable) get(ctx context.Context, key rowKey, q query.Select, r readSpec, buf []cell) ([]cell, error) {
	out := buf
	err := t.retrySchema(ctx, r.keyspace, func(v *cqlView) error {
		var stmt string
		var cols []readCol
		var rd *rowReader
		var g *getPlan
		if r.plain {
			var err error
			if g, err = t.plainGet(v); err != nil {
				return err
			}
			stmt, cols = g.stmt, g.cols
			rd = g.readers.Get().(*rowReader)
			defer g.readers.Put(rd)
		} else {
			var err error
			if stmt, cols, err = t.rowSelect(v, q); err != nil {
				return err
			}
			rd = t.newReader(cols)
		}
		c := rd.key.binder()
		if err := t.bindKey(c, key, true); err != nil {
			return err
		}
		c.cl = r.cl
		// gocql scans the row's values once, into the reader's dests.
		err := t.s.Scan(ctx, stmt, c.args(), rd.ptrs...)
		if errors.Is(err, cassa.ErrNotFound) {
			return fmt.Errorf("orm: %s: row not found: %w", t.name, cassa.ErrNotFound)
		}
		if err != nil {
			return err
		}
		rd.rec.cells = buf
		found, err := rd.decode(&key)
		out = rd.rec.cells
		rd.rec.cells = nil
		if err != nil {
			return err
		}
		if !found && len(t.pl.ck) == 0 && (g != nil && g.hasCol || g == nil && hasCol(cols)) {
			return fmt.Errorf("orm: %s: row holds none of the model's columns: %w", t.name, cassa.ErrNotFound)
		}
		return nil
	})
	return out, err
}

func hasCol(cols []readCol) bool {
	for _, c := range cols {
		if c.kind == rcCol {
			return true
		}
	}
	return false
}

// retrySchema runs f on the keyspace's view and, when Cassandra says the
// statement names a column or table it does not know (the table was
// altered or re-created since the view was read), reads the table again
// and runs f once more, so that statements follow ALTER TABLE.
func (t *cqlTable) retrySchema(ctx context.Context, ks string, f func(*cqlView) error) error {
	v, err := t.view(ctx, ks, false)
	if err != nil {
		return err
	}
	err = f(v)
	if !schemaChanged(err) {
		return err
	}
	if v, err = t.view(ctx, ks, true); err != nil {
		return err
	}
	return f(v)
}

// schemaChanged reports errors that a fresh view of the table may cure.
func schemaChanged(err error) bool {
	var ire *cassa.InvalidRequestError
	if err == nil || !errors.As(err, &ire) {
		return false
	}
	w := ire.Why
	return strings.Contains(w, "Undefined column name") || strings.Contains(w, "Unknown identifier") ||
		strings.Contains(w, "Undefined name") || strings.Contains(w, "undefined column")
}

func (t *cqlTable) multiGet(ctx context.Context, keys []rowKey, q query.Select, r readSpec, each func(*record) error) error {
	seen := map[string]bool{}
	var recs []*record
	for _, k := range keys {
		id := string(k.key) + "\x00" + string(k.ck)
		if seen[id] {
			continue
		}
		seen[id] = true
		recs = append(recs, &record{key: k.key, ck: k.ck})
	}
	// Rows are read concurrently, a few at a time (one statement per
	// row: IN on the partition key burdens one coordinator with them
	// all), and handed on in the order of keys.
	const inFlight = 8
	errs := make([]error, len(recs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, inFlight)
	for i, rec := range recs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			cells, err := t.get(ctx, rowKey{rec.key, rec.ck}, q, r, nil)
			if errors.Is(err, cassa.ErrNotFound) {
				rec.key = nil
				return
			}
			rec.cells, errs[i] = cells, err
		}()
	}
	wg.Wait()
	for i, rec := range recs {
		if errs[i] != nil {
			return errs[i]
		}
		if rec.key == nil {
			continue
		}
		if err := each(rec); err != nil {
			return err
		}
	}
	return nil
}

// compile turns a resolved select into a SELECT of the model's columns
// (with the key columns) on the view's live table, its values bound as
// the mapper packed them.
func (t *cqlTable) compile(v *cqlView, q query.Select, onlyKeys []readCol) (cql.Statement, []readCol, error) {
	cols, text, _, err := t.selection(v, q, true)
	if err != nil {
		return cql.Statement{}, nil, err
	}
	if onlyKeys != nil {
		cols, text = cols[:len(v.pkQ)+len(v.ckQ)], text[:len(v.pkQ)+len(v.ckQ)]
	}
	names := make([]any, 0, len(cols))
	for i, c := range cols {
		if c.kind == rcTTL {
			return t.compileTTL(v, q, cols, text)
		}
		names = append(names, unquote(text[i]))
	}
	sel, err := rawValues(q)
	if err != nil {
		return cql.Statement{}, nil, err
	}
	st, err := cql.Compile(v.live, sel.Columns(names...))
	return st, cols, err
}

// compileTTL compiles a select whose projection reads TTL(col) too, which
// query.Columns cannot name: it compiles the key columns and splices the
// projection in.
func (t *cqlTable) compileTTL(v *cqlView, q query.Select, cols []readCol, text []string) (cql.Statement, []readCol, error) {
	sel, err := rawValues(q)
	if err != nil {
		return cql.Statement{}, nil, err
	}
	st, err := cql.Compile(v.live, sel.Columns(unquote(text[0])))
	if err != nil {
		return st, nil, err
	}
	head := "SELECT " + text[0] + " FROM "
	if !strings.HasPrefix(st.CQL, head) {
		return st, nil, fmt.Errorf("orm: unexpected compiled statement %q", st.CQL)
	}
	st.CQL = "SELECT " + strings.Join(text, ", ") + " FROM " + st.CQL[len(head):]
	return st, cols, nil
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return s
}

// rawValues wraps the packed values of a resolved select (relation values,
// IN lists, key bounds, slice ends) so that they are bound as they are.
func rawValues(q query.Select) (query.Select, error) {
	wrap := func(v any) any {
		switch x := v.(type) {
		case []byte:
			return &cql.RawValue{Bytes: x}
		case codec.SliceEnd:
			if b, ok := x.Value.([]byte); ok {
				return codec.SliceEnd{Value: &cql.RawValue{Bytes: b}, Inclusive: x.Inclusive}
			}
		}
		return v
	}
	out, err := q.Resolve(func(r query.Relation) (query.Relation, error) {
		if vs, ok := r.Value.([]any); ok && r.Op == query.OpIn {
			w := make([]any, len(vs))
			for i, x := range vs {
				w[i] = wrap(x)
			}
			r.Value = w
			return r, nil
		}
		r.Value = wrap(r.Value)
		return r, nil
	}, func(k any) (any, error) { return k, nil })
	if err != nil {
		return out, err
	}
	p, _ := out.Parts()
	slice := func(end any) any {
		tu, ok := end.(codec.Tuple)
		if !ok {
			return end
		}
		w := make(codec.Tuple, len(tu))
		for i, x := range tu {
			w[i] = wrap(x)
		}
		if len(w) == 1 {
			if se, ok := w[0].(codec.SliceEnd); ok {
				return codec.Tuple{se}
			}
			return w[0]
		}
		return w
	}
	if p.Start != nil || p.Finish != nil {
		out = out.Slice(slice(p.Start), slice(p.Finish))
	}
	return out, nil
}

// keyBounds turns the packed key bounds of a select into partition key
// components for token(…) >= token(?) and the like.
func (t *cqlTable) keyBounds(q query.Select) (query.Select, error) {
	p, err := q.Parts()
	if err != nil || p.StartKey == nil && p.FinishKey == nil {
		return q, err
	}
	conv := func(k any) (any, error) {
		b, ok := k.([]byte)
		if !ok {
			return k, nil
		}
		if len(t.pl.pk) == 1 {
			return &cql.RawValue{Bytes: b}, nil
		}
		parts, err := splitComposite(b, len(t.pl.pk), nil)
		if err != nil {
			return nil, err
		}
		out := make(codec.Tuple, len(parts))
		for i, x := range parts {
			out[i] = &cql.RawValue{Bytes: x}
		}
		return out, nil
	}
	return q.Resolve(nil, conv)
}

func (t *cqlTable) find(ctx context.Context, q query.Select, r readSpec) iter.Seq2[*record, error] {
	return func(yield func(*record, error) bool) {
		v, err := t.view(ctx, r.keyspace, false)
		if err != nil {
			yield(nil, err)
			return
		}
		if q, err = t.keyBounds(q); err != nil {
			yield(nil, err)
			return
		}
		st, cols, err := t.compile(v, q, nil)
		if err != nil {
			yield(nil, err)
			return
		}
		args := append(st.Args, callOptions(r.cl)...)
		if r.buffer > 0 {
			args = append(args, cql.PageSize(r.buffer))
		}
		rd := t.newReader(cols)
		for row, err := range t.s.Query(ctx, st.CQL, args...) {
			if err != nil {
				yield(nil, err)
				return
			}
			found, err := rd.read(row, nil)
			if err != nil {
				yield(nil, err)
				return
			}
			if !found && len(t.pl.ck) == 0 && hasCol(cols) {
				continue // a row with none of the model's columns, as on Thrift
			}
			if !yield(&rd.rec, nil) {
				return
			}
		}
	}
}

// page reads one page with Cassandra's paging state: the position is the
// state itself, which the mapper's token carries under its own MAC (bound
// to the select), so that any session can resume it.
func (t *cqlTable) page(ctx context.Context, q query.Select, r readSpec, n int, from []byte, each func(*record) error) ([]byte, error) {
	v, err := t.view(ctx, r.keyspace, false)
	if err != nil {
		return nil, err
	}
	if q, err = t.keyBounds(q); err != nil {
		return nil, err
	}
	st, cols, err := t.compile(v, q, nil)
	if err != nil {
		return nil, err
	}
	args := append(st.Args, callOptions(r.cl)...)
	args = append(args, cql.PageSize(n), cql.PagingState(from))
	rows := t.s.Rows(ctx, st.CQL, args...)
	defer rows.Close()
	rd := t.newReader(cols)
	for rows.Next() {
		found, err := rd.read(rows.Row(), nil)
		if err != nil {
			return nil, err
		}
		if !found && len(t.pl.ck) == 0 && hasCol(cols) {
			continue
		}
		if err := each(&rd.rec); err != nil {
			return nil, err
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	return rows.PagingState(), nil
}

func (t *cqlTable) supers(context.Context, []byte, readSpec) iter.Seq2[*record, error] {
	return func(yield func(*record, error) bool) {
		yield(nil, fmt.Errorf("%w: super columns exist on Thrift only", ErrSuper))
	}
}

func (t *cqlTable) count(ctx context.Context, key rowKey, q query.Select, r readSpec) (int, error) {
	cells, err := t.get(ctx, key, q, r, nil)
	if errors.Is(err, cassa.ErrNotFound) {
		return 0, nil
	}
	return len(cells), err
}

// ttlSeconds is the TTL of a write in whole seconds: the instance's (its
// columns carry it), else the call's; 0 for none.
func ttlSeconds(r *rowWrite, w writeSpec) (int32, error) {
	if w.hasTTL && w.ttl < 0 { // refused as the Thrift column family refuses it
		return 0, fmt.Errorf("%w: TTL %v out of range", ErrArgument, w.ttl)
	}
	for _, s := range r.set {
		if s.ttl > 0 {
			return s.ttl, nil
		}
	}
	for _, c := range r.raw {
		if c.ttl > 0 {
			return c.ttl, nil
		}
	}
	if !w.hasTTL || w.ttl <= 0 {
		return 0, nil
	}
	secs := (w.ttl + 999999999) / 1e9
	if secs > math.MaxInt32 {
		return 0, fmt.Errorf("%w: TTL %v", ErrArgument, w.ttl)
	}
	return int32(secs), nil
}

// using writes a USING clause.
func using(sb *strings.Builder, ttl, ts bool) {
	switch {
	case ttl && ts:
		sb.WriteString(" USING TTL ? AND TIMESTAMP ?")
	case ttl:
		sb.WriteString(" USING TTL ?")
	case ts:
		sb.WriteString(" USING TIMESTAMP ?")
	}
}

// stmtOf is a statement with its bound values.
type stmtOf struct {
	text string
	b    binder
}

// statements turns a row's writes into CQL: an INSERT of the columns it
// sets (null for those it deletes; on protocol v4 and later, unset for
// the model's other columns, so one statement serves every instance), or
// a DELETE of the row or of columns.
func (t *cqlTable) statements(v *cqlView, r *rowWrite, w writeSpec) ([]stmtOf, error) {
	if r.inserts() {
		var st stmtOf
		var err error
		if st.text, err = t.insertStmt(v, r, w, &st.b); err != nil {
			return nil, err
		}
		return []stmtOf{st}, nil
	}
	if len(r.del) > 0 || r.all {
		return t.deleteStmts(v, r, w)
	}
	return nil, nil
}

// inserts reports whether the row's writes are one INSERT (see
// statements).
func (r *rowWrite) inserts() bool {
	return len(r.set) > 0 || len(r.raw) > 0 || r.insert && !r.all
}

// insertStmt returns the INSERT of a row's writes, binding its values in
// b.
func (t *cqlTable) insertStmt(v *cqlView, r *rowWrite, w writeSpec, b *binder) (string, error) {
	pl := t.pl
	n := len(pl.cols)
	// One block holds, per column, its state and its span, and then the
	// statement's shape: 0 not written, 1 set, 2 deleted, 3 unset.
	var sbuf [64]int32
	scratch := sbuf[:0]
	if 2*n > len(sbuf) {
		scratch = make([]int32, 2*n)
	}
	scratch = scratch[:2*n]
	state, at := scratch[:n], scratch[n:]
	for i, s := range r.set {
		if !v.present[s.col] {
			return "", fmt.Errorf("%w: table %s has no column %q (dropped?)", ErrSchema, t.name, pl.cols[s.col].name)
		}
		state[s.col], at[s.col] = 1, int32(i)
	}
	for _, c := range r.del {
		if v.present[c] {
			state[c] = 2
		}
	}
	if v.proto >= 4 {
		for i := range state {
			if state[i] == 0 && v.present[i] && v.tuple[i] == 0 && !pl.cols[i].f.Counter {
				state[i] = 3
			}
		}
	}
	var rawNames []string
	if len(r.raw) > 0 {
		rawSet := map[string]bool{}
		for _, c := range v.raw {
			rawSet[c] = true
		}
		for _, c := range r.raw {
			n := string(c.name)
			if !rawSet[n] {
				return "", fmt.Errorf("%w: table %s has no column %q for the raw field's entry", ErrSchema, t.name, n)
			}
			rawNames = append(rawNames, n)
		}
	}
	ttl, err := ttlSeconds(r, w)
	if err != nil {
		return "", err
	}
	// The shape is what the text depends on: which columns it names, and
	// how a tuple is written (bound inline, or null).
	var shbuf [64]byte
	shape := append(shbuf[:0], 'i')
	for i, s := range state {
		switch {
		case s == 0:
			shape = append(shape, '0')
		case v.tuple[i] > 0 && s == 2:
			shape = append(shape, 'n')
		case v.tuple[i] > 0:
			shape = append(shape, 't')
		default:
			shape = append(shape, '1')
		}
	}
	shape = append(shape, flag(ttl > 0), flag(w.hasTS))
	for _, n := range rawNames {
		shape = append(append(shape, 0), n...)
	}
	text := v.stmtBytes(shape, func(sb *strings.Builder) {
		sb.WriteString("INSERT INTO ")
		sb.WriteString(v.table)
		sb.WriteString(" (")
		names := append(append([]string(nil), v.pkQ...), v.ckQ...)
		var marks []string
		for range names {
			marks = append(marks, "?")
		}
		for i, s := range state {
			if s == 0 {
				continue
			}
			names = append(names, v.colQ[i])
			switch {
			case v.tuple[i] > 0 && s == 2:
				marks = append(marks, "null")
			case v.tuple[i] > 0:
				marks = append(marks, "("+strings.TrimSuffix(strings.Repeat("?, ", v.tuple[i]), ", ")+")")
			default:
				marks = append(marks, "?")
			}
		}
		for _, n := range rawNames {
			names = append(names, quoteName(n))
			marks = append(marks, "?")
		}
		sb.WriteString(strings.Join(names, ", "))
		sb.WriteString(") VALUES (")
		sb.WriteString(strings.Join(marks, ", "))
		sb.WriteString(")")
		using(sb, ttl > 0, w.hasTS)
	})
	b.grow(len(pl.pk) + len(pl.ck) + n + len(r.raw) + 2)
	if err := t.bindKey(b, r.key, true); err != nil {
		return "", err
	}
	for i, s := range state {
		switch {
		case s == 0:
		case s == 3:
			b.addUnset()
		case v.tuple[i] > 0 && s == 2:
		case v.tuple[i] > 0:
			parts, err := splitTuple(r.value(r.set[at[i]]), v.tuple[i])
			if err != nil {
				return "", pl.cols[i].err("pack", err)
			}
			for _, p := range parts {
				b.add(p)
			}
		case s == 2:
			b.add(nil)
		default:
			b.add(r.value(r.set[at[i]]))
		}
	}
	for _, c := range r.raw {
		b.add(c.value)
	}
	if ttl > 0 {
		b.add(codec.AppendInt32(nil, ttl))
	}
	if w.hasTS {
		b.add(codec.AppendLong(nil, w.ts))
	}
	return text, nil
}

func flag(b bool) byte {
	if b {
		return 'y'
	}
	return 'n'
}

// deleteStmts deletes the row (r.all) or columns of it. Static columns
// are deleted by partition: Cassandra refuses a clustering restriction on
// a DELETE of static columns only.
func (t *cqlTable) deleteStmts(v *cqlView, r *rowWrite, w writeSpec) ([]stmtOf, error) {
	pl := t.pl
	var regular, static []int
	for _, c := range r.del {
		if !v.present[c] {
			continue
		}
		if pl.cols[c].f.Static {
			static = append(static, int(c))
		} else {
			regular = append(regular, int(c))
		}
	}
	var out []stmtOf
	one := func(cols []int, withCK bool) error {
		var shape strings.Builder
		fmt.Fprintf(&shape, "del:%t:%t:%v", withCK, w.hasTS, cols)
		text := v.stmt(shape.String(), func(sb *strings.Builder) {
			sb.WriteString("DELETE ")
			for i, c := range cols {
				if i > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString(v.colQ[c])
			}
			if len(cols) > 0 {
				sb.WriteString(" ")
			}
			sb.WriteString("FROM ")
			sb.WriteString(v.table)
			using(sb, false, w.hasTS)
			v.where(sb, withCK)
		})
		st := stmtOf{text: text}
		if err := t.bindKey(&st.b, r.key, withCK); err != nil {
			return err
		}
		if w.hasTS {
			st.b.add(codec.AppendLong(nil, w.ts))
		}
		out = append(out, st)
		return nil
	}
	if r.all {
		return out, one(nil, true)
	}
	if len(regular) > 0 {
		if err := one(regular, true); err != nil {
			return nil, err
		}
	}
	if len(static) > 0 {
		if err := one(static, false); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *cqlTable) exec(ctx context.Context, text string, b *binder, w writeSpec) error {
	b.cl = w.cl
	return t.s.Exec(ctx, text, b.args()...)
}

func (t *cqlTable) write(ctx context.Context, r rowWrite, w writeSpec) error {
	return t.retrySchema(ctx, w.keyspace, func(v *cqlView) error {
		if r.inserts() {
			// The common write, one INSERT, binds into pooled memory.
			b := getBinder()
			defer putBinder(b)
			text, err := t.insertStmt(v, &r, w, b)
			if err != nil {
				return err
			}
			return t.exec(ctx, text, b, w)
		}
		sts, err := t.statements(v, &r, w)
		if err != nil || len(sts) == 0 {
			return err
		}
		if len(sts) == 1 {
			return t.exec(ctx, sts[0].text, &sts[0].b, w)
		}
		return t.sendBatch(ctx, v, sts, w)
	})
}

// sendBatch sends statements as one logged batch (cql.Batch groups them
// by partition and keeps each batch under Cassandra's size thresholds).
func (t *cqlTable) sendBatch(ctx context.Context, v *cqlView, sts []stmtOf, w writeSpec) error {
	opts := []cql.BatchOption{cql.QueueSize(cql.NoAutoSend)}
	if w.cl != 0 {
		opts = append(opts, cql.Consistency(w.cl))
	}
	b := t.s.Batch(opts...)
	for _, st := range sts {
		if err := b.Queue(ctx, st.text, st.b.values()...); err != nil {
			return err
		}
	}
	return b.Send(ctx)
}

func (t *cqlTable) writeBatch(ctx context.Context, rows []rowWrite, w writeSpec) error {
	return t.retrySchema(ctx, w.keyspace, func(v *cqlView) error {
		var sts []stmtOf
		for i := range rows {
			s, err := t.statements(v, &rows[i], w)
			if err != nil {
				return err
			}
			sts = append(sts, s...)
		}
		if len(sts) == 0 {
			return nil
		}
		return t.sendBatch(ctx, v, sts, w)
	})
}

func (t *cqlTable) queue(ctx context.Context, batch any, rows []rowWrite, w writeSpec) error {
	b, ok := batch.(*cql.Batch)
	if !ok || b == nil {
		return fmt.Errorf("%w: a CQL mapper queues into a *cql.Batch, not %T", ErrArgument, batch)
	}
	v, err := t.view(ctx, w.keyspace, false)
	if err != nil {
		return err
	}
	for i := range rows {
		sts, err := t.statements(v, &rows[i], w)
		if err != nil {
			return err
		}
		for _, st := range sts {
			if err := b.Queue(ctx, st.text, st.b.values()...); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *cqlTable) add(ctx context.Context, key rowKey, super []byte, col int, delta int64, w writeSpec) error {
	if super != nil {
		return fmt.Errorf("%w: super columns exist on Thrift only", ErrSuper)
	}
	return t.retrySchema(ctx, w.keyspace, func(v *cqlView) error {
		if !v.present[col] {
			return fmt.Errorf("%w: table %s has no column %q", ErrSchema, t.name, t.pl.cols[col].name)
		}
		static := t.pl.cols[col].f.Static
		text := v.stmt(fmt.Sprintf("add:%d:%t", col, w.hasTS), func(sb *strings.Builder) {
			sb.WriteString("UPDATE ")
			sb.WriteString(v.table)
			using(sb, false, w.hasTS)
			sb.WriteString(" SET ")
			sb.WriteString(v.colQ[col])
			sb.WriteString(" = ")
			sb.WriteString(v.colQ[col])
			sb.WriteString(" + ?")
			v.where(sb, !static)
		})
		var b binder
		b.add(codec.AppendLong(nil, delta))
		if w.hasTS {
			b.add(codec.AppendLong(nil, w.ts))
		}
		if err := t.bindKey(&b, key, !static); err != nil {
			return err
		}
		return t.exec(ctx, text, &b, w)
	})
}

// cas runs a lightweight transaction. The commit is at the call's
// consistency (the session's by default), the Paxos phase at SERIAL, or
// LOCAL_SERIAL when that is the call's level.
func (t *cqlTable) cas(ctx context.Context, c casSpec, w writeSpec) (bool, *record, error) {
	var applied bool
	var cur *record
	err := t.retrySchema(ctx, w.keyspace, func(v *cqlView) error {
		st, err := t.casStmt(v, c)
		if err != nil {
			return err
		}
		args := st.b.args()
		switch w.cl {
		case 0:
		case cassa.Serial, cassa.LocalSerial:
			args = append(args, cql.SerialConsistency(w.cl))
		default:
			args = append(args, cql.Consistency(w.cl))
		}
		ok, row, err := t.s.ExecCAS(ctx, st.text, args...)
		if err != nil {
			return err
		}
		applied = ok
		if ok {
			return nil
		}
		switch {
		case row == nil && (c.kind == casUpdate || c.kind == casRemove && len(c.expected.set) == 0):
			cur = &record{} // the row is not there
		case row != nil && c.kind == casInsert:
			cur, err = t.currentRow(row, c.updates.key)
		}
		return err
	})
	return applied, cur, err
}

// currentRow is the row a not applied INSERT ... IF NOT EXISTS returns
// (every column of the table), as a record. A tuple column comes as its
// components, name[0], name[1]…, as gocql returns tuples.
func (t *cqlTable) currentRow(row *cql.Row, key rowKey) (*record, error) {
	rec := &record{key: key.key, ck: key.ck}
	for _, fp := range t.pl.cols {
		var b []byte
		if tt, ok := base(fp.typ).(*codec.TupleType); ok {
			n := len(tt.Components())
			d := make([]cql.RawDest, n)
			for i := range d {
				name := fp.name + "[" + strconv.Itoa(i) + "]"
				if row.IsNull(name) {
					continue
				}
				if err := row.ScanColumn(name, &d[i]); err != nil {
					return nil, err
				}
			}
			b = joinTuple(d)
		} else if !row.IsNull(fp.name) {
			var d cql.RawDest
			if err := row.ScanColumn(fp.name, &d); err != nil {
				return nil, err
			}
			b = d.Bytes
		}
		if b != nil {
			rec.cells = append(rec.cells, cell{name: fp.nameBytes, value: b})
		}
	}
	return rec, nil
}

func (t *cqlTable) casStmt(v *cqlView, c casSpec) (stmtOf, error) {
	pl := t.pl
	up, exp := &c.updates, &c.expected
	for _, s := range append(append([]span(nil), up.set...), exp.set...) {
		if !v.present[s.col] {
			return stmtOf{}, fmt.Errorf("%w: table %s has no column %q (dropped?)", ErrSchema, t.name, pl.cols[s.col].name)
		}
	}
	if len(up.raw) > 0 || len(exp.raw) > 0 {
		return stmtOf{}, fmt.Errorf("%w: a compare-and-set of a raw field's columns over CQL", ErrUnsupported)
	}
	assign := func(b *binder, sb *strings.Builder, r *rowWrite, sep string) error {
		for i, s := range r.set {
			if i > 0 {
				sb.WriteString(sep)
			}
			sb.WriteString(v.colQ[s.col])
			n := v.tuple[s.col]
			if n == 0 {
				sb.WriteString(" = ?")
				b.add(r.value(s))
				continue
			}
			sb.WriteString(" = (" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")")
			parts, err := splitTuple(r.value(s), n)
			if err != nil {
				return err
			}
			for _, p := range parts {
				b.add(p)
			}
		}
		return nil
	}
	var sb strings.Builder
	var st stmtOf
	switch c.kind {
	case casInsert:
		u := *up
		u.insert = true
		var ins stmtOf
		text, err := t.insertStmt(v, &u, writeSpec{}, &ins.b)
		if err != nil {
			return stmtOf{}, err
		}
		ins.text = text + " IF NOT EXISTS"
		return ins, nil
	case casSwap, casUpdate:
		if len(up.set) == 0 {
			return stmtOf{}, fmt.Errorf("%w: a conditional update with nothing to set", ErrArgument)
		}
		sb.WriteString("UPDATE ")
		sb.WriteString(v.table)
		sb.WriteString(" SET ")
		if err := assign(&st.b, &sb, up, ", "); err != nil {
			return stmtOf{}, err
		}
		v.where(&sb, true)
		if err := t.bindKey(&st.b, up.key, true); err != nil {
			return stmtOf{}, err
		}
	case casRemove:
		sb.WriteString("DELETE FROM ")
		sb.WriteString(v.table)
		v.where(&sb, true)
		if err := t.bindKey(&st.b, exp.key, true); err != nil {
			return stmtOf{}, err
		}
	}
	if c.kind == casUpdate || c.kind == casRemove && len(exp.set) == 0 {
		sb.WriteString(" IF EXISTS")
	} else {
		sb.WriteString(" IF ")
		if err := assign(&st.b, &sb, exp, " AND "); err != nil {
			return stmtOf{}, err
		}
	}
	st.text = sb.String()
	return st, nil
}

// diffCQL compares a model with a live table: the primary key (columns,
// order, clustering order), each column's type (CQL's name for it) and
// static-ness, and the indexes the model declares.
func diffCQL(d *ModelDef, live *cql.Table) []Diff {
	var out []Diff
	add := func(what, model, live string) { out = append(out, Diff{What: what, Model: model, Live: live}) }
	m := &d.Table
	if strings.Join(m.PartitionKey, ", ") != strings.Join(live.PartitionKey, ", ") {
		add("partition key", "("+strings.Join(m.PartitionKey, ", ")+")", "("+strings.Join(live.PartitionKey, ", ")+")")
	}
	ck := func(cs []cql.ClusteringColumn) string {
		var parts []string
		for _, c := range cs {
			o := " ASC"
			if c.Descending {
				o = " DESC"
			}
			parts = append(parts, c.Name+o)
		}
		return strings.Join(parts, ", ")
	}
	if ck(m.Clustering) != ck(live.Clustering) {
		add("clustering", "("+ck(m.Clustering)+")", "("+ck(live.Clustering)+")")
	}
	liveCols := map[string]cql.TableColumn{}
	for _, c := range live.Columns {
		liveCols[c.Name] = c
	}
	for _, c := range m.Columns {
		lc, ok := liveCols[c.Name]
		if !ok {
			add("column "+quote(c.Name), c.Type, "(none)")
			continue
		}
		if normType(c.Type) != normType(lc.Type) {
			add("column "+quote(c.Name)+" type", c.Type, lc.Type)
		}
		if c.Static != lc.Static {
			add("column "+quote(c.Name)+" static", boolText(c.Static), boolText(lc.Static))
		}
	}
	liveIdx := map[string]bool{}
	for _, ix := range live.Indexes {
		liveIdx[ix.Column] = true
	}
	for _, ix := range m.Indexes {
		if !liveIdx[ix.Column] {
			add("index on column "+quote(ix.Column), indexText(true), indexText(false))
		}
	}
	return out
}

// normType writes a CQL type for comparison: blanks and letter case of
// unquoted names do not matter, and varchar is text.
func normType(s string) string {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			quoted = !quoted
			continue
		}
		if !quoted && (c == ' ' || c == '\t') {
			continue
		}
		if !quoted && c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return strings.ReplaceAll(b.String(), "varchar", "text")
}

// cqlTableOf describes the plan as a CQL table (keyspace-agnostic).
func (p *plan) cqlTableOf(name string) (cql.Table, []UserTypeDef) {
	t := cql.Table{Name: name}
	for _, fp := range p.pk {
		t.PartitionKey = append(t.PartitionKey, fp.name)
		t.Columns = append(t.Columns, cql.TableColumn{Name: fp.name, Type: codec.CQLName(fp.typ)})
	}
	for _, fp := range p.ck {
		t.Clustering = append(t.Clustering, cql.ClusteringColumn{Name: fp.name, Descending: fp.f.Descending})
		t.Columns = append(t.Columns, cql.TableColumn{Name: fp.name, Type: codec.CQLName(fp.typ)})
	}
	for _, fp := range p.cols {
		t.Columns = append(t.Columns, cql.TableColumn{Name: fp.name, Type: codec.CQLName(fp.typ), Static: fp.f.Static})
	}
	for _, fp := range append(append(append([]*fieldPlan(nil), p.pk...), p.ck...), p.cols...) {
		if fp.f.Indexed {
			kind := cql.IndexValues
			if ct, ok := base(fp.typ).(*codec.CollectionType); ok && !ct.MultiCell() {
				kind = cql.IndexFull
			}
			t.Indexes = append(t.Indexes, cql.Index{Name: name + "_" + fp.name + "_idx", Column: fp.name, Kind: kind})
		}
	}
	var udts []UserTypeDef
	seen := map[string]bool{}
	var walk func(ct codec.Type)
	walk = func(ct codec.Type) {
		switch x := ct.(type) {
		case *codec.ReversedType:
			walk(x.Base())
		case *codec.CollectionType:
			if k := x.Keys(); k != nil {
				walk(k)
			}
			walk(x.Elements())
		case *codec.TupleType:
			for _, c := range x.Components() {
				walk(c)
			}
		case *codec.UserType:
			for _, f := range x.FieldTypes() {
				walk(f) // the types it uses first
			}
			if seen[x.Name] {
				return
			}
			seen[x.Name] = true
			u := UserTypeDef{Name: x.Name}
			types := x.FieldTypes()
			for i, n := range x.FieldNames() {
				u.Fields = append(u.Fields, UserTypeField{Name: n, Type: codec.CQLName(types[i])})
			}
			udts = append(udts, u)
		}
	}
	for _, c := range append(append(append([]*fieldPlan(nil), p.pk...), p.ck...), p.cols...) {
		walk(c.typ)
	}
	return t, udts
}

// cqlSchema writes CREATE statements for a model's table in keyspace ks.
func cqlSchema(d *ModelDef, ks string, ifNotExists bool) []string {
	q := func(n string) string { return codec.MaybeQuote(n) }
	qual := func(n string) string {
		if ks == "" {
			return q(n)
		}
		return q(ks) + "." + q(n)
	}
	ine := ""
	if ifNotExists {
		ine = "IF NOT EXISTS "
	}
	var out []string
	for _, u := range d.UserTypes {
		var fields []string
		for _, f := range u.Fields {
			fields = append(fields, q(f.Name)+" "+f.Type)
		}
		out = append(out, "CREATE TYPE "+ine+qual(u.Name)+" ("+strings.Join(fields, ", ")+")")
	}
	t := &d.Table
	var cols []string
	for _, c := range t.Columns {
		s := q(c.Name) + " " + c.Type
		if c.Static {
			s += " static"
		}
		cols = append(cols, s)
	}
	var pk []string
	for _, n := range t.PartitionKey {
		pk = append(pk, q(n))
	}
	key := "(" + strings.Join(pk, ", ") + ")"
	var order []string
	for _, c := range t.Clustering {
		key += ", " + q(c.Name)
		o := "ASC"
		if c.Descending {
			o = "DESC"
		}
		order = append(order, q(c.Name)+" "+o)
	}
	stmt := "CREATE TABLE " + ine + qual(t.Name) + " (" + strings.Join(cols, ", ") + ", PRIMARY KEY (" + key + "))"
	if len(order) > 0 && strings.Contains(strings.Join(order, ","), "DESC") {
		stmt += " WITH CLUSTERING ORDER BY (" + strings.Join(order, ", ") + ")"
	}
	out = append(out, stmt)
	for _, ix := range t.Indexes {
		target := q(ix.Column)
		if ix.Kind == cql.IndexFull {
			target = "FULL(" + target + ")"
		}
		out = append(out, "CREATE INDEX "+ine+q(ix.Name)+" ON "+qual(t.Name)+" ("+target+")")
	}
	return out
}
