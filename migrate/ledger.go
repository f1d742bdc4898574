package migrate

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"time"
)

// The versioned migrations of both protocols share one algorithm (a
// runner): the lock, its renewal, the order, the checksums and the ledger
// records; a ledgerStore keeps the ledger and the lock, in Thrift column
// families (Migrator) or CQL tables (CQLMigrator).

// ledgerStore is where a runner keeps its ledger and its lock.
type ledgerStore interface {
	// ensure creates the ledger and lock tables if absent; the lock's
	// gets ttl as its default time to live. Concurrent runners may both
	// try; one that finds them created is fine.
	ensure(ctx context.Context, ttl time.Duration) error
	// lockTTL is the lock table's default time to live, or def.
	lockTTL(ctx context.Context, def time.Duration) (time.Duration, error)
	// casLock writes value into the lock cell with ttl if it holds
	// expected (nil: if there is no live lock row). It returns whether it
	// did, and the cell's current value when it did not (nil when there
	// is none).
	casLock(ctx context.Context, expected *string, value string, ttl time.Duration) (bool, *string, error)
	// write records the last attempt at a migration.
	write(ctx context.Context, r Record) error
	// read returns the ledger, oldest first; none when there is no ledger.
	read(ctx context.Context) ([]Record, error)
}

// versionedStep is a migration as the runner sees it.
type versionedStep struct {
	id, description, checksum string
	run                       func(ctx context.Context) error
}

// runner applies versioned steps in order, each once, one runner at a
// time.
type runner struct {
	cfg   MigratorConfig
	store ledgerStore
	steps []versionedStep
}

