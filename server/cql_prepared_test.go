package server_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"reflect"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
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

// Prepared statements on a user table: the bind variables' names and
// types, the partition key's marker indexes in key order, the result
// metadata (VariableSpecifications.getPartitionKeyBindIndexes, the
// receivers' names: "[limit]", "[ttl]", "[timestamp]", "in(k)",
// "partition key token", a named marker's own name).
func TestCQLPreparedUserTables(t *testing.T) {
	srv := startCQL(t, server.Config{})
	c := dialNative(t, srv.CQLAddr(), nil)
	c.query("CREATE KEYSPACE pu WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	c.query("CREATE TABLE pu.t (a int, b text, c int, v blob, PRIMARY KEY ((a, b), c))")
	type spec struct {
		name string
		typ  datatype.DataType
	}
	cases := []struct {
		q      string
		vars   []spec
		pk     []uint16
		result []string
	}{
		{"INSERT INTO pu.t (c, b, v, a) VALUES (?, ?, ?, ?) USING TTL ? AND TIMESTAMP ?",
			[]spec{{"c", datatype.Int}, {"b", datatype.Varchar}, {"v", datatype.Blob}, {"a", datatype.Int}, {"[ttl]", datatype.Int}, {"[timestamp]", datatype.Bigint}},
			[]uint16{3, 1}, nil},
		{"SELECT v, c AS cc FROM pu.t WHERE a = :x AND b = :y AND c > ? LIMIT ?",
			[]spec{{"x", datatype.Int}, {"y", datatype.Varchar}, {"c", datatype.Int}, {"[limit]", datatype.Int}},
			[]uint16{0, 1}, []string{"v", "cc"}},
		{"SELECT * FROM pu.t WHERE a IN ? AND b = ?",
			[]spec{{"in(a)", datatype.NewList(datatype.Int)}, {"b", datatype.Varchar}}, nil, []string{"a", "b", "c", "v"}},
		{"SELECT a FROM pu.t WHERE token(a, b) > ?",
			[]spec{{"partition key token", datatype.Bigint}}, nil, []string{"a"}},
		{"UPDATE pu.t SET v = ? WHERE a = 1 AND b = ? AND c = ?",
			[]spec{{"v", datatype.Blob}, {"b", datatype.Varchar}, {"c", datatype.Int}}, nil, nil},
		{"DELETE FROM pu.t WHERE b = ? AND a = ?",
			[]spec{{"b", datatype.Varchar}, {"a", datatype.Int}}, []uint16{1, 0}, nil},
	}
	for _, tc := range cases {
		p := c.prepare(tc.q)
		vars := p.VariablesMetadata
		var got []spec
		for _, col := range vars.Columns {
			if col.Keyspace != "pu" || col.Table != "t" {
				t.Errorf("%s: %s in %s.%s", tc.q, col.Name, col.Keyspace, col.Table)
			}
			got = append(got, spec{col.Name, col.Type})
		}
		if !reflect.DeepEqual(got, tc.vars) {
			t.Errorf("%s: variables %v, want %v", tc.q, got, tc.vars)
		}
		if !reflect.DeepEqual(vars.PkIndices, tc.pk) && len(vars.PkIndices)+len(tc.pk) > 0 {
			t.Errorf("%s: pk indexes %v, want %v", tc.q, vars.PkIndices, tc.pk)
		}
		var result []string
		if p.ResultMetadata != nil {
			for _, col := range p.ResultMetadata.Columns {
				result = append(result, col.Name)
			}
		}
		if !reflect.DeepEqual(result, tc.result) {
			t.Errorf("%s: result columns %v, want %v", tc.q, result, tc.result)
		}
	}

	// With gocql: positional and named values (gocql types each value by
	// the marker at its position, so it sends names in marker order; the
	// server matches them by name, in any order, as the raw test above
	// shows).
	s := connect(t, srv, "pu")
	mustExec(t, s, "INSERT INTO t (a, b, c, v) VALUES (:a, :b, :c, :v)",
		gocql.NamedValue("a", 7), gocql.NamedValue("b", "x"), gocql.NamedValue("c", 1), gocql.NamedValue("v", []byte("named")))
	mustExec(t, s, "INSERT INTO t (a, b, c, v) VALUES (?, ?, ?, ?)", 7, "x", 2, []byte("positional"))
	mustRows(t, s, [][]any{{1, []byte("named")}, {2, []byte("positional")}}, "SELECT c, v FROM t WHERE a = ? AND b = ?", 7, "x")
	mustRows(t, s, [][]any{{2}}, "SELECT c FROM t WHERE a = :a AND b = :b AND c > :c",
		gocql.NamedValue("a", 7), gocql.NamedValue("b", "x"), gocql.NamedValue("c", 1))
	// Names the statement does not have leave its markers unbound
	// (QueryOptions.OptionsWithNames), whatever was sent.
	err := s.Query("SELECT c FROM t WHERE a = :a AND b = :b", gocql.NamedValue("a", 7), gocql.NamedValue("nope", "x")).Exec()
	if re := requestError(t, err); re.Code() != 0x2200 || re.Message() != "there were 2 markers(?) in CQL but 1 bound variables" {
		t.Errorf("unknown name: %#x %q", re.Code(), re.Message())
	}
}

// A statement prepared before ALTER TABLE: a change of columns evicts it
// (Unprepared; gocql prepares it again and reads the new columns), a
// change of options keeps it, DROP and CREATE again make it another table
// (QueryProcessor.MigrationSubscriber, CFMetaData.apply).
func TestCQLPreparedAfterAlterTable(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "pa")
	mustExec(t, s, "CREATE TABLE t (k int PRIMARY KEY, v text)")
	mustExec(t, s, "INSERT INTO t (k, v) VALUES (1, 'a')")
	const q = "SELECT * FROM t WHERE k = ?"
	cols, _ := selectRows(t, s, q, 1)
	if len(cols) != 2 {
		t.Fatal(cols)
	}
	// The raw client prepares its own text, so that its PREPAREs do not
	// refresh gocql's statement (one ID shared by two clients would let
	// the second miss the Unprepared, as in 3.11: CASSANDRA-10786).
	raw := dialNative(t, srv.CQLAddr(), nil)
	const rq = "SELECT * FROM pa.t WHERE k = ?"
	p := raw.prepare(rq)
	execute := func() message.Message {
		return raw.execute(p.PreparedQueryId, &message.QueryOptions{PositionalValues: []*primitive.Value{primitive.NewValue([]byte{0, 0, 0, 1})}})
	}
	for _, step := range []struct {
		ddl        string
		unprepared bool
		cols       []string
	}{
		{"ALTER TABLE t WITH comment = 'only options'", false, []string{"k", "v"}},
		{"ALTER TABLE t ADD w int", true, []string{"k", "v", "w"}},
		{"ALTER TABLE t WITH default_time_to_live = 10", false, []string{"k", "v", "w"}},
		{"ALTER TABLE t DROP v", true, []string{"k", "w"}},
		{"CREATE INDEX ON t (w)", true, []string{"k", "w"}},
	} {
		mustExec(t, s, step.ddl)
		m := execute()
		if _, ok := m.(*message.Unprepared); ok != step.unprepared {
			t.Errorf("after %s: %v", step.ddl, m)
		}
		if step.unprepared {
			p = raw.prepare(rq)
		}
		if cols, _ := selectRows(t, s, q, 1); !reflect.DeepEqual(cols, step.cols) {
			t.Errorf("gocql after %s: columns %v", step.ddl, cols)
		}
	}
	mustExec(t, s, "DROP TABLE t")
	mustExec(t, s, "CREATE TABLE t (k int PRIMARY KEY, x int)")
	if m := execute(); m.GetOpCode() != primitive.OpCodeError {
		t.Errorf("after DROP and CREATE: %v", m)
	} else if _, ok := m.(*message.Unprepared); !ok {
		t.Errorf("after DROP and CREATE: %v", m)
	}
	mustExec(t, s, "INSERT INTO t (k, x) VALUES (1, 5)")
	mustRows(t, s, [][]any{{1, 5}}, q, 1)
	mustExec(t, s, "DROP TABLE t")
	expectError(t, s, 0x2200, "unconfigured table t", q, 1)
}

