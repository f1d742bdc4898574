package layout

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/store"
)

// These tests write through Update, apply the Ops to a real store and read
// back assembled rows: each CQL operation of 2.2's UpdateStatement,
// DeleteStatement and the collection Operations.

func ck1(c int32) [][]byte { return [][]byte{i32(c)} }

func TestInsertMarkerAndLiveness(t *testing.T) {
	l := collTable(t)
	e := newEnv(t, l)
	k := i32(1)
	v := l.Column("v")
	// INSERT (k, c) only: the marker alone makes the row.
	e.update(k, 0, 0, func(u *Update) error { return u.Insert(ck1(1)) })
	if got := e.partition(k, Selection{}, false); got != "1:" {
		t.Fatalf("marker only: %q", got)
	}
	// Deleting every column leaves the INSERTed row.
	e.update(k, 0, 0, func(u *Update) error { return u.Set(ck1(1), v, txt("x")) })
	e.update(k, 0, 0, func(u *Update) error { return u.Delete(ck1(1), v) })
	if got := e.partition(k, Selection{}, false); got != "1:" {
		t.Fatalf("after DELETE v: %q", got)
	}
	// UPDATE makes no marker: the row lives while one of its cells does.
	e.update(k, 0, 0, func(u *Update) error { return u.Set(ck1(2), v, txt("y")) })
	if got := e.partition(k, Selection{}, false); got != "1: | 2: v=y" {
		t.Fatalf("after UPDATE: %q", got)
	}
	e.update(k, 0, 0, func(u *Update) error { return u.Set(ck1(2), v, nil) })
	if got := e.partition(k, Selection{}, false); got != "1:" {
		t.Fatalf("after v = null: %q", got)
	}
	// DELETE of the row removes marker and cells.
	e.update(k, 0, 0, func(u *Update) error { return u.DeleteRow(ck1(1)) })
	if got := e.partition(k, Selection{}, false); got != "" {
		t.Fatalf("after DELETE row: %q", got)
	}
	// A write older than the row deletion stays hidden; a newer one shows.
	e.update(k, e.ts-1, 0, func(u *Update) error { return u.Set(ck1(1), v, txt("old")) })
	if got := e.partition(k, Selection{}, false); got != "" {
		t.Fatalf("older write: %q", got)
	}
	e.update(k, 0, 0, func(u *Update) error { return u.Set(ck1(1), v, txt("new")) })
	if got := e.partition(k, Selection{}, false); got != "1: v=new" {
		t.Fatalf("newer write: %q", got)
	}
}

func TestTimestampsAndTTL(t *testing.T) {
	l := collTable(t)
	e := newEnv(t, l)
	k := i32(1)
	v := l.Column("v")
	e.update(k, 500, 100, func(u *Update) error {
		if err := u.Insert(ck1(1)); err != nil {
			return err
		}
		return u.Set(ck1(1), v, txt("a"))
	})
	var got Value
	var now int64
	_, _ = l.Read(e.st, e.tbl, Query{Keys: [][]byte{k}}, func(r *Row) (bool, error) {
		got, now = r.Values[v.Index], r.Now
		return true, nil
	})
	if got.Timestamp != 500 || got.TTL != 100 || got.Expiry != now+100 {
		t.Fatalf("writetime/ttl: %+v now %d", got, now)
	}
	// An UPDATE without TTL outlives the INSERT's marker.
	e.update(k, 600, 0, func(u *Update) error { return u.Set(ck1(2), v, txt("b")) })
	e.update(k, 600, 0, func(u *Update) error { return u.Set(ck1(1), l.Column("ss"), txt("static")) })
	e.clock.Advance(99 * time.Second)
	if got := e.partition(k, Selection{}, false); got != "1: ss=static v=a | 2: ss=static v=b" {
		t.Fatalf("before expiry: %q", got)
	}
	e.clock.Advance(time.Second)
	if got := e.partition(k, Selection{}, false); got != "2: ss=static v=b" {
		t.Fatalf("after expiry: %q", got)
	}
	// Equal timestamps: the tombstone wins.
	e.update(k, 600, 0, func(u *Update) error { return u.Set(ck1(2), v, nil) })
	if got := e.partition(k, Selection{}, false); got != "static: ss=static" {
		t.Fatalf("tie: %q", got)
	}
}

