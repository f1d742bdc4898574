package cqlparse

// cqlStatement dispatches on the statement's first tokens, as the
// prediction of Parser.g's cqlStatement does.
func (p *parser) cqlStatement() Statement {
	switch p.la(1) {
	case kSELECT:
		return p.selectStatement()
	case kINSERT:
		return p.insertStatement()
	case kUPDATE:
		return p.updateStatement()
	case kBEGIN:
		return p.batchStatement()
	case kDELETE:
		return p.deleteStatement()
	case kUSE:
		p.consume()
		return &UseStmt{Keyspace: p.keyspaceName()}
	case kTRUNCATE:
		p.consume()
		if p.la(1) == kCOLUMNFAMILY {
			p.consume()
		}
		return &TruncateStmt{Table: p.columnFamilyName()}
	case kCREATE:
		return p.createStatement()
	case kDROP:
		return p.dropStatement()
	case kALTER:
		return p.alterStatement()
	case kGRANT, kREVOKE:
		return p.grantOrRevoke()
	case kLIST:
		return p.listStatement()
	}
	p.noViable(1)
	return nil
}

// ---------------------------------------------------------------------------
// SELECT

// selectorStart reports the first tokens of a selector (selectClause's
// first alternative).
func selectorStart(k tokKind) bool {
	return k.isCident() || k.isValueStart() || k == kTOKEN
}

// keywordModifier decides whether JSON or DISTINCT after SELECT is the
// keyword rather than a column of that name (LL(4) decision in 3.11).
func (p *parser) keywordModifier() bool {
	k2 := p.la(2)
	if k2 == kAS {
		switch p.la(3) {
		case kFROM, tLPAREN, tCOMMA, tDOT:
			return true
		case kAS:
			return p.la(4).isIdent()
		}
		return false
	}
	return selectorStart(k2) || k2 == tSTAR
}

func (p *parser) selectStatement() *SelectStmt {
	p.match(kSELECT)
	s := &SelectStmt{}
	if p.la(1) == kJSON && p.keywordModifier() {
		p.consume()
		s.JSON = true
	}
	if p.la(1) == kDISTINCT && p.keywordModifier() {
		p.consume()
		s.Distinct = true
	}
	s.Selectors = p.selectClause()
	p.match(kFROM)
	s.Table = p.columnFamilyName()
	if p.la(1) == kWHERE {
		p.consume()
		s.Where = p.whereClause()
	}
	if p.la(1) == kGROUP {
		p.consume()
		p.match(kBY)
		s.GroupBy = commaSep(p, p.cident)
	}
	if p.la(1) == kORDER {
		p.consume()
		p.match(kBY)
		s.OrderBy = p.orderByClause(s.OrderBy)
		for p.la(1) == tCOMMA {
			p.consume()
			s.OrderBy = p.orderByClause(s.OrderBy)
		}
	}
	if p.la(1) == kPER {
		p.consume()
		p.match(kPARTITION)
		p.match(kLIMIT)
		s.PerPartitionLimit = p.intValue()
	}
	if p.la(1) == kLIMIT {
		p.consume()
		s.Limit = p.intValue()
	}
	if p.la(1) == kALLOW {
		p.consume()
		p.match(kFILTERING)
		s.AllowFiltering = true
	}
	return s
}

// orderByClause parses column [ASC|DESC]; like Cassandra's LinkedHashMap,
// a column given twice keeps its first place and takes the last direction.
func (p *parser) orderByClause(list []Ordering) []Ordering {
	o := Ordering{Column: p.cident()}
	switch p.la(1) {
	case kASC:
		p.consume()
	case kDESC:
		p.consume()
		o.Desc = true
	}
	return putOrdering(list, o)
}

func putOrdering(list []Ordering, o Ordering) []Ordering {
	for i := range list {
		if list[i].Column.Name == o.Column.Name {
			list[i].Desc = o.Desc
			return list
		}
	}
	return append(list, o)
}

