package expiry

import (
	"testing"
	"time"
)

// FuzzParsePolicy: any name parses to a policy that round-trips, or fails
// cleanly; Check never panics and honours the policy.
func FuzzParsePolicy(f *testing.F) {
	for _, s := range []string{"", "REJECT", "cap", "Cap_NoWarn", "CAPPED", "\xff"} {
		f.Add(s, int32(630720000), int64(1546300800))
	}
	f.Fuzz(func(t *testing.T, name string, ttl int32, now int64) {
		p, err := ParsePolicy(name)
		if err != nil {
			return
		}
		if back, err := ParsePolicy(p.String()); err != nil || back != p {
			t.Fatalf("%q -> %v does not round-trip", name, p)
		}
		if ttl < 0 {
			ttl = -ttl
		}
		at := time.Unix(now%(1<<31), 0)
		w, err := NewGuard(p, nil).Check("ks", "t", ttl, false, at)
		switch {
		case !Overflows(ttl, at):
			if w != "" || err != nil {
				t.Fatalf("no overflow but %q %v", w, err)
			}
		case p == Reject:
			if err == nil {
				t.Fatal("REJECT accepted an overflow")
			}
		case err != nil:
			t.Fatalf("%v refused: %v", p, err)
		}
		if l := LocalExpirationTime(at.Unix(), ttl); l > MaxDeletionTime+1 {
			t.Fatalf("expiration %d past the cap", l)
		}
	})
}
