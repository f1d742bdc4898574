package cqlquery

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// Secondary indexes kept as index tables (CassandraIndex): every target
// kind 3.11 supports, kept right under overwrite, deletion of cells, rows,
// ranges and partitions, TTL expiry and truncate, rebuilt when created on
// existing data, and always answering what a scan of a table without
// indexes answers (ALLOW FILTERING), in the same order and pages.

const indexedTable = `(k1 int, k2 int, c1 int, c2 text, s int static, v int, l list<int>, st set<int>,
	m map<int, int>, fl frozen<list<int>>, PRIMARY KEY ((k1, k2), c1, c2))`

// indexNames are the indexes of table t, one per target kind.
var indexNames = []string{"k1_idx", "c2_idx", "s_idx", "v_idx", "l_idx", "st_idx", "mk_idx", "mv_idx", "me_idx", "fl_idx"}

// newIndexFixture makes table t with an index of every kind and table o,
// its twin without indexes, the oracle.
func newIndexFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.ddl("CREATE TABLE t " + indexedTable)
	f.ddl("CREATE TABLE o " + indexedTable)
	for _, ix := range []string{
		"CREATE INDEX k1_idx ON t (k1)", "CREATE INDEX c2_idx ON t (c2)", "CREATE INDEX s_idx ON t (s)",
		"CREATE INDEX v_idx ON t (v)", "CREATE INDEX l_idx ON t (l)", "CREATE INDEX st_idx ON t (st)",
		"CREATE INDEX mk_idx ON t (keys(m))", "CREATE INDEX mv_idx ON t (values(m))",
		"CREATE INDEX me_idx ON t (entries(m))", "CREATE INDEX fl_idx ON t (full(fl))",
	} {
		f.ddl(ix)
	}
	return f
}

// both runs a write on the indexed table and on the oracle.
func (f *fixture) both(cql string, args ...any) {
	f.t.Helper()
	f.exec(strings.ReplaceAll(cql, "$t", "t"), args...)
	f.exec(strings.ReplaceAll(cql, "$t", "o"), args...)
}

// indexQueries are the WHERE clauses every index serves, with %d for
// small values.
var indexQueries = []string{
	"k1 = %d",
	"c2 = '%c'",
	"s = %d",
	"v = %d",
	"l CONTAINS %d",
	"st CONTAINS %d",
	"m CONTAINS KEY %d",
	"m CONTAINS %d",
	"m[%d] = %d",
	"fl = [%d, %d]",
	"v = %d AND c1 > %d ALLOW FILTERING",
	"k1 = %d AND k2 = %d AND v = %d",
	"v = %d AND s = %d ALLOW FILTERING",
	"m CONTAINS KEY %d AND st CONTAINS %d ALLOW FILTERING",
	"token(k1, k2) > %d AND v = %d",
	"c2 = '%c' AND c1 = %d ALLOW FILTERING",
}

// checkIndexQuery compares one index query on t with the same query
// scanning o, unpaged and paged.
func (f *fixture) checkIndexQuery(where string) {
	f.t.Helper()
	sel := "SELECT k1, k2, c1, c2, s, v, l, st, m, fl FROM %s WHERE " + where
	scan := fmt.Sprintf(sel, "o")
	if !strings.Contains(scan, "ALLOW FILTERING") {
		scan += " ALLOW FILTERING"
	}
	want := f.all(scan)
	got := f.all(fmt.Sprintf(sel, "t"))
	if !sameRows(got, want) {
		f.t.Errorf("%s\n got %q\nwant %q", where, got, want)
		return
	}
	for _, ps := range []int{1, 3} {
		paged, _ := f.pages(fmt.Sprintf(sel, "t"), ps)
		if !sameRows(paged, want) {
			f.t.Errorf("%s paged by %d\n got %q\nwant %q", where, ps, paged, want)
		}
	}
}

