package store

import (
	"fmt"
	"testing"

	"github.com/cassa-go/cassa/partitioner"
)

func benchEnv(b *testing.B) *env {
	return newEnv(b, partitioner.Murmur3Partitioner{})
}

// BenchmarkApplySingle writes one column into a fresh row per op, as a
// stream of Thrift inserts does.
func BenchmarkApplySingle(b *testing.B) {
	e := benchEnv(b)
	keys := make([][]byte, b.N)
	for i := range keys {
		keys[i] = []byte(fmt.Sprintf("key%09d", i))
	}
	name, value := []byte("col"), []byte("value-of-some-length")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := RowMutation{TableID: e.tbl.ID, Key: keys[i], Ops: []Op{{Kind: OpPut, Name: name, Value: value, Timestamp: int64(i), LocalTime: 1}}}
		if err := e.st.Apply(m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplySingleParallel is BenchmarkApplySingle from many goroutines
// into overlapping rows.
func BenchmarkApplySingleParallel(b *testing.B) {
	e := benchEnv(b)
	keys := make([][]byte, 4096)
	for i := range keys {
		keys[i] = []byte(fmt.Sprintf("key%09d", i))
	}
	name, value := []byte("col"), []byte("value-of-some-length")
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			m := RowMutation{TableID: e.tbl.ID, Key: keys[i%len(keys)], Ops: []Op{{Kind: OpPut, Name: name, Value: value, Timestamp: int64(i), LocalTime: 1}}}
			if err := e.st.Apply(m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkBatch100 applies a 100-column mutation to one row.
func BenchmarkBatch100(b *testing.B) {
	e := benchEnv(b)
	ops := make([]Op, 100)
	for i := range ops {
		ops[i] = Op{Kind: OpPut, Name: []byte(fmt.Sprintf("col%03d", i)), Value: []byte("v"), LocalTime: 1}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range ops {
			ops[j].Timestamp = int64(i)
		}
		m := RowMutation{TableID: e.tbl.ID, Key: []byte(fmt.Sprintf("k%d", i%1000)), Ops: ops}
		if err := e.st.Apply(m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetSlice reads the first 10 of 50 columns of a row among 10000.
func BenchmarkGetSlice(b *testing.B) {
	e := benchEnv(b)
	for r := 0; r < 10000; r++ {
		ops := make([]Op, 50)
		for i := range ops {
			ops[i] = put(fmt.Sprintf("col%03d", i), "value", 1)
		}
		e.st.Apply(NewRowMutation(e.tbl, []byte(fmt.Sprintf("key%05d", r)), ops...))
	}
	pred := rng("", "", false, 10)
	key := []byte("key04242")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got, err := e.st.GetSlice(e.tbl, key, nil, pred)
		if err != nil || len(got) != 10 {
			b.Fatal(err, len(got))
		}
	}
}

// BenchmarkRangeScan1000 reads 1000 rows of 5 columns from a table of 20000.
func BenchmarkRangeScan1000(b *testing.B) {
	e := benchEnv(b)
	for r := 0; r < 20000; r++ {
		ops := make([]Op, 5)
		for i := range ops {
			ops[i] = put(fmt.Sprintf("c%d", i), "value", 1)
		}
		e.st.Apply(NewRowMutation(e.tbl, []byte(fmt.Sprintf("key%05d", r)), ops...))
	}
	pred := all()
	kr := keyRange("", "", 1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got, err := e.st.GetRangeSlices(e.tbl, nil, pred, kr)
		if err != nil || len(got) != 1000 {
			b.Fatal(err, len(got))
		}
	}
}
