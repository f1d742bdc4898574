package migrate

import (
	"fmt"
	"strings"
)

// cqlStatement is one statement of a CQL script and the line it starts on
// (1-based).
type cqlStatement struct {
	text string
	line int
}

// ScriptError reports a CQL script that cannot be split into statements:
// a string, quoted name or comment that does not end.
type ScriptError struct {
	// Name names the script (a migration's ID or file name).
	Name string
	Line int
	Msg  string
}

// Error names the script, the line and the problem.
func (e *ScriptError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("migrate: CQL script %s, line %d: %s", e.Name, e.Line, e.Msg)
}

// Is reports whether target is ErrInvalidSpec: a bad script is a bad
// migration definition.
func (e *ScriptError) Is(target error) bool { return target == ErrInvalidSpec }

// splitCQLScript is the one place that splits .cql scripts into
// statements, as cqlsh reads a file: statements end with a semicolon
// (the last one may omit it), comments (--, // and /* */) are dropped,
// semicolons inside strings ('...' with ” escapes, $$...$$), quoted names
// ("...") and BEGIN ... APPLY BATCH do not end a statement. When a public
// splitter lands in the module, this function becomes a call to it.
func splitCQLScript(name, script string) ([]cqlStatement, error) {
	var out []cqlStatement
	var b strings.Builder
	line, start := 1, 0
	emit := func() {
		if s := strings.TrimSpace(b.String()); s != "" {
			out = append(out, cqlStatement{text: s, line: start})
		}
		b.Reset()
		start = 0
	}
	mark := func() {
		if start == 0 {
			start = line
		}
	}
	bad := func(at int, msg string) error { return &ScriptError{Name: name, Line: at, Msg: msg} }
	for i := 0; i < len(script); i++ {
		c := script[i]
		switch {
		case c == '\n':
			line++
			b.WriteByte(c)
		case c == '-' && i+1 < len(script) && script[i+1] == '-', c == '/' && i+1 < len(script) && script[i+1] == '/':
			for i < len(script) && script[i] != '\n' {
				i++
			}
			i-- // the newline counts the line
			b.WriteByte(' ')
		case c == '/' && i+1 < len(script) && script[i+1] == '*':
			at := line
			end := strings.Index(script[i+2:], "*/")
			if end < 0 {
				return nil, bad(at, "comment /* does not end")
			}
			line += strings.Count(script[i:i+2+end], "\n")
			i += end + 3
			b.WriteByte(' ')
		case c == '\'' || c == '"':
			mark()
			at := line
			j := i + 1
			for ; j < len(script); j++ {
				if script[j] == c {
					if j+1 < len(script) && script[j+1] == c {
						j++
						continue
					}
					break
				}
			}
			if j >= len(script) {
				what := "string"
				if c == '"' {
					what = "quoted name"
				}
				return nil, bad(at, what+" does not end")
			}
			b.WriteString(script[i : j+1])
			line += strings.Count(script[i:j+1], "\n")
			i = j
		case c == '$' && i+1 < len(script) && script[i+1] == '$':
			mark()
			at := line
			end := strings.Index(script[i+2:], "$$")
			if end < 0 {
				return nil, bad(at, "$$ string does not end")
			}
			b.WriteString(script[i : i+4+end])
			line += strings.Count(script[i:i+4+end], "\n")
			i += end + 3
		case c == ';':
			if inBatch(b.String()) {
				b.WriteByte(c)
				continue
			}
			emit()
		default:
			if c != ' ' && c != '\t' && c != '\r' {
				mark()
			}
			b.WriteByte(c)
		}
	}
	if inBatch(b.String()) {
		return nil, bad(start, "BEGIN BATCH without APPLY BATCH")
	}
	emit()
	return out, nil
}

// inBatch reports whether a statement so far is a batch that has not
// reached APPLY BATCH.
func inBatch(stmt string) bool {
	w := strings.Fields(strings.ToUpper(stmt))
	if len(w) == 0 || w[0] != "BEGIN" {
		return false
	}
	n := len(w)
	return n < 2 || w[n-2] != "APPLY" || w[n-1] != "BATCH"
}

// schemaStatement reports whether a statement changes the schema, after
// which a runner waits for schema agreement.
func schemaStatement(stmt string) bool {
	w := strings.Fields(strings.ToUpper(stmt))
	if len(w) == 0 {
		return false
	}
	switch w[0] {
	case "CREATE", "ALTER", "DROP":
		return true
	}
	return false
}
