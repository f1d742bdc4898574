package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/thrift/pool"
)

func init() {
	commands["migrate"] = command{summary: "plan, apply and inspect schema migrations (Thrift or CQL)", run: runMigrate}
}

// Exit statuses of `cassa migrate`.
const (
	migrateOK      = 0 // nothing to do, or done
	migratePending = 1 // plan/status: changes are pending
	migrateFailed  = 2 // an error
)

// The protocols' usual ports, which pick the protocol when --protocol is
// not given.
const (
	cqlPort    = "9042"
	thriftPort = "9160"
)

func migrateUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "usage: cassa migrate plan|apply|status [--schema FILE] [--dir DIR] [flags]")
	fmt.Fprintln(w, "       cassa migrate move --keyspace KS --from CF --to TABLE|--in-place [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "  plan    print the changes that bring the keyspace to the schema file, and the")
	fmt.Fprintln(w, "          versioned migrations of --dir not applied yet")
	fmt.Fprintln(w, "  apply   make them (destructive ones only with --allow-destructive), then run")
	fmt.Fprintln(w, "          the pending migrations of --dir in name order")
	fmt.Fprintln(w, "  status  print the pending changes, the migrations of --dir and the ledger")
	fmt.Fprintln(w, "  move    copy a Thrift column family into a CQL table, or switch it over in place")
	fmt.Fprintln(w, "          (cassa migrate move -h)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "--protocol picks Thrift or CQL; without it, servers on port 9042 mean CQL and any")
	fmt.Fprintln(w, "other port Thrift (9160). --dir holds .cql files (CQL only), each applied once and")
	fmt.Fprintln(w, "recorded with its checksum; an edited applied file stops apply.")
	fmt.Fprintln(w, "Steps that may hurt data are printed with a warning (unreadable-data, sort-order,")
	fmt.Fprintln(w, "data-loss, rewrites-data, repair-needed, changes-table; also in --json); warnings do not stop apply.")
	fmt.Fprintln(w, "Exit status: 0 nothing to do or done, 1 changes pending (plan, status), 2 error.")
	fmt.Fprintln(w, "The schema file format (YAML or JSON) is described in `go doc github.com/cassa-go/cassa/migrate`.")
	if fs != nil {
		fmt.Fprintln(w)
		fs.PrintDefaults()
	}
}

// migrateFlags are the flags of the three subcommands.
type migrateFlags struct {
	servers, protocol, keyspace, schema, dir string
	allow, json                              bool
	timeout                                  time.Duration
}

// runMigrate is `cassa migrate`.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			migrateUsage(stderr, nil)
			return flag.ErrHelp
		}
		fmt.Fprintln(stderr, "cassa migrate: missing subcommand")
		migrateUsage(stderr, nil)
		return errUsage
	}
	sub := args[0]
	if sub == "move" {
		return runMigrateMove(ctx, args[1:], stdout, stderr)
	}
	if sub != "plan" && sub != "apply" && sub != "status" {
		fmt.Fprintf(stderr, "cassa migrate: unknown subcommand %q\n", sub)
		migrateUsage(stderr, nil)
		return errUsage
	}
	fs := flag.NewFlagSet("cassa migrate "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f migrateFlags
	fs.StringVar(&f.servers, "servers", "", "comma-separated `host:port` list (default localhost:9160, or localhost:9042 with --protocol cql)")
	fs.StringVar(&f.protocol, "protocol", "", "`cql` or `thrift` (default: cql for servers on port 9042, else thrift)")
	fs.StringVar(&f.keyspace, "keyspace", "", "keyspace `name`; overrides the schema file's")
	fs.StringVar(&f.schema, "schema", "", "schema `file` (.yaml, .yml or .json)")
	fs.StringVar(&f.dir, "dir", "", "`directory` of .cql migrations, applied in name order (CQL only)")
	fs.BoolVar(&f.allow, "allow-destructive", false, "apply: allow dropping tables, column families, columns, indexes and types")
	fs.BoolVar(&f.json, "json", false, "print JSON instead of text")
	fs.DurationVar(&f.timeout, "timeout", 5*time.Minute, "give up after this `duration` (0: never)")
	fs.Usage = func() { migrateUsage(stderr, fs) }
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	usage := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "cassa migrate %s: "+format+"\n", append([]any{sub}, a...)...)
		fs.Usage()
		return errUsage
	}
	if fs.NArg() > 0 {
		return usage("unexpected argument %q", fs.Arg(0))
	}
	servers := splitServers(f.servers)
	protocol, err := pickProtocol(f.protocol, servers)
	if err != nil {
		return usage("%v", err)
	}
	if len(servers) == 0 {
		servers = []string{"localhost:" + map[string]string{migrate.ProtocolCQL: cqlPort, migrate.ProtocolThrift: thriftPort}[protocol]}
	}
	switch {
	case f.schema == "" && f.dir == "" && sub != "status":
		return usage("--schema (or, over CQL, --dir) is required")
	case f.schema == "" && f.dir == "" && f.keyspace == "":
		return usage("--schema, --dir or --keyspace is required")
	case f.dir != "" && protocol != migrate.ProtocolCQL:
		return usage("--dir holds .cql migrations, which need CQL (--protocol cql, or servers on port %s)", cqlPort)
	case f.dir != "" && f.schema == "" && f.keyspace == "":
		return usage("--dir needs the keyspace of its ledger: give --keyspace or --schema")
	case f.timeout < 0:
		return usage("--timeout %v is negative (0: no limit)", f.timeout)
	case f.allow && sub != "apply":
		return usage("--allow-destructive only applies to apply")
	}

	fail := func(err error) error { return &exitError{code: migrateFailed, err: err} }
	m := &migrateCmd{stdout: stdout, json: f.json, keyspace: f.keyspace, dir: f.dir}
	if f.schema != "" {
		if m.spec, err = readSpec(f.schema, f.keyspace); err != nil {
			return fail(err)
		}
		m.keyspace = m.spec.Name
	}
	if f.dir != "" {
		if m.migrations, err = migrate.LoadCQLMigrations(os.DirFS(f.dir)); err != nil {
			return fail(fmt.Errorf("%s: %w", f.dir, err))
		}
	}
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
		defer cancel()
	}
	if protocol == migrate.ProtocolCQL {
		m.target, err = openCQLTarget(ctx, servers)
	} else {
		m.target, err = openThriftTarget(ctx, servers)
	}
	if err != nil {
		return fail(err)
	}
	defer m.target.close(context.WithoutCancel(ctx))

	var code int
	switch sub {
	case "plan":
		code, err = m.plan(ctx)
	case "apply":
		code, err = m.apply(ctx, f.allow)
	case "status":
		code, err = m.status(ctx)
	}
	if err != nil {
		return fail(err)
	}
	if code != migrateOK {
		return &exitError{code: code}
	}
	return nil
}

