package codec_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/cassa-go/cassa/codec"
)

func Example() {
	t, err := codec.Parse("CompositeType(LongType,ReversedType(UTF8Type))")
	if err != nil {
		panic(err)
	}
	name, _ := t.Pack(codec.Tuple{int64(1), "ab"})
	fmt.Printf("%x\n", name)
	v, _ := t.Unpack(name)
	fmt.Println(v)
	fmt.Println(codec.ShortName(t))
	fmt.Println(codec.Long.Validate([]byte{1, 2, 3}))
	// Output:
	// 00080000000000000001000002616200
	// [1 ab]
	// CompositeType(LongType, ReversedType(UTF8Type))
	// codec: LongType: invalid value: Expected 8 or 0 byte long (3)
}

func ExampleLowestTimeUUID() {
	t := time.Date(2010, 12, 11, 8, 2, 15, 0, time.UTC)
	lo, _ := codec.LowestTimeUUID(t)
	hi, _ := codec.HighestTimeUUID(t)
	fmt.Println(lo)
	fmt.Println(hi)
	// Output:
	// f7655d80-04fc-11e0-8080-808080808080
	// f7655d80-04fc-11e0-bf7f-7f7f7f7f7f7f
}

// Slice bounds for CompositeType(LongType, AsciiType): a start is inclusive
// (end-of-component ff) unless marked Exclusive.
func ExampleCompositeType_PackBound() {
	c := codec.Composite(codec.Long, codec.Ascii)
	start, _ := c.PackBound(codec.Tuple{1}, codec.SliceStart)
	finish, _ := c.PackBound(codec.Tuple{2, codec.Exclusive("b")}, codec.SliceFinish)
	fmt.Printf("%x\n%x\n", start, finish)
	// Output:
	// 00080000000000000001ff
	// 0008000000000000000200000162ff
}

// A user type, known to Parse once registered.
func ExampleRegister() {
	upper := &codec.CustomType{
		Name: "com.example.UpperType",
		Base: codec.UTF8,
		PackFunc: func(v any) ([]byte, error) {
			s, ok := v.(string)
			if !ok {
				return nil, codec.ErrUnsupported
			}
			return []byte(strings.ToUpper(s)), nil
		},
	}
	if err := codec.Register("com.example.UpperType", upper); err != nil {
		panic(err)
	}
	t, _ := codec.Parse("CompositeType(LongType, com.example.UpperType)")
	b, _ := t.Pack(codec.Tuple{7, "abc"})
	fmt.Println(codec.Format(t, b))
	fmt.Println(t.Class())
	// Output:
	// 7:ABC
	// org.apache.cassandra.db.marshal.CompositeType(org.apache.cassandra.db.marshal.LongType,com.example.UpperType)
}

func ExampleDynamicComposite() {
	d := codec.DynamicComposite(codec.DynamicAlias{Alias: 'l', Type: codec.Long}, codec.DynamicAlias{Alias: 'a', Type: codec.Ascii})
	b, _ := d.Pack(codec.Tuple{codec.ByAlias('l', 1), codec.ByType(codec.Ascii, "x")})
	fmt.Printf("%x\n", b)
	fmt.Println(codec.Format(d, b))
	fmt.Println(d.Class())
	// Output:
	// 806c0008000000000000000100000941736369695479706500017800
	// l@1:AsciiType@x
	// org.apache.cassandra.db.marshal.DynamicCompositeType(a=>org.apache.cassandra.db.marshal.AsciiType,l=>org.apache.cassandra.db.marshal.LongType)
}
