package testbin

import (
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sync"
	"testing"
)

// Binary is a Go program built on first use into a temporary directory,
// and shared by every test of the test binary after that. Package is the
// only field to set; a Binary must not be copied after first use.
type Binary struct {
	// Package is the import path of the main package to build.
	Package string

	once sync.Once
	dir  string
	path string
	err  error
}

// Path builds the program the first time it is called and returns the
// executable's path; it fails t when the build failed, then and after.
func (b *Binary) Path(t testing.TB) string {
	t.Helper()
	b.once.Do(b.build)
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

func (b *Binary) build() {
	b.dir, b.err = os.MkdirTemp("", "testbin-")
	if b.err != nil {
		return
	}
	b.path = filepath.Join(b.dir, path.Base(b.Package))
	out, err := exec.Command("go", "build", "-o", b.path, b.Package).CombinedOutput()
	if err != nil {
		b.err = fmt.Errorf("go build %s: %v\n%s", b.Package, err, out)
	}
}

// Remove deletes what Path built, if anything; TestMain calls it after
// the tests have run.
func (b *Binary) Remove() {
	if b.dir != "" {
		os.RemoveAll(b.dir)
	}
}
