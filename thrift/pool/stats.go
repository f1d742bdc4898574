package pool

import (
	"sync/atomic"
	"time"
)

// Stats is a snapshot of a pool: pycassa's StatsLogger counters since Open,
// and what the pool holds now.
type Stats struct {
	// Counters since Open (pycassa's StatsLogger names in brackets).
	Created       int64 // connections opened [created.success]
	CreateFailed  int64 // connection attempts that failed [created.failure]
	CheckedOut    int64 // [checked_out]
	CheckedIn     int64 // [checked_in]
	Disposed      int64 // connections closed cleanly [disposed.success]
	DisposeFailed int64 // connections whose close returned an error [disposed.failure]
	Recycled      int64 // [recycled]
	Failed        int64 // failed attempts, connecting or running [failed]
	ServerLists   int64 // server lists obtained [list]
	AtMax         int64 // checkouts that timed out at the limit [at_max]
	Retries       int64 // attempts after the first, over all operations

	// Now.
	InUse      int // checked out or being opened [opened.current]
	MaxInUse   int // the most ever in use at once [opened.max]
	Open       int // open or opening, idle and in use
	MaxOpen    int // the most ever open at once
	Idle       int // open and waiting in the pool
	Waiting    int // checkouts waiting for a connection
	PoolSize   int
	MaxConns   int // PoolSize + MaxOverflow; -1 when overflow is unlimited
	Servers    []ServerStats
	SnapshotAt time.Time
}

// ServerStats is one server as the pool sees it.
type ServerStats struct {
	Addr      string
	Up        bool
	Open      int       // connections open to it
	DownSince time.Time // zero when up
	LastErr   error     // why it was last marked down
}

// counters are the pool's event counts, updated without the pool lock.
type counters struct {
	created, createFailed, checkedOut, checkedIn, disposed, disposeFailed,
	recycled, failed, lists, atMax, retries atomic.Int64
}

// Stats returns a snapshot of the pool's counters and state (the zero
// Stats for a nil Pool or one not made by Open).
func (p *Pool) Stats() Stats {
	if p.usable("") != nil {
		return Stats{}
	}
	c := &p.count
	st := Stats{
		Created:       c.created.Load(),
		CreateFailed:  c.createFailed.Load(),
		CheckedOut:    c.checkedOut.Load(),
		CheckedIn:     c.checkedIn.Load(),
		Disposed:      c.disposed.Load(),
		DisposeFailed: c.disposeFailed.Load(),
		Recycled:      c.recycled.Load(),
		Failed:        c.failed.Load(),
		ServerLists:   c.lists.Load(),
		AtMax:         c.atMax.Load(),
		Retries:       c.retries.Load(),
		PoolSize:      p.s.poolSize,
		MaxConns:      p.s.poolSize + p.s.maxOverflow,
		SnapshotAt:    time.Now(),
	}
	if p.s.maxOverflow == UnlimitedOverflow {
		st.MaxConns = -1
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	st.InUse, st.MaxInUse = p.inUse, p.maxInUse
	st.Open, st.MaxOpen = p.openLocked(), p.maxOpen
	st.Idle = len(p.idle)
	st.Waiting = len(p.waiters)
	for _, h := range p.hosts {
		st.Servers = append(st.Servers, ServerStats{
			Addr: h.addr, Up: h.up, Open: h.open, DownSince: h.downSince, LastErr: h.lastErr,
		})
	}
	return st
}
