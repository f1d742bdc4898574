package commitlog

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cassa-go/cassa/server/internal/vfs"
)

// snapshotMagic starts every snapshot file; the covered segment id follows.
var snapshotMagic = [8]byte{'C', 'A', 'S', 'S', 'A', 'S', 'N', '1'}

// A snapshot file is magic | covers uint64 | body | length uint64 | crc32c(body) uint32.
const snapshotTrailerSize = 12

func snapshotName(covers uint64) string { return fmt.Sprintf("snapshot-%016d.db", covers) }

// snapshotTemp is where a snapshot is written before it is renamed into
// place; the name does not end in .db, so a crash leaves nothing that
// ReadSnapshot would read.
func snapshotTemp(covers uint64) string { return fmt.Sprintf("snapshot-%016d.tmp", covers) }

// WriteSnapshot durably stores a snapshot whose body write produces. covers
// is the first segment id the snapshot does not include: replay after
// loading it starts there. The file appears atomically: it is written to a
// temporary name and fsynced, renamed, and the directory is fsynced, so a
// crash leaves either the old snapshot or the complete new one. Older
// snapshots and temporary files left by a crash are removed afterwards.
// Only one WriteSnapshot may run on a directory at a time. fsys nil means
// the real file system.
func WriteSnapshot(fsys vfs.FS, dir string, covers uint64, write func(w io.Writer) error) error {
	fsys = orOS(fsys)
	if err := fsys.MkdirAll(dir); err != nil {
		return fmt.Errorf("commitlog: %w", err)
	}
	final := filepath.Join(dir, snapshotName(covers))
	tmpName := filepath.Join(dir, snapshotTemp(covers))
	if err := fsys.Remove(tmpName); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("commitlog: %w", err)
	}
	tmp, err := fsys.Create(tmpName)
	if err != nil {
		return fmt.Errorf("commitlog: %w", err)
	}
	bw := bufio.NewWriterSize(tmp, 1<<20)
	var hdr [16]byte
	copy(hdr[:], snapshotMagic[:])
	binary.BigEndian.PutUint64(hdr[8:], covers)
	cw := &countingWriter{w: bw, h: crc32.New(castagnoli)}
	err = func() error {
		if _, err := bw.Write(hdr[:]); err != nil {
			return err
		}
		if err := write(cw); err != nil {
			return err
		}
		var tr [snapshotTrailerSize]byte
		binary.BigEndian.PutUint64(tr[:], uint64(cw.n))
		binary.BigEndian.PutUint32(tr[8:], cw.h.Sum32())
		if _, err := bw.Write(tr[:]); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		return tmp.Sync()
	}()
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = fsys.Rename(tmpName, final)
	}
	if err != nil {
		fsys.Remove(tmpName)
		return fmt.Errorf("commitlog: write snapshot: %w", err)
	}
	if err := syncDir(fsys, dir); err != nil {
		return err
	}
	names, err := fsys.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("commitlog: %w", err)
	}
	// A crash before these removals are durable brings an old file back,
	// which is harmless: ReadSnapshot takes the newest snapshot, and the
	// next WriteSnapshot removes it again.
	for _, name := range names {
		n, isSnapshot := parseSnapshotName(name)
		stale := isSnapshot && n < covers ||
			strings.HasPrefix(name, "snapshot-") && strings.HasSuffix(name, ".tmp")
		if stale {
			fsys.Remove(filepath.Join(dir, name))
		}
	}
	return nil
}

// ErrNoSnapshot is returned by ReadSnapshot when the directory has none.
var ErrNoSnapshot = errors.New("commitlog: no snapshot")

// ReadSnapshot loads the newest snapshot, verifying its checksum, and
// returns its body and the first segment id it does not cover. A damaged
// snapshot is an error: it names the file, and nothing is guessed. fsys nil
// means the real file system.
func ReadSnapshot(fsys vfs.FS, dir string) (body []byte, covers uint64, err error) {
	fsys = orOS(fsys)
	snaps, err := listSnapshots(fsys, dir)
	if err != nil {
		return nil, 0, err
	}
	if len(snaps) == 0 {
		return nil, 0, ErrNoSnapshot
	}
	s := snaps[len(snaps)-1]
	data, err := fsys.ReadFile(s.path)
	if err != nil {
		return nil, 0, fmt.Errorf("commitlog: %w", err)
	}
	if len(data) < 16+snapshotTrailerSize || string(data[:8]) != string(snapshotMagic[:]) {
		return nil, 0, fmt.Errorf("commitlog: snapshot %s is damaged: bad header", s.path)
	}
	covers = binary.BigEndian.Uint64(data[8:16])
	body = data[16 : len(data)-snapshotTrailerSize]
	tr := data[len(data)-snapshotTrailerSize:]
	if n := binary.BigEndian.Uint64(tr); n != uint64(len(body)) {
		return nil, 0, fmt.Errorf("commitlog: snapshot %s is damaged: length %d, trailer says %d", s.path, len(body), n)
	}
	if sum := binary.BigEndian.Uint32(tr[8:]); sum != crc32.Checksum(body, castagnoli) {
		return nil, 0, fmt.Errorf("commitlog: snapshot %s is damaged: checksum mismatch", s.path)
	}
	return body, covers, nil
}

type snapshotFile struct {
	covers uint64
	path   string
}

// parseSnapshotName reads the covered id out of a snapshot file name.
func parseSnapshotName(name string) (uint64, bool) {
	if !strings.HasPrefix(name, "snapshot-") || !strings.HasSuffix(name, ".db") {
		return 0, false
	}
	n, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(name, "snapshot-"), ".db"), 10, 64)
	return n, err == nil
}

// listSnapshots returns the directory's snapshots, oldest first.
func listSnapshots(fsys vfs.FS, dir string) ([]snapshotFile, error) {
	names, err := fsys.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("commitlog: %w", err)
	}
	var out []snapshotFile
	for _, name := range names {
		if n, ok := parseSnapshotName(name); ok {
			out = append(out, snapshotFile{covers: n, path: filepath.Join(dir, name)})
		}
	}
	// The names are sorted and zero-padded, so this is id order.
	return out, nil
}

type countingWriter struct {
	w io.Writer
	h hash.Hash32
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	return n, err
}
