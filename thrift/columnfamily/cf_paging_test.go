package columnfamily_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
)

// requests counts the RPCs a function sends through the pool (one
// checkout per request here: nothing is retried).
func requests(p *pool.Pool, f func()) int64 {
	before := p.Stats().CheckedOut
	f()
	return p.Stats().CheckedOut - before
}

// TestCFPagingRequests checks the requests pycassa's paging rule sends
// (ColumnFamily.get_range and xget: the first page asks for min(limit,
// buffer_size), each later page for one more than what is left, at most
// buffer_size, starting at the last key or column seen), for 101 rows
// key100..key200 and a row of 200 columns. Buffer sizes of 2 or more page
// exactly as pycassa does.
func TestCFPagingRequests(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	var rows []columnfamily.RowValues
	for i := 100; i <= 200; i++ {
		rows = append(rows, columnfamily.RowValues{Key: fmt.Sprintf("key%d", i), Values: columnfamily.Cols{"c": "v"}})
	}
	must(cf.BatchInsert(bg, rows))(t)
	for _, c := range []struct {
		rowCount, buf int
		reqs          int64
		rows          int
	}{
		{100, 10, 11, 100}, {100, 1000, 1, 100}, {100, 150, 1, 100}, {100, 7, 17, 100},
		// 99: the first page brings 2 rows and each of the 98 pages after
		// it 1 new row (plus the repeated one), so row 100 arrives on page 99.
		{100, 2, 99, 100}, {10000, 2, 101, 101}, {10000, 200, 1, 101}, {0, 77, 2, 101},
		{0, 1024, 1, 101}, {101, 101, 1, 101}, {50, 100, 1, 50},
	} {
		var got []columnfamily.Row
		n := requests(e.pool, func() {
			q := query.Select{}
			if c.rowCount > 0 {
				q = q.Limit(c.rowCount)
			}
			got = collect(t, cf.GetRange(bg, q, columnfamily.BufferSize(c.buf)))
		})
		if n != c.reqs || len(got) != c.rows {
			t.Errorf("get_range row count %d buffer %d: %d requests, %d rows; want %d, %d",
				c.rowCount, c.buf, n, len(got), c.reqs, c.rows)
		}
	}
	n := requests(e.pool, func() {
		collect(t, cf.GetRange(bg, query.Keys("key150", "key160"), columnfamily.BufferSize(3)))
	})
	equal(t, "key150..key160 buffer 3", n, int64(6))

	cols := columnfamily.Cols{}
	for i := 100; i < 300; i++ {
		cols[fmt.Sprint(i)] = "v"
	}
	must(cf.Insert(bg, "wide", cols))(t)
	for _, c := range []struct {
		count, buf int
		reqs       int64
		cols       int
	}{
		{100, 10, 11, 100}, {100, 200, 1, 100}, {query.Unlimited, 77, 3, 200}, {10000, 7, 34, 200},
	} {
		var got []columnfamily.Column
		n := requests(e.pool, func() {
			got = collect(t, cf.XGet(bg, "wide", query.Select{}.PerPartitionLimit(c.count), columnfamily.BufferSize(c.buf)))
		})
		if n != c.reqs || len(got) != c.cols {
			t.Errorf("xget count %d buffer %d: %d requests, %d columns; want %d, %d",
				c.count, c.buf, n, len(got), c.reqs, c.cols)
		}
	}
}

// TestCFPagingProperty writes random rows (some deleted, some wide) and
// checks that GetRange and XGet return, page by page with random page
// sizes and limits, exactly what one large read returns.
func TestCFPagingProperty(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 4; round++ {
		noErr(t, cf.Truncate(bg))
		nrows := 1 + rng.IntN(60)
		var rows []columnfamily.RowValues
		for i := 0; i < nrows; i++ {
			cols := columnfamily.Cols{}
			for j := rng.IntN(30); j >= 0; j-- {
				cols[fmt.Sprintf("c%03d", rng.IntN(500))] = fmt.Sprint(j)
			}
			rows = append(rows, columnfamily.RowValues{Key: fmt.Sprintf("r%04d", rng.IntN(10000)), Values: cols})
		}
		must(cf.BatchInsert(bg, rows))(t)
		for _, r := range rows {
			if rng.IntN(5) == 0 {
				must(cf.Remove(bg, r.Key, query.Select{}))(t)
			}
		}
		full := collect(t, cf.GetRange(bg, query.Select{}.PerPartitionLimit(1000), columnfamily.BufferSize(100000)))
		fullKept := collect(t, cf.GetRange(bg, query.Select{}.PerPartitionLimit(1000), columnfamily.BufferSize(100000), columnfamily.KeepEmpty()))
		for trial := 0; trial < 8; trial++ {
			buf := 1 + rng.IntN(12)
			got := collect(t, cf.GetRange(bg, query.Select{}.PerPartitionLimit(1000), columnfamily.BufferSize(buf)))
			if !reflect.DeepEqual(got, full) {
				t.Fatalf("round %d buffer %d: paged range differs (%d rows, want %d)", round, buf, len(got), len(full))
			}
			kept := collect(t, cf.GetRange(bg, query.Select{}.PerPartitionLimit(1000), columnfamily.BufferSize(buf), columnfamily.KeepEmpty()))
			if !reflect.DeepEqual(kept, fullKept) {
				t.Fatalf("round %d buffer %d: paged range with empty rows differs", round, buf)
			}
			limit := rng.IntN(len(full) + 2)
			q := query.Select{}.PerPartitionLimit(1000)
			if limit > 0 {
				q = q.Limit(limit)
			}
			got = collect(t, cf.GetRange(bg, q, columnfamily.BufferSize(buf)))
			want := full
			if limit > 0 && limit < len(full) {
				want = full[:limit]
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d buffer %d row count %d: %d rows, want %d", round, buf, limit, len(got), len(want))
			}
			if len(full) == 0 {
				continue
			}
			r := full[rng.IntN(len(full))]
			reversed := rng.IntN(2) == 0
			cq := query.Select{}
			wantCols := append([]columnfamily.Column(nil), r.Columns...)
			if reversed {
				cq = cq.Reversed()
				for i, j := 0, len(wantCols)-1; i < j; i, j = i+1, j-1 {
					wantCols[i], wantCols[j] = wantCols[j], wantCols[i]
				}
			}
			if n := rng.IntN(len(wantCols) + 2); n > 0 {
				cq = cq.PerPartitionLimit(n)
				wantCols = wantCols[:min(n, len(wantCols))]
			}
			cols := collect(t, cf.XGet(bg, r.Key, cq, columnfamily.BufferSize(buf)))
			if !reflect.DeepEqual(cols, wantCols) {
				t.Fatalf("round %d xget %v buffer %d reversed %v: %v, want %v", round, r.Key, buf, reversed, names(cols), names(wantCols))
			}
		}
	}
}

