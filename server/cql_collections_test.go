package server_test

import (
	"reflect"
	"testing"
)

// Collections over CQL, as 3.11 updates them (UpdateStatement and the
// Operations of Lists, Sets and Maps on one cell per element): every
// update form, frozen and not, bound values from the driver, null and
// empty collections, and the messages.
func TestCQLCollectionUpdates(t *testing.T) {
	_, s := typesSession(t)
	mustExec(t, s, "CREATE TABLE c (k int PRIMARY KEY, l list<int>, st set<text>, m map<text, int>, fl frozen<list<int>>, fs frozen<set<int>>, fm frozen<map<int, text>>)")

	// Lists: append, prepend, set by index, discard by value, delete by
	// index, whole overwrite.
	mustExec(t, s, "INSERT INTO c (k, l) VALUES (0, [3, 1, 2])")
	mustExec(t, s, "UPDATE c SET l = l + [4, 5] WHERE k = 0")
	mustExec(t, s, "UPDATE c SET l = [0, -1] + l WHERE k = 0")
	mustExec(t, s, "UPDATE c SET l[1] = 30 WHERE k = 0")
	mustExec(t, s, "UPDATE c SET l = l - [1, 5] WHERE k = 0")
	mustExec(t, s, "DELETE l[0] FROM c WHERE k = 0")
	expectText(t, s, "[30, 3, 2, 4]", "SELECT toJson(l) FROM c WHERE k = 0")
	mustExec(t, s, "UPDATE c SET l[?] = ? WHERE k = 0", 3, 40)
	mustExec(t, s, "UPDATE c SET l = l + ? WHERE k = 0", []int{7})
	mustExec(t, s, "UPDATE c SET l = ? + l WHERE k = 0", []int{8})
	var l []int
	if err := s.Query("SELECT l FROM c WHERE k = 0").Scan(&l); err != nil || !reflect.DeepEqual(l, []int{8, 30, 3, 2, 40, 7}) {
		t.Errorf("list = %v, %v", l, err)
	}
	expectInvalid(t, s, "List index 6 out of bound, list has size 6", "UPDATE c SET l[6] = 1 WHERE k = 0")
	expectInvalid(t, s, "List index -1 out of bound, list has size 6", "DELETE l[-1] FROM c WHERE k = 0")
	expectInvalid(t, s, "Attempted to set an element on a list which is null", "UPDATE c SET l[0] = 1 WHERE k = 9")
	expectInvalid(t, s, "Attempted to delete an element from a list which is null", "DELETE l[0] FROM c WHERE k = 9")
	expectInvalid(t, s, "Invalid null value for list index", "UPDATE c SET l[?] = 1 WHERE k = 0", nil)

	// Sets: add, remove, delete an element, overwrite (sorted, deduplicated).
	mustExec(t, s, "INSERT INTO c (k, st) VALUES (1, {'b', 'a', 'b'})")
	mustExec(t, s, "UPDATE c SET st = st + {'d', 'c'} WHERE k = 1")
	mustExec(t, s, "UPDATE c SET st = st - {'a', 'zz'} WHERE k = 1")
	mustExec(t, s, "DELETE st['c'] FROM c WHERE k = 1")
	mustExec(t, s, "UPDATE c SET st = st + ? WHERE k = 1", []string{"e"})
	expectText(t, s, `["b", "d", "e"]`, "SELECT toJson(st) FROM c WHERE k = 1")
	expectInvalid(t, s, "Invalid operation (st[1] = 'x') for set column st", "UPDATE c SET st[1] = 'x' WHERE k = 1")
	expectInvalid(t, s, "Invalid null set element", "DELETE st[?] FROM c WHERE k = 1", nil)

	// Maps: put, merge, set a key, delete a key, remove keys.
	mustExec(t, s, "INSERT INTO c (k, m) VALUES (2, {'y': 2, 'x': 1})")
	mustExec(t, s, "UPDATE c SET m = m + {'z': 3, 'x': 10} WHERE k = 2")
	mustExec(t, s, "UPDATE c SET m['w'] = 0, m['y'] = null WHERE k = 2")
	mustExec(t, s, "UPDATE c SET m = m - {'z'} WHERE k = 2")
	mustExec(t, s, "DELETE m['w'] FROM c WHERE k = 2")
	mustExec(t, s, "UPDATE c SET m = m + ? WHERE k = 2", map[string]int{"v": 5})
	var m map[string]int
	if err := s.Query("SELECT m FROM c WHERE k = 2").Scan(&m); err != nil || !reflect.DeepEqual(m, map[string]int{"v": 5, "x": 10}) {
		t.Errorf("map = %v, %v", m, err)
	}
	expectInvalid(t, s, "Invalid null map key", "UPDATE c SET m[?] = 1 WHERE k = 2", nil)
	expectInvalid(t, s, "Invalid null map key", "DELETE m[?] FROM c WHERE k = 2", nil)

	// Frozen collections are single values: whole writes only.
	mustExec(t, s, "INSERT INTO c (k, fl, fs, fm) VALUES (3, [2, 1, 2], {3, 1}, {2: 'b', 1: 'a'})")
	expectText(t, s, `{"fl": [2, 1, 2], "fm": {"1": "a", "2": "b"}, "fs": [1, 3]}`, "SELECT JSON fl, fm, fs FROM c WHERE k = 3")
	expectInvalid(t, s, "Invalid operation (fl = fl + [1]) for frozen collection column fl", "UPDATE c SET fl = fl + [1] WHERE k = 3")
	expectInvalid(t, s, "Invalid operation (fl = [1] - fl) for frozen list column fl", "UPDATE c SET fl = [1] + fl WHERE k = 3")
	expectInvalid(t, s, "Invalid operation (fm[1] = 'x') for frozen collection column fm", "UPDATE c SET fm[1] = 'x' WHERE k = 3")
	expectInvalid(t, s, "Invalid deletion operation for frozen collection column fs", "DELETE fs[1] FROM c WHERE k = 3")
	expectInvalid(t, s, "Invalid operation (st = [1] - st) for non list column st", "UPDATE c SET st = [1] + st WHERE k = 3")

	// An empty non-frozen collection is null; an empty frozen one is a value.
	mustExec(t, s, "INSERT INTO c (k, l, st, m, fl, fs) VALUES (4, [], {}, {}, [], {})")
	expectText(t, s, `{"l": null, "st": null, "m": null, "fl": [], "fs": []}`, "SELECT JSON l, st, m, fl, fs FROM c WHERE k = 4")

	// A whole overwrite deletes the old elements at its timestamp minus
	// one: an element written at the same timestamp by another statement
	// survives it (UpdateParameters.setComplexDeletionTimeForOverwrite).
	mustExec(t, s, "UPDATE c USING TIMESTAMP 100 SET st = st + {'kept'} WHERE k = 5")
	mustExec(t, s, "UPDATE c USING TIMESTAMP 100 SET st = {'new'} WHERE k = 5")
	mustExec(t, s, "UPDATE c USING TIMESTAMP 99 SET st = st + {'lost'} WHERE k = 5")
	expectText(t, s, `["kept", "new"]`, "SELECT toJson(st) FROM c WHERE k = 5")
	mustExec(t, s, "DELETE st FROM c USING TIMESTAMP 100 WHERE k = 5")
	expectText(t, s, "", "SELECT toJson(st) FROM c WHERE k = 5")

	// Values and messages of literals and bound values.
	expectInvalid(t, s, "null is not supported inside collections", "INSERT INTO c (k, l) VALUES (6, [1, null])")
	expectInvalid(t, s, "Invalid list literal for l: value 'a' is not of type int", "INSERT INTO c (k, l) VALUES (6, ['a'])")
	expectInvalid(t, s, "Invalid set literal for l of type list<int>", "INSERT INTO c (k, l) VALUES (6, {1})")
	expectInvalid(t, s, "Invalid map literal for m: value 'a' is not of type int", "INSERT INTO c (k, m) VALUES (6, {'a': 'a'})")
	expectInvalid(t, s, "Invalid list literal for l: bind variables are not supported inside collection literals", "INSERT INTO c (k, l) VALUES (6, [?])", 1)
	expectInvalid(t, s, `Invalid INTEGER constant (1) for "m" of type map<text, int>`, "UPDATE c SET m = m + 1 WHERE k = 6")
}

