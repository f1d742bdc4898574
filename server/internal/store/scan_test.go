package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

func keyRange(start, end string, count int32) *thriftgen.KeyRange {
	return &thriftgen.KeyRange{StartKey: []byte(start), EndKey: []byte(end), Count: count}
}

func tokenRange(start, end string, count int32) *thriftgen.KeyRange {
	return &thriftgen.KeyRange{StartToken: &start, EndToken: &end, Count: count}
}

func keyTokenRange(start, end string, count int32) *thriftgen.KeyRange {
	return &thriftgen.KeyRange{StartKey: []byte(start), EndToken: &end, Count: count}
}

func (e *env) rangeSlices(super []byte, pred *thriftgen.SlicePredicate, kr *thriftgen.KeyRange) string {
	e.t.Helper()
	got, err := e.st.GetRangeSlices(e.tbl, super, pred, kr)
	if err != nil {
		e.t.Fatalf("GetRangeSlices: %v", err)
	}
	return renderSlices(got)
}

func keysOf(ks []*thriftgen.KeySlice) string {
	var out []string
	for _, k := range ks {
		out = append(out, string(k.Key))
	}
	return strings.Join(out, ",")
}

// TestRangeByteOrdered: under ByteOrderedPartitioner tokens are the key bytes
// in hex ('a' = 61), so every bound is easy to read.
func TestRangeByteOrdered(t *testing.T) {
	e := newEnv(t, partitioner.ByteOrderedPartitioner{})
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		e.apply(k, put("x", k, 1))
	}
	cases := []struct {
		name string
		kr   *thriftgen.KeyRange
		want string
	}{
		{"all keys", keyRange("", "", 100), "a,b,c,d,e"},
		{"keys inclusive", keyRange("b", "d", 100), "b,c,d"},
		{"one key", keyRange("c", "c", 100), "c"},
		{"to the end", keyRange("c", "", 100), "c,d,e"},
		{"absent bounds", keyRange("bb", "dd", 100), "c,d"},
		{"count", keyRange("", "", 2), "a,b"},
		{"tokens start exclusive end inclusive", tokenRange("61", "63", 100), "b,c"},
		{"tokens wrap", tokenRange("63", "61", 100), "d,e,a"},
		{"tokens start == end is the whole ring", tokenRange("62", "62", 100), "c,d,e,a,b"},
		{"min end token runs to the end", tokenRange("62", "", 100), "c,d,e"},
		{"min start and end", tokenRange("", "", 100), "a,b,c,d,e"},
		{"wrap with count", tokenRange("63", "61", 2), "d,e"},
		{"start key, end token", keyTokenRange("b", "63", 100), "b,c"},
		{"start key, min end token", keyTokenRange("d", "", 100), "d,e"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := e.st.GetRangeSlices(e.tbl, nil, all(), c.kr)
			if err != nil {
				t.Fatal(err)
			}
			if k := keysOf(got); k != c.want {
				t.Errorf("keys = %s, want %s", k, c.want)
			}
		})
	}
	// The ordering test_thrift_server.py (Cassandra 2.0) checks under
	// ByteOrderedPartitioner: "-a" < "0" < "10" < "2" < "a".
	e2 := newEnv(t, partitioner.ByteOrderedPartitioner{})
	for _, k := range []string{"a", "2", "10", "0", "-a"} {
		e2.apply(k, put("x", "1", 1))
	}
	got, _ := e2.st.GetRangeSlices(e2.tbl, nil, all(), keyRange("", "", 100))
	if k := keysOf(got); k != "-a,0,10,2,a" {
		t.Errorf("byte order = %s", k)
	}
}

