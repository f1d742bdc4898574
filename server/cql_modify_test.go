package server_test

import (
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
)

// INSERT, UPDATE and DELETE over gocql, as 3.11's ModificationStatement,
// UpdateStatement and DeleteStatement write them: row liveness, nulls
// and unset values, USING TTL and TIMESTAMP, and row, range and partition
// deletions.

func modifyFixture(t *testing.T, cfg server.Config) *gocql.Session {
	t.Helper()
	srv := startCQL(t, cfg)
	s := newKeyspace(t, srv, "mod")
	mustExec(t, s, "CREATE TABLE t (k int, c int, v int, w text, s int static, PRIMARY KEY (k, c))")
	return s
}

// INSERT creates the row (its primary key liveness, 2.x's row marker);
// UPDATE writes only cells, so a row it made exists while one of them
// lives; null deletes a cell, unset leaves it (UpdateStatement
// .addUpdateForKey, Constants.Setter, CASSANDRA-6782).
func TestCQLRowLiveness(t *testing.T) {
	s := modifyFixture(t, server.Config{})
	mustExec(t, s, "INSERT INTO t (k, c) VALUES (1, 1)")
	mustRows(t, s, [][]any{{1, 1, 0, ""}}, "SELECT k, c, v, w FROM t WHERE k = 1")
	mustExec(t, s, "UPDATE t SET v = 5 WHERE k = 1 AND c = 1")
	mustExec(t, s, "UPDATE t SET v = null WHERE k = 1 AND c = 1")
	mustRows(t, s, [][]any{{1, 1, 0}}, "SELECT k, c, v FROM t WHERE k = 1") // the marker keeps it

	mustExec(t, s, "UPDATE t SET v = 5, w = 'x' WHERE k = 2 AND c = 1")
	mustRows(t, s, [][]any{{2, 1, 5, "x"}}, "SELECT k, c, v, w FROM t WHERE k = 2")
	mustExec(t, s, "UPDATE t SET v = null WHERE k = 2 AND c = 1")
	mustRows(t, s, [][]any{{2, 1, 0, "x"}}, "SELECT k, c, v, w FROM t WHERE k = 2")
	mustExec(t, s, "DELETE w FROM t WHERE k = 2 AND c = 1")
	mustRows(t, s, nil, "SELECT k, c, v, w FROM t WHERE k = 2") // no live cell, no marker: gone
	mustRows(t, s, [][]any{{int64(0)}}, "SELECT count(*) FROM t WHERE k = 2")

	// INSERT with null writes a tombstone; an unset value writes nothing.
	mustExec(t, s, "INSERT INTO t (k, c, v, w) VALUES (3, 1, 7, 'a')")
	mustExec(t, s, "INSERT INTO t (k, c, v, w) VALUES (?, ?, ?, ?)", 3, 1, nil, gocql.UnsetValue)
	var v *int
	var w string
	if err := s.Query("SELECT v, w FROM t WHERE k = 3 AND c = 1").Scan(&v, &w); err != nil || v != nil || w != "a" {
		t.Errorf("null and unset: v %v w %q %v", v, w, err)
	}
	// An INSERT of statics alone writes the static row and no marker.
	mustExec(t, s, "INSERT INTO t (k, s) VALUES (4, 40)")
	mustRows(t, s, [][]any{{4, 0, 40}}, "SELECT k, c, s FROM t WHERE k = 4")
	mustExec(t, s, "INSERT INTO t (k, c, s) VALUES (4, 1, 41)")
	mustRows(t, s, [][]any{{4, 1, 41}}, "SELECT k, c, s FROM t WHERE k = 4")
	// UPDATE with IN writes one row per key combination.
	mustExec(t, s, "UPDATE t SET w = 'in' WHERE k IN (5, 6) AND c IN (1, 2)")
	mustRows(t, s, [][]any{{int64(4)}}, "SELECT count(*) FROM t WHERE k IN (5, 6)")
	mustRows(t, s, [][]any{{"in"}, {"in"}}, "SELECT w FROM t WHERE k = 6")
}

