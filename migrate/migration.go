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
	"strconv"
	"strings"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/internal/check"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Migration is one versioned schema (or data) step, written in Go.
//
// Go functions cannot be hashed, so the checksum that detects an edited
// migration covers ID, Description and Source. Put in Source whatever
// defines the step, e.g. the schema it creates written out, a go:embed-ded
// copy of its source file, or a revision string you bump by hand; leaving it
// empty checksums only ID and Description.
type Migration struct {
	// ID orders nothing by itself (migrations run in the order given) but
	// names the step in the ledger; it must be unique and not empty.
	ID          string
	Description string
	// Up applies the step. It should be idempotent: if recording it fails
	// after it ran, or it fails half-way, the next run repeats it.
	Up func(ctx context.Context, sys *SystemManager) error
	// Source feeds the checksum (see above).
	Source string
}

// Checksum is the hex SHA-256 of the migration's ID, Description and
// Source.
func (m *Migration) Checksum() string {
	if m == nil {
		return ""
	}
	h := sha256.New()
	for _, s := range []string{"cassa-migration-v1", m.ID, m.Description, m.Source} {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
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

// MigratorConfig configures a Migrator. Only Keyspace is required.
type MigratorConfig struct {
	// Keyspace holds the ledger and lock column families (created on first
	// use). It must exist.
	Keyspace string
	// LockTTL is how long the migration lock outlives a runner that died;
	// a live runner renews it every (LockTTL-1s)/3, because Cassandra
	// counts TTLs in whole seconds from a truncated clock. Whole seconds,
	// at least two. Default 30s. It is the lock column family's
	// default_time_to_live, because Cassandra 2.x ignores the TTL of cas
	// updates; an existing lock column family keeps its TTL.
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

// Migrator applies versioned migrations in order, recording each in the
// ledger column family, one runner at a time.
type Migrator struct {
	sys        *SystemManager
	cfg        MigratorConfig
	migrations []Migration
}

// NewMigrator checks the migrations (IDs present and unique, Up set) and
// returns a Migrator for them.
func NewMigrator(sys *SystemManager, cfg MigratorConfig, migrations ...Migration) (*Migrator, error) {
	if sys == nil {
		return nil, check.Nil("migrate.NewMigrator", "sys")
	}
	if cfg.Keyspace == "" {
		return nil, errors.New("migrate: MigratorConfig.Keyspace is required")
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
	seen := make(map[string]bool, len(migrations))
	for i, m := range migrations {
		switch {
		case m.ID == "":
			return nil, fmt.Errorf("migrate: migration %d has no ID", i)
		case seen[m.ID]:
			return nil, fmt.Errorf("migrate: duplicate migration ID %q", m.ID)
		case m.Up == nil:
			return nil, fmt.Errorf("migrate: migration %q has no Up function", m.ID)
		}
		seen[m.ID] = true
	}
	return &Migrator{sys: sys, cfg: cfg, migrations: append([]Migration(nil), migrations...)}, nil
}

// usable checks a Migrator made by NewMigrator and a context.
func (m *Migrator) usable(ctx context.Context, fn string) error {
	if m == nil || m.sys == nil {
		return check.Unmade(fn, "*migrate.Migrator", "migrate.NewMigrator")
	}
	return check.Context(ctx, fn)
}

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

// Status lists the migrations in order with their state, followed by any
// ledger entries the Migrator does not know. It does not create the ledger.
func (m *Migrator) Status(ctx context.Context) ([]MigrationStatus, error) {
	if err := m.usable(ctx, "migrate.Migrator.Status"); err != nil {
		return nil, err
	}
	recs, err := ReadLedger(ctx, m.sys, m.cfg.Keyspace)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*Record, len(recs))
	for i := range recs {
		byID[recs[i].ID] = &recs[i]
	}
	out := make([]MigrationStatus, 0, len(m.migrations))
	for i := range m.migrations {
		mg := &m.migrations[i]
		st := MigrationStatus{ID: mg.ID, Description: mg.Description, Checksum: mg.Checksum(), State: StatePending}
		if r := byID[mg.ID]; r != nil {
			st.Record = r
			switch {
			case r.Outcome != OutcomeApplied:
				st.State = StateFailed
			case r.Checksum != st.Checksum:
				st.State = StateChanged
			default:
				st.State = StateApplied
			}
			delete(byID, mg.ID)
		}
		out = append(out, st)
	}
	for _, r := range recs {
		if byID[r.ID] != nil {
			out = append(out, MigrationStatus{ID: r.ID, Description: r.Description, Checksum: r.Checksum, State: StateUnknown, Record: byID[r.ID]})
		}
	}
	return out, nil
}

// Up applies the pending migrations in order and returns the IDs it
// applied. It creates the ledger on first use and takes the migration lock
// first, so two runners never apply a step twice: the second waits, then
// finds the steps applied. Before running anything it fails with a
// *ChecksumError if an applied migration was edited. It stops at the first
// failing migration with a *MigrationError; that one is recorded as
// failed, not applied, and the next Up retries it. If the lock cannot be
// renewed while a step runs, the step's context is cancelled and the error
// matches ErrLockLost.
func (m *Migrator) Up(ctx context.Context) ([]string, error) {
	if err := m.usable(ctx, "migrate.Migrator.Up"); err != nil {
		return nil, err
	}
	if err := m.ensureLedger(ctx); err != nil {
		return nil, err
	}
	lk, err := m.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer lk.release()
	recs, err := ReadLedger(lk.ctx, m.sys, m.cfg.Keyspace)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]Record, len(recs))
	for _, r := range recs {
		byID[r.ID] = r
	}
	for i := range m.migrations {
		mg := &m.migrations[i]
		if r, ok := byID[mg.ID]; ok && r.Outcome == OutcomeApplied && r.Checksum != mg.Checksum() {
			return nil, &ChecksumError{ID: mg.ID, Recorded: r.Checksum, Current: mg.Checksum()}
		}
	}
	var applied []string
	for i := range m.migrations {
		mg := &m.migrations[i]
		if r, ok := byID[mg.ID]; ok && r.Outcome == OutcomeApplied {
			continue
		}
		if context.Cause(lk.ctx) == ErrLockLost {
			return applied, fmt.Errorf("migrate: stopped before migration %q: %w", mg.ID, ErrLockLost)
		}
		start := time.Now()
		err := runStep(lk.ctx, mg, m.sys)
		rec := Record{ID: mg.ID, Description: mg.Description, Checksum: mg.Checksum(), Outcome: OutcomeApplied,
			At: time.Now().UTC(), Duration: time.Since(start), Runner: m.cfg.Runner}
		if err != nil {
			if errors.Is(err, context.Canceled) && context.Cause(lk.ctx) == ErrLockLost {
				err = fmt.Errorf("%w: %w", ErrLockLost, err)
			}
			rec.Outcome, rec.Error = OutcomeFailed, err.Error()
			// Best effort, on a context that outlives a cancelled one: the
			// failure is worth keeping, but the step's error matters more.
			wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			_ = m.writeRecord(wctx, rec)
			cancel()
			return applied, &MigrationError{ID: mg.ID, Err: err}
		}
		if err := m.writeRecord(ctx, rec); err != nil {
			return applied, fmt.Errorf("migrate: migration %q applied but not recorded (it will run again): %w", mg.ID, err)
		}
		applied = append(applied, mg.ID)
		if m.cfg.Logger != nil {
			m.cfg.Logger.Info("migration applied", "id", mg.ID, "duration", rec.Duration)
		}
	}
	return applied, nil
}

// runStep runs a migration's Up, turning a panic into an error so a bad
// step cannot leave the lock held until it expires.
func runStep(ctx context.Context, mg *Migration, sys *SystemManager) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return mg.Up(ctx, sys)
}

