package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/thrift/pool"
)

const cliSchema = `keyspace: App
strategy: SimpleStrategy
strategy_options: {replication_factor: 1}
owns_keyspace: true
tables:
  - name: Users
    comparator: UTF8Type
    key_validation: UTF8Type
    columns:
      - {name: email, validator: UTF8Type, index: true}
      - {name: age, validator: LongType}
`

// migrateEnv is an embedded server and a schema file for the CLI tests.
type migrateEnv struct {
	addr   string
	schema string
}

func newMigrateEnv(t *testing.T) *migrateEnv {
	t.Helper()
	e := &migrateEnv{addr: cassatest.Start(t).Addr(), schema: filepath.Join(t.TempDir(), "schema.yaml")}
	e.write(t, cliSchema)
	return e
}

func (e *migrateEnv) write(t *testing.T, text string) {
	t.Helper()
	if err := os.WriteFile(e.schema, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// migrate runs `cassa migrate <args> --servers addr` in-process and returns
// its exit status and output.
func (e *migrateEnv) migrate(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	full := append([]string{"migrate"}, args...)
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		full = append(full, "--servers", e.addr)
	}
	err := run(ctx, full, &stdout, &stderr)
	return exitCode(err, &stderr), stdout.String(), stderr.String()
}

// exitCode is the status main would exit with, writing what main would
// print to stderr.
func exitCode(err error, stderr *bytes.Buffer) int {
	var exit *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		if exit.err != nil {
			stderr.WriteString("cassa: " + exit.err.Error() + "\n")
		}
		return exit.code
	case errors.Is(err, errUsage):
		return 2
	}
	stderr.WriteString("cassa: " + err.Error() + "\n")
	return 1
}

