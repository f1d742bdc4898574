package cqlparse

import (
	"strconv"
	"strings"
)

// The printer writes canonical CQL: upper-case keywords, single spaces,
// names in the form they were written (quoted or not), strings in single
// quotes, clauses in the grammar's order. Parsing the text gives back an
// equal statement (bind markers keep their order, hence their indexes).

type printer struct{ strings.Builder }

func (w *printer) kw(s string) { w.WriteString(s) }

func (w *printer) ident(id Ident) {
	if !id.Quoted {
		w.WriteString(id.Name)
		return
	}
	w.WriteByte('"')
	w.WriteString(strings.ReplaceAll(id.Name, `"`, `""`))
	w.WriteByte('"')
}

func (w *printer) qname(n QualifiedName) {
	if n.Keyspace.Name != "" || n.Keyspace.Quoted {
		w.ident(n.Keyspace)
		w.WriteByte('.')
	}
	w.ident(n.Name)
}

// funcName writes a function name followed by '(' (a space keeps an
// unquoted "expr" from lexing as the 'expr(' token).
func (w *printer) funcName(n QualifiedName) {
	w.qname(n)
	if !n.Name.Quoted && n.Name.Name == "expr" {
		w.WriteByte(' ')
	}
	w.WriteByte('(')
}

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func (w *printer) str(s string) { w.WriteString(quoteString(s)) }

func (w *printer) idents(ids []Ident) {
	for i, id := range ids {
		if i > 0 {
			w.WriteString(", ")
		}
		w.ident(id)
	}
}

func (w *printer) terms(ts []Term) {
	for i, t := range ts {
		if i > 0 {
			w.WriteString(", ")
		}
		w.term(t)
	}
}

func (w *printer) term(t Term) {
	switch t := t.(type) {
	case *Literal:
		if t.Kind == LitString {
			w.str(t.Text)
		} else {
			w.WriteString(t.Text)
		}
	case *Null:
		w.kw("NULL")
	case *BindMarker:
		if t.Name.Name == "" && !t.Name.Quoted {
			w.WriteByte('?')
		} else {
			w.WriteByte(':')
			w.ident(t.Name)
		}
	case *ListLiteral:
		w.WriteByte('[')
		w.terms(t.Elems)
		w.WriteByte(']')
	case *SetLiteral:
		w.WriteByte('{')
		w.terms(t.Elems)
		w.WriteByte('}')
	case *MapLiteral:
		w.WriteByte('{')
		for i, e := range t.Entries {
			if i > 0 {
				w.WriteString(", ")
			}
			w.term(e.Key)
			w.WriteString(": ")
			w.term(e.Value)
		}
		w.WriteByte('}')
	case *UDTLiteral:
		w.WriteByte('{')
		for i, f := range t.Fields {
			if i > 0 {
				w.WriteString(", ")
			}
			w.ident(f.Name)
			w.WriteString(": ")
			w.term(f.Value)
		}
		w.WriteByte('}')
	case *TupleLiteral:
		w.WriteByte('(')
		w.terms(t.Elems)
		w.WriteByte(')')
	case *FunctionCall:
		w.funcName(t.Name)
		w.terms(t.Args)
		w.WriteByte(')')
	case *TypeHint:
		w.WriteByte('(')
		w.typ(t.Type)
		w.WriteString(") ")
		w.term(t.Value)
	}
}

func (w *printer) typ(t *CQLType) {
	switch t.Kind {
	case TypeNative:
		w.WriteString(t.Name)
	case TypeCustom:
		w.str(t.Name)
	case TypeUDT:
		w.qname(t.UDT)
	default:
		w.WriteString([...]string{TypeList: "list", TypeSet: "set", TypeMap: "map", TypeTuple: "tuple", TypeFrozen: "frozen"}[t.Kind])
		w.WriteByte('<')
		for i, p := range t.Params {
			if i > 0 {
				w.WriteString(", ")
			}
			w.typ(p)
		}
		w.WriteByte('>')
	}
}

