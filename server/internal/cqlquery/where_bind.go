package cqlquery

import (
	"sort"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/store"
)

// Binding a prepared WHERE clause: partition keys, token ranges,
// clustering prefixes and slices, and the row filter, from one
// execution's values.

const maxUnsignedShort = 0xFFFF

// singleValues binds a single-column = or IN restriction.
func singleValues(c *bindCtx, r *restriction) ([][]byte, error) {
	name := r.first().name
	check := func(v Value) error {
		if v.Unset {
			return invalidf("Invalid unset value for column %s", name)
		}
		if v.Bytes == nil {
			return invalidf("Invalid null value in condition for column %s", name)
		}
		return nil
	}
	switch {
	case r.kind == rEQ:
		v, err := r.eq.bind(c)
		if err != nil {
			return nil, err
		}
		if err := check(v); err != nil {
			return nil, err
		}
		return [][]byte{v.Bytes}, nil
	case r.inMark != nil:
		list, null, unset, err := r.inMark.bindList(c)
		if err != nil {
			return nil, err
		}
		if null {
			return nil, invalidf("Invalid null value for column %s", name)
		}
		if unset {
			return nil, invalidf("Invalid unset value for column %s", name)
		}
		out := make([][]byte, len(list))
		for i, v := range list {
			if v[0] == nil {
				return nil, invalidf("Invalid null value in condition for column %s", name)
			}
			out[i] = v[0]
		}
		return out, nil
	}
	out := make([][]byte, len(r.in))
	for i, t := range r.in {
		v, err := t.bind(c)
		if err != nil {
			return nil, err
		}
		if err := check(v); err != nil {
			return nil, err
		}
		out[i] = v.Bytes
	}
	return out, nil
}

