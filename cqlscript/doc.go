// Package cqlscript cuts CQL scripts into statements, the way cqlsh reads
// a file given with -f or typed at its prompt: statements end at
// semicolons, except the semicolons inside string literals ('...' and
// $$...$$), quoted names ("..."), comments (-- and // to the end of the
// line, /* ... */) and between BEGIN BATCH and APPLY BATCH.
//
//	for _, s := range cqlscript.Split(script) {
//		fmt.Printf("line %d: %s\n", s.Line, s.Text)
//	}
//
// Split never fails: text it cannot read (a stray character, an
// unterminated string) stays in the statement where it appears, for the
// server to report. A Splitter adds what a shell needs: commands that end
// at the end of their line without a semicolon (cqlsh's HELP, DESCRIBE,
// CONSISTENCY, ...), and whether the last statement is still open, so
// that an interactive shell knows to ask for another line.
//
// The package has no dependencies: cassa's CQL shell, its migrations and
// anyone running a .cql file through gocql use the same rules.
package cqlscript
