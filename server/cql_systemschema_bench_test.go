package server_test

import (
	"fmt"
	"testing"

	"github.com/cassa-go/cassa/server"
)

// BenchmarkCQLSystemSchemaRead reads system_schema through gocql as
// schema tools do (a migration planner, a driver refreshing its
// metadata): every column of one keyspace, on a catalog of 20 tables of 8
// columns beside the built-in keyspaces. serial is one request at a time;
// parallel64 is 64 at a time, the schema unchanged, which is where the
// rows built once per schema version pay off.
func BenchmarkCQLSystemSchemaRead(b *testing.B) {
	srv := startCQL(b, server.Config{})
	s := connect(b, srv, "")
	mustExec(b, s, "CREATE KEYSPACE app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	for i := 0; i < 20; i++ {
		mustExec(b, s, fmt.Sprintf("CREATE TABLE app.t%d (k int, c int, a text, b int, d list<int>, e map<text, int>, f blob, g uuid, PRIMARY KEY (k, c))", i))
	}
	read := func() error {
		iter := s.Query("SELECT * FROM system_schema.columns WHERE keyspace_name = ?", "app").Iter()
		n := iter.NumRows()
		if err := iter.Close(); err != nil {
			return err
		}
		if n != 160 {
			return fmt.Errorf("%d columns, want 160", n)
		}
		return nil
	}
	must(b, read())
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			must(b, read())
		}
	})
	b.Run("parallel64", func(b *testing.B) {
		b.ReportAllocs()
		rate, err := parallel(64, b.N, func(int, int64) error { return read() })
		must(b, err)
		b.ReportMetric(rate, "reads/s")
	})
}
