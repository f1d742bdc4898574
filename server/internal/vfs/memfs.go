package vfs

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// Op names a MemFS operation, for the hook set with MemFS.OnOp.
type Op int

// The operations MemFS reports to its hook, each before it takes effect.
const (
	OpCreate   Op = iota + 1 // FS.Create
	OpWrite                  // File.Write
	OpSync                   // File.Sync
	OpRename                 // FS.Rename (the hook gets the old name)
	OpRemove                 // FS.Remove
	OpTruncate               // FS.Truncate
	OpSyncDir                // FS.SyncDir (the hook gets the directory)
)

// String returns the operation's name.
func (o Op) String() string {
	switch o {
	case OpCreate:
		return "create"
	case OpWrite:
		return "write"
	case OpSync:
		return "sync"
	case OpRename:
		return "rename"
	case OpRemove:
		return "remove"
	case OpTruncate:
		return "truncate"
	case OpSyncDir:
		return "syncdir"
	}
	return "op?"
}

// MemFS is an FS in memory that knows what a crash would keep. It is
// strict, as a file system is allowed to be:
//
//   - a file's content survives only up to its last File.Sync (or
//     Truncate, which syncs);
//   - a directory entry (a Create, Rename or Remove) survives only once
//     SyncDir has been called on its directory: a file created and synced
//     but never made durable in its directory is gone after a crash, a
//     rename not followed by a directory sync is undone, and a removed file
//     whose removal was not synced comes back with its synced content;
//   - directories themselves (MkdirAll) are always durable.
//
// CrashClone returns that state as a new MemFS. It is safe for concurrent
// use; a File must not be used after Close.
type MemFS struct {
	mu      sync.Mutex
	dirs    map[string]bool
	live    map[string]*memNode // what the running program sees
	durable map[string]*memNode // entries as of each directory's last SyncDir
	syncs   map[string]uint64   // File.Sync calls per file name, ever
	onOp    func(Op, string)
}

// memNode is one file's content: data is everything written, synced the
// prefix a crash keeps. Writes only append, so synced never changes under
// a later write; Truncate gives data a new array.
type memNode struct {
	data   []byte
	synced []byte
}

var _ FS = (*MemFS)(nil)

// NewMemFS returns an empty MemFS holding only the root directory.
func NewMemFS() *MemFS {
	return &MemFS{
		dirs:    map[string]bool{string(filepath.Separator): true, ".": true},
		live:    map[string]*memNode{},
		durable: map[string]*memNode{},
		syncs:   map[string]uint64{},
	}
}

// OnOp sets fn to be called before every Create, Write, Sync, Rename,
// Remove, Truncate and SyncDir, with the file (or directory) it applies
// to. fn runs without MemFS's lock held, on the goroutine making the call,
// so it may call CrashClone to capture the state just before that
// operation. nil removes the hook.
func (m *MemFS) OnOp(fn func(op Op, name string)) {
	m.mu.Lock()
	m.onOp = fn
	m.mu.Unlock()
}

func (m *MemFS) hook(op Op, name string) {
	m.mu.Lock()
	fn := m.onOp
	m.mu.Unlock()
	if fn != nil {
		fn(op, name)
	}
}

func notExist(op, name string) error { return &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist} }

// MkdirAll creates dir and its parents.
func (m *MemFS) MkdirAll(dir string) error {
	dir = filepath.Clean(dir)
	m.mu.Lock()
	defer m.mu.Unlock()
	for d := dir; !m.dirs[d]; d = filepath.Dir(d) {
		m.dirs[d] = true
	}
	return nil
}

// Create creates an empty file; its directory must exist and the name
// must be free.
func (m *MemFS) Create(name string) (File, error) {
	name = filepath.Clean(name)
	m.hook(OpCreate, name)
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.dirs[filepath.Dir(name)] {
		return nil, notExist("create", name)
	}
	if _, ok := m.live[name]; ok || m.dirs[name] {
		return nil, &fs.PathError{Op: "create", Path: name, Err: fs.ErrExist}
	}
	n := &memNode{}
	m.live[name] = n
	return &memFile{fs: m, node: n, name: name}, nil
}

// ReadFile returns a copy of name's content.
func (m *MemFS) ReadFile(name string) ([]byte, error) {
	name = filepath.Clean(name)
	m.mu.Lock()
	defer m.mu.Unlock()
	n, ok := m.live[name]
	if !ok {
		return nil, notExist("open", name)
	}
	return slices.Clone(n.data), nil
}

// ReadDir returns the sorted names of dir's files.
func (m *MemFS) ReadDir(dir string) ([]string, error) {
	dir = filepath.Clean(dir)
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.dirs[dir] {
		return nil, notExist("open", dir)
	}
	var names []string
	for p := range m.live {
		if filepath.Dir(p) == dir {
			names = append(names, filepath.Base(p))
		}
	}
	slices.Sort(names)
	return names, nil
}

