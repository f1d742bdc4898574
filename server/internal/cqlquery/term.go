package cqlquery

import (
	"encoding/binary"
	"strings"
	"time"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// receiver is where a term's value goes (ColumnSpecification): a column,
// or a derived spec such as "[limit]", "in(c)", "partition key token".
type receiver struct {
	ks, table, name string
	typ             codec.Type
	// col is set when the receiver is the column itself, which is what
	// makes a marker count for the prepared statement's pk_indexes.
	col *column
}

func (r *receiver) spec() Column {
	return Column{Keyspace: r.ks, Table: r.table, Name: r.name, Type: r.typ}
}

// derived is a receiver named name with type t next to r.
func (r *receiver) derived(name string, t codec.Type) *receiver {
	return &receiver{ks: r.ks, table: r.table, name: name, typ: t}
}

// vars collects the receivers of a statement's bind markers
// (VariableSpecifications). A named marker's spec takes the marker's name
// and keeps its target column, which still counts for pk_indexes
// (VariableSpecifications.add keeps targetColumns whatever the name).
type vars struct {
	specs []*receiver
}

func newVars(n int) *vars { return &vars{specs: make([]*receiver, n)} }

func (v *vars) add(m *cqlparse.BindMarker, r *receiver) {
	if m.Name.Name != "" {
		r = &receiver{ks: r.ks, table: r.table, name: m.Name.Name, typ: r.typ, col: r.col}
	}
	if m.Index >= 0 && m.Index < len(v.specs) {
		v.specs[m.Index] = r
	}
}

// columns returns the bind metadata.
func (v *vars) columns() []Column {
	out := make([]Column, len(v.specs))
	for i, r := range v.specs {
		if r != nil {
			out[i] = r.spec()
		}
	}
	return out
}

// pkIndexes is VariableSpecifications.getPartitionKeyBindIndexes: for
// each partition key column, the last marker whose receiver is that
// column; nil unless every key column has one.
func (v *vars) pkIndexes(tb *table) []int {
	if tb == nil {
		return nil
	}
	out := make([]int, len(tb.pk))
	set := make([]bool, len(tb.pk))
	for i, r := range v.specs {
		if r != nil && r.col != nil && r.col.kind == schema.PartitionKey {
			out[r.col.pos] = i
			set[r.col.pos] = true
		}
	}
	for _, ok := range set {
		if !ok {
			return nil
		}
	}
	return out
}

// bindCtx is one execution's values and clock.
type bindCtx struct {
	env *Env
	// src, when set, is where operations that read before they write
	// read (a lightweight transaction's locked partition).
	src    layout.Source
	values []Value
	proto  int
	cl     uint16 // the request's consistency
	now    time.Time
	hasNow bool
	// memo keeps what several terms of one execution share (the
	// document of INSERT JSON ?, parsed once).
	memo map[any]any
	// warnings are client warnings raised while binding (a TTL capped by
	// the expiration date overflow policy).
	warnings []string
}

func (c *bindCtx) clock() time.Time {
	if !c.hasNow {
		c.now, c.hasNow = c.env.now(), true
	}
	return c.now
}

// term is a prepared value (Term): a constant, a bind marker, a function
// call.
type term interface {
	bind(c *bindCtx) (Value, error)
	containsMarker() bool
}

// constant is a value known at preparation (a converted literal, null).
type constant struct{ v []byte }

func (t *constant) bind(*bindCtx) (Value, error) { return Value{Bytes: t.v}, nil }
func (t *constant) containsMarker() bool         { return false }

// marker is a bind marker whose value is validated against its receiver
// type when bound (Constants.Marker.bindAndGet).
type marker struct {
	idx int
	typ codec.Type
}

func (t *marker) bind(c *bindCtx) (Value, error) {
	if t.idx >= len(c.values) {
		return Value{}, invalidf("there were %d markers(?) in CQL but %d bound variables", t.idx+1, len(c.values))
	}
	v := c.values[t.idx]
	if v.Bytes != nil && !v.Unset {
		if err := t.typ.Validate(v.Bytes); err != nil {
			return Value{}, invalid(marshalMessage(err))
		}
	}
	return v, nil
}
func (t *marker) containsMarker() bool { return true }

// bindValue binds t, refusing unset where a value is needed.
func bindValue(c *bindCtx, t term) (Value, error) { return t.bind(c) }

// tupleTerm is the value of a multi-column relation: a tuple literal or a
// marker bound to a tuple.
type tupleTerm interface {
	bindTuple(c *bindCtx) (vals [][]byte, null bool, err error)
	size() int
	containsMarker() bool
}

type tupleLit struct{ elems []term }

func (t *tupleLit) bindTuple(c *bindCtx) ([][]byte, bool, error) {
	out := make([][]byte, len(t.elems))
	for i, e := range t.elems {
		v, err := e.bind(c)
		if err != nil {
			return nil, false, err
		}
		out[i] = v.Bytes
	}
	return out, false, nil
}
func (t *tupleLit) size() int { return len(t.elems) }
func (t *tupleLit) containsMarker() bool {
	for _, e := range t.elems {
		if e.containsMarker() {
			return true
		}
	}
	return false
}

type tupleMarker struct {
	idx   int
	name  string
	types []codec.Type
}

func (t *tupleMarker) bindTuple(c *bindCtx) ([][]byte, bool, error) {
	if t.idx >= len(c.values) {
		return nil, false, invalidf("there were %d markers(?) in CQL but %d bound variables", t.idx+1, len(c.values))
	}
	v := c.values[t.idx]
	if v.Unset {
		return nil, false, invalidf("Invalid unset value for tuple %s", t.name)
	}
	if v.Bytes == nil {
		return nil, true, nil
	}
	vals, err := splitTuple(v.Bytes, t.types)
	return vals, false, err
}
func (t *tupleMarker) size() int            { return len(t.types) }
func (t *tupleMarker) containsMarker() bool { return true }

// splitTuple decodes a serialized tuple and validates its components;
// missing trailing components are null.
func splitTuple(b []byte, types []codec.Type) ([][]byte, error) {
	if err := codec.NewTuple(types...).Validate(b); err != nil {
		return nil, invalid(marshalMessage(err))
	}
	out := make([][]byte, len(types))
	for i := range types {
		if len(b) < 4 {
			break
		}
		n := int32(binary.BigEndian.Uint32(b))
		b = b[4:]
		if n < 0 {
			continue
		}
		if int(n) > len(b) {
			return nil, invalidf("Not enough bytes to read %dth component", i)
		}
		out[i] = b[:n:n]
		b = b[n:]
	}
	if len(b) > 0 {
		return nil, invalidf("Tuple value contained too many fields (expected %d, got %d)", len(types), len(types)+1)
	}
	return out, nil
}

// inMarker is "IN ?": a marker bound to a list of values (or of tuples
// for a multi-column IN).
type inMarker struct {
	idx   int
	elem  codec.Type   // single column
	types []codec.Type // multi-column: the tuple's component types
}

// bindList returns the IN values; each is one value (single column) or a
// serialized tuple split into components (multi-column).
func (t *inMarker) bindList(c *bindCtx) (vals [][][]byte, null, unset bool, err error) {
	if t.idx >= len(c.values) {
		return nil, false, false, invalidf("there were %d markers(?) in CQL but %d bound variables", t.idx+1, len(c.values))
	}
	v := c.values[t.idx]
	if v.Unset {
		return nil, false, true, nil
	}
	if v.Bytes == nil {
		return nil, true, false, nil
	}
	elems, err := layout.DecodeCollection(layout.List, v.Bytes)
	if err != nil {
		return nil, false, false, toError(err)
	}
	out := make([][][]byte, len(elems))
	for i, e := range elems {
		if t.types == nil {
			if e != nil {
				if err := t.elem.Validate(e); err != nil {
					return nil, false, false, invalid(marshalMessage(err))
				}
			}
			out[i] = [][]byte{e}
			continue
		}
		if e == nil {
			out[i] = nil
			continue
		}
		parts, err := splitTuple(e, t.types)
		if err != nil {
			return nil, false, false, err
		}
		out[i] = parts
	}
	return out, false, false, nil
}

// ---------------------------------------------------------------------------
// Preparation of terms (Term.Raw.prepare)

// prep is what term preparation needs from the statement.
type prep struct {
	env      *Env
	keyspace string // the statement's keyspace (function lookups)
	vars     *vars
	tb       *table // the statement's table, for token()
	// preset maps placeholder raw terms to terms prepared already (the
	// column values of INSERT JSON).
	preset map[cqlparse.Term]term
}

// prepareTerm prepares raw for receiver r.
func (p *prep) prepareTerm(raw cqlparse.Term, r *receiver) (term, error) {
	if t, ok := p.preset[raw]; ok {
		return t, nil
	}
	switch x := raw.(type) {
	case *cqlparse.Literal:
		if !literalAssignable(x.Kind, r.typ) {
			return nil, invalidf("Invalid %s constant (%s) for \"%s\" of type %s", x.Kind, x.Text, r.name, codec.CQLName(r.typ))
		}
		b, err := parseLiteral(x.Kind, x.Text, r.typ, p.env.now)
		if err != nil {
			return nil, err
		}
		return &constant{v: b}, nil
	case *cqlparse.Null:
		if isCounterType(r.typ) {
			return nil, invalid("Invalid null value for counter increment/decrement")
		}
		return &constant{}, nil
	case *cqlparse.BindMarker:
		p.vars.add(x, r)
		return &marker{idx: x.Index, typ: r.typ}, nil
	case *cqlparse.FunctionCall:
		return p.prepareCall(x, r)
	case *cqlparse.TypeHint:
		return p.prepareTypeHint(x, r)
	case *cqlparse.ListLiteral, *cqlparse.SetLiteral, *cqlparse.MapLiteral, *cqlparse.UDTLiteral, *cqlparse.TupleLiteral:
		return p.prepareComposite(raw, r)
	}
	return nil, invalidf("Invalid term %s for %s", cqlparse.TermText(raw), r.name)
}

// prepareTypeHint is TypeCast.prepare: the hinted type must be
// assignable to the receiver; the term is then prepared for the receiver.
func (p *prep) prepareTypeHint(x *cqlparse.TypeHint, r *receiver) (term, error) {
	ht, err := p.resolveType(x.Type)
	if err != nil {
		return nil, err
	}
	text := "(" + cqlparse.FormatType(x.Type) + ")" + cqlparse.TermText(x.Value)
	casted := r.derived(text, ht)
	if testAssignment(p, x.Value, casted) == notAssignable {
		return nil, invalidf("Cannot cast value %s to type %s", cqlparse.TermText(x.Value), cqlparse.FormatType(x.Type))
	}
	if !sameType(r.typ, ht) && !valueCompatible(r.typ, ht) {
		return nil, invalidf("Cannot assign value %s to %s of type %s", text, r.name, codec.CQLName(r.typ))
	}
	return p.prepareTerm(x.Value, r)
}

// resolveType turns a written type into its marshal type (native types
// and the keyspace's user types).
func (p *prep) resolveType(ct *cqlparse.CQLType) (codec.Type, error) {
	switch ct.Kind {
	case cqlparse.TypeNative:
		if t, ok := codec.NativeCQLType(ct.Name); ok {
			return t, nil
		}
	case cqlparse.TypeFrozen:
		t, err := p.resolveType(ct.Params[0])
		if err != nil {
			return nil, err
		}
		return codec.Freeze(t), nil
	case cqlparse.TypeList, cqlparse.TypeSet:
		e, err := p.resolveType(ct.Params[0])
		if err != nil {
			return nil, err
		}
		if ct.Kind == cqlparse.TypeList {
			return codec.List(e, true), nil
		}
		return codec.Set(e, true), nil
	case cqlparse.TypeMap:
		k, err := p.resolveType(ct.Params[0])
		if err != nil {
			return nil, err
		}
		v, err := p.resolveType(ct.Params[1])
		if err != nil {
			return nil, err
		}
		return codec.Map(k, v, true), nil
	case cqlparse.TypeTuple:
		var ts []codec.Type
		for _, c := range ct.Params {
			t, err := p.resolveType(c)
			if err != nil {
				return nil, err
			}
			ts = append(ts, t)
		}
		return codec.NewTuple(ts...), nil
	case cqlparse.TypeUDT:
		ks := ct.UDT.Keyspace.Name
		if ks == "" {
			ks = p.keyspace
		}
		if k := p.env.Catalog().FindKeyspace(ks); k != nil {
			if u := k.Type(ct.UDT.Name.Name); u != nil {
				return u, nil
			}
		}
		return nil, invalidf("Unknown type %s.%s", ks, ct.UDT.Name.Name)
	case cqlparse.TypeCustom:
		t, err := codec.Parse(ct.Name)
		if err != nil {
			return nil, syntaxf("Cannot parse type %s: %s", ct.Name, err)
		}
		return t, nil
	}
	return nil, invalidf("Unknown type %s", cqlparse.FormatType(ct))
}

// prepareComposite prepares collection, tuple and user type literals.
// Their full support (element conversion, nesting) belongs to the
// collection work; a literal whose shape does not fit the receiver gets
// Cassandra's message.
func (p *prep) prepareComposite(raw cqlparse.Term, r *receiver) (term, error) {
	return prepareCollectionLiteral(p, raw, r)
}

// assignment results (AssignmentTestable.TestResult).
type assignability uint8

const (
	notAssignable assignability = iota
	weaklyAssignable
	exactMatch
)

// testAssignment is Term.Raw.testAssignment.
func testAssignment(p *prep, raw cqlparse.Term, r *receiver) assignability {
	if _, ok := p.preset[raw]; ok {
		return weaklyAssignable
	}
	switch x := raw.(type) {
	case *cqlparse.Literal:
		if literalAssignable(x.Kind, r.typ) {
			return weaklyAssignable
		}
		return notAssignable
	case *cqlparse.Null:
		if isCounterType(r.typ) {
			return notAssignable
		}
		return weaklyAssignable
	case *cqlparse.BindMarker:
		return weaklyAssignable
	case *cqlparse.TypeHint:
		ht, err := p.resolveType(x.Type)
		if err != nil {
			return notAssignable
		}
		switch {
		case sameType(r.typ, ht):
			return exactMatch
		case valueCompatible(r.typ, ht):
			return weaklyAssignable
		}
		return notAssignable
	case *cqlparse.FunctionCall:
		fn, err := resolveFunction(p, x, r)
		switch {
		case err == nil && fn != nil && sameType(r.typ, fn.ret):
			return exactMatch
		case err != nil || fn == nil || valueCompatible(r.typ, fn.ret):
			return weaklyAssignable
		}
		return notAssignable
	default:
		return compositeAssignment(p, raw, r)
	}
}

func base(t codec.Type) codec.Type {
	if r, ok := t.(*codec.ReversedType); ok {
		return r.Base()
	}
	return t
}

func sameType(a, b codec.Type) bool {
	return base(a).Class() == base(b).Class()
}

// valueCompatible is AbstractType.isValueCompatibleWith for the types CQL
// functions return: can a value of type other be read as recv?
func valueCompatible(recv, other codec.Type) bool {
	recv, other = base(recv), base(other)
	if recv.Class() == other.Class() || recv == codec.Bytes {
		return true
	}
	switch recv {
	case codec.UTF8:
		return other == codec.Ascii
	case codec.Long:
		return other == codec.Timestamp || other == codec.Date
	case codec.Timestamp, codec.Date:
		return other == codec.Long || other == codec.Timestamp || other == codec.Date
	case codec.Integer:
		return other == codec.Int32 || other == codec.Long || other == codec.Timestamp || other == codec.Date
	}
	return false
}

func isCounterType(t codec.Type) bool { return base(t) == codec.CounterColumn }

// termText renders a raw term as Cassandra's messages quote it.
func termText(raw cqlparse.Term) string { return cqlparse.TermText(raw) }

// identText renders a column name as ColumnIdentifier.maybeQuote does.
func identText(name string) string { return cqlparse.MaybeQuote(name) }

// joinNames joins column names with ", ".
func joinNames(cols []*column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}
