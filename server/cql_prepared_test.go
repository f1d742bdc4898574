package server_test

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"testing"

	"github.com/datastax/go-cassandra-native-protocol/datatype"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"

	"github.com/cassa-go/cassa/server"
)

func (c *nativeConn) prepare(q string) *message.PreparedResult {
	c.t.Helper()
	m := c.send(&message.Prepare{Query: q}).Body.Message
	p, ok := m.(*message.PreparedResult)
	if !ok {
		c.t.Fatalf("PREPARE %s: %v", q, m)
	}
	return p
}

func (c *nativeConn) execute(id []byte, o *message.QueryOptions) message.Message {
	c.t.Helper()
	if o == nil {
		o = &message.QueryOptions{}
	}
	o.Consistency = primitive.ConsistencyLevelOne
	return c.send(&message.Execute{QueryId: id, Options: o}).Body.Message
}

func md5Of(s string) []byte {
	sum := md5.Sum([]byte(s))
	return sum[:]
}

// PREPARE and EXECUTE as 3.11.12 and later do them (QueryProcessor.prepare,
// ExecuteMessage.execute, ResultSet.PreparedMetadata).
func TestCQLPreparedStatements(t *testing.T) {
	srv := startCQL(t, server.Config{})
	c := dialNative(t, srv.CQLAddr(), nil)

	// A statement naming its keyspace: the ID is the MD5 of its text,
	// with or without a session keyspace.
	const q = "SELECT cluster_name, data_center FROM system.local WHERE key = ?"
	p := c.prepare(q)
	if !bytes.Equal(p.PreparedQueryId, md5Of(q)) {
		t.Errorf("id %x, want md5 of the text", p.PreparedQueryId)
	}
	vars := p.VariablesMetadata
	if len(vars.Columns) != 1 || vars.Columns[0].Name != "key" || vars.Columns[0].Type != datatype.Varchar ||
		vars.Columns[0].Keyspace != "system" || vars.Columns[0].Table != "local" ||
		len(vars.PkIndices) != 1 || vars.PkIndices[0] != 0 {
		t.Errorf("variables metadata %v", vars)
	}
	if res := p.ResultMetadata; res.ColumnCount != 2 || res.Columns[0].Name != "cluster_name" || res.Columns[1].Name != "data_center" {
		t.Errorf("result metadata %v", res)
	}
	// Skip_metadata: the rows come without column specs.
	m := c.execute(p.PreparedQueryId, &message.QueryOptions{SkipMetadata: true,
		PositionalValues: []*primitive.Value{primitive.NewValue([]byte("local"))}})
	rows, ok := m.(*message.RowsResult)
	if !ok || len(rows.Data) != 1 || string(rows.Data[0][1]) != "datacenter1" || rows.Metadata.Columns != nil || rows.Metadata.ColumnCount != 2 {
		t.Fatalf("EXECUTE: %v", m)
	}
	// Named values are matched to the bind variables' names.
	m = c.execute(p.PreparedQueryId, &message.QueryOptions{NamedValues: map[string]*primitive.Value{"key": primitive.NewValue([]byte("local"))}})
	if rows, ok := m.(*message.RowsResult); !ok || len(rows.Data) != 1 {
		t.Errorf("EXECUTE with names: %v", m)
	}
	m = c.execute(p.PreparedQueryId, &message.QueryOptions{NamedValues: map[string]*primitive.Value{"nope": primitive.NewValue([]byte("local"))}})
	if e, ok := m.(*message.Invalid); !ok || e.ErrorMessage != "there were 1 markers(?) in CQL but 0 bound variables" {
		t.Errorf("EXECUTE with an unknown name: %v", m)
	}
	// QUERY with the wrong number of values.
	m = c.query(q)
	if e, ok := m.(*message.Invalid); !ok || e.ErrorMessage != "Invalid amount of bind variables" {
		t.Errorf("QUERY without values: %v", m)
	}

	// An unknown ID: Unprepared, with the ID (PreparedQueryNotFoundException).
	bogus := md5Of("never prepared")
	m = c.execute(bogus, nil)
	up, ok := m.(*message.Unprepared)
	if !ok || !bytes.Equal(up.Id, bogus) || up.ErrorMessage != "Prepared query with ID "+hex.EncodeToString(bogus)+
		" not found (either the query was not prepared on this host (maybe the host has been restarted?) or you have"+
		" prepared too many queries and it has been evicted from the internal cache)" {
		t.Errorf("unknown id: %v", m)
	}

	// Unqualified, in a session keyspace: the ID covers the keyspace, and
	// the statement keeps it, whichever connection executes it.
	if m := c.query("USE system"); m.GetOpCode() != primitive.OpCodeResult {
		t.Fatal(m)
	}
	const uq = "SELECT key FROM local"
	pu := c.prepare(uq)
	if !bytes.Equal(pu.PreparedQueryId, md5Of("system"+uq)) {
		t.Errorf("unqualified id %x", pu.PreparedQueryId)
	}
	if pq := c.prepare(q); !bytes.Equal(pq.PreparedQueryId, md5Of(q)) {
		t.Errorf("qualified id in a keyspace %x", pq.PreparedQueryId)
	}
	other := dialNative(t, srv.CQLAddr(), nil)
	m = other.execute(pu.PreparedQueryId, nil)
	if rows, ok := m.(*message.RowsResult); !ok || len(rows.Data) != 1 || string(rows.Data[0][0]) != "local" {
		t.Errorf("EXECUTE from another connection: %v", m)
	}
	// Without a keyspace the unqualified statement cannot be prepared.
	if m := other.send(&message.Prepare{Query: uq}).Body.Message; m.(*message.Invalid).ErrorMessage !=
		"No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename" {
		t.Errorf("PREPARE without keyspace: %v", m)
	}
	// Statements that are not data statements can be prepared and executed too.
	pd := other.prepare("CREATE KEYSPACE pk WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	if m := other.execute(pd.PreparedQueryId, nil); m.(*message.SchemaChangeResult).Keyspace != "pk" {
		t.Errorf("EXECUTE of a DDL: %v", m)
	}
	if m := other.execute(pd.PreparedQueryId, nil); m.(*message.AlreadyExists).Keyspace != "pk" {
		t.Errorf("EXECUTE of a DDL again: %v", m)
	}
}

// gocql prepares every SELECT; a statement prepared by one session is
// found by the next one, and a session that connects again prepares again.
func TestCQLPreparedAcrossReconnect(t *testing.T) {
	srv := startCQL(t, server.Config{})
	const q = "SELECT data_center FROM system.local WHERE key = ?"
	for i := 0; i < 2; i++ {
		s := connect(t, srv, "")
		var dc string
		if err := s.Query(q, "local").Scan(&dc); err != nil || dc != "datacenter1" {
			t.Fatalf("session %d: %q %v", i, dc, err)
		}
		s.Close()
	}
}
