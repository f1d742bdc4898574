package repl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The loop itself is tested on pseudo-terminals by the shells that use it
// (cmd/cassa: TestShellPseudoTerminal, TestCqlshPseudoTerminal).

func TestHistoryPath(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	if got := HistoryPath(".x_history"); got != filepath.Join(home, ".x_history") {
		t.Errorf("HistoryPath = %q", got)
	}
}

func TestIsTerminal(t *testing.T) {
	if IsTerminal(strings.NewReader("")) {
		t.Error("a strings.Reader is no terminal")
	}
	f, err := os.CreateTemp(t.TempDir(), "f")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) {
		t.Error("a file is no terminal")
	}
	if IsTTY(f) || IsTTY(nil) {
		t.Error("IsTTY: a file or nil is no terminal")
	}
	// /dev/null is a character device, and no terminal.
	if null, err := os.Open(os.DevNull); err == nil {
		defer null.Close()
		if IsTTY(null) {
			t.Errorf("IsTTY(%s) = true", os.DevNull)
		}
	}
}
