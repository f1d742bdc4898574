package cqlscript

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	for _, c := range []struct {
		script string
		want   []Statement
	}{
		{"", nil},
		{" ;; -- nothing\n/* here */ ;", nil},
		{"USE ks", []Statement{{"USE ks", 0, 1, false}}},
		{"USE ks;\nSELECT * FROM t;", []Statement{{"USE ks", 0, 1, true}, {"SELECT * FROM t", 8, 2, true}}},
		{"-- header; not a statement\nCREATE TABLE t (k int PRIMARY KEY); // done; really\n",
			[]Statement{{"CREATE TABLE t (k int PRIMARY KEY)", 27, 2, true}}},
		{"INSERT INTO t (k, v) VALUES (1, 'a;b');INSERT INTO t (k, v) VALUES (2, $$c;'d$$)",
			[]Statement{{"INSERT INTO t (k, v) VALUES (1, 'a;b')", 0, 1, true}, {"INSERT INTO t (k, v) VALUES (2, $$c;'d$$)", 39, 1, false}}},
		{`SELECT "a;b" FROM t /* ; */ WHERE k = 1 ; `, []Statement{{`SELECT "a;b" FROM t /* ; */ WHERE k = 1`, 0, 1, true}}},
		{"BEGIN BATCH\n  INSERT INTO t (k) VALUES (1);\n  DELETE FROM t WHERE k = 2;\nAPPLY BATCH;\nSELECT * FROM t",
			[]Statement{
				{"BEGIN BATCH\n  INSERT INTO t (k) VALUES (1);\n  DELETE FROM t WHERE k = 2;\nAPPLY BATCH", 0, 1, true},
				{"SELECT * FROM t", 86, 5, false},
			}},
		{"begin unlogged batch using timestamp 1 update t set v = 1 where k = 1; apply batch; use ks",
			[]Statement{{"begin unlogged batch using timestamp 1 update t set v = 1 where k = 1; apply batch", 0, 1, true}, {"use ks", 84, 1, false}}},
		{"BEGIN COUNTER BATCH UPDATE c SET n = n + 1 WHERE k = 1; APPLY BATCH",
			[]Statement{{"BEGIN COUNTER BATCH UPDATE c SET n = n + 1 WHERE k = 1; APPLY BATCH", 0, 1, false}}},
		// BEGIN not followed by a batch keyword is no batch: it ends at ';'.
		{"BEGIN; USE ks", []Statement{{"BEGIN", 0, 1, true}, {"USE ks", 7, 1, false}}},
		// Text the server's lexer cannot read stays in its statement.
		{"SELECT ~ FROM t; USE ks", []Statement{{"SELECT ~ FROM t", 0, 1, true}, {"USE ks", 17, 1, false}}},
		{"USE ks; SELECT 'unterminated; USE x", []Statement{{"USE ks", 0, 1, true}, {"SELECT 'unterminated; USE x", 8, 1, false}}},
		{"USE ks; /* unterminated ; comment", []Statement{{"USE ks", 0, 1, true}, {"/* unterminated ; comment", 8, 1, false}}},
		{"USE ks; -- trailing comment without newline", []Statement{{"USE ks", 0, 1, true}}},
		{"\r\n\r\nUSE ks", []Statement{{"USE ks", 4, 3, false}}},
		{"SELECT 'a\nb' FROM t;\nUSE \"x\ny\";", []Statement{{"SELECT 'a\nb' FROM t", 0, 1, true}, {"USE \"x\ny\"", 21, 3, true}}},
		{"INSERT INTO t (k) VALUES ('日本;');", []Statement{{"INSERT INTO t (k) VALUES ('日本;')", 0, 1, true}}},
	} {
		got := Split(c.script)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Split(%q)\n got %#v\nwant %#v", c.script, got, c.want)
		}
	}
}

func TestSplitterLineCommands(t *testing.T) {
	sp := Splitter{LineCommands: []string{"help", "describe", "consistency"}}
	got := sp.Split("HELP\nDESCRIBE KEYSPACES;\nconsistency QUORUM -- here\nSELECT *\nFROM t;\nDescribe table 'x\ny'\nhelp")
	want := []Statement{
		{"HELP", 0, 1, true},
		{"DESCRIBE KEYSPACES", 5, 2, true},
		{"consistency QUORUM", 25, 3, true},
		{"SELECT *\nFROM t", 52, 4, true},
		{"Describe table 'x\ny'", 69, 6, true},
		{"help", 90, 8, false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
	for _, c := range []struct {
		text string
		open bool
	}{
		{"", false},
		{"-- only a comment\n", false},
		{"SELECT * FROM t", true},
		{"SELECT * FROM t;", false},
		{"SELECT 'a;", true},
		{"SELECT $$a;", true},
		{"SELECT \"a;", true},
		{"SELECT 1 /* ;", true},
		{"BEGIN BATCH INSERT INTO t (k) VALUES (1);", true},
		{"BEGIN BATCH INSERT INTO t (k) VALUES (1); APPLY BATCH;", false},
		{"HELP", true},
		{"HELP\n", false},
		{"USE ks;\nSELECT", true},
	} {
		if got := sp.Open(c.text); got != c.open {
			t.Errorf("Open(%q) = %v, want %v", c.text, got, c.open)
		}
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"USE ks; SELECT * FROM t WHERE k = 'a;b';",
		"BEGIN BATCH INSERT INTO t (k) VALUES ($$;$$); APPLY BATCH; -- c\n",
		"SELECT \"x\"\"y\" FROM t /* c */;",
		"HELP\nDESCRIBE KEYSPACES",
	} {
		f.Add(s)
	}
	sp := Splitter{LineCommands: []string{"help", "describe"}}
	f.Fuzz(func(t *testing.T, script string) {
		for _, split := range []func(string) []Statement{Split, sp.Split} {
			prev := 0
			stmts := split(script)
			for i, s := range stmts {
				if s.Text == "" || s.Offset < prev || s.Offset+len(s.Text) > len(script) ||
					script[s.Offset:s.Offset+len(s.Text)] != s.Text {
					t.Fatalf("Split(%q): bad statement %#v after offset %d", script, s, prev)
				}
				if s.Line != 1+strings.Count(script[:s.Offset], "\n") {
					t.Fatalf("Split(%q): statement at %d says line %d", script, s.Offset, s.Line)
				}
				if !s.Terminated && i != len(stmts)-1 {
					t.Fatalf("Split(%q): unterminated statement %#v before the last", script, s)
				}
				prev = s.Offset + len(s.Text)
			}
		}
	})
}