// Prepared statements across a restart of a durable server: the cache is
// gone, so EXECUTE answers Unprepared; PREPARE gives the same ID again
// (the MD5 of the text); a gocql session that connects again after the
// restart runs its statements, and the CQL data is still there (written
// through the commit log).
func TestCQLPreparedAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	cfg := server.Config{DataDir: dir, CommitLogSync: "batch"}
	srv, err := server.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr, cfg.CQLAddr = srv.Addr(), srv.CQLAddr()
	s := newKeyspace(t, srv, "pr")
	mustExec(t, s, "CREATE TABLE t (k int PRIMARY KEY, v text)")
	mustExec(t, s, "INSERT INTO t (k, v) VALUES (?, ?)", 1, "before")
	raw := dialNative(t, srv.CQLAddr(), nil)
	const q = "SELECT v FROM pr.t WHERE k = ?"
	id := raw.prepare(q).PreparedQueryId
	s.Close()
	raw.nc.Close()
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	srv = startCQL(t, cfg)
	raw = dialNative(t, srv.CQLAddr(), nil)
	if m := raw.execute(id, &message.QueryOptions{PositionalValues: []*primitive.Value{primitive.NewValue([]byte{0, 0, 0, 1})}}); m.GetOpCode() != primitive.OpCodeError {
		t.Errorf("EXECUTE after the restart: %v", m)
	} else if up, ok := m.(*message.Unprepared); !ok || !bytes.Equal(up.Id, id) {
		t.Errorf("EXECUTE after the restart: %v", m)
	}
	if again := raw.prepare(q).PreparedQueryId; !bytes.Equal(again, id) {
		t.Errorf("PREPARE after the restart: id %x, was %x", again, id)
	}
	s = connect(t, srv, "pr")
	mustRows(t, s, [][]any{{"before"}}, q, 1)
	mustExec(t, s, "INSERT INTO t (k, v) VALUES (?, ?)", 2, "after")
	mustRows(t, s, [][]any{{1, "before"}, {2, "after"}}, "SELECT k, v FROM t WHERE k IN (1, 2)")
}
