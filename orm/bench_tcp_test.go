package orm_test

import (
	"testing"

	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/query"
)

// BenchmarkGet reads one 7-column row over TCP from the embedded server:
// through the mapper into a User, and through the raw column family
// handle the mapper uses, so the difference is the mapper's own cost.
// allocs/op is the figure to watch; time is dominated by the loopback RPC.
func BenchmarkGet(b *testing.B) {
	e := newEnv(b)
	users := orm.Map[User](e.pool, "Users")
	u := sampleUser("bench", "UT", 1988)
	if err := users.Insert(bg, &u); err != nil {
		b.Fatal(err)
	}
	b.Run("mapper", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := users.Get(bg, "bench"); err != nil {
				b.Fatal(err)
			}
		}
	})
	cf := e.rawCF(b, "Users")
	names := []any{"name", "state", "birthdate", "age", "height", "joined", "credit"}
	b.Run("columnfamily-raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := cf.Get(bg, []byte("bench"), query.Select{}.PerPartitionLimit(query.Unlimited)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("columnfamily-raw-named", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := cf.Get(bg, []byte("bench"), query.Columns(names...)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkInsert writes one 7-column row over TCP.
func BenchmarkInsert(b *testing.B) {
	e := newEnv(b)
	users := orm.Map[User](e.pool, "Users")
	u := sampleUser("bench", "UT", 1988)
	b.ReportAllocs()
	for b.Loop() {
		if err := users.Insert(bg, &u); err != nil {
			b.Fatal(err)
		}
	}
}
