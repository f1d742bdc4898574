package cqlsh

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// token is a piece of a shell command: a word, a quoted name ("..."), a
// string literal ('...') or a punctuation character.
type token struct {
	text string // as written
	kind byte   // 'w' word, 'n' quoted name, 's' string, 'p' punctuation
}

// value is the token's meaning: a string's content, a quoted name's
// name, a word as written.
func (t token) value() string {
	switch t.kind {
	case 's':
		return strings.ReplaceAll(t.text[1:len(t.text)-1], "''", "'")
	case 'n':
		return strings.ReplaceAll(t.text[1:len(t.text)-1], `""`, `"`)
	}
	return t.text
}

// name is the token as a CQL name: quoted names as written inside the
// quotes, other names in lower case.
func (t token) name() string {
	if t.kind == 'n' {
		return t.value()
	}
	return strings.ToLower(t.text)
}

// tokens cuts a shell command into tokens; comments and whitespace are
// dropped.
func tokens(text string) []token {
	var out []token
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case (c == '-' || c == '/') && i+1 < len(text) && text[i+1] == c:
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				return out
			}
			i += j
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			j := strings.Index(text[i+2:], "*/")
			if j < 0 {
				return out
			}
			i += j + 4
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(text) {
				if text[j] == c {
					if j+1 < len(text) && text[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			if j >= len(text) {
				out = append(out, token{text[i:] + string(c), map[byte]byte{'\'': 's', '"': 'n'}[c]})
				return out
			}
			out = append(out, token{text[i : j+1], map[byte]byte{'\'': 's', '"': 'n'}[c]})
			i = j + 1
		case isWordChar(c):
			j := i
			for j < len(text) && isWordChar(text[j]) {
				j++
			}
			out = append(out, token{text[i:j], 'w'})
			i = j
		default:
			out = append(out, token{text[i : i+1], 'p'})
			i++
		}
	}
	return out
}

