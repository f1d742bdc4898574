package cql

import (
	"strings"
	"sync"
	"sync/atomic"
)

// stmtKind is what a statement does, read from its first keyword.
type stmtKind uint8

const (
	kindUnknown stmtKind = iota // DDL, USE, anything else
	kindSelect
	kindInsert
	kindUpdate
	kindDelete
	kindBatch
)

// stmtInfo is what the session needs to know about a statement's text:
// whether it writes, and whether running it twice could differ from
// running it once.
type stmtInfo struct {
	kind stmtKind
	// conditional: an IF clause (a lightweight transaction). Running it
	// again after a timeout may answer "not applied" for its own write.
	conditional bool
	// selfRef: an assignment that reads its own column (c = c + ?,
	// l = ? + l, c = c - ?): a counter update or a list append, prepend
	// or removal, which a second run would apply again. Set and map
	// additions look the same from the text and are treated alike.
	selfRef bool
	// counterBatch: BEGIN COUNTER BATCH.
	counterBatch bool
	// nowFunc: now(), uuid() or a current*() function, whose value
	// differs on a second run.
	nowFunc bool
	// elementDelete: DELETE of a collection element (DELETE l[?]): for a
	// list it removes by position, and a second run removes another.
	elementDelete bool
}

// write reports whether the statement writes (and so gets a client
// timestamp of its own, kept for all its attempts).
func (i stmtInfo) write() bool {
	switch i.kind {
	case kindInsert, kindUpdate, kindDelete, kindBatch:
		return true
	}
	return false
}

// idempotent reports whether running the statement twice has the effect
// of running it once (given one client timestamp for both): reads, and
// writes without conditions, self-referencing assignments, element
// deletions or time functions. Schema statements and anything
// unrecognised are not.
func (i stmtInfo) idempotent() bool {
	switch i.kind {
	case kindSelect:
		return true
	case kindInsert, kindUpdate, kindDelete, kindBatch:
		return !i.conditional && !i.selfRef && !i.counterBatch && !i.nowFunc && !i.elementDelete
	}
	return false
}

// stmtCache remembers the analysis of statement texts. It stops growing
// at stmtCacheMax entries (statements with literals in their text are
// endless) and analyses the rest each time.
type stmtCache struct {
	m sync.Map // string → stmtInfo
	n atomic.Int32
}

const stmtCacheMax = 4096

func (c *stmtCache) info(stmt string) stmtInfo {
	if v, ok := c.m.Load(stmt); ok {
		return v.(stmtInfo)
	}
	info := analyse(stmt)
	if c.n.Load() < stmtCacheMax {
		if _, loaded := c.m.LoadOrStore(stmt, info); !loaded {
			c.n.Add(1)
		}
	}
	return info
}

// token is one lexical token of a statement: a word (lower-cased unless
// quoted), a quoted identifier, a literal, or one punctuation byte.
type token struct {
	text   string
	word   bool // an unquoted identifier or keyword
	quoted bool // a "quoted identifier"
	lit    bool // a string or numeric literal, or a bind marker
}

// lex splits a CQL statement into tokens, skipping comments and keeping
// string literals whole, so that keywords inside them are not seen.
func lex(s string) []token {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-', c == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return out
			}
			i += end + 4
		case c == '\'':
			j := i + 1
			for j < len(s) {
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			out = append(out, token{text: s[i:min(j+1, len(s))], lit: true})
			i = j + 1
		case c == '$' && i+1 < len(s) && s[i+1] == '$':
			end := strings.Index(s[i+2:], "$$")
			if end < 0 {
				return append(out, token{text: s[i:], lit: true})
			}
			out = append(out, token{text: s[i : i+end+4], lit: true})
			i += end + 4
		case c == '"':
			j := i + 1
			var b strings.Builder
			for j < len(s) {
				if s[j] == '"' {
					if j+1 < len(s) && s[j+1] == '"' {
						b.WriteByte('"')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			out = append(out, token{text: b.String(), quoted: true})
			i = j + 1
		case isWordStart(c):
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			out = append(out, token{text: strings.ToLower(s[i:j]), word: true})
			i = j
		case c >= '0' && c <= '9', c == '?', c == ':':
			j := i + 1
			if c == ':' {
				for j < len(s) && isWordByte(s[j]) {
					j++
				}
			} else {
				for j < len(s) && (isWordByte(s[j]) || s[j] == '.') {
					j++
				}
			}
			out = append(out, token{text: s[i:j], lit: true})
			i = j
		default:
			out = append(out, token{text: s[i : i+1]})
			i++
		}
	}
	return out
}

func isWordStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isWordByte(c byte) bool {
	return isWordStart(c) || c >= '0' && c <= '9'
}

// nowFuncs are the functions whose value changes from one run to the next.
var nowFuncs = map[string]bool{
	"now": true, "uuid": true, "currenttimestamp": true, "currentdate": true,
	"currenttime": true, "currenttimeuuid": true,
}

// analyse reads what stmtInfo needs from a statement's tokens.
func analyse(stmt string) stmtInfo {
	toks := lex(stmt)
	var info stmtInfo
	if len(toks) == 0 || !toks[0].word {
		return info
	}
	switch toks[0].text {
	case "select":
		info.kind = kindSelect
	case "insert":
		info.kind = kindInsert
	case "update":
		info.kind = kindUpdate
	case "delete":
		info.kind = kindDelete
	case "begin":
		info.kind = kindBatch
		info.counterBatch = len(toks) > 1 && toks[1].word && toks[1].text == "counter"
	default:
		return info
	}
	inSet := false
	deleteHead := info.kind == kindDelete
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.word {
			switch t.text {
			case "if":
				if info.kind != kindSelect {
					info.conditional = true
				}
			case "set":
				inSet = true
				continue
			case "where", "using", "apply", "update", "insert", "delete", "begin":
				inSet = false
			case "from":
				deleteHead = false
			}
			if i+1 < len(toks) && toks[i+1].text == "(" && nowFuncs[t.text] {
				info.nowFunc = true
			}
		}
		if deleteHead && t.text == "[" {
			info.elementDelete = true
		}
		if inSet && (t.word || t.quoted) && i+1 < len(toks) && toks[i+1].text == "=" {
			if assignmentReads(toks, i) {
				info.selfRef = true
			}
		}
	}
	if info.kind == kindSelect {
		info.nowFunc = false
	}
	return info
}

// assignmentReads reports whether the assignment starting at toks[i]
// (column = expression) names its own column in the expression, up to the
// next top-level comma or clause keyword.
func assignmentReads(toks []token, i int) bool {
	col := toks[i]
	depth := 0
	for j := i + 2; j < len(toks); j++ {
		t := toks[j]
		switch t.text {
		case "(", "[", "{":
			depth++
			continue
		case ")", "]", "}":
			depth--
			continue
		case ",":
			if depth == 0 {
				return false
			}
		}
		if t.word && depth == 0 {
			switch t.text {
			case "where", "if", "using", "apply":
				return false
			}
		}
		if (t.word || t.quoted) && t.text == col.text {
			return true
		}
	}
	return false
}