// The nesting rules of CQL3Type.Raw and their messages.
func TestCQLCollectionNesting(t *testing.T) {
	_, s := typesSession(t)
	mustExec(t, s, "CREATE TYPE u (a int)")
	for _, tt := range []struct {
		code   int
		q, msg string
	}{
		{0x2200, "CREATE TABLE n (k int PRIMARY KEY, l list<list<int>>)", "Non-frozen collections are not allowed inside collections: list<list<int>>"},
		{0x2200, "CREATE TABLE n (k int PRIMARY KEY, m map<int, set<int>>)", "Non-frozen collections are not allowed inside collections: map<int, set<int>>"},
		{0x2200, "CREATE TABLE n (k int PRIMARY KEY, l list<u>)", "Non-frozen UDTs are not allowed inside collections: list<u>"},
		{0x2200, "CREATE TABLE n (k int PRIMARY KEY, l list<counter>)", "Counters are not allowed inside collections: list<counter>"},
		{0x2200, "CREATE TABLE n (k int PRIMARY KEY, s set<duration>)", "Durations are not allowed inside sets: set<duration>"},
		{0x2200, "CREATE TABLE n (k int PRIMARY KEY, m map<duration, int>)", "Durations are not allowed as map keys: map<duration, int>"},
		{0x2000, "CREATE TABLE n (k int PRIMARY KEY, f frozen<int>)", "frozen<> is only allowed on collections, tuples, and user-defined types (got int)"},
		{0x2200, "CREATE TABLE n (k list<int> PRIMARY KEY)", "Invalid non-frozen collection type for PRIMARY KEY component k"},
		{0x2200, "CREATE TABLE n (k int PRIMARY KEY, t tuple<int, counter>)", "Counters are not allowed inside tuples"},
	} {
		expectError(t, s, tt.code, tt.msg, tt.q)
	}
	// Frozen inner types are fine, and keys may be frozen collections.
	mustExec(t, s, "CREATE TABLE n (k frozen<list<int>> PRIMARY KEY, l list<frozen<list<int>>>, m map<frozen<set<text>>, frozen<u>>)")
	mustExec(t, s, "INSERT INTO n (k, l, m) VALUES ([1], [[2, 3], []], {{'a'}: {a: 1}})")
	expectText(t, s, `{"k": [1], "l": [[2, 3], []], "m": {"[\"a\"]": {"a": 1}}}`, "SELECT JSON * FROM n WHERE k = [1]")
}

