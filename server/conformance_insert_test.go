package server_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Ports of dtest TestMutations: insert, get, remove, super columns, TTL.

var simpleColumns = []*tg.Column{col("c1", "value1", 0), col("c2", "value2", 0)}

func superColumns() []*tg.SuperColumn {
	return []*tg.SuperColumn{
		{Name: []byte("sc1"), Columns: []*tg.Column{bcol(longBytes(4), "value4", 0)}},
		{Name: []byte("sc2"), Columns: []*tg.Column{bcol(longBytes(5), "value5", 0), bcol(longBytes(6), "value6", 0)}},
	}
}

func insertSimple(t testing.TB, c *client, keys ...string) {
	t.Helper()
	if len(keys) == 0 {
		keys = []string{"key1"}
	}
	for _, k := range keys {
		c.insert(t, k, parent("Standard1"), col("c1", "value1", 0), col("c2", "value2", 0))
	}
}

func insertSuper(t testing.TB, c *client, key string) {
	t.Helper()
	c.insert(t, key, superParent("Super1", []byte("sc1")), bcol(longBytes(4), "value4", 0))
	c.insert(t, key, superParent("Super1", []byte("sc2")), bcol(longBytes(5), "value5", 0), bcol(longBytes(6), "value6", 0))
}

func verifySimple(t testing.TB, c *client) {
	t.Helper()
	got, err := c.Get(ctx, []byte("key1"), colPath("Standard1", "c1"), ONE)
	must(t, err)
	mustEqualColumn(t, got.Column, col("c1", "value1", 0))
	mustEqualColumns(t, columns(t, c.bigSlice(t, "key1", parent("Standard1"))), simpleColumns)
}

func verifySuper(t testing.TB, c *client, cf string) {
	t.Helper()
	got, err := c.Get(ctx, []byte("key1"), path(cf, []byte("sc1"), longBytes(4)), ONE)
	must(t, err)
	mustEqualColumn(t, got.Column, bcol(longBytes(4), "value4", 0))
	res := c.bigSlice(t, "key1", parent(cf))
	want := superColumns()
	if len(res) != len(want) {
		t.Fatalf("super slice: %v", res)
	}
	for i := range want {
		if res[i].SuperColumn == nil || !bytes.Equal(res[i].SuperColumn.Name, want[i].Name) {
			t.Fatalf("super slice item %d: %v", i, res[i])
		}
		mustEqualColumns(t, res[i].SuperColumn.Columns, want[i].Columns)
	}
}

func mustEqualColumn(t testing.TB, got, want *tg.Column) {
	t.Helper()
	if got == nil || !bytes.Equal(got.Name, want.Name) || !bytes.Equal(got.Value, want.Value) ||
		got.GetTimestamp() != want.GetTimestamp() || got.IsSetTTL() != want.IsSetTTL() || got.GetTTL() != want.GetTTL() {
		t.Fatalf("column: got %v, want %v", got, want)
	}
}

func mustEqualColumns(t testing.TB, got, want []*tg.Column) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("columns: got %v, want %v", got, want)
	}
	for i := range want {
		mustEqualColumn(t, got[i], want[i])
	}
}

func TestInsertAndGet(t *testing.T) {
	c := dtestClient(t, server.Config{})
	insertSimple(t, c)
	verifySimple(t, c)
}

func TestEmptySlice(t *testing.T) {
	c := dtestClient(t, server.Config{})
	if res := c.bigSlice(t, "key1", parent("Standard2")); len(res) != 0 || res == nil {
		t.Fatalf("want [], got %#v", res)
	}
	if res := c.bigSlice(t, "key1", parent("Super1")); len(res) != 0 {
		t.Fatalf("want [], got %v", res)
	}
}

func TestGetMissingSuper(t *testing.T) {
	c := dtestClient(t, server.Config{})
	_, err := c.Get(ctx, []byte("key1"), path("Super1", []byte("sc1"), longBytes(1)), ONE)
	mustNFE(t, err)
	insertSuper(t, c, "key1")
	_, err = c.Get(ctx, []byte("key1"), path("Super1", []byte("sc1"), longBytes(1)), ONE)
	mustNFE(t, err)
}

