package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
)

// The lines a reader of the demo looks for, in the order they appear.
var wantLines = []string{
	"timeline of @alice, newest first (Timeline wide row, TimeUUID column names):",
	"  Jun 02 10:21  @carol  Counters never sleep.",
	"  Jun 02 07:55  @alice  A timeline is written once per follower and read in one slice.",
	"  Jun 01 18:03  @bob    Repair finished. Going home.",
	"  Jun 01 12:40  @carol  Anyone up for climbing on Saturday?",
	"  Jun 01 09:12  @alice  Wide rows are sorted maps with ambitions.",
	"userline of @bob (Userline wide row):",
	"  Jun 01 18:03  @bob    Repair finished. Going home.",
	"  Jun 01 08:05  @bob    Morning! Coffee first, then compaction.",
	`users where state = "CA" AND birth_year > 1980 LIMIT 50 (secondary index on state):`,
	"  @alice  Alice Liddell  born 1985  joined 2011-05-01",
	"  @carol  Carol Chen     born 1990  joined 2011-05-03",
	"  2011-06-01  4 tweets  08:05 @bob, 09:12 @alice, 12:40 @carol, 18:03 @bob",
	"  2011-06-02  3 tweets  07:55 @alice, 10:21 @carol, 11:30 @dave",
	"  user     tweets followers following",
	"  @alice        2         3         2",
	"  @bob          2         2         1",
	"  @carol        2         2         2",
	"  @dave         1         0         1",
	"  @erin         0         0         1",
}

func runDemo(t *testing.T, servers []string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out, servers); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	return out.String()
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

// The demo with its own in-process server, as `make demo` runs it.
func TestDemoEmbedded(t *testing.T) {
	out := runDemo(t, nil)
	checkLines(t, out, append([]string{
		"server: embedded, in-process (set CASSA_SERVERS=host:port,... to use a cluster)",
		"  create-keyspace    Twissandra",
		"  add-column-family  Users",
		"  add-column-family  TweetsByDay",
		"  add-column-family  Followers",
	}, wantLines...))
}

// The demo against a given server (a cluster with CASSA_TEST_SERVERS), run
// twice: the second run finds the schema up to date and, having emptied
// the column families first, prints the same data.
func TestDemoTwiceOnServer(t *testing.T) {
	srv := cassatest.Start(t, cassatest.FromEnv())
	first := runDemo(t, srv.Addrs())
	checkLines(t, first, wantLines)
	second := runDemo(t, srv.Addrs())
	checkLines(t, second, append([]string{"schema of Twissandra: up to date with the models"}, wantLines...))
	data := func(s string) string { return s[strings.Index(s, "\ntimeline of"):] }
	if data(first) != data(second) {
		t.Errorf("second run differs:\n%s\n---\n%s", data(first), data(second))
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
	checkLines(t, runDemo(t, nil), want)
}

func TestServersFromEnv(t *testing.T) {
	tests := []struct{ env, want string }{
		{"", ""},
		{"10.0.0.4:9160", "10.0.0.4:9160"},
		{" a:1 , b:2,,", "a:1|b:2"},
	}
	for _, tt := range tests {
		t.Setenv("CASSA_SERVERS", tt.env)
		if got := strings.Join(serversFromEnv(), "|"); got != tt.want {
			t.Errorf("CASSA_SERVERS=%q: %q, want %q", tt.env, got, tt.want)
		}
	}
}
