package migrate

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/internal/cqltype"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// moveMap says where each cell of a Thrift column family goes in a CQL
// table, as Cassandra itself maps a Thrift column family onto CQL
// (CompactTables, and the CompoundSparseCellNameType of 1.2 to 2.2):
//
// A cell's path is its super column name (super column families) and its
// column name, each split into components when its comparator is a
// CompositeType. The first components, one per clustering column of the
// table, are the clustering values. When one component is left, the layout
// is sparse: it names the column the value goes to (empty: the row marker,
// which makes the row exist; a composite name starting with 0xFFFF: a
// static column). When none is left, the layout is dense: every cell is a
// row and its value goes to the table's one regular column. So a static
// column family (UTF8Type names) becomes a table with columns, a wide row
// (TimeUUIDType names) a clustering column and a value, a composite
// comparator a clustering column per component, and a super column family
// a clustering column for the super column name, then one for the
// sub-column name (dense) or columns named by it (sparse).
type moveMap struct {
	table      string // qualified, quoted
	pk, ck     []string
	keyParts   bool // the row key is a CompositeType split into pk columns
	superParts int  // components of a super column name; 0: a standard column family
	superComp  bool
	nameParts  int
	nameComp   bool
	dense      bool
	value      string            // dense: the value column
	cols       map[string]string // sparse: column name -> quoted column
	statics    map[string]bool   // static columns, by name
	tuples     map[string]int    // quoted column -> tuple components
}

// MoveMapError says why a Thrift column family cannot be copied into a CQL
// table: their shapes or key types do not match.
type MoveMapError struct {
	ColumnFamily, Table string
	Msg                 string
}

// Error names the column family, the table and the reason.
func (e *MoveMapError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("migrate: cannot move column family %s into table %s: %s", e.ColumnFamily, e.Table, e.Msg)
}

// components is how many parts a name of type t has.
func components(t codec.Type) (int, bool) {
	if c, ok := t.(*codec.CompositeType); ok {
		return len(c.Components()), true
	}
	return 1, false
}

// componentTypes lists the types of a name's parts.
func componentTypes(t codec.Type) []codec.Type {
	if c, ok := t.(*codec.CompositeType); ok {
		return c.Components()
	}
	return []codec.Type{t}
}