// fill renders an index query with values drawn from rng.
func fill(q string, rng *rand.Rand) string {
	var args []any
	for i := 0; i+1 < len(q); i++ {
		if q[i] != '%' {
			continue
		}
		switch q[i+1] {
		case 'd':
			args = append(args, rng.Intn(4))
		case 'c':
			args = append(args, 'a'+rune(rng.Intn(3)))
		}
	}
	return fmt.Sprintf(q, args...)
}

func TestIndexTargets(t *testing.T) {
	f := newIndexFixture(t)
	f.both("INSERT INTO $t (k1, k2, c1, c2, s, v, l, st, m, fl) VALUES (1, 1, 1, 'a', 7, 2, [1, 2, 2], {3}, {1: 2, 3: 4}, [1, 2])")
	f.both("INSERT INTO $t (k1, k2, c1, c2, v, l, st, m, fl) VALUES (1, 1, 2, 'b', 2, [2], {1, 3}, {3: 2}, [2, 1])")
	f.both("INSERT INTO $t (k1, k2, c1, c2, s, v) VALUES (1, 2, 1, 'a', 7, 3)")
	f.both("INSERT INTO $t (k1, k2, s) VALUES (2, 2, 9)") // statics only
	f.both("INSERT INTO $t (k1, k2, c1, c2) VALUES (2, 3, 0, 'c')")

	f.expect("1 1 1 a | 1 1 2 b", "SELECT k1, k2, c1, c2 FROM t WHERE v = 2")
	// Partitions in token order: (1, 2) comes before (1, 1).
	f.expect("1 2 1 a | 1 1 1 a | 1 1 2 b", "SELECT k1, k2, c1, c2 FROM t WHERE k1 = 1")
	f.expect("2 2 null null", "SELECT k1, k2, c1, c2 FROM t WHERE k1 = 2 AND k2 = 2 AND s = 9")
	f.expect("1 2 1 | 1 1 1 | 1 1 2", "SELECT k1, k2, c1 FROM t WHERE s = 7")
	f.expect("1 2 1 | 1 1 1", "SELECT k1, k2, c1 FROM t WHERE c2 = 'a'")
	f.expect("1 1 1 | 1 1 2", "SELECT k1, k2, c1 FROM t WHERE l CONTAINS 2")
	f.expect("1 1 2", "SELECT k1, k2, c1 FROM t WHERE st CONTAINS 1")
	f.expect("1 1 1 | 1 1 2", "SELECT k1, k2, c1 FROM t WHERE m CONTAINS KEY 3")
	f.expect("1 1 1 | 1 1 2", "SELECT k1, k2, c1 FROM t WHERE m CONTAINS 2")
	f.expect("1 1 2", "SELECT k1, k2, c1 FROM t WHERE m[3] = 2")
	f.expect("1 1 1", "SELECT k1, k2, c1 FROM t WHERE fl = [1, 2]")
	for _, q := range indexQueries {
		for i := 0; i < 6; i++ {
			f.checkIndexQuery(fill(q, rand.New(rand.NewSource(int64(i)))))
		}
	}
}

