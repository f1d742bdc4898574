package codec

import (
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// builtinKind says how a built-in class takes parameters.
type builtinKind int

const (
	kindSimple builtinKind = iota
	kindComposite
	kindDynamic
	kindReversed
	kindList
	kindSet
	kindMap
	kindTuple
	kindUser
	kindFrozen
	kindColumnToCollection
)

type builtin struct {
	kind builtinKind
	t    Type // for kindSimple
}

// builtins are the classes Cassandra 3.11 knows that cassa implements.
var builtins = func() map[string]builtin {
	m := map[string]builtin{
		marshalPkg + "CompositeType":          {kind: kindComposite},
		marshalPkg + "DynamicCompositeType":   {kind: kindDynamic},
		marshalPkg + "ReversedType":           {kind: kindReversed},
		marshalPkg + "ListType":               {kind: kindList},
		marshalPkg + "SetType":                {kind: kindSet},
		marshalPkg + "MapType":                {kind: kindMap},
		marshalPkg + "TupleType":              {kind: kindTuple},
		marshalPkg + "UserType":               {kind: kindUser},
		marshalPkg + "FrozenType":             {kind: kindFrozen},
		marshalPkg + "ColumnToCollectionType": {kind: kindColumnToCollection},
	}
	for _, t := range []Type{Bytes, Ascii, UTF8, Long, Int32, Integer, Double, Float, Decimal,
		Boolean, Date, Timestamp, UUID, TimeUUID, LexicalUUID, InetAddress, CounterColumn,
		SimpleDate, Time, Short, Byte, Duration, Empty} {
		m[t.Class()] = builtin{kind: kindSimple, t: t}
	}
	return m
}()

// parseCache holds parsed class names (dynamic composites parse a type
// name per component per comparison). It is bounded so that hostile input
// cannot grow it without limit.
var (
	parseCache     sync.Map
	parseCacheSize atomic.Int64
)

const (
	parseCacheMax    = 4096
	parseCacheKeyMax = 1024
)

// maxParseDepth bounds nesting so a hostile name cannot exhaust the stack.
const maxParseDepth = 64

// Parse parses a Cassandra type class name as Cassandra's TypeParser does:
// short ("UTF8Type") or fully qualified names, parameters in parentheses
// ("CompositeType(LongType,ReversedType(UTF8Type))",
// "DynamicCompositeType(a=>AsciiType,b=>BytesType)"), the default parameter
// "reversed=true" ("UTF8Type(reversed=true)" is ReversedType(UTF8Type)),
// blanks anywhere between tokens, and user types added with Register. An
// empty or blank string is BytesType, as a null class is in Cassandra.
//
// An unknown class gives a *ParseError reading exactly
// "Unable to find abstract-type class 'org.apache.cassandra.db.marshal.X'";
// malformed input gives a *ParseError naming the position.
func Parse(class string) (Type, error) {
	if t, ok := parseCache.Load(class); ok {
		return t.(Type), nil
	}
	p := &parser{s: class}
	p.skipBlank()
	if p.eos() {
		return Bytes, nil
	}
	t, err := p.parse(0)
	if err != nil {
		return nil, err
	}
	p.skipBlank()
	if !p.eos() {
		return nil, p.syntaxErr("unexpected character '%c' after the type", p.s[p.i])
	}
	if len(class) <= parseCacheKeyMax && parseCacheSize.Load() < parseCacheMax {
		if _, loaded := parseCache.LoadOrStore(class, t); !loaded {
			parseCacheSize.Add(1)
		}
	}
	return t, nil
}

// MustParse is Parse for class names fixed in the program; it panics on error.
func MustParse(class string) Type {
	t, err := Parse(class)
	if err != nil {
		panic(err)
	}
	return t
}

type parser struct {
	s string
	i int
}

func (p *parser) eos() bool { return p.i >= len(p.s) }

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

// isIdentChar is TypeParser's identifier alphabet [0-9a-zA-Z-+._&].
func isIdentChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
		c == '-' || c == '+' || c == '.' || c == '_' || c == '&'
}

func (p *parser) skipBlank() {
	for !p.eos() && isBlank(p.s[p.i]) {
		p.i++
	}
}

// skipBlankAndComma skips blanks and at most one comma; false at the end.
func (p *parser) skipBlankAndComma() bool {
	comma := false
	for !p.eos() {
		c := p.s[p.i]
		if c == ',' {
			if comma {
				return true
			}
			comma = true
		} else if !isBlank(c) {
			return true
		}
		p.i++
	}
	return false
}

func (p *parser) ident() string {
	j := p.i
	for !p.eos() && isIdentChar(p.s[p.i]) {
		p.i++
	}
	return p.s[j:p.i]
}

func (p *parser) syntaxErr(format string, args ...any) error {
	return &ParseError{Class: p.s, Msg: fmt.Sprintf("Syntax error parsing '%s' at char %d: %s", p.s, p.i, fmt.Sprintf(format, args...))}
}

