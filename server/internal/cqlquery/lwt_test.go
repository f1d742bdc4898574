package cqlquery

import (
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/layout"
)

// Lightweight transactions, as Cassandra 3.11's
// cql3/validation/operations/InsertUpdateIfConditionTest checks them: each
// step is a statement and its answer ("err: message" for an
// InvalidRequest), rendered as rows "a b c | a b c".

type lwtStep struct {
	cql  string
	args []any
	want string
}

func (f *fixture) steps(steps []lwtStep) {
	f.t.Helper()
	for _, s := range steps {
		r, err := f.run(Options{}, s.cql, s.args...)
		if msg, ok := strings.CutPrefix(s.want, "err: "); ok {
			checkErr(f.t, s.cql, err, CodeInvalid, msg)
			continue
		}
		if err != nil {
			f.t.Errorf("%s: %v", s.cql, err)
			continue
		}
		if got := rows(r); got != s.want {
			f.t.Errorf("%s %v\n got %q\nwant %q", s.cql, s.args, got, s.want)
		}
	}
}

func intList(vs ...int) []byte {
	elems := make([][]byte, len(vs))
	for i, v := range vs {
		elems[i] = codec.AppendInt32(nil, int32(v))
	}
	return layout.AppendCollection(nil, elems)
}

// testSimpleCas, testConditionalUpdate, testNonEqConditionalUpdate.
func TestLWTConditionalUpdate(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE tk (tkn int, consumed boolean, PRIMARY KEY (tkn))")
	for i := 0; i < 3; i++ {
		f.exec("INSERT INTO tk (tkn, consumed) VALUES (?, FALSE)", i)
		f.steps([]lwtStep{
			{"UPDATE tk SET consumed = TRUE WHERE tkn = ? IF consumed = ?", []any{i, false}, "true"},
			{"UPDATE tk SET consumed = TRUE WHERE tkn = ? IF consumed = ?", []any{i, false}, "false true"},
		})
	}
	f.ddl("CREATE TABLE t (k int PRIMARY KEY, v1 int, v2 text, v3 int)")
	f.steps([]lwtStep{
		{"UPDATE t SET v1 = 3, v2 = 'bar' WHERE k = 0 IF v1 = ?", []any{unset}, "err: Invalid 'unset' value in condition"},
		{"UPDATE t SET v1 = 3, v2 = 'bar' WHERE k = 0 IF v1 = ?", []any{4}, "false"},
		{"UPDATE t SET v1 = 3, v2 = 'bar' WHERE k = 0 IF EXISTS", nil, "false"},
		{"INSERT INTO t (k, v1, v2) VALUES (0, 2, 'foo') IF NOT EXISTS", nil, "true"},
		{"INSERT INTO t (k, v1, v2) VALUES (0, 5, 'bar') IF NOT EXISTS", nil, "false 0 2 foo null"},
		{"SELECT * FROM t", nil, "0 2 foo null"},
		{"UPDATE t SET v1 = 3, v2 = 'bar' WHERE k = 0 IF v1 = ?", []any{4}, "false 2"},
		{"UPDATE t SET v2 = 'bar', v1 = 3 WHERE k = 0 IF v1 = ?", []any{2}, "true"},
		{"UPDATE t SET v2 = 'bar', v1 = 3 WHERE k = 0 IF EXISTS", nil, "true"},
		{"SELECT * FROM t", nil, "0 3 bar null"},
		{"UPDATE t SET v1 = 5, v2 = 'foobar' WHERE k = 0 IF v1 = ? AND v2 = ?", []any{3, "foo"}, "false 3 bar"},
		{"UPDATE t SET v1 = 5, v2 = 'foobar' WHERE k = 0 IF v1 = ? AND v2 = ?", []any{3, "bar"}, "true"},
		{"SELECT * FROM t", nil, "0 5 foobar null"},
		{"DELETE v2 FROM t WHERE k = 0 IF v1 = ?", []any{3}, "false 5"},
		{"DELETE v2 FROM t WHERE k = 0 IF v1 = ?", []any{nil}, "false 5"},
		{"DELETE v2 FROM t WHERE k = 0 IF v1 = ?", []any{5}, "true"},
		{"SELECT * FROM t", nil, "0 5 null null"},
		{"DELETE v1 FROM t WHERE k = 0 IF v3 = ?", []any{4}, "false null"},
		{"DELETE v1 FROM t WHERE k = 0 IF v3 = ?", []any{nil}, "true"},
		{"SELECT * FROM t", nil, "0 null null null"},
		{"DELETE FROM t WHERE k = 0 IF v1 = ?", []any{nil}, "true"},
		{"SELECT * FROM t", nil, ""},
		{"UPDATE t SET v1 = 3, v2 = 'bar' WHERE k = 0 IF EXISTS", nil, "false"},
		{"DELETE FROM t WHERE k = 0 IF v1 IN (?)", []any{nil}, "true"},
		// non-EQ conditions
		{"INSERT INTO t (k, v1, v2) VALUES (0, 2, 'foo')", nil, ""},
		{"UPDATE t SET v2 = 'bar' WHERE k = 0 IF v1 < ?", []any{3}, "true"},
		{"UPDATE t SET v2 = 'bar' WHERE k = 0 IF v1 <= ?", []any{3}, "true"},
		{"UPDATE t SET v2 = 'bar' WHERE k = 0 IF v1 > ?", []any{1}, "true"},
		{"UPDATE t SET v2 = 'bar' WHERE k = 0 IF v1 >= ?", []any{1}, "true"},
		{"UPDATE t SET v2 = 'bar' WHERE k = 0 IF v1 != ?", []any{1}, "true"},
		{"UPDATE t SET v2 = 'bar' WHERE k = 0 IF v1 != ?", []any{2}, "false 2"},
		{"UPDATE t SET v2 = 'bar' WHERE k = 0 IF v1 IN (?, ?, ?)", []any{0, 1, 2}, "true"},
		{"UPDATE t SET v2 = 'bar' WHERE k = 0 IF v1 IN ?", []any{intList(142, 276)}, "false 2"},
		{"UPDATE t SET v2 = 'bar' WHERE k = 0 IF v1 IN ()", nil, "false 2"},
		{"UPDATE t SET v2 = 'bar' WHERE k = 0 IF v1 IN (?, ?)", []any{unset, 1}, "false 2"},
		{"UPDATE t SET v1 = 3, v2 = 'bar' WHERE k = 0 IF v1 < ?", []any{unset}, "err: Invalid 'unset' value in condition"},
		{"UPDATE t SET v1 = 3 WHERE k = 0 IF v1 IN ?", []any{nil}, "err: Invalid null list in IN condition"},
		{"UPDATE t SET v1 = 3 WHERE k = 0 IF v1 < null", nil, "err: Invalid comparison with null for operator \"<\""},
	})
	f.ddl("CREATE TABLE tc (k int, c int, v1 text, PRIMARY KEY(k, c))")
	f.steps([]lwtStep{
		{"UPDATE tc SET v1 = 'A' WHERE k = 0 AND c IN () IF EXISTS", nil, "err: IN on the clustering key columns is not supported with conditional updates"},
		{"UPDATE tc SET v1 = 'A' WHERE k = 0 AND c IN (1, 2) IF EXISTS", nil, "err: IN on the clustering key columns is not supported with conditional updates"},
		{"UPDATE tc SET v1 = 'A' WHERE k IN (0, 1) AND c = 1 IF EXISTS", nil, "err: IN on the partition key is not supported with conditional updates"},
		// IN with one value is an equality (SingleColumnRelation.newINRestriction).
		{"UPDATE tc SET v1 = 'A' WHERE k IN (0) AND c = 1 IF EXISTS", nil, "false"},
		{"DELETE FROM tc WHERE k IN (0, 1) AND c = 1 IF EXISTS", nil, "err: IN on the partition key is not supported with conditional deletions"},
	})
}

