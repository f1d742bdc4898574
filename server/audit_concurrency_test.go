package server_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Audit: a row's mutation is atomic and isolated (§Concurrency in the
// issue): a reader never sees half of a batch_mutate on one row, nor a
// row deletion applied to only part of the row.

func TestAuditRowIsolationUnderConcurrency(t *testing.T) {
	c, srv := startAndDial(t, server.Config{})
	_, err := c.SystemAddKeyspace(ctx, ksDef("Iso", simple, rf1, cfDef("Iso", "cf")))
	must(t, err)
	const cols, rounds, readers = 40, 60, 3
	writer := dial(t, srv.Addr())
	must(t, writer.SetKeyspace(ctx, "Iso"))
	var wg sync.WaitGroup
	errs := make(chan error, readers+1)
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(stop)
		for r := 1; r <= rounds; r++ {
			var ms []*tg.Mutation
			if r%5 == 0 {
				// A row deletion and a full rewrite in one batch.
				ms = append(ms, mutDel(i64p(int64(r)*10-1), nil, nil))
			}
			for i := 0; i < cols; i++ {
				ms = append(ms, mutCol(col(fmt.Sprintf("c%02d", i), fmt.Sprint(r), int64(r)*10)))
			}
			if err := writer.BatchMutate(ctx, mutationMap{"row": {"cf": ms}}, ONE); err != nil {
				errs <- err
				return
			}
		}
	}()
	for i := 0; i < readers; i++ {
		rd := dial(t, srv.Addr())
		must(t, rd.SetKeyspace(ctx, "Iso"))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := rd.GetSlice(ctx, []byte("row"), parent("cf"), columnRange("", "", false, 1000), ONE)
				if err != nil {
					errs <- err
					return
				}
				if len(res) != 0 && len(res) != cols {
					errs <- fmt.Errorf("saw %d of %d columns", len(res), cols)
					return
				}
				for _, r := range res {
					if string(r.Column.Value) != string(res[0].Column.Value) {
						errs <- fmt.Errorf("mixed versions in one read: %s and %s", res[0].Column.Value, r.Column.Value)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
