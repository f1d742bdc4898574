package cqlparse

// Ident is a name as a statement wrote it: Name is case-folded to lower
// case unless the name was written in double quotes, exactly as Cassandra
// folds ColumnIdentifier and keyspace element names. Compare names by
// Name; Quoted only records the spelling, so that the printer can write the
// name back in the same form.
type Ident struct {
	Name   string
	Quoted bool
}

// QualifiedName is a possibly keyspace-qualified name of a table, view,
// index, user type or function. Keyspace.Name is "" when the statement
// named no keyspace.
type QualifiedName struct {
	Keyspace Ident
	Name     Ident
}

// Parsed is the result of parsing one statement.
type Parsed struct {
	Statement Statement
	// Markers lists every bind marker of the statement in order of
	// appearance; Markers[i].Index == i. They are the same nodes the
	// statement holds, so the executor can attach receivers to them. This
	// is the bound-variables list of Cassandra's ParsedStatement.
	Markers []*BindMarker
}

// Statement is a parsed CQL statement. String returns canonical CQL text
// that parses back to an equal statement.
type Statement interface {
	String() string
	statement()
}

// ---------------------------------------------------------------------------
// Terms

// Term is a value expression: a literal, a bind marker, a collection, tuple
// or user type literal, a function call or a type hint. The parser never
// converts literals: as in Cassandra, their meaning depends on the receiver
// they are assigned to.
type Term interface{ term() }

// LiteralKind is the lexical kind of a constant, which decides which
// receiver types accept it (Constants.Literal in Cassandra).
type LiteralKind uint8

// Literal kinds.
const (
	LitString   LiteralKind = iota + 1 // '...' or $$...$$
	LitInteger                         // -?[0-9]+
	LitFloat                           // 1.5, 1e3, NaN, -Infinity
	LitBoolean                         // true, false (any case)
	LitDuration                        // 1h30m, P1D, -P0001-02-03T04:05:06
	LitUUID                            // 8-4-4-4-12 hex digits
	LitHex                             // 0x..., the blob constant
)

var literalKindNames = [...]string{"", "STRING", "INTEGER", "FLOAT", "BOOLEAN", "DURATION", "UUID", "HEX"}

// String returns the kind's name as Cassandra prints it in messages such as
// "Invalid STRING constant (abc) for ...".
func (k LiteralKind) String() string {
	if int(k) < len(literalKindNames) {
		return literalKindNames[k]
	}
	return "?"
}

// Literal is a constant. Text is the constant's raw text (Cassandra's
// Constants.Literal.getRawText): the content of a string (quotes removed,
// doubled quotes undone), and the source spelling otherwise, e.g. "0xCAFE", "-12",
// "1.5e3", "TRUE", "NaN", "-Infinity", "1h30m".
type Literal struct {
	Kind LiteralKind
	Text string
}

// Null is the NULL literal.
type Null struct{}

// BindMarker is a bind variable: '?' or ':name'. Index is its position
// among the statement's markers (0-based, in order of appearance). Name is
// empty for '?' and the folded name for ':name'.
type BindMarker struct {
	Index int
	Name  Ident
}

// ListLiteral is [e1, e2, ...].
type ListLiteral struct{ Elems []Term }

// SetLiteral is {e1, e2, ...}; {} is an empty SetLiteral, which Cassandra
// also accepts for a map receiver.
type SetLiteral struct{ Elems []Term }

// MapLiteral is {k1: v1, ...}.
type MapLiteral struct{ Entries []MapEntry }

// MapEntry is one key: value pair of a MapLiteral.
type MapEntry struct{ Key, Value Term }

// UDTLiteral is {field: value, ...}; the receiver decides whether such a
// literal is a user type value (a map literal whose keys are names).
type UDTLiteral struct{ Fields []UDTField }

// UDTField is one field of a UDTLiteral.
type UDTField struct {
	Name  Ident
	Value Term
}

// TupleLiteral is (e1, e2, ...).
type TupleLiteral struct{ Elems []Term }

// FunctionCall is a function applied to terms, e.g. now(), toTimestamp(?),
// token(?), blobAsText(0x61), ks.myfn(1). The name is kept as Cassandra
// keeps it: unquoted names lower-cased, except that unquoted unreserved
// keywords (such as "Map") keep their spelling.
type FunctionCall struct {
	Name QualifiedName
	Args []Term
}

