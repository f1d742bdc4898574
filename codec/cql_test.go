package codec

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func TestCQLClassRoundTrip(t *testing.T) {
	const m = marshalPkg
	for _, tt := range []struct {
		class, cql string
	}{
		{m + "SimpleDateType", "date"},
		{m + "TimeType", "time"},
		{m + "ShortType", "smallint"},
		{m + "ByteType", "tinyint"},
		{m + "DurationType", "duration"},
		{m + "EmptyType", "empty"},
		{m + "DateType", "timestamp"},
		{m + "ListType(" + m + "Int32Type)", "list<int>"},
		{m + "SetType(" + m + "UTF8Type)", "set<text>"},
		{m + "MapType(" + m + "UTF8Type," + m + "Int32Type)", "map<text, int>"},
		{m + "FrozenType(" + m + "ListType(" + m + "Int32Type))", "frozen<list<int>>"},
		{m + "FrozenType(" + m + "MapType(" + m + "UTF8Type," + m + "ListType(" + m + "Int32Type)))", "frozen<map<text, frozen<list<int>>>>"},
		{m + "ListType(" + m + "FrozenType(" + m + "SetType(" + m + "Int32Type)))", "list<frozen<set<int>>>"},
		{m + "FrozenType(" + m + "TupleType(" + m + "Int32Type," + m + "UTF8Type))", "frozen<tuple<int, text>>"},
		{m + "UserType(ks,61646472657373,737472656574:" + m + "UTF8Type,7a6970:" + m + "Int32Type)", "address"},
		{m + "FrozenType(" + m + "UserType(ks,4164647265737373,737472656574:" + m + "UTF8Type))", `frozen<"Addresss">`},
		{m + "ReversedType(" + m + "TimeUUIDType)", "timeuuid"},
		{m + "LexicalUUIDType", "'" + m + "LexicalUUIDType'"},
		{m + "CompositeType(" + m + "UTF8Type," + m + "LongType)", "'" + m + "CompositeType(" + m + "UTF8Type," + m + "LongType)'"},
	} {
		typ, err := Parse(tt.class)
		if err != nil {
			t.Fatalf("Parse(%s): %v", tt.class, err)
		}
		if typ.Class() != tt.class {
			t.Errorf("Class() = %s, want %s", typ.Class(), tt.class)
		}
		if got := CQLName(typ); got != tt.cql {
			t.Errorf("CQLName(%s) = %q, want %q", tt.class, got, tt.cql)
		}
	}
	// Parameters of a collection are frozen whatever the class says.
	typ := MustParse(m + "ListType(" + m + "SetType(" + m + "Int32Type))")
	if got := CQLName(typ); got != "list<frozen<set<int>>>" {
		t.Errorf("nested = %s", got)
	}
}

