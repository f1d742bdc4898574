package shell

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/thrift/pool"
)

var timestampRE = regexp.MustCompile(`timestamp=\d+`)

// normalize hides write timestamps, which the server clock decides.
func normalize(s string) string { return timestampRE.ReplaceAllString(s, "timestamp=T") }

// newShell starts an embedded server and a shell connected to it.
func newShell(t testing.TB) (*Shell, *bytes.Buffer) {
	t.Helper()
	srv := cassatest.Start(t)
	var out bytes.Buffer
	ctx := context.Background()
	sh, err := New(ctx, Config{Servers: []string{srv.Addr()}, Now: func() time.Time {
		return time.Date(2012, 3, 5, 1, 2, 3, 0, time.UTC)
	}}, &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sh.Close(context.Background()) })
	return sh, &out
}

// run executes lines one by one, failing the test on an error, and returns
// what they printed.
func run(t testing.TB, sh *Shell, out *bytes.Buffer, lines ...string) string {
	t.Helper()
	out.Reset()
	for _, l := range lines {
		if err := sh.Exec(context.Background(), l); err != nil {
			t.Fatalf("%s: %s", l, FormatLineError(err, l))
		}
	}
	return normalize(out.String())
}

// setupDemo makes keyspace Demo with a Users column family whose age
// column is a LongType with a KEYS index.
func setupDemo(t testing.TB, sh *Shell, out *bytes.Buffer) {
	t.Helper()
	run(t, sh, out,
		"create keyspace Demo with strategy_class = SimpleStrategy and strategy_options = {replication_factor: 1};",
		"use Demo;",
		"create column family Users with comparator = UTF8Type and key_validation_class = UTF8Type "+
			"and default_validation_class = UTF8Type "+
			"and column_metadata = [{column_name: age, validation_class: LongType, index_type: KEYS}];")
}

func TestShellSetGetListCountDel(t *testing.T) {
	sh, out := newShell(t)
	setupDemo(t, sh, out)
	if sh.Prompt() != "[default@Demo] " {
		t.Errorf("prompt %q", sh.Prompt())
	}
	got := run(t, sh, out,
		"set Users['u1']['age'] = 24",
		"set Users['u1']['name'] = 'Tyler' with ttl = 600;",
		"set Users[u2][age] = long(31); set Users[u2][name] = utf8('Ann')",
		"get Users['u1']",
		"get Users['u1']['age']",
		"get Users['u1']['nope']",
		"get Users['nobody']",
		"count Users['u1']",
		"count Users['nobody']",
	)
	want := `Value inserted.
Value inserted.
Value inserted.
Value inserted.
=> (name=age, value=24, timestamp=T)
=> (name=name, value=Tyler, timestamp=T, ttl=600)
Returned 2 results.
=> (name=age, value=24, timestamp=T)
Value was not found
Returned 0 results.
2 columns
0 columns
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	got = run(t, sh, out, "list Users")
	for _, w := range []string{"RowKey: u1\n=> (name=age, value=24, timestamp=T)\n", "RowKey: u2\n=> (name=age, value=31, timestamp=T)\n=> (name=name, value=Ann, timestamp=T)\n", "\n2 Rows Returned.\n"} {
		if !strings.Contains(got, w) {
			t.Errorf("list output lacks %q:\n%s", w, got)
		}
	}
	if got := run(t, sh, out, "list Users limit 1 columns 1"); strings.Count(got, "RowKey:") != 1 || strings.Count(got, "=> ") != 1 || !strings.Contains(got, "1 Row Returned.") {
		t.Errorf("list with limits:\n%s", got)
	}
	if got := run(t, sh, out, "get Users['u1'] limit 1"); strings.Count(got, "=> ") != 1 {
		t.Errorf("get with limit:\n%s", got)
	}

	got = run(t, sh, out, "get Users where age = 31", "get Users where age = 24 and name >= 'T' limit 5")
	if !strings.Contains(got, "RowKey: u2") || !strings.Contains(got, "RowKey: u1") || strings.Count(got, "1 Row Returned.") != 2 {
		t.Errorf("index queries:\n%s", got)
	}

	got = run(t, sh, out, "del Users['u1']['name']", "get Users['u1']", "del Users['u1']", "get Users['u1']")
	want = `column removed.
=> (name=age, value=24, timestamp=T)
Returned 1 results.
row removed.
Returned 0 results.
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	// Consistency levels: the single node satisfies ALL; TWO needs
	// replicas it does not have.
	if got := run(t, sh, out, "consistencylevel as ALL", "get Users['u2']['age']"); got != "Consistency level is set to 'ALL'.\n=> (name=age, value=31, timestamp=T)\n" {
		t.Errorf("consistencylevel ALL: %q", got)
	}
	if err := sh.Exec(context.Background(), "consistencylevel as BOGUS"); err == nil || !strings.Contains(err.Error(), "unknown consistency level") {
		t.Errorf("bogus level: %v", err)
	}
	run(t, sh, out, "consistencylevel as ONE")
	if got := run(t, sh, out, "truncate Users", "list Users"); !strings.Contains(got, "Users truncated.\n\n0 Rows Returned.") {
		t.Errorf("truncate:\n%s", got)
	}
}

