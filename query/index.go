package query

import (
	"fmt"
	"math"
	"slices"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/thriftgen"
)

// Op is an index expression operator. Its values are Thrift's
// IndexOperator values.
type Op int

// The operators, as pycassa's index module defines them.
const (
	EQ  Op = Op(thriftgen.IndexOperator_EQ)
	GTE Op = Op(thriftgen.IndexOperator_GTE)
	GT  Op = Op(thriftgen.IndexOperator_GT)
	LTE Op = Op(thriftgen.IndexOperator_LTE)
	LT  Op = Op(thriftgen.IndexOperator_LT)
)

// String returns the operator's symbol: =, >=, >, <= or <.
func (o Op) String() string {
	switch o {
	case EQ:
		return "="
	case GTE:
		return ">="
	case GT:
		return ">"
	case LTE:
		return "<="
	case LT:
		return "<"
	}
	return fmt.Sprintf("Op(%d)", int(o))
}

// Expr is one condition of an index clause: a column, an operator and a
// value, all unpacked Go values (packing waits for the column's validator).
type Expr struct {
	Column any
	Op     Op
	Value  any
}

// String reads e.g. `state = "UT"` or `birthdate > 1970`; byte strings
// show as hex (0x0102).
func (x Expr) String() string {
	v := show(x.Value)
	if s, ok := x.Value.(string); ok {
		v = fmt.Sprintf("%q", s)
	}
	return show(x.Column) + " " + x.Op.String() + " " + v
}

// show formats a name, key or value for messages.
func show(v any) string {
	if b, ok := v.([]byte); ok {
		return fmt.Sprintf("0x%x", b)
	}
	return fmt.Sprint(v)
}

// DefaultLimit is the row count of an index clause without Limit, as in
// pycassa's create_index_clause.
const DefaultLimit = 100

// IndexQuery is an index clause under construction: expressions combined
// with AND, a start key and a row limit. It is an immutable value: every
// method returns a new IndexQuery and leaves its receiver alone, so a base
// query can be shared and extended safely, also between goroutines. The
// zero value is an empty clause.
//
// Misuse (a nil column or value, a bad limit) is recorded and returned by
// Spec, Validate and Build rather than panicking or failing mid-chain.
type IndexQuery struct {
	exprs     []Expr
	start     any
	limit     int
	limitSet  bool
	unlimited bool
	err       error
}

// Cond is an IndexQuery waiting for the operator of its last column:
// Where("state") is a Cond, Where("state").Eq("UT") an IndexQuery.
type Cond struct {
	q   IndexQuery
	col any
}

// Where starts an index clause with a condition on column.
func Where(column any) Cond { return IndexQuery{}.And(column) }

// And adds a condition on column, combined with the others by AND.
func (q IndexQuery) And(column any) Cond { return Cond{q: q, col: column} }

// Eq adds column = v.
func (c Cond) Eq(v any) IndexQuery { return c.op(EQ, v) }

// Gt adds column > v.
func (c Cond) Gt(v any) IndexQuery { return c.op(GT, v) }

// Gte adds column >= v.
func (c Cond) Gte(v any) IndexQuery { return c.op(GTE, v) }

// Lt adds column < v.
func (c Cond) Lt(v any) IndexQuery { return c.op(LT, v) }

// Lte adds column <= v.
func (c Cond) Lte(v any) IndexQuery { return c.op(LTE, v) }

// Op adds column op v with an operator chosen at run time.
func (c Cond) Op(op Op, v any) IndexQuery {
	if (op < EQ || op > LT) && c.q.err == nil {
		c.q.err = invalid("unknown operator %d on column %v", int(op), c.col)
	}
	return c.op(op, v)
}

func (c Cond) op(op Op, v any) IndexQuery {
	q := c.q
	switch {
	case q.err != nil:
	case c.col == nil:
		q.err = invalid("nil column name")
	case v == nil:
		q.err = invalid("nil value for column %v", c.col)
	}
	// Clip so that append always copies: q's receiver keeps its own slice.
	q.exprs = append(slices.Clip(q.exprs), Expr{Column: c.col, Op: op, Value: v})
	return q
}

// StartKey makes the clause return rows from key on (inclusive). nil or
// "" starts at the beginning, the default.
func (q IndexQuery) StartKey(key any) IndexQuery {
	q.start = key
	return q
}

// Limit caps the rows returned at n (1 ≤ n ≤ 2³¹−1); the default is
// DefaultLimit.
func (q IndexQuery) Limit(n int) IndexQuery {
	if (n < 1 || n > math.MaxInt32) && q.err == nil {
		q.err = invalid("Limit(%d): want 1 to %d; use Unlimited for all rows", n, math.MaxInt32)
	}
	q.limit, q.limitSet, q.unlimited = n, true, false
	return q
}

// Unlimited lifts the row limit (pycassa's count=None): every matching
// row is returned, page by page.
func (q IndexQuery) Unlimited() IndexQuery {
	q.limit, q.limitSet, q.unlimited = 0, true, true
	return q
}

// IndexSpec is an index clause as plain data, for session/ and orm/.
type IndexSpec struct {
	Expressions []Expr // in the order written; at least one for a valid clause
	StartKey    any    // nil when the clause starts at the first row
	Count       int    // the row limit (DefaultLimit unless set), or NoLimit
}