// selectClause parses '*' (nil) or selector, ....
func (p *parser) selectClause() []SelectItem {
	switch k := p.la(1); {
	case k == tSTAR:
		p.consume()
		return nil
	case selectorStart(k):
		return commaSep(p, p.selector)
	}
	p.noViable(1)
	return nil
}

func (p *parser) selector() SelectItem {
	it := SelectItem{Selector: p.unaliasedSelector()}
	if p.la(1) == kAS {
		p.consume()
		it.Alias = p.ident()
	}
	return it
}

// selectorFollow is what may follow a column-like selector.
func selectorFollow(k tokKind) bool {
	return k == kAS || k == kFROM || k == tRPAREN || k == tCOMMA
}

// unaliasedSelector parses one selector, making the decisions of 3.11's
// prediction for unaliasedSelector.
func (p *parser) unaliasedSelector() Selector {
	p.enter()
	defer p.leave()
	var s Selector
	switch k1 := p.la(1); {
	case k1 == tEMPTY_QUOTED_NAME:
		s = &ColumnSelector{Column: p.cident()}
	case k1 == kTOKEN:
		s = p.selectionFunction()
	case k1 == tLPAREN:
		if p.isTypeCast(tokKind.isValueStart) {
			p.consume()
			t := p.comparatorType()
			p.match(tRPAREN)
			s = &TermSelector{Value: &TypeHint{Type: t, Value: p.value()}}
		} else {
			s = &TermSelector{Value: p.value()}
		}
	case k1 == tQMARK:
		switch k2 := p.la(2); {
		case k2 == tDOT:
			s = p.selectionFunction()
		case selectorFollow(k2):
			s = &TermSelector{Value: p.value()}
		default:
			p.noViable(2)
		}
	case k1.isValueStart():
		s = &TermSelector{Value: p.value()}
	case k1.isIdent():
		switch k2 := p.la(2); {
		case k2 == tLPAREN:
			switch k1 {
			case kCOUNT:
				if p.la(3) == tSTAR {
					p.consume()
					p.consume()
					p.consume()
					p.match(tRPAREN)
					s = &CountRowsSelector{}
				} else {
					s = p.selectionFunction()
				}
			case kWRITETIME, kTTL:
				p.consume()
				p.consume()
				s = &WritetimeSelector{Column: p.cident(), TTL: k1 == kTTL}
				p.match(tRPAREN)
			case kCAST:
				p.consume()
				p.consume()
				arg := p.unaliasedSelector()
				p.match(kAS)
				s = &CastSelector{Arg: arg, Type: p.nativeType()}
				p.match(tRPAREN)
			default:
				if !k1.isFuncName() {
					p.noViable(2)
				}
				s = p.selectionFunction()
			}
		case k2 == tDOT:
			k3 := p.la(3)
			if !k3.isIdent() && k3 != kTOKEN {
				p.noViable(3)
			}
			switch k4 := p.la(4); {
			case k4 == tLPAREN && k3.isFuncName():
				s = p.selectionFunction()
			case k3.isIdent() && (selectorFollow(k4) || k4 == tDOT):
				s = &ColumnSelector{Column: p.cident()}
			default:
				p.noViable(4)
			}
		case selectorFollow(k2):
			s = &ColumnSelector{Column: p.cident()}
		default:
			p.noViable(2)
		}
	default:
		p.noViable(1)
	}
	depth := p.depth
	for p.la(1) == tDOT {
		p.enter() // each field selection nests the selector one level
		p.consume()
		s = &FieldSelector{Target: s, Field: p.ident()}
	}
	p.depth = depth
	return s
}

// selectionFunction parses name '(' [selector, ...] ')'.
func (p *parser) selectionFunction() Selector {
	f := &FunctionSelector{Name: p.functionName()}
	switch k := p.la(2); {
	case p.la(1) != tLPAREN:
		p.noViable(1)
	case k == tRPAREN:
		p.consume()
		p.consume()
		return f
	case !selectorStart(k):
		p.noViable(2)
	}
	p.consume()
	f.Args = commaSep(p, p.unaliasedSelector)
	p.match(tRPAREN)
	return f
}

