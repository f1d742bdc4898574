package server_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Single-row reads: get, get_slice, get_count and get_multi_slice. Slice
// ranges and column_names, reversed slices, super columns, counting, and
// every refusal with the order of Cassandra's checks.

func TestThriftEmptySlice(t *testing.T) {
	c := dtestClient(t, server.Config{})
	if res := c.bigSlice(t, "key1", parent("Standard2")); len(res) != 0 || res == nil {
		t.Fatalf("want [], got %#v", res)
	}
	if res := c.bigSlice(t, "key1", parent("Super1")); len(res) != 0 {
		t.Fatalf("want [], got %v", res)
	}
}

func TestThriftGetMissingSuper(t *testing.T) {
	c := dtestClient(t, server.Config{})
	_, err := c.Get(ctx, []byte("key1"), path("Super1", []byte("sc1"), longBytes(1)), ONE)
	mustNFE(t, err)
	insertSuper(t, c, "key1")
	_, err = c.Get(ctx, []byte("key1"), path("Super1", []byte("sc1"), longBytes(1)), ONE)
	mustNFE(t, err)
}

func TestThriftSuperSubcolumnLimit(t *testing.T) {
	c := dtestClient(t, server.Config{})
	insertSuper(t, c, "key1")
	p := superParent("Super1", []byte("sc2"))
	res, err := c.GetSlice(ctx, []byte("key1"), p, columnRange("", "", false, 1), ONE)
	must(t, err)
	mustEqualColumns(t, columns(t, res), []*tg.Column{bcol(longBytes(5), "value5", 0)})
	res, err = c.GetSlice(ctx, []byte("key1"), p, columnRange("", "", true, 1), ONE)
	must(t, err)
	mustEqualColumns(t, columns(t, res), []*tg.Column{bcol(longBytes(6), "value6", 0)})
}

func TestThriftGetSliceRange(t *testing.T) {
	c := dtestClient(t, server.Config{})
	c.insert(t, "key1", parent("Standard1"), col("c1", "value1", 0), col("c2", "value2", 0), col("c3", "value3", 0))
	for _, tc := range []struct {
		pred *tg.SlicePredicate
		want string
	}{
		{columnRange("c1", "c2", false, 1000), "c1,c2"},
		{columnRange("c3", "c2", true, 1000), "c3,c2"},
		{columnRange("a", "z", false, 1000), "c1,c2,c3"},
		{columnRange("a", "z", false, 2), "c1,c2"},
		{columnRange("", "", true, 2), "c3,c2"},
		{columnRange("c2", "", true, 100), "c2,c1"},
		{columnRange("", "", false, 0), ""},
		{names("c3", "c1", "zz", "c1"), "c1,c3"}, // comparator order, duplicates collapse
	} {
		res, err := c.GetSlice(ctx, []byte("key1"), parent("Standard1"), tc.pred, ONE)
		must(t, err)
		if res == nil {
			t.Fatal("nil result list")
		}
		if got := strings.Join(colNames(t, res), ","); got != tc.want {
			t.Errorf("%v: got %q, want %q", tc.pred, got, tc.want)
		}
	}
	// For a reversed slice the start is the high end.
	_, err := c.GetSlice(ctx, []byte("key1"), parent("Standard1"), columnRange("c1", "c3", true, 10), ONE)
	mustIRE(t, err, "range finish must come after start in the order of traversal")
	_, err = c.GetSlice(ctx, []byte("key1"), parent("Standard1"), columnRange("c3", "c1", false, 10), ONE)
	mustIRE(t, err, "range finish must come after start in the order of traversal")
	_, err = c.GetSlice(ctx, []byte("key1"), parent("Standard1"), columnRange("", "", false, -1), ONE)
	mustIRE(t, err, "get_slice requires non-negative count")
	_, err = c.GetSlice(ctx, []byte("key1"), parent("Standard1"), &tg.SlicePredicate{}, ONE)
	mustIRE(t, err, "predicate column_names and slice_range may not both be null")
	both := columnRange("", "", false, 1)
	both.ColumnNames = [][]byte{[]byte("a")}
	_, err = c.GetSlice(ctx, []byte("key1"), parent("Standard1"), both, ONE)
	mustIRE(t, err, "predicate column_names and slice_range may not both be present")
	_, err = c.GetSlice(ctx, []byte("key1"), parent("Standard1"), columnRangeBytes(bytes.Repeat([]byte("a"), 65536), nil, false, 1), ONE)
	mustIRE(t, err, "range start length cannot be larger than 65535")
}

