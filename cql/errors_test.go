package cql_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/cql"
)

// fakeRequestError is a server error of a given code, as any
// implementation of gocql.RequestError (gocql's own types carry their code
// in unexported fields).
type fakeRequestError struct {
	code int
	msg  string
}

func (e fakeRequestError) Code() int       { return e.code }
func (e fakeRequestError) Message() string { return e.msg }
func (e fakeRequestError) Error() string   { return e.msg }

const (
	host = "10.0.0.1:9042"
	stmt = "SELECT name FROM users WHERE id = ?"
)

// TestMapError is the mapping of gocql's errors onto cassa's families.
func TestMapError(t *testing.T) {
	is := func(target error) func(error) bool { return func(err error) bool { return errors.Is(err, target) } }
	as := func(check func(error) bool) func(error) bool { return check }
	for _, tc := range []struct {
		name  string
		in    error
		check func(error) bool
	}{
		{"not found", gocql.ErrNotFound, is(cassa.ErrNotFound)},
		{"unavailable", &gocql.RequestErrUnavailable{Required: 2, Alive: 1}, as(func(err error) bool {
			var e *cassa.UnavailableError
			return errors.As(err, &e) && e.Host == host && e.Op == stmt && errors.Is(err, cassa.ErrUnavailable)
		})},
		{"write timeout", &gocql.RequestErrWriteTimeout{Received: 2, BlockFor: 3, WriteType: "SIMPLE"}, as(func(err error) bool {
			var e *cassa.TimedOutError
			return errors.As(err, &e) && e.AcknowledgedBy == 2 && e.Host == host && errors.Is(err, cassa.ErrTimedOut)
		})},
		{"read timeout", &gocql.RequestErrReadTimeout{Received: 1, BlockFor: 2}, as(func(err error) bool {
			var e *cassa.TimedOutError
			return errors.As(err, &e) && e.AcknowledgedBy == -1 && e.Op == stmt
		})},
		{"CAS write unknown", &gocql.RequestErrCASWriteUnknown{Received: 1}, as(func(err error) bool {
			var e *cassa.TimedOutError
			return errors.As(err, &e) && e.AcknowledgedBy == 1
		})},
		{"syntax (0x2000)", &gocql.RequestErrSyntax{}, as(func(err error) bool {
			var e *cassa.InvalidRequestError
			return errors.As(err, &e) && e.Host == host && e.Op == stmt
		})},
		{"frame too big", gocql.ErrFrameTooBig, as(func(err error) bool {
			var e *cql.ClientError
			return errors.As(err, &e) && errors.Is(err, gocql.ErrFrameTooBig) && !errors.As(err, new(*cql.TransportError)) &&
				strings.Contains(err.Error(), "256 MiB")
		})},
		{"invalid (0x2200)", &gocql.RequestErrInvalid{}, as(func(err error) bool {
			return errors.As(err, new(*cassa.InvalidRequestError))
		})},
		{"invalid by code", fakeRequestError{gocql.ErrCodeInvalid, "Invalid STRING constant (x) for \"id\" of type int"}, as(func(err error) bool {
			var e *cassa.InvalidRequestError
			return errors.As(err, &e) && strings.HasPrefix(e.Why, "Invalid STRING")
		})},
		{"unconfigured table", fakeRequestError{gocql.ErrCodeInvalid, "unconfigured table users"}, as(func(err error) bool {
			var e *cassa.InvalidRequestError
			var u *cassa.UnknownTableError
			return errors.As(err, &e) && e.Why == "unconfigured table users" &&
				errors.As(err, &u) && u.Table == "users" && errors.Is(err, cassa.ErrUnknownTable) && !errors.Is(err, cassa.ErrNotFound)
		})},
		{"missing keyspace", fakeRequestError{gocql.ErrCodeInvalid, "Keyspace nope does not exist"}, as(func(err error) bool {
			var u *cassa.UnknownTableError
			return errors.As(err, new(*cassa.InvalidRequestError)) && errors.As(err, &u) && u.Keyspace == "nope" && u.Table == ""
		})},
		{"config", &gocql.RequestErrConfig{}, as(func(err error) bool { return errors.As(err, new(*cassa.InvalidRequestError)) })},
		{"unprepared", &gocql.RequestErrUnprepared{}, as(func(err error) bool { return errors.As(err, new(*cassa.InvalidRequestError)) })},
		{"already exists", &gocql.RequestErrAlreadyExists{Keyspace: "ks", Table: "t"}, as(func(err error) bool {
			var ae *cql.AlreadyExistsError
			return errors.As(err, &ae) && ae.Keyspace == "ks" && ae.Table == "t" && errors.As(err, new(*cassa.InvalidRequestError))
		})},
		{"credentials", &gocql.RequestErrCredentials{}, as(func(err error) bool {
			var e *cassa.AuthenticationError
			return errors.As(err, &e) && e.Host == host
		})},
		{"authentication required", errors.New(`authentication required (using "org.apache.cassandra.auth.PasswordAuthenticator")`), as(func(err error) bool {
			return errors.As(err, new(*cassa.AuthenticationError))
		})},
		{"unauthorized", &gocql.RequestErrUnauthorized{}, as(func(err error) bool {
			var e *cassa.AuthorizationError
			return errors.As(err, &e) && e.Op == stmt
		})},
		{"overloaded", &gocql.RequestErrOverloaded{}, as(func(err error) bool {
			var e *cql.OverloadedError
			return errors.As(err, &e) && !e.Bootstrapping && errors.Is(err, cql.ErrOverloaded)
		})},
		{"bootstrapping", &gocql.RequestErrBootstrapping{}, as(func(err error) bool {
			var e *cql.OverloadedError
			return errors.As(err, &e) && e.Bootstrapping
		})},
		{"read failure", fakeRequestError{gocql.ErrCodeReadFailure, "Operation failed - received 0 responses and 1 failures"}, as(func(err error) bool {
			var e *cql.ServerError
			return errors.As(err, &e) && e.Code == gocql.ErrCodeReadFailure && errors.As(err, new(fakeRequestError))
		})},
		{"server error", fakeRequestError{gocql.ErrCodeServer, "java.lang.RuntimeException"}, as(func(err error) bool {
			var e *cql.ServerError
			return errors.As(err, &e) && e.Code == 0
		})},
		{"no connections", gocql.ErrNoConnections, as(func(err error) bool {
			var e *cql.NoHostError
			return errors.As(err, &e) && errors.Is(err, cassa.ErrNoHostAvailable) && errors.Is(err, gocql.ErrNoConnections)
		})},
		{"no hosts", gocql.ErrNoHosts, is(cassa.ErrNoHostAvailable)},
		{"client timeout", gocql.ErrTimeoutNoResponse, as(func(err error) bool {
			var e *cql.TransportError
			return errors.As(err, &e) && e.Timeout() && e.Host == host
		})},
		{"connection closed", gocql.ErrConnectionClosed, as(func(err error) bool { return errors.As(err, new(*cql.TransportError)) })},
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, as(func(err error) bool {
			var e *cql.TransportError
			return errors.As(err, &e) && !e.Timeout() && errors.Is(err, syscall.ECONNREFUSED)
		})},
		{"EOF", io.EOF, as(func(err error) bool { return errors.As(err, new(*cql.TransportError)) })},
		{"session closed", gocql.ErrSessionClosed, is(cql.ErrClosed)},
		{"deadline", context.DeadlineExceeded, func(err error) bool { return err == context.DeadlineExceeded }},
		{"canceled", fmt.Errorf("wrapped: %w", context.Canceled), is(context.Canceled)},
		{"marshal", gocql.MarshalError("can not marshal string into int"), as(func(err error) bool {
			return errors.As(err, new(gocql.MarshalError)) && strings.Contains(err.Error(), stmt) && strings.Contains(err.Error(), host)
		})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := cql.MapError(tc.in, host, stmt)
			if !tc.check(got) {
				t.Errorf("mapError(%T %v) = %T %v", tc.in, tc.in, got, got)
			}
			if again := cql.MapError(got, "other:1", "other"); again != got {
				t.Errorf("mapping twice changed %v into %v", got, again)
			}
		})
	}
}