// checksum is the hex SHA-256 of the parts, each length-prefixed so that
// moving text from one part to another changes it.
func checksum(parts ...string) string {
	h := sha256.New()
	for _, s := range parts {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// normalize applies MigratorConfig's defaults.
func (cfg MigratorConfig) normalize() (MigratorConfig, error) {
	if cfg.Keyspace == "" {
		return cfg, errors.New("migrate: MigratorConfig.Keyspace is required")
	}
	if cfg.LockTTL <= 0 {
		cfg.LockTTL = DefaultLockTTL
	}
	cfg.LockTTL = max(2*time.Second, cfg.LockTTL.Round(time.Second))
	if cfg.LockPoll <= 0 {
		cfg.LockPoll = 250 * time.Millisecond
	}
	if cfg.Runner == "" {
		host, _ := os.Hostname()
		var b [4]byte
		_, _ = rand.Read(b[:])
		cfg.Runner = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
	}
	return cfg, nil
}

// checkIDs checks that migration IDs are present and unique; hasUp says
// whether migration i can run, missing what it lacks otherwise.
func checkIDs(n int, id func(int) string, hasUp func(int) bool, missing string) error {
	seen := make(map[string]bool, n)
	for i := range n {
		switch {
		case id(i) == "":
			return fmt.Errorf("migrate: migration %d has no ID", i)
		case seen[id(i)]:
			return fmt.Errorf("migrate: duplicate migration ID %q", id(i))
		case !hasUp(i):
			return fmt.Errorf("migrate: migration %q has %s", id(i), missing)
		}
		seen[id(i)] = true
	}
	return nil
}

// ensureLedger creates the ledger and lock tables if absent.
func (r *runner) ensureLedger(ctx context.Context) error {
	return r.store.ensure(ctx, r.cfg.LockTTL)
}

// casLock is the store's, for tests.
func (r *runner) casLock(ctx context.Context, expected *string, value string, ttl time.Duration) (bool, *string, error) {
	return r.store.casLock(ctx, expected, value, ttl)
}

// Outcomes recorded in the ledger.
const (
	OutcomeApplied = "applied"
	OutcomeFailed  = "failed"
)

// Record is one ledger entry: the last attempt at a migration.
type Record struct {
	ID          string        `json:"id"`
	Description string        `json:"description"`
	Checksum    string        `json:"checksum"`
	Outcome     string        `json:"outcome"` // OutcomeApplied or OutcomeFailed
	At          time.Time     `json:"at"`      // when the attempt finished
	Duration    time.Duration `json:"duration"`
	Error       string        `json:"error,omitempty"` // why it failed
	Runner      string        `json:"runner"`
}

// MigratorConfig configures a Migrator or a CQLMigrator. Only Keyspace is
// required.
type MigratorConfig struct {
	// Keyspace holds the ledger and lock column families or tables
	// (created on first use). It must exist.
	Keyspace string
	// LockTTL is how long the migration lock outlives a runner that died;
	// a live runner renews it every (LockTTL-1s)/3, because Cassandra
	// counts TTLs in whole seconds from a truncated clock. Whole seconds,
	// at least two. Default 30s. It is the lock table's
	// default_time_to_live (besides the TTL each lock write carries),
	// because Cassandra 2.x ignores the TTL of Thrift cas updates; an
	// existing lock table keeps its TTL.
	LockTTL time.Duration
	// LockPoll is the pause between two attempts to take a held lock.
	// Default 250ms. The context passed to Up bounds the wait.
	LockPoll time.Duration
	// Runner names this runner in the lock and the ledger. Default
	// "<hostname>-<pid>-<random>".
	Runner string
	// Logger, when not nil, logs each migration applied.
	Logger *slog.Logger
}

// DefaultLockTTL is the default MigratorConfig.LockTTL.
const DefaultLockTTL = 30 * time.Second

// State is where a migration stands.
type State string

// Migration states reported by Status.
const (
	StateApplied State = "applied"
	StatePending State = "pending"
	StateFailed  State = "failed"  // the last attempt failed; Up retries it
	StateChanged State = "changed" // applied, but its checksum changed since; Up refuses to run
	StateUnknown State = "unknown" // in the ledger, not among the Migrator's migrations
)

// MigrationStatus is one line of Status.
type MigrationStatus struct {
	ID          string  `json:"id"`
	Description string  `json:"description"`
	State       State   `json:"state"`
	Checksum    string  `json:"checksum"`
	Record      *Record `json:"record,omitempty"` // the ledger entry, if any
}

// status lists the steps in order with their state, followed by any
// ledger entries the runner does not know. It does not create the ledger.
func (r *runner) status(ctx context.Context) ([]MigrationStatus, error) {
	recs, err := r.store.read(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*Record, len(recs))
	for i := range recs {
		byID[recs[i].ID] = &recs[i]
	}
	out := make([]MigrationStatus, 0, len(r.steps))
	for _, st := range r.steps {
		ms := MigrationStatus{ID: st.id, Description: st.description, Checksum: st.checksum, State: StatePending}
		if rec := byID[st.id]; rec != nil {
			ms.Record = rec
			switch {
			case rec.Outcome != OutcomeApplied:
				ms.State = StateFailed
			case rec.Checksum != st.checksum:
				ms.State = StateChanged
			default:
				ms.State = StateApplied
			}
			delete(byID, st.id)
		}
		out = append(out, ms)
	}
	for _, rec := range recs {
		if byID[rec.ID] != nil {
			out = append(out, MigrationStatus{ID: rec.ID, Description: rec.Description, Checksum: rec.Checksum, State: StateUnknown, Record: byID[rec.ID]})
		}
	}
	return out, nil
}

// up applies the pending steps in order under the lock (see Migrator.Up).
func (r *runner) up(ctx context.Context) ([]string, error) {
	if err := r.ensureLedger(ctx); err != nil {
		return nil, err
	}
	lk, err := r.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer lk.release()
	recs, err := r.store.read(lk.ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]Record, len(recs))
	for _, rec := range recs {
		byID[rec.ID] = rec
	}
	for _, st := range r.steps {
		if rec, ok := byID[st.id]; ok && rec.Outcome == OutcomeApplied && rec.Checksum != st.checksum {
			return nil, &ChecksumError{ID: st.id, Recorded: rec.Checksum, Current: st.checksum}
		}
	}
	var applied []string
	for _, st := range r.steps {
		if rec, ok := byID[st.id]; ok && rec.Outcome == OutcomeApplied {
			continue
		}
		if context.Cause(lk.ctx) == ErrLockLost {
			return applied, fmt.Errorf("migrate: stopped before migration %q: %w", st.id, ErrLockLost)
		}
		start := time.Now()
		err := runStep(lk.ctx, st.run)
		rec := Record{ID: st.id, Description: st.description, Checksum: st.checksum, Outcome: OutcomeApplied,
			At: time.Now().UTC(), Duration: time.Since(start), Runner: r.cfg.Runner}
		if err != nil {
			if errors.Is(err, context.Canceled) && context.Cause(lk.ctx) == ErrLockLost {
				err = fmt.Errorf("%w: %w", ErrLockLost, err)
			}
			rec.Outcome, rec.Error = OutcomeFailed, err.Error()
			// Best effort, on a context that outlives a cancelled one: the
			// failure is worth keeping, but the step's error matters more.
			wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			_ = r.store.write(wctx, rec)
			cancel()
			return applied, &MigrationError{ID: st.id, Err: err}
		}
		if err := r.store.write(ctx, rec); err != nil {
			return applied, fmt.Errorf("migrate: migration %q applied but not recorded (it will run again): %w", st.id, err)
		}
		applied = append(applied, st.id)
		if r.cfg.Logger != nil {
			r.cfg.Logger.Info("migration applied", "id", st.id, "duration", rec.Duration)
		}
	}
	return applied, nil
}

// runStep runs a step, turning a panic into an error so a bad step cannot
// leave the lock held until it expires.
func runStep(ctx context.Context, run func(context.Context) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return run(ctx)
}

// sortRecords orders ledger entries oldest first, then by ID.
func sortRecords(out []Record) {
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].ID < out[j].ID
	})
}