// ---------------------------------------------------------------------------
// WHERE

func (p *parser) whereClause() []Relation {
	rs := []Relation{p.relationOrExpression()}
	for p.la(1) == kAND {
		p.consume()
		rs = append(rs, p.relationOrExpression())
	}
	return rs
}

func (p *parser) relationOrExpression() Relation {
	switch k := p.la(1); {
	case k.isCident() || k == kTOKEN || k == tLPAREN:
		return p.relation()
	case k == tEXPR:
		p.consume()
		e := &CustomIndexExpr{Index: p.ksName("index")}
		p.match(tCOMMA)
		e.Value = p.term()
		p.match(tRPAREN)
		return e
	}
	p.noViable(1)
	return nil
}

func (p *parser) relationType() Operator {
	var op Operator
	switch p.la(1) {
	case tEQ:
		op = OpEQ
	case tLT:
		op = OpLT
	case tLTE:
		op = OpLTE
	case tGT:
		op = OpGT
	case tGTE:
		op = OpGTE
	case tNEQ:
		op = OpNEQ
	default:
		p.noViable(1)
	}
	p.consume()
	return op
}

// relation parses one relation, deciding between its forms as 3.11's
// prediction does.
func (p *parser) relation() Relation {
	switch k1 := p.la(1); {
	case k1 == kTOKEN:
		p.consume()
		r := &TokenRelation{Columns: p.tupleOfIdentifiers()}
		r.Op = p.relationType()
		r.Value = p.term()
		return r
	case k1 == tLPAREN:
		switch k2 := p.la(2); {
		case k2.isCident():
			switch k3 := p.la(3); {
			case k3 == tCOMMA || k3 == tRPAREN:
				return p.tupleRelation()
			case k3.isRelOp() || k3 == kLIKE || k3 == kIS || k3 == kIN || k3 == kCONTAINS || k3 == tLBRACKET:
			default:
				p.noViable(3)
			}
		case k2 == tLPAREN || k2 == kTOKEN:
		default:
			p.noViable(2)
		}
		p.consume()
		r := p.relation()
		p.match(tRPAREN)
		return r
	case k1.isCident():
		r := &ColumnRelation{}
		switch k2 := p.la(2); {
		case k2.isRelOp():
			r.Column = p.cident()
			r.Op = p.relationType()
			r.Value = p.term()
		case k2 == kLIKE:
			r.Column = p.cident()
			p.consume()
			r.Op = OpLike
			r.Value = p.term()
		case k2 == kIS:
			r.Column = p.cident()
			p.consume()
			p.match(kNOT)
			p.match(kNULL)
			r.Op = OpIsNot
			r.Value = &Null{}
		case k2 == kIN:
			switch p.la(3) {
			case tLPAREN:
				r.Column = p.cident()
				p.consume()
				r.Op = OpIN
				r.InValues = p.singleColumnInValues()
			case tQMARK, tCOLON:
				r.Column = p.cident()
				p.consume()
				r.Op = OpIN
				r.Value = p.inMarker()
			default:
				p.noViable(3)
			}
		case k2 == kCONTAINS:
			r.Column = p.cident()
			p.consume()
			r.Op = OpContains
			if p.la(1) == kKEY && p.la(2).isTermStart() {
				p.consume()
				r.Op = OpContainsKey
			}
			r.Value = p.term()
		case k2 == tLBRACKET:
			r.Column = p.cident()
			p.consume()
			r.MapKey = p.term()
			p.match(tRBRACKET)
			r.Op = p.relationType()
			r.Value = p.term()
		default:
			p.noViable(2)
		}
		return r
	}
	p.noViable(1)
	return nil
}

