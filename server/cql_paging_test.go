package server_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/server"
)

// Paging over TCP, as 3.11's QueryPagers do it: for random tables, page
// sizes, limits and query shapes, the pages joined are the rows of one
// unpaged read, which are the rows a model of the table predicts; the
// paging state resumes on another session (other connections); a read
// resumed after deletes continues strictly after the last row it
// returned; LIMIT and PER PARTITION LIMIT hold across pages.

// pagingTable is a random table and the model of its contents.
type pagingTable struct {
	name       string
	clustering int  // 0, 1 (c1 int) or 2 (c1 int, c2 text)
	desc       bool // c1 DESC
	static     bool
	parts      map[int]*modelPartition
}

type modelPartition struct {
	static *int
	rows   [][]any // clustering values then v, in clustering order
}

func (pt *pagingTable) create(t *testing.T, s *gocql.Session) {
	t.Helper()
	cols := "k int, v text"
	key := "k"
	switch pt.clustering {
	case 1:
		cols += ", c1 int"
		key += ", c1"
	case 2:
		cols += ", c1 int, c2 text"
		key += ", c1, c2"
	}
	if pt.static {
		cols += ", s int static"
	}
	stmt := fmt.Sprintf("CREATE TABLE %s (%s, PRIMARY KEY (%s))", pt.name, cols, key)
	if pt.desc {
		stmt += " WITH CLUSTERING ORDER BY (c1 DESC)"
	}
	mustExec(t, s, stmt)
}

// columns are the selected columns: k, the clustering columns, s, v.
func (pt *pagingTable) columns() string {
	c := "k"
	if pt.clustering >= 1 {
		c += ", c1"
	}
	if pt.clustering == 2 {
		c += ", c2"
	}
	if pt.static {
		c += ", s"
	}
	return c + ", v"
}

// compareRows orders two rows of a partition by the clustering order.
func (pt *pagingTable) compareRows(a, b []any) int {
	if pt.clustering == 0 {
		return 0
	}
	c := cmp.Compare(a[0].(int), b[0].(int))
	if pt.desc {
		c = -c
	}
	if c == 0 && pt.clustering == 2 {
		c = cmp.Compare(a[1].(string), b[1].(string))
	}
	return c
}

