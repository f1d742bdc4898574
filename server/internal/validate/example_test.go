package validate_test

import (
	"fmt"
	"time"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/validate"
	"github.com/cassa-go/cassa/thriftgen"
)

type catalog map[string]*schema.Keyspace

func (c catalog) Keyspace(name string) *schema.Keyspace { return c[name] }

func Example() {
	users := &schema.Table{Keyspace: "App", Name: "Users",
		Comparator: codec.UTF8, KeyValidator: codec.UTF8, DefaultValidator: codec.Long}
	app := &schema.Keyspace{Name: "App", StrategyClass: schema.SimpleStrategy,
		StrategyOptions: map[string]string{"replication_factor": "1"},
		Tables:          map[string]*schema.Table{"Users": users}}

	ks, t, ire := validate.ResolveTable(catalog{"App": app}, "App", "Users")
	if ire != nil {
		fmt.Println(ire.Why)
		return
	}
	ts := int64(1)
	col := &thriftgen.Column{Name: []byte("age"), Value: []byte("old"), Timestamp: &ts}
	err := validate.ValidateInsert(ks, t, []byte("jsmith"), &thriftgen.ColumnParent{ColumnFamily: "Users"},
		col, thriftgen.ConsistencyLevel_ONE, time.Now(), nil)
	fmt.Println(err)

	col.Value = codec.AppendLong(nil, 42)
	err = validate.ValidateInsert(ks, t, []byte("jsmith"), &thriftgen.ColumnParent{ColumnFamily: "Users"},
		col, thriftgen.ConsistencyLevel_QUORUM, time.Now(), nil)
	fmt.Println(err)
	// Output:
	// InvalidRequestException({Why:(Expected 8 or 0 byte long (3)) [App][Users][age] failed validation})
	// <nil>
}
