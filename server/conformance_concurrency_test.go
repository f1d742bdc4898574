package server_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cassa-go/cassa/server"
)

// TestRowMutationsAtomicAndIsolated has writers replace two columns of one
// row in single batch_mutate calls while readers check that they never see
// the columns from different writes: a row's mutation is applied atomically
// and in isolation, as in Cassandra.
func TestRowMutationsAtomicAndIsolated(t *testing.T) {
	c := dtestClient(t, server.Config{})
	var ts atomic.Int64
	const writers, readers, rounds = 4, 4, 200
	var wg sync.WaitGroup
	errs := make(chan error, writers+readers)
	stop := make(chan struct{})
	for w := 0; w < writers; w++ {
		wc := dial(t, c.addr)
		must(t, wc.SetKeyspace(ctx, "Keyspace1"))
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				n := ts.Add(1)
				v := fmt.Sprintf("w%d-%d", w, i)
				err := wc.BatchMutate(ctx, mutationMap{"row": {
					"Standard1": {mutCol(col("a", v, n)), mutCol(col("b", v, n))},
					"Counter1":  {mutCounter("x", 1), mutCounter("y", 1)},
				}}, ONE)
				if err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	var readWG sync.WaitGroup
	for r := 0; r < readers; r++ {
		rc := dial(t, c.addr)
		must(t, rc.SetKeyspace(ctx, "Keyspace1"))
		readWG.Add(1)
		go func() {
			defer readWG.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := rc.GetSlice(ctx, []byte("row"), parent("Standard1"), names("a", "b"), ONE)
				if err != nil {
					errs <- err
					return
				}
				if len(res) == 2 && string(res[0].Column.Value) != string(res[1].Column.Value) {
					errs <- fmt.Errorf("torn row: a=%s b=%s", res[0].Column.Value, res[1].Column.Value)
					return
				}
				cs, err := rc.GetSlice(ctx, []byte("row"), parent("Counter1"), names("x", "y"), ONE)
				if err != nil {
					errs <- err
					return
				}
				if len(cs) == 2 && cs[0].CounterColumn.Value != cs[1].CounterColumn.Value {
					errs <- fmt.Errorf("torn counters: x=%d y=%d", cs[0].CounterColumn.Value, cs[1].CounterColumn.Value)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	readWG.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got, err := c.GetSlice(ctx, []byte("row"), parent("Counter1"), names("x"), ONE)
	must(t, err)
	if len(got) != 1 || got[0].CounterColumn.Value != writers*rounds {
		t.Fatalf("counter x = %v, want %d (no increment lost)", got, writers*rounds)
	}
}
