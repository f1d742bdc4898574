package commitlog

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// snapshotMagic starts every snapshot file; the covered segment id follows.
var snapshotMagic = [8]byte{'C', 'A', 'S', 'S', 'A', 'S', 'N', '1'}

// A snapshot file is magic | covers uint64 | body | length uint64 | crc32c(body) uint32.
const snapshotTrailerSize = 12

func snapshotName(covers uint64) string { return fmt.Sprintf("snapshot-%016d.db", covers) }

// WriteSnapshot durably stores a snapshot whose body write produces. covers
// is the first segment id the snapshot does not include: replay after
// loading it starts there. The file appears atomically (written to a
// temporary name, fsynced, renamed); older snapshots are removed afterwards.
func WriteSnapshot(dir string, covers uint64, write func(w io.Writer) error) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("commitlog: %w", err)
	}
	final := filepath.Join(dir, snapshotName(covers))
	tmp, err := os.CreateTemp(dir, "snapshot-*.tmp")
	if err != nil {
		return fmt.Errorf("commitlog: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
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
	if err != nil {
		return fmt.Errorf("commitlog: write snapshot: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("commitlog: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return err
	}
	olds, err := listSnapshots(dir)
	if err != nil {
		return err
	}
	for _, s := range olds {
		if s.covers < covers {
			os.Remove(s.path)
		}
	}
	return nil
}

// ErrNoSnapshot is returned by ReadSnapshot when the directory has none.
var ErrNoSnapshot = errors.New("commitlog: no snapshot")

// ReadSnapshot loads the newest snapshot, verifying its checksum, and
// returns its body and the first segment id it does not cover. A damaged
// snapshot is an error: it names the file, and nothing is guessed.
func ReadSnapshot(dir string) (body []byte, covers uint64, err error) {
	snaps, err := listSnapshots(dir)
	if err != nil {
		return nil, 0, err
	}
	if len(snaps) == 0 {
		return nil, 0, ErrNoSnapshot
	}
	s := snaps[len(snaps)-1]
	data, err := os.ReadFile(s.path)
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

func listSnapshots(dir string) ([]snapshotFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("commitlog: %w", err)
	}
	var out []snapshotFile
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, "snapshot-") || !strings.HasSuffix(name, ".db") {
			continue
		}
		n, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(name, "snapshot-"), ".db"), 10, 64)
		if err != nil {
			continue
		}
		out = append(out, snapshotFile{covers: n, path: filepath.Join(dir, name)})
	}
	// ReadDir sorts by name and the names are zero-padded, so this is id order.
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
