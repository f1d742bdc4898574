package columnfamily_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
	"github.com/cassa-go/cassa/thriftgen"
)

// BenchmarkCFvsRaw compares Insert and Get of one 10-column row through a
// ColumnFamily (autopacked UTF8 names, UTF8 and Long values) with the same
// Thrift calls made raw (batch_mutate and get_slice with pre-packed bytes,
// nothing unpacked), on the same one-connection pool and embedded server,
// in one run. Each iteration does one of each, interleaved so that both
// see the same machine; the cf/raw metric is the ratio of the median
// Insert+Get times (target <= 1.1).
//
//	go test -run '^$' -bench BenchmarkCFvsRaw -benchtime 5000x ./session/
func BenchmarkCFvsRaw(b *testing.B) {
	e := newEnv(b)
	cf := e.cf(b, "Std")
	cols := columnfamily.Cols{"age": int64(24)}
	for i := 1; i < 10; i++ {
		cols[fmt.Sprintf("col%d", i)] = fmt.Sprintf("value %d", i)
	}
	// The raw form of the same row, packed once.
	key := []byte("thobbs")
	packed := map[string][]byte{"age": {0, 0, 0, 0, 0, 0, 0, 24}}
	for i := 1; i < 10; i++ {
		packed[fmt.Sprintf("col%d", i)] = []byte(fmt.Sprintf("value %d", i))
	}
	rawInsert := func(ctx context.Context, c *pool.Conn) error {
		ts := columnfamily.MonotonicTimestamp()
		muts := make([]*thriftgen.Mutation, 0, len(packed))
		for name, v := range packed {
			col := thriftgen.NewColumn()
			col.Name, col.Value, col.Timestamp = []byte(name), v, &ts
			cs := thriftgen.NewColumnOrSuperColumn()
			cs.Column = col
			m := thriftgen.NewMutation()
			m.ColumnOrSupercolumn = cs
			muts = append(muts, m)
		}
		mm := map[string]map[string][]*thriftgen.Mutation{string(key): {"Std": muts}}
		return c.Client().BatchMutate(ctx, mm, thriftgen.ConsistencyLevel_ONE)
	}
	rawGet := func(ctx context.Context, c *pool.Conn) error {
		parent := thriftgen.NewColumnParent()
		parent.ColumnFamily = "Std"
		r := thriftgen.NewSliceRange()
		r.Start, r.Finish, r.Count = []byte{}, []byte{}, 100
		pred := thriftgen.NewSlicePredicate()
		pred.SliceRange = r
		res, err := c.Client().GetSlice(ctx, key, parent, pred, thriftgen.ConsistencyLevel_ONE)
		if err == nil && len(res) != 10 {
			err = fmt.Errorf("raw get: %d columns", len(res))
		}
		return err
	}
	ctx := context.Background()
	var dCfIns, dCfGet, dRawIns, dRawGet []time.Duration
	b.ResetTimer()
	cfOps := func() (time.Duration, time.Duration) {
		t0 := time.Now()
		if _, err := cf.Insert(ctx, "thobbs", cols); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		row, err := cf.Get(ctx, "thobbs", query.Select{})
		if err != nil || len(row.Columns) != 10 {
			b.Fatal(err, row)
		}
		return t1.Sub(t0), time.Since(t1)
	}
	rawOps := func() (time.Duration, time.Duration) {
		t0 := time.Now()
		if err := e.pool.Do(ctx, rawInsert); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := e.pool.Do(ctx, rawGet); err != nil {
			b.Fatal(err)
		}
		return t1.Sub(t0), time.Since(t1)
	}
	for i := 0; i < b.N; i++ {
		// Alternate which goes first, so neither always follows the other.
		var ci, cg, ri, rg time.Duration
		if i%2 == 0 {
			ci, cg = cfOps()
			ri, rg = rawOps()
		} else {
			ri, rg = rawOps()
			ci, cg = cfOps()
		}
		dCfIns, dCfGet = append(dCfIns, ci), append(dCfGet, cg)
		dRawIns, dRawGet = append(dRawIns, ri), append(dRawGet, rg)
	}
	b.StopTimer()
	// Medians: the machine is shared, and a few slow round trips would
	// otherwise decide the ratio.
	ci, cg, ri, rg := median(dCfIns), median(dCfGet), median(dRawIns), median(dRawGet)
	b.ReportMetric(ci, "cf-insert-ns")
	b.ReportMetric(ri, "raw-insert-ns")
	b.ReportMetric(cg, "cf-get-ns")
	b.ReportMetric(rg, "raw-get-ns")
	b.ReportMetric((ci+cg)/(ri+rg), "cf/raw")
}

func median(d []time.Duration) float64 {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return float64(s[len(s)/2].Nanoseconds())
}
