package cqlparse

import (
	"math"
	"strings"
	"unicode/utf8"
)

// token is one lexed token. Hidden tokens (whitespace, comments) are kept:
// Cassandra's error snippets count them as tokens.
type token struct {
	kind tokKind
	off  int32 // byte offset of the first character
	end  int32 // byte offset after the last character
	line int32 // 1-based
	col  int32 // 0-based, in UTF-16 code units, as Java counts
}

// tokText is what ANTLR's Token.getText returns for t, a token of src: the
// content of string literals and quoted names (quotes removed, doubled
// quotes undone), the source text otherwise. Tokens hold no text of their
// own, so that the token buffer has no pointers for the collector to scan.
func tokText(src string, t *token) string {
	s := src[t.off:t.end]
	switch t.kind {
	case tSTRING:
		if s[0] == '$' {
			return s[2 : len(s)-2]
		}
		return unquote(s, "'")
	case tQUOTED_NAME:
		return unquote(s, `"`)
	}
	return s
}

// unquote removes the quotes around s and undoes doubled quotes inside.
func unquote(s, q string) string {
	s = s[1 : len(s)-1]
	if strings.Contains(s, q+q) {
		s = strings.ReplaceAll(s, q+q, q)
	}
	return s
}

func (t *token) hidden() bool { return t.kind == tWS || t.kind == tComment }

// lexError is an error reported by the lexer. tok is the number of tokens
// already emitted: ANTLR reports it while fetching that token.
type lexError struct {
	line, col int
	off       int // where the error is reported
	start     int // where the token being lexed started
	msg       string
	tok       int
}

type lexer struct {
	src      string
	i        int
	line     int
	col      int
	tokStart int
	toks     []token
	errs     []lexError
}

// maxInput is the longest text the lexer takes: token offsets are int32
// to keep the token buffer small. A native-protocol frame is far shorter.
const maxInput = math.MaxInt32

// lex tokenizes src completely, the way Cassandra 3.11's CqlLexer does:
// characters it cannot use are reported and skipped, and lexing goes on.
func lex(src string) *lexer {
	// A statement has about one token (whitespace counts) per one or two
	// bytes. Short ones get room for the worst case, so that the buffer is
	// never copied; long ones grow as needed.
	n := len(src)/2 + 4
	if len(src) <= 4096 {
		n = len(src) + 2
	}
	l := &lexer{src: src, line: 1, toks: make([]token, 0, n)}
	for l.i < len(l.src) {
		l.next()
	}
	l.toks = append(l.toks, token{kind: tEOF, off: int32(len(src)), end: int32(len(src)), line: 0, col: -1})
	return l
}

