package cqltype

import (
	"errors"
	"testing"
)

// FuzzParse: any text either fails with a *SyntaxError or parses to a
// type whose printed form parses back to itself.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"int", "map<text, frozen<list<int>>>", "tuple<int, list<int>>", `frozen<"A b">`,
		"'org.x.Y'", "vector<float, 3>", "set<frozen<address>>", "list<counter>", "frozen<", `"unterminated`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("%q: error of type %T: %v", s, err, err)
			}
			return
		}
		printed := typ.String()
		again, err := Parse(printed)
		if err != nil {
			t.Fatalf("%q printed as %q, which does not parse: %v", s, printed, err)
		}
		if again.String() != printed {
			t.Fatalf("%q printed as %q, then as %q", s, printed, again.String())
		}
	})
}

// FuzzParseStored: the same of ParseStored, and whatever Parse accepts,
// ParseStored reads the same (the name empty apart).
func FuzzParseStored(f *testing.F) {
	for _, s := range []string{"map<text, frozen<list<int>>>", "frozen<", "tuple<int,,>", "'x", "<<<", "a b c", "empty", "list<list<int>>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ, err := ParseStored(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("%q: error of type %T: %v", s, err, err)
			}
			// (Save a user type named empty, which ParseStored takes for
			// the native type.)
			if strict, err := Parse(s); err == nil && !strict.RefersTo("empty") {
				t.Fatalf("%q: Parse accepts what ParseStored refuses", s)
			}
			return
		}
		printed := typ.String()
		again, err := ParseStored(printed)
		if err != nil || again.String() != printed {
			t.Fatalf("%q printed as %q, then %v %v", s, printed, again, err)
		}
		_, _, _ = typ.MultiCell(), typ.IsUDT(), typ.UserTypes(nil)
		if strict, err := Parse(s); err == nil && !strict.RefersTo("empty") && strict.String() != printed {
			t.Fatalf("%q: Parse reads %s, ParseStored %s", s, strict, printed)
		}
	})
}
