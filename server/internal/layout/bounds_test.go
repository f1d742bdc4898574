package layout

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/store"
)

func fmtSlices(ss []store.Slice) string {
	var parts []string
	for _, s := range ss {
		lo, hi := "(", ")"
		if !s.StartExclusive {
			lo = "["
		}
		if !s.FinishExclusive {
			hi = "]"
		}
		parts = append(parts, lo+hex.EncodeToString(s.Start)+","+hex.EncodeToString(s.Finish)+hi)
	}
	return strings.Join(parts, " ")
}

func slicesOf(t *testing.T, pairs ...string) string {
	var ss []store.Slice
	for i := 0; i+1 < len(pairs); i += 2 {
		ss = append(ss, store.Slice{Start: unhex(t, pairs[i]), Finish: unhex(t, pairs[i+1])})
	}
	return fmtSlices(ss)
}

// TestSliceBounds pins the bounds of 2.2's Composite.EOC for every kind of
// restriction on the last restricted clustering column (start of a prefix
// -1, end of a prefix +1, after a value +1, before a value -1).
func TestSliceBounds(t *testing.T) {
	l := mustLayout(t, Spec{Compound: true, Columns: []ColumnSpec{
		{Name: "k", Kind: PartitionKey, Type: codec.Int32},
		{Name: "c1", Kind: Clustering, Type: codec.Int32},
		{Name: "c2", Kind: Clustering, Type: codec.UTF8},
		{Name: "v", Kind: Regular, Type: codec.Int32}}})
	one := [][]byte{i32(1)}
	b := func(incl bool, vs ...[]byte) *Bound { return &Bound{Values: vs, Inclusive: incl} }
	const p1 = "0004 00000001"
	cases := []struct {
		name string
		sel  Selection
		want string
	}{
		{"nothing", Selection{}, slicesOf(t, "", "")},
		{"c1 = 1", Selection{Prefixes: [][][]byte{one}}, slicesOf(t, p1+"ff", p1+"01")},
		{"c1 = 1 and c2 = 'b'", Selection{Prefixes: [][][]byte{{i32(1), txt("b")}}}, slicesOf(t, p1+"00 0001 62 ff", p1+"00 0001 62 01")},
		{"c2 > 'b'", Selection{Prefixes: [][][]byte{one}, Lower: b(false, txt("b"))}, slicesOf(t, p1+"00 0001 62 01", p1+"01")},
		{"c2 >= 'b'", Selection{Prefixes: [][][]byte{one}, Lower: b(true, txt("b"))}, slicesOf(t, p1+"00 0001 62 ff", p1+"01")},
		{"c2 < 'b'", Selection{Prefixes: [][][]byte{one}, Upper: b(false, txt("b"))}, slicesOf(t, p1+"ff", p1+"00 0001 62 ff")},
		{"c2 <= 'b'", Selection{Prefixes: [][][]byte{one}, Upper: b(true, txt("b"))}, slicesOf(t, p1+"ff", p1+"00 0001 62 01")},
		{"c1 > 1", Selection{Lower: b(false, i32(1))}, slicesOf(t, p1+"01", "")},
		{"c1 <= 1", Selection{Upper: b(true, i32(1))}, slicesOf(t, "", p1+"01")},
		{"1 < c1 < 3", Selection{Lower: b(false, i32(1)), Upper: b(false, i32(3))}, slicesOf(t, p1+"01", "0004 00000003 ff")},
		{"c1 in (3, 1)", Selection{Prefixes: [][][]byte{{i32(3)}, {i32(1)}}}, slicesOf(t, p1+"ff", p1+"01", "0004 00000003 ff", "0004 00000003 01")},
		{"(c1, c2) > (1, 'b')", Selection{Lower: b(false, i32(1), txt("b"))}, slicesOf(t, p1+"00 0001 62 01", "")},
		{"(c1, c2) >= (1, 'b') and (c1) < (3)", Selection{Lower: b(true, i32(1), txt("b")), Upper: b(false, i32(3))},
			slicesOf(t, p1+"00 0001 62 ff", "0004 00000003 ff")},
	}
	cases = append(cases, struct {
		name string
		sel  Selection
		want string
	}{"c1 in ()", Selection{Prefixes: [][][]byte{}}, ""})
	if l.Matches(Selection{Prefixes: [][][]byte{}}, [][]byte{i32(1), txt("a")}) {
		t.Errorf("IN () matches a row")
	}
	for _, c := range cases {
		got, err := l.Slices(c.sel)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if fmtSlices(got) != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, fmtSlices(got), c.want)
		}
	}
}

