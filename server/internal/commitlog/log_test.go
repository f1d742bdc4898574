package commitlog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/cassa-go/cassa/server/internal/vfs"
	"github.com/stretchr/testify/require"
)

func payloadN(i int) []byte { return []byte(fmt.Sprintf("record-%06d", i)) }

func replayAll(t *testing.T, dir string, from uint64) ([][]byte, ReplayStats) {
	t.Helper()
	var got [][]byte
	st, err := Replay(nil, dir, from, nil, func(_ Position, p []byte) error {
		got = append(got, bytes.Clone(p))
		return nil
	})
	require.NoError(t, err)
	return got, st
}

func TestAppendReplayRoundTrip(t *testing.T) {
	for _, mode := range []SyncMode{SyncBatch, SyncPeriodic} {
		t.Run(mode.String(), func(t *testing.T) {
			dir := t.TempDir()
			l, err := Open(Options{Dir: dir, Sync: mode, SegmentSize: 200})
			require.NoError(t, err)
			for i := 0; i < 50; i++ {
				_, err := l.Append(payloadN(i))
				require.NoError(t, err)
			}
			require.NoError(t, l.Close())
			got, st := replayAll(t, dir, 0)
			require.Len(t, got, 50)
			for i, p := range got {
				require.Equal(t, payloadN(i), p)
			}
			require.Greater(t, st.Segments, 5, "small segments must roll")
			require.Zero(t, st.TornBytes)
		})
	}
}

func TestOpenStartsNewSegmentAfterExisting(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(Options{Dir: dir})
	require.NoError(t, err)
	_, err = l.Append([]byte("a"))
	require.NoError(t, err)
	first := l.Segment()
	require.NoError(t, l.Close())

	l, err = Open(Options{Dir: dir})
	require.NoError(t, err)
	require.Greater(t, l.Segment(), first)
	_, err = l.Append([]byte("b"))
	require.NoError(t, err)
	require.NoError(t, l.Close())
	got, _ := replayAll(t, dir, 0)
	require.Equal(t, [][]byte{[]byte("a"), []byte("b")}, got)
}

func TestBatchGroupCommitSharesFsyncs(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(Options{Dir: dir, Sync: SyncBatch})
	require.NoError(t, err)
	const writers, each = 16, 50
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				_, err := l.Append(payloadN(w*each + i))
				if err != nil {
					t.Error(err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	syncs := l.Syncs()
	require.NoError(t, l.Close())
	got, _ := replayAll(t, dir, 0)
	require.Len(t, got, writers*each)
	// Every record was acknowledged after an fsync; sharing shows as fewer
	// fsyncs than records.
	require.Less(t, syncs, uint64(writers*each))
}

func lastSegment(t *testing.T, dir string) string {
	t.Helper()
	segs, err := listSegments(vfs.OS{}, dir)
	require.NoError(t, err)
	require.NotEmpty(t, segs)
	return segs[len(segs)-1].path
}

func writeRecords(t *testing.T, dir string, n int) []Position {
	t.Helper()
	l, err := Open(Options{Dir: dir, Sync: SyncBatch})
	require.NoError(t, err)
	var pos []Position
	for i := 0; i < n; i++ {
		p, err := l.Append(payloadN(i))
		require.NoError(t, err)
		pos = append(pos, p)
	}
	require.NoError(t, l.Close())
	return pos
}

func TestTornTailIsSkippedAndRepaired(t *testing.T) {
	cases := map[string]func(path string, last Position){
		"cut inside the last record": func(path string, last Position) {
			require.NoError(t, os.Truncate(path, last.Offset+5))
		},
		"cut inside the last header": func(path string, last Position) {
			require.NoError(t, os.Truncate(path, last.Offset+3))
		},
		"flipped byte in the last record": func(path string, last Position) {
			flipByte(t, path, last.Offset+recordHeaderSize+2)
		},
		"zeros after the last record": func(path string, _ Position) {
			f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			require.NoError(t, err)
			_, err = f.Write(make([]byte, 100))
			require.NoError(t, err)
			require.NoError(t, f.Close())
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			pos := writeRecords(t, dir, 10)
			damage(lastSegment(t, dir), pos[len(pos)-1])
			got, st := replayAll(t, dir, 0)
			require.GreaterOrEqual(t, len(got), 9)
			for i, p := range got {
				require.Equal(t, payloadN(i), p)
			}
			if name != "zeros after the last record" {
				require.Len(t, got, 9)
			}
			require.Positive(t, st.TornBytes)

			// The cut is repaired, so a newer segment after it does not
			// turn the old tail into mid-log corruption.
			l, err := Open(Options{Dir: dir, Sync: SyncBatch})
			require.NoError(t, err)
			_, err = l.Append([]byte("after restart"))
			require.NoError(t, err)
			require.NoError(t, l.Close())
			got2, st2 := replayAll(t, dir, 0)
			require.Equal(t, []byte("after restart"), got2[len(got2)-1])
			require.Zero(t, st2.TornBytes)
		})
	}
}

func flipByte(t *testing.T, path string, off int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	require.NoError(t, err)
	defer f.Close()
	b := make([]byte, 1)
	_, err = f.ReadAt(b, off)
	require.NoError(t, err)
	b[0] ^= 0x40
	_, err = f.WriteAt(b, off)
	require.NoError(t, err)
}

func TestMiddleCorruptionStopsReplay(t *testing.T) {
	dir := t.TempDir()
	pos := writeRecords(t, dir, 10)
	path := lastSegment(t, dir)
	flipByte(t, path, pos[4].Offset+recordHeaderSize+1)
	_, err := Replay(nil, dir, 0, nil, func(Position, []byte) error { return nil })
	var ce *CorruptionError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, path, ce.File)
	require.Equal(t, pos[4].Offset, ce.Offset)
	require.Contains(t, err.Error(), filepath.Base(path))
	require.Contains(t, err.Error(), fmt.Sprint(pos[4].Offset))
}

