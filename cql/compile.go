package cql

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/internal/cqltype"
	"github.com/cassa-go/cassa/query"
)

// This file is where a query.Select becomes a CQL SELECT: the twin of
// thrift/columnfamily/compile.go. It also refuses, before anything is
// sent, what Cassandra 3.11 would refuse when preparing the statement
// (SelectStatement.RawStatement.prepare and StatementRestrictions), with
// Cassandra's own message, so that a query that works here works on every
// Cassandra from 3.11 on.

// requiresAllowFiltering is StatementRestrictions.REQUIRES_ALLOW_FILTERING_MESSAGE.
const requiresAllowFiltering = "Cannot execute this query as it might involve data filtering and thus may have " +
	"unpredictable performance. If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING"

// Compile turns q into a SELECT on table t: the statement's text and its
// bound values, in order. Names, values and keys are passed through as Go
// values for gocql to marshal (a mapper resolves field names and types
// first, with query.Select.Resolve).
//
// What a Select becomes:
//
//   - Columns: the projection; without it, every column of t.Columns in
//     Cassandra's SELECT * order (never "*" when the columns are known, so
//     that a prepared statement survives ALTER TABLE ADD).
//   - relations (Where/And): column = ?, IN ?, >, >=, <, <=, CONTAINS ?,
//     CONTAINS KEY ?, in the order written. IN binds its values as one
//     list, so the statement's text does not depend on their number.
//   - Slice(start, finish): bounds on the clustering columns, both
//     inclusive unless an end is wrapped in codec.Exclusive; a codec.Tuple
//     end bounds several clustering columns at once ((c1, c2) >= (?, ?)).
//     With Reversed, start is the high end, as on Thrift.
//   - Reversed: ORDER BY every clustering column against its declared
//     order.
//   - Keys(start, finish), StartKey: token(pk) >= token(?) and <= token(?)
//     (a composite key as a codec.Tuple or []any of its components);
//     Tokens(start, finish) and UntilToken: token(pk) > ? and <= ?, the
//     token given as the partitioner prints it.
//   - PerPartitionLimit, Limit: PER PARTITION LIMIT ?, LIMIT ?.
//   - AllowFiltering: ALLOW FILTERING.
//
// A refusal is a *cassa.InvalidRequestError whose Why is Cassandra's
// message (e.g. the ALLOW FILTERING one), the same error the server would
// give; a Select this package cannot express at all (a non-string column
// name, Reversed on a table without clustering columns) fails with
// ErrInvalidOption, and a nil Table with a *cassa.ArgumentError.
func Compile(t *Table, q query.Select) (Statement, error) {
	if t == nil {
		return Statement{}, &cassa.ArgumentError{Func: "cql.Compile", Arg: "t", Why: "is nil (read it with Session.Table)"}
	}
	p, err := q.Parts()
	if err != nil {
		return Statement{}, err
	}
	c := &compiler{t: t, p: &p, byCol: map[string]*restriction{}}
	if err := c.compile(); err != nil {
		return Statement{}, err
	}
	return Statement{CQL: c.b.String(), Args: c.args}, nil
}

// kinds of columns.
type colKind uint8

const (
	kindPartition colKind = iota
	kindClustering
	kindRegular
	kindStatic
)

// restriction is what the relations on one column (or one multi-column
// relation on clustering columns) amount to, as Cassandra merges them
// (SingleColumnRestriction, MultiColumnRestriction).
type restriction struct {
	cols         []string // one, or the columns of a multi-column relation
	kind         colKind
	pos          int // position of the first column in the partition key or clustering
	lastPos      int
	typ          *cqltype.Type
	eq, in       bool
	inValues     int
	lower, upper bool
	contains     int // CONTAINS and CONTAINS KEY values
	multi        bool
}

func (r *restriction) isSlice() bool    { return r.lower || r.upper }
func (r *restriction) isContains() bool { return r.contains > 0 }
func (r *restriction) name() string     { return r.cols[0] }

