package shell

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// ParseError is a syntax error in a statement. Pos is the byte offset in the
// statement (or in the line, once the shell has added the statement's
// offset) where the problem was found.
type ParseError struct {
	Pos int
	Msg string
}

// Error reads "syntax error at column N: msg", N counted from 1.
func (e *ParseError) Error() string {
	return fmt.Sprintf("syntax error at column %d: %s", e.Pos+1, e.Msg)
}

// Caret renders the line with a caret under the error position, for
// people at a terminal.
func (e *ParseError) Caret(line string) string {
	pos := e.Pos
	if pos > len(line) {
		pos = len(line)
	}
	if pos < 0 {
		pos = 0
	}
	// A long line shows only caretContext bytes either side of pos.
	lead, tail := "", ""
	if from := pos - caretContext; from > 0 {
		for from < pos && !utf8.RuneStart(line[from]) {
			from++
		}
		line, pos, lead = line[from:], pos-from, "..."
	}
	if to := pos + caretContext; to < len(line) {
		for to > pos && !utf8.RuneStart(line[to]) {
			to--
		}
		line, tail = line[:to], "..."
	}
	// Keep tabs so the caret lines up under the same characters.
	pad := make([]byte, 0, pos+len(lead))
	pad = append(pad, strings.Repeat(" ", len(lead))...)
	for i := 0; i < pos; i++ {
		if line[i] == '\t' {
			pad = append(pad, '\t')
		} else if line[i]&0xC0 != 0x80 { // count runes, not bytes
			pad = append(pad, ' ')
		}
	}
	return lead + line + tail + "\n" + string(pad) + "^"
}

// caretContext is how much of a line Caret shows on each side of the
// position.
const caretContext = 80

// LitKind is the kind of a literal value typed in a statement.
type LitKind int

const (
	// LitString is a quoted string.
	LitString LitKind = iota
	// LitNumber is a number as typed.
	LitNumber
	// LitWord is an unquoted word, used as text.
	LitWord
	// LitHex is 0x... raw bytes; Text holds the hex digits.
	LitHex
	// LitFunc is a conversion function such as long(24) or timeuuid().
	LitFunc
)

// Literal is a key, column name or value as typed. It is packed with the
// column family's type when the statement runs, unless a function names
// the type explicitly.
type Literal struct {
	Kind LitKind
	Text string   // the text (for LitFunc, the argument's text)
	Func string   // lower-case function name, for LitFunc
	Arg  *Literal // the argument of a function; nil when called with ()
	Pos  int
}

// String renders the literal back in the shell's syntax.
func (l Literal) String() string {
	switch l.Kind {
	case LitString:
		return "'" + strings.ReplaceAll(l.Text, "'", "''") + "'"
	case LitHex:
		return "0x" + l.Text
	case LitFunc:
		if l.Arg == nil {
			return l.Func + "()"
		}
		return l.Func + "(" + l.Arg.String() + ")"
	}
	return l.Text
}

// Ref is a column family reference with up to three subscripts:
// CF['key'], CF['key']['col'], CF['key']['super']['sub'].
type Ref struct {
	CF    string
	CFPos int
	Path  []Literal // key, then column or super column, then sub-column
}

// Statement is one parsed shell command.
type Statement interface{ stmt() }

// Help is `help [topic]`.
type Help struct{ Topic string }

// Quit is `quit` or `exit`.
type Quit struct{}

// Connect is `connect host:port` (or host/port, as cassandra-cli).
type Connect struct{ Addr string }

// Use is `use KS`.
type Use struct{ Keyspace string }

// DescribeKeyspace is `describe keyspace [KS]`; an empty name means the
// current keyspace.
type DescribeKeyspace struct{ Keyspace string }

// DescribeCF is `describe column family CF`.
type DescribeCF struct{ CF string }

// Describe is `describe NAME`: a column family of the current keyspace if
// there is one by that name, else a keyspace.
type Describe struct{ Name string }

// ShowKeyspaces is `show keyspaces`.
type ShowKeyspaces struct{}

// ShowColumnFamilies is `show column families` (of the current keyspace).
type ShowColumnFamilies struct{}

// ShowClusterName is `show cluster name`.
type ShowClusterName struct{}

// ShowAPIVersion is `show api version` (the Thrift API version).
type ShowAPIVersion struct{}

// List is `list CF [limit N] [columns N]`.
type List struct {
	CF      string
	Limit   int // rows; 0 means the default (100)
	Columns int // columns per row; 0 means the default (100)
}