func TestThriftGetSliceSuperRange(t *testing.T) {
	c := dtestClient(t, server.Config{})
	for sc, n := range map[string][]int64{"sc1": {4}, "sc2": {5, 6}, "sc3": {7}} {
		for _, v := range n {
			c.insert(t, "key1", superParent("Super1", []byte(sc)), bcol(longBytes(v), fmt.Sprint("value", v), 0))
		}
	}
	res, err := c.GetSlice(ctx, []byte("key1"), parent("Super1"), columnRange("sc2", "sc3", false, 2), ONE)
	must(t, err)
	if got := strings.Join(colNames(t, res), ","); got != "sc2,sc3" {
		t.Fatalf("got %s", got)
	}
	res, err = c.GetSlice(ctx, []byte("key1"), parent("Super1"), columnRange("sc3", "sc2", true, 2), ONE)
	must(t, err)
	if got := strings.Join(colNames(t, res), ","); got != "sc3,sc2" {
		t.Fatalf("got %s", got)
	}
	// Count counts whole super columns without super_column...
	res, err = c.GetSlice(ctx, []byte("key1"), parent("Super1"), columnRange("", "", false, 2), ONE)
	must(t, err)
	if len(res) != 2 || len(res[1].SuperColumn.Columns) != 2 {
		t.Fatalf("super count: %v", res)
	}
	// ...and 3.11 reverses the sub-columns inside each super column of a
	// reversed slice (CassandraServer.thriftifySuperColumns; 2.2 kept them
	// ascending).
	res, err = c.GetSlice(ctx, []byte("key1"), parent("Super1"), columnRange("", "", true, 10), ONE)
	must(t, err)
	if got := strings.Join(colNames(t, res), ","); got != "sc3,sc2,sc1" {
		t.Fatalf("reversed supers %s", got)
	}
	if sub := res[1].SuperColumn.Columns; !bytes.Equal(sub[0].Name, longBytes(6)) || !bytes.Equal(sub[1].Name, longBytes(5)) {
		t.Fatalf("sub-columns of a reversed super slice: %v", sub)
	}
	// With super_column, items are sub-columns.
	res, err = c.GetSlice(ctx, []byte("key1"), superParent("Super1", []byte("sc2")), columnRange("", "", false, 1), ONE)
	must(t, err)
	if len(res) != 1 || res[0].Column == nil {
		t.Fatalf("sub slice: %v", res)
	}
	// Names inside a super column.
	res, err = c.GetSlice(ctx, []byte("key1"), superParent("Super1", []byte("sc1")), byteNames(longBytes(4)), ONE)
	must(t, err)
	if len(res) != 1 || !bytes.Equal(res[0].Column.Name, longBytes(4)) {
		t.Fatalf("by name: %v", res)
	}
}

func int64FromBytes(b []byte) int64 {
	var v int64
	for _, x := range b {
		v = v<<8 | int64(x)
	}
	return v
}

