package cassa_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/cassa-go/cassa"
)

func TestConsistencyNames(t *testing.T) {
	for c := cassa.Any; c <= cassa.LocalOne; c++ {
		got, err := cassa.ParseConsistency(c.String())
		if err != nil || got != c {
			t.Errorf("ParseConsistency(%q) = %v, %v; want %v", c.String(), got, err, c)
		}
	}
	if got, err := cassa.ParseConsistency(" local_quorum "); err != nil || got != cassa.LocalQuorum {
		t.Errorf("ParseConsistency(local_quorum) = %v, %v", got, err)
	}
	for _, bad := range []string{"", "DEFAULT", "QUORUMS", "1"} {
		if _, err := cassa.ParseConsistency(bad); err == nil {
			t.Errorf("ParseConsistency(%q) accepted", bad)
		}
	}
	if s := cassa.Consistency(0).String(); s != "DEFAULT" {
		t.Errorf("zero level = %q, want DEFAULT", s)
	}
	if s := cassa.Consistency(200).String(); s != "Consistency(200)" {
		t.Errorf("unknown level = %q", s)
	}
}

func TestErrorsMatchTheirSentinels(t *testing.T) {
	wrapped := fmt.Errorf("reading: %w", &cassa.TimedOutError{Host: "h:9160", Op: "get", AcknowledgedBy: -1})
	if !errors.Is(wrapped, cassa.ErrTimedOut) {
		t.Error("a wrapped *TimedOutError is not ErrTimedOut")
	}
	if !errors.Is(&cassa.UnavailableError{}, cassa.ErrUnavailable) {
		t.Error("*UnavailableError is not ErrUnavailable")
	}
	if errors.Is(&cassa.InvalidRequestError{Why: "x"}, cassa.ErrNotFound) {
		t.Error("*InvalidRequestError matches ErrNotFound")
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&cassa.InvalidRequestError{Why: "unconfigured table Nope", Host: "h:9160", Op: "get"},
			"cassa: invalid request (get on h:9160): unconfigured table Nope"},
		{&cassa.TimedOutError{Op: "batch_mutate", AcknowledgedBy: 1},
			"cassa: timed out (batch_mutate) (acknowledged by 1)"},
		{&cassa.AuthenticationError{Why: "bad password", Host: "h:9160"},
			"cassa: authentication failed (h:9160): bad password"},
		{&cassa.AuthorizationError{Why: "no", Op: "truncate"}, "cassa: not authorized (truncate): no"},
		{&cassa.UnavailableError{}, "cassa: unavailable: not enough replicas alive for the consistency level"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

func TestUnknownTableFrom(t *testing.T) {
	for _, tc := range []struct {
		why   string
		table string // "" when it is no unknown table
	}{
		{"unconfigured table Users", "Users"},          // Cassandra 3.x
		{"unconfigured columnfamily Users", "Users"},   // Cassandra 1.2 to 2.2
		{"unconfigured table ", ""},                    // no name
		{"Keyspace KS does not exist", ""},             // another problem
		{"unconfigured table Users in a sentence", ""}, // not the message
	} {
		ire := &cassa.InvalidRequestError{Why: tc.why, Host: "h:9160", Op: "get_slice"}
		ut := cassa.UnknownTableFrom(ire, "KS")
		switch {
		case tc.table == "" && ut != nil:
			t.Errorf("%q: %v", tc.why, ut)
		case tc.table != "" && (ut == nil || ut.Table != tc.table || ut.Keyspace != "KS"):
			t.Errorf("%q: %+v, want table %s in KS", tc.why, ut, tc.table)
		case ut != nil:
			var got *cassa.InvalidRequestError
			if !errors.Is(ut, cassa.ErrUnknownTable) || errors.Is(ut, cassa.ErrNotFound) || !errors.As(ut, &got) || got != ire {
				t.Errorf("%q: %v matches the wrong sentinels or lost the server's answer", tc.why, ut)
			}
			if want := "cassa: unknown column family (table) KS.Users (get_slice on h:9160)"; ut.Error() != want {
				t.Errorf("Error() = %q, want %q", ut.Error(), want)
			}
		}
	}
	if cassa.UnknownTableFrom(nil, "KS") != nil {
		t.Error("UnknownTableFrom(nil) != nil")
	}
}