func (w *printer) selector(s Selector) {
	switch s := s.(type) {
	case *ColumnSelector:
		w.ident(s.Column)
	case *TermSelector:
		w.term(s.Value)
	case *CountRowsSelector:
		w.WriteString("count(*)")
	case *WritetimeSelector:
		if s.TTL {
			w.WriteString("ttl(")
		} else {
			w.WriteString("writetime(")
		}
		w.ident(s.Column)
		w.WriteByte(')')
	case *CastSelector:
		w.WriteString("CAST(")
		w.selector(s.Arg)
		w.WriteString(" AS ")
		w.WriteString(s.Type)
		w.WriteByte(')')
	case *FunctionSelector:
		w.funcName(s.Name)
		for i, a := range s.Args {
			if i > 0 {
				w.WriteString(", ")
			}
			w.selector(a)
		}
		w.WriteByte(')')
	case *FieldSelector:
		w.selector(s.Target)
		w.WriteByte('.')
		w.ident(s.Field)
	}
}

func (w *printer) selectItems(items []SelectItem) {
	if items == nil {
		w.WriteByte('*')
		return
	}
	for i, it := range items {
		if i > 0 {
			w.WriteString(", ")
		}
		w.selector(it.Selector)
		if it.Alias.Name != "" || it.Alias.Quoted {
			w.WriteString(" AS ")
			w.ident(it.Alias)
		}
	}
}

func (w *printer) inValues(value Term, list []Term) {
	w.WriteString(" IN ")
	if value != nil {
		w.term(value)
		return
	}
	w.WriteByte('(')
	w.terms(list)
	w.WriteByte(')')
}

func (w *printer) relation(r Relation) {
	switch r := r.(type) {
	case *ColumnRelation:
		w.ident(r.Column)
		if r.MapKey != nil {
			w.WriteByte('[')
			w.term(r.MapKey)
			w.WriteByte(']')
		}
		switch r.Op {
		case OpIN:
			w.inValues(r.Value, r.InValues)
		case OpIsNot:
			w.WriteString(" IS NOT NULL")
		default:
			w.WriteByte(' ')
			w.WriteString(r.Op.String())
			w.WriteByte(' ')
			w.term(r.Value)
		}
	case *TokenRelation:
		w.WriteString("token(")
		w.idents(r.Columns)
		w.WriteString(") ")
		w.WriteString(r.Op.String())
		w.WriteByte(' ')
		w.term(r.Value)
	case *TupleRelation:
		w.WriteByte('(')
		w.idents(r.Columns)
		w.WriteByte(')')
		if r.Op == OpIN {
			w.inValues(r.Value, r.InValues)
		} else {
			w.WriteByte(' ')
			w.WriteString(r.Op.String())
			w.WriteByte(' ')
			w.term(r.Value)
		}
	case *CustomIndexExpr:
		w.WriteString("expr(")
		w.ident(r.Index)
		w.WriteString(", ")
		w.term(r.Value)
		w.WriteByte(')')
	}
}

func (w *printer) where(rs []Relation) {
	if len(rs) == 0 {
		return
	}
	w.WriteString(" WHERE ")
	for i, r := range rs {
		if i > 0 {
			w.WriteString(" AND ")
		}
		w.relation(r)
	}
}

func (w *printer) using(u Using) {
	for i, it := range u {
		if i == 0 {
			w.WriteString(" USING ")
		} else {
			w.WriteString(" AND ")
		}
		if it.Kind == UsingTTL {
			w.WriteString("TTL ")
		} else {
			w.WriteString("TIMESTAMP ")
		}
		w.term(it.Value)
	}
}

func (w *printer) ifClause(exists bool, cs []Condition) {
	if exists {
		w.WriteString(" IF EXISTS")
		return
	}
	for i, c := range cs {
		if i == 0 {
			w.WriteString(" IF ")
		} else {
			w.WriteString(" AND ")
		}
		w.ident(c.Column)
		if c.Elem != nil {
			w.WriteByte('[')
			w.term(c.Elem)
			w.WriteByte(']')
		}
		if c.Field.Name != "" || c.Field.Quoted {
			w.WriteByte('.')
			w.ident(c.Field)
		}
		if c.Op == OpIN {
			w.inValues(c.Value, c.InValues)
		} else {
			w.WriteByte(' ')
			w.WriteString(c.Op.String())
			w.WriteByte(' ')
			w.term(c.Value)
		}
	}
}

