package difftest

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// The corpus: statements run in order on both servers, in one fresh
// keyspace ({ks} in a statement or message is its name). A step without
// diff must get the same answer from both; a step with diff is a place
// where Cassandra 5.0 answers differently from 3.11 on purpose, and each
// server is held to its version's answer.

// step is one statement (or batch) of the corpus.
type step struct {
	q      string // the statement; with args it is prepared, as gocql does
	args   []any
	page   int  // > 0: read page by page with this page size, each page compared
	serial bool // read at SERIAL consistency
	batch  *batch
	sleep  time.Duration // wait this long before the step (TTLs to expire)
	diff   *versionDiff
	// deviation marks a known deviation of the embedded server from 3.11
	// that is not fixed, and why: the step runs and a difference is
	// logged, not failed.
	deviation string
}

// batch is a BATCH of statements sent as one BATCH message.
type batch struct {
	kind  gocql.BatchType
	items []step
}

// versionDiff is an intended difference between 3.11 and 5.0: the
// Cassandra change that made it, and what each version answers.
type versionDiff struct {
	change string // JIRA id, or the NEWS.txt/CHANGES.txt entry
	v311   outcome
	v50    outcome
}

// outcome is one version's answer to a step: it runs (rows are then not
// compared across versions), or it is refused with a code and message.
type outcome struct {
	runs   bool
	code   int
	msg    string
	prefix bool // msg is the start of the message
}

func runs() outcome { return outcome{runs: true} }
func invalidPrefix(msg string) outcome {
	return outcome{code: 0x2200, msg: msg, prefix: true}
}
func invalid(msg string) outcome     { return outcome{code: 0x2200, msg: msg} }
func syntaxError(msg string) outcome { return outcome{code: 0x2000, msg: msg} }
func configError(msg string) outcome { return outcome{code: 0x2300, msg: msg} }

// label names a step in reports.
func (st *step) label() string {
	if st.batch != nil {
		var qs []string
		for _, it := range st.batch.items {
			qs = append(qs, it.q)
		}
		return "BATCH [" + strings.Join(qs, "; ") + "]"
	}
	s := st.q
	if len(st.args) > 0 {
		s += fmt.Sprintf(" %v", st.args)
	}
	if st.page > 0 {
		s += fmt.Sprintf(" (pages of %d)", st.page)
	}
	if st.serial {
		s += " (SERIAL)"
	}
	return s
}

// writesSystem matches statements that would change the reference node's
// own tables: 3.11 and 5.0 both allow a TRUNCATE or an INSERT on
// system.local, and the node is never the same after.
var writesSystem = regexp.MustCompile(`(?i)^\s*(INSERT\s+INTO|UPDATE|DELETE\b.*\bFROM|TRUNCATE(\s+TABLE)?)\s+"?system`)

// TestCorpus runs the corpus on both servers.
func TestCorpus(t *testing.T) {
	for _, st := range corpus {
		if writesSystem.MatchString(st.q) {
			t.Fatalf("the corpus must not write the reference node's system tables: %s", st.q)
		}
	}
	p := newPair(t)
	if !strings.HasPrefix(p.ref.version, "5.0") {
		t.Logf("the corpus's annotated differences are Cassandra 5.0's; the reference node runs %s", p.ref.version)
	}
	start := time.Now()
	annotated, deviations := 0, 0
	for i := range corpus {
		st := &corpus[i]
		time.Sleep(st.sleep)
		emb, ref := p.emb.run(st), p.ref.run(st)
		if st.diff != nil {
			annotated++
			var bad []string
			v311, v50 := st.diff.v311, st.diff.v50
			v311.msg = strings.ReplaceAll(v311.msg, "{ks}", p.ks)
			v50.msg = strings.ReplaceAll(v50.msg, "{ks}", p.ks)
			for _, d := range v311.check(emb) {
				bad = append(bad, "embedded (3.11): "+d)
			}
			for _, d := range v50.check(ref) {
				bad = append(bad, "reference (5.0): "+d)
			}
			if len(bad) > 0 {
				t.Errorf("step %d: %s\n  (%s)\n  %s\n  embedded:  %s\n  reference: %s",
					i, st.label(), st.diff.change, strings.Join(bad, "\n  "), emb, ref)
			}
			continue
		}
		d := compare(emb, ref)
		switch {
		case st.deviation != "" && d != nil:
			deviations++
			t.Logf("step %d: %s\n  known deviation (%s): differs in %s\n  embedded:  %s\n  reference: %s",
				i, st.label(), st.deviation, strings.Join(d, ", "), emb, ref)
		case st.deviation != "":
			t.Logf("step %d: %s: marked as a known deviation (%s), but the servers agree", i, st.label(), st.deviation)
		case d != nil:
			t.Errorf("step %d: %s\n  differs in %s\n  embedded:  %s\n  reference: %s",
				i, st.label(), strings.Join(d, ", "), emb, ref)
		}
	}
	t.Logf("%d steps, %d of them annotated 3.11/5.0 differences, %d known deviations of the embedded server, in %v",
		len(corpus), annotated, deviations, time.Since(start).Round(time.Millisecond))
}

// The changes behind the corpus's annotated differences, where one change
// explains several steps.
const (
	changeDDL = "CASSANDRA-13426 (4.0): the DDL statements were rewritten as schema transformations " +
		"(cql3/statements/schema), with new messages"
	changeUnknownTable = "4.0: Schema.validateTable and validateKeyspace say \"table %s does not exist\" and " +
		"\"keyspace %s does not exist\" (3.11's ThriftValidation: \"unconfigured table %s\", \"Keyspace %s does not exist\")"
	changeUndefinedColumn = "4.0: TableMetadata.getExistingColumn names the table in \"Undefined column name %s in table %s\""
	changeNativeFunctions = "5.0: the native functions are kept in a hash map (NativeFunctions) under snake_case names " +
		"(CASSANDRA-18037), so a signature list comes in another order and spells cast functions cast_as_int"
	changeJackson = "5.0 parses JSON with a newer Jackson, whose parse errors are worded differently; the message " +
		"starts the same (Json.decodeJson)"
)

// differ annotates a step where 3.11 and 5.0 answer differently on purpose.
func differ(change string, v311, v50 outcome) *versionDiff {
	return &versionDiff{change: change, v311: v311, v50: v50}
}

