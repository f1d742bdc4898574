package server_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/server/internal/vfs"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Power-cut tests: the server keeps its commit log and snapshots on a
// vfs.MemFS, clients write over TCP, and a crash is a CrashClone of that
// file system taken at some instant: the disk as a power cut would leave
// it, holding only what was fsynced (file bytes up to their last fsync,
// directory entries up to their directory's last fsync). A new server
// started on the clone must then hold what the sync mode promises:
//
//   - batch: every acknowledged write;
//   - periodic: every write acknowledged before the last fsync of the
//     commit log that completed before the crash; later ones may be lost.

const powerCutDir = "/data"

// powerCutConfig is a durable server on fsys with small segments and
// snapshots every few dozen batches, so that crashes land around segment
// rolls and snapshots.
func powerCutConfig(fsys *vfs.MemFS, sync string, period time.Duration) server.Config {
	return server.ConfigWithFS(server.Config{
		DataDir:              powerCutDir,
		CommitLogSync:        sync,
		CommitLogSyncPeriod:  period,
		CommitLogSegmentSize: 8 << 10,
		SnapshotThreshold:    24 << 10,
	}, fsys)
}

// isSegment says whether name is a commit-log segment file.
func isSegment(name string) bool { return strings.HasPrefix(filepath.Base(name), "CommitLog-") }

// powerCutPoint is one crash: the disk it left, and what had been
// acknowledged and fsynced by then.
type powerCutPoint struct {
	label  string
	disk   *vfs.MemFS
	acked  []int  // batches acknowledged per writer
	cfs    int    // column families acknowledged
	synced uint64 // commit-log segment fsyncs the disk holds

	cqlAcked, cqlCounted []int // CQL units and increments acknowledged per writer
	cqlTables            int   // CQL tables acknowledged
}

// powerCutRun streams crashBatch batches from several writers and column
// family creations from one schema changer, and the CQL load of
// crash_cql_test.go beside them, and takes crash points on the way: before file operations of snapshots (the directory sync after the
// rename among them), segment rolls, segment removals and directory syncs,
// and before every 25th operation of any kind, a few of each.
type powerCutRun struct {
	fsys    *vfs.MemFS
	writers int

	mu      sync.Mutex
	acked   []int
	syncsAt [][]uint64 // per writer and batch: segment fsyncs counted right after its acknowledgement
	cfs     []string
	cfSyncs []uint64 // the same for each column family
	ops     int
	renamed bool // a snapshot was renamed into place, its directory not yet synced
	taken   map[string]int
	points  []powerCutPoint

	cql *cqlLoad
}

func (r *powerCutRun) segmentSyncs() uint64 { return r.fsys.FileSyncs(isSegment) }

