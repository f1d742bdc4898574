package cqlexec

// INTERIM — DELETE AT MERGE. Until package cqlquery (the SELECT, INSERT,
// UPDATE, DELETE and BATCH engine) is merged, this file answers the reads
// drivers make of the built-in system tables at connect and for schema
// metadata: SELECT of all or some columns of one virtual table, with
// equality (and IN) restrictions and LIMIT, no paging. Every other data
// statement is refused. At the merge, delete this file and set
// Executor.data to the cqlquery adapter in New.

import (
	"context"
	"strconv"
	"strings"

	"github.com/datastax/go-cassandra-native-protocol/primitive"
	"github.com/google/uuid"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/schema"
)

type interimEngine struct {
	node    Node
	virtual *virtualTables
}

func newInterimEngine(n Node, v *virtualTables) *interimEngine {
	return &interimEngine{node: n, virtual: v}
}

// msgNoEngine refuses what only cqlquery can run.
const msgNoEngine = "this statement needs the data statement engine, which this build does not have yet"

func (e *interimEngine) prepare(keyspace string, p *cqlparse.Parsed) (dataStatement, error) {
	sel, ok := p.Statement.(*cqlparse.SelectStmt)
	if !ok {
		return nil, invalidf(msgNoEngine)
	}
	ks, err := qualify(sel.Table, keyspace)
	if err != nil {
		return nil, err
	}
	t, err := e.node.Catalog().Lookup(ks, sel.Table.Name.Name)
	if err != nil {
		return nil, err
	}
	if !t.Virtual || sel.JSON || sel.Distinct || len(sel.GroupBy) > 0 || len(sel.OrderBy) > 0 {
		return nil, invalidf(msgNoEngine)
	}
	st := &interimSelect{e: e, t: t, bind: make([]column, len(p.Markers))}
	colOf := func(id cqlparse.Ident) (*schema.ColumnDefinition, error) {
		c := t.ColumnDef(id.Name)
		if c == nil {
			return nil, invalidf("Undefined column name %s", cqlparse.MaybeQuote(id.Name))
		}
		return c, nil
	}
	if sel.Selectors == nil {
		for _, c := range t.AllColumns() {
			st.proj = append(st.proj, c)
			st.result = append(st.result, column{t.Keyspace, t.Name, c.Name, c.Type})
		}
	}
	for _, it := range sel.Selectors {
		cs, ok := it.Selector.(*cqlparse.ColumnSelector)
		if !ok {
			return nil, invalidf(msgNoEngine)
		}
		c, err := colOf(cs.Column)
		if err != nil {
			return nil, err
		}
		name := c.Name
		if it.Alias.Name != "" {
			name = it.Alias.Name
		}
		st.proj = append(st.proj, c)
		st.result = append(st.result, column{t.Keyspace, t.Name, name, c.Type})
	}
	for _, r := range sel.Where {
		rel, ok := r.(*cqlparse.ColumnRelation)
		if !ok || rel.MapKey != nil || (rel.Op != cqlparse.OpEQ && rel.Op != cqlparse.OpIN) {
			return nil, invalidf(msgNoEngine)
		}
		c, err := colOf(rel.Column)
		if err != nil {
			return nil, err
		}
		terms := rel.InValues
		if rel.Op == cqlparse.OpEQ {
			terms = []cqlparse.Term{rel.Value}
		} else if rel.Value != nil {
			return nil, invalidf(msgNoEngine)
		}
		cond := interimCond{col: c}
		for _, term := range terms {
			if m, ok := term.(*cqlparse.BindMarker); ok {
				name := c.Name
				if m.Name.Name != "" {
					name = m.Name.Name
				}
				st.bind[m.Index] = column{t.Keyspace, t.Name, name, c.Type}
				cond.markers = append(cond.markers, m.Index)
				continue
			}
			b, err := literalBytes(term, c.Type)
			if err != nil {
				return nil, invalidf("Invalid constant %s for %s", cqlparse.TermText(term), c.Name)
			}
			cond.values = append(cond.values, b)
		}
		st.conds = append(st.conds, cond)
	}
	switch l := sel.Limit.(type) {
	case nil:
	case *cqlparse.Literal:
		n, err := strconv.Atoi(l.Text)
		if err != nil || n <= 0 {
			return nil, invalidf("LIMIT must be strictly positive")
		}
		st.limit = n
	case *cqlparse.BindMarker:
		st.bind[l.Index] = column{t.Keyspace, t.Name, "[limit]", codec.Int32}
		st.limitMarker = l.Index + 1
	default:
		return nil, invalidf(msgNoEngine)
	}
	for _, b := range st.bind {
		if b.Type == nil {
			return nil, invalidf(msgNoEngine)
		}
	}
	// VariableSpecifications.getPartitionKeyBindIndexes.
	for _, pk := range t.PartitionKey {
		idx := -1
		for _, c := range st.conds {
			if c.col == pk && len(c.markers) == 1 && len(c.values) == 0 {
				idx = c.markers[0]
			}
		}
		if idx < 0 {
			st.pk = nil
			break
		}
		st.pk = append(st.pk, uint16(idx))
	}
	return st, nil
}