var corpus = []step{
	// --- Schema.
	{q: "CREATE TABLE kv (k int PRIMARY KEY, v text)"},
	{q: "CREATE TABLE events (p text, c1 int, c2 text, v int, s text static, PRIMARY KEY (p, c1, c2)) WITH CLUSTERING ORDER BY (c1 DESC, c2 ASC)"},
	{q: "CREATE TABLE comp (a int, b text, c int, d int, v text, PRIMARY KEY ((a, b), c, d))"},
	{q: "CREATE TABLE coll (k int PRIMARY KEY, l list<int>, s set<text>, m map<text, int>, fl frozen<list<text>>, fm frozen<map<int, text>>)"},
	{q: "CREATE TYPE addr (street text, zip int)"},
	{q: "CREATE TABLE people (id int PRIMARY KEY, name text, home frozen<addr>, work addr, past list<frozen<addr>>)"},
	{q: "CREATE TABLE hits (k text PRIMARY KEY, n counter, m counter)"},
	{q: "CREATE TABLE typed (k int PRIMARY KEY, a ascii, b bigint, bl blob, bo boolean, d decimal, db double, f float, i inet, ti tinyint, si smallint, t timestamp, dt date, tm time, u uuid, tu timeuuid, vi varint, du duration, tup tuple<int, text>)"},
	{q: "CREATE TABLE lwt (k int PRIMARY KEY, v int, w text, l list<int>)"},
	{q: "CREATE TABLE ts (k int, c int, v int, PRIMARY KEY (k, c))"},
	{q: "CREATE INDEX events_v ON events (v)"},
	{q: "CREATE INDEX ON coll (s)"},
	{q: "CREATE INDEX ON coll (keys(m))"},
	{q: "CREATE INDEX ON coll (m)"},
	{q: "CREATE INDEX ON coll (full(fl))"},
	{q: "CREATE TABLE IF NOT EXISTS kv (k int PRIMARY KEY)"},
	{q: "CREATE INDEX IF NOT EXISTS events_v ON events (v)"},
	{q: "ALTER TABLE kv ADD extra int"},
	{q: "ALTER TABLE kv DROP extra"},
	{q: "ALTER TABLE kv WITH comment = 'key value'"},

	// --- Writes.
	{q: "INSERT INTO kv (k, v) VALUES (1, 'one')"},
	{q: "INSERT INTO kv (k, v) VALUES (?, ?)", args: []any{2, "two"}},
	{q: "INSERT INTO kv (k, v) VALUES (3, 'three') USING TIMESTAMP 1000"},
	{q: "INSERT INTO kv (k, v) VALUES (4, 'four') USING TTL 86400"},
	{q: "INSERT INTO kv (k, v) VALUES (5, null)"},
	{q: "UPDATE kv SET v = 'six' WHERE k = 6"},
	{q: "UPDATE kv USING TIMESTAMP 500 SET v = 'old' WHERE k = 3"},
	{q: "INSERT INTO kv (k, v) VALUES (?, ?)", args: []any{7, nil}},
	{q: "INSERT INTO kv (k, v) VALUES (?, ?)", args: []any{8, gocql.UnsetValue}},
	{q: "UPDATE kv SET v = ? WHERE k IN (9, 10, 11)", args: []any{"many"}},
	{q: "DELETE v FROM kv WHERE k = 11"},
	{q: "DELETE FROM kv WHERE k = 10"},
	{q: "INSERT INTO events (p, c1, c2, v, s) VALUES ('a', 1, 'x', 10, 'sa')"},
	{q: "INSERT INTO events (p, c1, c2, v) VALUES ('a', 1, 'y', 11)"},
	{q: "INSERT INTO events (p, c1, c2, v) VALUES ('a', 2, 'x', 12)"},
	{q: "INSERT INTO events (p, c1, c2, v) VALUES ('a', 3, 'x', 10)"},
	{q: "INSERT INTO events (p, c1, c2, v) VALUES ('a', 3, 'y', 13)"},
	{q: "INSERT INTO events (p, c1, c2, v) VALUES ('b', 1, 'x', 20)"},
	{q: "INSERT INTO events (p, c1, c2, v, s) VALUES ('b', 2, 'z', 10, 'sb')"},
	{q: "INSERT INTO events (p, s) VALUES ('c', 'only static')"},
	{q: "INSERT INTO events (p, c1, c2, v) VALUES ('d', 5, 'q', 50)"},
	{q: "DELETE FROM events WHERE p = 'd' AND c1 = 5"},
	{q: "INSERT INTO comp (a, b, c, d, v) VALUES (1, 'x', 1, 1, 'v11')"},
	{q: "INSERT INTO comp (a, b, c, d, v) VALUES (1, 'x', 1, 2, 'v12')"},
	{q: "INSERT INTO comp (a, b, c, d, v) VALUES (1, 'x', 2, 1, 'v21')"},
	{q: "INSERT INTO comp (a, b, c, d, v) VALUES (1, 'y', 1, 1, 'y11')"},
	{q: "INSERT INTO comp (a, b, c, d, v) VALUES (2, 'x', 1, 1, 'x211')"},
	{q: "DELETE FROM comp WHERE a = 1 AND b = 'x' AND c = 2 AND d > 5"},
	{q: "INSERT INTO ts (k, c, v) VALUES (1, 1, 1) USING TIMESTAMP 10"},
	{q: "INSERT INTO ts (k, c, v) VALUES (1, 2, 2) USING TIMESTAMP 10"},
	{q: "INSERT INTO ts (k, c, v) VALUES (1, 3, 3) USING TIMESTAMP 10"},
	{q: "DELETE FROM ts USING TIMESTAMP 5 WHERE k = 1 AND c = 1"},
	{q: "DELETE FROM ts USING TIMESTAMP 20 WHERE k = 1 AND c = 2"},
	{q: "DELETE FROM ts WHERE k = 1 AND c >= 3 AND c < 10"},

	// --- Reads: restrictions of every kind.
	{q: "SELECT * FROM kv"},
	{q: "SELECT k, v FROM kv WHERE k = 1"},
	{q: "SELECT v AS value, k FROM kv WHERE k = ?", args: []any{2}},
	{q: "SELECT * FROM kv WHERE k IN (3, 1, 2, 3)"},
	{q: "SELECT * FROM kv WHERE k IN ?", args: []any{[]int{6, 9, 100}}},
	{q: "SELECT * FROM kv WHERE k = 100"},
	{q: "SELECT writetime(v) FROM kv WHERE k = 3"},
	{q: "SELECT k, token(k) FROM kv WHERE token(k) > 0"},
	{q: "SELECT k FROM kv WHERE token(k) >= token(2) AND token(k) < 0"},
	{q: "SELECT k FROM kv WHERE token(k) > ? AND token(k) <= ?", args: []any{int64(-5000000000000000000), int64(5000000000000000000)}},
	{q: "SELECT * FROM kv LIMIT 3"},
	{q: "SELECT count(*) FROM kv"},
	{q: "SELECT COUNT(1) AS n FROM kv WHERE k IN (1, 2, 50)"},
	{q: "SELECT * FROM kv WHERE v = 'one' ALLOW FILTERING"},
	{q: "SELECT * FROM kv WHERE v > 'o' ALLOW FILTERING"},
	{q: "SELECT * FROM events"},
	{q: "SELECT * FROM events WHERE p = 'a'"},
	{q: "SELECT * FROM events WHERE p = 'a' AND c1 = 3"},
	{q: "SELECT * FROM events WHERE p = 'a' AND c1 = 3 AND c2 = 'y'"},
	{q: "SELECT * FROM events WHERE p = 'a' AND c1 > 1"},
	{q: "SELECT * FROM events WHERE p = 'a' AND c1 >= 1 AND c1 < 3"},
	{q: "SELECT * FROM events WHERE p = 'a' AND c1 IN (1, 3)"},
	{q: "SELECT c1, c2 FROM events WHERE p = 'a' AND c1 = 1 AND c2 IN ('y', 'x')"},
	{q: "SELECT * FROM events WHERE p = 'a' AND (c1, c2) > (1, 'x')"},
	{q: "SELECT * FROM events WHERE p = 'a' AND (c1, c2) >= (1, 'y') AND (c1, c2) < (3, 'y')"},
	{q: "SELECT * FROM events WHERE p = 'a' AND (c1, c2) IN ((1, 'x'), (3, 'y'))"},
	{q: "SELECT * FROM events WHERE p = 'a' AND (c1, c2) = (2, 'x')"},
	{q: "SELECT * FROM events WHERE p = 'a' ORDER BY c1 ASC"},
	{q: "SELECT * FROM events WHERE p = 'a' ORDER BY c1 ASC, c2 DESC"},
	{q: "SELECT * FROM events WHERE p IN ('a', 'b') ORDER BY c1 ASC"},
	{q: "SELECT * FROM events WHERE p IN ('b', 'a', 'c')"},
	{q: "SELECT * FROM events WHERE v = 10"},
	{q: "SELECT * FROM events WHERE p = 'a' AND v = 10"},
	{q: "SELECT * FROM events WHERE v = 10 AND c1 = 3 ALLOW FILTERING"},
	{q: "SELECT * FROM events WHERE c2 = 'x' ALLOW FILTERING"},
	{q: "SELECT * FROM events WHERE c1 > 1 ALLOW FILTERING"},
	{q: "SELECT * FROM events WHERE s = 'sa' ALLOW FILTERING"},
	{q: "SELECT DISTINCT p FROM events"},
	{q: "SELECT DISTINCT p, s FROM events"},
	{q: "SELECT p, s FROM events WHERE p = 'c'"},
	{q: "SELECT * FROM events PER PARTITION LIMIT 1"},
	{q: "SELECT * FROM events WHERE p IN ('a', 'b') PER PARTITION LIMIT 2 LIMIT 3"},
	{q: "SELECT p, count(*), max(v), min(c2) FROM events GROUP BY p"},
	{q: "SELECT p, c1, count(*) FROM events WHERE p = 'a' GROUP BY c1"},
	{q: "SELECT sum(v), avg(v), count(v) FROM events WHERE p = 'a'"},
	{q: "SELECT max(v) FROM events WHERE p = 'nobody'"},
	{q: "SELECT * FROM comp WHERE a = 1 AND b = 'x'"},
	{q: "SELECT * FROM comp WHERE a = 1 AND b IN ('x', 'y')"},
	{q: "SELECT * FROM comp WHERE a = 1 AND b = 'x' AND c = 1 AND d IN (2, 1)"},
	{q: "SELECT * FROM comp WHERE a = 1 AND b = 'x' AND c IN (1, 2) AND d = 1"},
	{q: "SELECT * FROM comp WHERE a = 1 ALLOW FILTERING"},
	{q: "SELECT * FROM comp WHERE token(a, b) > token(1, 'x')"},
	{q: "SELECT a, b, c, d FROM comp WHERE d = 1 ALLOW FILTERING"},
	{q: "SELECT * FROM ts WHERE k = 1"},

	// --- Paging.
	{q: "SELECT * FROM kv", page: 2},
	{q: "SELECT * FROM kv", page: 3},
	{q: "SELECT * FROM events", page: 2},
	{q: "SELECT * FROM events WHERE p = 'a'", page: 2},
	{q: "SELECT * FROM events WHERE p = 'a'", page: 5},
	{q: "SELECT * FROM events WHERE p = 'a' ORDER BY c1 ASC", page: 2},
	{q: "SELECT * FROM events WHERE p IN ('a', 'b', 'c')", page: 2},
	{q: "SELECT * FROM events WHERE p = 'c'", page: 1},
	{q: "SELECT * FROM events LIMIT 4", page: 3},
	{q: "SELECT * FROM events PER PARTITION LIMIT 2", page: 2},
	{q: "SELECT DISTINCT p FROM events", page: 1},
	{q: "SELECT * FROM events WHERE v = 10", page: 1},
	{q: "SELECT * FROM events WHERE c2 = 'x' ALLOW FILTERING", page: 2},
	{q: "SELECT p, c1, count(*) FROM events GROUP BY p, c1", page: 2},
	{q: "SELECT * FROM kv WHERE k = 1", page: 1},
	{q: "SELECT * FROM comp WHERE a = 1 AND b = 'x'", page: 1},
	{q: "SELECT * FROM events WHERE p IN ('a', 'c')", page: 3},
	{q: "SELECT * FROM events WHERE p IN ('a', 'c')", page: 6},
	{q: "SELECT * FROM events WHERE p IN ('a', 'b') PER PARTITION LIMIT 2", page: 2},
	{q: "SELECT * FROM events WHERE p IN ('b', 'a')", page: 7},
	{q: "SELECT * FROM events WHERE p = 'a' PER PARTITION LIMIT 2", page: 2},
	{q: "SELECT * FROM events WHERE p = 'a' LIMIT 5", page: 5},
	{q: "SELECT * FROM events WHERE p = 'a' LIMIT 6", page: 5},
	{q: "SELECT p, c1, count(*) FROM events WHERE p = 'a' GROUP BY c1", page: 3},
	{q: "SELECT p, c1, count(*) FROM events WHERE p = 'a' GROUP BY c1", page: 1},
	{q: "SELECT p, count(*) FROM events WHERE p IN ('a', 'b') GROUP BY p", page: 2},
	{q: "SELECT p, count(*) FROM events GROUP BY p", page: 1},
	{q: "SELECT k FROM kv WHERE k IN (1, 2, 3)", page: 3},
	{q: "SELECT k FROM kv WHERE k IN (1, 2, 3)", page: 1},
	{q: "SELECT DISTINCT p FROM events WHERE p IN ('a', 'b')", page: 2},

	// --- Collections.
	{q: "INSERT INTO coll (k, l, s, m, fl, fm) VALUES (1, [1, 2, 3], {'b', 'a'}, {'x': 1, 'y': 2}, ['p', 'q'], {2: 'two', 1: 'one'})"},
	{q: "INSERT INTO coll (k, l, s, m) VALUES (2, [], {}, {})"},
	{q: "UPDATE coll SET l = l + [4], s = s + {'c'}, m = m + {'z': 3} WHERE k = 1"},
	{q: "UPDATE coll SET l = [0] + l, s = s - {'a'}, m['x'] = 10 WHERE k = 1"},
	{q: "UPDATE coll SET l[1] = 20 WHERE k = 1"},
	{q: "DELETE l[0], m['y'] FROM coll WHERE k = 1"},
	{q: "UPDATE coll SET l = l - [3] WHERE k = 1"},
	{q: "UPDATE coll SET m = m - {'z'} WHERE k = 1"},
	{q: "UPDATE coll SET l = ?, s = ?, m = ? WHERE k = 3", args: []any{[]int{7, 8}, []string{"q"}, map[string]int{"k": 1}}},
	{q: "SELECT * FROM coll"},
	{q: "SELECT l, s, m FROM coll WHERE k = 1"},
	{q: "SELECT * FROM coll WHERE s CONTAINS 'b'"},
	{q: "SELECT k FROM coll WHERE m CONTAINS KEY 'x'"},
	{q: "SELECT k FROM coll WHERE m CONTAINS 1"},
	{q: "SELECT k FROM coll WHERE fl = ['p', 'q']"},
	{q: "SELECT k FROM coll WHERE m['x'] = 10 ALLOW FILTERING"},
	{q: "SELECT k FROM coll WHERE l CONTAINS 20 ALLOW FILTERING"},
	{q: "UPDATE coll SET l[10] = 1 WHERE k = 1"},
	{q: "UPDATE coll SET fl = fl + ['r'] WHERE k = 1"},
	{q: "INSERT INTO coll (k, s) VALUES (4, {null})"},

	// --- User types and tuples.
	{q: "INSERT INTO people (id, name, home, work, past) VALUES (1, 'ann', {street: 'Main', zip: 1}, {street: 'Mill', zip: 2}, [{street: 'Old', zip: 3}])"},
	{q: "INSERT INTO people (id, name, home) VALUES (2, 'bob', {street: 'Elm'})"},
	{q: "UPDATE people SET work.zip = 99 WHERE id = 1"},
	{q: "UPDATE people SET work = {street: 'New'} WHERE id = 2"},
	{q: "SELECT * FROM people"},
	{q: "SELECT home.street, work.zip FROM people WHERE id = 1"},
	{q: "SELECT id FROM people WHERE home = {street: 'Main', zip: 1} ALLOW FILTERING"},
	{q: "INSERT INTO people (id, home) VALUES (3, {street: 'x', nope: 1})"},
	{q: "ALTER TYPE addr ADD city text"},
	{q: "SELECT * FROM people WHERE id = 1"},
	{q: `INSERT INTO people JSON '{"id": 4, "home": {"street": "json"}}'`},
	{q: "SELECT home FROM people WHERE id = 4"},
	{q: "INSERT INTO people (id, home) VALUES (5, ?)", args: []any{map[string]any{"zip": 9}}},
	{q: "SELECT home FROM people WHERE id = 5"},
	{q: "INSERT INTO typed (k, tup) VALUES (1, (1, 'a'))"},
	{q: "INSERT INTO typed (k, tup) VALUES (2, (2, null))"},
	{q: "SELECT k, tup FROM typed WHERE k IN (1, 2)"},

	// --- Types and functions.
	{q: "INSERT INTO typed (k, a, b, bl, bo, d, db, f, i, ti, si, t, dt, tm, u, tu, vi, du) VALUES (3, 'ascii', 9223372036854775807, 0xcafe, true, 1.25, 2.5, 0.5, '127.0.0.1', 7, 300, '2024-01-02 03:04:05+0000', '2024-01-02', '03:04:05.123456789', 6ba7b810-9dad-11d1-80b4-00c04fd430c8, 50554d6e-29bb-11e5-b345-feff819cdc9f, 123456789012345678901234567890, 1h30m)"},
	{q: "SELECT * FROM typed WHERE k = 3"},
	{q: "SELECT blobAsText(bl), textAsBlob('hi'), intAsBlob(1), bigintAsBlob(b) FROM typed WHERE k = 3"},
	{q: "SELECT toDate(t), toTimestamp(dt), toUnixTimestamp(t) FROM typed WHERE k = 3"},
	{q: "SELECT dateOf(tu), unixTimestampOf(tu) FROM typed WHERE k = 3", diff: differ(
		"CASSANDRA-18328 (5.0): the deprecated functions dateOf and unixTimestampOf were removed",
		runs(), invalid("Unknown function 'dateof'"))},
	{q: "SELECT CAST(ti AS int), CAST(d AS text), CAST(b AS double), CAST(f AS varint) FROM typed WHERE k = 3"},
	{q: "SELECT minTimeuuid('2013-01-01 00:05+0000') < tu FROM typed WHERE k = 3"},
	{q: "SELECT k FROM typed WHERE k = 3 AND du = 1h30m ALLOW FILTERING"},
	{q: "INSERT INTO typed (k, ti) VALUES (4, 300)"},
	{q: "INSERT INTO typed (k, t) VALUES (4, 'not a date')", diff: differ(
		"5.0: TimestampSerializer parses with java.time and says \"Unable to parse a date/time from '%s'\"",
		invalid("Unable to coerce 'not a date' to a formatted date (long)"), invalid("Unable to parse a date/time from 'not a date'"))},
	{q: "INSERT INTO typed (k, i) VALUES (4, '999.1.1.1')"},
	{q: "INSERT INTO typed (k, u) VALUES (4, 50554d6e-29bb-11e5-b345-feff819cdc9f)"},
	{q: "INSERT INTO typed (k, tu) VALUES (4, 6ba7b810-9dad-41d1-80b4-00c04fd430c8)"},

	// --- JSON.
	{q: "SELECT JSON * FROM kv WHERE k = 1"},
	{q: "SELECT JSON k, v AS value FROM kv WHERE k IN (1, 2)"},
	{q: "SELECT toJson(l), toJson(m), toJson(s) FROM coll WHERE k = 1"},
	{q: "SELECT JSON * FROM people WHERE id = 1"},
	{q: "SELECT JSON k, b, bl, bo, d, db, f, i, ti, si, dt, tm, u, vi, du, tup FROM typed WHERE k = 3"},
	{q: `INSERT INTO kv JSON '{"k": 20, "v": "json"}'`},
	{q: `INSERT INTO kv JSON '{"k": 20}' DEFAULT UNSET`},
	{q: `INSERT INTO kv JSON '{"k": 21}'`},
	{q: "SELECT * FROM kv WHERE k IN (20, 21)"},
	{q: `INSERT INTO coll JSON '{"k": 5, "l": [1, 2], "m": {"a": 1}}'`},
	{q: "SELECT l, m FROM coll WHERE k = 5"},
	{q: "INSERT INTO kv (k, v) VALUES (22, fromJson('\"from json\"'))"},
	{q: "SELECT v FROM kv WHERE k = 22"},
	{q: `INSERT INTO kv JSON '{"k": "x"}'`},
	{q: `INSERT INTO kv JSON '{"k": 23, "nope": 1}'`},
	{q: `INSERT INTO kv JSON 'not json'`, diff: differ(changeJackson,
		invalidPrefix("Could not decode JSON string as a map: "), invalidPrefix("Could not decode JSON string as a map: "))},

	// --- Counters.
	{q: "UPDATE hits SET n = n + 1 WHERE k = 'a'"},
	{q: "UPDATE hits SET n = n + 5, m = m - 2 WHERE k = 'a'"},
	{q: "UPDATE hits SET n = n - 1 WHERE k IN ('b', 'c')"},
	{q: "SELECT * FROM hits"},
	{q: "SELECT sum(n) FROM hits"},
	{q: "UPDATE hits SET n = 3 WHERE k = 'a'"},
	{q: "INSERT INTO hits (k, n) VALUES ('d', 1)"},
	{q: "UPDATE hits USING TTL 10 SET n = n + 1 WHERE k = 'a'"},
	{q: "DELETE FROM hits WHERE k = 'c'"},
	{q: "SELECT * FROM hits WHERE k = 'c'"},

	// --- Lightweight transactions.
	{q: "INSERT INTO lwt (k, v, w) VALUES (1, 1, 'a') IF NOT EXISTS"},
	{q: "INSERT INTO lwt (k, v, w) VALUES (1, 2, 'b') IF NOT EXISTS"},
	{q: "UPDATE lwt SET v = 3 WHERE k = 1 IF v = 1"},
	{q: "UPDATE lwt SET v = 4 WHERE k = 1 IF v = 1"},
	{q: "UPDATE lwt SET v = 5 WHERE k = 1 IF v > 2 AND w = 'a'"},
	{q: "UPDATE lwt SET v = 6 WHERE k = 1 IF w IN ('x', 'y')"},
	{q: "UPDATE lwt SET v = 7 WHERE k = 2 IF EXISTS"},
	{q: "UPDATE lwt SET v = 7 WHERE k = 1 IF EXISTS"},
	{q: "UPDATE lwt SET l = [1] WHERE k = 1 IF l = null"},
	{q: "UPDATE lwt SET v = 8 WHERE k = 1 IF l[0] = 1"},
	{q: "UPDATE lwt SET v = 9 WHERE k = 1 IF w != 'a'"},
	{q: "DELETE FROM lwt WHERE k = 1 IF v = 100"},
	{q: "DELETE w FROM lwt WHERE k = 1 IF v = 8"},
	{q: "SELECT * FROM lwt WHERE k = 1", serial: true},
	{q: "DELETE FROM lwt WHERE k = 1 IF EXISTS"},
	{q: "DELETE FROM lwt WHERE k = 1 IF EXISTS"},
	{q: "INSERT INTO lwt (k, v) VALUES (?, ?) IF NOT EXISTS", args: []any{3, 3}},
	{q: "UPDATE lwt SET v = ? WHERE k = ? IF v = ?", args: []any{4, 3, 3}},
	{q: "SELECT * FROM lwt"},

	// --- Batches.
	{batch: &batch{kind: gocql.LoggedBatch, items: []step{
		{q: "INSERT INTO kv (k, v) VALUES (30, 'b30')"},
		{q: "INSERT INTO kv (k, v) VALUES (?, ?)", args: []any{31, "b31"}},
		{q: "UPDATE events SET v = 99 WHERE p = 'b' AND c1 = 1 AND c2 = 'x'"},
	}}},
	{batch: &batch{kind: gocql.UnloggedBatch, items: []step{
		{q: "INSERT INTO kv (k, v) VALUES (32, 'b32')"},
		{q: "DELETE FROM kv WHERE k = 30"},
	}}},
	{batch: &batch{kind: gocql.CounterBatch, items: []step{
		{q: "UPDATE hits SET n = n + 10 WHERE k = 'a'"},
		{q: "UPDATE hits SET m = m + 1 WHERE k = 'e'"},
	}}},
	{batch: &batch{kind: gocql.LoggedBatch, items: []step{
		{q: "INSERT INTO lwt (k, v) VALUES (10, 1) IF NOT EXISTS"},
		{q: "UPDATE lwt SET w = 'x' WHERE k = 10"},
	}}},
	{batch: &batch{kind: gocql.LoggedBatch, items: []step{
		{q: "INSERT INTO lwt (k, v) VALUES (10, 2) IF NOT EXISTS"},
		{q: "UPDATE lwt SET w = 'y' WHERE k = 10 IF v = 5"},
	}}},
	{batch: &batch{kind: gocql.LoggedBatch, items: []step{
		{q: "UPDATE lwt SET w = 'z' WHERE k = 10 IF v = 1"},
		{q: "UPDATE lwt SET w = 'w' WHERE k = 11 IF v = 1"},
	}}},
	{batch: &batch{kind: gocql.LoggedBatch, items: []step{
		{q: "UPDATE hits SET n = n + 1 WHERE k = 'a'"},
	}}},
	{batch: &batch{kind: gocql.CounterBatch, items: []step{
		{q: "INSERT INTO kv (k, v) VALUES (33, 'x')"},
	}}},
	{q: "SELECT * FROM kv WHERE k IN (30, 31, 32)"},
	{q: "SELECT * FROM hits WHERE k IN ('a', 'e')"},
	{q: "SELECT * FROM lwt WHERE k = 10"},
	{q: "BEGIN BATCH INSERT INTO kv (k, v) VALUES (34, 'q'); DELETE FROM kv WHERE k = 34; APPLY BATCH"},
	{q: "BEGIN UNLOGGED BATCH USING TIMESTAMP 100 INSERT INTO kv (k, v) VALUES (35, 'q'); APPLY BATCH"},
	{q: "SELECT k, v, writetime(v) FROM kv WHERE k IN (34, 35)"},

	// --- Deliberate mistakes.
	{q: "SELEC * FROM kv"},
	{q: "SELECT * FROM kv WHERE"},
	{q: "SELECT * FROM nosuch", diff: differ(changeUnknownTable,
		invalid("unconfigured table nosuch"), invalid("table nosuch does not exist"))},
	{q: "SELECT * FROM nosuchks.kv", diff: differ(changeUnknownTable,
		invalid("Keyspace nosuchks does not exist"), invalid("keyspace nosuchks does not exist"))},
	{q: "SELECT nope FROM kv", diff: differ(changeUndefinedColumn,
		invalid("Undefined column name nope"), invalid("Undefined column name nope in table {ks}.kv"))},
	{q: "SELECT * FROM kv WHERE nope = 1", diff: differ(changeUndefinedColumn,
		invalid("Undefined column name nope"), invalid("Undefined column name nope in table {ks}.kv"))},
	{q: "SELECT * FROM kv WHERE k = 'text'"},
	{q: "SELECT * FROM kv WHERE v = 'x'"},
	{q: "SELECT * FROM events WHERE c1 = 1"},
	{q: "SELECT * FROM events WHERE p = 'a' AND c2 = 'x'"},
	{q: "SELECT * FROM events WHERE p = 'a' AND c1 > 1 AND c2 = 'x'"},
	{q: "SELECT * FROM events WHERE p = 'a' ORDER BY c2", diff: differ(
		"4.0: SelectStatement.RawStatement's message says \"supports\" (3.11: \"support\")",
		invalid("Order by currently only support the ordering of columns following their declared order in the PRIMARY KEY"),
		invalid("Order by currently only supports the ordering of columns following their declared order in the PRIMARY KEY"))},
	{q: "SELECT * FROM events ORDER BY c1"},
	{q: "SELECT * FROM events WHERE p IN ('a', 'b') ORDER BY c1", page: 2},
	{q: "SELECT * FROM events WHERE p = 'a' AND c1 = 1 AND c1 = 2"},
	{q: "SELECT * FROM events WHERE p = 'a' AND c1 > 1 AND c1 > 2"},
	{q: "SELECT * FROM events WHERE p = 'a' LIMIT 0"},
	{q: "SELECT * FROM events WHERE p = 'a' LIMIT -1"},
	{q: "SELECT * FROM events WHERE p = 'a' PER PARTITION LIMIT 0"},
	{q: "SELECT DISTINCT c1 FROM events"},
	{q: "SELECT DISTINCT p FROM events WHERE c1 = 1"},
	{q: "SELECT * FROM comp WHERE a = 1"},
	{q: "SELECT * FROM comp WHERE b = 'x'"},
	{q: "SELECT * FROM comp WHERE a = 1 AND b = 'x' AND d = 1"},
	{q: "SELECT * FROM comp WHERE token(a) > 0"},
	{q: "SELECT * FROM coll WHERE l CONTAINS 1"},
	{q: "SELECT * FROM coll WHERE k CONTAINS 1"},
	{q: "SELECT * FROM coll WHERE s = {'a'} ALLOW FILTERING"},
	{q: "SELECT * FROM coll WHERE m CONTAINS KEY 1"},
	{q: "SELECT * FROM people WHERE work = {street: 'x'} ALLOW FILTERING"},
	{q: "SELECT * FROM typed WHERE du > 1h ALLOW FILTERING"},
	{q: "SELECT writetime(k) FROM kv", diff: differ(
		"CASSANDRA-8877 (5.0): Selectable.WritetimeOrTTL reworked for collections, the function named as written",
		invalid("Cannot use selection function writeTime on PRIMARY KEY part k"),
		invalid("Cannot use selection function writetime on PRIMARY KEY part k"))},
	{q: "SELECT ttl(l) FROM coll", diff: differ(
		"CASSANDRA-8877 (5.0): writetime() and ttl() of the elements of collections and UDTs",
		invalid("Cannot use selection function ttl on collections"), runs())},
	{q: "SELECT count(*), v FROM kv"},
	{q: "SELECT max(v), k FROM kv WHERE k = 1"},
	{q: "SELECT * FROM events GROUP BY c1"},
	{q: "SELECT sum(c2) FROM events", diff: differ(
		changeNativeFunctions,
		invalid("Invalid call to function sum, none of its type signatures match (known type signatures: "+
			"system.sum : (tinyint) -> tinyint, system.sum : (smallint) -> smallint, system.sum : (int) -> int, "+
			"system.sum : (bigint) -> bigint, system.sum : (float) -> float, system.sum : (double) -> double, "+
			"system.sum : (decimal) -> decimal, system.sum : (varint) -> varint, system.sum : (counter) -> counter)"),
		invalidPrefix("Invalid call to function sum, none of its type signatures match (known type signatures: "))},
	{q: "SELECT nosuchfunction(v) FROM kv"},
	{q: "SELECT blobAsInt(v) FROM kv"},
	{q: "INSERT INTO kv (v) VALUES ('no key')"},
	{q: "INSERT INTO kv (k, v) VALUES (1)"},
	{q: "INSERT INTO kv (k, k) VALUES (1, 1)"},
	{q: "INSERT INTO kv (k, v) VALUES (null, 'x')"},
	{q: "INSERT INTO kv (k, v) VALUES (?, ?)", args: []any{nil, "x"}},
	{q: "INSERT INTO kv (k, nope) VALUES (1, 1)", diff: differ(changeUndefinedColumn,
		invalid("Undefined column name nope"), invalid("Undefined column name nope in table {ks}.kv"))},
	{q: "INSERT INTO kv (k, v) VALUES (1, 2)"},
	{q: "INSERT INTO events (p, c1, v) VALUES ('a', 1, 1)"},
	{q: "UPDATE kv SET k = 2 WHERE k = 1"},
	{q: "UPDATE kv SET v = 'x'"},
	{q: "UPDATE events SET v = 1 WHERE p = 'a' AND c1 = 1"},
	{q: "UPDATE events SET v = 1 WHERE p = 'a' AND c1 > 1 AND c2 = 'x'"},
	{q: "UPDATE events SET s = 'x' WHERE p = 'a' AND c1 = 1"},
	{q: "DELETE FROM events WHERE p = 'a' AND c2 = 'x'"},
	{q: "DELETE FROM kv WHERE v = 'x'"},
	{q: "DELETE FROM kv WHERE k > 1"},
	{q: "UPDATE kv USING TTL -1 SET v = 'x' WHERE k = 1"},
	{q: "UPDATE kv USING TTL 999999999 SET v = 'x' WHERE k = 1"},
	{q: "UPDATE kv USING TIMESTAMP 1 AND TIMESTAMP 2 SET v = 'x' WHERE k = 1"},
	{q: "UPDATE coll SET l[0] = 1 WHERE k = 99"},
	{q: "UPDATE coll SET s[0] = 'x' WHERE k = 1"},
	{q: "UPDATE coll SET l = l + {1} WHERE k = 1"},
	{q: "UPDATE hits SET n = n + 'x' WHERE k = 'a'"},
	{q: "UPDATE hits SET n = n + 1 WHERE k = 'a' IF n = 1"},
	{q: "INSERT INTO lwt (k, v) VALUES (1, 1) IF NOT EXISTS USING TTL 10"},
	{q: "UPDATE lwt SET v = 1 WHERE k IN (1, 2) IF v = 1"},
	{q: "UPDATE lwt USING TIMESTAMP 5 SET v = 1 WHERE k = 1 IF v = 1"},
	{q: "UPDATE lwt SET v = 1 WHERE k = 1 IF EXISTS AND v = 1"},
	{q: "DELETE FROM lwt WHERE k = 1 IF NOT EXISTS"},
	{q: "SELECT * FROM lwt WHERE k IN (1, 2)", serial: true},
	{q: "CREATE TABLE kv (k int PRIMARY KEY)"},
	{q: "CREATE TABLE bad1 (k int, v int)", diff: differ(changeDDL,
		invalid("No PRIMARY KEY specifed (exactly one required)"),
		invalid("No PRIMARY KEY specifed for table 'bad1' (exactly one required)"))},
	{q: "CREATE TABLE bad2 (k int PRIMARY KEY, k int)", diff: differ(changeDDL,
		invalid("Multiple definition of identifier k"), invalid("Duplicate column 'k' declaration for table 'bad2'"))},
	{q: "CREATE TABLE bad3 (k int PRIMARY KEY, v nosuchtype)"},
	{q: "CREATE TABLE bad4 (k list<int> PRIMARY KEY)", diff: differ(changeDDL,
		invalid("Invalid non-frozen collection type for PRIMARY KEY component k"),
		invalid("Invalid non-frozen collection type list<int> for PRIMARY KEY column 'k'"))},
	{q: "CREATE TABLE bad5 (k int PRIMARY KEY, c counter, v int)"},
	{q: "CREATE TABLE bad6 (k int, c int, PRIMARY KEY (k)) WITH CLUSTERING ORDER BY (c DESC)", diff: differ(changeDDL,
		invalid("Only clustering key columns can be defined in CLUSTERING ORDER directive"),
		invalid("Only clustering key columns can be defined in CLUSTERING ORDER directive: [c] are not clustering columns"))},
	{q: "CREATE TABLE bad7 (k int PRIMARY KEY) WITH nope = 1"},
	{q: "CREATE INDEX ON kv (k)", diff: differ(changeDDL,
		invalid("Cannot create secondary index on partition key column k"),
		invalid("Cannot create secondary index on the only partition key column k"))},
	{q: "CREATE INDEX ON kv (nope)", diff: differ(changeUndefinedColumn,
		invalid("Undefined column name nope"), invalid("Undefined column name nope in table {ks}.kv"))},
	{q: "CREATE INDEX ON coll (fl)", diff: differ(changeDDL,
		invalid("Cannot create () index on frozen column fl. Frozen collections only support full() indexes"),
		invalid("Cannot create values() index on frozen column fl. Frozen collections are immutable and must be fully indexed by using the 'full(fl)' modifier"))},
	{q: "CREATE INDEX ON hits (n)", diff: differ(changeDDL,
		invalid("Secondary indexes are not supported on counter tables"), invalid("Secondary indexes on counter tables aren't supported"))},
	{q: "CREATE INDEX events_v ON events (s)", diff: differ(changeDDL,
		invalid("Index events_v already exists"), invalid("Index 'events_v' already exists"))},
	{q: "ALTER TABLE kv ADD v int", diff: differ(changeDDL,
		invalid("Invalid column name v because it conflicts with an existing column"), invalid("Column with name 'v' already exists"))},
	{q: "ALTER TABLE kv DROP k", diff: differ(changeDDL,
		invalid("Cannot drop PRIMARY KEY part k"), invalid("Cannot drop PRIMARY KEY column k"))},
	{q: "ALTER TABLE nosuch ADD x int", diff: differ(changeDDL,
		invalid("unconfigured table nosuch"), invalid("Table '{ks}.nosuch' doesn't exist"))},
	{q: "DROP TABLE nosuch", diff: differ(changeDDL,
		invalid("unconfigured table nosuch"), invalid("Table '{ks}.nosuch' doesn't exist"))},
	{q: "DROP TABLE IF EXISTS nosuch"},
	{q: "DROP INDEX nosuch", diff: differ(changeDDL,
		invalid("Index 'nosuch' could not be found in any of the tables of keyspace '{ks}'"), invalid("Index '{ks}.nosuch' doesn't exist'"))},
	{q: "DROP TYPE addr", diff: differ(changeDDL,
		invalid("Cannot drop user type {ks}.addr as it is still used by table {ks}.people"),
		invalid("Cannot drop user type '{ks}.addr' as it is still used by tables people"))},
	{q: "CREATE KEYSPACE {ks} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"},
	{q: "CREATE KEYSPACE {ks}_x WITH replication = {'class': 'SimpleStrategy'}", diff: differ(
		"CASSANDRA-14557 (4.1): default_keyspace_rf gives SimpleStrategy its replication factor",
		configError("SimpleStrategy requires a replication_factor strategy option."), runs())},
	{q: "DROP KEYSPACE IF EXISTS {ks}_x"},
	{q: "CREATE KEYSPACE {ks}_x WITH replication = {'class': 'NoSuchStrategy', 'replication_factor': 1}"},
	{q: "TRUNCATE nosuch", diff: differ(changeUnknownTable,
		invalid("unconfigured table nosuch"), invalid("table nosuch does not exist"))},

	// --- Static columns, reversed clustering, range deletions.
	{q: "CREATE TABLE st (p int, c int, s int static, s2 text static, v text, PRIMARY KEY (p, c)) WITH CLUSTERING ORDER BY (c DESC)"},
	{q: "INSERT INTO st (p, s) VALUES (1, 10)"},
	{q: "INSERT INTO st (p, c, v) VALUES (1, 1, 'a')"},
	{q: "INSERT INTO st (p, c, v, s2) VALUES (1, 2, 'b', 'two')"},
	{q: "UPDATE st SET s = 11 WHERE p = 2"},
	{q: "INSERT INTO st (p, c, v) VALUES (3, 1, 'x')"},
	{q: "INSERT INTO st (p, c, v) VALUES (3, 2, 'y')"},
	{q: "INSERT INTO st (p, c, v) VALUES (3, 3, 'z')"},
	{q: "SELECT * FROM st"},
	{q: "SELECT p, s FROM st"},
	{q: "SELECT DISTINCT p, s, s2 FROM st"},
	{q: "SELECT * FROM st WHERE p = 1 AND c = 1"},
	{q: "SELECT s, v FROM st WHERE p = 2"},
	{q: "SELECT * FROM st WHERE p = 3 AND c > 1"},
	{q: "SELECT * FROM st WHERE p = 3 AND c > 1 ORDER BY c ASC"},
	{q: "SELECT * FROM st WHERE p IN (1, 2, 3) AND c = 1"},
	{q: "DELETE s FROM st WHERE p = 1"},
	{q: "DELETE FROM st WHERE p = 3 AND c > 1 AND c <= 3"},
	{q: "SELECT * FROM st WHERE p IN (1, 3)"},
	{q: "DELETE FROM st WHERE p = 2"},
	{q: "SELECT * FROM st WHERE p = 2"},
	{q: "UPDATE st SET s = 1 WHERE p = 4 AND c = 1"},
	{q: "DELETE s FROM st WHERE p = 1 AND c = 1"},
	{q: "SELECT * FROM st WHERE s = 10 ALLOW FILTERING"},
	{q: "INSERT INTO st (p, c, v) VALUES (5, 1, 'e') USING TTL 1"},
	{q: "INSERT INTO st (p, s) VALUES (5, 50) USING TTL 1"},

	// --- Secondary indexes of other kinds.
	{q: "CREATE TABLE ix (a int, b int, c int, d int, s int static, v int, PRIMARY KEY ((a, b), c, d))"},
	{q: "CREATE INDEX ON ix (c)"},
	{q: "CREATE INDEX ON ix (d)"},
	{q: "CREATE INDEX ON ix (a)"},
	{q: "CREATE INDEX ON ix (s)"},
	{q: "INSERT INTO ix (a, b, c, d, s, v) VALUES (1, 1, 1, 1, 7, 1)"},
	{q: "INSERT INTO ix (a, b, c, d, v) VALUES (1, 1, 2, 1, 2)"},
	{q: "INSERT INTO ix (a, b, c, d, s, v) VALUES (1, 2, 1, 2, 8, 3)"},
	{q: "INSERT INTO ix (a, b, c, d, v) VALUES (2, 1, 1, 1, 4)"},
	{q: "SELECT * FROM ix WHERE c = 1"},
	{q: "SELECT * FROM ix WHERE d = 1"},
	{q: "SELECT * FROM ix WHERE a = 1"},
	{q: "SELECT * FROM ix WHERE s = 7"},
	{q: "SELECT * FROM ix WHERE a = 1 AND b = 1 AND d = 1"},
	{q: "SELECT * FROM ix WHERE c = 1 AND v > 1 ALLOW FILTERING"},
	{q: "SELECT * FROM ix WHERE c = 1 AND d = 1"},
	{q: "SELECT * FROM ix WHERE c = 1 LIMIT 2"},
	{q: "SELECT * FROM ix WHERE c = 1", page: 2},
	{q: "SELECT * FROM ix WHERE c IN (1, 2)"},
	{q: "SELECT * FROM ix WHERE c > 1"},
	{q: "SELECT count(*) FROM ix WHERE c = 1"},

	// --- Expiry.
	{q: "INSERT INTO kv (k, v) VALUES (40, 'short') USING TTL 1"},
	{q: "UPDATE coll USING TTL 1 SET l = l + [9] WHERE k = 2"},
	{q: "INSERT INTO kv (k, v) VALUES (41, 'zero') USING TTL 0"},
	{q: "SELECT k, v FROM kv WHERE k IN (40, 41)"},
	{q: "SELECT k FROM kv WHERE k = 40", sleep: 2100 * time.Millisecond},
	{q: "SELECT l FROM coll WHERE k = 2"},
	{q: "SELECT * FROM st WHERE p = 5"},

	// --- Functions, casts and aggregates over types.
	{q: "INSERT INTO typed (k, b, d, db, f, vi, ti, si, dt) VALUES (10, 1, 1.5, 1.5, 1.5, 10, 1, 1, '1970-01-01') USING TIMESTAMP 123"},
	{q: "INSERT INTO typed (k, b, d, db, f, vi, ti, si, dt) VALUES (11, 2, 2.25, -1e10, 3.5, -5, 127, 32767, '-5877641-06-23')"},
	{q: "INSERT INTO typed (k, b, d, db, f, vi, ti, si, dt) VALUES (12, 3, 0.001, 1.0E-5, 0.1, 0, -128, -32768, '2000-02-29')"},
	{q: "CREATE TABLE dates (k int PRIMARY KEY, d date)"},
	{q: "INSERT INTO dates (k, d) VALUES (1, '5881580-07-11')", diff: differ(
		"4.0+: SimpleDateSerializer parses with java.time instead of Joda-Time, and java.time wants a sign before a year of more than four digits",
		runs(), invalid("Unable to coerce '5881580-07-11' to a formatted date (long)"))},
	{q: "INSERT INTO dates (k, d) VALUES (2, '-5877641-06-23')"},
	{q: "SELECT * FROM dates WHERE k = 2"},
	{q: "SELECT sum(b), avg(b), sum(d), avg(d), sum(db), avg(f), sum(vi), avg(vi), sum(ti), sum(si) FROM typed WHERE k IN (10, 11, 12)"},
	{q: "SELECT min(dt), max(dt), min(d), max(db), min(ti), max(si) FROM typed WHERE k IN (10, 11, 12)"},
	{q: "SELECT count(b), count(tup), count(*) FROM typed"},
	{q: "SELECT CAST(b AS text), CAST(d AS double), CAST(db AS decimal), CAST(f AS bigint), CAST(vi AS int), CAST(dt AS text) FROM typed WHERE k = 11"},
	{q: "SELECT CAST(db AS text), CAST(f AS text) FROM typed WHERE k IN (10, 11, 12)"},
	{q: "SELECT toJson(db), toJson(f), toJson(d), toJson(dt), toJson(ti) FROM typed WHERE k IN (10, 11, 12)"},
	{q: "SELECT typeAsBlob(k) FROM typed WHERE k = 10"},
	{q: "SELECT intAsBlob(k), blobAsInt(intAsBlob(k)), varcharAsBlob('x'), blobAsVarchar(0x41) FROM typed WHERE k = 10"},
	{q: "SELECT token(k), k FROM typed WHERE k IN (10, 11)"},
	{q: "SELECT writetime(b), writetime(d) FROM typed WHERE k = 10 AND b = 1 ALLOW FILTERING"},
	{q: "SELECT k, ttl(b) FROM typed WHERE k = 10"},
	{q: "SELECT avg(k) FROM typed WHERE k IN (10, 11)"},
	{q: "SELECT sum(ti) FROM typed WHERE k IN (11, 11, 10)"},
	{q: "SELECT max(k) AS m, min(k) FROM typed"},
	{q: "SELECT blobAsBigint(0x01) FROM typed WHERE k = 10"},
	{q: "SELECT blobAsInt(bl) FROM typed WHERE k = 3"},
	{q: "SELECT CAST(bl AS int) FROM typed WHERE k = 3", diff: differ(changeNativeFunctions,
		invalid("Invalid call to function system.castAsInt, none of its type signatures match (known type signatures: "+
			"system.castAsInt : (tinyint) -> int, system.castAsInt : (smallint) -> int, system.castAsInt : (bigint) -> int, "+
			"system.castAsInt : (float) -> int, system.castAsInt : (double) -> int, system.castAsInt : (decimal) -> int, "+
			"system.castAsInt : (counter) -> int, system.castAsInt : (varint) -> int)"),
		invalidPrefix("Invalid call to function system.cast_as_int, none of its type signatures match (known type signatures: "))},
	{q: "SELECT CAST(bl AS uuid) FROM typed WHERE k = 3"},
	{q: "SELECT CAST(u AS timeuuid) FROM typed WHERE k = 3"},
	{q: "SELECT fromJson('1') FROM typed WHERE k = 10", diff: differ(
		"5.0: FunctionResolver names the function as resolved, in lower case (3.11 spelled \"fromJson()\")",
		invalid("fromJson() cannot be used in the selection clause of a SELECT statement"),
		invalid("fromjson() cannot be used in the selection clause of a SELECT statement"))},
	{q: "SELECT toJson(k), toJson(toJson(k)) FROM typed WHERE k = 10"},
	{q: "SELECT k, k FROM typed WHERE k = 10"},
	{q: "SELECT k AS a, b AS a FROM typed WHERE k = 10"},
	{q: "SELECT \"k\" FROM typed WHERE \"k\" = 10"},
	{q: "SELECT K FROM TYPED WHERE K = 10"},
	{q: "SELECT \"K\" FROM typed", diff: differ(changeUndefinedColumn,
		invalid("Undefined column name \"K\""), invalid("Undefined column name \"K\" in table {ks}.typed"))},

	// --- Bind markers.
	{q: "SELECT * FROM kv WHERE k = :key", args: []any{1}},
	{q: "SELECT * FROM kv WHERE k IN (?, ?) LIMIT ?", args: []any{1, 2, 1}},
	{q: "SELECT * FROM kv WHERE token(k) > token(?)", args: []any{3}},
	{q: "SELECT * FROM events WHERE p = ? AND (c1, c2) > (?, ?)", args: []any{"a", 1, "x"}},
	{q: "SELECT * FROM events WHERE p = ? AND (c1, c2) IN ?", args: []any{"a", [][]any{{1, "x"}, {3, "y"}}}},
	{q: "UPDATE kv USING TTL ? AND TIMESTAMP ? SET v = ? WHERE k = ?", args: []any{0, int64(7777), "bound", 42}},
	{q: "SELECT v, writetime(v) FROM kv WHERE k = ?", args: []any{42}},
	{q: "INSERT INTO kv (k, v) VALUES (?, ?) USING TTL ?", args: []any{43, "t", -5}},
	{q: "SELECT * FROM kv WHERE k = ? LIMIT ?", args: []any{1, 0}},
	{q: "UPDATE coll SET m[?] = ? WHERE k = ?", args: []any{"bound", 5, 1}},
	{q: "UPDATE coll SET l[?] = ? WHERE k = ?", args: []any{0, 5, 1}},
	{q: "SELECT m FROM coll WHERE k = 1"},
	{q: "UPDATE coll SET m = m + ? WHERE k = ?", args: []any{map[string]int{"z2": 2}, 1}},
	{q: "UPDATE coll SET s = s - ? WHERE k = ?", args: []any{[]string{"c"}, 1}},
	{q: "UPDATE coll SET l = ? + l WHERE k = ?", args: []any{[]int{-1}, 1}},
	{q: "SELECT l, s, m FROM coll WHERE k = 1"},

	// --- More LWT.
	{q: "CREATE TABLE lwt2 (p int, c int, s int static, v int, m map<text, int>, PRIMARY KEY (p, c))"},
	{q: "INSERT INTO lwt2 (p, c, v, m) VALUES (1, 1, 1, {'a': 1}) IF NOT EXISTS"},
	{q: "UPDATE lwt2 SET s = 5 WHERE p = 1 IF s = null"},
	{q: "UPDATE lwt2 SET s = 6 WHERE p = 1 IF s = 4"},
	{q: "UPDATE lwt2 SET v = 2 WHERE p = 1 AND c = 1 IF m['a'] = 1"},
	{q: "UPDATE lwt2 SET v = 3 WHERE p = 1 AND c = 1 IF m['a'] > 5"},
	{q: "UPDATE lwt2 SET v = 4 WHERE p = 1 AND c = 1 IF m = {'a': 1}"},
	{q: "UPDATE lwt2 SET v = 5 WHERE p = 1 AND c = 1 IF s = 5 AND v = 4"},
	{q: "UPDATE lwt2 SET v = 6 WHERE p = 1 AND c = 2 IF v = 1"},
	{q: "UPDATE lwt2 SET v = 6 WHERE p = 1 AND c = 2 IF s = 5"},
	{q: "INSERT INTO lwt2 (p, c, v) VALUES (2, 1, 1) IF NOT EXISTS USING TTL 100"},
	{q: "UPDATE lwt2 SET v = 1 WHERE p = 1 AND c = 1 IF v IN (5, 6) AND m CONTAINS 100", diff: differ(
		"CASSANDRA-10537 (4.1): CONTAINS and CONTAINS KEY in lightweight transaction conditions",
		syntaxError("line 1:65 no viable alternative at input 'CONTAINS' (...5, 6) AND m [CONTAINS]...)"), runs())},
	{q: "DELETE m['a'] FROM lwt2 WHERE p = 1 AND c = 1 IF v = 5"},
	{q: "DELETE FROM lwt2 WHERE p = 1 IF s = 5"},
	{q: "SELECT * FROM lwt2"},
	{batch: &batch{kind: gocql.LoggedBatch, items: []step{
		{q: "UPDATE lwt2 SET v = 10 WHERE p = 3 AND c = 1 IF v = 1"},
		{q: "INSERT INTO lwt2 (p, c, v) VALUES (3, 2, 2) IF NOT EXISTS"},
	}}},
	{batch: &batch{kind: gocql.LoggedBatch, items: []step{
		{q: "INSERT INTO lwt2 (p, c, v) VALUES (3, 1, 1) IF NOT EXISTS"},
		{q: "INSERT INTO lwt2 (p, c, v) VALUES (3, 2, 2) IF NOT EXISTS"},
		{q: "UPDATE lwt2 SET s = 1 WHERE p = 3 IF s = null"},
	}}},
	{batch: &batch{kind: gocql.LoggedBatch, items: []step{
		{q: "UPDATE lwt2 SET v = 10 WHERE p = 3 AND c = 1 IF v = 1"},
		{q: "UPDATE lwt2 SET v = 20 WHERE p = 3 AND c = 2 IF v = 3"},
	}}},
	{batch: &batch{kind: gocql.LoggedBatch, items: []step{
		{q: "UPDATE lwt2 SET v = 10 WHERE p = 3 AND c = 1 IF v = 1"},
		{q: "UPDATE lwt2 SET v = 11 WHERE p = 3 AND c = 1 IF v = 1"},
	}}},
	{batch: &batch{kind: gocql.LoggedBatch, items: []step{
		{q: "DELETE FROM lwt2 WHERE p = 3 AND c = 1 IF EXISTS"},
		{q: "UPDATE lwt2 SET v = 2 WHERE p = 3 AND c = 2 IF EXISTS"},
	}}},
	{q: "SELECT * FROM lwt2 WHERE p = 3", serial: true},

	// --- Batches: sizes, mixtures, mistakes.
	{batch: &batch{kind: gocql.LoggedBatch, items: []step{
		{q: "INSERT INTO kv (k, v) VALUES (50, '" + strings.Repeat("x", 6000) + "')"},
	}}},
	{batch: &batch{kind: gocql.UnloggedBatch, items: []step{
		{q: "INSERT INTO kv (k, v) VALUES (51, 'a')"},
		{q: "INSERT INTO kv (k, v) VALUES (52, 'b')"},
	}}},
	{batch: &batch{kind: gocql.LoggedBatch, items: []step{
		{q: "INSERT INTO kv (k, v) VALUES (53, 'a')"},
		{q: "SELECT * FROM kv"},
	}}},
	{batch: &batch{kind: gocql.LoggedBatch, items: []step{
		{q: "INSERT INTO kv (k, v) VALUES (54, 'a') IF NOT EXISTS"},
		{q: "INSERT INTO kv (k, v) VALUES (55, 'a') IF NOT EXISTS"},
	}}},
	{batch: &batch{kind: gocql.LoggedBatch, items: []step{
		{q: "INSERT INTO kv (k, v) VALUES (56, 'a') IF NOT EXISTS"},
		{q: "INSERT INTO lwt (k, v) VALUES (56, 1)"},
	}}},
	{batch: &batch{kind: gocql.UnloggedBatch, items: []step{
		{q: "UPDATE hits SET n = n + 1 WHERE k = 'x'"},
		{q: "INSERT INTO kv (k, v) VALUES (57, 'a')"},
	}}},
	{q: "BEGIN BATCH USING TIMESTAMP 5 INSERT INTO kv (k, v) VALUES (58, 'a') USING TIMESTAMP 6; APPLY BATCH"},
	{q: "BEGIN COUNTER BATCH UPDATE hits SET n = n + 1 WHERE k = 'y'; APPLY BATCH"},
	{q: "BEGIN BATCH APPLY BATCH"},
	{q: "SELECT k, v FROM kv WHERE k IN (50, 51, 52, 53, 54, 55, 56, 57, 58)"},

	// --- The system schema.
	{q: "SELECT keyspace_name, table_name, comment, gc_grace_seconds, default_time_to_live, flags FROM system_schema.tables WHERE keyspace_name = '{ks}'"},
	{q: "SELECT keyspace_name, table_name, column_name, clustering_order, kind, position, type FROM system_schema.columns WHERE keyspace_name = '{ks}'"},
	{q: "SELECT * FROM system_schema.types WHERE keyspace_name = '{ks}'"},
	{q: "SELECT keyspace_name, table_name, index_name, kind, options FROM system_schema.indexes WHERE keyspace_name = '{ks}'"},
	{q: "SELECT keyspace_name, durable_writes, replication FROM system_schema.keyspaces WHERE keyspace_name = '{ks}'"},
	{q: "SELECT column_name, type FROM system_schema.columns WHERE keyspace_name = '{ks}' AND table_name = 'typed'"},
	{q: "SELECT keyspace_name, table_name, column_name, kind, type FROM system_schema.dropped_columns WHERE keyspace_name = '{ks}'"},
	{q: "SELECT key, partitioner FROM system.local"},
	{q: "SELECT cql_version, native_protocol_version FROM system.local", diff: differ(
		"5.0 speaks CQL 3.4.7 and native protocol v5 (3.11: 3.4.4 and v4)", runs(), runs())},
	{q: "SELECT * FROM system.peers"},
	{q: "SELECT count(*) FROM system_schema.keyspaces WHERE keyspace_name = '{ks}'"},

	// --- More mistakes.
	{q: "SELECT * FROM kv WHERE k IN ()"},
	{q: "SELECT * FROM kv WHERE k = 1 AND k = 2"},
	{q: "SELECT * FROM kv WHERE k > 1"},
	{q: "SELECT * FROM kv WHERE token(k) > 1 AND k = 1"},
	{q: "SELECT * FROM kv WHERE token(v) > 1"},
	{q: "SELECT * FROM kv WHERE token(k) = token(1) AND token(k) > 0"},
	{q: "SELECT * FROM events WHERE p = 'a' AND (c1, c2) > (1)"},
	{q: "SELECT * FROM events WHERE p = 'a' AND (c2, c1) > ('a', 1)"},
	{q: "SELECT * FROM events WHERE p = 'a' AND (c1, v) = (1, 1)"},
	{q: "SELECT * FROM events WHERE p = 'a' AND (c1) IN ((1), (2))"},
	{q: "SELECT * FROM events WHERE p = 'a' AND c1 IN (1, 2) AND c2 > 'a'"},
	{q: "SELECT * FROM events WHERE p = 'a' AND c1 = 1 ORDER BY c1 DESC, c2 DESC"},
	{q: "SELECT * FROM events WHERE p = 'a' ORDER BY c1 DESC, c2 ASC"},
	{q: "SELECT * FROM events WHERE p = 'a' ORDER BY v"},
	{q: "SELECT * FROM events WHERE p = 'a' ORDER BY nope", diff: differ(changeUndefinedColumn,
		invalid("Undefined column name nope"), invalid("Undefined column name nope in table {ks}.events"))},
	{q: "SELECT DISTINCT p FROM events LIMIT 1 PER PARTITION LIMIT 1"},
	{q: "SELECT DISTINCT p, v FROM events"},
	{q: "SELECT p, count(*) FROM events GROUP BY v"},
	{q: "SELECT p, count(*) FROM events GROUP BY c1"},
	{q: "SELECT p, c1 FROM events WHERE p = 'a' GROUP BY c2"},
	{q: "SELECT * FROM events WHERE v IN (10, 11)", diff: differ(
		"CASSANDRA-14344 (4.1): IN restrictions on regular columns, filtered",
		invalid("IN predicates on non-primary-key columns (v) is not yet supported"),
		invalid("Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. "+
			"If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING"))},
	{q: "SELECT * FROM events WHERE v > 10 AND p = 'a'"},
	{q: "SELECT * FROM events WHERE s > 'a'"},
	{q: "SELECT * FROM coll WHERE m['x'] = 1"},
	{q: "SELECT * FROM coll WHERE l[0] = 1 ALLOW FILTERING"},
	{q: "SELECT * FROM coll WHERE fm CONTAINS KEY 1"},
	{q: "SELECT * FROM coll WHERE fl CONTAINS 'p'"},
	{q: "SELECT * FROM coll WHERE s CONTAINS 1"},
	{q: "SELECT l[0] FROM coll", diff: differ("CASSANDRA-7396 (4.0): selecting map values and set elements",
		syntaxError("line 1:8 no viable alternative at input '[' (SELECT [l][...)"),
		invalid("Element selection is only allowed on sets and maps, but l is a list"))},
	{q: "SELECT m['x'] FROM coll WHERE k = 1", diff: differ("CASSANDRA-7396 (4.0): selecting map values and set elements",
		syntaxError("line 1:8 no viable alternative at input '[' (SELECT [m][...)"), runs())},
	{q: "SELECT * FROM typed WHERE k = 1 AND tup = (1, 'a') ALLOW FILTERING"},
	{q: "SELECT * FROM typed WHERE k = ?", args: []any{"text"}},
	{q: "SELECT count(*) FROM kv LIMIT 0"},
	{q: "SELECT avg(v) FROM kv", diff: differ(changeNativeFunctions,
		invalid("Invalid call to function avg, none of its type signatures match (known type signatures: "+
			"system.avg : (tinyint) -> tinyint, system.avg : (smallint) -> smallint, system.avg : (int) -> int, "+
			"system.avg : (bigint) -> bigint, system.avg : (float) -> float, system.avg : (double) -> double, "+
			"system.avg : (decimal) -> decimal, system.avg : (varint) -> varint, system.avg : (counter) -> counter)"),
		invalidPrefix("Invalid call to function avg, none of its type signatures match (known type signatures: "))},
	{q: "SELECT min(l) FROM coll"},
	{q: "SELECT now() FROM kv WHERE k = 1 AND v = now()"},
	{q: "SELECT * FROM kv WHERE v = ? ALLOW FILTERING", args: []any{nil}},
	{q: "SELECT * FROM kv WHERE k = ?", args: []any{nil}},
	{q: "SELECT * FROM events WHERE p = ? AND c1 = ?", args: []any{"a", nil}},
	{q: "INSERT INTO kv (k, v) VALUES (1, 'a') USING TTL 1 AND TTL 2"},
	{q: "INSERT INTO kv (k, v) VALUES (1, 'a') IF EXISTS"},
	{q: "INSERT INTO kv (k, v) VALUES (1, 'a'); INSERT INTO kv (k, v) VALUES (2, 'b')"},
	{q: "INSERT INTO kv (k, v) VALUES (1, 'a', 'b')"},
	{q: "INSERT INTO kv JSON '{\"k\": 1}' DEFAULT NULL IF NOT EXISTS"},
	{q: "INSERT INTO coll (k, l) VALUES (1, [1, null])"},
	{q: "INSERT INTO coll (k, m) VALUES (1, {'a': 1, 'a': 2})"},
	{q: "INSERT INTO coll (k, s) VALUES (1, {'a', 'a'})"},
	{q: "INSERT INTO coll (k, fl) VALUES (1, [1])"},
	{q: "INSERT INTO typed (k, tup) VALUES (1, (1, 'a', 3))"},
	{q: "INSERT INTO typed (k, vi) VALUES (1, 1.5)"},
	{q: "INSERT INTO typed (k, d) VALUES (1, 'x')"},
	{q: "INSERT INTO typed (k, bo) VALUES (1, 1)"},
	{q: "INSERT INTO typed (k, bl) VALUES (1, 'x')"},
	{q: "INSERT INTO typed (k, bl) VALUES (1, 0xabc)"},
	{q: "INSERT INTO typed (k, a) VALUES (1, 'é')"},
	{q: "INSERT INTO typed (k, dt) VALUES (1, '2024-13-01')"},
	{q: "INSERT INTO typed (k, tm) VALUES (1, '25:00:00')"},
	{q: "INSERT INTO typed (k, du) VALUES (1, 'P1X')"},
	{q: "INSERT INTO typed (k, si) VALUES (1, 40000)"},
	{q: "INSERT INTO typed (k, b) VALUES (1, 9223372036854775808)"},
	{q: "UPDATE kv SET v = v + 'x' WHERE k = 1"},
	{q: "UPDATE kv SET v = 'a', v = 'b' WHERE k = 1"},
	{q: "UPDATE events SET c1 = 1 WHERE p = 'a'"},
	{q: "UPDATE events SET v = 1 WHERE p IN ('a', 'b') AND c1 = 1 AND c2 = 'x'"},
	{q: "UPDATE events SET v = 1 WHERE p = 'a' AND c1 IN (1, 2) AND c2 = 'x'"},
	{q: "UPDATE events SET s = 'q' WHERE p IN ('a', 'b')"},
	{q: "SELECT p, s FROM events WHERE p IN ('a', 'b') AND c1 = 1"},
	{q: "DELETE FROM events WHERE p = 'a' AND c1 = 1 AND c2 > 'a'"},
	{q: "DELETE FROM events WHERE p = 'a' AND (c1, c2) > (3, 'x')"},
	{q: "DELETE FROM events WHERE p = 'zz' AND c1 IN (1, 2)"},
	{q: "DELETE s FROM events WHERE p = 'a' AND c1 = 1 AND c2 = 'x'"},
	{q: "DELETE v FROM events WHERE p = 'a' AND c1 > 1"},
	{q: "DELETE FROM kv USING TTL 1 WHERE k = 1"},
	{q: "DELETE nope FROM kv WHERE k = 1", diff: differ(changeUndefinedColumn,
		invalid("Undefined column name nope"), invalid("Undefined column name nope in table {ks}.kv"))},
	{q: "DELETE v[1] FROM kv WHERE k = 1"},
	{q: "DELETE FROM kv WHERE k = 1 IF v = 'x' AND v = 'y'"},
	{q: "UPDATE hits SET n = n + 1, m = 5 WHERE k = 'a'"},
	{q: "UPDATE hits SET n = n + ? WHERE k = 'a'", args: []any{nil}},
	{q: "SELECT * FROM hits WHERE n = 1 ALLOW FILTERING"},
	{q: "ALTER TABLE hits ADD x int", diff: differ(changeDDL,
		configError("Cannot add a non counter column (x) in a counter column family"), configError(`{ks}.hits: Cannot have a non counter column ("x") in a counter table`))},
	{q: "ALTER TABLE kv ADD c counter", diff: differ(changeDDL,
		configError("Cannot add a counter column (c) in a non counter column family"), configError(`{ks}.kv: Cannot have a counter column ("c") in a non counter table`))},
	{q: "ALTER TABLE kv RENAME v TO w", diff: differ(changeDDL,
		invalid("Cannot rename non PRIMARY KEY part v"), invalid("Cannot rename non PRIMARY KEY column v"))},
	{q: "ALTER TABLE events RENAME c1 TO cc1"},
	{q: "SELECT cc1 FROM events WHERE p = 'a' AND cc1 = 1"},
	{q: "ALTER TABLE events RENAME cc1 TO c2", diff: differ(changeDDL,
		invalid("Cannot rename column cc1 to c2 in keyspace events; another column of that name already exist"), invalid("Cannot rename column cc1 to c2 in table '{ks}.events'; another column with that name already exists"))},
	{q: "ALTER TABLE events RENAME cc1 TO c1"},
	{q: "ALTER TABLE events ALTER v TYPE text", diff: differ(changeDDL,
		invalid("Altering of types is not allowed"), invalid("Altering column types is no longer supported"))},
	{q: "ALTER TABLE events WITH gc_grace_seconds = -1"},
	{q: "ALTER TABLE events WITH default_time_to_live = 10"},
	{q: "ALTER TABLE events WITH compaction = {'class': 'Nope'}", diff: differ(
		"4.0: CompactionParams.classFromName says \"Unable to find compaction strategy class\"",
		configError("Could not create Compaction strategy of type org.apache.cassandra.db.compaction.Nope"),
		configError("Unable to find compaction strategy class 'org.apache.cassandra.db.compaction.Nope'"))},
	{q: "CREATE TABLE bad8 (k int PRIMARY KEY, s int static)"},
	{q: "CREATE TABLE bad9 (k int, c int, PRIMARY KEY (k, c)) WITH COMPACT STORAGE AND CLUSTERING ORDER BY (c ASC)"},
	{q: "CREATE TABLE bad10 (k int, c frozen<set<int>>, v set<int>, PRIMARY KEY (k, c))"},
	{q: "CREATE TABLE bad11 (k duration PRIMARY KEY)", diff: differ(changeDDL,
		invalid("duration type is not supported for PRIMARY KEY part k"), invalid("duration type is not supported for PRIMARY KEY column 'k'"))},
	{q: "CREATE TABLE bad12 (k int PRIMARY KEY, t tuple<int>, u frozen<tuple<int>>)"},
	{q: "CREATE TABLE bad13 (\"\" int PRIMARY KEY)"},
	{q: "CREATE TABLE system.bad14 (k int PRIMARY KEY)"},
	{q: "CREATE TABLE IF NOT EXISTS typed (x int PRIMARY KEY)"},
	{q: "CREATE TYPE addr (x int)", diff: differ(changeDDL,
		invalid("A user type of name {ks}.addr already exists"), invalid("A user type with name 'addr' already exists"))},
	{q: "CREATE TYPE IF NOT EXISTS addr (x int)"},
	{q: "CREATE TYPE bad_t (x counter)"},
	{q: "CREATE TYPE bad_t2 (x nosuch)"},
	{q: "ALTER TYPE addr ADD zip int", diff: differ(changeDDL,
		invalid("Cannot add new field zip to type {ks}.addr: a field of the same name already exists"), invalid("Cannot add field zip to type {ks}.addr: a field with name zip already exists"))},
	{q: "ALTER TYPE addr RENAME zip TO postcode"},
	{q: "SELECT home.postcode FROM people WHERE id = 1"},
	{q: "DROP TYPE nosuch", diff: differ(changeDDL,
		invalid("No user type named {ks}.nosuch exists."), invalid("Type '{ks}.nosuch' doesn't exist"))},
	{q: "DROP TYPE IF EXISTS nosuch"},
	{q: "DROP KEYSPACE nosuch", diff: differ(changeDDL,
		configError("Cannot drop non existing keyspace 'nosuch'."), invalid("Keyspace 'nosuch' doesn't exist"))},
	{q: "DROP KEYSPACE IF EXISTS nosuch"},
	{q: "ALTER KEYSPACE nosuch WITH durable_writes = false", diff: differ(changeDDL,
		invalid("Unknown keyspace nosuch"), invalid("Keyspace 'nosuch' doesn't exist"))},
	{q: "CREATE INDEX ON ix (v) WITH options = {'x': 'y'}"},
	{q: "CREATE CUSTOM INDEX ON ix (v) USING 'no.such.Index'"},
	{q: "CREATE INDEX ON typed (du)"},
	{q: "CREATE INDEX ON people (work)", diff: differ(changeDDL,
		invalid("Secondary indexes are not supported on non-frozen UDTs"), invalid("Cannot create index on non-frozen UDT column work"))},
	{q: "CREATE INDEX ON coll (entries(s))"},
	{q: "CREATE INDEX ON coll (keys(l))"},
	{q: "CREATE INDEX ON ix (b)"},
	{q: "SELECT * FROM ix WHERE b = 1", sleep: 2 * time.Second}, // both build an index on existing data in the background
	{q: "USE nosuch"},
	{q: "SELECT * FROM system_schema.tables WHERE nope = 1", diff: differ(changeUndefinedColumn,
		invalid("Undefined column name nope"), invalid("Undefined column name nope in table system_schema.tables"))},
	{q: "LIST ROLES"},
	{q: "CREATE ROLE r"},
	{q: "GRANT SELECT ON kv TO r"},
	{q: "CREATE FUNCTION f (x int) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return x;'", diff: differ(
		"CASSANDRA-15234 (4.1): cassandra.yaml options renamed, enable_user_defined_functions became user_defined_functions_enabled",
		invalid("User-defined functions are disabled in cassandra.yaml - set enable_user_defined_functions=true to enable"),
		invalid("User-defined functions are disabled in cassandra.yaml - set user_defined_functions_enabled=true to enable"))},
	{q: "CREATE TABLE mvbase (k int PRIMARY KEY, v int)"},
	{q: "CREATE MATERIALIZED VIEW mv AS SELECT * FROM mvbase WHERE k IS NOT NULL AND v IS NOT NULL PRIMARY KEY (v, k)",
		deviation: "by design: the embedded server runs as a 3.11 node with enable_materialized_views: false; the reference node has them on, as 3.11 had by default"},
	{q: "DROP MATERIALIZED VIEW IF EXISTS mv"},
	{q: "CREATE TRIGGER tr ON kv USING 'no.Such'", diff: differ(changeDDL,
		configError("Trigger class 'no.Such' doesn't exist"), invalid("Trigger class 'no.Such' couldn't be loaded"))},
	{q: "SELECT * FROM kv WHERE k = 1 AND"},
	{q: "SELECT * FROM kv WHERE k = 'unterminated"},
	{q: "SELECT * FROM kv WHERE k = 1;;"},
	{q: "SELECT * FROM kv LIMIT 'x'"},
	{q: "SELECT * FROM"},
	{q: ""},
	{q: "SELECT * FROM kv WHERE k = 0x"},
	{q: "SELECT * FROM kv WHERE k = 1 ALLOW"},
	{q: "SELECT * FROM kv WHERE k = -", diff: differ(
		"CASSANDRA-11935 (4.0): arithmetic operators in the grammar, where '-' starts a term",
		syntaxError("line 0:-1 mismatched input '<EOF>' expecting set null"),
		syntaxError("line 0:-1 no viable alternative at input '<EOF>'"))},
	{q: "SELECT * FROM kv WHERE k = 99999999999"},
	{q: "SELECT * FROM kv WHERE k = 1.5"},
	{q: "SELECT * FROM kv WHERE k = 1e3"},
	{q: "SELECT * FROM kv WHERE k = NaN"},
	{q: "SELECT * FROM kv WHERE k = true"},
	{q: "SELECT * FROM kv WHERE k = null"},

	// --- Schema changes with data.
	{q: "TRUNCATE ts"},
	{q: "SELECT * FROM ts"},
	{q: "DROP INDEX events_v"},
	{q: "SELECT * FROM events WHERE v = 10"},
	{q: "ALTER TABLE events ADD extra text"},
	{q: "SELECT * FROM events WHERE p = 'b'"},
	{q: "DROP TABLE ts"},
	{q: "SELECT * FROM ts", diff: differ(changeUnknownTable,
		invalid("unconfigured table ts"), invalid("table ts does not exist"))},
}
