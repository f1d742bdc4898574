package migrate

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/server"
)

func TestSplitCQLScript(t *testing.T) {
	script := `-- create the users table
CREATE TABLE users (id uuid PRIMARY KEY, name text); // trailing comment
/* a block
   comment; with a semicolon */
INSERT INTO users (id, name) VALUES (uuid(), 'it''s; fine');
INSERT INTO "Odd;Table" (k) VALUES ($$a;b
c$$);
BEGIN UNLOGGED BATCH
  INSERT INTO t (k) VALUES (1);
  INSERT INTO t (k) VALUES (2);
APPLY BATCH;
;;
SELECT * FROM t -- the last one needs no semicolon
`
	got, err := splitCQLScript("s.cql", script)
	must(t, err)
	want := []cqlStatement{
		{"CREATE TABLE users (id uuid PRIMARY KEY, name text)", 2},
		{"INSERT INTO users (id, name) VALUES (uuid(), 'it''s; fine')", 5},
		{"INSERT INTO \"Odd;Table\" (k) VALUES ($$a;b\nc$$)", 6},
		{"BEGIN UNLOGGED BATCH\n  INSERT INTO t (k) VALUES (1);\n  INSERT INTO t (k) VALUES (2);\nAPPLY BATCH", 8},
		{"SELECT * FROM t", 13},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	for _, c := range []struct{ script, want string }{
		{"SELECT 'open", "line 1: the script ends inside"},
		{"\nSELECT \"open", "line 2: the script ends inside"},
		{"SELECT 1;\n/* open", "line 2: the script ends inside"},
		{"SELECT $$ x", "the script ends inside"},
		{"BEGIN BATCH INSERT INTO t (k) VALUES (1);", "BEGIN BATCH without APPLY BATCH"},
	} {
		_, err := splitCQLScript("bad.cql", c.script)
		var se *ScriptError
		if !errors.As(err, &se) || !errors.Is(err, ErrInvalidSpec) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "bad.cql") {
			t.Errorf("%q: %v", c.script, err)
		}
	}
	if got, err := splitCQLScript("e", " -- nothing\n/* here */ ;\n"); err != nil || len(got) != 0 {
		t.Errorf("empty script: %q %v", got, err)
	}
}