// ensureLedger creates the ledger and lock column families if absent.
// Concurrent runners may both try; "already existing" is success.
func (m *Migrator) ensureLedger(ctx context.Context) error {
	cfs, err := m.sys.GetKeyspaceColumnFamilies(ctx, m.cfg.Keyspace)
	if err != nil {
		return err
	}
	ttl := int32(m.cfg.LockTTL / time.Second)
	for _, c := range []struct {
		name string
		opts ColumnFamilyDef
	}{
		{LedgerColumnFamily, ColumnFamilyDef{Comparator: "UTF8Type", KeyValidation: "UTF8Type", DefaultValidation: "UTF8Type",
			Attributes: Attributes{Comment: Ptr("cassa versioned migrations")}}},
		{LockColumnFamily, ColumnFamilyDef{Comparator: "UTF8Type", KeyValidation: "UTF8Type", DefaultValidation: "UTF8Type",
			Attributes: Attributes{Comment: Ptr("cassa migration lock"), DefaultTimeToLive: &ttl, GCGraceSeconds: Ptr[int32](0)}}},
	} {
		if cfs[c.name] != nil {
			continue
		}
		err := m.sys.CreateColumnFamily(ctx, m.cfg.Keyspace, c.name, c.opts)
		var ire *cassa.InvalidRequestError
		if errors.As(err, &ire) && strings.Contains(ire.Why, "already existing") {
			err = m.sys.WaitForAgreement(ctx)
		}
		if err != nil {
			return fmt.Errorf("migrate: creating %s: %w", c.name, err)
		}
	}
	return nil
}

