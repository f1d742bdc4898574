package cqlparse

import (
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	for _, c := range []struct {
		script string
		want   []ScriptStatement
	}{
		{"", nil},
		{" ;; -- nothing\n/* here */ ;", nil},
		{"USE ks", []ScriptStatement{{"USE ks", 0, 1}}},
		{"USE ks;\nSELECT * FROM t;", []ScriptStatement{{"USE ks", 0, 1}, {"SELECT * FROM t", 8, 2}}},
		{"-- header; not a statement\nCREATE TABLE t (k int PRIMARY KEY); // done; really\n",
			[]ScriptStatement{{"CREATE TABLE t (k int PRIMARY KEY)", 27, 2}}},
		{"INSERT INTO t (k, v) VALUES (1, 'a;b');INSERT INTO t (k, v) VALUES (2, $$c;'d$$)",
			[]ScriptStatement{{"INSERT INTO t (k, v) VALUES (1, 'a;b')", 0, 1}, {"INSERT INTO t (k, v) VALUES (2, $$c;'d$$)", 39, 1}}},
		{`SELECT "a;b" FROM t /* ; */ WHERE k = 1 ; `, []ScriptStatement{{`SELECT "a;b" FROM t /* ; */ WHERE k = 1`, 0, 1}}},
		{"BEGIN BATCH\n  INSERT INTO t (k) VALUES (1);\n  DELETE FROM t WHERE k = 2;\nAPPLY BATCH;\nSELECT * FROM t",
			[]ScriptStatement{
				{"BEGIN BATCH\n  INSERT INTO t (k) VALUES (1);\n  DELETE FROM t WHERE k = 2;\nAPPLY BATCH", 0, 1},
				{"SELECT * FROM t", 86, 5},
			}},
		{"begin unlogged batch using timestamp 1 update t set v = 1 where k = 1; apply batch; use ks",
			[]ScriptStatement{{"begin unlogged batch using timestamp 1 update t set v = 1 where k = 1; apply batch", 0, 1}, {"use ks", 84, 1}}},
		{"BEGIN COUNTER BATCH UPDATE c SET n = n + 1 WHERE k = 1; APPLY BATCH",
			[]ScriptStatement{{"BEGIN COUNTER BATCH UPDATE c SET n = n + 1 WHERE k = 1; APPLY BATCH", 0, 1}}},
		// BEGIN not followed by a batch keyword is no batch: it ends at ';'.
		{"BEGIN; USE ks", []ScriptStatement{{"BEGIN", 0, 1}, {"USE ks", 7, 1}}},
		// Text the lexer cannot read stays in its statement for Parse.
		{"SELECT ~ FROM t; USE ks", []ScriptStatement{{"SELECT ~ FROM t", 0, 1}, {"USE ks", 17, 1}}},
		{"USE ks; SELECT 'unterminated; USE x", []ScriptStatement{{"USE ks", 0, 1}, {"SELECT 'unterminated; USE x", 8, 1}}},
		{"USE ks; /* unterminated ; comment", []ScriptStatement{{"USE ks", 0, 1}, {"/* unterminated ; comment", 8, 1}}},
		{"USE ks; -- trailing comment without newline", []ScriptStatement{{"USE ks", 0, 1}}},
		{"\r\n\r\nUSE ks", []ScriptStatement{{"USE ks", 4, 3}}},
	} {
		got := Split(c.script)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Split(%q)\n got %q\nwant %q", c.script, got, c.want)
		}
	}
}

func TestSplitThenParse(t *testing.T) {
	script := `
-- a migration
CREATE KEYSPACE IF NOT EXISTS app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
USE app;
CREATE TABLE users (id uuid PRIMARY KEY, name text, emails set<text>);
/* seed data; two rows */
BEGIN BATCH
  INSERT INTO users (id, name) VALUES (now(), 'a;b');
  INSERT INTO users (id, name) VALUES (now(), $$c$$);
APPLY BATCH;
`
	stmts := Split(script)
	if len(stmts) != 4 {
		t.Fatalf("%d statements: %q", len(stmts), stmts)
	}
	for _, s := range stmts {
		if script[s.Offset:s.Offset+len(s.Text)] != s.Text {
			t.Errorf("offset %d does not locate %q", s.Offset, s.Text)
		}
		if _, err := Parse(s.Text); err != nil {
			t.Errorf("line %d: %v", s.Line, err)
		}
	}
	if b, ok := mustParse(t, stmts[3].Text).Statement.(*BatchStmt); !ok || len(b.Statements) != 2 {
		t.Errorf("batch %#v", b)
	}
}
