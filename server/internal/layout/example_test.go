package layout_test

import (
	"fmt"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
	"github.com/google/uuid"
)

// A CQL table (k int, c text, v int, tags set<text>, PRIMARY KEY (k, c))
// written and read through the store.
func Example() {
	l, err := layout.New(layout.Spec{Compound: true, Columns: []layout.ColumnSpec{
		{Name: "k", Kind: layout.PartitionKey, Type: codec.Int32},
		{Name: "c", Kind: layout.Clustering, Type: codec.UTF8},
		{Name: "v", Kind: layout.Regular, Type: codec.Int32},
		{Name: "tags", Kind: layout.Regular, Collection: layout.Set, Elements: codec.UTF8},
	}})
	if err != nil {
		panic(err)
	}
	st := store.New(partitioner.Murmur3Partitioner{}, store.Options{})
	tbl := &schema.Table{Keyspace: "ks", Name: "t", ID: uuid.New(), Comparator: l.Comparator(), KeyValidator: l.KeyType()}
	st.CreateTable(tbl)

	// INSERT INTO t (k, c, v, tags) VALUES (1, 'a', 7, {'x', 'y'})
	key, _ := l.PartitionKey([][]byte{codec.AppendInt32(nil, 1)})
	ck := [][]byte{[]byte("a")}
	u := l.NewUpdate(1000, 0, nil)
	_ = u.Insert(ck)
	_ = u.Set(ck, l.Column("v"), codec.AppendInt32(nil, 7))
	_ = u.Set(ck, l.Column("tags"), layout.AppendCollection(nil, [][]byte{[]byte("y"), []byte("x")}))
	for _, op := range u.Ops() {
		if op.Kind == store.OpDeleteRange {
			fmt.Printf("%v [%x, %x] at %d\n", op.Kind, op.Start, op.Finish, op.Timestamp)
			continue
		}
		fmt.Printf("%v %x at %d\n", op.Kind, op.Name, op.Timestamp)
	}
	_ = st.Apply(u.Mutation(tbl, key))

	// SELECT * FROM t WHERE k = 1
	_, _ = l.Read(st, tbl, layout.Query{Keys: [][]byte{key}}, func(r *layout.Row) (bool, error) {
		tags, _ := layout.DecodeCollection(layout.Set, r.Values[l.Column("tags").Index].Bytes)
		fmt.Printf("c=%s v=%x tags=%q\n", r.Clustering[0], r.Values[l.Column("v").Index].Bytes, tags)
		return true, nil
	})
	// Output:
	// put 00016100000000 at 1000
	// put 0001610000017600 at 1000
	// delete-range [00016100000474616773ff, 0001610000047461677301] at 999
	// put 000161000004746167730000017900 at 1000
	// put 000161000004746167730000017800 at 1000
	// c=a v=00000007 tags=["x" "y"]
}