// TestIndexMaintenance follows the index entries themselves: writes take
// back the entries they invalidate, so the store's counts shrink, not only
// the answers.
func TestIndexMaintenance(t *testing.T) {
	f := newIndexFixture(t)
	tbl := f.schema.Current().Table("ks", "t")
	count := func(ix string, vals ...[]byte) int {
		t.Helper()
		n, err := f.store.IndexCount(f.schema.Current().Table("ks", "t"), ix, vals, 0)
		if err != nil {
			t.Fatalf("IndexCount(%s): %v", ix, err)
		}
		return n
	}
	i32 := func(v int) []byte { return pack32(v) }
	f.both("INSERT INTO $t (k1, k2, c1, c2, s, v, l, m) VALUES (0, 0, 0, 'a', 1, 5, [5, 6], {1: 5})")
	if n := count("v_idx", i32(5)); n != 1 {
		t.Fatalf("v_idx(5) = %d, want 1", n)
	}
	// Overwrite moves the entry.
	f.both("UPDATE $t SET v = 6 WHERE k1 = 0 AND k2 = 0 AND c1 = 0 AND c2 = 'a'")
	if a, b := count("v_idx", i32(5)), count("v_idx", i32(6)); a != 0 || b != 1 {
		t.Errorf("after overwrite: v_idx(5)=%d v_idx(6)=%d, want 0 1", a, b)
	}
	// A list overwrite (range tombstone plus cells) replaces its entries.
	f.both("UPDATE $t SET l = [7] WHERE k1 = 0 AND k2 = 0 AND c1 = 0 AND c2 = 'a'")
	if a, b := count("l_idx", i32(5)), count("l_idx", i32(7)); a != 0 || b != 1 {
		t.Errorf("after list overwrite: l_idx(5)=%d l_idx(7)=%d", a, b)
	}
	// Deleting a map element, a column.
	f.both("DELETE m[1] FROM $t WHERE k1 = 0 AND k2 = 0 AND c1 = 0 AND c2 = 'a'")
	if n := count("me_idx", i32(1), i32(5)) + count("mk_idx", i32(1)) + count("mv_idx", i32(5)); n != 0 {
		t.Errorf("after map element delete: %d entries left", n)
	}
	f.both("DELETE v FROM $t WHERE k1 = 0 AND k2 = 0 AND c1 = 0 AND c2 = 'a'")
	if n := count("v_idx", i32(6)); n != 0 {
		t.Errorf("after column delete: %d", n)
	}
	// The row still lives (marker): clustering and partition key entries stay.
	if a, b := count("c2_idx", []byte("a")), count("k1_idx", i32(0)); a != 1 || b != 1 {
		t.Errorf("c2_idx=%d k1_idx=%d, want 1 1", a, b)
	}
	// Row deletion takes the row's entries; the statics keep the partition's.
	f.both("DELETE FROM $t WHERE k1 = 0 AND k2 = 0 AND c1 = 0 AND c2 = 'a'")
	if a, b, c := count("c2_idx", []byte("a")), count("l_idx", i32(7)), count("s_idx", i32(1)); a != 0 || b != 0 || c != 1 {
		t.Errorf("after row delete: c2=%d l=%d s=%d, want 0 0 1", a, b, c)
	}
	// Range deletion.
	for c := 0; c < 5; c++ {
		f.both("INSERT INTO $t (k1, k2, c1, c2, v) VALUES (0, 0, ?, 'b', 9)", c)
	}
	f.both("DELETE FROM $t WHERE k1 = 0 AND k2 = 0 AND c1 >= 1 AND c1 < 4")
	if n := count("v_idx", i32(9)); n != 2 {
		t.Errorf("after range delete: v_idx(9) = %d, want 2", n)
	}
	f.checkIndexQuery("v = 9")
	// Partition deletion.
	f.both("DELETE FROM $t WHERE k1 = 0 AND k2 = 0")
	if a, b, c := count("v_idx", i32(9)), count("s_idx", i32(1)), count("k1_idx", i32(0)); a+b+c != 0 {
		t.Errorf("after partition delete: v=%d s=%d k1=%d", a, b, c)
	}
	// Expiry: answers drop at once; the entry goes with the next write.
	f.both("INSERT INTO $t (k1, k2, c1, c2, v) VALUES (3, 3, 0, 'a', 4) USING TTL 10")
	f.expect("3", "SELECT k1 FROM t WHERE v = 4")
	f.clock.Advance(11 * time.Second)
	f.expect("", "SELECT k1 FROM t WHERE v = 4")
	f.checkIndexQuery("v = 4")
	f.both("INSERT INTO $t (k1, k2, c1, c2, v) VALUES (3, 3, 0, 'a', 5)")
	if n := count("v_idx", i32(4)); n != 0 {
		t.Errorf("expired entry after rewrite: %d", n)
	}
	// Truncate empties the indexes.
	if err := f.store.Truncate(tbl); err != nil {
		t.Fatal(err)
	}
	if n := count("v_idx", i32(5)); n != 0 {
		t.Errorf("after truncate: %d", n)
	}
	f.expect("", "SELECT k1 FROM t WHERE v = 5")
}

