package server

import (
	"testing"
)

func TestJavaRequiredFieldMessage(t *testing.T) {
	for _, tc := range []struct{ method, in, want string }{
		{"get", "Required field ColumnPath is not set", "Required field 'column_path' was not present! Struct: get_args"},
		{"get", "Required field Key is not set", "Required field 'key' was not present! Struct: get_args"},
		{"remove", "Required field Timestamp is not set", "Required field 'timestamp' was not found in serialized data! Struct: remove_args"},
		{"get_slice", "*thriftgen.SlicePredicate error reading struct: *thriftgen.SliceRange error reading struct: Required field Count is not set",
			"Required field 'count' was not found in serialized data! Struct: SliceRange"},
		{"system_add_keyspace", "*thriftgen.KsDef error reading struct: Required field CfDefs is not set", "Required field 'cf_defs' was not present! Struct: KsDef"},
		{"execute_prepared_cql_query", "Required field ItemId is not set", "Required field 'itemId' was not found in serialized data! Struct: execute_prepared_cql_query_args"},
		{"get", "something else", "something else"},
	} {
		if got := javaRequiredFieldMessage(tc.method, tc.in); got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}
