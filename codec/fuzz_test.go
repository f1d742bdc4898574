package codec

import (
	"math"
	"testing"
)

// fuzzTypes are the types every fuzz target exercises; the byte input picks one.
var fuzzTypes = []Type{
	Bytes, Ascii, UTF8, Long, Int32, Integer, Double, Float, Decimal, Boolean, Date, Timestamp,
	UUID, TimeUUID, LexicalUUID, InetAddress, CounterColumn,
	Reversed(Double),
	Composite(Long, UTF8),
	Composite(Reversed(TimeUUID), Integer, Decimal),
	DynamicComposite(DynamicAlias{'l', Long}, DynamicAlias{'a', Ascii}, DynamicAlias{'r', Reversed(Long)}),
}

func fuzzType(sel uint8) Type { return fuzzTypes[int(sel)%len(fuzzTypes)] }

var fuzzSeeds = []string{
	"", "00", "ff", "0000000000000001", "ffffffffffffffff", "00000001", "3ff8000000000000",
	"7ff8000000000001", "00000001 0f", "7fffffff 01", "80000000 01", "01", "02",
	"f7655d8004fc11e08080808080808080", "7f000001", "6261c99472", "eda080", "c080",
	"0008 0000000000000001 00 0002 6162 00", "0008 0000000000000001 ff", "ffff 0000 00",
	"806c 0008 0000000000000001 00 8061 0001 78 00",
	"0008 4c6f6e6754797065 0008 0000000000000001 00",
	"0016 5265766572736564547970652855544638547970652900 0001 61 00",
	"0010 f7655d8004fc11e08080808080808080 00 0001 05 00 0005 0000000201 00",
}

func addSeeds(f *testing.F, two bool) {
	for i, s := range fuzzSeeds {
		b := unhex(f, s)
		for sel := range fuzzTypes {
			if two {
				f.Add(uint8(sel), b, unhex(f, fuzzSeeds[(i+sel)%len(fuzzSeeds)]))
			} else {
				f.Add(uint8(sel), b)
			}
		}
	}
}

// FuzzUnpack: Unpack never panics, and a valid value that unpacks packs
// back to bytes that compare equal (composites aside: they repack with 00
// end-of-component bytes).
func FuzzUnpack(f *testing.F) {
	addSeeds(f, false)
	f.Fuzz(func(t *testing.T, sel uint8, b []byte) {
		typ := fuzzType(sel)
		v, err := typ.Unpack(b)
		if err != nil || v == nil || typ.Validate(b) != nil {
			return
		}
		switch typ.(type) {
		case *CompositeType, *DynamicCompositeType:
			return
		}
		p, err := typ.Pack(v)
		if err != nil {
			t.Fatalf("%s: Pack(Unpack(%x) = %v): %v", ShortName(typ), b, v, err)
		}
		if c := typ.Compare(b, p); c != 0 {
			t.Fatalf("%s: %x unpacks to %v which packs to %x, Compare = %d", ShortName(typ), b, v, p, c)
		}
	})
}

// FuzzValidate: Validate (and Format) never panic; Validate fails only with
// *ValidationError.
func FuzzValidate(f *testing.F) {
	addSeeds(f, false)
	f.Fuzz(func(t *testing.T, sel uint8, b []byte) {
		typ := fuzzType(sel)
		_ = Format(typ, b)
		if err := typ.Validate(b); err != nil {
			if _, ok := err.(*ValidationError); !ok {
				t.Fatalf("%s.Validate(%x) = %T %v", ShortName(typ), b, err, err)
			}
		}
	})
}

// FuzzCompare: Compare never panics, is reflexive and antisymmetric (except
// DynamicCompositeType, where Cassandra itself compares two components of
// one Java class with the first component's type), and orders empty first.
func FuzzCompare(f *testing.F) {
	addSeeds(f, true)
	f.Fuzz(func(t *testing.T, sel uint8, a, b []byte) {
		typ := fuzzType(sel)
		ab, ba := sign(typ.Compare(a, b)), sign(typ.Compare(b, a))
		if typ.Compare(a, a) != 0 {
			t.Fatalf("%s: Compare(%x, itself) != 0", ShortName(typ), a)
		}
		if len(a) == 0 && len(b) > 0 && ab != -1 {
			t.Fatalf("%s: empty does not sort before %x", ShortName(typ), b)
		}
		if _, dyn := typ.(*DynamicCompositeType); !dyn && ab != -ba {
			t.Fatalf("%s: Compare(%x, %x) = %d but reversed %d", ShortName(typ), a, b, ab, ba)
		}
	})
}

// FuzzParse: Parse never panics, and what it accepts prints a class that
// parses back to the same class.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "UTF8Type", "org.apache.cassandra.db.marshal.LongType", "UTF8Type(reversed=true)",
		"CompositeType(LongType,ReversedType(UTF8Type))", "DynamicCompositeType(a=>AsciiType,b=>BytesType)",
		"CompositeType(", "DynamicCompositeType(a=", "ReversedType()", "LongType(reversed", "FooType",
		" CompositeType ( LongType , CompositeType(IntegerType, DecimalType) ) ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ, err := Parse(s)
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("Parse(%q) error %T %v", s, err, err)
			}
			return
		}
		_ = ShortName(typ)
		again, err := Parse(typ.Class())
		if err != nil || again.Class() != typ.Class() {
			t.Fatalf("Parse(%q).Class() = %q reparses to %v, %v", s, typ.Class(), again, err)
		}
	})
}

// FuzzPack: packing text and numbers, and FromString, never panic; what
// packs validates.
func FuzzPack(f *testing.F) {
	f.Add(uint8(0), "abc", int64(1), 1.5)
	f.Add(uint8(13), "f7655d80-04fc-11e0-8080-808080808080", int64(-1), math.Copysign(0, -1)) // negative zero
	f.Add(uint8(15), "::1", int64(1<<40), 1e300)
	f.Add(uint8(8), "1.5e10", int64(0), 1e-300)
	f.Add(uint8(18), `1:a\:b:!`, int64(0), 0.0)
	f.Add(uint8(20), "l@1:a@x:LongType@3", int64(0), 0.0)
	f.Fuzz(func(t *testing.T, sel uint8, s string, i int64, x float64) {
		typ := fuzzType(sel)
		if _, err := FromString(typ, s); err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("%s: FromString(%q): %T %v", ShortName(typ), s, err, err)
			}
		}
		for _, v := range []any{s, []byte(s), i, x, float32(x), Tuple{i, s}, Tuple{Exclusive(x)}, Tuple{ByAlias('l', i)}} {
			for _, bound := range []Bound{NoBound, SliceStart, SliceFinish} {
				b, err := typ.PackBound(v, bound)
				if err != nil {
					if _, ok := err.(*Error); !ok {
						t.Fatalf("%s.Pack(%v): %T %v", ShortName(typ), v, err, err)
					}
					continue
				}
				if _, comp := typ.(*CompositeType); comp {
					continue // pycassa's non-final EOCs do not validate
				}
				if _, ascii := typ.(asciiType); ascii {
					continue // text is passed through unchecked
				}
				if _, utf := typ.(utf8Type); utf {
					continue
				}
				if ut, ok := typ.(uuidType); ok && ut.kind == uuidTime {
					continue // 16 raw bytes or a v4 string pass through, as in pycassa
				}
				if err := typ.Validate(b); err != nil && bound == NoBound {
					t.Fatalf("%s.Pack(%v) = %x does not validate: %v", ShortName(typ), v, b, err)
				}
			}
		}
	})
}
