package partitioner_test

import (
	"errors"
	"fmt"
	"slices"

	"github.com/cassa-go/cassa/partitioner"
)

func Example() {
	p, err := partitioner.ByName("Murmur3Partitioner")
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Class())
	fmt.Println(p.Token([]byte("hello")))

	// Rows come back in token order, not key order.
	keys := [][]byte{[]byte("a"), []byte("b"), []byte("c")}
	slices.SortFunc(keys, p.CompareKeys)
	for _, k := range keys {
		fmt.Printf("%s %v\n", k, p.Token(k))
	}

	_, err = p.ParseToken("abc")
	fmt.Println(err, errors.Is(err, partitioner.ErrInvalidToken))
	// Output:
	// org.apache.cassandra.dht.Murmur3Partitioner
	// -3758069500696749310
	// a -8839064797231613815
	// c -8198557465434950441
	// b 8833996863197925870
	// invalid Murmur3Partitioner token "abc": expected a signed 64-bit decimal integer true
}

func ExampleSplit() {
	var p partitioner.Murmur3Partitioner
	// start == end is the whole ring.
	toks, _ := partitioner.Split(p, p.MinToken(), p.MinToken(), 4)
	fmt.Println(toks)
	// Output:
	// [-9223372036854775808 -4611686018427387904 0 4611686018427387904 -9223372036854775808]
}

func ExampleDecoratedKey() {
	p := partitioner.ByteOrderedPartitioner{}
	a := partitioner.Decorate(p, []byte("10"))
	b := partitioner.Decorate(p, []byte("2"))
	fmt.Println(a.Token, b.Token, a.Compare(b))
	// Output:
	// 3130 32 -1
}
