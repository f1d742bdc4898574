package cqlparse

import (
	"errors"
	"reflect"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, q := range testStatements() {
		f.Add(q)
	}
	for _, c := range syntaxErrors {
		f.Add(c.q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		p, err := Parse(q)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || p != nil {
				t.Fatalf("Parse(%q): %v, %v", q, p, err)
			}
			if se.Offset < -1 || se.Offset > len(q) {
				t.Fatalf("Parse(%q): offset %d out of range", q, se.Offset)
			}
			return
		}
		text := p.Statement.String()
		p2, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q) printed %q, which does not parse: %v", q, text, err)
		}
		if !reflect.DeepEqual(p, p2) {
			t.Fatalf("Parse(%q) printed %q, which parses to a different statement\n%#v\n%#v", q, text, p.Statement, p2.Statement)
		}
		for i, m := range p.Markers {
			if m.Index != i {
				t.Fatalf("Parse(%q): marker %d has index %d", q, i, m.Index)
			}
		}
	})
}
