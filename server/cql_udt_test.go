package server_test

import (
	"bytes"
	"reflect"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// address is a user type value as gocql maps one onto a struct.
type address struct {
	Street string `cql:"street"`
	City   string `cql:"city"`
	Zip    int    `cql:"zip"`
}

// CREATE, ALTER and DROP TYPE (CreateTypeStatement, AlterTypeStatement,
// DropTypeStatement) and their messages.
func TestCQLUserTypeDDL(t *testing.T) {
	_, s := typesSession(t)
	mustExec(t, s, "CREATE TYPE addr (street text, city text)")
	mustExec(t, s, "CREATE TYPE IF NOT EXISTS addr (x int)")
	for _, tt := range []struct {
		code   int
		q, msg string
	}{
		{0x2200, "CREATE TYPE addr (x int)", "A user type of name ks.addr already exists"},
		{0x2200, "CREATE TYPE nope.u (a int)", "Cannot add type in unknown keyspace nope"},
		{0x2200, "CREATE TYPE c (a counter)", "A user type cannot contain counters"},
		{0x2200, "CREATE TYPE d (a int, a text)", "Duplicate field name a in type d"},
		{0x2200, "CREATE TYPE w (a addr)", "A user type cannot contain non-frozen UDTs"},
		{0x2000, "CREATE TYPE byte (a int)", "Invalid (reserved) user type name byte"},
		{0x2200, "ALTER TYPE addr ALTER city TYPE blob", "Altering of types is not allowed"},
		{0x2200, "ALTER TYPE addr ADD city int", "Cannot add new field city to type ks.addr: a field of the same name already exists"},
		{0x2200, "ALTER TYPE nope ADD a int", "No user type named ks.nope exists."},
		{0x2200, "ALTER TYPE addr RENAME nope TO x", "Unknown field nope in type ks.addr"},
		{0x2200, "DROP TYPE nope", "No user type named ks.nope exists."},
		{0x2200, "CREATE TABLE t (k int PRIMARY KEY, a nope)", "Unknown type ks.nope"},
	} {
		expectError(t, s, tt.code, tt.msg, tt.q)
	}
	mustExec(t, s, "DROP TYPE IF EXISTS nope")
	mustExec(t, s, "CREATE TYPE wrap (a frozen<addr>, n int)")
	mustExec(t, s, "CREATE TABLE t (k int PRIMARY KEY, a addr)")
	expectInvalid(t, s, "Cannot drop user type ks.addr as it is still used by user type wrap", "DROP TYPE addr")
	mustExec(t, s, "DROP TYPE wrap")
	expectInvalid(t, s, "Cannot drop user type ks.addr as it is still used by table ks.t", "DROP TYPE addr")
	mustExec(t, s, "CREATE TYPE nest (l list<int>)")
	expectInvalid(t, s, "Non-frozen UDTs with nested non-frozen collections are not supported", "CREATE TABLE bad (k int PRIMARY KEY, n nest)")
	mustExec(t, s, "CREATE TABLE good (k int PRIMARY KEY, n frozen<nest>)")

	// ALTER TYPE ADD: stored values lack the new field, which reads as
	// null; RENAME keeps the values (fields are stored by position).
	mustExec(t, s, "INSERT INTO t (k, a) VALUES (0, {street: 's', city: 'c'})")
	mustExec(t, s, "ALTER TYPE addr ADD zip int")
	expectText(t, s, `{"street": "s", "city": "c", "zip": null}`, "SELECT toJson(a) FROM t WHERE k = 0")
	mustExec(t, s, "UPDATE t SET a.zip = 75 WHERE k = 0")
	mustExec(t, s, "ALTER TYPE addr RENAME city TO town")
	expectText(t, s, `{"street": "s", "town": "c", "zip": 75}`, "SELECT toJson(a) FROM t WHERE k = 0")
	expectText(t, s, "c", "SELECT a.town FROM t WHERE k = 0")
}

// Frozen and non-frozen user type values: literals, the driver's values
// (structs and maps), field selection, field updates and deletions.
func TestCQLUserTypeValues(t *testing.T) {
	_, s := typesSession(t)
	mustExec(t, s, "CREATE TYPE addr (street text, city text, zip int)")
	mustExec(t, s, "CREATE TABLE t (k int PRIMARY KEY, a addr, fa frozen<addr>, v int)")
	mustExec(t, s, "INSERT INTO t (k, a, fa) VALUES (?, ?, ?)", 0, map[string]any{"city": "paris", "zip": 75}, address{Street: "main", Zip: 1})
	var a, fa address
	if err := s.Query("SELECT a, fa FROM t WHERE k = 0").Scan(&a, &fa); err != nil {
		t.Fatal(err)
	}
	if a != (address{City: "paris", Zip: 75}) || fa != (address{Street: "main", Zip: 1}) {
		t.Errorf("a = %+v, fa = %+v", a, fa)
	}
	// Field by field, each a cell of its own (UserTypes.SetterByField,
	// DeleterByField).
	mustExec(t, s, "UPDATE t SET a.street = ?, a.zip = null WHERE k = 0", "quai")
	mustExec(t, s, "DELETE a.city FROM t WHERE k = 0")
	var street, city *string
	var zip *int
	if err := s.Query("SELECT a.street, a.city, a.zip FROM t WHERE k = 0").Scan(&street, &city, &zip); err != nil {
		t.Fatal(err)
	}
	if street == nil || *street != "quai" || city != nil || zip != nil {
		t.Errorf("fields %v %v %v", street, city, zip)
	}
	cols := s.Query("SELECT a.street, fa.zip AS z FROM t WHERE k = 0").Iter()
	if got := []string{cols.Columns()[0].Name, cols.Columns()[1].Name}; !reflect.DeepEqual(got, []string{"a.street", "z"}) {
		t.Errorf("column names %v", got)
	}
	_ = cols.Close()
	// A row made only of fields lives while one field does.
	mustExec(t, s, "UPDATE t SET a.zip = 3 WHERE k = 1")
	expectText(t, s, `{"street": null, "city": null, "zip": 3}`, "SELECT toJson(a) FROM t WHERE k = 1")
	mustExec(t, s, "DELETE a.zip FROM t WHERE k = 1")
	expectText(t, s, "", "SELECT toJson(a) FROM t WHERE k = 1")
	// A whole value replaces every field.
	mustExec(t, s, "UPDATE t SET a = {city: 'x'} WHERE k = 0")
	expectText(t, s, `{"street": null, "city": "x", "zip": null}`, "SELECT toJson(a) FROM t WHERE k = 0")

	for _, tt := range []struct{ q, msg string }{
		{"UPDATE t SET a.nope = 1 WHERE k = 0", "UDT column a does not have a field named nope"},
		{"UPDATE t SET fa.zip = 1 WHERE k = 0", "Invalid operation (fa.zip = 1) for frozen UDT column fa"},
		{"UPDATE t SET v.zip = 1 WHERE k = 0", "Invalid operation (v.zip = 1) for non-UDT column v"},
		{"DELETE fa.zip FROM t WHERE k = 0", "Frozen UDT column fa does not support field deletions"},
		{"DELETE v.zip FROM t WHERE k = 0", "Invalid field deletion operation for non-UDT column v"},
		{"DELETE a.nope FROM t WHERE k = 0", "UDT column a does not have a field named nope"},
		{"SELECT v.zip FROM t", "Invalid field selection: v of type int is not a user type"},
		{"SELECT a.nope FROM t", "a of type addr has no field nope"},
		{"INSERT INTO t (k, fa) VALUES (0, {nope: 1})", "Unknown field 'nope' in value of user defined type addr"},
		{"INSERT INTO t (k, fa) VALUES (0, {zip: 'x'})", "Invalid user type literal for fa: field zip is not of type int"},
		{"UPDATE t SET a.zip = 'x' WHERE k = 0", `Invalid STRING constant (x) for "a.zip" of type int`},
	} {
		expectInvalid(t, s, tt.msg, tt.q)
	}
}

// blobOf keeps a column's bytes as the server sent them.
type blobOf []byte

func (b *blobOf) UnmarshalCQL(_ gocql.TypeInfo, data []byte) error {
	*b = append((*b)[:0], data...)
	return nil
}

// A user type literal holds every field of the type, a missing one as
// null (UserTypes.Literal.prepare fills in NULL_LITERAL), in a frozen
// value as in a field of a non-frozen one.
func TestCQLUserTypeLiteralMissingFields(t *testing.T) {
	_, s := typesSession(t)
	mustExec(t, s, "CREATE TYPE pt (x int, y int, z int)")
	mustExec(t, s, "CREATE TABLE u (k int PRIMARY KEY, f frozen<pt>)")
	mustExec(t, s, "INSERT INTO u (k, f) VALUES (1, {y: 2})")
	var got blobOf
	if err := s.Query("SELECT f FROM u WHERE k = 1").Scan(&got); err != nil {
		t.Fatal(err)
	}
	want := []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 4, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xff}
	if !bytes.Equal(got, want) {
		t.Errorf("{y: 2} as frozen<pt> = %x, want %x", []byte(got), want)
	}
}
