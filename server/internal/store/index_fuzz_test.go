package store

import (
	"encoding/binary"
	"fmt"
	"sort"
	"testing"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// cqlIndexedTables returns a CQL table with an index of every kind, and
// the same table (same ID) before the indexes were created.
func cqlIndexedTables(t testing.TB) (plain, indexed *schema.Table) {
	t.Helper()
	sc := schema.New(schema.Options{})
	if _, err := sc.CreateKeyspace(schema.CreateKeyspace{Name: "ks", Properties: schema.Properties{
		"replication": {Map: map[string]string{"class": "SimpleStrategy", "replication_factor": "1"}}}}); err != nil {
		t.Fatal(err)
	}
	typ := func(s string) schema.RawType {
		r, err := schema.ParseRawType(s)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	ct := schema.CreateTable{Keyspace: "ks", Name: "t",
		Columns: []schema.ColumnSpec{{Name: "k1", Type: typ("int")}, {Name: "k2", Type: typ("int")}, {Name: "c", Type: typ("int")},
			{Name: "s", Type: typ("int"), Static: true}, {Name: "v", Type: typ("int")}, {Name: "l", Type: typ("list<int>")},
			{Name: "m", Type: typ("map<int, int>")}, {Name: "ms", Type: typ("map<int, int>"), Static: true}},
		PrimaryKeys: []schema.PrimaryKey{{Partition: []string{"k1", "k2"}, Clustering: []string{"c"}}}}
	if _, err := sc.CreateTable(ct); err != nil {
		t.Fatal(err)
	}
	plain = sc.Current().Table("ks", "t")
	for i, tg := range []schema.IndexTargetSpec{{Column: "k1"}, {Column: "c"}, {Column: "s"}, {Column: "v"}, {Column: "l"},
		{Column: "m", Type: "keys"}, {Column: "m", Type: "values"}, {Column: "m", Type: "entries"}, {Column: "ms", Type: "entries"}} {
		if _, err := sc.CreateIndex(schema.CreateIndex{Keyspace: "ks", Table: "t", Name: fmt.Sprint("i", i), Targets: []schema.IndexTargetSpec{tg}}); err != nil {
			t.Fatal(err)
		}
	}
	return plain, sc.Current().Table("ks", "t")
}

// dumpIndexes lists every entry of every index of t.
func dumpIndexes(st *Store, t *schema.Table) []string {
	tb, _ := st.table(t)
	var out []string
	for _, ix := range tb.indexes {
		ix.entries.Ascend(func(e indexEntry) bool {
			out = append(out, fmt.Sprintf("%s %x %x %x %x", ix.name, e.value, e.r.key, e.ck, e.path))
			return true
		})
	}
	sort.Strings(out)
	return out
}

// FuzzIndexedOps applies arbitrary writes (well-formed CQL cell names and
// garbage alike, every deletion kind) to a CQL table with every kind of
// index, and checks that the indexes kept up write by write hold exactly
// what building them from the final data gives. Nothing may panic.
func FuzzIndexedOps(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Add([]byte("\x01\x02\x03\x04\x05\x06\x07\x00\x01\x02\x09\x09\x03\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 400 {
			return
		}
		plain, indexed := cqlIndexedTables(t)
		inc := New(partitioner.Murmur3Partitioner{}, Options{})
		inc.CreateTable(indexed)
		late := New(partitioner.Murmur3Partitioner{}, Options{})
		late.CreateTable(plain)
		r := &opReader{b: data}
		i32 := func(v byte) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v%4)) }
		comp := func(eoc byte, vals ...[]byte) []byte { return compositeName(vals, eoc) }
		for len(r.b) > 0 {
			key := compositeName([][]byte{i32(r.byte()), i32(r.byte())}, 0)
			ck := i32(r.byte())
			ts := int64(r.byte() % 4)
			var op Op
			switch r.byte() % 10 {
			case 0:
				op = Op{Kind: OpPut, Name: comp(0, ck, []byte("v")), Value: i32(r.byte())}
			case 1:
				op = Op{Kind: OpPut, Name: comp(0, ck, []byte{}), Value: []byte{}} // row marker
			case 2:
				op = Op{Kind: OpPut, Name: comp(0, ck, []byte("l"), []byte{r.byte(), r.byte()}), Value: i32(r.byte())}
			case 3:
				op = Op{Kind: OpPut, Name: comp(0, ck, []byte("m"), i32(r.byte())), Value: i32(r.byte())}
			case 4:
				name := append([]byte{0xff, 0xff}, comp(0, []byte{}, []byte("s"))...)
				if r.byte()%2 == 0 {
					name = append([]byte{0xff, 0xff}, comp(0, []byte{}, []byte("ms"), i32(r.byte()))...)
				}
				op = Op{Kind: OpPut, Name: name, Value: i32(r.byte())}
			case 5:
				op = Op{Kind: OpDeleteColumn, Name: comp(0, ck, []byte("v"))}
			case 6:
				op = Op{Kind: OpDeleteRow}
			case 7:
				op = Op{Kind: OpDeleteRange, Start: comp(0xff, ck), Finish: comp(1, ck)}
			case 8:
				op = Op{Kind: OpDeleteRange, Start: comp(0xff, ck, []byte("m")), Finish: comp(1, ck, []byte("m"))}
			case 9:
				op = Op{Kind: OpPut, Name: []byte{r.byte(), r.byte(), r.byte()}, Value: []byte{r.byte()}} // garbage
			}
			op.Timestamp, op.LocalTime = ts, 1
			m := RowMutation{TableID: indexed.ID, Key: key, Ops: []Op{op}}
			if err := inc.Apply(m); err != nil {
				t.Fatal(err)
			}
			if err := late.Apply(m); err != nil {
				t.Fatal(err)
			}
		}
		late.UpdateTable(plain, indexed)
		a, b := dumpIndexes(inc, indexed), dumpIndexes(late, indexed)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Fatalf("maintained indexes differ from rebuilt ones:\n%q\n%q", a, b)
		}
	})
}
