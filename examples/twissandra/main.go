package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thrift/pool"
)

// Keyspace is where Twissandra keeps its column families over Thrift.
const Keyspace = "Twissandra"

// CQLKeyspace is where Twissandra keeps its tables over CQL. It is not
// Keyspace: on a node that answers both interfaces, the Thrift column
// families and the CQL tables of the same names would otherwise be one
// and the same.
const CQLKeyspace = "twissandra"

// The transports the demo runs over, as -transport names them.
const (
	Thrift = "thrift"
	CQL    = "cql"
)

// transportNames are the transports as people write them.
var transportNames = map[string]string{Thrift: "Thrift", CQL: "CQL"}

// Config says what the demo runs over. Its zero value runs both
// transports against an embedded server.
type Config struct {
	// Servers are the Thrift nodes (host:port, port 9160); none starts
	// the embedded server.
	Servers []string
	// CQLHosts are the CQL nodes (host or host:port, port 9042); none
	// starts the embedded server (the same one as for Thrift).
	CQLHosts []string
	// Transports lists the runs, in order; empty means Thrift, then CQL.
	Transports []string
}

func main() {
	cfg, err := parseFlags(flag.CommandLine, os.Args[1:], os.Getenv)
	if err != nil {
		os.Exit(2) // the flag package has said why
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "twissandra:", err)
		os.Exit(1)
	}
}

// parseFlags reads the command line, whose defaults come from the
// environment: CASSA_SERVERS for -servers, CASSA_CQL_HOSTS for -cql-hosts.
func parseFlags(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	servers := fs.String("servers", getenv("CASSA_SERVERS"), "Thrift `nodes` (host:port,...); empty starts the embedded server (env CASSA_SERVERS)")
	cqlHosts := fs.String("cql-hosts", getenv("CASSA_CQL_HOSTS"), "CQL `nodes` (host[:port],...); empty starts the embedded server (env CASSA_CQL_HOSTS)")
	transport := fs.String("transport", "both", "run over `thrift`, cql or both")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	cfg := Config{Servers: splitList(*servers), CQLHosts: splitList(*cqlHosts)}
	switch *transport {
	case "both":
	case Thrift, CQL:
		cfg.Transports = []string{*transport}
	default:
		err := fmt.Errorf("-transport %q: want thrift, cql or both", *transport)
		fmt.Fprintln(fs.Output(), err)
		fs.Usage()
		return Config{}, err
	}
	return cfg, nil
}

// splitList reads a comma-separated list, ignoring blanks.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Store is what the demo does with Twissandra's data; ThriftApp and
// CQLApp do it over their transports.
type Store interface {
	Layout() Layout
	Reset(ctx context.Context) error
	AddUser(ctx context.Context, u User) error
	Register(ctx context.Context, u User) (applied bool, current User, err error)
	Follow(ctx context.Context, who, whom string, since time.Time) error
	Post(ctx context.Context, user, body string, at time.Time) (Tweet, error)
	Timeline(ctx context.Context, user string, n int) ([]Tweet, error)
	Userline(ctx context.Context, user string, n int) ([]Tweet, error)
	UsersIn(ctx context.Context, state string, bornAfter int) ([]User, query.Select, error)
	Day(ctx context.Context, day string) ([]DayTweet, error)
	Counts(ctx context.Context, user string) (Counts, error)
}

// Layout names, for the printout, how a Store keeps each thing.
type Layout struct {
	// Each describes, in a few words for the report's headings, the
	// storage of the timeline, the userline, the index query, the tweets
	// of a day, the counters, and what a sign-up is.
	Timeline, Userline, Index, Day, Counts, Register string
}