// testConditionalDelete and the CASSANDRA-6430 refusals.
func TestLWTConditionalDelete(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int PRIMARY KEY, v1 int)")
	f.steps([]lwtStep{
		{"DELETE FROM t WHERE k=1 IF EXISTS", nil, "false"},
		{"INSERT INTO t (k, v1) VALUES (1, 2)", nil, ""},
		{"DELETE FROM t WHERE k=1 IF EXISTS", nil, "true"},
		{"SELECT * FROM t WHERE k=1", nil, ""},
		{"DELETE FROM t WHERE k=1 IF EXISTS", nil, "false"},
		{"UPDATE t USING TTL 1 SET v1=2 WHERE k=1", nil, ""},
	})
	f.clock.Advance(2 * time.Second)
	f.steps([]lwtStep{
		{"DELETE FROM t WHERE k=1 IF EXISTS", nil, "false"},
		{"INSERT INTO t (k, v1) VALUES (3, 2)", nil, ""},
		{"DELETE v1 FROM t WHERE k=3 IF EXISTS", nil, "true"},
		{"SELECT * FROM t WHERE k=3", nil, "3 null"},
		{"DELETE v1 FROM t WHERE k=3 IF EXISTS", nil, "true"},
		{"DELETE FROM t WHERE k=3 IF EXISTS", nil, "true"},
	})
	f.ddl("CREATE TABLE ts (k text, s text static, i int, v text, PRIMARY KEY (k, i))")
	f.steps([]lwtStep{
		{"INSERT INTO ts (k, s, i, v) VALUES ('k', 's', 0, 'v')", nil, ""},
		{"DELETE v FROM ts WHERE k='k' AND i=0 IF EXISTS", nil, "true"},
		{"DELETE FROM ts WHERE k='k' AND i=0 IF EXISTS", nil, "true"},
		{"SELECT * FROM ts", nil, "k null s null"},
		{"DELETE v FROM ts WHERE k='k' AND i=0 IF s = 'z'", nil, "false s"},
		{"DELETE v FROM ts WHERE k='k' AND i=0 IF v = 'z'", nil, "false"},
		{"DELETE v FROM ts WHERE k='k' AND i=0 IF v = 'z' AND s = 'z'", nil, "false null s"},
		{"DELETE v FROM ts WHERE k='k' AND i=0 IF EXISTS", nil, "false"},
		{"DELETE FROM ts WHERE k='k' AND i=0 IF EXISTS", nil, "false"},
		{"DELETE FROM ts WHERE k = 'k' IF EXISTS", nil, "err: DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to delete non static columns"},
		{"DELETE FROM ts WHERE k = 'k' IF v = ?", []any{"foo"}, "err: DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to delete non static columns"},
		{"DELETE FROM ts WHERE i = 0 IF EXISTS", nil, "err: Some partition key parts are missing: k"},
		{"DELETE FROM ts WHERE k = 0 AND i > 0 IF EXISTS", nil, "err: Invalid INTEGER constant (0) for \"k\" of type text"},
		{"DELETE FROM ts WHERE k = 'k' AND i > 0 IF EXISTS", nil, "err: DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to delete non static columns"},
		{"DELETE FROM ts WHERE k = 'k' AND i > 0 IF v = 'foo'", nil, "err: DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to delete non static columns"},
		{"DELETE FROM ts WHERE k = 'k' AND i IN (0, 1) IF v = 'foo'", nil, "err: IN on the clustering key columns is not supported with conditional deletions"},
		{"DELETE FROM ts WHERE k = 'k' AND i IN () IF EXISTS", nil, "err: IN on the clustering key columns is not supported with conditional deletions"},
		{"DELETE FROM ts WHERE k = 'k' AND i = 0 IF v = ?", []any{unset}, "err: Invalid 'unset' value in condition"},
	})
	f.ddl("CREATE TABLE t2 (k int, i int, v1 int, v2 int, s int static, PRIMARY KEY (k, i))")
	f.steps([]lwtStep{
		{"INSERT INTO t2 (k, i, v1, v2, s) VALUES (1, 1, 1, 1, 1)", nil, ""},
		{"DELETE v1 FROM t2 WHERE k = 1 AND i = 1 IF EXISTS", nil, "true"},
		{"DELETE v2 FROM t2 WHERE k = 1 AND i = 1 IF EXISTS", nil, "true"},
		{"DELETE FROM t2 WHERE k = 1 AND i = 1 IF EXISTS", nil, "true"},
		{"SELECT * FROM t2", nil, "1 null 1 null null"},
		{"DELETE v1 FROM t2 WHERE k = 1 AND i = 1 IF EXISTS", nil, "false"},
		{"DELETE v1 FROM t2 WHERE k = 1 AND i = 1 IF s = 5", nil, "false 1"},
		{"DELETE v1 FROM t2 WHERE k = 1 AND i = 1 IF v1 = 1 AND v2 = 1", nil, "false"},
		{"DELETE v1 FROM t2 WHERE k = 1 AND i = 1 IF v1 = 1 AND v2 = 1 AND s = 1", nil, "false null null 1"},
		{"DELETE v1 FROM t2 WHERE k = 1 AND i = 5 IF s = 1", nil, "true"},
	})
}