// tupleRelation parses a multi-column relation after its decision.
func (p *parser) tupleRelation() Relation {
	r := &TupleRelation{Columns: p.tupleOfIdentifiers()}
	switch k := p.la(1); {
	case k == kIN:
		p.consume()
		r.Op = OpIN
		switch p.la(1) {
		case tLPAREN:
			switch p.la(2) {
			case tRPAREN:
				p.consume()
				p.consume()
				r.InValues = []Term{}
			case tLPAREN:
				p.consume()
				r.InValues = commaSep(p, func() Term { return p.tupleLiteral() })
				p.match(tRPAREN)
			case tQMARK, tCOLON:
				p.consume()
				r.InValues = commaSep(p, func() Term { return p.inMarker() })
				p.match(tRPAREN)
			default:
				p.noViable(2)
			}
		case tQMARK, tCOLON:
			r.Value = p.inMarker()
		default:
			p.noViable(1)
		}
	case k.isRelOp():
		switch p.la(2) {
		case tLPAREN:
			r.Op = p.relationType()
			r.Value = p.tupleLiteral()
		case tQMARK, tCOLON:
			r.Op = p.relationType()
			r.Value = p.inMarker()
		default:
			p.noViable(2)
		}
	default:
		p.noViable(1)
	}
	return r
}

func (p *parser) tupleOfIdentifiers() []Ident {
	p.match(tLPAREN)
	ids := commaSep(p, p.cident)
	p.match(tRPAREN)
	return ids
}

// inMarker parses '?' or ':' name.
func (p *parser) inMarker() *BindMarker {
	switch p.la(1) {
	case tQMARK:
		p.consume()
		return p.newMarker(Ident{})
	case tCOLON:
		p.consume()
		return p.newMarker(p.ident())
	}
	p.noViable(1)
	return nil
}

// singleColumnInValues parses '(' [term, ...] ')'.
func (p *parser) singleColumnInValues() []Term {
	p.match(tLPAREN)
	vs := []Term{}
	if p.la(1).isTermStart() {
		vs = append(vs, commaSep(p, p.term)...)
	}
	p.match(tRPAREN)
	return vs
}

// ---------------------------------------------------------------------------
// INSERT, UPDATE, DELETE, BATCH

func (p *parser) insertStatement() *InsertStmt {
	p.match(kINSERT)
	p.match(kINTO)
	s := &InsertStmt{Table: p.columnFamilyName()}
	switch p.la(1) {
	case tLPAREN:
		p.consume()
		s.Columns = commaSep(p, p.cident)
		p.match(tRPAREN)
		p.match(kVALUES)
		p.match(tLPAREN)
		s.Values = commaSep(p, p.term)
		p.match(tRPAREN)
	case kJSON:
		p.consume()
		switch p.la(1) {
		case tSTRING:
			s.JSON = &Literal{Kind: LitString, Text: p.text(p.consume())}
		case tCOLON:
			p.consume()
			s.JSON = p.newMarker(p.ident())
		case tQMARK:
			p.consume()
			s.JSON = p.newMarker(Ident{})
		default:
			p.noViable(1)
		}
		if p.la(1) == kDEFAULT {
			p.consume()
			switch p.la(1) {
			case kNULL:
				p.consume()
			case kUNSET:
				p.consume()
				s.DefaultUnset = true
			default:
				p.noViable(1)
			}
		}
	default:
		p.noViable(1)
	}
	if p.la(1) == kIF {
		p.consume()
		p.match(kNOT)
		p.match(kEXISTS)
		s.IfNotExists = true
	}
	if p.la(1) == kUSING {
		s.Using = p.usingClause()
	}
	return s
}

func (p *parser) usingClause() Using {
	p.match(kUSING)
	u := Using{p.usingClauseObjective()}
	for p.la(1) == kAND {
		p.consume()
		u = append(u, p.usingClauseObjective())
	}
	return u
}

func (p *parser) usingClauseObjective() UsingItem {
	switch p.la(1) {
	case kTIMESTAMP:
		p.consume()
		return UsingItem{Kind: UsingTimestamp, Value: p.intValue()}
	case kTTL:
		p.consume()
		return UsingItem{Kind: UsingTTL, Value: p.intValue()}
	}
	p.noViable(1)
	return UsingItem{}
}