func TestThriftColumnNamesOrder(t *testing.T) {
	c := dtestClient(t, server.Config{})
	lp := parent("StandardLong1")
	for _, n := range []int64{-5, 0, 7, 1 << 40} {
		c.insert(t, "k", lp, bcol(longBytes(n), "v", 1))
	}
	res, err := c.GetSlice(ctx, []byte("k"), lp, byteNames(longBytes(1<<40), longBytes(7), longBytes(-5), longBytes(7), longBytes(99), longBytes(-5)), ONE)
	must(t, err)
	var got []int64
	for _, r := range res {
		got = append(got, int64FromBytes(r.Column.Name))
	}
	if len(got) != 3 || got[0] != -5 || got[1] != 7 || got[2] != 1<<40 {
		t.Fatalf("column_names order %v, want [-5 7 1099511627776]", got)
	}
	// Reversed ranges: start is the high end, signed comparison.
	_, err = c.GetSlice(ctx, []byte("k"), lp, columnRangeBytes(longBytes(-5), longBytes(7), true, 10), ONE)
	mustIRE(t, err, "range finish must come after start in the order of traversal")
	res, err = c.GetSlice(ctx, []byte("k"), lp, columnRangeBytes(longBytes(7), longBytes(-5), true, 10), ONE)
	must(t, err)
	if len(res) != 3 || int64FromBytes(res[0].Column.Name) != 7 || int64FromBytes(res[2].Column.Name) != -5 {
		t.Fatalf("reversed signed slice %v", res)
	}
	_, err = c.GetSlice(ctx, []byte("k"), lp, columnRangeBytes(longBytes(7), longBytes(-5), false, 10), ONE)
	mustIRE(t, err, "range finish must come after start in the order of traversal")
	// Equal bounds are fine in both directions.
	res, err = c.GetSlice(ctx, []byte("k"), lp, columnRangeBytes(longBytes(7), longBytes(7), true, 10), ONE)
	must(t, err)
	if len(res) != 1 {
		t.Fatalf("start == finish reversed: %v", res)
	}
	// A reversed slice with only a finish bound.
	res, err = c.GetSlice(ctx, []byte("k"), lp, columnRangeBytes(nil, longBytes(0), true, 10), ONE)
	must(t, err)
	if len(res) != 3 || int64FromBytes(res[2].Column.Name) != 0 {
		t.Fatalf("reversed open start: %v", res)
	}
	// count 0 returns nothing, even with data.
	res, err = c.GetSlice(ctx, []byte("k"), lp, columnRangeBytes(nil, nil, false, 0), ONE)
	must(t, err)
	if len(res) != 0 {
		t.Fatalf("count 0: %v", res)
	}

	// IntegerType: 0x0001 and 0x01 are the same column; a later timestamp
	// replaces the earlier cell; 0xff and 0xffff are both -1.
	ip := parent("StandardInteger1")
	c.insert(t, "i", ip, bcol([]byte{0x00, 0x01}, "first", 1), bcol([]byte{0x01}, "second", 2))
	c.insert(t, "i", ip, bcol([]byte{0xff}, "m1", 1), bcol([]byte{0xff, 0xff}, "m1b", 2))
	res, err = c.GetSlice(ctx, []byte("i"), ip, columnRangeBytes(nil, nil, false, 100), ONE)
	must(t, err)
	if len(res) != 2 || string(res[0].Column.Value) != "m1b" || string(res[1].Column.Value) != "second" {
		t.Fatalf("IntegerType equal names: %v", res)
	}
	res, err = c.GetSlice(ctx, []byte("i"), ip, byteNames([]byte{0x01}, []byte{0x00, 0x00, 0x01}, []byte{0x00, 0x01}), ONE)
	must(t, err)
	if len(res) != 1 || string(res[0].Column.Value) != "second" {
		t.Fatalf("IntegerType column_names duplicates: %v", res)
	}
	got1, err := c.Get(ctx, []byte("i"), path("StandardInteger1", nil, []byte{0, 0, 0, 1}), ONE)
	must(t, err)
	if string(got1.Column.Value) != "second" {
		t.Fatalf("IntegerType get: %v", got1)
	}
	n, err := c.GetCount(ctx, []byte("i"), ip, columnRangeBytes(nil, nil, false, 100), ONE)
	must(t, err)
	if n != 2 {
		t.Fatalf("IntegerType count %d", n)
	}
	// Removing 0x00000001 removes the column named 0x01.
	must(t, c.Remove(ctx, []byte("i"), path("StandardInteger1", nil, []byte{0, 0, 0, 1}), 3, ONE))
	assertNoPath(t, c, "i", path("StandardInteger1", nil, []byte{1}))
}

