package migrate

import (
	"fmt"
	"strings"

	"github.com/cassa-go/cassa/codec"
)

// cqlType is a parsed CQL type: a native type, a collection, a tuple, a
// user-defined type, a vector or a custom class. Its String is the type as
// Cassandra 3.11's system_schema prints it (AbstractType.asCQL3Type), so
// that a type from a schema file and one read from the live schema compare
// as text.
type cqlType struct {
	// kind is a native name ("int", "text"), "list", "set", "map",
	// "tuple", "vector", "udt" or "custom".
	kind string
	// name is a user type's name (as stored: case kept) or a custom
	// type's class.
	name   string
	params []*cqlType
	// size is a vector's dimension.
	size   string
	frozen bool
}

// cqlNativeNames are CQL's native type names, varchar being text.
var cqlNativeNames = map[string]string{
	"ascii": "ascii", "bigint": "bigint", "blob": "blob", "boolean": "boolean", "counter": "counter",
	"date": "date", "decimal": "decimal", "double": "double", "duration": "duration", "float": "float",
	"inet": "inet", "int": "int", "smallint": "smallint", "text": "text", "time": "time",
	"timestamp": "timestamp", "timeuuid": "timeuuid", "tinyint": "tinyint", "uuid": "uuid",
	"varchar": "text", "varint": "varint",
}

// parseCQLType reads a CQL type as CREATE TABLE takes it: keywords in any
// case, unquoted identifiers folded to lower case, quoted ones kept,
// tuples frozen. It checks the nesting rules of Cassandra 3.11
// (CQL3Type.Raw): collections and user types inside collections must be
// frozen, and counters stand alone.
func parseCQLType(s string) (*cqlType, error) {
	p := &typeParser{src: s}
	t, err := p.parse()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.src) {
		return nil, fmt.Errorf("unexpected %q after the type in %q", p.src[p.i:], s)
	}
	if err := t.check(true); err != nil {
		return nil, fmt.Errorf("%w: %s", err, s)
	}
	return t, nil
}

type typeParser struct {
	src string
	i   int
}

func (p *typeParser) space() {
	for p.i < len(p.src) && strings.IndexByte(" \t\r\n", p.src[p.i]) >= 0 {
		p.i++
	}
}

func (p *typeParser) peek(c byte) bool {
	p.space()
	return p.i < len(p.src) && p.src[p.i] == c
}

func (p *typeParser) expect(c byte) error {
	if !p.peek(c) {
		return fmt.Errorf("expected %q at offset %d of %q", c, p.i, p.src)
	}
	p.i++
	return nil
}

// word reads an identifier: bare (folded to lower case; quoted reports
// false) or double-quoted ("" is a quote).
func (p *typeParser) word() (w string, quoted bool, err error) {
	p.space()
	if p.i >= len(p.src) {
		return "", false, fmt.Errorf("missing type in %q", p.src)
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
				return "", false, fmt.Errorf("empty quoted name in %q", p.src)
			}
			return b.String(), true, nil
		}
		return "", false, fmt.Errorf("unterminated quoted name in %q", p.src)
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
		return "", false, fmt.Errorf("unexpected %q at offset %d of %q", p.src[p.i], p.i, p.src)
	}
	w = strings.ToLower(p.src[p.i:j])
	p.i = j
	return w, false, nil
}

