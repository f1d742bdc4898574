package commitlog

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"

	"github.com/cassa-go/cassa/server/internal/vfs"
)

// CorruptionError reports a damaged record that is not the torn tail of the
// newest segment: replaying past it would lose data silently, so start-up
// stops and names the place.
type CorruptionError struct {
	File   string
	Offset int64
	Reason string
}

// Error names the file, the byte offset and what is wrong there.
func (e *CorruptionError) Error() string {
	return fmt.Sprintf("commitlog: corrupt record in %s at offset %d: %s", e.File, e.Offset, e.Reason)
}

// ReplayStats says what Replay found.
type ReplayStats struct {
	Segments  int   // segment files read
	Records   int   // records handed to the callback
	TornBytes int64 // bytes dropped from the torn tail of the newest segment
}

// Replay hands every intact record of every segment with an id of at least
// from to fn, in log order. A torn or corrupt tail of the newest segment is
// logged, cut off the file (so it cannot look like mid-log corruption once
// newer segments follow it) and skipped. Any other damage returns a
// *CorruptionError. An error from fn stops replay and is returned as is.
// fsys nil means the real file system.
func Replay(fsys vfs.FS, dir string, from uint64, logger *slog.Logger, fn func(pos Position, payload []byte) error) (ReplayStats, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	fsys = orOS(fsys)
	var st ReplayStats
	segs, err := listSegments(fsys, dir)
	if err != nil {
		return st, err
	}
	for i, s := range segs {
		if s.id < from {
			continue
		}
		last := i == len(segs)-1
		data, err := fsys.ReadFile(s.path)
		if err != nil {
			return st, fmt.Errorf("commitlog: %w", err)
		}
		st.Segments++
		good, err := replaySegment(s, data, &st, fn)
		if err == nil {
			continue
		}
		var ce *CorruptionError
		if !errors.As(err, &ce) {
			return st, err
		}
		if !last || !isTail(data, good) {
			return st, err
		}
		logger.Warn("commitlog: skipping torn tail", "file", s.path, "offset", good, "bytes", len(data)-int(good), "reason", ce.Reason)
		st.TornBytes += int64(len(data)) - good
		if err := fsys.Truncate(s.path, good); err != nil {
			return st, fmt.Errorf("commitlog: truncate %s: %w", s.path, err)
		}
	}
	return st, nil
}

// replaySegment replays one segment and returns the offset just after the
// last intact record.
func replaySegment(s segmentFile, data []byte, st *ReplayStats, fn func(Position, []byte) error) (int64, error) {
	if len(data) < segmentHeaderSize {
		return 0, &CorruptionError{File: s.path, Offset: 0, Reason: "segment header is truncated"}
	}
	if !bytes.Equal(data[:len(segmentMagic)], segmentMagic[:]) {
		return 0, &CorruptionError{File: s.path, Offset: 0, Reason: "bad segment magic"}
	}
	if id := binary.BigEndian.Uint64(data[len(segmentMagic):segmentHeaderSize]); id != s.id {
		return 0, &CorruptionError{File: s.path, Offset: int64(len(segmentMagic)), Reason: fmt.Sprintf("header names segment %d", id)}
	}
	off := segmentHeaderSize
	for off < len(data) {
		payload, n, err := parseRecord(data[off:])
		if err != nil {
			return int64(off), &CorruptionError{File: s.path, Offset: int64(off), Reason: err.Error()}
		}
		if err := fn(Position{Segment: s.id, Offset: int64(off)}, payload); err != nil {
			return int64(off), err
		}
		st.Records++
		off += n
	}
	return int64(off), nil
}

// isTail reports whether the damage at off can only be an interrupted final
// write: the bytes end inside the record, the damaged record is the last one
// in the file, or nothing but zeros follows (a file extended by the crash).
func isTail(data []byte, off int64) bool {
	rest := data[off:]
	if off < int64(segmentHeaderSize) {
		return true // the header itself was being written
	}
	if len(rest) < recordHeaderSize {
		return true
	}
	length := binary.BigEndian.Uint32(rest)
	if length <= MaxRecordSize && int64(recordHeaderSize)+int64(length) >= int64(len(rest)) {
		return true
	}
	for _, b := range rest {
		if b != 0 {
			return false
		}
	}
	return true
}
