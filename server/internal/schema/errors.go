package schema

import (
	"errors"
	"fmt"

	"github.com/cassa-go/cassa/thriftgen"
)

// ErrorCode is the native-protocol error code of a schema error
// (org.apache.cassandra.exceptions.ExceptionCode).
type ErrorCode int

// The error kinds CQL schema statements raise.
const (
	// CodeSyntax is SyntaxException (0x2000): e.g. "Unknown property 'x'".
	CodeSyntax ErrorCode = 0x2000
	// CodeUnauthorized is UnauthorizedException (0x2100): DDL on a system keyspace.
	CodeUnauthorized ErrorCode = 0x2100
	// CodeInvalid is InvalidRequestException (0x2200).
	CodeInvalid ErrorCode = 0x2200
	// CodeConfig is ConfigurationException (0x2300).
	CodeConfig ErrorCode = 0x2300
	// CodeAlreadyExists is AlreadyExistsException (0x2400); Error.Keyspace
	// and Error.Table fill the error body.
	CodeAlreadyExists ErrorCode = 0x2400
)

// String names the code as Cassandra's exception class does.
func (c ErrorCode) String() string {
	switch c {
	case CodeSyntax:
		return "SyntaxException"
	case CodeUnauthorized:
		return "UnauthorizedException"
	case CodeInvalid:
		return "InvalidRequestException"
	case CodeConfig:
		return "ConfigurationException"
	case CodeAlreadyExists:
		return "AlreadyExistsException"
	}
	return fmt.Sprintf("ErrorCode(%#x)", int(c))
}

// Error is the error every CQL schema operation returns: the exception
// kind as its protocol code and Cassandra's exact message. For
// AlreadyExists, Keyspace and Table are the body's fields (Table is empty
// for a keyspace).
type Error struct {
	Code     ErrorCode
	Msg      string
	Keyspace string
	Table    string
}

// Error returns Msg, Cassandra's text.
func (e *Error) Error() string { return e.Msg }

// Is matches the sentinel of the same code (ErrInvalid, ErrConfig, ...).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Msg == "" && t.Code == e.Code
}

// Sentinels for errors.Is: errors.Is(err, schema.ErrAlreadyExists).
var (
	ErrSyntax        = &Error{Code: CodeSyntax}
	ErrUnauthorized  = &Error{Code: CodeUnauthorized}
	ErrInvalid       = &Error{Code: CodeInvalid}
	ErrConfig        = &Error{Code: CodeConfig}
	ErrAlreadyExists = &Error{Code: CodeAlreadyExists}
)

func invalidf(format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Msg: fmt.Sprintf(format, args...)}
}

func configf(format string, args ...any) *Error {
	return &Error{Code: CodeConfig, Msg: fmt.Sprintf(format, args...)}
}

func syntaxf(format string, args ...any) *Error {
	return &Error{Code: CodeSyntax, Msg: fmt.Sprintf(format, args...)}
}

func unauthorizedf(format string, args ...any) *Error {
	return &Error{Code: CodeUnauthorized, Msg: fmt.Sprintf(format, args...)}
}

// ToThrift turns any schema error into the InvalidRequestException Thrift
// reports (ThriftConversion.toThrift(RequestValidationException)); other
// errors are returned unchanged.
func ToThrift(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return &thriftgen.InvalidRequestException{Why: e.Msg}
	}
	return err
}

// fromIRE turns an InvalidRequestException of the Thrift checks into a CQL
// error of the given code.
func fromIRE(err error, code ErrorCode) error {
	var ire *thriftgen.InvalidRequestException
	if errors.As(err, &ire) {
		return &Error{Code: code, Msg: ire.Why}
	}
	return err
}
