package pool

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/thriftgen"
)

func TestMapError(t *testing.T) {
	ack := int32(2)
	tests := []struct {
		name      string
		in        error
		is        error // errors.Is target, when set
		as        func(error) bool
		retryable bool
	}{
		{name: "not found", in: &thriftgen.NotFoundException{}, is: cassa.ErrNotFound},
		{name: "invalid request", in: &thriftgen.InvalidRequestException{Why: "bad cf"}, as: func(err error) bool {
			var e *cassa.InvalidRequestError
			return errors.As(err, &e) && e.Why == "bad cf" && e.Host == "h:1" && e.Op == "get"
		}},
		{name: "unavailable", in: &thriftgen.UnavailableException{}, is: cassa.ErrUnavailable, retryable: true, as: func(err error) bool {
			var e *cassa.UnavailableError
			return errors.As(err, &e) && e.Host == "h:1"
		}},
		{name: "timed out", in: &thriftgen.TimedOutException{AcknowledgedBy: &ack}, is: cassa.ErrTimedOut, retryable: true, as: func(err error) bool {
			var e *cassa.TimedOutError
			return errors.As(err, &e) && e.AcknowledgedBy == 2 && e.Timeout()
		}},
		{name: "timed out, no ack", in: &thriftgen.TimedOutException{}, retryable: true, as: func(err error) bool {
			var e *cassa.TimedOutError
			return errors.As(err, &e) && e.AcknowledgedBy == -1
		}},
		{name: "authentication", in: &thriftgen.AuthenticationException{Why: "no"}, as: func(err error) bool {
			var e *cassa.AuthenticationError
			return errors.As(err, &e) && e.Why == "no"
		}},
		{name: "authorization", in: &thriftgen.AuthorizationException{Why: "no"}, as: func(err error) bool {
			var e *cassa.AuthorizationError
			return errors.As(err, &e) && e.Why == "no" && e.Op == "get"
		}},
		{name: "wrapped thrift exception", in: fmt.Errorf("ctx: %w", &thriftgen.NotFoundException{}), is: cassa.ErrNotFound},
		{name: "EOF", in: io.EOF, is: io.EOF, retryable: true, as: isTransportErr},
		{name: "reset", in: syscall.ECONNRESET, retryable: true, as: isTransportErr},
		{name: "thrift transport", in: thrift.NewTTransportException(thrift.NOT_OPEN, "x"), retryable: true, as: isTransportErr},
		{name: "application", in: thrift.NewTApplicationException(thrift.INTERNAL_ERROR, "boom"), as: func(err error) bool {
			var e *ApplicationError
			return errors.As(err, &e)
		}},
		{name: "context", in: context.Canceled, is: context.Canceled},
		{name: "plain", in: errors.New("caller's own"), as: func(err error) bool { return err.Error() == "caller's own" }},
		{name: "already mapped", in: &cassa.TimedOutError{Host: "other"}, retryable: true, as: func(err error) bool {
			var e *cassa.TimedOutError
			return errors.As(err, &e) && e.Host == "other"
		}},
	}
	for _, tt := range tests {
		got := mapError(tt.in, "h:1", "get")
		if tt.is != nil && !errors.Is(got, tt.is) {
			t.Errorf("%s: %v is not %v", tt.name, got, tt.is)
		}
		if tt.as != nil && !tt.as(got) {
			t.Errorf("%s: unexpected mapping %T %v", tt.name, got, got)
		}
		if r := Retryable(got); r != tt.retryable {
			t.Errorf("%s: Retryable = %v, want %v", tt.name, r, tt.retryable)
		}
	}
	if mapError(nil, "h", "op") != nil {
		t.Error("mapError(nil) != nil")
	}
}

func isTransportErr(err error) bool {
	var e *TransportError
	return errors.As(err, &e) && e.Host == "h:1" && e.Op == "get"
}

// TestNativeProtocolHint: a Thrift client on a CQL port reads the native
// protocol's error header as a huge frame size; the message says so.
func TestNativeProtocolHint(t *testing.T) {
	for _, tc := range []struct {
		size int64
		hint bool
	}{
		{0x85100000, true}, // a v5 error header
		{0x84000000, true},
		{0x7fffffff, false},
		{20 << 20, false},
	} {
		err := &TransportError{Host: "h:9042", Op: "describe_keyspaces",
			Err: thrift.NewTTransportException(thrift.UNKNOWN_TRANSPORT_EXCEPTION, fmt.Sprintf("Incorrect frame size (%d)", tc.size))}
		if got := strings.Contains(err.Error(), "native protocol"); got != tc.hint {
			t.Errorf("size %#x: hint %v, want %v: %s", tc.size, got, tc.hint, err)
		}
	}
}

func TestCompositeErrors(t *testing.T) {
	last := &cassa.TimedOutError{Host: "b:9160", Op: "get", AcknowledgedBy: -1}
	mr := &MaxRetriesError{Attempts: 3, Last: last, PerHost: []HostError{
		{Host: "a:9160", Err: &cassa.UnavailableError{Host: "a:9160"}}, {Host: "b:9160", Err: last}}}
	var to *cassa.TimedOutError
	if !errors.As(mr, &to) || !errors.Is(mr, cassa.ErrTimedOut) {
		t.Errorf("MaxRetriesError does not unwrap to its last error")
	}
	if s := mr.Error(); !strings.Contains(s, "3 attempts") || !strings.Contains(s, "a:9160") {
		t.Errorf("MaxRetriesError message %q", s)
	}
	mrc := &MaxRetriesError{Attempts: 2, Last: last, Ctx: context.DeadlineExceeded}
	if !errors.Is(mrc, context.DeadlineExceeded) || !errors.Is(mrc, cassa.ErrTimedOut) {
		t.Errorf("MaxRetriesError with Ctx does not match both")
	}

	auth := &cassa.AuthenticationError{Why: "bad", Host: "b:9160"}
	all := &AllServersUnavailableError{Servers: []HostError{
		{Host: "a:9160", Err: &TransportError{Host: "a:9160", Err: syscall.ECONNREFUSED}},
		{Host: "b:9160", Err: auth}}}
	var ae *cassa.AuthenticationError
	if !errors.Is(all, ErrAllServersUnavailable) || !errors.Is(all, cassa.ErrNoHostAvailable) ||
		!errors.As(all, &ae) || !errors.Is(all, syscall.ECONNREFUSED) {
		t.Errorf("AllServersUnavailableError does not match its parts")
	}
	if s := all.Error(); !strings.Contains(s, "a:9160") || !strings.Contains(s, "b:9160") {
		t.Errorf("AllServersUnavailableError message %q does not name each server", s)
	}

	pt := &PoolTimeoutError{PoolSize: 5, MaxOverflow: UnlimitedOverflow, Waited: 1500 * time.Millisecond, InUse: 5, Open: 5, Waiting: 2}
	if !errors.Is(pt, ErrPoolTimeout) {
		t.Error("PoolTimeoutError is not ErrPoolTimeout")
	}
	for _, want := range []string{"1.5s", "pool size 5", "max overflow unlimited", "5 in use", "2 other waiters"} {
		if !strings.Contains(pt.Error(), want) {
			t.Errorf("PoolTimeoutError message %q lacks %q", pt.Error(), want)
		}
	}
}
