package tags

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode"

	"github.com/cassa-go/cassa/codec"
)

// This file gives type= its CQL side: CQL type expressions
// (list<int>, map<text, frozen<list<int>>>, frozen<address>,
// tuple<int, text>), the CQL native names (text, timeuuid, date…),
// collections inferred from Go slices and maps, and user-defined types
// made from Go structs.

// typeExpr is a parsed type= value: a name with its <parameters>, or a
// Cassandra class written in its own syntax (text holds it whole).
type typeExpr struct {
	name string // as written, without parameters
	args []*typeExpr
	text string // the whole expression as written
}

// errCQLSyntax reports a malformed CQL type expression.
var errCQLSyntax = errors.New("malformed CQL type")

// parseTypeExpr reads name [< expr {, expr} >]. A name may carry a
// parenthesised class parameter list (Composite(Long,UTF8)), kept as part
// of the name for the class parser.
func parseTypeExpr(s string) (*typeExpr, error) {
	p := exprParser{s: s}
	e, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	p.blank()
	if p.i < len(p.s) {
		return nil, fmt.Errorf("%w: unexpected %q at offset %d", errCQLSyntax, p.s[p.i], p.i)
	}
	return e, nil
}

type exprParser struct {
	s string
	i int
}

func (p *exprParser) blank() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// maxTypeDepth bounds nesting, so hostile tags cannot recurse without end.
const maxTypeDepth = 32

func (p *exprParser) expr(depth int) (*typeExpr, error) {
	if depth > maxTypeDepth {
		return nil, fmt.Errorf("%w: nested too deeply", errCQLSyntax)
	}
	p.blank()
	start := p.i
	if p.i < len(p.s) && p.s[p.i] == '"' {
		// A quoted user type name.
		p.i++
		for p.i < len(p.s) && p.s[p.i] != '"' {
			p.i++
		}
		if p.i >= len(p.s) {
			return nil, fmt.Errorf("%w: unterminated quoted name", errCQLSyntax)
		}
		p.i++
	} else {
		for p.i < len(p.s) && (isIdentChar(p.s[p.i]) || p.s[p.i] == ':' || p.s[p.i] == '$') {
			p.i++
		}
		if p.i < len(p.s) && p.s[p.i] == '(' {
			depthParen := 0
			for ; p.i < len(p.s); p.i++ {
				if p.s[p.i] == '(' {
					depthParen++
				} else if p.s[p.i] == ')' {
					depthParen--
					if depthParen == 0 {
						p.i++
						break
					}
				}
			}
			if depthParen != 0 {
				return nil, fmt.Errorf("%w: unbalanced '('", errCQLSyntax)
			}
		}
	}
	if p.i == start {
		if p.i < len(p.s) {
			return nil, fmt.Errorf("%w: a type name expected at offset %d, found %q", errCQLSyntax, p.i, p.s[p.i])
		}
		return nil, fmt.Errorf("%w: a type name expected at the end", errCQLSyntax)
	}
	e := &typeExpr{name: p.s[start:p.i]}
	p.blank()
	if p.i < len(p.s) && p.s[p.i] == '<' {
		p.i++
		for {
			a, err := p.expr(depth + 1)
			if err != nil {
				return nil, err
			}
			e.args = append(e.args, a)
			p.blank()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == '>' {
				p.i++
				break
			}
			return nil, fmt.Errorf("%w: '>' expected after the parameters of %s", errCQLSyntax, e.name)
		}
	}
	e.text = strings.TrimSpace(p.s[start:p.i])
	return e, nil
}

// cqlLike reports whether a type= value is written in CQL's syntax
// (parameters in angle brackets, or a CQL native name in lower case)
// rather than as a Cassandra class.
func cqlLike(s string) bool {
	if strings.ContainsAny(s, "<>") {
		return true
	}
	_, ok := codec.NativeCQLType(strings.TrimSpace(s))
	return ok
}

// resolver turns type= values into marshal types, directed by the Go type
// of the field (which user types and tuples need for their fields).
type resolver struct {
	stack []reflect.Type // user types being built, against recursion
}

// typeError is a type problem for people; ParseType's errors pass through.
func typeError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrType, fmt.Sprintf(format, args...))
}

// resolve parses text for a field of Go type t (without its pointer).
func (r *resolver) resolve(t reflect.Type, text string) (codec.Type, error) {
	if !cqlLike(text) {
		ct, err := ParseType(text)
		if err == nil {
			if err := r.check(t, ct); err != nil {
				return nil, err
			}
			return ct, nil
		}
		// A bare name that is no class names a user type when the field
		// is a struct: type=address.
		if Classify(t) == ClassStruct && isPlainName(text) {
			return r.userType(t, strings.Trim(text, `"`), false)
		}
		return nil, err
	}
	e, err := parseTypeExpr(text)
	if err != nil {
		return nil, err
	}
	return r.expr(t, e, false)
}

