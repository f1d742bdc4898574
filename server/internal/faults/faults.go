package faults

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	tg "github.com/cassa-go/cassa/thriftgen"
)

// Failure is an exception a faulted call answers with instead of running.
type Failure int

// The failures a rule can inject.
const (
	// None: the call runs normally (after any delay).
	None Failure = iota
	// TimedOut answers TimedOutException, as when replicas do not reply
	// within the rpc timeout.
	TimedOut
	// Unavailable answers UnavailableException, as when too few replicas
	// are alive for the consistency level.
	Unavailable
)

// String names the failure.
func (f Failure) String() string {
	switch f {
	case None:
		return "none"
	case TimedOut:
		return "TimedOutException"
	case Unavailable:
		return "UnavailableException"
	}
	return fmt.Sprintf("Failure(%d)", int(f))
}

// Exception returns a new Thrift exception for f (*thriftgen.TimedOutException
// or *thriftgen.UnavailableException), or nil for None. The server stores
// it in the result struct's matching field; a method whose IDL declares no
// such exception (login, set_keyspace, describe_*) cannot carry it.
func (f Failure) Exception() error {
	switch f {
	case TimedOut:
		return tg.NewTimedOutException()
	case Unavailable:
		return tg.NewUnavailableException()
	}
	return nil
}

// AllMethods as a Rule's Method matches every method ("*" does too).
const AllMethods = ""

// Rule says which calls to fault and how. The zero Times means every
// matching call until the rule is removed.
type Rule struct {
	// Method is the Thrift method name ("get_slice", "batch_mutate", ...),
	// or AllMethods ("" or "*") for every method.
	Method string
	// Times, when positive, limits the rule to the next Times matching
	// calls; it is then removed by itself. Zero means no limit.
	Times int
	// Delay holds each matching call this long before it runs or fails.
	Delay time.Duration
	// Fail answers the call with an exception instead of running it.
	Fail Failure
	// Drop closes the connection without a reply, as a crashed or
	// partitioned node looks to a client. It excludes Fail.
	Drop bool
}

// ErrInvalidRule is wrapped by Add's errors.
var ErrInvalidRule = errors.New("faults: invalid rule")

// validate refuses rules that would do nothing or contradict themselves.
func (r Rule) validate() error {
	switch {
	case r.Times < 0:
		return fmt.Errorf("%w: negative Times %d", ErrInvalidRule, r.Times)
	case r.Delay < 0:
		return fmt.Errorf("%w: negative Delay %v", ErrInvalidRule, r.Delay)
	case r.Fail < None || r.Fail > Unavailable:
		return fmt.Errorf("%w: unknown %v", ErrInvalidRule, r.Fail)
	case r.Drop && r.Fail != None:
		return fmt.Errorf("%w: Drop and Fail (%v) together; a dropped call cannot answer", ErrInvalidRule, r.Fail)
	case !r.Drop && r.Fail == None && r.Delay == 0:
		return fmt.Errorf("%w: no Delay, Fail or Drop; the rule would do nothing", ErrInvalidRule)
	}
	return nil
}

// all reports whether r applies to every method.
func (r Rule) all() bool { return r.Method == AllMethods || r.Method == "*" }

func (r Rule) matches(method string) bool { return r.all() || r.Method == method }

// ID names a rule added to an Injector; IDs are never reused by one Injector.
type ID uint64

// Action is what the server must do with one call. The zero Action means
// run the call normally.
type Action struct {
	// Rule is the rule that matched, 0 if none.
	Rule ID
	// Delay is how long to hold the call first.
	Delay time.Duration
	// Fail, if not None, is the exception to answer instead of running.
	Fail Failure
	// Drop means close the connection without replying.
	Drop bool
}

// IsZero reports whether a leaves the call alone.
func (a Action) IsZero() bool { return a.Delay == 0 && a.Fail == None && !a.Drop }

// Wait sleeps for a.Delay, or until ctx is done, whichever is first; it
// returns ctx.Err() in the second case. With no delay it returns at once.
func (a Action) Wait(ctx context.Context) error {
	if a.Delay <= 0 {
		return nil
	}
	t := time.NewTimer(a.Delay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// entry is an added rule and its uses left (meaningful when Times > 0).
type entry struct {
	id   ID
	rule Rule
	left int
}

// Injector holds the active rules. Its zero value has none and is ready to
// use; a nil *Injector also answers Check with the zero Action. All methods
// are safe for concurrent use, and rules may change while calls are checked.
type Injector struct {
	// n mirrors len(rules), so that Check costs one atomic load when no
	// rule is set, which is always outside fault tests.
	n atomic.Int32

	// known, if not nil, are the method names Add accepts; set once by New.
	known map[string]bool

	mu     sync.Mutex
	rules  []entry // in the order added; the newest match wins
	lastID ID
}

// New returns an Injector whose Add refuses rules naming a method outside
// methods (the server passes its method table), so that a misspelt name
// fails loudly instead of never firing. With no methods it is the zero
// Injector, which accepts any name.
func New(methods ...string) *Injector {
	in := &Injector{}
	if len(methods) > 0 {
		in.known = make(map[string]bool, len(methods))
		for _, m := range methods {
			in.known[m] = true
		}
	}
	return in
}

// Add activates r and returns its ID. It refuses (with ErrInvalidRule) a
// negative Times or Delay, Drop together with Fail, an unknown Failure, a
// rule that does nothing, and (for an Injector from New) an unknown method.
func (in *Injector) Add(r Rule) (ID, error) {
	if err := r.validate(); err != nil {
		return 0, err
	}
	if in.known != nil && !r.all() && !in.known[r.Method] {
		return 0, fmt.Errorf("%w: unknown method %q", ErrInvalidRule, r.Method)
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	in.lastID++
	in.rules = append(in.rules, entry{id: in.lastID, rule: r, left: r.Times})
	in.n.Store(int32(len(in.rules)))
	return in.lastID, nil
}

// Remove deactivates the rule id. It reports whether the rule was still
// active (false once it has been used up, removed or cleared).
func (in *Injector) Remove(id ID) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i := range in.rules {
		if in.rules[i].id == id {
			in.removeAt(i)
			return true
		}
	}
	return false
}

// Clear removes every rule.
func (in *Injector) Clear() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.rules = nil
	in.n.Store(0)
}

// Active reports whether the rule id is still in force: added, not
// removed, and not used up.
func (in *Injector) Active(id ID) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, e := range in.rules {
		if e.id == id {
			return true
		}
	}
	return false
}

// Len returns the number of rules in force.
func (in *Injector) Len() int {
	if in == nil {
		return 0
	}
	return int(in.n.Load())
}

// Check returns what to do with one call of method, and counts the call
// against the matching rule's Times. The newest matching rule decides;
// older ones are not consulted or counted. With no rules it is one atomic
// load and does not allocate.
func (in *Injector) Check(method string) Action {
	if in == nil || in.n.Load() == 0 {
		return Action{}
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	for i := len(in.rules) - 1; i >= 0; i-- {
		e := &in.rules[i]
		if !e.rule.matches(method) {
			continue
		}
		a := Action{Rule: e.id, Delay: e.rule.Delay, Fail: e.rule.Fail, Drop: e.rule.Drop}
		if e.rule.Times > 0 {
			e.left--
			if e.left == 0 {
				in.removeAt(i)
			}
		}
		return a
	}
	return Action{}
}

// removeAt deletes rules[i], keeping the order. The caller holds mu.
func (in *Injector) removeAt(i int) {
	in.rules = append(in.rules[:i], in.rules[i+1:]...)
	in.n.Store(int32(len(in.rules)))
}