func (p *parser) endErr() error {
	return &ParseError{Class: p.s, Msg: fmt.Sprintf("Syntax error parsing '%s' at char %d: unexpected end of string", p.s, p.i)}
}

func (p *parser) parse(depth int) (Type, error) {
	if depth > maxParseDepth {
		return nil, p.syntaxErr("types nested more than %d deep", maxParseDepth)
	}
	p.skipBlank()
	name := p.ident()
	if name == "" {
		if p.eos() {
			return nil, p.endErr()
		}
		return nil, p.syntaxErr("unexpected character '%c', expecting a type name", p.s[p.i])
	}
	p.skipBlank()
	params := !p.eos() && p.s[p.i] == '('
	fq := qualify(name)

	if b, ok := builtins[fq]; ok {
		switch b.kind {
		case kindComposite:
			ts, err := p.typeParams(depth)
			if err != nil {
				return nil, err
			}
			if len(ts) == 0 {
				return nil, &ParseError{Class: p.s, Msg: "CompositeType needs at least one component type"}
			}
			return Composite(ts...), nil
		case kindDynamic:
			as, err := p.aliasParams(depth)
			if err != nil {
				return nil, err
			}
			return DynamicComposite(as...), nil
		case kindReversed:
			ts, err := p.typeParams(depth)
			if err != nil {
				return nil, err
			}
			if len(ts) != 1 {
				return nil, &ParseError{Class: p.s, Msg: fmt.Sprintf("ReversedType takes exactly one argument, %d given", len(ts))}
			}
			return Reversed(ts[0]), nil
		case kindSimple:
			return p.defaultParams(b.t, params)
		}
		return p.cqlType(b.kind, depth)
	}
	impl, ok := lookupRegistered(fq)
	if !ok {
		return nil, &ParseError{Class: p.s, Unknown: true, Msg: fmt.Sprintf("Unable to find abstract-type class '%s'", fq)}
	}
	if f, isFactory := impl.(Factory); isFactory {
		ts, err := p.typeParams(depth)
		if err != nil {
			return nil, err
		}
		t, err := f(ts)
		if err != nil {
			return nil, &ParseError{Class: p.s, Msg: fmt.Sprintf("Invalid definition for comparator %s: %v", fq, err)}
		}
		if t == nil {
			return nil, &ParseError{Class: p.s, Msg: fmt.Sprintf("Invalid definition for comparator %s: nil type", fq)}
		}
		return t, nil
	}
	return p.defaultParams(impl.(Type), params)
}

// defaultParams reads "(k=v, …)" after a simple type; reversed=true makes
// it ReversedType, other keys are ignored, as in AbstractType.parseDefaultParameters.
func (p *parser) defaultParams(t Type, params bool) (Type, error) {
	if !params {
		return t, nil
	}
	p.i++ // '('
	reversed := false
	for p.skipBlankAndComma() {
		if p.s[p.i] == ')' {
			p.i++
			if reversed {
				return Reversed(t), nil
			}
			return t, nil
		}
		k := p.ident()
		if k == "" {
			return nil, p.syntaxErr("unexpected character '%c'", p.s[p.i])
		}
		v := ""
		p.skipBlank()
		if p.eos() {
			break
		}
		switch p.s[p.i] {
		case '=':
			p.i++
			p.skipBlank()
			v = p.ident()
		case ',', ')':
		default:
			return nil, p.syntaxErr("unexpected character '%c'", p.s[p.i])
		}
		if k == "reversed" {
			reversed = v == "true"
		}
	}
	return nil, p.endErr()
}

// typeParams reads "(T1, T2, …)", the parameters of a composite, reversed
// or custom type; nothing when no '(' follows.
func (p *parser) typeParams(depth int) ([]Type, error) {
	return parenList(p, func() (Type, error) { return p.parse(depth + 1) })
}

// aliasParams reads "(a=>T1, b=>T2, …)", the aliases of a dynamic
// composite; nothing when no '(' follows.
func (p *parser) aliasParams(depth int) ([]DynamicAlias, error) {
	return parenList(p, func() (DynamicAlias, error) {
		alias := p.ident()
		if len(alias) != 1 {
			if alias == "" {
				return DynamicAlias{}, p.syntaxErr("unexpected character '%c', expecting an alias", p.s[p.i])
			}
			return DynamicAlias{}, p.syntaxErr("An alias should be a single character")
		}
		p.skipBlank()
		if !strings.HasPrefix(p.s[p.i:], "=>") {
			return DynamicAlias{}, p.syntaxErr("expecting '=>' token")
		}
		p.i += 2
		p.skipBlank()
		t, err := p.parse(depth + 1)
		if err != nil {
			return DynamicAlias{}, err
		}
		return DynamicAlias{Alias: alias[0], Type: t}, nil
	})
}