// isPlainName: an identifier, or a quoted one.
func isPlainName(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return !strings.Contains(s[1:len(s)-1], `"`)
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// expr resolves a parsed expression for Go type t; frozen is set inside
// frozen<…>.
func (r *resolver) expr(t reflect.Type, e *typeExpr, frozen bool) (codec.Type, error) {
	if t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	c := ClassAny
	if t != nil {
		c = Classify(t)
	}
	name := strings.ToLower(e.name)
	nargs := func(n int) error {
		if len(e.args) != n {
			return typeError("%s takes %d type parameter(s), not %d", name, n, len(e.args))
		}
		return nil
	}
	elemOf := func() (reflect.Type, error) {
		switch {
		case c == ClassAny || c == ClassTuple:
			return nil, nil
		case c == ClassList:
			return t.Elem(), nil
		}
		return nil, typeError("%s cannot be stored in a Go %s (use a slice)", e.text, t)
	}
	switch name {
	case "frozen":
		if err := nargs(1); err != nil {
			return nil, err
		}
		inner, err := r.expr(t, e.args[0], true)
		if err != nil {
			return nil, err
		}
		return codec.Freeze(inner), nil
	case "list":
		if err := nargs(1); err != nil {
			return nil, err
		}
		et, err := elemOf()
		if err != nil {
			return nil, err
		}
		elem, err := r.expr(et, e.args[0], true)
		if err != nil {
			return nil, err
		}
		return codec.List(elem, !frozen), nil
	case "set":
		if err := nargs(1); err != nil {
			return nil, err
		}
		var et reflect.Type
		if c == ClassMap && isEmptyStruct(t.Elem()) {
			et = t.Key()
		} else {
			var err error
			if et, err = elemOf(); err != nil {
				return nil, typeError("%s cannot be stored in a Go %s (use a slice or a map[K]struct{})", e.text, t)
			}
		}
		elem, err := r.expr(et, e.args[0], true)
		if err != nil {
			return nil, err
		}
		return codec.Set(elem, !frozen), nil
	case "map":
		if err := nargs(2); err != nil {
			return nil, err
		}
		var kt, vt reflect.Type
		switch {
		case c == ClassAny:
		case c == ClassMap && !isEmptyStruct(t.Elem()):
			kt, vt = t.Key(), t.Elem()
		default:
			return nil, typeError("%s cannot be stored in a Go %s (use a map)", e.text, t)
		}
		k, err := r.expr(kt, e.args[0], true)
		if err != nil {
			return nil, err
		}
		v, err := r.expr(vt, e.args[1], true)
		if err != nil {
			return nil, err
		}
		return codec.Map(k, v, !frozen), nil
	case "tuple":
		if len(e.args) == 0 {
			return nil, typeError("tuple needs type parameters")
		}
		var fields []StructField
		switch c {
		case ClassAny, ClassTuple:
		case ClassStruct:
			var err error
			if fields, err = StructFields(t); err != nil {
				return nil, err
			}
			if len(fields) != len(e.args) {
				return nil, typeError("%s has %d components but the Go struct %s has %d fields", e.text, len(e.args), t, len(fields))
			}
		default:
			return nil, typeError("%s cannot be stored in a Go %s (use a struct with one field per component, or []any)", e.text, t)
		}
		types := make([]codec.Type, len(e.args))
		for i, a := range e.args {
			var ft reflect.Type
			if fields != nil {
				ft = fields[i].GoType
			}
			ct, err := r.expr(ft, a, true)
			if err != nil {
				return nil, err
			}
			types[i] = ct
		}
		return codec.NewTuple(types...), nil
	case "vector":
		return nil, typeError("vector types are not supported")
	}
	if len(e.args) > 0 {
		return nil, typeError("unknown parameterised type %s", e.text)
	}
	if nt, ok := codec.NativeCQLType(e.name); ok {
		if t != nil {
			if err := r.check(t, nt); err != nil {
				return nil, err
			}
		}
		return nt, nil
	}
	if ct, err := ParseType(e.name); err == nil {
		if t != nil {
			if err := r.check(t, ct); err != nil {
				return nil, err
			}
		}
		return ct, nil
	}
	if c == ClassStruct && isPlainName(e.name) {
		return r.userType(t, strings.Trim(e.name, `"`), frozen)
	}
	if c == ClassStruct || c == ClassAny {
		return nil, typeError("%s is no CQL type, and a user type needs a Go struct to describe its fields", e.name)
	}
	return nil, typeError("unknown type %s", e.name)
}

func isEmptyStruct(t reflect.Type) bool { return t.Kind() == reflect.Struct && t.NumField() == 0 }

// infer gives the type of a Go type without type=: Infer for single
// values, list<…> for slices, map<…> for maps, set<…> for map[K]struct{},
// frozen<snake_name> for structs.
func (r *resolver) infer(t reflect.Type) (codec.Type, error) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	c := Classify(t)
	if ct, ok := Infer(c, t); ok {
		return ct, nil
	}
	switch c {
	case ClassList:
		elem, err := r.infer(t.Elem())
		if err != nil {
			return nil, err
		}
		return codec.List(elem, true), nil
	case ClassMap:
		k, err := r.infer(t.Key())
		if err != nil {
			return nil, err
		}
		if isEmptyStruct(t.Elem()) {
			return codec.Set(k, true), nil
		}
		v, err := r.infer(t.Elem())
		if err != nil {
			return nil, err
		}
		return codec.Map(k, v, true), nil
	case ClassStruct:
		if t.Name() == "" {
			return nil, typeError("an unnamed struct %s needs type=, e.g. type=frozen<address> or type=tuple<int, text>", t)
		}
		return r.userType(t, SnakeCase(t.Name()), true)
	case ClassTuple, ClassAny:
		return nil, typeError("a Go %s needs an explicit type=, e.g. type=Composite(Long,UTF8) or type=tuple<int, text>", t)
	}
	return nil, typeError("no marshal type for Go type %s; give a type= or cass:\"-\"", t)
}

