package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/cql"
)

// cqlTestHosts is the one place that decides where the CQL CLI tests run:
// CASSA_TEST_CQL_HOSTS when set, else a fresh embedded server.
func cqlTestHosts(t *testing.T) string {
	t.Helper()
	if hosts := cassatest.CQLHostsFromEnv(); hosts != nil {
		return strings.Join(hosts, ",")
	}
	return cassatest.Start(t).CQLAddr()
}

const cqlCLISchema = `keyspace: {ks}
strategy: SimpleStrategy
strategy_options: {replication_factor: 1}
owns_keyspace: true
types:
  - name: address
    fields: [{name: street, type: text}, {name: city, type: text}]
tables:
  - name: users
    partition_key: [id]
    columns:
      - {name: id, type: uuid}
      - {name: email, type: text, index: true}
      - {name: home, type: frozen<address>}
      - {name: age, type: int}
    options: {comment: registered users}
  - name: timeline
    partition_key: [user]
    clustering: [{name: posted, order: desc}]
    columns:
      - {name: user, type: text}
      - {name: posted, type: timeuuid}
      - {name: body, type: text}
`

// cqlEnv is a CQL server, a fresh keyspace name, a schema file and a
// migrations directory for the CLI tests.
type cqlEnv struct {
	hosts, ks, schema, dir string
}

func newCQLEnv(t *testing.T) *cqlEnv {
	t.Helper()
	var r [4]byte
	_, _ = rand.Read(r[:])
	e := &cqlEnv{hosts: cqlTestHosts(t), ks: "cli_" + hex.EncodeToString(r[:]),
		schema: filepath.Join(t.TempDir(), "schema.yaml"), dir: t.TempDir()}
	e.write(t, cqlCLISchema)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		db, err := cql.Open(ctx, cql.Config{Hosts: strings.Split(e.hosts, ",")})
		if err != nil {
			return
		}
		defer db.Close(ctx)
		_ = db.Exec(ctx, "DROP KEYSPACE IF EXISTS "+e.ks)
	})
	return e
}