// NoLimit is IndexSpec.Count for an Unlimited clause. It is -1, the value
// session.Unlimited has, so a spec copies field by field into a
// session.IndexClause.
const NoLimit = -1

// Spec returns the clause as plain data (a copy: changing it does not
// change q), or the first builder error.
func (q IndexQuery) Spec() (IndexSpec, error) {
	if q.err != nil {
		return IndexSpec{}, q.err
	}
	s := IndexSpec{Expressions: slices.Clone(q.exprs), StartKey: q.start, Count: q.count()}
	if s.Count == 0 {
		s.Count = NoLimit
	}
	if unbounded(q.start) {
		s.StartKey = nil
	}
	return s, nil
}

// count is the row limit; 0 means none (Spec reports it as NoLimit).
func (q IndexQuery) count() int {
	switch {
	case q.unlimited:
		return 0
	case q.limitSet:
		return q.limit
	}
	return DefaultLimit
}

// Err returns the first builder error, if any.
func (q IndexQuery) Err() error { return q.err }

// String shows the clause, e.g. `state = "UT" AND birthdate > 1970 LIMIT 20`.
func (q IndexQuery) String() string {
	s := ""
	for i, x := range q.exprs {
		if i > 0 {
			s += " AND "
		}
		s += x.String()
	}
	if !unbounded(q.start) {
		s += " FROM " + show(q.start)
	}
	if n := q.count(); n > 0 {
		s += fmt.Sprintf(" LIMIT %d", n)
	}
	return s
}

// Validate refuses, before anything is sent, a clause Cassandra would
// refuse: a builder error, an empty clause (ErrEmpty), or one with no EQ
// expression on a column for which indexed reports true (ErrNoIndexedEQ).
// Both refusals are *ClauseError values listing the expressions. A nil
// indexed accepts an EQ on any column (for callers without a schema).
func (q IndexQuery) Validate(indexed func(column any) bool) error {
	if q.err != nil {
		return q.err
	}
	if len(q.exprs) == 0 {
		return &ClauseError{Err: ErrEmpty}
	}
	var idx []any
	ok := false
	for _, x := range q.exprs {
		isIdx := indexed == nil || indexed(x.Column)
		if isIdx && indexed != nil && !slices.ContainsFunc(idx, func(c any) bool { return sameColumn(c, x.Column) }) {
			idx = append(idx, x.Column)
		}
		if isIdx && x.Op == EQ {
			ok = true
		}
	}
	if ok {
		return nil
	}
	return &ClauseError{Err: ErrNoIndexedEQ, Exprs: slices.Clone(q.exprs), Indexed: idx}
}

// sameColumn compares column names without panicking on uncomparable
// values (a []byte name).
func sameColumn(a, b any) bool {
	return fmt.Sprintf("%T:%v", a, a) == fmt.Sprintf("%T:%v", b, b)
}

// Build packs the clause into Thrift's IndexClause: names with PackName
// (NoBound), values with PackValue (so the column's validator applies, as
// in pycassa's get_indexed_slices) and the start key with PackKey; an
// unbounded start key is sent empty without packing. An unlimited clause
// gets count 2³¹−1; session/ pages it with smaller counts. Build refuses an
// empty clause and a value that packs to more than 65535 bytes (Cassandra
// refuses both) but does not check for an indexed EQ: call Validate with
// the schema first.
func (q IndexQuery) Build(p Packer) (*thriftgen.IndexClause, error) {
	exprs, err := q.Expressions(p)
	if err != nil {
		return nil, err
	}
	if len(exprs) == 0 {
		return nil, &ClauseError{Err: ErrEmpty}
	}
	start, err := packKeyBound(p, q.start, "start")
	if err != nil {
		return nil, err
	}
	c := &thriftgen.IndexClause{Expressions: exprs, StartKey: start, Count: math.MaxInt32}
	if n := q.count(); n > 0 {
		c.Count = int32(n)
	}
	return c, nil
}

// Expressions packs only the expressions, for KeyRange.row_filter.
func (q IndexQuery) Expressions(p Packer) ([]*thriftgen.IndexExpression, error) {
	if q.err != nil {
		return nil, q.err
	}
	return packExprs(q.exprs, p)
}

// maxExprValue is Cassandra's limit on an index expression value
// ("Index expression values may not be larger than 64K").
const maxExprValue = 0xffff

func packExprs(exprs []Expr, p Packer) ([]*thriftgen.IndexExpression, error) {
	out := make([]*thriftgen.IndexExpression, 0, len(exprs))
	for _, x := range exprs {
		name, err := p.PackName(x.Column, codec.NoBound)
		if err != nil {
			return nil, fmt.Errorf("query: packing column name %v: %w", x.Column, err)
		}
		val, err := p.PackValue(x.Column, x.Value)
		if err != nil {
			return nil, fmt.Errorf("query: packing value of column %v: %w", x.Column, err)
		}
		if len(val) > maxExprValue {
			return nil, invalid("the value for column %v packs to %d bytes; Cassandra refuses index expression values over 64K", x.Column, len(val))
		}
		out = append(out, &thriftgen.IndexExpression{ColumnName: name, Op: thriftgen.IndexOperator(x.Op), Value: val})
	}
	return out, nil
}
