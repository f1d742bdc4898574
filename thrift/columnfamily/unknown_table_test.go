package columnfamily_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
	"github.com/cassa-go/cassa/thriftgen"
)

// checkUnknownTable fails unless err is a *cassa.UnknownTableError naming
// testKeyspace and table, and does not pass for a missing row.
func checkUnknownTable(t *testing.T, what string, err error, table string) {
	t.Helper()
	var ut *cassa.UnknownTableError
	if !errors.As(err, &ut) {
		t.Errorf("%s: error %v (%T) is not a *cassa.UnknownTableError", what, err, err)
		return
	}
	if ut.Keyspace != testKeyspace || ut.Table != table {
		t.Errorf("%s: UnknownTableError names %q.%q, want %q.%q", what, ut.Keyspace, ut.Table, testKeyspace, table)
	}
	if !errors.Is(err, cassa.ErrUnknownTable) {
		t.Errorf("%s: %v does not match cassa.ErrUnknownTable", what, err)
	}
	if errors.Is(err, cassa.ErrNotFound) {
		t.Errorf("%s: %v matches cassa.ErrNotFound: a missing column family must not look like a missing row", what, err)
	}
}

func TestOpenUnknownColumnFamily(t *testing.T) {
	env := newEnv(t)
	_, err := columnfamily.Open(bg, env.pool, "Nope")
	checkUnknownTable(t, "Open", err, "Nope")
}

// dropColumnFamily drops name from the test keyspace behind the back of
// anything that opened it.
func dropColumnFamily(t *testing.T, p *pool.Pool, name string) {
	t.Helper()
	err := p.Do(bg, func(ctx context.Context, c *pool.Conn) error {
		_, err := c.Client().SystemDropColumnFamily(ctx, name)
		return err
	})
	if err != nil {
		t.Fatalf("system_drop_column_family %s: %v", name, err)
	}
}

// Calls on a column family dropped after Open get Cassandra's "unconfigured
// table" (ThriftValidation.validateColumnFamily), which is the same typed
// error.
func TestDroppedColumnFamily(t *testing.T) {
	env := newEnv(t)
	std, err := columnfamily.Open(bg, env.pool, "Std")
	if err != nil {
		t.Fatal(err)
	}
	counter, err := columnfamily.Open(bg, env.pool, "Counter")
	if err != nil {
		t.Fatal(err)
	}
	dropColumnFamily(t, env.pool, "Std")
	dropColumnFamily(t, env.pool, "Counter")

	_, err = std.Get(bg, "k", query.Select{})
	checkUnknownTable(t, "Get", err, "Std")
	_, err = std.Get(bg, "k", query.Columns("name"))
	checkUnknownTable(t, "Get one column", err, "Std")
	_, err = std.MultiGet(bg, []any{"k"}, query.Select{})
	checkUnknownTable(t, "MultiGet", err, "Std")
	_, err = std.GetCount(bg, "k", query.Select{})
	checkUnknownTable(t, "GetCount", err, "Std")
	for _, err := range std.GetRange(bg, query.Select{}) {
		checkUnknownTable(t, "GetRange", err, "Std")
	}
	_, err = std.Insert(bg, "k", columnfamily.Cols{"name": "v"})
	checkUnknownTable(t, "Insert", err, "Std")
	_, err = std.Remove(bg, "k", query.Select{})
	checkUnknownTable(t, "Remove", err, "Std")
	err = std.Reload(bg)
	checkUnknownTable(t, "Reload", err, "Std")

	err = counter.Add(bg, "k", "c", 1)
	checkUnknownTable(t, "Add", err, "Counter")
	_, err = counter.Get(bg, "k", query.Select{})
	checkUnknownTable(t, "Get counters", err, "Counter")

	m := columnfamily.NewMutator(env.pool)
	if _, err := m.Insert(bg, std, "k", columnfamily.Cols{"name": "v"}); err != nil {
		t.Fatal(err)
	}
	err = m.Send(bg)
	checkUnknownTable(t, "Mutator.Send", err, "Std")
	var be *columnfamily.BatchError
	if !errors.As(err, &be) {
		t.Errorf("Mutator.Send: %v is not a *BatchError", err)
	}
}

func TestUnknownTableKeepsTheServersAnswer(t *testing.T) {
	env := newEnv(t)
	std, err := columnfamily.Open(bg, env.pool, "Std")
	if err != nil {
		t.Fatal(err)
	}
	dropColumnFamily(t, env.pool, "Std")
	_, err = std.Get(bg, "k", query.Select{})
	var ire *cassa.InvalidRequestError
	if !errors.As(err, &ire) || ire.Why != "unconfigured table Std" {
		t.Fatalf("Get: %v does not carry Cassandra's answer as an *InvalidRequestError", err)
	}
	_ = thriftgen.ConsistencyLevel_ONE
}
