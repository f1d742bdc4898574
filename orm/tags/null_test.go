package tags

import (
	"errors"
	"strings"
	"testing"
)

func TestParseNull(t *testing.T) {
	for _, tc := range []struct {
		tag  string
		want NullMode
	}{
		{"n", NullDefault},
		{"n,null=skip", NullSkip},
		{"n,null=delete", NullDelete},
		{"n,null=write", NullWrite},
		{"n,omitempty,null=delete", NullDelete},
		{"n, null = skip ", NullSkip},
	} {
		f, err := Parse("S", "F", typeOf[*string](), tc.tag)
		if err != nil {
			t.Fatalf("%q: %v", tc.tag, err)
		}
		if f.Null != tc.want {
			t.Errorf("%q: Null = %v, want %v", tc.tag, f.Null, tc.want)
		}
	}
	for _, tc := range []struct {
		tag  string
		err  error
		text string
	}{
		{"n,null=never", ErrSyntax, "skip, delete or write"},
		{"n,null", ErrSyntax, "needs a value"},
		{",key,null=skip", ErrConflict, "null= applies to columns"},
		{"n,omitempty,null=write", ErrConflict, "omitempty"},
		{"n,null=skip,null=write", ErrSyntax, "given twice"},
	} {
		_, err := Parse("S", "F", typeOf[string](), tc.tag)
		if !errors.Is(err, tc.err) || err == nil || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("%q: got %v, want %v mentioning %q", tc.tag, err, tc.err, tc.text)
		}
	}
	if _, err := Parse("S", "F", typeOf[int64](), "n,type=Counter,null=delete"); !errors.Is(err, ErrConflict) {
		t.Errorf("null= on a counter: %v", err)
	}
	for m, s := range map[NullMode]string{NullDefault: "default", NullSkip: "skip", NullDelete: "delete", NullWrite: "write"} {
		if m.String() != s {
			t.Errorf("%d.String() = %q, want %q", m, m.String(), s)
		}
	}
}
