package cqlparse

import (
	"strconv"
	"strings"
)

// createStatement dispatches CREATE ... on its second (or fourth) token.
func (p *parser) createStatement() Statement {
	switch p.la(2) {
	case kKEYSPACE:
		p.consume()
		p.consume()
		s := &CreateKeyspaceStmt{IfNotExists: p.ifNotExists(), Keyspace: p.keyspaceName()}
		p.match(kWITH)
		s.Properties = p.properties(nil)
		return s
	case kCOLUMNFAMILY:
		return p.createTable()
	case kCUSTOM, kINDEX:
		return p.createIndex()
	case kTYPE:
		return p.createType()
	case kFUNCTION:
		return p.createFunction()
	case kAGGREGATE:
		return p.createAggregate()
	case kOR:
		if p.la(3) != kREPLACE {
			p.noViable(3)
		}
		switch p.la(4) {
		case kFUNCTION:
			return p.createFunction()
		case kAGGREGATE:
			return p.createAggregate()
		}
		p.noViable(4)
	case kUSER:
		return p.createUser()
	case kROLE:
		return p.createRole()
	case kTRIGGER:
		p.consume()
		p.consume()
		s := &CreateTriggerStmt{IfNotExists: p.ifNotExists(), Name: p.ident()}
		p.match(kON)
		s.Table = p.columnFamilyName()
		p.match(kUSING)
		s.Class = p.text(p.match(tSTRING))
		return s
	case kMATERIALIZED:
		return p.createView()
	}
	p.noViable(2)
	return nil
}

func (p *parser) dropStatement() Statement {
	switch p.la(2) {
	case kKEYSPACE:
		p.consume()
		p.consume()
		return &DropKeyspaceStmt{IfExists: p.ifExists(), Keyspace: p.keyspaceName()}
	case kCOLUMNFAMILY:
		p.consume()
		p.consume()
		return &DropTableStmt{IfExists: p.ifExists(), Table: p.columnFamilyName()}
	case kINDEX:
		p.consume()
		p.consume()
		return &DropIndexStmt{IfExists: p.ifExists(), Index: p.indexName()}
	case kTYPE:
		p.consume()
		p.consume()
		return &DropTypeStmt{IfExists: p.ifExists(), Type: p.userTypeName()}
	case kFUNCTION, kAGGREGATE:
		p.consume()
		s := &DropFunctionStmt{Aggregate: p.consume().kind == kAGGREGATE}
		s.IfExists = p.ifExists()
		s.Function = p.functionName()
		if p.la(1) == tLPAREN {
			p.consume()
			s.HasArgs = true
			s.ArgTypes = p.typeList()
			p.match(tRPAREN)
		}
		return s
	case kUSER:
		p.consume()
		p.consume()
		return &DropUserStmt{IfExists: p.ifExists(), User: p.username()}
	case kROLE:
		p.consume()
		p.consume()
		return &DropRoleStmt{IfExists: p.ifExists(), Role: p.roleName()}
	case kTRIGGER:
		p.consume()
		p.consume()
		s := &DropTriggerStmt{IfExists: p.ifExists(), Name: p.ident()}
		p.match(kON)
		s.Table = p.columnFamilyName()
		return s
	case kMATERIALIZED:
		p.consume()
		p.consume()
		p.match(kVIEW)
		return &DropViewStmt{IfExists: p.ifExists(), View: p.columnFamilyName()}
	}
	p.noViable(2)
	return nil
}

func (p *parser) alterStatement() Statement {
	switch p.la(2) {
	case kCOLUMNFAMILY:
		return p.alterTable()
	case kKEYSPACE:
		p.consume()
		p.consume()
		s := &AlterKeyspaceStmt{Keyspace: p.keyspaceName()}
		p.match(kWITH)
		s.Properties = p.properties(nil)
		return s
	case kTYPE:
		return p.alterType()
	case kUSER:
		return p.alterUser()
	case kROLE:
		return p.alterRole()
	case kMATERIALIZED:
		p.consume()
		p.consume()
		p.match(kVIEW)
		s := &AlterViewStmt{View: p.columnFamilyName()}
		p.match(kWITH)
		s.Properties = p.properties(nil)
		return s
	}
	p.noViable(2)
	return nil
}

