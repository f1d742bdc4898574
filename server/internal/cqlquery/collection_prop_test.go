package cqlquery

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// A model of 3.11's non-frozen collections (Lists, Sets, Maps and their
// Operations on 2.x cells): every element is a cell with a timestamp;
// overwrites delete the old elements at timestamp-1; a tombstone beats a
// cell of the same timestamp and, between two cells of the same
// timestamp, the greater value wins (Cells.reconcile); list elements are
// named by time UUIDs, appended ones after all others, prepended ones
// before; l[i] = v, DELETE l[i] and l = l - [...] read the list first.

type modelCell struct {
	ts   int64
	val  []byte // nil for a tombstone
	live bool
}

// reconcile merges a write into the current cell, as Cassandra does.
func reconcile(cur *modelCell, w modelCell) *modelCell {
	switch {
	case cur == nil, w.ts > cur.ts:
		return &w
	case w.ts < cur.ts:
		return cur
	case !cur.live:
		return cur
	case !w.live:
		return &w
	case bytes.Compare(w.val, cur.val) > 0:
		return &w
	}
	return cur
}

type modelCollection struct {
	deletedAt int64 // collection tombstone: cells at or before it are dead
	cells     map[string]*modelCell
}

func newModelCollection() *modelCollection {
	return &modelCollection{deletedAt: -1 << 62, cells: map[string]*modelCell{}}
}

func (m *modelCollection) write(key string, ts int64, val []byte) {
	m.cells[key] = reconcile(m.cells[key], modelCell{ts: ts, val: val, live: true})
}

func (m *modelCollection) tombstone(key string, ts int64) {
	m.cells[key] = reconcile(m.cells[key], modelCell{ts: ts})
}

func (m *modelCollection) delete(ts int64) { m.deletedAt = max(m.deletedAt, ts) }

// live returns the live cells' keys in key order.
func (m *modelCollection) live(less func(a, b string) bool) []string {
	var out []string
	for k, c := range m.cells {
		if c.live && c.ts > m.deletedAt {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out
}

// collectionModel is one row's list<int>, set<int> and map<text, int>.
type collectionModel struct {
	l, s, m    *modelCollection
	nextAppend int64
	nextPrep   int64
}

func newCollectionModel() *collectionModel {
	return &collectionModel{l: newModelCollection(), s: newModelCollection(), m: newModelCollection(), nextPrep: -1}
}

func listKey(n int64) string { return strconv.FormatInt(n, 10) }

func listLess(a, b string) bool {
	x, _ := strconv.ParseInt(a, 10, 64)
	y, _ := strconv.ParseInt(b, 10, 64)
	return x < y
}

func intBytes(v int) []byte { return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)} }

func (cm *collectionModel) appendList(ts int64, vals []int) {
	for _, v := range vals {
		cm.nextAppend++
		cm.l.write(listKey(cm.nextAppend), ts, intBytes(v))
	}
}

func (cm *collectionModel) prependList(ts int64, vals []int) {
	base := cm.nextPrep - int64(len(vals)) + 1
	for i, v := range vals {
		cm.l.write(listKey(base+int64(i)), ts, intBytes(v))
	}
	cm.nextPrep = base - 1
}

// render is what SELECT l, s, m shows ("" when the row has no live cell).
func (cm *collectionModel) render() string {
	var parts []string
	l := cm.l.live(listLess)
	s := cm.s.live(func(a, b string) bool { x, _ := strconv.Atoi(a); y, _ := strconv.Atoi(b); return x < y })
	m := cm.m.live(func(a, b string) bool { return a < b })
	if len(l)+len(s)+len(m) == 0 {
		return ""
	}
	if len(l) == 0 {
		parts = append(parts, "null")
	} else {
		var el []string
		for _, k := range l {
			el = append(el, strconv.Itoa(int(int32(be64(cm.l.cells[k].val)))))
		}
		parts = append(parts, "["+strings.Join(el, ", ")+"]")
	}
	if len(s) == 0 {
		parts = append(parts, "null")
	} else {
		parts = append(parts, "{"+strings.Join(s, ", ")+"}")
	}
	if len(m) == 0 {
		parts = append(parts, "null")
	} else {
		var el []string
		for _, k := range m {
			el = append(el, fmt.Sprintf("'%s': %d", k, int32(be64(cm.m.cells[k].val))))
		}
		parts = append(parts, "{"+strings.Join(el, ", ")+"}")
	}
	return strings.Join(parts, " ")
}

