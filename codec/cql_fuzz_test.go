package codec

import "testing"

// FuzzCQLValues: no bytes panic the CQL types' Validate, Unpack, Compare
// or Format.
func FuzzCQLValues(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 1}, []byte{0, 0, 0, 0})
	f.Add([]byte{0, 0, 0, 4, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff}, []byte{2, 1, 0})
	types := []Type{List(Int32, true), Set(UTF8, false), Map(UTF8, List(Int32, false), true), NewTuple(Int32, UTF8),
		NewUserType("ks", "u", []string{"a", "b"}, []Type{Int32, UTF8}, false), Duration, SimpleDate, Time, Short, Byte, Empty,
		Composite(UTF8, ColumnToCollection(map[string]*CollectionType{"s": Set(Int32, true)}))}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		for _, typ := range types {
			_ = typ.Validate(a)
			_, _ = typ.Unpack(a)
			_ = typ.Compare(a, b)
			_ = Format(typ, a)
		}
	})
}
