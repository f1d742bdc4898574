package store

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/partitioner"
)

// cells renders what Partition.Cells reports: name=value@ts, /ttl when
// expiring, :count for counters, super/ before sub-columns.
func (e *env) cells(key string, slices []Slice, reversed bool) string {
	e.t.Helper()
	var parts []string
	err := e.st.ReadPartition(e.tbl, []byte(key), func(p *Partition) {
		p.Cells(slices, reversed, func(c *Cell) bool {
			parts = append(parts, renderCell(c))
			return true
		})
	})
	if err != nil {
		e.t.Fatalf("ReadPartition: %v", err)
	}
	return strings.Join(parts, " ")
}

func renderCell(c *Cell) string {
	s := ""
	if c.Super != nil {
		s = string(c.Super) + "/"
	}
	if c.Counter {
		return fmt.Sprintf("%s%s:%d", s, c.Name, c.Count)
	}
	s += fmt.Sprintf("%s=%s@%d", c.Name, c.Value, c.Timestamp)
	if c.TTL > 0 {
		s += fmt.Sprintf("/%d", c.TTL)
	}
	return s
}

func sl(start, finish string) Slice { return Slice{Start: []byte(start), Finish: []byte(finish)} }

func TestPartitionCellsSlices(t *testing.T) {
	e := newEnv(t, nil)
	e.apply("k", put("a", "1", 1), put("b", "2", 1), put("c", "3", 1), put("d", "4", 1), put("e", "5", 1))
	excl := func(s Slice, start, finish bool) Slice { s.StartExclusive, s.FinishExclusive = start, finish; return s }
	cases := []struct {
		name     string
		slices   []Slice
		reversed bool
		want     string
	}{
		{"nil is everything", nil, false, "a=1@1 b=2@1 c=3@1 d=4@1 e=5@1"},
		{"empty list is nothing", []Slice{}, false, ""},
		{"inclusive", []Slice{sl("b", "d")}, false, "b=2@1 c=3@1 d=4@1"},
		{"exclusive ends", []Slice{excl(sl("b", "d"), true, true)}, false, "c=3@1"},
		{"exclusive reversed", []Slice{excl(sl("b", "d"), true, false)}, true, "d=4@1 c=3@1"},
		{"open start", []Slice{sl("", "b")}, false, "a=1@1 b=2@1"},
		{"open finish reversed", []Slice{sl("d", "")}, true, "e=5@1 d=4@1"},
		{"unsorted overlapping merged", []Slice{sl("d", "e"), sl("a", "b"), sl("b", "c")}, false, "a=1@1 b=2@1 c=3@1 d=4@1 e=5@1"},
		{"several reversed", []Slice{sl("a", "a"), sl("c", "d")}, true, "d=4@1 c=3@1 a=1@1"},
		{"touching exclusive ends stay apart", []Slice{excl(sl("a", "c"), false, true), excl(sl("c", "e"), true, false)}, false, "a=1@1 b=2@1 d=4@1 e=5@1"},
		{"touching one inclusive merges", []Slice{excl(sl("a", "c"), false, true), sl("c", "d")}, false, "a=1@1 b=2@1 c=3@1 d=4@1"},
		{"empty interval dropped", []Slice{sl("d", "b"), excl(sl("c", "c"), true, false)}, false, ""},
		{"point", []Slice{sl("c", "c")}, true, "c=3@1"},
	}
	for _, c := range cases {
		if got := e.cells("k", c.slices, c.reversed); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if got := e.cells("missing", nil, false); got != "" {
		t.Errorf("missing partition: %q", got)
	}
}

func TestPartitionCellsStopEarly(t *testing.T) {
	e := newEnv(t, nil)
	e.apply("k", put("a", "1", 1), put("b", "2", 1), put("c", "3", 1))
	var n int
	var done bool
	_ = e.st.ReadPartition(e.tbl, []byte("k"), func(p *Partition) {
		done = p.Cells([]Slice{sl("a", "a"), sl("b", "c")}, false, func(*Cell) bool { n++; return n < 2 })
	})
	if n != 2 || done {
		t.Errorf("visited %d, done %v", n, done)
	}
}

func TestPartitionCellsLiveness(t *testing.T) {
	e := newEnv(t, nil)
	e.apply("k", putTTL("a", "1", 1, 10), put("b", "2", 1), put("c", "3", 1), put("d", "4", 1))
	e.apply("k", delCol("b", 2), delRange("c", "c", 2))
	var expiry, now int64
	_ = e.st.ReadPartition(e.tbl, []byte("k"), func(p *Partition) {
		now = p.Now()
		p.Cells(nil, false, func(c *Cell) bool {
			if string(c.Name) == "a" {
				expiry = c.Expiry
			}
			return true
		})
	})
	if expiry != now+10 {
		t.Errorf("expiry %d, now %d", expiry, now)
	}
	if got := e.cells("k", nil, false); got != "a=1@1/10 d=4@1" {
		t.Errorf("got %q", got)
	}
	e.clock.Advance(10 * time.Second)
	if got := e.cells("k", nil, false); got != "d=4@1" {
		t.Errorf("after expiry: %q", got)
	}
	e.apply("k", delRow(5))
	if got := e.cells("k", nil, false); got != "" {
		t.Errorf("after row delete: %q", got)
	}
}

func TestPartitionCellsCounters(t *testing.T) {
	e := newEnv(t, nil, counterCF)
	e.apply("k", add("a", 3), add("b", -1))
	e.apply("k", add("a", 4))
	if got := e.cells("k", nil, true); got != "b:-1 a:7" {
		t.Errorf("got %q", got)
	}
}

func TestPartitionCellsSuper(t *testing.T) {
	e := newEnv(t, nil, superCF)
	e.apply("k", putSub("s1", "x", "1", 1), putSub("s1", "y", "2", 1), putSub("s2", "x", "3", 1), putSub("s3", "z", "4", 1))
	e.apply("k", Op{Kind: OpDeleteColumn, Super: []byte("s2"), Name: []byte("x"), Timestamp: 2})
	if got := e.cells("k", nil, false); got != "s1/x=1@1 s1/y=2@1 s3/z=4@1" {
		t.Errorf("forward %q", got)
	}
	if got := e.cells("k", []Slice{sl("s1", "s2")}, true); got != "s1/y=2@1 s1/x=1@1" {
		t.Errorf("reversed %q", got)
	}
}

// TestExclusiveRangeTombstone covers OpDeleteRange with exclusive bounds on
// a simple comparator, where no end-of-component byte can say "after".
func TestExclusiveRangeTombstone(t *testing.T) {
	e := newEnv(t, nil, withComparator(codec.Long))
	for i := int64(1); i <= 5; i++ {
		e.apply("k", Op{Kind: OpPut, Name: long(i), Value: []byte(fmt.Sprint(i)), Timestamp: 1})
	}
	e.apply("k", Op{Kind: OpDeleteRange, Start: long(1), Finish: long(4), StartExclusive: true, FinishExclusive: true, Timestamp: 2})
	vals := func() string {
		var out []string
		_ = e.st.ReadPartition(e.tbl, []byte("k"), func(p *Partition) {
			p.Cells(nil, false, func(c *Cell) bool { out = append(out, string(c.Value)); return true })
		})
		return strings.Join(out, ",")
	}
	if got := vals(); got != "1,4,5" {
		t.Fatalf("after delete: %s", got)
	}
	// Writes below the tombstone's timestamp stay shadowed inside, not at
	// the excluded ends.
	for _, i := range []int64{1, 2, 3, 4} {
		e.apply("k", Op{Kind: OpPut, Name: long(i), Value: []byte(fmt.Sprintf("%d'", i)), Timestamp: 2})
	}
	if got := vals(); got != "1',4',5" {
		t.Errorf("rewrites: %s", got)
	}
}

func scanKeys(t *testing.T, e *env, pr PartitionRange) string {
	t.Helper()
	var keys []string
	if err := e.st.ScanPartitions(e.tbl, pr, func(p *Partition) bool {
		keys = append(keys, string(p.Key))
		return true
	}); err != nil {
		t.Fatalf("ScanPartitions: %v", err)
	}
	return strings.Join(keys, ",")
}

func TestScanPartitionsBounds(t *testing.T) {
	// Byte-ordered: the token is the key, so the order is readable.
	e := newEnv(t, partitioner.ByteOrderedPartitioner{})
	for _, k := range []string{"a", "b", "c", "d"} {
		e.apply(k, put("x", k, 1))
	}
	tok := func(k string) partitioner.Token { return e.st.Partitioner().Token([]byte(k)) }
	pos := func(k string) *Position { return &Position{Key: []byte(k)} }
	tpos := func(k string) *Position { return &Position{Token: tok(k)} }
	cases := []struct {
		name string
		pr   PartitionRange
		want string
	}{
		{"all", PartitionRange{}, "a,b,c,d"},
		{"keys inclusive", PartitionRange{Start: pos("b"), End: pos("c")}, "b,c"},
		{"keys exclusive", PartitionRange{Start: pos("a"), End: pos("d"), StartExclusive: true, EndExclusive: true}, "b,c"},
		{"after a missing key", PartitionRange{Start: pos("bb"), StartExclusive: true}, "c,d"},
		{"tokens inclusive", PartitionRange{Start: tpos("b"), End: tpos("c")}, "b,c"},
		{"tokens exclusive", PartitionRange{Start: tpos("b"), End: tpos("d"), StartExclusive: true, EndExclusive: true}, "c"},
		{"start after end", PartitionRange{Start: pos("c"), End: pos("b")}, ""},
		{"same key exclusive", PartitionRange{Start: pos("b"), End: pos("b"), StartExclusive: true}, ""},
	}
	for _, c := range cases {
		if got := scanKeys(t, e, c.pr); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if err := e.st.ScanPartitions(e.tbl, PartitionRange{Start: &Position{}}, func(*Partition) bool { return true }); err == nil {
		t.Errorf("a bound without key or token should be refused")
	}
}

func TestScanPartitionsManyAndStop(t *testing.T) {
	e := newEnv(t, partitioner.Murmur3Partitioner{})
	const n = 3*scanBatch + 5
	for i := 0; i < n; i++ {
		e.apply(fmt.Sprintf("k%03d", i), put("x", "v", 1))
	}
	var seen []string
	var last []byte
	_ = e.st.ScanPartitions(e.tbl, PartitionRange{}, func(p *Partition) bool {
		if last != nil && e.st.Partitioner().CompareKeys(last, p.Key) >= 0 {
			t.Fatalf("out of order: %s then %s", last, p.Key)
		}
		last = p.Key
		seen = append(seen, string(p.Key))
		return true
	})
	if len(seen) != n {
		t.Fatalf("saw %d of %d", len(seen), n)
	}
	// Resume after the 100th partition, exclusive: the rest, in order.
	var rest []string
	_ = e.st.ScanPartitions(e.tbl, PartitionRange{Start: &Position{Key: []byte(seen[99])}, StartExclusive: true}, func(p *Partition) bool {
		rest = append(rest, string(p.Key))
		return len(rest) < 10
	})
	if len(rest) != 10 || rest[0] != seen[100] || rest[9] != seen[109] {
		t.Errorf("resume: %v", rest)
	}
}

// TestPartitionReadIsolation: a reader sees each RowMutation entirely or
// not at all, even while it walks the partition's cells.
func TestPartitionReadIsolation(t *testing.T) {
	e := newEnv(t, nil)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := int64(1); i <= 300; i++ {
			v := []byte(fmt.Sprint(i))
			e.apply("k", Op{Kind: OpPut, Name: []byte("a"), Value: v, Timestamp: i},
				Op{Kind: OpPut, Name: []byte("z"), Value: v, Timestamp: i})
		}
	}()
	for i := 0; i < 300; i++ {
		var vals []string
		_ = e.st.ReadPartition(e.tbl, []byte("k"), func(p *Partition) {
			p.Cells(nil, false, func(c *Cell) bool { vals = append(vals, string(c.Value)); return true })
		})
		if len(vals) == 2 && vals[0] != vals[1] {
			t.Fatalf("torn read: %v", vals)
		}
	}
	wg.Wait()
}

// TestReadModifyWrite: a condition checked and a write made in one hold of
// the partition: concurrent read-increment-writes lose nothing, a missing
// partition is seen empty, and errors from fn or log write nothing.
func TestReadModifyWrite(t *testing.T) {
	e := newEnv(t, nil)
	var logged []RowMutation
	// INSERT ... IF NOT EXISTS on a missing partition.
	insertIfNotExists := func(v string) (applied bool) {
		err := e.st.ReadModifyWrite(e.tbl, []byte("k"), func(p *Partition) ([]Op, error) {
			exists := false
			p.Cells(nil, false, func(*Cell) bool { exists = true; return false })
			if exists {
				return nil, nil
			}
			applied = true
			return []Op{put("v", v, e.st.NowMicros())}, nil
		}, func(m RowMutation) error { logged = append(logged, m); return nil })
		if err != nil {
			t.Fatal(err)
		}
		return applied
	}
	if !insertIfNotExists("first") || insertIfNotExists("second") {
		t.Fatalf("IF NOT EXISTS applied twice")
	}
	if got := e.cells("k", nil, false); !strings.HasPrefix(got, "v=first@") {
		t.Errorf("got %q", got)
	}
	if len(logged) != 1 || logged[0].Ops[0].LocalTime == 0 {
		t.Errorf("log: %+v", logged)
	}
	// Concurrent increments of a value read in the same hold.
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				_ = e.st.ReadModifyWrite(e.tbl, []byte("n"), func(p *Partition) ([]Op, error) {
					n := 0
					p.Cells(nil, false, func(c *Cell) bool { fmt.Sscan(string(c.Value), &n); return false })
					return []Op{put("n", fmt.Sprint(n+1), int64(n+1))}, nil
				}, nil)
			}
		}()
	}
	wg.Wait()
	if got := e.cells("n", nil, false); got != "n=200@200" {
		t.Errorf("increments: %q", got)
	}
	// Errors write nothing.
	boom := fmt.Errorf("boom")
	if err := e.st.ReadModifyWrite(e.tbl, []byte("x"), func(*Partition) ([]Op, error) { return []Op{put("a", "1", 1)}, boom }, nil); err != boom {
		t.Errorf("fn error: %v", err)
	}
	if err := e.st.ReadModifyWrite(e.tbl, []byte("x"), func(*Partition) ([]Op, error) { return []Op{put("a", "1", 1)}, nil },
		func(RowMutation) error { return boom }); err != boom {
		t.Errorf("log error: %v", err)
	}
	if got := e.cells("x", nil, false); got != "" {
		t.Errorf("written despite errors: %q", got)
	}
	n := 0
	_ = e.st.ScanPartitions(e.tbl, PartitionRange{}, func(*Partition) bool { n++; return true })
	if n != 2 {
		t.Errorf("%d partitions, want 2 (no empty one left behind)", n)
	}
}
