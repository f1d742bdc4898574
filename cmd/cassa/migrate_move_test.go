package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
)

// `cassa migrate move` as a built binary: a copy with progress on stderr,
// a second run that resumes everything, a count mismatch (exit 2), the
// in-place switch planned (exit 1) and applied, and usage errors.
func TestMigrateMoveBinary(t *testing.T) {
	cassaBinary(t)
	srv := cassatest.Start(t, cassatest.WithKeyspace())
	ks := srv.Keyspace()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := pool.Open(ctx, pool.Config{Servers: []string{srv.Addr()}, Keyspace: ks})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	sys := migrate.NewSystemManager(p)
	if err := sys.CreateColumnFamily(ctx, ks, "Users", migrate.ColumnFamilyDef{Comparator: "UTF8Type", KeyValidation: "UTF8Type",
		Columns: []migrate.ColumnSpec{{Name: "name", Validator: "UTF8Type"}, {Name: "age", Validator: "LongType"}}}); err != nil {
		t.Fatal(err)
	}
	users, err := columnfamily.Open(ctx, p, "Users")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		if _, err := users.Insert(ctx, fmt.Sprintf("u%03d", i), columnfamily.Cols{"name": fmt.Sprint("user ", i), "age": int64(i)}); err != nil {
			t.Fatal(err)
		}
	}
	db, err := cql.Open(ctx, cql.Config{Hosts: []string{srv.CQLAddr()}, Keyspace: ks})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	if err := db.Exec(ctx, "CREATE TABLE users (key text PRIMARY KEY, name text, age bigint)"); err != nil {
		t.Fatal(err)
	}
	base := []string{"migrate", "move", "--servers", srv.Addr(), "--cql-servers", srv.CQLAddr(), "--keyspace", ks}

	code, out := runBinary(t, "", append(base, "--from", "Users", "--to", "users", "--ranges", "8")...)
	if code != 0 || !strings.Contains(out, "200 rows (200 copied now, 400 cells") || !strings.Contains(out, "rows/s") || !strings.Contains(out, "ranges 8/8") {
		t.Fatalf("move: exit %d\n%s", code, out)
	}
	code, out = runBinary(t, "", append(base, "--from", "Users", "--to", "users", "--ranges", "8", "--json")...)
	var res migrate.MoveResult
	if code != 0 || json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &res) != nil || res.Rows != 200 || res.Resumed != 8 || res.Copied != 0 {
		t.Fatalf("again: exit %d %+v\n%s", code, res, out)
	}
	// A row the column family does not have: the counts differ, exit 2.
	if err := db.Exec(ctx, "INSERT INTO users (key, name) VALUES ('extra', 'x')"); err != nil {
		t.Fatal(err)
	}
	code, out = runBinary(t, "", append(base, "--from", "Users", "--to", "users", "--ranges", "8")...)
	if code != 2 || !strings.Contains(out, "the column family held 200 rows, the table holds 201") || !strings.Contains(out, "token range (") {
		t.Fatalf("mismatch: exit %d\n%s", code, out)
	}
	if err := db.Exec(ctx, "DELETE FROM users WHERE key = 'extra'"); err != nil {
		t.Fatal(err)
	}
	code, out = runBinary(t, "", append(base, "--from", "Users", "--to", "users", "--ranges", "8", "--restart")...)
	if code != 0 || !strings.Contains(out, "200 rows (200 copied now") {
		t.Fatalf("restart: exit %d\n%s", code, out)
	}

	code, out = runBinary(t, "", append(base, "--from", "Users", "--in-place")...)
	if code != 1 || !strings.Contains(out, "drop compact storage") || !strings.Contains(out, "changes-table") || !strings.Contains(out, "DROP COMPACT STORAGE") {
		t.Fatalf("in-place plan: exit %d\n%s", code, out)
	}
	code, out = runBinary(t, "", append(base, "--from", "Users", "--in-place", "--apply")...)
	if code != 0 || !strings.Contains(out, "done: 1 step(s) applied") {
		t.Fatalf("in-place apply: exit %d\n%s", code, out)
	}
	code, out = runBinary(t, "", append(base, "--from", "Users", "--in-place")...)
	if code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("in-place again: exit %d\n%s", code, out)
	}

	for _, args := range [][]string{
		{"--from", "Users"},
		{"--to", "users"},
		{"--from", "Users", "--to", "users", "--in-place"},
		{"--from", "Users", "--to", "users", "--apply"},
		{"--from", "Users", "--to", "users", "--ranges", "0"},
	} {
		code, out := runBinary(t, "", append(base, args...)...)
		if code != 2 || !strings.Contains(out, "usage: cassa migrate move") {
			t.Errorf("%q: exit %d\n%s", args, code, out)
		}
	}
	if code, out := runBinary(t, "", append(base, "--from", "Nope", "--to", "users")...); code != 2 || !strings.Contains(out, "Nope") {
		t.Errorf("unknown column family: exit %d\n%s", code, out)
	}
}

// The progress printer writes at most a line a second, and the finished
// move's line once, however often the move reports it.
func TestMoveProgressPrinter(t *testing.T) {
	var out strings.Builder
	report := progressPrinter(&out, "Users")
	report(migrate.MoveProgress{RangesDone: 1, Ranges: 4})
	report(migrate.MoveProgress{RangesDone: 2, Ranges: 4}) // within the second: dropped
	report(migrate.MoveProgress{RangesDone: 4, Ranges: 4, Rows: 10})
	report(migrate.MoveProgress{RangesDone: 4, Ranges: 4, Rows: 10})
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "1/4") || !strings.Contains(lines[1], "4/4") {
		t.Errorf("printed:\n%s", out.String())
	}
}
