package cqlparse

// ---------------------------------------------------------------------------
// Constants, values and terms

func (p *parser) newMarker(name Ident) *BindMarker {
	m := &BindMarker{Index: len(p.markers), Name: name}
	p.markers = append(p.markers, m)
	return m
}

var literalKinds = [...]LiteralKind{tSTRING: LitString, tINTEGER: LitInteger, tFLOAT: LitFloat,
	tBOOLEAN: LitBoolean, tDURATION: LitDuration, tUUID: LitUUID, tHEX: LitHex}

// constant parses a constant. NaN and Infinity, optionally negated by a
// separate '-', are floats.
func (p *parser) constant() *Literal {
	switch k := p.la(1); k {
	case tSTRING, tINTEGER, tFLOAT, tBOOLEAN, tDURATION, tUUID, tHEX:
		return &Literal{Kind: literalKinds[k], Text: p.text(p.consume())}
	case kNAN, kINFINITY, tMINUS:
		sign := ""
		if k == tMINUS {
			p.consume()
			sign = "-"
		}
		if k := p.la(1); k != kNAN && k != kINFINITY {
			p.mismatchedSet()
		}
		return &Literal{Kind: LitFloat, Text: sign + p.text(p.consume())}
	}
	p.noViable(1)
	return nil
}

// value parses constant | collection | user type literal | tuple | NULL |
// bind marker.
func (p *parser) value() Term {
	switch k := p.la(1); {
	case k.isConstStart():
		return p.constant()
	case k == tLBRACKET:
		return p.collectionLiteral()
	case k == tLBRACE:
		if p.braceIsUDT() {
			return p.usertypeLiteral()
		}
		return p.collectionLiteral()
	case k == tLPAREN:
		return p.tupleLiteral()
	case k == kNULL:
		p.consume()
		return &Null{}
	case k == tCOLON:
		p.consume()
		return p.newMarker(p.ident())
	case k == tQMARK:
		p.consume()
		return p.newMarker(Ident{})
	}
	p.noViable(1)
	return nil
}

// braceIsUDT decides between a collection and a user type literal after
// '{': name ':' starts a user type literal.
func (p *parser) braceIsUDT() bool {
	k2 := p.la(2)
	switch {
	case k2 == tRBRACE:
		return false
	case k2.isIdent():
		switch k3 := p.la(3); {
		case k3 == tCOLON:
			return true
		case k3 == tLPAREN && k2.isFuncName(), k3 == tDOT:
			return false
		}
		p.noViable(3)
	case k2.isTermStart():
		return false
	}
	p.noViable(2)
	return false
}

// collectionLiteral parses [...], {...} (set or map) or {}.
func (p *parser) collectionLiteral() Term {
	if p.la(1) == tLBRACKET {
		p.consume()
		l := &ListLiteral{}
		if p.la(1).isTermStart() {
			l.Elems = commaSep(p, p.term)
		}
		p.match(tRBRACKET)
		return l
	}
	// '{'
	switch k := p.la(2); {
	case k == tRBRACE:
		p.consume()
		p.consume()
		return &SetLiteral{}
	case !k.isTermStart():
		p.noViable(2)
	}
	p.consume()
	first := p.term()
	var v Term
	switch p.la(1) {
	case tCOLON:
		p.consume()
		m := &MapLiteral{Entries: []MapEntry{{Key: first, Value: p.term()}}}
		for p.la(1) == tCOMMA {
			p.consume()
			k := p.term()
			p.match(tCOLON)
			m.Entries = append(m.Entries, MapEntry{Key: k, Value: p.term()})
		}
		v = m
	case tCOMMA, tRBRACE:
		s := &SetLiteral{Elems: []Term{first}}
		for p.la(1) == tCOMMA {
			p.consume()
			s.Elems = append(s.Elems, p.term())
		}
		v = s
	default:
		p.noViable(1)
	}
	p.match(tRBRACE)
	return v
}

// usertypeLiteral parses {field: term, ...}.
func (p *parser) usertypeLiteral() Term {
	p.match(tLBRACE)
	u := &UDTLiteral{}
	for {
		name := p.ident()
		p.match(tCOLON)
		u.Fields = append(u.Fields, UDTField{Name: name, Value: p.term()})
		if p.la(1) != tCOMMA {
			break
		}
		p.consume()
	}
	p.match(tRBRACE)
	return u
}

