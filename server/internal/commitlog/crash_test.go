package commitlog

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cassa-go/cassa/server/internal/vfs"
	"github.com/stretchr/testify/require"
)

// These tests run the log on a vfs.MemFS and crash it by taking a
// CrashClone: the disk as a power cut would leave it, with everything not
// fsynced (file bytes, and directory entries not made durable by a
// directory sync) gone. A kill -9 cannot show that, since the page cache
// outlives the process.

const crashDir = "/data"

// writerRecord is writer w's i-th record.
func writerRecord(w, i int) []byte { return []byte(fmt.Sprintf("w%d-%06d", w, i)) }

// recordsPerWriter replays fsys and counts, per writer, the records found,
// failing the test if a writer's records are not 0, 1, 2, ... in order.
func recordsPerWriter(t *testing.T, fsys vfs.FS, writers int) []int {
	t.Helper()
	got := make([]int, writers)
	_, err := Replay(fsys, crashDir, 0, nil, func(_ Position, p []byte) error {
		var w, i int
		if _, err := fmt.Sscanf(string(p), "w%d-%06d", &w, &i); err != nil {
			return fmt.Errorf("record %q: %v", p, err)
		}
		if w >= writers || i != got[w] {
			return fmt.Errorf("record %q out of order: writer %d has %d records before it", p, w, got[w])
		}
		got[w]++
		return nil
	})
	require.NoError(t, err)
	return got
}

// crashPoint is the disk at one instant and the records acknowledged
// before that instant.
type crashPoint struct {
	op    string
	disk  *vfs.MemFS
	acked []int
}

// TestCrashBatchKeepsEveryAcknowledgedRecord crashes a batch log before
// every file operation it makes while concurrent writers append (segments
// roll every few records) and checks that replay finds every record
// acknowledged before the crash, at most the one in flight per writer
// more, and nothing torn or out of order.
func TestCrashBatchKeepsEveryAcknowledgedRecord(t *testing.T) {
	for _, torn := range []bool{false, true} {
		t.Run(map[bool]string{false: "unsynced bytes lost", true: "unsynced bytes torn"}[torn], func(t *testing.T) {
			const writers, each = 4, 30
			fsys := vfs.NewMemFS()
			acked := make([]atomic.Int64, writers)
			var mu sync.Mutex
			var points []crashPoint
			rng := rand.New(rand.NewPCG(7, 9))
			fsys.OnOp(func(op vfs.Op, name string) {
				mu.Lock()
				defer mu.Unlock()
				p := crashPoint{op: op.String() + " " + filepath.Base(name), acked: make([]int, writers)}
				for w := range acked {
					p.acked[w] = int(acked[w].Load())
				}
				if torn {
					p.disk = fsys.CrashCloneTorn(rng)
				} else {
					p.disk = fsys.CrashClone()
				}
				points = append(points, p)
			})
			l, err := Open(Options{Dir: crashDir, Sync: SyncBatch, SegmentSize: 160, FS: fsys})
			require.NoError(t, err)
			var wg sync.WaitGroup
			for w := 0; w < writers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < each; i++ {
						if _, err := l.Append(writerRecord(w, i)); err != nil {
							t.Error(err)
							return
						}
						acked[w].Store(int64(i + 1))
					}
				}()
			}
			wg.Wait()
			fsys.OnOp(nil)
			require.NoError(t, l.Close())

			rolls := 0
			for _, p := range points {
				if strings.HasPrefix(p.op, "create CommitLog-") {
					rolls++
				}
				got := recordsPerWriter(t, p.disk, writers)
				for w := range got {
					if got[w] < p.acked[w] || got[w] > p.acked[w]+1 {
						t.Fatalf("crash before %s: writer %d has %d records after replay, %d were acknowledged",
							p.op, w, got[w], p.acked[w])
					}
				}
			}
			require.Greater(t, rolls, 10, "segments must roll during the run")
			t.Logf("%d crash points, %d segments", len(points), rolls)
		})
	}
}

