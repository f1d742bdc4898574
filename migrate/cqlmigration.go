package migrate

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/internal/check"
)

// CQLMigration is one versioned step over CQL: a script of statements (a
// .cql file), a Go function, or both (the script runs first).
//
// The checksum that detects an edited migration covers ID, Description,
// CQL and Source; as with Migration, put in Source whatever defines Up.
type CQLMigration struct {
	// ID names the step in the ledger; unique, not empty. Loaded from a
	// file, it is the file name without ".cql".
	ID          string
	Description string
	// CQL is a script: statements ending with semicolons (the last may
	// omit it), with --, // and /* */ comments, BEGIN ... APPLY BATCH
	// taken whole. Unqualified names resolve in the session's keyspace.
	CQL string
	// Up runs after the script. It should be idempotent: if recording it
	// fails after it ran, or it fails half-way, the next run repeats it.
	Up func(ctx context.Context, db *cql.Session) error
	// Source feeds the checksum (see above).
	Source string
}

// Checksum is the hex SHA-256 of the migration's ID, Description, CQL and
// Source.
func (m *CQLMigration) Checksum() string {
	if m == nil {
		return ""
	}
	return checksum("cassa-cql-migration-v1", m.ID, m.Description, m.CQL, m.Source)
}

// LoadCQLMigrations reads the .cql files at the top of fsys (os.DirFS(dir)
// for a directory) as migrations, ordered by file name: the ID is the name
// without ".cql", the Description the text of a first line that is a --
// or // comment, the CQL the file. A file that does not split into
// statements, or holds none, is a *ScriptError.
func LoadCQLMigrations(fsys fs.FS) ([]CQLMigration, error) {
	if fsys == nil {
		return nil, check.Nil("migrate.LoadCQLMigrations", "fsys")
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var out []CQLMigration
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".cql" {
			continue
		}
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		m := CQLMigration{ID: strings.TrimSuffix(e.Name(), ".cql"), CQL: string(data), Description: firstComment(string(data))}
		stmts, err := splitCQLScript(e.Name(), m.CQL)
		if err != nil {
			return nil, err
		}
		if len(stmts) == 0 {
			return nil, &ScriptError{Name: e.Name(), Line: 1, Msg: "no statements"}
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// firstComment is the text of a script's first line when it is a comment.
func firstComment(script string) string {
	first, _, _ := strings.Cut(strings.TrimLeft(script, " \t\r\n"), "\n")
	first = strings.TrimSpace(first)
	for _, p := range []string{"--", "//"} {
		if strings.HasPrefix(first, p) {
			return strings.TrimSpace(strings.TrimPrefix(first, p))
		}
	}
	return ""
}

// CQLMigrator applies versioned migrations in order over CQL, recording
// each in the ledger table CQLLedgerTable of the keyspace, one runner at a
// time: the algorithm of Migrator, with the ledger and the lock in CQL
// tables and the lock taken by lightweight transactions.
type CQLMigrator struct {
	*runner
	db         *cql.Session
	migrations []CQLMigration
}

// NewCQLMigrator checks the migrations (IDs present and unique, something
// to run, scripts that split into statements) and returns a CQLMigrator
// for them. The session's keyspace is where unqualified statements run;
// cfg.Keyspace holds the ledger.
func NewCQLMigrator(db *cql.Session, cfg MigratorConfig, migrations ...CQLMigration) (*CQLMigrator, error) {
	if db == nil {
		return nil, check.Nil("migrate.NewCQLMigrator", "db")
	}
	cfg, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	if err := checkIDs(len(migrations), func(i int) string { return migrations[i].ID },
		func(i int) bool { return migrations[i].Up != nil || strings.TrimSpace(migrations[i].CQL) != "" },
		"no CQL and no Up function"); err != nil {
		return nil, err
	}
	m := &CQLMigrator{db: db, migrations: append([]CQLMigration(nil), migrations...)}
	m.runner = &runner{cfg: cfg, store: &cqlLedger{db: db, keyspace: cfg.Keyspace}}
	for i := range m.migrations {
		mg := &m.migrations[i]
		stmts, err := splitCQLScript(mg.ID, mg.CQL)
		if err != nil {
			return nil, err
		}
		m.steps = append(m.steps, versionedStep{id: mg.ID, description: mg.Description, checksum: mg.Checksum(),
			run: func(ctx context.Context) error { return runCQLMigration(ctx, db, stmts, mg.Up) }})
	}
	return m, nil
}

// runCQLMigration runs a script's statements in order, waiting for schema
// agreement after each schema change, then up.
func runCQLMigration(ctx context.Context, db *cql.Session, stmts []cqlStatement, up func(context.Context, *cql.Session) error) error {
	for i, st := range stmts {
		if err := db.Exec(ctx, st.text); err != nil {
			return fmt.Errorf("statement %d (line %d): %w", i+1, st.line, err)
		}
		if schemaStatement(st.text) {
			if err := db.AwaitSchemaAgreement(ctx); err != nil {
				return fmt.Errorf("statement %d (line %d): %w", i+1, st.line, err)
			}
		}
	}
	if up != nil {
		return up(ctx, db)
	}
	return nil
}

// usable checks a CQLMigrator made by NewCQLMigrator and a context.
func (m *CQLMigrator) usable(ctx context.Context, fn string) error {
	if m == nil || m.db == nil {
		return check.Unmade(fn, "*migrate.CQLMigrator", "migrate.NewCQLMigrator")
	}
	return check.Context(ctx, fn)
}

// Status lists the migrations in order with their state, followed by any
// ledger entries the CQLMigrator does not know. It does not create the
// ledger.
func (m *CQLMigrator) Status(ctx context.Context) ([]MigrationStatus, error) {
	if err := m.usable(ctx, "migrate.CQLMigrator.Status"); err != nil {
		return nil, err
	}
	return m.status(ctx)
}

// Up applies the pending migrations in order and returns the IDs it
// applied, as Migrator.Up does: it creates the ledger and lock tables on
// first use, takes the lock (INSERT ... IF NOT EXISTS USING TTL), renews
// it while steps run (UPDATE ... USING TTL ... IF owner = ?), refuses to
// run with a *ChecksumError when an applied migration was edited, stops
// at the first failure with a *MigrationError (recorded as failed, retried
// by the next Up), and cancels a step's context when the lock is lost
// (ErrLockLost).
func (m *CQLMigrator) Up(ctx context.Context) ([]string, error) {
	if err := m.usable(ctx, "migrate.CQLMigrator.Up"); err != nil {
		return nil, err
	}
	return m.up(ctx)
}

// cqlLedger keeps the ledger and the lock in CQL tables.
type cqlLedger struct {
	db       *cql.Session
	keyspace string
}

func (l *cqlLedger) table(name string) string {
	return codec.MaybeQuote(l.keyspace) + "." + name
}

// exists reports whether the keyspace has the table.
func (l *cqlLedger) exists(ctx context.Context, table string) (bool, error) {
	_, err := l.db.Get(ctx, "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?", l.keyspace, table)
	if isNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// ensure creates the ledger and lock tables with CREATE TABLE IF NOT
// EXISTS, which concurrent runners may all send.
func (l *cqlLedger) ensure(ctx context.Context, lockTTL time.Duration) error {
	for _, t := range []struct{ name, def string }{
		{CQLLedgerTable, "(id text PRIMARY KEY, description text, checksum text, outcome text, applied_at timestamp, " +
			"duration_ms bigint, error text, runner text) WITH comment = 'cassa versioned migrations'"},
		{CQLLockTable, fmt.Sprintf("(name text PRIMARY KEY, owner text) WITH comment = 'cassa migration lock' "+
			"AND default_time_to_live = %d AND gc_grace_seconds = 0", int(lockTTL/time.Second))},
	} {
		// Always sent, not only when system_schema lacks the table: a
		// table another runner is creating can show there before the node
		// can use it, and this statement waits behind that creation.
		if err := l.db.Exec(ctx, "CREATE TABLE IF NOT EXISTS "+l.table(t.name)+" "+t.def); err != nil {
			return fmt.Errorf("migrate: creating %s: %w", t.name, err)
		}
		if err := l.db.AwaitSchemaAgreement(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (l *cqlLedger) lockTTL(ctx context.Context, def time.Duration) (time.Duration, error) {
	row, err := l.db.Get(ctx, "SELECT default_time_to_live FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?", l.keyspace, CQLLockTable)
	if err != nil {
		return 0, err
	}
	var secs int
	if err := row.Scan(&secs); err != nil {
		return 0, err
	}
	if secs > 0 {
		return time.Duration(secs) * time.Second, nil
	}
	return def, nil
}

// casLock takes the lock with INSERT ... IF NOT EXISTS USING TTL, renews
// it with UPDATE ... USING TTL ... IF owner = ?, and releases it (value
// "") with DELETE ... IF owner = ?, so that the next runner's INSERT takes
// it at once.
func (l *cqlLedger) casLock(ctx context.Context, expected *string, value string, ttl time.Duration) (bool, *string, error) {
	secs := int(ttl / time.Second)
	var applied bool
	var cur *cql.Row
	var err error
	switch {
	case expected == nil:
		applied, cur, err = l.db.ExecCAS(ctx, fmt.Sprintf("INSERT INTO %s (name, owner) VALUES (?, ?) IF NOT EXISTS USING TTL %d",
			l.table(CQLLockTable), secs), lockKey, value)
	case value == "":
		applied, cur, err = l.db.ExecCAS(ctx, fmt.Sprintf("DELETE FROM %s WHERE name = ? IF owner = ?",
			l.table(CQLLockTable)), lockKey, *expected)
	default:
		applied, cur, err = l.db.ExecCAS(ctx, fmt.Sprintf("UPDATE %s USING TTL %d SET owner = ? WHERE name = ? IF owner = ?",
			l.table(CQLLockTable), secs), value, lockKey, *expected)
	}
	if err != nil || applied || cur == nil || cur.IsNull(lockColumn) {
		return applied, nil, err
	}
	owner, err := cql.Col[string](cur, lockColumn)
	if err != nil {
		return false, nil, err
	}
	return false, &owner, nil
}

func (l *cqlLedger) write(ctx context.Context, r Record) error {
	return l.db.Exec(ctx, "INSERT INTO "+l.table(CQLLedgerTable)+
		" (id, description, checksum, outcome, applied_at, duration_ms, error, runner) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		r.ID, r.Description, r.Checksum, r.Outcome, r.At, r.Duration.Milliseconds(), r.Error, r.Runner,
		cql.Consistency(cassa.Quorum))
}

func (l *cqlLedger) read(ctx context.Context) ([]Record, error) {
	ok, err := l.exists(ctx, CQLLedgerTable)
	if err != nil || !ok {
		return nil, err
	}
	var out []Record
	for row, err := range l.db.Query(ctx, "SELECT id, description, checksum, outcome, applied_at, duration_ms, error, runner FROM "+
		l.table(CQLLedgerTable), cql.Consistency(cassa.Quorum)) {
		if err != nil {
			return nil, err
		}
		var r Record
		var ms int64
		if err := row.Scan(&r.ID, &r.Description, &r.Checksum, &r.Outcome, &r.At, &ms, &r.Error, &r.Runner); err != nil {
			return nil, err
		}
		r.At = r.At.UTC()
		r.Duration = time.Duration(ms) * time.Millisecond
		out = append(out, r)
	}
	sortRecords(out)
	return out, nil
}

// ReadCQLLedger returns the CQL ledger entries of a keyspace, oldest
// first. A keyspace without a ledger has none; a missing keyspace is
// ErrKeyspaceNotFound.
func ReadCQLLedger(ctx context.Context, db *cql.Session, keyspace string) ([]Record, error) {
	if db == nil {
		return nil, check.Nil("migrate.ReadCQLLedger", "db")
	}
	if err := check.Context(ctx, "migrate.ReadCQLLedger"); err != nil {
		return nil, err
	}
	_, err := db.Get(ctx, "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?", keyspace)
	if isNotFound(err) {
		return nil, fmt.Errorf("%w: %s", ErrKeyspaceNotFound, keyspace)
	}
	if err != nil {
		return nil, err
	}
	return (&cqlLedger{db: db, keyspace: keyspace}).read(ctx)
}
