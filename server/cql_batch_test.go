package server_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"

	"github.com/cassa-go/cassa/server"
)

// BATCH, as a statement and as the protocol's BATCH message (what gocql
// sends for a Batch), as 3.11's BatchStatement runs it: one timestamp for
// the statements that set none, all or nothing, its validation messages
// and its client warnings.

func batchFixture(t *testing.T) *gocql.Session {
	t.Helper()
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "bat")
	mustExec(t, s, "CREATE TABLE t (k int, c int, v text, PRIMARY KEY (k, c))")
	mustExec(t, s, "CREATE TABLE u (k int PRIMARY KEY, n int)")
	mustExec(t, s, "CREATE TABLE n (k int PRIMARY KEY, hits counter)")
	return s
}

// The BATCH statement, logged and unlogged, over several partitions and
// tables, with INSERT, UPDATE and DELETE.
func TestCQLBatchStatement(t *testing.T) {
	s := batchFixture(t)
	mustExec(t, s, "INSERT INTO t (k, c, v) VALUES (9, 9, 'old')")
	for _, kind := range []string{"", "UNLOGGED "} {
		mustExec(t, s, "TRUNCATE u")
		mustExec(t, s, "BEGIN "+kind+"BATCH "+
			"INSERT INTO t (k, c, v) VALUES (1, 1, 'a'); "+
			"INSERT INTO t (k, c, v) VALUES (2, 1, 'b'); "+
			"UPDATE u SET n = 5 WHERE k = 1; "+
			"DELETE FROM t WHERE k = 9 AND c = 9; "+
			"APPLY BATCH")
		mustRows(t, s, [][]any{{1, "a"}, {2, "b"}}, "SELECT k, v FROM t WHERE k IN (1, 2, 9)")
		mustRows(t, s, [][]any{{5}}, "SELECT n FROM u WHERE k = 1")
	}
	// Statements of one batch share its timestamp, unless they set one.
	mustExec(t, s, "BEGIN BATCH INSERT INTO t (k, c, v) VALUES (3, 1, 'x'); "+
		"INSERT INTO t (k, c, v) VALUES (3, 2, 'y') USING TIMESTAMP 5; APPLY BATCH")
	_, rows := selectRows(t, s, "SELECT writetime(v) FROM t WHERE k = 3")
	if len(rows) != 2 || rows[1][0] != int64(5) || rows[0][0].(int64) <= 5 {
		t.Errorf("timestamps: %v", rows)
	}
	// Within a batch, the later of two writes of a cell at one timestamp is
	// not the winner: reconciliation is (the greater value wins).
	mustExec(t, s, "BEGIN BATCH UPDATE u SET n = 9 WHERE k = 2; UPDATE u SET n = 3 WHERE k = 2; APPLY BATCH")
	mustRows(t, s, [][]any{{9}}, "SELECT n FROM u WHERE k = 2")
	mustExec(t, s, "BEGIN COUNTER BATCH UPDATE n SET hits = hits + 1 WHERE k = 1; UPDATE n SET hits = hits + 2 WHERE k = 1; APPLY BATCH")
	mustRows(t, s, [][]any{{int64(3)}}, "SELECT hits FROM n WHERE k = 1")
	// Bind markers across the statements of a batch.
	mustExec(t, s, "BEGIN BATCH INSERT INTO t (k, c, v) VALUES (?, ?, ?); UPDATE u SET n = ? WHERE k = ?; APPLY BATCH",
		4, 1, "m", 44, 4)
	mustRows(t, s, [][]any{{"m"}}, "SELECT v FROM t WHERE k = 4")
	mustRows(t, s, [][]any{{44}}, "SELECT n FROM u WHERE k = 4")

	cases := []struct{ msg, stmt string }{
		{"Global TTL on the BATCH statement is not supported.", "BEGIN BATCH USING TTL 5 INSERT INTO u (k, n) VALUES (1, 1); APPLY BATCH"},
		{"Timestamp must be set either on BATCH or individual statements",
			"BEGIN BATCH USING TIMESTAMP 5 INSERT INTO u (k, n) VALUES (1, 1) USING TIMESTAMP 6; APPLY BATCH"},
		{"Cannot include a counter statement in a logged batch", "BEGIN BATCH UPDATE n SET hits = hits + 1 WHERE k = 1; APPLY BATCH"},
		{"Cannot include non-counter statement in a counter batch", "BEGIN COUNTER BATCH INSERT INTO u (k, n) VALUES (1, 1); APPLY BATCH"},
		{"Counter and non-counter mutations cannot exist in the same batch",
			"BEGIN UNLOGGED BATCH UPDATE n SET hits = hits + 1 WHERE k = 1; INSERT INTO u (k, n) VALUES (1, 1); APPLY BATCH"},
		{"Cannot provide custom timestamp for counter BATCH", "BEGIN COUNTER BATCH USING TIMESTAMP 5 UPDATE n SET hits = hits + 1 WHERE k = 1; APPLY BATCH"},
		{"unconfigured table nope", "BEGIN BATCH INSERT INTO nope (k) VALUES (1); APPLY BATCH"},
	}
	for _, c := range cases {
		expectError(t, s, 0x2200, c.msg, c.stmt)
	}
}