// TestCrashPeriodicLosesUnsyncedRecords shows what periodic sync risks: a
// record is acknowledged once written to the file, so a crash before the
// next fsync loses it. It then checks the promise periodic sync does
// keep: every record acknowledged before the last completed fsync of a
// segment survives.
func TestCrashPeriodicLosesUnsyncedRecords(t *testing.T) {
	t.Run("nothing synced yet", func(t *testing.T) {
		fsys := vfs.NewMemFS()
		l, err := Open(Options{Dir: crashDir, Sync: SyncPeriodic, Period: time.Hour, FS: fsys})
		require.NoError(t, err)
		for i := 0; i < 100; i++ {
			_, err := l.Append(writerRecord(0, i))
			require.NoError(t, err)
		}
		require.Equal(t, []int{0}, recordsPerWriter(t, fsys.CrashClone(), 1),
			"100 acknowledged records, none fsynced: a crash loses them all")
		require.NoError(t, l.Sync())
		require.Equal(t, []int{100}, recordsPerWriter(t, fsys.CrashClone(), 1))
		require.NoError(t, l.Close())
	})
	t.Run("crash at any moment", func(t *testing.T) {
		const writers, each = 4, 200
		fsys := vfs.NewMemFS()
		segmentSyncs := func() uint64 {
			return fsys.FileSyncs(func(name string) bool { return strings.HasPrefix(filepath.Base(name), "CommitLog-") })
		}
		l, err := Open(Options{Dir: crashDir, Sync: SyncPeriodic, Period: time.Millisecond, SegmentSize: 4096, FS: fsys})
		require.NoError(t, err)
		// For record i of writer w: syncsAt, the segment fsyncs counted
		// right after it was acknowledged (any fsync counted later covers
		// it), and ackSeq, its place in the order of acknowledgements.
		syncsAt := make([][]uint64, writers)
		ackSeq := make([][]int64, writers)
		var acks atomic.Int64
		var done atomic.Int32
		var wg sync.WaitGroup
		for w := 0; w < writers; w++ {
			syncsAt[w] = make([]uint64, each)
			ackSeq[w] = make([]int64, each)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer done.Add(1)
				for i := 0; i < each; i++ {
					if _, err := l.Append(writerRecord(w, i)); err != nil {
						t.Error(err)
						return
					}
					syncsAt[w][i] = segmentSyncs()
					ackSeq[w][i] = acks.Add(1)
					if i%10 == 0 {
						time.Sleep(200 * time.Microsecond) // let the periodic fsync run
					}
				}
			}()
		}
		type crash struct {
			disk   *vfs.MemFS
			synced uint64 // segment fsyncs that are in the clone
			acked  int64  // acknowledgements before the clone
		}
		var crashes []crash
		for done.Load() < writers {
			acked, synced := acks.Load(), segmentSyncs()
			crashes = append(crashes, crash{fsys.CrashClone(), synced, acked})
			time.Sleep(200 * time.Microsecond)
		}
		wg.Wait()
		require.NoError(t, l.Close())
		lost, lostMax := 0, 0
		for _, c := range crashes {
			got := recordsPerWriter(t, c.disk, writers)
			n := 0
			for w := range got {
				for i := got[w]; i < each; i++ {
					if syncsAt[w][i] < c.synced {
						t.Fatalf("writer %d record %d was acknowledged before fsync %d, but a crash after that fsync lost it",
							w, i, c.synced)
					}
					if ackSeq[w][i] <= c.acked {
						n++ // acknowledged before the crash, not yet fsynced: lost
					}
				}
			}
			lost += n
			lostMax = max(lostMax, n)
		}
		t.Logf("%d crashes, %d segment fsyncs; acknowledged records lost: %d in all, at most %d in one crash",
			len(crashes), segmentSyncs(), lost, lostMax)
	})
}

// TestCrashDuringSnapshot crashes before every file operation of a
// snapshot and of the segment removal after it: the directory must hold
// either the old state or the new snapshot, and replay from whichever
// snapshot is found must give every record.
func TestCrashDuringSnapshot(t *testing.T) {
	fsys := vfs.NewMemFS()
	l, err := Open(Options{Dir: crashDir, Sync: SyncBatch, SegmentSize: 128, FS: fsys})
	require.NoError(t, err)
	const before = 30
	for i := 0; i < before; i++ {
		_, err := l.Append(writerRecord(0, i))
		require.NoError(t, err)
	}
	var points []crashPoint
	fsys.OnOp(func(op vfs.Op, name string) {
		points = append(points, crashPoint{op: op.String() + " " + filepath.Base(name), disk: fsys.CrashClone()})
	})
	covers, err := l.Roll()
	require.NoError(t, err)
	// The snapshot body is the records of the segments it covers.
	require.NoError(t, WriteSnapshot(fsys, crashDir, covers, func(w io.Writer) error {
		for i := 0; i < before; i++ {
			fmt.Fprintf(w, "%s\n", writerRecord(0, i))
		}
		return nil
	}))
	require.NoError(t, l.RemoveBefore(covers))
	fsys.OnOp(nil)
	_, err = l.Append(writerRecord(0, before))
	require.NoError(t, err)
	points = append(points, crashPoint{op: "after", disk: fsys.CrashClone()})
	require.NoError(t, l.Close())

	sawSnapshot := false
	for _, p := range points {
		body, from, err := ReadSnapshot(p.disk, crashDir)
		n := 0
		if err == nil {
			sawSnapshot = true
			n = bytes.Count(body, []byte("\n"))
		} else {
			require.ErrorIs(t, err, ErrNoSnapshot, "crash before %s", p.op)
		}
		_, err = Replay(p.disk, crashDir, from, nil, func(_ Position, rec []byte) error {
			if want := writerRecord(0, n); !bytes.Equal(rec, want) {
				return fmt.Errorf("record %q, want %q", rec, want)
			}
			n++
			return nil
		})
		require.NoError(t, err, "crash before %s", p.op)
		require.GreaterOrEqual(t, n, before, "crash before %s: snapshot and log hold %d records", p.op, n)
	}
	require.True(t, sawSnapshot)
	t.Logf("%d crash points", len(points))
}
