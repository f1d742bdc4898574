package store

import (
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"
)

// model is a naive reference for one standard row: the reconciled winner of
// every name (reconciled when written, as a memtable does) and every
// deletion, with nothing dropped eagerly. Visibility is decided at read time.
type model struct {
	cells  map[string]*cell
	rowDel deletion
	ranges []rangeTombstone
}

func (m *model) apply(op Op, now int64) {
	switch op.Kind {
	case OpPut, OpDeleteColumn:
		var c *cell
		if op.Kind == OpPut {
			c = newValueCell(&op)
		} else {
			c = newTombstone(&op)
		}
		if old := m.cells[string(op.Name)]; old == nil || supersedes(c, old, now) {
			m.cells[string(op.Name)] = c
		}
	case OpDeleteRow:
		m.rowDel = m.rowDel.merge(deletion{at: op.Timestamp, ldt: op.LocalTime, set: true})
	case OpDeleteRange:
		m.ranges = append(m.ranges, rangeTombstone{bounds: op.bounds(), del: deletion{at: op.Timestamp, set: true}})
	}
}

func (m *model) visible(now int64) []string {
	var ns []string
	for name, c := range m.cells {
		if !c.live(now) || m.rowDel.covers(c.ts) || rangeList(m.ranges).covers(bytesType{}, []byte(name), c.ts) {
			continue
		}
		ns = append(ns, name)
	}
	slices.Sort(ns) // byte order, as bytesType compares
	out := make([]string, 0, len(ns))
	for _, n := range ns {
		out = append(out, renderCol(columnOf(m.cells[n])))
	}
	return out
}

// TestAgainstModel applies random operations with colliding timestamps,
// TTLs and clock steps, and compares every slice shape with the model.
func TestAgainstModel(t *testing.T) {
	rnd := rand.New(rand.NewSource(42))
	letters := "abcdefgh"
	name := func() string { return string(letters[rnd.Intn(len(letters))]) }
	for round := 0; round < 200; round++ {
		e := newEnv(t, nil)
		m := &model{cells: map[string]*cell{}}
		for step := 0; step < 40; step++ {
			now := e.clock.Now().Unix()
			var batch []Op
			for n := rnd.Intn(3) + 1; n > 0; n-- {
				ts := int64(rnd.Intn(6))
				var op Op
				switch k := rnd.Intn(10); {
				case k < 5:
					op = put(name(), []string{"x", "y", "\x80", "\x7f", "xy"}[rnd.Intn(5)], ts)
					if rnd.Intn(3) == 0 {
						op.TTL = int32(rnd.Intn(3) + 1)
					}
				case k < 7:
					op = delCol(name(), ts)
				case k < 8:
					op = delRow(ts)
				default:
					a, b := name(), name()
					if a > b {
						a, b = b, a
					}
					if rnd.Intn(4) == 0 {
						a = ""
					}
					if rnd.Intn(4) == 0 {
						b = ""
					}
					op = delRange(a, b, ts)
				}
				op.LocalTime = now
				batch = append(batch, op)
				m.apply(op, now)
			}
			e.apply("k", batch...)
			if rnd.Intn(4) == 0 {
				e.clock.Advance(time.Second)
			}
			now = e.clock.Now().Unix()
			want := m.visible(now)
			if got := e.slice("k", all()); got != strings.Join(want, " ") {
				t.Fatalf("round %d step %d: got %q, want %q", round, step, got, strings.Join(want, " "))
			}
			// A random SliceRange against the model's list.
			a, b := name(), name()
			if a > b {
				a, b = b, a
			}
			count := int32(rnd.Intn(4))
			reversed := rnd.Intn(2) == 0
			var sel []string
			for _, w := range want {
				if w[:1] >= a && w[:1] <= b {
					sel = append(sel, w)
				}
			}
			start, finish := a, b
			if reversed {
				slices.Reverse(sel)
				start, finish = b, a
			}
			if len(sel) > int(count) {
				sel = sel[:count]
			}
			if got := e.slice("k", rng(start, finish, reversed, count)); got != strings.Join(sel, " ") {
				t.Fatalf("round %d step %d: slice [%s,%s] rev=%v count=%d: got %q, want %q", round, step, start, finish, reversed, count, got, strings.Join(sel, " "))
			}
			if n, _ := e.st.GetCount(e.tbl, []byte("k"), nil, nil); int(n) != len(want) {
				t.Fatalf("round %d step %d: count %d, want %d", round, step, n, len(want))
			}
		}
	}
}