// multiValues binds a multi-column = or IN restriction: one tuple of
// values per alternative.
func multiValues(c *bindCtx, r *restriction) ([][][]byte, error) {
	bindOne := func(t tupleTerm, inList bool) ([][]byte, error) {
		vals, null, err := t.bindTuple(c)
		if err != nil {
			return nil, err
		}
		for i := range r.cols {
			if null || i >= len(vals) || vals[i] == nil {
				if inList {
					return nil, invalidf("Invalid null value in condition for columns: [%s]", r.colNames())
				}
				return nil, invalidf("Invalid null value for column %s", r.cols[i].name)
			}
		}
		return vals, nil
	}
	switch {
	case r.kind == rEQ:
		v, err := bindOne(r.eqT, false)
		if err != nil {
			return nil, err
		}
		return [][][]byte{v}, nil
	case r.inMark != nil:
		list, null, unset, err := r.inMark.bindList(c)
		if err != nil {
			return nil, err
		}
		if null || unset {
			return nil, invalid("Invalid null value for IN restriction")
		}
		for _, v := range list {
			for i := range r.cols {
				if v == nil || i >= len(v) || v[i] == nil {
					return nil, invalidf("Invalid null value in condition for columns: [%s]", r.colNames())
				}
			}
		}
		return list, nil
	}
	out := make([][][]byte, 0, len(r.inT))
	for _, t := range r.inT {
		v, err := bindOne(t, true)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// alternatives binds an = or IN restriction of either form as value
// tuples over its columns.
func alternatives(c *bindCtx, r *restriction) ([][][]byte, error) {
	if r.multi {
		return multiValues(c, r)
	}
	vals, err := singleValues(c, r)
	if err != nil {
		return nil, err
	}
	out := make([][][]byte, len(vals))
	for i, v := range vals {
		out[i] = [][]byte{v}
	}
	return out, nil
}

// cartesian extends each prefix with each alternative (MultiCBuilder).
func cartesian(prefixes [][][]byte, alts [][][]byte) [][][]byte {
	out := make([][][]byte, 0, len(prefixes)*len(alts))
	for _, p := range prefixes {
		for _, a := range alts {
			n := make([][]byte, 0, len(p)+len(a))
			n = append(append(n, p...), a...)
			out = append(out, n)
		}
	}
	return out
}

// partitionKeys returns the serialized partition keys of an = / IN
// query, sorted by the key columns' types and without duplicates, each
// checked as QueryProcessor.validateKey checks it. A token restriction
// next to them filters them (TokenFilter).
func (w *where) partitionKeys(c *bindCtx) ([][]byte, error) {
	combos := [][][]byte{nil}
	for _, col := range w.tb.pk {
		r := w.pk.set.byCol[col]
		alts, err := alternatives(c, r)
		if err != nil {
			return nil, err
		}
		combos = cartesian(combos, alts)
		if len(combos) == 0 {
			return nil, nil
		}
	}
	sort.SliceStable(combos, func(i, j int) bool { return w.tb.compareKeyValues(combos[i], combos[j]) < 0 })
	keys := make([][]byte, 0, len(combos))
	for i, vals := range combos {
		if i > 0 && w.tb.compareKeyValues(combos[i-1], vals) == 0 {
			continue
		}
		key, err := w.tb.lay.PartitionKey(vals)
		if err != nil {
			return nil, toError(err)
		}
		if err := validateKey(key); err != nil {
			return nil, err
		}
		keys = append(keys, key)
	}
	if w.pk.token != nil {
		rg, empty, err := w.tokenRange(c)
		if err != nil {
			return nil, err
		}
		out := keys[:0]
		for _, k := range keys {
			if !empty && inTokenRange(c.env.partitioner(), rg, c.env.partitioner().Token(k)) {
				out = append(out, k)
			}
		}
		keys = out
	}
	return keys, nil
}

// validateKey is QueryProcessor.validateKey.
func validateKey(key []byte) error {
	if len(key) == 0 {
		return invalid("Key may not be empty")
	}
	if len(key) > maxUnsignedShort {
		return invalidf("Key length of %d is longer than maximum of %d", len(key), maxUnsignedShort)
	}
	return nil
}

// tokenSpan is a bound token range: nil ends are open.
type tokenSpan struct {
	start, end         partitioner.Token
	startIncl, endIncl bool
}

// tokenRange is getPartitionKeyBoundsForTokenRestrictions: empty when
// start > end, or start = end with an end excluded, unless an end is the
// minimum token (no wrap-around, CASSANDRA-5573).
func (w *where) tokenRange(c *bindCtx) (tokenSpan, bool, error) {
	p := c.env.partitioner()
	t := w.pk.token
	get := func(tt term) (partitioner.Token, error) {
		v, err := tt.bind(c)
		if err != nil {
			return nil, err
		}
		if v.Bytes == nil || v.Unset {
			return nil, invalid("Invalid null token value")
		}
		return tokenFromBytes(p, v.Bytes)
	}
	var sp tokenSpan
	if t.eq != nil {
		tok, err := get(t.eq)
		if err != nil {
			return sp, false, err
		}
		sp = tokenSpan{start: tok, end: tok, startIncl: true, endIncl: true}
	} else {
		for i, b := range t.bounds {
			if b == nil {
				continue
			}
			tok, err := get(b.single)
			if err != nil {
				return sp, false, err
			}
			if i == 0 {
				sp.start, sp.startIncl = tok, b.inclusive
			} else {
				sp.end, sp.endIncl = tok, b.inclusive
			}
		}
	}
	min := p.MinToken()
	if sp.start != nil && sp.start.Compare(min) == 0 {
		sp.start = nil
	}
	if sp.end != nil && sp.end.Compare(min) == 0 {
		sp.end = nil
	}
	if sp.start != nil && sp.end != nil {
		cmp := sp.start.Compare(sp.end)
		if cmp > 0 || (cmp == 0 && (!sp.startIncl || !sp.endIncl)) {
			return sp, true, nil
		}
	}
	return sp, false, nil
}

func inTokenRange(p partitioner.Partitioner, sp tokenSpan, t partitioner.Token) bool {
	if sp.start != nil {
		c := t.Compare(sp.start)
		if c < 0 || (c == 0 && !sp.startIncl) {
			return false
		}
	}
	if sp.end != nil {
		c := t.Compare(sp.end)
		if c > 0 || (c == 0 && !sp.endIncl) {
			return false
		}
	}
	return true
}

// partitionRange is the range a range query scans; empty reports a range
// that selects nothing.
func (w *where) partitionRange(c *bindCtx) (store.PartitionRange, bool, error) {
	var pr store.PartitionRange
	if w.pk.token == nil {
		return pr, false, nil
	}
	sp, empty, err := w.tokenRange(c)
	if err != nil || empty {
		return pr, empty, err
	}
	if sp.start != nil {
		pr.Start, pr.StartExclusive = &store.Position{Token: sp.start}, !sp.startIncl
	}
	if sp.end != nil {
		pr.End, pr.EndExclusive = &store.Position{Token: sp.end}, !sp.endIncl
	}
	return pr, false, nil
}

// clusteringPrefixes binds the = / IN prefix of the clustering
// restrictions. A nil result with ok means no prefix; an empty non-nil
// one means an IN () that selects nothing.
func clusteringPrefixes(c *bindCtx, prefix []*restriction) ([][][]byte, error) {
	if len(prefix) == 0 {
		return nil, nil
	}
	combos := [][][]byte{nil}
	for _, r := range prefix {
		alts, err := alternatives(c, r)
		if err != nil {
			return nil, err
		}
		combos = cartesian(combos, alts)
		if len(combos) == 0 {
			return [][][]byte{}, nil
		}
	}
	return combos, nil
}

// sliceBounds binds a clustering slice into layout bounds.
func sliceBounds(c *bindCtx, r *restriction) (lower, upper *layout.Bound, err error) {
	for i, b := range r.bounds {
		if b == nil {
			continue
		}
		var vals [][]byte
		if b.tuple != nil {
			vs, null, err := b.tuple.bindTuple(c)
			if err != nil {
				return nil, nil, err
			}
			for j := 0; j < b.tuple.size(); j++ {
				if null || j >= len(vs) || vs[j] == nil {
					return nil, nil, invalidf("Invalid null value in condition for column %s", r.cols[j].name)
				}
			}
			vals = vs
		} else {
			v, err := b.single.bind(c)
			if err != nil {
				return nil, nil, err
			}
			if v.Unset {
				return nil, nil, invalidf("Invalid unset value for column %s", r.first().name)
			}
			if v.Bytes == nil {
				return nil, nil, invalidf("Invalid null value in condition for column %s", r.first().name)
			}
			vals = [][]byte{v.Bytes}
		}
		lb := &layout.Bound{Values: vals, Inclusive: b.inclusive}
		if i == 0 {
			lower = lb
		} else {
			upper = lb
		}
	}
	return lower, upper, nil
}

// clusteringSelection binds the clustering restrictions slices can serve.
func (w *where) clusteringSelection(c *bindCtx) (layout.Selection, error) {
	prefix, slice, _ := w.ck.split()
	var sel layout.Selection
	ps, err := clusteringPrefixes(c, prefix)
	if err != nil {
		return sel, err
	}
	sel.Prefixes = ps
	if ps != nil && len(ps) == 0 {
		return sel, nil
	}
	if slice != nil {
		sel.Lower, sel.Upper, err = sliceBounds(c, slice)
		if err != nil {
			return sel, err
		}
	}
	return sel, nil
}

// clusterings binds a modification's full clusterings (= and IN on every
// clustering column); an empty result is an IN () that writes nothing.
func (w *where) clusterings(c *bindCtx) ([][][]byte, error) {
	prefix, _, _ := w.ck.split()
	ps, err := clusteringPrefixes(c, prefix)
	if err != nil {
		return nil, err
	}
	for _, ck := range ps {
		size := 0
		big := false
		for _, v := range ck {
			size += len(v)
			if len(v) > maxUnsignedShort {
				big = true
			}
		}
		if big {
			return nil, invalidf("Key length of %d is longer than maximum of %d", size, maxUnsignedShort)
		}
	}
	return ps, nil
}

// ---------------------------------------------------------------------------
// Row filter (RowFilter)

type filterOp uint8

const (
	fEQ filterOp = iota + 1
	fLT
	fLTE
	fGT
	fGTE
	fContains
	fContainsKey
	fEntry
)

// filterExpr is one RowFilter expression over a column of a row.
type filterExpr struct {
	col *column
	op  filterOp
	val []byte
	key []byte // map entry key
}

// rowFilter builds the filter of the restriction sets the clause filters
// on.
func (w *where) rowFilter(c *bindCtx) ([]filterExpr, error) {
	var out []filterExpr
	if w.pkFiltered {
		for _, r := range w.pk.set.list() {
			var err error
			if out, err = addFilter(c, out, r); err != nil {
				return nil, err
			}
		}
	}
	if w.ckFiltered {
		prefix, slice, filters := w.ck.split()
		if w.usesIndex {
			for _, r := range append(append([]*restriction{}, prefix...), slice) {
				if r != nil && indexSupports(r) {
					filters = append(filters, r)
				}
			}
		}
		for _, r := range filters {
			var err error
			if out, err = addFilter(c, out, r); err != nil {
				return nil, err
			}
		}
	}
	if w.nonPKFiltered {
		for _, r := range w.nonPK.list() {
			var err error
			if out, err = addFilter(c, out, r); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// addFilter is Restriction.addRowFilterTo, with the value checks of
// RowFilter.Expression.validate.
func addFilter(c *bindCtx, out []filterExpr, r *restriction) ([]filterExpr, error) {
	col := r.first()
	value := func(t term, cc *column) ([]byte, error) {
		v, err := t.bind(c)
		if err != nil {
			return nil, err
		}
		if v.Unset {
			return nil, invalidf("Unsupported unset value for column %s", cc.name)
		}
		if v.Bytes == nil {
			return nil, invalidf("Unsupported null value for column %s", cc.name)
		}
		return v.Bytes, nil
	}
	switch r.kind {
	case rEQ:
		if r.multi {
			vals, null, err := r.eqT.bindTuple(c)
			if err != nil {
				return nil, err
			}
			for i, cc := range r.cols {
				if null || i >= len(vals) || vals[i] == nil {
					return nil, invalidf("Unsupported null value for column %s", cc.name)
				}
				out = append(out, filterExpr{col: cc, op: fEQ, val: vals[i]})
			}
			return out, nil
		}
		v, err := value(r.eq, col)
		if err != nil {
			return nil, err
		}
		return append(out, filterExpr{col: col, op: fEQ, val: v}), nil
	case rIN:
		return nil, invalid("IN restrictions are not supported on indexed columns")
	case rSlice:
		if r.multi {
			return nil, invalid("Multi-column slice restrictions cannot be used for filtering.")
		}
		for i, b := range r.bounds {
			if b == nil {
				continue
			}
			v, err := value(b.single, col)
			if err != nil {
				return nil, err
			}
			op := fGT
			switch {
			case i == 0 && b.inclusive:
				op = fGTE
			case i == 1 && b.inclusive:
				op = fLTE
			case i == 1:
				op = fLT
			}
			out = append(out, filterExpr{col: col, op: op, val: v})
		}
		return out, nil
	}
	for _, t := range r.values {
		v, err := value(t, col)
		if err != nil {
			return nil, err
		}
		out = append(out, filterExpr{col: col, op: fContains, val: v})
	}
	for _, t := range r.keys {
		v, err := value(t, col)
		if err != nil {
			return nil, err
		}
		out = append(out, filterExpr{col: col, op: fContainsKey, val: v})
	}
	for i, t := range r.entryKeys {
		k, err := t.bind(c)
		if err != nil {
			return nil, err
		}
		if k.Unset {
			return nil, invalidf("Unsupported unset map key for column %s", col.name)
		}
		if k.Bytes == nil {
			return nil, invalidf("Unsupported null map key for column %s", col.name)
		}
		v, err := r.entryValues[i].bind(c)
		if err != nil {
			return nil, err
		}
		if v.Unset {
			return nil, invalidf("Unsupported unset map value for column %s", col.name)
		}
		if v.Bytes == nil {
			return nil, invalidf("Unsupported null map value for column %s", col.name)
		}
		out = append(out, filterExpr{col: col, op: fEntry, key: k.Bytes, val: v.Bytes})
	}
	return out, nil
}

// matches reports whether a row satisfies every expression
// (RowFilter.isSatisfiedBy); values compare in their type's CQL order.
func matches(filters []filterExpr, row *layout.Row) bool {
	for i := range filters {
		if !filters[i].satisfied(row) {
			return false
		}
	}
	return true
}

func (f *filterExpr) satisfied(row *layout.Row) bool {
	v := row.Values[f.col.lc.Index]
	if !v.Set {
		return false
	}
	t := base(f.col.typ)
	if t == codec.CounterColumn {
		t = codec.Long
	}
	switch f.op {
	case fEQ:
		return t.Compare(v.Bytes, f.val) == 0
	case fLT:
		return t.Compare(v.Bytes, f.val) < 0
	case fLTE:
		return t.Compare(v.Bytes, f.val) <= 0
	case fGT:
		return t.Compare(v.Bytes, f.val) > 0
	case fGTE:
		return t.Compare(v.Bytes, f.val) >= 0
	}
	ct, ok := t.(*codec.CollectionType)
	if !ok {
		return false
	}
	var kind layout.Collection
	switch ct.Kind() {
	case codec.ListKind:
		kind = layout.List
	case codec.SetKind:
		kind = layout.Set
	default:
		kind = layout.Map
	}
	elems, err := layout.DecodeCollection(kind, v.Bytes)
	if err != nil {
		return false
	}
	switch f.op {
	case fContains:
		step, off := 1, 0
		if kind == layout.Map {
			step, off = 2, 1
		}
		for i := off; i < len(elems); i += step {
			if ct.Elements().Compare(elems[i], f.val) == 0 {
				return true
			}
		}
	case fContainsKey:
		for i := 0; i+1 < len(elems); i += 2 {
			if ct.Keys().Compare(elems[i], f.val) == 0 {
				return true
			}
		}
	case fEntry:
		for i := 0; i+1 < len(elems); i += 2 {
			if ct.Keys().Compare(elems[i], f.key) == 0 {
				return ct.Elements().Compare(elems[i+1], f.val) == 0
			}
		}
	}
	return false
}
