package schema

import (
	"errors"
	"strings"

	"github.com/cassa-go/cassa/codec"
)

const marshalPkg = "org.apache.cassandra.db.marshal."

// parseType parses a CfDef type string with codec.Parse, turning a parse
// failure into the IRE Cassandra gives (its TypeParser message verbatim).
func parseType(class string) (codec.Type, error) {
	t, err := codec.Parse(class)
	if err != nil {
		var pe *codec.ParseError
		if errors.As(err, &pe) {
			return nil, ire(pe.Msg)
		}
		return nil, ire(err.Error())
	}
	return t, nil
}

// parseOptType parses an optional type string; nil means BytesType, as
// TypeParser.parse(null) does.
func parseOptType(class *string) (codec.Type, error) {
	if class == nil {
		return parseType("BytesType")
	}
	return parseType(*class)
}

// typeNode is a canonical class name taken apart: the fully qualified class
// and its parameters. DynamicCompositeType parameters keep their alias.
type typeNode struct {
	class  string
	alias  string // "a" of "a=>LongType" inside DynamicCompositeType
	params []*typeNode
}

// shortName is the class without its package.
func (n *typeNode) shortName() string {
	if i := strings.LastIndexByte(n.class, '.'); i >= 0 {
		return n.class[i+1:]
	}
	return n.class
}

// String renders the node back to its canonical class string.
func (n *typeNode) String() string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

func (n *typeNode) write(b *strings.Builder) {
	if n.alias != "" {
		b.WriteString(n.alias)
		b.WriteString("=>")
	}
	b.WriteString(n.class)
	if n.params == nil {
		return
	}
	b.WriteByte('(')
	for i, p := range n.params {
		if i > 0 {
			b.WriteByte(',')
		}
		p.write(b)
	}
	b.WriteByte(')')
}

// nodeOf takes apart t.Class(). Class strings come from codec and are well
// formed; anything unexpected yields a parameterless node of the whole string.
func nodeOf(t codec.Type) *typeNode {
	s := t.Class()
	n, rest := parseNode(s)
	if rest != "" || n == nil {
		return &typeNode{class: s}
	}
	return n
}

func parseNode(s string) (*typeNode, string) {
	n := &typeNode{}
	s = strings.TrimLeft(s, " ")
	end := strings.IndexAny(s, "(),")
	name := s
	if end >= 0 {
		name = s[:end]
	}
	if i := strings.Index(name, "=>"); i >= 0 {
		n.alias, name = strings.TrimSpace(name[:i]), name[i+2:]
	}
	n.class = strings.TrimSpace(name)
	if end < 0 {
		return n, ""
	}
	s = s[end:]
	if s[0] != '(' {
		return n, s
	}
	s = s[1:]
	n.params = []*typeNode{}
	for {
		if strings.HasPrefix(s, ")") {
			return n, s[1:]
		}
		var p *typeNode
		p, s = parseNode(s)
		n.params = append(n.params, p)
		switch {
		case strings.HasPrefix(s, ","):
			s = s[1:]
		case strings.HasPrefix(s, ")"):
			return n, s[1:]
		default:
			return nil, s
		}
	}
}

func isShort(t codec.Type, short string) bool {
	return t != nil && t.Class() == marshalPkg+short
}

func isCounter(t codec.Type) bool { return isShort(t, "CounterColumnType") }

// compatible is AbstractType.isCompatibleWith: may data written under old
// be read under next? A type is compatible with itself; BytesType accepts
// AsciiType and UTF8Type, UTF8Type accepts AsciiType, DateType and
// TimestampType accept each other; CompositeType may grow components that
// are each compatible; ReversedType needs a compatible base; and
// DynamicCompositeType may add aliases but not change them.
func compatible(next, old *typeNode) bool {
	if next.String() == old.String() {
		return true
	}
	ns, os := next.shortName(), old.shortName()
	if !strings.HasPrefix(next.class, marshalPkg) || !strings.HasPrefix(old.class, marshalPkg) {
		return false
	}
	switch ns {
	case "BytesType":
		return os == "AsciiType" || os == "UTF8Type"
	case "UTF8Type":
		return os == "AsciiType"
	case "DateType":
		return os == "TimestampType"
	case "TimestampType":
		return os == "DateType"
	case "CompositeType":
		if os != "CompositeType" || len(next.params) < len(old.params) {
			return false
		}
		for i, p := range old.params {
			if !compatible(next.params[i], p) {
				return false
			}
		}
		return true
	case "ReversedType":
		return os == "ReversedType" && len(next.params) == 1 && len(old.params) == 1 &&
			compatible(next.params[0], old.params[0])
	case "DynamicCompositeType":
		if os != "DynamicCompositeType" || len(next.params) < len(old.params) {
			return false
		}
		aliases := make(map[string]string, len(next.params))
		for _, p := range next.params {
			aliases[p.alias] = (&typeNode{class: p.class, params: p.params}).String()
		}
		for _, p := range old.params {
			if aliases[p.alias] != (&typeNode{class: p.class, params: p.params}).String() {
				return false
			}
		}
		return true
	}
	return false
}

// renderName renders a column name the way the comparator's getString
// does (codec.Format); Cassandra uses it in default index names and in the
// counter messages.
func renderName(t codec.Type, b []byte) string {
	return codec.Format(t, b)
}

// javaDouble formats f as Java's Double.toString, e.g. for
// speculative_retry's "99.0PERCENTILE".
func javaDouble(f float64) string {
	return codec.Format(codec.Double, codec.AppendDouble(nil, f))
}
