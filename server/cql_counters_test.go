package server_test

import (
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// Counter tables (CounterColumnType, ModificationStatement.validate,
// BatchStatement): increments and decrements, counter batches, and 3.11's
// refusals.
func TestCQLCounterTables(t *testing.T) {
	_, s := typesSession(t)
	mustExec(t, s, "CREATE TABLE c (k int, c int, n counter, m counter, PRIMARY KEY (k, c))")
	mustExec(t, s, "UPDATE c SET n = n + 5 WHERE k = 0 AND c = 0")
	mustExec(t, s, "UPDATE c SET n = n - 2, m = m + 1 WHERE k = 0 AND c = 0")
	mustExec(t, s, "UPDATE c SET n += ?, m -= ? WHERE k = 0 AND c = 0", 10, 3)
	var n, m int64
	if err := s.Query("SELECT n, m FROM c WHERE k = 0 AND c = 0").Scan(&n, &m); err != nil || n != 13 || m != -2 {
		t.Errorf("n, m = %d, %d, %v", n, m, err)
	}
	b := s.Batch(gocql.CounterBatch)
	b.Query("UPDATE c SET n = n + 1 WHERE k = 0 AND c = 0")
	b.Query("UPDATE c SET n = n + 1 WHERE k = 1 AND c = 0")
	if err := s.ExecuteBatch(b); err != nil {
		t.Fatal(err)
	}
	expectText(t, s, `{"k": 1, "n": 1} | {"k": 0, "n": 14}`, "SELECT JSON k, n FROM c")
	mustExec(t, s, "DELETE n FROM c WHERE k = 1 AND c = 0")
	expectText(t, s, "", "SELECT JSON k, n FROM c WHERE k = 1")
	mustExec(t, s, "CREATE TABLE plain (k int PRIMARY KEY, v int)")
	for _, tt := range []struct {
		code   int
		q, msg string
	}{
		{0x2200, "INSERT INTO c (k, c, n) VALUES (0, 0, 1)", "INSERT statements are not allowed on counter tables, use UPDATE instead"},
		{0x2200, "UPDATE c SET n = 1 WHERE k = 0 AND c = 0", "Cannot set the value of counter column n (counters can only be incremented/decremented, not set)"},
		{0x2200, "UPDATE c USING TTL 10 SET n = n + 1 WHERE k = 0 AND c = 0", "Cannot provide custom TTL for counter updates"},
		{0x2200, "UPDATE c USING TIMESTAMP 10 SET n = n + 1 WHERE k = 0 AND c = 0", "Cannot provide custom timestamp for counter updates"},
		{0x2200, "UPDATE c SET n = null WHERE k = 0 AND c = 0", "Invalid null value for counter increment/decrement"},
		{0x2200, "UPDATE c SET n = n - -9223372036854775808 WHERE k = 0 AND c = 0", "The negation of -9223372036854775808 overflows supported counter precision (signed 8 bytes integer)"},
		{0x2200, "UPDATE plain SET v = v + 1 WHERE k = 0", "Invalid operation (v = v + 1) for non counter column v"},
		{0x2200, "CREATE TABLE mixed (k int PRIMARY KEY, n counter, v int)", "Cannot mix counter and non counter columns in the same table"},
		{0x2200, "CREATE TABLE keyed (k counter PRIMARY KEY, n counter)", "counter type is not supported for PRIMARY KEY part k"},
		{0x2200, "CREATE TABLE ttl (k int PRIMARY KEY, n counter) WITH default_time_to_live = 5", "Cannot set default_time_to_live on a table with counters"},
		{0x2200, "BEGIN BATCH UPDATE c SET n = n + 1 WHERE k = 0 AND c = 0 APPLY BATCH", "Cannot include a counter statement in a logged batch"},
		{0x2200, "BEGIN COUNTER BATCH UPDATE plain SET v = 1 WHERE k = 0 APPLY BATCH", "Cannot include non-counter statement in a counter batch"},
		{0x2200, "BEGIN UNLOGGED BATCH UPDATE c SET n = n + 1 WHERE k = 0 AND c = 0 UPDATE plain SET v = 1 WHERE k = 0 APPLY BATCH", "Counter and non-counter mutations cannot exist in the same batch"},
	} {
		expectError(t, s, tt.code, tt.msg, tt.q)
	}
	expectInvalid(t, s, "Invalid null value for counter increment", "UPDATE c SET n = n + ? WHERE k = 0 AND c = 0", nil)
	err := s.Query("UPDATE c SET n = n + 1 WHERE k = 0 AND c = 0").Consistency(gocql.Any).Exec()
	if re := requestError(t, err); re.Message() != "Consistency level ANY is not yet supported for counter table c" {
		t.Errorf("ANY: %v", err)
	}
}

// Static columns (CASSANDRA-6561): shared by the rows of a partition,
// written without clustering, kept by row deletions, removed by partition
// deletions; a partition with only statics gives one row.
func TestCQLStaticColumns(t *testing.T) {
	_, s := typesSession(t)
	mustExec(t, s, "CREATE TABLE st (k int, c int, v int, s text static, PRIMARY KEY (k, c))")
	mustExec(t, s, "INSERT INTO st (k, s) VALUES (0, 'shared')")
	expectText(t, s, `{"k": 0, "c": null, "s": "shared", "v": null}`, "SELECT JSON * FROM st")
	mustExec(t, s, "INSERT INTO st (k, c, v) VALUES (0, 1, 1)")
	mustExec(t, s, "INSERT INTO st (k, c, v, s) VALUES (0, 2, 2, 'again')")
	expectText(t, s, `{"c": 1, "s": "again"} | {"c": 2, "s": "again"}`, "SELECT JSON c, s FROM st WHERE k = 0")
	expectText(t, s, `{"k": 0, "s": "again"}`, "SELECT JSON DISTINCT k, s FROM st")
	mustExec(t, s, "DELETE FROM st WHERE k = 0 AND c = 1")
	mustExec(t, s, "DELETE FROM st WHERE k = 0 AND c = 2")
	expectText(t, s, `{"k": 0, "c": null, "s": "again", "v": null}`, "SELECT JSON * FROM st")
	expectText(t, s, "", "SELECT JSON * FROM st WHERE k = 0 AND c = 1")
	mustExec(t, s, "UPDATE st SET s = 'u' WHERE k = 1")
	mustExec(t, s, "DELETE FROM st WHERE k = 1")
	expectText(t, s, "", "SELECT JSON * FROM st WHERE k = 1")
	for _, tt := range []struct{ q, msg string }{
		{"UPDATE st SET s = 'x' WHERE k = 0 AND c = 1", "Invalid restrictions on clustering columns since the UPDATE statement modifies only static columns"},
		{"DELETE s FROM st WHERE k = 0 AND c = 1", "Invalid restrictions on clustering columns since the DELETE statement modifies only static columns"},
		{"SELECT DISTINCT k, v FROM st", "SELECT DISTINCT queries must only request partition key columns and/or static columns (not v)"},
		{"CREATE TABLE nostatic (k int PRIMARY KEY, s int static)", "Static columns are only useful (and thus allowed) if the table has at least one clustering column"},
	} {
		expectInvalid(t, s, tt.msg, tt.q)
	}
}

// Timestamps and TTLs (Attributes, UpdateParameters): USING TIMESTAMP and
// TTL, the client's default timestamp, default_time_to_live, TTL 0,
// writetime() and ttl(), and the refusals.
func TestCQLTimestampsAndTTL(t *testing.T) {
	_, s := typesSession(t)
	mustExec(t, s, "CREATE TABLE tt (k int PRIMARY KEY, v int, w int) WITH default_time_to_live = 1000")
	mustExec(t, s, "INSERT INTO tt (k, v) VALUES (0, 1) USING TIMESTAMP 100")
	mustExec(t, s, "INSERT INTO tt (k, v) VALUES (0, 2) USING TIMESTAMP 50")
	var v, ttl int
	var wt int64
	if err := s.Query("SELECT v, writetime(v), ttl(v) FROM tt WHERE k = 0").Scan(&v, &wt, &ttl); err != nil || v != 1 || wt != 100 || ttl < 990 || ttl > 1000 {
		t.Errorf("v %d writetime %d ttl %d: %v", v, wt, ttl, err)
	}
	mustExec(t, s, "INSERT INTO tt (k, v) VALUES (1, 1) USING TTL 0")
	expectText(t, s, "null", "SELECT CAST(ttl(v) AS text) FROM tt WHERE k = 1")
	mustExec(t, s, "INSERT INTO tt (k, v) VALUES (2, 1) USING TTL ? AND TIMESTAMP ?", 50, 77)
	// ttl() counts down on the wall clock: 49 when a second boundary falls
	// between the write and the read.
	if got := text(t, s, "SELECT JSON ttl(v), writetime(v) FROM tt WHERE k = 2"); got != `{"ttl(v)": 50, "writetime(v)": 77}` && got != `{"ttl(v)": 49, "writetime(v)": 77}` {
		t.Errorf("ttl and writetime as JSON: %s", got)
	}
	// The driver's default timestamp is the write's.
	q := s.Query("INSERT INTO tt (k, w) VALUES (3, 3)").WithTimestamp(4242)
	if err := q.Exec(); err != nil {
		t.Fatal(err)
	}
	expectText(t, s, "4242", "SELECT CAST(writetime(w) AS text) FROM tt WHERE k = 3")
	// Server timestamps are the clock's, in microseconds.
	before := time.Now().UnixMicro()
	mustExec(t, s, "INSERT INTO tt (k, w) VALUES (4, 4)")
	if err := s.Query("SELECT writetime(w) FROM tt WHERE k = 4").Scan(&wt); err != nil || wt < before || wt > time.Now().UnixMicro() {
		t.Errorf("server writetime %d not in [%d, now]: %v", wt, before, err)
	}
	for _, tt := range []struct{ q, msg string }{
		{"INSERT INTO tt (k, v) VALUES (5, 1) USING TTL -5", "A TTL must be greater or equal to 0, but was -5"},
		{"INSERT INTO tt (k, v) VALUES (5, 1) USING TTL 700000000", "ttl is too large. requested (700000000) maximum (630720000)"},
		{"SELECT writetime(k) FROM tt", "Cannot use selection function writeTime on PRIMARY KEY part k"},
		{"SELECT ttl(k) FROM tt", "Cannot use selection function ttl on PRIMARY KEY part k"},
	} {
		err := s.Query(tt.q).Exec()
		if re := requestError(t, err); re.Message() != tt.msg {
			t.Errorf("%s:\n got %q\nwant %q", tt.q, re.Message(), tt.msg)
		}
	}
	expectInvalid(t, s, "Invalid null value of timestamp", "INSERT INTO tt (k, v) VALUES (5, 1) USING TIMESTAMP ?", nil)
}
