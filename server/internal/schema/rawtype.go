package schema

import (
	"strings"

	"github.com/cassa-go/cassa/codec"
)

// RawType is a CQL type as written in a statement, before it is resolved
// against a keyspace (CQL3Type.Raw). Name is a native type name ("int",
// "varchar"), "list", "set", "map", "tuple" or "frozen" (with Args), or a
// user type name (Keyspace set when qualified). Custom is the class of a
// quoted custom type ('org.apache...') and leaves Name empty.
type RawType struct {
	Name     string
	Keyspace string
	Args     []RawType
	Custom   string
}

// Raw helpers for callers that build types in Go.

// Native is a native or user type by name.
func Native(name string) RawType { return RawType{Name: name} }

// ListOf is list<elem>.
func ListOf(elem RawType) RawType { return RawType{Name: "list", Args: []RawType{elem}} }

// SetOf is set<elem>.
func SetOf(elem RawType) RawType { return RawType{Name: "set", Args: []RawType{elem}} }

// MapOf is map<k, v>.
func MapOf(k, v RawType) RawType { return RawType{Name: "map", Args: []RawType{k, v}} }

// TupleOf is tuple<...>.
func TupleOf(ts ...RawType) RawType { return RawType{Name: "tuple", Args: ts} }

// Frozen is frozen<t>.
func Frozen(t RawType) RawType { return RawType{Name: "frozen", Args: []RawType{t}} }

// String renders the type as CQL3Type.Raw.toString does (used in messages):
// "list<int>", "frozen<map<text, int>>", "ks.address".
func (r RawType) String() string {
	switch {
	case r.Custom != "":
		return "'" + r.Custom + "'"
	case r.Name == "frozen" && len(r.Args) == 1:
		return "frozen<" + r.Args[0].String() + ">"
	case r.isCollection() || r.Name == "tuple":
		parts := make([]string, len(r.Args))
		for i, a := range r.Args {
			parts[i] = a.String()
		}
		return r.Name + "<" + strings.Join(parts, ", ") + ">"
	case r.Keyspace != "":
		return r.Keyspace + "." + r.Name
	}
	return r.Name
}

func (r RawType) isCollection() bool {
	return r.Custom == "" && (r.Name == "list" || r.Name == "set" || r.Name == "map") && len(r.Args) > 0
}

func (r RawType) isNative() bool {
	_, ok := codec.NativeCQLType(r.Name)
	return ok && r.Custom == "" && len(r.Args) == 0 && r.Keyspace == ""
}

// isUDT reports a user type name (not frozen).
func (r RawType) isUDT() bool {
	return r.Custom == "" && len(r.Args) == 0 && !r.isNative()
}

func (r RawType) isFrozen() bool { return r.Name == "frozen" && len(r.Args) == 1 }

// inner strips frozen<>.
func (r RawType) inner() RawType {
	for r.isFrozen() {
		r = r.Args[0]
	}
	return r
}

func (r RawType) isCounter() bool { return r.inner().Name == "counter" && r.inner().isNative() }

func (r RawType) isDuration() bool { return r.inner().Name == "duration" && r.inner().isNative() }

// supportsFreezing: collections, tuples and user types.
func (r RawType) supportsFreezing() bool {
	in := r.inner()
	return in.isCollection() || in.Name == "tuple" || in.isUDT()
}

// ParseRawType parses CQL type text: "int", "frozen<map<text, list<int>>>",
// "tuple<int, text>", "ks.address", "'org.apache.cassandra.db.marshal.LexicalUUIDType'".
// Names are folded to lower case unless double-quoted.
func ParseRawType(s string) (RawType, error) {
	p := &typeParser{s: s}
	r, err := p.parse(0)
	if err != nil {
		return RawType{}, err
	}
	p.blank()
	if p.i != len(p.s) {
		return RawType{}, syntaxf("unexpected %q after type %s", p.s[p.i:], r)
	}
	return r, nil
}

type typeParser struct {
	s string
	i int
}

func (p *typeParser) blank() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n') {
		p.i++
	}
}

func (p *typeParser) ident() (string, error) {
	p.blank()
	if p.i < len(p.s) && p.s[p.i] == '"' {
		var sb strings.Builder
		for j := p.i + 1; j < len(p.s); j++ {
			if p.s[j] == '"' {
				if j+1 < len(p.s) && p.s[j+1] == '"' {
					sb.WriteByte('"')
					j++
					continue
				}
				p.i = j + 1
				return sb.String(), nil
			}
			sb.WriteByte(p.s[j])
		}
		return "", syntaxf("unterminated quoted name in %q", p.s)
	}
	j := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			p.i++
			continue
		}
		break
	}
	if j == p.i {
		return "", syntaxf("expecting a type name in %q", p.s)
	}
	return strings.ToLower(p.s[j:p.i]), nil
}

