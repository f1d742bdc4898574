package migrate

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
)

// counted returns migrations that each create a column family and count
// their runs.
func counted(n int, runs []atomic.Int32) []Migration {
	out := make([]Migration, n)
	for i := range out {
		i := i
		out[i] = Migration{
			ID:          fmt.Sprintf("%03d_cf%d", i+1, i+1),
			Description: fmt.Sprintf("create cf%d", i+1),
			Source:      "v1",
			Up: func(ctx context.Context, sys *SystemManager) error {
				runs[i].Add(1)
				return sys.CreateColumnFamily(ctx, "App", fmt.Sprintf("cf%d", i+1), ColumnFamilyDef{})
			},
		}
	}
	return out
}

func ids(st []MigrationStatus) map[string]State {
	out := map[string]State{}
	for _, s := range st {
		out[s.ID] = s.State
	}
	return out
}

func TestMigratorUpAndStatus(t *testing.T) {
	ctx, sys := setup(t, "App")
	runs := make([]atomic.Int32, 3)
	m, err := NewMigrator(sys, MigratorConfig{Keyspace: "App", Runner: "r1"}, counted(3, runs)...)
	must(t, err)

	st, err := m.Status(ctx) // before the ledger exists
	must(t, err)
	if len(st) != 3 || st[0].State != StatePending {
		t.Fatalf("status before: %+v", st)
	}
	applied, err := m.Up(ctx)
	must(t, err)
	if !reflect.DeepEqual(applied, []string{"001_cf1", "002_cf2", "003_cf3"}) {
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
	}
	recs, err := ReadLedger(ctx, sys, "App")
	must(t, err)
	if len(recs) != 3 {
		t.Fatalf("ledger: %+v", recs)
	}
	for i, r := range recs {
		mg := m.migrations[i]
		if r.ID != mg.ID || r.Description != mg.Description || r.Checksum != mg.Checksum() || r.Outcome != OutcomeApplied ||
			r.Runner != "r1" || r.At.IsZero() || r.Error != "" {
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
	p, err := PlanSchema(ctx, sys, &KeyspaceSpec{Name: "App", OwnsKeyspace: true, Tables: []TableSpec{{Name: "cf1"}, {Name: "cf2"}, {Name: "cf3"}}})
	must(t, err)
	if !p.Empty() {
		t.Fatalf("plan:\n%s", p)
	}
}

func TestMigratorFailureIsRetried(t *testing.T) {
	ctx, sys := setup(t, "App")
	fail := true
	var secondRuns, thirdRuns int
	migs := []Migration{
		{ID: "1", Up: func(ctx context.Context, sys *SystemManager) error {
			return sys.CreateColumnFamily(ctx, "App", "a", ColumnFamilyDef{})
		}},
		{ID: "2", Up: func(ctx context.Context, sys *SystemManager) error {
			secondRuns++
			if fail {
				return sys.CreateColumnFamily(ctx, "App", "bad name!", ColumnFamilyDef{}) // the server refuses it
			}
			return nil
		}},
		{ID: "3", Up: func(ctx context.Context, sys *SystemManager) error { thirdRuns++; return nil }},
	}
	m, err := NewMigrator(sys, MigratorConfig{Keyspace: "App"}, migs...)
	must(t, err)
	applied, err := m.Up(ctx)
	var me *MigrationError
	if !errors.As(err, &me) || me.ID != "2" || !strings.Contains(err.Error(), "ColumnFamily name must not be empty") {
		t.Fatalf("Up: %v", err)
	}
	if !reflect.DeepEqual(applied, []string{"1"}) || thirdRuns != 0 {
		t.Fatalf("applied %v, third ran %d", applied, thirdRuns)
	}
	st, err := m.Status(ctx)
	must(t, err)
	if got := ids(st); !reflect.DeepEqual(got, map[string]State{"1": StateApplied, "2": StateFailed, "3": StatePending}) {
		t.Fatalf("status %v", got)
	}
	if st[1].Record == nil || st[1].Record.Outcome != OutcomeFailed || !strings.Contains(st[1].Record.Error, "ColumnFamily name") {
		t.Fatalf("failure record: %+v", st[1].Record)
	}
	fail = false
	applied, err = m.Up(ctx)
	must(t, err)
	if !reflect.DeepEqual(applied, []string{"2", "3"}) || secondRuns != 2 {
		t.Fatalf("retry applied %v, second ran %d", applied, secondRuns)
	}
	st, err = m.Status(ctx)
	must(t, err)
	if st[1].State != StateApplied || st[1].Record.Error != "" {
		t.Fatalf("after retry: %+v", st[1])
	}
}

func TestMigratorChecksumTamper(t *testing.T) {
	ctx, sys := setup(t, "App")
	runs := make([]atomic.Int32, 3)
	migs := counted(2, runs)
	m, err := NewMigrator(sys, MigratorConfig{Keyspace: "App"}, migs...)
	must(t, err)
	_, err = m.Up(ctx)
	must(t, err)

	tests := []struct {
		name string
		edit func(m *Migration)
	}{
		{"description", func(m *Migration) { m.Description = "create cf2 differently" }},
		{"source", func(m *Migration) { m.Source = "v2" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edited := counted(3, runs)
			tt.edit(&edited[1])
			m2, err := NewMigrator(sys, MigratorConfig{Keyspace: "App"}, edited...)
			must(t, err)
			applied, err := m2.Up(ctx)
			var ce *ChecksumError
			if !errors.As(err, &ce) || !errors.Is(err, ErrChecksumMismatch) || ce.ID != "002_cf2" || len(applied) != 0 {
				t.Fatalf("Up: %v (applied %v)", err, applied)
			}
			if !strings.Contains(err.Error(), `"002_cf2"`) {
				t.Errorf("message: %v", err)
			}
			if runs[2].Load() != 0 {
				t.Fatal("a pending migration ran despite the tampered one")
			}
			st, err := m2.Status(ctx)
			must(t, err)
			if got := ids(st); got["002_cf2"] != StateChanged || got["003_cf3"] != StatePending {
				t.Fatalf("status %v", got)
			}
		})
	}
	// A migrator that no longer lists an applied migration reports it.
	m3, err := NewMigrator(sys, MigratorConfig{Keyspace: "App"}, migs[0])
	must(t, err)
	st, err := m3.Status(ctx)
	must(t, err)
	if got := ids(st); !reflect.DeepEqual(got, map[string]State{"001_cf1": StateApplied, "002_cf2": StateUnknown}) {
		t.Fatalf("status %v", got)
	}
}

func TestMigratorConcurrentRunners(t *testing.T) {
	ctx := testCtx(t)
	srv := cassatest.Start(t).Embedded()
	sys := newSys(t, srv)
	must(t, sys.CreateKeyspace(ctx, "App", Simple(1)))
	runs := make([]atomic.Int32, 5)
	migs := counted(5, runs)
	for i := range migs {
		up := migs[i].Up
		migs[i].Up = func(ctx context.Context, sys *SystemManager) error {
			time.Sleep(5 * time.Millisecond) // widen the window for a second runner
			return up(ctx, sys)
		}
	}
	checkRunnersApplyOnce(t, ctx, 4, func(r int) upper {
		rsys := newSys(t, srv) // its own pool
		m, err := NewMigrator(rsys, MigratorConfig{Keyspace: "App", Runner: fmt.Sprintf("runner%d", r), LockPoll: 5 * time.Millisecond}, migs...)
		must(t, err)
		return m
	}, runs)
}

// upper is a migrator of either protocol, as the concurrency tests run it.
type upper interface {
	Up(ctx context.Context) ([]string, error)
}

// checkRunnersApplyOnce starts runners migrators at once (newRunner makes
// runner r, on a connection of its own) and checks that together they
// applied every migration exactly once: runs counts the runs of each.
func checkRunnersApplyOnce(t *testing.T, ctx context.Context, runners int, newRunner func(r int) upper, runs []atomic.Int32) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, runners)
	appliedBy := make([][]string, runners)
	start := make(chan struct{})
	for r := range runners {
		m := newRunner(r)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			appliedBy[r], errs[r] = m.Up(ctx)
		}()
	}
	close(start)
	wg.Wait()
	total := 0
	for r := range errs {
		if errs[r] != nil {
			t.Errorf("runner %d: %v", r, errs[r])
		}
		total += len(appliedBy[r])
	}
	if total != len(runs) {
		t.Errorf("applied %d times in all: %v", total, appliedBy)
	}
	for i := range runs {
		if n := runs[i].Load(); n != 1 {
			t.Errorf("migration %d ran %d times", i, n)
		}
	}
}

