package server_test

import (
	"strings"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"

	"github.com/cassa-go/cassa/server"
)

// The protocol's BATCH message (BatchMessage, BatchStatement): logged,
// unlogged and counter rules with 3.11's messages, and the client warnings
// of verifyBatchSize and verifyBatchType and the gc_grace_seconds check on
// BATCH messages (BEGIN BATCH texts are checked with the other CQL
// statements).

func TestCQLBatchMessageRules(t *testing.T) {
	_, s := lwtSession(t, server.Config{})
	mustExec(t, s, "CREATE TABLE t (k int, c int, v text, PRIMARY KEY (k, c))")
	mustExec(t, s, "CREATE TABLE cnt (k int PRIMARY KEY, n counter)")
	batch := func(typ gocql.BatchType, stmts ...string) error {
		b := s.NewBatch(typ)
		for _, st := range stmts {
			b.Query(st)
		}
		return s.ExecuteBatch(b)
	}
	check := func(err error, msg string) {
		t.Helper()
		if re := requestError(t, err); re.Code() != gocql.ErrCodeInvalid || re.Message() != msg {
			t.Errorf("got %#x %q, want %q", re.Code(), re.Message(), msg)
		}
	}
	check(batch(gocql.LoggedBatch, "UPDATE cnt SET n = n + 1 WHERE k = 0"), "Cannot include a counter statement in a logged batch")
	check(batch(gocql.CounterBatch, "INSERT INTO t (k, c, v) VALUES (0, 0, 'a')"), "Cannot include non-counter statement in a counter batch")
	check(batch(gocql.UnloggedBatch, "UPDATE cnt SET n = n + 1 WHERE k = 0", "INSERT INTO t (k, c, v) VALUES (0, 0, 'a')"),
		"Counter and non-counter mutations cannot exist in the same batch")
	check(batch(gocql.LoggedBatch, "SELECT * FROM t"), "Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.")
	expectError(t, s, gocql.ErrCodeInvalid, "Global TTL on the BATCH statement is not supported.",
		"BEGIN BATCH USING TTL 5 INSERT INTO t (k, c, v) VALUES (0, 0, 'a'); APPLY BATCH")
	expectError(t, s, gocql.ErrCodeInvalid, "Timestamp must be set either on BATCH or individual statements",
		"BEGIN BATCH USING TIMESTAMP 5 INSERT INTO t (k, c, v) VALUES (0, 0, 'a') USING TIMESTAMP 6; APPLY BATCH")
	expectError(t, s, gocql.ErrCodeInvalid, "Cannot provide custom timestamp for counter BATCH",
		"BEGIN COUNTER BATCH USING TIMESTAMP 5 UPDATE cnt SET n = n + 1 WHERE k = 0; APPLY BATCH")
	// Counter batches add up; a batch is one timestamp for all.
	if err := batch(gocql.CounterBatch, "UPDATE cnt SET n = n + 1 WHERE k = 0", "UPDATE cnt SET n = n + 2 WHERE k = 0"); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := s.Query("SELECT n FROM cnt WHERE k = 0").Scan(&n); err != nil || n != 3 {
		t.Errorf("counter batch: %d %v", n, err)
	}
	if err := batch(gocql.LoggedBatch, "INSERT INTO t (k, c, v) VALUES (1, 0, 'a')", "INSERT INTO t (k, c, v) VALUES (1, 0, 'b')"); err != nil {
		t.Fatal(err)
	}
	var v string
	if err := s.Query("SELECT v FROM t WHERE k = 1 AND c = 0").Scan(&v); err != nil || v != "b" {
		t.Errorf("same timestamp, larger value wins: %q %v", v, err)
	}
}