func TestCollectionOverwrite(t *testing.T) {
	l := collTable(t)
	e := newEnv(t, l)
	k := i32(1)
	st, m, li := l.Column("st"), l.Column("m"), l.Column("l")
	e.update(k, 0, 0, func(u *Update) error {
		if err := u.Insert(ck1(1)); err != nil {
			return err
		}
		if err := u.Set(ck1(1), st, list(txt("b"), txt("a"), txt("b"))); err != nil {
			return err
		}
		if err := u.Set(ck1(1), m, kv(txt("y"), i32(1), txt("x"), i32(2), txt("y"), i32(3))); err != nil {
			return err
		}
		return u.Set(ck1(1), li, list(txt("q"), txt("p"), txt("q")))
	})
	if got := e.partition(k, Selection{}, false); got != "1: l=[q,p,q] m={x:2,y:3} st={a,b}" {
		t.Fatalf("first: %q", got)
	}
	// Overwrite: the old elements go (range tombstone at t-1), new ones stay.
	e.update(k, 0, 0, func(u *Update) error {
		if err := u.Set(ck1(1), st, list(txt("c"))); err != nil {
			return err
		}
		if err := u.Set(ck1(1), m, kv()); err != nil {
			return err
		}
		return u.Set(ck1(1), li, nil)
	})
	if got := e.partition(k, Selection{}, false); got != "1: st={c}" {
		t.Fatalf("overwrite: %q", got)
	}
	// The overwrite's tombstone is at t-1: an element written at t by
	// another statement survives it.
	ts := e.ts + 1
	e.update(k, ts, 0, func(u *Update) error { return u.AddElements(ck1(1), st, list(txt("d"))) })
	e.update(k, ts, 0, func(u *Update) error { return u.Set(ck1(1), st, list(txt("e"))) })
	if got := e.partition(k, Selection{}, false); got != "1: st={d,e}" {
		t.Fatalf("same-timestamp overwrite: %q", got)
	}
	// DELETE st removes it at t, UPDATE-created row then disappears? No:
	// the marker keeps it.
	e.update(k, 0, 0, func(u *Update) error { return u.Delete(ck1(1), st) })
	if got := e.partition(k, Selection{}, false); got != "1:" {
		t.Fatalf("delete collection: %q", got)
	}
	// A row made only of collection elements exists through them.
	e.update(k, 0, 0, func(u *Update) error { return u.AddElements(ck1(2), st, list(txt("z"))) })
	if got := e.partition(k, Selection{Prefixes: [][][]byte{ck1(2)}}, false); got != "2: st={z}" {
		t.Fatalf("element-only row: %q", got)
	}
}

func TestCollectionElementOps(t *testing.T) {
	l := collTable(t)
	e := newEnv(t, l)
	k := i32(1)
	st, m := l.Column("st"), l.Column("m")
	e.update(k, 0, 0, func(u *Update) error {
		if err := u.AddElements(ck1(1), st, list(txt("a"), txt("b"), txt("c"))); err != nil {
			return err
		}
		return u.PutEntries(ck1(1), m, kv(txt("a"), i32(1), txt("b"), i32(2), txt("c"), i32(3)))
	})
	e.update(k, 0, 0, func(u *Update) error {
		if err := u.RemoveElements(ck1(1), st, list(txt("a"), txt("zz"))); err != nil {
			return err
		}
		if err := u.DeleteElement(ck1(1), st, txt("c")); err != nil {
			return err
		}
		if err := u.PutEntry(ck1(1), m, txt("b"), i32(20)); err != nil {
			return err
		}
		if err := u.PutEntry(ck1(1), m, txt("c"), nil); err != nil {
			return err
		}
		if err := u.RemoveElements(ck1(1), m, list(txt("a"))); err != nil {
			return err
		}
		return u.PutEntry(ck1(1), m, txt("d"), i32(4))
	})
	if got := e.partition(k, Selection{}, false); got != "1: m={b:20,d:4} st={b}" {
		t.Fatalf("got %q", got)
	}
	e.update(k, 0, 0, func(u *Update) error { return u.DeleteElement(ck1(1), m, txt("b")) })
	if got := e.partition(k, Selection{}, false); got != "1: m={d:4} st={b}" {
		t.Fatalf("after DELETE m['b']: %q", got)
	}
}