func TestMigrateCLIPlanApply(t *testing.T) {
	e := newMigrateEnv(t)
	code, out, errOut := e.migrate(t, "plan", "--schema", e.schema)
	if code != 1 || !strings.Contains(out, "create keyspace App") || !strings.Contains(out, "add column family App.Users") {
		t.Fatalf("plan: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = e.migrate(t, "plan", "--schema", e.schema, "--json")
	var p struct {
		Keyspace string `json:"keyspace"`
		Steps    []struct {
			Kind string `json:"kind"`
		} `json:"steps"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil || code != 1 || p.Keyspace != "App" || len(p.Steps) != 2 {
		t.Fatalf("plan --json: %d %v\n%s", code, err, out)
	}

	code, out, errOut = e.migrate(t, "apply", "--schema", e.schema)
	if code != 0 || !strings.Contains(out, "applied 2/2: add column family App.Users") || !strings.Contains(out, "done: 2 step(s) applied") {
		t.Fatalf("apply: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = e.migrate(t, "plan", "--schema", e.schema)
	if code != 0 || out != "keyspace App is up to date: no changes\n" {
		t.Fatalf("plan after apply: %d %q", code, out)
	}
	code, out, _ = e.migrate(t, "apply", "--schema", e.schema)
	if code != 0 || strings.Contains(out, "done") {
		t.Fatalf("apply again: %d %q", code, out)
	}

	// A destructive change needs --allow-destructive.
	e.write(t, strings.Replace(cliSchema, "      - {name: age, validator: LongType}\n", "", 1))
	code, out, errOut = e.migrate(t, "apply", "--schema", e.schema)
	if code != 2 || !strings.Contains(errOut, `drop column App.Users column "age"`) || !strings.Contains(errOut, "--allow-destructive") {
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

	// A change Cassandra refuses is an error before anything is sent.
	e.write(t, strings.Replace(cliSchema, "key_validation: UTF8Type", "key_validation: LongType", 1))
	code, out, errOut = e.migrate(t, "apply", "--schema", e.schema, "--allow-destructive")
	if code != 2 || !strings.Contains(out, "REFUSED") || !strings.Contains(errOut, "changes Cassandra refuses") {
		t.Fatalf("refused apply: %d\n%s%s", code, out, errOut)
	}

	// --keyspace overrides the file's keyspace.
	e.write(t, cliSchema)
	code, out, _ = e.migrate(t, "plan", "--schema", e.schema, "--keyspace", "Other")
	if code != 1 || !strings.Contains(out, "create keyspace Other") {
		t.Fatalf("plan --keyspace: %d\n%s", code, out)
	}
}

// A step that may leave unreadable data is printed with its warning, and
// --json carries the warning's class.
func TestMigrateCLIWarnings(t *testing.T) {
	e := newMigrateEnv(t)
	if code, out, errOut := e.migrate(t, "apply", "--schema", e.schema); code != 0 {
		t.Fatalf("apply: %d\n%s%s", code, out, errOut)
	}
	e.write(t, strings.Replace(cliSchema, "{name: age, validator: LongType}", "{name: age, validator: UTF8Type}", 1))
	code, out, errOut := e.migrate(t, "plan", "--schema", e.schema)
	if code != 1 || !strings.Contains(out, "1 with warnings") ||
		!strings.Contains(out, `warning (unreadable-data): values of column "age" of App.Users were stored as LongType and may not be valid UTF8Type`) {
		t.Fatalf("plan: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = e.migrate(t, "plan", "--schema", e.schema, "--json")
	var p struct {
		Steps []struct {
			Kind     string `json:"kind"`
			Warnings []struct {
				Class   string `json:"class"`
				Message string `json:"message"`
			} `json:"warnings"`
		} `json:"steps"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil || code != 1 || len(p.Steps) != 1 ||
		len(p.Steps[0].Warnings) != 1 || p.Steps[0].Warnings[0].Class != "unreadable-data" {
		t.Fatalf("plan --json: %d %v\n%s", code, err, out)
	}
	// Warnings do not stop apply; it prints them before it starts.
	code, out, errOut = e.migrate(t, "apply", "--schema", e.schema)
	if code != 0 || !strings.Contains(out, "warning (unreadable-data)") || !strings.Contains(out, "done: 1 step(s) applied") {
		t.Fatalf("apply: %d\n%s%s", code, out, errOut)
	}
}

// A negative --timeout is a bad flag (exit 2), refused before connecting.
func TestMigrateNegativeTimeout(t *testing.T) {
	e := newMigrateEnv(t)
	for _, sub := range []string{"plan", "apply", "status"} {
		code, out, errOut := e.migrate(t, sub, "--schema", e.schema, "--timeout", "-1s")
		if code != 2 || !strings.Contains(errOut, "--timeout") || !strings.Contains(errOut, "negative") {
			t.Errorf("%s --timeout -1s: exit %d\n%s%s", sub, code, out, errOut)
		}
	}
	// 0 means no limit.
	if code, out, errOut := e.migrate(t, "plan", "--schema", e.schema, "--timeout", "0"); code != 1 {
		t.Errorf("plan --timeout 0: exit %d\n%s%s", code, out, errOut)
	}
}

func TestMigrateCLIStatus(t *testing.T) {
	e := newMigrateEnv(t)
	if code, _, errOut := e.migrate(t, "apply", "--schema", e.schema); code != 0 {
		t.Fatalf("apply: %s", errOut)
	}
	code, out, errOut := e.migrate(t, "status", "--schema", e.schema)
	if code != 0 || !strings.Contains(out, "up to date") || !strings.Contains(out, "no versioned migrations recorded in App.cassa_migrations") {
		t.Fatalf("status: %d\n%s%s", code, out, errOut)
	}

	// Record two versioned migrations, one failed.
	ctx := context.Background()
	sys, err := migrate.Connect(ctx, pool.Config{Servers: []string{e.addr}})
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Close(ctx)
	m, err := migrate.NewMigrator(sys, migrate.MigratorConfig{Keyspace: "App", Runner: "ci"},
		migrate.Migration{ID: "001_seed", Description: "seed data", Up: func(context.Context, *migrate.SystemManager) error { return nil }},
		migrate.Migration{ID: "002_broken", Description: "broken", Up: func(context.Context, *migrate.SystemManager) error { return errors.New("no luck") }},
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Up(ctx); err == nil {
		t.Fatal("Up succeeded")
	}
	code, out, errOut = e.migrate(t, "status", "--keyspace", "App")
	if code != 1 || !strings.Contains(out, "applied") || !strings.Contains(out, "001_seed  seed data") ||
		!strings.Contains(out, "failed") || !strings.Contains(out, ": no luck") {
		t.Fatalf("status with ledger: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = e.migrate(t, "status", "--schema", e.schema, "--json")
	var st struct {
		Keyspace string           `json:"keyspace"`
		Plan     *json.RawMessage `json:"plan"`
		Ledger   []migrate.Record `json:"ledger"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != 1 || st.Plan == nil || len(st.Ledger) != 2 || st.Ledger[0].ID != "001_seed" {
		t.Fatalf("status --json: %d %v\n%s", code, err, out)
	}

	// Pending schema changes make status exit 1 too; the ledger CFs are
	// never part of the plan.
	e.write(t, cliSchema+"  - name: More\n")
	code, out, _ = e.migrate(t, "status", "--schema", e.schema)
	if code != 1 || !strings.Contains(out, "add column family App.More") || strings.Contains(out, "cassa_migrations_lock") {
		t.Fatalf("status pending: %d\n%s", code, out)
	}
}

func TestMigrateCLIErrors(t *testing.T) {
	e := newMigrateEnv(t)
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"keyspace": "K", "tables": [{"name": "a", "comparator": "Nope"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no subcommand", nil, 2, "missing subcommand"},
		{"unknown subcommand", []string{"frobnicate"}, 2, "unknown subcommand"},
		{"help", []string{"-h"}, 2, "usage: cassa migrate"},
		{"no schema", []string{"plan"}, 2, "--schema (or, over CQL, --dir) is required"},
		{"status needs something", []string{"status"}, 2, "--schema, --dir or --keyspace"},
		{"stray argument", []string{"plan", "--schema", e.schema, "extra"}, 2, "unexpected argument"},
		{"allow on plan", []string{"plan", "--schema", e.schema, "--allow-destructive"}, 2, "only applies to apply"},
		{"bad flag", []string{"plan", "--bogus"}, 2, "flag provided but not defined"},
		{"missing file", []string{"plan", "--schema", filepath.Join(t.TempDir(), "none.yaml")}, 2, "no such file"},
		{"bad schema", []string{"plan", "--schema", bad}, 2, "Unable to find abstract-type class"},
		{"status unknown keyspace", []string{"status", "--keyspace", "Nope"}, 2, "keyspace Nope not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := e.migrate(t, tt.args...)
			if tt.name == "help" {
				code = 2 // main exits 2 for flag.ErrHelp
			}
			if code != tt.code || !strings.Contains(out+errOut, tt.want) {
				t.Fatalf("exit %d, want %d; output lacks %q:\n%s%s", code, tt.code, tt.want, out, errOut)
			}
		})
	}
	// An unreachable server is an error (exit 2), not "pending".
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"migrate", "plan", "--schema", e.schema, "--servers", "127.0.0.1:1", "--timeout", "3s"}, &stdout, &stderr)
	if code := exitCode(err, &stderr); code != 2 {
		t.Fatalf("unreachable: exit %d: %v", code, err)
	}
}

// TestMigrateBinary builds the cassa binary and checks its exit statuses.
func TestMigrateBinary(t *testing.T) {
	bin := cassaBinary(t)
	e := newMigrateEnv(t)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"plan"}, 1, "create keyspace App"},
		{[]string{"apply"}, 0, "done: 2 step(s) applied"},
		{[]string{"plan"}, 0, "up to date"},
		{[]string{"status"}, 0, "no versioned migrations"},
		{[]string{"plan", "--schema", "/nonexistent.yaml"}, 2, "no such file"},
		{[]string{"plan", "--bogus"}, 2, "flag provided but not defined"},
	}
	for _, tt := range tests {
		args := []string{"migrate", tt.args[0], "--servers", e.addr, "--schema", e.schema}
		args = append(args, tt.args[1:]...)
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
