package store

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cassa-go/cassa/partitioner"
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

func (e *InvalidError) Error() string { return "store: invalid request: " + e.Why }

// Clock tells the store the time. Expiry of TTL cells, deletion times of
// tombstones, counter and CAS timestamps all read it, so tests inject a fake.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Options configures a Store. The zero value uses the system clock.
type Options struct {
	// Clock is the time source; nil means time.Now.
	Clock Clock
}

// Store is the in-memory storage engine of one node: every column family's
// rows, ordered by the node's partitioner, with their cells, tombstones and
// secondary indexes. All methods are safe for concurrent use.
type Store struct {
	part  partitioner.Partitioner
	clock Clock

	mu     sync.RWMutex
	tables map[uuid.UUID]*table

	lastMicros atomic.Int64 // last server timestamp handed out, for monotonicity
}

// New returns an empty store whose rows follow p's ring order.
func New(p partitioner.Partitioner, opts Options) *Store {
	c := opts.Clock
	if c == nil {
		c = systemClock{}
	}
	return &Store{part: p, clock: c, tables: make(map[uuid.UUID]*table)}
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
// Creating an ID that exists already replaces its definition only.
func (s *Store) CreateTable(t *schema.Table) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.tables[t.ID]; ok {
		old.setDef(t)
		return
	}
	s.tables[t.ID] = newTable(t, s.part)
}

// UpdateTable installs a new definition of an existing table (same ID) after
// system_update_column_family. When the indexed columns or their validators
// change, the secondary indexes are rebuilt from the data. old may be nil.
// An unknown ID is created, so a caller that missed CreateTable loses nothing.
func (s *Store) UpdateTable(old, updated *schema.Table) {
	_ = old // the store keeps its own copy of the previous definition
	s.mu.Lock()
	tb, ok := s.tables[updated.ID]
	if !ok {
		s.tables[updated.ID] = newTable(updated, s.part)
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	tb.update(updated, s.nowSec())
}

// DropTable discards a table's rows and indexes.
func (s *Store) DropTable(t *schema.Table) {
	s.mu.Lock()
	delete(s.tables, t.ID)
	s.mu.Unlock()
}

// DropKeyspace discards every table of the keyspace.
func (s *Store) DropKeyspace(keyspace string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, tb := range s.tables {
		if tb.keyspace == keyspace {
			delete(s.tables, id)
		}
	}
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
	s.mu.RLock()
	tbs := make([]*table, 0, len(s.tables))
	for _, tb := range s.tables {
		tbs = append(tbs, tb)
	}
	s.mu.RUnlock()
	now := s.nowSec()
	for _, tb := range tbs {
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
	s.mu.RLock()
	tb := s.tables[id]
	s.mu.RUnlock()
	if tb == nil {
		return nil, ErrUnknownTable
	}
	return tb, nil
}