// TestRangeMurmur3 checks ring order (token, then key) and wrap-around with
// real Murmur3 tokens.
func TestRangeMurmur3(t *testing.T) {
	p := partitioner.Murmur3Partitioner{}
	e := newEnv(t, p)
	var keys []string
	for i := 0; i < 20; i++ {
		k := fmt.Sprintf("key%02d", i)
		keys = append(keys, k)
		e.apply(k, put("x", k, 1))
	}
	slices.SortFunc(keys, func(a, b string) int { return p.CompareKeys([]byte(a), []byte(b)) })
	tok := func(i int) string { return p.Token([]byte(keys[i])).String() }
	join := func(ks []string) string { return strings.Join(ks, ",") }
	min := p.MinToken().String()

	cases := []struct {
		name string
		kr   *thriftgen.KeyRange
		want []string
	}{
		{"whole ring in token order", keyRange("", "", 100), keys},
		{"keys inclusive", keyRange(keys[3], keys[7], 100), keys[3:8]},
		{"tokens (start, end]", tokenRange(tok(3), tok(7), 100), keys[4:8]},
		{"wrap", tokenRange(tok(15), tok(2), 100), append(slices.Clone(keys[16:]), keys[:3]...)},
		{"start == end", tokenRange(tok(5), tok(5), 100), append(slices.Clone(keys[6:]), keys[:6]...)},
		{"min end token", tokenRange(tok(17), min, 100), keys[18:]},
		{"start key, end token", keyTokenRange(keys[2], tok(4), 100), keys[2:5]},
		{"count", tokenRange(tok(15), tok(2), 3), keys[16:19]},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := e.st.GetRangeSlices(e.tbl, nil, all(), c.kr)
			if err != nil {
				t.Fatal(err)
			}
			if k := keysOf(got); k != join(c.want) {
				t.Errorf("keys =\n %s\nwant\n %s", k, join(c.want))
			}
		})
	}
	bad := "abc"
	if _, err := e.st.GetRangeSlices(e.tbl, nil, all(), &thriftgen.KeyRange{StartToken: &bad, EndToken: &bad, Count: 1}); err == nil {
		t.Error("bad token: no error")
	} else {
		var ie *InvalidError
		if !errors.As(err, &ie) {
			t.Errorf("bad token: %T %v", err, err)
		}
	}
}

// TestRangePaging pages through more rows than a scan batch with the
// client idiom (re-issue from the last key, drop the first row).
func TestRangePaging(t *testing.T) {
	for _, p := range []partitioner.Partitioner{partitioner.Murmur3Partitioner{}, partitioner.ByteOrderedPartitioner{}} {
		t.Run(p.Class(), func(t *testing.T) {
			e := newEnv(t, p)
			const n = 300
			want := make([]string, 0, n)
			for i := 0; i < n; i++ {
				k := fmt.Sprintf("r%04d", i)
				want = append(want, k)
				e.apply(k, put("c", "v", 1))
			}
			slices.SortFunc(want, func(a, b string) int { return p.CompareKeys([]byte(a), []byte(b)) })
			var got []string
			start := ""
			for {
				page, err := e.st.GetRangeSlices(e.tbl, nil, all(), keyRange(start, "", 70))
				if err != nil {
					t.Fatal(err)
				}
				for i, ks := range page {
					if start != "" && i == 0 {
						continue
					}
					got = append(got, string(ks.Key))
				}
				if len(page) < 70 {
					break
				}
				start = string(page[len(page)-1].Key)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("paged %d keys, want %d; first diff somewhere", len(got), len(want))
			}
		})
	}
}

func TestRangeGhosts(t *testing.T) {
	e := newEnv(t, nil, withGrace(10))
	e.apply("k1", put("a", "1", 1), put("b", "1", 1))
	e.apply("k2", put("a", "1", 1))
	e.apply("k3", put("b", "1", 1))
	e.apply("k4", delCol("zz", 1)) // a tombstone for a row that never existed
	e.apply("k1", delRow(2))
	kr := keyRange("", "", 100)
	if got := e.rangeSlices(nil, all(), kr); got != "k1[] | k2[a=1@1] | k3[b=1@1] | k4[]" {
		t.Fatalf("ghosts: %q", got)
	}
	// A predicate naming a column the row lacks returns the row empty.
	if got := e.rangeSlices(nil, names("a"), kr); got != "k1[] | k2[a=1@1] | k3[] | k4[]" {
		t.Fatalf("names: %q", got)
	}
	// Ghosts count toward KeyRange.count.
	if got := e.rangeSlices(nil, names("a"), keyRange("", "", 2)); got != "k1[] | k2[a=1@1]" {
		t.Fatalf("count: %q", got)
	}
	// Per-row SliceRange.count.
	e.apply("k5", put("a", "1", 1), put("b", "1", 1), put("c", "1", 1))
	if got := e.rangeSlices(nil, rng("", "", false, 2), keyRange("k5", "k5", 10)); got != "k5[a=1@1 b=1@1]" {
		t.Fatalf("per-row count: %q", got)
	}
	if got := e.rangeSlices(nil, rng("", "", true, 2), keyRange("k5", "k5", 10)); got != "k5[c=1@1 b=1@1]" {
		t.Fatalf("reversed per row: %q", got)
	}
	e.clock.Advance(11 * time.Second)
	e.st.PurgeTombstones()
	if got := e.rangeSlices(nil, all(), kr); got != "k2[a=1@1] | k3[b=1@1] | k5[a=1@1 b=1@1 c=1@1]" {
		t.Fatalf("after purge: %q", got)
	}
}