// testStaticColumnsCas, testStaticColumnsCasDelete (CASSANDRA-10532),
// testStaticColumnsCasUpdate.
func TestLWTStaticColumns(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (id int, k text, version int static, v text, PRIMARY KEY (id, k))")
	f.steps([]lwtStep{
		{"INSERT INTO t (id, k, v) VALUES (1, 'foo', 'foo')", nil, ""},
		{"INSERT INTO t (id, k, version) VALUES (1, 'foo', 1) IF NOT EXISTS", nil, "false 1 foo null foo"},
		{"INSERT INTO t (id, version) VALUES (1, 1) IF NOT EXISTS", nil, "true"},
		{"SELECT * FROM t", nil, "1 foo 1 foo"},
		{"DELETE FROM t WHERE id = 1", nil, ""},
		{"INSERT INTO t (id, version) VALUES (0, 0)", nil, ""},
		{"UPDATE t SET v='foo', version=1 WHERE id=0 AND k='k1' IF version = ?", []any{0}, "true"},
		{"SELECT * FROM t", nil, "0 k1 1 foo"},
		{"UPDATE t SET v='bar', version=1 WHERE id=0 AND k='k2' IF version = ?", []any{0}, "false 1"},
		{"UPDATE t SET v='bar', version=2 WHERE id=0 AND k='k2' IF version = ?", []any{1}, "true"},
		{"SELECT * FROM t", nil, "0 k1 2 foo | 0 k2 2 bar"},
		{"UPDATE t SET version=3 WHERE id=0 IF version=1", nil, "false 2"},
		// A batch shows the primary key too, to tell the rows apart.
		{"BEGIN BATCH UPDATE t SET v='foobar' WHERE id=0 AND k='k1'; UPDATE t SET v='barfoo' WHERE id=0 AND k='k2'; UPDATE t SET version=3 WHERE id=0 IF version=1; APPLY BATCH", nil,
			"false 0 k1 2"},
		{"BEGIN BATCH UPDATE t SET v = 'foobar' WHERE id = 0 AND k = 'k1'; UPDATE t SET v = 'barfoo' WHERE id = 0 AND k = 'k2'; UPDATE t SET version = 3 WHERE id = 0 IF version = 2; APPLY BATCH", nil,
			"true"},
		{"SELECT * FROM t", nil, "0 k1 3 foobar | 0 k2 3 barfoo"},
		{"BEGIN BATCH UPDATE t SET version = 4 WHERE id = 0 IF version = 3; UPDATE t SET v='row1' WHERE id=0 AND k='k1' IF v='foo'; UPDATE t SET v='row2' WHERE id=0 AND k='k2' IF v='bar'; APPLY BATCH", nil,
			"false 0 k1 3 foobar | false 0 k2 3 barfoo"},
		{"BEGIN BATCH UPDATE t SET version = 4 WHERE id = 0 IF version = 3; UPDATE t SET v='row1' WHERE id = 0 AND k='k1' IF v='foobar'; UPDATE t SET v='row2' WHERE id = 0 AND k='k2' IF v='barfoo'; APPLY BATCH", nil,
			"true"},
		{"SELECT * FROM t", nil, "0 k1 4 row1 | 0 k2 4 row2"},
		{"BEGIN BATCH UPDATE t SET version=5 WHERE id=0 IF version=4; UPDATE t SET v='row1' WHERE id=0 AND k='k1'; UPDATE t SET v='row2' WHERE id=1 AND k='k2'; APPLY BATCH", nil,
			"err: Batch with conditions cannot span multiple partitions"},
		{"BEGIN BATCH INSERT INTO t (id, k, v) VALUES (1, 'k1', 'val1') IF NOT EXISTS; INSERT INTO t (id, k, v) VALUES (1, 'k2', 'val2') IF NOT EXISTS; APPLY BATCH", nil, "true"},
		{"SELECT * FROM t WHERE id=1", nil, "1 k1 null val1 | 1 k2 null val2"},
		{"INSERT INTO t (id, k, v) VALUES (1, 'k2', 'val2') IF NOT EXISTS", nil, "false 1 k2 null val2"},
		{"BEGIN BATCH INSERT INTO t (id, k, v) VALUES (1, 'k2', 'val2') IF NOT EXISTS; INSERT INTO t (id, k, v) VALUES (1, 'k3', 'val3') IF NOT EXISTS; APPLY BATCH", nil,
			"false 1 k2 null val2"},
		{"BEGIN BATCH UPDATE t SET v = 'newVal' WHERE id = 1 AND k = 'k2' IF v = 'val0'; INSERT INTO t (id, k, v) VALUES (1, 'k3', 'val3') IF NOT EXISTS; APPLY BATCH", nil,
			"false 1 k2 null val2"},
		{"BEGIN BATCH UPDATE t SET v = 'newVal' WHERE id = 1 AND k = 'k2' IF v = 'val2'; INSERT INTO t (id, k, v, version) VALUES(1, 'k3', 'val3', 1) IF NOT EXISTS; APPLY BATCH", nil, "true"},
		{"SELECT * FROM t WHERE id=1", nil, "1 k1 1 val1 | 1 k2 1 newVal | 1 k3 1 val3"},
		{"BEGIN BATCH UPDATE t SET v = 'newVal1' WHERE id = 1 AND k = 'k2' IF v = 'val2'; UPDATE t SET v = 'newVal2' WHERE id = 1 AND k = 'k2' IF v = 'val3'; APPLY BATCH", nil,
			"false 1 k2 newVal"},
	})

	f.ddl("CREATE TABLE d (pk int, ck int, static_col int static, value int, PRIMARY KEY (pk, ck))")
	for _, s := range []string{"(1, 1, 2)", "(1, 3, 4)", "(1, 5, 6)", "(1, 7, 8)", "(2, 1, 2)"} {
		f.exec("INSERT INTO d (pk, ck, value) VALUES " + s)
	}
	f.exec("INSERT INTO d (pk, static_col) VALUES (1, 1)")
	f.steps([]lwtStep{
		{"DELETE static_col FROM d WHERE pk = ? IF static_col = ?", []any{1, 2}, "false 1"},
		{"DELETE static_col FROM d WHERE pk = ? IF static_col = ?", []any{1, 1}, "true"},
		{"SELECT pk, ck, static_col, value FROM d WHERE pk = 1", nil, "1 1 null 2 | 1 3 null 4 | 1 5 null 6 | 1 7 null 8"},
		{"INSERT INTO d (pk, static_col) VALUES (1, 1)", nil, ""},
		{"DELETE static_col FROM d WHERE ck = ? IF static_col = ?", []any{1, 1}, "err: Some partition key parts are missing: pk"},
		{"DELETE static_col FROM d WHERE pk = ? AND ck = ? IF static_col = ?", []any{1, 1, 1}, "err: Invalid restrictions on clustering columns since the DELETE statement modifies only static columns"},
		{"DELETE static_col, value FROM d WHERE pk = ? IF static_col = ?", []any{1, 1}, "err: DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to delete non static columns"},
		{"DELETE static_col FROM d WHERE pk = ? IF value = ? AND static_col = ?", []any{1, 2, 1}, "err: DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to use IF condition on non static columns"},
		{"DELETE value FROM d WHERE pk = ? AND ck = ? IF value = ? AND static_col = ?", []any{1, 1, 2, 2}, "false 2 1"},
		{"DELETE value FROM d WHERE pk = ? AND ck = ? IF value = ? AND static_col = ?", []any{1, 1, 2, 1}, "true"},
		{"SELECT pk, ck, static_col, value FROM d WHERE pk = 1", nil, "1 1 1 null | 1 3 1 4 | 1 5 1 6 | 1 7 1 8"},
		{"DELETE static_col FROM d WHERE pk = ? AND ck = ? IF value = ?", []any{1, 5, 10}, "false 6"},
		{"DELETE static_col FROM d WHERE pk = ? AND ck = ? IF value = ?", []any{1, 5, 6}, "true"},
		{"SELECT pk, ck, static_col, value FROM d WHERE pk = 1", nil, "1 1 null null | 1 3 null 4 | 1 5 null 6 | 1 7 null 8"},
		{"INSERT INTO d (pk, static_col) VALUES (1, 1)", nil, ""},
		{"UPDATE d SET static_col = ? WHERE pk = ? IF static_col = ?", []any{3, 1, 2}, "false 1"},
		{"UPDATE d SET static_col = ? WHERE pk = ? IF static_col = ?", []any{2, 1, 1}, "true"},
		{"UPDATE d SET static_col = ? WHERE pk = ? AND ck = ? IF static_col = ?", []any{3, 1, 1, 1}, "err: Invalid restrictions on clustering columns since the UPDATE statement modifies only static columns"},
		{"UPDATE d SET static_col = ?, value = ? WHERE pk = ? IF static_col = ?", []any{3, 1, 1, 2}, "err: Some clustering keys are missing: ck"},
		{"UPDATE d SET static_col = ? WHERE pk = ? IF value = ? AND static_col = ?", []any{3, 1, 4, 2}, "err: Some clustering keys are missing: ck"},
		{"UPDATE d SET value = ? WHERE pk = ? AND ck = ? IF value = ? AND static_col = ?", []any{3, 1, 1, 3, 2}, "false null 2"},
		{"UPDATE d SET value = ? WHERE pk = ? AND ck = ? IF value = ? AND static_col = ?", []any{1, 1, 3, 4, 2}, "true"},
		{"UPDATE d SET static_col = ? WHERE pk = ? AND ck = ? IF value = ?", []any{3, 1, 3, 2}, "false 1"},
	})
}