func TestCollectionValues(t *testing.T) {
	l := List(Int32, false)
	b, err := l.Pack([]int{3, 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 1}
	if !bytes.Equal(b, want) {
		t.Fatalf("list = %x", b)
	}
	if err := l.Validate(b); err != nil {
		t.Fatal(err)
	}
	s := Set(Int32, true)
	sb, _ := s.Pack([]int{3, -1, 3})
	v, _ := s.Unpack(sb)
	if got := v.([]any); len(got) != 2 || got[0] != int32(-1) || got[1] != int32(3) {
		t.Errorf("set = %v", got)
	}
	mp := Map(UTF8, Int32, true)
	mb, _ := mp.Pack(map[string]int{"b": 2, "a": 1})
	mv, _ := mp.Unpack(mb)
	if es := mv.([]MapEntry); len(es) != 2 || es[0].Key != "a" || es[1].Value != int32(2) {
		t.Errorf("map = %v", es)
	}
	for _, tt := range []struct {
		typ  Type
		b    []byte
		want string
	}{
		{l, []byte{0, 0}, "Not enough bytes to read a list"},
		{s, []byte{0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff}, "Invalid null element in set"},
		{mp, []byte{0, 0, 0, 1, 0, 0, 0, 1, 'a', 0xff, 0xff, 0xff, 0xff}, "Invalid null value in map"},
		{l, append(append([]byte{}, want...), 9), "Unexpected extraneous bytes after list value"},
		{l, []byte{0, 0, 0, 1, 0, 0, 0, 2, 1, 2}, "Expected 4 or 0 byte int (2)"},
		{NewTuple(Int32), []byte{0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0}, "Invalid remaining data after end of tuple value"},
		{NewTuple(Int32), []byte{0, 0, 0, 4, 0}, "Not enough bytes to read 0th component"},
		{Short, []byte{1}, "Expected 2 bytes for a smallint (1)"},
		{Byte, nil, "Expected 1 byte for a tinyint (0)"},
		{SimpleDate, []byte{1}, "Expected 4 byte long for date (1)"},
		{Time, []byte{1}, "Expected 8 byte long for time (1)"},
		{Duration, []byte{0}, "Expected at least 3 bytes for a duration (1)"},
		{Duration, []byte{2, 1, 0}, "The duration months, days and nanoseconds must be all of the same sign (1, -1, 0)"},
		{Empty, []byte{1}, "EmptyType only accept empty values"},
	} {
		var ve *ValidationError
		if err := tt.typ.Validate(tt.b); !errors.As(err, &ve) || ve.Msg != tt.want {
			t.Errorf("%s.Validate(%x) = %v, want %q", ShortName(tt.typ), tt.b, err, tt.want)
		}
	}
}

func TestCollectionCompare(t *testing.T) {
	l := List(Int32, false)
	a, _ := l.Pack([]int{1, 2})
	b, _ := l.Pack([]int{1, 3})
	c, _ := l.Pack([]int{1})
	if l.Compare(a, b) >= 0 || l.Compare(c, a) >= 0 || l.Compare(a, a) != 0 {
		t.Error("list order")
	}
	tt := NewTuple(Int32, UTF8)
	x, _ := tt.Pack(Tuple{1, nil})
	y, _ := tt.Pack(Tuple{1, "a"})
	z, _ := tt.Pack(Tuple{1})
	if tt.Compare(x, y) >= 0 || tt.Compare(x, z) != 0 {
		t.Error("tuple order")
	}
}

func TestColumnToCollectionInComposite(t *testing.T) {
	ctc := ColumnToCollection(map[string]*CollectionType{"s": Set(Int32, true)})
	cmp := Composite(UTF8, ctc)
	neg, _ := cmp.Pack(Tuple{"s", AppendInt32(nil, -1)})
	pos, _ := cmp.Pack(Tuple{"s", AppendInt32(nil, 1)})
	if cmp.Compare(neg, pos) >= 0 {
		t.Error("set elements must sort as ints, not bytes")
	}
	want := marshalPkg + "CompositeType(" + marshalPkg + "UTF8Type," + marshalPkg +
		"ColumnToCollectionType(73:" + marshalPkg + "SetType(" + marshalPkg + "Int32Type)))"
	if cmp.Class() != want {
		t.Errorf("class %s", cmp.Class())
	}
	if p, err := Parse(want); err != nil || p.Class() != want {
		t.Errorf("parse: %v", err)
	}
}

func TestVIntAndDuration(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 63, 64, -65, 1 << 20, -(1 << 40), 1<<62 + 5, -1 << 63} {
		b := AppendVInt(nil, v)
		got, n, ok := DecodeVInt(b)
		if !ok || n != len(b) || got != v {
			t.Errorf("vint %d: %x -> %d %d %v", v, b, got, n, ok)
		}
	}
	d := DurationValue{Months: 14, Days: 3, Nanos: int64(4*time.Hour + 5*time.Millisecond)}
	b, err := Duration.Pack(d)
	if err != nil || Duration.Validate(b) != nil {
		t.Fatal(err)
	}
	if got := Format(Duration, b); got != "1y2mo3d4h5ms" {
		t.Errorf("format %s", got)
	}
	v, _ := Duration.Unpack(b)
	if v != d {
		t.Errorf("unpack %v", v)
	}
}

func TestMaybeQuote(t *testing.T) {
	for in, want := range map[string]string{"abc": "abc", "Abc": `"Abc"`, "select": `"select"`, `a"b`: `"a""b"`, "a1_": "a1_", "1a": `"1a"`, "": `""`} {
		if got := MaybeQuote(in); got != want {
			t.Errorf("MaybeQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