// TTLs apply to each element; writetime() and ttl() refuse collections
// (Selectable.WritetimeOrTTL); a static collection is shared by the rows
// of its partition.
func TestCQLCollectionTTLAndStatics(t *testing.T) {
	_, s := typesSession(t)
	mustExec(t, s, "CREATE TABLE c (k int, c int, l list<int>, sm map<int, text> static, fl frozen<list<int>>, PRIMARY KEY (k, c))")
	mustExec(t, s, "INSERT INTO c (k, c, l) VALUES (0, 0, [1]) USING TTL 1000")
	mustExec(t, s, "UPDATE c USING TTL 2000 SET l = l + [2] WHERE k = 0 AND c = 0")
	expectInvalid(t, s, "Cannot use selection function ttl on collections", "SELECT ttl(l) FROM c")
	expectInvalid(t, s, "Cannot use selection function writeTime on collections", "SELECT writetime(fl) FROM c")
	expectInvalid(t, s, "Cannot use selection function writeTime on PRIMARY KEY part c", "SELECT writetime(c) FROM c")
	mustExec(t, s, "UPDATE c SET sm[1] = 'one' WHERE k = 0")
	mustExec(t, s, "INSERT INTO c (k, c, sm) VALUES (0, 1, {2: 'two'})")
	expectText(t, s, `{"c": 0, "sm": {"2": "two"}, "l": [1, 2]} | {"c": 1, "sm": {"2": "two"}, "l": null}`, "SELECT JSON c, sm, l FROM c WHERE k = 0")
	mustExec(t, s, "UPDATE c SET sm = sm + {3: 'three'} WHERE k = 0")
	expectText(t, s, `{"2": "two", "3": "three"}`, "SELECT DISTINCT toJson(sm) FROM c WHERE k = 0")
	expectInvalid(t, s, "Invalid restrictions on clustering columns since the UPDATE statement modifies only static columns", "UPDATE c SET sm[4] = 'x' WHERE k = 0 AND c = 0")
}
