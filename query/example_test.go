package query_test

import (
	"errors"
	"fmt"

	"github.com/cassa-go/cassa/query"
)

func Example() {
	q := query.Where("state").Eq("UT").And("birthdate").Gt(1970).Limit(20)
	fmt.Println(q)

	// Refused before anything is sent: birthdate is indexed but not
	// compared with EQ, and state is not indexed.
	indexed := func(col any) bool { return col == "birthdate" }
	err := q.Validate(indexed)
	fmt.Println(errors.Is(err, query.ErrNoIndexedEQ))
	fmt.Println(err)

	// Allowed as a scan whose rows the server filters.
	fmt.Println(q.AllowFiltering().Validate(indexed))
	// Output:
	// state = "UT" AND birthdate > 1970 LIMIT 20
	// true
	// query: index query has no EQ on an indexed column: state = "UT" AND birthdate > 1970 (EQ on: state; indexed: birthdate)
	// <nil>
}

func ExampleSelect_Parts() {
	base := query.Slice("z", "a").Reversed()
	newest := base.PerPartitionLimit(10) // base is unchanged
	p, err := newest.Parts()
	fmt.Println(p.Start, p.Finish, p.Reversed, p.PerPartitionLimit, err)
	fmt.Println(base)
	fmt.Println(newest)
	// Output:
	// z a true 10 <nil>
	// SLICE [z, a] REVERSED
	// SLICE [z, a] REVERSED PER PARTITION LIMIT 10
}

func ExampleTokens() {
	q := query.Tokens("-9223372036854775808", "0").Limit(1000)
	p, _ := q.Parts()
	fmt.Println(p.StartToken, p.FinishToken, p.Limit)
	fmt.Println(q)
	// Output:
	// -9223372036854775808 0 1000
	// TOKENS (-9223372036854775808, 0] LIMIT 1000
}
