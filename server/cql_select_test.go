package server_test

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"reflect"
	"slices"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server"
)

// SELECT over gocql, form by form, as 3.11's SelectStatement answers it.
// The table holds 4 partitions (k 0..3) of 6 rows (c1 0..2, c2 'a'/'b'),
// v = 100k + 10c1 + (c2 == 'b'), and a static s = 1000k.

func selectFixture(t *testing.T) *gocql.Session {
	t.Helper()
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "sel")
	mustExec(t, s, "CREATE TABLE t (k int, c1 int, c2 text, v int, s int static, PRIMARY KEY (k, c1, c2))")
	b := s.Batch(gocql.UnloggedBatch)
	for k := 0; k < 4; k++ {
		b.Query("UPDATE t SET s = ? WHERE k = ?", 1000*k, k)
		for c1 := 0; c1 < 3; c1++ {
			for i, c2 := range []string{"a", "b"} {
				b.Query("INSERT INTO t (k, c1, c2, v) VALUES (?, ?, ?, ?)", k, c1, c2, 100*k+10*c1+i)
			}
		}
	}
	if err := b.Exec(); err != nil {
		t.Fatal(err)
	}
	return s
}

// tokenOrder returns int partition keys sorted as Murmur3Partitioner
// orders them (by the token of their 4-byte encoding): the order of every
// range read.
func tokenOrder(keys ...int) []int {
	out := slices.Clone(keys)
	tok := func(k int) int64 {
		return int64(partitioner.Murmur3Partitioner{}.Hash(binary.BigEndian.AppendUint32(nil, uint32(k))))
	}
	slices.SortFunc(out, func(a, b int) int { return cmp.Compare(tok(a), tok(b)) })
	return out
}

// rowsOf builds expected rows of (c1, c2) pairs for partition k: v of each.
func vOf(k, c1 int, c2 string) int {
	v := 100*k + 10*c1
	if c2 == "b" {
		v++
	}
	return v
}

// Selection: SELECT * lists the partition key, the clustering columns,
// the static columns, then the regular ones (CFMetaData
// .allColumnsInSelectOrder); AS renames; writetime(), ttl() and token()
// are named as 3.11 names them (Selectable.WritetimeOrTTL, the token
// function "system.token(k)").
func TestCQLSelectColumns(t *testing.T) {
	s := selectFixture(t)
	cols, rows := selectRows(t, s, "SELECT * FROM t WHERE k = 1 AND c1 = 2 AND c2 = 'b'")
	if !reflect.DeepEqual(cols, []string{"k", "c1", "c2", "s", "v"}) || !reflect.DeepEqual(rows, [][]any{{1, 2, "b", 1000, 121}}) {
		t.Errorf("SELECT *: %v %v", cols, rows)
	}
	cols, rows = selectRows(t, s, "SELECT v AS value, k, c2 FROM t WHERE k = 2 AND c1 = 0")
	if !reflect.DeepEqual(cols, []string{"value", "k", "c2"}) || !reflect.DeepEqual(rows, [][]any{{200, 2, "a"}, {201, 2, "b"}}) {
		t.Errorf("aliases: %v %v", cols, rows)
	}

	mustExec(t, s, "INSERT INTO t (k, c1, c2, v) VALUES (9, 0, 'x', 1) USING TIMESTAMP 12345 AND TTL 1000")
	cols, rows = selectRows(t, s, "SELECT writetime(v), ttl(v), token(k), ttl(s) FROM t WHERE k = 9")
	if !reflect.DeepEqual(cols, []string{"writetime(v)", "ttl(v)", "system.token(k)", "ttl(s)"}) || len(rows) != 1 {
		t.Fatalf("functions: %v %v", cols, rows)
	}
	key := binary.BigEndian.AppendUint32(nil, 9)
	if rows[0][0] != int64(12345) || rows[0][1].(int) < 990 || rows[0][1].(int) > 1000 ||
		rows[0][2] != int64(partitioner.Murmur3Partitioner{}.Hash(key)) || rows[0][3] != 0 {
		t.Errorf("writetime, ttl, token, ttl of null: %v", rows[0])
	}
	// A cell without TTL has a null ttl; a null cell a null writetime.
	var ttl *int
	var wt *int64
	if err := s.Query("SELECT ttl(v), writetime(s) FROM t WHERE k = 9").Scan(&ttl, &wt); err != nil || wt != nil || ttl == nil {
		t.Errorf("writetime of a null cell: %v %v", wt, err)
	}
	if err := s.Query("SELECT ttl(v), writetime(s) FROM t WHERE k = 0 AND c1 = 0 AND c2 = 'a'").Scan(&ttl, &wt); err != nil || ttl != nil || wt == nil {
		t.Errorf("ttl of a cell without TTL: %v %v", ttl, err)
	}
}