func isWordChar(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func firstWord(text string) string {
	t := tokens(text)
	if len(t) == 0 {
		return ""
	}
	return t[0].text
}

func words(text string) []token { return tokens(text) }

// improper reports a command cqlsh's grammar refuses.
func (s *Shell) improper(text string) {
	s.printErr(fmt.Sprintf("Improper %s command.", firstWord(text)))
}

// consistencyLevels are the levels CONSISTENCY accepts, by name.
var consistencyLevels = map[string]gocql.Consistency{
	"ANY": gocql.Any, "ONE": gocql.One, "TWO": gocql.Two, "THREE": gocql.Three,
	"QUORUM": gocql.Quorum, "ALL": gocql.All, "LOCAL_QUORUM": gocql.LocalQuorum,
	"EACH_QUORUM": gocql.EachQuorum, "SERIAL": gocql.Serial, "LOCAL_SERIAL": gocql.LocalSerial,
	"LOCAL_ONE": gocql.LocalOne,
}

func (s *Shell) doConsistency(text string) {
	t := tokens(text)
	switch {
	case len(t) == 1:
		fmt.Fprintf(s.console, "Current consistency level is %s.\n", s.consistency)
	case len(t) == 2 && t[1].kind == 'w':
		level, ok := consistencyLevels[strings.ToUpper(t[1].text)]
		if !ok {
			s.improper(text)
			return
		}
		s.consistency = level
		fmt.Fprintf(s.console, "Consistency level set to %s.\n", strings.ToUpper(t[1].text))
	default:
		s.improper(text)
	}
}

func (s *Shell) doSerialConsistency(text string) {
	t := tokens(text)
	if len(t) < 2 || !strings.EqualFold(t[1].text, "consistency") {
		s.improper(text)
		return
	}
	switch {
	case len(t) == 2:
		fmt.Fprintf(s.console, "Current serial consistency level is %s.\n", s.serial)
	case len(t) == 3 && (strings.EqualFold(t[2].text, "SERIAL") || strings.EqualFold(t[2].text, "LOCAL_SERIAL")):
		s.serial = consistencyLevels[strings.ToUpper(t[2].text)]
		fmt.Fprintf(s.console, "Serial consistency level set to %s.\n", strings.ToUpper(t[2].text))
	default:
		s.improper(text)
	}
}

// switchCommand is cqlsh's SwitchCommand: TRACING, EXPAND and PAGING with
// no argument show the state, ON and OFF change it. ok is false when the
// argument is none of those.
func (s *Shell) switchCommand(command, desc string, state bool, arg string) (bool, bool) {
	switch strings.ToUpper(arg) {
	case "":
		if state {
			fmt.Fprintf(s.console, "%s is currently enabled. Use %s OFF to disable\n", desc, command)
		} else {
			fmt.Fprintf(s.console, "%s is currently disabled. Use %s ON to enable.\n", desc, command)
		}
		return state, true
	case "ON":
		if state {
			s.printErr(fmt.Sprintf("%s is already enabled. Use %s OFF to disable.", desc, command))
			return state, true
		}
		fmt.Fprintf(s.console, "Now %s is enabled\n", desc)
		return true, true
	case "OFF":
		if !state {
			s.printErr(fmt.Sprintf("%s is not enabled.", desc))
			return state, true
		}
		fmt.Fprintf(s.console, "Disabled %s.\n", desc)
		return false, true
	}
	return state, false
}

// switchArg returns the one argument of a switch command ("" for none);
// ok is false when there are more.
func switchArg(text string) (string, bool) {
	t := tokens(text)
	switch len(t) {
	case 1:
		return "", true
	case 2:
		return t[1].text, t[1].kind == 'w'
	}
	return "", false
}

func (s *Shell) doExpand(text string) {
	arg, ok := switchArg(text)
	if ok {
		s.expand, ok = s.switchCommand("EXPAND", "Expanded output", s.expand, arg)
	}
	if !ok {
		s.improper(text)
	}
}

// doTracing keeps tracing off: this shell does not print query traces.
func (s *Shell) doTracing(text string) {
	arg, ok := switchArg(text)
	if !ok || arg != "" && !strings.EqualFold(arg, "on") && !strings.EqualFold(arg, "off") {
		s.improper(text)
		return
	}
	if strings.EqualFold(arg, "on") {
		s.printErr("Tracing is not available in cassa cqlsh: statements run untraced (TRACING stays OFF).")
		return
	}
	s.switchCommand("TRACING", "Tracing", false, arg)
}

func (s *Shell) doPaging(text string) {
	arg, ok := switchArg(text)
	if !ok {
		s.improper(text)
		return
	}
	n, err := strconv.Atoi(arg)
	isNum := err == nil && n >= 0 && arg != ""
	if !isNum {
		if s.paging, ok = s.switchCommand("PAGING", "Query paging", s.paging, arg); !ok {
			s.improper(text)
			return
		}
	} else {
		s.paging = true
		if n > 0 {
			s.pageSize = n
		}
	}
	if s.paging {
		fmt.Fprintf(s.console, "Page size: %d\n", s.pageSize)
	} else {
		s.pageSize = defaultPageSize
	}
}

func (s *Shell) doShow(ctx context.Context, text string) {
	t := tokens(text)
	if len(t) < 2 {
		s.improper(text)
		return
	}
	switch strings.ToLower(t[1].text) {
	case "version":
		if len(t) != 2 {
			s.improper(text)
			return
		}
		_ = s.loadVersions(ctx)
		s.showVersion()
	case "host":
		if len(t) != 2 {
			s.improper(text)
			return
		}
		s.showHost()
	case "session":
		s.printErr("Tracing sessions are not available in cassa cqlsh.")
	default:
		s.improper(text)
	}
}

// doUse switches the keyspace: the node is asked whether it exists (a
// driver session cannot run USE on its pooled connections, so the shell
// reconnects in the keyspace).
func (s *Shell) doUse(ctx context.Context, text string) {
	t := tokens(text)
	if len(t) != 2 || (t[1].kind != 'w' && t[1].kind != 'n') {
		s.perform(ctx, text) // let the node explain
		return
	}
	ks := t[1].name()
	var name string
	err := s.gs.Query("SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?", ks).
		WithContext(ctx).Consistency(gocql.One).Scan(&name)
	switch {
	case errors.Is(err, gocql.ErrNotFound):
		s.printErr(fmt.Sprintf("InvalidRequest: Error from server: code=2200 [Invalid query] message=\"Keyspace '%s' does not exist\"", ks))
		return
	case err != nil:
		s.printErr(errorText(err))
		return
	}
	if err := s.connect(ctx, s.username, s.password, ks); err != nil {
		s.printErr(err.Error())
	}
}

func (s *Shell) doLogin(ctx context.Context, text string) {
	t := tokens(text)
	if len(t) < 2 || len(t) > 3 || (len(t) == 3 && t[2].kind != 's') {
		s.improper(text)
		return
	}
	user := t[1].value()
	var password string
	if len(t) == 3 {
		password = t[2].value()
	} else {
		p, err := s.readInput("Password: ")
		if err != nil {
			return
		}
		password = strings.TrimRight(p, "\r\n")
	}
	if err := s.connect(ctx, user, password, s.keyspace); err != nil {
		s.printErr(err.Error())
	}
}

// doSource runs a file of statements as cqlsh's SOURCE does: in the same
// session, errors prefixed with the file and line, the whole file run
// whatever fails.
func (s *Shell) doSource(ctx context.Context, text string) error {
	t := tokens(text)
	if len(t) != 2 || t[1].kind != 's' {
		s.improper(text)
		return nil
	}
	name := expandUser(t[1].value())
	f, err := os.Open(name)
	if err != nil {
		s.printErr(fmt.Sprintf("Could not open '%s': %s", name, ioErrorText(name, err)))
		return nil
	}
	defer f.Close()
	err = s.RunScript(ctx, f, name)
	if errors.Is(err, ErrQuit) {
		return nil
	}
	return err
}

func (s *Shell) doCapture(text string) {
	t := tokens(text)
	switch {
	case len(t) == 1:
		if s.capture != nil {
			fmt.Fprintf(s.console, "Currently capturing query output to '%s'.\n", s.captured)
		} else {
			fmt.Fprintln(s.console, "Currently not capturing query output.")
		}
	case len(t) == 2 && t[1].kind == 'w' && strings.EqualFold(t[1].text, "off"):
		if s.capture == nil {
			s.printErr("Not currently capturing output.")
			return
		}
		_ = s.capture.Close()
		s.capture, s.out, s.color = nil, s.console, s.capColor
	case len(t) == 2 && t[1].kind == 's':
		if s.capture != nil {
			s.printErr(fmt.Sprintf("Already capturing output to %s. Use CAPTURE OFF to disable.", s.captured))
			return
		}
		name := expandUser(t[1].value())
		f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			s.printErr(fmt.Sprintf("Could not open '%s' for append: %s", name, ioErrorText(name, err)))
			return
		}
		s.capture, s.captured, s.out, s.capColor, s.color = f, name, f, s.color, false
		fmt.Fprintf(s.console, "Now capturing query output to '%s'.\n", name)
	default:
		s.improper(text)
	}
}

