package query

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Sentinel errors; test them with errors.Is.
var (
	// ErrInvalid means a builder was given an argument it cannot use (a nil
	// column, a limit out of range, a token end after a finish key). The
	// Select keeps the first such error and returns it from Err and Parts.
	ErrInvalid = errors.New("invalid query argument")
	// ErrEmpty means an index query has no relations.
	ErrEmpty = errors.New("index query has no relations")
	// ErrNoIndexedEQ means no relation of an index query is an EQ on an
	// indexed column, which Cassandra requires to answer it.
	ErrNoIndexedEQ = errors.New("index query has no EQ on an indexed column")
)

// ClauseError is an index query refused before it is sent. It lists the
// relations and, when known, which of their columns are indexed.
type ClauseError struct {
	Err       error      // ErrEmpty or ErrNoIndexedEQ
	Relations []Relation // the relations, in order
	Indexed   []any      // their columns that are indexed (Validate's answer)
}

// Error reads e.g. `query: index query has no EQ on an indexed column:
// state > "UT" AND birthdate > 1970 (EQ on: none; indexed: state)`.
func (e *ClauseError) Error() string {
	if e == nil {
		return "<nil>"
	}
	why := "index query refused"
	if e.Err != nil {
		why = e.Err.Error()
	}
	if len(e.Relations) == 0 {
		return "query: " + why
	}
	var b strings.Builder
	b.WriteString("query: ")
	b.WriteString(why)
	b.WriteString(": ")
	var eq []string
	for i, r := range e.Relations {
		if i > 0 {
			b.WriteString(" AND ")
		}
		b.WriteString(r.String())
		if r.Op == OpEq {
			eq = append(eq, show(r.Column))
		}
	}
	var idx []string
	for _, c := range e.Indexed {
		idx = append(idx, show(c))
	}
	b.WriteString(" (EQ on: " + listOrNone(eq) + "; indexed: " + listOrNone(idx) + ")")
	return b.String()
}

// Unwrap returns ErrEmpty or ErrNoIndexedEQ.
func (e *ClauseError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// Validate refuses, before anything is sent, an index query Cassandra
// would refuse: a builder error, a select with no relations (ErrEmpty), or
// one with no EQ relation on a column for which indexed reports true
// (ErrNoIndexedEQ). Both refusals are *ClauseError values listing the
// relations. A nil indexed takes every column as indexed (for callers
// without a schema). A select with AllowFiltering needs no index, and
// passes whatever its relations.
func (s Select) Validate(indexed func(column any) bool) error {
	if s.err != nil {
		return s.err
	}
	if s.filtering {
		return nil
	}
	if len(s.relations) == 0 {
		return &ClauseError{Err: ErrEmpty}
	}
	var idx []any
	ok := false
	for _, r := range s.relations {
		isIdx := indexed == nil || indexed(r.Column)
		if isIdx && indexed != nil && !slices.ContainsFunc(idx, func(c any) bool { return sameColumn(c, r.Column) }) {
			idx = append(idx, r.Column)
		}
		ok = ok || (isIdx && r.Op == OpEq)
	}
	if ok {
		return nil
	}
	return &ClauseError{Err: ErrNoIndexedEQ, Relations: slices.Clone(s.relations), Indexed: idx}
}

// sameColumn compares column names without panicking on uncomparable
// values (a []byte name).
func sameColumn(a, b any) bool {
	return fmt.Sprintf("%T %v", a, a) == fmt.Sprintf("%T %v", b, b)
}
