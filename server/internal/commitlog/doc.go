// Package commitlog is the embedded server's write-ahead log: every
// acknowledged write and schema change is appended here before it is applied,
// so a restart can replay what the last snapshot does not cover.
//
// The log is a directory of numbered segment files. Each segment starts with
// a small header and holds records framed as
//
//	length uint32 (big-endian) | crc32c(length, payload) uint32 | payload
//
// Segments are bounded in size; a full one is closed and a new one started.
// Two sync policies mirror Cassandra's commitlog_sync:
//
//   - SyncBatch: Append returns only once the record is fsynced. Concurrent
//     writers share one fsync (group commit).
//   - SyncPeriodic: Append returns once the record is written to the file;
//     a background loop fsyncs every Period (Cassandra's default 10 s).
//
// Replay reads every segment in order. A torn or corrupt record at the very
// end of the newest segment (a crash in the middle of a write) is reported
// through the logger and skipped; a corrupt record anywhere else stops replay
// with a *CorruptionError naming the file and the offset, because data after
// it would otherwise be silently lost.
//
// Snapshots (see WriteSnapshot and ReadSnapshot) bound both the log and the
// restart time: after a snapshot that covers every segment below a given
// id, RemoveBefore deletes those segments.
//
// A crash may lose what was not fsynced, so the log fsyncs each file before
// it counts on it, and the directory after creating a segment, renaming a
// snapshot into place and removing segments: a new name is not durable
// until its directory is. Every file operation goes through a vfs.FS
// (Options.FS, and the fsys argument of Replay, ReadSnapshot and
// WriteSnapshot; nil is the real file system). Tests run the log on a
// vfs.MemFS and crash it with CrashClone, which keeps only what was
// fsynced.
package commitlog