func TestLoadCQLMigrations(t *testing.T) {
	fsys := fstest.MapFS{
		"002_posts.cql": {Data: []byte("CREATE TABLE posts (id int PRIMARY KEY);")},
		"001_users.cql": {Data: []byte("-- users and their names\nCREATE TABLE users (id int PRIMARY KEY);\nALTER TABLE users ADD name text")},
		"README.md":     {Data: []byte("not a migration")},
		"sub/003_x.cql": {Data: []byte("CREATE TABLE x (id int PRIMARY KEY);")},
		"010_later.cql": {Data: []byte("// later\nDROP TABLE posts;")},
	}
	ms, err := LoadCQLMigrations(fsys)
	must(t, err)
	var got []string
	for _, m := range ms {
		got = append(got, m.ID+"|"+m.Description)
	}
	if want := []string{"001_users|users and their names", "002_posts|", "010_later|later"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if ms[0].Checksum() == ms[1].Checksum() || ms[0].Checksum() != (&CQLMigration{ID: ms[0].ID, Description: ms[0].Description, CQL: ms[0].CQL}).Checksum() {
		t.Error("checksums")
	}
	fsys["004_empty.cql"] = &fstest.MapFile{Data: []byte("-- nothing yet\n")}
	if _, err := LoadCQLMigrations(fsys); err == nil || !strings.Contains(err.Error(), "004_empty.cql, line 1: no statements") {
		t.Errorf("empty file: %v", err)
	}
	fsys["004_empty.cql"] = &fstest.MapFile{Data: []byte("SELECT 'x")}
	if _, err := LoadCQLMigrations(fsys); err == nil || !strings.Contains(err.Error(), "004_empty.cql, line 1: the script ends inside a string") {
		t.Errorf("bad file: %v", err)
	}
}

// cqlApp creates a keyspace and opens a session on it.
func cqlApp(t testing.TB, hosts []string) (*cql.Session, string) {
	t.Helper()
	admin := openCQL(t, hosts)
	ks := freshKeyspace(t, admin)
	execAll(t, admin, "CREATE KEYSPACE "+ks+" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	db, err := cql.Open(testCtx(t), cql.Config{Hosts: hosts, Keyspace: ks})
	must(t, err)
	t.Cleanup(func() { _ = db.Close(context.Background()) })
	return db, ks
}

// countedCQL returns migrations that each create a table by a script and
// count their Go part's runs.
func countedCQL(n int, runs []atomic.Int32) []CQLMigration {
	out := make([]CQLMigration, n)
	for i := range out {
		out[i] = CQLMigration{
			ID:          fmt.Sprintf("%03d_t%d", i+1, i+1),
			Description: fmt.Sprintf("create t%d", i+1),
			CQL:         fmt.Sprintf("-- table %d\nCREATE TABLE t%d (k int PRIMARY KEY, v text);\nINSERT INTO t%d (k, v) VALUES (1, 'one')", i+1, i+1, i+1),
			Up: func(ctx context.Context, db *cql.Session) error {
				runs[i].Add(1)
				return nil
			},
		}
	}
	return out
}

func TestCQLMigratorUpAndStatus(t *testing.T) {
	hosts, _ := cqlHosts(t)
	db, ks := cqlApp(t, hosts)
	ctx := testCtx(t)
	runs := make([]atomic.Int32, 3)
	m, err := NewCQLMigrator(db, MigratorConfig{Keyspace: ks, Runner: "r1"}, countedCQL(3, runs)...)
	must(t, err)
	st, err := m.Status(ctx) // before the ledger exists
	must(t, err)
	if len(st) != 3 || st[0].State != StatePending {
		t.Fatalf("status before: %+v", st)
	}
	start := time.Now().UTC().Add(-time.Second)
	applied, err := m.Up(ctx)
	must(t, err)
	if !reflect.DeepEqual(applied, []string{"001_t1", "002_t2", "003_t3"}) {
		t.Fatalf("applied %v", applied)
	}
	applied, err = m.Up(ctx)
	must(t, err)
	if len(applied) != 0 {
		t.Fatalf("second Up applied %v", applied)
	}
	for i := range runs {
		if runs[i].Load() != 1 {
			t.Fatalf("migration %d ran %d times", i, runs[i].Load())
		}
		row, err := db.Get(ctx, fmt.Sprintf("SELECT v FROM t%d WHERE k = 1", i+1))
		must(t, err)
		if v, _ := cql.Col[string](row, "v"); v != "one" {
			t.Fatalf("t%d holds %q", i+1, v)
		}
	}
	recs, err := ReadCQLLedger(ctx, db, ks)
	must(t, err)
	if len(recs) != 3 {
		t.Fatalf("ledger: %+v", recs)
	}
	for i, r := range recs {
		mg := m.migrations[i]
		if r.ID != mg.ID || r.Description != mg.Description || r.Checksum != mg.Checksum() || r.Outcome != OutcomeApplied ||
			r.Runner != "r1" || r.At.Before(start) || r.At.After(time.Now().Add(time.Second)) || r.Error != "" || r.Duration < 0 {
			t.Errorf("record %d: %+v", i, r)
		}
	}
	st, err = m.Status(ctx)
	must(t, err)
	for _, s := range st {
		if s.State != StateApplied || s.Record == nil {
			t.Errorf("status: %+v", s)
		}
	}
	// The ledger is invisible to a declarative plan owning the keyspace.
	spec := &KeyspaceSpec{Name: ks, OwnsKeyspace: true}
	for i := range 3 {
		spec.Tables = append(spec.Tables, TableSpec{Name: fmt.Sprintf("t%d", i+1), PartitionKey: []string{"k"},
			Columns: []ColumnSpec{{Name: "k", Type: "int"}, {Name: "v", Type: "text"}}})
	}
	mustBeEmpty(t, db, spec)
	if _, err := ReadCQLLedger(ctx, db, "no_such_keyspace"); !errors.Is(err, ErrKeyspaceNotFound) {
		t.Errorf("missing keyspace: %v", err)
	}
}

func TestCQLMigratorFailureIsRetried(t *testing.T) {
	hosts, _ := cqlHosts(t)
	db, ks := cqlApp(t, hosts)
	ctx := testCtx(t)
	script := "CREATE TABLE b (k int PRIMARY KEY);\nINSERT INTO b (k, nope) VALUES (1, 2);"
	migs := []CQLMigration{
		{ID: "1", CQL: "CREATE TABLE a (k int PRIMARY KEY)"},
		{ID: "2", CQL: script},
		{ID: "3", CQL: "CREATE TABLE c (k int PRIMARY KEY)"},
	}
	m, err := NewCQLMigrator(db, MigratorConfig{Keyspace: ks}, migs...)
	must(t, err)
	applied, err := m.Up(ctx)
	var me *MigrationError
	if !errors.As(err, &me) || me.ID != "2" || !strings.Contains(err.Error(), "statement 2 (line 2)") || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("Up: %v", err)
	}
	if !reflect.DeepEqual(applied, []string{"1"}) {
		t.Fatalf("applied %v", applied)
	}
	st, err := m.Status(ctx)
	must(t, err)
	if got := ids(st); !reflect.DeepEqual(got, map[string]State{"1": StateApplied, "2": StateFailed, "3": StatePending}) {
		t.Fatalf("status %v", got)
	}
	if st[1].Record == nil || st[1].Record.Outcome != OutcomeFailed || !strings.Contains(st[1].Record.Error, "nope") {
		t.Fatalf("failure record: %+v", st[1].Record)
	}
	// Fixed (and idempotent, as a step must be to be retried).
	migs[1].CQL = "CREATE TABLE IF NOT EXISTS b (k int PRIMARY KEY);\nINSERT INTO b (k) VALUES (1);"
	m, err = NewCQLMigrator(db, MigratorConfig{Keyspace: ks}, migs...)
	must(t, err)
	applied, err = m.Up(ctx)
	must(t, err)
	if !reflect.DeepEqual(applied, []string{"2", "3"}) {
		t.Fatalf("retry applied %v", applied)
	}
}

func TestCQLMigratorChecksumTamper(t *testing.T) {
	hosts, _ := cqlHosts(t)
	db, ks := cqlApp(t, hosts)
	ctx := testCtx(t)
	runs := make([]atomic.Int32, 3)
	m, err := NewCQLMigrator(db, MigratorConfig{Keyspace: ks}, countedCQL(2, runs)...)
	must(t, err)
	_, err = m.Up(ctx)
	must(t, err)
	for name, edit := range map[string]func(m *CQLMigration){
		"script":      func(m *CQLMigration) { m.CQL += "\n-- edited" },
		"description": func(m *CQLMigration) { m.Description = "other" },
		"source":      func(m *CQLMigration) { m.Source = "v2" },
	} {
		t.Run(name, func(t *testing.T) {
			edited := countedCQL(3, runs)
			edit(&edited[1])
			m2, err := NewCQLMigrator(db, MigratorConfig{Keyspace: ks}, edited...)
			must(t, err)
			applied, err := m2.Up(ctx)
			var ce *ChecksumError
			if !errors.As(err, &ce) || !errors.Is(err, ErrChecksumMismatch) || ce.ID != "002_t2" || len(applied) != 0 {
				t.Fatalf("Up: %v (applied %v)", err, applied)
			}
			if runs[2].Load() != 0 {
				t.Fatal("a pending migration ran despite the tampered one")
			}
			st, err := m2.Status(ctx)
			must(t, err)
			if got := ids(st); got["002_t2"] != StateChanged || got["003_t3"] != StatePending {
				t.Fatalf("status %v", got)
			}
		})
	}
	m3, err := NewCQLMigrator(db, MigratorConfig{Keyspace: ks}, countedCQL(1, runs)...)
	must(t, err)
	st, err := m3.Status(ctx)
	must(t, err)
	if got := ids(st); !reflect.DeepEqual(got, map[string]State{"001_t1": StateApplied, "002_t2": StateUnknown}) {
		t.Fatalf("status %v", got)
	}
}

func TestCQLMigratorConcurrentRunners(t *testing.T) {
	hosts, _ := cqlHosts(t)
	_, ks := cqlApp(t, hosts)
	ctx := testCtx(t)
	runs := make([]atomic.Int32, 5)
	migs := countedCQL(5, runs)
	for i := range migs {
		up := migs[i].Up
		migs[i].Up = func(ctx context.Context, db *cql.Session) error {
			time.Sleep(5 * time.Millisecond) // widen the window for a second runner
			return up(ctx, db)
		}
	}
	checkRunnersApplyOnce(t, ctx, 4, func(r int) upper {
		db, err := cql.Open(ctx, cql.Config{Hosts: hosts, Keyspace: ks}) // its own session
		must(t, err)
		t.Cleanup(func() { _ = db.Close(context.Background()) })
		m, err := NewCQLMigrator(db, MigratorConfig{Keyspace: ks, Runner: fmt.Sprintf("runner%d", r), LockPoll: 5 * time.Millisecond}, migs...)
		must(t, err)
		return m
	}, runs)
}

// cqlClockServer is an embedded server whose clock tests can move forward
// (skipped against real hosts).
func cqlClockServer(t *testing.T) ([]string, *atomic.Int64) {
	t.Helper()
	var offset atomic.Int64
	hosts, srv := cqlHosts(t, cassatest.WithConfig(server.Config{Clock: func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }}))
	if srv == nil {
		t.Skipf("moves the server's clock: needs the embedded server (%s is set)", cassatest.EnvCQLHosts)
	}
	return hosts, &offset
}

