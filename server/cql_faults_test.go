package server_test

import (
	"errors"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Fault injection reaches CQL statements with the error bodies a 3.11
// coordinator sends (StorageProxy: ReadTimeoutException,
// WriteTimeoutException with its WriteType, UnavailableException), and
// gocql surfaces each as its typed error.
func TestCQLFaultsTypedErrors(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "flt")
	mustExec(t, s, "CREATE TABLE t (k int PRIMARY KEY, v text)")
	mustExec(t, s, "CREATE TABLE c (k int PRIMARY KEY, n counter)")
	mustExec(t, s, "CREATE KEYSPACE flt3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}")
	mustExec(t, s, "CREATE TABLE flt3.t (k int PRIMARY KEY, v text)")
	f := srv.Faults()
	add := func(r server.FaultRule) server.FaultID {
		t.Helper()
		id, err := f.Add(r)
		must(t, err)
		return id
	}

	t.Run("read timeout", func(t *testing.T) {
		add(server.FaultRule{Method: server.FaultSelect, Times: 1, Fail: server.FaultTimedOut})
		err := s.Query("SELECT * FROM t WHERE k = 1").Consistency(gocql.One).Exec()
		var rt *gocql.RequestErrReadTimeout
		if !errors.As(err, &rt) {
			t.Fatalf("got %T %v", err, err)
		}
		if rt.Consistency != gocql.One || rt.Received != 0 || rt.BlockFor != 1 || rt.DataPresent != 0 ||
			rt.Message() != "Operation timed out - received only 0 responses." {
			t.Errorf("body %+v %q", rt, rt.Message())
		}
		mustExec(t, s, "SELECT * FROM t WHERE k = 1") // used up
	})

	t.Run("read timeout body from the rule, QUORUM of three", func(t *testing.T) {
		add(server.FaultRule{Method: server.FaultSelect, Keyspace: "flt3", Times: 1, Fail: server.FaultTimedOut, Received: 1, DataPresent: true})
		mustExec(t, s, "SELECT * FROM t WHERE k = 1") // another keyspace: untouched
		err := s.Query("SELECT * FROM flt3.t WHERE k = 1").Consistency(gocql.Quorum).Exec()
		var rt *gocql.RequestErrReadTimeout
		if !errors.As(err, &rt) || rt.Consistency != gocql.Quorum || rt.Received != 1 || rt.BlockFor != 2 || rt.DataPresent != 1 {
			t.Fatalf("got %T %+v", err, err)
		}
	})

	writeTimeout := func(t *testing.T, err error, cl gocql.Consistency, writeType string) {
		t.Helper()
		var wt *gocql.RequestErrWriteTimeout
		if !errors.As(err, &wt) {
			t.Fatalf("got %T %v", err, err)
		}
		if wt.Consistency != cl || wt.Received != 0 || wt.BlockFor != 1 || wt.WriteType != writeType {
			t.Errorf("body %v %d %d %q, want %v %s", wt.Consistency, wt.Received, wt.BlockFor, wt.WriteType, cl, writeType)
		}
	}
	// gocql's default consistency is QUORUM: one replica of one.
	t.Run("write timeouts by write type", func(t *testing.T) {
		id := add(server.FaultRule{Protocol: server.FaultCQL, Fail: server.FaultTimedOut})
		writeTimeout(t, s.Query("INSERT INTO t (k, v) VALUES (1, 'a')").Exec(), gocql.Quorum, "SIMPLE")
		writeTimeout(t, s.Query("UPDATE t SET v = 'b' WHERE k = 1").Consistency(gocql.All).Exec(), gocql.All, "SIMPLE")
		writeTimeout(t, s.Query("DELETE FROM t WHERE k = 1").Exec(), gocql.Quorum, "SIMPLE")
		writeTimeout(t, s.Query("UPDATE c SET n = n + 1 WHERE k = 1").Exec(), gocql.Quorum, "COUNTER")
		writeTimeout(t, s.Query("INSERT INTO t (k, v) VALUES (1, 'a') IF NOT EXISTS").Exec(), gocql.Serial, "CAS")
		writeTimeout(t, s.Query("UPDATE t SET v = 'b' WHERE k = 1 IF v = 'a'").SerialConsistency(gocql.LocalSerial).Exec(), gocql.LocalSerial, "CAS")
		writeTimeout(t, s.Query("BEGIN BATCH INSERT INTO t (k, v) VALUES (1, 'a'); APPLY BATCH").Exec(), gocql.Quorum, "BATCH")
		b := s.Batch(gocql.LoggedBatch)
		b.Query("INSERT INTO t (k, v) VALUES (?, ?)", 1, "a")
		writeTimeout(t, b.Exec(), gocql.Quorum, "BATCH")
		b = s.Batch(gocql.UnloggedBatch)
		b.Query("INSERT INTO t (k, v) VALUES (?, ?)", 1, "a")
		writeTimeout(t, b.Exec(), gocql.Quorum, "UNLOGGED_BATCH")
		b = s.Batch(gocql.CounterBatch)
		b.Query("UPDATE c SET n = n + 1 WHERE k = 1")
		writeTimeout(t, b.Exec(), gocql.Quorum, "COUNTER")
		b = s.Batch(gocql.LoggedBatch)
		b.Query("INSERT INTO t (k, v) VALUES (1, 'a') IF NOT EXISTS")
		writeTimeout(t, b.Exec(), gocql.Serial, "CAS")
		// A SELECT at SERIAL is a Paxos read: ReadTimeout at SERIAL.
		var rt *gocql.RequestErrReadTimeout
		if err := s.Query("SELECT * FROM t WHERE k = 1").Consistency(gocql.Serial).Exec(); !errors.As(err, &rt) || rt.Consistency != gocql.Serial {
			t.Errorf("serial read: %T %v", err, err)
		}
		var te *gocql.RequestErrTruncate
		if err := s.Query("TRUNCATE t").Exec(); !errors.As(err, &te) {
			t.Errorf("truncate: %T %v", err, err)
		}
		var se gocql.RequestError
		if err := s.Query("CREATE TABLE nope (k int PRIMARY KEY)").Exec(); !errors.As(err, &se) || se.Code() != gocql.ErrCodeServer {
			t.Errorf("schema statement: %T %v", err, err)
		}
		f.Remove(id)
		// A rule's WriteType replaces the statement's.
		add(server.FaultRule{Method: server.FaultBatch, Times: 1, Fail: server.FaultTimedOut, WriteType: "BATCH_LOG"})
		writeTimeout(t, s.Query("BEGIN BATCH INSERT INTO t (k, v) VALUES (1, 'a'); APPLY BATCH").Exec(), gocql.Quorum, "BATCH_LOG")
	})

	t.Run("unavailable", func(t *testing.T) {
		id := add(server.FaultRule{Protocol: server.FaultCQL, Table: "t", Fail: server.FaultUnavailable})
		for _, q := range []struct {
			stmt     string
			cl       gocql.Consistency
			required int
		}{
			{"SELECT * FROM t WHERE k = 1", gocql.One, 1},
			{"INSERT INTO t (k, v) VALUES (1, 'a')", gocql.Quorum, 1},
			{"SELECT * FROM flt3.t WHERE k = 1", gocql.Quorum, 2},
			{"INSERT INTO flt3.t (k, v) VALUES (1, 'a')", gocql.All, 3},
		} {
			err := s.Query(q.stmt).Consistency(q.cl).Exec()
			var ue *gocql.RequestErrUnavailable
			if !errors.As(err, &ue) || ue.Consistency != q.cl || ue.Required != q.required || ue.Alive != q.required-1 ||
				ue.Message() != "Cannot achieve consistency level "+q.cl.String() {
				t.Errorf("%s: %T %+v", q.stmt, err, err)
			}
		}
		mustExec(t, s, "UPDATE c SET n = n + 1 WHERE k = 1") // table c: untouched
		// A lightweight transaction is unavailable at its serial level.
		err := s.Query("UPDATE t SET v = 'b' WHERE k = 1 IF EXISTS").Exec()
		var ue *gocql.RequestErrUnavailable
		if !errors.As(err, &ue) || ue.Consistency != gocql.Serial {
			t.Errorf("LWT: %T %v", err, err)
		}
		f.Remove(id)
	})

	t.Run("serial only", func(t *testing.T) {
		id := add(server.FaultRule{Serial: true, Fail: server.FaultUnavailable})
		mustExec(t, s, "INSERT INTO t (k, v) VALUES (2, 'x')")
		mustExec(t, s, "SELECT * FROM t WHERE k = 2")
		var ue *gocql.RequestErrUnavailable
		if err := s.Query("DELETE FROM t WHERE k = 2 IF EXISTS").Exec(); !errors.As(err, &ue) {
			t.Errorf("conditional delete: %T %v", err, err)
		}
		f.Remove(id)
	})

	t.Run("prepared statements", func(t *testing.T) {
		// gocql prepares first; the fault fires on the EXECUTE.
		mustExec(t, s, "INSERT INTO t (k, v) VALUES (?, ?)", 3, "p")
		add(server.FaultRule{Method: server.FaultInsert, Times: 1, Fail: server.FaultTimedOut})
		writeTimeout(t, s.Query("INSERT INTO t (k, v) VALUES (?, ?)", 3, "q").Exec(), gocql.Quorum, "SIMPLE")
		mustRows(t, s, [][]any{{"p"}}, "SELECT v FROM t WHERE k = ?", 3)
	})

	t.Run("Thrift rules leave CQL alone", func(t *testing.T) {
		id := add(server.FaultRule{Protocol: server.FaultThrift, Fail: server.FaultTimedOut})
		mustExec(t, s, "SELECT * FROM t WHERE k = 1")
		f.Remove(id)
	})
}

