package tags

// NullMode says what a write does with a field's empty value. A nil
// pointer (and a nil interface, a nil net.IP, an invalid netip.Addr, an
// empty tuple) is always empty. A zero value is empty in a field tagged
// omitempty (for a pointer field, a pointer to a zero value too), and in a
// field that cannot be nil tagged null=skip or null=delete; otherwise it
// is a value like any other.
//
// The tag option null= chooses it field by field; without one a field
// takes the choice of the call or of the mapper (orm.Nulls), else
// NullSkip. The same choices serve Thrift and CQL: skipping sends
// nothing (CQL: an unset value, no tombstone), deleting writes a deletion
// of the column (CQL: null, a tombstone).
type NullMode uint8

const (
	// NullDefault is a field without null=: the call's or the mapper's
	// choice applies, else NullSkip.
	NullDefault NullMode = iota
	// NullSkip leaves the column as it was: an empty value is not written,
	// and a re-inserted instance keeps the column's old value. It is the
	// default.
	NullSkip
	// NullDelete deletes the column: re-inserting an instance whose field
	// is empty clears it, as cqlengine's None and gocqlx's nil do.
	NullDelete
	// NullWrite writes every value as it is: no value is empty, zero
	// values are written, and a nil is written as null, a deletion.
	NullWrite
)

var nullNames = [...]string{NullDefault: "default", NullSkip: "skip", NullDelete: "delete", NullWrite: "write"}

// String is the mode as null= spells it ("default" for NullDefault).
func (m NullMode) String() string {
	if int(m) < len(nullNames) {
		return nullNames[m]
	}
	return "NullMode(?)"
}

// parseNull reads the value of null=.
func parseNull(s string) (NullMode, bool) {
	for m, n := range nullNames {
		if m > 0 && n == s {
			return NullMode(m), true
		}
	}
	return NullDefault, false
}
