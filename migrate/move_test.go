package migrate

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/pool"
)

// moveUser is a static column family over Thrift, and a table with
// columns over CQL.
type moveUser struct {
	ID   string `cass:",key"`
	Name string `cass:"name,type=UTF8"`
	Age  int64  `cass:"age,type=Long"`
}

func (moveUser) CFName() string { return "Users" }

// moveEnv is a server with a keyspace, a Thrift pool and a CQL session on
// it.
type moveEnv struct {
	ctx context.Context
	srv *cassatest.Server
	ks  string
	p   *pool.Pool
	db  *cql.Session
	sys *SystemManager
}

func newMoveEnv(t testing.TB, opts ...cassatest.Option) *moveEnv {
	t.Helper()
	srv := cassatest.Start(t, append([]cassatest.Option{cassatest.WithKeyspace()}, opts...)...)
	ctx := testCtx(t)
	e := &moveEnv{ctx: ctx, srv: srv, ks: srv.Keyspace()}
	var err error
	e.p, err = pool.Open(ctx, pool.Config{Servers: []string{srv.Addr()}, Keyspace: e.ks, PoolSize: 4})
	must(t, err)
	t.Cleanup(func() { _ = e.p.Close(context.Background()) })
	e.db, err = cql.Open(ctx, cql.Config{Hosts: []string{srv.CQLAddr()}, Keyspace: e.ks})
	must(t, err)
	t.Cleanup(func() { _ = e.db.Close(context.Background()) })
	e.sys = NewSystemManager(e.p, AgreementPoll(10*time.Millisecond))
	return e
}

// thriftModel creates the column family of a model over Thrift.
func (e *moveEnv) thriftModel(t testing.TB, m orm.ModelDef) {
	t.Helper()
	p, err := PlanModels(e.ctx, e.sys, e.ks, m)
	must(t, err)
	must(t, p.Apply(e.ctx))
}

// cqlModel creates the table of a model over CQL, named table.
func (e *moveEnv) cqlModel(t testing.TB, m orm.ModelDef, table string) {
	t.Helper()
	m.Table.Name = table
	p, err := PlanCQLModels(e.ctx, e.db, e.ks, m)
	must(t, err)
	must(t, p.Apply(e.ctx))
}

// fillUsers writes n users over Thrift through the mapper.
func fillUsers(t testing.TB, e *moveEnv, n int) {
	t.Helper()
	users := orm.Map[moveUser, string](e.p, "Users")
	const batch = 500
	for i := 0; i < n; i += batch {
		var vs []*moveUser
		for j := i; j < min(n, i+batch); j++ {
			vs = append(vs, &moveUser{ID: fmt.Sprintf("user%06d", j), Name: fmt.Sprintf("name %d", j), Age: int64(j % 90)})
		}
		must(t, users.BatchInsert(e.ctx, vs))
	}
}

// scanAll reads every instance of a mapper, keyed.
func scanAll[T, MK any, K comparable](t testing.TB, ctx context.Context, m *orm.Mapper[T, MK], key func(T) K) map[K]T {
	t.Helper()
	out := map[K]T{}
	for v, err := range m.Find(ctx, query.Select{}) {
		must(t, err)
		k := key(v)
		if _, dup := out[k]; dup {
			t.Fatalf("%v read twice", k)
		}
		out[k] = v
	}
	return out
}

// sameOverBoth reads the users through the Thrift column family and the
// CQL table and compares them.
func sameUsersOverBoth(t testing.TB, e *moveEnv, table string, want int) {
	t.Helper()
	from := scanAll(t, e.ctx, orm.Map[moveUser, string](e.p, "Users"), func(u moveUser) string { return u.ID })
	to := scanAll(t, e.ctx, orm.Map[moveUser, string](e.db, table), func(u moveUser) string { return u.ID })
	if len(from) != want || len(to) != want {
		t.Fatalf("Thrift has %d users, CQL %d, want %d", len(from), len(to), want)
	}
	if !maps.Equal(from, to) {
		for k, v := range from {
			if to[k] != v {
				t.Fatalf("user %s: Thrift %+v, CQL %+v", k, v, to[k])
			}
		}
	}
}

