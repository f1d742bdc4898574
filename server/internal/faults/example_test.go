package faults_test

import (
	"fmt"

	"github.com/cassa-go/cassa/server/internal/faults"
)

func Example() {
	var inj faults.Injector // in a test: srv.Faults()

	// The next two get_slice calls answer UnavailableException.
	if _, err := inj.Add(faults.Rule{Method: "get_slice", Times: 2, Fail: faults.Unavailable}); err != nil {
		panic(err)
	}
	for range 3 {
		fmt.Println(inj.Check("get_slice").Fail)
	}
	fmt.Println(inj.Check("insert").IsZero())
	// Output:
	// UnavailableException
	// UnavailableException
	// none
	// true
}
