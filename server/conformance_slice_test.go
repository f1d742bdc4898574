package server_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

// get_slice, get_count, multiget_slice, multiget_count.

func TestGetSliceRange(t *testing.T) {
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

func TestGetSliceSuperRange(t *testing.T) {
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
	// ...and 2.2 keeps sub-columns ascending inside a reversed super slice.
	res, err = c.GetSlice(ctx, []byte("key1"), parent("Super1"), columnRange("", "", true, 10), ONE)
	must(t, err)
	if got := strings.Join(colNames(t, res), ","); got != "sc3,sc2,sc1" {
		t.Fatalf("reversed supers %s", got)
	}
	if sub := res[1].SuperColumn.Columns; !bytes.Equal(sub[0].Name, longBytes(5)) || !bytes.Equal(sub[1].Name, longBytes(6)) {
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

func TestGetCount(t *testing.T) {
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

func TestGetCountAroundPageSize(t *testing.T) {
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

func TestMultiget(t *testing.T) {
	c := dtestClient(t, server.Config{})
	var keys [][]byte
	for i := 1; i <= 10; i++ {
		k := fmt.Sprint("key", i)
		keys = append(keys, []byte(k))
		for j := 1; j <= i; j++ {
			c.insert(t, k, parent("Standard1"), col(fmt.Sprint("c", j), fmt.Sprint("value", j), 0))
		}
	}
	all := columnRange("", "", false, 1000)
	counts, err := c.MultigetCount(ctx, keys, parent("Standard1"), all, ONE)
	must(t, err)
	for i := 1; i <= 10; i++ {
		if counts[fmt.Sprint("key", i)] != int32(i) {
			t.Fatalf("counts %v", counts)
		}
	}
	// SliceRange.count caps multiget_count.
	counts, err = c.MultigetCount(ctx, keys, parent("Standard1"), columnRange("", "", false, 3), ONE)
	must(t, err)
	if counts["key10"] != 3 || counts["key1"] != 1 {
		t.Fatalf("capped counts %v", counts)
	}
	// Every distinct requested key has an entry, empty when missing.
	rows, err := c.MultigetSlice(ctx, [][]byte{[]byte("key2"), []byte("nope"), []byte("key2")}, parent("Standard1"), all, ONE)
	must(t, err)
	if len(rows) != 2 || len(rows["key2"]) != 2 || rows["nope"] == nil || len(rows["nope"]) != 0 {
		t.Fatalf("multiget: %v", rows)
	}
	_, err = c.MultigetSlice(ctx, [][]byte{[]byte("a"), []byte("b")}, parent("Standard1"), all, tg.ConsistencyLevel_SERIAL)
	mustIRE(t, err, "SERIAL/LOCAL_SERIAL consistency may only be requested for one row at a time")
	_, err = c.MultigetSlice(ctx, [][]byte{[]byte("a"), {}}, parent("Standard1"), all, ONE)
	mustIRE(t, err, "Key may not be empty")
}

func TestMultigetCompactTable(t *testing.T) {
	c := dtestClient(t, server.Config{})
	def := tg.NewCfDef()
	def.Keyspace, def.Name = "Keyspace1", "CompactColumnFamily"
	def.DefaultValidationClass = strp("AsciiType")
	def.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("v"), ValidationClass: "AsciiType"}}
	_, err := c.SystemAddColumnFamily(ctx, def)
	must(t, err)
	var keys [][]byte
	for i := 0; i < 5; i++ {
		k := fmt.Sprint("key", i)
		keys = append(keys, []byte(k))
		c.insert(t, k, parent("CompactColumnFamily"), col("v", fmt.Sprint("value", i), 0))
	}
	rows, err := c.MultigetSlice(ctx, keys, parent("CompactColumnFamily"), names("v"), ONE)
	must(t, err)
	for i := 0; i < 5; i++ {
		r := rows[fmt.Sprint("key", i)]
		if len(r) != 1 || string(r[0].Column.Value) != fmt.Sprint("value", i) {
			t.Fatalf("key%d: %v", i, r)
		}
	}
}

func TestComparatorOrders(t *testing.T) {
	c := dtestClient(t, server.Config{})
	// LongType is signed.
	var want [][]byte
	for _, v := range []int64{-5, -1, 0, 1, 429496729, 104294967296} {
		want = append(want, longBytes(v))
	}
	for i := len(want) - 1; i >= 0; i-- {
		c.insert(t, "key1", parent("StandardLong1"), bcol(want[i], "v", 0))
	}
	checkNames(t, c.bigSlice(t, "key1", parent("StandardLong1")), want)

	// IntegerType compares numerically: 0x0001 and 0x01 name the same column.
	p := parent("StandardInteger1")
	c.insert(t, "key1", p, bcol([]byte{0x00, 0x01}, "first", 1), bcol([]byte{0x01}, "second", 2),
		bcol([]byte{0xff}, "minus one", 1), bcol([]byte{0x01, 0x00}, "256", 1))
	res := c.bigSlice(t, "key1", p)
	if len(res) != 3 || string(res[0].Column.Value) != "minus one" || string(res[1].Column.Value) != "second" || string(res[2].Column.Value) != "256" {
		t.Fatalf("IntegerType order: %v", res)
	}
	for i := int64(104294967296); i >= 0; i -= 429496729 {
		c.insert(t, "key2", p, bcol(longBytes(i), "v", 0))
	}
	res = c.bigSlice(t, "key2", p)
	for i := 1; i < len(res); i++ {
		if bytes.Compare(res[i-1].Column.Name, res[i].Column.Name) >= 0 {
			t.Fatalf("IntegerType order of 8-byte positives broken at %d", i)
		}
	}
}

func TestTimeUUIDOrder(t *testing.T) {
	c := dtestClient(t, server.Config{})
	must(t, c.SetKeyspace(ctx, "Keyspace2"))
	p := superParent("Super4", []byte("sc1"))
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	var us [][]byte
	for i := 0; i < 500; i++ {
		us = append(us, timeUUID(base.Add(time.Duration(i)*time.Millisecond)))
		c.insert(t, "key1", p, bcol(us[i], fmt.Sprint("value", i), int64(i)))
	}
	res, err := c.GetSlice(ctx, []byte("key1"), p, columnRange("", "", false, 1000), ONE)
	must(t, err)
	if len(res) != 500 {
		t.Fatalf("got %d", len(res))
	}
	for i := range us {
		if !bytes.Equal(res[i].Column.Name, us[i]) {
			t.Fatalf("position %d out of time order", i)
		}
	}
	res, err = c.GetSlice(ctx, []byte("key1"), p, columnRange("", "", true, 1), ONE)
	must(t, err)
	mustEqualColumns(t, columns(t, res), []*tg.Column{bcol(us[499], "value499", 499)})
	res, err = c.GetSlice(ctx, []byte("key1"), p, columnRangeBytes(nil, us[2], false, 1000), ONE)
	must(t, err)
	checkNames(t, res, us[:3])
	res, err = c.GetSlice(ctx, []byte("key1"), p, columnRangeBytes(us[2], nil, true, 1000), ONE)
	must(t, err)
	checkNames(t, res, [][]byte{us[2], us[1], us[0]})
	_, err = c.GetSlice(ctx, []byte("key1"), p, columnRangeBytes(uuidBytes("00000000-0000-4000-8000-000000000000"), nil, false, 1), ONE)
	mustIRE(t, err, "Invalid version for TimeUUID type.")
}

// timeUUID builds a version-1 UUID at instant at with a random node.
func timeUUID(at time.Time) []byte {
	ts := uint64(at.UnixNano()/100) + 0x01B21DD213814000
	var u uuid.UUID
	u[0], u[1], u[2], u[3] = byte(ts>>24), byte(ts>>16), byte(ts>>8), byte(ts)
	u[4], u[5] = byte(ts>>40), byte(ts>>32)
	u[6], u[7] = byte(ts>>56)&0x0f|0x10, byte(ts>>48)
	rand.Read(u[8:])
	u[8] = u[8]&0x3f | 0x80
	return u[:]
}

func TestLongRemoveAndResurrect(t *testing.T) {
	c := dtestClient(t, server.Config{})
	for _, cf := range []string{"StandardLong1", "StandardInteger1"} {
		p := parent(cf)
		for i := int64(0); i < 10; i++ {
			c.insert(t, "key1", p, bcol(longBytes(i), "value1", 10*i))
			must(t, c.Remove(ctx, []byte("key1"), path(cf, nil, nil), 10*i+1, ONE))
			res, err := c.GetSlice(ctx, []byte("key1"), p, columnRange("", "", false, 1), ONE)
			must(t, err)
			if len(res) != 0 {
				t.Fatalf("%s %d: %v", cf, i, res)
			}
			c.insert(t, "key1", p, bcol(longBytes(i), "value2", 10*i+2))
			res, err = c.GetSlice(ctx, []byte("key1"), p, columnRange("", "", false, 1), ONE)
			must(t, err)
			mustEqualColumns(t, columns(t, res), []*tg.Column{bcol(longBytes(i), "value2", 10*i+2)})
		}
	}
}

func TestMultiSlice(t *testing.T) {
	c := dtestClient(t, server.Config{})
	for i, n := range []string{"a", "b", "c", "d", "e", "f"} {
		c.insert(t, "abc", parent("Standard1"), col(n, fmt.Sprint(i+1), 0))
	}
	req := func(reversed bool, count int32, slices ...[2]string) *tg.MultiSliceRequest {
		r := tg.NewMultiSliceRequest()
		r.Key = []byte("abc")
		r.ColumnParent = parent("Standard1")
		r.Reversed = reversed
		r.Count = count
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
