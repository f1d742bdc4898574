package cqltype_test

import (
	"fmt"

	"github.com/cassa-go/cassa/internal/cqltype"
)

func Example() {
	t, err := cqltype.Parse("Map<text, frozen<list<int>>>")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(t.Kind, t.MultiCell(), t)
	_, err = cqltype.Parse("list<list<int>>")
	fmt.Println(err)
	// Output:
	// map true map<text, frozen<list<int>>>
	// non-frozen collections are not allowed inside collections: list<list<int>>
}