// advance moves the position to byte offset to, counting lines and UTF-16
// columns as ANTLRStringStream does ('\n' starts a new line).
func (l *lexer) advance(to int) {
	for l.i < to {
		c := l.src[l.i]
		if c < utf8.RuneSelf {
			l.i++
			if c == '\n' {
				l.line++
				l.col = 0
			} else {
				l.col++
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(l.src[l.i:])
		l.i += n
		l.col += utf16Len(r)
	}
}

func utf16Len(r rune) int {
	if r >= 0x10000 && r <= utf8.MaxRune {
		return 2
	}
	return 1
}

func (l *lexer) emit(kind tokKind, start, line, col int) {
	l.toks = append(l.toks, token{kind: kind, off: int32(start), end: int32(l.i), line: int32(line), col: int32(col)})
}

// fail records a lexer error at the current position.
func (l *lexer) fail(msg string) {
	l.errs = append(l.errs, lexError{line: l.line, col: l.col, off: l.i, start: l.tokStart, msg: msg, tok: len(l.toks)})
}

// charDisplay renders the character at byte offset i as ANTLR's
// Lexer.getCharErrorDisplay does.
func (l *lexer) charDisplay(i int) string {
	if i >= len(l.src) {
		return "'<EOF>'"
	}
	r, _ := utf8.DecodeRuneInString(l.src[i:])
	switch r {
	case '\n':
		return `'\n'`
	case '\t':
		return `'\t'`
	case '\r':
		return `'\r'`
	}
	return "'" + string(r) + "'"
}

func (l *lexer) peekByte(i int) byte {
	if i < len(l.src) {
		return l.src[i]
	}
	return 0
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isHex(c byte) bool    { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
func isWordByte(c byte) bool {
	return isLetter(c) || isDigit(c) || c == '_'
}

// next lexes one token (or one error) at l.i.
func (l *lexer) next() {
	start, line, col := l.i, l.line, l.col
	l.tokStart = start
	c := l.src[l.i]
	c1 := l.peekByte(l.i + 1)
	switch {
	case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		j := l.i
		for j < len(l.src) && (l.src[j] == ' ' || l.src[j] == '\t' || l.src[j] == '\n' || l.src[j] == '\r') {
			j++
		}
		l.advance(j)
		l.emit(tWS, start, line, col)
	case c == '-' && c1 == '-', c == '/' && c1 == '/':
		// COMMENT: ('--' | '//') .* ('\n'|'\r'). Without the final newline
		// Cassandra's lexer fails at the end of input.
		j := strings.IndexAny(l.src[l.i+2:], "\n\r")
		if j < 0 {
			l.advance(len(l.src))
			l.fail("mismatched character '<EOF>' expecting set null")
			return
		}
		l.advance(l.i + 2 + j + 1)
		l.emit(tComment, start, line, col)
	case c == '/' && c1 == '*':
		j := strings.Index(l.src[l.i+2:], "*/")
		if j < 0 {
			l.advance(len(l.src))
			l.fail("mismatched character '<EOF>' expecting '*'")
			return
		}
		l.advance(l.i + 2 + j + 2)
		l.emit(tComment, start, line, col)
	case c == '\'':
		l.quotedString()
	case c == '$':
		l.dollarString()
	case c == '"':
		l.quotedName()
	case isDigit(c):
		l.number()
	case c == '-' && isDigit(c1):
		l.number()
	case c == '-' && c1 == 'P':
		if n := isoDurationLen(l.src[l.i+1:]); n > 0 {
			l.advance(l.i + 1 + n)
			l.emit(tDURATION, start, line, col)
			return
		}
		l.advance(l.i + 1)
		l.emit(tMINUS, start, line, col)
	case isLetter(c):
		l.word()
	default:
		l.punct(c, c1)
	}
}

func (l *lexer) punct(c, c1 byte) {
	start, line, col := l.i, l.line, l.col
	kind, n := tokKind(0), 1
	switch c {
	case '(':
		kind = tLPAREN
	case ')':
		kind = tRPAREN
	case '[':
		kind = tLBRACKET
	case ']':
		kind = tRBRACKET
	case '{':
		kind = tLBRACE
	case '}':
		kind = tRBRACE
	case ',':
		kind = tCOMMA
	case ';':
		kind = tSEMI
	case ':':
		kind = tCOLON
	case '.':
		kind = tDOT
	case '*':
		kind = tSTAR
	case '?':
		kind = tQMARK
	case '=':
		kind = tEQ
	case '+':
		kind = tPLUS
		if c1 == '=' {
			kind, n = tPLUSEQ, 2
		}
	case '-':
		kind = tMINUS
		if c1 == '=' {
			kind, n = tMINUSEQ, 2
		}
	case '<':
		kind = tLT
		if c1 == '=' {
			kind, n = tLTE, 2
		}
	case '>':
		kind = tGT
		if c1 == '=' {
			kind, n = tGTE, 2
		}
	case '!':
		if c1 != '=' {
			// '!=' is the only token starting with '!': ANTLR matches '!',
			// fails on the next character and drops it too.
			l.advance(l.i + 1)
			l.fail("mismatched character " + l.charDisplay(l.i) + " expecting '='")
			l.skipRune()
			return
		}
		kind, n = tNEQ, 2
	case '/':
		// Not a comment: the prediction fails on the next character.
		l.advance(l.i + 1)
		l.fail("no viable alternative at character " + l.charDisplay(l.i))
		return
	default:
		l.fail("no viable alternative at character " + l.charDisplay(l.i))
		l.skipRune()
		return
	}
	l.advance(l.i + n)
	l.emit(kind, start, line, col)
}

func (l *lexer) skipRune() {
	if l.i >= len(l.src) {
		return
	}
	_, n := utf8.DecodeRuneInString(l.src[l.i:])
	l.advance(l.i + n)
}

// quotedString lexes a single-quoted string, in which a doubled quote
// stands for a quote.
func (l *lexer) quotedString() {
	start, line, col := l.i, l.line, l.col
	if end := closingQuote(l.src, l.i+1, '\''); end >= 0 {
		l.advance(end + 1)
		l.emit(tSTRING, start, line, col)
		return
	}
	l.advance(len(l.src))
	l.fail("mismatched character '<EOF>' expecting '''")
}

// closingQuote returns the offset of the quote q that closes a string or
// name whose content starts at byte offset i of s (a doubled q stands for
// q), or -1 when none does.
func closingQuote(s string, i int, q byte) int {
	for {
		k := strings.IndexByte(s[i:], q)
		if k < 0 {
			return -1
		}
		if i+k+1 < len(s) && s[i+k+1] == q {
			i += k + 2
			continue
		}
		return i + k
	}
}

// dollarString lexes $$...$$ (no escapes, ends at the first $$).
func (l *lexer) dollarString() {
	start, line, col := l.i, l.line, l.col
	if l.peekByte(l.i+1) != '$' {
		l.advance(l.i + 1)
		l.fail("mismatched character " + l.charDisplay(l.i) + " expecting '$'")
		l.skipRune()
		return
	}
	body := l.i + 2
	if k := strings.Index(l.src[body:], "$$"); k >= 0 {
		l.advance(body + k + 2)
		l.emit(tSTRING, start, line, col)
		return
	}
	// Unterminated: Cassandra's rule collects characters while more than
	// one remains, then expects '$' '$'.
	j := body
	for j < len(l.src) {
		_, n := utf8.DecodeRuneInString(l.src[j:])
		if j+n >= len(l.src) {
			break
		}
		j += n
	}
	l.advance(j)
	if j < len(l.src) && l.src[j] == '$' {
		l.advance(j + 1)
	}
	l.fail("mismatched character " + l.charDisplay(l.i) + " expecting '$'")
	l.skipRune()
}

// quotedName lexes "..." with "" standing for a quote, or the empty "".
func (l *lexer) quotedName() {
	start, line, col := l.i, l.line, l.col
	if l.peekByte(l.i+1) == '"' && l.peekByte(l.i+2) != '"' {
		l.advance(l.i + 2)
		l.emit(tEMPTY_QUOTED_NAME, start, line, col)
		return
	}
	if end := closingQuote(l.src, l.i+1, '"'); end >= 0 {
		l.advance(end + 1)
		l.emit(tQUOTED_NAME, start, line, col)
		return
	}
	l.advance(len(l.src))
	l.fail(`mismatched character '<EOF>' expecting '"'`)
}

// uuidLen reports 36 when s starts with a UUID (8-4-4-4-12 hex digits).
func uuidLen(s string) int {
	if len(s) < 36 {
		return 0
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return 0
			}
		default:
			if !isHex(c) {
				return 0
			}
		}
	}
	return 36
}

// unitLen reports the length of the duration unit at the start of s
// (y mo w d h m s ms us µs ns, any case), 0 if none.
func unitLen(s string) int {
	if s == "" {
		return 0
	}
	lower := func(i int) byte {
		if i >= len(s) {
			return 0
		}
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		return c
	}
	switch lower(0) {
	case 'y', 'w', 'd', 'h':
		return 1
	case 'm':
		if c := lower(1); c == 'o' || c == 's' {
			return 2
		}
		return 1
	case 's':
		return 1
	case 'u', 'n':
		if lower(1) == 's' {
			return 2
		}
	case 0xC2: // µ (U+00B5) is C2 B5 in UTF-8
		if len(s) >= 3 && s[1] == 0xB5 && lower(2) == 's' {
			return 3
		}
	}
	return 0
}

// number lexes INTEGER, FLOAT, DURATION, HEXNUMBER or UUID starting at a
// digit or at '-' followed by a digit.
func (l *lexer) number() {
	start, line, col := l.i, l.line, l.col
	s := l.src[l.i:]
	if n := uuidLen(s); n > 0 {
		l.advance(l.i + n)
		l.emit(tUUID, start, line, col)
		return
	}
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		j := 2
		for j < len(s) && isHex(s[j]) {
			j++
		}
		l.advance(l.i + j)
		l.emit(tHEX, start, line, col)
		return
	}
	j := 0
	if s[0] == '-' {
		j = 1
	}
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if u := unitLen(s[j:]); u > 0 {
		// DURATION: DIGIT+ UNIT (DIGIT+ UNIT)*, the loop taken greedily.
		j += u
		for j < len(s) && isDigit(s[j]) {
			k := j
			for k < len(s) && isDigit(s[k]) {
				k++
			}
			u = unitLen(s[k:])
			if u == 0 {
				l.advance(l.i + k)
				l.fail("no viable alternative at character " + l.charDisplay(l.i))
				l.skipRune()
				return
			}
			j = k + u
		}
		l.advance(l.i + j)
		l.emit(tDURATION, start, line, col)
		return
	}
	kind := tINTEGER
	if j < len(s) && s[j] == '.' {
		kind = tFLOAT
		j++
		for j < len(s) && isDigit(s[j]) {
			j++
		}
	}
	if n := exponentLen(s[j:]); n > 0 {
		kind = tFLOAT
		j += n
	}
	l.advance(l.i + j)
	l.emit(kind, start, line, col)
}

func exponentLen(s string) int {
	if s == "" || s[0] != 'e' && s[0] != 'E' {
		return 0
	}
	j := 1
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		j++
	}
	k := j
	for k < len(s) && isDigit(s[k]) {
		k++
	}
	if k == j {
		return 0
	}
	return k
}

