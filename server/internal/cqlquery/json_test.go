package cqlquery

import (
	"strings"
	"testing"
)

// toJson() and SELECT JSON: each type's toJSONString (JsonTest
// .testToJsonFct, testSelectJsonSyntax, testCaseSensitivity).
func TestToJSON(t *testing.T) {
	f := newFixture(t)
	f.createType("CREATE TYPE u (a int, \"Foo\" int, c set<text>)")
	f.ddl(`CREATE TABLE t (k int PRIMARY KEY, asciival ascii, bigintval bigint, blobval blob, booleanval boolean,
		dateval date, decimalval decimal, doubleval double, floatval float, inetval inet, intval int,
		smallintval smallint, textval text, timeval time, timestampval timestamp, timeuuidval timeuuid,
		tinyintval tinyint, uuidval uuid, varintval varint, listval list<int>, setval set<uuid>,
		mapval map<ascii, int>, tupleval frozen<tuple<int, ascii, uuid>>, udtval frozen<u>,
		durationval duration, "Name" int, intmap map<int, boolean>, tuplemap map<frozen<tuple<int, text>>, boolean>)`)
	for _, tt := range []struct{ col, lit, want string }{
		{"asciival", "'ascii text'", `"ascii text"`},
		{"asciival", "''", `""`},
		{"bigintval", "-123123123123", "-123123123123"},
		{"blobval", "0x00000001", `"0x00000001"`},
		{"blobval", "0x", `"0x"`},
		{"booleanval", "false", "false"},
		{"dateval", "'1987-03-23'", `"1987-03-23"`},
		{"decimalval", "123123.123123", "123123.123123"},
		{"decimalval", "-1.23E-12", "-1.23E-12"},
		{"decimalval", "1E+3", "1E+3"},
		{"doubleval", "123123", "123123.0"},
		{"doubleval", "NaN", "null"},
		{"floatval", "123.123", "123.123"},
		{"floatval", "-Infinity", "null"},
		{"inetval", "'::1'", `"0:0:0:0:0:0:0:1"`},
		{"intval", "-123123", "-123123"},
		{"smallintval", "-32768", "-32768"},
		{"textval", "'\u8422'", "\"\u8422\""},
		{"textval", "'a\"b\\\\c'", `"a\"b\\\\c"`},
		{"timeval", "123", `"00:00:00.000000123"`},
		{"timestampval", "'2014-01-01'", `"2014-01-01 00:00:00.000Z"`},
		{"timeuuidval", "6bddc89a-5644-11e4-97fc-56847afe9799", `"6bddc89a-5644-11e4-97fc-56847afe9799"`},
		{"tinyintval", "-128", "-128"},
		{"varintval", "123123123123123123123", "123123123123123123123"},
		{"listval", "[1, 2, 3]", "[1, 2, 3]"},
		{"setval", "{6bddc89a-5644-11e4-97fc-56847afe9799, 6bddc89a-5644-11e4-97fc-56847afe9798}",
			`["6bddc89a-5644-11e4-97fc-56847afe9798", "6bddc89a-5644-11e4-97fc-56847afe9799"]`},
		{"mapval", "{'b': 2, 'a': 1}", `{"a": 1, "b": 2}`},
		{"tupleval", "(1, 'foobar', null)", `[1, "foobar", null]`},
		{"udtval", "{a: 1, c: {'foo', 'bar'}}", `{"a": 1, "\"Foo\"": null, "c": ["bar", "foo"]}`},
		{"durationval", "12µs", `"12us"`},
		{"durationval", "P1Y1M2DT10H5M", `"1y1mo2d10h5m"`},
		{"intmap", "{1: true, 0: false}", `{"0": false, "1": true}`},
		{"tuplemap", "{(1, 'b'): true}", `{"[1, \"b\"]": true}`},
	} {
		f.exec("INSERT INTO t (k, " + tt.col + ") VALUES (0, " + tt.lit + ")")
		if got := f.cell("SELECT toJson(" + tt.col + ") FROM t WHERE k = 0"); got != tt.want {
			t.Errorf("toJson(%s) of %s = %s, want %s", tt.col, tt.lit, got, tt.want)
		}
	}
	f.exec("INSERT INTO t (k, listval) VALUES (0, [])")
	if got := f.cell("SELECT toJson(listval) FROM t WHERE k = 0"); got != "null" {
		t.Errorf("toJson of an empty list = %s", got)
	}

	f.ddl(`CREATE TABLE s (k int PRIMARY KEY, v int, "Foo" int)`)
	f.exec(`INSERT INTO s (k, v, "Foo") VALUES (0, 0, 1)`)
	f.exec("INSERT INTO s (k, v) VALUES (1, 1)")
	for _, tt := range []struct{ q, want string }{
		{"SELECT JSON * FROM s", `{"k": 1, "\"Foo\"": null, "v": 1} | {"k": 0, "\"Foo\"": 1, "v": 0}`},
		{"SELECT JSON v, k FROM s WHERE k = 0", `{"v": 0, "k": 0}`},
		{"SELECT JSON v as foo, k as \"Bar\" FROM s WHERE k = 0", `{"foo": 0, "\"Bar\"": 0}`},
		{"SELECT JSON ttl(v), k FROM s WHERE k = 0", `{"ttl(v)": null, "k": 0}`},
		{"SELECT JSON count(*) FROM s", `{"count": 2}`},
		{"SELECT JSON count(*) as foo FROM s", `{"foo": 2}`},
		{"SELECT JSON toJson(blobAsInt(intAsBlob(v))) FROM s WHERE k = 0", `{"system.tojson(system.blobasint(system.intasblob(v)))": "0"}`},
	} {
		r := f.exec(tt.q)
		if len(r.Columns) != 1 || r.Columns[0].Name != "[json]" {
			t.Errorf("%s: columns %v", tt.q, r.Columns)
		}
		var rows []string
		for _, row := range r.Rows {
			rows = append(rows, string(row[0]))
		}
		if got := strings.Join(rows, " | "); got != tt.want {
			t.Errorf("%s\n got %s\nwant %s", tt.q, got, tt.want)
		}
	}
	f.fail("toJson() may only be used within the selection clause of SELECT statements", "INSERT INTO s (k, v) VALUES (0, toJson(1))")
	f.fail("toJson() only accepts one argument (got 2)", "SELECT toJson(k, v) FROM s")
}