func TestThriftSuperCounting(t *testing.T) {
	c := dtestClient(t, server.Config{})
	for _, sc := range []int64{1, 2, 3} {
		for _, sub := range []int64{10, 20} {
			c.insert(t, "k", superParent("Super3", longBytes(sc)), bcol([]byte{byte('a' + sub)}, "v", 1))
		}
	}
	p := parent("Super3")
	for _, tc := range []struct {
		pred *tg.SlicePredicate
		sc   []byte
		want int32
	}{
		{columnRange("", "", false, 100), nil, 3},
		{columnRange("", "", false, 2), nil, 2},
		{columnRange("", "", false, 100), longBytes(2), 2},
		{columnRange("", "", false, 1), longBytes(2), 1},
		{byteNames(longBytes(3), longBytes(1), longBytes(1), longBytes(9)), nil, 2},
		{names(string([]byte{'a' + 20}), string([]byte{'a' + 20})), longBytes(1), 1},
	} {
		pp := p
		if tc.sc != nil {
			pp = superParent("Super3", tc.sc)
		}
		n, err := c.GetCount(ctx, []byte("k"), pp, tc.pred, ONE)
		must(t, err)
		if n != tc.want {
			t.Errorf("get_count(%v, sc=%x) = %d, want %d", tc.pred, tc.sc, n, tc.want)
		}
		mc, err := c.MultigetCount(ctx, [][]byte{[]byte("k"), []byte("none")}, pp, tc.pred, ONE)
		must(t, err)
		if mc["k"] != tc.want || len(mc) != 2 || mc["none"] != 0 {
			t.Errorf("multiget_count(%v, sc=%x) = %v, want %d", tc.pred, tc.sc, mc, tc.want)
		}
		res, err := c.GetSlice(ctx, []byte("k"), pp, tc.pred, ONE)
		must(t, err)
		if int32(len(res)) != tc.want {
			t.Errorf("get_slice(%v, sc=%x) has %d items, want %d", tc.pred, tc.sc, len(res), tc.want)
		}
	}
	// column_names on whole super columns: comparator order, duplicates
	// collapsed, each with all its sub-columns.
	res, err := c.GetSlice(ctx, []byte("k"), p, byteNames(longBytes(3), longBytes(1), longBytes(3)), ONE)
	must(t, err)
	if len(res) != 2 || !bytes.Equal(res[0].SuperColumn.Name, longBytes(1)) || !bytes.Equal(res[1].SuperColumn.Name, longBytes(3)) || len(res[0].SuperColumn.Columns) != 2 {
		t.Fatalf("super column_names: %v", res)
	}
	// Range slices count super columns per row too.
	rows, err := c.GetRangeSlices(ctx, p, columnRange("", "", true, 2), keyRange("", "", 10), ONE)
	must(t, err)
	if len(rows) != 1 || len(rows[0].Columns) != 2 || !bytes.Equal(rows[0].Columns[0].SuperColumn.Name, longBytes(3)) {
		t.Fatalf("range over supers: %v", rows)
	}
	// An empty predicate for get_count counts the whole row (lenient case).
	n, err := c.GetCount(ctx, []byte("k"), p, &tg.SlicePredicate{}, ONE)
	must(t, err)
	if n != 3 {
		t.Errorf("get_count with empty predicate = %d, want 3", n)
	}
}

