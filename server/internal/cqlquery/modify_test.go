package cqlquery

import "testing"

// The WHERE rules and assignment checks of INSERT, UPDATE and DELETE
// (ModificationStatement.Parsed.prepare, StatementType), with 3.11's
// messages.
func TestModificationMessages(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int, c1 int, c2 int, v int, s int static, l list<int>, m map<int, text>, st set<int>, fl frozen<list<int>>, PRIMARY KEY (k, c1, c2))")
	f.ddl("CREATE TABLE c (k int PRIMARY KEY, n counter)")
	f.ddl("CREATE TABLE d (k int, c int, v int, PRIMARY KEY (k, c)) WITH COMPACT STORAGE")
	for _, tt := range []struct{ q, msg string }{
		{"UPDATE t SET v = 1 WHERE c1 = 1 AND c2 = 1", "Some partition key parts are missing: k"},
		{"INSERT INTO t (c1, c2, v) VALUES (1, 1, 1)", "Some partition key parts are missing: k"},
		{"UPDATE t SET v = 1 WHERE k = 0 AND c1 = 1", "Some clustering keys are missing: c2"},
		{"INSERT INTO t (k, c1, v) VALUES (0, 1, 1)", "Some clustering keys are missing: c2"},
		{"UPDATE t SET v = 1 WHERE k > 0 AND c1 = 1 AND c2 = 1", "Only EQ and IN relation are supported on the partition key (unless you use the token() function) for UPDATE statements"},
		{"DELETE FROM t WHERE k > 0", "Only EQ and IN relation are supported on the partition key (unless you use the token() function) for DELETE statements"},
		{"UPDATE t SET v = 1 WHERE k = 0 AND c1 = 1 AND c2 = 1 AND v = 1", "Non PRIMARY KEY columns found in where clause: v "},
		{"DELETE FROM t WHERE k = 0 AND v = 1", "Non PRIMARY KEY columns found in where clause: v "},
		{"DELETE FROM t WHERE token(k) > 0", "The token function cannot be used in WHERE clauses for DELETE statements"},
		{"UPDATE t SET v = 1 WHERE token(k) = 0 AND c1 = 1 AND c2 = 1", "The token function cannot be used in WHERE clauses for UPDATE statements"},
		{"UPDATE t SET v = 1 WHERE k = 0 AND c1 = 0 AND c2 > 1", "Slice restrictions are not supported on the clustering columns in UPDATE statements"},
		{"DELETE v FROM t WHERE k = 0 AND c1 = 1", "Range deletions are not supported for specific columns"},
		{"DELETE v FROM t WHERE k = 0", "Range deletions are not supported for specific columns"},
		{"DELETE v FROM t WHERE k = 0 AND c1 > 1", "Range deletions are not supported for specific columns"},
		{"DELETE FROM t WHERE k = 0 AND c2 = 1", `PRIMARY KEY column "c2" cannot be restricted as preceding column "c1" is not restricted`},
		{"UPDATE t SET s = 1 WHERE k = 0 AND c1 = 1 AND c2 = 1", "Invalid restrictions on clustering columns since the UPDATE statement modifies only static columns"},
		{"DELETE s FROM t WHERE k = 0 AND c1 = 1 AND c2 = 1", "Invalid restrictions on clustering columns since the DELETE statement modifies only static columns"},
		{"UPDATE t SET k = 1 WHERE k = 0 AND c1 = 1 AND c2 = 1", "PRIMARY KEY part k found in SET part"},
		{"DELETE k FROM t WHERE k = 0", "Invalid identifier k for deletion (should not be a PRIMARY KEY part)"},
		{"INSERT INTO t (k, c1, c2, k) VALUES (0, 1, 1, 1)", "The column names contains duplicates"},
		{"INSERT INTO t (k, c1, c2) VALUES (0, 1)", "Unmatched column names/values"},
		{"INSERT INTO t (k, c1, c2, x) VALUES (0, 1, 1, 1)", "Undefined column name x"},
		{"UPDATE t SET v = v + 1 WHERE k = 0 AND c1 = 1 AND c2 = 1", "Invalid operation (v = v + 1) for non counter column v"},
		{"UPDATE t SET v = v - 1 WHERE k = 0 AND c1 = 1 AND c2 = 1", "Invalid operation (v = v - 1) for non counter column v"},
		{"UPDATE t SET fl = fl + [1] WHERE k = 0 AND c1 = 1 AND c2 = 1", "Invalid operation (fl = fl + [1]) for frozen collection column fl"},
		{"UPDATE t SET v[1] = 2 WHERE k = 0 AND c1 = 1 AND c2 = 1", "Invalid operation (v[1] = 2) for non collection column v"},
		{"UPDATE t SET st[1] = 2 WHERE k = 0 AND c1 = 1 AND c2 = 1", "Invalid operation (st[1] = 2) for set column st"},
		{"UPDATE t SET v = [1] + v WHERE k = 0 AND c1 = 1 AND c2 = 1", "Invalid operation (v = [1] - v) for non list column v"},
		{"UPDATE t SET v.f = 1 WHERE k = 0 AND c1 = 1 AND c2 = 1", "Invalid operation (v.f = 1) for non-UDT column v"},
		{"DELETE v[1] FROM t WHERE k = 0 AND c1 = 1 AND c2 = 1", "Invalid deletion operation for non collection column v"},
		{"DELETE fl[1] FROM t WHERE k = 0 AND c1 = 1 AND c2 = 1", "Invalid deletion operation for frozen collection column fl"},
		{"DELETE v.f FROM t WHERE k = 0 AND c1 = 1 AND c2 = 1", "Invalid field deletion operation for non-UDT column v"},
		{"INSERT INTO t (k, c1, c2, v) VALUES (0, 1, 1, 'a')", `Invalid STRING constant (a) for "v" of type int`},
		{"INSERT INTO t (k, c1, c2, v) VALUES (null, 1, 1, 1)", "Invalid null value in condition for column k"},
		{"INSERT INTO t (k, c1, c2, v) VALUES (0, 1, 1, 1) USING TTL -5", "A TTL must be greater or equal to 0, but was -5"},
		{"INSERT INTO t (k, c1, c2, v) VALUES (0, 1, 1, 1) USING TTL 700000000", "ttl is too large. requested (700000000) maximum (630720000)"},
		{"INSERT INTO t (k, c1, c2, v) VALUES (0, 1, 1, 1) USING TTL 500000000", "Request on table ks.t with ttl of 500000000 seconds exceeds maximum supported expiration date of 2038-01-19T03:14:06+00:00. In order to avoid this use a lower TTL, change the expiration date overflow policy or upgrade to a version where this limitation is fixed. See CASSANDRA-14092 for more details."},
		{"INSERT INTO t (k, c1, c2, l) VALUES (0, 1, 1, {1})", "Invalid set literal for l of type list<int>"},
		{"INSERT INTO t (k, c1, c2, l) VALUES (0, 1, 1, ['a'])", "Invalid list literal for l: value 'a' is not of type int"},
		{"INSERT INTO t (k, c1, c2, l) VALUES (0, 1, 1, [?])", "Invalid list literal for l: bind variables are not supported inside collection literals"},
		{"INSERT INTO t (k, c1, c2, v) VALUES (0, 1, 1, [1])", "Invalid list literal for v of type int"},
		{"INSERT INTO c (k, n) VALUES (0, 1)", "INSERT statements are not allowed on counter tables, use UPDATE instead"},
		{"UPDATE c SET n = 1 WHERE k = 0", "Cannot set the value of counter column n (counters can only be incremented/decremented, not set)"},
		{"UPDATE c SET n = null WHERE k = 0", "Invalid null value for counter increment/decrement"},
		{"UPDATE c USING TTL 5 SET n = n + 1 WHERE k = 0", "Cannot provide custom TTL for counter updates"},
		{"UPDATE c USING TIMESTAMP 5 SET n = n + 1 WHERE k = 0", "Cannot provide custom timestamp for counter updates"},
		{"INSERT INTO d (k, c) VALUES (0, 1)", "Column v is mandatory for this COMPACT STORAGE table"},
		{"INSERT INTO t (k, c1, c2, v) VALUES ('', 1, 1, 1)", `Invalid STRING constant () for "k" of type int`},
		{"BEGIN BATCH USING TTL 5 INSERT INTO t (k, c1, c2) VALUES (0, 1, 1) APPLY BATCH", "Global TTL on the BATCH statement is not supported."},
		{"BEGIN BATCH USING TIMESTAMP 5 INSERT INTO t (k, c1, c2) VALUES (0, 1, 1) USING TIMESTAMP 6 APPLY BATCH", "Timestamp must be set either on BATCH or individual statements"},
		{"BEGIN BATCH UPDATE c SET n = n + 1 WHERE k = 0 APPLY BATCH", "Cannot include a counter statement in a logged batch"},
		{"BEGIN COUNTER BATCH INSERT INTO t (k, c1, c2) VALUES (0, 1, 1) APPLY BATCH", "Cannot include non-counter statement in a counter batch"},
		{"BEGIN UNLOGGED BATCH UPDATE c SET n = n + 1 WHERE k = 0 INSERT INTO t (k, c1, c2) VALUES (0, 1, 1) APPLY BATCH", "Counter and non-counter mutations cannot exist in the same batch"},
		{"BEGIN COUNTER BATCH USING TIMESTAMP 5 UPDATE c SET n = n + 1 WHERE k = 0 APPLY BATCH", "Cannot provide custom timestamp for counter BATCH"},
		{"BEGIN UNLOGGED BATCH USING TIMESTAMP 5 UPDATE c SET n = n + 1 WHERE k = 0 APPLY BATCH", "Cannot provide custom timestamp for a BATCH containing counters"},
	} {
		f.fail(tt.msg, tt.q)
	}
	// empty partition keys are refused when executed
	f.ddl("CREATE TABLE tt (k text PRIMARY KEY, v int)")
	f.fail("Key may not be empty", "INSERT INTO tt (k, v) VALUES ('', 1)")
	f.fail("Key may not be empty", "SELECT * FROM tt WHERE k = ''")
}