// TypeHint is (type) term, Cassandra's TypeCast.
type TypeHint struct {
	Type  *CQLType
	Value Term
}

func (*Literal) term()      {}
func (*Null) term()         {}
func (*BindMarker) term()   {}
func (*ListLiteral) term()  {}
func (*SetLiteral) term()   {}
func (*MapLiteral) term()   {}
func (*UDTLiteral) term()   {}
func (*TupleLiteral) term() {}
func (*FunctionCall) term() {}
func (*TypeHint) term()     {}

// ---------------------------------------------------------------------------
// Types

// TypeKind tells which form a CQLType has.
type TypeKind uint8

// Type kinds.
const (
	TypeNative TypeKind = iota + 1 // int, text, ...: Name holds the name
	TypeList                       // list<Params[0]>
	TypeSet                        // set<Params[0]>
	TypeMap                        // map<Params[0], Params[1]>
	TypeTuple                      // tuple<Params...>
	TypeFrozen                     // frozen<Params[0]>
	TypeUDT                        // a user type: UDT holds its name
	TypeCustom                     // 'class name': Name holds the class string
)

// CQLType is a type as written in a statement (Cassandra's CQL3Type.Raw).
type CQLType struct {
	Kind TypeKind
	// Name is the lower-case native type name ("int", "varchar", ...) or
	// the class string of a custom type.
	Name   string
	UDT    QualifiedName
	Params []*CQLType
}

// ---------------------------------------------------------------------------
// Selection

// Selector is one element of a SELECT clause (Cassandra's Selectable.Raw).
type Selector interface{ selector() }

// ColumnSelector selects a column.
type ColumnSelector struct{ Column Ident }

// TermSelector selects a literal, bind marker or type-hinted value.
type TermSelector struct{ Value Term }

// CountRowsSelector is count(*).
type CountRowsSelector struct{}

// WritetimeSelector is writetime(column), or ttl(column) when TTL is set.
type WritetimeSelector struct {
	Column Ident
	TTL    bool
}

// CastSelector is CAST(arg AS type); Type is a native type name.
type CastSelector struct {
	Arg  Selector
	Type string
}

// FunctionSelector is a function or aggregate applied to selectors, e.g.
// token(k), max(v), toJson(m), count(1).
type FunctionSelector struct {
	Name QualifiedName
	Args []Selector
}

// FieldSelector selects a field of a user type value: Target.Field.
type FieldSelector struct {
	Target Selector
	Field  Ident
}

func (*ColumnSelector) selector()    {}
func (*TermSelector) selector()      {}
func (*CountRowsSelector) selector() {}
func (*WritetimeSelector) selector() {}
func (*CastSelector) selector()      {}
func (*FunctionSelector) selector()  {}
func (*FieldSelector) selector()     {}

// SelectItem is a selector with its optional alias (Alias.Name == "" when
// there is none).
type SelectItem struct {
	Selector Selector
	Alias    Ident
}

// ---------------------------------------------------------------------------
// WHERE clauses and conditions

// Operator is a relation or condition operator.
type Operator uint8

// Operators.
const (
	OpEQ          Operator = iota + 1 // =
	OpLT                              // <
	OpLTE                             // <=
	OpGT                              // >
	OpGTE                             // >=
	OpNEQ                             // !=
	OpIN                              // IN
	OpContains                        // CONTAINS
	OpContainsKey                     // CONTAINS KEY
	OpLike                            // LIKE
	OpIsNot                           // IS NOT (only IS NOT NULL)
)

var operatorText = [...]string{"", "=", "<", "<=", ">", ">=", "!=", "IN", "CONTAINS", "CONTAINS KEY", "LIKE", "IS NOT"}

// String returns the operator as Cassandra prints it (Operator.toString).
func (o Operator) String() string {
	if int(o) < len(operatorText) {
		return operatorText[o]
	}
	return "?"
}

// Relation is one restriction of a WHERE clause.
type Relation interface{ relation() }

