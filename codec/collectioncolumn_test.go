package codec

import (
	"encoding/binary"
	"errors"
	"testing"
)

// cname builds a composite name from raw components, all with EOC 00
// except the last, which gets eoc.
func cname(eoc byte, parts ...[]byte) []byte {
	var out []byte
	for i, p := range parts {
		out = binary.BigEndian.AppendUint16(out, uint16(len(p)))
		out = append(out, p...)
		if i == len(parts)-1 {
			out = append(out, eoc)
		} else {
			out = append(out, 0)
		}
	}
	return out
}

func i32(v int32) []byte { return AppendInt32(nil, v) }

// TestColumnToCollectionOrder checks the comparator of a CQL table with
// collections, CompositeType(Int32Type,UTF8Type,ColumnToCollectionType(...)):
// element components order by the collection's name comparator, chosen by
// the column-name component before them (compareCollectionMembers).
func TestColumnToCollectionOrder(t *testing.T) {
	ctc := ColumnToCollection(
		CollectionColumn{Name: []byte("s"), Class: marshalPkg + "SetType(" + Int32.Class() + ")", Names: Int32},
		CollectionColumn{Name: []byte("m"), Class: marshalPkg + "MapType(" + UTF8.Class() + "," + Long.Class() + ")", Names: UTF8},
	)
	wantClass := marshalPkg + "ColumnToCollectionType(6d:" + marshalPkg + "MapType(" + UTF8.Class() + "," + Long.Class() + ")," +
		"73:" + marshalPkg + "SetType(" + Int32.Class() + "))"
	if ctc.Class() != wantClass {
		t.Errorf("class %s", ctc.Class())
	}
	c := Composite(Int32, UTF8, ctc)
	ck := i32(1)
	// Set elements -1 < 2 as Int32 (bytewise ff.. > 00..).
	setNeg := cname(0, ck, []byte("s"), i32(-1))
	setPos := cname(0, ck, []byte("s"), i32(2))
	if c.Compare(setNeg, setPos) >= 0 {
		t.Errorf("set elements ordered bytewise, not as Int32Type")
	}
	// Map keys order as UTF8; the column-name component decides first.
	mapA := cname(0, ck, []byte("m"), []byte("a"))
	if c.Compare(mapA, setNeg) >= 0 {
		t.Errorf("column m must sort before column s")
	}
	// A collection's range tombstone bounds enclose exactly its elements.
	lo := cname(0xff, ck, []byte("s"))
	hi := cname(0x01, ck, []byte("s"))
	for _, n := range [][]byte{setNeg, setPos} {
		if c.Compare(lo, n) >= 0 || c.Compare(n, hi) >= 0 {
			t.Errorf("element %x outside [%x, %x]", n, lo, hi)
		}
	}
	if c.Compare(mapA, lo) >= 0 {
		t.Errorf("map element inside the set's bounds")
	}
	// Static names sort before everything but the empty name.
	static := append([]byte{0xff, 0xff}, cname(0, nil, []byte("x"))...)
	if c.Compare(static, mapA) >= 0 || c.Compare(nil, static) >= 0 {
		t.Errorf("static order")
	}
	// Unknown collection: a total order, no panic.
	u1, u2 := cname(0, ck, []byte("zz"), []byte{2}), cname(0, ck, []byte("zz"), []byte{1})
	if c.Compare(u1, u2) <= 0 {
		t.Errorf("unknown collection elements should compare as bytes")
	}
}

func TestColumnToCollectionValidate(t *testing.T) {
	ctc := ColumnToCollection(CollectionColumn{Name: []byte("s"), Class: "SetType(Int32Type)", Names: Int32})
	c := Composite(UTF8, ctc)
	if err := c.Validate(cname(0, []byte("s"), i32(7))); err != nil {
		t.Errorf("valid element: %v", err)
	}
	err := c.Validate(cname(0, []byte("s"), []byte{1, 2, 3}))
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("3-byte Int32 element: %v", err)
	}
	err = c.Validate(cname(0, []byte("nope"), []byte{1}))
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Msg != "6e6f7065 is not defined as a collection" {
		t.Errorf("unknown collection: %v", err)
	}
	if err := c.Validate(cname(0, []byte("s"))); err != nil {
		t.Errorf("name without element: %v", err)
	}
}
