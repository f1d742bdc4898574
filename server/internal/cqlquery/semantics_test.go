package cqlquery

import (
	"testing"
	"time"
)

// Row liveness (UpdateStatement.addUpdateForKey, CASSANDRA-6782): INSERT
// writes the row marker, UPDATE only cells; null assignments delete.
func TestRowLiveness(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int, c int, v int, w int, PRIMARY KEY (k, c))")
	f.exec("INSERT INTO t (k, c) VALUES (0, 0)")
	f.expect("0 0 null null", "SELECT * FROM t WHERE k = 0")
	f.exec("UPDATE t SET v = 1 WHERE k = 0 AND c = 1")
	f.expect("0 0 null null | 0 1 1 null", "SELECT * FROM t WHERE k = 0")
	// Setting the only cell of an UPDATEd row to null removes the row.
	f.exec("UPDATE t SET v = null WHERE k = 0 AND c = 1")
	f.expect("0 0 null null", "SELECT * FROM t WHERE k = 0")
	// An INSERTed row survives the deletion of all its cells.
	f.exec("INSERT INTO t (k, c, v, w) VALUES (0, 2, 2, 2)")
	f.exec("DELETE v, w FROM t WHERE k = 0 AND c = 2")
	f.expect("0 0 null null | 0 2 null null", "SELECT * FROM t WHERE k = 0")
	// INSERT of null writes a tombstone
	f.exec("INSERT INTO t (k, c, v) VALUES (0, 3, 3)")
	f.exec("INSERT INTO t (k, c, v) VALUES (0, 3, null)")
	f.expect("0 3 null null", "SELECT * FROM t WHERE k = 0 AND c = 3")
	// Row deletion.
	f.exec("DELETE FROM t WHERE k = 0 AND c = 0")
	f.expect("0 2 null null | 0 3 null null", "SELECT * FROM t WHERE k = 0")
	// Partition deletion.
	f.exec("DELETE FROM t WHERE k = 0")
	f.expect("", "SELECT * FROM t WHERE k = 0")
	// Unset values leave columns alone.
	f.exec("INSERT INTO t (k, c, v, w) VALUES (1, 1, 1, 1)")
	f.exec("INSERT INTO t (k, c, v, w) VALUES (?, ?, ?, ?)", 1, 1, unset, 5)
	f.expect("1 1 1 5", "SELECT * FROM t WHERE k = 1")
	f.exec("UPDATE t SET v = ?, w = ? WHERE k = ? AND c = ?", nil, unset, 1, 1)
	f.expect("1 1 null 5", "SELECT * FROM t WHERE k = 1")
}

