package cqlquery

import (
	"context"
	"sync"
	"testing"
)

// Prepared statements run concurrently, also while their table changes.
func TestConcurrentExecution(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int, c int, v int, PRIMARY KEY (k, c))")
	ins, _ := f.prepare("INSERT INTO t (k, c, v) VALUES (?, ?, ?)")
	sel, _ := f.prepare("SELECT count(*) FROM t WHERE k = ?")
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if _, err := ins.Execute(context.Background(), f.env, Options{Consistency: clOne, Values: values(t, ins, []any{g, i, i})}); err != nil {
					t.Error(err)
					return
				}
				if _, err := sel.Execute(context.Background(), f.env, Options{Consistency: clOne, Values: values(t, sel, []any{g})}); err != nil {
					t.Error(err)
					return
				}
			}
		}(g)
	}
	for i := 0; i < 5; i++ {
		f.ddl("ALTER TABLE t ADD w" + itoa(i) + " int")
	}
	wg.Wait()
	for g := 0; g < 4; g++ {
		f.expect("200", "SELECT count(*) FROM t WHERE k = ?", g)
	}
}
