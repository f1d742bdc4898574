package validate

import (
	"encoding/binary"
	"testing"
)

// comp is a composite name of components with end-of-component 0.
func comp(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = binary.BigEndian.AppendUint16(out, uint16(len(p)))
		out = append(append(out, p...), 0)
	}
	return out
}

// The names of a CQL table must decode as its cells
// (ThriftValidation.validateColumnNames, LegacyLayout.decodeCellName).
func TestCQLTableNames(t *testing.T) {
	one := []byte{0, 0, 0, 1}
	for _, tc := range []struct {
		name []byte
		why  string
	}{
		{comp(one, b("v")), ""},
		{comp(one, b("")), ""}, // the row marker
		{comp(one, b("l"), []byte{0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), ""},
		{append([]byte{0xff, 0xff}, comp(b(""), b("v"))...), ""},
		{comp(one), "Error validating cell name for CQL3 table CQLTable: No column name component found in cell name"},
		{comp(one, b("nope")), "Error validating cell name for CQL3 table CQLTable: Unknown column nope in table Keyspace1.CQLTable"},
		{comp(one, []byte{0xc3, 0x28}), "String didn't validate."}, // the comparator's check comes first
		{comp(one, b("c")), "Error validating cell name for CQL3 table CQLTable: Cannot add primary key column to partition update"},
		{comp(one, b("k")), "Error validating cell name for CQL3 table CQLTable: Cannot add primary key column to partition update"},
		{comp(one, b("v"), b("x")), "Invalid collection component, v is not a collection"},
	} {
		ire := CheckColumnNames(cqlTable, nil, [][]byte{tc.name})
		switch {
		case tc.why == "" && ire != nil:
			t.Errorf("%x: %v", tc.name, ire.Why)
		case tc.why != "" && (ire == nil || ire.Why != tc.why):
			t.Errorf("%x: %v, want %q", tc.name, ire, tc.why)
		}
	}
	if got := stringifyName([]byte{0xff, 0x01}); got != "ff01" {
		t.Errorf("stringify %q", got)
	}
}
