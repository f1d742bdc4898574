// Package faults is the embedded server's fault injection for tests: rules
// that make chosen calls, or the next N of them, wait, fail with a timeout
// or an unavailable error, or lose their connection, switched on and off
// while the server runs. One vocabulary serves both protocols: a rule
// selects Thrift methods ("get_slice") or CQL statement kinds (Select,
// Insert, Update, Delete, Batch, Truncate, Schema, Use), optionally only on
// one protocol, keyspace or table, or only lightweight transactions
// (Serial); its failure is TimedOut or Unavailable whichever protocol the
// call came in on, and the server answers with that protocol's form of it
// (TimedOutException, or CQL's ReadTimeout or WriteTimeout with their
// bodies; UnavailableException or CQL's Unavailable).
//
// The server makes one Injector with its Thrift method names, so that a
// rule for a misspelt method is refused, and asks it once per request,
// before running it:
//
//	inj := faults.New(methodNames...)
//	act := inj.CheckCall(faults.Call{Protocol: faults.CQL, Method: faults.Select,
//		Keyspace: "ks", Table: "t"})      // one atomic load when no rules are set
//	if err := act.Wait(ctx); err != nil { ... }   // the delay, if any
//	switch {
//	case act.Drop:                    // close the connection, no reply
//	case act.Fail != faults.None:     // reply with the failure
//	}
//
// A test drives it through the server:
//
//	id, _ := srv.Faults().Add(faults.Rule{Method: "get_slice", Times: 2, Fail: faults.Unavailable})
//	... // the next two get_slice calls answer UnavailableException
//	srv.Faults().Remove(id)           // or Clear()
//	srv.Faults().Add(faults.Rule{Method: faults.Update, Serial: true, Fail: faults.TimedOut})
//	... // every UPDATE ... IF answers WriteTimeout with write type CAS
//
// The newest matching rule decides, so a narrow rule added on top of a
// broad one overrides it while it lasts.
//
// The types are meant to be re-exported by the server as aliases
// (type FaultRule = faults.Rule, and so on), so that users never name this
// internal package.
package faults
