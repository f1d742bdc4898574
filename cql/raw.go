package cql

import (
	gocql "github.com/apache/cassandra-gocql-driver/v2"
	"github.com/cassa-go/cassa"
)

// RawValue is a bound value already in Cassandra's marshal format for its
// column (a mapper's packed field, a Thrift cell being copied): its bytes
// go on the wire unchanged, whatever the column's type; nil Bytes binds
// null, empty Bytes the empty value. Bind a pointer, which the driver
// takes without a copy.
type RawValue struct{ Bytes []byte }

// MarshalCQL returns the bytes; a nil *RawValue binds null.
func (v *RawValue) MarshalCQL(gocql.TypeInfo) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	return v.Bytes, nil
}

// RawDest is a scan destination that keeps a result value's bytes in
// Cassandra's marshal format (nil for null). They live in the page the
// driver read, so use or copy them before the next row.
type RawDest struct{ Bytes []byte }

// UnmarshalCQL keeps the bytes.
func (d *RawDest) UnmarshalCQL(_ gocql.TypeInfo, data []byte) error {
	if d == nil {
		return &cassa.ArgumentError{Func: "cql.RawDest.UnmarshalCQL", Arg: "*cql.RawDest", Why: "is nil"}
	}
	d.Bytes = data
	return nil
}

// Unset is the value of a bind marker left unset (native protocol v4 and
// later): the column is neither written nor deleted.
var Unset any = gocql.UnsetValue
