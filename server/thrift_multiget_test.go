package server_test

import (
	"fmt"
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// multiget_slice and multiget_count: one answer per distinct key, missing
// keys included, and their refusals.

func TestThriftMultiget(t *testing.T) {
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
	mustIRE(t, err, "SERIAL/LOCAL_SERIAL consistency may only be requested for one partition at a time")
	_, err = c.MultigetSlice(ctx, [][]byte{[]byte("a"), {}}, parent("Standard1"), all, ONE)
	mustIRE(t, err, "Key may not be empty")
}

func TestThriftMultigetCompactTable(t *testing.T) {
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

func TestThriftMultigetEveryDistinctKey(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Standard1")
	c.insert(t, "a", p, col("c", "v", 1))
	must(t, c.Remove(ctx, []byte("del"), path("Standard1", nil, nil), 1, ONE))
	keys := [][]byte{[]byte("a"), []byte("never"), []byte("a"), []byte("del")}
	res, err := c.MultigetSlice(ctx, keys, p, names("c"), ONE)
	must(t, err)
	if len(res) != 3 || len(res["a"]) != 1 {
		t.Fatalf("multiget_slice %v", res)
	}
	for _, k := range []string{"never", "del"} {
		v, ok := res[k]
		if !ok || v == nil || len(v) != 0 {
			t.Fatalf("multiget_slice[%s] = %v (present %v), want []", k, v, ok)
		}
	}
	cnt, err := c.MultigetCount(ctx, keys, p, names("c"), ONE)
	must(t, err)
	if len(cnt) != 3 || cnt["a"] != 1 || cnt["never"] != 0 {
		t.Fatalf("multiget_count %v", cnt)
	}
	// An empty key list is an empty map.
	res, err = c.MultigetSlice(ctx, [][]byte{}, p, names("c"), ONE)
	must(t, err)
	if len(res) != 0 {
		t.Fatalf("no keys: %v", res)
	}
}

// TestThriftMultigetBadCalls sends multiget_slice and multiget_count
// requests that Cassandra refuses and checks each error: single faults and
// several faults at once, where the error shows which check Cassandra runs
// first.
func TestThriftMultigetBadCalls(t *testing.T) {
	c := dtestClient(t, server.Config{})
	const ANY = tg.ConsistencyLevel_ANY
	anyRd := "ANY ConsistencyLevel is only supported for writes"
	empty := []byte{}
	k := []byte("k")
	runErrCases(t, []errCase{
		// Two or more faults at once: the error shows which check
		// Cassandra runs first.
		// multiget: every key checked after CL.
		{"multiget_slice/ANY+empty key", func() error {
			_, err := c.MultigetSlice(ctx, [][]byte{k, empty}, parent("Standard1"), names("a"), ANY)
			return err
		}, anyRd},
		{"multiget_slice/empty key", func() error {
			_, err := c.MultigetSlice(ctx, [][]byte{k, empty}, parent("Standard1"), names("a"), ONE)
			return err
		}, "Key may not be empty"},
		{"multiget_slice/SERIAL two keys", func() error {
			_, err := c.MultigetSlice(ctx, [][]byte{k, []byte("k2")}, parent("Standard1"), names("a"), tg.ConsistencyLevel_SERIAL)
			return err
		}, "SERIAL/LOCAL_SERIAL consistency may only be requested for one partition at a time"},
		{"multiget_slice/SERIAL one key", func() error {
			_, err := c.MultigetSlice(ctx, [][]byte{k}, parent("Standard1"), names("a"), tg.ConsistencyLevel_SERIAL)
			return err
		}, ""},
		{"multiget_count/predicate+ANY", func() error {
			_, err := c.MultigetCount(ctx, [][]byte{empty}, parent("Standard1"), &tg.SlicePredicate{}, ANY)
			return err
		}, "predicate column_names and slice_range may not both be null"},
	})
}
