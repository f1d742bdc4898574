package columnfamily

import (
	"fmt"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thriftgen"
)

// This file is where a query.Select becomes what Thrift's read methods
// take: a SlicePredicate (the columns), a KeyRange (the rows of a scan) or
// an IndexClause, with names, values and keys packed by the column
// family's codecs. Nothing else builds those from a select.

// parts takes q apart for the read op, refusing the parts that op cannot
// send. rows says whether op reads a range of rows (GetRange,
// GetIndexedSlices); the others read the columns of rows named by key.
func parts(q query.Select, op string, rows bool) (*query.Parts, error) {
	p, err := q.Parts()
	if err != nil {
		return nil, err
	}
	if !rows {
		var what string
		switch {
		case len(p.Relations) > 0:
			what = "relations"
		case p.StartKey != nil || p.FinishKey != nil || p.HasStartToken || p.HasFinishToken:
			what = "a key or token range"
		case p.Limit != 0:
			what = "a row Limit"
		case p.AllowFiltering:
			what = "AllowFiltering"
		}
		if what != "" {
			return nil, fmt.Errorf("%w: %s reads rows by key; its select may not hold %s (%v)", ErrInvalidOption, op, what, q)
		}
	}
	if p.Named && (p.Start != nil || p.Finish != nil || p.Reversed || p.PerPartitionLimit != 0) {
		return nil, fmt.Errorf("%w: %s: over Thrift, named columns take no Slice, Reversed or PerPartitionLimit (%v)", ErrInvalidOption, op, q)
	}
	return &p, nil
}

// sliceEnds packs the start and finish of a column slice. pycassa's rule:
// the start is packed as a slice start unless the slice is reversed, the
// finish the other way round, so that a reversed slice's start is its high
// end. Open ends are empty.
func (cf *ColumnFamily) sliceEnds(s *cfSchema, p *query.Parts, super bool) (start, finish []byte, err error) {
	sb, fb := codec.SliceStart, codec.SliceFinish
	if p.Reversed {
		sb, fb = fb, sb
	}
	start, finish = []byte{}, []byte{}
	if p.Start != nil {
		if start, err = s.packName(cf.name, p.Start, super, sb); err != nil {
			return nil, nil, err
		}
	}
	if p.Finish != nil {
		if finish, err = s.packName(cf.name, p.Finish, super, fb); err != nil {
			return nil, nil, err
		}
	}
	return start, finish, nil
}

// columnCount is the count of a slice: p's PerPartitionLimit, or defCount
// when it sets none; Unlimited asks for every column.
func columnCount(p *query.Parts, defCount int) int {
	switch n := p.PerPartitionLimit; {
	case n == query.Unlimited:
		return maxCount
	case n > 0:
		return n
	}
	return defCount
}

// predicate builds the SlicePredicate of a read: the named columns, or a
// slice range of columnCount columns. superNames says the names are super
// column names (a super column family read without Super).
func (cf *ColumnFamily) predicate(s *cfSchema, p *query.Parts, superNames bool, defCount int) (*thriftgen.SlicePredicate, error) {
	pred := thriftgen.NewSlicePredicate()
	if p.Named {
		pred.ColumnNames = make([][]byte, 0, len(p.Columns))
		for _, n := range p.Columns {
			b, err := s.packName(cf.name, n, superNames, codec.NoBound)
			if err != nil {
				return nil, err
			}
			pred.ColumnNames = append(pred.ColumnNames, b)
		}
		return pred, nil
	}
	start, finish, err := cf.sliceEnds(s, p, superNames)
	if err != nil {
		return nil, err
	}
	r := thriftgen.NewSliceRange()
	r.Start, r.Finish, r.Reversed, r.Count = start, finish, p.Reversed, int32(min(columnCount(p, defCount), maxCount))
	pred.SliceRange = r
	return pred, nil
}

// thriftOps are the operators Thrift's IndexExpression takes.
var thriftOps = map[query.Op]thriftgen.IndexOperator{
	query.OpEq: thriftgen.IndexOperator_EQ, query.OpGt: thriftgen.IndexOperator_GT,
	query.OpGte: thriftgen.IndexOperator_GTE, query.OpLt: thriftgen.IndexOperator_LT,
	query.OpLte: thriftgen.IndexOperator_LTE,
}