type compiler struct {
	t *Table
	p *query.Parts

	b    strings.Builder
	args []any

	where []string // WHERE terms, in order
	// restrictions by column, and in the order they were added, per kind
	byCol      map[string]*restriction
	pk, ck, np []*restriction
	token      bool // a token range on the partition key
	selected   []string
	filtering  bool

	renderOnly bool  // render the text without refusing (tests)
	refused    error // the first refusal when renderOnly
}

// refuse is the error for a select Cassandra would refuse, with
// Cassandra's message. When the compiler only renders (for tests that
// check that Cassandra refuses the same), it notes the first refusal and
// lets compilation go on.
func (c *compiler) refuse(format string, args ...any) error {
	err := &cassa.InvalidRequestError{Why: fmt.Sprintf(format, args...), Op: "compile SELECT FROM " + c.t.qualified()}
	if c.renderOnly {
		if c.refused == nil {
			c.refused = err
		}
		return nil
	}
	return err
}

func misuse(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidOption}, args...)...)
}

// qualified is the table's name as the statement writes it.
func (t *Table) qualified() string {
	if t.Keyspace != "" {
		return quoteIdent(t.Keyspace) + "." + quoteIdent(t.Name)
	}
	return quoteIdent(t.Name)
}

// columnType reads a column's type as the live schema or a mapper gives
// it; nil when there is none or it does not parse, which leaves the type
// rules to the server.
func columnType(s string) *cqltype.Type {
	t, err := cqltype.ParseStored(s)
	if err != nil {
		return nil
	}
	return t
}

// durationIn reports whether t is or holds a duration, and where, as
// Cassandra's messages name it.
func durationIn(t *cqltype.Type) string {
	if t == nil {
		return ""
	}
	if t.Kind == "duration" {
		return "duration columns"
	}
	for _, p := range t.Params {
		if durationIn(p) != "" {
			switch {
			case t.IsCollection():
				return "collections containing durations"
			case t.Kind == "tuple":
				return "tuples containing durations"
			}
			return "UDTs containing durations"
		}
	}
	return ""
}

// kindOf places a column; ok is false for a column the table does not
// have (known only when t.Columns is given).
func (c *compiler) kindOf(name string) (kind colKind, pos int, typ *cqltype.Type, ok bool) {
	col, known := c.t.column(name)
	typ = columnType(col.Type)
	if i := slices.Index(c.t.PartitionKey, name); i >= 0 {
		return kindPartition, i, typ, true
	}
	for i, ck := range c.t.Clustering {
		if ck.Name == name {
			return kindClustering, i, typ, true
		}
	}
	if known {
		if col.Static {
			return kindStatic, 0, typ, true
		}
		return kindRegular, 0, typ, true
	}
	return kindRegular, 0, nil, len(c.t.Columns) == 0
}

func (c *compiler) compile() error {
	t, p := c.t, c.p
	if t.Name == "" {
		return misuse("Compile: the table has no name")
	}
	if len(t.PartitionKey) == 0 {
		return misuse("Compile: table %s has no partition key", t.qualified())
	}
	c.filtering = p.AllowFiltering

	if err := c.selection(); err != nil {
		return err
	}
	if err := c.tokenRange(); err != nil {
		return err
	}
	for _, r := range p.Relations {
		if err := c.relation(r); err != nil {
			return err
		}
	}
	if err := c.slice(); err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return err
	}

	c.b.WriteString("SELECT ")
	c.b.WriteString(strings.Join(c.selected, ", "))
	c.b.WriteString(" FROM ")
	c.b.WriteString(t.qualified())
	if len(c.where) > 0 {
		c.b.WriteString(" WHERE ")
		c.b.WriteString(strings.Join(c.where, " AND "))
	}
	if p.Reversed {
		c.b.WriteString(" ORDER BY ")
		for i, ck := range t.Clustering {
			if i > 0 {
				c.b.WriteString(", ")
			}
			c.b.WriteString(quoteIdent(ck.Name))
			if ck.Descending {
				c.b.WriteString(" ASC")
			} else {
				c.b.WriteString(" DESC")
			}
		}
	}
	if p.PerPartitionLimit > 0 {
		c.b.WriteString(" PER PARTITION LIMIT ?")
		c.args = append(c.args, p.PerPartitionLimit)
	}
	if p.Limit > 0 {
		c.b.WriteString(" LIMIT ?")
		c.args = append(c.args, p.Limit)
	}
	if p.AllowFiltering {
		c.b.WriteString(" ALLOW FILTERING")
	}
	return nil
}