// readInput reads a line for ---MORE--- and COPY FROM STDIN: from the
// terminal, or from the input being run.
func (s *Shell) readInput(prompt string) (string, error) {
	if s.cfg.Interactive && s.cfg.Prompt != nil {
		return s.cfg.Prompt(prompt)
	}
	if s.stdin == nil {
		return "", io.EOF
	}
	line, err := s.stdin.readLine()
	if err == nil {
		s.lineNo++
	}
	return line, err
}

// expandUser replaces a leading ~ with the home directory.
func expandUser(name string) string {
	if name == "~" || strings.HasPrefix(name, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, name[1:])
		}
	}
	return name
}

// ioErrorText is how Python's IOError reads: "[Errno 2] No such file or
// directory: 'name'".
func ioErrorText(name string, err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("[Errno 2] No such file or directory: '%s'", name)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Sprintf("[Errno 13] Permission denied: '%s'", name)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%v: '%s'", pe.Err, name)
	}
	return err.Error()
}

// columnize is Python's cmd.Cmd.columnize: names in as few rows as fit
// in width columns, column by column, two spaces apart, each padded to
// its column's width.
func columnize(w io.Writer, list []string, width int) {
	if len(list) == 0 {
		fmt.Fprintln(w, "<empty>")
		return
	}
	if len(list) == 1 {
		fmt.Fprintln(w, list[0])
		return
	}
	size := len(list)
	var nrows, ncols int
	var colwidths []int
	found := false
	for nrows = 1; nrows < size; nrows++ {
		ncols = (size + nrows - 1) / nrows
		colwidths = colwidths[:0]
		total := -2
		for col := 0; col < ncols; col++ {
			cw := 0
			for row := 0; row < nrows; row++ {
				i := row + nrows*col
				if i >= size {
					break
				}
				cw = max(cw, len(list[i]))
			}
			colwidths = append(colwidths, cw)
			total += cw + 2
			if total > width {
				break
			}
		}
		if total <= width {
			found = true
			break
		}
	}
	if !found {
		nrows, ncols, colwidths = size, 1, []int{0}
	}
	for row := 0; row < nrows; row++ {
		var texts []string
		for col := 0; col < ncols; col++ {
			i := row + nrows*col
			x := ""
			if i < size {
				x = list[i]
			}
			texts = append(texts, x)
		}
		for len(texts) > 0 && texts[len(texts)-1] == "" {
			texts = texts[:len(texts)-1]
		}
		for col := range texts {
			texts[col] += pad(colwidths[col] - len(texts[col]))
		}
		fmt.Fprintln(w, strings.Join(texts, "  "))
	}
}