// Timestamps decide which write wins, whatever the order they arrive in:
// USING TIMESTAMP, the protocol's default timestamp (gocql's
// WithTimestamp), a BATCH's timestamp; at equal timestamps a tombstone
// beats a value and the greater value wins (Cells.reconcile).
func TestCQLTimestamps(t *testing.T) {
	s := modifyFixture(t, server.Config{})
	read := func() any {
		_, rows := selectRows(t, s, "SELECT v FROM t WHERE k = 1 AND c = 1")
		if len(rows) == 0 {
			return nil
		}
		return rows[0][0]
	}
	mustExec(t, s, "INSERT INTO t (k, c, v) VALUES (1, 1, 1) USING TIMESTAMP 100")
	mustExec(t, s, "UPDATE t USING TIMESTAMP 50 SET v = 2 WHERE k = 1 AND c = 1")
	if got := read(); got != 1 {
		t.Errorf("an older write won: %v", got)
	}
	mustExec(t, s, "DELETE FROM t USING TIMESTAMP 99 WHERE k = 1 AND c = 1")
	if got := read(); got != 1 {
		t.Errorf("an older delete won: %v", got)
	}
	mustExec(t, s, "UPDATE t USING TIMESTAMP 200 SET v = 3 WHERE k = 1 AND c = 1")
	mustExec(t, s, "UPDATE t USING TIMESTAMP 200 SET v = 2 WHERE k = 1 AND c = 1")
	if got := read(); got != 3 {
		t.Errorf("equal timestamps: the greater value must win, got %v", got)
	}
	mustExec(t, s, "DELETE v FROM t USING TIMESTAMP 200 WHERE k = 1 AND c = 1")
	if got := read(); got != 0 {
		t.Errorf("equal timestamps: the tombstone must win, got %v", got)
	}
	mustExec(t, s, "DELETE FROM t USING TIMESTAMP 300 WHERE k = 1 AND c = 1")
	mustExec(t, s, "INSERT INTO t (k, c, v) VALUES (1, 1, 9) USING TIMESTAMP 250")
	if got := read(); got != nil {
		t.Errorf("a write older than the row deletion shows: %v", got)
	}

	if err := s.Query("INSERT INTO t (k, c, v) VALUES (2, 1, 1)").WithTimestamp(4242).Exec(); err != nil {
		t.Fatal(err)
	}
	mustRows(t, s, [][]any{{int64(4242)}}, "SELECT writetime(v) FROM t WHERE k = 2")
	// USING TIMESTAMP beats the protocol's default timestamp.
	if err := s.Query("INSERT INTO t (k, c, v) VALUES (2, 2, 1) USING TIMESTAMP 7").WithTimestamp(4242).Exec(); err != nil {
		t.Fatal(err)
	}
	mustRows(t, s, [][]any{{int64(7)}}, "SELECT writetime(v) FROM t WHERE k = 2 AND c = 2")
	mustExec(t, s, "BEGIN BATCH USING TIMESTAMP 77 INSERT INTO t (k, c, v) VALUES (3, 1, 1); "+
		"INSERT INTO t (k, c, w) VALUES (3, 2, 'x') APPLY BATCH")
	mustRows(t, s, [][]any{{int64(77), int64(0)}, {int64(0), int64(77)}}, "SELECT writetime(v), writetime(w) FROM t WHERE k = 3")
	// Without a timestamp, the server's clock (or the client's default
	// timestamp) orders a statement after the ones before it.
	mustExec(t, s, "INSERT INTO t (k, c, v) VALUES (4, 1, 1)")
	mustExec(t, s, "INSERT INTO t (k, c, v) VALUES (4, 1, 2)")
	mustRows(t, s, [][]any{{2}}, "SELECT v FROM t WHERE k = 4")
}

