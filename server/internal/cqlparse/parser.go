package cqlparse

import (
	"strconv"
	"strings"
)

// Parse parses one CQL statement, optionally followed by semicolons, as
// Cassandra 3.11's QueryProcessor.parseStatement does. A statement
// Cassandra refuses while parsing gives a *SyntaxError carrying
// Cassandra's message.
func Parse(query string) (*Parsed, error) {
	if len(query) > maxInput {
		return nil, &SyntaxError{Message: "statement of " + strconv.Itoa(len(query)) + " bytes is too long", Offset: -1}
	}
	p := newParser(query)
	stmt, err := p.run(func() Statement {
		s := p.cqlStatement()
		for p.la(1) == tSEMI {
			p.consume()
		}
		p.match(tEOF)
		return s
	})
	if err != nil {
		return nil, err
	}
	return &Parsed{Statement: stmt, Markers: p.markers}, nil
}

// parser is a recursive-descent parser over the tokens of one statement.
// Each rule mirrors the rule of the same name in Cassandra 3.11's
// Parser.g, and each decision reports failures where ANTLR's generated
// decision does, so that error messages match.
type parser struct {
	src  string
	lx   *lexer
	toks []token
	on   []int32 // indices of the on-channel tokens (the last is EOF)
	p    int     // current position in on
	// fetched is the highest token index ANTLR's token buffer would hold
	// by now: every token up to the furthest one looked at.
	fetched int
	markers []*BindMarker
	depth   int // nesting of terms, types and selectors; see enter

	err        *SyntaxError
	errFetched int
}

// bailout unwinds the parser after the first error.
type bailout struct{}

func newParser(src string) *parser {
	lx := lex(src)
	p := &parser{src: src, lx: lx, toks: lx.toks}
	p.on = make([]int32, 0, len(lx.toks))
	for i := range lx.toks {
		if !lx.toks[i].hidden() {
			p.on = append(p.on, int32(i))
		}
	}
	p.fetched = -1
	p.lt(1) // ANTLR's token stream starts by fetching the first token
	return p
}

