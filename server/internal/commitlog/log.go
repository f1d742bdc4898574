package commitlog

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cassa-go/cassa/server/internal/vfs"
)

// SyncMode chooses when an appended record is forced to stable storage.
type SyncMode int

const (
	// SyncPeriodic acknowledges a record once it is written to the file and
	// fsyncs every Options.Period. It is the zero value, as it is Cassandra's
	// default commitlog_sync.
	SyncPeriodic SyncMode = iota
	// SyncBatch acknowledges a record only after it is fsynced; concurrent
	// appends share one fsync.
	SyncBatch
)

// String returns the cassandra.yaml spelling of the mode.
func (m SyncMode) String() string {
	if m == SyncBatch {
		return "batch"
	}
	return "periodic"
}

// ParseSyncMode reads "batch" or "periodic".
func ParseSyncMode(s string) (SyncMode, error) {
	switch s {
	case "batch":
		return SyncBatch, nil
	case "periodic", "":
		return SyncPeriodic, nil
	}
	return 0, fmt.Errorf("commitlog: unknown sync mode %q (want batch or periodic)", s)
}

// Defaults for Options fields left zero.
const (
	DefaultPeriod      = 10 * time.Second // commitlog_sync_period_in_ms
	DefaultSegmentSize = 32 << 20         // commitlog_segment_size_in_mb
)

// Options configures a Log. The zero value (with Dir set) is a periodic log
// with Cassandra's defaults.
type Options struct {
	Dir         string        // directory holding segments and snapshots
	Sync        SyncMode      // SyncPeriodic (default) or SyncBatch
	Period      time.Duration // periodic fsync interval; default 10 s
	SegmentSize int64         // bytes per segment before rolling; default 32 MiB
	Logger      *slog.Logger  // nil means silent
	// First is the lowest id a new segment may take; pass the covers id of
	// the snapshot loaded at start so that no new record hides below it.
	First uint64
	// FS holds the segments; nil means the real file system (vfs.OS).
	// Tests pass a vfs.MemFS to crash the log at any instant.
	FS vfs.FS
}

// Position identifies a record: its segment and byte offset.
type Position struct {
	Segment uint64
	Offset  int64
}

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("commitlog: log is closed")

// segmentMagic starts every segment file; the segment id follows it.
var segmentMagic = [8]byte{'C', 'A', 'S', 'S', 'A', 'C', 'L', '1'}

const segmentHeaderSize = len(segmentMagic) + 8

// Log appends records to the newest segment. It is safe for concurrent use.
type Log struct {
	opts   Options
	logger *slog.Logger

	mu       sync.Mutex
	cond     *sync.Cond // signalled when a sync finishes
	fs       vfs.FS
	f        vfs.File
	seg      uint64
	size     int64
	written  uint64 // records written so far
	synced   uint64 // records known to be on stable storage
	syncing  bool   // a goroutine is inside f.Sync without mu
	failed   error  // sticky: once the file cannot be written, nothing is acknowledged
	syncs    uint64 // fsyncs of segment files, for tests and figures
	closed   bool
	buf      []byte
	stop     chan struct{}
	loopDone chan struct{}
}

