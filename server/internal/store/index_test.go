package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

// indexed runs get_indexed_slices with one EQ expression and returns the keys.
func (e *env) indexed(col, value, startKey string, count int32, more ...*thriftgen.IndexExpression) string {
	e.t.Helper()
	clause := &thriftgen.IndexClause{
		Expressions: append([]*thriftgen.IndexExpression{{ColumnName: []byte(col), Op: thriftgen.IndexOperator_EQ, Value: []byte(value)}}, more...),
		StartKey:    []byte(startKey),
		Count:       count,
	}
	got, err := e.st.GetIndexedSlices(e.tbl, clause, names(col))
	if err != nil {
		e.t.Fatalf("GetIndexedSlices: %v", err)
	}
	return keysOf(got)
}

func TestIndexMaintenance(t *testing.T) {
	type step struct {
		key     string
		ops     []Op
		advance time.Duration
		purge   bool
		ut, ca  string // keys expected for state=UT and state=CA
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"insert and overwrite", []step{
			{key: "a", ops: []Op{put("state", "UT", 1)}, ut: "a"},
			{key: "a", ops: []Op{put("state", "CA", 2)}, ca: "a"},
			{key: "a", ops: []Op{put("state", "UT", 1)}, ca: "a"}, // older write loses
			{key: "a", ops: []Op{put("state", "UT", 3)}, ut: "a"},
		}},
		{"column delete", []step{
			{key: "a", ops: []Op{put("state", "UT", 1)}, ut: "a"},
			{key: "a", ops: []Op{delCol("state", 1)}},
			{key: "a", ops: []Op{put("state", "UT", 2)}, ut: "a"},
		}},
		{"row delete", []step{
			{key: "a", ops: []Op{put("state", "UT", 1), put("x", "1", 1)}, ut: "a"},
			{key: "a", ops: []Op{delRow(5)}},
			{key: "a", ops: []Op{put("state", "UT", 4)}},
			{key: "a", ops: []Op{put("state", "CA", 6)}, ca: "a"},
		}},
		{"range delete", []step{
			{key: "a", ops: []Op{put("state", "UT", 1)}, ut: "a"},
			{key: "a", ops: []Op{delRange("s", "t", 1)}},
		}},
		{"expiry", []step{
			{key: "a", ops: []Op{putTTL("state", "UT", 1, 10)}, ut: "a"},
			{key: "b", ops: []Op{put("state", "UT", 1)}, ut: "a,b"},
			{advance: 10 * time.Second, ut: "b"},
			{key: "a", ops: []Op{put("state", "CA", 2)}, ut: "b", ca: "a"},
			{advance: time.Hour, purge: true, ut: "b", ca: "a"},
		}},
		{"rows without the column never match", []step{
			{key: "a", ops: []Op{put("other", "UT", 1)}},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, nil, withIndex("state", bytesType{}), withGrace(60))
			for i, s := range c.steps {
				e.clock.Advance(s.advance)
				if s.purge {
					e.st.PurgeTombstones()
				}
				if len(s.ops) > 0 {
					e.apply(s.key, s.ops...)
				}
				if got := e.indexed("state", "UT", "", 100); got != s.ut {
					t.Errorf("step %d: UT = %q, want %q", i, got, s.ut)
				}
				if got := e.indexed("state", "CA", "", 100); got != s.ca {
					t.Errorf("step %d: CA = %q, want %q", i, got, s.ca)
				}
			}
		})
	}
}

