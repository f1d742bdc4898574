package cqlparse

import (
	"strconv"
	"strings"
)

// SyntaxError is a statement Cassandra would refuse with a SyntaxException
// (native protocol error code 0x2000). Message is the complete text
// Cassandra sends, e.g.
//
//	line 1:14 mismatched input 'FRM' expecting K_FROM (SELECT * [FRM]...)
//
// Line and Column are the numbers in that header: a 1-based line and a
// 0-based column counted in UTF-16 code units, as Java counts; an error at
// the end of the input reports line 0, column -1, as Cassandra does. Errors
// raised by grammar actions (for example "Bind variables cannot be used for
// table names") have no header: HasPosition is false and Line, Column are 0.
type SyntaxError struct {
	Message     string
	Line        int
	Column      int
	HasPosition bool
	// Offset is the byte offset in the query of the character or token the
	// error is about, or -1 when there is none (end of input, action errors).
	Offset int
}

// Error returns Message, the text Cassandra sends.
func (e *SyntaxError) Error() string { return e.Message }

func header(line, col int) string {
	return "line " + strconv.Itoa(line) + ":" + strconv.Itoa(col)
}

// tokenDisplay is ANTLR's BaseRecognizer.getTokenErrorDisplay for token t
// of src.
func tokenDisplay(src string, t *token) string {
	if t.kind == tEOF {
		return "'<EOF>'"
	}
	s := tokText(src, t)
	if strings.ContainsAny(s, "\n\r\t") {
		s = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s)
	}
	return "'" + s + "'"
}

// snippet reproduces Cassandra's ErrorCollector.appendQuerySnippet: the
// query text from ten tokens before the parser's current token to two
// after it (hidden tokens count, and only tokens fetched so far exist),
// with the current token in brackets. index is the current token's index,
// fetched the highest index fetched. It returns "" when Cassandra appends
// nothing (a bound token is the end-of-input token).
func snippet(src string, toks []token, index, fetched int) string {
	size := fetched + 1
	// The line, column and end column (column + text length) of a token.
	type place struct{ line, col, lastCol int }
	at := func(i int) place {
		t := &toks[i]
		return place{int(t.line), int(t.col), int(t.col) + utf16StringLen(tokText(src, t))}
	}
	from, to, off := at(max(0, index-10)), at(min(size-1, index+2)), at(min(index, size-1))
	lines := javaSplitLines(src)
	for _, p := range []place{from, to, off} {
		if p.line <= 0 || p.col < 0 || p.line > len(lines) {
			return ""
		}
	}
	includeStart := from.line == 1 && from.col == 0
	includeEnd := to.line == len(lines) && to.lastCol == utf16StringLen(lines[len(lines)-1])

	toLine := lines[to.line-1]
	if to.lastCol < utf16StringLen(toLine) {
		lines[to.line-1] = utf16Prefix(toLine, to.lastCol)
	}
	ol := lines[off.line-1]
	ol = insertAt(ol, off.lastCol, "]")
	lines[off.line-1] = insertAt(ol, off.col, "[")
	lines[from.line-1] = utf16Suffix(lines[from.line-1], from.col)

	var b strings.Builder
	b.WriteString(" (")
	if !includeStart {
		b.WriteString("...")
	}
	for i := from.line - 1; i <= to.line-1; i++ {
		b.WriteString(lines[i])
	}
	if !includeEnd {
		b.WriteString("...")
	}
	b.WriteString(")")
	return b.String()
}

// javaSplitLines is Java's String.split("\n"): trailing empty strings are
// dropped, but an empty input gives one empty line.
func javaSplitLines(s string) []string {
	lines := strings.Split(s, "\n")
	for len(lines) > 1 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 1 && lines[0] == "" && s != "" {
		// All newlines: Java gives an empty array; keep one empty line so
		// that no index is out of range (no token can be valid here anyway).
		return lines
	}
	return lines
}

func utf16StringLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16Len(r)
	}
	return n
}

// utf16Index converts a UTF-16 index into a byte index of s, clamped to
// [0, len(s)]. Java would throw for an index past the end; we clamp.
func utf16Index(s string, u int) int {
	if u <= 0 {
		return 0
	}
	n := 0
	for i, r := range s {
		if n >= u {
			return i
		}
		n += utf16Len(r)
	}
	return len(s)
}

func utf16Prefix(s string, u int) string { return s[:utf16Index(s, u)] }
func utf16Suffix(s string, u int) string { return s[utf16Index(s, u):] }

func insertAt(s string, u int, ins string) string {
	i := utf16Index(s, u)
	return s[:i] + ins + s[i:]
}

// lexErrorToSyntax turns a lexer error into Cassandra's message (lexer
// errors carry no snippet).
func lexErrorToSyntax(e lexError) *SyntaxError {
	return &SyntaxError{
		Message:     header(e.line, e.col) + " " + e.msg,
		Line:        e.line,
		Column:      e.col,
		HasPosition: true,
		Offset:      e.off,
	}
}
