package server_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand"
	"sort"
	"sync"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/server"
)

// A general linearizability check of lightweight transactions: concurrent
// gocql clients run reads at SERIAL, INSERT ... IF NOT EXISTS, UPDATE ...
// IF v = x and DELETE ... IF EXISTS on a few registers, and each key's
// history (the value seen or returned, and each operation's call and
// return times) must have a linearization, found by the Wing & Gong
// search with Lowe's memoization. 3.11 promises this for every operation
// that goes through Paxos (StorageProxy.cas and readWithPaxos).

// regAbsent is the value of a register whose row does not exist.
const regAbsent = -1

type regKind int

const (
	regRead   regKind = iota // SELECT at SERIAL: observed
	regCAS                   // UPDATE ... IF v = from: to, or observed
	regCreate                // INSERT ... IF NOT EXISTS: to, or observed
	regDelete                // DELETE ... IF EXISTS
)

// regOp is one completed operation of a register history.
type regOp struct {
	kind       regKind
	from, to   int
	applied    bool
	observed   int // the current value a read or a failed transaction saw
	start, end time.Duration
}

func (o regOp) String() string {
	return fmt.Sprintf("{%d %d→%d applied=%v saw=%d [%v,%v]}", o.kind, o.from, o.to, o.applied, o.observed, o.start, o.end)
}

// step applies op to a register holding state, as the server must have:
// whether op's outcome is possible there, and the state after it.
func (o regOp) step(state int) (int, bool) {
	switch o.kind {
	case regRead:
		return state, state == o.observed
	case regCAS:
		if o.applied {
			return o.to, state == o.from
		}
		return state, state != o.from && state == o.observed
	case regCreate:
		if o.applied {
			return o.to, state == regAbsent
		}
		return state, state != regAbsent && state == o.observed
	case regDelete:
		if o.applied {
			return regAbsent, state != regAbsent
		}
		return state, state == regAbsent
	}
	return state, false
}

// linearizable reports whether history, on a register that starts
// absent, has a linearization: an order of its operations that agrees
// with real time (an operation that returned before another was called
// comes first) in which each outcome is what step allows.
func linearizable(history []regOp) bool {
	type node struct {
		op         int
		call       bool
		match      *node // a call's return
		prev, next *node
	}
	type event struct {
		at   time.Duration
		call bool
		op   int
	}
	var events []event
	for i, o := range history {
		events = append(events, event{o.start, true, i}, event{o.end, false, i})
	}
	// At equal times calls come first: such operations overlap.
	sort.SliceStable(events, func(i, j int) bool {
		if events[i].at != events[j].at {
			return events[i].at < events[j].at
		}
		return events[i].call && !events[j].call
	})
	head := &node{}
	calls := make([]*node, len(history))
	returns := make([]*node, len(history))
	prev := head
	for _, e := range events {
		n := &node{op: e.op, call: e.call, prev: prev}
		prev.next = n
		prev = n
		if e.call {
			calls[e.op] = n
		} else {
			returns[e.op] = n
		}
	}
	for i := range history {
		calls[i].match = returns[i]
	}
	lift := func(n *node) {
		n.prev.next = n.next
		if n.next != nil {
			n.next.prev = n.prev
		}
		m := n.match
		m.prev.next = m.next
		if m.next != nil {
			m.next.prev = m.prev
		}
	}
	unlift := func(n *node) {
		m := n.match
		m.prev.next = m
		if m.next != nil {
			m.next.prev = m
		}
		n.prev.next = n
		if n.next != nil {
			n.next.prev = n
		}
	}
	done := make([]uint64, (len(history)+63)/64)
	seen := map[string]bool{} // linearized set and state already explored
	key := func(state int) string {
		b := make([]byte, 0, 8*len(done)+8)
		for _, w := range done {
			b = binary.LittleEndian.AppendUint64(b, w)
		}
		return string(binary.LittleEndian.AppendUint64(b, uint64(int64(state))))
	}
	type frame struct {
		n     *node
		state int
	}
	var stack []frame
	state := regAbsent
	cur := head.next
	for head.next != nil {
		if cur.call {
			next, ok := history[cur.op].step(state)
			if ok {
				done[cur.op/64] |= 1 << (cur.op % 64)
				if k := key(next); !seen[k] {
					seen[k] = true
					stack = append(stack, frame{cur, state})
					state = next
					lift(cur)
					cur = head.next
					continue
				}
				done[cur.op/64] &^= 1 << (cur.op % 64)
			}
			cur = cur.next
			continue
		}
		// A return whose call could not be placed: backtrack.
		if len(stack) == 0 {
			return false
		}
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		state = top.state
		done[top.n.op/64] &^= 1 << (top.n.op % 64)
		unlift(top.n)
		cur = top.n.next
	}
	return true
}

