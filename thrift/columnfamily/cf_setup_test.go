package columnfamily_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
	"github.com/cassa-go/cassa/thriftgen"
)

// Integration fixtures of the column-family tests: an embedded server over
// TCP with the keyspace testKeyspace and the column families below.

const testKeyspace = "CFTest"

var bg = context.Background()

func strp(s string) *string { return &s }

// testColumnFamilies are the column families of the test keyspace.
func testColumnFamilies() []*thriftgen.CfDef {
	def := func(name string, f func(*thriftgen.CfDef)) *thriftgen.CfDef {
		d := thriftgen.NewCfDef()
		d.Keyspace, d.Name = testKeyspace, name
		f(d)
		return d
	}
	utf8 := func(d *thriftgen.CfDef) {
		d.ComparatorType = "UTF8Type"
		d.KeyValidationClass = strp("UTF8Type")
		d.DefaultValidationClass = strp("UTF8Type")
	}
	keys := thriftgen.IndexTypePtr(thriftgen.IndexType_KEYS)
	return []*thriftgen.CfDef{
		def("Std", func(d *thriftgen.CfDef) {
			utf8(d)
			d.ColumnMetadata = []*thriftgen.ColumnDef{{Name: []byte("age"), ValidationClass: "LongType"}}
		}),
		def("Bytes", func(d *thriftgen.CfDef) {}),
		def("Long", func(d *thriftgen.CfDef) {
			d.ComparatorType = "LongType"
			d.KeyValidationClass = strp("LongType")
			d.DefaultValidationClass = strp("LongType")
		}),
		def("Comp", func(d *thriftgen.CfDef) {
			utf8(d)
			d.ComparatorType = "CompositeType(LongType, AsciiType)"
		}),
		def("DynComp", func(d *thriftgen.CfDef) {
			utf8(d)
			d.ComparatorType = "DynamicCompositeType(a=>AsciiType,l=>LongType)"
		}),
		def("Time", func(d *thriftgen.CfDef) {
			utf8(d)
			d.ComparatorType = "TimeUUIDType"
		}),
		def("RevTime", func(d *thriftgen.CfDef) {
			utf8(d)
			d.ComparatorType = "ReversedType(TimeUUIDType)"
		}),
		def("Super", func(d *thriftgen.CfDef) {
			utf8(d)
			d.ColumnType = "Super"
			d.SubcomparatorType = strp("UTF8Type")
		}),
		def("Counter", func(d *thriftgen.CfDef) {
			utf8(d)
			d.DefaultValidationClass = strp("CounterColumnType")
		}),
		def("SuperCounter", func(d *thriftgen.CfDef) {
			utf8(d)
			d.ColumnType = "Super"
			d.SubcomparatorType = strp("UTF8Type")
			d.DefaultValidationClass = strp("CounterColumnType")
		}),
		def("Indexed", func(d *thriftgen.CfDef) {
			utf8(d)
			d.ColumnMetadata = []*thriftgen.ColumnDef{{Name: []byte("birthdate"), ValidationClass: "LongType",
				IndexType: keys, IndexName: strp("birthdate_idx")}}
		}),
	}
}

type testEnv struct {
	srv   *server.Server
	pool  *pool.Pool
	clock *cassatest.Clock
}

// newEnv starts a server with the ByteOrderedPartitioner (so key ranges
// are ordered, as pycassa's tests assume), loads the schema and opens a
// pool on the keyspace.
func newEnv(t testing.TB) *testEnv {
	t.Helper()
	return newEnvOn(t, "ByteOrderedPartitioner")
}

// newEnvOn is newEnv with another partitioner.
func newEnvOn(t testing.TB, partitioner string) *testEnv {
	t.Helper()
	clock := cassatest.NewClock(time.Now())
	srv := cassatest.Start(t, cassatest.WithPartitioner(partitioner),
		cassatest.WithConfig(server.Config{Clock: clock.Now})).Embedded()
	createTestKeyspace(t, srv.Addr())
	p, err := pool.Open(bg, pool.Config{Servers: []string{srv.Addr()}, Keyspace: testKeyspace, PoolSize: 2})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { p.Close(bg) })
	return &testEnv{srv: srv, pool: p, clock: clock}
}

// createTestKeyspace creates the keyspace testKeyspace with the column
// families of testColumnFamilies on the server at addr.
func createTestKeyspace(t testing.TB, addr string) {
	t.Helper()
	sys, err := pool.Open(bg, pool.Config{Servers: []string{addr}, PoolSize: 1})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer sys.Close(bg)
	err = sys.Do(bg, func(ctx context.Context, c *pool.Conn) error {
		_, err := c.Client().SystemAddKeyspace(ctx, &thriftgen.KsDef{Name: testKeyspace,
			StrategyClass:   "org.apache.cassandra.locator.SimpleStrategy",
			StrategyOptions: map[string]string{"replication_factor": "1"},
			CfDefs:          testColumnFamilies(), DurableWrites: true})
		return err
	})
	if err != nil {
		t.Fatalf("system_add_keyspace: %v", err)
	}
}

func (e *testEnv) cf(t testing.TB, name string, opts ...columnfamily.Option) *columnfamily.ColumnFamily {
	t.Helper()
	cf, err := columnfamily.Open(bg, e.pool, name, opts...)
	if err != nil {
		t.Fatalf("ColumnFamily(%s): %v", name, err)
	}
	return cf
}

// must returns v, failing the test given to the returned function when
// err is not nil: must(cf.Get(ctx, key, query.Select{}))(t).
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
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

func isNotFound(t testing.TB, err error) {
	t.Helper()
	if !errors.Is(err, cassa.ErrNotFound) {
		t.Fatalf("want ErrNotFound, got %v", err)
	}
}

// names lists the column names of cols.
func names(cols []columnfamily.Column) []any {
	out := make([]any, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

// keysOf lists the keys of rows.
func keysOf(rows []columnfamily.Row) []any {
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = r.Key
	}
	return out
}

func equal(t testing.TB, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got  %v\n want %v", what, got, want)
	}
}

// collect drains an iterator, failing on its error.
func collect[T any](t testing.TB, seq func(func(T, error) bool)) []T {
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

// sprintfRange lists fmt.Sprintf(format, i) for i from from to to.
func sprintfRange(format string, from, to int) []any {
	var out []any
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf(format, i))
	}
	return out
}
