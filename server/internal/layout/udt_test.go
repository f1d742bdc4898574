package layout

import (
	"bytes"
	"testing"

	"github.com/cassa-go/cassa/codec"
)

// udtTable has a non-frozen user type (street text, zip int, city text)
// as a regular and as a static column, next to a set, so that the
// comparator holds a ColumnToCollectionType that does not name the UDT.
func udtTable(t testing.TB) *Layout {
	fields := []codec.Type{codec.UTF8, codec.Int32, codec.UTF8}
	return mustLayout(t, Spec{Compound: true, Columns: []ColumnSpec{
		{Name: "k", Kind: PartitionKey, Type: codec.Int32},
		{Name: "c", Kind: Clustering, Type: codec.Int32},
		{Name: "a", Kind: Regular, Collection: UDT, Fields: fields},
		{Name: "st", Kind: Regular, Collection: Set, Elements: codec.UTF8},
		{Name: "sa", Kind: Static, Collection: UDT, Fields: fields},
	}})
}

func fields(fs ...[]byte) []byte { return AppendFields(nil, fs) }

// UserTypes.Setter, SetterByField and DeleterByField: whole values
// replace every field at timestamp-1, field writes and deletions touch
// one cell, reads give every field with nulls for the missing ones.
func TestUDTFieldCells(t *testing.T) {
	l := udtTable(t)
	if got := l.Comparator().Class(); bytes.Contains([]byte(got), []byte("UserType")) {
		t.Fatalf("comparator names the user type: %s", got)
	}
	e := newEnv(t, l)
	k := i32(1)
	a, sa := l.Column("a"), l.Column("sa")
	e.update(k, 0, 0, func(u *Update) error {
		if err := u.Insert(ck1(1)); err != nil {
			return err
		}
		if err := u.Set(ck1(1), a, fields(txt("main"), nil, txt("paris"))); err != nil {
			return err
		}
		return u.Set(nil, sa, fields(txt("x")))
	})
	if got := e.partition(k, Selection{}, false); got != "1: sa=(x,null,null) a=(main,null,paris)" {
		t.Fatalf("insert: %q", got)
	}
	// One cell per non-null field, named (c, "a", <2-byte position>).
	name, err := l.CellName(ck1(1), a, FieldPath(2))
	if err != nil {
		t.Fatal(err)
	}
	if want := unhex(t, "0004 00000001 00 | 0001 61 00 | 0002 0002 00"); !bytes.Equal(name, want) {
		t.Fatalf("field cell name %x, want %x", name, want)
	}
	e.update(k, 0, 0, func(u *Update) error {
		if err := u.SetField(ck1(1), a, 1, i32(75)); err != nil {
			return err
		}
		return u.SetField(ck1(1), a, 0, nil)
	})
	if got := e.partition(k, Selection{Prefixes: [][][]byte{ck1(1)}}, false); got != "1: sa=(x,null,null) a=(null,75,paris)" {
		t.Fatalf("field ops: %q", got)
	}
	// A whole value drops the fields it does not have.
	e.update(k, 0, 0, func(u *Update) error { return u.Set(ck1(1), a, fields(txt("rue"))) })
	if got := e.partition(k, Selection{Prefixes: [][][]byte{ck1(1)}}, false); got != "1: sa=(x,null,null) a=(rue,null,null)" {
		t.Fatalf("overwrite: %q", got)
	}
	// Reversed reads keep field order; a row made of field cells lives.
	e.update(k, 0, 0, func(u *Update) error { return u.SetField(ck1(2), a, 2, txt("lyon")) })
	e.update(k, 0, 0, func(u *Update) error { return u.SetField(ck1(2), a, 0, txt("quai")) })
	if got := e.partition(k, Selection{}, true); got != "2: sa=(x,null,null) a=(quai,null,lyon) | 1: sa=(x,null,null) a=(rue,null,null)" {
		t.Fatalf("reversed: %q", got)
	}
	// DELETE a; a null whole value; deleting the last field of an
	// UPDATE-made row removes the row.
	e.update(k, 0, 0, func(u *Update) error { return u.Delete(ck1(1), a) })
	e.update(k, 0, 0, func(u *Update) error { return u.Set(nil, sa, nil) })
	e.update(k, 0, 0, func(u *Update) error {
		if err := u.SetField(ck1(2), a, 0, nil); err != nil {
			return err
		}
		return u.SetField(ck1(2), a, 2, nil)
	})
	if got := e.partition(k, Selection{}, false); got != "1:" {
		t.Fatalf("deletions: %q", got)
	}
	// Bad values and positions.
	u := l.NewUpdate(1, 0, nil)
	if err := u.Set(ck1(1), a, fields(txt("a"), txt("bad"))); err == nil || err.Error() != "layout: Expected 4 or 0 byte int (3)" {
		t.Errorf("bad field value: %v", err)
	}
	if err := u.Set(ck1(1), a, fields(nil, nil, nil, nil)); err == nil || err.Error() != "layout: Invalid remaining data after end of UDT value" {
		t.Errorf("too many fields: %v", err)
	}
	if err := u.SetField(ck1(1), a, 3, txt("x")); err == nil {
		t.Error("field 3 of 3 accepted")
	}
}