// testConditionalUpdatesOnStaticColumns, ...WithNonExistingValues,
// ...WithNullValues, and their batch forms.
func TestLWTStaticNulls(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (a int, b int, s int static, d text, PRIMARY KEY (a, b))")
	f.steps([]lwtStep{
		{"UPDATE t SET s = 6 WHERE a = 6 IF s = ?", []any{unset}, "err: Invalid 'unset' value in condition"},
		{"INSERT INTO t (a, b, s, d) values (6, 6, 100, 'a')", nil, ""},
		{"UPDATE t SET s = 6 WHERE a = 6 IF s = 100", nil, "true"},
		{"SELECT * FROM t WHERE a = 6", nil, "6 6 6 a"},
		{"INSERT INTO t (a, b, s, d) values (7, 7, 100, 'a')", nil, ""},
		{"UPDATE t SET s = 7 WHERE a = 7 IF s = 101", nil, "false 100"},
		{"UPDATE t SET s = 7 WHERE a = 7 IF s = NULL", nil, "false 100"},
		{"DELETE FROM t WHERE a = 8", nil, ""},
		{"UPDATE t SET s = 8 WHERE a = 8 IF s = NULL", nil, "true"},
		{"SELECT * FROM t WHERE a = 8", nil, "8 null 8 null"},
		{"UPDATE t SET s = 1 WHERE a = 1 IF s = NULL", nil, "true"},
		{"UPDATE t SET s = 2 WHERE a = 2 IF s IN (10,20,NULL)", nil, "true"},
		{"UPDATE t SET s = 4 WHERE a = 4 IF s != 4", nil, "true"},
		{"UPDATE t SET s = 3 WHERE a = 3 IF s IN ?", []any{intList(10, 20, 30)}, "false"},
		{"UPDATE t SET s = 50 WHERE a = 5 IF s > ?", []any{3}, "false"},
		{"SELECT * FROM t WHERE a = 5", nil, ""},
	})
	f.ddl("CREATE TABLE n (a int, b int, s int static, d int, PRIMARY KEY (a, b))")
	for i := 1; i <= 5; i++ {
		f.exec("INSERT INTO n (a, b) VALUES (?, 1)", i)
		f.exec("INSERT INTO n (a, b) VALUES (?, 2)", i)
	}
	f.steps([]lwtStep{
		{"UPDATE n SET s = 100 WHERE a = 1 IF s = NULL", nil, "true"},
		{"SELECT a, b, s, d FROM n WHERE a = 1", nil, "1 1 100 null | 1 2 100 null"},
		{"UPDATE n SET s = 30 WHERE a = 3 IF s IN ?", []any{intList(10, 20, 30)}, "false null"},
		{"UPDATE n SET s = 50 WHERE a = 5 IF s >= 3", nil, "false null"},
		{"UPDATE n SET s = 500 WHERE a = 5 IF s != 5", nil, "true"},
		{"SELECT a, b, s, d FROM n WHERE a = 5", nil, "5 1 500 null | 5 2 500 null"},
	})
	f.ddl("CREATE TABLE bt (a int, b int, s int static, d text, PRIMARY KEY (a, b))")
	for i := 1; i <= 6; i++ {
		f.exec("INSERT INTO bt (a, b) VALUES (?, ?)", i, i)
	}
	f.steps([]lwtStep{
		{"BEGIN BATCH INSERT INTO bt (a, b, d) values (2, 2, 'a'); UPDATE bt SET s = 2 WHERE a = 2 IF s = null; APPLY BATCH", nil, "true"},
		{"SELECT * FROM bt WHERE a = 2", nil, "2 2 2 a"},
		{"BEGIN BATCH INSERT INTO bt (a, b, s, d) values (3, 3, 40, 'a'); UPDATE bt SET s = 30 WHERE a = 3 IF s > 5; APPLY BATCH", nil, "false 3 3 null"},
		{"SELECT * FROM bt WHERE a = 3", nil, "3 3 null null"},
		// Same timestamp: the larger value wins.
		{"BEGIN BATCH INSERT INTO bt (a, b, s, d) values (4, 4, 4, 'a'); UPDATE bt SET s = 5 WHERE a = 4 IF s = null; APPLY BATCH", nil, "true"},
		{"SELECT * FROM bt WHERE a = 4", nil, "4 4 5 a"},
		{"BEGIN BATCH INSERT INTO bt (a, b, s, d) values (6, 6, 70, 'a'); UPDATE bt SET s = 60 WHERE a = 6 IF s IN (1,2,3); APPLY BATCH", nil, "false 6 6 null"},
		{"BEGIN BATCH INSERT INTO bt (a, b, s, d) values (9, 9, 9, 'a'); UPDATE bt SET s = 3 WHERE a = 9 IF s = 5; APPLY BATCH", nil, "false"},
	})
	f.ddl("CREATE TABLE dn (a int, b int, s1 int static, s2 int static, v int, PRIMARY KEY (a, b))")
	f.steps([]lwtStep{
		// On equal timestamps the tombstone wins, so the DELETE wins.
		{"BEGIN BATCH INSERT INTO dn (a, b, s1, v) values (4, 4, 4, 4); DELETE s1 FROM dn WHERE a = 4 IF s2 = null; APPLY BATCH", nil, "true"},
		{"SELECT * FROM dn WHERE a = 4", nil, "4 4 null null 4"},
		{"BEGIN BATCH INSERT INTO dn (a, b, s1, v) values (2, 2, 2, 2); DELETE s1 FROM dn WHERE a = 2 IF s2 = null; APPLY BATCH", nil, "true"},
		{"SELECT * FROM dn WHERE a = 2", nil, "2 2 null null 2"},
		{"BEGIN BATCH UPDATE dn SET s2 = 102 WHERE a = 1 IF s1 = null; UPDATE dn SET s1 = 101 WHERE a = 1 IF s2 = null; APPLY BATCH", nil, "true"},
		{"SELECT a, s1, s2 FROM dn WHERE a = 1", nil, "1 101 102"},
	})
}