// shellTopics are the commands HELP documents.
var shellTopics = map[string]string{
	"capture":     "CAPTURE '<file>'; CAPTURE OFF; CAPTURE;\n\n  Appends query results to <file> instead of showing them, until\n  CAPTURE OFF. CAPTURE alone says where output goes.",
	"clear":       "CLEAR (or CLS)\n\n  Clears the terminal.",
	"cls":         "CLS (or CLEAR)\n\n  Clears the terminal.",
	"consistency": "CONSISTENCY [<level>]\n\n  Sets the consistency level of the statements that follow (ONE by\n  default): ANY, ONE, TWO, THREE, QUORUM, ALL, LOCAL_ONE, LOCAL_QUORUM,\n  EACH_QUORUM, SERIAL or LOCAL_SERIAL. Without a level, shows it.",
	"copy":        "COPY <table> [(<column>, ...)] FROM ('<file>' | STDIN) [WITH <option> = '<value>' [AND ...]];\nCOPY <table> [(<column>, ...)] TO ('<file>' | STDOUT) [WITH <option> = '<value>' [AND ...]];\n\n  Imports CSV into a table, or exports a table as CSV.\n  Options: DELIMITER (','), QUOTE ('\"'), ESCAPE ('\\'), HEADER (false),\n  NULL (''), DATETIMEFORMAT, DECIMALSEP ('.'), THOUSANDSSEP (''),\n  BOOLSTYLE ('True,False'), MAXATTEMPTS (5), REPORTFREQUENCY (0.25),\n  RATEFILE; for FROM: CHUNKSIZE (5000), INGESTRATE (100000),\n  MAXBATCHSIZE (20), MINBATCHSIZE (10), MAXROWS (-1), SKIPROWS (0),\n  SKIPCOLS (''), MAXPARSEERRORS (-1), MAXINSERTERRORS (1000), ERRFILE,\n  TTL (-1); for TO: ENCODING ('utf8'), PAGESIZE (1000), PAGETIMEOUT,\n  MAXOUTPUTSIZE (-1), FLOATPRECISION (5), DOUBLEPRECISION (12),\n  BEGINTOKEN, ENDTOKEN.\n  On STDIN, a line holding \\. ends the data.",
	"describe":    "DESCRIBE KEYSPACES | KEYSPACE [<ks>] | TABLES | TABLE [<ks>.]<t> | TYPES |\n         TYPE [<ks>.]<type> | INDEX <index> | CLUSTER | [FULL] SCHEMA | <name>\n\n  Shows the names of keyspaces, tables or types, or the CQL that would\n  create a keyspace, table, type or index (DESC for short).",
	"desc":        "DESC: see HELP DESCRIBE.",
	"exit":        "EXIT (or QUIT)\n\n  Leaves the shell.",
	"expand":      "EXPAND [ON | OFF]\n\n  Shows rows vertically, one column a line (ON), or as a table (OFF).\n  Without an argument, shows the setting.",
	"help":        "HELP [<topic>]\n\n  Lists the topics, or explains one.",
	"login":       "LOGIN <user> ['<password>']\n\n  Logs in again as another user; asks for the password when it is\n  not given.",
	"paging":      "PAGING [ON | OFF | <page size>]\n\n  Pages query results at a terminal (ON, 100 rows a page by default),\n  or shows them whole (OFF). Without an argument, shows the setting.",
	"serial":      "SERIAL CONSISTENCY [SERIAL | LOCAL_SERIAL]\n\n  Sets the serial consistency of lightweight transactions (SERIAL by\n  default). Without a level, shows it.",
	"show":        "SHOW VERSION | HOST\n\n  Shows the versions of the shell, the node, CQL and the protocol, or\n  where the shell is connected.",
	"source":      "SOURCE '<file>'\n\n  Runs the statements of <file>, showing each result or error; errors\n  do not stop it.",
	"tracing":     "TRACING [ON | OFF]\n\n  Tracing is not available in cassa cqlsh; TRACING shows that it is off.",
	"unicode":     "Textual output\n\n  Control characters in text values are shown as backslash escapes\n  (\\t, \\x01, ...) and backslashes are doubled; other characters are\n  printed as they are, in UTF-8.",
}

