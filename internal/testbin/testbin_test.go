package testbin

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A tiny program in a temporary module builds once and runs; Remove
// deletes it.
func TestBuildOnceRunRemove(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	src := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/hello\n\ngo 1.24\n")
	write("main.go", "package main\n\nfunc main() { println(\"hello\") }\n")
	t.Chdir(src)

	b := &Binary{Package: "example.com/hello"}
	first := b.Path(t)
	if again := b.Path(t); again != first {
		t.Fatalf("second Path = %q, want the first build %q", again, first)
	}
	out, err := exec.Command(first).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "hello" {
		t.Fatalf("run: %v %q", err, out)
	}
	b.Remove()
	if _, err := os.Stat(first); !os.IsNotExist(err) {
		t.Fatalf("after Remove, stat %s: %v", first, err)
	}
}
