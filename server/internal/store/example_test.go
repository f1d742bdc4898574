package store

import (
	"fmt"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

func Example() {
	st := New(partitioner.Murmur3Partitioner{}, Options{})
	users := &schema.Table{Keyspace: "ks", Name: "Users", ID: uuid.New(), Comparator: bytesType{}}
	st.CreateTable(users)

	_ = st.Apply(NewRowMutation(users, []byte("thobbs"),
		Op{Kind: OpPut, Name: []byte("name"), Value: []byte("Tyler"), Timestamp: 1},
		Op{Kind: OpPut, Name: []byte("age"), Value: []byte("24"), Timestamp: 1},
	))
	cols, _ := st.GetSlice(users, []byte("thobbs"), nil, &thriftgen.SlicePredicate{
		SliceRange: &thriftgen.SliceRange{Count: 100},
	})
	for _, c := range cols {
		fmt.Printf("%s=%s\n", c.Column.Name, c.Column.Value)
	}
	// Output:
	// age=24
	// name=Tyler
}
