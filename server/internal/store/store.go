package store

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/expiry"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/google/uuid"
)

// ErrNotFound is returned by Get when nothing live matches the path; the
// server turns it into NotFoundException.
var ErrNotFound = errors.New("store: not found")

// ErrUnknownTable is returned when a call names a table the store does not
// hold (never created, or dropped since the caller looked it up).
var ErrUnknownTable = errors.New("store: unknown table")

// InvalidError reports a request the store cannot serve, such as a token
// string the partitioner cannot parse. The server turns it into
// InvalidRequestException{Why}.
type InvalidError struct {
	Why string
}

// Error implements error.
func (e *InvalidError) Error() string { return "store: invalid request: " + e.Why }

// Clock tells the store the time. Expiry of TTL cells, deletion times of
// tombstones, counter and CAS timestamps all read it, so tests inject a fake.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Options configures a Store. The zero value uses the system clock and
// Cassandra's REJECT expiration-date overflow policy.
type Options struct {
	// Clock is the time source; nil means time.Now.
	Clock Clock
	// Expiry is the expiration-date overflow policy every write path
	// checks TTLs with (Store.Expiry); nil means REJECT.
	Expiry *expiry.Guard
}

// Store is the in-memory storage engine of one node: every column family's
// rows, ordered by the node's partitioner, with their cells, tombstones and
// secondary indexes. All methods are safe for concurrent use.
type Store struct {
	part   partitioner.Partitioner
	clock  Clock
	expiry *expiry.Guard

	// tables is replaced, never modified, under mu, so the data path
	// finds a table with one atomic load and no shared lock.
	mu     sync.Mutex
	tables atomic.Pointer[map[uuid.UUID]*table]

	lastMicros atomic.Int64 // last server timestamp handed out, for monotonicity
}

// New returns an empty store whose rows follow p's ring order.
func New(p partitioner.Partitioner, opts Options) *Store {
	c := opts.Clock
	if c == nil {
		c = systemClock{}
	}
	s := &Store{part: p, clock: c, expiry: opts.Expiry}
	m := make(map[uuid.UUID]*table)
	s.tables.Store(&m)
	return s
}

// Expiry returns the expiration-date overflow guard the write paths check
// TTLs with (ExpirationDateOverflowHandling); nil means REJECT, and a nil
// guard's methods work. Whatever the policy, an expiring cell whose expiry
// would pass 2038-01-19T03:14:06Z is stored with that expiry
// (expiry.LocalExpirationTime).
func (s *Store) Expiry() *expiry.Guard {
	if s == nil {
		return nil
	}
	return s.expiry
}

// Partitioner returns the partitioner the store orders rows by.
func (s *Store) Partitioner() partitioner.Partitioner { return s.part }

// NowMicros returns a server timestamp in microseconds since the epoch, as
// Cassandra stamps counter updates and Paxos ballots. Successive calls return
// strictly increasing values even if the clock stands still or steps back.
func (s *Store) NowMicros() int64 {
	now := s.clock.Now().UnixMicro()
	for {
		last := s.lastMicros.Load()
		next := now
		if next <= last {
			next = last + 1
		}
		if s.lastMicros.CompareAndSwap(last, next) {
			return next
		}
	}
}

// nowSec is the local time in whole seconds, Cassandra's unit for expiry and
// deletion times.
func (s *Store) nowSec() int64 { return s.clock.Now().Unix() }

// CreateTable makes an empty table for t. A table is identified by t.ID, so a
// column family dropped and created again under the same name starts empty.
// Creating an ID that exists already acts as UpdateTable.
func (s *Store) CreateTable(t *schema.Table) {
	s.UpdateTable(nil, t)
}

// UpdateTable installs a new definition of an existing table (same ID) after
// system_update_column_family. When the indexed columns or their validators
// change, the secondary indexes are rebuilt from the data. old may be nil.
// An unknown ID is created, so a caller that missed CreateTable loses nothing.
func (s *Store) UpdateTable(old, updated *schema.Table) {
	_ = old // the store keeps its own copy of the previous definition
	s.mu.Lock()
	tb, ok := (*s.tables.Load())[updated.ID]
	if !ok {
		s.editTables(func(m map[uuid.UUID]*table) { m[updated.ID] = newTable(updated, s.part, s.NowMicros) })
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	tb.update(updated, s.nowSec())
}

// DropTable discards a table's rows and indexes.
func (s *Store) DropTable(t *schema.Table) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.editTables(func(m map[uuid.UUID]*table) { delete(m, t.ID) })
}

// DropKeyspace discards every table of the keyspace.
func (s *Store) DropKeyspace(keyspace string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.editTables(func(m map[uuid.UUID]*table) {
		for id, tb := range m {
			if tb.keyspace == keyspace {
				delete(m, id)
			}
		}
	})
}

// editTables publishes an edited copy of the table map. The caller holds mu.
func (s *Store) editTables(f func(map[uuid.UUID]*table)) {
	cur := *s.tables.Load()
	m := make(map[uuid.UUID]*table, len(cur)+1)
	for k, v := range cur {
		m[k] = v
	}
	f(m)
	s.tables.Store(&m)
}

// Truncate removes every row of the table regardless of timestamps: it is not
// a tombstone, so later writes with any timestamp are visible.
func (s *Store) Truncate(t *schema.Table) error {
	tb, err := s.table(t)
	if err != nil {
		return err
	}
	tb.truncate()
	return nil
}

// PurgeTombstones is the test hook that stands for compaction after
// gc_grace_seconds: it drops every tombstone and expired cell whose local
// deletion time is more than the table's gc_grace_seconds in the past, and
// with them the rows (range ghosts) left empty.
func (s *Store) PurgeTombstones() {
	now := s.nowSec()
	for _, tb := range *s.tables.Load() {
		tb.purge(now)
	}
}

// table finds the storage of t by its ID.
func (s *Store) table(t *schema.Table) (*table, error) {
	if t == nil {
		return nil, ErrUnknownTable
	}
	return s.tableByID(t.ID)
}

func (s *Store) tableByID(id uuid.UUID) (*table, error) {
	tb := (*s.tables.Load())[id]
	if tb == nil {
		return nil, ErrUnknownTable
	}
	return tb, nil
}