func TestCQLMigratorStaleLockExpires(t *testing.T) {
	hosts, offset := cqlClockServer(t)
	db, ks := cqlApp(t, hosts)
	ctx := testCtx(t)
	runs := make([]atomic.Int32, 1)
	dead, err := NewCQLMigrator(db, MigratorConfig{Keyspace: ks, Runner: "dead", LockTTL: 5 * time.Second}, countedCQL(1, runs)...)
	must(t, err)
	must(t, dead.ensureLedger(ctx))
	ok, _, err := dead.casLock(ctx, nil, "dead", 5*time.Second) // taken, never renewed nor released
	must(t, err)
	if !ok {
		t.Fatal("could not take the lock")
	}
	live, err := NewCQLMigrator(db, MigratorConfig{Keyspace: ks, Runner: "live", LockPoll: 5 * time.Millisecond}, countedCQL(1, runs)...)
	must(t, err)
	short, cancel := context.WithTimeout(ctx, 2*time.Second)
	_, err = live.Up(short)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), `held by "dead"`) {
		t.Fatalf("Up while locked: %v", err)
	}
	offset.Store(int64(6 * time.Second)) // the dead runner's lock expires
	applied, err := live.Up(ctx)
	must(t, err)
	if len(applied) != 1 || runs[0].Load() != 1 {
		t.Fatalf("applied %v", applied)
	}
	// Released (deleted): the next runner takes it at once.
	ok, cur, err := dead.casLock(ctx, nil, "dead", 5*time.Second)
	must(t, err)
	if !ok {
		t.Fatalf("released lock not taken: held by %v", cur)
	}
	ok, cur, err = live.casLock(ctx, Ptr("live"), "live", 5*time.Second)
	must(t, err)
	if ok || cur == nil || *cur != "dead" {
		t.Fatalf("renewing another's lock: ok %v cur %v", ok, cur)
	}
}

