package codec_test

import (
	"fmt"
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
