package shell

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a lexical token.
type tokKind int

const (
	tokEOF    tokKind = iota
	tokIdent          // a bare word: keyword, name or unquoted value
	tokString         // a quoted string, unescaped
	tokNumber         // an integer or decimal number, sign included
	tokHex            // 0x followed by hex digits (text holds the digits)
	tokPunct          // one of [ ] ( ) { } = , : ; and the comparison operators
)

// String names the kind in error messages.
func (k tokKind) String() string {
	switch k {
	case tokEOF:
		return "end of input"
	case tokIdent:
		return "word"
	case tokString:
		return "string"
	case tokNumber:
		return "number"
	case tokHex:
		return "hex literal"
	default:
		return "symbol"
	}
}

// token is one lexical token and the byte offset where it starts.
type token struct {
	kind tokKind
	text string
	pos  int
}

func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of input"
	case tokString:
		return fmt.Sprintf("string '%s'", t.text)
	case tokHex:
		return "0x" + t.text
	default:
		return fmt.Sprintf("%q", t.text)
	}
}

// is reports whether the token is the keyword or symbol s (keywords
// compare case-insensitively, as in cassandra-cli).
func (t token) is(s string) bool {
	switch t.kind {
	case tokIdent:
		return strings.EqualFold(t.text, s)
	case tokPunct:
		return t.text == s
	}
	return false
}

// isWordRune reports whether r may appear in a bare word. Dots and dashes are
// allowed so that class names, host names and keys such as user-1 need no
// quotes.
func isWordRune(r rune) bool {
	return r == '_' || r == '.' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// lex splits src into tokens. Errors carry the offset of the offending
// character.
func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(src) {
		r, size := utf8.DecodeRuneInString(src[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return nil, &ParseError{Pos: i, Msg: "invalid UTF-8 byte"}
		case unicode.IsSpace(r):
			i += size
		case r == '\'' || r == '"':
			s, n, err := lexString(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tokString, text: s, pos: i})
			i += n
		case r == '0' && i+1 < len(src) && (src[i+1] == 'x' || src[i+1] == 'X'):
			j := i + 2
			for j < len(src) && isHexDigit(src[j]) {
				j++
			}
			if j < len(src) && isWordByte(src[j]) {
				return nil, &ParseError{Pos: i, Msg: "bad hex literal"}
			}
			toks = append(toks, token{kind: tokHex, text: src[i+2 : j], pos: i})
			i = j
		case isDigit(r) || ((r == '-' || r == '+') && i+1 < len(src) && (isDigit(rune(src[i+1])) || src[i+1] == '.')):
			j := i + 1
			for j < len(src) && (isDigit(rune(src[j])) || src[j] == '.' ||
				((src[j] == 'e' || src[j] == 'E') && j+1 < len(src)) ||
				((src[j] == '-' || src[j] == '+') && (src[j-1] == 'e' || src[j-1] == 'E'))) {
				j++
			}
			// A number running into letters is a bare word (a key like 1abc
			// or a class name like 2i): re-lex it as one.
			if j < len(src) && isWordByte(src[j]) || !validNumber(src[i:j]) {
				j = i
				for j < len(src) {
					r2, s2 := utf8.DecodeRuneInString(src[j:])
					if !isWordRune(r2) && r2 != '+' {
						break
					}
					j += s2
				}
				toks = append(toks, token{kind: tokIdent, text: src[i:j], pos: i})
			} else {
				toks = append(toks, token{kind: tokNumber, text: src[i:j], pos: i})
			}
			i = j
		case isWordRune(r):
			j := i
			for j < len(src) {
				r2, s2 := utf8.DecodeRuneInString(src[j:])
				if !isWordRune(r2) {
					break
				}
				j += s2
			}
			toks = append(toks, token{kind: tokIdent, text: src[i:j], pos: i})
			i = j
		case strings.ContainsRune("[](){}=,:;?", r):
			toks = append(toks, token{kind: tokPunct, text: string(r), pos: i})
			i++
		case r == '<' || r == '>' || r == '!':
			op := string(r)
			if i+1 < len(src) && src[i+1] == '=' {
				op += "="
			}
			if op == "!" {
				return nil, &ParseError{Pos: i, Msg: "unexpected character '!'"}
			}
			toks = append(toks, token{kind: tokPunct, text: op, pos: i})
			i += len(op)
		default:
			return nil, &ParseError{Pos: i, Msg: fmt.Sprintf("unexpected character %q", r)}
		}
	}
	toks = append(toks, token{kind: tokEOF, pos: len(src)})
	return toks, nil
}