// Get is `get CF['key'][...] [limit N]`.
type Get struct {
	Ref   Ref
	Limit int // columns; 0 means the default (100)
}

// Expr is one condition of `get CF where ...`.
type Expr struct {
	Column Literal
	Op     string // = > >= < <=
	Value  Literal
}

// GetWhere is `get CF where col = v [and col op v]... [limit N]`, a
// secondary-index query.
type GetWhere struct {
	CF    string
	Exprs []Expr
	Limit int // rows; 0 means the default (100)
}

// Set is `set CF['key']['col'] = value [with ttl = N]`.
type Set struct {
	Ref   Ref
	Value Literal
	TTL   int // seconds; 0 means none
}

// Del is `del CF['key']`, `del CF['key']['col']` or
// `del CF['key']['super']['sub']`.
type Del struct{ Ref Ref }

// Count is `count CF['key']` or `count CF['key']['super']`.
type Count struct{ Ref Ref }

// Incr is `incr CF['key']['col'] [by N]` and `decr ...` (By is negated for
// decr).
type Incr struct {
	Ref Ref
	By  int64
}

// Prop is one `name = value` of a `with ... and ...` clause.
type Prop struct {
	Name  string
	Value PropValue
	Pos   int
}

// PropValue is a property value: a scalar, a map {k: v, ...} or a list of
// maps [{...}, {...}].
type PropValue struct {
	Scalar *Literal
	Map    []KV
	List   [][]KV
	Pos    int
}

// KV is one entry of a property map.
type KV struct {
	Key   string
	Value Literal
}

// CreateKeyspace is `create keyspace KS [with props]`.
type CreateKeyspace struct {
	Name  string
	Props []Prop
}

// UpdateKeyspace is `update keyspace KS with props`: it changes only what
// the properties set.
type UpdateKeyspace struct {
	Name  string
	Props []Prop
}

// UpdateCF is `update column family CF with props`: it changes only what
// the properties set; column_metadata replaces the columns it names.
type UpdateCF struct {
	Name  string
	Props []Prop
}

// DropKeyspace is `drop keyspace KS`.
type DropKeyspace struct{ Name string }

// CreateCF is `create column family CF [with props]`.
type CreateCF struct {
	Name  string
	Props []Prop
}

// DropCF is `drop column family CF`.
type DropCF struct{ Name string }

// CreateIndex is `create index on CF(col) [ValidationClass]`.
type CreateIndex struct {
	CF        string
	Column    Literal
	Validator string // empty keeps the column's validator
}

// DropIndex is `drop index on CF(col)`.
type DropIndex struct {
	CF     string
	Column Literal
}

// Consistency is `consistencylevel as LEVEL`: the level of the shell's
// reads and writes from then on.
type Consistency struct {
	Level string // upper case, e.g. QUORUM
	Pos   int
}

// Assume is `assume CF keys|comparator|sub_comparator|validator as TYPE`:
// from then on the shell reads and shows that part of CF with TYPE
// instead of the schema's, as cassandra-cli does. The schema is unchanged.
type Assume struct {
	CF      string
	What    string // keys, comparator, sub_comparator or validator
	Type    string // a function name (utf8, long, ...) or a class name
	WhatPos int
	TypePos int
}

// Truncate is `truncate CF`.
type Truncate struct{ CF string }

func (Help) stmt()               {}
func (Quit) stmt()               {}
func (Connect) stmt()            {}
func (Use) stmt()                {}
func (DescribeKeyspace) stmt()   {}
func (DescribeCF) stmt()         {}
func (Describe) stmt()           {}
func (ShowKeyspaces) stmt()      {}
func (ShowColumnFamilies) stmt() {}
func (ShowClusterName) stmt()    {}
func (ShowAPIVersion) stmt()     {}
func (List) stmt()               {}
func (Get) stmt()                {}
func (GetWhere) stmt()           {}
func (Set) stmt()                {}
func (Del) stmt()                {}
func (Count) stmt()              {}
func (Incr) stmt()               {}
func (CreateKeyspace) stmt()     {}
func (DropKeyspace) stmt()       {}
func (CreateCF) stmt()           {}
func (DropCF) stmt()             {}
func (CreateIndex) stmt()        {}
func (DropIndex) stmt()          {}
func (Truncate) stmt()           {}
func (Consistency) stmt()        {}
func (UpdateKeyspace) stmt()     {}
func (UpdateCF) stmt()           {}
func (Assume) stmt()             {}