// TTLs expire cells and INSERT's row marker by the server's clock;
// ttl() counts down; default_time_to_live applies when a statement gives
// none, and USING TTL 0 means no expiry (Attributes.getTimeToLive,
// ExpiringCell).
func TestCQLTTL(t *testing.T) {
	clock := cassatest.NewClock(time.Now())
	s := modifyFixture(t, server.Config{Clock: clock.Now})
	mustExec(t, s, "INSERT INTO t (k, c, v, w) VALUES (1, 1, 1, 'a') USING TTL 10")
	mustExec(t, s, "INSERT INTO t (k, c, v) VALUES (1, 2, 2)")
	mustExec(t, s, "UPDATE t USING TTL 5 SET w = 'b' WHERE k = 1 AND c = 2")
	mustRows(t, s, [][]any{{1, 10, 10}, {2, 0, 5}}, "SELECT c, ttl(v), ttl(w) FROM t WHERE k = 1")
	clock.Advance(6 * time.Second)
	mustRows(t, s, [][]any{{1, 4, "a"}, {2, 0, ""}}, "SELECT c, ttl(v), w FROM t WHERE k = 1")
	clock.Advance(5 * time.Second)
	// The INSERTed row's marker expired with its cells; the other row
	// lives on through its marker and v.
	mustRows(t, s, [][]any{{2, 2}}, "SELECT c, v FROM t WHERE k = 1")

	// An UPDATE with a TTL makes a row that goes when its cells go.
	mustExec(t, s, "UPDATE t USING TTL 3 SET v = 1 WHERE k = 2 AND c = 1")
	clock.Advance(4 * time.Second)
	mustRows(t, s, nil, "SELECT c FROM t WHERE k = 2")

	mustExec(t, s, "CREATE TABLE d (k int PRIMARY KEY, v int) WITH default_time_to_live = 100")
	mustExec(t, s, "INSERT INTO d (k, v) VALUES (1, 1)")
	mustExec(t, s, "INSERT INTO d (k, v) VALUES (2, 2) USING TTL 0")
	mustExec(t, s, "INSERT INTO d (k, v) VALUES (3, 3) USING TTL 7")
	mustRows(t, s, [][]any{{1, 100}}, "SELECT k, ttl(v) FROM d WHERE k = 1")
	mustRows(t, s, [][]any{{2, 0}}, "SELECT k, ttl(v) FROM d WHERE k = 2")
	mustRows(t, s, [][]any{{3, 7}}, "SELECT k, ttl(v) FROM d WHERE k = 3")
	clock.Advance(101 * time.Second)
	mustRows(t, s, [][]any{{2}}, "SELECT k FROM d")

	// A bound TTL: null means no TTL, unset the default.
	mustExec(t, s, "INSERT INTO d (k, v) VALUES (4, 4) USING TTL ?", nil)
	mustExec(t, s, "INSERT INTO d (k, v) VALUES (5, 5) USING TTL ?", gocql.UnsetValue)
	mustRows(t, s, [][]any{{0}}, "SELECT ttl(v) FROM d WHERE k = 4")
	mustRows(t, s, [][]any{{100}}, "SELECT ttl(v) FROM d WHERE k = 5")
	expectError(t, s, 0x2200, "A TTL must be greater or equal to 0, but was -5", "INSERT INTO d (k, v) VALUES (1, 1) USING TTL -5")
	expectError(t, s, 0x2200, "ttl is too large. requested (700000000) maximum (630720000)", "INSERT INTO d (k, v) VALUES (1, 1) USING TTL 700000000")
}

