package cassatest

import (
	"sync"
	"time"
)

// Clock is a server clock that only the test moves, so TTL expiry and
// write timestamps can be tested without sleeping. Pass its Now as
// server.Config.Clock:
//
//	clock := cassatest.NewClock(time.Now())
//	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{Clock: clock.Now}))
//	...
//	clock.Advance(2 * time.Second) // a 1-second TTL has now expired
//
// It is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock that reads start until Advance moves it.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's current time.
// A nil Clock reads the zero time.
func (c *Clock) Now() time.Time {
	if c == nil {
		return time.Time{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d (back, for a negative d).
// A nil Clock does not move.
func (c *Clock) Advance(d time.Duration) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