// INSERT JSON (UpdateStatement.ParsedInsertJson, Json.parseJson):
// DEFAULT NULL and UNSET, case sensitivity, bound documents, messages.
func TestInsertJSON(t *testing.T) {
	f := newFixture(t)
	f.ddl(`CREATE TABLE t (k int PRIMARY KEY, v1 int, v2 int, "Foo" int)`)
	f.exec(`INSERT INTO t JSON '{"k": 0, "v1": 0, "v2": 0, "\"Foo\"": 5}'`)
	f.expect("0 5 0 0", "SELECT * FROM t")
	f.exec(`INSERT INTO t JSON ? DEFAULT UNSET`, `{"K": 0, "v2": 2}`)
	f.expect("0 5 0 2", "SELECT * FROM t")
	f.exec(`INSERT INTO t JSON ?`, `{"k": 0, "v2": 3}`)
	f.expect("0 null null 3", "SELECT * FROM t")
	f.exec(`INSERT INTO t JSON ? DEFAULT UNSET`, `{"\"k\"": 0, "v1": null}`)
	f.expect("0 null null 3", "SELECT * FROM t")
	st, err := f.prepare("INSERT INTO t JSON ?")
	if err != nil {
		t.Fatal(err)
	}
	if c := st.BindColumns[0]; c.Name != "[json]" || c.Type.Class() != "org.apache.cassandra.db.marshal.UTF8Type" {
		t.Errorf("JSON marker %+v", c)
	}
	for _, tt := range []struct {
		doc any
		msg string
	}{
		{nil, "Got null for INSERT JSON values"},
		{"null", "Got null for INSERT JSON values"},
		{`{"k": 0, "v1": 0, "zzz": 0}`, "JSON values map contains unrecognized column: zzz"},
		{`{"k": 0, "foo": 0}`, "JSON values map contains unrecognized column: foo"},
		{`{"k": 0, "v1": "notanint"}`, "Error decoding JSON value for v1: Unable to make int from 'notanint'"},
		{`{"k": 0, "v1": 2147483648}`, "Error decoding JSON value for v1: Expected an int value, but got a Long: 2147483648"},
		{`{"k": 0, "v1": 1.5}`, "Error decoding JSON value for v1: Expected an int value, but got a Double: 1.5"},
		{`{"k": 0, "v1": [1]}`, "Error decoding JSON value for v1: Expected an int value, but got a ArrayList: [1]"},
		{`{"v1": 1}`, "Invalid null value in condition for column k"},
	} {
		_, err := f.run(Options{}, "INSERT INTO t JSON ?", tt.doc)
		checkErr(t, "INSERT JSON "+strings.TrimSpace(strings.Split(tt.msg, ":")[0]), err, CodeInvalid, tt.msg)
	}
	for _, doc := range []string{`"notamap"`, "12.34", "[1]", "{", ""} {
		_, err := f.run(Options{}, "INSERT INTO t JSON ?", doc)
		if err == nil || !strings.HasPrefix(err.Error(), "Could not decode JSON string as a map: ") || !strings.HasSuffix(err.Error(), "(String was: "+doc+")") {
			t.Errorf("INSERT JSON %q: %v", doc, err)
		}
	}
	// A literal document is read when the statement is prepared.
	if _, err := f.prepare(`INSERT INTO t JSON '{"k": 0, "nope": 1}'`); err == nil || err.Error() != "JSON values map contains unrecognized column: nope" {
		t.Errorf("literal document: %v", err)
	}
	f.ddl("CREATE TABLE c (k int PRIMARY KEY, n counter)")
	f.fail("INSERT statements are not allowed on counter tables, use UPDATE instead", `INSERT INTO c JSON '{"k": 0}'`)

	// Collections, tuples, user types and map keys of every kind.
	f.createType("CREATE TYPE u (a int, b frozen<set<int>>, c tuple<int, int>)")
	f.ddl(`CREATE TABLE j (k int PRIMARY KEY, m map<text, boolean>, s set<int>, l list<int>, fl frozen<list<int>>,
		u frozen<u>, nu u, tp tuple<int, boolean>, intmap map<int, boolean>, setmap map<frozen<set<int>>, boolean>,
		udtmap map<frozen<u>, boolean>, ts timestamp, b blob, d decimal)`)
	f.exec(`INSERT INTO j JSON '{"k": 0, "m": {"a": true, "b": false}, "s": [3, 1, 2, 3], "l": [1, 2, 1], "fl": "[4, 5]",
		"u": {"a": 0, "b": [1, 2, 3], "c": [0, 1]}, "nu": {"A": 7}, "tp": [0, true], "intmap": {"1": true, "0": false},
		"setmap": {"[3, 4, 5]": false, "[0, 1, 2]": true}, "udtmap": {"{\"a\": 1}": true}, "ts": "2014-01-01 10:00:00+0000",
		"b": "0x00000001", "d": 1e20}'`)
	for _, tt := range []struct{ col, want string }{
		{"m", `{"a": true, "b": false}`}, {"s", "[1, 2, 3]"}, {"l", "[1, 2, 1]"}, {"fl", "[4, 5]"},
		{"u", `{"a": 0, "b": [1, 2, 3], "c": [0, 1]}`}, {"nu", `{"a": 7, "b": null, "c": null}`}, {"tp", "[0, true]"},
		{"intmap", `{"0": false, "1": true}`}, {"setmap", `{"[0, 1, 2]": true, "[3, 4, 5]": false}`},
		{"udtmap", `{"{\"a\": 1, \"b\": null, \"c\": null}": true}`}, {"ts", `"2014-01-01 10:00:00.000Z"`},
		{"b", `"0x00000001"`}, {"d", "1.0E+20"},
	} {
		if got := f.cell("SELECT toJson(" + tt.col + ") FROM j WHERE k = 0"); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.col, got, tt.want)
		}
	}
	for _, tt := range []struct{ doc, msg string }{
		{`{"k": 0, "ts": 1000}`, "Error decoding JSON value for ts: Expected a long or a datestring representation of a timestamp value, but got a Integer: 1000"},
		{`{"k": 0, "ts": 1.5}`, "Error decoding JSON value for ts: Expected a long or a datestring representation of a timestamp value, but got a Double: 1.5"},
		{`{"k": 0, "b": "123"}`, "Error decoding JSON value for b: Value '123' is not a valid blob representation: String representation of blob is missing 0x prefix: 123"},
		{`{"k": 0, "b": "0x123"}`, "Error decoding JSON value for b: Value '0x123' is not a valid blob representation: cannot parse '123' as hex bytes"},
		{`{"k": 0, "b": 123}`, "Error decoding JSON value for b: Value '123' is not a valid blob representation: java.lang.Integer cannot be cast to java.lang.String"},
		{`{"k": 0, "d": true}`, "Error decoding JSON value for d: Value 'true' is not a valid representation of a decimal value"},
		{`{"k": 0, "l": [null]}`, "Error decoding JSON value for l: Invalid null element in list"},
		{`{"k": 0, "s": [null]}`, "Error decoding JSON value for s: Invalid null element in set"},
		{`{"k": 0, "s": 123}`, "Error decoding JSON value for s: Expected a list (representing a set), but got a Integer: 123"},
		{`{"k": 0, "m": {"a": null}}`, "Error decoding JSON value for m: Invalid null value in map"},
		{`{"k": 0, "m": 1}`, "Error decoding JSON value for m: Expected a map, but got a Integer: 1"},
		{`{"k": 0, "tp": [1, true, 3]}`, "Error decoding JSON value for tp: Tuple contains extra items (expected 2): [1, true, 3]"},
		{`{"k": 0, "tp": [1]}`, "Error decoding JSON value for tp: Tuple is missing items (expected 2): [1]"},
		{`{"k": 0, "u": {"xxx": 1}}`, "Error decoding JSON value for u: Unknown field 'xxx' in value of user defined type u"},
		{`{"k": 0, "u": {"a": "foobar"}}`, "Error decoding JSON value for u: Unable to make int from 'foobar'"},
	} {
		_, err := f.run(Options{}, "INSERT INTO j JSON ?", tt.doc)
		checkErr(t, tt.doc, err, CodeInvalid, tt.msg)
	}
	// Explicit nulls in a user type value are fine.
	f.exec(`INSERT INTO j JSON '{"k": 1, "u": {"a": null, "b": [1]}}'`)
	if got := f.cell("SELECT toJson(u) FROM j WHERE k = 1"); got != `{"a": null, "b": [1], "c": null}` {
		t.Errorf("null field: %s", got)
	}
	// A document read back and inserted again round-trips.
	doc := f.cell("SELECT JSON * FROM j WHERE k = 0")
	f.exec("DELETE FROM j WHERE k = 0")
	f.exec("INSERT INTO j JSON ?", doc)
	if got := f.cell("SELECT JSON * FROM j WHERE k = 0"); got != doc {
		t.Errorf("round trip:\n got %s\nwant %s", got, doc)
	}
}

