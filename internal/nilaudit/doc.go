// Package nilaudit holds no code, only a test: it calls every exported
// function and method of the packages below the mapper (cassa, query,
// thrift/pool, thrift/columnfamily, migrate, cassatest) with nil and zero
// arguments (a nil context, nil pointers and functions, zero structs, nil
// or zero receivers) and checks that each returns an error, or yields one,
// instead of panicking.
//
// The list of functions comes from the packages' sources, so an exported
// function or type added later fails the test until it is listed; methods
// are found by reflection, so a new method of a listed type is called
// without anyone listing it.
//
//	go test ./internal/nilaudit
package nilaudit
