package cql_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/query"
)

// Open a session, write, read one row, read many.
func Example() {
	ctx := context.Background()
	db, err := cql.Open(ctx, cql.Config{Hosts: []string{"127.0.0.1:9042"}, Keyspace: "twissandra"})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close(ctx)

	if err := db.Exec(ctx, "INSERT INTO users (username, name, state) VALUES (?, ?, ?)", "ann", "Ann Lee", "TX"); err != nil {
		log.Fatal(err)
	}
	row, err := db.Get(ctx, "SELECT name FROM users WHERE username = ?", "ann", cql.Consistency(cassa.One))
	if errors.Is(err, cassa.ErrNotFound) {
		log.Fatal("no such user")
	} else if err != nil {
		log.Fatal(err)
	}
	name, _ := cql.Col[string](row, "name")
	fmt.Println(name)

	for row, err := range db.Query(ctx, "SELECT username, name FROM users") {
		if err != nil {
			log.Fatal(err)
		}
		var username, name string
		if err := row.Scan(&username, &name); err != nil {
			log.Fatal(err)
		}
		fmt.Println(username, name)
	}
}

// Compile a query.Select to a CQL statement. Nothing is sent.
func ExampleCompile() {
	timeline := &cql.Table{
		Name:         "timeline",
		PartitionKey: []string{"user"},
		Clustering:   []cql.ClusteringColumn{{Name: "posted", Descending: true}},
		Columns: []cql.TableColumn{
			{Name: "user", Type: "text"}, {Name: "posted", Type: "timeuuid"}, {Name: "body", Type: "text"},
		},
	}
	st, err := cql.Compile(timeline, query.Where("user").Eq("alice").Limit(20))
	fmt.Println(st.CQL, st.Args, err)

	_, err = cql.Compile(timeline, query.Where("body").Eq("hello"))
	fmt.Println(err)
	// Output:
	// SELECT user, posted, body FROM timeline WHERE user = ? LIMIT ? [alice 20] <nil>
	// cassa: invalid request (compile SELECT FROM timeline): Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING
}

// A web handler pages through a timeline with opaque tokens.
func ExampleRows_PageToken() {
	var db *cql.Session // opened with a Config.PageTokenKey shared by every replica of the service
	http.HandleFunc("/timeline", func(w http.ResponseWriter, r *http.Request) {
		rows := db.Rows(r.Context(), "SELECT posted, body FROM timeline WHERE user = ?", r.FormValue("user"),
			cql.PageSize(20), cql.PageToken(r.FormValue("page")))
		for rows.Next() {
			row := rows.Row()
			body, _ := cql.Col[string](row, "body")
			fmt.Fprintln(w, body)
		}
		if err := rows.Close(); errors.Is(err, cql.ErrBadPageToken) {
			http.Error(w, "bad page token", http.StatusBadRequest)
			return
		} else if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if next := rows.PageToken(); next != "" {
			fmt.Fprintf(w, "next: /timeline?user=%s&page=%s\n", r.FormValue("user"), next)
		}
	})
}

// Queue writes; the batch groups them by partition and sends them in
// batches Cassandra takes without warnings.
func ExampleBatch() {
	ctx := context.Background()
	var db *cql.Session
	b := db.Batch(cql.Unlogged(), cql.QueueSize(500))
	for _, follower := range []string{"bob", "cat", "dan"} {
		if err := b.Queue(ctx, "INSERT INTO timeline (user, posted, body) VALUES (?, now(), ?)", follower, "hello"); err != nil {
			log.Fatal(err)
		}
	}
	if err := b.Send(ctx); err != nil {
		var be *cql.BatchError
		if errors.As(err, &be) {
			log.Printf("%d statements kept for the next Send", len(be.Unsent))
		}
		log.Fatal(err)
	}
}

// Insert a row only if it does not exist; when it does, read what is there.
func ExampleSession_ExecCAS() {
	ctx := context.Background()
	var db *cql.Session
	applied, current, err := db.ExecCAS(ctx, "INSERT INTO users (username, name) VALUES (?, ?) IF NOT EXISTS", "ann", "Ann Lee")
	if err != nil {
		log.Fatal(err)
	}
	if !applied {
		name, _ := cql.Col[string](current, "name")
		fmt.Println("taken by", name)
	}
}