// check reports whether a Go type can hold values of ct, recursively.
func (r *resolver) check(t reflect.Type, ct codec.Type) error {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	c := Classify(t)
	if c == ClassAny {
		return nil
	}
	bad := func() error {
		return typeError("%s cannot be stored in a Go %s", codec.ShortName(ct), t)
	}
	switch x := ct.(type) {
	case *codec.ReversedType:
		if r.check(t, x.Base()) != nil {
			return bad()
		}
		return nil
	case *codec.CollectionType:
		switch x.Kind() {
		case codec.ListKind:
			if c == ClassTuple {
				return nil
			}
			if c != ClassList {
				return bad()
			}
			return r.check(t.Elem(), x.Elements())
		case codec.SetKind:
			switch {
			case c == ClassTuple:
				return nil
			case c == ClassList:
				return r.check(t.Elem(), x.Elements())
			case c == ClassMap && isEmptyStruct(t.Elem()):
				return r.check(t.Key(), x.Elements())
			}
			return bad()
		default:
			if c != ClassMap || isEmptyStruct(t.Elem()) {
				return bad()
			}
			if err := r.check(t.Key(), x.Keys()); err != nil {
				return err
			}
			return r.check(t.Elem(), x.Elements())
		}
	case *codec.TupleType:
		if c == ClassTuple {
			return nil
		}
		if c != ClassStruct {
			return bad()
		}
		fields, err := StructFields(t)
		if err != nil {
			return err
		}
		comps := x.Components()
		if len(fields) != len(comps) {
			return typeError("%s has %d components but the Go struct %s has %d fields", codec.CQLName(ct), len(comps), t, len(fields))
		}
		for i, f := range fields {
			if err := r.check(f.GoType, comps[i]); err != nil {
				return err
			}
		}
		return nil
	case *codec.UserType:
		if c != ClassStruct {
			return bad()
		}
		return nil
	}
	if !fits(t, c, ct) {
		return bad()
	}
	return nil
}

// StructField is one field of a Go struct used as a CQL user type or
// tuple: exported fields in declaration order, embedded structs
// flattened, cass:"-" skipped.
type StructField struct {
	GoName string
	Index  []int        // path from the struct (reflect.Value.FieldByIndex)
	GoType reflect.Type // as declared
	// Name is the user type field's name: the tag's name, else the Go name.
	Name string
	// TypeText is the tag's type= value, "" when none.
	TypeText string
	Tag      string
}

// StructFields lists the fields of a struct that a user type or a tuple
// holds. A field of a user type takes a tag with a name and type= only.
func StructFields(t reflect.Type) ([]StructField, error) {
	var out []StructField
	if err := structFields(t, nil, 0, &out); err != nil {
		return nil, err
	}
	seen := map[string]string{}
	for _, f := range out {
		if prev, dup := seen[f.Name]; dup {
			return nil, &TagError{Struct: structName(t), Field: f.GoName, Tag: f.Tag,
				Problem: fmt.Sprintf("field name %q is also used by %s", f.Name, prev), Err: ErrConflict}
		}
		seen[f.Name] = f.GoName
	}
	return out, nil
}

