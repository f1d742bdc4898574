package migrate

import (
	"fmt"
	"strings"

	"github.com/cassa-go/cassa/cqlscript"
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

// splitCQLScript splits a .cql script into statements as cqlsh reads a
// file (package cqlscript): statements end with a semicolon (the last may
// omit it); semicolons inside strings, quoted names, comments and BEGIN
// ... APPLY BATCH do not end one. A script that ends inside a string,
// quoted name, block comment or batch is a *ScriptError.
func splitCQLScript(name, script string) ([]cqlStatement, error) {
	stmts := cqlscript.Split(script)
	if n := len(stmts); n > 0 && !stmts[n-1].Terminated {
		// A last statement may omit its semicolon; one that a semicolon on
		// a line of its own does not end is still open.
		if again := cqlscript.Split(script + "\n;"); len(again) > 0 && !again[len(again)-1].Terminated {
			return nil, &ScriptError{Name: name, Line: stmts[n-1].Line,
				Msg: "the script ends inside a string, quoted name, comment or BEGIN BATCH without APPLY BATCH"}
		}
	}
	out := make([]cqlStatement, len(stmts))
	for i, st := range stmts {
		out[i] = cqlStatement{text: st.Text, line: st.Line}
	}
	return out, nil
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
