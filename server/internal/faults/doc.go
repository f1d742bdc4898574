// Package faults is the embedded server's fault injection for tests: rules
// that make chosen Thrift methods, or the next N calls of them, wait, fail
// with TimedOutException or UnavailableException, or lose their connection,
// switched on and off while the server runs.
//
// The server makes one Injector with its method names, so that a rule for a
// misspelt method is refused, and asks it once per request, before running
// the method:
//
//	inj := faults.New(methodNames...)
//	act := inj.Check(method)          // one atomic load when no rules are set
//	if err := act.Wait(ctx); err != nil { ... }   // the delay, if any
//	switch {
//	case act.Drop:                    // close the connection, no reply
//	case act.Fail != faults.None:     // reply with act.Fail.Exception()
//	}
//
// A test drives it through the server:
//
//	id, _ := srv.Faults().Add(faults.Rule{Method: "get_slice", Times: 2, Fail: faults.Unavailable})
//	... // the next two get_slice calls answer UnavailableException
//	srv.Faults().Remove(id)           // or Clear()
//
// The newest matching rule decides, so a narrow rule added on top of a
// broad one overrides it while it lasts.
//
// The types are meant to be re-exported by the server as aliases
// (type FaultRule = faults.Rule, and so on), so that users never name this
// internal package.
package faults
