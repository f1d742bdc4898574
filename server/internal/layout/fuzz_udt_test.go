package layout

import (
	"bytes"
	"testing"

	"github.com/cassa-go/cassa/codec"
)

// FuzzUDTFields decodes arbitrary bytes as a user type or tuple value and
// writes them as the fields of a non-frozen user type: nothing panics, a
// value that decodes encodes back to itself, and the written fields read
// back as the value with every field present.
func FuzzUDTFields(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 'a', 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 4, 0, 0, 0, 7}, uint8(3))
	f.Add([]byte{0, 0, 0}, uint8(1))
	f.Add([]byte{}, uint8(2))
	fields := []codec.Type{codec.UTF8, codec.Int32, codec.Bytes}
	l := mustLayout(f, Spec{Compound: true, Columns: []ColumnSpec{
		{Name: "k", Kind: PartitionKey, Type: codec.Int32},
		{Name: "a", Kind: Regular, Collection: UDT, Fields: fields},
	}})
	f.Fuzz(func(t *testing.T, b []byte, n uint8) {
		fs, err := DecodeFields(b, int(n))
		if err == nil {
			// Any negative length is null, so compare decoded fields.
			again, err := DecodeFields(AppendFields(nil, fs), int(n))
			if err != nil || len(again) != len(fs) {
				t.Fatalf("%x: fields %q encode to what decodes to %q (%v)", b, fs, again, err)
			}
			for i := range fs {
				if !bytes.Equal(fs[i], again[i]) || (fs[i] == nil) != (again[i] == nil) {
					t.Fatalf("%x: field %d %x became %x", b, i, fs[i], again[i])
				}
			}
		}
		e := newEnv(t, l)
		col := l.Column("a")
		u := l.NewUpdate(1, 0, nil)
		if err := u.Set([][]byte{}, col, b); err != nil {
			return
		}
		if err := e.st.Apply(u.Mutation(e.tbl, i32(1))); err != nil {
			t.Fatal(err)
		}
		_, _ = e.read(Query{Keys: [][]byte{i32(1)}})
		var got []byte
		_, err = l.Read(e.st, e.tbl, Query{Keys: [][]byte{i32(1)}}, func(r *Row) (bool, error) {
			got = append([]byte(nil), r.Values[col.Index].Bytes...)
			return true, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		all, _ := DecodeFields(b, len(fields))
		for len(all) < len(fields) {
			all = append(all, nil)
		}
		want := AppendFields(nil, all)
		allNull := true
		for _, x := range all {
			allNull = allNull && x == nil
		}
		if allNull {
			want = nil
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("wrote %x, read %x, want %x", b, got, want)
		}
	})
}
