package migrate_test

import (
	"context"
	"fmt"
	"log"

	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thrift/pool"
)

// Account is stored in the Thrift column family Accounts, and moves into
// the CQL table accounts.
type Account struct {
	ID      string `cass:",key"`
	Owner   string `cass:"owner,type=UTF8"`
	Balance int64  `cass:"balance,type=Long"`
}

func (Account) CFName() string { return "Accounts" }

// Move a Thrift column family into the CQL table its model maps to.
func ExampleMoveThriftToCQL() {
	ctx := context.Background()
	srv, err := server.Start(ctx, server.Config{Addr: "127.0.0.1:0", CQLAddr: "127.0.0.1:0"})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	sys, err := migrate.Connect(ctx, pool.Config{Servers: []string{srv.Addr()}})
	if err != nil {
		log.Fatal(err)
	}
	defer sys.Close(ctx)
	plan, err := migrate.PlanModels(ctx, sys, "bank", orm.Model[Account]())
	if err == nil {
		err = plan.Apply(ctx)
	}
	if err != nil {
		log.Fatal(err)
	}
	p, err := pool.Open(ctx, pool.Config{Servers: []string{srv.Addr()}, Keyspace: "bank"})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close(ctx)
	accounts := orm.Map[Account, string](p, "Accounts")
	for i := range 3 {
		if err := accounts.Insert(ctx, &Account{ID: fmt.Sprint("acct", i), Owner: "ann", Balance: int64(100 * i)}); err != nil {
			log.Fatal(err)
		}
	}

	db, err := cql.Open(ctx, cql.Config{Hosts: []string{srv.CQLAddr()}, Keyspace: "bank"})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close(ctx)
	target := orm.Model[Account]()
	target.Table.Name = "accounts" // CQL sees the column family itself as the table Accounts
	if plan, err = migrate.PlanCQLModels(ctx, db, "bank", target); err == nil {
		err = plan.Apply(ctx)
	}
	if err != nil {
		log.Fatal(err)
	}
	res, err := migrate.MoveThriftToCQL(ctx, p, db, migrate.MoveSpec{ColumnFamily: "Accounts", Table: "accounts"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("rows moved:", res.Rows)
	a, err := orm.Map[Account, string](db, "accounts").Get(ctx, "acct2")
	fmt.Println(a, err)
	// Output:
	// rows moved: 3
	// {acct2 ann 200} <nil>
}
