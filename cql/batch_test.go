package cql_test

import (
	"reflect"
	"testing"

	"github.com/cassa-go/cassa/cql"
)

// TestBatchPlan is how queued statements are grouped by partition and
// split by size: items are (partition, estimated bytes).
func TestBatchPlan(t *testing.T) {
	const warn = 100
	for _, tc := range []struct {
		name  string
		typ   cql.BatchType
		items [][2]any
		want  [][]int
	}{
		{"logged, one partition", cql.LoggedBatch,
			[][2]any{{"a", 10}, {"a", 10}, {"a", 10}}, [][]int{{0, 1, 2}}},
		{"logged, partitions grouped in order of first use", cql.LoggedBatch,
			[][2]any{{"a", 10}, {"b", 10}, {"a", 10}, {"c", 10}, {"b", 10}}, [][]int{{0, 2, 1, 4, 3}}},
		{"logged, split at the warn threshold, partitions whole", cql.LoggedBatch,
			[][2]any{{"a", 40}, {"b", 40}, {"a", 10}, {"c", 40}, {"d", 20}}, [][]int{{0, 2, 1}, {3, 4}}},
		{"logged, exactly the threshold fits", cql.LoggedBatch,
			[][2]any{{"a", 50}, {"b", 50}, {"c", 1}}, [][]int{{0, 1}, {2}}},
		{"logged, a partition over the threshold goes alone, unsplit", cql.LoggedBatch,
			[][2]any{{"a", 30}, {"big", 80}, {"b", 30}, {"big", 80}, {"c", 30}}, [][]int{{0}, {1, 3}, {2, 4}}},
		{"unlogged, one batch per partition", cql.UnloggedBatch,
			[][2]any{{"a", 1}, {"b", 1}, {"a", 1}, {"c", 1}}, [][]int{{0, 2}, {1}, {3}}},
		{"counter, one batch per partition, whatever the size", cql.CounterBatch,
			[][2]any{{"a", 500}, {"a", 500}, {"b", 1}}, [][]int{{0, 1}, {2}}},
		{"empty", cql.LoggedBatch, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := cql.PlanBatch(tc.typ, warn, tc.items)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("plan = %v, want %v", got, tc.want)
			}
		})
	}

	// The native protocol's limit of 65535 statements per batch.
	var many [][2]any
	for range 70000 {
		many = append(many, [2]any{"a", 0})
	}
	got := cql.PlanBatch(cql.UnloggedBatch, warn, many)
	if len(got) != 2 || len(got[0]) != 65535 || len(got[1]) != 70000-65535 {
		t.Errorf("70000 statements in one partition: batches of %d and %d", len(got[0]), len(got[len(got)-1]))
	}
	got = cql.PlanBatch(cql.LoggedBatch, 1<<30, many)
	if len(got) != 2 || len(got[0]) != 65535 {
		t.Errorf("logged, 70000 statements: %d batches", len(got))
	}
}