// gocql's Batch is the protocol's BATCH message: each statement prepared
// (by gocql) and sent by ID with its own values (BatchMessage.execute).
func TestCQLBatchMessage(t *testing.T) {
	s := batchFixture(t)
	for _, typ := range []gocql.BatchType{gocql.LoggedBatch, gocql.UnloggedBatch} {
		b := s.Batch(typ)
		for k := 0; k < 3; k++ {
			b.Query("INSERT INTO t (k, c, v) VALUES (?, ?, ?)", k, int(typ), fmt.Sprint("v", k))
		}
		b.Query("UPDATE u SET n = ? WHERE k = ?", int(typ), 7)
		b.Query("DELETE FROM t WHERE k = ? AND c = ?", 2, int(typ))
		if err := b.Exec(); err != nil {
			t.Fatalf("batch type %d: %v", typ, err)
		}
		mustRows(t, s, [][]any{{0, "v0"}, {1, "v1"}}, "SELECT k, v FROM t WHERE k IN (0, 1, 2) AND c = ?", int(typ))
		mustRows(t, s, [][]any{{int(typ)}}, "SELECT n FROM u WHERE k = 7")
	}
	// The protocol's default timestamp is the batch's.
	b := s.Batch(gocql.UnloggedBatch).WithTimestamp(1234)
	b.Query("INSERT INTO t (k, c, v) VALUES (?, ?, ?)", 5, 1, "ts")
	b.Query("INSERT INTO t (k, c, v) VALUES (?, ?, ?) USING TIMESTAMP 99", 5, 2, "own")
	if err := b.Exec(); err != nil {
		t.Fatal(err)
	}
	mustRows(t, s, [][]any{{int64(1234)}, {int64(99)}}, "SELECT writetime(v) FROM t WHERE k = 5")
	// Counter batches.
	cb := s.Batch(gocql.CounterBatch)
	cb.Query("UPDATE n SET hits = hits + ? WHERE k = ?", int64(4), 3)
	cb.Query("UPDATE n SET hits = hits + ? WHERE k = ?", int64(5), 3)
	if err := cb.Exec(); err != nil {
		t.Fatal(err)
	}
	mustRows(t, s, [][]any{{int64(9)}}, "SELECT hits FROM n WHERE k = 3")

	// All or nothing: the second statement fails at execution, the first
	// is not applied.
	b = s.Batch(gocql.LoggedBatch)
	b.Query("INSERT INTO t (k, c, v) VALUES (?, ?, ?)", 6, 1, "never")
	b.Query("INSERT INTO t (k, c, v) VALUES (?, ?, ?)", nil, 1, "null key")
	err := b.Exec()
	if re := requestError(t, err); re.Code() != 0x2200 || re.Message() != "Invalid null value in condition for column k" {
		t.Errorf("null key in a batch: %#x %q", re.Code(), re.Message())
	}
	mustRows(t, s, nil, "SELECT v FROM t WHERE k = 6")
}

// The client warnings of BatchStatement.verifyBatchSize and
// verifyBatchType, and its failure threshold (cassandra.yaml defaults:
// warn at 5 KiB, fail at 50 KiB, unlogged over more than 10 partitions).
// gocql drops the warnings of a Void result, so the frames are read raw.
func TestCQLBatchWarnings(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "bat")
	mustExec(t, s, "CREATE TABLE t (k int, c int, v text, PRIMARY KEY (k, c))")
	mustExec(t, s, "CREATE TABLE u (k int PRIMARY KEY, n int)")
	c := dialNative(t, srv.CQLAddr(), nil)
	warnings := func(q string) []string {
		t.Helper()
		f := c.send(&message.Query{Query: q, Options: &message.QueryOptions{Consistency: primitive.ConsistencyLevelOne}})
		if _, ok := f.Body.Message.(*message.VoidResult); !ok {
			t.Fatalf("%.60s: %v", q, f.Body.Message)
		}
		return f.Body.Warnings
	}

	var q strings.Builder
	q.WriteString("BEGIN UNLOGGED BATCH ")
	for k := 0; k < 11; k++ {
		fmt.Fprintf(&q, "INSERT INTO bat.u (k, n) VALUES (%d, %d); ", k, k)
	}
	q.WriteString("APPLY BATCH")
	want := "Unlogged batch covering 11 partitions detected against table [bat.u]. " +
		"You should use a logged batch for atomicity, or asynchronous writes for performance."
	if got := warnings(q.String()); !reflect.DeepEqual(got, []string{want}) {
		t.Errorf("unlogged warning: %q", got)
	}

	big := strings.Repeat("x", 3000)
	got := warnings(fmt.Sprintf("BEGIN BATCH INSERT INTO bat.t (k, c, v) VALUES (1, 1, '%s'); INSERT INTO bat.t (k, c, v) VALUES (2, 1, '%s'); APPLY BATCH", big, big))
	// Two cells of 3000 bytes, each with 16 bytes of timestamp, TTL and
	// local deletion time, and 4 bytes of clustering value per row
	// (PartitionUpdate.dataSize).
	if len(got) != 1 || got[0] != "Batch for [bat.t] is of size 6040, exceeding specified threshold of 5120 by 920." {
		t.Errorf("size warning: %q", got)
	}
	// One partition: no size check (verifyBatchSize needs more than one
	// mutation).
	if got := warnings(fmt.Sprintf("BEGIN BATCH INSERT INTO bat.t (k, c, v) VALUES (1, 1, '%s'); INSERT INTO bat.t (k, c, v) VALUES (1, 2, '%s'); APPLY BATCH", big, big)); len(got) != 0 {
		t.Errorf("one partition: %q", got)
	}

	huge := strings.Repeat("x", 30000)
	b := s.Batch(gocql.LoggedBatch)
	b.Query("INSERT INTO t (k, c, v) VALUES (?, ?, ?)", 3, 1, huge)
	b.Query("INSERT INTO t (k, c, v) VALUES (?, ?, ?)", 4, 1, huge)
	if re := requestError(t, b.Exec()); re.Code() != 0x2200 || re.Message() != "Batch too large" {
		t.Errorf("too large: %#x %q", re.Code(), re.Message())
	}
	mustRows(t, s, nil, "SELECT v FROM t WHERE k IN (3, 4)")
}