func structFields(t reflect.Type, index []int, depth int, out *[]StructField) error {
	if depth > maxDepth {
		return &TagError{Struct: structName(t), Problem: "embedding nested too deeply", Err: ErrConflict}
	}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, tagged := sf.Tag.Lookup("cass")
		if tag == "-" {
			continue
		}
		path := append(append([]int(nil), index...), i)
		if sf.Anonymous && !tagged && sf.Type.Kind() == reflect.Struct && Classify(sf.Type) == ClassStruct {
			if err := structFields(sf.Type, path, depth+1, out); err != nil {
				return err
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		f := StructField{GoName: sf.Name, Index: path, GoType: sf.Type, Name: sf.Name, Tag: tag}
		if tagged {
			name, opts, err := lexTag(tag)
			if err != nil {
				return &TagError{Struct: structName(t), Field: sf.Name, Tag: tag, Problem: err.Error(), Err: ErrSyntax}
			}
			if name.val != "" {
				f.Name = name.val
			}
			for _, o := range opts {
				if o.key != "type" || !o.hasVal || o.val == "" {
					return &TagError{Struct: structName(t), Field: sf.Name, Tag: tag,
						Problem: "a field of a user type or tuple takes a name and type= only", Err: ErrSyntax}
				}
				f.TypeText = o.val
			}
		}
		*out = append(*out, f)
	}
	return nil
}

// UserType is a Go struct mapped to a CQL user-defined type.
type UserType struct {
	// Type is the marshal type (keyspace-agnostic: its Keyspace is "").
	Type *codec.UserType
	// Fields are the struct's fields, in the type's field order.
	Fields []StructField
}

// userTypes caches the user types of Go structs by type and name.
var userTypes sync.Map // udtKey -> *UserType

type udtKey struct {
	t    reflect.Type
	name string
}

// UserTypeOf returns the user type a Go struct maps to under name: its
// fields (see StructFields) with their types, inferred or from type=.
func UserTypeOf(t reflect.Type, name string) (*UserType, error) {
	var r resolver
	if _, err := r.userType(t, name, true); err != nil {
		return nil, err
	}
	u, _ := userTypes.Load(udtKey{t, name})
	return u.(*UserType), nil
}

// userType builds (or finds) the user type name of struct t.
func (r *resolver) userType(t reflect.Type, name string, frozen bool) (codec.Type, error) {
	if name == "" {
		return nil, typeError("a user type needs a name")
	}
	key := udtKey{t, name}
	if u, ok := userTypes.Load(key); ok {
		return freezeIf(u.(*UserType).Type, frozen), nil
	}
	for _, s := range r.stack {
		if s == t {
			return nil, typeError("user type %s of Go struct %s contains itself", name, t)
		}
	}
	r.stack = append(r.stack, t)
	defer func() { r.stack = r.stack[:len(r.stack)-1] }()
	fields, err := StructFields(t)
	if err != nil {
		return nil, err
	}
	if len(fields) == 0 {
		return nil, typeError("user type %s: the Go struct %s has no exported fields", name, t)
	}
	names := make([]string, len(fields))
	types := make([]codec.Type, len(fields))
	for i, f := range fields {
		var ft codec.Type
		if f.TypeText != "" {
			ft, err = r.resolve(baseOf(f.GoType), f.TypeText)
		} else {
			ft, err = r.infer(f.GoType)
		}
		if err != nil {
			var te *TagError
			if errors.As(err, &te) {
				return nil, err
			}
			return nil, &TagError{Struct: structName(t), Field: f.GoName, Tag: f.Tag,
				Problem: fmt.Sprintf("field of user type %s: %v", name, err), Err: fmt.Errorf("%w: %w", ErrType, err)}
		}
		if codec.IsMultiCell(ft) {
			ft = codec.Freeze(ft) // fields of user types are frozen
		}
		names[i], types[i] = f.Name, ft
	}
	u := &UserType{Type: codec.NewUserType("", name, names, types, false), Fields: fields}
	got, _ := userTypes.LoadOrStore(key, u)
	return freezeIf(got.(*UserType).Type, frozen), nil
}

func freezeIf(u *codec.UserType, frozen bool) codec.Type {
	if frozen {
		return u
	}
	return codec.NewUserType(u.Keyspace, u.Name, u.FieldNames(), u.FieldTypes(), true)
}

func baseOf(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		return t.Elem()
	}
	return t
}

// SnakeCase is the name cassa gives a user type without type=: the Go type
// name in lower case, words joined by underscores (HomeAddress is
// home_address, HTTPServer is http_server).
func SnakeCase(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, c := range rs {
		if unicode.IsUpper(c) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) ||
				i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1])) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(c))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
