package check

import (
	"context"

	"github.com/cassa-go/cassa"
)

// Context returns a *cassa.ArgumentError when ctx is nil; fn names the
// function.
func Context(ctx context.Context, fn string) error {
	if ctx == nil {
		return &cassa.ArgumentError{Func: fn, Arg: "ctx", Why: "is nil (use context.Background())"}
	}
	return nil
}

// Nil is the *cassa.ArgumentError of argument arg of fn being nil.
func Nil(fn, arg string) error {
	return &cassa.ArgumentError{Func: fn, Arg: arg, Why: "is nil"}
}

// Unmade is the *cassa.ArgumentError of a method called on a nil receiver
// or on a zero value its type's constructor did not make; ctor names the
// constructor ("pool.Open").
func Unmade(fn, typ, ctor string) error {
	return &cassa.ArgumentError{Func: fn, Arg: "the " + typ, Why: "is nil or was not made by " + ctor}
}
