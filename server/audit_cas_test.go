package server_test

import (
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Audit: cas details of §2.6 (ThriftCASRequest) beyond the conformance
// test: current_values order, expiry, empty updates, update validation,
// and index maintenance.

func TestAuditCasDetails(t *testing.T) {
	clk := cassatest.NewClock(clockStart)
	c := dtestClient(t, server.Config{Clock: clk.Now})
	const SERIAL = tg.ConsistencyLevel_SERIAL
	cas := func(key, cf string, expected, updates []*tg.Column) *tg.CASResult_ {
		t.Helper()
		r, err := c.Cas(ctx, []byte(key), cf, expected, updates, SERIAL, ONE)
		must(t, err)
		return r
	}
	p := parent("Standard1")
	c.insert(t, "k", p, col("a", "1", 1), col("b", "2", 1), col("c", "3", 1), col("d", "4", 1))
	// A mismatch reports the live current values of the expected names in
	// comparator order, whatever the request order.
	r := cas("k", "Standard1", []*tg.Column{col("d", "x", 0), col("b", "2", 0), col("zz", "x", 0)}, []*tg.Column{col("e", "v", 1)})
	if r.Success || len(r.CurrentValues) != 2 || string(r.CurrentValues[0].Name) != "b" || string(r.CurrentValues[1].Name) != "d" {
		t.Fatalf("mismatch current_values %v", r.CurrentValues)
	}
	if string(r.CurrentValues[1].Value) != "4" || r.CurrentValues[1].GetTimestamp() != 1 {
		t.Fatalf("current value d: %v", r.CurrentValues[1])
	}
	// Extra columns in the row do not matter.
	r = cas("k", "Standard1", []*tg.Column{col("c", "3", 0)}, []*tg.Column{col("e", "v", 1)})
	if !r.Success || r.CurrentValues != nil {
		t.Fatalf("match with extra columns: %v", r)
	}
	assertPath(t, c, "k", colPath("Standard1", "e"))
	// An expired expected column is absent.
	c.insert(t, "x", p, ttlCol("a", "1", 1, 1))
	clk.Advance(2 * time.Second)
	r = cas("x", "Standard1", []*tg.Column{col("a", "1", 0)}, []*tg.Column{col("b", "v", 1)})
	if r.Success || len(r.CurrentValues) != 0 {
		t.Fatalf("expired expected: %v", r)
	}
	// ...and an empty expected succeeds on a row holding only expired data.
	r = cas("x", "Standard1", nil, []*tg.Column{col("b", "v", 1)})
	if !r.Success {
		t.Fatalf("empty expected on an expired row: %v", r)
	}
	// Empty updates: a successful no-op.
	r = cas("empty", "Standard1", nil, []*tg.Column{})
	if !r.Success {
		t.Fatalf("empty updates: %v", r)
	}
	if res := c.bigSlice(t, "empty", p); len(res) != 0 {
		t.Fatalf("empty updates wrote %v", res)
	}
	// Updates are validated like inserts, even the fields cas ignores.
	for _, tc := range []struct {
		col *tg.Column
		why string
	}{
		{ttlCol("a", "v", 1, -1), "ttl must be positive"},
		{ttlCol("a", "v", 1, 630720001), "ttl is too large. requested (630720001) maximum (630720000)"},
		{&tg.Column{Name: []byte("a"), Value: []byte("v")}, "Column timestamp is required"},
		{&tg.Column{Name: []byte("a"), Timestamp: i64p(1)}, "Column value is required"},
		{col("", "v", 1), "column name must not be empty"},
	} {
		_, err := c.Cas(ctx, []byte("v"), "Standard1", nil, []*tg.Column{tc.col}, SERIAL, ONE)
		mustIRE(t, err, tc.why)
	}
	_, err := c.Cas(ctx, []byte("v"), "Standard3", nil, []*tg.Column{col("c1", "\xff", 1)}, SERIAL, ONE)
	mustIRE(t, err, "(Invalid byte for ascii: -1) [Keyspace1][Standard3][6331] failed validation")
	_, err = c.Cas(ctx, []byte("v"), "Nope", nil, []*tg.Column{col("a", "v", 1)}, SERIAL, ONE)
	mustIRE(t, err, "unconfigured table Nope")
	// A cas write maintains the index.
	bd := []byte("birthdate")
	r = cas("i", "Indexed1", nil, []*tg.Column{bcol(bd, string(longBytes(7)), 1)})
	if !r.Success {
		t.Fatal(r)
	}
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 10, eqExpr("birthdate", longBytes(7)))); len(got) != 1 {
		t.Fatalf("cas not indexed: %v", got)
	}
	r = cas("i", "Indexed1", []*tg.Column{bcol(bd, string(longBytes(7)), 0)}, []*tg.Column{bcol(bd, string(longBytes(8)), 1)})
	if !r.Success {
		t.Fatal(r)
	}
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 10, eqExpr("birthdate", longBytes(7)))); len(got) != 0 {
		t.Fatalf("old cas value still indexed: %v", got)
	}
	// A successful cas is visible to a SERIAL read of the same key.
	got, err := c.Get(ctx, []byte("i"), colPath("Indexed1", "birthdate"), SERIAL)
	must(t, err)
	if string(got.Column.Value) != string(longBytes(8)) {
		t.Fatalf("serial read %v", got)
	}
}
