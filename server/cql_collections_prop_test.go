package server_test

import (
	"fmt"
	"math/rand"
	"reflect"
	"sort"
	"sync"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/server"
)

// collModel is one client's elements of one row, and its counter delta.
type collModel struct {
	set      map[int]bool
	m        map[int]string
	appends  []int // in the order sent
	prepends []int // in the order sent
	count    int64
}

// list is the client's elements of the list in the order 3.11 keeps them:
// prepends, the latest first, then appends in order.
func (md *collModel) list() []int {
	var out []int
	for i := len(md.prepends) - 1; i >= 0; i-- {
		out = append(out, md.prepends[i])
	}
	return append(out, md.appends...)
}

func sameSet(a, b map[int]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for x := range a {
		if !b[x] {
			return false
		}
	}
	return true
}

func sameMap(a, b map[int]string) bool {
	if len(a) != len(b) {
		return false
	}
	for x, v := range a {
		if w, ok := b[x]; !ok || w != v {
			return false
		}
	}
	return true
}

// Collections under concurrent clients, as 3.11 keeps them: a non-frozen
// collection is one cell per element (Lists, Sets and Maps Operations),
// so updates of different elements never overwrite each other whatever
// their interleaving, list appends and prepends each get their own time
// UUID (Lists.Appender/Prepender, with prepends before every append), and
// counter updates add up (CounterMutation). Each client owns its elements,
// checks them after each of its statements (its own writes are visible
// at once, with nothing of its own missing or extra), and the final row
// is the union of every client's model.
func TestCQLCollectionsConcurrentProperty(t *testing.T) {
	srv, _ := lwtSession(t, server.Config{})
	c := clusterFor(t, srv)
	c.Keyspace = "ks"
	c.NumConns = 4
	c.DefaultTimestamp = false // server timestamps: the server orders concurrent writes
	s, err := c.CreateSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	mustExec(t, s, "CREATE TABLE coll (k int PRIMARY KEY, s set<int>, m map<int, text>, l list<int>)")
	mustExec(t, s, "CREATE TABLE cnt (k int PRIMARY KEY, n counter)")

	const clients, steps, keys = 6, 60, 2
	perKey := make([][]*collModel, clients) // client -> key -> its model
	var wg sync.WaitGroup
	for cl := 0; cl < clients; cl++ {
		mods := make([]*collModel, keys)
		for k := range mods {
			mods[k] = &collModel{set: map[int]bool{}, m: map[int]string{}}
		}
		perKey[cl] = mods
		wg.Add(1)
		go func(cl int, mods []*collModel) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(cl) + 1))
			own := func(x int) bool { return x/1000 == cl+1 }
			next := (cl + 1) * 1000
			for step := 0; step < steps; step++ {
				k := rng.Intn(keys)
				md := mods[k]
				var q string
				var args []any
				switch rng.Intn(8) {
				case 0, 1: // add to the set
					next++
					q, args = "UPDATE coll SET s = s + ? WHERE k = ?", []any{[]int{next, next + 500}, k}
					md.set[next], md.set[next+500] = true, true
				case 2: // remove one of its set elements
					for x := range md.set {
						q, args = "UPDATE coll SET s = s - ? WHERE k = ?", []any{[]int{x}, k}
						delete(md.set, x)
						break
					}
				case 3: // put into the map
					next++
					v := fmt.Sprint("v", step)
					q, args = "UPDATE coll SET m = m + ? WHERE k = ?", []any{map[int]string{next: v}, k}
					md.m[next] = v
				case 4: // delete a map entry, or overwrite one
					for x := range md.m {
						if rng.Intn(2) == 0 {
							q, args = "DELETE m[?] FROM coll WHERE k = ?", []any{x, k}
							delete(md.m, x)
						} else {
							q, args = "UPDATE coll SET m[?] = ? WHERE k = ?", []any{x, "w", k}
							md.m[x] = "w"
						}
						break
					}
				case 5: // append
					next++
					q, args = "UPDATE coll SET l = l + ? WHERE k = ?", []any{[]int{next}, k}
					md.appends = append(md.appends, next)
				case 6: // prepend
					next++
					q, args = "UPDATE coll SET l = ? + l WHERE k = ?", []any{[]int{next}, k}
					md.prepends = append(md.prepends, next)
				case 7: // counter
					d := int64(rng.Intn(7) - 3)
					q, args = "UPDATE cnt SET n = n + ? WHERE k = ?", []any{d, k}
					md.count += d
				}
				if q == "" {
					continue
				}
				if err := s.Query(q, args...).Exec(); err != nil {
					t.Errorf("client %d: %s: %v", cl, q, err)
					return
				}
				// Read its own elements back.
				var set []int
				var m map[int]string
				var l []int
				if err := s.Query("SELECT s, m, l FROM coll WHERE k = ?", k).Scan(&set, &m, &l); err != nil && err != gocql.ErrNotFound {
					t.Errorf("client %d: read: %v", cl, err)
					return
				}
				gotSet := map[int]bool{}
				for _, x := range set {
					if own(x) {
						gotSet[x] = true
					}
				}
				gotMap := map[int]string{}
				for x, v := range m {
					if own(x) {
						gotMap[x] = v
					}
				}
				var gotList []int
				for _, x := range l {
					if own(x) {
						gotList = append(gotList, x)
					}
				}
				if !sameSet(gotSet, md.set) || !sameMap(gotMap, md.m) || !reflect.DeepEqual(gotList, md.list()) {
					t.Errorf("client %d step %d (%s): own elements set %v map %v list %v, want %v %v %v",
						cl, step, q, gotSet, gotMap, gotList, md.set, md.m, md.list())
					return
				}
			}
		}(cl, mods)
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for k := 0; k < keys; k++ {
		wantSet, wantMap := map[int]bool{}, map[int]string{}
		var wantCount int64
		wantLen := 0
		for cl := 0; cl < clients; cl++ {
			md := perKey[cl][k]
			for x := range md.set {
				wantSet[x] = true
			}
			for x, v := range md.m {
				wantMap[x] = v
			}
			wantLen += len(md.appends) + len(md.prepends)
			wantCount += md.count
		}
		var set []int
		var m map[int]string
		var l []int
		if err := s.Query("SELECT s, m, l FROM coll WHERE k = ?", k).Scan(&set, &m, &l); err != nil && err != gocql.ErrNotFound {
			t.Fatal(err)
		}
		gotSet := map[int]bool{}
		for _, x := range set {
			gotSet[x] = true
		}
		if !sort.IntsAreSorted(set) || !sameSet(gotSet, wantSet) {
			t.Errorf("key %d: set %v, want %v", k, set, wantSet)
		}
		if !sameMap(m, wantMap) {
			t.Errorf("key %d: map %v, want %v", k, m, wantMap)
		}
		// Every element once; all prepends come before all appends.
		if len(l) != wantLen {
			t.Errorf("key %d: list of %d elements, %d sent", k, len(l), wantLen)
		}
		seenAppend := false
		for _, x := range l {
			isAppend := false
			for cl := 0; cl < clients; cl++ {
				for _, a := range perKey[cl][k].appends {
					isAppend = isAppend || a == x
				}
			}
			if seenAppend && !isAppend {
				t.Errorf("key %d: prepended %d after an appended element: %v", k, x, l)
				break
			}
			seenAppend = seenAppend || isAppend
		}
		var n int64
		if err := s.Query("SELECT n FROM cnt WHERE k = ?", k).Scan(&n); err != nil && err != gocql.ErrNotFound {
			t.Fatal(err)
		}
		if n != wantCount {
			t.Errorf("key %d: counter %d, want %d", k, n, wantCount)
		}
	}
}