// fill writes random partitions and then random deletions, keeping the
// model in step.
func (pt *pagingTable) fill(t *testing.T, s *gocql.Session, r *rand.Rand) {
	t.Helper()
	pt.parts = map[int]*modelPartition{}
	b := s.Batch(gocql.UnloggedBatch)
	flush := func() {
		if b.Size() > 0 {
			if err := b.Exec(); err != nil {
				t.Fatal(err)
			}
			b = s.Batch(gocql.UnloggedBatch)
		}
	}
	for n := r.IntN(25); n > 0; n-- {
		k := r.IntN(2000) - 1000
		if pt.parts[k] != nil {
			continue
		}
		p := &modelPartition{}
		pt.parts[k] = p
		if pt.static && r.IntN(3) > 0 {
			sv := r.IntN(100)
			p.static = &sv
			b.Query(fmt.Sprintf("UPDATE %s SET s = ? WHERE k = ?", pt.name), sv, k)
		}
		rows := 1
		if pt.clustering > 0 {
			rows = r.IntN(20)
		}
		seen := map[string]bool{}
		for i := 0; i < rows; i++ {
			row := []any{}
			cols, marks := "k, v", "?, ?"
			args := []any{k}
			if pt.clustering >= 1 {
				row = append(row, r.IntN(50))
				cols, marks = cols+", c1", marks+", ?"
			}
			if pt.clustering == 2 {
				row = append(row, string(rune('a'+r.IntN(5))))
				cols, marks = cols+", c2", marks+", ?"
			}
			id := fmt.Sprint(row)
			if seen[id] {
				continue
			}
			seen[id] = true
			v := fmt.Sprintf("v%d.%s", k, strings.Trim(id, "[]"))
			args = append(args, v)
			args = append(args, row...)
			b.Query(fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", pt.name, cols, marks), args...)
			p.rows = append(p.rows, append(row, v))
		}
		slices.SortFunc(p.rows, pt.compareRows)
		if b.Size() > 40 {
			flush()
		}
	}
	flush()
	// Deletions: whole partitions, single rows, clustering ranges.
	for k, p := range pt.parts {
		switch r.IntN(6) {
		case 0:
			mustExec(t, s, fmt.Sprintf("DELETE FROM %s WHERE k = ?", pt.name), k)
			delete(pt.parts, k)
		case 1:
			if len(p.rows) > 0 && pt.clustering > 0 {
				row := p.rows[r.IntN(len(p.rows))]
				if pt.clustering == 1 {
					mustExec(t, s, fmt.Sprintf("DELETE FROM %s WHERE k = ? AND c1 = ?", pt.name), k, row[0])
				} else {
					mustExec(t, s, fmt.Sprintf("DELETE FROM %s WHERE k = ? AND c1 = ? AND c2 = ?", pt.name), k, row[0], row[1])
				}
				p.rows = slices.DeleteFunc(p.rows, func(x []any) bool { return pt.compareRows(x, row) == 0 })
			}
		case 2:
			if pt.clustering > 0 {
				lo := r.IntN(50)
				mustExec(t, s, fmt.Sprintf("DELETE FROM %s WHERE k = ? AND c1 > ? AND c1 < ?", pt.name), k, lo, lo+10)
				p.rows = slices.DeleteFunc(p.rows, func(x []any) bool { return x[0].(int) > lo && x[0].(int) < lo+10 })
			}
		}
	}
}

// pagingQuery is one read and what the model says it returns.
type pagingQuery struct {
	stmt string
	args []any
	want [][]any
}

// rowsOf returns partition k's result rows (k, clustering, s, v) as a
// read without clustering restriction sees them: a partition with only a
// static row reads as one row of nulls (SelectStatement.processPartition).
func (pt *pagingTable) rowsOf(k int, keep func([]any) bool, perPartition int) [][]any {
	p := pt.parts[k]
	if p == nil {
		return nil
	}
	var out [][]any
	emit := func(clust []any, v string) {
		row := append([]any{k}, clust...)
		if pt.static {
			sv := 0
			if p.static != nil {
				sv = *p.static
			}
			row = append(row, sv)
		}
		out = append(out, append(row, v))
	}
	for _, r := range p.rows {
		if keep != nil && !keep(r) {
			continue
		}
		if perPartition > 0 && len(out) == perPartition {
			break
		}
		emit(r[:len(r)-1], r[len(r)-1].(string))
	}
	if len(p.rows) == 0 && p.static != nil && keep == nil {
		zero := []any{}
		if pt.clustering >= 1 {
			zero = append(zero, 0)
		}
		if pt.clustering == 2 {
			zero = append(zero, "")
		}
		emit(zero, "")
	}
	return out
}

func limited(rows [][]any, limit int) [][]any {
	if limit > 0 && len(rows) > limit {
		return rows[:limit]
	}
	return rows
}

// queries builds the reads to check on pt, with their expected rows.
func (pt *pagingTable) queries(r *rand.Rand) []pagingQuery {
	var keys []int
	for k := range pt.parts {
		keys = append(keys, k)
	}
	byToken := tokenOrder(keys...)
	sel := "SELECT " + pt.columns() + " FROM " + pt.name
	var qs []pagingQuery
	for _, limit := range []int{0, 1 + r.IntN(30)} {
		lim := ""
		if limit > 0 {
			lim = fmt.Sprintf(" LIMIT %d", limit)
		}
		var all [][]any
		for _, k := range byToken {
			all = append(all, pt.rowsOf(k, nil, 0)...)
		}
		qs = append(qs, pagingQuery{stmt: sel + lim, want: limited(all, limit)})
		if pt.clustering > 0 {
			var ppl [][]any
			for _, k := range byToken {
				ppl = append(ppl, pt.rowsOf(k, nil, 2)...)
			}
			qs = append(qs, pagingQuery{stmt: sel + " PER PARTITION LIMIT 2" + lim, want: limited(ppl, limit)})
		}
		var distinct [][]any
		for _, k := range byToken {
			if len(pt.rowsOf(k, nil, 0)) > 0 {
				distinct = append(distinct, []any{k})
			}
		}
		qs = append(qs, pagingQuery{stmt: "SELECT DISTINCT k FROM " + pt.name + lim, want: limited(distinct, limit)})
		if len(keys) == 0 {
			continue
		}
		k := keys[r.IntN(len(keys))]
		qs = append(qs, pagingQuery{stmt: sel + " WHERE k = ?" + lim, args: []any{k}, want: limited(pt.rowsOf(k, nil, 0), limit)})
		in := []int{keys[r.IntN(len(keys))], keys[r.IntN(len(keys))], 1 << 20}
		sorted := slices.Sorted(slices.Values(in))
		sorted = slices.Compact(sorted)
		var inRows [][]any
		for _, k := range sorted {
			inRows = append(inRows, pt.rowsOf(k, nil, 0)...)
		}
		qs = append(qs, pagingQuery{stmt: sel + " WHERE k IN ?" + lim, args: []any{in}, want: limited(inRows, limit)})
		if pt.clustering > 0 {
			lo := r.IntN(40)
			keep := func(x []any) bool { return x[0].(int) >= lo }
			qs = append(qs, pagingQuery{stmt: sel + " WHERE k = ? AND c1 >= ?" + lim, args: []any{k, lo}, want: limited(pt.rowsOf(k, keep, 0), limit)})
			var filtered [][]any
			for _, k := range byToken {
				filtered = append(filtered, pt.rowsOf(k, keep, 0)...)
			}
			qs = append(qs, pagingQuery{stmt: sel + " WHERE c1 >= ?" + lim + " ALLOW FILTERING", args: []any{lo}, want: limited(filtered, limit)})
		}
	}
	return qs
}

// readPages reads q in pages of pageSize, each page on the next of
// sessions in turn, and returns the rows of all pages and the page count.
func readPages(t *testing.T, sessions []*gocql.Session, pageSize int, stmt string, args ...any) ([][]any, int) {
	t.Helper()
	var out [][]any
	var state []byte
	for page := 0; ; page++ {
		iter := sessions[page%len(sessions)].Query(stmt, args...).PageSize(pageSize).PageState(state).Iter()
		state = iter.PageState()
		_, rows := iterRows(t, iter, stmt)
		if len(rows) > pageSize {
			t.Fatalf("%s: page %d has %d rows, page size %d", stmt, page, len(rows), pageSize)
		}
		out = append(out, rows...)
		if len(state) == 0 {
			return out, page + 1
		}
		if page > 100000 {
			t.Fatalf("%s: does not end", stmt)
		}
	}
}

func TestCQLPagingRandomTables(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "pg")
	other := connect(t, srv, "pg")
	sessions := []*gocql.Session{s, other}
	r := rand.New(rand.NewPCG(14, 2026))
	tables := 8
	if testing.Short() {
		tables = 3
	}
	for i := 0; i < tables; i++ {
		pt := &pagingTable{name: fmt.Sprintf("t%d", i), clustering: i % 3, desc: i%2 == 1 && i%3 > 0, static: i%3 > 0 && i%4 != 3}
		pt.create(t, s)
		pt.fill(t, s, r)
		for _, q := range pt.queries(r) {
			_, unpaged := iterRows(t, s.Query(q.stmt, q.args...).PageSize(0).Iter(), q.stmt)
			if !reflect.DeepEqual(unpaged, q.want) && len(unpaged)+len(q.want) > 0 {
				t.Errorf("%s %v %v: unpaged read\n got %v\nwant %v", pt.name, q.stmt, q.args, unpaged, q.want)
				continue
			}
			// Pages of one row cost a round trip each: for short results.
			sizes := []int{7 + r.IntN(20), 5000}
			if len(q.want) <= 100 {
				sizes = append(sizes, 2+r.IntN(2))
			}
			if len(q.want) <= 30 {
				sizes = append(sizes, 1)
			}
			for _, size := range sizes {
				got, pages := readPages(t, sessions, size, q.stmt, q.args...)
				if !reflect.DeepEqual(got, q.want) && len(got)+len(q.want) > 0 {
					t.Errorf("%s %v %v: pages of %d\n got %v\nwant %v", pt.name, q.stmt, q.args, size, got, q.want)
				}
				if min := (len(q.want) + size - 1) / size; pages < min || pages > min+1 {
					t.Errorf("%s %v: %d rows in pages of %d took %d pages", pt.name, q.stmt, len(q.want), size, pages)
				}
			}
		}
	}
}

