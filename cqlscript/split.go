package cqlscript

import "strings"

// Statement is one statement of a script.
type Statement struct {
	// Text is the statement without its terminating semicolon and without
	// the whitespace and comments around it.
	Text string
	// Offset is the byte offset of Text in the script; Line is its 1-based
	// line.
	Offset int
	Line   int
	// Terminated reports whether the statement ended: at a semicolon, or
	// at the end of its line for a Splitter's line command. Only the last
	// statement of a script can be unterminated: the script ended inside
	// it (possibly inside a string, a quoted name, a block comment or a
	// batch).
	Terminated bool
}

// Split cuts a CQL script into statements at semicolons (see the package
// doc). Empty statements are dropped; a last statement without a
// semicolon is kept, with Terminated false.
func Split(script string) []Statement {
	return Splitter{}.Split(script)
}

// Splitter cuts scripts the way an interactive shell reads them. Its zero
// value is Split's rules.
type Splitter struct {
	// LineCommands are words that, as the first word of a statement, make
	// it end at the end of its line as well as at a semicolon, compared
	// without regard to case: cqlsh's own commands (HELP, DESCRIBE, SHOW,
	// CONSISTENCY, ...) need no semicolon.
	LineCommands []string
}

// Split cuts script into statements; see Split. Statements that are line
// commands also end at a newline outside strings and comments.
func (sp Splitter) Split(script string) []Statement {
	var (
		out   []Statement
		start = -1   // offset of the statement's first visible piece
		end   = -1   // offset after its last visible piece
		line  = 1    // current line
		sline = 0    // the statement's line
		words = 0    // words seen so far in the statement
		prev  string // previous word, lower case, when the previous piece was a word
		batch bool   // between BEGIN [UNLOGGED|COUNTER] BATCH and APPLY BATCH
		lineC bool   // the statement is a line command
	)
	flush := func(terminated bool) {
		if start >= 0 {
			out = append(out, Statement{Text: script[start:end], Offset: start, Line: sline, Terminated: terminated})
		}
		start, end, words, prev, batch, lineC = -1, -1, 0, "", false, false
	}
	visible := func(from, to int) {
		if start < 0 {
			start, sline = from, line
		}
		end = to
	}
	i := 0
	for i < len(script) {
		c := script[i]
		switch {
		case c == '\n':
			if lineC && start >= 0 {
				flush(true)
			}
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == ';':
			if batch {
				visible(i, i+1)
				prev = ""
				i++
				continue
			}
			flush(true)
			i++
		case (c == '-' || c == '/') && i+1 < len(script) && script[i+1] == c:
			// A line comment: up to the line end, which the '\n' case takes.
			j := strings.IndexAny(script[i:], "\n")
			if j < 0 {
				i = len(script)
				continue
			}
			i += j
		case c == '/' && i+1 < len(script) && script[i+1] == '*':
			j := strings.Index(script[i+2:], "*/")
			if j < 0 {
				// Unterminated: the rest is text of the statement, which
				// stays open.
				visible(i, len(script))
				line += strings.Count(script[i:], "\n")
				i = len(script)
				continue
			}
			line += strings.Count(script[i:i+2+j+2], "\n")
			i += 2 + j + 2
		case c == '\'' || c == '"':
			j := closing(script, i+1, c)
			visible(i, j)
			line += strings.Count(script[i:j], "\n")
			prev = ""
			i = j
		case c == '$' && i+1 < len(script) && script[i+1] == '$':
			j := strings.Index(script[i+2:], "$$")
			if j < 0 {
				j = len(script)
			} else {
				j = i + 2 + j + 2
			}
			visible(i, j)
			line += strings.Count(script[i:j], "\n")
			prev = ""
			i = j
		case isWordByte(c):
			j := i + 1
			for j < len(script) && isWordByte(script[j]) {
				j++
			}
			visible(i, j)
			w := strings.ToLower(script[i:j])
			words++
			switch {
			case words == 1:
				lineC = sp.isLineCommand(w)
			case words == 2 && prev == "begin":
				batch = w == "batch" || w == "unlogged" || w == "counter"
			case batch && prev == "apply" && w == "batch":
				batch = false
			}
			prev = w
			i = j
		default:
			// Any other character, readable or not, is text of the
			// statement.
			n := 1
			for n < 4 && i+n < len(script) && script[i+n]&0xC0 == 0x80 {
				n++
			}
			visible(i, i+n)
			prev = ""
			i += n
		}
	}
	// A statement cut by the end of the script is unterminated, even a
	// line command: its line has not ended.
	flush(false)
	return out
}

func (sp Splitter) isLineCommand(w string) bool {
	for _, c := range sp.LineCommands {
		if strings.EqualFold(c, w) {
			return true
		}
	}
	return false
}

// closing returns the offset just after the quote q that closes a string
// or quoted name whose content starts at byte offset i (a doubled q stands
// for q), or len(s) when none does.
func closing(s string, i int, q byte) int {
	for {
		k := strings.IndexByte(s[i:], q)
		if k < 0 {
			return len(s)
		}
		if i+k+1 < len(s) && s[i+k+1] == q {
			i += k + 2
			continue
		}
		return i + k + 1
	}
}

// isWordByte reports whether c can be part of a word: letters, digits,
// '_', and the bytes of non-ASCII characters (which Cassandra's lexer
// refuses; they stay in the statement as text either way).
func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// Open reports whether script ends inside a statement (text after the
// last terminator, or an unterminated string, name, comment or batch), so
// that a shell should read another line before running anything.
func (sp Splitter) Open(script string) bool {
	st := sp.Split(script)
	return len(st) > 0 && !st[len(st)-1].Terminated
}
