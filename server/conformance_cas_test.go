package server_test

import (
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

func TestCas(t *testing.T) {
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

func TestCasValidation(t *testing.T) {
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
	_, err = c.Client_().Call(ctx, "cas", &partialArgs{write: func(p thriftProtocol) {
		writeBinaryField(p, 1, k)
		p.WriteFieldBegin(ctx, "column_family", thriftString, 2)
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