// A read resumed after rows and partitions around its position were
// deleted continues strictly after the last row it returned and skips
// what is gone (the paging state names that row's partition key and
// clustering, as 3.11's PagingState does, not a position).
func TestCQLPagingAfterDeletes(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "pd")
	mustExec(t, s, "CREATE TABLE t (k int, c int, v int, PRIMARY KEY (k, c))")
	b := s.Batch(gocql.UnloggedBatch)
	for k := 0; k < 6; k++ {
		for c := 0; c < 10; c++ {
			b.Query("INSERT INTO t (k, c, v) VALUES (?, ?, ?)", k, c, 10*k+c)
		}
	}
	if err := b.Exec(); err != nil {
		t.Fatal(err)
	}
	_, before := selectRows(t, s, "SELECT k, c FROM t")
	const q = "SELECT k, c FROM t"
	iter := s.Query(q).PageSize(15).PageState(nil).Iter()
	state := iter.PageState()
	_, first := iterRows(t, iter, q)
	last := first[len(first)-1] // the 5th row of the second partition
	lastK, lastC := last[0].(int), last[1].(int)
	// Delete the row last returned, the one after it, and the whole next
	// partition; insert a row before the position (not to be seen) and
	// one after it (to be seen).
	nextK := before[len(first)+10][0].(int)
	mustExec(t, s, "DELETE FROM t WHERE k = ? AND c = ?", lastK, lastC)
	mustExec(t, s, "DELETE FROM t WHERE k = ? AND c = ?", lastK, lastC+1)
	mustExec(t, s, "DELETE FROM t WHERE k = ?", nextK)
	mustExec(t, s, "INSERT INTO t (k, c, v) VALUES (?, ?, 0)", lastK, lastC-1)
	mustExec(t, s, "INSERT INTO t (k, c, v) VALUES (?, ?, 0)", lastK, 42)
	var want [][]any
	for _, row := range before[len(first):] {
		if row[0] == lastK && row[1] == lastC+1 || row[0] == nextK {
			continue
		}
		want = append(want, row)
		if row[0] == lastK && row[1] == 9 {
			want = append(want, []any{lastK, 42})
		}
	}
	other := connect(t, srv, "pd")
	var rest [][]any
	for len(state) > 0 {
		iter := other.Query(q).PageSize(15).PageState(state).Iter()
		state = iter.PageState()
		_, rows := iterRows(t, iter, q)
		rest = append(rest, rows...)
	}
	if !reflect.DeepEqual(rest, want) {
		t.Errorf("after deletes:\n got %v\nwant %v", rest, want)
	}

	// The same inside one partition, reversed.
	const rq = "SELECT c FROM t WHERE k = ? ORDER BY c DESC"
	k := before[0][0].(int)
	iter = s.Query(rq, k).PageSize(4).PageState(nil).Iter()
	state = iter.PageState()
	_, first = iterRows(t, iter, rq)
	if !reflect.DeepEqual(first, [][]any{{9}, {8}, {7}, {6}}) {
		t.Fatalf("first page: %v", first)
	}
	mustExec(t, s, "DELETE FROM t WHERE k = ? AND c >= 4 AND c <= 6", k)
	iter = other.Query(rq, k).PageSize(4).PageState(state).Iter()
	_, rows := iterRows(t, iter, rq)
	if !reflect.DeepEqual(rows, [][]any{{3}, {2}, {1}, {0}}) {
		t.Errorf("reversed after a range deletion: %v", rows)
	}
}