// tupleLiteral parses (term, ...).
func (p *parser) tupleLiteral() *TupleLiteral {
	p.match(tLPAREN)
	t := &TupleLiteral{Elems: commaSep(p, p.term)}
	p.match(tRPAREN)
	return t
}

// intValue parses INTEGER | ':' name | '?' (LIMIT, USING values).
func (p *parser) intValue() Term {
	switch p.la(1) {
	case tINTEGER:
		return &Literal{Kind: LitInteger, Text: p.text(p.consume())}
	case tCOLON:
		p.consume()
		return p.newMarker(p.ident())
	case tQMARK:
		p.consume()
		return p.newMarker(Ident{})
	}
	p.noViable(1)
	return nil
}

// term parses value | function | '(' type ')' term.
func (p *parser) term() Term {
	p.enter()
	defer p.leave()
	switch k := p.la(1); {
	case k == tLPAREN:
		if p.isTypeCast(tokKind.isTermStart) {
			p.consume()
			t := p.comparatorType()
			p.match(tRPAREN)
			return &TypeHint{Type: t, Value: p.term()}
		}
		return p.value()
	case k == tQMARK:
		if p.la(2) == tDOT {
			return p.function()
		}
		return p.value()
	case k.isValueStart():
		return p.value()
	case k.isKsName() || k.isFuncName():
		p.checkFunctionStart()
		return p.function()
	}
	p.noViable(1)
	return nil
}

// checkFunctionStart makes the decisions ANTLR makes before a function
// call in a term: name '(' or ks '.' name '('.
func (p *parser) checkFunctionStart() {
	k1, k2 := p.la(1), p.la(2)
	if k2 == tLPAREN && k1.isFuncName() {
		return
	}
	if k2 != tDOT || !k1.isKsName() {
		p.noViable(2)
	}
	if !p.la(3).isFuncName() {
		p.noViable(3)
	}
	if p.la(4) != tLPAREN {
		p.noViable(4)
	}
}

// function parses name '(' [term, ...] ')'.
func (p *parser) function() Term {
	// ANTLR decides between f() and f(args) before the call: look past
	// the name and the parenthesis.
	k := 2
	if p.la(2) == tDOT {
		k = 4
	}
	if a := p.la(k + 1); a != tRPAREN && !a.isTermStart() {
		p.noViable(k + 1)
	}
	f := &FunctionCall{Name: p.functionName()}
	p.match(tLPAREN)
	if p.la(1) == tRPAREN {
		p.consume()
		return f
	}
	f.Args = commaSep(p, p.term)
	p.match(tRPAREN)
	return f
}

// isTypeCast decides whether the '(' ahead opens a type hint: '(' type ')'
// followed by a token that can start what follows (a term or a value).
func (p *parser) isTypeCast(follows func(tokKind) bool) bool {
	n, ok := p.scanType(2, p.depth)
	if !ok || p.la(2+n) != tRPAREN {
		return false
	}
	return follows(p.la(3 + n))
}

// scanType reports how many tokens a comparatorType starting at the k-th
// token ahead spans, without consuming anything. depth counts the types
// it is nested in, for the nesting limit.
func (p *parser) scanType(k, depth int) (int, bool) {
	if depth++; depth > maxDepth {
		p.failDepth(p.lt(k))
	}
	switch t := p.la(k); {
	case t == tSTRING:
		return 1, true
	case t == kMAP && p.la(k+1) == tLT:
		a, ok := p.scanType(k+2, depth)
		if !ok || p.la(k+2+a) != tCOMMA {
			return 0, false
		}
		b, ok := p.scanType(k+3+a, depth)
		if !ok || p.la(k+3+a+b) != tGT {
			return 0, false
		}
		return a + b + 4, true
	case (t == kLIST || t == kSET || t == kFROZEN) && p.la(k+1) == tLT:
		a, ok := p.scanType(k+2, depth)
		if !ok || p.la(k+2+a) != tGT {
			return 0, false
		}
		return a + 3, true
	case t == kTUPLE && p.la(k+1) == tLT:
		n := 2
		for {
			a, ok := p.scanType(k+n, depth)
			if !ok {
				return 0, false
			}
			n += a
			switch p.la(k + n) {
			case tCOMMA:
				n++
			case tGT:
				return n + 1, true
			default:
				return 0, false
			}
		}
	case t.is(clsNative) && p.la(k+1) != tDOT:
		return 1, true
	case t.isIdent():
		if p.la(k+1) == tDOT {
			if t2 := p.la(k + 2); t2 == tIDENT || t2 == tQUOTED_NAME || t2.is(clsBasic) || t2 == kKEY {
				return 3, true
			}
			return 0, false
		}
		if t == tIDENT || t == tQUOTED_NAME || t.is(clsBasic) || t == kKEY {
			return 1, true
		}
	}
	return 0, false
}

