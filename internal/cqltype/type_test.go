package cqltype

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]string{
		"int":                           "int",
		"VARCHAR":                       "text",
		" Map < text , Int > ":          "map<text, int>",
		"frozen<list<int>>":             "frozen<list<int>>",
		"set<frozen<map<text,bigint>>>": "set<frozen<map<text, bigint>>>",
		"tuple<int, list<int>>":         "frozen<tuple<int, frozen<list<int>>>>",
		"list<tuple<int,text>>":         "list<frozen<tuple<int, text>>>",
		"Address":                       "address",
		`frozen<"Address">`:             `frozen<"Address">`,
		"frozen<address>":               "frozen<address>",
		"'org.apache.cassandra.db.marshal.LexicalUUIDType'": "'org.apache.cassandra.db.marshal.LexicalUUIDType'",
		"vector<float, 3>": "vector<float, 3>",
		"empty":            "empty", // a user type so named, to CREATE TABLE
	} {
		got, err := Parse(in)
		if err != nil || got.String() != want {
			t.Errorf("%q: %v %v, want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "list", "list<", "map<int>", "frozen<int>", "list<counter>", "int int",
		`"unterminated`, "list<list<int>>", "set<address>", "vector<float>", "frozen<vector<int, 2>>", "'x"} {
		_, err := Parse(in)
		var se *SyntaxError
		if !errors.As(err, &se) || se.Type != in {
			t.Errorf("%q: %v, want a *SyntaxError", in, err)
		}
	}
}

// The properties the query compiler and the planners read.
func TestProperties(t *testing.T) {
	for _, tc := range []struct {
		in, out                            string
		kind                               string
		collection, multiCell, udt, frozen bool
	}{
		{in: "int", out: "int", kind: "int"},
		{in: "set<text>", out: "set<text>", kind: "set", collection: true, multiCell: true},
		{in: "frozen<list<int>>", out: "frozen<list<int>>", kind: "list", collection: true, frozen: true},
		{in: "map<text, frozen<list<int>>>", out: "map<text, frozen<list<int>>>", kind: "map", collection: true, multiCell: true},
		{in: "address", out: "address", kind: "udt", multiCell: true, udt: true},
		{in: "frozen<address>", out: "frozen<address>", kind: "udt", udt: true, frozen: true},
		{in: `frozen<"Home Address">`, out: `frozen<"Home Address">`, kind: "udt", udt: true, frozen: true},
		{in: "tuple<int, text>", out: "frozen<tuple<int, text>>", kind: "tuple", frozen: true},
		{in: "frozen<tuple<int, duration>>", out: "frozen<tuple<int, duration>>", kind: "tuple", frozen: true},
		{in: "vector<float, 3>", out: "vector<float, 3>", kind: "vector", frozen: true},
		{in: "'org.apache.cassandra.db.marshal.LexicalUUIDType'", out: "'org.apache.cassandra.db.marshal.LexicalUUIDType'", kind: "custom"},
		{in: "empty", out: "empty", kind: "empty"},
	} {
		ty, err := ParseStored(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if ty.String() != tc.out || ty.Kind != tc.kind || ty.IsCollection() != tc.collection || ty.MultiCell() != tc.multiCell ||
			ty.IsUDT() != tc.udt || ty.Frozen != tc.frozen {
			t.Errorf("%s: %s kind %s collection %v multi-cell %v udt %v frozen %v", tc.in, ty, ty.Kind,
				ty.IsCollection(), ty.MultiCell(), ty.IsUDT(), ty.Frozen)
		}
	}
	var nilType *Type
	if nilType.String() != "" || nilType.IsCollection() || nilType.IsUDT() || nilType.MultiCell() || nilType.RefersTo("a") {
		t.Error("a nil *Type is something")
	}
}

// ParseStored reads what Cassandra stored without checking the nesting
// rules again; the syntax is the same.
func TestParseStored(t *testing.T) {
	for _, in := range []string{"list<counter>", "set<address>", "list<list<int>>"} {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) accepted it", in)
		}
		if _, err := ParseStored(in); err != nil {
			t.Errorf("ParseStored(%q): %v", in, err)
		}
	}
	for _, in := range []string{"", "frozen<", "tuple<int,,>", "'x", "<<<", "a b c", "org.apache.cassandra.db.marshal.Int32Type"} {
		if ty, err := ParseStored(in); err == nil {
			t.Errorf("ParseStored(%q) = %s", in, ty)
		}
	}
}

func TestUserTypes(t *testing.T) {
	ty, err := Parse(`map<frozen<a>, frozen<list<frozen<"B">>>>`)
	if err != nil {
		t.Fatal(err)
	}
	if got := ty.UserTypes(nil); len(got) != 2 || got[0] != "a" || got[1] != "B" {
		t.Errorf("user types %q", got)
	}
	if !ty.RefersTo("B") || ty.RefersTo("b") {
		t.Error("RefersTo")
	}
	if Canon(" LIST<Int>") != "list<int>" || Canon("list<") != "list<" {
		t.Error("Canon")
	}
}