// A Drop rule closes the CQL connection without an answer; the driver
// reconnects and the next statement runs. A delay holds the statement.
func TestCQLFaultsDropAndDelay(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "fd")
	mustExec(t, s, "CREATE TABLE t (k int PRIMARY KEY, v text)")
	_, err := srv.Faults().Add(server.FaultRule{Method: server.FaultSelect, Table: "t", Times: 1, Drop: true})
	must(t, err)
	if err := s.Query("SELECT * FROM t").Exec(); err == nil {
		t.Fatal("a dropped statement was answered")
	}
	waitUntil(t, "the driver reconnects", func() bool { return s.Query("SELECT * FROM t").Exec() == nil })

	_, err = srv.Faults().Add(server.FaultRule{Method: server.FaultInsert, Times: 1, Delay: 200 * time.Millisecond})
	must(t, err)
	start := time.Now()
	mustExec(t, s, "INSERT INTO t (k, v) VALUES (1, 'late')")
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("delayed insert answered after %v", d)
	}
	mustRows(t, s, [][]any{{"late"}}, "SELECT v FROM t WHERE k = 1")
}

// A delayed CQL statement does not hold Close up.
func TestCQLFaultsDelayEndsAtClose(t *testing.T) {
	srv, err := server.Start(ctx, server.Config{})
	must(t, err)
	s := connect(t, srv, "")
	_, err = srv.Faults().Add(server.FaultRule{Method: server.FaultSelect, Delay: time.Hour})
	must(t, err)
	done := make(chan error, 1)
	go func() { done <- s.Query("SELECT release_version FROM system.local").Exec() }()
	time.Sleep(50 * time.Millisecond)
	closed := make(chan error, 1)
	go func() { closed <- srv.Close() }()
	select {
	case err := <-closed:
		must(t, err)
	case <-time.After(20 * time.Second):
		t.Fatal("Close waited for the delayed statement")
	}
	if err := <-done; err == nil {
		t.Fatal("delayed statement answered after Close")
	}
}