func TestCQLMigratorLockLost(t *testing.T) {
	hosts, offset := cqlClockServer(t)
	db, ks := cqlApp(t, hosts)
	ctx := testCtx(t)
	var secondRan bool
	migs := []CQLMigration{
		{ID: "slow", Up: func(ctx context.Context, _ *cql.Session) error {
			offset.Store(int64(time.Hour)) // the lock expires under the runner
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(30 * time.Second):
				return errors.New("lock loss not noticed")
			}
		}},
		{ID: "next", Up: func(context.Context, *cql.Session) error { secondRan = true; return nil }},
	}
	m, err := NewCQLMigrator(db, MigratorConfig{Keyspace: ks, LockTTL: 2 * time.Second}, migs...)
	must(t, err)
	_, err = m.Up(ctx)
	var me *MigrationError
	if !errors.Is(err, ErrLockLost) || !errors.As(err, &me) || me.ID != "slow" || secondRan {
		t.Fatalf("Up: %v", err)
	}
	recs, err := ReadCQLLedger(ctx, db, ks)
	must(t, err)
	if len(recs) != 1 || recs[0].Outcome != OutcomeFailed || !strings.Contains(recs[0].Error, "lock lost") {
		t.Fatalf("ledger: %+v", recs)
	}
}

func TestCQLMigratorRenewsLongSteps(t *testing.T) {
	hosts, _ := cqlHosts(t)
	dbA, ks := cqlApp(t, hosts)
	dbB, err := cql.Open(testCtx(t), cql.Config{Hosts: hosts, Keyspace: ks})
	must(t, err)
	t.Cleanup(func() { _ = dbB.Close(context.Background()) })
	ctx := testCtx(t)
	var runs atomic.Int32
	started := make(chan struct{})
	migs := []CQLMigration{{ID: "long", Up: func(ctx context.Context, _ *cql.Session) error {
		if runs.Add(1) == 1 {
			close(started)
		}
		time.Sleep(3500 * time.Millisecond) // well past the 2 s TTL
		return nil
	}}}
	a, err := NewCQLMigrator(dbA, MigratorConfig{Keyspace: ks, Runner: "a", LockTTL: 2 * time.Second}, migs...)
	must(t, err)
	b, err := NewCQLMigrator(dbB, MigratorConfig{Keyspace: ks, Runner: "b", LockPoll: 20 * time.Millisecond}, migs...)
	must(t, err)
	errA := make(chan error, 1)
	go func() { _, err := a.Up(ctx); errA <- err }()
	<-started
	applied, err := b.Up(ctx)
	must(t, err)
	must(t, <-errA)
	if len(applied) != 0 || runs.Load() != 1 {
		t.Fatalf("b applied %v; step ran %d times", applied, runs.Load())
	}
}

