package cql_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/server"
)

// TestRetryPolicyOnInjectedFaults drives the retry policy with the errors
// a coordinator sends, injected by the embedded server per statement kind:
// what was not applied (Unavailable) is retried whatever the statement,
// what may have been applied (a read or write timeout, a lost connection)
// only when the statement is idempotent, and a lightweight transaction's
// timeout (write type CAS) never.
func TestRetryPolicyOnInjectedFaults(t *testing.T) {
	ctx := testCtx(t)
	srv, err := server.Start(ctx, server.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	db, err := cql.Open(ctx, cql.Config{Hosts: []string{srv.CQLAddr()}, MaxRetries: 2, BackoffBase: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(context.Background()) })
	for _, s := range []string{
		"CREATE KEYSPACE r WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
		"CREATE TABLE r.t (k int PRIMARY KEY, v text)",
		"CREATE TABLE r.c (k int PRIMARY KEY, n counter)",
	} {
		if err := db.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	counter := func() int64 {
		var n int64
		for row, err := range db.Query(ctx, "SELECT n FROM r.c WHERE k = 1") {
			if err != nil {
				t.Fatal(err)
			}
			if err := row.Scan(&n); err != nil {
				t.Fatal(err)
			}
		}
		return n
	}

	cases := []struct {
		name    string
		rule    server.FaultRule
		stmt    string
		retries int64 // retries the policy must make
		ok      bool  // the statement succeeds in the end
		check   func(error) bool
	}{
		{"unavailable counter update: retried though not idempotent",
			server.FaultRule{Method: server.FaultUpdate, Table: "c", Times: 2, Fail: server.FaultUnavailable},
			"UPDATE r.c SET n = n + 1 WHERE k = 1", 2, true, nil},
		{"unavailable beyond the retries",
			server.FaultRule{Method: server.FaultInsert, Times: 3, Fail: server.FaultUnavailable},
			"INSERT INTO r.t (k, v) VALUES (1, 'a')", 2, false, func(err error) bool {
				var mr *cql.MaxRetriesError
				return errors.As(err, &mr) && mr.Attempts == 3 && errors.Is(err, cassa.ErrUnavailable)
			}},
		{"read timeout: a SELECT is retried",
			server.FaultRule{Method: server.FaultSelect, Table: "t", Times: 1, Fail: server.FaultTimedOut},
			"SELECT v FROM r.t WHERE k = 1", 1, true, nil},
		{"write timeout of an idempotent insert: retried",
			server.FaultRule{Method: server.FaultInsert, Times: 1, Fail: server.FaultTimedOut},
			"INSERT INTO r.t (k, v) VALUES (2, 'b')", 1, true, nil},
		{"write timeout of a counter update: not retried",
			server.FaultRule{Method: server.FaultUpdate, Times: 1, Fail: server.FaultTimedOut},
			"UPDATE r.c SET n = n + 1 WHERE k = 1", 0, false, func(err error) bool { return errors.Is(err, cassa.ErrTimedOut) }},
		{"write timeout of a lightweight transaction (CAS): not retried",
			server.FaultRule{Serial: true, Times: 1, Fail: server.FaultTimedOut},
			"INSERT INTO r.t (k, v) VALUES (3, 'c') IF NOT EXISTS", 0, false, func(err error) bool { return errors.Is(err, cassa.ErrTimedOut) }},
		{"lost connection on a SELECT: retried",
			server.FaultRule{Method: server.FaultSelect, Table: "t", Times: 1, Drop: true},
			"SELECT v FROM r.t WHERE k = 1", 1, true, nil},
		{"lost connection on a counter update: not retried",
			server.FaultRule{Method: server.FaultUpdate, Table: "c", Times: 1, Drop: true},
			"UPDATE r.c SET n = n + 1 WHERE k = 1", 0, false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// After a dropped connection gocql needs a moment to reconnect,
			// and may mark the host down and up again after a first success:
			// wait for five successes in a row.
			deadline := time.Now().Add(20 * time.Second)
			for ok := 0; ok < 5 && time.Now().Before(deadline); {
				if db.Exec(ctx, "SELECT k FROM r.t LIMIT 1") == nil {
					ok++
				} else {
					ok = 0
				}
				time.Sleep(10 * time.Millisecond)
			}
			before, n0 := db.Stats(), counter()
			if _, err := srv.Faults().Add(tc.rule); err != nil {
				t.Fatal(err)
			}
			defer srv.Faults().Clear()
			err := db.Exec(ctx, tc.stmt)
			if retries := db.Stats().Retries - before.Retries; retries != tc.retries {
				t.Errorf("%d retries, want %d (err %v)", retries, tc.retries, err)
			}
			switch {
			case tc.ok && err != nil:
				t.Errorf("failed: %v", err)
			case !tc.ok && err == nil:
				t.Error("succeeded")
			case tc.check != nil && !tc.check(err):
				t.Errorf("error %T %v", err, err)
			}
			if tc.rule.Table == "c" || tc.stmt[:8] == "UPDATE r" {
				// A faulted attempt never applies: the counter moved once
				// if the statement succeeded, not at all otherwise.
				want := n0
				if tc.ok {
					want++
				}
				if n := counter(); n != want {
					t.Errorf("counter %d, want %d", n, want)
				}
			}
		})
	}
}