// isoDurationLen reports the length of the longest ISO-8601 duration at the
// start of s, which begins with 'P' (Cassandra 3.11's DURATION rule):
// PnYnMnDTnHnMnS with every part optional, PnW, or PYYYY-MM-DDThh:mm:ss.
func isoDurationLen(s string) int {
	if s == "" || s[0] != 'P' {
		return 0
	}
	best := 0
	// Alternative format.
	if alt := "P0000-00-00T00:00:00"; len(s) >= len(alt) {
		ok := true
		for i := 1; i < len(alt) && ok; i++ {
			if alt[i] == '0' {
				ok = isDigit(s[i])
			} else {
				ok = s[i] == alt[i]
			}
		}
		if ok {
			best = len(alt)
		}
	}
	digits := func(i int) int {
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		return j
	}
	// Week form.
	if j := digits(1); j > 1 && j < len(s) && s[j] == 'W' && j+1 > best {
		best = j + 1
	}
	// Designators: each (DIGIT+ X)? optional, in order.
	i := 1
	part := func(designators string) {
		for _, d := range []byte(designators) {
			j := digits(i)
			if j > i && j < len(s) && s[j] == d {
				i = j + 1
			}
		}
	}
	part("YMD")
	if i < len(s) && s[i] == 'T' {
		i++
		part("HMS")
	}
	if i > best {
		best = i
	}
	return best
}

// word lexes an identifier, keyword, boolean, or a duration or UUID that
// starts with a letter.
func (l *lexer) word() {
	start, line, col := l.i, l.line, l.col
	s := l.src[l.i:]
	if isHex(s[0]) {
		if n := uuidLen(s); n > 0 {
			l.advance(l.i + n)
			l.emit(tUUID, start, line, col)
			return
		}
	}
	if strings.HasPrefix(s, "expr(") {
		l.advance(l.i + 5)
		l.emit(tEXPR, start, line, col)
		return
	}
	j := 1
	for j < len(s) && isWordByte(s[j]) {
		j++
	}
	if s[0] == 'P' {
		// DURATION comes before IDENT in Cassandra's lexer, so it wins ties.
		if n := isoDurationLen(s); n >= j {
			l.advance(l.i + n)
			l.emit(tDURATION, start, line, col)
			return
		}
	}
	w := s[:j]
	kind := keyword(w)
	if kind == tIDENT && len(w) <= 5 && (strings.EqualFold(w, "true") || strings.EqualFold(w, "false")) {
		kind = tBOOLEAN
	}
	l.advance(l.i + j)
	l.emit(kind, start, line, col)
}
