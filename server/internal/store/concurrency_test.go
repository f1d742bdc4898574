package store

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/thriftgen"
)

// TestRowIsolation: writers rewrite all ten columns of a row in one mutation
// with one timestamp and value; a reader must never see columns from two
// different mutations. Counter increments of a batch must never be seen
// half applied either.
func TestRowIsolation(t *testing.T) {
	e := newEnv(t, partitioner.Murmur3Partitioner{}, withIndex("c0", bytesType{}))
	const writers, perWriter, cols = 4, 200, 10
	var ts atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perWriter; i++ {
				n := ts.Add(1)
				v := fmt.Sprintf("v%06d", n)
				ops := make([]Op, 0, cols)
				for c := 0; c < cols; c++ {
					ops = append(ops, put(fmt.Sprintf("c%d", c), v, n))
				}
				key := fmt.Sprintf("row%d", i%3)
				if err := e.st.Apply(NewRowMutation(e.tbl, []byte(key), ops...)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	var readers sync.WaitGroup
	check := func(items []*thriftgen.ColumnOrSuperColumn) {
		if len(items) == 0 {
			return
		}
		if len(items) != cols {
			t.Errorf("saw %d columns", len(items))
			return
		}
		for _, it := range items {
			if string(it.Column.Value) != string(items[0].Column.Value) {
				t.Errorf("torn row: %s", render(items))
				return
			}
		}
	}
	for r := 0; r < 2; r++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				got, err := e.st.GetSlice(e.tbl, []byte("row1"), nil, all())
				if err != nil {
					t.Error(err)
					return
				}
				check(got)
				ks, err := e.st.GetRangeSlices(e.tbl, nil, all(), keyRange("", "", 10))
				if err != nil {
					t.Error(err)
					return
				}
				for _, k := range ks {
					check(k.Columns)
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
}

// TestConcurrentMixed exercises every lock path at once for the race
// detector: new rows, scans, indexed reads, cas, truncate and purge.
func TestConcurrentMixed(t *testing.T) {
	e := newEnv(t, partitioner.Murmur3Partitioner{}, withIndex("st", bytesType{}), withGrace(0))
	var wg sync.WaitGroup
	run := func(f func(i int)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				f(i)
			}
		}()
	}
	run(func(i int) {
		e.apply(fmt.Sprintf("k%d", i), put("st", "UT", int64(i)), put("x", "1", int64(i)))
	})
	run(func(i int) { e.apply(fmt.Sprintf("k%d", i/2), delRow(int64(i))) })
	run(func(i int) { e.st.GetRangeSlices(e.tbl, nil, all(), keyRange("", "", 100)) })
	run(func(i int) { e.indexed("st", "UT", "", 50) })
	run(func(i int) {
		e.st.Cas(e.tbl, []byte(fmt.Sprintf("c%d", i%7)), nil, []*thriftgen.Column{col("a", "1")})
	})
	run(func(i int) {
		if i%50 == 0 {
			e.st.Truncate(e.tbl)
		}
		if i%30 == 0 {
			e.st.PurgeTombstones()
		}
		e.st.GetPagedSlice(e.tbl, keyRange("", "", 20), nil)
	})
	wg.Wait()
}
