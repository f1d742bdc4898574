package server

import "github.com/cassa-go/cassa/server/internal/vfs"

// ConfigWithFS returns cfg with its DataDir on fsys instead of the real
// file system, so that crash tests can run the server on a vfs.MemFS and
// restart it on a CrashClone.
func ConfigWithFS(cfg Config, fsys vfs.FS) Config {
	cfg.fs = fsys
	return cfg
}
