package cqlparse

import (
	"errors"
	"strings"
	"testing"
)

// syntaxErrors are malformed statements with the message Cassandra 3.11
// answers. The wording comes from ANTLR 3's BaseRecognizer and Lexer, the
// header and snippet from Cassandra's ErrorCollector, and the choice of
// message from the decisions of 3.11's generated CqlParser. Entries marked
// "(test)" are the exact texts or fragments Cassandra's own unit tests
// check (CastFctsTest, CreateTest, AlterTest).
var syntaxErrors = []struct {
	q, msg string
	line   int
	col    int
}{
	// Statement start.
	{"SELEC * FROM t", "line 1:0 no viable alternative at input 'SELEC' ([SELEC]...)", 1, 0},
	{"", "line 0:-1 no viable alternative at input '<EOF>'", 0, -1},
	{"CREATE FOO t", "line 1:7 no viable alternative at input 'FOO' ([CREATE] FOO...)", 1, 7},
	{"DROP TABLE", "line 0:-1 no viable alternative at input '<EOF>'", 0, -1},

	// Missing or misplaced keywords and punctuation.
	{"SELECT * t", "line 1:9 mismatched input 't' expecting K_FROM (SELECT * [t])", 1, 9},
	{"SELECT FROM t", "line 1:7 no viable alternative at input 'FROM' (SELECT [FROM]...)", 1, 7},
	{"SELECT * FROM", "line 0:-1 no viable alternative at input '<EOF>'", 0, -1},
	{"SELECT a b FROM t", "line 1:9 no viable alternative at input 'b' (SELECT [a] b...)", 1, 9},
	{"SELECT count(* FROM t", "line 1:15 mismatched input 'FROM' expecting ')' (SELECT count(* [FROM]...)", 1, 15},
	{"SELECT * FROM t foo", "line 1:16 no viable alternative at input 'foo' (SELECT * FROM [t] foo)", 1, 16},
	{"SELECT * FROM t LIMIT 1 foo", "line 1:24 mismatched input 'foo' expecting EOF (...* FROM t LIMIT 1 [foo])", 1, 24},
	{"SELECT * FROM t;;; SELECT", "line 1:19 mismatched input 'SELECT' expecting EOF (... * FROM t;;; [SELECT])", 1, 19},
	{"DROP TABLE t WHERE", "line 1:13 mismatched input 'WHERE' expecting EOF (DROP TABLE t [WHERE])", 1, 13},
	{"SELECT * FROM t WHERE a = 1 AND", "line 0:-1 no viable alternative at input '<EOF>'", 0, -1},
	{"SELECT * FROM t WHERE a.b = 1", "line 1:23 no viable alternative at input '.' (SELECT * FROM t WHERE [a]....)", 1, 23},
	{"SELECT * FROM t WHERE k IN 1", "line 1:27 no viable alternative at input '1' (SELECT * FROM t WHERE [k] IN...)", 1, 27},
	{"SELECT * FROM t WHERE token(k) IN (1)", "line 1:31 no viable alternative at input 'IN' (... t WHERE token(k) [IN]...)", 1, 31},
	{"SELECT * FROM t WHERE k = 1 ORDER BY", "line 0:-1 no viable alternative at input '<EOF>'", 0, -1},
	{"SELECT * FROM t LIMIT", "line 0:-1 no viable alternative at input '<EOF>'", 0, -1},
	{"SELECT * FROM t LIMIT 'a'", "line 1:22 no viable alternative at input 'a' (SELECT * FROM t LIMIT [']...)", 1, 22},
	{"INSERT INTO t VALUES (1)", "line 1:14 no viable alternative at input 'VALUES' (INSERT INTO [t] VALUES...)", 1, 14},
	{"INSERT INTO t (a) VALUES", "line 0:-1 mismatched input '<EOF>' expecting '('", 0, -1},
	{"INSERT INTO t (a, b) VALUES (1, 2", "line 0:-1 mismatched input '<EOF>' expecting ')'", 0, -1},
	{"INSERT INTO t (k) VALUES (1) USING TTL", "line 0:-1 no viable alternative at input '<EOF>'", 0, -1},
	{"INSERT INTO t (k) VALUES (1) USING TIME 5", "line 1:35 no viable alternative at input 'TIME' (...) VALUES (1) USING [TIME]...)", 1, 35},
	{"INSERT INTO t (k) VALUES (- 1)", "line 1:28 mismatched input '1' expecting set null (... (k) VALUES (- [1]...)", 1, 28},
	{"UPDATE t SET v = 1", "line 0:-1 mismatched input '<EOF>' expecting K_WHERE", 0, -1},
	{"UPDATE t v = 1 WHERE k = 1", "line 1:9 no viable alternative at input 'v' (UPDATE [t] v...)", 1, 9},
	{"UPDATE t SET v = 1 WHERE k = 1 IF", "line 0:-1 no viable alternative at input '<EOF>'", 0, -1},
	{"DELETE FROM t", "line 0:-1 mismatched input '<EOF>' expecting K_WHERE", 0, -1},
	{"BEGIN BATCH INSERT INTO t (k) VALUES (1) APPLY", "line 0:-1 mismatched input '<EOF>' expecting K_BATCH", 0, -1},
	{"BEGIN BATCH SELECT * FROM t APPLY BATCH", "line 1:12 mismatched input 'SELECT' expecting K_APPLY (BEGIN BATCH [SELECT]...)", 1, 12},
	{"CREATE TABLE t (k int PRIMARY KEY", "line 0:-1 mismatched input '<EOF>' expecting ')'", 0, -1},
	{"CREATE TABLE t (k int, v int) WITH", "line 0:-1 no viable alternative at input '<EOF>'", 0, -1},
	{"CREATE TABLE t (k int PRIMARY KEY) WITH comment 'x'", "line 1:48 no viable alternative at input 'x' (... int PRIMARY KEY) WITH [comment] '...)", 1, 48},
	{"CREATE INDEX ON t (keys m)", "line 1:24 no viable alternative at input 'm' (CREATE INDEX ON t ([keys] m...)", 1, 24},

	// Reserved keywords where a name is expected.
	{"CREATE TABLE t (select int PRIMARY KEY)", "line 1:16 no viable alternative at input 'select' (CREATE TABLE t ([select]...)", 1, 16},
	{"CREATE TABLE ks.x (select int PRIMARY KEY)", "line 1:19 no viable alternative at input 'select' (CREATE TABLE ks.x ([select]...)", 1, 19},
	{"ALTER TABLE ks.t ADD select TEXT", "line 1:21 no viable alternative at input 'select' (ALTER TABLE ks.t ADD [select]...)", 1, 21},
	{"SELECT * FROM t WHERE token = 1", "line 1:28 mismatched input '=' expecting '(' (...* FROM t WHERE token [=]...)", 1, 28},
	{"CREATE TABLE t (P int PRIMARY KEY)", "line 1:16 no viable alternative at input 'P' (CREATE TABLE t ([P]...)", 1, 16}, // P lexes as a duration

	// Multi-line input: the snippet joins lines.
	{"SELECT *\nFROM t\nWHERE k = 1\nAND", "line 0:-1 no viable alternative at input '<EOF>'", 0, -1},
	{"SELECT *\nFROM t\nLIMIT x", "line 3:6 no viable alternative at input 'x' (SELECT *FROM tLIMIT [x])", 3, 6},

	// Cassandra's own tests.
	{"INSERT INTO ks.t (a, b, c) VALUES (CAST(? AS int), ?, ?)", "line 1:39 no viable alternative at input '(' (... b, c) VALUES ([CAST](...)", 1, 39},                                    // (test)
	{"CREATE KEYSPACE ks WITH WITH DURABLE_WRITES = true", "line 1:24 no viable alternative at input 'WITH' (CREATE KEYSPACE ks WITH [WITH]...)", 1, 24},                                  // (test)
	{"ALTER TABLE t WITH caching = {'keys' : 'all', 'rows_per_partition' : ALL};", "line 1:72 no viable alternative at input '}' (... : 'all', 'rows_per_partition' : [ALL]}...)", 1, 72}, // (test)

	// Lexer errors (no snippet).
	{"SELECT * FROM t WHERE a = 1 & b = 2", "line 1:28 no viable alternative at character '&'", 1, 28},
	{"SELECT * FROM t WHERE a ! 1", "line 1:25 mismatched character ' ' expecting '='", 1, 25},
	{"SELECT * FROM t WHERE a = 'abc", "line 1:30 mismatched character '<EOF>' expecting '''", 1, 30},
	{`SELECT * FROM t WHERE "abc = 1`, `line 1:30 mismatched character '<EOF>' expecting '"'`, 1, 30},
	{"SELECT * FROM t WHERE a = $$abc", "line 1:30 mismatched character 'c' expecting '$'", 1, 30},
	{"SELECT * FROM t /* unterminated", "line 1:31 mismatched character '<EOF>' expecting '*'", 1, 31},
	{"SELECT * FROM t -- trailing comment", "line 1:35 mismatched character '<EOF>' expecting set null", 1, 35},
	{"SELECT * FROM t WHERE a = 1 / 2", "line 1:29 no viable alternative at character ' '", 1, 29},
	{"SELECT * FROM t WHERE é = 1", "line 1:22 no viable alternative at character 'é'", 1, 22},
	{"SELECT * FROM t WHERE a = 1d5", "line 1:29 no viable alternative at character '<EOF>'", 1, 29},
	{"SELECT * FROM t WHERE a =\n'x\ny", "line 3:1 mismatched character '<EOF>' expecting '''", 3, 1},

	// Errors raised by grammar actions: the message alone.
	{"SELECT * FROM ?", "Bind variables cannot be used for table names", 0, 0},
	{"SELECT * FROM ?.t", "Bind variables cannot be used for keyspace names", 0, 0},
	{"USE ?", "Bind variables cannot be used for keyspace names", 0, 0},
	{"DROP INDEX ?", "Bind variables cannot be used for index names", 0, 0},
	{"GRANT ? TO r", "Bind variables cannot be used for role names", 0, 0},
	{"UPDATE t SET v = 1, v = 2 WHERE k = 1", "Multiple incompatible setting of column v", 0, 0},
	{`UPDATE t SET "V" = 1, "V"[0] = 2 WHERE k = 1`, `Multiple incompatible setting of column "V"`, 0, 0},
	{"UPDATE t SET u.a = 1, u.a = 2 WHERE k = 1", "Multiple incompatible setting of column u", 0, 0},
	{"UPDATE t SET a = b + 3 WHERE k = 1", "Only expressions of the form X = X +<value> are supported.", 0, 0},
	{"UPDATE t SET a = b - 3 WHERE k = 1", "Only expressions of the form X = X -<value> are supported.", 0, 0},
	{"UPDATE t SET a = b -3 WHERE k = 1", "Only expressions of the form X = X - <value> are supported.", 0, 0},
	{"UPDATE t SET l = [1] + m WHERE k = 1", "Only expressions of the form X = <value> + X are supported.", 0, 0},
	{"CREATE TABLE t (k frozen<int> PRIMARY KEY)", "frozen<> is only allowed on collections, tuples, and user-defined types (got int)", 0, 0},
	{"CREATE TYPE ks.byte (a int)", "Invalid (reserved) user type name byte", 0, 0},
	{"CREATE KEYSPACE ks WITH replication = {'class': ?}", "Invalid property value: ? for property: 'class' (bind variables are not supported in DDL queries)", 0, 0},
	{"CREATE KEYSPACE ks WITH replication = {:k: 'x'}", "Invalid property name: ? (bind variables are not supported in DDL queries)", 0, 0},
	{"CREATE KEYSPACE ks WITH replication = {'class': [1]}", "Invalid property value: [1] for property: 'class'", 0, 0},
	{"CREATE KEYSPACE ks WITH replication = {'a': 1, 'a': 2}", "Multiple definition for property a", 0, 0},
	{"CREATE KEYSPACE ks WITH durable_writes = true AND DURABLE_WRITES = false", "Multiple definition for property 'durable_writes'", 0, 0},
	{"CREATE ROLE r WITH LOGIN = true AND LOGIN = false", "Multiple definition for property 'LOGIN'", 0, 0},
	{`CREATE USER "Bob"`, "Quoted strings are are not supported for user names and USER is deprecated, please use ROLE", 0, 0},
	{"GRANT EXECUTE ON KEYSPACE ks TO r", "Resource type DataResource does not support any of the requested permissions", 0, 0},
	{"GRANT SELECT ON ROLE r1 TO r2", "Resource type RoleResource does not support any of the requested permissions", 0, 0},
	{"GRANT SELECT ON MBEAN '' TO r", "Empty JMX object name supplied", 0, 0},
	{"GRANT SELECT ON MBEANS 'a:type=b' TO r", "Plural form used, but non-pattern JMX object name specified (a:type=b)", 0, 0},
	{"ALTER TABLE t DROP v USING TIMESTAMP 99999999999999999999", `Failed parsing statement: [ALTER TABLE t DROP v USING TIMESTAMP 99999999999999999999] reason: NumberFormatException For input string: "99999999999999999999"`, 0, 0},
}