func TestSuperInsertAndGet(t *testing.T) {
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

func TestSuperSubcolumnLimit(t *testing.T) {
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

func TestColumnNameLengths(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Standard1")
	mustIRE(t, c.Insert(ctx, []byte("key1"), p, col("", "value", 0), ONE), "column name must not be empty")
	for _, n := range []int{1, 127, 128, 129, 255, 256, 257, 1<<16 - 1} {
		must(t, c.Insert(ctx, []byte("key1"), p, col(strings.Repeat("x", n), "value", 0), ONE))
	}
	mustIRE(t, c.Insert(ctx, []byte("key1"), p, col(strings.Repeat("x", 1<<16), "value", 0), ONE),
		"column name length must not be greater than 65535")
}

func TestBadCalls(t *testing.T) {
	c := dtestClient(t, server.Config{})
	// Missing arguments: TApplicationException, connection kept.
	_, err := c.Client_().Call(ctx, "insert", &partialArgs{}, tg.NewCassandraInsertResult())
	mustAppErr(t, err, thrift.PROTOCOL_ERROR)

	k := []byte("key1")
	longCol := func(name string) *tg.Column { return col(name, "value", 0) }
	cases := []struct {
		name string
		call func() error
		why  string
	}{
		{"supercolumn in a standard CF", func() error {
			return c.Insert(ctx, k, superParent("Standard1", []byte("x")), longCol("y"), ONE)
		}, "table alone is required for standard CF Standard1"},
		{"no supercolumn in a super CF", func() error {
			return c.Insert(ctx, k, parent("Super1"), longCol("y"), ONE)
		}, "missing mandatory super column name for super CF Super1"},
		{"remove: column without supercolumn", func() error {
			return c.Remove(ctx, k, path("Super1", nil, []byte("x")), 0, ONE)
		}, "A column cannot be specified without specifying a super column for removal on super CF Super1"},
		{"remove: supercolumn in standard CF", func() error {
			return c.Remove(ctx, k, path("Standard1", []byte("y"), []byte("x")), 0, ONE)
		}, "supercolumn may not be specified for standard CF Standard1"},
		{"key too long", func() error {
			_, err := c.Get(ctx, bytes.Repeat([]byte("x"), 1<<16), colPath("Standard1", "c1"), ONE)
			return err
		}, "Key length of 65536 is longer than maximum of 65535"},
		{"empty key", func() error {
			_, err := c.Get(ctx, []byte{}, colPath("Standard1", "c1"), ONE)
			return err
		}, "Key may not be empty"},
		{"empty key in batch", func() error {
			m := map[string]map[string][]*tg.Mutation{"": {"Super1": {mutSuper([]byte("sc1"), bcol(longBytes(4), "v", 0))}}}
			return c.BatchMutate(ctx, m, ONE)
		}, "Key may not be empty"},
		{"empty column name", func() error {
			_, err := c.Get(ctx, k, colPath("Standard1", ""), ONE)
			return err
		}, "column name must not be empty"},
		{"get without column", func() error {
			_, err := c.Get(ctx, k, path("Standard1", nil, nil), ONE)
			return err
		}, "column parameter is not optional for standard CF Standard1"},
		{"get supercolumn in standard CF", func() error {
			_, err := c.Get(ctx, k, path("Standard1", []byte("x"), []byte("y")), ONE)
			return err
		}, "supercolumn parameter is invalid for standard CF Standard1"},
		{"get without supercolumn in super CF", func() error {
			_, err := c.Get(ctx, k, path("Super1", nil, nil), ONE)
			return err
		}, "supercolumn parameter is not optional for super CF Super1"},
		{"invalid CF", func() error {
			_, err := c.GetRangeSlices(ctx, parent("S"), names("", ""), keyRange("", "", 5), ONE)
			return err
		}, "unconfigured table S"},
		{"x is not a valid Long", func() error {
			return c.Insert(ctx, k, superParent("Super1", []byte("sc1")), longCol("x"), ONE)
		}, "Expected 8 or 0 byte long (1)"},
		{"start is not a valid Long", func() error {
			_, err := c.GetSlice(ctx, k, parent("StandardLong1"), columnRange("x", "", false, 1), ONE)
			return err
		}, "Expected 8 or 0 byte long (1)"},
		{"start > finish", func() error {
			_, err := c.GetSlice(ctx, k, parent("StandardLong1"), columnRangeBytes(longBytes(10), longBytes(0), false, 1), ONE)
			return err
		}, "range finish must come after start in the order of traversal"},
		{"start is not a valid Long, super version", func() error {
			_, err := c.GetSlice(ctx, k, superParent("Super1", []byte("sc1")), columnRange("x", "", false, 1), ONE)
			return err
		}, "Expected 8 or 0 byte long (1)"},
		{"start > finish, super version", func() error {
			_, err := c.GetSlice(ctx, k, superParent("Super1", []byte("sc1")), columnRangeBytes(longBytes(10), longBytes(0), false, 1), ONE)
			return err
		}, "range finish must come after start in the order of traversal"},
		{"start key > end key", func() error {
			_, err := c.GetRangeSlices(ctx, parent("Standard1"), names("a"), keyRange("z", "a", 1), ONE)
			return err
		}, "start key must sort before (or equal to) finish key in your partitioner!"}, // BOP preserves order
		{"negative ttl", func() error {
			return c.Insert(ctx, k, parent("Standard1"), ttlCol("cttl1", "value1", 0, -1), ONE)
		}, "ttl must be positive"},
		{"zero ttl", func() error {
			return c.Insert(ctx, k, parent("Standard1"), ttlCol("cttl1", "value1", 0, 0), ONE)
		}, "ttl must be positive"},
		{"ttl too large", func() error {
			return c.Insert(ctx, k, parent("Standard1"), ttlCol("cttl1", "value1", 0, 630720001), ONE)
		}, "ttl is too large. requested (630720001) maximum (630720000)"},
		{"x is not a valid long super column in a deletion", func() error {
			m := map[string]map[string][]*tg.Mutation{"key": {"Super3": {mutDel(i64p(1), []byte("x"), nil)}}}
			return c.BatchMutate(ctx, m, tg.ConsistencyLevel_QUORUM)
		}, "Expected 8 or 0 byte long (1)"},
		{"counters do not support ANY", func() error {
			return c.Add(ctx, k, superParent("Counter1", []byte("x")), &tg.CounterColumn{Name: []byte("y"), Value: 1}, tg.ConsistencyLevel_ANY)
		}, "Consistency level ANY is not yet supported for counter table Counter1"},
		{"insert without value", func() error {
			return c.Insert(ctx, k, parent("Standard1"), &tg.Column{Name: []byte("c"), Timestamp: i64p(1)}, ONE)
		}, "Column value is required"},
		{"insert without timestamp", func() error {
			return c.Insert(ctx, k, parent("Standard1"), &tg.Column{Name: []byte("c"), Value: []byte("v")}, ONE)
		}, "Column timestamp is required"},
		{"value fails its validator", func() error {
			return c.Insert(ctx, k, parent("Indexed1"), col("birthdate", "bar", 0), ONE)
		}, // Indexed1's comparator is BytesType, which renders names as hex.
			"(Expected 8 or 0 byte long (3)) [Keyspace1][Indexed1][626972746864617465] failed validation"},
		{"insert into a counter CF", func() error {
			return c.Insert(ctx, k, parent("Counter1"), col("c", "v", 0), ONE)
		}, "invalid operation for commutative table Counter1"},
		{"add to a normal CF", func() error {
			return c.Add(ctx, k, parent("Standard1"), &tg.CounterColumn{Name: []byte("c"), Value: 1}, ONE)
		}, "invalid operation for non commutative table Standard1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { mustIRE(t, tc.call(), tc.why) })
	}
	// A deletion naming a super column on a standard CF (the message ends
	// with the Thrift rendering of the Deletion).
	m := map[string]map[string][]*tg.Mutation{"key": {"Standard1": {mutDel(i64p(1), []byte("supercolumn"), nil)}}}
	err = c.BatchMutate(ctx, m, tg.ConsistencyLevel_QUORUM)
	var e *tg.InvalidRequestException
	if !errors.As(err, &e) || !strings.HasPrefix(e.Why, "Deletion of super columns is not possible on a standard table (KeySpace=Keyspace1 Table=Standard1 Deletion=") {
		t.Fatalf("super deletion on a standard CF: %v", err)
	}
}

func TestEmptyValueIsAValue(t *testing.T) {
	c := dtestClient(t, server.Config{})
	c.insert(t, "k", parent("Standard1"), col("c", "", 5))
	got, err := c.Get(ctx, []byte("k"), colPath("Standard1", "c"), ONE)
	must(t, err)
	if got.Column.Value == nil || len(got.Column.Value) != 0 {
		t.Fatalf("value %#v", got.Column.Value)
	}
}

func TestCFRemoveColumn(t *testing.T) {
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

func TestCFRemoveRow(t *testing.T) {
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

func TestSuperCFRemoveColumn(t *testing.T) {
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

func TestSuperCFRemoveSuperColumn(t *testing.T) {
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

func TestSuperCFResurrectSubcolumn(t *testing.T) {
	c := dtestClient(t, server.Config{})
	c.insert(t, "vijay", superParent("Super1", []byte("sc1")), bcol(longBytes(4), "value4", 0))
	must(t, c.Remove(ctx, []byte("vijay"), path("Super1", []byte("sc1"), nil), 1, ONE))
	c.insert(t, "vijay", superParent("Super1", []byte("sc1")), bcol(longBytes(4), "value4", 2))
	got, err := c.Get(ctx, []byte("vijay"), path("Super1", []byte("sc1"), nil), ONE)
	must(t, err)
	mustEqualColumns(t, got.SuperColumn.Columns, []*tg.Column{bcol(longBytes(4), "value4", 2)})
}

func TestSuperReinsert(t *testing.T) {
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

func TestReconcileTies(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Standard1")
	get := func(name string) *tg.Column {
		t.Helper()
		got, err := c.Get(ctx, []byte("k"), colPath("Standard1", name), ONE)
		must(t, err)
		return got.Column
	}
	// Higher timestamp wins, whatever the order of arrival.
	c.insert(t, "k", p, col("a", "new", 10), col("a", "old", 9))
	mustEqualColumn(t, get("a"), col("a", "new", 10))
	// Equal timestamps: the greater value as SIGNED bytes wins (0x7f > 0x80).
	c.insert(t, "k", p, bcol([]byte("b"), "\x7f", 5), bcol([]byte("b"), "\x80", 5))
	mustEqualColumn(t, get("b"), bcol([]byte("b"), "\x7f", 5))
	c.insert(t, "k", p, bcol([]byte("b2"), "\x80", 5), bcol([]byte("b2"), "\x7f", 5))
	mustEqualColumn(t, get("b2"), bcol([]byte("b2"), "\x7f", 5))
	// A longer value with the same prefix wins.
	c.insert(t, "k", p, col("b3", "ab", 5), col("b3", "a", 5))
	mustEqualColumn(t, get("b3"), col("b3", "ab", 5))
	// Equal timestamps: a tombstone beats a live cell, in either order.
	c.insert(t, "k", p, col("d", "v", 7))
	must(t, c.Remove(ctx, []byte("k"), colPath("Standard1", "d"), 7, ONE))
	_, err := c.Get(ctx, []byte("k"), colPath("Standard1", "d"), ONE)
	mustNFE(t, err)
	must(t, c.Remove(ctx, []byte("k"), colPath("Standard1", "e"), 7, ONE))
	c.insert(t, "k", p, col("e", "v", 7))
	_, err = c.Get(ctx, []byte("k"), colPath("Standard1", "e"), ONE)
	mustNFE(t, err)
	// Negative timestamps are legal.
	c.insert(t, "k", p, col("n", "neg", -5))
	mustEqualColumn(t, get("n"), col("n", "neg", -5))
	must(t, c.Remove(ctx, []byte("k"), colPath("Standard1", "n"), -6, ONE))
	mustEqualColumn(t, get("n"), col("n", "neg", -5))
}

func TestTTLExpiryWithClock(t *testing.T) {
	clk := cassatest.NewClock(clockStart)
	c := dtestClient(t, server.Config{Clock: clk.Now})
	p := parent("Standard1")
	c.insert(t, "key1", p, ttlCol("cttl3", "value1", 0, 2))
	got, err := c.Get(ctx, []byte("key1"), colPath("Standard1", "cttl3"), ONE)
	must(t, err)
	mustEqualColumn(t, got.Column, ttlCol("cttl3", "value1", 0, 2)) // original TTL reported
	clk.Advance(time.Second)
	got, err = c.Get(ctx, []byte("key1"), colPath("Standard1", "cttl3"), ONE)
	must(t, err)
	if got.Column.GetTTL() != 2 {
		t.Fatalf("ttl after 1s = %d, want the original 2", got.Column.GetTTL())
	}
	clk.Advance(2 * time.Second)
	_, err = c.Get(ctx, []byte("key1"), colPath("Standard1", "cttl3"), ONE)
	mustNFE(t, err)
	if res := c.bigSlice(t, "key1", p); len(res) != 0 {
		t.Fatalf("expired cell in slice: %v", res)
	}
	// The expired cell acts as a tombstone at its own timestamp: an older
	// write stays hidden, a tie loses, a newer write shows.
	c.insert(t, "key1", p, col("cttl3", "older", -1))
	_, err = c.Get(ctx, []byte("key1"), colPath("Standard1", "cttl3"), ONE)
	mustNFE(t, err)
	c.insert(t, "key1", p, col("cttl3", "zzzz", 0))
	_, err = c.Get(ctx, []byte("key1"), colPath("Standard1", "cttl3"), ONE)
	mustNFE(t, err)
	c.insert(t, "key1", p, col("cttl3", "newer", 1))
	got, err = c.Get(ctx, []byte("key1"), colPath("Standard1", "cttl3"), ONE)
	must(t, err)
	mustEqualColumn(t, got.Column, col("cttl3", "newer", 1))
}

func TestTTLDefaultAndBatch(t *testing.T) {
	clk := cassatest.NewClock(clockStart)
	c := dtestClient(t, server.Config{Clock: clk.Now})
	// Expiring has default_time_to_live=2: it applies to insert...
	c.insert(t, "key1", parent("Expiring"), col("cttl3", "value1", 0))
	got, err := c.Get(ctx, []byte("key1"), colPath("Expiring", "cttl3"), ONE)
	must(t, err)
	mustEqualColumn(t, got.Column, ttlCol("cttl3", "value1", 0, 2))
	// ...and to batch_mutate (2.x rule).
	must(t, c.BatchMutate(ctx, map[string]map[string][]*tg.Mutation{
		"key2": {"Expiring": {mutCol(col("b", "v", 0))}, "Standard1": {mutCol(ttlCol("cttl4", "value1", 0, 2))}},
	}, ONE))
	got, err = c.Get(ctx, []byte("key2"), colPath("Expiring", "b"), ONE)
	must(t, err)
	if got.Column.GetTTL() != 2 {
		t.Fatalf("batch default ttl = %d", got.Column.GetTTL())
	}
	clk.Advance(3 * time.Second)
	for _, p := range []*tg.ColumnPath{colPath("Expiring", "cttl3"), colPath("Expiring", "b")} {
		_, err = c.Get(ctx, []byte("key1"), p, ONE)
		mustNFE(t, err)
	}
	_, err = c.Get(ctx, []byte("key2"), colPath("Standard1", "cttl4"), ONE)
	mustNFE(t, err)
}

func TestTTLUpdateAndRemoveExpiring(t *testing.T) {
	clk := cassatest.NewClock(clockStart)
	c := dtestClient(t, server.Config{Clock: clk.Now})
	p := parent("Standard1")
	c.insert(t, "key1", p, ttlCol("cttl4", "value1", 0, 1))
	c.insert(t, "key1", p, col("cttl4", "value1", 1))
	clk.Advance(1500 * time.Millisecond)
	got, err := c.Get(ctx, []byte("key1"), colPath("Standard1", "cttl4"), ONE)
	must(t, err)
	mustEqualColumn(t, got.Column, col("cttl4", "value1", 1))

	c.insert(t, "key1", p, ttlCol("cttl5", "value1", 0, 10))
	must(t, c.Remove(ctx, []byte("key1"), colPath("Standard1", "cttl5"), 1, ONE))
	_, err = c.Get(ctx, []byte("key1"), colPath("Standard1", "cttl5"), ONE)
	mustNFE(t, err)
}

func TestTTL2038Guard(t *testing.T) {
	c := dtestClient(t, server.Config{})
	// 20 years from now passes 2038-01-19: rejected under the default
	// REJECT policy (CASSANDRA-14092).
	err := c.Insert(ctx, []byte("k"), parent("Standard1"), ttlCol("c", "v", 0, 630720000), ONE)
	var e *tg.InvalidRequestException
	if !errors.As(err, &e) || !strings.HasPrefix(e.Why, "Request on table Keyspace1.Standard1 with ttl of 630720000 seconds exceeds maximum supported expiration date of 2038-01-19T03:14:06+00:00.") {
		t.Fatalf("got %v", err)
	}
}

func TestInsertCheckOrderKeyBeforeCL(t *testing.T) {
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
