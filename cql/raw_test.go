package cql_test

import (
	"bytes"
	"testing"

	"github.com/cassa-go/cassa/cql"
)

// Raw values go on the wire as they are and come back as they were:
// Cassandra's marshal format of an int, the empty value, and null.
func TestRawValues(t *testing.T) {
	db, _ := openTest(t, cql.Config{}, `CREATE TABLE {ks}.raw (k int PRIMARY KEY, v int, w text)`)
	ctx := testCtx(t)
	seven := []byte{0, 0, 0, 7}
	if err := db.Exec(ctx, "INSERT INTO raw (k, v, w) VALUES (?, ?, ?)", &cql.RawValue{Bytes: []byte{0, 0, 0, 1}}, &cql.RawValue{Bytes: seven}, &cql.RawValue{Bytes: []byte{}}); err != nil {
		t.Fatal(err)
	}
	var v, w cql.RawDest
	if err := db.Scan(ctx, "SELECT v, w FROM raw WHERE k = 1", nil, &v, &w); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(v.Bytes, seven) || w.Bytes == nil || len(w.Bytes) != 0 {
		t.Errorf("v %x, w %x (nil %v)", v.Bytes, w.Bytes, w.Bytes == nil)
	}
	if err := db.Exec(ctx, "INSERT INTO raw (k, v, w) VALUES (1, ?, ?)", &cql.RawValue{}, cql.Unset); err != nil {
		t.Fatal(err)
	}
	if err := db.Scan(ctx, "SELECT v, w FROM raw WHERE k = 1", nil, &v, &w); err != nil {
		t.Fatal(err)
	}
	if v.Bytes != nil || len(w.Bytes) != 0 || w.Bytes == nil {
		t.Errorf("after null v and unset w: v %x, w %x (nil %v)", v.Bytes, w.Bytes, w.Bytes == nil)
	}
}
