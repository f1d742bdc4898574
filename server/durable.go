package server

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cassa-go/cassa/server/internal/commitlog"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
	"github.com/cassa-go/cassa/server/internal/vfs"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// DefaultSnapshotThreshold is how many bytes of commit log may accumulate
// after the last snapshot before the server takes a new one (and removes
// the segments it covers).
const DefaultSnapshotThreshold = 64 << 20

// CorruptionError is the commit log's report of a damaged record that is
// not the torn tail of the newest segment: Start refuses to serve rather
// than silently lose the writes after it. errors.As finds it in Start's
// error; File and Offset name the place.
type CorruptionError = commitlog.CorruptionError

// ErrCommitLogFailed is wrapped by every write refused after the commit log
// failed once (Cassandra's commit_failure_policy "stop" for writes): an
// acknowledged write must be durable, and after a failed append or fsync
// nothing more can be promised.
var ErrCommitLogFailed = errors.New("server: commit log failed; writes are refused")

// durable is the write path with a commit log: every change is recorded
// (and, with batch sync, fsynced) before it is applied, so an acknowledged
// change survives a crash.
//
// gate orders writes against snapshots: writes hold it shared from the
// append to the apply, a snapshot exclusively while it rolls the log and
// captures the state, so the snapshot holds exactly the records of the
// segments below the one it rolled to. Truncate holds it exclusively too,
// because it is the one change whose effect depends on its order with
// concurrent writes.
type durable struct {
	n     *node
	local localWriter
	log   *commitlog.Log
	dir   string
	cfg   Config

	gate      sync.RWMutex
	failed    atomic.Pointer[error]
	since     atomic.Int64 // log bytes since the last snapshot
	threshold int64

	snapMu   sync.Mutex // one snapshot at a time
	lastSize int        // body size of the last snapshot, to size the next
	snapping atomic.Bool
	bg       sync.WaitGroup
	closed   atomic.Bool

	bufs sync.Pool
}

