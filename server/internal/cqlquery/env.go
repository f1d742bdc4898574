package cqlquery

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
)

// Env is what statements need from the node. The native-protocol backend
// builds one per node and shares it between connections; it must not be
// copied after first use. Catalog, Store and Write are required.
type Env struct {
	// Catalog returns the current schema snapshot.
	Catalog func() *schema.Catalog
	// Store is read directly; writes go through Write.
	Store *store.Store
	// Write applies row mutations through the node's logged write path.
	Write func([]store.RowMutation) error
	// CAS runs a lightweight transaction's read, check and write on one
	// partition atomically: fn reads the partition (locked for writing)
	// and returns the ops to write, which must go through the node's
	// logged write path before they are applied, still under the lock
	// (store.ReadModifyWrite with the commit log's append as its log).
	// Thrift's cas holds the same partition lock, so the two serialise.
	// Nil: Store.ReadModifyWrite without a log, for a node that keeps no
	// commit log.
	CAS func(t *schema.Table, key []byte, fn func(*store.Partition) ([]store.Op, error)) error
	// Partitioner is the node's partitioner (tokens, token()); nil means
	// the store's.
	Partitioner partitioner.Partitioner
	// Now is the server clock: write timestamps, TTL checks, now().
	// Nil means time.Now.
	Now func() time.Time
	// ListIDs names list elements; nil makes one on first use.
	ListIDs *layout.ListIDs
	// Virtual answers reads of the built-in system tables that have no
	// storage (system.local, system_schema.*, ...). Nil: such reads fail.
	Virtual VirtualTables

	lastMicros atomic.Int64 // last server timestamp handed out
	tables     sync.Map     // schema.Table ID -> *table
	virtual    sync.Map     // "keyspace.table" -> *virtualSnapshot
	idsOnce    sync.Once
}

// VirtualTables answers reads of tables that live outside the store.
type VirtualTables interface {
	// Rows returns every row of the virtual table t, each a map from column
	// name to serialized value (a missing or nil entry is null). Order does
	// not matter: the rows are sorted as 3.11 returns them (partitions in
	// token order, rows in clustering order).
	Rows(t *schema.Table) ([]map[string][]byte, error)
}

// VirtualSnapshots is an optional interface of a VirtualTables whose rows
// of a table change only with a snapshot it can name (system_schema's
// change only with the catalog). The rows of a snapshot are turned into a
// store once and shared by every read until the key changes, so that a
// schema read does not rebuild them.
type VirtualSnapshots interface {
	// Snapshot returns the key of t's current rows, comparable with ==
	// and different whenever the rows may differ, and a function that
	// returns the rows of that snapshot (not of a later one). ok false:
	// t's rows are not kept; Rows is asked on every read.
	Snapshot(t *schema.Table) (key any, rows func() ([]map[string][]byte, error), ok bool)
}

// partitioner is Env.Partitioner, or the store's.
func (env *Env) partitioner() partitioner.Partitioner {
	if env.Partitioner == nil && env.Store != nil {
		return env.Store.Partitioner()
	}
	return env.Partitioner
}

func (env *Env) now() time.Time {
	if env.Now == nil {
		return time.Now()
	}
	return env.Now()
}

// timestamp is a server write timestamp in microseconds, strictly
// increasing across calls even when the clock stands still or steps back
// (ClientState.getTimestamp). It comes from the store's clock when there
// is a store, the one that stamps Paxos ballots and counters too, so that
// a lightweight transaction's ballot is always above the timestamps of
// the writes before it (3.11 draws both from lastTimestampMicros).
func (env *Env) timestamp() int64 {
	if env.Store != nil {
		return env.Store.NowMicros()
	}
	now := env.now().UnixMicro()
	for {
		last := env.lastMicros.Load()
		ts := now
		if last >= now {
			ts = last + 1
		}
		if env.lastMicros.CompareAndSwap(last, ts) {
			return ts
		}
	}
}

// cas is Env.CAS, or the store's ReadModifyWrite without a log.
func (env *Env) cas(t *schema.Table, key []byte, fn func(*store.Partition) ([]store.Op, error)) error {
	if env.CAS != nil {
		return env.CAS(t, key, fn)
	}
	if env.Store == nil {
		return &Error{Code: CodeServer, Message: "no store"}
	}
	return env.Store.ReadModifyWrite(t, key, fn, nil)
}

func (env *Env) listIDs() *layout.ListIDs {
	env.idsOnce.Do(func() {
		if env.ListIDs == nil {
			env.ListIDs = layout.NewListIDs(env.Now)
		}
	})
	return env.ListIDs
}

// Value is one bound value of a request: Bytes is the serialized value,
// nil for null; Unset is protocol v4's "unset" (the statement leaves the
// column alone, or fails where a value is required).
type Value struct {
	Bytes []byte
	Unset bool
}

// IsNull reports a null value.
func (v Value) IsNull() bool { return v.Bytes == nil && !v.Unset }

// Options are a request's QueryOptions.
type Options struct {
	// Values are the bound values in marker order (named values already
	// placed by the caller from Statement.BindColumns).
	Values []Value
	// Consistency and SerialConsistency are the protocol's consistency
	// codes (ONE = 0x0001, ..., LOCAL_ONE = 0x000A).
	Consistency, SerialConsistency uint16
	// PageSize > 0 pages a SELECT; <= 0 returns every row at once.
	PageSize int
	// PagingState resumes a paged SELECT, as the previous page's Result
	// handed it out.
	PagingState []byte
	// Timestamp is the client's default timestamp in microseconds, used
	// when HasTimestamp is set and the statement has no USING TIMESTAMP.
	Timestamp    int64
	HasTimestamp bool
	// ProtocolVersion is the connection's protocol version (3 or 4).
	ProtocolVersion int
}

// Column describes one bind marker or result column (ColumnSpecification).
type Column struct {
	Keyspace, Table, Name string
	Type                  codec.Type
}

// Result is a statement's answer. Columns is nil for a write that answers
// Void; a SELECT always has Columns, possibly with no Rows.
type Result struct {
	Columns []Column
	Rows    [][][]byte
	// PagingState is set when more pages may follow (Has_more_pages).
	PagingState []byte
	// Warnings are client warnings (aggregation without partition key,
	// batch size, ...).
	Warnings []string
}

// Kind is what a prepared statement does.
type Kind uint8

// Statement kinds.
const (
	KindSelect Kind = iota + 1
	KindInsert
	KindUpdate
	KindDelete
	KindBatch
)

// String names the kind as Cassandra's StatementType does.
func (k Kind) String() string {
	switch k {
	case KindSelect:
		return "SELECT"
	case KindInsert:
		return "INSERT"
	case KindUpdate:
		return "UPDATE"
	case KindDelete:
		return "DELETE"
	case KindBatch:
		return "BATCH"
	}
	return "?"
}

// BatchKind is a BATCH's type.
type BatchKind uint8

// Batch kinds, with the native protocol's BATCH message codes.
const (
	BatchLogged   BatchKind = 0
	BatchUnlogged BatchKind = 1
	BatchCounter  BatchKind = 2
)

// BatchItem is one statement of a native-protocol BATCH message with its
// own values.
type BatchItem struct {
	Statement *Statement
	Values    []Value
}
