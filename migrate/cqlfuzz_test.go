package migrate

import (
	"strings"
	"testing"
)

// FuzzSplitCQLScript: any script either fails with a *ScriptError or
// splits into non-empty statements that split the same way again when
// written one per line.
func FuzzSplitCQLScript(f *testing.F) {
	for _, s := range []string{"CREATE TABLE t (k int PRIMARY KEY);\nINSERT INTO t (k) VALUES (1)",
		"-- c\nSELECT 'a;b' FROM t; /* x; */ SELECT \"q;\" FROM t;",
		"BEGIN BATCH INSERT INTO t (k) VALUES (1); APPLY BATCH;", "SELECT $$a;b$$;", "'", "/*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		stmts, err := splitCQLScript("f", s)
		if err != nil {
			if _, ok := err.(*ScriptError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		var b strings.Builder
		for _, st := range stmts {
			if strings.TrimSpace(st.text) == "" || st.line < 1 {
				t.Fatalf("statement %+v", st)
			}
			b.WriteString(st.text + ";\n")
		}
		again, err := splitCQLScript("f", b.String())
		if err != nil {
			t.Fatalf("rejoined %q: %v", b.String(), err)
		}
		if len(again) != len(stmts) {
			t.Fatalf("%d statements, %d after rejoining %q", len(stmts), len(again), b.String())
		}
		for i := range again {
			if again[i].text != stmts[i].text {
				t.Fatalf("statement %d: %q, then %q", i, stmts[i].text, again[i].text)
			}
		}
	})
}
