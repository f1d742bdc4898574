package orm

import (
	"context"
	"iter"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/query"
)

// transport is what the mapper needs from a connection to one table (a
// Thrift column family; a CQL table next): rows of named, packed values in
// and out. The mapper owns the model: plans, packing, nulls, defaults,
// typed keys, page tokens. A transport owns the wire: requests, paging,
// batches, and what its table looks like. thrift.go implements it over
// thrift/columnfamily; a CQL transport is a second implementation of the
// same methods.
//
// Values are packed in Cassandra's marshal formats, which the native
// protocol also uses for CQL values, so both transports carry the same
// bytes. Specs are passed by value so that nothing of the caller's escapes
// through the interface.
type transport interface {
	// open reads the live definition of the table (preparing what the
	// transport needs on first use, refreshing it when reload is set) and
	// describes it, with d's differences from it. keyspace is the first
	// call's (Keyspace), for a CQL session without one of its own.
	open(ctx context.Context, d *ModelDef, keyspace string, reload bool) (*tableInfo, error)
	// verify lists every difference between d and the live table.
	verify(ctx context.Context, d *ModelDef) ([]Diff, error)
	// checkFind refuses, before anything is sent, a select of rows the
	// table cannot answer as written: q as the caller wrote it, resolved
	// as the mapper resolved it (names, packed values); name resolves a
	// query column of q to a column name.
	checkFind(ctx context.Context, q, resolved query.Select, info *tableInfo, r readSpec, name func(column any) (string, bool)) error

	// get appends to buf the cells q selects of the row at key. A row
	// with none of them is cassa.ErrNotFound.
	get(ctx context.Context, key rowKey, q query.Select, r readSpec, buf []cell) ([]cell, error)
	// multiGet reads the rows at keys, calling each for every row found,
	// in the order of keys (each key once).
	multiGet(ctx context.Context, keys []rowKey, q query.Select, r readSpec, each func(*record) error) error
	// find iterates over the records q selects, holding one page at a
	// time: one per row, or one per super column of a super model read
	// without readSpec.super. The record is reused by the next step.
	find(ctx context.Context, q query.Select, r readSpec) iter.Seq2[*record, error]
	// page calls each for at most n of the records find would yield,
	// starting after the position from (nil: at the start), and returns
	// the position after the last of them, or nil when none is left.
	// Positions are the transport's own bytes.
	page(ctx context.Context, q query.Select, r readSpec, n int, from []byte, each func(*record) error) ([]byte, error)
	// supers iterates over the super columns of the row key, one record
	// each (Thrift only).
	supers(ctx context.Context, key []byte, r readSpec) iter.Seq2[*record, error]
	// count counts the cells q selects in the row at key (its super
	// columns, for a super model read without readSpec.super).
	count(ctx context.Context, key rowKey, q query.Select, r readSpec) (int, error)

	// write applies one row's writes.
	write(ctx context.Context, r rowWrite, w writeSpec) error
	// writeBatch applies several rows' writes together, in one batch.
	writeBatch(ctx context.Context, rows []rowWrite, w writeSpec) error
	// queue adds rows to a batch of the caller's (the transport's own batch
	// type), which the caller sends.
	queue(ctx context.Context, batch any, rows []rowWrite, w writeSpec) error
	// add changes the counter col (a model column index) of the row at
	// key (under super) by delta.
	add(ctx context.Context, key rowKey, super []byte, col int, delta int64, w writeSpec) error
	// cas is a compare-and-set (see casSpec): it reports whether it
	// applied, and when not, may hand back the row as it is (nil cells
	// when it cannot, the mapper then reads it).
	cas(ctx context.Context, c casSpec, w writeSpec) (applied bool, current *record, err error)
}

// casKind is what a compare-and-set does.
type casKind uint8

const (
	// casInsert writes updates if the row does not exist (IF NOT EXISTS).
	casInsert casKind = iota
	// casSwap writes updates if the row's columns equal expected's.
	casSwap
	// casUpdate writes updates if the row exists (IF EXISTS).
	casUpdate
	// casRemove deletes the row if its columns equal expected's, or,
	// when expected sets none, if it exists.
	casRemove
)

// casSpec is one compare-and-set on one row: the columns updates sets
// (no deletions), under the condition its kind and expected give.
type casSpec struct {
	kind              casKind
	expected, updates rowWrite
}

// tableInfo is what the mapper needs to know of the live table.
type tableInfo struct {
	super   bool // Thrift: a super column family
	counter bool // the table holds counters
	// missing are the model's columns (by index) the live table lacks (a
	// CQL column dropped): reads leave them out, writes of them fail.
	missing map[int32]bool
	// indexed lists the columns with a secondary index.
	indexed map[string]bool
	// colTypes are the types of the columns with metadata, valueType that
	// of the others: what raw fields and query values on unmapped columns
	// are packed with.
	colTypes  map[string]codec.Type
	valueType codec.Type
	// closed: every column is in colTypes (a CQL table), so another name
	// is no column at all; a Thrift row takes any column name.
	closed bool
	// diffs are the model's differences from the table, from open.
	diffs []Diff
}

// typeOf is the type of the values of the column name.
func (t *tableInfo) typeOf(name string) codec.Type {
	if ct, ok := t.colTypes[name]; ok {
		return ct
	}
	return t.valueType
}

// cell is one column as the transports carry it: as read, or as a raw
// field's column written. Its fields are ordered so that it fills 64
// bytes, one cache line, without padding.
type cell struct {
	name      []byte
	value     []byte // packed; nil for a counter read
	counter   int64  // a counter's total, when isCounter
	ttl       int32  // seconds; 0: none
	isCounter bool
}

// span is one of the model's columns in a write: its index in the model's
// columns (ModelDef.Columns), by which the transport names it (and a CQL
// transport binds it), its TTL in seconds, and where its packed value lies
// in the write's buffer. It holds no pointers, so building a row's list
// costs the garbage collector nothing.
type span struct {
	col, ttl   int32
	start, end int32
}

// record is one instance's worth of a row: its key (partition key and
// clustering prefix), its super column name (a Thrift super column
// family; nil otherwise) and its cells.
type record struct {
	key   []byte
	ck    []byte
	super []byte
	cells []cell
}

// readSpec is what a read asks for besides its select.
type readSpec struct {
	super    []byte // one super column; nil: as the model reads
	cl       cassa.Consistency
	buffer   int    // rows (keys, super columns) per request; 0: the transport's default
	keyspace string // CQL: the table's keyspace; "": the connection's
	// plain: the select is the model's default read by key (every
	// column), which a transport may prepare once.
	plain bool
}

// writeSpec adjusts a write.
type writeSpec struct {
	cl       cassa.Consistency
	ttl      time.Duration
	hasTTL   bool
	ts       int64
	hasTS    bool
	keyspace string
}

// rowWrite is one instance to write in the row at key (under super): the
// model's columns to set, their values packed one after another in buf;
// the raw field's columns to set; and the model's columns to delete, by
// index, or the whole row (super column). insert marks a whole instance
// written by Insert: it makes the row exist even without other columns
// (CQL's INSERT and its row marker).
type rowWrite struct {
	key    rowKey
	super  []byte
	buf    []byte
	set    []span
	raw    []cell
	del    []int32
	all    bool // delete the whole row, or super column
	insert bool
}

func (r *rowWrite) empty() bool {
	return len(r.set) == 0 && len(r.raw) == 0 && len(r.del) == 0 && !r.all && !r.insert
}

// value is the packed value of a span.
func (r *rowWrite) value(s span) []byte { return r.buf[s.start:s.end:s.end] }
