package orm_test

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
	"github.com/cassa-go/cassa/thriftgen"
)

// Integration fixtures: an embedded server over TCP (ByteOrderedPartitioner,
// so key ranges come back in key order), one keyspace and the column
// families below, created through the raw Thrift client.

const testKeyspace = "ORMTest"

var bg = context.Background()

// testClock is the server's clock: the time, moved forward by tests to
// expire TTLs. It keeps running between moves, so that server-side
// timestamps (a Paxos ballot's) stay after the clients' of earlier writes.
type testClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

func strp(s string) *string { return &s }

func cfDef(name string, f func(d *thriftgen.CfDef)) *thriftgen.CfDef {
	d := thriftgen.NewCfDef()
	d.Keyspace, d.Name = testKeyspace, name
	d.ComparatorType = "UTF8Type"
	d.KeyValidationClass = strp("UTF8Type")
	d.DefaultValidationClass = strp("BytesType")
	if f != nil {
		f(d)
	}
	return d
}

func colDef(name, class string, indexed bool) *thriftgen.ColumnDef {
	c := thriftgen.NewColumnDef()
	c.Name, c.ValidationClass = []byte(name), class
	if indexed {
		c.IndexType = thriftgen.IndexTypePtr(thriftgen.IndexType_KEYS)
		c.IndexName = strp(name + "_idx")
	}
	return c
}

func testSchema() []*thriftgen.CfDef {
	return []*thriftgen.CfDef{
		cfDef("Users", func(d *thriftgen.CfDef) {
			d.ColumnMetadata = []*thriftgen.ColumnDef{
				colDef("name", "UTF8Type", false),
				colDef("state", "UTF8Type", true),
				colDef("birthdate", "LongType", true),
				colDef("age", "IntegerType", false),
				colDef("height", "FloatType", false),
				colDef("joined", "DateType", false),
				colDef("credit", "DecimalType", false),
			}
		}),
		cfDef("Types", nil),
		cfDef("Plain", nil),
		cfDef("Text", func(d *thriftgen.CfDef) { d.DefaultValidationClass = strp("UTF8Type") }),
		cfDef("LongKeys", func(d *thriftgen.CfDef) { d.KeyValidationClass = strp("LongType") }),
		cfDef("UUIDKeys", func(d *thriftgen.CfDef) { d.KeyValidationClass = strp("UUIDType") }),
		cfDef("Tweets", func(d *thriftgen.CfDef) {
			d.ColumnType = "Super"
			d.ComparatorType = "TimeUUIDType"
			d.SubcomparatorType = strp("UTF8Type")
			d.ColumnMetadata = []*thriftgen.ColumnDef{colDef("body", "UTF8Type", false), colDef("seen", "BooleanType", false)}
		}),
		cfDef("Counts", func(d *thriftgen.CfDef) { d.DefaultValidationClass = strp("CounterColumnType") }),
		cfDef("SuperCounts", func(d *thriftgen.CfDef) {
			d.ColumnType = "Super"
			d.SubcomparatorType = strp("UTF8Type")
			d.DefaultValidationClass = strp("CounterColumnType")
		}),
		cfDef("LongNames", func(d *thriftgen.CfDef) { d.ComparatorType = "LongType" }),
		cfDef("SuperText", func(d *thriftgen.CfDef) {
			d.ColumnType = "Super"
			d.SubcomparatorType = strp("UTF8Type")
		}),
	}
}

type env struct {
	ts    *cassatest.Server
	ks    string
	pool  *pool.Pool
	clock *testClock
}

// newEnv starts a server (the embedded one, or the cluster named by
// CASSA_TEST_SERVERS) with the ByteOrderedPartitioner, so key ranges come
// back in key order, creates a fresh keyspace with the test schema and
// opens a pool on it.
func newEnv(t testing.TB) *env {
	t.Helper()
	clock := &testClock{}
	ts := cassatest.Start(t, cassatest.FromEnv(), cassatest.WithKeyspace(),
		cassatest.WithPartitioner("ByteOrderedPartitioner"),
		cassatest.WithConfig(server.Config{Clock: clock.Now}))
	ks := ts.Keyspace()
	db, err := pool.Open(bg, pool.Config{Servers: ts.Addrs(), Keyspace: ks, PoolSize: 2})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close(bg) })
	for _, d := range testSchema() {
		d.Keyspace = ks
		err := db.Do(bg, func(ctx context.Context, c *pool.Conn) error {
			_, err := c.Client().SystemAddColumnFamily(ctx, d)
			return err
		})
		if err != nil {
			t.Fatalf("system_add_column_family %s: %v", d.Name, err)
		}
	}
	return &env{ts: ts, ks: ks, pool: db, clock: clock}
}

// cfDef returns a column family definition in the test keyspace.
func (e *env) cfDef(name string, f func(d *thriftgen.CfDef)) *thriftgen.CfDef {
	d := cfDef(name, f)
	d.Keyspace = e.ks
	return d
}

// advance moves the server's clock; tests that need it run only on the
// embedded server.
func (e *env) advance(t testing.TB, d time.Duration) {
	t.Helper()
	e.ts.RequireEmbedded(t)
	e.clock.Advance(d)
}

// rawCF opens a column family with packing off, to look at what the mapper
// wrote.
func (e *env) rawCF(t testing.TB, name string) *columnfamily.ColumnFamily {
	t.Helper()
	cf, err := columnfamily.Open(bg, e.pool, name, columnfamily.RawKeys(), columnfamily.RawNames(), columnfamily.RawValues())
	if err != nil {
		t.Fatalf("ColumnFamily(%s): %v", name, err)
	}
	return cf
}

// columnNames lists the column names of the row key as stored.
func (e *env) columnNames(t testing.TB, cf, key string) []string {
	t.Helper()
	row, err := e.rawCF(t, cf).Get(bg, key, query.Select{}.PerPartitionLimit(query.Unlimited))
	if err != nil {
		t.Fatalf("raw get %s/%s: %v", cf, key, err)
	}
	var out []string
	for _, c := range row.Columns {
		out = append(out, string(c.Name.([]byte)))
	}
	return out
}

func must[T any](t testing.TB) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func equal(t testing.TB, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got  %#v\n want %#v", what, got, want)
	}
}

// drain collects an iterator, failing on its error.
func drain[T any](t testing.TB, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatalf("iterator: %v", err)
		}
		out = append(out, v)
	}
	return out
}

// noPool is a Thrift pool that is not there, for mappers that never reach
// one.
var noPool *pool.Pool