func (w *printer) orderings(os []Ordering) {
	for i, o := range os {
		if i > 0 {
			w.WriteString(", ")
		}
		w.ident(o.Column)
		if o.Desc {
			w.WriteString(" DESC")
		} else {
			w.WriteString(" ASC")
		}
	}
}

// bareValue reports a property value that can be written without quotes.
func bareValue(s string) bool {
	if strings.EqualFold(s, "true") || strings.EqualFold(s, "false") {
		return true
	}
	l := lex(s)
	return len(l.errs) == 0 && len(l.toks) == 2 && (l.toks[0].kind == tINTEGER || l.toks[0].kind == tFLOAT) && tokText(s, &l.toks[0]) == s
}

func (w *printer) propValue(s string) {
	if bareValue(s) {
		w.WriteString(s)
	} else {
		w.str(s)
	}
}

func (w *printer) propMap(m []MapProperty) {
	w.WriteByte('{')
	for i, e := range m {
		if i > 0 {
			w.WriteString(", ")
		}
		w.str(e.Key)
		w.WriteString(": ")
		w.propValue(e.Value)
	}
	w.WriteByte('}')
}

func (w *printer) properties(ps []Property) {
	for i, p := range ps {
		if i > 0 {
			w.WriteString(" AND ")
		}
		w.ident(p.Name)
		w.WriteString(" = ")
		if p.IsMap {
			w.propMap(p.Map)
		} else {
			w.propValue(p.Value)
		}
	}
}

func (w *printer) tableOptions(o TableOptions) {
	first := true
	sep := func() {
		if first {
			w.WriteString(" WITH ")
			first = false
		} else {
			w.WriteString(" AND ")
		}
	}
	if len(o.ClusteringOrder) > 0 {
		sep()
		w.WriteString("CLUSTERING ORDER BY (")
		w.orderings(o.ClusteringOrder)
		w.WriteByte(')')
	}
	if o.CompactStorage {
		sep()
		w.WriteString("COMPACT STORAGE")
	}
	if len(o.Properties) > 0 {
		sep()
		w.properties(o.Properties)
	}
}

func (w *printer) ifNotExists(b bool) {
	if b {
		w.WriteString("IF NOT EXISTS ")
	}
}

func (w *printer) ifExists(b bool) {
	if b {
		w.WriteString("IF EXISTS ")
	}
}

func (w *printer) typeList(ts []*CQLType) {
	for i, t := range ts {
		if i > 0 {
			w.WriteString(", ")
		}
		w.typ(t)
	}
}

func (w *printer) roleName(r RoleName) {
	switch {
	case r.IsString:
		w.str(r.Name)
	case r.Quoted:
		w.ident(Ident{Name: r.Name, Quoted: true})
	default:
		w.WriteString(r.Name)
	}
}

func (w *printer) renames(rs []Rename) {
	for i, r := range rs {
		if i > 0 {
			w.WriteString(" AND ")
		}
		w.ident(r.From)
		w.WriteString(" TO ")
		w.ident(r.To)
	}
}