// CASSANDRA-12060: several existence conditions on one row in a batch.
func TestLWTBatchSameRow(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int PRIMARY KEY, v1 text, v2 text)")
	f.steps([]lwtStep{
		{"BEGIN BATCH INSERT INTO t (k, v1) values (0, 'foo') IF NOT EXISTS; INSERT INTO t (k, v2) values (0, 'bar') IF NOT EXISTS; APPLY BATCH", nil, "true"},
		{"SELECT * FROM t WHERE k = 0", nil, "0 foo bar"},
		{"BEGIN BATCH INSERT INTO t (k, v1) values (1, 'foo') IF NOT EXISTS; INSERT INTO t (k, v1) values (1, 'bar') IF NOT EXISTS; APPLY BATCH", nil, "true"},
		{"SELECT * FROM t WHERE k = 1", nil, "1 foo null"},
		{"BEGIN BATCH DELETE FROM t WHERE k = 0 IF EXISTS; DELETE FROM t WHERE k = 0 IF EXISTS; APPLY BATCH", nil, "true"},
		{"SELECT * FROM t WHERE k = 0", nil, ""},
		{"BEGIN BATCH INSERT INTO t (k, v1) values (1, 'foo') IF NOT EXISTS; DELETE FROM t WHERE k = 1 IF EXISTS; APPLY BATCH", nil,
			"err: Cannot mix IF EXISTS and IF NOT EXISTS conditions for the same row"},
		{"BEGIN BATCH INSERT INTO t (k, v1) values (1, 'foo') IF NOT EXISTS; UPDATE t SET v2 = 'bar' WHERE k = 1 IF v1 = 'foo'; APPLY BATCH", nil,
			"err: Cannot mix IF conditions and IF NOT EXISTS for the same row"},
		{"BEGIN BATCH UPDATE t SET v2 = 'bar' WHERE k = 1 IF v1 = 'foo'; INSERT INTO t (k, v1) values (1, 'foo') IF NOT EXISTS; APPLY BATCH", nil,
			"err: Cannot mix IF conditions and IF NOT EXISTS for the same row"},
		{"BEGIN BATCH UPDATE t SET v2 = 'bar' WHERE k = 1 IF v1 = 'foo'; DELETE FROM t WHERE k = 1 IF EXISTS; APPLY BATCH", nil,
			"err: Cannot mix IF conditions and IF EXISTS for the same row"},
	})
}