func TestCQLBatchMessageWarnings(t *testing.T) {
	srv, s := lwtSession(t, server.Config{})
	mustExec(t, s, "CREATE TABLE t (k int, c int, v text, PRIMARY KEY (k, c))")
	mustExec(t, s, "CREATE TABLE z (k int PRIMARY KEY, v int) WITH gc_grace_seconds = 0")
	// gocql does not hand out the warnings of a BATCH answered Void: read
	// them off the wire.
	nc := dialNative(t, srv.CQLAddr(), nil)
	nc.query("USE ks")
	int32v := func(n int) *primitive.Value {
		return primitive.NewValue([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	}
	text := func(v string) *primitive.Value { return primitive.NewValue([]byte(v)) }
	warnings := func(typ primitive.BatchType, stmts []string, values [][]*primitive.Value) ([]string, message.Message) {
		t.Helper()
		b := &message.Batch{Type: typ, Consistency: primitive.ConsistencyLevelOne}
		for i, st := range stmts {
			b.Children = append(b.Children, &message.BatchChild{Query: st, Values: values[i]})
		}
		f := nc.send(b)
		return f.Body.Warnings, f.Body.Message
	}
	big := strings.Repeat("x", 3000)
	ins := "INSERT INTO t (k, c, v) VALUES (?, 0, ?)"
	// Over 5 KiB across two partitions: a warning with raw byte counts.
	w, _ := warnings(primitive.BatchTypeLogged, []string{ins, ins}, [][]*primitive.Value{{int32v(1), text(big)}, {int32v(2), text(big)}})
	if want := "Batch for [ks.t] is of size 6040, exceeding specified threshold of 5120 by 920."; len(w) != 1 || w[0] != want {
		t.Errorf("size warning %q, want %q", w, want)
	}
	// One partition: never checked.
	w, _ = warnings(primitive.BatchTypeLogged, []string{ins, "INSERT INTO t (k, c, v) VALUES (?, 1, ?)"},
		[][]*primitive.Value{{int32v(1), text(big)}, {int32v(1), text(big)}})
	if len(w) != 0 {
		t.Errorf("one partition: %q", w)
	}
	// Over 50 KiB: refused.
	huge := strings.Repeat("x", 26*1024)
	_, m := warnings(primitive.BatchTypeLogged, []string{ins, ins}, [][]*primitive.Value{{int32v(1), text(huge)}, {int32v(2), text(huge)}})
	if e, ok := m.(*message.Invalid); !ok || e.ErrorMessage != "Batch too large" {
		t.Errorf("huge batch: %v", m)
	}
	// An unlogged batch over more than 10 partitions.
	var stmts []string
	var values [][]*primitive.Value
	for k := 0; k < 11; k++ {
		stmts, values = append(stmts, "INSERT INTO t (k, c, v) VALUES (?, 0, 'v')"), append(values, []*primitive.Value{int32v(k)})
	}
	w, _ = warnings(primitive.BatchTypeUnlogged, stmts, values)
	if want := "Unlogged batch covering 11 partitions detected against table [ks.t]. You should use a logged batch for atomicity, or asynchronous writes for performance."; len(w) != 1 || w[0] != want {
		t.Errorf("unlogged warning %q", w)
	}
	if w, _ := warnings(primitive.BatchTypeLogged, stmts, values); len(w) != 0 {
		t.Errorf("logged batch over 11 partitions: %q", w)
	}
	// A logged batch on a table with gc_grace_seconds = 0.
	w, _ = warnings(primitive.BatchTypeLogged, []string{"INSERT INTO z (k, v) VALUES (1, 1)"}, [][]*primitive.Value{nil})
	if want := "Executing a LOGGED BATCH on table [ks.z], configured with a gc_grace_seconds of 0. The gc_grace_seconds is used to TTL batchlog entries, so setting gc_grace_seconds too low on tables involved in an atomic batch might cause batchlog entries to expire before being replayed."; len(w) != 1 || w[0] != want {
		t.Errorf("gc_grace warning %q", w)
	}
	// A BEGIN BATCH text answers the same, and gocql shows it.
	iter := s.Query("BEGIN BATCH INSERT INTO t (k, c, v) VALUES (1, 0, ?); INSERT INTO t (k, c, v) VALUES (2, 0, ?); APPLY BATCH", big, big).Iter()
	if w := iter.Warnings(); len(w) != 1 || w[0] != "Batch for [ks.t] is of size 6040, exceeding specified threshold of 5120 by 920." {
		t.Errorf("text batch warnings %q", w)
	}
	iter.Close()
}
