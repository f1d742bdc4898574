package gocqlx_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	gocql2 "github.com/apache/cassandra-gocql-driver/v2"
	"github.com/gocql/gocql"
	"github.com/google/uuid"
	"github.com/scylladb/gocqlx/v2"
	"github.com/scylladb/gocqlx/v2/table"

	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/server"
)

var bg = context.Background()

// Row10 is the row of the benchmarks, as cassa maps it.
type Row10 struct {
	Key    string    `cass:",key"`
	Name   string    `cass:"name"`
	Email  string    `cass:"email"`
	Age    int32     `cass:"age"`
	Born   int64     `cass:"born"`
	Score  float64   `cass:"score"`
	Height float32   `cass:"height"`
	Active bool      `cass:"active"`
	Joined time.Time `cass:"joined"`
	ID     uuid.UUID `cass:"id"`
	Data   []byte    `cass:"data"`
}

// row10x is the same row as gocqlx maps it (db tags; gocql v1 has its own
// UUID type).
type row10x struct {
	Key    string     `db:"key"`
	Name   string     `db:"name"`
	Email  string     `db:"email"`
	Age    int32      `db:"age"`
	Born   int64      `db:"born"`
	Score  float64    `db:"score"`
	Height float32    `db:"height"`
	Active bool       `db:"active"`
	Joined time.Time  `db:"joined"`
	ID     gocql.UUID `db:"id"`
	Data   []byte     `db:"data"`
}

func row10() Row10 {
	return Row10{Key: "bench", Name: "Tyler Hobbs", Email: "tyler@example.com", Age: 24, Born: 1988,
		Score: 99.5, Height: 1.8, Active: true, Joined: time.UnixMilli(1_700_000_000_000).UTC(),
		ID: uuid.MustParse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), Data: []byte{1, 2, 3, 4}}
}

func row10xOf(r Row10) row10x {
	return row10x{Key: r.Key, Name: r.Name, Email: r.Email, Age: r.Age, Born: r.Born, Score: r.Score,
		Height: r.Height, Active: r.Active, Joined: r.Joined, ID: gocql.UUID(r.ID), Data: r.Data}
}

var row10Table = table.New(table.Metadata{
	Name:    `"Row10"`,
	Columns: []string{"key", "name", "email", "age", "born", "score", "height", "active", "joined", "id", "data"},
	PartKey: []string{"key"},
})