func TestShellDescribe(t *testing.T) {
	sh, out := newShell(t)
	setupDemo(t, sh, out)
	got := run(t, sh, out, "describe keyspace")
	for _, w := range []string{
		"Name:                                Demo\n",
		"Replication Strategy:                SimpleStrategy\n",
		"Strategy Options:                    {'replication_factor': '1'}\n",
		"Column Families:\n  Users\n",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("describe keyspace lacks %q:\n%s", w, got)
		}
	}
	for _, cmd := range []string{"describe Users", "describe column family Users"} {
		got = run(t, sh, out, cmd)
		for _, w := range []string{
			"Name:                                Users\n",
			"Column Type:                         Standard\n",
			"Comparator Type:                     UTF8Type\n",
			"Default Validation Class:            UTF8Type\n",
			"Key Validation Class:                UTF8Type\n",
			"Column Metadata\n  - Name:                            age\n    Value Type:                      LongType\n    Index Type:                      KEYS\n    Index Name:                      Users_age_idx\n",
		} {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q:\n%s", cmd, w, got)
			}
		}
	}
	if got := run(t, sh, out, "describe Demo", "describe keyspace system"); !strings.Contains(got, "Name:                                Demo") || !strings.Contains(got, "Name:                                system") {
		t.Errorf("describe NAME of a keyspace:\n%s", got)
	}
	got = run(t, sh, out, "show keyspaces")
	if !strings.Contains(got, "Demo\n") || !strings.Contains(got, "system\n") {
		t.Errorf("show keyspaces:\n%s", got)
	}
	if got := run(t, sh, out, "show cluster name", "show api version"); got != "Test Cluster\n20.1.0\n" {
		t.Errorf("show cluster name, api version: %q", got)
	}
	if got := run(t, sh, out, "show column families"); got != "Users\n" {
		t.Errorf("show column families: %q", got)
	}
	if got := run(t, sh, out, "help"); !strings.Contains(got, "set CF['key']['col'] = VALUE [with ttl = SECONDS]") || !strings.Contains(got, "create index on CF(COL)") {
		t.Errorf("help:\n%s", got)
	}
	if got := run(t, sh, out, "help incr"); !strings.HasPrefix(got, "incr CF['key']['col'] [by N]") {
		t.Errorf("help incr:\n%s", got)
	}
}

