//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package repl

import (
	"os"

	"golang.org/x/sys/unix"
)

// isTTY asks the terminal driver, as Python's isatty does: /dev/null is
// a character device but no terminal.
func isTTY(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TIOCGETA)
	return err == nil
}
