package store

import (
	"fmt"
	"testing"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/thriftgen"
)

// TestExportRebuildsRows exports a store holding every kind of cell and
// tombstone, applies the export to an empty store, and expects every read
// (and every write that a tombstone must still hide) to match.
func TestExportRebuildsRows(t *testing.T) {
	for _, super := range []bool{false, true} {
		t.Run(fmt.Sprint("super=", super), func(t *testing.T) {
			tbl := newTestTable()
			if super {
				tbl = newTestTable(superCF)
			}
			var sc []byte
			if super {
				sc = []byte("sc")
			}
			src := New(partitioner.Murmur3Partitioner{}, Options{})
			src.CreateTable(tbl)
			ops := []Op{
				{Kind: OpPut, Super: sc, Name: []byte("a"), Value: []byte("1"), Timestamp: 10},
				{Kind: OpPut, Super: sc, Name: []byte("b"), Value: []byte("2"), Timestamp: 10, TTL: 1000},
				{Kind: OpPut, Super: sc, Name: []byte("c"), Value: []byte{}, Timestamp: 10},
				{Kind: OpDeleteColumn, Super: sc, Name: []byte("d"), Timestamp: 20},
				{Kind: OpDeleteRange, Super: sc, Start: []byte("x"), Finish: []byte("z"), Timestamp: 20},
				{Kind: OpDeleteRange, Super: sc, Start: []byte("m"), Finish: []byte("o"), StartExclusive: true, FinishExclusive: true, Timestamp: 20},
			}
			mustOK(t, src.Apply(NewRowMutation(tbl, []byte("k1"), ops...)))
			mustOK(t, src.Apply(NewRowMutation(tbl, []byte("k2"), Op{Kind: OpDeleteRow, Timestamp: 30})))
			if super {
				mustOK(t, src.Apply(NewRowMutation(tbl, []byte("k3"), Op{Kind: OpDeleteSuper, Super: []byte("gone"), Timestamp: 30})))
			}

			dst := New(partitioner.Murmur3Partitioner{}, Options{})
			dst.CreateTable(tbl)
			n := 0
			mustOK(t, src.Export(tbl, func(m RowMutation) error { n++; return dst.Apply(m) }))
			if want := map[bool]int{false: 2, true: 3}[super]; n != want {
				t.Fatalf("exported %d rows, want %d", n, want)
			}
			// Writes under the tombstones stay hidden in both stores.
			probe := func(s *Store) {
				mustOK(t, s.Apply(
					NewRowMutation(tbl, []byte("k1"), Op{Kind: OpPut, Super: sc, Name: []byte("d"), Value: []byte("late"), Timestamp: 5}),
					NewRowMutation(tbl, []byte("k1"), Op{Kind: OpPut, Super: sc, Name: []byte("y"), Value: []byte("late"), Timestamp: 5}),
					// An exclusive end stays exclusive; inside is hidden.
					NewRowMutation(tbl, []byte("k1"), Op{Kind: OpPut, Super: sc, Name: []byte("m"), Value: []byte("end"), Timestamp: 5}),
					NewRowMutation(tbl, []byte("k1"), Op{Kind: OpPut, Super: sc, Name: []byte("n"), Value: []byte("late"), Timestamp: 5}),
					NewRowMutation(tbl, []byte("k2"), Op{Kind: OpPut, Super: sc, Name: []byte("a"), Value: []byte("late"), Timestamp: 5}),
				))
			}
			probe(src)
			probe(dst)
			pred := &thriftgen.SlicePredicate{SliceRange: &thriftgen.SliceRange{Start: []byte{}, Finish: []byte{}, Count: 100}}
			for _, key := range []string{"k1", "k2", "k3"} {
				a, err := src.GetSlice(tbl, []byte(key), sc, pred)
				mustOK(t, err)
				b, err := dst.GetSlice(tbl, []byte(key), sc, pred)
				mustOK(t, err)
				if fmt.Sprint(exportedCols(a)) != fmt.Sprint(exportedCols(b)) {
					t.Fatalf("row %s: source %v, rebuilt %v", key, exportedCols(a), exportedCols(b))
				}
			}
		})
	}
}

func exportedCols(items []*thriftgen.ColumnOrSuperColumn) []string {
	var out []string
	for _, it := range items {
		if c := it.Column; c != nil {
			out = append(out, fmt.Sprintf("%s=%q@%d/%d", c.Name, c.Value, c.GetTimestamp(), c.GetTTL()))
		}
	}
	return out
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
