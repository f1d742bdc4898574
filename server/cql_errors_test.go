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

// The common mistakes in data statements get 3.11's code and message
// (StatementRestrictions, SingleColumnRelation, SelectStatement
// .RawStatement.prepare, ModificationStatement.Parsed.prepare, Operation,
// Constants.Literal, the marshal types' fromString).
func TestCQLDataErrors(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "ks")
	mustExec(t, s, "CREATE TABLE t (k int, c1 int, c2 int, v int, s int static, l list<int>, PRIMARY KEY (k, c1, c2))")
	mustExec(t, s, "CREATE TABLE p (k int, c1 int, c2 int, v int, PRIMARY KEY (k, c1, c2))")
	mustExec(t, s, "CREATE TABLE txt (k text PRIMARY KEY, v int)")
	const filtering = "Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. " +
		"If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING"
	cases := []struct {
		code int
		msg  string
		stmt string
	}{
		// Names.
		{0x2200, "Keyspace nope does not exist", "SELECT * FROM nope.t"},
		{0x2200, "unconfigured table nope", "SELECT * FROM nope"},
		{0x2200, "unconfigured table nope", "INSERT INTO nope (k) VALUES (1)"},
		{0x2200, "Undefined column name x", "SELECT x FROM t"},
		{0x2200, "Undefined column name x", "UPDATE t SET x = 1 WHERE k = 0 AND c1 = 0 AND c2 = 0"},
		{0x2200, "Undefined column name x", "SELECT * FROM t WHERE x = 1 ALLOW FILTERING"},
		{0x2200, "Unknown function 'foo'", "SELECT foo(v) FROM t"},
		// WHERE.
		{0x2200, "Some partition key parts are missing: k", "UPDATE t SET v = 1 WHERE c1 = 1 AND c2 = 1"},
		{0x2200, "Some clustering keys are missing: c2", "UPDATE t SET v = 1 WHERE k = 0 AND c1 = 1"},
		{0x2200, "Some clustering keys are missing: c1, c2", "INSERT INTO t (k, v) VALUES (0, 1)"},
		{0x2200, `PRIMARY KEY column "c2" cannot be restricted as preceding column "c1" is not restricted`, "SELECT * FROM p WHERE k = 0 AND c2 = 1"},
		{0x2200, `Clustering column "c2" cannot be restricted (preceding column "c1" is restricted by a non-EQ relation)`,
			"SELECT * FROM p WHERE k = 0 AND c1 > 0 AND c2 = 1"},
		{0x2200, filtering, "SELECT * FROM p WHERE v = 1"},
		{0x2200, filtering, "SELECT * FROM p WHERE c1 = 1"},
		{0x2200, "IN predicates on non-primary-key columns (v) is not yet supported", "SELECT * FROM p WHERE k = 0 AND v IN (1, 2) ALLOW FILTERING"},
		{0x2200, "Cannot restrict clustering columns by IN relations when a collection is selected by the query",
			"SELECT * FROM t WHERE k = 0 AND c1 IN (1, 2)"},
		{0x2200, "k cannot be restricted by more than one relation if it includes an Equal", "SELECT * FROM p WHERE k = 0 AND k = 1"},
		{0x2200, `Unsupported "!=" relation: c1 != 1`, "SELECT * FROM p WHERE k = 0 AND c1 != 1"},
		{0x2200, "Only EQ and IN relation are supported on the partition key (unless you use the token() function) for UPDATE statements",
			"UPDATE p SET v = 1 WHERE k > 0 AND c1 = 1 AND c2 = 1"},
		{0x2200, "Non PRIMARY KEY columns found in where clause: v ", "DELETE FROM p WHERE k = 0 AND v = 1"},
		{0x2200, "The token function cannot be used in WHERE clauses for DELETE statements", "DELETE FROM p WHERE token(k) > 0"},
		{0x2200, "Slice restrictions are not supported on the clustering columns in UPDATE statements",
			"UPDATE p SET v = 1 WHERE k = 0 AND c1 = 0 AND c2 > 1"},
		{0x2200, "Invalid null value in condition for column k", "SELECT * FROM p WHERE k = null"},
		{0x2200, "Key may not be empty", "SELECT * FROM txt WHERE k = ''"},
		{0x2200, "Key may not be empty", "INSERT INTO txt (k, v) VALUES ('', 1)"},
		{0x2200, "The token() function must contains only partition key components", "SELECT * FROM p WHERE token(k, c1) > 0"},
		// SELECT clauses.
		{0x2200, "Order by is currently only supported on the clustered columns of the PRIMARY KEY, got v", "SELECT * FROM p WHERE k = 0 ORDER BY v"},
		{0x2200, "Order by currently only support the ordering of columns following their declared order in the PRIMARY KEY",
			"SELECT * FROM p WHERE k = 0 ORDER BY c2"},
		{0x2200, "Unsupported order by relation", "SELECT * FROM p WHERE k = 0 ORDER BY c1 ASC, c2 DESC"},
		{0x2200, "ORDER BY is only supported when the partition key is restricted by an EQ or an IN.", "SELECT * FROM p ORDER BY c1"},
		{0x2200, "LIMIT must be strictly positive", "SELECT * FROM p LIMIT 0"},
		{0x2200, "LIMIT must be strictly positive", "SELECT * FROM p PER PARTITION LIMIT -1"},
		{0x2200, "SELECT DISTINCT queries must only request partition key columns and/or static columns (not v)", "SELECT DISTINCT v FROM t"},
		{0x2200, "PER PARTITION LIMIT is not allowed with SELECT DISTINCT queries", "SELECT DISTINCT k FROM t PER PARTITION LIMIT 1"},
		{0x2200, "Cannot use selection function writeTime on PRIMARY KEY part k", "SELECT writetime(k) FROM t"},
		{0x2200, "Cannot use selection function ttl on collections", "SELECT ttl(l) FROM t"},
		// Values and types.
		{0x2200, `Invalid STRING constant (abc) for "v" of type int`, "INSERT INTO p (k, c1, c2, v) VALUES (0, 0, 0, 'abc')"},
		{0x2200, "Unable to make int from '99999999999'", "INSERT INTO p (k, c1, c2, v) VALUES (0, 0, 0, 99999999999)"},
		{0x2200, "Invalid set literal for l of type list<int>", "INSERT INTO t (k, c1, c2, l) VALUES (0, 0, 0, {1})"},
		{0x2200, "Invalid list literal for l: value 'a' is not of type int", "INSERT INTO t (k, c1, c2, l) VALUES (0, 0, 0, ['a'])"},
		// Modifications.
		{0x2200, "The column names contains duplicates", "INSERT INTO p (k, c1, c2, v, v) VALUES (0, 0, 0, 1, 2)"},
		{0x2200, "Unmatched column names/values", "INSERT INTO p (k, c1, c2) VALUES (0, 0)"},
		{0x2200, "PRIMARY KEY part k found in SET part", "UPDATE p SET k = 1 WHERE k = 0 AND c1 = 0 AND c2 = 0"},
		{0x2000, "Multiple incompatible setting of column v", "UPDATE p SET v = 1, v = 2 WHERE k = 0 AND c1 = 0 AND c2 = 0"},
		{0x2200, "Invalid operation (v = v + 1) for non counter column v", "UPDATE p SET v = v + 1 WHERE k = 0 AND c1 = 0 AND c2 = 0"},
		{0x2200, "Invalid restrictions on clustering columns since the UPDATE statement modifies only static columns",
			"UPDATE t SET s = 1 WHERE k = 0 AND c1 = 0 AND c2 = 0"},
	}
	for _, c := range cases {
		expectError(t, s, c.code, c.msg, c.stmt)
	}

	// Consistency levels (ConsistencyLevel.validateForRead/Write,
	// assureSufficientLiveNodes): QUORUM of three replicas on one node is
	// Unavailable, with its body.
	mustExec(t, s, "CREATE KEYSPACE ks3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}")
	mustExec(t, s, "CREATE TABLE ks3.t (k int PRIMARY KEY, v int)")
	err := s.Query("INSERT INTO ks3.t (k, v) VALUES (1, 1)").Consistency(gocql.Quorum).Exec()
	var un *gocql.RequestErrUnavailable
	if !errors.As(err, &un) || un.Consistency != gocql.Quorum || un.Required != 2 || un.Alive != 1 ||
		un.Message() != "Cannot achieve consistency level QUORUM" {
		t.Errorf("unavailable: %#v", err)
	}
	if err := s.Query("SELECT * FROM ks3.t WHERE k = 1").Consistency(gocql.One).Exec(); err != nil {
		t.Errorf("ONE of three replicas: %v", err)
	}
	if err := s.Query("SELECT * FROM ks3.t WHERE k = 1").Consistency(gocql.All).Exec(); !errors.As(err, &un) || un.Required != 3 {
		t.Errorf("ALL of three replicas: %v", err)
	}
	if re := requestError(t, s.Query("INSERT INTO p (k, c1, c2) VALUES (1, 1, 1)").Consistency(gocql.Serial).Exec()); re.Code() != 0x2200 ||
		re.Message() != "You must use conditional updates for serializable writes" {
		t.Errorf("SERIAL write: %#x %q", re.Code(), re.Message())
	}
	if re := requestError(t, s.Query("SELECT * FROM p WHERE k = 1").Consistency(gocql.Any).Exec()); re.Code() != 0x2200 ||
		re.Message() != "ANY ConsistencyLevel is only supported for writes" {
		t.Errorf("ANY read: %#x %q", re.Code(), re.Message())
	}
}
