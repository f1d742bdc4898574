package migrate

import (
	"fmt"
	"testing"
)

// benchSpec is a keyspace of n tables with a few typed, indexed columns.
func benchSpec(n int) *KeyspaceSpec {
	spec := &KeyspaceSpec{Name: "Bench", Tables: make([]TableSpec, n)}
	for i := range spec.Tables {
		spec.Tables[i] = TableSpec{
			Name: fmt.Sprintf("t%02d", i), Comparator: "UTF8Type", KeyValidation: "UUIDType",
			Columns: []ColumnSpec{
				{Name: "name", Validator: "UTF8Type"},
				{Name: "state", Validator: "UTF8Type", Index: true},
				{Name: "born", Validator: "LongType", Index: true},
				{Name: "score", Validator: "CompositeType(LongType,ReversedType(UTF8Type))"},
			},
			Attributes: Attributes{Comment: Ptr("bench"), GCGraceSeconds: Ptr[int32](3600)},
		}
	}
	return spec
}

// BenchmarkPlanUpToDate measures planning 20 tables against a keyspace that
// already matches: one describe_keyspace plus the canonical diff.
func BenchmarkPlanUpToDate(b *testing.B) {
	ctx, sys := setup(b, "")
	spec := benchSpec(20)
	p, err := PlanSchema(ctx, sys, spec)
	must(b, err)
	must(b, p.Apply(ctx))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p, err := PlanSchema(ctx, sys, spec)
		if err != nil || !p.Empty() {
			b.Fatal(err, p)
		}
	}
}

// BenchmarkValidate measures checking a 20-table spec (type parsing and
// name packing), with no I/O.
func BenchmarkValidate(b *testing.B) {
	spec := benchSpec(20)
	b.ReportAllocs()
	for b.Loop() {
		if err := spec.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

// cqlBenchSpec is a keyspace of n CQL tables with clustering, a collection,
// an index and options.
func cqlBenchSpec(ks string, n int) *KeyspaceSpec {
	spec := &KeyspaceSpec{Name: ks, Tables: make([]TableSpec, n)}
	for i := range spec.Tables {
		spec.Tables[i] = TableSpec{
			Name: fmt.Sprintf("t%02d", i), PartitionKey: []string{"id"}, Clustering: []ClusteringSpec{{Name: "at", Order: "desc"}},
			Columns: []ColumnSpec{
				{Name: "id", Type: "uuid"}, {Name: "at", Type: "timestamp"}, {Name: "name", Type: "text"},
				{Name: "state", Type: "text", Index: true}, {Name: "tags", Type: "set<text>"},
			},
			Options: map[string]any{"comment": "bench", "gc_grace_seconds": 3600,
				"compaction": map[string]any{"class": "LeveledCompactionStrategy"}},
		}
	}
	return spec
}

// BenchmarkPlanCQLUpToDate measures planning 20 CQL tables against a
// keyspace that already matches: the system_schema reads (keyspace,
// tables, columns, dropped columns, indexes, types, the option names, the
// release) plus the diff.
func BenchmarkPlanCQLUpToDate(b *testing.B) {
	ctx, db, ks := cqlSetup(b)
	spec := cqlBenchSpec(ks, 20)
	p, err := PlanCQL(ctx, db, spec)
	must(b, err)
	must(b, p.Apply(ctx))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p, err := PlanCQL(ctx, db, spec)
		if err != nil || !p.Empty() {
			b.Fatal(err, p)
		}
	}
}