func (p *typeParser) parse() (*cqlType, error) {
	p.space()
	if p.i < len(p.src) && p.src[p.i] == '\'' {
		end := strings.IndexByte(p.src[p.i+1:], '\'')
		if end < 0 {
			return nil, fmt.Errorf("unterminated custom type in %q", p.src)
		}
		class := p.src[p.i+1 : p.i+1+end]
		p.i += end + 2
		return &cqlType{kind: "custom", name: class}, nil
	}
	w, quoted, err := p.word()
	if err != nil {
		return nil, err
	}
	if quoted {
		return &cqlType{kind: "udt", name: w}, nil
	}
	if n, ok := cqlNativeNames[w]; ok {
		return &cqlType{kind: n}, nil
	}
	switch w {
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
		switch inner.kind {
		case "list", "set", "map", "tuple", "udt":
			inner.frozen = true
			return inner, nil
		}
		return nil, fmt.Errorf("frozen<> is only allowed on collections, tuples, and user-defined types (got %s) in %q", inner, p.src)
	case "list", "set", "map", "tuple", "vector":
		if err := p.expect('<'); err != nil {
			return nil, err
		}
		t := &cqlType{kind: w}
		for {
			if w == "vector" && len(t.params) == 1 {
				p.space()
				j := p.i
				for j < len(p.src) && p.src[j] >= '0' && p.src[j] <= '9' {
					j++
				}
				if j == p.i {
					return nil, fmt.Errorf("vector needs a dimension in %q", p.src)
				}
				t.size, p.i = p.src[p.i:j], j
			} else {
				param, err := p.parse()
				if err != nil {
					return nil, err
				}
				t.params = append(t.params, param)
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
		want := map[string]int{"list": 1, "set": 1, "map": 2, "vector": 1}[w]
		if w == "vector" && t.size == "" || want > 0 && len(t.params) != want {
			return nil, fmt.Errorf("wrong number of type parameters for %s in %q", w, p.src)
		}
		if w == "tuple" || w == "vector" {
			t.frozen = true // tuples are always frozen; vectors are single-cell
		}
		return t, nil
	}
	return &cqlType{kind: "udt", name: w}, nil
}

// check applies Cassandra's nesting rules; top says t is a column's own
// type rather than a component of another.
func (t *cqlType) check(top bool) error {
	switch t.kind {
	case "counter":
		if !top {
			return fmt.Errorf("counters are not allowed inside collections, tuples or user types")
		}
	case "list", "set", "map":
		for _, p := range t.params {
			if (p.isCollection() || p.kind == "udt") && !p.frozen {
				if p.kind == "udt" {
					return fmt.Errorf("non-frozen UDTs are not allowed inside collections")
				}
				return fmt.Errorf("non-frozen collections are not allowed inside collections")
			}
			if err := p.check(false); err != nil {
				return err
			}
		}
	case "tuple", "vector":
		for _, p := range t.params {
			p.freeze()
			if err := p.check(false); err != nil {
				return err
			}
		}
	}
	return nil
}

// freeze makes t and everything inside it frozen, as a tuple's components
// are.
func (t *cqlType) freeze() {
	if t.isCollection() || t.kind == "udt" || t.kind == "tuple" {
		t.frozen = true
	}
	for _, p := range t.params {
		p.freeze()
	}
}

func (t *cqlType) isCollection() bool {
	return t.kind == "list" || t.kind == "set" || t.kind == "map"
}

// multiCell reports whether values of t are stored as several cells: a
// non-frozen collection or user type.
func (t *cqlType) multiCell() bool {
	return (t.isCollection() || t.kind == "udt") && !t.frozen
}

// String prints the type as system_schema does.
func (t *cqlType) String() string {
	var b strings.Builder
	t.write(&b)
	return b.String()
}

func (t *cqlType) write(b *strings.Builder) {
	switch t.kind {
	case "custom":
		b.WriteString("'" + t.name + "'")
		return
	case "udt":
		if t.frozen {
			b.WriteString("frozen<" + codec.MaybeQuote(t.name) + ">")
		} else {
			b.WriteString(codec.MaybeQuote(t.name))
		}
		return
	case "list", "set", "map", "tuple", "vector":
	default:
		b.WriteString(t.kind)
		return
	}
	frozen := t.frozen && t.kind != "vector"
	if frozen {
		b.WriteString("frozen<")
	}
	b.WriteString(t.kind + "<")
	for i, p := range t.params {
		if i > 0 {
			b.WriteString(", ")
		}
		p.write(b)
	}
	if t.kind == "vector" {
		b.WriteString(", " + t.size)
	}
	b.WriteString(">")
	if frozen {
		b.WriteString(">")
	}
}

// userTypes lists the user types t names, inner ones first.
func (t *cqlType) userTypes(out []string) []string {
	for _, p := range t.params {
		out = p.userTypes(out)
	}
	if t.kind == "udt" {
		out = append(out, t.name)
	}
	return out
}

// refersTo reports whether t uses the user type name.
func (t *cqlType) refersTo(name string) bool {
	for _, n := range t.userTypes(nil) {
		if n == name {
			return true
		}
	}
	return false
}

// canonCQLType is a type's text as system_schema prints it; text that does
// not parse is returned as it is, so that comparisons still work on it.
func canonCQLType(s string) string {
	t, err := parseCQLType(s)
	if err != nil {
		return s
	}
	return t.String()
}

// cqlValueCompatible approximates AbstractType.isValueCompatibleWith for
// CQL types: whether values written as prev read correctly as next, the
// rule Cassandra applies when a dropped column is added again
// (AlterTableStatement). udts resolves user types to their field types,
// since system_schema.dropped_columns records a user type as the tuple of
// its fields.
func cqlValueCompatible(next, prev *cqlType, udts func(string) []*cqlType) bool {
	if next.String() == prev.String() {
		return true
	}
	if next.kind == "blob" && !prev.multiCell() {
		return true
	}
	if next.multiCell() || prev.multiCell() {
		return false
	}
	expand := func(t *cqlType) (*cqlType, bool) {
		if t.kind != "udt" || udts == nil {
			return t, true
		}
		fields := udts(t.name)
		if fields == nil {
			return nil, false
		}
		return &cqlType{kind: "tuple", params: fields, frozen: true}, true
	}
	n, ok1 := expand(next)
	p, ok2 := expand(prev)
	if !ok1 || !ok2 {
		return false
	}
	switch {
	case n.kind == "tuple" && p.kind == "tuple":
		if len(n.params) < len(p.params) {
			return false
		}
		for i := range p.params {
			if !cqlValueCompatible(n.params[i], p.params[i], udts) {
				return false
			}
		}
		return true
	case n.isCollection() && n.kind == p.kind:
		for i := range p.params {
			if !cqlValueCompatible(n.params[i], p.params[i], udts) {
				return false
			}
		}
		return true
	}
	nc, ok1 := codec.NativeCQLType(n.kind)
	pc, ok2 := codec.NativeCQLType(p.kind)
	if !ok1 || !ok2 {
		return n.String() == p.String()
	}
	return valueCompatible(nc, pc)
}