// TestIndexRebuild creates, drops and re-creates indexes on existing data.
func TestIndexRebuild(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t " + indexedTable)
	f.ddl("CREATE TABLE o " + indexedTable)
	rng := rand.New(rand.NewSource(7))
	for i := 0; i < 200; i++ {
		f.randomWrite(rng)
	}
	f.ddl("CREATE INDEX v_idx ON t (v)")
	f.ddl("CREATE INDEX mk_idx ON t (keys(m))")
	f.ddl("CREATE INDEX s_idx ON t (s)")
	for v := 0; v < 4; v++ {
		f.checkIndexQuery(fmt.Sprintf("v = %d", v))
		f.checkIndexQuery(fmt.Sprintf("m CONTAINS KEY %d", v))
		f.checkIndexQuery(fmt.Sprintf("s = %d", v))
	}
	if !f.store.HasIndex(f.schema.Current().Table("ks", "t"), "v_idx") {
		t.Fatal("v_idx not kept")
	}
	f.ddlDropIndex("v_idx")
	if f.store.HasIndex(f.schema.Current().Table("ks", "t"), "v_idx") {
		t.Fatal("v_idx kept after DROP INDEX")
	}
	f.fail(requiresAllowFiltering, "SELECT * FROM t WHERE v = 1")
	f.ddl("CREATE INDEX v_idx ON t (v)")
	f.checkIndexQuery("v = 1")
}

// TestIndexOracle is the property: after random writes (inserts,
// updates of every column kind, collection operations, deletions of
// cells, rows, ranges and partitions, TTLs and expiry), every index query
// answers what a scan of the index-less twin answers.
func TestIndexOracle(t *testing.T) {
	seeds := 4
	if testing.Short() {
		seeds = 1
	}
	for seed := 0; seed < seeds; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			f := newIndexFixture(t)
			rng := rand.New(rand.NewSource(int64(seed)))
			for round := 0; round < 8; round++ {
				for i := 0; i < 40; i++ {
					f.randomWrite(rng)
				}
				for _, q := range indexQueries {
					f.checkIndexQuery(fill(q, rng))
				}
			}
		})
	}
}

// randomWrite applies one random write to t and o.
func (f *fixture) randomWrite(rng *rand.Rand) {
	f.t.Helper()
	k1, k2, c1 := rng.Intn(3), rng.Intn(3), rng.Intn(4)
	c2 := string(rune('a' + rng.Intn(3)))
	row := fmt.Sprintf("k1 = %d AND k2 = %d AND c1 = %d AND c2 = '%s'", k1, k2, c1, c2)
	part := fmt.Sprintf("k1 = %d AND k2 = %d", k1, k2)
	v := func() int { return rng.Intn(4) }
	ttl := ""
	if rng.Intn(6) == 0 {
		ttl = fmt.Sprintf(" USING TTL %d", 1+rng.Intn(20))
	}
	switch rng.Intn(16) {
	case 0, 1, 2:
		f.both(fmt.Sprintf("INSERT INTO $t (k1, k2, c1, c2, v, l, st, m, fl) VALUES (%d, %d, %d, '%s', %d, [%d, %d], {%d}, {%d: %d}, [%d, %d])%s",
			k1, k2, c1, c2, v(), v(), v(), v(), v(), v(), v(), v(), ttl))
	case 3:
		f.both(fmt.Sprintf("INSERT INTO $t (k1, k2, c1, c2)  VALUES (%d, %d, %d, '%s')%s", k1, k2, c1, c2, ttl))
	case 4:
		f.both(fmt.Sprintf("UPDATE $t%s SET v = %d WHERE %s", ttl, v(), row))
	case 5:
		f.both(fmt.Sprintf("UPDATE $t%s SET s = %d WHERE %s", ttl, v(), part))
	case 6:
		f.both(fmt.Sprintf("UPDATE $t%s SET l = l + [%d] WHERE %s", ttl, v(), row))
	case 7:
		f.both(fmt.Sprintf("UPDATE $t SET st = st + {%d}, m = m + {%d: %d} WHERE %s", v(), v(), v(), row))
	case 8:
		f.both(fmt.Sprintf("UPDATE $t SET m = {%d: %d}, l = [%d] WHERE %s", v(), v(), v(), row))
	case 9:
		f.both(fmt.Sprintf("DELETE m[%d], st FROM $t WHERE %s", v(), row))
	case 10:
		f.both(fmt.Sprintf("DELETE v FROM $t WHERE %s", row))
	case 11:
		f.both(fmt.Sprintf("DELETE FROM $t WHERE %s", row))
	case 12:
		f.both(fmt.Sprintf("DELETE FROM $t WHERE %s AND c1 > %d", part, rng.Intn(4)))
	case 13:
		if rng.Intn(3) == 0 {
			f.both(fmt.Sprintf("DELETE FROM $t WHERE %s", part))
		} else {
			f.both(fmt.Sprintf("DELETE s FROM $t WHERE %s", part))
		}
	case 14:
		f.both(fmt.Sprintf("UPDATE $t SET fl = [%d, %d], l = l - [%d] WHERE %s", v(), v(), v(), row))
	case 15:
		f.clock.Advance(time.Duration(1+rng.Intn(10)) * time.Second)
	}
}

