package orm_test

import (
	"context"
	"fmt"
	"log"

	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thrift/pool"
	"github.com/cassa-go/cassa/thriftgen"
)

// Person is the example's model.
type Person struct {
	ID    string `cass:",key"`
	Name  string `cass:"name"`
	State string `cass:"state,index"`
	Born  int64  `cass:"birthdate,index"`
	Age   int    `cass:"age,type=Integer,default=0"`
}

// exampleSchema starts an embedded server with keyspace Example and an
// indexed column family People, and returns a pool on it.
func exampleSchema(ctx context.Context) (*server.Server, *pool.Pool, error) {
	srv, err := server.Start(ctx, server.Config{Addr: "127.0.0.1:0"})
	if err != nil {
		return nil, nil, err
	}
	cf := thriftgen.NewCfDef()
	cf.Keyspace, cf.Name, cf.ComparatorType = "Example", "People", "UTF8Type"
	cf.KeyValidationClass = strp("UTF8Type")
	cf.ColumnMetadata = []*thriftgen.ColumnDef{
		colDef("name", "UTF8Type", false), colDef("state", "UTF8Type", true),
		colDef("birthdate", "LongType", true), colDef("age", "IntegerType", false),
	}
	ks := thriftgen.NewKsDef()
	ks.Name, ks.StrategyClass = "Example", "SimpleStrategy"
	ks.StrategyOptions = map[string]string{"replication_factor": "1"}
	ks.CfDefs, ks.DurableWrites = []*thriftgen.CfDef{cf}, true
	sys, err := pool.Open(ctx, pool.Config{Servers: []string{srv.Addr()}})
	if err != nil {
		return nil, nil, err
	}
	err = sys.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
		_, err := c.Client().SystemAddKeyspace(ctx, ks)
		return err
	})
	sys.Close(ctx)
	if err != nil {
		return nil, nil, err
	}
	db, err := pool.Open(ctx, pool.Config{Servers: []string{srv.Addr()}, Keyspace: "Example"})
	return srv, db, err
}

func Example() {
	ctx := context.Background()
	srv, db, err := exampleSchema(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	defer db.Close(ctx)

	people := orm.Map[Person, string](db, "People")
	for _, p := range []Person{
		{ID: "ann", Name: "Ann", State: "UT", Born: 1975, Age: 49},
		{ID: "bob", Name: "Bob", State: "UT", Born: 1965},
		{ID: "cyd", Name: "Cyd", State: "CA", Born: 1980},
	} {
		if err := people.Insert(ctx, &p); err != nil {
			log.Fatal(err)
		}
	}

	ann, err := people.Get(ctx, "ann")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", ann)

	for p, err := range people.Find(ctx, query.Where("state").Eq("UT").And("birthdate").Gt(1970)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("born in UT after 1970:", p.Name)
	}

	// A clause without an EQ on an indexed column never reaches the server.
	for _, err := range people.Find(ctx, query.Where("birthdate").Gt(1970)) {
		fmt.Println(err)
	}

	fmt.Println("verify:", people.Verify(ctx))
	// Output:
	// {ID:ann Name:Ann State:UT Born:1975 Age:49}
	// born in UT after 1970: Ann
	// query: index query has no EQ on an indexed column: birthdate > 1970 (EQ on: none; indexed: birthdate)
	// verify: <nil>
}
