package faults

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tg "github.com/cassa-go/cassa/thriftgen"
)

func mustAdd(t testing.TB, in *Injector, r Rule) ID {
	t.Helper()
	id, err := in.Add(r)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestMatching(t *testing.T) {
	tests := []struct {
		name   string
		rule   Rule
		method string
		want   bool
	}{
		{"exact", Rule{Method: "get_slice", Fail: TimedOut}, "get_slice", true},
		{"other method", Rule{Method: "get_slice", Fail: TimedOut}, "get", false},
		{"prefix is not a match", Rule{Method: "get", Fail: TimedOut}, "get_slice", false},
		{"case-sensitive", Rule{Method: "Get", Fail: TimedOut}, "get", false},
		{"all by empty", Rule{Fail: Unavailable}, "batch_mutate", true},
		{"all by star", Rule{Method: "*", Drop: true}, "login", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in Injector
			id := mustAdd(t, &in, tt.rule)
			a := in.Check(tt.method)
			if got := !a.IsZero(); got != tt.want {
				t.Fatalf("Check(%q) = %+v, match %v, want %v", tt.method, a, got, tt.want)
			}
			if tt.want {
				want := Action{Rule: id, Delay: tt.rule.Delay, Fail: tt.rule.Fail, Drop: tt.rule.Drop}
				if a != want {
					t.Errorf("Check = %+v, want %+v", a, want)
				}
			} else if a != (Action{}) {
				t.Errorf("no match gave %+v", a)
			}
		})
	}
}

func TestActions(t *testing.T) {
	tests := []struct {
		rule Rule
		want Action
	}{
		{Rule{Delay: time.Second}, Action{Delay: time.Second}},
		{Rule{Fail: TimedOut}, Action{Fail: TimedOut}},
		{Rule{Fail: Unavailable, Delay: 5 * time.Millisecond}, Action{Fail: Unavailable, Delay: 5 * time.Millisecond}},
		{Rule{Drop: true}, Action{Drop: true}},
		{Rule{Drop: true, Delay: time.Minute}, Action{Drop: true, Delay: time.Minute}},
	}
	for _, tt := range tests {
		var in Injector
		tt.want.Rule = mustAdd(t, &in, tt.rule)
		if got := in.Check("insert"); got != tt.want {
			t.Errorf("rule %+v: Check = %+v, want %+v", tt.rule, got, tt.want)
		}
	}
}

func TestInvalidRules(t *testing.T) {
	for _, r := range []Rule{
		{},
		{Method: "get"},
		{Times: -1, Fail: TimedOut},
		{Delay: -time.Second},
		{Drop: true, Fail: TimedOut},
		{Fail: Failure(7)},
		{Fail: Failure(-1)},
	} {
		var in Injector
		if id, err := in.Add(r); !errors.Is(err, ErrInvalidRule) || id != 0 {
			t.Errorf("Add(%+v) = %d, %v; want ErrInvalidRule", r, id, err)
		}
		if in.Len() != 0 {
			t.Errorf("refused rule %+v is active", r)
		}
	}
}

func TestTimes(t *testing.T) {
	var in Injector
	id := mustAdd(t, &in, Rule{Method: "get", Times: 3, Fail: Unavailable})
	var got []Failure
	for range 5 {
		// Calls of other methods are not counted.
		if a := in.Check("insert"); !a.IsZero() {
			t.Fatalf("insert faulted: %+v", a)
		}
		got = append(got, in.Check("get").Fail)
	}
	want := []Failure{Unavailable, Unavailable, Unavailable, None, None}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("get calls = %v, want %v", got, want)
		}
	}
	if in.Active(id) || in.Len() != 0 || in.Remove(id) {
		t.Errorf("used-up rule still present: Active %v, Len %d", in.Active(id), in.Len())
	}
}

func TestNewestWins(t *testing.T) {
	var in Injector
	broad := mustAdd(t, &in, Rule{Delay: time.Millisecond})
	narrow := mustAdd(t, &in, Rule{Method: "get", Times: 1, Fail: TimedOut})
	if a := in.Check("get"); a.Rule != narrow || a.Fail != TimedOut || a.Delay != 0 {
		t.Fatalf("first get = %+v, want the narrow rule alone", a)
	}
	// The narrow rule is used up; the broad one applies again.
	if a := in.Check("get"); a.Rule != broad || a.Fail != None {
		t.Fatalf("second get = %+v, want the broad rule", a)
	}
	if a := in.Check("insert"); a.Rule != broad {
		t.Fatalf("insert = %+v, want the broad rule", a)
	}
}