// lexString reads a quoted string starting at src[start]. The quote is
// doubled or backslash-escaped to include it; \n, \t and \\ are understood.
// It returns the unescaped text and the number of bytes consumed.
func lexString(src string, start int) (string, int, error) {
	q := src[start]
	var b strings.Builder
	i := start + 1
	for i < len(src) {
		c := src[i]
		switch {
		case c == q:
			if i+1 < len(src) && src[i+1] == q {
				b.WriteByte(q)
				i += 2
				continue
			}
			return b.String(), i + 1 - start, nil
		case c == '\\' && i+1 < len(src):
			switch e := src[i+1]; e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '0':
				b.WriteByte(0)
			default:
				b.WriteByte(e)
			}
			i += 2
		default:
			b.WriteByte(c)
			i++
		}
	}
	return "", 0, &ParseError{Pos: start, Msg: "unterminated string"}
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// validNumber reports whether s is [+-]digits[.digits][e[+-]digits].
func validNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(rune(s[i])) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(rune(s[i])) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		n := 0
		for i < len(s) && isDigit(rune(s[i])) {
			i++
			n++
		}
		if n == 0 {
			return false
		}
	}
	return i == len(s)
}

// SplitStatements splits a line into statements at semicolons outside
// quotes. Each part keeps its byte offset in line so errors can point into
// the original text. Blank parts are dropped.
func SplitStatements(line string) []Part {
	var parts []Part
	start := 0
	scanUnquoted(line, func(i int, c byte) {
		if c == ';' {
			parts = appendPart(parts, line[start:i], start)
			start = i + 1
		}
	})
	return appendPart(parts, line[start:], start)
}

// scanUnquoted calls f with each byte of line that stands outside quotes
// ('...' or "...", where a backslash escapes the next byte) and its
// index, and reports whether line ends inside a quote. A doubled quote
// inside quotes needs no case of its own: closing and reopening at once
// leaves the same bytes outside.
func scanUnquoted(line string, f func(i int, c byte)) (open bool) {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		default:
			f(i, c)
		}
	}
	return quote != 0
}

func appendPart(parts []Part, s string, off int) []Part {
	if strings.TrimSpace(s) == "" {
		return parts
	}
	return append(parts, Part{Text: s, Offset: off})
}

// Part is one statement of a line and its byte offset in that line.
type Part struct {
	Text   string
	Offset int
}

// Incomplete reports whether line leaves a statement open, so that a
// reader should append the next line to it: an open quote, more '[', '{'
// or '(' than closing ones, or a last word of "with" or "and", or a last
// character of ',' or '='.
func Incomplete(line string) bool {
	depth := 0
	open := scanUnquoted(line, func(_ int, c byte) {
		switch c {
		case '[', '{', '(':
			depth++
		case ']', '}', ')':
			depth--
		}
	})
	if open || depth > 0 {
		return true
	}
	t := strings.TrimSpace(line)
	if strings.HasSuffix(t, ",") || strings.HasSuffix(t, "=") {
		return true
	}
	fields := strings.Fields(t)
	if len(fields) < 2 {
		return false
	}
	last := strings.ToLower(fields[len(fields)-1])
	return last == "with" || last == "and"
}
