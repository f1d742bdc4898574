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
	// TimedOut answers TimedOutException on Thrift, and on CQL the
	// timeout error of the statement: ReadTimeout for a SELECT,
	// WriteTimeout (with the statement's write type) for a write, as when
	// replicas do not reply within the request timeout.
	TimedOut
	// Unavailable answers UnavailableException on Thrift and the
	// Unavailable error on CQL, as when too few replicas are alive for the
	// consistency level.
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

// Protocol is the interface a call came in on.
type Protocol uint8

// The protocols.
const (
	// AnyProtocol as a Rule's Protocol matches calls of both.
	AnyProtocol Protocol = iota
	// Thrift is Cassandra's Thrift RPC.
	Thrift
	// CQL is the native protocol.
	CQL
)

// String names the protocol.
func (p Protocol) String() string {
	switch p {
	case AnyProtocol:
		return "any"
	case Thrift:
		return "Thrift"
	case CQL:
		return "CQL"
	}
	return fmt.Sprintf("Protocol(%d)", int(p))
}

// The CQL statement kinds, as a Rule's Method names them. They share the
// Method namespace with the Thrift method names, which are lower case.
const (
	// Select is a SELECT.
	Select = "SELECT"
	// Insert is an INSERT (INSERT ... IF NOT EXISTS too; see Rule.Serial).
	Insert = "INSERT"
	// Update is an UPDATE.
	Update = "UPDATE"
	// Delete is a DELETE.
	Delete = "DELETE"
	// Batch is a BATCH, as a statement or a BATCH message.
	Batch = "BATCH"
	// Truncate is a TRUNCATE.
	Truncate = "TRUNCATE"
	// Schema is a schema statement: CREATE, ALTER and DROP of keyspaces,
	// tables, types and indexes.
	Schema = "SCHEMA"
	// Use is a USE.
	Use = "USE"
)

// StatementKinds are the CQL statement kinds a Rule's Method may name.
var StatementKinds = []string{Select, Insert, Update, Delete, Batch, Truncate, Schema, Use}

// Rule says which calls to fault and how. The zero Times means every
// matching call until the rule is removed. A call matches when every
// selector that is set (Protocol, Method, Keyspace, Table, Serial) agrees.
type Rule struct {
	// Protocol limits the rule to calls of one protocol; AnyProtocol (the
	// zero value) matches both.
	Protocol Protocol
	// Method is a Thrift method name ("get_slice", "batch_mutate", ...),
	// a CQL statement kind (Select, Insert, Update, Delete, Batch,
	// Truncate, Schema, Use), or AllMethods ("" or "*") for every call.
	Method string
	// Keyspace and Table, when set, limit the rule to calls on that
	// keyspace and table (names as stored, case-sensitive). A Thrift call
	// is on its session's keyspace and, for the methods taking one column
	// family, on that column family.
	Keyspace, Table string
	// Serial limits the rule to lightweight transactions: CQL statements
	// with IF, SELECTs at SERIAL or LOCAL_SERIAL, conditional batches, and
	// Thrift's cas.
	Serial bool
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

	// The error bodies of CQL: what a TimedOut failure reports, where the
	// server's defaults (no replica answered, the write type of the
	// statement) are not what a test wants.

	// Received is the replicas that answered, in ReadTimeout and
	// WriteTimeout; zero by default.
	Received int
	// DataPresent is ReadTimeout's data_present.
	DataPresent bool
	// WriteType, when set, replaces the statement's write type in
	// WriteTimeout (SIMPLE, BATCH, UNLOGGED_BATCH, COUNTER, BATCH_LOG,
	// CAS, VIEW, CDC).
	WriteType string
}