// Ledger column names.
const (
	colDescription = "description"
	colChecksum    = "checksum"
	colOutcome     = "outcome"
	colAt          = "at"
	colDuration    = "duration_ms"
	colError       = "error"
	colRunner      = "runner"
)

func (m *Migrator) writeRecord(ctx context.Context, r Record) error {
	ts := columnfamily.MonotonicTimestamp()
	var muts []*tg.Mutation
	for _, kv := range [][2]string{
		{colDescription, r.Description}, {colChecksum, r.Checksum}, {colOutcome, r.Outcome},
		{colAt, r.At.Format(time.RFC3339Nano)}, {colDuration, strconv.FormatInt(r.Duration.Milliseconds(), 10)},
		{colError, r.Error}, {colRunner, r.Runner},
	} {
		c := tg.NewColumn()
		c.Name, c.Value, c.Timestamp = []byte(kv[0]), []byte(kv[1]), &ts
		cosc := tg.NewColumnOrSuperColumn()
		cosc.Column = c
		mu := tg.NewMutation()
		mu.ColumnOrSupercolumn = cosc
		muts = append(muts, mu)
	}
	mm := map[string]map[string][]*tg.Mutation{r.ID: {LedgerColumnFamily: muts}}
	return m.sys.do(ctx, m.cfg.Keyspace, func(ctx context.Context, c *tg.CassandraClient) error {
		return c.BatchMutate(ctx, mm, tg.ConsistencyLevel_QUORUM)
	})
}

// ReadLedger returns the ledger entries of a keyspace, oldest first. A
// keyspace without a ledger has none.
func ReadLedger(ctx context.Context, sys *SystemManager, keyspace string) ([]Record, error) {
	if sys == nil {
		return nil, check.Nil("migrate.ReadLedger", "sys")
	}
	cfs, err := sys.GetKeyspaceColumnFamilies(ctx, keyspace)
	if err != nil {
		return nil, err
	}
	if cfs[LedgerColumnFamily] == nil {
		return nil, nil
	}
	const page = 500
	var out []Record
	start := []byte{}
	for {
		var rows []*tg.KeySlice
		err := sys.do(ctx, keyspace, func(ctx context.Context, c *tg.CassandraClient) error {
			parent := tg.NewColumnParent()
			parent.ColumnFamily = LedgerColumnFamily
			pred := tg.NewSlicePredicate()
			sr := tg.NewSliceRange()
			sr.Start, sr.Finish = []byte{}, []byte{}
			pred.SliceRange = sr
			kr := tg.NewKeyRange()
			kr.StartKey, kr.EndKey, kr.Count = start, []byte{}, page
			var err error
			rows, err = c.GetRangeSlices(ctx, parent, pred, kr, tg.ConsistencyLevel_QUORUM)
			return err
		})
		if err != nil {
			return nil, err
		}
		for i, row := range rows {
			if i == 0 && len(start) > 0 {
				continue // the start key is inclusive: seen on the last page
			}
			if len(row.Columns) == 0 {
				continue // a range ghost
			}
			out = append(out, decodeRecord(row))
		}
		if len(rows) < page {
			break
		}
		start = rows[len(rows)-1].Key
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

func decodeRecord(row *tg.KeySlice) Record {
	r := Record{ID: string(row.Key)}
	for _, cosc := range row.Columns {
		c := cosc.GetColumn()
		if c == nil {
			continue
		}
		v := string(c.Value)
		switch string(c.Name) {
		case colDescription:
			r.Description = v
		case colChecksum:
			r.Checksum = v
		case colOutcome:
			r.Outcome = v
		case colAt:
			r.At, _ = time.Parse(time.RFC3339Nano, v)
		case colDuration:
			ms, _ := strconv.ParseInt(v, 10, 64)
			r.Duration = time.Duration(ms) * time.Millisecond
		case colError:
			r.Error = v
		case colRunner:
			r.Runner = v
		}
	}
	return r
}
