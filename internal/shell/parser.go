package shell

import (
	"fmt"
	"strconv"
	"strings"
)

// maxSubscripts is the deepest reference: key, super column, sub-column.
const maxSubscripts = 3

// parser is a recursive-descent parser over the tokens of one statement.
type parser struct {
	toks []token
	i    int
}

// Parse parses one statement (without its trailing semicolon, though one is
// tolerated). Errors are *ParseError with the offset into src.
func Parse(src string) (Statement, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	// A trailing ';' is optional; drop it so that every rule ends at EOF.
	if n := len(toks); n >= 2 && toks[n-2].is(";") {
		toks = append(toks[:n-2], toks[n-1])
	}
	p := &parser{toks: toks}
	st, err := p.statement()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.errAt(t, "unexpected %s after the end of the command", t.describe())
	}
	return st, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) errAt(t token, format string, args ...any) error {
	return &ParseError{Pos: t.pos, Msg: fmt.Sprintf(format, args...)}
}

// accept consumes the keyword or symbol s if it is next.
func (p *parser) accept(s string) bool {
	if p.peek().is(s) {
		p.next()
		return true
	}
	return false
}

// expect consumes the keyword or symbol s or fails.
func (p *parser) expect(s string) error {
	t := p.peek()
	if !t.is(s) {
		return p.errAt(t, "expected %q, found %s", s, t.describe())
	}
	p.next()
	return nil
}

// name reads a keyspace, column family or column name: a word or a quoted
// string.
func (p *parser) name(what string) (string, token, error) {
	t := p.peek()
	if t.kind == tokIdent || (t.kind == tokString && t.text != "") {
		p.next()
		return t.text, t, nil
	}
	return "", t, p.errAt(t, "expected %s, found %s", what, t.describe())
}

func (p *parser) statement() (Statement, error) {
	t := p.next()
	if t.kind != tokIdent && !t.is("?") {
		if t.kind == tokEOF {
			return nil, p.errAt(t, "empty command")
		}
		return nil, p.errAt(t, "expected a command, found %s (try 'help')", t.describe())
	}
	switch strings.ToLower(t.text) {
	case "help", "?":
		var words []string
		for p.peek().kind == tokIdent {
			words = append(words, strings.ToLower(p.next().text))
		}
		return Help{Topic: strings.Join(words, " ")}, nil
	case "quit", "exit":
		return Quit{}, nil
	case "connect":
		return p.connect()
	case "use":
		ks, _, err := p.name("a keyspace name")
		if err != nil {
			return nil, err
		}
		return Use{Keyspace: ks}, nil
	case "describe", "desc":
		return p.describe()
	case "show":
		switch {
		case p.accept("keyspaces"):
			return ShowKeyspaces{}, nil
		case p.accept("column"):
			if err := p.expect("families"); err != nil {
				return nil, err
			}
			return ShowColumnFamilies{}, nil
		case p.accept("cluster"):
			if err := p.expect("name"); err != nil {
				return nil, err
			}
			return ShowClusterName{}, nil
		case p.accept("api"):
			if err := p.expect("version"); err != nil {
				return nil, err
			}
			return ShowAPIVersion{}, nil
		}
		return nil, p.errAt(p.peek(), "expected 'keyspaces', 'column families', 'cluster name' or 'api version', found %s", p.peek().describe())
	case "list":
		return p.list()
	case "get":
		return p.get()
	case "set":
		return p.set()
	case "del", "delete":
		ref, err := p.ref(1, maxSubscripts)
		if err != nil {
			return nil, err
		}
		return Del{Ref: ref}, nil
	case "count":
		ref, err := p.ref(1, 2)
		if err != nil {
			return nil, err
		}
		return Count{Ref: ref}, nil
	case "incr", "decr":
		return p.incr(strings.EqualFold(t.text, "decr"))
	case "create":
		return p.create()
	case "drop":
		return p.drop()
	case "update":
		return p.update()
	case "assume":
		cf, _, err := p.name("a column family name")
		if err != nil {
			return nil, err
		}
		wt := p.next()
		what := strings.ToLower(wt.text)
		if what == "subcomparator" {
			what = "sub_comparator"
		}
		switch {
		case wt.kind != tokIdent:
		case what == "keys" || what == "comparator" || what == "sub_comparator" || what == "validator":
			if err := p.expect("as"); err != nil {
				return nil, err
			}
			tt, err := p.typeName()
			if err != nil {
				return nil, err
			}
			return Assume{CF: cf, What: what, Type: tt.text, WhatPos: wt.pos, TypePos: tt.pos}, nil
		}
		return nil, p.errAt(wt, "expected keys, comparator, sub_comparator or validator, found %s", wt.describe())
	case "consistencylevel":
		if err := p.expect("as"); err != nil {
			return nil, err
		}
		t := p.next()
		if t.kind != tokIdent {
			return nil, p.errAt(t, "expected a consistency level (ONE, QUORUM, ALL, ...), found %s", t.describe())
		}
		return Consistency{Level: strings.ToUpper(t.text), Pos: t.pos}, nil
	case "truncate":
		cf, _, err := p.name("a column family name")
		if err != nil {
			return nil, err
		}
		return Truncate{CF: cf}, nil
	}
	return nil, p.errAt(t, "unknown command %q (try 'help')", t.text)
}

