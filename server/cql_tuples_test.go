package server_test

import (
	"encoding/binary"
	"testing"

	"github.com/datastax/go-cassandra-native-protocol/datatype"
	"github.com/datastax/go-cassandra-native-protocol/message"
)

// tupleBytes serializes a tuple or user type value: each component as an
// int32 length and its bytes, -1 for null.
func tupleBytes(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		if p == nil {
			out = binary.BigEndian.AppendUint32(out, 0xFFFFFFFF)
			continue
		}
		out = binary.BigEndian.AppendUint32(out, uint32(len(p)))
		out = append(out, p...)
	}
	return out
}

func int32Bytes(v int32) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }

// Tuples are frozen by nature (Tuples, TupleType): literals with bound
// components, tuples in keys with slices on them, and bound tuple values,
// which gocql v2.1.2 cannot send in a prepared statement, sent on the
// wire as the native protocol carries them.
func TestCQLTuples(t *testing.T) {
	srv, s := typesSession(t)
	mustExec(t, s, "CREATE TABLE tp (k frozen<tuple<int, text>>, c tuple<int, int>, v tuple<int, text, frozen<list<int>>>, PRIMARY KEY (k, c))")
	mustExec(t, s, "INSERT INTO tp (k, c, v) VALUES ((1, 'a'), (2, 3), (4, 'b', [5]))")
	mustExec(t, s, "INSERT INTO tp (k, c, v) VALUES ((1, 'a'), (2, ?), (?, null))", 4, 9)
	expectText(t, s, `{"c": [2, 3], "v": [4, "b", [5]]} | {"c": [2, 4], "v": [9, null, null]}`, "SELECT JSON c, v FROM tp WHERE k = (1, 'a')")
	var x, y int
	if err := s.Query("SELECT c FROM tp WHERE k = (1, 'a') AND c > (2, 3)").Scan(&x, &y); err != nil || x != 2 || y != 4 {
		t.Errorf("c = (%d, %d), %v", x, y, err)
	}
	expectInvalid(t, s, "Invalid tuple literal for k: too many elements. Type frozen<tuple<int, text>> expects 2 but got 3", "INSERT INTO tp (k, c) VALUES ((1, 'a', 2), (1, 1))")
	expectInvalid(t, s, "Invalid tuple literal for k: component 1 is not of type text", "INSERT INTO tp (k, c) VALUES ((1, 2), (1, 1))")

	// Bound tuple values on the wire: fewer components than the type are
	// allowed (the rest are null), more are refused.
	c := dialNative(t, srv.CQLAddr(), nil)
	if m := c.query("INSERT INTO ks.tp (k, c, v) VALUES (?, ?, ?)", tupleBytes(int32Bytes(7), []byte("z")), tupleBytes(int32Bytes(1), int32Bytes(1)), tupleBytes(int32Bytes(8))); m.GetOpCode() != 0x08 {
		t.Fatalf("INSERT with tuple values: %v", m)
	}
	rows, ok := c.query("SELECT v FROM ks.tp WHERE k = (7, 'z')").(*message.RowsResult)
	if !ok || len(rows.Data) != 1 {
		t.Fatalf("SELECT: %v", rows)
	}
	if want := tupleBytes(int32Bytes(8), nil, nil); string(rows.Data[0][0]) != string(tupleBytes(int32Bytes(8))) && string(rows.Data[0][0]) != string(want) {
		t.Errorf("v = %x", rows.Data[0][0])
	}
	if tt, ok := rows.Metadata.Columns[0].Type.(*datatype.Tuple); !ok || len(tt.FieldTypes) != 3 {
		t.Errorf("v's type %v", rows.Metadata.Columns[0].Type)
	}
	m := c.query("INSERT INTO ks.tp (k, c) VALUES (?, (1, 1))", tupleBytes(int32Bytes(1), []byte("a"), int32Bytes(3)))
	if e, ok := m.(*message.Invalid); !ok || e.ErrorMessage != "Invalid remaining data after end of tuple value" {
		t.Errorf("three components for two: %v", m)
	}
	m = c.query("INSERT INTO ks.tp (k, c) VALUES (?, (1, 1))", tupleBytes([]byte{1, 2}, []byte("a")))
	if e, ok := m.(*message.Invalid); !ok || e.ErrorMessage != "Expected 4 or 0 byte int (2)" {
		t.Errorf("bad component: %v", m)
	}
}
