package vfs

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, f File, s string) {
	t.Helper()
	if _, err := f.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
}

func content(t *testing.T, fsys FS, name string) string {
	t.Helper()
	b, err := fsys.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return "<none>"
	}
	must(t, err)
	return string(b)
}

func listing(t *testing.T, fsys FS, dir string) string {
	t.Helper()
	names, err := fsys.ReadDir(dir)
	must(t, err)
	return strings.Join(names, ",")
}

func TestCrashCloneKeepsOnlySyncedContent(t *testing.T) {
	m := NewMemFS()
	must(t, m.MkdirAll("/d"))
	f, err := m.Create("/d/a")
	must(t, err)
	write(t, f, "one ")
	must(t, f.Sync())
	must(t, m.SyncDir("/d"))
	write(t, f, "two")
	if got := content(t, m, "/d/a"); got != "one two" {
		t.Fatalf("live content %q", got)
	}
	if got := content(t, m.CrashClone(), "/d/a"); got != "one " {
		t.Fatalf("after a crash %q, want the synced %q", got, "one ")
	}
	must(t, f.Sync())
	if got := content(t, m.CrashClone(), "/d/a"); got != "one two" {
		t.Fatalf("after sync and crash %q", got)
	}
}

func TestCrashCloneKeepsOnlySyncedDirectoryEntries(t *testing.T) {
	m := NewMemFS()
	must(t, m.MkdirAll("/d"))
	mk := func(name, s string) {
		f, err := m.Create(name)
		must(t, err)
		write(t, f, s)
		must(t, f.Sync())
		must(t, f.Close())
	}
	mk("/d/old", "old")
	mk("/d/gone", "gone")
	must(t, m.SyncDir("/d"))

	// A synced file whose directory was not synced since its creation,
	// a rename and a removal, none of them durable yet.
	mk("/d/new", "new")
	must(t, m.Rename("/d/old", "/d/moved"))
	must(t, m.Remove("/d/gone"))
	if got := listing(t, m, "/d"); got != "moved,new" {
		t.Fatalf("live listing %s", got)
	}
	c := m.CrashClone()
	if got := listing(t, c, "/d"); got != "gone,old" {
		t.Fatalf("crash before the directory sync keeps %s, want gone,old", got)
	}
	if got := content(t, c, "/d/gone"); got != "gone" {
		t.Fatalf("resurrected file holds %q", got)
	}

	must(t, m.SyncDir("/d"))
	c = m.CrashClone()
	if got := listing(t, c, "/d"); got != "moved,new" {
		t.Fatalf("crash after the directory sync keeps %s, want moved,new", got)
	}
	if got := content(t, c, "/d/moved"); got != "old" {
		t.Fatalf("renamed file holds %q", got)
	}
}

func TestCrashCloneIsIndependent(t *testing.T) {
	m := NewMemFS()
	must(t, m.MkdirAll("/d"))
	f, err := m.Create("/d/a")
	must(t, err)
	write(t, f, "x")
	must(t, f.Sync())
	must(t, m.SyncDir("/d"))
	c := m.CrashClone()
	write(t, f, "y")
	must(t, f.Sync())
	g, err := c.Create("/d/b")
	must(t, err)
	write(t, g, "z")
	if got := content(t, c, "/d/a"); got != "x" {
		t.Fatalf("clone sees the original's later write: %q", got)
	}
	if got := content(t, m, "/d/b"); got != "<none>" {
		t.Fatalf("original sees the clone's file: %q", got)
	}
	// The clone is a file system like any other: it crashes too.
	if got := listing(t, c.CrashClone(), "/d"); got != "a" {
		t.Fatalf("clone of the clone: %s", got)
	}
}