// onOp is the MemFS hook: it decides whether to crash before op.
func (r *powerCutRun) onOp(op vfs.Op, name string) {
	base := filepath.Base(name)
	var label string
	limit := 4
	switch {
	case strings.HasPrefix(base, "snapshot-"):
		label, limit = "mid-snapshot", 8
	case op == vfs.OpCreate && isSegment(name):
		label = "segment roll"
	case op == vfs.OpRemove && isSegment(name):
		label = "segment removal after a snapshot"
	case op == vfs.OpSyncDir:
		label = "directory sync"
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ops++
	if op == vfs.OpRename && strings.HasPrefix(base, "snapshot-") {
		r.renamed = true
	}
	if op == vfs.OpSyncDir && r.renamed {
		label, r.renamed = "snapshot renamed, directory not synced", false
	}
	if label == "" && r.ops%25 == 0 {
		label, limit = "any moment", 8
	}
	if label == "" || r.taken[label] >= limit {
		return
	}
	r.taken[label]++
	p := powerCutPoint{
		label:  fmt.Sprintf("%s: before %s %s", label, op, base),
		acked:  append([]int(nil), r.acked...),
		cfs:    len(r.cfs),
		synced: r.segmentSyncs(), // every fsync counted here is in the clone
	}
	if r.cql != nil {
		r.cql.mu.Lock()
		p.cqlAcked = append([]int(nil), r.cql.acked...)
		p.cqlCounted = append([]int(nil), r.cql.counted...)
		p.cqlTables = len(r.cql.tables)
		r.cql.mu.Unlock()
	}
	p.disk = r.fsys.CrashClone()
	r.points = append(r.points, p)
}

// stream runs the writers and the schema changer against srv until the
// writers have acknowledged total batches, taking crash points meanwhile.
// With cqlAddr the CQL load runs too.
func (r *powerCutRun) stream(t *testing.T, addr, cqlAddr string, total int) {
	t.Helper()
	r.acked = make([]int, r.writers)
	r.syncsAt = make([][]uint64, r.writers)
	r.taken = map[string]int{}
	stop := make(chan struct{})
	var stopOnce sync.Once
	var wg sync.WaitGroup
	if cqlAddr != "" {
		r.cql = &cqlLoad{syncs: r.segmentSyncs}
		cw := r.cql.run(t, cqlAddr, r.writers, stop, false, nil)
		defer func() {
			cw.Wait()
			if err := r.cql.err(); err != nil {
				t.Error(err)
			}
		}()
	}
	r.fsys.OnOp(r.onOp)
	defer r.fsys.OnOp(nil)
	for w := 0; w < r.writers; w++ {
		c := dial(t, addr)
		must(t, c.SetKeyspace(ctx, "crash"))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if err := c.BatchMutate(ctx, crashBatch(w, i), ONE); err != nil {
					t.Errorf("writer %d batch %d: %v", w, i, err)
					return
				}
				syncs := r.segmentSyncs()
				r.mu.Lock()
				r.acked[w] = i + 1
				r.syncsAt[w] = append(r.syncsAt[w], syncs)
				sum := 0
				for _, n := range r.acked {
					sum += n
				}
				r.mu.Unlock()
				if sum >= total {
					stopOnce.Do(func() { close(stop) })
				}
			}
		}()
	}
	sc := dial(t, addr)
	must(t, sc.SetKeyspace(ctx, "crash"))
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
			d := tg.NewCfDef()
			d.Keyspace, d.Name = "crash", fmt.Sprintf("cf%03d", i)
			if _, err := sc.SystemAddColumnFamily(ctx, d); err != nil {
				t.Errorf("add column family %s: %v", d.Name, err)
				return
			}
			syncs := r.segmentSyncs()
			r.mu.Lock()
			r.cfs = append(r.cfs, d.Name)
			r.cfSyncs = append(r.cfSyncs, syncs)
			r.mu.Unlock()
		}
	}()
	wg.Wait()
}

// cqlMustSurvive is mustSurvive for the CQL load.
func (r *powerCutRun) cqlMustSurvive(p powerCutPoint, sync string) cqlExpect {
	l := r.cql
	l.mu.Lock()
	defer l.mu.Unlock()
	e := cqlExpect{acked: p.cqlAcked, countAck: p.cqlCounted}
	if sync == "batch" {
		e.atLeast, e.countLeast, e.tables = p.cqlAcked, p.cqlCounted, l.tables[:p.cqlTables]
		return e
	}
	upTo := func(at []uint64) int {
		n := 0
		for n < len(at) && at[n] < p.synced {
			n++
		}
		return n
	}
	for w := range p.cqlAcked {
		e.atLeast = append(e.atLeast, min(upTo(l.unitSyncs[w]), p.cqlAcked[w]))
		e.countLeast = append(e.countLeast, min(upTo(l.countSyncs[w]), p.cqlCounted[w]))
	}
	for i, at := range l.tableSyncs[:p.cqlTables] {
		if at < p.synced {
			e.tables = append(e.tables, l.tables[i])
		}
	}
	return e
}

// mustSurvive returns, per writer, how many batches a crash at p must
// have kept, and the column families it must have kept.
func (r *powerCutRun) mustSurvive(p powerCutPoint, sync string) ([]int, []string) {
	if sync == "batch" {
		return p.acked, r.cfs[:p.cfs]
	}
	// periodic: what an fsync counted in the clone covers.
	atLeast := make([]int, r.writers)
	for w, at := range r.syncsAt {
		for atLeast[w] < len(at) && at[atLeast[w]] < p.synced {
			atLeast[w]++
		}
	}
	var cfs []string
	for i, at := range r.cfSyncs {
		if at < p.synced {
			cfs = append(cfs, r.cfs[i])
		}
	}
	return atLeast, cfs
}