func TestMoveStatic(t *testing.T) {
	e := newMoveEnv(t)
	e.thriftModel(t, orm.Model[moveUser]())
	e.cqlModel(t, orm.Model[moveUser](), "users")
	fillUsers(t, e, 1000)
	var last MoveProgress
	calls := 0
	res, err := MoveThriftToCQL(e.ctx, e.p, e.db, MoveSpec{ColumnFamily: "Users", Table: "users"},
		MoveRanges(16), OnProgress(func(p MoveProgress) { last, calls = p, calls+1 }))
	must(t, err)
	if res.Rows != 1000 || res.Copied != 1000 || res.Cells != 2000 || res.Ranges != 16 || res.Resumed != 0 || res.Skipped != 0 {
		t.Fatalf("result %+v", res)
	}
	if calls < 16 || last.Rows != 1000 || last.RangesDone != 16 || last.Ranges != 16 {
		t.Fatalf("%d progress calls, last %+v", calls, last)
	}
	sameUsersOverBoth(t, e, "users", 1000)

	// Again: every range is recorded, nothing is copied, the counts hold.
	res, err = MoveThriftToCQL(e.ctx, e.p, e.db, MoveSpec{ColumnFamily: "Users", Table: "users"}, MoveRanges(16))
	must(t, err)
	if res.Rows != 1000 || res.Copied != 0 || res.Resumed != 16 {
		t.Fatalf("second run %+v", res)
	}
	// Restarted: everything copied again, to the same cells.
	res, err = MoveThriftToCQL(e.ctx, e.p, e.db, MoveSpec{ColumnFamily: "Users", Table: "users"}, MoveRanges(16), RestartMove())
	must(t, err)
	if res.Rows != 1000 || res.Copied != 1000 {
		t.Fatalf("restarted %+v", res)
	}
	sameUsersOverBoth(t, e, "users", 1000)
}

// The copy keeps each cell's timestamp, so a write made to the table
// after the move is not undone by copying again, and the TTL left.
func TestMoveTimestampsAndTTL(t *testing.T) {
	e := newMoveEnv(t)
	e.thriftModel(t, orm.Model[moveUser]())
	e.cqlModel(t, orm.Model[moveUser](), "users")
	users := orm.Map[moveUser, string](e.p, "Users")
	must(t, users.Insert(e.ctx, &moveUser{ID: "a", Name: "old", Age: 1}, orm.Timestamp(1_700_000_000_000_000)))
	must(t, users.Insert(e.ctx, &moveUser{ID: "b", Name: "brief", Age: 2}, orm.TTL(time.Hour)))
	_, err := MoveThriftToCQL(e.ctx, e.p, e.db, MoveSpec{ColumnFamily: "Users", Table: "users"})
	must(t, err)
	row, err := e.db.Get(e.ctx, "SELECT WRITETIME(name), TTL(name) FROM users WHERE key = 'a'")
	must(t, err)
	var wt int64
	var ttl *int32
	must(t, row.Scan(&wt, &ttl))
	if wt != 1_700_000_000_000_000 || ttl != nil {
		t.Fatalf("a: writetime %d ttl %v", wt, ttl)
	}
	row, err = e.db.Get(e.ctx, "SELECT TTL(name) FROM users WHERE key = 'b'")
	must(t, err)
	var left int32
	must(t, row.Scan(&left))
	if left <= 3500 || left > 3600 {
		t.Fatalf("b: TTL %d, want about an hour", left)
	}
	must(t, e.db.Exec(e.ctx, "UPDATE users SET name = 'new' WHERE key = 'a'"))
	_, err = MoveThriftToCQL(e.ctx, e.p, e.db, MoveSpec{ColumnFamily: "Users", Table: "users"}, RestartMove())
	must(t, err)
	got, err := orm.Map[moveUser, string](e.db, "users").Get(e.ctx, "a")
	must(t, err)
	if got.Name != "new" {
		t.Fatalf("copying again undid a later write: %+v", got)
	}
}

// A row deleted from the table after the move is a count mismatch on the
// next run, naming the range.
func TestMoveCountMismatch(t *testing.T) {
	e := newMoveEnv(t)
	e.thriftModel(t, orm.Model[moveUser]())
	e.cqlModel(t, orm.Model[moveUser](), "users")
	fillUsers(t, e, 100)
	_, err := MoveThriftToCQL(e.ctx, e.p, e.db, MoveSpec{ColumnFamily: "Users", Table: "users"}, MoveRanges(8))
	must(t, err)
	must(t, e.db.Exec(e.ctx, "DELETE FROM users WHERE key = 'user000042'"))
	_, err = MoveThriftToCQL(e.ctx, e.p, e.db, MoveSpec{ColumnFamily: "Users", Table: "users"}, MoveRanges(8))
	var ce *CountMismatchError
	if !errors.Is(err, ErrCountMismatch) || !errors.As(err, &ce) {
		t.Fatalf("got %v, want a *CountMismatchError", err)
	}
	if ce.Source != 100 || ce.Target != 99 || len(ce.Ranges) != 1 || ce.Ranges[0].Source-ce.Ranges[0].Target != 1 {
		t.Fatalf("%+v", ce)
	}
}

