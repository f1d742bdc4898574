package cqltype

import (
	"fmt"
	"strings"

	"github.com/cassa-go/cassa/codec"
)

// Type is a parsed CQL type: a native type, a collection, a tuple, a
// user-defined type, a vector or a custom class. Its String is the type
// as Cassandra 3.11's system_schema prints it (AbstractType.asCQL3Type),
// so that a type from a schema file and one read from the live schema
// compare as text.
type Type struct {
	// Kind is a native type's name ("int", "text"; varchar is "text"), or
	// "list", "set", "map", "tuple", "vector", "udt" or "custom".
	Kind string
	// Name is a user type's name (as stored: case kept) or a custom
	// type's class.
	Name string
	// Params are a collection's, tuple's or vector's element types.
	Params []*Type
	// Size is a vector's dimension.
	Size string
	// Frozen: the value is one cell. Tuples and the components of tuples
	// are always frozen; vectors are frozen but printed without it.
	Frozen bool
}

// SyntaxError is text that is not a CQL type, or a type that breaks a
// nesting rule.
type SyntaxError struct {
	Type string // the text parsed
	Msg  string
}

// Error gives the reason and the text.
func (e *SyntaxError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%s: %s", e.Msg, e.Type)
}

// nativeNames are CQL's native type names, varchar being text.
var nativeNames = map[string]string{
	"ascii": "ascii", "bigint": "bigint", "blob": "blob", "boolean": "boolean", "counter": "counter",
	"date": "date", "decimal": "decimal", "double": "double", "duration": "duration", "float": "float",
	"inet": "inet", "int": "int", "smallint": "smallint", "text": "text", "time": "time",
	"timestamp": "timestamp", "timeuuid": "timeuuid", "tinyint": "tinyint", "uuid": "uuid",
	"varchar": "text", "varint": "varint",
}

// Parse reads a CQL type as CREATE TABLE takes it: keywords in any case,
// unquoted identifiers folded to lower case, quoted ones kept, tuples
// frozen. It checks the nesting rules of Cassandra 3.11 (CQL3Type.Raw):
// collections and user types inside collections must be frozen, and
// counters stand alone. Errors are *SyntaxError.
func Parse(s string) (*Type, error) {
	return parse(s, false)
}

// ParseStored reads a CQL type as system_schema.columns and the drivers'
// metadata report it ("frozen<map<text, frozen<list<int>>>>"): the same
// syntax as Parse, without checking again the nesting rules Cassandra
// enforced when the type was declared, and with "empty" a native type
// (CQL3Type.Native.EMPTY, which no CREATE statement can name). Errors are
// *SyntaxError.
func ParseStored(s string) (*Type, error) {
	return parse(s, true)
}

func parse(s string, stored bool) (*Type, error) {
	p := &parser{src: s, stored: stored}
	t, err := p.parse()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.src) {
		return nil, p.fail("unexpected %q after the type", p.src[p.i:])
	}
	t.normalize()
	if !stored {
		if err := t.check(true); err != nil {
			return nil, &SyntaxError{Type: s, Msg: err.Error()}
		}
	}
	return t, nil
}

type parser struct {
	src    string
	i      int
	stored bool
}

func (p *parser) fail(format string, args ...any) error {
	return &SyntaxError{Type: p.src, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) space() {
	for p.i < len(p.src) && strings.IndexByte(" \t\r\n", p.src[p.i]) >= 0 {
		p.i++
	}
}

func (p *parser) peek(c byte) bool {
	p.space()
	return p.i < len(p.src) && p.src[p.i] == c
}

func (p *parser) expect(c byte) error {
	if !p.peek(c) {
		return p.fail("expected %q at offset %d", c, p.i)
	}
	p.i++
	return nil
}

// word reads an identifier: bare (folded to lower case; quoted reports
// false) or double-quoted ("" is a quote).
func (p *parser) word() (w string, quoted bool, err error) {
	p.space()
	if p.i >= len(p.src) {
		return "", false, p.fail("missing type")
	}
	if p.src[p.i] == '"' {
		var b strings.Builder
		for j := p.i + 1; j < len(p.src); j++ {
			if p.src[j] != '"' {
				b.WriteByte(p.src[j])
				continue
			}
			if j+1 < len(p.src) && p.src[j+1] == '"' {
				b.WriteByte('"')
				j++
				continue
			}
			p.i = j + 1
			if b.Len() == 0 {
				return "", false, p.fail("empty quoted name")
			}
			return b.String(), true, nil
		}
		return "", false, p.fail("unterminated quoted name")
	}
	j := p.i
	for j < len(p.src) {
		c := p.src[j]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			j++
			continue
		}
		break
	}
	if j == p.i {
		return "", false, p.fail("unexpected %q at offset %d", p.src[p.i], p.i)
	}
	w = strings.ToLower(p.src[p.i:j])
	p.i = j
	return w, false, nil
}

func (p *parser) parse() (*Type, error) {
	p.space()
	if p.i < len(p.src) && p.src[p.i] == '\'' {
		end := strings.IndexByte(p.src[p.i+1:], '\'')
		if end < 0 {
			return nil, p.fail("unterminated custom type")
		}
		class := p.src[p.i+1 : p.i+1+end]
		p.i += end + 2
		return &Type{Kind: "custom", Name: class}, nil
	}
	w, quoted, err := p.word()
	if err != nil {
		return nil, err
	}
	if quoted {
		return &Type{Kind: "udt", Name: w}, nil
	}
	if n, ok := nativeNames[w]; ok {
		return &Type{Kind: n}, nil
	}
	switch w {
	case "empty":
		if p.stored {
			return &Type{Kind: w}, nil
		}
	case "frozen":
		if err := p.expect('<'); err != nil {
			return nil, err
		}
		inner, err := p.parse()
		if err != nil {
			return nil, err
		}
		if err := p.expect('>'); err != nil {
			return nil, err
		}
		switch inner.Kind {
		case "list", "set", "map", "tuple", "udt":
			inner.Frozen = true
			return inner, nil
		}
		return nil, p.fail("frozen<> is only allowed on collections, tuples, and user-defined types (got %s)", inner)
	case "list", "set", "map", "tuple", "vector":
		return p.params(w)
	}
	return &Type{Kind: "udt", Name: w}, nil
}