// selection builds the projection.
func (c *compiler) selection() error {
	t, p := c.t, c.p
	if !p.Named {
		if len(t.Columns) == 0 {
			c.selected = []string{"*"}
			return nil
		}
		for _, col := range t.Columns {
			c.selected = append(c.selected, quoteIdent(col.Name))
		}
		return nil
	}
	if len(p.Columns) == 0 {
		return misuse("Compile: query.Columns() with no names selects nothing, which CQL cannot ask for")
	}
	for _, n := range p.Columns {
		name, ok := n.(string)
		if !ok {
			return misuse("Compile: column name %v is a %T; CQL names columns with strings", n, n)
		}
		if _, _, _, ok := c.kindOf(name); !ok {
			if err := c.refuse("Undefined column name %s", name); err != nil {
				return err
			}
		}
		c.selected = append(c.selected, quoteIdent(name))
	}
	return nil
}

// selectedCols are the names the projection reads (all columns for *).
func (c *compiler) selectedCols() []string {
	if !c.p.Named {
		names := make([]string, len(c.t.Columns))
		for i, col := range c.t.Columns {
			names[i] = col.Name
		}
		return names
	}
	names := make([]string, 0, len(c.p.Columns))
	for _, n := range c.p.Columns {
		names = append(names, n.(string))
	}
	return names
}

// tokenExpr is token(pk1, pk2, ...).
func (c *compiler) tokenExpr() string {
	cols := make([]string, len(c.t.PartitionKey))
	for i, k := range c.t.PartitionKey {
		cols[i] = quoteIdent(k)
	}
	return "token(" + strings.Join(cols, ", ") + ")"
}

// tokenRange turns key and token bounds into token relations.
func (c *compiler) tokenRange() error {
	p := c.p
	if p.StartKey == nil && p.FinishKey == nil && !p.HasStartToken && !p.HasFinishToken {
		return nil
	}
	c.token = true
	expr := c.tokenExpr()
	keyTerm := func(key any) (string, error) {
		parts := []any{key}
		switch k := key.(type) {
		case codec.Tuple:
			parts = k
		case []any:
			parts = k
		}
		if len(parts) != len(c.t.PartitionKey) {
			return "", misuse("Compile: key %v has %d components; the partition key of %s has %d", key, len(parts), c.t.qualified(), len(c.t.PartitionKey))
		}
		c.args = append(c.args, parts...)
		return "token(" + strings.TrimSuffix(strings.Repeat("?, ", len(parts)), ", ") + ")", nil
	}
	switch {
	case p.HasStartToken:
		v, err := c.tokenValue(p.StartToken)
		if err != nil {
			return err
		}
		c.where = append(c.where, expr+" > ?")
		c.args = append(c.args, v)
	case p.StartKey != nil:
		term, err := keyTerm(p.StartKey)
		if err != nil {
			return err
		}
		c.where = append(c.where, expr+" >= "+term)
	}
	switch {
	case p.HasFinishToken:
		v, err := c.tokenValue(p.FinishToken)
		if err != nil {
			return err
		}
		c.where = append(c.where, expr+" <= ?")
		c.args = append(c.args, v)
	case p.FinishKey != nil:
		term, err := keyTerm(p.FinishKey)
		if err != nil {
			return err
		}
		c.where = append(c.where, expr+" <= "+term)
	}
	return nil
}

// tokenValue converts a token as the partitioner prints it to the Go
// value of the token's CQL type.
func (c *compiler) tokenValue(s string) (any, error) {
	part := c.t.Partitioner
	if i := strings.LastIndexByte(part, '.'); i >= 0 {
		part = part[i+1:]
	}
	switch part {
	case "", "Murmur3Partitioner":
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, misuse("Compile: token %q is not a Murmur3 token (a 64-bit integer)", s)
		}
		return v, nil
	case "RandomPartitioner":
		v, ok := new(big.Int).SetString(s, 10)
		if !ok {
			return nil, misuse("Compile: token %q is not a RandomPartitioner token (an integer)", s)
		}
		return v, nil
	case "ByteOrderedPartitioner":
		v, err := hex.DecodeString(s)
		if err != nil {
			return nil, misuse("Compile: token %q is not a ByteOrderedPartitioner token (hex bytes)", s)
		}
		return v, nil
	case "OrderPreservingPartitioner":
		return s, nil
	}
	return nil, misuse("Compile: tokens of partitioner %s are not supported", c.t.Partitioner)
}