// parenList reads a parenthesised list whose items item reads, separated
// by blanks and commas as Cassandra's TypeParser allows; an empty list
// when p is not at '('.
func parenList[T any](p *parser, item func() (T, error)) ([]T, error) {
	var out []T
	if p.eos() || p.s[p.i] != '(' {
		return out, nil
	}
	p.i++
	for p.skipBlankAndComma() {
		if p.s[p.i] == ')' {
			p.i++
			return out, nil
		}
		x, err := item()
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return nil, p.endErr()
}

// ShortName is a type's name for people: the class without the
// org.apache.cassandra.db.marshal package, parameters separated by ", ":
// "LongType", "CompositeType(LongType, ReversedType(UTF8Type))",
// "DynamicCompositeType(a=>AsciiType, b=>BytesType)". Classes in other
// packages keep their package.
func ShortName(t Type) string { return shortName(t, ", ") }

// compactName is ShortName without blanks, for dynamic-composite headers.
func compactName(t Type) string { return shortName(t, ",") }

func shortName(t Type, sep string) string {
	switch x := t.(type) {
	case nil:
		return "<nil>"
	case *CompositeType:
		parts := make([]string, len(x.types))
		for i, c := range x.types {
			parts[i] = shortName(c, sep)
		}
		return "CompositeType(" + strings.Join(parts, sep) + ")"
	case *DynamicCompositeType:
		parts := make([]string, len(x.aliases))
		for i, a := range x.aliases {
			parts[i] = string(a.Alias) + "=>" + shortName(a.Type, sep)
		}
		return "DynamicCompositeType(" + strings.Join(parts, sep) + ")"
	case *ReversedType:
		return "ReversedType(" + shortName(x.base, sep) + ")"
	}
	c := t.Class()
	if strings.HasPrefix(c, marshalPkg) && !strings.ContainsRune(c, '(') {
		return c[len(marshalPkg):]
	}
	return strings.ReplaceAll(c, marshalPkg, "")
}

// cqlType reads the parameters of the CQL types: collections (whose
// parameters are always frozen, as ListType.getInstance(TypeParser) does),
// tuples, user types, FrozenType and ColumnToCollectionType.
func (p *parser) cqlType(kind builtinKind, depth int) (Type, error) {
	switch kind {
	case kindUser:
		return p.userType(depth)
	case kindColumnToCollection:
		return p.columnToCollection(depth)
	}
	ts, err := p.typeParams(depth)
	if err != nil {
		return nil, err
	}
	want := map[builtinKind]int{kindList: 1, kindSet: 1, kindMap: 2, kindFrozen: 1}[kind]
	name := map[builtinKind]string{kindList: "ListType", kindSet: "SetType", kindMap: "MapType", kindFrozen: "FrozenType", kindTuple: "TupleType"}[kind]
	if kind != kindTuple && len(ts) != want {
		return nil, &ParseError{Class: p.s, Msg: fmt.Sprintf("%s takes exactly %d type parameter(s)", name, want)}
	}
	switch kind {
	case kindList:
		return List(ts[0], true), nil
	case kindSet:
		return Set(ts[0], true), nil
	case kindMap:
		return Map(ts[0], ts[1], true), nil
	case kindFrozen:
		return Freeze(ts[0]), nil
	}
	return NewTuple(ts...), nil
}

// userType reads "(keyspace,hexname,hexfield:T,…)" (TypeParser.getUserTypeParameters).
func (p *parser) userType(depth int) (Type, error) {
	if p.eos() || p.s[p.i] != '(' {
		return nil, p.syntaxErr("expecting the user type's parameters")
	}
	p.i++
	p.skipBlank()
	ks := p.ident()
	if !p.skipBlankAndComma() {
		return nil, p.endErr()
	}
	hexName := p.ident()
	name, err := hex.DecodeString(hexName)
	if ks == "" || err != nil {
		return nil, p.syntaxErr("bad user type name")
	}
	var names []string
	var types []Type
	for p.skipBlankAndComma() {
		if p.s[p.i] == ')' {
			p.i++
			return NewUserType(ks, string(name), names, types, true), nil
		}
		f, err := hex.DecodeString(p.ident())
		if err != nil || p.eos() || p.s[p.i] != ':' {
			return nil, p.syntaxErr("bad user type field")
		}
		p.i++
		t, err := p.parse(depth + 1)
		if err != nil {
			return nil, err
		}
		names, types = append(names, string(f)), append(types, t)
	}
	return nil, p.endErr()
}

// columnToCollection reads "(hexname:CollectionType,…)".
func (p *parser) columnToCollection(depth int) (Type, error) {
	cols := map[string]*CollectionType{}
	if p.eos() || p.s[p.i] != '(' {
		return ColumnToCollection(cols), nil
	}
	p.i++
	for p.skipBlankAndComma() {
		if p.s[p.i] == ')' {
			p.i++
			return ColumnToCollection(cols), nil
		}
		n, err := hex.DecodeString(p.ident())
		if err != nil || p.eos() || p.s[p.i] != ':' {
			return nil, p.syntaxErr("bad collection column name")
		}
		p.i++
		t, err := p.parse(depth + 1)
		if err != nil {
			return nil, err
		}
		ct, ok := t.(*CollectionType)
		if !ok {
			return nil, p.syntaxErr("%s is not a collection type", t.Class())
		}
		cols[string(n)] = ct
	}
	return nil, p.endErr()
}