// WHERE on the primary key: partition IN in the key type's order,
// clustering IN and slices in clustering order, multi-column relations
// (StatementRestrictions, ClusteringColumnRestrictions).
func TestCQLSelectWhere(t *testing.T) {
	s := selectFixture(t)
	row := func(k, c1 int, c2 string) []any { return []any{k, c1, c2, vOf(k, c1, c2)} }
	const q = "SELECT k, c1, c2, v FROM t WHERE "
	cases := []struct {
		where string
		args  []any
		want  [][]any
	}{
		{"k = 1 AND c1 = 1", nil, [][]any{row(1, 1, "a"), row(1, 1, "b")}},
		// Partitions come in the order of the key type, not of the IN list.
		{"k IN (2, 0) AND c1 = 1 AND c2 = 'a'", nil, [][]any{row(0, 1, "a"), row(2, 1, "a")}},
		{"k IN ? AND c1 = 1 AND c2 = 'a'", []any{[]int{3, 1, 3}}, [][]any{row(1, 1, "a"), row(3, 1, "a")}},
		// Clustering IN values are sorted and de-duplicated.
		{"k = 1 AND c1 IN (2, 0, 2) AND c2 = 'b'", nil, [][]any{row(1, 0, "b"), row(1, 2, "b")}},
		{"k = 1 AND c1 = 0 AND c2 IN ('b', 'a')", nil, [][]any{row(1, 0, "a"), row(1, 0, "b")}},
		{"k = 1 AND c1 > 0 AND c1 <= 2 AND c2 = 'a' ALLOW FILTERING", nil, [][]any{row(1, 1, "a"), row(1, 2, "a")}},
		{"k = 1 AND c1 >= 1 AND c1 < 2", nil, [][]any{row(1, 1, "a"), row(1, 1, "b")}},
		{"k = 1 AND c1 = 2 AND c2 > 'a'", nil, [][]any{row(1, 2, "b")}},
		{"k = 1 AND c1 = ? AND c2 <= ?", []any{0, "a"}, [][]any{row(1, 0, "a")}},
		// Multi-column relations compare the clustering prefix as a tuple.
		{"k = 1 AND (c1, c2) > (1, 'a')", nil, [][]any{row(1, 1, "b"), row(1, 2, "a"), row(1, 2, "b")}},
		{"k = 1 AND (c1, c2) >= (0, 'b') AND (c1, c2) < (1, 'b')", nil, [][]any{row(1, 0, "b"), row(1, 1, "a")}},
		{"k = 1 AND (c1, c2) IN ((2, 'a'), (0, 'b'))", nil, [][]any{row(1, 0, "b"), row(1, 2, "a")}},
		{"k = 1 AND (c1, c2) = (?, ?)", []any{2, "b"}, [][]any{row(1, 2, "b")}},
		{"k = 1 AND (c1) IN ((2))", nil, [][]any{row(1, 2, "a"), row(1, 2, "b")}},
		// Empty results: a slice whose start is after its end, an empty IN.
		{"k = 1 AND c1 > 2", nil, nil},
		{"k = 1 AND c1 > 1 AND c1 < 1", nil, nil},
		{"k = 1 AND c1 IN ()", nil, nil},
		{"k = 7", nil, nil},
	}
	for _, c := range cases {
		mustRows(t, s, c.want, q+c.where, c.args...)
	}
}