// ---------------------------------------------------------------------------
// Types

// typeFollow is everything that may follow a type in 3.11's grammar; the
// decisions on native type names and on map/list/tuple/frozen used as user
// type names accept only these after the name (or '.', or '<').
func typeFollow(k tokKind) bool {
	switch k {
	case tRPAREN, tCOMMA, tGT, kSTATIC, kPRIMARY, kLANGUAGE, kFINALFUNC, kINITCOND, tEOF, tSEMI:
		return true
	}
	return false
}

// comparatorType parses a CQL type.
func (p *parser) comparatorType() *CQLType {
	p.enter()
	defer p.leave()
	switch k := p.la(1); {
	case k.is(clsNative):
		switch k2 := p.la(2); {
		case k2 == tDOT:
			return &CQLType{Kind: TypeUDT, UDT: p.userTypeName()}
		case !typeFollow(k2):
			p.noViable(2)
		}
		return &CQLType{Kind: TypeNative, Name: lowerASCII(p.text(p.consume()))}
	case k == kMAP || k == kLIST || k == kTUPLE || k == kFROZEN:
		switch k2 := p.la(2); {
		case k2 == tLT:
		case k2 == tDOT || typeFollow(k2):
			return &CQLType{Kind: TypeUDT, UDT: p.userTypeName()}
		default:
			p.noViable(2)
		}
		switch k {
		case kMAP:
			p.consume()
			p.match(tLT)
			a := p.comparatorType()
			p.match(tCOMMA)
			b := p.comparatorType()
			p.match(tGT)
			return &CQLType{Kind: TypeMap, Params: []*CQLType{a, b}}
		case kLIST:
			p.consume()
			p.match(tLT)
			a := p.comparatorType()
			p.match(tGT)
			return &CQLType{Kind: TypeList, Params: []*CQLType{a}}
		case kTUPLE:
			p.consume()
			p.match(tLT)
			t := &CQLType{Kind: TypeTuple, Params: commaSep(p, p.comparatorType)}
			p.match(tGT)
			return t
		default: // FROZEN
			p.consume()
			p.match(tLT)
			a := p.comparatorType()
			p.match(tGT)
			if a.Kind == TypeNative || a.Kind == TypeCustom {
				p.failAction("frozen<> is only allowed on collections, tuples, and user-defined types (got " + typeRawString(a) + ")")
			}
			return &CQLType{Kind: TypeFrozen, Params: []*CQLType{a}}
		}
	case k == kSET:
		p.consume()
		p.match(tLT)
		a := p.comparatorType()
		p.match(tGT)
		return &CQLType{Kind: TypeSet, Params: []*CQLType{a}}
	case k == tSTRING:
		return &CQLType{Kind: TypeCustom, Name: p.text(p.consume())}
	case k.isIdent():
		return &CQLType{Kind: TypeUDT, UDT: p.userTypeName()}
	}
	p.noViable(1)
	return nil
}

// typeRawString is how Cassandra's CQL3Type.Raw prints a native or custom
// type in messages.
func typeRawString(t *CQLType) string {
	if t.Kind == TypeCustom {
		return "'" + t.Name + "'"
	}
	return t.Name
}

// nativeType parses a native type name (the type of a CAST).
func (p *parser) nativeType() string {
	if !p.la(1).is(clsNative) {
		p.noViable(1)
	}
	return lowerASCII(p.text(p.consume()))
}