// relation checks one relation as SingleColumnRelation.toRestriction does,
// merges it into its column's restriction, and writes its WHERE term.
func (c *compiler) relation(r query.Relation) error {
	name, ok := r.Column.(string)
	if !ok {
		return misuse("Compile: column name %v is a %T; CQL names columns with strings", r.Column, r.Column)
	}
	kind, pos, typ, ok := c.kindOf(name)
	if !ok {
		if err := c.refuse("Undefined column name %s", name); err != nil {
			return err
		}
	}
	op := r.Op
	// SingleColumnRelation: IN with one value on a non-key column is an EQ.
	if op == query.OpIn && (kind == kindRegular || kind == kindStatic) {
		vals, _ := r.Value.([]any)
		if len(vals) != 1 {
			if err := c.refuse("IN predicates on non-primary-key columns (%s) is not yet supported", name); err != nil {
				return err
			}
		} else {
			op, r.Value = query.OpEq, vals[0]
		}
	}
	if typ != nil {
		switch {
		case typ.IsUDT() && !typ.Frozen:
			if err := c.refuse("Non-frozen UDT column '%s' (%s) cannot be restricted by any relation", name, typ); err != nil {
				return err
			}
		case op == query.OpContainsKey && typ.Kind != "map":
			if err := c.refuse("Cannot use CONTAINS KEY on non-map column %s", name); err != nil {
				return err
			}
		case op == query.OpContains && !typ.IsCollection():
			if err := c.refuse("Cannot use CONTAINS on non-collection column %s", name); err != nil {
				return err
			}
		case typ.IsCollection() && !typ.Frozen && op != query.OpContains && op != query.OpContainsKey:
			if err := c.refuse("Collection column '%s' (%s) cannot be restricted by a '%s' relation", name, typ, op); err != nil {
				return err
			}
		case op == query.OpGt || op == query.OpGte || op == query.OpLt || op == query.OpLte:
			if where := durationIn(typ); where != "" {
				if err := c.refuse("Slice restrictions are not supported on %s", where); err != nil {
					return err
				}
			}
		}
	}
	rs := c.byCol[name]
	if rs == nil {
		rs = &restriction{cols: []string{name}, kind: kind, pos: pos, lastPos: pos, typ: typ}
	} else if err := c.merge(rs, name, op); err != nil {
		return err
	}
	switch op {
	case query.OpEq:
		rs.eq = true
	case query.OpIn:
		vals, _ := r.Value.([]any)
		rs.in, rs.inValues = true, len(vals)
	case query.OpGt, query.OpGte:
		rs.lower = true
	case query.OpLt, query.OpLte:
		rs.upper = true
	case query.OpContains, query.OpContainsKey:
		rs.contains++
	}
	if c.byCol[name] == nil {
		if err := c.add(rs); err != nil {
			return err
		}
	}
	col := quoteIdent(name)
	switch op {
	case query.OpIn:
		c.where = append(c.where, col+" IN ?")
		c.args = append(c.args, r.Value)
	default:
		c.where = append(c.where, col+" "+op.String()+" ?")
		c.args = append(c.args, r.Value)
	}
	return nil
}

