package cqlquery

import (
	"strings"
	"testing"

	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// createType runs a CREATE TYPE in keyspace ks.
func (f *fixture) createType(cql string) {
	f.t.Helper()
	p, err := cqlparse.Parse(cql)
	if err != nil {
		f.t.Fatalf("%s: %v", cql, err)
	}
	st := p.Statement.(*cqlparse.CreateTypeStmt)
	ct := schema.CreateType{Keyspace: "ks", Name: st.Type.Name.Name}
	for _, fd := range st.Fields {
		raw, err := schema.ParseRawType(cqlparse.FormatType(fd.Type))
		if err != nil {
			f.t.Fatal(err)
		}
		ct.FieldNames = append(ct.FieldNames, fd.Name.Name)
		ct.FieldTypes = append(ct.FieldTypes, raw)
	}
	if _, err := f.schema.CreateType(ct); err != nil {
		f.t.Fatalf("%s: %v", cql, err)
	}
}

// cell renders the single value of a one-row, one-column result.
func (f *fixture) cell(cql string, args ...any) string {
	f.t.Helper()
	r := f.exec(cql, args...)
	if len(r.Rows) != 1 || len(r.Rows[0]) != 1 {
		f.t.Fatalf("%s: %d rows", cql, len(r.Rows))
	}
	if r.Rows[0][0] == nil {
		return "null"
	}
	return string(r.Rows[0][0])
}

// Non-frozen user types (3.6+): field cells written and deleted one by
// one (UserTypes.SetterByField, DeleterByField), field selection
// (Selectable.WithFieldSelection) and their messages (Operation.SetField,
// Operation.FieldDeletion).
func TestUserTypeFields(t *testing.T) {
	f := newFixture(t)
	f.createType("CREATE TYPE addr (street text, city text, zip int)")
	f.ddl("CREATE TABLE t (k int PRIMARY KEY, a addr, fa frozen<addr>, v int)")
	f.exec("INSERT INTO t (k, a, fa) VALUES (0, {street: 'main', zip: 1}, {city: 'x'})")
	f.expect("main null 1 null x", "SELECT a.street, a.city, a.zip, fa.street, fa.city FROM t")
	f.exec("UPDATE t SET a.city = 'paris', a.zip = null WHERE k = 0")
	f.expect("main paris null", "SELECT a.street, a.city, a.zip FROM t")
	f.exec("DELETE a.street FROM t WHERE k = 0")
	f.expect("null paris null", "SELECT a.street, a.city, a.zip FROM t")
	// A field update keeps the others; a whole value replaces all of them.
	f.exec("UPDATE t SET a = {zip: 2} WHERE k = 0")
	f.expect("null null 2", "SELECT a.street, a.city, a.zip FROM t")
	// Fields alone keep an UPDATE-made row alive.
	f.exec("UPDATE t SET a.city = 'rome' WHERE k = 1")
	f.expect("1 null rome null", "SELECT k, a.street, a.city, a.zip FROM t WHERE k = 1")
	f.exec("DELETE a.city FROM t WHERE k = 1")
	f.expect("", "SELECT k FROM t WHERE k = 1")
	// Bound values: a field, and a whole value with fewer fields.
	f.exec("UPDATE t SET a.street = ? WHERE k = 2", "quai")
	f.exec("UPDATE t SET a.zip = ?, a.city = ? WHERE k = 2", unset, nil)
	f.expect("quai null null", "SELECT a.street, a.city, a.zip FROM t WHERE k = 2")
	// writetime() and ttl() of a non-frozen user type are null in 3.11.
	f.expect("null null", "SELECT writetime(a), ttl(a) FROM t WHERE k = 2")
	column := "Invalid field selection: v of type int is not a user type"
	for _, tt := range []struct{ q, msg string }{
		{"UPDATE t SET a.nope = 1 WHERE k = 0", "UDT column a does not have a field named nope"},
		{"DELETE a.nope FROM t WHERE k = 0", "UDT column a does not have a field named nope"},
		{"UPDATE t SET fa.city = 'x' WHERE k = 0", "Invalid operation (fa.city = 'x') for frozen UDT column fa"},
		{"DELETE fa.city FROM t WHERE k = 0", "Frozen UDT column fa does not support field deletions"},
		{"UPDATE t SET v.city = 'x' WHERE k = 0", "Invalid operation (v.city = 'x') for non-UDT column v"},
		{"DELETE v.city FROM t WHERE k = 0", "Invalid field deletion operation for non-UDT column v"},
		{"UPDATE t SET a.zip = 'x' WHERE k = 0", `Invalid STRING constant (x) for "a.zip" of type int`},
		{"SELECT v.x FROM t", column},
		{"SELECT a.nope FROM t", "a of type addr has no field nope"},
		{"SELECT fa.nope FROM t", "fa of type frozen<addr> has no field nope"},
		{"INSERT INTO t (k, a) VALUES (0, {nope: 1})", "Unknown field 'nope' in value of user defined type addr"},
		{"INSERT INTO t (k, a) VALUES (0, {zip: 'x'})", "Invalid user type literal for a: field zip is not of type int"},
		{"INSERT INTO t (k, a) VALUES (0, [1])", "Invalid list literal for a of type addr"},
		{"SELECT * FROM t WHERE a = {zip: 1} ALLOW FILTERING", "Non-frozen UDT column 'a' (addr) cannot be restricted by any relation"},
	} {
		f.fail(tt.msg, tt.q)
	}
	_, err := f.prepare("UPDATE t SET a = {zip: 1}, a.zip = 2 WHERE k = 0")
	if err == nil || !strings.Contains(err.Error(), "Multiple incompatible setting of column a") {
		t.Errorf("whole value and field: %v", err)
	}
	if _, err := f.prepare("UPDATE t SET a.zip = 1, a.city = 'x' WHERE k = 0"); err != nil {
		t.Errorf("two fields: %v", err)
	}
	// The bind metadata names a field's marker "a.zip".
	st, err := f.prepare("UPDATE t SET a.zip = ? WHERE k = ?")
	if err != nil {
		t.Fatal(err)
	}
	if got := st.BindColumns[0].Name; got != "a.zip" {
		t.Errorf("field marker named %q", got)
	}
}

// Tuples: literals with markers, frozen by nature, in keys, and their
// messages (Tuples.Literal).
func TestTuples(t *testing.T) {
	f := newFixture(t)
	f.ddl("CREATE TABLE t (k frozen<tuple<int, text>>, c tuple<int, int>, v tuple<int, text, frozen<list<int>>>, PRIMARY KEY (k, c))")
	f.exec("INSERT INTO t (k, c, v) VALUES ((1, 'a'), (2, 3), (4, 'b', [5]))")
	f.exec("INSERT INTO t (k, c, v) VALUES ((1, 'a'), (2, ?), (?, null))", 4, 9)
	f.expect(`[1, "a"] [2, 3] [4, "b", [5]] | [1, "a"] [2, 4] [9, null, null]`,
		"SELECT toJson(k), toJson(c), toJson(v) FROM t WHERE k = (1, 'a')")
	f.expect(`[2, 4]`, "SELECT toJson(c) FROM t WHERE k = (1, 'a') AND c > (2, 3)")
	for _, tt := range []struct{ q, msg string }{
		{"INSERT INTO t (k, c, v) VALUES ((1, 'a', 2), (1, 1), null)", "Invalid tuple literal for k: too many elements. Type frozen<tuple<int, text>> expects 2 but got 3"},
		{"INSERT INTO t (k, c, v) VALUES ((1, 2), (1, 1), null)", "Invalid tuple literal for k: component 1 is not of type text"},
		{"INSERT INTO t (k, c, v) VALUES (1, (1, 1), null)", `Invalid INTEGER constant (1) for "k" of type frozen<tuple<int, text>>`},
	} {
		f.fail(tt.msg, tt.q)
	}
	st, err := f.prepare("INSERT INTO t (k, c, v) VALUES ((?, 'a'), ?, null)")
	if err != nil {
		t.Fatal(err)
	}
	if got := st.BindColumns[0].Name + " " + st.BindColumns[1].Name; got != "k[0] c" {
		t.Errorf("tuple component markers named %q", got)
	}
}
