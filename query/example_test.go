package query_test

import (
	"errors"
	"fmt"

	"github.com/cassa-go/cassa/codec"
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
	// Output:
	// state = "UT" AND birthdate > 1970 LIMIT 20
	// true
	// query: index clause has no EQ on an indexed column: state = "UT" AND birthdate > 1970 (EQ on: state; indexed: birthdate)
}

func ExampleIndexQuery_Build() {
	base := query.Where("state").Eq("UT")
	older := base.And("birthdate").Lt(1970) // base is unchanged

	// The session packs with the live schema; here by hand: birthdate's
	// validator is LongType, the rest is UTF8Type.
	p := query.PackFuncs{Value: func(col, v any) ([]byte, error) {
		if col == "birthdate" {
			return codec.Long.Pack(v)
		}
		return codec.UTF8.Pack(v)
	}}
	clause, err := older.StartKey("jsmith").Build(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range clause.Expressions {
		fmt.Printf("%s %v %x\n", e.ColumnName, e.Op, e.Value)
	}
	fmt.Println(string(clause.StartKey), clause.Count, base)
	// Output:
	// state EQ 5554
	// birthdate LT 00000000000007b2
	// jsmith 100 state = "UT" LIMIT 100
}

func ExampleSlice() {
	s := query.Slice("z", "a").Reversed().Count(10)
	p, _ := s.Predicate(query.Raw)
	fmt.Printf("%s..%s reversed=%v count=%d\n", p.SliceRange.Start, p.SliceRange.Finish,
		p.SliceRange.Reversed, p.SliceRange.Count)
	// Output:
	// z..a reversed=true count=10
}

func ExampleTokens() {
	r := query.Tokens("-9223372036854775808", "0").RowCount(1000)
	kr, _ := r.KeyRange(query.Raw, 100)
	fmt.Println(*kr.StartToken, *kr.EndToken, kr.Count)
	// Output:
	// -9223372036854775808 0 100
}