// run executes a rule and turns the first error, lexer or parser, into a
// *SyntaxError.
func (p *parser) run(rule func() Statement) (stmt Statement, err error) {
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(bailout); !ok {
					panic(r)
				}
			}
		}()
		stmt = rule()
	}()
	// A lexer error comes first if ANTLR had fetched the token it precedes
	// when the parser error happened (or at all, when parsing succeeded).
	limit := len(p.toks)
	if p.err != nil {
		limit = p.errFetched
	}
	for _, e := range p.lx.errs {
		if e.tok <= limit {
			return nil, lexErrorToSyntax(e)
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	return stmt, nil
}

// lt returns the k-th on-channel token ahead (1 is the current one).
func (p *parser) lt(k int) *token {
	i := p.p + k - 1
	if i >= len(p.on) {
		i = len(p.on) - 1
	}
	ti := int(p.on[i])
	if ti > p.fetched {
		p.fetched = ti
	}
	return &p.toks[ti]
}

func (p *parser) la(k int) tokKind { return p.lt(k).kind }

func (p *parser) consume() *token {
	t := p.lt(1)
	if p.p < len(p.on)-1 {
		p.p++
	}
	p.lt(1) // consuming makes ANTLR fetch the next on-channel token
	return t
}

// commaSep parses item (',' item)* and returns the items in order.
func commaSep[T any](p *parser, item func() T) []T {
	items := []T{item()}
	for p.la(1) == tCOMMA {
		p.consume()
		items = append(items, item())
	}
	return items
}

// match consumes the current token if it has the given kind, and fails as
// ANTLR's match does otherwise ("mismatched input 'x' expecting K").
func (p *parser) match(k tokKind) *token {
	if p.la(1) == k {
		return p.consume()
	}
	t := p.lt(1)
	p.fail(t, "mismatched input "+tokenDisplay(p.src, t)+" expecting "+k.tokenName())
	return nil
}

// noViable fails with "no viable alternative" at the k-th token ahead, the
// token where the decision found no alternative.
func (p *parser) noViable(k int) {
	t := p.lt(k)
	p.fail(t, "no viable alternative at input "+tokenDisplay(p.src, t))
}

// mismatchedSet fails as a set match does; ANTLR prints "set null".
func (p *parser) mismatchedSet() {
	t := p.lt(1)
	p.fail(t, "mismatched input "+tokenDisplay(p.src, t)+" expecting set null")
}

// fail records a recognition error about token t, with Cassandra's header
// and snippet, and unwinds.
func (p *parser) fail(t *token, msg string) {
	if p.err == nil {
		index := int(p.on[p.p])
		e := &SyntaxError{
			Line:        int(t.line),
			Column:      int(t.col),
			HasPosition: true,
			Offset:      -1,
		}
		if t.kind != tEOF {
			e.Offset = int(t.off)
		}
		e.Message = header(int(t.line), int(t.col)) + " " + msg + snippet(p.src, p.toks, index, p.fetched)
		p.err = e
		p.errFetched = p.fetched
	}
	panic(bailout{})
}

// failAction records an error raised by a grammar action
// (addRecognitionError): the message alone, no header, no snippet.
func (p *parser) failAction(msg string) {
	if p.err == nil {
		p.err = &SyntaxError{Message: msg, Offset: -1}
		p.errFetched = p.fetched
	}
	panic(bailout{})
}

// maxDepth bounds how deeply terms, types and selectors nest. Cassandra
// has no such rule: its generated parser recurses until the JVM's stack
// overflows (a server error). Go's stack would grow until the runtime
// kills the process, so a peer must not be able to nest without bound;
// no real statement comes near this.
const maxDepth = 500

// enter starts one more level of nesting and fails when there are too
// many; the caller undoes it with leave.
func (p *parser) enter() {
	if p.depth++; p.depth > maxDepth {
		p.failDepth(p.lt(1))
	}
}

// failDepth reports nesting past maxDepth at token t.
func (p *parser) failDepth(t *token) {
	p.fail(t, "statement nests more than "+strconv.Itoa(maxDepth)+" levels deep at input "+tokenDisplay(p.src, t))
}

func (p *parser) leave() { p.depth-- }

// ---------------------------------------------------------------------------
// Names

// identValue folds the name of an identifier token as Cassandra does.
func (p *parser) identValue(t *token) Ident {
	switch t.kind {
	case tQUOTED_NAME:
		return Ident{Name: p.text(t), Quoted: true}
	case tEMPTY_QUOTED_NAME:
		return Ident{Name: "", Quoted: true}
	}
	return Ident{Name: lowerASCII(p.text(t))}
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// ident parses ident, noncol_ident, fident and schema_cident.
func (p *parser) ident() Ident {
	if !p.la(1).isIdent() {
		p.noViable(1)
	}
	return p.identValue(p.consume())
}

// cident parses a column reference of DML, which may be "".
func (p *parser) cident() Ident {
	if !p.la(1).isCident() {
		p.noViable(1)
	}
	return p.identValue(p.consume())
}

// ksName parses ksName, cfName and idxName; what names the message of a
// bind marker in their place.
func (p *parser) ksName(what string) Ident {
	switch k := p.la(1); {
	case k == tQMARK:
		p.consume()
		p.failAction("Bind variables cannot be used for " + what + " names")
	case k.isIdent():
		return p.identValue(p.consume())
	}
	p.noViable(1)
	return Ident{}
}

func (p *parser) keyspaceName() Ident { return p.ksName("keyspace") }

// cfFollow is the set of tokens that may follow a table name in 3.11's
// grammar: the decision on a keyspace prefix accepts only these (or '.').
func cfFollow(k tokKind) bool {
	switch k {
	case tEOF, kADD, kALLOW, kALTER, kAS, kDROP, kFROM, kGROUP, kJSON, kLIMIT, kNORECURSIVE,
		kOF, kORDER, kPER, kPRIMARY, kRENAME, kSET, kTO, kUSING, kWHERE, kWITH, tLPAREN, tSEMI:
		return true
	}
	return false
}

// columnFamilyName parses [ks.]table.
func (p *parser) columnFamilyName() QualifiedName {
	var n QualifiedName
	if !p.la(1).isKsName() {
		p.noViable(1)
	}
	switch k := p.la(2); {
	case k == tDOT:
		n.Keyspace = p.ksName("keyspace")
		p.match(tDOT)
	case !cfFollow(k):
		p.noViable(2)
	}
	n.Name = p.ksName("table")
	return n
}

// indexName parses [ks.]index.
func (p *parser) indexName() QualifiedName {
	var n QualifiedName
	if !p.la(1).isKsName() {
		p.noViable(1)
	}
	switch k := p.la(2); k {
	case tDOT:
		n.Keyspace = p.ksName("keyspace")
		p.match(tDOT)
	case tSEMI, tEOF:
	default:
		p.noViable(2)
	}
	n.Name = p.ksName("index")
	return n
}

// reservedTypeNames are names a user type may not take (Parser.g's
// reservedTypeNames, compared with the name as written).
var reservedTypeNames = map[string]bool{"byte": true, "complex": true, "enum": true, "date": true,
	"interval": true, "macaddr": true, "bitstring": true}

// userTypeName parses [ks.]type; the type name may not be a native type.
func (p *parser) userTypeName() QualifiedName {
	var n QualifiedName
	prefix := false
	switch k := p.la(1); {
	case k == tIDENT, k == tQUOTED_NAME, k.is(clsBasic), k == kKEY:
		prefix = p.la(2) == tDOT
	case k.is(clsNative), k.is(clsOtherUnres):
		prefix = true
	}
	if prefix {
		n.Keyspace = p.ident()
		p.match(tDOT)
	}
	switch k := p.la(1); {
	case k == tIDENT:
		t := p.consume()
		if reservedTypeNames[p.text(t)] {
			p.failAction("Invalid (reserved) user type name " + p.text(t))
		}
		n.Name = p.identValue(t)
	case k == tQUOTED_NAME, k.is(clsBasic), k == kKEY:
		n.Name = p.identValue(p.consume())
	default:
		p.noViable(1)
	}
	return n
}

// functionName parses [ks.]name.
func (p *parser) functionName() QualifiedName {
	var n QualifiedName
	switch k1 := p.la(1); {
	case k1.isKsName() && k1.isFuncName():
		switch p.la(2) {
		case tDOT:
			n.Keyspace = p.keyspaceName()
			p.match(tDOT)
		case tLPAREN, tSEMI, tEOF:
		default:
			p.noViable(2)
		}
	case k1.isKsName():
		// Only a keyspace can be spelled so (a bind marker, or a keyword
		// such as KEY that names no function): ANTLR takes the prefix.
		n.Keyspace = p.keyspaceName()
		p.match(tDOT)
	}
	n.Name = p.allowedFunctionName()
	return n
}

// allowedFunctionName parses a function name: plain names are lower-cased,
// unreserved keywords keep their spelling (native type names theirs in
// lower case), as Cassandra's grammar actions do.
func (p *parser) allowedFunctionName() Ident {
	t := p.lt(1)
	switch k := t.kind; {
	case k == tIDENT:
		p.consume()
		return Ident{Name: lowerASCII(p.text(t))}
	case k == tQUOTED_NAME:
		p.consume()
		return Ident{Name: p.text(t), Quoted: true}
	case k.is(clsNative):
		p.consume()
		return Ident{Name: lowerASCII(p.text(t))}
	case k.is(clsBasic):
		p.consume()
		return Ident{Name: p.text(t)}
	case k == kTOKEN:
		p.consume()
		return Ident{Name: "token"}
	case k == kCOUNT:
		p.consume()
		return Ident{Name: "count"}
	}
	p.noViable(1)
	return Ident{}
}

// text is the text of token t (see tokText).
func (p *parser) text(t *token) string { return tokText(p.src, t) }