// A paging state belongs to its query: 3.11 does not check it, but it must
// not crash the server or read another table's rows; garbage is refused.
func TestCQLPagingStateGarbage(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "pg")
	mustExec(t, s, "CREATE TABLE t (k int PRIMARY KEY, v int)")
	for k := 0; k < 10; k++ {
		mustExec(t, s, "INSERT INTO t (k, v) VALUES (?, ?)", k, k)
	}
	err := s.Query("SELECT k FROM t").PageSize(2).PageState([]byte{0xde, 0xad, 0xbe, 0xef}).Exec()
	if re := requestError(t, err); re.Code() != 0x000A {
		t.Errorf("garbage paging state: %#x %q", re.Code(), re.Message())
	}
	if _, rows := selectRows(t, s, "SELECT k FROM t"); len(rows) != 10 {
		t.Errorf("the server is still fine: %d rows", len(rows))
	}
}

// Protocol v3 (gocql pinned to it) runs the same statements: prepared
// writes and reads, batches and paging, with v3's paging state.
func TestCQLProtocolV3(t *testing.T) {
	srv := startCQL(t, server.Config{})
	newKeyspace(t, srv, "v3").Close()
	c := clusterFor(t, srv)
	c.ProtoVersion = 3
	c.Keyspace = "v3"
	s, err := c.CreateSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustExec(t, s, "CREATE TABLE t (k int, c int, v text, PRIMARY KEY (k, c))")
	b := s.Batch(gocql.UnloggedBatch)
	for i := 0; i < 25; i++ {
		b.Query("INSERT INTO t (k, c, v) VALUES (?, ?, ?)", i%3, i, fmt.Sprint("v", i))
	}
	if err := b.Exec(); err != nil {
		t.Fatal(err)
	}
	_, unpaged := iterRows(t, s.Query("SELECT k, c, v FROM t").PageSize(0).Iter(), "unpaged")
	got, pages := readPages(t, []*gocql.Session{s}, 4, "SELECT k, c, v FROM t")
	if len(unpaged) != 25 || !reflect.DeepEqual(got, unpaged) || pages < 7 {
		t.Errorf("v3 paging: %d rows in %d pages, unpaged %d", len(got), pages, len(unpaged))
	}
	mustRows(t, s, [][]any{{"v24"}}, "SELECT v FROM t WHERE k = ? AND c = ?", 0, 24)
}