func TestThriftGetCount(t *testing.T) {
	c := dtestClient(t, server.Config{})
	insertSimple(t, c)
	insertSuper(t, c, "key1")
	all := columnRange("", "", false, 1000)
	count := func(p *tg.ColumnParent, pred *tg.SlicePredicate) int32 {
		t.Helper()
		n, err := c.GetCount(ctx, []byte("key1"), p, pred, ONE)
		must(t, err)
		return n
	}
	for _, tc := range []struct {
		p    *tg.ColumnParent
		pred *tg.SlicePredicate
		want int32
	}{
		{parent("Standard2"), all, 0},
		{parent("Standard1"), all, 2},
		{superParent("Super1", []byte("sc2")), all, 2},
		{parent("Super1"), all, 2},
		{parent("Standard1"), &tg.SlicePredicate{}, 2}, // empty predicate counts the row
		{parent("Standard1"), names("c1", "zz"), 1},
	} {
		if got := count(tc.p, tc.pred); got != tc.want {
			t.Errorf("get_count %v %v = %d, want %d", tc.p, tc.pred, got, tc.want)
		}
	}
	c.insert(t, "key1", parent("Standard1"), col("c3", "value3", 0), col("c4", "value4", 0), col("c5", "value5", 0))
	if got := count(parent("Standard1"), columnRange("c2", "c4", false, 1000)); got != 3 {
		t.Fatalf("count c2..c4 = %d", got)
	}
}

func TestThriftGetCountAroundPageSize(t *testing.T) {
	c := dtestClient(t, server.Config{})
	var ms []*tg.Mutation
	for i := 0; i < 3050; i++ {
		ms = append(ms, mutCol(col(fmt.Sprint(i), "", 0)))
	}
	must(t, c.BatchMutate(ctx, mutationMap{"key1": {"Standard1": ms}}, ONE))
	for _, tc := range []struct{ count, want int32 }{{1024, 1024}, {1025, 1025}, {4000, 3050}, {3050, 3050}, {3051, 3050}, {10, 10}} {
		n, err := c.GetCount(ctx, []byte("key1"), parent("Standard1"), columnRange("", "", false, tc.count), ONE)
		must(t, err)
		if n != tc.want {
			t.Errorf("count(%d) = %d, want %d", tc.count, n, tc.want)
		}
	}
}

// multiSliceRequest is a get_multi_slice request on key in Standard1;
// each slice is {start, finish}, "" for an open end. With no slices,
// column_slices is left unset.
func multiSliceRequest(key string, reversed bool, count int32, slices ...[2]string) *tg.MultiSliceRequest {
	r := tg.NewMultiSliceRequest()
	r.Key, r.ColumnParent, r.Reversed, r.Count = []byte(key), parent("Standard1"), reversed, count
	for _, s := range slices {
		cs := &tg.ColumnSlice{}
		if s[0] != "" {
			cs.Start = []byte(s[0])
		}
		if s[1] != "" {
			cs.Finish = []byte(s[1])
		}
		r.ColumnSlices = append(r.ColumnSlices, cs)
	}
	return r
}

