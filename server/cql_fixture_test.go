package server_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"reflect"
	"strconv"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/internal/gocqllog"
	"github.com/cassa-go/cassa/server"
)

// The CQL tests drive the server with gocql v2 over TCP, with the
// driver's default settings unless a test needs otherwise.

// startCQL starts a server with cfg and returns it.
func startCQL(t testing.TB, cfg server.Config) *server.Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	srv, err := server.Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return srv
}

// clusterFor is gocql's default ClusterConfig for srv's CQL address.
func clusterFor(t testing.TB, srv *server.Server) *gocql.ClusterConfig {
	t.Helper()
	host, port, err := net.SplitHostPort(srv.CQLAddr())
	if err != nil {
		t.Fatal(err)
	}
	c := gocql.NewCluster(host)
	c.Port, _ = strconv.Atoi(port)
	c.Timeout = 10 * time.Second
	c.ConnectTimeout = 10 * time.Second
	return c
}

// connect opens a gocql session with the default settings (and keyspace
// when not empty).
func connect(t testing.TB, srv *server.Server, keyspace string) *gocql.Session {
	t.Helper()
	c := clusterFor(t, srv)
	c.Keyspace = keyspace
	log := &gocqllog.Recorder{}
	c.Logger = log
	s, err := c.CreateSession()
	if err != nil {
		t.Fatalf("gocql connect: %v\ndriver log:\n%s", err, log)
	}
	t.Cleanup(s.Close)
	return s
}

// mustExec runs a statement that must succeed.
func mustExec(t testing.TB, s *gocql.Session, stmt string, values ...any) {
	t.Helper()
	if err := s.Query(stmt, values...).Exec(); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// requestError returns err's server error (code and message), failing
// the test when err is something else.
func requestError(t testing.TB, err error) gocql.RequestError {
	t.Helper()
	var re gocql.RequestError
	if !errors.As(err, &re) {
		t.Fatalf("want a server error, got %T %v", err, err)
	}
	return re
}

// expectError runs stmt and checks the server's error code and message.
func expectError(t testing.TB, s *gocql.Session, code int, msg, stmt string, values ...any) {
	t.Helper()
	err := s.Query(stmt, values...).Exec()
	if err == nil {
		t.Fatalf("%s: succeeded, want error %#x %q", stmt, code, msg)
	}
	re := requestError(t, err)
	if re.Code() != code || re.Message() != msg {
		t.Errorf("%s:\n got %#x %q\nwant %#x %q", stmt, re.Code(), re.Message(), code, msg)
	}
}

// selectRows runs a read and returns the result's column names and its
// rows, each value as gocql unmarshals it into its default Go type.
func selectRows(t testing.TB, s *gocql.Session, stmt string, values ...any) ([]string, [][]any) {
	t.Helper()
	return iterRows(t, s.Query(stmt, values...).Iter(), stmt)
}

// iterRows reads what iter returns (every page), as selectRows does.
func iterRows(t testing.TB, iter *gocql.Iter, what string) ([]string, [][]any) {
	t.Helper()
	rd, err := iter.RowData()
	if err != nil {
		iter.Close()
		t.Fatalf("%s: %v", what, err)
	}
	var out [][]any
	for iter.Scan(rd.Values...) {
		row := make([]any, len(rd.Values))
		for i, v := range rd.Values {
			row[i] = reflect.ValueOf(v).Elem().Interface()
			if b, ok := row[i].([]byte); ok { // gocql reuses the slice
				row[i] = bytes.Clone(b)
			}
		}
		out = append(out, row)
	}
	if err := iter.Close(); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return rd.Columns, out
}

// mustRows checks that a read returns want, row by row, in order.
func mustRows(t testing.TB, s *gocql.Session, want [][]any, stmt string, values ...any) {
	t.Helper()
	_, got := selectRows(t, s, stmt, values...)
	if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Errorf("%s %v:\n got %v\nwant %v", stmt, values, got, want)
	}
}

// newKeyspace creates keyspace ks (replication factor 1) and opens a
// session on it.
func newKeyspace(t testing.TB, srv *server.Server, ks string) *gocql.Session {
	t.Helper()
	admin := connect(t, srv, "")
	mustExec(t, admin, "CREATE KEYSPACE "+ks+" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	admin.Close()
	return connect(t, srv, ks)
}
