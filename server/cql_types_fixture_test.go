package server_test

import (
	"strings"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/server"
)

// The conformance tests of CQL's types and functions (collections, user
// types, tuples, counters, statics, TTLs, JSON, functions, GROUP BY) share
// this fixture: a server, keyspace ks, and a gocql session using it.

func typesSession(t testing.TB) (*server.Server, *gocql.Session) {
	t.Helper()
	srv := startCQL(t, server.Config{})
	s := connect(t, srv, "")
	mustExec(t, s, "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	return srv, connect(t, srv, "ks")
}

// text returns the single text value of a one-row query ("null" for null,
// "" for no row).
func text(t testing.TB, s *gocql.Session, q string, args ...any) string {
	t.Helper()
	var v *string
	if err := s.Query(q, args...).Scan(&v); err != nil {
		if err == gocql.ErrNotFound {
			return ""
		}
		t.Fatalf("%s: %v", q, err)
	}
	if v == nil {
		return "null"
	}
	return *v
}

// texts returns every row's single text value, joined with " | ".
func texts(t testing.TB, s *gocql.Session, q string, args ...any) string {
	t.Helper()
	it := s.Query(q, args...).Iter()
	var out []string
	var v *string
	for it.Scan(&v) {
		if v == nil {
			out = append(out, "null")
		} else {
			out = append(out, *v)
		}
	}
	if err := it.Close(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return strings.Join(out, " | ")
}

// expectText checks the single text value of a query.
func expectText(t testing.TB, s *gocql.Session, want, q string, args ...any) {
	t.Helper()
	if got := texts(t, s, q, args...); got != want {
		t.Errorf("%s\n got %s\nwant %s", q, got, want)
	}
}

// expectInvalid checks an InvalidRequest (0x2200) and its message.
func expectInvalid(t testing.TB, s *gocql.Session, msg, q string, args ...any) {
	t.Helper()
	expectError(t, s, 0x2200, msg, q, args...)
}
