// Package shell is the logic of `cassa shell`, an interactive shell in the
// spirit of cassandra-cli and pycassaShell: a parser for cassandra-cli
// flavoured commands, their execution through session and migrate, the
// output formats (cassandra-cli's column lines, pycassaShell's describe
// layouts), and tab completion for a line editor.
//
// A Shell is connected to one cluster and, after `use`, to one keyspace.
// Literals typed for keys, column names and values are packed through the
// column family's types (key_validation_class, comparator and
// subcomparator, the column's validation_class or default_validation_class)
// with codec.FromString, unless a function such as long(24) or timeuuid()
// names the type; stored bytes are shown through the same types.
//
//	sh, err := shell.New(ctx, shell.Config{Servers: []string{"127.0.0.1:9160"}, Keyspace: "Demo"}, os.Stdout)
//	if err != nil { ... }
//	defer sh.Close(ctx)
//	err = sh.Exec(ctx, "set Users['u1']['age'] = 24; get Users['u1']")
//	// Value inserted.
//	// => (name=age, value=24, timestamp=1700000000000000)
//	// Returned 1 results.
//
// Exec runs one line (statements separated by ';'); RunScript runs a
// reader line by line; RunInteractive drives a terminal with line editing,
// history and completion. Syntax errors are *ParseError with the position,
// literals that do not fit their type are *ValueError, and server refusals
// come back as session errors; FormatError renders any of them for people.
package shell
