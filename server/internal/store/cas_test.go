package store

import (
	"errors"
	"testing"
	"time"

	"github.com/cassa-go/cassa/server/internal/expiry"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

func col(name, value string) *thriftgen.Column {
	ts := int64(1)
	return &thriftgen.Column{Name: []byte(name), Value: []byte(value), Timestamp: &ts}
}

func renderCols(cs []*thriftgen.Column) string {
	s := ""
	for i, c := range cs {
		if i > 0 {
			s += " "
		}
		s += string(c.Name) + "=" + string(c.Value)
	}
	return s
}

func TestCas(t *testing.T) {
	type step struct {
		expected, updates []*thriftgen.Column
		ok                bool
		current           string // rendered current_values on failure
	}
	cases := []struct {
		name  string
		setup []Op
		steps []step
		final string
	}{
		{"empty expected on a missing row", nil, []step{
			{updates: []*thriftgen.Column{col("a", "1")}, ok: true},
			{updates: []*thriftgen.Column{col("a", "2")}, ok: false, current: "a=1"},
		}, "a=1"},
		{"empty expected on a row of tombstones only", []Op{delCol("a", 1)}, []step{
			{updates: []*thriftgen.Column{col("b", "1")}, ok: true},
		}, "b=1"},
		{"empty expected fails with the first live column", []Op{put("b", "2", 1), put("a", "1", 1)}, []step{
			{updates: []*thriftgen.Column{col("c", "1")}, ok: false, current: "a=1"},
		}, "a=1 b=2"},
		{"expected matches", []Op{put("a", "1", 1), put("b", "2", 1)}, []step{
			{expected: []*thriftgen.Column{col("a", "1")}, updates: []*thriftgen.Column{col("a", "x"), col("c", "3")}, ok: true},
		}, "a=x b=2 c=3"},
		{"expected mismatch returns current values of expected names", []Op{put("a", "1", 1), put("b", "2", 1)}, []step{
			{expected: []*thriftgen.Column{col("b", "9"), col("a", "1"), col("z", "1")}, updates: []*thriftgen.Column{col("a", "x")}, ok: false, current: "a=1 b=2"},
		}, "a=1 b=2"},
		{"expected on a missing row", nil, []step{
			{expected: []*thriftgen.Column{col("a", "1")}, updates: []*thriftgen.Column{col("a", "x")}, ok: false, current: ""},
		}, ""},
		{"expected column deleted", []Op{put("a", "1", 1), delCol("a", 2)}, []step{
			{expected: []*thriftgen.Column{col("a", "1")}, updates: []*thriftgen.Column{col("a", "x")}, ok: false, current: ""},
		}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, nil)
			if len(c.setup) > 0 {
				e.apply("k", c.setup...)
			}
			for i, s := range c.steps {
				res, err := e.st.Cas(e.tbl, []byte("k"), s.expected, s.updates)
				if err != nil {
					t.Fatal(err)
				}
				if res.Success != s.ok {
					t.Fatalf("step %d: success = %v", i, res.Success)
				}
				if s.ok && res.CurrentValues != nil {
					t.Errorf("step %d: current_values set on success", i)
				}
				if !s.ok {
					if res.CurrentValues == nil {
						t.Errorf("step %d: current_values nil on failure", i)
					}
					if got := renderCols(res.CurrentValues); got != s.current {
						t.Errorf("step %d: current = %q, want %q", i, got, s.current)
					}
				}
			}
			got, _ := e.st.GetSlice(e.tbl, []byte("k"), nil, all())
			var cols []*thriftgen.Column
			for _, it := range got {
				cols = append(cols, it.Column)
			}
			if s := renderCols(cols); s != c.final {
				t.Errorf("final row %q, want %q", s, c.final)
			}
		})
	}
}

// TestCasTimestampAndTTL: updates get the server ballot timestamp; 3.11
// honours their TTL (CassandraServer.toLegacyCell: expiring when ttl > 0)
// and does not apply the table default to the others.
func TestCasTimestampAndTTL(t *testing.T) {
	e := newEnv(t, nil, func(t *schema.Table) { t.DefaultTTL = 30 })
	u := col("a", "1")
	ttl := int32(5)
	u.TTL = &ttl
	if res, err := e.st.Cas(e.tbl, []byte("k"), nil, []*thriftgen.Column{u, col("z", "1")}); err != nil || !res.Success {
		t.Fatal(res, err)
	}
	got, err := e.st.Get(e.tbl, []byte("k"), nil, []byte("a"))
	if err != nil {
		t.Fatal(err)
	}
	if ts := *got.Column.Timestamp; ts < e.clock.Now().UnixMicro() {
		t.Errorf("timestamp %d is not server time", ts)
	}
	if got.Column.TTL == nil || *got.Column.TTL != 5 {
		t.Errorf("ttl = %v, want the update's 5", got.Column.TTL)
	}
	if z, err := e.st.Get(e.tbl, []byte("k"), nil, []byte("z")); err != nil || z.Column.TTL != nil {
		t.Errorf("no ttl given: %v %v, want no ttl (the default is not applied)", z, err)
	}
	e.clock.Advance(6 * time.Second)
	if _, err := e.st.Get(e.tbl, []byte("k"), nil, []byte("a")); !errors.Is(err, ErrNotFound) {
		t.Errorf("a should have expired: %v", err)
	}
	e.clock.Advance(31 * time.Second)
	if res, _ := e.st.Cas(e.tbl, []byte("k"), nil, []*thriftgen.Column{col("b", "1")}); res.Success {
		t.Error("z never expires, so the row is not empty")
	}
}

func TestExpiryGuardAndCap(t *testing.T) {
	// The store hands out its overflow policy (nil: REJECT, also on a nil
	// store) and caps every expiry at Cell.MAX_DELETION_TIME
	// (computeLocalExpirationTime), whatever the policy.
	var nilStore *Store
	if nilStore.Expiry().Policy() != expiry.Reject {
		t.Fatal("nil store policy")
	}
	g := expiry.NewGuard(expiry.Cap, nil)
	st := New(nil, Options{Expiry: g})
	if st.Expiry() != g {
		t.Fatal("guard not kept")
	}
	e := newEnv(t, nil)
	far := putTTL("far", "v", 1, 630720000)
	far.LocalTime = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	e.apply("k", far)
	e.clock.Advance(time.Unix(expiry.MaxDeletionTime-1, 0).Sub(e.clock.Now()))
	if got := e.slice("k", all()); got == "" {
		t.Fatal("capped cell expired early")
	}
	e.clock.Advance(time.Second)
	if got := e.slice("k", all()); got != "" {
		t.Fatalf("capped cell still live at MAX_DELETION_TIME: %s", got)
	}
}
