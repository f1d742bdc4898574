package cqlquery

import (
	"context"
	"testing"

	"github.com/cassa-go/cassa/server/internal/cqlparse"
)

// FuzzPrepare prepares whatever parses against a catalog with varied
// tables, then executes it with values of every odd length: nothing may
// panic.
func FuzzPrepare(f *testing.F) {
	for _, s := range []string{
		"SELECT * FROM t WHERE k = 1 AND c1 > 2 ORDER BY c1 DESC LIMIT 3",
		"SELECT k, writetime(v), ttl(v), token(k), count(*) FROM t WHERE k IN ? AND (c1, c2) >= (?, ?)",
		"SELECT DISTINCT k, s FROM t WHERE token(k) > ? PER PARTITION LIMIT 1",
		"SELECT * FROM t WHERE v = ? AND l CONTAINS ? AND m[?] = ? ALLOW FILTERING",
		"INSERT INTO t (k, c1, c2, v, l, m) VALUES (?, ?, ?, ?, [1, 2], {1: 'a'}) USING TTL ? AND TIMESTAMP ?",
		"UPDATE t SET v = ?, l = l + [3], m[?] = ?, s = ? WHERE k = ? AND c1 IN ? AND c2 = 1",
		"DELETE l[?], m[1] FROM t WHERE k = ? AND c1 = 1 AND c2 = ?",
		"DELETE FROM t WHERE k = 1 AND (c1, c2) > (?, ?)",
		"BEGIN UNLOGGED BATCH INSERT INTO t (k, c1, c2) VALUES (?, 1, 1) DELETE FROM u WHERE a = ? AND b = ? APPLY BATCH",
		"UPDATE c SET n = n + ? WHERE k = ?",
		"SELECT * FROM u WHERE a = ? AND b = ? AND d = blobAsInt(?)",
		"SELECT toTimestamp(now()), minTimeuuid(?) FROM u WHERE token(a, b) = token(?, ?)",
		"SELECT * FROM system.local WHERE key = ?",
	} {
		f.Add(s, []byte{0, 0, 0, 1})
	}
	fx := newFixture(f)
	fx.env.Virtual = fakeVirtual{}
	fx.ddl("CREATE TABLE t (k int, c1 int, c2 int, v int, s int static, l list<int>, m map<int, text>, PRIMARY KEY (k, c1, c2))")
	fx.ddl("CREATE TABLE u (a text, b bigint, d int, e frozen<set<int>>, PRIMARY KEY ((a, b), d)) WITH CLUSTERING ORDER BY (d DESC)")
	fx.ddl("CREATE TABLE c (k int PRIMARY KEY, n counter)")
	fx.ddl("CREATE INDEX ON t (v)")
	f.Fuzz(func(t *testing.T, q string, val []byte) {
		prepareAndExecute(fx, q, val, 0, 2)
	})
}

// prepareAndExecute prepares q, when it parses and prepares, and executes
// it once per page size with values cut from val (whole, null, unset or a
// suffix) and val as the paging state: it may fail, never panic.
func prepareAndExecute(fx *fixture, q string, val []byte, pageSizes ...int) {
	p, err := cqlparse.Parse(q)
	if err != nil {
		return
	}
	s, err := Prepare(fx.env, "ks", p)
	if err != nil {
		return
	}
	vals := make([]Value, len(s.BindColumns))
	for i := range vals {
		switch (i + len(val)) % 4 {
		case 0:
			vals[i] = Value{Bytes: val}
		case 1:
			vals[i] = Value{}
		case 2:
			vals[i] = Value{Unset: true}
		default:
			if len(val) > i {
				vals[i] = Value{Bytes: val[i:]}
			}
		}
	}
	for _, ps := range pageSizes {
		_, _ = s.Execute(context.Background(), fx.env, Options{Values: vals, Consistency: clOne, PageSize: ps, PagingState: val})
	}
}
