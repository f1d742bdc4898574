package layout

import (
	"fmt"
	"testing"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/store"
)

// wideTable is (k int, c int, v0..v9, PRIMARY KEY (k, c)): even columns
// int, odd columns text, plus a set when withSet.
func wideTable(b *testing.B, withSet bool) *Layout {
	spec := Spec{Compound: true, Columns: []ColumnSpec{
		{Name: "k", Kind: PartitionKey, Type: codec.Int32},
		{Name: "c", Kind: Clustering, Type: codec.Int32}}}
	for i := 0; i < 10; i++ {
		t := codec.Int32
		if i%2 == 1 {
			t = codec.UTF8
		}
		spec.Columns = append(spec.Columns, ColumnSpec{Name: fmt.Sprintf("v%d", i), Kind: Regular, Type: t})
	}
	if withSet {
		spec.Columns = append(spec.Columns, ColumnSpec{Name: "tags", Kind: Regular, Collection: Set, Elements: codec.UTF8})
	}
	return mustLayout(b, spec)
}

func rowValues(l *Layout) []struct {
	col *Column
	v   []byte
} {
	var out []struct {
		col *Column
		v   []byte
	}
	for i := 0; i < 10; i++ {
		c := l.Column(fmt.Sprintf("v%d", i))
		v := i32(int32(i))
		if i%2 == 1 {
			v = txt("some text value")
		}
		out = append(out, struct {
			col *Column
			v   []byte
		}{c, v})
	}
	return out
}

// BenchmarkEncodeRow: the Ops of INSERT INTO t (k, c, v0..v9) VALUES (...).
func BenchmarkEncodeRow(b *testing.B) {
	l := wideTable(b, false)
	vals := rowValues(l)
	ck := [][]byte{i32(42)}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		u := l.NewUpdate(int64(i), 0, nil)
		if err := u.Insert(ck); err != nil {
			b.Fatal(err)
		}
		for _, cv := range vals {
			if err := u.Set(ck, cv.col, cv.v); err != nil {
				b.Fatal(err)
			}
		}
		if len(u.Ops()) != 11 {
			b.Fatal("ops")
		}
	}
}

func fillPartition(b *testing.B, l *Layout, withSet bool) *env {
	e := newEnv(b, l)
	vals := rowValues(l)
	e.update(i32(1), 0, 0, func(u *Update) error {
		for r := int32(0); r < 1000; r++ {
			ck := [][]byte{i32(r)}
			if err := u.Insert(ck); err != nil {
				return err
			}
			for _, cv := range vals {
				if err := u.Set(ck, cv.col, cv.v); err != nil {
					return err
				}
			}
			if withSet {
				if err := u.AddElements(ck, l.Column("tags"), list(txt("a"), txt("b"), txt("c"))); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return e
}

// BenchmarkAssemble1000Rows: assemble the 1000 rows of one partition from
// the store's cells (11 cells a row: marker and 10 columns).
func BenchmarkAssemble1000Rows(b *testing.B) {
	for _, withSet := range []bool{false, true} {
		name := "simple"
		if withSet {
			name = "with-set"
		}
		b.Run(name, func(b *testing.B) {
			l := wideTable(b, withSet)
			e := fillPartition(b, l, withSet)
			rows := 0
			asm := l.NewAssembler(false, func(*Row) bool { rows++; return true })
			all, _ := l.Slices(Selection{})
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rows = 0
				_ = e.st.ReadPartition(e.tbl, i32(1), func(p *store.Partition) {
					if _, err := asm.Partition(p, all, true); err != nil {
						b.Fatal(err)
					}
				})
				if rows != 1000 {
					b.Fatalf("%d rows", rows)
				}
			}
			b.StopTimer()
			ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / 1000
			b.ReportMetric(ns, "ns/row")
		})
	}
}

// BenchmarkReadPages: the same partition read through Read in pages of 100.
func BenchmarkReadPages(b *testing.B) {
	l := wideTable(b, false)
	e := fillPartition(b, l, false)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := Query{Keys: [][]byte{i32(1)}, PageSize: 100}
		n := 0
		for {
			res, err := l.Read(e.st, e.tbl, q, func(*Row) (bool, error) { n++; return true, nil })
			if err != nil {
				b.Fatal(err)
			}
			if res.State == nil {
				break
			}
			q.State = res.State
		}
		if n != 1000 {
			b.Fatalf("%d rows", n)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/row")
}

// BenchmarkInsertRowsWithSet: INSERTs of rows with a set into one growing
// partition; every INSERT writes a range tombstone (the set's overwrite),
// so this measures the store's range tombstone lookups as they pile up.
func BenchmarkInsertRowsWithSet(b *testing.B) {
	l := collTable(b)
	e := newEnv(b, l)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ck := ck1(int32(i))
		e.update(i32(1), 0, 0, func(u *Update) error {
			if err := u.Insert(ck); err != nil {
				return err
			}
			return u.Set(ck, l.Column("st"), list(txt("a"), txt("b")))
		})
	}
}
