package cqlexec

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"

	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/cqlquery"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// Every error becomes the ERROR message of its code, with the body the
// code needs (ErrorMessage.fromException).
func TestErrorMessage(t *testing.T) {
	_, syn := cqlparse.Parse("SELEC")
	cases := []struct {
		err  error
		want message.Message
	}{
		{invalidf("bad %d", 1), &message.Invalid{ErrorMessage: "bad 1"}},
		{fmt.Errorf("wrapped: %w", unauthorizedf("no")), &message.Unauthorized{ErrorMessage: "no"}},
		{configf("cfg"), &message.ConfigError{ErrorMessage: "cfg"}},
		{&Error{Code: CodeProtocol, Message: "p"}, &message.ProtocolError{ErrorMessage: "p"}},
		{&Error{Code: CodeSyntax, Message: "s"}, &message.SyntaxError{ErrorMessage: "s"}},
		{&Error{Code: CodeUnavailable, Message: "Cannot achieve consistency level QUORUM", Consistency: 4, Required: 2, Alive: 1},
			&message.Unavailable{ErrorMessage: "Cannot achieve consistency level QUORUM", Consistency: primitive.ConsistencyLevelQuorum, Required: 2, Alive: 1}},
		{unprepared([]byte{1, 2}), &message.Unprepared{ErrorMessage: unprepared([]byte{1, 2}).Message, Id: []byte{1, 2}}},
		{syn, &message.SyntaxError{ErrorMessage: syn.Error()}},
		{&schema.Error{Code: schema.CodeAlreadyExists, Msg: "exists", Keyspace: "ks", Table: "t"},
			&message.AlreadyExists{ErrorMessage: "exists", Keyspace: "ks", Table: "t"}},
		{&schema.Error{Code: schema.CodeConfig, Msg: "c"}, &message.ConfigError{ErrorMessage: "c"}},
		{&schema.Error{Code: schema.CodeUnauthorized, Msg: "u"}, &message.Unauthorized{ErrorMessage: "u"}},
		// The data statements' errors (cqlquery), each with its code's body.
		{&cqlquery.Error{Code: cqlquery.CodeInvalid, Message: "Undefined column name x"},
			&message.Invalid{ErrorMessage: "Undefined column name x"}},
		{fmt.Errorf("run: %w", &cqlquery.Error{Code: cqlquery.CodeUnavailable, Message: "Cannot achieve consistency level QUORUM",
			Consistency: 4, Required: 2, Alive: 1}),
			&message.Unavailable{ErrorMessage: "Cannot achieve consistency level QUORUM", Consistency: primitive.ConsistencyLevelQuorum, Required: 2, Alive: 1}},
		{&cqlquery.Error{Code: cqlquery.CodeSyntax, Message: "Only EQ and IN relation are supported on the partition key"},
			&message.SyntaxError{ErrorMessage: "Only EQ and IN relation are supported on the partition key"}},
		{&cqlquery.Error{Code: cqlquery.CodeProtocol, Message: "Invalid value for the paging state"},
			&message.ProtocolError{ErrorMessage: "Invalid value for the paging state"}},
		{&cqlquery.Error{Code: cqlquery.CodeUnauthorized, Message: "u"}, &message.Unauthorized{ErrorMessage: "u"}},
		{&cqlquery.Error{Code: cqlquery.CodeConfig, Message: "c"}, &message.ConfigError{ErrorMessage: "c"}},
		{&cqlquery.Error{Code: cqlquery.CodeServer, Message: "store failed"}, &message.ServerError{ErrorMessage: "store failed"}},
		{errors.New("boom"), &message.ServerError{ErrorMessage: "boom"}},
		{context.Canceled, &message.ServerError{ErrorMessage: "request cancelled: context canceled"}},
	}
	for _, c := range cases {
		if got := errorMessage(c.err); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v:\n got %#v\nwant %#v", c.err, got, c.want)
		}
	}
	if !errors.Is(invalidf("x"), ErrInvalid) || errors.Is(invalidf("x"), ErrUnauthorized) || !errors.Is(unprepared(nil), ErrUnprepared) {
		t.Error("errors.Is on codes")
	}
}