// A paging state carries no partition key for a query of one partition:
// 3.11's SinglePartitionPager writes PagingState(null, rowMark, ...) and
// resumes by the row mark alone, so the state of one partition's query
// resumes the same statement for another partition after that row. A
// query of several partitions (MultiPartitionPager) resumes in the state's
// partition, and reads nothing when that partition is not among its keys.
func TestCQLPagingStateOfOnePartition(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "pg1")
	mustExec(t, s, "CREATE TABLE t (k text, c int, v int, PRIMARY KEY (k, c))")
	for _, k := range []string{"ann", "bob"} {
		for c := 0; c < 6; c++ {
			mustExec(t, s, "INSERT INTO t (k, c, v) VALUES (?, ?, ?)", k, c, c)
		}
	}
	const q = "SELECT c FROM t WHERE k = ?"
	iter := s.Query(q, "ann").PageSize(2).Iter()
	state := iter.PageState()
	if err := iter.Close(); err != nil {
		t.Fatal(err)
	}
	if len(state) == 0 || state[0] != 0 {
		t.Fatalf("state %x: want an empty partition key first", state)
	}
	// gocql reads one page when given a state.
	iter = s.Query(q, "bob").PageSize(2).PageState(state).Iter()
	_, rows := iterRows(t, iter, "bob after ann's page")
	if !reflect.DeepEqual(rows, [][]any{{2}, {3}}) || len(iter.PageState()) == 0 {
		t.Errorf("another partition resumed by the row mark: %v, state %x", rows, iter.PageState())
	}

	const in = "SELECT k, c FROM t WHERE k IN ?"
	iter = s.Query(in, []string{"ann", "bob"}).PageSize(3).Iter()
	state = iter.PageState()
	if err := iter.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(state), "ann") {
		t.Fatalf("IN state %x does not name its partition", state)
	}
	iter = s.Query(in, []string{"bob", "cid"}).PageSize(3).PageState(state).Iter()
	_, rows = iterRows(t, iter, "IN of other partitions")
	if len(rows) != 0 || len(iter.PageState()) != 0 {
		t.Errorf("IN resumed in a partition it does not read: %v, state %x", rows, iter.PageState())
	}
}

