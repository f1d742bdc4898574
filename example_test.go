package cassa_test

import (
	"errors"
	"fmt"

	"github.com/cassa-go/cassa"
)

func Example() {
	// What a transport returns when Cassandra has no such row, wrapped
	// with the caller's context.
	err := fmt.Errorf("loading user jsmith: %w", cassa.ErrNotFound)
	fmt.Println(errors.Is(err, cassa.ErrNotFound))

	cl, err := cassa.ParseConsistency("local_quorum")
	fmt.Println(cl, err)
	// Output:
	// true
	// LOCAL_QUORUM <nil>
}
