package cql

import (
	"fmt"

	"github.com/cassa-go/cassa"
)

// Options are values of the interface types below, made by the functions
// of this file; leaving an option out means the documented default.
// Statement options travel among a statement's arguments:
//
//	err := db.Exec(ctx, "UPDATE users SET name = ? WHERE id = ?", name, id,
//		cql.Consistency(cassa.One))
//
// The session tells them from bound values by their type, so they may
// come anywhere in the list; the bound values keep their order.

// option is what every option of this package is, so that a batch option
// passed to a statement is reported rather than bound as a value.
type option interface{ cqlOption() }

// StatementOption adjusts one statement run by Exec, ExecCAS, Get, Query
// or Rows; it is passed among the statement's arguments.
type StatementOption interface {
	option
	applyStmt(*stmtOpts)
}

// BatchOption configures a Batch.
type BatchOption interface {
	option
	applyBatch(*batchOpts)
}

// CallOption is an option of statements and batches alike.
type CallOption interface {
	StatementOption
	BatchOption
}

// callOpts are the options statements and batches share.
type callOpts struct {
	cl, serial cassa.Consistency
	ts         int64
	tsSet      bool
	idempotent int8 // 0: from the statement's text; 1 yes; -1 no
	retries    int
	retriesSet bool
	keyspace   string
	err        error
}

type stmtOpts struct {
	callOpts
	pageSize int
	token    string
	tokenSet bool
	state    []byte // PagingState
	stateSet bool
}

type batchOpts struct {
	callOpts
	typ        BatchType
	queueSize  int
	warnBytes  int
	failBytes  int
	thresholds bool
}

type consistencyOpt cassa.Consistency

func (consistencyOpt) cqlOption()                {}
func (c consistencyOpt) applyStmt(o *stmtOpts)   { o.setCL(cassa.Consistency(c)) }
func (c consistencyOpt) applyBatch(o *batchOpts) { o.setCL(cassa.Consistency(c)) }

func (o *callOpts) setCL(c cassa.Consistency) {
	if _, ok := gocqlConsistency(c); !ok {
		o.fail("Consistency(%v)", c)
		return
	}
	o.cl = c
}

func (o *callOpts) fail(format string, args ...any) {
	if o.err == nil {
		o.err = fmt.Errorf("%w: "+format, append([]any{ErrInvalidOption}, args...)...)
	}
}

// Consistency sets the consistency level of one statement or batch;
// Config.Consistency otherwise. For a lightweight transaction it is the
// commit level (the Paxos phase uses SerialConsistency).
func Consistency(c cassa.Consistency) CallOption { return consistencyOpt(c) }

type serialOpt cassa.Consistency

func (serialOpt) cqlOption()                {}
func (c serialOpt) applyStmt(o *stmtOpts)   { o.setSerial(cassa.Consistency(c)) }
func (c serialOpt) applyBatch(o *batchOpts) { o.setSerial(cassa.Consistency(c)) }

func (o *callOpts) setSerial(c cassa.Consistency) {
	if c != cassa.Serial && c != cassa.LocalSerial {
		o.fail("SerialConsistency(%v): want SERIAL or LOCAL_SERIAL", c)
		return
	}
	o.serial = c
}

// SerialConsistency sets the serial consistency (cassa.Serial or
// cassa.LocalSerial) of one lightweight transaction or conditional batch;
// Config.SerialConsistency otherwise.
func SerialConsistency(c cassa.Consistency) CallOption { return serialOpt(c) }

type timestampOpt int64

func (timestampOpt) cqlOption()                {}
func (t timestampOpt) applyStmt(o *stmtOpts)   { o.ts, o.tsSet = int64(t), true }
func (t timestampOpt) applyBatch(o *batchOpts) { o.ts, o.tsSet = int64(t), true }

// Timestamp writes with the client timestamp ts (microseconds since the
// epoch, by convention) instead of the time of the call. Every write
// otherwise takes one timestamp when it is called and keeps it for all its
// attempts, so that a retried write is idempotent.
func Timestamp(ts int64) CallOption { return timestampOpt(ts) }

type idempotentOpt bool

func (idempotentOpt) cqlOption()                {}
func (b idempotentOpt) applyStmt(o *stmtOpts)   { o.idempotent = tri(bool(b)) }
func (b idempotentOpt) applyBatch(o *batchOpts) { o.idempotent = tri(bool(b)) }

func tri(b bool) int8 {
	if b {
		return 1
	}
	return -1
}

// Idempotent overrides what the session reads from a statement's text:
// true lets a statement the session takes for non-idempotent (a counter
// update, a list append, a lightweight transaction, a schema change) be
// retried after failures that may have applied it; false forbids that for
// any statement. Failures that applied nothing (unavailable, overloaded)
// are retried either way.
func Idempotent(b bool) CallOption { return idempotentOpt(b) }

type retriesOpt int

func (retriesOpt) cqlOption() {}
func (n retriesOpt) applyStmt(o *stmtOpts) {
	o.setRetries(int(n))
}
func (n retriesOpt) applyBatch(o *batchOpts) {
	o.setRetries(int(n))
}

func (o *callOpts) setRetries(n int) {
	switch {
	case n == NoRetries:
		o.retries, o.retriesSet = 0, true
	case n < 0:
		o.fail("Retries(%d)", n)
	case n > 0:
		o.retries, o.retriesSet = n, true
	}
}

