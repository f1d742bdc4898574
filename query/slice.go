package query

import (
	"fmt"
	"math"
	"slices"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/thriftgen"
)

// DefaultColumnCount is the column count of a slice without Count, as
// pycassa's column_count default.
const DefaultColumnCount = 100

// ColumnSlice says which columns of a row to read: a list of names
// (Columns) or a range of names (Slice). Like IndexQuery it is an
// immutable value; its zero value is every column, at most
// DefaultColumnCount of them.
type ColumnSlice struct {
	names         []any
	named         bool
	start, finish any
	reversed      bool
	count         int
	countSet      bool
	err           error
}

// Columns reads the named columns only. Names are Go values packed with
// the comparator later. No names at all selects nothing (pycassa's
// columns=[]).
func Columns(names ...any) ColumnSlice {
	s := ColumnSlice{names: slices.Clone(names), named: true}
	if s.names == nil {
		s.names = []any{}
	}
	for _, n := range names {
		if n == nil {
			s.err = invalid("nil name in Columns")
			break
		}
	}
	return s
}

// Slice reads the columns from start to finish, both inclusive, in
// comparator order. nil or "" leaves an end open. For a CompositeType
// comparator an end may be a codec.Tuple holding a prefix of the
// components, the last of which may be wrapped in codec.Inclusive or
// codec.Exclusive.
func Slice(start, finish any) ColumnSlice {
	return ColumnSlice{start: start, finish: finish}
}

// Reversed reads the range in descending order. As in pycassa and Thrift
// the range then starts at its high end: write Slice(high, low).Reversed().
func (s ColumnSlice) Reversed() ColumnSlice {
	if s.named && s.err == nil {
		s.err = invalid("Reversed applies to a range (Slice), not to named columns")
	}
	s.reversed = true
	return s
}

// Count caps the columns read per row at n (0 ≤ n ≤ 2³¹−1; 0 reads none).
func (s ColumnSlice) Count(n int) ColumnSlice {
	switch {
	case s.err != nil:
	case s.named:
		s.err = invalid("Count applies to a range (Slice), not to named columns")
	case n < 0 || n > math.MaxInt32:
		s.err = invalid("Count(%d): want 0 to %d", n, math.MaxInt32)
	}
	s.count, s.countSet = n, true
	return s
}

// SliceSpec is a ColumnSlice as plain data.
type SliceSpec struct {
	Named    bool  // Names, rather than a range, select the columns
	Names    []any // the names, when Named
	Start    any   // range start; nil when open
	Finish   any   // range finish; nil when open
	Reversed bool  // descending order
	Count    int   // columns per row, when not Named
}

// Spec returns the slice as plain data, or the first builder error.
func (s ColumnSlice) Spec() (SliceSpec, error) {
	if s.err != nil {
		return SliceSpec{}, s.err
	}
	if s.named {
		return SliceSpec{Named: true, Names: slices.Clone(s.names)}, nil
	}
	sp := SliceSpec{Start: s.start, Finish: s.finish, Reversed: s.reversed, Count: s.columnCount()}
	if unbounded(sp.Start) {
		sp.Start = nil
	}
	if unbounded(sp.Finish) {
		sp.Finish = nil
	}
	return sp, nil
}

func (s ColumnSlice) columnCount() int {
	if s.countSet {
		return s.count
	}
	return DefaultColumnCount
}

// Err returns the first builder error, if any.
func (s ColumnSlice) Err() error { return s.err }

// Bounds returns the codec bounds to pack the start and the finish with:
// SliceStart and SliceFinish, swapped when the slice is reversed (pycassa
// packs the start with slice_start = not column_reversed).
func (s ColumnSlice) Bounds() (start, finish codec.Bound) {
	if s.reversed {
		return codec.SliceFinish, codec.SliceStart
	}
	return codec.SliceStart, codec.SliceFinish
}

// Predicate packs the slice into Thrift's SlicePredicate: each name with
// PackName(NoBound), or a SliceRange whose ends are packed with Bounds
// (open ends are sent empty without packing).
func (s ColumnSlice) Predicate(p Packer) (*thriftgen.SlicePredicate, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.named {
		names := make([][]byte, 0, len(s.names))
		for _, n := range s.names {
			b, err := p.PackName(n, codec.NoBound)
			if err != nil {
				return nil, fmt.Errorf("query: packing column name %v: %w", n, err)
			}
			names = append(names, b)
		}
		return &thriftgen.SlicePredicate{ColumnNames: names}, nil
	}
	sb, fb := s.Bounds()
	r := &thriftgen.SliceRange{Start: []byte{}, Finish: []byte{}, Reversed: s.reversed, Count: int32(s.columnCount())}
	var err error
	if !unbounded(s.start) {
		if r.Start, err = p.PackName(s.start, sb); err != nil {
			return nil, fmt.Errorf("query: packing slice start %v: %w", s.start, err)
		}
	}
	if !unbounded(s.finish) {
		if r.Finish, err = p.PackName(s.finish, fb); err != nil {
			return nil, fmt.Errorf("query: packing slice finish %v: %w", s.finish, err)
		}
	}
	return &thriftgen.SlicePredicate{SliceRange: r}, nil
}
