package server_test

import (
	"errors"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// SELECT JSON and INSERT JSON (Selection.rowToJson, Json,
// UpdateStatement.ParsedInsertJson), toJson() and fromJson().
func TestCQLJSON(t *testing.T) {
	_, s := typesSession(t)
	mustExec(t, s, `CREATE TYPE u (a int, "Foo" text)`)
	mustExec(t, s, `CREATE TABLE j (k int PRIMARY KEY, "Name" text, l list<int>, m map<int, boolean>, u frozen<u>, ts timestamp, b blob, d decimal, f float, tp tuple<int, text>)`)
	mustExec(t, s, `INSERT INTO j JSON '{"k": 0, "\"Name\"": "x", "l": [2, 1], "m": {"1": true}, "u": {"a": 1, "\"Foo\"": "y"}, "ts": "2014-01-01 00:00:00+0000", "b": "0x0102", "d": 1.5, "f": "NaN", "tp": [1, "t"]}'`)
	want := `{"k": 0, "\"Name\"": "x", "b": "0x0102", "d": 1.5, "f": null, "l": [2, 1], "m": {"1": true}, "tp": [1, "t"], "ts": "2014-01-01 00:00:00.000Z", "u": {"a": 1, "\"Foo\"": "y"}}`
	expectText(t, s, want, "SELECT JSON * FROM j")
	it := s.Query("SELECT JSON * FROM j").Iter()
	if cols := it.Columns(); len(cols) != 1 || cols[0].Name != "[json]" || cols[0].TypeInfo.Type() != gocql.TypeVarchar {
		t.Errorf("columns %+v", cols)
	}
	_ = it.Close()
	// A bound document, DEFAULT UNSET and DEFAULT NULL.
	mustExec(t, s, "INSERT INTO j JSON ? DEFAULT UNSET", `{"k": 0, "l": [3]}`)
	expectText(t, s, `{"name": "x", "l": [3]}`, `SELECT JSON "Name" AS name, l FROM j WHERE k = 0`)
	mustExec(t, s, "INSERT INTO j JSON ?", `{"k": 0, "l": [4]}`)
	expectText(t, s, `{"\"Name\"": null, "l": [4]}`, `SELECT JSON "Name", l FROM j WHERE k = 0`)
	// toJson() and fromJson().
	mustExec(t, s, "UPDATE j SET m = fromJson(?), ts = fromJson('1388534400000') WHERE k = fromJson('1')", `{"2": false}`)
	expectText(t, s, `{"system.tojson(m)": "{\"2\": false}", "system.tojson(ts)": "\"2014-01-01 00:00:00.000Z\""}`, "SELECT JSON toJson(m), toJson(ts) FROM j WHERE k = 1")
	expectText(t, s, `{"2": false}`, "SELECT toJson(m) FROM j WHERE k = 1")

	for _, tt := range []struct{ q, msg string }{
		{`INSERT INTO j JSON '{"k": 0, "zzz": 1}'`, "JSON values map contains unrecognized column: zzz"},
		{`INSERT INTO j JSON 'null'`, "Got null for INSERT JSON values"},
		{`INSERT INTO j JSON '{"k": 0, "l": "x"}'`, "Error decoding JSON value for l: Error decoding JSON string: Unexpected character ('x' (code 120)) at character 0"},
		{`INSERT INTO j JSON '{"k": 0, "ts": 1000}'`, "Error decoding JSON value for ts: Expected a long or a datestring representation of a timestamp value, but got a Integer: 1000"},
		{`INSERT INTO j JSON '{"k": 0, "u": {"b": 1}}'`, "Error decoding JSON value for u: Unknown field 'b' in value of user defined type u"},
		{`INSERT INTO j JSON '{"k": 0, "tp": [1]}'`, "Error decoding JSON value for tp: Tuple is missing items (expected 2): [1]"},
		{"INSERT INTO j (k, l) VALUES (0, toJson(1))", "toJson() may only be used within the selection clause of SELECT statements"},
		{"SELECT fromJson(l) FROM j", "fromJson() cannot be used in the selection clause of a SELECT statement"},
	} {
		expectInvalid(t, s, tt.msg, tt.q)
	}
	expectInvalid(t, s, "Got null for INSERT JSON values", "INSERT INTO j JSON ?", nil)
	// FromJsonFct fails with a FunctionExecutionException (FUNCTION_FAILURE).
	err := s.Query("INSERT INTO j (k, l) VALUES (0, fromJson('[true]'))").Exec()
	var ff *gocql.RequestErrFunctionFailure
	if !errors.As(err, &ff) || ff.Message() != "execution of 'system.fromjson[text]' failed: org.apache.cassandra.serializers.MarshalException: Expected an int value, but got a Boolean: true" ||
		ff.Keyspace != "system" || ff.Function != "fromjson" || len(ff.ArgTypes) != 1 || ff.ArgTypes[0] != "text" {
		t.Errorf("fromJson failure: %#v", err)
	}
	mustExec(t, s, "CREATE TABLE cn (k int PRIMARY KEY, n counter)")
	expectInvalid(t, s, "INSERT statements are not allowed on counter tables, use UPDATE instead", `INSERT INTO cn JSON '{"k": 0}'`)
	// Paged SELECT JSON turns every page's rows into documents.
	for i := 10; i < 15; i++ {
		mustExec(t, s, "INSERT INTO j (k) VALUES (?)", i)
	}
	n := 0
	it = s.Query("SELECT JSON k FROM j").PageSize(2).Iter()
	var doc string
	for it.Scan(&doc) {
		n++
	}
	if err := it.Close(); err != nil || n != 7 {
		t.Errorf("paged SELECT JSON: %d rows, %v", n, err)
	}
}
