package pool

import "testing"

// FuzzNormalizeAddr: any input either fails or normalizes to a fixed
// point, and never panics.
func FuzzNormalizeAddr(f *testing.F) {
	for _, s := range []string{"localhost", "h:9160", "[::1]:1", "::1", "10.0.0.1", "", ":", "[", "a:b:c", "H:0001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := NormalizeAddr(s)
		if err != nil {
			return
		}
		again, err := NormalizeAddr(n)
		if err != nil || again != n {
			t.Fatalf("NormalizeAddr(%q) = %q, but NormalizeAddr(%q) = %q, %v", s, n, n, again, err)
		}
	})
}
