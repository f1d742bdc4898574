package migrate

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cassa-go/cassa/orm"
)

// largeMoveRows is how many rows TestMoveLarge moves: 10^5, or 10^4 under
// the race detector, which slows every part down several times over.
func largeMoveRows() int {
	if raceEnabled {
		return 10_000
	}
	return 100_000
}

// A column family of 10^5 rows moved into a table and read back equal
// through both protocols.
func TestMoveLarge(t *testing.T) {
	n := largeMoveRows()
	e := newMoveEnv(t)
	// More time than testCtx's minute on a busy machine.
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	e.ctx = ctx
	e.thriftModel(t, orm.Model[moveUser]())
	e.cqlModel(t, orm.Model[moveUser](), "users")
	start := time.Now()
	fillUsers(t, e, n)
	filled := time.Since(start)
	res, err := MoveThriftToCQL(e.ctx, e.p, e.db, MoveSpec{ColumnFamily: "Users", Table: "users"})
	must(t, err)
	if res.Rows != int64(n) || res.Copied != int64(n) {
		t.Fatalf("result %+v, want %d rows", res, n)
	}
	t.Logf("filled %d rows over Thrift in %v; moved in %v (%.0f rows/s)", n, filled, res.Elapsed, float64(n)/res.Elapsed.Seconds())
	sameUsersOverBoth(t, e, "users", n)
}

// BenchmarkMove copies a column family of 10^4 users (two columns each)
// into a table, from scratch each time, verification included; rows/s is
// the move's throughput on the embedded server.
func BenchmarkMove(b *testing.B) {
	const n = 10_000
	e := newMoveEnv(b)
	e.thriftModel(b, orm.Model[moveUser]())
	e.cqlModel(b, orm.Model[moveUser](), "users")
	fillUsers(b, e, n)
	b.ResetTimer()
	var rows int64
	for b.Loop() {
		res, err := MoveThriftToCQL(e.ctx, e.p, e.db, MoveSpec{ColumnFamily: "Users", Table: "users"}, RestartMove())
		if err != nil {
			b.Fatal(err)
		}
		rows += res.Copied
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// moveEvent is a wide row over Thrift (a CompositeType(Int32Type,
// UTF8Type) comparator), a table with a clustering column over CQL.
type moveEvent struct {
	Source string `cass:"source,partition"`
	Seq    int32  `cass:"seq,clustering"`
	Body   string `cass:"body"`
}

func (moveEvent) CFName() string { return "Events" }

// fillEvents writes parts partitions of rows events each over Thrift.
func fillEvents(t testing.TB, e *moveEnv, parts, rows int) {
	t.Helper()
	events := orm.Map[moveEvent, moveEvent](e.p, "Events")
	for p := 0; p < parts; p++ {
		vs := make([]*moveEvent, rows)
		for i := range vs {
			vs[i] = &moveEvent{Source: fmt.Sprintf("source%04d", p), Seq: int32(i), Body: fmt.Sprintf("event %d of %d", i, p)}
		}
		must(t, events.BatchInsert(e.ctx, vs))
	}
}

// BenchmarkMoveWide copies 100 partitions of 100 rows each (10^4 CQL
// rows), from scratch each time, verification included.
func BenchmarkMoveWide(b *testing.B) {
	e := newMoveEnv(b)
	e.thriftModel(b, orm.Model[moveEvent]())
	e.cqlModel(b, orm.Model[moveEvent](), "events")
	fillEvents(b, e, 100, 100)
	b.ResetTimer()
	var rows int64
	for b.Loop() {
		res, err := MoveThriftToCQL(e.ctx, e.p, e.db, MoveSpec{ColumnFamily: "Events", Table: "events"}, RestartMove())
		if err != nil {
			b.Fatal(err)
		}
		rows += res.Copied
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