// clockServer is a server whose clock tests can move forward.
func clockServer(t *testing.T) (*server.Server, *atomic.Int64) {
	var offset atomic.Int64
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{Clock: func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }})).Embedded()
	return srv, &offset
}

func TestMigratorStaleLockExpires(t *testing.T) {
	ctx := testCtx(t)
	srv, offset := clockServer(t)
	sys := newSys(t, srv)
	must(t, sys.CreateKeyspace(ctx, "App", Simple(1)))
	runs := make([]atomic.Int32, 1)
	dead, err := NewMigrator(sys, MigratorConfig{Keyspace: "App", Runner: "dead", LockTTL: 5 * time.Second}, counted(1, runs)...)
	must(t, err)
	must(t, dead.ensureLedger(ctx))
	ok, _, err := dead.casLock(ctx, nil, "dead", 5*time.Second) // taken, never renewed nor released
	must(t, err)
	if !ok {
		t.Fatal("could not take the lock")
	}

	live, err := NewMigrator(sys, MigratorConfig{Keyspace: "App", Runner: "live", LockPoll: 5 * time.Millisecond}, counted(1, runs)...)
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
	// Released: the next runner takes it over at once.
	ok, cur, err := dead.casLock(ctx, nil, "dead", 5*time.Second)
	must(t, err)
	if ok || cur == nil || *cur != "" {
		t.Fatalf("after release: ok %v cur %v", ok, cur)
	}
	ok, _, err = dead.casLock(ctx, Ptr(""), "dead", 5*time.Second)
	must(t, err)
	if !ok {
		t.Fatal("released lock not taken over")
	}
}