// openDurable recovers n from cfg.DataDir (snapshot, then the log after
// it) and opens the log for new records. n must not be serving yet.
func openDurable(n *node, cfg Config) (*durable, error) {
	mode := commitlog.SyncPeriodic
	if cfg.CommitLogSync != "" {
		m, err := commitlog.ParseSyncMode(cfg.CommitLogSync)
		if err != nil {
			return nil, &ConfigError{Field: "CommitLogSync", Msg: err.Error()}
		}
		mode = m
	}
	start := time.Now()
	covers, err := loadSnapshot(n, cfg.fs, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	rs, err := commitlog.Replay(cfg.fs, cfg.DataDir, covers, cfg.Logger, func(pos commitlog.Position, payload []byte) error {
		if err := replayRecord(n, payload); err != nil {
			return fmt.Errorf("server: replay segment %d offset %d: %w", pos.Segment, pos.Offset, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	cfg.Logger.Info("commit log replayed", "dir", cfg.DataDir, "snapshot_covers", covers,
		"segments", rs.Segments, "records", rs.Records, "torn_bytes", rs.TornBytes, "took", time.Since(start))
	l, err := commitlog.Open(commitlog.Options{
		Dir:         cfg.DataDir,
		Sync:        mode,
		Period:      cfg.CommitLogSyncPeriod,
		SegmentSize: cfg.CommitLogSegmentSize,
		Logger:      cfg.Logger,
		First:       covers,
		FS:          cfg.fs,
	})
	if err != nil {
		return nil, err
	}
	fsys := cfg.fs
	if fsys == nil {
		fsys = vfs.OS{}
	}
	if err := n.keepTokens(fsys, cfg.DataDir); err != nil {
		l.Close()
		return nil, err
	}
	d := &durable{n: n, local: localWriter{n}, log: l, dir: cfg.DataDir, cfg: cfg, threshold: cfg.SnapshotThreshold}
	if d.threshold == 0 {
		d.threshold = DefaultSnapshotThreshold
	}
	d.bufs.New = func() any { b := make([]byte, 0, 512); return &b }
	return d, nil
}

func (d *durable) check() error {
	if p := d.failed.Load(); p != nil {
		return fmt.Errorf("%w: %v", ErrCommitLogFailed, *p)
	}
	return nil
}

// append records one payload, failing the writer for good on an error.
func (d *durable) append(payload []byte) error {
	if err := d.check(); err != nil {
		return err
	}
	if _, err := d.log.Append(payload); err != nil {
		if !errors.Is(err, commitlog.ErrClosed) {
			d.failed.CompareAndSwap(nil, &err)
			d.cfg.Logger.Error("commit log append failed; refusing writes from now on", "err", err)
		}
		return fmt.Errorf("%w: %v", ErrCommitLogFailed, err)
	}
	d.since.Add(int64(len(payload)) + 8)
	return nil
}

func (d *durable) Apply(muts []store.RowMutation) error {
	d.gate.RLock()
	// Resolve times first so that the record replays to the same cells.
	d.n.store.Prepare(muts)
	bp := d.bufs.Get().(*[]byte)
	rec := encodeMutations(*bp, muts)
	err := d.append(rec)
	if cap(rec) <= 64<<10 {
		*bp = rec[:0]
		d.bufs.Put(bp)
	}
	if err == nil {
		err = d.local.Apply(muts)
	}
	d.gate.RUnlock()
	d.maybeSnapshot()
	return err
}

func (d *durable) Cas(t *schema.Table, key []byte, expected, updates []*tg.Column) (*tg.CASResult_, error) {
	d.gate.RLock()
	res, err := d.n.store.CasLogged(t, key, expected, updates, func(m store.RowMutation) error {
		return d.append(encodeMutations(nil, []store.RowMutation{m}))
	})
	d.gate.RUnlock()
	d.maybeSnapshot()
	return res, err
}

// ReadModifyWrite logs the mutation fn decides on under the partition's
// lock, before it is applied, as Cas does: replay needs no condition.
func (d *durable) ReadModifyWrite(t *schema.Table, key []byte, fn func(*store.Partition) ([]store.Op, error)) error {
	d.gate.RLock()
	err := d.n.store.ReadModifyWrite(t, key, fn, func(m store.RowMutation) error {
		return d.append(encodeMutations(nil, []store.RowMutation{m}))
	})
	d.gate.RUnlock()
	d.maybeSnapshot()
	return err
}

func (d *durable) Truncate(t *schema.Table) error {
	d.gate.Lock()
	defer d.gate.Unlock()
	if err := d.append(encodeTruncate(t)); err != nil {
		return err
	}
	return d.local.Truncate(t)
}

// ChangeSchema logs the call before running it. A call the schema refuses
// is logged too; replay refuses it again the same way (the schema is
// deterministic given the same prior state), so it has no effect.
func (d *durable) ChangeSchema(op schemaOp) (*schema.Change, error) {
	if op.CQL != nil { // what a replay must not choose again
		op.CQL.Fill(time.Now().UnixMicro(), nil)
	}
	rec, err := encodeSchemaOp(op)
	if err != nil {
		return nil, err
	}
	d.gate.RLock()
	defer d.gate.RUnlock()
	if err := d.append(rec); err != nil {
		return nil, err
	}
	return d.local.ChangeSchema(op)
}

// maybeSnapshot starts a background snapshot once enough log has piled up.
func (d *durable) maybeSnapshot() {
	if d.threshold < 0 || d.since.Load() < d.threshold || d.closed.Load() {
		return
	}
	if !d.snapping.CompareAndSwap(false, true) {
		return
	}
	d.bg.Add(1)
	go func() {
		defer d.bg.Done()
		defer d.snapping.Store(false)
		if err := d.Snapshot(); err != nil {
			d.cfg.Logger.Error("snapshot failed; the commit log keeps growing", "err", err)
		}
	}()
}

// Snapshot writes the whole state to a snapshot file and removes the
// commit-log segments it covers. Writes are held off only while the log
// rolls and the state is copied into memory; the file is written after.
func (d *durable) Snapshot() error {
	d.snapMu.Lock()
	defer d.snapMu.Unlock()
	if err := d.check(); err != nil {
		return err
	}
	start := time.Now()
	d.gate.Lock()
	covers, err := d.log.Roll()
	var body []byte
	if err == nil {
		d.since.Store(0)
		body, err = captureState(d.n, d.lastSize)
		d.lastSize = len(body)
	}
	d.gate.Unlock()
	if err != nil {
		return fmt.Errorf("server: snapshot: %w", err)
	}
	captured := time.Since(start)
	if err := commitlog.WriteSnapshot(d.cfg.fs, d.dir, covers, func(w io.Writer) error {
		_, err := w.Write(body)
		return err
	}); err != nil {
		return err
	}
	// Only now that the snapshot is durable may its segments go.
	if err := d.log.RemoveBefore(covers); err != nil {
		return err
	}
	d.cfg.Logger.Info("snapshot written", "covers", covers, "bytes", len(body),
		"writes_held_for", captured, "took", time.Since(start))
	return nil
}

// Close takes a final snapshot (so the next start replays nothing) and
// syncs and closes the log. The server calls it after every connection
// has ended.
func (d *durable) Close() error {
	d.closed.Store(true)
	d.bg.Wait()
	var err error
	if d.check() == nil {
		err = d.Snapshot()
	}
	return errors.Join(err, d.log.Close())
}

// captureState encodes the catalog and every row of every table. The
// caller holds writes off.
func captureState(n *node, sizeHint int) ([]byte, error) {
	cat := n.schema.Current()
	catBytes, err := cat.MarshalBinary()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(sizeHint + sizeHint/8)
	buf.WriteString(snapshotMagic)
	buf.Write(binary.AppendUvarint(nil, uint64(len(catBytes))))
	buf.Write(catBytes)
	var rec enc
	for _, ks := range cat.Keyspaces() {
		if ks.Name == "system" {
			continue // never changes and is not in the marshalled catalog
		}
		for _, name := range ks.TableNames() {
			t := ks.Table(name)
			err := n.store.Export(t, func(m store.RowMutation) error {
				rec = rec[:0].mutation(&m)
				buf.Write(binary.AppendUvarint(nil, uint64(len(rec))))
				buf.Write(rec)
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("export %s.%s: %w", ks.Name, name, err)
			}
		}
	}
	return buf.Bytes(), nil
}

// loadSnapshot restores the newest snapshot of dir into n and returns the
// first segment id it does not cover (0 without a snapshot).
func loadSnapshot(n *node, fsys vfs.FS, dir string) (uint64, error) {
	body, covers, err := commitlog.ReadSnapshot(fsys, dir)
	if errors.Is(err, commitlog.ErrNoSnapshot) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if !bytes.HasPrefix(body, []byte(snapshotMagic)) {
		return 0, fmt.Errorf("server: snapshot in %s: %w: bad magic", dir, errBadRecord)
	}
	d := &dec{b: body[len(snapshotMagic):]}
	catBytes := d.take(d.uvarint())
	if d.err != nil {
		return 0, fmt.Errorf("server: snapshot in %s: %w", dir, d.err)
	}
	if _, err := n.schema.Load(catBytes); err != nil {
		return 0, fmt.Errorf("server: snapshot in %s: %w", dir, err)
	}
	cat := n.schema.Current()
	for len(d.b) > 0 && d.err == nil {
		r := &dec{b: d.take(d.uvarint())}
		m := r.mutation()
		if d.err != nil || r.err != nil || len(r.b) != 0 {
			return 0, fmt.Errorf("server: snapshot in %s: %w", dir, errBadRecord)
		}
		if err := applyByName(n, cat, []store.RowMutation{m}); err != nil {
			return 0, fmt.Errorf("server: snapshot in %s: %w", dir, err)
		}
	}
	return covers, nil
}

// applyByName points each mutation at the table that has its name now and
// applies it. Replay is sequential, so the table of that name at this
// point of the log is the one the write went to, even if it was dropped
// and re-created (with a new ID) later on.
func applyByName(n *node, cat *schema.Catalog, muts []store.RowMutation) error {
	for i := range muts {
		t := cat.Table(muts[i].Keyspace, muts[i].Table)
		if t == nil {
			return fmt.Errorf("%w: %s.%s", store.ErrUnknownTable, muts[i].Keyspace, muts[i].Table)
		}
		muts[i].TableID = t.ID
	}
	return n.store.Apply(muts...)
}

// replayRecord applies one commit-log record to n.
func replayRecord(n *node, payload []byte) error {
	d := &dec{b: payload}
	switch kind := d.byte(); kind {
	case recMutations:
		muts := d.mutations()
		if d.err != nil || len(d.b) != 0 {
			return errBadRecord
		}
		err := applyByName(n, n.schema.Current(), muts)
		if errors.Is(err, store.ErrUnknownTable) {
			// Apply checks every table before writing anything, so the
			// original call was refused whole for the same reason.
			n.cfg.Logger.Warn("commit log: skipping a write to a table that did not exist", "err", err)
			return nil
		}
		return err
	case recTruncate:
		ks, name := d.str(), d.str()
		if d.err != nil || len(d.b) != 0 {
			return errBadRecord
		}
		t := n.schema.Current().Table(ks, name)
		if t == nil {
			n.cfg.Logger.Warn("commit log: skipping a truncate of a table that did not exist", "table", ks+"."+name)
			return nil
		}
		return n.store.Truncate(t)
	case recSchema, recSchemaCQL:
		var op schemaOp
		var err error
		if kind == recSchemaCQL {
			op, err = d.schemaOpCQL()
		} else {
			op, err = d.schemaOp()
		}
		if err != nil {
			return err
		}
		// A call the schema refused was refused when it was logged too.
		_, _ = localWriter{n}.ChangeSchema(op)
		return nil
	default:
		return fmt.Errorf("%w: kind %d", errBadRecord, kind)
	}
}

// ErrNotDurable is returned by Server.Snapshot when Config.DataDir is empty.
var ErrNotDurable = errors.New("server: no data directory (Config.DataDir)")

// Snapshot writes the whole state to a snapshot in Config.DataDir now and
// removes the commit-log segments it covers, as the server does by itself
// once SnapshotThreshold bytes of log have accumulated and at Close.
// Writes are held off only while the state is copied in memory.
func (s *Server) Snapshot() error {
	if s.dur == nil {
		return ErrNotDurable
	}
	return s.dur.Snapshot()
}