// DELETE: the full primary key deletes a row (statics stay), a
// clustering prefix or slice a range, the partition key alone the
// partition with its statics; a column list writes cell tombstones
// (DeleteStatement.addUpdateForKey, RangeTombstone).
func TestCQLDeletes(t *testing.T) {
	s := modifyFixture(t, server.Config{})
	mustExec(t, s, "CREATE TABLE r (k int, a int, b int, v int, s int static, PRIMARY KEY (k, a, b))")
	fill := func(k int) {
		t.Helper()
		b := s.Batch(gocql.UnloggedBatch)
		b.Query("UPDATE r SET s = ? WHERE k = ?", k, k)
		for a := 0; a < 3; a++ {
			for c := 0; c < 3; c++ {
				b.Query("INSERT INTO r (k, a, b, v) VALUES (?, ?, ?, ?)", k, a, c, 10*a+c)
			}
		}
		if err := b.Exec(); err != nil {
			t.Fatal(err)
		}
	}
	vs := func(k int) []int {
		t.Helper()
		_, rows := selectRows(t, s, "SELECT v FROM r WHERE k = ?", k)
		out := []int{}
		for _, r := range rows {
			out = append(out, r[0].(int))
		}
		return out
	}
	check := func(k int, want ...int) {
		t.Helper()
		if got := vs(k); !equalInts(got, want) {
			t.Errorf("partition %d: %v, want %v", k, got, want)
		}
	}
	for k := 0; k < 6; k++ {
		fill(k)
	}
	mustExec(t, s, "DELETE FROM r WHERE k = 0 AND a = 1 AND b = 1")
	check(0, 0, 1, 2, 10, 12, 20, 21, 22)
	mustExec(t, s, "DELETE FROM r WHERE k = 1 AND a = 1")
	check(1, 0, 1, 2, 20, 21, 22)
	mustExec(t, s, "DELETE FROM r WHERE k = 2 AND a > 0 AND a <= 1")
	check(2, 0, 1, 2, 20, 21, 22)
	mustExec(t, s, "DELETE FROM r WHERE k = 3 AND a = 2 AND b >= 1")
	check(3, 0, 1, 2, 10, 11, 12, 20)
	mustExec(t, s, "DELETE FROM r WHERE k = 4 AND (a, b) > (0, 1) AND (a, b) < (2, 1)")
	check(4, 0, 1, 21, 22)
	// A row deletion keeps the statics; a partition deletion takes them.
	mustRows(t, s, [][]any{{1}}, "SELECT DISTINCT s FROM r WHERE k = 1")
	mustExec(t, s, "DELETE FROM r WHERE k IN (4, 5)")
	check(4)
	check(5)
	mustRows(t, s, nil, "SELECT DISTINCT s FROM r WHERE k = 5")
	// Columns: cell tombstones; statics by the partition key alone.
	mustExec(t, s, "DELETE v FROM r WHERE k = 0 AND a = 2 AND b = 2")
	mustRows(t, s, [][]any{{2, 2, 0}}, "SELECT a, b, v FROM r WHERE k = 0 AND a = 2 AND b = 2")
	mustExec(t, s, "DELETE s FROM r WHERE k = 0")
	mustRows(t, s, [][]any{{0}}, "SELECT DISTINCT s FROM r WHERE k = 0")
	// A range deletion hides only what was written before it.
	mustExec(t, s, "DELETE FROM r USING TIMESTAMP 10 WHERE k = 3 AND a = 0")
	check(3, 0, 1, 2, 10, 11, 12, 20)
	mustExec(t, s, "INSERT INTO r (k, a, b, v) VALUES (1, 1, 5, 15)")
	check(1, 0, 1, 2, 15, 20, 21, 22)

	expectError(t, s, 0x2200, "Range deletions are not supported for specific columns", "DELETE v FROM r WHERE k = 1 AND a = 1")
	expectError(t, s, 0x2200, "Some partition key parts are missing: k", "DELETE FROM r WHERE a = 1")
	expectError(t, s, 0x2200, `PRIMARY KEY column "b" cannot be restricted as preceding column "a" is not restricted`,
		"DELETE FROM r WHERE k = 1 AND b = 1")
	expectError(t, s, 0x2200, "Invalid identifier a for deletion (should not be a PRIMARY KEY part)", "DELETE a FROM r WHERE k = 1 AND a = 1 AND b = 1")
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Counters: UPDATE adds, a missing counter starts at 0, DELETE removes
// (CounterMutation; 3.11's counter rules in ModificationStatement).
func TestCQLCounters(t *testing.T) {
	s := modifyFixture(t, server.Config{})
	mustExec(t, s, "CREATE TABLE c (k int PRIMARY KEY, n counter, m counter)")
	mustExec(t, s, "UPDATE c SET n = n + 5 WHERE k = 1")
	mustExec(t, s, "UPDATE c SET n = n - 2, m = m + 1 WHERE k = 1")
	mustExec(t, s, "UPDATE c SET n = n + ? WHERE k = ?", int64(10), 1)
	mustRows(t, s, [][]any{{int64(13), int64(1)}}, "SELECT n, m FROM c WHERE k = 1")
	b := s.Batch(gocql.CounterBatch)
	b.Query("UPDATE c SET n = n + 1 WHERE k = 2")
	b.Query("UPDATE c SET n = n + 1 WHERE k = 2")
	if err := b.Exec(); err != nil {
		t.Fatal(err)
	}
	mustRows(t, s, [][]any{{int64(2)}}, "SELECT n FROM c WHERE k = 2")
	mustExec(t, s, "DELETE FROM c WHERE k = 1")
	mustRows(t, s, nil, "SELECT n FROM c WHERE k = 1")
	expectError(t, s, 0x2200, "INSERT statements are not allowed on counter tables, use UPDATE instead", "INSERT INTO c (k, n) VALUES (1, 1)")
	expectError(t, s, 0x2200, "Cannot set the value of counter column n (counters can only be incremented/decremented, not set)",
		"UPDATE c SET n = 1 WHERE k = 1")
	expectError(t, s, 0x2200, "Cannot provide custom TTL for counter updates", "UPDATE c USING TTL 5 SET n = n + 1 WHERE k = 1")
}
