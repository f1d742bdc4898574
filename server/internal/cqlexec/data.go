package cqlexec

import (
	"context"

	"github.com/datastax/go-cassandra-native-protocol/primitive"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
)

// The data statements (SELECT, INSERT, UPDATE, DELETE, BATCH) are prepared
// and run by package cqlquery; the executor reaches it through
// dataEngine, whose shape is the contract between the two packages
// (cqlquery.Prepare, Statement.Execute, ExecuteBatch). Everything the
// executor does around them (the prepared cache, bind values, paging
// options, results, errors) is written against this seam.

// dataEngine prepares and runs data statements.
type dataEngine interface {
	// prepare prepares a SELECT, INSERT, UPDATE, DELETE or BATCH
	// statement; keyspace is the session's ("" when none).
	prepare(keyspace string, p *cqlparse.Parsed) (dataStatement, error)
	// executeBatch runs the statements of a protocol BATCH message as
	// one batch of the given type (BatchMessage.execute).
	executeBatch(ctx context.Context, kind primitive.BatchType, items []batchItem, o dataOptions) (*dataResult, error)
}

// dataStatement is a prepared data statement.
type dataStatement interface {
	// boundColumns are the bind variables' specifications (names and
	// types), in marker order.
	boundColumns() []column
	// pkIndexes are, per partition key column, the index of the marker
	// binding it (empty unless every one is bound by a marker).
	pkIndexes() []uint16
	// resultColumns are the columns of a SELECT's rows; nil otherwise.
	resultColumns() []column
	// execute runs the statement with bound values.
	execute(ctx context.Context, o dataOptions) (*dataResult, error)
}

// column is one column of bind or result metadata.
type column struct {
	Keyspace, Table, Name string
	Type                  codec.Type
}

// value is one bound value: Bytes nil is null; Unset is the protocol's
// "not set" marker (leave the column unchanged).
type value struct {
	Bytes []byte
	Unset bool
}

// dataOptions are a request's query options, as 3.11's QueryOptions
// means them.
type dataOptions struct {
	Values            []value
	Consistency       uint16
	SerialConsistency uint16
	// PageSize <= 0 means no paging.
	PageSize    int
	PagingState []byte
	// Timestamp is the client's default timestamp in microseconds, when
	// HasTimestamp is set; otherwise the server's clock decides.
	Timestamp       int64
	HasTimestamp    bool
	ProtocolVersion int
}

// batchItem is one statement of a protocol BATCH with its values.
type batchItem struct {
	Statement dataStatement
	Values    []value
}

// dataResult is a data statement's answer: Columns nil for a write
// (RESULT Void), otherwise Rows; PagingState is nil on the last page.
type dataResult struct {
	Columns     []column
	Rows        [][][]byte
	PagingState []byte
	Warnings    []string
}