// literalBytes converts a constant the way its receiver's type reads it.
func literalBytes(term cqlparse.Term, t codec.Type) ([]byte, error) {
	v, err := literalValue(term)
	if err != nil {
		return nil, err
	}
	return t.Pack(v)
}

func literalValue(term cqlparse.Term) (any, error) {
	switch l := term.(type) {
	case *cqlparse.Literal:
		switch l.Kind {
		case cqlparse.LitInteger:
			return strconv.ParseInt(l.Text, 10, 64)
		case cqlparse.LitBoolean:
			return strings.EqualFold(l.Text, "true"), nil
		case cqlparse.LitUUID:
			return uuid.Parse(l.Text)
		}
		return l.Text, nil
	case *cqlparse.ListLiteral:
		out := make([]any, len(l.Elems))
		for i, el := range l.Elems {
			v, err := literalValue(el)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	return nil, invalidf(msgNoEngine)
}

func (e *interimEngine) executeBatch(context.Context, primitive.BatchType, []batchItem, dataOptions) (*dataResult, error) {
	return nil, invalidf(msgNoEngine)
}

type interimCond struct {
	col     *schema.ColumnDefinition
	values  [][]byte
	markers []int
}

type interimSelect struct {
	e           *interimEngine
	t           *schema.Table
	proj        []*schema.ColumnDefinition
	result      []column
	bind        []column
	pk          []uint16
	conds       []interimCond
	limit       int
	limitMarker int // 1 + the marker index of LIMIT ?, or 0
}

func (s *interimSelect) boundColumns() []column  { return s.bind }
func (s *interimSelect) pkIndexes() []uint16     { return s.pk }
func (s *interimSelect) resultColumns() []column { return s.result }

func (s *interimSelect) execute(_ context.Context, o dataOptions) (*dataResult, error) {
	rows, err := s.e.virtual.Rows(s.t)
	if err != nil {
		return nil, err
	}
	limit := s.limit
	if s.limitMarker > 0 {
		v := o.Values[s.limitMarker-1]
		if len(v.Bytes) != 4 {
			return nil, invalidf("Invalid null value of limit")
		}
		limit = int(int32(uint32(v.Bytes[0])<<24 | uint32(v.Bytes[1])<<16 | uint32(v.Bytes[2])<<8 | uint32(v.Bytes[3])))
		if limit <= 0 {
			return nil, invalidf("LIMIT must be strictly positive")
		}
	}
	res := &dataResult{Columns: s.result, Rows: [][][]byte{}}
	for _, r := range rows {
		if !s.matches(r, o) {
			continue
		}
		out := make([][]byte, len(s.proj))
		for i, c := range s.proj {
			out[i] = r[c.Name]
		}
		res.Rows = append(res.Rows, out)
		if limit > 0 && len(res.Rows) == limit {
			break
		}
	}
	return res, nil
}

func (s *interimSelect) matches(r map[string][]byte, o dataOptions) bool {
	for _, c := range s.conds {
		got, ok := r[c.col.Name]
		if !ok {
			return false
		}
		hit := false
		for _, v := range c.values {
			hit = hit || string(v) == string(got)
		}
		for _, m := range c.markers {
			hit = hit || (o.Values[m].Bytes != nil && string(o.Values[m].Bytes) == string(got))
		}
		if !hit {
			return false
		}
	}
	return true
}
