package cql

import "github.com/cassa-go/cassa/query"

// RenderForServer compiles q without refusing anything, and returns the
// first refusal Compile would have made: the conformance tests send the
// text to Cassandra to check that it refuses it too.
func RenderForServer(t *Table, q query.Select) (st Statement, refused error, err error) {
	p, err := q.Parts()
	if err != nil {
		return Statement{}, nil, err
	}
	c := &compiler{t: t, p: &p, byCol: map[string]*restriction{}, renderOnly: true}
	if err := c.compile(); err != nil {
		return Statement{}, nil, err
	}
	return Statement{CQL: c.b.String(), Args: c.args}, c.refused, nil
}

// Exported internals for the package's unit tests.
var (
	MapError     = mapError
	ClassifyStmt = func(s string) (write, idempotent bool) { i := analyse(s); return i.write(), i.idempotent() }
	RetryClassOf = func(err error) int { return int(classifyRetry(err)) }
	ShapeOf      = statementShape
	NewTokenAEAD = newAEAD
	SealToken    = sealToken
	OpenToken    = openToken
	Shorten      = shorten
	ParseTarget  = parseIndexTarget
	QuoteIdent   = quoteIdent
)

// PlanBatch groups and splits statements as Batch.Send would, from
// (partition, size) pairs, returning the batches as index lists.
func PlanBatch(typ BatchType, warn int, items [][2]any) [][]int {
	b := &Batch{opts: batchOpts{typ: typ}, warn: warn}
	q := make([]*batchItem, len(items))
	index := map[*batchItem]int{}
	for i, it := range items {
		q[i] = &batchItem{part: it[0].(string), size: it[1].(int)}
		index[q[i]] = i
	}
	var out [][]int
	for _, batch := range b.plan(q) {
		var ids []int
		for _, it := range batch {
			ids = append(ids, index[it])
		}
		out = append(out, ids)
	}
	return out
}