func TestListOperations(t *testing.T) {
	l := collTable(t)
	e := newEnv(t, l)
	k := i32(1)
	li := l.Column("l")
	e.update(k, 0, 0, func(u *Update) error { return u.Append(ck1(1), li, list(txt("c"), txt("d"))) })
	e.update(k, 0, 0, func(u *Update) error { return u.Prepend(ck1(1), li, list(txt("a"), txt("b"))) })
	e.clock.Advance(time.Millisecond)
	e.update(k, 0, 0, func(u *Update) error { return u.Prepend(ck1(1), li, list(txt("0"))) })
	e.update(k, 0, 0, func(u *Update) error { return u.Append(ck1(1), li, list(txt("e"))) })
	if got := e.partition(k, Selection{}, false); got != "1: l=[0,a,b,c,d,e]" {
		t.Fatalf("append/prepend: %q", got)
	}
	// Reversed reads keep a collection's own order.
	if got := e.partition(k, Selection{}, true); got != "1: l=[0,a,b,c,d,e]" {
		t.Fatalf("reversed: %q", got)
	}
	cur, err := l.ReadList(e.st, e.tbl, k, ck1(1), li)
	if err != nil || len(cur) != 6 || string(cur[1].Value) != "a" {
		t.Fatalf("ReadList: %v %v", cur, err)
	}
	e.update(k, 0, 0, func(u *Update) error { return u.SetListIndex(ck1(1), li, cur, 1, txt("A")) })
	e.update(k, 0, 0, func(u *Update) error { return u.DeleteListIndex(ck1(1), li, cur, 0) })
	e.update(k, 0, 0, func(u *Update) error { return u.DiscardFromList(ck1(1), li, cur, list(txt("c"), txt("e"))) })
	if got := e.partition(k, Selection{}, false); got != "1: l=[A,b,d]" {
		t.Fatalf("by index: %q", got)
	}
	cur, _ = l.ReadList(e.st, e.tbl, k, ck1(1), li)
	u := l.NewUpdate(1, 0, e.ids)
	var ie *InvalidError
	if err := u.SetListIndex(ck1(1), li, cur, 3, txt("x")); !errors.As(err, &ie) || ie.Msg != "List index 3 out of bound, list has size 3" {
		t.Errorf("out of bound: %v", err)
	}
	if err := u.DeleteListIndex(ck1(2), li, nil, 0); !errors.As(err, &ie) || ie.Msg != "Attempted to delete an element from a list which is null" {
		t.Errorf("null list: %v", err)
	}
	if err := u.SetListIndex(ck1(2), li, nil, 0, txt("x")); !errors.As(err, &ie) || ie.Msg != "Attempted to set an element on a list which is null" {
		t.Errorf("null list: %v", err)
	}
	// Many prepends in one millisecond keep decreasing names.
	e.update(k, 0, 0, func(u *Update) error {
		if err := u.Set(ck1(3), li, nil); err != nil {
			return err
		}
		for i := 0; i < 30; i++ {
			if err := u.Prepend(ck1(3), li, list(txt(string(rune('a'+i))))); err != nil {
				return err
			}
		}
		return nil
	})
	rows, _ := e.read(Query{Keys: [][]byte{k}, Selection: Selection{Prefixes: [][][]byte{ck1(3)}}})
	if len(rows) != 1 || !strings.HasPrefix(rows[0], "3: l=[~,},|,{,z,y,") || !strings.HasSuffix(rows[0], ",c,b,a]") {
		t.Errorf("repeated prepends: %v", rows)
	}
}

