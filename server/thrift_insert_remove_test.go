package server_test

import (
	"strings"
	"testing"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// insert and remove: ports of dtest's TestMutations (insert, read back,
// remove columns, rows and super columns, resurrection), and every refusal
// of the two methods with the order of Cassandra's checks.

func TestThriftInsertAndGet(t *testing.T) {
	c := dtestClient(t, server.Config{})
	insertSimple(t, c)
	verifySimple(t, c)
}

func TestThriftSuperInsertAndGet(t *testing.T) {
	c := dtestClient(t, server.Config{})
	insertSuper(t, c, "key1")
	verifySuper(t, c, "Super1")
	got, err := c.Get(ctx, []byte("key1"), path("Super1", []byte("sc2"), nil), ONE)
	must(t, err)
	if got.SuperColumn == nil || string(got.SuperColumn.Name) != "sc2" {
		t.Fatalf("get super column: %v", got)
	}
	mustEqualColumns(t, got.SuperColumn.Columns, superColumns()[1].Columns)
}

func TestThriftColumnNameLengths(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Standard1")
	mustIRE(t, c.Insert(ctx, []byte("key1"), p, col("", "value", 0), ONE), "column name must not be empty")
	for _, n := range []int{1, 127, 128, 129, 255, 256, 257, 1<<16 - 1} {
		must(t, c.Insert(ctx, []byte("key1"), p, col(strings.Repeat("x", n), "value", 0), ONE))
	}
	mustIRE(t, c.Insert(ctx, []byte("key1"), p, col(strings.Repeat("x", 1<<16), "value", 0), ONE),
		"column name length must not be greater than 65535")
}

func TestThriftEmptyValueIsAValue(t *testing.T) {
	c := dtestClient(t, server.Config{})
	c.insert(t, "k", parent("Standard1"), col("c", "", 5))
	got, err := c.Get(ctx, []byte("k"), colPath("Standard1", "c"), ONE)
	must(t, err)
	if got.Column.Value == nil || len(got.Column.Value) != 0 {
		t.Fatalf("value %#v", got.Column.Value)
	}
}

func TestThriftCFRemoveColumn(t *testing.T) {
	c := dtestClient(t, server.Config{})
	insertSimple(t, c)
	must(t, c.Remove(ctx, []byte("key1"), colPath("Standard1", "c1"), 1, ONE))
	_, err := c.Get(ctx, []byte("key1"), colPath("Standard1", "c1"), ONE)
	mustNFE(t, err)
	got, err := c.Get(ctx, []byte("key1"), colPath("Standard1", "c2"), ONE)
	must(t, err)
	mustEqualColumn(t, got.Column, col("c2", "value2", 0))
	mustEqualColumns(t, columns(t, c.bigSlice(t, "key1", parent("Standard1"))), []*tg.Column{col("c2", "value2", 0)})

	c.insert(t, "key1", parent("Standard1"), col("c3", "value3", 0))
	want := []*tg.Column{col("c2", "value2", 0), col("c3", "value3", 0)}
	mustEqualColumns(t, columns(t, c.bigSlice(t, "key1", parent("Standard1"))), want)
	// Resurrection: an older timestamp stays removed, a newer one comes back.
	c.insert(t, "key1", parent("Standard1"), col("c1", "value1", 0))
	mustEqualColumns(t, columns(t, c.bigSlice(t, "key1", parent("Standard1"))), want)
	c.insert(t, "key1", parent("Standard1"), col("c1", "value1", 2))
	mustEqualColumns(t, columns(t, c.bigSlice(t, "key1", parent("Standard1"))),
		[]*tg.Column{col("c1", "value1", 2), col("c2", "value2", 0), col("c3", "value3", 0)})
}

func TestThriftCFRemoveRow(t *testing.T) {
	c := dtestClient(t, server.Config{})
	insertSimple(t, c)
	insertSuper(t, c, "key1")
	must(t, c.Remove(ctx, []byte("key1"), path("Standard1", nil, nil), 3, ONE))
	if res := c.bigSlice(t, "key1", parent("Standard1")); len(res) != 0 {
		t.Fatalf("after row remove: %v", res)
	}
	verifySuper(t, c, "Super1")
	// Older write stays hidden, newer shows.
	c.insert(t, "key1", parent("Standard1"), col("c1", "value1", 0))
	if res := c.bigSlice(t, "key1", parent("Standard1")); len(res) != 0 {
		t.Fatalf("resurrected at ts 0: %v", res)
	}
	c.insert(t, "key1", parent("Standard1"), col("c1", "value1", 4))
	mustEqualColumns(t, columns(t, c.bigSlice(t, "key1", parent("Standard1"))), []*tg.Column{col("c1", "value1", 4)})
	// A deletion at T also hides a write at exactly T.
	c.insert(t, "key1", parent("Standard1"), col("c9", "v", 3))
	if _, err := c.Get(ctx, []byte("key1"), colPath("Standard1", "c9"), ONE); err == nil {
		t.Fatal("a write at the deletion's timestamp is visible")
	}
	must(t, c.Remove(ctx, []byte("key1"), path("Super1", nil, nil), 3, ONE))
	if res := c.bigSlice(t, "key1", parent("Super1")); len(res) != 0 {
		t.Fatalf("super row remove: %v", res)
	}
	if res := c.bigSlice(t, "key1", superParent("Super1", []byte("sc1"))); len(res) != 0 {
		t.Fatalf("super row remove, sc1: %v", res)
	}
}

func TestThriftSuperCFRemoveColumn(t *testing.T) {
	c := dtestClient(t, server.Config{})
	insertSimple(t, c)
	insertSuper(t, c, "key1")
	must(t, c.Remove(ctx, []byte("key1"), path("Super1", []byte("sc2"), longBytes(5)), 5, ONE))
	_, err := c.Get(ctx, []byte("key1"), path("Super1", []byte("sc2"), longBytes(5)), ONE)
	mustNFE(t, err)
	checkSupers := func(want map[string][]*tg.Column, order ...string) {
		t.Helper()
		res := c.bigSlice(t, "key1", parent("Super1"))
		if got := colNames(t, res); strings.Join(got, ",") != strings.Join(order, ",") {
			t.Fatalf("super columns %v, want %v", got, order)
		}
		for _, r := range res {
			mustEqualColumns(t, r.SuperColumn.Columns, want[string(r.SuperColumn.Name)])
		}
	}
	checkSupers(map[string][]*tg.Column{"sc1": {bcol(longBytes(4), "value4", 0)}, "sc2": {bcol(longBytes(6), "value6", 0)}}, "sc1", "sc2")
	verifySimple(t, c)

	c.insert(t, "key1", superParent("Super1", []byte("sc2")), bcol(longBytes(7), "value7", 0))
	want := map[string][]*tg.Column{"sc1": {bcol(longBytes(4), "value4", 0)}, "sc2": {bcol(longBytes(6), "value6", 0), bcol(longBytes(7), "value7", 0)}}
	checkSupers(want, "sc1", "sc2")
	c.insert(t, "key1", superParent("Super1", []byte("sc2")), bcol(longBytes(5), "value5", 0))
	checkSupers(want, "sc1", "sc2")
	c.insert(t, "key1", superParent("Super1", []byte("sc2")), bcol(longBytes(5), "value5", 6))
	want["sc2"] = []*tg.Column{bcol(longBytes(5), "value5", 6), bcol(longBytes(6), "value6", 0), bcol(longBytes(7), "value7", 0)}
	checkSupers(want, "sc1", "sc2")
}

func TestThriftSuperCFRemoveSuperColumn(t *testing.T) {
	c := dtestClient(t, server.Config{})
	insertSimple(t, c)
	insertSuper(t, c, "key1")
	must(t, c.Remove(ctx, []byte("key1"), path("Super1", []byte("sc2"), nil), 5, ONE))
	_, err := c.Get(ctx, []byte("key1"), path("Super1", []byte("sc2"), longBytes(5)), ONE)
	mustNFE(t, err)
	if res := c.bigSlice(t, "key1", superParent("Super1", []byte("sc2"))); len(res) != 0 {
		t.Fatalf("sc2 after remove: %v", res)
	}
	if got := colNames(t, c.bigSlice(t, "key1", parent("Super1"))); strings.Join(got, ",") != "sc1" {
		t.Fatalf("supers: %v", got)
	}
	verifySimple(t, c)
	c.insert(t, "key1", superParent("Super1", []byte("sc2")), bcol(longBytes(5), "value5", 1))
	if got := colNames(t, c.bigSlice(t, "key1", parent("Super1"))); strings.Join(got, ",") != "sc1" {
		t.Fatalf("supers after old write: %v", got)
	}
	c.insert(t, "key1", superParent("Super1", []byte("sc2")), bcol(longBytes(5), "value5", 6))
	mustEqualColumns(t, columns(t, c.bigSlice(t, "key1", superParent("Super1", []byte("sc2")))), []*tg.Column{bcol(longBytes(5), "value5", 6)})
}

func TestThriftSuperCFResurrectSubcolumn(t *testing.T) {
	c := dtestClient(t, server.Config{})
	c.insert(t, "vijay", superParent("Super1", []byte("sc1")), bcol(longBytes(4), "value4", 0))
	must(t, c.Remove(ctx, []byte("vijay"), path("Super1", []byte("sc1"), nil), 1, ONE))
	c.insert(t, "vijay", superParent("Super1", []byte("sc1")), bcol(longBytes(4), "value4", 2))
	got, err := c.Get(ctx, []byte("vijay"), path("Super1", []byte("sc1"), nil), ONE)
	must(t, err)
	mustEqualColumns(t, got.SuperColumn.Columns, []*tg.Column{bcol(longBytes(4), "value4", 2)})
}

func TestThriftSuperReinsert(t *testing.T) {
	c := dtestClient(t, server.Config{})
	for x := int64(0); x < 3; x++ {
		c.insert(t, "key1", superParent("Super1", []byte("sc2")), bcol(longBytes(x), "value", 1))
	}
	must(t, c.Remove(ctx, []byte("key1"), path("Super1", nil, nil), 2, ONE))
	for x := int64(0); x < 3; x++ {
		c.insert(t, "key1", superParent("Super1", []byte("sc2")), bcol(longBytes(x+3), "value", 3))
	}
	for n := int32(1); n < 4; n++ {
		res, err := c.GetSlice(ctx, []byte("key1"), superParent("Super1", []byte("sc2")), columnRange("", "", false, n), ONE)
		must(t, err)
		if int32(len(res)) != n {
			t.Fatalf("count %d: got %d", n, len(res))
		}
	}
}

func TestThriftLongRemoveAndResurrect(t *testing.T) {
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

func TestThriftInsertCheckOrderKeyBeforeCL(t *testing.T) {
	c := dtestClient(t, server.Config{})
	// insert validates the key before the CL...
	mustIRE(t, c.Insert(ctx, []byte{}, parent("Standard1"), col("c", "v", 0), tg.ConsistencyLevel_SERIAL), "Key may not be empty")
	mustIRE(t, c.Insert(ctx, []byte("k"), parent("Standard1"), col("c", "v", 0), tg.ConsistencyLevel_SERIAL),
		"You must use conditional updates for serializable writes")
	// ...while get validates the CL before the key.
	_, err := c.Get(ctx, []byte{}, colPath("Standard1", "c"), tg.ConsistencyLevel_ANY)
	mustIRE(t, err, "ANY ConsistencyLevel is only supported for writes")
	_, err = c.Get(ctx, []byte{}, colPath("Standard1", "c"), ONE)
	mustIRE(t, err, "Key may not be empty")
}

// TestThriftInsertBadCalls sends insert requests that Cassandra refuses and
// checks each error: single faults (from dtest's test_bad_calls) and several
// faults at once, where the error shows which check Cassandra runs first.
func TestThriftInsertBadCalls(t *testing.T) {
	c := dtestClient(t, server.Config{})
	// Missing arguments: TApplicationException, connection kept.
	_, err := c.Client_().Call(ctx, "insert", &partialArgs{}, tg.NewCassandraInsertResult())
	mustAppErr(t, err, thrift.PROTOCOL_ERROR)
	const ANY = tg.ConsistencyLevel_ANY
	const SERIAL = tg.ConsistencyLevel_SERIAL
	serialW := "You must use conditional updates for serializable writes"
	empty := []byte{}
	k := []byte("k")
	key1 := []byte("key1")
	noValue := &tg.Column{Name: []byte("c"), Timestamp: i64p(1)}
	runErrCases(t, []errCase{
		// One fault at a time (dtest's test_bad_calls).
		{"supercolumn in a standard CF", func() error {
			return c.Insert(ctx, key1, superParent("Standard1", []byte("x")), col("y", "value", 0), ONE)
		}, "table alone is required for standard CF Standard1"},
		{"no supercolumn in a super CF", func() error {
			return c.Insert(ctx, key1, parent("Super1"), col("y", "value", 0), ONE)
		}, "missing mandatory super column name for super CF Super1"},
		{"x is not a valid Long", func() error {
			return c.Insert(ctx, key1, superParent("Super1", []byte("sc1")), col("x", "value", 0), ONE)
		}, "Expected 8 or 0 byte long (1)"},
		// Cassandra 3.11's ThriftValidation.validateTtl: a negative ttl is
		// refused with 3.6+'s wording, and 0 is accepted (no TTL).
		{"negative ttl", func() error {
			return c.Insert(ctx, key1, parent("Standard1"), ttlCol("cttl1", "value1", 0, -1), ONE)
		}, "ttl must be greater or equal to 0"},
		{"zero ttl", func() error {
			return c.Insert(ctx, key1, parent("Standard1"), ttlCol("cttl1", "value1", 0, 0), ONE)
		}, ""},
		{"ttl too large", func() error {
			return c.Insert(ctx, key1, parent("Standard1"), ttlCol("cttl1", "value1", 0, 630720001), ONE)
		}, "ttl is too large. requested (630720001) maximum (630720000)"},
		{"insert without value", func() error {
			return c.Insert(ctx, key1, parent("Standard1"), &tg.Column{Name: []byte("c"), Timestamp: i64p(1)}, ONE)
		}, "Column value is required"},
		{"insert without timestamp", func() error {
			return c.Insert(ctx, key1, parent("Standard1"), &tg.Column{Name: []byte("c"), Value: []byte("v")}, ONE)
		}, "Column timestamp is required"},
		{"value fails its validator", func() error {
			return c.Insert(ctx, key1, parent("Indexed1"), col("birthdate", "bar", 0), ONE)
		}, // Indexed1's comparator is BytesType, which renders names as hex.
			"(Expected 8 or 0 byte long (3)) [Keyspace1][Indexed1][626972746864617465] failed validation"},
		{"insert into a counter CF", func() error {
			return c.Insert(ctx, key1, parent("Counter1"), col("c", "v", 0), ONE)
		}, "invalid operation for commutative table Counter1"},
		// Two or more faults at once: the error shows which check
		// Cassandra runs first.
		// insert: counter CF, key, parent, super name, column name, data, CL.
		{"insert/counter CF+empty key", func() error {
			return c.Insert(ctx, empty, parent("Counter1"), col("c", "v", 1), ONE)
		}, "invalid operation for commutative table Counter1"},
		{"insert/empty key+bad parent", func() error {
			return c.Insert(ctx, empty, superParent("Standard1", []byte("sc")), col("c", "v", 1), ONE)
		}, "Key may not be empty"},
		{"insert/bad parent+empty name", func() error {
			return c.Insert(ctx, k, superParent("Standard1", []byte("sc")), col("", "v", 1), ONE)
		}, "table alone is required for standard CF Standard1"},
		{"insert/super without sc+empty name", func() error {
			return c.Insert(ctx, k, parent("Super1"), col("", "v", 1), ONE)
		}, "missing mandatory super column name for super CF Super1"},
		{"insert/empty name+no value", func() error {
			return c.Insert(ctx, k, parent("Standard1"), &tg.Column{Name: []byte{}, Timestamp: i64p(1)}, ONE)
		}, "column name must not be empty"},
		{"insert/ttl -1+no value", func() error {
			return c.Insert(ctx, k, parent("Standard1"), &tg.Column{Name: []byte("c"), Timestamp: i64p(1), TTL: i32p(-1)}, ONE)
		}, "ttl must be greater or equal to 0"},
		{"insert/ttl 0+no value", func() error {
			return c.Insert(ctx, k, parent("Standard1"), &tg.Column{Name: []byte("c"), Timestamp: i64p(1), TTL: i32p(0)}, ONE)
		}, "Column value is required"},
		{"insert/ttl negative", func() error {
			return c.Insert(ctx, k, parent("Standard1"), ttlCol("c", "v", 1, -1), ONE)
		}, "ttl must be greater or equal to 0"},
		{"insert/ttl too large", func() error {
			return c.Insert(ctx, k, parent("Standard1"), ttlCol("c", "v", 1, 630720001), ONE)
		}, "ttl is too large. requested (630720001) maximum (630720000)"},
		{"insert/no value+no timestamp", func() error {
			return c.Insert(ctx, k, parent("Standard1"), &tg.Column{Name: []byte("c")}, ONE)
		}, "Column value is required"},
		{"insert/no timestamp", func() error {
			return c.Insert(ctx, k, parent("Standard1"), &tg.Column{Name: []byte("c"), Value: []byte("v")}, ONE)
		}, "Column timestamp is required"},
		{"insert/no value+SERIAL", func() error {
			return c.Insert(ctx, k, parent("Standard1"), noValue, SERIAL)
		}, "Column value is required"},
		{"insert/validator+SERIAL", func() error {
			return c.Insert(ctx, k, parent("Standard3"), col("c1", "\xff", 1), SERIAL)
		}, "(Invalid byte for ascii: -1) [Keyspace1][Standard3][6331] failed validation"},
		{"insert/SERIAL", func() error {
			return c.Insert(ctx, k, parent("Standard1"), col("c", "v", 1), SERIAL)
		}, serialW},
		{"insert/LOCAL_SERIAL", func() error {
			return c.Insert(ctx, k, parent("Standard1"), col("c", "v", 1), tg.ConsistencyLevel_LOCAL_SERIAL)
		}, serialW},
		{"insert/empty key+TWO", func() error {
			return c.Insert(ctx, empty, parent("Standard1"), col("c", "v", 1), tg.ConsistencyLevel_TWO)
		}, "Key may not be empty"},
		{"insert/long key", func() error {
			return c.Insert(ctx, make([]byte, 65536), parent("Standard1"), col("c", "v", 1), ONE)
		}, "Key length of 65536 is longer than maximum of 65535"},
		{"insert/ANY ok", func() error {
			return c.Insert(ctx, k, parent("Standard1"), col("c", "v", 1), ANY)
		}, ""},
	})
}

// TestThriftRemoveBadCalls sends remove requests that Cassandra refuses and
// checks each error: single faults (from dtest's test_bad_calls) and several
// faults at once, where the error shows which check Cassandra runs first.
func TestThriftRemoveBadCalls(t *testing.T) {
	c := dtestClient(t, server.Config{})
	const SERIAL = tg.ConsistencyLevel_SERIAL
	serialW := "You must use conditional updates for serializable writes"
	empty := []byte{}
	k := []byte("k")
	key1 := []byte("key1")
	runErrCases(t, []errCase{
		// One fault at a time (dtest's test_bad_calls).
		{"remove: column without supercolumn", func() error {
			return c.Remove(ctx, key1, path("Super1", nil, []byte("x")), 0, ONE)
		}, "A column cannot be specified without specifying a super column for removal on super CF Super1"},
		{"remove: supercolumn in standard CF", func() error {
			return c.Remove(ctx, key1, path("Standard1", []byte("y"), []byte("x")), 0, ONE)
		}, "supercolumn may not be specified for standard CF Standard1"},
		// Two or more faults at once: the error shows which check
		// Cassandra runs first.
		// remove: counter CF, key, path, CL.
		{"remove/counter CF+empty key", func() error {
			return c.Remove(ctx, empty, colPath("Counter1", "c"), 1, ONE)
		}, "invalid operation for commutative table Counter1"},
		{"remove/empty key+bad path", func() error {
			return c.Remove(ctx, empty, path("Standard1", []byte("sc"), nil), 1, SERIAL)
		}, "Key may not be empty"},
		{"remove/sc on standard+SERIAL", func() error {
			return c.Remove(ctx, k, path("Standard1", []byte("sc"), nil), 1, SERIAL)
		}, "supercolumn may not be specified for standard CF Standard1"},
		{"remove/column without sc on super", func() error {
			return c.Remove(ctx, k, colPath("Super1", "c"), 1, ONE)
		}, "A column cannot be specified without specifying a super column for removal on super CF Super1"},
		{"remove/SERIAL", func() error {
			return c.Remove(ctx, k, colPath("Standard1", "c"), 1, SERIAL)
		}, serialW},
		{"remove/whole super row ok", func() error {
			return c.Remove(ctx, k, path("Super1", nil, nil), 1, ONE)
		}, ""},
	})
}