func TestShellCountersAndSuper(t *testing.T) {
	sh, out := newShell(t)
	run(t, sh, out, "create keyspace K; use K",
		"create column family Hits with default_validation_class = CounterColumnType and comparator = UTF8Type and key_validation_class = UTF8Type",
		"create column family Tweets with column_type = Super and comparator = TimeUUIDType and subcomparator = UTF8Type and key_validation_class = UTF8Type and default_validation_class = UTF8Type",
		"create column family SuperHits with column_type = Super and comparator = UTF8Type and subcomparator = UTF8Type and default_validation_class = CounterColumnType",
	)
	got := run(t, sh, out, "incr Hits['home']['views']", "incr Hits['home']['views'] by 10", "decr Hits['home']['views'] by 3",
		"get Hits['home']", "get Hits['home']['views']", "del Hits['home']['views']", "get Hits['home']['views']")
	want := `Value incremented.
Value incremented.
Value decremented.
=> (counter=views, value=8)
Returned 1 results.
=> (counter=views, value=8)
column removed.
Value was not found
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	got = run(t, sh, out,
		"set Tweets['u1'][timeuuid('2012-03-05 00:00')]['body'] = 'hello'",
		"set Tweets['u1'][timeuuid('2012-03-06 00:00')]['body'] = 'world'",
		"get Tweets['u1']",
		"get Tweets['u1'][timeuuid('2012-03-05 00:00')]",
		"get Tweets['u1'][timeuuid('2012-03-06 00:00')]['body']",
		"count Tweets['u1']",
		"count Tweets['u1'][timeuuid('2012-03-06 00:00')]",
		"del Tweets['u1'][timeuuid('2012-03-05 00:00')]",
		"count Tweets['u1']",
		"del Tweets['u1'][timeuuid('2012-03-06 00:00')]['body']",
		"count Tweets['u1']",
	)
	want = `Value inserted.
Value inserted.
=> (super_column=26ae4000-6656-11e1-8080-808080808080,
     (name=body, value=hello, timestamp=T))
=> (super_column=51180000-671f-11e1-8080-808080808080,
     (name=body, value=world, timestamp=T))
Returned 2 results.
=> (name=body, value=hello, timestamp=T)
Returned 1 results.
=> (name=body, value=world, timestamp=T)
2 columns
1 column
super column removed.
1 column
column removed.
0 columns
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	got = run(t, sh, out, "incr SuperHits['k']['day1']['a'] by 2", "get SuperHits['k']['day1']['a']", "del SuperHits['k']['day1']['a']", "count SuperHits['k']['day1']")
	if got != "Value incremented.\n=> (counter=a, value=2)\ncolumn removed.\n0 columns\n" {
		t.Errorf("super counters:\n%s", got)
	}
	if got := run(t, sh, out, "describe Tweets"); !strings.Contains(got, "Column Type:                         Super\n") || !strings.Contains(got, "Subcomparator Type:                  UTF8Type\n") {
		t.Errorf("describe super:\n%s", got)
	}
}