func TestRemoveClear(t *testing.T) {
	var in Injector
	a := mustAdd(t, &in, Rule{Method: "get", Fail: TimedOut})
	b := mustAdd(t, &in, Rule{Method: "insert", Drop: true})
	c := mustAdd(t, &in, Rule{Method: "remove", Fail: Unavailable})
	if a == b || b == c || a == 0 {
		t.Fatalf("IDs %d %d %d not distinct and non-zero", a, b, c)
	}
	if in.Len() != 3 {
		t.Fatalf("Len = %d", in.Len())
	}
	if !in.Remove(b) || in.Remove(b) || in.Active(b) {
		t.Fatal("Remove(b) twice / Active after Remove")
	}
	if in.Check("insert").Drop {
		t.Error("removed rule still fires")
	}
	if in.Check("get").Fail != TimedOut || in.Check("remove").Fail != Unavailable {
		t.Error("remaining rules lost by Remove")
	}
	in.Clear()
	if in.Len() != 0 || in.Active(a) || !in.Check("get").IsZero() {
		t.Error("Clear left rules")
	}
	// IDs are not reused after Clear.
	if d := mustAdd(t, &in, Rule{Fail: TimedOut}); d <= c {
		t.Errorf("ID %d reused (last was %d)", d, c)
	}
}

func TestNilAndZero(t *testing.T) {
	var nilIn *Injector
	if a := nilIn.Check("get"); !a.IsZero() || nilIn.Len() != 0 {
		t.Errorf("nil injector: %+v", a)
	}
	var in Injector
	if a := in.Check("get"); a != (Action{}) {
		t.Errorf("zero injector: %+v", a)
	}
}

// Exactly Times calls fault, however many goroutines race for them.
func TestTimesConcurrent(t *testing.T) {
	var in Injector
	const times, workers, calls = 100, 8, 500
	mustAdd(t, &in, Rule{Method: "get", Times: times, Fail: TimedOut})
	var faulted atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				if in.Check("get").Fail == TimedOut {
					faulted.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if got := faulted.Load(); got != times {
		t.Errorf("%d calls faulted, want %d", got, times)
	}
}

// Rules change while calls are checked; run with -race.
func TestSwitchWhileRunning(t *testing.T) {
	var in Injector
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				a := in.Check("get_slice")
				if a.Drop && a.Fail != None {
					t.Error("impossible action", a)
				}
			}
		}()
	}
	for i := range 500 {
		id := mustAdd(t, &in, Rule{Method: "get_slice", Times: i%3 + 1, Fail: Unavailable})
		if i%2 == 0 {
			in.Remove(id)
		}
		if i%50 == 0 {
			in.Clear()
		}
		_ = in.Active(id)
		_ = in.Len()
	}
	cancel()
	wg.Wait()
}

func TestWait(t *testing.T) {
	if err := (Action{}).Wait(context.Background()); err != nil {
		t.Errorf("no delay: %v", err)
	}
	if err := (Action{Delay: time.Nanosecond}).Wait(context.Background()); err != nil {
		t.Errorf("1ns delay: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (Action{Delay: time.Hour}).Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait: %v", err)
	}
}

func TestFailure(t *testing.T) {
	var toe *tg.TimedOutException
	if err := TimedOut.Exception(); !errors.As(err, &toe) {
		t.Errorf("TimedOut.Exception() = %T", err)
	}
	var ue *tg.UnavailableException
	if err := Unavailable.Exception(); !errors.As(err, &ue) {
		t.Errorf("Unavailable.Exception() = %T", err)
	}
	if None.Exception() != nil {
		t.Error("None.Exception() != nil")
	}
	for f, want := range map[Failure]string{None: "none", TimedOut: "TimedOutException", Unavailable: "UnavailableException", 9: "Failure(9)"} {
		if f.String() != want {
			t.Errorf("%d.String() = %q", int(f), f.String())
		}
	}
}

// The server calls Check on every request: with no rules it must not
// allocate.
func TestCheckNoRulesAllocs(t *testing.T) {
	var in Injector
	if n := testing.AllocsPerRun(100, func() { _ = in.Check("get_slice") }); n != 0 {
		t.Errorf("Check with no rules allocates %v times", n)
	}
	mustAdd(t, &in, Rule{Method: "insert", Fail: TimedOut})
	if n := testing.AllocsPerRun(100, func() { _ = in.Check("get_slice") }); n != 0 {
		t.Errorf("Check with a rule allocates %v times", n)
	}
}

func BenchmarkCheck(b *testing.B) {
	b.Run("no rules", func(b *testing.B) {
		var in Injector
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_ = in.Check("get_slice")
			}
		})
	})
	b.Run("4 rules, no match", func(b *testing.B) {
		var in Injector
		for _, m := range []string{"insert", "remove", "add", "cas"} {
			mustAdd(b, &in, Rule{Method: m, Fail: TimedOut})
		}
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_ = in.Check("get_slice")
			}
		})
	})
}

func BenchmarkCheckSerial(b *testing.B) {
	var in Injector
	for b.Loop() {
		_ = in.Check("get_slice")
	}
}

