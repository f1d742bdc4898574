package server_test

import (
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// cas (CassandraServer.cas and ThriftCASRequest): the compare-and-set
// semantics, current_values, the Paxos timestamp, and every refusal with the
// order of Cassandra's checks.

func TestThriftCas(t *testing.T) {
	c := dtestClient(t, server.Config{})
	cas := func(cf string, expected, updates []*tg.Column) *tg.CASResult_ {
		t.Helper()
		r, err := c.Cas(ctx, []byte("key1"), cf, expected, updates, tg.ConsistencyLevel_SERIAL, tg.ConsistencyLevel_QUORUM)
		must(t, err)
		return r
	}
	updated := []*tg.Column{col("c1", "value101", 1), col("c2", "value102", 1)}
	for _, cf := range []string{"Standard1", "Standard3", "Standard4"} {
		t.Run(cf, func(t *testing.T) {
			// The row is empty: expecting values fails with [] current.
			r := cas(cf, simpleColumns, simpleColumns)
			if r.Success || r.CurrentValues == nil || len(r.CurrentValues) != 0 {
				t.Fatalf("expect on empty row: %v", r)
			}
			// Expecting absence succeeds; updates are written (with the
			// ballot timestamp, not the client's).
			r = cas(cf, []*tg.Column{}, simpleColumns)
			if !r.Success || r.CurrentValues != nil {
				t.Fatalf("empty expected: %v", r)
			}
			got := columns(t, c.bigSlice(t, "key1", parent(cf)))
			if len(got) != 2 || string(got[0].Value) != "value1" || string(got[1].Value) != "value2" || got[0].GetTimestamp() == 0 {
				t.Fatalf("after cas: %v", got)
			}
			// Now expecting absence fails and reports the first live column.
			r = cas(cf, []*tg.Column{}, simpleColumns)
			if r.Success || len(r.CurrentValues) != 1 || string(r.CurrentValues[0].Name) != "c1" || string(r.CurrentValues[0].Value) != "value1" {
				t.Fatalf("expect absent on live row: %v", r)
			}
			// A SERIAL read.
			v, err := c.Get(ctx, []byte("key1"), colPath(cf, "c1"), tg.ConsistencyLevel_SERIAL)
			must(t, err)
			if string(v.Column.Value) != "value1" {
				t.Fatalf("serial read %v", v)
			}
			if r := cas(cf, simpleColumns, updated); !r.Success {
				t.Fatalf("matching expectation: %v", r)
			}
			r = cas(cf, simpleColumns, updated)
			if r.Success || len(r.CurrentValues) != 2 || string(r.CurrentValues[0].Value) != "value101" {
				t.Fatalf("stale expectation: %v", r)
			}
		})
	}
}

func TestThriftCasValidation(t *testing.T) {
	c := dtestClient(t, server.Config{})
	k := []byte("k")
	up := []*tg.Column{col("c", "v", 1)}
	_, err := c.Cas(ctx, k, "Super1", []*tg.Column{}, up, tg.ConsistencyLevel_SERIAL, tg.ConsistencyLevel_QUORUM)
	mustIRE(t, err, "CAS does not support supercolumns")
	_, err = c.Cas(ctx, k, "Standard1", []*tg.Column{}, up, tg.ConsistencyLevel_QUORUM, tg.ConsistencyLevel_QUORUM)
	mustIRE(t, err, "Invalid consistency for conditional update. Must be one of SERIAL or LOCAL_SERIAL")
	_, err = c.Cas(ctx, k, "Standard1", []*tg.Column{}, up, tg.ConsistencyLevel_SERIAL, tg.ConsistencyLevel_SERIAL)
	mustIRE(t, err, `SERIAL is not supported as conditional update commit consistency. Use ANY if you mean "make sure it is accepted but I don't care how many replicas commit it for non-SERIAL reads"`)
	_, err = c.Cas(ctx, k, "Standard1", []*tg.Column{}, up, tg.ConsistencyLevel_SERIAL, tg.ConsistencyLevel_EACH_QUORUM)
	mustIRE(t, err, "consistency level EACH_QUORUM not compatible with replication strategy (org.apache.cassandra.locator.SimpleStrategy)")
	_, err = c.Cas(ctx, []byte{}, "Standard1", []*tg.Column{}, up, tg.ConsistencyLevel_SERIAL, tg.ConsistencyLevel_QUORUM)
	mustIRE(t, err, "Key may not be empty")
	_, err = c.Cas(ctx, k, "Standard1", []*tg.Column{}, []*tg.Column{{Name: []byte("c"), Value: []byte("v")}}, tg.ConsistencyLevel_SERIAL, tg.ConsistencyLevel_QUORUM)
	mustIRE(t, err, "Column timestamp is required")
	// Absent serial and commit CLs default to SERIAL and QUORUM.
	res := tg.NewCassandraCasResult()
	_, err = c.Client_().Call(ctx, "cas", &partialArgs{write: func(p thrift.TProtocol) {
		writeBinaryField(p, 1, k)
		p.WriteFieldBegin(ctx, "column_family", thrift.STRING, 2)
		p.WriteString(ctx, "Standard1")
		p.WriteFieldEnd(ctx)
		writeColumnList(p, 3, nil)
		writeColumnList(p, 4, up)
	}}, res)
	must(t, err)
	if res.Ire != nil || res.Success == nil || !res.Success.Success {
		t.Fatalf("cas with default CLs: %v", res)
	}
}

func TestThriftCasDetails(t *testing.T) {
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
	// Updates are validated like inserts (ThriftValidation.validateColumnData).
	for _, tc := range []struct {
		col *tg.Column
		why string
	}{
		{ttlCol("a", "v", 1, -1), "ttl must be greater or equal to 0"},
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

func TestThriftCasTimestampsAndTTL(t *testing.T) {
	c := dtestClient(t, server.Config{})
	const SERIAL = tg.ConsistencyLevel_SERIAL
	// Cassandra 3.11 honours updates[].ttl (CassandraServer.toLegacyCell
	// builds an expiring cell when ttl > 0; 2.x ignored it).
	r, err := c.Cas(ctx, []byte("k"), "Standard1", nil, []*tg.Column{ttlCol("a", "v", 1, 100)}, SERIAL, ONE)
	must(t, err)
	if !r.Success || r.IsSetCurrentValues() {
		t.Fatalf("cas result %v", r)
	}
	got := getColumn(t, c, "k", colPath("Standard1", "a"))
	if got.GetTTL() != 100 {
		t.Errorf("cas did not keep updates[].ttl: %v", got)
	}
	// The client timestamp is replaced by the ballot's (current time in
	// µs), so an insert at a small timestamp cannot override it.
	if got.GetTimestamp() == 1 {
		t.Errorf("cas kept the client timestamp 1")
	}
	c.insert(t, "k", parent("Standard1"), col("a", "old", 2))
	if got := getColumn(t, c, "k", colPath("Standard1", "a")); string(got.Value) != "v" {
		t.Errorf("insert at ts 2 overrode a cas write: %v", got)
	}
	// Empty expected fails on a row whose only content is a tombstone? No:
	// a row with no live cell counts as absent.
	must(t, c.Remove(ctx, []byte("t"), path("Standard1", nil, nil), 5, ONE))
	r, err = c.Cas(ctx, []byte("t"), "Standard1", []*tg.Column{}, []*tg.Column{col("a", "v", 1)}, SERIAL, ONE)
	must(t, err)
	if !r.Success {
		t.Fatalf("cas on a deleted row: %v", r)
	}
	// Empty expected on a live row: current_values is the first live column.
	c.insert(t, "f", parent("Standard1"), col("b", "1", 1), col("c", "2", 1))
	r, err = c.Cas(ctx, []byte("f"), "Standard1", nil, []*tg.Column{col("a", "v", 1)}, SERIAL, ONE)
	must(t, err)
	if r.Success || len(r.CurrentValues) != 1 || string(r.CurrentValues[0].Name) != "b" {
		t.Fatalf("cas on live row: %v", r)
	}
	// Expected names that are missing yield [] current values; others are
	// ignored; a mismatch lists only the expected names that are live.
	r, err = c.Cas(ctx, []byte("f"), "Standard1", []*tg.Column{col("b", "1", 0), col("zz", "x", 0)}, []*tg.Column{col("a", "v", 1)}, SERIAL, ONE)
	must(t, err)
	if r.Success || len(r.CurrentValues) != 1 || string(r.CurrentValues[0].Name) != "b" {
		t.Fatalf("cas with a missing expected column: %v", r)
	}
	r, err = c.Cas(ctx, []byte("f"), "Standard1", []*tg.Column{col("b", "1", 0)}, []*tg.Column{col("a", "v", 1)}, tg.ConsistencyLevel_LOCAL_SERIAL, ONE)
	must(t, err)
	if !r.Success {
		t.Fatalf("cas with matching expected: %v", r)
	}
	// An expected value compared byte for byte: a different length fails.
	r, err = c.Cas(ctx, []byte("f"), "Standard1", []*tg.Column{col("b", "1\x00", 0)}, []*tg.Column{col("a", "w", 1)}, SERIAL, ONE)
	must(t, err)
	if r.Success {
		t.Fatalf("cas matched a longer value")
	}
}

// TestThriftCasBadCalls sends cas requests that Cassandra refuses and checks
// each error: single faults and several faults at once, where the error
// shows which check Cassandra runs first.
func TestThriftCasBadCalls(t *testing.T) {
	c := dtestClient(t, server.Config{})
	const ANY = tg.ConsistencyLevel_ANY
	const SERIAL = tg.ConsistencyLevel_SERIAL
	empty := []byte{}
	k := []byte("k")
	noValue := &tg.Column{Name: []byte("c"), Timestamp: i64p(1)}
	runErrCases(t, []errCase{
		// Two or more faults at once: the error shows which check
		// Cassandra runs first.
		// cas: counter CF, key, super, updates, serial CL, commit CL.
		{"cas/counter CF+empty key", func() error {
			_, err := c.Cas(ctx, empty, "Counter1", nil, []*tg.Column{col("c", "v", 1)}, SERIAL, ONE)
			return err
		}, "invalid operation for commutative table Counter1"},
		{"cas/empty key+super", func() error {
			_, err := c.Cas(ctx, empty, "Super1", nil, []*tg.Column{col("c", "v", 1)}, SERIAL, ONE)
			return err
		}, "Key may not be empty"},
		{"cas/super+bad update", func() error {
			_, err := c.Cas(ctx, k, "Super1", nil, []*tg.Column{noValue}, ONE, SERIAL)
			return err
		}, "CAS does not support supercolumns"},
		{"cas/bad update+bad serial CL", func() error {
			_, err := c.Cas(ctx, k, "Standard1", nil, []*tg.Column{noValue}, ONE, SERIAL)
			return err
		}, "Column value is required"},
		{"cas/bad update name", func() error {
			_, err := c.Cas(ctx, k, "StandardLong1", nil, []*tg.Column{col("abc", "v", 1)}, SERIAL, ONE)
			return err
		}, "Expected 8 or 0 byte long (3)"},
		{"cas/expected is not validated", func() error {
			_, err := c.Cas(ctx, k, "StandardLong1", []*tg.Column{{Name: []byte("abc")}}, []*tg.Column{bcol(longBytes(1), "v", 1)}, SERIAL, ONE)
			return err
		}, ""},
		{"cas/bad serial+bad commit", func() error {
			_, err := c.Cas(ctx, k, "Standard1", nil, []*tg.Column{col("c", "v", 1)}, tg.ConsistencyLevel_QUORUM, SERIAL)
			return err
		}, "Invalid consistency for conditional update. Must be one of SERIAL or LOCAL_SERIAL"},
		{"cas/commit SERIAL", func() error {
			_, err := c.Cas(ctx, k, "Standard1", nil, []*tg.Column{col("c", "v", 1)}, SERIAL, SERIAL)
			return err
		}, `SERIAL is not supported as conditional update commit consistency. Use ANY if you mean "make sure it is accepted but I don't care how many replicas commit it for non-SERIAL reads"`},
		{"cas/commit LOCAL_SERIAL", func() error {
			_, err := c.Cas(ctx, k, "Standard1", nil, []*tg.Column{col("c", "v", 1)}, tg.ConsistencyLevel_LOCAL_SERIAL, tg.ConsistencyLevel_LOCAL_SERIAL)
			return err
		}, `LOCAL_SERIAL is not supported as conditional update commit consistency. Use ANY if you mean "make sure it is accepted but I don't care how many replicas commit it for non-SERIAL reads"`},
		{"cas/commit EACH_QUORUM on SimpleStrategy", func() error {
			_, err := c.Cas(ctx, k, "Standard1", nil, []*tg.Column{col("c", "v", 1)}, SERIAL, tg.ConsistencyLevel_EACH_QUORUM)
			return err
		}, "consistency level EACH_QUORUM not compatible with replication strategy (org.apache.cassandra.locator.SimpleStrategy)"},
		{"cas/commit ANY ok", func() error {
			_, err := c.Cas(ctx, []byte("casany"), "Standard1", nil, []*tg.Column{col("c", "v", 1)}, SERIAL, ANY)
			return err
		}, ""},
	})
}
