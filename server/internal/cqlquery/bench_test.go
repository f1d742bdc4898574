package cqlquery

import (
	"context"
	"testing"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
)

func benchFixture(b *testing.B) *fixture {
	f := newFixture(b)
	f.ddl("CREATE TABLE t (k int PRIMARY KEY, v text, w bigint)")
	return f
}

// Prepare and execute a single-row INSERT, as an unprepared QUERY does.
func BenchmarkPrepareExecuteInsert(b *testing.B) {
	f := benchFixture(b)
	ctx := context.Background()
	vals := []Value{{Bytes: codec.AppendInt32(nil, 1)}, {Bytes: []byte("hello")}, {Bytes: codec.AppendLong(nil, 7)}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		p, err := cqlparse.Parse("INSERT INTO t (k, v, w) VALUES (?, ?, ?)")
		if err != nil {
			b.Fatal(err)
		}
		s, err := Prepare(f.env, "ks", p)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Execute(ctx, f.env, Options{Values: vals, Consistency: clOne}); err != nil {
			b.Fatal(err)
		}
	}
}

// Execute a prepared single-row INSERT (EXECUTE).
func BenchmarkExecuteInsert(b *testing.B) {
	f := benchFixture(b)
	ctx := context.Background()
	s, _ := f.prepare("INSERT INTO t (k, v, w) VALUES (?, ?, ?)")
	vals := []Value{{Bytes: codec.AppendInt32(nil, 1)}, {Bytes: []byte("hello")}, {Bytes: codec.AppendLong(nil, 7)}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		vals[0].Bytes = codec.AppendInt32(vals[0].Bytes[:0], int32(i&1023))
		if _, err := s.Execute(ctx, f.env, Options{Values: vals, Consistency: clOne}); err != nil {
			b.Fatal(err)
		}
	}
}

// Prepare and execute a SELECT by key.
func BenchmarkPrepareExecuteSelect(b *testing.B) {
	f := benchFixture(b)
	f.exec("INSERT INTO t (k, v, w) VALUES (1, 'hello', 7)")
	ctx := context.Background()
	vals := []Value{{Bytes: codec.AppendInt32(nil, 1)}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		p, err := cqlparse.Parse("SELECT v, w FROM t WHERE k = ?")
		if err != nil {
			b.Fatal(err)
		}
		s, err := Prepare(f.env, "ks", p)
		if err != nil {
			b.Fatal(err)
		}
		r, err := s.Execute(ctx, f.env, Options{Values: vals, Consistency: clOne})
		if err != nil || len(r.Rows) != 1 {
			b.Fatal(err)
		}
	}
}

// Execute a prepared SELECT by key.
func BenchmarkExecuteSelect(b *testing.B) {
	f := benchFixture(b)
	f.exec("INSERT INTO t (k, v, w) VALUES (1, 'hello', 7)")
	ctx := context.Background()
	s, _ := f.prepare("SELECT v, w FROM t WHERE k = ?")
	vals := []Value{{Bytes: codec.AppendInt32(nil, 1)}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r, err := s.Execute(ctx, f.env, Options{Values: vals, Consistency: clOne, PageSize: 5000})
		if err != nil || len(r.Rows) != 1 {
			b.Fatal(err)
		}
	}
}
