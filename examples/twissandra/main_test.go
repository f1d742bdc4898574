package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
)

// The data a reader of the demo looks for, section by section, the same
// over both transports: a timeline, a userline, an index query, the
// tweets of two days, the counters and two sign-ups.
var wantData = [][]string{{
	"  Jun 02 10:21  @carol  Counters never sleep.",
	"  Jun 02 07:55  @alice  A timeline is written once per follower and read in one slice.",
	"  Jun 01 18:03  @bob    Repair finished. Going home.",
	"  Jun 01 12:40  @carol  Anyone up for climbing on Saturday?",
	"  Jun 01 09:12  @alice  Wide rows are sorted maps with ambitions.",
}, {
	"  Jun 01 18:03  @bob    Repair finished. Going home.",
	"  Jun 01 08:05  @bob    Morning! Coffee first, then compaction.",
}, {
	"  @alice  Alice Liddell  born 1985  joined 2011-05-01",
	"  @carol  Carol Chen     born 1990  joined 2011-05-03",
}, {
	"  2011-06-01  4 tweets  08:05 @bob, 09:12 @alice, 12:40 @carol, 18:03 @bob",
	"  2011-06-02  3 tweets  07:55 @alice, 10:21 @carol, 11:30 @dave",
}, {
	"  user     tweets followers following",
	"  @alice        2         3         2",
	"  @bob          2         2         1",
	"  @carol        2         2         2",
	"  @dave         1         0         1",
	"  @erin         0         0         1",
}, {
	"  @frank for Frank Moreau: applied",
	"  @alice for Alice Cooper: not applied, @alice is Alice Liddell since 2011-05-01",
}}

// The headings of those sections, by transport: they name the storage.
var (
	thriftHeadings = []string{
		"timeline of @alice, newest first (Timeline wide row, TimeUUID column names):",
		"userline of @bob (Userline wide row):",
		`users where state = "CA" AND birth_year > 1980 LIMIT 50 (secondary index on state):`,
		"tweets per day (TweetsByDay super column family, a super column per tweet):",
		"counts (Counts counter column family):",
		"signing up, only if the name is free (cas expecting no column):",
	}
	cqlHeadings = []string{
		"timeline of @alice, newest first (Timeline table, clustering column posted timeuuid DESC):",
		"userline of @bob (Userline table, the same shape):",
		`users where state = "CA" AND birth_year > 1980 LIMIT 50 ALLOW FILTERING (secondary index on state, the rest filtered):`,
		"tweets per day (TweetsByDay table, clustering column id timeuuid):",
		"counts (Counts counter table):",
		"signing up, only if the name is free (INSERT ... IF NOT EXISTS, a lightweight transaction):",
	}
)

// wantReport is the report under the given headings, line by line.
func wantReport(headings []string) []string {
	var out []string
	for i, h := range headings {
		out = append(out, h)
		out = append(out, wantData[i]...)
	}
	return out
}

func runDemo(t *testing.T, cfg Config) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out, cfg); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	return out.String()
}

// sections cuts the output of a run over both transports into the Thrift
// part and the CQL part.
func sections(t *testing.T, out string) (thrift, cql string) {
	t.Helper()
	i := strings.Index(out, "\n=== over Thrift")
	j := strings.Index(out, "\n=== over CQL")
	if i < 0 || j < i {
		t.Fatalf("no Thrift part followed by a CQL part in:\n%s", out)
	}
	return out[i:j], out[j:]
}

// report returns the report of one part: from the timeline on, without
// the schema plan.
func reportOf(t *testing.T, part string) string {
	t.Helper()
	i := strings.Index(part, "\ntimeline of")
	if i < 0 {
		t.Fatalf("no timeline in:\n%s", part)
	}
	return part[i:]
}

// checkLines checks that want appear in out as whole lines, in order.
func checkLines(t *testing.T, out string, want []string) {
	t.Helper()
	lines := strings.Split(out, "\n")
	i := 0
	for _, l := range lines {
		if i < len(want) && l == want[i] {
			i++
		}
	}
	if i < len(want) {
		t.Errorf("missing line %q (or out of order) in:\n%s", want[i], out)
	}
}