func TestShellIndexesAndSchema(t *testing.T) {
	sh, out := newShell(t)
	run(t, sh, out, "create keyspace K with durable_writes = false", "use K",
		"create column family People with comparator = UTF8Type and key_validation_class = UTF8Type and comment = 'folks' and gc_grace = 60 and read_repair_chance = 0.5",
		"set People[p1][state] = UT", "set People[p2][state] = CA")
	if got := run(t, sh, out, "create index on People(state) UTF8Type"); got != "Index on People(state) created.\n" {
		t.Errorf("create index: %q", got)
	}
	got := run(t, sh, out, "get People where state = 'UT'", "describe People")
	for _, w := range []string{"RowKey: p1\n=> (name=state, value=UT", "1 Row Returned.", "Index Type:                      KEYS",
		"Description:                         folks", "GC Grace Seconds:                    60", "Read Repair Chance:                  50%"} {
		if !strings.Contains(got, w) {
			t.Errorf("lacks %q:\n%s", w, got)
		}
	}
	got = run(t, sh, out, "create column family Comp with comparator = CompositeType(LongType, ReversedType(UTF8Type)) and key_validation_class = UTF8Type",
		"set Comp[k]['1:b'] = x", "set Comp[k]['1:a'] = y", "set Comp[k]['0:z'] = w", "get Comp[k]", "describe Comp")
	if !strings.Contains(got, "=> (name=0:z, value=w, timestamp=T)\n=> (name=1:b, value=x, timestamp=T)\n=> (name=1:a, value=y, timestamp=T)\n") ||
		!strings.Contains(got, "Comparator Type:                     CompositeType(LongType, ReversedType(UTF8Type))") {
		t.Errorf("composite comparator:\n%s", got)
	}
	run(t, sh, out, "drop column family Comp")
	got = run(t, sh, out, "drop index on People(state)", "describe People")
	if !strings.Contains(got, "Index on People(state) dropped.") || strings.Contains(got, "Index Type:") || !strings.Contains(got, "Value Type:                      UTF8Type") {
		t.Errorf("drop index:\n%s", got)
	}
	if got := run(t, sh, out, "describe keyspace"); !strings.Contains(got, "Durable Writes:                      false") {
		t.Errorf("durable_writes:\n%s", got)
	}
	got = run(t, sh, out, "update keyspace K with durable_writes = true", "describe keyspace",
		"update column family People with comment = 'humans' and column_metadata = [{column_name: born, validation_class: LongType}]",
		"set People[p1][born] = 1970", "get People[p1][born]", "describe People")
	for _, w := range []string{"Keyspace K updated.", "Durable Writes:                      true", "Column family People updated.",
		"=> (name=born, value=1970", "Description:                         humans", "  - Name:                            born\n    Value Type:                      LongType",
		"  - Name:                            state\n    Value Type:                      UTF8Type"} {
		if !strings.Contains(got, w) {
			t.Errorf("update lacks %q:\n%s", w, got)
		}
	}
	if err := sh.Exec(context.Background(), "update column family People with column_type = Super"); err == nil || !strings.Contains(err.Error(), "cannot change") {
		t.Errorf("changing the column type: %v", err)
	}
	if names := sh.CFNames(); !reflect.DeepEqual(names, []string{"People"}) {
		t.Errorf("CFNames %v", names)
	}
	run(t, sh, out, "create column family Extra", "drop column family People")
	if names := sh.CFNames(); !reflect.DeepEqual(names, []string{"Extra"}) {
		t.Errorf("CFNames after create/drop %v", names)
	}
	run(t, sh, out, "drop keyspace K")
	if sh.Keyspace() != "" || sh.Prompt() != "[default@unknown] " {
		t.Errorf("after dropping the current keyspace: %q %q", sh.Keyspace(), sh.Prompt())
	}
}

func TestShellErrors(t *testing.T) {
	sh, out := newShell(t)
	ctx := context.Background()
	// Before use.
	if err := sh.Exec(ctx, "get Users['x']"); !errors.Is(err, ErrNoKeyspace) {
		t.Errorf("get before use: %v", err)
	}
	if err := sh.Exec(ctx, "use Missing"); err == nil {
		t.Error("use of a missing keyspace succeeded")
	}
	setupDemo(t, sh, out)
	if err := sh.Exec(ctx, "use Missing"); err == nil || sh.Keyspace() != "Demo" {
		t.Errorf("failed use: %v, keyspace now %q", err, sh.Keyspace())
	}
	run(t, sh, out, "create column family Hits with default_validation_class = CounterColumnType")

	tests := []struct {
		line string
		want string // in FormatLineError's text
	}{
		{"get Users['u1'", "syntax error at column 15: expected \"]\", found end of input\nget Users['u1'\n              ^"},
		{"get Nope['x']", `unknown column family "Nope" in keyspace "Demo"`},
		{"set Users['u1']['age'] = abc", "cannot read abc as LongType"},
		{"set Users['u1']['age'] = 99999999999999999999", "cannot read 99999999999999999999 as LongType: value out of range: " +
			"99999999999999999999 is out of the range of LongType (-9223372036854775808 to 9223372036854775807)"},
		{"set Users['u1']['age'] = abc", "set Users['u1']['age'] = abc\n                         ^"},
		{"set Users['u1']['age'] = 1; set Users['u1']['age'] = x", "                                                     ^"},
		{"create column family Users", `InvalidRequestException: Cannot add already existing table "Users" to keyspace "Demo"`},
		{"create keyspace Demo", "InvalidRequestException:"},
		{"set Hits['k']['c'] = 1", "counter column family: use incr or decr"},
		{"incr Users['k']['c']", "not a counter column family"},
		{"set Users['k']['a']['b'] = 1", "standard column family"},
		{"count Users['k']['c']", "count takes a row"},
		{"get Users['']", "row keys may not be empty"},
		{"create column family X with nonsense = 1", "property nonsense: unknown"},
		{"create column family X with column_type = Weird", "Standard or Super"},
		{"create column family X with comparator = NoSuchType", "NoSuchType"},
		{"create column family X with column_metadata = [{validation_class: LongType}]", "column_name"},
		{"create column family X with column_metadata = [{column_name: a, index_type: FOO}]", "index_type"},
		{"create keyspace Y with strategy_options = 1", "wants a map"},
		{"create keyspace Y with durable_writes = maybe", "true or false"},
		{"describe NoSuchThing", `no column family or keyspace named "NoSuchThing"`},
		{"describe column family Nope", `unknown column family "Nope"`},
		{"drop index on Users(nocolumn)", "not found"},
		{"help frobnicate", "no help"},
		{"connect 127.0.0.1:1", "connect to 127.0.0.1:1"},
	}
	for _, tt := range tests {
		err := sh.Exec(ctx, tt.line)
		if err == nil {
			t.Errorf("%s: no error", tt.line)
			continue
		}
		if msg := FormatLineError(err, tt.line); !strings.Contains(msg, tt.want) {
			t.Errorf("%s:\n%s\nwant it to contain\n%s", tt.line, msg, tt.want)
		}
	}
	// A failed connect keeps the old connection.
	if got := run(t, sh, out, "get Users['nobody']"); got != "Returned 0 results.\n" {
		t.Errorf("after failed connect: %q", got)
	}
	if err := sh.Exec(ctx, "quit"); !errors.Is(err, ErrQuit) {
		t.Errorf("quit: %v", err)
	}
	var ire *cassa.InvalidRequestError
	if err := sh.Exec(ctx, "create column family Users"); !errors.As(err, &ire) {
		t.Errorf("server refusal is not an *InvalidRequestError: %T", err)
	}
}