func (w *printer) statement(s Statement) {
	switch s := s.(type) {
	case *SelectStmt:
		w.WriteString("SELECT ")
		if s.JSON {
			w.WriteString("JSON ")
		}
		if s.Distinct {
			w.WriteString("DISTINCT ")
		}
		w.selectItems(s.Selectors)
		w.WriteString(" FROM ")
		w.qname(s.Table)
		w.where(s.Where)
		if len(s.GroupBy) > 0 {
			w.WriteString(" GROUP BY ")
			w.idents(s.GroupBy)
		}
		if len(s.OrderBy) > 0 {
			w.WriteString(" ORDER BY ")
			w.orderings(s.OrderBy)
		}
		if s.PerPartitionLimit != nil {
			w.WriteString(" PER PARTITION LIMIT ")
			w.term(s.PerPartitionLimit)
		}
		if s.Limit != nil {
			w.WriteString(" LIMIT ")
			w.term(s.Limit)
		}
		if s.AllowFiltering {
			w.WriteString(" ALLOW FILTERING")
		}
	case *InsertStmt:
		w.WriteString("INSERT INTO ")
		w.qname(s.Table)
		if s.JSON != nil {
			w.WriteString(" JSON ")
			w.term(s.JSON)
			if s.DefaultUnset {
				w.WriteString(" DEFAULT UNSET")
			}
		} else {
			w.WriteString(" (")
			w.idents(s.Columns)
			w.WriteString(") VALUES (")
			w.terms(s.Values)
			w.WriteByte(')')
		}
		if s.IfNotExists {
			w.WriteString(" IF NOT EXISTS")
		}
		w.using(s.Using)
	case *UpdateStmt:
		w.WriteString("UPDATE ")
		w.qname(s.Table)
		w.using(s.Using)
		w.WriteString(" SET ")
		for i, a := range s.Set {
			if i > 0 {
				w.WriteString(", ")
			}
			w.assignment(a)
		}
		w.where(s.Where)
		w.ifClause(s.IfExists, s.Conditions)
	case *DeleteStmt:
		w.WriteString("DELETE ")
		for i, d := range s.Columns {
			if i > 0 {
				w.WriteString(", ")
			}
			w.ident(d.Column)
			if d.Elem != nil {
				w.WriteByte('[')
				w.term(d.Elem)
				w.WriteByte(']')
			}
			if d.Field.Name != "" || d.Field.Quoted {
				w.WriteByte('.')
				w.ident(d.Field)
			}
		}
		if len(s.Columns) > 0 {
			w.WriteByte(' ')
		}
		w.WriteString("FROM ")
		w.qname(s.Table)
		w.using(s.Using)
		w.where(s.Where)
		w.ifClause(s.IfExists, s.Conditions)
	case *BatchStmt:
		w.WriteString([...]string{"BEGIN BATCH", "BEGIN UNLOGGED BATCH", "BEGIN COUNTER BATCH"}[s.Type])
		w.using(s.Using)
		for _, st := range s.Statements {
			w.WriteByte(' ')
			w.statement(st)
			w.WriteByte(';')
		}
		w.WriteString(" APPLY BATCH")
	case *UseStmt:
		w.WriteString("USE ")
		w.ident(s.Keyspace)
	case *TruncateStmt:
		w.WriteString("TRUNCATE TABLE ")
		w.qname(s.Table)
	case *CreateKeyspaceStmt:
		w.WriteString("CREATE KEYSPACE ")
		w.ifNotExists(s.IfNotExists)
		w.ident(s.Keyspace)
		w.WriteString(" WITH ")
		w.properties(s.Properties)
	case *AlterKeyspaceStmt:
		w.WriteString("ALTER KEYSPACE ")
		w.ident(s.Keyspace)
		w.WriteString(" WITH ")
		w.properties(s.Properties)
	case *DropKeyspaceStmt:
		w.WriteString("DROP KEYSPACE ")
		w.ifExists(s.IfExists)
		w.ident(s.Keyspace)
	case *CreateTableStmt:
		w.createTable(s)
	case *AlterTableStmt:
		w.alterTable(s)
	case *DropTableStmt:
		w.WriteString("DROP TABLE ")
		w.ifExists(s.IfExists)
		w.qname(s.Table)
	case *CreateIndexStmt:
		w.WriteString("CREATE ")
		if s.Custom {
			w.WriteString("CUSTOM ")
		}
		w.WriteString("INDEX ")
		w.ifNotExists(s.IfNotExists)
		if s.Name.Name != "" || s.Name.Quoted {
			w.ident(s.Name)
			w.WriteByte(' ')
		}
		w.WriteString("ON ")
		w.qname(s.Table)
		w.WriteString(" (")
		for i, t := range s.Targets {
			if i > 0 {
				w.WriteString(", ")
			}
			if t.Kind == IndexSimple {
				w.ident(t.Column)
				continue
			}
			w.WriteString([...]string{IndexKeys: "keys(", IndexValues: "values(", IndexEntries: "entries(", IndexFull: "full("}[t.Kind])
			w.ident(t.Column)
			w.WriteByte(')')
		}
		w.WriteByte(')')
		if s.Class != nil {
			w.WriteString(" USING ")
			w.str(*s.Class)
		}
		if len(s.Properties) > 0 {
			w.WriteString(" WITH ")
			w.properties(s.Properties)
		}
	case *DropIndexStmt:
		w.WriteString("DROP INDEX ")
		w.ifExists(s.IfExists)
		w.qname(s.Index)
	case *CreateTypeStmt:
		w.WriteString("CREATE TYPE ")
		w.ifNotExists(s.IfNotExists)
		w.qname(s.Type)
		w.WriteString(" (")
		for i, f := range s.Fields {
			if i > 0 {
				w.WriteString(", ")
			}
			w.ident(f.Name)
			w.WriteByte(' ')
			w.typ(f.Type)
		}
		w.WriteByte(')')
	case *AlterTypeStmt:
		w.WriteString("ALTER TYPE ")
		w.qname(s.Type)
		switch s.Kind {
		case AlterTypeAlter:
			w.WriteString(" ALTER ")
			w.ident(s.Field)
			w.WriteString(" TYPE ")
			w.typ(s.FieldType)
		case AlterTypeAdd:
			w.WriteString(" ADD ")
			w.ident(s.Field)
			w.WriteByte(' ')
			w.typ(s.FieldType)
		case AlterTypeRename:
			w.WriteString(" RENAME ")
			w.renames(s.Renames)
		}
	case *DropTypeStmt:
		w.WriteString("DROP TYPE ")
		w.ifExists(s.IfExists)
		w.qname(s.Type)
	case *CreateViewStmt:
		w.WriteString("CREATE MATERIALIZED VIEW ")
		w.ifNotExists(s.IfNotExists)
		w.qname(s.View)
		w.WriteString(" AS SELECT ")
		w.selectItems(s.Selectors)
		w.WriteString(" FROM ")
		w.qname(s.Base)
		w.where(s.Where)
		w.WriteString(" PRIMARY KEY (")
		if len(s.PartitionKey) == 1 {
			w.ident(s.PartitionKey[0])
		} else {
			w.WriteByte('(')
			w.idents(s.PartitionKey)
			w.WriteByte(')')
		}
		for _, c := range s.ClusteringColumns {
			w.WriteString(", ")
			w.ident(c)
		}
		w.WriteByte(')')
		w.tableOptions(s.Options)
	case *AlterViewStmt:
		w.WriteString("ALTER MATERIALIZED VIEW ")
		w.qname(s.View)
		w.WriteString(" WITH ")
		w.properties(s.Properties)
	case *DropViewStmt:
		w.WriteString("DROP MATERIALIZED VIEW ")
		w.ifExists(s.IfExists)
		w.qname(s.View)
	case *CreateFunctionStmt:
		w.WriteString("CREATE ")
		if s.OrReplace {
			w.WriteString("OR REPLACE ")
		}
		w.WriteString("FUNCTION ")
		w.ifNotExists(s.IfNotExists)
		w.funcName(s.Function)
		for i, a := range s.Args {
			if i > 0 {
				w.WriteString(", ")
			}
			w.ident(a.Name)
			w.WriteByte(' ')
			w.typ(a.Type)
		}
		if s.CalledOnNullInput {
			w.WriteString(") CALLED ON NULL INPUT RETURNS ")
		} else {
			w.WriteString(") RETURNS NULL ON NULL INPUT RETURNS ")
		}
		w.typ(s.ReturnType)
		w.WriteString(" LANGUAGE ")
		w.WriteString(s.Language)
		w.WriteString(" AS ")
		w.str(s.Body)
	case *DropFunctionStmt:
		if s.Aggregate {
			w.WriteString("DROP AGGREGATE ")
		} else {
			w.WriteString("DROP FUNCTION ")
		}
		w.ifExists(s.IfExists)
		if s.HasArgs {
			w.funcName(s.Function)
			w.typeList(s.ArgTypes)
			w.WriteByte(')')
		} else {
			w.qname(s.Function)
		}
	case *CreateAggregateStmt:
		w.WriteString("CREATE ")
		if s.OrReplace {
			w.WriteString("OR REPLACE ")
		}
		w.WriteString("AGGREGATE ")
		w.ifNotExists(s.IfNotExists)
		w.funcName(s.Aggregate)
		w.typeList(s.ArgTypes)
		w.WriteString(") SFUNC ")
		w.ident(s.StateFunc)
		w.WriteString(" STYPE ")
		w.typ(s.StateType)
		if s.FinalFunc.Name != "" || s.FinalFunc.Quoted {
			w.WriteString(" FINALFUNC ")
			w.ident(s.FinalFunc)
		}
		if s.InitCond != nil {
			w.WriteString(" INITCOND ")
			w.term(s.InitCond)
		}
	case *CreateTriggerStmt:
		w.WriteString("CREATE TRIGGER ")
		w.ifNotExists(s.IfNotExists)
		w.ident(s.Name)
		w.WriteString(" ON ")
		w.qname(s.Table)
		w.WriteString(" USING ")
		w.str(s.Class)
	case *DropTriggerStmt:
		w.WriteString("DROP TRIGGER ")
		w.ifExists(s.IfExists)
		w.ident(s.Name)
		w.WriteString(" ON ")
		w.qname(s.Table)
	case *CreateRoleStmt:
		w.WriteString("CREATE ROLE ")
		w.ifNotExists(s.IfNotExists)
		w.roleName(s.Role)
		w.roleOptions(s.Options)
	case *AlterRoleStmt:
		w.WriteString("ALTER ROLE ")
		w.roleName(s.Role)
		w.roleOptions(s.Options)
	case *DropRoleStmt:
		w.WriteString("DROP ROLE ")
		w.ifExists(s.IfExists)
		w.roleName(s.Role)
	case *ListRolesStmt:
		w.WriteString("LIST ROLES")
		if s.Of != nil {
			w.WriteString(" OF ")
			w.roleName(*s.Of)
		}
		if s.NoRecursive {
			w.WriteString(" NORECURSIVE")
		}
	case *GrantRoleStmt:
		w.WriteString("GRANT ")
		w.roleName(s.Role)
		w.WriteString(" TO ")
		w.roleName(s.Grantee)
	case *RevokeRoleStmt:
		w.WriteString("REVOKE ")
		w.roleName(s.Role)
		w.WriteString(" FROM ")
		w.roleName(s.Revokee)
	case *CreateUserStmt:
		w.WriteString("CREATE USER ")
		w.ifNotExists(s.IfNotExists)
		w.roleName(s.User)
		w.userOptions(s.Password, s.Superuser)
	case *AlterUserStmt:
		w.WriteString("ALTER USER ")
		w.roleName(s.User)
		w.userOptions(s.Password, s.Superuser)
	case *DropUserStmt:
		w.WriteString("DROP USER ")
		w.ifExists(s.IfExists)
		w.roleName(s.User)
	case *ListUsersStmt:
		w.WriteString("LIST USERS")
	case *PermissionsStmt:
		w.WriteString([...]string{GrantPermissions: "GRANT ", RevokePermissions: "REVOKE ", ListPermissions: "LIST "}[s.Kind])
		if s.All {
			w.WriteString("ALL PERMISSIONS")
		} else {
			for i, p := range s.Permissions {
				if i > 0 {
					w.WriteString(", ")
				}
				w.WriteString(string(p))
			}
		}
		if s.Resource != nil {
			w.WriteString(" ON ")
			w.resource(s.Resource)
		}
		if s.Role != nil {
			w.WriteString([...]string{GrantPermissions: " TO ", RevokePermissions: " FROM ", ListPermissions: " OF "}[s.Kind])
			w.roleName(*s.Role)
		}
		if s.NoRecursive {
			w.WriteString(" NORECURSIVE")
		}
	}
}