func TestCorruptionInOlderSegmentStopsReplay(t *testing.T) {
	dir := t.TempDir()
	writeRecords(t, dir, 3)
	older := lastSegment(t, dir)
	writeRecords(t, dir, 3) // a newer segment
	fi, err := os.Stat(older)
	require.NoError(t, err)
	flipByte(t, older, fi.Size()-1) // the older segment's last record
	_, err = Replay(nil, dir, 0, nil, func(Position, []byte) error { return nil })
	var ce *CorruptionError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, older, ce.File)
}

func TestReplayCallbackErrorStops(t *testing.T) {
	dir := t.TempDir()
	writeRecords(t, dir, 5)
	boom := errors.New("boom")
	n := 0
	_, err := Replay(nil, dir, 0, nil, func(Position, []byte) error {
		n++
		if n == 3 {
			return boom
		}
		return nil
	})
	require.ErrorIs(t, err, boom)
	require.Equal(t, 3, n)
}

func TestRollSnapshotAndRemoveBefore(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(Options{Dir: dir, Sync: SyncBatch})
	require.NoError(t, err)
	for i := 0; i < 5; i++ {
		_, err := l.Append(payloadN(i))
		require.NoError(t, err)
	}
	next, err := l.Roll()
	require.NoError(t, err)
	require.NoError(t, WriteSnapshot(nil, dir, next, func(w io.Writer) error {
		_, err := w.Write([]byte("state after 5 records"))
		return err
	}))
	require.NoError(t, l.RemoveBefore(next))
	for i := 5; i < 8; i++ {
		_, err := l.Append(payloadN(i))
		require.NoError(t, err)
	}
	require.NoError(t, l.Close())

	body, covers, err := ReadSnapshot(nil, dir)
	require.NoError(t, err)
	require.Equal(t, "state after 5 records", string(body))
	require.Equal(t, next, covers)
	got, _ := replayAll(t, dir, covers)
	require.Equal(t, [][]byte{payloadN(5), payloadN(6), payloadN(7)}, got)
	segs, err := listSegments(vfs.OS{}, dir)
	require.NoError(t, err)
	for _, s := range segs {
		require.GreaterOrEqual(t, s.id, next, "covered segments are removed")
	}
}

func TestSnapshotReplacesOlderAndDetectsDamage(t *testing.T) {
	dir := t.TempDir()
	_, _, err := ReadSnapshot(nil, dir)
	require.ErrorIs(t, err, ErrNoSnapshot)
	for _, covers := range []uint64{3, 7} {
		require.NoError(t, WriteSnapshot(nil, dir, covers, func(w io.Writer) error {
			_, err := fmt.Fprintf(w, "covers %d", covers)
			return err
		}))
	}
	snaps, err := listSnapshots(vfs.OS{}, dir)
	require.NoError(t, err)
	require.Len(t, snaps, 1)
	body, covers, err := ReadSnapshot(nil, dir)
	require.NoError(t, err)
	require.Equal(t, uint64(7), covers)
	require.Equal(t, "covers 7", string(body))

	flipByte(t, snaps[0].path, 17)
	_, _, err = ReadSnapshot(nil, dir)
	require.ErrorContains(t, err, "checksum mismatch")
	require.ErrorContains(t, err, snaps[0].path)
}

func TestFailedSnapshotWriteLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	boom := errors.New("boom")
	err := WriteSnapshot(nil, dir, 2, func(io.Writer) error { return boom })
	require.ErrorIs(t, err, boom)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Empty(t, entries)
}

func TestAppendAfterCloseAndOversizedRecord(t *testing.T) {
	l, err := Open(Options{Dir: t.TempDir()})
	require.NoError(t, err)
	_, err = l.Append(make([]byte, MaxRecordSize+1))
	require.ErrorContains(t, err, "over the")
	require.NoError(t, l.Close())
	require.NoError(t, l.Close())
	_, err = l.Append([]byte("x"))
	require.ErrorIs(t, err, ErrClosed)
}

func TestParseSyncMode(t *testing.T) {
	for in, want := range map[string]SyncMode{"batch": SyncBatch, "periodic": SyncPeriodic, "": SyncPeriodic} {
		got, err := ParseSyncMode(in)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	_, err := ParseSyncMode("sometimes")
	require.Error(t, err)
}

// FuzzReplaySegment feeds arbitrary bytes to replay as the newest segment:
// it may report corruption, never panic or allocate beyond the record limit.
func FuzzReplaySegment(f *testing.F) {
	var seg []byte
	seg = append(seg, segmentMagic[:]...)
	seg = append(seg, 0, 0, 0, 0, 0, 0, 0, 1)
	seg = appendRecord(seg, []byte("hello"))
	seg = appendRecord(seg, []byte("world"))
	f.Add(seg)
	f.Add(seg[:len(seg)-3])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, segmentName(1)), data, 0o644))
		_, _ = Replay(nil, dir, 0, nil, func(Position, []byte) error { return nil })
	})
}
