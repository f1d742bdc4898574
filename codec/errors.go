package codec

import (
	"errors"
	"fmt"
	"reflect"
)

// Sentinel reasons carried by *Error; test them with errors.Is.
var (
	// ErrUnsupported means the Go value's type cannot be packed by the type.
	ErrUnsupported = errors.New("unsupported Go type")
	// ErrRange means the value does not fit the type (e.g. 1<<40 into Int32Type).
	ErrRange = errors.New("value out of range")
	// ErrLength means encoded bytes have the wrong length for the type.
	ErrLength = errors.New("wrong length")
	// ErrMalformed means encoded bytes are not a well-formed value of the type.
	ErrMalformed = errors.New("malformed value")
	// ErrInvalid is matched by every *ValidationError.
	ErrInvalid = errors.New("invalid value")
	// ErrUnknownType is matched by a *ParseError for a class that is not known.
	ErrUnknownType = errors.New("unknown type")
)

// Error is a pack or unpack failure. It names the type, the operation, the
// value and the reason; Unwrap gives the reason (ErrUnsupported, ErrRange,
// ErrLength, ErrMalformed or an inner error).
type Error struct {
	Type  string // short type name, e.g. "LongType"
	Op    string // "pack" or "unpack"
	Value any    // the Go value (pack) or the bytes (unpack)
	Err   error  // the reason
}

// Error formats as `codec: LongType: cannot pack string "abc": unsupported Go type`.
func (e *Error) Error() string {
	return "codec: " + e.Type + ": cannot " + e.Op + " " + describe(e.Value) + ": " + e.Err.Error()
}

// Unwrap returns the reason.
func (e *Error) Unwrap() error { return e.Err }

func packErr(t Type, v any, err error) error {
	return &Error{Type: ShortName(t), Op: "pack", Value: v, Err: err}
}

func unpackErr(t Type, b []byte, err error) error {
	return &Error{Type: ShortName(t), Op: "unpack", Value: b, Err: err}
}

// reason builds a reason that still matches the sentinel with errors.Is.
func reason(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}

// describe renders a value for an error message, bounded in length so a
// huge value cannot flood logs (cut as FormatKey cuts).
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case []byte:
		h, cut := hexed(x)
		if cut {
			h += "..."
		}
		return fmt.Sprintf("%d bytes %s", len(x), h)
	case string:
		return "string " + FormatKeyValue(nil, x)
	}
	return reflect.TypeOf(v).String() + " " + FormatKeyValue(nil, v)
}

// ValidationError is a failed Validate. Msg is Cassandra's exact text, which a
// server returns verbatim in InvalidRequestException.why.
type ValidationError struct {
	Type string // short type name, e.g. "LongType"
	Msg  string // Cassandra's message, e.g. "Expected 8 or 0 byte long (3)"
}

// Error formats as "codec: LongType: invalid value: Expected 8 or 0 byte long (3)".
func (e *ValidationError) Error() string {
	return "codec: " + e.Type + ": invalid value: " + e.Msg
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

func invalid(t Type, format string, args ...any) error {
	return &ValidationError{Type: ShortName(t), Msg: fmt.Sprintf(format, args...)}
}

// ParseError is a class name that cannot be parsed. Msg is the message
// Cassandra gives for the same input where Cassandra has one, e.g.
// "Unable to find abstract-type class 'org.apache.cassandra.db.marshal.FooType'".
type ParseError struct {
	Class   string // the input
	Msg     string // the message
	Unknown bool   // a class name that no registered type answers to
}

// Error returns Msg unchanged, so a server can relay it verbatim.
func (e *ParseError) Error() string { return e.Msg }

// Is makes errors.Is(err, ErrUnknownType) true for unknown classes.
func (e *ParseError) Is(target error) bool { return e.Unknown && target == ErrUnknownType }