func (e *cqlEnv) write(t *testing.T, text string) {
	t.Helper()
	if err := os.WriteFile(e.schema, []byte(strings.ReplaceAll(text, "{ks}", e.ks)), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (e *cqlEnv) writeMigration(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(e.dir, name), []byte(strings.ReplaceAll(text, "{ks}", e.ks)), 0o600); err != nil {
		t.Fatal(err)
	}
}

// migrate runs `cassa migrate <args> --servers hosts --protocol cql`
// in-process.
func (e *cqlEnv) migrate(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	full := append([]string{"migrate"}, args...)
	full = append(full, "--servers", e.hosts, "--protocol", "cql")
	err := run(ctx, full, &stdout, &stderr)
	return exitCode(err, &stderr), stdout.String(), stderr.String()
}

func TestMigrateCQLPlanApply(t *testing.T) {
	e := newCQLEnv(t)
	code, out, errOut := e.migrate(t, "plan", "--schema", e.schema)
	if code != 1 || !strings.Contains(out, "create keyspace "+e.ks) || !strings.Contains(out, "create table "+e.ks+".timeline") ||
		!strings.Contains(out, "CREATE TABLE "+e.ks+".timeline (user text, posted timeuuid, body text, PRIMARY KEY ((user), posted)) WITH CLUSTERING ORDER BY (posted DESC)") {
		t.Fatalf("plan: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = e.migrate(t, "plan", "--schema", e.schema, "--json")
	var p struct {
		Keyspace string `json:"keyspace"`
		Protocol string `json:"protocol"`
		Steps    []struct {
			Kind string   `json:"kind"`
			CQL  []string `json:"cql"`
		} `json:"steps"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil || code != 1 || p.Keyspace != e.ks || p.Protocol != "cql" ||
		len(p.Steps) != 5 || p.Steps[1].Kind != "create-type" || len(p.Steps[1].CQL) != 1 {
		t.Fatalf("plan --json: %d %v\n%s", code, err, out)
	}
	code, out, errOut = e.migrate(t, "apply", "--schema", e.schema)
	if code != 0 || !strings.Contains(out, "applied 5/5: create index") || !strings.Contains(out, "done: 5 step(s) applied") {
		t.Fatalf("apply: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = e.migrate(t, "plan", "--schema", e.schema)
	if code != 0 || out != "keyspace "+e.ks+" is up to date: no changes\n" {
		t.Fatalf("plan after apply: %d %q", code, out)
	}

	// Dropping a column needs --allow-destructive.
	e.write(t, strings.Replace(cqlCLISchema, "      - {name: age, type: int}\n", "", 1))
	code, out, errOut = e.migrate(t, "apply", "--schema", e.schema)
	if code != 2 || !strings.Contains(errOut, `drop column `+e.ks+`.users column "age"`) || !strings.Contains(errOut, "--allow-destructive") {
		t.Fatalf("destructive apply: %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = e.migrate(t, "apply", "--schema", e.schema, "--allow-destructive", "--json")
	var res struct {
		Applied int    `json:"applied"`
		Error   string `json:"error"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 || res.Applied != 1 || res.Error != "" {
		t.Fatalf("apply --allow-destructive: %d %v\n%s%s", code, err, out, errOut)
	}

	// A change Cassandra refuses stops apply before anything is sent.
	e.write(t, strings.Replace(cqlCLISchema, "{name: body, type: text}", "{name: body, type: blob}", 1))
	code, out, errOut = e.migrate(t, "apply", "--schema", e.schema, "--allow-destructive")
	if code != 2 || !strings.Contains(out, "REFUSED") || !strings.Contains(out, "Altering of types is not allowed") ||
		!strings.Contains(errOut, "changes Cassandra refuses") {
		t.Fatalf("refused apply: %d\n%s%s", code, out, errOut)
	}

	// A Thrift schema over CQL is an error that says what to do.
	e.write(t, "keyspace: {ks}\ntables:\n  - {name: Users, comparator: UTF8Type}\n")
	code, _, errOut = e.migrate(t, "plan", "--schema", e.schema)
	if code != 2 || !strings.Contains(errOut, "Users is a Thrift column family") || !strings.Contains(errOut, "--protocol thrift") {
		t.Fatalf("thrift schema over CQL: %d\n%s", code, errOut)
	}
}

func TestMigrateCQLDir(t *testing.T) {
	e := newCQLEnv(t)
	e.writeMigration(t, "001_seed.cql", "-- seed the users\nINSERT INTO users (id, email, age) VALUES (uuid(), 'ann@example.com', 30);\n"+
		"INSERT INTO users (id, email, age) VALUES (uuid(), 'bob@example.com', 40);\n")
	e.writeMigration(t, "002_events.cql", "// an events table and a row\nCREATE TABLE events (id int PRIMARY KEY, what text);\n"+
		"/* qualified names work too */ INSERT INTO {ks}.events (id, what) VALUES (1, 'launch; with a semicolon');\n")
	code, out, errOut := e.migrate(t, "plan", "--schema", e.schema, "--dir", e.dir)
	if code != 1 || !strings.Contains(out, "create table "+e.ks+".users") ||
		!strings.Contains(out, "migrations in "+e.dir+" (ledger "+e.ks+".cassa_cql_migrations): 2 of 2 not applied") ||
		!strings.Contains(out, "pending  001_seed  seed the users") {
		t.Fatalf("plan: %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = e.migrate(t, "apply", "--schema", e.schema, "--dir", e.dir)
	if code != 0 || !strings.Contains(out, "done: 5 step(s) applied") || !strings.Contains(out, "applied migration 001_seed") ||
		!strings.Contains(out, "done: 2 migration(s) applied from "+e.dir) {
		t.Fatalf("apply: %d\n%s%s", code, out, errOut)
	}
	// The events table a migration made is not the schema's; the plan
	// owns the keyspace, so it would drop it: the migration's table is
	// declared in the schema to keep it.
	e.write(t, cqlCLISchema+"  - name: events\n    partition_key: [id]\n    columns: [{name: id, type: int}, {name: what, type: text}]\n")
	code, out, errOut = e.migrate(t, "plan", "--schema", e.schema, "--dir", e.dir)
	if code != 0 || !strings.Contains(out, "up to date") || !strings.Contains(out, "0 of 2 not applied") {
		t.Fatalf("plan after apply: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = e.migrate(t, "status", "--schema", e.schema, "--dir", e.dir, "--json")
	var st struct {
		Keyspace   string `json:"keyspace"`
		Migrations []struct {
			ID    string `json:"id"`
			State string `json:"state"`
		} `json:"migrations"`
		Ledger []struct {
			ID, Outcome, Runner string
		} `json:"ledger"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != 0 || len(st.Migrations) != 2 || st.Migrations[1].State != "applied" ||
		len(st.Ledger) != 2 || st.Ledger[0].Outcome != "applied" || st.Ledger[0].Runner == "" {
		t.Fatalf("status --json: %d %v\n%s", code, err, out)
	}
	db, err := cql.Open(context.Background(), cql.Config{Hosts: strings.Split(e.hosts, ","), Keyspace: e.ks})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	row, err := db.Get(context.Background(), "SELECT what FROM events WHERE id = 1")
	if err != nil {
		t.Fatal(err)
	}
	if what, _ := cql.Col[string](row, "what"); what != "launch; with a semicolon" {
		t.Fatalf("events row: %q", what)
	}

	// An edited applied migration stops apply; status shows it.
	e.writeMigration(t, "001_seed.cql", "-- seed the users\nINSERT INTO users (id, email) VALUES (uuid(), 'eve@example.com');\n")
	e.writeMigration(t, "003_more.cql", "INSERT INTO events (id, what) VALUES (2, 'more');")
	code, out, errOut = e.migrate(t, "apply", "--schema", e.schema, "--dir", e.dir)
	if code != 2 || !strings.Contains(errOut, `migration "001_seed" was changed after it was applied`) || strings.Contains(out, "applied migration 003_more") {
		t.Fatalf("apply with an edited migration: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = e.migrate(t, "status", "--keyspace", e.ks, "--dir", e.dir)
	if code != 1 || !strings.Contains(out, "changed  001_seed") || !strings.Contains(out, "pending  003_more") ||
		!strings.Contains(out, "versioned migrations recorded in "+e.ks+".cassa_cql_migrations:") {
		t.Fatalf("status: %d\n%s", code, out)
	}
}

func TestMigrateProtocolFlags(t *testing.T) {
	for _, c := range []struct {
		flag    string
		servers []string
		want    string
		err     string
	}{
		{"", []string{"10.0.0.4:9042", "10.0.0.5:9042"}, "cql", ""},
		{"", []string{"10.0.0.4:9160"}, "thrift", ""},
		{"", []string{"10.0.0.4"}, "thrift", ""},
		{"", []string{"10.0.0.4:19042"}, "thrift", ""},
		{"", nil, "thrift", ""},
		{"CQL", []string{"10.0.0.4:9160"}, "cql", ""},
		{"thrift", []string{"10.0.0.4:9042"}, "thrift", ""},
		{"", []string{"a:9042", "b:9160"}, "", "mixes port 9042"},
		{"grpc", nil, "", `--protocol "grpc"`},
	} {
		got, err := pickProtocol(c.flag, c.servers)
		if got != c.want || (c.err == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), c.err) {
			t.Errorf("pickProtocol(%q, %v) = %q, %v", c.flag, c.servers, got, err)
		}
	}
	e := newMigrateEnv(t) // Thrift
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"plan", "--dir", t.TempDir(), "--keyspace", "K"}, "--dir holds .cql migrations, which need CQL"},
		{[]string{"plan", "--protocol", "grpc", "--schema", e.schema}, `--protocol "grpc": want cql or thrift`},
		{[]string{"status", "--protocol", "cql", "--dir", t.TempDir()}, "--dir needs the keyspace of its ledger"},
	} {
		code, out, errOut := e.migrate(t, c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d\n%s%s", c.args, code, out, errOut)
		}
	}
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "001.cql"), []byte("INSERT INTO t (k) VALUES ('open"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := e.migrate(t, "plan", "--protocol", "cql", "--dir", bad, "--keyspace", "K")
	if code != 2 || !strings.Contains(errOut, "001.cql, line 1: the script ends inside a string") {
		t.Errorf("bad migration file: %d\n%s", code, errOut)
	}
}

// TestMigrateCQLBinary runs the built binary over CQL and checks its exit
// statuses.
func TestMigrateCQLBinary(t *testing.T) {
	bin := cassaBinary(t)
	e := newCQLEnv(t)
	e.writeMigration(t, "001_seed.cql", "INSERT INTO timeline (user, posted, body) VALUES ('ann', now(), 'hi');")
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"plan"}, 1, "1 of 1 not applied"},
		{[]string{"status"}, 1, "pending  001_seed"},
		{[]string{"apply"}, 0, "done: 1 migration(s) applied"},
		{[]string{"plan"}, 0, "up to date"},
		{[]string{"status", "--json"}, 0, `"state": "applied"`},
		{[]string{"plan", "--protocol", "nope"}, 2, "want cql or thrift"},
	} {
		args := append([]string{"migrate", tt.args[0], "--servers", e.hosts, "--protocol", "cql", "--schema", e.schema, "--dir", e.dir}, tt.args[1:]...)
		cmd := exec.Command(bin, args...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tt.code || !strings.Contains(out.String(), tt.want) {
			t.Errorf("cassa %v: exit %d, want %d; output lacks %q:\n%s", tt.args, code, tt.code, tt.want, out.String())
		}
	}
}