// connect reads host:port, host/port, host or a quoted address.
func (p *parser) connect() (Statement, error) {
	t := p.peek()
	if t.kind == tokString {
		p.next()
		return Connect{Addr: t.text}, nil
	}
	if t.kind != tokIdent && t.kind != tokNumber {
		return nil, p.errAt(t, "expected host:port, found %s", t.describe())
	}
	p.next()
	host := t.text
	if p.accept(":") {
		pt := p.next()
		if pt.kind != tokNumber {
			return nil, p.errAt(pt, "expected a port number, found %s", pt.describe())
		}
		return Connect{Addr: host + ":" + pt.text}, nil
	}
	// cassandra-cli writes host/port; '/' is not a token, so it arrives
	// inside nothing we lex: accept it only as part of a quoted address.
	return Connect{Addr: host}, nil
}

func (p *parser) describe() (Statement, error) {
	switch {
	case p.peek().kind == tokEOF:
		return DescribeKeyspace{}, nil
	case p.accept("keyspace"):
		if p.peek().kind == tokEOF {
			return DescribeKeyspace{}, nil
		}
		ks, _, err := p.name("a keyspace name")
		if err != nil {
			return nil, err
		}
		return DescribeKeyspace{Keyspace: ks}, nil
	case p.peek().is("column") && p.toks[p.i+1].is("family"):
		p.next()
		p.next()
		cf, _, err := p.name("a column family name")
		if err != nil {
			return nil, err
		}
		return DescribeCF{CF: cf}, nil
	}
	n, _, err := p.name("a keyspace or column family name")
	if err != nil {
		return nil, err
	}
	return Describe{Name: n}, nil
}

// count reads a non-negative integer for limit, columns and ttl.
func (p *parser) count(what string) (int, error) {
	t := p.next()
	if t.kind != tokNumber {
		return 0, p.errAt(t, "expected %s (a whole number), found %s", what, t.describe())
	}
	n, err := strconv.Atoi(t.text)
	if err != nil || n < 0 || n > 1<<30 {
		return 0, p.errAt(t, "%s must be a whole number from 0 to %d", what, 1<<30)
	}
	return n, nil
}

func (p *parser) list() (Statement, error) {
	cf, _, err := p.name("a column family name")
	if err != nil {
		return nil, err
	}
	l := List{CF: cf}
	for {
		switch {
		case p.accept("limit"):
			if l.Limit, err = p.count("a row limit"); err != nil {
				return nil, err
			}
		case p.accept("columns"):
			if l.Columns, err = p.count("a column limit"); err != nil {
				return nil, err
			}
		default:
			return l, nil
		}
	}
}

