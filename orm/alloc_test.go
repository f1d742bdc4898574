package orm

import (
	"context"
	"testing"

	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/pool"
)

// cannedTx is a transport that answers get with a fixed row and accepts
// writes, allocating nothing itself: what a call allocates beyond it is
// the mapper's.
type cannedTx struct {
	transport
	row []cell
}

func (c *cannedTx) get(_ context.Context, _ rowKey, _ query.Select, _ readSpec, buf []cell) ([]cell, error) {
	return append(buf, c.row...), nil
}

func (c *cannedTx) write(context.Context, rowWrite, writeSpec) error { return nil }

// The mapper allocates nothing beyond the row's own values: a Get of a
// Bench10 allocates its two strings and the packed key (its []byte field
// keeps the bytes read; its key field is set from the key given), an
// Insert the buffer of packed values and the packed key.
func TestMapperAllocations(t *testing.T) {
	m := Map[Bench10, string](noPool, "Bench")
	m.tx = &cannedTx{row: benchColumns(t)}
	m.live.Store(&tableInfo{})
	ctx := context.Background()
	if got := testing.AllocsPerRun(100, func() {
		if _, err := m.Get(ctx, "k"); err != nil {
			t.Fatal(err)
		}
	}); got != 3 {
		t.Errorf("Get: %v allocations, want 3 (Name, Email, the packed key)", got)
	}
	v := bench10()
	if got := testing.AllocsPerRun(100, func() {
		if err := m.Insert(ctx, &v); err != nil {
			t.Fatal(err)
		}
	}); got != 2 {
		t.Errorf("Insert: %v allocations, want 2 (the packed values, the packed key)", got)
	}
}

// BenchmarkMapperOwnCost is a Get and an Insert of a Bench10 through a
// transport that does nothing: the mapper's own cost per call, which the
// TCP benchmarks compare with a network round trip.
func BenchmarkMapperOwnCost(b *testing.B) {
	m := Map[Bench10, string](noPool, "Bench")
	m.tx = &cannedTx{row: benchColumns(b)}
	m.live.Store(&tableInfo{})
	ctx := context.Background()
	b.Run("Get", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := m.Get(ctx, "k"); err != nil {
				b.Fatal(err)
			}
		}
	})
	v := bench10()
	b.Run("Insert", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := m.Insert(ctx, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// noPool is a Thrift pool that is not there, for mappers that never reach
// one.
var noPool *pool.Pool