// The demo with its own in-process server, as `make demo` runs it: the
// Thrift part and the CQL part print the same data under their own
// headings.
func TestDemoEmbedded(t *testing.T) {
	out := runDemo(t, Config{})
	checkLines(t, out, []string{
		"Twissandra: a tiny Twitter on cassa, over Thrift and CQL",
		"server: embedded, in-process, answering Thrift and CQL (set CASSA_SERVERS and CASSA_CQL_HOSTS to use a cluster)",
		"Thrift and CQL printed the same timeline, userline, index query, days and counts.",
	})
	thrift, cql := sections(t, out)
	checkLines(t, thrift, []string{
		"  create-keyspace    Twissandra",
		"  add-column-family  Users",
		"  add-column-family  TweetsByDay",
		"  add-column-family  Followers",
	})
	checkLines(t, cql, []string{
		"  create-keyspace    twissandra",
		"  create-table       Users",
		"  create-table       Timeline",
		"  create-index       Users.state",
	})
	checkLines(t, thrift, wantReport(thriftHeadings))
	checkLines(t, cql, wantReport(cqlHeadings))
	// Both print the same data: every indented line of the report.
	if a, b := dataLines(reportOf(t, thrift)), dataLines(reportOf(t, cql)); a != b {
		t.Errorf("Thrift and CQL printed different data:\n%s\n---\n%s", a, b)
	}
}

// Each transport alone, as -transport runs it.
func TestDemoOneTransport(t *testing.T) {
	for _, tr := range []string{Thrift, CQL} {
		t.Run(tr, func(t *testing.T) {
			out := runDemo(t, Config{Transports: []string{tr}})
			headings := map[string][]string{Thrift: thriftHeadings, CQL: cqlHeadings}[tr]
			checkLines(t, out, append([]string{"Twissandra: a tiny Twitter on cassa, over " + transportNames[tr]}, wantReport(headings)...))
			if strings.Contains(out, "printed the same") {
				t.Errorf("one transport compared with another:\n%s", out)
			}
		})
	}
}

// The demo against given servers (a cluster with CASSA_TEST_SERVERS and
// CASSA_TEST_CQL_HOSTS), run twice: the second run finds the schema up to
// date and, having emptied the tables first, prints the same data.
func TestDemoTwiceOnServer(t *testing.T) {
	srv := cassatest.Start(t, cassatest.FromEnv())
	cfg := Config{Servers: srv.Addrs(), CQLHosts: cassatest.CQLHostsFromEnv()}
	if cfg.CQLHosts == nil {
		cfg.CQLHosts = []string{srv.CQLAddr()}
		if srv.CQLAddr() == "" {
			cfg.CQLHosts = cassatest.CQLHosts(t)
		}
	}
	first := runDemo(t, cfg)
	checkLines(t, first, wantReport(cqlHeadings))
	second := runDemo(t, cfg)
	checkLines(t, second, []string{
		"schema of Twissandra: up to date with the models",
		"schema of twissandra: up to date with the models",
		"Thrift and CQL printed the same timeline, userline, index query, days and counts.",
	})
	thrift1, cql1 := sections(t, first)
	thrift2, cql2 := sections(t, second)
	if reportOf(t, thrift1) != reportOf(t, thrift2) || reportOf(t, cql1) != reportOf(t, cql2) {
		t.Errorf("second run differs:\n%s\n---\n%s", first, second)
	}
}

// The excerpt of the output that README.md shows must be what the demo
// prints.
func TestREADMEExcerpt(t *testing.T) {
	md, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(md), "\n```text\n")
	if !ok {
		t.Fatal("README.md shows no output of the demo")
	}
	excerpt, _, _ := strings.Cut(after, "\n```")
	var want []string
	for _, l := range strings.Split(excerpt, "\n") {
		if l != "" {
			want = append(want, l)
		}
	}
	checkLines(t, runDemo(t, Config{}), want)
}

func TestFlags(t *testing.T) {
	env := map[string]string{"CASSA_SERVERS": " a:1 , b:2,,", "CASSA_CQL_HOSTS": "c"}
	tests := []struct {
		args    []string
		env     bool
		want    Config
		wantErr bool
	}{
		{nil, false, Config{}, false},
		{nil, true, Config{Servers: []string{"a:1", "b:2"}, CQLHosts: []string{"c"}}, false},
		{[]string{"-servers", "x:9160", "-cql-hosts", "y,z:9043"}, true,
			Config{Servers: []string{"x:9160"}, CQLHosts: []string{"y", "z:9043"}}, false},
		{[]string{"-transport", "cql"}, false, Config{Transports: []string{CQL}}, false},
		{[]string{"-transport", "thrift"}, false, Config{Transports: []string{Thrift}}, false},
		{[]string{"-transport", "both"}, false, Config{}, false},
		{[]string{"-transport", "grpc"}, false, Config{}, true},
		{[]string{"-nope"}, false, Config{}, true},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("twissandra", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		getenv := func(string) string { return "" }
		if tt.env {
			getenv = func(k string) string { return env[k] }
		}
		got, err := parseFlags(fs, tt.args, getenv)
		if (err != nil) != tt.wantErr {
			t.Errorf("%q: error %v, want error %v", tt.args, err, tt.wantErr)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: %+v, want %+v", tt.args, got, tt.want)
		}
	}
}