func TestErrorMessages(t *testing.T) {
	long := "SELECT a,\n\t b FROM t WHERE " + strings.Repeat("x = ? AND ", 40) + "y = ?"
	err := cql.MapError(&gocql.RequestErrUnavailable{}, host, long)
	var ue *cassa.UnavailableError
	if !errors.As(err, &ue) {
		t.Fatal(err)
	}
	if len(ue.Op) > 165 || !strings.HasSuffix(ue.Op, "…") || strings.ContainsAny(ue.Op, "\n\t") || !strings.HasPrefix(ue.Op, "SELECT a, b FROM") {
		t.Errorf("Op not shortened: %q", ue.Op)
	}
	if s := err.Error(); !strings.Contains(s, host) || !strings.Contains(s, "SELECT a, b") {
		t.Errorf("message %q names neither host nor statement", s)
	}
	if cql.Shorten("SELECT 1") != "SELECT 1" {
		t.Error("short statement changed")
	}
	nh := &cql.NoHostError{Hosts: []cql.HostError{
		{Host: "a:9042", Err: &cql.TransportError{Host: "a:9042", Err: syscall.ECONNREFUSED}},
		{Host: "b:9042", Err: &cassa.AuthenticationError{Why: "bad", Host: "b:9042"}}}}
	if !errors.Is(nh, cassa.ErrNoHostAvailable) || !errors.As(nh, new(*cassa.AuthenticationError)) || !errors.Is(nh, syscall.ECONNREFUSED) {
		t.Error("NoHostError does not match its parts")
	}
	if s := nh.Error(); !strings.Contains(s, "a:9042") || !strings.Contains(s, "b:9042") {
		t.Errorf("NoHostError message %q does not name each host", s)
	}
	mr := &cql.MaxRetriesError{Attempts: 3, Last: &cassa.TimedOutError{AcknowledgedBy: -1}}
	if !errors.Is(mr, cassa.ErrTimedOut) || !strings.Contains(mr.Error(), "3 attempts") {
		t.Errorf("MaxRetriesError: %v", mr)
	}
	be := &cql.BatchError{Type: cql.UnloggedBatch, Failed: []cql.Statement{{CQL: "INSERT", Args: []any{1}}}, Err: &cassa.UnavailableError{}}
	if !errors.Is(be, cassa.ErrUnavailable) || !strings.Contains(be.Error(), "UNLOGGED") {
		t.Errorf("BatchError: %v", be)
	}
}

