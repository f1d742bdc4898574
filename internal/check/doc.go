// Package check holds the argument checks every exported function of cassa
// starts with, so that a nil context, a nil pointer or a zero value that
// needs its constructor is a *cassa.ArgumentError, never a panic.
//
//	if err := check.Context(ctx, "columnfamily.Open"); err != nil {
//		return nil, err
//	}
package check