// fromJson() in terms (FromJsonFct), with the receiver's type.
func TestFromJSON(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k int PRIMARY KEY, a ascii, i int, l list<int>, s smallint, v varint, f float)")
	f.exec("INSERT INTO t (k, a, i, l) VALUES (fromJson(?), fromJson(?), fromJson(?), fromJson(?))", "0", `"text"`, `"12"`, "[1, 2]")
	f.expect("0 text 12 [1, 2]", "SELECT k, a, i, l FROM t")
	f.exec("INSERT INTO t (k, a) VALUES (0, fromJson(?))", nil)
	f.expect("null", "SELECT a FROM t WHERE k = fromJson('0')")
	f.exec("UPDATE t SET s = fromJson('32767'), v = fromJson('\"123456789012345678901234567890\"'), f = fromJson('123123') WHERE k = fromJson(?)", "0")
	f.expect("32767 123456789012345678901234567890 123123.0", "SELECT s, v, f FROM t WHERE k = 0")
	for _, tt := range []struct{ arg, col, msg string }{
		{"123", "a", "execution of 'system.fromjson[text]' failed: org.apache.cassandra.serializers.MarshalException: Expected an ascii string, but got a Integer: 123"},
		{"true", "i", "execution of 'system.fromjson[text]' failed: org.apache.cassandra.serializers.MarshalException: Expected an int value, but got a Boolean: true"},
		{"32768", "s", "execution of 'system.fromjson[text]' failed: org.apache.cassandra.serializers.MarshalException: Unable to make short from '32768'"},
		{"123.456", "s", "execution of 'system.fromjson[text]' failed: org.apache.cassandra.serializers.MarshalException: Unable to make short from '123.456'"},
		{`""`, "v", "execution of 'system.fromjson[text]' failed: org.apache.cassandra.serializers.MarshalException: Value '' is not a valid representation of a varint value"},
	} {
		q := "INSERT INTO t (k, " + tt.col + ") VALUES (0, fromJson(?))"
		_, err := f.run(Options{}, q, tt.arg)
		checkErr(t, q, err, CodeFunctionFailure, tt.msg)
		if e := (*Error)(nil); asError(err, &e) && (e.Keyspace != "system" || e.Function != "fromjson" || len(e.Arguments) != 1 || e.Arguments[0] != "text") {
			t.Errorf("FunctionFailure body %+v", e)
		}
	}
	_, err := f.run(Options{}, "INSERT INTO t (k, a) VALUES (0, fromJson(?))", "\u038E\u0394")
	if err == nil || !strings.Contains(err.Error(), "Could not decode JSON string '\u038E\u0394'") {
		t.Errorf("bad JSON: %v", err)
	}
	f.fail("fromJson() cannot be used in the selection clause of a SELECT statement", "SELECT fromJson(a) FROM t")
}
