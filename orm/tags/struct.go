package tags

import (
	"fmt"
	"reflect"
)

// Struct is a parsed model: the columns and the special fields of a
// struct type, with embedded structs flattened.
type Struct struct {
	Name string       // the struct type's name
	Type reflect.Type // the struct type

	// Columns are the column fields in declaration order, an embedded
	// struct's fields at the place of the embedding.
	Columns []Field

	// The special fields; nil when the struct has none. Key is the first
	// (usually the only) partition key field.
	Key, Super, Raw, TTL *Field

	// PartitionKey lists the partition key fields (tagged key or
	// partition) in declaration order: one, or the components of a
	// composite partition key.
	PartitionKey []Field
	// Clustering lists the clustering columns (tagged clustering) in
	// declaration order.
	Clustering []Field

	// Counter is true when the columns are counters (type=Counter). A
	// counter column family holds counters only, so ParseStruct refuses a
	// struct that mixes them with other columns, or has a ttl field.
	Counter bool

	byName map[string]int
}

// Column returns the field mapped to the column name.
func (s *Struct) Column(name string) (*Field, bool) {
	i, ok := s.byName[name]
	if !ok {
		return nil, false
	}
	return &s.Columns[i], true
}

// Names returns the column names in order: what a mapper asks for when it
// reads a row by name (pycassa's columns=self.fields).
func (s *Struct) Names() []string {
	out := make([]string, len(s.Columns))
	for i, f := range s.Columns {
		out[i] = f.Name
	}
	return out
}

// KeyColumn returns the CQL column name of partition key field i: its
// tag's name, else Cassandra's default for a Thrift row key (key, then
// key2, key3… as CompactTables names them).
func (s *Struct) KeyColumn(i int) string {
	if i < 0 || i >= len(s.PartitionKey) {
		return ""
	}
	if n := s.PartitionKey[i].Name; n != "" {
		return n
	}
	if i == 0 {
		return "key"
	}
	return fmt.Sprintf("key%d", i+1)
}

// Indexed returns the names of the columns tagged index, in order.
func (s *Struct) Indexed() []string {
	var out []string
	for _, f := range s.Columns {
		if f.Indexed {
			out = append(out, f.Name)
		}
	}
	return out
}

// RequireKey returns a *TagError wrapping ErrNoKey when the struct has no
// key field. A mapper needs one; a struct used only as a value does not,
// so ParseStruct leaves the check to the caller.
func (s *Struct) RequireKey() error {
	if s.Key != nil {
		return nil
	}
	return &TagError{Struct: s.Name, Problem: "no field is tagged key; add e.g. ID string `cass:\",key\"`", Err: ErrNoKey}
}

// maxDepth bounds embedding; Go allows cycles only through pointers,
// which are not flattened, so this only guards absurd nesting.
const maxDepth = 32

type found struct {
	f     Field
	depth int
}

