package validate

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"unicode/utf8"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

// MaxKeyLength and MaxNameLength are FBUtilities.MAX_UNSIGNED_SHORT and
// Cell.MAX_NAME_LENGTH: row keys, column names and slice bounds are written
// with a 2-byte length.
const (
	MaxKeyLength  = 65535
	MaxNameLength = 65535
)

// CheckKey is validateKey: non-empty, at most 65535 bytes, and valid for
// the table's key_validation_class.
func CheckKey(t *schema.Table, key []byte) *thriftgen.InvalidRequestException {
	if len(key) == 0 {
		return Invalid("Key may not be empty")
	}
	if len(key) > MaxKeyLength {
		return invalidf("Key length of %d is longer than maximum of %d", len(key), MaxKeyLength)
	}
	return validateWith(t.KeyValidator, key)
}

// comparatorFor is SuperColumns.getComparatorFor: inside a super column of
// a super table names use the subcomparator; everywhere else (super column
// names, standard tables) the comparator.
func comparatorFor(t *schema.Table, sub bool) codec.Type {
	if t.Super && sub {
		return t.SubComparator
	}
	return t.Comparator
}

// CheckColumnNames is validateColumnNames: superColumn, when non-nil, is
// the super column the names live in (checked for length, emptiness and
// the table being super); each name must be 1..65535 bytes and valid for
// the comparator that applies.
func CheckColumnNames(t *schema.Table, superColumn []byte, names [][]byte) *thriftgen.InvalidRequestException {
	if superColumn != nil {
		if len(superColumn) > MaxNameLength {
			return invalidf("supercolumn name length must not be greater than %d", MaxNameLength)
		}
		if len(superColumn) == 0 {
			return Invalid("supercolumn name must not be empty")
		}
		if !t.Super {
			return invalidf("supercolumn specified to table %s containing normal columns", t.Name)
		}
	}
	cmp := comparatorFor(t, superColumn != nil)
	for _, name := range names {
		if len(name) > MaxNameLength {
			return invalidf("column name length must not be greater than %d", MaxNameLength)
		}
		if len(name) == 0 {
			return Invalid("column name must not be empty")
		}
		if ire := validateWith(cmp, name); ire != nil {
			return ire
		}
		if t.IsCQLTable() {
			if ire := checkCQLCellName(t, name); ire != nil {
				return ire
			}
		}
	}
	return nil
}

// checkCQLCellName is the part of validateColumnNames that 3.11 applies to
// the names of a CQL table (not isThriftCompatible): the name must decode
// as a cell of the table (LegacyLayout.decodeCellName): its clustering
// values, then the name of a regular or static column (or the empty name
// of a row marker), then an element only for a collection. The comparator
// has already checked the composite's shape and its components' types.
func checkCQLCellName(t *schema.Table, name []byte) *thriftgen.InvalidRequestException {
	wrap := func(format string, args ...any) *thriftgen.InvalidRequestException {
		return invalidf("Error validating cell name for CQL3 table %s: %s", t.Name, fmt.Sprintf(format, args...))
	}
	comps := compositeComponents(name)
	n := len(t.Clustering)
	if len(comps) <= n {
		if len(t.Statics)+len(t.Regulars) == 0 {
			return nil // a row marker of a table with key columns only
		}
		return wrap("No column name component found in cell name")
	}
	column := comps[n]
	if len(column) == 0 {
		return nil // the row marker
	}
	var def *schema.ColumnDefinition
	for _, c := range t.AllColumns() {
		if bytes.Equal(c.NameBytes, column) {
			def = c
			break
		}
	}
	switch {
	case def == nil:
		return wrap("Unknown column %s in table %s.%s", stringifyName(column), t.Keyspace, t.Name)
	case def.Kind == schema.PartitionKey || def.Kind == schema.Clustering:
		return wrap("Cannot add primary key column to partition update")
	}
	if len(comps) > n+1 {
		if _, ok := def.Type.(*codec.CollectionType); !ok {
			return invalidf("Invalid collection component, %s is not a collection", def.Name)
		}
	}
	return nil
}

// compositeComponents splits a composite name into its component values
// (a leading static marker is dropped); it stops at the first component
// that does not fit.
func compositeComponents(name []byte) [][]byte {
	if len(name) >= 2 && name[0] == 0xff && name[1] == 0xff {
		name = name[2:]
	}
	var out [][]byte
	for len(name) >= 3 {
		n := int(binary.BigEndian.Uint16(name))
		if len(name) < 3+n {
			break
		}
		out = append(out, name[2:2+n])
		name = name[3+n:]
	}
	return out
}

// stringifyName is UnknownColumnException.stringify: the name as UTF-8,
// or in hex when it is not.
func stringifyName(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return hex.EncodeToString(b)
}

// CheckColumnPath is validateColumnPath, the rules for a path that names
// what to read (get) or a cell inside a mutation.
func CheckColumnPath(t *schema.Table, path *thriftgen.ColumnPath) *thriftgen.InvalidRequestException {
	if path == nil {
		return missing("column_path")
	}
	if !t.Super {
		if path.SuperColumn != nil {
			return invalidf("supercolumn parameter is invalid for standard CF %s", t.Name)
		}
		if path.Column == nil {
			return invalidf("column parameter is not optional for standard CF %s", t.Name)
		}
	} else if path.SuperColumn == nil {
		return invalidf("supercolumn parameter is not optional for super CF %s", t.Name)
	}
	return checkPathNames(t, path.SuperColumn, path.Column)
}

// checkPathNames is the name part shared by the two ColumnPath checks:
// the column inside its super column, then the super column as a name.
func checkPathNames(t *schema.Table, superColumn, column []byte) *thriftgen.InvalidRequestException {
	if column != nil {
		if ire := CheckColumnNames(t, superColumn, [][]byte{column}); ire != nil {
			return ire
		}
	}
	if superColumn != nil {
		return CheckColumnNames(t, nil, [][]byte{superColumn})
	}
	return nil
}

// CheckColumnParent is validateColumnParent.
func CheckColumnParent(t *schema.Table, parent *thriftgen.ColumnParent) *thriftgen.InvalidRequestException {
	if parent == nil {
		return missing("column_parent")
	}
	if !t.Super && parent.SuperColumn != nil {
		return invalidf("table alone is required for standard CF %s", t.Name)
	}
	if parent.SuperColumn != nil {
		return CheckColumnNames(t, nil, [][]byte{parent.SuperColumn})
	}
	return nil
}

// CheckRemovePath is validateColumnPathOrParent, the rules for remove and
// remove_counter, where the column is optional even on a standard table.
func CheckRemovePath(t *schema.Table, path *thriftgen.ColumnPath) *thriftgen.InvalidRequestException {
	if path == nil {
		return missing("column_path")
	}
	if !t.Super && path.SuperColumn != nil {
		return invalidf("supercolumn may not be specified for standard CF %s", t.Name)
	}
	if t.Super && path.SuperColumn == nil && path.Column != nil {
		return invalidf("A column cannot be specified without specifying a super column for removal on super CF %s", t.Name)
	}
	return checkPathNames(t, path.SuperColumn, path.Column)
}