// merge checks a new relation against the column's existing ones
// (SingleColumnRestriction.mergeWith).
func (c *compiler) merge(rs *restriction, col string, op query.Op) error {
	name := rs.name()
	switch {
	case rs.multi:
		// MultiColumnRestriction.mergeWith: the new relation on col
		// becomes a one-column restriction of the same kind and merges
		// with the multi-column slice (SliceRestriction.doMergeWith).
		_, pos, _, _ := c.kindOf(col)
		return c.mergeSlices(rs, col, pos, col, op)
	case rs.eq:
		if err := c.refuse("%s cannot be restricted by more than one relation if it includes an Equal", name); err != nil {
			return err
		}
	case rs.in:
		if err := c.refuse("%s cannot be restricted by more than one relation if it includes a IN", name); err != nil {
			return err
		}
	case rs.isContains():
		if op != query.OpContains && op != query.OpContainsKey {
			if err := c.refuse("Collection column %s can only be restricted by CONTAINS, CONTAINS KEY, or map-entry equality", name); err != nil {
				return err
			}
		}
	case rs.isSlice():
		switch op {
		case query.OpEq, query.OpIn:
			if err := c.refuse("Column \"%s\" cannot be restricted by both an equality and an inequality relation", name); err != nil {
				return err
			}
		case query.OpGt, query.OpGte:
			if rs.lower {
				if err := c.refuse("More than one restriction was found for the start bound on %s", name); err != nil {
					return err
				}
			}
		case query.OpLt, query.OpLte:
			if rs.upper {
				if err := c.refuse("More than one restriction was found for the end bound on %s", name); err != nil {
					return err
				}
			}
		case query.OpContains, query.OpContainsKey:
			if err := c.refuse("Collection column %s can only be restricted by CONTAINS, CONTAINS KEY, or map-entry equality", name); err != nil {
				return err
			}
		}
	}
	return nil
}

// add registers a new restriction; for clustering columns it runs the
// ordering checks of ClusteringColumnRestrictions.mergeWith (without
// ALLOW FILTERING).
func (c *compiler) add(rs *restriction) error {
	for _, n := range rs.cols {
		c.byCol[n] = rs
	}
	switch rs.kind {
	case kindPartition:
		c.pk = append(c.pk, rs)
	case kindClustering:
		if len(c.ck) > 0 && !c.filtering {
			// The last restriction is the one on the last restricted
			// column; its position is that of its first column.
			last := c.ck[0]
			for _, x := range c.ck {
				if x.lastPos > last.lastPos {
					last = x
				}
			}
			if last.isSlice() && rs.pos > last.pos {
				if err := c.refuse("Clustering column \"%s\" cannot be restricted (preceding column \"%s\" is restricted by a non-EQ relation)",
					rs.name(), last.name()); err != nil {
					return err
				}
			}
			if rs.pos < last.pos && rs.isSlice() {
				// RestrictionSet.nextColumn: the first restricted column
				// after the new one.
				next := len(c.t.Clustering)
				for _, x := range c.ck {
					for p := x.pos; p <= x.lastPos; p++ {
						if p > rs.pos && p < next {
							next = p
						}
					}
				}
				if err := c.refuse("PRIMARY KEY column \"%s\" cannot be restricted (preceding column \"%s\" is restricted by a non-EQ relation)",
					c.t.Clustering[next].Name, rs.name()); err != nil {
					return err
				}
			}
		}
		c.ck = append(c.ck, rs)
	default:
		c.np = append(c.np, rs)
	}
	return nil
}

// slice turns Slice(start, finish) into clustering restrictions.
func (c *compiler) slice() error {
	p, t := c.p, c.t
	if p.Start == nil && p.Finish == nil {
		return nil
	}
	if len(t.Clustering) == 0 {
		return misuse("Compile: Slice on table %s, which has no clustering columns", t.qualified())
	}
	lowEnd, highEnd := p.Start, p.Finish
	if p.Reversed {
		lowEnd, highEnd = highEnd, lowEnd
	}
	_, lowTuple := lowEnd.(codec.Tuple)
	_, highTuple := highEnd.(codec.Tuple)
	multi := lowTuple || highTuple
	bound := func(v any, lower bool) error {
		if v == nil {
			return nil
		}
		comps := []any{v}
		if tu, ok := v.(codec.Tuple); ok {
			comps = tu
		}
		if len(comps) == 0 {
			return nil
		}
		if len(comps) > len(t.Clustering) {
			return misuse("Compile: slice end %v has %d components; %s has %d clustering columns", v, len(comps), t.qualified(), len(t.Clustering))
		}
		inclusive := true
		last := comps[len(comps)-1]
		if se, ok := last.(codec.SliceEnd); ok {
			inclusive = se.Inclusive
			comps = append(slices.Clone(comps[:len(comps)-1]), se.Value)
		}
		op := map[[2]bool]query.Op{{true, true}: query.OpGte, {true, false}: query.OpGt,
			{false, true}: query.OpLte, {false, false}: query.OpLt}[[2]bool{lower, inclusive}]
		if !multi {
			return c.relation(query.Relation{Column: t.Clustering[0].Name, Op: op, Value: comps[0]})
		}
		return c.multiSlice(comps, op)
	}
	if err := bound(lowEnd, true); err != nil {
		return err
	}
	return bound(highEnd, false)
}

