package columnfamily_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

func TestCFOpenSchema(t *testing.T) {
	e := newEnv(t)
	std := e.cf(t, "Std")
	equal(t, "key type", codec.ShortName(std.KeyType()), "UTF8Type")
	equal(t, "name type", codec.ShortName(std.NameType()), "UTF8Type")
	equal(t, "value type", codec.ShortName(std.ValueType()), "UTF8Type")
	age := must(std.ColumnValueType("age"))(t)
	equal(t, "age type", codec.ShortName(age), "LongType")
	if std.IsSuper() || std.IsCounter() || std.SuperNameType() != nil {
		t.Fatal("Std is neither super nor counter")
	}
	sup := e.cf(t, "Super")
	if !sup.IsSuper() || codec.ShortName(sup.SuperNameType()) != "UTF8Type" {
		t.Fatal("Super: want super with UTF8 super names")
	}
	if !e.cf(t, "Counter").IsCounter() {
		t.Fatal("Counter: want counter")
	}
	comp := e.cf(t, "Comp")
	equal(t, "composite", codec.ShortName(comp.NameType()), "CompositeType(LongType, AsciiType)")

	_, err := columnfamily.Open(bg, e.pool, "Missing")
	checkUnknownTable(t, "Open", err, "Missing")

	// Overrides and raw kinds.
	over := e.cf(t, "Std", columnfamily.ValueType(codec.Long), columnfamily.ColumnValueType("x", codec.Int32), columnfamily.RawKeys())
	equal(t, "override value", codec.ShortName(over.ValueType()), "LongType")
	equal(t, "override column", codec.ShortName(must(over.ColumnValueType("x"))(t)), "Int32Type")
	equal(t, "raw key", codec.ShortName(over.KeyType()), "BytesType")

	// Reload picks up a schema change.
	err = e.pool.Do(bg, func(ctx context.Context, c *pool.Conn) error {
		d := testColumnFamilies()[0]
		d.ColumnMetadata = append(d.ColumnMetadata, &thriftgen.ColumnDef{Name: []byte("height"), ValidationClass: "DoubleType"})
		ks, err := c.Client().DescribeKeyspace(ctx, testKeyspace)
		if err != nil {
			return err
		}
		for _, have := range ks.CfDefs {
			if have.Name == "Std" {
				d.ID = have.ID
			}
		}
		_, err = c.Client().SystemUpdateColumnFamily(ctx, d)
		return err
	})
	noErr(t, err)
	equal(t, "before reload", codec.ShortName(must(std.ColumnValueType("height"))(t)), "UTF8Type")
	noErr(t, std.Reload(bg))
	equal(t, "after reload", codec.ShortName(must(std.ColumnValueType("height"))(t)), "DoubleType")
}

func TestCFGetNotFoundVsEmpty(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	ts := must(cf.Insert(bg, "k", columnfamily.Cols{"1": "val1", "2": "val2", "age": 24}))(t)
	if ts <= 0 {
		t.Fatalf("timestamp %d", ts)
	}
	row := must(cf.Get(bg, "k", query.Select{}))(t)
	equal(t, "names", names(row.Columns), []any{"1", "2", "age"})
	equal(t, "age is a Long", row.Value("age"), int64(24))
	equal(t, "key", row.Key, "k")
	for _, c := range row.Columns {
		if c.Timestamp != ts || c.TTL != 0 {
			t.Fatalf("column %v: timestamp %d ttl %d, want %d and 0", c.Name, c.Timestamp, c.TTL, ts)
		}
	}

	cases := []struct {
		name string
		q    query.Select
	}{
		{"empty columns list", query.Columns()},
		{"single missing column (thrift get)", query.Columns("nope")},
		{"two missing columns", query.Columns("x", "y")},
		{"empty slice", query.Slice("3", "9")},
	}
	for _, c := range cases {
		_, err := cf.Get(bg, "k", c.q)
		if !errors.Is(err, cassa.ErrNotFound) {
			t.Errorf("%s: want ErrNotFound, got %v", c.name, err)
		}
	}
	_, err := cf.Get(bg, "missing", query.Select{})
	isNotFound(t, err)

	// The non-raising reads return empty results instead.
	rows := must(cf.MultiGet(bg, []any{"missing"}, query.Select{}))(t)
	equal(t, "multiget missing", len(rows), 0)
	n := must(cf.GetCount(bg, "missing", query.Select{}))(t)
	equal(t, "count missing", n, 0)
	cols := collect(t, cf.XGet(bg, "missing", query.Select{}))
	equal(t, "xget missing", len(cols), 0)

	// Single named column present, and a partial hit of two names.
	row = must(cf.Get(bg, "k", query.Columns("2")))(t)
	equal(t, "single", names(row.Columns), []any{"2"})
	row = must(cf.Get(bg, "k", query.Columns("2", "nope")))(t)
	equal(t, "partial", names(row.Columns), []any{"2"})
}

