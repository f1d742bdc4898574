package validate

import (
	"strconv"
	"testing"

	"github.com/cassa-go/cassa/thriftgen"
)

func BenchmarkValidateInsert(b *testing.B) {
	par := parent("StandardUTF8")
	c := &thriftgen.Column{Name: []byte("utf"), Value: []byte("some text"), Timestamp: i64(1)}
	key := []byte("row-key")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := ValidateInsert(rf1, standardUTF8, key, par, c, ONE, now, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateGetSlice(b *testing.B) {
	par := parent("StandardLong1")
	pred := rng(long(1), long(1000), false, 100)
	key := long(42)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := ValidateGetSlice(rf1, standardLong1, key, par, pred, QUORUM); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateBatchMutate100 validates one row of 100 columns.
func BenchmarkValidateBatchMutate100(b *testing.B) {
	muts := make([]*thriftgen.Mutation, 100)
	for i := range muts {
		muts[i] = &thriftgen.Mutation{ColumnOrSupercolumn: &thriftgen.ColumnOrSuperColumn{
			Column: &thriftgen.Column{Name: []byte("c" + strconv.Itoa(i)), Value: []byte("v"), Timestamp: i64(1)}}}
	}
	m := map[string]map[string][]*thriftgen.Mutation{"row": {"Standard1": muts}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := ValidateBatchMutate(cat, ks1, m, ONE, false, now, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderNameBytes(b *testing.B) {
	typ := indexed1.Comparator
	name := []byte("birthdate")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = RenderName(typ, name)
	}
}
