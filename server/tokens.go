package server

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/vfs"
)

// tokensFile holds, in DataDir, the tokens a node drew at random on its
// first start, one per line, as Cassandra keeps its bootstrap tokens in
// system.local and reuses them on every later start.
const tokensFile = "tokens"

// keepTokens makes a durable node's random tokens survive restarts: the
// tokens saved in dir replace the ones just drawn, or, on the first start,
// the drawn ones are saved (written to a temporary file, synced, renamed
// and the directory synced, so a crash leaves either no file or the whole
// one). Nodes with configured or fixed tokens keep nothing.
func (n *node) keepTokens(fsys vfs.FS, dir string) error {
	if !n.hasRandomToken() {
		return nil
	}
	path := filepath.Join(dir, tokensFile)
	b, err := fsys.ReadFile(path)
	switch {
	case err == nil:
		var toks []partitioner.Token
		for _, line := range strings.Fields(string(b)) {
			t, err := n.part.ParseToken(line)
			if err != nil {
				return &ConfigError{Field: "Tokens", Msg: fmt.Sprintf("saved token %q in %s: %v", line, path, err)}
			}
			toks = append(toks, t)
		}
		if len(toks) == 0 {
			return &ConfigError{Field: "Tokens", Msg: "no token saved in " + path}
		}
		n.tokens = toks
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("server: read %s: %w", path, err)
	}
	var sb strings.Builder
	for _, t := range n.tokens {
		sb.WriteString(t.String())
		sb.WriteByte('\n')
	}
	tmp := path + ".tmp"
	if err := fsys.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("server: save tokens: %w", err)
	}
	f, err := fsys.Create(tmp)
	if err != nil {
		return fmt.Errorf("server: save tokens: %w", err)
	}
	_, err = f.Write([]byte(sb.String()))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = fsys.Rename(tmp, path)
	}
	if err == nil {
		err = fsys.SyncDir(dir)
	}
	if err != nil {
		return fmt.Errorf("server: save tokens: %w", err)
	}
	return nil
}
