package store

import (
	"fmt"

	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/google/uuid"
)

// OpKind says what one Op does.
type OpKind uint8

// The operations a validated Thrift mutation turns into.
const (
	// OpPut writes a column (a sub-column when Super is set) with Value,
	// Timestamp and, when TTL > 0, an expiry.
	OpPut OpKind = iota + 1
	// OpAddCounter adds Delta to the counter Name (in Super when set).
	OpAddCounter
	// OpDeleteRow writes a row tombstone at Timestamp.
	OpDeleteRow
	// OpDeleteColumn writes a tombstone for column Name (a sub-column of
	// Super when set). On a super CF without Super it deletes the super
	// column Name.
	OpDeleteColumn
	// OpDeleteSuper writes a tombstone over the whole super column Super.
	OpDeleteSuper
	// OpDeleteRange writes a range tombstone over [Start, Finish], both
	// inclusive in comparator order unless StartExclusive/FinishExclusive
	// say otherwise; an empty bound is open. On a super CF it covers whole
	// super columns, or sub-columns of Super when set.
	OpDeleteRange
)

// String names the kind for logs.
func (k OpKind) String() string {
	switch k {
	case OpPut:
		return "put"
	case OpAddCounter:
		return "add-counter"
	case OpDeleteRow:
		return "delete-row"
	case OpDeleteColumn:
		return "delete-column"
	case OpDeleteSuper:
		return "delete-super-column"
	case OpDeleteRange:
		return "delete-range"
	}
	return fmt.Sprintf("OpKind(%d)", uint8(k))
}

// Op is one change to one row. It is plain data so that a commit log can
// record it and replay it to the same effect: every time it depends on is
// resolved before it is applied (see Store.Prepare).
type Op struct {
	Kind  OpKind
	Super []byte // super column name (super CFs), else nil
	Name  []byte // column or sub-column name (OpPut, OpAddCounter, OpDeleteColumn)
	Value []byte // OpPut

	Start, Finish []byte // OpDeleteRange bounds; empty means open
	// StartExclusive and FinishExclusive leave the names equal to a bound
	// out of an OpDeleteRange. Composite comparators say the same with
	// end-of-component bytes; these serve simple comparators, where a CQL
	// slice such as c > 5 has no other encoding.
	StartExclusive, FinishExclusive bool

	// Timestamp is the write or deletion timestamp (any int64). Counter
	// updates get server time from Prepare when it is 0.
	Timestamp int64
	// TTL is the original time to live in seconds; 0 means the cell never
	// expires. The caller has applied the CF default_time_to_live rules.
	TTL int32
	// Delta is the signed amount an OpAddCounter adds.
	Delta int64
	// LocalTime is the server's time in Unix seconds when the op was
	// accepted: expiring cells expire at LocalTime+TTL, and tombstones
	// become purgeable gc_grace_seconds after it. Prepare sets it when 0.
	LocalTime int64
}

// RowMutation is every change to one row of one table, applied atomically
// and in isolation: a reader sees all of its ops or none.
type RowMutation struct {
	Keyspace string    // for logs and replay
	Table    string    // column family name, for logs and replay
	TableID  uuid.UUID // which table; a re-created CF has a new ID
	Key      []byte
	Ops      []Op
}

// bounds is the interval of an OpDeleteRange.
func (op *Op) bounds() bounds {
	return bounds{start: op.Start, finish: op.Finish,
		startExcl: op.StartExclusive && len(op.Start) > 0, finishExcl: op.FinishExclusive && len(op.Finish) > 0}
}

// NewRowMutation starts a mutation of row key in table t.
func NewRowMutation(t *schema.Table, key []byte, ops ...Op) RowMutation {
	return RowMutation{Keyspace: t.Keyspace, Table: t.Name, TableID: t.ID, Key: key, Ops: ops}
}

// Prepare resolves, in place, what Apply would otherwise take from the clock:
// LocalTime of every op that has none and the timestamp of counter updates
// that have none. A commit log calls it before recording the mutations so a
// replay reproduces them exactly.
func (s *Store) Prepare(muts []RowMutation) {
	now := s.nowSec()
	for i := range muts {
		ops := muts[i].Ops
		for j := range ops {
			if ops[j].LocalTime == 0 {
				ops[j].LocalTime = now
			}
			if ops[j].Kind == OpAddCounter && ops[j].Timestamp == 0 {
				ops[j].Timestamp = s.NowMicros()
			}
		}
	}
}

// Apply applies the mutations, each row atomically and in isolation. Ops of
// one row are applied in order, but the result does not depend on that order:
// cells reconcile by timestamp, deletions shadow by timestamp, and counter
// deltas add up. Every table is looked up before anything is written, so an
// unknown table (ErrUnknownTable) rejects the whole call.
//
// Apply does not modify muts; ops without LocalTime use the current time and
// counter updates without a timestamp get server time, as Prepare would
// have set them.
func (s *Store) Apply(muts ...RowMutation) error {
	var small [4]*table
	tbs := small[:0]
	if len(muts) > len(small) {
		tbs = make([]*table, 0, len(muts))
	}
	for i := range muts {
		tb, err := s.tableByID(muts[i].TableID)
		if err != nil {
			return fmt.Errorf("%w: %s.%s", err, muts[i].Keyspace, muts[i].Table)
		}
		tbs = append(tbs, tb)
	}
	now := s.nowSec()
	for i := range muts {
		tbs[i].applyRow(muts[i].Key, muts[i].Ops, now)
	}
	return nil
}