func (p *typeParser) parse(depth int) (RawType, error) {
	if depth > 32 {
		return RawType{}, syntaxf("type nested too deep: %q", p.s)
	}
	p.blank()
	if p.i < len(p.s) && p.s[p.i] == '\'' {
		end := strings.IndexByte(p.s[p.i+1:], '\'')
		if end < 0 {
			return RawType{}, syntaxf("unterminated custom type in %q", p.s)
		}
		r := RawType{Custom: p.s[p.i+1 : p.i+1+end]}
		p.i += end + 2
		return r, nil
	}
	name, err := p.ident()
	if err != nil {
		return RawType{}, err
	}
	p.blank()
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		tn, err := p.ident()
		if err != nil {
			return RawType{}, err
		}
		return RawType{Name: tn, Keyspace: name}, nil
	}
	if p.i >= len(p.s) || p.s[p.i] != '<' {
		return RawType{Name: name}, nil
	}
	p.i++
	r := RawType{Name: name}
	for {
		a, err := p.parse(depth + 1)
		if err != nil {
			return RawType{}, err
		}
		r.Args = append(r.Args, a)
		p.blank()
		if p.i >= len(p.s) {
			return RawType{}, syntaxf("unterminated type %q", p.s)
		}
		if p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.s[p.i] == '>' {
			p.i++
			return r, nil
		}
		return RawType{}, syntaxf("unexpected %q in type %q", p.s[p.i], p.s)
	}
}

// prepareType resolves raw against the user types of keyspace ks
// (CQL3Type.Raw.prepare), with 3.11's rules and messages.
func prepareType(raw RawType, ks string, types map[string]*codec.UserType) (codec.Type, error) {
	return prepareRaw(raw, ks, types, false)
}

func prepareRaw(raw RawType, ks string, types map[string]*codec.UserType, frozen bool) (codec.Type, error) {
	switch {
	case raw.Custom != "":
		t, err := codec.Parse(raw.Custom)
		if err != nil {
			return nil, configf("%s", err.Error())
		}
		return t, nil
	case raw.isFrozen():
		in := raw.Args[0]
		if !in.supportsFreezing() {
			return nil, syntaxf("frozen<> is only allowed on collections, tuples, and user-defined types (got %s)", in)
		}
		return prepareRaw(in, ks, types, true)
	case raw.isCollection():
		return prepareCollection(raw, ks, types, frozen)
	case raw.Name == "tuple" && len(raw.Args) > 0:
		comps := make([]codec.Type, len(raw.Args))
		for i, a := range raw.Args {
			if a.isCounter() {
				return nil, invalidf("Counters are not allowed inside tuples")
			}
			t, err := prepareRaw(a, ks, types, true)
			if err != nil {
				return nil, err
			}
			comps[i] = t
		}
		return codec.NewTuple(comps...), nil
	case raw.isNative():
		t, _ := codec.NativeCQLType(raw.Name)
		return t, nil
	}
	if raw.Keyspace != "" && raw.Keyspace != ks {
		return nil, invalidf("Statement on keyspace %s cannot refer to a user type in keyspace %s; user types can only be used in the keyspace they are defined in", ks, raw.Keyspace)
	}
	u := types[raw.Name]
	if u == nil {
		return nil, invalidf("Unknown type %s.%s", ks, raw.Name)
	}
	if frozen {
		return u.Frozen(), nil
	}
	return codec.NewUserType(u.Keyspace, u.Name, u.FieldNames(), u.FieldTypes(), true), nil
}

func prepareCollection(raw RawType, ks string, types map[string]*codec.UserType, frozen bool) (codec.Type, error) {
	want := 1
	if raw.Name == "map" {
		want = 2
	}
	if len(raw.Args) != want {
		return nil, syntaxf("%s takes %d type parameter(s): %s", raw.Name, want, raw)
	}
	shown := raw
	if frozen {
		shown = Frozen(raw)
	}
	values := raw.Args[len(raw.Args)-1]
	nested := func(t RawType) error {
		if !frozen && t.supportsFreezing() && !t.isFrozen() && t.inner().Name != "tuple" {
			if t.isUDT() {
				return invalidf("Non-frozen UDTs are not allowed inside collections: %s", shown)
			}
			return invalidf("Non-frozen collections are not allowed inside collections: %s", shown)
		}
		return nil
	}
	if err := nested(values); err != nil {
		return nil, err
	}
	if values.isCounter() {
		return nil, invalidf("Counters are not allowed inside collections: %s", shown)
	}
	if values.isDuration() && raw.Name == "set" {
		return nil, invalidf("Durations are not allowed inside sets: %s", shown)
	}
	var keyType codec.Type
	if raw.Name == "map" {
		keys := raw.Args[0]
		if keys.isCounter() {
			return nil, invalidf("Counters are not allowed inside collections: %s", shown)
		}
		if keys.isDuration() {
			return nil, invalidf("Durations are not allowed as map keys: %s", shown)
		}
		if err := nested(keys); err != nil {
			return nil, err
		}
		var err error
		if keyType, err = prepareRaw(keys, ks, types, true); err != nil {
			return nil, err
		}
	}
	valueType, err := prepareRaw(values, ks, types, true)
	if err != nil {
		return nil, err
	}
	switch raw.Name {
	case "list":
		return codec.List(valueType, !frozen), nil
	case "set":
		return codec.Set(valueType, !frozen), nil
	}
	return codec.Map(keyType, valueType, !frozen), nil
}

