package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/thrift/pool"
)

func init() {
	commands["migrate"] = command{summary: "plan, apply and inspect declarative schema migrations", run: runMigrate}
}

// Exit statuses of `cassa migrate`.
const (
	migrateOK      = 0 // nothing to do, or done
	migratePending = 1 // plan/status: changes are pending
	migrateFailed  = 2 // an error
)

func migrateUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "usage: cassa migrate plan|apply|status --schema FILE [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "  plan    print the changes that bring the keyspace to the schema file")
	fmt.Fprintln(w, "  apply   make them (destructive ones only with --allow-destructive)")
	fmt.Fprintln(w, "  status  print the pending changes and the versioned-migration ledger")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Steps that may leave stored values unreadable by typed readers are printed with a")
	fmt.Fprintln(w, "warning (class unreadable-data, also in --json); warnings do not stop apply.")
	fmt.Fprintln(w, "Exit status: 0 nothing to do or done, 1 changes pending (plan, status), 2 error.")
	fmt.Fprintln(w, "The schema file format (YAML or JSON) is described in `go doc github.com/cassa-go/cassa/migrate`.")
	if fs != nil {
		fmt.Fprintln(w)
		fs.PrintDefaults()
	}
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
	if sub != "plan" && sub != "apply" && sub != "status" {
		fmt.Fprintf(stderr, "cassa migrate: unknown subcommand %q\n", sub)
		migrateUsage(stderr, nil)
		return errUsage
	}
	fs := flag.NewFlagSet("cassa migrate "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	servers := fs.String("servers", "localhost:9160", "comma-separated `host:port` list of Thrift servers")
	keyspace := fs.String("keyspace", "", "keyspace `name`; overrides the schema file's")
	schema := fs.String("schema", "", "schema `file` (.yaml, .yml or .json); required for plan and apply")
	allow := fs.Bool("allow-destructive", false, "apply: allow dropping column families, indexes and column metadata")
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	timeout := fs.Duration("timeout", 5*time.Minute, "give up after this `duration` (0: never)")
	fs.Usage = func() { migrateUsage(stderr, fs) }
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "cassa migrate %s: unexpected argument %q\n", sub, fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	if *schema == "" && sub != "status" {
		fmt.Fprintf(stderr, "cassa migrate %s: --schema is required\n", sub)
		fs.Usage()
		return errUsage
	}
	if *schema == "" && *keyspace == "" {
		fmt.Fprintln(stderr, "cassa migrate status: --schema or --keyspace is required")
		fs.Usage()
		return errUsage
	}
	if *timeout < 0 {
		fmt.Fprintf(stderr, "cassa migrate %s: --timeout %v is negative (0: no limit)\n", sub, *timeout)
		fs.Usage()
		return errUsage
	}
	if *allow && sub != "apply" {
		fmt.Fprintf(stderr, "cassa migrate %s: --allow-destructive only applies to apply\n", sub)
		return errUsage
	}

	fail := func(err error) error { return &exitError{code: migrateFailed, err: err} }
	var spec *migrate.KeyspaceSpec
	if *schema != "" {
		var err error
		if spec, err = readSpec(*schema, *keyspace); err != nil {
			return fail(err)
		}
	}
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	sys, err := migrate.Connect(ctx, pool.Config{Servers: splitServers(*servers), PoolSize: 2})
	if err != nil {
		return fail(err)
	}
	defer sys.Close(context.WithoutCancel(ctx))

	m := &migrateCmd{sys: sys, spec: spec, stdout: stdout, json: *asJSON}
	var code int
	switch sub {
	case "plan":
		code, err = m.plan(ctx)
	case "apply":
		code, err = m.apply(ctx, *allow)
	case "status":
		ks := *keyspace
		if spec != nil {
			ks = spec.Name
		}
		code, err = m.status(ctx, ks)
	}
	if err != nil {
		return fail(err)
	}
	if code != migrateOK {
		return &exitError{code: code}
	}
	return nil
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

// migrateCmd holds what the three subcommands share.
type migrateCmd struct {
	sys    *migrate.SystemManager
	spec   *migrate.KeyspaceSpec
	stdout io.Writer
	json   bool
}

func (m *migrateCmd) writeJSON(v any) error {
	enc := json.NewEncoder(m.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (m *migrateCmd) plan(ctx context.Context) (int, error) {
	p, err := migrate.PlanSchema(ctx, m.sys, m.spec)
	if err != nil {
		return 0, err
	}
	if m.json {
		err = m.writeJSON(p)
	} else {
		_, err = fmt.Fprint(m.stdout, p)
	}
	if err != nil || p.Empty() {
		return migrateOK, err
	}
	return migratePending, nil
}

// applyResult is apply's JSON output.
type applyResult struct {
	Plan    *migrate.Plan `json:"plan"`
	Applied int           `json:"applied"`
	Error   string        `json:"error,omitempty"`
}

func (m *migrateCmd) apply(ctx context.Context, allow bool) (int, error) {
	p, err := migrate.PlanSchema(ctx, m.sys, m.spec)
	if err != nil {
		return 0, err
	}
	if !m.json {
		fmt.Fprint(m.stdout, p)
	}
	if p.Empty() {
		if m.json {
			return migrateOK, m.writeJSON(applyResult{Plan: p})
		}
		return migrateOK, nil
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
	applied := len(p.Steps)
	var se *migrate.StepError
	switch {
	case errors.As(err, &se):
		applied = se.Index
	case err != nil:
		applied = 0
	}
	if m.json {
		res := applyResult{Plan: p, Applied: applied}
		if err != nil {
			res.Error = err.Error()
		}
		if jerr := m.writeJSON(res); jerr != nil && err == nil {
			err = jerr
		}
	} else if err == nil {
		fmt.Fprintf(m.stdout, "done: %d step(s) applied\n", applied)
	}
	if errors.Is(err, migrate.ErrDestructive) {
		err = fmt.Errorf("%w (rerun with --allow-destructive)", err)
	}
	return migrateOK, err
}

// statusResult is status's JSON output.
type statusResult struct {
	Keyspace string           `json:"keyspace"`
	Plan     *migrate.Plan    `json:"plan,omitempty"`
	Ledger   []migrate.Record `json:"ledger"`
}

func (m *migrateCmd) status(ctx context.Context, keyspace string) (int, error) {
	res := statusResult{Keyspace: keyspace, Ledger: []migrate.Record{}}
	code := migrateOK
	if m.spec != nil {
		p, err := migrate.PlanSchema(ctx, m.sys, m.spec)
		if err != nil {
			return 0, err
		}
		res.Plan = p
		if !p.Empty() {
			code = migratePending
		}
	}
	recs, err := migrate.ReadLedger(ctx, m.sys, keyspace)
	if err != nil && !(errors.Is(err, migrate.ErrKeyspaceNotFound) && m.spec != nil) {
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
	if m.json {
		return code, m.writeJSON(res)
	}
	if res.Plan != nil {
		fmt.Fprint(m.stdout, res.Plan)
	}
	if len(recs) == 0 {
		fmt.Fprintf(m.stdout, "no versioned migrations recorded in %s.%s\n", keyspace, migrate.LedgerColumnFamily)
		return code, nil
	}
	fmt.Fprintf(m.stdout, "versioned migrations recorded in %s.%s:\n", keyspace, migrate.LedgerColumnFamily)
	for _, r := range recs {
		fmt.Fprintf(m.stdout, "  %-8s %s  %s  %s (%s by %s)", r.Outcome, r.At.Format(time.RFC3339), r.ID, r.Description, r.Duration, r.Runner)
		if r.Error != "" {
			fmt.Fprintf(m.stdout, ": %s", r.Error)
		}
		fmt.Fprintln(m.stdout)
	}
	return code, nil
}
