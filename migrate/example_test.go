package migrate_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"testing/fstest"

	"github.com/cassa-go/cassa/cql"
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

// Plan a CQL schema against an embedded server's native protocol, apply
// it, and plan again.
func ExamplePlanCQL() {
	ctx := context.Background()
	srv, err := server.Start(ctx, server.Config{Addr: "127.0.0.1:0", CQLAddr: "127.0.0.1:0"})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	db, err := cql.Open(ctx, cql.Config{Hosts: []string{srv.CQLAddr()}})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close(ctx)

	spec, err := migrate.LoadSchema(strings.NewReader(`
keyspace: twissandra
tables:
  - name: timeline
    partition_key: [user]
    clustering: [{name: posted, order: desc}]
    columns:
      - {name: user, type: text}
      - {name: posted, type: timeuuid}
      - {name: body, type: text}
      - {name: tags, type: set<text>, index: true}
    options: {comment: posts by user}
`), "yaml")
	if err != nil {
		log.Fatal(err)
	}
	plan, err := migrate.PlanCQL(ctx, db, spec)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(plan)
	if err := plan.Apply(ctx); err != nil {
		log.Fatal(err)
	}
	plan, err = migrate.PlanCQL(ctx, db, spec)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(plan)
	// Output:
	// plan for keyspace twissandra: 3 step(s)
	//   1. create keyspace twissandra: strategy=SimpleStrategy, strategy_options={replication_factor:1}, durable_writes=true
	//      CREATE KEYSPACE twissandra WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'} AND durable_writes = true
	//   2. create table twissandra.timeline: primary_key=((user), posted), column "user"=text, column "posted"=timeuuid, column "body"=text, column "tags"=set<text>, clustering_order=posted DESC, comment="posts by user"
	//      CREATE TABLE twissandra.timeline (user text, posted timeuuid, body text, tags set<text>, PRIMARY KEY ((user), posted)) WITH CLUSTERING ORDER BY (posted DESC) AND comment = 'posts by user'
	//   3. create index twissandra.timeline column "tags": target=values(tags)
	//      CREATE INDEX ON twissandra.timeline (tags)
	// keyspace twissandra is up to date: no changes
}

// Versioned CQL migrations from .cql files run once each, in name order.
func ExampleCQLMigrator() {
	ctx := context.Background()
	srv, err := server.Start(ctx, server.Config{Addr: "127.0.0.1:0", CQLAddr: "127.0.0.1:0"})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	admin, err := cql.Open(ctx, cql.Config{Hosts: []string{srv.CQLAddr()}})
	if err != nil {
		log.Fatal(err)
	}
	defer admin.Close(ctx)
	if err := admin.Exec(ctx, "CREATE KEYSPACE app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"); err != nil {
		log.Fatal(err)
	}
	db, err := cql.Open(ctx, cql.Config{Hosts: []string{srv.CQLAddr()}, Keyspace: "app"})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close(ctx)

	migrations, err := migrate.LoadCQLMigrations(fstest.MapFS{ // os.DirFS("migrations") for a directory
		"001_users.cql": {Data: []byte("-- the users table\nCREATE TABLE users (id uuid PRIMARY KEY, name text);\n")},
		"002_seed.cql":  {Data: []byte("-- a first user\nINSERT INTO users (id, name) VALUES (uuid(), 'ann');\n")},
	})
	if err != nil {
		log.Fatal(err)
	}
	m, err := migrate.NewCQLMigrator(db, migrate.MigratorConfig{Keyspace: "app"}, migrations...)
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
		fmt.Println(s.ID, s.State, s.Description)
	}
	// Output:
	// [001_users 002_seed] <nil>
	// [] <nil>
	// 001_users applied the users table
	// 002_seed applied a first user
}
