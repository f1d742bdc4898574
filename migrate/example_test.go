package migrate_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thrift/pool"
)

// Plan a schema file against an embedded server, apply it, and plan again.
func Example() {
	ctx := context.Background()
	srv, err := server.Start(ctx, server.Config{Addr: "127.0.0.1:0"})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	sys, err := migrate.Connect(ctx, pool.Config{Servers: []string{srv.Addr()}})
	if err != nil {
		log.Fatal(err)
	}
	defer sys.Close(ctx)

	spec, err := migrate.LoadSchema(strings.NewReader(`
keyspace: Twissandra
tables:
  - name: Users
    comparator: UTF8Type
    key_validation: UTF8Type
    columns:
      - {name: state, validator: UTF8Type, index: true}
      - {name: birthdate, validator: LongType}
`), "yaml")
	if err != nil {
		log.Fatal(err)
	}
	plan, err := migrate.PlanSchema(ctx, sys, spec)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(plan)
	if err := plan.Apply(ctx); err != nil {
		log.Fatal(err)
	}
	plan, err = migrate.PlanSchema(ctx, sys, spec)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(plan)
	// Output:
	// plan for keyspace Twissandra: 2 step(s)
	//   1. create keyspace Twissandra: strategy=SimpleStrategy, strategy_options={replication_factor:1}, durable_writes=true
	//   2. add column family Twissandra.Users: comparator=UTF8Type, key_validation=UTF8Type, default_validation=BytesType, column "state"=UTF8Type, indexed, column "birthdate"=LongType
	// keyspace Twissandra is up to date: no changes
}

// Versioned migrations run once each, in order, and are recorded.
func ExampleMigrator() {
	ctx := context.Background()
	srv, err := server.Start(ctx, server.Config{Addr: "127.0.0.1:0"})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	sys, err := migrate.Connect(ctx, pool.Config{Servers: []string{srv.Addr()}})
	if err != nil {
		log.Fatal(err)
	}
	defer sys.Close(ctx)
	if err := sys.CreateKeyspace(ctx, "App", migrate.Simple(1)); err != nil {
		log.Fatal(err)
	}

	m, err := migrate.NewMigrator(sys, migrate.MigratorConfig{Keyspace: "App"},
		migrate.Migration{ID: "001_users", Description: "create Users", Source: "v1",
			Up: func(ctx context.Context, sys *migrate.SystemManager) error {
				return sys.CreateColumnFamily(ctx, "App", "Users", migrate.ColumnFamilyDef{Comparator: "UTF8Type"})
			}},
		migrate.Migration{ID: "002_state_index", Description: "index Users.state", Source: "v1",
			Up: func(ctx context.Context, sys *migrate.SystemManager) error {
				return sys.CreateIndex(ctx, "App", "Users", "state", "UTF8Type", migrate.IndexSpec{})
			}},
	)
	if err != nil {
		log.Fatal(err)
	}
	applied, err := m.Up(ctx)
	fmt.Println(applied, err)
	applied, err = m.Up(ctx)
	fmt.Println(applied, err)
	status, err := m.Status(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range status {
		fmt.Println(s.ID, s.State)
	}
	// Output:
	// [001_users 002_state_index] <nil>
	// [] <nil>
	// 001_users applied
	// 002_state_index applied
}