// multiSlice adds (c1, ..., cn) op (?, ..., ?), merged as
// MultiColumnRestriction.SliceRestriction. Restrictions already on those
// columns merge with it as RestrictionSet.addRestriction merges them: a
// single-column one is made a one-column multi-column restriction first
// (SingleColumnRestriction.mergeWith), so that b > ? AND (b, c) < (?, ?)
// is one slice, while an equality, an IN or a slice on another first
// column is refused with Cassandra's message.
func (c *compiler) multiSlice(vals []any, op query.Op) error {
	t := c.t
	cols := make([]string, len(vals))
	for i := range vals {
		cols[i] = t.Clustering[i].Name
	}
	var existing []*restriction
	for _, n := range cols {
		if rs := c.byCol[n]; rs != nil && !slices.Contains(existing, rs) {
			existing = append(existing, rs)
		}
	}
	if len(existing) == 0 {
		rs := &restriction{cols: cols, kind: kindClustering, pos: 0, lastPos: len(cols) - 1, multi: true}
		rs.lower, rs.upper = isLower(op), !isLower(op)
		if err := c.add(rs); err != nil {
			return err
		}
	}
	for _, rs := range existing {
		if err := c.mergeSlices(rs, cols[0], 0, strings.Join(commonCols(rs.cols, cols), " ,"), op); err != nil {
			return err
		}
		rs.multi = true
		if len(cols) > len(rs.cols) {
			rs.cols, rs.lastPos = cols, len(cols)-1
		}
		for _, n := range rs.cols {
			c.byCol[n] = rs
		}
	}
	quoted := make([]string, len(cols))
	for i, n := range cols {
		quoted[i] = quoteIdent(n)
	}
	c.where = append(c.where, "("+strings.Join(quoted, ", ")+") "+op.String()+" ("+strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ")+")")
	c.args = append(c.args, vals...)
	return nil
}

// mergeSlices merges a new relation op, whose first column is first (at
// clustering position newPos), into rs, where one of the two is a
// multi-column slice; common names the columns they share. It is
// MultiColumnRestriction.SliceRestriction.doMergeWith, or the doMergeWith
// of rs's own kind when rs is an equality, an IN or a CONTAINS.
func (c *compiler) mergeSlices(rs *restriction, first string, newPos int, common string, op query.Op) error {
	var why string
	var args []any
	switch {
	case rs.eq:
		why, args = "%s cannot be restricted by more than one relation if it includes an Equal", []any{common}
	case rs.in:
		why, args = "%s cannot be restricted by more than one relation if it includes a IN", []any{common}
	case rs.isContains():
		why, args = "Collection column %s can only be restricted by CONTAINS, CONTAINS KEY, or map-entry equality", []any{rs.name()}
	case op != query.OpGt && op != query.OpGte && op != query.OpLt && op != query.OpLte:
		why, args = "Column \"%s\" cannot be restricted by both an equality and an inequality relation", []any{common}
	case rs.cols[0] != first:
		later := first
		if rs.pos > newPos {
			later = rs.name()
		}
		why, args = "Column \"%s\" cannot be restricted by two inequalities not starting with the same column", []any{later}
	case isLower(op) && rs.lower:
		why, args = "More than one restriction was found for the start bound on %s", []any{common}
	case !isLower(op) && rs.upper:
		why, args = "More than one restriction was found for the end bound on %s", []any{common}
	default:
		rs.lower, rs.upper = rs.lower || isLower(op), rs.upper || !isLower(op)
		return nil
	}
	return c.refuse(why, args...)
}

