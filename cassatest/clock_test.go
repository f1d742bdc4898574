package cassatest

import (
	"sync"
	"testing"
	"time"
)

func TestClock(t *testing.T) {
	start := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	c := NewClock(start)
	steps := []struct {
		advance time.Duration
		want    time.Time
	}{
		{0, start},
		{time.Second, start.Add(time.Second)},
		{1500 * time.Millisecond, start.Add(2500 * time.Millisecond)},
		{-500 * time.Millisecond, start.Add(2 * time.Second)},
	}
	for i, s := range steps {
		c.Advance(s.advance)
		if got := c.Now(); !got.Equal(s.want) {
			t.Fatalf("step %d: Now() = %v, want %v", i, got, s.want)
		}
	}
}

// TestClockConcurrent is for the race detector: the server reads Now while
// the test advances the clock.
func TestClockConcurrent(t *testing.T) {
	c := NewClock(time.Unix(0, 0))
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(2)
		go func() { defer wg.Done(); c.Advance(time.Millisecond) }()
		go func() { defer wg.Done(); _ = c.Now() }()
	}
	wg.Wait()
	if got, want := c.Now(), time.Unix(0, 0).Add(4*time.Millisecond); !got.Equal(want) {
		t.Fatalf("Now() = %v, want %v", got, want)
	}
}