func (w *printer) assignment(a Assignment) {
	w.ident(a.Column)
	switch a.Kind {
	case AssignElement:
		w.WriteByte('[')
		w.term(a.Key)
		w.WriteString("] = ")
		w.term(a.Value)
	case AssignField:
		w.WriteByte('.')
		w.ident(a.Field)
		w.WriteString(" = ")
		w.term(a.Value)
	case AssignAdd, AssignSubtract:
		w.WriteString(" = ")
		w.ident(a.Column)
		if a.Kind == AssignAdd {
			w.WriteString(" + ")
		} else {
			w.WriteString(" - ")
		}
		w.term(a.Value)
	case AssignPrepend:
		w.WriteString(" = ")
		w.term(a.Value)
		w.WriteString(" + ")
		w.ident(a.Column)
	default:
		w.WriteString(" = ")
		w.term(a.Value)
	}
}

func (w *printer) createTable(s *CreateTableStmt) {
	w.WriteString("CREATE TABLE ")
	w.ifNotExists(s.IfNotExists)
	w.qname(s.Table)
	w.WriteString(" (")
	n := 0
	sep := func() {
		if n > 0 {
			w.WriteString(", ")
		}
		n++
	}
	for _, c := range s.Columns {
		sep()
		w.ident(c.Name)
		w.WriteByte(' ')
		w.typ(c.Type)
		if c.Static {
			w.WriteString(" STATIC")
		}
	}
	for i, keys := range s.PartitionKeys {
		sep()
		w.WriteString("PRIMARY KEY (")
		if len(keys) == 1 {
			w.ident(keys[0])
		} else {
			w.WriteByte('(')
			w.idents(keys)
			w.WriteByte(')')
		}
		if i == len(s.PartitionKeys)-1 {
			for _, c := range s.ClusteringColumns {
				w.WriteString(", ")
				w.ident(c)
			}
		}
		w.WriteByte(')')
	}
	w.WriteByte(')')
	w.tableOptions(s.Options)
}