func TestThriftMultiSlice(t *testing.T) {
	c := dtestClient(t, server.Config{})
	for i, n := range []string{"a", "b", "c", "d", "e", "f"} {
		c.insert(t, "abc", parent("Standard1"), col(n, fmt.Sprint(i+1), 0))
	}
	req := func(reversed bool, count int32, slices ...[2]string) *tg.MultiSliceRequest {
		return multiSliceRequest("abc", reversed, count, slices...)
	}
	for _, tc := range []struct {
		r    *tg.MultiSliceRequest
		want string
	}{
		{req(false, 10, [2]string{"a", "c"}, [2]string{"e", "f"}), "a,b,c,e,f"},
		{req(false, 10, [2]string{"a", "c"}, [2]string{"b", "d"}), "a,b,c,d"}, // overlaps merge
		{req(false, 3, [2]string{"a", "c"}, [2]string{"e", "f"}), "a,b,c"},    // count is total
		{req(true, 10, [2]string{"f", "e"}, [2]string{"c", "a"}), "f,e,c,b,a"},
		{req(false, 10, [2]string{"", "b"}, [2]string{"e", ""}), "a,b,e,f"}, // open ends
	} {
		res, err := c.GetMultiSlice(ctx, tc.r)
		must(t, err)
		if got := strings.Join(colNames(t, res), ","); got != tc.want {
			t.Errorf("%v: got %s want %s", tc.r, got, tc.want)
		}
	}
	_, err := c.GetMultiSlice(ctx, req(false, 10, [2]string{"c", "a"}))
	mustIRE(t, err, "Column slice at index 0 had start greater than finish")
	_, err = c.GetMultiSlice(ctx, req(true, 10, [2]string{"f", "e"}, [2]string{"a", "c"}))
	mustIRE(t, err, "Reversed column slice at index 1 had start less than finish")
	r := req(false, 10)
	r.ColumnParent = parent("Super1")
	_, err = c.GetMultiSlice(ctx, r)
	mustIRE(t, err, "get_multi_slice does not support super columns")
	// Absent reversed, count and CL take the IDL defaults (false, 1000, ONE).
	res := tg.NewCassandraGetMultiSliceResult()
	_, err = c.Client_().Call(ctx, "get_multi_slice", &partialArgs{write: func(p thrift.TProtocol) {
		p.WriteFieldBegin(ctx, "request", thrift.STRUCT, 1)
		p.WriteStructBegin(ctx, "MultiSliceRequest")
		writeBinaryField(p, 1, []byte("abc"))
		writeStructField(p, 2, parent("Standard1"))
		p.WriteFieldBegin(ctx, "column_slices", thrift.LIST, 3)
		p.WriteListBegin(ctx, thrift.STRUCT, 1)
		(&tg.ColumnSlice{}).Write(ctx, p)
		p.WriteListEnd(ctx)
		p.WriteFieldEnd(ctx)
		p.WriteFieldStop(ctx)
		p.WriteStructEnd(ctx)
		p.WriteFieldEnd(ctx)
	}}, res)
	must(t, err)
	if res.Ire != nil || strings.Join(colNames(t, res.Success), ",") != "a,b,c,d,e,f" {
		t.Fatalf("defaults: %v", res)
	}
}

func TestThriftMultiSliceOrdering(t *testing.T) {
	c := dtestClient(t, server.Config{})
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		c.insert(t, "k", parent("Standard1"), col(n, "v", 0))
	}
	req := func(reversed bool, count int32, slices ...[2]string) *tg.MultiSliceRequest {
		return multiSliceRequest("k", reversed, count, slices...)
	}
	for _, tc := range []struct {
		name string
		r    *tg.MultiSliceRequest
		want string
	}{
		// Slices are sorted (deoverlapSlices) before reading.
		{"out of order", req(false, 10, [2]string{"e", "f"}, [2]string{"a", "b"}), "a,b,e,f"},
		{"reversed out of order", req(true, 10, [2]string{"b", "a"}, [2]string{"f", "e"}), "f,e,b,a"},
		// In a reversed request an absent start is the high end.
		{"reversed open start", req(true, 10, [2]string{"", "d"}), "f,e,d"},
		{"reversed open finish", req(true, 10, [2]string{"b", ""}), "b,a"},
		{"contained slice", req(false, 10, [2]string{"a", "f"}, [2]string{"b", "c"}), "a,b,c,d,e,f"},
		{"adjacent duplicates", req(false, 10, [2]string{"c", "c"}, [2]string{"c", "c"}), "c"},
		{"count 0", req(false, 0, [2]string{"", ""}), ""},
		{"reversed count", req(true, 2, [2]string{"f", "e"}, [2]string{"c", "a"}), "f,e"},
	} {
		res, err := c.GetMultiSlice(ctx, tc.r)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := strings.Join(colNames(t, res), ","); got != tc.want {
			t.Errorf("%s: got %q want %q", tc.name, got, tc.want)
		}
	}
}

