package columnfamily

import (
	"sync/atomic"
	"time"
)

// lastTimestamp is the last timestamp MonotonicTimestamp handed out. It is
// process-wide on purpose: two column families writing the same row must
// not share a timestamp either.
var lastTimestamp atomic.Int64

// MonotonicTimestamp returns the current time in microseconds since the
// Unix epoch, or one more than the last value it returned when the clock
// has not moved on (or went back). One process never gets the same value
// twice, so two writes to the same cell from one process never tie.
// It is the default timestamp source of a ColumnFamily.
func MonotonicTimestamp() int64 {
	now := time.Now().UnixMicro()
	for {
		last := lastTimestamp.Load()
		next := max(now, last+1)
		if lastTimestamp.CompareAndSwap(last, next) {
			return next
		}
	}
}