const (
	rawSelect = `SELECT name, email, age, born, score, height, active, joined, id, data FROM "Row10" WHERE key = ?`
	rawInsert = `INSERT INTO "Row10" (key, name, email, age, born, score, height, active, joined, id, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

// three sessions on one node and one table.
type trio struct {
	cassa *orm.Mapper[Row10, string]
	v2    *gocql2.Session // the driver under cassa's session
	v1    *gocql.Session
	x     gocqlx.Session
}

// newTrio starts the embedded server (or uses the node CASSA_TEST_CQL_HOSTS
// names), creates the table from cassa's model, and opens the three.
func newTrio(tb testing.TB) *trio {
	host := os.Getenv("CASSA_TEST_CQL_HOSTS")
	if host == "" {
		srv, err := server.Start(bg, server.Config{Addr: "127.0.0.1:0", CQLAddr: "127.0.0.1:0"})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { _ = srv.Close() })
		host = srv.CQLAddr()
	}
	host = strings.Split(host, ",")[0]
	admin, err := cql.Open(bg, cql.Config{Hosts: []string{host}})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = admin.Close(bg) })
	ks := "bench_gocqlx"
	if err := admin.Exec(bg, "CREATE KEYSPACE IF NOT EXISTS "+ks+" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"); err != nil {
		tb.Fatal(err)
	}
	for _, s := range orm.Model[Row10]().CQLSchema(ks) {
		if err := admin.Exec(bg, s); err != nil {
			tb.Fatal(err)
		}
	}
	if err := admin.AwaitSchemaAgreement(bg); err != nil {
		tb.Fatal(err)
	}
	db, err := cql.Open(bg, cql.Config{Hosts: []string{host}, Keyspace: ks})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close(bg) })

	cluster := gocql.NewCluster(host)
	cluster.Keyspace = ks
	cluster.Consistency = gocql.LocalQuorum // cassa's default
	// cassa's cql.Config writes each request at once (WriteCoalesce 0);
	// gocql v1 waits 200 µs by default to gather requests, which on one
	// connection at a time is pure delay.
	cluster.WriteCoalesceWaitTime = 0
	cluster.PoolConfig.HostSelectionPolicy = gocql.TokenAwareHostPolicy(gocql.RoundRobinHostPolicy())
	v1, err := cluster.CreateSession()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(v1.Close)
	t := &trio{cassa: orm.Map[Row10, string](db, "Row10"), v2: db.Driver(), v1: v1, x: gocqlx.NewSession(v1)}
	v := row10()
	if err := t.cassa.Insert(bg, &v); err != nil {
		tb.Fatal(err)
	}
	return t
}

func (t *trio) getCassa() error {
	_, err := t.cassa.Get(bg, "bench")
	return err
}

func (t *trio) getGocql() error {
	v := row10x{Key: "bench"}
	return t.v1.Query(rawSelect, v.Key).WithContext(bg).Scan(&v.Name, &v.Email, &v.Age, &v.Born, &v.Score,
		&v.Height, &v.Active, &v.Joined, &v.ID, &v.Data)
}

func (t *trio) getGocql2() error {
	v := Row10{Key: "bench"}
	var id gocql2.UUID
	err := t.v2.Query(rawSelect, v.Key).ScanContext(bg, &v.Name, &v.Email, &v.Age, &v.Born, &v.Score,
		&v.Height, &v.Active, &v.Joined, &id, &v.Data)
	v.ID = uuid.UUID(id)
	return err
}

func (t *trio) insertGocql2(v *Row10) error {
	return t.v2.Query(rawInsert, v.Key, v.Name, v.Email, v.Age, v.Born, v.Score, v.Height, v.Active,
		v.Joined, gocql2.UUID(v.ID), v.Data).ExecContext(bg)
}

func (t *trio) getGocqlx() error {
	v := row10x{Key: "bench"}
	return t.x.Query(row10Table.Get()).WithContext(bg).BindStruct(&v).GetRelease(&v)
}

func (t *trio) insertCassa(v *Row10) error { return t.cassa.Insert(bg, v) }

func (t *trio) insertGocql(v *row10x) error {
	return t.v1.Query(rawInsert, v.Key, v.Name, v.Email, v.Age, v.Born, v.Score, v.Height, v.Active,
		v.Joined, v.ID, v.Data).WithContext(bg).Exec()
}

func (t *trio) insertGocqlx(v *row10x) error {
	return t.x.Query(row10Table.Insert()).WithContext(bg).BindStruct(v).ExecRelease()
}

// TestAgree: the three read what the others wrote.
func TestAgree(t *testing.T) {
	tr := newTrio(t)
	v := row10()
	x := row10xOf(v)
	x.Key, x.Name = "x", "written by gocqlx"
	if err := tr.insertGocqlx(&x); err != nil {
		t.Fatal(err)
	}
	got, err := tr.cassa.Get(bg, "x")
	if err != nil || got.Name != x.Name || got.ID != v.ID || string(got.Data) != string(v.Data) {
		t.Fatalf("cassa read %+v, %v", got, err)
	}
	back := row10x{Key: "bench"}
	if err := tr.x.Query(row10Table.Get()).BindStruct(&back).GetRelease(&back); err != nil || back.Name != v.Name || back.Joined != v.Joined {
		t.Fatalf("gocqlx read %+v, %v", back, err)
	}
}

func BenchmarkGet10(b *testing.B) {
	t := newTrio(b)
	run(b, map[string]func() error{"cassa": t.getCassa, "gocql2": t.getGocql2, "gocql": t.getGocql, "gocqlx": t.getGocqlx})
}

func BenchmarkInsert10(b *testing.B) {
	t := newTrio(b)
	v := row10()
	x := row10xOf(v)
	run(b, map[string]func() error{
		"cassa":  func() error { return t.insertCassa(&v) },
		"gocql2": func() error { return t.insertGocql2(&v) },
		"gocql":  func() error { return t.insertGocql(&x) },
		"gocqlx": func() error { return t.insertGocqlx(&x) },
	})
}

// run times each side alone (for allocs/op), then all of them in turn in
// one loop (rotating which goes first) and reports the median time of
// each and the median ratios of each mapper to the raw driver it runs on
// (cassa to gocql v2, gocqlx to gocql v1): the loopback round trip
// dominates, and interleaving cancels drift.
func run(b *testing.B, sides map[string]func() error) {
	names := []string{"cassa", "gocql2", "gocql", "gocqlx"}
	for _, n := range names {
		f := sides[n]
		b.Run(n, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := f(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("interleaved", func(b *testing.B) {
		times := map[string][]time.Duration{}
		for i := 0; b.Loop(); i++ {
			for j := range names {
				n := names[(i+j)%len(names)]
				s := time.Now()
				if err := sides[n](); err != nil {
					b.Fatal(err)
				}
				times[n] = append(times[n], time.Since(s))
			}
		}
		ratio := func(n, base string) float64 {
			r := make([]float64, len(times[n]))
			for i := range r {
				r[i] = float64(times[n][i]) / float64(times[base][i])
			}
			slices.Sort(r)
			return r[len(r)/2]
		}
		for _, n := range names {
			d := slices.Clone(times[n])
			slices.Sort(d)
			b.ReportMetric(float64(d[len(d)/2].Nanoseconds()), n+"-ns/op")
		}
		b.ReportMetric(ratio("cassa", "gocql2"), "cassa/gocql2")
		b.ReportMetric(ratio("gocqlx", "gocql"), "gocqlx/gocql")
		b.ReportMetric(ratio("cassa", "gocqlx"), "cassa/gocqlx")
	})
}