// TestCFPagingHashed pages over rows in token order under the hashing
// partitioners, whole and between tokens.
func TestCFPagingHashed(t *testing.T) {
	for _, part := range []string{"Murmur3Partitioner", "RandomPartitioner"} {
		e := newEnvOn(t, part)
		cf := e.cf(t, "Std")
		rangeFixture(t, cf)
		full := collect(t, cf.GetRange(bg, query.Select{}, columnfamily.BufferSize(1000)))
		equal(t, part+" rows", len(full), 201)
		for _, buf := range []int{1, 2, 7, 100} {
			got := collect(t, cf.GetRange(bg, query.Select{}, columnfamily.BufferSize(buf)))
			if !reflect.DeepEqual(got, full) {
				t.Fatalf("%s buffer %d: paged rows differ", part, buf)
			}
			got = collect(t, cf.GetRange(bg, query.Select{}.Limit(50), columnfamily.BufferSize(buf)))
			if !reflect.DeepEqual(got, full[:50]) {
				t.Fatalf("%s buffer %d row count 50: paged rows differ", part, buf)
			}
		}
	}
}

// TestCFPagingRequestsGhostsAndIndex checks the remaining recorded page
// sequences: an empty row sorted first is skipped and not counted (pages
// of 5 then 2), and get_indexed_slices over 200 matching rows.
func TestCFPagingRequestsGhostsAndIndex(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	for i := 0; i < 10; i++ {
		must(cf.Insert(bg, fmt.Sprintf("k%d", i), columnfamily.Cols{"c": "v"}))(t)
	}
	must(cf.Remove(bg, "k0", query.Select{}))(t)
	var rows []columnfamily.Row
	n := requests(e.pool, func() {
		rows = collect(t, cf.GetRange(bg, query.Select{}.Limit(5), columnfamily.BufferSize(5)))
	})
	equal(t, "ghost first: rows", keysOf(rows), sprintfRange("k%d", 1, 5))
	equal(t, "ghost first: requests", n, int64(2))

	ix := e.cf(t, "Indexed")
	var batch []columnfamily.RowValues
	for i := 0; i < 200; i++ {
		batch = append(batch, columnfamily.RowValues{Key: fmt.Sprintf("key%03d", i), Values: columnfamily.Cols{"birthdate": 1}})
	}
	must(ix.BatchInsert(bg, batch))(t)
	eq1 := query.Where("birthdate").Eq(1)
	for _, c := range []struct {
		count, buf int
		reqs       int64
		rows       int
	}{
		{10, 2, 9, 10}, {10, 10, 1, 10}, {10, 77, 1, 10}, {10, 200, 1, 10}, {10, 1000, 1, 10},
		{250, 2, 200, 200}, {250, 10, 23, 200}, {250, 77, 3, 200}, {250, 200, 2, 200}, {250, 1000, 1, 200},
	} {
		var got []columnfamily.Row
		n := requests(e.pool, func() {
			got = collect(t, ix.GetIndexedSlices(bg, eq1.Limit(c.count), columnfamily.BufferSize(c.buf)))
		})
		if n != c.reqs || len(got) != c.rows {
			t.Errorf("index count %d buffer %d: %d requests, %d rows; want %d, %d", c.count, c.buf, n, len(got), c.reqs, c.rows)
		}
	}
}

// TestCFTokenRangeMurmur3 reads the rows between two Murmur3 tokens
// (decimal), start exclusive and finish inclusive, paged.
func TestCFTokenRangeMurmur3(t *testing.T) {
	e := newEnvOn(t, "Murmur3Partitioner")
	cf := e.cf(t, "Std")
	rangeFixture(t, cf)
	full := collect(t, cf.GetRange(bg, query.Select{}, columnfamily.BufferSize(1000)))
	p, err := partitioner.ByName("Murmur3Partitioner")
	noErr(t, err)
	lo := p.Token([]byte(full[40].Key.(string))).String()
	hi := p.Token([]byte(full[150].Key.(string))).String()
	for _, buf := range []int{2, 7, 1000} {
		got := collect(t, cf.GetRange(bg, query.Tokens(lo, hi), columnfamily.BufferSize(buf)))
		if !reflect.DeepEqual(keysOf(got), keysOf(full[41:151])) {
			t.Fatalf("buffer %d: %d rows, want rows 41..150 (%d)", buf, len(got), 110)
		}
	}
}