func TestNewCQLMigratorValidation(t *testing.T) {
	hosts, _ := cqlHosts(t)
	db := openCQL(t, hosts)
	up := func(context.Context, *cql.Session) error { return nil }
	for _, tt := range []struct {
		name string
		cfg  MigratorConfig
		migs []CQLMigration
		want string
	}{
		{"no keyspace", MigratorConfig{}, nil, "Keyspace is required"},
		{"no id", MigratorConfig{Keyspace: "K"}, []CQLMigration{{Up: up}}, "no ID"},
		{"duplicate", MigratorConfig{Keyspace: "K"}, []CQLMigration{{ID: "a", Up: up}, {ID: "a", Up: up}}, "duplicate"},
		{"nothing", MigratorConfig{Keyspace: "K"}, []CQLMigration{{ID: "a", CQL: " "}}, "no CQL and no Up"},
		{"bad script", MigratorConfig{Keyspace: "K"}, []CQLMigration{{ID: "a", CQL: "SELECT 'x"}}, "CQL script a, line 1"},
	} {
		if _, err := NewCQLMigrator(db, tt.cfg, tt.migs...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if _, err := NewCQLMigrator(nil, MigratorConfig{Keyspace: "K"}); err == nil {
		t.Error("nil session accepted")
	}
}
