package orm_test

import (
	"testing"

	"github.com/google/uuid"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/orm"
)

// The CQL benchmarks compare the mapper with raw gocql on the same
// session (cql.Session.Driver), statements written and values bound by
// hand, reading and writing the 10-column Row10 of the Thrift benchmarks,
// over loopback to the embedded server (or CASSA_TEST_CQL_HOSTS). As
// there, "interleaved" alternates the two in one loop and reports the
// ratio of their times (mapper / gocql).
//
//	go test -run '^$' -bench 'CQL' -benchtime 4000x -count 3 ./orm/

const (
	rawSelect10 = `SELECT name, email, age, born, score, height, active, joined, id, data FROM "Row10" WHERE key = ?`
	rawInsert10 = `INSERT INTO "Row10" (key, name, email, age, born, score, height, active, joined, id, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

type cql10 struct {
	users *orm.Mapper[Row10, string]
	db    *cql.Session
	gs    *gocql.Session
}

func newCQL10(b *testing.B) *cql10 {
	e := newCQLEnv(b, orm.Model[Row10]())
	t := &cql10{users: orm.Map[Row10, string](e.db, "Row10"), db: e.db, gs: e.db.Driver()}
	v := row10()
	if err := t.users.Insert(bg, &v); err != nil {
		b.Fatal(err)
	}
	got, err := t.users.Get(bg, "bench")
	if err != nil || got.Name != v.Name || string(got.Data) != string(v.Data) {
		b.Fatalf("stored row: %+v %v", got, err)
	}
	return t
}

// rawGet10 reads a Row10 the way a gocql user writes it: the statement,
// and a destination per column (gocql has no google/uuid, so the UUID
// goes through gocql.UUID).
func (t *cql10) rawGet10(key string) (Row10, error) {
	v := Row10{Key: key}
	var id gocql.UUID
	err := t.gs.Query(rawSelect10, key).ScanContext(bg, &v.Name, &v.Email, &v.Age, &v.Born, &v.Score,
		&v.Height, &v.Active, &v.Joined, &id, &v.Data)
	v.ID = uuid.UUID(id)
	return v, err
}

func (t *cql10) rawInsert10(v *Row10) error {
	return t.gs.Query(rawInsert10, v.Key, v.Name, v.Email, v.Age, v.Born, v.Score, v.Height, v.Active,
		v.Joined, gocql.UUID(v.ID), v.Data).ExecContext(bg)
}

// The two sides of the benchmarks write and read the same row.
func TestCQLBenchRowsAgree(t *testing.T) {
	e := newCQLEnv(t, orm.Model[Row10]())
	c := &cql10{users: orm.Map[Row10, string](e.db, "Row10"), db: e.db, gs: e.db.Driver()}
	v := row10()
	noErr(t, c.rawInsert10(&v))
	equal(t, "raw insert, mapper get", must[Row10](t)(c.users.Get(bg, "bench")), v)
	v.Key, v.Name = "other", "Other"
	noErr(t, c.users.Insert(bg, &v))
	equal(t, "mapper insert, raw get", must[Row10](t)(c.rawGet10("other")), v)
}

// BenchmarkCQLGet10 reads one 10-column row: the mapper's Get into a
// Row10, against gocql's Query.Scan into the same struct's fields.
func BenchmarkCQLGet10(b *testing.B) {
	t := newCQL10(b)
	mapper := func(b *testing.B) {
		if _, err := t.users.Get(bg, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	raw := func(b *testing.B) {
		if _, err := t.rawGet10("bench"); err != nil {
			b.Fatal(err)
		}
	}
	runPair(b, mapper, raw)
}

// BenchmarkCQLInsert10 writes one 10-column row: the mapper's Insert of a
// Row10, against gocql's Query.Exec with the fields bound by hand.
func BenchmarkCQLInsert10(b *testing.B) {
	t := newCQL10(b)
	v := row10()
	mapper := func(b *testing.B) {
		if err := t.users.Insert(bg, &v); err != nil {
			b.Fatal(err)
		}
	}
	raw := func(b *testing.B) {
		if err := t.rawInsert10(&v); err != nil {
			b.Fatal(err)
		}
	}
	runPair(b, mapper, raw)
}

// rawBytes is a gocql destination that keeps a value's bytes undecoded,
// and a bound value already marshalled: what the mapper hands gocql.
type rawBytes struct{ b []byte }

// UnmarshalCQL keeps the bytes.
func (r *rawBytes) UnmarshalCQL(_ gocql.TypeInfo, data []byte) error { r.b = data; return nil }

// MarshalCQL returns the bytes.
func (r *rawBytes) MarshalCQL(gocql.TypeInfo) ([]byte, error) { return r.b, nil }

// BenchmarkCQLGet10Layers splits the gap between the mapper's Get and
// gocql's typed Scan into its layers, each interleaved with the one below:
// gocql scanning raw bytes against gocql decoding into typed fields (the
// decoding the mapper does not ask gocql for), cql.Session.Scan against
// gocql on raw bytes (the session's call), and the mapper against
// cql.Session.Scan on raw bytes with the mapper's statement (its own
// binding, decoding and bookkeeping).
//
//	go test -run '^$' -bench 'CQLGet10Layers/.*/interleaved' -benchtime 4000x -count 3 ./orm/
func BenchmarkCQLGet10Layers(b *testing.B) {
	t := newCQL10(b)
	// The mapper's statement: its columns in the order of their names.
	const sorted = `SELECT active, age, born, data, email, height, id, joined, name, score FROM "Row10" WHERE key = ?`
	var dests [10]rawBytes
	ptrs := make([]any, len(dests))
	for i := range dests {
		ptrs[i] = &dests[i]
	}
	key := &rawBytes{b: []byte("bench")}
	typed := func(b *testing.B) {
		if _, err := t.rawGet10("bench"); err != nil {
			b.Fatal(err)
		}
	}
	gocqlRaw := func(b *testing.B) {
		if err := t.gs.Query(sorted, key).ScanContext(bg, ptrs...); err != nil {
			b.Fatal(err)
		}
	}
	sessionRaw := func(b *testing.B) {
		if err := t.db.Scan(bg, sorted, []any{key}, ptrs...); err != nil {
			b.Fatal(err)
		}
	}
	mapper := func(b *testing.B) {
		if _, err := t.users.Get(bg, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("gocql-raw-vs-typed", func(b *testing.B) { runPair(b, gocqlRaw, typed) })
	b.Run("session-vs-gocql-raw", func(b *testing.B) { runPair(b, sessionRaw, gocqlRaw) })
	b.Run("mapper-vs-session", func(b *testing.B) { runPair(b, mapper, sessionRaw) })
}
