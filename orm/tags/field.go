package tags

import (
	"errors"
	"fmt"
	"math/big"
	"net"
	"reflect"
	"strings"

	"github.com/cassa-go/cassa/codec"
)

// Role says what a field stands for in a row.
type Role int

const (
	// Column is an ordinary field: one column of the row (of the super
	// column, in a super column family).
	Column Role = iota
	// Key is a partition key field (option key, or partition): the row key.
	// Several make a composite partition key, in declaration order.
	Key
	// Super is the super column name field (option super).
	Super
	// Raw collects the columns no other field maps (option raw).
	Raw
	// TTL supplies the time to live of the columns written on insert
	// (option ttl): an integer field counts seconds, a time.Duration field
	// is rounded down to whole seconds; zero means no TTL.
	TTL
	// Clustering is a clustering column (option clustering): part of the
	// primary key after the partition key, ordering the rows of a
	// partition; several are ordered as declared.
	Clustering
)

// String returns the option that gives the role ("column" for Column).
func (r Role) String() string {
	switch r {
	case Key:
		return "key"
	case Super:
		return "super"
	case Raw:
		return "raw"
	case TTL:
		return "ttl"
	case Clustering:
		return "clustering"
	}
	return "column"
}

// Field is one struct field as its tag describes it.
type Field struct {
	Struct string       // the declaring struct's type name, for messages
	GoName string       // the Go field name
	Index  []int        // index path from the parsed struct (reflect.Value.FieldByIndex); nil from Parse
	GoType reflect.Type // the field's Go type as declared
	Tag    string       // the cass tag as written

	// Name is the column name: the tag's name, or GoName when the tag
	// gives none. For a Key field it is the key alias (schema generation
	// uses it) and may be empty; Super, Raw and TTL fields have none.
	Name string
	Role Role

	// Type is the marshal type: the column's validator for a Column, the
	// key validation class for the Key, the super column comparator for
	// Super. It is nil for Raw and TTL fields.
	Type codec.Type
	// TypeName is the type= text as written; "" when the type was inferred.
	TypeName string

	// BaseType is GoType without its pointer; Class classifies it.
	BaseType reflect.Type
	Class    GoClass
	// Nullable is true for pointer fields (and *big.Int): nil means the
	// column is absent, and is never written.
	Nullable bool

	Indexed   bool // option index: the column has a secondary index (KEYS)
	OmitEmpty bool // option omitempty: zero values are empty (see NullMode)
	// Static is option static: a CQL static column, one value per
	// partition.
	Static bool
	// Descending is clustering=desc: the clustering column sorts in
	// descending order (CLUSTERING ORDER BY … DESC; ReversedType on
	// Thrift).
	Descending bool
	// Null is option null=: what a write does with an empty value;
	// NullDefault without the option.
	Null    NullMode
	Counter bool // the type is CounterColumnType: changed with Add, read as int64

	// HasDefault says the tag has default=. Default is the parsed literal,
	// a value of BaseType (a *big.Int for ClassBigInt); use DefaultValue
	// to get a fresh value to assign.
	HasDefault  bool
	Default     any
	DefaultText string

	// RawAny is true for a Raw field of type map[string]any (values
	// unpacked with the column family's default validator) rather than
	// map[string][]byte (values as stored).
	RawAny bool

	// Skip is set for the tag "-": the field is not mapped.
	Skip bool
}

// DefaultValue returns a fresh copy of the default, assignable to a
// field of type GoType (a new pointer for pointer fields, a copy for
// slices and big integers, so instances never share it). ok is false when
// the field has no default.
func (f *Field) DefaultValue() (v reflect.Value, ok bool) {
	if !f.HasDefault {
		return reflect.Value{}, false
	}
	var base reflect.Value
	switch d := f.Default.(type) {
	case *big.Int:
		base = reflect.ValueOf(new(big.Int).Set(d)).Elem()
	case net.IP:
		base = reflect.ValueOf(append(net.IP(nil), d...))
	default:
		base = reflect.ValueOf(d)
		if base.Kind() == reflect.Slice {
			c := reflect.MakeSlice(base.Type(), base.Len(), base.Len())
			reflect.Copy(c, base)
			base = c
		}
	}
	if f.GoType.Kind() != reflect.Pointer {
		return base, true
	}
	p := reflect.New(f.BaseType)
	p.Elem().Set(base)
	return p, true
}