// testWholeList, testListItem, testExpandedListItem, testWholeSet,
// testWholeMap, testMapItem, testExpandedMapItem, testFrozenWithNullValues,
// testCasAndListIndex — frozen and not.
func TestLWTCollections(t *testing.T) {
	for _, frozen := range []bool{false, true} {
		f := newFixture(t)
		typ := func(s string) string {
			if frozen {
				return "frozen<" + s + ">"
			}
			return s
		}
		f.ddl("CREATE TABLE l (k int PRIMARY KEY, l " + typ("list<text>") + ")")
		f.ddl("CREATE TABLE s (k int PRIMARY KEY, s " + typ("set<text>") + ")")
		f.ddl("CREATE TABLE m (k int PRIMARY KEY, m " + typ("map<text, text>") + ")")
		f.exec("INSERT INTO l (k, l) VALUES (0, ['foo', 'bar', 'foobar'])")
		f.exec("INSERT INTO s (k, s) VALUES (0, {'bar', 'foo'})")
		f.exec("INSERT INTO m (k, m) VALUES (0, {'foo' : 'bar'})")
		check := func(table, set, cond string, applies bool, value string) {
			t.Helper()
			want := "true"
			if !applies {
				want = "false " + value
			}
			f.steps([]lwtStep{{"UPDATE " + table + " SET " + set + " WHERE k=0 IF " + cond, nil, want}})
		}
		for _, c := range []struct {
			cond    string
			applies bool
		}{
			{"l = ['foo', 'bar', 'foobar']", true}, {"l != ['baz']", true}, {"l > ['a']", true},
			{"l >= ['a']", true}, {"l < ['z']", true}, {"l <= ['z']", true},
			{"l IN (null, ['foo', 'bar', 'foobar'], ['a'])", true},
			{"l > ['aaa', 'bbb'] AND l > ['aaa']", true}, {"l != null AND l IN (['foo', 'bar', 'foobar'])", true},
			{"l = ['baz']", false}, {"l != ['foo', 'bar', 'foobar']", false}, {"l > ['z']", false},
			{"l >= ['z']", false}, {"l < ['a']", false}, {"l <= ['a']", false}, {"l IN (['a'], null)", false},
			{"l IN ()", false}, {"l IN () AND l IN (['foo', 'bar', 'foobar'])", false}, {"l > ['zzz'] AND l < ['zzz']", false},
			{"l[1] < 'zzz'", true}, {"l[1] <= 'bar'", true}, {"l[1] > 'aaa'", true}, {"l[1] >= 'bar'", true},
			{"l[1] != 'xxx'", true}, {"l[1] != null", true}, {"l[1] IN (null, 'xxx', 'bar')", true},
			{"l[3] = null", true}, {"l[3] IN (null, 'xxx', 'bar')", true},
			{"l[1] < 'aaa'", false}, {"l[1] != 'bar'", false}, {"l[1] IN (null, 'xxx')", false}, {"l[1] IN ()", false},
			{"l[3] != null", false}, {"l[3] = 'xxx'", false},
		} {
			check("l", "l = ['foo', 'bar', 'foobar']", c.cond, c.applies, "['foo', 'bar', 'foobar']")
		}
		f.steps([]lwtStep{
			{"UPDATE l SET l = ['x'] WHERE k=0 IF l < null", nil, `err: Invalid comparison with null for operator "<"`},
			{"UPDATE l SET l = ['x'] WHERE k=0 IF l[1] >= null", nil, `err: Invalid comparison with null for operator ">="`},
			{"DELETE FROM l WHERE k=0 IF l[?] = ?", []any{nil, "foobar"}, "err: Invalid null value for list element access"},
			{"DELETE FROM l WHERE k=0 IF l[?] = ?", []any{-2, "foobar"}, "err: Invalid negative list index -2"},
			{"DELETE FROM l WHERE k=0 IF l[?] = ?", []any{1, nil}, "false ['foo', 'bar', 'foobar']"},
			{"DELETE FROM l WHERE k=0 IF l[?] = ?", []any{1, "foobar"}, "false ['foo', 'bar', 'foobar']"},
		})
		for _, c := range []struct {
			cond    string
			applies bool
		}{
			{"s = {'bar', 'foo'}", true}, {"s = {'foo', 'bar'}", true}, {"s != {'baz'}", true}, {"s > {'a'}", true},
			{"s >= {'a'}", true}, {"s < {'z'}", true}, {"s <= {'z'}", true}, {"s IN (null, {'bar', 'foo'}, {'a'})", true},
			{"s > {'a'} AND s < {'z'}", true},
			{"s = {'baz'}", false}, {"s != {'bar', 'foo'}", false}, {"s > {'z'}", false}, {"s >= {'z'}", false},
			{"s < {'a'}", false}, {"s <= {'a'}", false}, {"s IN ({'a'}, null)", false}, {"s IN ()", false},
			{"s != null AND s IN ()", false},
		} {
			check("s", "s = {'bar', 'foo'}", c.cond, c.applies, "{'bar', 'foo'}")
		}
		f.steps([]lwtStep{
			{"UPDATE s SET s = {'x'} WHERE k=0 IF s['foo'] = 'foobar'", nil, "err: Invalid element access syntax for set column s"},
		})
		for _, c := range []struct {
			cond    string
			applies bool
		}{
			{"m = {'foo': 'bar'}", true}, {"m > {'a': 'a'}", true}, {"m >= {'a': 'a'}", true}, {"m < {'z': 'z'}", true},
			{"m <= {'z': 'z'}", true}, {"m != {'a': 'a'}", true}, {"m IN (null, {'a': 'a'}, {'foo': 'bar'})", true},
			{"m = {'a': 'a'}", false}, {"m > {'z': 'z'}", false}, {"m < {'a': 'a'}", false}, {"m != {'foo': 'bar'}", false},
			{"m IN ({'a': 'a'}, null)", false}, {"m IN ()", false}, {"m = null AND m != null", false},
			{"m['xxx'] = null", true}, {"m['foo'] < 'zzz'", true}, {"m['foo'] <= 'bar'", true}, {"m['foo'] != null", true},
			{"m['foo'] IN (null, 'xxx', 'bar')", true}, {"m['xxx'] IN (null, 'xxx', 'bar')", true},
			{"m['foo'] < 'aaa'", false}, {"m['foo'] != 'bar'", false}, {"m['xxx'] != null", false},
			{"m['foo'] IN (null, 'xxx')", false}, {"m['foo'] IN ()", false}, {"m['foo'] != null AND m['foo'] = null", false},
		} {
			check("m", "m = {'foo': 'bar'}", c.cond, c.applies, "{'foo': 'bar'}")
		}
		f.steps([]lwtStep{
			{"DELETE FROM m WHERE k=0 IF m[?] = ?", []any{nil, "foo"}, "err: Invalid null value for map element access"},
			{"DELETE FROM m WHERE k=0 IF m[?] = ?", []any{"foo", "foo"}, "false {'foo': 'bar'}"},
			{"DELETE FROM m WHERE k=0 IF m[?] = ?", []any{"foo", "bar"}, "true"},
			{"SELECT * FROM m", nil, ""},
			{"INSERT INTO m (k, m) VALUES (1, null)", nil, ""},
			{"UPDATE m SET m = {'a': 'b'} WHERE k = 1 IF m = {'x': 'y'}", nil, "false null"},
		})
		if !frozen {
			f.steps([]lwtStep{
				{"UPDATE m set m['foo'] = 'bar', m['bar'] = 'foo' WHERE k = 1 IF m[?] IN (?, ?)", []any{"foo", "blah", nil}, "true"},
			})
		}
	}
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int PRIMARY KEY, v text, l list<text>)")
	f.steps([]lwtStep{
		{"INSERT INTO t (k, v, l) VALUES(0, 'foobar', ['foi', 'bar'])", nil, ""},
		{"UPDATE t SET l[0] = 'foo' WHERE k = 0 IF v = 'barfoo'", nil, "false foobar"},
		{"UPDATE t SET l[0] = 'foo' WHERE k = 0 IF v = 'foobar'", nil, "true"},
		{"SELECT * FROM t", nil, "0 ['foo', 'bar'] foobar"},
		{"UPDATE t SET l = l - ['bar'] WHERE k = 0 IF v = 'foobar'", nil, "true"},
		{"DELETE l[0] FROM t WHERE k = 0 IF EXISTS", nil, "true"},
		{"SELECT * FROM t", nil, "0 null foobar"},
	})
}