func isLower(op query.Op) bool { return op == query.OpGt || op == query.OpGte }

// commonCols are the columns of a that b has too, in a's order
// (MultiColumnRestriction.getColumnsInCommons).
func commonCols(a, b []string) []string {
	var out []string
	for _, n := range a {
		if slices.Contains(b, n) {
			out = append(out, n)
		}
	}
	return out
}

// supports reports whether an index serves op on column rs (CassandraIndex
// supportsExpression, SASI and SAI for custom indexes).
func (c *compiler) supports(rs *restriction) bool {
	if rs.multi {
		return false
	}
	name := rs.name()
	for _, ix := range c.t.Indexes {
		if ix.Column != name {
			continue
		}
		switch ix.Kind {
		case IndexCustom:
			if rs.eq || rs.isContains() {
				return true
			}
			if rs.isSlice() && (strings.Contains(ix.Class, "StorageAttachedIndex") || strings.Contains(ix.Class, "SASIIndex") ||
				strings.EqualFold(ix.Class, "sai")) {
				return true
			}
		case IndexValues:
			if rs.typ != nil && rs.typ.IsCollection() && !rs.typ.Frozen {
				if rs.isContains() && !rs.eq {
					return true
				}
				continue
			}
			if rs.eq {
				return true
			}
		case IndexKeys:
			if rs.isContains() && rs.typ != nil && rs.typ.Kind == "map" {
				return true
			}
		case IndexFull:
			if rs.eq {
				return true
			}
		}
	}
	return false
}

func anySupported(c *compiler, rs []*restriction) bool {
	for _, r := range rs {
		if c.supports(r) {
			return true
		}
	}
	return false
}