// Retries overrides Config.MaxRetries for one statement or batch: n
// retries, or NoRetries. Zero keeps the session's setting.
func Retries(n int) CallOption { return retriesOpt(n) }

type keyspaceOpt string

func (keyspaceOpt) cqlOption()                {}
func (k keyspaceOpt) applyStmt(o *stmtOpts)   { o.keyspace = string(k) }
func (k keyspaceOpt) applyBatch(o *batchOpts) { o.keyspace = string(k) }

// Keyspace runs one statement or batch in keyspace ks instead of the
// session's: its unqualified tables are ks's tables, and token-aware
// routing uses ks's replicas. The native protocol carries a keyspace per
// request from version 5 (Cassandra 4.0 and newer); on an older protocol
// the call fails with ErrInvalidOption before anything is sent, and the
// statement must name its tables "ks"."table" (the query compiler does so
// for a Table with a Keyspace).
func Keyspace(ks string) CallOption { return keyspaceOpt(ks) }

type pageSizeOpt int

func (pageSizeOpt) cqlOption() {}
func (n pageSizeOpt) applyStmt(o *stmtOpts) {
	if n < 0 {
		o.fail("PageSize(%d)", int(n))
		return
	}
	o.pageSize = int(n)
}

// PageSize sets how many rows one page holds; Config.PageSize otherwise.
func PageSize(n int) StatementOption { return pageSizeOpt(n) }

type pageTokenOpt string

func (pageTokenOpt) cqlOption()              {}
func (t pageTokenOpt) applyStmt(o *stmtOpts) { o.token, o.tokenSet = string(t), true }

// PageToken reads one page only, the one token points to: "" for the
// first page, or a token from Rows.PageToken for the page after it. The
// token must come from the same statement (text, keyspace and the types
// of the bound values) and a session sharing Config.PageTokenKey;
// anything else fails with a *PageTokenError before anything is sent.
func PageToken(token string) StatementOption { return pageTokenOpt(token) }

type pagingStateOpt struct{ state []byte }

func (pagingStateOpt) cqlOption()              {}
func (p pagingStateOpt) applyStmt(o *stmtOpts) { o.state, o.stateSet = p.state, true }

// PagingState reads one page only, as PageToken does, from Cassandra's
// own paging state (Rows.PagingState; nil for the first page), for
// callers that keep or seal positions themselves, as the mapper does
// under its own key. Unlike a page token the state is neither sealed nor
// bound to the statement: it is the last key read, and Cassandra refuses
// a state that does not fit the statement.
func PagingState(state []byte) StatementOption {
	return pagingStateOpt{state: append([]byte(nil), state...)}
}

// BatchType is the kind of a batch.
type BatchType uint8

// The batch types.
const (
	// LoggedBatch is Cassandra's default: the batch goes through the batch
	// log, so all of it is eventually applied or none.
	LoggedBatch BatchType = iota
	// UnloggedBatch skips the batch log: atomic per partition only.
	UnloggedBatch
	// CounterBatch holds counter updates only.
	CounterBatch
)

// String is the batch type as CQL writes it: LOGGED, UNLOGGED or COUNTER.
func (t BatchType) String() string {
	switch t {
	case LoggedBatch:
		return "LOGGED"
	case UnloggedBatch:
		return "UNLOGGED"
	case CounterBatch:
		return "COUNTER"
	}
	return fmt.Sprintf("BatchType(%d)", uint8(t))
}

type batchTypeOpt BatchType

func (batchTypeOpt) cqlOption()                {}
func (t batchTypeOpt) applyBatch(o *batchOpts) { o.typ = BatchType(t) }

// Unlogged makes an unlogged batch.
func Unlogged() BatchOption { return batchTypeOpt(UnloggedBatch) }

// Counter makes a counter batch. Counter updates are not idempotent: a
// counter batch is retried only after failures that applied nothing,
// unless Idempotent(true) is given too.
func Counter() BatchOption { return batchTypeOpt(CounterBatch) }

type queueSizeOpt int

func (queueSizeOpt) cqlOption()                {}
func (n queueSizeOpt) applyBatch(o *batchOpts) { o.queueSize = int(n) }

// QueueSize makes a batch send itself once this many statements are
// queued. Zero means DefaultQueueSize; NoAutoSend (or any negative value)
// keeps everything until Send.
func QueueSize(n int) BatchOption { return queueSizeOpt(n) }

type thresholdsOpt struct{ warn, fail int }

func (thresholdsOpt) cqlOption() {}
func (t thresholdsOpt) applyBatch(o *batchOpts) {
	if t.warn <= 0 || t.fail < t.warn {
		o.fail("SizeThresholds(%d, %d): want 0 < warn <= fail", t.warn, t.fail)
		return
	}
	o.warnBytes, o.failBytes, o.thresholds = t.warn, t.fail, true
}

// SizeThresholds sets the cluster's batch_size_warn_threshold_in_kb and
// batch_size_fail_threshold_in_kb, in bytes, when they are not
// Cassandra's defaults (5 KiB and 50 KiB). A batch over several
// partitions is kept at or under warnBytes, so it is neither logged as
// oversized nor refused; failBytes must not be below it. (Cassandra does
// not measure a batch of one partition, which is never split.)
func SizeThresholds(warnBytes, failBytes int) BatchOption { return thresholdsOpt{warnBytes, failBytes} }