func (w *printer) alterTable(s *AlterTableStmt) {
	w.WriteString("ALTER TABLE ")
	w.qname(s.Table)
	switch s.Kind {
	case AlterTableAlterType:
		w.WriteString(" ALTER ")
		if len(s.Columns) > 0 {
			w.ident(s.Columns[0].Name)
			w.WriteString(" TYPE ")
			w.typ(s.Columns[0].Type)
		}
	case AlterTableAdd:
		w.WriteString(" ADD ")
		if len(s.Columns) > 1 {
			w.WriteByte('(')
		}
		for i, c := range s.Columns {
			if i > 0 {
				w.WriteString(", ")
			}
			w.ident(c.Name)
			w.WriteByte(' ')
			w.typ(c.Type)
			if c.Static {
				w.WriteString(" STATIC")
			}
		}
		if len(s.Columns) > 1 {
			w.WriteByte(')')
		}
	case AlterTableDrop:
		w.WriteString(" DROP ")
		if len(s.Columns) > 1 {
			w.WriteByte('(')
		}
		for i, c := range s.Columns {
			if i > 0 {
				w.WriteString(", ")
			}
			w.ident(c.Name)
		}
		if len(s.Columns) > 1 {
			w.WriteByte(')')
		}
		if s.DropTimestamp != nil {
			w.WriteString(" USING TIMESTAMP ")
			w.WriteString(strconv.FormatInt(*s.DropTimestamp, 10))
		}
	case AlterTableDropCompactStorage:
		w.WriteString(" DROP COMPACT STORAGE")
	case AlterTableWith:
		w.WriteString(" WITH ")
		w.properties(s.Properties)
	case AlterTableRename:
		w.WriteString(" RENAME ")
		w.renames(s.Renames)
	}
}

