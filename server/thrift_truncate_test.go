package server_test

import (
	"testing"

	"github.com/cassa-go/cassa/server"
)

// truncate: what it removes, and its refusals.

func TestThriftTruncate(t *testing.T) {
	c := dtestClient(t, server.Config{})
	insertSimple(t, c)
	insertSuper(t, c, "key1")
	must(t, c.Truncate(ctx, "Standard1"))
	if res := c.bigSlice(t, "key1", parent("Standard1")); len(res) != 0 {
		t.Fatalf("Standard1 after truncate: %v", res)
	}
	verifySuper(t, c, "Super1") // other CFs untouched
	must(t, c.Truncate(ctx, "Super1"))
	if res := c.bigSlice(t, "key1", parent("Super1")); len(res) != 0 {
		t.Fatalf("Super1 after truncate: %v", res)
	}
	if res := c.bigSlice(t, "key1", superParent("Super1", []byte("sc1"))); len(res) != 0 {
		t.Fatalf("Super1/sc1 after truncate: %v", res)
	}
	// Truncate is not a tombstone: a later write with an old timestamp shows.
	c.insert(t, "key1", parent("Standard1"), col("c1", "old", -100))
	assertColumn(t, c, "Standard1", "key1", "c1", "old", -100)
	// No ghosts either.
	rows, err := c.GetRangeSlices(ctx, parent("Super1"), columnRange("", "", false, 10), keyRange("", "", 10), ONE)
	must(t, err)
	if len(rows) != 0 {
		t.Fatalf("rows after truncate: %v", rows)
	}
	mustIRE(t, c.Truncate(ctx, "Nope"), "unconfigured table Nope")
	fresh := dial(t, c.addr)
	mustIRE(t, fresh.Truncate(ctx, "Standard1"), "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename")
}

func TestThriftTruncateIsNotATombstone(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Standard1")
	c.insert(t, "a", p, col("c", "v", 100))
	must(t, c.Remove(ctx, []byte("b"), path("Standard1", nil, nil), 100, ONE))
	c.insert(t, "x", parent("Standard2"), col("c", "v", 1))
	must(t, c.Truncate(ctx, "Standard1"))
	// Truncate is not a tombstone: older writes show afterwards, and the
	// range has no ghosts.
	rows, err := c.GetRangeSlices(ctx, p, names("c"), keyRange("", "", 100), ONE)
	must(t, err)
	if len(rows) != 0 {
		t.Fatalf("ghosts after truncate: %v", rowKeys(rows))
	}
	c.insert(t, "a", p, col("c", "old", 1))
	c.insert(t, "b", p, col("c", "old", 1))
	assertColumn(t, c, "Standard1", "a", "c", "old", 1)
	assertColumn(t, c, "Standard1", "b", "c", "old", 1)
	// Other CFs are untouched.
	assertColumn(t, c, "Standard2", "x", "c", "v", 1)
	// Truncate clears indexes too.
	c.insert(t, "i", parent("Indexed1"), bcol([]byte("birthdate"), string(longBytes(1)), 1))
	must(t, c.Truncate(ctx, "Indexed1"))
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 10, eqExpr("birthdate", longBytes(1)))); len(got) != 0 {
		t.Fatalf("index after truncate: %v", got)
	}
	// Cassandra 3.11 refuses to truncate a counter table through Thrift
	// (CassandraServer.truncate validates it as a non-counter operation),
	// and the counters stay.
	must(t, c.Add(ctx, []byte("k"), parent("Counter1"), counterColumn("a", 1), ONE))
	mustIRE(t, c.Truncate(ctx, "Counter1"), "invalid operation for commutative table Counter1")
	if v := counterValue(t, c, "k", colPath("Counter1", "a")); v != 1 {
		t.Fatalf("counter after a refused truncate %d", v)
	}
}

// TestThriftTruncateBadCalls sends truncate requests that Cassandra refuses
// and checks each error: single faults and several faults at once, where the
// error shows which check Cassandra runs first.
func TestThriftTruncateBadCalls(t *testing.T) {
	c := dtestClient(t, server.Config{})
	runErrCases(t, []errCase{
		// Two or more faults at once: the error shows which check
		// Cassandra runs first.
		// truncate: the keyspace and table checks, then (3.11) the
		// table must not be a counter table.
		{"truncate/unknown", func() error { return c.Truncate(ctx, "Nope") }, "unconfigured table Nope"},
		{"truncate/empty name", func() error { return c.Truncate(ctx, "") }, "non-empty table is required"},
		{"truncate/counter CF refused in 3.11", func() error { return c.Truncate(ctx, "Counter1") }, "invalid operation for commutative table Counter1"},
		{"truncate/super counter CF", func() error { return c.Truncate(ctx, "SuperCounter1") }, "invalid operation for commutative table SuperCounter1"},
	})
}