// cqlTopics are the CQL statements HELP names, with their anchor in the
// CQL reference.
var cqlTopics = map[string]string{
	"ALTER_KEYSPACE": "alterKeyspaceStmt", "ALTER_TABLE": "alterTableStmt", "ALTER_TYPE": "alterTypeStmt",
	"APPLY": "batchStmt", "BEGIN": "batchStmt", "CREATE_INDEX": "createIndexStmt",
	"CREATE_KEYSPACE": "createKeyspaceStmt", "CREATE_TABLE": "createTableStmt", "CREATE_TYPE": "createTypeStmt",
	"DELETE": "deleteStmt", "DROP_INDEX": "dropIndexStmt", "DROP_KEYSPACE": "dropKeyspaceStmt",
	"DROP_TABLE": "dropTableStmt", "DROP_TYPE": "dropTypeStmt", "INSERT": "insertStmt",
	"SELECT": "selectStmt", "TRUNCATE": "truncateStmt", "TYPES": "types", "UPDATE": "updateStmt",
	"USE": "useStmt", "TEXT": "types", "TIMESTAMP": "usingtimestamps", "UUID": "types",
	"BLOB": "blobFun", "COUNT": "countFct", "JSON": "json", "GRANT": "grantPermissionsStmt",
	"REVOKE": "revokePermissionsStmt", "CREATE_ROLE": "createRoleStmt", "DROP_ROLE": "dropRoleStmt",
	"LIST_ROLES": "listRolesStmt", "LIST_PERMISSIONS": "listPermissionsStmt", "CREATE_FUNCTION": "createFunctionStmt",
	"CREATE_AGGREGATE": "createAggregateStmt",
}

const cqlHelpURL = "https://cassandra.apache.org/doc/cql3/CQL-3.2.html"

func (s *Shell) doHelp(text string) {
	t := tokens(text)
	if len(t) == 1 {
		printTopics(s.console, "\nDocumented shell commands:", keys(shellTopics))
		printTopics(s.console, "CQL help topics:", keys(cqlTopics))
		return
	}
	for _, topic := range t[1:] {
		if topic.kind == 'p' {
			continue
		}
		name := strings.ToLower(topic.text)
		if doc, ok := shellTopics[name]; ok {
			fmt.Fprintln(s.console)
			fmt.Fprintln(s.console, doc)
			fmt.Fprintln(s.console)
			continue
		}
		if anchor, ok := cqlTopics[strings.ToUpper(topic.text)]; ok {
			s.printErr(fmt.Sprintf("*** No browser to display CQL help. URL for help topic %s : %s#%s", topic.text, cqlHelpURL, anchor))
			continue
		}
		s.printErr(fmt.Sprintf("*** No help on %s", topic.text))
	}
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, strings.ToUpper(k))
	}
	sort.Strings(out)
	return out
}

// printTopics is cmd.Cmd.print_topics: the header, a ruler of '=' as long
// as it (counting a leading line end, as Python does), the topics in
// columns 79 wide, and a blank line.
func printTopics(w io.Writer, header string, topics []string) {
	fmt.Fprintln(w, header)
	fmt.Fprintln(w, strings.Repeat("=", len(header)))
	columnize(w, topics, 79)
	fmt.Fprintln(w)
}
