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