// TestThriftGetBadCalls sends get, get_slice and get_multi_slice requests
// that Cassandra refuses and checks each error: single faults (from dtest's
// test_bad_calls) and several faults at once, where the error shows which
// check Cassandra runs first.
func TestThriftGetBadCalls(t *testing.T) {
	c := dtestClient(t, server.Config{})
	const ANY = tg.ConsistencyLevel_ANY
	anyRd := "ANY ConsistencyLevel is only supported for writes"
	empty := []byte{}
	k := []byte("k")
	key1 := []byte("key1")
	badRange := columnRange("b", "a", false, 10)
	runErrCases(t, []errCase{
		// One fault at a time (dtest's test_bad_calls).
		{"key too long", func() error {
			_, err := c.Get(ctx, bytes.Repeat([]byte("x"), 1<<16), colPath("Standard1", "c1"), ONE)
			return err
		}, "Key length of 65536 is longer than maximum of 65535"},
		{"empty key", func() error {
			_, err := c.Get(ctx, []byte{}, colPath("Standard1", "c1"), ONE)
			return err
		}, "Key may not be empty"},
		{"empty column name", func() error {
			_, err := c.Get(ctx, key1, colPath("Standard1", ""), ONE)
			return err
		}, "column name must not be empty"},
		{"get without column", func() error {
			_, err := c.Get(ctx, key1, path("Standard1", nil, nil), ONE)
			return err
		}, "column parameter is not optional for standard CF Standard1"},
		{"get supercolumn in standard CF", func() error {
			_, err := c.Get(ctx, key1, path("Standard1", []byte("x"), []byte("y")), ONE)
			return err
		}, "supercolumn parameter is invalid for standard CF Standard1"},
		{"get without supercolumn in super CF", func() error {
			_, err := c.Get(ctx, key1, path("Super1", nil, nil), ONE)
			return err
		}, "supercolumn parameter is not optional for super CF Super1"},
		{"start is not a valid Long", func() error {
			_, err := c.GetSlice(ctx, key1, parent("StandardLong1"), columnRange("x", "", false, 1), ONE)
			return err
		}, "Expected 8 or 0 byte long (1)"},
		{"start > finish", func() error {
			_, err := c.GetSlice(ctx, key1, parent("StandardLong1"), columnRangeBytes(longBytes(10), longBytes(0), false, 1), ONE)
			return err
		}, "range finish must come after start in the order of traversal"},
		{"start is not a valid Long, super version", func() error {
			_, err := c.GetSlice(ctx, key1, superParent("Super1", []byte("sc1")), columnRange("x", "", false, 1), ONE)
			return err
		}, "Expected 8 or 0 byte long (1)"},
		{"start > finish, super version", func() error {
			_, err := c.GetSlice(ctx, key1, superParent("Super1", []byte("sc1")), columnRangeBytes(longBytes(10), longBytes(0), false, 1), ONE)
			return err
		}, "range finish must come after start in the order of traversal"},
		// Two or more faults at once: the error shows which check
		// Cassandra runs first.
		// get: path before CL, CL before key.
		{"get/path+ANY", func() error {
			_, err := c.Get(ctx, k, &tg.ColumnPath{ColumnFamily: "Standard1"}, ANY)
			return err
		}, "column parameter is not optional for standard CF Standard1"},
		{"get/super path on standard+ANY", func() error {
			_, err := c.Get(ctx, k, path("Standard1", []byte("sc"), []byte("c")), ANY)
			return err
		}, "supercolumn parameter is invalid for standard CF Standard1"},
		{"get/super CF without sc", func() error {
			_, err := c.Get(ctx, k, colPath("Super1", "c"), ONE)
			return err
		}, "supercolumn parameter is not optional for super CF Super1"},
		{"get/ANY+empty key", func() error {
			_, err := c.Get(ctx, empty, colPath("Standard1", "c"), ANY)
			return err
		}, anyRd},
		// EACH_QUORUM passes validateForRead in 3.11, so the key check
		// answers.
		{"get/EACH_QUORUM+empty key", func() error {
			_, err := c.Get(ctx, empty, colPath("Standard1", "c"), tg.ConsistencyLevel_EACH_QUORUM)
			return err
		}, "Key may not be empty"},
		{"get/bad name+ANY", func() error {
			_, err := c.Get(ctx, k, colPath("StandardLong1", "abc"), ANY)
			return err
		}, "Expected 8 or 0 byte long (3)"},
		{"get/unknown CF+bad path", func() error {
			_, err := c.Get(ctx, empty, &tg.ColumnPath{ColumnFamily: "Nope"}, ANY)
			return err
		}, "unconfigured table Nope"},
		{"get/TWO+empty key", func() error {
			_, err := c.Get(ctx, empty, colPath("Standard1", "c"), tg.ConsistencyLevel_TWO)
			return err
		}, "Key may not be empty"},
		// get_slice: parent, predicate, CL, key.
		{"get_slice/parent+predicate", func() error {
			_, err := c.GetSlice(ctx, k, superParent("Standard1", []byte("sc")), &tg.SlicePredicate{}, ANY)
			return err
		}, "table alone is required for standard CF Standard1"},
		{"get_slice/predicate+ANY", func() error {
			_, err := c.GetSlice(ctx, empty, parent("Standard1"), &tg.SlicePredicate{}, ANY)
			return err
		}, "predicate column_names and slice_range may not both be null"},
		{"get_slice/both predicate fields", func() error {
			p := names("a")
			p.SliceRange = &tg.SliceRange{Start: empty, Finish: empty, Count: 1}
			_, err := c.GetSlice(ctx, k, parent("Standard1"), p, ONE)
			return err
		}, "predicate column_names and slice_range may not both be present"},
		{"get_slice/range order+ANY", func() error {
			_, err := c.GetSlice(ctx, empty, parent("Standard1"), badRange, ANY)
			return err
		}, "range finish must come after start in the order of traversal"},
		{"get_slice/negative count+bad order", func() error {
			_, err := c.GetSlice(ctx, k, parent("Standard1"), columnRange("b", "a", false, -1), ONE)
			return err
		}, "get_slice requires non-negative count"},
		{"get_slice/ANY+empty key", func() error {
			_, err := c.GetSlice(ctx, empty, parent("Standard1"), names("a"), ANY)
			return err
		}, anyRd},
		{"get_slice/TWO+empty key", func() error {
			_, err := c.GetSlice(ctx, empty, parent("Standard1"), names("a"), tg.ConsistencyLevel_TWO)
			return err
		}, "Key may not be empty"},
		{"get_slice/empty name in column_names", func() error {
			_, err := c.GetSlice(ctx, k, parent("Standard1"), names("a", ""), ONE)
			return err
		}, "column name must not be empty"},
		// get_multi_slice: super, parent, CL, slices, key.
		{"multi_slice/super", func() error {
			r := &tg.MultiSliceRequest{Key: empty, ColumnParent: parent("Super1"), ColumnSlices: []*tg.ColumnSlice{{}}}
			_, err := c.GetMultiSlice(ctx, r)
			return err
		}, "get_multi_slice does not support super columns"},
		{"multi_slice/ANY+bad slice", func() error {
			r := &tg.MultiSliceRequest{Key: empty, ColumnParent: parent("Standard1"), ConsistencyLevel: ANY,
				ColumnSlices: []*tg.ColumnSlice{{Start: []byte("b"), Finish: []byte("a")}}}
			_, err := c.GetMultiSlice(ctx, r)
			return err
		}, anyRd},
		{"multi_slice/bad slice+empty key", func() error {
			r := tg.NewMultiSliceRequest()
			r.Key, r.ColumnParent = empty, parent("Standard1")
			r.ColumnSlices = []*tg.ColumnSlice{{Start: []byte("a"), Finish: []byte("b")}, {Start: []byte("b"), Finish: []byte("a")}}
			_, err := c.GetMultiSlice(ctx, r)
			return err
		}, "Column slice at index 1 had start greater than finish"},
	})
}
