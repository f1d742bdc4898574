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
	sCall  // scalar function over selectors
	sAgg   // aggregate over selectors
	sTerm  // a typed constant
	sField // a user type field of another selector
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
	// field is an sField's field position, nfields the type's field count.
	field, nfields int
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
		if sel.aggregate() {
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
		arg, err := s.prepareSelector(p, x.Arg, false)
		if err != nil {
			return nil, err
		}
		to, ok := codec.NativeCQLType(x.Type)
		if ok && sameType(arg.typ, to) {
			return arg, nil // a cast to the argument's own type is ignored
		}
		fn := castFunction(arg.typ, x.Type)
		if cands := castCandidates(strings.ToLower(x.Type)); fn == nil && len(cands) > 0 {
			// FunctionResolver.get: functions of that name exist, none
			// takes the argument.
			return nil, invalidf("Invalid call to function %s, none of its type signatures match (known type signatures: %s)",
				cands[0].fullName(), formatFunctions(cands))
		}
		if fn == nil {
			// 3.11 names the selection's first column here.
			name := arg.name
			if len(s.columns) > 0 {
				name = s.columns[0].name
			}
			return nil, invalidf("%s cannot be cast to %s", name, strings.ToLower(x.Type))
		}
		return &selector{kind: sCall, fn: fn, args: []*selector{arg}, name: castName(arg.name, x.Type), typ: fn.ret}, nil
	case *cqlparse.FieldSelector:
		t, err := s.prepareSelector(p, x.Target, false)
		if err != nil {
			return nil, err
		}
		ut, ok := base(t.typ).(*codec.UserType)
		if !ok {
			return nil, invalidf("Invalid field selection: %s of type %s is not a user type", t.name, codec.CQLName(t.typ))
		}
		i := ut.FieldIndex(x.Field.Name)
		if i < 0 {
			return nil, invalidf("%s of type %s has no field %s", t.name, codec.CQLName(t.typ), x.Field.Name)
		}
		// FieldSelector: named "target.field", typed by the field.
		return &selector{kind: sField, args: []*selector{t}, field: i, nfields: len(ut.FieldNames()),
			name: t.name + "." + ut.FieldNames()[i], typ: ut.FieldTypes()[i]}, nil
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
		case "fromjson":
			return nil, invalid("fromJson() cannot be used in the selection clause of a SELECT statement")
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
		args[i] = sel
	}
	var fn *function
	if native && !x.Name.Name.Quoted {
		switch {
		case name == "token":
			fn = tokenFunction(s.tb, p.env.partitioner())
		case name == "tojson":
			if len(args) != 1 {
				return nil, invalidf("toJson() only accepts one argument (got %d)", len(args))
			}
			if args[0] == nil {
				return nil, invalidf("Cannot infer type for term %s in selection clause (try using a cast to force a type)", termText(raws[0]))
			}
			fn = toJSONFunction(args[0].typ)
		case (name == "count" || name == "min" || name == "max") && len(args) == 1 && args[0] != nil:
			if name == "count" {
				fn = countOf(args[0].typ)
			} else {
				fn = extremeOf(name, args[0].typ)
			}
		case (name == "sum" || name == "avg") && (len(args) != 1 || args[0] != nil):
			switch {
			case len(args) != 1:
			case name == "sum":
				fn = sumOf(args[0].typ)
			default:
				fn = avgOf(args[0].typ)
			}
			if fn == nil {
				return nil, invalidf("Invalid call to function %s, none of its type signatures match (known type signatures: %s)",
					functionName(x.Name), formatFunctions(numericFunctions(name)))
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
	// AbstractFunctionSelector.newFactory: no aggregate of aggregates; a
	// scalar function takes only aggregates or none.
	nAgg := 0
	for _, a := range args {
		if a.aggregate() {
			nAgg++
		}
	}
	if fn.aggregate() && nAgg > 0 {
		return nil, invalid("aggregate functions cannot be used as arguments of aggregate functions")
	}
	if !fn.aggregate() && nAgg > 0 && nAgg != len(args) {
		return nil, invalidf("arguments of function %s must be either all aggregates or no aggregates", fn.fullName())
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
		if !v.Set || s.col.multiCell() {
			// A non-frozen user type is added to the result set whole,
			// without a timestamp (Selection.ResultSetBuilder.add).
			return nil, nil
		}
		return codec.AppendLong(nil, v.Timestamp), nil
	case sTTL:
		v := row.Values[s.col.lc.Index]
		if !v.Set || v.TTL == 0 || s.col.multiCell() {
			return nil, nil
		}
		left := v.Expiry - row.Now
		if left <= 0 {
			return nil, nil
		}
		return codec.AppendInt32(nil, int32(left)), nil
	case sTerm:
		return s.val, nil
	case sField:
		v, err := s.args[0].eval(c, row)
		if err != nil {
			return nil, err
		}
		return fieldOf(v, s.field, s.nfields), nil
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
