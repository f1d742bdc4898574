package vfs_test

import (
	"fmt"

	"github.com/cassa-go/cassa/server/internal/vfs"
)

// A crash keeps what was synced, and only names whose directory was
// synced.
func ExampleMemFS_CrashClone() {
	fsys := vfs.NewMemFS()
	fsys.MkdirAll("/data")
	f, _ := fsys.Create("/data/log")
	f.Write([]byte("acknowledged"))
	f.Sync()
	fsys.SyncDir("/data")
	f.Write([]byte(" and more"))
	g, _ := fsys.Create("/data/new") // never made durable in /data
	g.Sync()

	crashed := fsys.CrashClone()
	b, _ := crashed.ReadFile("/data/log")
	names, _ := crashed.ReadDir("/data")
	fmt.Printf("%q %v\n", b, names)
	// Output: "acknowledged" [log]
}