// TestRetryClass is what each error allows: never, always (nothing was
// applied), or for idempotent statements only.
func TestRetryClass(t *testing.T) {
	const (
		never         = 0
		notApplied    = 1
		ifIdempotent  = 2
		errConnClosed = "gocql: connection closed waiting for response"
	)
	for _, tc := range []struct {
		err  error
		want int
	}{
		{&gocql.RequestErrUnavailable{}, notApplied},
		{&gocql.RequestErrOverloaded{}, notApplied},
		{&gocql.RequestErrBootstrapping{}, notApplied},
		{&gocql.RequestErrWriteTimeout{WriteType: "SIMPLE"}, ifIdempotent},
		{&gocql.RequestErrWriteTimeout{WriteType: "CAS"}, never},
		{&gocql.RequestErrReadTimeout{}, ifIdempotent},
		{&gocql.RequestErrCASWriteUnknown{}, never},
		{&gocql.RequestErrSyntax{}, never},
		{&gocql.RequestErrInvalid{}, never},
		{&gocql.RequestErrUnauthorized{}, never},
		{&gocql.RequestErrReadFailure{}, never},
		{fakeRequestError{gocql.ErrCodeServer, "boom"}, ifIdempotent},
		{fakeRequestError{gocql.ErrCodeUnavailable, ""}, notApplied},
		{fakeRequestError{gocql.ErrCodeInvalid, ""}, never},
		{gocql.ErrTimeoutNoResponse, ifIdempotent},
		{gocql.ErrConnectionClosed, ifIdempotent},
		{io.EOF, ifIdempotent},
		{&net.OpError{Op: "read", Err: syscall.ECONNRESET}, ifIdempotent},
		{context.DeadlineExceeded, never},
		{gocql.ErrNotFound, never},
		{gocql.ErrFrameTooBig, never}, // the same statement is too big on every host
		{errors.New("something else"), never},
	} {
		if got := cql.RetryClassOf(tc.err); got != tc.want {
			t.Errorf("retry class of %T %v = %d, want %d", tc.err, tc.err, got, tc.want)
		}
	}
}

