package migrate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/internal/check"
	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
)

// Defaults of MoveThriftToCQL.
const (
	// DefaultMoveRanges is how many token ranges the ring is cut into.
	DefaultMoveRanges = 64
	// DefaultMoveWorkers is how many ranges are copied at once.
	DefaultMoveWorkers = 4
	// DefaultMoveInFlight is how many batches each worker keeps being
	// written while it reads on.
	DefaultMoveInFlight = 8
)

// MoveSpec names what MoveThriftToCQL copies where.
type MoveSpec struct {
	// ColumnFamily is the Thrift column family to copy, in the pool's
	// keyspace.
	ColumnFamily string
	// Keyspace is the target table's keyspace; empty means the pool's.
	Keyspace string
	// Table is the CQL table to copy into. It must exist (plan it from the
	// model with PlanCQLModels, or from a schema file) and differ from the
	// column family, which CQL sees as a table of its own.
	Table string
}

// name is the move's name in the checkpoint.
func (s MoveSpec) name(srcKeyspace string) string {
	return srcKeyspace + "." + s.ColumnFamily + " -> " + s.Keyspace + "." + s.Table
}

// MoveProgress is how far a move is, as reported to OnProgress.
type MoveProgress struct {
	// Rows and Cells are the CQL rows and the cells copied by this run.
	Rows, Cells int64
	// RangesDone counts the finished token ranges, those an earlier run
	// finished included, of Ranges.
	RangesDone, Ranges int
	Elapsed            time.Duration
	// RowsPerSecond is Rows over Elapsed.
	RowsPerSecond float64
	// ETA estimates the time left from the ranges this run finished; zero
	// until one has.
	ETA time.Duration
}

// String is the progress line the cassa command prints.
func (p MoveProgress) String() string {
	eta := "?"
	if p.ETA > 0 || p.RangesDone == p.Ranges {
		eta = p.ETA.Round(time.Second).String()
	}
	return fmt.Sprintf("%d rows, %.0f rows/s, ranges %d/%d, ETA %s", p.Rows, p.RowsPerSecond, p.RangesDone, p.Ranges, eta)
}

// MoveResult is what MoveThriftToCQL did.
type MoveResult struct {
	// Rows is how many CQL rows the column family holds, counted range by
	// range as they were copied (by this run or an earlier one), and found
	// in the table.
	Rows int64 `json:"rows"`
	// Copied and Cells are the CQL rows and cells this run wrote.
	Copied int64 `json:"copied"`
	Cells  int64 `json:"cells"`
	// Skipped counts the cells no column of the table takes (a name the
	// table lacks, a name of another shape) and those whose TTL had run
	// out, in the ranges this run copied.
	Skipped int64 `json:"skipped"`
	// Ranges is how many token ranges the ring was cut into; Resumed how
	// many of them an earlier run had finished.
	Ranges  int           `json:"ranges"`
	Resumed int           `json:"resumed"`
	Elapsed time.Duration `json:"elapsed_ns"`
}

// ErrCountMismatch matches every *CountMismatchError.
var ErrCountMismatch = errors.New("migrate: row counts differ after a move")

// RangeCount is a token range whose row counts differ.
type RangeCount struct {
	Start  string `json:"start"`
	End    string `json:"end"`
	Source int64  `json:"source"`
	Target int64  `json:"target"`
}

// CountMismatchError reports that the CQL table does not hold as many rows
// as the column family did when it was copied (rows written to either side
// since, or lost).
type CountMismatchError struct {
	Move           string
	Source, Target int64
	// Ranges are the token ranges that differ.
	Ranges []RangeCount
}

// Error gives both counts and how many token ranges differ.
func (e *CountMismatchError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("migrate: move %s: the column family held %d rows, the table holds %d (%d token ranges differ)", e.Move, e.Source, e.Target, len(e.Ranges))
}

// Is matches ErrCountMismatch.
func (e *CountMismatchError) Is(target error) bool { return target == ErrCountMismatch }

// MoveOption adjusts MoveThriftToCQL. Options are values of this
// interface, made by the functions below.
type MoveOption interface{ applyMove(*moveOptions) }

type moveOptions struct {
	ranges, workers     int
	inFlight            int
	rowPage, columnPage int
	progress            func(MoveProgress)
	every               time.Duration
	restart             bool
	runner              string
}

type moveFunc func(*moveOptions)

func (f moveFunc) applyMove(o *moveOptions) { f(o) }

// MoveRanges cuts the ring into n token ranges (DefaultMoveRanges when n
// is 0 or less). A checkpoint is per range: resuming with another n copies
// every range again, harmlessly.
func MoveRanges(n int) MoveOption { return moveFunc(func(o *moveOptions) { o.ranges = n }) }

// MoveWorkers copies n ranges at once (DefaultMoveWorkers when n is 0 or
// less).
func MoveWorkers(n int) MoveOption { return moveFunc(func(o *moveOptions) { o.workers = n }) }

