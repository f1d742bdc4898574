package columnfamily_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
)

// noRetryPool is a pool on the test keyspace that tries each request once.
func noRetryPool(t *testing.T, e *testEnv) *pool.Pool {
	t.Helper()
	p, err := pool.Open(bg, pool.Config{Servers: []string{e.srv.Addr()}, Keyspace: testKeyspace, PoolSize: 1,
		MaxRetries: pool.NoRetries})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close(bg) })
	return p
}

// failBatches makes every batch_mutate answer UnavailableException until
// the returned func is called.
func failBatches(t *testing.T, e *testEnv) func() {
	t.Helper()
	id, err := e.srv.Faults().Add(server.FaultRule{Method: "batch_mutate", Fail: server.FaultUnavailable})
	if err != nil {
		t.Fatal(err)
	}
	return func() { e.srv.Faults().Remove(id) }
}

// A failed Send keeps its mutations queued, in order, so that Send can
// send them again; the BatchError lists them with their keys and values.
func TestMutatorSendFailureKeepsTheBatch(t *testing.T) {
	e := newEnv(t)
	std := e.cf(t, "Std")
	m := columnfamily.NewMutator(noRetryPool(t, e), columnfamily.QueueSize(columnfamily.NoAutoSend))
	ts := must(m.Insert(bg, std, "k1", columnfamily.Cols{"name": "Tyler"}))(t)
	must(m.Insert(bg, std, "k2", columnfamily.Cols{"age": int64(24)}))(t)
	must(m.Remove(bg, std, "k3", query.Columns("name")))(t)

	heal := failBatches(t, e)
	err := m.Send(bg)
	var be *columnfamily.BatchError
	if !errors.As(err, &be) || !errors.Is(err, cassa.ErrUnavailable) {
		t.Fatalf("Send: %v, want a *BatchError around unavailable", err)
	}
	equal(t, "still queued", m.Len(), 3)
	equal(t, "listed", len(be.Mutations), 3)
	first := be.Mutations[0]
	equal(t, "first key", first.Key, "k1")
	equal(t, "first values", first.Values, columnfamily.Values(columnfamily.Cols{"name": "Tyler"}))
	equal(t, "first timestamp", first.Timestamp, ts)
	msg := err.Error()
	for _, want := range []string{`[insert Std row "k1": "name"="Tyler"]`, `[insert Std row "k2": "age"=24]`, `[remove Std row "k3": "name"]`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}

	// Sent again once the cluster is back: nothing was lost.
	heal()
	noErr(t, m.Send(bg))
	equal(t, "sent", m.Len(), 0)
	equal(t, "k1", must(std.Get(bg, "k1", query.Select{}))(t).Value("name"), "Tyler")
	equal(t, "k2", must(std.Get(bg, "k2", query.Select{}))(t).Value("age"), int64(24))
}

// After a failed automatic send the Mutator stops sending by itself, so a
// batch that may have been applied is never resent behind the caller's
// back; Send or Discard decide.
func TestMutatorAutoSendPausesAfterFailure(t *testing.T) {
	e := newEnv(t)
	std := e.cf(t, "Std")
	p := noRetryPool(t, e)
	m := columnfamily.NewMutator(p, columnfamily.QueueSize(2))
	must(m.Insert(bg, std, "a", columnfamily.Cols{"name": "A"}))(t)
	heal := failBatches(t, e)
	_, err := m.Insert(bg, std, "b", columnfamily.Cols{"name": "B"})
	var be *columnfamily.BatchError
	if !errors.As(err, &be) || len(be.Mutations) != 2 {
		t.Fatalf("auto send: %v", err)
	}
	equal(t, "kept", m.Len(), 2)
	n := requests(p, func() { must(m.Insert(bg, std, "c", columnfamily.Cols{"name": "C"}))(t) })
	equal(t, "no automatic send while a failed batch waits", n, int64(0))
	equal(t, "queued", m.Len(), 3)
	heal()
	noErr(t, m.Send(bg))
	for _, k := range []string{"a", "b", "c"} {
		must(std.Get(bg, k, query.Select{}))(t)
	}
	// Sending works by itself again.
	must(m.Insert(bg, std, "d", columnfamily.Cols{"name": "D"}))(t)
	n = requests(p, func() { must(m.Insert(bg, std, "e", columnfamily.Cols{"name": "E"}))(t) })
	equal(t, "automatic send resumed", n, int64(1))

	// Discard drops what a failed send kept.
	heal = failBatches(t, e)
	defer heal()
	must(m.Insert(bg, std, "f", columnfamily.Cols{"name": "F"}))(t)
	_, err = m.Insert(bg, std, "g", columnfamily.Cols{"name": "G"})
	if err == nil {
		t.Fatal("auto send succeeded under the fault")
	}
	equal(t, "discarded", m.Discard(), 2)
	equal(t, "empty", m.Len(), 0)
}

// BatchError's message stays short whatever the batch holds: at most five
// mutations, a few columns each, keys and values cut as codec.FormatKey
// cuts them.
func TestBatchErrorBounded(t *testing.T) {
	e := newEnv(t)
	std := e.cf(t, "Std")
	m := columnfamily.NewMutator(noRetryPool(t, e), columnfamily.QueueSize(columnfamily.NoAutoSend))
	huge := strings.Repeat("v", 70000)
	many := columnfamily.Cols{}
	for _, c := range strings.Split("a b c d e f g h i j", " ") {
		many[c] = huge
	}
	hugeKey := strings.Repeat("k", 60000)
	for _, k := range []string{hugeKey + "1", hugeKey + "2", "k3", "k4", "k5", "k6", "k7"} {
		must(m.Insert(bg, std, k, many))(t)
	}
	defer failBatches(t, e)()
	err := m.Send(bg)
	if err == nil {
		t.Fatal("no error")
	}
	if msg := err.Error(); len(msg) > 4000 || !strings.Contains(msg, "(60001 bytes)") || !strings.Contains(msg, "(70000 bytes)") || !strings.Contains(msg, "and 2 more") {
		t.Errorf("message of %d bytes: %.600s", len(msg), msg)
	}
}
