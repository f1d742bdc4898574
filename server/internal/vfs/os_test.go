package vfs

import (
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
)

// TestOS runs the operations the commit log relies on against the real
// file system, with the same expectations as MemFS.
func TestOS(t *testing.T) {
	var o OS
	dir := filepath.Join(t.TempDir(), "a", "b")
	must(t, o.MkdirAll(dir))
	name := filepath.Join(dir, "f")
	f, err := o.Create(name)
	must(t, err)
	if f.Name() != name {
		t.Fatalf("Name() = %q", f.Name())
	}
	write(t, f, "hello world")
	must(t, f.Sync())
	must(t, f.Close())
	if _, err := o.Create(name); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("create an existing file: %v", err)
	}
	must(t, o.SyncDir(dir))
	must(t, o.Truncate(name, 5))
	if got := content(t, o, name); got != "hello" {
		t.Fatalf("after truncate %q", got)
	}
	must(t, o.Rename(name, name+"2"))
	if got := listing(t, o, dir); got != "f2" {
		t.Fatalf("listing %q", got)
	}
	must(t, o.Remove(name+"2"))
	if _, err := o.ReadDir(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("list a missing directory: %v", err)
	}
	if _, err := o.ReadFile(name); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("read a missing file: %v", err)
	}
}