// Open starts a new segment after the newest one in opts.Dir (creating the
// directory if needed). It never appends to an existing segment, so a torn
// tail left by a crash stays the last thing in its own file. Call Replay
// before Open to recover what the directory holds.
func Open(opts Options) (*Log, error) {
	if opts.Dir == "" {
		return nil, errors.New("commitlog: Options.Dir is required")
	}
	if opts.Period <= 0 {
		opts.Period = DefaultPeriod
	}
	if opts.SegmentSize <= 0 {
		opts.SegmentSize = DefaultSegmentSize
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	fsys := orOS(opts.FS)
	if err := fsys.MkdirAll(opts.Dir); err != nil {
		return nil, fmt.Errorf("commitlog: %w", err)
	}
	segs, err := listSegments(fsys, opts.Dir)
	if err != nil {
		return nil, err
	}
	next := uint64(1)
	if len(segs) > 0 {
		next = segs[len(segs)-1].id + 1
	}
	// A snapshot may cover ids whose segments are all gone: new records
	// must never take an id that replay would skip.
	next = max(next, opts.First)
	l := &Log{opts: opts, logger: logger, fs: fsys, stop: make(chan struct{}), loopDone: make(chan struct{})}
	l.cond = sync.NewCond(&l.mu)
	if err := l.startSegment(next); err != nil {
		return nil, err
	}
	if opts.Sync == SyncPeriodic {
		go l.periodicLoop()
	} else {
		close(l.loopDone)
	}
	return l, nil
}

// Append writes one record. In batch mode it returns once the record is
// fsynced; in periodic mode once it is written to the file.
func (l *Log) Append(payload []byte) (Position, error) {
	if len(payload) > MaxRecordSize {
		return Position{}, fmt.Errorf("commitlog: record of %d bytes is over the %d-byte limit", len(payload), MaxRecordSize)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return Position{}, ErrClosed
	}
	if l.failed != nil {
		return Position{}, l.failed
	}
	need := int64(recordHeaderSize + len(payload))
	if l.size+need > l.opts.SegmentSize && l.size > int64(segmentHeaderSize) {
		if err := l.rollLocked(); err != nil {
			return Position{}, err
		}
	}
	pos := Position{Segment: l.seg, Offset: l.size}
	l.buf = appendRecord(l.buf[:0], payload)
	if _, err := l.f.Write(l.buf); err != nil {
		l.failed = fmt.Errorf("commitlog: write %s: %w", l.f.Name(), err)
		return Position{}, l.failed
	}
	l.size += need
	l.written++
	if l.opts.Sync == SyncBatch {
		if err := l.waitSyncedLocked(l.written); err != nil {
			return Position{}, err
		}
	}
	return pos, nil
}

// waitSyncedLocked returns once record number seq is on stable storage. The
// first waiter to find no sync running becomes the syncer for everything
// written so far; the others wait for it (group commit).
func (l *Log) waitSyncedLocked(seq uint64) error {
	for l.synced < seq {
		if l.failed != nil {
			return l.failed
		}
		if l.syncing {
			l.cond.Wait()
			continue
		}
		l.syncOnceLocked()
	}
	return l.failed
}

// syncOnceLocked fsyncs the current file without holding mu during the
// fsync, so other writers can queue their records meanwhile.
func (l *Log) syncOnceLocked() {
	target, f := l.written, l.f
	l.syncing = true
	l.mu.Unlock()
	err := f.Sync()
	l.mu.Lock()
	l.syncing = false
	l.syncs++
	if err != nil && l.failed == nil {
		l.failed = fmt.Errorf("commitlog: fsync %s: %w", f.Name(), err)
	}
	if err == nil && target > l.synced {
		l.synced = target
	}
	l.cond.Broadcast()
}

// Sync forces everything appended so far to stable storage.
func (l *Log) Sync() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	return l.waitSyncedLocked(l.written)
}

// Roll closes the current segment (after syncing it) and starts a new one,
// returning the new segment's id. Every record appended before Roll returns
// lives in a segment with a smaller id; a snapshot taken while appends are
// held off can then pass that id to RemoveBefore.
func (l *Log) Roll() (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0, ErrClosed
	}
	if err := l.rollLocked(); err != nil {
		return 0, err
	}
	return l.seg, nil
}

func (l *Log) rollLocked() error {
	for l.syncing {
		l.cond.Wait()
	}
	if l.failed != nil {
		return l.failed
	}
	if err := l.f.Sync(); err != nil {
		l.failed = fmt.Errorf("commitlog: fsync %s: %w", l.f.Name(), err)
		return l.failed
	}
	l.synced = l.written
	l.cond.Broadcast()
	if err := l.f.Close(); err != nil {
		l.failed = fmt.Errorf("commitlog: close %s: %w", l.f.Name(), err)
		return l.failed
	}
	return l.startSegment(l.seg + 1)
}

