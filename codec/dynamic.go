package codec

import (
	"bytes"
	"encoding/binary"
	"sort"
	"strings"
)

// DynamicAlias declares one alias of a DynamicCompositeType: a single
// character (33..127) standing for a type.
type DynamicAlias struct {
	Alias byte
	Type  Type
}

// DynamicComponent is one component of a DynamicCompositeType value: the
// value together with the type it is packed with, named either by an alias
// (written as the 2-byte header 0x80, alias) or by a type name (written as
// a 2-byte length and the name).
//
// To pack, set Alias, or Type, or Name (a class name Parse accepts). Unpack
// fills Alias (or 0), Name (the name as written, "" for aliases), Type and
// Value.
type DynamicComponent struct {
	Alias byte
	Name  string
	Type  Type
	Value any
}

// ByAlias is a component packed with the type of alias a.
func ByAlias(a byte, v any) DynamicComponent { return DynamicComponent{Alias: a, Value: v} }

// ByType is a component packed with t and written with t's short name
// (e.g. "LongType"), as pycassa writes it.
func ByType(t Type, v any) DynamicComponent { return DynamicComponent{Type: t, Value: v} }

// ByName is a component whose type is the class name name, written verbatim.
func ByName(name string, v any) DynamicComponent { return DynamicComponent{Name: name, Value: v} }

// DynamicCompositeType is DynamicCompositeType(a=>T, …): every component
// carries its own type, by alias or by name.
type DynamicCompositeType struct {
	aliases []DynamicAlias // in Cassandra's printing order
	byAlias map[byte]Type
	class   string
}

// DynamicComposite returns DynamicCompositeType with the given aliases. A
// later duplicate alias replaces an earlier one, as in Cassandra's map; a
// nil type is BytesType.
func DynamicComposite(aliases ...DynamicAlias) *DynamicCompositeType {
	d := &DynamicCompositeType{byAlias: make(map[byte]Type, len(aliases))}
	for _, a := range aliases {
		t := a.Type
		if t == nil {
			t = Bytes
		}
		if _, dup := d.byAlias[a.Alias]; !dup {
			d.aliases = append(d.aliases, DynamicAlias{a.Alias, t})
		} else {
			for i := range d.aliases {
				if d.aliases[i].Alias == a.Alias {
					d.aliases[i].Type = t
				}
			}
		}
		d.byAlias[a.Alias] = t
	}
	javaHashMapOrder(d.aliases)
	var sb strings.Builder
	sb.WriteString(marshalPkg + "DynamicCompositeType(")
	for i, a := range d.aliases {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte(a.Alias)
		sb.WriteString("=>")
		sb.WriteString(a.Type.Class())
	}
	sb.WriteByte(')')
	d.class = sb.String()
	return d
}

// javaHashMapOrder sorts aliases the way Cassandra prints them: it iterates
// a java.util.HashMap<Byte,…>, whose order is the bucket (byte value modulo
// the table size, 16 doubled while more than 3/4 full), then insertion.
func javaHashMapOrder(a []DynamicAlias) {
	size := 16
	for len(a) > size*3/4 {
		size *= 2
	}
	sort.SliceStable(a, func(i, j int) bool {
		return int(a[i].Alias)&(size-1) < int(a[j].Alias)&(size-1)
	})
}

// Aliases returns the declared aliases in Cassandra's printing order.
func (d *DynamicCompositeType) Aliases() []DynamicAlias {
	return append([]DynamicAlias(nil), d.aliases...)
}

// Class is "org.apache.cassandra.db.marshal.DynamicCompositeType(a=><class>,…)".
func (d *DynamicCompositeType) Class() string { return d.class }

// Pack packs a Tuple (or []any) of DynamicComponent values; a component may
// also be a pycassa-style pair Tuple{"l", 1} (a one-character string is an
// alias, a longer one a type name). Every end-of-component byte is 00.
func (d *DynamicCompositeType) Pack(v any) ([]byte, error) { return d.PackBound(v, NoBound) }

// PackBound packs a slice end; wrap a component in Inclusive or Exclusive
// as for CompositeType, with the same end-of-component table.
func (d *DynamicCompositeType) PackBound(v any, b Bound) ([]byte, error) {
	var items []any
	switch x := v.(type) {
	case Tuple:
		items = x
	case []any:
		items = x
	default:
		items = []any{v}
	}
	out := make([]byte, 0, 16*len(items))
	for i, item := range items {
		val, eoc, vb := componentBound(item, b, i == len(items)-1)
		dc, err := asDynamicComponent(val)
		if err != nil {
			return nil, packErr(d, v, componentErr(i, err))
		}
		t := dc.Type
		if dc.Alias != 0 {
			at, ok := d.byAlias[dc.Alias]
			if !ok {
				return nil, packErr(d, v, componentErr(i, reason(ErrUnsupported, "no alias %q", dc.Alias)))
			}
			if t == nil {
				t = at
			}
			out = append(out, 0x80, dc.Alias)
		} else {
			name := dc.Name
			if t == nil {
				if t, err = Parse(name); err != nil {
					return nil, packErr(d, v, componentErr(i, err))
				}
			} else if name == "" {
				name = compactName(t)
			}
			if len(name) > 0x7fff {
				return nil, packErr(d, v, componentErr(i, reason(ErrRange, "type name of %d bytes", len(name))))
			}
			out = binary.BigEndian.AppendUint16(out, uint16(len(name)))
			out = append(out, name...)
		}
		if out, err = appendComponent(out, i, t, dc.Value, vb, eoc); err != nil {
			return nil, packErr(d, v, err)
		}
	}
	return out, nil
}