// Rename moves oldname's file to newname, replacing what newname held.
func (m *MemFS) Rename(oldname, newname string) error {
	oldname, newname = filepath.Clean(oldname), filepath.Clean(newname)
	m.hook(OpRename, oldname)
	m.mu.Lock()
	defer m.mu.Unlock()
	n, ok := m.live[oldname]
	if !ok {
		return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: fs.ErrNotExist}
	}
	if !m.dirs[filepath.Dir(newname)] {
		return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: fs.ErrNotExist}
	}
	delete(m.live, oldname)
	m.live[newname] = n
	return nil
}

// Remove removes a file. An open File of it keeps working, as on Unix.
func (m *MemFS) Remove(name string) error {
	name = filepath.Clean(name)
	m.hook(OpRemove, name)
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.live[name]; !ok {
		return notExist("remove", name)
	}
	delete(m.live, name)
	return nil
}

// Truncate cuts (or zero-extends) name to size and makes its content
// durable.
func (m *MemFS) Truncate(name string, size int64) error {
	name = filepath.Clean(name)
	m.hook(OpTruncate, name)
	m.mu.Lock()
	defer m.mu.Unlock()
	n, ok := m.live[name]
	if !ok {
		return notExist("truncate", name)
	}
	data := make([]byte, size)
	copy(data, n.data)
	n.data = data
	n.synced = data
	m.syncs[name]++
	return nil
}

// SyncDir makes dir's entries, as they are now, what a crash keeps.
func (m *MemFS) SyncDir(dir string) error {
	dir = filepath.Clean(dir)
	m.hook(OpSyncDir, dir)
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.dirs[dir] {
		return notExist("sync", dir)
	}
	for p := range m.durable {
		if filepath.Dir(p) == dir {
			delete(m.durable, p)
		}
	}
	for p, n := range m.live {
		if filepath.Dir(p) == dir {
			m.durable[p] = n
		}
	}
	return nil
}

// FileSyncs returns how many File.Sync calls (and Truncates) have taken
// effect on files whose name match accepts, over the life of this MemFS
// and of the MemFS it was cloned from. A sync counted here is part of any
// CrashClone taken after this call returns.
func (m *MemFS) FileSyncs(match func(name string) bool) uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n uint64
	for name, c := range m.syncs {
		if match(name) {
			n += c
		}
	}
	return n
}

// CrashClone returns what a crash (a power cut, with the page cache lost)
// would leave of m right now: a new, independent MemFS holding each
// durable directory entry with its file's synced content. m itself is
// unchanged and stays usable.
func (m *MemFS) CrashClone() *MemFS { return m.crashClone(nil) }

// CrashCloneTorn is CrashClone on a disk that had written part of what
// was not synced when the power failed: each file keeps its synced content
// plus a prefix, of a length drawn from r, of the bytes written after its
// last sync. Directory entries are as strict as in CrashClone.
func (m *MemFS) CrashCloneTorn(r *rand.Rand) *MemFS { return m.crashClone(r) }

func (m *MemFS) crashClone(r *rand.Rand) *MemFS {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := NewMemFS()
	for d := range m.dirs {
		c.dirs[d] = true
	}
	for name, n := range m.syncs {
		c.syncs[name] = n
	}
	clones := map[*memNode]*memNode{}
	names := make([]string, 0, len(m.durable))
	for p := range m.durable {
		names = append(names, p)
	}
	slices.Sort(names) // a fixed order, so a seeded r gives the same clone
	for _, p := range names {
		n := m.durable[p]
		cn, ok := clones[n]
		if !ok {
			keep := len(n.synced)
			if r != nil {
				keep += r.IntN(len(n.data) - len(n.synced) + 1)
			}
			data := slices.Clone(n.data[:keep])
			cn = &memNode{data: data, synced: data}
			clones[n] = cn
		}
		c.live[p] = cn
		c.durable[p] = cn
	}
	return c
}

// memFile is an open MemFS file.
type memFile struct {
	fs     *MemFS
	node   *memNode
	name   string
	closed bool
}

func (f *memFile) Name() string { return f.name }

func (f *memFile) Write(p []byte) (int, error) {
	f.fs.hook(OpWrite, f.name)
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.closed {
		return 0, &fs.PathError{Op: "write", Path: f.name, Err: fs.ErrClosed}
	}
	f.node.data = append(f.node.data, p...)
	return len(p), nil
}

func (f *memFile) Sync() error {
	f.fs.hook(OpSync, f.name)
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.closed {
		return &fs.PathError{Op: "sync", Path: f.name, Err: fs.ErrClosed}
	}
	f.node.synced = f.node.data[:len(f.node.data):len(f.node.data)]
	f.fs.syncs[f.name]++
	return nil
}

func (f *memFile) Close() error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.closed {
		return &fs.PathError{Op: "close", Path: f.name, Err: fs.ErrClosed}
	}
	f.closed = true
	return nil
}