// pickProtocol is --protocol, or the protocol the servers' ports imply:
// CQL when they are all on 9042, Thrift otherwise.
func pickProtocol(flagValue string, servers []string) (string, error) {
	switch strings.ToLower(flagValue) {
	case migrate.ProtocolCQL:
		return migrate.ProtocolCQL, nil
	case migrate.ProtocolThrift:
		return migrate.ProtocolThrift, nil
	case "":
	default:
		return "", fmt.Errorf("--protocol %q: want cql or thrift", flagValue)
	}
	cqlPorts := 0
	for _, s := range servers {
		if _, port, err := net.SplitHostPort(s); err == nil && port == cqlPort {
			cqlPorts++
		}
	}
	switch cqlPorts {
	case 0:
		return migrate.ProtocolThrift, nil
	case len(servers):
		return migrate.ProtocolCQL, nil
	}
	return "", fmt.Errorf("--servers mixes port %s (CQL) with others: give --protocol", cqlPort)
}

// readSpec reads a schema file, with keyspace (when set) replacing the
// file's keyspace name.
func readSpec(path, keyspace string) (*migrate.KeyspaceSpec, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	spec, err := migrate.DecodeSchema(f, migrate.FormatOf(path))
	if err == nil {
		if keyspace != "" {
			spec.Name = keyspace
		}
		err = spec.Validate()
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return spec, nil
}

func splitServers(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// migrateTarget is a cluster reached over one protocol.
type migrateTarget interface {
	plan(ctx context.Context, spec *migrate.KeyspaceSpec) (*migrate.Plan, error)
	ledger(ctx context.Context, keyspace string) ([]migrate.Record, error)
	// ledgerTable is the ledger's name in the keyspace.
	ledgerTable() string
	// migrator runs .cql migrations (CQL only), on a session in keyspace
	// when inKeyspace, else on one without a keyspace (to read states).
	migrator(ctx context.Context, keyspace string, migs []migrate.CQLMigration, inKeyspace bool) (*migrate.CQLMigrator, error)
	close(ctx context.Context)
}

type thriftTarget struct{ sys *migrate.SystemManager }

func openThriftTarget(ctx context.Context, servers []string) (*thriftTarget, error) {
	sys, err := migrate.Connect(ctx, pool.Config{Servers: servers, PoolSize: 2})
	if err != nil {
		return nil, err
	}
	return &thriftTarget{sys: sys}, nil
}

func (t *thriftTarget) plan(ctx context.Context, spec *migrate.KeyspaceSpec) (*migrate.Plan, error) {
	return migrate.PlanSchema(ctx, t.sys, spec)
}

func (t *thriftTarget) ledger(ctx context.Context, keyspace string) ([]migrate.Record, error) {
	return migrate.ReadLedger(ctx, t.sys, keyspace)
}

func (t *thriftTarget) ledgerTable() string { return migrate.LedgerColumnFamily }

func (t *thriftTarget) migrator(context.Context, string, []migrate.CQLMigration, bool) (*migrate.CQLMigrator, error) {
	return nil, errors.New(".cql migrations need CQL")
}

func (t *thriftTarget) close(ctx context.Context) { _ = t.sys.Close(ctx) }

// cqlTarget plans and reads the ledger on a session without a keyspace,
// and runs migrations on one in their keyspace (opened once it exists),
// so that their unqualified names resolve there.
type cqlTarget struct {
	hosts []string
	db    *cql.Session
	inKS  *cql.Session
}

func openCQLTarget(ctx context.Context, hosts []string) (*cqlTarget, error) {
	db, err := cql.Open(ctx, cql.Config{Hosts: hosts})
	if err != nil {
		return nil, err
	}
	return &cqlTarget{hosts: hosts, db: db}, nil
}

func (t *cqlTarget) plan(ctx context.Context, spec *migrate.KeyspaceSpec) (*migrate.Plan, error) {
	return migrate.PlanCQL(ctx, t.db, spec)
}

func (t *cqlTarget) ledger(ctx context.Context, keyspace string) ([]migrate.Record, error) {
	return migrate.ReadCQLLedger(ctx, t.db, keyspace)
}

func (t *cqlTarget) ledgerTable() string { return migrate.CQLLedgerTable }

func (t *cqlTarget) migrator(ctx context.Context, keyspace string, migs []migrate.CQLMigration, inKeyspace bool) (*migrate.CQLMigrator, error) {
	cfg := migrate.MigratorConfig{Keyspace: keyspace}
	if !inKeyspace {
		return migrate.NewCQLMigrator(t.db, cfg, migs...)
	}
	if t.inKS == nil {
		db, err := cql.Open(ctx, cql.Config{Hosts: t.hosts, Keyspace: keyspace})
		if err != nil {
			return nil, err
		}
		t.inKS = db
	}
	return migrate.NewCQLMigrator(t.inKS, cfg, migs...)
}

func (t *cqlTarget) close(ctx context.Context) {
	if t.inKS != nil {
		_ = t.inKS.Close(ctx)
	}
	_ = t.db.Close(ctx)
}

// migrateCmd holds what the three subcommands share.
type migrateCmd struct {
	target     migrateTarget
	spec       *migrate.KeyspaceSpec // nil without --schema
	keyspace   string
	dir        string
	migrations []migrate.CQLMigration // --dir's; nil without it
	stdout     io.Writer
	json       bool
}

func (m *migrateCmd) writeJSON(v any) error {
	enc := json.NewEncoder(m.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// migrationStates reads the states of --dir's migrations, on the
// session without a keyspace: the keyspace may not exist yet.
func (m *migrateCmd) migrationStates(ctx context.Context) ([]migrate.MigrationStatus, error) {
	if m.dir == "" {
		return nil, nil
	}
	mg, err := m.target.migrator(ctx, m.keyspace, m.migrations, false)
	if err != nil {
		return nil, err
	}
	return mg.Status(ctx)
}

// printMigrations lists the states of --dir's migrations.
func (m *migrateCmd) printMigrations(states []migrate.MigrationStatus) {
	pending := 0
	for _, s := range states {
		if s.State != migrate.StateApplied && s.State != migrate.StateUnknown {
			pending++
		}
	}
	fmt.Fprintf(m.stdout, "migrations in %s (ledger %s.%s): %d of %d not applied\n", m.dir, m.keyspace, m.target.ledgerTable(), pending, len(m.migrations))
	for _, s := range states {
		fmt.Fprintf(m.stdout, "  %-8s %s", s.State, s.ID)
		if s.Description != "" {
			fmt.Fprintf(m.stdout, "  %s", s.Description)
		}
		fmt.Fprintln(m.stdout)
	}
}

// pendingMigrations reports whether a migration is not applied.
func pendingMigrations(states []migrate.MigrationStatus) bool {
	for _, s := range states {
		if s.State != migrate.StateApplied && s.State != migrate.StateUnknown {
			return true
		}
	}
	return false
}

// planResult is plan's JSON output: the plan's own fields, and the states
// of --dir's migrations.
type planResult struct {
	*migrate.Plan
	Migrations []migrate.MigrationStatus `json:"migrations,omitempty"`
}

func (m *migrateCmd) plan(ctx context.Context) (int, error) {
	var p *migrate.Plan
	if m.spec != nil {
		var err error
		if p, err = m.target.plan(ctx, m.spec); err != nil {
			return 0, err
		}
	}
	states, err := m.migrationStates(ctx)
	if err != nil {
		return 0, err
	}
	if m.json {
		err = m.writeJSON(planResult{Plan: p, Migrations: states})
	} else {
		if p != nil {
			fmt.Fprint(m.stdout, p)
		}
		if m.dir != "" {
			m.printMigrations(states)
		}
	}
	if err != nil || (p.Empty() && !pendingMigrations(states)) {
		return migrateOK, err
	}
	return migratePending, nil
}

// applyResult is apply's JSON output.
type applyResult struct {
	Plan    *migrate.Plan `json:"plan,omitempty"`
	Applied int           `json:"applied"`
	// Migrations are the IDs of the migrations of --dir applied.
	Migrations []string `json:"migrations,omitempty"`
	Error      string   `json:"error,omitempty"`
}

func (m *migrateCmd) apply(ctx context.Context, allow bool) (int, error) {
	var res applyResult
	err := m.applyPlan(ctx, allow, &res)
	if err == nil && m.dir != "" {
		err = m.applyMigrations(ctx, &res)
	}
	if m.json {
		if err != nil {
			res.Error = err.Error()
		}
		if jerr := m.writeJSON(res); jerr != nil && err == nil {
			err = jerr
		}
	}
	if errors.Is(err, migrate.ErrDestructive) {
		err = fmt.Errorf("%w (rerun with --allow-destructive)", err)
	}
	return migrateOK, err
}

func (m *migrateCmd) applyPlan(ctx context.Context, allow bool, res *applyResult) error {
	if m.spec == nil {
		return nil
	}
	p, err := m.target.plan(ctx, m.spec)
	if err != nil {
		return err
	}
	res.Plan = p
	if !m.json {
		fmt.Fprint(m.stdout, p)
	}
	if p.Empty() {
		return nil
	}
	opts := []migrate.ApplyOption{migrate.OnStep(func(i int, s migrate.Step) {
		if !m.json {
			fmt.Fprintf(m.stdout, "applied %d/%d: %s\n", i+1, len(p.Steps), s)
		}
	})}
	if allow {
		opts = append(opts, migrate.AllowDestructive())
	}
	err = p.Apply(ctx, opts...)
	res.Applied = len(p.Steps)
	var se *migrate.StepError
	switch {
	case errors.As(err, &se):
		res.Applied = se.Index
	case err != nil:
		res.Applied = 0
	}
	if err == nil && !m.json {
		fmt.Fprintf(m.stdout, "done: %d step(s) applied\n", res.Applied)
	}
	return err
}

func (m *migrateCmd) applyMigrations(ctx context.Context, res *applyResult) error {
	mg, err := m.target.migrator(ctx, m.keyspace, m.migrations, true)
	if err != nil {
		return err
	}
	applied, err := mg.Up(ctx)
	res.Migrations = applied
	if !m.json {
		for _, id := range applied {
			fmt.Fprintf(m.stdout, "applied migration %s\n", id)
		}
		if err == nil {
			fmt.Fprintf(m.stdout, "done: %d migration(s) applied from %s\n", len(applied), m.dir)
		}
	}
	return err
}

// statusResult is status's JSON output.
type statusResult struct {
	Keyspace   string                    `json:"keyspace"`
	Plan       *migrate.Plan             `json:"plan,omitempty"`
	Migrations []migrate.MigrationStatus `json:"migrations,omitempty"`
	Ledger     []migrate.Record          `json:"ledger"`
}

func (m *migrateCmd) status(ctx context.Context) (int, error) {
	res := statusResult{Keyspace: m.keyspace, Ledger: []migrate.Record{}}
	code := migrateOK
	if m.spec != nil {
		p, err := m.target.plan(ctx, m.spec)
		if err != nil {
			return 0, err
		}
		res.Plan = p
		if !p.Empty() {
			code = migratePending
		}
	}
	recs, err := m.target.ledger(ctx, m.keyspace)
	if err != nil && !(errors.Is(err, migrate.ErrKeyspaceNotFound) && (m.spec != nil || m.dir != "")) {
		return 0, err
	}
	if recs != nil {
		res.Ledger = recs
	}
	for _, r := range recs {
		if r.Outcome != migrate.OutcomeApplied {
			code = migratePending
		}
	}
	if m.dir != "" {
		if res.Migrations, err = m.migrationStates(ctx); err != nil {
			return 0, err
		}
		if pendingMigrations(res.Migrations) {
			code = migratePending
		}
	}
	if m.json {
		return code, m.writeJSON(res)
	}
	if res.Plan != nil {
		fmt.Fprint(m.stdout, res.Plan)
	}
	if m.dir != "" {
		m.printMigrations(res.Migrations)
	}
	ledger := m.keyspace + "." + m.target.ledgerTable()
	if len(recs) == 0 {
		fmt.Fprintf(m.stdout, "no versioned migrations recorded in %s\n", ledger)
		return code, nil
	}
	fmt.Fprintf(m.stdout, "versioned migrations recorded in %s:\n", ledger)
	for _, r := range recs {
		fmt.Fprintf(m.stdout, "  %-8s %s  %s  %s (%s by %s)", r.Outcome, r.At.Format(time.RFC3339), r.ID, r.Description, r.Duration, r.Runner)
		if r.Error != "" {
			fmt.Fprintf(m.stdout, ": %s", r.Error)
		}
		fmt.Fprintln(m.stdout)
	}
	return code, nil
}
