//go:build !linux && !darwin && !dragonfly && !freebsd && !netbsd && !openbsd

package repl

import "os"

// isTTY falls back to the file mode where the terminal driver is not
// asked: any character device counts.
func isTTY(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