func (p *parser) updateStatement() *UpdateStmt {
	p.match(kUPDATE)
	s := &UpdateStmt{Table: p.columnFamilyName()}
	if p.la(1) == kUSING {
		s.Using = p.usingClause()
	}
	p.match(kSET)
	s.Set = p.columnOperation(s.Set)
	for p.la(1) == tCOMMA {
		p.consume()
		s.Set = p.columnOperation(s.Set)
	}
	p.match(kWHERE)
	s.Where = p.whereClause()
	s.IfExists, s.Conditions = p.ifClause()
	return s
}

// ifClause parses [IF EXISTS | IF condition AND ...].
func (p *parser) ifClause() (bool, []Condition) {
	if p.la(1) != kIF {
		return false, nil
	}
	p.consume()
	if p.la(1) == kEXISTS {
		switch k := p.la(2); {
		case k == tEOF || k == kAPPLY || k == kDELETE || k == kINSERT || k == kUPDATE || k == tSEMI:
			p.consume()
			return true, nil
		case k == kIN || k == tDOT || k == tLBRACKET || k.isRelOp():
		default:
			p.noViable(2)
		}
	} else if !p.la(1).isCident() {
		p.noViable(1)
	}
	cs := []Condition{p.columnCondition()}
	for p.la(1) == kAND {
		p.consume()
		cs = append(cs, p.columnCondition())
	}
	return false, cs
}

func (p *parser) columnCondition() Condition {
	c := Condition{Column: p.cident()}
	switch p.la(1) {
	case tNEQ, tLT, tLTE, tEQ, tGT, tGTE, kIN:
	case tLBRACKET:
		p.consume()
		c.Elem = p.term()
		p.match(tRBRACKET)
	case tDOT:
		p.consume()
		c.Field = p.ident()
	default:
		p.noViable(1)
	}
	switch k := p.la(1); {
	case k.isRelOp():
		c.Op = p.relationType()
		c.Value = p.term()
	case k == kIN:
		p.consume()
		c.Op = OpIN
		switch p.la(1) {
		case tLPAREN:
			c.InValues = p.singleColumnInValues()
		case tQMARK, tCOLON:
			c.Value = p.inMarker()
		default:
			p.noViable(1)
		}
	default:
		p.noViable(1)
	}
	return c
}

// columnOperation parses one SET item.
func (p *parser) columnOperation(ops []Assignment) []Assignment {
	key := p.cident()
	switch p.la(1) {
	case tEQ:
		p.consume()
		return p.normalColumnOperation(ops, key)
	case tPLUSEQ, tMINUSEQ:
		kind := AssignAdd
		if p.consume().kind == tMINUSEQ {
			kind = AssignSubtract
		}
		return p.addRawUpdate(ops, Assignment{Column: key, Kind: kind, Value: p.term()})
	case tLBRACKET:
		p.consume()
		k := p.term()
		p.match(tRBRACKET)
		p.match(tEQ)
		return p.addRawUpdate(ops, Assignment{Column: key, Kind: AssignElement, Key: k, Value: p.term()})
	case tDOT:
		p.consume()
		f := p.ident()
		p.match(tEQ)
		return p.addRawUpdate(ops, Assignment{Column: key, Kind: AssignField, Field: f, Value: p.term()})
	}
	p.noViable(1)
	return nil
}