// TestIndexedSlices checks ring order, the inclusive start key, the row count
// and extra filter expressions, under Murmur3 with more rows than a batch.
func TestIndexedSlices(t *testing.T) {
	p := partitioner.Murmur3Partitioner{}
	e := newEnv(t, p, withIndex("state", bytesType{}), withColumn("age", longType{}))
	var ut []string
	for i := 0; i < 150; i++ {
		k := fmt.Sprintf("u%03d", i)
		st := "CA"
		if i%2 == 0 {
			st = "UT"
			ut = append(ut, k)
		}
		e.apply(k, put("state", st, 1), Op{Kind: OpPut, Name: []byte("age"), Value: long(int64(i)), Timestamp: 1})
	}
	slices.SortFunc(ut, func(a, b string) int { return p.CompareKeys([]byte(a), []byte(b)) })
	if got := e.indexed("state", "UT", "", 1000); got != strings.Join(ut, ",") {
		t.Fatalf("all UT rows in ring order:\n%s\nwant\n%s", got, strings.Join(ut, ","))
	}
	if got := e.indexed("state", "UT", ut[10], 5); got != strings.Join(ut[10:15], ",") {
		t.Errorf("start key inclusive, count 5: %s", got)
	}
	// A start key that is not itself a match starts at the next match in ring order.
	all := make([]string, 0, 150)
	for i := 0; i < 150; i++ {
		all = append(all, fmt.Sprintf("u%03d", i))
	}
	slices.SortFunc(all, func(a, b string) int { return p.CompareKeys([]byte(a), []byte(b)) })
	var start string
	for _, k := range all {
		if !slices.Contains(ut, k) && p.CompareKeys([]byte(k), []byte(ut[20])) > 0 {
			start = k
			break
		}
	}
	var want []string
	for _, k := range ut {
		if p.CompareKeys([]byte(k), []byte(start)) >= 0 {
			want = append(want, k)
		}
	}
	if got := e.indexed("state", "UT", start, 3); got != strings.Join(want[:3], ",") {
		t.Errorf("from a non-matching key: %s, want %s", got, strings.Join(want[:3], ","))
	}
	// Extra expressions filter.
	gt := &thriftgen.IndexExpression{ColumnName: []byte("age"), Op: thriftgen.IndexOperator_GTE, Value: long(140)}
	var old []string
	for _, k := range ut {
		var n int
		fmt.Sscanf(k, "u%d", &n)
		if n >= 140 {
			old = append(old, k)
		}
	}
	if got := e.indexed("state", "UT", "", 100, gt); got != strings.Join(old, ",") {
		t.Errorf("filtered: %s, want %s", got, strings.Join(old, ","))
	}
	// The predicate decides the columns; the indexed column need not be in it.
	clause := &thriftgen.IndexClause{Expressions: []*thriftgen.IndexExpression{{ColumnName: []byte("state"), Op: thriftgen.IndexOperator_EQ, Value: []byte("UT")}}, Count: 1}
	got, err := e.st.GetIndexedSlices(e.tbl, clause, names("nothing"))
	if err != nil || len(got) != 1 || len(got[0].Columns) != 0 {
		t.Errorf("predicate without indexed column: %v %v", got, err)
	}
}

func TestIndexRebuildOnUpdate(t *testing.T) {
	e := newEnv(t, nil)
	e.apply("a", put("state", "UT", 1))
	e.apply("b", put("state", "CA", 1))
	// The CF gains an index: existing rows are indexed.
	t2 := *e.tbl
	t2.Columns = []*schema.Column{{Name: []byte("state"), Validator: bytesType{}, Index: &schema.Index{Name: "st_idx", Type: thriftgen.IndexType_KEYS}}}
	e.st.UpdateTable(e.tbl, &t2)
	e.tbl = &t2
	if got := e.indexed("state", "UT", "", 10); got != "a" {
		t.Fatalf("after adding the index: %q", got)
	}
	e.apply("c", put("state", "UT", 1))
	if got := e.indexed("state", "UT", "", 10); got != "a,c" {
		t.Fatalf("new writes: %q", got)
	}
	// Dropping the index: queries fall back to filtering (validation would
	// normally refuse them).
	t3 := t2
	t3.Columns = nil
	e.st.UpdateTable(&t2, &t3)
	e.tbl = &t3
	if got := e.indexed("state", "UT", "", 10); got != "a,c" {
		t.Fatalf("without index: %q", got)
	}
}
