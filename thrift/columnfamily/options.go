package columnfamily

import (
	"errors"
	"fmt"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/thriftgen"
)

// Defaults of the column-family API (pycassa's class defaults).
const (
	// DefaultBufferSize is how many rows a GetRange or GetIndexedSlices page
	// holds, how many keys one MultiGet or MultiGetCount request carries, and
	// how many columns an XGet page holds.
	DefaultBufferSize = 1024
	// DefaultColumnCount is how many columns of a row a read returns when no
	// Count is given: the first 100 in comparator order, as in pycassa.
	DefaultColumnCount = 100
	// DefaultQueueSize is how many queued mutations make a Mutator send
	// itself.
	DefaultQueueSize = 100
	// DefaultIndexCount is how many rows GetIndexedSlices returns when
	// IndexClause.Count is zero (pycassa's create_index_clause default).
	DefaultIndexCount = 100
)

// Special values for counts whose zero value already means a default.
const (
	// NoAutoSend as QueueSize keeps every mutation queued until Send.
	NoAutoSend = -1
	// Unlimited as IndexClause.Count, RowCount or Count (on XGet and the
	// counts) removes the limit.
	Unlimited = -1
)

// maxCount is what the counting calls ask for when no Count is given
// (pycassa's MAX_COUNT).
const maxCount = 1<<31 - 1

// ErrInvalidOption reports options that cannot be combined, such as a start
// token together with a start key, or a value out of range. It is returned
// before anything is sent.
var ErrInvalidOption = errors.New("columnfamily: invalid option")

// thriftLevels maps the consistency levels to Cassandra's Thrift codes.
var thriftLevels = [...]thriftgen.ConsistencyLevel{
	cassa.Any:         thriftgen.ConsistencyLevel_ANY,
	cassa.One:         thriftgen.ConsistencyLevel_ONE,
	cassa.Two:         thriftgen.ConsistencyLevel_TWO,
	cassa.Three:       thriftgen.ConsistencyLevel_THREE,
	cassa.Quorum:      thriftgen.ConsistencyLevel_QUORUM,
	cassa.All:         thriftgen.ConsistencyLevel_ALL,
	cassa.LocalQuorum: thriftgen.ConsistencyLevel_LOCAL_QUORUM,
	cassa.EachQuorum:  thriftgen.ConsistencyLevel_EACH_QUORUM,
	cassa.Serial:      thriftgen.ConsistencyLevel_SERIAL,
	cassa.LocalSerial: thriftgen.ConsistencyLevel_LOCAL_SERIAL,
	cassa.LocalOne:    thriftgen.ConsistencyLevel_LOCAL_ONE,
}

// thriftLevel is the Thrift code of c, with the zero value resolved to
// fallback and a zero (or unknown) fallback to ONE.
func thriftLevel(c, fallback cassa.Consistency) thriftgen.ConsistencyLevel {
	if c == 0 {
		c = fallback
	}
	if c == 0 || int(c) >= len(thriftLevels) {
		c = cassa.One
	}
	return thriftLevels[c]
}

// ReadOption adjusts one read: Get, MultiGet, XGet, GetCount,
// MultiGetCount, GetRange or GetIndexedSlices.
type ReadOption interface{ applyRead(*readOpts) }

// WriteOption adjusts one write: Insert, BatchInsert, Add, Remove,
// RemoveCounter, or a mutation queued in a batch.
type WriteOption interface{ applyWrite(*writeOpts) }

// CFOption configures a ColumnFamily when it is opened.
type CFOption interface{ applyCF(*cfConfig) }

// BatchOption configures a Mutator or CFMutator.
type BatchOption interface{ applyBatch(*batchOpts) }

type readOpts struct {
	names    []any
	named    bool // names given, possibly empty (pycassa columns=[])
	start    any
	finish   any
	reversed bool
	count    int
	countSet bool
	super    any
	cl       cassa.Consistency
	buffer   int

	rowCount    int
	startKey    any
	finishKey   any
	startToken  *string
	finishToken *string
	keepEmpty   bool
	rowFilter   []IndexExpression
}

type writeOpts struct {
	names  []any
	named  bool
	super  any
	cl     cassa.Consistency
	ts     int64
	tsSet  bool
	ttl    int32
	ttlErr error
}

type batchOpts struct {
	queueSize int
	atomic    bool
	cl        cassa.Consistency
}

type readFunc func(*readOpts)

func (f readFunc) applyRead(o *readOpts) { f(o) }

type writeFunc func(*writeOpts)

func (f writeFunc) applyWrite(o *writeOpts) { f(o) }

type cfFunc func(*cfConfig)

func (f cfFunc) applyCF(c *cfConfig) { f(c) }

