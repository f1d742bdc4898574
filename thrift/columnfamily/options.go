package columnfamily

import (
	"fmt"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/internal/errinfo"
	"github.com/cassa-go/cassa/thriftgen"
)

// Defaults of the column-family API (pycassa's class defaults).
const (
	// DefaultBufferSize is how many rows a GetRange or GetIndexedSlices page
	// holds, how many keys one MultiGet or MultiGetCount request carries, and
	// how many columns an XGet page holds.
	DefaultBufferSize = 1024
	// DefaultColumnCount is how many columns of each row Get, MultiGet,
	// GetRange and GetIndexedSlices read when the select sets no
	// PerPartitionLimit: the first 100 in comparator order, as in pycassa.
	DefaultColumnCount = 100
	// DefaultIndexCount is how many rows GetIndexedSlices reads when the
	// select sets no Limit (pycassa's create_index_clause default).
	DefaultIndexCount = 100
	// DefaultQueueSize is how many queued mutations make a Mutator send
	// itself.
	DefaultQueueSize = 100
)

// NoAutoSend as QueueSize keeps every mutation queued until Send.
const NoAutoSend = -1

// maxCount is what a read asks for when it wants every column (pycassa's
// MAX_COUNT).
const maxCount = 1<<31 - 1

// ErrInvalidOption reports a call whose options or select do not fit the
// call or the column family (relations on a Get, a token range on an index
// query, Super on a standard column family, a TTL out of range). It is
// returned before anything is sent, and matches cassa.ErrInvalidArgument.
var ErrInvalidOption = errinfo.Sentinel("columnfamily: invalid option", cassa.ErrInvalidArgument)

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

// Options are values of the interface types below, made by the functions
// of this file; an option that serves several kinds of call has a type
// naming them all (ReadWriteOption, CallOption).

// Option configures a ColumnFamily when it is opened.
type Option interface{ applyCF(*cfConfig) }

// ReadOption adjusts one read: Get, MultiGet, XGet, XGetSuper, GetCount,
// MultiGetCount, GetRange or GetIndexedSlices.
type ReadOption interface{ applyRead(*readOpts) }

// WriteOption adjusts one write: Insert, BatchInsert, Add, Remove,
// RemoveCounter, or a mutation queued in a batch.
type WriteOption interface{ applyWrite(*writeOpts) }

// BatchOption configures a Mutator or CFMutator.
type BatchOption interface{ applyBatch(*batchOpts) }

// ReadWriteOption is an option of reads and writes alike.
type ReadWriteOption interface {
	ReadOption
	WriteOption
}

// CallOption is an option of reads, writes and batches alike.
type CallOption interface {
	ReadOption
	WriteOption
	BatchOption
}

type readOpts struct {
	super     any
	cl        cassa.Consistency
	buffer    int
	keepEmpty bool
}

type writeOpts struct {
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

type superOpt struct{ name any }

func (s superOpt) applyRead(o *readOpts)   { o.super = s.name }
func (s superOpt) applyWrite(o *writeOpts) { o.super = s.name }

// Super addresses one super column of a super column family: reads return
// its sub-columns, Remove deletes it (or, with query.Columns, some of its
// sub-columns), Add and RemoveCounter address a counter inside it.
func Super(name any) ReadWriteOption { return superOpt{name} }

type consistencyOpt cassa.Consistency

func (c consistencyOpt) applyRead(o *readOpts)   { o.cl = cassa.Consistency(c) }
func (c consistencyOpt) applyWrite(o *writeOpts) { o.cl = cassa.Consistency(c) }
func (c consistencyOpt) applyBatch(o *batchOpts) { o.cl = cassa.Consistency(c) }

// Consistency sets the consistency level of one read, one write or a
// batch; the column family's ReadConsistency or WriteConsistency
// otherwise, itself ONE unless set.
func Consistency(c cassa.Consistency) CallOption { return consistencyOpt(c) }

// BufferSize sets the page size of one read: rows per GetRange or
// GetIndexedSlices request, keys per MultiGet or MultiGetCount request,
// columns per XGet request. Zero keeps the column family's RowBufferSize
// or ColumnBufferSize.
func BufferSize(n int) ReadOption { return readFunc(func(o *readOpts) { o.buffer = n }) }

// KeepEmpty makes GetRange yield rows without columns (deleted rows, range
// ghosts, rows the select matches nothing of), which it skips by default.
func KeepEmpty() ReadOption { return readFunc(func(o *readOpts) { o.keepEmpty = true }) }

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

// ReadConsistency sets a column family's default read consistency level.
func ReadConsistency(c cassa.Consistency) Option {
	return cfFunc(func(f *cfConfig) { f.readCL = c })
}

// WriteConsistency sets a column family's default write consistency level
// (for its batches too).
func WriteConsistency(c cassa.Consistency) Option {
	return cfFunc(func(f *cfConfig) { f.writeCL = c })
}

// RowBufferSize sets a column family's default page size in rows (GetRange,
// GetIndexedSlices) and in keys per request (MultiGet, MultiGetCount). Zero
// means DefaultBufferSize.
func RowBufferSize(n int) Option { return cfFunc(func(c *cfConfig) { c.buffer = n }) }

// ColumnBufferSize sets a column family's default XGet page size in
// columns. Zero means DefaultBufferSize.
func ColumnBufferSize(n int) Option { return cfFunc(func(c *cfConfig) { c.colBuffer = n }) }

// KeyType overrides the codec of row keys read from the schema.
func KeyType(t codec.Type) Option { return cfFunc(func(c *cfConfig) { c.keyType = t }) }

// NameType overrides the codec of column names (sub-column names in a
// super column family).
func NameType(t codec.Type) Option { return cfFunc(func(c *cfConfig) { c.nameType = t }) }

// SuperNameType overrides the codec of super column names.
func SuperNameType(t codec.Type) Option { return cfFunc(func(c *cfConfig) { c.superType = t }) }

// ValueType overrides the default codec of column values (the default
// validation class).
func ValueType(t codec.Type) Option { return cfFunc(func(c *cfConfig) { c.valueType = t }) }

// ColumnValueType sets the codec of one column's values, as a
// column_metadata validation class would. name is given unpacked.
func ColumnValueType(name any, t codec.Type) Option {
	return cfFunc(func(c *cfConfig) {
		c.colTypes = append(c.colTypes, colTypeOverride{name, t})
	})
}

// RawKeys switches key packing off: keys are given as []byte or string and
// returned as []byte.
func RawKeys() Option { return cfFunc(func(c *cfConfig) { c.rawKeys = true }) }

// RawNames switches column and super column name packing off: names are
// given as []byte or string and returned as []byte.
func RawNames() Option { return cfFunc(func(c *cfConfig) { c.rawNames = true }) }

// RawValues switches value packing off: values are given as []byte or
// string and returned as []byte. Counter values stay int64.
func RawValues() Option { return cfFunc(func(c *cfConfig) { c.rawValues = true }) }

// TimestampSource replaces the timestamp source of a column family's
// writes. The default is MonotonicTimestamp.
func TimestampSource(f func() int64) Option { return cfFunc(func(c *cfConfig) { c.clock = f }) }

// RetryCounterMutations lets the pool retry counter writes (Insert, Add and
// batches on a counter column family) after a failure that may have been
// applied, at the risk of counting twice. By default they are sent with
// pool.NonIdempotent.
func RetryCounterMutations() Option {
	return cfFunc(func(c *cfConfig) { c.retryCounters = true })
}