// TestStatementAnalysis is what the session reads from a statement's text:
// whether it writes (and gets a client timestamp) and whether it may run
// twice.
func TestStatementAnalysis(t *testing.T) {
	for _, tc := range []struct {
		stmt              string
		write, idempotent bool
	}{
		{"SELECT * FROM t WHERE k = ?", false, true},
		{"  select now() from t", false, true},
		{"INSERT INTO t (k, v) VALUES (?, ?)", true, true},
		{"INSERT INTO t (k, v) VALUES (?, ?) USING TTL 10", true, true},
		{"INSERT INTO t (k, v) VALUES (?, ?) IF NOT EXISTS", true, false},
		{"INSERT INTO t (k, id) VALUES (?, now())", true, false},
		{"INSERT INTO t (k, id) VALUES (?, uuid())", true, false},
		{"UPDATE t SET v = ? WHERE k = ?", true, true},
		{"UPDATE t SET c = c + ? WHERE k = ?", true, false},
		{"UPDATE t SET \"C\" = \"C\" - 1 WHERE k = ?", true, false},
		{"UPDATE t SET l = ? + l WHERE k = ?", true, false},
		{"UPDATE t SET l = [1] + L WHERE k = ?", true, false},
		{"UPDATE t SET a = ?, b = b + ? WHERE k = ?", true, false},
		{"UPDATE t SET a = b + ? WHERE k = ?", true, true},
		{"UPDATE t SET m[?] = ? WHERE k = ?", true, true},
		{"UPDATE t SET v = ? WHERE k = ? IF v = ?", true, false},
		{"UPDATE t SET v = ? WHERE k = ? IF EXISTS", true, false},
		{"UPDATE t SET v = 'c = c + 1' WHERE k = ?", true, true},
		{"UPDATE t /* c = c + 1 */ SET v = ? WHERE k = ? -- IF v = 1", true, true},
		{"DELETE FROM t WHERE k = ?", true, true},
		{"DELETE v FROM t WHERE k = ?", true, true},
		{"DELETE l[?] FROM t WHERE k = ?", true, false},
		{"DELETE FROM t WHERE k = ? IF EXISTS", true, false},
		{"BEGIN BATCH INSERT INTO t (k) VALUES (1); INSERT INTO t (k) VALUES (2); APPLY BATCH", true, true},
		{"BEGIN COUNTER BATCH UPDATE t SET c = c + 1 WHERE k = 1; APPLY BATCH", true, false},
		{"BEGIN UNLOGGED BATCH UPDATE t SET c = c + 1 WHERE k = 1 APPLY BATCH", true, false},
		{"CREATE TABLE t (k int PRIMARY KEY)", false, false},
		{"TRUNCATE t", false, false},
		{"", false, false},
		{"'unterminated", false, false},
	} {
		write, idem := cql.ClassifyStmt(tc.stmt)
		if write != tc.write || idem != tc.idempotent {
			t.Errorf("%q: write %v idempotent %v, want %v %v", tc.stmt, write, idem, tc.write, tc.idempotent)
		}
	}
}

func FuzzStatementAnalysis(f *testing.F) {
	for _, s := range []string{"UPDATE t SET c = c + 1 WHERE k = 1", "SELECT 'a''b' FROM \"T\"\"x\"", "/* x", "$$ y", ":name ?"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cql.ClassifyStmt(s)
		cql.Shorten(s)
	})
}

// A nil row is an argument error, as every nil argument of the package is.
func TestColOfNilRow(t *testing.T) {
	if _, err := cql.Col[string](nil, "x"); !errors.Is(err, cassa.ErrInvalidArgument) {
		t.Errorf("Col of a nil row: %v", err)
	}
}