type batchFunc func(*batchOpts)

func (f batchFunc) applyBatch(o *batchOpts) { f(o) }

// columnsOpt is both a read option (named columns) and a write option
// (columns to remove).
type columnsOpt []any

func (c columnsOpt) applyRead(o *readOpts)   { o.names, o.named = []any(c), true }
func (c columnsOpt) applyWrite(o *writeOpts) { o.names, o.named = []any(c), true }

// Columns names the columns to read, or to remove with Remove. On a super
// column family without Super they are super column names. Columns()
// with no names is an empty list, as pycassa's columns=[]: Get then fails
// with cassa.ErrNotFound and Remove deletes nothing.
func Columns(names ...any) interface {
	ReadOption
	WriteOption
} {
	if names == nil {
		names = []any{}
	}
	return columnsOpt(names)
}

type superOpt struct{ name any }

func (s superOpt) applyRead(o *readOpts)   { o.super = s.name }
func (s superOpt) applyWrite(o *writeOpts) { o.super = s.name }

// Super restricts a read or write on a super column family to one
// super column: reads return its sub-columns, Remove deletes it (or, with
// Columns, some of its sub-columns), Add and RemoveCounter address a
// counter inside it.
func Super(name any) interface {
	ReadOption
	WriteOption
} {
	return superOpt{name}
}

// Slice reads the columns from start to finish, both inclusive. A nil (or
// "") end is open. With Reversed, start is the high end. Ends are packed
// with the column name type as slice bounds: a time.Time in a TimeUUID
// slice becomes the lowest UUID of its microsecond at the low end and the
// highest at the high end, and the components of a composite end may be
// wrapped in codec.Inclusive or codec.Exclusive.
func Slice(start, finish any) ReadOption {
	return readFunc(func(o *readOpts) { o.start, o.finish = start, finish })
}

// Reversed returns columns in descending comparator order; the slice then
// runs from its start (the high end) down to its finish.
func Reversed() ReadOption { return readFunc(func(o *readOpts) { o.reversed = true }) }

// Count limits how many columns of each row a read returns. The default is
// DefaultColumnCount (100) for Get, MultiGet, GetRange and
// GetIndexedSlices, and no limit for XGet, GetCount and MultiGetCount
// (Unlimited asks for that explicitly). Count(0) asks for no columns.
func Count(n int) ReadOption {
	return readFunc(func(o *readOpts) { o.count, o.countSet = n, true })
}

// RowCount limits how many rows GetRange yields; rows skipped as empty do
// not count. Zero or Unlimited means no limit.
func RowCount(n int) ReadOption { return readFunc(func(o *readOpts) { o.rowCount = n }) }

// KeyRange bounds GetRange by keys, both inclusive; a nil or "" end is
// open.
func KeyRange(start, finish any) ReadOption {
	return readFunc(func(o *readOpts) { o.startKey, o.finishKey = start, finish })
}

// StartToken starts GetRange after the token t (exclusive), written as the
// partitioner prints tokens: decimal for Murmur3 and Random, hex for
// ByteOrdered. It cannot be combined with KeyRange.
func StartToken(t string) ReadOption { return readFunc(func(o *readOpts) { o.startToken = &t }) }

// FinishToken ends GetRange at the token t (inclusive). It cannot be
// combined with a finish key.
func FinishToken(t string) ReadOption { return readFunc(func(o *readOpts) { o.finishToken = &t }) }

// KeepEmpty makes GetRange yield rows without columns (deleted rows, range
// ghosts, rows the predicate matches nothing of), which it skips by
// default.
func KeepEmpty() ReadOption { return readFunc(func(o *readOpts) { o.keepEmpty = true }) }

// RowFilter keeps only the rows of GetRange whose columns match every
// expression (KeyRange.row_filter; the server filters, no index needed).
func RowFilter(exprs ...IndexExpression) ReadOption {
	return readFunc(func(o *readOpts) { o.rowFilter = exprs })
}

type bufferOpt int

func (b bufferOpt) applyRead(o *readOpts) { o.buffer = int(b) }
func (b bufferOpt) applyCF(c *cfConfig)   { c.buffer = int(b) }

// BufferSize is the page size: rows per GetRange or GetIndexedSlices
// request, keys per MultiGet or MultiGetCount request, and (per call)
// columns per XGet request. As a CFOption it sets the column family's
// default for rows and keys. Zero means DefaultBufferSize.
func BufferSize(n int) interface {
	ReadOption
	CFOption
} {
	return bufferOpt(n)
}

