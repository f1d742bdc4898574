package query

import (
	"fmt"
	"slices"

	"github.com/cassa-go/cassa/codec"
)

// Op is the operator of a relation.
type Op uint8

// The operators. Thrift's index clauses and row filters take OpEq, OpGt,
// OpGte, OpLt and OpLte (its IndexOperator); CQL takes them all.
const (
	OpEq          Op = iota + 1 // column = value
	OpGt                        // column > value
	OpGte                       // column >= value
	OpLt                        // column < value
	OpLte                       // column <= value
	OpIn                        // column IN (values...); Value is a []any
	OpContains                  // a collection column CONTAINS value
	OpContainsKey               // a map column CONTAINS KEY value
)

var opText = [...]string{OpEq: "=", OpGt: ">", OpGte: ">=", OpLt: "<", OpLte: "<=",
	OpIn: "IN", OpContains: "CONTAINS", OpContainsKey: "CONTAINS KEY"}

// String returns the operator as CQL writes it: =, >, >=, <, <=, IN,
// CONTAINS or CONTAINS KEY.
func (o Op) String() string {
	if o >= OpEq && int(o) < len(opText) {
		return opText[o]
	}
	return fmt.Sprintf("Op(%d)", uint8(o))
}

// Relation is one condition on a column: the column, an operator and a
// value, all unpacked Go values. Packing waits for the code that sends it,
// which knows the column's type.
type Relation struct {
	Column any
	Op     Op
	Value  any // a []any for OpIn
}

// String reads e.g. `state = "UT"`, `birthdate > 1970` or `id IN (1, 2)`;
// byte strings show as hex (0x0102).
func (r Relation) String() string {
	return show(r.Column) + " " + r.Op.String() + " " + showValue(r.Value)
}

func showValue(v any) string {
	switch x := v.(type) {
	case string:
		return codec.FormatKeyValue(nil, x)
	case []any:
		s := "("
		for i, e := range x {
			if i > 0 {
				s += ", "
			}
			s += showValue(e)
		}
		return s + ")"
	}
	return show(v)
}

// show formats a name, key or value for messages: a short string as it
// is, anything else (and a string longer than codec.KeyExcerpt) as
// codec.FormatKeyValue renders it, cut when long.
func show(v any) string {
	if s, ok := v.(string); ok && len(s) <= codec.KeyExcerpt {
		return s
	}
	return codec.FormatKeyValue(nil, v)
}

// Cond is a Select waiting for the operator of its last column:
// Where("state") is a Cond, Where("state").Eq("UT") a Select.
type Cond struct {
	s   Select
	col any
}

// Where starts a select with a condition on column.
func Where(column any) Cond { return Select{}.And(column) }

// And adds a condition on column, combined with the others by AND.
func (s Select) And(column any) Cond { return Cond{s: s, col: column} }

// Eq adds column = v.
func (c Cond) Eq(v any) Select { return c.Op(OpEq, v) }

// Gt adds column > v.
func (c Cond) Gt(v any) Select { return c.Op(OpGt, v) }

// Gte adds column >= v.
func (c Cond) Gte(v any) Select { return c.Op(OpGte, v) }

// Lt adds column < v.
func (c Cond) Lt(v any) Select { return c.Op(OpLt, v) }

// Lte adds column <= v.
func (c Cond) Lte(v any) Select { return c.Op(OpLte, v) }

// In adds column IN (vs...): at least one value.
func (c Cond) In(vs ...any) Select {
	if len(vs) == 0 {
		c.s = c.s.fail("In on column %v with no values", c.col)
	}
	return c.Op(OpIn, slices.Clone(vs))
}

// Contains adds column CONTAINS v, for a collection column.
func (c Cond) Contains(v any) Select { return c.Op(OpContains, v) }

// ContainsKey adds column CONTAINS KEY v, for a map column.
func (c Cond) ContainsKey(v any) Select { return c.Op(OpContainsKey, v) }

// Op adds column op v with an operator chosen at run time.
func (c Cond) Op(op Op, v any) Select {
	s := c.s
	switch {
	case c.col == nil:
		s = s.fail("nil column name")
	case op < OpEq || op > OpContainsKey:
		s = s.fail("unknown operator %d on column %v", uint8(op), c.col)
	case v == nil:
		s = s.fail("nil value for column %v", c.col)
	}
	if xs, ok := v.([]any); ok && op == OpIn && slices.Contains(xs, nil) {
		s = s.fail("nil value in In on column %v", c.col)
	}
	// Clip so that append always copies: c's Select keeps its own slice.
	s.relations = append(slices.Clip(s.relations), Relation{Column: c.col, Op: op, Value: v})
	return s
}