// When a page ends, 3.11 announces more pages unless its pager is
// exhausted. A pager over named partitions is exhausted when the last of
// them is done: its static row was read, or its PER PARTITION LIMIT is
// reached (AbstractQueryPager sets remainingInPartition to 0,
// SinglePartitionPager and MultiPartitionPager then report exhaustion).
// A range read and a GROUP BY page filled by the last group still
// announce a page, which comes empty.
func TestCQLPagingExhaustion(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "pgx")
	mustExec(t, s, "CREATE TABLE t (k text, c int, v int, s text static, PRIMARY KEY (k, c))")
	for c := 0; c < 3; c++ {
		mustExec(t, s, "INSERT INTO t (k, c, v) VALUES ('a', ?, ?)", c, c)
		mustExec(t, s, "INSERT INTO t (k, c, v) VALUES ('b', ?, ?)", c, c)
	}
	mustExec(t, s, "INSERT INTO t (k, s) VALUES ('z', 'static only')")
	pages := func(size int, q string) []int {
		var n []int
		var state []byte
		for len(n) < 20 {
			iter := s.Query(q).PageSize(size).PageState(state).Iter()
			_, rows := iterRows(t, iter, q)
			n = append(n, len(rows))
			if state = iter.PageState(); len(state) == 0 {
				return n
			}
		}
		t.Fatalf("%s: paging does not end", q)
		return nil
	}
	for _, tc := range []struct {
		q    string
		size int
		want []int
	}{
		{"SELECT * FROM t WHERE k IN ('a', 'z')", 2, []int{2, 2}},
		{"SELECT * FROM t WHERE k IN ('a', 'b') PER PARTITION LIMIT 2", 2, []int{2, 2}},
		{"SELECT * FROM t WHERE k IN ('a', 'b')", 3, []int{3, 3, 0}},
		{"SELECT * FROM t WHERE k = 'a' PER PARTITION LIMIT 2", 2, []int{2}},
		{"SELECT * FROM t WHERE k = 'z'", 1, []int{1}},
		{"SELECT k, c FROM t WHERE k = 'a' GROUP BY c", 3, []int{3, 0}},
		{"SELECT k, count(*) FROM t WHERE k IN ('a', 'b') GROUP BY k", 2, []int{2, 0}},
	} {
		if got := pages(tc.size, tc.q); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s, pages of %d: %v rows a page, want %v", tc.q, tc.size, got, tc.want)
		}
	}
}
