package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thrift/pool"
)

// Keyspace is where Twissandra keeps its column families.
const Keyspace = "Twissandra"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, serversFromEnv()); err != nil {
		fmt.Fprintln(os.Stderr, "twissandra:", err)
		os.Exit(1)
	}
}

// serversFromEnv reads CASSA_SERVERS, a comma-separated host:port list.
func serversFromEnv() []string {
	var out []string
	for _, s := range strings.Split(os.Getenv("CASSA_SERVERS"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// run is the whole demo: connect, migrate, fill, print. With no servers it
// starts an embedded server in-process and stops it at the end.
func run(ctx context.Context, w io.Writer, servers []string) error {
	fmt.Fprintln(w, "Twissandra: a tiny Twitter on cassa")
	if len(servers) == 0 {
		srv, err := server.Start(ctx, server.Config{})
		if err != nil {
			return err
		}
		defer srv.Close()
		servers = []string{srv.Addr()}
		fmt.Fprintln(w, "server: embedded, in-process (set CASSA_SERVERS=host:port,... to use a cluster)")
	} else {
		fmt.Fprintf(w, "server: %s\n", strings.Join(servers, ", "))
	}

	// The schema comes from the models: plan the difference, then apply it.
	sys, err := migrate.Connect(ctx, pool.Config{Servers: servers, PoolSize: 1})
	if err != nil {
		return err
	}
	defer sys.Close(ctx)
	plan, err := migrate.PlanModels(ctx, sys, Keyspace, schema()...)
	if err != nil {
		return err
	}
	if err := plan.Apply(ctx); err != nil {
		return err
	}
	printPlan(w, plan)

	db, err := pool.Open(ctx, pool.Config{Servers: servers, Keyspace: Keyspace})
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	app, err := Open(ctx, db)
	if err != nil {
		return err
	}
	if err := app.Reset(ctx); err != nil {
		return err
	}
	if err := seed(ctx, app); err != nil {
		return err
	}
	return report(ctx, w, app)
}

// printPlan shows what the migration changed, one line per step
// (fmt.Print(plan) gives every detail).
func printPlan(w io.Writer, plan *migrate.Plan) {
	if plan.Empty() {
		fmt.Fprintf(w, "\nschema of %s: up to date with the models\n", Keyspace)
		return
	}
	fmt.Fprintf(w, "\nschema of %s, planned from the models and applied:\n", Keyspace)
	for _, s := range plan.Steps {
		what := s.Keyspace
		if s.ColumnFamily != "" {
			what = s.ColumnFamily
		}
		if s.Column != "" {
			what += "." + s.Column
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
func seed(ctx context.Context, app *App) error {
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
// an index query, a day from the super column family, and the counters.
func report(ctx context.Context, w io.Writer, app *App) error {
	timeline, err := app.Timeline(ctx, "alice", 5)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\ntimeline of @alice, newest first (Timeline wide row, TimeUUID column names):")
	printTweets(w, timeline)

	userline, err := app.Userline(ctx, "bob", 10)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nuserline of @bob (Userline wide row):")
	printTweets(w, userline)

	users, q, err := app.UsersIn(ctx, "CA", 1980)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nusers where %s (secondary index on state):\n", q)
	// The index answers in token order; people read names alphabetically.
	slices.SortFunc(users, func(a, b User) int { return strings.Compare(a.Username, b.Username) })
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, u := range users {
		fmt.Fprintf(tw, "  @%s\t%s\tborn %d\tjoined %s\n", u.Username, u.Name, u.BirthYr, u.Joined.Format(time.DateOnly))
	}
	tw.Flush()

	fmt.Fprintln(w, "\ntweets per day (TweetsByDay super column family, a super column per tweet):")
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
	fmt.Fprintln(w, "\ncounts (Counts counter column family):")
	fmt.Fprintf(w, "  %-8s %6s %9s %9s\n", "user", "tweets", "followers", "following")
	for _, name := range []string{"alice", "bob", "carol", "dave", "erin"} {
		c, err := app.Counts(ctx, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-8s %6d %9d %9d\n", "@"+name, c.Tweets, c.Followers, c.Following)
	}
	return nil
}

func printTweets(w io.Writer, ts []Tweet) {
	for _, t := range ts {
		fmt.Fprintf(w, "  %s  %-7s %s\n", t.Posted().Format("Jan 02 15:04"), "@"+t.User, t.Body)
	}
}
