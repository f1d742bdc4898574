package query

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Unlimited as a Limit or PerPartitionLimit asks for every row (or every
// column of a partition), page by page, however many there are.
const Unlimited = -1

// Select describes one read: which partitions (Thrift rows), which of
// their columns, in what order and how many. Its zero value reads
// everything, as far as the reader's default limits allow.
//
// A Select is an immutable value: every method returns a new one and
// leaves its receiver alone, so a base select can be kept, shared between
// goroutines and extended. Misuse (a nil column, a limit out of range) is
// recorded, never panicked on, and returned by Err, Parts and whatever
// runs the select.
//
// The parts, and what Thrift and CQL make of them:
//
//   - relations (Where, And): conditions on columns, combined by AND; a
//     Thrift index clause or row filter, a CQL WHERE clause
//   - Columns: the columns to read; a Thrift SlicePredicate's names, a
//     CQL projection
//   - Slice and Reversed: a range of column names (clustering values) and
//     its order; a Thrift SliceRange, CQL clustering restrictions and
//     ORDER BY ... DESC
//   - PerPartitionLimit: the columns read per Thrift row (pycassa's
//     column_count), CQL's PER PARTITION LIMIT
//   - Keys, StartKey, Tokens, UntilToken: the range of partitions; a
//     Thrift KeyRange, CQL token(key) restrictions
//   - Limit: the rows read; CQL's LIMIT
//   - AllowFiltering: relations may be checked row by row, without an
//     index; CQL's ALLOW FILTERING, a Thrift row filter
type Select struct {
	relations      []Relation
	columns        []any
	named          bool // Columns was given, possibly with no names
	start, finish  any
	reversed       bool
	perPartition   int // 0: the reader's default
	limit          int // 0: the reader's default
	startKey       any
	finishKey      any
	startToken     string
	finishToken    string
	hasStartToken  bool
	hasFinishToken bool
	filtering      bool
	err            error
}

// fail records the first misuse of a builder.
func (s Select) fail(format string, args ...any) Select {
	if s.err == nil {
		s.err = fmt.Errorf("query: %w: "+format, append([]any{ErrInvalid}, args...)...)
	}
	return s
}

// Columns reads the named columns only. No names at all selects nothing
// (pycassa's columns=[]).
func Columns(names ...any) Select { return Select{}.Columns(names...) }

// Columns reads the named columns only, replacing any names given before.
func (s Select) Columns(names ...any) Select {
	if slices.Contains(names, nil) {
		s = s.fail("nil name in Columns")
	}
	s.columns, s.named = slices.Clone(names), true
	if s.columns == nil {
		s.columns = []any{}
	}
	return s
}

// Slice reads the columns whose names lie from start to finish, both
// inclusive, in comparator (clustering) order. nil, "" and empty bytes
// leave an end open. With Reversed, start is the high end. For a
// CompositeType comparator an end may be a codec.Tuple holding a prefix of
// the components, the last of which may be wrapped in codec.Inclusive or
// codec.Exclusive; for a TimeUUIDType comparator a time.Time end stands
// for the lowest or highest UUID of its microsecond.
func Slice(start, finish any) Select { return Select{}.Slice(start, finish) }

// Slice reads the columns from start to finish; see the function Slice.
func (s Select) Slice(start, finish any) Select {
	s.start, s.finish = start, finish
	return s
}

// Reversed reads the columns in descending order. As in Thrift and
// pycassa, a reversed slice starts at its high end: write
// Slice(high, low).Reversed().
func (s Select) Reversed() Select {
	s.reversed = true
	return s
}

// PerPartitionLimit caps the columns read from each Thrift row (the rows
// read from each CQL partition) at n, 1 ≤ n ≤ 2³¹−1, or Unlimited. The
// default is the reader's.
func (s Select) PerPartitionLimit(n int) Select {
	if n != Unlimited && (n < 1 || n > math.MaxInt32) {
		s = s.fail("PerPartitionLimit(%d): want 1 to %d, or Unlimited", n, math.MaxInt32)
	}
	s.perPartition = n
	return s
}

// Limit caps the rows read at n, 1 ≤ n ≤ 2³¹−1, or Unlimited. The default
// is the reader's.
func (s Select) Limit(n int) Select {
	if n != Unlimited && (n < 1 || n > math.MaxInt32) {
		s = s.fail("Limit(%d): want 1 to %d, or Unlimited", n, math.MaxInt32)
	}
	s.limit = n
	return s
}

// Keys reads the partitions from the key start to the key finish, both
// inclusive, in the partitioner's order; nil, "" and empty bytes leave an
// end open. It replaces any key or token range given before.
func Keys(start, finish any) Select { return Select{}.Keys(start, finish) }

// Keys reads the partitions from start to finish; see the function Keys.
func (s Select) Keys(start, finish any) Select {
	s.startKey, s.finishKey = start, finish
	s.startToken, s.hasStartToken = "", false
	s.finishToken, s.hasFinishToken = "", false
	return s
}

// StartKey starts the range of partitions at key, inclusive, keeping its
// end: the first row of an index query, or the next page of a scan.
func (s Select) StartKey(key any) Select {
	s.startKey, s.startToken, s.hasStartToken = key, "", false
	return s
}

// Tokens reads the partitions whose tokens lie after start and up to
// finish: the ring's (start, finish]. Tokens are written as the
// partitioner prints them: decimal for Murmur3 and Random, hex for
// ByteOrdered. An empty finish runs to the end of the ring. It replaces
// any key or token range given before.
func Tokens(start, finish string) Select { return Select{}.Tokens(start, finish) }

// Tokens reads the partitions with tokens in (start, finish]; see the
// function Tokens.
func (s Select) Tokens(start, finish string) Select {
	s.startKey, s.finishKey = nil, nil
	s.startToken, s.hasStartToken = start, true
	s.finishToken, s.hasFinishToken = finish, finish != ""
	return s
}

// UntilToken ends the range of partitions at the token finish, inclusive,
// instead of at a key. A range with a finish key cannot take one.
func (s Select) UntilToken(finish string) Select {
	if !unbounded(s.finishKey) {
		s = s.fail("UntilToken(%q) on a range that ends at the key %v", finish, s.finishKey)
	}
	s.finishToken, s.hasFinishToken = finish, finish != ""
	return s
}

// AllowFiltering lets the relations be checked row by row, without an
// index: a scan whose rows the server filters. Without it a select with
// relations needs an EQ on an indexed column (see Validate).
func (s Select) AllowFiltering() Select {
	s.filtering = true
	return s
}

// Err returns the first misuse of a builder, if any.
func (s Select) Err() error { return s.err }

// Parts is a Select taken apart, for the code that turns it into a request
// (a transport's reader, a mapper resolving field names). It is a copy:
// changing it changes no Select.
type Parts struct {
	// Relations are the conditions, in the order written.
	Relations []Relation
	// Named is true when Columns names the columns to read (perhaps none);
	// Columns is then the list.
	Named   bool
	Columns []any
	// Start and Finish bound the column range; nil when open.
	Start, Finish any
	// Reversed reads the columns in descending order.
	Reversed bool
	// PerPartitionLimit is the columns per Thrift row (rows per CQL
	// partition): 0 for the reader's default, Unlimited, or a count.
	PerPartitionLimit int
	// Limit is the rows to read: 0 for the reader's default, Unlimited, or
	// a count.
	Limit int
	// StartKey and FinishKey bound the range of partitions by key; nil when
	// open or when a token bounds that end.
	StartKey, FinishKey any
	// StartToken (exclusive) and FinishToken (inclusive) bound it by token,
	// when HasStartToken and HasFinishToken say so.
	StartToken, FinishToken       string
	HasStartToken, HasFinishToken bool
	// AllowFiltering lets the relations be checked without an index.
	AllowFiltering bool
}

// Parts returns the select taken apart, or its first builder error.
func (s Select) Parts() (Parts, error) {
	if s.err != nil {
		return Parts{}, s.err
	}
	p := Parts{
		Relations: slices.Clone(s.relations), Named: s.named, Columns: slices.Clone(s.columns),
		Reversed: s.reversed, PerPartitionLimit: s.perPartition, Limit: s.limit,
		StartToken: s.startToken, FinishToken: s.finishToken,
		HasStartToken: s.hasStartToken, HasFinishToken: s.hasFinishToken, AllowFiltering: s.filtering,
	}
	if !unbounded(s.start) {
		p.Start = s.start
	}
	if !unbounded(s.finish) {
		p.Finish = s.finish
	}
	if !s.hasStartToken && !unbounded(s.startKey) {
		p.StartKey = s.startKey
	}
	if !s.hasFinishToken && !unbounded(s.finishKey) {
		p.FinishKey = s.finishKey
	}
	return p, nil
}

// Resolve returns a copy of s whose relations are what relation returns
// for each, and whose key bounds are what key returns for each (open ends
// are not passed). A mapper uses it to turn field names into column names
// and Go values into bytes packed with its model's types before handing
// the select to a transport. The first error stops it; a builder error is
// returned as is. A nil relation or key leaves those unchanged.
func (s Select) Resolve(relation func(Relation) (Relation, error), key func(any) (any, error)) (Select, error) {
	if s.err != nil {
		return Select{}, s.err
	}
	out := s
	out.relations = make([]Relation, len(s.relations))
	for i, r := range s.relations {
		if relation == nil {
			out.relations[i] = r
			continue
		}
		x, err := relation(r)
		if err != nil {
			return Select{}, err
		}
		out.relations[i] = x
	}
	for _, k := range []*any{&out.startKey, &out.finishKey} {
		if key == nil || unbounded(*k) {
			continue
		}
		v, err := key(*k)
		if err != nil {
			return Select{}, err
		}
		*k = v
	}
	return out, nil
}

// String shows the select for logs and messages, e.g.
// `state = "UT" AND birthdate > 1970 LIMIT 20` or
// `KEYS [a, m] SLICE [x, y] REVERSED PER PARTITION LIMIT 10`.
func (s Select) String() string {
	var parts []string
	if len(s.relations) > 0 {
		rel := make([]string, len(s.relations))
		for i, r := range s.relations {
			rel[i] = r.String()
		}
		parts = append(parts, strings.Join(rel, " AND "))
	}
	p, _ := s.Parts()
	if s.err != nil {
		p = Parts{StartKey: s.startKey, FinishKey: s.finishKey}
	}
	switch {
	case s.hasStartToken || s.hasFinishToken:
		from := "(" + s.startToken
		if !s.hasStartToken {
			from = "[" + showBound(p.StartKey)
		}
		parts = append(parts, "TOKENS "+from+", "+s.finishToken+"]")
	case p.StartKey != nil || p.FinishKey != nil:
		parts = append(parts, "KEYS ["+showBound(p.StartKey)+", "+showBound(p.FinishKey)+"]")
	}
	if s.named {
		names := make([]string, len(s.columns))
		for i, n := range s.columns {
			names[i] = show(n)
		}
		parts = append(parts, "COLUMNS ("+strings.Join(names, ", ")+")")
	}
	if !unbounded(s.start) || !unbounded(s.finish) {
		parts = append(parts, "SLICE ["+showBound(s.start)+", "+showBound(s.finish)+"]")
	}
	if s.reversed {
		parts = append(parts, "REVERSED")
	}
	if s.perPartition != 0 {
		parts = append(parts, "PER PARTITION LIMIT "+showLimit(s.perPartition))
	}
	if s.limit != 0 {
		parts = append(parts, "LIMIT "+showLimit(s.limit))
	}
	if s.filtering {
		parts = append(parts, "ALLOW FILTERING")
	}
	return strings.Join(parts, " ")
}

func showBound(v any) string {
	if unbounded(v) {
		return ""
	}
	return show(v)
}

func showLimit(n int) string {
	if n == Unlimited {
		return "ALL"
	}
	return fmt.Sprint(n)
}

// unbounded reports the values that leave a range end open: nil, "" and
// empty bytes, which Thrift sends as an empty name or key and pycassa never
// packs.
func unbounded(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []byte:
		return len(x) == 0
	}
	return false
}
