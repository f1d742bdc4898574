package schema_test

import (
	"fmt"

	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

func Example() {
	s := schema.New(schema.Options{})
	_, err := s.AddKeyspace(&thriftgen.KsDef{
		Name:            "Keyspace1",
		StrategyClass:   "SimpleStrategy",
		StrategyOptions: map[string]string{"replication_factor": "1"},
		CfDefs:          []*thriftgen.CfDef{{Keyspace: "Keyspace1", Name: "Standard1", ComparatorType: "UTF8Type"}},
		DurableWrites:   true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = s.AddKeyspace(&thriftgen.KsDef{Name: "keyspace1", StrategyClass: "SimpleStrategy"})
	fmt.Println(err.(*thriftgen.InvalidRequestException).Why)

	t := s.Current().Table("Keyspace1", "Standard1")
	fmt.Println(t.Def.ComparatorType)
	fmt.Println(t.ValueValidator([]byte("c1")).Class())
	// Output:
	// Keyspace names must be case-insensitively unique ("keyspace1" conflicts with "Keyspace1")
	// org.apache.cassandra.db.marshal.UTF8Type
	// org.apache.cassandra.db.marshal.BytesType
}