// ColumnRelation restricts one column (Cassandra's SingleColumnRelation):
// c op v, c IN (...), c IN ?, c CONTAINS [KEY] v, c LIKE v, c IS NOT NULL,
// or m[k] op v when MapKey is set. For IN, Value holds the marker of
// "IN ?", otherwise InValues holds the list (possibly empty, never nil).
// IS NOT NULL has Op OpIsNot and a *Null Value.
type ColumnRelation struct {
	Column   Ident
	MapKey   Term
	Op       Operator
	Value    Term
	InValues []Term
}

// TokenRelation is token(c1, c2, ...) op term.
type TokenRelation struct {
	Columns []Ident
	Op      Operator
	Value   Term
}

// TupleRelation is a multi-column relation: (c1, c2) op (v1, v2), with
// Value a *TupleLiteral or a *BindMarker; or (c1, c2) IN ((..), (..)) with
// InValues holding tuple literals or markers (empty for IN ()), or
// (c1, c2) IN ? with Value the marker.
type TupleRelation struct {
	Columns  []Ident
	Op       Operator
	Value    Term
	InValues []Term
}

// CustomIndexExpr is expr(index_name, term).
type CustomIndexExpr struct {
	Index Ident
	Value Term
}

func (*ColumnRelation) relation()  {}
func (*TokenRelation) relation()   {}
func (*TupleRelation) relation()   {}
func (*CustomIndexExpr) relation() {}

// Condition is one IF condition of an UPDATE or DELETE: c op v, c IN ...,
// c[elem] op v or c.field op v. For IN, Value holds the marker of "IN ?",
// otherwise InValues holds the list.
type Condition struct {
	Column   Ident
	Elem     Term  // c[elem]
	Field    Ident // c.field; Field.Name == "" when absent
	Op       Operator
	Value    Term
	InValues []Term
}

// ---------------------------------------------------------------------------
// Modifications

// UsingKind tells a USING item's kind.
type UsingKind uint8

// USING items.
const (
	UsingTimestamp UsingKind = iota + 1
	UsingTTL
)

// UsingItem is TIMESTAMP v or TTL v of a USING clause; Value is an integer
// literal or a bind marker.
type UsingItem struct {
	Kind  UsingKind
	Value Term
}

// Using is a USING clause, items in the order written. When an item is
// repeated the last one counts, as in Cassandra.
type Using []UsingItem

// Timestamp returns the USING TIMESTAMP value, or nil.
func (u Using) Timestamp() Term { return u.last(UsingTimestamp) }

// TTL returns the USING TTL value, or nil.
func (u Using) TTL() Term { return u.last(UsingTTL) }

func (u Using) last(k UsingKind) Term {
	for i := len(u) - 1; i >= 0; i-- {
		if u[i].Kind == k {
			return u[i].Value
		}
	}
	return nil
}

// AssignKind is the form of an UPDATE assignment (Cassandra's
// Operation.RawUpdate implementations).
type AssignKind uint8

// Assignment forms.
const (
	AssignSet      AssignKind = iota + 1 // c = v
	AssignElement                        // c[key] = v
	AssignField                          // c.field = v
	AssignAdd                            // c = c + v, c += v, c = c -3
	AssignSubtract                       // c = c - v, c -= v
	AssignPrepend                        // c = v + c
)

// Assignment is one SET item of an UPDATE.
type Assignment struct {
	Column Ident
	Kind   AssignKind
	Key    Term  // AssignElement
	Field  Ident // AssignField
	Value  Term
}

// Deletion is one item of a DELETE selection: c, c[elem] or c.field.
type Deletion struct {
	Column Ident
	Elem   Term
	Field  Ident
}

// ---------------------------------------------------------------------------
// Properties

// Property is one name = value item of a WITH clause. Values are kept as
// raw text, as Cassandra's PropertyDefinitions keeps them ('3' and 3 are the
// same); a map value keeps its entries in the order written.
type Property struct {
	Name  Ident
	Value string
	IsMap bool
	Map   []MapProperty
}

// MapProperty is one entry of a map-valued property.
type MapProperty struct{ Key, Value string }

// Ordering is a column with a direction, in ORDER BY and CLUSTERING ORDER BY.
type Ordering struct {
	Column Ident
	Desc   bool
}

// TableOptions are the WITH options of CREATE TABLE and CREATE
// MATERIALIZED VIEW.
type TableOptions struct {
	Properties      []Property
	CompactStorage  bool
	ClusteringOrder []Ordering
}