// Range reads (no partition key, or token() relations) return partitions
// in token order; token ranges include or exclude their ends as written
// (TokenRestriction, StatementRestrictions.getPartitionKeyBoundsForTokenRestrictions).
func TestCQLSelectTokenRanges(t *testing.T) {
	s := selectFixture(t)
	order := tokenOrder(0, 1, 2, 3)
	var want [][]any
	for _, k := range order {
		want = append(want, []any{k})
	}
	mustRows(t, s, want, "SELECT DISTINCT k FROM t")
	mustRows(t, s, want, "SELECT k FROM t PER PARTITION LIMIT 1")
	tok := func(k int) int64 {
		return int64(partitioner.Murmur3Partitioner{}.Hash(binary.BigEndian.AppendUint32(nil, uint32(k))))
	}
	// (token of the first, token of the third]: the second and the third.
	mustRows(t, s, want[1:3], "SELECT DISTINCT k FROM t WHERE token(k) > ? AND token(k) <= ?", tok(order[0]), tok(order[2]))
	mustRows(t, s, want[0:3], "SELECT DISTINCT k FROM t WHERE token(k) >= ? AND token(k) < ?", tok(order[0]), tok(order[3]))
	mustRows(t, s, want[2:], "SELECT DISTINCT k FROM t WHERE token(k) > token(?)", order[1])
	mustRows(t, s, want[:1], "SELECT DISTINCT k FROM t WHERE token(k) = ?", tok(order[0]))
	// No wrap-around: a start after the end selects nothing.
	mustRows(t, s, nil, "SELECT DISTINCT k FROM t WHERE token(k) > ? AND token(k) < ?", tok(order[3]), tok(order[0]))
	// A token range with the partition key restricted too filters the keys.
	mustRows(t, s, [][]any{{order[3]}}, fmt.Sprintf("SELECT DISTINCT k FROM t WHERE k IN (%d, %d) AND token(k) > ?", order[0], order[3]), tok(order[1]))
}

// ORDER BY, LIMIT, PER PARTITION LIMIT, DISTINCT and COUNT
// (SelectStatement.verifyOrderingIsAllowed, getDataLimits,
// validateDistinctSelection, AggregateFcts.countRowsFunction).
func TestCQLSelectOrderLimitDistinctCount(t *testing.T) {
	s := selectFixture(t)
	cl := func(pairs ...any) [][]any {
		var out [][]any
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, []any{pairs[i], pairs[i+1]})
		}
		return out
	}
	mustRows(t, s, cl(2, "b", 2, "a", 1, "b", 1, "a", 0, "b", 0, "a"), "SELECT c1, c2 FROM t WHERE k = 1 ORDER BY c1 DESC")
	mustRows(t, s, cl(0, "a", 0, "b", 1, "a"), "SELECT c1, c2 FROM t WHERE k = 1 ORDER BY c1 ASC, c2 ASC LIMIT 3")
	mustRows(t, s, cl(2, "b", 2, "a"), "SELECT c1, c2 FROM t WHERE k = 1 AND c1 > 0 ORDER BY c1 DESC, c2 DESC LIMIT ?", 2)
	mustRows(t, s, cl(1, "b", 1, "a"), "SELECT c1, c2 FROM t WHERE k = 1 AND c1 = 1 ORDER BY c1 DESC")

	// IN with ORDER BY sorts the partitions' rows together; 3.11 refuses
	// it when the query is paged, so it runs unpaged here.
	_, rows := iterRows(t, s.Query("SELECT k, c1, c2 FROM t WHERE k IN (0, 1) AND c1 = 2 ORDER BY c1 DESC, c2 DESC").PageSize(0).Iter(), "IN ORDER BY")
	if !reflect.DeepEqual(rows, [][]any{{0, 2, "b"}, {1, 2, "b"}, {0, 2, "a"}, {1, 2, "a"}}) {
		t.Errorf("IN with ORDER BY: %v", rows)
	}

	order := tokenOrder(0, 1, 2, 3)
	var first2 [][]any
	for _, k := range order {
		first2 = append(first2, []any{k, 0, "a"}, []any{k, 0, "b"})
	}
	mustRows(t, s, first2, "SELECT k, c1, c2 FROM t PER PARTITION LIMIT 2")
	mustRows(t, s, first2[:5], "SELECT k, c1, c2 FROM t PER PARTITION LIMIT 2 LIMIT 5")
	mustRows(t, s, [][]any{{1, 2, "b"}}, "SELECT k, c1, c2 FROM t WHERE k IN (1) ORDER BY c1 DESC PER PARTITION LIMIT 1")

	var distinct [][]any
	for _, k := range order {
		distinct = append(distinct, []any{k, 1000 * k})
	}
	mustRows(t, s, distinct, "SELECT DISTINCT k, s FROM t")
	mustRows(t, s, distinct[:2], "SELECT DISTINCT k, s FROM t LIMIT 2")
	mustRows(t, s, [][]any{{2000}}, "SELECT DISTINCT s FROM t WHERE k = 2")

	cols, rows := selectRows(t, s, "SELECT COUNT(*) FROM t")
	if !reflect.DeepEqual(cols, []string{"count"}) || !reflect.DeepEqual(rows, [][]any{{int64(24)}}) {
		t.Errorf("count(*): %v %v", cols, rows)
	}
	mustRows(t, s, [][]any{{int64(6)}}, "SELECT count(1) FROM t WHERE k = 3")
	mustRows(t, s, [][]any{{int64(2)}}, "SELECT count(*) FROM t WHERE k = 3 AND c1 = 1")
	mustRows(t, s, [][]any{{int64(0)}}, "SELECT count(*) FROM t WHERE k = 42")
	cols, rows = selectRows(t, s, "SELECT count(v), max(v), min(c2) FROM t WHERE k = 2")
	if !reflect.DeepEqual(cols, []string{"system.count(v)", "system.max(v)", "system.min(c2)"}) ||
		!reflect.DeepEqual(rows, [][]any{{int64(6), 221, "a"}}) {
		t.Errorf("aggregates: %v %v", cols, rows)
	}
}

