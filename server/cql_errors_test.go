package server_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/datastax/go-cassandra-native-protocol/message"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/server"
)

// Errors come back with 3.11's code and message, as gocql reports them.
// Sources: ClientState (USE, keyspace resolution, system keyspaces),
// ThriftValidation.validateColumnFamily, AlreadyExistsException,
// CreateTableStatement, DropKeyspaceStatement, ErrorCollector (syntax),
// UDFunction.assertUdfsEnabled, CreateViewStatement,
// CreateTriggerStatement, the role statements' ensureNotAnonymous.
func TestCQLErrors(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := connect(t, srv, "")
	mustExec(t, s, "CREATE KEYSPACE ks1 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	mustExec(t, s, "CREATE TABLE ks1.t (k int, c text, v text, PRIMARY KEY (k, c))")
	mustExec(t, s, "CREATE TYPE ks1.addr (zip int)")

	cases := []struct {
		code int
		msg  string
		stmt string
	}{
		{0x2200, "Keyspace 'nope' does not exist", "USE nope"},
		{0x2200, "Keyspace 'Ks1' does not exist", `USE "Ks1"`},
		{0x2400, `Cannot add existing keyspace "ks1"`,
			"CREATE KEYSPACE ks1 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"},
		{0x2400, `Cannot add already existing table "t" to keyspace "ks1"`, "CREATE TABLE ks1.t (k int PRIMARY KEY)"},
		{0x2300, "Keyspace nope doesn't exist", "CREATE TABLE nope.t (k int PRIMARY KEY)"},
		{0x2300, "Cannot drop non existing keyspace 'nope'.", "DROP KEYSPACE nope"},
		{0x2300, "Missing mandatory replication strategy class", "CREATE KEYSPACE ks2 WITH replication = {'replication_factor': 1}"},
		{0x2300, "SimpleStrategy requires a replication_factor strategy option.", "CREATE KEYSPACE ks2 WITH replication = {'class': 'SimpleStrategy'}"},
		{0x2000, "Unknown property 'foo'", "CREATE KEYSPACE ks2 WITH foo = 1 AND replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"},
		{0x2200, "unconfigured table nope", "DROP TABLE ks1.nope"},
		{0x2200, "Keyspace nope does not exist", "DROP TABLE nope.t"},
		{0x2200, "unconfigured table nope", "TRUNCATE ks1.nope"},
		{0x2200, "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename", "CREATE TABLE t (k int PRIMARY KEY)"},
		{0x2200, "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename", "TRUNCATE t"},
		{0x2100, "system keyspace is not user-modifiable.", "CREATE TABLE system.t (k int PRIMARY KEY)"},
		{0x2100, "system_schema keyspace is not user-modifiable.", "DROP KEYSPACE system_schema"},
		{0x2200, "system keyspace is not user-modifiable", "CREATE KEYSPACE system WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"},
		{0x2200, "No PRIMARY KEY specifed (exactly one required)", "CREATE TABLE ks1.np (k int)"},
		{0x2200, "Altering of types is not allowed", "ALTER TABLE ks1.t ALTER v TYPE blob"},
		{0x2200, "Altering of types is not allowed", "ALTER TYPE ks1.addr ALTER zip TYPE bigint"},
		{0x2200, "Index 'nope' could not be found in any of the tables of keyspace 'ks1'", "DROP INDEX ks1.nope"},
		{0x2200, "No user type named ks1.nope exists.", "DROP TYPE ks1.nope"},
		{0x2000, "line 1:0 no viable alternative at input 'SELEC' ([SELEC]...)", "SELEC * FROM x"},
		{0x2000, "line 1:19 no viable alternative at input 'select' (CREATE TABLE ks.x ([select]...)", "CREATE TABLE ks.x (select int PRIMARY KEY)"},
		{0x2000, "line 0:-1 no viable alternative at input '<EOF>'", "DROP"},
		// The tables 3.11 does not have (a 4.0 driver asks, then falls back).
		{0x2200, "unconfigured table peers_v2", "SELECT * FROM system.peers_v2"},
		{0x2200, "Keyspace system_virtual_schema does not exist", "SELECT * FROM system_virtual_schema.keyspaces"},
		// What 3.11's defaults refuse.
		{0x2200, "User-defined functions are disabled in cassandra.yaml - set enable_user_defined_functions=true to enable",
			"CREATE FUNCTION ks1.f (a int) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return a;'"},
		{0x2200, "Functions must be fully qualified with a keyspace name if a keyspace is not set for the session",
			"CREATE FUNCTION f (a int) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return a;'"},
		{0x2200, "State function ks1.sf(int, int) does not exist or is not a scalar function",
			"CREATE AGGREGATE ks1.agg (int) SFUNC sf STYPE int"},
		{0x2200, "Unconfigured function ks1.f(int,text)", "DROP FUNCTION ks1.f (int, text)"},
		{0x2200, "Cannot drop non existing aggregate 'ks1.agg'", "DROP AGGREGATE ks1.agg"},
		{0x2200, "Materialized views are disabled. Enable in cassandra.yaml to use.",
			"CREATE MATERIALIZED VIEW ks1.v AS SELECT * FROM ks1.t WHERE k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (c, k)"},
		{0x2200, "unconfigured table nope",
			"CREATE MATERIALIZED VIEW ks1.v AS SELECT * FROM ks1.nope WHERE k IS NOT NULL PRIMARY KEY (k)"},
		{0x2300, "Cannot drop non existing materialized view 'v' in keyspace 'ks1'.", "DROP MATERIALIZED VIEW ks1.v"},
		{0x2300, "Trigger class 'org.example.Audit' doesn't exist", "CREATE TRIGGER audit ON ks1.t USING 'org.example.Audit'"},
		{0x2200, "Trigger audit was not found", "DROP TRIGGER audit ON ks1.t"},
		{0x2100, "You have to be logged in and not anonymous to perform this request", "CREATE ROLE r"},
		{0x2100, "Only superusers can create a role with superuser status", "CREATE ROLE r WITH SUPERUSER = true"},
		{0x2100, "You have to be logged in and not anonymous to perform this request", "GRANT SELECT ON ks1.t TO r"},
		{0x2100, "You have to be logged in and not anonymous to perform this request", "LIST ROLES"},
	}
	raw := dialNative(t, srv.CQLAddr(), nil)
	for _, c := range cases {
		if strings.HasPrefix(c.stmt, "USE ") { // gocql refuses to send USE
			m := raw.query(c.stmt)
			if e, ok := m.(*message.Invalid); !ok || e.ErrorMessage != c.msg {
				t.Errorf("%s: %v", c.stmt, m)
			}
			continue
		}
		expectError(t, s, c.code, c.msg, c.stmt)
	}

	// IF EXISTS turns the refusals of missing objects into no-ops.
	for _, stmt := range []string{"DROP FUNCTION IF EXISTS ks1.f", "DROP AGGREGATE IF EXISTS ks1.agg",
		"DROP MATERIALIZED VIEW IF EXISTS ks1.v", "DROP TRIGGER IF EXISTS audit ON ks1.t"} {
		mustExec(t, s, stmt)
	}

	// AlreadyExists carries the keyspace and the table.
	err := s.Query("CREATE TABLE ks1.t (k int PRIMARY KEY)").Exec()
	var ae *gocql.RequestErrAlreadyExists
	if !errors.As(err, &ae) || ae.Keyspace != "ks1" || ae.Table != "t" {
		t.Errorf("AlreadyExists: %#v", err)
	}
	err = s.Query("CREATE KEYSPACE ks1 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").Exec()
	if !errors.As(err, &ae) || ae.Keyspace != "ks1" || ae.Table != "" {
		t.Errorf("AlreadyExists: %#v", err)
	}
}
