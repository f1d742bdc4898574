package server

import (
	"context"
	"errors"
	"reflect"
	"sort"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/server/internal/faults"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Fault injection, re-exported from the internal faults package so that
// tests (this module's and users') can make a running server misbehave.
type (
	// FaultInjector holds the active fault rules of a server; see
	// Server.Faults. All its methods are safe while the server runs.
	FaultInjector = faults.Injector
	// FaultRule says which calls to fault and how (delay, fail, drop).
	FaultRule = faults.Rule
	// FaultAction is what the injector decided for one call.
	FaultAction = faults.Action
	// FaultID names an added rule, for FaultInjector.Remove.
	FaultID = faults.ID
	// FaultFailure is the exception a faulted call answers with.
	FaultFailure = faults.Failure
	// FaultProtocol limits a FaultRule to Thrift or CQL calls.
	FaultProtocol = faults.Protocol
)

// The failures a FaultRule can inject.
const (
	// FaultNone runs the call normally (after any delay).
	FaultNone = faults.None
	// FaultTimedOut answers TimedOutException.
	FaultTimedOut = faults.TimedOut
	// FaultUnavailable answers UnavailableException.
	FaultUnavailable = faults.Unavailable
	// FaultAllMethods as FaultRule.Method matches every method and
	// statement.
	FaultAllMethods = faults.AllMethods

	// FaultAnyProtocol, FaultThrift and FaultCQL are FaultRule.Protocol's
	// values: calls of both protocols (the zero value), or of one.
	FaultAnyProtocol = faults.AnyProtocol
	FaultThrift      = faults.Thrift
	FaultCQL         = faults.CQL

	// The CQL statement kinds a FaultRule.Method may name, beside the
	// Thrift method names.
	FaultSelect   = faults.Select
	FaultInsert   = faults.Insert
	FaultUpdate   = faults.Update
	FaultDelete   = faults.Delete
	FaultBatch    = faults.Batch
	FaultTruncate = faults.Truncate
	FaultSchema   = faults.Schema
	FaultUse      = faults.Use
)

// Faults returns the server's fault injector, one for both protocols.
// Rules added to it apply to every connection from the next request on:
// each request is checked once, after its arguments are read and before
// it runs. A rule selects Thrift methods by name or CQL statements by kind
// (FaultSelect, FaultInsert, FaultUpdate, FaultDelete, FaultBatch,
// FaultTruncate, FaultSchema, FaultUse), and can be narrowed to one
// protocol, keyspace or table, or to lightweight transactions (Serial: CQL
// statements with IF, SERIAL reads and conditional batches, Thrift's cas).
//
//   - Delay holds the call (Close cuts the wait short).
//   - Fail on Thrift answers TimedOutException or UnavailableException in
//     the method's declared exception field, as a real node would.
//     Methods whose IDL declares neither (login, set_keyspace,
//     describe_*, system_*) answer TApplicationException INTERNAL_ERROR
//     instead, the generic failure every Thrift client understands.
//   - Fail on CQL answers what a 3.11 coordinator sends: for
//     FaultTimedOut a ReadTimeout (consistency, received, block_for,
//     data_present) for a SELECT, a WriteTimeout (consistency, received,
//     block_for, write type: SIMPLE, COUNTER, BATCH, UNLOGGED_BATCH, or CAS
//     at the serial consistency for a lightweight transaction) for a
//     write, a TruncateError for TRUNCATE; for FaultUnavailable an
//     Unavailable error (consistency, required, alive: one replica short).
//     block_for and required count the replicas the consistency level
//     needs in the keyspace; FaultRule.Received, DataPresent and WriteType
//     override the body. Schema statements and USE, which have no such
//     errors in 3.11, answer a ServerError naming the fault.
//   - Drop closes the connection without a reply (for CQL: with the other
//     requests running on it).
func (s *Server) Faults() *FaultInjector { return s.inj.in }

// errDropConnection makes the dispatcher close the connection unanswered.
var errDropConnection = errors.New("server: connection dropped by an injected fault")

// faultHook is the server's injector and a context that Close cancels.
type faultHook struct {
	in     *faults.Injector
	ctx    context.Context
	cancel context.CancelFunc
}

func newFaultHook() *faultHook {
	names := make([]string, 0, len(methods))
	for n := range methods {
		names = append(names, n)
	}
	sort.Strings(names)
	ctx, cancel := context.WithCancel(context.Background())
	return &faultHook{in: faults.New(names...), ctx: ctx, cancel: cancel}
}

func (h *faultHook) stop() { h.cancel() }

// callWithFaults runs the method unless a fault rule says otherwise.
func (c *conn) callWithFaults(ctx context.Context, name string, m method, args thrift.TStruct) (thrift.TStruct, error) {
	h := c.srv.inj
	if !h.in.Armed() {
		return c.call(ctx, name, m, args)
	}
	act := h.in.CheckCall(faults.Call{Protocol: faults.Thrift, Method: name, Keyspace: c.sess.keyspace,
		Table: columnFamilyOf(args), Serial: name == "cas"})
	if act.IsZero() {
		return c.call(ctx, name, m, args)
	}
	if err := act.Wait(h.ctx); err != nil {
		return nil, errDropConnection // the server is closing
	}
	switch {
	case act.Drop:
		return nil, errDropConnection
	case act.Fail != faults.None:
		if res := faultResult(name, act.Fail); res != nil {
			return res, nil
		}
		return nil, errors.New("injected fault: " + act.Fail.String() + " (not declared by " + name + ")")
	}
	return c.call(ctx, name, m, args)
}

// columnFamilyOf returns the column family a call's arguments name (in a
// column_parent, a column_path or a cfname), or "" (batch_mutate, the
// describe and system calls).
func columnFamilyOf(args thrift.TStruct) string {
	v := reflect.ValueOf(args)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return ""
	}
	v = v.Elem()
	for _, f := range []string{"ColumnParent", "ColumnPath"} {
		if p := v.FieldByName(f); p.IsValid() && p.Kind() == reflect.Pointer && !p.IsNil() {
			if cf := p.Elem().FieldByName("ColumnFamily"); cf.IsValid() && cf.Kind() == reflect.String {
				return cf.String()
			}
		}
	}
	if cf := v.FieldByName("Cfname"); cf.IsValid() && cf.Kind() == reflect.String {
		return cf.String()
	}
	if cf := v.FieldByName("ColumnFamily"); cf.IsValid() && cf.Kind() == reflect.String {
		return cf.String()
	}
	return ""
}

