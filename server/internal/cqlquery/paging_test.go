package cqlquery

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// pages runs a statement page by page, each page a fresh Execute as a
// driver on another connection would send it, and returns the rows of
// every page and the page count.
func (f *fixture) pages(cql string, pageSize int, args ...any) ([]string, int) {
	f.t.Helper()
	s, err := f.prepare(cql)
	if err != nil {
		f.t.Fatalf("%s: %v", cql, err)
	}
	var out []string
	var state []byte
	for n := 1; ; n++ {
		r, err := s.Execute(context.Background(), f.env, Options{Values: values(f.t, s, args), Consistency: clOne,
			PageSize: pageSize, PagingState: state})
		if err != nil {
			f.t.Fatalf("%s page %d: %v", cql, n, err)
		}
		if len(r.Rows) > pageSize {
			f.t.Fatalf("%s: page of %d rows for page size %d", cql, len(r.Rows), pageSize)
		}
		for _, row := range (&Result{Columns: r.Columns, Rows: r.Rows}).Rows {
			out = append(out, rows(&Result{Columns: r.Columns, Rows: [][][]byte{row}}))
		}
		if r.PagingState == nil {
			return out, n
		}
		if len(r.Rows) < pageSize && pageSize > 0 {
			f.t.Fatalf("%s: a short page (%d of %d) with more pages", cql, len(r.Rows), pageSize)
		}
		state = r.PagingState
		if n > 100000 {
			f.t.Fatal("too many pages")
		}
	}
}

func (f *fixture) all(cql string, args ...any) []string {
	f.t.Helper()
	s := f.query(cql, args...)
	if s == "" {
		return nil
	}
	return strings.Split(s, " | ")
}

func sameRows(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Pages joined equal one read, for random tables, page sizes, limits,
// per partition limits, orders, token ranges, filters and DISTINCT.
func TestPagingProperties(t *testing.T) {
	for seed := int64(1); seed <= 12; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewSource(seed))
			f := newFixture(t)
			order := "ASC"
			if rng.Intn(2) == 0 {
				order = "DESC"
			}
			f.ddl("CREATE TABLE t (k int, a int, b int, v int, s int static, PRIMARY KEY (k, a, b)) WITH CLUSTERING ORDER BY (a " + order + ", b ASC)")
			nk := 1 + rng.Intn(8)
			for k := 0; k < nk; k++ {
				if rng.Intn(4) == 0 {
					f.exec("INSERT INTO t (k, s) VALUES (?, ?)", k, k)
				}
				for i := rng.Intn(12); i > 0; i-- {
					f.exec("INSERT INTO t (k, a, b, v) VALUES (?, ?, ?, ?)", k, rng.Intn(5), rng.Intn(5), rng.Intn(10))
				}
			}
			queries := []string{
				"SELECT * FROM t",
				"SELECT k, a, b, v FROM t WHERE k = 1",
				"SELECT * FROM t WHERE k IN (0, 2, 3, 1)",
				"SELECT * FROM t WHERE k = 2 AND a >= 1 AND a < 4",
				map[string]string{"ASC": "SELECT * FROM t WHERE k = 2 ORDER BY a DESC, b DESC",
					"DESC": "SELECT * FROM t WHERE k = 2 ORDER BY a ASC, b DESC"}[order],
				"SELECT * FROM t WHERE k = 2 ORDER BY a ASC",
				"SELECT * FROM t WHERE k = 3 AND (a, b) > (1, 2)",
				"SELECT * FROM t WHERE token(k) > -3000000000000000000",
				"SELECT * FROM t WHERE token(k) >= -5000000000000000000 AND token(k) < 4000000000000000000",
				"SELECT * FROM t WHERE v > 4 ALLOW FILTERING",
				"SELECT * FROM t WHERE k = 1 AND b = 2 ALLOW FILTERING",
				"SELECT * FROM t PER PARTITION LIMIT 2",
				"SELECT * FROM t WHERE k IN (1, 2) PER PARTITION LIMIT 3",
				"SELECT DISTINCT k, s FROM t",
				"SELECT DISTINCT k FROM t WHERE token(k) > 0",
				"SELECT * FROM t WHERE a IN (1, 3) AND k = 1",
			}
			for _, q := range queries {
				for _, limit := range []int{0, 1, 3, 7, 1000} {
					qq := q
					if limit > 0 {
						qq += fmt.Sprintf(" LIMIT %d", limit)
					}
					if strings.Contains(qq, "ALLOW FILTERING") && limit > 0 {
						qq = strings.Replace(q, " ALLOW FILTERING", "", 1) + fmt.Sprintf(" LIMIT %d ALLOW FILTERING", limit)
					}
					want := f.all(qq)
					for _, ps := range []int{1, 2, 3, 5, 10, 100} {
						got, n := f.pages(qq, ps)
						if !sameRows(got, want) {
							t.Errorf("%s, page size %d:\n got %q\nwant %q", qq, ps, got, want)
						}
						// 3.11 pages when the limit is above the page size; a
						// full last page still announces more pages, unless
						// the query names its partitions and the last one is
						// done: its static row, or its PER PARTITION LIMIT
						// reached (SinglePartitionPager and
						// MultiPartitionPager are then exhausted).
						paged := limit == 0 || limit > ps
						keyed := strings.Contains(qq, "WHERE k = 1") || strings.Contains(qq, "k IN (")
						if paged && !keyed && len(want) > 0 && len(want)%ps == 0 && (limit == 0 || len(want) < limit) && n != len(want)/ps+1 {
							t.Errorf("%s, page size %d: %d pages for %d rows", qq, ps, n, len(want))
						}
					}
				}
			}
		})
	}
}

