package commitlog

import (
	"fmt"
	"sync"
	"testing"
)

// BenchmarkAppend measures acknowledged appends of 100-byte records for both
// sync modes with 1 and 16 concurrent writers. The ops/s metric is the
// figure quoted in the server's notes.
func BenchmarkAppend(b *testing.B) {
	rec := make([]byte, 100)
	for _, mode := range []SyncMode{SyncBatch, SyncPeriodic} {
		for _, writers := range []int{1, 16} {
			b.Run(fmt.Sprintf("%s/writers=%d", mode, writers), func(b *testing.B) {
				l, err := Open(Options{Dir: b.TempDir(), Sync: mode})
				if err != nil {
					b.Fatal(err)
				}
				defer l.Close()
				b.SetBytes(int64(len(rec)))
				b.ResetTimer()
				var wg sync.WaitGroup
				per := b.N/writers + 1
				for w := 0; w < writers; w++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := 0; i < per; i++ {
							if _, err := l.Append(rec); err != nil {
								b.Error(err)
								return
							}
						}
					}()
				}
				wg.Wait()
				b.StopTimer()
				b.ReportMetric(float64(per*writers)/b.Elapsed().Seconds(), "appends/s")
				b.ReportMetric(float64(l.Syncs())/float64(per*writers), "fsyncs/append")
			})
		}
	}
}