// run is the whole demo: for each transport, connect, migrate, fill and
// print; then check that both printed the same data. Without servers it
// starts one embedded server, which answers Thrift and CQL, and stops it
// at the end.
func run(ctx context.Context, w io.Writer, cfg Config) error {
	transports := cfg.Transports
	if len(transports) == 0 {
		transports = []string{Thrift, CQL}
	}
	var names []string
	for _, t := range transports {
		names = append(names, transportNames[t])
	}
	fmt.Fprintf(w, "Twissandra: a tiny Twitter on cassa, over %s\n", strings.Join(names, " and "))

	var srv *server.Server
	embedded := func() (*server.Server, error) {
		if srv != nil {
			return srv, nil
		}
		var err error
		if srv, err = server.Start(ctx, server.Config{}); err != nil {
			return nil, err
		}
		fmt.Fprintln(w, "server: embedded, in-process, answering Thrift and CQL (set CASSA_SERVERS and CASSA_CQL_HOSTS to use a cluster)")
		return srv, nil
	}
	defer func() {
		if srv != nil {
			srv.Close()
		}
	}()

	var data []string // what each run printed, without its headings
	for _, t := range transports {
		var out bytes.Buffer
		var err error
		switch t {
		case Thrift:
			servers := cfg.Servers
			if len(servers) == 0 {
				s, err := embedded()
				if err != nil {
					return err
				}
				servers = []string{s.Addr()}
			}
			err = runThrift(ctx, w, &out, servers)
		case CQL:
			hosts := cfg.CQLHosts
			if len(hosts) == 0 {
				s, err := embedded()
				if err != nil {
					return err
				}
				hosts = []string{s.CQLAddr()}
			}
			err = runCQL(ctx, w, &out, hosts)
		default:
			return fmt.Errorf("unknown transport %q", t)
		}
		w.Write(out.Bytes())
		if err != nil {
			return fmt.Errorf("over %s: %w", t, err)
		}
		data = append(data, dataLines(out.String()))
	}
	if len(data) == 2 {
		if data[0] != data[1] {
			return errors.New("Thrift and CQL printed different data")
		}
		fmt.Fprintln(w, "\nThrift and CQL printed the same timeline, userline, index query, days and counts.")
	}
	return nil
}