// TestRegisterLinearizabilityChecker makes sure the search accepts and
// refuses what it must.
func TestRegisterLinearizabilityChecker(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	op := func(kind regKind, from, to int, applied bool, observed, s, e int) regOp {
		return regOp{kind: kind, from: from, to: to, applied: applied, observed: observed, start: ms(s), end: ms(e)}
	}
	good := map[string][]regOp{
		"sequential": {op(regCreate, 0, 1, true, 0, 0, 1), op(regRead, 0, 0, false, 1, 2, 3), op(regCAS, 1, 2, true, 0, 4, 5),
			op(regDelete, 0, 0, true, 0, 6, 7), op(regRead, 0, 0, false, regAbsent, 8, 9)},
		// Two creates overlap: either may have won, and the read, which
		// overlaps both, saw the loser's value only if it came first.
		"overlapping creates": {op(regCreate, 0, 1, true, 0, 0, 10), op(regCreate, 0, 2, false, 1, 1, 11),
			op(regRead, 0, 0, false, regAbsent, 0, 12)},
		"read before a slow write": {op(regCreate, 0, 1, true, 0, 0, 10), op(regRead, 0, 0, false, regAbsent, 1, 2),
			op(regRead, 0, 0, false, 1, 3, 4)},
	}
	for name, h := range good {
		if !linearizable(h) {
			t.Errorf("%s: refused", name)
		}
	}
	bad := map[string][]regOp{
		"stale read":    {op(regCreate, 0, 1, true, 0, 0, 1), op(regRead, 0, 0, false, regAbsent, 2, 3)},
		"lost update":   {op(regCreate, 0, 1, true, 0, 0, 1), op(regCAS, 1, 2, true, 0, 2, 3), op(regCAS, 1, 3, true, 0, 2, 3)},
		"phantom value": {op(regCreate, 0, 1, true, 0, 0, 1), op(regCAS, 5, 2, false, 7, 2, 3)},
		"read flips back": {op(regCreate, 0, 1, true, 0, 0, 10), op(regRead, 0, 0, false, 1, 1, 2),
			op(regRead, 0, 0, false, regAbsent, 3, 4)},
		"delete of nothing applied": {op(regDelete, 0, 0, true, 0, 0, 1)},
	}
	for name, h := range bad {
		if linearizable(h) {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestCQLLWTRegisterLinearizable runs the concurrent clients and checks
// every key's history.
func TestCQLLWTRegisterLinearizable(t *testing.T) {
	srv, _ := lwtSession(t, server.Config{})
	c := clusterFor(t, srv)
	c.Keyspace = "ks"
	c.NumConns = 3
	s, err := c.CreateSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	mustExec(t, s, "CREATE TABLE reg (k int PRIMARY KEY, v int)")
	const clients, perClient, keys, values = 6, 40, 2, 4
	base := time.Now()
	var mu sync.Mutex
	histories := make([][]regOp, keys)
	var wg sync.WaitGroup
	for cl := 0; cl < clients; cl++ {
		wg.Add(1)
		go func(cl int) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(cl) * 7919))
			for i := 0; i < perClient; i++ {
				k := rng.Intn(keys)
				op := regOp{kind: regKind(rng.Intn(4)), from: rng.Intn(values), to: rng.Intn(values), observed: regAbsent}
				m := map[string]any{}
				op.start = time.Since(base)
				var err error
				switch op.kind {
				case regRead:
					var v int
					err = s.Query("SELECT v FROM reg WHERE k = ?", k).Consistency(gocql.Serial).Scan(&v)
					if err == nil {
						op.observed = v
					} else if errors.Is(err, gocql.ErrNotFound) {
						err = nil
					}
				case regCAS:
					op.applied, err = s.Query("UPDATE reg SET v = ? WHERE k = ? IF v = ?", op.to, k, op.from).MapScanCAS(m)
				case regCreate:
					op.applied, err = s.Query("INSERT INTO reg (k, v) VALUES (?, ?) IF NOT EXISTS", k, op.to).MapScanCAS(m)
				case regDelete:
					op.applied, err = s.Query("DELETE FROM reg WHERE k = ? IF EXISTS", k).MapScanCAS(m)
				}
				op.end = time.Since(base)
				if err != nil {
					t.Errorf("client %d: %v", cl, err)
					return
				}
				if v, ok := m["v"].(int); ok && !op.applied {
					op.observed = v
				}
				mu.Lock()
				histories[k] = append(histories[k], op)
				mu.Unlock()
			}
		}(cl)
	}
	wg.Wait()
	for k, h := range histories {
		if !linearizable(h) {
			sort.Slice(h, func(i, j int) bool { return h[i].start < h[j].start })
			t.Errorf("key %d: %d operations with no linearization: %v", k, len(h), h)
			continue
		}
		// The same history with one read of a value never written must
		// be refused, or the search proves nothing.
		for i := range h {
			if h[i].kind == regRead {
				bad := append([]regOp(nil), h...)
				bad[i].observed = values + 1
				if linearizable(bad) {
					t.Errorf("key %d: a read of a value never written was accepted", k)
				}
				break
			}
		}
	}
}