func (p *parser) ifNotExists() bool {
	if p.la(1) != kIF {
		return false
	}
	p.consume()
	p.match(kNOT)
	p.match(kEXISTS)
	return true
}

func (p *parser) ifExists() bool {
	if p.la(1) != kIF {
		return false
	}
	p.consume()
	p.match(kEXISTS)
	return true
}

// typeList parses [type, ...] up to a ')'.
func (p *parser) typeList() []*CQLType {
	if !p.la(1).isTypeStart() {
		return nil
	}
	return commaSep(p, p.comparatorType)
}

// ---------------------------------------------------------------------------
// Properties

// properties parses property (AND property)*.
func (p *parser) properties(props []Property) []Property {
	props = p.property(props)
	for p.la(1) == kAND {
		p.consume()
		props = p.property(props)
	}
	return props
}

// property parses name = value | name = {map}; a name given twice is
// refused as Cassandra's PropertyDefinitions.addProperty refuses it.
func (p *parser) property(props []Property) []Property {
	if !p.la(1).isIdent() {
		p.noViable(1)
	}
	if p.la(2) != tEQ {
		p.noViable(2)
	}
	k3 := p.la(3)
	if k3 != tLBRACE && !k3.isConstStart() && !k3.isUnreserved() {
		p.noViable(3)
	}
	pr := Property{Name: p.ident()}
	p.match(tEQ)
	if p.la(1) == tLBRACE {
		pr.IsMap = true
		pr.Map = p.propertyMap()
	} else if p.la(1).isConstStart() {
		pr.Value = p.constant().Text
	} else {
		pr.Value = p.text(p.consume())
	}
	for _, q := range props {
		if q.Name.Name == pr.Name.Name {
			p.failAction("Multiple definition for property '" + pr.Name.Name + "'")
		}
	}
	return append(props, pr)
}

// propertyMap parses a map literal and converts it as Parser.g's
// convertPropertyMap does: keys and values must be constants.
func (p *parser) propertyMap() []MapProperty {
	p.match(tLBRACE)
	var entries []MapEntry
	if p.la(1).isTermStart() {
		for {
			k := p.term()
			p.match(tCOLON)
			entries = append(entries, MapEntry{Key: k, Value: p.term()})
			if p.la(1) != tCOMMA {
				break
			}
			p.consume()
		}
	}
	p.match(tRBRACE)
	out := make([]MapProperty, 0, len(entries))
	for _, e := range entries {
		kl, ok := e.Key.(*Literal)
		if !ok {
			msg := "Invalid property name: " + TermText(e.Key)
			if _, isMarker := e.Key.(*BindMarker); isMarker {
				msg += " (bind variables are not supported in DDL queries)"
			}
			p.failAction(msg)
		}
		vl, ok := e.Value.(*Literal)
		if !ok {
			msg := "Invalid property value: " + TermText(e.Value) + " for property: " + TermText(e.Key)
			if _, isMarker := e.Value.(*BindMarker); isMarker {
				msg += " (bind variables are not supported in DDL queries)"
			}
			p.failAction(msg)
		}
		for _, o := range out {
			if o.Key == kl.Text {
				p.failAction("Multiple definition for property " + kl.Text)
			}
		}
		out = append(out, MapProperty{Key: kl.Text, Value: vl.Text})
	}
	return out
}

// ---------------------------------------------------------------------------
// Tables

func (p *parser) createTable() *CreateTableStmt {
	p.match(kCREATE)
	p.match(kCOLUMNFAMILY)
	s := &CreateTableStmt{IfNotExists: p.ifNotExists(), Table: p.columnFamilyName()}
	p.match(tLPAREN)
	p.cfamColumns(s)
	for p.la(1) == tCOMMA {
		p.consume()
		if k := p.la(1); k.isIdent() || k == kPRIMARY {
			p.cfamColumns(s)
		}
	}
	p.match(tRPAREN)
	if p.la(1) == kWITH {
		p.consume()
		p.cfamProperty(&s.Options)
		for p.la(1) == kAND {
			p.consume()
			p.cfamProperty(&s.Options)
		}
	}
	return s
}

