package hostport

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, want string
		bad      bool
	}{
		{in: "localhost", want: "localhost:9160"},
		{in: "Cass1:9161", want: "cass1:9161"},
		{in: " 10.0.0.4 ", want: "10.0.0.4:9160"},
		{in: "10.0.0.4:9160", want: "10.0.0.4:9160"},
		{in: "::1", want: "[::1]:9160"},
		{in: "[::1]", want: "[::1]:9160"},
		{in: "[::1]:7000", want: "[::1]:7000"},
		{in: "under_score", want: "under_score:9160"},
		{in: "", bad: true},
		{in: ":9160", bad: true},
		{in: "host:0", bad: true},
		{in: "host:99999", bad: true},
		{in: "host:http", bad: true},
		{in: "a:b:c", bad: true},
		{in: "0]0", bad: true},
		{in: "a b:1", bad: true},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in, 9160)
		if tt.bad {
			if err == nil {
				t.Errorf("Normalize(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// FuzzNormalize: any input either fails or normalizes to a fixed point,
// and never panics.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"localhost", "h:9160", "[::1]:1", "::1", "10.0.0.1", "", ":", "[", "a:b:c", "H:0001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Normalize(s, 9042)
		if err != nil {
			return
		}
		again, err := Normalize(n, 9042)
		if err != nil || again != n {
			t.Fatalf("Normalize(%q) = %q, but Normalize(%q) = %q, %v", s, n, n, again, err)
		}
	})
}