// newMoveMap checks that cf fits t and describes how.
func newMoveMap(cf *tg.CfDef, t *cql.Table) (*moveMap, error) {
	bad := func(format string, a ...any) error {
		return &MoveMapError{ColumnFamily: cf.Name, Table: t.Name, Msg: fmt.Sprintf(format, a...)}
	}
	parse := func(what, class string) (codec.Type, error) {
		if class == "" {
			return codec.Bytes, nil
		}
		ty, err := codec.Parse(class)
		if err != nil {
			return nil, bad("%s %s: %v", what, class, err)
		}
		return ty, nil
	}
	if cf.DefaultValidationClass != nil && strings.HasSuffix(*cf.DefaultValidationClass, "CounterColumnType") {
		return nil, bad("counter column families are not moved (a counter cannot be written at a given timestamp, so a copy could not be repeated safely)")
	}
	m := &moveMap{
		table: codec.MaybeQuote(t.Keyspace) + "." + codec.MaybeQuote(t.Name),
		cols:  map[string]string{}, statics: map[string]bool{}, tuples: map[string]int{},
	}
	types := map[string]string{}
	for _, c := range t.Columns {
		types[c.Name] = cqltype.Canon(c.Type)
	}
	// A key or clustering component goes to a column of the same type, or
	// of any type from BytesType (Cassandra checks the bytes on write).
	fits := func(what string, ty codec.Type, col string) error {
		from := cqltype.Canon(codec.CQLName(ty))
		if to := types[col]; from != to && from != "blob" {
			return bad("%s is %s, column %s is %s", what, from, col, to)
		}
		return nil
	}
	keyType, err := parse("key validation", deref(cf.KeyValidationClass))
	if err != nil {
		return nil, err
	}
	for _, k := range t.PartitionKey {
		m.pk = append(m.pk, codec.MaybeQuote(k))
	}
	if len(t.PartitionKey) == 0 {
		return nil, bad("the table has no partition key")
	}
	if len(t.PartitionKey) > 1 {
		kc, ok := keyType.(*codec.CompositeType)
		if !ok || len(kc.Components()) != len(t.PartitionKey) {
			return nil, bad("the table's partition key has %d columns, the row key (%s) is not a CompositeType of as many", len(t.PartitionKey), keyType.Class())
		}
		for i, ct := range kc.Components() {
			if err := fits(fmt.Sprintf("row key component %d", i), ct, t.PartitionKey[i]); err != nil {
				return nil, err
			}
		}
		m.keyParts = true
	} else if err := fits("the row key", keyType, t.PartitionKey[0]); err != nil {
		return nil, err
	}

	comparator, err := parse("comparator", cf.ComparatorType)
	if err != nil {
		return nil, err
	}
	var path []codec.Type
	if cf.ColumnType == "Super" {
		sub, err := parse("subcomparator", deref(cf.SubcomparatorType))
		if err != nil {
			return nil, err
		}
		m.superParts, m.superComp = components(comparator)
		m.nameParts, m.nameComp = components(sub)
		path = append(componentTypes(comparator), componentTypes(sub)...)
	} else {
		m.nameParts, m.nameComp = components(comparator)
		path = componentTypes(comparator)
	}
	for i, c := range t.Clustering {
		m.ck = append(m.ck, codec.MaybeQuote(c.Name))
		if i < len(path) {
			if err := fits(fmt.Sprintf("name component %d", i), path[i], c.Name); err != nil {
				return nil, err
			}
		}
	}
	var regular []string
	keys := map[string]bool{}
	for _, k := range t.PartitionKey {
		keys[k] = true
	}
	for _, c := range t.Clustering {
		keys[c.Name] = true
	}
	for _, c := range t.Columns {
		if keys[c.Name] {
			continue
		}
		q := codec.MaybeQuote(c.Name)
		m.cols[c.Name] = q
		if c.Static {
			m.statics[c.Name] = true
		} else {
			regular = append(regular, c.Name)
		}
		if ty, err := cqltype.Parse(c.Type); err == nil && ty.Kind == "tuple" {
			m.tuples[q] = len(ty.Params)
		}
	}
	switch len(path) - len(t.Clustering) {
	case 1:
	case 0:
		if len(regular) != 1 || len(m.statics) > 0 {
			return nil, bad("each of its cells is a row (its names have %d components for %d clustering columns), so the table needs exactly one regular column for the value, and has %d", len(path), len(t.Clustering), len(regular))
		}
		m.dense, m.value = true, codec.MaybeQuote(regular[0])
	default:
		return nil, bad("its names have %d components (super column name and column name, composites split): the table needs %d or %d clustering columns, and has %d",
			len(path), len(path)-1, len(path), len(t.Clustering))
	}
	return m, nil
}

// splitComposite splits a CompositeType name into its n components; a
// name starting with the static marker 0xFFFF is a static column's.
func splitComposite(b []byte, n int) (parts [][]byte, static bool, err error) {
	if len(b) >= 2 && b[0] == 0xff && b[1] == 0xff {
		static, b = true, b[2:]
	}
	for len(b) > 0 {
		if len(b) < 3 {
			return nil, false, fmt.Errorf("composite name: %w", codec.ErrMalformed)
		}
		l := int(binary.BigEndian.Uint16(b))
		if len(b) < 3+l {
			return nil, false, fmt.Errorf("composite name: %w", codec.ErrMalformed)
		}
		parts = append(parts, b[2:2+l])
		b = b[3+l:]
	}
	if len(parts) > n {
		return nil, false, fmt.Errorf("composite name of %d components, want at most %d: %w", len(parts), n, codec.ErrMalformed)
	}
	return parts, static, nil
}

// splitKey gives the partition key values of a row key.
func (m *moveMap) splitKey(key []byte) ([][]byte, error) {
	if !m.keyParts {
		return [][]byte{key}, nil
	}
	parts, _, err := splitComposite(key, len(m.pk))
	if err != nil {
		return nil, fmt.Errorf("row key %x: %w", key, err)
	}
	if len(parts) != len(m.pk) {
		return nil, fmt.Errorf("row key %x has %d components, want %d: %w", key, len(parts), len(m.pk), codec.ErrMalformed)
	}
	return parts, nil
}

// path splits a cell's super column name (nil in a standard column
// family) and name into components, telling whether it is a static
// column's.
func (m *moveMap) path(super, name []byte) ([][]byte, bool, error) {
	var out [][]byte
	static := false
	add := func(b []byte, n int, comp bool) error {
		if !comp {
			out = append(out, b)
			return nil
		}
		parts, st, err := splitComposite(b, n)
		if err != nil {
			return err
		}
		static = static || st
		out = append(out, parts...)
		return nil
	}
	if m.superParts > 0 {
		if err := add(super, m.superParts, m.superComp); err != nil {
			return nil, false, err
		}
	}
	if err := add(name, m.nameParts, m.nameComp); err != nil {
		return nil, false, err
	}
	return out, static, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