func (p *parser) cfamColumns(s *CreateTableStmt) {
	switch k := p.la(1); {
	case k.isIdent():
		c := ColumnDef{Name: p.ident(), Type: p.comparatorType()}
		if p.la(1) == kSTATIC {
			p.consume()
			c.Static = true
		}
		s.Columns = append(s.Columns, c)
		if p.la(1) == kPRIMARY {
			p.consume()
			p.match(kKEY)
			s.PartitionKeys = append(s.PartitionKeys, []Ident{c.Name})
		}
	case k == kPRIMARY:
		p.consume()
		p.match(kKEY)
		p.match(tLPAREN)
		switch k := p.la(1); {
		case k.isIdent():
			s.PartitionKeys = append(s.PartitionKeys, []Ident{p.ident()})
		case k == tLPAREN:
			p.consume()
			keys := commaSep(p, p.ident)
			p.match(tRPAREN)
			s.PartitionKeys = append(s.PartitionKeys, keys)
		default:
			p.noViable(1)
		}
		for p.la(1) == tCOMMA {
			p.consume()
			s.ClusteringColumns = append(s.ClusteringColumns, p.ident())
		}
		p.match(tRPAREN)
	default:
		p.noViable(1)
	}
}

// cfamProperty parses a property, COMPACT STORAGE or CLUSTERING ORDER BY.
func (p *parser) cfamProperty(o *TableOptions) {
	switch k := p.la(1); {
	case k == kCOMPACT && p.la(2) == kSTORAGE:
		p.consume()
		p.consume()
		o.CompactStorage = true
	case k == kCLUSTERING && p.la(2) == kORDER:
		p.consume()
		p.consume()
		p.match(kBY)
		p.match(tLPAREN)
		o.ClusteringOrder = p.cfamOrdering(o.ClusteringOrder)
		for p.la(1) == tCOMMA {
			p.consume()
			o.ClusteringOrder = p.cfamOrdering(o.ClusteringOrder)
		}
		p.match(tRPAREN)
	case (k == kCOMPACT || k == kCLUSTERING) && p.la(2) != tEQ:
		p.noViable(2)
	case k.isIdent():
		o.Properties = p.property(o.Properties)
	default:
		p.noViable(1)
	}
}

func (p *parser) cfamOrdering(list []Ordering) []Ordering {
	o := Ordering{Column: p.ident()}
	switch p.la(1) {
	case kASC:
		p.consume()
	case kDESC:
		p.consume()
		o.Desc = true
	default:
		p.noViable(1)
	}
	return putOrdering(list, o)
}

func (p *parser) alterTable() *AlterTableStmt {
	p.match(kALTER)
	p.match(kCOLUMNFAMILY)
	s := &AlterTableStmt{Table: p.columnFamilyName()}
	switch p.la(1) {
	case kALTER:
		p.consume()
		c := ColumnDef{Name: p.ident()}
		p.match(kTYPE)
		c.Type = p.comparatorType()
		s.Kind = AlterTableAlterType
		s.Columns = []ColumnDef{c}
	case kADD:
		p.consume()
		s.Kind = AlterTableAdd
		switch k := p.la(1); {
		case k.isIdent():
			s.Columns = []ColumnDef{p.addColumn()}
		case k == tLPAREN:
			p.consume()
			s.Columns = commaSep(p, p.addColumn)
			p.match(tRPAREN)
		default:
			p.noViable(1)
		}
	case kDROP:
		switch k2 := p.la(2); {
		case k2 == kCOMPACT:
			switch p.la(3) {
			case kSTORAGE:
				p.consume()
				p.consume()
				p.consume()
				s.Kind = AlterTableDropCompactStorage
				return s
			case tEOF, kUSING, tSEMI:
			default:
				p.noViable(3)
			}
		case k2.isIdent() || k2 == tLPAREN:
		default:
			p.noViable(2)
		}
		p.consume()
		s.Kind = AlterTableDrop
		if p.la(1) == tLPAREN {
			p.consume()
			s.Columns = []ColumnDef{{Name: p.ident()}}
			for p.la(1) == tCOMMA {
				p.consume()
				s.Columns = append(s.Columns, ColumnDef{Name: p.ident()})
			}
			p.match(tRPAREN)
		} else {
			s.Columns = []ColumnDef{{Name: p.ident()}}
		}
		if p.la(1) == kUSING {
			p.consume()
			p.match(kTIMESTAMP)
			t := p.match(tINTEGER)
			ts, err := strconv.ParseInt(p.text(t), 10, 64)
			if err != nil {
				// Long.parseLong's NumberFormatException escapes the
				// grammar action and becomes "Failed parsing statement".
				p.failAction("Failed parsing statement: [" + p.src + "] reason: NumberFormatException For input string: \"" + p.text(t) + "\"")
			}
			s.DropTimestamp = &ts
		}
	case kWITH:
		p.consume()
		s.Kind = AlterTableWith
		s.Properties = p.properties(nil)
	case kRENAME:
		p.consume()
		s.Kind = AlterTableRename
		s.Renames = p.renames()
	default:
		p.noViable(1)
	}
	return s
}