func TestMigratorLockLost(t *testing.T) {
	ctx := testCtx(t)
	srv, offset := clockServer(t)
	sys := newSys(t, srv)
	must(t, sys.CreateKeyspace(ctx, "App", Simple(1)))
	var secondRan bool
	migs := []Migration{
		{ID: "slow", Up: func(ctx context.Context, sys *SystemManager) error {
			offset.Store(int64(time.Hour)) // the lock expires under the runner
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(30 * time.Second):
				return errors.New("lock loss not noticed")
			}
		}},
		{ID: "next", Up: func(context.Context, *SystemManager) error { secondRan = true; return nil }},
	}
	m, err := NewMigrator(sys, MigratorConfig{Keyspace: "App", LockTTL: 2 * time.Second}, migs...)
	must(t, err)
	_, err = m.Up(ctx)
	var me *MigrationError
	if !errors.Is(err, ErrLockLost) || !errors.As(err, &me) || me.ID != "slow" || secondRan {
		t.Fatalf("Up: %v", err)
	}
}

func TestMigratorRenewsLongSteps(t *testing.T) {
	ctx := testCtx(t)
	srv := cassatest.Start(t).Embedded()
	sys := newSys(t, srv)
	must(t, sys.CreateKeyspace(ctx, "App", Simple(1)))
	var runs atomic.Int32
	started := make(chan struct{})
	migs := []Migration{{ID: "long", Up: func(ctx context.Context, sys *SystemManager) error {
		if runs.Add(1) == 1 {
			close(started)
		}
		time.Sleep(3500 * time.Millisecond) // well past the 2 s TTL
		return nil
	}}}
	a, err := NewMigrator(sys, MigratorConfig{Keyspace: "App", Runner: "a", LockTTL: 2 * time.Second}, migs...)
	must(t, err)
	b, err := NewMigrator(newSys(t, srv), MigratorConfig{Keyspace: "App", Runner: "b", LockPoll: 20 * time.Millisecond}, migs...)
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

func TestMigratorPanicReleasesLock(t *testing.T) {
	ctx, sys := setup(t, "App")
	boom := true
	migs := []Migration{{ID: "p", Up: func(context.Context, *SystemManager) error {
		if boom {
			panic("boom")
		}
		return nil
	}}}
	m, err := NewMigrator(sys, MigratorConfig{Keyspace: "App", LockTTL: time.Hour}, migs...)
	must(t, err)
	if _, err := m.Up(ctx); err == nil || !strings.Contains(err.Error(), "panic: boom") {
		t.Fatalf("Up: %v", err)
	}
	boom = false
	short, cancel := context.WithTimeout(ctx, 5*time.Second) // far below the hour-long TTL
	defer cancel()
	applied, err := m.Up(short)
	must(t, err)
	if len(applied) != 1 {
		t.Fatalf("applied %v", applied)
	}
}

func TestNewMigratorValidation(t *testing.T) {
	_, sys := setup(t, "")
	up := func(context.Context, *SystemManager) error { return nil }
	tests := []struct {
		name string
		cfg  MigratorConfig
		migs []Migration
		want string
	}{
		{"no keyspace", MigratorConfig{}, nil, "Keyspace is required"},
		{"no id", MigratorConfig{Keyspace: "K"}, []Migration{{Up: up}}, "no ID"},
		{"duplicate", MigratorConfig{Keyspace: "K"}, []Migration{{ID: "a", Up: up}, {ID: "a", Up: up}}, "duplicate"},
		{"no up", MigratorConfig{Keyspace: "K"}, []Migration{{ID: "a"}}, "no Up"},
	}
	for _, tt := range tests {
		if _, err := NewMigrator(sys, tt.cfg, tt.migs...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	// Checksums depend on each field and are stable.
	a := Migration{ID: "1", Description: "d", Source: "s"}
	if a.Checksum() != (&Migration{ID: "1", Description: "d", Source: "s"}).Checksum() ||
		a.Checksum() == (&Migration{ID: "1", Description: "ds"}).Checksum() || len(a.Checksum()) != 64 {
		t.Error("checksum")
	}
}
