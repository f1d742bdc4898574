package shell

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func str(s string, pos int) Literal  { return Literal{Kind: LitString, Text: s, Pos: pos} }
func word(s string, pos int) Literal { return Literal{Kind: LitWord, Text: s, Pos: pos} }
func num(s string, pos int) Literal  { return Literal{Kind: LitNumber, Text: s, Pos: pos} }

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Statement
	}{
		{"help", Help{}},
		{"HELP set;", Help{Topic: "set"}},
		{"?", Help{}},
		{"quit;", Quit{}},
		{"Exit", Quit{}},
		{"connect localhost:9160", Connect{Addr: "localhost:9160"}},
		{"connect 127.0.0.1:9161;", Connect{Addr: "127.0.0.1:9161"}},
		{"connect 'db1/9160'", Connect{Addr: "db1/9160"}},
		{"use Demo", Use{Keyspace: "Demo"}},
		{"USE 'my ks';", Use{Keyspace: "my ks"}},
		{"describe", DescribeKeyspace{}},
		{"describe keyspace", DescribeKeyspace{}},
		{"describe keyspace Demo", DescribeKeyspace{Keyspace: "Demo"}},
		{"DESCRIBE COLUMN FAMILY Users", DescribeCF{CF: "Users"}},
		{"desc Users", Describe{Name: "Users"}},
		{"show keyspaces;", ShowKeyspaces{}},
		{"show column families", ShowColumnFamilies{}},
		{"show cluster name", ShowClusterName{}},
		{"SHOW API VERSION;", ShowAPIVersion{}},
		{"list Users", List{CF: "Users"}},
		{"list Users limit 5 columns 2;", List{CF: "Users", Limit: 5, Columns: 2}},
		{"get Users['u1']", Get{Ref: Ref{CF: "Users", CFPos: 4, Path: []Literal{str("u1", 10)}}}},
		{"get Users[u1][age] limit 3", Get{Ref: Ref{CF: "Users", CFPos: 4, Path: []Literal{word("u1", 10), word("age", 14)}}, Limit: 3}},
		{"get T['k']['s']['c']", Get{Ref: Ref{CF: "T", CFPos: 4, Path: []Literal{str("k", 6), str("s", 11), str("c", 16)}}}},
		{"get Users where age = 24 and state > 'UT' limit 2", GetWhere{CF: "Users", Exprs: []Expr{
			{Column: word("age", 16), Op: "=", Value: num("24", 22)},
			{Column: word("state", 29), Op: ">", Value: str("UT", 37)},
		}, Limit: 2}},
		{"set Users['u1']['age'] = 24", Set{Ref: Ref{CF: "Users", CFPos: 4, Path: []Literal{str("u1", 10), str("age", 16)}}, Value: num("24", 25)}},
		{"set U[k][c] = -1.5e3 with ttl = 60;", Set{Ref: Ref{CF: "U", CFPos: 4, Path: []Literal{word("k", 6), word("c", 9)}}, Value: num("-1.5e3", 14), TTL: 60}},
		{"set U[k][c] = 'it''s'", Set{Ref: Ref{CF: "U", CFPos: 4, Path: []Literal{word("k", 6), word("c", 9)}}, Value: str("it's", 14)}},
		{`set U[k][c] = "say \"hi\""`, Set{Ref: Ref{CF: "U", CFPos: 4, Path: []Literal{word("k", 6), word("c", 9)}}, Value: str(`say "hi"`, 14)}},
		{"set U[k][c] = 0x0aFF", Set{Ref: Ref{CF: "U", CFPos: 4, Path: []Literal{word("k", 6), word("c", 9)}}, Value: Literal{Kind: LitHex, Text: "0aFF", Pos: 14}}},
		{"set U[k][timeuuid()] = long(24)", Set{Ref: Ref{CF: "U", CFPos: 4, Path: []Literal{word("k", 6), {Kind: LitFunc, Func: "timeuuid", Pos: 9}}},
			Value: Literal{Kind: LitFunc, Func: "long", Text: "24", Arg: &Literal{Kind: LitNumber, Text: "24", Pos: 28}, Pos: 23}}},
		{"del Users['u1']", Del{Ref: Ref{CF: "Users", CFPos: 4, Path: []Literal{str("u1", 10)}}}},
		{"delete Users['u1']['age'];", Del{Ref: Ref{CF: "Users", CFPos: 7, Path: []Literal{str("u1", 13), str("age", 19)}}}},
		{"count Users[u1]", Count{Ref: Ref{CF: "Users", CFPos: 6, Path: []Literal{word("u1", 12)}}}},
		{"incr C[k][c]", Incr{Ref: Ref{CF: "C", CFPos: 5, Path: []Literal{word("k", 7), word("c", 10)}}, By: 1}},
		{"incr C[k][c] by 10", Incr{Ref: Ref{CF: "C", CFPos: 5, Path: []Literal{word("k", 7), word("c", 10)}}, By: 10}},
		{"decr C[k][c] by 3", Incr{Ref: Ref{CF: "C", CFPos: 5, Path: []Literal{word("k", 7), word("c", 10)}}, By: -3}},
		{"create keyspace Demo", CreateKeyspace{Name: "Demo"}},
		{"create keyspace Demo with strategy_class = SimpleStrategy and strategy_options = {replication_factor: 1}",
			CreateKeyspace{Name: "Demo", Props: []Prop{
				{Name: "strategy_class", Pos: 26, Value: PropValue{Scalar: &Literal{Kind: LitWord, Text: "SimpleStrategy", Pos: 43}, Pos: 43}},
				{Name: "strategy_options", Pos: 62, Value: PropValue{Map: []KV{{Key: "replication_factor", Value: num("1", 102)}}, Pos: 81}},
			}}},
		{"drop keyspace Demo", DropKeyspace{Name: "Demo"}},
		{"update keyspace Demo with durable_writes = false", UpdateKeyspace{Name: "Demo", Props: []Prop{
			{Name: "durable_writes", Pos: 26, Value: PropValue{Scalar: &Literal{Kind: LitWord, Text: "false", Pos: 43}, Pos: 43}}}}},
		{"update column family U with comment = 'x'", UpdateCF{Name: "U", Props: []Prop{
			{Name: "comment", Pos: 28, Value: PropValue{Scalar: &Literal{Kind: LitString, Text: "x", Pos: 38}, Pos: 38}}}}},
		{"create column family Users with comparator = UTF8Type and column_metadata = [{column_name: age, validation_class: LongType, index_type: KEYS}]",
			CreateCF{Name: "Users", Props: []Prop{
				{Name: "comparator", Pos: 32, Value: PropValue{Scalar: &Literal{Kind: LitWord, Text: "UTF8Type", Pos: 45}, Pos: 45}},
				{Name: "column_metadata", Pos: 58, Value: PropValue{List: [][]KV{{
					{Key: "column_name", Value: word("age", 91)},
					{Key: "validation_class", Value: word("LongType", 114)},
					{Key: "index_type", Value: word("KEYS", 136)},
				}}, Pos: 76}},
			}}},
		{"drop column family Users;", DropCF{Name: "Users"}},
		{"create column family C with comparator = CompositeType(LongType, ReversedType(UTF8Type))", CreateCF{Name: "C", Props: []Prop{
			{Name: "comparator", Pos: 28, Value: PropValue{Scalar: &Literal{Kind: LitWord, Text: "CompositeType(LongType,ReversedType(UTF8Type))", Pos: 41}, Pos: 41}}}}},
		{"create index on Users(age) LongType", CreateIndex{CF: "Users", Column: word("age", 22), Validator: "LongType"}},
		{"create index on Users('age')", CreateIndex{CF: "Users", Column: str("age", 22)}},
		{"drop index on Users(age)", DropIndex{CF: "Users", Column: word("age", 20)}},
		{"truncate Users", Truncate{CF: "Users"}},
		{"assume Users keys as utf8", Assume{CF: "Users", What: "keys", Type: "utf8", WhatPos: 13, TypePos: 21}},
		{"ASSUME U subcomparator AS 'LongType'", Assume{CF: "U", What: "sub_comparator", Type: "LongType", WhatPos: 9, TypePos: 26}},
		{"assume U comparator as CompositeType(LongType, UTF8Type)", Assume{CF: "U", What: "comparator", Type: "CompositeType(LongType,UTF8Type)", WhatPos: 9, TypePos: 23}},
		{"consistencylevel as quorum;", Consistency{Level: "QUORUM", Pos: 20}},
		{"get Users['user-1.x']", Get{Ref: Ref{CF: "Users", CFPos: 4, Path: []Literal{str("user-1.x", 10)}}}},
		{"get Users[user-1]", Get{Ref: Ref{CF: "Users", CFPos: 4, Path: []Literal{word("user-1", 10)}}}},
		{"get Users[123abc]", Get{Ref: Ref{CF: "Users", CFPos: 4, Path: []Literal{word("123abc", 10)}}}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q)\n got %#v\nwant %#v", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in   string
		pos  int
		want string
	}{
		{"", 0, "empty command"},
		{"frobnicate", 0, `unknown command "frobnicate"`},
		{"42", 0, "expected a command"},
		{"get", 3, "expected a column family name"},
		{"get Users", 9, "expected [ after Users"},
		{"get Users['u1'", 14, `expected "]"`},
		{"get Users['u1", 10, "unterminated string"},
		{"get Users[]", 10, "expected a value"},
		{"get Users[a][b][c][d]", 18, "too many subscripts"},
		{"set Users['u1'] = 1", 16, "expected [ after Users"},
		{"set Users['u1']['c'] 1", 21, `expected "="`},
		{"set Users['u1']['c'] = 1 with ttl = x", 36, "TTL"},
		{"set Users['u1']['c'] = 1 with ttl = -5", 36, "TTL"},
		{"set U[k][c] = nosuch(1)", 14, `unknown function "nosuch"`},
		{"set U[k][c] = long(utf8('x'))", 19, "functions do not nest"},
		{"set U[k][c] = long(1", 20, `expected ")"`},
		{"count Users[a][b][c]", 17, "too many subscripts"},
		{"incr C[k][c] by x", 16, "whole number"},
		{"incr C[k][c] by 99999999999999999999", 16, "64-bit"},
		{"list Users limit", 16, "row limit"},
		{"list Users limit 3 extra", 19, "unexpected"},
		{"show tables", 5, "expected 'keyspaces'"},
		{"show cluster", 12, `expected "name"`},
		{"show api", 8, `expected "version"`},
		{"create table x", 7, "expected 'keyspace'"},
		{"drop x", 5, "expected 'keyspace'"},
		{"update x", 7, "expected 'keyspace' or 'column family'"},
		{"update keyspace K", 17, `expected "with"`},
		{"create keyspace K with", 22, "property name"},
		{"create keyspace K with a", 24, `expected "="`},
		{"create keyspace K with a = {b 1}", 30, "expected ':'"},
		{"create keyspace K with a = {b: 1", 32, `expected "}"`},
		{"create keyspace K with a = [{b: 1}", 34, `expected "]"`},
		{"create index Users(age)", 13, `expected "on"`},
		{"create index on Users age", 22, `expected "("`},
		{"create index on Users(age) 5", 27, "expected a type"},
		{"get U where a ~ 1", 14, "unexpected character"},
		{"get U where a and 1", 14, "expected an operator"},
		{"get U[0xzz]", 6, "bad hex"},
		{"use", 3, "keyspace name"},
		{"connect", 7, "host:port"},
		{"connect h:x", 10, "port number"},
		{"get U['a'] \xff", 11, "invalid UTF-8"},
		{"get U['a'] !", 11, "unexpected character"},
		{"quit now", 5, "unexpected"},
		{"consistencylevel quorum", 17, `expected "as"`},
		{"assume U values as utf8", 9, "expected keys, comparator"},
		{"assume U keys utf8", 14, `expected "as"`},
		{"assume U keys as 5", 17, "expected a type"},
		{"assume U keys as CompositeType(LongType", 39, "close the type"},
		{"consistencylevel as 1", 20, "consistency level"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %v, want a *ParseError", tt.in, err)
			continue
		}
		if pe.Pos != tt.pos || !strings.Contains(pe.Msg, tt.want) {
			t.Errorf("Parse(%q) = pos %d %q, want pos %d containing %q", tt.in, pe.Pos, pe.Msg, tt.pos, tt.want)
		}
	}
}