func TestCFSlicesAndReversed(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	cols := columnfamily.Cols{}
	for _, n := range []string{"a", "b", "c", "m", "n", "z"} {
		cols[n] = "v" + n
	}
	must(cf.Insert(bg, "k", cols))(t)
	cases := []struct {
		name string
		q    query.Select
		want []any
	}{
		{"all", query.Select{}, []any{"a", "b", "c", "m", "n", "z"}},
		{"a..m", query.Slice("a", "m"), []any{"a", "b", "c", "m"}},
		{"b..", query.Slice("b", nil), []any{"b", "c", "m", "n", "z"}},
		{"..c", query.Slice("", "c"), []any{"a", "b", "c"}},
		{"count", query.Slice("a", "m").PerPartitionLimit(2), []any{"a", "b"}},
		{"reversed", query.Select{}.Reversed(), []any{"z", "n", "m", "c", "b", "a"}},
		{"reversed m..b", query.Slice("m", "b").Reversed(), []any{"m", "c", "b"}},
		{"reversed count", query.Select{}.Reversed().PerPartitionLimit(2), []any{"z", "n"}},
		{"named", query.Columns("z", "a"), []any{"a", "z"}},
	}
	for _, c := range cases {
		row, err := cf.Get(bg, "k", c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		equal(t, c.name, names(row.Columns), c.want)
	}
	// Count defaults to 100 columns.
	many := columnfamily.Cols{}
	for i := 0; i < 150; i++ {
		many[fmt.Sprintf("c%03d", i)] = "x"
	}
	must(cf.Insert(bg, "wide", many))(t)
	row := must(cf.Get(bg, "wide", query.Select{}))(t)
	equal(t, "default count", len(row.Columns), 100)
	equal(t, "first 100 in order", row.Columns[99].Name, "c099")
}

func TestCFMultiGetOrder(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	var keys []any
	for i := 0; i < 10; i++ {
		k := fmt.Sprintf("key%d", 9-i) // not in key order
		keys = append(keys, k)
		must(cf.Insert(bg, k, columnfamily.Cols{"1": "v", "2": "w"}))(t)
	}
	for _, buf := range []int{1, 2, 3, 9, 10, 11, 100} {
		rows := must(cf.MultiGet(bg, keys, query.Select{}, columnfamily.BufferSize(buf)))(t)
		equal(t, fmt.Sprintf("buffer %d", buf), keysOf(rows), keys)
	}
	rows := must(cf.MultiGet(bg, []any{"x", "key3", "x", "y", "key1", "key3"}, query.Select{}))(t)
	equal(t, "missing dropped, duplicates collapsed", keysOf(rows), []any{"key3", "key1"})
	rows = must(cf.MultiGet(bg, []any{"key3"}, query.Slice("3", nil)))(t)
	equal(t, "empty slice dropped", len(rows), 0)
	rows = must(cf.MultiGet(bg, []any{"key2", "key1"}, query.Columns("2")))(t)
	equal(t, "named", keysOf(rows), []any{"key2", "key1"})
	equal(t, "named columns", names(rows[0].Columns), []any{"2"})
}

func TestCFGetCount(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	must(cf.Insert(bg, "key", columnfamily.Cols{"1": "val1", "2": "val2"}))(t)
	// pycassa's test_insert_get_count.
	cases := []struct {
		q    query.Select
		want int
	}{
		{query.Select{}, 2},
		{query.Slice("1", nil), 2},
		{query.Slice(nil, "2"), 2},
		{query.Slice("1", "2"), 2},
		{query.Slice("1", "1"), 1},
		{query.Columns("1", "2"), 2},
		{query.Columns("1"), 1},
		{query.Select{}.PerPartitionLimit(1), 1},
		{query.Select{}.PerPartitionLimit(1).Reversed(), 1},
		{query.Select{}.Reversed(), 2},
		{query.Slice("1", nil).Reversed(), 1},
	}
	for i, c := range cases {
		n, err := cf.GetCount(bg, "key", c.q)
		noErr(t, err)
		if n != c.want {
			t.Errorf("case %d: count %d, want %d", i, n, c.want)
		}
	}
	must(cf.Insert(bg, "other", columnfamily.Cols{"1": "x"}))(t)
	for _, buf := range []int{1, 2, 10} {
		got := must(cf.MultiGetCount(bg, []any{"none", "other", "key", "none"}, query.Select{}, columnfamily.BufferSize(buf)))(t)
		equal(t, "multiget_count", got, []columnfamily.KeyCount{{Key: "none", Count: 0}, {Key: "other", Count: 1}, {Key: "key", Count: 2}})
	}
}

// TestCFXGet is pycassa's test_xget: 200 columns 100..299.
func TestCFXGet(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	cols := columnfamily.Cols{}
	for i := 100; i < 300; i++ {
		cols[fmt.Sprint(i)] = fmt.Sprint(i)
	}
	must(cf.Insert(bg, "wide", cols))(t)
	first100 := sprintfRange("%d", 100, 199)
	all := sprintfRange("%d", 100, 299)
	for _, buf := range []int{1, 2, 7, 10, 199, 200, 201, 1000} {
		got := collect(t, cf.XGet(bg, "wide", query.Select{}.PerPartitionLimit(100), columnfamily.BufferSize(buf)))
		equal(t, fmt.Sprintf("count 100 buffer %d", buf), names(got), first100)
		for _, c := range got {
			if c.Value != c.Name {
				t.Fatalf("value of %v is %v", c.Name, c.Value)
			}
		}
		got = collect(t, cf.XGet(bg, "wide", query.Select{}.PerPartitionLimit(10000), columnfamily.BufferSize(buf)))
		equal(t, fmt.Sprintf("count 10000 buffer %d", buf), names(got), all)
		got = collect(t, cf.XGet(bg, "wide", query.Select{}, columnfamily.BufferSize(buf)))
		equal(t, fmt.Sprintf("unlimited buffer %d", buf), names(got), all)
	}
	// Reversed, bounded, with a small buffer.
	got := collect(t, cf.XGet(bg, "wide", query.Slice("150", "141").Reversed(), columnfamily.BufferSize(3)))
	equal(t, "reversed", names(got), []any{"150", "149", "148", "147", "146", "145", "144", "143", "142", "141"})
	// Stopping early stops paging.
	n := 0
	for _, err := range cf.XGet(bg, "wide", query.Select{}, columnfamily.BufferSize(5)) {
		noErr(t, err)
		if n++; n == 7 {
			break
		}
	}
	equal(t, "break", n, 7)
}

func TestCFXGetCounters(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Counter")
	must(cf.Insert(bg, "k", columnfamily.Cols{"col1": 1}))(t)
	got := collect(t, cf.XGet(bg, "k", query.Select{}))
	equal(t, "one", got, []columnfamily.Column{{Name: "col1", Value: int64(1)}})
	must(cf.Insert(bg, "k", columnfamily.Cols{"col1": 1, "col2": 1}))(t)
	got = collect(t, cf.XGet(bg, "k", query.Select{}, columnfamily.BufferSize(1)))
	equal(t, "two", got, []columnfamily.Column{{Name: "col1", Value: int64(2)}, {Name: "col2", Value: int64(1)}})

	sc := e.cf(t, "SuperCounter")
	must(sc.Insert(bg, "k", columnfamily.SuperCols{"scol": {"col1": 1}}))(t)
	must(sc.Insert(bg, "k", columnfamily.SuperCols{"scol": {"col1": 1, "col2": 1}}))(t)
	sup := collect(t, sc.XGetSuper(bg, "k", query.Select{}))
	equal(t, "super counters", sup, []columnfamily.SuperColumn{{Name: "scol", Columns: []columnfamily.Column{
		{Name: "col1", Value: int64(2)}, {Name: "col2", Value: int64(1)}}}})
}

// rangeFixture inserts rows key100..key200, then key201..key300 (pycassa's
// test_get_range_batching).
func rangeFixture(t *testing.T, cf *columnfamily.ColumnFamily) {
	var rows []columnfamily.RowValues
	for i := 100; i <= 300; i++ {
		rows = append(rows, columnfamily.RowValues{Key: fmt.Sprintf("key%d", i), Values: columnfamily.Cols{"c": "v"}})
	}
	must(cf.BatchInsert(bg, rows))(t)
}

func TestCFGetRangePaging(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	rangeFixture(t, cf)
	for _, buf := range []int{1, 2, 7, 10, 150, 1000} {
		rows := collect(t, cf.GetRange(bg, query.Select{}.Limit(100), columnfamily.BufferSize(buf)))
		equal(t, fmt.Sprintf("row count 100 buffer %d", buf), keysOf(rows), sprintfRange("key%d", 100, 199))
	}
	for _, buf := range []int{1, 2, 77, 200, 201, 202, 10000} {
		rows := collect(t, cf.GetRange(bg, query.Select{}, columnfamily.BufferSize(buf)))
		equal(t, fmt.Sprintf("all, buffer %d", buf), keysOf(rows), sprintfRange("key%d", 100, 300))
		rows = collect(t, cf.GetRange(bg, query.Select{}.Limit(10000), columnfamily.BufferSize(buf)))
		equal(t, fmt.Sprintf("row count 10000, buffer %d", buf), len(rows), 201)
	}
	rows := collect(t, cf.GetRange(bg, query.Select{}.Limit(201), columnfamily.BufferSize(201)))
	equal(t, "exactly", len(rows), 201)
	// Key bounds are inclusive at both ends.
	rows = collect(t, cf.GetRange(bg, query.Keys("key110", "key112")))
	equal(t, "key range", keysOf(rows), []any{"key110", "key111", "key112"})
	rows = collect(t, cf.GetRange(bg, query.Keys("key150", "key160"), columnfamily.BufferSize(3)))
	equal(t, "key range paged", keysOf(rows), sprintfRange("key%d", 150, 160))
	rows = collect(t, cf.GetRange(bg, query.Keys("key295", nil), columnfamily.BufferSize(2)))
	equal(t, "open finish", keysOf(rows), sprintfRange("key%d", 295, 300))
}

func TestCFGetRangeTokens(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	for i := 100; i <= 200; i++ {
		must(cf.Insert(bg, fmt.Sprintf("key%d", i), columnfamily.Cols{"c": "v"}))(t)
	}
	hex := func(s string) string { return fmt.Sprintf("%x", s) }
	cases := []struct {
		name string
		q    query.Select
		buf  int
		n    int
	}{
		{"start and finish", query.Tokens(hex("key100"), hex("key200")), 0, 100},
		{"paged", query.Tokens(hex("key100"), hex("key200")), 10, 100},
		{"start only", query.Tokens(hex("key100"), ""), 10, 100},
		{"finish only", query.Select{}.UntilToken(hex("key201")), 10, 101},
		{"start key, finish token", query.Keys("key150", nil).UntilToken(hex("key160")), 4, 11},
	}
	for _, c := range cases {
		rows := collect(t, cf.GetRange(bg, c.q, columnfamily.BufferSize(c.buf)))
		if len(rows) != c.n {
			t.Errorf("%s: %d rows, want %d", c.name, len(rows), c.n)
		}
	}
	// A finish key cannot take a finish token; the select refuses it.
	for _, err := range cf.GetRange(bg, query.Keys(nil, "b").UntilToken("00")) {
		if !errors.Is(err, query.ErrInvalid) {
			t.Fatalf("want query.ErrInvalid, got %v", err)
		}
	}
}

func TestCFGetRangeGhosts(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	for i := 0; i < 20; i++ {
		must(cf.Insert(bg, fmt.Sprintf("k%02d", i), columnfamily.Cols{"c": "v"}))(t)
	}
	// Delete every even row: they become range ghosts.
	for i := 0; i < 20; i += 2 {
		must(cf.Remove(bg, fmt.Sprintf("k%02d", i), query.Select{}))(t)
	}
	odd := sprintfRange("k%02d", 0, -1)
	for i := 1; i < 20; i += 2 {
		odd = append(odd, fmt.Sprintf("k%02d", i))
	}
	for _, buf := range []int{1, 2, 3, 5, 1024} {
		rows := collect(t, cf.GetRange(bg, query.Select{}, columnfamily.BufferSize(buf)))
		equal(t, fmt.Sprintf("filtered, buffer %d", buf), keysOf(rows), odd)
		// Ghosts do not count towards the row count.
		rows = collect(t, cf.GetRange(bg, query.Select{}.Limit(5), columnfamily.BufferSize(buf)))
		equal(t, fmt.Sprintf("row count 5, buffer %d", buf), keysOf(rows), odd[:5])
		rows = collect(t, cf.GetRange(bg, query.Select{}, columnfamily.BufferSize(buf), columnfamily.KeepEmpty()))
		equal(t, fmt.Sprintf("kept, buffer %d", buf), len(rows), 20)
		for _, r := range rows {
			var i int
			fmt.Sscanf(r.Key.(string), "k%d", &i)
			if (i%2 == 0) != (r.Len() == 0) {
				t.Fatalf("row %v has %d columns", r.Key, r.Len())
			}
		}
	}
	// pycassa issue #92: a selection of no columns yields nothing unless
	// empty rows are kept.
	equal(t, "no columns", len(collect(t, cf.GetRange(bg, query.Columns()))), 0)
	equal(t, "keys only", len(collect(t, cf.GetRange(bg, query.Columns(), columnfamily.KeepEmpty()))), 20)
}

func TestCFCompositeSlices(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Comp")
	var cols columnfamily.ColumnList
	for _, n := range []codec.Tuple{{1, "a"}, {1, "b"}, {2, "a"}, {2, "b"}, {3, "a"}} {
		cols = append(cols, columnfamily.Column{Name: n, Value: "v"})
	}
	must(cf.Insert(bg, "k", cols))(t)
	tup := func(l int64, s string) codec.Tuple { return codec.Tuple{l, s} }
	cases := []struct {
		name string
		q    query.Select
		want []any
	}{
		{"all", query.Select{}, []any{tup(1, "a"), tup(1, "b"), tup(2, "a"), tup(2, "b"), tup(3, "a")}},
		{"1..2 inclusive", query.Slice(codec.Tuple{1}, codec.Tuple{2}),
			[]any{tup(1, "a"), tup(1, "b"), tup(2, "a"), tup(2, "b")}},
		{"exclusive start", query.Slice(codec.Tuple{codec.Exclusive(1)}, codec.Tuple{2}),
			[]any{tup(2, "a"), tup(2, "b")}},
		{"exclusive finish", query.Slice(codec.Tuple{1}, codec.Tuple{codec.Exclusive(2)}),
			[]any{tup(1, "a"), tup(1, "b")}},
		{"second component", query.Slice(codec.Tuple{1, "b"}, codec.Tuple{2, "a"}),
			[]any{tup(1, "b"), tup(2, "a")}},
		{"second component exclusive", query.Slice(codec.Tuple{1, codec.Exclusive("a")}, codec.Tuple{2, codec.Exclusive("b")}),
			[]any{tup(1, "b"), tup(2, "a")}},
		{"reversed 2..1", query.Slice(codec.Tuple{2}, codec.Tuple{1}).Reversed(),
			[]any{tup(2, "b"), tup(2, "a"), tup(1, "b"), tup(1, "a")}},
		{"reversed exclusive", query.Slice(codec.Tuple{codec.Exclusive(3)}, codec.Tuple{codec.Exclusive(1)}).Reversed(),
			[]any{tup(2, "b"), tup(2, "a")}},
		{"named", query.Columns(codec.Tuple{2, "a"}, codec.Tuple{9, "z"}), []any{tup(2, "a")}},
	}
	for _, c := range cases {
		row, err := cf.Get(bg, "k", c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		equal(t, c.name, names(row.Columns), c.want)
	}
	// XGet pages through composites with the same bounds.
	got := collect(t, cf.XGet(bg, "k", query.Slice(codec.Tuple{1}, codec.Tuple{2}), columnfamily.BufferSize(2)))
	equal(t, "xget composite", len(got), 4)
}

func TestCFTimeUUIDSlices(t *testing.T) {
	e := newEnv(t)
	base := time.Date(2010, 12, 11, 8, 2, 15, 0, time.UTC)
	at := func(i int) time.Time { return base.Add(time.Duration(i) * time.Second) }
	for _, name := range []string{"Time", "RevTime"} {
		cf := e.cf(t, name)
		var cols columnfamily.ColumnList
		for i := 0; i < 10; i++ {
			// A time as a name becomes a random v1 UUID of that instant.
			cols = append(cols, columnfamily.Column{Name: at(i), Value: fmt.Sprint(i)})
		}
		must(cf.Insert(bg, "k", cols))(t)
		values := func(cs []columnfamily.Column) []any {
			var out []any
			for _, c := range cs {
				out = append(out, c.Value)
			}
			return out
		}
		asc, desc := []any{"2", "3", "4", "5"}, []any{"5", "4", "3", "2"}
		fwd, rev := asc, desc
		if name == "RevTime" {
			fwd, rev = desc, asc
		}
		lo, hi := at(2), at(5)
		if name == "RevTime" {
			lo, hi = hi, lo // the comparator's order runs backwards in time
		}
		row := must(cf.Get(bg, "k", query.Slice(lo, hi)))(t)
		equal(t, name+" slice of times", values(row.Columns), fwd)
		row = must(cf.Get(bg, "k", query.Slice(hi, lo).Reversed()))(t)
		equal(t, name+" reversed slice of times", values(row.Columns), rev)
		got := collect(t, cf.XGet(bg, "k", query.Slice(lo, hi), columnfamily.BufferSize(2)))
		equal(t, name+" xget", values(got), fwd)
		// Names come back as UUIDs of the right instant.
		u, ok := row.Columns[0].Name.(uuid.UUID)
		if !ok {
			t.Fatalf("name is %T", row.Columns[0].Name)
		}
		tm, err := codec.TimeFromUUID(u)
		noErr(t, err)
		if !tm.Equal(at(5)) && !tm.Equal(at(2)) {
			t.Fatalf("time of name: %v", tm)
		}
		// A time among named columns is random: it matches nothing.
		_, err = cf.Get(bg, "k", query.Columns(at(3)))
		isNotFound(t, err)
	}
}

func TestCFSuperShapes(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Super")
	must(cf.Insert(bg, "k", columnfamily.SuperCols{
		"1": {"sub1": "a"},
		"2": {"sub2": "b", "sub3": "c"},
		"3": {"sub1": "d"},
	}))(t)
	row := must(cf.Get(bg, "k", query.Select{}))(t)
	if len(row.Columns) != 0 || len(row.SuperColumns) != 3 {
		t.Fatalf("whole row: %+v", row)
	}
	sc, ok := row.Super("2")
	if !ok || len(sc.Columns) != 2 || sc.Columns[1].Name != "sub3" || sc.Columns[1].Value != "c" {
		t.Fatalf("super column 2: %+v", sc)
	}
	row = must(cf.Get(bg, "k", query.Select{}, columnfamily.Super("2")))(t)
	equal(t, "sub-columns, no wrapper", names(row.Columns), []any{"sub2", "sub3"})
	equal(t, "no super columns", len(row.SuperColumns), 0)
	row = must(cf.Get(bg, "k", query.Columns("sub3"), columnfamily.Super("2")))(t)
	equal(t, "one sub-column via get", names(row.Columns), []any{"sub3"})
	_, err := cf.Get(bg, "k", query.Columns("nope"), columnfamily.Super("2"))
	isNotFound(t, err)
	row = must(cf.Get(bg, "k", query.Columns("3")))(t)
	equal(t, "named super column", len(row.SuperColumns), 1)
	rows := must(cf.MultiGet(bg, []any{"k"}, query.Select{}, columnfamily.Super("1")))(t)
	equal(t, "multiget super", names(rows[0].Columns), []any{"sub1"})
	ranged := collect(t, cf.GetRange(bg, query.Select{}))
	equal(t, "range super", len(ranged[0].SuperColumns), 3)
	sups := collect(t, cf.XGetSuper(bg, "k", query.Select{}, columnfamily.BufferSize(2)))
	equal(t, "xget super", len(sups), 3)
	subs := collect(t, cf.XGet(bg, "k", query.Select{}, columnfamily.Super("2"), columnfamily.BufferSize(1)))
	equal(t, "xget sub-columns", names(subs), []any{"sub2", "sub3"})
	for _, err := range cf.XGet(bg, "k", query.Select{}) {
		if !errors.Is(err, columnfamily.ErrInvalidOption) {
			t.Fatalf("xget on super without Super: %v", err)
		}
	}

	// pycassa's super-CF remove test.
	equal(t, "count", must(cf.GetCount(bg, "k", query.Select{}))(t), 3)
	must(cf.Remove(bg, "k", query.Select{}, columnfamily.Super("1")))(t)
	equal(t, "after removing 1", must(cf.GetCount(bg, "k", query.Select{}))(t), 2)
	must(cf.Remove(bg, "k", query.Columns("3")))(t)
	equal(t, "after removing 3", must(cf.GetCount(bg, "k", query.Select{}))(t), 1)
	equal(t, "sub count", must(cf.GetCount(bg, "k", query.Select{}, columnfamily.Super("2")))(t), 2)
	must(cf.Remove(bg, "k", query.Columns("sub2"), columnfamily.Super("2")))(t)
	equal(t, "sub count after", must(cf.GetCount(bg, "k", query.Select{}, columnfamily.Super("2")))(t), 1)

	// Shapes that do not fit are refused before sending.
	_, err = cf.Insert(bg, "k", columnfamily.Cols{"x": "y"})
	var me *columnfamily.MutationError
	if !errors.As(err, &me) || me.CF != "Super" || me.Key != "k" {
		t.Fatalf("standard columns into a super CF: %v", err)
	}
	std := e.cf(t, "Std")
	_, err = std.Insert(bg, "k", columnfamily.SuperCols{"a": {"b": "c"}})
	if !errors.Is(err, columnfamily.ErrInvalidOption) {
		t.Fatalf("super columns into a standard CF: %v", err)
	}
	if _, err := std.Get(bg, "k", query.Select{}, columnfamily.Super("a")); !errors.Is(err, columnfamily.ErrInvalidOption) {
		t.Fatalf("Super on a standard CF: %v", err)
	}
}

func TestCFIndexedSlices(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Indexed")
	var rows []columnfamily.RowValues
	for i := 0; i < 200; i++ {
		rows = append(rows, columnfamily.RowValues{Key: fmt.Sprintf("key%03d", i), Values: columnfamily.Cols{"birthdate": 1, "name": "n"}})
	}
	rows = append(rows, columnfamily.RowValues{Key: "other", Values: columnfamily.Cols{"birthdate": 2}})
	must(cf.BatchInsert(bg, rows))(t)
	eq1 := query.Where("birthdate").Eq(1)
	for _, c := range []struct{ count, buf, want int }{
		{10, 1, 10}, {10, 2, 10}, {10, 10, 10}, {10, 77, 10}, {10, 1000, 10},
		{250, 2, 200}, {250, 10, 200}, {250, 77, 200}, {250, 200, 200}, {250, 1000, 200},
		{query.Unlimited, 7, 200}, {0, 1000, 100},
	} {
		q := eq1
		if c.count != 0 {
			q = q.Limit(c.count)
		}
		got := collect(t, cf.GetIndexedSlices(bg, q, columnfamily.BufferSize(c.buf)))
		if len(got) != c.want {
			t.Fatalf("count %d buffer %d: %d rows, want %d", c.count, c.buf, len(got), c.want)
		}
		for i, r := range got {
			if r.Key != fmt.Sprintf("key%03d", i) || r.Value("birthdate") != int64(1) {
				t.Fatalf("row %d: %+v", i, r)
			}
		}
	}
	got := collect(t, cf.GetIndexedSlices(bg, eq1.StartKey("key190").Columns("name")))
	equal(t, "start key", len(got), 10)
	equal(t, "selected columns", names(got[0].Columns), []any{"name"})
	sup := e.cf(t, "Super")
	for _, err := range sup.GetIndexedSlices(bg, eq1) {
		if !errors.Is(err, columnfamily.ErrInvalidOption) {
			t.Fatalf("super CF: %v", err)
		}
	}
	// Checked against the schema before anything is sent: name has no index.
	for _, err := range cf.GetIndexedSlices(bg, query.Where("name").Eq("n")) {
		var ce *query.ClauseError
		if !errors.As(err, &ce) || !errors.Is(err, query.ErrNoIndexedEQ) {
			t.Fatalf("EQ on an unindexed column: %v", err)
		}
	}
}

func TestCFRawKinds(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std", columnfamily.RawNames(), columnfamily.RawValues(), columnfamily.RawKeys())
	must(cf.Insert(bg, []byte("k"), columnfamily.Cols{"a": []byte("x"), "age": string([]byte{0, 0, 0, 0, 0, 0, 0, 9})}))(t)
	row := must(cf.Get(bg, "k", query.Select{}))(t)
	equal(t, "raw names", row.Columns[0].Name, []byte("a"))
	equal(t, "raw values", row.Columns[1].Value, []byte{0, 0, 0, 0, 0, 0, 0, 9})
	rows := collect(t, cf.GetRange(bg, query.Select{}))
	equal(t, "raw key", rows[0].Key, []byte("k"))
	// Raw input is still validated against the schema before it is sent.
	_, err := cf.Insert(bg, "k", columnfamily.Cols{"age": "short"})
	var pe *columnfamily.PackError
	if !errors.As(err, &pe) {
		t.Fatalf("invalid raw Long: %v", err)
	}
	// Bytes the codec cannot read come back as a *PackError, not a panic.
	b := e.cf(t, "Bytes")
	must(b.Insert(bg, "k", columnfamily.Cols{"n": []byte{1, 2, 3}}))(t)
	asLong := e.cf(t, "Bytes", columnfamily.ValueType(codec.Long))
	if _, err := asLong.Get(bg, "k", query.Select{}); !errors.As(err, &pe) {
		t.Fatalf("3 bytes as a Long: %v", err)
	}
	for _, err := range asLong.GetRange(bg, query.Select{}) {
		if !errors.As(err, &pe) {
			t.Fatalf("3 bytes as a Long in a range: %v", err)
		}
	}
	// Packing errors name the column family and what failed.
	long := e.cf(t, "Long")
	_, err = long.Insert(bg, "abc", columnfamily.Cols{1: 2})
	if !errors.As(err, &pe) || pe.What != "key" || pe.CF != "Long" {
		t.Fatalf("string key into LongType: %v", err)
	}
}

func TestCFRowFilter(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	for i := 0; i < 10; i++ {
		must(cf.Insert(bg, fmt.Sprintf("k%d", i), columnfamily.Cols{"age": i, "name": "n"}))(t)
	}
	// The server checks the relations row by row: age has no index. Values
	// are packed with the column's validator (LongType).
	rows := collect(t, cf.GetRange(bg, query.Where("age").Gte(3).And("age").Lt(6), columnfamily.BufferSize(2)))
	equal(t, "filtered rows", keysOf(rows), []any{"k3", "k4", "k5"})
}

// TestCFSetColumnValueType is pycassa's TestPackerOverride: a validator set
// on the column family applies at once, and removing it falls back to the
// default value type.
func TestCFSetColumnValueType(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	noErr(t, cf.SetColumnValueType("flag", codec.Boolean))
	must(cf.Insert(bg, "k", columnfamily.Cols{"flag": true}))(t)
	equal(t, "as bool", must(cf.Get(bg, "k", query.Select{}))(t).Value("flag"), true)
	noErr(t, cf.Reload(bg))
	equal(t, "kept after reload", codec.ShortName(must(cf.ColumnValueType("flag"))(t)), "BooleanType")
	noErr(t, cf.SetColumnValueType("flag", nil))
	equal(t, "removed", codec.ShortName(must(cf.ColumnValueType("flag"))(t)), "UTF8Type")
	noErr(t, cf.SetColumnValueType("age", nil))
	equal(t, "schema validator removed", codec.ShortName(must(cf.ColumnValueType("age"))(t)), "UTF8Type")
	if err := e.cf(t, "Long").SetColumnValueType("not a long", codec.Boolean); err == nil {
		t.Fatal("a name the comparator cannot pack was accepted")
	}
}

func TestCFDynamicCompositeSlices(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "DynComp")
	name := func(l int64, a string) codec.Tuple { return codec.Tuple{codec.ByAlias('l', l), codec.ByAlias('a', a)} }
	var cols columnfamily.ColumnList
	for _, n := range []codec.Tuple{name(1, "a"), name(1, "b"), name(2, "a"), name(3, "a")} {
		cols = append(cols, columnfamily.Column{Name: n, Value: "v"})
	}
	must(cf.Insert(bg, "k", cols))(t)
	count := func(q query.Select) int {
		t.Helper()
		return len(must(cf.Get(bg, "k", q))(t).Columns)
	}
	l := func(v int64) codec.DynamicComponent { return codec.ByAlias('l', v) }
	equal(t, "all", count(query.Select{}), 4)
	equal(t, "1..2 inclusive", count(query.Slice(codec.Tuple{l(1)}, codec.Tuple{l(2)})), 3)
	equal(t, "exclusive start", count(query.Slice(codec.Tuple{codec.Exclusive(l(1))}, codec.Tuple{l(2)})), 1)
	equal(t, "reversed 3..2", count(query.Slice(codec.Tuple{l(3)}, codec.Tuple{l(2)}).Reversed()), 2)
	row := must(cf.Get(bg, "k", query.Select{}.PerPartitionLimit(1)))(t)
	got, ok := row.Columns[0].Name.(codec.Tuple)
	if !ok || len(got) != 2 {
		t.Fatalf("name %#v", row.Columns[0].Name)
	}
	if c, ok := got[0].(codec.DynamicComponent); !ok || c.Alias != 'l' || c.Value != int64(1) {
		t.Fatalf("first component %#v", got[0])
	}
}
