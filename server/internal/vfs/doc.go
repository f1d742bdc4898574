// Package vfs is the file system seam of the embedded server's commit log
// and snapshots: the few operations they make (create, append, sync,
// rename, remove, list, read, truncate, sync a directory), behind an
// interface whose default, OS, is the real file system.
//
// MemFS implements it in memory and remembers, per file, which bytes have
// been synced, and per directory, which entries a directory sync has made
// durable. Its CrashClone is what a power cut would leave on disk: a new
// MemFS holding only what was made durable, so tests can prove that a log
// keeps every write it acknowledged (pebble's vfs.MemFS.CrashClone is the
// model).
//
//	fs := vfs.NewMemFS()
//	f, _ := fs.Create("/data/a")
//	f.Write([]byte("synced"))
//	f.Sync()
//	fs.SyncDir("/data") // the name "a" is durable from here on
//	f.Write([]byte(" lost"))
//	crashed := fs.CrashClone()
//	b, _ := crashed.ReadFile("/data/a") // "synced"
package vfs