// writeTypes are the write types of the native protocol's WriteTimeout.
var writeTypes = map[string]bool{"SIMPLE": true, "BATCH": true, "UNLOGGED_BATCH": true, "COUNTER": true,
	"BATCH_LOG": true, "CAS": true, "VIEW": true, "CDC": true}

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
	case r.Protocol > CQL:
		return fmt.Errorf("%w: unknown %v", ErrInvalidRule, r.Protocol)
	case r.Received < 0:
		return fmt.Errorf("%w: negative Received %d", ErrInvalidRule, r.Received)
	case r.WriteType != "" && !writeTypes[r.WriteType]:
		return fmt.Errorf("%w: unknown write type %q", ErrInvalidRule, r.WriteType)
	case r.Protocol == Thrift && isStatementKind(r.Method):
		return fmt.Errorf("%w: %s is a CQL statement kind, and the rule is for Thrift", ErrInvalidRule, r.Method)
	}
	return nil
}

func isStatementKind(m string) bool {
	for _, k := range StatementKinds {
		if m == k {
			return true
		}
	}
	return false
}

// all reports whether r applies to every method.
func (r Rule) all() bool { return r.Method == AllMethods || r.Method == "*" }

// Call describes one request, as the server asks Check about it.
type Call struct {
	// Protocol is the protocol the call came in on; AnyProtocol counts as
	// Thrift.
	Protocol Protocol
	// Method is the Thrift method, or the CQL statement kind.
	Method string
	// Keyspace and Table are what the call works on, "" when unknown or
	// not one.
	Keyspace, Table string
	// Serial marks a lightweight transaction (see Rule.Serial).
	Serial bool
}

func (r Rule) matches(c Call) bool {
	p := c.Protocol
	if p == AnyProtocol {
		p = Thrift
	}
	switch {
	case r.Protocol != AnyProtocol && r.Protocol != p,
		!r.all() && r.Method != c.Method,
		r.Keyspace != "" && r.Keyspace != c.Keyspace,
		r.Table != "" && r.Table != c.Table,
		r.Serial && !c.Serial:
		return false
	}
	return true
}

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
	// Received, DataPresent and WriteType are the rule's CQL error body
	// fields (see Rule).
	Received    int
	DataPresent bool
	WriteType   string
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

	// known, if not nil, are the method names Add accepts (the CQL
	// statement kinds and the names given to New); set once by New.
	known map[string]bool

	mu     sync.Mutex
	rules  []entry // in the order added; the newest match wins
	lastID ID
}

// New returns an Injector whose Add refuses rules naming a method outside
// methods (the server passes its Thrift method table) and the CQL
// statement kinds, so that a misspelt name fails loudly instead of never
// firing. With no methods it is the zero Injector, which accepts any name.
func New(methods ...string) *Injector {
	in := &Injector{}
	if len(methods) > 0 {
		in.known = make(map[string]bool, len(methods)+len(StatementKinds))
		for _, m := range methods {
			in.known[m] = true
		}
		for _, k := range StatementKinds {
			in.known[k] = true
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

// Check is CheckCall for a Thrift call of method on no particular table.
func (in *Injector) Check(method string) Action {
	if in == nil || in.n.Load() == 0 {
		return Action{}
	}
	return in.CheckCall(Call{Protocol: Thrift, Method: method})
}

// Armed reports whether any rule is set: the server describes a call
// (Call) only then.
func (in *Injector) Armed() bool { return in != nil && in.n.Load() != 0 }

// CheckCall returns what to do with one call, and counts the call against
// the matching rule's Times. The newest matching rule decides; older ones
// are not consulted or counted. With no rules it is one atomic load and
// does not allocate.
func (in *Injector) CheckCall(call Call) Action {
	if in == nil || in.n.Load() == 0 {
		return Action{}
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	for i := len(in.rules) - 1; i >= 0; i-- {
		e := &in.rules[i]
		if !e.rule.matches(call) {
			continue
		}
		a := Action{Rule: e.id, Delay: e.rule.Delay, Fail: e.rule.Fail, Drop: e.rule.Drop,
			Received: e.rule.Received, DataPresent: e.rule.DataPresent, WriteType: e.rule.WriteType}
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
