package testclock

import (
	"sync"
	"time"
)

// Start is where New's clocks start: a fixed instant, so that the
// timestamps and expiry times a test sees are the same on every run.
func Start() time.Time { return time.Unix(1_700_000_000, 0) }

// Clock reads the time it was set to until Advance moves it. It is safe
// for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// New returns a Clock at Start.
func New() *Clock { return &Clock{t: Start()} }

// Now returns the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d (back, for a negative d).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