func TestRowFilter(t *testing.T) {
	e := newEnv(t, nil, withColumn("age", longType{}))
	e.apply("a", Op{Kind: OpPut, Name: []byte("age"), Value: long(-5), Timestamp: 1}, put("st", "UT", 1))
	e.apply("b", Op{Kind: OpPut, Name: []byte("age"), Value: long(30), Timestamp: 1}, put("st", "CA", 1))
	e.apply("c", Op{Kind: OpPut, Name: []byte("age"), Value: long(40), Timestamp: 1}, put("st", "UT", 1))
	e.apply("d", put("st", "UT", 1))
	e.apply("e", put("st", "UT", 1))
	e.apply("e", delCol("st", 2))
	expr := func(name string, op thriftgen.IndexOperator, v []byte) *thriftgen.IndexExpression {
		return &thriftgen.IndexExpression{ColumnName: []byte(name), Op: op, Value: v}
	}
	cases := []struct {
		name  string
		exprs []*thriftgen.IndexExpression
		want  string
	}{
		{"EQ", []*thriftgen.IndexExpression{expr("st", thriftgen.IndexOperator_EQ, []byte("UT"))}, "a,c,d"},
		{"GT signed long", []*thriftgen.IndexExpression{expr("age", thriftgen.IndexOperator_GT, long(0))}, "b,c"},
		{"GTE", []*thriftgen.IndexExpression{expr("age", thriftgen.IndexOperator_GTE, long(30))}, "b,c"},
		{"LT", []*thriftgen.IndexExpression{expr("age", thriftgen.IndexOperator_LT, long(30))}, "a"},
		{"LTE", []*thriftgen.IndexExpression{expr("age", thriftgen.IndexOperator_LTE, long(30))}, "a,b"},
		{"AND", []*thriftgen.IndexExpression{
			expr("st", thriftgen.IndexOperator_EQ, []byte("UT")),
			expr("age", thriftgen.IndexOperator_GT, long(-10)),
		}, "a,c"},
		{"missing never matches", []*thriftgen.IndexExpression{expr("nope", thriftgen.IndexOperator_LT, []byte("zzz"))}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kr := keyRange("", "", 100)
			kr.RowFilter = c.exprs
			got, err := e.st.GetRangeSlices(e.tbl, nil, names("st"), kr)
			if err != nil {
				t.Fatal(err)
			}
			if k := keysOf(got); k != c.want {
				t.Errorf("keys = %s, want %s", k, c.want)
			}
		})
	}
}

func TestPagedSlice(t *testing.T) {
	e := newEnv(t, nil)
	e.apply("a", put("c1", "1", 1), put("c2", "1", 1), put("c3", "1", 1))
	e.apply("b", put("c1", "1", 1), put("c2", "1", 1))
	e.apply("c", delRow(1))
	e.apply("d", put("c1", "1", 1), put("c2", "1", 1), put("c3", "1", 1))
	cases := []struct {
		name  string
		kr    *thriftgen.KeyRange
		start string
		want  string
	}{
		// Cassandra 3.11's get_paged_slice counts rows, ghosts included, with
		// every column of each row (getLimits(range.count, true,
		// Integer.MAX_VALUE)); 2.x counted columns across rows.
		{"count is rows", keyRange("", "", 2), "", "a[c1=1@1 c2=1@1 c3=1@1] | b[c1=1@1 c2=1@1]"},
		{"start column in start row", keyRange("b", "", 4), "c2", "b[c2=1@1] | c[] | d[c1=1@1 c2=1@1 c3=1@1]"},
		{"start column in start row, ghost counts", keyRange("a", "", 3), "c2", "a[c2=1@1 c3=1@1] | b[c1=1@1 c2=1@1] | c[]"},
		{"start key absent", keyRange("bb", "", 2), "c2", "c[] | d[c1=1@1 c2=1@1 c3=1@1]"},
		{"token start ignores start column", tokenRange("61", "", 1), "c2", "b[c1=1@1 c2=1@1]"},
		{"everything", keyRange("", "", 100), "", "a[c1=1@1 c2=1@1 c3=1@1] | b[c1=1@1 c2=1@1] | c[] | d[c1=1@1 c2=1@1 c3=1@1]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := e.st.GetPagedSlice(e.tbl, c.kr, []byte(c.start))
			if err != nil {
				t.Fatal(err)
			}
			if s := renderSlices(got); s != c.want {
				t.Errorf("got  %s\nwant %s", s, c.want)
			}
		})
	}
}