// MoveInFlight lets each worker have n batches being written at once while
// it reads on (DefaultMoveInFlight when n is 0 or less); 1 writes a
// batch at a time.
func MoveInFlight(n int) MoveOption { return moveFunc(func(o *moveOptions) { o.inFlight = n }) }

// OnProgress calls fn with the move's progress after each token range and
// at most about once a second in between, never concurrently.
func OnProgress(fn func(MoveProgress)) MoveOption {
	return moveFunc(func(o *moveOptions) { o.progress = fn })
}

// RestartMove forgets the checkpoint and copies every range again.
func RestartMove() MoveOption { return moveFunc(func(o *moveOptions) { o.restart = true }) }

type mover struct {
	spec  MoveSpec
	name  string // the move's name in the checkpoint
	cf    *columnfamily.ColumnFamily
	db    *cql.Session
	m     *moveMap
	o     moveOptions
	now   func() time.Time
	stmts sync.Map // shape -> INSERT statement
	rows  atomic.Int64
	cells atomic.Int64
}

// MoveThriftToCQL copies the Thrift column family spec.ColumnFamily (in
// src's keyspace) into the CQL table spec.Table, which must exist: the
// table a model maps to over CQL (PlanCQLModels creates it), or any table
// of a shape the column family maps onto (see "Thrift to CQL" in the
// package doc). It cuts the ring into token ranges and copies MoveWorkers of them
// at once, reading each with get_range_slices (and wide rows a page of
// columns at a time) and writing each CQL row with INSERT ... USING
// TIMESTAMP and TTL of its Thrift cells, so that copying a range again
// writes the same cells: a retried or resumed move is harmless. The
// INSERTs of a partition travel in unlogged batches of one partition,
// each kept under Cassandra's batch size warning threshold, MoveInFlight
// of them written at once per worker. Each
// finished range is recorded with its row count in CQLMoveTable of the
// target keyspace, and a move run again resumes after the ranges recorded
// (RestartMove forgets them).
//
// When every range is copied, the table's rows are counted range by range
// (SELECT COUNT(*) ... WHERE token(...)) and compared with the counts
// recorded: a difference is a *CountMismatchError (errors.Is
// ErrCountMismatch) listing the ranges. A column family that cannot map
// onto the table is a *MoveMapError before anything is copied; counter
// column families are refused.
func MoveThriftToCQL(ctx context.Context, src *pool.Pool, dst *cql.Session, spec MoveSpec, opts ...MoveOption) (*MoveResult, error) {
	const op = "migrate.MoveThriftToCQL"
	switch {
	case src == nil:
		return nil, check.Nil(op, "src")
	case dst == nil:
		return nil, check.Nil(op, "dst")
	}
	if err := check.Context(ctx, op); err != nil {
		return nil, err
	}
	o := moveOptions{ranges: DefaultMoveRanges, workers: DefaultMoveWorkers, inFlight: DefaultMoveInFlight, rowPage: 256, columnPage: 1024, every: time.Second}
	for _, f := range opts {
		if f != nil {
			f.applyMove(&o)
		}
	}
	if o.ranges <= 0 {
		o.ranges = DefaultMoveRanges
	}
	if o.workers <= 0 {
		o.workers = DefaultMoveWorkers
	}
	if o.inFlight <= 0 {
		o.inFlight = DefaultMoveInFlight
	}
	if o.runner == "" {
		host, _ := os.Hostname()
		o.runner = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	srcKS := src.Keyspace()
	if spec.Keyspace == "" {
		spec.Keyspace = srcKS
	}
	if spec.ColumnFamily == "" || spec.Table == "" || srcKS == "" {
		return nil, &SpecError{Path: "move", Msg: "a move needs the pool's keyspace, a column family and a table"}
	}
	if spec.Keyspace == srcKS && spec.Table == spec.ColumnFamily {
		return nil, &SpecError{Path: "move", Msg: fmt.Sprintf("%s.%s is the column family itself (CQL sees it as a table): copy into another table, or switch it over with PlanDropCompactStorage", srcKS, spec.Table)}
	}
	def, err := columnfamily.Describe(ctx, src, spec.ColumnFamily)
	if err != nil {
		return nil, err
	}
	table, err := dst.Table(ctx, spec.Keyspace, spec.Table)
	if err != nil {
		return nil, fmt.Errorf("migrate: target table %s.%s: %w", spec.Keyspace, spec.Table, err)
	}
	table.Keyspace = spec.Keyspace
	m, err := newMoveMap(def, table)
	if err != nil {
		return nil, err
	}
	part, err := describePartitioner(ctx, src)
	if err != nil {
		return nil, err
	}
	ranges, err := splitRing(part, o.ranges)
	if err != nil {
		return nil, err
	}
	cf, err := columnfamily.Open(ctx, src, spec.ColumnFamily, columnfamily.RawKeys(), columnfamily.RawNames(), columnfamily.RawValues())
	if err != nil {
		return nil, err
	}
	name := spec.name(srcKS)
	cp, err := newMoveCheckpoint(ctx, dst, spec.Keyspace, name)
	if err != nil {
		return nil, err
	}
	if o.restart {
		if err := cp.reset(ctx); err != nil {
			return nil, err
		}
	}
	mv := &mover{spec: spec, name: name, cf: cf, db: dst, m: m, o: o, now: time.Now}
	return mv.run(ctx, cp, ranges)
}

// describePartitioner asks the cluster for its partitioner.
func describePartitioner(ctx context.Context, p *pool.Pool) (partitioner.Partitioner, error) {
	var name string
	err := p.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
		var err error
		name, err = c.Client().DescribePartitioner(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return partitioner.ByName(name)
}

// run copies the ranges not yet recorded, then checks the counts.
func (mv *mover) run(ctx context.Context, cp *moveCheckpoint, ranges []tokenRange) (*MoveResult, error) {
	start := time.Now()
	done, err := cp.load(ctx)
	if err != nil {
		return nil, err
	}
	res := &MoveResult{Ranges: len(ranges)}
	var todo []tokenRange
	for _, r := range ranges {
		if _, ok := done[checkpointKey(r)]; ok {
			res.Resumed++
		} else {
			todo = append(todo, r)
		}
	}
	rep := &progressReporter{fn: mv.o.progress, start: start, ranges: len(ranges), before: res.Resumed, mv: mv}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopTicker := rep.tick(ctx, mv.o.every)
	var (
		mu       sync.Mutex
		firstErr error
		skipped  atomic.Int64
		wg       sync.WaitGroup
	)
	work := make(chan tokenRange)
	for range min(mv.o.workers, max(1, len(todo))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range work {
				d, sk, err := mv.copyRange(ctx, r)
				skipped.Add(sk)
				if err == nil {
					err = cp.done(ctx, checkpointKey(r), d, mv.o.runner)
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("migrate: move %s, token range %s: %w", mv.spec.ColumnFamily, r, err)
					cancel()
				}
				if err == nil {
					done[checkpointKey(r)] = d
				}
				mu.Unlock()
				if err == nil {
					rep.rangeDone()
				}
			}
		}()
	}
feed:
	for _, r := range todo {
		select {
		case work <- r:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	stopTicker()
	res.Copied, res.Cells, res.Skipped = mv.rows.Load(), mv.cells.Load(), skipped.Load()
	res.Elapsed = time.Since(start)
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return res, firstErr
	}
	rep.report(true)
	err = mv.verify(ctx, ranges, done, res)
	res.Elapsed = time.Since(start)
	return res, err
}

// verify counts the table's rows range by range and compares them with
// the counts recorded when the ranges were copied.
func (mv *mover) verify(ctx context.Context, ranges []tokenRange, done map[tokenRange]rangeDone, res *MoveResult) error {
	token := "token("
	for i, k := range mv.m.pk {
		if i > 0 {
			token += ", "
		}
		token += k
	}
	token += ")"
	mismatch := &CountMismatchError{Move: mv.name}
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	sem := make(chan struct{}, mv.o.workers)
	for _, r := range ranges {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			row, err := mv.db.Get(ctx, "SELECT COUNT(*) FROM "+mv.m.table+r.cqlWhere(token))
			var n int64
			if err == nil {
				n, err = cql.Col[int64](row, "count")
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = fmt.Errorf("migrate: count rows of %s in %s: %w", mv.m.table, r, err)
				}
				return
			}
			want := done[checkpointKey(r)].rows
			mismatch.Source += want
			mismatch.Target += n
			if n != want {
				mismatch.Ranges = append(mismatch.Ranges, RangeCount{Start: r.start, End: r.end, Source: want, Target: n})
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	res.Rows = mismatch.Source
	if len(mismatch.Ranges) > 0 {
		return mismatch
	}
	return nil
}

// progressReporter calls OnProgress's function, one call at a time.
type progressReporter struct {
	fn     func(MoveProgress)
	start  time.Time
	ranges int
	before int // ranges finished by earlier runs
	mv     *mover
	mu     sync.Mutex
	now    int // ranges finished by this run
}

func (r *progressReporter) rangeDone() {
	r.mu.Lock()
	r.now++
	r.mu.Unlock()
	r.report(false)
}

func (r *progressReporter) report(final bool) {
	if r.fn == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	el := time.Since(r.start)
	p := MoveProgress{Rows: r.mv.rows.Load(), Cells: r.mv.cells.Load(), RangesDone: r.before + r.now, Ranges: r.ranges, Elapsed: el}
	if s := el.Seconds(); s > 0 {
		p.RowsPerSecond = float64(p.Rows) / s
	}
	if r.now > 0 && !final {
		p.ETA = time.Duration(float64(el) / float64(r.now) * float64(r.ranges-p.RangesDone))
	}
	r.fn(p)
}

// tick reports every d until the returned function is called.
func (r *progressReporter) tick(ctx context.Context, d time.Duration) func() {
	if r.fn == nil || d <= 0 {
		return func() {}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				r.report(false)
			case <-stop:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	return func() { close(stop); wg.Wait() }
}