// TestSliceBoundsDesc: on a DESC column the comparator is reversed, so a
// lower value bound becomes an upper comparator bound.
func TestSliceBoundsDesc(t *testing.T) {
	l := mustLayout(t, Spec{Compound: true, Columns: []ColumnSpec{
		{Name: "k", Kind: PartitionKey, Type: codec.Int32},
		{Name: "c", Kind: Clustering, Type: codec.Int32, Desc: true},
		{Name: "v", Kind: Regular, Type: codec.Int32}}})
	got, _ := l.Slices(Selection{Lower: &Bound{Values: [][]byte{i32(5)}}})
	if want := slicesOf(t, "", "0004 00000005 ff"); fmtSlices(got) != want {
		t.Errorf("c > 5 on DESC: %s, want %s", fmtSlices(got), want)
	}
	got, _ = l.Slices(Selection{Upper: &Bound{Values: [][]byte{i32(5)}, Inclusive: true}})
	if want := slicesOf(t, "0004 00000005 ff", ""); fmtSlices(got) != want {
		t.Errorf("c <= 5 on DESC: %s, want %s", fmtSlices(got), want)
	}
	// Dense, one clustering column: no EOC, exclusive ends instead.
	d := mustLayout(t, Spec{Dense: true, Columns: []ColumnSpec{
		{Name: "k", Kind: PartitionKey, Type: codec.Int32},
		{Name: "c", Kind: Clustering, Type: codec.Int32},
		{Name: "v", Kind: Regular, Type: codec.Int32}}})
	got, _ = d.Slices(Selection{Lower: &Bound{Values: [][]byte{i32(5)}}, Upper: &Bound{Values: [][]byte{i32(9)}, Inclusive: true}})
	if len(got) != 1 || !got[0].StartExclusive || got[0].FinishExclusive || !bytes.Equal(got[0].Start, i32(5)) || !bytes.Equal(got[0].Finish, i32(9)) {
		t.Errorf("dense 5 < c <= 9: %s", fmtSlices(got))
	}
	// Statics stay out of row slices and have their own.
	s := cql3Table(t)
	got, _ = s.Slices(Selection{})
	if want := "[ffff000001,]"; fmtSlices(got) != want {
		t.Errorf("sparse with statics: %s", fmtSlices(got))
	}
	if st := s.StaticSlices(); fmtSlices(st) != "[,ffff000001]" {
		t.Errorf("static slices: %s", fmtSlices(st))
	}
}

func TestSelectionRefused(t *testing.T) {
	l := cql3Table(t)
	for _, sel := range []Selection{
		{Prefixes: [][][]byte{{txt("a")}, {}}},
		{Prefixes: [][][]byte{{txt("a"), txt("b")}}},
		{Prefixes: [][][]byte{{txt("a")}}, Lower: &Bound{Values: [][]byte{txt("x")}}},
		{Lower: &Bound{}},
	} {
		if _, err := l.Slices(sel); err == nil {
			t.Errorf("%+v accepted", sel)
		}
	}
}

// ckSchema is a random clustering of 1-3 int columns, some DESC, in one of
// the layouts with clustering.
type ckSchema struct {
	l     *Layout
	n     int
	shape Shape
}

func randomSchema(r *rand.Rand) ckSchema {
	shapes := []Shape{Sparse, Sparse, DenseCompound, DenseSimple}
	shape := shapes[r.IntN(len(shapes))]
	n := 1 + r.IntN(3)
	if shape == DenseSimple {
		n = 1
	}
	spec := Spec{Compound: shape != DenseSimple, Dense: shape != Sparse, Columns: []ColumnSpec{
		{Name: "k", Kind: PartitionKey, Type: codec.Int32}}}
	for i := 0; i < n; i++ {
		spec.Columns = append(spec.Columns, ColumnSpec{Name: fmt.Sprintf("c%d", i), Kind: Clustering, Type: codec.Int32, Desc: r.IntN(2) == 0})
	}
	spec.Columns = append(spec.Columns, ColumnSpec{Name: "v", Kind: Regular, Type: codec.Int32})
	if shape == Sparse && r.IntN(2) == 0 {
		spec.Columns = append(spec.Columns, ColumnSpec{Name: "s", Kind: Static, Type: codec.Int32})
	}
	l, err := New(spec)
	if err != nil {
		panic(err)
	}
	return ckSchema{l: l, n: n, shape: shape}
}