func (p *parser) addColumn() ColumnDef {
	c := ColumnDef{Name: p.ident(), Type: p.comparatorType()}
	if p.la(1) == kSTATIC {
		p.consume()
		c.Static = true
	}
	return c
}

func (p *parser) renames() []Rename {
	var rs []Rename
	for {
		r := Rename{From: p.ident()}
		p.match(kTO)
		r.To = p.ident()
		rs = append(rs, r)
		if p.la(1) != kAND {
			return rs
		}
		p.consume()
	}
}

// ---------------------------------------------------------------------------
// Indexes, types, views

func (p *parser) createIndex() *CreateIndexStmt {
	p.match(kCREATE)
	s := &CreateIndexStmt{}
	if p.la(1) == kCUSTOM {
		p.consume()
		s.Custom = true
	}
	p.match(kINDEX)
	s.IfNotExists = p.ifNotExists()
	if p.la(1).isKsName() {
		s.Name = p.ksName("index")
	}
	p.match(kON)
	s.Table = p.columnFamilyName()
	p.match(tLPAREN)
	if k := p.la(1); k.isCident() || k == kENTRIES || k == kFULL {
		s.Targets = commaSep(p, p.indexIdent)
	}
	p.match(tRPAREN)
	if p.la(1) == kUSING {
		p.consume()
		cls := p.text(p.match(tSTRING))
		s.Class = &cls
	}
	if p.la(1) == kWITH {
		p.consume()
		s.Properties = p.properties(nil)
	}
	return s
}

func (p *parser) indexIdent() IndexTarget {
	kind := IndexSimple
	switch k := p.la(1); {
	case k == kVALUES || k == kKEYS:
		switch p.la(2) {
		case tLPAREN:
			kind = IndexValues
			if k == kKEYS {
				kind = IndexKeys
			}
		case tRPAREN, tCOMMA:
		default:
			p.noViable(2)
		}
	case k == kENTRIES:
		kind = IndexEntries
	case k == kFULL:
		kind = IndexFull
	case k.isCident():
	default:
		p.noViable(1)
	}
	if kind == IndexSimple {
		return IndexTarget{Kind: kind, Column: p.cident()}
	}
	p.consume()
	p.match(tLPAREN)
	t := IndexTarget{Kind: kind, Column: p.cident()}
	p.match(tRPAREN)
	return t
}

func (p *parser) createType() *CreateTypeStmt {
	p.match(kCREATE)
	p.match(kTYPE)
	s := &CreateTypeStmt{IfNotExists: p.ifNotExists(), Type: p.userTypeName()}
	p.match(tLPAREN)
	s.Fields = append(s.Fields, FieldDef{Name: p.ident(), Type: p.comparatorType()})
	for p.la(1) == tCOMMA {
		p.consume()
		if p.la(1).isIdent() {
			s.Fields = append(s.Fields, FieldDef{Name: p.ident(), Type: p.comparatorType()})
		}
	}
	p.match(tRPAREN)
	return s
}