// ParseStruct parses every field of a struct type (or pointer to one):
//
//   - exported fields are mapped, tagged or not; an untagged field is a
//     column named after the Go field with an inferred type;
//   - cass:"-" fields and unexported fields are skipped (an unexported
//     field with a cass tag is an error, since the tag cannot take effect);
//   - an embedded struct without a tag is flattened, which is how a model
//     inherits the columns of a base struct; time.Time, decimal.Decimal and
//     big.Int are values, never flattened; embedding a pointer to a struct
//     is refused (the mapper would have to allocate it);
//   - a column declared at a shallower depth overrides one of the same name
//     from an embedded struct (Go's own shadowing rule); two fields naming
//     one column at the same depth are an error;
//   - at most one field has each of the roles super, raw and ttl; several
//     key (partition) fields make a composite partition key and several
//     clustering fields a compound clustering key, both in declaration
//     order;
//   - a struct with clustering columns (the CQL form of a wide row) has no
//     super or raw field, and static columns need clustering columns;
//   - counter columns are not mixed with other columns (see Counter), and
//     a struct with a super field has no indexed columns (Cassandra has no
//     secondary indexes on super column families).
//
// The key field is not required here; see Struct.RequireKey.
func ParseStruct(t reflect.Type) (*Struct, error) {
	if t == nil {
		return nil, &TagError{Struct: "<nil>", Problem: "not a struct type", Err: ErrType}
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil, &TagError{Struct: t.String(), Problem: "not a struct type", Err: ErrType}
	}
	s := &Struct{Name: structName(t), Type: t, byName: map[string]int{}}
	var all []found
	if err := walk(t, nil, 0, &all); err != nil {
		return nil, err
	}

	// Resolve column names: shallowest wins, ties are errors.
	best := map[string]int{} // column name -> index in all
	for i, x := range all {
		if x.f.Role != Column {
			continue
		}
		j, ok := best[x.f.Name]
		if !ok || x.depth < all[j].depth {
			best[x.f.Name] = i
			continue
		}
		if x.depth == all[j].depth {
			o := all[j].f
			return nil, &TagError{Struct: x.f.Struct, Field: x.f.GoName, Tag: x.f.Tag,
				Problem: fmt.Sprintf("column %q is also mapped by %s.%s", x.f.Name, o.Struct, o.GoName), Err: ErrConflict}
		}
	}
	for i, x := range all {
		switch x.f.Role {
		case Column:
			if best[x.f.Name] != i {
				continue
			}
			s.byName[x.f.Name] = len(s.Columns)
			s.Columns = append(s.Columns, x.f)
			continue
		case Key:
			s.PartitionKey = append(s.PartitionKey, x.f)
			continue
		case Clustering:
			s.Clustering = append(s.Clustering, x.f)
			continue
		}
		var slot **Field
		switch x.f.Role {
		case Super:
			slot = &s.Super
		case Raw:
			slot = &s.Raw
		default:
			slot = &s.TTL
		}
		if *slot != nil {
			o := *slot
			return nil, &TagError{Struct: x.f.Struct, Field: x.f.GoName, Tag: x.f.Tag,
				Problem: fmt.Sprintf("a second %s field; %s.%s is already the %s", x.f.Role, o.Struct, o.GoName, x.f.Role), Err: ErrConflict}
		}
		f := x.f
		*slot = &f
	}
	if len(s.PartitionKey) > 0 {
		s.Key = &s.PartitionKey[0]
	}
	if err := s.checkKeys(); err != nil {
		return nil, err
	}
	if err := s.checkCounters(); err != nil {
		return nil, err
	}
	if s.Super != nil {
		for _, f := range s.Columns {
			if f.Indexed {
				return nil, &TagError{Struct: f.Struct, Field: f.GoName, Tag: f.Tag,
					Problem: fmt.Sprintf("column %q is indexed but %s.%s makes this a super column family, and Cassandra has no secondary indexes on those", f.Name, s.Super.Struct, s.Super.GoName),
					Err:     ErrConflict}
			}
		}
	}
	return s, nil
}

