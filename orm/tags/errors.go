package tags

import (
	"errors"
	"strconv"
)

// Sentinel causes carried by *TagError; test them with errors.Is.
var (
	// ErrSyntax means the tag text itself is malformed: an unterminated
	// quote, unbalanced parentheses, an empty or unknown option.
	ErrSyntax = errors.New("malformed tag")
	// ErrType means type= names no known marshal type, or the Go type of the
	// field cannot hold values of the declared (or any inferable) type.
	ErrType = errors.New("type mismatch")
	// ErrDefault means the default= literal does not parse for the field's
	// Go type, or the field cannot have a default.
	ErrDefault = errors.New("bad default")
	// ErrConflict means options or fields contradict each other: two
	// roles on one field, two key fields, two fields for one column.
	ErrConflict = errors.New("conflicting fields or options")
	// ErrNoKey is returned by Struct.RequireKey for a struct without a key
	// field.
	ErrNoKey = errors.New("no key field")
)

// TagError is a struct tag that cannot be used. It names the struct (the one
// that declares the field), the Go field, the tag text and the problem;
// Unwrap gives one of the sentinels above, or an underlying parse error.
type TagError struct {
	Struct  string // declaring struct type, e.g. "User"
	Field   string // Go field name, e.g. "Age"
	Tag     string // the cass tag as written (without the cass:"" wrapper)
	Problem string // what is wrong, for people
	Err     error  // ErrSyntax, ErrType, ErrDefault, ErrConflict or ErrNoKey
}

// Error formats as `tags: User.Age (cass:"age,type=Long"): type=Long cannot be
// stored in a Go string`.
func (e *TagError) Error() string {
	s := "tags: " + e.Struct
	if e.Field != "" {
		s += "." + e.Field
	}
	if e.Tag != "" {
		s += " (cass:" + strconv.Quote(e.Tag) + ")"
	}
	return s + ": " + e.Problem
}

// Unwrap returns the cause.
func (e *TagError) Unwrap() error { return e.Err }
