package main

import (
	"context"
	"fmt"
	"io"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// smokeKeyspace is dropped at the start and at the end of a smoke run, so a
// run interrupted half way does not break the next one.
const smokeKeyspace = "refnode_smoke"

// smoke runs a short round trip through the statements cassa's CQL side
// leans on most: schema changes, a write and a read, a lightweight
// transaction both ways, a logged batch, and a drop. Each step checks what
// it got, so a node that answers but misbehaves fails here.
func smoke(ctx context.Context, s *gocql.Session, out io.Writer) error {
	exec := func(stmt string, args ...any) error {
		fmt.Fprintf(out, "> %s\n", stmt)
		if err := s.Query(stmt, args...).ExecContext(ctx); err != nil {
			return fmt.Errorf("smoke: %s: %w", stmt, err)
		}
		return nil
	}
	steps := []string{
		"DROP KEYSPACE IF EXISTS " + smokeKeyspace,
		"CREATE KEYSPACE " + smokeKeyspace + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
		"CREATE TABLE " + smokeKeyspace + ".timeline (user text, posted int, body text, tags set<text>, PRIMARY KEY (user, posted)) WITH CLUSTERING ORDER BY (posted DESC)",
	}
	for _, stmt := range steps {
		if err := exec(stmt); err != nil {
			return err
		}
	}
	if err := exec("INSERT INTO "+smokeKeyspace+".timeline (user, posted, body, tags) VALUES (?, ?, ?, ?)",
		"alice", 1, "hello", []string{"a", "b"}); err != nil {
		return err
	}

	var body string
	var tags []string
	q := "SELECT body, tags FROM " + smokeKeyspace + ".timeline WHERE user = ? AND posted = ?"
	fmt.Fprintf(out, "> %s\n", q)
	if err := s.Query(q, "alice", 1).ScanContext(ctx, &body, &tags); err != nil {
		return fmt.Errorf("smoke: %s: %w", q, err)
	}
	if body != "hello" || len(tags) != 2 {
		return fmt.Errorf("smoke: read back body=%q tags=%v, want hello [a b]", body, tags)
	}

	lwt := "INSERT INTO " + smokeKeyspace + ".timeline (user, posted, body) VALUES (?, ?, ?) IF NOT EXISTS"
	for i, want := range []bool{true, false} {
		fmt.Fprintf(out, "> %s\n", lwt)
		prev := map[string]any{}
		applied, err := s.Query(lwt, "bob", 7, fmt.Sprintf("try %d", i)).MapScanCASContext(ctx, prev)
		if err != nil {
			return fmt.Errorf("smoke: %s: %w", lwt, err)
		}
		fmt.Fprintf(out, "  applied=%v %s\n", applied, format(prev))
		if applied != want {
			return fmt.Errorf("smoke: LWT attempt %d applied=%v, want %v", i+1, applied, want)
		}
	}

	b := s.Batch(gocql.LoggedBatch).
		Query("INSERT INTO "+smokeKeyspace+".timeline (user, posted, body) VALUES (?, ?, ?)", "carol", 1, "one").
		Query("INSERT INTO "+smokeKeyspace+".timeline (user, posted, body) VALUES (?, ?, ?)", "carol", 2, "two").
		Query("DELETE FROM "+smokeKeyspace+".timeline WHERE user = ? AND posted = ?", "alice", 1)
	fmt.Fprintln(out, "> BEGIN BATCH (2 inserts, 1 delete) APPLY BATCH")
	if err := b.ExecContext(ctx); err != nil {
		return fmt.Errorf("smoke: batch: %w", err)
	}

	var count int64
	q = "SELECT count(*) FROM " + smokeKeyspace + ".timeline"
	fmt.Fprintf(out, "> %s\n", q)
	if err := s.Query(q).ScanContext(ctx, &count); err != nil {
		return fmt.Errorf("smoke: %s: %w", q, err)
	}
	if count != 3 {
		return fmt.Errorf("smoke: %d rows after the batch, want 3 (bob 7, carol 1, carol 2)", count)
	}
	if err := execPrint(ctx, s, "SELECT user, posted, body FROM "+smokeKeyspace+".timeline WHERE user = 'carol'", out); err != nil {
		return fmt.Errorf("smoke: %w", err)
	}
	if err := exec("DROP KEYSPACE " + smokeKeyspace); err != nil {
		return err
	}
	fmt.Fprintln(out, "smoke: ok")
	return nil
}