func pack32(v int) []byte { return codec.AppendInt32(nil, int32(v)) }

// ddlDropIndex drops an index of keyspace ks.
func (f *fixture) ddlDropIndex(name string) {
	f.t.Helper()
	if _, err := f.schema.DropIndex(schema.DropIndex{Keyspace: "ks", Name: name}); err != nil {
		f.t.Fatal(err)
	}
}

// TestIndexChosen checks that each kind of index query is served by the
// expected index, and that with two candidate indexes the one with fewer
// entries under the searched value wins (ties: restriction order).
func TestIndexChosen(t *testing.T) {
	f := newIndexFixture(t)
	for i := 0; i < 10; i++ {
		f.both("INSERT INTO $t (k1, k2, c1, c2, s, v, l, st, m, fl) VALUES (?, 0, 0, 'a', 1, ?, [1], {1}, {1: 1}, [1, 1])", i, i%2)
	}
	f.both("INSERT INTO $t (k1, k2, c1, c2, s, v) VALUES (20, 0, 0, 'a', 2, 1)")
	cases := map[string]string{
		"k1 = 1":                             "k1_idx",
		"c2 = 'a'":                           "c2_idx",
		"s = 1":                              "s_idx",
		"v = 1":                              "v_idx",
		"l CONTAINS 1":                       "l_idx",
		"st CONTAINS 1":                      "st_idx",
		"m CONTAINS KEY 1":                   "mk_idx",
		"m CONTAINS 1":                       "mv_idx",
		"m[1] = 1":                           "me_idx",
		"fl = [1, 1]":                        "fl_idx",
		"s = 2 AND v = 1 ALLOW FILTERING":    "s_idx", // 1 entry against 6
		"v = 1 AND s = 2 ALLOW FILTERING":    "s_idx",
		"v = 0 AND s = 1 ALLOW FILTERING":    "v_idx", // 5 against 10
		"c2 = 'a' AND v = 0 ALLOW FILTERING": "v_idx",
	}
	for where, want := range cases {
		s, err := f.prepare("SELECT * FROM t WHERE " + where)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		c, _ := s.current(f.env)
		bc := &bindCtx{env: f.env}
		filters, err := c.sel.w.rowFilter(bc)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		got := chooseIndex(f.store, c.sel.tb.t, filters)
		if got == nil || got.name != want {
			t.Errorf("%s: index %v, want %s", where, got, want)
		}
	}
}