func TestSyntaxErrors(t *testing.T) {
	for _, c := range syntaxErrors {
		_, err := Parse(c.q)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q): %v, want a *SyntaxError", c.q, err)
			continue
		}
		if se.Message != c.msg || se.Line != c.line || se.Column != c.col {
			t.Errorf("Parse(%q)\n got %d:%d %s\nwant %d:%d %s", c.q, se.Line, se.Column, se.Message, c.line, c.col, c.msg)
		}
		if se.Error() != se.Message || se.HasPosition != strings.HasPrefix(c.msg, "line ") {
			t.Errorf("Parse(%q): Error() %q, HasPosition %v", c.q, se.Error(), se.HasPosition)
		}
	}
	if len(syntaxErrors) < 30 {
		t.Fatalf("only %d malformed inputs", len(syntaxErrors))
	}
}

func TestSyntaxErrorOffset(t *testing.T) {
	_, err := Parse("SELECT * FROM t WHERE a = 1 & b = 2")
	if se := err.(*SyntaxError); se.Offset != 28 {
		t.Errorf("offset %d", se.Offset)
	}
	_, err = Parse("SELECT a b FROM t")
	if se := err.(*SyntaxError); se.Offset != 9 {
		t.Errorf("offset %d", se.Offset)
	}
	_, err = Parse("SELECT * FROM")
	if se := err.(*SyntaxError); se.Offset != -1 {
		t.Errorf("offset %d", se.Offset)
	}
}