// ColumnBufferSize sets a column family's default XGet page size in
// columns. Zero means DefaultBufferSize.
func ColumnBufferSize(n int) CFOption { return cfFunc(func(c *cfConfig) { c.colBuffer = n }) }

type clOpt cassa.Consistency

func (c clOpt) applyRead(o *readOpts)   { o.cl = cassa.Consistency(c) }
func (c clOpt) applyWrite(o *writeOpts) { o.cl = cassa.Consistency(c) }
func (c clOpt) applyBatch(o *batchOpts) { o.cl = cassa.Consistency(c) }
func (c clOpt) applyCF(f *cfConfig)     { f.readCL, f.writeCL = cassa.Consistency(c), cassa.Consistency(c) }

// CL sets the consistency level of one read, one write, a batch, or (as a
// CFOption) both defaults of a column family.
func CL(c cassa.Consistency) interface {
	ReadOption
	WriteOption
	BatchOption
	CFOption
} {
	return clOpt(c)
}

// ReadCL sets a column family's default read consistency level.
func ReadCL(c cassa.Consistency) CFOption { return cfFunc(func(f *cfConfig) { f.readCL = c }) }

// WriteCL sets a column family's default write consistency level.
func WriteCL(c cassa.Consistency) CFOption { return cfFunc(func(f *cfConfig) { f.writeCL = c }) }

// TTL makes written columns expire after d, in whole seconds (rounded up).
// Counter columns ignore it. A negative d is an error.
func TTL(d time.Duration) WriteOption {
	return writeFunc(func(o *writeOpts) {
		secs := (d + time.Second - 1) / time.Second
		if d < 0 || secs > 1<<31-1 {
			o.ttlErr = fmt.Errorf("%w: TTL %v out of range", ErrInvalidOption, d)
			return
		}
		o.ttl = int32(secs)
	})
}

// Timestamp writes with the client timestamp ts (microseconds by
// convention) instead of one from the column family's timestamp source.
func Timestamp(ts int64) WriteOption {
	return writeFunc(func(o *writeOpts) { o.ts, o.tsSet = ts, true })
}

// QueueSize makes a batch send itself once this many mutations are queued.
// Zero means DefaultQueueSize; NoAutoSend (or any negative value) keeps
// everything until Send.
func QueueSize(n int) BatchOption { return batchFunc(func(o *batchOpts) { o.queueSize = n }) }

// Atomic sends the batch with atomic_batch_mutate (Cassandra's batch log):
// either every mutation is eventually applied or none is.
func Atomic() BatchOption { return batchFunc(func(o *batchOpts) { o.atomic = true }) }

// KeyType overrides the codec of row keys read from the schema.
func KeyType(t codec.Type) CFOption { return cfFunc(func(c *cfConfig) { c.keyType = t }) }

// NameType overrides the codec of column names (sub-column names in a
// super column family).
func NameType(t codec.Type) CFOption { return cfFunc(func(c *cfConfig) { c.nameType = t }) }

// SuperNameType overrides the codec of super column names.
func SuperNameType(t codec.Type) CFOption {
	return cfFunc(func(c *cfConfig) { c.superType = t })
}

// ValueType overrides the default codec of column values (the default
// validation class).
func ValueType(t codec.Type) CFOption { return cfFunc(func(c *cfConfig) { c.valueType = t }) }

// ColumnValueType sets the codec of one column's values, as a
// column_metadata validation class would. name is given unpacked.
func ColumnValueType(name any, t codec.Type) CFOption {
	return cfFunc(func(c *cfConfig) {
		c.colTypes = append(c.colTypes, colTypeOverride{name, t})
	})
}

// RawKeys switches key packing off: keys are given as []byte or string and
// returned as []byte.
func RawKeys() CFOption { return cfFunc(func(c *cfConfig) { c.rawKeys = true }) }

// RawNames switches column and super column name packing off: names are
// given as []byte or string and returned as []byte.
func RawNames() CFOption { return cfFunc(func(c *cfConfig) { c.rawNames = true }) }

// RawValues switches value packing off: values are given as []byte or
// string and returned as []byte. Counter values stay int64.
func RawValues() CFOption { return cfFunc(func(c *cfConfig) { c.rawValues = true }) }

// TimestampSource replaces the timestamp source of a column family's
// writes. The default is MonotonicTimestamp.
func TimestampSource(f func() int64) CFOption { return cfFunc(func(c *cfConfig) { c.clock = f }) }

// RetryCounterMutations lets the pool retry counter writes (Insert, Add and
// batches on a counter column family) after a failure that may have been
// applied, at the risk of counting twice. By default they are sent with
// NonIdempotent.
func RetryCounterMutations() CFOption {
	return cfFunc(func(c *cfConfig) { c.retryCounters = true })
}