func (w *printer) roleOptions(opts []RoleOption) {
	for i, o := range opts {
		if i == 0 {
			w.WriteString(" WITH ")
		} else {
			w.WriteString(" AND ")
		}
		switch o.Kind {
		case RolePassword:
			w.WriteString("PASSWORD = ")
			w.str(o.Password)
		case RoleOptions:
			w.WriteString("OPTIONS = ")
			w.propMap(o.Options)
		case RoleSuperuser:
			w.WriteString("SUPERUSER = ")
			w.WriteString(o.Text)
		case RoleLogin:
			w.WriteString("LOGIN = ")
			w.WriteString(o.Text)
		}
	}
}

func (w *printer) userOptions(pw *string, su *bool) {
	if pw != nil {
		w.WriteString(" WITH PASSWORD ")
		w.str(*pw)
	}
	if su != nil {
		if *su {
			w.WriteString(" SUPERUSER")
		} else {
			w.WriteString(" NOSUPERUSER")
		}
	}
}

func (w *printer) resource(r *Resource) {
	switch r.Kind {
	case ResAllKeyspaces:
		w.WriteString("ALL KEYSPACES")
	case ResKeyspace:
		w.WriteString("KEYSPACE ")
		w.ident(r.Keyspace)
	case ResTable:
		w.WriteString("TABLE ")
		w.qname(QualifiedName{Keyspace: r.Keyspace, Name: r.Name})
	case ResAllRoles:
		w.WriteString("ALL ROLES")
	case ResRole:
		w.WriteString("ROLE ")
		w.roleName(r.Role)
	case ResAllFunctions:
		w.WriteString("ALL FUNCTIONS")
	case ResAllFunctionsInKeyspace:
		w.WriteString("ALL FUNCTIONS IN KEYSPACE ")
		w.ident(r.Keyspace)
	case ResFunction:
		w.WriteString("FUNCTION ")
		w.funcName(QualifiedName{Keyspace: r.Keyspace, Name: r.Name})
		w.typeList(r.ArgTypes)
		w.WriteByte(')')
	case ResAllMBeans:
		w.WriteString("ALL MBEANS")
	case ResMBean:
		w.WriteString("MBEAN ")
		w.str(r.MBean)
	case ResMBeans:
		w.WriteString("MBEANS ")
		w.str(r.MBean)
	}
}