// keywords are the options that take no value.
var keywords = map[string]bool{"key": true, "super": true, "index": true, "raw": true,
	"omitempty": true, "ttl": true, "partition": true, "clustering": true, "static": true,
	"frozen": true, "set": true}

// Parse reads the cass tag of one field. structName and fieldName are used
// in error messages only; goType is the field's type; tag is the text
// inside cass:"…" (use reflect.StructTag.Get("cass")).
//
// Grammar:
//
//	tag     = name { "," option }
//	name    = value                        (empty: the Go field name)
//	option  = "key" | "partition" | "clustering" [ "=" ( "asc" | "desc" ) ]
//	        | "super" | "raw" | "ttl" | "index" | "omitempty" | "static"
//	        | "frozen" | "set"
//	        | "type=" value | "default=" value
//	        | "null=" ( "skip" | "delete" | "write" )
//	value   = text | "'" quoted "'"
//
// Unquoted text runs to the next comma outside parentheses, so type=
// values nest freely: type=Composite(Long,Reversed(UTF8)). A value in
// single quotes may hold commas, parentheses and blanks, and a doubled
// quote inside it stands for one quote:
//
//	default='a,b'        a,b
//	default='it''s'      it's
//
// Blanks around elements are ignored. A bare first element that is an
// option keyword (cass:"key") is refused as a likely mistake; write
// cass:",key", or quote a column that really is named so: cass:"'key'". The tag "-" means the field is not mapped:
// Parse returns a Field with Skip set and nothing else checked ("-,index"
// is a column named "-", as is "'-'").
//
// Each of key (or partition), clustering, super, raw and ttl gives the
// field that role; a field has at most one. index, omitempty, static,
// null= and default= apply to columns only (index to clustering columns
// too); type=, frozen and set apply to columns, keys, clustering columns
// and super. The default= literals are described in the package
// documentation. Parse never panics.
func Parse(structName, fieldName string, goType reflect.Type, tag string) (Field, error) {
	f := Field{Struct: structName, GoName: fieldName, GoType: goType, Tag: tag}
	fail := func(cause error, format string, args ...any) (Field, error) {
		return Field{}, &TagError{Struct: structName, Field: fieldName, Tag: tag,
			Problem: fmt.Sprintf(format, args...), Err: cause}
	}
	if tag == "-" {
		f.Skip = true
		return f, nil
	}
	if goType == nil {
		return fail(ErrType, "no Go type")
	}
	name, opts, err := lexTag(tag)
	if err != nil {
		return fail(ErrSyntax, "%v", err)
	}
	if !name.quoted {
		if keywords[name.val] {
			return fail(ErrSyntax, "the first element is the column name; write \",%s\" for the option, or '%s' for a column so named", name.val, name.val)
		}
		for i := 0; i < len(name.val); i++ {
			if name.val[i] == '=' {
				return fail(ErrSyntax, "the first element is the column name; write \",%s\" for the option, or quote the name", name.val)
			}
		}
	}

	var typeText, defText, nullText string
	var hasType, hasDef, hasNull, frozen, setForm bool
	for i, o := range opts {
		for _, p := range opts[:i] {
			if p.key == o.key {
				return fail(ErrSyntax, "option %q given twice", o.key)
			}
		}
		if o.key == "clustering" && o.hasVal {
			switch strings.ToLower(o.val) {
			case "asc":
			case "desc":
				f.Descending = true
			default:
				return fail(ErrSyntax, "clustering=%s: want asc or desc", o.val)
			}
			o.hasVal = false
		}
		switch o.key {
		case "type", "default", "null":
			if !o.hasVal {
				return fail(ErrSyntax, "option %q needs a value: %s=…", o.key, o.key)
			}
			switch o.key {
			case "type":
				typeText, hasType = o.val, true
				if typeText == "" {
					return fail(ErrSyntax, "type= is empty")
				}
			case "default":
				defText, hasDef = o.val, true
			default:
				nullText, hasNull = o.val, true
				m, ok := parseNull(nullText)
				if !ok {
					return fail(ErrSyntax, "null=%s: want skip, delete or write", nullText)
				}
				f.Null = m
			}
			continue
		}
		if !keywords[o.key] {
			return fail(ErrSyntax, "unknown option %q (want key, partition, clustering, static, super, raw, ttl, index, omitempty, frozen, set, type=, default= or null=)", o.key)
		}
		if o.hasVal {
			return fail(ErrSyntax, "option %q takes no value", o.key)
		}
		var r Role
		switch o.key {
		case "key", "partition":
			r = Key
		case "clustering":
			r = Clustering
		case "static":
			f.Static = true
			continue
		case "frozen":
			frozen = true
			continue
		case "set":
			setForm = true
			continue
		case "super":
			r = Super
		case "raw":
			r = Raw
		case "ttl":
			r = TTL
		case "index":
			f.Indexed = true
			continue
		case "omitempty":
			f.OmitEmpty = true
			continue
		}
		if f.Role != Column {
			return fail(ErrConflict, "options %q and %q cannot be combined: a field has one role", f.Role, r)
		}
		f.Role = r
	}

	if f.OmitEmpty && f.Null == NullWrite {
		return fail(ErrConflict, "omitempty makes zero values empty and null=write writes them; keep one")
	}

	// What each role allows.
	if f.Role != Column {
		switch {
		case f.Indexed && f.Role != Clustering:
			return fail(ErrConflict, "index applies to columns, not to a %s field", f.Role)
		case f.Static:
			return fail(ErrConflict, "static applies to columns, not to a %s field", f.Role)
		case (frozen || setForm) && (f.Role == Raw || f.Role == TTL):
			return fail(ErrConflict, "frozen and set do not apply to a %s field", f.Role)
		case f.OmitEmpty:
			return fail(ErrConflict, "omitempty applies to columns, not to a %s field", f.Role)
		case hasNull:
			return fail(ErrConflict, "null= applies to columns, not to a %s field", f.Role)
		case hasDef:
			return fail(ErrDefault, "default= applies to columns, not to a %s field", f.Role)
		case hasType && (f.Role == Raw || f.Role == TTL):
			return fail(ErrConflict, "type= does not apply to a %s field", f.Role)
		case name.val != "" && f.Role != Key && f.Role != Clustering:
			return fail(ErrConflict, "a %s field has no column name; write cass:\",%s\"", f.Role, f.Role)
		}
	}

	f.Name = name.val
	if f.Name == "" && (f.Role == Column || f.Role == Clustering) {
		f.Name = fieldName
	}

	// Go type.
	f.BaseType = goType
	if goType.Kind() == reflect.Pointer {
		f.Nullable = true
		f.BaseType = goType.Elem()
		if f.BaseType.Kind() == reflect.Pointer {
			return fail(ErrType, "a pointer to a pointer (%s) cannot be mapped", goType)
		}
	}
	f.Class = Classify(f.BaseType)

	switch f.Role {
	case Raw:
		if goType.Kind() != reflect.Map || goType.Key().Kind() != reflect.String {
			return fail(ErrType, "a raw field must be a map[string][]byte or map[string]any, not %s", goType)
		}
		switch c := Classify(goType.Elem()); {
		case c == ClassBytes && goType.Elem().Kind() == reflect.Slice:
		case c == ClassAny:
			f.RawAny = true
		default:
			return fail(ErrType, "a raw field must be a map[string][]byte or map[string]any, not %s", goType)
		}
		return f, nil
	case TTL:
		if f.Nullable || (f.Class != ClassInt && f.Class != ClassUint && f.Class != ClassDuration) {
			return fail(ErrType, "a ttl field must be an integer number of seconds or a time.Duration, not %s", goType)
		}
		return f, nil
	case Key, Super, Clustering:
		if f.Nullable && f.Class != ClassBigInt {
			return fail(ErrType, "a %s field cannot be a pointer (%s): a row needs its %s", f.Role, goType, f.Role)
		}
	}

	// Marshal type.
	var r resolver
	if hasType {
		var t codec.Type
		var err error
		if ct, perr := ParseType(typeText); perr == nil && !cqlLike(typeText) {
			// A Cassandra class: checked against the Go type as a whole.
			if r.check(f.BaseType, ct) != nil {
				return fail(ErrType, "type=%s (%s) cannot be stored in a Go %s", typeText, codec.ShortName(ct), goType)
			}
			t = ct
		} else if t, err = r.resolve(f.BaseType, typeText); err != nil {
			return Field{}, typeTagError(structName, fieldName, tag, "type="+typeText+": ", err)
		}
		f.Type, f.TypeName = t, typeText
	} else {
		switch f.Class {
		case ClassTuple, ClassAny:
			return fail(ErrType, "a Go %s field needs an explicit type=, e.g. type=Composite(Long,UTF8) or type=tuple<int, text>", goType)
		}
		t, err := r.infer(f.BaseType)
		if err != nil {
			return Field{}, typeTagError(structName, fieldName, tag, "", err)
		}
		f.Type = t
	}
	if setForm {
		c, ok := f.Type.(*codec.CollectionType)
		if !ok || c.Kind() == codec.MapKind {
			return fail(ErrType, "set applies to a list (a Go slice), not to %s", codec.CQLName(f.Type))
		}
		if c.Kind() == codec.ListKind {
			f.Type = codec.Set(c.Elements(), c.MultiCell())
		}
	}
	if frozen || f.Role == Key || f.Role == Clustering {
		// Primary key columns hold frozen values only.
		f.Type = codec.Freeze(f.Type)
	}
	if f.Type == codec.CounterColumn {
		if f.Role != Column {
			return fail(ErrType, "a %s field cannot be a counter", f.Role)
		}
		if k := f.BaseType.Kind(); k != reflect.Int64 && k != reflect.Int || f.Class != ClassInt {
			return fail(ErrType, "a counter field must be an int64 (or int), not %s", goType)
		}
		if f.Indexed {
			return fail(ErrConflict, "a counter column cannot be indexed")
		}
		if hasNull {
			return fail(ErrConflict, "null= does not apply to a counter, which changes with Add")
		}
		f.Counter = true
	}

	if hasDef {
		d, err := parseDefault(f.Class, f.BaseType, defText)
		if err != nil {
			return fail(ErrDefault, "default=%q: %v", defText, err)
		}
		f.HasDefault, f.Default, f.DefaultText = true, d, defText
	}
	return f, nil
}

// typeTagError makes the *TagError of a type problem: a nested one (a
// user type's field) as it is, a codec parse error kept reachable, and
// the resolver's own messages without their sentinel's prefix.
func typeTagError(structName, fieldName, tag, prefix string, err error) error {
	var te *TagError
	if errors.As(err, &te) {
		return err
	}
	msg := strings.TrimPrefix(err.Error(), ErrType.Error()+": ")
	cause := ErrType
	if !errors.Is(err, ErrType) {
		cause = fmt.Errorf("%w: %w", ErrType, err)
	}
	return &TagError{Struct: structName, Field: fieldName, Tag: tag, Problem: prefix + msg, Err: cause}
}