// A column family that is missing, or dropped behind the shell's back, is
// the typed cassa.UnknownTableError and reads as such, never as a missing
// row ("Value was not found", "Returned 0 results").
func TestShellUnknownColumnFamily(t *testing.T) {
	sh, out := newShell(t)
	setupDemo(t, sh, out)
	run(t, sh, out, "set Users['u1']['age'] = 24", "get Users['u1']")
	other, err := migrate.Connect(context.Background(), pool.Config{Servers: []string{sh.Server()}})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(context.Background())
	if err := other.DropColumnFamily(context.Background(), "Demo", "Users"); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"get Nope['x']", "get Users['u1']", "get Users['u1']['age']", "count Users['u1']", "list Users"} {
		out.Reset()
		err := sh.Exec(context.Background(), line)
		var ut *cassa.UnknownTableError
		if !errors.As(err, &ut) || ut.Keyspace != "Demo" || errors.Is(err, cassa.ErrNotFound) {
			t.Errorf("%s: %v (%T), want a *cassa.UnknownTableError in Demo; printed %q", line, err, err, out.String())
			continue
		}
		if msg := FormatLineError(err, line); !strings.Contains(msg, "unknown column family \""+ut.Table+"\" in keyspace \"Demo\"") {
			t.Errorf("%s: %s", line, msg)
		}
	}
}

// Errors about a huge key or literal stay short: keys go through their
// type and are cut (codec.FormatKey).
func TestShellHugeKeyErrors(t *testing.T) {
	sh, out := newShell(t)
	setupDemo(t, sh, out)
	huge := strings.Repeat("x", 70000)
	for _, line := range []string{
		"set Users['" + huge + "']['name'] = 'v'",
		"set Users['u1']['age'] = '" + huge + "'",
		"del Users['" + huge + "']",
	} {
		err := sh.Exec(context.Background(), line)
		if err == nil {
			t.Errorf("%.40s...: no error", line)
			continue
		}
		msg := FormatError(err)
		if len(msg) > 600 || !strings.Contains(msg, "(70000 bytes)") {
			t.Errorf("%.40s...: error of %d bytes: %.300q", line, len(msg), msg)
		}
		if msg := FormatLineError(err, line); len(msg) > 1000 {
			t.Errorf("%.40s...: error with its line of %d bytes: %.300q", line, len(msg), msg)
		}
	}
	// The caret still points at the problem in a cut line.
	line := "get Users['" + huge + "'] junk"
	msg := FormatLineError(sh.Exec(context.Background(), line), line)
	if lines := strings.Split(msg, "\n"); len(lines) != 3 || len(msg) > 600 ||
		lines[1][strings.Index(lines[2], "^"):][:4] != "junk" {
		t.Errorf("caret in a long line:\n%s", msg)
	}
}