// faultResult returns the method's empty result struct with the injected
// exception in its declared field, or nil when the method declares none.
func faultResult(name string, f faults.Failure) thrift.TStruct {
	mk := resultOf[name]
	if mk == nil {
		return nil
	}
	res := mk()
	field := "Te"
	if f == faults.Unavailable {
		field = "Ue"
	}
	v := reflect.ValueOf(res).Elem().FieldByName(field)
	ex := reflect.ValueOf(f.Exception())
	if !v.IsValid() || !v.CanSet() || !ex.Type().AssignableTo(v.Type()) {
		return nil
	}
	v.Set(ex)
	return res
}

// resultOf makes the result struct of every method whose IDL declares
// TimedOutException and UnavailableException.
var resultOf = map[string]func() thrift.TStruct{
	"get":                         func() thrift.TStruct { return tg.NewCassandraGetResult() },
	"get_slice":                   func() thrift.TStruct { return tg.NewCassandraGetSliceResult() },
	"get_count":                   func() thrift.TStruct { return tg.NewCassandraGetCountResult() },
	"multiget_slice":              func() thrift.TStruct { return tg.NewCassandraMultigetSliceResult() },
	"multiget_count":              func() thrift.TStruct { return tg.NewCassandraMultigetCountResult() },
	"get_range_slices":            func() thrift.TStruct { return tg.NewCassandraGetRangeSlicesResult() },
	"get_paged_slice":             func() thrift.TStruct { return tg.NewCassandraGetPagedSliceResult() },
	"get_indexed_slices":          func() thrift.TStruct { return tg.NewCassandraGetIndexedSlicesResult() },
	"insert":                      func() thrift.TStruct { return tg.NewCassandraInsertResult() },
	"add":                         func() thrift.TStruct { return tg.NewCassandraAddResult() },
	"cas":                         func() thrift.TStruct { return tg.NewCassandraCasResult() },
	"remove":                      func() thrift.TStruct { return tg.NewCassandraRemoveResult() },
	"remove_counter":              func() thrift.TStruct { return tg.NewCassandraRemoveCounterResult() },
	"batch_mutate":                func() thrift.TStruct { return tg.NewCassandraBatchMutateResult() },
	"atomic_batch_mutate":         func() thrift.TStruct { return tg.NewCassandraAtomicBatchMutateResult() },
	"truncate":                    func() thrift.TStruct { return tg.NewCassandraTruncateResult() },
	"get_multi_slice":             func() thrift.TStruct { return tg.NewCassandraGetMultiSliceResult() },
	"execute_cql_query":           func() thrift.TStruct { return tg.NewCassandraExecuteCqlQueryResult() },
	"execute_cql3_query":          func() thrift.TStruct { return tg.NewCassandraExecuteCql3QueryResult() },
	"execute_prepared_cql_query":  func() thrift.TStruct { return tg.NewCassandraExecutePreparedCqlQueryResult() },
	"execute_prepared_cql3_query": func() thrift.TStruct { return tg.NewCassandraExecutePreparedCql3QueryResult() },
}
