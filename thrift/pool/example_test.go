package pool_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync/atomic"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thrift/pool"
	"github.com/cassa-go/cassa/thriftgen"
)

// Example starts an embedded server, creates a keyspace, and writes and
// reads a column through a pool.
func Example() {
	ctx := context.Background()
	srv, err := server.Start(ctx, server.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	p, err := pool.Open(ctx, pool.Config{Servers: []string{srv.Addr()}, PoolSize: 2})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close(ctx)

	err = p.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
		cf := thriftgen.NewCfDef()
		cf.Keyspace, cf.Name = "Demo", "Users"
		_, err := c.Client().SystemAddKeyspace(ctx, &thriftgen.KsDef{
			Name:            "Demo",
			StrategyClass:   "org.apache.cassandra.locator.SimpleStrategy",
			StrategyOptions: map[string]string{"replication_factor": "1"},
			CfDefs:          []*thriftgen.CfDef{cf},
		})
		return err
	})
	if err != nil {
		log.Fatal(err)
	}

	path := &thriftgen.ColumnPath{ColumnFamily: "Users", Column: []byte("name")}
	err = p.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
		if err := c.SetKeyspace(ctx, "Demo"); err != nil {
			return err
		}
		ts := int64(1)
		return c.Client().Insert(ctx, []byte("thobbs"), &thriftgen.ColumnParent{ColumnFamily: "Users"},
			&thriftgen.Column{Name: []byte("name"), Value: []byte("Tyler"), Timestamp: &ts}, thriftgen.ConsistencyLevel_ONE)
	})
	if err != nil {
		log.Fatal(err)
	}

	err = p.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
		if err := c.SetKeyspace(ctx, "Demo"); err != nil {
			return err
		}
		col, err := c.Client().Get(ctx, []byte("thobbs"), path, thriftgen.ConsistencyLevel_ONE)
		if err != nil {
			return err
		}
		fmt.Printf("%s\n", col.Column.Value)
		_, err = c.Client().Get(ctx, []byte("nobody"), path, thriftgen.ConsistencyLevel_ONE)
		return err
	})
	fmt.Println(errors.Is(err, cassa.ErrNotFound))
	// Output:
	// Tyler
	// true
}

// checkouts is a listener that counts connections lent; embedding
// NopListener covers the other events.
type checkouts struct {
	pool.NopListener
	n atomic.Int64
}

func (c *checkouts) ConnectionCheckedOut(pool.ConnEvent) { c.n.Add(1) }

// ExamplePool_Stats reads the pool's counters, and a listener's.
func ExamplePool_Stats() {
	ctx := context.Background()
	srv, err := server.Start(ctx, server.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	l := &checkouts{}
	p, err := pool.Open(ctx, pool.Config{
		Servers:   []string{srv.Addr()},
		Listeners: []pool.Listener{l},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close(ctx)
	for i := 0; i < 3; i++ {
		err := p.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
			_, err := c.Client().DescribeVersion(ctx)
			return err
		})
		if err != nil {
			log.Fatal(err)
		}
	}
	st := p.Stats()
	fmt.Println("opened:", st.Created, "checked out:", st.CheckedOut, "idle:", st.Idle, "listener saw:", l.n.Load())
	// Output: opened: 1 checked out: 3 idle: 1 listener saw: 3
}