// ReferencesDuration reports whether t is or contains a duration
// (AbstractType.referencesDuration).
func ReferencesDuration(t codec.Type) bool {
	switch x := t.(type) {
	case *codec.ReversedType:
		return ReferencesDuration(x.Base())
	case *codec.CollectionType:
		return (x.Keys() != nil && ReferencesDuration(x.Keys())) || ReferencesDuration(x.Elements())
	case *codec.TupleType:
		for _, c := range x.Components() {
			if ReferencesDuration(c) {
				return true
			}
		}
		return false
	case *codec.UserType:
		for _, c := range x.FieldTypes() {
			if ReferencesDuration(c) {
				return true
			}
		}
		return false
	}
	return t == codec.Duration
}

// referencesUserType reports whether t mentions the user type name.
func referencesUserType(t codec.Type, name string) bool {
	switch x := t.(type) {
	case *codec.ReversedType:
		return referencesUserType(x.Base(), name)
	case *codec.CollectionType:
		return (x.Keys() != nil && referencesUserType(x.Keys(), name)) || referencesUserType(x.Elements(), name)
	case *codec.TupleType:
		for _, c := range x.Components() {
			if referencesUserType(c, name) {
				return true
			}
		}
	case *codec.UserType:
		if x.Name == name {
			return true
		}
		for _, c := range x.FieldTypes() {
			if referencesUserType(c, name) {
				return true
			}
		}
	}
	return false
}

// replaceUserType rebuilds t with every use of the user type u.Name
// replaced by u (keeping each use's frozenness), for ALTER TYPE.
func replaceUserType(t codec.Type, u *codec.UserType) codec.Type {
	replace := func(c codec.Type) codec.Type { return replaceUserType(c, u) }
	if x, ok := t.(*codec.UserType); ok {
		if x.Name == u.Name {
			return codec.NewUserType(u.Keyspace, u.Name, u.FieldNames(), u.FieldTypes(), x.MultiCell())
		}
		return codec.NewUserType(x.Keyspace, x.Name, x.FieldNames(), mapTypes(x.FieldTypes(), replace), x.MultiCell())
	}
	return rebuildNested(t, replace)
}

// expandUserTypes replaces every user type by an equivalent frozen tuple,
// as dropped_columns stores types (SchemaKeyspace.expandUserTypes).
func expandUserTypes(t codec.Type) codec.Type {
	if x, ok := t.(*codec.UserType); ok {
		return codec.NewTuple(mapTypes(x.FieldTypes(), expandUserTypes)...)
	}
	return rebuildNested(t, expandUserTypes)
}

// rebuildNested rebuilds a reversed, collection or tuple type with f
// applied to the types it holds; any other type is returned as is.
func rebuildNested(t codec.Type, f func(codec.Type) codec.Type) codec.Type {
	switch x := t.(type) {
	case *codec.ReversedType:
		return codec.Reversed(f(x.Base()))
	case *codec.CollectionType:
		var k codec.Type
		if x.Keys() != nil {
			k = f(x.Keys())
		}
		v := f(x.Elements())
		switch x.Kind() {
		case codec.ListKind:
			return codec.List(v, x.MultiCell())
		case codec.SetKind:
			return codec.Set(v, x.MultiCell())
		}
		return codec.Map(k, v, x.MultiCell())
	case *codec.TupleType:
		return codec.NewTuple(mapTypes(x.Components(), f)...)
	}
	return t
}

// mapTypes applies f to each of ts (a copy the caller owns) and returns ts.
func mapTypes(ts []codec.Type, f func(codec.Type) codec.Type) []codec.Type {
	for i, c := range ts {
		ts[i] = f(c)
	}
	return ts
}