func TestStatics(t *testing.T) {
	l := collTable(t)
	e := newEnv(t, l)
	k := i32(1)
	ss, sm := l.Column("ss"), l.Column("sm")
	// A static-only partition makes one row with null clustering...
	e.update(k, 0, 0, func(u *Update) error {
		if err := u.Set(nil, ss, txt("S")); err != nil {
			return err
		}
		return u.Set(nil, sm, kv(i32(2), txt("two"), i32(1), txt("one")))
	})
	if got := e.partition(k, Selection{}, false); got != "static: sm={1:one,2:two} ss=S" {
		t.Fatalf("static only: %q", got)
	}
	// ...but not for a query restricting the clustering.
	rows, _ := e.read(Query{Keys: [][]byte{k}, Selection: Selection{Prefixes: [][][]byte{ck1(1)}}})
	if len(rows) != 0 {
		t.Fatalf("restricted: %v", rows)
	}
	// Statics repeat on every row; a row deletion keeps them.
	e.update(k, 0, 0, func(u *Update) error {
		for _, c := range []int32{1, 2} {
			if err := u.Insert(ck1(c)); err != nil {
				return err
			}
		}
		return nil
	})
	if got := e.partition(k, Selection{}, true); got != "2: sm={1:one,2:two} ss=S | 1: sm={1:one,2:two} ss=S" {
		t.Fatalf("rows with statics: %q", got)
	}
	e.update(k, 0, 0, func(u *Update) error {
		if err := u.DeleteSelection(Selection{Lower: &Bound{Values: [][]byte{i32(0)}}}); err != nil {
			return err
		}
		return u.PutEntry(nil, sm, i32(3), txt("three"))
	})
	if got := e.partition(k, Selection{}, false); got != "static: sm={1:one,2:two,3:three} ss=S" {
		t.Fatalf("after range delete: %q", got)
	}
	// A partition deletion takes the statics too.
	e.update(k, 0, 0, func(u *Update) error { u.DeletePartition(); return nil })
	if got := e.partition(k, Selection{}, false); got != "" {
		t.Fatalf("after partition delete: %q", got)
	}
}

