// Package cqlsh is the logic of `cassa cqlsh`, a CQL shell that reads and
// prints as Apache Cassandra 3.11's cqlsh does, without Python: its
// statements and shell commands (USE, CONSISTENCY, SERIAL CONSISTENCY,
// PAGING, EXPAND, TRACING, SHOW, HELP, SOURCE, CAPTURE, LOGIN, DESCRIBE,
// COPY TO and COPY FROM, EXIT), its result tables (formatting.py's value
// formats, print_formatted_result's layout), its error lines, and its
// reading of input (statements end at ';', cqlsh's own commands at the end
// of their line).
//
//	sh, err := cqlsh.New(ctx, cqlsh.Config{Host: "127.0.0.1", Port: 9042})
//	if err != nil { ... }
//	defer sh.Close()
//	err = sh.Exec(ctx, "SELECT release_version FROM system.local")
//	//
//	//  release_version
//	// -----------------
//	//          3.11.17
//	//
//	// (1 rows)
//
// Exec runs a -e argument, RunScript a file or piped input (errors
// prefixed "source:line:", everything run whatever fails, Failed reporting
// whether anything did, for cqlsh's exit status 2), and RunInteractive a
// terminal session with the line editor, history and completion of
// internal/repl, paging results behind a ---MORE--- prompt.
//
// The shell talks to one node through gocql (via package cql) and
// formats the raw bytes of each value itself, so that what it prints is
// what cqlsh prints from the Python driver's values.
package cqlsh