func format(s Statement) string {
	var w printer
	w.statement(s)
	return w.String()
}

// String returns the statement as canonical CQL.
func (s *SelectStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *InsertStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *UpdateStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *DeleteStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *BatchStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *UseStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *TruncateStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *CreateKeyspaceStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *AlterKeyspaceStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *DropKeyspaceStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *CreateTableStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *AlterTableStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *DropTableStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *CreateIndexStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *DropIndexStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *CreateTypeStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *AlterTypeStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *DropTypeStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *CreateViewStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *AlterViewStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *DropViewStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *CreateFunctionStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *DropFunctionStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *CreateAggregateStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *CreateTriggerStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *DropTriggerStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *CreateRoleStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *AlterRoleStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *DropRoleStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *ListRolesStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *GrantRoleStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *RevokeRoleStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *CreateUserStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *AlterUserStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *DropUserStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *ListUsersStmt) String() string { return format(s) }

// String returns the statement as canonical CQL.
func (s *PermissionsStmt) String() string { return format(s) }

// FormatTerm returns a term as canonical CQL.
func FormatTerm(t Term) string {
	var w printer
	w.term(t)
	return w.String()
}

// FormatType returns a type as CQL, e.g. "frozen<map<text, int>>".
func FormatType(t *CQLType) string {
	var w printer
	w.typ(t)
	return w.String()
}

// TermText renders a term as Cassandra's Term.Raw.getText does, for the
// messages that quote a term ("Invalid property value: ? for property:
// 'class'", "Invalid list literal for l: value 'a' is not of type int").
// Strings are quoted without escaping and every bind marker shows as "?",
// as in Cassandra.
func TermText(t Term) string {
	var b strings.Builder
	termText(&b, t)
	return b.String()
}

func termText(b *strings.Builder, t Term) {
	list := func(open, close string, ts []Term) {
		b.WriteString(open)
		for i, e := range ts {
			if i > 0 {
				b.WriteString(", ")
			}
			termText(b, e)
		}
		b.WriteString(close)
	}
	switch t := t.(type) {
	case *Literal:
		if t.Kind == LitString {
			b.WriteString("'" + t.Text + "'")
		} else {
			b.WriteString(t.Text)
		}
	case *Null:
		b.WriteString("NULL")
	case *BindMarker:
		b.WriteByte('?')
	case *ListLiteral:
		list("[", "]", t.Elems)
	case *SetLiteral:
		list("{", "}", t.Elems)
	case *TupleLiteral:
		list("(", ")", t.Elems)
	case *MapLiteral:
		b.WriteByte('{')
		for i, e := range t.Entries {
			if i > 0 {
				b.WriteString(", ")
			}
			termText(b, e.Key)
			b.WriteString(": ")
			termText(b, e.Value)
		}
		b.WriteByte('}')
	case *UDTLiteral:
		b.WriteByte('{')
		for i, f := range t.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(MaybeQuote(f.Name.Name))
			b.WriteString(": ")
			termText(b, f.Value)
		}
		b.WriteByte('}')
	case *FunctionCall:
		if t.Name.Keyspace.Name != "" {
			b.WriteString(t.Name.Keyspace.Name + ".")
		}
		b.WriteString(t.Name.Name.Name)
		list("(", ")", t.Args)
	case *TypeHint:
		b.WriteString("(" + FormatType(t.Type) + ")")
		termText(b, t.Value)
	}
}
