package columnfamily_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
	"github.com/cassa-go/cassa/thriftgen"
)

// exampleServer starts an embedded server with a keyspace "Twissandra"
// holding the column family "Users" (UTF8 keys, names and values; "age"
// holds LongType values).
func exampleServer(ctx context.Context) (*server.Server, error) {
	srv, err := server.Start(ctx, server.Config{Partitioner: "ByteOrderedPartitioner"})
	if err != nil {
		return nil, err
	}
	sys, err := pool.Open(ctx, pool.Config{Servers: []string{srv.Addr()}})
	if err != nil {
		srv.Close()
		return nil, err
	}
	defer sys.Close(ctx)
	users := thriftgen.NewCfDef()
	users.Keyspace, users.Name, users.ComparatorType = "Twissandra", "Users", "UTF8Type"
	utf8 := "UTF8Type"
	users.KeyValidationClass, users.DefaultValidationClass = &utf8, &utf8
	users.ColumnMetadata = []*thriftgen.ColumnDef{{Name: []byte("age"), ValidationClass: "LongType"}}
	err = sys.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
		_, err := c.Client().SystemAddKeyspace(ctx, &thriftgen.KsDef{Name: "Twissandra",
			StrategyClass:   "org.apache.cassandra.locator.SimpleStrategy",
			StrategyOptions: map[string]string{"replication_factor": "1"},
			CfDefs:          []*thriftgen.CfDef{users}, DurableWrites: true})
		return err
	})
	if err != nil {
		srv.Close()
		return nil, err
	}
	return srv, nil
}

// ExampleOpen writes and reads rows of a column family, with
// keys, names and values packed from the live schema.
func ExampleOpen() {
	ctx := context.Background()
	srv, err := exampleServer(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	p, err := pool.Open(ctx, pool.Config{Keyspace: "Twissandra", Servers: []string{srv.Addr()}})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close(ctx)

	users, err := columnfamily.Open(ctx, p, "Users")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := users.Insert(ctx, "thobbs", columnfamily.Cols{"name": "Tyler", "age": 24}); err != nil {
		log.Fatal(err)
	}
	_, err = users.Insert(ctx, "jbellis", columnfamily.Cols{"name": "Jonathan", "age": 33, "zip": "78701"},
		columnfamily.TTL(24*time.Hour))
	if err != nil {
		log.Fatal(err)
	}

	row, err := users.Get(ctx, "thobbs", query.Slice("a", "m").PerPartitionLimit(10))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%v: age %v (%T)\n", row.Key, row.Value("age"), row.Value("age"))

	for row, err := range users.GetRange(ctx, query.Select{}.Limit(1000).Columns("name")) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(row.Key, row.Value("name"))
	}

	_, err = users.Get(ctx, "nobody", query.Select{})
	fmt.Println(errors.Is(err, cassa.ErrNotFound))
	// Output:
	// thobbs: age 24 (int64)
	// jbellis Jonathan
	// thobbs Tyler
	// true
}

// ExampleMutator queues writes to several rows and sends them in one
// request.
func ExampleMutator() {
	ctx := context.Background()
	srv, err := exampleServer(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	p, err := pool.Open(ctx, pool.Config{Keyspace: "Twissandra", Servers: []string{srv.Addr()}})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close(ctx)
	users, err := columnfamily.Open(ctx, p, "Users")
	if err != nil {
		log.Fatal(err)
	}

	b := columnfamily.NewMutator(p, columnfamily.QueueSize(columnfamily.NoAutoSend))
	for _, name := range []string{"ann", "bob", "cat"} {
		if _, err := b.Insert(ctx, users, name, columnfamily.Cols{"name": name}); err != nil {
			log.Fatal(err)
		}
	}
	if _, err := b.Remove(ctx, users, "bob", query.Select{}); err != nil {
		log.Fatal(err)
	}
	fmt.Println("queued:", b.Len())
	if err := b.Send(ctx); err != nil {
		log.Fatal(err)
	}
	rows, err := users.MultiGet(ctx, []any{"cat", "bob", "ann"}, query.Select{})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rows {
		fmt.Println(r.Key)
	}
	// Output:
	// queued: 4
	// cat
	// ann
}
