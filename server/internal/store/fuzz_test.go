package store

import (
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/thriftgen"
)

// opReader turns fuzz bytes into operations and queries.
type opReader struct{ b []byte }

func (r *opReader) byte() byte {
	if len(r.b) == 0 {
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// name returns a short name; 0 gives an empty name, which validation would
// refuse but the store must survive.
func (r *opReader) name() []byte {
	switch n := r.byte() % 6; n {
	case 0:
		return nil
	case 5:
		return []byte{r.byte(), r.byte()}
	default:
		return []byte{'a' + n}
	}
}

// FuzzOps applies arbitrary operation streams to a standard and a super CF,
// runs every read shape with arbitrary arguments, and checks the standard
// row against the model. Nothing may panic.
func FuzzOps(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte("\x00\x01\x05\x02\x03\x02\x01\x04\x06\x07\x03\x00\x02"))
	f.Add([]byte(strings.Repeat("\x05\x11\x22\x07", 20)))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 512 {
			return
		}
		r := &opReader{b: data}
		std := newEnv(t, partitioner.Murmur3Partitioner{})
		sup := &env{t: t, st: std.st, clock: std.clock, tbl: newTestTable(superCF)}
		std.st.CreateTable(sup.tbl)
		m := &model{cells: map[string]*cell{}}
		for len(r.b) > 0 {
			now := std.clock.Now().Unix()
			ts := int64(r.byte()%4) - 1
			op := Op{Timestamp: ts, LocalTime: now}
			switch r.byte() % 7 {
			case 0, 1:
				op.Kind, op.Name, op.Value = OpPut, r.name(), []byte{r.byte()}
				if r.byte()%3 == 0 {
					op.TTL = 1
				}
			case 2:
				op.Kind, op.Name = OpDeleteColumn, r.name()
			case 3:
				op.Kind = OpDeleteRow
			case 4:
				op.Kind, op.Start, op.Finish = OpDeleteRange, r.name(), r.name()
			case 5:
				op.Kind, op.Super = OpDeleteSuper, r.name()
			case 6:
				std.clock.Advance(time.Second)
				std.st.PurgeTombstones()
				continue
			}
			if op.Kind != OpDeleteSuper {
				std.apply("k", op)
				m.apply(op, now)
			}
			sop := op
			if sop.Super == nil && r.byte()%2 == 0 {
				sop.Super = r.name()
			}
			sup.apply("k", sop)
		}
		now := std.clock.Now().Unix()
		// The purges above never reach tombstones (gc grace is 10 days),
		// so the model stays exact.
		if got, want := std.slice("k", all()), strings.Join(m.visible(now), " "); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
		// Every read shape with arbitrary arguments.
		preds := []*thriftgen.SlicePredicate{
			nil, {}, names(), {ColumnNames: [][]byte{nil, r.name()}},
			{SliceRange: &thriftgen.SliceRange{Start: r.name(), Finish: r.name(), Reversed: r.byte()%2 == 0, Count: int32(r.byte()) - 128}},
		}
		tok := func() *string { s := []string{"0", "-9223372036854775808", "x", "", "123"}[r.byte()%5]; return &s }
		for _, e := range []*env{std, sup} {
			for _, p := range preds {
				for _, super := range [][]byte{nil, r.name()} {
					e.st.GetSlice(e.tbl, []byte("k"), super, p)
					e.st.GetCount(e.tbl, []byte("k"), super, p)
					e.st.Get(e.tbl, []byte("k"), super, r.name())
					e.st.GetRangeSlices(e.tbl, super, p, &thriftgen.KeyRange{StartToken: tok(), EndToken: tok(), Count: int32(r.byte())})
					e.st.GetRangeSlices(e.tbl, super, p, &thriftgen.KeyRange{StartKey: r.name(), EndKey: r.name(), Count: 5,
						RowFilter: []*thriftgen.IndexExpression{nil, {ColumnName: r.name(), Op: thriftgen.IndexOperator(r.byte() % 6), Value: r.name()}}})
				}
			}
			e.st.GetPagedSlice(e.tbl, &thriftgen.KeyRange{StartKey: r.name(), Count: int32(r.byte())}, r.name())
			e.st.GetMultiSlice(e.tbl, []byte("k"), []*thriftgen.ColumnSlice{nil, {Start: r.name()}, {Finish: r.name()}}, r.byte()%2 == 0, int32(r.byte()))
			e.st.GetIndexedSlices(e.tbl, &thriftgen.IndexClause{Expressions: []*thriftgen.IndexExpression{nil, {ColumnName: r.name(), Value: r.name()}}, Count: 3}, preds[4])
			e.st.Cas(e.tbl, []byte("k"), []*thriftgen.Column{nil, {Name: r.name()}}, []*thriftgen.Column{nil, {Name: r.name(), Value: r.name()}})
		}
	})
}
