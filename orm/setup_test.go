package orm_test

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/session"
	"github.com/cassa-go/cassa/thriftgen"
)

// Integration fixtures: an embedded server over TCP (ByteOrderedPartitioner,
// so key ranges come back in key order), one keyspace and the column
// families below, created through the raw Thrift client.

const testKeyspace = "ORMTest"

var bg = context.Background()

// testClock is the server's clock; tests move it forward to expire TTLs.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
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
	}
}

type env struct {
	srv   *server.Server
	pool  *session.Pool
	clock *testClock
}

func newEnv(t testing.TB) *env {
	t.Helper()
	clock := &testClock{now: time.Now()}
	srv, err := server.Start(bg, server.Config{Addr: "127.0.0.1:0",
		Partitioner: "ByteOrderedPartitioner", Clock: clock.Now})
	if err != nil {
		t.Fatalf("server.Start: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	sys, err := session.Open(bg, session.Config{Servers: []string{srv.Addr()}, PoolSize: 1})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	err = sys.Do(bg, func(ctx context.Context, c *session.Conn) error {
		ks := thriftgen.NewKsDef()
		ks.Name = testKeyspace
		ks.StrategyClass = "org.apache.cassandra.locator.SimpleStrategy"
		ks.StrategyOptions = map[string]string{"replication_factor": "1"}
		ks.CfDefs = testSchema()
		ks.DurableWrites = true
		_, err := c.Client().SystemAddKeyspace(ctx, ks)
		return err
	})
	sys.Close(bg)
	if err != nil {
		t.Fatalf("system_add_keyspace: %v", err)
	}
	pool, err := session.Open(bg, session.Config{Servers: []string{srv.Addr()}, Keyspace: testKeyspace, PoolSize: 2})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { pool.Close(bg) })
	return &env{srv: srv, pool: pool, clock: clock}
}

// rawCF opens a column family with packing off, to look at what the mapper
// wrote.
func (e *env) rawCF(t testing.TB, name string) *session.ColumnFamily {
	t.Helper()
	cf, err := e.pool.ColumnFamily(bg, name, session.RawKeys(), session.RawNames(), session.RawValues())
	if err != nil {
		t.Fatalf("ColumnFamily(%s): %v", name, err)
	}
	return cf
}

// columnNames lists the column names of the row key as stored.
func (e *env) columnNames(t testing.TB, cf, key string) []string {
	t.Helper()
	row, err := e.rawCF(t, cf).Get(bg, key, session.Count(session.Unlimited))
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
