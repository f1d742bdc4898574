package expiry

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// 2019-01-01: 20 years of TTL pass 2038-01-19 (the CASSANDRA-14092 case).
var now = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)

const twentyYears = 630720000

func TestParsePolicy(t *testing.T) {
	for in, want := range map[string]Policy{"": Reject, "reject": Reject, "REJECT": Reject, "cap": Cap, "Cap_NoWarn": CapNoWarn} {
		got, err := ParsePolicy(in)
		if err != nil || got != want {
			t.Errorf("ParsePolicy(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParsePolicy("capped"); err == nil {
		t.Error("unknown policy accepted")
	}
	for _, p := range []Policy{Reject, Cap, CapNoWarn} {
		if back, err := ParsePolicy(p.String()); err != nil || back != p {
			t.Errorf("%v does not round-trip: %v %v", p, back, err)
		}
	}
}

func TestLocalExpirationTime(t *testing.T) {
	if got := LocalExpirationTime(100, 20); got != 120 {
		t.Errorf("plain: %d", got)
	}
	// computeLocalExpirationTime caps an overflowing sum at MAX_DELETION_TIME.
	if got := LocalExpirationTime(now.Unix(), twentyYears); got != MaxDeletionTime {
		t.Errorf("capped: %d", got)
	}
	if got := time.Unix(MaxDeletionTime, 0).UTC().Format(time.RFC3339); got != "2038-01-19T03:14:06Z" {
		t.Errorf("MaxDeletionTime is %s", got)
	}
}

func TestCheckPolicies(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))

	// No overflow: every policy accepts silently.
	for _, g := range []*Guard{nil, NewGuard(Reject, log), NewGuard(Cap, log), NewGuard(CapNoWarn, log)} {
		if w, err := g.Check("ks", "t", 3600, false, now); w != "" || err != nil {
			t.Errorf("%v: %q %v", g.Policy(), w, err)
		}
		if w, err := g.Check("ks", "t", 0, true, now); w != "" || err != nil {
			t.Errorf("%v ttl 0: %q %v", g.Policy(), w, err)
		}
	}

	// REJECT (and a nil guard): MAXIMUM_EXPIRATION_DATE_EXCEEDED_REJECT_MESSAGE.
	for _, g := range []*Guard{nil, NewGuard(Reject, log)} {
		_, err := g.Check("ks", "t", twentyYears, true, now)
		var oe *OverflowError
		if !errors.As(err, &oe) {
			t.Fatalf("reject: %v", err)
		}
		want := "Request on table ks.t with default ttl of 630720000 seconds exceeds maximum supported expiration date of 2038-01-19T03:14:06+00:00. In order to avoid this use a lower TTL, change the expiration date overflow policy or upgrade to a version where this limitation is fixed. See CASSANDRA-14092 for more details."
		if err.Error() != want {
			t.Errorf("reject message:\n%s\nwant\n%s", err, want)
		}
	}
	if logs.Len() != 0 {
		t.Errorf("REJECT logged: %s", logs.String())
	}

	// CAP: the client warning, and a log line.
	w, err := NewGuard(Cap, log).Check("ks", "t", twentyYears, false, now)
	want := "Request on table ks.t with ttl of 630720000 seconds exceeds maximum supported expiration date of 2038-01-19T03:14:06+00:00 and will have its expiration capped to that date. In order to avoid this use a lower TTL or upgrade to a version where this limitation is fixed. See CASSANDRA-14092 for more details."
	if err != nil || w != want {
		t.Errorf("cap: %q %v", w, err)
	}
	if !strings.Contains(logs.String(), "will have its expiration capped") {
		t.Errorf("CAP did not log: %q", logs.String())
	}

	// CAP_NOWARN: no client warning, still logged.
	logs.Reset()
	w, err = NewGuard(CapNoWarn, log).Check("ks", "t", twentyYears, false, now)
	if err != nil || w != "" {
		t.Errorf("cap_nowarn: %q %v", w, err)
	}
	if !strings.Contains(logs.String(), "will have its expiration capped") {
		t.Errorf("CAP_NOWARN did not log: %q", logs.String())
	}
}

func TestWarningIsRateLimited(t *testing.T) {
	var logs bytes.Buffer
	g := NewGuard(Cap, slog.New(slog.NewTextHandler(&logs, nil)))
	count := func() int { return strings.Count(logs.String(), "will have its expiration capped") }
	for i := 0; i < 10; i++ {
		if w, _ := g.Check("ks", "t", twentyYears, false, now.Add(time.Duration(i)*time.Second)); w == "" {
			t.Fatal("every capped request warns its client")
		}
	}
	if count() != 1 {
		t.Fatalf("logged %d times in 10 s", count())
	}
	g.Check("ks", "t", twentyYears, false, now.Add(DefaultWarningInterval))
	if count() != 2 {
		t.Fatalf("logged %d times after the interval", count())
	}
}

func TestOverflowsAtTheEdge(t *testing.T) {
	// The last second that still fits: now + ttl == 2^31-1.
	at := time.Unix(1<<31-1-1000, 0)
	if Overflows(1000, at) {
		t.Error("sum == MaxInt32 fits an int")
	}
	if !Overflows(1001, at) {
		t.Error("sum == MaxInt32+1 overflows")
	}
}