// A paged read resumes after deletes: the pages after the delete hold the
// rows still alive that come after the last row returned.
func TestPagingResumesAfterDeletes(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewSource(seed))
		f := newFixture(t)
		f.ddl("CREATE TABLE t (k int, c int, v int, PRIMARY KEY (k, c))")
		for k := 0; k < 6; k++ {
			for c := 0; c < 6; c++ {
				f.exec("INSERT INTO t (k, c, v) VALUES (?, ?, 0)", k, c)
			}
		}
		for _, q := range []string{"SELECT k, c FROM t", "SELECT k, c FROM t WHERE k = 3", "SELECT k, c FROM t WHERE k IN (1, 2, 4)"} {
			full := f.all(q)
			ps := 1 + rng.Intn(7)
			s, _ := f.prepare(q)
			r, err := s.Execute(context.Background(), f.env, Options{Consistency: clOne, PageSize: ps})
			if err != nil {
				t.Fatal(err)
			}
			first := strings.Split(rows(r), " | ")
			// delete some rows, the last returned among them, and whole
			// partitions
			deleted := map[string]bool{}
			for i := 0; i < 6; i++ {
				k, c := rng.Intn(6), rng.Intn(6)
				f.exec("DELETE FROM t WHERE k = ? AND c = ?", k, c)
				deleted[fmt.Sprintf("%d %d", k, c)] = true
			}
			last := first[len(first)-1]
			var lk, lc int
			fmt.Sscan(last, &lk, &lc)
			f.exec("DELETE FROM t WHERE k = ? AND c = ?", lk, lc)
			deleted[last] = true
			var rest []string
			state := r.PagingState
			for state != nil {
				r, err = s.Execute(context.Background(), f.env, Options{Consistency: clOne, PageSize: ps, PagingState: state})
				if err != nil {
					t.Fatal(err)
				}
				if s := rows(r); s != "" {
					rest = append(rest, strings.Split(s, " | ")...)
				}
				state = r.PagingState
			}
			var want []string
			for _, row := range full[len(first):] {
				if !deleted[row] {
					want = append(want, row)
				}
			}
			if !sameRows(rest, want) {
				t.Errorf("seed %d %s page %d after %q:\n got %q\nwant %q", seed, q, ps, first, rest, want)
			}
			// restore
			for k := 0; k < 6; k++ {
				for c := 0; c < 6; c++ {
					f.exec("INSERT INTO t (k, c, v) VALUES (?, ?, 0)", k, c)
				}
			}
		}
	}
}

func TestPagingErrors(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int, c int, PRIMARY KEY (k, c))")
	f.exec("INSERT INTO t (k, c) VALUES (0, 0)")
	_, err := f.run(Options{PageSize: 10}, "SELECT * FROM t WHERE k IN (0, 1) ORDER BY c")
	checkErr(t, "IN + ORDER BY", err, CodeInvalid, "Cannot page queries with both ORDER BY and a IN restriction on the partition key; you must either remove the ORDER BY or the IN and sort client side, or disable paging for this query")
	f.expect("0 0", "SELECT * FROM t WHERE k IN (0, 1) ORDER BY c")
	_, err = f.run(Options{PageSize: 10, PagingState: []byte{1, 2, 3}}, "SELECT * FROM t")
	checkErr(t, "garbage state", err, CodeProtocol, "Invalid value for the paging state")
	// A LIMIT no larger than the page size answers unpaged, ignoring the state.
	r, err := f.run(Options{PageSize: 10, PagingState: []byte{1, 2, 3}}, "SELECT * FROM t LIMIT 5")
	if err != nil || r.PagingState != nil || len(r.Rows) != 1 {
		t.Errorf("LIMIT 5, page 10: %v %v", r, err)
	}
	// Aggregates are never paged.
	for i := 1; i < 30; i++ {
		f.exec("INSERT INTO t (k, c) VALUES (?, ?)", i%3, i)
	}
	r, err = f.run(Options{PageSize: 2}, "SELECT count(*) FROM t")
	if err != nil || r.PagingState != nil || rows(r) != "30" {
		t.Errorf("count paged: %q %v", rows(r), err)
	}
	if len(r.Warnings) != 1 || r.Warnings[0] != "Aggregation query used without partition key" {
		t.Errorf("warnings %q", r.Warnings)
	}
}
