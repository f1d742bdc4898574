// Package testclock is a clock that only a test moves, for the server's
// internal tests of TTLs, expiry and write timestamps:
//
//	clock := testclock.New()
//	st := store.New(p, store.Options{Clock: clock})
//	clock.Advance(2 * time.Second) // a 1-second TTL has now expired
//
// Users' tests have cassatest.Clock, which does the same over a whole
// server.
package testclock
