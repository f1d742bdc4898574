package cqlquery

import (
	"errors"
	"testing"
)

// FuzzConditionValues binds arbitrary values to every kind of condition
// (whole collections, list indexes, map keys, IN lists, frozen values)
// against arbitrary current data: a transaction either answers or fails
// with a *Error, and never panics.
func FuzzConditionValues(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 1}, []byte{0, 0, 0, 0}, []byte{0, 0, 0, 2})
	f.Add([]byte{}, []byte{0xff, 0xff, 0xff, 0xff}, []byte{0, 0, 0, 1, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, a, b, c []byte) {
		if len(a)+len(b)+len(c) > 1024 {
			return
		}
		fx := newFixture(t)
		fx.ddl("CREATE TABLE t (k int PRIMARY KEY, l list<int>, m map<int, int>, st set<int>, fl frozen<list<int>>, v int)")
		fx.exec("INSERT INTO t (k, l, m, st, fl, v) VALUES (0, [1, 2], {1: 2}, {3}, [4], 5)")
		vals := []Value{{Bytes: a}, {Bytes: b}, {Bytes: c}}
		for _, cql := range []string{
			"UPDATE t SET v = 1 WHERE k = 0 IF l = ? AND m = ? AND st = ?",
			"UPDATE t SET v = 1 WHERE k = 0 IF l[?] = ? AND v IN ?",
			"UPDATE t SET v = 1 WHERE k = 0 IF m[?] > ? AND fl IN ?",
			"UPDATE t SET v = 1 WHERE k = 0 IF fl >= ? AND m IN ? AND st != ?",
			"UPDATE t SET l[?] = ?, m = m + ? WHERE k = 0 IF EXISTS",
			"DELETE l[?] FROM t WHERE k = 0 IF v < ? AND l IN ?",
		} {
			s, err := fx.prepare(cql)
			if err != nil {
				t.Fatalf("%s: %v", cql, err)
			}
			_, err = s.Execute(ctxb(), fx.env, Options{Values: vals[:len(s.BindColumns)], Consistency: clOne, SerialConsistency: clSerial})
			var e *Error
			if err != nil && !errors.As(err, &e) {
				t.Fatalf("%s: %T %v", cql, err, err)
			}
		}
	})
}
