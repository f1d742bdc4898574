package migrate

import (
	"context"
	"errors"
	"fmt"
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
	return checksum("cassa-migration-v1", m.ID, m.Description, m.Source)
}

// Migrator applies versioned migrations in order over Thrift, recording
// each in the ledger column family, one runner at a time.
type Migrator struct {
	*runner
	sys        *SystemManager
	migrations []Migration
}

// NewMigrator checks the migrations (IDs present and unique, Up set) and
// returns a Migrator for them.
func NewMigrator(sys *SystemManager, cfg MigratorConfig, migrations ...Migration) (*Migrator, error) {
	if sys == nil {
		return nil, check.Nil("migrate.NewMigrator", "sys")
	}
	cfg, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	if err := checkIDs(len(migrations), func(i int) string { return migrations[i].ID },
		func(i int) bool { return migrations[i].Up != nil }, "no Up function"); err != nil {
		return nil, err
	}
	m := &Migrator{sys: sys, migrations: append([]Migration(nil), migrations...)}
	m.runner = &runner{cfg: cfg, store: &thriftLedger{sys: sys, keyspace: cfg.Keyspace}}
	for i := range m.migrations {
		mg := &m.migrations[i]
		m.steps = append(m.steps, versionedStep{id: mg.ID, description: mg.Description, checksum: mg.Checksum(),
			run: func(ctx context.Context) error { return mg.Up(ctx, sys) }})
	}
	return m, nil
}

// usable checks a Migrator made by NewMigrator and a context.
func (m *Migrator) usable(ctx context.Context, fn string) error {
	if m == nil || m.sys == nil {
		return check.Unmade(fn, "*migrate.Migrator", "migrate.NewMigrator")
	}
	return check.Context(ctx, fn)
}

// Status lists the migrations in order with their state, followed by any
// ledger entries the Migrator does not know. It does not create the ledger.
func (m *Migrator) Status(ctx context.Context) ([]MigrationStatus, error) {
	if err := m.usable(ctx, "migrate.Migrator.Status"); err != nil {
		return nil, err
	}
	return m.status(ctx)
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
	return m.up(ctx)
}

// thriftLedger keeps the ledger and the lock in Thrift column families.
type thriftLedger struct {
	sys      *SystemManager
	keyspace string
}

// ensure creates the ledger and lock column families if absent.
// Concurrent runners may both try; "already existing" is success.
func (l *thriftLedger) ensure(ctx context.Context, lockTTL time.Duration) error {
	cfs, err := l.sys.GetKeyspaceColumnFamilies(ctx, l.keyspace)
	if err != nil {
		return err
	}
	ttl := int32(lockTTL / time.Second)
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
		err := l.sys.CreateColumnFamily(ctx, l.keyspace, c.name, c.opts)
		var ire *cassa.InvalidRequestError
		if errors.As(err, &ire) && strings.Contains(ire.Why, "already existing") {
			err = l.sys.WaitForAgreement(ctx)
		}
		if err != nil {
			return fmt.Errorf("migrate: creating %s: %w", c.name, err)
		}
	}
	return nil
}

// lockTTL is the lock column family's TTL, which the lock cell gets.
func (l *thriftLedger) lockTTL(ctx context.Context, def time.Duration) (time.Duration, error) {
	cf, err := l.sys.DescribeColumnFamily(ctx, l.keyspace, LockColumnFamily)
	if err != nil {
		return 0, err
	}
	if s := cf.GetDefaultTimeToLive(); s > 0 {
		return time.Duration(s) * time.Second, nil
	}
	return def, nil
}

// casLock writes value into the lock cell if it holds expected (nil: if the
// row has no live cell). It returns whether it did, and the cell's current
// value when it did not (nil when the row has none).
func (l *thriftLedger) casLock(ctx context.Context, expected *string, value string, ttl time.Duration) (bool, *string, error) {
	col := func(v string) *tg.Column {
		c := tg.NewColumn()
		ts := time.Now().UnixMicro()
		secs := int32(ttl / time.Second)
		c.Name, c.Value, c.Timestamp, c.TTL = []byte(lockColumn), []byte(v), &ts, &secs
		return c
	}
	var exp []*tg.Column
	if expected != nil {
		e := tg.NewColumn()
		e.Name, e.Value = []byte(lockColumn), []byte(*expected)
		exp = []*tg.Column{e}
	}
	var res *tg.CASResult_
	err := l.sys.do(ctx, l.keyspace, func(ctx context.Context, c *tg.CassandraClient) error {
		var err error
		res, err = c.Cas(ctx, []byte(lockKey), LockColumnFamily, exp, []*tg.Column{col(value)},
			tg.ConsistencyLevel_SERIAL, tg.ConsistencyLevel_QUORUM)
		return err
	})
	if err != nil {
		return false, nil, err
	}
	if res == nil {
		return false, nil, fmt.Errorf("migrate: cas on the migration lock returned no result")
	}
	if res.Success {
		return true, nil, nil
	}
	for _, c := range res.CurrentValues {
		if string(c.Name) == lockColumn {
			v := string(c.Value)
			return false, &v, nil
		}
	}
	return false, nil, nil
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

func (l *thriftLedger) write(ctx context.Context, r Record) error {
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
	return l.sys.do(ctx, l.keyspace, func(ctx context.Context, c *tg.CassandraClient) error {
		return c.BatchMutate(ctx, mm, tg.ConsistencyLevel_QUORUM)
	})
}

func (l *thriftLedger) read(ctx context.Context) ([]Record, error) {
	return ReadLedger(ctx, l.sys, l.keyspace)
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
	sortRecords(out)
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
