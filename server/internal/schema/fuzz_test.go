package schema

import "testing"

// FuzzParseRawType: no CQL type text panics the parser or the resolver.
func FuzzParseRawType(f *testing.F) {
	for _, s := range []string{"int", "frozen<map<text, list<int>>>", "tuple<int, text>", "ks.addr", `"A""b"`, "'x'", "list<", "map<int,>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRawType(s)
		if err != nil {
			return
		}
		_, _ = prepareType(r, "ks", nil)
		_ = r.String()
	})
}
