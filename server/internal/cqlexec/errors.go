package cqlexec

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"

	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/cqlquery"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// The native-protocol error codes the executor answers with
// (org.apache.cassandra.exceptions.ExceptionCode): those of the data
// statements (package cqlquery), and Unprepared.
const (
	CodeServer        = cqlquery.CodeServer
	CodeProtocol      = cqlquery.CodeProtocol
	CodeUnavailable   = cqlquery.CodeUnavailable
	CodeSyntax        = cqlquery.CodeSyntax
	CodeUnauthorized  = cqlquery.CodeUnauthorized
	CodeInvalid       = cqlquery.CodeInvalid
	CodeConfig        = cqlquery.CodeConfig
	CodeAlreadyExists = cqlquery.CodeAlreadyExists
	CodeUnprepared    = 0x2500
)

// Error is a request the executor refuses: Code is the native-protocol
// error code and Message Cassandra's text. Keyspace and Table fill the body
// of AlreadyExists, ID the body of Unprepared, Consistency, Required and
// Alive the body of Unavailable.
type Error struct {
	Code     int
	Message  string
	Keyspace string
	Table    string
	ID       []byte

	Consistency     uint16
	Required, Alive int32
}

// Error returns Message.
func (e *Error) Error() string { return e.Message }

// Is matches a sentinel of the same code: errors.Is(err, ErrInvalid).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Code == e.Code
}

// Sentinels for errors.Is.
var (
	ErrInvalid      = &Error{Code: CodeInvalid}
	ErrUnauthorized = &Error{Code: CodeUnauthorized}
	ErrUnprepared   = &Error{Code: CodeUnprepared}
)

func invalidf(format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Message: fmt.Sprintf(format, args...)}
}

func unauthorizedf(format string, args ...any) *Error {
	return &Error{Code: CodeUnauthorized, Message: fmt.Sprintf(format, args...)}
}

func configf(format string, args ...any) *Error {
	return &Error{Code: CodeConfig, Message: fmt.Sprintf(format, args...)}
}

// msgNoKeyspace is ClientState.getKeyspace's refusal.
const msgNoKeyspace = "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename"

// unprepared is PreparedQueryNotFoundException.
func unprepared(id []byte) *Error {
	return &Error{Code: CodeUnprepared, ID: append([]byte(nil), id...), Message: fmt.Sprintf(
		"Prepared query with ID %s not found (either the query was not prepared on this host (maybe the host "+
			"has been restarted?) or you have prepared too many queries and it has been evicted from the internal cache)",
		hex.EncodeToString(id))}
}

// errorMessage turns an error into the ERROR message 3.11 sends for it
// (ErrorMessage.fromException): the executor's own errors, the data
// statements' (cqlquery), the parser's SyntaxError and the schema's errors
// keep their codes and bodies; anything else is a server error.
func errorMessage(err error) message.Message {
	var e *Error
	var qe *cqlquery.Error
	var se *schema.Error
	var syn *cqlparse.SyntaxError
	switch {
	case errors.As(err, &e):
		return codeMessage(e)
	case errors.As(err, &qe):
		return codeMessage(&Error{Code: qe.Code, Message: qe.Message,
			Consistency: qe.Consistency, Required: int32(qe.Required), Alive: int32(qe.Alive)})
	case errors.As(err, &syn):
		return &message.SyntaxError{ErrorMessage: syn.Message}
	case errors.As(err, &se):
		return codeMessage(&Error{Code: int(se.Code), Message: se.Msg, Keyspace: se.Keyspace, Table: se.Table})
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return &message.ServerError{ErrorMessage: "request cancelled: " + err.Error()}
	}
	return &message.ServerError{ErrorMessage: err.Error()}
}

// codeMessage is the ERROR message of e's code.
func codeMessage(e *Error) message.Message {
	msg := e.Message
	switch e.Code {
	case CodeProtocol:
		return &message.ProtocolError{ErrorMessage: msg}
	case CodeSyntax:
		return &message.SyntaxError{ErrorMessage: msg}
	case CodeUnauthorized:
		return &message.Unauthorized{ErrorMessage: msg}
	case CodeInvalid:
		return &message.Invalid{ErrorMessage: msg}
	case CodeConfig:
		return &message.ConfigError{ErrorMessage: msg}
	case CodeAlreadyExists:
		return &message.AlreadyExists{ErrorMessage: msg, Keyspace: e.Keyspace, Table: e.Table}
	case CodeUnprepared:
		return &message.Unprepared{ErrorMessage: msg, Id: e.ID}
	case CodeUnavailable:
		return &message.Unavailable{ErrorMessage: msg, Consistency: primitive.ConsistencyLevel(e.Consistency),
			Required: e.Required, Alive: e.Alive}
	}
	return &message.ServerError{ErrorMessage: msg}
}