// ref reads CF['key']['col']... with between min and max subscripts.
func (p *parser) ref(min, max int) (Ref, error) {
	cf, ct, err := p.name("a column family name")
	if err != nil {
		return Ref{}, err
	}
	r := Ref{CF: cf, CFPos: ct.pos}
	for p.peek().is("[") {
		open := p.next()
		if len(r.Path) == max {
			return Ref{}, p.errAt(open, "too many subscripts: at most %d here", max)
		}
		lit, err := p.literal()
		if err != nil {
			return Ref{}, err
		}
		if err := p.expect("]"); err != nil {
			return Ref{}, err
		}
		r.Path = append(r.Path, lit)
	}
	if len(r.Path) < min {
		t := p.peek()
		return Ref{}, p.errAt(t, "expected [ after %s: write %s['key']", cf, cf)
	}
	return r, nil
}

// literal reads a value: 'string', number, word, 0xhex or func(arg).
func (p *parser) literal() (Literal, error) {
	t := p.next()
	switch t.kind {
	case tokString:
		return Literal{Kind: LitString, Text: t.text, Pos: t.pos}, nil
	case tokNumber:
		return Literal{Kind: LitNumber, Text: t.text, Pos: t.pos}, nil
	case tokHex:
		return Literal{Kind: LitHex, Text: t.text, Pos: t.pos}, nil
	case tokIdent:
		if !p.peek().is("(") {
			return Literal{Kind: LitWord, Text: t.text, Pos: t.pos}, nil
		}
		fn := strings.ToLower(t.text)
		if _, ok := functions[fn]; !ok {
			return Literal{}, p.errAt(t, "unknown function %q (known: %s)", t.text, functionNames())
		}
		p.next()
		lit := Literal{Kind: LitFunc, Func: fn, Pos: t.pos}
		if p.accept(")") {
			return lit, nil
		}
		arg, err := p.literal()
		if err != nil {
			return Literal{}, err
		}
		if arg.Kind == LitFunc {
			return Literal{}, p.errAt(token{pos: arg.Pos}, "functions do not nest")
		}
		if err := p.expect(")"); err != nil {
			return Literal{}, err
		}
		lit.Arg = &arg
		lit.Text = arg.Text
		return lit, nil
	}
	return Literal{}, p.errAt(t, "expected a value, found %s", t.describe())
}

func (p *parser) get() (Statement, error) {
	// get CF where ...
	if p.toks[p.i].kind == tokIdent && p.toks[p.i+1].is("where") {
		cf := p.next().text
		p.next()
		g := GetWhere{CF: cf}
		for {
			col, err := p.literal()
			if err != nil {
				return nil, err
			}
			op := p.next()
			switch op.text {
			case "=", ">", ">=", "<", "<=":
			default:
				return nil, p.errAt(op, "expected an operator (= > >= < <=), found %s", op.describe())
			}
			if op.kind != tokPunct {
				return nil, p.errAt(op, "expected an operator (= > >= < <=), found %s", op.describe())
			}
			val, err := p.literal()
			if err != nil {
				return nil, err
			}
			g.Exprs = append(g.Exprs, Expr{Column: col, Op: op.text, Value: val})
			if !p.accept("and") {
				break
			}
		}
		if p.accept("limit") {
			var err error
			if g.Limit, err = p.count("a row limit"); err != nil {
				return nil, err
			}
		}
		return g, nil
	}
	ref, err := p.ref(1, maxSubscripts)
	if err != nil {
		return nil, err
	}
	g := Get{Ref: ref}
	if p.accept("limit") {
		if g.Limit, err = p.count("a column limit"); err != nil {
			return nil, err
		}
	}
	return g, nil
}

