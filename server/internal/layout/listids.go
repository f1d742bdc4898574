package layout

import (
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"
)

// ListIDs makes the cell names of list elements: version 1 time UUIDs,
// which the comparator orders by time, so a list's order is its names'
// order. Appended elements get fresh, strictly increasing times
// (UUIDGen.getTimeUUIDBytes); prepended ones get times mirrored into the
// past around 2010-01-01 that decrease from one prepend to the next
// (Lists.Prepender and its PrecisionTime), so they sort before every
// appended element and before earlier prepends. One ListIDs should serve a
// whole server, as Cassandra's counters are process-wide. Safe for
// concurrent use.
type ListIDs struct {
	now   func() time.Time
	clock [8]byte // clock sequence and node, bytes 8-15 of every UUID

	mu         sync.Mutex
	lastTicks  int64 // appends: last 100 ns tick handed out, since the UUID epoch
	prepMillis int64 // prepends: the last PrecisionTime
	prepNanos  int
}

// uuidEpochMillis is 1582-10-15 in Unix milliseconds (UUIDGen.START_EPOCH).
const uuidEpochMillis = -12219292800000

// referenceMillis is 2010-01-01 in Unix milliseconds, the mirror of
// prepended times (PrecisionTime.REFERENCE_TIME).
const referenceMillis = 1262304000000

// maxNanos is the highest 100 ns offset within a millisecond.
const maxNanos = 9999

// NewListIDs returns a generator reading time from now (nil: time.Now),
// with a random clock sequence and node.
func NewListIDs(now func() time.Time) *ListIDs {
	if now == nil {
		now = time.Now
	}
	g := &ListIDs{now: now, prepMillis: 1<<63 - 1}
	_, _ = rand.Read(g.clock[:])
	g.clock[0] = g.clock[0]&0x3f | 0x80 // RFC 4122 variant
	return g
}

// Append returns n time UUIDs, in increasing order, later than every one
// handed out before.
func (g *ListIDs) Append(n int) [][]byte {
	out := make([][]byte, n)
	g.mu.Lock()
	defer g.mu.Unlock()
	for i := range out {
		t := (g.now().UnixMilli() - uuidEpochMillis) * 10000
		if t <= g.lastTicks {
			t = g.lastTicks + 1
		}
		g.lastTicks = t
		out[i] = g.uuid(t)
	}
	return out
}

// Prepend returns n time UUIDs in increasing order, all earlier than those
// of every previous Prepend (and than every Append's).
func (g *ListIDs) Prepend(n int) [][]byte {
	out := make([][]byte, n)
	g.mu.Lock()
	defer g.mu.Unlock()
	mirrored := referenceMillis - (g.now().UnixMilli() - referenceMillis)
	// The last element first, as Lists.Prepender: each gets the next
	// smaller PrecisionTime, so the first element is the smallest.
	for i := n - 1; i >= 0; i-- {
		switch {
		case mirrored < g.prepMillis:
			g.prepMillis, g.prepNanos = mirrored, maxNanos
		case g.prepNanos > 0:
			g.prepNanos--
		default:
			// Cassandra 3.11 would repeat nanos 0 here; stepping back a
			// millisecond keeps every name distinct and decreasing.
			g.prepMillis, g.prepNanos = g.prepMillis-1, maxNanos
		}
		out[i] = g.uuid((g.prepMillis-uuidEpochMillis)*10000 + int64(g.prepNanos))
	}
	return out
}

// uuid builds the version 1 UUID of a 100 ns tick count since 1582.
func (g *ListIDs) uuid(ticks int64) []byte {
	u := make([]byte, 16)
	t := uint64(ticks)
	binary.BigEndian.PutUint32(u[0:4], uint32(t))
	binary.BigEndian.PutUint16(u[4:6], uint16(t>>32))
	binary.BigEndian.PutUint16(u[6:8], uint16(t>>48)&0x0fff|0x1000)
	copy(u[8:], g.clock[:])
	return u
}