// The refusals at preparation, in 3.11's order.
func TestLWTPrepareErrors(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int, c int, v int, s int static, l list<int>, st set<int>, PRIMARY KEY (k, c))")
	f.ddl("CREATE TABLE cnt (k int PRIMARY KEY, n counter)")
	f.ddl("CREATE TABLE du (k int PRIMARY KEY, d duration, ld list<duration>)")
	f.steps([]lwtStep{
		{"UPDATE t SET v = 1 WHERE k = 0 AND c = 0 IF c = 1", nil, "err: PRIMARY KEY column 'c' cannot have IF conditions"},
		{"UPDATE t SET v = 1 WHERE k = 0 AND c = 0 IF k = 1", nil, "err: PRIMARY KEY column 'k' cannot have IF conditions"},
		{"UPDATE t SET v = 1 WHERE k = 0 AND c = 0 IF x = 1", nil, "err: Unknown identifier x in IF conditions"},
		{"UPDATE t USING TIMESTAMP 5 SET v = 1 WHERE k = 0 AND c = 0 IF v = 1", nil, "err: Cannot provide custom timestamp for conditional updates"},
		{"UPDATE t USING TIMESTAMP 5 SET v = 1 WHERE k = 0 AND c = 0 IF EXISTS", nil, "err: Cannot provide custom timestamp for conditional updates"},
		{"INSERT INTO t (k, c, v) VALUES (0, 0, 1) IF NOT EXISTS USING TIMESTAMP 5", nil, "err: Cannot provide custom timestamp for conditional updates"},
		{"UPDATE t SET v = 1 WHERE k = 0 AND c = 0 IF v[0] = 1", nil, "err: Invalid element access syntax for non-collection column v"},
		{"UPDATE t SET v = 1 WHERE k = 0 AND c = 0 IF st[0] = 1", nil, "err: Invalid element access syntax for set column st"},
		{"UPDATE cnt SET n = n + 1 WHERE k = 0 IF n = 1", nil, "err: Conditions on counters are not supported"},
		{"UPDATE cnt SET n = n + 1 WHERE k = 0 IF EXISTS", nil, "err: Conditional updates are not supported on counter tables"},
		{"INSERT INTO cnt (k, n) VALUES (0, 1) IF NOT EXISTS", nil, "err: INSERT statements are not allowed on counter tables, use UPDATE instead"},
		{"UPDATE du SET d = 1h WHERE k = 0 IF d > 1h", nil, "err: Slice conditions are not supported on durations"},
		{"UPDATE du SET d = 1h WHERE k = 0 IF ld > [1h]", nil, "err: Slice conditions are not supported on collections containing durations"},
		{"UPDATE du SET d = 1h WHERE k = 0 IF ld[0] >= 1h", nil, "err: Slice conditions are not supported on durations"},
		{"UPDATE du SET d = 1h WHERE k = 0 IF d = 1h", nil, "false"},
		{"BEGIN BATCH USING TIMESTAMP 5 UPDATE t SET v = 1 WHERE k = 0 AND c = 0 IF v = 1; APPLY BATCH", nil, "err: Cannot provide custom timestamp for conditional BATCH"},
		{"BEGIN BATCH UPDATE t SET v = 1 WHERE k = 0 AND c = 0 IF v = 1; UPDATE du SET d = 1h WHERE k = 0; APPLY BATCH", nil, "err: Batch with conditions cannot span multiple tables"},
	})
	// IN on the partition key in a conditional batch is an
	// IllegalArgumentException: a server error.
	_, err := f.run(Options{}, "BEGIN BATCH UPDATE t SET v = 1 WHERE k IN (0, 1) AND c = 0 IF v = 1; APPLY BATCH")
	checkErr(t, "batch IN", err, CodeServer, "java.lang.IllegalArgumentException: Batch with conditions cannot span multiple partitions (you cannot use IN on the partition key)")
	f.steps([]lwtStep{
		{"BEGIN BATCH UPDATE t SET v = 1 WHERE k = 0 AND c IN (0, 1) IF v = 1; APPLY BATCH", nil, "err: IN on the clustering key columns is not supported with conditional updates"},
	})
}

