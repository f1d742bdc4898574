package partitioner

import (
	"errors"
	"fmt"
)

// ErrInvalidToken is matched (errors.Is) by every *TokenError.
var ErrInvalidToken = errors.New("invalid token")

// ErrUnknownPartitioner is matched (errors.Is) by every *UnknownPartitionerError.
var ErrUnknownPartitioner = errors.New("unknown partitioner")

// ErrTokenKind is returned when a token of one partitioner is handed to
// another, e.g. a RandomToken to Murmur3Partitioner.Split.
var ErrTokenKind = errors.New("token belongs to another partitioner")

// ErrSplitParts is returned by Split when parts is less than one.
var ErrSplitParts = errors.New("split parts must be at least 1")

// maxQuoted bounds how much of a bad token string an error message repeats,
// since the string may come from a network peer.
const maxQuoted = 64

// TokenError reports a token string that the partitioner cannot parse. Its
// message is meant to be shown to a client as is (the embedded server answers
// an InvalidRequestException with it).
type TokenError struct {
	// Partitioner is the short class name, e.g. "Murmur3Partitioner".
	Partitioner string
	// Token is the string that failed to parse.
	Token string
	// Reason says what a valid token looks like.
	Reason string
}

// Error implements error.
func (e *TokenError) Error() string {
	s := e.Token
	if len(s) > maxQuoted {
		s = s[:maxQuoted] + "..."
	}
	return fmt.Sprintf("invalid %s token %q: %s", e.Partitioner, s, e.Reason)
}

// Is reports whether target is ErrInvalidToken.
func (e *TokenError) Is(target error) bool { return target == ErrInvalidToken }

// UnknownPartitionerError reports a partitioner class name ByName does not know.
type UnknownPartitionerError struct {
	// Name is the name as given.
	Name string
}

// Error implements error.
func (e *UnknownPartitionerError) Error() string {
	s := e.Name
	if len(s) > maxQuoted {
		s = s[:maxQuoted] + "..."
	}
	return fmt.Sprintf("unknown partitioner %q (known: Murmur3Partitioner, RandomPartitioner, ByteOrderedPartitioner, OrderPreservingPartitioner)", s)
}

// Is reports whether target is ErrUnknownPartitioner.
func (e *UnknownPartitionerError) Is(target error) bool { return target == ErrUnknownPartitioner }
