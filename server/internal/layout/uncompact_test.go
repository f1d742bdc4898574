package layout

import (
	"strings"
	"testing"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/store"
)

// uncompactInto exports every row of before's store, renames its ops with
// u and applies them to after's store.
func uncompactInto(t *testing.T, before, after *env, u *Uncompact) {
	t.Helper()
	err := before.st.Export(before.tbl, func(m store.RowMutation) error {
		ops, err := u.Ops(m.Ops)
		if err != nil {
			return err
		}
		return after.st.Apply(store.NewRowMutation(after.tbl, m.Key, ops...))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A static compact table's declared columns become statics, its dynamic
// columns rows of (column1, value); a range deletion over names deletes
// the rows and the declared columns it covered.
func TestUncompactStatic(t *testing.T) {
	before := newEnv(t, mustLayout(t, Spec{Columns: []ColumnSpec{
		{Name: "key", Kind: PartitionKey, Type: codec.UTF8},
		{Name: "age", Kind: Static, Type: codec.Int32},
		{Name: "name", Kind: Static, Type: codec.UTF8}}}))
	k := txt("k")
	put := func(name, value string) store.Op {
		return store.Op{Kind: store.OpPut, Name: txt(name), Value: txt(value), Timestamp: 10}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(before.st.Apply(store.NewRowMutation(before.tbl, k,
		store.Op{Kind: store.OpPut, Name: txt("age"), Value: i32(30), Timestamp: 10}, put("name", "ann"),
		put("a", "1"), put("b", "2"), put("c", "3"), put("zz", "4"))))
	// Deletes b, c and the declared column name (between "b" and "c"... and "zz").
	must(before.st.Apply(store.NewRowMutation(before.tbl, k,
		store.Op{Kind: store.OpDeleteRange, Start: txt("b"), Finish: txt("nz"), Timestamp: 11})))

	after := newEnv(t, mustLayout(t, Spec{Compound: true, Columns: []ColumnSpec{
		{Name: "key", Kind: PartitionKey, Type: codec.UTF8},
		{Name: "column1", Kind: Clustering, Type: codec.UTF8},
		{Name: "age", Kind: Static, Type: codec.Int32},
		{Name: "name", Kind: Static, Type: codec.UTF8},
		{Name: "value", Kind: Regular, Type: codec.UTF8}}}))
	uncompactInto(t, before, after, &Uncompact{Shape: StaticCompact, Clustering: 1,
		Declared: [][]byte{txt("age"), txt("name")}, Comparator: codec.UTF8, Value: txt("value")})
	rows, _ := after.read(Query{})
	if got := strings.Join(rows, " | "); got != "a: age=30 value=1 | zz: age=30 value=4" {
		t.Fatalf("rows %q", got)
	}
	// A later write below the range's timestamp stays deleted; above it, not.
	after.update(k, 5, 0, func(u *Update) error { return u.Set([][]byte{txt("b")}, after.l.Column("value"), txt("old")) })
	after.update(k, 12, 0, func(u *Update) error { return u.Set(nil, after.l.Column("name"), txt("bea")) })
	rows, _ = after.read(Query{})
	if got := strings.Join(rows, " | "); got != "a: age=30 name=bea value=1 | zz: age=30 name=bea value=4" {
		t.Fatalf("after more writes %q", got)
	}
}

// Dense tables: the clustering-named cell becomes the value column's cell;
// a compound range deletion keeps its bounds, and one ending on an exact
// name still covers that row.
func TestUncompactDense(t *testing.T) {
	for _, compound := range []bool{false, true} {
		cols := []ColumnSpec{{Name: "k", Kind: PartitionKey, Type: codec.UTF8}, {Name: "c1", Kind: Clustering, Type: codec.Int32}}
		if compound {
			cols = append(cols, ColumnSpec{Name: "c2", Kind: Clustering, Type: codec.UTF8})
		}
		cols = append(cols, ColumnSpec{Name: "v", Kind: Regular, Type: codec.UTF8})
		before := newEnv(t, mustLayout(t, Spec{Dense: true, Compound: compound, Columns: cols}))
		after := newEnv(t, mustLayout(t, Spec{Compound: true, Columns: cols}))
		ck := func(i int32) [][]byte {
			if compound {
				return [][]byte{i32(i), txt("x")}
			}
			return [][]byte{i32(i)}
		}
		k := txt("k")
		for i := int32(1); i <= 4; i++ {
			before.update(k, 10, 0, func(u *Update) error { return u.Set(ck(i), before.l.Column("v"), txt("v")) })
		}
		// As Thrift deletes [2, 3]: the names themselves as bounds.
		start, finish := i32(2), i32(3)
		if compound {
			start, finish = compositePrefix(nil, ck(2), eocNone), compositePrefix(nil, ck(3), eocNone)
		}
		if err := before.st.Apply(store.NewRowMutation(before.tbl, k, store.Op{Kind: store.OpDeleteRange, Start: start, Finish: finish, Timestamp: 11})); err != nil {
			t.Fatal(err)
		}
		shape := DenseSimple
		if compound {
			shape = DenseCompound
		}
		uncompactInto(t, before, after, &Uncompact{Shape: shape, Clustering: len(ck(0)), Value: txt("v")})
		rows, _ := after.read(Query{})
		want := "1: v=v | 4: v=v"
		if compound {
			want = "1,x: v=v | 4,x: v=v"
		}
		if got := strings.Join(rows, " | "); got != want {
			t.Fatalf("compound %v: %q, want %q", compound, got, want)
		}
	}
	if _, err := (&Uncompact{Shape: Sparse}).Ops(nil); err == nil {
		t.Error("uncompacting a sparse table")
	}
}