func TestNewKnownMethods(t *testing.T) {
	in := New("get", "insert")
	for _, tt := range []struct {
		method string
		ok     bool
	}{{"get", true}, {"insert", true}, {"", true}, {"*", true}, {"get_slcie", false}, {"Get", false}} {
		_, err := in.Add(Rule{Method: tt.method, Fail: TimedOut})
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrInvalidRule)) {
			t.Errorf("Add(%q) = %v, want ok %v", tt.method, err, tt.ok)
		}
	}
	if _, err := New().Add(Rule{Method: "anything", Fail: TimedOut}); err != nil {
		t.Errorf("New() without methods refused a name: %v", err)
	}
}

func TestCallSelectors(t *testing.T) {
	sel := Call{Protocol: CQL, Method: Select, Keyspace: "ks", Table: "t"}
	lwt := Call{Protocol: CQL, Method: Update, Keyspace: "ks", Table: "t", Serial: true}
	cas := Call{Protocol: Thrift, Method: "cas", Keyspace: "ks", Table: "t", Serial: true}
	get := Call{Method: "get_slice", Keyspace: "ks", Table: "u"} // AnyProtocol counts as Thrift
	tests := []struct {
		name string
		rule Rule
		hits []Call
		miss []Call
	}{
		{"every call", Rule{Fail: TimedOut}, []Call{sel, lwt, cas, get}, nil},
		{"CQL only", Rule{Protocol: CQL, Fail: TimedOut}, []Call{sel, lwt}, []Call{cas, get}},
		{"Thrift only", Rule{Protocol: Thrift, Fail: TimedOut}, []Call{cas, get}, []Call{sel, lwt}},
		{"a statement kind", Rule{Method: Select, Fail: TimedOut}, []Call{sel}, []Call{lwt, cas, get}},
		{"a table", Rule{Table: "t", Fail: TimedOut}, []Call{sel, lwt, cas}, []Call{get}},
		{"another keyspace", Rule{Keyspace: "other", Fail: TimedOut}, nil, []Call{sel, lwt, cas, get}},
		{"lightweight transactions of both", Rule{Serial: true, Fail: TimedOut}, []Call{lwt, cas}, []Call{sel, get}},
		{"CQL LWT on ks.t", Rule{Protocol: CQL, Keyspace: "ks", Table: "t", Serial: true, Fail: TimedOut}, []Call{lwt}, []Call{sel, cas, get}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in Injector
			mustAdd(t, &in, tt.rule)
			for _, c := range tt.hits {
				if in.CheckCall(c).Fail != TimedOut {
					t.Errorf("%+v not matched", c)
				}
			}
			for _, c := range tt.miss {
				if !in.CheckCall(c).IsZero() {
					t.Errorf("%+v matched", c)
				}
			}
		})
	}
}

func TestCQLBodyFields(t *testing.T) {
	var in Injector
	id := mustAdd(t, &in, Rule{Method: Insert, Fail: TimedOut, Received: 1, DataPresent: true, WriteType: "BATCH_LOG"})
	want := Action{Rule: id, Fail: TimedOut, Received: 1, DataPresent: true, WriteType: "BATCH_LOG"}
	if a := in.CheckCall(Call{Protocol: CQL, Method: Insert}); a != want {
		t.Errorf("CheckCall = %+v, want %+v", a, want)
	}
	for _, r := range []Rule{
		{Fail: TimedOut, Received: -1},
		{Fail: TimedOut, WriteType: "simple"},
		{Fail: TimedOut, Protocol: 7},
		{Fail: TimedOut, Protocol: Thrift, Method: Select},
	} {
		if _, err := in.Add(r); !errors.Is(err, ErrInvalidRule) {
			t.Errorf("Add(%+v) = %v, want ErrInvalidRule", r, err)
		}
	}
}

func TestNewKnowsStatementKinds(t *testing.T) {
	in := New("get")
	for _, k := range StatementKinds {
		if _, err := in.Add(Rule{Method: k, Fail: Unavailable}); err != nil {
			t.Errorf("Add(%s): %v", k, err)
		}
	}
	if _, err := in.Add(Rule{Method: "select", Fail: Unavailable}); !errors.Is(err, ErrInvalidRule) {
		t.Errorf("lower-case statement kind accepted: %v", err)
	}
	if in.Armed() != true || (&Injector{}).Armed() || (*Injector)(nil).Armed() {
		t.Error("Armed")
	}
}

func TestCheckCallNoRulesAllocs(t *testing.T) {
	var in Injector
	c := Call{Protocol: CQL, Method: Select, Keyspace: "ks", Table: "t"}
	if n := testing.AllocsPerRun(100, func() { _ = in.CheckCall(c) }); n != 0 {
		t.Errorf("CheckCall with no rules allocates %v times", n)
	}
}
