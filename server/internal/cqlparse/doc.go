// Package cqlparse lexes and parses CQL as a single Cassandra 3.11 node
// does, into a typed syntax tree for the server's executor, and prints
// such trees back as canonical CQL.
//
// # Use
//
// Parse takes one statement (optionally followed by semicolons) and
// returns a *Parsed: the Statement (one of the *...Stmt types) and
// Markers, every bind marker in order of appearance, which is what the
// executor derives prepared-statement metadata from; package cqlscript
// cuts a script (a cqlsh -f file, a migration) into statements. A Statement's
// String method prints canonical CQL; Parse(s.String()) gives back an
// equal tree. FormatTerm and FormatType print parts of a tree; TermText
// prints a term as Cassandra's messages quote it. IsReserved and
// MaybeQuote tell when a name needs double quotes. ApplicablePermissions
// is Cassandra's IResource.applicablePermissions.
//
// # The tree
//
// The tree is what Cassandra's parser hands to preparation (the
// ParsedStatement and its Raw parts), no more: names, types and literals
// are not checked against a schema, and literals are not converted.
//
//   - Names are Idents: unquoted names are folded to lower case, "quoted"
//     names keep their case (Quoted records which). Keyspace and table
//     names are QualifiedNames. Role names keep Cassandra's quirks (a role
//     given as a string is not folded; user names are never folded).
//   - Terms are Literals (the raw text and its lexical kind: Cassandra
//     gives a literal its meaning from the receiver it is assigned to),
//     Null, BindMarkers, collection, tuple and user type literals, function
//     calls and type hints. {} is an empty SetLiteral, and {a: 1} a
//     UDTLiteral; the receiver decides, as in Cassandra.
//   - Relations, Conditions, Assignments and Deletions keep the order the
//     statement wrote them in; USING keeps every TTL/TIMESTAMP item (the
//     last one wins, see Using.TTL). Duplicate properties, incompatible
//     assignments and the other errors Cassandra raises while parsing are
//     raised here.
//
// The tree carries no source positions: the errors Cassandra raises after
// parsing (InvalidRequestException and the like) quote names and terms,
// never positions.
//
// # Errors
//
// A statement Cassandra's parser refuses gives a *SyntaxError, which the
// server answers with a SyntaxException (error code 0x2000) carrying
// Message. Three families of messages are produced:
//
//   - Parser errors, in the wording of ANTLR 3 as Cassandra 3.11 reports
//     it (ErrorCollector): "line L:C no viable alternative at input 'x'",
//     "line L:C mismatched input 'x' expecting K_FROM", "line L:C mismatched
//     input 'x' expecting EOF", "... expecting set null", followed by
//     Cassandra's snippet "(... tokens [x] tokens...)". At the end of the
//     input the header is "line 0:-1" and no snippet follows. Columns count
//     UTF-16 code units, as Java does. Cassandra's parser overrides
//     ANTLR's single-token recovery, so "missing X at" and "extraneous
//     input" never occur; neither do they here.
//   - Lexer errors: "line L:C no viable alternative at character 'x'",
//     "line L:C mismatched character 'x' expecting 'y'", with no snippet.
//     A lexer error before the parser's error wins, as in Cassandra.
//   - Errors raised by grammar actions, with no header: "Bind variables
//     cannot be used for table names", "Multiple incompatible setting of
//     column v", "Only expressions of the form X = X +<value> are
//     supported.", "Multiple definition for property 'x'", "Invalid
//     property value: ...", "frozen<> is only allowed on collections,
//     tuples, and user-defined types (got int)", "Invalid (reserved) user
//     type name byte", "Resource type DataResource does not support any of
//     the requested permissions", and the other messages of 3.11's
//     Parser.g actions.
//
// Which message, at which token, comes from the decisions of 3.11.5's
// generated CqlParser: every decision is made where and with as much
// look-ahead as the generated code makes it, so that the reported token,
// the header and the snippet (which depends on how many tokens the parser
// had fetched) are Cassandra's. The tests hold these exact texts.
//
// Known approximations, all on statements no client sends on purpose:
//
//   - A few of the generated parser's cyclic DFAs look further ahead than
//     this parser before failing; the snippet's end (the "..." part) can
//     then differ by a token or two. The header and wording do not.
//   - Cassandra collects every error and throws the first; this package
//     stops at the first. Only the first is ever sent, so the difference
//     shows only in work done, not in answers.
//   - Java exceptions escaping Cassandra's grammar actions are rendered as
//     Cassandra's QueryProcessor words them only for DROP ... USING
//     TIMESTAMP with an out-of-range number; JMX object names in MBEAN
//     resources are checked for emptiness and pattern/plural agreement
//     only, not fully parsed as javax.management.ObjectName does.
//   - Nesting: Cassandra's parser recurses until the JVM stack overflows
//     (a server error). Here terms, types and selectors may nest 500
//     levels; deeper input gets "line L:C statement nests more than 500
//     levels deep at input 'x'", so that no peer can exhaust the stack.
//     Input longer than 2 GiB is refused whole.
//
// Cassandra quirks kept on purpose: a "--" or "//" comment that ends the
// input without a newline is a lexer error; "P" and "PT" alone (any word
// Cassandra's DURATION rule matches) lex as durations, so they are not
// usable as bare identifiers; "expr(" is one token; function names that
// are unreserved keywords keep their spelling; a unary minus exists only
// in number and duration literals and before NaN and Infinity.
package cqlparse
