package errinfo

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
)

func TestWhere(t *testing.T) {
	for _, tc := range []struct{ op, host, want string }{
		{"get", "10.0.0.1:9160", " (get on 10.0.0.1:9160)"},
		{"get", "", " (get)"},
		{"", "10.0.0.1:9160", " (10.0.0.1:9160)"},
		{"", "", ""},
	} {
		if got := Where(tc.op, tc.host); got != tc.want {
			t.Errorf("Where(%q, %q) = %q, want %q", tc.op, tc.host, got, tc.want)
		}
	}
}

func TestIsConnection(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{io.EOF, true},
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{net.ErrClosed, true},
		{syscall.ECONNRESET, true},
		{syscall.EPIPE, true},
		{syscall.ECONNREFUSED, true},
		{&net.OpError{Op: "dial", Err: errors.New("no route")}, true},
		{errors.New("Keyspace ks does not exist"), false},
	} {
		if got := IsConnection(tc.err); got != tc.want {
			t.Errorf("IsConnection(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
