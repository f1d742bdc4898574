package orm

import (
	"context"

	"github.com/cassa-go/cassa/query"
)

var bg = context.Background()

// StatementsOf returns the CQL statement texts a mapper has made, for
// tests: every one names its columns, and each shape is made once.
func StatementsOf[T, K any](m *Mapper[T, K]) []string {
	t, ok := m.tx.(*cqlTable)
	if !ok {
		return nil
	}
	var out []string
	t.views.Range(func(_, v any) bool {
		cv := v.(*cqlView)
		cv.mu.RLock()
		for _, s := range cv.stmts {
			out = append(out, s)
		}
		cv.mu.RUnlock()
		return true
	})
	return out
}

// CompiledFind is the SELECT Find sends for q (CQL mappers only).
func CompiledFind[T, K any](m *Mapper[T, K], q query.Select, opts ...CallOption) (string, error) {
	_, rq, r, err := m.findArgs(bg, q, opts)
	if err != nil {
		return "", err
	}
	t := m.tx.(*cqlTable)
	v, err := t.view(bg, r.keyspace, false)
	if err != nil {
		return "", err
	}
	st, _, err := t.compile(v, rq, nil)
	return st.CQL, err
}
