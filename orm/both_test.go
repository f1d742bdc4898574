package orm_test

import (
	"context"
	"testing"
	"time"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/thrift/pool"
	"github.com/cassa-go/cassa/thriftgen"
)

// The model-level suite runs every case of bothCases (suite_test.go) on
// both transports: a Thrift pool on column families and a CQL session on
// tables, both made from the same models by orm.Model. A case that cannot
// exist on one transport says so (notOn), and checks there that the
// mapper refuses it cleanly.

// backend is one transport to run a case on.
type backend struct {
	name   string // "thrift" or "cql"
	pool   *pool.Pool
	db     *cql.Session
	ks     string
	thrift *env
	cql    *cqlEnv
}

func (b *backend) isCQL() bool { return b.db != nil }

// advance moves the server's clock, skipping on a real cluster.
func (b *backend) advance(t testing.TB, d time.Duration) {
	t.Helper()
	if b.isCQL() {
		b.cql.advance(t, d)
	} else {
		b.thrift.advance(t, d)
	}
}

// mapOn maps T on the backend's table name: the one call a case makes,
// whatever the transport.
func mapOn[T, K any](b *backend, name string, opts ...orm.Option) *orm.Mapper[T, K] {
	if b.isCQL() {
		return orm.Map[T, K](b.db, name, opts...)
	}
	return orm.Map[T, K](b.pool, name, opts...)
}

// mapOnNewConn is mapOn over a connection of its own (a new pool or
// session), closed at the end of the test.
func mapOnNewConn[T, K any](t *testing.T, b *backend, name string, opts ...orm.Option) *orm.Mapper[T, K] {
	t.Helper()
	if b.isCQL() {
		db, err := cql.Open(bg, cql.Config{Hosts: b.cql.hosts, Keyspace: b.ks})
		if err != nil {
			t.Fatalf("second session: %v", err)
		}
		t.Cleanup(func() { _ = db.Close(bg) })
		return orm.Map[T, K](db, name, opts...)
	}
	p, err := pool.Open(bg, pool.Config{Servers: b.thrift.ts.Addrs(), Keyspace: b.ks, PoolSize: 1})
	if err != nil {
		t.Fatalf("second pool: %v", err)
	}
	t.Cleanup(func() { p.Close(bg) })
	return orm.Map[T, K](p, name, opts...)
}

// newBatch makes a batch on the backend's connection.
func (b *backend) newBatch(opts ...orm.BatchOption) orm.Batch {
	if b.isCQL() {
		return orm.NewBatch(b.db, opts...)
	}
	return orm.NewBatch(b.pool, opts...)
}

// bothModels are the models of the suite, as their tables are named.
var bothModels = []struct {
	name string
	def  func(name string) orm.ModelDef
}{
	{"members", modelNamed[Member]},
	{"posts", modelNamed[Post]},
	{"readings", modelNamed[Reading]},
	{"hits", modelNamed[Hits]},
	{"accounts", modelNamed[Account]},
	{"profiles", modelNamed[Profile]},
	{"sparse", modelNamed[Sparse]},
}

func modelNamed[T any](name string) orm.ModelDef {
	d := orm.Model[T]()
	d.Name, d.Table.Name = name, name
	for i := range d.Table.Indexes {
		d.Table.Indexes[i].Name = name + "_" + d.Table.Indexes[i].Column + "_idx"
	}
	return d
}

// newBackend starts the backend's server and creates the suite's tables.
func newBackend(t *testing.T, kind string) *backend {
	t.Helper()
	var defs []orm.ModelDef
	for _, m := range bothModels {
		defs = append(defs, m.def(m.name))
	}
	if kind == "cql" {
		e := newCQLEnv(t, defs...)
		return &backend{name: kind, db: e.db, ks: e.ks, cql: e}
	}
	e := newEnv(t)
	for _, d := range defs {
		cf := thriftCF(d)
		cf.Keyspace = e.ks
		err := e.pool.Do(bg, func(ctx context.Context, c *pool.Conn) error {
			_, err := c.Client().SystemAddColumnFamily(ctx, cf)
			return err
		})
		if err != nil {
			t.Fatalf("system_add_column_family %s: %v", cf.Name, err)
		}
	}
	return &backend{name: kind, pool: e.pool, ks: e.ks, thrift: e}
}

// thriftCF is the column family a model needs on Thrift: its comparator
// (CompositeType of the clustering types and UTF8Type for a wide model),
// key validation class, default validation class, and column metadata
// with KEYS indexes for a standard model's columns (a wide model's column
// names are composites, which column metadata cannot name; collections,
// tuples and user types are stored as their frozen bytes, unvalidated).
func thriftCF(d orm.ModelDef) *thriftgen.CfDef {
	cf := thriftgen.NewCfDef()
	cf.Name = d.Name
	cf.ComparatorType = d.Comparator.Class()
	cf.KeyValidationClass = strp(d.KeyValidation.Class())
	cf.DefaultValidationClass = strp(d.DefaultValidation.Class())
	if d.Super {
		cf.ColumnType = "Super"
		cf.SubcomparatorType = strp(d.Subcomparator.Class())
	}
	if len(d.Table.Clustering) > 0 {
		return cf
	}
	for _, c := range d.Columns {
		switch c.Validator.(type) {
		case *codec.CollectionType, *codec.TupleType, *codec.UserType:
			continue
		}
		cd := colDef(c.Name, c.Validator.Class(), c.Index)
		if c.Index {
			cd.IndexName = strp(d.Name + "_" + c.Name + "_idx")
		}
		cf.ColumnMetadata = append(cf.ColumnMetadata, cd)
	}
	return cf
}

// runBoth runs f on each backend as a subtest.
func runBoth(t *testing.T, f func(t *testing.T, b *backend)) {
	for _, kind := range []string{"thrift", "cql"} {
		t.Run(kind, func(t *testing.T) {
			f(t, newBackend(t, kind))
		})
	}
}
