package orm

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

// TestSameName holds the word comparison of unpack's loops to plain
// string equality: every name of 0 to 40 bytes matches itself, and no
// name matches one that differs in a single byte or in length.
func TestSameName(t *testing.T) {
	type nameCase struct {
		what, b string
		want    bool
	}
	for n := range 41 {
		name := strings.Repeat("abcdefghij", 5)[:n]
		x, y := nameWords(unsafe.Slice(unsafe.StringData(name), n))
		d := decField{name: name, x: x, y: y}
		cases := []nameCase{{"itself", name, true}, {"one byte longer", name + "a", false}}
		if n > 0 {
			cases = append(cases, nameCase{"one byte shorter", name[:n-1], false})
		}
		for i := range n {
			b := []byte(name)
			b[i] ^= 0x20
			cases = append(cases, nameCase{fmt.Sprintf("byte %d changed", i), string(b), false})
		}
		for _, c := range cases {
			if got := d.sameName([]byte(c.b)); got != c.want {
				t.Errorf("%d-byte name %q vs %q (%s): got %v", n, name, c.b, c.what, got)
			}
		}
	}
}
