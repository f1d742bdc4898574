package cqlparse

import (
	"sort"
	"strings"
)

// ScriptStatement is one statement of a script, as Split cuts it.
type ScriptStatement struct {
	// Text is the statement without its terminating semicolon and without
	// the whitespace and comments around it.
	Text string
	// Offset is the byte offset of Text in the script; Line is its 1-based
	// line.
	Offset int
	Line   int
}

// Split cuts a CQL script (a cqlsh -f file, a .cql migration) into
// statements at semicolons, the way cqlsh does: semicolons inside strings,
// $$ strings, quoted names and comments do not count, nor do the
// semicolons between the statements of a BEGIN BATCH ... APPLY BATCH.
// Empty statements are dropped; a last statement without a semicolon is
// kept. Split never fails: text the lexer cannot read (a stray character,
// an unterminated string) stays in the statement where it appears, for
// Parse to report.
func Split(script string) []ScriptStatement {
	if len(script) > maxInput {
		// Too long to lex; Parse refuses it whole.
		return []ScriptStatement{{Text: script, Line: 1}}
	}
	l := lex(script)
	// The pieces of the script in order: every visible token, and the
	// stretch of every lexer error.
	type piece struct {
		off, end int
		kind     tokKind
		line     int
	}
	pieces := make([]piece, 0, len(l.toks))
	for i := range l.toks {
		if t := &l.toks[i]; !t.hidden() && t.kind != tEOF {
			pieces = append(pieces, piece{int(t.off), int(t.end), t.kind, int(t.line)})
		}
	}
	if len(l.errs) > 0 {
		lineAt := lineCounter(script)
		for _, e := range l.errs {
			if rest := script[e.start:]; len(rest) >= 2 && (rest[:2] == "--" || rest[:2] == "//") {
				continue // a line comment that ends the script without a newline
			}
			end := max(e.off, min(e.start+1, len(script)))
			pieces = append(pieces, piece{e.start, end, tEOF, lineAt(e.start)})
		}
		sort.SliceStable(pieces, func(i, j int) bool { return pieces[i].off < pieces[j].off })
	}

	var out []ScriptStatement
	start, end, line := -1, -1, 0
	// inBatch is set from BEGIN [UNLOGGED|COUNTER] BATCH to APPLY BATCH.
	inBatch := false
	n := 0 // pieces so far in the statement
	prev := tEOF
	for _, pc := range pieces {
		if pc.kind == tSEMI && !inBatch {
			if start >= 0 {
				out = append(out, ScriptStatement{Text: script[start:end], Offset: start, Line: line})
			}
			start, n, prev = -1, 0, tSEMI
			continue
		}
		if start < 0 {
			start, line = pc.off, pc.line
		}
		n++
		switch {
		case n == 2 && prev == kBEGIN:
			inBatch = pc.kind == kBATCH || pc.kind == kUNLOGGED || pc.kind == kCOUNTER
		case inBatch && prev == kAPPLY && pc.kind == kBATCH:
			inBatch = false
		}
		end = max(end, pc.end)
		prev = pc.kind
	}
	if start >= 0 {
		out = append(out, ScriptStatement{Text: script[start:end], Offset: start, Line: line})
	}
	return out
}

// lineCounter returns a function giving the 1-based line of a byte
// offset of s; it is fast when asked about increasing offsets.
func lineCounter(s string) func(off int) int {
	pos, line := 0, 1
	return func(off int) int {
		off = min(off, len(s))
		if off < pos {
			pos, line = 0, 1
		}
		line += strings.Count(s[pos:off], "\n")
		pos = off
		return line
	}
}
