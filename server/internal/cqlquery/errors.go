package cqlquery

import (
	"errors"
	"fmt"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// The native-protocol error codes a statement can fail with
// (ExceptionCode in Cassandra).
const (
	CodeServer          = 0x0000
	CodeProtocol        = 0x000A
	CodeUnavailable     = 0x1000
	CodeFunctionFailure = 0x1400
	CodeSyntax          = 0x2000
	CodeUnauthorized    = 0x2100
	CodeInvalid         = 0x2200
	CodeConfig          = 0x2300
	CodeAlreadyExists   = 0x2400
)

// Error is a statement's failure as the native protocol reports it: Code
// is the error code and Message Cassandra 3.11's text. Unavailable errors
// carry the consistency level and the replica counts of their error body,
// function failures the function's keyspace, name and argument types.
type Error struct {
	Code    int
	Message string
	// Consistency, Required and Alive fill an Unavailable error's body.
	Consistency     uint16
	Required, Alive int
	// Keyspace, Function and Arguments fill a FunctionFailure's body.
	Keyspace, Function string
	Arguments          []string
}

// Error implements error.
func (e *Error) Error() string { return e.Message }

// Is makes errors.Is(err, ErrInvalid) (and the other code sentinels) true
// for every *Error of that code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Code == e.Code
}

// Sentinels to test an error's code with errors.Is.
var (
	ErrInvalid     = &Error{Code: CodeInvalid}
	ErrSyntax      = &Error{Code: CodeSyntax}
	ErrProtocol    = &Error{Code: CodeProtocol}
	ErrUnavailable = &Error{Code: CodeUnavailable}
)

// ErrNotDataStatement is returned by Prepare for a statement that is not
// SELECT, INSERT, UPDATE, DELETE or BATCH: the caller runs those itself.
var ErrNotDataStatement = errors.New("cqlquery: not a data statement")

// invalidf is an InvalidRequestException with a formatted message.
func invalidf(format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Message: fmt.Sprintf(format, args...)}
}

// invalid is an InvalidRequestException with a fixed message.
func invalid(msg string) *Error { return &Error{Code: CodeInvalid, Message: msg} }

// syntaxf is a SyntaxException raised after parsing (Cassandra raises a
// few while preparing statements).
func syntaxf(format string, args ...any) *Error {
	return &Error{Code: CodeSyntax, Message: fmt.Sprintf(format, args...)}
}

// toError converts the errors of the packages below into *Error: schema
// lookups keep their code, a failed validation is an InvalidRequest with
// the serializer's message, a bad paging state a protocol error.
func toError(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var se *schema.Error
	if errors.As(err, &se) {
		return &Error{Code: int(se.Code), Message: se.Msg}
	}
	var ve *codec.ValidationError
	if errors.As(err, &ve) {
		return invalid(ve.Msg)
	}
	var le *layout.InvalidError
	if errors.As(err, &le) {
		return invalid(le.Msg)
	}
	if errors.Is(err, layout.ErrBadPagingState) {
		return &Error{Code: CodeProtocol, Message: "Invalid value for the paging state"}
	}
	return &Error{Code: CodeServer, Message: err.Error()}
}

// marshalMessage is the text of a failed AbstractType.validate.
func marshalMessage(err error) string {
	var ve *codec.ValidationError
	if errors.As(err, &ve) {
		return ve.Msg
	}
	return err.Error()
}