func asDynamicComponent(v any) (DynamicComponent, error) {
	switch x := v.(type) {
	case DynamicComponent:
		if x.Alias == 0 && x.Type == nil && x.Name == "" {
			return x, reason(ErrUnsupported, "a dynamic component needs an alias, a type or a type name")
		}
		return x, nil
	case *DynamicComponent:
		if x != nil {
			return asDynamicComponent(*x)
		}
	case Tuple:
		return pairComponent([]any(x))
	case []any:
		return pairComponent(x)
	}
	return DynamicComponent{}, reason(ErrUnsupported, "a dynamic composite component must be a DynamicComponent, not %T", v)
}

// pairComponent reads pycassa's (alias_or_type, value) pair.
func pairComponent(p []any) (DynamicComponent, error) {
	if len(p) == 2 {
		switch k := p[0].(type) {
		case string:
			if len(k) == 1 {
				return DynamicComponent{Alias: k[0], Value: p[1]}, nil
			}
			if k != "" {
				return DynamicComponent{Name: k, Value: p[1]}, nil
			}
		case Type:
			return DynamicComponent{Type: k, Value: p[1]}, nil
		}
	}
	return DynamicComponent{}, reason(ErrUnsupported, "a dynamic composite pair is (alias or type name, value)")
}

// readDynamicHeader reads the alias or type-name header. t is nil when the
// alias is undeclared or the name does not parse.
func (d *DynamicCompositeType) readHeader(b []byte) (alias byte, name string, t Type, rest []byte, ok bool) {
	if len(b) < 2 {
		return 0, "", nil, nil, false
	}
	h := binary.BigEndian.Uint16(b)
	b = b[2:]
	if h&0x8000 != 0 {
		alias = byte(h)
		return alias, "", d.byAlias[alias], b, true
	}
	n := int(h)
	if len(b) < n {
		return 0, "", nil, nil, false
	}
	name = string(b[:n])
	t, err := Parse(name)
	if err != nil {
		t = nil
	}
	return 0, name, t, b[n:], true
}

// Unpack gives a Tuple of DynamicComponent.
func (d *DynamicCompositeType) Unpack(b []byte) (any, error) {
	out := Tuple{}
	rest := b
	for i := 0; len(rest) > 0; i++ {
		alias, name, t, r, ok := d.readHeader(rest)
		if !ok {
			return nil, unpackErr(d, b, reason(ErrMalformed, "component %d: truncated header", i))
		}
		if t == nil {
			return nil, unpackErr(d, b, reason(ErrMalformed, "component %d: unknown comparator", i))
		}
		val, _, r2, ok := readComponent(r)
		if !ok {
			return nil, unpackErr(d, b, reason(ErrMalformed, "component %d is truncated", i))
		}
		x, err := t.Unpack(val)
		if err != nil {
			return nil, unpackErr(d, b, componentErr(i, err))
		}
		out = append(out, DynamicComponent{Alias: alias, Name: name, Type: t, Value: x})
		rest = r2
	}
	return out, nil
}

// Compare is DynamicCompositeType's order: components of different types
// order by the type's simple class name, then its full class name; same
// types compare their values; then end-of-component bytes (signed), then
// the shorter name first. Undeclared aliases and unparsable names compare
// as BytesType instead of failing as in Cassandra.
func (d *DynamicCompositeType) Compare(a, b []byte) int {
	if len(a) == 0 || len(b) == 0 {
		return len(a) - len(b)
	}
	ra, rb := a, b
	for len(ra) > 0 && len(rb) > 0 {
		_, _, ta, ha, oka := d.readHeader(ra)
		_, _, tb, hb, okb := d.readHeader(rb)
		if !oka || !okb {
			return bytes.Compare(ra, rb)
		}
		if ta == nil {
			ta = Bytes
		}
		if tb == nil {
			tb = Bytes
		}
		if ca, cb := ta.Class(), tb.Class(); ca != cb {
			fa, fb := baseClass(ca), baseClass(cb)
			if r := strings.Compare(simpleClass(fa), simpleClass(fb)); r != 0 {
				return r
			}
			if r := strings.Compare(fa, fb); r != 0 {
				return r
			}
			// Same Java class with other parameters: Cassandra uses the
			// first one's comparator for both values.
		}
		va, ea, na, oka := readComponent(ha)
		vb, eb, nb, okb := readComponent(hb)
		if !oka || !okb {
			return bytes.Compare(ha, hb)
		}
		if r := ta.Compare(va, vb); r != 0 {
			return r
		}
		if ea != eb {
			return int(int8(ea)) - int(int8(eb))
		}
		ra, rb = na, nb
	}
	return len(ra) - len(rb)
}

// baseClass drops the parameters: "x.ReversedType(x.LongType)" is "x.ReversedType".
func baseClass(c string) string {
	if i := strings.IndexByte(c, '('); i >= 0 {
		return c[:i]
	}
	return c
}

// simpleClass is Java's Class.getSimpleName for a base class name.
func simpleClass(c string) string {
	if i := strings.LastIndexByte(c, '.'); i >= 0 {
		return c[i+1:]
	}
	return c
}

// Validate is DynamicCompositeType's validation with Cassandra's messages.
func (d *DynamicCompositeType) Validate(b []byte) error {
	rest := b
	for i := 0; len(rest) > 0; i++ {
		if len(rest) < 2 {
			return invalid(d, "Not enough bytes to header of the comparator part of component %d", i)
		}
		h := binary.BigEndian.Uint16(rest)
		if h&0x8000 == 0 && len(rest)-2 < int(h) {
			return invalid(d, "Not enough bytes to read comparator name of component %d", i)
		}
		_, _, t, r, _ := d.readHeader(rest)
		if t == nil {
			return invalid(d, "Cannot find comparator for component %d", i)
		}
		rest = r
		if err := validateComponent(d, t, i, &rest); err != nil {
			return err
		}
	}
	return nil
}
