package server

import (
	"reflect"
	"testing"

	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
	tg "github.com/cassa-go/cassa/thriftgen"
)

func TestRecordRoundTrip(t *testing.T) {
	muts := []store.RowMutation{
		{Keyspace: "ks", Table: "cf", Key: []byte("k"), Ops: []store.Op{
			{Kind: store.OpPut, Name: []byte("n"), Value: []byte{}, Timestamp: -5, TTL: 10, LocalTime: 1700000000},
			{Kind: store.OpAddCounter, Super: []byte("s"), Name: []byte("c"), Delta: -3, Timestamp: 1 << 60},
			{Kind: store.OpDeleteRange, Start: []byte("a"), Finish: nil, Timestamp: 7, LocalTime: 1},
			{Kind: store.OpDeleteRange, Start: []byte("a"), Finish: []byte("b"), StartExclusive: true, Timestamp: 7, LocalTime: 1},
			{Kind: store.OpDeleteRange, Start: []byte("a"), Finish: []byte("b"), FinishExclusive: true, Timestamp: 7, LocalTime: 1},
		}},
		{Keyspace: "ks", Table: "other", Key: []byte{}, Ops: []store.Op{}},
	}
	d := &dec{b: encodeMutations(nil, muts)}
	if d.byte() != recMutations {
		t.Fatal("kind")
	}
	got := d.mutations()
	if d.err != nil || len(d.b) != 0 {
		t.Fatalf("decode: %v, %d bytes left", d.err, len(d.b))
	}
	if !reflect.DeepEqual(got, muts) {
		t.Fatalf("round trip\n got %+v\nwant %+v", got, muts)
	}

	op := schemaOp{Kind: schema.TableDropped, Keyspace: "ks", Table: "cf",
		KsDef: &tg.KsDef{Name: "ks", StrategyClass: "SimpleStrategy", CfDefs: []*tg.CfDef{}}}
	rec, err := encodeSchemaOp(op)
	if err != nil {
		t.Fatal(err)
	}
	d = &dec{b: rec[1:]}
	back, err := d.schemaOp()
	if err != nil || back.Kind != op.Kind || back.Keyspace != "ks" || back.Table != "cf" || back.KsDef.Name != "ks" || back.CfDef != nil {
		t.Fatalf("schema op round trip: %+v, %v", back, err)
	}
}

// FuzzReplayRecord replays arbitrary bytes as a commit-log record: a
// damaged or foreign record must be refused, never panic.
func FuzzReplayRecord(f *testing.F) {
	f.Add(encodeMutations(nil, []store.RowMutation{{Keyspace: "ks", Table: "cf", Key: []byte("k"),
		Ops: []store.Op{{Kind: store.OpPut, Name: []byte("n"), Value: []byte("v"), Timestamp: 1}}}}))
	rec, _ := encodeSchemaOp(schemaOp{Kind: schema.KeyspaceAdded, KsDef: &tg.KsDef{Name: "ks", StrategyClass: "SimpleStrategy",
		StrategyOptions: map[string]string{"replication_factor": "1"}, CfDefs: []*tg.CfDef{{Keyspace: "ks", Name: "cf"}}}})
	f.Add(rec)
	f.Add([]byte(encodeTruncate(&schema.Table{Keyspace: "ks", Name: "cf"})))
	f.Add([]byte{recMutations, 0xff, 0xff, 0xff, 0xff, 0x0f})
	n, err := newNode(Config{}.withDefaults())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		_ = replayRecord(n, payload)
	})
}
