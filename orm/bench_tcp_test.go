package orm_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
)

// Row10 is the 10-column model of the TCP benchmarks.
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

func row10() Row10 {
	return Row10{Key: "bench", Name: "Tyler Hobbs", Email: "tyler@example.com", Age: 24, Born: 1988,
		Score: 99.5, Height: 1.8, Active: true, Joined: time.UnixMilli(1_700_000_000_000).UTC(),
		ID: uuid.MustParse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), Data: []byte{1, 2, 3, 4}}
}

// tcp10 is what the TCP benchmarks share: a pool of one connection, the
// mapper, and the raw column family handle the mapper itself uses, so
// both sides of a comparison go over the same socket.
type tcp10 struct {
	users  *orm.Mapper[Row10, string]
	cf     *columnfamily.ColumnFamily
	names  []any    // the column names, in the order the mapper asks for them
	values [][]byte // the row's values, packed, by name
	key    []byte
}

func newTCP10(b *testing.B) *tcp10 {
	e := newEnv(b)
	db, err := pool.Open(bg, pool.Config{Servers: e.ts.Addrs(), Keyspace: e.ks, PoolSize: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close(bg) })
	users := orm.Map[Row10, string](db, "Plain")
	v := row10()
	if err := users.Insert(bg, &v); err != nil {
		b.Fatal(err)
	}
	cf, err := users.ColumnFamily(bg)
	if err != nil {
		b.Fatal(err)
	}
	row, err := cf.Get(bg, []byte("bench"), query.Select{}.PerPartitionLimit(query.Unlimited))
	if err != nil || len(row.Columns) != 10 {
		b.Fatalf("stored row: %v %v", row, err)
	}
	t := &tcp10{users: users, cf: cf, key: []byte("bench")}
	for _, c := range row.Columns { // sorted by name, as the mapper asks
		t.names = append(t.names, string(c.Name.([]byte)))
		t.values = append(t.values, c.Value.([]byte))
	}
	return t
}

// BenchmarkTCPGet10 reads one 10-column row over TCP from the embedded
// server, through the mapper into a Row10 and through the same raw
// column family call the mapper makes, on the same connection.
// "interleaved" alternates the two in one loop and reports their ratio
// (mapper time / column family time), which is the figure to watch: the
// loopback round trip dominates both, and alternating cancels drift.
//
//	go test -run '^$' -bench 'TCP' -benchtime 4000x -count 3 ./orm/
func BenchmarkTCPGet10(b *testing.B) {
	t := newTCP10(b)
	q := query.Columns(t.names...)
	mapper := func(b *testing.B) {
		if _, err := t.users.Get(bg, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	cf := func(b *testing.B) {
		if _, err := t.cf.Get(bg, t.key, q); err != nil {
			b.Fatal(err)
		}
	}
	runPair(b, mapper, cf)
}

// BenchmarkTCPInsert10 writes one 10-column row over TCP: the mapper
// encoding a Row10, against the raw column family inserting the same
// columns already packed, building its ColumnList as every caller of
// Insert does, so the difference is the mapper's encoding.
func BenchmarkTCPInsert10(b *testing.B) {
	t := newTCP10(b)
	v := row10()
	mapper := func(b *testing.B) {
		if err := t.users.Insert(bg, &v); err != nil {
			b.Fatal(err)
		}
	}
	cf := func(b *testing.B) {
		cols := make(columnfamily.ColumnList, len(t.names))
		for i, n := range t.names {
			cols[i] = columnfamily.Column{Name: n, Value: t.values[i]}
		}
		if _, err := t.cf.Insert(bg, t.key, cols); err != nil {
			b.Fatal(err)
		}
	}
	runPair(b, mapper, cf)
}

// runPair runs the mapper and the column family side by side: each alone
// (for allocs/op), then interleaved, reporting the time ratio.
func runPair(b *testing.B, mapper, cf func(*testing.B)) {
	b.Run("mapper", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			mapper(b)
		}
	})
	b.Run("columnfamily", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			cf(b)
		}
	})
	b.Run("interleaved", func(b *testing.B) {
		var tm, tc []time.Duration
		for i := 0; b.Loop(); i++ {
			// Alternate which goes first, so neither always follows the other.
			first, second, ft, st := mapper, cf, &tm, &tc
			if i%2 == 1 {
				first, second, ft, st = cf, mapper, &tc, &tm
			}
			s := time.Now()
			first(b)
			m := time.Now()
			second(b)
			e := time.Now()
			*ft = append(*ft, m.Sub(s))
			*st = append(*st, e.Sub(m))
		}
		// Medians: a garbage collection or a descheduling lands on one
		// call of one side, and moves a mean but not a median. The ratio is
		// the median of the ratios of the two calls of each iteration,
		// which ran next to each other: run against itself, either side
		// gives 1.00 within a percent.
		ratios := make([]time.Duration, len(tm))
		for i := range tm {
			ratios[i] = time.Duration(float64(tm[i]) / float64(tc[i]) * 1e6)
		}
		b.ReportMetric(float64(median(tm).Nanoseconds()), "mapper-ns/op")
		b.ReportMetric(float64(median(tc).Nanoseconds()), "cf-ns/op")
		b.ReportMetric(float64(median(ratios))/1e6, "ratio")
	})
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