// startSegment creates segment id with its header and makes the new name
// durable in the directory.
func (l *Log) startSegment(id uint64) error {
	name := filepath.Join(l.opts.Dir, segmentName(id))
	f, err := l.fs.Create(name)
	if err != nil {
		return fmt.Errorf("commitlog: %w", err)
	}
	var hdr [segmentHeaderSize]byte
	copy(hdr[:], segmentMagic[:])
	binary.BigEndian.PutUint64(hdr[len(segmentMagic):], id)
	if _, err := f.Write(hdr[:]); err != nil {
		f.Close()
		return fmt.Errorf("commitlog: write %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("commitlog: fsync %s: %w", name, err)
	}
	if err := syncDir(l.fs, l.opts.Dir); err != nil {
		f.Close()
		return err
	}
	l.f, l.seg, l.size = f, id, int64(segmentHeaderSize)
	l.logger.Debug("commitlog segment started", "segment", name)
	return nil
}

func (l *Log) periodicLoop() {
	defer close(l.loopDone)
	t := time.NewTicker(l.opts.Period)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			l.mu.Lock()
			if !l.closed && l.failed == nil && l.synced < l.written && !l.syncing {
				l.syncOnceLocked()
			}
			if l.failed != nil {
				l.logger.Error("commitlog periodic sync failed", "err", l.failed)
			}
			l.mu.Unlock()
		}
	}
}

// Syncs returns how many fsyncs of segment files the log has made; with
// SyncBatch and concurrent writers it stays well below the record count.
func (l *Log) Syncs() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.syncs
}

// Segment returns the id of the segment appends currently go to.
func (l *Log) Segment() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seg
}

// RemoveBefore deletes every segment whose id is below id. Call it only
// after a snapshot that covers those segments is durable.
func (l *Log) RemoveBefore(id uint64) error {
	segs, err := listSegments(l.fs, l.opts.Dir)
	if err != nil {
		return err
	}
	for _, s := range segs {
		if s.id >= id {
			break
		}
		if err := l.fs.Remove(s.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("commitlog: %w", err)
		}
	}
	return syncDir(l.fs, l.opts.Dir)
}

// Close syncs and closes the log. Appends after Close fail with ErrClosed.
func (l *Log) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	for l.syncing {
		l.cond.Wait()
	}
	l.closed = true
	err := l.failed
	if err == nil {
		if serr := l.f.Sync(); serr != nil {
			err = fmt.Errorf("commitlog: fsync %s: %w", l.f.Name(), serr)
		}
	}
	if cerr := l.f.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("commitlog: close %s: %w", l.f.Name(), cerr)
	}
	l.cond.Broadcast()
	l.mu.Unlock()
	close(l.stop)
	<-l.loopDone
	return err
}

type segmentFile struct {
	id   uint64
	path string
}

func segmentName(id uint64) string { return fmt.Sprintf("CommitLog-%016d.log", id) }

// listSegments returns the directory's segments in id order.
func listSegments(fsys vfs.FS, dir string) ([]segmentFile, error) {
	names, err := fsys.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("commitlog: %w", err)
	}
	var segs []segmentFile
	for _, name := range names {
		if !strings.HasPrefix(name, "CommitLog-") || !strings.HasSuffix(name, ".log") {
			continue
		}
		id, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(name, "CommitLog-"), ".log"), 10, 64)
		if err != nil {
			continue
		}
		segs = append(segs, segmentFile{id: id, path: filepath.Join(dir, name)})
	}
	sort.Slice(segs, func(i, j int) bool { return segs[i].id < segs[j].id })
	return segs, nil
}

// syncDir makes file creations, renames and removals in dir durable: a
// new segment or snapshot is not certain to survive a crash until then.
func syncDir(fsys vfs.FS, dir string) error {
	if err := fsys.SyncDir(dir); err != nil {
		return fmt.Errorf("commitlog: fsync dir %s: %w", dir, err)
	}
	return nil
}

// orOS returns fsys, or the real file system for nil.
func orOS(fsys vfs.FS) vfs.FS {
	if fsys == nil {
		return vfs.OS{}
	}
	return fsys
}