// Serial and commit consistency, as StorageProxy.cas and ConsistencyLevel
// validate them.
func TestLWTConsistency(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int PRIMARY KEY, v int)")
	f.ddl("CREATE KEYSPACE ks3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}")
	f.ddl("CREATE TABLE ks3.t (k int PRIMARY KEY, v int)")
	run := func(o Options, cql string) error {
		_, err := f.run(o, cql)
		return err
	}
	const ins = "INSERT INTO t (k, v) VALUES (0, 1) IF NOT EXISTS"
	for _, sc := range []uint16{clOne, clQuorum, clAll, clLocalOne} {
		checkErr(t, ins, run(Options{SerialConsistency: sc}, ins), CodeInvalid,
			"Invalid consistency for conditional update. Must be one of SERIAL or LOCAL_SERIAL")
	}
	s, _ := f.prepare(ins)
	_, err := s.Execute(ctxb(), f.env, Options{Consistency: clOne, SerialConsistency: clAny})
	checkErr(t, ins, err, CodeInvalid, "Invalid consistency for conditional update. Must be one of SERIAL or LOCAL_SERIAL")
	for _, cl := range []uint16{clSerial, clLocalSerial} {
		checkErr(t, ins, run(Options{Consistency: cl}, ins), CodeInvalid,
			clName(cl)+` is not supported as conditional update commit consistency. Use ANY if you mean "make sure it is accepted but I don't care how many replicas commit it for non-SERIAL reads"`)
	}
	checkErr(t, ins, run(Options{Consistency: clEachQuorum}, ins), CodeInvalid,
		"consistency level EACH_QUORUM not compatible with replication strategy (org.apache.cassandra.locator.SimpleStrategy)")
	if err := run(Options{Consistency: anyCL, SerialConsistency: clLocalSerial}, ins); err != nil {
		t.Errorf("commit at ANY, LOCAL_SERIAL: %v", err)
	}
	// Paxos counts the nodes that hold a replica (one here), then reads
	// the current values at QUORUM of the replication factor, which fails
	// (StorageProxy.getPaxosParticipants, then readOne at QUORUM).
	err = run(Options{}, "INSERT INTO ks3.t (k, v) VALUES (0, 1) IF NOT EXISTS")
	var e *Error
	if !asError(err, &e) || e.Code != CodeUnavailable || e.Consistency != clQuorum || e.Required != 2 || e.Alive != 1 {
		t.Errorf("RF 3 LWT: %#v, want Unavailable QUORUM 2/1", err)
	}
	// Plain writes may not be serial; serial reads take one partition.
	checkErr(t, "serial write", run(Options{Consistency: clSerial}, "INSERT INTO t (k, v) VALUES (0, 1)"), CodeInvalid,
		"You must use conditional updates for serializable writes")
	checkErr(t, "serial IN", run(Options{Consistency: clSerial}, "SELECT * FROM t WHERE k IN (0, 1)"), CodeInvalid,
		"SERIAL/LOCAL_SERIAL consistency may only be requested for one partition at a time")
	if err := run(Options{Consistency: clSerial}, "SELECT * FROM t WHERE k = 0"); err != nil {
		t.Errorf("serial read: %v", err)
	}
	if err := run(Options{Consistency: clSerial, PageSize: 10}, "SELECT * FROM t WHERE k IN (0, 1)"); err != nil {
		t.Errorf("paged serial IN read: %v", err)
	}
}

// The ballot: an applied transaction's cells carry a server timestamp
// above every earlier server-stamped write, its deletions one less.
func TestLWTTimestamps(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int, c int, v int, l list<int>, PRIMARY KEY (k, c))")
	f.exec("INSERT INTO t (k, c, v) VALUES (0, 0, 1)")
	before := f.store.NowMicros()
	f.steps([]lwtStep{
		{"UPDATE t SET v = 2, l = [1] WHERE k = 0 AND c = 0 IF v = 1", nil, "true"},
	})
	r := f.exec("SELECT writetime(v) FROM t WHERE k = 0")
	ts, _ := codec.DecodeLong(r.Rows[0][0])
	if ts <= before {
		t.Errorf("writetime %d not above the earlier server timestamp %d", ts, before)
	}
	// A row deleted and written again in one transaction keeps the new
	// data: the deletion is the ballot minus one.
	f.steps([]lwtStep{
		{"BEGIN BATCH DELETE FROM t WHERE k = 0 AND c = 0; UPDATE t SET v = 9 WHERE k = 0 AND c = 1 IF v = null; APPLY BATCH", nil, "true"},
		{"SELECT c, v FROM t WHERE k = 0", nil, "1 9"},
		{"DELETE FROM t WHERE k = 0 AND c = 1 IF EXISTS", nil, "true"},
		{"INSERT INTO t (k, c, v) VALUES (0, 1, 3)", nil, ""},
		{"SELECT c, v FROM t WHERE k = 0", nil, "1 3"},
	})
}