// params reads the parameters of a collection, tuple or vector, after its
// keyword.
func (p *parser) params(kind string) (*Type, error) {
	if err := p.expect('<'); err != nil {
		return nil, err
	}
	t := &Type{Kind: kind}
	for {
		if kind == "vector" && len(t.Params) == 1 {
			p.space()
			j := p.i
			for j < len(p.src) && p.src[j] >= '0' && p.src[j] <= '9' {
				j++
			}
			if j == p.i {
				return nil, p.fail("vector needs a dimension")
			}
			t.Size, p.i = p.src[p.i:j], j
		} else {
			param, err := p.parse()
			if err != nil {
				return nil, err
			}
			t.Params = append(t.Params, param)
		}
		if p.peek(',') {
			p.i++
			continue
		}
		break
	}
	if err := p.expect('>'); err != nil {
		return nil, err
	}
	want := map[string]int{"list": 1, "set": 1, "map": 2, "vector": 1}[kind]
	if kind == "vector" && t.Size == "" || want > 0 && len(t.Params) != want {
		return nil, p.fail("wrong number of type parameters for %s", kind)
	}
	if kind == "tuple" || kind == "vector" {
		t.Frozen = true // tuples are always frozen; vectors are single-cell
	}
	return t, nil
}

// normalize freezes the components of tuples and vectors, as Cassandra
// stores them.
func (t *Type) normalize() {
	for _, p := range t.Params {
		if t.Kind == "tuple" || t.Kind == "vector" {
			p.freeze()
		}
		p.normalize()
	}
}

// check applies Cassandra's nesting rules; top says t is a column's own
// type rather than a component of another.
func (t *Type) check(top bool) error {
	switch t.Kind {
	case "counter":
		if !top {
			return fmt.Errorf("counters are not allowed inside collections, tuples or user types")
		}
	case "list", "set", "map":
		for _, p := range t.Params {
			if p.MultiCell() {
				if p.Kind == "udt" {
					return fmt.Errorf("non-frozen UDTs are not allowed inside collections")
				}
				return fmt.Errorf("non-frozen collections are not allowed inside collections")
			}
		}
	}
	for _, p := range t.Params {
		if err := p.check(false); err != nil {
			return err
		}
	}
	return nil
}

// freeze makes t and everything inside it frozen, as a tuple's components
// are.
func (t *Type) freeze() {
	if t.IsCollection() || t.Kind == "udt" || t.Kind == "tuple" {
		t.Frozen = true
	}
	for _, p := range t.Params {
		p.freeze()
	}
}

// IsCollection reports whether t is a list, a set or a map. A nil t is
// not.
func (t *Type) IsCollection() bool {
	return t != nil && (t.Kind == "list" || t.Kind == "set" || t.Kind == "map")
}

// IsUDT reports whether t is a user-defined type. A nil t is not.
func (t *Type) IsUDT() bool {
	return t != nil && t.Kind == "udt"
}

// MultiCell reports whether values of t are stored as several cells: a
// non-frozen collection or user type. A nil t is not.
func (t *Type) MultiCell() bool {
	return (t.IsCollection() || t.IsUDT()) && !t.Frozen
}

// String prints the type as system_schema does; a nil t is "".
func (t *Type) String() string {
	if t == nil {
		return ""
	}
	var b strings.Builder
	t.write(&b)
	return b.String()
}

func (t *Type) write(b *strings.Builder) {
	switch t.Kind {
	case "custom":
		b.WriteString("'" + t.Name + "'")
		return
	case "udt":
		if t.Frozen {
			b.WriteString("frozen<" + codec.MaybeQuote(t.Name) + ">")
		} else {
			b.WriteString(codec.MaybeQuote(t.Name))
		}
		return
	case "list", "set", "map", "tuple", "vector":
	default:
		b.WriteString(t.Kind)
		return
	}
	frozen := t.Frozen && t.Kind != "vector"
	if frozen {
		b.WriteString("frozen<")
	}
	b.WriteString(t.Kind + "<")
	for i, p := range t.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		p.write(b)
	}
	if t.Kind == "vector" {
		b.WriteString(", " + t.Size)
	}
	b.WriteString(">")
	if frozen {
		b.WriteString(">")
	}
}

// UserTypes appends the names of the user types t uses, inner ones first.
func (t *Type) UserTypes(out []string) []string {
	if t == nil {
		return out
	}
	for _, p := range t.Params {
		out = p.UserTypes(out)
	}
	if t.Kind == "udt" {
		out = append(out, t.Name)
	}
	return out
}

// RefersTo reports whether t uses the user type name.
func (t *Type) RefersTo(name string) bool {
	for _, n := range t.UserTypes(nil) {
		if n == name {
			return true
		}
	}
	return false
}

// Canon is a type's text as system_schema prints it; text that Parse
// refuses is returned as it is, so that comparisons still work on it.
func Canon(s string) string {
	t, err := Parse(s)
	if err != nil {
		return s
	}
	return t.String()
}