func intListLiteral(vals []int) string {
	s := make([]string, len(vals))
	for i, v := range vals {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ", ")
}

// TestCollectionModel runs random sequences of collection operations, with
// colliding timestamps, against the server and the model, and compares
// the row after every statement.
func TestCollectionModel(t *testing.T) {
	for seed := uint64(1); seed <= 60; seed++ {
		f := newFixture(t)
		f.ddl("CREATE TABLE t (k int PRIMARY KEY, l list<int>, s set<int>, m map<text, int>)")
		rng := rand.New(rand.NewPCG(seed, 15))
		cm := newCollectionModel()
		var history []string
		for step := 0; step < 40; step++ {
			ts := int64(rng.IntN(12) + 1)
			vals := func(n int) []int {
				out := make([]int, n)
				for i := range out {
					out[i] = rng.IntN(5)
				}
				return out
			}
			using := " USING TIMESTAMP " + strconv.FormatInt(ts, 10)
			var q, wantErr string
			switch rng.IntN(17) {
			case 0: // l = [...]
				v := vals(rng.IntN(4))
				q = "UPDATE t" + using + " SET l = [" + intListLiteral(v) + "] WHERE k = 0"
				cm.l.delete(ts - 1)
				cm.appendList(ts, v)
			case 1:
				v := vals(rng.IntN(3) + 1)
				q = "UPDATE t" + using + " SET l = l + [" + intListLiteral(v) + "] WHERE k = 0"
				cm.appendList(ts, v)
			case 2:
				v := vals(rng.IntN(3) + 1)
				q = "UPDATE t" + using + " SET l = [" + intListLiteral(v) + "] + l WHERE k = 0"
				cm.prependList(ts, v)
			case 3: // l[i] = v
				live := cm.l.live(listLess)
				i, v := rng.IntN(len(live)+2)-1, rng.IntN(5)
				q = fmt.Sprintf("UPDATE t%s SET l[%d] = %d WHERE k = 0", using, i, v)
				switch {
				case len(live) == 0:
					wantErr = "Attempted to set an element on a list which is null"
				case i < 0 || i >= len(live):
					wantErr = fmt.Sprintf("List index %d out of bound, list has size %d", i, len(live))
				default:
					cm.l.write(live[i], ts, intBytes(v))
				}
			case 4: // l = l - [...]
				v := vals(rng.IntN(3) + 1)
				q = "UPDATE t" + using + " SET l = l - [" + intListLiteral(v) + "] WHERE k = 0"
				for _, k := range cm.l.live(listLess) {
					for _, x := range v {
						if bytes.Equal(cm.l.cells[k].val, intBytes(x)) {
							cm.l.tombstone(k, ts)
							break
						}
					}
				}
			case 5: // DELETE l[i]
				live := cm.l.live(listLess)
				i := rng.IntN(len(live)+1) - 0
				q = fmt.Sprintf("DELETE l[%d] FROM t%s WHERE k = 0", i, using)
				switch {
				case len(live) == 0:
					wantErr = "Attempted to delete an element from a list which is null"
				case i >= len(live):
					wantErr = fmt.Sprintf("List index %d out of bound, list has size %d", i, len(live))
				default:
					cm.l.tombstone(live[i], ts)
				}
			case 6:
				q = "DELETE l FROM t" + using + " WHERE k = 0"
				cm.l.delete(ts)
			case 7: // s = {...}
				v := vals(rng.IntN(4))
				q = "UPDATE t" + using + " SET s = {" + intListLiteral(v) + "} WHERE k = 0"
				cm.s.delete(ts - 1)
				for _, x := range v {
					cm.s.write(strconv.Itoa(x), ts, []byte{})
				}
			case 8:
				v := vals(rng.IntN(3) + 1)
				q = "UPDATE t" + using + " SET s = s + {" + intListLiteral(v) + "} WHERE k = 0"
				for _, x := range v {
					cm.s.write(strconv.Itoa(x), ts, []byte{})
				}
			case 9:
				v := vals(rng.IntN(3) + 1)
				q = "UPDATE t" + using + " SET s = s - {" + intListLiteral(v) + "} WHERE k = 0"
				for _, x := range v {
					cm.s.tombstone(strconv.Itoa(x), ts)
				}
			case 10:
				x := rng.IntN(5)
				q = fmt.Sprintf("DELETE s[%d] FROM t%s WHERE k = 0", x, using)
				cm.s.tombstone(strconv.Itoa(x), ts)
			case 11: // m = {...}
				n := rng.IntN(3)
				var parts []string
				cm.m.delete(ts - 1)
				got := map[string]int{}
				for i := 0; i < n; i++ {
					k, v := string(rune('a'+rng.IntN(3))), rng.IntN(4)
					parts = append(parts, fmt.Sprintf("'%s': %d", k, v))
					got[k] = v // the last value of a repeated key wins
				}
				for k, v := range got {
					cm.m.write(k, ts, intBytes(v))
				}
				q = "UPDATE t" + using + " SET m = {" + strings.Join(parts, ", ") + "} WHERE k = 0"
			case 12: // m = m + {...}
				k, v := string(rune('a'+rng.IntN(3))), rng.IntN(4)
				q = fmt.Sprintf("UPDATE t%s SET m = m + {'%s': %d} WHERE k = 0", using, k, v)
				cm.m.write(k, ts, intBytes(v))
			case 13: // m[k] = v or null
				k := string(rune('a' + rng.IntN(3)))
				if rng.IntN(3) == 0 {
					q = fmt.Sprintf("UPDATE t%s SET m['%s'] = null WHERE k = 0", using, k)
					cm.m.tombstone(k, ts)
				} else {
					v := rng.IntN(4)
					q = fmt.Sprintf("UPDATE t%s SET m['%s'] = %d WHERE k = 0", using, k, v)
					cm.m.write(k, ts, intBytes(v))
				}
			case 14: // m = m - {k}
				k := string(rune('a' + rng.IntN(3)))
				q = fmt.Sprintf("UPDATE t%s SET m = m - {'%s'} WHERE k = 0", using, k)
				cm.m.tombstone(k, ts)
			case 15:
				k := string(rune('a' + rng.IntN(3)))
				q = fmt.Sprintf("DELETE m['%s'] FROM t%s WHERE k = 0", k, using)
				cm.m.tombstone(k, ts)
			case 16:
				q = "DELETE s, m FROM t" + using + " WHERE k = 0"
				cm.s.delete(ts)
				cm.m.delete(ts)
			}
			history = append(history, q)
			_, err := f.run(Options{}, q)
			switch {
			case wantErr != "" && (err == nil || err.Error() != wantErr):
				t.Fatalf("seed %d: %s: err %v, want %q\nhistory:\n%s", seed, q, err, wantErr, strings.Join(history, "\n"))
			case wantErr == "" && err != nil:
				t.Fatalf("seed %d: %s: %v\nhistory:\n%s", seed, q, err, strings.Join(history, "\n"))
			}
			got, want := f.query("SELECT l, s, m FROM t WHERE k = 0"), cm.render()
			if got != want {
				t.Fatalf("seed %d after %s:\n got %q\nwant %q\nhistory:\n%s", seed, q, got, want, strings.Join(history, "\n"))
			}
		}
	}
}
