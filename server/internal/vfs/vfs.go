package vfs

import (
	"io"
	"os"
	"slices"
)

// FS is the set of file operations the commit log and snapshots make.
// Paths are the caller's (joined with path/filepath); errors for a missing
// file or directory satisfy errors.Is(err, fs.ErrNotExist).
type FS interface {
	// MkdirAll creates dir and any missing parents.
	MkdirAll(dir string) error
	// Create creates name, empty and open for appending. It fails if name
	// exists, so a file is never written by two owners.
	Create(name string) (File, error)
	// ReadFile returns the whole content of name.
	ReadFile(name string) ([]byte, error)
	// ReadDir returns the names of dir's entries (files only matter here),
	// sorted.
	ReadDir(dir string) ([]string, error)
	// Rename renames oldname to newname, replacing newname if it exists.
	Rename(oldname, newname string) error
	// Remove removes the file name.
	Remove(name string) error
	// Truncate cuts name to size bytes and syncs it, so the cut is durable.
	Truncate(name string, size int64) error
	// SyncDir makes the creations, renames and removals of dir's entries
	// durable. A new file is not certain to survive a crash, whatever its
	// own syncs, until its directory has been synced.
	SyncDir(dir string) error
}

// File is a file opened by FS.Create: written sequentially, synced, closed.
type File interface {
	io.Writer
	// Sync makes everything written so far durable.
	Sync() error
	Close() error
	// Name returns the path the file was created with.
	Name() string
}

// OS is the real file system. The zero value is ready to use.
type OS struct{}

var _ FS = OS{}

// MkdirAll creates dir with mode 0755.
func (OS) MkdirAll(dir string) error { return os.MkdirAll(dir, 0o755) }

// Create creates name with mode 0644, failing if it exists.
func (OS) Create(name string) (File, error) {
	return os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
}

// ReadFile reads the whole file.
func (OS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

// ReadDir lists dir's entry names, sorted.
func (OS) ReadDir(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	slices.Sort(names) // os.ReadDir sorts already; the contract says so
	return names, nil
}

// Rename renames a file.
func (OS) Rename(oldname, newname string) error { return os.Rename(oldname, newname) }

// Remove removes a file.
func (OS) Remove(name string) error { return os.Remove(name) }

// Truncate cuts name to size and fsyncs it.
func (OS) Truncate(name string, size int64) error {
	f, err := os.OpenFile(name, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		return err
	}
	return f.Sync()
}

// SyncDir fsyncs the directory itself.
func (OS) SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