func TestShellAssume(t *testing.T) {
	sh, out := newShell(t)
	run(t, sh, out, "create keyspace K; use K", "create column family Raw",
		"set Raw[long(1)][long(2)] = long(3)", "set Raw[k][0x01] = 0xff")
	got := run(t, sh, out, "get Raw[0x0000000000000001]")
	if !strings.Contains(got, "=> (name=0x0000000000000002, value=0x0000000000000003") {
		t.Errorf("raw bytes before assume:\n%s", got)
	}
	got = run(t, sh, out, "assume Raw keys as long", "assume Raw comparator as LongType", "assume Raw validator as long",
		"get Raw[1]", "set Raw[5][6] = 7", "get Raw[5][6]")
	want := `Assumption for column family 'Raw' added successfully.
Assumption for column family 'Raw' added successfully.
Assumption for column family 'Raw' added successfully.
=> (name=2, value=3, timestamp=T)
Returned 1 results.
Value inserted.
=> (name=6, value=7, timestamp=T)
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// Assumptions survive schema reloads (here: another CF is created).
	if got := run(t, sh, out, "create column family Other", "get Raw[1][2]"); !strings.Contains(got, "=> (name=2, value=3") {
		t.Errorf("after reload:\n%s", got)
	}
	for line, want := range map[string]string{
		"assume Raw sub_comparator as utf8": "not a super column family",
		"assume Raw keys as NoSuchType":     "unknown type",
		"assume Nope keys as utf8":          "unknown column family",
	} {
		if err := sh.Exec(context.Background(), line); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", line, err, want)
		}
	}
	// use forgets them.
	if got := run(t, sh, out, "use K", "get Raw[long(1)]"); !strings.Contains(got, "name=0x0000000000000002") {
		t.Errorf("after use:\n%s", got)
	}
}

func TestShellConnect(t *testing.T) {
	sh, out := newShell(t)
	other := cassatest.Start(t)
	got := run(t, sh, out, "create keyspace Mine", "connect "+other.Addr(), "show keyspaces")
	if !strings.Contains(got, "Connected to: "+other.Addr()) || strings.Contains(got, "Mine\n") {
		t.Errorf("connect:\n%s", got)
	}
	if sh.Server() != other.Addr() || sh.Keyspace() != "" {
		t.Errorf("server %q keyspace %q", sh.Server(), sh.Keyspace())
	}
}

func TestRunScript(t *testing.T) {
	sh, out := newShell(t)
	ctx := context.Background()
	script := "# setup\ncreate keyspace S; use S\n\n-- a comment\ncreate column family C with comparator = UTF8Type\nset C[k][a] = x\nget C[k][zz\nset C[k][b] = y\n"
	var errOut bytes.Buffer
	err := sh.RunScript(ctx, strings.NewReader(script), "setup.cli", true, &errOut)
	var se *ScriptError
	if !errors.As(err, &se) || se.Line != 7 || se.Source != "setup.cli" {
		t.Fatalf("RunScript = %v, want a *ScriptError at setup.cli:7", err)
	}
	// The open bracket carries the statement over to line 8; the error
	// names line 7, where it starts.
	if msg := FormatError(err); !strings.HasPrefix(msg, "setup.cli:7: syntax error at column 13") || !strings.Contains(msg, "get C[k][zz set C[k][b] = y\n            ^") {
		t.Errorf("FormatError:\n%s", msg)
	}
	if strings.Contains(out.String(), "Value inserted.\nValue inserted.") {
		t.Errorf("script went on after the error:\n%s", out.String())
	}

	// Without stopping: every failure is reported, the rest runs.
	out.Reset()
	err = sh.RunScript(ctx, strings.NewReader("bogus\nset C[k][b] = y\nget C[nokey]\nquit\nset C[k][c] = z\n"), "stdin", false, &errOut)
	if !errors.As(err, &se) || se.Line != 1 {
		t.Fatalf("RunScript = %v, want the first failure (line 1)", err)
	}
	if got := out.String(); got != "Value inserted.\nReturned 0 results.\n" {
		t.Errorf("output %q", got)
	}
	if !strings.Contains(errOut.String(), "stdin:1: syntax error") {
		t.Errorf("errors %q", errOut.String())
	}
}

func TestComplete(t *testing.T) {
	sh, out := newShell(t)
	setupDemo(t, sh, out)
	run(t, sh, out, "create column family Events", "create column family UserIndex")
	tests := []struct {
		line      string
		pos       int
		wantHead  string
		wantCands []string
	}{
		{"", 0, "", commandWords},
		{"ge", 2, "", []string{"get "}},
		{"GE", 2, "", []string{"get "}},
		{"d", 1, "", []string{"decr", "del", "describe", "drop"}},
		{"cons", 4, "", []string{"consistencylevel "}},
		{"get Us", 6, "get ", []string{"UserIndex", "Users"}},
		{"get Use", 7, "get ", []string{"UserIndex", "Users"}},
		{"get Users", 9, "get ", []string{"Users "}},
		{"list Ev", 7, "list ", []string{"Events "}},
		{"get Ev['k']", 6, "get ", []string{"Events "}},
		{"use De", 6, "use ", []string{"Demo "}},
		{"describe keyspace sys", 21, "describe keyspace ", []string{"system", "system_auth", "system_distributed", "system_schema", "system_traces"}},
		{"list Users li", 13, "list Users ", []string{"limit "}},
		{"use Demo; get Eve", 17, "use Demo; get ", []string{"Events "}},
		{"get zz", 6, "get ", nil},
	}
	for _, tt := range tests {
		head, cands, tail := sh.Complete(tt.line, tt.pos)
		if head != tt.wantHead || !reflect.DeepEqual(cands, tt.wantCands) || tail != tt.line[tt.pos:] {
			t.Errorf("Complete(%q, %d) = %q %q %q, want %q %q", tt.line, tt.pos, head, cands, tail, tt.wantHead, tt.wantCands)
		}
	}
	// Completion follows schema changes.
	run(t, sh, out, "drop column family Events")
	if _, cands, _ := sh.Complete("get Ev", 6); cands != nil {
		t.Errorf("dropped CF still completes: %q", cands)
	}
	if _, cands, _ := sh.Complete("x", 99); cands != nil {
		t.Errorf("out-of-range pos: %q", cands)
	}
}

// FuzzExec runs arbitrary lines against a live embedded server: whatever
// is typed, the shell answers with output or an error, never a panic.
// Lines that mention connect are skipped so that fuzzing never dials
// anything but the test server.
func FuzzExec(f *testing.F) {
	for _, s := range []string{
		"set Users['u1']['age'] = 24", "get Users['u1']", "list Users limit 2", "count Users[u1]",
		"del Users['u1']['age']", "incr Hits[k][c] by 3", "get Users where age = 24",
		"set Users[k][name] = bytes('ff')", "describe Users", "describe keyspace", "set Super[k][s][c] = 1",
		"get Super[k][s]", "create index on Users(name)", "set Users[k][age] = timeuuid()", "get Users[0x00][0x]",
	} {
		f.Add(s)
	}
	sh, out := newShell(f)
	setupDemo(f, sh, out)
	run(f, sh, out, "create column family Hits with default_validation_class = CounterColumnType",
		"create column family Super with column_type = Super and subcomparator = LongType")
	f.Fuzz(func(t *testing.T, line string) {
		if strings.Contains(strings.ToLower(line), "connect") {
			t.Skip("never dial other addresses")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		out.Reset()
		err := sh.Exec(ctx, line)
		if err != nil {
			_ = FormatLineError(err, line)
		}
		if sh.Server() == "" {
			t.Fatalf("%q disconnected the shell", line)
		}
	})
}