// superModel is the naive reference for one super CF row.
type superModel struct {
	cells  map[[2]string]*cell
	rowDel deletion
	srts   []rangeTombstone
	scDel  map[string]deletion
	scRts  map[string][]rangeTombstone
}

func (m *superModel) apply(op Op, now int64) {
	d := deletion{at: op.Timestamp, ldt: op.LocalTime, set: true}
	switch {
	case op.Kind == OpPut || (op.Kind == OpDeleteColumn && op.Super != nil):
		var c *cell
		if op.Kind == OpPut {
			c = newValueCell(&op)
		} else {
			c = newTombstone(&op)
		}
		k := [2]string{string(op.Super), string(op.Name)}
		if old := m.cells[k]; old == nil || supersedes(c, old, now) {
			m.cells[k] = c
		}
	case op.Kind == OpDeleteColumn:
		m.scDel[string(op.Name)] = m.scDel[string(op.Name)].merge(d)
	case op.Kind == OpDeleteSuper:
		m.scDel[string(op.Super)] = m.scDel[string(op.Super)].merge(d)
	case op.Kind == OpDeleteRow:
		m.rowDel = m.rowDel.merge(d)
	case op.Kind == OpDeleteRange && op.Super == nil:
		m.srts = append(m.srts, rangeTombstone{bounds: op.bounds(), del: d})
	case op.Kind == OpDeleteRange:
		m.scRts[string(op.Super)] = append(m.scRts[string(op.Super)], rangeTombstone{bounds: op.bounds(), del: d})
	}
}

func (m *superModel) visible(now int64) string {
	subs := map[string][]string{}
	for k, c := range m.cells {
		sc, n := k[0], k[1]
		if !c.live(now) || m.rowDel.covers(c.ts) ||
			rangeList(m.srts).covers(bytesType{}, []byte(sc), c.ts) ||
			m.scDel[sc].covers(c.ts) ||
			rangeList(m.scRts[sc]).covers(bytesType{}, []byte(n), c.ts) {
			continue
		}
		subs[sc] = append(subs[sc], renderCol(columnOf(c)))
	}
	var out []string
	for sc, cols := range subs {
		slices.Sort(cols)
		out = append(out, sc+"{"+strings.Join(cols, " ")+"}")
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

func TestSuperAgainstModel(t *testing.T) {
	rnd := rand.New(rand.NewSource(7))
	pick := func(s string) string { return string(s[rnd.Intn(len(s))]) }
	for round := 0; round < 200; round++ {
		e := newEnv(t, nil, superCF)
		m := &superModel{cells: map[[2]string]*cell{}, scDel: map[string]deletion{}, scRts: map[string][]rangeTombstone{}}
		for step := 0; step < 30; step++ {
			now := e.clock.Now().Unix()
			var batch []Op
			for n := rnd.Intn(3) + 1; n > 0; n-- {
				ts := int64(rnd.Intn(5))
				sc, sub := pick("ABCD"), pick("wxyz")
				var op Op
				switch k := rnd.Intn(12); {
				case k < 6:
					op = putSub(sc, sub, pick("pq"), ts)
					if rnd.Intn(4) == 0 {
						op.TTL = 1
					}
				case k < 7:
					op = Op{Kind: OpDeleteColumn, Super: []byte(sc), Name: []byte(sub), Timestamp: ts}
				case k < 8:
					op = Op{Kind: OpDeleteSuper, Super: []byte(sc), Timestamp: ts}
				case k < 9:
					op = Op{Kind: OpDeleteColumn, Name: []byte(sc), Timestamp: ts}
				case k < 10:
					op = delRow(ts)
				case k < 11:
					a, b := pick("ABCD"), pick("ABCD")
					if a > b {
						a, b = b, a
					}
					op = delRange(a, b, ts)
				default:
					a, b := pick("wxyz"), pick("wxyz")
					if a > b {
						a, b = b, a
					}
					op = delRange(a, b, ts)
					op.Super = []byte(sc)
				}
				op.LocalTime = now
				batch = append(batch, op)
				m.apply(op, now)
			}
			e.apply("k", batch...)
			if rnd.Intn(4) == 0 {
				e.clock.Advance(time.Second)
			}
			now = e.clock.Now().Unix()
			if got, want := e.slice("k", all()), m.visible(now); got != want {
				t.Fatalf("round %d step %d: got %q, want %q", round, step, got, want)
			}
		}
	}
}