func TestRangeDeletes(t *testing.T) {
	l := mustLayout(t, Spec{Compound: true, Columns: []ColumnSpec{
		{Name: "k", Kind: PartitionKey, Type: codec.Int32},
		{Name: "a", Kind: Clustering, Type: codec.Int32},
		{Name: "b", Kind: Clustering, Type: codec.Int32, Desc: true},
		{Name: "v", Kind: Regular, Type: codec.Int32}}})
	e := newEnv(t, l)
	k := i32(1)
	e.update(k, 0, 0, func(u *Update) error {
		for a := int32(0); a < 3; a++ {
			for b := int32(0); b < 3; b++ {
				if err := u.Insert([][]byte{i32(a), i32(b)}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	e.update(k, 0, 0, func(u *Update) error {
		// DELETE WHERE a = 0 (prefix) and WHERE a = 1 AND b > 0 (slice).
		if err := u.DeleteSelection(Selection{Prefixes: [][][]byte{ck1(0)}}); err != nil {
			return err
		}
		return u.DeleteSelection(Selection{Prefixes: [][][]byte{ck1(1)}, Lower: &Bound{Values: [][]byte{i32(0)}}})
	})
	if got := e.partition(k, Selection{}, false); got != "1,0: | 2,2: | 2,1: | 2,0:" {
		t.Fatalf("got %q", got)
	}
	// Dense, one clustering column: an exclusive slice needs the store's
	// exclusive range tombstones.
	d := mustLayout(t, Spec{Dense: true, Columns: []ColumnSpec{
		{Name: "k", Kind: PartitionKey, Type: codec.Int32},
		{Name: "c", Kind: Clustering, Type: codec.Int32},
		{Name: "v", Kind: Regular, Type: codec.UTF8}}})
	de := newEnv(t, d)
	de.update(k, 0, 0, func(u *Update) error {
		for c := int32(1); c <= 5; c++ {
			if err := u.Set(ck1(c), d.Column("v"), txt("x")); err != nil {
				return err
			}
		}
		return nil
	})
	de.update(k, 0, 0, func(u *Update) error {
		return u.DeleteSelection(Selection{Lower: &Bound{Values: [][]byte{i32(1)}}, Upper: &Bound{Values: [][]byte{i32(4)}}})
	})
	de.update(k, 0, 0, func(u *Update) error { return u.DeleteRow(ck1(5)) })
	if got := de.partition(k, Selection{}, false); got != "1: v=x | 4: v=x" {
		t.Fatalf("dense: %q", got)
	}
}

func TestCounters(t *testing.T) {
	l := mustLayout(t, Spec{Compound: true, Counter: true, Columns: []ColumnSpec{
		{Name: "k", Kind: PartitionKey, Type: codec.Int32},
		{Name: "c", Kind: Clustering, Type: codec.Int32},
		{Name: "n", Kind: Regular, Type: codec.CounterColumn}}})
	e := newEnv(t, l)
	k := i32(1)
	n := l.Column("n")
	e.update(k, 0, 0, func(u *Update) error { return u.AddCounter(ck1(1), n, 5) })
	e.update(k, 0, 0, func(u *Update) error { return u.AddCounter(ck1(1), n, -7) })
	if got := e.partition(k, Selection{}, false); got != "1: n=-2" {
		t.Fatalf("got %q", got)
	}
	if err := l.NewUpdate(1, 0, nil).AddCounter(ck1(1), nil, 1); err == nil {
		t.Errorf("counter op on no column accepted")
	}
}

func TestCompactTables(t *testing.T) {
	k := i32(1)
	// Dense without a value column: INSERT writes the empty compact cell.
	d := mustLayout(t, Spec{Dense: true, Compound: true, Columns: []ColumnSpec{
		{Name: "k", Kind: PartitionKey, Type: codec.Int32},
		{Name: "a", Kind: Clustering, Type: codec.UTF8},
		{Name: "b", Kind: Clustering, Type: codec.UTF8}}})
	e := newEnv(t, d)
	e.update(k, 0, 0, func(u *Update) error { return u.Insert([][]byte{txt("x"), txt("y")}) })
	e.update(k, 0, 0, func(u *Update) error { return u.Insert([][]byte{txt("x"), txt("z")}) })
	if got := e.partition(k, Selection{}, true); got != "x,z: | x,y:" {
		t.Fatalf("dense keys only: %q", got)
	}
	// A Thrift-written short composite name shows its missing clustering
	// value as null.
	_ = e.st.Apply(store.NewRowMutation(e.tbl, k, store.Op{Kind: store.OpPut, Name: unhex(t, "0001 77 00"), Value: []byte{}, Timestamp: 5}))
	if got := e.partition(k, Selection{}, false); got != "w,null: | x,y: | x,z:" {
		t.Fatalf("short name: %q", got)
	}
	// Static compact: declared columns are one row; other cells invisible.
	s := mustLayout(t, Spec{ColumnNameType: codec.Ascii, Columns: []ColumnSpec{
		{Name: "key", Kind: PartitionKey, Type: codec.UTF8},
		{Name: "state", Kind: Static, Type: codec.UTF8},
		{Name: "age", Kind: Static, Type: codec.Int32}}})
	se := newEnv(t, s)
	se.update(txt("bob"), 0, 0, func(u *Update) error { return u.Set(nil, s.Column("state"), txt("UT")) })
	_ = se.st.Apply(store.NewRowMutation(se.tbl, txt("bob"), store.Op{Kind: store.OpPut, Name: txt("dynamic"), Value: txt("x"), Timestamp: 5}))
	_ = se.st.Apply(store.NewRowMutation(se.tbl, txt("eve"), store.Op{Kind: store.OpPut, Name: txt("dynamic"), Value: txt("x"), Timestamp: 5}))
	rows, _ := se.read(Query{})
	if strings.Join(rows, "|") != "static: state=UT" {
		t.Fatalf("static compact: %v", rows)
	}
}

func TestSuperColumnFamily(t *testing.T) {
	l := mustLayout(t, Spec{Super: true, Dense: true, Columns: []ColumnSpec{
		{Name: "key", Kind: PartitionKey, Type: codec.UTF8},
		{Name: "column1", Kind: Clustering, Type: codec.UTF8},
		{Name: "column2", Kind: Clustering, Type: codec.UTF8},
		{Name: "value", Kind: Regular, Type: codec.UTF8}}})
	e := newEnv(t, l)
	k := txt("k")
	val := l.Column("value")
	e.update(k, 0, 0, func(u *Update) error {
		for _, sc := range []string{"a", "b", "c"} {
			for _, n := range []string{"x", "y"} {
				if err := u.Set([][]byte{txt(sc), txt(n)}, val, txt(sc+n)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if got := e.partition(k, Selection{}, true); got != "c,y: value=cy | c,x: value=cx | b,y: value=by | b,x: value=bx | a,y: value=ay | a,x: value=ax" {
		t.Fatalf("reversed: %q", got)
	}
	sel := Selection{Lower: &Bound{Values: [][]byte{txt("a"), txt("x")}}, Upper: &Bound{Values: [][]byte{txt("b")}, Inclusive: true}}
	if got := e.partition(k, sel, false); got != "a,y: value=ay | b,x: value=bx | b,y: value=by" {
		t.Fatalf("multi-column slice: %q", got)
	}
	e.update(k, 0, 0, func(u *Update) error {
		if err := u.DeleteSelection(Selection{Prefixes: [][][]byte{{txt("a")}}, Lower: &Bound{Values: [][]byte{txt("x")}}}); err != nil {
			return err
		}
		if err := u.DeleteRow([][]byte{txt("b"), txt("x")}); err != nil {
			return err
		}
		return u.DeleteSelection(Selection{Prefixes: [][][]byte{{txt("c")}}})
	})
	if got := e.partition(k, Selection{}, false); got != "a,x: value=ax | b,y: value=by" {
		t.Fatalf("after deletes: %q", got)
	}
}

// A super column family with column_metadata (3.11: not dense): a row is
// a super column, its declared sub-columns are the row's columns, and
// undeclared sub-columns (the hidden "" map) make the row exist.
func TestSuperColumnFamilyWithMetadata(t *testing.T) {
	l := mustLayout(t, Spec{Super: true, ColumnNameType: codec.Ascii, Columns: []ColumnSpec{
		{Name: "key", Kind: PartitionKey, Type: codec.UTF8},
		{Name: "column1", Kind: Clustering, Type: codec.UTF8},
		{Name: "age", Kind: Regular, Type: codec.Int32},
		{Name: "name", Kind: Regular, Type: codec.UTF8}}})
	if l.Shape() != SuperSparse || l.SubComparator() != codec.Ascii {
		t.Fatalf("shape %s, sub-comparator %v", l.Shape(), l.SubComparator())
	}
	e := newEnv(t, l)
	k := txt("k")
	age, name := l.Column("age"), l.Column("name")
	e.update(k, 0, 0, func(u *Update) error {
		for i, sc := range []string{"a", "b", "c"} {
			if err := u.Set([][]byte{txt(sc)}, age, i32(int32(i))); err != nil {
				return err
			}
		}
		return u.Set([][]byte{txt("a")}, name, txt("ann"))
	})
	// An undeclared sub-column, as Thrift writes it.
	_ = e.st.Apply(store.NewRowMutation(e.tbl, k, store.Op{Kind: store.OpPut, Super: txt("d"), Name: txt("dyn"), Value: txt("x"), Timestamp: 5}))
	if got := e.partition(k, Selection{}, false); got != "a: age=0 name=ann | b: age=1 | c: age=2 | d:" {
		t.Fatalf("rows: %q", got)
	}
	if got := e.partition(k, Selection{Lower: &Bound{Values: [][]byte{txt("b")}}}, true); got != "d: | c: age=2" {
		t.Fatalf("reversed slice: %q", got)
	}
	e.update(k, 0, 0, func(u *Update) error {
		if err := u.Delete([][]byte{txt("a")}, name); err != nil {
			return err
		}
		if err := u.DeleteRow([][]byte{txt("b")}); err != nil {
			return err
		}
		return u.DeleteSelection(Selection{Prefixes: [][][]byte{{txt("d")}}})
	})
	if got := e.partition(k, Selection{}, false); got != "a: age=0 | c: age=2" {
		t.Fatalf("after deletes: %q", got)
	}
	// Rows page one super column at a time.
	rows, res := e.read(Query{Keys: [][]byte{k}, PageSize: 1})
	if len(rows) != 1 || res.State == nil {
		t.Fatalf("first page %v %+v", rows, res)
	}
	rows, _ = e.read(Query{Keys: [][]byte{k}, PageSize: 1, State: res.State})
	if len(rows) != 1 || !strings.HasPrefix(rows[0], "c:") {
		t.Fatalf("second page %v", rows)
	}
	if _, err := l.CellName([][]byte{txt("a")}, age, nil); err == nil {
		t.Error("CellName on a super column family")
	}
}

func TestCollectionValueErrors(t *testing.T) {
	l := collTable(t)
	u := l.NewUpdate(1, 0, NewListIDs(nil))
	var ie *InvalidError
	cases := []struct {
		col   string
		value []byte
		msg   string
	}{
		{"st", []byte{0, 0}, "Not enough bytes to read a set"},
		{"m", []byte{0xff, 0xff, 0xff, 0xff}, "The data cannot be deserialized as a map"},
		{"l", append(list(txt("a")), 1), "Unexpected extraneous bytes after list value"},
		{"l", AppendCollection(nil, [][]byte{nil}), "Invalid null element in list"},
		{"m", kv(txt("a"), nil), "Invalid null value in map"},
		{"m", kv(txt("a"), []byte{1, 2}), "Expected 4 or 0 byte int (2)"},
		{"st", list(make([]byte, 70000)), "Set value is too long. Set values are limited to 65535 bytes but 70000 bytes value provided"},
		{"m", kv(make([]byte, 70000), i32(1)), "Map key is too long. Map keys are limited to 65535 bytes but 70000 bytes keys provided"},
	}
	for _, c := range cases {
		err := u.Set(ck1(1), l.Column(c.col), c.value)
		if !errors.As(err, &ie) || ie.Msg != c.msg {
			t.Errorf("%s %x: %v, want %q", c.col, c.value[:min(len(c.value), 12)], err, c.msg)
		}
	}
}

// TestDescOrder: a DESC clustering column reads in descending order, and
// reversed in ascending order; statics come with every row either way.
func TestDescOrder(t *testing.T) {
	l := mustLayout(t, Spec{Compound: true, Columns: []ColumnSpec{
		{Name: "k", Kind: PartitionKey, Type: codec.Int32},
		{Name: "c", Kind: Clustering, Type: codec.Int32, Desc: true},
		{Name: "d", Kind: Clustering, Type: codec.UTF8},
		{Name: "s", Kind: Static, Type: codec.Int32},
		{Name: "v", Kind: Regular, Type: codec.Int32}}})
	e := newEnv(t, l)
	k := i32(1)
	e.update(k, 0, 0, func(u *Update) error {
		for _, c := range []int32{2, -1, 10} {
			for _, d := range []string{"b", "a"} {
				if err := u.Insert([][]byte{i32(c), txt(d)}); err != nil {
					return err
				}
			}
		}
		return u.Set(nil, l.Column("s"), i32(7))
	})
	if got := e.partition(k, Selection{}, false); got != "10,a: s=7 | 10,b: s=7 | 2,a: s=7 | 2,b: s=7 | -1,a: s=7 | -1,b: s=7" {
		t.Errorf("forward: %q", got)
	}
	if got := e.partition(k, Selection{}, true); got != "-1,b: s=7 | -1,a: s=7 | 2,b: s=7 | 2,a: s=7 | 10,b: s=7 | 10,a: s=7" {
		t.Errorf("reversed: %q", got)
	}
	sel := Selection{Lower: &Bound{Values: [][]byte{i32(0)}}, Upper: &Bound{Values: [][]byte{i32(10), txt("a")}, Inclusive: true}}
	if got := e.partition(k, sel, false); got != "10,a: s=7 | 2,a: s=7 | 2,b: s=7" {
		t.Errorf("0 < c and (c, d) <= (10, 'a'): %q", got)
	}
	// DELETE s (a static cell) leaves the rows.
	e.update(k, 0, 0, func(u *Update) error { return u.Delete(nil, l.Column("s")) })
	if got := e.partition(k, Selection{Prefixes: [][][]byte{{i32(2)}}}, false); got != "2,a: | 2,b:" {
		t.Errorf("after DELETE s: %q", got)
	}
}