// normalColumnOperation parses what follows "c =": a value, v + c (list
// prepend), c + v, c - v, or c followed by a negative integer.
func (p *parser) normalColumnOperation(ops []Assignment, key Ident) []Assignment {
	k1 := p.la(1)
	if k1.isCident() {
		k2 := p.la(2)
		switch {
		case k2 == tPLUS || k2 == tMINUS:
			c := p.cident()
			sig := p.consume()
			v := p.term()
			if c.Name != key.Name {
				p.failAction("Only expressions of the form X = X " + p.text(sig) + "<value> are supported.")
			}
			kind := AssignAdd
			if sig.kind == tMINUS {
				kind = AssignSubtract
			}
			return p.addRawUpdate(ops, Assignment{Column: key, Kind: kind, Value: v})
		case k2 == tINTEGER:
			c := p.cident()
			i := p.consume()
			if c.Name != key.Name {
				sign := "+"
				if p.text(i)[0] == '-' {
					sign = "-"
				}
				p.failAction("Only expressions of the form X = X " + sign + " <value> are supported.")
			}
			return p.addRawUpdate(ops, Assignment{Column: key, Kind: AssignAdd, Value: &Literal{Kind: LitInteger, Text: p.text(i)}})
		case k2 == tLPAREN && k1.isFuncName(), k2 == tDOT && k1.isKsName():
		default:
			p.noViable(2)
		}
	} else if !k1.isTermStart() {
		p.noViable(1)
	}
	v := p.term()
	if p.la(1) != tPLUS {
		return p.addRawUpdate(ops, Assignment{Column: key, Kind: AssignSet, Value: v})
	}
	p.consume()
	c := p.cident()
	if c.Name != key.Name {
		p.failAction("Only expressions of the form X = <value> + X are supported.")
	}
	return p.addRawUpdate(ops, Assignment{Column: key, Kind: AssignPrepend, Value: v})
}

// addRawUpdate adds an assignment, refusing one that cannot go with an
// earlier assignment of the same column (Operation.RawUpdate.isCompatibleWith).
func (p *parser) addRawUpdate(ops []Assignment, a Assignment) []Assignment {
	for _, o := range ops {
		if o.Column.Name == a.Column.Name && !compatible(o, a) {
			p.failAction("Multiple incompatible setting of column " + MaybeQuote(a.Column.Name))
		}
	}
	return append(ops, a)
}

func compatible(earlier, later Assignment) bool {
	switch earlier.Kind {
	case AssignSet:
		return false
	case AssignField:
		if later.Kind == AssignField {
			return later.Field.Name != earlier.Field.Name
		}
	}
	return later.Kind != AssignSet
}

func (p *parser) deleteStatement() *DeleteStmt {
	p.match(kDELETE)
	s := &DeleteStmt{}
	if p.la(1).isCident() {
		s.Columns = commaSep(p, p.deleteOp)
	}
	p.match(kFROM)
	s.Table = p.columnFamilyName()
	if p.la(1) == kUSING {
		p.consume()
		p.match(kTIMESTAMP)
		s.Using = Using{{Kind: UsingTimestamp, Value: p.intValue()}}
	}
	p.match(kWHERE)
	s.Where = p.whereClause()
	s.IfExists, s.Conditions = p.ifClause()
	return s
}

func (p *parser) deleteOp() Deletion {
	if !p.la(1).isCident() {
		p.noViable(1)
	}
	switch p.la(2) {
	case kFROM, tCOMMA:
		return Deletion{Column: p.cident()}
	case tLBRACKET:
		d := Deletion{Column: p.cident()}
		p.consume()
		d.Elem = p.term()
		p.match(tRBRACKET)
		return d
	case tDOT:
		d := Deletion{Column: p.cident()}
		p.consume()
		d.Field = p.ident()
		return d
	}
	p.noViable(2)
	return Deletion{}
}

func (p *parser) batchStatement() *BatchStmt {
	p.match(kBEGIN)
	b := &BatchStmt{}
	switch p.la(1) {
	case kUNLOGGED:
		p.consume()
		b.Type = BatchUnlogged
	case kCOUNTER:
		p.consume()
		b.Type = BatchCounter
	}
	p.match(kBATCH)
	if p.la(1) == kUSING {
		b.Using = p.usingClause()
	}
	for {
		var s Statement
		switch p.la(1) {
		case kINSERT:
			s = p.insertStatement()
		case kUPDATE:
			s = p.updateStatement()
		case kDELETE:
			s = p.deleteStatement()
		}
		if s == nil {
			break
		}
		b.Statements = append(b.Statements, s)
		if p.la(1) == tSEMI {
			p.consume()
		}
	}
	p.match(kAPPLY)
	p.match(kBATCH)
	return b
}