func TestTimestampsAndTTL(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int PRIMARY KEY, v int, w int)")
	f.exec("INSERT INTO t (k, v) VALUES (0, 1) USING TIMESTAMP 100")
	f.exec("INSERT INTO t (k, v) VALUES (0, 2) USING TIMESTAMP 50")
	f.expect("1 100", "SELECT v, writetime(v) FROM t WHERE k = 0")
	// A later delete with an older timestamp does nothing.
	f.exec("DELETE v FROM t USING TIMESTAMP 99 WHERE k = 0")
	f.expect("1", "SELECT v FROM t WHERE k = 0")
	f.exec("DELETE v FROM t USING TIMESTAMP 100 WHERE k = 0")
	f.expect("0 null null", "SELECT * FROM t WHERE k = 0")

	// Server timestamps come from the clock, in microseconds.
	f.exec("INSERT INTO t (k, v) VALUES (1, 1)")
	want := f.clock.Now().UnixMicro()
	r := f.exec("SELECT writetime(v) FROM t WHERE k = 1")
	if got := int64(be64(r.Rows[0][0])); got < want || got > want+10 {
		t.Errorf("writetime = %d, want about %d", got, want)
	}
	// Client default timestamps are honoured.
	if _, err := f.run(Options{Timestamp: 4242, HasTimestamp: true}, "INSERT INTO t (k, v) VALUES (2, 2)"); err != nil {
		t.Fatal(err)
	}
	f.expect("4242", "SELECT writetime(v) FROM t WHERE k = 2")
	// USING TIMESTAMP wins over the client's.
	if _, err := f.run(Options{Timestamp: 4242, HasTimestamp: true}, "INSERT INTO t (k, v) VALUES (3, 3) USING TIMESTAMP 7"); err != nil {
		t.Fatal(err)
	}
	f.expect("7", "SELECT writetime(v) FROM t WHERE k = 3")

	// TTL: cells and the row marker expire.
	f.exec("INSERT INTO t (k, v) VALUES (10, 1) USING TTL 100")
	f.expect("100", "SELECT ttl(v) FROM t WHERE k = 10")
	f.clock.Advance(40 * time.Second)
	f.expect("60", "SELECT ttl(v) FROM t WHERE k = 10")
	f.exec("UPDATE t USING TTL 1000 SET w = 5 WHERE k = 10")
	f.clock.Advance(61 * time.Second)
	// The marker and v expired; w keeps the row alive.
	f.expect("10 null 5", "SELECT * FROM t WHERE k = 10")
	f.clock.Advance(1000 * time.Second)
	f.expect("", "SELECT * FROM t WHERE k = 10")
	// TTL 0 means none; ttl() of a cell without TTL is null.
	f.exec("INSERT INTO t (k, v) VALUES (11, 1) USING TTL 0")
	f.expect("null", "SELECT ttl(v) FROM t WHERE k = 11")
	// Bound TTL and timestamp.
	f.exec("INSERT INTO t (k, v) VALUES (12, 1) USING TTL ? AND TIMESTAMP ?", 50, 77)
	f.expect("50 77", "SELECT ttl(v), writetime(v) FROM t WHERE k = 12")
	f.exec("INSERT INTO t (k, v) VALUES (13, 1) USING TTL ? AND TIMESTAMP ?", nil, unset)
	f.expect("null", "SELECT ttl(v) FROM t WHERE k = 13")
	f.fail("Invalid null value of timestamp", "INSERT INTO t (k, v) VALUES (14, 1) USING TIMESTAMP ?", nil)
	f.fail("Expected 4 or 0 byte int (3)", "INSERT INTO t (k, v) VALUES (14, 1) USING TTL ?", []byte{1, 2, 3})
}

func TestDefaultTTL(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int PRIMARY KEY, v int) WITH default_time_to_live = 100")
	f.exec("INSERT INTO t (k, v) VALUES (0, 1)")
	f.expect("100", "SELECT ttl(v) FROM t WHERE k = 0")
	f.exec("INSERT INTO t (k, v) VALUES (1, 1) USING TTL 0")
	f.expect("null", "SELECT ttl(v) FROM t WHERE k = 1")
	f.exec("INSERT INTO t (k, v) VALUES (2, 1) USING TTL ?", unset)
	f.expect("100", "SELECT ttl(v) FROM t WHERE k = 2")
	f.exec("INSERT INTO t (k, v) VALUES (3, 1) USING TTL ?", nil)
	f.expect("null", "SELECT ttl(v) FROM t WHERE k = 3")
}

func TestRangeDeletes(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int, a int, b int, v int, PRIMARY KEY (k, a, b))")
	for a := 0; a < 3; a++ {
		for b := 0; b < 3; b++ {
			f.exec("INSERT INTO t (k, a, b, v) VALUES (0, ?, ?, 0)", a, b)
		}
	}
	f.exec("DELETE FROM t WHERE k = 0 AND a = 1")
	f.expect("0 0 | 0 1 | 0 2 | 2 0 | 2 1 | 2 2", "SELECT a, b FROM t WHERE k = 0")
	f.exec("DELETE FROM t WHERE k = 0 AND a = 2 AND b > 0")
	f.expect("0 0 | 0 1 | 0 2 | 2 0", "SELECT a, b FROM t WHERE k = 0")
	f.exec("DELETE FROM t WHERE k = 0 AND a = 0 AND b >= 1 AND b < 2")
	f.expect("0 0 | 0 2 | 2 0", "SELECT a, b FROM t WHERE k = 0")
	f.exec("DELETE FROM t WHERE k = 0 AND (a, b) <= (0, 2)")
	f.expect("2 0", "SELECT a, b FROM t WHERE k = 0")
	// Rows written after the range deletion live again.
	f.exec("INSERT INTO t (k, a, b, v) VALUES (0, 1, 1, 1)")
	f.expect("1 1 | 2 0", "SELECT a, b FROM t WHERE k = 0")
	// IN on the clustering deletes each row; IN () deletes nothing.
	f.exec("DELETE FROM t WHERE k = 0 AND a IN (1, 2) AND b IN (0, 1)")
	f.expect("", "SELECT a, b FROM t WHERE k = 0")
	f.exec("INSERT INTO t (k, a, b, v) VALUES (0, 1, 1, 1)")
	f.exec("DELETE FROM t WHERE k = 0 AND a IN ()")
	f.expect("1 1", "SELECT a, b FROM t WHERE k = 0")
}

