package query

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors; test them with errors.Is.
var (
	// ErrEmpty means an index clause has no expressions.
	ErrEmpty = errors.New("index clause has no expressions")
	// ErrNoIndexedEQ means no expression of an index clause is an EQ on an
	// indexed column, which Cassandra requires to answer it.
	ErrNoIndexedEQ = errors.New("index clause has no EQ on an indexed column")
	// ErrInvalid means a builder was given an argument it cannot use
	// (a nil column, a negative count, a token range mixed with a finish
	// key…). The builder keeps the first such error and returns it from
	// Spec, Validate and the thrift builders.
	ErrInvalid = errors.New("invalid query argument")
)

// ClauseError is an index clause refused before it is sent. It lists the
// clause's expressions and, when known, which columns are indexed.
type ClauseError struct {
	Err     error  // ErrEmpty or ErrNoIndexedEQ
	Exprs   []Expr // the clause's expressions, in order
	Indexed []any  // the clause's columns that are indexed (Validate's answer)
}

// Error reads e.g. `query: index clause has no EQ on an indexed column:
// state > "UT" AND birthdate > 1970 (EQ on: none; indexed: state)`.
func (e *ClauseError) Error() string {
	if len(e.Exprs) == 0 {
		return "query: " + e.Err.Error()
	}
	var b strings.Builder
	b.WriteString("query: ")
	b.WriteString(e.Err.Error())
	b.WriteString(": ")
	var eq []string
	for i, x := range e.Exprs {
		if i > 0 {
			b.WriteString(" AND ")
		}
		b.WriteString(x.String())
		if x.Op == EQ {
			eq = append(eq, show(x.Column))
		}
	}
	b.WriteString(" (EQ on: ")
	b.WriteString(listOrNone(eq))
	var idx []string
	for _, c := range e.Indexed {
		idx = append(idx, show(c))
	}
	b.WriteString("; indexed: ")
	b.WriteString(listOrNone(idx))
	b.WriteString(")")
	return b.String()
}

// Unwrap returns ErrEmpty or ErrNoIndexedEQ.
func (e *ClauseError) Unwrap() error { return e.Err }

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// invalid records a builder misuse.
func invalid(format string, args ...any) error {
	return fmt.Errorf("query: %w: "+format, append([]any{ErrInvalid}, args...)...)
}