func (p *parser) alterType() *AlterTypeStmt {
	p.match(kALTER)
	p.match(kTYPE)
	s := &AlterTypeStmt{Type: p.userTypeName()}
	switch p.la(1) {
	case kALTER:
		p.consume()
		s.Kind = AlterTypeAlter
		s.Field = p.ident()
		p.match(kTYPE)
		s.FieldType = p.comparatorType()
	case kADD:
		p.consume()
		s.Kind = AlterTypeAdd
		s.Field = p.ident()
		s.FieldType = p.comparatorType()
	case kRENAME:
		p.consume()
		s.Kind = AlterTypeRename
		s.Renames = p.renames()
	default:
		p.noViable(1)
	}
	return s
}

func (p *parser) createView() *CreateViewStmt {
	p.match(kCREATE)
	p.match(kMATERIALIZED)
	p.match(kVIEW)
	s := &CreateViewStmt{IfNotExists: p.ifNotExists(), View: p.columnFamilyName()}
	p.match(kAS)
	p.match(kSELECT)
	s.Selectors = p.selectClause()
	p.match(kFROM)
	s.Base = p.columnFamilyName()
	if p.la(1) == kWHERE {
		p.consume()
		s.Where = p.whereClause()
	}
	p.match(kPRIMARY)
	p.match(kKEY)
	if p.la(1) != tLPAREN {
		p.noViable(1)
	}
	switch k := p.la(2); {
	case k == tLPAREN:
		p.consume()
		p.consume()
		s.PartitionKey = commaSep(p, p.cident)
		p.match(tRPAREN)
	case k.isCident():
		p.consume()
		s.PartitionKey = []Ident{p.cident()}
	default:
		p.noViable(2)
	}
	for p.la(1) == tCOMMA {
		p.consume()
		s.ClusteringColumns = append(s.ClusteringColumns, p.cident())
	}
	p.match(tRPAREN)
	if p.la(1) == kWITH {
		p.consume()
		p.cfamProperty(&s.Options)
		for p.la(1) == kAND {
			p.consume()
			p.cfamProperty(&s.Options)
		}
	}
	return s
}

// ---------------------------------------------------------------------------
// Functions and aggregates

func (p *parser) orReplace() bool {
	if p.la(1) != kOR {
		return false
	}
	p.consume()
	p.match(kREPLACE)
	return true
}

func (p *parser) createFunction() *CreateFunctionStmt {
	p.match(kCREATE)
	s := &CreateFunctionStmt{OrReplace: p.orReplace()}
	p.match(kFUNCTION)
	s.IfNotExists = p.ifNotExists()
	s.Function = p.functionName()
	p.match(tLPAREN)
	if p.la(1).isIdent() {
		for {
			s.Args = append(s.Args, FunctionArg{Name: p.ident(), Type: p.comparatorType()})
			if p.la(1) != tCOMMA {
				break
			}
			p.consume()
		}
	}
	p.match(tRPAREN)
	switch p.la(1) {
	case kRETURNS:
		p.consume()
		p.match(kNULL)
	case kCALLED:
		p.consume()
		s.CalledOnNullInput = true
	default:
		p.noViable(1)
	}
	p.match(kON)
	p.match(kNULL)
	p.match(kINPUT)
	p.match(kRETURNS)
	s.ReturnType = p.comparatorType()
	p.match(kLANGUAGE)
	s.Language = strings.ToLower(p.text(p.match(tIDENT)))
	p.match(kAS)
	s.Body = p.text(p.match(tSTRING))
	return s
}

func (p *parser) createAggregate() *CreateAggregateStmt {
	p.match(kCREATE)
	s := &CreateAggregateStmt{OrReplace: p.orReplace()}
	p.match(kAGGREGATE)
	s.IfNotExists = p.ifNotExists()
	s.Aggregate = p.functionName()
	p.match(tLPAREN)
	s.ArgTypes = p.typeList()
	p.match(tRPAREN)
	p.match(kSFUNC)
	s.StateFunc = p.allowedFunctionName()
	p.match(kSTYPE)
	s.StateType = p.comparatorType()
	if p.la(1) == kFINALFUNC {
		p.consume()
		s.FinalFunc = p.allowedFunctionName()
	}
	if p.la(1) == kINITCOND {
		p.consume()
		s.InitCond = p.term()
	}
	return s
}