// maxExpressionValue is Cassandra's limit on an index expression value
// (ThriftValidation: "Index expression values may not be larger than
// 64K").
const maxExpressionValue = 0xffff

// expressions packs relations into index expressions: names with the name
// codec, values with the column's value codec (so a LongType column's
// 1970 is 8 bytes, as pycassa packs it).
func (cf *ColumnFamily) expressions(s *cfSchema, rels []query.Relation) ([]*thriftgen.IndexExpression, error) {
	out := make([]*thriftgen.IndexExpression, 0, len(rels))
	for _, r := range rels {
		op, ok := thriftOps[r.Op]
		if !ok {
			return nil, fmt.Errorf("%w: %v: Thrift compares columns with =, >, >=, < and <= only", ErrInvalidOption, r)
		}
		name, err := s.packName(cf.name, r.Column, false, codec.NoBound)
		if err != nil {
			return nil, err
		}
		val, err := s.packValue(cf.name, name, r.Value)
		if err != nil {
			return nil, err
		}
		if len(val) > maxExpressionValue {
			return nil, fmt.Errorf("%w: %v: the value packs to %d bytes; Cassandra refuses index expression values over 64K", ErrInvalidOption, r.Column, len(val))
		}
		x := thriftgen.NewIndexExpression()
		x.ColumnName, x.Op, x.Value = name, op, val
		out = append(out, x)
	}
	return out, nil
}

// keyRange builds the first page's KeyRange of a scan: keys or tokens,
// and the relations as a row filter.
func (cf *ColumnFamily) keyRange(s *cfSchema, p *query.Parts) (*thriftgen.KeyRange, error) {
	if p.HasStartToken && (p.StartKey != nil || p.FinishKey != nil) {
		return nil, fmt.Errorf("%w: a start token may not be used with keys", ErrInvalidOption)
	}
	r := thriftgen.NewKeyRange()
	if len(p.Relations) > 0 {
		f, err := cf.expressions(s, p.Relations)
		if err != nil {
			return nil, err
		}
		r.RowFilter = f
	}
	if p.HasStartToken {
		start := p.StartToken
		r.StartToken = &start
	} else {
		b, err := s.packKeyBound(cf.name, p.StartKey)
		if err != nil {
			return nil, err
		}
		r.StartKey = b
	}
	switch {
	case p.HasFinishToken:
		finish := p.FinishToken
		r.EndToken = &finish
	case p.HasStartToken:
		// pycassa sends end_token = finish_token or ''.
		finish := ""
		r.EndToken = &finish
	default:
		b, err := s.packKeyBound(cf.name, p.FinishKey)
		if err != nil {
			return nil, err
		}
		r.EndKey = b
	}
	return r, nil
}

// indexClause builds the first page's IndexClause of an index query:
// relations and start key. Cassandra's get_indexed_slices takes no finish
// key, no tokens, and no filtering without an index.
func (cf *ColumnFamily) indexClause(s *cfSchema, p *query.Parts) (*thriftgen.IndexClause, error) {
	switch {
	case p.FinishKey != nil || p.HasStartToken || p.HasFinishToken:
		return nil, fmt.Errorf("%w: get_indexed_slices starts at a key (StartKey) and takes no finish key or tokens", ErrInvalidOption)
	case p.AllowFiltering:
		return nil, fmt.Errorf("%w: get_indexed_slices needs an EQ on an indexed column; GetRange filters rows without an index", ErrInvalidOption)
	}
	c := thriftgen.NewIndexClause()
	var err error
	if c.StartKey, err = s.packKeyBound(cf.name, p.StartKey); err != nil {
		return nil, err
	}
	if c.Expressions, err = cf.expressions(s, p.Relations); err != nil {
		return nil, err
	}
	return c, nil
}

// rowLimit is the number of rows a scan yields: p's Limit, def when it
// sets none; -1 for no limit.
func rowLimit(p *query.Parts, def int) int {
	switch n := p.Limit; {
	case n == query.Unlimited:
		return -1
	case n > 0:
		return n
	}
	return def
}
