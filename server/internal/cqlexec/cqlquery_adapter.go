//go:build ignore

// The adapter to package cqlquery, written against the contract between
// the two packages and left out of the build until cqlquery is merged. At
// the merge: drop the build tag above, adapt the names cqlquery refined,
// delete interim.go, set e.data = newQueryEngine(e.node, e.virtual) in
// New, and add to errorMessage (errors.go):
//
//	case errors.As(err, &qe): // qe *cqlquery.Error
//		return queryErrorMessage(qe)

package cqlexec

import (
	"context"

	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"

	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/cqlquery"
	"github.com/cassa-go/cassa/server/internal/layout"
)

// queryEngine is the dataEngine of package cqlquery.
type queryEngine struct{ env *cqlquery.Env }

func newQueryEngine(n Node, v *virtualTables) *queryEngine {
	return &queryEngine{env: &cqlquery.Env{
		Catalog:     n.Catalog,
		Store:       n.Store(),
		Write:       n.Write,
		Partitioner: n.Partitioner(),
		Now:         n.Now,
		ListIDs:     layout.NewListIDs(n.Now),
		Virtual:     v,
	}}
}

func (q *queryEngine) prepare(keyspace string, p *cqlparse.Parsed) (dataStatement, error) {
	st, err := cqlquery.Prepare(q.env, keyspace, p)
	if err != nil {
		return nil, err
	}
	return &queryStatement{env: q.env, st: st}, nil
}

func (q *queryEngine) executeBatch(ctx context.Context, kind primitive.BatchType, items []batchItem, o dataOptions) (*dataResult, error) {
	qi := make([]cqlquery.BatchItem, len(items))
	for i, it := range items {
		qi[i] = cqlquery.BatchItem{Statement: it.Statement.(*queryStatement).st, Values: queryValues(it.Values)}
	}
	r, err := cqlquery.ExecuteBatch(ctx, q.env, cqlquery.BatchKind(kind), qi, queryOptions(o))
	if err != nil {
		return nil, err
	}
	return fromQueryResult(r), nil
}

type queryStatement struct {
	env *cqlquery.Env
	st  *cqlquery.Statement
}

func (s *queryStatement) boundColumns() []column  { return fromQueryColumns(s.st.BindColumns) }
func (s *queryStatement) pkIndexes() []uint16     { return s.st.PKIndexes }
func (s *queryStatement) resultColumns() []column { return fromQueryColumns(s.st.ResultColumns) }

func (s *queryStatement) execute(ctx context.Context, o dataOptions) (*dataResult, error) {
	r, err := s.st.Execute(ctx, s.env, queryOptions(o))
	if err != nil {
		return nil, err
	}
	return fromQueryResult(r), nil
}

// queryValues keeps unset apart from null (cqlquery.Unset is the
// contract's marker; nil is null).
func queryValues(vs []value) [][]byte {
	out := make([][]byte, len(vs))
	for i, v := range vs {
		if v.Unset {
			out[i] = cqlquery.Unset
			continue
		}
		out[i] = v.Bytes
	}
	return out
}

func queryOptions(o dataOptions) cqlquery.Options {
	return cqlquery.Options{
		Values:            queryValues(o.Values),
		Consistency:       o.Consistency,
		SerialConsistency: o.SerialConsistency,
		PageSize:          o.PageSize,
		PagingState:       o.PagingState,
		Timestamp:         o.Timestamp,
		HasTimestamp:      o.HasTimestamp,
		ProtocolVersion:   o.ProtocolVersion,
	}
}

func fromQueryColumns(cs []cqlquery.Column) []column {
	if cs == nil {
		return nil
	}
	out := make([]column, len(cs))
	for i, c := range cs {
		out[i] = column{Keyspace: c.Keyspace, Table: c.Table, Name: c.Name, Type: c.Type}
	}
	return out
}

func fromQueryResult(r *cqlquery.Result) *dataResult {
	return &dataResult{Columns: fromQueryColumns(r.Columns), Rows: r.Rows, PagingState: r.PagingState, Warnings: r.Warnings}
}

// queryErrorMessage is the ERROR message of a cqlquery error (add the
// fields the contract's Error carries for Unavailable and the timeouts).
func queryErrorMessage(e *cqlquery.Error) message.Message {
	return codeMessage(&Error{Code: e.Code, Message: e.Message})
}