func TestStatics(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int, c int, v int, s int static, PRIMARY KEY (k, c))")
	f.exec("INSERT INTO t (k, s) VALUES (0, 7)")
	// A partition with only statics gives one row with null clustering.
	f.expect("0 null 7 null", "SELECT * FROM t WHERE k = 0")
	f.expect("", "SELECT * FROM t WHERE k = 0 AND c = 1")
	f.exec("INSERT INTO t (k, c, v) VALUES (0, 1, 1)")
	f.exec("INSERT INTO t (k, c, v, s) VALUES (0, 2, 2, 8)")
	f.expect("0 1 8 1 | 0 2 8 2", "SELECT * FROM t WHERE k = 0")
	f.expect("0 8", "SELECT DISTINCT k, s FROM t")
	f.expect("8 | 8", "SELECT s FROM t WHERE k = 0")
	f.exec("DELETE FROM t WHERE k = 0 AND c = 1")
	f.exec("DELETE FROM t WHERE k = 0 AND c = 2")
	f.expect("0 null 8 null", "SELECT * FROM t WHERE k = 0")
	f.exec("DELETE s FROM t WHERE k = 0")
	f.expect("", "SELECT * FROM t WHERE k = 0")
	f.exec("UPDATE t SET s = 9 WHERE k = 1")
	f.expect("1 9", "SELECT k, s FROM t WHERE k = 1")
	// A partition deletion removes the statics too.
	f.exec("DELETE FROM t WHERE k = 1")
	f.expect("", "SELECT k, s FROM t WHERE k = 1")
}

func TestCounters(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE c (k int PRIMARY KEY, n counter, m counter)")
	f.exec("UPDATE c SET n = n + 5 WHERE k = 0")
	f.exec("UPDATE c SET n = n - 2, m = m + 1 WHERE k = 0")
	f.exec("UPDATE c SET n += ? WHERE k = 0", 10)
	f.expect("0 1 13", "SELECT * FROM c WHERE k = 0")
	f.fail("Invalid null value for counter increment", "UPDATE c SET n = n + ? WHERE k = 0", nil)
	f.exec("BEGIN COUNTER BATCH UPDATE c SET n = n + 1 WHERE k = 0 UPDATE c SET m = m + 1 WHERE k = 1 APPLY BATCH")
	f.expect("1 1 null | 0 1 14", "SELECT k, m, n FROM c") // token order
}

func TestCollectionsBasic(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int PRIMARY KEY, l list<int>, s set<text>, m map<text, int>, fl frozen<list<int>>)")
	f.exec("INSERT INTO t (k, l, s, m, fl) VALUES (0, [3, 1, 2], {'b', 'a', 'b'}, {'y': 2, 'x': 1}, [5, 4])")
	f.expect("0 [5, 4] [3, 1, 2] {'x': 1, 'y': 2} {'a', 'b'}", "SELECT * FROM t")
	f.exec("UPDATE t SET l = l + [4], s = s - {'a'}, m['z'] = 3 WHERE k = 0")
	f.exec("UPDATE t SET l = [0] + l WHERE k = 0")
	f.exec("UPDATE t SET l[1] = 30 WHERE k = 0")
	f.exec("DELETE m['x'] FROM t WHERE k = 0")
	f.expect("[0, 30, 1, 2, 4] {'b'} {'y': 2, 'z': 3}", "SELECT l, s, m FROM t")
	f.exec("UPDATE t SET l = l - [1, 4] WHERE k = 0")
	f.expect("[0, 30, 2]", "SELECT l FROM t")
	f.fail("List index 5 out of bound, list has size 3", "UPDATE t SET l[5] = 1 WHERE k = 0")
	_, err := f.run(Options{Consistency: anyCL}, "UPDATE t SET l[0] = 1 WHERE k = 0")
	checkErr(t, "ANY", err, CodeInvalid, "Write operation require a read but consistency ANY is not supported on reads")
	f.exec("UPDATE t SET l = null, s = {} WHERE k = 0")
	f.expect("null null", "SELECT l, s FROM t")
}

func be64(b []byte) uint64 {
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	return v
}