// Filtering: ALLOW FILTERING on regular, static and clustering columns;
// an index serves equality on its column without it (3.11's
// StatementRestrictions filtering decision, CassandraIndex).
func TestCQLSelectFiltering(t *testing.T) {
	s := selectFixture(t)
	mustRows(t, s, [][]any{{1, 2, "b"}}, "SELECT k, c1, c2 FROM t WHERE v = 121 ALLOW FILTERING")
	mustRows(t, s, [][]any{{1, 2, "b"}}, "SELECT k, c1, c2 FROM t WHERE k = 1 AND v = 121 ALLOW FILTERING")
	mustRows(t, s, [][]any{{2, 0, "a"}, {2, 0, "b"}}, "SELECT k, c1, c2 FROM t WHERE s = 2000 AND c1 = 0 ALLOW FILTERING")
	mustRows(t, s, [][]any{{3, 2, "a"}, {3, 2, "b"}}, "SELECT k, c1, c2 FROM t WHERE k = 3 AND c1 > 1 AND v > 300 ALLOW FILTERING")
	mustRows(t, s, [][]any{{0, 0, "b"}}, "SELECT k, c1, c2 FROM t WHERE k = 0 AND c2 = 'b' AND c1 = 0 ALLOW FILTERING")
	_, rows := selectRows(t, s, "SELECT k FROM t WHERE c2 = 'a' ALLOW FILTERING")
	if len(rows) != 12 {
		t.Errorf("filtering on the second clustering column: %d rows", len(rows))
	}
	const msg = "Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. " +
		"If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING"
	expectError(t, s, 0x2200, msg, "SELECT * FROM t WHERE v = 121")
	expectError(t, s, 0x2200, msg, "SELECT * FROM t WHERE k = 1 AND v = 121")

	mustExec(t, s, "CREATE INDEX t_v ON t (v)")
	mustRows(t, s, [][]any{{2, 1, "a"}}, "SELECT k, c1, c2 FROM t WHERE v = 210")
	mustRows(t, s, [][]any{{2, 1, "a"}}, "SELECT k, c1, c2 FROM t WHERE k = 2 AND v = 210")
	mustRows(t, s, nil, "SELECT k, c1, c2 FROM t WHERE v = 211 AND c2 = 'a' ALLOW FILTERING")
	expectError(t, s, 0x2200, "ORDER BY with 2ndary indexes is not supported.", "SELECT k FROM t WHERE k = 2 AND v = 210 ORDER BY c1 DESC")
}

// Rows and statics: a partition with only static cells reads as one row
// with null clustering and regular columns, unless the query restricts
// clustering columns (SelectStatement.processPartition).
func TestCQLSelectStaticOnlyPartition(t *testing.T) {
	s := selectFixture(t)
	mustExec(t, s, "UPDATE t SET s = 7 WHERE k = 8")
	cols, rows := selectRows(t, s, "SELECT * FROM t WHERE k = 8")
	if !reflect.DeepEqual(cols, []string{"k", "c1", "c2", "s", "v"}) || !reflect.DeepEqual(rows, [][]any{{8, 0, "", 7, 0}}) {
		t.Errorf("static-only partition: %v %v", cols, rows)
	}
	// gocql reads nulls as zero values; the null-ness shows through pointers.
	var c1 *int
	var c2 *string
	if err := s.Query("SELECT c1, c2 FROM t WHERE k = 8").Scan(&c1, &c2); err != nil || c1 != nil || c2 != nil {
		t.Errorf("nulls: %v %v %v", c1, c2, err)
	}
	mustRows(t, s, nil, "SELECT * FROM t WHERE k = 8 AND c1 = 0")
	mustRows(t, s, [][]any{{8, 7}}, "SELECT DISTINCT k, s FROM t WHERE k = 8")
}
