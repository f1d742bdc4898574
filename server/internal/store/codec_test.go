package store

import (
	"testing"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/thriftgen"
)

// TestRealComparators runs the store with codec's comparators, where names
// are ordered numerically or by component and different bytes can name the
// same column (IntegerType and DecimalType compare numerically, so 0x0001
// and 0x01 are one IntegerType name).
func TestRealComparators(t *testing.T) {
	names := func(items []*thriftgen.ColumnOrSuperColumn) []string {
		var out []string
		for _, it := range items {
			out = append(out, string(it.Column.Value))
		}
		return out
	}
	t.Run("LongType is signed", func(t *testing.T) {
		e := newEnv(t, nil, withComparator(codec.MustParse("LongType")))
		e.apply("k",
			Op{Kind: OpPut, Name: long(5), Value: []byte("5"), Timestamp: 1},
			Op{Kind: OpPut, Name: long(-1), Value: []byte("-1"), Timestamp: 1},
			Op{Kind: OpPut, Name: long(0), Value: []byte("0"), Timestamp: 1},
		)
		got, _ := e.st.GetSlice(e.tbl, []byte("k"), nil, all())
		if s := names(got); len(s) != 3 || s[0] != "-1" || s[1] != "0" || s[2] != "5" {
			t.Errorf("order %v", s)
		}
		got, _ = e.st.GetSlice(e.tbl, []byte("k"), nil, &thriftgen.SlicePredicate{SliceRange: &thriftgen.SliceRange{Start: long(-1), Finish: long(0), Count: 10}})
		if s := names(got); len(s) != 2 {
			t.Errorf("range %v", s)
		}
	})
	t.Run("IntegerType equal encodings are one column", func(t *testing.T) {
		e := newEnv(t, nil, withComparator(codec.MustParse("IntegerType")))
		e.apply("k", Op{Kind: OpPut, Name: []byte{0x01}, Value: []byte("short"), Timestamp: 1})
		e.apply("k", Op{Kind: OpPut, Name: []byte{0x00, 0x01}, Value: []byte("long"), Timestamp: 2})
		e.apply("k", Op{Kind: OpPut, Name: []byte{0xff}, Value: []byte("neg"), Timestamp: 1})
		got, _ := e.st.GetSlice(e.tbl, []byte("k"), nil, all())
		if s := names(got); len(s) != 2 || s[0] != "neg" || s[1] != "long" {
			t.Errorf("columns %v", s)
		}
		got, _ = e.st.GetSlice(e.tbl, []byte("k"), nil, &thriftgen.SlicePredicate{ColumnNames: [][]byte{{0x01}, {0x00, 0x01}, {0x00, 0x00, 0x01}}})
		if s := names(got); len(s) != 1 || s[0] != "long" {
			t.Errorf("names %v", s)
		}
		e.apply("k", Op{Kind: OpDeleteColumn, Name: []byte{0x00, 0x00, 0x01}, Timestamp: 2})
		if _, err := e.st.Get(e.tbl, []byte("k"), nil, []byte{0x01}); err == nil {
			t.Error("deleted through an equal encoding, still found")
		}
	})
	t.Run("CompositeType EOC bounds", func(t *testing.T) {
		ct := codec.MustParse("CompositeType(UTF8Type,LongType)")
		e := newEnv(t, nil, withComparator(ct))
		name := func(s string, n int64) []byte {
			b, err := ct.Pack([]any{s, n})
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		for _, c := range []struct {
			s string
			n int64
		}{{"a", -1}, {"a", 2}, {"b", 0}, {"b", 7}, {"c", 1}} {
			e.apply("k", Op{Kind: OpPut, Name: name(c.s, c.n), Value: []byte(c.s), Timestamp: 1})
		}
		start, err := ct.PackBound([]any{"b"}, codec.SliceStart)
		if err != nil {
			t.Fatal(err)
		}
		finish, err := ct.PackBound([]any{"b"}, codec.SliceFinish)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := e.st.GetSlice(e.tbl, []byte("k"), nil, &thriftgen.SlicePredicate{SliceRange: &thriftgen.SliceRange{Start: start, Finish: finish, Count: 10}})
		if s := names(got); len(s) != 2 || s[0] != "b" || s[1] != "b" {
			t.Errorf("prefix slice %v", s)
		}
		e.apply("k", Op{Kind: OpDeleteRange, Start: start, Finish: finish, Timestamp: 1})
		got, _ = e.st.GetSlice(e.tbl, []byte("k"), nil, all())
		if s := names(got); len(s) != 3 || s[0] != "a" || s[2] != "c" {
			t.Errorf("after prefix range delete %v", s)
		}
	})
}
