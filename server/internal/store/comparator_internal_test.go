package store

import (
	"testing"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// ALTER TABLE ADD of a non-frozen collection changes a CQL table's
// comparator (ColumnToCollectionType); the stored cells stay and the new
// collection's elements sort by their own type.
func TestComparatorGainsCollection(t *testing.T) {
	p, _ := partitioner.ByName("Murmur3Partitioner")
	st := New(p, Options{})
	s := schema.New(schema.Options{Apply: func(ch *schema.Change) error {
		for _, tb := range ch.Created {
			st.CreateTable(tb)
		}
		for _, u := range ch.Updated {
			st.UpdateTable(u.Old, u.New)
		}
		return nil
	}})
	text, _ := schema.ParseRawType("text")
	set, _ := schema.ParseRawType("set<int>")
	if _, err := s.CreateKeyspace(schema.CreateKeyspace{Name: "ks", Properties: schema.Properties{
		"replication": {Map: map[string]string{"class": "SimpleStrategy", "replication_factor": "1"}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateTable(schema.CreateTable{Keyspace: "ks", Name: "t",
		Columns:     []schema.ColumnSpec{{Name: "k", Type: text}, {Name: "v", Type: text}},
		PrimaryKeys: []schema.PrimaryKey{{Partition: []string{"k"}}}}); err != nil {
		t.Fatal(err)
	}
	old := s.Current().Table("ks", "t")
	if _, err := s.AlterTable(schema.AlterTable{Keyspace: "ks", Name: "t", Kind: schema.AlterAdd,
		Add: []schema.ColumnSpec{{Name: "s", Type: set}}}); err != nil {
		t.Fatal(err)
	}
	nt := s.Current().Table("ks", "t")
	tb, err := st.table(nt)
	if err != nil || tb.cmp.Class() != nt.Comparator.Class() || old.ID != nt.ID {
		t.Fatalf("comparator not replaced: %v %s", err, tb.cmp.Class())
	}
	neg, _ := nt.Comparator.Pack(codec.Tuple{"s", codec.AppendInt32(nil, -1)})
	pos, _ := nt.Comparator.Pack(codec.Tuple{"s", codec.AppendInt32(nil, 1)})
	if !tb.trees.cellLess(&cell{name: neg}, &cell{name: pos}) {
		t.Error("set elements must sort as ints")
	}
	if sameOrderFor(codec.UTF8, codec.Bytes) || !sameOrderFor(old.Comparator, nt.Comparator) {
		t.Error("sameOrderFor")
	}
}