// One rule vocabulary for both protocols: a rule on a table, or on
// lightweight transactions, faults the Thrift and the CQL calls on it.
func TestFaultsOneVocabularyBothProtocols(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "both")
	mustExec(t, s, "CREATE TABLE t (k text PRIMARY KEY, v text) WITH COMPACT STORAGE")
	mustExec(t, s, "CREATE TABLE u (k text PRIMARY KEY, v text) WITH COMPACT STORAGE")
	th := dial(t, srv.Addr())
	must(t, th.SetKeyspace(ctx, "both"))
	getT := func(cf string) error {
		_, err := th.GetSlice(ctx, []byte("k"), parent(cf), columnRange("", "", false, 10), ONE)
		return err
	}
	id, err := srv.Faults().Add(server.FaultRule{Keyspace: "both", Table: "t", Fail: server.FaultUnavailable})
	must(t, err)
	mustUE(t, getT("t"))
	must(t, getT("u"))
	var ue *gocql.RequestErrUnavailable
	if err := s.Query("SELECT * FROM t").Exec(); !errors.As(err, &ue) {
		t.Errorf("CQL on t: %T %v", err, err)
	}
	mustExec(t, s, "SELECT * FROM u")
	srv.Faults().Remove(id)

	_, err = srv.Faults().Add(server.FaultRule{Serial: true, Fail: server.FaultTimedOut})
	must(t, err)
	_, err = th.Cas(ctx, []byte("k"), "t", nil, []*tg.Column{col("v", "x", 1)}, tg.ConsistencyLevel_SERIAL, ONE)
	mustTE(t, err)
	var wt *gocql.RequestErrWriteTimeout
	if err := s.Query("INSERT INTO t (k, v) VALUES ('k', 'x') IF NOT EXISTS").Exec(); !errors.As(err, &wt) || wt.WriteType != "CAS" {
		t.Errorf("CQL LWT: %T %v", err, err)
	}
	must(t, th.Insert(ctx, []byte("k"), parent("t"), col("v", "y", 1), ONE))
	mustExec(t, s, "INSERT INTO t (k, v) VALUES ('k', 'z')")
}
