package cqlquery

import "testing"

// The restriction rules of SelectStatement / ModificationStatement
// preparation (StatementRestrictions and the Restriction classes), with
// 3.11's messages.
func TestRestrictionMessages(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int, c1 int, c2 int, v int, w int, s int static, l list<int>, m map<int, text>, fs frozen<set<int>>, d duration, PRIMARY KEY (k, c1, c2))")
	f.ddl("CREATE TABLE t2 (a int, b int, c int, d int, v int, PRIMARY KEY ((a, b), c, d))")
	f.ddl("CREATE TABLE t3 (k int, c int, v int, PRIMARY KEY (k, c))")
	f.ddl("CREATE TABLE ti (k int, c int, v int, w int, PRIMARY KEY (k, c))")
	f.ddl("CREATE INDEX ON ti (v)")
	const af = requiresAllowFiltering
	for _, tt := range []struct{ q, msg string }{
		// names
		{"SELECT x FROM t", "Undefined column name x"},
		{`SELECT "X" FROM t`, `Undefined column name "X"`},
		{"SELECT * FROM t WHERE x = 1", "Undefined column name x"},
		{"SELECT * FROM nope.t", "Keyspace nope does not exist"},
		{"SELECT * FROM ks.nope", "unconfigured table nope"},
		// partition key
		{"SELECT * FROM t2 WHERE a = 1", af},
		{"SELECT * FROM t2 WHERE a = 1 AND b > 1", af},
		{"SELECT * FROM t2 WHERE a IN (1, 2) ALLOW FILTERING", "IN restrictions are not supported when the query involves filtering"},
		{"SELECT * FROM t WHERE k > 1", af},
		{"SELECT * FROM t WHERE k = 0 AND k = 1", "k cannot be restricted by more than one relation if it includes an Equal"},
		{"SELECT * FROM t WHERE k IN (1, 2) AND k = 1", "k cannot be restricted by more than one relation if it includes a IN"},
		{"SELECT * FROM t WHERE k > 0 AND k = 1 ALLOW FILTERING", `Column "k" cannot be restricted by both an equality and an inequality relation`},
		{"SELECT * FROM t WHERE k > 0 AND k >= 1 ALLOW FILTERING", "More than one restriction was found for the start bound on k"},
		{"SELECT * FROM t WHERE k < 0 AND k <= 1 ALLOW FILTERING", "More than one restriction was found for the end bound on k"},
		{"SELECT * FROM t WHERE k = null", "Invalid null value in condition for column k"},
		{"SELECT * FROM t WHERE k != 1", `Unsupported "!=" relation: k != 1`},
		{"SELECT * FROM t WHERE v IS NOT NULL", "Unsupported restriction: v IS NOT NULL"},
		// token
		{"SELECT * FROM t2 WHERE token(a) > 1", "The token() function must be applied to all partition key components or none of them"},
		{"SELECT * FROM t2 WHERE token(b, a) > 1", "The token function arguments must be in the partition key order: a, b"},
		{"SELECT * FROM t2 WHERE token(a, b, a) > 1", "The token() function contains duplicate partition key components"},
		{"SELECT * FROM t2 WHERE token(a, b, c) > 1", "The token() function must contains only partition key components"},
		{"SELECT * FROM t WHERE token(k) = 1 AND token(k) > 2", "k cannot be restricted by more than one relation if it includes an Equal"},
		{"SELECT * FROM t WHERE token(k) > 1 AND token(k) = 2", `Columns "k" cannot be restricted by both an equality and an inequality relation`},
		{"SELECT * FROM t WHERE token(k) > 1 AND token(k) > 2", "More than one restriction was found for the start bound on k"},
		{"SELECT * FROM t WHERE token(k) > 'a'", `Invalid STRING constant (a) for "partition key token" of type bigint`},
		{"SELECT * FROM t WHERE token(k) > 0 AND c1 = 1", af},
		// clustering
		{"SELECT * FROM t WHERE k = 0 AND c2 = 1", `PRIMARY KEY column "c2" cannot be restricted as preceding column "c1" is not restricted`},
		{"SELECT * FROM t WHERE k = 0 AND c1 > 0 AND c2 = 1", `Clustering column "c2" cannot be restricted (preceding column "c1" is restricted by a non-EQ relation)`},
		{"SELECT * FROM t WHERE k = 0 AND c2 = 1 AND c1 > 0", `PRIMARY KEY column "c2" cannot be restricted (preceding column "c1" is restricted by a non-EQ relation)`},
		{"SELECT * FROM t WHERE k = 0 AND c1 = 1 AND c1 = 2", "c1 cannot be restricted by more than one relation if it includes an Equal"},
		{"SELECT * FROM t WHERE k = 0 AND c1 IN (1, 2)", "Cannot restrict clustering columns by IN relations when a collection is selected by the query"},
		{"SELECT s FROM t WHERE k = 0 AND c1 = 1", "Cannot restrict clustering columns when selecting only static columns"},
		{"SELECT * FROM t WHERE c1 = 1", af},
		{"SELECT * FROM t WHERE k = 0 AND c1 != 1", `Unsupported "!=" relation: c1 != 1`},
		// multi-column
		{"SELECT * FROM t WHERE k = 0 AND (k, c1) = (1, 2)", "Multi-column relations can only be applied to clustering columns but was applied to: k"},
		{"SELECT * FROM t WHERE k = 0 AND (c1, c1) = (1, 2)", `Column "c1" appeared twice in a relation: (c1, c1) = (1, 2)`},
		{"SELECT * FROM t WHERE k = 0 AND (c2, c1) = (1, 2)", "Clustering columns must appear in the PRIMARY KEY order in multi-column relations: (c2, c1) = (1, 2)"},
		{"SELECT * FROM t WHERE k = 0 AND (c1, c2) = (1, 2, 3)", "Expected 2 elements in value tuple, but got 3: (1, 2, 3)"},
		{"SELECT * FROM t WHERE k = 0 AND (c1, c2) > (1, 2) AND c2 < 1", `Column "c2" cannot be restricted by two inequalities not starting with the same column`},
		{"SELECT * FROM t WHERE k = 0 AND (c1, c2) = (1, 2) AND c1 = 1", "c1 cannot be restricted by more than one relation if it includes an Equal"},
		{"SELECT * FROM t WHERE k = 0 AND (c1, c2) > (1, 2) AND (c1, c2) > (3, 4)", "More than one restriction was found for the start bound on c1 ,c2"},
		{"SELECT * FROM t WHERE k = 0 AND c1 = 1 AND (c1, c2) = (1, 2)", "c1 cannot be restricted by more than one relation if it includes an Equal"},
		// non-key restrictions
		{"SELECT * FROM t WHERE k = 0 AND v = 1", af},
		{"SELECT * FROM t WHERE v = 1", af},
		{"SELECT * FROM t WHERE k = 0 AND v IN (1, 2) ALLOW FILTERING", "IN predicates on non-primary-key columns (v) is not yet supported"},
		{"SELECT * FROM t WHERE k = 0 AND v = 1 AND v = 2 ALLOW FILTERING", "v cannot be restricted by more than one relation if it includes an Equal"},
		{"SELECT * FROM t WHERE k = 0 AND v CONTAINS 1 ALLOW FILTERING", "Cannot use CONTAINS on non-collection column v"},
		{"SELECT * FROM t WHERE k = 0 AND l CONTAINS KEY 1 ALLOW FILTERING", "Cannot use CONTAINS KEY on non-map column l"},
		{"SELECT * FROM t WHERE k = 0 AND l = [1] ALLOW FILTERING", "Collection column 'l' (list<int>) cannot be restricted by a '=' relation"},
		{"SELECT * FROM t WHERE k = 0 AND l[1] = 2 ALLOW FILTERING", "Indexes on list entries (l[index] = value) are not currently supported."},
		{"SELECT * FROM t WHERE k = 0 AND v[1] = 2 ALLOW FILTERING", "Column v cannot be used as a map"},
		{"SELECT * FROM t WHERE k = 0 AND m[1] > 'a' ALLOW FILTERING", "Only EQ relations are supported on map entries"},
		{"SELECT * FROM t WHERE k = 0 AND l CONTAINS 1 AND l = [1] ALLOW FILTERING", "Collection column 'l' (list<int>) cannot be restricted by a '=' relation"},
		{"SELECT * FROM t WHERE k = 0 AND d > 1h ALLOW FILTERING", "Slice restrictions are not supported on duration columns"},
		{"SELECT * FROM t WHERE k = 0 AND v LIKE 'a'", "LIKE restriction is only supported on properly indexed columns. v LIKE 'a' is not valid."},
		{"SELECT * FROM t WHERE k = 0 AND v = 'a' ALLOW FILTERING", `Invalid STRING constant (a) for "v" of type int`},
		// indexes
		{"SELECT * FROM ti WHERE v = 1 AND w = 2", af},
		{"SELECT * FROM ti WHERE v = 1 AND c = 1", af},
		{"SELECT * FROM ti WHERE k IN (1, 2) AND v = 1", "Select on indexed columns and with IN clause for the PRIMARY KEY are not supported"},
		{"SELECT * FROM ti WHERE v = 1 ORDER BY c", "ORDER BY with 2ndary indexes is not supported."},
		{"SELECT * FROM ti WHERE v > 1", af},
		// ORDER BY
		{"SELECT * FROM t3 ORDER BY c", "ORDER BY is only supported when the partition key is restricted by an EQ or an IN."},
		{"SELECT * FROM t3 WHERE k = 0 ORDER BY v", "Order by is currently only supported on the clustered columns of the PRIMARY KEY, got v"},
		{"SELECT * FROM t WHERE k = 0 ORDER BY c2", "Order by currently only support the ordering of columns following their declared order in the PRIMARY KEY"},
		{"SELECT * FROM t WHERE k = 0 ORDER BY c1 ASC, c2 DESC", "Unsupported order by relation"},
		{"SELECT * FROM t3 WHERE k = 0 ORDER BY x", "Undefined column name x"},
		// DISTINCT, LIMIT, selection
		{"SELECT DISTINCT v FROM t", "SELECT DISTINCT queries must only request partition key columns and/or static columns (not v)"},
		{"SELECT DISTINCT s FROM t", "SELECT DISTINCT queries must request all the partition key columns (missing k)"},
		{"SELECT DISTINCT k FROM t WHERE k = 0 AND c1 = 1", "SELECT DISTINCT with WHERE clause only supports restriction by partition key and/or static columns."},
		{"SELECT DISTINCT k FROM t PER PARTITION LIMIT 1", "PER PARTITION LIMIT is not allowed with SELECT DISTINCT queries"},
		{"SELECT count(*) FROM t PER PARTITION LIMIT 1", "PER PARTITION LIMIT is not allowed with aggregate queries."},
		{"SELECT * FROM t LIMIT 0", "LIMIT must be strictly positive"},
		{"SELECT * FROM t LIMIT -1", "LIMIT must be strictly positive"},
		{"SELECT * FROM t PER PARTITION LIMIT 0", "LIMIT must be strictly positive"},
		{"SELECT writetime(k) FROM t", "Cannot use selection function writeTime on PRIMARY KEY part k"},
		{"SELECT ttl(c1) FROM t", "Cannot use selection function ttl on PRIMARY KEY part c1"},
		{"SELECT ttl(l) FROM t", "Cannot use selection function ttl on collections"},
		{"SELECT writetime(fs) FROM t", "Cannot use selection function writeTime on collections"},
		{"SELECT foo(v) FROM t", "Unknown function 'foo'"},
		{"SELECT token(c1, c2) FROM t", "Invalid number of arguments in call to function system.token: 1 required but 2 provided"},
		{"SELECT token(fs) FROM t", "Type error: fs cannot be passed as argument 0 of function system.token of type int"},
		{"SELECT 1 FROM t", "Cannot infer type for term 1 in selection clause (try using a cast to force a type)"},
		{"SELECT count(count(*)) FROM t", "aggregate functions cannot be used as arguments of aggregate functions"},
		{"SELECT * FROM t WHERE k = foo(1)", "Unknown function foo called"},
	} {
		f.fail(tt.msg, tt.q)
	}
}
