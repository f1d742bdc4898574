package cqlquery

import (
	"strings"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// The SELECT clause (Selection, Selectable, the selector factories):
// columns, aliases, writetime(), ttl(), token() and the other native
// functions, count(*), count(x), min(x), max(x), and typed terms.

type selKind uint8

const (
	sColumn selKind = iota + 1
	sWritetime
	sTTL
	sCall // scalar function over selectors
	sAgg  // aggregate over selectors
	sTerm // a typed constant
)

// selector is one prepared selector.
type selector struct {
	kind selKind
	col  *column
	fn   *function
	args []*selector
	val  []byte
	name string // the result column name (before any alias)
	typ  codec.Type
}

// selection is a prepared SELECT clause.
type selection struct {
	tb        *table
	sels      []*selector
	names     []string // result names (aliases applied)
	wildcard  bool
	aggregate bool
	// columns are the columns the clause reads (Selection.getColumns).
	columns []*column
}

// resultColumns is the result metadata.
func (s *selection) resultColumns() []Column {
	out := make([]Column, len(s.sels))
	for i, sel := range s.sels {
		out[i] = Column{Keyspace: s.tb.t.Keyspace, Table: s.tb.t.Name, Name: s.names[i], Type: sel.typ}
	}
	return out
}

// onlyStatic is Selection.containsOnlyStaticColumns.
func (s *selection) onlyStatic() bool {
	if s.wildcard {
		return false
	}
	static := false
	for _, c := range s.columns {
		if c.isStatic() {
			static = true
		} else if c.kind != schema.PartitionKey {
			return false
		}
	}
	return static
}

// complex is Selection.containsAComplexColumn.
func (s *selection) complex() bool {
	for _, c := range s.columns {
		if c.multiCell() {
			return true
		}
	}
	return false
}

func (s *selection) addColumn(c *column) {
	for _, d := range s.columns {
		if d == c {
			return
		}
	}
	s.columns = append(s.columns, c)
}

// prepareSelection is Selection.fromSelectors (or wildcard).
func prepareSelection(p *prep, tb *table, items []cqlparse.SelectItem) (*selection, error) {
	s := &selection{tb: tb}
	if items == nil {
		s.wildcard = true
		for _, c := range tb.cols {
			s.sels = append(s.sels, &selector{kind: sColumn, col: c, name: c.name, typ: c.typ})
			s.names = append(s.names, c.name)
			s.columns = append(s.columns, c)
		}
		return s, nil
	}
	for _, it := range items {
		sel, err := s.prepareSelector(p, it.Selector, true)
		if err != nil {
			return nil, err
		}
		name := sel.name
		if it.Alias.Name != "" {
			name = it.Alias.Name
		}
		if sel.kind == sAgg {
			s.aggregate = true
		}
		s.sels = append(s.sels, sel)
		s.names = append(s.names, name)
	}
	return s, nil
}

func (s *selection) prepareSelector(p *prep, raw cqlparse.Selector, top bool) (*selector, error) {
	tb := s.tb
	switch x := raw.(type) {
	case *cqlparse.ColumnSelector:
		c, err := lookupColumn(tb, x.Column)
		if err != nil {
			return nil, err
		}
		s.addColumn(c)
		return &selector{kind: sColumn, col: c, name: c.name, typ: c.typ}, nil
	case *cqlparse.WritetimeSelector:
		c, err := lookupColumn(tb, x.Column)
		if err != nil {
			return nil, err
		}
		fname, kind, typ, label := "writeTime", sWritetime, codec.Long, "writetime"
		if x.TTL {
			fname, kind, typ, label = "ttl", sTTL, codec.Int32, "ttl"
		}
		if c.isPK() {
			return nil, invalidf("Cannot use selection function %s on PRIMARY KEY part %s", fname, c.name)
		}
		if c.isCollection() {
			return nil, invalidf("Cannot use selection function %s on collections", fname)
		}
		s.addColumn(c)
		return &selector{kind: kind, col: c, name: label + "(" + c.name + ")", typ: typ}, nil
	case *cqlparse.CountRowsSelector:
		return &selector{kind: sAgg, fn: countRows, name: "count", typ: codec.Long}, nil
	case *cqlparse.TermSelector:
		th, ok := x.Value.(*cqlparse.TypeHint)
		if !ok {
			return nil, invalidf("Cannot infer type for term %s in selection clause (try using a cast to force a type)", termText(x.Value))
		}
		t, err := p.resolveType(th.Type)
		if err != nil {
			return nil, err
		}
		r := &receiver{ks: tb.t.Keyspace, table: tb.t.Name, name: termText(th.Value), typ: t}
		tm, err := p.prepareTerm(th.Value, r)
		if err != nil {
			return nil, err
		}
		cst, ok := tm.(*constant)
		if !ok {
			return nil, invalidf("Cannot infer type for term %s in selection clause (try using a cast to force a type)", termText(x.Value))
		}
		return &selector{kind: sTerm, val: cst.v, name: termText(x.Value), typ: t}, nil
	case *cqlparse.FunctionSelector:
		return s.prepareFunction(p, x, top)
	case *cqlparse.CastSelector:
		return nil, invalid("CAST is not supported by this server yet")
	case *cqlparse.FieldSelector:
		t, err := s.prepareSelector(p, x.Target, false)
		if err != nil {
			return nil, err
		}
		if _, ok := base(t.typ).(*codec.UserType); ok {
			return nil, invalid("User type field selection is not supported by this server yet")
		}
		return nil, invalidf("Invalid field selection: %s of type %s is not a user type", t.name, codec.CQLName(t.typ))
	}
	return nil, invalid("Unsupported selector")
}

func (s *selection) prepareFunction(p *prep, x *cqlparse.FunctionSelector, top bool) (*selector, error) {
	name := strings.ToLower(x.Name.Name.Name)
	native := x.Name.Keyspace.Name == "" || x.Name.Keyspace.Name == "system"
	if native && !x.Name.Name.Quoted && name == "count" && len(x.Args) == 1 {
		if ts, ok := x.Args[0].(*cqlparse.TermSelector); ok {
			if _, lit := ts.Value.(*cqlparse.Literal); lit {
				return &selector{kind: sAgg, fn: countRows, name: "count", typ: codec.Long}, nil
			}
		}
	}
	if native && !x.Name.Name.Quoted {
		switch name {
		case "tojson", "sum", "avg":
			return nil, invalidf("%s() is not supported by this server yet", x.Name.Name.Name)
		}
	}
	// Arguments that are untyped terms take the type of the parameter
	// they are passed to, once the function is known
	// (SelectorFactories.createFactoriesAndCollectColumnDefinitions).
	args := make([]*selector, len(x.Args))
	raws := make([]cqlparse.Term, len(x.Args))
	for i, a := range x.Args {
		if ts, ok := a.(*cqlparse.TermSelector); ok {
			if _, hinted := ts.Value.(*cqlparse.TypeHint); !hinted {
				raws[i] = ts.Value
				continue
			}
		}
		sel, err := s.prepareSelector(p, a, false)
		if err != nil {
			return nil, err
		}
		if sel.kind == sAgg {
			return nil, invalid("aggregate functions cannot be used as arguments of aggregate functions")
		}
		args[i] = sel
	}
	var fn *function
	if native && !x.Name.Name.Quoted {
		switch {
		case name == "token":
			fn = tokenFunction(s.tb, p.env.partitioner())
		case (name == "count" || name == "min" || name == "max") && len(args) == 1 && args[0] != nil:
			if name == "count" {
				fn = countOf(args[0].typ)
			} else {
				fn = extremeOf(name, args[0].typ)
			}
		}
	}
	recv := &receiver{ks: s.tb.t.Keyspace, table: s.tb.t.Name}
	if fn == nil {
		cands := nativeCandidates(x.Name)
		fn = pickBySelectorTypes(p, recv, cands, args, raws)
		if fn == nil && len(cands) > 0 {
			return nil, invalidf("Invalid call to function %s, none of its type signatures match (known type signatures: %s)",
				functionName(x.Name), formatFunctions(cands))
		}
	}
	if fn == nil {
		return nil, invalidf("Unknown function '%s'", functionName(x.Name))
	}
	if len(fn.args) != len(args) {
		return nil, invalidf("Invalid number of arguments in call to function %s: %d required but %d provided",
			fn.fullName(), len(fn.args), len(args))
	}
	argNames := make([]string, len(args))
	for i, a := range args {
		if a == nil {
			spec := argSpec(recv, fn, i)
			if testAssignment(p, raws[i], spec) == notAssignable {
				return nil, invalidf("Type error: %s cannot be passed as argument %d of function %s of type %s",
					termText(raws[i]), i, fn.fullName(), codec.CQLName(fn.args[i]))
			}
			t, err := p.prepareTerm(raws[i], spec)
			if err != nil {
				return nil, err
			}
			cst, ok := t.(*constant)
			if !ok {
				return nil, invalidf("Cannot infer type for term %s in selection clause (try using a cast to force a type)", termText(raws[i]))
			}
			args[i] = &selector{kind: sTerm, val: cst.v, name: termText(raws[i]), typ: fn.args[i]}
		}
		if !sameType(fn.args[i], args[i].typ) && !valueCompatible(fn.args[i], args[i].typ) {
			return nil, invalidf("Type error: %s cannot be passed as argument %d of function %s of type %s",
				args[i].name, i, fn.fullName(), codec.CQLName(fn.args[i]))
		}
		argNames[i] = args[i].name
	}
	kind := sCall
	if fn.aggregate() {
		kind = sAgg
	}
	return &selector{kind: kind, fn: fn, args: args, name: fn.fullName() + "(" + strings.Join(argNames, ", ") + ")", typ: fn.ret}, nil
}

// pickBySelectorTypes chooses among overloads by the selectors' types
// (raw terms by their assignability).
func pickBySelectorTypes(p *prep, recv *receiver, cands []*function, args []*selector, raws []cqlparse.Term) *function {
	var weak *function
	for _, f := range cands {
		if len(f.args) != len(args) {
			continue
		}
		exact, ok := true, true
		for i, a := range args {
			if a == nil {
				switch testAssignment(p, raws[i], argSpec(recv, f, i)) {
				case notAssignable:
					ok = false
				case weaklyAssignable:
					exact = false
				}
				continue
			}
			switch {
			case sameType(f.args[i], a.typ):
			case valueCompatible(f.args[i], a.typ):
				exact = false
			default:
				ok = false
			}
		}
		if ok && exact {
			return f
		}
		if ok && weak == nil {
			weak = f
		}
	}
	return weak
}

// selectorText renders a raw selector for messages.
func selectorText(s cqlparse.Selector) string {
	switch x := s.(type) {
	case *cqlparse.ColumnSelector:
		return identText(x.Column.Name)
	case *cqlparse.TermSelector:
		return termText(x.Value)
	case *cqlparse.FunctionSelector:
		parts := make([]string, len(x.Args))
		for i, a := range x.Args {
			parts[i] = selectorText(a)
		}
		return functionName(x.Name) + "(" + strings.Join(parts, ", ") + ")"
	case *cqlparse.WritetimeSelector:
		if x.TTL {
			return "ttl(" + identText(x.Column.Name) + ")"
		}
		return "writetime(" + identText(x.Column.Name) + ")"
	case *cqlparse.CountRowsSelector:
		return "count(*)"
	}
	return "?"
}

// eval computes a non-aggregate selector on a row.
func (s *selector) eval(c *bindCtx, row *layout.Row) ([]byte, error) {
	switch s.kind {
	case sColumn:
		v := row.Values[s.col.lc.Index]
		if !v.Set {
			return nil, nil
		}
		return v.Bytes, nil
	case sWritetime:
		v := row.Values[s.col.lc.Index]
		if !v.Set {
			return nil, nil
		}
		return codec.AppendLong(nil, v.Timestamp), nil
	case sTTL:
		v := row.Values[s.col.lc.Index]
		if !v.Set || v.TTL == 0 {
			return nil, nil
		}
		left := v.Expiry - row.Now
		if left <= 0 {
			return nil, nil
		}
		return codec.AppendInt32(nil, int32(left)), nil
	case sTerm:
		return s.val, nil
	case sCall:
		args := make([][]byte, len(s.args))
		for i, a := range s.args {
			v, err := a.eval(c, row)
			if err != nil {
				return nil, err
			}
			args[i] = v
		}
		return s.fn.exec(c, args)
	}
	return nil, nil
}

// rowBuilder turns rows into result rows: one per row, or one in all for
// an aggregate selection.
type rowBuilder struct {
	c    *bindCtx
	sel  *selection
	rows [][][]byte
	// aggregation
	aggs  []aggregator
	first [][]byte
	seen  bool
}

func newRowBuilder(c *bindCtx, sel *selection) *rowBuilder {
	b := &rowBuilder{c: c, sel: sel}
	if sel.aggregate {
		b.aggs = make([]aggregator, len(sel.sels))
		for i, s := range sel.sels {
			if s.kind == sAgg {
				b.aggs[i] = s.fn.newAgg()
			}
		}
	}
	return b
}

// add feeds one accepted row.
func (b *rowBuilder) add(row *layout.Row) error {
	if !b.sel.aggregate {
		out := make([][]byte, len(b.sel.sels))
		for i, s := range b.sel.sels {
			v, err := s.eval(b.c, row)
			if err != nil {
				return err
			}
			if v != nil {
				v = append(make([]byte, 0, len(v)), v...)
			}
			out[i] = v
		}
		b.rows = append(b.rows, out)
		return nil
	}
	for i, s := range b.sel.sels {
		if s.kind == sAgg {
			args := make([][]byte, len(s.args))
			for j, a := range s.args {
				v, err := a.eval(b.c, row)
				if err != nil {
					return err
				}
				args[j] = v
			}
			b.aggs[i].add(args)
			continue
		}
		if !b.seen {
			v, err := s.eval(b.c, row)
			if err != nil {
				return err
			}
			if b.first == nil {
				b.first = make([][]byte, len(b.sel.sels))
			}
			if v != nil {
				v = append([]byte{}, v...)
			}
			b.first[i] = v
		}
	}
	b.seen = true
	return nil
}

// finish returns the result rows; an aggregate selection always gives
// one row.
func (b *rowBuilder) finish() [][][]byte {
	if !b.sel.aggregate {
		return b.rows
	}
	out := make([][]byte, len(b.sel.sels))
	for i, s := range b.sel.sels {
		if s.kind == sAgg {
			out[i] = b.aggs[i].result()
		} else if b.first != nil {
			out[i] = b.first[i]
		}
	}
	return [][][]byte{out}
}