// dataLines keeps the indented lines of a report: its data, not its
// headings, which name the storage.
func dataLines(report string) string {
	var b strings.Builder
	for _, l := range strings.Split(report, "\n") {
		if strings.HasPrefix(l, "  ") {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// runThrift opens Twissandra over Thrift (the plan goes to w), fills it
// and reports on it to out.
func runThrift(ctx context.Context, w, out io.Writer, servers []string) error {
	fmt.Fprintf(w, "\n=== over Thrift: keyspace %s on %s ===\n", Keyspace, strings.Join(servers, ", "))
	app, closeApp, err := setupThrift(ctx, w, servers)
	if err != nil {
		return err
	}
	defer closeApp()
	return fillAndReport(ctx, out, app)
}

// runCQL is runThrift over CQL.
func runCQL(ctx context.Context, w, out io.Writer, hosts []string) error {
	fmt.Fprintf(w, "\n=== over CQL: keyspace %s on %s ===\n", CQLKeyspace, strings.Join(hosts, ", "))
	app, closeApp, err := setupCQL(ctx, w, hosts)
	if err != nil {
		return err
	}
	defer closeApp()
	return fillAndReport(ctx, out, app)
}

// setupThrift plans the column families from the models, applies the plan
// (printing it to w) and opens a pool and the app on it; closeApp closes
// the pool.
func setupThrift(ctx context.Context, w io.Writer, servers []string) (app *ThriftApp, closeApp func(), err error) {
	sys, err := migrate.Connect(ctx, pool.Config{Servers: servers, PoolSize: 1})
	if err != nil {
		return nil, nil, err
	}
	defer sys.Close(ctx)
	plan, err := migrate.PlanModels(ctx, sys, Keyspace, schema()...)
	if err != nil {
		return nil, nil, err
	}
	if err := plan.Apply(ctx); err != nil {
		return nil, nil, err
	}
	printPlan(w, Keyspace, plan)

	db, err := pool.Open(ctx, pool.Config{Servers: servers, Keyspace: Keyspace})
	if err != nil {
		return nil, nil, err
	}
	if app, err = OpenThrift(ctx, db); err != nil {
		db.Close(ctx)
		return nil, nil, err
	}
	return app, func() { db.Close(context.WithoutCancel(ctx)) }, nil
}

// setupCQL is setupThrift over CQL: the tables are planned from the
// models with migrate.PlanCQLModels, and a session replaces the pool.
func setupCQL(ctx context.Context, w io.Writer, hosts []string) (app *CQLApp, closeApp func(), err error) {
	admin, err := cql.Open(ctx, cql.Config{Hosts: hosts})
	if err != nil {
		return nil, nil, err
	}
	defer admin.Close(ctx)
	plan, err := migrate.PlanCQLModels(ctx, admin, CQLKeyspace, cqlSchema()...)
	if err != nil {
		return nil, nil, err
	}
	if err := plan.Apply(ctx); err != nil {
		return nil, nil, err
	}
	printPlan(w, CQLKeyspace, plan)

	db, err := cql.Open(ctx, cql.Config{Hosts: hosts, Keyspace: CQLKeyspace})
	if err != nil {
		return nil, nil, err
	}
	if app, err = OpenCQL(ctx, db); err != nil {
		db.Close(ctx)
		return nil, nil, err
	}
	return app, func() { db.Close(context.WithoutCancel(ctx)) }, nil
}

// fillAndReport empties the store, fills it and prints the report.
func fillAndReport(ctx context.Context, w io.Writer, app Store) error {
	if err := app.Reset(ctx); err != nil {
		return err
	}
	if err := seed(ctx, app); err != nil {
		return err
	}
	return report(ctx, w, app)
}

// printPlan shows what the migration changed, one line per step
// (fmt.Print(plan) gives every detail, and over CQL the statements).
func printPlan(w io.Writer, keyspace string, plan *migrate.Plan) {
	if plan.Empty() {
		fmt.Fprintf(w, "\nschema of %s: up to date with the models\n", keyspace)
		return
	}
	fmt.Fprintf(w, "\nschema of %s, planned from the models and applied:\n", keyspace)
	for _, s := range plan.Steps {
		what := s.Keyspace
		switch {
		case s.ColumnFamily != "":
			what = s.ColumnFamily
		case s.Table != "":
			what = s.Table
		}
		switch {
		case s.Column != "":
			what += "." + s.Column
		case s.Index != "":
			what += " (" + s.Index + ")"
		}
		fmt.Fprintf(w, "  %-18s %s\n", s.Kind, what)
	}
}

// day1 is when the story starts; every time below is fixed, so the output
// is the same on every run.
var day1 = time.Date(2011, time.June, 1, 0, 0, 0, 0, time.UTC)

func at(day int, hhmm string) time.Time {
	t, _ := time.Parse("15:04", hhmm)
	return day1.AddDate(0, 0, day-1).Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
}

// seed fills Twissandra with five users, who follows whom, and a few
// tweets over two days.
func seed(ctx context.Context, app Store) error {
	users := []User{
		{Username: "alice", Name: "Alice Liddell", State: "CA", BirthYr: 1985},
		{Username: "bob", Name: "Bob Kowalski", State: "UT", BirthYr: 1979},
		{Username: "carol", Name: "Carol Chen", State: "CA", BirthYr: 1990},
		{Username: "dave", Name: "Dave Okafor", State: "CA", BirthYr: 1975},
		{Username: "erin", Name: "Erin Walsh", State: "TX", BirthYr: 1988},
	}
	for i, u := range users {
		u.Joined = day1.AddDate(0, -1, i)
		if err := app.AddUser(ctx, u); err != nil {
			return err
		}
	}
	follows := [][2]string{
		{"alice", "bob"}, {"alice", "carol"}, {"bob", "alice"}, {"carol", "alice"},
		{"carol", "bob"}, {"dave", "alice"}, {"erin", "carol"},
	}
	for _, f := range follows {
		if err := app.Follow(ctx, f[0], f[1], day1); err != nil {
			return err
		}
	}
	tweets := []struct {
		user string
		when time.Time
		body string
	}{
		{"bob", at(1, "08:05"), "Morning! Coffee first, then compaction."},
		{"alice", at(1, "09:12"), "Wide rows are sorted maps with ambitions."},
		{"carol", at(1, "12:40"), "Anyone up for climbing on Saturday?"},
		{"bob", at(1, "18:03"), "Repair finished. Going home."},
		{"alice", at(2, "07:55"), "A timeline is written once per follower and read in one slice."},
		{"carol", at(2, "10:21"), "Counters never sleep."},
		{"dave", at(2, "11:30"), "Hello, Twissandra!"},
	}
	for _, t := range tweets {
		if _, err := app.Post(ctx, t.user, t.body, t.when); err != nil {
			return err
		}
	}
	return nil
}

// report prints what a person wants to read: a timeline, a userline,
// an index query, a day's tweets, the counters, and a compare-and-set.
// Headings name the storage; the indented lines are the data, the same
// over every transport.
func report(ctx context.Context, w io.Writer, app Store) error {
	l := app.Layout()
	timeline, err := app.Timeline(ctx, "alice", 5)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\ntimeline of @alice, newest first (%s):\n", l.Timeline)
	printTweets(w, timeline)

	userline, err := app.Userline(ctx, "bob", 10)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nuserline of @bob (%s):\n", l.Userline)
	printTweets(w, userline)

	users, q, err := app.UsersIn(ctx, "CA", 1980)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nusers where %s (%s):\n", q, l.Index)
	// The index answers in token order; people read names alphabetically.
	slices.SortFunc(users, func(a, b User) int { return strings.Compare(a.Username, b.Username) })
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, u := range users {
		fmt.Fprintf(tw, "  @%s\t%s\tborn %d\tjoined %s\n", u.Username, u.Name, u.BirthYr, u.Joined.Format(time.DateOnly))
	}
	tw.Flush()

	fmt.Fprintf(w, "\ntweets per day (%s):\n", l.Day)
	for _, day := range []string{"2011-06-01", "2011-06-02"} {
		ts, err := app.Day(ctx, day)
		if err != nil {
			return err
		}
		var who []string
		for _, t := range ts {
			who = append(who, Tweet{ID: t.ID}.Posted().Format("15:04")+" @"+t.User)
		}
		fmt.Fprintf(w, "  %s  %d tweets  %s\n", day, len(ts), strings.Join(who, ", "))
	}
	fmt.Fprintf(w, "\ncounts (%s):\n", l.Counts)
	fmt.Fprintf(w, "  %-8s %6s %9s %9s\n", "user", "tweets", "followers", "following")
	for _, name := range []string{"alice", "bob", "carol", "dave", "erin"} {
		c, err := app.Counts(ctx, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-8s %6d %9d %9d\n", "@"+name, c.Tweets, c.Followers, c.Following)
	}

	fmt.Fprintf(w, "\nsigning up, only if the name is free (%s):\n", l.Register)
	for _, u := range []User{
		{Username: "frank", Name: "Frank Moreau", State: "OR", BirthYr: 1992, Joined: day1.AddDate(0, 0, 2)},
		{Username: "alice", Name: "Alice Cooper", State: "MI", BirthYr: 1948, Joined: day1.AddDate(0, 0, 2)},
	} {
		ok, cur, err := app.Register(ctx, u)
		if err != nil {
			return err
		}
		if ok {
			fmt.Fprintf(w, "  @%s for %s: applied\n", u.Username, u.Name)
		} else {
			fmt.Fprintf(w, "  @%s for %s: not applied, @%s is %s since %s\n",
				u.Username, u.Name, cur.Username, cur.Name, cur.Joined.Format(time.DateOnly))
		}
	}
	return nil
}

func printTweets(w io.Writer, ts []Tweet) {
	for _, t := range ts {
		fmt.Fprintf(w, "  %s  %-7s %s\n", t.Posted().Format("Jan 02 15:04"), "@"+t.User, t.Body)
	}
}