func (p *parser) set() (Statement, error) {
	ref, err := p.ref(2, maxSubscripts)
	if err != nil {
		return nil, err
	}
	if err := p.expect("="); err != nil {
		return nil, err
	}
	val, err := p.literal()
	if err != nil {
		return nil, err
	}
	s := Set{Ref: ref, Value: val}
	if p.accept("with") {
		if err := p.expect("ttl"); err != nil {
			return nil, err
		}
		if err := p.expect("="); err != nil {
			return nil, err
		}
		if s.TTL, err = p.count("a TTL in seconds"); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (p *parser) incr(decr bool) (Statement, error) {
	ref, err := p.ref(2, maxSubscripts)
	if err != nil {
		return nil, err
	}
	by := int64(1)
	if p.accept("by") {
		t := p.next()
		if t.kind != tokNumber {
			return nil, p.errAt(t, "expected a whole number after 'by', found %s", t.describe())
		}
		if by, err = strconv.ParseInt(t.text, 10, 64); err != nil {
			return nil, p.errAt(t, "%q is not a 64-bit whole number", t.text)
		}
	}
	if decr {
		by = -by
	}
	return Incr{Ref: ref, By: by}, nil
}

func (p *parser) create() (Statement, error) {
	switch {
	case p.accept("keyspace"):
		name, _, err := p.name("a keyspace name")
		if err != nil {
			return nil, err
		}
		props, err := p.props()
		if err != nil {
			return nil, err
		}
		return CreateKeyspace{Name: name, Props: props}, nil
	case p.accept("column"):
		if err := p.expect("family"); err != nil {
			return nil, err
		}
		name, _, err := p.name("a column family name")
		if err != nil {
			return nil, err
		}
		props, err := p.props()
		if err != nil {
			return nil, err
		}
		return CreateCF{Name: name, Props: props}, nil
	case p.accept("index"):
		cf, col, err := p.indexTarget()
		if err != nil {
			return nil, err
		}
		ci := CreateIndex{CF: cf, Column: col}
		if p.peek().kind != tokEOF {
			tt, err := p.typeName()
			if err != nil {
				return nil, err
			}
			ci.Validator = tt.text
		}
		return ci, nil
	}
	return nil, p.errAt(p.peek(), "expected 'keyspace', 'column family' or 'index' after create, found %s", p.peek().describe())
}

// typeName reads a type: a word such as utf8 or LongType, a quoted class
// name, or a parameterised class such as CompositeType(LongType,UTF8Type)
// (whose parts are joined back together).
func (p *parser) typeName() (token, error) {
	t := p.next()
	if t.kind == tokString {
		return t, nil
	}
	if t.kind != tokIdent {
		return t, p.errAt(t, "expected a type, found %s", t.describe())
	}
	if !p.peek().is("(") {
		return t, nil
	}
	// Gather the parameter list up to the matching ')'.
	var b strings.Builder
	b.WriteString(t.text)
	depth := 0
	for {
		n := p.next()
		switch {
		case n.kind == tokEOF:
			return t, p.errAt(n, "expected \")\" to close the type's parameters")
		case n.is("("):
			depth++
		case n.is(")"):
			depth--
		}
		b.WriteString(n.text)
		if depth == 0 {
			return token{kind: tokIdent, text: b.String(), pos: t.pos}, nil
		}
	}
}

// indexTarget reads `on CF(col)`.
func (p *parser) indexTarget() (string, Literal, error) {
	if err := p.expect("on"); err != nil {
		return "", Literal{}, err
	}
	cf, _, err := p.name("a column family name")
	if err != nil {
		return "", Literal{}, err
	}
	if err := p.expect("("); err != nil {
		return "", Literal{}, err
	}
	col, err := p.literal()
	if err != nil {
		return "", Literal{}, err
	}
	if err := p.expect(")"); err != nil {
		return "", Literal{}, err
	}
	return cf, col, nil
}

// update reads `update keyspace KS with ...` or `update column family CF
// with ...`; the with clause is required.
func (p *parser) update() (Statement, error) {
	var isKS bool
	switch {
	case p.accept("keyspace"):
		isKS = true
	case p.accept("column"):
		if err := p.expect("family"); err != nil {
			return nil, err
		}
	default:
		return nil, p.errAt(p.peek(), "expected 'keyspace' or 'column family' after update, found %s", p.peek().describe())
	}
	name, _, err := p.name("a name")
	if err != nil {
		return nil, err
	}
	if !p.peek().is("with") {
		return nil, p.errAt(p.peek(), "expected \"with\" and the properties to change, found %s", p.peek().describe())
	}
	props, err := p.props()
	if err != nil {
		return nil, err
	}
	if isKS {
		return UpdateKeyspace{Name: name, Props: props}, nil
	}
	return UpdateCF{Name: name, Props: props}, nil
}

func (p *parser) drop() (Statement, error) {
	switch {
	case p.accept("keyspace"):
		name, _, err := p.name("a keyspace name")
		if err != nil {
			return nil, err
		}
		return DropKeyspace{Name: name}, nil
	case p.accept("column"):
		if err := p.expect("family"); err != nil {
			return nil, err
		}
		name, _, err := p.name("a column family name")
		if err != nil {
			return nil, err
		}
		return DropCF{Name: name}, nil
	case p.accept("index"):
		cf, col, err := p.indexTarget()
		if err != nil {
			return nil, err
		}
		return DropIndex{CF: cf, Column: col}, nil
	}
	return nil, p.errAt(p.peek(), "expected 'keyspace', 'column family' or 'index' after drop, found %s", p.peek().describe())
}

// props reads an optional `with a = v and b = {...} and c = [{...}]`.
func (p *parser) props() ([]Prop, error) {
	if !p.accept("with") {
		return nil, nil
	}
	var props []Prop
	for {
		name, nt, err := p.name("a property name")
		if err != nil {
			return nil, err
		}
		if err := p.expect("="); err != nil {
			return nil, err
		}
		v, err := p.propValue()
		if err != nil {
			return nil, err
		}
		props = append(props, Prop{Name: strings.ToLower(name), Value: v, Pos: nt.pos})
		if !p.accept("and") {
			return props, nil
		}
	}
}

func (p *parser) propValue() (PropValue, error) {
	t := p.peek()
	switch {
	case t.is("{"):
		m, err := p.propMap()
		return PropValue{Map: m, Pos: t.pos}, err
	case t.is("["):
		p.next()
		var list [][]KV
		for !p.peek().is("]") {
			m, err := p.propMap()
			if err != nil {
				return PropValue{}, err
			}
			list = append(list, m)
			if !p.accept(",") {
				break
			}
		}
		if err := p.expect("]"); err != nil {
			return PropValue{}, err
		}
		return PropValue{List: list, Pos: t.pos}, nil
	}
	if t.kind == tokIdent && p.toks[p.i+1].is("(") {
		if _, isFunc := functions[strings.ToLower(t.text)]; !isFunc {
			// A parameterised class: CompositeType(LongType,UTF8Type).
			tt, err := p.typeName()
			if err != nil {
				return PropValue{}, err
			}
			return PropValue{Scalar: &Literal{Kind: LitWord, Text: tt.text, Pos: tt.pos}, Pos: t.pos}, nil
		}
	}
	lit, err := p.literal()
	if err != nil {
		return PropValue{}, err
	}
	return PropValue{Scalar: &lit, Pos: t.pos}, nil
}

// propMap reads {key: value, key: value}; keys are words or strings.
func (p *parser) propMap() ([]KV, error) {
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	var kvs []KV
	for !p.peek().is("}") {
		kt := p.next()
		if kt.kind != tokIdent && kt.kind != tokString && kt.kind != tokNumber {
			return nil, p.errAt(kt, "expected a key, found %s", kt.describe())
		}
		if !p.accept(":") && !p.accept("=") {
			return nil, p.errAt(p.peek(), "expected ':' after %q, found %s", kt.text, p.peek().describe())
		}
		v, err := p.literal()
		if err != nil {
			return nil, err
		}
		kvs = append(kvs, KV{Key: kt.text, Value: v})
		if !p.accept(",") {
			break
		}
	}
	if err := p.expect("}"); err != nil {
		return nil, err
	}
	return kvs, nil
}