// validate applies StatementRestrictions and SelectStatement's checks, in
// Cassandra's order.
func (c *compiler) validate() error {
	t, p := c.t, c.p
	if c.token && len(c.pk) > 0 {
		return misuse("Compile: a key or token range cannot be combined with relations on the partition key")
	}
	hasQueriableClusteringIndex := anySupported(c, c.ck)
	hasQueriableIndex := hasQueriableClusteringIndex || anySupported(c, c.pk) || anySupported(c, c.np)

	// processPartitionKeyRestrictions
	isKeyRange, usesIndex := c.token, false
	pkHasIN, pkSlice, pkContains := false, false, false
	for _, r := range c.pk {
		pkHasIN = pkHasIN || r.in
		pkSlice = pkSlice || r.isSlice()
		pkContains = pkContains || r.isContains()
	}
	if len(c.pk) == 0 && !c.token {
		isKeyRange, usesIndex = true, hasQueriableIndex
	}
	pkNeedsFiltering := len(c.pk) > 0 && (len(c.pk) < len(t.PartitionKey) || pkSlice || pkContains)
	if pkNeedsFiltering {
		if !c.filtering && !hasQueriableIndex {
			if err := c.refuse(requiresAllowFiltering); err != nil {
				return err
			}
		}
		if pkHasIN {
			if err := c.refuse("IN restrictions are not supported when the query involves filtering"); err != nil {
				return err
			}
		}
		isKeyRange, usesIndex = true, hasQueriableIndex
	}
	filters := 0
	if usesIndex || pkNeedsFiltering {
		filters += len(c.pk)
	}

	selected := c.selectedCols()
	onlyStatic, anyStatic, complexSel := true, false, false
	for _, n := range selected {
		kind, _, typ, _ := c.kindOf(n)
		switch kind {
		case kindStatic:
			anyStatic = true
		case kindPartition:
		default:
			onlyStatic = false
		}
		if typ.MultiCell() {
			complexSel = true
		}
	}
	if len(c.t.Columns) == 0 && !p.Named {
		onlyStatic, complexSel = false, false
	}
	onlyStatic = onlyStatic && anyStatic
	if onlyStatic && len(c.ck) > 0 {
		if err := c.refuse("Cannot restrict clustering columns when selecting only static columns"); err != nil {
			return err
		}
	}

	// processClusteringColumnsRestrictions
	ckHasIN, ckContains := false, false
	for _, r := range c.ck {
		ckHasIN = ckHasIN || r.in
		ckContains = ckContains || r.isContains()
	}
	if ckHasIN && complexSel {
		if err := c.refuse("Cannot restrict clustering columns by IN relations when a collection is selected by the query"); err != nil {
			return err
		}
	}
	if ckContains && !hasQueriableIndex && !c.filtering {
		if err := c.refuse("Clustering columns can only be restricted with CONTAINS with a secondary index or filtering"); err != nil {
			return err
		}
	}
	ordered := slices.Clone(c.ck)
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].pos < ordered[j].pos })
	ckNeedsFiltering := false
	position := 0
	for _, r := range ordered {
		if r.isContains() || r.pos != position {
			ckNeedsFiltering = true
			break
		}
		if !r.isSlice() {
			position = r.lastPos + 1
		}
	}
	ckNeedsFiltering = ckNeedsFiltering || ckContains
	if len(c.ck) > 0 && ckNeedsFiltering {
		if hasQueriableIndex {
			usesIndex = true
		} else if !c.filtering {
			var restricted []string
			for _, r := range ordered {
				restricted = append(restricted, r.cols...)
			}
			for i, n := range restricted {
				if t.Clustering[i].Name != n {
					if err := c.refuse("PRIMARY KEY column \"%s\" cannot be restricted as preceding column \"%s\" is not restricted", n, t.Clustering[i].Name); err != nil {
						return err
					}
				}
			}
		}
	}
	if isKeyRange && hasQueriableClusteringIndex {
		usesIndex = true
	}
	multiSliceFilter := false
	if usesIndex || ckNeedsFiltering {
		for _, r := range c.ck {
			filters += len(r.cols)
		}
		// ClusteringColumnRestrictions.addRowFilterTo: a restriction
		// goes into the row filter only when the clustering prefix does
		// not bound it (CONTAINS, a gap before it) or an index serves it;
		// a multi-column slice from the first column bounds the slice of
		// each partition the index or the scan reads.
		position := 0
		for _, r := range ordered {
			if r.isContains() || r.pos != position || c.supports(r) {
				multiSliceFilter = multiSliceFilter || (r.multi && r.isSlice())
				continue
			}
			if !r.isSlice() {
				position = r.lastPos + 1
			}
		}
	}

	// Non-primary-key restrictions.
	contains := 0
	if len(c.np) > 0 {
		if hasQueriableIndex {
			usesIndex = true
		} else if !c.filtering {
			if err := c.refuse(requiresAllowFiltering); err != nil {
				return err
			}
		}
		filters += len(c.np)
		for _, r := range c.np {
			contains += r.contains
		}
	}
	if usesIndex {
		if pkHasIN {
			if err := c.refuse("Select on indexed columns and with IN clause for the PRIMARY KEY are not supported"); err != nil {
				return err
			}
		}
		if onlyStatic {
			if err := c.refuse("Queries using 2ndary indexes don't support selecting only static columns"); err != nil {
				return err
			}
		}
	}

	// SelectStatement.RawStatement.prepare: ORDER BY, then filtering.
	if p.Reversed {
		if usesIndex {
			if err := c.refuse("ORDER BY with 2ndary indexes is not supported."); err != nil {
				return err
			}
		}
		if isKeyRange {
			if err := c.refuse("ORDER BY is only supported when the partition key is restricted by an EQ or an IN."); err != nil {
				return err
			}
		}
		if len(t.Clustering) == 0 {
			return misuse("Compile: Reversed on table %s, which has no clustering columns to order by", t.qualified())
		}
	}
	if !c.filtering && (isKeyRange || usesIndex) {
		if filters > 1 || (filters == 0 && len(c.ck) > 0) || (filters != 0 && contains > 1) {
			if err := c.refuse(requiresAllowFiltering); err != nil {
				return err
			}
		}
	}
	// Refused when the row filter is built, at execution
	// (MultiColumnRestriction.SliceRestriction.addRowFilterTo).
	if multiSliceFilter {
		if err := c.refuse("Multi-column slice restrictions cannot be used for filtering."); err != nil {
			return err
		}
	}
	return nil
}