func TestSplitStatements(t *testing.T) {
	tests := []struct {
		in   string
		want []Part
	}{
		{"", nil},
		{" ; ;", nil},
		{"use A; get B['x']", []Part{{"use A", 0}, {" get B['x']", 6}}},
		{"set B['x']['y'] = 'a;b'; quit;", []Part{{"set B['x']['y'] = 'a;b'", 0}, {" quit", 24}}},
		{`set B[x][y] = "q\";"; help`, []Part{{`set B[x][y] = "q\";"`, 0}, {" help", 21}}},
	}
	for _, tt := range tests {
		if got := SplitStatements(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitStatements(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestParseErrorCaret(t *testing.T) {
	e := &ParseError{Pos: 4, Msg: "x"}
	if got, want := e.Caret("get ü"), "get ü\n    ^"; got != want {
		t.Errorf("caret %q, want %q", got, want)
	}
	e = &ParseError{Pos: 6, Msg: "x"}
	if got, want := e.Caret("getü x"), "getü x\n     ^"; got != want {
		t.Errorf("caret after multibyte %q, want %q", got, want)
	}
	if got := (&ParseError{Pos: 99}).Caret("ab"); got != "ab\n  ^" {
		t.Errorf("caret past end %q", got)
	}
	if got := e.Error(); got != "syntax error at column 7: x" {
		t.Errorf("Error() = %q", got)
	}
}

func TestLiteralString(t *testing.T) {
	tests := []struct {
		l    Literal
		want string
	}{
		{str("it's", 0), "'it''s'"},
		{num("-1", 0), "-1"},
		{word("abc", 0), "abc"},
		{Literal{Kind: LitHex, Text: "0a"}, "0x0a"},
		{Literal{Kind: LitFunc, Func: "timeuuid"}, "timeuuid()"},
		{Literal{Kind: LitFunc, Func: "long", Arg: &Literal{Kind: LitNumber, Text: "2"}}, "long(2)"},
	}
	for _, tt := range tests {
		if got := tt.l.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.l, got, tt.want)
		}
	}
}

// FuzzParse checks that no input makes the lexer, splitter or parser panic
// and that errors point inside the input.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"get Users['u1']['age']", "set U[k][c] = long(24) with ttl = 5;", "list U limit 3 columns 2",
		"create column family U with column_metadata = [{column_name: a, validation_class: LongType}]",
		"create keyspace K with strategy_options = {replication_factor: 1}", "get U where a >= 1 and b < 'x'",
		"incr C[k][c] by -9", "del U[0x0a]", "connect h:1", "'", "[[[[", "set U[k][c] = 1e", "-", "0x", "\"\\",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		for _, part := range SplitStatements(src) {
			_, err := Parse(part.Text)
			var pe *ParseError
			if err != nil && (!errors.As(err, &pe) || pe.Pos < 0 || pe.Pos > len(part.Text)) {
				t.Fatalf("Parse(%q): %v", part.Text, err)
			}
			if err != nil {
				_ = pe.Caret(part.Text)
			}
		}
	})
}

func TestIncomplete(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"get Users['u1']", false},
		{"get Users['u1'", true},
		{"set U[k][c] = 'a", true},
		{"set U[k][c] = 'it''s'", false},
		{`set U[k][c] = 'a\'`, true},
		{"create column family U with", true},
		{"create column family U WITH comparator = UTF8Type AND", true},
		{"create column family U with column_metadata = [", true},
		{"create column family U with column_metadata = [{column_name: a,", true},
		{"create keyspace K with strategy_options =", true},
		{"create keyspace K with strategy_options = {replication_factor: 1}", false},
		{"with", false},
		{"get U[k]]", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := Incomplete(tt.line); got != tt.want {
			t.Errorf("Incomplete(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}