// TestRingOrderAllPartitioners: a full scan follows CompareKeys, the
// (min, min] token range is the whole ring, and a wrapping range around
// the middle row splits the ring there, for every partitioner.
func TestRingOrderAllPartitioners(t *testing.T) {
	for _, p := range []partitioner.Partitioner{
		partitioner.Murmur3Partitioner{}, partitioner.RandomPartitioner{},
		partitioner.ByteOrderedPartitioner{}, partitioner.OrderPreservingPartitioner{},
	} {
		t.Run(p.Class(), func(t *testing.T) {
			e := newEnv(t, p)
			keys := []string{"a", "b", "zz", "\xff\xfe", "é", "0", "10", "2", "key", "\x00x"}
			for _, k := range keys {
				e.apply(k, put("c", "v", 1))
			}
			slices.SortFunc(keys, func(a, b string) int { return p.CompareKeys([]byte(a), []byte(b)) })
			want := strings.Join(keys, ",")
			got, err := e.st.GetRangeSlices(e.tbl, nil, all(), keyRange("", "", 100))
			if err != nil || keysOf(got) != want {
				t.Fatalf("key scan %q, %v; want %q", keysOf(got), err, want)
			}
			min := p.MinToken().String()
			got, err = e.st.GetRangeSlices(e.tbl, nil, all(), tokenRange(min, min, 100))
			if err != nil || keysOf(got) != want {
				t.Fatalf("(min,min] %q, %v; want %q", keysOf(got), err, want)
			}
			mid := p.Token([]byte(keys[4])).String()
			got, err = e.st.GetRangeSlices(e.tbl, nil, all(), tokenRange(mid, mid, 100))
			wrapped := strings.Join(append(slices.Clone(keys[5:]), keys[:5]...), ",")
			if err != nil || keysOf(got) != wrapped {
				t.Fatalf("(mid,mid] %q, %v; want %q", keysOf(got), err, wrapped)
			}
		})
	}
}

// TestScanMemoryFollowsPage: a 10-row page costs the same allocations on a
// table of 100 rows and one of 10000.
func TestScanMemoryFollowsPage(t *testing.T) {
	allocs := func(rows int) float64 {
		e := newEnv(t, partitioner.Murmur3Partitioner{})
		for i := 0; i < rows; i++ {
			e.apply(fmt.Sprintf("k%05d", i), put("a", "1", 1), put("b", "2", 1))
		}
		kr := keyRange("", "", 10)
		return testing.AllocsPerRun(20, func() {
			if _, err := e.st.GetRangeSlices(e.tbl, nil, all(), kr); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(100), allocs(10000)
	if large > small+2 {
		t.Errorf("10-row page: %v allocs on 100 rows, %v on 10000", small, large)
	}
}

// TestRowFilterCounters: a counter compares as its 8-byte value.
func TestRowFilterCounters(t *testing.T) {
	e := newEnv(t, nil, counterCF, func(tb *schema.Table) { tb.DefaultValidator = longType{} })
	e.apply("a", add("n", 5))
	e.apply("b", add("n", -5))
	kr := keyRange("", "", 10)
	kr.RowFilter = []*thriftgen.IndexExpression{{ColumnName: []byte("n"), Op: thriftgen.IndexOperator_GT, Value: long(0)}}
	got, err := e.st.GetRangeSlices(e.tbl, nil, all(), kr)
	if err != nil || renderSlices(got) != "a[n:5]" {
		t.Fatalf("got %q, %v", renderSlices(got), err)
	}
}
