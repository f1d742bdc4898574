package nilaudit

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
)

// closePool closes a pool a call may have left a connection of checked
// out, without waiting long for it.
func closePool(p *pool.Pool) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	p.Close(ctx)
}

// auditRow is the model of the orm audit, over the CQL table t of the
// audit's keyspace.
type auditRow struct {
	K int `cass:"k,key"`
	V int `cass:"v"`
}

// closeCQL closes a CQL session without waiting long for it.
func closeCQL(db *cql.Session) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = db.Close(ctx)
}

// TestNilAndZeroArguments calls every exported function and method of the
// audited packages with nil and zero arguments: each must return (or
// yield) an error, or do nothing harmful, and never panic.
func TestNilAndZeroArguments(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server and calls every exported function")
	}
	bg := context.Background()
	srv := cassatest.Start(t, cassatest.WithKeyspace())
	ks := srv.Keyspace()
	servers := []string{srv.Addr()}
	sys, err := migrate.Connect(bg, pool.Config{Servers: servers})
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Close(bg)
	if err := sys.CreateColumnFamily(bg, ks, "cf", migrate.ColumnFamilyDef{Comparator: "UTF8Type",
		KeyValidation: "UTF8Type", DefaultValidation: "UTF8Type"}); err != nil {
		t.Fatal(err)
	}

	cqlAdmin, err := cql.Open(bg, cql.Config{Hosts: []string{srv.CQLAddr()}})
	if err != nil {
		t.Fatal(err)
	}
	defer closeCQL(cqlAdmin)
	const cqlKS = "nilaudit"
	for _, stmt := range []string{
		"CREATE KEYSPACE " + cqlKS + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
		"CREATE TABLE " + cqlKS + ".t (k int PRIMARY KEY, v int)",
	} {
		if err := cqlAdmin.Exec(bg, stmt); err != nil {
			t.Fatal(err)
		}
	}
	openCQL := func(t *testing.T) *cql.Session {
		db, err := cql.Open(bg, cql.Config{Hosts: []string{srv.CQLAddr()}, Keyspace: cqlKS})
		if err != nil {
			t.Fatal(err)
		}
		return db
	}

	openPool := func(t *testing.T) *pool.Pool {
		p, err := pool.Open(bg, pool.Config{Servers: servers, Keyspace: ks, PoolSize: 1})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	openCF := func(t *testing.T) (*pool.Pool, *columnfamily.ColumnFamily) {
		p := openPool(t)
		cf, err := columnfamily.Open(bg, p, "cf")
		if err != nil {
			t.Fatal(err)
		}
		return p, cf
	}
	connect := func(t *testing.T) *migrate.SystemManager {
		s, err := migrate.Connect(bg, pool.Config{Servers: servers, PoolSize: 1})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a := &auditor{
		t: t,
		live: map[reflect.Type]live{
			reflect.TypeFor[*pool.Pool](): func(t *testing.T) (reflect.Value, func()) {
				p := openPool(t)
				return reflect.ValueOf(p), func() { closePool(p) }
			},
			reflect.TypeFor[*pool.Conn](): func(t *testing.T) (reflect.Value, func()) {
				p := openPool(t)
				lent, release := make(chan *pool.Conn), make(chan struct{})
				go p.Do(bg, func(_ context.Context, c *pool.Conn) error {
					lent <- c
					<-release
					return nil
				})
				return reflect.ValueOf(<-lent), func() { close(release); closePool(p) }
			},
			reflect.TypeFor[*columnfamily.ColumnFamily](): func(t *testing.T) (reflect.Value, func()) {
				p, cf := openCF(t)
				return reflect.ValueOf(cf), func() { closePool(p) }
			},
			reflect.TypeFor[*columnfamily.Mutator](): func(t *testing.T) (reflect.Value, func()) {
				p := openPool(t)
				return reflect.ValueOf(columnfamily.NewMutator(p)), func() { closePool(p) }
			},
			reflect.TypeFor[*columnfamily.CFMutator](): func(t *testing.T) (reflect.Value, func()) {
				p, cf := openCF(t)
				return reflect.ValueOf(cf.Batch()), func() { closePool(p) }
			},
			reflect.TypeFor[*migrate.SystemManager](): func(t *testing.T) (reflect.Value, func()) {
				s := connect(t)
				return reflect.ValueOf(s), func() { s.Close(bg) }
			},
			reflect.TypeFor[*migrate.Migrator](): func(t *testing.T) (reflect.Value, func()) {
				s := connect(t)
				m, err := migrate.NewMigrator(s, migrate.MigratorConfig{Keyspace: ks})
				if err != nil {
					t.Fatal(err)
				}
				return reflect.ValueOf(m), func() { s.Close(bg) }
			},
			reflect.TypeFor[*migrate.Plan](): func(t *testing.T) (reflect.Value, func()) {
				s := connect(t)
				p, err := migrate.PlanTables(bg, s, ks, migrate.TableSpec{Name: "planned"})
				if err != nil {
					t.Fatal(err)
				}
				return reflect.ValueOf(p), func() { s.Close(bg) }
			},
			reflect.TypeFor[*cassatest.Server](): func(t *testing.T) (reflect.Value, func()) {
				return reflect.ValueOf(srv), func() {}
			},
			reflect.TypeFor[*cassatest.CQLEndpoint](): func(t *testing.T) (reflect.Value, func()) {
				return reflect.ValueOf(cassatest.CQL(t)), func() {}
			},
			reflect.TypeFor[*cql.Session](): func(t *testing.T) (reflect.Value, func()) {
				db := openCQL(t)
				return reflect.ValueOf(db), func() { closeCQL(db) }
			},
			reflect.TypeFor[*cql.Batch](): func(t *testing.T) (reflect.Value, func()) {
				db := openCQL(t)
				return reflect.ValueOf(db.Batch()), func() { closeCQL(db) }
			},
			reflect.TypeFor[*cql.Rows](): func(t *testing.T) (reflect.Value, func()) {
				db := openCQL(t)
				return reflect.ValueOf(db.Rows(bg, "SELECT k, v FROM t")), func() { closeCQL(db) }
			},
			reflect.TypeFor[*orm.Mapper[auditRow, int]](): func(t *testing.T) (reflect.Value, func()) {
				db := openCQL(t)
				return reflect.ValueOf(orm.Map[auditRow, int](db, "t")), func() { closeCQL(db) }
			},
			reflect.TypeFor[*cassatest.Clock](): func(t *testing.T) (reflect.Value, func()) {
				return reflect.ValueOf(cassatest.NewClock(time.Now())), func() {}
			},
		},
		needsCtor: map[reflect.Type]bool{
			reflect.TypeFor[*pool.Pool]():                 true,
			reflect.TypeFor[*pool.Conn]():                 true,
			reflect.TypeFor[*columnfamily.ColumnFamily](): true,
			reflect.TypeFor[*columnfamily.Mutator]():      true,
			reflect.TypeFor[*columnfamily.CFMutator]():    true,
			reflect.TypeFor[*migrate.SystemManager]():     true,
			reflect.TypeFor[*migrate.Migrator]():          true,
			reflect.TypeFor[*cassatest.Server]():          true,
			reflect.TypeFor[*cassatest.CQLEndpoint]():     true,
			reflect.TypeFor[*cql.Session]():               true,
			reflect.TypeFor[*cql.Batch]():                 true,
			reflect.TypeFor[*cql.Rows]():                  true,
		},
		allowed: map[string]expect{
			// Documented: a nil func leaves relations or keys unchanged.
			"query.Select.Resolve on a zero value": expectNoError,
			// A .cql file named "" does not exist: the test fails.
			"cassatest.CQLEndpoint.ExecFile on a working value": expectError,
		},
	}

	for _, p := range []audited{
		{name: "cassa", dir: "../..",
			funcs: map[string]any{
				"ParseConsistency": cassa.ParseConsistency,
				"UnknownTableFrom": cassa.UnknownTableFrom,
			},
			types: []any{
				(*cassa.AuthenticationError)(nil), (*cassa.AuthorizationError)(nil), (*cassa.Consistency)(nil),
				(*cassa.InvalidRequestError)(nil), (*cassa.TimedOutError)(nil), (*cassa.UnavailableError)(nil),
				(*cassa.UnknownTableError)(nil), (*cassa.ArgumentError)(nil),
			}},
		{name: "query", dir: "../../query",
			funcs: map[string]any{
				"Where": query.Where, "Columns": query.Columns, "Keys": query.Keys, "Slice": query.Slice, "Tokens": query.Tokens,
			},
			types: []any{
				(*query.ClauseError)(nil), (*query.Cond)(nil), (*query.Op)(nil), (*query.Parts)(nil),
				(*query.Relation)(nil), (*query.Select)(nil),
			}},
		{name: "pool", dir: "../../thrift/pool",
			funcs: map[string]any{
				"Open": pool.Open, "NormalizeAddr": pool.NormalizeAddr, "Retryable": pool.Retryable,
				"NonIdempotent": pool.NonIdempotent, "Retries": pool.Retries, "RoutingKey": pool.RoutingKey,
			},
			types: []any{
				(*pool.AllServersUnavailableError)(nil), (*pool.ApplicationError)(nil), (*pool.Config)(nil),
				(*pool.Conn)(nil), (*pool.ConnEvent)(nil), (*pool.ConnInfo)(nil), (*pool.Credentials)(nil),
				(*pool.DisposeEvent)(nil), (*pool.DoOption)(nil), (*pool.FailEvent)(nil), (*pool.HostError)(nil),
				(*pool.Listener)(nil), (*pool.MaxRetriesError)(nil), (*pool.NopListener)(nil), (*pool.Pool)(nil),
				(*pool.PoolAtMaxEvent)(nil), (*pool.PoolEvent)(nil), (*pool.PoolTimeoutError)(nil),
				(*pool.RecycleEvent)(nil), (*pool.RequestTooLargeError)(nil), (*pool.ServerEvent)(nil),
				(*pool.ServerListEvent)(nil), (*pool.ServerStats)(nil), (*pool.Stats)(nil), (*pool.TransportError)(nil),
			}},
		{name: "columnfamily", dir: "../../thrift/columnfamily",
			funcs: map[string]any{
				"Open": columnfamily.Open, "Describe": columnfamily.Describe, "MonotonicTimestamp": columnfamily.MonotonicTimestamp,
				"NewMutator": columnfamily.NewMutator, "Atomic": columnfamily.Atomic, "QueueSize": columnfamily.QueueSize,
				"Consistency": columnfamily.Consistency, "ColumnBufferSize": columnfamily.ColumnBufferSize,
				"ColumnValueType": columnfamily.ColumnValueType, "KeyType": columnfamily.KeyType,
				"NameType": columnfamily.NameType, "RawKeys": columnfamily.RawKeys, "RawNames": columnfamily.RawNames,
				"RawValues": columnfamily.RawValues, "ReadConsistency": columnfamily.ReadConsistency,
				"RetryCounterMutations": columnfamily.RetryCounterMutations, "RowBufferSize": columnfamily.RowBufferSize,
				"SuperNameType": columnfamily.SuperNameType, "TimestampSource": columnfamily.TimestampSource,
				"ValueType": columnfamily.ValueType, "WriteConsistency": columnfamily.WriteConsistency,
				"BufferSize": columnfamily.BufferSize, "KeepEmpty": columnfamily.KeepEmpty, "Super": columnfamily.Super,
				"TTL": columnfamily.TTL, "Timestamp": columnfamily.Timestamp,
			},
			types: []any{
				(*columnfamily.BatchError)(nil), (*columnfamily.BatchMutation)(nil), (*columnfamily.BatchOption)(nil),
				(*columnfamily.CFMutator)(nil), (*columnfamily.CallOption)(nil), (*columnfamily.Cols)(nil),
				(*columnfamily.Column)(nil), (*columnfamily.ColumnFamily)(nil), (*columnfamily.ColumnList)(nil),
				(*columnfamily.KeyCount)(nil), (*columnfamily.MutationError)(nil), (*columnfamily.Mutator)(nil),
				(*columnfamily.Option)(nil), (*columnfamily.PackError)(nil), (*columnfamily.ReadOption)(nil),
				(*columnfamily.ReadWriteOption)(nil), (*columnfamily.Row)(nil), (*columnfamily.RowValues)(nil),
				(*columnfamily.SuperCols)(nil), (*columnfamily.SuperColumn)(nil), (*columnfamily.SuperColumnList)(nil),
				(*columnfamily.Values)(nil), (*columnfamily.WriteOption)(nil),
			}},
		{name: "migrate", dir: "../../migrate",
			funcs: map[string]any{
				"FormatOf": migrate.FormatOf, "Ptr": migrate.Ptr[int], "AllowDestructive": migrate.AllowDestructive,
				"OnStep": migrate.OnStep, "NetworkTopology": migrate.NetworkTopology, "Simple": migrate.Simple,
				"DecodeSchema": migrate.DecodeSchema, "LoadSchema": migrate.LoadSchema,
				"LoadSchemaFile": migrate.LoadSchemaFile, "ModelsSpec": migrate.ModelsSpec,
				"NewMigrator": migrate.NewMigrator, "AgreementPoll": migrate.AgreementPoll,
				"AgreementTimeout": migrate.AgreementTimeout, "PlanModels": migrate.PlanModels,
				"PlanSchema": migrate.PlanSchema, "PlanTables": migrate.PlanTables, "ReadLedger": migrate.ReadLedger,
				"Connect": migrate.Connect, "NewSystemManager": migrate.NewSystemManager,
				"PlanCQL": migrate.PlanCQL, "PlanCQLTables": migrate.PlanCQLTables, "NewCQLMigrator": migrate.NewCQLMigrator,
				"LoadCQLMigrations": migrate.LoadCQLMigrations, "ReadCQLLedger": migrate.ReadCQLLedger,
				"TableFromCQL": migrate.TableFromCQL, "PlanCQLModels": migrate.PlanCQLModels,
				"CQLModelsSpec": migrate.CQLModelsSpec, "PlanDropCompactStorage": migrate.PlanDropCompactStorage,
				"MoveThriftToCQL": migrate.MoveThriftToCQL, "MoveRanges": migrate.MoveRanges,
				"MoveWorkers": migrate.MoveWorkers, "MoveInFlight": migrate.MoveInFlight, "OnProgress": migrate.OnProgress, "RestartMove": migrate.RestartMove,
			},
			types: []any{
				(*migrate.AgreementError)(nil), (*migrate.ApplyOption)(nil), (*migrate.Attributes)(nil),
				(*migrate.Change)(nil), (*migrate.ChecksumError)(nil), (*migrate.ColumnFamilyDef)(nil),
				(*migrate.ColumnSpec)(nil), (*migrate.DestructiveError)(nil), (*migrate.IndexSpec)(nil),
				(*migrate.KeyspaceDef)(nil), (*migrate.KeyspaceProperties)(nil), (*migrate.KeyspaceSpec)(nil),
				(*migrate.Migration)(nil), (*migrate.MigrationError)(nil), (*migrate.MigrationStatus)(nil),
				(*migrate.Migrator)(nil), (*migrate.MigratorConfig)(nil), (*migrate.Option)(nil), (*migrate.Plan)(nil),
				(*migrate.Record)(nil), (*migrate.RefusedError)(nil), (*migrate.SpecError)(nil), (*migrate.State)(nil),
				(*migrate.Step)(nil), (*migrate.StepError)(nil), (*migrate.StepKind)(nil),
				(*migrate.StringOptions)(nil), (*migrate.SystemManager)(nil), (*migrate.TableSpec)(nil),
				(*migrate.TypeError)(nil), (*migrate.Warning)(nil), (*migrate.WarningClass)(nil),
				(*migrate.TypeSpec)(nil), (*migrate.FieldSpec)(nil), (*migrate.ClusteringSpec)(nil),
				(*migrate.TableIndexSpec)(nil), (*migrate.CQLMigration)(nil), (*migrate.CQLMigrator)(nil),
				(*migrate.ScriptError)(nil), (*migrate.MoveSpec)(nil), (*migrate.MoveProgress)(nil),
				(*migrate.MoveResult)(nil), (*migrate.RangeCount)(nil), (*migrate.CountMismatchError)(nil),
				(*migrate.MoveOption)(nil), (*migrate.MoveMapError)(nil),
			}},
		{name: "cql", dir: "../../cql",
			funcs: map[string]any{
				"Open": cql.Open, "Compile": cql.Compile,
				"TableFromMetadata": cql.TableFromMetadata, "Col": cql.Col[string],
				"Consistency": cql.Consistency, "SerialConsistency": cql.SerialConsistency,
				"Timestamp": cql.Timestamp, "Idempotent": cql.Idempotent, "Retries": cql.Retries,
				"Keyspace": cql.Keyspace, "PageSize": cql.PageSize, "PageToken": cql.PageToken, "PagingState": cql.PagingState,
				"Unlogged": cql.Unlogged, "Counter": cql.Counter, "QueueSize": cql.QueueSize,
				"SizeThresholds": cql.SizeThresholds,
			},
			types: []any{
				(*cql.Statement)(nil), (*cql.Batch)(nil), (*cql.BatchError)(nil), (*cql.Config)(nil),
				(*cql.TransportError)(nil), (*cql.HostError)(nil), (*cql.NoHostError)(nil),
				(*cql.OverloadedError)(nil), (*cql.AlreadyExistsError)(nil), (*cql.ServerError)(nil),
				(*cql.ClientError)(nil), (*cql.MaxRetriesError)(nil), (*cql.Listener)(nil),
				(*cql.NopListener)(nil), (*cql.SessionEvent)(nil), (*cql.ConnEvent)(nil),
				(*cql.FailEvent)(nil), (*cql.HostEvent)(nil), (*cql.RetryEvent)(nil),
				(*cql.StatementOption)(nil), (*cql.BatchOption)(nil), (*cql.CallOption)(nil),
				(*cql.BatchType)(nil), (*cql.PageTokenError)(nil), (*cql.Column)(nil), (*cql.Row)(nil), (*cql.RawValue)(nil), (*cql.RawDest)(nil),
				(*cql.Rows)(nil), (*cql.Session)(nil), (*cql.Stats)(nil), (*cql.FailureCounts)(nil),
				(*cql.HostStats)(nil), (*cql.Table)(nil), (*cql.ClusteringColumn)(nil),
				(*cql.TableColumn)(nil), (*cql.IndexKind)(nil), (*cql.Index)(nil),
			}},
		// The mapper's entry points over CQL (orm's own nil test calls every
		// Mapper method on mappers of both transports in every state).
		{name: "orm", dir: "../../orm",
			funcs: map[string]any{
				"Map": orm.Map[auditRow, int, *cql.Session], "Open": orm.Open[auditRow, int, *cql.Session],
				"Model": orm.Model[auditRow], "NewBatch": orm.NewBatch[*cql.Session],
				"ColumnFamilyOptions": orm.ColumnFamilyOptions, "Verified": orm.Verified,
				"Consistency": orm.Consistency, "TTL": orm.TTL, "Timestamp": orm.Timestamp, "Fields": orm.Fields,
				"Super": orm.Super, "MissingAsZero": orm.MissingAsZero, "PageTokenKey": orm.PageTokenKey,
				"Nulls": orm.Nulls, "Keyspace": orm.Keyspace, "BufferSize": orm.BufferSize,
				"QueueSize": orm.QueueSize, "Unlogged": orm.Unlogged,
			},
			types: []any{
				(*orm.FieldError)(nil), (*orm.Diff)(nil), (*orm.VerifyError)(nil), (*orm.Mapper[auditRow, int])(nil),
				(*orm.Option)(nil), (*orm.ModelDef)(nil), (*orm.UserTypeDef)(nil),
				(*orm.UserTypeField)(nil), (*orm.ModelColumn)(nil), (*orm.Namer)(nil), (*orm.CallOption)(nil),
				(*orm.MapCallOption)(nil), (*orm.Batch)(nil), (*orm.BatchOption)(nil),
			},
			constraints: []string{"Conn"}},
		{name: "cassatest", dir: "../../cassatest",
			funcs: map[string]any{
				"Start": cassatest.Start, "FromEnv": cassatest.FromEnv, "WithConfig": cassatest.WithConfig,
				"WithCredentials": cassatest.WithCredentials, "WithKeyspace": cassatest.WithKeyspace,
				"WithPartitioner": cassatest.WithPartitioner, "NewClock": cassatest.NewClock, "CQL": cassatest.CQL,
				"CQLHosts": cassatest.CQLHosts, "CQLHostsFromEnv": cassatest.CQLHostsFromEnv,
			},
			types: []any{(*cassatest.Clock)(nil), (*cassatest.CQLEndpoint)(nil), (*cassatest.Option)(nil), (*cassatest.Server)(nil)}},
	} {
		t.Run(p.name, func(t *testing.T) {
			sub := *a
			sub.t = t
			sub.audit(p)
			t.Logf("%d calls", sub.calls)
		})
	}
}