func randomSelection(r *rand.Rand, n int, vals int32) Selection {
	var sel Selection
	p := r.IntN(n + 1)
	if p > 0 {
		for i := 0; i < 1+r.IntN(3); i++ {
			pr := make([][]byte, p)
			for j := range pr {
				pr[j] = i32(r.Int32N(vals))
			}
			sel.Prefixes = append(sel.Prefixes, pr)
		}
	}
	if p < n {
		bound := func() *Bound {
			m := 1 + r.IntN(n-p)
			b := &Bound{Inclusive: r.IntN(2) == 0}
			for j := 0; j < m; j++ {
				b.Values = append(b.Values, i32(r.Int32N(vals)))
			}
			return b
		}
		if r.IntN(2) == 0 {
			sel.Lower = bound()
		}
		if r.IntN(2) == 0 {
			sel.Upper = bound()
		}
	}
	return sel
}

// TestSlicesMatchFilter is the property test of Slices: on random tables
// (1-3 clustering columns of mixed order, each layout) and random
// selections (prefixes with IN, single- and multi-column bounds), the rows
// a read through the real store returns are exactly the rows of a full read
// that satisfy the selection, in the same order, forward and reversed.
func TestSlicesMatchFilter(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	const vals = 4
	for iter := 0; iter < 150; iter++ {
		cs := randomSchema(r)
		e := newEnv(t, cs.l)
		key := i32(1)
		// Every combination of clustering values 0..vals-1.
		total := 1
		for i := 0; i < cs.n; i++ {
			total *= vals
		}
		e.update(key, 0, 0, func(u *Update) error {
			for x := 0; x < total; x++ {
				ck := make([][]byte, cs.n)
				y := x
				for i := range ck {
					ck[i] = i32(int32(y % vals))
					y /= vals
				}
				if err := u.Insert(ck); err != nil {
					return err
				}
				if err := u.Set(ck, cs.l.Column("v"), i32(int32(x))); err != nil {
					return err
				}
			}
			if s := cs.l.Column("s"); s != nil {
				return u.Set(nil, s, i32(99))
			}
			return nil
		})
		for j := 0; j < 20; j++ {
			sel := randomSelection(r, cs.n, vals+1)
			for _, rev := range []bool{false, true} {
				var want []string
				all, _ := e.read(Query{Keys: [][]byte{key}, Reversed: rev})
				var allRows [][][]byte
				_, _ = cs.l.Read(e.st, e.tbl, Query{Keys: [][]byte{key}, Reversed: rev}, func(row *Row) (bool, error) {
					allRows = append(allRows, append([][]byte(nil), row.Clustering...))
					return true, nil
				})
				for i, ck := range allRows {
					if cs.l.Matches(sel, ck) {
						want = append(want, all[i])
					}
				}
				got, _ := e.read(Query{Keys: [][]byte{key}, Selection: sel, Reversed: rev})
				if strings.Join(got, "|") != strings.Join(want, "|") {
					slices, _ := cs.l.Slices(sel)
					t.Fatalf("shape %v n=%d desc=%v rev=%v sel=%s\nslices %s\n got %v\nwant %v", cs.shape, cs.n, descs(cs.l), rev, fmtSel(sel), fmtSlices(slices), got, want)
				}
			}
		}
	}
}

func descs(l *Layout) []bool {
	var out []bool
	for _, c := range l.ClusteringColumns() {
		out = append(out, c.Desc)
	}
	return out
}

func fmtSel(sel Selection) string {
	v := func(vs [][]byte) string {
		var p []string
		for _, x := range vs {
			p = append(p, codec.Format(codec.Int32, x))
		}
		return "(" + strings.Join(p, ",") + ")"
	}
	var parts []string
	for _, pr := range sel.Prefixes {
		parts = append(parts, "="+v(pr))
	}
	if b := sel.Lower; b != nil {
		parts = append(parts, fmt.Sprintf(">%v%s", b.Inclusive, v(b.Values)))
	}
	if b := sel.Upper; b != nil {
		parts = append(parts, fmt.Sprintf("<%v%s", b.Inclusive, v(b.Values)))
	}
	return strings.Join(parts, " ")
}