func TestNestingLimit(t *testing.T) {
	for _, c := range []struct {
		prefix, unit, suffix string
	}{
		{"INSERT INTO t (k) VALUES (", "[", ""},
		{"INSERT INTO t (k) VALUES (", "(", ""},
		{"INSERT INTO t (k) VALUES (", "f(", ""},
		{"INSERT INTO t (k) VALUES (", "(int)", "1)"},
		{"CREATE TABLE t (k ", "frozen<", ""},
		{"INSERT INTO t (k) VALUES ((", "list<", ""},
		{"SELECT ", "f(", " FROM t"},
		{"SELECT ", "CAST(", " FROM t"},
		{"SELECT a", ".a", " FROM t"},
	} {
		// maxDepth levels are fine, or fail for another reason; many
		// more fail on the limit, without exhausting the stack.
		_, err := Parse(c.prefix + strings.Repeat(c.unit, maxDepth-5) + c.suffix)
		if err != nil && strings.Contains(err.Error(), "levels deep") {
			t.Errorf("%s%s...: %v", c.prefix, c.unit, err)
		}
		_, err = Parse(c.prefix + strings.Repeat(c.unit, 100*maxDepth) + c.suffix)
		if err == nil || !strings.Contains(err.Error(), "statement nests more than 500 levels deep at input") {
			t.Errorf("%s%s...: %v", c.prefix, c.unit, err)
		}
	}
	// Nesting that is not deep is not limited by length.
	if _, err := Parse("SELECT * FROM t WHERE k IN (" + strings.Repeat("1, ", 10*maxDepth) + "1)"); err != nil {
		t.Error(err)
	}
}