// Cancelling a move part-way leaves the finished ranges recorded; the next
// run copies the others, and the table holds every row once.
func TestMoveResume(t *testing.T) {
	e := newMoveEnv(t)
	e.thriftModel(t, orm.Model[moveUser]())
	e.cqlModel(t, orm.Model[moveUser](), "users")
	const n = 3000
	fillUsers(t, e, n)
	ctx, cancel := context.WithCancel(e.ctx)
	res, err := MoveThriftToCQL(ctx, e.p, e.db, MoveSpec{ColumnFamily: "Users", Table: "users"}, MoveRanges(32), MoveWorkers(2),
		OnProgress(func(p MoveProgress) {
			if p.RangesDone >= 10 {
				cancel()
			}
		}))
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted move: %v (%+v)", err, res)
	}
	first := res.Copied
	if first == 0 || first >= n {
		t.Fatalf("first run copied %d of %d", first, n)
	}
	res, err = MoveThriftToCQL(e.ctx, e.p, e.db, MoveSpec{ColumnFamily: "Users", Table: "users"}, MoveRanges(32), MoveWorkers(2))
	must(t, err)
	if res.Resumed < 10 || res.Rows != n || res.Copied >= n {
		t.Fatalf("resumed run %+v (first copied %d)", res, first)
	}
	sameUsersOverBoth(t, e, "users", n)
}

func TestMoveRefusals(t *testing.T) {
	e := newMoveEnv(t)
	e.thriftModel(t, orm.Model[moveUser]())
	e.cqlModel(t, orm.Model[moveUser](), "users")
	execAll(t, e.db, "CREATE TABLE wide (key text, c int, v text, PRIMARY KEY (key, c))",
		"CREATE TABLE ints (key int PRIMARY KEY, name text)")
	for _, tc := range []struct {
		spec MoveSpec
		want any
	}{
		{MoveSpec{ColumnFamily: "Users", Table: "Users"}, new(*SpecError)},
		{MoveSpec{ColumnFamily: "Users", Table: "wide"}, new(*MoveMapError)},
		{MoveSpec{ColumnFamily: "Users", Table: "ints"}, new(*MoveMapError)},
		{MoveSpec{ColumnFamily: "Nope", Table: "users"}, nil},
		{MoveSpec{ColumnFamily: "Users", Table: "nope"}, nil},
	} {
		_, err := MoveThriftToCQL(e.ctx, e.p, e.db, tc.spec)
		if err == nil {
			t.Errorf("%+v: no error", tc.spec)
			continue
		}
		if tc.want != nil && !errors.As(err, tc.want) {
			t.Errorf("%+v: %v, want %T", tc.spec, err, tc.want)
		}
		t.Logf("%+v: %v", tc.spec, err)
	}
	if _, err := MoveThriftToCQL(e.ctx, nil, e.db, MoveSpec{}); err == nil {
		t.Error("nil pool: no error")
	}
}

// Under the other partitioners: RandomPartitioner's ring splits as
// Murmur3's does; the ordered ones are one range, read and counted whole.
func TestMovePartitioners(t *testing.T) {
	for _, name := range []string{"RandomPartitioner", "ByteOrderedPartitioner", "OrderPreservingPartitioner"} {
		t.Run(name, func(t *testing.T) {
			e := newMoveEnv(t, cassatest.WithPartitioner(name))
			e.thriftModel(t, orm.Model[moveUser]())
			e.cqlModel(t, orm.Model[moveUser](), "users")
			fillUsers(t, e, 300)
			res, err := MoveThriftToCQL(e.ctx, e.p, e.db, MoveSpec{ColumnFamily: "Users", Table: "users"}, MoveRanges(8))
			must(t, err)
			want := 8
			if name != "RandomPartitioner" {
				want = 1
			}
			if res.Rows != 300 || res.Ranges != want {
				t.Fatalf("result %+v", res)
			}
			sameUsersOverBoth(t, e, "users", 300)
		})
	}
}
