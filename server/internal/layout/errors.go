package layout

import (
	"errors"
	"fmt"
)

// InvalidError is a request the layout cannot express: a value too long for
// a 2-byte component length, a malformed collection value, a list index out
// of bounds. Msg is Cassandra's message for the same mistake where it has
// one; the executor answers it as an InvalidRequest error.
type InvalidError struct {
	Msg string
}

// Error implements error.
func (e *InvalidError) Error() string { return "layout: " + e.Msg }

func invalidf(format string, args ...any) error {
	return &InvalidError{Msg: fmt.Sprintf(format, args...)}
}

// ErrMalformed is wrapped by every failure to decode stored or encoded
// bytes: a cell name, a partition key or a row mark that does not follow
// the table's layout.
var ErrMalformed = errors.New("layout: malformed bytes")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
}

// ErrBadPagingState is wrapped by DecodePagingState's failures. Cassandra
// answers such a state with the protocol error "Invalid value for the
// paging state".
var ErrBadPagingState = errors.New("Invalid value for the paging state")

// SpecError reports a layout description New cannot accept.
type SpecError struct {
	Msg string
}

// Error implements error.
func (e *SpecError) Error() string { return "layout: bad table description: " + e.Msg }

func specErr(format string, args ...any) error {
	return &SpecError{Msg: fmt.Sprintf(format, args...)}
}
