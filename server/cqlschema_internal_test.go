package server

import (
	"testing"
	"time"

	"github.com/cassa-go/cassa/server/internal/schema"
)

// CQL schema statements are logged as schema.Op and replay to the same
// catalog, mixed with Thrift system_* calls.
func TestCQLSchemaRecordsReplay(t *testing.T) {
	cfg := Config{Partitioner: "Murmur3Partitioner", Clock: time.Now}
	n, err := newNode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := schema.ParseRawType("text")
	list, _ := schema.ParseRawType("list<int>")
	ops := []*schema.Op{
		{CreateKeyspace: &schema.CreateKeyspace{Name: "ks", Properties: schema.Properties{
			"replication": {Map: map[string]string{"class": "SimpleStrategy", "replication_factor": "1"}}}}},
		{CreateTable: &schema.CreateTable{Keyspace: "ks", Name: "t",
			Columns:     []schema.ColumnSpec{{Name: "k", Type: text}, {Name: "c", Type: text}, {Name: "v", Type: text}, {Name: "l", Type: list}},
			PrimaryKeys: []schema.PrimaryKey{{Partition: []string{"k"}, Clustering: []string{"c"}}}}},
		{AlterTable: &schema.AlterTable{Keyspace: "ks", Name: "t", Kind: schema.AlterDrop, Drop: []string{"v"}}},
		{CreateIndex: &schema.CreateIndex{Keyspace: "ks", Table: "t", Targets: []schema.IndexTargetSpec{{Column: "l"}}}},
	}
	var recs [][]byte
	for _, op := range ops {
		op.Fill(1700000000000000, nil)
		rec, err := encodeSchemaOp(schemaOp{CQL: op})
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
		if _, err := (localWriter{n}).ChangeSchema(schemaOp{CQL: op}); err != nil {
			t.Fatal(err)
		}
	}
	if n.schema.Current().Table("ks", "t") == nil {
		t.Fatal("table not created")
	}
	r, err := newNode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		if err := replayRecord(r, rec); err != nil {
			t.Fatal(err)
		}
	}
	want, got := n.schema.Current(), r.schema.Current()
	if got.Version() != want.Version() || got.Table("ks", "t").ID != want.Table("ks", "t").ID {
		t.Errorf("replayed catalog differs: %s vs %s", got.Version(), want.Version())
	}
	if len(got.DroppedColumnRows()) != 1 || got.Table("ks", "t").Index("t_l_idx") == nil {
		t.Error("drop or index lost in replay")
	}
	if err := replayRecord(r, []byte{recSchemaCQL, 3, 'x', 'y'}); err == nil {
		t.Error("bad CQL record accepted")
	}
}