// checkKeys refuses primary key columns that share a name with another
// column, and the combinations CQL and Thrift have no layout for.
func (s *Struct) checkKeys() error {
	names := map[string]*Field{}
	claim := func(name string, f *Field) error {
		if o, dup := names[name]; dup {
			return &TagError{Struct: f.Struct, Field: f.GoName, Tag: f.Tag,
				Problem: fmt.Sprintf("column %q is also mapped by %s.%s", name, o.Struct, o.GoName), Err: ErrConflict}
		}
		names[name] = f
		return nil
	}
	for i := range s.PartitionKey {
		if err := claim(s.KeyColumn(i), &s.PartitionKey[i]); err != nil {
			return err
		}
	}
	for i := range s.Clustering {
		if err := claim(s.Clustering[i].Name, &s.Clustering[i]); err != nil {
			return err
		}
	}
	for i := range s.Columns {
		if err := claim(s.Columns[i].Name, &s.Columns[i]); err != nil {
			return err
		}
	}
	conflict := func(f *Field, problem string) error {
		return &TagError{Struct: f.Struct, Field: f.GoName, Tag: f.Tag, Problem: problem, Err: ErrConflict}
	}
	if len(s.Clustering) > 0 {
		c := &s.Clustering[0]
		switch {
		case s.Super != nil:
			return conflict(c, fmt.Sprintf("clustering columns and a super field (%s) are two forms of a wide row; keep one", s.Super.GoName))
		case s.Raw != nil:
			return conflict(c, fmt.Sprintf("a model with clustering columns has no raw field (%s): its column names are composite", s.Raw.GoName))
		}
	}
	for i := range s.Columns {
		f := &s.Columns[i]
		if f.Static && len(s.Clustering) == 0 {
			return conflict(f, "a static column needs clustering columns: it is one value per partition of several rows")
		}
	}
	return nil
}

// checkCounters applies Cassandra's rule that a column family is either a
// counter column family (default_validation_class CounterColumnType) with
// only counter columns, or one without any.
func (s *Struct) checkCounters() error {
	var counter, plain *Field
	for i := range s.Columns {
		f := &s.Columns[i]
		if f.Counter {
			if counter == nil {
				counter = f
			}
		} else if plain == nil {
			plain = f
		}
	}
	switch {
	case counter != nil && plain != nil:
		return &TagError{Struct: plain.Struct, Field: plain.GoName, Tag: plain.Tag,
			Problem: fmt.Sprintf("column %q is not a counter but %s.%s is; a counter column family holds counters only", plain.Name, counter.Struct, counter.GoName),
			Err:     ErrConflict}
	case counter != nil && s.TTL != nil:
		return &TagError{Struct: s.TTL.Struct, Field: s.TTL.GoName, Tag: s.TTL.Tag,
			Problem: "counters have no TTL, so a counter model cannot have a ttl field", Err: ErrConflict}
	}
	s.Counter = counter != nil
	return nil
}

func structName(t reflect.Type) string {
	if t.Name() != "" {
		return t.Name()
	}
	return t.String()
}

// isValueStruct reports struct types that are values, not containers of
// columns.
func isValueStruct(t reflect.Type) bool {
	c := Classify(t)
	return c != ClassOther && c != ClassStruct
}

func walk(t reflect.Type, index []int, depth int, out *[]found) error {
	name := structName(t)
	if depth > maxDepth {
		return &TagError{Struct: name, Problem: "embedding nested too deeply", Err: ErrConflict}
	}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, tagged := sf.Tag.Lookup("cass")
		if tag == "-" {
			continue
		}
		path := append(append([]int(nil), index...), i)
		if sf.Anonymous && !tagged {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct && !isValueStruct(ft.Elem()) {
				if !sf.IsExported() {
					continue // as encoding/json: it could never be allocated
				}
				return &TagError{Struct: name, Field: sf.Name,
					Problem: fmt.Sprintf("embedded pointer *%s is not flattened; embed the struct value, or tag it cass:\"-\"", ft.Elem().Name()), Err: ErrType}
			}
			if ft.Kind() == reflect.Struct && !isValueStruct(ft) {
				if err := walk(ft, path, depth+1, out); err != nil {
					return err
				}
				continue
			}
		}
		if !sf.IsExported() {
			if tagged {
				return &TagError{Struct: name, Field: sf.Name, Tag: tag,
					Problem: "the field is unexported, so its cass tag cannot take effect; export it or remove the tag", Err: ErrConflict}
			}
			continue
		}
		f, err := Parse(name, sf.Name, sf.Type, tag)
		if err != nil {
			return err
		}
		f.Index = path
		*out = append(*out, found{f: f, depth: depth})
	}
	return nil
}