// TestPowerCutKeepsWhatTheSyncModePromises crashes a server under load at
// dozens of instants, around snapshots and segment rolls among them, and
// restarts a server on each crashed disk: with batch sync every
// acknowledged batch and column family is there, with periodic sync every
// one acknowledged before the last completed fsync. In both, no batch is
// half there, counters were replayed exactly once, and at most the one
// batch in flight per writer is there beyond the acknowledged ones.
func TestPowerCutKeepsWhatTheSyncModePromises(t *testing.T) {
	for _, tc := range []struct {
		sync   string
		period time.Duration
	}{{"batch", 0}, {"periodic", 2 * time.Millisecond}} {
		t.Run(tc.sync, func(t *testing.T) {
			fsys := vfs.NewMemFS()
			cfg := powerCutConfig(fsys, tc.sync, tc.period)
			c, srv := startAndDial(t, cfg)
			crashSchema(t, c)
			cqlCrashSchema(t, crashSession(t, srv.CQLAddr()))
			must(t, srv.Snapshot()) // the schema is on disk in both modes
			r := &powerCutRun{fsys: fsys, writers: 4}
			r.stream(t, srv.Addr(), srv.CQLAddr(), 400)
			if t.Failed() {
				return
			}
			for _, label := range []string{"mid-snapshot", "snapshot renamed, directory not synced", "segment roll", "segment removal after a snapshot"} {
				if r.taken[label] == 0 {
					t.Errorf("no crash point %q: the load made no snapshot or roll", label)
				}
			}
			lost := 0
			for i, p := range r.points {
				t.Run(fmt.Sprintf("%02d %s", i, p.label), func(t *testing.T) {
					atLeast, cfs := r.mustSurvive(p, tc.sync)
					atMost := make([]int, r.writers)
					for w, n := range p.acked {
						atMost[w] = n + 1
					}
					c2, srv2 := startAndDial(t, server.ConfigWithFS(cfg, p.disk))
					must(t, c2.SetKeyspace(ctx, "crash"))
					present := checkBatches(t, c2, atLeast, atMost)
					checkCQLCrashState(t, srv2.CQLAddr(), r.cqlMustSurvive(p, tc.sync))
					checkColumnFamilies(t, c2, cfs)
					for w, n := range p.acked {
						lost += max(0, n-present[w])
					}
				})
			}
			t.Logf("%d crash points %v; acknowledged batches lost across them: %d; CQL units acknowledged %v, increments %v, tables %d",
				len(r.points), r.taken, lost, r.cql.acked, r.cql.counted, len(r.cql.tables))
			if tc.sync == "batch" && lost != 0 {
				t.Errorf("batch sync lost %d acknowledged batches", lost)
			}
		})
	}
}

// TestPowerCutPeriodicLosesAcknowledgedWrites is the difference between
// the modes, made certain: with periodic sync no fsync runs between the
// writes and the crash (the period is an hour, and no segment fills up to
// be rolled), so batch keeps all 50 acknowledged batches (Thrift) and
// units and increments (CQL), and periodic keeps none of them. A kill -9
// cannot show this.
func TestPowerCutPeriodicLosesAcknowledgedWrites(t *testing.T) {
	const batches = 50
	for _, tc := range []struct {
		sync string
		kept int
	}{{"batch", batches}, {"periodic", 0}} {
		t.Run(tc.sync, func(t *testing.T) {
			fsys := vfs.NewMemFS()
			cfg := powerCutConfig(fsys, tc.sync, time.Hour)
			cfg.SnapshotThreshold = -1
			cfg.CommitLogSegmentSize = 1 << 20
			c, srv := startAndDial(t, cfg)
			crashSchema(t, c)
			must(t, srv.Snapshot()) // the schema is on disk in both modes
			s := crashSession(t, srv.CQLAddr())
			cqlCrashSchema(t, s)
			must(t, srv.Snapshot()) // the CQL schema too
			for i := 0; i < batches; i++ {
				must(t, c.BatchMutate(ctx, crashBatch(0, i), ONE))
				must(t, cqlUnit(s, 0, i))
				mustExec(t, s, "UPDATE crash.cqn SET n = n + 1 WHERE w = 0")
			}
			c2, srv2 := startAndDial(t, server.ConfigWithFS(cfg, fsys.CrashClone()))
			must(t, c2.SetKeyspace(ctx, "crash"))
			present := checkBatches(t, c2, []int{tc.kept}, []int{tc.kept})
			checkCQLCrashState(t, srv2.CQLAddr(), cqlExpect{atLeast: []int{tc.kept}, acked: []int{tc.kept},
				countLeast: []int{tc.kept}, countAck: []int{tc.kept}})
			t.Logf("%s: a power cut kept %d of %d acknowledged Thrift batches and as many CQL units", tc.sync, present[0], batches)
		})
	}
}
