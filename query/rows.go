package query

import (
	"math"
	"slices"

	"github.com/cassa-go/cassa/thriftgen"
)

// RowRange says which rows a range scan visits: keys from a start to a
// finish (both inclusive), or tokens from a start (exclusive) to a finish
// (inclusive), with an optional row limit and row filter. It is an
// immutable value; its zero value is every row.
type RowRange struct {
	startKey, finishKey       any
	startToken, finishToken   string
	hasStartTok, hasFinishTok bool
	rows                      int
	filter                    []Expr
	err                       error
}

// Keys visits the rows from start to finish, both inclusive, in the
// partitioner's order. nil or "" leaves an end open.
func Keys(start, finish any) RowRange {
	return RowRange{startKey: start, finishKey: finish}
}

// Tokens visits the rows whose tokens lie after start and up to finish
// (the ring's (start, finish] as Cassandra reads it). Tokens are strings
// as the partitioner prints them: decimal for Murmur3 and Random, hex for
// ByteOrdered. An empty finish is sent empty, as pycassa does, and means
// the end of the ring.
func Tokens(start, finish string) RowRange {
	return RowRange{startToken: start, finishToken: finish, hasStartTok: true, hasFinishTok: finish != ""}
}

// UntilToken ends a key range at a token instead of a key (pycassa's
// start= with finish_token=). A range with a finish key cannot take one.
func (r RowRange) UntilToken(finish string) RowRange {
	if !unbounded(r.finishKey) && r.err == nil {
		r.err = invalid("'finish_token' may not be used with 'finish'")
	}
	r.finishToken, r.hasFinishTok = finish, finish != ""
	return r
}

// From restarts the range at key, inclusive, keeping its end: the next
// page of a scan (pycassa drops the start token and sets the start key
// to the last key returned).
func (r RowRange) From(key any) RowRange {
	r.startKey, r.startToken, r.hasStartTok = key, "", false
	return r
}

// RowCount caps the rows returned at n (1 ≤ n ≤ 2³¹−1); the default is
// every row.
func (r RowRange) RowCount(n int) RowRange {
	if (n < 1 || n > math.MaxInt32) && r.err == nil {
		r.err = invalid("RowCount(%d): want 1 to %d", n, math.MaxInt32)
	}
	r.rows = n
	return r
}

// Filter keeps only the rows matching q's expressions (Thrift's
// KeyRange.row_filter). q's start key and limit are ignored. Unlike an
// index clause a filter needs no indexed column.
func (r RowRange) Filter(q IndexQuery) RowRange {
	if q.err != nil && r.err == nil {
		r.err = q.err
	}
	r.filter = slices.Clone(q.exprs)
	return r
}

// RangeSpec is a RowRange as plain data.
type RangeSpec struct {
	StartKey       any    // nil when open or when StartToken is used
	FinishKey      any    // nil when open or when FinishToken is used
	StartToken     string // valid when HasStartToken
	FinishToken    string // valid when HasFinishToken
	HasStartToken  bool
	HasFinishToken bool
	RowCount       int    // 0 means every row
	Filter         []Expr // row filter; nil for none
}

// Spec returns the range as plain data, or the first builder error.
func (r RowRange) Spec() (RangeSpec, error) {
	if r.err != nil {
		return RangeSpec{}, r.err
	}
	s := RangeSpec{StartToken: r.startToken, FinishToken: r.finishToken,
		HasStartToken: r.hasStartTok, HasFinishToken: r.hasFinishTok,
		RowCount: r.rows, Filter: slices.Clone(r.filter)}
	if !r.hasStartTok && !unbounded(r.startKey) {
		s.StartKey = r.startKey
	}
	if !r.hasFinishTok && !unbounded(r.finishKey) {
		s.FinishKey = r.finishKey
	}
	return s, nil
}

// Err returns the first builder error, if any.
func (r RowRange) Err() error { return r.err }

// KeyRange packs one page of the range into Thrift's KeyRange with count
// rows: keys with PackKey (open ends sent empty), tokens as they are, the
// filter with PackName and PackValue.
func (r RowRange) KeyRange(p Packer, count int) (*thriftgen.KeyRange, error) {
	if r.err != nil {
		return nil, r.err
	}
	if count < 1 || count > math.MaxInt32 {
		return nil, invalid("KeyRange count %d: want 1 to %d", count, math.MaxInt32)
	}
	kr := &thriftgen.KeyRange{Count: int32(count)}
	if r.hasStartTok {
		t := r.startToken
		kr.StartToken = &t
		// pycassa sends end_token = finish_token or ''.
		e := r.finishToken
		kr.EndToken = &e
	} else {
		var err error
		if kr.StartKey, err = packKeyBound(p, r.startKey, "start"); err != nil {
			return nil, err
		}
		if r.hasFinishTok {
			e := r.finishToken
			kr.EndToken = &e
		} else if kr.EndKey, err = packKeyBound(p, r.finishKey, "finish"); err != nil {
			return nil, err
		}
	}
	if len(r.filter) > 0 {
		f, err := packExprs(r.filter, p)
		if err != nil {
			return nil, err
		}
		kr.RowFilter = f
	}
	return kr, nil
}