func TestCrashCloneTornKeepsAPrefixOfUnsyncedBytes(t *testing.T) {
	m := NewMemFS()
	must(t, m.MkdirAll("/d"))
	f, err := m.Create("/d/a")
	must(t, err)
	write(t, f, "synced|")
	must(t, f.Sync())
	must(t, m.SyncDir("/d"))
	write(t, f, "0123456789")
	seen := map[string]bool{}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200; i++ {
		got := content(t, m.CrashCloneTorn(r), "/d/a")
		if !strings.HasPrefix("synced|0123456789", got) || len(got) < len("synced|") {
			t.Fatalf("torn content %q is not the synced part plus a prefix of the rest", got)
		}
		seen[got] = true
	}
	if len(seen) < 5 {
		t.Fatalf("only %d different tears in 200 crashes", len(seen))
	}
}

func TestTruncateIsDurable(t *testing.T) {
	m := NewMemFS()
	must(t, m.MkdirAll("/d"))
	f, err := m.Create("/d/a")
	must(t, err)
	write(t, f, "keep|torn")
	must(t, m.SyncDir("/d"))
	must(t, m.Truncate("/d/a", 4))
	if got := content(t, m.CrashClone(), "/d/a"); got != "keep" {
		t.Fatalf("after truncate and crash %q", got)
	}
}

func TestMemFSErrors(t *testing.T) {
	m := NewMemFS()
	if _, err := m.Create("/nodir/a"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("create in a missing directory: %v", err)
	}
	if _, err := m.ReadDir("/nodir"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("list a missing directory: %v", err)
	}
	must(t, m.MkdirAll("/d/e"))
	f, err := m.Create("/d/e/a")
	must(t, err)
	if _, err := m.Create("/d/e/a"); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("create an existing file: %v", err)
	}
	for name, err := range map[string]error{
		"read":     func() error { _, err := m.ReadFile("/d/e/b"); return err }(),
		"rename":   m.Rename("/d/e/b", "/d/e/c"),
		"remove":   m.Remove("/d/e/b"),
		"truncate": m.Truncate("/d/e/b", 0),
	} {
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s of a missing file: %v", name, err)
		}
	}
	must(t, f.Close())
	if _, err := f.Write([]byte("x")); !errors.Is(err, fs.ErrClosed) {
		t.Fatalf("write after close: %v", err)
	}
	if err := f.Sync(); !errors.Is(err, fs.ErrClosed) {
		t.Fatalf("sync after close: %v", err)
	}
	if got := listing(t, m, "/d"); got != "" {
		t.Fatalf("directories are not listed: %q", got)
	}
}

func TestOnOpAndFileSyncs(t *testing.T) {
	m := NewMemFS()
	must(t, m.MkdirAll("/d"))
	var ops []string
	var clones []*MemFS
	m.OnOp(func(op Op, name string) {
		ops = append(ops, op.String()+" "+filepath.Base(name))
		if op == OpRename {
			clones = append(clones, m.CrashClone()) // the hook may clone
		}
	})
	f, err := m.Create("/d/a.tmp")
	must(t, err)
	write(t, f, "x")
	must(t, f.Sync())
	must(t, f.Close())
	must(t, m.SyncDir("/d"))
	must(t, m.Rename("/d/a.tmp", "/d/a"))
	must(t, m.SyncDir("/d"))
	must(t, m.Remove("/d/a"))
	if err := m.Truncate("/d/a.tmp", 0); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("truncate of a renamed-away file: %v", err)
	}
	m.OnOp(nil)
	want := "create a.tmp,write a.tmp,sync a.tmp,syncdir d,rename a.tmp,syncdir d,remove a,truncate a.tmp"
	if got := strings.Join(ops, ","); got != want {
		t.Fatalf("ops\n got %s\nwant %s", got, want)
	}
	if len(clones) != 1 || listing(t, clones[0], "/d") != "a.tmp" {
		t.Fatalf("clone taken before the rename: %v", clones)
	}
	tmp := func(name string) bool { return strings.HasSuffix(name, ".tmp") }
	if n := m.FileSyncs(tmp); n != 1 {
		t.Fatalf("FileSyncs = %d, want 1", n)
	}
	if n := m.CrashClone().FileSyncs(tmp); n != 1 {
		t.Fatalf("a clone's FileSyncs = %d, want the original's 1", n)
	}
}
